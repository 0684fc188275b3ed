"""Read ``preferences.csv``: who ranks whom, either side, checked against the people.

``preferences.csv`` (optional in a programme folder) has one row per choice:

``chooser_id``
    Who ranks: a ``mentee_id`` of ``mentees.csv`` or a ``mentor_id`` of ``mentors.csv``.
``chosen_id``
    Who is ranked: a person of the *other* side (mentees rank mentors, mentors rank mentees).
``rank``
    ``1`` for the first choice, ``2`` for the second ... A person's ranks are read as an order:
    they must differ, but need not be consecutive (``1, 2, 5`` is a first, second and third
    choice).

Either side may rank and nobody has to; a person may rank any number of people. Nothing is
dropped silently: every problem of the file is reported at once, each with the file, the
spreadsheet row, the column and the fix: a missing or unexpected column, an empty value, a rank
that is not a whole number >= 1, an unknown id, a person ranking somebody of their own side (or
themselves), the same person ranked twice by one chooser, the same rank given twice by one
chooser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data._preference_checks import reference_problems
from ementor_kit.data.raw import read_raw
from ementor_kit.data.schema import PREFERENCES
from ementor_kit.data.validation import validate
from ementor_kit.errors import ArgumentTypeError, DataValidationError
from ementor_kit.i18n.language import N_

__all__ = ["Preferences", "read_preferences"]

COLUMNS = PREFERENCES.column_names
SIDES = ("mentee", "mentor")


@dataclass(frozen=True, eq=False)
class Preferences:
    """The declared rankings of a programme, both sides, checked against its people.

    Attributes
    ----------
    table : DataFrame
        ``chooser_id, chosen_id, rank, side, position``: one row per choice, sorted by side,
        chooser and rank; ``side`` is the chooser's side (``mentee`` or ``mentor``) and
        ``position`` the choice's place in the chooser's order (1 = first choice, consecutive).
    file : str
        Where the rankings were read from (named in messages).

    Examples
    --------
    >>> prefs = read_preferences(
    ...     pd.DataFrame({"chooser_id": ["E1", "E1", "M1"], "chosen_id": ["M2", "M1", "E1"],
    ...                   "rank": [1, 3, 1]}), ["M1", "M2"], ["E1", "E2"])
    >>> prefs.order("E1"), prefs.order("E2"), prefs.order("M1")
    (('M2', 'M1'), (), ('E1',))
    """

    table: pd.DataFrame
    file: str = "preferences.csv"

    def __repr__(self) -> str:
        n = self.table.groupby("side")["chooser_id"].nunique().to_dict()
        return (
            f"Preferences({len(self.table)} choices: {n.get('mentee', 0)} mentees and "
            f"{n.get('mentor', 0)} mentors rank, from {self.file})"
        )

    def order(self, chooser_id: str) -> tuple[str, ...]:
        """Whom one person ranked, best first (empty when they ranked nobody).

        Parameters
        ----------
        chooser_id : str
            A mentee or mentor id.

        Returns
        -------
        tuple of str
            The ids they ranked, first choice first.

        Examples
        --------
        >>> prefs = read_preferences(pd.DataFrame({"chooser_id": ["E1"], "chosen_id": ["M1"],
        ...                                        "rank": [2]}), ["M1"], ["E1"])
        >>> prefs.order("E1")
        ('M1',)
        """
        rows = self.table[self.table["chooser_id"] == chooser_id]
        return tuple(rows["chosen_id"])

    def positions(
        self, side: str, mentee_ids: Iterable[str], mentor_ids: Iterable[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Place of every pair in one side's orders, as a (mentees x mentors) matrix.

        Parameters
        ----------
        side : {"mentee", "mentor"}
            Whose rankings.
        mentee_ids, mentor_ids : iterable of str
            Rows and columns of the matrix.

        Returns
        -------
        (ndarray, ndarray)
            ``position`` (int64, 1 = first choice, 0 = not ranked) and ``length`` (int64,
            how many people each chooser ranked: per mentee row for ``mentee``, per mentor
            column for ``mentor``).

        Examples
        --------
        >>> prefs = read_preferences(pd.DataFrame({"chooser_id": ["E1", "E1"],
        ...                                        "chosen_id": ["M2", "M1"],
        ...                                        "rank": [1, 2]}), ["M1", "M2"], ["E1"])
        >>> pos, k = prefs.positions("mentee", ["E1"], ["M1", "M2"])
        >>> pos.tolist(), k.tolist()
        ([[2, 1]], [2])
        """
        if side not in SIDES:
            raise ArgumentTypeError("side", side, N_("pass 'mentee' or 'mentor'"))
        e_pos = {k: i for i, k in enumerate(mentee_ids)}
        m_pos = {k: j for j, k in enumerate(mentor_ids)}
        out = np.zeros((len(e_pos), len(m_pos)), dtype=np.int64)
        rows = self.table[self.table["side"] == side]
        chooser, chosen = (e_pos, m_pos) if side == "mentee" else (m_pos, e_pos)
        length = np.zeros(len(chooser), dtype=np.int64)
        for a, b, p in zip(rows["chooser_id"], rows["chosen_id"], rows["position"], strict=True):
            if a in chooser and b in chosen:
                i, j = (chooser[a], chosen[b]) if side == "mentee" else (chosen[b], chooser[a])
                out[i, j] = int(p)
                length[chooser[a]] += 1
        return out, length


