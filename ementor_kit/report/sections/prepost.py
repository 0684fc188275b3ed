"""Section 6 of the pilot report: change from T0 to T1 (or the last wave), and attrition.

Paired pre/post change of the mentees who answered both waves (mean difference, interval,
paired t, d_z, d_av, g_av) and whether those who dropped out differed at T0 (Welch t).

The waves compared are the mentees' first ``T<n>`` wave (``T0``) and the last one holding an
instrument the first holds: ``T1``, or ``T2`` when the folder has ``surveys/mentee_t2.csv``
(see :func:`~ementor_kit.report._context.report_waves`). The section says which, and lists the
mentees' other waves (not compared here: :func:`~ementor_kit.survey.compare_wave_series`
compares every wave).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit.data.validation import Programme
from ementor_kit.i18n.language import N_
from ementor_kit.report._context import (
    LedgerEntry,
    ReportContext,
    SectionStep,
    ledger_cell,
    report_waves,
    wave_label,
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

_TITLE = N_("6. Change from {first} to {last}")
_BOTH = N_("answered both waves, scored in both")
_FEW = N_("answered both waves, too few items in one")
_DROPPED = N_("answered {first} only (dropped out)")
_T1_ONLY = N_("answered {last} only")
# what a pair count gives back when it is shown beside its row: df = pairs - 1, t = d_z x
# sqrt(pairs), p and the interval from t and df, g_av / d_av = Hedges' J(df)
_GIVE_N_BACK = ("df", "t", "p", "CI low", "CI high", "g_av")
_F3 = "{:.3f}"
_CAVEAT = N_(
    "Without a comparison group, change from {first} to {last} is not the effect of the "
    "programme: maturation, the season and regression to the mean change scores "
    "too. The attrition table checks whether those who dropped out differed at {first}."
)
_WHICH = N_(
    "Waves compared: {first}, the mentees' first, and {last}, the last holding an "
    "instrument of {first}."
)
_OTHERS = N_("Other waves of the mentees, not compared here: {others}.")


@dataclass(frozen=True)
class _Pair:
    """The two waves compared: their survey tables (``mentee_t0``) and names (``T0``)."""

    first: str
    last: str

    @property
    def names(self) -> dict[str, str]:
        return {
            "first": self.first.split("_", 1)[1].upper(),
            "last": self.last.split("_", 1)[1].upper(),
        }

    def say(self, text: str) -> str:
        """``text`` with the waves' names (``{first}``, ``{last}``)."""
        return text.format(**self.names)


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


def _ledger_relations(ctx: ReportContext, stage: str, waves: _Pair) -> list[Relation]:
    """Every response of the first and last waves' files answered both waves or one: the
    stage's cells add up to the files' rows in 'Files read' (respondents are unique in a
    wave)."""

    def cells(*what: str) -> list[CellRef]:
        return [ledger_cell(stage, w) for w in what]

    t0, t1 = ctx.file_rows(waves.first)[0], ctx.file_rows(waves.last)[0]
    return [
        adds_up(
            cells(_BOTH, _FEW, waves.say(_DROPPED)),
            t0,
            waves.say("the {first} responses in 'Files read'"),
        ),
        adds_up(
            cells(_BOTH, _FEW, waves.say(_T1_ONLY)),
            t1,
            waves.say("the {last} responses in 'Files read'"),
        ),
    ]


