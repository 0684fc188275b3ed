"""The sparse method (min-cost flow + dual pricing) against the dense method and an independent
linear programme (scipy's linprog, HiGHS), on random instances of two families."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ementor_kit.matching import assign
from ementor_kit.matching._solver import sparse
from ementor_kit.matching._solver.lsa import _solve_pure
from ementor_kit.matching._solver.solve import _solve
from ementor_kit.matching._solver.sparse import _dense_source, _solve_sparse

OBJ = ("coverage_then_score", "score")


def _instance(seed: int, n: int, m: int, family: str, forbid: float):
    rng = np.random.default_rng(seed)
    if family == "uniform":
        value = rng.uniform(0, 100, (n, m))
    elif family == "popular":  # shared attractiveness per mentor plus noise
        value = np.clip(rng.normal(0, 15, m)[None, :] + rng.uniform(0, 70, (n, m)), 0, 100)
    else:  # few distinct scores: many ties
        value = rng.integers(0, 5, (n, m)) * 25.0
    allowed = rng.random((n, m)) >= forbid
    value = np.where(allowed, value, np.nan)  # forbidden pairs: NaN, as assign builds them
    cap = rng.integers(0, 4, m)  # zero capacities included
    return value, allowed, cap


def _lp_optimum(value, allowed, cap, objective):
    """(pairs, total score) by two linear programmes (totally unimodular, so integral):
    the most pairs first (coverage objective), then the highest total."""
    n, m = value.shape
    use = allowed & (cap[None, :] > 0)
    if objective == "score":
        use &= np.nan_to_num(value) > 0
    ii, jj = np.nonzero(use)
    if len(ii) == 0:
        return 0, 0.0
    k = len(ii)
    a = np.zeros((n + m, k))
    a[ii, np.arange(k)] = 1
    a[n + jj, np.arange(k)] = 1
    b = np.concatenate([np.ones(n), cap])
    v = value[ii, jj]
    a_eq = b_eq = None
    if objective != "score":
        first = linprog(-np.ones(k), A_ub=a, b_ub=b, bounds=(0, 1), method="highs")
        a_eq, b_eq = np.ones((1, k)), [round(-first.fun)]
    res = linprog(-v, A_ub=a, b_ub=b, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs")
    x = np.round(res.x)
    return int(x.sum()), float(v @ x)


def _check_pairing(rows, cols, allowed, cap):
    assert len(set(rows.tolist())) == len(rows)
    assert allowed[rows, cols].all()
    assert (np.bincount(cols, minlength=len(cap)) <= cap).all()


@settings(
    max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 25),
    m=st.integers(1, 9),
    family=st.sampled_from(["uniform", "popular", "ties"]),
    forbid=st.sampled_from([0.0, 0.3, 0.7]),
    objective=st.sampled_from(OBJ),
    chunk=st.sampled_from([1, 7, 1 << 21]),
)
def test_sparse_equals_dense_and_lp(seed, n, m, family, forbid, objective, chunk):
    value, allowed, cap = _instance(seed, n, m, family, forbid)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sparse, "CHUNK_CELLS", chunk)  # one row per chunk, a few, or one chunk
        res = _solve_sparse(_dense_source(value, allowed), n, m, cap, objective)
    assert res is not None  # proven in floats
    rows, cols, info = res
    _check_pairing(rows, cols, allowed, cap)
    assert info.proven_optimal
    dr, dc, _ = _solve_pure(value, allowed, cap, objective)
    lp_pairs, lp_total = _lp_optimum(value, allowed, cap, objective)
    total = float(value[rows, cols].sum())
    assert total == pytest.approx(float(value[dr, dc].sum()), abs=1e-7)
    assert total == pytest.approx(lp_total, abs=1e-6)
    if objective != "score":  # with "score", equally good pairings may differ in count
        assert len(rows) == len(dr) == lp_pairs


def _pruning_instance():
    """Every mentee's best mentor is M0 (one place); the others fit only some mentees."""
    value = np.array(
        [
            [90.0, 80.0, np.nan],
            [95.0, np.nan, 10.0],
            [99.0, np.nan, np.nan],
            [97.0, 20.0, 30.0],
        ]
    )
    return value, ~np.isnan(value), np.array([1, 1, 1])


