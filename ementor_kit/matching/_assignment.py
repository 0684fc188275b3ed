"""Exact optimiser behind :func:`ementor_kit.matching.assign` (private).

Problem: choose pairs (mentee ``i``, mentor ``j``) among the allowed ones so that every mentee has
at most one mentor and mentor ``j`` at most ``cap[j]`` mentees, optimising one objective:

``coverage_then_score``
    the most pairs, then the highest total score;
``score``
    the highest total score (pairs scoring <= 0 are never used);
``maximin``
    the most pairs, then the highest lowest score, then the highest total score.

Methods
-------
Pure capacity problem (the constraint matrix is totally unimodular)
    ``scipy.optimize.linear_sum_assignment`` on the score matrix with each mentor's column
    repeated ``cap[j]`` times. Not-allowed entries are worth 0 and dropped afterwards; for the
    coverage objectives every allowed entry gets a bonus ``B`` larger than any difference of total
    scores, so the optimum has the most pairs first. Besides the input, memory holds one
    mentees x mentors cost matrix and the replicated matrix, built level by level (every
    mentor's first place, then every second place, ...) in the layout scipy solves without
    copying (float64, C order, rows <= columns).
``maximin``
    Binary search over the distinct scores for the largest threshold ``t`` such that the pairs
    scoring ``>= t`` still pair as many mentees as all allowed pairs (a maximum flow per step),
    then the coverage-then-score optimum among the pairs scoring ``>= t``.
Side constraints (group quotas)
    An integer programme over a sparse set of candidate pairs (each mentee's best few plus a
    pairing without quotas), solved with HiGHS through highspy (``solver="highs"``, the model is
    kept in memory and re-optimised from the previous basis as pairs are added) or written with
    PuLP and solved by CBC (``solver="cbc"``, rebuilt at each step). Column generation prices
    every excluded pair with the duals of the linear relaxation and adds those that could
    improve it, until none can: the relaxation is then optimal for the full problem. If its
    optimum is fractional, the integer programme is solved on the candidate set; when that is
    below the bound, every excluded pair whose reduced cost is below the gap is added and the
    integer programme solved again, which proves optimality for the full problem (reduced-cost
    argument). Lexicographic objectives are solved in stages rather than with mixed weights: the
    most pairs meeting the quotas first, then the best score with that number of pairs fixed
    (in the first stage an absolute quota gets a slack costing more than any number of pairs, so
    a positive slack at the optimum proves the quota cannot be met). With the
    number of pairs fixed, a quota "group coverage >= r x overall coverage" becomes a count
    ("at least c mentees of the group paired"); quotas on groups of one column are then nested
    sets of mentees, the constraint matrix stays totally unimodular and the relaxation is
    integral, so no branching is needed. Overlapping groups may need branching.

Ties between equally good solutions are broken by the solver on the problem in id order, so the
result depends only on the content of the input, never on its row order.
"""

from __future__ import annotations

import math
import os
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from ementor_kit._checks import check_choice
from ementor_kit.errors import (
    DataValidationError,
    InfeasibleMatchingError,
    InvalidArgumentError,
    Problem,
    SolverTimeLimitError,
)

__all__ = ["InfeasibleMatchingError"]  # defined in ementor_kit.errors

OBJECTIVES = ("coverage_then_score", "score", "maximin")
SOLVERS = ("auto", "lsa", "highs", "cbc")


@dataclass(frozen=True, eq=False)
class _Side:
    """One group quota over the mentee rows left to the optimiser.

    ``need``: at least this many of the group's free mentees get a mentor (absolute quota).
    ``share``: the group's paired count (fixed pairs included) is at least ``share`` times the
    total paired count, with ``share = r * |G| / N`` (the group's coverage is at least ``r``
    times the overall coverage).
    """

    name: str
    in_group: np.ndarray  # bool per free mentee row
    need: int | None
    share: float | None
    fixed_in: int = 0
    fixed_total: int = 0
    members: tuple[str, ...] = ()

    def row(self, total: int | None) -> _Row:
        """The linear row; with the number of free pairs ``total`` known, a count row."""
        g = self.in_group.astype(np.float64)
        if self.need is not None:
            return _Row(g, float(self.need), True)
        assert self.share is not None  # _quota_side gives exactly one of need and share
        if total is None:
            rhs = -(self.fixed_in - self.share * self.fixed_total)
            return _Row(g - self.share, float(rhs), rhs > 1e-12)
        need = math.ceil(self.share * (total + self.fixed_total) - 1e-9) - self.fixed_in
        return _Row(g, float(need), True)


