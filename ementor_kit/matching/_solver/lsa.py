"""The pure capacity problem by linear sum assignment (private)."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linear_sum_assignment

from ementor_kit.matching._solver.flow import _maximin_threshold
from ementor_kit.matching._solver.info import _SolveInfo


def _replicate(sub: np.ndarray, cap: np.ndarray, transpose: bool) -> tuple[np.ndarray, np.ndarray]:
    """Matrix with column ``j`` of ``sub`` repeated ``cap[j]`` times, and the column of each slot.

    Slots are laid out by level (every mentor's first place, then every second place, ...), so
    each level is one block copy; ``transpose`` builds the (slots, rows) matrix instead.
    """
    n_rows, m = sub.shape
    blocks = [np.flatnonzero(cap >= k) for k in range(1, int(cap.max(initial=0)) + 1)]
    slot = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)
    src = np.ascontiguousarray(sub.T) if transpose else sub
    mat = np.empty((len(slot), n_rows) if transpose else (n_rows, len(slot)), dtype=np.float64)
    pos = 0
    chunk = max(1, 2**23 // max(m, 1))  # bounded temporary for the partial levels
    for blk in blocks:
        end = pos + len(blk)
        if len(blk) == m:
            if transpose:
                mat[pos:end] = src
            else:
                mat[:, pos:end] = src
        elif transpose:
            mat[pos:end] = src[blk]
        else:
            for r0 in range(0, n_rows, chunk):
                mat[r0 : r0 + chunk, pos:end] = src[r0 : r0 + chunk][:, blk]
        pos = end
    return mat, slot


def _lsa(
    cost: np.ndarray, cap: np.ndarray, all_allowed: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise ``sum cost[i, j]`` over capacity-respecting matchings; entries >= 0 never used.

    ``cost`` is (n, m) float64 with negative entries for allowed pairs and 0 elsewhere
    (``all_allowed``: every entry is negative, no need to look).
    Returns the (row, column) pairs used, with negative cost only.
    """
    n, m = cost.shape
    empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if n == 0 or m == 0:
        return empty
    if all_allowed:
        rows, col_count = np.arange(n), np.full(m, n)
    else:
        neg = cost < 0
        rows = np.flatnonzero(neg.any(axis=1))
        col_count = neg.sum(axis=0)
        del neg
    cap_eff = np.minimum(cap, col_count)
    cols = np.flatnonzero(cap_eff > 0)
    if len(rows) == 0 or len(cols) == 0:
        return empty
    sub = cost if (len(rows) == n and len(cols) == m) else cost[np.ix_(rows, cols)]
    cap_sub = cap_eff[cols]
    transpose = len(rows) > int(cap_sub.sum())  # scipy wants rows <= columns, else it copies
    mat, slot = _replicate(sub, cap_sub, transpose)
    del sub
    r, c = linear_sum_assignment(mat)
    used = mat[r, c] < 0
    if transpose:
        return rows[c[used]], cols[slot[r[used]]]
    return rows[r[used]], cols[slot[c[used]]]


def _bonus(value: np.ndarray, allowed: np.ndarray, n_max: int, all_allowed: bool = False) -> float:
    """A bonus per pair larger than any difference between two total scores."""
    if all_allowed:
        hi, lo = float(value.max()), float(value.min())
    elif not allowed.any():
        return 1.0
    else:
        hi = float(np.max(value, where=allowed, initial=-np.inf))
        lo = float(np.min(value, where=allowed, initial=np.inf))
    spread = max(hi, 0.0) - min(lo, 0.0)
    return spread * max(n_max, 1) + 1.0


def _pure_cost(
    value: np.ndarray, allowed: np.ndarray, objective: str, cap: np.ndarray
) -> np.ndarray:
    """The (negative) cost matrix of the pure problem, built with one n x m allocation."""
    if objective == "score":
        keep = allowed & (value > 0)
        return np.negative(value, where=keep, out=np.zeros(value.shape))
    n_max = min(value.shape[0], int(cap.sum()))
    all_allowed = allowed.size > 0 and bool(allowed.all())
    big = _bonus(value, allowed, n_max, all_allowed)
    if all_allowed:
        return np.subtract(-big, value)
    return np.subtract(-big, value, where=allowed, out=np.zeros(value.shape))


def _solve_pure(
    value: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    objective: str,
    floor: float | None = None,
) -> tuple[np.ndarray, np.ndarray, _SolveInfo]:
    info = _SolveInfo(solver="scipy.linear_sum_assignment")
    if objective == "maximin":
        t = _maximin_threshold(value, allowed, cap)
        if floor is not None:
            t = min(t, floor)
        if math.isfinite(t):
            allowed = allowed & (value >= t)
        info.notes.append(f"maximin threshold {t:.6g}")
        objective = "coverage_then_score"
    cost = _pure_cost(value, allowed, objective, cap)
    rows, cols = _lsa(cost, cap, all_allowed=objective != "score" and bool(allowed.all()))
    return rows, cols, info
