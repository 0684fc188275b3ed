"""Section 9 of the pilot report: the closure questionnaire (CLOSE-4) part."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from ementor_kit import load_sample
from ementor_kit.report._context import ReportContext
from ementor_kit.report.sections.closure import closure_section
from ementor_kit.report.sections.engagement import engagement_section

KEY = b"test-key-for-synthetic-data-0001"


def _answers(rows):
    """surveys/closure.csv from (respondent, side, reason, item 1..4) rows."""
    df = pd.DataFrame(
        rows,
        columns=[
            "respondent_id",
            "rater_role",
            "close_reason",
            *[f"closure_{i}" for i in range(1, 5)],
        ],
    )
    n = len(df)
    return df.assign(
        response_id=[f"C{i:03d}" for i in range(n)],
        wave="CLOSURE",
        submitted_at=pd.Timestamp("2026-06-30", tz="UTC"),
    )


# 12 mentees: 8 completed (items 5,4 / 5 / 4), 4 mentee_left (items 2,3 / 2 / 1);
# 3 mentors: completed, items 4,4 / 5 / 5 (too few to show: k = 5)
ROWS = [
    *[(f"E{i:03d}", "mentee", "completed", 5, 4, 5, 4) for i in range(8)],
    *[(f"E{i:03d}", "mentee", "mentee_left", 2, 3, 2, 1) for i in range(8, 12)],
    *[(f"M{i:03d}", "mentor", "completed", 4, 4, 5, 5) for i in range(3)],
]


def _section(answers, with_eng=True):
    p = load_sample()
    p = dataclasses.replace(p, surveys={**p.surveys, "closure": answers})
    ctx = ReportContext(p, KEY, 5, True)
    eng = engagement_section(ctx).engagement if with_eng else None
    return closure_section(ctx, eng)


def test_reasons_by_side_hide_small_cells_and_what_gives_them_back():
    sec = _section(_answers(ROWS))
    names = [t.name for t in sec.tables]
    assert names == ["closure_survey_reasons", "closure_survey_scores"]  # no closure columns
    assert sec.paragraphs[0].startswith("pairs.csv records no planned end")
    assert sec.paragraphs[1].startswith("The closure questionnaire (CLOSE-4")
    t = sec.tables[0].data.set_index("reason")
    assert t.index.tolist() == [
        "completed",
        "programme_ended",
        "mentee_left",
        "mentor_left",
        "safeguarding",
        "other",
        "not_answered",
        "Total",
    ]
    assert t.loc["Total", "Total"] == 15  # the rows of surveys/closure.csv
    assert t.loc["completed", "Total"] == 11  # 8 mentees and 3 mentors
    # 3 mentors (1-4 hidden) and 4 mentees who left: hidden, and with them what would give
    # them back: the other side of the completed row (11 - 8), the sides' Totals (15 - 12)
    assert t[["mentee", "mentor"]].loc[["completed", "mentee_left", "Total"]].isna().all().all()
    # no hidden cell is alone in its row or column beside a shown total
    for c in ("mentee", "mentor", "Total"):
        assert t[c].drop("Total").isna().sum() != 1 or pd.isna(t.loc["Total", c]), c
    for r in t.index:
        assert t.loc[r, ["mentee", "mentor"]].isna().sum() != 1 or pd.isna(t.loc[r, "Total"]), r
    assert t.loc["safeguarding"].tolist() == [0, 0, 0]


def test_scores_by_side_match_a_hand_computation_and_hide_below_k():
    sec = _section(_answers(ROWS))
    s = sec.tables[1].data.set_index(["score", "side"])
    mentee = s.xs("mentee", level="side")
    # the mentees' n (12) would give back the mentors' (15 - 12) the table of reasons hides
    assert mentee["respondents"].isna().all()
    # achieved = mean of items 1-2: 8 x 4.5 and 4 x 2.5
    achieved = np.array([4.5] * 8 + [2.5] * 4)
    assert mentee.loc["What the mentoring achieved", "mean"] == pytest.approx(
        achieved.mean(), abs=1e-12
    )
    assert mentee.loc["What the mentoring achieved", "sd"] == pytest.approx(
        achieved.std(ddof=1), abs=1e-12
    )
    again = np.array([4] * 8 + [1] * 4)
    assert mentee.loc["Would take part again", "mean"] == pytest.approx(again.mean(), abs=1e-12)
    mentor = s.xs("mentor", level="side")
    assert mentor["respondents"].isna().all()  # 3 mentors < k
    assert mentor[["mean", "sd"]].isna().all().all()


def test_without_the_questionnaire_the_section_is_unchanged():
    p = load_sample()
    ctx = ReportContext(p, KEY, 5, True)
    sec = closure_section(ctx, engagement_section(ctx).engagement)
    assert [t.name for t in sec.tables] == [] and len(sec.paragraphs) == 1


def test_the_questionnaire_is_reported_without_an_exchange_log():
    sec = _section(_answers(ROWS), with_eng=False)
    assert sec.paragraphs[0].startswith("Not available")
    assert [t.name for t in sec.tables] == ["closure_survey_reasons", "closure_survey_scores"]


def test_the_n_of_a_side_is_shown_when_its_total_is():
    rows = ROWS + [(f"M{i:03d}", "mentor", "completed", 4, 4, 5, 5) for i in range(3, 6)]
    rows[-1] = ("M005", "mentor", "completed", 4, 4, 5, None)  # item 4 not answered
    sec = _section(_answers(rows))
    t = sec.tables[0].data.set_index("reason")
    assert t.loc["Total", "mentor"] == 6 and t.loc["Total", "mentee"] == 12
    s = sec.tables[1].data.set_index(["score", "side"])
    assert s.loc[("What the mentoring achieved", "mentor"), "respondents"] == 6
    assert s.loc[("What the mentoring achieved", "mentor"), "mean"] == pytest.approx(4.0)
    assert s.loc[("What the mentoring achieved", "mentor"), "sd"] == pytest.approx(0.0)
    # 5 of 6 mentors answered item 4: the n and its complement 1 are hidden, the mean shown
    again = s.loc[("Would take part again", "mentor")]
    assert pd.isna(again["respondents"]) and again["mean"] == pytest.approx(5.0)
