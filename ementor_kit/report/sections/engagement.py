"""Section 3 of the pilot report: engagement and check-ins.

Pairs by status, the rules that flag pairs for a coordinator's attention (without any pair's
own numbers), engagement measures aggregated over pairs, the pseudonymised check-in list, and
two figures: exchanges by week since matching, and retention.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit._html import figure_png
from ementor_kit.data.validation import Programme
from ementor_kit.graph.activity import weekly_activity
from ementor_kit.graph.engagement_metrics import Engagement, EngagementThresholds, engagement
from ementor_kit.graph.goals import goal_progress
from ementor_kit.graph.plots import plot_retention, plot_sync_async
from ementor_kit.graph.survival import Retention, retention
from ementor_kit.i18n.language import N_
from ementor_kit.report._context import LedgerEntry, ReportContext, ledger_cell
from ementor_kit.report._suppression import (
    CellRef,
    adds_up,
    guard_statistics,
    protected_list,
    same_count,
    shown_share,
)
from ementor_kit.report.model import ReportFigure, ReportSection, ReportTable

__all__ = [
    "EngagementStep",
    "engagement_figures",
    "engagement_section",
    "listed_statuses",
    "rule_label",
    "status_shares",
]

_TITLE = N_("3. Engagement and check-ins")
_STATUS_ORDER = (
    "closed_early",
    "dormant",
    "at_risk",
    "needs_check_in",
    "not_started",
    "active",
    "completed",
)
_ORDER = {s: i for i, s in enumerate(_STATUS_ORDER)}
# the statuses every table of pairs by status lists (0 included); a pair that ended (a planned
# end, an early closure: pairs.csv's closure columns) adds its status only when one has it
_ALWAYS = ("dormant", "at_risk", "needs_check_in", "not_started", "active")
_RULE_PATTERNS = (
    (r"^no exchange for [\d.]+ days \(> ([\d.]+)\)", r"no exchange for more than \1 days"),
    (
        r"^last message, from the (mentee|mentor), unanswered for [\d.]+ days \(> ([\d.]+)\)",
        r"last message, from the \1, unanswered for more than \2 days",
    ),
    (
        r"^no exchange in the [\d.]+ days since matching \(first exchange expected within "
        r"([\d.]+) days\)",
        r"no first exchange within \1 days of matching",
    ),
    (r"^no exchange yet.*", "no exchange yet"),
    (r"^goal stalled > ([\d.]+) days.*", r"a goal without progress for more than \1 days"),
    (r"^last exchange [\d.]+ days ago", "exchanges within the check-in window"),
)
_RULE_WORDS = (  # the labels above as the catalogue's templates (translated where shown)
    N_("no exchange for more than {days} days"),
    N_("last message, from the mentee, unanswered for more than {days} days"),
    N_("last message, from the mentor, unanswered for more than {days} days"),
    N_("no first exchange within {days} days of matching"),
    N_("no exchange yet"),
    N_("a goal without progress for more than {days} days"),
    N_("exchanges within the check-in window"),
)


@dataclass(frozen=True, eq=False)
class EngagementStep:
    """The engagement section and what later steps need from it.

    Attributes
    ----------
    section : ReportSection
    engagement : Engagement or None
        None when the folder has no pairs or no exchange log.
    left_out : tuple of LedgerEntry
        What the exchange log could not attribute to a pair, by reason.
    """

    section: ReportSection
    engagement: Engagement | None = None
    left_out: tuple[LedgerEntry, ...] = ()


def rule_label(reason: str) -> str:
    """The rule behind a status, without the pair's own numbers.

    Examples
    --------
    >>> rule_label("no exchange for 28.8 days (> 21)")
    'no exchange for more than 21 days'
    >>> rule_label("something after 3.5 days")
    'something after N days'
    """
    for pattern, label in _RULE_PATTERNS:
        if re.match(pattern, reason):
            return re.sub(pattern, label, reason)
    return re.sub(r"\d+(?:\.\d+)?", "N", reason)


def _status_cell(status: str) -> CellRef:
    return CellRef("engagement_status", (status,), "count")


def status_shares(status: pd.DataFrame) -> pd.DataFrame:
    """The pairs by status with each ``share`` of the Total, shown only beside both counts.

    Examples
    --------
    >>> df = pd.DataFrame({"status": ["a", "b", "Total"],
    ...                    "count": pd.array([30, None, 40], dtype="Int64")})
    >>> status_shares(df)["share"].tolist()
    [0.75, <NA>, 1.0]
    """
    total = pd.Series([status["count"].iloc[-1]] * len(status), index=status.index)
    return status.assign(share=shown_share(status["count"], total))


def listed_statuses(table: pd.DataFrame) -> list[str]:
    """The statuses of the table 'Pairs by status', in its order: the five of pairs still
    going (0 included), then ``closed_early`` and ``completed`` when a pair has them.

    Examples
    --------
    >>> listed_statuses(pd.DataFrame({"status": ["active", "completed"]}))
    ['dormant', 'at_risk', 'needs_check_in', 'not_started', 'active', 'completed']
    """
    present = set(table["status"].astype("str"))
    return [s for s in _STATUS_ORDER if s in _ALWAYS or s in present]


def _status_table(ctx: ReportContext, table: pd.DataFrame) -> ReportTable:
    """Pairs by status; every pair of pairs.csv has one, so the Total is the file's rows."""
    counts = table["status"].value_counts().reindex(listed_statuses(table), fill_value=0)
    files, _ = ctx.file_rows("pairs")
    relations = [same_count(_status_cell("Total"), files, "every pair of pairs.csv has a status")]
    status = protected_list(
        {str(s): int(n) for s, n in counts.items()},
        ctx.k,
        "status",
        _status_cell,
        relations,
        known=ctx.known,
    )
    status = status_shares(status)
    table_ = ReportTable(
        "engagement_status",
        N_("Pairs by status"),
        status,
        counts=("count",),
        formats={"share": "{:.1%}"},
    )
    return ctx.show(table_, relations)


