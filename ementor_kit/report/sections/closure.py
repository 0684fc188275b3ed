"""Section 9 of the pilot report: how pairs ended.

With the closure columns of ``pairs.csv`` (``planned_end``, ``ended_on``, ``end_reason``; see
:mod:`ementor_kit.graph.closure`): the pairs that completed (a planned end), closed early or
are still going; the early closures by reason with the cumulative incidence of each reason at
the curve's horizon (Aalen-Johansen, :func:`~ementor_kit.graph.retention`: the reasons
compete, a planned end censors the pair); and the horizon itself, with why the curve stops
there. Counts go through the report's small-cell suppression; an incidence is shown only beside
its count (it would give a hidden count back, incidence times pairs).

With the closure questionnaire (``surveys/closure.csv``, CLOSE-4: see
:func:`~ementor_kit.survey.closure_summary`), the section also shows the reasons the
respondents gave for the end, by side, and the CLOSE-4 scores by side (what the mentoring
achieved, would recommend, would take part again), whether or not ``pairs.csv`` records ends.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.graph.closure import EARLY_ENDS, has_closure
from ementor_kit.graph.engagement_metrics import Engagement
from ementor_kit.graph.survival import Retention, retention
from ementor_kit.i18n.language import N_
from ementor_kit.report._context import ReportContext
from ementor_kit.report._suppression import (
    CellRef,
    Relation,
    adds_up,
    guard_statistics,
    protected_list,
    protected_table,
    same_count,
    shown_share,
)
from ementor_kit.report.model import ReportSection, ReportTable
from ementor_kit.report.sections.engagement import _status_cell, listed_statuses
from ementor_kit.survey.lifecycle import closure_reasons, closure_summary

__all__ = ["OUTCOMES", "SIDES", "SILENT", "closure_section"]

_TITLE = N_("9. How pairs ended")
SILENT = N_("silent, no end recorded")
OUTCOMES = (N_("completed"), N_("closed early"), SILENT, N_("still going"))
"""Rows of the table of outcomes: a planned end, an early closure, a silence the retention
curve counts as an end, no end yet."""
_OF_STATUS = {"completed": "completed", "closed_early": "closed early"}
_REASON_WORDS = (  # the early-closure reasons as shown (translated when rendered)
    N_("mentee_left"),
    N_("mentor_left"),
    N_("safeguarding"),
    N_("other"),
    N_("inactive"),
)
_ANSWER_WORDS = (N_("programme_ended"), N_("not_answered"))  # the other answers, as shown


SIDES = (N_("mentee"), N_("mentor"))
"""Columns of the closure questionnaire's tables: the side that answered."""


def _outcome_cell(outcome: str) -> CellRef:
    return CellRef("closure_outcome", (outcome,), "count")


def _reason_cell(reason: str) -> CellRef:
    return CellRef("closure_reasons", (reason,), "count")


def _outcomes(table: pd.DataFrame, dormant: float) -> pd.Series:
    """Each pair's outcome: a planned or early end, a silence the curve counts as an end
    (more than ``dormant`` days without exchange, or without any since matching, and no end
    recorded: :func:`~ementor_kit.graph.retention` ends such a pair, reason ``inactive``), or
    still going."""
    since = table["days_since_match"].to_numpy(dtype="float64")
    gap = table["days_since_last_contact"].to_numpy(dtype="float64")
    silent = (since >= 0) & np.where(np.isnan(gap), since > dormant, gap > dormant)
    out = np.where(silent, SILENT, "still going").astype(object)
    ended = table["status"].map(_OF_STATUS)
    return pd.Series(np.where(ended.notna(), ended, out), index=table.index, dtype="str")


def _outcome_table(ctx: ReportContext, table: pd.DataFrame, outcome: pd.Series) -> ReportTable:
    """Pairs by outcome; every pair of pairs.csv has one, so the Total is the file's rows."""
    counts = {o: int((outcome == o).sum()) for o in OUTCOMES}
    files, _ = ctx.file_rows("pairs")
    relations: list[Relation] = [
        same_count(_outcome_cell("Total"), files, "every pair of pairs.csv has an outcome")
    ]
    # what the table of statuses (section 3) shows of the same pairs
    listed = listed_statuses(table)
    for s, o in _OF_STATUS.items():
        if s in listed:
            relations.append(same_count(_outcome_cell(o), _status_cell(s), f"the pairs '{s}'"))
    rest = [o for o in OUTCOMES if o not in _OF_STATUS.values()]
    others = table["status"].isin([s for s in listed if s not in _OF_STATUS])
    if sum(counts[o] for o in rest) == others.sum() == len(table):
        relations.append(
            adds_up(
                [_outcome_cell(o) for o in rest],
                _status_cell("Total"),
                "the pairs of the statuses of section 3 are those without a recorded end",
            )
        )
    data = protected_list(counts, ctx.k, "outcome", _outcome_cell, relations, known=ctx.known)
    total = pd.Series([data["count"].iloc[-1]] * len(data), index=data.index)
    data = data.assign(share=shown_share(data["count"], total))
    shown = ReportTable(
        "closure_outcome",
        N_("Pairs by how they ended"),
        data,
        counts=("count",),
        formats={"share": "{:.1%}"},
        note=N_(
            "Completed: a planned end (end_reason completed or programme_ended, or the planned "
            "end reached while in contact). Closed early: any other recorded end, or silent at "
            "the planned end (inactive). Silent, no end recorded: no exchange for more than the "
            "dormancy threshold, which the retention curve counts as an early end (inactive)."
        ),
    )
    return ctx.show(shown, relations)


