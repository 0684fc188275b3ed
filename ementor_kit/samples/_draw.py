"""Small random draws shared by the generator's steps (weighted picks, hours of the day).

Every function takes the :class:`numpy.random.Generator` it draws from; the order of the draws is
part of the generator's output (same seed, same programme), so these helpers must not draw more or
fewer numbers than they do today.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar, overload

import numpy as np
from numpy.typing import ArrayLike

DAY = 86_400  # seconds in a day

T = TypeVar("T")


@overload
def weighted(
    rng: np.random.Generator,
    items: Sequence[T],
    weights: ArrayLike,
    size: None = None,
    replace: bool = True,
) -> T: ...


@overload
def weighted(
    rng: np.random.Generator,
    items: Sequence[T],
    weights: ArrayLike,
    size: int,
    replace: bool = True,
) -> list[T]: ...


def weighted(
    rng: np.random.Generator,
    items: Sequence[T],
    weights: ArrayLike,
    size: int | None = None,
    replace: bool = True,
) -> T | list[T]:
    """One item (``size=None``) or a list of ``size`` items drawn with the given weights.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> weighted(rng, ("a", "b", "c"), (0, 1, 0))
    'b'
    >>> weighted(rng, ("a", "b", "c"), (1, 1, 0), size=2, replace=False) in (["a", "b"], ["b", "a"])
    True
    """
    p = np.asarray(weights, dtype=float)
    p = p / p.sum()
    idx = rng.choice(len(items), size=size, replace=replace, p=p)
    if size is None:
        return items[int(idx)]
    return [items[int(i)] for i in idx]


def ordered(values: Iterable[str], vocabulary: tuple[str, ...]) -> tuple[str, ...]:
    """Deduplicate ``values`` and order them as in ``vocabulary``.

    Examples
    --------
    >>> ordered(["en", "fr", "en"], ("fr", "en", "es"))
    ('fr', 'en')
    """
    chosen = set(values)
    return tuple(v for v in vocabulary if v in chosen)


_MENTOR_BANDS: tuple[tuple[float, float], ...] = (
    (7.5, 9.0),
    (9.0, 12.0),
    (12.0, 14.0),
    (14.0, 18.0),
    (18.0, 22.0),
    (22.0, 24.0),
)
_MENTOR_BAND_WEIGHTS: tuple[float, ...] = (0.08, 0.2, 0.22, 0.15, 0.3, 0.05)
_MENTEE_BANDS: tuple[tuple[float, float], ...] = (
    (8.0, 12.0),
    (12.0, 14.0),
    (14.0, 18.0),
    (18.0, 23.0),
    (23.0, 25.0),
)
_MENTEE_BAND_WEIGHTS: tuple[float, ...] = (0.14, 0.2, 0.2, 0.4, 0.06)


def local_hour(rng: np.random.Generator, role: str) -> float:
    """Hour of the day (local) at which someone writes or calls (24.5 is 00:30 the next day).

    Examples
    --------
    >>> 7.5 <= local_hour(np.random.default_rng(0), "mentor") < 24
    True
    """
    if role == "mentor":
        bands, w = _MENTOR_BANDS, _MENTOR_BAND_WEIGHTS
    else:
        bands, w = _MENTEE_BANDS, _MENTEE_BAND_WEIGHTS
    lo, hi = weighted(rng, bands, w)
    return float(rng.uniform(lo, hi))
