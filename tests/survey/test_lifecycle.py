"""Latest pulse per pair (a low pulse is a check-in reason) and the closure questionnaire."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.data.schema import END_REASONS
from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.graph.checkins import followup
from ementor_kit.survey.lifecycle import closure_reasons, closure_summary, latest_pulse

PAIRS = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"], "mentor_id": ["M1", "M2", "M2", "M3"]})


def _answers(rows):
    """(respondent, role, target, items 1-4) -> a pulse table."""
    return pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "rater_role": [r[1] for r in rows],
            "target_id": [r[2] for r in rows],
            **{f"pulse_{i}": [r[3][i - 1] for r in rows] for i in range(1, 5)},
        }
    )


def test_latest_pulse_hand_worked():
    p30 = _answers(
        [
            ("E1", "mentee", None, (2, 2, 2, 2)),  # low at P30 but P90 is later
            ("E2", "mentee", None, (1, 1, 1, 1)),
            ("M2", "mentor", "E3", (4, 4, 4, 4)),
        ]
    )
    p90 = _answers(
        [
            ("E1", "mentee", None, (4, 4, 4, 4)),
            ("M1", "mentor", None, (3, 3, 3, 3)),  # exactly the threshold: not low
            ("M2", "mentor", "E3", (2, 3, 3, 2)),  # mean 2.5: low, the mentor's side
            ("E3", "mentee", None, (5, 5, 5, np.nan)),  # 3 of 4 items: scored 5
        ]
    )
    out = latest_pulse({"P30": p30, "P90": p90}, PAIRS)
    assert out["mentee_id"].tolist() == ["E1", "E2", "E3", "E4"]
    assert out["wave"].tolist()[:3] == ["P90", "P30", "P90"] and pd.isna(out["wave"][3])
    np.testing.assert_array_equal(out["mentee_score"], [4.0, 1.0, 5.0, np.nan])
    np.testing.assert_array_equal(out["mentor_score"], [3.0, np.nan, 2.5, np.nan])
    np.testing.assert_array_equal(out["score"], [3.0, 1.0, 2.5, np.nan])
    assert out["low"].tolist() == [False, True, True, False]
    assert out["rule"].tolist() == ["", "low_pulse", "low_pulse", ""]
    assert out.loc[2, "reason"] == "low pulse at P90: mentor 2.50 (below 3 of 5)"
    # another threshold and another subscale
    assert latest_pulse({"P30": p30, "P90": p90}, PAIRS, threshold=3.5)["low"].tolist() == [
        True,
        True,
        True,
        False,
    ]
    contact = latest_pulse({"P30": p30, "P90": p90}, PAIRS, subscale="contact")
    np.testing.assert_array_equal(contact["mentee_score"], [4.0, 1.0, np.nan, np.nan])
    # the reason in French: the same wave, side, score and threshold, the French way
    fr = latest_pulse({"P30": p30, "P90": p90}, PAIRS, threshold=2.5, lang="fr")
    en = latest_pulse({"P30": p30, "P90": p90}, PAIRS, threshold=2.5, lang="en")
    assert fr.drop(columns="reason").equals(en.drop(columns="reason"))
    assert en.loc[1, "reason"] == "low pulse at P30: mentee 1.00 (below 2.5 of 5)"
    assert fr.loc[1, "reason"] == "étape basse à P30 : mentoré·e 1,00 (sous 2,5 sur 5)"


def test_one_table_with_pulses_is_ordered_by_day_and_a_plan_can_reorder():
    long = pd.concat(
        [
            _answers([("E1", "mentee", None, (5, 5, 5, 5))]).assign(wave="P150"),
            _answers([("E1", "mentee", None, (1, 1, 1, 1))]).assign(wave="P30"),
        ],
        ignore_index=True,
    )
    assert latest_pulse(long, PAIRS).loc[0, "wave"] == "P150"  # P150 after P30, not as text
    assert latest_pulse(long, PAIRS, plan=["P150", "P30"]).loc[0, "low"]


def test_low_pulses_feed_the_followup_rules():
    prog = ek.load_sample()
    pairs = prog.pairs.head(3)
    rows = [
        (pairs.loc[0, "mentee_id"], "mentee", None, (1, 2, 1, 2)),
        (pairs.loc[1, "mentee_id"], "mentee", None, (5, 5, 4, 4)),
    ]
    pulse = latest_pulse({"P30": _answers(rows)}, prog.pairs)
    low = pulse[pulse["low"]]
    assert low["mentee_id"].tolist() == [pairs.loc[0, "mentee_id"]]
    eng = ek.engagement(prog.interactions, prog.pairs, as_of="2026-10-15")
    fu = followup(eng, extra_reasons=low)
    row = fu.table.set_index("mentee_id").loc[pairs.loc[0, "mentee_id"]]
    assert row["status"] == "active"  # an active pair: only the low pulse asks for a contact
    assert "low_pulse" in row["rules"] and row["to_contact"]


def test_pulse_errors_name_the_problem():
    bad = _answers([("E1", "coach", None, (4, 4, 4, 4))])
    with pytest.raises(DataValidationError, match="not mentee or mentor"):
        latest_pulse({"P30": bad}, PAIRS)
    with pytest.raises(DataValidationError, match="rater_role"):
        latest_pulse({"P30": bad.drop(columns="rater_role")}, PAIRS)
    with pytest.raises(InvalidArgumentError):
        latest_pulse({"P30": _answers([])}, PAIRS, subscale="mood")


def test_closure_reasons_are_the_end_reasons_of_pairs_csv():
    assert closure_reasons()["code"].tolist() == list(END_REASONS)
    fr, en = closure_reasons("fr"), closure_reasons("en")
    assert (fr["label"] != en["label"]).all()
    assert fr.attrs["question"].endswith("?") and en.attrs["column"] == "close_reason"


def test_closure_summary_hand_worked():
    df = pd.DataFrame(
        {
            "respondent_id": ["E1", "E2", "E3", "M1", "M2"],
            "rater_role": ["mentee", "mentee", "mentee", "mentor", "mentor"],
            "close_reason": ["completed", "The mentor stopped", "", "COMPLETED", None],
            "closure_1": [5, 2, 4, 4, 3],
            "closure_2": [5, 1, np.nan, 4, 3],
            "closure_3": [5, 2, 4, 5, 4],
            "closure_4": [4, 1, 5, 5, 2],
        }
    )
    res = closure_summary(df)
    assert res.scores["close_reason"].tolist() == ["completed", "mentor_left", "", "completed", ""]
    # achieved needs both items: E3 has none
    assert np.isnan(res.scores.loc[2, "closure_achieved"])
    by = res.by_role.set_index(["subscale", "rater_role"])
    assert by.loc[("achieved", "mentee"), "n"] == 2
    assert by.loc[("achieved", "mentee"), "mean"] == pytest.approx((5 + 1.5) / 2)
    assert by.loc[("again", "mentor"), "mean"] == pytest.approx(3.5)
    assert by.loc[("recommend", "mentee"), "sd"] == pytest.approx(np.std([5, 2, 4], ddof=1))
    reasons = res.reasons.set_index("code")
    assert reasons.loc["completed", ["mentee", "mentor", "total"]].tolist() == [1, 1, 2]
    assert reasons.loc["mentor_left", "total"] == 1
    assert reasons.loc["not_answered", ["mentee", "mentor"]].tolist() == [1, 1]
    assert reasons["total"].sum() == len(df)


def test_closure_errors_name_rows():
    df = pd.DataFrame(
        {"respondent_id": ["E1", "E2"], "rater_role": ["mentee", "mentee"],
         "close_reason": ["completed", "bored"], **{f"closure_{i}": [4, 4] for i in range(1, 5)}}
    )  # fmt: skip
    with pytest.raises(DataValidationError, match="not a closure reason: 'bored'") as err:
        closure_summary(df)
    assert err.value.problems[0].rows == (3,)
    with pytest.raises(DataValidationError, match="rater_role"):
        closure_summary(df.drop(columns="rater_role"))
