"""Read and validate programme folders against the data contract of :mod:`ementor_kit.data.schema`.

Validation never coerces or drops anything silently: a table either comes back typed, with
every row it came in with, or a :class:`~ementor_kit.errors.DataValidationError` lists every
problem found, each naming the file, the row(s), the column and the fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice
from ementor_kit.data.people import People, read_people
from ementor_kit.data.schema import LIST_SEP, SURVEY_ITEM_RANGES, TABLES, Column, Table
from ementor_kit.data.spec import SPEC_FILE, ProgrammeSpec
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem

__all__ = ["Programme", "read_programme", "validate", "read_table"]

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
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


def _missing_and_text(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Missing mask (NA or blank text) and the values as stripped text (NA where missing).

    Text columns are stripped once here: on a million-row log stripping dominates validation.
    """
    missing = s.isna().to_numpy()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        text = s.astype("str").str.strip()
        missing = missing | text.eq("").to_numpy(dtype=bool, na_value=True)
    else:
        text = s.astype("str")
    return missing, text.mask(missing)


def _range_problems(values: pd.Series, col: Column, file: str, ok: np.ndarray) -> list[Problem]:
    problems = []
    unit = f" {col.unit}" if col.unit else ""
    for bound, bad, word in (
        (col.min, values < col.min if col.min is not None else None, "below the minimum"),
        (col.max, values > col.max if col.max is not None else None, "above the maximum"),
    ):
        if bad is None:
            continue
        bad = bad.to_numpy(dtype=bool, na_value=False) & ok
        if bad.any():
            shown = ", ".join(f"{v:g}" for v in pd.unique(values[bad])[:5])
            problems.append(
                Problem(
                    file,
                    col.name,
                    _rows(bad),
                    f"value(s) {shown} {word} {bound:g}{unit}",
                    f"use values between {col.min:g} and {col.max:g}{unit}",
                )
            )
    return problems


_EMPTY_REQUIRED = "required value is empty"


def _merge_blank_rows(df: pd.DataFrame, problems: list[Problem], file: str) -> list[Problem]:
    """Report wholly empty rows (e.g. a trailing ',,,,' line) once, not once per column."""
    blank = np.ones(len(df), dtype=bool)
    for name in df.columns:
        blank &= _missing_and_text(df[name])[0]
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


def _check_column(s: pd.Series, col: Column, file: str) -> tuple[pd.Series, list[Problem]]:
    """Type one column; return the typed column and the problems found."""
    problems: list[Problem] = []
    if col.kind == "list":
        missing = s.isna().to_numpy() | np.array(
            [isinstance(v, str) and not v.strip() for v in s], dtype=bool
        )
        text = s
    else:
        missing, text = _missing_and_text(s)
    if col.required and missing.any():
        problems.append(
            Problem(
                file,
                col.name,
                _rows(missing),
                _EMPTY_REQUIRED,
                f"fill in '{col.name}' ({col.description})",
            )
        )
    if col.kind not in _COLUMN_CHECKS:  # a bug in schema.py, not user input
        raise AssertionError(f"unknown column kind {col.kind!r}")
    # each check appends its problems to ``problems`` (the int check looks at those before it)
    typed = _COLUMN_CHECKS[col.kind](s, text, missing, col, file, problems)
    return typed, problems


def _typed_text(
    s: pd.Series,
    text: pd.Series,
    missing: np.ndarray,
    col: Column,
    file: str,
    problems: list[Problem],
) -> pd.Series:
    """An id, str or category column: the allowed values and the id pattern."""
    present = ~missing
    if col.kind == "category" and col.allowed is not None:
        bad = present & ~text.isin(col.allowed).to_numpy(dtype=bool)
        if bad.any():
            shown = ", ".join(repr(v) for v in pd.unique(text[bad])[:5])
            problems.append(
                Problem(
                    file,
                    col.name,
                    _rows(bad),
                    f"unknown value(s) {shown}",
                    f"use one of {', '.join(col.allowed)}"
                    + ("" if col.required else ", or leave it empty"),
                )
            )
    if col.pattern is not None:
        bad = present & ~text.str.fullmatch(col.pattern).to_numpy(dtype=bool, na_value=False)
        if bad.any():
            shown = ", ".join(repr(v) for v in pd.unique(text[bad])[:5])
            problems.append(
                Problem(
                    file,
                    col.name,
                    _rows(bad),
                    f"malformed id(s) {shown}",
                    f"ids must match {col.pattern}",
                )
            )
    return text.astype("str")


