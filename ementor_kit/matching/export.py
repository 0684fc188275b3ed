"""Outputs a coordinator can send: a workbook and a spreadsheet-ready CSV of a pairing.

:meth:`MatchResult.to_excel <ementor_kit.matching.MatchResult.to_excel>` and
:meth:`MatchResult.to_csv(..., excel_fr=True) <ementor_kit.matching.MatchResult.to_csv>` call
this module. These are the only outputs that carry people's names and contacts: they are joined
back, by id, from the programme's people tables (the sample's ``display_name`` and any contact
column; for a programme read with a ``programme.yaml``, the attributes typed ``name`` or
``contact``). Analysis outputs (``MatchResult.pairs``, the report) never do.

What a person reads is made safe and plain:

- every text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  prefixed with ``'`` (:func:`neutralise`), so no spreadsheet runs it as a formula (CSV/Excel
  formula injection); characters a workbook cannot hold (control characters) are removed;
- scores are rounded to one decimal;
- reason codes become sentences (:func:`reason_sentence`, from the one table of wordings
  :data:`REASON_WORDINGS`, :data:`EXCLUSION_WORDINGS` and :data:`EXCLUSION_PATTERNS`);
- sheet names are valid and unique (:func:`sheet_names`).

Both outputs are deterministic: the same result and programme give a byte-identical CSV and a
byte-identical workbook (fixed document dates, fixed zip entry times).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ementor_kit._version import __version__
from ementor_kit.data.people import People
from ementor_kit.data.spec import ID_ATTRIBUTE
from ementor_kit.data.validation import Programme
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.i18n.language import N_, Translator, translator
from ementor_kit.i18n.text import translate_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from ementor_kit.matching.result import MatchResult

__all__ = [
    "EXCLUSION_PATTERNS",
    "EXCLUSION_WORDINGS",
    "REASON_WORDINGS",
    "coordinator_csv",
    "coordinator_table",
    "HEADINGS",
    "SHEETS",
    "neutralise",
    "reason_sentence",
    "sheet_names",
    "write_excel",
]

REASON_WORDINGS: Mapping[str, str] = {
    "no_feasible_mentor": N_("No mentor meets the hard rules for this mentee"),
    "feasible_mentors_full": N_("Every mentor compatible with this mentee is already full"),
    "not_selected": N_(
        "A compatible mentor still has room, but the pairing left this pair out to do better "
        "overall"
    ),
    "spare_capacity": N_("This mentor still has free places"),
    "no_capacity": N_("This mentor offers no place in this pairing"),
}
"""The sentence of each reason code of ``MatchResult.unmatched`` (without final period)."""

EXCLUSION_WORDINGS: Mapping[str, str] = {
    "language": N_("no language in common"),
    "same_department": N_("same organisation and department (conflict of interest)"),
    "forbidden": N_("pair forbidden by the rules"),
    "no_capacity": N_("the mentor offers no place"),
    "required_elsewhere": N_("the mentee is required with another mentor"),
    "min_score": N_("score below the rules' minimum score"),
}
"""What each hard rule of the default rules (``EXCLUSION_RULES``) means, as a noun phrase."""

EXCLUSION_PATTERNS: Mapping[str, str] = {
    "must_": N_("'{}' not met (a must criterion)"),
    "require_shared_": N_("no {} in common"),
    "require_same_": N_("different {}"),
    "forbid_same_": N_("same {} (conflict of interest)"),
}
"""Wordings of the names given to declared hard rules (``require_shared_languages``...): the
text after the prefix, ``_`` as spaces, fills ``{}``. Any other name is shown with its ``_``
replaced by spaces."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_SHEET_MAX = 31
_CONTACT_COLUMN = re.compile(
    r"(?:^|_)(?:e_?mail|mail|courriel|phone|telephone|tel|mobile|contact)(?:_|$)", re.IGNORECASE
)
FIXED_DATE = datetime.datetime(2000, 1, 1)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SHEETS: Mapping[str, str] = {
    "pairs": N_("Pairs"),
    "unmatched": N_("Unmatched"),
    "rules": N_("Rules"),
    "provenance": N_("Provenance"),
}
"""The workbook's fixed sheets (before the mentors' sheets), by key: their English names."""
HEADINGS: Mapping[str, str] = {
    "mentee_id": N_("mentee (id)"),
    "mentor_id": N_("mentor (id)"),
    "score": N_("score"),
    "reason": N_("reason"),
    "reason_code": N_("reason code"),
    "places": N_("places"),
    "rules (YAML)": N_("rules (YAML)"),
}
"""Headings of the workbook's columns in another language than English (English keeps the
column names); a person's joined column ``mentee_<attribute>`` reads ``mentee: <attribute>``."""
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ROLE_PREFIX = {"mentors": "mentor", "mentees": "mentee"}


