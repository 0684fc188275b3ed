"""Section 3 of the pilot report, continued: coordinator check-ins and circles, when recorded.

With ``checkins.csv`` in the programme folder (the coordinator's own contacts, see
:func:`~ementor_kit.graph.checkins.followup`): the pairs contacted at least once or never, and
where each pair's next check-in stands against the cadence (overdue, due within the week, not
due yet, none due). With ``group_id`` in ``pairs.csv`` (circles, see
:func:`~ementor_kit.graph.circles.circle_engagement`): the pairs in a circle or one-to-one, and
the circles by the most worrying status among their pairs. Without those data the section
says nothing more. Every count goes through the report's small-cell suppression, protected
against the rows of ``pairs.csv`` in 'Files read' and the table of statuses.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ementor_kit.graph.checkins import followup
from ementor_kit.graph.circles import circle_engagement
from ementor_kit.graph.engagement_metrics import Engagement
from ementor_kit.i18n.language import N_
from ementor_kit.report._context import ReportContext
from ementor_kit.report._suppression import CellRef, Relation, adds_up, protected_list, same_count
from ementor_kit.report.model import ReportTable
from ementor_kit.report.sections.engagement import _ORDER, _status_cell, listed_statuses

__all__ = ["followup_part"]

_CONTACTED = N_("contacted at least once")
_NEVER = N_("never contacted")
_OVERDUE = N_("check-in overdue")
_DUE = N_("check-in due within {days} days")
_LATER = N_("check-in not due yet")
_NONE = N_("no check-in due (pair ended, or matched after the assessment)")
_IN_CIRCLE = N_("in a circle")
_ONE_TO_ONE = N_("one-to-one")
_ENDED = ("completed", "closed_early")


def _checkins_file(ctx: ReportContext) -> Path | None:
    folder = ctx.programme.folder
    path = None if folder is None else Path(folder) / "checkins.csv"
    return path if path is not None and path.is_file() else None


def _listed(
    ctx: ReportContext, name: str, label: str, values: dict[str, int], relations: list[Relation]
) -> pd.DataFrame:
    def cell(what: str) -> CellRef:
        return CellRef(name, (what,), "count")

    return protected_list(values, ctx.k, label, cell, relations, known=ctx.known)


def _checkin_tables(ctx: ReportContext, eng: Engagement, path: Path) -> list[ReportTable]:
    fu = followup(eng, path)
    t = fu.table
    files = ctx.file_rows("pairs")[0]
    contacted = int((t["n_checkins"] > 0).sum())
    first = {_CONTACTED: contacted, _NEVER: len(t) - contacted}
    rel = [same_count(CellRef("coordinator_contact", ("Total",), "count"), files, "every pair")]
    contact = _listed(ctx, "coordinator_contact", "pairs", first, rel)
    due = t["checkin_due"]
    day, within = fu.as_of_day, fu.within_days
    soon = due.notna() & (due >= day) & (due <= day + pd.Timedelta(within, "D"))
    soon_label = _DUE.format(days=within)
    second = {
        _OVERDUE: int(t["overdue"].sum()),
        soon_label: int(soon.sum()),
        _LATER: int((due.notna() & ~soon & ~t["overdue"]).sum()),
        _NONE: int(due.isna().sum()),
    }
    rel2 = [same_count(CellRef("checkin_due", ("Total",), "count"), files, "every pair")]
    ended = [s for s in _ENDED if s in listed_statuses(eng.table)]
    if second[_NONE] == int(eng.table["status"].isin(_ENDED).sum()) and ended:
        rel2.append(
            adds_up(
                [_status_cell(s) for s in ended],
                CellRef("checkin_due", (_NONE,), "count"),
                "no check-in is due for the pairs that ended",
            )
        )
    state = _listed(ctx, "checkin_due", N_("next check-in"), second, rel2)
    return [
        ctx.show(
            ReportTable(
                "coordinator_contact",
                N_("Pairs by coordinator contact (checkins.csv)"),
                contact,
                counts=("count",),
                note=N_("Attempts that reached nobody (no_answer) are not contacts."),
            ),
            rel,
        ),
        ctx.show(
            ReportTable(
                "checkin_due",
                N_("Pairs by their next coordinator check-in (one every {days} days)").format(
                    days=fu.cadence_days
                ),
                state,
                counts=("count",),
            ),
            rel2,
        ),
    ]


def _circle_tables(ctx: ReportContext, eng: Engagement) -> list[ReportTable]:
    t = eng.table
    gid = t["group_id"].astype(object).where(t["group_id"].notna(), "").astype(str).str.strip()
    n_in = int((gid != "").sum())
    files = ctx.file_rows("pairs")[0]
    rel = [same_count(CellRef("pairs_in_circles", ("Total",), "count"), files, "every pair")]
    kind = _listed(
        ctx, "pairs_in_circles", "pairs", {_IN_CIRCLE: n_in, _ONE_TO_ONE: len(t) - n_in}, rel
    )
    circles = circle_engagement(eng)
    worst = []
    for _, row in circles.iterrows():
        present = [s for s in _ORDER if row.get(f"n_{s}", 0) > 0]
        going = [s for s in present if s not in _ENDED]  # an ended pair weighs only alone
        worst.append(min(going or present, key=_ORDER.__getitem__))
    worst_s = pd.Series(worst, dtype="str")
    order = [s for s in _ORDER if s in set(worst_s) or s in listed_statuses(t)]
    by_status = {s: int((worst_s == s).sum()) for s in order}
    status = _listed(ctx, "circles_by_status", "status", by_status, [])
    return [
        ctx.show(
            ReportTable(
                "pairs_in_circles",
                N_("Pairs in a circle (group_id in pairs.csv) or one-to-one"),
                kind,
                counts=("count",),
            ),
            rel,
        ),
        ctx.show(
            ReportTable(
                "circles_by_status",
                N_("Circles by the most worrying status among their pairs"),
                status,
                counts=("count",),
                note=N_(
                    "A circle counts once, under the status of its pair needing most care "
                    "(an ended pair only when all its pairs have ended)."
                ),
            )
        ),
    ]


def followup_part(ctx: ReportContext, eng: Engagement) -> tuple[tuple[str, ...], tuple]:
    """The paragraphs and tables on check-ins and circles, empty when neither is recorded.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> from ementor_kit.graph import engagement
    >>> prog = generate_programme(n_mentees=20, n_mentors=6, weeks=4, seed=1)
    >>> ctx = ReportContext(prog, b"0123456789abcdef", k=5, pair_lists=True)
    >>> followup_part(ctx, engagement(prog.interactions, prog.pairs))
    ((), ())
    """
    paragraphs: list[str] = []
    tables: list[ReportTable] = []
    path = _checkins_file(ctx)
    if path is not None:
        paragraphs.append(
            N_(
                "Coordinator follow-up, from checkins.csv: the pairs the coordinators reached "
                "at least once, and where each pair's next check-in stands against the "
                "cadence (the last contact, or the matching, plus the days between two "
                "check-ins), as of the assessment."
            )
        )
        tables += _checkin_tables(ctx, eng, path)
    t = eng.table
    if "group_id" in t.columns and (t["group_id"].astype("str").str.strip() != "").any():
        paragraphs.append(
            N_(
                "Circles (group_id in pairs.csv): one mentor with several mentees, each "
                "mentee's pair judged as above."
            )
        )
        tables += _circle_tables(ctx, eng)
    return tuple(paragraphs), tuple(tables)
