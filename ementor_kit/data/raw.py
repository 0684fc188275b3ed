"""Read a coordinator's own export (CSV, ``.xlsx``, ``.ods``) as text, exactly as written.

:func:`read_raw` is the first step of bringing a programme's intake files in: it finds the
encoding (UTF-8, UTF-8 with a byte-order mark, cp1252/latin-1), the field separator (``,``,
``;`` or tab; quoted fields respected) and whether numbers use a decimal comma, and returns
every cell as the text it holds. Nothing is coerced: types come later, from a
:class:`~ementor_kit.data.spec.ProgrammeSpec`. Wholly empty rows are skipped and reported; rows
with more or fewer fields than the header and duplicated headers are errors naming the row or
the columns.
"""

from __future__ import annotations

import _csv  # the type of csv.reader() objects: csv itself exposes only the function
import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from ementor_kit._encoding import detect_encoding
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n.language import N_

__all__ = ["RawTable", "read_raw"]

_SEPARATORS = (";", ",", "\t")
_SEPARATOR_NAMES = {";": "';'", ",": "','", "\t": "tab"}
_CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")
_DECIMAL_RE = re.compile(r"^\s*[+-]?\d+([.,])\d+\s*$", re.ASCII)
_SNIFF_CHARS = 65536
_SNIFF_RECORDS = 200


@dataclass(frozen=True, eq=False)
class RawTable:
    """One table of an export, every cell as the text it holds.

    Attributes
    ----------
    frame : DataFrame
        The data rows, one column per header (object dtype: ``str``, or ``None`` where the
        cell is empty). Headers are kept exactly as written.
    file : str
        File name, for messages.
    sheet : str or None
        Sheet read (workbooks only).
    encoding : str or None
        Text encoding (CSV only): ``utf-8``, ``utf-8-sig`` (with a byte-order mark),
        ``cp1252``, ``latin-1``, ``utf-16``.
    separator : str or None
        Field separator (CSV only): ``,``, ``;`` or ``\\t``.
    decimal : str
        ``","`` when numeric-looking cells use a decimal comma (``1,5``), else ``"."``.
    rows : tuple of int
        Spreadsheet row number of each frame row (the header is row 1 when it is the first
        line).
    skipped : tuple of (int, str)
        Rows skipped, with the reason (wholly empty rows, columns with neither header nor
        values).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mentors.csv"
    >>> _ = p.write_text("Nom,Capacité\\n\\nAlice,2\\nBruno,\\n", encoding="utf-8")
    >>> raw = read_raw(p)
    >>> raw.frame
         Nom Capacité
    0  Alice        2
    1  Bruno     None
    >>> raw.rows, raw.skipped
    ((3, 4), ((2, 'empty row'),))
    """

    frame: pd.DataFrame
    file: str
    sheet: str | None
    encoding: str | None
    separator: str | None
    decimal: str
    rows: tuple[int, ...]
    skipped: tuple[tuple[int, str], ...] = ()

    def __repr__(self) -> str:
        how = [f"{len(self.frame)} rows x {self.frame.shape[1]} columns"]
        if self.sheet is not None:
            how.append(f"sheet {self.sheet!r}")
        if self.encoding is not None:
            how.append(self.encoding)
        if self.separator is not None:
            how.append(f"separator {_SEPARATOR_NAMES.get(self.separator, repr(self.separator))}")
        how.append(f"decimal {self.decimal!r}")
        if self.skipped:
            how.append(f"{len(self.skipped)} skipped")
        return f"RawTable({self.file!r}, {', '.join(how)})"

    def row_of(self, position: int) -> int:
        """Spreadsheet row number of the frame row at ``position`` (0-based).

        Parameters
        ----------
        position : int
            Position of the row in ``frame``.

        Returns
        -------
        int
            The row number a spreadsheet shows for it (skipped rows counted).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "mentors.csv"
        >>> _ = p.write_text("Nom,Capacité\\n\\nAlice,2\\n", encoding="utf-8")
        >>> read_raw(p).row_of(0)
        3
        """
        return self.rows[position]