# --------------------------------------------------------------------------- wordings and cells
def neutralise(text: str) -> str:
    """Make a text cell safe to open in a spreadsheet (no formula injection).

    Parameters
    ----------
    text : str
        What a person will read.

    Returns
    -------
    str
        ``text`` prefixed with ``'`` when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return (a spreadsheet would run it as a formula), else unchanged.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("Hugo J."), neutralise("-3")
    ('\\'=HYPERLINK("http://x")', 'Hugo J.', "'-3")
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def _rule_phrase(name: str, t: Translator) -> str:
    if name in EXCLUSION_WORDINGS:
        return t.gettext(EXCLUSION_WORDINGS[name])
    for prefix, template in EXCLUSION_PATTERNS.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            return t.gettext(template).format(name[len(prefix) :].replace("_", " "))
    return name.replace("_", " ")


def _mentors(n: int, t: Translator) -> str:
    return t.ngettext("{n} mentor", "{n} mentors", n).format(n=n)


def reason_sentence(reason: str, detail: str = "", lang: str | None = None) -> str:
    """The plain-language sentence of a reason code of ``MatchResult.unmatched``.

    Parameters
    ----------
    reason : str
        The code (``no_feasible_mentor``, ``feasible_mentors_full``, ``not_selected``,
        ``spare_capacity``, ``no_capacity``); an unknown code is shown with its ``_`` replaced
        by spaces.
    detail : str, optional
        The ``detail`` column: the counts per hard rule, the number of full mentors or the
        mentors left out are turned into words (a detail of another form is appended as is).
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language
        (:func:`~ementor_kit.i18n.set_language`).

    Returns
    -------
    str
        One sentence ending with a period.

    Examples
    --------
    >>> reason_sentence("feasible_mentors_full", "all 5 feasible mentor(s) are full")
    'Every mentor compatible with this mentee is already full (5 mentors).'
    >>> reason_sentence("no_feasible_mentor",
    ...     "no mentor passes the hard rules: language excludes 88; same_department excludes 1")
    'No mentor meets the hard rules for this mentee: no language in common for 88 mentors; same organisation and department (conflict of interest) for 1 mentor.'
    >>> reason_sentence("feasible_mentors_full", "all 5 feasible mentor(s) are full", lang="fr")
    'Tous les mentor·es compatibles avec ce ou cette mentoré·e sont déjà complet·es (5 mentor·es).'
    """
    t = translator(lang)
    known = reason in REASON_WORDINGS
    base = t.gettext(REASON_WORDINGS[reason]) if known else reason.replace("_", " ").capitalize()
    detail = detail.strip()
    with_detail = t.gettext(N_("{base} ({detail})."))
    if reason == "no_feasible_mentor":
        listed = detail.partition(": ")[2]
        counts = [re.fullmatch(r"(.+) excludes (\d+)", part) for part in listed.split("; ")]
        if listed and all(counts):
            parts = [
                t.gettext(N_("{rule} for {mentors}")).format(
                    rule=_rule_phrase(c.group(1), t), mentors=_mentors(int(c.group(2)), t)
                )
                for c in counts
                if c is not None
            ]
            sep = "; " if t.lang == "en" else " ; "  # French sets a space before ';'
            return t.gettext(N_("{base}: {parts}.")).format(base=base, parts=sep.join(parts))
    elif reason == "feasible_mentors_full":
        found = re.fullmatch(r"all (\d+) feasible mentor\(s\) are full", detail)
        if found:
            return with_detail.format(base=base, detail=_mentors(int(found.group(1)), t))
    elif reason == "not_selected":
        found = re.fullmatch(
            r"(\d+) feasible mentor\(s\) with room \((.*)\) left out by (.*)", detail
        )
        if found:
            n, shown, why = found.groups()
            return t.gettext(
                N_("{base}: {mentors} with room ({shown}), left out by {why}.")
            ).format(base=base, mentors=_mentors(int(n), t), shown=shown, why=why)
    if detail:
        return with_detail.format(base=base, detail=translate_text(detail, t.lang, data=True))
    return t.gettext(N_("{base}.")).format(base=base)


def sheet_names(labels: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Valid, unique Excel sheet names for ``labels``, in order.

    Parameters
    ----------
    labels : iterable of str
        The wished names.
    taken : iterable of str, optional
        Names already used in the workbook.

    Returns
    -------
    list of str
        Each label with ``[ ] : * ? / \\`` and control characters replaced by ``_``, no
        leading or trailing apostrophe or space, at most 31 characters, never ``History``
        (reserved by Excel), unique without regard to case (a repeat gets `` (2)``,
        `` (3)``...).

    Examples
    --------
    >>> sheet_names(["Dupont: R&D [Paris]", "a" * 40, "A" * 40, "Pairs"], taken=["Pairs"])
    ['Dupont_ R&D _Paris_', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA (2)', 'Pairs (2)']
    """

    def clip(text: str, n: int) -> str:
        return text[:n].strip(" '") or "sheet"

    used = {t.casefold() for t in taken}
    out = []
    for label in labels:
        base = clip(_SHEET_FORBIDDEN.sub("_", str(label)), _SHEET_MAX)
        if base.casefold() == "history":
            base += "_"
        name, k = base, 2
        while name.casefold() in used:
            suffix = f" ({k})"
            name = clip(base, _SHEET_MAX - len(suffix)) + suffix
            k += 1
        used.add(name.casefold())
        out.append(name)
    return out


