"""Planned sessions against the trace: held / missed by hand and by a plain loop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ementor_kit import (
    DataValidationError,
    InvalidArgumentError,
    engagement,
    flash_metrics,
    flash_sessions,
)
from ementor_kit.graph.engagement_metrics import EngagementThresholds
from tests._pairing_data import profiles

PAIRS = pd.DataFrame(
    {
        "mentee_id": ["E1", "E2", "E3", "E4", "E5"],
        "mentor_id": ["M1", "M1", "M2", "M2", "M2"],
        "matched_on": ["2026-10-01"] * 5,
    }
)


def _log(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "interaction_id": [f"I{k}" for k in range(len(rows))],
            "timestamp": [r[0] for r in rows],
            "sender_id": [r[1] for r in rows],
            "recipient_id": [r[2] for r in rows],
            "channel": [r[3] for r in rows],
            "duration_minutes": [30.0 if r[3] == "video" else None for r in rows],
            "session_id": [None] * len(rows),
        }
    )


def test_worked_example_by_hand():
    planned = pd.DataFrame(
        {
            "mentee_id": ["E1", "E2", "E3", "E4", "E5", "E5"],
            "mentor_id": ["M1", "M1", "M2", "M2", "M2", "M2"],
            "start": [
                "2026-10-02T18:00:00+02:00",  # E1: held 10 h later (within 24 h)
                "2026-10-02T18:00:00+02:00",  # E2: only a chat message: missed
                "2026-10-09T10:00:00+00:00",  # E3: due on as_of-eve, window open
                "2026-10-20T10:00:00+00:00",  # E4: to come
                "2026-10-03T10:00:00+00:00",  # E5: cancelled, and one held
                "2026-10-04T10:00:00+00:00",
            ],
            "status": ["CONFIRMED"] * 4 + ["CANCELLED", "CONFIRMED"],
        }
    )
    log = _log(
        [
            ("2026-10-03T02:00:00Z", "M1", "E1", "video"),
            ("2026-10-02T16:05:00Z", "E2", "M1", "chat"),
            ("2026-10-04T09:40:00Z", "E5", "M2", "phone"),
            ("2026-10-05T09:40:00Z", "E4", "M2", "chat"),
        ]
    )
    t = engagement(log, PAIRS, as_of="2026-10-09T12:00:00Z", planned=planned).table
    t = t.set_index("mentee_id")
    assert t["n_planned"].tolist() == [1, 1, 1, 0, 1]
    assert t["n_held"].tolist() == [1, 0, 0, 0, 1]
    assert t["n_missed"].tolist() == [0, 1, 0, 0, 0]
    assert t["n_upcoming"].tolist() == [0, 0, 0, 1, 0]
    assert t["status"].tolist() == [
        "completed",
        "needs_check_in",
        "not_started",
        "active",
        "completed",
    ]
    assert t["needs_action"].tolist() == [False, True, False, False, False]
    assert t.loc["E1", "status_reason"] == "the 1 planned session held (last 2026-10-02 16:00 UTC)"
    assert t.loc["E2", "status_reason"] == (
        "planned session of 2026-10-02 16:00 UTC not held (no video or phone exchange within 24 h)"
    )
    assert t.loc["E4", "status_reason"] == "next planned session 2026-10-20 10:00 UTC"
    assert t.loc["E4", "next_planned"] == pd.Timestamp("2026-10-20T10:00Z")
    # without planned sessions the columns are absent and the statuses come from the gaps
    plain = engagement(log, PAIRS, as_of="2026-10-09T12:00:00Z").table
    assert "n_planned" not in plain.columns
    assert "completed" not in set(plain["status"])


def test_held_and_missed_equal_a_plain_loop_on_random_data():
    rng = np.random.default_rng(4)
    n = 40
    pairs = pd.DataFrame(
        {
            "mentee_id": [f"E{k:02d}" for k in range(n)],
            "mentor_id": [f"M{k % 7}" for k in range(n)],
            "matched_on": ["2026-09-01"] * n,
        }
    )
    t0 = pd.Timestamp("2026-09-02T00:00Z")
    pick = rng.integers(0, n, 120)
    planned = pd.DataFrame(
        {
            "mentee_id": pairs["mentee_id"].to_numpy()[pick],
            "mentor_id": pairs["mentor_id"].to_numpy()[pick],
            "start": t0 + pd.to_timedelta(rng.integers(0, 60 * 24, 120), unit="h"),
        }
    )
    who = rng.integers(0, n, 400)
    log = _log(
        [
            (
                (t0 + pd.Timedelta(hours=int(h))).isoformat(),
                pairs["mentor_id"][w],
                pairs["mentee_id"][w],
                str(c),
            )
            for w, h, c in zip(
                who,
                rng.integers(0, 60 * 24, 400),
                rng.choice(["video", "phone", "chat", "email"], 400),
                strict=True,
            )
        ]
    )
    as_of = pd.Timestamp("2026-10-15T00:00Z")
    th = EngagementThresholds(held_within_hours=6)
    got = engagement(log, pairs, as_of=as_of, thresholds=th, planned=planned).table
    ts = pd.to_datetime(log["timestamp"], utc=True)
    sync = log["channel"].isin(["video", "phone"])
    for _, row in got.iterrows():
        mine = planned[(planned["mentee_id"] == row["mentee_id"])]
        calls = ts[sync & (log["recipient_id"] == row["mentee_id"])]
        held = missed = due = 0
        for s in mine["start"]:
            if s > as_of:
                continue
            due += 1
            h = ((calls - s).abs() <= pd.Timedelta(hours=6)).any()
            held += h
            missed += (not h) and s + pd.Timedelta(hours=6) < as_of
        assert (row["n_planned"], row["n_held"], row["n_missed"]) == (due, held, missed)


def test_flash_schedule_round_trip_gives_completed_and_no_shows():
    mentors, mentees = profiles(8, 3, 5, n_langs=1)
    schedule = flash_sessions(mentors, mentees, meetings=2)
    plan = schedule.planned("2026-11-05T18:00:00+01:00", round_minutes=20, break_minutes=5)
    assert len(plan) >= 4
    pairs = plan[["mentee_id", "mentor_id"]].assign(matched_on="2026-11-05")
    shows = plan.iloc[1:]  # the first planned meeting is a no-show
    log = _log(
        [
            ((s + pd.Timedelta(minutes=1)).isoformat(), m, e, "video")
            for e, m, s in shows[["mentee_id", "mentor_id", "start"]].itertuples(index=False)
        ]
    )
    eng = engagement(log, pairs, as_of="2026-11-30", planned=plan)
    status = eng.table.set_index(["mentee_id", "mentor_id"])["status"]
    first = tuple(plan.loc[0, ["mentee_id", "mentor_id"]])
    assert status[first] == "needs_check_in"
    assert (status.drop(first) == "completed").all()
    m = flash_metrics(eng).set_index("measure")["value"]
    assert m["sessions_planned"] == len(plan)
    assert m["sessions_missed"] == 1
    assert m["no_show_rate"] == pytest.approx(1 / len(plan))


def test_flash_metrics_load_and_requests_by_hand():
    planned = pd.DataFrame(
        {
            "mentee_id": ["E1", "E2", "E3", "E4"],
            "mentor_id": ["M1", "M1", "M2", "M2"],
            "start": ["2026-10-02T10:00Z"] * 4,
        }
    )
    pairs = PAIRS.iloc[:4]
    log = _log([("2026-10-02T10:05Z", m, e, "video") for e, m in [("E1", "M1"), ("E2", "M1")]])
    log = pd.concat([log, _log([("2026-10-02T10:06Z", "M2", "E3", "phone")])], ignore_index=True)
    log["interaction_id"] = [f"I{k}" for k in range(len(log))]
    eng = engagement(log, pairs, as_of="2026-10-10", planned=planned)
    requests = pd.DataFrame(
        {
            "mentee_id": ["E1", "E2", "E3", "E4", "E5"],
            "mentor_id": ["M1", "M1", "M2", "M2", "M2"],
            "status": ["accepted", "Accepted", "declined", "pending", "expired"],
        }
    )
    m = flash_metrics(eng, requests=requests).set_index("measure")["value"]
    assert m["sessions_held"] == 3 and m["sessions_missed"] == 1
    assert m["mentors_with_sessions"] == 2 and m["max_sessions_per_mentor"] == 2
    assert m["top_decile_share"] == pytest.approx(2 / 3)
    # Gini of loads (2, 1) by the mean-absolute-difference formula: sum|xi-xj| / (2 n^2 mean)
    x = np.array([2.0, 1.0])
    gini = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert m["gini_mentor_load"] == pytest.approx(gini)
    assert m["requests"] == 5 and m["requests_accepted"] == 2
    assert m["acceptance_rate"] == pytest.approx(2 / 3)


def test_bad_planned_sessions_are_refused_with_rows():
    log = _log([("2026-10-03T02:00:00Z", "M1", "E1", "video")])
    naive = pd.DataFrame({"mentee_id": ["E1"], "mentor_id": ["M1"], "start": ["2026-10-02 18:00"]})
    with pytest.raises(DataValidationError, match="time-zone aware"):
        engagement(log, PAIRS, planned=naive)
    stranger = pd.DataFrame(
        {"mentee_id": ["E1", "E9"], "mentor_id": ["M1", "M1"], "start": ["2026-10-02T18:00Z"] * 2}
    )
    with pytest.raises(DataValidationError, match=r"row 3.*not a pair"):
        engagement(log, PAIRS, planned=stranger)
    with pytest.raises(InvalidArgumentError, match="planned"):
        engagement(log, PAIRS, planned=[("E1", "M1")])  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="no planned sessions"):
        flash_metrics(engagement(log, PAIRS))
