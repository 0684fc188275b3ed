"""Circles: small groups of mentees led by a mentor, or among peers (issue 16, part 3).

:func:`form_circles` splits the mentees into circles of ``size = (lo, hi)`` mentees.

Model
-----
With ``mentor=True`` every circle is led by one mentor and **each mentor leads at most one
circle** (a circle meets as one group, so it takes one slot of the mentor's time whatever the
mentor's one-to-one ``capacity``; a mentor of capacity 0 leads none: the ``no_capacity`` rule).
A mentee may join the circle of mentor ``m`` only when the pair passes every hard rule of the
rules (the ``feasible`` column of :func:`~ementor_kit.score_pairs`). The mentor does not count
in ``size``. With ``mentor=False`` the circles are peer circles of mentees only.

The objective, maximised **after the number of mentees placed** (most mentees in a circle
first, then the best circles), is

``sum over circles [ sum_{e in c} fit(e, mentor(c)) + 100 * peer_weight * sum_{e < f in c} p(e, f) ]``

where ``fit`` is the pair score (0-100) of :func:`~ementor_kit.score_pairs` (0 for peer
circles) and ``p`` the peer value of two mentees in [0, 1]:

- ``peer="similar"``: ``p = s``, ``peer="diverse"``: ``p = 1 - s``, with ``s`` the mean over
  the peer attributes (default: the mentee attributes the rules' criteria use) of a
  similarity in [0, 1]: for a multi-select, the Jaccard index ``|a & b| / |a | b|``; for a
  number, ``1 - |x - y| / spread`` (spread of the mentees' values; 1 when they are all equal);
  otherwise (a category, a boolean, text) 1 when equal and 0 when not. A missing value is
  similar to nothing (0), hence fully different in ``"diverse"``.

A circle of ``k`` mentees has ``k (k - 1) / 2`` peer pairs; with the default
``peer_weight=0.1`` a circle of 5 perfectly matched peers adds 40 points to the circle
(8 per mentee, against up to 100 per mentee for the fit).

Methods
-------
``method="exact"``: a mixed-integer programme solved by HiGHS (``highspy``), in two stages
(most mentees placed, then the best objective with that many placed). Variables ``x[e, c]``
(mentee ``e`` in circle ``c``, allowed pairs only), ``y[c]`` (circle open) and, for every
two mentees ``e < f`` allowed in ``c`` with ``p(e, f) > 0``, ``z[e, f, c] <= x[e, c], x[f, c]``
(both in ``c``); ``lo y[c] <= sum_e x[e, c] <= hi y[c]``. Peer circles are interchangeable:
circle ``c`` may only hold mentees of rank ``>= c`` and ``y`` is decreasing, which keeps one
labelling of each partition. Proven optimal unless ``time_limit`` stops it (the bound and gap
are then HiGHS's).

``method="heuristic"``: an optimal assignment of mentees to mentors on ``fit`` alone (each
mentor at most ``hi``, most mentees first: :func:`~ementor_kit.assign`), circles under ``lo``
filled from larger ones or closed, then a local search of moves (a mentee to another circle
with room) and swaps (two mentees of different circles, or a placed and an unplaced one) until
no move improves the objective (``time_limit`` stops it early). Peer circles start from a
greedy grouping (the fewest circles that place everybody, sizes as equal as possible). The
**bound** is a relaxation in which every mentee gets its best possible peers: a circle of at
most ``hi`` mentees gives ``e`` at most ``hi - 1`` peers, and every pair's value is shared by
its two mentees, so ``U(e, c) = fit(e, c) + 0.5 * 100 * peer_weight * (sum of the hi - 1
largest p(e, f), f allowed in c)`` bounds what ``e`` brings to ``c``; the bound is the best
assignment of mentees to circles on ``U`` with at most ``hi`` per circle (a transportation
problem, solved exactly; the ``lo`` sizes dropped). When ``n_mentees**2 * n_mentors`` exceeds
5e7 the largest peers are taken among all mentees (a weaker bound, stated in ``method``). The
reported ``gap = (bound - objective) / bound`` is an upper bound of the shortfall from the
optimum.

``method="auto"``: exact when the programme has at most 600 variables (about 12 mentees and 3
mentors: a second), else heuristic (300 mentees and 60 mentors: about 2 s).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice, check_real, check_whole
from ementor_kit.errors import ArgumentTypeError, InfeasibleMatchingError, InvalidArgumentError
from ementor_kit.i18n.language import N_
from ementor_kit.matching._solver.model import _quiet_first_highs
from ementor_kit.matching.optimise import _check_time_limit, assign
from ementor_kit.matching.scores import _score_matrix, _Scores

__all__ = ["Circles", "form_circles"]

PEER_MODES = ("similar", "diverse")
METHODS = ("auto", "exact", "heuristic")
EXACT_VARIABLES = 600
RESTRICTED_BOUND_WORK = 5e7
_EPS = 1e-9


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class Circles:
    """What :func:`form_circles` returns: the circles, who is in none and why, the proof.

    Attributes
    ----------
    members : DataFrame
        ``group_id, person_id, role, fit``: one row per person in a circle (``role`` is
        ``mentor`` or ``mentee``; ``fit`` the mentee's pair score with the circle's mentor,
        NaN on mentor rows and in peer circles), by ``group_id``, the mentor first then the
        mentees by id.
    circles : DataFrame
        ``group_id, size, mentor, fit, peer``: per circle the number of mentees, the mentor's
        id (missing for peer circles), the sum of the mentees' fit and the peer term
        (``100 * peer_weight * sum of p`` over the circle's pairs of mentees).
    unplaced : DataFrame
        ``person_id, role, reason``: every mentee and mentor in no circle, with the reason.
    objective : float
        ``fit + peer`` summed over the circles.
    bound : float
        An upper bound of the objective of any circles of these sizes (equal to
        ``objective`` when proven optimal).
    gap : float
        ``(bound - objective) / bound`` (0 when proven optimal or when the bound is 0).
    status : str
        ``optimal`` (proven), ``time_limit`` (the exact programme stopped early) or
        ``heuristic`` (no proof; ``gap`` says how far from the optimum it may be).
    method : str
        How the circles and the bound were found.
    size : tuple of int
        ``(lo, hi)`` mentees per circle.
    peer : str
        ``similar`` or ``diverse``.
    peer_weight : float
        Weight of the peer term.
    peer_attributes : tuple of str
        Mentee attributes of the peer value.
    seconds : float
        Time taken.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> mentors, mentees = ek.example_profiles()
    >>> res = ek.form_circles(mentors, mentees, size=(1, 2))
    >>> res.members[["group_id", "person_id", "role"]]
      group_id person_id    role
    0     C001      M001  mentor
    1     C001      E001  mentee
    2     C001      E002  mentee
    >>> res.unplaced[["person_id", "role"]]
      person_id    role
    0      M002  mentor
    >>> res.status, res.gap
    ('optimal', 0.0)
    """

    members: pd.DataFrame
    circles: pd.DataFrame
    unplaced: pd.DataFrame
    objective: float
    bound: float
    gap: float
    status: str
    method: str
    size: tuple[int, int]
    peer: str
    peer_weight: float
    peer_attributes: tuple[str, ...]
    seconds: float

    @property
    def pairs(self) -> pd.DataFrame:
        """Each mentee of a mentor circle with the circle's mentor.

        ``mentee_id, mentor_id, group_id``; empty for peer circles.
        """
        m = self.members
        lead = m[m["role"] == "mentor"].set_index("group_id")["person_id"]
        tees = m[(m["role"] == "mentee") & m["group_id"].isin(lead.index)]
        return pd.DataFrame(
            {
                "mentee_id": tees["person_id"].to_numpy(),
                "mentor_id": lead.reindex(tees["group_id"]).to_numpy(),
                "group_id": tees["group_id"].to_numpy(),
            }
        )

    def __repr__(self) -> str:
        return (
            f"Circles({len(self.circles)} circles, {len(self.unplaced)} unplaced, "
            f"objective={self.objective:.1f}, gap={self.gap:.2%}, status={self.status!r})"
        )


# --------------------------------------------------------------------------- peer values


def _is_set(v: Any) -> bool:
    return isinstance(v, (tuple, list, set, frozenset))


def _attribute_similarity(values: pd.Series) -> np.ndarray:
    """Similarity in [0, 1] of every two rows on one attribute (see the module docs)."""
    s = values.reset_index(drop=True)
    n = len(s)
    if s.map(_is_set).any():
        sets = [frozenset(v) if _is_set(v) else frozenset() for v in s]
        codes = {c: k for k, c in enumerate(sorted({str(c) for x in sets for c in x}))}
        hot = np.zeros((n, len(codes)))
        for i, x in enumerate(sets):
            hot[i, [codes[str(c)] for c in x]] = 1.0
        inter = hot @ hot.T
        size = hot.sum(axis=1)
        union = size[:, None] + size[None, :] - inter
        return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        known = ~np.isnan(x)
        spread = float(np.nanmax(x) - np.nanmin(x)) if known.any() else 0.0
        if spread > 0:
            v = 1.0 - np.abs(x[:, None] - x[None, :]) / spread
        else:
            v = np.ones((n, n))
        return np.where(known[:, None] & known[None, :], v, 0.0)
    labels = [None if pd.isna(v) else " ".join(str(v).split()).casefold() for v in s]
    codes_l, _ = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
    return ((codes_l[:, None] == codes_l[None, :]) & (codes_l[:, None] >= 0)).astype(np.float64)


def _peer_attributes(sc: _Scores, peer_attributes: Sequence[str] | None) -> tuple[str, ...]:
    """The attributes of the peer value, checked against the mentees' table."""
    columns = [str(c) for c in sc.mentees.columns if c != "mentee_id"]
    if peer_attributes is None:
        names = [c.mentee for c in sc.rules.criteria if c.weight > 0]
        return tuple(dict.fromkeys(n for n in names if n in columns))
    if isinstance(peer_attributes, str) or not isinstance(peer_attributes, Sequence):
        raise ArgumentTypeError(
            "peer_attributes",
            peer_attributes,
            N_("give a list of mentee attributes, e.g. ['domain', 'goals']"),
        )
    bad = [a for a in peer_attributes if a not in columns]
    if bad or not peer_attributes:
        raise InvalidArgumentError(
            "peer_attributes",
            list(peer_attributes),
            N_("use mentee attributes among: {columns}").format(columns=", ".join(columns)),
            message=(
                N_("unknown mentee attribute(s): {bad}").format(bad=", ".join(map(str, bad)))
                if bad
                else N_("peer_attributes is empty")
            ),
        )
    return tuple(dict.fromkeys(peer_attributes))


def _peer_matrix(mentees: pd.DataFrame, attributes: Sequence[str], peer: str) -> np.ndarray:
    """``p(e, f)`` of every two mentees (rows in the table's order), 0 on the diagonal."""
    n = len(mentees)
    if not attributes:
        return np.zeros((n, n))
    s = sum(_attribute_similarity(mentees[a]) for a in attributes) / len(attributes)
    p = np.asarray(s, dtype=np.float64) if peer == "similar" else 1.0 - np.asarray(s)
    p = np.clip(p, 0.0, 1.0)
    np.fill_diagonal(p, 0.0)
    return p


# --------------------------------------------------------------------------- the problem


@dataclass(frozen=True, eq=False)
class _Problem:
    """Mentees (rows) and circle slots (columns): a slot is a mentor, or a peer circle."""

    gain: np.ndarray  # (n, k) fit of a mentee in a slot (0 for peer circles)
    allowed: np.ndarray  # (n, k) bool
    peer: np.ndarray  # (n, n) p(e, f)
    w: float  # points per unit of p: 100 * peer_weight
    lo: int
    hi: int
    symmetric: bool  # peer circles: the slots are interchangeable

    @property
    def k(self) -> int:
        return self.gain.shape[1]

    def value(self, lab: np.ndarray) -> tuple[float, float]:
        """``(fit, peer)`` of a labelling (slot per mentee, ``k`` = unplaced)."""
        placed = lab < self.k
        rows = np.flatnonzero(placed)
        fit = float(self.gain[rows, lab[rows]].sum())
        same = (lab[:, None] == lab[None, :]) & placed[:, None] & placed[None, :]
        peer = float(self.w * np.triu(self.peer * same, 1).sum())
        return fit, peer


def _exact_size(prob: _Problem, limit: int) -> int:
    """Number of variables of the exact programme (counting stops above ``limit``)."""
    total = int(prob.allowed.sum()) + prob.k
    pos = np.triu(prob.peer > 0, 1)
    for c in range(prob.k):
        if total > limit:
            break
        rows = np.flatnonzero(prob.allowed[:, c])
        total += int(pos[np.ix_(rows, rows)].sum())
    return total


def _solve_exact(prob: _Problem, time_limit: float | None) -> tuple[np.ndarray, str, float]:
    """The exact MIP in two stages; returns the labelling, the status and the bound.

    The bound is the best bound HiGHS proved for the second stage (most mentees placed)."""
    _quiet_first_highs()
    n, k = prob.gain.shape
    allowed = prob.allowed.copy()
    if prob.symmetric:
        allowed &= np.arange(k)[None, :] <= np.arange(n)[:, None]
    xe, xc = np.nonzero(allowed)
    trip = [
        (int(e), int(f), c)
        for c in range(k)
        for e in np.flatnonzero(allowed[:, c])
        for f in np.flatnonzero(allowed[:, c])
        if e < f and prob.peer[e, f] > 0
    ]
    nx, nz = len(xe), len(trip)
    xpos = {(int(e), int(c)): t for t, (e, c) in enumerate(zip(xe, xc, strict=True))}
    rows: list[tuple[list[int], list[float], float, float]] = []
    for e in range(n):
        idx = [xpos[(e, int(c))] for c in np.flatnonzero(allowed[e])]
        if idx:
            rows.append((idx, [1.0] * len(idx), -highspy.kHighsInf, 1.0))
    for c in range(k):
        idx = [xpos[(int(e), c)] for e in np.flatnonzero(allowed[:, c])]
        rows.append((idx + [nx + c], [1.0] * len(idx) + [-float(prob.hi)], -highspy.kHighsInf, 0))
        rows.append((idx + [nx + c], [1.0] * len(idx) + [-float(prob.lo)], 0, highspy.kHighsInf))
        if prob.symmetric and c + 1 < k:
            rows.append(([nx + c, nx + c + 1], [1.0, -1.0], 0, highspy.kHighsInf))
    around: dict[tuple[int, int], list[int]] = {}
    for t, (e, f, c) in enumerate(trip):
        for g in (e, f):
            rows.append(([nx + k + t, xpos[(int(g), c)]], [1.0, -1.0], -highspy.kHighsInf, 0))
            around.setdefault((int(g), c), []).append(nx + k + t)
    # a mentee of a circle has at most hi - 1 peers in it: a valid cut that makes the
    # relaxation as strong as the heuristic's bound (without it HiGHS takes seconds on 12)
    for (g, c), zs in sorted(around.items()):
        rows.append((zs + [xpos[(g, c)]], [1.0] * len(zs) + [1.0 - prob.hi], -highspy.kHighsInf, 0))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-7)
    nv = nx + k + nz
    h.addVars(nv, np.zeros(nv), np.ones(nv))
    ints = np.arange(nx + k, dtype=np.int32)
    h.changeColsIntegrality(len(ints), ints, np.ones(len(ints), dtype=np.uint8))
    _add_rows(h, rows)
    start = time.perf_counter()
    cover = np.zeros(nv)
    cover[:nx] = -1.0
    status, sol, _ = _run(h, cover, time_limit)
    if status != "optimal":
        raise InfeasibleMatchingError(
            N_("circle sizes"),
            (),
            N_("HiGHS could not place the mentees in time ({status})").format(status=status),
        )
    placed = round(-float(cover @ sol))
    _add_rows(h, [(list(range(nx)), [1.0] * nx, placed - 0.5, highspy.kHighsInf)])
    cost = np.zeros(nv)
    cost[:nx] = -prob.gain[xe, xc]
    cost[nx + k :] = [-prob.w * prob.peer[e, f] for e, f, _ in trip]
    left = None if time_limit is None else max(time_limit - (time.perf_counter() - start), 0.01)
    status, sol, bound = _run(h, cost, left)
    lab = np.full(n, k, dtype=np.int64)
    chosen = np.flatnonzero(sol[:nx] > 0.5)
    lab[xe[chosen]] = xc[chosen]
    return lab, status, bound