def _column_letter(index: int) -> str:
    """Spreadsheet letter of the 0-based column ``index`` (0 -> A, 26 -> AA).

    >>> _column_letter(0), _column_letter(25), _column_letter(27)
    ('A', 'Z', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _fail(file: str, message: str, fix: str, column: str | None = None, rows=()) -> None:
    raise DataValidationError([Problem(file, column, tuple(rows), message, fix)])


# --------------------------------------------------------------------------- CSV text


def _records(text: str, separator: str, *, strict: bool) -> _csv.Reader:
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=strict)


def _detect_separator(text: str) -> str:
    """The separator among ``;``, ``,`` and tab that splits the first records most regularly.

    Quoted fields are respected (a quoted header ``"Nom, prénom"`` in a ``;`` file is one
    field); a tie goes to ``;``, then ``,``.
    """
    head = text[:_SNIFF_CHARS]
    best: tuple[tuple[float, int], str] | None = None
    for sep in _SEPARATORS:
        recs = list(itertools.islice(_records(head, sep, strict=False), _SNIFF_RECORDS))
        if len(text) > len(head) and len(recs) > 1:
            recs = recs[:-1]  # possibly cut in the middle
        recs = [r for r in recs if any(c.strip() for c in r)]
        if not recs or len(recs[0]) < 2:
            continue
        width = len(recs[0])
        key = (sum(len(r) == width for r in recs) / len(recs), width)
        if best is None or key > best[0]:
            best = (key, sep)
    return best[1] if best else ","


def _csv_records(
    data: bytes, file: str, encoding: str | None, separator: str | None
) -> tuple[list[list[str | None]], str, str]:
    enc = encoding or detect_encoding(data, file)
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        _fail(
            file,
            N_("not {enc} text ({reason} at byte {start})").format(
                enc=enc, reason=exc.reason, start=exc.start
            ),
            N_("leave the encoding out to have it detected, or save the file as CSV UTF-8"),
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    sep = separator or _detect_separator(text)
    reader = _records(text, sep, strict=True)
    out: list[list[str | None]] = []
    try:
        for rec in reader:
            out.append([c if c != "" else None for c in rec])
    except csv.Error as exc:
        _fail(
            file,
            N_("not readable as CSV near line {line_num} ({exc})").format(
                line_num=reader.line_num, exc=exc
            ),
            N_('check the quotes there: a value holding quotes must be written "like ""this"""'),
            rows=(len(out) + 1,),
        )
    return out, enc, sep


# --------------------------------------------------------------------------- workbooks