def _check_in_rules_table(ctx: ReportContext, table: pd.DataFrame) -> ReportTable | None:
    """The pairs needing attention by rule; where every pair of a status is flagged (dormant,
    at risk, needing a check-in), its rules add up to that status's count."""
    need = table[table["needs_action"]]
    rules = [
        f"{st}: {rule_label(r)}"
        for st, r in zip(need["status"], need["status_reason"], strict=True)
    ]
    rule_counts = pd.Series(rules, dtype="str").value_counts()
    keys = sorted(rule_counts.index, key=lambda r: (_ORDER.get(r.split(":")[0], 9), r))
    if not keys:
        return None

    def cell(rule: str) -> CellRef:
        return CellRef("check_in_rules", (rule,), "count")

    relations = []
    for st in dict.fromkeys(r.split(":")[0] for r in keys):
        mine = [r for r in keys if r.split(":")[0] == st]
        if int(sum(rule_counts[r] for r in mine)) == int((table["status"] == st).sum()):
            why = f"the pairs '{st}' by the rule that flagged them"
            relations.append(adds_up([cell(r) for r in mine], _status_cell(st), why))
    counts = protected_list(
        {r: int(rule_counts[r]) for r in keys},
        ctx.k,
        "status: rule",
        cell,
        relations,
        known=ctx.known,
    )
    rules_table = ReportTable(
        "check_in_rules",
        N_("Pairs needing a coordinator's attention, by the rule that flagged them"),
        counts,
        counts=("count",),
    )
    return ctx.show(rules_table, relations)