@dataclass(frozen=True, eq=False)
class _Row:
    """``sum_i coef_i * (mentee i has a mentor) >= rhs``; ``elastic`` rows get a slack."""

    coef: np.ndarray
    rhs: float
    elastic: bool


def _quota_side(
    name: str,
    in_group: np.ndarray,
    fixed: np.ndarray,
    free: np.ndarray,
    members: Sequence[str],
    min_coverage: float | None,
    min_share_of_overall: float | None,
) -> _Side | None:
    """Side constraint of one group quota over the free mentee rows.

    ``in_group`` and ``fixed`` (already paired by a required pair) are masks over all mentees;
    ``free`` indexes the rows left to the optimiser. ``None`` when the quota always holds.
    """
    size = int(in_group.sum())
    fixed_in = int((in_group & fixed).sum())
    if min_coverage is not None:
        need = math.ceil(min_coverage * size - 1e-9) - fixed_in
        if need <= 0:
            return None
        return _Side(name, in_group[free], need, None, members=tuple(members))
    assert min_share_of_overall is not None  # GroupQuota gives exactly one of the two
    share = float(min_share_of_overall) * size / len(in_group)
    if share <= 0:
        return None
    return _Side(name, in_group[free], None, share, fixed_in, int(fixed.sum()), tuple(members))


@dataclass
class _SolveInfo:
    solver: str
    status: str = "optimal"
    proven_optimal: bool = True
    gap: float = 0.0
    iterations: int = 0
    candidate_pairs: int = 0
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- ids


