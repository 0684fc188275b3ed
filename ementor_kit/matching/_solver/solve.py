"""The dispatch: the pure problem by linear sum assignment, quotas by an integer programme (private)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from ementor_kit._checks import check_choice
from ementor_kit.errors import InvalidArgumentError
from ementor_kit.i18n.language import N_
from ementor_kit.matching._solver.info import _SolveInfo
from ementor_kit.matching._solver.lsa import _solve_pure
from ementor_kit.matching._solver.merge import _merged, _split
from ementor_kit.matching._solver.quotas import _solve_side
from ementor_kit.matching._solver.sides import _Side
from ementor_kit.matching._solver.sparse import _dense_source, _solve_sparse

_CORES = os.cpu_count() or 1  # threads reading the chunks of the sparse method

OBJECTIVES = ("coverage_then_score", "score", "maximin")
SOLVERS = ("auto", "lsa", "highs", "cbc", "sparse")
SPARSE_MIN_CELLS = 1_000_000
"""``solver="auto"`` without quotas uses the sparse method from this many mentees x mentors
(below it, the dense linear sum assignment is as fast; measured in benchmarks/bench_sparse.py)."""


def _solve(
    value: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    objective: str = "coverage_then_score",
    *,
    sides: Sequence[_Side] = (),
    solver: str = "auto",
    time_limit: float | None = None,
    floor: float | None = None,
) -> tuple[np.ndarray, np.ndarray, _SolveInfo]:
    """Optimal pairs (mentee rows, mentor columns) of the problem given as dense arrays."""
    check_choice("objective", objective, OBJECTIVES)
    check_choice("solver", solver, SOLVERS)
    if solver in ("lsa", "sparse") and sides:
        raise InvalidArgumentError(
            "solver",
            solver,
            N_("use solver='auto', 'highs' or 'cbc'"),
            message=N_("solver={solver!r} cannot enforce quotas").format(solver=solver),
        )
    if _use_sparse(value, solver, objective, sides):
        rows, cols, info = _sparse_or_dense(value, allowed, cap, objective)
    elif solver in ("auto", "lsa", "sparse") and not sides:
        rows, cols, info = _solve_pure(value, allowed, cap, objective, floor)
        if solver == "sparse":
            info.notes.append("maximin is solved by the dense method (threshold search)")
    else:
        name = solver if solver in ("highs", "cbc") else "highs"  # highspy is a dependency
        rows, cols, info = _solve_side(
            value, allowed, cap, objective, sides, name, time_limit, floor
        )
    order = np.lexsort((cols, rows))
    return rows[order], cols[order], info


def _use_sparse(value: np.ndarray, solver: str, objective: str, sides: Sequence[_Side]) -> bool:
    """The sparse method: asked for, or ``auto`` on a large problem; never with quotas or for
    ``maximin`` (its threshold search reads every pair; the dense method does it)."""
    if sides or objective == "maximin":
        return False
    return solver == "sparse" or (solver == "auto" and value.size >= SPARSE_MIN_CELLS)


def _sparse_or_dense(
    value: np.ndarray, allowed: np.ndarray, cap: np.ndarray, objective: str
) -> tuple[np.ndarray, np.ndarray, _SolveInfo]:
    """The sparse method, on identical mentors merged when there are some (module ``merge``);
    the dense method when the sparse optimum cannot be proven (noted)."""
    n, m = value.shape
    merged = _merged(value, allowed, cap)
    if merged is None:
        res = _solve_sparse(_dense_source(value, allowed), n, m, cap, objective, _CORES)
    else:
        mv, ma, mcap, label = merged
        res = _solve_sparse(_dense_source(mv, ma), n, mv.shape[1], mcap, objective, _CORES)
        if res is not None:
            rows, cls, info = res
            info.notes.append(
                f"sparse: {m} mentors merged into {mv.shape[1]} classes of identical ones"
            )
            res = rows, _split(rows, cls, label, cap), info
    if res is not None:
        return res
    rows, cols, info = _solve_pure(value, allowed, cap, objective)
    info.notes.append("sparse method could not prove its optimum in floats: dense method used")
    return rows, cols, info
