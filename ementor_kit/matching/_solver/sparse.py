"""Exact pairing on sparse candidate pairs: min-cost flow plus dual pricing of every pair (private).

The pure capacity problem (no quotas) of :mod:`ementor_kit.matching._solver` without ever holding
a mentees x mentors matrix of costs: the scores are read in chunks of mentee rows.

Method
------
1. Candidate pairs: each mentee's best ``ROW_TOP`` allowed mentors (equal scores spread over
   the mentors by a deterministic hash of the pair, so that popular or low-numbered mentors do
   not collect every tie) and each mentor's best ``min(COL_TOP, 2 cap + 2)`` allowed mentees,
   in one chunked pass over the scores (the mentors' best with a running threshold per mentor,
   so a chunk costs one comparison per cell).
2. The problem restricted to the candidates is solved as a min-cost flow with OR-Tools'
   ``SimpleMinCostFlow``: source -> mentee arcs of capacity 1, mentee -> mentor arcs of
   capacity 1 and cost ``-v``, mentor -> sink arcs of capacity ``cap``. Coverage objectives:
   ``solve_max_flow_with_min_cost`` (the most pairs, then the best total, with no bonus in the
   costs); ``score``: a bypass arc source -> sink of cost 0 and ``solve``. OR-Tools works on
   integer costs (``|cost| * (nodes + 1)`` must fit in int64): scores are multiplied by the
   largest power of two ``S`` that keeps them below ``2**60 / (nodes + 1)`` and rounded
   (steps of about 1e-11 points at n = 10,000, 1e-9 at 100,000 x 37,000). The rounded optimum
   is only a candidate: the proof below is made on the float scores themselves, so rounding
   can never pass unnoticed.
3. Float duals of the restricted linear programme (totally unimodular, so its optimum is the
   integer one) are computed from the flow: with mentee duals ``u`` and mentor duals ``p``,
   complementary slackness fixes ``u_i = w_ik - p_k`` for a mentee paired with ``k`` and
   ``u_i = 0`` for an unpaired one, so dual feasibility on the candidates becomes difference
   constraints between mentors (``p_j >= p_k + w_ij - w_ik``) and lower bounds
   (``p_j >= w_ij`` for unpaired ``i``, ``p >= 0``). Their least solution is a longest path,
   found by a vectorised label-correcting pass (Bellman-Ford on the changed nodes only). The
   pairing is proven optimal on the candidates when the pass converges, ``u >= 0`` and
   ``p_j = 0`` on every mentor with a free place; otherwise the float optimum differs from the
   rounded one and the caller falls back to the dense method (never a silent loss).
   The coverage objectives weigh a pair ``w = B + v`` with ``B`` larger than any difference of
   total scores; ``B`` is kept symbolic: every dual is ``a B + b`` with ``a`` in {0, 1}
   (``p_j`` has ``a = 1`` exactly when a longest path starts at an unpaired mentee), compared
   lexicographically, so no precision is lost to the bonus.
4. Pricing: every pair left out gets its reduced cost ``w_ij - u_i - p_j`` in a chunked pass;
   the pairs with a positive one are added and the flow solved again, until none is positive:
   the duals are then feasible for the whole problem, which proves the pairing optimal over all
   pairs (weak duality). Tolerance: ``TOL`` times the largest absolute score, per pair (1e-9
   points on a 0-100 scale; the dense path adds a bonus of about ``n * 100`` to every cost,
   which rounds each score to about 1e-10 at n = 10,000). Each pricing round adds each
   mentee's ``PRICE_TOP`` pairs of largest positive reduced cost (standard column generation;
   the proof needs only that none is left), ranked by ``argpartition`` on the chunk's dense
   reduced costs with the candidates masked out (scattered from their sorted rows, so no
   membership search per improving pair), ties spread as in step 1. At most ``MAX_ROUNDS`` rounds, then the caller
   uses the dense method.

Ties between equally good pairings are broken by the flow solver on the arcs in id order, so
the result depends only on the content of the input (it may differ from the dense method's
pick among equally good pairings; the objective value is the same).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from ementor_kit.matching._solver.info import _SolveInfo

ROW_TOP = 4
PRICE_TOP = 10  # pairs added per mentee and round (5, 8, 10 measured: 10 never slower)
COL_TOP = 32
TOL = 1e-11
BUDGET_EXP = 60
COARSE_BITS = 20  # integer cost range of the first, coarse flows (then the fine ones)
MAX_ROUNDS = 60
CYCLE_CHECK = 16  # passes of the longest-path search between two searches for a cycle
CHUNK_CELLS = 1 << 21  # cells of one chunk of score rows (16 MB of float64)
SOLVER_NAME = "OR-Tools min-cost flow (sparse, dual pricing)"

# rows(r0, r1) -> (value, allowed) of mentee rows r0:r1, each (r1 - r0, m)
RowSource = Callable[[int, int], tuple[np.ndarray, np.ndarray]]


def _dense_source(value: np.ndarray, allowed: np.ndarray) -> RowSource:
    """The chunks of a dense value matrix and allowed mask (views, no copy)."""

    def rows(r0: int, r1: int) -> tuple[np.ndarray, np.ndarray]:
        return value[r0:r1], allowed[r0:r1]

    return rows


@dataclass
class _Candidates:
    """Candidate pairs sorted by (row, column), with their scores."""

    i: np.ndarray
    j: np.ndarray
    v: np.ndarray

    def add(self, i: np.ndarray, j: np.ndarray, v: np.ndarray) -> None:
        i = np.concatenate([self.i, i])
        j = np.concatenate([self.j, j])
        v = np.concatenate([self.v, v])
        order = np.lexsort((j, i))
        self.i, self.j, self.v = i[order], j[order], v[order]


@dataclass
class _Duals:
    """Lexicographic duals ``a B + b``: mentors ``(a, b)``, mentees ``(au, bu)``."""

    a: np.ndarray
    b: np.ndarray
    au: np.ndarray
    bu: np.ndarray


def _chunk_rows(m: int) -> int:
    return max(1, CHUNK_CELLS // max(m, 1))


def _usable(value: np.ndarray, allowed: np.ndarray, cap_ok: np.ndarray, score: bool) -> np.ndarray:
    ok = allowed & cap_ok[None, :]
    if score:
        ok &= value > 0
    return ok


def _initial(
    source: RowSource, n: int, m: int, cap: np.ndarray, score: bool
) -> tuple[_Candidates, float, float]:
    """Each mentee's best ``ROW_TOP`` mentors, each mentor's best ``min(COL_TOP, 2 cap + 2)``
    mentees, and the range of the usable scores, in one chunked pass.

    The mentors' best are kept with a running threshold per mentor (the k-th best so far), so
    a chunk costs a comparison per cell plus work on the few cells above the thresholds.
    """
    cap_ok = cap > 0
    kc = np.minimum(COL_TOP, 2 * cap + 2) * cap_ok
    thr = np.where(kc > 0, -np.inf, np.inf)
    keep_i = np.zeros(0, np.int64)
    keep_j = np.zeros(0, np.int64)
    keep_v = np.zeros(0)
    parts_i, parts_j, parts_v = [], [], []
    lo, hi = math.inf, -math.inf
    step = _chunk_rows(m)
    k = min(ROW_TOP, m)
    for r0 in range(0, n, step):
        value, allowed = source(r0, min(n, r0 + step))
        ok = _usable(value, allowed, cap_ok, score)
        if not ok.any():
            continue
        lo = min(lo, float(np.min(value, where=ok, initial=np.inf)))
        hi = max(hi, float(np.max(value, where=ok, initial=-np.inf)))
        masked = np.where(ok, value, -np.inf)
        rr, tj = _top_per_row(masked, np.arange(r0, r0 + len(masked)), k, -np.inf, hi - lo)
        parts_i.append(rr + r0)
        parts_j.append(tj)
        parts_v.append(masked[rr, tj])
        gate = thr
        if np.isneginf(thr).any() and len(masked) > int(kc.max()):
            # columns not yet full: the chunk's own k-th best is a valid first threshold
            kth = len(masked) - np.unique(kc[kc > 0])
            part = np.partition(masked, kth, axis=0)
            own = part[len(masked) - np.maximum(kc, 1), np.arange(m)]
            gate = np.where(np.isneginf(thr), np.nextafter(own, -np.inf), thr)
        ri, cj = np.nonzero(masked > gate[None, :])
        fin = np.isfinite(masked[ri, cj])
        ri, cj = ri[fin], cj[fin]
        keep_i = np.concatenate([keep_i, ri + r0])
        keep_j = np.concatenate([keep_j, cj])
        keep_v = np.concatenate([keep_v, masked[ri, cj]])
        order = np.lexsort((keep_i, -keep_v, keep_j))
        keep_i, keep_j, keep_v = keep_i[order], keep_j[order], keep_v[order]
        counts = np.bincount(keep_j, minlength=m)
        starts = np.cumsum(counts) - counts
        rank = np.arange(len(keep_j)) - np.repeat(starts, counts)
        sel = rank < kc[keep_j]
        keep_i, keep_j, keep_v = keep_i[sel], keep_j[sel], keep_v[sel]
        full = np.bincount(keep_j, minlength=m) >= kc
        mins = np.full(m, np.inf)
        np.minimum.at(mins, keep_j, keep_v)
        thr = np.where(full & (kc > 0), mins, np.where(kc > 0, -np.inf, np.inf))
    ci = np.concatenate([*parts_i, keep_i])
    cj = np.concatenate([*parts_j, keep_j])
    cv = np.concatenate([*parts_v, keep_v])  # masked = value where usable
    lin, first = np.unique(ci.astype(np.int64) * m + cj, return_index=True)
    return _Candidates(lin // m, lin % m, cv[first]), lo, hi


def _flow(
    cand: _Candidates,
    n: int,
    m: int,
    cap: np.ndarray,
    beta: int,
    lo: float,
    hi: float,
    coarse: bool = False,
) -> np.ndarray | None:
    """Mentor of each mentee (-1: none) in the optimum of the rounded problem on the candidates,
    None when OR-Tools cannot solve it.

    Coverage objectives: the most flow, then the least cost among the largest flows
    (``solve_max_flow_with_min_cost``), so no bonus eats into the integer range; ``score``: a
    bypass arc source -> sink of cost 0 and a plain min-cost flow.
    """
    spread = max(abs(lo), abs(hi))
    spread = spread if 0 < spread < math.inf else 1.0
    nodes = n + m + 2
    budget = 2.0**BUDGET_EXP / (nodes + 1)  # OR-Tools: |cost| * (nodes + 1) must fit in int64
    if coarse:
        budget = min(budget, 2.0**COARSE_BITS)
    scale = 2.0 ** math.floor(math.log2(budget / spread))
    cost = -np.rint(cand.v * scale).astype(np.int64)
    src, sink = n + m, n + m + 1
    k = len(cand.i)
    parts_t = [np.full(n, src), cand.i, n + np.arange(m)]
    parts_h = [np.arange(n), n + cand.j, np.full(m, sink)]
    parts_c = [np.ones(n), np.ones(k), cap]
    if not beta:
        parts_t.append(np.array([src]))
        parts_h.append(np.array([sink]))
        parts_c.append(np.array([n]))
    f = min_cost_flow.SimpleMinCostFlow()
    f.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(parts_t).astype(np.int32),
        np.concatenate(parts_h).astype(np.int32),
        np.concatenate(parts_c).astype(np.int64),
        np.concatenate([np.zeros(n, np.int64), cost, np.zeros(m + (not beta), np.int64)]),
    )
    f.set_node_supply(src, n)
    f.set_node_supply(sink, -n)
    status = f.solve_max_flow_with_min_cost() if beta else f.solve()
    if status != f.OPTIMAL:
        return None
    used = f.flows(np.arange(n, n + k, dtype=np.int32)) > 0
    mentor = np.full(n, -1, dtype=np.int64)
    mentor[cand.i[used]] = cand.j[used]
    return mentor


def _longest(
    m: int, tail: np.ndarray, head: np.ndarray, length: np.ndarray, init: np.ndarray, tol: float
) -> np.ndarray | None:
    """Least ``b >= init`` with ``b[head] >= b[tail] + length`` on every arc (None: a positive
    cycle, the pairing is not optimal). Label correcting from the nodes that changed.

    Every ``CYCLE_CHECK`` passes the predecessor graph (the arc that last raised each label) is
    searched for a cycle: such a cycle is positive (each of its arcs raised its head by more than
    ``tol`` while the tail's label has only grown since; Cherkassky and Goldberg 1999), so the
    search stops there instead of after ``m`` passes.
    """
    order = np.argsort(tail, kind="stable")
    tail, head, length = tail[order], head[order], length[order]
    ptr = np.searchsorted(tail, np.arange(m + 1))
    b = init.copy()
    pred = np.arange(m)
    frontier = np.flatnonzero(np.isfinite(b))
    for k in range(1, m + 3):
        starts, ends = ptr[frontier], ptr[frontier + 1]
        cnt = ends - starts
        total = int(cnt.sum())
        if total == 0:
            return b
        idx = np.repeat(starts - np.cumsum(cnt) + cnt, cnt) + np.arange(total)
        reach = b[tail[idx]] + length[idx]
        new = np.full(m, -np.inf)
        np.maximum.at(new, head[idx], reach)
        better = new > b + tol
        if not better.any():
            return b
        won = better[head[idx]] & (reach == new[head[idx]])
        pred[head[idx[won]]] = tail[idx[won]]
        b[better] = new[better]
        frontier = np.flatnonzero(better)
        if k % CYCLE_CHECK == 0 and _has_cycle(pred):
            return None
    return None


def _has_cycle(pred: np.ndarray) -> bool:
    """Whether the predecessor graph (roots point to themselves) has a cycle: after at least
    ``len(pred)`` steps every walk is on its cycle or at its root (pointer doubling)."""
    p = pred
    for _ in range(max(1, int(len(pred) - 1).bit_length())):
        p = p[p]
    return bool((pred[p] != p).any())


def _duals(
    cand: _Candidates, mentor: np.ndarray, n: int, m: int, cap: np.ndarray, beta: int, tol: float
) -> _Duals | None:
    """Float duals proving ``mentor`` optimal on the candidates, None when they do not exist."""
    paired = mentor >= 0
    own = np.full(n, np.nan)
    mine = paired[cand.i] & (cand.j == mentor[cand.i])
    own[cand.i[mine]] = cand.v[mine]
    arc = paired[cand.i] & ~mine
    tail, head = mentor[cand.i[arc]], cand.j[arc]
    length = cand.v[arc] - own[cand.i[arc]]
    free_i = ~paired[cand.i]
    src = np.full(m, -np.inf)
    np.maximum.at(src, cand.j[free_i], cand.v[free_i])
    load = np.bincount(mentor[paired], minlength=m)
    if beta:
        b1 = _longest(m, tail, head, length, src, tol)
        b0 = None if b1 is None else _longest(m, tail, head, length, np.zeros(m), tol)
        if b1 is None or b0 is None:
            return None
        a = np.isfinite(b1).astype(np.int64)
        b = np.where(a == 1, b1, b0)
    else:
        bb = _longest(m, tail, head, length, np.maximum(src, 0.0), tol)
        if bb is None:
            return None
        a, b = np.zeros(m, dtype=np.int64), bb
    au = np.zeros(n, dtype=np.int64)
    bu = np.zeros(n)
    k = mentor[paired]
    au[paired] = beta - a[k]
    bu[paired] = own[paired] - b[k]
    # u >= 0 (a mentee with level 1 has u = B + ... > 0), p = 0 where a place is free
    if ((au[paired] == 0) & (bu[paired] < -tol)).any():
        return None
    spare = load < cap
    if (a[spare] > 0).any() or (b[spare] > tol).any():
        return None
    return _Duals(a, b, au, bu)


def _price(
    source: RowSource,
    n: int,
    m: int,
    cap: np.ndarray,
    score: bool,
    cand: _Candidates,
    d: _Duals,
    beta: int,
    tol: float,
    top: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each mentee's ``top`` pairs outside the candidates of largest positive reduced cost
    (rows, cols, scores); empty when there is none: the pairing is optimal.

    The reduced cost ``(beta - au_i - a_j) B + (v_ij - bu_i - b_j)`` is positive when the
    level is positive, or zero and ``v_ij - bu_i - b_j > tol``. Per chunk of rows one dense key
    ``v_ij - bu_i - b_j``, plus ``shift`` (more than any ``|v - bu - b|``) where the level is
    positive and ``-inf`` where it is negative, where the pair is not usable and on the
    candidates (scattered from their sorted rows): a pair is improving exactly when its key
    exceeds ``tol``, and the rows with one rank their keys by ``argpartition``.
    """
    shift = 4.0 * (
        float(np.abs(cand.v).max(initial=0.0))
        + float(np.abs(d.b).max(initial=0.0))
        + float(np.abs(d.bu).max(initial=0.0))
        + 1.0
    )
    if beta:  # by mentee level au = 0 (level 1 - a_j) and au = 1 (level -a_j)
        by_level = np.stack([np.where(d.a == 0, shift, 0.0), np.where(d.a == 0, 0.0, -np.inf)])
        by_level -= d.b[None, :]
    else:
        by_level = -d.b[None, :]
    cap_ok = cap > 0
    step = _chunk_rows(m)
    bounds = np.searchsorted(cand.i, np.arange(0, n + step, step))
    out_i, out_j, out_v = [], [], []
    for c, r0 in enumerate(range(0, n, step)):
        r1 = min(n, r0 + step)
        value, allowed = source(r0, r1)
        key = by_level[d.au[r0:r1]]
        key += value
        key -= d.bu[r0:r1, None]
        key[~_usable(value, allowed, cap_ok, score)] = -np.inf
        k0, k1 = bounds[c], bounds[c + 1]
        key[cand.i[k0:k1] - r0, cand.j[k0:k1]] = -np.inf
        rows = np.flatnonzero((key > tol).any(axis=1))
        if len(rows) == 0:
            continue
        ri, cj = _top_per_row(key[rows], rows + r0, top, tol, shift)
        ri = rows[ri]
        out_i.append(ri + r0)
        out_j.append(cj)
        out_v.append(value[ri, cj])
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_v)


