"""Flash mentoring: the meetings against brute force, the rounds against their definition."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ementor_kit import InvalidArgumentError, flash_sessions, load_sample, score_pairs
from ementor_kit.matching.flash import _rounds
from tests._pairing_data import profiles


def _brute(s: pd.DataFrame, meetings: int, limit: int) -> tuple[int, float]:
    """Most meetings, then best total score, over every subset of the allowed pairs."""
    ok = s[s["feasible"]].reset_index(drop=True)
    best = (0, 0.0)
    for k in range(1, len(ok) + 1):
        for sub in itertools.combinations(range(len(ok)), k):
            rows = ok.iloc[list(sub)]
            if rows["mentee_id"].value_counts().max() > meetings:
                continue
            if rows["mentor_id"].value_counts().max() > limit:
                continue
            best = max(best, (k, round(float(rows["score"].sum()), 7)))
    return best


def _valid_rounds(out, per_round: int) -> None:
    s = out.sessions
    if s.empty:
        return
    assert s["round"].between(1, out.rounds).all()
    assert s.groupby(["round", "mentee_id"]).size().max() == 1
    assert s.groupby(["round", "mentor_id"]).size().max() <= per_round
    assert not s.duplicated(["mentee_id", "mentor_id"]).any()


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    n_m=st.integers(1, 3),
    n_e=st.integers(1, 4),
    meetings=st.integers(1, 3),
    extra_rounds=st.integers(0, 1),
    per_round=st.integers(1, 2),
)
def test_meetings_equal_brute_force_and_rounds_are_valid(
    seed, n_m, n_e, meetings, extra_rounds, per_round
):
    mentors, mentees = profiles(seed, n_m, n_e, n_langs=2)
    rounds = meetings + extra_rounds
    out = flash_sessions(mentors, mentees, meetings=meetings, rounds=rounds, per_round=per_round)
    s = score_pairs(mentors, mentees)
    if s["feasible"].sum() > 10:  # keep the enumeration small
        return
    key = (len(out.sessions), round(out.total_score, 7))
    assert key == _brute(s, meetings, rounds * per_round)
    _valid_rounds(out, per_round)
    assert out.proven_optimal


def test_on_the_sample_the_meetings_equal_an_independent_min_cost_flow():
    p = load_sample()
    out = flash_sessions(p.mentors, p.mentees, meetings=3, rounds=4)
    _valid_rounds(out, 1)
    # networkx network simplex on integer costs: scores are scaled by 1e6 and rounded, which
    # can only reorder solutions whose totals differ by less than 1e-6 points per meeting
    s = score_pairs(p.mentors, p.mentees, feasible_only=True)
    g = nx.DiGraph()
    for e in s["mentee_id"].unique():
        g.add_edge("s", ("e", e), capacity=3, weight=0)
    for m in s["mentor_id"].unique():
        g.add_edge(("m", m), "t", capacity=4, weight=0)
    for e, m, v in s[["mentee_id", "mentor_id", "score"]].itertuples(index=False):
        g.add_edge(("e", e), ("m", m), capacity=1, weight=-round(v * 1e6))
    flow = nx.max_flow_min_cost(g, "s", "t")
    n_flow = sum(flow["s"].values())
    total = -nx.cost_of_flow(g, flow) / 1e6
    assert len(out.sessions) == n_flow
    assert out.total_score == pytest.approx(total, abs=1e-6 * n_flow)
    assert (out.mentors["n_meetings"] <= 4).all()
    # everyone accounted for: a mentee short of meetings has a reason
    short = out.mentees[out.mentees["short_by"] > 0]
    assert (short["reason"] != "").all()
    assert set(out.mentees["mentee_id"]) == set(p.mentees["mentee_id"])


def test_a_mentee_blocked_by_hard_rules_is_short_with_that_reason():
    mentors, mentees = profiles(3, 2, 2)
    mentees.loc[0, "languages"] = "de"  # no mentor speaks it: the language rule excludes all
    out = flash_sessions(mentors, mentees, meetings=2)
    row = out.mentees.set_index("mentee_id").loc["E001"]
    assert row["n_meetings"] == 0 and row["short_by"] == 2
    assert row["reason"] == "0 mentors allowed (hard rules exclude the others)"


def test_booked_mentors_give_their_own_reason_and_the_limit_holds():
    mentors, mentees = profiles(5, 1, 4, n_langs=1)
    out = flash_sessions(mentors, mentees, meetings=1, rounds=2, mentor_limit=2)
    assert len(out.sessions) == 2
    assert (out.mentees["reason"] == "the mentors it may meet are fully booked").sum() == 2
    assert out.mentors["limit"].tolist() == [2]


def test_the_schedule_is_deterministic():
    p = load_sample()
    a = flash_sessions(p.mentors, p.mentees, meetings=3)
    b = flash_sessions(p.mentors, p.mentees, meetings=3)
    pd.testing.assert_frame_equal(a.sessions, b.sessions)


def test_planned_sessions_follow_the_rounds():
    mentors, mentees = profiles(2, 2, 3, n_langs=1)
    out = flash_sessions(mentors, mentees, meetings=2)
    plan = out.planned("2026-10-01T18:00:00+02:00", round_minutes=20, break_minutes=5)
    first = pd.Timestamp("2026-10-01T16:00:00Z")
    expected = first + (out.sessions["round"].to_numpy() - 1) * pd.Timedelta(minutes=25)
    assert (plan["start"].to_numpy() == pd.DatetimeIndex(expected).to_numpy()).all()
    assert (plan["duration_minutes"] == 20).all()
    assert plan["planned_session_id"].is_unique
    with pytest.raises(InvalidArgumentError, match="no time zone"):
        out.planned("2026-10-01T18:00")


@pytest.mark.parametrize(
    "kwargs",
    [{"meetings": 0}, {"meetings": 2, "rounds": 1}, {"per_round": 1.5}, {"mentor_limit": True}],
)
def test_bad_counts_are_refused_by_name(kwargs):
    mentors, mentees = profiles(1, 1, 1)
    with pytest.raises(InvalidArgumentError):
        flash_sessions(mentors, mentees, **kwargs)


@pytest.mark.parametrize(
    ("n", "m", "per_round", "rounds"), [(4, 4, 1, 4), (8, 4, 2, 4), (6, 3, 2, 3)]
)
def test_rounds_colour_complete_bipartite_graphs_in_the_fewest_rounds(n, m, per_round, rounds):
    # every mentee meets every mentor: König's bound is tight, every round is needed
    rows, cols = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
    colour = _rounds(rows, cols, n, per_round, rounds)
    table = pd.DataFrame({"e": rows, "m": cols, "c": colour})
    assert colour.min() == 0 and colour.max() == rounds - 1
    assert table.groupby(["c", "e"]).size().max() == 1
    assert table.groupby(["c", "m"]).size().max() <= per_round
