"""Read and validate programme folders against the data contract of :mod:`ementor_kit.data.schema`.

Validation never coerces or drops anything silently: a table either comes back typed, with
every row it came in with, or a :class:`~ementor_kit.errors.DataValidationError` lists every
problem found, each naming the file, the row(s), the column and the fix.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice
from ementor_kit._uniques import repeated
from ementor_kit.data.people import People, read_people
from ementor_kit.data.schema import LIST_SEP, SURVEY_ITEM_RANGES, TABLES, Column, Table
from ementor_kit.data.spec import SPEC_FILE, ProgrammeSpec
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem

__all__ = ["Programme", "read_programme", "validate", "read_table"]

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2}|(?<=\d:\d\d)[+-]\d{2})$"  # +HH after a time too
_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True)
class Programme:
    """A validated programme: profiles, the matching in force, the exchange log, goals, surveys.

    Tables absent from the folder are ``None`` (``surveys`` holds only the waves present).

    Attributes
    ----------
    mentors, mentees : DataFrame
        The profiles (``mentors.csv``, ``mentees.csv``), typed as the data contract says.
    pairs, interactions, goals, goal_updates : DataFrame or None
        The matching in force, the exchange log, the goals and their updates.
    surveys : dict of str to DataFrame
        Survey answers by questionnaire (``mentee_t0``, ``mentee_t1``, ``mentor_t1``: who
        answered and at which wave), for the files present in ``surveys/``.
    folder : str or None
        The folder read, ``None`` when the tables were not read from a folder.
    spec : ProgrammeSpec or None
        The folder's ``programme.yaml`` when it has one (the people then come from the files
        it declares, typed by it), else ``None``.

    Examples
    --------
    >>> from ementor_kit.datasets import sample_dir
    >>> prog = read_programme(sample_dir())
    >>> len(prog.mentors), len(prog.mentees), sorted(prog.surveys)
    (90, 300, ['mentee_t0', 'mentee_t1', 'mentor_t1'])
    """

    mentors: pd.DataFrame
    mentees: pd.DataFrame
    pairs: pd.DataFrame | None = None
    interactions: pd.DataFrame | None = None
    goals: pd.DataFrame | None = None
    goal_updates: pd.DataFrame | None = None
    surveys: dict[str, pd.DataFrame] = field(default_factory=dict)
    folder: str | None = None
    spec: ProgrammeSpec | None = None

    def __repr__(self) -> str:
        parts = [f"{len(self.mentors)} mentors", f"{len(self.mentees)} mentees"]
        for name in ("pairs", "interactions", "goals", "goal_updates"):
            df = getattr(self, name)
            if df is not None:
                parts.append(f"{len(df)} {name}")
        parts += [f"{len(df)} {name} responses" for name, df in sorted(self.surveys.items())]
        return f"Programme({', '.join(parts)})"


def _rows(mask: np.ndarray | pd.Series) -> tuple[int, ...]:
    """Spreadsheet row numbers (header = row 1) of the True positions of ``mask``."""
    return tuple(int(i) + 2 for i in np.flatnonzero(np.asarray(mask, dtype=bool)))


_STR = pd.api.types.pandas_dtype("str")
_SPACE = b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "  # the ASCII that str.strip() removes
_SPACE_BYTES = np.zeros(256, dtype=bool)
_SPACE_BYTES[list(_SPACE)] = True
_FIRST_NS, _LAST_NS = pd.Timestamp.min, pd.Timestamp.max  # what datetime64[ns] can hold


class _Bytes:
    """ASCII texts as bytes, joined by NUL bytes: ``data[ends[i] - lengths[i]:ends[i]]`` is text
    ``i`` (``lengths`` and ``ends`` are worked out when first asked for)."""

    def __init__(self, raw: bytes, values: np.ndarray):
        self.raw = raw
        self._values = values

    @classmethod
    def of(cls, values: np.ndarray) -> _Bytes | None:
        """``values`` (an object array) as bytes; ``None`` unless all are ASCII str."""
        try:
            joined = "\x00".join(values)
        except TypeError:  # not all str
            return None
        return cls(joined.encode("ascii"), values) if joined.isascii() else None

    @cached_property
    def data(self) -> np.ndarray:
        return np.frombuffer(self.raw, dtype=np.uint8)

    @cached_property
    def ends(self) -> np.ndarray:
        seps = np.flatnonzero(self.data == 0)
        n = len(self._values)
        if len(seps) == max(n - 1, 0):  # no text holds a NUL: each ends at one
            return np.append(seps, len(self.data)) if n else seps
        return np.cumsum(self.lengths + 1) - 1

    @cached_property
    def lengths(self) -> np.ndarray:
        if "ends" in self.__dict__:
            return np.diff(self.ends, prepend=-1) - 1
        return np.fromiter(map(len, self._values), dtype=np.int64, count=len(self._values))

    def back(self, k: int) -> np.ndarray:
        """The ``k``-th byte from the end of each text (1 = the last), 0 if it is shorter."""
        if not len(self.data):
            return np.zeros(len(self._values), dtype=np.uint8)
        return np.where(self.lengths >= k, self.data[np.maximum(self.ends - k, 0)], 0)

    def front(self) -> np.ndarray:
        """The first byte of each text, 0 for an empty one."""
        if not len(self.data):
            return np.zeros(len(self._values), dtype=np.uint8)
        at = np.minimum(self.ends - self.lengths, len(self.data) - 1)
        return np.where(self.lengths > 0, self.data[at], 0)


@dataclass(frozen=True)
class _Text:
    """A column read as text.

    ``missing``: NA or blank cells; ``text``: the values stripped, NA where missing (``str``
    dtype); ``ascii``: when every value is ASCII text, the stripped texts as bytes (``""``
    where missing), which the checks can look at without a Python loop.
    """

    missing: np.ndarray
    text: pd.Series
    ascii: _Bytes | None = None


def _ascii_text(s: pd.Series) -> _Text | None:
    """:func:`_as_text` of a column of ASCII strings, vectorised; ``None`` for any other column.

    On a million-row log, stripping every value in Python dominated validation: the column is
    joined into one text instead, and only when it holds white space at all are the values
    starting or ending with some found (from their bytes) and stripped.
    """
    if s.dtype == _STR:
        values = s.to_numpy(dtype=object)
        na = values != values  # NaN where missing; several times faster than pd.isna
    elif s.dtype == object:
        # any value as its text, as the general path reads it (str subclasses become str)
        na = pd.isna(s.to_numpy())
        values = s.astype(_STR).to_numpy(dtype=object)
    else:
        return None
    if not set(map(type, values)) <= {str, float}:  # e.g. numpy.str_: the general path makes str
        return None
    filled = np.where(na, "", values) if na.any() else values
    b = _Bytes.of(filled)
    if b is None:
        return None
    stripped = False
    if len(b.raw.translate(None, _SPACE)) != len(b.raw):
        strip = _SPACE_BYTES[b.front()] | _SPACE_BYTES[b.back(1)]
        if strip.any():
            stripped = True
            values = values.copy()
            values[strip] = [v.strip() for v in values[strip]]
            b = _Bytes.of(np.where(na, "", values))
    missing = na | (values == "")
    if s.dtype == _STR and not stripped:
        text = s.where(~missing) if missing.sum() > na.sum() else s
        return _Text(missing, text, b)
    if missing.any():
        values = np.where(missing, np.nan, values)
    return _Text(missing, pd.Series(values, index=s.index, name=s.name, dtype=_STR), b)


def _as_text(s: pd.Series) -> _Text:
    """The column as stripped text, with its missing (NA or blank) cells."""
    fast = _ascii_text(s)
    if fast is not None:
        return fast
    missing = s.isna().to_numpy()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        text = s.astype("str").str.strip()
        missing = missing | text.eq("").to_numpy(dtype=bool, na_value=True)
    else:
        text = s.astype("str")
    return _Text(missing, text.mask(missing))


@dataclass
class _Column:
    """One column being typed: as given (``raw``), as text, and the problems found so far."""

    raw: pd.Series
    text: _Text
    col: Column
    file: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def present(self) -> np.ndarray:
        return ~self.text.missing

    def report(
        self,
        bad: np.ndarray,
        message: str,
        fix: str,
        *,
        shown: pd.Series | None = None,
        fmt: Callable[[object], str] = repr,
    ) -> bool:
        """Add a problem for the True cells of ``bad``, if any; return whether there was one.

        ``{shown}`` in ``message`` becomes the first five distinct values of ``shown`` at those
        cells, each written with ``fmt``.
        """
        if not bad.any():
            return False
        if shown is not None:
            message = message.replace("{shown}", _shown(shown, bad, fmt))
        self.problems.append(Problem(self.file, self.col.name, _rows(bad), message, fix))
        return True


def _shown(values: pd.Series, bad: np.ndarray, fmt: Callable[[object], str] = repr) -> str:
    """The first five distinct ``values`` at the True cells of ``bad``, comma-separated."""
    return ", ".join(fmt(v) for v in pd.unique(values[bad])[:5])


_EMPTY_REQUIRED = "required value is empty"


def _merge_blank_rows(
    df: pd.DataFrame, problems: list[Problem], file: str, missing: dict[str, np.ndarray]
) -> list[Problem]:
    """Report wholly empty rows (e.g. a trailing ',,,,' line) once, not once per column.

    ``missing`` holds the missing cells already found, by column.
    """
    blank = np.ones(len(df), dtype=bool)
    for name in df.columns:
        blank &= missing[name] if name in missing else _as_text(df[name]).missing
    if not blank.any():
        return problems
    blank_rows = set(_rows(blank))
    kept = []
    for p in problems:
        if p.message == _EMPTY_REQUIRED:
            rows = tuple(r for r in p.rows if r not in blank_rows)
            if not rows:
                continue
            p = Problem(p.file, p.column, rows, p.message, p.fix)
        kept.append(p)
    return [Problem(file, None, _rows(blank), "empty row(s)", "delete the empty row(s)"), *kept]


def _check_column(s: pd.Series, col: Column, file: str) -> tuple[pd.Series, _Column]:
    """Type one column; return the typed column and the column checked (with its problems)."""
    if col.kind == "list":
        missing = s.isna().to_numpy() | np.array(
            [isinstance(v, str) and not v.strip() for v in s], dtype=bool
        )
        c = _Column(s, _Text(missing, s), col, file)
    else:
        c = _Column(s, _as_text(s), col, file)
    if col.required:
        c.report(c.text.missing, _EMPTY_REQUIRED, f"fill in '{col.name}' ({col.description})")
    if col.kind not in _COLUMN_CHECKS:  # a bug in schema.py, not user input
        raise AssertionError(f"unknown column kind {col.kind!r}")
    # each check adds its problems to c.problems (the int check looks at those before it)
    return _COLUMN_CHECKS[col.kind](c), c


def _typed_text(c: _Column) -> pd.Series:
    """An id or str column: text, matching the column's id pattern when it has one."""
    if c.col.pattern is not None:
        text = c.text.text
        match = text.str.fullmatch(c.col.pattern).to_numpy(dtype=bool, na_value=False)
        c.report(
            c.present & ~match,
            "malformed id(s) {shown}",
            f"ids must match {c.col.pattern}",
            shown=text,
        )
    return c.text.text.astype("str")


