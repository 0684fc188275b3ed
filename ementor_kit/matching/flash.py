"""Flash (speed) mentoring: each mentee meets several mentors in short one-off sessions.

A flash event (Chronus one-time sessions, a speed-mentoring evening, booked conversations
with professionals) is run in rounds: in each round a mentor sees at most ``per_round``
mentees and a mentee sees one mentor; across the event a mentee meets up to ``meetings``
*different* mentors. :func:`flash_sessions` chooses who meets whom and in which round:

1. **Which meetings.** Among the pairs no hard rule excludes, it chooses the set of meetings
   with, first, the largest number of meetings and then, among those, the largest total score
   (scores and hard rules of :func:`~ementor_kit.matching.score_pairs`). Each mentee takes part
   in at most ``meetings`` of them, each mentor in at most ``rounds * per_round`` (and
   ``mentor_limit`` when given). It is a bipartite b-matching; its linear programme has a
   totally unimodular constraint matrix, so the simplex vertex HiGHS returns is integral and
   the optimum is exact (``proven_optimal``).
2. **Which round.** Split every mentor into ``per_round`` copies sharing its meetings in turn;
   then every person has at most ``rounds`` meetings, and by König's edge-colouring theorem
   the meetings fit in ``rounds`` rounds with nobody twice in a round. The colouring is built
   by the alternating-path method, edges in (mentee id, mentor id) order, smallest free round
   first, so the schedule is deterministic.

References
----------
.. [1] D. König, "Über Graphen und ihre Anwendung auf Determinantentheorie und
   Mengenlehre", *Mathematische Annalen* 77 (1916), 453-465 (bipartite edge colouring).
.. [2] A. Schrijver, *Combinatorial Optimization*, Springer (2003), ch. 21 (b-matchings in
   bipartite graphs; total unimodularity).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import csr_array

from ementor_kit.errors import EmentorKitError, InvalidArgumentError
from ementor_kit.i18n.language import N_
from ementor_kit.matching.rules import MatchRules
from ementor_kit.matching.scores import _score_matrix, _Scores

__all__ = ["FlashSchedule", "flash_sessions"]

RulesLike = MatchRules | Mapping[str, Any] | str | Path | None


@dataclass(frozen=True)
class FlashSchedule:
    """The meetings of a flash-mentoring event, round by round, everyone accounted for.

    Attributes
    ----------
    sessions : DataFrame
        One row per meeting, sorted by ``round`` then ``mentee_id``: ``round`` (1, 2, ...),
        ``mentee_id``, ``mentor_id``, ``score``.
    mentees : DataFrame
        One row per mentee: ``mentee_id``, ``n_meetings``, ``short_by`` (meetings fewer than
        asked) and ``reason`` (``''`` when the mentee has all ``meetings``).
    mentors : DataFrame
        One row per mentor: ``mentor_id``, ``n_meetings``, ``limit`` (most meetings allowed).
    meetings, rounds, per_round : int
        The event's settings.
    total_score : float
        Sum of the scores of the meetings.
    proven_optimal : bool
        True: the number of meetings, then their total score, is the largest possible.

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> s = flash_sessions(*example_profiles(), meetings=2, rounds=2)
    >>> s.sessions.round(1)
       round mentee_id mentor_id  score
    0      1      E002      M001   40.3
    1      2      E001      M001   81.2
    2      2      E002      M002   44.9
    """

    sessions: pd.DataFrame
    mentees: pd.DataFrame
    mentors: pd.DataFrame
    meetings: int
    rounds: int
    per_round: int
    total_score: float
    proven_optimal: bool

    def planned(
        self, start: object, *, round_minutes: float = 30, break_minutes: float = 0
    ) -> pd.DataFrame:
        """The meetings as planned sessions, for :func:`~ementor_kit.graph.engagement`.

        Parameters
        ----------
        start : time-zone aware timestamp or ISO 8601 text with an offset
            When round 1 starts.
        round_minutes, break_minutes : float
            Length of a round and of the break between two rounds.

        Returns
        -------
        DataFrame
            ``planned_session_id`` (``F001``...), ``mentee_id``, ``mentor_id``, ``start``
            (UTC) and ``duration_minutes``, in the order of :attr:`sessions`.

        Examples
        --------
        >>> from ementor_kit.datasets import example_profiles
        >>> s = flash_sessions(*example_profiles(), meetings=1, rounds=1)
        >>> s.planned("2026-10-01T18:00:00+02:00")[["mentee_id", "start"]]
          mentee_id                     start
        0      E001 2026-10-01 16:00:00+00:00
        1      E002 2026-10-01 16:00:00+00:00
        """
        t0 = pd.Timestamp(start)
        if t0.tzinfo is None:
            raise InvalidArgumentError(
                "start",
                start,
                N_("give the time zone, e.g. '2026-10-01T18:00:00+02:00'"),
                message=N_(
                    "{start!r} has no time zone: the sessions' instants would be guessed"
                ).format(start=start),
            )
        for name, value in (("round_minutes", round_minutes), ("break_minutes", break_minutes)):
            if not value >= 0:
                raise InvalidArgumentError(name, value, N_("give a number of minutes >= 0"))
        step = pd.Timedelta(minutes=round_minutes + break_minutes)
        s = self.sessions
        starts = t0.tz_convert("UTC") + (s["round"].to_numpy() - 1) * step
        return pd.DataFrame(
            {
                "planned_session_id": [f"F{k + 1:03d}" for k in range(len(s))],
                "mentee_id": s["mentee_id"].to_numpy(),
                "mentor_id": s["mentor_id"].to_numpy(),
                "start": pd.DatetimeIndex(starts),
                "duration_minutes": float(round_minutes),
            }
        )


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InvalidArgumentError(name, value, N_("give a whole number >= 1"))
    return int(value)


def _choose(sc: _Scores, meetings: int, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The meetings: most of them, then the best total score (exact, see the module)."""
    rows, cols = np.nonzero(sc.excluded == 0)
    n, m = sc.score.shape
    if len(rows) == 0:
        return rows, cols
    score = sc.score[rows, cols]
    # one more meeting is worth more than any change of total score among equal counts
    bonus = 100.0 * min(n * meetings, int(limit.sum())) + 1.0
    edges = np.arange(len(rows))
    a = csr_array(
        (
            np.ones(2 * len(rows)),
            (np.concatenate([rows, n + cols]), np.concatenate([edges, edges])),
        ),
        shape=(n + m, len(rows)),
    )
    ub = np.concatenate([np.full(n, float(meetings)), limit.astype(float)])
    res = linprog(-(score + bonus), A_ub=a, b_ub=ub, bounds=(0, 1), method="highs-ds", options={})
    if res.status != 0:  # pragma: no cover - a bounded feasible LP always solves
        raise EmentorKitError(
            N_("HiGHS could not solve the flash meetings LP: {message}").format(message=res.message)
        )
    x = res.x
    if np.abs(x - np.round(x)).max() > 1e-6:  # pragma: no cover - excluded by unimodularity
        raise EmentorKitError(N_("the flash meetings LP returned a fractional vertex"))
    keep = np.round(x) == 1
    return rows[keep], cols[keep]


