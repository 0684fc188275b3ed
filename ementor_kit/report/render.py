"""The pilot report as one self-contained HTML page: inline CSS, base64 figures, no scripts.

:func:`render_html` is what :meth:`ementor_kit.report.PilotReport.to_html` writes. Nothing
depends on the clock or the machine: the same report gives the same bytes.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ementor_kit._html import escape
from ementor_kit.i18n.formatting import format_date, format_number
from ementor_kit.i18n.glossary import GLOSSARY, label
from ementor_kit.i18n.language import N_, Translator, resolve_language, translator
from ementor_kit.i18n.text import french_number, translate_text
from ementor_kit.report._context import UNNAMED_RULES, small_counts

if TYPE_CHECKING:
    from ementor_kit.report.model import PilotReport, ReportSection, ReportTable

__all__ = ["SUPPRESSED", "render_html", "section_in_language", "table_html", "table_in_language"]

SUPPRESSED = "s"
"""What a suppressed count shows in the HTML."""

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
max-width:68rem;margin:2rem auto;padding:0 1rem;color:#1d2430;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2.4rem;
border-bottom:2px solid #d8dee9;padding-bottom:.2rem}h3{font-size:1.02rem;margin:1.4rem 0 .4rem}
.meta{color:#4c566a;font-size:.9rem}nav ol{columns:2;font-size:.95rem;list-style:none;padding-left:0}
table{border-collapse:collapse;margin:.4rem 0 .2rem;font-size:.88rem}
th,td{border:1px solid #d8dee9;padding:.22rem .5rem;text-align:left;vertical-align:top}
th{background:#eceff4}td.num,td.count{text-align:right;font-variant-numeric:tabular-nums}
td.suppressed{color:#8a5a00;background:#fff6e0}td.na{color:#8792a2;text-align:center}
tr.total td{font-weight:600}.note{font-size:.82rem;color:#4c566a;margin:.1rem 0 1rem}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{font-size:.85rem;
color:#4c566a}details{margin:1rem 0}summary{cursor:pointer;font-weight:600}
.caveat{border-left:4px solid #bf616a;padding:.2rem .8rem;background:#fbf1f2}
"""


def _is_missing(value: object) -> bool:
    missing = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
    if not missing:
        try:
            missing = bool(pd.isna(value))
        except (TypeError, ValueError):
            missing = False
    return missing


# a header whose French word depends on its table: the pre/post table's "pairs" are mentees who
# answered both waves (paires de réponses), not mentoring pairs (binômes)
_HEADER_IN_TABLE = {("prepost", "pairs"): N_("pairs of answers")}
_CODES = {t.key: t.key.split(".", 1)[1] for t in GLOSSARY if "." in t.key}
_BY_CODE = {code: key for key, code in _CODES.items() if key.split(".")[0] in ("status", "reason")}


# columns whose values are codes (a status, a reason, a side): the HTML shows their names, the
# tables read in a language keep them, for code to filter on (see table_in_language)
_CODE_COLUMNS = {
    ("engagement_status", "status"),
    ("list_check_in", "status"),
    ("check_in_rules", "status: rule"),
    ("closure_reasons", "reason"),
    ("closure_survey_reasons", "reason"),
    ("closure_survey_scores", "side"),
}
_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _word(value: object, lang: str, codes: bool = False) -> str:
    """A cell's text in ``lang``: status and reason codes by their glossary name, other
    texts through the catalogue (:func:`~ementor_kit.i18n.text.translate_text`).

    ``codes``: the cell is in a column of codes, which stay as they are (``at_risk``;
    ``at_risk : aucun échange...``); its other texts (``Total``) are translated.
    """
    text = str(value)
    if lang == "en":
        return text
    if codes and _CODE.fullmatch(text):
        return text
    if text in _BY_CODE:
        return label(_BY_CODE[text], lang)
    head, sep, rest = text.partition(": ")
    if sep and head in _BY_CODE:  # "at_risk: no exchange for more than 21 days"
        name = head if codes else label(_BY_CODE[head], lang)
        return f"{name} : {translate_text(rest, lang)}"
    if isinstance(value, bool | np.bool_):
        return translator(lang).gettext(N_("yes") if value else N_("no"))
    return translate_text(text, lang)


