"""Identical mentors merged before the sparse method: the same optimum as the dense method and
an independent linear programme, the loads of identical mentors spread, nothing merged that
differs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ementor_kit.matching._solver import merge
from ementor_kit.matching._solver.lsa import _solve_pure
from ementor_kit.matching._solver.solve import _solve

from .test_sparse import OBJ, _check_pairing, _lp_optimum


def _repeated(seed: int, n: int, profiles: int, m: int, forbid: float):
    """m mentors drawn from a few profiles (identical columns), forbidden pairs included."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 6, (n, profiles)) * 20.0
    base_allowed = rng.random((n, profiles)) >= forbid
    pick = rng.integers(0, profiles, m)
    allowed = base_allowed[:, pick]
    value = np.where(allowed, base[:, pick], np.nan)
    cap = rng.integers(0, 4, m)
    return value, allowed, cap, pick


@settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 30),
    profiles=st.integers(1, 4),
    m=st.integers(2, 12),
    forbid=st.sampled_from([0.0, 0.3]),
    objective=st.sampled_from(OBJ),
)
def test_merged_sparse_equals_dense_and_lp(seed, n, profiles, m, forbid, objective):
    value, allowed, cap, _ = _repeated(seed, n, profiles, m, forbid)
    rows, cols, info = _solve(value, allowed, cap, objective, solver="sparse")
    _check_pairing(rows, cols, allowed, cap)
    dr, dc, _ = _solve_pure(value, allowed, cap, objective)
    count, total = _lp_optimum(value, allowed, cap, objective)
    assert value[rows, cols].sum() == pytest.approx(value[dr, dc].sum(), abs=1e-7)
    assert value[rows, cols].sum() == pytest.approx(total, abs=1e-7)
    if objective != "score":
        assert len(rows) == len(dr) == count


def test_merge_is_used_and_spreads_the_load():
    value, allowed, cap, pick = _repeated(4, 60, 3, 30, 0.0)
    cap = np.full(30, 5)
    rows, cols, info = _solve(value, allowed, cap, solver="sparse")
    k = len(np.unique(pick))
    assert f"sparse: 30 mentors merged into {k} classes of identical ones" in info.notes
    load = np.bincount(cols, minlength=30)
    for p in np.unique(pick):
        members = load[pick == p]
        assert members.max() - members.min() <= 1  # no capacity reached: 60 < 150 places
    again = _solve(value, allowed, cap, solver="sparse")
    assert np.array_equal(rows, again[0]) and np.array_equal(cols, again[1])


def test_split_respects_capacities_of_unequal_members():
    # one class of three identical mentors with capacities 0, 1 and 4, five mentees given to it
    label = np.array([0, 0, 0])
    cap = np.array([0, 1, 4])
    out = merge._split(np.arange(5), np.zeros(5, dtype=np.int64), label, cap)
    assert np.bincount(out, minlength=3).tolist() == [0, 1, 4]


def test_nothing_merged_when_columns_differ():
    rng = np.random.default_rng(1)
    value = rng.uniform(0, 100, (20, 8))
    allowed = np.ones_like(value, dtype=bool)
    assert merge._merged(value, allowed, np.ones(8, np.int64)) is None


def test_same_scores_but_other_forbidden_pairs_stay_apart():
    value = np.array([[10.0, 10.0, 10.0], [20.0, 20.0, 20.0]])
    allowed = np.array([[True, True, False], [True, True, True]])
    # a forbidden pair's score is not read: column 2 differs from columns 0 and 1
    assert merge._mentor_classes(value, allowed).tolist() == [0, 0, 2]


def test_a_fingerprint_collision_is_caught_by_the_exact_check(monkeypatch):
    value = np.array([[1.0, 2.0, 1.0], [3.0, 4.0, 3.0]])
    allowed = np.ones_like(value, dtype=bool)
    assert merge._mentor_classes(value, allowed).tolist() == [0, 1, 0]
    # every column given the same fingerprint: only the exact comparison keeps column 1 apart
    unique = np.unique

    def one_class(key, **kwargs):
        return unique(np.zeros_like(key), **kwargs)

    monkeypatch.setattr(merge.np, "unique", one_class)
    assert merge._mentor_classes(value, allowed).tolist() == [0, 1, 0]


@pytest.mark.parametrize(
    ("last_row", "expected"), [([5.0, 5.0], [0, 0]), ([5.0, 6.0], [0, 1])], ids=["same", "differ"]
)
def test_columns_read_in_chunks_equal_in_the_first_one(monkeypatch, last_row, expected):
    monkeypatch.setattr(merge, "CHUNK_CELLS", 4)  # two mentors: chunks of two rows
    value = np.array([[1.0, 1.0], [2.0, 2.0], last_row])
    allowed = np.ones_like(value, dtype=bool)
    assert merge._mentor_classes(value, allowed).tolist() == expected


def test_no_merge_when_it_would_remove_under_a_tenth_of_the_mentors(monkeypatch):
    rng = np.random.default_rng(2)
    value = rng.uniform(0, 100, (40, 20))
    allowed = np.ones_like(value, dtype=bool)
    cap = np.ones(20, np.int64)
    value[:, 1] = value[:, 0]  # 19 classes of 20 mentors: not worth a copy
    assert merge._merged(value, allowed, cap) is None
    value[:, 2:4] = value[:, [0]]  # 17 classes: merged
    mv, _, mcap, label = merge._merged(value, allowed, cap)
    assert mv.shape == (40, 17) and mcap[0] == 4 and label[:4].tolist() == [0, 0, 0, 0]
    # identical on the first rows read, different further down: the full check keeps them apart
    monkeypatch.setattr(merge, "PREFIX_ROWS", 5)
    alike = np.tile(value[:, :1], (1, 20))
    alike[5:] = rng.uniform(0, 100, (35, 20))
    assert merge._merged(alike, allowed, cap) is None