def _rounds(rows: np.ndarray, cols: np.ndarray, n: int, per_round: int, rounds: int) -> np.ndarray:
    """A round (0-based) for every meeting: König's edge colouring by alternating paths."""
    order = np.lexsort((cols, rows))
    # mentor j's k-th meeting goes to copy k % per_round: every copy then has <= rounds
    copy = np.zeros(len(rows), np.int64)
    seen: dict[int, int] = {}
    for e in order.tolist():
        j = int(cols[e])
        copy[e] = seen.get(j, 0) % per_round
        seen[j] = seen.get(j, 0) + 1
    # node ids: mentees 0..n-1; mentor copies n + j * per_round + copy
    right = n + cols * per_round + copy
    at: dict[int, dict[int, int]] = {}  # node -> {round: edge}
    colour = np.full(len(rows), -1, np.int64)
    ends = (rows, right)

    def free(node: int) -> int:
        used = at.get(node, {})
        return next(c for c in range(rounds) if c not in used)

    for e in order.tolist():
        u, v = int(rows[e]), int(right[e])
        a, b = free(u), free(v)
        if a not in at.get(v, {}):
            b = a
        if a != b:
            # swap a and b along the path from v that alternates a, b, a, ...; in a bipartite
            # graph it never reaches u, so a becomes free at v and stays free at u
            path, node, c = [], v, a
            while c in at.get(node, {}):
                f = at[node][c]
                path.append(f)
                node = int(ends[0][f]) if int(ends[1][f]) == node else int(ends[1][f])
                c = b if c == a else a
            for f in path:
                for end in (int(ends[0][f]), int(ends[1][f])):
                    del at[end][int(colour[f])]
            for f in path:
                colour[f] = b if colour[f] == a else a
                for end in (int(ends[0][f]), int(ends[1][f])):
                    at[end][int(colour[f])] = f
        colour[e] = a
        at.setdefault(u, {})[a] = e
        at.setdefault(v, {})[a] = e
    return colour


