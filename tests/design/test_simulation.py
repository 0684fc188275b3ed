import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.stats.power import TTestPower

from ementor_kit.datasets import sample_dir
from ementor_kit.design import (
    ProgrammeDesign,
    SimulationAssumptions,
    compare_designs,
    simulate,
)
from ementor_kit.design import simulation as dmod
from ementor_kit.errors import ArgumentTypeError, EmentorKitError
from ementor_kit.matching import score_pairs

DESIGNS = sample_dir() / "designs"
SMALL = ProgrammeDesign(
    name="small", n_mentees=40, n_mentors=14, mentor_capacity=2, duration_weeks=12
)
HYP = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _problems(exc_info) -> list[tuple[str, str | None]]:
    return [(p.file, p.column) for p in exc_info.value.problems]


# ------------------------------------------------------------------ validation
# ------------------------------------------------------------------ simulation
def _clear_caches():
    dmod._cohort.cache_clear()
    dmod._matched.cache_clear()


def _frames(res):
    return [res.pairs, res.unmatched, res.retention, res.mentor_load, res.evaluation]


def test_simulate_is_deterministic_even_without_caches():
    a = simulate(SMALL, seed=5)
    _clear_caches()
    b = simulate(SMALL, seed=5)
    for x, y in zip(_frames(a), _frames(b), strict=True):
        pd.testing.assert_frame_equal(x, y)
        assert x.to_csv(index=False) == y.to_csv(index=False)
    assert a.summary() == b.summary() or all(
        (x == y) or (isinstance(x, float) and math.isnan(x) and math.isnan(y))
        for x, y in zip(a.summary().values(), b.summary().values(), strict=True)
    )
    c = simulate(SMALL, seed=6)
    assert not c.pairs[["mentee_id", "mentor_id"]].equals(a.pairs[["mentee_id", "mentor_id"]])


def test_simulate_accepts_yaml_and_dicts():
    path = DESIGNS / "short_async_first.yaml"
    d = ProgrammeDesign.from_yaml(path)
    small = d.replace(n_mentees=30, n_mentors=12)
    r1 = simulate(small.to_yaml(), seed=2)
    r2 = simulate(small.to_dict(), seed=2, assumptions={"weekly_fade_hazard": 0.025})
    pd.testing.assert_frame_equal(r1.retention, r2.retention)
    with pytest.raises(EmentorKitError, match="seed"):
        simulate(small, seed=-1)
    with pytest.raises(ArgumentTypeError, match="argument 'design': int 42"):
        simulate(42)


def test_every_mentee_is_paired_or_reported():
    d = ProgrammeDesign(
        name="tight", n_mentees=50, n_mentors=10, mentor_capacity=3, duration_weeks=6
    )
    res = simulate(d, seed=4)
    ids = sorted(res.pairs["mentee_id"].tolist() + res.unmatched["mentee_id"].tolist())
    assert ids == [f"E{i:03d}" for i in range(1, 51)]
    assert len(res.unmatched) >= 50 - 30
    assert res.unmatched["reason"].str.len().min() > 0
    assert res.summary()["coverage"] == len(res.pairs) / 50


def _max_cardinality(design, seed):
    """Independent coverage check: maximum flow over the pairs the hard rules allow."""
    mentors, mentees = dmod._cohort(design.n_mentees, design.n_mentors, seed)
    allowed = score_pairs(mentors, mentees, feasible_only=True)
    g = nx.DiGraph()
    seats = design.mentor_capacity * design.group_size
    for e in mentees["mentee_id"]:
        g.add_edge("s", ("e", e), capacity=1)
    for m in mentors["mentor_id"]:
        g.add_edge(("m", m), "t", capacity=seats)
    for e, m in zip(allowed["mentee_id"], allowed["mentor_id"], strict=True):
        g.add_edge(("e", e), ("m", m), capacity=1)
    return nx.maximum_flow_value(g, "s", "t")


