"""Section 2 of the pilot report: pairing with the chosen rules.

The optimiser's status, how many mentees of each group the rules pair, the compatibility
scores of the proposed pairs (aggregates only), who stays unpaired and why, the mentors'
capacity left, how the rules' pairs compare with the pairs in force, and a box plot of the
scores by group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ementor_kit._html import figure_png
from ementor_kit.i18n.formatting import decimal_axis
from ementor_kit.i18n.language import N_, translator
from ementor_kit.matching import MatchResult, MatchSummary, match
from ementor_kit.matching.rules import MatchRules
from ementor_kit.report._context import ReportContext, rules_label, small_counts
from ementor_kit.report._suppression import (
    CellRef,
    adds_up,
    guard_statistics,
    protected_list,
    protected_table,
    same_count,
    shown_share,
)
from ementor_kit.report.model import ReportFigure, ReportSection, ReportTable
from ementor_kit.report.sections.intake import _mentee_groups, group_total_cell
from ementor_kit.survey.privacy import suppress_small_cells

__all__ = ["Pairing", "coverage_shares", "pairing_figure", "pairing_section"]

_REASON_WORDS = {
    "feasible_mentors_full": N_("every mentor they could have is full"),
    "no_feasible_mentor": N_("no mentor passes the hard rules"),
    "not_selected": N_("left out by the objective or a quota"),
}
_SCORE_STATS = ("mean", "p10", "q1", "median", "q3", "p90")


@dataclass(frozen=True, eq=False)
class Pairing:
    """The pairing section and what the figures step needs from it.

    Attributes
    ----------
    section : ReportSection
    scores : DataFrame
        The proposed pairs' ``mentee_id``, ``score`` and the mentee's ``group`` (for the box
        plot; never shown as a table).
    """

    section: ReportSection
    scores: pd.DataFrame


def _solver_table(s: MatchSummary, rules: MatchRules) -> ReportTable:
    solver = pd.DataFrame(
        {
            "item": [
                N_("rules"),
                N_("objective"),
                N_("objective value"),
                N_("solver"),
                N_("status"),
                N_("proven optimal"),
                N_("optimality gap"),
            ],
            "value": [
                rules_label(rules),
                s.objective,
                f"{s.objective_value:.4f}",
                s.solver,
                s.status,
                N_("yes") if s.proven_optimal else N_("no"),
                f"{s.gap:.3g}",
            ],
        }
    )
    return ReportTable("pairing_solver", N_("Optimiser"), solver)


def _coverage_cell(group: str, column: str) -> CellRef:
    return CellRef("pairing_coverage", (group,), column)


def coverage_shares(coverage: pd.DataFrame) -> pd.DataFrame:
    """The mentees paired by group with each ``coverage`` (paired / Total), shown only beside
    both counts.

    Examples
    --------
    >>> df = pd.DataFrame({"group": ["a", "Total"], "paired": pd.array([None, 9], dtype="Int64"),
    ...                    "Total": pd.array([12, 10], dtype="Int64")})
    >>> coverage_shares(df)["coverage"].tolist()
    [<NA>, 0.9]
    """
    return coverage.assign(coverage=shown_share(coverage["paired"], coverage["Total"]))


def _coverage_table(ctx: ReportContext, res: MatchResult) -> ReportTable:
    """Mentees paired by group; each group's mentees are those of 'Mentees by declared group',
    and a coverage is shown only beside both its counts."""
    p, k = ctx.programme, ctx.k
    group = _mentee_groups(p.mentees)
    got = p.mentees["mentee_id"].isin(set(res.pairs["mentee_id"]))
    cov = pd.crosstab(group, got.map({True: N_("paired"), False: N_("not paired")}))
    cov = cov.reindex(columns=["paired", "not paired"], fill_value=0).sort_index()
    cov.index.name, cov.columns.name = "group", None
    relations = [
        same_count(
            _coverage_cell(str(g), "Total"), group_total_cell(p, str(g)), "the mentees of a group"
        )
        for g in [*cov.index, "Total"]
    ]
    cov = protected_table(
        cov, k, "pairing_coverage", relations, row_total=True, col_total=True, known=ctx.known
    ).reset_index()
    cov = coverage_shares(cov)
    table = ReportTable(
        "pairing_coverage",
        N_("Mentees paired by the rules, by group"),
        cov,
        counts=("paired", "not paired", "Total"),
        formats={"coverage": "{:.1%}"},
        note=N_(
            "Coverage = paired / Total; it is shown only where both counts are shown "
            "(neither suppressed: {counts}, and the cells hidden with them, are suppressed)."
        ).format(counts=small_counts(k)),
    )
    return ctx.show(table, relations)


def _scores_table(ctx: ReportContext, scores: pd.DataFrame, coverage: pd.DataFrame) -> ReportTable:
    """Score quantiles by group and overall; each n as the coverage table shows it."""
    rows = []
    for g in [*sorted(scores["group"].unique()), "all"]:
        v = scores["score"].to_numpy(dtype=float)
        if g != "all":
            v = v[(scores["group"] == g).to_numpy()]
        q = np.quantile(v, [0.1, 0.25, 0.5, 0.75, 0.9]) if len(v) else [np.nan] * 5
        rows.append(
            {
                "group": g,
                "pairs": len(v),
                "mean": float(v.mean()) if len(v) else np.nan,
                "p10": q[0],
                "q1": q[1],
                "median": q[2],
                "q3": q[3],
                "p90": q[4],
            }
        )
    paired_shown = dict(zip(coverage["group"], coverage["paired"], strict=True))
    paired_shown["all"] = paired_shown.pop("Total")
    dist = guard_statistics(
        pd.DataFrame(rows),
        "pairs",
        list(_SCORE_STATS),
        ctx.k,
        shown=[paired_shown[r["group"]] for r in rows],
    )
    relations = [
        same_count(
            CellRef("pairing_scores", (str(g),), "pairs"),
            _coverage_cell("Total" if g == "all" else str(g), "paired"),
            "the proposed pairs of a group are its paired mentees",
        )
        for g in dist["group"]
    ]
    table = ReportTable(
        "pairing_scores",
        N_("Compatibility score of the proposed pairs (0-100)"),
        dist,
        counts=("pairs",),
        formats={c: "{:.1f}" for c in _SCORE_STATS},
        note=N_("p10 / p90: 10th and 90th percentiles; q1 / q3: quartiles."),
    )
    return ctx.show(table, relations)


def _unpaired_tables(ctx: ReportContext, res: MatchResult, n_not_paired: int) -> list[ReportTable]:
    """Mentees left unpaired by reason (when there are any) and the mentors' capacity left;
    the unpaired add up to the coverage table's mentees not paired."""
    un, k = res.unmatched, ctx.k
    tables = []
    mentee_reasons = (
        un.loc[un["role"] == "mentee", "reason"].astype("str").value_counts().sort_index()
    )
    if len(mentee_reasons):

        def cell(reason: str) -> CellRef:
            return CellRef("pairing_unmatched", (reason,), "count")

        relations = []
        if int(mentee_reasons.sum()) == n_not_paired:
            not_paired = _coverage_cell("Total", "not paired")
            relations.append(same_count(cell("Total"), not_paired, "the mentees not paired"))
        mentee_un = protected_list(
            {_REASON_WORDS.get(r, r): int(n) for r, n in mentee_reasons.items()},
            k,
            "reason",
            cell,
            relations,
            known=ctx.known,
        )
        table = ReportTable(
            "pairing_unmatched",
            N_("Mentees the rules leave unpaired, by reason"),
            mentee_un,
            counts=("count",),
        )
        tables.append(ctx.show(table, relations))
    mentors_free = un[un["role"] == "mentor"]
    spare = mentors_free.loc[mentors_free["reason"] == "spare_capacity", "spare_capacity"]
    free = pd.DataFrame(
        {
            "count": [
                int(len(spare)),
                int(spare.sum()),
                int((mentors_free["reason"] == "no_capacity").sum()),
            ]
        },
        index=pd.Index(
            [N_("mentors with free places"), N_("free places"), N_("mentors with capacity 0")],
            name="mentors",
        ),
    )
    free = suppress_small_cells(free, k, margins=False).table.reset_index()
    table = ReportTable("pairing_free_places", N_("Mentor capacity left"), free, counts=("count",))
    tables.append(ctx.show(table))
    return tables


