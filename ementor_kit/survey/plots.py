"""Plots of questionnaire answers: diverging stacked Likert bars and pre/post paired plots.

Both return a matplotlib :class:`~matplotlib.figure.Figure` (nothing is shown or saved), so
notebooks display them and scripts can ``fig.savefig(...)``. Only matplotlib is used (the
``plot-likert`` package does not work with pandas 3).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ementor_kit.i18n import N_, Translator, decimal_axis, format_percent, translator
from ementor_kit.survey.effects import paired_scores
from ementor_kit.survey.instruments import Instrument, load_instrument
from ementor_kit.survey.readers import SurveyExport
from ementor_kit.survey.scoring import item_matrix

__all__ = ["BUILT_IN_NAMES", "likert_table", "plot_likert", "plot_prepost"]

BUILT_IN_NAMES = (
    # titles of the bundled instruments (survey/instrument_defs/*.yaml)
    N_("Échelle d'expérience du e-mentorat / E-mentoring experience scale (8 items)"),
    N_("General Self-Efficacy scale (10 items)"),
    N_("Mentoring Functions Questionnaire (9 items)"),
    N_("Working Alliance Inventory - Short Revised (12 items)"),
    # their subscales
    N_("Usefulness of synchronous and asynchronous exchanges"),
    N_("Trust at a distance"),
    N_("Ease with the tools"),
    N_("Satisfaction"),
    N_("General self-efficacy"),
    N_("Career (vocational) support"),
    N_("Psychosocial support"),
    N_("Role modelling"),
    N_("Overall mentoring functions"),
    N_("Task agreement"),
    N_("Bond"),
    N_("Goal agreement"),
    N_("Working alliance (total)"),
    # the closure questionnaire (CLOSE-4) and the pulse (PULSE-4): titles and score names
    N_("Questionnaire de clôture / Closure questionnaire (4 items and the reason)"),
    N_("What the mentoring achieved"),
    N_("Would recommend the programme"),
    N_("Would take part again"),
    N_("Point d'étape du binôme / Mentoring pulse (4 items)"),
    N_("Pulse (all four items)"),
    N_("Relationship quality"),
    N_("Progress on goals"),
    N_("Contact as often as planned"),
)
"""Titles and subscale names of the bundled instruments, put in the message catalogue so a
figure drawn in French has a French title (an instrument of your own keeps its own words)."""


def _named(text: str, t: Translator) -> str:
    """A bundled instrument's title or subscale name in the figure's language."""
    return t.gettext(text) if text in BUILT_IN_NAMES else text


def likert_table(
    responses: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    *,
    items: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Share of each response option per item, in percent of the answers given.

    Answers are shown as given (reverse-keyed items are not recoded).

    Parameters
    ----------
    responses : DataFrame or SurveyExport
        One row per response, item columns named by item id.
    instrument : Instrument or str
        The instrument answered (an :class:`Instrument` or a built-in id).
    items : sequence of str, optional
        Items to show, in this order; default every item of the instrument.

    Returns
    -------
    DataFrame
        One row per item; one column per option (``scale_min`` ... ``scale_max``), then
        ``n`` (answers) and ``n_missing``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"emx_1": [1, 2, 2, 5], "emx_2": [4, 4, None, 5]})
    >>> likert_table(df, "emx", items=["emx_1", "emx_2"])
              1     2    3          4          5  n  n_missing
    item
    emx_1  25.0  50.0  0.0   0.000000  25.000000  4          0
    emx_2   0.0   0.0  0.0  66.666667  33.333333  3          1
    """
    inst = load_instrument(instrument)
    ids = list(inst.item_ids if items is None else items)
    x = item_matrix(responses, inst, items=ids)
    options = np.arange(inst.scale_min, inst.scale_max + 1)
    counts = np.stack([(x == o).sum(axis=0) for o in options], axis=1)
    n = (~np.isnan(x)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = 100 * counts / n[:, None]
    out = pd.DataFrame(pct, columns=[int(o) for o in options], index=pd.Index(ids, name="item"))
    out["n"] = n.astype(np.int64)
    out["n_missing"] = (len(x) - n).astype(np.int64)
    return out


def plot_likert(
    responses: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    *,
    items: Sequence[str] | None = None,
    lang: str | None = None,
    title: str | None = None,
    width: float = 10.0,
) -> Figure:
    """Diverging stacked bars: disagreement to the left of zero, agreement to the right.

    With an odd number of options the middle one is split half on each side of zero. Items
    are labelled with their wording in ``lang`` when the instrument bundles it, else their
    id; reverse-keyed items are marked ``(R)`` and shown as answered.

    Parameters
    ----------
    responses : DataFrame or SurveyExport
        One row per response, item columns named by item id.
    instrument : Instrument or str
        The instrument answered (an :class:`Instrument` or a built-in id).
    items : sequence of str, optional
        Items to show, in this order; default every item of the instrument.
    lang : str, optional
        Language of the whole figure (``"en"`` or ``"fr"``; default the process language,
        :func:`ementor_kit.set_language`): item wordings, option labels, axis and title. An
        item without wording in ``lang`` shows its id; options without labels in ``lang``
        show English labels in an English figure and their numbers in a French one (never a
        French legend under an English title, nor the reverse).
    title : str, optional
        Figure title; default the instrument's title (in ``lang`` for the bundled ones).
    width : float
        Figure width in inches (the height grows with the number of items).

    Returns
    -------
    Figure
        One horizontal bar per item (first item on top); ``fig.axes[0]``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"emx_1": [1, 2, 2, 5], "emx_2": [4, 4, None, 5]})
    >>> fig = plot_likert(df, "emx", items=["emx_1", "emx_2"])
    >>> len(fig.axes[0].patches)   # 2 items x 5 options
    10
    """
    t = translator(lang)
    lang = t.lang
    inst = load_instrument(instrument)
    table = likert_table(responses, inst, items=items)
    options = [c for c in table.columns if c not in ("n", "n_missing")]
    k = len(options)
    pct = table[options].to_numpy(dtype=float)
    mid = k // 2
    neutral = k % 2 == 1
    left_start = -(pct[:, :mid].sum(axis=1) + (pct[:, mid] / 2 if neutral else 0))
    fallback = inst.labels("en") if lang == "en" else ()
    labels = inst.labels(lang) or fallback or tuple(str(o) for o in options)
    colors = plt.get_cmap("RdBu")(np.linspace(0.1, 0.9, k))
    if neutral:
        colors[mid] = (0.8, 0.8, 0.8, 1.0)
    n_items = len(table)
    fig, ax = plt.subplots(figsize=(width, 0.6 * n_items + 1.8), layout="constrained")
    y = np.arange(n_items)[::-1]
    left = left_start.copy()
    for j in range(k):
        ax.barh(y, pct[:, j], left=left, color=colors[j], edgecolor="white", label=labels[j])
        left = left + pct[:, j]
    ax.axvline(0, color="black", linewidth=0.8)
    texts = {i.id: i.text(lang) for i in inst.items}
    ticks = []
    for item, n in zip(table.index, table["n"], strict=True):
        text = texts.get(item) or item
        mark = t.gettext(" (R)") if item in inst.reverse_keyed else ""
        lines = textwrap.wrap(text, 46)
        if len(lines) > 2:
            lines = [lines[0], lines[1][:42] + "..."]
        lines[-1] += f"{mark} (n={n})"  # the mark survives the cut of a long text
        ticks.append("\n".join(lines))
    ax.set_yticks(y, ticks, fontsize="small")
    ax.set_xlim(-100, 100)
    ticks_pct = [
        f"{abs(v)}%" if lang == "en" else format_percent(abs(v) / 100, 0, lang)
        for v in range(-100, 101, 50)
    ]
    ax.set_xticks(np.arange(-100, 101, 50), ticks_pct)
    ax.set_xlabel(t.gettext("share of answers (disagreement left, agreement right)"))
    fig.legend(
        *ax.get_legend_handles_labels(),
        ncols=min(k, 3),
        loc="outside lower center",
        frameon=False,
        fontsize="small",
    )
    ax.set_title(title or _named(inst.title, t))
    return fig


def plot_prepost(
    t0: pd.DataFrame | SurveyExport,
    t1: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    id_col: str = "respondent_id",
    *,
    subscales: Sequence[str] | None = None,
    min_answered: int | dict[str, int] | None = None,
    ci: float = 0.95,
    lang: str | None = None,
) -> Figure:
    """One panel per subscale: each respondent's T0 -> T1 line and the mean with its CI.

    Respondents are paired by ``id_col`` as in :func:`~ementor_kit.survey.effects.paired_scores`
    (blank or repeated ids are refused); only those with a score in both waves are drawn
    (the panel title gives their number).

    Parameters
    ----------
    t0, t1 : DataFrame or SurveyExport
        Responses of the first and second wave, item columns named by item id.
    instrument : Instrument or str
        The instrument answered at both waves (an :class:`Instrument` or a built-in id).
    id_col : str
        Column identifying respondents in both waves.
    subscales : sequence of str, optional
        Subscale ids to draw; default every subscale.
    min_answered : int or mapping, optional
        Passed to :func:`~ementor_kit.survey.scoring.score`.
    ci : float
        Level of the t interval of the means.
    lang : str, optional
        Language of the titles and axes (``"en"`` or ``"fr"``); default the process
        language (:func:`ementor_kit.set_language`).

    Returns
    -------
    Figure
        ``fig.axes[i]`` is the panel of the i-th subscale; its first ``n`` lines are the
        respondents (grey), the last one the means.

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"gse_{i}" for i in range(1, 11)]
    >>> t0 = pd.DataFrame({"respondent_id": ["E1", "E2", "E3"],
    ...                    **{i: [2, 3, 2] for i in items}})
    >>> t1 = t0.assign(**{i: [3, 3, 4] for i in items})
    >>> fig = plot_prepost(t0, t1, "gse")
    >>> fig.axes[0].get_title()
    'General self-efficacy (n = 3 pairs)'
    """
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    t = translator(lang)
    inst = load_instrument(instrument)
    subs = [inst.subscale(s) for s in subscales] if subscales else list(inst.subscales)
    ps = paired_scores(t0, t1, inst, id_col, min_answered=min_answered)
    ps = ps[ps["status"] == "both"]
    ncols = min(len(subs), 4)
    nrows = int(np.ceil(len(subs) / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.2 * ncols, 3.6 * nrows), squeeze=False, layout="constrained"
    )
    for ax, sub in zip(axes.ravel(), subs, strict=False):
        col = f"{inst.id}_{sub.id}"
        a = ps[f"{col}_t0"].to_numpy(dtype=float)
        b = ps[f"{col}_t1"].to_numpy(dtype=float)
        ok = ~np.isnan(a) & ~np.isnan(b)
        a, b = a[ok], b[ok]
        for y0, y1 in zip(a, b, strict=True):
            ax.plot([0, 1], [y0, y1], color="0.6", alpha=0.35, linewidth=0.8)
        if len(a) >= 2:
            q = stats.t.ppf(0.5 + ci / 2, len(a) - 1)
            err = [q * a.std(ddof=1) / np.sqrt(len(a)), q * b.std(ddof=1) / np.sqrt(len(b))]
        else:
            err = [0.0, 0.0]
        means = [a.mean(), b.mean()] if len(a) else [np.nan, np.nan]
        ax.errorbar([0, 1], means, yerr=err, color="tab:blue", marker="o", linewidth=2, capsize=4)
        factor = len(sub.items) if sub.method == "sum" else 1
        pad = 0.05 * (inst.scale_max - inst.scale_min) * factor
        ax.set_ylim(inst.scale_min * factor - pad, inst.scale_max * factor + pad)
        ax.set_xlim(-0.3, 1.3)
        ax.set_xticks([0, 1], ["T0", "T1"])
        decimal_axis(ax.yaxis, t.lang)
        # i18n: "pairs" are respondents answering both waves, not mentoring pairs
        n_text = t.gettext("{subscale} (n = {n} pairs)").format(
            subscale=_named(sub.label, t), n=len(a)
        )
        ax.set_title(n_text, fontsize="medium")
    for ax in axes.ravel()[len(subs) :]:
        ax.set_visible(False)
    fig.suptitle(_named(inst.title, t))
    return fig
