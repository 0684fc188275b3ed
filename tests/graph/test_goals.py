"""Tests of ementor_kit.graph.goals.goal_progress: hand-worked answers and a cross-check on the sample."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from ementor_kit.errors import EmentorKitError
from ementor_kit.graph import GoalProgress, engagement, goal_progress
from tests._exchange_logs import AS_OF, INTERACTIONS, PAIRS

G_PAIRS = pd.DataFrame(
    {
        "mentee_id": ["E003", "E001", "E002"],
        "mentor_id": ["M002", "M001", "M001"],
        "matched_on": ["2026-09-01"] * 3,
    }
)
GOALS = pd.DataFrame(
    [
        ("G1", "E001", "M001", "skills", "CV", "2026-09-01", "2026-10-15"),
        ("G2", "E001", "M001", "network", "Alumni", "2026-09-05", "2026-12-01"),
        ("G3", "E001", "M001", "job_search", "Apply", "2026-09-05", "2026-10-01"),
        ("G4", "E002", "M001", "confidence", "Speak", "2026-10-01", "2026-10-20"),
        ("G5", "E002", "M001", "orientation", "Explore", "2026-09-01", "2026-11-30"),
        ("G6", "E002", "M001", "skills", "Later", "2026-11-05", "2026-12-30"),
        ("G7", "E009", "M009", "skills", "Other pair", "2026-09-01", "2026-12-30"),
        ("G8", "E003", "M002", "skills", "Boundary", "2026-10-11", "2026-12-31"),
    ],
    columns=[
        "goal_id",
        "mentee_id",
        "mentor_id",
        "category",
        "description",
        "set_on",
        "target_date",
    ],
)
UPDATES = pd.DataFrame(
    [
        ("G1", "2026-09-01", "defined", 0, "in_progress", None),
        ("G1", "2026-09-20", "in_progress", 40, "in_progress", None),
        ("G1", "2026-10-20", "review", 80, "in_progress", None),
        ("G1", "2026-11-03", "done", 100, "completed", None),
        ("G2", "2026-09-05", "defined", 5, "in_progress", None),
        ("G2", "2026-09-10", "planned", 20, "in_progress", None),
        ("G2", "2026-10-01", "planned", 20, "revised", "2027-01-15"),
        ("G3", "2026-09-25", "done", 100, "completed", None),
        ("G5", "2026-09-15", "in_progress", 30, "in_progress", None),
        ("G5", "2026-10-05", "in_progress", 30, "abandoned", None),
    ],
    columns=["goal_id", "updated_on", "stage", "percent", "status", "new_target_date"],
)
G_AS_OF = "2026-10-31"  # end of that day: 2026-11-01T00:00Z


_COUNTS = ["n_goals", "n_completed", "n_abandoned", "n_revised", "n_open", "n_overdue", "n_stalled"]


@pytest.fixture(scope="module")
def result() -> GoalProgress:
    return goal_progress(GOALS, UPDATES, G_PAIRS, as_of=G_AS_OF)


@pytest.fixture(scope="module")
def gp(result) -> pd.DataFrame:
    return result.table


def test_hand_worked_counts(gp):
    assert gp["mentee_id"].tolist() == ["E001", "E002", "E003"]
    got = gp.set_index("mentee_id")
    # E001: G1 open, target 10-15 passed (overdue), progress 10-20 (12 days: not stalled);
    # G2 revised to 2027-01-15, last progress 09-10 (52 days: stalled); G3 completed
    e1 = got.loc["E001"]
    assert e1[_COUNTS].tolist() == [3, 1, 0, 1, 2, 1, 1]
    assert e1["mean_percent"] == pytest.approx((80 + 20 + 100) / 3)
    assert e1["stalled_goal_ids"] == ("G2",) and e1["overdue_goal_ids"] == ("G1",)
    # E002: G4 without update since 10-01 (31 days: stalled, target passed: overdue);
    # G5 abandoned; G6 set after as_of
    e2 = got.loc["E002"]
    assert e2[_COUNTS].tolist() == [2, 0, 1, 0, 1, 1, 1]
    assert e2["mean_percent"] == 15.0
    assert e2["stalled_goal_ids"] == ("G4",) and e2["overdue_goal_ids"] == ("G4",)
    # E003: G8 set exactly 21 days before as_of: not stalled (more than 21 days needed)
    e3 = got.loc["E003"]
    assert (e3["n_goals"], e3["n_open"], e3["n_stalled"], e3["stalled_goal_ids"]) == (1, 1, 0, ())


def test_left_out_rows_are_counted(result):
    assert result.goals_after_as_of == 1  # G6
    assert result.updates_ignored == 1  # G1 on 11-03
    assert result.goals_of_unknown_pairs == 1  # G7
    assert result.updates_of_unknown_goals == 0
    assert result.stalled_days == 21.0
    assert result.as_of == pd.Timestamp("2026-11-01T00:00Z")
    assert result.table.attrs == {}


def test_update_of_an_unknown_goal_is_counted_apart():
    orphan = pd.DataFrame(
        [("G99", "2026-09-10", "planned", 10, "in_progress", None)], columns=UPDATES.columns
    )
    gp = goal_progress(GOALS, pd.concat([UPDATES, orphan]), G_PAIRS, as_of=G_AS_OF)
    assert gp.updates_of_unknown_goals == 1
    assert gp.updates_ignored == 1  # still only G1 on 11-03


def test_programme_without_goals_or_updates_yet():
    no_goals = GOALS.iloc[:0]
    gp = goal_progress(no_goals, UPDATES.iloc[:0], G_PAIRS, as_of=G_AS_OF).table
    assert gp["mentee_id"].tolist() == ["E001", "E002", "E003"]
    assert gp["n_goals"].tolist() == [0, 0, 0] and gp["stalled_goal_ids"].tolist() == [()] * 3
    with pytest.raises(EmentorKitError, match="as_of"):
        goal_progress(no_goals, None, G_PAIRS)
    # goals set, no update yet: a header-only updates table is the same as none
    pd.testing.assert_frame_equal(
        goal_progress(GOALS, UPDATES.iloc[:0], G_PAIRS, as_of=G_AS_OF).table,
        goal_progress(GOALS, None, G_PAIRS, as_of=G_AS_OF).table,
    )


def test_pair_without_goals_gets_zeros():
    pairs = pd.concat(
        [
            G_PAIRS,
            pd.DataFrame(
                {"mentee_id": ["E004"], "mentor_id": ["M002"], "matched_on": ["2026-09-01"]}
            ),
        ]
    )
    r = goal_progress(GOALS, UPDATES, pairs, as_of=G_AS_OF).table.set_index("mentee_id").loc["E004"]
    assert r["n_goals"] == 0 and r["stalled_goal_ids"] == () and math.isnan(r["mean_percent"])


def test_stalled_days_threshold():
    res = goal_progress(GOALS, UPDATES, G_PAIRS, as_of=G_AS_OF, stalled_days=10)
    assert res.stalled_days == 10.0
    gp = res.table
    got = dict(zip(gp["mentee_id"], gp["stalled_goal_ids"], strict=True))
    # G1 (12 days since progress) and G8 (21 days) now stall too
    assert got == {"E001": ("G1", "G2"), "E002": ("G4",), "E003": ("G8",)}


def test_goals_and_pairs_without_updates():
    got = goal_progress(GOALS, G_PAIRS, as_of=G_AS_OF).table.set_index("mentee_id")
    # without updates every goal is open since set_on
    assert got.loc["E001", "n_open"] == 3 and got.loc["E001", "n_completed"] == 0
    assert got.loc["E001", "stalled_goal_ids"] == ("G1", "G2", "G3")


def test_default_pairs_are_those_with_goals():
    gp = goal_progress(GOALS, UPDATES, as_of=G_AS_OF).table
    assert gp["mentee_id"].tolist() == ["E001", "E002", "E003", "E009"]


@pytest.mark.parametrize("bad", [0, -3, "21", True])
def test_bad_stalled_days_are_refused(bad):
    with pytest.raises(EmentorKitError, match="stalled_days"):
        goal_progress(GOALS, UPDATES, G_PAIRS, stalled_days=bad)


def test_stalled_goals_feed_engagement_status():
    goals = pd.DataFrame(
        [("G1", "E005", "M003", "skills", "CV", "2026-09-01", "2026-12-15")],
        columns=GOALS.columns,
    )
    gp = goal_progress(goals, PAIRS, as_of=AS_OF)
    eng = engagement(INTERACTIONS, PAIRS, as_of=AS_OF, goal_progress=gp).table
    r = eng.set_index("mentee_id").loc["E005"]
    # E005 is otherwise active; its goal has had no progress for 30 days
    assert (r["status"], r["status_reason"]) == ("needs_check_in", "goal stalled > 21 days (G1)")


def _reference(programme, as_of: dt.date, stalled_days: float) -> pd.DataFrame:
    """Per-goal loops over the validated sample tables (no shared code)."""
    goals = programme.goals
    updates = programme.goal_updates
    rank = {"defined": 0, "planned": 1, "in_progress": 2, "review": 3, "done": 4}
    per_goal = {}
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    for g in goals.itertuples():
        if g.set_on >= end:
            continue
        ups = updates[(updates["goal_id"] == g.goal_id) & (updates["updated_on"] < end)]
        ups = ups.sort_values("updated_on")
        status, pct, target, revised = "in_progress", 0, g.target_date, False
        best_rank, best_pct, progress = 0, 0, g.set_on
        for u in ups.itertuples():
            if rank[u.stage] > best_rank or u.percent > best_pct:
                progress = u.updated_on
            best_rank, best_pct = max(best_rank, rank[u.stage]), max(best_pct, u.percent)
            status, pct = u.status, u.percent
            if u.status == "revised" or not pd.isna(u.new_target_date):
                revised = True
            if not pd.isna(u.new_target_date):
                target = u.new_target_date
        is_open = status in ("in_progress", "revised")
        per_goal[g.goal_id] = dict(
            pair=(g.mentee_id, g.mentor_id),
            completed=status == "completed",
            revised=revised,
            open=is_open,
            overdue=is_open and target + pd.Timedelta(days=1) <= end,
            stalled=is_open and (end - progress) / pd.Timedelta(days=1) > stalled_days,
            pct=pct,
        )
    rows = []
    for p in programme.pairs.sort_values(["mentee_id", "mentor_id"]).itertuples():
        mine = [v for v in per_goal.values() if v["pair"] == (p.mentee_id, p.mentor_id)]
        rows.append(
            {
                "n_goals": len(mine),
                "n_completed": sum(v["completed"] for v in mine),
                "n_revised": sum(v["revised"] for v in mine),
                "n_open": sum(v["open"] for v in mine),
                "n_overdue": sum(v["overdue"] for v in mine),
                "n_stalled": sum(v["stalled"] for v in mine),
                "mean_percent": sum(v["pct"] for v in mine) / len(mine) if mine else math.nan,
            }
        )
    return pd.DataFrame(rows)


def test_cross_check_on_the_sample():
    from ementor_kit.samples import load_sample

    prog = load_sample()
    for as_of in (dt.date(2026, 11, 15), dt.date(2027, 1, 10)):
        got = goal_progress(prog.goals, prog.goal_updates, prog.pairs, as_of=as_of).table
        ref = _reference(prog, as_of, 21)
        for col in ref.columns:
            pd.testing.assert_series_equal(got[col], ref[col], check_dtype=False, check_names=False)
        assert got["n_stalled"].sum() > 0 and got["n_overdue"].sum() > 0
        assert got["n_revised"].sum() > 0 and got["n_completed"].sum() > 0


def test_row_order_changes_nothing(result):
    shuffled = goal_progress(
        GOALS.iloc[::-1],
        UPDATES.sample(frac=1.0, random_state=4),
        G_PAIRS.iloc[::-1],
        as_of=G_AS_OF,
    )
    pd.testing.assert_frame_equal(shuffled.table, result.table)
    fields = [f.name for f in dataclasses.fields(GoalProgress) if f.name != "table"]
    assert [getattr(shuffled, f) for f in fields] == [getattr(result, f) for f in fields]