def _typed_list(
    s: pd.Series,
    text: pd.Series,
    missing: np.ndarray,
    col: Column,
    file: str,
    problems: list[Problem],
) -> pd.Series:
    """A list column: tuples of str, each value among the allowed ones."""
    values = [
        ()
        if m
        else tuple(v)
        if isinstance(v, (tuple, list))
        else tuple(x.strip() for x in str(v).split(LIST_SEP) if x.strip())
        for v, m in zip(s, missing, strict=True)
    ]
    if col.allowed is not None:
        bad_rows = [i for i, v in enumerate(values) if any(x not in col.allowed for x in v)]
        if bad_rows:
            unknown = sorted({x for i in bad_rows for x in values[i] if x not in col.allowed})
            problems.append(
                Problem(
                    file,
                    col.name,
                    tuple(i + 2 for i in bad_rows),
                    f"unknown value(s) {', '.join(map(repr, unknown[:5]))}",
                    f"use values from {', '.join(col.allowed)}, separated by '{LIST_SEP}'",
                )
            )
    return pd.Series(values, index=s.index, dtype=object, name=s.name)


def _typed_number(
    s: pd.Series,
    text: pd.Series,
    missing: np.ndarray,
    col: Column,
    file: str,
    problems: list[Problem],
) -> pd.Series:
    """An int or float column: numbers, whole for int, within the column's range."""
    present = ~missing
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        num = s.astype("float64")
    else:
        num = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = present & num.isna().to_numpy()
    if bad.any():
        shown = ", ".join(repr(v) for v in pd.unique(s[bad].astype("str"))[:5])
        problems.append(
            Problem(
                file,
                col.name,
                _rows(bad),
                f"not a number: {shown}",
                f"write '{col.name}' as a {'whole ' if col.kind == 'int' else ''}number"
                + (", with a point as decimal separator (1.5, not 1,5)" if "," in shown else ""),
            )
        )
    ok = present & ~bad
    if col.kind == "int":
        frac = ok & (num.to_numpy() != np.round(num.to_numpy()))
        if frac.any():
            problems.append(
                Problem(
                    file,
                    col.name,
                    _rows(frac),
                    "not a whole number",
                    f"write '{col.name}' as a whole number",
                )
            )
            ok = ok & ~frac
    problems += _range_problems(num, col, file, ok)
    if col.kind == "int" and not problems:
        return num.astype("Int64" if missing.any() else "int64")
    return num