def flash_sessions(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: RulesLike = None,
    *,
    meetings: int = 3,
    rounds: int | None = None,
    per_round: int = 1,
    mentor_limit: int | None = None,
) -> FlashSchedule:
    """Plan a flash-mentoring event: who meets whom, and in which round.

    Parameters
    ----------
    mentors, mentees : DataFrame
        Profile tables, as for :func:`~ementor_kit.matching.match`.
    rules : MatchRules, dict, list of rules, ProgrammeSpec, YAML path or text, optional
        Scores and hard rules, as for :func:`~ementor_kit.matching.score_pairs`. Required and
        forbidden pairs are hard rules like the others; mentors' ``capacity`` is not used (a
        flash meeting is not a mentoring relationship): ``per_round`` and ``mentor_limit`` are.
    meetings : int, default 3
        Most meetings per mentee, each with a different mentor.
    rounds : int, optional
        Number of rounds; default ``meetings``. Must be at least ``meetings``.
    per_round : int, default 1
        Most mentees a mentor sees in one round (a small-group table when > 1).
    mentor_limit : int, optional
        Most meetings per mentor over the event (a professional's time); default
        ``rounds * per_round``.

    Returns
    -------
    FlashSchedule
        The meetings by round, every mentee's count with the reason of any shortfall, and
        every mentor's load.

    Raises
    ------
    InvalidArgumentError
        For a count that is not a whole number >= 1, or fewer rounds than meetings.

    See Also
    --------
    FlashSchedule.planned : the meetings as planned sessions for ``engagement(planned=...)``.

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> s = flash_sessions(*example_profiles(), meetings=2)
    >>> s.mentees[["mentee_id", "n_meetings", "short_by"]]
      mentee_id  n_meetings  short_by
    0      E001           1         1
    1      E002           2         0
    >>> s.mentees.loc[0, "reason"]
    '1 mentor allowed (hard rules exclude the others)'
    >>> s.proven_optimal, s.rounds
    (True, 2)
    """
    meetings = _positive("meetings", meetings)
    rounds = meetings if rounds is None else _positive("rounds", rounds)
    per_round = _positive("per_round", per_round)
    if rounds < meetings:
        raise InvalidArgumentError(
            "rounds",
            rounds,
            N_("give at least as many rounds as meetings ({meetings})").format(meetings=meetings),
        )
    most = rounds * per_round
    if mentor_limit is not None:
        most = min(most, _positive("mentor_limit", mentor_limit))
    sc = _score_matrix(mentors, mentees, rules)
    n, m = sc.score.shape
    limit = np.full(m, most, np.int64)
    rows, cols = _choose(sc, meetings, limit)
    colour = _rounds(rows, cols, n, per_round, rounds)
    sessions = pd.DataFrame(
        {
            "round": colour + 1,
            "mentee_id": sc.mentee_ids[rows].astype(str),
            "mentor_id": sc.mentor_ids[cols].astype(str),
            "score": sc.score[rows, cols].astype(float),
        }
    )
    sessions = sessions.sort_values(["round", "mentee_id"], kind="stable", ignore_index=True)
    sessions["mentee_id"] = sessions["mentee_id"].astype("str")
    sessions["mentor_id"] = sessions["mentor_id"].astype("str")
    got = np.bincount(rows, minlength=n)
    allowed = (sc.excluded == 0).sum(axis=1)
    reasons = [
        ""
        if g == meetings
        else (
            f"{a} mentor{'s' if a != 1 else ''} allowed (hard rules exclude the others)"
            if a < meetings
            else "the mentors it may meet are fully booked"
        )
        for g, a in zip(got.tolist(), allowed.tolist(), strict=True)
    ]
    return FlashSchedule(
        sessions=sessions,
        mentees=pd.DataFrame(
            {
                "mentee_id": pd.array(sc.mentee_ids.astype(str), dtype="str"),
                "n_meetings": got,
                "short_by": meetings - got,
                "reason": pd.array(reasons, dtype="str"),
            }
        ),
        mentors=pd.DataFrame(
            {
                "mentor_id": pd.array(sc.mentor_ids.astype(str), dtype="str"),
                "n_meetings": np.bincount(cols, minlength=m),
                "limit": limit,
            }
        ),
        meetings=meetings,
        rounds=rounds,
        per_round=per_round,
        total_score=float(sc.score[rows, cols].sum()),
        proven_optimal=True,
    )