def _in_force_table(ctx: ReportContext, res: MatchResult, n_paired: int) -> ReportTable:
    """The rules' pairs against pairs.csv: the pairs in force are the file's rows, the
    proposed ones the coverage table's paired mentees (one mentor each)."""
    pairs = ctx.programme.pairs
    assert pairs is not None  # called only with pairs.csv
    proposed = set(zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True))
    in_force = set(zip(pairs["mentee_id"], pairs["mentor_id"], strict=True))
    both, only_in_force, only_proposed = (
        N_("in force and proposed by the rules"),
        N_("in force only"),
        N_("proposed by the rules only"),
    )

    def cell(what: str) -> CellRef:
        return CellRef("pairing_vs_in_force", (what,), "count")

    relations = []
    if len(in_force) == len(pairs):
        why = "the pairs of pairs.csv"
        relations.append(adds_up([cell(both), cell(only_in_force)], ctx.file_rows("pairs")[0], why))
    if len(proposed) == n_paired:
        why = "the rules' pairs are the mentees paired"
        paired = _coverage_cell("Total", "paired")
        relations.append(adds_up([cell(both), cell(only_proposed)], paired, why))
    counts = protected_list(
        {
            both: len(proposed & in_force),
            only_in_force: len(in_force - proposed),
            only_proposed: len(proposed - in_force),
        },
        ctx.k,
        "pairs",
        cell,
        relations,
        known=ctx.known,
    )
    table = ReportTable(
        "pairing_vs_in_force",
        N_("The rules' pairs and the pairs in force (pairs.csv)"),
        counts,
        counts=("count",),
        note=N_("Engagement and outcomes below concern the pairs in force."),
    )
    return ctx.show(table, relations)


