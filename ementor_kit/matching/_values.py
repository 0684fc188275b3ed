"""The value of each criterion and hard rule on every (mentee, mentor) pair, and the same
values through the grid of distinct attribute values.

:func:`_criterion_values` holds the formulas (documented in :mod:`ementor_kit.matching.scores`).
Most attributes take few distinct values (categories, small numbers, a few dozen
multi-selects), so :func:`criterion_grid` computes a criterion once per pair of *distinct*
mentee and mentor rows and :func:`gather` looks the values up for the mentees x mentors pairs.
The grid applies the same arithmetic to the same inputs (floats are told apart by their bit
patterns, so ``-0.0`` and each NaN keep their own row), hence the same numbers, bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from ementor_kit.matching._encode import Features, popcount
from ementor_kit.matching.criteria import Criterion, HardRule

GRID_SHARE = 0.5
"""A criterion goes through the grid when its distinct pairs are at most this share of all
pairs (else the direct formula on every pair is as fast)..."""

SPREAD_CELLS = 1 << 23
"""... and when its distinct mentee rows times the mentors are at most this many (the grid
spread over every mentor, 64 MB of float64, is what the rows are copied from)."""


def _share(a: np.ndarray, b: np.ndarray, paired: bool = False) -> np.ndarray:
    """``|a_i & b_j| / |a_i|`` for bit-set rows (1 when ``a_i`` is empty)."""
    if paired:
        inter = popcount(a & b).sum(axis=1, dtype=np.float64)
        size = popcount(a).sum(axis=1, dtype=np.float64)
    else:
        inter = popcount(a[:, None, :] & b[None, :, :]).sum(axis=2, dtype=np.float64)
        size = popcount(a).sum(axis=1, dtype=np.float64)[:, None]
    return np.divide(
        inter, size, out=np.ones(np.broadcast_shapes(inter.shape, size.shape)), where=size > 0
    )


def _criterion_values(
    fe: Features,
    fm: Features,
    capacity: np.ndarray,
    tables: Mapping[str, Any],
    c: Criterion,
    paired: bool = False,
) -> np.ndarray:
    """Value in [0, 1] of one criterion; see the module documentation for the formulas.

    Every (mentee row, mentor column) pair as a matrix; with ``paired``, ``fe`` and ``fm`` have
    the same length and row ``k`` of one goes with row ``k`` of the other (a vector). Both
    forms do the same arithmetic on each pair, so they give identical numbers.
    """

    def e(x: np.ndarray) -> np.ndarray:
        return x if paired else x[:, None]

    def m(x: np.ndarray) -> np.ndarray:
        return x if paired else x[None, :]

    xe, xm = fe.arrays[c.name], fm.arrays[c.name]
    if c.kind == "overlap":
        return _share(xe, xm, paired)
    if c.kind == "same":
        return (e(xe) == m(xm)).astype(np.float64)
    if c.kind in ("compatible", "preference", "shared_slots"):  # tables: matching.preferences
        return np.asarray(tables[c.name][e(xe), m(xm)])
    if c.kind == "shared_hours":
        if not paired:
            grid = _shared_hours_grid(fe, fm, capacity, tables, c)
            if grid is not None:
                return grid
        d = np.abs(e(xe) - m(xm)) % 24.0
        d = np.minimum(d, 24.0 - d)
        w = float(c.params["hours"])
        overlap = np.clip((w - d) / w, 0.0, 1.0)
        key = c.name + ".need"
        if key in tables:
            need = tables[key][e(fe.arrays[key]), m(fm.arrays[key])]
            value = 1.0 - need * (1.0 - overlap)
        else:
            value = overlap
        return _known(value)
    if c.kind == "capacity_share":
        per_mentee = m(xm / np.maximum(capacity, 1))
        want = e(xe)
        shape = np.broadcast_shapes(per_mentee.shape, want.shape)
        ratio = np.divide(per_mentee, want, out=np.ones(shape), where=want > 0)
        return _known(np.minimum(ratio, 1.0))
    if c.kind == "gap":
        gap = m(xm) - e(xe)
        n = float(c.params["min_gap"])
        if n > 0:
            return _known(np.clip(gap / n, 0.0, 1.0))
        return (gap >= 0).astype(np.float64)
    if c.kind == "closeness":
        return _known(1.0 - np.minimum(np.abs(e(xe) - m(xm)) / tables[c.name], 1.0))
    if c.kind == "support":
        lo, hi = float(c.params["low"]), float(c.params["high"])
        need = (hi - e(xe)) / (hi - lo)
        support = (m(xm) - lo) / (hi - lo)
        return _known(np.clip(1.0 - need * (1.0 - support), 0.0, 1.0))
    raise AssertionError(f"no formula for criterion kind {c.kind!r}")  # CRITERION_KINDS and this


def _distinct(f: Features, keys: list[str]) -> tuple[Features, np.ndarray]:
    """The distinct rows of ``f.arrays[keys]`` (NaN equal to NaN) and each row's position."""
    codes = np.zeros(len(f.ids), dtype=np.int64)
    for k in keys:
        _, inv = np.unique(f.arrays[k], return_inverse=True)
        codes = codes * (int(inv.max(initial=0)) + 1) + inv.ravel()
    _, first, inv = np.unique(codes, return_index=True, return_inverse=True)
    return Features(f.ids[first], {k: f.arrays[k][first] for k in keys}), inv.ravel()