@HYP
@given(
    seed=st.integers(0, 50), caps=st.lists(st.integers(1, 4), min_size=2, max_size=2, unique=True)
)
def test_more_capacity_never_lowers_coverage(seed, caps):
    lo, hi = sorted(caps)
    base = ProgrammeDesign(
        name="c", n_mentees=36, n_mentors=12, mentor_capacity=lo, duration_weeks=4
    )
    r_lo = simulate(base, seed=seed)
    r_hi = simulate(base.replace(mentor_capacity=hi), seed=seed)
    assert r_hi.summary()["n_matched"] >= r_lo.summary()["n_matched"]
    # coverage is the exact maximum: equal to an independent max-flow computation
    assert r_lo.summary()["n_matched"] == _max_cardinality(base, seed)


@HYP
@given(
    seed=st.integers(0, 50), sizes=st.lists(st.integers(2, 6), min_size=2, max_size=2, unique=True)
)
def test_larger_groups_never_lower_coverage(seed, sizes):
    lo, hi = sorted(sizes)
    base = ProgrammeDesign(
        name="g",
        n_mentees=36,
        n_mentors=8,
        mentor_capacity=1,
        format="group",
        group_size=lo,
        duration_weeks=4,
    )
    r_lo = simulate(base, seed=seed)
    r_hi = simulate(base.replace(group_size=hi), seed=seed)
    assert r_hi.summary()["n_matched"] >= r_lo.summary()["n_matched"]
    assert r_hi.summary()["n_matched"] == _max_cardinality(base.replace(group_size=hi), seed)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 3),
    cadences=st.lists(st.integers(1, 180), min_size=2, max_size=2),
    sync=st.floats(0, 1),
    fmt=st.sampled_from(["one_to_one", "group"]),
    structure=st.sampled_from(["formal", "informal"]),
    hazard=st.floats(0.001, 0.3),
)
def test_more_frequent_checkins_never_lower_retention(seed, cadences, sync, fmt, structure, hazard):
    often, rarely = sorted(cadences)
    base = ProgrammeDesign(
        name="r",
        n_mentees=40,
        n_mentors=14,
        mentor_capacity=2,
        format=fmt,
        group_size=3 if fmt == "group" else 1,
        duration_weeks=20,
        sync_share=sync,
        structure=structure,
        checkin_every_days=rarely,
    )
    a = SimulationAssumptions(weekly_fade_hazard=hazard)
    r_rare = simulate(base, seed=seed, assumptions=a)
    r_often = simulate(base.replace(checkin_every_days=often), seed=seed, assumptions=a)
    assert (r_often.retention["n_active"] >= r_rare.retention["n_active"]).all()
    assert (
        r_often.retention["expected_active_share"] >= r_rare.retention["expected_active_share"]
    ).all()
    # pair by pair: every pair lasts at least as long
    last = base.duration_weeks + 1
    w_often = r_often.pairs["fade_week"].fillna(last).to_numpy()
    w_rare = r_rare.pairs["fade_week"].fillna(last).to_numpy()
    assert (w_often >= w_rare).all()


def test_hazard_model_matches_the_documented_formula():
    a = SimulationAssumptions()
    d = ProgrammeDesign(
        name="h",
        n_mentees=60,
        n_mentors=20,
        duration_weeks=10,
        sync_share=0.7,
        checkin_every_days=21,
        structure="informal",
    )
    res = simulate(d, seed=9, assumptions=a)
    p = res.pairs
    mentors, mentees = dmod._cohort(60, 20, 9)
    off = dict(zip(mentees["mentee_id"], mentees["utc_offset"], strict=True))
    off |= dict(zip(mentors["mentor_id"], mentors["utc_offset"], strict=True))
    for row in p.itertuples():
        dist = abs(off[row.mentee_id] - off[row.mentor_id]) % 24
        dist = min(dist, 24 - dist)
        h = (
            0.025
            * 1.8  # informal: informal_hazard_ratio in place of the check-in factor
            * (1 + 1.5 * (0.7 - 0.4) ** 2)
            * (1 + 0.05 * dist * 0.7)
            * 0.85 ** ((row.score - 50) / 10)
        )
        assert row.distance_hours == pytest.approx(dist)
        assert row.weekly_hazard == pytest.approx(h, rel=1e-12)
        s_end = (1 - min(1, 1.5 * h)) ** 4 * (1 - h) ** 6
        assert row.p_active_end == pytest.approx(s_end, rel=1e-12)
    assert res.retention["expected_active_share"].iloc[-1] == pytest.approx(
        p["p_active_end"].mean()
    )
    assert (p["distance_hours"] > 0).any()