def _factorize_ids(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64, -1 for missing) and unique ids (object array of str) of an id column.

    Ids are compared as text: ``1`` and ``"1"`` are the same person.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy(dtype=np.int64)
        cats = s.cat.categories.astype("str")
        cat_codes, uniques = pd.factorize(cats)
        codes = np.where(codes >= 0, np.asarray(cat_codes, dtype=np.int64)[codes], -1)
    else:
        if not isinstance(s.dtype, pd.StringDtype):
            s = s.astype("str")
        # hashing the object array is several times faster than factorising the string array
        codes, uniques = pd.factorize(s.to_numpy(dtype=object))
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def _candidate_arrays(
    e: pd.Series, m: pd.Series, scores: np.ndarray, file: str = "candidates"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Dense value matrix (NaN where not listed), allowed mask, mentee ids, mentor ids.

    Rows and columns are in id order.
    """
    a, ids_e = _factorize_ids(e)
    b, ids_m = _factorize_ids(m)
    problems = []
    for name, codes in (("mentee_id", a), ("mentor_id", b)):
        na = codes < 0
        if na.any():
            problems.append(
                Problem(
                    file,
                    name,
                    tuple(np.flatnonzero(na)[:50] + 2),
                    "empty id",
                    "fill in every id or drop the row",
                )
            )
    if problems:
        raise DataValidationError(problems)
    # sort ids: rank of each code
    oe = np.argsort(ids_e.astype(str), kind="stable")
    om = np.argsort(ids_m.astype(str), kind="stable")
    re_ = np.empty(len(oe), dtype=np.int64)
    re_[oe] = np.arange(len(oe))
    rm = np.empty(len(om), dtype=np.int64)
    rm[om] = np.arange(len(om))
    n, k = len(oe), len(om)
    lin = re_[a]
    del a
    lin *= k
    lin += rm[b]
    del b
    value = np.full(n * k, np.nan)
    value[lin] = scores
    allowed = np.zeros(n * k, dtype=bool)
    allowed[lin] = True
    if int(allowed.sum()) != len(lin):
        counts = np.bincount(lin, minlength=n * k)
        dup = np.flatnonzero(counts[lin] > 1)
        raise DataValidationError(
            [
                Problem(
                    file,
                    "mentee_id, mentor_id",
                    tuple(dup[:50] + 2),
                    "duplicate pairs",
                    "list each (mentee_id, mentor_id) once",
                )
            ]
        )
    return value.reshape(n, k), allowed.reshape(n, k), ids_e[oe], ids_m[om]


# --------------------------------------------------------------------------- pure problem


def _replicate(sub: np.ndarray, cap: np.ndarray, transpose: bool) -> tuple[np.ndarray, np.ndarray]:
    """Matrix with column ``j`` of ``sub`` repeated ``cap[j]`` times, and the column of each slot.

    Slots are laid out by level (every mentor's first place, then every second place, ...), so
    each level is one block copy; ``transpose`` builds the (slots, rows) matrix instead.
    """
    n_rows, m = sub.shape
    blocks = [np.flatnonzero(cap >= k) for k in range(1, int(cap.max(initial=0)) + 1)]
    slot = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)
    src = np.ascontiguousarray(sub.T) if transpose else sub
    mat = np.empty((len(slot), n_rows) if transpose else (n_rows, len(slot)), dtype=np.float64)
    pos = 0
    chunk = max(1, 2**23 // max(m, 1))  # bounded temporary for the partial levels
    for blk in blocks:
        end = pos + len(blk)
        if len(blk) == m:
            if transpose:
                mat[pos:end] = src
            else:
                mat[:, pos:end] = src
        elif transpose:
            mat[pos:end] = src[blk]
        else:
            for r0 in range(0, n_rows, chunk):
                mat[r0 : r0 + chunk, pos:end] = src[r0 : r0 + chunk][:, blk]
        pos = end
    return mat, slot


def _lsa(
    cost: np.ndarray, cap: np.ndarray, all_allowed: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise ``sum cost[i, j]`` over capacity-respecting matchings; entries >= 0 never used.

    ``cost`` is (n, m) float64 with negative entries for allowed pairs and 0 elsewhere
    (``all_allowed``: every entry is negative, no need to look).
    Returns the (row, column) pairs used, with negative cost only.
    """
    n, m = cost.shape
    empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if n == 0 or m == 0:
        return empty
    if all_allowed:
        rows, col_count = np.arange(n), np.full(m, n)
    else:
        neg = cost < 0
        rows = np.flatnonzero(neg.any(axis=1))
        col_count = neg.sum(axis=0)
        del neg
    cap_eff = np.minimum(cap, col_count)
    cols = np.flatnonzero(cap_eff > 0)
    if len(rows) == 0 or len(cols) == 0:
        return empty
    sub = cost if (len(rows) == n and len(cols) == m) else cost[np.ix_(rows, cols)]
    cap_sub = cap_eff[cols]
    transpose = len(rows) > int(cap_sub.sum())  # scipy wants rows <= columns, else it copies
    mat, slot = _replicate(sub, cap_sub, transpose)
    del sub
    r, c = linear_sum_assignment(mat)
    used = mat[r, c] < 0
    if transpose:
        return rows[c[used]], cols[slot[r[used]]]
    return rows[r[used]], cols[slot[c[used]]]


def _bonus(value: np.ndarray, allowed: np.ndarray, n_max: int, all_allowed: bool = False) -> float:
    """A bonus per pair larger than any difference between two total scores."""
    if all_allowed:
        hi, lo = float(value.max()), float(value.min())
    elif not allowed.any():
        return 1.0
    else:
        hi = float(np.max(value, where=allowed, initial=-np.inf))
        lo = float(np.min(value, where=allowed, initial=np.inf))
    spread = max(hi, 0.0) - min(lo, 0.0)
    return spread * max(n_max, 1) + 1.0


def _pure_cost(
    value: np.ndarray, allowed: np.ndarray, objective: str, cap: np.ndarray
) -> np.ndarray:
    """The (negative) cost matrix of the pure problem, built with one n x m allocation."""
    if objective == "score":
        keep = allowed & (value > 0)
        return np.negative(value, where=keep, out=np.zeros(value.shape))
    n_max = min(value.shape[0], int(cap.sum()))
    all_allowed = allowed.size > 0 and bool(allowed.all())
    big = _bonus(value, allowed, n_max, all_allowed)
    if all_allowed:
        return np.subtract(-big, value)
    return np.subtract(-big, value, where=allowed, out=np.zeros(value.shape))


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


def _solve_pure(
    value: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    objective: str,
    floor: float | None = None,
) -> tuple[np.ndarray, np.ndarray, _SolveInfo]:
    info = _SolveInfo(solver="scipy.linear_sum_assignment")
    if objective == "maximin":
        t = _maximin_threshold(value, allowed, cap)
        if floor is not None:
            t = min(t, floor)
        if math.isfinite(t):
            allowed = allowed & (value >= t)
        info.notes.append(f"maximin threshold {t:.6g}")
        objective = "coverage_then_score"
    cost = _pure_cost(value, allowed, objective, cap)
    rows, cols = _lsa(cost, cap, all_allowed=objective != "score" and bool(allowed.all()))
    return rows, cols, info


# --------------------------------------------------------------------------- integer programme


def _highs_available() -> bool:
    try:
        import highspy  # noqa: F401
    except ImportError:  # pragma: no cover - highspy is a dependency
        return False
    return True


_HIGHS_BANNER_SHOWN = False


def _quiet_first_highs() -> None:
    """HiGHS prints a banner on the process's stdout when its first instance is created."""
    global _HIGHS_BANNER_SHOWN
    if _HIGHS_BANNER_SHOWN:
        return
    import highspy

    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
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


def _pulp_solver(name: str, mip: bool, time_limit: float | None):
    import pulp

    if name == "highs":
        _quiet_first_highs()
        opts = {"mip_rel_gap": 0.0, "mip_abs_gap": 1e-9} if mip else {}
        return pulp.HiGHS(mip=mip, msg=False, timeLimit=time_limit, threads=1, **opts)
    with warnings.catch_warnings():  # the bundled CBC is deprecated for PuLP 4, fine in 3.x
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(
            mip=mip, msg=False, timeLimit=time_limit, gapRel=0.0, gapAbs=1e-9, threads=1
        )


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


def _solve_model(
    pi: np.ndarray,
    pj: np.ndarray,
    c: np.ndarray,
    n: int,
    m: int,
    cap: np.ndarray,
    rows: Sequence[_Row],
    slack_penalty: float | None,
    card: int | None,
    solver: str,
    mip: bool,
    time_limit: float | None,
) -> _ModelResult:
    """Build the PuLP model on the candidate pairs ``(pi, pj)`` with gains ``c`` and solve it.

    The model is written as a minimisation of ``-gain`` (HiGHS and CBC then report duals with the
    same signs): mentee rows ``sum_j x_ij <= 1``, mentor rows ``sum_i x_ij <= cap_j``, quota rows
    ``sum coef_i x_ij (+ slack) >= rhs`` and, when ``card`` is given, ``sum x_ij == card``.
    """
    import pulp

    prob = pulp.LpProblem("pairing", pulp.LpMinimize)
    cat = pulp.LpBinary if mip else pulp.LpContinuous
    xs = [
        prob.add_variable(f"x_{i}_{j}", 0, 1, cat)
        for i, j in zip(pi.tolist(), pj.tolist(), strict=True)
    ]
    elastic = slack_penalty is not None
    slacks = [
        prob.add_variable(f"s_{k}", 0, None) for k, r in enumerate(rows) if elastic and r.elastic
    ]
    obj = pulp.LpAffineExpression(zip(xs, (-c).tolist(), strict=True))
    for s in slacks:
        obj.addterm(s, slack_penalty)
    prob += obj
    by_row: dict[int, list] = {}
    by_col: dict[int, list] = {}
    for v, i, j in zip(xs, pi.tolist(), pj.tolist(), strict=True):
        by_row.setdefault(i, []).append(v)
        by_col.setdefault(j, []).append(v)
    for i, vs in by_row.items():
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression((v, 1) for v in vs), pulp.LpConstraintLE, f"e{i}", 1
        )
    for j, vs in by_col.items():
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression((v, 1) for v in vs), pulp.LpConstraintLE, f"m{j}", int(cap[j])
        )
    slack_iter = iter(slacks)
    for k, r in enumerate(rows):
        coef = r.coef[pi]
        expr = pulp.LpAffineExpression(
            (v, a) for v, a in zip(xs, coef.tolist(), strict=True) if a != 0
        )
        if elastic and r.elastic:
            expr.addterm(next(slack_iter), 1)
        prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"q{k}", r.rhs)
    if card is not None:
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression((v, 1) for v in xs), pulp.LpConstraintEQ, "card", card
        )
    prob.solve(_pulp_solver(solver, mip, time_limit))
    status = pulp.LpStatus[prob.status]
    x = np.array([v.varValue if v.varValue is not None else 0.0 for v in xs])
    slack = np.array([v.varValue or 0.0 for v in slacks])
    row_dual = np.zeros(n)
    col_dual = np.zeros(m)
    side_dual = np.zeros(len(rows))
    card_dual = 0.0
    if not mip and status == "Optimal":
        con = prob.get_constraint_by_name
        for i in by_row:
            row_dual[i] = con(f"e{i}").pi or 0.0
        for j in by_col:
            col_dual[j] = con(f"m{j}").pi or 0.0
        for k in range(len(rows)):
            side_dual[k] = con(f"q{k}").pi or 0.0
        if card is not None:
            card_dual = con("card").pi or 0.0
    objective = float(c @ x - (slack_penalty or 0.0) * slack.sum())
    sol_status = getattr(prob, "sol_status", None)
    if status == "Optimal" and mip and sol_status == pulp.LpSolutionIntegerFeasible:
        status = "TimeLimit"
    return _ModelResult(x, slack, objective, row_dual, col_dual, side_dual, card_dual, status)


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