def _shared_hours_grid(
    fe: Features, fm: Features, capacity: np.ndarray, tables: Mapping[str, Any], c: Criterion
) -> np.ndarray | None:
    """``shared_hours`` of every pair through the few distinct (offset, need) of each side:
    the formula on the grid of distinct values, then looked up. The same arithmetic on the
    same inputs, so the same numbers, without a dozen mentees x mentors temporaries. None when
    the values are not few (the direct formula is then as fast)."""
    keys = [c.name] + ([c.name + ".need"] if c.name + ".need" in tables else [])
    ge, inv_e = _distinct(fe, keys)
    gm, inv_m = _distinct(fm, keys)
    same = len(ge.ids) == len(fe.ids) and len(gm.ids) == len(fm.ids)
    if same or len(ge.ids) * len(gm.ids) * 4 > len(fe.ids) * len(fm.ids):
        return None
    grid = _criterion_values(ge, gm, capacity, tables, c)
    return np.take(grid[inv_e], inv_m, axis=1)


def _known(value: np.ndarray) -> np.ndarray:
    """Missing numbers (NaN) give 0."""
    nan = np.isnan(value)
    return np.where(nan, 0.0, value) if nan.any() else value


@dataclass(frozen=True, eq=False)
class Grid:
    """Values on the distinct rows of each side: ``values[e_inv[i], m_inv[j]]`` is pair (i, j)."""

    values: np.ndarray
    e_inv: np.ndarray
    m_inv: np.ndarray

    @cached_property
    def full(self) -> bool:
        """The grid is the mentees x mentors matrix itself, rows and columns in order."""
        n, m = len(self.e_inv), len(self.m_inv)
        return (
            self.values.shape == (n, m)
            and np.array_equal(self.e_inv, np.arange(n))
            and np.array_equal(self.m_inv, np.arange(m))
        )

    def by_row(self, lut: np.ndarray) -> np.ndarray:
        """``lut`` (shaped like ``values``) spread over every mentor: (distinct mentee rows,
        mentors), so that a mentee row is one contiguous row to copy."""
        return lut if self.full else np.ascontiguousarray(lut[:, self.m_inv])


def _row_key(a: np.ndarray) -> np.ndarray:
    """The rows of one array as something np.unique compares exactly (float bit patterns)."""
    a = np.ascontiguousarray(a)
    if a.dtype.kind == "f":
        a = a.view(np.int64 if a.dtype.itemsize == 8 else np.int32)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    return a


