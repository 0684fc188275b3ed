"""Shortlists on many pairs: the staged problem of :mod:`ementor_kit.matching.shortlist` as two
integer min-cost flows (OR-Tools ``SimpleMinCostFlow``), private.

Nodes: mentees, mentors, a sink; arcs mentee ``i`` -> mentor ``j`` of capacity 1 for each
allowed pair and mentor ``j`` -> sink of capacity ``caps[j]``.

Stage A (how many mentees get ``t`` options, ``t = 1..k``): a source with ``k`` parallel arcs
of capacity 1 to each mentee, the ``t``-th of cost ``t``, solved as the largest flow of least
cost. The cost of ``d`` options, ``1 + 2 + ... + d``, is strictly convex in ``d``, so among
the largest flows this one has the least majorized vector of options per mentee (Fujishige
1980; Tamir 1995), which maximises ``sum_i min(d_i, t)`` for every ``t`` at once: the level
counts ``L_t = #{i : d_i >= t}`` are the optima of the LP stages ``1..k``.

Stage B (scores): level node ``t`` supplies exactly ``L_t`` units, arcs of capacity 1 from
level node ``t`` to every mentee, pair arcs of cost ``-round(score * SCALE)``. This is the
network of the last LP stage (``y_it`` is the flow level ``t`` -> mentee ``i``), so its
optimum is the LP's. Its options also keep the level counts: ``sum_i min(d_i, t) >= sum_{s<=t}
L_s`` (each mentee takes at most one unit from each level) and no flow does better.

Scores (0-100) are multiplied by ``SCALE = 1e9`` and rounded: each option's score is off by at
most 5e-10, so the total is within ``1e-9`` points per option of the exact optimum (both lists
have the same number of options; 1e-5 points for 10,000 options).
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from ementor_kit.errors import EmentorKitError
from ementor_kit.i18n.language import N_

SCALE = 1e9
"""Integer cost units per score point."""

_BUDGET = 2.0**60
"""OR-Tools scales costs by ``nodes + 1``: ``|cost| * (nodes + 1)`` must stay below this."""


def _failed() -> EmentorKitError:  # pragma: no cover - a feasible network always solves
    return EmentorKitError(N_("shortlist: the solver did not return an integral optimum"))


def level_counts(
    rows: np.ndarray, cols: np.ndarray, n: int, m: int, k: int, caps: np.ndarray
) -> np.ndarray:
    """``L_t`` (t = 1..k): the most mentees with ``t`` options, for every ``t`` at once."""
    src, sink = n + m, n + m + 1
    q = len(rows)
    tail = np.concatenate([np.full(n * k, src), rows, n + np.arange(m)])
    head = np.concatenate([np.tile(np.arange(n), k), n + cols, np.full(m, sink)])
    cap = np.concatenate([np.ones(n * k), np.ones(q), caps])
    cost = np.concatenate([np.repeat(np.arange(1, k + 1), n), np.zeros(q + m)])
    f = min_cost_flow.SimpleMinCostFlow()
    f.add_arcs_with_capacity_and_unit_cost(
        tail.astype(np.int32), head.astype(np.int32), cap.astype(np.int64), cost.astype(np.int64)
    )
    f.set_node_supply(src, n * k)
    f.set_node_supply(sink, -n * k)
    if f.solve_max_flow_with_min_cost() != f.OPTIMAL:  # pragma: no cover
        raise _failed()
    degree = f.flows(np.arange(n * k, dtype=np.int32)).reshape(k, n).sum(axis=0)
    return np.array([int((degree >= t).sum()) for t in range(1, k + 1)], dtype=np.int64)


def solve_lists_flow(
    score: np.ndarray, rows: np.ndarray, cols: np.ndarray, n: int, m: int, k: int, caps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The (rows, cols) of the options among the allowed pairs ``(rows, cols)``: the same
    optimum as the staged LP of :func:`ementor_kit.matching.shortlist._solve_lists`."""
    caps = np.asarray(caps, dtype=np.int64)
    levels = level_counts(rows, cols, n, m, k, caps)
    nodes = n + m + 1 + k
    scale = SCALE
    top = float(np.max(np.abs(score[rows, cols]))) if len(rows) else 0.0
    while scale > 1 and top * scale * (nodes + 1) >= _BUDGET:  # pragma: no cover - huge inputs
        scale /= 10
    sink, first_level = n + m, n + m + 1
    q = len(rows)
    tail = np.concatenate([np.repeat(first_level + np.arange(k), n), rows, n + np.arange(m)])
    head = np.concatenate([np.tile(np.arange(n), k), n + cols, np.full(m, sink)])
    cap = np.concatenate([np.ones(n * k), np.ones(q), caps])
    cost = np.concatenate(
        [np.zeros(n * k, np.int64), -np.rint(score[rows, cols] * scale), np.zeros(m)]
    )
    f = min_cost_flow.SimpleMinCostFlow()
    f.add_arcs_with_capacity_and_unit_cost(
        tail.astype(np.int32), head.astype(np.int32), cap.astype(np.int64), cost.astype(np.int64)
    )
    for t in range(k):
        f.set_node_supply(first_level + t, int(levels[t]))
    f.set_node_supply(sink, -int(levels.sum()))
    if f.solve() != f.OPTIMAL:  # pragma: no cover
        raise _failed()
    used = f.flows(np.arange(n * k, n * k + q, dtype=np.int32)) == 1
    return rows[used], cols[used]
