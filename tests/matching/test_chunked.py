"""Tests of ementor_kit.matching.chunked: assign_in_chunks against assign on the full table and an
independent linear programme, the blocks it asks for, and its argument checks."""

from __future__ import annotations

import re
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ementor_kit import assign, assign_in_chunks
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.matching import chunked
from ementor_kit.matching._solver import sparse
from tests.matching._solver.test_sparse import OBJ, _instance, _lp_optimum


def _long(value: np.ndarray) -> pd.DataFrame:
    ii, jj = np.nonzero(~np.isnan(value))
    return pd.DataFrame(
        {
            "mentee_id": [f"E{i:02d}" for i in ii],
            "mentor_id": [f"M{j:02d}" for j in jj],
            "score": value[ii, jj],
        }
    )


@settings(
    max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 25),
    m=st.integers(1, 9),
    family=st.sampled_from(["uniform", "popular", "ties"]),
    forbid=st.sampled_from([0.0, 0.3]),
    objective=st.sampled_from(OBJ),
    chunk=st.sampled_from([1, 7, 1 << 21]),
)
def test_same_optimum_as_assign_and_lp(seed, n, m, family, forbid, objective, chunk):
    value, allowed, cap = _instance(seed, n, m, family, forbid)
    mentees = [f"E{i:02d}" for i in range(n)]
    capacity = {f"M{j:02d}": int(c) for j, c in enumerate(cap)}
    asked = []

    def rows(a, b):
        asked.append((a, b))
        return value[a:b]

    with mock.patch.object(sparse, "CHUNK_CELLS", chunk):
        res = assign_in_chunks(rows, mentees, capacity, objective=objective)
    assert res.proven_optimal
    count, total = _lp_optimum(value, allowed, cap, objective)
    assert res.pairs["score"].sum() == pytest.approx(total, abs=1e-7)
    if objective != "score":
        assert len(res.pairs) == count
    if allowed.any():
        dense = assign(_long(value), capacity, objective=objective, solver="lsa")
        assert len(res.pairs) == len(dense.pairs)
        assert res.pairs["score"].sum() == pytest.approx(dense.pairs["score"].sum(), abs=1e-7)
    # the pairs are allowed, capacities held, each mentee once, scores the asked ones
    i = res.pairs["mentee_id"].str[1:].astype(int).to_numpy()
    j = res.pairs["mentor_id"].str[1:].astype(int).to_numpy()
    assert len(set(i)) == len(i) and allowed[i, j].all()
    assert (np.bincount(j, minlength=m) <= cap).all()
    np.testing.assert_array_equal(res.pairs["score"].to_numpy(), value[i, j])
    assert list(i) == sorted(i)
    # blocks within the rows, never more rows than a chunk holds
    step = max(1, chunk // m)
    assert all(0 <= a < b <= n and b - a <= step for a, b in asked)


def test_every_mentee_is_read_in_the_first_pass_and_priced():
    rng = np.random.default_rng(5)
    value = rng.uniform(0, 100, (40, 6))
    asked = []

    def rows(a, b):
        asked.append((a, b))
        return value[a:b]

    with mock.patch.object(sparse, "CHUNK_CELLS", 60):  # blocks of 10 mentees
        res = assign_in_chunks(rows, [f"E{i}" for i in range(40)], {f"M{j}": 5 for j in range(6)})
    covered = np.zeros(40, int)
    for a, b in asked:
        covered[a:b] += 1
    assert (covered >= 2).all()  # the first pass and at least one pricing pass
    note = next(x for x in res.notes if "proven by dual pricing" in x)
    full = int(re.search(r"(\d+) full and \d+ partial", note).group(1))
    assert full >= 1  # partial passes: tests/matching/_solver/test_sparse.py


def test_falls_back_to_the_dense_method_when_not_proven(monkeypatch):
    value = np.array([[90.0, 60.0], [80.0, np.nan], [70.0, 65.0]])
    monkeypatch.setattr(chunked, "_solve_sparse", lambda *a: None)
    res = assign_in_chunks(lambda a, b: value[a:b], ["E1", "E2", "E3"], {"M1": 2, "M2": 1})
    assert res.pairs.values.tolist() == [["E1", "M1", 90.0], ["E2", "M1", 80.0], ["E3", "M2", 65.0]]
    assert "dense method used" in res.notes[-1]


def test_errors_name_the_argument_and_the_fix():
    value = np.ones((3, 2))
    ids = ["E1", "E2", "E3"]
    cap = {"M1": 2, "M2": 1}
    with pytest.raises(InvalidArgumentError, match=r"shape \(3, 1\), not \(3, 2\)"):
        assign_in_chunks(lambda a, b: value[a:b, :1], ids, cap)
    bad = value.copy()
    bad[2, 1] = np.inf
    with pytest.raises(InvalidArgumentError, match=r"score_rows\(0, 3\) returned an infinite"):
        assign_in_chunks(lambda a, b: bad[a:b], ids, cap)
    with pytest.raises(ArgumentTypeError, match="score_rows"):
        assign_in_chunks(value, ids, cap)
    with pytest.raises(InvalidArgumentError, match="E1"):
        assign_in_chunks(lambda a, b: value[a:b], ["E1", "E1", "E3"], cap)
    with pytest.raises(InvalidArgumentError, match="objective"):
        assign_in_chunks(lambda a, b: value[a:b], ids, cap, objective="maximin")


def test_a_dataframe_of_scores_is_read_by_its_column_labels():
    value = np.array([[90.0, 60.0], [80.0, np.nan], [70.0, 65.0]])
    ids, cap = ["E1", "E2", "E3"], {"M1": 2, "M2": 1}
    want = assign_in_chunks(lambda a, b: value[a:b], ids, cap).pairs
    shuffled = assign_in_chunks(
        lambda a, b: pd.DataFrame(value[a:b], columns=["M1", "M2"])[["M2", "M1"]], ids, cap
    )
    pd.testing.assert_frame_equal(shuffled.pairs, want)
    with pytest.raises(InvalidArgumentError, match=r"missing: M2; not mentors: X"):
        assign_in_chunks(lambda a, b: pd.DataFrame(value[a:b], columns=["M1", "X"]), ids, cap)


def test_scores_that_are_not_numbers_and_empty_ids_are_refused():
    value = np.array([[90.0, 60.0], [80.0, np.nan], [70.0, 65.0]])
    ids, cap = ["E1", "E2", "E3"], {"M1": 2, "M2": 1}
    with pytest.raises(InvalidArgumentError, match="type bool"):
        assign_in_chunks(lambda a, b: ~np.isnan(value[a:b]), ids, cap)
    rows = [[90.0, 60.0], [80.0, None], [70.0, 65.0]]  # None for a pair not allowed
    got = assign_in_chunks(lambda a, b: rows[a:b], ids, cap).pairs
    pd.testing.assert_frame_equal(got, assign_in_chunks(lambda a, b: value[a:b], ids, cap).pairs)
    for bad_ids, bad_cap, name in [
        (["E1", "", "E3"], cap, "mentee_ids"),
        (["E1", None, "E3"], cap, "mentee_ids"),
        (ids, {"M1": 2, " ": 1}, "capacity"),
    ]:
        with pytest.raises(InvalidArgumentError, match=rf"'{name}': empty id at position\(s\) 1"):
            assign_in_chunks(lambda a, b: value[a:b], bad_ids, bad_cap)


def test_a_dataframe_is_read_by_its_row_labels_and_nullable_floats():
    value = np.array([[90.0, 60.0], [80.0, np.nan], [70.0, 65.0]])
    ids, cap = ["E1", "E2", "E3"], {"M1": 2, "M2": 1}
    want = assign_in_chunks(lambda a, b: value[a:b], ids, cap).pairs

    def by_id(a: int, b: int) -> pd.DataFrame:  # rows labelled by mentee, in another order
        return pd.DataFrame(value[a:b], index=ids[a:b], columns=["M1", "M2"]).iloc[::-1]

    pd.testing.assert_frame_equal(assign_in_chunks(by_id, ids, cap, workers=1).pairs, want)
    nullable = lambda a, b: pd.DataFrame(value[a:b], columns=["M1", "M2"]).astype("Float64")  # noqa: E731
    pd.testing.assert_frame_equal(assign_in_chunks(nullable, ids, cap).pairs, want)
    with pytest.raises(InvalidArgumentError, match="neither positions nor the mentees"):
        assign_in_chunks(
            lambda a, b: pd.DataFrame(value[a:b], index=["X"] * (b - a), columns=["M1", "M2"]),
            ids,
            cap,
        )
    with pytest.raises(InvalidArgumentError, match="twice: M1"):
        assign_in_chunks(
            lambda a, b: pd.DataFrame(value[a:b][:, [0, 1, 0]], columns=["M1", "M2", "M1"]),
            ids,
            cap,
        )
    for rows in ([["90", None], ["80", None], ["70", "65"]], [[True, None]] * 3):
        with pytest.raises(InvalidArgumentError, match="type object"):
            assign_in_chunks(lambda a, b, rows=rows: rows[a:b], ids, cap)
    with pytest.raises(InvalidArgumentError, match=r"empty id at position\(s\) 1, 2"):
        assign_in_chunks(lambda a, b: value[a:b], ["E1", None, None], cap)