def test_top_k_pruning_loses_pairs_and_pricing_recovers(monkeypatch):
    value, allowed, cap = _pruning_instance()
    n, m = value.shape
    # naive pruning: each mentee's best mentor only, solved exactly on those pairs
    best = np.zeros_like(allowed)
    best[np.arange(n), np.nanargmax(value, axis=1)] = True
    naive_r, naive_c, _ = _solve_pure(value, best, cap, "coverage_then_score")
    full_r, full_c, _ = _solve_pure(value, allowed, cap, "coverage_then_score")
    assert len(naive_r) == 1 < len(full_r) == 3
    monkeypatch.setattr(sparse, "ROW_TOP", 1)
    monkeypatch.setattr(sparse, "COL_TOP", 0)  # start from the naive candidates only
    rows, cols, info = _solve_sparse(
        _dense_source(value, allowed), n, m, cap, "coverage_then_score"
    )
    assert len(rows) == 3
    assert value[rows, cols].sum() == value[full_r, full_c].sum() == 99 + 80 + 30
    assert info.iterations > 1  # the pairs came from pricing
    assert "proven" in info.notes[-1]


def test_top_k_pruning_loses_value_and_pricing_recovers(monkeypatch):
    # both mentees prefer M0; pairing the second with M1 is worth more in total
    value = np.array([[50.0, 49.0], [60.0, 10.0]])
    allowed = np.ones((2, 2), dtype=bool)
    cap = np.array([1, 1])
    monkeypatch.setattr(sparse, "ROW_TOP", 1)
    monkeypatch.setattr(sparse, "COL_TOP", 0)
    for objective in OBJ:
        rows, cols, info = _solve_sparse(_dense_source(value, allowed), 2, 2, cap, objective)
        assert value[rows, cols].sum() == 109.0  # naive top-1: one pair, 60
        assert info.iterations > 1


def _table(value, allowed):
    ii, jj = np.nonzero(allowed)
    return pd.DataFrame(
        {
            "mentee_id": [f"E{i:03d}" for i in ii],
            "mentor_id": [f"M{j:03d}" for j in jj],
            "score": value[ii, jj],
        }
    )


@pytest.mark.parametrize("family", ["uniform", "popular"])
def test_assign_sparse_same_optimum_as_lsa(family):
    value, allowed, cap = _instance(7, 120, 40, family, 0.2)
    cand = _table(value, allowed)
    capacity = {f"M{j:03d}": int(c) for j, c in enumerate(cap)}
    for objective in OBJ:
        a = assign(cand, capacity, objective=objective, solver="sparse")
        b = assign(cand, capacity, objective=objective, solver="lsa")
        assert a.solver.startswith("OR-Tools") and a.proven_optimal
        assert any("proven by dual pricing" in x for x in a.notes)
        assert a.pairs["score"].sum() == pytest.approx(b.pairs["score"].sum(), abs=1e-7)
        if objective != "score":
            assert len(a.pairs) == len(b.pairs)
    m = assign(cand, capacity, objective="maximin", solver="sparse")
    assert m.solver == "scipy.linear_sum_assignment"
    assert "dense" in m.notes[-1]


def test_assign_sparse_with_required_pairs():
    value, allowed, cap = _instance(3, 40, 12, "popular", 0.0)
    cap = np.maximum(cap, 1)
    cand = _table(value, allowed)
    capacity = {f"M{j:03d}": int(c) for j, c in enumerate(cap)}
    required = [("E000", "M005"), ("E001", "M005")]
    capacity["M005"] = max(capacity["M005"], 2)
    a = assign(cand, capacity, solver="sparse", required=required)
    b = assign(cand, capacity, solver="lsa", required=required)
    assert a.pairs["score"].sum() == pytest.approx(b.pairs["score"].sum(), abs=1e-7)
    got = set(zip(a.pairs["mentee_id"], a.pairs["mentor_id"], strict=True))
    assert set(required) <= got


