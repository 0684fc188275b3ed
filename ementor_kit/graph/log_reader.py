"""Exchange logs read and validated at Arrow speed, with the data contract's exact outcome.

:func:`read_interactions` reads ``interactions.csv`` with pyarrow's multi-threaded CSV reader,
or a Parquet file or folder of Parquet files (as a platform export or a data warehouse writes
them), and returns the same typed table as
:func:`ementor_kit.data.validation.read_table` (``read_table(path, "interactions")``), in
about a fifth of its time on a million-row log (``benchmarks/bench_scale.py``).

The fast path accepts only logs it can type exactly as the contract does, checked in
vectorised form: every id ASCII, printable and not blank, ``interaction_id`` unique, every
timestamp written ``YYYY-MM-DDTHH:MM:SS[.fraction]`` with ``Z`` or a ``+HH:MM`` / ``-HH:MM``
offset (a valid calendar date and time), channels among the allowed ones, durations numbers
between 0 and 600, no value with white space around it. Any other file (a problem to report,
or a form the fast path does not parse: a short offset, non-ASCII text, quotes it cannot
vouch for) goes through :func:`~ementor_kit.data.validation.validate` itself, so the result
and every error message (file, row, column, fix) are the contract's own, only slower.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.dataset as pads  # type: ignore[import-untyped]

from ementor_kit.data import schema
from ementor_kit.data.validation import read_table, validate
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.graph._parquet import log_files
from ementor_kit.i18n.language import N_

_STR = pd.api.types.pandas_dtype("str")
_SPEC = schema.TABLES["interactions"]
_IDS = ("interaction_id", "sender_id", "recipient_id")
_PRINTABLE = bytes(range(0x20, 0x7F))
_BLOCK = 1 << 16  # timestamps read at a time: the temporaries stay small and are reused
_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def read_interactions(path: str | Path) -> pd.DataFrame:
    """Read and validate an exchange log from CSV or Parquet, through Arrow.

    Parameters
    ----------
    path : str or Path
        ``interactions.csv`` (``,`` or ``;`` separated, UTF-8), a ``.parquet`` file, or a
        folder of ``.parquet`` files (read in file-name order, as one log; each with the
        first file's columns, of the same kinds, or that file is named). Parquet columns
        may be text (as in the CSV file) or typed (``timestamp`` a time-zone aware timestamp,
        ``duration_minutes`` a number).

    Returns
    -------
    DataFrame
        The log typed by the data contract, equal to ``read_table(path, "interactions")`` for
        a CSV file (same values, dtypes and column order).

    Raises
    ------
    DataValidationError
        With every problem of the file, exactly as
        :func:`ementor_kit.data.validation.read_table` reports it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "interactions.csv"
    >>> _ = p.write_text(
    ...     "interaction_id,timestamp,sender_id,recipient_id,channel,duration_minutes,session_id\\n"
    ...     "I1,2026-09-08T18:32:05+02:00,E001,M001,video,45,\\n")
    >>> log = read_interactions(p)
    >>> log.loc[0, "timestamp"], log.loc[0, "duration_minutes"]
    (Timestamp('2026-09-08 16:32:05+0000', tz='UTC'), np.float64(45.0))
    >>> from ementor_kit.data.validation import read_table
    >>> log.equals(read_table(p, "interactions"))
    True
    >>> _ = p.write_text(p.read_text().replace("video", "telepathy"))
    >>> read_interactions(p)
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - ...interactions.csv, row 2, column 'channel': unknown value(s) 'telepathy'. Fix: use one of video, phone, chat, email, forum
    """
    path = Path(path)
    if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
        return _read_parquet(path)
    try:
        data = path.read_bytes()
    except OSError:
        return read_table(path, "interactions")  # its "file not found" message
    table = _arrow_csv(data)
    typed = typed_from_arrow(table) if table is not None else None
    return typed if typed is not None else read_table(path, "interactions")


def _read_parquet(path: Path) -> pd.DataFrame:
    files, schema = log_files(path)
    try:
        table = pads.dataset(files, schema=schema, format="parquet").to_table()
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    (),
                    N_("not a readable Parquet file ({exc})").format(exc=exc),
                    N_("rewrite it, or move it out of the log's folder"),
                )
            ]
        ) from None
    typed = typed_from_arrow(table)
    if typed is not None:
        return typed
    return validate(table.to_pandas(), "interactions", file=str(path))


def typed_from_frame(df: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`typed_from_arrow` of a raw pandas frame (``None`` when Arrow cannot hold it)."""
    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError, TypeError):
        return None
    return typed_from_arrow(table)