def _ids(people: Any, key: str, argument: str) -> set[str]:
    if isinstance(people, pd.DataFrame):
        if key not in people.columns:
            raise ArgumentTypeError(
                argument, people, N_("pass a table with a {key} column").format(key=key)
            )
        return {str(v) for v in people[key] if not pd.isna(v)}
    if isinstance(people, (str, bytes)) or not isinstance(people, Iterable):
        raise ArgumentTypeError(
            argument,
            people,
            N_("pass the {argument} table or a list of ids").format(argument=argument),
        )
    return {str(v) for v in people}


def _raw(source: Any) -> tuple[pd.DataFrame, str, tuple[int, ...]]:
    """The table as text, its name for messages and the spreadsheet row of each row."""
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        text = frame.astype(object).where(frame.notna(), "").map(str)
        return text, "preferences table", tuple(range(2, len(frame) + 2))
    if isinstance(source, (str, Path)):
        raw = read_raw(source)
        return raw.frame.fillna(""), Path(source).name, raw.rows
    raise ArgumentTypeError(
        "preferences", source, N_("pass the path of preferences.csv or its table (a DataFrame)")
    )


def read_preferences(source: Any, mentors: Any, mentees: Any) -> Preferences:
    """Read ``preferences.csv`` (or its table) and check it against the people.

    Parameters
    ----------
    source : str, Path, DataFrame or Preferences
        The file (``chooser_id, chosen_id, rank``; see the module documentation), its table,
        or rankings already read (checked again against these people).
    mentors, mentees : DataFrame or iterable of str
        The people tables (their ``mentor_id`` / ``mentee_id`` columns), or their ids.

    Returns
    -------
    Preferences
        Every choice, with the chooser's side and the place of the choice in their order.

    Raises
    ------
    DataValidationError
        Every problem at once, each with file, rows, column and fix (see the module
        documentation).

    Examples
    --------
    >>> table = pd.DataFrame({"chooser_id": ["E1", "E1", "M1"], "chosen_id": ["M1", "M2", "E2"],
    ...                       "rank": ["1", "2", "1"]})
    >>> read_preferences(table, ["M1", "M2"], ["E1", "E2"]).table
      chooser_id chosen_id  rank    side  position
    0         E1        M1     1  mentee         1
    1         E1        M2     2  mentee         2
    2         M1        E2     1  mentor         1
    >>> read_preferences(table.assign(rank=["1", "1", "1"]), ["M1", "M2"], ["E1", "E2"])
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - preferences table, rows 2, 3, column 'rank': the same rank given twice by one chooser (E1 rank 1). Fix: give each of a person's choices its own rank (1 = first choice, 2 = second ...)
    """
    mentor_ids = _ids(mentors, "mentor_id", "mentors")
    mentee_ids = _ids(mentees, "mentee_id", "mentees")
    if isinstance(source, Preferences):
        frame, file = source.table[list(COLUMNS)], source.file
        rows = tuple(range(2, len(frame) + 2))
    else:
        frame, file, rows = _raw(source)
    if len(frame) == 0 and set(COLUMNS) <= set(map(str, frame.columns)):
        typed = pd.DataFrame({c: pd.Series([], dtype="str") for c in COLUMNS[:2]})
        typed["rank"] = pd.Series([], dtype="int64")
    else:
        try:
            typed = validate(frame, PREFERENCES, file=file)
        except DataValidationError as exc:  # validate numbers rows 2, 3 ...: the file's rows
            found = [replace(p, rows=tuple(rows[r - 2] for r in p.rows)) for p in exc.problems]
            if set(COLUMNS[:2]) <= set(map(str, frame.columns)):  # the ids, as written
                ids = frame[list(COLUMNS[:2])].apply(lambda s: s.str.strip())
                found += reference_problems(ids, file, rows, mentor_ids, mentee_ids)
            raise DataValidationError(found) from None
    typed = typed.astype({"rank": "int64"})
    problems = reference_problems(typed, file, rows, mentor_ids, mentee_ids)
    if problems:
        raise DataValidationError(problems)
    side = np.where(typed["chooser_id"].isin(mentee_ids), "mentee", "mentor")
    out = typed.assign(side=pd.array(side, dtype="str"))
    out = out.sort_values(["side", "chooser_id", "rank"], kind="stable").reset_index(drop=True)
    out["position"] = (out.groupby("chooser_id").cumcount() + 1).astype("int64")
    return Preferences(out, file)