def test_sparse_rejects_quotas_like_lsa():
    from ementor_kit.errors import InvalidArgumentError
    from ementor_kit.matching._solver.sides import _Side

    side = _Side("g", np.ones(2, dtype=bool), 1, None)
    with pytest.raises(InvalidArgumentError, match="cannot enforce quotas"):
        _solve(
            np.ones((2, 2)),
            np.ones((2, 2), dtype=bool),
            np.ones(2, np.int64),
            sides=[side],
            solver="sparse",
        )


def test_falls_back_to_dense_when_not_proven(monkeypatch):
    import ementor_kit.matching._solver.solve as solve_mod

    value, allowed, cap = _instance(1, 30, 8, "uniform", 0.0)
    monkeypatch.setattr(solve_mod, "_solve_sparse", lambda *a: None)
    rows, cols, info = _solve(value, allowed, cap, solver="sparse")
    dr, dc, _ = _solve_pure(value, allowed, cap, "coverage_then_score")
    assert info.solver == "scipy.linear_sum_assignment"
    assert "dense method used" in info.notes[-1]
    assert value[rows, cols].sum() == pytest.approx(value[dr, dc].sum())


def test_duals_refuse_a_pairing_that_is_not_optimal():
    # the proof is made on the float scores: a worse pairing gets no duals
    value = np.array([[50.0, 49.0], [60.0, 10.0]])
    cand = sparse._Candidates(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), value.ravel(), 2)
    cap = np.array([1, 1])
    best = np.array([1, 0])  # E0-M1, E1-M0: 49 + 60 = 109, the optimum
    assert sparse._duals(cand, best, 2, 2, cap, 1, 1e-9) is not None
    bad = np.array([0, 1])  # E0-M0, E1-M1: 50 + 10 = 60 < 109
    assert sparse._duals(cand, bad, 2, 2, cap, 1, 1e-9) is None
    assert sparse._duals(cand, bad, 2, 2, cap, 0, 1e-9) is None


def test_auto_uses_sparse_above_the_threshold(monkeypatch):
    import ementor_kit.matching._solver.solve as solve_mod

    value, allowed, cap = _instance(2, 30, 10, "popular", 0.1)
    small = _solve(value, allowed, cap)
    assert small[2].solver == "scipy.linear_sum_assignment"
    monkeypatch.setattr(solve_mod, "SPARSE_MIN_CELLS", 300)
    big = _solve(value, allowed, cap)
    assert big[2].solver == sparse.SOLVER_NAME
    assert value[big[0], big[1]].sum() == pytest.approx(value[small[0], small[1]].sum())
    assert _solve(value, allowed, cap, "maximin")[2].solver == "scipy.linear_sum_assignment"


def _bellman_ford(m, tail, head, length, init, tol):
    """Textbook longest paths (m passes over every arc), None on a positive cycle."""
    b = [float(x) for x in init]
    for _ in range(m + 1):
        changed = False
        for t, h, w in zip(tail.tolist(), head.tolist(), length.tolist(), strict=True):
            if b[t] + w > b[h] + tol:
                b[h] = b[t] + w
                changed = True
        if not changed:
            return np.array(b)
    return None


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    m=st.integers(1, 40),
    arcs=st.integers(0, 120),
    bias=st.sampled_from([-3.0, -1.0, 0.0]),
)
def test_longest_paths_and_positive_cycles_match_bellman_ford(seed, m, arcs, bias):
    rng = np.random.default_rng(seed)
    tail, head = rng.integers(0, m, arcs), rng.integers(0, m, arcs)
    keep = tail != head  # the pricing graph has no loops
    tail, head = tail[keep], head[keep]
    length = np.round(rng.normal(bias, 2.0, len(tail)), 1)
    init = np.where(rng.random(m) < 0.3, np.round(rng.normal(0, 5, m), 1), -np.inf)
    got = sparse._longest(m, tail, head, length, init, 1e-9)
    expected = _bellman_ford(m, tail, head, length, init, 1e-9)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        np.testing.assert_allclose(got, expected, atol=1e-9)