def _num(text: str, lang: str) -> str:
    """A number Python wrote in English, in ``lang`` (``0,52``; ``2\u202f663`` in French: a
    table's whole numbers are counts, grouped from four digits as Babel does)."""
    if lang == "en":
        return text
    if text.isdigit():
        return format_number(int(text), 0, lang)
    return french_number(text)


def _cell(value: object, col: str, table: ReportTable, lang: str = "en") -> str:
    """One ``<td>``: counts right-aligned (``s`` when suppressed), numbers by their format."""
    missing = _is_missing(value)
    if col in table.counts:
        if missing:
            return f'<td class="count suppressed">{SUPPRESSED}</td>'
        return f'<td class="count">{_num(str(int(value)), lang)}</td>'  # type: ignore[call-overload]
    if missing:
        return '<td class="na">–</td>'
    fmt = table.formats.get(col)
    if fmt == "p" and isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        shown = "&lt; " + _num("0.0001", lang) if v < 1e-4 else _num(f"{v:.4f}", lang)
        return f'<td class="num">{shown}</td>'
    if fmt is not None and isinstance(value, int | float | np.integer | np.floating):
        return f'<td class="num">{escape(_num(fmt.format(float(value)), lang))}</td>'
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return f'<td class="num">{_num(str(int(value)), lang)}</td>'
    if isinstance(value, float | np.floating):
        return f'<td class="num">{_num(f"{float(value):.3f}", lang)}</td>'
    return f"<td>{escape(_word(value, lang))}</td>"


def table_html(table: ReportTable, lang: str = "en") -> str:
    """A report table as an ``<h3>`` title, the ``<table>`` and its note, in ``lang``.

    The table holds English (message ids); its title, column names, texts and note are
    translated here and its numbers written the language's way.

    Examples
    --------
    >>> from ementor_kit.report.model import ReportTable
    >>> df = pd.DataFrame({"what": ["a", "Total"], "count": pd.array([None, 9], dtype="Int64")})
    >>> for row in table_html(ReportTable("n", "Counts", df, counts=("count",))).split("<tr"):
    ...     print(row)
    <h3 id="t-n">Counts</h3><table data-name="n"><thead>
    ><th>what</th><th>count</th></tr></thead><tbody>
    ><td>a</td><td class="count suppressed">s</td></tr>
     class="total"><td>Total</td><td class="count">9</td></tr></tbody></table>
    """
    df = table.data
    parts = [
        f'<h3 id="t-{escape(table.name)}">{escape(translate_text(table.title, lang))}</h3>',
        f'<table data-name="{escape(table.name)}"><thead><tr>',
        *(f"<th>{escape(_header_text(table.name, c, lang))}</th>" for c in df.columns),
        "</tr></thead><tbody>",
    ]
    first = df.columns[0] if len(df.columns) else None
    for row in df.itertuples(index=False, name=None):
        total = first is not None and str(row[0]) == "Total"
        parts.append('<tr class="total">' if total else "<tr>")
        parts += [_cell(v, c, table, lang) for v, c in zip(row, df.columns, strict=True)]
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if table.note:
        parts.append(f'<p class="note">{escape(translate_text(table.note, lang))}</p>')
    return "".join(parts)


