"""One stage of the lexicographic solve: column generation, then the integer programme (private)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ementor_kit.errors import SolverTimeLimitError
from ementor_kit.matching._solver.highs_model import _HighsModel
from ementor_kit.matching._solver.info import _SolveInfo
from ementor_kit.matching._solver.model import _reduced_costs
from ementor_kit.matching._solver.pulp_model import _PulpModel
from ementor_kit.matching._solver.sides import _Row


def _new_model(gain, n, m, cap, rows, slack_penalty, card, solver):
    if solver == "highs":
        return _HighsModel(gain, n, m, cap, rows, slack_penalty, card)
    return _PulpModel(gain, n, m, cap, rows, slack_penalty, card, solver)


@dataclass
class _StageResult:
    rows: np.ndarray
    cols: np.ndarray
    mask: np.ndarray
    objective: float
    slack: np.ndarray
    lp_bound: float


def _stage(
    gain: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    rows: Sequence[_Row],
    mask: np.ndarray,
    *,
    slack_penalty: float | None,
    card: int | None,
    solver: str,
    deadline: float | None,
    info: _SolveInfo,
    lp_only: bool = False,
) -> _StageResult:
    """Column generation on the relaxation, then the integer programme with a proof.

    ``mask`` (the candidate pairs) must hold a feasible solution unless every constrained row
    is elastic. With ``lp_only`` the relaxation's optimum is returned (a bound, pairs empty).
    """
    n, m = gain.shape
    mask = mask & allowed
    scale = max(1.0, float(np.abs(gain[allowed]).max()) if allowed.any() else 1.0)
    tol = 1e-7 * scale
    has_card = card is not None
    failed = _StageResult(
        np.zeros(0, np.int64),
        np.zeros(0, np.int64),
        mask,
        -math.inf,
        np.full(len(rows), np.inf),
        -math.inf,
    )

    def remaining() -> float | None:
        return None if deadline is None else max(1.0, deadline - time.perf_counter())

    def out_of_time(status: str) -> bool:
        return status.startswith("TimeLimit") or (
            deadline is not None and time.perf_counter() >= deadline
        )

    def time_limit_error() -> SolverTimeLimitError:
        return SolverTimeLimitError(
            "time_limit reached before the solver found a pairing that meets every rule and "
            "quota; nothing is returned rather than a pairing that breaks one. Fix: give a "
            "larger time_limit, or time_limit=None"
        )

    model = _new_model(gain, n, m, cap, rows, slack_penalty, card, solver)
    model.add(*np.nonzero(mask))
    while True:  # column generation on the linear relaxation
        lp = model.solve(mip=False, time_limit=remaining())
        info.iterations += 1
        if lp.status != "Optimal":
            if out_of_time(lp.status):
                raise time_limit_error()
            return failed
        d = _reduced_costs(gain, lp, rows, has_card)
        d[~allowed | mask] = np.inf
        improving = d < -tol
        if not improving.any():
            break
        # add each mentee's 5 most improving pairs; equal reduced costs are common (all free
        # mentors look alike), so a tiny deterministic jitter spreads mentees over them
        jitter = ((np.arange(n)[:, None] * 7919 + np.arange(m)[None, :] * 104729) % 997) / 997
        d_imp = np.where(improving, d + tol * jitter, np.inf)
        k = min(5, m)
        top = np.argpartition(d_imp, k - 1, axis=1)[:, :k]
        add = np.zeros_like(mask)
        add[np.repeat(np.arange(n), k), top.ravel()] = True
        add &= improving
        mask |= add
        model.add(*np.nonzero(add))
    lp_bound = lp.objective
    if lp_only:
        return _StageResult(failed.rows, failed.cols, mask, lp_bound, lp.slack, lp_bound)
    frac = np.abs(lp.x - np.round(lp.x)).max(initial=0.0)
    if frac < 1e-6:  # integral optimum of the relaxation: optimal, nothing to branch on
        res = lp
        res.x = np.round(lp.x)
    else:
        info.notes.append("integer programme needed (fractional relaxation)")
        res = model.solve(mip=True, time_limit=remaining())
        info.iterations += 1
        gap = lp_bound - res.objective
        if res.status == "Optimal" and gap > tol:
            # a pair left out can only be in a better solution if its reduced cost is < gap
            extra = allowed & ~mask & (d < gap + tol)
            if extra.any():
                mask |= extra
                n_before = len(model.pi)
                model.add(*np.nonzero(extra))
                res2 = model.solve(mip=True, time_limit=remaining())
                info.iterations += 1
                if res2.status in ("Optimal", "TimeLimit") and res2.objective >= res.objective:
                    res = res2
                else:
                    res.x = np.concatenate([res.x, np.zeros(len(model.pi) - n_before)])
                gap = 0.0 if res2.status == "Optimal" else lp_bound - res.objective
            else:
                gap = 0.0
        if res.status != "Optimal" and res.status != "TimeLimit" and out_of_time(res.status):
            raise time_limit_error()
        if res.status == "TimeLimit":
            info.status = "time_limit"
            info.proven_optimal = False
            info.gap = max(info.gap, float(gap))
        elif res.status != "Optimal":
            return failed
    used = res.x > 0.5
    info.candidate_pairs = max(info.candidate_pairs, int(mask.sum()))
    return _StageResult(
        model.pi[used], model.pj[used], mask, float(res.objective), res.slack, lp_bound
    )
