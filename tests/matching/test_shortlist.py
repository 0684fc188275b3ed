"""Shortlists for mentee choice: exposure caps, options, optimality against networkx, resolve."""

from __future__ import annotations

import importlib
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ementor_kit as ek
import ementor_kit.matching._solver.model as highs_start
from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.matching._solver.shortlist_flow import level_counts, solve_lists_flow
from ementor_kit.matching.scores import score_pairs
from ementor_kit.matching.shortlist import _caps, _highs_lists, shortlist

# the module (``ementor_kit.matching.shortlist`` as an attribute is the function)
shortlist_module = importlib.import_module("ementor_kit.matching.shortlist")


@pytest.fixture(scope="module")
def sample():
    return ek.load_sample()


@pytest.fixture(scope="module")
def lists(sample):
    return shortlist(sample.mentors, sample.mentees, k=3, exposure=1.5)


def _allowed(sample):
    s = score_pairs(sample.mentors, sample.mentees)
    return s[s["feasible"]][["mentee_id", "mentor_id", "score"]]


def _networkx_levels(allowed, caps, k, mentees):
    """Independent solve: min-cost flow in exact integers (networkx network simplex).

    Level arcs L_t -> mentee carry bonuses so large that one more mentee at level t beats
    anything at later levels and any score; scores scaled to integers (1e-6 points)."""
    unit = 10**6
    score = {(e, m): round(s * unit) for e, m, s in allowed.itertuples(index=False)}
    top = 100 * unit * (len(score) + 1)
    bonus = [top * (len(mentees) + 1) ** (k - t) for t in range(k)]
    g = nx.DiGraph()
    for t in range(k):
        g.add_edge("s", ("L", t), capacity=len(mentees), weight=0)
        for e in mentees:
            g.add_edge(("L", t), ("e", e), capacity=1, weight=-bonus[t])
    for (e, m), w in score.items():
        g.add_edge(("e", e), ("m", m), capacity=1, weight=-w)
    for m, cap in caps.items():
        g.add_edge(("m", m), "t", capacity=int(cap), weight=0)
    flow = nx.max_flow_min_cost(g, "s", "t")
    chosen = [(e, m) for (e, m) in score if flow[("e", e)].get(("m", m), 0) == 1]
    level = [sum(flow[("L", t)][("e", e)] for e in mentees) for t in range(k)]
    return chosen, level


def test_sample_caps_and_optimum_against_networkx(sample, lists):
    mentors = lists.mentors.set_index("mentor_id")
    cap = sample.mentors.set_index("mentor_id")["capacity"]
    assert (mentors["exposure_cap"] == np.ceil(1.5 * cap.reindex(mentors.index))).all()
    on = lists.options["mentor_id"].value_counts().reindex(mentors.index, fill_value=0)
    assert (on <= mentors["exposure_cap"]).all()
    assert (on == mentors["lists"]).all()
    assert not lists.options.duplicated(["mentee_id", "mentor_id"]).any()
    assert lists.options.groupby("mentee_id").size().max() <= 3
    allowed = _allowed(sample)
    ok = set(zip(allowed["mentee_id"], allowed["mentor_id"], strict=True))
    assert all(
        p in ok for p in zip(lists.options["mentee_id"], lists.options["mentor_id"], strict=True)
    )
    chosen, level = _networkx_levels(
        allowed, mentors["exposure_cap"].to_dict(), 3, list(sample.mentees["mentee_id"])
    )
    sizes = lists.options.groupby("mentee_id").size()
    assert [int((sizes >= t + 1).sum()) for t in range(3)] == level
    nx_total = allowed.set_index(["mentee_id", "mentor_id"]).loc[chosen, "score"].sum()
    assert lists.total_score == pytest.approx(nx_total, abs=1e-6 * len(chosen))
    assert lists.total_score == pytest.approx(lists.options["score"].sum())


def test_every_mentee_gets_k_when_the_caps_allow(sample):
    s = shortlist(sample.mentors, sample.mentees, k=3, exposure=6)
    allowed = _allowed(sample).groupby("mentee_id").size()
    sizes = s.options.groupby("mentee_id").size().reindex(allowed.index, fill_value=0)
    assert (sizes == np.minimum(allowed, 3)).all()
    assert set(s.short["mentee_id"]) == set(allowed.index[allowed < 3])
    assert (s.short["reason"].str.startswith("only")).all()
    # ranks 1..n by score within each mentee
    for _, g in s.options.groupby("mentee_id"):
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        assert g["score"].is_monotonic_decreasing


def test_explanation_sums_to_score(lists):
    row = lists.options.iloc[0]
    parts = row["explanation"].split(": ", 1)[1].split(", ")
    total = sum(float(p.rsplit("+", 1)[1]) for p in parts)
    assert total == pytest.approx(row["score"], abs=0.05 * len(parts))