def table_in_language(table: ReportTable, lang: str | None = None) -> ReportTable:
    """A copy of ``table`` with its title, note and texts in ``lang``.

    The texts are those :func:`table_html` shows (the same translation), but the data stay
    data: column names, numbers, missing values, pseudonyms and the codes of the columns of
    codes (a status, a reason, a side) are kept as they are, so code that selects columns or
    filters on codes works in every language.

    Parameters
    ----------
    table : ReportTable
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language. English returns ``table`` itself.

    Returns
    -------
    ReportTable

    Examples
    --------
    >>> from ementor_kit.report.model import ReportTable
    >>> df = pd.DataFrame({"status": ["at_risk", "Total"], "what": ["free places", "-"],
    ...                    "count": pd.array([6, 9], dtype="Int64")})
    >>> fr = table_in_language(ReportTable("list_check_in", "Pairs by status", df), "fr")
    >>> fr.title, fr.data["status"].tolist(), fr.data["what"].tolist(), fr.data["count"].tolist()
    ('Binômes par statut', ['at_risk', 'Total'], ['places libres', '-'], [6, 9])
    >>> table_in_language(ReportTable("n", "Pairs by status", df), "en").title
    'Pairs by status'
    """
    code = resolve_language(lang)
    if code == "en":
        return table
    data = table.data.copy()
    for col in data.columns:
        column = data[col]
        if col in table.counts or pd.api.types.is_numeric_dtype(column):
            continue
        codes = (table.name, col) in _CODE_COLUMNS
        shown = [_word(v, code, codes) if isinstance(v, str) else v for v in column]
        data[col] = pd.Series(shown, index=data.index, dtype=column.dtype)
    return dataclasses.replace(
        table,
        title=translate_text(table.title, code),
        data=data,
        note=translate_text(table.note, code) if table.note else table.note,
    )


def section_in_language(section: ReportSection, lang: str | None = None) -> ReportSection:
    """A copy of ``section`` with its title, paragraphs, tables and captions in ``lang``.

    The same translation as the HTML (:func:`render_html`); tables as
    :func:`table_in_language` gives them. The figures' images are the report's own (drawn in
    its language): only their captions and text alternatives are translated.

    Parameters
    ----------
    section : ReportSection
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language. English returns ``section`` itself.

    Returns
    -------
    ReportSection

    Examples
    --------
    >>> from ementor_kit.report.model import ReportSection
    >>> sec = ReportSection("closure", "9. How pairs ended", ("Not available: the folder has "
    ...                     "no pairs.csv or no interactions.csv yet.",))
    >>> fr = section_in_language(sec, "fr")
    >>> fr.id, fr.title
    ('closure', '9. Comment les binômes ont pris fin')
    """
    code = resolve_language(lang)
    if code == "en":
        return section
    return dataclasses.replace(
        section,
        title=translate_text(section.title, code),
        paragraphs=tuple(_paragraph_text(section, p, code) for p in section.paragraphs),
        tables=tuple(table_in_language(t, code) for t in section.tables),
        figures=tuple(
            dataclasses.replace(
                f, title=translate_text(f.title, code), alt=translate_text(f.alt, code)
            )
            for f in section.figures
        ),
        lists=tuple(table_in_language(t, code) for t in section.lists),
    )


_ABOUT = N_("About this report")
_CAVEAT = N_(
    "<strong>Before sharing outside the programme team.</strong> {counts} are hidden "
    "(<code>{s}</code>), together with the cells that would let them be recomputed from the "
    "same table's totals, from other tables (e.g. a file's rows in 'Files read' minus counts "
    "shown in another table) or from a derived column (df = pairs - 1); the report was "
    "checked for such sums and differences before it was written. What it cannot check is "
    "what a reader knows from elsewhere, and a hidden count can still be narrowed to a range "
    "(it is at most its table's total): review the tables before sharing the report outside "
    "the team; if in doubt, raise k{end}"
)
_PRIVACY = N_(
    "Privacy. Participant ids are keyed pseudonyms (HMAC-SHA256 with the study's secret key; "
    "e- for mentees, m- for mentors): only someone holding the key can link them back to a "
    "person, by pseudonymising their own list of ids with the same key. Names, organisations "
    "and messages never appear. In tables of counts, <code>{s}</code> marks a count hidden "
    "because it is {between}, or hidden as well so that such a count cannot be recomputed "
    "from the table's totals, from the other tables or from a derived column (secondary "
    "suppression); zeros are shown. Statistics resting on fewer than {k} responses or pairs "
    "are not shown (–), nor those that would give a hidden count back (df, t, p and "
    "intervals beside a hidden number of pairs). Before the report is written, every hidden "
    "count is checked against all the sums and differences its tables allow together; a "
    "report that would give one back is refused. Ranges are not hidden (a hidden count is at "
    "most the total it is part of): before publishing outside the team, raise k if in doubt."
)
_REPRODUCIBILITY = N_(
    "Reproducibility. The provenance hash covers every table of the programme, the pairing "
    "rules, the settings below and the ementor-kit version; the same inputs, settings and "
    "key give this file byte for byte (<code>ementor-kit report FOLDER --rules RULES.yaml "
    "--out report.html</code>, key in the EMENTOR_KIT_KEY environment variable)."
)