def distinct_rows(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct row of ``arrays`` taken together, and each row's index
    among them (distinct rows in sorted order of their codes)."""
    n = len(arrays[0])
    codes = np.zeros(n, dtype=np.int64)
    for a in arrays:
        key = _row_key(a)
        if key.ndim == 2:
            _, inv = np.unique(key, axis=0, return_inverse=True)
        else:
            _, inv = np.unique(key, return_inverse=True)
        codes = codes * (int(inv.max(initial=-1)) + 1) + inv.ravel()
        _, codes = np.unique(codes, return_inverse=True)  # keep the codes small
        codes = codes.ravel().astype(np.int64)
    _, first, inv = np.unique(codes, return_index=True, return_inverse=True)
    return first, inv.ravel().astype(np.intp)


def _side(
    f: Features, keys: list[str], extra: list[np.ndarray]
) -> tuple[Features, np.ndarray, np.ndarray]:
    first, inv = distinct_rows([f.arrays[k] for k in keys] + extra)
    return Features(f.ids[first], {k: f.arrays[k][first] for k in keys}), first, inv


def criterion_keys(c: Criterion, tables: Mapping[str, Any]) -> list[str]:
    """The feature arrays one criterion reads."""
    need = c.name + ".need"
    return [c.name] + ([need] if c.kind == "shared_hours" and need in tables else [])


def criterion_grid(
    fe: Features,
    fm: Features,
    capacity: np.ndarray,
    tables: Mapping[str, Any],
    c: Criterion,
    share: float | None = None,
) -> Grid | None:
    """The criterion's values on the grid of distinct rows; None when that saves nothing
    (``share`` defaults to :data:`GRID_SHARE`)."""
    share = GRID_SHARE if share is None else share
    keys = criterion_keys(c, tables)
    n, m = len(fe.ids), len(fm.ids)
    ge, _, inv_e = _side(fe, keys, [])
    cap = [capacity] if c.kind == "capacity_share" else []
    gm, first_m, inv_m = _side(fm, keys, cap)
    if len(ge.ids) * len(gm.ids) > share * n * m or len(ge.ids) * m > SPREAD_CELLS:
        return None
    values = _criterion_values(ge, gm, capacity[first_m], tables, c)
    return Grid(np.ascontiguousarray(values, dtype=np.float64), inv_e, inv_m)


def full_grid(values: np.ndarray) -> Grid:
    """A mentees x mentors matrix as a grid (every row its own)."""
    n, m = values.shape
    return Grid(values, np.arange(n, dtype=np.intp), np.arange(m, dtype=np.intp))


def rule_violations(r: HardRule, fe: Features, fm: Features, tables: Mapping[str, Any]) -> Grid:
    """Where an attribute rule excludes a pair (bool), on the grid of distinct rows."""
    key = "rule:" + r.name
    first_e, inv_e = distinct_rows([fe.arrays[key]])
    first_m, inv_m = distinct_rows([fm.arrays[key]])
    a, b = fe.arrays[key][first_e], fm.arrays[key][first_m]
    if r.kind == "require_shared":
        bad = ~(a[:, None, :] & b[None, :, :]).any(axis=2)
    elif r.kind == "require_same":
        bad = a[:, None] != b[None, :]
    elif r.kind in ("top_k", "require_shared_slots"):  # matching.preferences.rule_allows
        bad = ~np.asarray(tables[key][a[:, None], b[None, :]], dtype=bool)
    else:  # forbid_same
        bad = a[:, None] == b[None, :]
    return Grid(bad, inv_e, inv_m)


def gather(grid: Grid, spread: np.ndarray, rows: slice, out: np.ndarray) -> np.ndarray:
    """``out[i, j] = lut[e_inv[r], m_inv[j]]`` for the mentee rows ``r`` of ``rows``, from
    ``spread = grid.by_row(lut)``; ``out`` has shape (rows, mentors)."""
    if grid.full:
        out[...] = spread[rows]
    else:
        np.take(spread, grid.e_inv[rows], axis=0, out=out, mode="clip")
    return out
