"""What every survey reader shares: reading the file, checking its rows, typing the answers.

* errors: :func:`_problem` (a :class:`~ementor_kit.errors.DataValidationError` naming the
  file, rows and column), :func:`_not_found`;
* options: :func:`_check_encoding`, :func:`_csv_only` and :func:`_workbook_only` (an
  ``encoding=`` or ``sheet=`` that does not apply to the file is refused);
* reading: :func:`_read_text` (decoded, the encoding detected unless given, BOM removed),
  :func:`_records` / :func:`_read_csv` (CSV rows), :func:`_xlsx_rows` (the sheet of a workbook
  holding data, or the one named, as text), :func:`_guess_sep`;
* checking: :func:`_check_widths` (every row as wide as the header), :func:`_check_unique`
  (no column name twice);
* building the result: :func:`_clean_text` (question texts), :func:`_typed` (numbers when
  every answer is one), :func:`_is_id` / :func:`_id_text` (id columns are text),
  :func:`_frame` (typed columns) and :func:`_export` (identifiers dropped, a
  :class:`~ementor_kit.survey.readers.result.SurveyExport`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ementor_kit._encoding import detect_encoding
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.survey.readers._identifiers import _identifier_reasons
from ementor_kit.survey.readers.result import SurveyExport

_XLSX_SUFFIXES = (".xlsx", ".xlsm")
"""Suffixes of the workbooks read with openpyxl."""
_DAMAGED = (
    zlib.error,
    zipfile.BadZipFile,
    EOFError,
    KeyError,
    ParseError,
    ValueError,
    TypeError,
    IndexError,
    OSError,
)
"""What a damaged workbook raises while its sheets are read (corrupt deflate data, a cut
archive, a missing part, broken XML, a cell openpyxl cannot convert)."""
_ZIP_MAGIC = b"PK\x03\x04"
"""The first bytes of a zip archive, as every .xlsx workbook is (whatever its name)."""

_LEADING_ZERO = re.compile(r"^\s*[+-]?0\d")

_ID_NAMES = frozenset(
    {"id", "responseid", "respondentid", "targetid", "collectorid", "externalreference"}
    | {"externaldatareference"}
)
"""Id columns (compared without case, spaces, ``_`` or ``-``): the platforms' response ids
(Qualtrics ``ResponseId``, LimeSurvey ``id``, SurveyMonkey ``Respondent ID`` and ``Collector
ID``, Microsoft Forms ``ID``, Qualtrics external references) and the data contract's
``response_id``, ``respondent_id``, ``target_id`` (``respondentid`` as a LimeSurvey code)."""


# --------------------------------------------------------------------------- errors


def _problem(
    file: str, message: str, fix: str, rows: Iterable[int] = (), column: str | None = None
) -> DataValidationError:
    return DataValidationError([Problem(file, column, tuple(rows), message, fix)])


def _not_found(file: str) -> DataValidationError:
    return _problem(file, N_("file not found"), N_("check the path of the export"))


# --------------------------------------------------------------------------- options


def _check_encoding(encoding: str | None) -> None:
    """``None`` (detect it) or an encoding Python knows."""
    if encoding is None:
        return
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise InvalidArgumentError(
            "encoding",
            encoding,
            N_(
                "use an encoding such as 'utf-8', 'utf-8-sig' or 'cp1252', or leave it "
                "out to have it detected"
            ),
        ) from None


def _csv_only(path: Path, encoding: str | None, sheet: str | None) -> None:
    """A CSV export: ``sheet=`` is refused; ``encoding=`` is checked."""
    if sheet is not None:
        raise InvalidArgumentError(
            "sheet",
            sheet,
            N_("{name} is CSV: leave sheet out (it applies to .xlsx workbooks)").format(
                name=path.name
            ),
        )
    _check_encoding(encoding)


def _is_workbook(path: Path) -> bool:
    """An .xlsx workbook: by its suffix, or by its first bytes (a Google Sheets download
    renamed ``.csv``, or without a suffix)."""
    if path.suffix.lower() in _XLSX_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            return f.read(4) == _ZIP_MAGIC
    except OSError:
        return False


def _workbook_only(path: Path, encoding: str | None) -> None:
    """A workbook: ``encoding=`` is refused (cells are text already)."""
    if encoding is not None:
        raise InvalidArgumentError(
            "encoding",
            encoding,
            N_("{name} is a workbook: leave encoding out (it applies to CSV files)").format(
                name=path.name
            ),
        )


# --------------------------------------------------------------------------- reading


def _read_text(path: Path, encoding: str | None) -> str:
    """The text of a CSV export, in ``encoding`` or the one detected (``None``)."""
    _check_encoding(encoding)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _not_found(str(path)) from None
    enc = encoding or detect_encoding(data, str(path))
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(
            str(path),
            N_("not {enc} text (byte {start}, line {line})").format(
                enc=enc, start=exc.start, line=line
            ),
            N_("leave encoding out to have it detected, or export the file again as UTF-8 CSV"),
        ) from None
    if not text.strip():
        raise _problem(str(path), N_("the file is empty"), N_("export the responses again"))
    return text.lstrip("\ufeff")


def _guess_sep(text: str) -> str:
    """``;`` when the first line has more semicolons than commas, else ``,``."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _drop_blank_tail(rows: list[list[str]]) -> None:
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()  # trailing blank lines


