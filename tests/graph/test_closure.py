"""Closure: recorded ends and planned ends, by hand and on the sample pilot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ementor_kit import DataValidationError, engagement, load_sample, retention
from ementor_kit.graph.survival import _aalen_johansen

PAIRS = pd.DataFrame(
    {
        "mentee_id": ["E1", "E2", "E3", "E4", "E5"],
        "mentor_id": ["M1", "M1", "M2", "M2", "M2"],
        "matched_on": ["2026-01-05"] * 5,
        "planned_end": ["2026-04-27"] * 5,
        "ended_on": ["2026-02-02", "2026-04-27", "", "", ""],
        "end_reason": ["mentee_left", "programme_ended", "", "", ""],
    }
)


def _log(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "interaction_id": [f"I{k}" for k in range(len(rows))],
            "timestamp": [r[0] for r in rows],
            "sender_id": [r[1] for r in rows],
            "recipient_id": [r[2] for r in rows],
            "channel": ["chat"] * len(rows),
            "duration_minutes": [None] * len(rows),
            "session_id": [None] * len(rows),
        }
    )


LOG = _log(
    [
        ("2026-01-10T10:00Z", "E1", "M1"),
        ("2026-04-20T10:00Z", "E2", "M1"),
        ("2026-04-25T10:00Z", "E3", "M2"),  # in contact 2 days before its planned end
        ("2026-01-12T10:00Z", "E4", "M2"),  # silent from January: not a planned end
    ]
)


def test_worked_example_by_hand():
    t = engagement(LOG, PAIRS, as_of="2026-06-01").table.set_index("mentee_id")
    assert t["status"].tolist() == [
        "closed_early",
        "completed",
        "completed",
        "closed_early",
        "closed_early",
    ]
    assert t["needs_action"].tolist() == [False, False, False, True, True]
    assert t["end_reason"].tolist() == [
        "mentee_left",
        "programme_ended",
        "completed",
        "inactive",
        "inactive",
    ]
    assert t.loc["E1", "status_reason"] == "ended on 2026-02-02 (mentee_left)"
    assert t.loc["E3", "status_reason"] == "planned end 2026-04-27 reached"
    assert t.loc["E4", "status_reason"] == (
        "silent 105.6 days at its planned end 2026-04-27 (> 90): record its closure"
    )
    assert t.loc["E5", "status_reason"].startswith("no exchange at its planned end")
    assert t.loc["E4", "ended_on"] == pd.Timestamp("2026-01-12")
    # before the planned end the silence rules still apply
    early = engagement(LOG, PAIRS, as_of="2026-03-01").table.set_index("mentee_id")
    assert early.loc["E1", "status"] == "closed_early"
    assert early.loc["E4", "status"] == "at_risk"


def test_inconsistent_closures_are_refused_with_rows():
    bad = PAIRS.assign(end_reason=["mentee_left", "", "", "", ""])
    with pytest.raises(DataValidationError, match=r"row 3.*ended_on without end_reason"):
        engagement(LOG, bad, as_of="2026-06-01")
    bad = PAIRS.assign(ended_on=["2025-12-01", "2026-04-27", "", "", ""])
    with pytest.raises(DataValidationError, match="ended before it was matched"):
        engagement(LOG, bad, as_of="2026-06-01")


def test_retention_censors_planned_ends_and_counts_early_closures():
    ret = retention(engagement(LOG, PAIRS, as_of="2026-06-01"))
    assert ret.n_completed == 2 and ret.n_ended == 3
    inc = ret.incidence.pivot(index="week", columns="end_reason", values="cumulative_incidence")
    assert sorted(inc.columns) == ["inactive", "mentee_left"]
    # week 0: E5 never exchanged (inactive at 0); 1.06 weeks: E4's last exchange; week 4:
    # E1 left (28 days); E2 and E3 are censored at their planned end (16 weeks)
    assert inc.loc[1, "inactive"] == pytest.approx(1 / 5)
    assert inc.loc[2, "inactive"] == pytest.approx(2 / 5)
    assert inc.loc[4, "mentee_left"] == pytest.approx(1 / 5)
    last = ret.table["survival"].iloc[-1]
    assert inc.iloc[-1].sum() == pytest.approx(1 - last)


def _product_integral(times, cause, causes):
    """Aalen-Johansen as a product of transition matrices (state 0 -> one absorbing state per
    cause), an implementation independent of the cumulative-sum formula."""
    k = len(causes)
    p = np.eye(k + 1)
    out = {}
    for t in np.unique(times):
        at = times >= t
        n = at.sum()
        step = np.eye(k + 1)
        for j, c in enumerate(causes):
            d = ((times == t) & (cause == c)).sum()
            step[0, j + 1] = d / n
            step[0, 0] -= d / n
        p = p @ step
        out[t] = p[0, 1:].copy()
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_aalen_johansen_equals_the_product_integral(seed):
    rng = np.random.default_rng(seed)
    times = rng.integers(0, 30, 200).astype(float)
    cause = rng.choice(["mentee_left", "mentor_left", "inactive", ""], 200).astype(object)
    causes = ["mentee_left", "mentor_left", "inactive"]
    t, cif = _aalen_johansen(times, cause, causes)
    ref = _product_integral(times, cause, causes)
    for i, ti in enumerate(t):
        got = np.array([cif[c][i] for c in causes])
        np.testing.assert_allclose(got, ref[ti], rtol=0, atol=1e-12)


def test_sample_pilot_with_planned_ends_at_week_16():
    s = load_sample()
    pairs = s.pairs.assign(planned_end=s.pairs["matched_on"] + pd.Timedelta(weeks=16))
    as_of = (pairs["planned_end"].max() + pd.Timedelta(days=1)).date().isoformat()
    plain = engagement(s.interactions, s.pairs, as_of=as_of).table
    closed = engagement(s.interactions, pairs, as_of=as_of).table
    done = closed["status"] == "completed"
    assert done.sum() > 0
    assert not closed.loc[done, "needs_action"].any()  # no completed pair is flagged
    # a pair silent at its planned end is an early closure, with the closure to record
    early = closed["status"] == "closed_early"
    assert (closed.loc[early, "end_reason"] == "inactive").all()
    assert closed.loc[early, "needs_action"].all()
    assert plain["needs_action"].sum() > closed["needs_action"].sum()
    ret = retention(engagement(s.interactions, pairs, as_of=as_of))
    assert ret.n_completed == done.sum() and ret.n_ended == early.sum()
    inc = ret.incidence
    assert set(inc["end_reason"]) == ({"inactive"} if early.any() else set())
    final = inc.groupby("end_reason")["cumulative_incidence"].max().sum()
    assert final == pytest.approx(1 - ret.table["survival"].iloc[-1], abs=1e-12)