def test_retention_counts_agree_with_fade_weeks_and_the_model():
    d = ProgrammeDesign(name="k", n_mentees=300, n_mentors=90, duration_weeks=26)
    res = simulate(d, seed=2026)
    p, r = res.pairs, res.retention
    fw = p["fade_week"]
    for week, n_active in zip(r["week"], r["n_active"], strict=True):
        assert n_active == int((fw.isna() | (fw > week)).sum())
    assert (p["active_end"] == fw.isna()).all()
    assert r["n_active"].is_monotonic_decreasing and r.loc[0, "active_share"] == 1.0
    # simulated share within 4 binomial standard errors of the model share, every week
    n = len(p)
    se = np.sqrt(r["expected_active_share"] * (1 - r["expected_active_share"]) / n)
    assert ((r["active_share"] - r["expected_active_share"]).abs() <= 4 * se + 1e-12).all()


def test_mentor_load_and_groups():
    d = ProgrammeDesign(
        name="grp",
        n_mentees=70,
        n_mentors=9,
        mentor_capacity=2,
        format="group",
        group_size=4,
        duration_weeks=8,
    )
    res = simulate(d, seed=3)
    load, p = res.mentor_load, res.pairs
    assert load["mentor_id"].is_monotonic_increasing and len(load) == 9
    assert load["n_mentees"].sum() == len(p)
    assert (load["n_mentees"] <= load["seats"]).all() and (load["seats"] == 8).all()
    assert (load["n_groups"] <= 2).all()
    sizes = p.groupby(["mentor_id", "group_id"]).size()
    assert sizes.max() <= 4
    spread = sizes.groupby(level=0).agg(lambda s: s.max() - s.min())
    assert (spread <= 1).all()  # balanced groups
    by_mentor = p.groupby("mentor_id")["group_id"].nunique()
    assert (load.set_index("mentor_id")["n_groups"].loc[by_mentor.index] == by_mentor).all()
    assert res.summary()["max_load"] == load["n_mentees"].max()
    # check-ins are per group: recompute from the pairs' fade weeks
    last = d.duration_weeks + 1
    fade = p.assign(w=p["fade_week"].fillna(last)).groupby("group_id")["w"].max()
    starts = sum(int((fade > week - 1).sum()) for week in range(1, d.duration_weeks + 1))
    assert res.summary()["expected_check_ins"] == pytest.approx(starts * 7 / d.checkin_every_days)


def test_informal_programmes_have_no_coordinator_check_ins():
    """Informal: pairs organise themselves; the check-in cadence is neither counted nor felt."""
    formal = SMALL.replace(checkin_every_days=7)
    informal = formal.replace(structure="informal")
    r_rare = simulate(informal.replace(checkin_every_days=90), seed=2)
    r_often = simulate(informal, seed=2)
    assert r_often.summary()["expected_check_ins"] == 0.0
    assert r_rare.summary()["expected_check_ins"] == 0.0
    pd.testing.assert_frame_equal(r_often.pairs, r_rare.pairs)  # the cadence is not used
    a = SimulationAssumptions()
    ratio = r_often.pairs["weekly_hazard"] / simulate(formal, seed=2).pairs["weekly_hazard"]
    expected = a.informal_hazard_ratio / (7 / a.reference_checkin_days) ** a.checkin_elasticity
    assert np.allclose(ratio, expected, rtol=1e-12)
    # with the default assumptions, no follow-up is no better than a check-in every 60 days
    monthly = simulate(SMALL.replace(checkin_every_days=60), seed=2).summary()
    assert r_often.summary()["expected_active_share_end"] <= monthly["expected_active_share_end"]


def test_a_group_of_one_gets_no_peer_support():
    d = ProgrammeDesign(
        name="g1",
        n_mentees=25,
        n_mentors=12,
        mentor_capacity=1,
        format="group",
        group_size=4,
        duration_weeks=8,
    )
    a = SimulationAssumptions(group_hazard_ratio=0.5)
    res = simulate(d, seed=3, assumptions=a)
    p = res.pairs
    size = p.groupby("group_id")["mentee_id"].transform("size")
    assert (size == 1).any() and (size >= 2).any()
    neutral = simulate(d, seed=3, assumptions=a.__class__(group_hazard_ratio=1.0)).pairs
    ratio = p["weekly_hazard"] / neutral["weekly_hazard"]
    assert np.allclose(ratio[size == 1], 1.0, rtol=1e-12)
    assert np.allclose(ratio[size >= 2], 0.5, rtol=1e-12)