def _unpaired_list(ctx: ReportContext, res: MatchResult) -> tuple[ReportTable, ...]:
    un = res.unmatched
    unpaired = un[un["role"] == "mentee"]
    if not (ctx.pair_lists and len(unpaired)):
        return ()
    # the reason's category only: the detail (which rule excludes how many mentors) singles
    # out a mentee with a rare language or attribute
    lst = unpaired[["person_id", "reason"]].rename(columns={"person_id": "mentee"})
    lst = lst.assign(reason=lst["reason"].map(lambda r: _REASON_WORDS.get(r, r)))
    lst = ctx.pseudonymise(lst, mentee=["mentee"]).sort_values("mentee", kind="stable")
    return (
        ReportTable(
            "list_unpaired",
            N_("Mentees the rules leave unpaired (pseudonyms)"),
            lst.reset_index(drop=True),
        ),
    )


def _hard_rules(rules: MatchRules) -> list[str]:
    """Every hard rule in force, in words: attribute rules, then min score and pair lists."""
    out = []
    for r in rules.attribute_rules:
        same = r.mentee == r.mentor
        attrs = (
            " + ".join(r.mentee)
            if same
            else N_("mentee {mentee} / mentor {mentor}").format(
                mentee=" + ".join(r.mentee), mentor=" + ".join(r.mentor)
            )
        )
        out.append(f"{r.name} ({r.kind} {attrs})")
    if rules.min_score > 0:
        out.append(f"min_score {rules.min_score:g}")
    for label, items in (
        (N_("forbidden pair(s)"), rules.forbidden_pairs),
        (N_("required pair(s)"), rules.required_pairs),
        (N_("capacity override(s)"), rules.capacity_override),
    ):
        if items:
            out.append(f"{len(items)} {label}")
    return out


def _rules_paragraph(rules: MatchRules, lang: str) -> str:
    """The paragraph naming the rules, with their description in ``lang``.

    Examples
    --------
    >>> rules = MatchRules(name="spring", description="Skills first.",
    ...                    descriptions=(("en", "Skills first."), ("fr", "Compétences d'abord.")))
    >>> _rules_paragraph(rules, "en")
    "Rules 'spring': Skills first."
    >>> _rules_paragraph(rules, "fr")
    "Règles « spring » : Compétences d'abord."
    """
    t = translator(lang)
    description = rules.description_in(lang).strip()
    if rules.name:
        first = t.gettext(N_("Rules '{name}': {description}")).format(
            name=rules.name, description=description
        )
    else:
        first = t.gettext(
            N_("{rules} (no rules given: MatchRules()).{description}")
            if rules == MatchRules()
            else N_("{rules}.{description}")
        ).format(
            rules=t.gettext(rules_label(rules)).capitalize(),
            description=" " * bool(description) + description,
        )
    return first.strip()