def _add_rows(h: Any, rows: Sequence[tuple[list[int], list[float], float, float]]) -> None:
    if not rows:
        return
    starts = np.cumsum([0] + [len(r[0]) for r in rows[:-1]]).astype(np.int32)
    idx = np.concatenate([np.asarray(r[0], dtype=np.int32) for r in rows])
    val = np.concatenate([np.asarray(r[1], dtype=np.float64) for r in rows])
    lower = np.array([r[2] for r in rows], dtype=np.float64)
    upper = np.array([r[3] for r in rows], dtype=np.float64)
    h.addRows(len(rows), lower, upper, len(idx), starts, idx, val)


def _run(h: Any, cost: np.ndarray, time_limit: float | None) -> tuple[str, np.ndarray, float]:
    """Minimise ``cost``; the status, the solution and the bound of the maximisation."""
    nv = len(cost)
    h.changeColsCost(nv, np.arange(nv, dtype=np.int32), cost.astype(np.float64))
    h.setOptionValue("time_limit", highspy.kHighsInf if time_limit is None else float(time_limit))
    h.run()
    st = h.getModelStatus()
    info = h.getInfo()
    has = info.primal_solution_status == 2
    sol = np.asarray(h.getSolution().col_value) if has else np.zeros(nv)
    if st == highspy.HighsModelStatus.kOptimal:
        return "optimal", sol, -float(cost @ sol)
    if st == highspy.HighsModelStatus.kTimeLimit and has:
        return "time_limit", sol, -float(info.mip_dual_bound)
    return str(st).rsplit(".k", 1)[-1].lower(), sol, math.nan


