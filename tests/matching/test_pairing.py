import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.matching import (
    CRITERIA,
    GroupQuota,
    InfeasibleMatchingError,
    MatchRules,
    assign,
    compare_rules,
    match,
    rematch,
    score_pairs,
)
from tests._pairing_data import brute_force, dense_pulp, key_of, profiles

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
OBJECTIVES = ("coverage_then_score", "score", "maximin")


# --------------------------------------------------------------------------- assign


@st.composite
def instances(draw, max_n=5, max_m=3):
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(1, max_m))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    ties = draw(st.booleans())
    value = (
        rng.integers(-1, 4, (n, m)).astype(float) * 10
        if ties
        else np.round(rng.uniform(-20, 100, (n, m)), 2)
    )
    allowed = rng.random((n, m)) < draw(st.sampled_from([0.4, 0.7, 1.0]))
    cap = rng.integers(0, 3, m)
    return value, allowed, cap


def _candidates(value, allowed, shuffle_seed=None):
    i, j = np.nonzero(allowed)
    cand = pd.DataFrame(
        {
            "mentee_id": [f"E{k:02d}" for k in i],
            "mentor_id": [f"M{k:02d}" for k in j],
            "score": value[i, j],
        }
    )
    if shuffle_seed is not None:
        cand = cand.sample(frac=1, random_state=shuffle_seed).reset_index(drop=True)
    return cand


def _caps(cap):
    return {f"M{k:02d}": int(c) for k, c in enumerate(cap)}


def _check_feasible(out, value, allowed, cap):
    i = out["mentee_id"].str[1:].astype(int).to_numpy()
    j = out["mentor_id"].str[1:].astype(int).to_numpy()
    assert allowed[i, j].all()
    assert len(set(i)) == len(i)
    assert (np.bincount(j, minlength=len(cap)) <= cap).all()
    np.testing.assert_array_equal(out["score"].to_numpy(), value[i, j])
    assert out["mentee_id"].is_monotonic_increasing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(), objective=st.sampled_from(OBJECTIVES))
def test_assign_equals_brute_force(inst, objective):
    value, allowed, cap = inst
    res = assign(_candidates(value, allowed), _caps(cap), objective=objective)
    out = res.pairs
    _check_feasible(out, value, allowed, cap)
    assert key_of(out, objective) == brute_force(value, allowed, cap, objective)
    assert res.proven_optimal and res.gap == 0.0 and res.status == "optimal"
    assert res.objective == objective and out.attrs == {}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inst=instances(max_n=4),
    objective=st.sampled_from(OBJECTIVES),
    solver=st.sampled_from(["highs", "cbc"]),
)
def test_integer_programme_path_equals_brute_force(inst, objective, solver):
    value, allowed, cap = inst
    res = assign(_candidates(value, allowed), _caps(cap), objective=objective, solver=solver)
    assert res.solver == {"highs": "HiGHS (highspy)", "cbc": "PuLP+CBC"}[solver]
    out = res.pairs
    _check_feasible(out, value, allowed, cap)
    assert key_of(out, objective) == brute_force(value, allowed, cap, objective)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(20, 60), m=st.integers(5, 25))
def test_assign_equals_hand_written_linear_sum_assignment(seed, n, m):
    rng = np.random.default_rng(seed)
    value = rng.uniform(0, 100, (n, m))
    cap = rng.integers(1, 4, m)
    cand = _candidates(value, np.ones((n, m), dtype=bool))
    out = assign(cand, _caps(cap)).pairs
    # independent path: pivot, repeat columns by capacity, scipy, maximise
    piv = cand.pivot(index="mentee_id", columns="mentor_id", values="score")
    reps = np.repeat(np.arange(piv.shape[1]), [_caps(cap)[c] for c in piv.columns])
    mat = piv.to_numpy()[:, reps]
    r, c = linear_sum_assignment(mat, maximize=True)
    assert len(out) == len(r)
    assert out["score"].sum() == pytest.approx(mat[r, c].sum(), abs=1e-6)
    _check_feasible(out, value, np.ones((n, m), dtype=bool), cap)


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_sparse_assign_equals_dense_pulp_cbc(seed):
    rng = np.random.default_rng(seed)
    n, m = 14, 5
    value = np.round(rng.uniform(0, 100, (n, m)), 1)
    allowed = rng.random((n, m)) < 0.35
    cap = rng.integers(1, 3, m)
    out = assign(_candidates(value, allowed), _caps(cap)).pairs
    k, total = dense_pulp(value, allowed, cap)
    assert len(out) == k
    assert out["score"].sum() == pytest.approx(total, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(inst=instances(), objective=st.sampled_from(OBJECTIVES), seed=st.integers(0, 99))
def test_assign_is_deterministic_and_ignores_row_order(inst, objective, seed):
    value, allowed, cap = inst
    a = assign(_candidates(value, allowed), _caps(cap), objective=objective)
    b = assign(_candidates(value, allowed, shuffle_seed=seed), _caps(cap), objective=objective)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    assert (a.solver, a.status, a.proven_optimal) == (b.solver, b.status, b.proven_optimal)


def test_long_text_ids_and_categorical_ids_give_the_same_pairs():
    # ids as shared objects, categories, one fresh string per row, and shuffled rows
    rng = np.random.default_rng(0)
    n, m = 700, 300
    value = rng.uniform(0, 100, (n, m))
    e = np.array([f"E{k:04d}" for k in range(n)], dtype=object)
    mm = np.array([f"M{k:04d}" for k in range(m)], dtype=object)
    cand = pd.DataFrame(
        {
            "mentee_id": pd.array(np.repeat(e, m), dtype="str"),
            "mentor_id": pd.array(np.tile(mm, n), dtype="str"),
            "score": value.ravel(),
        }
    )
    caps = dict.fromkeys(mm.tolist(), 3)
    a = assign(cand, caps).pairs
    b = assign(cand.astype({"mentee_id": "category", "mentor_id": "category"}), caps).pairs
    shuffled = cand.sample(frac=1, random_state=3)
    c = assign(shuffled.iloc[::-1], caps).pairs
    fresh = cand.assign(
        mentee_id=pd.array([str(x)[:1] + str(x)[1:] for x in cand["mentee_id"]], dtype="str")
    )
    d = assign(fresh, caps).pairs
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    pd.testing.assert_frame_equal(a, d)
    assert len(a) == n


@pytest.mark.parametrize(
    ("frame", "caps", "column", "text"),
    [
        (
            pd.DataFrame({"mentee_id": ["E1"], "score": [1.0]}),
            {"M1": 1},
            "mentor_id",
            "column is missing",
        ),
        (
            pd.DataFrame(
                {"mentee_id": ["E1", None], "mentor_id": ["M1", "M1"], "score": [1.0, 2.0]}
            ),
            {"M1": 1},
            "mentee_id",
            "empty id",
        ),
        (
            pd.DataFrame(
                {"mentee_id": ["E1", "E2"], "mentor_id": ["M1", " "], "score": [1.0, 2.0]}
            ),
            {"M1": 1, " ": 1},
            "mentor_id",
            "empty id",
        ),
        (
            pd.DataFrame(
                {"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"], "score": [1.0, np.nan]}
            ),
            {"M1": 1},
            "score",
            "missing or infinite",
        ),
        (
            pd.DataFrame(
                {"mentee_id": ["E1", "E1"], "mentor_id": ["M1", "M1"], "score": [1.0, 2.0]}
            ),
            {"M1": 1},
            "mentee_id, mentor_id",
            "duplicate",
        ),
        (
            pd.DataFrame({"mentee_id": ["E1"], "mentor_id": ["M1"], "score": ["high"]}),
            {"M1": 1},
            "score",
            "not numbers",
        ),
    ],
)
def test_assign_input_errors_name_the_column(frame, caps, column, text):
    with pytest.raises(DataValidationError) as exc:
        assign(frame, caps)
    assert any(p.column == column and text in p.message for p in exc.value.problems)


