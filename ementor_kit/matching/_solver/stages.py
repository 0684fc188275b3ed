"""One stage of the lexicographic solve: column generation, then the integer programme (private)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ementor_kit.errors import SolverTimeLimitError
from ementor_kit.i18n.language import N_
from ementor_kit.matching._solver.highs_model import _HighsModel
from ementor_kit.matching._solver.info import _SolveInfo
from ementor_kit.matching._solver.model import _ModelResult, _reduced_costs
from ementor_kit.matching._solver.pulp_model import _PulpModel
from ementor_kit.matching._solver.sides import _Row


def _new_model(gain, n, m, cap, rows, slack_penalty, card, solver):
    if solver == "highs":
        return _HighsModel(gain, n, m, cap, rows, slack_penalty, card)
    return _PulpModel(gain, n, m, cap, rows, slack_penalty, card, solver)


@dataclass
class _StageResult:
    """The pairs of a stage, the candidate pairs it ended with, its objective and LP bound."""

    rows: np.ndarray
    cols: np.ndarray
    mask: np.ndarray
    objective: float
    slack: np.ndarray
    lp_bound: float


@dataclass
class _Run:
    """What the steps of one stage share: the model, the pairs in it and the time left."""

    model: _HighsModel | _PulpModel
    allowed: np.ndarray
    mask: np.ndarray  # the pairs in the model, grown in place
    tol: float
    deadline: float | None
    info: _SolveInfo

    def solve(self, mip: bool) -> _ModelResult:
        """Solve the model (relaxation or integer programme) within the time left."""
        left = None if self.deadline is None else max(1.0, self.deadline - time.perf_counter())
        res = self.model.solve(mip=mip, time_limit=left)
        self.info.iterations += 1
        return res

    def out_of_time(self, status: str) -> bool:
        return status.startswith("TimeLimit") or (
            self.deadline is not None and time.perf_counter() >= self.deadline
        )

    def add(self, pairs: np.ndarray) -> None:
        """Add the pairs of the boolean matrix ``pairs`` to the model."""
        self.mask |= pairs
        self.model.add(*np.nonzero(pairs))


def _time_limit_error() -> SolverTimeLimitError:
    return SolverTimeLimitError(
        N_(
            "time_limit reached before the solver found a pairing that meets every "
            "rule and quota; nothing is returned rather than a pairing that breaks "
            "one. Fix: give a larger time_limit, or time_limit=None"
        )
    )


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
    failed = _StageResult(
        np.zeros(0, np.int64),
        np.zeros(0, np.int64),
        mask,
        -math.inf,
        np.full(len(rows), np.inf),
        -math.inf,
    )
    model = _new_model(gain, n, m, cap, rows, slack_penalty, card, solver)
    model.add(*np.nonzero(mask))
    run = _Run(model, allowed, mask, 1e-7 * scale, deadline, info)
    relaxed = _column_generation(run, gain, rows, card is not None)
    if relaxed is None:
        return failed
    lp, d = relaxed
    lp_bound = lp.objective
    if lp_only:
        return _StageResult(failed.rows, failed.cols, mask, lp_bound, lp.slack, lp_bound)
    res = _integer_solution(run, lp, d)
    if res is None:
        return failed
    used = res.x > 0.5
    info.candidate_pairs = max(info.candidate_pairs, int(mask.sum()))
    return _StageResult(
        model.pi[used], model.pj[used], mask, float(res.objective), res.slack, lp_bound
    )


def _column_generation(
    run: _Run, gain: np.ndarray, rows: Sequence[_Row], has_card: bool
) -> tuple[_ModelResult, np.ndarray] | None:
    """Solve the relaxation, adding improving pairs, until no pair left out can improve it.

    Returns the optimal relaxation and the reduced cost of every pair (``inf`` for the pairs in
    the model and those not allowed), or None when the relaxation has no optimum.
    """
    while True:
        lp = run.solve(mip=False)
        if lp.status != "Optimal":
            if run.out_of_time(lp.status):
                raise _time_limit_error()
            return None
        d = _reduced_costs(gain, lp, rows, has_card)
        d[~run.allowed | run.mask] = np.inf
        add = _improving_pairs(d, run.tol)
        if add is None:
            return lp, d
        run.add(add)


def _improving_pairs(d: np.ndarray, tol: float) -> np.ndarray | None:
    """Each mentee's 5 most improving pairs (negative reduced cost), None when there is none."""
    improving = d < -tol
    if not improving.any():
        return None
    n, m = d.shape
    # equal reduced costs are common (all free mentors look alike), so a tiny deterministic
    # jitter spreads mentees over them
    jitter = ((np.arange(n)[:, None] * 7919 + np.arange(m)[None, :] * 104729) % 997) / 997
    d_imp = np.where(improving, d + tol * jitter, np.inf)
    k = min(5, m)
    top = np.argpartition(d_imp, k - 1, axis=1)[:, :k]
    add = np.zeros(d.shape, dtype=bool)
    add[np.repeat(np.arange(n), k), top.ravel()] = True
    add &= improving
    return add


def _integer_solution(run: _Run, lp: _ModelResult, d: np.ndarray) -> _ModelResult | None:
    """The integer optimum (the relaxation's when integral), None when the solver finds none.

    A stop at the time limit with a pairing is recorded in ``run.info`` (status, gap).
    """
    lp_bound = lp.objective
    frac = np.abs(lp.x - np.round(lp.x)).max(initial=0.0)
    if frac < 1e-6:  # integral optimum of the relaxation: optimal, nothing to branch on
        res = lp
        res.x = np.round(lp.x)
        return res
    run.info.notes.append("integer programme needed (fractional relaxation)")
    res = run.solve(mip=True)
    gap = lp_bound - res.objective
    if res.status == "Optimal" and gap > run.tol:
        res, gap = _close_gap(run, res, d, gap, lp_bound)
    if res.status != "Optimal" and res.status != "TimeLimit" and run.out_of_time(res.status):
        raise _time_limit_error()
    if res.status == "TimeLimit":
        run.info.status = "time_limit"
        run.info.proven_optimal = False
        run.info.gap = max(run.info.gap, float(gap))
    elif res.status != "Optimal":
        return None
    return res


def _close_gap(
    run: _Run, res: _ModelResult, d: np.ndarray, gap: float, lp_bound: float
) -> tuple[_ModelResult, float]:
    """Prove the integer optimum below the bound optimal for the full problem, or improve it.

    A pair left out can only be in a better solution if its reduced cost is below the gap:
    every such pair is added and the integer programme solved again.
    """
    extra = run.allowed & ~run.mask & (d < gap + run.tol)
    if not extra.any():
        return res, 0.0
    n_before = len(run.model.pi)
    run.add(extra)
    res2 = run.solve(mip=True)
    if res2.status in ("Optimal", "TimeLimit") and res2.objective >= res.objective:
        res = res2
    else:
        res.x = np.concatenate([res.x, np.zeros(len(run.model.pi) - n_before)])
    return res, 0.0 if res2.status == "Optimal" else lp_bound - res.objective
