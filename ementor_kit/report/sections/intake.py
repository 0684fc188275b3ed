"""Section 1 of the pilot report: intake and validation, and what was left out.

The files read (each passed the data contract), participants by cohort, mentees by declared
group and pair in force, and the ledger gathered from every later step: what each analysis
used and why the rest was left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ementor_kit.data.schema import TABLES
from ementor_kit.data.validation import Programme
from ementor_kit.i18n.language import N_
from ementor_kit.report._context import (
    NOT_DECLARED,
    WAVES,
    LedgerEntry,
    ReportContext,
    report_waves,
)
from ementor_kit.report._suppression import CellRef, protected_table, same_count
from ementor_kit.report.model import ReportSection, ReportTable
from ementor_kit.survey.privacy import suppress_small_cells

__all__ = ["group_total_cell", "intake_section", "left_out_table"]

_PARAGRAPH = N_(
    "Every file of the programme folder passed the data contract "
    "(ementor_kit.data.schema{declared}): types, allowed values, unique ids and the "
    "references between files. Nothing is coerced or dropped silently: the table 'What was "
    "left out of the analyses, and why' accounts for every exchange and every survey "
    "response that an analysis below could not use."
)


def _mentee_groups(mentees: pd.DataFrame) -> pd.Series:
    """Each mentee's declared ``group`` (text), or "not declared" (also without the column)."""
    if "group" not in mentees.columns:
        return pd.Series(NOT_DECLARED, index=mentees.index, dtype="str")
    return mentees["group"].astype("str").fillna(NOT_DECLARED)


def group_total_cell(p: Programme, group: str) -> CellRef:
    """The cell of 'Mentees by declared group' holding a group's mentees (``Total``: all).

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> print(group_total_cell(generate_programme(n_mentees=8, n_mentors=3, seed=1), "qpv"))
    mentees_by_group [qpv] Total
    """
    return CellRef("mentees_by_group", (group,), "mentees" if p.pairs is None else "Total")


def _files_table(ctx: ReportContext) -> ReportTable:
    p, rows = ctx.programme, {}
    for name, spec in TABLES.items():
        if name not in WAVES and getattr(p, name, None) is not None:
            rows[spec.file] = len(getattr(p, name))
    for name in report_waves(p):  # the survey files the sections read, in their order
        rows[ctx.file_rows(name)[0].row[0]] = len(p.surveys[name])
    files = pd.DataFrame({"rows": list(rows.values())}, index=pd.Index(rows, name="file"))
    files = suppress_small_cells(files, ctx.k, margins=False).table.reset_index()
    return ctx.show(
        ReportTable(
            "files",
            N_("Files read (every one passed the data contract)"),
            files,
            counts=("rows",),
        )
    )


def _cohorts_table(ctx: ReportContext) -> ReportTable | None:
    """Participants by cohort; the column totals are the rows of mentors.csv and mentees.csv."""
    p = ctx.programme
    if not {"cohort"} <= set(p.mentors.columns) & set(p.mentees.columns):
        return None  # a programme that declares no cohort
    cohorts = pd.DataFrame(
        {
            "mentors": p.mentors["cohort"].astype("str").value_counts(),
            "mentees": p.mentees["cohort"].astype("str").value_counts(),
        }
    ).fillna(0)
    cohorts = cohorts.sort_index()
    cohorts.index.name = "cohort"
    relations = [
        same_count(CellRef("participants", ("Total",), role), ctx.file_rows(role)[0], f"the {role}")
        for role in ("mentors", "mentees")
    ]
    cohorts = protected_table(
        cohorts, ctx.k, "participants", relations, row_total=True, col_total=True, known=ctx.known
    ).reset_index()
    table = ReportTable(
        "participants",
        N_("Participants by cohort"),
        cohorts,
        counts=("mentors", "mentees", "Total"),
    )
    return ctx.show(table, relations)


def _groups_table(ctx: ReportContext) -> ReportTable:
    """Mentees by group (and pair in force): they are the rows of mentees.csv, those with a
    pair the rows of pairs.csv when each mentee has one pair."""
    p = ctx.programme
    group = _mentee_groups(p.mentees)
    if p.pairs is not None:
        paired = p.mentees["mentee_id"].isin(set(p.pairs["mentee_id"]))
        ct = pd.crosstab(group, paired.map({True: N_("with a pair"), False: N_("without a pair")}))
        ct = ct.reindex(columns=["with a pair", "without a pair"], fill_value=0)
    else:
        ct = group.value_counts().to_frame("mentees")
    ct = ct.sort_index()
    ct.index.name = "group"
    ct.columns.name = None
    relations = [
        same_count(group_total_cell(p, "Total"), ctx.file_rows("mentees")[0], "the mentees")
    ]
    if p.pairs is not None and p.pairs["mentee_id"].is_unique:
        with_pair = CellRef("mentees_by_group", ("Total",), "with a pair")
        relations.append(same_count(with_pair, ctx.file_rows("pairs")[0], "one pair per mentee"))
    ct = protected_table(
        ct,
        ctx.k,
        "mentees_by_group",
        relations,
        row_total=True,
        col_total=ct.shape[1] > 1,
        known=ctx.known,
    ).reset_index()
    table = ReportTable(
        "mentees_by_group",
        N_("Mentees by declared group and pair in force (pairs.csv)")
        if p.pairs is not None
        else N_("Mentees by declared group"),
        ct,
        counts=tuple(c for c in ct.columns if c != "group"),
        note=(
            N_("qpv: lives in a priority neighbourhood (self-declared, optional).")
            if "qpv" in set(group)
            else ""
        ),
    )
    return ctx.show(table, relations)


def intake_section(ctx: ReportContext) -> ReportSection:
    """Files read, participants by cohort, mentees by group (the ledger is added at the end).

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> [t.name for t in intake_section(ctx).tables]
    ['files', 'participants', 'mentees_by_group']
    """
    p = ctx.programme
    found = (_files_table(ctx), _cohorts_table(ctx), _groups_table(ctx))
    tables = tuple(t for t in found if t is not None)
    declared = N_(" and the folder's programme.yaml") if p.spec is not None else ""
    paragraph = _PARAGRAPH.format(declared=declared)
    return ReportSection("intake", N_("1. Intake and validation"), (paragraph,), tables)


def left_out_table(entries: Sequence[LedgerEntry]) -> ReportTable:
    """'What was left out of the analyses, and why': every stage's ledger, in report order.

    Examples
    --------
    >>> left_out_table([]).data.columns.tolist()
    ['stage', 'what', 'count']
    >>> e = LedgerEntry("log", pd.DataFrame({"what": ["used", "Total"], "count": [9, 9]}))
    >>> left_out_table([e]).data["stage"].tolist()
    ['log', 'log']
    """
    frames = [e.table.assign(stage=e.stage) for e in entries]
    if frames:
        led = pd.concat(frames, ignore_index=True)[["stage", "what", "count"]]
    else:
        led = pd.DataFrame(
            {
                "stage": pd.Series(dtype="str"),
                "what": pd.Series(dtype="str"),
                "count": pd.Series(dtype="Int64"),
            }
        )
    return ReportTable(
        "left_out",
        N_("What was left out of the analyses, and why"),
        led,
        counts=("count",),
        note=N_(
            "Each stage lists what was used and every reason something was not; "
            "'Total' is everything that reached the stage."
        ),
    )
