"""Identical mentors merged into one before the sparse method, and split again after (private).

Two mentors whose columns are equal (the same score and the same allowed status for every
mentee) are interchangeable: any pairing stays feasible and keeps its number of pairs and total
score when their mentees are exchanged within their capacities. So the problem with each class
of identical mentors replaced by one mentor of the summed capacity has the same optimum, and
its optimal pairing splits back into an optimal pairing of the original problem (the standard
aggregation of identical columns of a transportation problem). Its duals give every mentor of a
class the class's dual, so the proof of optimality over all pairs carries over unchanged.

Intakes with a few categorical criteria repeat mentor profiles often; a benchmark that draws
3,000 mentors from 90 profiles solves a problem with 90 columns instead of 3,000. Finding the
classes costs two chunked passes over the scores. Merging is skipped when it would remove fewer
than a tenth of the mentors: the first ``PREFIX_ROWS`` rows already tell more than
``MIN_SHARE`` of them apart (a class on every row is never larger than on a prefix), or the
classes on every row are that many. An intake of 900 mentors with two identical ones is solved
as it is, after reading 256 rows.

The split is deterministic and spreads the load: the mentees given to a class, in id order,
take the class's places level by level (every member's first place in id order, then every
second place, ...), so the loads of identical mentors differ by at most one place unless a
capacity is reached.
"""

from __future__ import annotations

import numpy as np

from ementor_kit.matching._solver.sparse import CHUNK_CELLS

PREFIX_ROWS = 256  # rows read first to see whether enough mentors could be identical
MIN_SHARE = 0.9  # merge only when the classes are at most this share of the mentors


def _columns(value: np.ndarray, allowed: np.ndarray, r0: int, r1: int) -> np.ndarray:
    """Rows r0:r1 with the forbidden pairs' scores (NaN for ``assign``) set to a fixed number."""
    return np.where(allowed[r0:r1], value[r0:r1], -1.0)


def _mentor_classes(value: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Class of each mentor: the index of its first identical column (itself when none).

    A random weighted sum of each column proposes the classes (numpy adds the rows one after
    the other for every column, so identical columns give identical sums, on any machine and
    BLAS); every member is then compared with its class's first column, cell by cell, and one
    that differs stays alone. When the first chunk of rows already tells every mentor apart,
    the rest is not read.
    """
    n, m = value.shape
    step = max(1, CHUNK_CELLS // max(m, 1))
    weight = np.random.default_rng(0).random((n, 1)) + 0.5
    key = np.zeros(m)
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        block = _columns(value, allowed, r0, r1)
        block *= weight[r0:r1]
        key += block.sum(axis=0)
        if r0 == 0 and len(np.unique(key)) == m:
            return np.arange(m)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    label = first[inverse.ravel()]
    same = label != np.arange(m)
    cols = np.flatnonzero(same)
    for r0 in range(0, n, step):
        if len(cols) == 0:
            break
        r1 = min(n, r0 + step)
        block = _columns(value, allowed, r0, r1)
        ok = (block[:, cols] == block[:, label[cols]]).all(axis=0)
        ok &= (allowed[r0:r1, cols] == allowed[r0:r1, label[cols]]).all(axis=0)
        label[cols[~ok]] = cols[~ok]
        cols = cols[ok]
    return label


def _split(rows: np.ndarray, cls: np.ndarray, label: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Mentor of each pair (mentee ``rows[t]`` given to the merged mentor ``cls[t]``), the
    classes' places taken level by level."""
    reps = np.unique(label)
    n = len(rows)
    places = np.minimum(cap, n)
    mentor = np.repeat(np.arange(len(cap)), places)
    level = np.arange(len(mentor)) - np.repeat(np.cumsum(places) - places, places)
    klass = np.searchsorted(reps, label[mentor])
    order = np.lexsort((mentor, level, klass))
    mentor, klass = mentor[order], klass[order]
    start = np.searchsorted(klass, np.arange(len(reps)))
    by = np.lexsort((rows, cls))
    rank = np.arange(n) - np.searchsorted(cls[by], cls[by])
    out = np.empty(n, dtype=np.int64)
    out[by] = mentor[start[cls[by]] + rank]
    return out


def _merged(
    value: np.ndarray, allowed: np.ndarray, cap: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """(value, allowed, capacity) with one column per class of identical mentors (in the order
    of their first members), and each mentor's class label; None when merging would leave more
    than ``MIN_SHARE`` of the columns (no gain worth copying the matrix)."""
    m = value.shape[1]
    head = min(len(value), PREFIX_ROWS)
    if len(np.unique(_mentor_classes(value[:head], allowed[:head]))) > MIN_SHARE * m:
        return None  # classes only split further on more rows: too few mentors to merge
    label = _mentor_classes(value, allowed)
    reps = np.unique(label)
    if len(reps) > MIN_SHARE * m:
        return None
    total = np.bincount(np.searchsorted(reps, label), weights=cap).astype(np.int64)
    return value[:, reps], allowed[:, reps], total, label
