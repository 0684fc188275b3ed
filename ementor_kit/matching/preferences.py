"""Criteria and hard rules over tables of pairs: declared ranks and shared weekly hours.

``preference`` [``file``, ``sides``]
    The value of a pair from the declared ranks (``preferences.csv``,
    :mod:`ementor_kit.data.preferences`). A chooser who ranked ``k`` people gives their
    ``p``-th choice ``(k + 1 - p) / k`` (first choice 1, last ``1 / k``) and anybody they did not
    rank 0; ranks are read as an order (``1, 2, 5`` are positions 1, 2, 3). ``sides``: ``mentee``
    (default, the mentee's ranking of the mentor), ``mentor`` (the mentor's ranking of the
    mentee) or ``both`` (the mean of the two).
``top_k`` [``file``, ``k`` = 3] (hard rule)
    A mentee who ranked anybody is only paired with one of their ``k`` first choices; a mentee
    who ranked nobody is not constrained.
``shared_slots`` [``file``, ``weekly_hours`` = H, ``weeks``]
    ``min(1, h / H)`` where ``h`` is the number of hours both are free in a real week
    (``availability.csv``, :func:`~ementor_kit.matching.slots.shared_weekly_hours`: each weekly
    pattern in its person's local time, summer time of each zone applied), the smallest over
    the weeks holding the dates ``weeks`` (default one winter week; give a winter and a summer
    date to count the weeks when France and Québec have changed on different dates). The
    attribute named holds each person's time zone (IANA zone, ``UTC+hh:mm`` or a UTC offset in
    hours).
``require_shared_slots`` [``file``, ``weekly_hours`` = H, ``weeks``] (hard rule)
    Excludes the pairs with ``h < H``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data.preferences import Preferences, read_preferences
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.matching.criteria import Criterion, HardRule
from ementor_kit.matching.slots import (
    Availability,
    PersonAvailability,
    read_availability,
)

__all__ = [
    "TABLE_CRITERION_KINDS",
    "UNRANKED",
    "pair_values",
    "preference_orders",
    "rule_allows",
    "shared_hours_matrix",
]

TABLE_CRITERION_KINDS = ("preference", "shared_slots")
"""Criterion kinds computed here, from a table of pairs."""


def _load_preferences(source: Any, mentees: pd.DataFrame, mentors: pd.DataFrame) -> Preferences:
    return read_preferences(source, mentors["mentor_id"], mentees["mentee_id"])


def _zone(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        minutes = int(round(float(value) * 60))
        sign = "+" if minutes >= 0 else "-"
        return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return str(value).strip()


def _load_availability(
    source: Any, rule: Criterion | HardRule, mentees: pd.DataFrame, mentors: pd.DataFrame
) -> Availability:
    if isinstance(source, Availability):
        return source
    e_attr = rule.mentee if isinstance(rule, Criterion) else rule.mentee[0]
    m_attr = rule.mentor if isinstance(rule, Criterion) else rule.mentor[0]
    zones: dict[str, str] = {}
    for df, key, attr in ((mentees, "mentee_id", e_attr), (mentors, "mentor_id", m_attr)):
        for pid, value in zip(df[key], df[attr], strict=True):
            z = _zone(value)
            if z is not None:
                zones[str(pid)] = z
    if not isinstance(source, (str, Path, pd.DataFrame)):
        raise DataValidationError(
            [
                Problem(
                    "rules",
                    f"{rule.name}.file",
                    (),
                    N_("{source!r} is not a file").format(source=source),
                    N_("give the path of availability.csv or what read_availability returned"),
                )
            ]
        )
    return read_availability(source, zones)


def _weeks(params: Mapping[str, Any]) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in params["weeks"]]


def _week_instants(p: PersonAvailability, monday: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Free periods of one real week (UTC seconds, clipped to Monday-Monday UTC), as
    :func:`~ementor_kit.matching.slots.shared_weekly_hours` computes them."""
    lo = int(dt.datetime.combine(monday, dt.time(), dt.UTC).timestamp())
    hi = lo + 7 * 86400
    s, e = p.instants(monday - dt.timedelta(days=1), monday + dt.timedelta(days=7))
    return np.clip(s, lo, hi), np.clip(e, lo, hi)


def _people(av: Availability) -> dict[str, PersonAvailability]:
    """Every person with free periods (what ``av.of`` gives, read in one pass)."""
    t = av.table
    out: dict[str, list[tuple[int, int, int]]] = {}
    for pid, w, a, b in zip(t["person_id"], t["weekday"], t["start"], t["end"], strict=True):
        out.setdefault(str(pid), []).append((int(w), int(a), int(b)))
    return {k: PersonAvailability(k, av.zones[k], tuple(v)) for k, v in out.items()}