def test_assign_capacity_errors():
    cand = pd.DataFrame({"mentee_id": ["E1"], "mentor_id": ["M1"], "score": [1.0]})
    with pytest.raises(DataValidationError, match="no capacity for mentor"):
        assign(cand, {"M2": 1})
    with pytest.raises(DataValidationError, match="whole number"):
        assign(cand, {"M1": -1})
    with pytest.raises(InvalidArgumentError, match="argument 'objective': 'best'"):
        assign(cand, {"M1": 1}, objective="best")
    with pytest.raises(DataValidationError, match="not a candidate"):
        assign(cand, {"M1": 1}, required=[("E1", "M9")])
    with pytest.raises(DataValidationError, match="whole number"):
        assign(cand, {"M1": float("inf")})
    with pytest.raises(DataValidationError, match="more than one capacity"):
        assign(cand, pd.Series([1, 2], index=["M1", "M1"]))
    assert assign(cand, {"M1": 0}).pairs.empty
    assert assign(cand, {"M1": 1, "M_unknown": 5}).pairs["mentor_id"].tolist() == ["M1"]


@pytest.mark.parametrize("limit", [0, -1, -0.5, float("nan"), float("inf"), "10", True])
def test_time_limit_must_be_positive_seconds(limit):
    cand = pd.DataFrame({"mentee_id": ["E1"], "mentor_id": ["M1"], "score": [1.0]})
    mentors, mentees = profiles(2, 2, 3)
    calls = [
        lambda: assign(cand, {"M1": 1}, time_limit=limit),
        lambda: assign(cand, {"M1": 1}, time_limit=limit, solver="highs"),
        lambda: match(mentors, mentees, time_limit=limit),
    ]
    for call in calls:
        with pytest.raises(InvalidArgumentError) as exc:
            call()
        p = exc.value.problem
        assert p.column == "time_limit"
        assert "positive number of seconds" in p.fix and "None" in p.fix
    ok = assign(cand, {"M1": 1}, time_limit=0.5, solver="highs")
    assert ok.pairs["mentor_id"].tolist() == ["M1"]


def test_ids_are_compared_as_text_and_empty_tables_give_no_pairs():
    # 1 and "1" are the same mentee: listing both is a duplicate pair, never two mentors
    mixed = pd.DataFrame({"mentee_id": [1, "1"], "mentor_id": ["M1", "M1"], "score": [1.0, 2.0]})
    with pytest.raises(DataValidationError, match="duplicate"):
        assign(mixed, {"M1": 2})
    ints = pd.DataFrame({"mentee_id": [1, 2], "mentor_id": [7, 7], "score": [1.0, 2.0]})
    out = assign(ints, {"7": 1}).pairs
    assert out["mentee_id"].tolist() == ["2"] and out["mentor_id"].tolist() == ["7"]
    empty = pd.DataFrame(columns=["mentee_id", "mentor_id", "score"])
    for solver in ("auto", "lsa", "sparse", "highs"):
        for capacity in ({}, {"M1": 1}):
            got = assign(empty, capacity, solver=solver).pairs
            assert list(got.columns) == ["mentee_id", "mentor_id", "score"] and len(got) == 0


def test_required_pairs_are_kept_and_the_rest_is_optimal():
    rng = np.random.default_rng(4)
    value = np.round(rng.uniform(0, 100, (5, 3)), 1)
    allowed = rng.random((5, 3)) < 0.8
    allowed[0, 2] = allowed[3, 2] = True
    cap = np.array([1, 2, 1])
    for objective in OBJECTIVES:
        out = assign(
            _candidates(value, allowed), _caps(cap), objective=objective, required=[("E00", "M02")]
        ).pairs
        assert ("E00", "M02") in set(zip(out["mentee_id"], out["mentor_id"], strict=True))
        assert key_of(out, objective) == brute_force(value, allowed, cap, objective, fixed={0: 2})
    with pytest.raises(InfeasibleMatchingError, match="capacity of mentor M02"):
        assign(_candidates(value, allowed), _caps(cap), required=[("E00", "M02"), ("E03", "M02")])


