"""The exact solve with group quotas: most pairs first, then the best score (private)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np

from ementor_kit.errors import InfeasibleMatchingError
from ementor_kit.i18n.language import N_
from ementor_kit.matching._solver.flow import _flow, _max_cardinality
from ementor_kit.matching._solver.info import _SolveInfo
from ementor_kit.matching._solver.lsa import _solve_pure
from ementor_kit.matching._solver.sides import _infeasible, _Side
from ementor_kit.matching._solver.stages import _stage, _StageResult


def _initial_mask(value: np.ndarray, allowed: np.ndarray, cap: np.ndarray, k: int) -> np.ndarray:
    """Each mentee's ``k`` best allowed mentors plus a pure-problem optimum."""
    n, m = value.shape
    mask = np.zeros((n, m), dtype=bool)
    if n == 0 or m == 0 or not allowed.any():
        return mask
    v = np.where(allowed, value, -np.inf)
    k = min(k, m)
    top = np.argpartition(-v, k - 1, axis=1)[:, :k]
    mask[np.repeat(np.arange(n), k), top.ravel()] = True
    mask &= allowed
    if value.size <= 500_000:  # a cheap warm start; column generation does not need it
        r, c, _ = _solve_pure(value, allowed, cap, "coverage_then_score")
    else:  # a largest pairing (maximum flow): many mentees compete for the same mentors
        r, c = _flow(allowed, cap, pairs=True)[1]
    mask[r, c] = True
    return mask


def _max_count(
    allowed: np.ndarray,
    cap: np.ndarray,
    sides: Sequence[_Side],
    mask: np.ndarray,
    solver: str,
    deadline: float | None,
    info: _SolveInfo,
) -> _StageResult:
    """Most pairs meeting every quota (raises InfeasibleMatchingError when none does)."""
    ones = np.ones(allowed.shape)
    penalty = float(allowed.shape[0] + 1)
    # absolute quotas: one problem; share quotas: a count bound from the relaxation, then the
    # largest count that is feasible, each check a problem whose quota rows are counts
    # (integral when groups are nested)
    shares = any(s.share is not None for s in sides)
    rows = [s.row(None) for s in sides]
    bound = _stage(
        ones,
        allowed,
        cap,
        rows,
        mask,
        slack_penalty=penalty,
        card=None,
        solver=solver,
        deadline=deadline,
        info=info,
        lp_only=shares,
    )
    if not shares:
        if np.any(bound.slack > 0.5):
            raise _infeasible(sides, bound.slack, [r.elastic for r in rows])
        return bound
    k = min(int(math.floor(bound.lp_bound + 1e-6)), _max_cardinality(allowed, cap))
    mask = bound.mask
    last = None
    while k >= 0:
        rows = [s.row(k) for s in sides]
        res = _stage(
            np.zeros(allowed.shape),
            allowed,
            cap,
            rows,
            mask,
            slack_penalty=1.0,
            card=k,
            solver=solver,
            deadline=deadline,
            info=info,
        )
        mask = res.mask
        if len(res.rows) == k and not np.any(res.slack > 0.5):
            return res
        last = (res.slack, [r.elastic for r in rows])
        k -= 1
    raise _infeasible(sides, *last) if last else InfeasibleMatchingError(N_("the quotas"), ())


def _solve_side(
    value: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    objective: str,
    sides: Sequence[_Side],
    solver: str,
    time_limit: float | None,
    floor: float | None = None,
    top_k: int = 10,
) -> tuple[np.ndarray, np.ndarray, _SolveInfo]:
    """Exact solve with quotas by column generation (see module documentation)."""
    info = _SolveInfo(solver="HiGHS (highspy)" if solver == "highs" else "PuLP+CBC")
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    if objective == "score":
        allowed = allowed & (value > 0)
    mask = _initial_mask(value, allowed, cap, top_k)
    first = _max_count(allowed, cap, sides, mask, solver, deadline, info)
    k_star = len(first.rows)
    mask = first.mask
    if objective == "maximin":
        levels = np.unique(value[allowed])
        lo, hi = 0, len(levels) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            allowed_t = allowed & (value >= levels[mid])
            ok = _max_cardinality(allowed_t, cap) >= k_star
            if ok:
                try:
                    res = _max_count(
                        allowed_t,
                        cap,
                        sides,
                        mask | _initial_mask(value, allowed_t, cap, top_k),
                        solver,
                        deadline,
                        info,
                    )
                    ok = len(res.rows) >= k_star
                except InfeasibleMatchingError:
                    ok = False
            lo, hi = (mid, hi) if ok else (lo, mid - 1)
        t = float(levels[lo]) if len(levels) else -math.inf
        if floor is not None:
            t = min(t, floor)
        if math.isfinite(t):
            allowed = allowed & (value >= t)
        info.notes.append(f"maximin threshold {t:.6g}")
        first = _max_count(
            allowed, cap, sides, _initial_mask(value, allowed, cap, top_k), solver, deadline, info
        )
        mask = first.mask
    mask = mask.copy()
    mask[first.rows, first.cols] = True  # a feasible solution for the second stage
    gain = np.where(allowed, value, 0.0)
    card = None if objective == "score" else k_star
    rows = [s.row(card) for s in sides]
    res = _stage(
        gain,
        allowed,
        cap,
        rows,
        mask,
        slack_penalty=None,
        card=card,
        solver=solver,
        deadline=deadline,
        info=info,
    )
    if not math.isfinite(res.objective):
        raise InfeasibleMatchingError(N_("the quotas"), (), N_("the solver found no solution"))
    return res.rows, res.cols, info