def _typed_category(c: _Column) -> pd.Series:
    """A category column: one of the allowed values."""
    allowed = c.col.allowed
    if allowed is not None:
        c.report(
            c.present & ~c.text.text.isin(allowed).to_numpy(dtype=bool),
            "unknown value(s) {shown}",
            f"use one of {', '.join(allowed)}" + ("" if c.col.required else ", or leave it empty"),
            shown=c.text.text,
        )
    return _typed_text(c)


def _typed_list(c: _Column) -> pd.Series:
    """A list column: tuples of str, each value among the allowed ones."""
    s, col = c.raw, c.col
    values = [
        ()
        if m
        else tuple(v)
        if isinstance(v, (tuple, list))
        else tuple(x.strip() for x in str(v).split(LIST_SEP) if x.strip())
        for v, m in zip(s, c.text.missing, strict=True)
    ]
    if col.allowed is not None:
        bad = np.array([any(x not in col.allowed for x in v) for v in values], dtype=bool)
        unknown = sorted(
            {x for v, b in zip(values, bad, strict=True) if b for x in v} - set(col.allowed)
        )
        c.report(
            bad,
            f"unknown value(s) {', '.join(map(repr, unknown[:5]))}",
            f"use values from {', '.join(col.allowed)}, separated by '{LIST_SEP}'",
        )
    return pd.Series(values, index=s.index, dtype=object, name=s.name)


