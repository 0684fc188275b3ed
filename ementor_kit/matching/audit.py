"""Audit of a pairing: stability, envy, service per group, mentor load.

Preferences are read from the pair scores: a mentee prefers a mentor with a higher score, a
mentor prefers a mentee with a higher score. Only strict improvements count.

A pair (mentee ``e``, mentor ``m``) that is feasible and not formed is *blocking* when ``e`` is
unpaired or scores strictly higher with ``m`` than with their mentor, and ``m`` has a free
place or scores strictly higher with ``e`` than with one of their mentees that is not held by a
required pair. A mentee *envies* when a feasible mentor who is paired with somebody else would
give them a strictly higher score than their own pair (any such mentor, for an unpaired mentee).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

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


def audit(result: MatchResult) -> MatchAudit:
    """Stability (blocking pairs), envy, per-group coverage and score, mentor load.

    Parameters
    ----------
    result : MatchResult
        A pairing made by :func:`~ementor_kit.matching.match` (or a baseline).

    Returns
    -------
    MatchAudit
        The blocking pairs, the counts of blocking pairs and envious mentees, coverage and
        scores per group, and each mentor's load.

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
    mentee_wants = sc.score > own[:, None]
    mentor_wants = has_room[None, :] | (sc.score > worst[None, :])
    not_own = np.arange(m)[None, :] != mentor_of[:, None]
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
    others = (load[None, :] - (mentor_of[:, None] == np.arange(m)[None, :])) > 0
    envious = (feasible & not_own & others & mentee_wants).any(axis=1)

    if "group" in sc.mentees.columns:
        g = sc.mentees["group"].astype(object).where(sc.mentees["group"].notna(), NOT_DECLARED)
    else:  # a declared programme without groups
        g = pd.Series(NOT_DECLARED, index=sc.mentees.index, dtype=object)
    frame = pd.DataFrame(
        {
            "group": g.astype(str).to_numpy(),
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
    return MatchAudit(blocking_pairs, int(blocking.sum()), int(envious.sum()), groups, mentor_load)
