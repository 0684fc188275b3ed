"""The restricted problem written with PuLP and solved by CBC (private)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pulp

from ementor_kit.matching._solver.model import _ModelResult, _quiet_first_highs
from ementor_kit.matching._solver.sides import _Row


def _pulp_solver(name: str, mip: bool, time_limit: float | None):

    if name == "highs":
        _quiet_first_highs()
        opts = {"mip_rel_gap": 0.0, "mip_abs_gap": 1e-9} if mip else {}
        return pulp.HiGHS(mip=mip, msg=False, timeLimit=time_limit, threads=1, **opts)
    with warnings.catch_warnings():  # the bundled CBC is deprecated for PuLP 4, fine in 3.x
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(
            mip=mip, msg=False, timeLimit=time_limit, gapRel=0.0, gapAbs=1e-9, threads=1
        )


def _solve_model(
    pi: np.ndarray,
    pj: np.ndarray,
    c: np.ndarray,
    n: int,
    m: int,
    cap: np.ndarray,
    rows: Sequence[_Row],
    slack_penalty: float | None,
    card: int | None,
    solver: str,
    mip: bool,
    time_limit: float | None,
) -> _ModelResult:
    """Build the PuLP model on the candidate pairs ``(pi, pj)`` with gains ``c`` and solve it.

    The model is written as a minimisation of ``-gain`` (HiGHS and CBC then report duals with the
    same signs): mentee rows ``sum_j x_ij <= 1``, mentor rows ``sum_i x_ij <= cap_j``, quota rows
    ``sum coef_i x_ij (+ slack) >= rhs`` and, when ``card`` is given, ``sum x_ij == card``.
    """

    prob = pulp.LpProblem("pairing", pulp.LpMinimize)
    cat = pulp.LpBinary if mip else pulp.LpContinuous
    xs = [
        prob.add_variable(f"x_{i}_{j}", 0, 1, cat)
        for i, j in zip(pi.tolist(), pj.tolist(), strict=True)
    ]
    elastic = slack_penalty is not None
    slacks = [
        prob.add_variable(f"s_{k}", 0, None) for k, r in enumerate(rows) if elastic and r.elastic
    ]
    obj = pulp.LpAffineExpression(zip(xs, (-c).tolist(), strict=True))
    for s in slacks:
        obj.addterm(s, slack_penalty)
    prob += obj
    by_row: dict[int, list] = {}
    by_col: dict[int, list] = {}
    for v, i, j in zip(xs, pi.tolist(), pj.tolist(), strict=True):
        by_row.setdefault(i, []).append(v)
        by_col.setdefault(j, []).append(v)
    for i, vs in by_row.items():
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression((v, 1) for v in vs), pulp.LpConstraintLE, f"e{i}", 1
        )
    for j, vs in by_col.items():
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression((v, 1) for v in vs), pulp.LpConstraintLE, f"m{j}", int(cap[j])
        )
    slack_iter = iter(slacks)
    for k, r in enumerate(rows):
        coef = r.coef[pi]
        expr = pulp.LpAffineExpression(
            (v, a) for v, a in zip(xs, coef.tolist(), strict=True) if a != 0
        )
        if elastic and r.elastic:
            expr.addterm(next(slack_iter), 1)
        prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"q{k}", r.rhs)
    if card is not None:
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression((v, 1) for v in xs), pulp.LpConstraintEQ, "card", card
        )
    prob.solve(_pulp_solver(solver, mip, time_limit))
    status = pulp.LpStatus[prob.status]
    x = np.array([v.varValue if v.varValue is not None else 0.0 for v in xs])
    slack = np.array([v.varValue or 0.0 for v in slacks])
    row_dual = np.zeros(n)
    col_dual = np.zeros(m)
    side_dual = np.zeros(len(rows))
    card_dual = 0.0
    if not mip and status == "Optimal":
        card_dual = _read_duals(
            prob, by_row, by_col, row_dual, col_dual, side_dual, card is not None
        )
    objective = float(c @ x - (slack_penalty or 0.0) * slack.sum())
    sol_status = getattr(prob, "sol_status", None)
    if status == "Optimal" and mip and sol_status == pulp.LpSolutionIntegerFeasible:
        status = "TimeLimit"
    return _ModelResult(x, slack, objective, row_dual, col_dual, side_dual, card_dual, status)


def _read_duals(
    prob,
    mentee_rows: Iterable[int],
    mentor_rows: Iterable[int],
    row_dual: np.ndarray,
    col_dual: np.ndarray,
    side_dual: np.ndarray,
    card: bool,
) -> float:
    """Fill the duals of the model's mentee, mentor and quota rows of a solved relaxation in
    place; returns the dual of the count row (0 without one)."""
    con = prob.get_constraint_by_name
    for i in mentee_rows:
        row_dual[i] = con(f"e{i}").pi or 0.0
    for j in mentor_rows:
        col_dual[j] = con(f"m{j}").pi or 0.0
    for k in range(len(side_dual)):
        side_dual[k] = con(f"q{k}").pi or 0.0
    return (con("card").pi or 0.0) if card else 0.0


class _PulpModel:
    """The restricted problem as a PuLP model, rebuilt at every solve (CBC backend)."""

    def __init__(self, gain, n, m, cap, rows, slack_penalty, card, solver):
        self.gain, self.n, self.m, self.cap = gain, n, m, cap
        self.rows, self.slack_penalty, self.card, self.solver = rows, slack_penalty, card, solver
        self.pi = np.zeros(0, dtype=np.int64)
        self.pj = np.zeros(0, dtype=np.int64)

    def add(self, pi: np.ndarray, pj: np.ndarray) -> None:
        self.pi = np.concatenate([self.pi, pi])
        self.pj = np.concatenate([self.pj, pj])

    def solve(self, mip: bool, time_limit: float | None) -> _ModelResult:
        return _solve_model(
            self.pi,
            self.pj,
            self.gain[self.pi, self.pj],
            self.n,
            self.m,
            self.cap,
            self.rows,
            self.slack_penalty,
            self.card,
            self.solver,
            mip,
            time_limit,
        )
