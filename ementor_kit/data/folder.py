"""Write a programme folder exactly per the data contract (byte-identical for the same input).

:func:`write_programme` is the inverse of :func:`~ementor_kit.data.validation.read_programme`:
every table is validated, then written with contract file names, schema column order and a fixed
number and time-stamp format.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data import schema
from ementor_kit.data._preference_checks import reference_problems
from ementor_kit.data.validation import Programme, validate
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem, UnknownNameError
from ementor_kit.i18n.language import N_

__all__ = ["programme_tables", "write_programme"]


def programme_tables(programme: Programme | Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The tables of a programme by contract name, survey tables at top level.

    Parameters
    ----------
    programme : Programme or dict of DataFrame
        A dict may hold the survey tables under ``"surveys"`` or at top level.

    Returns
    -------
    dict of str to DataFrame
        Absent (``None``) tables are left out.

    Raises
    ------
    ArgumentTypeError
        When ``programme`` is neither.
    UnknownNameError
        When it names a table the contract does not have.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> sorted(ek.programme_tables(ek.load_sample()))[:3]
    ['goal_updates', 'goals', 'interactions']
    """
    if isinstance(programme, Mapping):
        items = dict(programme)
        items.update(items.pop("surveys", None) or {})
    elif isinstance(programme, Programme):
        items = {
            n: getattr(programme, n)
            for n in (
                "mentors",
                "mentees",
                "pairs",
                "interactions",
                "goals",
                "goal_updates",
                "preferences",
            )
        }
        items.update(programme.surveys or {})
    else:
        raise ArgumentTypeError(
            "programme",
            programme,
            N_(
                "pass generate_programme(...), read_programme(folder) or {'mentors': "
                "df, 'mentees': df, ...}"
            ),
        )
    unknown = sorted(
        n
        for n in set(items) - set(schema.FOLDER_TABLES)
        if not (isinstance(n, str) and re.match(schema.SURVEY_FILE_PATTERN, n))
    )
    if unknown:
        raise UnknownNameError(
            "programme",
            unknown,
            N_(
                "use the table names of ementor_kit.data.schema.FOLDER_TABLES: "
                "{FOLDER_TABLES}, or a survey file name (mentee_t2, pulse_p30, "
                "closure: see ementor_kit.data.schema.survey_table)"
            ).format(FOLDER_TABLES=", ".join(schema.FOLDER_TABLES)),
            message=N_("Unknown table(s) {unknown}").format(unknown=unknown),
        )
    return {k: v for k, v in items.items() if v is not None}


def _spec(name: str) -> schema.Table:
    """The table called ``name``: one of ``FOLDER_TABLES`` or a survey file of any wave."""
    return schema.FOLDER_TABLES.get(name) or schema.survey_table(name)


def _fmt_float(x) -> str:
    """Fixed number format: up to 6 decimals, no trailing zeros (2.5, 45, -4)."""
    if x is None or pd.isna(x):
        return ""
    s = f"{float(x):.6f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def _fmt_offset(hours: float) -> str:
    minutes = int(round(hours * 60))
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _fmt_datetime(values: pd.Series, offsets: np.ndarray) -> list[str]:
    """ISO 8601 to the second, written at each row's UTC offset (hours)."""
    naive = values.dt.tz_convert("UTC").dt.tz_localize(None)
    mask = naive.isna().to_numpy()
    secs = naive.to_numpy(dtype="datetime64[s]").astype("int64")
    shifted = np.where(mask, 0, secs + np.round(offsets * 3600).astype("int64"))
    text = np.datetime_as_string(shifted.astype("datetime64[s]"), unit="s")
    return [
        "" if m else f"{t}{_fmt_offset(o)}" for t, o, m in zip(text, offsets, mask, strict=True)
    ]