def _numbers(c: _Column) -> pd.Series:
    """The column as float64, NaN where missing or not a number."""
    s, text = c.raw, c.text.text
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("float64")
    present = np.flatnonzero(c.present)
    if len(present) == len(text):
        return pd.to_numeric(text, errors="coerce").astype("float64")
    # only the cells holding text are parsed (an optional column such as a duration is mostly
    # empty); parsing them alone gives each the same number
    num = np.full(len(text), np.nan)
    num[present] = pd.to_numeric(text.iloc[present], errors="coerce").astype("float64")
    return pd.Series(num, index=text.index, name=text.name)


def _typed_number(c: _Column) -> pd.Series:
    """An int or float column: numbers, whole for int, within the column's range."""
    col, present = c.col, c.present
    num = _numbers(c)
    bad = present & num.isna().to_numpy()
    if bad.any():
        shown = _shown(c.raw.astype("str"), bad)
        c.report(
            bad,
            f"not a number: {shown}",
            f"write '{col.name}' as a {'whole ' if col.kind == 'int' else ''}number"
            + (", with a point as decimal separator (1.5, not 1,5)" if "," in shown else ""),
        )
    ok = present & ~bad
    if col.kind == "int":
        frac = ok & (num.to_numpy() != np.round(num.to_numpy()))
        if c.report(frac, "not a whole number", f"write '{col.name}' as a whole number"):
            ok = ok & ~frac
    unit = f" {col.unit}" if col.unit else ""
    for bound, word, beyond in (
        (col.min, "below the minimum", np.less),
        (col.max, "above the maximum", np.greater),
    ):
        if bound is not None:
            c.report(
                beyond(num.to_numpy(), bound) & ok,
                f"value(s) {{shown}} {word} {bound:g}{unit}",
                f"use values between {col.min:g} and {col.max:g}{unit}",
                shown=num,
                fmt=lambda v: f"{v:g}",
            )
    if col.kind == "int" and not c.problems:
        return num.astype("Int64" if c.text.missing.any() else "int64")
    return num


