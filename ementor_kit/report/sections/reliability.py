"""Section 5 of the pilot report: reliability of every subscale.

Cronbach's alpha with its Feldt interval and McDonald's omega total, by wave and subscale,
shown only when they rest on at least k responses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ementor_kit.i18n.language import N_
from ementor_kit.report._context import ReportContext, survey_waves, wave_label
from ementor_kit.report._suppression import guard_statistics
from ementor_kit.report.model import ReportSection, ReportTable
from ementor_kit.survey.instruments import Instrument
from ementor_kit.survey.internal_consistency import reliability

__all__ = ["reliability_section"]

_STATS = ("alpha", "alpha CI low", "alpha CI high", "omega total")
_PARAGRAPH = N_(
    "Cronbach's alpha (pairwise-complete covariances) with its Feldt 95 % interval, "
    "and McDonald's omega total from a one-factor minres fit (as R psych reports "
    "it), after reverse keying. Omega needs three items or more, each with some "
    "variance: two-item subscales show '–'. Values around .70 or more are usual "
    "for group comparisons; a short subscale is expected to be lower."
)


def reliability_section(ctx: ReportContext, instruments: Sequence[Instrument]) -> ReportSection:
    """Internal consistency of every subscale of every wave holding the instrument's items.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> from ementor_kit.survey.instruments import load_instrument
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> reliability_section(ctx, [load_instrument("gse")]).tables[0].data["n"].tolist()
    [40, 25]
    >>> reliability_section(ctx, []).paragraphs
    ('Not available: no survey data.',)
    """
    frames = []
    for inst in instruments:
        for wave, df in survey_waves(ctx.programme, inst):
            sc = reliability(df, inst).scales
            frames.append(sc.assign(wave=wave_label(wave)))
    if not frames:
        return ReportSection(
            "reliability", N_("5. Reliability"), (N_("Not available: no survey data."),)
        )
    rel = pd.concat(frames, ignore_index=True)
    table = pd.DataFrame(
        {
            "wave": rel["wave"],
            "instrument": rel["instrument"],
            "subscale": rel["label"],
            "items": rel["k"].astype(np.int64),
            "n": rel["n"].astype(np.int64),
            "alpha": rel["alpha"],
            "alpha CI low": rel["alpha_low"],
            "alpha CI high": rel["alpha_high"],
            "omega total": rel["omega_total"],
        }
    )
    table = guard_statistics(table, "n", list(_STATS), ctx.k)
    return ReportSection(
        "reliability",
        N_("5. Reliability of every subscale"),
        (_PARAGRAPH,),
        (
            ctx.show(
                ReportTable(
                    "reliability",
                    N_("Internal consistency by wave and subscale"),
                    table,
                    counts=("n",),
                    formats={c: "{:.3f}" for c in _STATS},
                )
            ),
        ),
    )
