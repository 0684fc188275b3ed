"""Typed checks of one column of the data contract (private).

One checker per column kind (id and text, category, list, number, date, time stamp) turns a
raw text column into its typed form and reports every bad cell as a
:class:`~ementor_kit.errors.Problem` naming the rows; ASCII text is checked as bytes (one join
per column) so a million-row exchange log is validated in about a second. Used by
:func:`ementor_kit.data.validation.validate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ementor_kit._uniques import repeated
from ementor_kit.data._labels import id_flaw, id_text
from ementor_kit.data.schema import LIST_SEP, Column, Table
from ementor_kit.errors import Problem
from ementor_kit.i18n.language import N_

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2}|(?<=\d:\d\d)[+-]\d{2})$"  # +HH after a time too
_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"


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


_EMPTY_REQUIRED = N_("required value is empty")


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
    return [
        Problem(file, None, _rows(blank), N_("empty row(s)"), N_("delete the empty row(s)")),
        *kept,
    ]


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
        c.report(
            c.text.missing,
            _EMPTY_REQUIRED,
            N_("fill in '{name}' ({description})").format(
                name=col.name, description=col.description
            ),
        )
    if col.kind not in _COLUMN_CHECKS:  # a bug in schema.py, not user input
        raise AssertionError(f"unknown column kind {col.kind!r}")
    # each check adds its problems to c.problems (the int check looks at those before it)
    return _COLUMN_CHECKS[col.kind](c), c


_CONTROL_BYTES = re.compile(rb"[\x01-\x1f\x7f]")


def _checked_ids(c: _Column) -> pd.Series:
    """An id column's text in Unicode NFC, ids that are not printable text reported.

    ASCII columns (a million-row log's ids) are checked as bytes: only a control byte sends
    them to the per-value check.
    """
    text = c.text.text
    b = c.text.ascii
    if b is not None and _CONTROL_BYTES.search(b.raw) is None and b.raw.count(0) < len(text):
        return text
    values = text.to_numpy(dtype=object)
    present = c.present
    fixed = values.copy()
    flaws: dict[str, np.ndarray] = {}
    for i in np.flatnonzero(present):
        fixed[i] = id_text(values[i])
        flaw = id_flaw(fixed[i])
        if flaw is not None:
            flaws.setdefault(flaw, np.zeros(len(values), dtype=bool))[i] = True
    shown = pd.Series(fixed, index=text.index)
    for flaw, bad in flaws.items():
        c.report(
            bad,
            N_("id(s) {shown}: {flaw}").format(shown="{shown}", flaw=flaw),
            N_("retype the id (it prints like another one, or holds a character you cannot see)"),
            shown=shown,
        )
    return pd.Series(fixed, index=text.index, name=text.name, dtype=_STR)


def _typed_text(c: _Column) -> pd.Series:
    """An id or str column: text, matching the column's id pattern when it has one.

    Ids must be printable text (:func:`~ementor_kit.data._labels.id_flaw`) and are compared
    in Unicode NFC; a pattern's ``\\d`` is an ASCII digit (``re.ASCII``).
    """
    text = _checked_ids(c) if c.col.kind == "id" else c.text.text
    if c.col.pattern is not None:
        match = text.str.fullmatch(c.col.pattern, flags=re.ASCII)
        c.report(
            c.present & ~match.to_numpy(dtype=bool, na_value=False),
            N_("malformed id(s) {shown}"),
            N_("ids must match {pattern} (digits 0-9)").format(pattern=c.col.pattern),
            shown=text,
        )
    return text.astype("str")


def _typed_category(c: _Column) -> pd.Series:
    """A category column: one of the allowed values."""
    allowed = c.col.allowed
    if allowed is not None:
        c.report(
            c.present & ~c.text.text.isin(allowed).to_numpy(dtype=bool),
            N_("unknown value(s) {shown}"),
            (
                N_("use one of {allowed}")
                if c.col.required
                else N_("use one of {allowed}, or leave it empty")
            ).format(allowed=", ".join(allowed)),
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
            N_("unknown value(s) {unknown}").format(unknown=", ".join(map(repr, unknown[:5]))),
            N_("use values from {allowed}, separated by '{LIST_SEP}'").format(
                allowed=", ".join(col.allowed), LIST_SEP=LIST_SEP
            ),
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
        fix = (
            N_("write '{name}' as a whole number")
            if col.kind == "int"
            else N_("write '{name}' as a number")
        ).format(name=col.name)
        if "," in shown:
            fix = N_("{fix}, with a point as decimal separator (1.5, not 1,5)").format(fix=fix)
        c.report(bad, N_("not a number: {shown}").format(shown=shown), fix)
    ok = present & ~bad
    if col.kind == "int":
        frac = ok & (num.to_numpy() != np.round(num.to_numpy()))
        if c.report(
            frac,
            N_("not a whole number"),
            N_("write '{name}' as a whole number").format(name=col.name),
        ):
            ok = ok & ~frac
    unit = f" {col.unit}" if col.unit else ""
    for bound, message, beyond in (
        (col.min, N_("value(s) {shown} below the minimum {bound:g}{unit}"), np.less),
        (col.max, N_("value(s) {shown} above the maximum {bound:g}{unit}"), np.greater),
    ):
        if bound is not None:
            c.report(
                beyond(num.to_numpy(), bound) & ok,
                message.format(bound=bound, unit=unit, shown="{shown}"),
                N_("use values between {min:g} and {max:g}{unit}").format(
                    min=col.min, max=col.max, unit=unit
                ),
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
        N_("{what} out of range: {shown}").format(what=what, shown="{shown}"),
        N_("use {what} between {date} and {date2}").format(
            what=what, date=_FIRST_NS.ceil("D").date(), date2=_LAST_NS.floor("D").date()
        ),
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
                    N_("holds time-zone aware timestamps, not dates"),
                    N_("store calendar dates (YYYY-MM-DD)"),
                )
            )
        return s
    present = c.present
    bad = present & ~text.str.match(_DATE_RE).to_numpy(dtype=bool, na_value=False)
    parsed = pd.to_datetime(text.where(~bad), format="%Y-%m-%d", errors="coerce")
    bad = bad | (present & parsed.isna().to_numpy())
    c.report(bad, N_("not a date: {shown}"), N_("write dates as YYYY-MM-DD"), shown=text)
    return _in_ns_range(c, parsed, N_("dates")).astype("datetime64[ns]")


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
    hours = (
        two & sign(b.back(3)) & digit(b.back(4)) & digit(b.back(5)) & (b.back(6) == ord(":"))
    ) & digit(b.back(7))
    return (last == ord("Z")) | (with_colon & sign(b.back(6))) | without | hours


def _typed_datetime(c: _Column) -> pd.Series:
    """A datetime column: ISO 8601 timestamps with their UTC offset, as UTC."""
    s, text, present = c.raw, c.text.text, c.present
    naive_fix = N_("give every timestamp its UTC offset, e.g. 2026-09-08T18:32:05+02:00")
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dtype, "tz", None) is None:
            # reported even when every cell is empty: the column itself is naive
            c.problems.append(
                Problem(
                    c.file,
                    c.col.name,
                    _rows(present),
                    N_("naive timestamps (no time zone)"),
                    naive_fix,
                )
            )
            return s
        return _in_ns_range(c, s.dt.tz_convert("UTC"), N_("timestamps")).astype(
            "datetime64[ns, UTC]"
        )
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
            N_("naive timestamp(s) (no UTC offset), e.g. {iloc!r}").format(
                iloc=text[naive].iloc[0]
            ),
            naive_fix,
        )
    with_offset = text.where(~no_offset) if no_offset.any() else text
    parsed = pd.to_datetime(with_offset, utc=True, format="ISO8601", errors="coerce")
    c.report(
        present & ~naive & parsed.isna().to_numpy(),
        N_("not an ISO 8601 timestamp: {shown}"),
        N_("write timestamps like 2026-09-08T18:32:05+02:00"),
        shown=text,
    )
    return _in_ns_range(c, parsed, N_("timestamps")).astype("datetime64[ns, UTC]")


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
            N_("duplicate key(s) {unique}").format(unique=", ".join(pd.unique(shown)[:5])),
            N_("every row needs its own key; remove or renumber the duplicates"),
        )
    ]