def _reasons_table(
    ctx: ReportContext, table: pd.DataFrame, outcome: pd.Series, ret: Retention
) -> ReportTable:
    """Early ends by reason (the events of the curve), with each reason's cumulative
    incidence at the horizon."""
    reason = table["end_reason"].astype(object).where(outcome == "closed early")
    reason = reason.where(outcome != SILENT, "inactive")
    counts = {r: int((reason == r).sum()) for r in EARLY_ENDS}
    relations = [
        adds_up(
            [_outcome_cell("closed early"), _outcome_cell(SILENT)],
            _reason_cell("Total"),
            "the early ends are the pairs closed early and those silent without a recorded end",
        )
    ]
    data = protected_list(counts, ctx.k, "reason", _reason_cell, relations, known=ctx.known)
    inc = ret.incidence
    horizon = int(ret.table["week"].iloc[-1]) if len(ret.table) else 0
    at_end = inc[inc["week"] == horizon].set_index("end_reason")["cumulative_incidence"]
    ci = [
        float(at_end.get(r, 0.0)) if r != "Total" and pd.notna(n) else float("nan")
        for r, n in zip(data["reason"], data["count"], strict=True)
    ]
    data = data.assign(cumulative_incidence=ci)
    shown = ReportTable(
        "closure_reasons",
        N_("Early ends by reason, with the cumulative incidence at the horizon"),
        data,
        counts=("count",),
        formats={"cumulative_incidence": "{:.1%}"},
        note=N_(
            "Cumulative incidence (Aalen-Johansen): the share of pairs ended early for that "
            "reason by the horizon week, the reasons competing and a planned end censoring the "
            "pair; shown only beside its count. Inactive: silent at the planned end, or silent "
            "with no end recorded."
        ),
    )
    return ctx.show(shown, relations)


def _survey_reasons_table(ctx: ReportContext, scores: pd.DataFrame) -> ReportTable:
    """Responses to the closure questionnaire by the reason they gave for the end, by side;
    the Total row of each side is that side's responses, the Total of the Total column all
    the rows of surveys/closure.csv."""
    codes = [*closure_reasons()["code"], "not_answered"]
    given = scores["close_reason"].replace("", "not_answered")
    counts = pd.DataFrame(
        {
            side: [int(((given == c) & (scores["rater_role"] == side)).sum()) for c in codes]
            for side in SIDES
        },
        index=pd.Index(codes, name="reason"),
    )
    data = protected_table(
        counts, ctx.k, "closure_survey_reasons", row_total=True, col_total=True, known=ctx.known
    ).reset_index()
    data.columns = [str(c) for c in data.columns]
    shown = ReportTable(
        "closure_survey_reasons",
        N_("Closure questionnaire: the reason given for the end, by side"),
        data,
        counts=(*SIDES, "Total"),
        note=N_(
            "Responses of surveys/closure.csv (CLOSE-4) by their answer to the question why the "
            "mentoring ended, as the codes of end_reason in pairs.csv; not_answered: left empty "
            "or not asked. A respondent's reason need not be the one pairs.csv records."
        ),
    )
    return ctx.show(shown)


