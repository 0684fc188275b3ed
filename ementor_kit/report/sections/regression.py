"""Section 8 of the pilot report: engagement and outcomes.

OLS of the mentee's T1 working alliance on the pair's engagement (sync share, log exchanges,
median response time) with HC3 errors, a coefficient plot, and the caveats that keep these
associations from being read as effects. :func:`engagement_outcome_data` gives the model's
data, so a researcher can refit it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ementor_kit._html import figure_png
from ementor_kit.graph.engagement_metrics import Engagement
from ementor_kit.i18n.formatting import decimal_axis
from ementor_kit.i18n.language import N_, resolve_language, translator
from ementor_kit.i18n.text import translate_text
from ementor_kit.report._context import LedgerEntry, ReportContext, SectionStep, ledger_cell
from ementor_kit.report._suppression import CellRef, same_count
from ementor_kit.report.model import ReportFigure, ReportSection, ReportTable
from ementor_kit.survey.agreement import link_to_pairs
from ementor_kit.survey.instruments import load_instrument
from ementor_kit.survey.regression import OLSResult, ols
from ementor_kit.survey.scoring import score

__all__ = ["PREDICTORS", "engagement_outcome_data", "regression_section"]

PREDICTORS = ("sync_share", "log_exchanges", "median_response_hours")
"""Engagement measures of the report's regression: sync share, log(1 + exchanges), median
response time in hours."""

_TITLE = N_("8. Engagement and outcomes")
_STAGE = N_("engagement and outcomes (mentee T1 responses)")
_USED = N_("in the model")
_NOT_LINKED = "not linked to a pair in force: "
_NOT_LINKED_WORDS = N_("not linked to a pair in force: {issue}")  # the catalogue's template
_TERMS = {
    "const": N_("intercept"),
    "sync_share": N_("sync share (0-1)"),
    "log_exchanges": N_("log(1 + exchanges)"),
    "median_response_hours": N_("median response time (hours)"),
}
_CAVEAT = N_(
    "Read these coefficients as associations, not effects. The data are observational: "
    "pairs chose how and how much to exchange, so pairs that get on well may both "
    "exchange more and rate their alliance higher (selection and confounding by how "
    "well matched the pair is, motivation or availability). The direction can run "
    "backwards - a good alliance leads to more exchanges - and exchanges after the T1 "
    "survey are counted too (reverse causality). Mentees who dropped out or did not "
    "answer at T1 are missing, and they are likely to be those with the weakest "
    "relationships (attrition bias, see 'What was left out'). This report runs many "
    "tests (pre/post, intervals, three coefficients here): a p-value below .05 "
    "among them can arise by chance (multiple comparisons); no correction is applied. "
    "HC3 standard errors protect against unequal residual variance, not against these "
    "problems. A randomised comparison (e.g. of check-in cadences) is needed to claim "
    "an effect."
)


# Long only through its numpydoc docstring: the body is about 35 lines.
def engagement_outcome_data(
    responses: pd.DataFrame,
    pairs: pd.DataFrame,
    engagement: Engagement | pd.DataFrame,
    *,
    subscale: str = "total",
    instrument: str = "wai",
    lang: str | None = None,
) -> pd.DataFrame:
    """Mentee outcomes next to their pair's engagement: the data of the engagement regression.

    Each response is linked to its pair (``target_id``, or the mentee's only mentor in
    ``pairs``), scored on the instrument, and joined to the pair's engagement measures.

    Parameters
    ----------
    responses : DataFrame
        Mentee responses (e.g. ``surveys["mentee_t1"]``) with ``respondent_id`` and, when
        given, ``target_id``.
    pairs : DataFrame
        The pairs in force (``pairs.csv``).
    engagement : Engagement or DataFrame
        :func:`ementor_kit.graph.engagement_metrics.engagement` of those pairs, or its
        ``table``.
    subscale : str, default "total"
        Subscale of the instrument used as the outcome.
    instrument : str, default "wai"
        The instrument the outcome is scored on (a built-in name or a YAML path, as
        :func:`~ementor_kit.survey.instruments.load_instrument` reads it).
    lang : str, optional
        Language of the reasons in ``left_out``, ``"en"`` or ``"fr"``; default the process
        language (:func:`~ementor_kit.i18n.set_language`).

    Returns
    -------
    DataFrame
        One row per response, in the responses' order: ``mentee_id``, ``mentor_id``,
        ``outcome``, ``n_exchanges``, ``sync_share``, ``log_exchanges`` (log(1 + exchanges)),
        ``median_response_hours`` and ``left_out``: ``""`` for a row the model can use, else
        the reason (``not linked to a pair in force: ...``, ``no score (too few items)``,
        ``pair without any exchange``, ``pair without a reply (no response time)``).

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"wai_{i}" for i in range(1, 13)]
    >>> resp = pd.DataFrame([["E1", *[4] * 12], ["E2", *[2] * 12], ["E9", *[3] * 12]],
    ...                     columns=["respondent_id", *items])
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"]})
    >>> eng = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"],
    ...                     "n_exchanges": [9, 0], "sync_share": [0.5, None],
    ...                     "median_response_hours": [6.0, None]})
    >>> engagement_outcome_data(resp, pairs, eng, lang="en")[["mentee_id", "outcome", "left_out"]]
      mentee_id  outcome                                   left_out
    0        E1      4.0
    1        E2      2.0                  pair without any exchange
    2        E9      3.0  not linked to a pair in force: no pair
    >>> engagement_outcome_data(resp, pairs, eng, lang="fr")["left_out"].iloc[1]
    'binôme sans aucun échange'
    """
    table = engagement.table if isinstance(engagement, Engagement) else engagement
    inst = load_instrument(instrument)
    col = f"{inst.id}_{inst.subscale(subscale).id}"
    resp = responses.reset_index(drop=True)
    link = link_to_pairs(resp, pairs, "mentee")
    outcome = score(resp, inst, keep=[])[col].to_numpy(dtype=float)
    issue = link["issue"].to_numpy(dtype=object)
    reason = np.array(
        [N_("not linked to a pair in force: {issue}").format(issue=i) if i else "" for i in issue],
        dtype=object,
    )
    data = pd.DataFrame(
        {
            "mentee_id": link["respondent_id"].astype("str").to_numpy(),
            "mentor_id": link["mentor_id"].to_numpy(),
            "outcome": outcome,
        }
    ).astype({"mentee_id": "str", "mentor_id": "str"})
    e = table[["mentee_id", "mentor_id", "n_exchanges", "sync_share", "median_response_hours"]]
    data = data.merge(e, on=["mentee_id", "mentor_id"], how="left", validate="many_to_one")
    data["n_exchanges"] = data["n_exchanges"].astype("float64")
    data["log_exchanges"] = np.log1p(data["n_exchanges"])
    data["sync_share"] = data["sync_share"].astype("float64")
    data["median_response_hours"] = data["median_response_hours"].astype("float64")
    free = reason == ""
    no_score = free & np.isnan(outcome)
    reason[no_score] = N_("no score (too few items)")
    free &= ~no_score
    no_exch = free & (data["n_exchanges"].fillna(0).to_numpy() == 0)
    reason[no_exch] = N_("pair without any exchange")
    free &= ~no_exch
    no_reply = free & data["median_response_hours"].isna().to_numpy()
    reason[no_reply] = N_("pair without a reply (no response time)")
    code = resolve_language(lang)
    if code != "en":
        texts = {r: translate_text(r, code) for r in set(reason)}
        reason = np.array([texts[r] for r in reason], dtype=object)
    data["left_out"] = pd.array(reason, dtype="str")
    return data[
        ["mentee_id", "mentor_id", "outcome", "n_exchanges", "sync_share", "log_exchanges"]
        + ["median_response_hours", "left_out"]
    ]


def _model_tables(
    ctx: ReportContext, fit: OLSResult, label: str, n_shown: object
) -> tuple[ReportTable, ReportTable]:
    """The coefficients and the model's fit, its n as the ledger shows it ('in the model'):
    when hidden there, the p-values and intervals (which give the residual df back) too."""
    coef = fit.coefficients.reset_index()
    coef_t = pd.DataFrame(
        {
            "term": coef["term"].map(_TERMS),
            "coefficient": coef["coef"],
            "SE (HC3)": coef["se"],
            "CI low": coef["ci_low"],
            "CI high": coef["ci_high"],
            "t": coef["t"],
            "p": coef["p"],
            "standardised": coef["std_coef"],
        }
    )
    fit_t = pd.DataFrame(
        {
            "outcome": [N_("mentee WAI-SR {label}, T1").format(label=label)],
            "n": [fit.n],
            "R2": [fit.r2],
            "adjusted R2": [fit.adj_r2],
            "errors": [fit.cov_type],
        }
    )
    fit_t["n"] = pd.array([n_shown], dtype="Int64")
    if pd.isna(n_shown):
        coef_t[["CI low", "CI high", "p"]] = np.nan
    outcome = CellRef("regression_fit", (str(fit_t["outcome"].iloc[0]),), "n")
    same = same_count(outcome, ledger_cell(_STAGE, _USED), "the model's responses")
    return (
        ReportTable(
            "regression",
            N_("Coefficients"),
            coef_t,
            formats={**{c: "{:.3f}" for c in coef_t.columns[1:]}, "p": "p"},
        ),
        ctx.show(
            ReportTable(
                "regression_fit",
                N_("Model"),
                fit_t,
                counts=("n",),
                formats={"R2": "{:.3f}", "adjusted R2": "{:.3f}"},
            ),
            [same],
        ),
    )


def _coefficients_figure(fit: OLSResult, label: str, lang: str = "en") -> ReportFigure:
    """Standardised coefficients (intercept left out) with their 95 % intervals."""
    fig = Figure(figsize=(8, 3))
    ax = fig.add_subplot()
    c = fit.coefficients.drop(index="const")
    sd_ratio = c["std_coef"] / c["coef"]
    y = np.arange(len(c))[::-1]
    ax.errorbar(
        c["std_coef"],
        y,
        xerr=[
            (c["coef"] - c["ci_low"]) * sd_ratio,
            (c["ci_high"] - c["coef"]) * sd_ratio,
        ],
        fmt="o",
        color="#386cb0",
        capsize=4,
    )
    ax.axvline(0, color="0.5", linewidth=0.8)
    t = translator(lang)
    ax.set_yticks(y, [t.gettext(_TERMS[term]) for term in c.index])
    ax.set_xlabel(t.gettext(N_("SD of the outcome per SD of the predictor (95 % CI)")))
    ax.set_title(
        t.gettext(N_("T1 WAI-SR {label} (mentees): standardised coefficients")).format(
            label=t.gettext(label) if lang != "en" else label.lower()
        ),
        fontsize="medium",
    )
    decimal_axis(ax.xaxis, lang)
    fig.tight_layout()
    return ReportFigure(
        "regression_coefficients",
        N_("Engagement and the working alliance: standardised coefficients"),
        figure_png(fig, dpi=96),
        N_(
            "Standardised OLS coefficients with 95 % confidence intervals for sync share, "
            "log exchanges and median response time."
        ),
    )


def _ledger(ctx: ReportContext, reasons: pd.Series, linked: LedgerEntry | None) -> LedgerEntry:
    """What the model used and left out: the responses are the T1 file's rows, and those not
    linked to a pair are the mentee responses of the agreement stage (``linked``) with the
    same issue (shown or hidden as there)."""
    ledger = {_USED: int(reasons.get("", 0))}
    ledger.update({str(r): int(n) for r, n in reasons.sort_index().items() if r})
    files = ctx.file_rows("mentee_t1")[0]
    relations = [same_count(ledger_cell(_STAGE, "Total"), files, "the T1 responses")]
    if linked is not None:
        there = set(linked.table["what"])
        for what in ledger:
            same = "mentee responses: " + what.removeprefix(_NOT_LINKED)
            if what.startswith(_NOT_LINKED) and same in there:
                why = "the same responses are not linked to a pair in the agreement stage"
                other = ledger_cell(linked.stage, same)
                relations.append(same_count(ledger_cell(_STAGE, what), other, why))
    ctx.known.relate(relations)
    return ctx.left_out(_STAGE, ledger, relations=relations, prefer_shown=(_USED,))


def regression_section(
    ctx: ReportContext,
    eng: Engagement | None,
    alliance_outcome: str = "total",
    linked: LedgerEntry | None = None,
) -> SectionStep:
    """Regress the mentees' T1 alliance (``alliance_outcome`` subscale) on pair engagement.

    ``linked`` is the agreement stage of 'What was left out': its mentee responses not
    linked to a pair are the same as this section's (shown or hidden alike).

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> ctx = ReportContext(generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> regression_section(ctx, None).section.paragraphs[0][:17]
    'Not available: ne'
    """
    p, k = ctx.programme, ctx.k
    e1, pairs = p.surveys.get("mentee_t1"), p.pairs
    wai = load_instrument("wai")
    if e1 is None or pairs is None or eng is None or not set(wai.item_ids) <= set(e1.columns):
        text = N_("Not available: needs the exchange log, pairs.csv and the mentees' WAI-SR at T1.")
        return SectionStep(ReportSection("regression", _TITLE, (text,)))
    data = engagement_outcome_data(e1, pairs, eng.table, subscale=alliance_outcome, lang="en")
    predictors = list(PREDICTORS)
    reasons = data["left_out"].value_counts()
    used = int(reasons.get("", 0))
    entry = _ledger(ctx, reasons, linked)
    if used <= len(predictors) + 1 or used < k:
        text = N_(
            "Not reported: {used} usable responses are too few for a model with "
            "{n} predictors (and the suppression threshold k = {k})."
        ).format(used=used, n=len(predictors), k=k)
        return SectionStep(ReportSection("regression", _TITLE, (text,)), (entry,))
    n_shown = entry.table.loc[entry.table["what"] == _USED, "count"].iloc[0]
    fit = ols(data[data["left_out"] == ""], "outcome", predictors, cov_type="HC3")
    label = wai.subscale(alliance_outcome).label
    intro = N_(
        "Ordinary least squares of the mentee's T1 WAI-SR {label} on the pair's sync "
        "share, log(1 + number of exchanges) and median response time (hours), with "
        "HC3 heteroskedasticity-robust standard errors. One row per mentee T1 response "
        "linked to a pair in force; rows without a score or without the measures are "
        "counted in 'What was left out'."
    ).format(label=label)
    section = ReportSection(
        "regression",
        _TITLE,
        (intro, _CAVEAT),
        _model_tables(ctx, fit, label, n_shown),
        figures=(_coefficients_figure(fit, label, ctx.lang),),
    )
    return SectionStep(section, (entry,))