def test_simulation_is_deterministic_and_bounded(sample, lists):
    a = lists.simulate_choices(n=5, seed=3, model="logit", decline=0.3)
    b = lists.simulate_choices(n=5, seed=3, model="logit", decline=0.3)
    pd.testing.assert_frame_equal(a, b)
    cap = int(sample.mentors["capacity"].sum())
    assert a.loc["paired", "max"] <= min(cap, len(sample.mentees))
    first = lists.simulate_choices(n=2, seed=0)
    assert first.loc["declines", "max"] == 0
    # without declines every mentor place is taken (lists cover every mentor) by round 5
    assert first.loc["paired", "mean"] == min(cap, len(sample.mentees))
    with pytest.raises(InvalidArgumentError):
        lists.simulate_choices(n=2, model="best")
    with pytest.raises(InvalidArgumentError):
        lists.simulate_choices(n=2, decline=1.5)


def test_resolve_everyone_picks_the_same_mentor(sample, lists):
    opts = lists.options
    top = opts["mentor_id"].value_counts().index[0]
    choosers = opts.loc[opts["mentor_id"] == top, "mentee_id"]
    choices = pd.DataFrame({"mentee_id": choosers, "mentor_id": top})
    res = lists.resolve(choices)
    cap = int(sample.mentors.set_index("mentor_id").loc[top, "capacity"])
    assert len(res.pairs) == min(cap, len(choosers))
    scores = opts[opts["mentor_id"] == top].set_index("mentee_id")["score"]
    kept = scores.loc[res.pairs["mentee_id"]]
    assert kept.min() >= scores.drop(res.pairs["mentee_id"]).max()
    assert set(res.lost_out["mentee_id"]) == set(choosers) - set(res.pairs["mentee_id"])
    # re-offers: only the losers, never the full mentor, within the remaining caps
    re = res.reoffer.options
    assert set(re["mentee_id"]) <= set(res.lost_out["mentee_id"])
    assert top not in set(re["mentor_id"])
    assert len(re) > 0


def test_resolve_ranked_choices_is_stable(lists):
    opts = lists.options
    choices = opts.rename(columns={"rank": "r"}).assign(rank=lambda d: d["r"])
    res = lists.resolve(choices[["mentee_id", "mentor_id", "rank"]])
    assert res.pairs["mentee_id"].is_unique
    held = dict(zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True))
    cap = lists.mentors.set_index("mentor_id")["capacity"]
    load = res.pairs["mentor_id"].value_counts()
    assert (load <= cap.reindex(load.index)).all()
    score = opts.set_index(["mentee_id", "mentor_id"])["score"]
    for e, g in opts.groupby("mentee_id"):
        mine = held.get(e)
        for m, r in zip(g["mentor_id"], g["rank"], strict=True):
            if mine is not None and r >= g.loc[g["mentor_id"] == mine, "rank"].iloc[0]:
                break
            # e prefers m to its outcome: m must be full of mentees it prefers to e
            mates = res.pairs.loc[res.pairs["mentor_id"] == m, "mentee_id"]
            assert len(mates) == cap[m]
            assert all(
                score[(x, m)] > score[(e, m)] or (score[(x, m)] == score[(e, m)] and x < e)
                for x in mates
            )


def test_resolve_refuses_bad_choices(lists):
    e = lists.options["mentee_id"].iloc[0]
    m_on = lists.options["mentor_id"].iloc[0]
    off = sorted(
        set(lists.mentors["mentor_id"])
        - set(lists.options.loc[lists.options["mentee_id"] == e, "mentor_id"])
    )[0]
    with pytest.raises(DataValidationError, match="row 2, column 'mentee_id'.*unknown mentee"):
        lists.resolve(pd.DataFrame({"mentee_id": ["NOPE"], "mentor_id": [m_on]}))
    with pytest.raises(DataValidationError, match="unknown mentor id: \\['M999'\\]"):
        lists.resolve(pd.DataFrame({"mentee_id": [e], "mentor_id": ["M999"]}))
    with pytest.raises(DataValidationError, match="not on the mentee's shortlist"):
        lists.resolve(pd.DataFrame({"mentee_id": [e, e], "mentor_id": [m_on, off], "rank": [1, 2]}))
    with pytest.raises(DataValidationError, match="same rank used twice"):
        lists.resolve(
            pd.DataFrame({"mentee_id": [e, e], "mentor_id": [m_on, m_on], "rank": [1, 1]})
        )
    with pytest.raises(DataValidationError, match="rank is not a whole number"):
        lists.resolve(pd.DataFrame({"mentee_id": [e], "mentor_id": [m_on], "rank": [1.5]}))
    with pytest.raises(DataValidationError, match="column 'mentor_id': column is missing"):
        lists.resolve(pd.DataFrame({"mentee_id": [e]}))
    with pytest.raises(InvalidArgumentError):
        lists.resolve([("E001", "M001")])


def test_arguments(sample):
    with pytest.raises(InvalidArgumentError, match="argument 'k'"):
        shortlist(sample.mentors, sample.mentees, k=0)
    with pytest.raises(InvalidArgumentError, match="argument 'exposure'"):
        shortlist(sample.mentors, sample.mentees, exposure=math.nan)