def _initial_mask(value: np.ndarray, allowed: np.ndarray, cap: np.ndarray, k: int) -> np.ndarray:
    """Each mentee's ``k`` best allowed mentors plus a pure-problem optimum."""
    n, m = value.shape
    mask = np.zeros((n, m), dtype=bool)
    if n == 0 or m == 0 or not allowed.any():
        return mask
    v = np.where(allowed, value, -np.inf)
    k = min(k, m)
    top = np.argpartition(-v, k - 1, axis=1)[:, :k]
    mask[np.repeat(np.arange(n), k), top.ravel()] = True
    mask &= allowed
    if value.size <= 500_000:  # a cheap warm start; column generation does not need it
        r, c, _ = _solve_pure(value, allowed, cap, "coverage_then_score")
    else:  # a largest pairing (maximum flow): many mentees compete for the same mentors
        r, c = _flow(allowed, cap, pairs=True)[1]
    mask[r, c] = True
    return mask


class _PulpModel:
    """The restricted problem as a PuLP model, rebuilt at every solve (CBC backend)."""

    def __init__(self, gain, n, m, cap, rows, slack_penalty, card, solver):
        self.gain, self.n, self.m, self.cap = gain, n, m, cap
        self.rows, self.slack_penalty, self.card, self.solver = rows, slack_penalty, card, solver
        self.pi = np.zeros(0, dtype=np.int64)
        self.pj = np.zeros(0, dtype=np.int64)

    def add(self, pi: np.ndarray, pj: np.ndarray) -> None:
        self.pi = np.concatenate([self.pi, pi])
        self.pj = np.concatenate([self.pj, pj])

    def solve(self, mip: bool, time_limit: float | None) -> _ModelResult:
        return _solve_model(
            self.pi,
            self.pj,
            self.gain[self.pi, self.pj],
            self.n,
            self.m,
            self.cap,
            self.rows,
            self.slack_penalty,
            self.card,
            self.solver,
            mip,
            time_limit,
        )