def _compare(
    ctx: ReportContext, t0: pd.DataFrame, t1: pd.DataFrame, inst: Instrument, waves: _Pair
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
    stage = N_("{instrument} {first} -> {last} (mentees)").format(
        instrument=inst.name, **waves.names
    )
    ledger_relations = _ledger_relations(ctx, stage, waves)
    ctx.known.relate(ledger_relations)
    entry = ctx.left_out(
        stage,
        {
            _BOTH: n_both - excluded,
            _FEW: excluded,
            waves.say(_DROPPED): int(a["n_dropouts"]),
            waves.say(_T1_ONLY): int(a["n_t1_only"]),
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
    shown_d, shown_c, attrition_relations = _attrition_counts(ctx, inst, cw, waves.first)
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
    ctx: ReportContext, inst: Instrument, cw: WaveComparison, first: str
) -> tuple[list[object], list[object], list[Relation]]:
    """The dropouts and completers scored at the first wave (T0), by subscale, as the
    attrition table shows them: they add up to the first wave's responses scored of 'Survey
    scoring', so they are protected against that count as shown there (and what it relates
    to)."""
    labels = {sub.id: sub.label for sub in inst.subscales}
    scored_t0 = score(ctx.programme.surveys[first], inst)
    shown_d, shown_c, relations = [], [], []
    for sub, n_d, n_c in zip(
        cw.attrition["subscale"],
        cw.attrition["n_dropouts_scored"],
        cw.attrition["n_completers_scored"],
        strict=True,
    ):
        row = (inst.name, labels[sub])
        scored = CellRef("scores", (wave_label(first), inst.name, labels[sub]), "scored")
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


def _effects_table(
    eff: pd.DataFrame, pairs_shown: Sequence[object], k: int, waves: _Pair
) -> ReportTable:
    eff_t = pd.DataFrame(
        {
            "instrument": eff["instrument"],
            "subscale": eff["label"],
            "pairs": eff["n_pairs"].astype(np.int64),
            waves.say(N_("mean {first}")): eff["mean_t0"],
            waves.say(N_("mean {last}")): eff["mean_t1"],
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


def _attrition_table(
    att: pd.DataFrame, labels: dict[str, str], k: int, waves: _Pair
) -> ReportTable:
    att_t = pd.DataFrame(
        {
            "instrument": att["instrument"],
            "subscale": [labels[s] for s in att["subscale"]],
            "dropouts scored": att["n_dropouts_scored"].astype(np.int64),
            "completers scored": att["n_completers_scored"].astype(np.int64),
            waves.say(N_("{first} mean, dropouts")): att["mean_t0_dropouts"],
            waves.say(N_("{first} mean, completers")): att["mean_t0_completers"],
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
        waves.say(N_("Attrition: {first} scores of dropouts and completers (Welch t)")),
        att_t,
        counts=("dropouts scored", "completers scored"),
        formats={**{c: "{:.2f}" for c in astats}, "p": "p", "g": _F3},
        note=N_("Counts of who answered which wave: see 'What was left out'."),
    )


def _held(df: pd.DataFrame, instruments: Sequence[Instrument]) -> list[Instrument]:
    return [inst for inst in instruments if set(inst.item_ids) <= set(df.columns)]


def _waves_compared(
    p: Programme, instruments: Sequence[Instrument]
) -> tuple[_Pair | None, list[str]]:
    """The first and last waves compared, and the mentees' other waves (survey tables).

    The first is the mentees' first ``T<n>`` wave, the last their latest ``T<n>`` wave
    holding an instrument the first holds; waves named otherwise cannot be ordered by their
    names and are only listed.
    """
    mentee = [w for w in report_waves(p) if w.startswith("mentee_")]
    numbered = [w for w in mentee if re.fullmatch(r"mentee_t\d+", w)]
    pair = None
    if numbered:
        first = numbered[0]
        held = {i.id for i in _held(p.surveys[first], instruments)}
        later = [w for w in numbered[1:] if held & {i.id for i in _held(p.surveys[w], instruments)}]
        if later:
            pair = _Pair(first, later[-1])
    others = [w for w in mentee if pair is None or w not in (pair.first, pair.last)]
    return pair, others


def _which_waves(waves: _Pair, others: Sequence[str]) -> tuple[str, ...]:
    """What the section says of the waves, when not simply T0 and T1."""
    if (waves.first, waves.last) == ("mentee_t0", "mentee_t1") and not others:
        return ()
    said = [waves.say(_WHICH)]
    if others:
        names = ", ".join(w.split("_", 1)[1].upper() for w in others)
        said.append(_OTHERS.format(others=names))
    return tuple(said)


def prepost_section(ctx: ReportContext, instruments: Sequence[Instrument]) -> SectionStep:
    """Compare the mentees' first and last waves (T0 and T1, or T2...) on every instrument
    both hold.

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
    p = ctx.programme
    waves, others = _waves_compared(p, instruments)
    done: list[_Comparison] = []
    if waves is not None:
        t0, t1 = p.surveys[waves.first], p.surveys[waves.last]
        at_last = {i.id for i in _held(t1, instruments)}
        for inst in _held(t0, instruments):
            if inst.id in at_last:
                done.append(_compare(ctx, t0, t1, inst, waves))
    if waves is None or not done:
        title = _TITLE.format(first="T0", last="T1")
        if set(others) <= {"mentee_t0", "mentee_t1"}:
            text = N_("Not available: no instrument was answered by mentees at both T0 and T1.")
        else:
            text = N_(
                "Not available: no instrument was answered by mentees at two of their waves "
                "({waves})."
            ).format(waves=", ".join(w.split("_", 1)[1].upper() for w in others))
        return SectionStep(ReportSection("prepost", title, (text,)))
    labels = {sub: label for c in done for sub, label in c.labels.items()}
    eff = pd.concat([c.effects for c in done], ignore_index=True)
    att = pd.concat([c.attrition for c in done], ignore_index=True)
    pairs_shown = [n for c in done for n in c.pairs_shown]
    names = ", ".join(c.instrument for c in done)
    section = ReportSection(
        "prepost",
        waves.say(_TITLE),
        (
            *_which_waves(waves, others),
            N_(
                "Mentees who answered both waves ({names}), paired by their id. "
                "d_z = mean difference / SD of the differences; d_av = mean difference / "
                "sqrt((SD_{first}^2 + SD_{last}^2) / 2); g_av = d_av with Hedges' small-sample "
                "correction (df = pairs - 1). The interval is that of the mean difference "
                "(paired t). Positive means higher at {last}."
            ).format(names=names, **waves.names),
            waves.say(_CAVEAT),
        ),
        (
            ctx.show(_effects_table(eff, pairs_shown, ctx.k, waves)),
            ctx.show(
                _attrition_table(att, labels, ctx.k, waves),
                [r for c in done for r in c.relations],
            ),
        ),
    )
    return SectionStep(section, tuple(c.left_out for c in done))
