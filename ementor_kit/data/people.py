"""Read a programme's people with its ``programme.yaml``: typed tables, every problem at once.

:func:`read_people` reads the people files a :class:`~ementor_kit.data.spec.ProgrammeSpec`
declares and types every attribute. Nothing is coerced or dropped silently: one run lists
every problem (missing columns and bad values together), each with the file, the spreadsheet
row, the column and a fix that works (the ``column:`` to set when the file's header differs,
the exact recoding line to add for a label the spec does not know, both rows of a repeated
id).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data._labels import (
    boolean_label,
    fold,
    id_flaw,
    id_text,
    language_code,
    slug,
    split_items,
    timezone_code,
)
from ementor_kit.data._spec_yaml import _scalar
from ementor_kit.data.propose import _match_header
from ementor_kit.data.raw import RawTable, _raw_from_frame, read_raw
from ementor_kit.data.spec import (
    ROLES,
    SPEC_FILE,
    AttributeSpec,
    PeopleFile,
    ProgrammeSpec,
)
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem
from ementor_kit.i18n.language import N_

__all__ = ["People", "read_people"]

# re.ASCII: a digit is 0-9 (Arabic-Indic and other Unicode digits are not read as numbers)
_INTEGER_RE = re.compile(r"^[+-]?\d+$", re.ASCII)
_NUMBER_RE = {
    ".": re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$", re.ASCII),
    ",": re.compile(r"^[+-]?(?:\d+(?:,\d*)?|,\d+)$", re.ASCII),
}


@dataclass(frozen=True, eq=False)
class People:
    """The typed people of a programme (unpacks as ``mentors, mentees``).

    Attributes
    ----------
    mentors, mentees : DataFrame
        One row per person, in file order; one column per attribute (``ignore`` attributes
        left out): ids, names, contacts, categories and text as ``str`` (missing as
        ``NaN``, pandas' ``str`` dtype), ``multi`` and ``language`` as tuples of codes, numbers as ``float64``,
        integers as ``int64`` (``Int64`` with gaps), booleans as ``bool`` (``boolean`` with
        gaps), dates as ``datetime64[ns]``, time zones as IANA names or ``UTC+hh:mm``.
    spec : ProgrammeSpec
        The spec they were read with.
    unused : tuple of (str, str, str)
        ``(file, column, reason)`` of every column not read: ``ignore`` attributes and
        columns the spec does not declare.
    rows : dict of str to tuple of (str, int)
        Per role, the file and spreadsheet row of each person.
    skipped : tuple of (str, int, str)
        ``(file, row, reason)`` of every row and column of the files not read (wholly empty
        rows, columns with neither header nor values; see :attr:`RawTable.skipped`): every
        data row of a file is a person in ``rows`` or here.
    """

    mentors: pd.DataFrame
    mentees: pd.DataFrame
    spec: ProgrammeSpec
    unused: tuple[tuple[str, str, str], ...] = ()
    rows: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    skipped: tuple[tuple[str, int, str], ...] = ()

    def __iter__(self) -> Iterator[pd.DataFrame]:
        yield self.mentors
        yield self.mentees

    def __repr__(self) -> str:
        return f"People({len(self.mentors)} mentors, {len(self.mentees)} mentees)"


@dataclass
class _Part:
    """The rows of one file that belong to one role."""

    raw: RawTable
    positions: list[int]

    @property
    def rows(self) -> list[int]:
        return [self.raw.rows[i] for i in self.positions]


def _problem(
    part: _Part, column: str | None, idx: Sequence[int], message: str, fix: str
) -> Problem:
    return Problem(part.raw.file, column, tuple(part.rows[i] for i in idx), message, fix)


def _key(role: str, a: AttributeSpec) -> str:
    return f"attributes.{role}.{a.name}"


# --------------------------------------------------------------------------- values


def _recoded(a: AttributeSpec, label: str, known: Callable[[str], Any]) -> tuple[bool, Any]:
    """(found, code) of one label: the recoding first, then what the type itself reads."""
    if label in a.recode:
        return a.recode[label] is not None, a.recode[label]
    code = known(label)
    return code is not None, code


def _label_fix(role: str, a: AttributeSpec, label: str) -> str:
    """The exact recoding line to add for an unknown label, with a code guess when one fits."""
    where = N_("under {key}.recode in {SPEC_FILE}").format(key=_key(role, a), SPEC_FILE=SPEC_FILE)
    choices = sorted(set(a.vocabulary or ()) | {c for c in a.recode.values() if isinstance(c, str)})
    same = [a.recode[k] for k in a.recode if fold(k) == fold(label) and a.recode[k] is not None]
    close = difflib.get_close_matches(slug(label), choices, n=1, cutoff=0.75)
    if a.type == "boolean":
        return N_("add the line `{scalar}: true` (or false) {where}").format(
            scalar=_scalar(label), where=where
        )
    if a.type in ("language", "timezone"):
        example = (
            N_("ISO 639 code such as fr, en, rcf, gcf")
            if a.type == "language"
            else (N_("IANA zone such as Europe/Paris, or UTC+01:00"))
        )
        return N_("add the line `{scalar}: CODE` {where} (CODE: an {example})").format(
            scalar=_scalar(label), where=where, example=example
        )
    if same or close:
        code = same[0] if same else close[0]
        return N_("add the line `{scalar}: {scalar2}` {where}").format(
            scalar=_scalar(label), scalar2=_scalar(code), where=where
        )
    code = slug(label) or N_("code")
    text = N_("add the line `{scalar}: {scalar2}` {where}").format(
        scalar=_scalar(label), scalar2=_scalar(code), where=where
    )
    if a.vocabulary is not None:
        text = N_(
            "{text}, and {code} to {key}.vocabulary (or recode it to one of: {vocabulary})"
        ).format(text=text, code=code, key=_key(role, a), vocabulary=", ".join(a.vocabulary))
    return text


def _one_code(a: AttributeSpec) -> Callable[[str], Any]:
    """What a label reads as without a recoding line, per type."""
    vocab = set(a.vocabulary) if a.vocabulary is not None else None
    if a.type == "language":
        return lambda s: (
            c if (c := language_code(s)) is not None and (vocab is None or c in vocab) else None
        )
    if a.type == "timezone":
        return timezone_code
    if a.type == "boolean":
        return boolean_label
    return lambda s: s if vocab is None or s in vocab else None


def _convert_labels(
    a: AttributeSpec, role: str, part: _Part, cells: Sequence[str | None], column: str
) -> tuple[list[Any], list[Problem]]:
    """category, multi, language, boolean, timezone: every label through recode."""
    known = _one_code(a)
    multi = a.type in ("multi", "language")
    out: list[Any] = []
    unknown: dict[str, list[int]] = {}
    done: dict[str, tuple[Any, list[str]]] = {}  # cell -> (value, unknown labels)
    for i, cell in enumerate(cells):
        if cell is None or not cell.strip():
            out.append(() if multi else None)
            continue
        if cell not in done:
            labels = split_items(cell, a.separator) if multi and a.separator else [cell.strip()]
            codes: list[Any] = []
            missing: list[str] = []
            for label in labels:
                found, code = _recoded(a, label, known)
                if found:
                    codes.append(code)
                else:
                    missing.append(label)
            value = tuple(dict.fromkeys(codes)) if multi else (codes[0] if codes else None)
            done[cell] = (value, missing)
        value, missing = done[cell]
        for label in missing:
            unknown.setdefault(label, []).append(i)
        out.append(value)
    what = {"boolean": N_("yes/no answer"), "timezone": N_("time zone"), "language": N_("language")}
    problems = [
        _problem(
            part,
            column,
            idx,
            N_("unknown {get} {label!r} ({key})").format(
                get=what.get(a.type, N_("label")), label=label, key=_key(role, a)
            ),
            _label_fix(role, a, label),
        )
        for label, idx in unknown.items()
    ]
    return out, problems


def _convert_numbers(
    a: AttributeSpec, role: str, part: _Part, cells: Sequence[str | None], column: str
) -> tuple[list[Any], list[Problem]]:
    decimal = a.decimal or "."
    pattern = _INTEGER_RE if a.type == "integer" else _NUMBER_RE[decimal]
    out: list[Any] = []
    bad: dict[str, list[int]] = {}
    low: list[int] = []
    high: list[int] = []
    for i, cell in enumerate(cells):
        if cell is None or not cell.strip():
            out.append(None)
            continue
        text = cell.strip().replace("\u202f", "").replace("\xa0", "")
        if text in a.recode and a.recode[text] is not None:
            value = float(a.recode[text])
        elif pattern.match(text):
            value = float(text.replace(",", ".")) if a.type == "number" else float(int(text))
        else:
            bad.setdefault(cell.strip(), []).append(i)
            out.append(None)
            continue
        if a.min is not None and value < a.min:
            low.append(i)
        if a.max is not None and value > a.max:
            high.append(i)
        out.append(value)
    problems = []
    word = N_("whole number") if a.type == "integer" else N_("number")
    for text, idx in bad.items():
        hint = (
            N_("write it as a {word} ({what})").format(
                word=word, what="2" if a.type == "integer" else "1" + decimal + "5"
            )
            if a.type == "integer" or decimal not in text
            else ""
        )
        if a.type == "number" and not hint:
            hint = N_("write it as a number")
        other = "," if decimal == "." else "."
        if a.type == "number" and other in text and pattern.match(text.replace(other, decimal)):
            hint = N_(
                "this value uses {other!r} but {key}.decimal is {decimal!r}: write "
                "{replace}, or set decimal: {scalar} if the whole column uses it"
            ).format(
                other=other,
                key=_key(role, a),
                decimal=decimal,
                replace=text.replace(other, decimal),
                scalar=_scalar(other),
            )
        problems.append(
            _problem(
                part,
                column,
                idx,
                N_("not a {word}: {text!r} ({key})").format(
                    word=word, text=text, key=_key(role, a)
                ),
                N_("{hint}, or add `{scalar}: NUMBER` under {key}.recode").format(
                    hint=hint, scalar=_scalar(text), key=_key(role, a)
                ),
            )
        )
    unit = f" {a.unit}" if a.unit else ""
    for idx, bound, message in (
        (low, a.min, N_("value(s) {shown} below the minimum {bound:g}{unit} ({key})")),
        (high, a.max, N_("value(s) {shown} above the maximum {bound:g}{unit} ({key})")),
    ):
        if idx:
            shown = ", ".join(sorted({(cells[i] or "").strip() for i in idx})[:5])
            problems.append(
                _problem(
                    part,
                    column,
                    idx,
                    message.format(shown=shown, bound=bound, unit=unit, key=_key(role, a)),
                    N_("correct the value, or change {key}.{what} in {SPEC_FILE}").format(
                        key=_key(role, a),
                        what=N_("min") if bound == a.min else N_("max"),
                        SPEC_FILE=SPEC_FILE,
                    ),
                )
            )
    return out, problems


def _convert_dates(
    a: AttributeSpec, role: str, part: _Part, cells: Sequence[str | None], column: str
) -> tuple[list[Any], list[Problem]]:
    out: list[Any] = []
    bad: dict[str, list[int]] = {}
    for i, cell in enumerate(cells):
        if cell is None or not cell.strip():
            out.append(None)
            continue
        text = cell.strip()
        value = None
        for fmt in ([a.format] if a.format else []) + ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S"]:
            try:
                value = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if value is None:
            bad.setdefault(text, []).append(i)
        out.append(value)
    fmt = a.format or "YYYY-MM-DD"
    problems = [
        _problem(
            part,
            column,
            idx,
            N_("not a date: {text!r} ({key})").format(text=text, key=_key(role, a)),
            N_("write it as {fmt}, or set {key}.format (e.g. %d/%m/%Y)").format(
                fmt=fmt, key=_key(role, a)
            ),
        )
        for text, idx in bad.items()
    ]
    return out, problems


def _convert(
    a: AttributeSpec, role: str, part: _Part, cells: Sequence[str | None], column: str
) -> tuple[list[Any], list[Problem]]:
    """The typed values of one attribute in one part, and the problems found."""
    if a.type in ("category", "multi", "language", "boolean", "timezone"):
        return _convert_labels(a, role, part, cells, column)
    if a.type in ("number", "integer"):
        return _convert_numbers(a, role, part, cells, column)
    if a.type == "date":
        return _convert_dates(a, role, part, cells, column)
    if a.type == "text":
        return [c if c is not None and c.strip() else None for c in cells], []
    if a.type == "id":
        return _convert_ids(a, role, part, cells, column)
    return [c.strip() if c is not None and c.strip() else None for c in cells], []


def _convert_ids(
    a: AttributeSpec, role: str, part: _Part, cells: Sequence[str | None], column: str
) -> tuple[list[Any], list[Problem]]:
    """Ids stripped, in Unicode NFC; unless declared ``free``, printable text only."""
    values = [id_text(c.strip()) if c is not None and c.strip() else None for c in cells]
    if a.free:
        return values, []
    flaws: dict[str, list[int]] = {}
    for i, v in enumerate(values):
        flaw = None if v is None else id_flaw(v)
        if flaw is not None:
            flaws.setdefault(flaw, []).append(i)
    problems = [
        _problem(
            part,
            column,
            idx,
            f"id {values[idx[0]]!r} {flaw} ({_key(role, a)})",
            N_(
                "retype the id (it prints like another one), or set free: true under "
                "{key} in {SPEC_FILE} to take ids as written"
            ).format(key=_key(role, a), SPEC_FILE=SPEC_FILE),
        )
        for flaw, idx in flaws.items()
    ]
    return values, problems


def _series(a: AttributeSpec, values: list[Any]) -> pd.Series:
    """One typed column from its values (all parts together)."""
    gaps = any(v is None for v in values)
    if a.type == "number":
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if a.type == "integer":
        if gaps:
            return pd.Series([pd.NA if v is None else int(v) for v in values], dtype="Int64")
        return pd.Series([int(v) for v in values], dtype="int64")
    if a.type == "boolean":
        return pd.Series(values, dtype="boolean" if gaps else "bool")
    if a.type == "date":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    if a.type in ("multi", "language"):
        return pd.Series(values, dtype=object)  # tuples of codes
    return pd.Series(values, dtype="str")  # as the sample's own tables: missing is NaN


# --------------------------------------------------------------------------- columns


def _missing_column_fix(
    role: str, a: AttributeSpec, headers: Sequence[str], taken: set[str]
) -> str:
    """The ``column:`` to set when the file's header differs from the declared one."""
    free = [h for h in headers if h not in taken]
    same = [h for h in free if fold(h) == fold(a.column)]
    synonym = [
        h
        for h in free
        if (m := _match_header(h, role)) is not None and m[0] == a.name and m[2] >= 0.6
    ]
    close = difflib.get_close_matches(fold(a.column), [fold(h) for h in free], n=1, cutoff=0.75)
    close_h = [h for h in free if close and fold(h) == close[0]]
    for candidates in (same, synonym, close_h):
        if candidates:
            return N_(
                "the file has the column {candidates!r}: set `column: {scalar}` under "
                "{key} in {SPEC_FILE}"
            ).format(
                candidates=candidates[0],
                scalar=_scalar(candidates[0]),
                key=_key(role, a),
                SPEC_FILE=SPEC_FILE,
            )
    return N_(
        "add the column {column!r} to the file, or set {key}.column to the "
        "header that holds it, or remove {key} from {SPEC_FILE}"
    ).format(column=a.column, key=_key(role, a), SPEC_FILE=SPEC_FILE)


def _read_attribute(
    a: AttributeSpec, role: str, parts: Sequence[_Part], problems: list[Problem]
) -> pd.Series | None:
    values: list[Any] = []
    for part in parts:
        headers = list(part.raw.frame.columns)
        column = (
            a.column
            if a.column in headers
            else next((h for h in headers if h.strip() == a.column.strip()), None)
        )
        if column is None:
            problems.append(
                Problem(
                    part.raw.file,
                    a.column,
                    (),
                    N_("column not found ({key})").format(key=_key(role, a)),
                    _missing_column_fix(role, a, headers, set()),
                )
            )
            return None
        col = part.raw.frame[column]
        data = col.to_numpy()
        cells = [data[i] for i in part.positions]
        typed, found = _convert(a, role, part, cells, column)
        empty = [i for i, c in enumerate(cells) if c is None or not c.strip()]
        if a.required and empty:
            found.insert(
                0,
                _problem(
                    part,
                    column,
                    empty,
                    N_("required value is empty ({key})").format(key=_key(role, a)),
                    N_("fill it in, or set required: false under {key}").format(key=_key(role, a)),
                ),
            )
        problems += found
        values += typed
    return _series(a, values)


def _duplicate_ids(
    ids: pd.Series, owners: Sequence[tuple[str, int]], column: str, role: str
) -> list[Problem]:
    where: dict[str, list[tuple[str, int]]] = {}
    for value, owner in zip(ids, owners, strict=True):
        if value is not None:
            where.setdefault(value, []).append(owner)
    problems = []
    for value, places in where.items():
        if len(places) > 1:
            files = sorted({f for f, _ in places})
            shown = " and ".join(
                N_("row {r} of {file}").format(r=r, file=f)
                if len(files) > 1
                else N_("row {r}").format(r=r)
                for f, r in places
            )
            problems.append(
                Problem(
                    places[0][0],
                    column,
                    tuple(r for _, r in places),
                    N_("id {value!r} appears {n} times ({shown})").format(
                        value=value, n=len(places), shown=shown
                    ),
                    N_(
                        "ids must be unique: give each person their own id, or delete the "
                        "repeated response"
                    ),
                )
            )
    return problems


# --------------------------------------------------------------------------- files


def _load(spec: ProgrammeSpec, f: PeopleFile, override: object) -> RawTable:
    if isinstance(override, pd.DataFrame):
        return _raw_from_frame(override, f.path)
    if isinstance(override, (str, Path)):
        return read_raw(override)
    if override is not None:
        raise ArgumentTypeError(
            f.role or "mentors", override, N_("pass a file path or a DataFrame")
        )
    return read_raw(spec.path_of(f), sheet=f.sheet, encoding=f.encoding, separator=f.separator)


def _split_roles(
    raw: RawTable, f: PeopleFile, i: int
) -> tuple[dict[str, list[int]], list[Problem]]:
    """Row positions of each role in a file with a role column."""
    positions: dict[str, list[int]] = {r: [] for r in ROLES}
    if f.role is not None:
        positions[f.role] = list(range(len(raw.frame)))
        return positions, []
    assert f.role_column is not None  # checked by ProgrammeSpec
    if f.role_column not in raw.frame.columns:
        return positions, [
            Problem(
                raw.file,
                f.role_column,
                (),
                N_("role column not found"),
                N_(
                    "set people[{i}].role_column to the header that tells mentors from mentees"
                ).format(i=i),
            )
        ]
    unknown: dict[str, list[int]] = {}
    for pos, cell in enumerate(raw.frame[f.role_column]):
        label = "" if cell is None else cell.strip()
        role = f.roles.get(label)
        if role is None:
            unknown.setdefault(label, []).append(raw.rows[pos])
        else:
            positions[role].append(pos)
    problems = [
        Problem(
            raw.file,
            f.role_column,
            tuple(rows),
            N_("role {label!r} is neither mentors nor mentees").format(label=label)
            if label
            else N_("no role given"),
            N_(
                "add the line `{scalar}: mentors` (or mentees) under people[{i}].roles "
                "in {SPEC_FILE}"
            ).format(scalar=_scalar(label), i=i, SPEC_FILE=SPEC_FILE)
            if label
            else N_("fill in the role"),
        )
        for label, rows in unknown.items()
    ]
    return positions, problems


def _spec_of(source: object) -> ProgrammeSpec:
    if isinstance(source, ProgrammeSpec):
        return source
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            path = path / SPEC_FILE
        return ProgrammeSpec.from_yaml(path)
    raise ArgumentTypeError(
        "source",
        source,
        N_("pass a programme folder (with {SPEC_FILE}), its path, or a ProgrammeSpec").format(
            SPEC_FILE=SPEC_FILE
        ),
    )


def read_people(source, *, mentors=None, mentees=None) -> People:
    """Read and type the people of a programme with its ``programme.yaml``.

    Parameters
    ----------
    source : str, Path or ProgrammeSpec
        A programme folder holding ``programme.yaml``, the path of the YAML file, or a spec.
    mentors, mentees : str, Path or DataFrame, optional
        Read these instead of the file the spec names for that role (a spec with one file
        per role only).

    Returns
    -------
    People
        ``mentors`` and ``mentees`` typed tables (attribute names as columns), the spec, the
        columns not used and the spreadsheet row of each person.

    Raises
    ------
    DataValidationError
        Every problem of every file at once: unreadable files, missing columns (with the
        ``column:`` to set when a header matches), empty required values, unknown labels (with
        the recoding line to add), values that are not numbers or dates, values out of range,
        repeated ids (naming every row).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> folder = ek.example_intake()
    >>> mentors, mentees = ek.read_people(folder)
    >>> mentees.loc[0, "mentee_id"], mentees.loc[0, "languages"], mentees.loc[0, "domain"]
    ('stu-0042', ('fr', 'en'), 'sante')
    >>> mentees["availability_hours"].tolist()[:4]
    [1.5, 2.0, 1.0, 0.5]
    >>> mentors["capacity"].dtype, mentors["languages"].iloc[0]
    (dtype('int64'), ('fr', 'rcf'))
    """
    spec = _spec_of(source)
    overrides = {"mentors": mentors, "mentees": mentees}
    problems: list[Problem] = []
    parts: dict[str, list[_Part]] = {r: [] for r in ROLES}
    unused: list[tuple[str, str, str]] = []
    skipped: list[tuple[str, int, str]] = []
    for i, f in enumerate(spec.files):
        override = overrides.get(f.role) if f.role is not None else None
        if f.role is None and (mentors is not None or mentees is not None):
            raise ArgumentTypeError(
                "mentors", mentors, N_("a spec with one file for both roles reads only that file")
            )
        try:
            raw = _load(spec, f, override)
        except DataValidationError as exc:
            problems += exc.problems
            continue
        skipped += [(raw.file, row, reason) for row, reason in raw.skipped]
        positions, found = _split_roles(raw, f, i)
        problems += found
        declared = {f.role_column}
        for role in ROLES:
            if f.serves(role):
                parts[role].append(_Part(raw, positions[role]))
                for a in spec.attributes(role):
                    declared.add(a.column)
                    if not a.used:
                        unused.append((raw.file, a.column, a.reason or "type: ignore"))
        unused += [
            (raw.file, h, f"not declared in {SPEC_FILE}")
            for h in raw.frame.columns
            if h not in declared
        ]
    tables: dict[str, pd.DataFrame] = {}
    rows_of: dict[str, tuple[tuple[str, int], ...]] = {}
    for role in ROLES:
        columns = {}
        for a in spec.attributes(role):
            if a.used:
                series = _read_attribute(a, role, parts[role], problems)
                if series is not None:
                    columns[a.name] = series
        owners = [(p.raw.file, r) for p in parts[role] for r in p.rows]
        id_attr = next(a for a in spec.attributes(role) if a.type == "id")
        if id_attr.name in columns:
            problems += _duplicate_ids(columns[id_attr.name], owners, id_attr.column, role)
        tables[role] = pd.DataFrame(columns, index=pd.RangeIndex(len(owners)))
        rows_of[role] = tuple(owners)
    if problems:
        raise DataValidationError(problems)
    return People(
        mentors=tables["mentors"],
        mentees=tables["mentees"],
        spec=spec,
        unused=tuple(dict.fromkeys(unused)),
        rows=rows_of,
        skipped=tuple(skipped),
    )