def test_group_format_keeps_availability_as_hours_per_group():
    """Availability stays on in groups: a mentor's hours divided by groups, not by places."""
    d = ProgrammeDesign(
        name="gav",
        n_mentees=60,
        n_mentors=12,
        mentor_capacity=2,
        format="group",
        group_size=3,
        duration_weeks=8,
    )
    res = simulate(d, seed=5)
    mentors, mentees = dmod._cohort(60, 12, 5)
    rules = dmod._match_rules(tuple(mentors["mentor_id"]), 6, 3)
    assert rules.weights["availability"] > 0
    per_group = mentees.assign(availability_hours=mentees["availability_hours"] / 3)
    expect = score_pairs(mentors, per_group, rules).set_index(["mentee_id", "mentor_id"])["score"]
    got = res.pairs.set_index(["mentee_id", "mentor_id"])["score"]
    assert np.allclose(got, expect.loc[got.index].to_numpy(float), rtol=0, atol=1e-9)
    # independent arithmetic for the criterion: hours per group / wanted hours, capped at 1
    hours = dict(zip(mentors["mentor_id"], mentors["availability_hours"], strict=True))
    want = dict(zip(mentees["mentee_id"], mentees["availability_hours"], strict=True))
    sp = score_pairs(mentors, per_group, rules)
    share = np.minimum(1.0, sp["mentor_id"].map(hours) / 2 / sp["mentee_id"].map(want))
    points = sp["availability"] / share  # the column holds weighted points: a constant factor
    assert (share > 0).all() and np.allclose(points, points.iloc[0], rtol=1e-12)
    assert share.min() < 1  # the criterion does discriminate here


def test_one_to_one_checkins_count_pairs():
    res = simulate(SMALL, seed=1)
    r = res.retention
    expected = r["n_active"].iloc[:-1].sum() * 7 / SMALL.checkin_every_days
    assert res.summary()["expected_check_ins"] == pytest.approx(expected)
    assert res.pairs["group_id"].isna().all()


# ------------------------------------------------------------------ evaluation power
def test_evaluation_power_and_sample_against_statsmodels():
    d = ProgrammeDesign.from_yaml(DESIGNS / "six_month_mixed.yaml")
    res = simulate(d, seed=2026)
    ev = res.evaluation.iloc[0]
    s = res.summary()
    a = res.assumptions
    # expected completers recomputed from the pairs and the documented response model
    burden0 = 1 - a.response_drop_per_10_items * 10 / 10
    burden1 = 1 - a.response_drop_per_10_items * (10 + 12 + 9 + 8) / 10
    s_end = res.pairs["p_active_end"]
    p1 = (s_end * a.t1_response_active + (1 - s_end) * a.t1_response_faded) * burden1
    expected = float((a.t0_response_rate * burden0 * p1).sum())
    assert s["expected_t1_completers"] == pytest.approx(expected)
    assert s["n_analysed"] == math.floor(expected)
    ref = TTestPower().power(effect_size=0.3, nobs=s["n_analysed"], alpha=0.05)
    assert s["power"] == pytest.approx(ref, abs=1e-10)
    n_req = TTestPower().solve_power(effect_size=0.3, power=0.8, alpha=0.05)
    assert s["n_required"] == math.ceil(n_req)
    assert ev["items_T1"] == 39
    per = expected / d.n_mentees
    assert s["mentees_needed"] == math.ceil(s["n_required"] / per)