def _survey_scores_table(
    ctx: ReportContext, by_role: pd.DataFrame, sides: pd.Series, side_shown: pd.Series
) -> ReportTable:
    """CLOSE-4 scores by subscale and side: n, mean, SD. The n of a side is protected with
    its complement against the side's responses, and hidden when the table of reasons hides
    that side's Total (an n equal to it would give it back)."""
    df = by_role[["label", "rater_role", "n", "mean", "sd"]].rename(
        columns={"label": "score", "rater_role": "side", "n": "respondents"}
    )
    total = [int(sides.get(r, 0)) for r in df["side"]]
    data = guard_statistics(df, "respondents", ["mean", "sd"], ctx.k, total=total)
    hidden = df["side"].map(side_shown).isna().to_numpy()
    data["respondents"] = data["respondents"].mask(hidden)
    shown = ReportTable(
        "closure_survey_scores",
        N_("Closure questionnaire: scores by side (1-5)"),
        data,
        counts=("respondents",),
        formats={"mean": "{:.2f}", "sd": "{:.2f}"},
        note=N_(
            "CLOSE-4 scores of surveys/closure.csv: what the mentoring achieved (mean of items 1 "
            "and 2), would recommend the programme (item 3), would take part again (item 4); "
            "respondents: those who answered the score's items. Mean and SD are hidden below "
            "{k} respondents."
        ).format(k=ctx.k),
    )
    return ctx.show(shown)


def _survey_part(ctx: ReportContext) -> tuple[tuple[str, ...], tuple[ReportTable, ...]]:
    """The closure questionnaire's paragraph and tables, or nothing without surveys/closure.csv."""
    answers = ctx.programme.surveys.get("closure")
    if answers is None or answers.empty:
        return (), ()
    res = closure_summary(answers)
    sides = res.scores["rater_role"].value_counts()
    text = N_(
        "The closure questionnaire (CLOSE-4, surveys/closure.csv): why the mentoring ended, "
        "what it achieved, whether the respondent would recommend the programme and take part "
        "again, each on a 1-5 scale."
    )
    reasons = _survey_reasons_table(ctx, res.scores)
    side_shown = reasons.data.set_index("reason").loc["Total", list(SIDES)]
    tables = (reasons, _survey_scores_table(ctx, res.by_role, sides, side_shown))
    return (text,), tables


def _horizon_text(ret: Retention) -> str:
    week = int(ret.table["week"].iloc[-1]) if len(ret.table) else 0
    return N_(
        "The horizon is week {week} after matching: the last week a pair was followed. A pair "
        "leaves observation at its planned end (completed: censored, not an event), at its "
        "early closure (the event), or, still going, {days} days before the assessment (an "
        "end without record is only seen after {days} days of silence); the curves stop "
        "there, the week of the latest of these."
    ).format(week=week, days=f"{ret.dormant_days:g}")


def closure_section(ctx: ReportContext, eng: Engagement | None) -> ReportSection:
    """How the pairs ended: outcomes, early-closure reasons and their cumulative incidence.

    Parameters
    ----------
    ctx : ReportContext
        The report's settings and what the tables before show.
    eng : Engagement or None
        The engagement of section 3 (None when the folder has no pairs or exchange log).

    Returns
    -------
    ReportSection
        ``closure`` with the tables ``closure_outcome`` and ``closure_reasons``, or a
        paragraph saying why not (no exchange log; no closure columns in ``pairs.csv``);
        then, with ``surveys/closure.csv``, the tables ``closure_survey_reasons`` and
        ``closure_survey_scores``.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> closure_section(ctx, None).paragraphs[0][:14]
    'Not available:'
    """
    if eng is None:
        text = N_("Not available: the folder has no pairs.csv or no interactions.csv yet.")
        return _with_survey(ctx, (text,), ())
    table = eng.table
    if not has_closure(table):
        text = N_(
            "pairs.csv records no planned end and no closure (optional columns planned_end, "
            "ended_on, end_reason): a pair is only seen ending after {days} days without "
            "exchange (section 3), and a pair that finished as planned cannot be told from one "
            "that stopped."
        ).format(days=f"{eng.thresholds.dormant_days:g}")
        return _with_survey(ctx, (text,), ())
    ret = retention(eng)
    outcome = _outcomes(table, eng.thresholds.dormant_days)
    outcomes = _outcome_table(ctx, table, outcome)
    reasons = _reasons_table(ctx, table, outcome, ret)
    lead = N_(
        "How the pairs of pairs.csv ended by {as_of} UTC, from its closure columns (planned_end, "
        "ended_on, end_reason) read against the exchange log."
    ).format(as_of=f"{eng.as_of:%Y-%m-%d %H:%M}")
    return _with_survey(ctx, (lead, _horizon_text(ret)), (outcomes, reasons))


def _with_survey(
    ctx: ReportContext, paragraphs: tuple[str, ...], tables: tuple[ReportTable, ...]
) -> ReportSection:
    """The section: its paragraphs and tables, then the closure questionnaire's."""
    more_text, more_tables = _survey_part(ctx)
    return ReportSection("closure", _TITLE, paragraphs + more_text, tables + more_tables)
