"""Read and validate programme folders against the data contract of :mod:`ementor_kit.data.schema`.

Validation never coerces or drops anything silently: a table either comes back typed, with
every row it came in with, or a :class:`~ementor_kit.errors.DataValidationError` lists every
problem found, each naming the file, the row(s), the column and the fix.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice
from ementor_kit.data._columns import (
    _EMPTY_REQUIRED,
    _check_column,
    _duplicate_keys,
    _merge_blank_rows,
    _rows,
)
from ementor_kit.data._preference_checks import reference_problems
from ementor_kit.data.people import People, read_people
from ementor_kit.data.schema import (
    FOLDER_TABLES,
    SURVEY_FILE_PATTERN,
    SURVEY_ITEM_RANGES,
    TABLES,
    Column,
    Table,
    survey_table,
)
from ementor_kit.data.spec import SPEC_FILE, ProgrammeSpec
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem
from ementor_kit.i18n.language import N_

# why bytes are not text, as Python's codecs say it (marked: translated where shown)
CODEC_REASONS = (
    N_("invalid continuation byte"),
    N_("invalid start byte"),
    N_("unexpected end of data"),
    N_("illegal UTF-16 surrogate"),
    N_("illegal encoding"),
    N_("truncated data"),
)

__all__ = ["Programme", "read_programme", "validate", "read_table"]


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
        answered and at which wave; then any other ``mentee_<wave>``, ``mentor_<wave>``,
        ``pulse_<wave>`` and ``closure``, see
        :func:`~ementor_kit.data.schema.survey_table`), for the files present in ``surveys/``.
    folder : str or None
        The folder read, ``None`` when the tables were not read from a folder.
    spec : ProgrammeSpec or None
        The folder's ``programme.yaml`` when it has one (the people then come from the files
        it declares, typed by it), else ``None``.
    preferences : DataFrame or None
        ``preferences.csv`` when the folder has one (``chooser_id, chosen_id, rank``, checked
        against the people; :func:`~ementor_kit.data.preferences.read_preferences` gives the
        rankings of each side).

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
    preferences: pd.DataFrame | None = None

    def __repr__(self) -> str:
        parts = [f"{len(self.mentors)} mentors", f"{len(self.mentees)} mentees"]
        for name in ("pairs", "interactions", "goals", "goal_updates"):
            df = getattr(self, name)
            if df is not None:
                parts.append(f"{len(df)} {name}")
        parts += [f"{len(df)} {name} responses" for name, df in sorted(self.surveys.items())]
        if self.preferences is not None:
            parts.append(f"{len(self.preferences)} preferences")
        return f"Programme({', '.join(parts)})"


def validate(df: pd.DataFrame, table: str | Table, *, file: str | None = None) -> pd.DataFrame:
    """Check one table against the data contract and return a typed copy.

    Parameters
    ----------
    df : DataFrame
        The table, raw (all text, as read from CSV) or already typed.
    table : str or Table
        Name of the table in :data:`ementor_kit.data.schema.TABLES` (``"mentors"``, ``"mentees"``,
        ``"pairs"``, ``"interactions"``, ``"goals"``, ``"goal_updates"``, ``"mentee_t0"``, ...),
        or of any survey file (``"mentee_t2"``, ``"pulse_p30"``, ``"closure"``: see
        :func:`~ementor_kit.data.schema.survey_table`).
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
    spec = _table_spec(table, TABLES) if isinstance(table, str) else table
    file = file or spec.file
    problems: list[Problem] = []
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(
            "df", df, N_("pass the {file} table as a pandas DataFrame").format(file=file)
        )
    if len(df) == 0:
        problems.append(
            Problem(
                file,
                None,
                (),
                N_("the table has no rows"),
                N_("add at least one row ({description})").format(description=spec.description),
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
                N_("column name(s) appear twice"),
                N_("keep one column per name"),
            )
        )
        raise DataValidationError(problems)
    absent = [c.name for c in spec.columns if c.name not in cols]
    missing_cols = [n for n in absent if not spec.column(n).optional]
    for name in missing_cols:
        c = spec.column(name)
        problems.append(
            Problem(
                file,
                name,
                (),
                N_("column is missing"),
                N_("add the column '{name}' ({description})").format(
                    name=name, description=c.description
                ),
            )
        )
    extra = [
        c
        for c in cols
        if c not in spec.column_names
        and not (spec.extra_columns and re.match(spec.extra_columns, c))
    ]
    for name in extra:
        close = difflib.get_close_matches(name, absent, n=1)
        fix = (
            N_("rename it to '{close}'").format(close=close[0])
            if close
            else N_("remove it; expected columns: {column_names}").format(
                column_names=", ".join(spec.column_names)
            )
        )
        problems.append(Problem(file, name, (), N_("unexpected column"), fix))
    df = df.reset_index(drop=True)
    item_cols = [c for c in cols if c not in spec.column_names and c not in extra]
    checks = [c for c in spec.columns if c.name not in absent] + [
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


def _table_spec(name: str, tables: dict[str, Table]) -> Table:
    """The table called ``name``: one of ``tables``, or a survey file of any wave."""
    if name not in tables and isinstance(name, str) and re.match(SURVEY_FILE_PATTERN, name):
        return survey_table(name)
    return tables[check_choice("table", name, tuple(tables))]


def _separator(data: bytes) -> str:
    """``;`` for files saved by spreadsheets set to French (and other) locales, else ``,``.

    Decided on the header line alone: column names never contain either character.
    """
    header = data.split(b"\n", 1)[0]
    return ";" if b";" in header and b"," not in header else ","


def _short_rows(data: bytes, sep: str, shape: tuple[int, int]) -> np.ndarray:
    """Data rows with fewer or more fields than the header (pandas fills short ones with ''
    silently, and takes a long first row as a sign that the first column is an index).

    Counted on the bytes (separators per non-blank line) when the file has no quotes; with
    quotes (a separator or a line break may sit inside a field) by the csv module.
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    if b'"' in data:
        lines = io.StringIO(data.decode("utf-8"), newline="")
        fields = [len(r) for r in csv.reader(lines, delimiter=sep) if r]
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
    return counts[1:] != counts[0]


def _text(data: bytes) -> str:
    """The file's text for counting its fields (bytes that are not UTF-8 replaced)."""
    return data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")


def read_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read one CSV file of a programme folder as text and validate it.

    Fields may be separated by ``,`` or, as spreadsheets in French locales save them, by ``;``
    (detected from the header line). The file must be UTF-8 (a byte-order mark is fine).

    Parameters
    ----------
    path : str or Path
        The CSV file.
    table : str
        Which table of the data contract it holds (``"mentors"``, ``"pairs"``,
        ``"preferences"`` ...; see :data:`ementor_kit.data.schema.FOLDER_TABLES`), or a
        survey file of any wave (``"mentee_t2"``, ``"pulse_p30"``, ``"closure"``).

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
    spec = _table_spec(table, FOLDER_TABLES)
    path = Path(path)
    try:
        data = path.read_bytes()
        sep = _separator(data)
        raw = pd.read_csv(
            io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except FileNotFoundError:
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    (),
                    N_("file not found"),
                    N_("provide {file}").format(file=spec.file),
                )
            ]
        ) from None
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    (),
                    N_("not UTF-8 text ({reason} at byte {start})").format(
                        reason=exc.reason, start=exc.start
                    ),
                    N_("save the file as UTF-8 CSV"),
                )
            ]
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        counts = [len(r) for r in csv.reader(io.StringIO(_text(data), newline=""), delimiter=sep)]
        counts = [c for c in counts if c]
        long = [i + 2 for i, c in enumerate(counts[1:]) if counts and c != counts[0]]
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    tuple(long),
                    N_("not a readable CSV file ({exc})").format(exc=exc),
                    N_("save it as comma-separated values with one header row"),
                )
            ]
        ) from None
    short = _short_rows(data, sep, raw.shape)
    if short.any():
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    _rows(short),
                    N_(
                        "not the header's {shape} fields (a separator or a value is missing or "
                        "added, or the line was cut)"
                    ).format(shape=raw.shape[1]),
                    N_("give every row one field per column (empty fields stay, as ',,')"),
                )
            ]
        )
    return validate(raw, spec, file=str(path))


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
                    N_("unknown {what}: {shown}").format(what=what, shown=shown),
                    N_("use ids that exist in {what}, or add the missing rows there").format(
                        what=N_("the profiles") if what == "person" else what
                    ),
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
    for name, spec in FOLDER_TABLES.items():
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
                        N_("the file is named {as_posix!r}: ementor-kit reads {file}").format(
                            as_posix=twin.relative_to(folder).as_posix(), file=spec.file
                        ),
                        N_("rename it to {file}").format(file=spec.file),
                    )
                )
            elif not spec.optional:
                problems.append(
                    Problem(
                        str(path),
                        None,
                        (),
                        N_("required file is missing"),
                        N_("add {file} ({description})").format(
                            file=spec.file, description=spec.description
                        ),
                    )
                )
            continue
        try:
            tables[name] = read_table(path, name)
        except DataValidationError as exc:
            problems += exc.problems
    for name, found in _other_surveys(folder).items():
        if isinstance(found, Problem):
            problems.append(found)
            continue
        try:
            tables[name] = read_table(found, name)
        except DataValidationError as exc:
            problems += exc.problems
    if problems:
        raise DataValidationError(problems)
    return tables, declared


