"""The pilot report as one self-contained HTML page: inline CSS, base64 figures, no scripts.

:func:`render_html` is what :meth:`ementor_kit.report.PilotReport.to_html` writes. Nothing
depends on the clock or the machine: the same report gives the same bytes.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ementor_kit._html import escape
from ementor_kit.report._context import UNNAMED_RULES, small_counts

if TYPE_CHECKING:
    from ementor_kit.report.model import PilotReport, ReportSection, ReportTable

__all__ = ["SUPPRESSED", "render_html", "table_html"]

SUPPRESSED = "s"
"""What a suppressed count shows in the HTML."""

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
max-width:68rem;margin:2rem auto;padding:0 1rem;color:#1d2430;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2.4rem;
border-bottom:2px solid #d8dee9;padding-bottom:.2rem}h3{font-size:1.02rem;margin:1.4rem 0 .4rem}
.meta{color:#4c566a;font-size:.9rem}nav ol{columns:2;font-size:.95rem}
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


def _cell(value: object, col: str, table: ReportTable) -> str:
    """One ``<td>``: counts right-aligned (``s`` when suppressed), numbers by their format."""
    missing = _is_missing(value)
    if col in table.counts:
        if missing:
            return f'<td class="count suppressed">{SUPPRESSED}</td>'
        return f'<td class="count">{int(value)}</td>'  # type: ignore[call-overload]
    if missing:
        return '<td class="na">–</td>'
    fmt = table.formats.get(col)
    if fmt == "p" and isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        return f'<td class="num">{"&lt; 0.0001" if v < 1e-4 else f"{v:.4f}"}</td>'
    if fmt is not None and isinstance(value, int | float | np.integer | np.floating):
        return f'<td class="num">{escape(fmt.format(float(value)))}</td>'
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return f'<td class="num">{int(value)}</td>'
    if isinstance(value, float | np.floating):
        return f'<td class="num">{float(value):.3f}</td>'
    return f"<td>{escape(value)}</td>"


def table_html(table: ReportTable) -> str:
    """A report table as an ``<h3>`` title, the ``<table>`` and its note.

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
        f'<h3 id="t-{escape(table.name)}">{escape(table.title)}</h3>',
        f'<table data-name="{escape(table.name)}"><thead><tr>',
        *(f"<th>{escape(c)}</th>" for c in df.columns),
        "</tr></thead><tbody>",
    ]
    first = df.columns[0] if len(df.columns) else None
    for row in df.itertuples(index=False, name=None):
        total = first is not None and str(row[0]) == "Total"
        parts.append('<tr class="total">' if total else "<tr>")
        parts += [_cell(v, c, table) for v, c in zip(row, df.columns, strict=True)]
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if table.note:
        parts.append(f'<p class="note">{escape(table.note)}</p>')
    return "".join(parts)


def _header(report: PilotReport) -> list[str]:
    """Doctype, head, the title block with the settings line, the caveat and the contents."""
    s = report.settings
    k = s["k"]
    as_of = s["as_of"] or "(no exchange log)"
    rules_shown = (
        f"pairing rules '{s['rules']}'" if s["rules"] not in UNNAMED_RULES else f"{s['rules']}"
    )
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>E-mentoring pilot report ({escape(report.provenance)})</title>"
        f"<style>{_CSS}</style></head><body>\n"
    )
    return [
        head,
        "<header><h1>E-mentoring pilot report</h1>",
        f'<p class="meta">Provenance <code>{escape(report.provenance)}</code> · ementor-kit '
        f"{escape(report.version)} · engagement as of {escape(as_of)} · {escape(rules_shown)} · "
        f"counts below {k} suppressed · pseudonym key fingerprint "
        f"<code>{escape(report.key_fingerprint)}</code></p>",
        f'<p class="caveat" id="before-sharing"><strong>Before sharing outside the programme '
        f"team.</strong> {small_counts(k).capitalize()} are hidden (<code>{SUPPRESSED}</code>), "
        "together with the cells that would let them be recomputed from the same table's "
        "totals, from other tables (e.g. a file's rows in 'Files read' minus counts shown in "
        "another table) or from a derived column (df = pairs - 1); the report was checked for "
        "such sums and differences before it was written. What it cannot check is what a "
        "reader knows from elsewhere, and a hidden count can still be narrowed to a range "
        "(it is at most its table's total): review the tables before sharing the report "
        "outside the team; if in doubt, raise k"
        + (
            " or leave out the pair lists (pair_lists=False, --no-pair-lists)."
            if s["pair_lists"]
            else "."
        )
        + "</p></header>\n",
        "<nav><ol>",
        *(
            f'<li><a href="#{escape(sec.id)}">{escape(sec.title)}</a></li>'
            for sec in report.sections
        ),
        '<li><a href="#about">About this report</a></li></ol></nav>\n',
    ]


