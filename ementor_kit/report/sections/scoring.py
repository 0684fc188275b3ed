"""Section 4 of the pilot report: survey scoring.

Mean and SD of every subscale by wave and instrument, with how many responses were scored
and how many had too few answered items to get a score (never imputed).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ementor_kit.report._context import WAVES, ReportContext, survey_waves
from ementor_kit.report._suppression import CellRef, adds_up, guard_statistics, suppress_rows
from ementor_kit.report.model import ReportSection, ReportTable
from ementor_kit.survey.instruments import Instrument
from ementor_kit.survey.scoring import score

__all__ = ["scoring_section"]

_TITLE = "4. Survey scoring"
_PARAGRAPH = (
    "Each subscale is scored as its instrument defines it (reverse-keyed items "
    "recoded against the theoretical bounds; mean or sum of the answered items). A "
    "response with fewer answered items than the instrument's minimum gets no "
    "score for that subscale: it is counted under 'too few items', never imputed."
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
    >>> sec.tables[0].data[["wave", "scored", "too few items"]]
              wave  scored  too few items
    0  mentees, T0    <NA>           <NA>
    1  mentees, T1      25              0
    """
    rows, counts, relations = [], [], []
    for inst in instruments:
        for wave, df in survey_waves(ctx.programme, inst):
            sc = score(df, inst)
            files, _ = ctx.file_rows(wave)
            for sub in inst.subscales:
                row = (WAVES[wave], inst.name, sub.label)
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
                        "wave": WAVES[wave],
                        "instrument": inst.name,
                        "subscale": sub.label,
                        "mean": v[ok].mean() if ok.any() else np.nan,
                        "sd": v[ok].std(ddof=1) if ok.sum() > 1 else np.nan,
                    }
                )
                counts.append((int(ok.sum()), int((~ok).sum())))
    if not rows:
        text = (
            "Not available: no survey file holds all the items of "
            f"{', '.join(i.id for i in instruments)}."
        )
        return ReportSection("scoring", _TITLE, (text,))
    table = pd.DataFrame(rows)
    ct = suppress_rows(pd.DataFrame(counts, columns=["scored", "too few items"]), ctx.k)
    table.insert(3, "scored", [c[0] for c in counts])
    table.insert(4, "too few items", ct["too few items"].array)
    table = guard_statistics(table, "scored", ["mean", "sd"], ctx.k, shown=ct["scored"].array)
    scores = ReportTable(
        "scores",
        "Scores by wave, instrument and subscale",
        table,
        counts=("scored", "too few items"),
        note="Responses per wave: see 'Files read'.",
        formats={"mean": "{:.2f}", "sd": "{:.2f}"},
    )
    return ReportSection("scoring", _TITLE, (_PARAGRAPH,), (ctx.show(scores, relations),))
