"""Section 6 of the pilot report: change from T0 to T1, and attrition.

Paired pre/post change of the mentees who answered both waves (mean difference, interval,
paired t, d_z, d_av, g_av) and whether those who dropped out differed at T0 (Welch t).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit.i18n.language import N_
from ementor_kit.report._context import (
    WAVES,
    LedgerEntry,
    ReportContext,
    SectionStep,
    ledger_cell,
)
from ementor_kit.report._suppression import (
    CellRef,
    Relation,
    adds_up,
    guard_statistics,
    protected_list,
    same_count,
    suppress_rows,
)
from ementor_kit.report.model import ReportSection, ReportTable
from ementor_kit.survey.effects import WaveComparison, compare_waves
from ementor_kit.survey.instruments import Instrument
from ementor_kit.survey.scoring import score

__all__ = ["prepost_section"]

_TITLE = N_("6. Change from T0 to T1")
_BOTH = N_("answered both waves, scored in both")
_FEW = N_("answered both waves, too few items in one")
_DROPPED = N_("answered T0 only (dropped out)")
_T1_ONLY = N_("answered T1 only")
# what a pair count gives back when it is shown beside its row: df = pairs - 1, t = d_z x
# sqrt(pairs), p and the interval from t and df, g_av / d_av = Hedges' J(df)
_GIVE_N_BACK = ("df", "t", "p", "CI low", "CI high", "g_av")
_F3 = "{:.3f}"
_CAVEAT = N_(
    "Without a comparison group, change from T0 to T1 is not the effect of the "
    "programme: maturation, the season and regression to the mean change scores "
    "too. The attrition table checks whether those who dropped out differed at T0."
)


@dataclass(frozen=True, eq=False)
class _Comparison:
    """One instrument's T0 -> T1 comparison, with the n of each effect as shown."""

    instrument: str
    effects: pd.DataFrame
    attrition: pd.DataFrame
    labels: dict[str, str]
    left_out: LedgerEntry
    pairs_shown: list[object]
    relations: tuple[Relation, ...]


def _ledger_relations(ctx: ReportContext, stage: str) -> list[Relation]:
    """Every response of the T0 and T1 files answered both waves or one: the stage's cells add
    up to the files' rows in 'Files read' (respondents are unique in a wave)."""

    def cells(*what: str) -> list[CellRef]:
        return [ledger_cell(stage, w) for w in what]

    t0, t1 = ctx.file_rows("mentee_t0")[0], ctx.file_rows("mentee_t1")[0]
    return [
        adds_up(cells(_BOTH, _FEW, _DROPPED), t0, "the T0 responses in 'Files read'"),
        adds_up(cells(_BOTH, _FEW, _T1_ONLY), t1, "the T1 responses in 'Files read'"),
    ]


def _compare(
    ctx: ReportContext, t0: pd.DataFrame, t1: pd.DataFrame, inst: Instrument
) -> _Comparison:
    """Compare the waves on one instrument; each effect's n is the ledger's, or protected
    against the responses excluded from it, so a count is never hidden in one table and shown
    in another; the attrition counts are protected against the T0 responses scored as
    'Survey scoring' shows them."""
    cw = compare_waves(t0, t1, inst)
    a = cw.attrition.iloc[0]
    n_both = int(a["n_both"])
    ex = cw.effects.set_index("subscale")["n_excluded"]
    key_sub = "total" if "total" in ex.index else str(ex.idxmax())
    excluded = int(ex[key_sub])
    stage = N_("{instrument} T0 -> T1 (mentees)").format(instrument=inst.name)
    ledger_relations = _ledger_relations(ctx, stage)
    ctx.known.relate(ledger_relations)
    entry = ctx.left_out(
        stage,
        {
            _BOTH: n_both - excluded,
            _FEW: excluded,
            _DROPPED: int(a["n_dropouts"]),
            _T1_ONLY: int(a["n_t1_only"]),
        },
        relations=ledger_relations,
        prefer_shown=(_BOTH,),  # the n of the key subscale's effect
    )
    relations: list[Relation] = []
    led = entry.table
    shown_both = led.loc[led["what"] == _BOTH, "count"]
    labels = {sub.id: sub.label for sub in inst.subscales}
    pairs_shown: list[object] = []
    for sub, n_pairs, n_ex in zip(
        cw.effects["subscale"], cw.effects["n_pairs"], cw.effects["n_excluded"], strict=True
    ):
        row = (inst.name, labels[sub])
        relations.append(
            Relation(
                ((CellRef("prepost", row, "pairs"), 1.0), (CellRef("prepost", row, "df"), -1.0)),
                1.0,
                "df = pairs - 1",
            )
        )
        if sub == key_sub:
            pairs_shown.append(shown_both.iloc[0])
            relations.append(
                same_count(
                    CellRef("prepost", row, "pairs"),
                    ledger_cell(stage, _BOTH),
                    "the pre/post pairs are those scored in both waves",
                )
            )
        else:
            rows = pd.DataFrame({"n": [int(n_pairs)], "rest": [int(n_ex)]})
            pairs_shown.append(suppress_rows(rows, ctx.k)["n"].iloc[0])
    shown_d, shown_c, attrition_relations = _attrition_counts(ctx, inst, cw)
    relations += attrition_relations
    return _Comparison(
        inst.name,
        cw.effects.assign(instrument=inst.name),
        cw.attrition.assign(instrument=inst.name, _shown_d=shown_d, _shown_c=shown_c),
        labels,
        entry,
        pairs_shown,
        tuple(relations),
    )