def _records(text: str, file: str, delimiter: str = ",") -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[list[str]] = []
    try:
        for rec in reader:
            out.append(rec)
    except csv.Error as exc:
        raise _problem(
            file,
            N_("broken CSV quoting ({exc})").format(exc=exc),
            N_(
                "a quote is not closed or is misplaced: export the file again rather "
                "than editing it by hand"
            ),
            rows=(len(out) + 1,),
        ) from None
    _drop_blank_tail(out)
    return out


def _read_csv(path: Path, encoding: str | None) -> list[list[str]]:
    """The rows of a comma-separated export."""
    return _records(_read_text(path, encoding), str(path))


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _xlsx_sheets(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet of a workbook as text, blank rows at the end cut."""
    try:
        # openpyxl refuses a name without an .xlsx suffix; it reads the same bytes in memory
        source = path if path.suffix.lower() in _XLSX_SUFFIXES else io.BytesIO(path.read_bytes())
        wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except FileNotFoundError:
        raise _not_found(str(path)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _problem(
            str(path),
            N_("not a readable .xlsx workbook ({exc})").format(exc=exc),
            N_("export it again as .xlsx"),
        ) from None
    except _DAMAGED as exc:  # corrupt deflate data or XML met while the workbook is opened
        raise _damaged(path, exc) from None
    try:
        sheets = {
            ws.title: [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets
        }
    except _DAMAGED as exc:  # a sheet's compressed XML is read only here, row by row
        raise _damaged(path, exc) from None
    finally:
        wb.close()
    for rows in sheets.values():
        _drop_blank_tail(rows)
    return sheets


def _damaged(path: Path, exc: BaseException) -> DataValidationError:
    return _problem(
        str(path),
        N_("the workbook is damaged ({name}: {exc})").format(name=type(exc).__name__, exc=exc),
        N_("open it in a spreadsheet and save it again, or export it again as .xlsx"),
    )


def _pick_sheet(path: Path, sheets: dict[str, list[list[str]]], sheet: str | None) -> str:
    """The sheet named, or the only one holding data."""
    names = ", ".join(map(repr, sheets))
    if sheet is not None:
        if sheet not in sheets:
            raise _problem(
                str(path),
                N_("no sheet named {sheet!r}").format(sheet=sheet),
                N_("use one of: {names}").format(names=names),
            )
        return sheet
    filled = [name for name, rows in sheets.items() if rows]
    if len(filled) > 1:
        raise _problem(
            str(path),
            N_("the workbook has {n} sheets with data: {filled}").format(
                n=len(filled), filled=", ".join(map(repr, filled))
            ),
            N_(
                "say which sheet holds the responses: sheet={filled!r} (command line: "
                "--sheet {filled!r})"
            ).format(filled=filled[0]),
        )
    return filled[0] if filled else next(iter(sheets))


def _xlsx_rows(path: Path, sheet: str | None = None) -> list[list[str]]:
    """The sheet named (or the only one holding data) as text, blank rows at the end and
    empty columns at the right cut."""
    sheets = _xlsx_sheets(path)
    name = _pick_sheet(path, sheets, sheet)
    rows = sheets[name]
    if not rows:
        raise _problem(
            str(path),
            N_("the sheet {name!r} is empty").format(name=name),
            N_("export the responses again"),
        )
    width = max(len(r) for r in rows)
    while width and not any(len(r) >= width and r[width - 1] for r in rows):
        width -= 1
    return [(r + [""] * width)[:width] for r in rows]


# --------------------------------------------------------------------------- checking


def _check_widths(records: list[list[str]], width: int, file: str, first: int) -> None:
    bad = [n for n, rec in enumerate(records) if len(rec) != width and any(c for c in rec)]
    if bad:
        counts = sorted({len(records[n]) for n in bad})
        raise _problem(
            file,
            N_("{counts} fields where the header has {width}").format(
                counts=", ".join(map(str, counts)), width=width
            ),
            N_("the file was cut or edited (a separator or quote added or lost); export it again"),
            rows=[n + first for n in bad],
        )


def _check_unique(
    columns: Sequence[str], file: str, fix: str, rows: tuple[int, ...] = (1,)
) -> None:
    """Every column name once; else one problem per repeated name, with its columns.

    ``rows`` is the header row named in the problems (none for SPSS files).
    """
    where: dict[str, list[int]] = {}
    for j, name in enumerate(columns):
        where.setdefault(name, []).append(j)
    problems = [
        Problem(
            file,
            name,
            rows,
            N_("column {name!r} appears {n} times (columns {js})").format(
                name=name, n=len(js), js=", ".join(get_column_letter(j + 1) for j in js)
            ),
            fix,
        )
        for name, js in where.items()
        if len(js) > 1
    ]
    if problems:
        raise DataValidationError(problems)


_UNIQUE_FIX = N_(
    "give each question its own code in the survey and export again (or "
    "rename or remove the copy in the file)"
)
"""The fix of a column name that repeats in a platform's export."""


# --------------------------------------------------------------------------- the result


def _norm(name: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


def _is_id(name: str, id_columns: Sequence[str] = ()) -> bool:
    """An id column: a known id name (:data:`_ID_NAMES`) or one of ``id_columns``."""
    return _norm(name) in _ID_NAMES or name in id_columns


def _id_text(s: pd.Series) -> pd.Series:
    """Ids as text: text as written, whole numbers without ``.0`` (SPSS ``7.0`` -> ``7``)."""
    if s.dtype == "str":
        return s
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        v = s.to_numpy(dtype="float64", na_value=np.nan)
        text = [
            None if np.isnan(x) else str(int(x)) if x.is_integer() else repr(float(x)) for x in v
        ]
        return pd.Series(text, index=s.index, dtype="str")
    return pd.Series(
        [None if pd.isna(x) else str(x) for x in s.tolist()], index=s.index, dtype="str"
    )


def _clean_text(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", str(text))
    return " ".join(html.unescape(text).split())


def _typed(values: list[str | None]) -> pd.Series:
    """Numbers when every answer is a number (no leading zeros), else text; blank = missing."""
    filled = [v for v in values if v is not None]
    if not filled:
        return pd.Series(np.full(len(values), np.nan), dtype="float64")
    try:
        nums = np.array(filled, dtype=float)
    except ValueError:
        return pd.Series(values, dtype="str")
    odd = any("_" in v or ("0" in v[:3] and _LEADING_ZERO.match(v)) for v in filled)
    if odd or not np.isfinite(nums).all():  # "007", "1_000", "nan", "inf" stay text
        return pd.Series(values, dtype="str")
    full = np.full(len(values), np.nan)
    full[[v is not None for v in values]] = nums
    if np.all(nums == np.round(nums)) and np.all(np.abs(nums) < 2**53):
        return pd.Series(pd.array(full, dtype="Float64")).astype("Int64")
    return pd.Series(full, dtype="float64")


def _check_keep(keep: Sequence[str]) -> tuple[str, ...]:
    """``keep=``: a list of column names (a single name is refused: it would be its letters)."""
    if isinstance(keep, str) or not all(isinstance(k, str) for k in keep):
        raise InvalidArgumentError(
            "keep",
            keep,
            N_("give a list of column names, e.g. keep=['Q3'] (the names the export has)"),
        )
    return tuple(keep)


def _check_missing(missing_codes: Sequence[str | float] | None) -> tuple[str, ...]:
    """``missing_codes=``: answer codes read as missing, as text (``-1`` as ``"-1"``)."""
    if missing_codes is None:
        return ()
    if isinstance(missing_codes, str | bytes) or not all(
        isinstance(c, str | int | float) and not isinstance(c, bool) for c in missing_codes
    ):
        raise InvalidArgumentError(
            "missing_codes",
            missing_codes,
            N_("give a list of codes, e.g. missing_codes=['-1', '-99', 'NA', 'NSP']"),
        )
    return tuple(
        c.strip() if isinstance(c, str) else str(int(c)) if float(c).is_integer() else repr(c)
        for c in missing_codes
    )


def _missing_matcher(codes: Sequence[str]) -> tuple[dict[str, str], dict[float, str]]:
    """Codes by their text and, for numeric codes, by value (``-1.0`` is the code ``-1``)."""
    by_value: dict[float, str] = {}
    for c in codes:
        try:
            by_value.setdefault(float(c), c)
        except ValueError:
            pass
    return {c: c for c in codes}, {v: c for v, c in by_value.items() if np.isfinite(v)}


def _code_of(v: object, by_text: Mapping[str, str], by_value: Mapping[float, str]) -> str | None:
    """The declared missing code ``v`` is, or None."""
    if isinstance(v, str):
        t = v.strip()
        if t in by_text:
            return by_text[t]
        if not by_value:
            return None
        try:
            return by_value.get(float(t))
        except ValueError:
            return None
    if isinstance(v, int | float | np.number) and not isinstance(v, bool):
        return by_value.get(float(v))
    return None


def _blank_codes(
    values: list[str | None], codes: Sequence[str]
) -> tuple[list[str | None], dict[str, int]]:
    """``values`` with the declared missing codes blanked; how many of each were found."""
    if not codes:
        return values, {}
    by_text, by_value = _missing_matcher(codes)
    counts: dict[str, int] = {}
    out: list[str | None] = []
    for v in values:
        code = None if v is None else _code_of(v, by_text, by_value)
        if code is not None:
            counts[code] = counts.get(code, 0) + 1
            v = None
        out.append(v)
    return out, counts


def _blank_frame_codes(
    df: pd.DataFrame, codes: Sequence[str], protected: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Blank the declared missing codes of ``df`` in place (not in ``protected`` columns)."""
    found: dict[str, dict[str, int]] = {}
    if not codes:
        return found
    by_text, by_value = _missing_matcher(codes)
    for col in df.columns:
        if col in protected:
            continue
        hits = [_code_of(v, by_text, by_value) for v in df[col].tolist()]
        mask = np.array([h is not None for h in hits], dtype=bool)
        if not mask.any():
            continue
        counts: dict[str, int] = {}
        for h in hits:
            if h is not None:
                counts[h] = counts.get(h, 0) + 1
        found[str(col)] = counts
        df[col] = df[col].mask(mask)
    return found


def _export(
    df: pd.DataFrame,
    *,
    file: str,
    fmt: str,
    header_rows: int,
    questions: Mapping[str, str],
    keep_identifiers: bool,
    id_columns: Sequence[str] = (),
    keep: Sequence[str] = (),
    declared_missing: Mapping[str, Mapping[str, int]] | None = None,
    **extras: Any,
) -> SurveyExport:
    """The export of ``df``: identifiers dropped (unless kept), questions of the columns left.

    ``extras`` are the platform's fields (``import_ids``, ``value_labels``, ``user_missing``).
    Id columns (:func:`_is_id`) become text. Identifiers are found by
    :func:`~ementor_kit.survey.readers._identifiers._identifier_reasons`; those in ``keep``
    (or all, with ``keep_identifiers``) stay.
    """
    _check_unique(list(map(str, df.columns)), file, _UNIQUE_FIX, (1,) if header_rows else ())
    keep = _check_keep(keep)
    unknown = [k for k in keep if k not in df.columns]
    ids = [c for c in df.columns if _is_id(str(c), id_columns) and df[c].dtype != "str"]
    if ids:
        df = df.assign(**{str(c): _id_text(df[c]) for c in ids})
    protected = [str(c) for c in df.columns if _is_id(str(c), id_columns)]
    reasons = _identifier_reasons(df, questions, protected)
    if unknown:
        raise InvalidArgumentError(
            "keep",
            keep,
            N_(
                "{unknown} is not a column of {name}; the identifier columns found are {value}"
            ).format(
                unknown=", ".join(map(repr, unknown)),
                name=Path(file).name,
                value=", ".join(map(repr, reasons)) or N_("none"),
            ),
        )
    dropped: tuple[str, ...] = ()
    if not keep_identifiers:
        dropped = tuple(c for c in reasons if c not in keep)
        df = df.drop(columns=list(dropped))
    return SurveyExport(
        responses=df,
        file=file,
        format=fmt,
        header_rows=header_rows,
        questions={k: v for k, v in questions.items() if k in df.columns},
        dropped_identifiers=dropped,
        identifier_reasons=reasons,
        declared_missing={
            k: dict(v) for k, v in (declared_missing or {}).items() if k in df.columns
        },
        **extras,
    )


def _frame(
    records: list[list[str]],
    header_rows: int,
    columns: list[str],
    questions: Mapping[str, str],
    *,
    file: str,
    fmt: str,
    keep_identifiers: bool,
    import_ids: Mapping[str, str] | None = None,
    id_columns: Sequence[str] = (),
    keep: Sequence[str] = (),
    missing_codes: Sequence[str | float] | None = None,
) -> SurveyExport:
    """The export of a CSV or a sheet: the rows below ``header_rows``, named by ``columns``.

    Id columns (:func:`_is_id`) are kept as text as written; in the others the declared
    ``missing_codes`` are blanked (and counted), then the columns are typed.
    """
    _check_unique(columns, file, _UNIQUE_FIX)
    codes = _check_missing(missing_codes)
    data = records[header_rows:]
    cols = {}
    declared: dict[str, dict[str, int]] = {}
    for j, name in enumerate(columns):
        raw = [rec[j] if j < len(rec) else "" for rec in data]
        values = [None if v.strip() == "" else v for v in raw]
        if _is_id(name, id_columns):
            cols[name] = pd.Series(values, dtype="str")
            continue
        values, counts = _blank_codes(values, codes)
        if counts:
            declared[name] = counts
        cols[name] = _typed(values)
    df = pd.DataFrame(cols, index=pd.RangeIndex(len(data)))
    return _export(
        df,
        file=file,
        fmt=fmt,
        header_rows=header_rows,
        questions=questions,
        keep_identifiers=keep_identifiers,
        id_columns=id_columns,
        import_ids=dict(import_ids or {}),
        keep=keep,
        declared_missing=declared,
    )
