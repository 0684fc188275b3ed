"""goal_history: each objective's steps, and the wave or pulse just before each revision."""

from __future__ import annotations

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.survey.objectives import goal_history
from ementor_kit.survey.waves import wave_plan

GOALS = pd.DataFrame(
    {
        "goal_id": ["G1", "G2"],
        "mentee_id": ["E1", "E2"],
        "mentor_id": ["M1", "M2"],
        "set_on": ["2026-09-07", "2026-09-10"],
        "target_date": ["2026-10-30", "2026-11-15"],
    }
)
UPDATES = pd.DataFrame(
    {
        "goal_id": ["G1", "G1", "G1", "G2", "G2"],
        "updated_on": ["2026-11-20", "2026-10-21", "2026-10-01", "2026-10-20", "2026-11-30"],
        "stage": ["done", "in_progress", "planned", "planned", "planned"],
        "percent": [100, 30, 20, 10, 10],
        "status": ["completed", "revised", "in_progress", "revised", "abandoned"],
        "new_target_date": [None, "2026-12-04", None, "2026-12-20", None],
    }
)


def test_history_hand_worked():
    pulses = pd.DataFrame(
        {
            "respondent_id": ["M1", "E1", "E2", "E9"],
            "rater_role": ["mentor", "mentee", "mentee", "mentee"],
            "wave": ["P30", "P30", "P30", "P30"],
            # M1 answered 14 days before G1's revision (counts), E1 after it (does not);
            # E2 answered 15 days before G2's revision (outside the window); E9 is no member
            "submitted_at": [
                "2026-10-07T20:00:00+02:00",
                "2026-10-22T09:00:00+02:00",
                "2026-10-05T10:00:00+00:00",
                "2026-10-20T10:00:00+00:00",
            ],
        }
    )
    h = goal_history(GOALS, UPDATES, pulses, plan={"T0": 0, "P30": 30, "T1": 112})
    assert h["goal_id"].tolist() == ["G1"] * 4 + ["G2"] * 3
    assert h["step"].tolist() == [0, 1, 2, 3, 0, 1, 2]
    assert h["event"].tolist() == [
        "set", "progress", "revised", "completed", "set", "revised", "abandoned",
    ]  # fmt: skip
    g1 = h[h["goal_id"] == "G1"].set_index("step")
    assert g1["date"].is_monotonic_increasing
    assert g1.loc[2, "previous_target_date"] == pd.Timestamp("2026-10-30")
    assert g1.loc[2, "target_date"] == pd.Timestamp("2026-12-04")
    assert g1.loc[3, "target_date"] == pd.Timestamp("2026-12-04")  # still in force
    assert g1.loc[2, "prompted_by"] == "P30"
    assert g1.loc[2, "prompted_on"] == pd.Timestamp("2026-10-07")  # the day in UTC
    g2 = h[h["goal_id"] == "G2"].set_index("step")
    assert g2.loc[1, "prompted_by"] == "" and pd.isna(g2.loc[1, "prompted_on"])
    # a window one day longer catches E2's answer
    wider = goal_history(GOALS, UPDATES, pulses, plan=["T0", "P30", "T1"], window_days=15)
    assert (
        wider.loc[(wider["goal_id"] == "G2") & (wider["step"] == 1), "prompted_by"].item() == "P30"
    )
    # only revisions are linked
    assert set(h.loc[h["event"] != "revised", "prompted_by"]) == {""}


def test_planned_dates_stand_in_for_missing_submission_times():
    answers = pd.DataFrame({"respondent_id": ["E2"], "wave": ["P30"]})
    plan = wave_plan({"T0": 0, "P30": 30}, start="2026-09-25")  # P30 on 2026-10-25: too late
    h = goal_history(GOALS, UPDATES, {"P30": answers}, plan=plan)
    assert (h["prompted_by"] == "").all()
    plan = wave_plan({"T0": 0, "P30": 30}, start="2026-09-15")  # P30 on 2026-10-15
    h = goal_history(GOALS, UPDATES, {"P30": answers}, plan=plan)
    row = h[(h["goal_id"] == "G2") & (h["event"] == "revised")]
    assert row["prompted_by"].item() == "P30"
    with pytest.raises(DataValidationError, match="no submission dates"):
        goal_history(GOALS, UPDATES, {"P30": answers}, plan=["T0", "P30"])


def test_sample_history_adds_up():
    prog = ek.load_sample()
    h = goal_history(prog.goals, prog.goal_updates, prog.surveys["mentee_t0"].assign(wave="T0"))
    assert len(h) == len(prog.goals) + len(prog.goal_updates)
    assert (h["event"] == "revised").sum() == (prog.goal_updates["status"] == "revised").sum()
    # the target in force at the end is the last revision's new date, else the first one
    last = h.groupby("goal_id", sort=False).tail(1).set_index("goal_id")["target_date"]
    revised = prog.goal_updates.dropna(subset=["new_target_date"]).sort_values("updated_on")
    expected = prog.goals.set_index("goal_id")["target_date"].copy()
    expected.update(revised.groupby("goal_id")["new_target_date"].last())
    pd.testing.assert_series_equal(
        last.sort_index(),
        expected.loc[last.index].sort_index(),
        check_names=False,
        check_dtype=False,
    )


def test_errors():
    with pytest.raises(DataValidationError, match="set_on"):
        goal_history(GOALS.drop(columns="set_on"), UPDATES)
    bad = UPDATES.assign(updated_on=["2026-11-20", "soon", "2026-10-01", "2026-10-20", "x"])
    with pytest.raises(DataValidationError, match="not a date") as err:
        goal_history(GOALS, bad)
    assert err.value.problems[0].rows == (3, 6)
    with pytest.raises(InvalidArgumentError):
        goal_history(GOALS, UPDATES, window_days=-1)
