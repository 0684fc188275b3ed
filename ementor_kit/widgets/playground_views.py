"""What the match playground shows, as markup and pictures (private to the widgets).

The summary block, the score histogram and the tables of :class:`~ementor_kit.widgets.
MatchPlayground`, each a function of a result and a language, so they are tested without a
widget.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ementor_kit._html import escape, figure_png
from ementor_kit.i18n import N_, explanation, format_number, format_percent, translator
from ementor_kit.i18n.text import translate_text
from ementor_kit.matching import MatchResult, MatchSummary
from ementor_kit.matching.result import NOT_DECLARED

# the columns of MatchResult.unmatched (and of the pairs table) as the French reader sees them
_COLUMNS = {
    "person_id": N_("person_id"),
    "name": N_("name"),
    "role": N_("role"),
    "reason": N_("reason"),
    "detail": N_("detail"),
    "mentee": N_("mentee"),
    "mentee name": N_("mentee name"),
    "mentor": N_("mentor"),
    "mentor name": N_("mentor name"),
    "score": N_("score"),
    # the columns of MatchResult.explain
    "mentor_id": N_("mentor"),
    "status": N_("status"),
    "excluded_by": N_("excluded by"),
    "mentor_load": N_("mentor's load"),
    "why_not": N_("why not"),
}
_TABLE_STYLE = "max-height: 360px; overflow: auto;"


def _table(df: pd.DataFrame, css_class: str, lang: str = "en") -> str:
    """HTML table of ``df`` (escaped), in a scrolling box; French headers and decimal comma."""
    if lang != "en":
        t = translator(lang)
        words = df.select_dtypes(include=["object", "string"]).columns
        # cells with words (statuses, why_not, reasons) through the catalogue; ids stay as they are
        df = df.assign(
            **{
                str(c): df[c].map(
                    lambda v: translate_text(v, lang, data=True) if isinstance(v, str) else v
                )
                for c in words
            }
        )
        df = df.rename(columns={c: t.gettext(_COLUMNS.get(c, c)) for c in df.columns})
    body = df.to_html(
        index=False,
        escape=True,
        border=0,
        classes=["ek-table", css_class],
        float_format=lambda x: format_number(x, 1, lang) if lang != "en" else f"{x:.1f}",
        na_rep="",
    )
    return f'<div style="{_TABLE_STYLE}">{body}</div>'


def _any_html(obj: Any, css_class: str, lang: str = "en") -> str:
    if isinstance(obj, pd.DataFrame):
        return _table(obj, css_class, lang)
    if hasattr(obj, "_repr_html_"):
        return f"<div class='{css_class}'>{obj._repr_html_()}</div>"
    return f"<pre class='{css_class}' style='white-space:pre-wrap'>{escape(obj)}</pre>"


# -------------------------------------------------------------------------- helpers
def _num(x: Any, fmt: str = ".1f", lang: str = "en") -> str:
    """``x`` formatted by ``fmt`` (``.1f``, ``.0f``, ``.3g``): Python's text in English, the
    decimal comma in French; ``-`` when missing."""
    if x is None:
        return "-"
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return str(x)
    if np.isnan(xf):
        return "-"
    if lang == "en":
        return format(xf, fmt)
    if fmt.endswith("g"):
        return format(xf, fmt).replace(".", ",")
    return format_number(xf, int(fmt[1:-1]), lang)


def _pct(share: float, lang: str = "en") -> str:
    """A share as a percentage with one decimal (English: as always, ``nan%`` included)."""
    return f"{100 * share:.1f}%" if lang == "en" else format_percent(share, 1, lang)


def _coverage_text(s: MatchSummary, lang: str = "en") -> str:
    return f"{s.n_pairs} / {s.n_mentees} ({_pct(s.coverage, lang)})"


def _optimality_text(s: MatchSummary, lang: str = "en") -> str:
    t = translator(lang)
    if s.proven_optimal:
        return t.gettext("proven optimal ({solver}, {status})").format(
            solver=s.solver, status=t.gettext(s.status)
        )
    if s.gap == s.gap:  # not NaN
        return t.gettext("not proven optimal: gap {gap} ({solver}, {status})").format(
            gap=_num(s.gap, ".3g", lang), solver=s.solver, status=t.gettext(s.status)
        )
    return t.gettext("heuristic, no proof ({solver}, {status})").format(
        solver=s.solver, status=t.gettext(s.status)
    )


def _summary_rows(
    result: MatchResult, seconds: float, lang: str = "en", s: MatchSummary | None = None
) -> list[tuple[str, str, str]]:
    """(label, css class, text) of each line of the summary block (``s``: the result's
    summary when the caller has it already)."""
    s = s or result.summary()
    tr = translator(lang)
    t = {k: 1000 * float(v) for k, v in s.timings.items()}
    steps = {"score": N_("score"), "solve": N_("solve"), "report": N_("report")}
    parts = ", ".join(
        f"{tr.gettext(steps[k])} {_num(t[k], '.0f', lang)}"
        for k in ("score", "solve", "report")
        if k in t
    )
    return [
        (tr.gettext("mentees paired"), "ek-coverage", _coverage_text(s, lang)),
        (tr.gettext("mean score"), "ek-score-mean", _num(s.score_mean, lang=lang)),
        (tr.gettext("worst score"), "ek-score-min", _num(s.score_min, lang=lang)),
        (
            tr.gettext("quartiles"),
            "ek-score-quartiles",
            " / ".join(_num(x, lang=lang) for x in (s.score_q1, s.score_median, s.score_q3)),
        ),
        (
            tr.gettext("mentor places"),
            "ek-capacity",
            tr.gettext("{used} of {total} used ({n} mentors)").format(
                used=s.n_pairs, total=s.total_capacity, n=s.n_mentors
            ),
        ),
        (tr.gettext("solution"), "ek-optimal", _optimality_text(s, lang)),
        (
            tr.gettext("solve time"),
            "ek-solve-time",
            f"{_num(1000 * seconds, '.0f', lang)} ms" + (f" ({parts} ms)" if parts else ""),
        ),
    ]


def _summary_html(result: MatchResult, seconds: float, count: int, lang: str = "en") -> str:
    """The summary block; every figure sits in an element with its own class (for tests)."""
    s = result.summary()
    tr = translator(lang)
    rows = _summary_rows(result, seconds, lang, s)
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{escape(k)}</th>"
        f"<td class='{cls}'>{escape(v)}</td></tr>"
        for k, cls, v in rows
    )
    groups = "".join(
        f"<tr><td>{escape(tr.gettext(g) if g == NOT_DECLARED else g)}</td>"
        f"<td class='ek-group-coverage' data-group='{escape(g)}'>"
        f"{_pct(float(v), lang)}</td></tr>"
        for g, v in s.group_coverage.items()
    )
    # the plain-words tooltip of "provenance" is French only: the English block stays as it was
    tip = "" if lang == "en" else f" title='{escape(explanation('provenance', lang))}'"
    return (
        f"<div class='ek-summary' data-solve='{count}'><table>{body}</table>"
        "<table class='ek-groups' style='margin-top:4px'><tr><th style='text-align:left'>"
        f"{tr.gettext('group')}</th><th>{tr.gettext('paired')}</th></tr>{groups}</table>"
        f"<div style='color:#666;font-size:smaller'{tip}>"
        f"{tr.gettext('provenance')} "
        f"<code class='ek-provenance'>{escape(s.provenance)}</code></div></div>"
    )


def _histogram_png(b: pd.Series, a: pd.Series | None = None, lang: str = "en") -> bytes:
    """PNG bytes of the distribution of matched scores (current B, pinned A as an outline)."""
    t = translator(lang)
    fig = Figure(figsize=(4.4, 2.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    bins = np.linspace(0, 100, 26).tolist()  # a list: matplotlib's stub wants a Sequence
    ax.hist(
        np.asarray(b, dtype=float),
        bins=bins,
        color="#4c72b0",
        alpha=0.8,
        label=t.ngettext("current ({n} pairs)", "current ({n} pairs)", len(b)).format(n=len(b)),
    )
    if a is not None:
        ax.hist(
            np.asarray(a, dtype=float),
            bins=bins,
            histtype="step",
            color="#dd8452",
            linewidth=2,
            label=t.ngettext("pinned A ({n} pairs)", "pinned A ({n} pairs)", len(a)).format(
                n=len(a)
            ),
        )
    ax.set_xlim(0, 100)
    ax.set_xlabel(t.gettext("score of the pair (points out of 100)"))
    ax.set_ylabel(t.gettext("pairs"))
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    fig.tight_layout()
    return figure_png(fig)
