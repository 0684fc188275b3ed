"""What every survey reader shares: reading the file, checking its rows, typing the answers.

* errors: :func:`_problem` (a :class:`~ementor_kit.errors.DataValidationError` naming the
  file, rows and column), :func:`_not_found`;
* reading: :func:`_read_text` (decoded, BOM removed), :func:`_records` / :func:`_read_csv`
  (CSV rows), :func:`_xlsx_rows` (first sheet of a workbook, as text), :func:`_guess_sep`;
* checking: :func:`_check_widths` (every row as wide as the header);
* building the result: :func:`_clean_text` (question texts), :func:`_typed` (numbers when
  every answer is one), :func:`_frame` (typed columns) and :func:`_export` (identifiers
  dropped, a :class:`~ementor_kit.survey.readers.result.SurveyExport`).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.survey.privacy import drop_identifiers
from ementor_kit.survey.readers.result import SurveyExport

_XLSX_SUFFIXES = (".xlsx", ".xlsm")
"""Suffixes of the workbooks read with openpyxl."""

_LEADING_ZERO = re.compile(r"^\s*[+-]?0\d")


# --------------------------------------------------------------------------- errors


def _problem(
    file: str, message: str, fix: str, rows: Iterable[int] = (), column: str | None = None
) -> DataValidationError:
    return DataValidationError([Problem(file, column, tuple(rows), message, fix)])


def _not_found(file: str) -> DataValidationError:
    return _problem(file, "file not found", "check the path of the export")


# --------------------------------------------------------------------------- reading


def _read_text(path: Path, encoding: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _not_found(str(path)) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(
            str(path),
            f"not {encoding} text (byte {exc.start}, line {line})",
            "export the file again as UTF-8 CSV, or pass encoding= (e.g. 'cp1252')",
        ) from None
    if not text.strip():
        raise _problem(str(path), "the file is empty", "export the responses again")
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
            f"broken CSV quoting ({exc})",
            "a quote is not closed or is misplaced: export the file again rather than "
            "editing it by hand",
            rows=(len(out) + 1,),
        ) from None
    _drop_blank_tail(out)
    return out


def _read_csv(path: Path, encoding: str) -> list[list[str]]:
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


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet as text, blank rows at the end and empty columns at the right cut."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise _not_found(str(path)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _problem(
            str(path), f"not a readable .xlsx workbook ({exc})", "export it again as .xlsx"
        ) from None
    try:
        ws = wb.worksheets[0]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    _drop_blank_tail(rows)
    if not rows:
        raise _problem(str(path), "the first sheet is empty", "export the responses again")
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
            f"{', '.join(map(str, counts))} fields where the header has {width}",
            "the file was cut or edited (a separator or quote added or lost); export it again",
            rows=[n + first for n in bad],
        )


# --------------------------------------------------------------------------- the result


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


def _export(
    df: pd.DataFrame,
    *,
    file: str,
    fmt: str,
    header_rows: int,
    questions: Mapping[str, str],
    keep_identifiers: bool,
    **extras: Any,
) -> SurveyExport:
    """The export of ``df``: identifiers dropped (unless kept), questions of the columns left.

    ``extras`` are the platform's fields (``import_ids``, ``value_labels``, ``user_missing``).
    """
    dropped: tuple[str, ...] = ()
    if not keep_identifiers:
        clean = drop_identifiers(df)
        df, dropped = clean.table, clean.dropped
    return SurveyExport(
        responses=df,
        file=file,
        format=fmt,
        header_rows=header_rows,
        questions={k: v for k, v in questions.items() if k in df.columns},
        dropped_identifiers=dropped,
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
) -> SurveyExport:
    """The export of a CSV or a sheet: the rows below ``header_rows``, named by ``columns``."""
    dup = sorted({c for c in columns if columns.count(c) > 1})
    if dup:
        raise _problem(
            file,
            f"column name(s) {', '.join(dup)} appear more than once",
            "give each question its own code in the survey and export again",
        )
    data = records[header_rows:]
    cols = {}
    for j, name in enumerate(columns):
        raw = [rec[j] if j < len(rec) else "" for rec in data]
        cols[name] = _typed([None if v.strip() == "" else v for v in raw])
    df = pd.DataFrame(cols, index=pd.RangeIndex(len(data)))
    return _export(
        df,
        file=file,
        fmt=fmt,
        header_rows=header_rows,
        questions=questions,
        keep_identifiers=keep_identifiers,
        import_ids=dict(import_ids or {}),
    )