def _measures_table(table: pd.DataFrame, k: int) -> ReportTable:
    measures = {
        N_("exchanges per pair"): table["n_exchanges"],
        N_("sync share (video, phone)"): table["sync_share"],
        N_("median response time (hours)"): table["median_response_hours"],
        N_("share of conversations started by the mentee"): table["mentee_initiation_share"],
        N_("active weeks / weeks observed"): table["active_weeks"] / table["weeks_observed"],
        N_("longest silence (days)"): table["longest_gap_days"],
    }
    rows = []
    for name, v in measures.items():
        x = pd.to_numeric(v, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        x = x[~np.isnan(x)]
        q = np.quantile(x, [0.25, 0.5, 0.75]) if len(x) else [np.nan] * 3
        rows.append(
            {
                "measure": name,
                "pairs": len(x),
                "mean": x.mean() if len(x) else np.nan,
                "q1": q[0],
                "median": q[1],
                "q3": q[2],
            }
        )
    meas = guard_statistics(
        pd.DataFrame(rows),
        "pairs",
        ["mean", "q1", "median", "q3"],
        k,
        total=[len(table)] * len(rows),
    )
    return ReportTable(
        "engagement_measures",
        N_("Engagement measures over pairs"),
        meas,
        counts=("pairs",),
        formats={c: "{:.2f}" for c in ("mean", "q1", "median", "q3")},
        note=N_(
            "A measure is over the pairs where it is defined (e.g. a response time needs a reply)."
        ),
    )


def _check_in_list(ctx: ReportContext, need: pd.DataFrame) -> tuple[ReportTable, ...]:
    if not (ctx.pair_lists and len(need)):
        return ()
    lst = need.assign(_o=need["status"].map(_ORDER), _d=-need["days_since_last_contact"].fillna(-1))
    lst = lst[["mentee_id", "mentor_id", "status", "status_reason", "_o", "_d"]]
    # the rule as a category, as the table of rules counts it: a raw reason holds the pair's
    # own numbers and goal ids, which may embed the mentee's raw id (e.g. goal E080-2)
    lst = lst.assign(status_reason=[rule_label(r) for r in lst["status_reason"]])
    lst = ctx.pseudonymise(lst, mentee=["mentee_id"], mentor=["mentor_id"])
    lst = lst.sort_values(["_o", "_d", "mentee_id", "mentor_id"], kind="stable")
    lst = lst.drop(columns=["_o", "_d"]).rename(
        columns={"mentee_id": "mentee", "mentor_id": "mentor", "status_reason": "rule"}
    )
    return (
        ReportTable(
            "list_check_in",
            N_("Check-in list (pseudonyms; resolve them with the study key)"),
            lst.reset_index(drop=True),
        ),
    )


def _paragraphs(as_of: pd.Timestamp, th: EngagementThresholds) -> tuple[str, str]:
    return (
        N_(
            "Engagement as of {as_of} UTC, from the exchange log of the pairs in force. "
            "Statuses come from transparent rules (days): no exchange for more than {check_in} "
            "days asks for a check-in, {at_risk} days means at risk, {dormant} dormant; a "
            "message unanswered for more than {unanswered} days or a goal without progress "
            "also asks for a check-in; a pair without any exchange {first} days after matching "
            "needs a nudge."
        ).format(
            as_of=f"{as_of:%Y-%m-%d %H:%M}",
            check_in=f"{th.check_in_days:g}",
            at_risk=f"{th.at_risk_days:g}",
            dormant=f"{th.dormant_days:g}",
            unanswered=f"{th.unanswered_days:g}",
            first=f"{th.first_contact_days:g}",
        ),
        N_("Measures are aggregated over pairs: a pair's own counts are not shown."),
    )


def _log_ledger(ctx: ReportContext, n_log: int, unused: Mapping[str, int]) -> LedgerEntry:
    """Rows of the exchange log used or not, by reason; they add up to the file's rows."""
    stage = N_("exchange log (interactions.csv)")
    ledger = {N_("used for a pair"): n_log - int(sum(unused.values()))}
    ledger.update({str(r): int(n) for r, n in sorted(unused.items())})
    same = same_count(
        ledger_cell(stage, "Total"), ctx.file_rows("interactions")[0], "the exchange log's rows"
    )
    ctx.known.relate([same])
    return ctx.left_out(stage, ledger, relations=[same])


def _assess(
    p: Programme, interactions: pd.DataFrame, pairs: pd.DataFrame, as_of: object
) -> Engagement:
    """Goal progress and engagement as of ``as_of`` (default: the last exchange in the log)."""
    if as_of is None and len(interactions):
        as_of = pd.Timestamp(interactions["timestamp"].max())
    gp = None
    if p.goals is not None:
        gp = goal_progress(p.goals, p.goal_updates, pairs, as_of=as_of)
    return engagement(interactions, pairs, as_of=as_of, goal_progress=gp, lang="en")


def engagement_section(ctx: ReportContext, as_of: object = None) -> EngagementStep:
    """Assess the pairs in force as of ``as_of`` and report statuses and measures.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> step = engagement_section(ctx)
    >>> [t.name for t in step.section.tables][::2], step.left_out[0].stage
    (['engagement_status', 'engagement_measures'], 'exchange log (interactions.csv)')
    """
    p, k = ctx.programme, ctx.k
    interactions, pairs = p.interactions, p.pairs
    if pairs is None or interactions is None:
        text = N_("Not available: the folder has no pairs.csv or no interactions.csv yet.")
        return EngagementStep(ReportSection("engagement", _TITLE, (text,)))
    eng = _assess(p, interactions, pairs, as_of)
    table = eng.table
    need = table[table["needs_action"]]
    status = _status_table(ctx, table)
    check = _check_in_rules_table(ctx, table)
    tables = (
        status,
        *(() if check is None else (check,)),
        ctx.show(_measures_table(table, k)),
    )
    section = ReportSection(
        "engagement",
        _TITLE,
        _paragraphs(eng.as_of, eng.thresholds),
        tables,
        lists=_check_in_list(ctx, need),
    )
    ledger = _log_ledger(ctx, len(interactions), eng.unused_interactions)
    return EngagementStep(section, eng, (ledger,))


def _retention_caption(ret: Retention) -> str:
    """The curve's caption: what it estimates, how far it goes and why it stops there."""
    return N_(
        "Retention: share of pairs still exchanging by week since matching (Kaplan-Meier), "
        "up to week {week}, the last time a pair was seen ending or leaving observation. "
        "Without a recorded end, a pair counts as ended after {days} days without exchange; "
        "as such an end is only seen {days} days after it happens, a pair is followed up to "
        "{days} days before the assessment, which is why the curve stops short of the "
        "programme's length."
    ).format(week=max(len(ret.table) - 1, 0), days=f"{ret.dormant_days:g}")


def engagement_figures(
    interactions: pd.DataFrame, pairs: pd.DataFrame, eng: Engagement, lang: str = "en"
) -> tuple[ReportFigure, ReportFigure]:
    """Exchanges by week since matching (sync and async) and the retention curve.

    ``eng`` is the :func:`~ementor_kit.graph.engagement_metrics.engagement` of ``pairs`` from
    ``interactions``; the weeks end at its ``as_of``.
    """
    weekly = weekly_activity(interactions, pairs, as_of=eng.as_of)
    ret = retention(eng)
    return (
        ReportFigure(
            "sync_async",
            N_("Exchanges by week since matching"),
            figure_png(plot_sync_async(weekly, lang=lang), dpi=96),
            N_(
                "Stacked bars of synchronous and asynchronous exchanges of all pairs by "
                "week since matching, with the synchronous share."
            ),
        ),
        ReportFigure(
            "retention",
            _retention_caption(ret),
            figure_png(plot_retention(ret, lang=lang), dpi=96),
            N_("Kaplan-Meier curve of the share of pairs still active by week since matching."),
        ),
    )