def _as_of(as_of: str | None, t: Translator) -> str:
    """The moment of the engagement assessment (a date written out in French)."""
    if as_of is None:
        return t.gettext(N_("(no exchange log)"))
    if t.lang == "en":
        return as_of
    return t.gettext(N_("{date} at {time} UTC")).format(
        date=format_date(as_of, t.lang), time=as_of[11:16]
    )


def _header_text(table: str, column: str, lang: str) -> str:
    """A column header in ``lang`` (English as written)."""
    if lang == "en":
        return translate_text(column, lang)
    return translate_text(_HEADER_IN_TABLE.get((table, column), column), lang)


def _header(report: PilotReport, t: Translator) -> list[str]:
    """Doctype, head, the title block with the settings line, the caveat and the contents."""
    s = report.settings
    k = s["k"]
    as_of = _as_of(s["as_of"], t)
    rules_shown = (
        t.gettext(N_("pairing rules '{rules}'")).format(rules=s["rules"])
        if s["rules"] not in UNNAMED_RULES
        else translate_text(s["rules"], t.lang)
    )
    title = t.gettext(N_("E-mentoring pilot report"))
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{t.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} ({escape(report.provenance)})</title>"
        f"<style>{_CSS}</style></head><body>\n"
    )
    meta = t.gettext(
        N_(
            "Provenance <code>{provenance}</code> · ementor-kit {version} · engagement as of "
            "{as_of} · {rules} · counts below {k} suppressed · pseudonym key fingerprint "
            "<code>{fingerprint}</code>"
        )
    ).format(
        provenance=escape(report.provenance),
        version=escape(report.version),
        as_of=escape(as_of),
        rules=escape(rules_shown),
        k=k,
        fingerprint=escape(report.key_fingerprint),
    )
    end = (
        t.gettext(N_(" or leave out the pair lists (pair_lists=False, --no-pair-lists)."))
        if s["pair_lists"]
        else "."
    )
    caveat = t.gettext(_CAVEAT).format(
        counts=small_counts(k, lang=t.lang).capitalize(), s=SUPPRESSED, end=end
    )
    return [
        head,
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="meta">{meta}</p>',
        f'<p class="caveat" id="before-sharing">{caveat}</p></header>\n',
        "<nav><ol>",
        *(
            f'<li><a href="#{escape(sec.id)}">{escape(translate_text(sec.title, t.lang))}</a></li>'
            for sec in report.sections
        ),
        f'<li><a href="#about">{escape(t.gettext(_ABOUT))}</a></li></ol></nav>\n',
    ]


def _paragraph_text(section: ReportSection, paragraph: str, lang: str) -> str:
    """A paragraph of ``section`` in ``lang``: its file's own text there, else the catalogue's.

    Examples
    --------
    >>> from ementor_kit.report.model import ReportSection
    >>> sec = ReportSection("s", "A section", ("GSE: a note.",),
    ...                     texts=(("GSE: a note.", "fr", "GSE : une remarque."),))
    >>> _paragraph_text(sec, "GSE: a note.", "fr"), _paragraph_text(sec, "GSE: a note.", "en")
    ('GSE : une remarque.', 'GSE: a note.')
    """
    own = {(p, lng): text for p, lng, text in section.texts}
    return own.get((paragraph, lang)) or translate_text(paragraph, lang)