def test_shortlist_prints_nothing(sample, capfd, monkeypatch):
    """No HiGHS banner or log in the output (a notebook shows what descriptor 1 receives).

    Under ``capfd`` ``sys.stdout.fileno()`` is not descriptor 1, as in a Jupyter kernel: the
    banner of the first HiGHS instance must still be silenced."""
    monkeypatch.setattr(highs_start, "_HIGHS_BANNER_SHOWN", False)
    shortlist(sample.mentors, sample.mentees, k=2, exposure=1.5)
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""


# ---------------------------------------------------------------- flow path (many pairs)
@st.composite
def _instances(draw):
    """Random lists problems up to 40 x 15: capacities 0-3, forbidden pairs, tied scores."""
    n, m = draw(st.integers(1, 40)), draw(st.integers(1, 15))
    k = draw(st.integers(1, 4))
    exposure = draw(st.sampled_from([0.5, 1.0, 1.5, 2.0]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    caps = _caps(rng.integers(0, 4, m), exposure)
    score = np.round(rng.uniform(0, 100, (n, m)), draw(st.integers(0, 3)))
    allowed = (rng.random((n, m)) < draw(st.floats(0.1, 1.0))) & (caps > 0)[None, :]
    return score, allowed, k, caps


def _levels(rows, n, k):
    d = np.bincount(rows, minlength=n)
    return [int((d >= t).sum()) for t in range(1, k + 1)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_instances())
def test_flow_lists_have_the_optimum_of_the_highs_stages(inst):
    score, allowed, k, caps = inst
    n, m = allowed.shape
    r, c = np.nonzero(allowed)
    if len(r) == 0:
        return
    hr, hc = _highs_lists(score, r, c, n, m, k, caps)
    fr, fc = solve_lists_flow(score, r, c, n, m, k, caps)
    # stage A alone gives the level counts of the LP stages
    assert level_counts(r, c, n, m, k, caps).tolist() == _levels(hr, n, k)
    assert _levels(fr, n, k) == _levels(hr, n, k)
    assert len(fr) == len(hr)
    assert score[fr, fc].sum() == pytest.approx(score[hr, hc].sum(), abs=1e-6)
    assert allowed[fr, fc].all()
    assert (np.bincount(fc, minlength=m) <= caps).all()
    assert len(set(zip(fr.tolist(), fc.tolist(), strict=True))) == len(fr)


def test_shortlist_uses_highs_below_the_threshold(sample, lists, monkeypatch):
    def refuse(*args):
        raise AssertionError("flow path used below the threshold")

    monkeypatch.setattr(shortlist_module, "solve_lists_flow", refuse)
    again = shortlist(sample.mentors, sample.mentees, k=3, exposure=1.5)
    pd.testing.assert_frame_equal(again.options, lists.options)


def test_shortlist_flow_path_on_the_sample(sample, lists, monkeypatch):
    calls = []

    def spy(*args):
        calls.append(len(args[1]))
        return solve_lists_flow(*args)

    monkeypatch.setattr(shortlist_module, "_FLOW_PAIRS", 0)
    monkeypatch.setattr(shortlist_module, "solve_lists_flow", spy)
    flow = shortlist(sample.mentors, sample.mentees, k=3, exposure=1.5)
    assert len(calls) == 1
    assert flow.total_score == pytest.approx(lists.total_score, abs=1e-6)
    sizes = flow.options.groupby("mentee_id").size()
    assert (
        sizes.value_counts()
        .sort_index()
        .equals(lists.options.groupby("mentee_id").size().value_counts().sort_index())
    )
    # same number of short mentees; which ones may differ between equally good lists
    assert len(flow.short) == len(lists.short)
    mentors = flow.mentors.set_index("mentor_id")
    assert (mentors["lists"] <= mentors["exposure_cap"]).all()
    assert not flow.options.duplicated(["mentee_id", "mentor_id"]).any()
    # and against the independent networkx solve
    chosen, level = _networkx_levels(
        _allowed(sample), mentors["exposure_cap"].to_dict(), 3, list(sample.mentees["mentee_id"])
    )
    assert [int((sizes >= t + 1).sum()) for t in range(3)] == level


def test_lost_out_reason_in_the_language_asked(lists):
    opts = lists.options
    top = opts["mentor_id"].value_counts().index[0]
    choosers = opts.loc[opts["mentor_id"] == top, "mentee_id"]
    choices = pd.DataFrame({"mentee_id": choosers, "mentor_id": top})
    en = lists.resolve(choices, lang="en").lost_out
    fr = lists.resolve(choices, lang="fr").lost_out
    assert len(en) > 0 and en["mentee_id"].equals(fr["mentee_id"])
    assert set(en["reason"]) == {"every mentor chosen was full"}
    assert set(fr["reason"]) == {"tous les mentor·es choisi·es étaient complet·es"}
