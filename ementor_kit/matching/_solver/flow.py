"""Maximum flow: the largest number of pairs, and the maximin threshold (private)."""

from __future__ import annotations

import math

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow


def _flow(allowed: np.ndarray, cap: np.ndarray, pairs: bool = False):
    """Maximum flow source -> mentees -> allowed pairs -> mentors (capacities) -> sink."""
    n, m = allowed.shape
    r, c = np.nonzero(allowed)
    if len(r) == 0:
        return 0, (r, c)
    # nodes: 0 source, 1..n mentees, n+1..n+m mentors, n+m+1 sink
    src = np.concatenate([np.zeros(n, np.int64), 1 + r, n + 1 + np.arange(m)])
    dst = np.concatenate([1 + np.arange(n), n + 1 + c, np.full(m, n + m + 1)])
    capa = np.concatenate(
        [np.ones(n, np.int32), np.ones(len(r), np.int32), np.asarray(cap, dtype=np.int32)]
    )
    g = csr_array((capa, (src, dst)), shape=(n + m + 2, n + m + 2))
    res = maximum_flow(g, 0, n + m + 1, method="dinic")
    if not pairs:
        return int(res.flow_value), None
    f = res.flow.tocoo()
    used = (f.data > 0) & (f.row >= 1) & (f.row <= n) & (f.col > n) & (f.col <= n + m)
    return int(res.flow_value), (f.row[used] - 1, f.col[used] - n - 1)


def _max_cardinality(allowed: np.ndarray, cap: np.ndarray) -> int:
    """Largest number of pairs among ``allowed`` within capacities (maximum flow)."""
    return _flow(allowed, cap)[0]


def _maximin_threshold(value: np.ndarray, allowed: np.ndarray, cap: np.ndarray) -> float:
    """Largest t such that the pairs scoring >= t pair as many mentees as all allowed pairs."""
    target = _max_cardinality(allowed, cap)
    if target == 0:
        return -math.inf
    levels = np.unique(value[allowed])
    lo, hi = 0, len(levels) - 1  # levels[lo] is known to reach the target
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _max_cardinality(allowed & (value >= levels[mid]), cap) == target:
            lo = mid
        else:
            hi = mid - 1
    return float(levels[lo])
