"""A programme platform's own message log: a CSV file and the mapping of its columns.

``columns`` maps the exchange-log fields to the file's headers: ``timestamp``, ``sender``
and ``recipient`` are needed; ``channel``, ``duration_minutes`` and ``session_id`` are
optional. Timestamps either all carry an offset (``2026-09-12T14:03:00+02:00``) or none do
(the importer's ``timezone=`` then gives it). Other columns (a message text...) are not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit.data.schema import CHANNELS
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.exchanges.result import ROW_COLUMNS, ParsedExport
from ementor_kit.i18n.language import N_

__all__ = ["FIELDS", "parse_generic"]

FIELDS = ("timestamp", "sender", "recipient", "channel", "duration_minutes", "session_id")
_NEEDED = ("timestamp", "sender", "recipient")


def parse_generic(path: str | Path, columns: Mapping[str, str] | None) -> list[ParsedExport]:
    """Read a CSV message log with a column mapping.

    Parameters
    ----------
    path : str or Path
        The CSV file (UTF-8).
    columns : mapping of str to str
        Field (:data:`FIELDS`) -> header in the file.

    Returns
    -------
    list of ParsedExport
        One, one row per line of the file.

    Raises
    ------
    InvalidArgumentError
        No mapping, or a field that is not one of :data:`FIELDS`.
    DataValidationError
        A mapped column missing, a timestamp, channel or duration that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "platform.csv"
    >>> _ = log.write_text("when,from,to,text\\n2026-09-12 14:03,Hugo J.,Mateo P.,Bonjour\\n")
    >>> parsed, = parse_generic(log, {"timestamp": "when", "sender": "from", "recipient": "to"})
    >>> parsed.rows[["sender", "recipient"]].values.tolist(), parsed.naive
    ([['Hugo J.', 'Mateo P.']], True)
    """
    path = Path(path)
    if not columns:
        raise InvalidArgumentError(
            "columns",
            columns,
            N_(
                "pass columns={'timestamp': ..., 'sender': ..., 'recipient': ...} "
                "naming the file's headers (a CSV that is no known export needs a "
                "column mapping)"
            ),
            message=(
                N_("{name} is empty and no column mapping was given")
                if path.is_file() and not path.read_bytes().strip()
                else N_("{name} is no known export and no column mapping was given")
            ).format(name=path.name),
        )
    unknown = [k for k in columns if k not in FIELDS]
    if unknown:
        raise InvalidArgumentError(
            "columns", dict(columns), N_("use the fields {FIELDS}").format(FIELDS=", ".join(FIELDS))
        )
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    problems = [
        Problem(
            path.name,
            columns.get(f, f),
            (),
            N_("no column for {f}").format(f=f),
            N_("map {f} to a header of the file").format(f=f),
        )
        for f in _NEEDED
        if columns.get(f) not in table.columns
    ]
    problems += [
        Problem(
            path.name,
            h,
            (),
            N_("column missing"),
            N_("use one of: {columns}").format(columns=", ".join(table.columns)),
        )
        for f, h in columns.items()
        if f not in _NEEDED and h not in table.columns
    ]
    if problems:
        raise DataValidationError(problems)
    text = table[columns["timestamp"]].str.strip()
    offset = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
    if offset.any() and not offset.all():
        _refuse(
            path.name,
            columns["timestamp"],
            ~offset.to_numpy(),
            N_("timestamp without offset among timestamps with one"),
            N_("give every timestamp its offset, or none"),
        )
    naive = not offset.any()
    stamps = pd.to_datetime(text, errors="coerce", format="mixed", utc=not naive)
    _refuse(
        path.name,
        columns["timestamp"],
        stamps.isna().to_numpy(),
        N_("not a date and time"),
        N_("write timestamps as 2026-09-12 14:03 (ISO 8601)"),
    )
    rows = pd.DataFrame(
        {
            "file": path.name,
            "message": np.arange(len(table)),
            "line": np.arange(len(table)) + 2,
            "timestamp": stamps,
            "sender": table[columns["sender"]].str.strip().replace("", None),
            "recipient": table[columns["recipient"]].str.strip().replace("", None),
            "duration_minutes": _durations(table, columns, path.name),
            "session": _optional(table, columns, "session_id"),
            "thread": None,
            "no_recipient": "no recipient in the row",
            "channel": _channels(table, columns, path.name),
        }
    )
    rows["no_recipient"] = rows["no_recipient"].where(rows["recipient"].isna(), None)
    notes = [
        f"{path.name}: CSV log, {len(table)} rows; columns read: {', '.join(columns.values())}"
    ]
    skipped = pd.DataFrame(columns=["file", "line", "reason"])
    return [
        ParsedExport(
            path.name,
            "csv",
            "chat",
            rows[list(ROW_COLUMNS)],
            skipped,
            len(table),
            naive,
            notes=notes,
        )
    ]


def _optional(table: pd.DataFrame, columns: Mapping[str, str], field: str) -> pd.Series | None:
    if field not in columns:
        return None
    return table[columns[field]].str.strip().replace("", None)


def _durations(table: pd.DataFrame, columns: Mapping[str, str], file: str) -> pd.Series | float:
    raw = _optional(table, columns, "duration_minutes")
    if raw is None:
        return np.nan
    values = pd.to_numeric(raw.str.replace(",", ".", regex=False), errors="coerce")
    _refuse(
        file,
        columns["duration_minutes"],
        (raw.notna() & values.isna()).to_numpy(),
        N_("not a number of minutes"),
        N_("write minutes as a number (45 or 12.5)"),
    )
    return values


def _channels(table: pd.DataFrame, columns: Mapping[str, str], file: str) -> pd.Series | None:
    raw = _optional(table, columns, "channel")
    if raw is None:
        return None
    values = raw.str.lower()
    _refuse(
        file,
        columns["channel"],
        (values.notna() & ~values.isin(CHANNELS)).to_numpy(),
        N_("unknown channel"),
        N_("use one of: {CHANNELS}").format(CHANNELS=", ".join(CHANNELS)),
    )
    return values


def _refuse(file: str, column: str, mask: np.ndarray, message: str, fix: str) -> None:
    if mask.any():
        rows = tuple(int(i) + 2 for i in np.flatnonzero(mask))
        raise DataValidationError([Problem(file, column, rows, message, fix)])