# --------------------------------------------------------------------------- quotas


@st.composite
def quota_instances(draw):
    value, allowed, cap = draw(instances(max_n=5, max_m=3))
    n = value.shape[0]
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    g = rng.random(n) < 0.5
    g[draw(st.integers(0, n - 1))] = True
    if draw(st.booleans()):
        quota = (g, draw(st.sampled_from([0.3, 0.5, 1.0])), None)
    else:
        quota = (g, None, draw(st.sampled_from([0.8, 1.0, 1.5])))
    return value, allowed, cap, quota


def _groups(g):
    return {f"E{k:02d}": ("qpv" if x else "other") for k, x in enumerate(g)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inst=quota_instances(),
    objective=st.sampled_from(OBJECTIVES),
    solver=st.sampled_from(["auto", "auto", "cbc"]),
)
def test_quota_results_equal_brute_force(inst, objective, solver):
    value, allowed, cap, (g, cov, share) = inst
    q = GroupQuota("qpv", min_coverage=cov, min_share_of_overall=share)
    best = brute_force(value, allowed, cap, objective, quota=(g, cov, share))
    cand = _candidates(value, allowed)
    if best is None:
        with pytest.raises(InfeasibleMatchingError) as exc:
            assign(
                cand, _caps(cap), objective=objective, quotas=[q], groups=_groups(g), solver=solver
            )
        assert "qpv" in exc.value.constraint
        assert exc.value.people
        return
    out = assign(
        cand, _caps(cap), objective=objective, quotas=[q], groups=_groups(g), solver=solver
    ).pairs
    _check_feasible(out, value, allowed, cap)
    assert key_of(out, objective) == best
    paired = np.zeros(len(g), dtype=bool)
    paired[out["mentee_id"].str[1:].astype(int)] = True
    if cov is not None:
        assert paired[g].sum() >= np.ceil(cov * g.sum() - 1e-9)
    else:
        assert paired[g].mean() >= share * paired.mean() - 1e-12


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 10_000), relative=st.booleans())
def test_quota_results_equal_dense_pulp_cbc(seed, relative):
    rng = np.random.default_rng(seed)
    n, m = 16, 5
    value = np.round(rng.uniform(0, 100, (n, m)), 1)
    g = rng.random(n) < 0.4
    g[0] = True
    allowed = rng.random((n, m)) < 0.5
    allowed[g] &= rng.random((int(g.sum()), m)) < 0.5  # the group is harder to pair
    value[g] *= 0.7
    cap = rng.integers(1, 3, m)
    quota = (g, None, 1.0) if relative else (g, 0.5, None)
    q = GroupQuota("qpv", min_coverage=quota[1], min_share_of_overall=quota[2])
    try:
        k, total = dense_pulp(value, allowed, cap, quota=quota)
    except AssertionError:  # infeasible for the dense model too
        with pytest.raises(InfeasibleMatchingError):
            assign(_candidates(value, allowed), _caps(cap), quotas=[q], groups=_groups(g))
        return
    out = assign(_candidates(value, allowed), _caps(cap), quotas=[q], groups=_groups(g)).pairs
    assert len(out) == k
    assert out["score"].sum() == pytest.approx(total, abs=1e-6)


def test_overlapping_quotas_need_branching_and_stay_exact():
    # two quotas on overlapping groups: the relaxation may be fractional; still exact
    rng = np.random.default_rng(11)
    n, m = 6, 3
    value = np.round(rng.uniform(0, 100, (n, m)), 1)
    allowed = rng.random((n, m)) < 0.7
    cap = np.array([1, 1, 2])
    g1 = np.array([1, 1, 1, 0, 0, 0], dtype=bool)
    best = brute_force(value, allowed, cap, "coverage_then_score", quota=(g1, 0.67, None))
    out = assign(
        _candidates(value, allowed),
        _caps(cap),
        quotas=[GroupQuota("qpv", min_coverage=0.67)],
        groups=_groups(g1),
    ).pairs
    assert key_of(out, "coverage_then_score") == best


# --------------------------------------------------------------------------- match


@st.composite
def match_cases(draw):
    n_m = draw(st.integers(1, 3))
    n_e = draw(st.integers(1, 5))
    mentors, mentees = profiles(
        draw(st.integers(0, 10_000)), n_m, n_e, n_langs=draw(st.sampled_from([1, 3])), n_orgs=2
    )
    e_ids, m_ids = mentees["mentee_id"].tolist(), mentors["mentor_id"].tolist()
    forbidden = draw(
        st.lists(st.tuples(st.sampled_from(e_ids), st.sampled_from(m_ids)), unique=True, max_size=2)
    )
    caps = draw(st.dictionaries(st.sampled_from(m_ids), st.integers(0, 2), max_size=1))
    rules = MatchRules(
        weights=draw(st.dictionaries(st.sampled_from(CRITERIA), st.floats(0.5, 5), min_size=1)),
        min_score=draw(st.sampled_from([0, 30, 60])),
        objective=draw(st.sampled_from(OBJECTIVES)),
        shared_language=draw(st.booleans()),
        forbidden_pairs=tuple(forbidden),
        capacity_override=caps,
    )
    return mentors, mentees, rules


def _score_arrays(mentors, mentees, rules):
    s = score_pairs(mentors, mentees, rules)
    e = sorted(s["mentee_id"].unique())
    m = sorted(s["mentor_id"].unique())
    value = s["score"].to_numpy().reshape(len(e), len(m))
    allowed = s["feasible"].to_numpy().reshape(len(e), len(m))
    return s, e, m, value, allowed


def _check_accounting(result, mentors, mentees):
    pairs, un = result.pairs, result.unmatched
    e_ids = set(mentees["mentee_id"])
    m_ids = set(mentors["mentor_id"])
    # every mentee exactly once across pairs and unmatched
    listed = pairs["mentee_id"].tolist() + un.loc[un["role"] == "mentee", "person_id"].tolist()
    assert sorted(listed) == sorted(e_ids)
    # every mentor in the pairs or reported, at most once in unmatched
    um = un.loc[un["role"] == "mentor", "person_id"]
    assert um.is_unique
    assert set(pairs["mentor_id"]) | set(um) == m_ids
    assert un["reason"].str.len().gt(0).all() and un["detail"].str.len().gt(0).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=match_cases())