# --------------------------------------------------------------------------- people joined back
def _text(v: object) -> str:
    """A cell of a people table as text ('' when missing)."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def _check_programme(programme: object) -> None:
    if not isinstance(programme, Programme | People):
        raise ArgumentTypeError(
            "programme",
            programme,
            N_(
                "pass the programme whose people were matched: read_programme(folder), "
                "load_sample() or read_people(...)"
            ),
        )


def _identifier_columns(programme: Programme | People, role: str) -> tuple[str, ...]:
    """The columns of ``role`` that name or reach a person, in table order."""
    table = getattr(programme, role)
    spec = programme.spec
    if spec is not None:
        names: Sequence[str] = spec.identifiers[role]
    else:
        names = [c for c in table.columns if c == "display_name" or _CONTACT_COLUMN.search(c)]
    return tuple(c for c in table.columns if c in names)


def _name_columns(programme: Programme | People, role: str) -> tuple[str, ...]:
    """The identifier columns that hold names (not contacts)."""
    spec = programme.spec
    if spec is not None:
        named = {a.name for a in spec.attributes(role) if a.type == "name"}
    else:
        named = {"display_name"}
    return tuple(c for c in _identifier_columns(programme, role) if c in named)


def _joined_name(role: str, column: str) -> str:
    prefix = _ROLE_PREFIX[role]
    return column if column.startswith(prefix + "_") else f"{prefix}_{column}"


def people_columns(
    programme: Programme | People | None, role: str, ids: Sequence[str]
) -> pd.DataFrame:
    """Identifier columns of ``role`` for ``ids``, in that order, named ``mentor_...``."""
    if programme is None:
        return pd.DataFrame(index=range(len(ids)))
    table = getattr(programme, role)
    key = ID_ATTRIBUTE[role]
    known = pd.Index(table[key].map(_text))
    if not known.is_unique:
        raise InvalidArgumentError(
            "programme",
            sorted(set(known[known.duplicated()]))[:5],
            N_(
                "pass a programme whose {key} values are unique (read_programme checks them)"
            ).format(key=key),
            message=N_("the programme's {role} have duplicated ids").format(role=role),
        )
    pos = known.get_indexer(list(ids))
    if (pos < 0).any():
        missing = [i for i, p in zip(ids, pos, strict=True) if p < 0]
        raise InvalidArgumentError(
            "programme",
            missing[:5],
            N_("pass the programme whose mentors and mentees were matched"),
            message=N_(
                "{n} {role} of the pairing are not in the programme (e.g. {missing!r})"
            ).format(n=len(missing), role=role, missing=missing[0]),
        )
    cols = _identifier_columns(programme, role)
    return pd.DataFrame(
        {_joined_name(role, c): [_text(v) for v in table[c].to_numpy()[pos]] for c in cols}
    )


def _with_people(
    ids: pd.Series, role: str, programme: Programme | People | None
) -> dict[str, pd.Series]:
    """``{id column: ids, joined identifier columns...}``, aligned on ``ids``."""
    ids = ids.astype(str).reset_index(drop=True)
    out = {ID_ATTRIBUTE[role]: ids}
    people = people_columns(programme, role, ids.tolist())
    out.update({c: people[c] for c in people.columns})
    return out


def coordinator_table(
    result: MatchResult, programme: Programme | People | None = None, *, lang: str | None = None
) -> pd.DataFrame:
    """One row per mentee: the mentor or the reason, names and contacts joined back.

    Parameters
    ----------
    result : MatchResult
        The pairing.
    programme : Programme or People, optional
        The programme whose people were matched: its names and contacts are joined by id.
        Without it only ids are shown.
    lang : str, optional
        Language of the ``reason`` sentences; default the process language.

    Returns
    -------
    DataFrame
        Sorted by ``mentee_id``: ``mentee_id``, the mentee's names and contacts
        (``mentee_<attribute>``), ``mentor_id`` (empty when unmatched), the mentor's,
        ``score`` rounded to one decimal (NaN when unmatched), ``status`` (``paired`` /
        ``unmatched``) and ``reason`` (a sentence of :func:`reason_sentence`; empty when
        paired). Texts are as in the data (not yet neutralised).

    Raises
    ------
    InvalidArgumentError
        When a person of the pairing is not in ``programme``.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> from ementor_kit.datasets import example_profiles
    >>> mentors, mentees = example_profiles()
    >>> r = ek.match(mentors, mentees)
    >>> coordinator_table(r)[["mentee_id", "mentor_id", "score", "status"]]
      mentee_id mentor_id  score  status
    0      E001      M001   81.2  paired
    1      E002      M002   44.9  paired
    """
    if programme is not None:
        _check_programme(programme)
    pairs = result.pairs
    left = result.unmatched_reasons(lang)
    left = left[left["role"] == "mentee"]
    paired = pd.DataFrame(
        {
            **_with_people(pairs["mentee_id"], "mentees", programme),
            **_with_people(pairs["mentor_id"], "mentors", programme),
            "score": [round(float(s), 1) for s in pairs["score"]],
            "status": "paired",
            "reason": "",
        }
    )
    alone = pd.DataFrame(_with_people(left["person_id"], "mentees", programme))
    alone["status"] = "unmatched"
    alone["reason"] = left["why"].to_numpy()
    table = pd.concat([paired, alone], ignore_index=True)
    for c in paired.columns:
        if c.startswith("mentor_"):
            table[c] = table[c].fillna("")
    table = table[list(paired.columns)]
    return table.sort_values("mentee_id", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- CSV
def csv_cell(v: object, decimal: str) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.1f}".replace(".", decimal)
    return neutralise(_text(v))


def coordinator_csv(
    result: MatchResult, programme: Programme | People | None = None, *, excel_fr: bool = False
) -> str:
    """The :func:`coordinator_table` as CSV text, for a spreadsheet.

    Parameters
    ----------
    result : MatchResult
        The pairing.
    programme : Programme or People, optional
        Whose names and contacts to join back.
    excel_fr : bool, default False
        ``;`` separator, decimal comma and CRLF line ends (what a French-locale Excel opens
        as columns; write it as UTF-8 with BOM, as ``MatchResult.to_csv`` does); else ``,``,
        decimal point and LF.

    Returns
    -------
    str
        The text (without BOM): a header line, then one line per mentee; scores with one
        decimal; text cells neutralised (:func:`neutralise`).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> from ementor_kit.datasets import example_profiles
    >>> text = coordinator_csv(ek.match(*example_profiles()), excel_fr=True)
    >>> print(text.splitlines()[1])
    E001;M001;81,2;paired;
    """
    table = coordinator_table(result, programme)
    sep, decimal, end = (";", ",", "\r\n") if excel_fr else (",", ".", "\n")
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=end)
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow([csv_cell(v, decimal) for v in row])
    return buf.getvalue()


# --------------------------------------------------------------------------- workbook
def _xl(v: object) -> object:
    """A value as a workbook cell holds it: text neutralised, NaN empty, numpy as Python."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float):
        return None if isinstance(v, float) and math.isnan(v) else v
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
        return _xl(v.item())
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(_text(v)))


