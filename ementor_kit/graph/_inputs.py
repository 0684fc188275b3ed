"""Typed, checked input tables for the relationship-graph analytics (private).

The public functions of :mod:`ementor_kit.graph` accept raw frames (as read from the CSV files)
and frames already typed by :func:`ementor_kit.data.validation.validate`; this module turns either
into the typed form with ``validate``.

Already-typed interaction logs (``timestamp`` is a time-zone aware datetime column) take a fast
path that checks only what the computation relies on, in vectorised form, so that logs of
millions of exchanges are not re-validated in full at every call.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from ementor_kit._uniques import repeated
from ementor_kit.data import schema
from ementor_kit.data.validation import validate
from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError, Problem
from ementor_kit.graph.log_reader import _buffers, _unique, typed_from_frame
from ementor_kit.i18n.language import N_

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$",
    re.IGNORECASE,
)
NS_PER_DAY = 86_400 * 10**9
NS_PER_WEEK = 7 * NS_PER_DAY
NS_PER_HOUR = 3_600 * 10**9


def spreadsheet_rows(mask: np.ndarray) -> tuple[int, ...]:
    """Spreadsheet row numbers (header = 1) of the True positions of ``mask``."""
    return tuple(int(i) + 2 for i in np.flatnonzero(mask))


def _file(table: str, file: str | None) -> str:
    return file if file is not None else schema.TABLES[table].file


def check_columns(df: pd.DataFrame, table: str, *, file: str | None = None) -> None:
    """Raise DataValidationError when ``df`` is not a DataFrame or lacks required columns."""
    t = schema.TABLES[table]
    name = _file(table, file)
    if not isinstance(df, pd.DataFrame):
        raise DataValidationError(
            [
                Problem(
                    name,
                    None,
                    (),
                    N_("expected a pandas DataFrame, got {name}").format(
                        name=f"{type(df).__module__.split('.')[0]}.{type(df).__name__}"
                    ),
                    N_(
                        "pass the {table} table as a DataFrame (e.g. pandas.read_csv('{file}'))"
                    ).format(table=table, file=t.file),
                )
            ]
        )
    missing = [
        c.name for c in t.columns if c.required and not c.optional and c.name not in df.columns
    ]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    name,
                    m,
                    (),
                    N_("required column is missing"),
                    N_("add the column '{m}' (see ementor_kit.data.schema.{upper})").format(
                        m=m, upper=t.name.upper()
                    ),
                )
                for m in missing
            ]
        )


_EMPTY_DTYPES = {
    "datetime": "datetime64[ns, UTC]",
    "date": "datetime64[ns]",
    "int": "int64",
    "float": "float64",
    "list": "object",
}


def typed(
    df: pd.DataFrame, table: str, *, file: str | None = None, allow_empty: bool = False
) -> pd.DataFrame:
    """The typed copy of ``df`` made by :func:`ementor_kit.data.validation.validate`.

    With ``allow_empty``, a table without rows (a programme that has not logged any yet) gives
    an empty frame of the typed columns instead of the "no rows" error of ``validate``.
    """
    check_columns(df, table, file=file)
    if allow_empty and len(df) == 0:
        return pd.DataFrame(
            {
                c.name: pd.Series(dtype=_EMPTY_DTYPES.get(c.kind, "str"))
                for c in schema.TABLES[table].columns
            }
        )
    return validate(df, table, file=file)


def interactions_frame(
    df: pd.DataFrame, *, file: str | None = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The interaction log, typed, with the input positions of its rows and of exact duplicates.

    Returns ``(typed, positions, duplicates)``: ``typed`` holds the rows to analyse,
    ``positions[i]`` is the input position (0-based) of ``typed`` row ``i``, and ``duplicates``
    the input positions of rows that repeat an earlier row exactly (all columns equal); those are
    left out of ``typed`` so that they are reported, never counted twice.

    Already-typed logs (``timestamp`` time-zone aware) only get the vectorised checks the
    analytics rely on; their exact duplicates are found later, among rows that tie on pair and
    timestamp (duplicates always tie), which costs nothing on a log without ties.
    """
    check_columns(df, "interactions", file=file)
    name = _file("interactions", file)
    n = len(df)
    if isinstance(df["timestamp"].dtype, pd.DatetimeTZDtype):
        _check_typed_interactions(df, file=name)
        return df, np.arange(n), np.empty(0, np.int64)
    if n == 0:  # a programme that has not exchanged yet (validate refuses empty tables)
        return (
            typed(df, "interactions", file=file, allow_empty=True),
            np.arange(0),
            np.empty(0, np.int64),
        )
    if pd.api.types.is_datetime64_dtype(df["timestamp"].dtype):
        raise DataValidationError(
            [
                Problem(
                    name,
                    "timestamp",
                    spreadsheet_rows(np.ones(n, bool)),
                    N_("timestamps have no UTC offset (naive)"),
                    N_(
                        "give every timestamp its UTC offset, e.g. 2026-09-08T18:32:05+02:00, "
                        "or localise the column (Series.dt.tz_localize)"
                    ),
                )
            ]
        )
    dup = _exact_duplicates(df)
    keep = np.flatnonzero(~dup)
    rest = df.iloc[keep] if dup.any() else df
    # Arrow's vectorised checks type a clean text log; anything else gets validate's messages
    fast = typed_from_frame(rest)
    if fast is not None:
        return fast, keep, np.flatnonzero(dup)
    return typed(rest, "interactions", file=file), keep, np.flatnonzero(dup)