def test_group_design_effect():
    d = ProgrammeDesign.from_yaml(DESIGNS / "group_circles.yaml")
    a = SimulationAssumptions(group_outcome_icc=0.2)
    res = simulate(d, seed=8, assumptions=a)
    s = res.summary()
    n_groups = res.pairs["group_id"].nunique()
    assert n_groups == res.mentor_load["n_groups"].sum()
    m = s["expected_t1_completers"] / n_groups
    deff = 1 + (m - 1) * 0.2
    assert s["design_effect"] == pytest.approx(deff) and deff > 1
    assert s["n_analysed"] == math.floor(s["expected_t1_completers"] / deff)
    ref = TTestPower().power(effect_size=0.3, nobs=s["n_analysed"], alpha=0.05)
    assert s["power"] == pytest.approx(ref, abs=1e-10)
    per = s["expected_t1_completers"] / d.n_mentees
    assert s["mentees_needed"] == math.ceil(s["n_required"] * deff / per)
    # no clustering, no design effect; one-to-one never has one
    assert simulate(d, seed=8, assumptions={"group_outcome_icc": 0}).summary()["design_effect"] == 1
    assert simulate(SMALL, seed=8, assumptions=a).summary()["design_effect"] == 1


def test_power_is_zero_without_a_testable_sample():
    d = ProgrammeDesign(name="tiny", n_mentees=2, n_mentors=1, mentor_capacity=1, duration_weeks=4)
    res = simulate(d, seed=1)
    assert res.summary()["n_analysed"] < 2 and res.summary()["power"] == 0.0


# ------------------------------------------------------------------ comparison
def test_compare_designs_rows_are_the_summaries():
    a = SMALL
    b = SMALL.replace(name="weekly", checkin_every_days=7)
    table = compare_designs([a, b], seed=11)
    assert table.index.tolist() == ["small", "weekly"]
    for d in (a, b):
        s = simulate(d, seed=11).summary()
        row = table.loc[d.name]
        for k, v in s.items():
            if k == "design":
                continue
            assert row[k] == v or (isinstance(v, float) and math.isnan(v) and math.isnan(row[k]))
    assert table.loc["weekly", "active_share_end"] >= table.loc["small", "active_share_end"]
    assert table.loc["weekly", "expected_check_ins"] > table.loc["small", "expected_check_ins"]
    with pytest.raises(EmentorKitError, match="give each design its own name"):
        compare_designs([a, a])
    with pytest.raises(EmentorKitError, match="No design"):
        compare_designs([])


def test_overload_and_practice_factors_of_the_hazard():
    a = SimulationAssumptions()
    light = ProgrammeDesign(name="l", n_mentees=60, n_mentors=30, mentor_capacity=3)
    heavy = light.replace(mentor_capacity=10)
    r_light, r_heavy = simulate(light, seed=4), simulate(heavy, seed=4)
    # the same pairing without the overload cost: the ratio is the mentor's overload factor
    r_free = simulate(heavy, seed=4, assumptions={"overload_hazard_per_extra": 0})
    load = r_heavy.pairs["mentor_id"].map(r_heavy.pairs.groupby("mentor_id").size())
    assert (load > 3).any()
    factor = 1 + 0.15 * np.maximum(0, load - 3)
    ratio = r_heavy.pairs["weekly_hazard"] / r_free.pairs["weekly_hazard"]
    assert np.allclose(ratio, factor, rtol=1e-12)
    # practices: no training, no digital training, no first meeting
    bare = light.replace(
        practice={"training_hours": 0, "digital_training": False, "first_meeting": False}
    )
    r_bare = simulate(bare, seed=4)
    _, mentees = dmod._cohort(60, 30, 4)
    low = r_bare.pairs["mentee_id"].map(mentees.set_index("mentee_id")["digital_comfort"]) <= 2
    ratio = r_bare.pairs["weekly_hazard"] / r_light.pairs["weekly_hazard"]
    assert low.any() and (~low).any()
    assert np.allclose(ratio[~low], a.untrained_hazard_ratio, rtol=1e-12)
    assert np.allclose(ratio[low], a.untrained_hazard_ratio * a.low_digital_hazard_ratio)
    # the early weeks without a first meeting: survival after the early weeks
    h = r_bare.pairs["weekly_hazard"].to_numpy()
    early = np.minimum(1, h * a.early_hazard_ratio * a.no_initiation_early_ratio)
    s_end = (1 - early) ** a.early_weeks * (1 - h) ** (bare.duration_weeks - a.early_weeks)
    assert np.allclose(r_bare.pairs["p_active_end"], s_end, rtol=1e-12)