def test_match_is_feasible_optimal_and_accounts_for_everybody(case):
    mentors, mentees, rules = case
    result = match(mentors, mentees, rules)
    s, e, m, value, allowed = _score_arrays(mentors, mentees, rules)
    cap = np.array(
        [
            rules.capacity_override.get(k, int(c))
            for k, c in zip(mentors["mentor_id"], mentors["capacity"], strict=True)
        ]
    )
    cap = cap[np.argsort(mentors["mentor_id"].to_numpy())]
    pairs = result.pairs
    # hard rules never violated, capacities never exceeded
    merged = pairs.merge(s, on=["mentee_id", "mentor_id"], suffixes=("", "_s"))
    assert len(merged) == len(pairs) and merged["feasible"].all()
    np.testing.assert_allclose(merged["score"], merged["score_s"])
    for c in CRITERIA:
        np.testing.assert_allclose(merged[c], merged[f"{c}_s"])
    load = pairs["mentor_id"].value_counts()
    assert all(load.get(k, 0) <= cap[j] for j, k in enumerate(m))
    _check_accounting(result, mentors, mentees)
    # optimal
    assert key_of(pairs, rules.objective) == brute_force(value, allowed, cap, rules.objective)
    assert result.proven_optimal and result.status == "optimal"
    # unmatched reasons agree with the scores
    un = result.unmatched.set_index("person_id")
    for k, i in enumerate(e):
        if i in set(pairs["mentee_id"]):
            continue
        reason = un.loc[i, "reason"]
        assert reason == (
            "no_feasible_mentor"
            if not allowed[k].any()
            else "feasible_mentors_full"
            if all(load.get(m[j], 0) >= cap[j] for j in np.flatnonzero(allowed[k]))
            else "not_selected"
        )
        if reason == "not_selected":  # only the score objective may leave room unused
            assert rules.objective == "score"
    for j, k in enumerate(m):
        spare = cap[j] - load.get(k, 0)
        if spare > 0:
            assert un.loc[k, "spare_capacity"] == spare
        elif cap[j] == 0:
            assert un.loc[k, "reason"] == "no_capacity"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=match_cases())
def test_explanations_are_consistent_with_scores(case):
    mentors, mentees, rules = case
    result = match(mentors, mentees, rules)
    s = score_pairs(mentors, mentees, rules).set_index(["mentee_id", "mentor_id"])
    chosen = dict(zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True))
    load = result.pairs["mentor_id"].value_counts()
    caps = dict(zip(mentors["mentor_id"], mentors["capacity"].astype(int), strict=True))
    caps.update(rules.capacity_override)
    for e in mentees["mentee_id"]:
        ex = result.explain(e, n=10)
        assert (ex["status"] == "chosen").sum() == (1 if e in chosen else 0)
        if e in chosen:
            assert ex.iloc[0]["mentor_id"] == chosen[e] and ex.iloc[0]["why_not"] == ""
        for _, row in ex.iterrows():
            ref = s.loc[(e, row["mentor_id"])]
            assert row["score"] == pytest.approx(ref["score"])
            assert row["feasible"] == ref["feasible"]
            assert row["excluded_by"] == ref["excluded_by"]
            for c in CRITERIA:
                assert row[c] == pytest.approx(ref[c])
            if row["status"] == "chosen":
                continue
            why = row["why_not"]
            if not ref["feasible"]:
                assert why == "hard rule: " + ref["excluded_by"]
            elif why.startswith("lower score"):
                assert ref["score"] < s.loc[(e, chosen[e]), "score"]
            elif why.startswith("mentor full"):
                assert load.get(row["mentor_id"], 0) == caps[row["mentor_id"]]
            elif why.startswith("equal score"):
                assert ref["score"] == s.loc[(e, chosen[e]), "score"]
            else:
                assert why.startswith("left out by the objective")
                assert rules.objective == "score"
        # alternatives are the best-scoring other mentors, best first
        alt = ex[ex["status"] == "alternative"]["score"].to_numpy()
        assert (np.diff(alt) <= 1e-12).all()


def test_match_is_deterministic_and_provenance_ignores_timings():
    mentors, mentees = profiles(21, 6, 15)
    a = match(mentors, mentees)
    b = match(mentors.sample(frac=1, random_state=0), mentees.sample(frac=1, random_state=1))
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    pd.testing.assert_frame_equal(a.unmatched, b.unmatched)
    assert a.provenance == b.provenance
    assert a.to_csv() == b.to_csv()
    sa, sb = a.summary(), b.summary()
    assert sa.timings != {} and set(sa.timings) >= {"score", "solve", "total"}
    assert sa.provenance == sb.provenance
    c = match(mentors, mentees, MatchRules(min_score=10))
    assert c.provenance != a.provenance
    d = match(mentors, mentees, objective="maximin")
    assert d.provenance != a.provenance


def test_summary_figures_are_recomputed_independently():
    mentors, mentees = profiles(33, 5, 14)
    r = match(mentors, mentees)
    s = r.summary()
    sc = r.pairs["score"]
    assert s.n_pairs == len(r.pairs)
    assert s.coverage == pytest.approx(len(r.pairs) / len(mentees))
    assert s.score_mean == pytest.approx(sc.mean())
    assert s.score_min == pytest.approx(sc.min())
    assert s.score_median == pytest.approx(sc.median())
    assert s.score_q1 == pytest.approx(sc.quantile(0.25))
    assert s.objective_value == pytest.approx(sc.sum())
    grp = mentees["group"].replace("", "(not declared)")
    paired = mentees["mentee_id"].isin(r.pairs["mentee_id"])
    expected = paired.groupby(grp).mean().to_dict()
    assert s.group_coverage == pytest.approx(expected)
    assert s.proven_optimal and s.gap == 0
    assert "proven optimal" in str(s)
    assert s.as_dict()["provenance"] == r.provenance