class _HighsModel:
    """The restricted problem kept in memory in HiGHS: columns are added, the simplex restarts
    from the previous basis (the usual way to run column generation)."""

    def __init__(self, gain, n, m, cap, rows, slack_penalty, card):
        import highspy

        _quiet_first_highs()
        self.hs = highspy
        self.gain, self.n, self.m, self.rows, self.card = gain, n, m, rows, card
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        inf = highspy.kHighsInf
        q = len(rows)
        lower = np.concatenate(
            [np.full(n + m, -inf), [r.rhs for r in rows], [card] if card is not None else []]
        ).astype(np.float64)
        upper = np.concatenate(
            [
                np.ones(n),
                np.asarray(cap, dtype=np.float64),
                np.full(q, inf),
                [card] if card is not None else [],
            ]
        ).astype(np.float64)
        h.addRows(
            len(lower),
            lower,
            upper,
            0,
            np.zeros(len(lower), dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self.elastic = [k for k, r in enumerate(rows) if slack_penalty is not None and r.elastic]
        for k in self.elastic:
            h.addCols(
                1,
                np.array([slack_penalty], dtype=np.float64),
                np.zeros(1),
                np.array([inf]),
                1,
                np.zeros(1, dtype=np.int32),
                np.array([n + m + k], dtype=np.int32),
                np.ones(1),
            )
        self.slack_penalty = slack_penalty or 0.0
        self.h = h
        self.n_slack = len(self.elastic)
        self.pi = np.zeros(0, dtype=np.int64)
        self.pj = np.zeros(0, dtype=np.int64)
        self.integer = False

    def add(self, pi: np.ndarray, pj: np.ndarray) -> None:
        n, m, k = self.n, self.m, len(pi)
        if k == 0:
            return
        ents_rows = [pi, n + pj]
        ents_cols = [np.arange(k), np.arange(k)]
        ents_vals = [np.ones(k), np.ones(k)]
        for q, r in enumerate(self.rows):
            a = r.coef[pi]
            nz = np.flatnonzero(a)
            ents_rows.append(np.full(len(nz), n + m + q))
            ents_cols.append(nz)
            ents_vals.append(a[nz])
        if self.card is not None:
            ents_rows.append(np.full(k, n + m + len(self.rows)))
            ents_cols.append(np.arange(k))
            ents_vals.append(np.ones(k))
        rows = np.concatenate(ents_rows)
        cols = np.concatenate(ents_cols)
        vals = np.concatenate(ents_vals)
        order = np.argsort(cols, kind="stable")
        starts = np.searchsorted(cols[order], np.arange(k)).astype(np.int32)
        self.h.addCols(
            k,
            -self.gain[pi, pj].astype(np.float64),
            np.zeros(k),
            np.ones(k),
            len(rows),
            starts,
            rows[order].astype(np.int32),
            vals[order],
        )
        if self.integer:
            first = self.n_slack + len(self.pi)
            self.h.changeColsIntegrality(
                k, np.arange(first, first + k, dtype=np.int32), np.ones(k, dtype=np.uint8)
            )
        self.pi = np.concatenate([self.pi, pi])
        self.pj = np.concatenate([self.pj, pj])

    def solve(self, mip: bool, time_limit: float | None) -> _ModelResult:
        h, hs = self.h, self.hs
        if mip and not self.integer:
            k = len(self.pi)
            h.changeColsIntegrality(
                k,
                np.arange(self.n_slack, self.n_slack + k, dtype=np.int32),
                np.ones(k, dtype=np.uint8),
            )
            h.setOptionValue("mip_rel_gap", 0.0)
            h.setOptionValue("mip_abs_gap", 1e-9)
            self.integer = True
        h.setOptionValue(
            "time_limit", float(time_limit) if time_limit is not None else hs.kHighsInf
        )
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if status == hs.HighsModelStatus.kOptimal:
            name = "Optimal"
        elif status == hs.HighsModelStatus.kModelEmpty:  # no pair and no slack: all zero
            feasible = all(r.rhs <= 1e-9 for r in self.rows) and not self.card
            name = "Optimal" if feasible else "Infeasible"
            has_sol = False
        elif status == hs.HighsModelStatus.kTimeLimit:
            name = "TimeLimit" if has_sol else "TimeLimitNoSolution"
        else:
            name = str(status).rsplit(".k", 1)[-1]
        sol = h.getSolution()
        col = np.asarray(sol.col_value) if has_sol else np.zeros(self.n_slack + len(self.pi))
        slack = col[: self.n_slack]
        x = col[self.n_slack :]
        n, m, q = self.n, self.m, len(self.rows)
        dual = (
            np.asarray(sol.row_dual)
            if (not mip and name == "Optimal")
            else np.zeros(n + m + q + (self.card is not None))
        )
        objective = float(self.gain[self.pi, self.pj] @ x - self.slack_penalty * slack.sum())
        return _ModelResult(
            x,
            slack,
            objective,
            dual[:n],
            dual[n : n + m],
            dual[n + m : n + m + q],
            float(dual[n + m + q]) if self.card is not None else 0.0,
            name,
        )


def _new_model(gain, n, m, cap, rows, slack_penalty, card, solver):
    if solver == "highs":
        return _HighsModel(gain, n, m, cap, rows, slack_penalty, card)
    return _PulpModel(gain, n, m, cap, rows, slack_penalty, card, solver)


@dataclass
class _StageResult:
    rows: np.ndarray
    cols: np.ndarray
    mask: np.ndarray
    objective: float
    slack: np.ndarray
    lp_bound: float


def _stage(
    gain: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    rows: Sequence[_Row],
    mask: np.ndarray,
    *,
    slack_penalty: float | None,
    card: int | None,
    solver: str,
    deadline: float | None,
    info: _SolveInfo,
    lp_only: bool = False,
) -> _StageResult:
    """Column generation on the relaxation, then the integer programme with a proof.

    ``mask`` (the candidate pairs) must hold a feasible solution unless every constrained row
    is elastic. With ``lp_only`` the relaxation's optimum is returned (a bound, pairs empty).
    """
    n, m = gain.shape
    mask = mask & allowed
    scale = max(1.0, float(np.abs(gain[allowed]).max()) if allowed.any() else 1.0)
    tol = 1e-7 * scale
    has_card = card is not None
    failed = _StageResult(
        np.zeros(0, np.int64),
        np.zeros(0, np.int64),
        mask,
        -math.inf,
        np.full(len(rows), np.inf),
        -math.inf,
    )

    def remaining() -> float | None:
        return None if deadline is None else max(1.0, deadline - time.perf_counter())

    def out_of_time(status: str) -> bool:
        return status.startswith("TimeLimit") or (
            deadline is not None and time.perf_counter() >= deadline
        )

    def time_limit_error() -> SolverTimeLimitError:
        return SolverTimeLimitError(
            "time_limit reached before the solver found a pairing that meets every rule and "
            "quota; nothing is returned rather than a pairing that breaks one. Fix: give a "
            "larger time_limit, or time_limit=None"
        )

    model = _new_model(gain, n, m, cap, rows, slack_penalty, card, solver)
    model.add(*np.nonzero(mask))
    while True:  # column generation on the linear relaxation
        lp = model.solve(mip=False, time_limit=remaining())
        info.iterations += 1
        if lp.status != "Optimal":
            if out_of_time(lp.status):
                raise time_limit_error()
            return failed
        d = _reduced_costs(gain, lp, rows, has_card)
        d[~allowed | mask] = np.inf
        improving = d < -tol
        if not improving.any():
            break
        # add each mentee's 5 most improving pairs; equal reduced costs are common (all free
        # mentors look alike), so a tiny deterministic jitter spreads mentees over them
        jitter = ((np.arange(n)[:, None] * 7919 + np.arange(m)[None, :] * 104729) % 997) / 997
        d_imp = np.where(improving, d + tol * jitter, np.inf)
        k = min(5, m)
        top = np.argpartition(d_imp, k - 1, axis=1)[:, :k]
        add = np.zeros_like(mask)
        add[np.repeat(np.arange(n), k), top.ravel()] = True
        add &= improving
        mask |= add
        model.add(*np.nonzero(add))
    lp_bound = lp.objective
    if lp_only:
        return _StageResult(failed.rows, failed.cols, mask, lp_bound, lp.slack, lp_bound)
    frac = np.abs(lp.x - np.round(lp.x)).max(initial=0.0)
    if frac < 1e-6:  # integral optimum of the relaxation: optimal, nothing to branch on
        res = lp
        res.x = np.round(lp.x)
    else:
        info.notes.append("integer programme needed (fractional relaxation)")
        res = model.solve(mip=True, time_limit=remaining())
        info.iterations += 1
        gap = lp_bound - res.objective
        if res.status == "Optimal" and gap > tol:
            # a pair left out can only be in a better solution if its reduced cost is < gap
            extra = allowed & ~mask & (d < gap + tol)
            if extra.any():
                mask |= extra
                n_before = len(model.pi)
                model.add(*np.nonzero(extra))
                res2 = model.solve(mip=True, time_limit=remaining())
                info.iterations += 1
                if res2.status in ("Optimal", "TimeLimit") and res2.objective >= res.objective:
                    res = res2
                else:
                    res.x = np.concatenate([res.x, np.zeros(len(model.pi) - n_before)])
                gap = 0.0 if res2.status == "Optimal" else lp_bound - res.objective
            else:
                gap = 0.0
        if res.status != "Optimal" and res.status != "TimeLimit" and out_of_time(res.status):
            raise time_limit_error()
        if res.status == "TimeLimit":
            info.status = "time_limit"
            info.proven_optimal = False
            info.gap = max(info.gap, float(gap))
        elif res.status != "Optimal":
            return failed
    used = res.x > 0.5
    info.candidate_pairs = max(info.candidate_pairs, int(mask.sum()))
    return _StageResult(
        model.pi[used], model.pj[used], mask, float(res.objective), res.slack, lp_bound
    )


def _infeasible(
    sides: Sequence[_Side], slack: np.ndarray, elastic: Sequence[bool]
) -> InfeasibleMatchingError:
    k = [i for i, e in enumerate(elastic) if e]
    bad = [(sides[i], float(slack[pos])) for pos, i in enumerate(k) if slack[pos] > 0.5]
    side, short = bad[0] if bad else (sides[0], 0.0)
    detail = (
        f"at best {math.ceil(short - 1e-6)} more mentee(s) of the group would need a mentor"
        if bad
        else "no pairing meets it"
    )
    return InfeasibleMatchingError(side.name, side.members, detail)


def _max_count(
    allowed: np.ndarray,
    cap: np.ndarray,
    sides: Sequence[_Side],
    mask: np.ndarray,
    solver: str,
    deadline: float | None,
    info: _SolveInfo,
) -> _StageResult:
    """Most pairs meeting every quota (raises InfeasibleMatchingError when none does)."""
    ones = np.ones(allowed.shape)
    penalty = float(allowed.shape[0] + 1)
    # absolute quotas: one problem; share quotas: a count bound from the relaxation, then the
    # largest count that is feasible, each check a problem whose quota rows are counts
    # (integral when groups are nested)
    shares = any(s.share is not None for s in sides)
    rows = [s.row(None) for s in sides]
    bound = _stage(
        ones,
        allowed,
        cap,
        rows,
        mask,
        slack_penalty=penalty,
        card=None,
        solver=solver,
        deadline=deadline,
        info=info,
        lp_only=shares,
    )
    if not shares:
        if np.any(bound.slack > 0.5):
            raise _infeasible(sides, bound.slack, [r.elastic for r in rows])
        return bound
    k = min(int(math.floor(bound.lp_bound + 1e-6)), _max_cardinality(allowed, cap))
    mask = bound.mask
    last = None
    while k >= 0:
        rows = [s.row(k) for s in sides]
        res = _stage(
            np.zeros(allowed.shape),
            allowed,
            cap,
            rows,
            mask,
            slack_penalty=1.0,
            card=k,
            solver=solver,
            deadline=deadline,
            info=info,
        )
        mask = res.mask
        if len(res.rows) == k and not np.any(res.slack > 0.5):
            return res
        last = (res.slack, [r.elastic for r in rows])
        k -= 1
    raise _infeasible(sides, *last) if last else InfeasibleMatchingError("the quotas", ())


def _solve_side(
    value: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    objective: str,
    sides: Sequence[_Side],
    solver: str,
    time_limit: float | None,
    floor: float | None = None,
    top_k: int = 10,
) -> tuple[np.ndarray, np.ndarray, _SolveInfo]:
    """Exact solve with quotas by column generation (see module documentation)."""
    info = _SolveInfo(solver="HiGHS (highspy)" if solver == "highs" else "PuLP+CBC")
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    if objective == "score":
        allowed = allowed & (value > 0)
    mask = _initial_mask(value, allowed, cap, top_k)
    first = _max_count(allowed, cap, sides, mask, solver, deadline, info)
    k_star = len(first.rows)
    mask = first.mask
    if objective == "maximin":
        levels = np.unique(value[allowed])
        lo, hi = 0, len(levels) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            allowed_t = allowed & (value >= levels[mid])
            ok = _max_cardinality(allowed_t, cap) >= k_star
            if ok:
                try:
                    res = _max_count(
                        allowed_t,
                        cap,
                        sides,
                        mask | _initial_mask(value, allowed_t, cap, top_k),
                        solver,
                        deadline,
                        info,
                    )
                    ok = len(res.rows) >= k_star
                except InfeasibleMatchingError:
                    ok = False
            lo, hi = (mid, hi) if ok else (lo, mid - 1)
        t = float(levels[lo]) if len(levels) else -math.inf
        if floor is not None:
            t = min(t, floor)
        if math.isfinite(t):
            allowed = allowed & (value >= t)
        info.notes.append(f"maximin threshold {t:.6g}")
        first = _max_count(
            allowed, cap, sides, _initial_mask(value, allowed, cap, top_k), solver, deadline, info
        )
        mask = first.mask
    mask = mask.copy()
    mask[first.rows, first.cols] = True  # a feasible solution for the second stage
    gain = np.where(allowed, value, 0.0)
    card = None if objective == "score" else k_star
    rows = [s.row(card) for s in sides]
    res = _stage(
        gain,
        allowed,
        cap,
        rows,
        mask,
        slack_penalty=None,
        card=card,
        solver=solver,
        deadline=deadline,
        info=info,
    )
    if not math.isfinite(res.objective):
        raise InfeasibleMatchingError("the quotas", (), "the solver found no solution")
    return res.rows, res.cols, info


# --------------------------------------------------------------------------- dispatch


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
        name = solver if solver in ("highs", "cbc") else ("highs" if _highs_available() else "cbc")
        rows, cols, info = _solve_side(
            value, allowed, cap, objective, sides, name, time_limit, floor
        )
    order = np.lexsort((cols, rows))
    return rows[order], cols[order], info