def test_positive_cycle_found_without_m_passes(monkeypatch):
    # a positive cycle through 3 of 2,000 nodes: the predecessor check stops the search early
    m = 2000
    tail, head = np.array([0, 1, 2]), np.array([1, 2, 0])
    init = np.full(m, -np.inf)
    init[0] = 0.0
    passes = []
    real = sparse._has_cycle
    monkeypatch.setattr(sparse, "_has_cycle", lambda p: passes.append(1) or real(p))
    assert sparse._longest(m, tail, head, np.array([1.0, 1.0, 1.0]), init, 1e-9) is None
    assert len(passes) == 1  # after CYCLE_CHECK passes, not m
    assert not sparse._has_cycle(np.arange(5)) and sparse._has_cycle(np.array([1, 0, 2]))


def _recording_price(mp, read):
    """Wrap the pricing pass: the rows of each pass, and whether it read each of its chunks once
    (``read`` collects the source's calls)."""
    passes = []
    price = sparse._price

    def wrapped(source, chunks, *args):
        start = len(read)
        got = price(source, chunks, *args)
        passes.append((got.rows.copy(), read[start:] == list(chunks)))
        return got

    mp.setattr(sparse, "_price", wrapped)
    return passes


# instances of 60 mentees x 12 mentors in chunks of 3 rows, with pools small enough that rows
# overflow them (their "heavy" path)
_POOLED = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
_POOLED_CASES = {
    "seed": st.integers(0, 10_000),
    "family": st.sampled_from(["uniform", "popular", "ties"]),
    "forbid": st.sampled_from([0.0, 0.3]),
    "objective": st.sampled_from(OBJ),
}


def _tiny_pools(mp, pool):
    mp.setattr(sparse, "CHUNK_CELLS", 36)  # 3 rows per chunk
    mp.setattr(sparse, "POOL_TOP", pool)
    mp.setattr(sparse, "ROW_TOP", 1)
    mp.setattr(sparse, "COL_TOP", 0)


@_POOLED
@given(**_POOLED_CASES, pool=st.sampled_from([1, 2, 4]))
def test_near_pairs_and_their_bound_keep_the_optimum(seed, family, forbid, objective, pool):
    # a tiny pool: rows overflow it and have many pairs above -delta (their "heavy" path), the
    # bound fails for some rows and only those are read again (partial passes)
    value, allowed, cap = _instance(seed, 60, 12, family, forbid)
    read = []
    src = _dense_source(value, allowed)
    with pytest.MonkeyPatch.context() as mp:
        _tiny_pools(mp, pool)
        mp.setattr(sparse, "PRICE_TOP", 1)
        passes = _recording_price(mp, read)
        res = _solve_sparse(lambda a, b: read.append((a, b)) or src(a, b), 60, 12, cap, objective)
    assert res is not None
    rows, cols, info = res
    _check_pairing(rows, cols, allowed, cap)
    lp_pairs, lp_total = _lp_optimum(value, allowed, cap, objective)
    assert float(value[rows, cols].sum()) == pytest.approx(lp_total, abs=1e-6)
    if objective != "score":
        assert len(rows) == lp_pairs
    if (cap > 0).any() and allowed.any():  # every row priced (the proof needs each one read)
        assert set(np.concatenate([p[0] for p in passes]).tolist()) == set(range(60))
    assert all(once for _, once in passes)