def test_to_csv_reloads_with_pandas(tmp_path):
    mentors, mentees = profiles(2, 4, 9)
    r = match(mentors, mentees)
    path = tmp_path / "pairs.csv"
    text = r.to_csv(path)
    assert path.read_text(encoding="utf-8") == text
    assert text.startswith("# ementor-kit") and r.provenance in text.splitlines()[0]
    back = pd.read_csv(path, comment="#")
    assert back["mentee_id"].tolist() == r.pairs["mentee_id"].tolist()
    np.testing.assert_allclose(back["score"], r.pairs["score"])
    assert list(back.columns) == list(r.pairs.columns)


def test_required_pairs_errors_name_the_constraint_and_people():
    mentors, mentees = profiles(5, 3, 6, n_langs=1)
    e, m = mentees["mentee_id"][0], mentors["mentor_id"][0]
    m2 = mentors["mentor_id"][1]
    r = match(mentors, mentees, {"hard_rules": {"required_pairs": [[e, m]]}})
    assert (e, m) in set(zip(r.pairs["mentee_id"], r.pairs["mentor_id"], strict=True))
    assert r.pairs.set_index("mentee_id").loc[e, "required"]
    with pytest.raises(InfeasibleMatchingError) as exc:
        match(mentors, mentees, {"hard_rules": {"required_pairs": [[e, m], [e, m2]]}})
    assert e in exc.value.people and "two mentors" in str(exc.value)
    with pytest.raises(InfeasibleMatchingError) as exc:
        match(
            mentors,
            mentees,
            {"hard_rules": {"required_pairs": [[e, m]], "capacity_override": {m: 0}}},
        )
    assert "no_capacity" in str(exc.value) and exc.value.people == (e, m)
    mentees2 = mentees.copy()
    mentees2.loc[0, "languages"] = "es"
    with pytest.raises(InfeasibleMatchingError, match="language"):
        match(mentors, mentees2, {"hard_rules": {"required_pairs": [[e, m]]}})
    with pytest.raises(InfeasibleMatchingError) as exc:
        match(
            mentors,
            mentees,
            {"hard_rules": {"required_pairs": [[mentees["mentee_id"][k], m] for k in range(4)]}},
        )
    assert "capacity of mentor" in exc.value.constraint and m in exc.value.people


def test_infeasible_quota_names_the_group():
    mentors, mentees = profiles(9, 2, 8)
    mentors["capacity"] = "1"
    mentees["group"] = ["qpv"] * 6 + ["non_qpv"] * 2
    with pytest.raises(InfeasibleMatchingError) as exc:
        match(mentors, mentees, {"quotas": [{"group": "qpv", "min_coverage": 0.9}]})
    assert "group=qpv" in exc.value.constraint
    assert set(exc.value.people) <= set(mentees["mentee_id"][:6])
    with pytest.raises(DataValidationError, match="no mentee has group='nope'"):
        match(mentors, mentees, {"quotas": [{"group": "nope", "min_coverage": 0.5}]})


def test_quota_in_match_is_met_and_costs_score():
    mentors, mentees = profiles(14, 4, 16, n_langs=2)
    mentors["capacity"] = "2"
    mentees["group"] = ["qpv" if k % 3 == 0 else "non_qpv" for k in range(16)]
    base = match(mentors, mentees)
    q = {"quotas": [{"group": "qpv", "min_share_of_overall": 1.2}]}
    withq = match(mentors, mentees, q)
    s = withq.summary()
    overall = s.coverage
    assert s.group_coverage["qpv"] >= 1.2 * overall - 1e-12
    assert withq.summary().score_total <= base.summary().score_total + 1e-9
    assert withq.proven_optimal
    # equal to the dense model on the same feasible pairs
    _, _, _, value, allowed = _score_arrays(mentors, mentees, MatchRules())
    g = (mentees.sort_values("mentee_id")["group"] == "qpv").to_numpy()
    cap = np.full(4, 2)
    k, total = dense_pulp(value, allowed, cap, quota=(g, None, 1.2))
    assert len(withq.pairs) == k
    assert withq.pairs["score"].sum() == pytest.approx(total, abs=1e-6)


# --------------------------------------------------------------------------- compare, rematch


def test_compare_rules_side_by_side():
    mentors, mentees = profiles(4, 5, 12)
    rule_sets = {
        "default": None,
        "strict": {"hard_rules": {"min_score": 70}},
        "maximin": {"objective": "maximin"},
    }
    t = compare_rules(rule_sets, mentors, mentees)
    assert list(t.index) == list(rule_sets)
    for name, rules in rule_sets.items():
        r = match(mentors, mentees, rules)
        assert t.loc[name, "n_pairs"] == len(r.pairs)
        assert t.loc[name, "score_mean"] == pytest.approx(r.pairs["score"].mean())
    first = match(mentors, mentees).pairs.set_index("mentee_id")["mentor_id"]
    strict = match(mentors, mentees, rule_sets["strict"]).pairs.set_index("mentee_id")["mentor_id"]
    both = pd.concat([first, strict], axis=1).fillna("")
    assert t.loc["strict", "changed_vs_first"] == int((both.iloc[:, 0] != both.iloc[:, 1]).sum())
    assert t.loc["default", "changed_vs_first"] == 0
    assert t.loc["default", "score_mean_first"] == pytest.approx(t.loc["default", "score_mean"])