def _typed_date(
    s: pd.Series,
    text: pd.Series,
    missing: np.ndarray,
    col: Column,
    file: str,
    problems: list[Problem],
) -> pd.Series:
    """A date column: YYYY-MM-DD calendar dates."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dtype, "tz", None) is not None:
            problems.append(
                Problem(
                    file,
                    col.name,
                    (),
                    "holds time-zone aware timestamps, not dates",
                    "store calendar dates (YYYY-MM-DD)",
                )
            )
        return s
    present = ~missing
    bad = present & ~text.str.match(_DATE_RE).to_numpy(dtype=bool, na_value=False)
    parsed = pd.to_datetime(text.where(~bad), format="%Y-%m-%d", errors="coerce")
    bad = bad | (present & parsed.isna().to_numpy())
    if bad.any():
        shown = ", ".join(repr(v) for v in pd.unique(text[bad])[:5])
        problems.append(
            Problem(file, col.name, _rows(bad), f"not a date: {shown}", "write dates as YYYY-MM-DD")
        )
    return parsed.astype("datetime64[ns]")


def _typed_datetime(
    s: pd.Series,
    text: pd.Series,
    missing: np.ndarray,
    col: Column,
    file: str,
    problems: list[Problem],
) -> pd.Series:
    """A datetime column: ISO 8601 timestamps with their UTC offset, as UTC."""
    present = ~missing
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dtype, "tz", None) is None:
            problems.append(
                Problem(
                    file,
                    col.name,
                    _rows(present),
                    "naive timestamps (no time zone)",
                    "give every timestamp its UTC offset, e.g. 2026-09-08T18:32:05+02:00",
                )
            )
            return s
        return s.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    no_offset = present & ~text.str.contains(_OFFSET_RE, regex=True).to_numpy(
        dtype=bool, na_value=False
    )
    # without an offset: a readable date-time is naive; anything else is simply not a time
    naive = no_offset.copy()
    if no_offset.any():
        naive[no_offset] = (
            pd.to_datetime(text[no_offset], format="ISO8601", errors="coerce").notna().to_numpy()
        )
    if naive.any():
        problems.append(
            Problem(
                file,
                col.name,
                _rows(naive),
                f"naive timestamp(s) (no UTC offset), e.g. {text[naive].iloc[0]!r}",
                "give every timestamp its UTC offset, e.g. 2026-09-08T18:32:05+02:00",
            )
        )
    parsed = pd.to_datetime(text.where(~no_offset), utc=True, format="ISO8601", errors="coerce")
    bad = present & ~naive & parsed.isna().to_numpy()
    if bad.any():
        shown = ", ".join(repr(v) for v in pd.unique(text[bad])[:5])
        problems.append(
            Problem(
                file,
                col.name,
                _rows(bad),
                f"not an ISO 8601 timestamp: {shown}",
                "write timestamps like 2026-09-08T18:32:05+02:00",
            )
        )
    return parsed.astype("datetime64[ns, UTC]")


_COLUMN_CHECKS = {  # column kind -> its check
    "id": _typed_text,
    "str": _typed_text,
    "category": _typed_text,
    "list": _typed_list,
    "int": _typed_number,
    "float": _typed_number,
    "date": _typed_date,
    "datetime": _typed_datetime,
}


def _duplicate_keys(
    out: dict[str, pd.Series], spec: Table, file: str, bad_cols: set[str | None]
) -> list[Problem]:
    """Rows sharing the table's key, checked only when every key column is sound."""
    if not spec.key or not all(k in out and k not in bad_cols for k in spec.key):
        return []
    dup = pd.DataFrame(out)[list(spec.key)].duplicated(keep=False).to_numpy()
    if not dup.any():
        return []
    keys = pd.DataFrame(out)[list(spec.key)][dup].astype("str").agg("/".join, axis=1)
    return [
        Problem(
            file,
            ", ".join(spec.key),
            _rows(dup),
            f"duplicate key(s) {', '.join(pd.unique(keys)[:5])}",
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
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        if col.name in missing_cols:
            continue
        out[col.name], found = _check_column(df[col.name], col, file)
        problems += found
    item_cols = [c for c in cols if c not in spec.column_names and c not in extra]
    for name in item_cols:
        low, high = SURVEY_ITEM_RANGES.get(name.split("_")[0], (None, None))
        item = Column(name, "float", "item answer", required=False, min=low, max=high)
        out[name], found = _check_column(df[name], item, file)
        problems += found
    if any(p.message == _EMPTY_REQUIRED for p in problems):
        problems = _merge_blank_rows(df, problems, file)
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
            if not spec.optional:
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
    >>> from pathlib import Path
    >>> import ementor_kit
    >>> read_programme(Path(ementor_kit.__file__).parents[1] / "data" / "samples")
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
