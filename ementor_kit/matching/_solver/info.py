"""What a solve reports besides the pairs: method, status, gap, notes (private)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class _SolveInfo:
    """Method, status and proof of a solve, filled in as it goes."""

    solver: str
    status: str = "optimal"
    proven_optimal: bool = True
    gap: float = 0.0
    iterations: int = 0
    candidate_pairs: int = 0
    notes: list[str] = field(default_factory=list)
    scores: np.ndarray | None = None  # the pairs' scores, set by the sparse method (candidates)