def _section_html(sec: ReportSection, lang: str = "en") -> list[str]:
    """A section: paragraphs (the regression's second one as a caveat), tables, figures, lists."""
    tr = translator(lang)
    parts = [f'<section id="{escape(sec.id)}"><h2>{escape(translate_text(sec.title, lang))}</h2>']
    for i, para in enumerate(sec.paragraphs):
        cls = ' class="caveat"' if sec.id == "regression" and i == 1 else ""
        parts.append(f"<p{cls}>{escape(_paragraph_text(sec, para, lang))}</p>")
    for t in sec.tables:
        parts.append(table_html(t, lang))
    for f in sec.figures:
        data = base64.b64encode(f.png).decode("ascii")
        parts.append(
            f'<figure><img alt="{escape(translate_text(f.alt, lang))}" '
            f'src="data:image/png;base64,{data}">'
            f"<figcaption>{escape(translate_text(f.title, lang))}</figcaption></figure>"
        )
    for t in sec.lists:
        rows = tr.ngettext("{n} rows", "{n} rows", len(t.data)).format(n=len(t.data))
        parts.append(
            f"<details><summary>{escape(translate_text(t.title, lang))} ({rows})</summary>"
            f"{table_html(t, lang)}</details>"
        )
    parts.append("</section>\n")
    return parts


def _about(report: PilotReport, t: Translator) -> list[str]:
    """The closing section: how privacy and reproducibility work, and the settings table."""
    s = report.settings
    k = s["k"]
    privacy = t.gettext(_PRIVACY).format(
        s=SUPPRESSED, between=small_counts(k, between=True, lang=t.lang), k=k
    )
    return [
        f'<section id="about"><h2>{escape(t.gettext(_ABOUT))}</h2>',
        f"<p>{privacy}</p>",
        f"<p>{t.gettext(_REPRODUCIBILITY)}</p>",
        "<table><tbody>",
        *(
            f"<tr><th>{escape(translate_text(name, t.lang))}</th>"
            f"<td>{escape(_word(value, t.lang))}</td></tr>"
            for name, value in [
                (N_("provenance"), report.provenance),
                ("ementor-kit", report.version),
                *((n, v) for n, v in sorted(s.items())),
                (N_("key fingerprint"), report.key_fingerprint),
            ]
        ),
        "</tbody></table></section>\n</body></html>\n",
    ]


def render_html(report: PilotReport, lang: str | None = None) -> str:
    """The whole report as one HTML document (what :meth:`PilotReport.to_html` returns).

    Parameters
    ----------
    report : PilotReport
    lang : str, optional
        ``"en"`` or ``"fr"``; default the report's language (``report.lang``, set by
        :func:`~ementor_kit.report.pilot_report`), else the process language. The report's
        texts are English message ids, translated here; French writes numbers with a
        decimal comma and dates as ``3 décembre 2026``.

    Examples
    --------
    >>> from ementor_kit.report.model import PilotReport, ReportSection
    >>> rep = PilotReport((ReportSection("s", "1. A section", ("Text & more.",)),), "ek1-0",
    ...                   "0.1", {"as_of": None, "k": 5, "rules": "default pairing rules",
    ...                           "pair_lists": False}, "00000000")
    >>> page = render_html(rep)
    >>> page.startswith("<!DOCTYPE html>"), "<p>Text &amp; more.</p>" in page, "<script" in page
    (True, True, False)
    >>> '<html lang="fr">' in render_html(rep, "fr"), "Rapport" in render_html(rep, "fr")
    (True, True)
    """
    code = resolve_language(lang if lang is not None else getattr(report, "lang", None))
    t = translator(code)
    parts = _header(report, t)
    for sec in report.sections:
        parts += _section_html(sec, code)
    parts += _about(report, t)
    return "".join(parts)