# --------------------------------------------------------------------------- heuristic


def _initial_mentor(prob: _Problem, time_limit: float | None) -> np.ndarray:
    """Most mentees placed, best total fit, at most ``hi`` per mentor (exact assignment)."""
    n, k = prob.gain.shape
    rows, cols = np.nonzero(prob.allowed)
    width = max(len(str(n)), len(str(k)))
    cand = pd.DataFrame(
        {
            "mentee_id": [f"{i:0{width}d}" for i in rows],
            "mentor_id": [f"{j:0{width}d}" for j in cols],
            "score": prob.gain[rows, cols],
        }
    )
    cap = {f"{j:0{width}d}": prob.hi for j in range(k)}
    res = assign(cand, cap, objective="coverage_then_score", time_limit=time_limit)
    lab = np.full(n, k, dtype=np.int64)
    lab[res.pairs["mentee_id"].astype(int).to_numpy()] = (
        res.pairs["mentor_id"].astype(int).to_numpy()
    )
    return lab


def _repair(prob: _Problem, lab: np.ndarray) -> np.ndarray:
    """Circles under ``lo``: filled from unplaced mentees or larger circles, else closed."""
    k = prob.k
    lab = lab.copy()
    closed = np.zeros(k, dtype=bool)
    while True:
        size = np.bincount(lab, minlength=k + 1)[:k]
        small = np.flatnonzero((size > 0) & (size < prob.lo) & ~closed)
        if not len(small):
            return lab
        c = int(small[np.argmin(size[small])])
        take = _fill_candidates(prob, lab, c, size)
        if len(take) >= prob.lo - size[c]:
            for e in take[: prob.lo - size[c]]:
                lab[e] = c
            continue
        closed[c] = True
        for e in map(int, np.flatnonzero(lab == c)):
            room = (size < prob.hi) & (size >= prob.lo) & prob.allowed[e] & ~closed
            room[c] = False
            if room.any():
                d = int(np.flatnonzero(room)[np.argmax(prob.gain[e, room])])
                lab[e] = d
                size[d] += 1
            else:
                lab[e] = k