def _minute_grid(
    people: Mapping[str, PersonAvailability], ids: Any, monday: dt.date, lo: int
) -> np.ndarray:
    """Each person's free minutes of one real week (Monday 00:00 UTC on), as 0/1 rows.

    Every period starts and ends on a whole minute: local times are whole minutes and the
    zones' offsets since 1972 are too, so counting minutes is exact.
    """
    grid = np.zeros((len(ids), 7 * 1440), dtype=np.float32)
    for r, pid in enumerate(ids):
        p = people.get(pid)
        if p is None:
            continue
        starts, ends = _week_instants(p, monday)
        for a, b in zip(((starts - lo) // 60).tolist(), ((ends - lo) // 60).tolist(), strict=True):
            grid[r, a:b] = 1.0
    return grid


def shared_hours_matrix(
    av: Availability, mentee_ids: Any, mentor_ids: Any, weeks: list[dt.date]
) -> np.ndarray:
    """Hours each (mentee, mentor) pair is free together, the smallest over the weeks.

    Parameters
    ----------
    av : Availability
        What :func:`~ementor_kit.matching.slots.read_availability` returned.
    mentee_ids, mentor_ids : sequence of str
        Rows and columns.
    weeks : list of date
        Any day of each week considered.

    Returns
    -------
    ndarray
        ``(len(mentee_ids), len(mentor_ids))`` hours; 0 for people without availability.

    Examples
    --------
    >>> import datetime as dt
    >>> table = pd.DataFrame({"person_id": ["E1", "M1"], "weekday": [3, 3],
    ...                       "start": ["16:00", "19:00"], "end": ["18:00", "22:00"]})
    >>> av = read_availability(table, {"E1": "Europe/Paris", "M1": "Indian/Reunion"})
    >>> shared_hours_matrix(av, ["E1"], ["M1"], [dt.date(2027, 1, 13), dt.date(2027, 7, 14)])
    array([[1.]])
    """
    people = _people(av)
    out = np.full((len(mentee_ids), len(mentor_ids)), np.inf)
    for day in weeks:
        monday = day - dt.timedelta(days=day.isoweekday() - 1)
        lo = int(dt.datetime.combine(monday, dt.time(), dt.UTC).timestamp())
        e_free = _minute_grid(people, mentee_ids, monday, lo)
        m_free = _minute_grid(people, mentor_ids, monday, lo)
        # free minutes in common: exact in float32 (at most 10,080 minutes a week)
        week = (e_free @ m_free.T).astype(np.float64) / 60.0
        out = np.minimum(out, week)
    return np.where(np.isfinite(out), out, 0.0)


def _rank_values(prefs: Preferences, side: str, e_ids: Any, m_ids: Any) -> np.ndarray:
    pos, k = prefs.positions(side, e_ids, m_ids)
    k = k[:, None] if side == "mentee" else k[None, :]
    value = np.divide(k + 1 - pos, k, out=np.zeros(pos.shape), where=(pos > 0) & (k > 0))
    return np.where(pos > 0, value, 0.0)


def pair_values(c: Criterion, mentees: pd.DataFrame, mentors: pd.DataFrame) -> np.ndarray:
    """Value in [0, 1] of a ``preference`` or ``shared_slots`` criterion for every pair.

    Parameters
    ----------
    c : Criterion
        A criterion of a kind of :data:`TABLE_CRITERION_KINDS`.
    mentees, mentors : DataFrame
        The people, sorted by id (rows and columns of the result).

    Returns
    -------
    ndarray
        ``(n_mentees, n_mentors)`` float64; the formulas are in the module documentation.

    Examples
    --------
    >>> tees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
    >>> tors = pd.DataFrame({"mentor_id": ["M1", "M2"]})
    >>> ranks = pd.DataFrame({"chooser_id": ["E1", "E1", "M2"], "chosen_id": ["M2", "M1", "E1"],
    ...                       "rank": [1, 2, 1]})
    >>> c = Criterion("preference", "preference", "mentee_id", "mentor_id",
    ...               params={"file": read_preferences(ranks, tors, tees), "sides": "both"})
    >>> pair_values(c, tees, tors)
    array([[0.25, 1.  ],
           [0.  , 0.  ]])
    """
    e_ids = [str(x) for x in mentees["mentee_id"]]
    m_ids = [str(x) for x in mentors["mentor_id"]]
    if c.kind == "preference":
        prefs = _load_preferences(c.params["file"], mentees, mentors)
        sides = c.params.get("sides", "mentee")
        if sides == "both":
            return (
                _rank_values(prefs, "mentee", e_ids, m_ids)
                + _rank_values(prefs, "mentor", e_ids, m_ids)
            ) / 2.0
        return _rank_values(prefs, sides, e_ids, m_ids)
    if c.kind == "shared_slots":
        av = _load_availability(c.params["file"], c, mentees, mentors)
        hours = shared_hours_matrix(av, e_ids, m_ids, _weeks(c.params))
        return np.minimum(hours / float(c.params["weekly_hours"]), 1.0)
    raise AssertionError(f"no formula for criterion kind {c.kind!r}")


def rule_allows(r: HardRule, mentees: pd.DataFrame, mentors: pd.DataFrame) -> np.ndarray:
    """Which pairs a ``top_k`` or ``require_shared_slots`` rule allows.

    Parameters
    ----------
    r : HardRule
        A rule of a kind of :data:`~ementor_kit.matching.criteria.TABLE_RULE_KINDS`.
    mentees, mentors : DataFrame
        The people, sorted by id.

    Returns
    -------
    ndarray of bool
        ``(n_mentees, n_mentors)``, True where the rule lets the pair be formed.

    Examples
    --------
    >>> tees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
    >>> tors = pd.DataFrame({"mentor_id": ["M1", "M2", "M3"]})
    >>> ranks = pd.DataFrame({"chooser_id": ["E1", "E1"], "chosen_id": ["M3", "M1"],
    ...                       "rank": [1, 2]})
    >>> r = HardRule("top_k", "top_k", ("mentee_id",), ("mentor_id",),
    ...              {"file": read_preferences(ranks, tors, tees), "k": 1})
    >>> rule_allows(r, tees, tors)
    array([[False, False,  True],
           [ True,  True,  True]])
    """
    e_ids = [str(x) for x in mentees["mentee_id"]]
    m_ids = [str(x) for x in mentors["mentor_id"]]
    if r.kind == "top_k":
        prefs = _load_preferences(r.params["file"], mentees, mentors)
        pos, k = prefs.positions("mentee", e_ids, m_ids)
        return (k[:, None] == 0) | ((pos > 0) & (pos <= int(r.params["k"])))
    if r.kind == "require_shared_slots":
        av = _load_availability(r.params["file"], r, mentees, mentors)
        hours = shared_hours_matrix(av, e_ids, m_ids, _weeks(r.params))
        return hours >= float(r.params["weekly_hours"]) - 1e-9
    raise AssertionError(f"no rule for kind {r.kind!r}")


# --------------------------------------------------------------------------- strict orders

UNRANKED = ("score", "refuse")
"""How :func:`preference_orders` treats people a chooser did not rank: ``score``, after the
ranked ones by score; ``refuse``, not at all (a chooser who ranked nobody accepts everybody
feasible, by score)."""


def preference_orders(
    prefs: Preferences,
    mentee_ids: Any,
    mentor_ids: Any,
    score: np.ndarray,
    feasible: np.ndarray,
    unranked: str = "score",
) -> tuple[np.ndarray, np.ndarray]:
    """Both sides' strict orders over the feasible pairs, from the declared ranks.

    The stated tie rule: a chooser's ranked people come first, in their order; then (with
    ``unranked="score"``) the other feasible people by decreasing score, equal scores by id
    (rows and columns are in id order). A chooser who ranked nobody orders every feasible
    person that way.

    Parameters
    ----------
    prefs : Preferences
        The declared ranks.
    mentee_ids, mentor_ids : sequence of str
        Rows and columns (in id order).
    score, feasible : ndarray
        ``(n_mentees, n_mentors)`` scores and feasibility.
    unranked : {"score", "refuse"}
        See :data:`UNRANKED`.

    Returns
    -------
    (ndarray, ndarray)
        ``(n_mentees, n_mentors)`` int64: the place (0 = best) of each mentor in the mentee's
        order, and of each mentee in the mentor's order; ``-1`` where not acceptable.

    Examples
    --------
    >>> ranks = pd.DataFrame({"chooser_id": ["E1"], "chosen_id": ["M2"], "rank": [1]})
    >>> prefs = read_preferences(ranks, ["M1", "M2"], ["E1"])
    >>> score, ok = np.array([[80.0, 20.0]]), np.ones((1, 2), dtype=bool)
    >>> [a.tolist() for a in preference_orders(prefs, ["E1"], ["M1", "M2"], score, ok)]
    [[[1, 0]], [[0, 0]]]
    """
    if unranked not in UNRANKED:
        raise InvalidArgumentError("unranked", unranked, N_("use 'score' or 'refuse'"))
    out = []
    for side in ("mentee", "mentor"):
        pos, k = prefs.positions(side, mentee_ids, mentor_ids)
        s, ok, p = (score, feasible, pos) if side == "mentee" else (score.T, feasible.T, pos.T)
        places = np.full(s.shape, -1, dtype=np.int64)
        for a in range(s.shape[0]):
            cand = np.flatnonzero(ok[a])
            if k[a] > 0 and unranked == "refuse":
                cand = cand[p[a, cand] > 0]
            ranked = p[a, cand] > 0
            order = np.lexsort((cand, -s[a, cand], np.where(ranked, p[a, cand], 0), ~ranked))
            places[a, cand[order]] = np.arange(len(cand))
        out.append(places if side == "mentee" else places.T)
    return out[0], out[1]