def write_rows(ws: Worksheet, rows: Iterable[Sequence[object]], start: int = 1) -> int:
    """Write rows from row ``start``; floats shown with one decimal. Returns the next row."""
    r = start
    for row in rows:
        for c, v in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=_xl(v))
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
        r += 1
    return r


def write_table(ws: Worksheet, table: pd.DataFrame, start: int = 1) -> int:
    """A table with a bold header row from row ``start``. Returns the next row."""
    for c, name in enumerate(table.columns, 1):
        cell = ws.cell(row=start, column=c, value=_xl(name))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    return write_rows(ws, table.itertuples(index=False), start + 1)


def fit_columns(ws: Worksheet, cap: int = 60) -> None:
    """Column widths from the longest text of each column (at most ``cap`` characters)."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                n = len(f"{cell.value:.1f}" if isinstance(cell.value, float) else str(cell.value))
                widths[cell.column] = max(widths.get(cell.column, 0), n)
    for c, n in sorted(widths.items()):
        ws.column_dimensions[get_column_letter(c)].width = min(cap, n + 2)


def _provenance_rows(
    result: MatchResult, table: pd.DataFrame, programme: Programme | People, t: Translator
) -> list[tuple[str, object]]:
    paired = table["status"] == "paired"
    idents = {
        role: ", ".join(_identifier_columns(programme, role)) or t.gettext(N_("(none)"))
        for role in ("mentees", "mentors")
    }
    yes, no = t.gettext(N_("yes")), t.gettext(N_("no"))
    rows: list[tuple[str, object]] = [
        (N_("ementor-kit version"), __version__),
        (N_("provenance"), result.provenance),
        (N_("rules"), result.rules.name or t.gettext(N_("(unnamed)"))),
        (N_("objective"), result.objective),
        (N_("solver"), result.solver),
        (N_("status"), result.status),
        (N_("proven optimal"), yes if result.proven_optimal else no),
        (N_("mentees"), len(table)),
        (N_("pairs"), int(paired.sum())),
        (N_("unmatched mentees"), int((~paired).sum())),
        (
            N_("mean score"),
            round(float(table.loc[paired, "score"].mean()), 1) if paired.any() else "",
        ),
        (N_("scores"), t.gettext(N_("0 to 100, rounded to one decimal"))),
        (N_("names and contacts of mentees"), idents["mentees"]),
        (N_("names and contacts of mentors"), idents["mentors"]),
        (
            N_("note"),
            t.gettext(N_("contains personal data: share it only with the people concerned")),
        ),
    ]
    return [(t.gettext(k), v) for k, v in rows]


def _heading(column: str, t: Translator) -> str:
    """A column's heading in the workbook: its name in English, words in another language."""
    if t.lang == "en":
        return column
    if column in HEADINGS:
        return t.gettext(HEADINGS[column])
    for role in ("mentee", "mentor"):
        if column.startswith(role + "_"):
            template = N_("mentee: {attribute}") if role == "mentee" else N_("mentor: {attribute}")
            return t.gettext(template).format(attribute=column[len(role) + 1 :])
    return column