def _fill_candidates(prob: _Problem, lab: np.ndarray, c: int, size: np.ndarray) -> list[int]:
    """Mentees that can join circle ``c`` without breaking another: unplaced ones first,
    then from circles above ``lo`` (at most ``size - lo`` from each), smallest loss first."""
    k = prob.k
    ok = prob.allowed[:, c] & (lab != c)
    out = [int(e) for e in np.flatnonzero(ok & (lab == k))]
    placed = np.flatnonzero(ok & (lab < k))
    spare = {int(d): int(size[d] - prob.lo) for d in range(k) if size[d] > prob.lo}
    loss = prob.gain[placed, lab[placed]] - prob.gain[placed, c]
    for e in placed[np.argsort(loss, kind="stable")]:
        d = int(lab[e])
        if spare.get(d, 0) > 0:
            spare[d] -= 1
            out.append(int(e))
    return out


def _initial_peer(prob: _Problem) -> np.ndarray:
    """Greedy peer circles: the fewest circles placing the most mentees, sizes as equal as
    possible; each circle starts from the first mentee left and adds the best peers."""
    n, k = prob.gain.shape
    lab = np.full(n, k, dtype=np.int64)
    placed = min(n, (n // prob.lo) * prob.hi)
    count = -(-placed // prob.hi)
    sizes = [placed // count + (1 if c < placed % count else 0) for c in range(count)]
    free = np.ones(n, dtype=bool)
    for c, s in enumerate(sizes):
        first = int(np.flatnonzero(free)[0])
        members = [first]
        free[first] = False
        total = prob.peer[first].copy()
        while len(members) < s:
            cand = np.flatnonzero(free)
            e = int(cand[np.argmax(total[cand])])
            members.append(e)
            free[e] = False
            total += prob.peer[e]
        lab[members] = c
    return lab


class _State:
    """A labelling being improved, with ``s[e, c]`` (sum of ``p(e, f)`` over the members
    ``f`` of ``c``) and the sizes kept up to date; slot ``k`` holds the unplaced."""

    def __init__(self, prob: _Problem, lab: np.ndarray) -> None:
        n, k = prob.gain.shape
        self.prob, self.k = prob, k
        self.lab = lab.copy()
        self.gain = np.hstack([prob.gain, np.zeros((n, 1))])
        self.allowed = np.hstack([prob.allowed, np.ones((n, 1), dtype=bool)])
        onehot = np.zeros((n, k + 1))
        onehot[np.arange(n), self.lab] = 1.0
        self.s = prob.peer @ onehot
        self.s[:, k] = 0.0
        self.size = np.bincount(self.lab, minlength=k + 1)
        self.is_open = self.size[:k] > 0

    def relabel(self, e: int, c: int) -> None:
        """Put mentee ``e`` in slot ``c``."""
        g = int(self.lab[e])
        if g == c:
            return
        if g < self.k:
            self.s[:, g] -= self.prob.peer[:, e]
        if c < self.k:
            self.s[:, c] += self.prob.peer[:, e]
        self.size[g] -= 1
        self.size[c] += 1
        self.lab[e] = c

    def best_move(self, e: int) -> list[tuple[int, int]] | None:
        """The best improving move or swap of mentee ``e``, as (mentee, new slot) steps."""
        prob, k, lab, s, size = self.prob, self.k, self.lab, self.s, self.size
        w, peer, gain, allowed = prob.w, prob.peer, self.gain, self.allowed
        g = int(lab[e])
        here = gain[e, g] + w * s[e, g]
        # a move to a circle with room, never leaving a circle under lo, never to the
        # unplaced (most mentees placed first)
        room = np.zeros(k + 1, dtype=bool)
        room[:k] = self.is_open & (size[:k] < prob.hi) & allowed[e, :k]
        room[g] = False
        best, move = _EPS, None
        if room.any() and (g == k or size[g] > prob.lo):
            d = gain[e] + w * s[e] - here + (1e12 if g == k else 0.0)
            d = np.where(room, d, -np.inf)
            c = int(np.argmax(d))
            if d[c] > best:
                best, move = d[c], [(e, c)]
        ok = (lab != g) & allowed[e, lab] & allowed[:, g]
        if g == k:
            ok &= lab < k
        if ok.any():
            f = np.flatnonzero(ok)
            hf = lab[f]
            into = np.where(hf < k, s[e, hf] - peer[e, f], 0.0)
            back = s[f, g] - peer[f, e] if g < k else 0.0
            d = gain[e, hf] + gain[f, g] - here - gain[f, hf] - w * s[f, hf] + w * (into + back)
            t = int(np.argmax(d))
            if d[t] > best:
                move = [(e, int(hf[t])), (int(f[t]), g)]
        return move

    def close_one(self) -> bool:
        """Close the first circle (smallest first) whose mentees all fit, better, elsewhere."""
        prob, k = self.prob, self.k
        sizes = self.size[:k]
        for c in np.lexsort((np.arange(k), sizes)):
            c = int(c)
            if not self.is_open[c]:
                continue
            members = np.flatnonzero(self.lab == c)
            done: list[int] = []
            delta = 0.0
            for e in members:
                room = self.is_open & (self.size[:k] < prob.hi) & prob.allowed[e]
                room[c] = False
                if not room.any():
                    break
                v = self.gain[e, :k] + prob.w * self.s[e, :k]
                d = int(np.flatnonzero(room)[np.argmax(v[room])])
                delta += v[d] - (self.gain[e, c] + prob.w * self.s[e, c])
                self.relabel(int(e), d)
                done.append(int(e))
            if len(done) == len(members) and delta > _EPS:
                self.is_open[c] = False
                return True
            for back in reversed(done):
                self.relabel(back, c)
        return False


def _local_search(prob: _Problem, lab: np.ndarray, deadline: float | None) -> np.ndarray:
    """Moves and swaps while one improves the objective (a placement always comes first);
    then a circle closed when its mentees do better elsewhere, and again."""
    st = _State(prob, lab)
    n = len(lab)
    while True:
        improved = True
        while improved:
            improved = False
            for e in range(n):
                if deadline is not None and time.perf_counter() > deadline:
                    return st.lab
                move = st.best_move(e)
                if move is not None:
                    improved = True
                    for f, c in move:
                        st.relabel(f, c)
        if not st.close_one():
            return st.lab


def _top_sum(p: np.ndarray, t: int) -> np.ndarray:
    """Row sums of the ``t`` largest values of each row of ``p``."""
    if t <= 0 or p.shape[1] == 0:
        return np.zeros(p.shape[0])
    if t >= p.shape[1]:
        return p.sum(axis=1)
    return -np.partition(-p, t - 1, axis=1)[:, :t].sum(axis=1)


def _peer_duals(peer: np.ndarray, t: int, iterations: int = 100) -> np.ndarray:
    """Multipliers ``u >= 0`` of the peer pairs' b-matching relaxation, by subgradient steps.

    For any ``u >= 0`` a circle's peer sum is at most ``sum_e [(hi - 1) u_e + 0.5 * sum_f
    max(0, p(e, f) - u_e - u_f)]`` (each pair's value split as ``u_e + u_f`` plus the rest);
    the steps lower ``t * sum(u) + 0.5 * sum max(0, p - u_e - u_f)`` (the dual of the
    b-matching in which every mentee has at most ``t`` peers). Any ``u`` keeps the bound
    valid; these only make it tighter.
    """
    n = len(peer)
    if n < 2 or t <= 0:
        return np.zeros(n)
    tau = -np.partition(-peer, min(t, n - 1) - 1, axis=1)[:, min(t, n - 1) - 1]
    u = 0.5 * tau
    best, best_u = math.inf, u
    for it in range(iterations):
        q = peer - u[:, None] - u[None, :]
        np.fill_diagonal(q, 0.0)
        value = t * u.sum() + 0.5 * np.maximum(q, 0.0).sum()
        if value < best:
            best, best_u = value, u
        g = t - (q > 0).sum(axis=1)
        u = np.maximum(0.0, u - 0.02 / math.sqrt(it + 1) * g / max(1.0, float(np.abs(g).max())))
    return best_u


def _bound_with(prob: _Problem, u: np.ndarray, restricted: bool) -> float:
    """The bound for multipliers ``u`` (module documentation; ``u = 0``: best peers)."""
    n, k = prob.gain.shape
    t = prob.hi - 1
    q = np.maximum(prob.peer - u[:, None] - u[None, :], 0.0)
    np.fill_diagonal(q, 0.0)
    base = prob.w * t * u
    if prob.symmetric:
        return float(base.sum() + 0.5 * prob.w * _top_sum(q, t).sum())
    uu = prob.gain + base[:, None]
    if restricted:
        for c in range(k):
            rows = np.flatnonzero(prob.allowed[:, c])
            if len(rows):
                uu[rows, c] += 0.5 * prob.w * _top_sum(q[np.ix_(rows, rows)], t)
    else:
        uu += 0.5 * prob.w * _top_sum(q, t)[:, None]
    rows, cols = np.nonzero(prob.allowed)
    if not len(rows):
        return 0.0
    width = max(len(str(n)), len(str(k)))
    cand = pd.DataFrame(
        {
            "mentee_id": [f"{i:0{width}d}" for i in rows],
            "mentor_id": [f"{j:0{width}d}" for j in cols],
            "score": uu[rows, cols],
        }
    )
    cap = {f"{j:0{width}d}": prob.hi for j in range(k)}
    return float(assign(cand, cap, objective="score").pairs["score"].sum())


def _bound(prob: _Problem) -> tuple[float, str]:
    """An upper bound of the objective (module documentation) and how it was computed."""
    n, k = prob.gain.shape
    restricted = prob.symmetric or n * n * k <= RESTRICTED_BOUND_WORK
    u = _peer_duals(prob.peer, prob.hi - 1)
    bound = min(_bound_with(prob, np.zeros(n), restricted), _bound_with(prob, u, restricted))
    where = "allowed with the mentor" if restricted and not prob.symmetric else "all mentees"
    return bound, f"best peers among {where}, with Lagrange multipliers of the peer pairs"


# --------------------------------------------------------------------------- form_circles


def _check_size(size: Any) -> tuple[int, int]:
    fix = N_("give size=(lo, hi), two whole numbers with 1 <= lo <= hi, e.g. size=(3, 6)")
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise ArgumentTypeError("size", size, fix)
    lo = check_whole("size", size[0], minimum=1, example="size=(3, 6)")
    hi = check_whole("size", size[1], minimum=1, example="size=(3, 6)")
    if lo > hi:
        raise InvalidArgumentError(
            "size",
            size,
            fix,
            message=N_("size: the smallest circle ({lo}) exceeds the largest ({hi})").format(
                lo=lo, hi=hi
            ),
        )
    return int(lo), int(hi)


def _problem(
    sc: _Scores, peer_matrix: np.ndarray, lo: int, hi: int, mentor: bool, w: float
) -> _Problem:
    n = len(sc.mentee_ids)
    if mentor:
        return _Problem(sc.score.copy(), sc.feasible.copy(), peer_matrix, w, lo, hi, False)
    k = n // lo
    return _Problem(np.zeros((n, k)), np.ones((n, k), dtype=bool), peer_matrix, w, lo, hi, True)


def _check_some_circle(sc: _Scores, prob: _Problem, mentor: bool) -> None:
    """InfeasibleMatchingError when no circle of the sizes can be formed at all."""
    n = prob.gain.shape[0]
    lo, hi = prob.lo, prob.hi
    if mentor:
        can = prob.allowed.sum(axis=0) >= lo
        if can.any():
            return
        best = int(prob.allowed.sum(axis=0).max()) if prob.k else 0
        raise InfeasibleMatchingError(
            N_("circles of {lo} to {hi} mentees").format(lo=lo, hi=hi),
            [str(x) for x in sc.mentor_ids[:20]],
            N_(
                "no mentor has {lo} mentees the hard rules allow (at most {best}); "
                "lower the smallest size (size=({max}, {max2})) or relax the rules"
            ).format(lo=lo, best=best, max=max(best, 1), max2=max(hi, best, 1)),
        )
    if n < lo:
        raise InfeasibleMatchingError(
            N_("circles of {lo} to {hi} mentees").format(lo=lo, hi=hi),
            [str(x) for x in sc.mentee_ids[:20]],
            N_("only {n} mentees; lower the smallest size to at most {max}").format(
                n=n, max=max(n, 1)
            ),
        )


def form_circles(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: Any = None,
    *,
    size: tuple[int, int] = (3, 6),
    peer: str = "similar",
    peer_weight: float = 0.1,
    mentor: bool = True,
    peer_attributes: Sequence[str] | None = None,
    method: str = "auto",
    time_limit: float | None = None,
) -> Circles:
    """Form circles of mentees, led by a mentor or among peers, optimising fit and peers.

    Parameters
    ----------
    mentors, mentees : DataFrame
        As for :func:`~ementor_kit.score_pairs` (the mentors are not used, but checked,
        when ``mentor=False``).
    rules : MatchRules, dict, list, ProgrammeSpec, YAML path or None
        The pairing rules: their scores are the mentor-mentee fit, their hard rules keep a
        mentee out of a mentor's circle.
    size : (int, int)
        Smallest and largest number of mentees per circle (the mentor not counted).
    peer : {"similar", "diverse"}
        Whether peers of a circle should be alike or different on the peer attributes.
    peer_weight : float
        Weight (>= 0) of the peer term; 0 optimises the fit alone.
    mentor : bool
        Circles led by a mentor (each mentor leads at most one), or peer circles.
    peer_attributes : list of str, optional
        Mentee attributes of the peer value; default the mentee attributes of the criteria.
    method : {"auto", "exact", "heuristic"}
        See the module documentation.
    time_limit : float, optional
        Seconds (> 0) for the solver (exact programme, or the local search), None for none.

    Returns
    -------
    Circles
        ``members``, ``circles``, ``unplaced`` (everyone in no circle, with a reason),
        ``objective``, ``bound``, ``gap`` and ``status``.

    Raises
    ------
    InvalidArgumentError
        A size that is not ``(lo, hi)`` with ``1 <= lo <= hi``, an unknown ``peer``,
        ``method`` or peer attribute, a negative ``peer_weight``.
    InfeasibleMatchingError
        When no circle of the sizes can be formed (too few mentees, or no mentor with ``lo``
        mentees the hard rules allow).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> prog = ek.generate_programme(n_mentees=12, n_mentors=3, seed=3)
    >>> res = ek.form_circles(prog.mentors, prog.mentees, size=(3, 5))
    >>> res.circles[["group_id", "size", "mentor"]]
      group_id  size mentor
    0     C001     5   M001
    1     C002     4   M002
    2     C003     3   M003
    >>> res.status, len(res.unplaced)
    ('optimal', 0)
    """
    start = time.perf_counter()
    lo, hi = _check_size(size)
    check_choice("peer", peer, PEER_MODES)
    check_choice("method", method, METHODS)
    w = float(check_real("peer_weight", peer_weight))
    if not (math.isfinite(w) and w >= 0):
        raise InvalidArgumentError(
            "peer_weight", peer_weight, N_("give a number >= 0, e.g. peer_weight=0.1")
        )
    if not isinstance(mentor, (bool, np.bool_)):
        raise ArgumentTypeError("mentor", mentor, N_("give mentor=True or mentor=False"))
    _check_time_limit(time_limit)
    sc = _score_matrix(mentors, mentees, rules)
    attrs = _peer_attributes(sc, peer_attributes)
    pm = _peer_matrix(sc.mentees, attrs, peer)
    prob = _problem(sc, pm, lo, hi, bool(mentor), 100.0 * w)
    _check_some_circle(sc, prob, bool(mentor))
    if method == "exact" or (
        method == "auto" and _exact_size(prob, EXACT_VARIABLES) <= EXACT_VARIABLES
    ):
        lab, status, bound = _solve_exact(prob, time_limit)
        how = "exact MIP (HiGHS)"
    else:
        lab, bound, how = _heuristic(prob, time_limit, start)
        status = "heuristic"
    return _result(sc, prob, lab, bound, status, how, attrs, peer, w, bool(mentor), start)


def _heuristic(
    prob: _Problem, time_limit: float | None, start: float
) -> tuple[np.ndarray, float, str]:
    deadline = None if time_limit is None else start + time_limit
    if prob.symmetric:
        lab = _initial_peer(prob)
    else:
        lab = _repair(prob, _initial_mentor(prob, time_limit))
    lab = _local_search(prob, lab, deadline)
    bound, how = _bound(prob)
    first = "greedy peer circles" if prob.symmetric else "assignment on fit + size repair"
    return lab, bound, f"{first} + local search (moves, swaps); bound: {how}"


def _result(sc, prob, lab, bound, status, how, attrs, peer, w, mentor, start) -> Circles:
    """The result tables from a labelling (slot per mentee, ``k`` = unplaced)."""
    k = prob.k
    mentee_ids = [str(x) for x in sc.mentee_ids]
    mentor_ids = [str(x) for x in sc.mentor_ids]
    slots = sorted(
        {int(c) for c in lab if c < k},
        key=lambda c: c if mentor else int(np.flatnonzero(lab == c)[0]),
    )
    width = max(3, len(str(len(slots))))
    members: list[tuple[str, str, str, float]] = []
    summary: list[tuple[str, int, Any, float, float]] = []
    for r, c in enumerate(slots):
        gid = f"C{r + 1:0{width}d}"
        rows = np.flatnonzero(lab == c)
        if mentor:
            members.append((gid, mentor_ids[c], "mentor", math.nan))
        fits = prob.gain[rows, c]
        for e, f in zip(rows, fits, strict=True):
            members.append((gid, mentee_ids[e], "mentee", float(f) if mentor else math.nan))
        peer_pts = float(prob.w * np.triu(prob.peer[np.ix_(rows, rows)], 1).sum())
        summary.append(
            (gid, len(rows), mentor_ids[c] if mentor else None, float(fits.sum()), peer_pts)
        )
    fit, peer_total = prob.value(lab)
    objective = fit + peer_total
    if status == "optimal":
        bound = objective
    gap = 0.0 if status == "optimal" or bound <= 0 else max(0.0, (bound - objective) / bound)
    return Circles(
        members=pd.DataFrame(members, columns=["group_id", "person_id", "role", "fit"]).astype(
            {"group_id": "str", "person_id": "str", "role": "str"}
        ),
        circles=pd.DataFrame(summary, columns=["group_id", "size", "mentor", "fit", "peer"]).astype(
            {"group_id": "str", "size": "int64", "mentor": "str"}
        ),
        unplaced=_unplaced(sc, prob, lab, set(slots), mentor),
        objective=float(objective),
        bound=float(bound),
        gap=float(gap),
        status=status,
        method=how,
        size=(prob.lo, prob.hi),
        peer=peer,
        peer_weight=w,
        peer_attributes=attrs,
        seconds=time.perf_counter() - start,
    )


def _unplaced(sc, prob, lab, used: set[int], mentor: bool) -> pd.DataFrame:
    """Every person in no circle, with the reason."""
    k, lo, hi = prob.k, prob.lo, prob.hi
    out: list[tuple[str, str, str]] = []
    for e in np.flatnonzero(lab == k):
        if mentor and not prob.allowed[e].any():
            rules = sorted({r for j in range(k) for r in sc.reasons(sc.excluded[e, j])})
            why = f"no mentor the hard rules allow ({'+'.join(rules) or 'no mentor'})"
        elif mentor:
            why = f"the circles of the mentors allowed are full or closed (size {lo}-{hi})"
        else:
            why = f"{len(lab)} mentees do not all fit in circles of {lo}-{hi}"
        out.append((str(sc.mentee_ids[e]), "mentee", why))
    for j, m in enumerate(sc.mentor_ids):
        if not mentor:
            why = "peer circles (mentor=False)"
        elif j in used:
            continue
        elif sc.capacity[j] == 0:
            why = "capacity 0 (no_capacity)"
        elif prob.allowed[:, j].sum() < lo:
            why = f"fewer than {lo} mentees the hard rules allow"
        else:
            why = "not needed: the mentees are placed in other circles"
        out.append((str(m), "mentor", why))
    return pd.DataFrame(out, columns=["person_id", "role", "reason"]).astype("str")