def test_rematch_keeps_active_pairs_and_repairs_only_the_affected():
    mentors, mentees = profiles(6, 5, 12, n_langs=1)
    first = match(mentors, mentees)
    leaving_mentor = first.pairs["mentor_id"].iloc[0]
    ended = tuple(first.pairs[["mentee_id", "mentor_id"]].iloc[-1])
    new_mentee = mentees.iloc[[0]].assign(mentee_id="E900")
    mentors2 = mentors[mentors["mentor_id"] != leaving_mentor]
    mentees2 = pd.concat([mentees, new_mentee], ignore_index=True)
    again = rematch(first, mentors2, mentees2, drop=[ended])
    old = dict(zip(first.pairs["mentee_id"], first.pairs["mentor_id"], strict=True))
    new = dict(zip(again.pairs["mentee_id"], again.pairs["mentor_id"], strict=True))
    for e, m in old.items():
        if m != leaving_mentor and (e, m) != ended:
            assert new.get(e) == m  # every surviving pair kept
    assert new.get(ended[0]) != ended[1]  # an ended pair is not formed again
    ch = again.changes.set_index("mentee_id")
    assert set(ch["change"]) <= {"kept", "new", "re-paired", "unpaired", "still unpaired"}
    assert ch.loc["E900", "change"] in ("new", "still unpaired")
    assert (ch["change"] == "kept").sum() == sum(
        1 for e, m in old.items() if m != leaving_mentor and (e, m) != ended
    )
    _check_accounting(again, mentors2, mentees2)
    # the re-paired part is optimal given the kept pairs
    _, e_ids, m_ids, value, allowed = _score_arrays(
        mentors2, mentees2, MatchRules(forbidden_pairs=(ended,))
    )
    fixed = {
        e_ids.index(e): m_ids.index(m)
        for e, m in old.items()
        if m != leaving_mentor and (e, m) != ended
    }
    cap = mentors2.set_index("mentor_id").loc[m_ids, "capacity"].astype(int).to_numpy()
    if len(e_ids) <= 8:
        assert key_of(again.pairs, "coverage_then_score") == brute_force(
            value, allowed, cap, "coverage_then_score", fixed=fixed
        )
    else:
        k, total = dense_pulp(value, _fixed_allowed(allowed, fixed), cap)
        assert len(again.pairs) == k
        assert again.pairs["score"].sum() == pytest.approx(total, abs=1e-6)


def _fixed_allowed(allowed, fixed):
    out = allowed.copy()
    for i, j in fixed.items():
        out[i] = False
        out[i, j] = True
    return out


def test_rematch_dropping_a_person_ends_all_their_pairs():
    """Issue 17: drop=["M001"] used to give M001's mentees back to M001, labelled kept."""
    mentors, mentees = profiles(3, 4, 8, n_langs=1)
    first = match(mentors, mentees)
    m = first.pairs["mentor_id"].value_counts().index[0]
    theirs = set(first.pairs.loc[first.pairs["mentor_id"] == m, "mentee_id"])
    again = rematch(first, mentors, mentees, drop=[m])
    new = dict(zip(again.pairs["mentee_id"], again.pairs["mentor_id"], strict=True))
    assert all(new.get(e) != m for e in theirs)
    ch = again.changes.set_index("mentee_id")
    assert "kept" not in set(ch.loc[sorted(theirs), "change"])
    # the mentor stays available to mentees they did not mentor
    others = set(mentees["mentee_id"]) - theirs
    assert set(new) - theirs <= others
    _check_accounting(again, mentors, mentees)


def _two_places():
    """Two mentors with one place each (M001, M002) and three mentees (E003 like E001)."""
    from ementor_kit.datasets import example_profiles

    mentors, mentees = example_profiles()
    mentees = pd.concat([mentees, mentees.iloc[[0]].assign(mentee_id="E003")], ignore_index=True)
    return mentors.assign(capacity=[1, 1]), mentees


def test_rematch_frees_the_place_of_a_pair_that_ended():
    """A pair closed early (ended_on) frees its mentor's place from that day: worked by hand,
    E001-M001 ended on 2026-10-01, E002-M002 in force, E003 new; one place each."""
    mentors, mentees = _two_places()
    pairs = pd.DataFrame(
        {
            "mentee_id": ["E001", "E002"],
            "mentor_id": ["M001", "M002"],
            "ended_on": ["2026-10-01", ""],
            "end_reason": ["mentor_left", ""],
        }
    )

    def changes(**kw):
        r = rematch(pairs, mentors, mentees, **kw)
        return (
            r.changes.set_index("mentee_id")[["new_mentor", "change"]].fillna("-").values.tolist()
        )

    # M001's place is free: E003 takes it; E001-M001 is not formed again (M002 is full)
    after = [["-", "unpaired"], ["M002", "kept"], ["M001", "new"]]
    assert changes() == after
    assert changes(as_of="2026-10-01") == after  # from that very day
    # before the end the pair is in force: kept, and E003 finds no place
    assert changes(as_of="2026-09-30") == [
        ["M001", "kept"],
        ["M002", "kept"],
        ["-", "still unpaired"],
    ]
    # the same end as a Timestamp, the others NaT
    stamped = pairs.assign(ended_on=pd.to_datetime(pairs["ended_on"]))
    assert rematch(stamped, mentors, mentees).changes["change"].tolist() == [
        "unpaired",
        "kept",
        "new",
    ]


def test_rematch_reads_a_mentee_s_ended_pair_beside_the_pair_in_force():
    """E001 left M002 on 2026-09-20 and was then paired with M001: M002's place is free for
    E002, and E001-M001 is the pair in force (previous mentor M001)."""
    mentors, mentees = _two_places()
    mentees = mentees[mentees["mentee_id"] != "E003"]
    pairs = pd.DataFrame(
        {
            "mentee_id": ["E001", "E001"],
            "mentor_id": ["M002", "M001"],
            "ended_on": ["2026-09-20", None],
        }
    )
    ch = rematch(pairs, mentors, mentees).changes.fillna("-")
    assert ch.values.tolist() == [["E001", "M001", "M001", "kept"], ["E002", "-", "M002", "new"]]
    with pytest.raises(DataValidationError, match="a mentee has several mentors"):
        rematch(pairs, mentors, mentees, as_of="2026-09-01")  # both in force then
    bad = pairs.assign(ended_on=["20/09/2026", None])
    with pytest.raises(DataValidationError, match=r"rows? 2, column 'ended_on': not a date"):
        rematch(bad, mentors, mentees)
    with pytest.raises(InvalidArgumentError, match="as_of"):
        rematch(pairs, mentors, mentees, as_of="soon")


