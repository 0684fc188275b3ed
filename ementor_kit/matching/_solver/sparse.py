"""Exact pairing on sparse candidate pairs: min-cost flow plus dual pricing of every pair (private).

The pure capacity problem (no quotas) of :mod:`ementor_kit.matching._solver` without ever holding
a mentees x mentors matrix of costs: the scores are read in chunks of mentee rows.

Method
------
1. Candidate pairs: each mentee's best ``ROW_TOP`` allowed mentors (equal scores spread over
   the mentors by a deterministic hash of the pair, so that popular or low-numbered mentors do
   not collect every tie) and each mentor's best ``min(COL_TOP, 2 cap + 2)`` allowed mentees,
   in one chunked pass over the scores. A mentee's best are found among the cells within a gap
   of its row's maximum (the gap set on the first chunk; a row with too few such cells is
   ranked whole), a mentor's best with a running threshold (its k-th best so far, updated
   between batches of ``INITIAL_BATCH`` chunks): a chunk costs a few comparisons per cell.
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
4. Pricing: every pair left out has the reduced cost ``w_ij - u_i - p_j``; when none is
   positive the duals are feasible for the whole problem, which proves the pairing optimal over
   all pairs (weak duality). Tolerance: ``TOL`` times the largest absolute usable score, per
   pair (1e-9 points on a 0-100 scale; the dense path adds a bonus of about ``n * 100`` to
   every cost, which rounds each score to about 1e-10 at n = 10,000). A pass over the scores
   (:func:`_price`) computes each chunk's reduced costs in the scores' own precision (float32
   scores stay float32: half the memory traffic) and keeps the cells above ``-delta`` less a
   bound on the rounding error; those few are checked in float64, the keys the proof rests on.
   Each mentee's ``PRICE_TOP`` improving pairs are added (column generation: the proof needs
   only that none is left), and its next ``POOL_TOP`` pairs above ``-delta`` are kept as near
   pairs, with a bound ``t`` on every other pair of its row.
5. Rounds without reading the scores: after each flow the near pairs are priced exactly; the
   improving ones are added, with every near pair within ``TIGHT`` times the score range of
   improving (the next to improve as the duals move: fewer rounds). A row read at duals
   ``(u', p')`` is still proven when ``t_i + (u'_i - u_i) + max_j (p'_j - p_j) <= tol`` (no
   level of ``B`` rose since), for its reduced costs moved by at most that much; the rows left
   unproven are read again in the same round (a partial pass, consecutive rows read together),
   and when neither the near pairs nor that pass add a pair the pairing is proven. While the
   coverage can grow (a place is free and the coverage grew since), the unpaired mentees' rows
   are read first and the others only when those add nothing: a larger coverage lowers some
   mentors' level, which would void the bound of every row read before. At most
   ``MAX_ROUNDS`` rounds, then the caller uses the dense method.

The chunks of a pass are read on ``workers`` threads (numpy, and most scorers, release the GIL
while they work on a block); results are combined in chunk order, so the outcome does not
depend on the number of threads.

Ties between equally good pairings are broken by the flow solver on the arcs in id order, so
the result depends only on the content of the input (it may differ from the dense method's
pick among equally good pairings; the objective value is the same).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from ementor_kit.matching._solver.info import _SolveInfo

ROW_TOP = 2
PRICE_TOP = 10  # pairs added per mentee and round (5, 8, 10 measured: 10 never slower)
POOL_TOP = 128  # near pairs kept per mentee and pass, priced again without reading the scores
TIGHT = 1e-5  # near pairs this close to improving (times the score range) are added with those
COL_TOP = 32
TOL = 1e-11
BUDGET_EXP = 60
MAX_ROUNDS = 60
CYCLE_CHECK = 16  # passes of the longest-path search between two searches for a cycle
CHUNK_CELLS = 1 << 21  # cells of one chunk of score rows (8 MB of float32, 16 MB of float64)
INITIAL_BATCH = 8  # chunks read between two updates of the mentors' thresholds
SOLVER_NAME = "OR-Tools min-cost flow (sparse, dual pricing)"

# rows(r0, r1) -> scores of mentee rows r0:r1, shape (r1 - r0, m), float32 or float64,
# NaN where the pair is not allowed
RowSource = Callable[[int, int], np.ndarray]


def _dense_source(value: np.ndarray, allowed: np.ndarray) -> RowSource:
    """The chunks of a dense value matrix, NaN where ``allowed`` is False (views when every
    pair is allowed)."""
    if allowed.all():
        return lambda r0, r1: value[r0:r1]
    return lambda r0, r1: np.where(allowed[r0:r1], value[r0:r1], np.nan)


@dataclass
class _Candidates:
    """Candidate pairs sorted by (row, column), with their scores and linear ids ``i m + j``."""

    i: np.ndarray
    j: np.ndarray
    v: np.ndarray
    m: int

    def __post_init__(self) -> None:
        self.lin = self.i * self.m + self.j

    def add(self, i: np.ndarray, j: np.ndarray, v: np.ndarray) -> None:
        lin = i * self.m + j
        order = np.argsort(lin, kind="stable")
        at = np.searchsorted(self.lin, lin[order])  # merged into the sorted pairs
        self.i = np.insert(self.i, at, i[order])
        self.j = np.insert(self.j, at, j[order])
        self.v = np.insert(self.v, at, v[order])
        self.lin = np.insert(self.lin, at, lin[order])

    def has(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if len(self.lin) == 0:
            return np.zeros(len(i), dtype=bool)
        want = i * self.m + j
        at = np.minimum(np.searchsorted(self.lin, want), len(self.lin) - 1)
        return self.lin[at] == want


@dataclass
class _Duals:
    """Lexicographic duals ``a B + b``: mentors ``(a, b)``, mentees ``(au, bu)``."""

    a: np.ndarray
    b: np.ndarray
    au: np.ndarray
    bu: np.ndarray


@dataclass
class _Pool:
    """What the last pass over each mentee's row left: its near pairs (reduced cost above
    ``-delta``, at most ``POOL_TOP``, sorted by row) and a bound ``t`` on the reduced cost of
    every other pair of the row outside the candidates, at the duals of that pass (mentee part
    ``bu``, ``au``; mentor part ``epochs[epoch]``). ``t = inf``: the row was never read."""

    i: np.ndarray
    j: np.ndarray
    v: np.ndarray
    t: np.ndarray
    bu: np.ndarray
    au: np.ndarray
    epoch: np.ndarray
    epochs: list[tuple[np.ndarray, np.ndarray]]  # the mentors' (a, b) of each pass


def _chunk_rows(m: int) -> int:
    return max(1, CHUNK_CELLS // max(m, 1))


def _chunks(n: int, m: int, rows: np.ndarray | None = None) -> list[tuple[int, int]]:
    """The chunks of rows: all of them, or the runs of ``rows`` (sorted; gaps of up to an eighth
    of a chunk read through), each cut into chunks."""
    step = _chunk_rows(m)
    if rows is None:
        return [(r0, min(n, r0 + step)) for r0 in range(0, n, step)]
    cut = np.flatnonzero(np.diff(rows) > max(1, step // 8)) + 1  # short gaps read through
    starts, stops = rows[np.r_[0, cut]], rows[np.r_[cut - 1, len(rows) - 1]] + 1
    return [
        (r0, min(int(r1), r0 + step))
        for a, r1 in zip(starts.tolist(), stops.tolist(), strict=True)
        for r0 in range(a, r1, step)
    ]


Job = Callable[[int, int, np.ndarray], object]


def _map(job: Job, chunks: list[tuple[int, int]], source: RowSource, ex: Executor | None) -> list:
    """``job(r0, r1, scores)`` on each chunk, in chunk order (on the threads of ``ex``: numpy
    and most scorers release the GIL while they work on a block)."""

    def one(c: tuple[int, int]) -> object:
        return job(c[0], c[1], source(c[0], c[1]))

    if ex is None or len(chunks) < 2:
        return [one(c) for c in chunks]
    return list(ex.map(one, chunks))


def _reusing(source: RowSource, r0: int, r1: int, block: np.ndarray) -> RowSource:
    """``source``, except that rows r0:r1 come from ``block`` (already read) the first time."""
    kept = [block]

    def rows(a: int, b: int) -> np.ndarray:
        if (a, b) == (r0, r1) and kept:
            return kept.pop()
        return source(a, b)

    return rows


def _jitter(gi: np.ndarray, j: np.ndarray) -> np.ndarray:
    """A deterministic hash of (mentee, mentor) in [0, 1), to spread equal keys over mentors."""
    return ((gi.astype(np.int64) * 7919 + j.astype(np.int64) * 104729) % 997) / 997.0


def _group_rank(g: np.ndarray) -> np.ndarray:
    """Rank of each entry within its run of equal (sorted) ``g``."""
    if len(g) == 0:
        return np.zeros(0, np.int64)
    start = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    counts = np.diff(np.r_[start, len(g)])
    return np.arange(len(g)) - np.repeat(start, counts)


def _rank_by_row(
    g: np.ndarray, j: np.ndarray, key: np.ndarray, scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """Order of the entries by (row, key descending; equal keys by a hash of the pair) and the
    rank of each within its row.

    One stable sort on a float key (a third of a two-key lexsort's time): keys closer than the
    rounding of ``rows * range`` may come in either order, so callers use the ranks to choose
    pairs, never to bound the others.
    """
    if len(g) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ranked = key + _jitter(g, j) * (1e-9 * max(scale, 1.0))
    top = float(ranked.max())
    width = 2.0 * max(top - float(ranked.min()), 1.0)  # rows never overlap
    order = np.argsort((g - g.min()) * width + (top - ranked), kind="stable")
    return order, _group_rank(g[order])


def _usable_block(value: np.ndarray, off: np.ndarray | None, score: bool) -> np.ndarray:
    """Scores with NaN where the pair cannot be used (not allowed, no place, or not positive
    with the ``score`` objective); ``off`` is NaN on the mentors without a place."""
    if off is not None:
        value = value + off.astype(value.dtype)
    if score:
        value = np.where(value > 0, value, np.nan)
    return value


def _initial(
    source: RowSource,
    n: int,
    m: int,
    cap: np.ndarray,
    score: bool,
    ex: Executor | None,
) -> tuple[_Candidates, float, float]:
    """Each mentee's best ``ROW_TOP`` mentors, each mentor's best ``min(COL_TOP, 2 cap + 2)``
    mentees, and the range of the usable scores, in one chunked pass.

    A mentee's best are the cells within a gap of its row's maximum (the gap calibrated on the
    first chunk so that a row has about ``2 ROW_TOP`` of them; a row with fewer is ranked whole);
    the mentors' best are kept with a threshold per mentor (the k-th best so far), so a chunk
    costs a few comparisons per cell and work on the few cells above the thresholds.
    """
    cap_ok = cap > 0
    kc = np.minimum(COL_TOP, 2 * cap + 2) * cap_ok
    off = None if cap_ok.all() else np.where(cap_ok, 0.0, np.nan)
    k = min(ROW_TOP, m)
    r0, r1 = 0, min(n, _chunk_rows(m))
    block = source(r0, r1)
    source = _reusing(source, r0, r1, block)
    first = _usable_block(block, off, score)
    filled = np.where(np.isnan(first), -np.inf, first)
    q = max(0, m - 2 * k)
    kth = np.partition(filled, q, axis=1)[:, q]
    rmax = filled.max(axis=1)
    both = np.isfinite(rmax) & np.isfinite(kth)
    gaps = rmax[both] - kth[both]
    gap = float(np.median(gaps)) if len(gaps) else 0.0
    thr = np.where(kc > 0, -np.inf, np.inf)
    if r1 - r0 > int(kc.max(initial=0)):  # the first chunk's own k-th best per mentor
        part = np.partition(filled, (r1 - r0) - np.unique(np.maximum(kc, 1)), axis=0)
        own = part[(r1 - r0) - np.maximum(kc, 1), np.arange(m)]
        thr = np.where(kc > 0, np.nextafter(own, -np.inf), thr)

    def job(r0: int, r1: int, value: np.ndarray, thr: np.ndarray) -> tuple | None:
        v = _usable_block(value, off, score)
        rmax = np.fmax.reduce(v, axis=1)
        ok = ~np.isnan(rmax)
        if not ok.any():
            return None
        scale = float(np.nanmax(np.abs(rmax)))
        lo, hi = float(np.fmin.reduce(v, axis=None)), float(np.nanmax(rmax))
        flat = np.flatnonzero((v >= (rmax - gap)[:, None]).ravel())
        ii, jj = flat // m, flat % m
        short = np.flatnonzero(ok & (np.bincount(ii, minlength=len(v)) < k))
        if len(short):  # rows with fewer than k cells near their maximum: the whole row
            sub = v[short]
            sub = np.where(np.isnan(sub), -np.inf, sub)
            top = np.argpartition(sub, m - k, axis=1)[:, m - k :] if k < m else None
            si = np.repeat(short, k) if top is not None else np.repeat(short, m)
            sj = top.ravel() if top is not None else np.tile(np.arange(m), len(short))
            keep = ~np.isin(ii, short)
            ii, jj = np.concatenate([ii[keep], si]), np.concatenate([jj[keep], sj])
        vv = v[ii, jj].astype(np.float64)
        fin = ~np.isnan(vv)
        ii, jj, vv = ii[fin], jj[fin], vv[fin]
        order, rank = _rank_by_row(ii + r0, jj, vv, scale)
        sel = order[rank < k]
        cflat = np.flatnonzero((v > thr.astype(v.dtype)[None, :]).ravel())
        ci, cj = cflat // m, cflat % m
        cv = v[ci, cj].astype(np.float64)
        return ii[sel] + r0, jj[sel], vv[sel], ci + r0, cj, cv, lo, hi

    keep_i = np.zeros(0, np.int64)
    keep_j = np.zeros(0, np.int64)
    keep_v = np.zeros(0)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    buf: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    lo, hi = math.inf, -math.inf

    def compact() -> np.ndarray:
        nonlocal keep_i, keep_j, keep_v
        keep_i = np.concatenate([keep_i, *(b[0] for b in buf)])
        keep_j = np.concatenate([keep_j, *(b[1] for b in buf)])
        keep_v = np.concatenate([keep_v, *(b[2] for b in buf)])
        buf.clear()
        # by mentor, then score descending (one float key: a third of a lexsort's time); equal
        # scores of a mentor keep their order, which is by mentee (kept pairs, then chunks)
        top = keep_v.max(initial=0.0)
        width = 2.0 * max(top - keep_v.min(initial=0.0), 1.0)
        order = np.argsort(keep_j * width + (top - keep_v), kind="stable")
        keep_i, keep_j, keep_v = keep_i[order], keep_j[order], keep_v[order]
        sel = _group_rank(keep_j) < kc[keep_j]
        keep_i, keep_j, keep_v = keep_i[sel], keep_j[sel], keep_v[sel]
        full = np.bincount(keep_j, minlength=m) >= kc
        mins = np.full(m, np.inf)
        np.minimum.at(mins, keep_j, keep_v)
        return np.where(full & (kc > 0), mins, np.where(kc > 0, -np.inf, np.inf))

    chunks = _chunks(n, m)
    room = max(int(kc.sum()), 1 << 16)
    for b0 in range(0, len(chunks), INITIAL_BATCH):
        snapshot = functools.partial(job, thr=thr)  # the thresholds of this batch
        for res in _map(snapshot, chunks[b0 : b0 + INITIAL_BATCH], source, ex):
            if res is None:
                continue
            parts.append(res[:3])
            buf.append(res[3:6])
            lo, hi = min(lo, res[6]), max(hi, res[7])
        if sum(len(b[0]) for b in buf) > room:
            thr = compact()
    compact()
    ci = np.concatenate([*(p[0] for p in parts), keep_i])
    cj = np.concatenate([*(p[1] for p in parts), keep_j])
    cv = np.concatenate([*(p[2] for p in parts), keep_v])
    lin, at = np.unique(ci.astype(np.int64) * m + cj, return_index=True)
    return _Candidates(lin // m, lin % m, cv[at], m), lo, hi


def _flow(
    cand: _Candidates,
    n: int,
    m: int,
    cap: np.ndarray,
    beta: int,
    lo: float,
    hi: float,
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


def _shift(cand: _Candidates, d: _Duals) -> float:
    """More than any ``|v - bu - b|``: added to the key of a pair of positive level."""
    return 4.0 * (
        float(np.abs(cand.v).max(initial=0.0))
        + float(np.abs(d.b).max(initial=0.0))
        + float(np.abs(d.bu).max(initial=0.0))
        + 1.0
    )


def _keys(
    i: np.ndarray,
    j: np.ndarray,
    v: np.ndarray,
    d: _Duals,
    beta: int,
    shift: float,
    cap_ok: np.ndarray,
) -> np.ndarray:
    """Exact float64 keys of pairs: ``v - bu_i - b_j``, plus ``shift`` where the level
    ``beta - au_i - a_j`` is positive, ``-inf`` where it is negative or the mentor has no place.
    A pair is improving exactly when its key exceeds ``tol``."""
    key = v - d.bu[i] - d.b[j]
    level = beta - d.au[i] - d.a[j]
    key = np.where(level > 0, key + shift, np.where(level < 0, -np.inf, key))
    return np.where(cap_ok[j], key, -np.inf)


@dataclass
class _Pass:
    """What a pass over some chunks found: pairs to add, near pairs, and each row's bound."""

    add: tuple[np.ndarray, np.ndarray, np.ndarray]
    near: tuple[np.ndarray, np.ndarray, np.ndarray]
    rows: np.ndarray  # the rows read
    t: np.ndarray  # their bounds


def _price(
    source: RowSource,
    chunks: list[tuple[int, int]],
    m: int,
    cap: np.ndarray,
    score: bool,
    cand: _Candidates,
    d: _Duals,
    beta: int,
    tol: float,
    span: float,
    ex: Executor | None,
) -> _Pass:
    """Price every pair of the rows of ``chunks`` at the duals ``d``.

    Per chunk one dense key ``v - bu_i - b_j`` (``shift`` added where the level is positive,
    ``-inf`` where it is negative or the mentor has no place) in the scores' own precision,
    kept as ``key + bu_i`` and compared with ``bu_i - delta`` less a bound on its rounding
    error (one pass over the cells fewer); the few cells above are
    checked in float64 (:func:`_keys`, the keys the proof rests on), and the candidates among
    them set aside by a search in their sorted ids. Each row keeps its ``POOL_TOP`` non-candidate
    pairs of largest key above ``-delta`` (the near pairs) and a bound ``t`` on the key of
    every other pair (``-delta``, or the largest key among the others when it has more); its
    ``PRICE_TOP`` largest ones above ``tol`` are to be added (column generation: the proof
    needs only that none is left). ``delta`` is set on the first chunk so that a row keeps
    about ``POOL_TOP / 2`` pairs.
    """
    cap_ok = cap > 0
    shift = _shift(cand, d)
    if beta:
        c0 = np.where(d.a == 0, shift, 0.0) - d.b  # rows with au = 0
        c1 = np.where(d.a == 0, -d.b, -np.inf)  # rows with au = 1
    else:
        c0 = -d.b
        c1 = c0
    c0 = np.where(cap_ok, c0, -np.inf)
    c1 = np.where(cap_ok, c1, -np.inf)
    fin = np.isfinite(c0)
    bound = span + float(np.abs(c0[fin]).max(initial=0.0)) + float(np.abs(d.bu).max(initial=0.0))

    def mentor_part(r0: int, r1: int, value: np.ndarray) -> np.ndarray:
        # ``key + bu``: one broadcast add per chunk, with the mentor part of the level most of
        # its rows have (au = 1 once every mentee is paired); the other rows alone again
        dt = value.dtype
        au = d.au[r0:r1]
        most = 1 if beta and 2 * int(au.sum()) >= len(au) else 0
        part = np.add(value, (c1 if most else c0).astype(dt))
        other = np.flatnonzero(au != most)
        if len(other):
            part[other] = value[other] + (c0 if most else c1).astype(dt)
        return part

    r0, r1 = chunks[0]
    block = source(r0, r1)
    source = _reusing(source, r0, r1, block)
    first = mentor_part(r0, r1, block).astype(np.float64) - d.bu[r0:r1, None]
    first[np.isnan(first)] = -np.inf
    q = max(0, m - max(1, POOL_TOP // 2))
    kth = np.partition(first, q, axis=1)[:, q]
    kth = kth[np.isfinite(kth)]
    delta = max(-float(np.median(kth)) if len(kth) else 0.0, 1e3 * tol)

    def job(r0: int, r1: int, value: np.ndarray) -> tuple:
        part = mentor_part(r0, r1, value)
        dt = value.dtype
        margin = 8.0 * float(np.finfo(dt).eps) * (bound + shift + delta)
        # key > -delta - margin, compared as key + bu > bu - delta - margin (no pass for bu)
        flat = np.flatnonzero((part > (d.bu[r0:r1] - delta - margin).astype(dt)[:, None]).ravel())
        t = np.full(r1 - r0, -delta)
        cnt = np.bincount(flat // m, minlength=r1 - r0)
        heavy = np.flatnonzero(cnt > 4 * POOL_TOP)
        if len(heavy):  # rows with many pairs above -delta: their 2 POOL_TOP largest keys
            kf = part.ravel()[flat]
            starts = np.cumsum(cnt) - cnt
            keep = np.ones(len(flat), dtype=bool)
            for r in heavy:
                row = kf[starts[r] : starts[r] + cnt[r]]
                cut = np.partition(row, cnt[r] - 2 * POOL_TOP)[cnt[r] - 2 * POOL_TOP]
                keep[starts[r] : starts[r] + cnt[r]] = row > cut
                t[r] = float(cut) - float(d.bu[r0 + r]) + margin
            flat = flat[keep]
        g, jj = flat // m + r0, flat % m
        vv = value.ravel()[flat].astype(np.float64)
        ok = ~cand.has(g, jj) & (vv > 0 if score else np.ones(len(g), dtype=bool))
        g, jj, vv = g[ok], jj[ok], vv[ok]
        k = _keys(g, jj, vv, d, beta, shift, cap_ok)
        ok = k > -delta
        g, jj, vv, k = g[ok], jj[ok], vv[ok], k[ok]
        order, rank = _rank_by_row(g, jj, k, span)
        g, jj, vv, k = g[order], jj[order], vv[order], k[order]
        over = rank >= POOL_TOP
        np.maximum.at(t, g[over] - r0, k[over])  # every pair left out, whatever its rank
        near = rank < POOL_TOP
        add = near & (rank < PRICE_TOP) & (k > tol)
        near &= ~add
        return (g[add], jj[add], vv[add]), (g[near], jj[near], vv[near]), t

    res = _map(job, chunks, source, ex)
    add = tuple(np.concatenate(x) for x in zip(*(r[0] for r in res), strict=True))
    near = tuple(np.concatenate(x) for x in zip(*(r[1] for r in res), strict=True))
    rows = np.concatenate([np.arange(r0, r1) for r0, r1 in chunks])
    return _Pass(add, near, rows, np.concatenate([r[2] for r in res]))  # type: ignore[arg-type]


def _new_pool(n: int) -> _Pool:
    z = np.zeros(0, np.int64)
    return _Pool(
        z,
        z,
        np.zeros(0),
        np.full(n, np.inf),
        np.zeros(n),
        np.zeros(n, np.int64),
        np.zeros(n, np.int64),
        [],
    )


def _remember(pool: _Pool, found: _Pass, d: _Duals) -> None:
    """Replace the near pairs and bounds of the rows read by ``found`` (at the duals ``d``)."""
    read = np.zeros(len(pool.t), dtype=bool)
    read[found.rows] = True
    keep = ~read[pool.i]
    pool.i = np.concatenate([pool.i[keep], found.near[0]])
    pool.j = np.concatenate([pool.j[keep], found.near[1]])
    pool.v = np.concatenate([pool.v[keep], found.near[2]])
    pool.t[found.rows] = found.t
    pool.bu[found.rows] = d.bu[found.rows]
    pool.au[found.rows] = d.au[found.rows]
    pool.epoch[found.rows] = len(pool.epochs)
    pool.epochs.append((d.a.copy(), d.b.copy()))


def _from_pool(
    pool: _Pool, cand: _Candidates, d: _Duals, beta: int, tol: float, span: float, cap: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``PRICE_TOP`` improving near pairs at the duals ``d`` and, when there are some,
    every near pair within ``TIGHT`` times the score range of improving, taken out of the pool."""
    k = _keys(pool.i, pool.j, pool.v, d, beta, _shift(cand, d), cap > 0)
    imp = np.flatnonzero(k > tol)
    order, rank = _rank_by_row(pool.i[imp], pool.j[imp], k[imp], span)
    take = imp[order[rank < PRICE_TOP]]
    if len(take):  # with them, the pairs nearly tight: the next to improve (fewer rounds)
        take = np.sort(np.concatenate([take, np.flatnonzero((k > -TIGHT * span) & (k <= tol))]))
    out = pool.i[take], pool.j[take], pool.v[take]
    left = np.ones(len(pool.i), dtype=bool)
    left[take] = False
    pool.i, pool.j, pool.v = pool.i[left], pool.j[left], pool.v[left]
    return out


def _unproven(pool: _Pool, d: _Duals, cap: np.ndarray, beta: int, tol: float) -> np.ndarray:
    """Rows whose pairs outside the candidates and the pool may now be improving.

    A row read at the duals ``(a', b', au', bu')`` bounded the key of each such pair by ``t``;
    while no level rose (no mentor's ``a`` from 1 to 0, nor the row's ``au``), its key now is at
    most ``t + (bu'_i - bu_i) + max_j (b'_j - b_j)`` (the mentors with a place).
    """
    cap_ok = cap > 0
    slack = np.full(len(pool.epochs), np.inf)
    for e, (a, b) in enumerate(pool.epochs):
        rose = beta and bool(((a == 1) & (d.a == 0) & cap_ok).any())
        if not rose:
            slack[e] = float((b - d.b)[cap_ok].max(initial=-np.inf))
    bound = pool.t + (pool.bu - d.bu) + slack[pool.epoch] if pool.epochs else pool.t
    lost = (pool.au == 1) & (d.au == 0)
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(~(bound <= tol) | lost)


@dataclass
class _Read:
    """What the reading of a round found: pairs to add, and which rows were read."""

    add: tuple[np.ndarray, np.ndarray, np.ndarray]
    rows: np.ndarray  # bool per mentee
    free: bool  # the unpaired mentees' rows were read first


def _read_rows(
    source: RowSource,
    pool: _Pool,
    cand: _Candidates,
    mentor: np.ndarray,
    d: _Duals,
    cap: np.ndarray,
    score: bool,
    beta: int,
    tol: float,
    span: float,
    free_first: bool,
    ex: Executor | None,
) -> _Read:
    """Price the rows left unproven at the duals ``d`` (:func:`_unproven`); with ``free_first``
    the unpaired mentees' first, and the others only when those add nothing (while the
    coverage grows the mentors' levels fall, and a pass over the other rows would have to be
    made again)."""
    n, m = len(mentor), len(cap)
    rows = _unproven(pool, d, cap, beta, tol)
    free = rows[mentor[rows] < 0] if beta and free_first else rows[:0]
    read = np.zeros(n, dtype=bool)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    first = 0 < len(free) < len(rows)
    for part in [free, None] if first else [rows]:
        if part is None:  # those the unpaired mentees' rows left
            part = _unproven(pool, d, cap, beta, tol)
        if len(part) == 0:
            break
        chunks = _chunks(n, m, None if len(part) == n else part)
        got = _price(source, chunks, m, cap, score, cand, d, beta, tol, span, ex)
        _remember(pool, got, d)
        read[got.rows] = True
        found.append(got.add)
        if len(got.add[0]):
            break
    z = np.zeros(0, dtype=np.int64)
    add = tuple(np.concatenate(x) for x in zip((z, z, np.zeros(0)), *found, strict=True))
    return _Read(add, read, first)  # type: ignore[arg-type]


def _solve_sparse(
    source: RowSource, n: int, m: int, cap: np.ndarray, objective: str, workers: int = 1
) -> tuple[np.ndarray, np.ndarray, _SolveInfo] | None:
    """Optimal pairs of the pure problem (``coverage_then_score`` or ``score``) by min-cost flow
    on candidate pairs with dual pricing; None when optimality cannot be proven in floats (the
    caller then uses the dense method). ``workers`` threads read the chunks."""
    if objective not in ("coverage_then_score", "score"):
        raise AssertionError(f"sparse pairing has no {objective!r} objective")  # maximin: dense
    cap = np.asarray(cap, dtype=np.int64)
    score = objective == "score"
    beta = 0 if score else 1
    info = _SolveInfo(solver=SOLVER_NAME)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0 or m == 0:
        info.notes.append("sparse: no allowed pair")
        info.scores = np.zeros(0)
        return empty, empty, info
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as ex:
        cand, lo, hi = _initial(source, n, m, cap, score, ex)
        if len(cand.i) == 0:
            info.notes.append("sparse: no allowed pair")
            info.scores = np.zeros(0)
            return empty, empty, info
        tol = TOL * max(1.0, abs(lo), abs(hi))
        span = max(abs(lo), abs(hi))
        pool = _new_pool(n)
        full = partial = 0
        covered = -1  # the coverage when the unpaired mentees' rows were last read first
        for rounds in range(1, MAX_ROUNDS + 1):
            mentor = _flow(cand, n, m, cap, beta, lo, hi)
            d = None if mentor is None else _duals(cand, mentor, n, m, cap, beta, tol)
            if mentor is None or d is None:
                return None
            add = _from_pool(pool, cand, d, beta, tol, span, cap)
            spare = bool((np.bincount(mentor[mentor >= 0], minlength=m) < cap).any())
            grew = spare and int((mentor >= 0).sum()) > covered
            read = _read_rows(source, pool, cand, mentor, d, cap, score, beta, tol, span, grew, ex)
            if grew and read.free:
                covered = int((mentor >= 0).sum())
            again = read.rows[add[0]]  # rows read again: their pairs priced by the pass itself
            add = tuple(np.r_[x[~again], y] for x, y in zip(add, read.add, strict=True))
            full += int(read.rows.sum()) == n
            partial += 0 < int(read.rows.sum()) < n
            if len(add[0]) == 0:
                info.iterations = rounds
                info.candidate_pairs = len(cand.i)
                info.notes.append(
                    f"sparse: optimality over all pairs proven by dual pricing after {rounds} "
                    f"round(s) on {len(cand.i)} candidate pairs ({full} full and {partial} "
                    "partial pass(es) over the scores)"
                )
                rows = np.flatnonzero(mentor >= 0)
                at = np.searchsorted(cand.lin, rows * m + mentor[rows])
                info.scores = cand.v[at]
                return rows, mentor[rows], info
            cand.add(*add)
    return None
