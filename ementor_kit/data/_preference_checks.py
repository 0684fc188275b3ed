"""Checks of ``preferences.csv`` against the people (shared by the reader and ``read_programme``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.errors import Problem
from ementor_kit.i18n.language import N_

__all__ = ["reference_problems"]


def _at(rows: tuple[int, ...], mask: Any) -> tuple[int, ...]:
    return tuple(rows[i] for i in np.flatnonzero(np.asarray(mask, dtype=bool)))


def reference_problems(
    df: pd.DataFrame, file: str, rows: tuple[int, ...], mentors: set[str], mentees: set[str]
) -> list[Problem]:
    """Unknown ids, choices inside one side, ranks given twice by one chooser (when ``df``
    has the typed ``rank`` column)."""
    problems = []
    known = mentors | mentees
    for col in ("chooser_id", "chosen_id"):
        bad = ~df[col].isin(known).to_numpy(dtype=bool)
        if bad.any():
            shown = ", ".join(map(repr, pd.unique(df[col][bad])[:5]))
            problems.append(
                Problem(
                    file,
                    col,
                    _at(rows, bad),
                    N_("unknown id(s) {shown}").format(shown=shown),
                    N_(
                        "use a mentee_id of mentees.csv or a mentor_id of mentors.csv, or "
                        "delete the row"
                    ),
                )
            )
    for side, own in (("mentee", mentees), ("mentor", mentors)):
        same = (df["chooser_id"].isin(own) & df["chosen_id"].isin(own)).to_numpy(dtype=bool)
        if same.any():
            other = N_("mentors") if side == "mentee" else N_("mentees")
            problems.append(
                Problem(
                    file,
                    "chosen_id",
                    _at(rows, same),
                    N_("a {side} ranks a {side} (or themselves)").format(side=side),
                    N_(
                        "a {side} ranks {other}: put the id of a person of the other side, or "
                        "delete the row"
                    ).format(side=side, other=other),
                )
            )
    twice = (
        df.duplicated(["chooser_id", "rank"], keep=False).to_numpy(dtype=bool)
        if "rank" in df.columns
        else np.zeros(len(df), dtype=bool)
    )
    if twice.any():
        shown = ", ".join(
            N_("{a} rank {r}").format(a=a, r=r)
            for a, r in pd.unique(
                pd.Series(list(zip(df["chooser_id"][twice], df["rank"][twice], strict=True)))
            )[:5]
        )
        problems.append(
            Problem(
                file,
                "rank",
                _at(rows, twice),
                N_("the same rank given twice by one chooser ({shown})").format(shown=shown),
                N_(
                    "give each of a person's choices its own rank (1 = first choice, 2 = "
                    "second ...)"
                ),
            )
        )
    return problems