def test_rematch_reports_kept_pairs_that_break_new_rules():
    mentors, mentees = profiles(6, 4, 8, n_langs=1)
    first = match(mentors, mentees)
    m = first.pairs["mentor_id"].value_counts().index[0]
    with pytest.raises(InfeasibleMatchingError, match="kept pair"):
        rematch(first, mentors, mentees, MatchRules(capacity_override={m: 0}))
    again = rematch(first, mentors, mentees, MatchRules(capacity_override={m: 0}), drop=[m])
    assert m not in set(again.pairs["mentor_id"])


# --------------------------------------------------------------------------- sample data


@pytest.mark.skipif(not (SAMPLES / "mentors.csv").exists(), reason="sample data not generated")
@pytest.mark.parametrize("rules_file", ["default.yaml", "strict.yaml", "sync_first.yaml"])
def test_sample_programme_with_sample_rules(rules_file):
    mentors = pd.read_csv(SAMPLES / "mentors.csv", dtype=str, keep_default_na=False)
    mentees = pd.read_csv(SAMPLES / "mentees.csv", dtype=str, keep_default_na=False)
    rules = MatchRules.from_yaml(SAMPLES / "rules" / rules_file)
    r = match(mentors, mentees, rules)
    _check_accounting(r, mentors, mentees)
    s = r.summary()
    assert s.proven_optimal
    for q in rules.quotas:
        assert s.group_coverage[q.group] >= q.min_share_of_overall * s.coverage - 1e-12
    assert (r.pairs["score"] >= rules.min_score).all()
    text = io.StringIO(r.to_csv())
    assert len(pd.read_csv(text, comment="#")) == len(r.pairs)


def test_solvers_agree_and_options_are_reported():
    mentors, mentees = profiles(17, 4, 12)
    rules = {"quotas": [{"group": "qpv", "min_share_of_overall": 1.0}]}
    a = match(mentors, mentees, rules)
    b = match(mentors, mentees, rules, solver="cbc", time_limit=30)
    assert a.solver.startswith("HiGHS") and b.solver.startswith("PuLP+CBC")
    assert len(a.pairs) == len(b.pairs)
    assert a.pairs["score"].sum() == pytest.approx(b.pairs["score"].sum(), abs=1e-6)
    assert b.proven_optimal and b.gap == 0
    with pytest.raises(ValueError, match="lsa"):
        match(mentors, mentees, rules, solver="lsa")
    with pytest.raises(KeyError, match="unknown mentee_id"):
        a.explain("E999")
    assert a.provenance != b.provenance  # the solver option is part of the hash


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_a_time_limit_without_any_pairing_raises_instead_of_returning_one(monkeypatch, solver):
    """A solver stopped by time_limit before finding a pairing must not yield an empty one."""
    import ementor_kit.matching._solver as a
    from ementor_kit.errors import SolverTimeLimitError
    from ementor_kit.samples import load_sample

    def timed_out(self, mip, time_limit):
        size = len(self.pi)
        nothing = np.zeros(size)
        return a._ModelResult(
            nothing,
            np.zeros(len(self.rows)),
            0.0,
            np.zeros(self.n),
            np.zeros(self.m),
            np.zeros(len(self.rows)),
            0.0,
            "TimeLimitNoSolution" if solver == "highs" else "Not Solved",
        )

    model = a._HighsModel if solver == "highs" else a._PulpModel
    monkeypatch.setattr(model, "solve", timed_out)
    sample = load_sample()
    rules = MatchRules.from_yaml(Path(sample.folder) / "rules" / "strict.yaml")
    with pytest.raises(SolverTimeLimitError, match="time_limit"):
        match(sample.mentors, sample.mentees, rules, solver=solver, time_limit=1e-9)


def test_quotas_over_declared_attributes_single_and_multi_select():
    """A quota names any mentee attribute: a category, or a multi-select (membership)."""
    mentors = pd.DataFrame({"mentor_id": ["m1"], "hours": [3.0], "capacity": [1]})
    mentees = pd.DataFrame(
        {
            "mentee_id": ["a", "b"],
            "hours": [3.0, 1.0],  # a is the closer match
            "field": ["x", "y"],
            "needs": [("cv",), ("cv", "network")],
        }
    )
    rules = MatchRules.coerce([{"kind": "closeness", "attribute": "hours", "scale": 4}])
    assert match(mentors, mentees, rules).pairs["mentee_id"].tolist() == ["a"]
    for quota in (
        GroupQuota("y", column="field", min_coverage=1.0),
        GroupQuota("network", column="needs", min_coverage=1.0),
    ):
        got = match(mentors, mentees, rules.replace(quotas=(quota,)))
        assert got.pairs["mentee_id"].tolist() == ["b"], quota
    with pytest.raises(DataValidationError, match="no column 'colour'"):
        match(
            mentors,
            mentees,
            rules.replace(quotas=(GroupQuota("x", column="colour", min_coverage=1.0),)),
        )


# --------------------------------------------------------------------------- rematch, by hand
# Mentors M001 (capacity 2, speaks fr;en) and M002 (capacity 1, speaks es); mentees E001 (fr),
# E002 (fr;es) of example_profiles and E003, a copy of E001 speaking fr;es. Scores
# (score_pairs, default rules): E001/E003-M001 81.25, E003-M002 58.52, E002-M001 40.34,
# E002-M002 44.89; E001-M002 is excluded (no common language). The pairing in force is
# E001-M001, E002-M002. Every expected value below is worked out by hand from capacities and
# the ended pairs (coverage first: the most mentees paired, then the highest total score).


def _hand_case():
    from ementor_kit.datasets import example_profiles

    mentors, mentees = example_profiles()
    e3 = mentees.iloc[[0]].assign(mentee_id="E003", display_name="Mentee C", languages="fr;es")
    mentees3 = pd.concat([mentees, e3], ignore_index=True)
    old = pd.DataFrame({"mentee_id": ["E001", "E002"], "mentor_id": ["M001", "M002"]})
    return mentors, mentees, mentees3, old