def _in_ns_range(c: _Column, parsed: pd.Series, what: str) -> pd.Series:
    """``parsed`` with the values pandas cannot hold in nanoseconds reported and made NaT."""
    unit = parsed.dt.unit
    if unit == "ns":
        return parsed
    per_ns = int(np.timedelta64(1, unit) // np.timedelta64(1, "ns"))
    i8 = parsed.array.asi8  # NaT is the smallest int64, below any bound
    first, last = -(-_FIRST_NS.value // per_ns), _LAST_NS.value // per_ns
    far = (i8 > last) | ((i8 < first) & (i8 != np.iinfo(np.int64).min))
    shown = (
        c.text.text
        if c.raw.dtype == object or pd.api.types.is_string_dtype(c.raw.dtype)
        else parsed
    )
    c.report(
        far,
        f"{what} out of range: {{shown}}",
        f"use {what} between {_FIRST_NS.ceil('D').date()} and {_LAST_NS.floor('D').date()}",
        shown=shown,
    )
    return parsed.mask(far)


def _typed_date(c: _Column) -> pd.Series:
    """A date column: YYYY-MM-DD calendar dates."""
    s, text = c.raw, c.text.text
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dtype, "tz", None) is not None:
            c.problems.append(
                Problem(
                    c.file,
                    c.col.name,
                    (),
                    "holds time-zone aware timestamps, not dates",
                    "store calendar dates (YYYY-MM-DD)",
                )
            )
        return s
    present = c.present
    bad = present & ~text.str.match(_DATE_RE).to_numpy(dtype=bool, na_value=False)
    parsed = pd.to_datetime(text.where(~bad), format="%Y-%m-%d", errors="coerce")
    bad = bad | (present & parsed.isna().to_numpy())
    c.report(bad, "not a date: {shown}", "write dates as YYYY-MM-DD", shown=text)
    return _in_ns_range(c, parsed, "dates").astype("datetime64[ns]")


def _ends_with_offset(b: _Bytes) -> np.ndarray:
    """Whether each ASCII text ends with a UTC offset, as ``_OFFSET_RE`` finds it (vectorised).

    That is ``Z``, ``+HH:MM``/``-HH:MM``, ``+HHMM``/``-HHMM`` or, right after a time
    (``...:MM`` or ``...:SS``), ``+HH``/``-HH`` (ISO 8601 allows it) at the very end; a date
    ending ``-08`` is not an offset.
    """

    def digit(x: np.ndarray) -> np.ndarray:
        return (x >= ord("0")) & (x <= ord("9"))

    def sign(x: np.ndarray) -> np.ndarray:
        return (x == ord("+")) | (x == ord("-"))

    last = b.back(1)
    two = digit(last) & digit(b.back(2))
    with_colon = two & (b.back(3) == ord(":")) & digit(b.back(4)) & digit(b.back(5))
    without = two & digit(b.back(3)) & digit(b.back(4)) & sign(b.back(5))
    hours = two & sign(b.back(3)) & digit(b.back(4)) & digit(b.back(5)) & (b.back(6) == ord(":"))
    return (last == ord("Z")) | (with_colon & sign(b.back(6))) | without | hours


def _typed_datetime(c: _Column) -> pd.Series:
    """A datetime column: ISO 8601 timestamps with their UTC offset, as UTC."""
    s, text, present = c.raw, c.text.text, c.present
    naive_fix = "give every timestamp its UTC offset, e.g. 2026-09-08T18:32:05+02:00"
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dtype, "tz", None) is None:
            # reported even when every cell is empty: the column itself is naive
            c.problems.append(
                Problem(
                    c.file, c.col.name, _rows(present), "naive timestamps (no time zone)", naive_fix
                )
            )
            return s
        return _in_ns_range(c, s.dt.tz_convert("UTC"), "timestamps").astype("datetime64[ns, UTC]")
    if c.text.ascii is not None:
        offset = _ends_with_offset(c.text.ascii)
    else:
        offset = text.str.contains(_OFFSET_RE, regex=True).to_numpy(dtype=bool, na_value=False)
    no_offset = present & ~offset
    # without an offset: a readable date-time is naive; anything else is simply not a time
    naive = no_offset.copy()
    if no_offset.any():
        # utc=True: texts with an offset the pattern does not take ('+02') would otherwise mix
        # time zones, which pandas refuses; readable or not, each text gives the same answer
        readable = pd.to_datetime(text[no_offset], format="ISO8601", utc=True, errors="coerce")
        naive[no_offset] = readable.notna().to_numpy()
    if naive.any():
        c.report(
            naive,
            f"naive timestamp(s) (no UTC offset), e.g. {text[naive].iloc[0]!r}",
            naive_fix,
        )
    with_offset = text.where(~no_offset) if no_offset.any() else text
    parsed = pd.to_datetime(with_offset, utc=True, format="ISO8601", errors="coerce")
    c.report(
        present & ~naive & parsed.isna().to_numpy(),
        "not an ISO 8601 timestamp: {shown}",
        "write timestamps like 2026-09-08T18:32:05+02:00",
        shown=text,
    )
    return _in_ns_range(c, parsed, "timestamps").astype("datetime64[ns, UTC]")


