"""The dispatch: the pure problem by linear sum assignment, quotas by an integer programme (private)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ementor_kit._checks import check_choice
from ementor_kit.errors import InvalidArgumentError
from ementor_kit.matching._solver.info import _SolveInfo
from ementor_kit.matching._solver.lsa import _solve_pure
from ementor_kit.matching._solver.quotas import _solve_side
from ementor_kit.matching._solver.sides import _Side

OBJECTIVES = ("coverage_then_score", "score", "maximin")
SOLVERS = ("auto", "lsa", "highs", "cbc")


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
    if solver == "lsa" and sides:
        raise InvalidArgumentError(
            "solver",
            solver,
            "use solver='auto', 'highs' or 'cbc'",
            message="solver='lsa' cannot enforce quotas",
        )
    if solver in ("auto", "lsa") and not sides:
        rows, cols, info = _solve_pure(value, allowed, cap, objective, floor)
    else:
        name = solver if solver in ("highs", "cbc") else "highs"  # highspy is a dependency
        rows, cols, info = _solve_side(
            value, allowed, cap, objective, sides, name, time_limit, floor
        )
    order = np.lexsort((cols, rows))
    return rows[order], cols[order], info