def _attrition_counts(
    ctx: ReportContext, inst: Instrument, cw: WaveComparison
) -> tuple[list[object], list[object], list[Relation]]:
    """The dropouts and completers scored at T0, by subscale, as the attrition table shows
    them: they add up to the T0 responses scored of 'Survey scoring', so they are protected
    against that count as shown there (and what it relates to)."""
    labels = {sub.id: sub.label for sub in inst.subscales}
    scored_t0 = score(ctx.programme.surveys["mentee_t0"], inst)
    shown_d, shown_c, relations = [], [], []
    for sub, n_d, n_c in zip(
        cw.attrition["subscale"],
        cw.attrition["n_dropouts_scored"],
        cw.attrition["n_completers_scored"],
        strict=True,
    ):
        row = (inst.name, labels[sub])
        scored = CellRef("scores", (WAVES["mentee_t0"], inst.name, labels[sub]), "scored")
        attr = {"dropouts scored": int(n_d), "completers scored": int(n_c)}

        def cell(col: str, row: tuple[str, ...] = row, scored: CellRef = scored) -> CellRef:
            return scored if col == "Total" else CellRef("attrition", row, col)

        if int(n_d) + int(n_c) == int(scored_t0[f"{inst.id}_{sub}"].notna().sum()):
            why = "the T0 responses scored, by whether they answered T1"
            relations.append(adds_up([cell(c) for c in attr], scored, why))
            kept = protected_list(
                attr,
                ctx.k,
                "n",
                cell,
                known=ctx.known,
                fixed={"Total": ctx.known.value.get(scored)},  # as 'Survey scoring' shows it
            )["count"]
        else:  # not the T0 responses scored: protect them against their own sum
            kept = suppress_rows(pd.DataFrame([attr]), ctx.k).iloc[0]
        shown_d.append(kept.iloc[0])
        shown_c.append(kept.iloc[1])
    return shown_d, shown_c, relations


def _without_what_gives_n_back(table: pd.DataFrame) -> pd.DataFrame:
    """The effects with the statistics that give a hidden pair count back hidden too.

    A pair count can be hidden although its statistics rest on at least k pairs (it would give
    away the responses excluded from it, or another count of the ledger); then df, t, p, the
    interval and g_av are hidden with it, the means, difference, d_z and d_av (which do not
    depend on the count) stay.
    """
    out = table.copy()
    hidden = out["pairs"].isna().to_numpy()
    for col in _GIVE_N_BACK:
        out[col] = out[col].astype("float64").mask(hidden)
    return out