_COLUMN_CHECKS: dict[str, Callable[[_Column], pd.Series]] = {  # column kind -> its check
    "id": _typed_text,
    "str": _typed_text,
    "category": _typed_category,
    "list": _typed_list,
    "int": _typed_number,
    "float": _typed_number,
    "date": _typed_date,
    "datetime": _typed_datetime,
}


def _duplicate_keys(
    out: dict[str, pd.Series], spec: Table, file: str, bad_cols: set[str | None]
) -> list[Problem]:
    """Rows sharing the table's key, checked only when every key column is sound.

    Rows without a key (wholly empty rows, reported as such) are not duplicates.
    """
    if not spec.key or not all(k in out and k not in bad_cols for k in spec.key):
        return []
    keys = pd.DataFrame({k: out[k] for k in spec.key}, copy=False)
    complete = keys.notna().all(axis=1).to_numpy()
    if len(spec.key) == 1:  # rows without a key are not duplicates
        dup = repeated(keys.iloc[:, 0]) & complete
    elif complete.all():
        dup = keys.duplicated(keep=False).to_numpy()
    else:
        dup = np.zeros(len(keys), dtype=bool)
        dup[complete] = keys[complete].duplicated(keep=False).to_numpy()
    if not dup.any():
        return []
    shown = keys[dup].astype("str").agg("/".join, axis=1)
    return [
        Problem(
            file,
            ", ".join(spec.key),
            _rows(dup),
            f"duplicate key(s) {', '.join(pd.unique(shown)[:5])}",
            "every row needs its own key; remove or renumber the duplicates",
        )
    ]