def _paragraphs(s: MatchSummary, rules: MatchRules) -> tuple[str, str]:
    hard = _hard_rules(rules)
    first = _rules_paragraph(rules, "en")
    template = (
        N_(
            "Objective {objective}; hard rules: {hard}. The optimiser ({solver}) finished with "
            "status '{status}', proven optimal: no other pairing under these rules does better."
        )
        if s.proven_optimal
        else N_(
            "Objective {objective}; hard rules: {hard}. The optimiser ({solver}) finished with "
            "status '{status}', not proven optimal (gap {gap})."
        )
    )
    return (
        first,
        template.format(
            objective=s.objective,
            hard=", ".join(str(h) for h in hard) if hard else N_("none"),
            solver=s.solver,
            status=s.status,
            gap=f"{s.gap:.3g}",
        ),
    )


def pairing_section(ctx: ReportContext, rules: MatchRules) -> Pairing:
    """Pair the programme's mentees and mentors with ``rules`` and report on the result.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=False)
    >>> out = pairing_section(ctx, MatchRules())
    >>> [t.name for t in out.section.tables][:3], out.section.lists
    (['pairing_solver', 'pairing_coverage', 'pairing_scores'], ())
    >>> sorted(out.scores.columns)
    ['group', 'mentee_id', 'score']
    """
    p = ctx.programme
    res = match(p.mentors, p.mentees, rules)
    groups = pd.DataFrame({"mentee_id": p.mentees["mentee_id"], "group": _mentee_groups(p.mentees)})
    scores = res.pairs[["mentee_id", "score"]].merge(groups, on="mentee_id")
    summary = res.summary()
    coverage = _coverage_table(ctx, res)
    n_paired = int(p.mentees["mentee_id"].isin(set(res.pairs["mentee_id"])).sum())
    tables = [
        _solver_table(summary, rules),
        coverage,
        _scores_table(ctx, scores, coverage.data),
        *_unpaired_tables(ctx, res, len(p.mentees) - n_paired),
    ]
    if p.pairs is not None:
        tables.append(_in_force_table(ctx, res, n_paired))
    section_paragraphs = _paragraphs(summary, rules)
    section = ReportSection(
        "pairing",
        N_("2. Pairing with the chosen rules"),
        section_paragraphs,
        tuple(tables),
        lists=_unpaired_list(ctx, res),
        texts=tuple(
            (section_paragraphs[0], lang, _rules_paragraph(rules, lang))
            for lang, _ in rules.descriptions
            if lang != "en"
        ),
    )
    return Pairing(section, scores)


def pairing_figure(scores: pd.DataFrame, k: int, lang: str = "en") -> ReportFigure | None:
    """Box plots of the scores by mentee group, for groups of at least k pairs (else None).

    Examples
    --------
    >>> scores = pd.DataFrame({"score": [60.0, 70, 80, 65, 75, 90], "group": ["a"] * 5 + ["b"]})
    >>> pairing_figure(scores, 5).name, pairing_figure(scores, 6)
    ('pairing_scores', None)
    """
    if not len(scores):
        return None
    groups = [g for g in sorted(scores["group"].unique()) if int((scores["group"] == g).sum()) >= k]
    if not groups:
        return None
    fig = Figure(figsize=(6.5, 3.2))
    ax = fig.add_subplot()
    data = [scores.loc[scores["group"] == g, "score"].to_numpy(dtype=float) for g in groups]
    t = translator(lang)
    ax.boxplot(data, whis=(5, 95), showfliers=False, tick_labels=[t.gettext(g) for g in groups])
    ax.set_ylabel(t.gettext(N_("compatibility score (0-100)")))
    ax.set_title(
        t.gettext(N_("Scores of the proposed pairs by mentee group (whiskers: 5th-95th pct)")),
        fontsize="medium",
    )
    decimal_axis(ax.yaxis, lang)
    fig.tight_layout()
    return ReportFigure(
        "pairing_scores",
        N_("Compatibility scores by group"),
        figure_png(fig, dpi=96),
        N_("Box plots of the pair scores by mentee group, without individual points."),
    )