def _other_surveys(folder: Path) -> dict[str, Path | Problem]:
    """The CSV files of ``surveys/`` other than the built-in three, by table name, or the
    problem of a file whose name is not a survey file name."""
    found: dict[str, Path | Problem] = {}
    here = folder / "surveys"
    if not here.is_dir():
        return found
    built_in = {n for n, t in TABLES.items() if t.file.startswith("surveys/")}
    for path in sorted(here.iterdir()):
        stem = path.stem
        if path.suffix.casefold() != ".csv" or not path.is_file():
            continue
        if stem.casefold() in built_in:
            continue  # read, or reported as named with other case, by the loop over TABLES
        if path.suffix == ".csv" and re.match(SURVEY_FILE_PATTERN, stem):
            found[stem] = path
            continue
        right = stem.casefold()
        fix = (
            N_("rename it to surveys/{right}.csv").format(right=right)
            if re.match(SURVEY_FILE_PATTERN, right)
            else N_(
                "name it mentee_<wave>.csv, mentor_<wave>.csv, pulse_<wave>.csv or "
                "closure.csv, the wave in lower-case letters and digits "
                "(mentee_t2.csv, pulse_p30.csv), or move it out of surveys/"
            )
        )
        found[stem] = Problem(
            str(path), None, (), N_("not a survey file name: {name!r}").format(name=path.name), fix
        )
    return found


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
        problems += _unknown_refs(i, ["sender_id", "recipient_id"], people, f, N_("person"))
        same = (i["sender_id"] == i["recipient_id"]).to_numpy(dtype=bool)
        if same.any():
            problems.append(
                Problem(
                    f,
                    "recipient_id",
                    _rows(same),
                    N_("sender and recipient are the same person"),
                    N_("name the other party of the exchange"),
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
                    N_("goals given without pairs.csv"),
                    N_("add pairs.csv with the pairs the goals belong to"),
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
                        N_("goal of an unknown pair: {key}").format(key=", ".join(key[bad][:5])),
                        N_("goals must belong to a pair listed in pairs.csv"),
                    )
                )
    if "goal_updates" in tables:
        f = str(folder / "goal_updates.csv")
        known = set(tables["goals"]["goal_id"]) if "goals" in tables else set()
        problems += _unknown_refs(tables["goal_updates"], ["goal_id"], known, f, "goals.csv")
    for name in _survey_names(tables):
        if name in tables:
            f = str(folder / survey_table(name).file)
            refs = [c for c in ("respondent_id", "target_id") if c in tables[name].columns]
            problems += _unknown_refs(tables[name], refs, people, f, N_("person"))
    if "preferences" in tables:
        prefs = tables["preferences"]
        problems += reference_problems(
            prefs,
            str(folder / "preferences.csv"),
            tuple(range(2, len(prefs) + 2)),
            set(tables["mentors"]["mentor_id"]),
            set(tables["mentees"]["mentee_id"]),
        )
    return problems


def _survey_names(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The survey tables among ``tables``: the built-in three in their order, then the others
    by name."""
    built_in = [n for n, t in TABLES.items() if t.file.startswith("surveys/")]
    others = sorted(n for n in tables if n not in FOLDER_TABLES)
    return [n for n in built_in if n in tables] + others


def read_programme(folder: str | Path) -> Programme:
    """Load and validate a programme folder.

    The folder holds ``mentors.csv`` and ``mentees.csv`` and, optionally, ``pairs.csv``,
    ``interactions.csv``, ``goals.csv``, ``goal_updates.csv``, ``surveys/*.csv`` (see
    ``data/samples/README.md``) and ``preferences.csv`` (see
    :mod:`ementor_kit.data.preferences`). Every file is checked, then the references between them
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
                    N_("folder not found"),
                    N_("give the path of a folder holding mentors.csv and mentees.csv"),
                )
            ]
        )
    tables, declared = _read_tables(folder)
    problems = _reference_problems(tables, folder)
    surveys = {name: tables[name] for name in _survey_names(tables)}
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
        preferences=tables.get("preferences"),
    )