def validate(df: pd.DataFrame, table: str | Table, *, file: str | None = None) -> pd.DataFrame:
    """Check one table against the data contract and return a typed copy.

    Parameters
    ----------
    df : DataFrame
        The table, raw (all text, as read from CSV) or already typed.
    table : str or Table
        Name of the table in :data:`ementor_kit.data.schema.TABLES` (``"mentors"``, ``"mentees"``,
        ``"pairs"``, ``"interactions"``, ``"goals"``, ``"goal_updates"``, ``"mentee_t0"``, ...).
    file : str, optional
        Name used in error messages; defaults to the table's file name.

    Returns
    -------
    DataFrame
        Same rows, same order, columns in contract order: list columns as tuples of str,
        timestamps as ``datetime64[ns, UTC]``, dates as ``datetime64[ns]``, whole numbers as
        ``int64`` (``Int64`` when an optional column has gaps), text as ``str``.

    Raises
    ------
    DataValidationError
        Listing every problem: empty table, missing or unexpected columns, empty required
        values, wrong types, unknown categories, out-of-range values, malformed or duplicate
        ids, naive timestamps.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"mentee_id": ["E001"], "mentor_id": ["M001"],
    ...                     "matched_on": ["2026-09-07"]})
    >>> validate(raw, "pairs").dtypes["matched_on"]
    dtype('<M8[ns]')
    >>> bad = raw.assign(matched_on=["7/9/2026"])
    >>> validate(bad, "pairs")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - pairs.csv, row 2, column 'matched_on': not a date: '7/9/2026'. Fix: write dates as YYYY-MM-DD
    """
    spec = TABLES[check_choice("table", table, tuple(TABLES))] if isinstance(table, str) else table
    file = file or spec.file
    problems: list[Problem] = []
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError("df", df, f"pass the {file} table as a pandas DataFrame")
    if len(df) == 0:
        problems.append(
            Problem(
                file,
                None,
                (),
                "the table has no rows",
                f"add at least one row ({spec.description})",
            )
        )
    cols = [str(c) for c in df.columns]
    dup_cols = sorted({c for c in cols if cols.count(c) > 1})
    if dup_cols:
        problems.append(
            Problem(
                file,
                ", ".join(dup_cols),
                (),
                "column name(s) appear twice",
                "keep one column per name",
            )
        )
        raise DataValidationError(problems)
    missing_cols = [c.name for c in spec.columns if c.name not in cols]
    for name in missing_cols:
        c = spec.column(name)
        problems.append(
            Problem(
                file, name, (), "column is missing", f"add the column '{name}' ({c.description})"
            )
        )
    extra = [
        c
        for c in cols
        if c not in spec.column_names
        and not (spec.extra_columns and re.match(spec.extra_columns, c))
    ]
    for name in extra:
        close = difflib.get_close_matches(name, missing_cols, n=1)
        fix = (
            f"rename it to '{close[0]}'"
            if close
            else f"remove it; expected columns: {', '.join(spec.column_names)}"
        )
        problems.append(Problem(file, name, (), "unexpected column", fix))
    df = df.reset_index(drop=True)
    item_cols = [c for c in cols if c not in spec.column_names and c not in extra]
    checks = [c for c in spec.columns if c.name not in missing_cols] + [
        Column(name, "float", "item answer", required=False, min=low, max=high)
        for name in item_cols
        for low, high in [SURVEY_ITEM_RANGES.get(name.split("_")[0], (None, None))]
    ]
    out: dict[str, pd.Series] = {}
    missing: dict[str, np.ndarray] = {}  # missing cells by column, for the empty rows
    for col in checks:
        out[col.name], checked = _check_column(df[col.name], col, file)
        problems += checked.problems
        if col.kind != "list":
            missing[col.name] = checked.text.missing
    if any(p.message == _EMPTY_REQUIRED for p in problems):
        problems = _merge_blank_rows(df, problems, file, missing)
    problems += _duplicate_keys(out, spec, file, {p.column for p in problems})
    if problems:
        raise DataValidationError(problems)
    return pd.DataFrame(out)


def _separator(path: Path) -> str:
    """``;`` for files saved by spreadsheets set to French (and other) locales, else ``,``.

    Decided on the header line alone: column names never contain either character.
    """
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        header = f.readline()
    return ";" if ";" in header and "," not in header else ","


def _short_rows(path: Path, sep: str, shape: tuple[int, int]) -> np.ndarray:
    """Data rows with fewer fields than the header (pandas fills them with '' silently).

    Counted on the bytes (separators per non-blank line) when the file has no quotes; with
    quotes (a separator or a line break may sit inside a field) by the csv module.
    """
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    if b'"' in data:
        with open(path, encoding="utf-8-sig", newline="") as f:
            fields = [len(r) for r in csv.reader(f, delimiter=sep) if r]
        counts = np.array(fields, dtype=np.int64)
    elif data.count(sep.encode()) == (shape[0] + 1) * (shape[1] - 1):
        return np.zeros(shape[0], dtype=bool)  # every row has the header's fields (fast path)
    else:
        arr = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(arr == ord("\n"))
        if not len(arr) or arr[-1] != ord("\n"):
            ends = np.append(ends, len(arr))
        starts = np.concatenate(([0], ends[:-1] + 1))
        line_of_sep = np.searchsorted(ends, np.flatnonzero(arr == ord(sep)))
        seps = np.bincount(line_of_sep, minlength=len(ends))
        width = ends - starts - (arr[np.maximum(ends - 1, 0)] == ord("\r"))
        counts = (seps + 1)[width > 0]  # blank lines are skipped
    if len(counts) != shape[0] + 1:  # the parser and the count disagree: leave it to pandas
        return np.zeros(shape[0], dtype=bool)
    return counts[1:] < counts[0]


