"""What both restricted models share: their result, reduced costs, HiGHS start-up (private)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from ementor_kit.matching._solver.sides import _Row

_HIGHS_BANNER_SHOWN = False


def _quiet_first_highs() -> None:
    """HiGHS prints a banner on the process's stdout when its first instance is created.

    The banner goes to file descriptor 1 whatever ``sys.stdout`` is: in a Jupyter kernel
    ``sys.stdout.fileno()`` is a copy of the kernel's original stream while descriptor 1 is
    the pipe shown in the notebook, so descriptor 1 itself is sent to /dev/null meanwhile.
    """
    global _HIGHS_BANNER_SHOWN
    if _HIGHS_BANNER_SHOWN:
        return
    sys.stdout.flush()
    fd = 1
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            highspy.Highs()
    finally:
        os.dup2(saved, fd)
        os.close(saved)
    _HIGHS_BANNER_SHOWN = True


@dataclass
class _ModelResult:
    x: np.ndarray  # value of each candidate pair
    slack: np.ndarray  # value of each elastic row's slack
    objective: float  # maximisation objective value
    row_dual: np.ndarray  # mentee rows (min form)
    col_dual: np.ndarray  # mentor rows (min form)
    side_dual: np.ndarray
    card_dual: float
    status: str


def _reduced_costs(
    gain: np.ndarray, res: _ModelResult, rows: Sequence[_Row], card: bool
) -> np.ndarray:
    """Reduced cost (min form) of every pair: ``-gain - y_i - y_j - sum a_qi y_q - y_card``."""
    d = -gain - res.row_dual[:, None] - res.col_dual[None, :]
    for k, r in enumerate(rows):
        if res.side_dual[k] != 0:
            d -= (r.coef * res.side_dual[k])[:, None]
    if card:
        d -= res.card_dual
    return d