def _by_hand(res):
    out = {}
    for _, r in res.changes.iterrows():
        p = r["previous_mentor"] if r["previous_mentor"] in ("M001", "M002") else None
        q = r["new_mentor"] if r["new_mentor"] in ("M001", "M002") else None
        out[r["mentee_id"]] = (p, q, r["change"])
    return out


def test_rematch_by_hand_kept_and_new():
    mentors, _, mentees3, old = _hand_case()
    # nothing ends; E003 takes M001's free place (the only one)
    res = rematch(old, mentors, mentees3)
    assert _by_hand(res) == {
        "E001": ("M001", "M001", "kept"),
        "E002": ("M002", "M002", "kept"),
        "E003": (None, "M001", "new"),
    }


def test_rematch_by_hand_drop_mentor_unpaired_and_mentor_still_available():
    mentors, mentees, mentees3, old = _hand_case()
    # issue 17: E001-M001 ends; E001 cannot take M002 (no common language; full): unpaired;
    # M001 stays available to E003, whom they never mentored
    for drop in (["M001"], "M001"):
        res = rematch(old, mentors, mentees3, drop=drop)
        assert _by_hand(res) == {
            "E001": ("M001", None, "unpaired"),
            "E002": ("M002", "M002", "kept"),
            "E003": (None, "M001", "new"),
        }
    # with M002 dropped instead, E002 can only go to M001 (one place left): re-paired
    res = rematch(old, mentors, mentees, drop=["M002"])
    assert _by_hand(res) == {
        "E001": ("M001", "M001", "kept"),
        "E002": ("M002", "M001", "re-paired"),
    }


def test_rematch_by_hand_drop_pair_repaired():
    mentors, _, mentees3, old = _hand_case()
    # E002-M002 ends. Places: M001 one, M002 one. E002 cannot take M002, so pairing all three
    # forces E002 -> M001 and E003 -> M002 (E003 -> M001 would leave E002 unpaired)
    res = rematch(old, mentors, mentees3, drop=[("E002", "M002")])
    assert _by_hand(res) == {
        "E001": ("M001", "M001", "kept"),
        "E002": ("M002", "M001", "re-paired"),
        "E003": (None, "M002", "new"),
    }


def test_rematch_by_hand_drop_mentee():
    mentors, _, mentees3, old = _hand_case()
    # dropping E001 ends E001-M001; M002 is excluded for E001, so E001 has no mentor left;
    # E003 takes one of M001's two free places
    res = rematch(old, mentors, mentees3, drop=["E001"])
    assert _by_hand(res) == {
        "E001": ("M001", None, "unpaired"),
        "E002": ("M002", "M002", "kept"),
        "E003": (None, "M001", "new"),
    }


def test_rematch_by_hand_left_and_mentor_gone():
    mentors, mentees, mentees3, old = _hand_case()
    # E002 left the programme; M001 limited to 1 place (E001 kept): E003 -> M002, now free
    res = rematch(
        old,
        mentors,
        mentees3[mentees3["mentee_id"] != "E002"],
        MatchRules(capacity_override={"M001": 1}),
    )
    assert _by_hand(res) == {
        "E001": ("M001", "M001", "kept"),
        "E002": ("M002", None, "left"),
        "E003": (None, "M002", "new"),
    }
    # M002 left: E002 goes to M001's free place
    res = rematch(old, mentors[mentors["mentor_id"] != "M002"], mentees)
    assert _by_hand(res) == {
        "E001": ("M001", "M001", "kept"),
        "E002": ("M002", "M001", "re-paired"),
    }


def test_rematch_by_hand_still_unpaired():
    mentors, _, mentees3, old = _hand_case()
    # M001 limited to 1 place: both places are held by kept pairs, E003 (listed without a
    # mentor in the pairing in force) stays without one
    old3 = pd.concat([old, pd.DataFrame({"mentee_id": ["E003"], "mentor_id": [""]})])
    res = rematch(old3, mentors, mentees3, MatchRules(capacity_override={"M001": 1}))
    assert _by_hand(res) == {
        "E001": ("M001", "M001", "kept"),
        "E002": ("M002", "M002", "kept"),
        "E003": (None, None, "still unpaired"),
    }


def test_rematch_by_hand_keep_subset_lets_the_optimiser_choose():
    mentors, _, mentees3, old = _hand_case()
    # only E001-M001 is fixed; E002 and E003 share M001's free place and M002's place:
    # E002-M002 + E003-M001 = 44.89 + 81.25 = 126.14 beats E002-M001 + E003-M002 =
    # 40.34 + 58.52 = 98.86, so E002 is given M002 again (same mentor: kept)
    for keep in (["E001"], "E001"):
        res = rematch(old, mentors, mentees3, keep=keep)
        assert _by_hand(res) == {
            "E001": ("M001", "M001", "kept"),
            "E002": ("M002", "M002", "kept"),
            "E003": (None, "M001", "new"),
        }
        assert set(res.pairs.loc[res.pairs["required"], "mentee_id"]) == {"E001"}


def test_rematch_refuses_unknown_ids_and_double_rows():
    mentors, mentees, _, old = _hand_case()
    with pytest.raises(InvalidArgumentError, match="unknown id: M009"):
        rematch(old, mentors, mentees, drop=["M009"])
    with pytest.raises(InvalidArgumentError, match="E001/M009"):
        rematch(old, mentors, mentees, drop=[("E001", "M009")])
    with pytest.raises(InvalidArgumentError, match="drop"):
        rematch(old, mentors, mentees, drop=[42])
    two = pd.concat([old, pd.DataFrame({"mentee_id": ["E001"], "mentor_id": ["M002"]})])
    with pytest.raises(DataValidationError, match=r"rows 2, 4.*several mentors"):
        rematch(two, mentors, mentees)