def _exact_duplicates(df: pd.DataFrame) -> np.ndarray:
    """Rows equal in every column to an earlier row (as ``DataFrame.duplicated(keep="first")``).

    Such rows share their ``interaction_id``: only the rows whose id repeats are compared in
    full, which on a log of unique ids costs one column instead of all of them.
    """
    candidates = repeated(df["interaction_id"])
    dup = np.zeros(len(df), dtype=bool)
    if candidates.any():
        dup[candidates] = df[candidates].duplicated(keep="first").to_numpy()
    return dup


def _check_typed_interactions(df: pd.DataFrame, *, file: str) -> None:
    problems = []
    nat = df["timestamp"].isna().to_numpy()
    if nat.any():
        problems.append(
            Problem(
                file,
                "timestamp",
                spreadsheet_rows(nat),
                N_("timestamp is empty"),
                N_("fill in the timestamp with its UTC offset"),
            )
        )
    bad = ~df["channel"].isin(schema.CHANNELS).to_numpy()
    if bad.any():
        problems.append(
            Problem(
                file,
                "channel",
                spreadsheet_rows(bad),
                N_("value not allowed"),
                N_("use one of: {CHANNELS}").format(CHANNELS=", ".join(schema.CHANNELS)),
            )
        )
    conflict = conflicting_ids(df)
    if conflict.any():
        problems.append(id_conflict(df, conflict, file, spreadsheet_rows(conflict)))
    if problems:
        raise DataValidationError(problems)


def conflicting_ids(df: pd.DataFrame) -> np.ndarray:
    """Rows whose ``interaction_id`` another row has with other content (an exact duplicate,
    every column equal, is not one: it is reported as an unused row)."""
    ids = df["interaction_id"]
    if isinstance(ids.array, pd.arrays.ArrowStringArray):  # the typed log: Arrow's hash table
        chunked = ids.array.__arrow_array__()
        if not chunked.null_count:
            offsets, data = _buffers(chunked)
            if _unique(ids, data, offsets):  # ids of one width: a sort of 64-bit keys, 3x faster
                return np.zeros(len(df), bool)
        counts = pc.value_counts(chunked)
        many = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
        if not len(many):
            return np.zeros(len(df), bool)
        rep = pc.fill_null(pc.is_in(chunked, value_set=many), False).to_numpy(zero_copy_only=False)
    else:
        rep = repeated(ids)
    if not rep.any():
        return rep
    sub = df[rep]
    kinds = sub.drop_duplicates().groupby("interaction_id", observed=True, sort=False).size()
    bad = kinds.index[kinds.to_numpy() > 1]
    rep[rep] = sub["interaction_id"].isin(bad).to_numpy()
    return rep


def id_conflict(
    df: pd.DataFrame, conflict: np.ndarray, file: str, rows: tuple[int, ...]
) -> Problem:
    """The problem of the rows ``conflict`` of ``df`` (:func:`conflicting_ids`), at ``rows``;
    the message of :func:`~ementor_kit.data.validation.validate` for a raw log."""
    shown = pd.unique(df["interaction_id"].to_numpy(dtype=object)[conflict])[:5]
    return Problem(
        file,
        "interaction_id",
        rows,
        N_("duplicate key(s) {unique}").format(unique=", ".join(map(str, shown))),
        N_("every row needs its own key; remove or renumber the duplicates"),
    )


def id_codes(ids: pd.Index, values: pd.Series) -> np.ndarray:
    """Position of each of ``values`` in ``ids`` (-1 when absent): ``ids.get_indexer(values)``.

    Arrow-backed strings (the typed log's id columns) are looked up in Arrow's hash table
    without making a Python string per row (on a million rows about 15x faster than pandas,
    which converts them to objects first); other columns go through pandas.
    """
    arr = values.array
    if not (isinstance(arr, pd.arrays.ArrowStringArray) and pd.api.types.is_string_dtype(ids)):
        return np.asarray(ids.get_indexer(values), dtype=np.int64)
    chunked = arr.__arrow_array__()
    value_set = pa.array(ids.to_numpy(dtype=object), type=chunked.type, from_pandas=True)
    found = pc.fill_null(pc.index_in(chunked, value_set=value_set), -1)
    return np.asarray(found.to_numpy(), dtype=np.int64)


def check_ids_present(
    df: pd.DataFrame, positions: np.ndarray, rows: np.ndarray, *, file: str | None = None
) -> None:
    """Raise when sender_id or recipient_id is empty at ``positions`` of ``df``.

    ``rows`` are the input positions of those rows (for the spreadsheet row numbers). Only rows
    whose ids matched no pair need checking: an empty id never matches.
    """
    problems = []
    for col in ("sender_id", "recipient_id"):
        miss = df[col].iloc[positions].isna().to_numpy()
        if miss.any():
            problems.append(
                Problem(
                    _file("interactions", file),
                    col,
                    tuple(int(r) + 2 for r in rows[miss]),
                    N_("value is empty"),
                    N_("fill in the person id"),
                )
            )
    if problems:
        raise DataValidationError(problems)