def _format_column(series: pd.Series, kind: str, offsets: np.ndarray) -> list[str]:
    """Text of one validated column."""
    if kind == "datetime":
        return _fmt_datetime(series, offsets)
    if kind == "date":
        return ["" if pd.isna(v) else v.strftime("%Y-%m-%d") for v in series]
    if kind == "list":
        return [schema.LIST_SEP.join(v) for v in series]
    if kind == "float":
        return [_fmt_float(v) for v in series]
    if kind == "int":
        return ["" if pd.isna(v) else str(int(v)) for v in series]
    return ["" if pd.isna(v) else str(v) for v in series]


def write_programme(programme: Programme | Mapping[str, Any], folder: str | Path) -> list[Path]:
    """Write a programme folder exactly per :mod:`ementor_kit.data.schema`.

    Every table is validated first (a :class:`~ementor_kit.errors.DataValidationError` names
    the file, rows, column and fix), then written: file names from
    ``schema.TABLES[name].file``, columns in schema order (survey item columns after the meta
    columns, in their order), list columns joined with ``;``, numbers in a fixed format
    (``2.5``, ``45``, ``-4``; up to 6 decimals), UTF-8 with ``\\n`` line endings. The same
    programme always gives byte-identical files.

    Time stamps are written with the UTC offset of the sender (interactions) or respondent
    (surveys) taken from their profile's ``utc_offset``; people without a profile get
    ``+00:00``. The instant does not change, only how it is written.

    Parameters
    ----------
    programme : Programme or dict of DataFrame
        The tables, typed or raw. A dict may hold the survey tables under ``"surveys"`` or at
        top level.
    folder : str or Path
        Destination folder; created if needed. Files of the same names are replaced, other
        files are left alone.

    Returns
    -------
    list of Path
        The files written, in schema order.

    Examples
    --------
    >>> import tempfile
    >>> import ementor_kit as ek
    >>> prog = ek.generate_programme(n_mentees=20, n_mentors=8, weeks=3, seed=7)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_programme(prog, tmp)
    ...     header = files[0].read_text(encoding="utf-8").splitlines()[0]
    >>> [f.name for f in files][:3]
    ['mentors.csv', 'mentees.csv', 'pairs.csv']
    >>> header.split(",")[:4]
    ['mentor_id', 'display_name', 'languages', 'region']
    """
    tables = programme_tables(programme)
    for required in ("mentors", "mentees"):
        if required not in tables:
            raise DataValidationError(
                [
                    Problem(
                        schema.TABLES[required].file,
                        None,
                        (),
                        N_("The programme has no {required} table").format(required=required),
                        N_("add {file}; every programme folder needs mentors and mentees").format(
                            file=schema.TABLES[required].file
                        ),
                    )
                ]
            )
    specs = {name: _spec(name) for name in [*schema.FOLDER_TABLES, *sorted(tables)]}
    typed = {name: validate(df, specs[name]) for name, df in tables.items()}
    if "preferences" in typed:
        prefs = typed["preferences"]
        found = reference_problems(
            prefs,
            schema.PREFERENCES.file,
            tuple(range(2, len(prefs) + 2)),
            set(typed["mentors"]["mentor_id"]),
            set(typed["mentees"]["mentee_id"]),
        )
        if found:
            raise DataValidationError(found)
    offsets = dict(zip(typed["mentors"]["mentor_id"], typed["mentors"]["utc_offset"], strict=True))
    offsets.update(zip(typed["mentees"]["mentee_id"], typed["mentees"]["utc_offset"], strict=True))
    folder = Path(folder)
    written = []
    for name, table in specs.items():  # the contract's tables, then the other survey files
        if name not in typed:
            continue
        df = typed[name]
        who = "sender_id" if name == "interactions" else "respondent_id"
        offs = np.array(
            [offsets.get(p, 0.0) for p in df[who]] if who in df.columns else np.zeros(len(df)),
            dtype=float,
        )
        kinds = {c.name: c.kind for c in table.columns}
        names = list(df.columns)  # validate puts contract columns first, in schema order
        data = [_format_column(df[c], kinds.get(c, "int"), offs) for c in names]
        path = folder / table.file
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(names)
            writer.writerows(zip(*data, strict=True))
        written.append(path)
    return written