def _top_per_row(
    key: np.ndarray, gi: np.ndarray, k: int, floor: float, span: float
) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of each row's ``k`` largest keys above ``floor`` (rows of ``key``, whose
    global mentee ids are ``gi``).

    Only a choice of which pairs to take first (never part of a proof), so the ranking may
    round: a deterministic jitter below ``1e-9 span`` per pair, a hash of (mentee, mentor),
    spreads equal keys over the mentors (ties are common with discrete scores), so that the
    lowest-numbered or most popular mentors do not collect every tie.
    """
    r, m = key.shape
    k = min(k, m)
    jit = gi[:, None] * 7919 + (np.arange(m, dtype=np.int64) * 104729)[None, :]
    jit %= 997
    ranked = jit * (1e-9 * max(span, 1.0) / 997)
    ranked += key
    if k < m:
        top = np.argpartition(ranked, m - k, axis=1)[:, m - k :]
    else:
        top = np.broadcast_to(np.arange(m), (r, m))
    rr = np.repeat(np.arange(r), k)
    tj = top.ravel()
    keep = key[rr, tj] > floor
    rr, tj = rr[keep], tj[keep]
    order = np.lexsort((tj, rr))
    return rr[order], tj[order]


def _solve_sparse(
    source: RowSource, n: int, m: int, cap: np.ndarray, objective: str
) -> tuple[np.ndarray, np.ndarray, _SolveInfo] | None:
    """Optimal pairs of the pure problem (``coverage_then_score`` or ``score``) by min-cost flow
    on candidate pairs with dual pricing; None when optimality cannot be proven in floats (the
    caller then uses the dense method)."""
    if objective not in ("coverage_then_score", "score"):
        raise AssertionError(f"sparse pairing has no {objective!r} objective")  # maximin: dense
    cap = np.asarray(cap, dtype=np.int64)
    score = objective == "score"
    beta = 0 if score else 1
    info = _SolveInfo(solver=SOLVER_NAME)
    cand, lo, hi = _initial(source, n, m, cap, score)
    empty = np.zeros(0, dtype=np.int64)
    if len(cand.i) == 0:
        info.notes.append("sparse: no allowed pair")
        info.scores = np.zeros(0)
        return empty, empty, info
    tol = TOL * max(1.0, abs(lo), abs(hi))
    coarse = COARSE_BITS > 0
    for rounds in range(1, MAX_ROUNDS + 1):
        mentor = _flow(cand, n, m, cap, beta, lo, hi, coarse)
        d = None if mentor is None else _duals(cand, mentor, n, m, cap, beta, tol)
        if d is None and coarse:  # the coarse optimum is not proven: the fine costs from now
            coarse = False
            mentor = _flow(cand, n, m, cap, beta, lo, hi)
            d = None if mentor is None else _duals(cand, mentor, n, m, cap, beta, tol)
        if mentor is None or d is None:
            return None
        pi, pj, pv = _price(source, n, m, cap, score, cand, d, beta, tol, PRICE_TOP)
        if len(pi) == 0:
            info.iterations = rounds
            info.candidate_pairs = len(cand.i)
            info.notes.append(
                f"sparse: optimality over all pairs proven by dual pricing after {rounds} "
                f"round(s) on {len(cand.i)} candidate pairs"
            )
            rows = np.flatnonzero(mentor >= 0)
            at = np.searchsorted(cand.i * m + cand.j, rows * m + mentor[rows])
            info.scores = cand.v[at]
            return rows, mentor[rows], info
        cand.add(pi, pj, pv)
    return None
