"""Reading a design's settings: whole numbers, finite numbers and problems named by YAML key."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ementor_kit.errors import Problem


def _problem(where: str, key: str | None, message: str, fix: str) -> Problem:
    return Problem(where, key, (), message, fix)


def _int(value: Any) -> int | None:
    """A whole number (an int, or a float with no fraction), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and value == int(value):
        return int(value)
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    v = float(value)
    return v if math.isfinite(v) else None