def _arrow_csv(data: bytes) -> pa.Table | None:
    """The CSV bytes as a table of text columns, or ``None`` when pyarrow cannot vouch for
    reading them as ``pandas.read_csv(dtype=str, keep_default_na=False)`` does."""
    data = data.removeprefix(codecs.BOM_UTF8)
    end = data.find(b"\n")
    header = data[: end if end >= 0 else len(data)].rstrip(b"\r")  # no copy of the rest
    sep = ";" if b";" in header and b"," not in header else ","
    try:
        names = next(csv.reader(io.StringIO(header.decode("utf-8")), delimiter=sep))
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return None
    if len(set(names)) != len(names) or not set(names) <= set(_SPEC.column_names):
        return None
    quoted = b'"' in data
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=quoted),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.column_names != names:
        return None
    if quoted and any(pc.any(pc.match_substring(c, '"')).as_py() for c in table.columns):
        return None  # a stray quote: leave the reading of such a line to pandas
    return table


def _all(mask: pa.ChunkedArray | pa.Array) -> bool:
    return bool(pc.all(pc.fill_null(mask, False)).as_py())


def _any(mask: pa.ChunkedArray | pa.Array) -> bool:
    return bool(pc.any(pc.fill_null(mask, True)).as_py())


def typed_from_arrow(table: pa.Table) -> pd.DataFrame | None:
    """The log typed as :func:`~ementor_kit.data.validation.validate` types it, or ``None``
    when the fast checks cannot vouch for every value (the caller then validates in full).

    ``table`` holds the log's columns, as text (read from CSV) or typed (Parquet, or a frame
    already typed).
    """
    names = table.column_names
    missing = [c.name for c in _SPEC.columns if not c.optional and c.name not in names]
    if table.num_rows == 0 or missing or not set(names) <= set(_SPEC.column_names):
        return None
    if len(set(names)) != len(names):
        return None
    out: dict[str, object] = {}
    for col in _SPEC.columns:
        if col.name not in names:
            continue
        values = table.column(col.name)
        if col.name in _IDS:
            typed = _ids(values, unique=col.name == "interaction_id")
        elif col.name == "timestamp":
            typed = _timestamps(values)
        elif col.name == "channel":
            typed = _channels(values)
        elif col.name == "duration_minutes":
            typed = _minutes(values, col.min, col.max)
        else:
            typed = _optional_text(values)
        if typed is None:
            return None
        out[col.name] = typed
    return pd.DataFrame(out)