def _effects_table(eff: pd.DataFrame, pairs_shown: Sequence[object], k: int) -> ReportTable:
    eff_t = pd.DataFrame(
        {
            "instrument": eff["instrument"],
            "subscale": eff["label"],
            "pairs": eff["n_pairs"].astype(np.int64),
            "mean T0": eff["mean_t0"],
            "mean T1": eff["mean_t1"],
            "difference": eff["mean_diff"],
            "CI low": eff["ci_low"],
            "CI high": eff["ci_high"],
            "t": eff["t"],
            "df": eff["df"],
            "p": eff["p_t"],
            "d_z": eff["d_z"],
            "d_av": eff["d_av"],
            "g_av": eff["g_av"],
        }
    )
    stats = [c for c in eff_t.columns if c not in ("instrument", "subscale", "pairs")]
    eff_t = guard_statistics(eff_t, "pairs", stats, k, shown=pairs_shown)
    eff_t = _without_what_gives_n_back(eff_t)
    return ReportTable(
        "prepost",
        N_("Pre/post change (paired)"),
        eff_t,
        counts=("pairs",),
        formats={
            **{c: "{:.2f}" for c in stats},
            "df": "{:.0f}",
            "p": "p",
            "d_z": _F3,
            "d_av": _F3,
            "g_av": _F3,
        },
    )


def _attrition_table(att: pd.DataFrame, labels: dict[str, str], k: int) -> ReportTable:
    att_t = pd.DataFrame(
        {
            "instrument": att["instrument"],
            "subscale": [labels[s] for s in att["subscale"]],
            "dropouts scored": att["n_dropouts_scored"].astype(np.int64),
            "completers scored": att["n_completers_scored"].astype(np.int64),
            "T0 mean, dropouts": att["mean_t0_dropouts"],
            "T0 mean, completers": att["mean_t0_completers"],
            "difference": att["diff"],
            "CI low": att["ci_low"],
            "CI high": att["ci_high"],
            "p": att["p"],
            "g": att["g"],
        }
    )
    astats = [c for c in att_t.columns[4:]]
    # the two counts add up to the T0 responses scored ('Survey scoring'): shown as _compare
    # protected them
    att_t = guard_statistics(att_t, "dropouts scored", astats, k, shown=list(att["_shown_d"]))
    att_t = guard_statistics(att_t, "completers scored", astats, k, shown=list(att["_shown_c"]))
    return ReportTable(
        "attrition",
        N_("Attrition: T0 scores of dropouts and completers (Welch t)"),
        att_t,
        counts=("dropouts scored", "completers scored"),
        formats={**{c: "{:.2f}" for c in astats}, "p": "p", "g": _F3},
        note=N_("Counts of who answered which wave: see 'What was left out'."),
    )


def prepost_section(ctx: ReportContext, instruments: Sequence[Instrument]) -> SectionStep:
    """Compare the mentees' T0 and T1 answers on every instrument both waves hold.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> from ementor_kit.survey.instruments import load_instrument
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> step = prepost_section(ctx, [load_instrument("gse"), load_instrument("wai")])
    >>> [t.name for t in step.section.tables], [e.stage for e in step.left_out]
    (['prepost', 'attrition'], ['GSE T0 -> T1 (mentees)'])
    """
    t0, t1 = ctx.programme.surveys.get("mentee_t0"), ctx.programme.surveys.get("mentee_t1")
    done: list[_Comparison] = []
    if t0 is not None and t1 is not None:
        for inst in instruments:
            if set(inst.item_ids) <= set(t0.columns) and set(inst.item_ids) <= set(t1.columns):
                done.append(_compare(ctx, t0, t1, inst))
    if not done:
        text = N_("Not available: no instrument was answered by mentees at both T0 and T1.")
        return SectionStep(ReportSection("prepost", _TITLE, (text,)))
    labels = {sub: label for c in done for sub, label in c.labels.items()}
    eff = pd.concat([c.effects for c in done], ignore_index=True)
    att = pd.concat([c.attrition for c in done], ignore_index=True)
    pairs_shown = [n for c in done for n in c.pairs_shown]
    names = ", ".join(c.instrument for c in done)
    section = ReportSection(
        "prepost",
        _TITLE,
        (
            N_(
                "Mentees who answered both waves ({names}), paired by their id. "
                "d_z = mean difference / SD of the differences; d_av = mean difference / "
                "sqrt((SD_T0^2 + SD_T1^2) / 2); g_av = d_av with Hedges' small-sample "
                "correction (df = pairs - 1). The interval is that of the mean difference "
                "(paired t). Positive means higher at T1."
            ).format(names=names),
            _CAVEAT,
        ),
        (
            ctx.show(_effects_table(eff, pairs_shown, ctx.k)),
            ctx.show(_attrition_table(att, labels, ctx.k), [r for c in done for r in c.relations]),
        ),
    )
    return SectionStep(section, tuple(c.left_out for c in done))
