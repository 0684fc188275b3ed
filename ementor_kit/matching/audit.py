"""Audit of a pairing: stability, envy, service per group, mentor load.

Preferences are read from the pair scores: a mentee prefers a mentor with a higher score, a
mentor prefers a mentee with a higher score. Only strict improvements count.

A pair (mentee ``e``, mentor ``m``) that is feasible and not formed is *blocking* when ``e`` is
unpaired or scores strictly higher with ``m`` than with their mentor, and ``m`` has a free
place or scores strictly higher with ``e`` than with one of their mentees that is not held by a
required pair. A mentee *envies* when a feasible mentor who is paired with somebody else would
give them a strictly higher score than their own pair (any such mentor, for an unpaired mentee).

Declared ranks
--------------
With ``preferences`` (``preferences.csv``, :func:`~ementor_kit.read_preferences`) "prefers"
follows each side's strict order of
:func:`~ementor_kit.matching.preferences.preference_orders`: the people it ranked first, in
their order, then (``unranked="score"``) the other feasible people by score, equal scores by id;
a partner outside that order (``unranked="refuse"``) is worse than any acceptable one. Blocking
pairs and envy are then counted under these orders, and ``rank_of_assignment`` tells, per group
of mentees, the share who got their 1st, 2nd, 3rd choice, a later one, a mentor they did not
rank, a mentor while ranking nobody, and no mentor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data.preferences import Preferences, read_preferences
from ementor_kit.matching.preferences import preference_orders
from ementor_kit.matching.result import NOT_DECLARED, MatchResult

__all__ = ["MatchAudit", "audit"]


@dataclass(frozen=True, eq=False)
class MatchAudit:
    """What :func:`audit` found.

    Attributes
    ----------
    blocking_pairs : DataFrame
        ``mentee_id, mentor_id, score, mentee_current, mentor_worst``: every blocking pair
        (``mentee_current`` NaN for an unpaired mentee, ``mentor_worst`` NaN when the mentor
        has a free place).
    n_blocking_pairs, n_envious_mentees : int
    groups : DataFrame
        Per value of the mentees' ``group`` column and ``(all)``: ``n_mentees, n_paired,
        coverage, score_mean, score_min``.
    mentor_load : DataFrame
        ``mentor_id, capacity, load, spare, utilisation, score_mean``.
    rank_of_assignment : DataFrame or None
        With ``preferences``: per value of the mentees' ``group`` column and ``(all)``,
        ``n_mentees``, ``n_ranking`` (mentees who ranked anybody), then the shares of the
        mentees (adding up to 1) who got their ``first``, ``second``, ``third`` or a ``later``
        choice, a mentor they did not rank (``unranked``), a mentor while ranking nobody
        (``no_ranking``), no mentor (``unpaired``). ``None`` without preferences.

    Examples
    --------
    >>> from ementor_kit.matching import match
    >>> from ementor_kit.datasets import example_profiles
    >>> a = audit(match(*example_profiles()))
    >>> a.n_blocking_pairs, len(a.blocking_pairs)
    (0, 0)
    >>> a.groups.columns.tolist()
    ['group', 'n_mentees', 'n_paired', 'coverage', 'score_mean', 'score_min']
    """

    blocking_pairs: pd.DataFrame
    n_blocking_pairs: int
    n_envious_mentees: int
    groups: pd.DataFrame
    mentor_load: pd.DataFrame
    rank_of_assignment: pd.DataFrame | None = None


RANK_CATEGORIES = ("first", "second", "third", "later", "unranked", "no_ranking", "unpaired")
"""Columns of :attr:`MatchAudit.rank_of_assignment` after the counts."""


def _group_labels(sc: Any) -> np.ndarray:
    if "group" in sc.mentees.columns:
        g = sc.mentees["group"].astype(object).where(sc.mentees["group"].notna(), NOT_DECLARED)
    else:  # a declared programme without groups
        g = pd.Series(NOT_DECLARED, index=sc.mentees.index, dtype=object)
    return g.astype(str).to_numpy()


def _rank_table(prefs: Preferences, sc: Any, mentor_of: np.ndarray) -> pd.DataFrame:
    """Share of the mentees per rank of their mentor in their own ranking, per group."""
    pos, k = prefs.positions("mentee", list(sc.mentee_ids), list(sc.mentor_ids))
    n = len(mentor_of)
    place = np.where(mentor_of >= 0, pos[np.arange(n), np.maximum(mentor_of, 0)], 0)
    category = np.select(
        [mentor_of < 0, k == 0, place == 0, place == 1, place == 2, place == 3],
        ["unpaired", "no_ranking", "unranked", "first", "second", "third"],
        "later",
    )
    frame = pd.DataFrame({"group": _group_labels(sc), "category": category, "ranking": k > 0})
    rows = []
    for name, part in pd.concat([frame.assign(group="(all)"), frame]).groupby("group", sort=True):
        counts = part["category"].value_counts()
        shares = {c: float(counts.get(c, 0)) / len(part) for c in RANK_CATEGORIES}
        rows.append(
            {
                "group": name,
                "n_mentees": len(part),
                "n_ranking": int(part["ranking"].sum()),
                **shares,
            }
        )
    out = pd.DataFrame(rows)
    out["group"] = out["group"].astype("str")
    return out


def audit(result: MatchResult, *, preferences: Any = None, unranked: str = "score") -> MatchAudit:
    """Stability (blocking pairs), envy, per-group coverage and score, mentor load.

    Parameters
    ----------
    result : MatchResult
        A pairing made by :func:`~ementor_kit.matching.match` (or a baseline).
    preferences : Preferences, path or DataFrame, optional
        The declared ranks: blocking pairs and envy follow them, and the rank of assignment
        is reported (see the module documentation). ``None``: the scores.
    unranked : {"score", "refuse"}
        With ``preferences``: people a chooser did not rank come after the ranked ones by
        score, or are not acceptable to them (as for
        :func:`~ementor_kit.matching.stable_pairing`).

    Returns
    -------
    MatchAudit
        The blocking pairs, the counts of blocking pairs and envious mentees, coverage and
        scores per group, each mentor's load, and the rank of assignment with preferences.

    Examples
    --------
    >>> from ementor_kit.matching import match
    >>> from ementor_kit.datasets import example_profiles
    >>> a = audit(match(*example_profiles()))
    >>> a.n_blocking_pairs, a.n_envious_mentees
    (0, 0)
    >>> a.mentor_load[["mentor_id", "capacity", "load"]]
      mentor_id  capacity  load
    0      M001         2     1
    1      M002         1     1

    Under declared ranks (E002 ranks M001 first, M001 ranks E002 first and has room):

    >>> ranks = pd.DataFrame({"chooser_id": ["E002", "M001"], "chosen_id": ["M001", "E002"],
    ...                       "rank": [1, 1]})
    >>> a = audit(match(*example_profiles()), preferences=ranks)
    >>> a.blocking_pairs[["mentee_id", "mentor_id", "mentee_rank", "mentor_rank"]]
      mentee_id mentor_id  mentee_rank  mentor_rank
    0      E002      M001            1            1
    >>> a.rank_of_assignment[["group", "n_ranking", "unranked", "no_ranking"]]
       group  n_ranking  unranked  no_ranking
    0  (all)          1       0.5         0.5
    ...
    """
    sc = result._scores
    rows, cols = result._rows, result._cols
    assert sc is not None and rows is not None and cols is not None
    n, m = sc.score.shape
    feasible = sc.excluded == 0
    own = np.full(n, -np.inf)
    own[rows] = sc.score[rows, cols]
    mentor_of = np.full(n, -1)
    mentor_of[rows] = cols
    load = np.bincount(cols, minlength=m)
    required = np.zeros(n, dtype=bool)
    for i, j in sc.required.items():
        required[i] = mentor_of[i] == j
    worst = np.full(m, np.inf)  # mentor's worst mentee that could be replaced
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if not required[i]:
            worst[j] = min(worst[j], sc.score[i, j])
    has_room = load < sc.capacity
    not_own = np.arange(m)[None, :] != mentor_of[:, None]
    prefs = None
    if preferences is None:
        mentee_wants = sc.score > own[:, None]
        mentor_wants = has_room[None, :] | (sc.score > worst[None, :])
    else:
        prefs = (
            preferences
            if isinstance(preferences, Preferences)
            else read_preferences(preferences, sc.mentor_ids, sc.mentee_ids)
        )
        mentee_wants, mentor_wants, feasible = _declared_wants(
            prefs, sc, rows, cols, mentor_of, required, has_room, feasible, unranked
        )
    blocking = feasible & not_own & mentee_wants & mentor_wants
    bi, bj = np.nonzero(blocking)
    blocking_pairs = pd.DataFrame(
        {
            "mentee_id": pd.array(sc.mentee_ids[bi], dtype="str"),
            "mentor_id": pd.array(sc.mentor_ids[bj], dtype="str"),
            "score": sc.score[bi, bj],
            "mentee_current": np.where(np.isfinite(own[bi]), own[bi], np.nan),
            "mentor_worst": np.where(has_room[bj], np.nan, worst[bj]),
        }
    )
    if prefs is not None:
        for side in ("mentee", "mentor"):
            pos, _ = prefs.positions(side, list(sc.mentee_ids), list(sc.mentor_ids))
            p = pos[bi, bj]
            ranks = pd.array(p, dtype="Int64")
            ranks[p == 0] = pd.NA  # not ranked
            blocking_pairs[f"{side}_rank"] = ranks
    others = (load[None, :] - (mentor_of[:, None] == np.arange(m)[None, :])) > 0
    envious = (feasible & not_own & others & mentee_wants).any(axis=1)

    frame = pd.DataFrame(
        {
            "group": _group_labels(sc),
            "paired": mentor_of >= 0,
            "score": np.where(mentor_of >= 0, own, np.nan),
        }
    )
    parts = [frame.assign(group="(all)"), frame]
    groups = (
        pd.concat(parts)
        .groupby("group", sort=True)
        .agg(
            n_mentees=("paired", "size"),
            n_paired=("paired", "sum"),
            score_mean=("score", "mean"),
            score_min=("score", "min"),
        )
        .reset_index()
    )
    groups.insert(3, "coverage", groups["n_paired"] / groups["n_mentees"])
    groups["group"] = groups["group"].astype("str")
    sums = np.bincount(cols, weights=sc.score[rows, cols], minlength=m)
    mentor_load = pd.DataFrame(
        {
            "mentor_id": pd.array(sc.mentor_ids, dtype="str"),
            "capacity": sc.capacity.astype(np.int64),
            "load": load.astype(np.int64),
            "spare": (sc.capacity - load).astype(np.int64),
            "utilisation": np.divide(
                load, sc.capacity, out=np.full(m, np.nan), where=sc.capacity > 0
            ),
            "score_mean": np.divide(sums, load, out=np.full(m, np.nan), where=load > 0),
        }
    )
    ranks = _rank_table(prefs, sc, mentor_of) if prefs is not None else None
    return MatchAudit(
        blocking_pairs, int(blocking.sum()), int(envious.sum()), groups, mentor_load, ranks
    )


def _declared_wants(prefs, sc, rows, cols, mentor_of, required, has_room, feasible, unranked):
    """Who strictly prefers whom under the declared orders: (mentee wants, mentor wants,
    acceptable to both), each ``(n_mentees, n_mentors)``."""
    e_place, m_place = preference_orders(
        prefs, list(sc.mentee_ids), list(sc.mentor_ids), sc.score, feasible, unranked
    )
    n, m = e_place.shape
    worst_level = n + m + 1  # an unacceptable partner, or none, is worse than any acceptable
    ep = np.where(e_place >= 0, e_place, worst_level)
    mp = np.where(m_place >= 0, m_place, worst_level)
    own_place = np.full(n, worst_level)
    own_place[rows] = ep[rows, cols]
    worst = np.full(m, -1)  # the mentor's worst mentee that could be replaced
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if not required[i]:
            worst[j] = max(worst[j], mp[i, j])
    mentee_wants = ep < own_place[:, None]
    mentor_wants = has_room[None, :] | (mp < worst[None, :])
    return mentee_wants, mentor_wants, (e_place >= 0) & (m_place >= 0)