def _text_column(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return None
    return values


def _buffers(values: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (n + 1, int64) and bytes (uint8) of a text column without nulls."""
    arr = values.combine_chunks().cast(pa.large_string())
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[
        arr.offset : arr.offset + len(arr) + 1
    ]
    data = arr.buffers()[2]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets, raw[: offsets[-1]] if len(offsets) else raw[:0]


def _printable_ascii(data: np.ndarray, offsets: np.ndarray) -> bool:
    """Every byte in the texts is printable ASCII (space to ``~``), checked a megabyte at a
    time (a copy of a whole column costs more in fresh pages than the check itself)."""
    step = 1 << 20
    return not any(
        data[a : min(a + step, offsets[-1])].tobytes().translate(None, _PRINTABLE)
        for a in range(int(offsets[0]), int(offsets[-1]), step)
    )


def _space_at_edges(data: np.ndarray, offsets: np.ndarray) -> bool:
    """Whether a non-empty text of printable ASCII starts or ends with a space."""
    lengths = np.diff(offsets)
    full = lengths > 0
    first, last = data[offsets[:-1][full]], data[offsets[1:][full] - 1]
    return bool(((first == 0x20) | (last == 0x20)).any())


def _as_str(values: pa.ChunkedArray) -> pd.Series:
    return pd.Series(pd.array(values, dtype=_STR))


def _ids(values: pa.ChunkedArray, *, unique: bool) -> pd.Series | None:
    text = _text_column(values)
    if text is None or values.null_count:
        return None
    offsets, data = _buffers(text)
    if not _printable_ascii(data, offsets) or not np.diff(offsets).all():
        return None
    if _space_at_edges(data, offsets):
        return None
    typed = _as_str(text)
    if unique and not _unique(typed, data, offsets):
        return None
    return typed


def _unique(typed: pd.Series, data: np.ndarray, offsets: np.ndarray) -> bool:
    """Whether no text repeats: ids of one width compared as fixed-width bytes (a check of
    order, a sort when they are not in order), others by pandas' hash table."""
    width = int(offsets[1] - offsets[0]) if len(offsets) > 1 else 0
    if width and offsets[0] == 0 and (np.diff(offsets) == width).all():
        rows = data[: len(typed) * width].reshape(len(typed), width)
        varying = rows[:, ~(rows == rows[0]).all(axis=0)]  # bytes all ids share say nothing
        if varying.shape[1] <= 8:  # the rest fits in one 64-bit key (I0001234 -> 1234)
            packed = np.zeros((len(typed), 8), np.uint8)
            packed[:, 8 - varying.shape[1] :] = varying
            keys = np.sort(packed.view(">u8").ravel())
            return not bool((keys[1:] == keys[:-1]).any())
        fixed = np.sort(data[: len(typed) * width].view(f"S{width}"))
        return not bool((fixed[1:] == fixed[:-1]).any())
    return bool(typed.is_unique)


def _channels(values: pa.ChunkedArray) -> pd.Series | None:
    text = _text_column(values)
    if text is None or not _all(pc.is_in(text, value_set=pa.array(schema.CHANNELS))):
        return None
    return _as_str(text)


def _optional_text(values: pa.ChunkedArray) -> pd.Series | None:
    """An optional text column (``session_id``): blank cells are NA."""
    text = _text_column(values)
    if text is None:
        return None
    offsets, data = _buffers(pc.fill_null(text, ""))
    if not _printable_ascii(data, offsets) or _space_at_edges(data, offsets):
        return None
    blank = pc.fill_null(pc.equal(text, ""), True)
    return _as_str(pc.if_else(blank, pa.scalar(None, pa.string()), text))


def _minutes(values: pa.ChunkedArray, low: float | None, high: float | None) -> np.ndarray | None:
    """The durations as float64, parsed by ``pandas.to_numeric`` (each distinct text once)."""
    if pa.types.is_floating(values.type) or pa.types.is_integer(values.type):
        num = values.to_numpy(zero_copy_only=False).astype("float64")
    else:
        text = _text_column(values)
        if text is None:
            return None
        text = pc.fill_null(text, "")
        offsets, data = _buffers(text)
        if not _printable_ascii(data, offsets) or _space_at_edges(data, offsets):
            return None
        codes = pc.dictionary_encode(text).combine_chunks()
        words = pd.Series(codes.dictionary.to_pylist(), dtype=object)
        parsed = pd.to_numeric(words.where(words != ""), errors="coerce").to_numpy("float64")
        if np.isnan(parsed[(words != "").to_numpy()]).any():
            return None  # not a number: validate reports it
        num = parsed[codes.indices.to_numpy(zero_copy_only=False)]
    present = ~np.isnan(num)
    ok = present.copy()
    if low is not None:
        ok &= num >= low
    if high is not None:
        ok &= num <= high
    if not np.array_equal(ok, present):
        return None
    return num


def _number(b: np.ndarray, start: int, stop: int) -> np.ndarray:
    out = b[:, start].astype(np.int64) - 48
    for k in range(start + 1, stop):
        out *= 10
        out += b[:, k]
        out -= 48
    return out


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_HEAD_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
_TAIL_DIGITS = [1, 2, 4, 5]


def _digits(b: np.ndarray) -> np.ndarray:
    return (b >= 48) & (b <= 57)


def _timestamps(values: pa.ChunkedArray) -> pd.Series | None:
    """ISO 8601 timestamps with their offset as UTC nanoseconds, or ``None`` (see module).

    The texts' bytes are checked and read at fixed positions (``YYYY-MM-DDTHH:MM:SS`` from
    the start, ``Z`` or ``+HH:MM`` from the end, an optional fraction between), in numpy.
    """
    if pa.types.is_timestamp(values.type):
        if values.type.tz is None or values.null_count:
            return None
        try:
            utc = values.cast(pa.timestamp("ns", "UTC"))
        except pa.ArrowInvalid:  # beyond what nanoseconds hold: validate reports it
            return None
        return pd.Series(utc.to_pandas()).astype("datetime64[ns, UTC]")
    text = _text_column(values)
    if text is None or values.null_count:
        return None
    offsets, data = _buffers(text)
    if not _printable_ascii(data, offsets):
        return None
    ns = np.empty(len(offsets) - 1, dtype=np.int64)
    for r0 in range(0, len(ns), _BLOCK):
        got = _utc_ns(data, offsets[r0 : r0 + _BLOCK + 1])
        if got is None:
            return None
        ns[r0 : r0 + len(got)] = got
    return pd.Series(pd.array(ns.view("M8[ns]")).tz_localize("UTC"))


def _utc_ns(data: np.ndarray, offsets: np.ndarray) -> np.ndarray | None:
    """UTC nanoseconds of the timestamps at ``offsets`` in ``data`` (one block of rows), or
    ``None`` when one is not of the form :func:`_timestamps` reads."""
    start, end = offsets[:-1], offsets[1:]
    length = end - start
    if (length < 20).any():
        return None
    width = int(length[0])
    if (length == width).all():  # one width (the usual case): a 2-D view
        rows = data[start[0] : start[0] + len(length) * width].reshape(len(length), width)
        head, tail = rows[:, :19], rows[:, width - 6 :]
    else:
        head = data[start[:, None] + np.arange(19)]
        tail = data[np.maximum(end - 6, 0)[:, None] + np.arange(6)]
    zulu = tail[:, 5] == ord("Z")
    frac_len = length - 19 - np.where(zulu, 1, 6)
    shape_ok = (
        _digits(head[:, _HEAD_DIGITS]).all(axis=1)
        & (head[:, 4] == ord("-"))
        & (head[:, 7] == ord("-"))
        & ((head[:, 10] == ord("T")) | (head[:, 10] == ord(" ")))
        & (head[:, 13] == ord(":"))
        & (head[:, 16] == ord(":"))
        & (
            zulu
            | (
                ((tail[:, 0] == ord("+")) | (tail[:, 0] == ord("-")))
                & _digits(tail[:, _TAIL_DIGITS]).all(axis=1)
                & (tail[:, 3] == ord(":"))
            )
        )
        & ((frac_len == 0) | ((frac_len >= 2) & (frac_len <= 10)))
    )
    if not shape_ok.all():
        return None
    year, month, day = _number(head, 0, 4), _number(head, 5, 7), _number(head, 8, 10)
    hour, minute, second = _number(head, 11, 13), _number(head, 14, 16), _number(head, 17, 19)
    off_h, off_m = _number(tail, 1, 3), _number(tail, 4, 6)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    days_in = _DAYS[np.clip(month, 0, 12)] + (leap & (month == 2))
    valid = (
        month_ok
        & (day >= 1)
        & (day <= days_in)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 59)
        & (zulu | ((off_h <= 23) & (off_m <= 59)))
        & (year >= 1678)
        & (year <= 2261)
    )
    if not valid.all():
        return None
    offset = np.where(zulu, 0, (off_h * 3600 + off_m * 60) * np.where(tail[:, 0] == 45, -1, 1))
    secs = _days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    ns = (secs - offset) * 10**9
    with_frac = np.flatnonzero(frac_len)
    if len(with_frac):
        s, n_digits = start[with_frac], frac_len[with_frac] - 1
        if not (data[s + 19] == ord(".")).all():
            return None
        pos = np.arange(9)
        inside = pos < n_digits[:, None]
        digits = data[np.minimum(s[:, None] + 20 + pos, len(data) - 1)]
        if not (_digits(digits) | ~inside).all():
            return None
        value = np.where(inside, digits.astype(np.int64) - 48, 0)
        ns[with_frac] += value @ (10 ** (8 - pos)).astype(np.int64)
    return ns