def as_of_ns(as_of: object, default_ns: int) -> int:
    """UTC nanoseconds of ``as_of``; a date means the end of that day (midnight UTC at its close).

    Naive date-times are refused: the time zone would be a guess.
    """
    if as_of is None:
        return int(default_ns)
    not_iso = InvalidArgumentError(
        "as_of",
        as_of,
        N_(
            "use YYYY-MM-DD or an ISO timestamp with offset (e.g. '2026-12-01' or "
            "'2026-12-01T12:00:00+01:00')"
        ),
        message=N_("{as_of!r} is not a date").format(as_of=as_of),
    )
    if isinstance(as_of, str) and _DATE_ONLY.match(as_of.strip()):
        try:
            as_of = _dt.date.fromisoformat(as_of.strip())
        except ValueError:
            raise not_iso from None
    if isinstance(as_of, _dt.date) and not isinstance(as_of, _dt.datetime):
        return int(pd.Timestamp(as_of, tz="UTC").value) + NS_PER_DAY
    not_a_time = InvalidArgumentError(
        "as_of",
        as_of,
        N_("pass e.g. '2026-12-01' or '2026-12-01T12:00:00+01:00'"),
        message=N_("{as_of!r} is not a date or time-zone aware timestamp").format(as_of=as_of),
    )
    if isinstance(as_of, str):
        # only ISO 8601: '01/11/2026' is 1 November in Europe and 11 January in the US
        not_a_time = not_iso
        if not _ISO_DATE_TIME.match(as_of.strip()):
            raise not_a_time
        as_of = as_of.strip()
    if not isinstance(as_of, str | _dt.datetime | np.datetime64):
        raise ArgumentTypeError(
            "as_of", as_of, not_a_time.problem.fix, message=not_a_time.problem.message
        )
    try:
        ts = pd.Timestamp(as_of)
    except (ValueError, TypeError) as exc:
        raise not_a_time from exc
    if pd.isna(ts):
        raise not_a_time
    if ts.tzinfo is None:
        raise InvalidArgumentError(
            "as_of",
            as_of,
            N_(
                "pass a date ('2026-12-01') or a time-zone aware timestamp "
                "('2026-12-01T12:00:00+01:00')"
            ),
            message=N_("{as_of!r} has no UTC offset").format(as_of=as_of),
        )
    return int(ts.tz_convert("UTC").as_unit("ns").value)


def date_ns(s: pd.Series) -> np.ndarray:
    """int64 nanoseconds of a typed date column read as UTC midnight."""
    return s.to_numpy("datetime64[ns]").view("int64")


def person_ids(people: object, role: str) -> pd.Index | None:
    """The ids a people table lists (``role``: ``"mentors"`` or ``"mentees"``), stripped.

    ``people`` is the ``mentors`` or ``mentees`` table (``mentors.csv``, or
    :func:`ementor_kit.data.people.read_people`), raw or typed; ``None`` gives ``None``.
    """
    if people is None:
        return None
    column = "mentor_id" if role == "mentors" else "mentee_id"
    fix = N_("pass the {role} table (a DataFrame with a '{column}' column), or None").format(
        role=role, column=column
    )
    if not isinstance(people, pd.DataFrame):
        raise ArgumentTypeError(role, people, fix)
    if column not in people.columns:
        raise InvalidArgumentError(
            role,
            people,
            fix,
            message=N_("the {role} table has no '{column}' column").format(
                role=role, column=column
            ),
        )
    ids = people[column]
    return pd.Index(ids[ids.notna()].astype("str").str.strip().unique())


_SAMPLE_ID_SHAPES = {1: r"^E\d{3,}$", 2: r"^M\d{3,}$"}  # the bundled sample's E001 / M001


def role_of_ids(
    ids: np.ndarray, *, mentee_ids: pd.Index | None = None, mentor_ids: pd.Index | None = None
) -> np.ndarray:
    """Role of each id: 1 mentee, 2 mentor, 0 unknown.

    An id is a mentee's when ``mentee_ids`` (the ids of the programme's mentees table) holds
    it, a mentor's when ``mentor_ids`` does; ids are any unique text (e-mails, ``stu-0042``).
    Only for a role whose table is not given is the role guessed from the id shape of the
    bundled sample (``E001`` mentees, ``M001`` mentors). An id in both is a mentee's.
    """
    s = pd.Series(ids, dtype="str")

    def has(role: int, known: pd.Index | None) -> np.ndarray:
        if known is not None:
            return s.isin(known).to_numpy()
        return s.str.match(_SAMPLE_ID_SHAPES[role], na=False).to_numpy()

    mentee, mentor = has(1, mentee_ids), has(2, mentor_ids)
    return np.where(mentee, 1, np.where(mentor, 2, 0)).astype(np.int8)