def _headed(table: pd.DataFrame, t: Translator) -> pd.DataFrame:
    return table.set_axis([_heading(str(c), t) for c in table.columns], axis=1)


def _mentor_sheets(
    wb: Workbook,
    result: MatchResult,
    table: pd.DataFrame,
    programme: Programme | People,
    t: Translator,
    fixed: Sequence[str],
) -> None:
    """One sheet per mentor (in id order): who they are, their places, their mentees."""
    pairs = table[table["status"] == "paired"]
    spare = result.unmatched[result.unmatched["role"] == "mentor"]
    spare_of = dict(zip(spare["person_id"].astype(str), spare["spare_capacity"], strict=True))
    ids = sorted(set(pairs["mentor_id"]) | set(spare_of))
    who = pd.DataFrame(_with_people(pd.Series(ids, dtype=str), "mentors", programme))
    names = _name_columns(programme, "mentors")
    labels = []
    for _, person in who.iterrows():
        name = " ".join(person[_joined_name("mentors", c)] for c in names).strip()
        full = f"{name} ({person['mentor_id']})"
        # the id only where it fits: a long one (an e-mail) would cut the name mid-address
        labels.append(
            person["mentor_id"] if not name else full if len(full) <= _SHEET_MAX else name
        )
    mentee_cols = [c for c in table.columns if c.startswith("mentee_")] + ["score"]
    for (_, person), title in zip(who.iterrows(), sheet_names(labels, fixed), strict=True):
        ws = wb.create_sheet(title)
        mine = pairs[pairs["mentor_id"] == person["mentor_id"]]
        places = len(mine) + int(spare_of.get(person["mentor_id"], 0))
        taken = t.gettext(N_("{taken} of {places} taken")).format(taken=len(mine), places=places)
        facts = [
            *((_heading(str(k), t), v) for k, v in person.items()),
            (_heading("places", t), taken),
        ]
        r = write_rows(ws, facts)
        for row in ws.iter_rows(max_col=1):
            row[0].font = _HEADER_FONT
        if len(mine):
            write_table(ws, _headed(mine[mentee_cols], t), r + 1)
        else:
            write_rows(ws, [(t.gettext(N_("No mentee in this pairing.")),)], r + 1)
        fit_columns(ws)


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save with fixed zip entry times, so the same workbook gives the same bytes."""
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    path.write_bytes(out.getvalue())


def write_excel(
    result: MatchResult,
    path: str | Path,
    programme: Programme | People,
    *,
    lang: str | None = None,
) -> Path:
    """Write the workbook a coordinator sends: pairs, unmatched, rules, provenance, mentors.

    Parameters
    ----------
    result : MatchResult
        The pairing.
    path : str or Path
        The ``.xlsx`` file to write.
    programme : Programme or People
        The programme whose people were matched (names and contacts are joined by id).
    lang : str, optional
        Language of the sheet names, headings, labels and sentences (``"en"``, ``"fr"``;
        default the process language, :func:`~ementor_kit.i18n.set_language`). In French the
        sheets are ``Binômes``, ``Sans binôme``, ``Règles``, ``Provenance`` and the headings
        words (``mentoré·e (id)``, ``mentor·e : display_name``); codes (reason codes,
        objective, solver) and the rules' YAML stay as they are.

    Returns
    -------
    Path
        ``path``. Sheets: ``Pairs`` (both people's ids, names and contacts, the score with one
        decimal), ``Unmatched`` (each unpaired mentee with a sentence saying why, and the
        reason code), ``Rules`` (the rules' YAML, one line per row), ``Provenance`` (version,
        provenance hash, solver, counts), then one sheet per mentor (id order; named after
        the mentor, with the id where it fits in 31 characters, see :func:`sheet_names`) listing their mentees. Text cells are neutralised
        (:func:`neutralise`); the file's bytes depend only on the result and the programme.

    Raises
    ------
    ArgumentTypeError
        When ``programme`` is not a Programme or People.
    InvalidArgumentError
        When a person of the pairing is not in ``programme``.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> import ementor_kit as ek
    >>> prog = ek.load_sample()
    >>> r = ek.match(prog.mentors, prog.mentees, ek.sample_dir() / "rules" / "default.yaml")
    >>> path = write_excel(r, pathlib.Path(tempfile.mkdtemp()) / "pairing.xlsx", prog)
    >>> wb = openpyxl.load_workbook(path)
    >>> wb.sheetnames[:5], len(wb.sheetnames)
    (['Pairs', 'Unmatched', 'Rules', 'Provenance', 'Hugo J. (M001)'], 94)
    >>> [c.value for c in wb["Pairs"][1]]
    ['mentee_id', 'mentee_display_name', 'mentor_id', 'mentor_display_name', 'score']
    >>> wb = openpyxl.load_workbook(write_excel(r, path, prog, lang="fr"))
    >>> wb.sheetnames[:4], [c.value for c in wb["Binômes"][1]][:2]
    (['Binômes', 'Sans binôme', 'Règles', 'Provenance'], ['mentoré·e (id)', 'mentoré·e : display_name'])
    """
    _check_programme(programme)
    t = translator(lang)
    names = {key: t.gettext(name) for key, name in SHEETS.items()}
    table = coordinator_table(result, programme, lang=t.lang)
    wb = Workbook()
    ws = wb.active
    ws.title = names["pairs"]
    paired = table["status"] == "paired"
    write_table(ws, _headed(table.loc[paired].drop(columns=["status", "reason"]), t))
    ws.freeze_panes = "A2"
    left = result.unmatched_reasons(t.lang)
    left = left[left["role"] == "mentee"]
    alone = pd.DataFrame(_with_people(left["person_id"], "mentees", programme))
    alone["reason"] = left["why"].to_numpy()
    alone["reason_code"] = left["reason"].to_numpy()
    unmatched = wb.create_sheet(names["unmatched"])
    write_table(unmatched, _headed(alone.sort_values("mentee_id", kind="stable"), t))
    unmatched.freeze_panes = "A2"
    rules = wb.create_sheet(names["rules"])
    yaml_lines = result.rules.to_yaml().splitlines()
    write_table(rules, pd.DataFrame({_heading("rules (YAML)", t): yaml_lines}))
    for row in rules.iter_rows(min_row=2):
        row[0].font = Font(name="Courier New")
        row[0].alignment = Alignment(wrap_text=False)
    prov = wb.create_sheet(names["provenance"])
    write_rows(prov, _provenance_rows(result, table, programme, t))
    for sheet in (ws, unmatched, rules, prov):
        fit_columns(sheet, cap=100)
    _mentor_sheets(wb, result, table, programme, t, tuple(names.values()))
    props = wb.properties
    props.created = props.modified = FIXED_DATE
    props.creator = props.lastModifiedBy = f"ementor-kit {__version__}"
    props.title = t.gettext(N_("Pairing {provenance}")).format(provenance=result.provenance)
    path = Path(path)
    save_workbook(wb, path)
    return path