def _section_html(sec: ReportSection) -> list[str]:
    """A section: paragraphs (the regression's second one as a caveat), tables, figures, lists."""
    parts = [f'<section id="{escape(sec.id)}"><h2>{escape(sec.title)}</h2>']
    for i, para in enumerate(sec.paragraphs):
        cls = ' class="caveat"' if sec.id == "regression" and i == 1 else ""
        parts.append(f"<p{cls}>{escape(para)}</p>")
    for t in sec.tables:
        parts.append(table_html(t))
    for f in sec.figures:
        data = base64.b64encode(f.png).decode("ascii")
        parts.append(
            f'<figure><img alt="{escape(f.alt)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{escape(f.title)}</figcaption></figure>"
        )
    for t in sec.lists:
        parts.append(
            f"<details><summary>{escape(t.title)} ({len(t.data)} rows)</summary>"
            f"{table_html(t)}</details>"
        )
    parts.append("</section>\n")
    return parts


def _about(report: PilotReport) -> list[str]:
    """The closing section: how privacy and reproducibility work, and the settings table."""
    s = report.settings
    k = s["k"]
    return [
        '<section id="about"><h2>About this report</h2>',
        "<p>Privacy. Participant ids are keyed pseudonyms (HMAC-SHA256 with the study's "
        "secret key; e- for mentees, m- for mentors): only someone holding the key can link "
        "them back to a person, by pseudonymising their own list of ids with the same key. "
        "Names, organisations and messages never appear. In tables of counts, "
        f"<code>{SUPPRESSED}</code> marks a count hidden because it is {small_counts(k, between=True)}, "
        "or hidden as well so that such a count cannot be recomputed from the table's totals, "
        "from the other tables or from a derived column (secondary suppression); zeros are "
        f"shown. Statistics resting on fewer than {k} responses or pairs are not shown (–), "
        "nor those that would give a hidden count back (df, t, p and intervals beside a hidden "
        "number of pairs). Before the report is written, every hidden count is checked "
        "against all the sums and differences its tables allow together; a report that "
        "would give one back is refused. Ranges are not hidden (a hidden count is at most "
        "the total it is part of): before publishing outside the team, raise k if in "
        "doubt.</p>",
        "<p>Reproducibility. The provenance hash covers every table of the programme, the "
        "pairing rules, the settings below and the ementor-kit version; the same inputs, "
        "settings and key give this file byte for byte (<code>ementor-kit report FOLDER "
        "--rules RULES.yaml --out report.html</code>, key in the EMENTOR_KIT_KEY environment "
        "variable).</p>",
        "<table><tbody>",
        *(
            f"<tr><th>{escape(name)}</th><td>{escape(value)}</td></tr>"
            for name, value in [
                ("provenance", report.provenance),
                ("ementor-kit", report.version),
                *((n, v) for n, v in sorted(s.items())),
                ("key fingerprint", report.key_fingerprint),
            ]
        ),
        "</tbody></table></section>\n</body></html>\n",
    ]


def render_html(report: PilotReport) -> str:
    """The whole report as one HTML document (what :meth:`PilotReport.to_html` returns).

    Examples
    --------
    >>> from ementor_kit.report.model import PilotReport, ReportSection
    >>> rep = PilotReport((ReportSection("s", "1. A section", ("Text & more.",)),), "ek1-0",
    ...                   "0.1", {"as_of": None, "k": 5, "rules": "default pairing rules",
    ...                           "pair_lists": False}, "00000000")
    >>> page = render_html(rep)
    >>> page.startswith("<!DOCTYPE html>"), "<p>Text &amp; more.</p>" in page, "<script" in page
    (True, True, False)
    """
    parts = _header(report)
    for sec in report.sections:
        parts += _section_html(sec)
    parts += _about(report)
    return "".join(parts)
