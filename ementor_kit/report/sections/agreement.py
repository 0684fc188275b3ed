"""Section 7 of the pilot report: mentor-mentee agreement on the working alliance.

ICC(A,1) and ICC(C,1) with their intervals first, then r_wg(J) against its random-pairing
null (:func:`~ementor_kit.survey.agreement.rwg_null`) over the pairs where both sides answered
the WAI-SR at T1; pair-level values are never shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.i18n.language import N_
from ementor_kit.report._context import ReportContext, SectionStep, ledger_cell
from ementor_kit.report._suppression import adds_up, guard_statistics, same_count, suppress_rows
from ementor_kit.report.model import ReportSection, ReportTable
from ementor_kit.survey.agreement import DyadAgreement, RwgNull, dyad_agreement, rwg_null
from ementor_kit.survey.instruments import Instrument, load_instrument

__all__ = ["agreement_section"]

_TITLE = N_("7. Mentor-mentee agreement on the working alliance")
N_SHUFFLES, SEED = 200, 0
"""Random re-pairings of the r_wg null and the seed of their generator."""

_PARAGRAPHS = (
    N_(
        "Both sides of a pair rated their working alliance (WAI-SR) at T1. The agreement "
        "statistic is ICC(A,1): absolute agreement between mentor and mentee over the pairs "
        "where both answered, ICC(C,1) consistency (McGraw & Wong 1996, F-based 95 % "
        "intervals)."
    ),
    N_(
        "r_wg(J) compares each pair's spread on the subscale's items with that of uniformly "
        "random answers (James, Demaree & Wolf 1984). Ratings that cluster at the top of the "
        "scale make it high for any two people, so it is shown against its random-pairing "
        "null: mentors and mentees re-paired at random {shuffles} times (seed {seed}), the "
        "mean r_wg(J) of the random dyads and the share of them at .70 or more, with the "
        "permutation p-value of the real pairs (LeBreton & Senter 2008 on choosing the null). "
        "Real pairs agree beyond chance only as far as they exceed the random dyads."
    ).format(shuffles=N_SHUFFLES, seed=SEED),
    N_(
        "Pair-level scores and agreement are not shown: a pair is a group of two, so "
        "its value together with one member's own answers would give away the other's."
    ),
)


def _agreement_table(da: DyadAgreement, null: RwgNull, wai: Instrument, k: int) -> ReportTable:
    s = da.summary
    z = null.summary
    labels = {sub.id: sub.label for sub in wai.subscales}
    table = pd.DataFrame(
        {
            "subscale": s["subscale"].map(labels),
            "pairs": s["n_pairs"].astype(np.int64),
            "ICC(A,1)": s["icc_a1"],
            "A CI low": s["icc_a1_low"],
            "A CI high": s["icc_a1_high"],
            "ICC(C,1)": s["icc_c1"],
            "C CI low": s["icc_c1_low"],
            "C CI high": s["icc_c1_high"],
            "mean r_wg": s["rwg_mean"],
            "random pairs: mean r_wg": z["null_mean"],
            "p (mean r_wg)": z["p_mean"],
            "random pairs: share r_wg >= .70": z["null_share_70"],
            "p (share >= .70)": z["p_share_70"],
        }
    )
    stats = list(table.columns[2:])
    table = guard_statistics(table, "pairs", stats, k)
    rwg = suppress_rows(
        pd.DataFrame(
            {
                "r_wg >= .70": s["n_rwg_70"].astype(np.int64).to_numpy(),
                "r_wg < .70": (s["n_pairs"] - s["n_rwg_70"]).astype(np.int64).to_numpy(),
            }
        ),
        k,
    )
    n70 = pd.array(rwg["r_wg >= .70"].to_numpy(), dtype="Int64")
    table["pairs with r_wg >= .70"] = pd.Series(n70).mask(table["pairs"].isna().to_numpy())
    return ReportTable(
        "agreement",
        N_("Agreement between mentor and mentee (pairs where both answered)"),
        table,
        counts=("pairs", "pairs with r_wg >= .70"),
        formats={c: "{:.3f}" for c in stats},
        note=N_(
            "Lead with ICC(A,1). r_wg(J) >= .70 is a conventional cut-off; compare the "
            "real pairs with the random ones (p: share of the re-pairings reaching the real "
            "pairs' value)."
        ),
    )


def agreement_section(ctx: ReportContext) -> SectionStep:
    """Agreement of mentor and mentee on the WAI-SR at T1 (needs pairs.csv and both waves).

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> step = agreement_section(ctx)
    >>> step.section.tables[0].name, step.left_out[0].stage
    ('agreement', 'WAI-SR agreement (T1, both sides)')
    """
    p = ctx.programme
    e1, m1, pairs = p.surveys.get("mentee_t1"), p.surveys.get("mentor_t1"), p.pairs
    wai = load_instrument("wai")
    if (
        e1 is None
        or m1 is None
        or pairs is None
        or not set(wai.item_ids) <= set(e1.columns)
        or not set(wai.item_ids) <= set(m1.columns)
    ):
        text = N_(
            "Not available: needs pairs.csv and the WAI-SR answered by mentees and mentors at T1."
        )
        return SectionStep(ReportSection("agreement", _TITLE, (text,)))
    da = dyad_agreement(m1, e1, pairs, wai)
    null = rwg_null(m1, e1, pairs, wai, n_shuffles=N_SHUFFLES, seed=SEED)
    table = ctx.show(_agreement_table(da, null, wai, ctx.k))
    both = int(len(da.per_pair))
    ledger = {
        N_("mentee responses in a pair where both answered"): both,
        N_("mentor responses in a pair where both answered"): both,
    }
    for (role, issue), n in da.unmatched.groupby(["role", "issue"]).size().items():
        ledger[N_("{role} responses: {issue}").format(role=role, issue=issue)] = int(n)
    # every response of each side is used or left out with its reason: each side's rows add
    # up to its file's rows in 'Files read', and both sides count the same pairs
    stage = N_("WAI-SR agreement (T1, both sides)")
    relations = []
    for side, wave in (("mentee", "mentee_t1"), ("mentor", "mentor_t1")):
        files = ctx.file_rows(wave)[0]
        mine = [ledger_cell(stage, w) for w in ledger if w.startswith(f"{side} responses")]
        relations.append(adds_up(mine, files, f"the {side}s' T1 responses in 'Files read'"))
    relations.append(
        same_count(
            ledger_cell(stage, "mentee responses in a pair where both answered"),
            ledger_cell(stage, "mentor responses in a pair where both answered"),
            "one response of each side per pair where both answered",
        )
    )
    ctx.known.relate(relations)
    entry = ctx.left_out(stage, ledger, relations=relations)
    return SectionStep(ReportSection("agreement", _TITLE, _PARAGRAPHS, (table,)), (entry,))
