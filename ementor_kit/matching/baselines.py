"""Baseline pairings to compare the optimiser with: greedy, random and stable.

All three use the same scores and hard rules as :func:`ementor_kit.matching.match`, honour
required pairs and capacities, and return a :class:`~ementor_kit.matching.result.MatchResult`
(``proven_optimal`` is False and ``gap`` NaN: they are heuristics). Group quotas are not
enforced by the baselines.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data.preferences import Preferences, read_preferences
from ementor_kit.matching.preferences import preference_orders
from ementor_kit.matching.result import MatchResult, _build_result, _check_required
from ementor_kit.matching.rules import MatchRules
from ementor_kit.matching.scores import _score_matrix, _Scores

__all__ = ["greedy", "random_pairing", "stable_pairing"]

RulesLike = MatchRules | Mapping[str, Any] | str | Path | None


def _start(mentors: pd.DataFrame, mentees: pd.DataFrame, rules: RulesLike):
    t0 = time.perf_counter()
    sc = _score_matrix(mentors, mentees, rules)
    fixed = _check_required(sc)
    cap_left = sc.capacity.copy()
    for j in fixed.values():
        cap_left[j] -= 1
    free = np.ones(len(sc.mentee_ids), dtype=bool)
    free[list(fixed)] = False
    return t0, sc, fixed, cap_left, free


def _finish(
    sc: _Scores,
    fixed: dict[int, int],
    pairs: dict[int, int],
    name: str,
    t0: float,
    options: dict[str, Any],
) -> MatchResult:
    allp = {**pairs, **fixed}
    rows = np.array(sorted(allp), dtype=np.int64)
    cols = np.array([allp[i] for i in rows], dtype=np.int64)
    t1 = time.perf_counter()
    res = _build_result(
        sc,
        rows,
        cols,
        objective=name,
        solver=name,
        status="heuristic",
        proven_optimal=False,
        gap=float("nan"),
        timings={},
        options={"baseline": name, **options},
    )
    object.__setattr__(res, "timings", {"total": time.perf_counter() - t0, "solve": t1 - t0})
    return res


def greedy(mentors: pd.DataFrame, mentees: pd.DataFrame, rules: RulesLike = None) -> MatchResult:
    """Take feasible pairs from the highest score down while both sides have room.

    Ties are taken in (mentee_id, mentor_id) order.

    Parameters
    ----------
    mentors, mentees : DataFrame
        Profile tables (raw or validated), see :mod:`ementor_kit.data.schema`.
    rules : MatchRules, dict, YAML path or text, optional
        Scores and hard rules, as for :func:`~ementor_kit.matching.match`; defaults to
        ``MatchRules()``. Group quotas are not enforced.

    Returns
    -------
    MatchResult
        The greedy pairing (``solver == "greedy"``, ``proven_optimal`` False).

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> greedy(*example_profiles()).pairs[["mentee_id", "mentor_id"]]
      mentee_id mentor_id
    0      E001      M001
    1      E002      M002
    """
    t0, sc, fixed, cap_left, free = _start(mentors, mentees, rules)
    feasible = (sc.excluded == 0) & free[:, None]
    r, c = np.nonzero(feasible)
    order = np.lexsort((c, r, -sc.score[r, c]))
    pairs: dict[int, int] = {}
    for i, j in zip(r[order].tolist(), c[order].tolist(), strict=True):
        if i not in pairs and cap_left[j] > 0:
            pairs[i] = j
            cap_left[j] -= 1
    return _finish(sc, fixed, pairs, "greedy", t0, {})


def random_pairing(
    mentors: pd.DataFrame, mentees: pd.DataFrame, rules: RulesLike = None, *, seed: int = 0
) -> MatchResult:
    """Mentees in random order each take a random feasible mentor with room (seeded).

    Parameters
    ----------
    mentors, mentees : DataFrame
        Profile tables (raw or validated), see :mod:`ementor_kit.data.schema`.
    rules : MatchRules, dict, YAML path or text, optional
        Scores and hard rules, as for :func:`~ementor_kit.matching.match`; defaults to
        ``MatchRules()``. Group quotas are not enforced.
    seed : int, default 0
        Seed of the random order and choices: the same seed gives the same pairing.

    Returns
    -------
    MatchResult
        The random pairing (``solver == "random"``, ``proven_optimal`` False).

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> r = random_pairing(*example_profiles(), seed=1)
    >>> r.solver, len(r.pairs) <= 2
    ('random', True)
    """
    t0, sc, fixed, cap_left, free = _start(mentors, mentees, rules)
    rng = np.random.default_rng(seed)
    feasible = sc.excluded == 0
    pairs: dict[int, int] = {}
    for i in rng.permutation(np.flatnonzero(free)).tolist():
        options = np.flatnonzero(feasible[i] & (cap_left > 0))
        if len(options):
            j = int(options[rng.integers(len(options))])
            pairs[i] = j
            cap_left[j] -= 1
    return _finish(sc, fixed, pairs, "random", t0, {"seed": seed})


def stable_pairing(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: RulesLike = None,
    *,
    preferences: Any = None,
    unranked: str = "score",
) -> MatchResult:
    """Mentee-proposing deferred acceptance with capacities (Gale-Shapley / hospitals-residents).

    Without ``preferences``, mentees rank feasible mentors by score (then mentor id); mentors
    rank mentees by the same score (then mentee id) and hold their best proposals up to
    capacity. With ``preferences`` (the two sides' declared ranks, ``preferences.csv``) each
    side's order is its declared ranking, then (``unranked="score"``) the feasible people it did
    not rank by score, equal scores by id; a person who ranked nobody orders everybody feasible
    by score (:func:`~ementor_kit.matching.preferences.preference_orders`). Only feasible pairs
    are ever formed, and required pairs are kept (their places are taken first). The result is
    stable for these strict orders (no blocking pair in the sense of
    :func:`~ementor_kit.matching.audit.audit` given the same ``preferences``) and is the best
    stable pairing for every mentee (Gale and Shapley 1962; Roth and Peranson 1999).

    Parameters
    ----------
    mentors, mentees : DataFrame
        Profile tables (raw or validated), see :mod:`ementor_kit.data.schema`.
    rules : MatchRules, dict, YAML path or text, optional
        Scores and hard rules, as for :func:`~ementor_kit.matching.match`; defaults to
        ``MatchRules()``. Group quotas are not enforced.
    preferences : Preferences, path or DataFrame, optional
        The declared ranks (:func:`~ementor_kit.read_preferences`). ``None``: the scores.
    unranked : {"score", "refuse"}
        With ``preferences``: people a chooser did not rank come after the ranked ones by score
        (``score``), or are not acceptable to that chooser (``refuse``).

    Returns
    -------
    MatchResult
        The mentee-optimal stable pairing (``solver == "stable"``, ``proven_optimal`` False).

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> stable_pairing(*example_profiles()).pairs[["mentee_id", "mentor_id"]]
      mentee_id mentor_id
    0      E001      M001
    1      E002      M002

    With declared ranks (E001 wants M002 first; it shares no language with M002, so that pair
    is not feasible and E001 keeps M001):

    >>> ranks = pd.DataFrame({"chooser_id": ["E001", "E002"], "chosen_id": ["M002", "M001"],
    ...                       "rank": [1, 1]})
    >>> r = stable_pairing(*example_profiles(), preferences=ranks)
    >>> r.pairs[["mentee_id", "mentor_id"]]
      mentee_id mentor_id
    0      E001      M001
    1      E002      M001
    """
    if preferences is not None:
        return _stable_declared(mentors, mentees, rules, preferences, unranked)
    t0, sc, fixed, cap_left, free = _start(mentors, mentees, rules)
    feasible = sc.excluded == 0
    n, m = sc.score.shape
    prefs = {}
    for i in np.flatnonzero(free).tolist():
        js = np.flatnonzero(feasible[i])
        prefs[i] = js[np.lexsort((js, -sc.score[i, js]))].tolist()
    nxt = dict.fromkeys(prefs, 0)
    held: list[list[tuple[float, int]]] = [[] for _ in range(m)]  # min-heap: worst first
    queue = sorted(prefs)
    while queue:
        i = queue.pop()
        while nxt[i] < len(prefs[i]):
            j = prefs[i][nxt[i]]
            nxt[i] += 1
            if cap_left[j] <= 0:
                continue
            key = (float(sc.score[i, j]), -i)  # higher score, then lower id, is better
            if len(held[j]) < cap_left[j]:
                heapq.heappush(held[j], key)
                break
            if key > held[j][0]:
                _, worst = heapq.heapreplace(held[j], key)
                queue.append(-worst)
                break
    pairs = {-k[1]: j for j in range(m) for k in held[j]}
    return _finish(sc, fixed, pairs, "stable", t0, {})


def _stable_declared(
    mentors: pd.DataFrame, mentees: pd.DataFrame, rules: RulesLike, preferences: Any, unranked: str
) -> MatchResult:
    """Deferred acceptance on the orders of :func:`preference_orders` (mentees propose)."""
    t0, sc, fixed, cap_left, free = _start(mentors, mentees, rules)
    prefs = (
        preferences
        if isinstance(preferences, Preferences)
        else read_preferences(preferences, sc.mentor_ids, sc.mentee_ids)
    )
    e_place, m_place = preference_orders(
        prefs, list(sc.mentee_ids), list(sc.mentor_ids), sc.score, sc.excluded == 0, unranked
    )
    n, m = sc.score.shape
    lists = {}
    for i in np.flatnonzero(free).tolist():
        ok = np.flatnonzero((e_place[i] >= 0) & (m_place[i] >= 0))
        lists[i] = ok[np.argsort(e_place[i, ok], kind="stable")].tolist()
    nxt = dict.fromkeys(lists, 0)
    held: list[list[tuple[int, int]]] = [[] for _ in range(m)]  # min-heap: worst first
    queue = sorted(lists, reverse=True)
    while queue:
        i = queue.pop()
        while nxt[i] < len(lists[i]):
            j = lists[i][nxt[i]]
            nxt[i] += 1
            if cap_left[j] <= 0:
                continue
            key = (-int(m_place[i, j]), i)  # a smaller place in the mentor's order is better
            if len(held[j]) < cap_left[j]:
                heapq.heappush(held[j], key)
                break
            if key[0] > held[j][0][0]:
                _, worst = heapq.heapreplace(held[j], key)
                queue.append(worst)
                break
    pairs = {k[1]: j for j in range(m) for k in held[j]}
    return _finish(
        sc, fixed, pairs, "stable", t0, {"preferences": prefs.file, "unranked": unranked}
    )