def _cell_text(value: object) -> str | None:
    """The text of a spreadsheet cell value: numbers as written by Python (``1.5``, ``2``),
    dates as ISO 8601, booleans as ``TRUE``/``FALSE``, empty as ``None``.

    >>> import datetime
    >>> [_cell_text(v) for v in (2.0, 1.5, datetime.datetime(2026, 9, 1), True, "", None)]
    ['2', '1.5', '2026-09-01', 'TRUE', None, None]
    """
    if isinstance(value, str):
        return value or None
    if value is None or pd.isna(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, dt.datetime):
        return (
            value.date().isoformat()
            if value.time() == dt.time(0)
            else value.isoformat(sep=" ", timespec="seconds")
        )
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _xlsx_sheets(path: Path, file: str, sheet: str | None) -> dict[str, list[list[str | None]]]:
    try:
        # from bytes: openpyxl refuses a workbook whose name does not end in .xlsx
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged or foreign files
        _fail(
            file,
            N_("not a readable .xlsx workbook ({exc})").format(exc=exc),
            N_("open it in a spreadsheet and save it as .xlsx again"),
        )
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            _fail(
                file,
                N_("no sheet named {sheet!r}").format(sheet=sheet),
                N_("use one of: {names}").format(names=", ".join(map(repr, names))),
            )
        sheets = {
            name: [
                [_cell_text(v) for v in row]
                for row in book[name].iter_rows(min_row=1, values_only=True)
            ]
            for name in (names if sheet is None else [sheet])
        }
    finally:
        book.close()
    _refuse_uncomputed_formulas(path, file, sheets)
    return sheets


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the .xlsx file stores a formula (an ``<f>`` element)."""
    with zipfile.ZipFile(path) as z:
        return any(
            re.search(rb"<(?:\w+:)?f[ >/]", z.read(n)) is not None
            for n in z.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        )


def _refuse_uncomputed_formulas(
    path: Path, file: str, sheets: dict[str, list[list[str | None]]]
) -> None:
    """Formula cells without a stored result read as empty: refuse them, naming the cells.

    A workbook written by a program (not saved by a spreadsheet) keeps the formula but no
    value; reading it as an empty cell would lose the value silently.
    """
    if not _has_formulas(path):
        return
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=False)
    problems: list[Problem] = []
    try:
        for name, rows in sheets.items():
            for r, row in enumerate(book[name].iter_rows(min_row=1, values_only=True), start=1):
                for j, v in enumerate(row):
                    computed = rows[r - 1][j] if r <= len(rows) and j < len(rows[r - 1]) else None
                    if isinstance(v, str) and v.startswith("=") and computed is None:
                        head = rows[0][j] if rows and j < len(rows[0]) else None
                        problems.append(
                            Problem(
                                file,
                                head or f"column {_column_letter(j)}",
                                (r,),
                                N_(
                                    "a formula without a computed value ({v!r}, sheet {name!r}, cell "
                                    "{column_letter}{r}): it would be read as empty"
                                ).format(v=v[:40], name=name, column_letter=_column_letter(j), r=r),
                                N_(
                                    "open the file in a spreadsheet and save it again (the values are then "
                                    "stored), or replace the formula by its value"
                                ),
                            )
                        )
    finally:
        book.close()
    if problems:
        raise DataValidationError(problems)


def _ods_sheets(path: Path, file: str, sheet: str | None) -> dict[str, list[list[str | None]]]:
    try:
        frames = pd.read_excel(
            path, sheet_name=None, header=None, dtype=object, engine="odf", na_filter=False
        )
    except ImportError:
        _fail(file, N_("reading .ods files needs the odfpy package"), N_("pip install odfpy"))
    except Exception as exc:  # odfpy and pandas raise many types on damaged files
        _fail(
            file,
            N_("not a readable .ods spreadsheet ({exc})").format(exc=exc),
            N_("open it and save it as .ods again"),
        )
    return {
        str(name): [[_cell_text(v) for v in row] for row in df.itertuples(index=False)]
        for name, df in frames.items()
    }


def _pick_sheet(
    file: str, sheets: dict[str, list[list[str | None]]], sheet: str | None
) -> tuple[str, list[list[str | None]]]:
    names = [n for n in sheets if n]
    if sheet is not None:
        if sheet not in sheets:
            _fail(
                file,
                N_("no sheet named {sheet!r}").format(sheet=sheet),
                N_("use one of the sheets: {names}").format(names=", ".join(map(repr, names))),
            )
        return sheet, sheets[sheet]
    filled = [n for n in names if any(c is not None for row in sheets[n] for c in row)]
    if not filled:
        _fail(file, N_("no sheet holds any data"), N_("check that this is the right file"))
    if len(filled) > 1:
        _fail(
            file,
            N_("the workbook has {n} sheets with data: {filled}").format(
                n=len(filled), filled=", ".join(map(repr, filled))
            ),
            N_(
                "say which sheet to read: read_raw(..., sheet={filled!r}), or in "
                "programme.yaml `sheet: {filled}` under the file"
            ).format(filled=filled[0]),
        )
    return filled[0], sheets[filled[0]]


# --------------------------------------------------------------------------- records -> table


def _blank(record: Sequence[str | None]) -> bool:
    return all(c is None or not c.strip() for c in record)


def _header(
    records: list[list[str | None]], file: str, skipped: list[tuple[int, str]]
) -> tuple[int, list[str | None]]:
    for i, rec in enumerate(records):
        if not _blank(rec):
            return i, rec
        skipped.append((i + 1, "empty row before the header"))
    _fail(file, N_("the file holds no data"), N_("check that this is the right file"))
    raise AssertionError  # unreachable: _fail raises


def _columns(
    header: list[str | None],
    body: list[tuple[int, list[str | None]]],
    file: str,
    head_row: int,
    skipped: list[tuple[int, str]],
) -> tuple[list[int], list[str], list[Problem]]:
    """Positions and names of the columns kept; problems with headers."""
    problems: list[Problem] = []
    keep, names = [], []
    for j, name in enumerate(header):
        if name is None or not name.strip():
            if all(j >= len(r) or not (r[j] or "").strip() for _, r in body):
                skipped.append(
                    (head_row, f"column {_column_letter(j)} has neither header nor values")
                )
                continue
            rows = tuple(n for n, r in body if j < len(r) and (r[j] or "").strip())
            problems.append(
                Problem(
                    file,
                    f"column {_column_letter(j)}",
                    rows,
                    N_("column {column_letter} has values but no header").format(
                        column_letter=_column_letter(j)
                    ),
                    N_(
                        "give column {column_letter} a header on row {head_row}, or delete it"
                    ).format(column_letter=_column_letter(j), head_row=head_row),
                )
            )
            continue
        keep.append(j)
        names.append(name)
    seen: dict[str, int] = {}
    for j, name in zip(keep, names, strict=True):
        key = name.strip()
        if key in seen:
            first = _column_letter(seen[key])
            problems.append(
                Problem(
                    file,
                    name,
                    (head_row,),
                    N_("columns {first} and {column_letter} are both named {key!r}").format(
                        first=first, column_letter=_column_letter(j), key=key
                    ),
                    N_("rename one of them (e.g. {n!r}) or delete the copy").format(n=key + " (2)"),
                )
            )
        else:
            seen[key] = j
    return keep, names, problems


def _width_problems(
    body: list[tuple[int, list[str | None]]], width: int, file: str, workbook: bool
) -> list[Problem]:
    """Rows with more or fewer fields than the header (CSV), or values beyond the last
    header (workbooks, where trailing empty cells are simply not stored)."""
    if workbook:
        rows = tuple(n for n, rec in body if len(rec) > width and not _blank(rec[width:]))
        if not rows:
            return []
        return [
            Problem(
                file,
                None,
                rows,
                N_("values beyond the last header (column {column_letter} or after)").format(
                    column_letter=_column_letter(width)
                ),
                N_("give those columns a header, or delete the values"),
            )
        ]
    by_count: dict[int, list[int]] = {}
    for n, rec in body:
        if len(rec) != width:
            by_count.setdefault(len(rec), []).append(n)
    fixes = {
        True: N_(
            "a value probably holds the separator without quotes: put that value "
            "in quotes or remove the extra separator"
        ),
        False: N_("add the missing fields (separators) so that the row has as many as the header"),
    }
    return [
        Problem(
            file,
            None,
            tuple(rows),
            N_("{count} field{what} where the header has {width}").format(
                count=count, what="s" if count != 1 else "", width=width
            ),
            fixes[count > width],
        )
        for count, rows in sorted(by_count.items())
    ]


def _decimal(frame: pd.DataFrame) -> str:
    commas = points = 0
    for col in frame.columns:
        for v in frame[col]:
            if v is not None:
                m = _DECIMAL_RE.match(v)
                if m:
                    if m.group(1) == ",":
                        commas += 1
                    else:
                        points += 1
    return "," if commas > points else "."


def _table(
    records: list[list[str | None]],
    file: str,
    *,
    sheet: str | None,
    encoding: str | None,
    separator: str | None,
) -> RawTable:
    skipped: list[tuple[int, str]] = []
    start, header = _header(records, file, skipped)
    head_row = start + 1
    body = []
    for i in range(start + 1, len(records)):
        if _blank(records[i]):
            skipped.append((i + 1, "empty row"))
        else:
            body.append((i + 1, records[i]))
    workbook = separator is None  # workbooks and frames: no separators, no ragged rows
    if workbook:
        while (
            header
            and (header[-1] is None or not header[-1].strip())
            and all(len(r) < len(header) or r[len(header) - 1] is None for _, r in body)
        ):
            header = header[:-1]
    keep, names, problems = _columns(header, body, file, head_row, skipped)
    problems += _width_problems(body, len(header), file, workbook)
    if problems:
        raise DataValidationError(problems)
    data = {
        name: [r[j] if j < len(r) else None for _, r in body]
        for j, name in zip(keep, names, strict=True)
    }
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in data.items()}, columns=names)
    return RawTable(
        frame=frame,
        file=file,
        sheet=sheet,
        encoding=encoding,
        separator=separator,
        decimal=_decimal(frame),
        rows=tuple(n for n, _ in body),
        skipped=tuple(sorted(skipped)),
    )


def _check_options(path: Path, kind: str, sheet, encoding, separator) -> None:
    if kind == "csv" and sheet is not None:
        raise InvalidArgumentError(
            "sheet", sheet, N_("{name} is CSV: leave sheet out").format(name=path.name)
        )
    if kind != "csv":
        for arg, value in (("encoding", encoding), ("separator", separator)):
            if value is not None:
                raise InvalidArgumentError(
                    arg,
                    value,
                    N_("{name} is a workbook: leave {arg} out (it only applies to CSV)").format(
                        name=path.name, arg=arg
                    ),
                )
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidArgumentError(
                "encoding", encoding, N_("use an encoding such as 'utf-8', 'utf-8-sig' or 'cp1252'")
            ) from None
    if separator is not None and (not isinstance(separator, str) or len(separator) != 1):
        raise InvalidArgumentError(
            "separator", separator, N_("use one character: ',', ';' or '\\t'")
        )


def _kind(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and b"spreadsheet" in z.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile:
            pass
        return {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods"}.get(suffix, "zip")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "csv"


def read_raw(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    separator: str | None = None,
) -> RawTable:
    """Read a CSV, ``.xlsx`` or ``.ods`` export with every cell as the text it holds.

    CSV: the encoding is detected (UTF-8, UTF-8 with a byte-order mark, UTF-16 with one, else
    the Western code page charset-normalizer finds: cp1252 or latin-1), the separator too
    (``,``, ``;`` or tab, whichever splits the first records most regularly; quoted fields are
    respected, so ``"Nom, prénom"`` is one header of a ``;`` file); any line ending.
    Workbooks: every sheet is considered; a workbook with more than one sheet holding data
    needs ``sheet=``. Numbers and dates stored in workbook cells are written as text
    (``1.5``, ``2026-09-01``).

    Parameters
    ----------
    path : str or Path
        The file. Its content decides the format (a workbook renamed ``.csv`` is still read
        as a workbook).
    sheet : str, optional
        Sheet to read (workbooks only).
    encoding, separator : str, optional
        Force the encoding or the separator (CSV only) instead of detecting them.

    Returns
    -------
    RawTable
        The frame (object columns of ``str``, ``None`` where empty), with the spreadsheet row
        of each frame row, what was skipped, and the encoding, separator and decimal mark.

    Raises
    ------
    DataValidationError
        File missing or unreadable, no data, several sheets with data and no ``sheet=``,
        duplicated headers (naming both columns), values under no header, rows with more or
        fewer fields than the header (naming the rows); every such problem of the file at once.
    InvalidArgumentError
        An option that does not apply to the file, an unknown encoding, a separator that is
        not one character.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mentees.csv"
    >>> _ = p.write_bytes('"Nom, prénom";Heures\\r\\nAnaïs L.;1,5\\r\\n;\\r\\n'.encode("cp1252"))
    >>> raw = read_raw(p)
    >>> raw
    RawTable('mentees.csv', 1 rows x 2 columns, cp1252, separator ';', decimal ',', 1 skipped)
    >>> raw.frame.to_dict("list"), raw.rows, raw.skipped
    ({'Nom, prénom': ['Anaïs L.'], 'Heures': ['1,5']}, (2,), ((3, 'empty row'),))
    """
    path = Path(path)
    file = path.name
    if not path.is_file():
        _fail(
            file,
            N_("file not found") if not path.exists() else N_("not a file"),
            N_("check the path {path!r}").format(path=str(path)),
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    kind = _kind(path, head)
    _check_options(path, "csv" if kind == "csv" else kind, sheet, encoding, separator)
    if kind == "xls":
        _fail(
            file,
            N_("the old Excel format (.xls) is not read"),
            N_("in Excel, save it as .xlsx (or CSV UTF-8)"),
        )
    if kind == "zip":
        _fail(
            file,
            N_("a zip archive that is neither .xlsx nor .ods"),
            N_("give the spreadsheet file itself"),
        )
    if kind == "csv":
        records, enc, sep = _csv_records(path.read_bytes(), file, encoding, separator)
        return _table(records, file, sheet=None, encoding=enc, separator=sep)
    sheets = (_xlsx_sheets if kind == "xlsx" else _ods_sheets)(path, file, sheet)
    name, records = _pick_sheet(file, sheets, sheet)
    return _table(records, file, sheet=name, encoding=None, separator=None)


def _raw_from_frame(df: pd.DataFrame, file: str) -> RawTable:
    """A :class:`RawTable` from a DataFrame already in memory: cells as text (see
    :func:`cell_text`), the header as row 1, wholly empty rows skipped and reported.

    >>> import pandas as pd
    >>> _raw_from_frame(pd.DataFrame({"Heures": [1.5, None], "Nom": ["A", None]}), "mentors")
    RawTable('mentors', 1 rows x 2 columns, decimal '.', 1 skipped)
    """
    records: list[list[str | None]] = [[None if c is None else str(c) for c in df.columns]]
    records += [[_cell_text(v) for v in row] for row in df.itertuples(index=False)]
    return _table(records, file, sheet=None, encoding=None, separator=None)
