"""Section 6 of the pilot report: change from T0 to T1, and attrition.

Paired pre/post change of the mentees who answered both waves (mean difference, interval,
paired t, d_z, d_av, g_av) and whether those who dropped out differed at T0 (Welch t).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit.report._context import LedgerEntry, ReportContext, SectionStep
from ementor_kit.report._suppression import guard_statistics, suppress_rows
from ementor_kit.report.model import ReportSection, ReportTable
from ementor_kit.survey.effects import compare_waves
from ementor_kit.survey.instruments import Instrument

__all__ = ["prepost_section"]

_TITLE = "6. Change from T0 to T1"
_BOTH = "answered both waves, scored in both"
_F3 = "{:.3f}"
_CAVEAT = (
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


def _compare(
    ctx: ReportContext, t0: pd.DataFrame, t1: pd.DataFrame, inst: Instrument
) -> _Comparison:
    """Compare the waves on one instrument; each effect's n is the ledger's, or protected
    against the responses excluded from it, so a count is never hidden in one table and shown
    in another."""
    cw = compare_waves(t0, t1, inst)
    a = cw.attrition.iloc[0]
    n_both = int(a["n_both"])
    ex = cw.effects.set_index("subscale")["n_excluded"]
    key_sub = "total" if "total" in ex.index else str(ex.idxmax())
    excluded = int(ex[key_sub])
    entry = ctx.left_out(
        f"{inst.name} T0 -> T1 (mentees)",
        {
            _BOTH: n_both - excluded,
            "answered both waves, too few items in one": excluded,
            "answered T0 only (dropped out)": int(a["n_dropouts"]),
            "answered T1 only": int(a["n_t1_only"]),
        },
    )
    led = entry.table
    shown_both = led.loc[led["what"] == _BOTH, "count"]
    pairs_shown: list[object] = []
    for sub, n_pairs, n_ex in zip(
        cw.effects["subscale"], cw.effects["n_pairs"], cw.effects["n_excluded"], strict=True
    ):
        if sub == key_sub:
            pairs_shown.append(shown_both.iloc[0])
        else:
            rows = pd.DataFrame({"n": [int(n_pairs)], "rest": [int(n_ex)]})
            pairs_shown.append(suppress_rows(rows, ctx.k)["n"].iloc[0])
    return _Comparison(
        inst.name,
        cw.effects.assign(instrument=inst.name),
        cw.attrition.assign(instrument=inst.name),
        {sub.id: sub.label for sub in inst.subscales},
        entry,
        pairs_shown,
    )


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
    return ReportTable(
        "prepost",
        "Pre/post change (paired)",
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
    att_t = guard_statistics(att_t, "dropouts scored", astats, k)
    att_t = guard_statistics(att_t, "completers scored", astats, k)
    return ReportTable(
        "attrition",
        "Attrition: T0 scores of dropouts and completers (Welch t)",
        att_t,
        counts=("dropouts scored", "completers scored"),
        formats={**{c: "{:.2f}" for c in astats}, "p": "p", "g": _F3},
        note="Counts of who answered which wave: see 'What was left out'.",
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
        text = "Not available: no instrument was answered by mentees at both T0 and T1."
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
            f"Mentees who answered both waves ({names}), paired by their id. "
            "d_z = mean difference / SD of the differences; d_av = mean difference / "
            "sqrt((SD_T0^2 + SD_T1^2) / 2); g_av = d_av with Hedges' small-sample correction "
            "(df = pairs - 1). The interval is that of the mean difference (paired t). "
            "Positive means higher at T1.",
            _CAVEAT,
        ),
        (_effects_table(eff, pairs_shown, ctx.k), _attrition_table(att, labels, ctx.k)),
    )
    return SectionStep(section, tuple(c.left_out for c in done))
