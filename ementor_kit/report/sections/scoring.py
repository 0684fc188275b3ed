"""Section 4 of the pilot report: survey scoring.

Mean and SD of every subscale by wave and instrument, with how many responses were scored
how many of those were prorated (scored from fewer than all items) and how many had too few
answered items to get a score. The scoring rules are written from the settings applied
(:func:`~ementor_kit.survey.scoring.scoring_rules`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ementor_kit.i18n.language import N_
from ementor_kit.report._context import ReportContext, survey_waves, wave_label
from ementor_kit.report._suppression import (
    CellRef,
    adds_up,
    guard_statistics,
    suppress_primary,
    suppress_rows,
)
from ementor_kit.report.model import ReportSection, ReportTable
from ementor_kit.survey.instruments import Instrument
from ementor_kit.survey.scoring import score, scoring_counts, scoring_rules

__all__ = ["scoring_section"]

_TITLE = N_("4. Survey scoring")
_PARAGRAPH = N_(
    "Each subscale is scored as its instrument defines it (reverse-keyed items "
    "recoded against the theoretical bounds). A score from fewer than all of a "
    "subscale's items is prorated: the mean of the answered items (times the number "
    "of items for a sum), the same as giving each unanswered item the respondent's "
    "own mean; such scores are counted under 'prorated'. A response with fewer "
    "answered items than the minimum gets no score for that subscale and is counted "
    "under 'too few items'. The rules applied:"
)


def _rules_paragraphs(instruments: Sequence[Instrument]) -> tuple[str, ...]:
    """The scoring rule of every subscale in words, then the instruments' own notes on it."""
    rules = [r for inst in instruments for r in scoring_rules(inst, lang="en")["rule"]]
    notes = [f"{inst.name}: {inst.scoring_note}" for inst in instruments if inst.scoring_note]
    return (" ".join(rules), *notes)


def _note_texts(instruments: Sequence[Instrument]) -> tuple[tuple[str, str, str], ...]:
    """The instruments' notes in the other languages their files give (not catalogue texts)."""
    return tuple(
        (f"{inst.name}: {inst.scoring_note}", lang, f"{inst.name} : {note}")  # French ' :'
        for inst in instruments
        if inst.scoring_note
        for lang, note in inst.scoring_notes
        if lang == "fr"
    )


def scoring_section(ctx: ReportContext, instruments: Sequence[Instrument]) -> ReportSection:
    """Score every wave holding an instrument's items and report means by subscale.

    Each row's responses, scored or with too few items, are the rows of the wave's file in
    'Files read'.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> from ementor_kit.survey.instruments import load_instrument
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> sec = scoring_section(ctx, [load_instrument("gse")])
    >>> sec.tables[0].data[["wave", "scored", "prorated", "too few items"]]
              wave  scored  prorated  too few items
    0  mentees, T0    <NA>      <NA>           <NA>
    1  mentees, T1      25      <NA>              0
    """
    rows, counts, prorated, relations = [], [], [], []
    for inst in instruments:
        for wave, df in survey_waves(ctx.programme, inst):
            sc = score(df, inst)
            n_prorated = scoring_counts(sc, inst).set_index("subscale")["prorated"]
            files, _ = ctx.file_rows(wave)
            for sub in inst.subscales:
                row = (wave_label(wave), inst.name, sub.label)
                relations.append(
                    adds_up(
                        [CellRef("scores", row, c) for c in ("scored", "too few items")],
                        files,
                        "every response of a wave, scored or not",
                    )
                )
                v = sc[f"{inst.id}_{sub.id}"].to_numpy(dtype=float)
                ok = ~np.isnan(v)
                rows.append(
                    {
                        "wave": wave_label(wave),
                        "instrument": inst.name,
                        "subscale": sub.label,
                        "mean": v[ok].mean() if ok.any() else np.nan,
                        "sd": v[ok].std(ddof=1) if ok.sum() > 1 else np.nan,
                    }
                )
                counts.append((int(ok.sum()), int((~ok).sum())))
                prorated.append(int(n_prorated[sub.id]))
    if not rows:
        text = N_("Not available: no survey file holds all the items of {ids}.").format(
            ids=", ".join(i.id for i in instruments)
        )
        return ReportSection("scoring", _TITLE, (text,))
    table = pd.DataFrame(rows)
    ct = suppress_rows(pd.DataFrame(counts, columns=["scored", "too few items"]), ctx.k)
    table.insert(3, "scored", [c[0] for c in counts])
    # prorated scores are part of 'scored' and in no other sum: primary suppression, and
    # hidden with 'scored' (a shown part would bound a hidden whole)
    shown_prorated = suppress_primary(prorated, ctx.k).mask(ct["scored"].isna().to_numpy())
    table.insert(4, "prorated", shown_prorated.array)
    table.insert(5, "too few items", ct["too few items"].array)
    table = guard_statistics(table, "scored", ["mean", "sd"], ctx.k, shown=ct["scored"].array)
    scores = ReportTable(
        "scores",
        N_("Scores by wave, instrument and subscale"),
        table,
        counts=("scored", "prorated", "too few items"),
        note=N_("Responses per wave: see 'Files read'. 'prorated' scores are among the 'scored'."),
        formats={"mean": "{:.2f}", "sd": "{:.2f}"},
    )
    paragraphs = (_PARAGRAPH, *_rules_paragraphs(instruments))
    return ReportSection(
        "scoring",
        _TITLE,
        paragraphs,
        (ctx.show(scores, relations),),
        texts=_note_texts(instruments),
    )