@_POOLED
@given(
    **_POOLED_CASES,
    pool=st.sampled_from([1, 2, 4, 128]),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_a_pass_bounds_every_pair_it_leaves_out(seed, family, forbid, objective, pool, dtype):
    # each pass: the exact (float64) key of every usable pair of the rows it read, outside the
    # candidates and the pairs it returned, is at most the row's bound t (the proof rests on it)
    value, allowed, cap = _instance(seed, 60, 12, family, forbid)
    value = value.astype(dtype)
    src = _dense_source(value, allowed)
    seen = []
    price = sparse._price

    def wrapped(source, chunks, m, cap_, score, cand, d, beta, tol, span, ex):
        got = price(source, chunks, m, cap_, score, cand, d, beta, tol, span, ex)
        seen.append((cand.lin.copy(), sparse._shift(cand, d), d, beta, got))
        return got

    with pytest.MonkeyPatch.context() as mp:
        _tiny_pools(mp, pool)
        mp.setattr(sparse, "_price", wrapped)
        assert _solve_sparse(src, 60, 12, cap, objective) is not None
    checked = 0
    for lin, shift, d, beta, got in seen:
        rows = np.repeat(got.rows, 12)
        cols = np.tile(np.arange(12), len(got.rows))
        v = value[rows, cols].astype(np.float64)
        out = np.isin(rows * 12 + cols, lin)
        for i, j, _ in (got.add, got.near):
            out |= np.isin(rows * 12 + cols, i * 12 + j)
        use = ~out & ~np.isnan(v) & ((v > 0) if objective == "score" else True)
        key = sparse._keys(rows[use], cols[use], v[use], d, beta, shift, cap > 0)
        bound = np.repeat(got.t, 12)[use]
        assert (key <= bound).all()
        checked += int(use.sum())
    assert seen and (checked > 0 or not allowed.any() or not (cap > 0).any())


def test_some_rows_are_proven_by_the_bound_alone(monkeypatch):
    # the unpaired mentees' rows are priced first, then the others; after the flows that follow,
    # the near pairs and the bound prove most rows: the last passes read only the others again
    value, allowed, cap = _instance(0, 300, 40, "popular", 0.0)
    cap = 4 * cap  # 204 places for 300 mentees
    monkeypatch.setattr(sparse, "CHUNK_CELLS", 400)  # 10 rows per chunk
    monkeypatch.setattr(sparse, "ROW_TOP", 1)
    monkeypatch.setattr(sparse, "COL_TOP", 0)
    monkeypatch.setattr(sparse, "POOL_TOP", 32)
    read = []
    passes = _recording_price(monkeypatch, read)
    src = _dense_source(value, allowed)
    rows, cols, info = _solve_sparse(
        lambda a, b: read.append((a, b)) or src(a, b), 300, 40, cap, OBJ[0]
    )
    assert read[:30] == [(r, r + 10) for r in range(0, 300, 10)]  # the first pass: each chunk once
    assert all(once for _, once in passes)  # and each pricing pass each of its chunks
    first, second, *later = [p[0] for p in passes]
    assert set(first.tolist()) < set(range(300))  # the unpaired mentees' rows first
    assert set(np.concatenate([first, second]).tolist()) == set(range(300))
    assert later and all(0 < len(r) < 300 for r in later)  # only rows the bound did not prove
    assert value[rows, cols].sum() == pytest.approx(_lp_optimum(value, allowed, cap, OBJ[0])[1])


@pytest.mark.parametrize("objective", OBJ)
def test_float32_scores_and_threads(objective):
    value, allowed, cap = _instance(4, 200, 30, "popular", 0.2)
    v32 = value.astype(np.float32)
    v64 = v32.astype(np.float64)  # the same numbers
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sparse, "CHUNK_CELLS", 300)  # 10 rows per chunk: 20 chunks
        one = _solve_sparse(lambda a, b: v32[a:b], 200, 30, cap, objective)
        two = _solve_sparse(lambda a, b: v32[a:b], 200, 30, cap, objective, workers=2)
        wide = _solve_sparse(lambda a, b: v64[a:b], 200, 30, cap, objective)
    for res in (one, two, wide):
        assert res is not None
    np.testing.assert_array_equal(one[0], two[0])  # threads: the same pairs, not only the value
    np.testing.assert_array_equal(one[1], two[1])
    total = float(v64[one[0], one[1]].sum())
    assert total == pytest.approx(float(v64[wide[0], wide[1]].sum()), abs=1e-7)
    assert total == pytest.approx(_lp_optimum(v64, allowed, cap, objective)[1], abs=1e-6)
    np.testing.assert_array_equal(one[2].scores, v64[one[0], one[1]])  # float64 of the float32