def read_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read one CSV file of a programme folder as text and validate it.

    Fields may be separated by ``,`` or, as spreadsheets in French locales save them, by ``;``
    (detected from the header line). The file must be UTF-8 (a byte-order mark is fine).

    Parameters
    ----------
    path : str or Path
        The CSV file.
    table : str
        Which table of the data contract it holds (``"mentors"``, ``"pairs"``, ...; see
        :data:`ementor_kit.data.schema.TABLES`).

    Returns
    -------
    DataFrame
        The table with the contract's column types.

    Raises
    ------
    DataValidationError
        With every problem of the file (missing, not UTF-8, not CSV, breaking the contract).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
    >>> _ = p.write_text("mentee_id,mentor_id,matched_on\\nE001,M001,2026-09-07\\n")
    >>> read_table(p, "pairs")
      mentee_id mentor_id matched_on
    0      E001      M001 2026-09-07
    """
    check_choice("table", table, tuple(TABLES))
    path = Path(path)
    try:
        raw = pd.read_csv(
            path, sep=_separator(path), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except FileNotFoundError:
        raise DataValidationError(
            [Problem(str(path), None, (), "file not found", f"provide {TABLES[table].file}")]
        ) from None
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    (),
                    f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                    "save the file as UTF-8 CSV",
                )
            ]
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    (),
                    f"not a readable CSV file ({exc})",
                    "save it as comma-separated values with one header row",
                )
            ]
        ) from None
    short = _short_rows(path, _separator(path), raw.shape)
    if short.any():
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    _rows(short),
                    f"fewer fields than the header's {raw.shape[1]} (a separator or a value is "
                    "missing, or the line was cut)",
                    "give every row one field per column (empty fields stay, as ',,')",
                )
            ]
        )
    return validate(raw, table, file=str(path))


def _unknown_refs(
    df: pd.DataFrame, columns: Iterable[str], known: set[str], file: str, what: str
) -> list[Problem]:
    problems = []
    for col in columns:
        bad = ~df[col].isin(known).to_numpy(dtype=bool) & df[col].notna().to_numpy()
        if bad.any():
            shown = ", ".join(pd.unique(df[col][bad])[:5])
            problems.append(
                Problem(
                    file,
                    col,
                    _rows(bad),
                    f"unknown {what}: {shown}",
                    f"use ids that exist in {'the profiles' if what == 'person' else what}, "
                    "or add the missing rows there",
                )
            )
    return problems


def _case_twin(folder: Path, relative: str) -> Path | None:
    """The file at ``relative`` under ``folder`` spelled with other upper/lower case letters
    (``Pairs.csv``, ``Surveys/Mentee_T1.csv``), or ``None``."""
    here = folder
    for part in relative.split("/"):
        if not here.is_dir():
            return None
        found = sorted(p for p in here.iterdir() if p.name.casefold() == part.casefold())
        if not found:
            return None
        here = found[0]
    return here if here.is_file() else None


def _read_tables(folder: Path) -> tuple[dict[str, pd.DataFrame], People | None]:
    """Every table of the folder, validated, and the people ``programme.yaml`` declares.

    Raises a DataValidationError with the problems of every file.
    """
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    declared: People | None = None
    with_spec = (folder / SPEC_FILE).is_file()
    if with_spec:  # the people come from the files programme.yaml declares
        try:
            declared = read_people(folder)
            tables["mentors"], tables["mentees"] = declared.mentors, declared.mentees
        except DataValidationError as exc:
            problems += exc.problems
    for name, spec in TABLES.items():
        if with_spec and name in ("mentors", "mentees"):
            continue
        path = folder / spec.file
        if not path.exists():
            twin = _case_twin(folder, spec.file)
            if twin is not None:  # never silently ignored: Pairs.csv, surveys/mentee_T1.csv
                problems.append(
                    Problem(
                        str(twin),
                        None,
                        (),
                        f"the file is named {twin.relative_to(folder).as_posix()!r}: "
                        f"ementor-kit reads {spec.file}",
                        f"rename it to {spec.file}",
                    )
                )
            elif not spec.optional:
                problems.append(
                    Problem(
                        str(path),
                        None,
                        (),
                        "required file is missing",
                        f"add {spec.file} ({spec.description})",
                    )
                )
            continue
        try:
            tables[name] = read_table(path, name)
        except DataValidationError as exc:
            problems += exc.problems
    if problems:
        raise DataValidationError(problems)
    return tables, declared


def _reference_problems(tables: dict[str, pd.DataFrame], folder: Path) -> list[Problem]:
    """Pairs, exchanges, goals and survey answers naming unknown people, pairs or goals."""
    problems: list[Problem] = []
    people = set(tables["mentors"]["mentor_id"]) | set(tables["mentees"]["mentee_id"])
    if "pairs" in tables:
        p = tables["pairs"]
        f = str(folder / "pairs.csv")
        problems += _unknown_refs(
            p, ["mentee_id"], set(tables["mentees"]["mentee_id"]), f, "mentees.csv"
        )
        problems += _unknown_refs(
            p, ["mentor_id"], set(tables["mentors"]["mentor_id"]), f, "mentors.csv"
        )
    if "interactions" in tables:
        i = tables["interactions"]
        f = str(folder / "interactions.csv")
        problems += _unknown_refs(i, ["sender_id", "recipient_id"], people, f, "person")
        same = (i["sender_id"] == i["recipient_id"]).to_numpy(dtype=bool)
        if same.any():
            problems.append(
                Problem(
                    f,
                    "recipient_id",
                    _rows(same),
                    "sender and recipient are the same person",
                    "name the other party of the exchange",
                )
            )
    if "goals" in tables:
        g = tables["goals"]
        f = str(folder / "goals.csv")
        if "pairs" not in tables:
            problems.append(
                Problem(
                    f,
                    None,
                    (),
                    "goals given without pairs.csv",
                    "add pairs.csv with the pairs the goals belong to",
                )
            )
        else:
            key = g["mentee_id"] + "/" + g["mentor_id"]
            known = set(tables["pairs"]["mentee_id"] + "/" + tables["pairs"]["mentor_id"])
            bad = ~key.isin(known).to_numpy(dtype=bool)
            if bad.any():
                problems.append(
                    Problem(
                        f,
                        "mentee_id, mentor_id",
                        _rows(bad),
                        f"goal of an unknown pair: {', '.join(key[bad][:5])}",
                        "goals must belong to a pair listed in pairs.csv",
                    )
                )
    if "goal_updates" in tables:
        f = str(folder / "goal_updates.csv")
        known = set(tables["goals"]["goal_id"]) if "goals" in tables else set()
        problems += _unknown_refs(tables["goal_updates"], ["goal_id"], known, f, "goals.csv")
    for name in ("mentee_t0", "mentee_t1", "mentor_t1"):
        if name in tables:
            f = str(folder / TABLES[name].file)
            refs = [c for c in ("respondent_id", "target_id") if c in tables[name].columns]
            problems += _unknown_refs(tables[name], refs, people, f, "person")
    return problems


def read_programme(folder: str | Path) -> Programme:
    """Load and validate a programme folder.

    The folder holds ``mentors.csv`` and ``mentees.csv`` and, optionally, ``pairs.csv``,
    ``interactions.csv``, ``goals.csv``, ``goal_updates.csv`` and ``surveys/*.csv`` (see
    ``data/samples/README.md``). Every file is checked, then the references between them
    (pairs, exchanges, goals and survey answers must name known people, pairs and goals).
    When the folder holds a ``programme.yaml``, the mentors and mentees come from the files
    it declares instead, read by :func:`~ementor_kit.data.people.read_people` (its problems
    are reported together with those of the other files).

    Parameters
    ----------
    folder : str or Path
        The programme folder.

    Returns
    -------
    Programme
        Every table found, validated.

    Raises
    ------
    DataValidationError
        With every problem of every file, not only the first one.

    Examples
    --------
    >>> from ementor_kit.datasets import sample_dir
    >>> read_programme(sample_dir())
    Programme(90 mentors, 300 mentees, ... pairs, ... interactions, ...)
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataValidationError(
            [
                Problem(
                    str(folder),
                    None,
                    (),
                    "folder not found",
                    "give the path of a folder holding mentors.csv and mentees.csv",
                )
            ]
        )
    tables, declared = _read_tables(folder)
    problems = _reference_problems(tables, folder)
    waves: tuple[str, ...] = ("mentee_t0", "mentee_t1", "mentor_t1")
    surveys = {name: tables[name] for name in waves if name in tables}
    if problems:
        raise DataValidationError(problems)
    return Programme(
        mentors=tables["mentors"],
        mentees=tables["mentees"],
        pairs=tables.get("pairs"),
        interactions=tables.get("interactions"),
        goals=tables.get("goals"),
        goal_updates=tables.get("goal_updates"),
        surveys=surveys,
        folder=str(folder),
        spec=declared.spec if declared is not None else None,
    )
