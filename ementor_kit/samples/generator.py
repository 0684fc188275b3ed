"""Synthetic sample programme: a seeded, realistic francophone e-mentoring programme.

The sample is entirely synthetic. It exists so that every notebook, test and tutorial of
ementor-kit has the same realistic data to work on: mentors and mentees from mainland France,
the overseas territories and abroad, a matching, sixteen weeks of exchanges, goals with their
progress updates and three questionnaires. Patterns that analyses should be able to find are
built in on purpose (pairs that never start, pairs that fade, time-zone distance, sync-heavy and
async-heavy pairs, peer ties on the forum, survey scales related to engagement).

:func:`generate_programme` builds a programme in memory (same seed, same programme);
``SAMPLE_PARAMETERS`` are the arguments the bundled sample was generated with.

Time stamps are written with the *sender's* (or respondent's) fixed winter UTC offset from
their profile (``utc_offset``); summer time is not modelled. The instant is what matters: every
time stamp converts to the same UTC instant whatever offset it is written with.

The steps live in private modules of this package, in the order they run: ``_people`` (profiles,
from the constant tables of ``_tables``), ``_pairing`` (the matching heuristic and each pair's
simulation parameters), ``_exchanges`` (messages, calls, group sessions, forum), ``_goals`` and
``_surveys``; this module checks the arguments and assembles the typed tables. The order of the
random draws is part of the output: a refactoring that changes it changes the bundled sample.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._checks import check_whole
from ementor_kit.data import schema
from ementor_kit.data.validation import Programme, validate
from ementor_kit.errors import InvalidArgumentError
from ementor_kit.i18n.language import N_
from ementor_kit.samples._exchanges import (
    log_table,
    realised_engagement,
    simulate_exchanges,
)
from ementor_kit.samples._goals import Row, draw_goals
from ementor_kit.samples._pairing import Pair, draw_pairs, heuristic_pairing, pair_features
from ementor_kit.samples._people import draw_mentees, draw_mentors
from ementor_kit.samples._surveys import draw_surveys

__all__ = ["SAMPLE_PARAMETERS", "generate_programme"]

DEFAULT_SEED = 2026
SAMPLE_PARAMETERS: dict[str, Any] = {
    "n_mentees": 300,
    "n_mentors": 90,
    "weeks": 16,
    "seed": DEFAULT_SEED,
    "start": "2026-09-07",
}


def generate_programme(
    n_mentees: int = 300,
    n_mentors: int = 90,
    weeks: int = 16,
    seed: int = DEFAULT_SEED,
    start: str = "2026-09-07",
) -> Programme:
    """Generate a synthetic francophone e-mentoring programme.

    Parameters
    ----------
    n_mentees, n_mentors : int
        Size of the intake. Mentor capacities (1-4) are topped up so that about 95 % of the
        mentees can be placed; the language and conflict-of-interest rules leave a few more
        unmatched.
    weeks : int
        Length of the mentoring period: each pair is followed for ``weeks`` weeks after its
        matching date.
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same programme.
    start : str
        First day of the programme (a calendar date). Cohort 2026-A is matched in the first
        week, cohort 2026-B in the second.

    Returns
    -------
    Programme
        A :class:`ementor_kit.data.validation.Programme` of validated (typed) tables: ``mentors``,
        ``mentees``, ``pairs``, ``interactions``, ``goals``, ``goal_updates`` and ``surveys``
        (``mentee_t0``, ``mentee_t1``, ``mentor_t1``). Dates are ``datetime64`` at midnight,
        time stamps ``datetime64[ns, UTC]``, list columns tuples of str.

    Examples
    --------
    >>> prog = generate_programme(n_mentees=30, n_mentors=10, weeks=4, seed=1)
    >>> len(prog.mentees), len(prog.mentors)
    (30, 10)
    >>> sorted(prog.surveys)
    ['mentee_t0', 'mentee_t1', 'mentor_t1']
    >>> bool(prog.pairs.merge(prog.mentors, on="mentor_id").groupby("mentor_id").size()
    ...      .le(prog.mentors.set_index("mentor_id")["capacity"]).all())
    True
    """
    tables = _generate_tables(n_mentees, n_mentors, weeks, seed, start)
    return _as_programme(tables)


def _check_int(name: str, value: object, low: int) -> int:
    return int(check_whole(name, value, minimum=low))


def _parse_start(start: object) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(start)
    except (ValueError, TypeError) as exc:
        raise InvalidArgumentError(
            "start",
            start,
            N_("pass a date such as '2026-09-07'"),
            message=N_("{start!r} is not a date").format(start=start),
        ) from exc
    if ts.tzinfo is not None:
        raise InvalidArgumentError(
            "start",
            start,
            N_("pass a plain calendar date such as '2026-09-07'"),
            message=N_("{start!r} has a time zone").format(start=start),
        )
    return ts.normalize()


def _generate_tables(
    n_mentees: object, n_mentors: object, weeks: object, seed: object, start: object
) -> dict[str, pd.DataFrame]:
    """Every table of the programme, typed but not yet validated.

    The steps draw from five independent streams spawned from ``seed`` (people, matching,
    exchanges, goals, surveys), so that changing one step leaves the draws of the others alone.
    """
    n_mentees = _check_int("n_mentees", n_mentees, 1)
    n_mentors = _check_int("n_mentors", n_mentors, 1)
    weeks = _check_int("weeks", weeks, 2)
    seed = _check_int("seed", seed, 0)
    start_ts = _parse_start(start)
    t0 = int(start_ts.value // 10**9)
    r_people, r_match, r_log, r_goal, r_survey = np.random.default_rng(seed).spawn(5)

    taken: set[str] = set()
    mentors = draw_mentors(r_people, n_mentors, n_mentees, taken)
    mentees = draw_mentees(r_people, n_mentees, mentors, taken)
    mentees["_sociability"] = r_people.normal(size=n_mentees)

    feats = pair_features(mentees, mentors)
    matched = heuristic_pairing(r_match, mentees, mentors, feats)
    pairs = draw_pairs(r_match, matched, mentees, mentors, feats, weeks, start_ts.weekday())

    inter = log_table(simulate_exchanges(r_log, pairs, mentees, start_ts, weeks))
    engagement = realised_engagement(inter, pairs, t0)

    as_of_day = max((p.day for p in pairs), default=0) + 7 * weeks
    goals, updates = draw_goals(r_goal, pairs, engagement, mentees, mentors, as_of_day)
    surveys = draw_surveys(r_survey, pairs, engagement, mentees, mentors, t0, weeks)
    return _typed_tables(start_ts, mentors, mentees, pairs, inter, goals, updates, surveys)


def _typed_tables(
    start: pd.Timestamp,
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    pairs: list[Pair],
    inter: pd.DataFrame,
    goals: list[Row],
    updates: list[Row],
    surveys: dict[str, pd.DataFrame],
) -> dict[str, pd.DataFrame]:
    """The generated rows as typed tables (day numbers become dates from ``start``)."""
    pair_df = pd.DataFrame(
        {
            "mentee_id": [p.e for p in pairs],
            "mentor_id": [p.m for p in pairs],
            "matched_on": [p.day for p in pairs],
        }
    )
    goals_df = pd.DataFrame(goals, columns=schema.GOALS.column_names)
    upd_df = pd.DataFrame(updates, columns=schema.GOAL_UPDATES.column_names)
    upd_df = upd_df.sort_values(["goal_id", "updated_on"], kind="stable", ignore_index=True)
    day0 = np.datetime64(start.date(), "D")
    tables = {
        "mentors": _typed(mentors, schema.MENTORS, day0),
        "mentees": _typed(mentees, schema.MENTEES, day0),
        "pairs": _typed(pair_df, schema.PAIRS, day0),
        "interactions": _typed(inter, schema.INTERACTIONS, day0),
        "goals": _typed(goals_df, schema.GOALS, day0),
        "goal_updates": _typed(upd_df, schema.GOAL_UPDATES, day0),
    }
    for name, df in surveys.items():
        tables[name] = _typed(df, schema.TABLES[name], day0)
    return tables


def _typed(df: pd.DataFrame, table: schema.Table, start_day: np.datetime64) -> pd.DataFrame:
    """Cast a generated frame to the typed form (the form validation returns)."""
    out = {}
    for col in table.columns:
        if col.optional and col.name not in df.columns:
            continue  # a column the file may leave out, and the sample does
        s = df[col.name] if col.name in df.columns else pd.Series([None] * len(df), index=df.index)
        if col.kind == "list":
            out[col.name] = pd.Series([tuple(v) for v in s], index=df.index, dtype=object)
        elif col.kind == "int":
            out[col.name] = s.astype("int64")
        elif col.kind == "float":
            out[col.name] = s.astype("float64")
        elif col.kind == "date":
            days = pd.to_numeric(s).to_numpy(dtype=float)  # day numbers since ``start``
            arr = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
            ok = ~np.isnan(days)
            arr[ok] = (start_day + days[ok].astype("int64").astype("timedelta64[D]")).astype(
                "datetime64[ns]"
            )
            out[col.name] = pd.Series(arr, index=df.index)
        elif col.kind == "datetime":
            secs = s.to_numpy(dtype="int64")
            out[col.name] = pd.Series(
                pd.to_datetime(secs, unit="s", utc=True), index=df.index
            ).astype("datetime64[ns, UTC]")
        else:
            out[col.name] = s.astype("str")
    extra = [c for c in df.columns if c not in out and not c.startswith("_")]
    for c in extra:
        out[c] = df[c].astype("Int64")
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def _as_programme(tables: dict[str, pd.DataFrame]) -> Programme:
    """Validate every table (the typed form every module expects) and wrap them.

    An optional table left empty (possible only for tiny programmes) is absent, as it would be
    from a folder: the data contract has no empty tables.
    """
    typed = {name: validate(df, name) for name, df in tables.items() if len(df)}
    return Programme(
        mentors=typed["mentors"],
        mentees=typed["mentees"],
        pairs=typed.get("pairs"),
        interactions=typed.get("interactions"),
        goals=typed.get("goals"),
        goal_updates=typed.get("goal_updates"),
        surveys={k: typed[k] for k in ("mentee_t0", "mentee_t1", "mentor_t1") if k in typed},
    )
