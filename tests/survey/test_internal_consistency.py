import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.multivariate.factor import Factor

from ementor_kit.errors import DataValidationError
from ementor_kit.survey import load_instrument
from ementor_kit.survey.internal_consistency import (
    _minres_one_factor,
    _pairwise_moments,
    cronbach_alpha,
    item_stats,
    omega_total,
    reliability,
)


def _feldt(a, n, k, level=0.95):
    g = 1 - level
    return (
        1 - (1 - a) * stats.f.ppf(1 - g / 2, n - 1, (n - 1) * (k - 1)),
        1 - (1 - a) * stats.f.ppf(g / 2, n - 1, (n - 1) * (k - 1)),
    )


def test_pairwise_alpha_matches_pingouin_and_psych_published_value():
    data = pg.read_dataset("cronbach_wide_missing")
    res = cronbach_alpha(data)
    assert res.alpha == pytest.approx(0.732660835214447, abs=1e-12)
    assert res.n == 12 and res.k == 11
    ref_alpha, ref_ci = pg.cronbach_alpha(data)
    assert res.alpha == pytest.approx(ref_alpha, abs=1e-12)
    assert np.round(res.ci, 3).tolist() == ref_ci.tolist()  # same n when nothing deleted


def test_listwise_alpha_value_and_ci_with_n_analysed():
    data = pg.read_dataset("cronbach_wide_missing")
    res = cronbach_alpha(data, nan_policy="listwise")
    assert res.alpha == pytest.approx(0.8016949152542373, abs=1e-12)
    n_complete = int(data.notna().all(axis=1).sum())
    assert res.n == n_complete == 9
    assert res.ci == pytest.approx(_feldt(res.alpha, 9, 11), abs=1e-12)
    # pingouin's listwise interval uses the 12 rows before deletion, hence narrower
    _, pg_ci = pg.cronbach_alpha(data, nan_policy="listwise")
    assert np.round(_feldt(res.alpha, 12, 11), 3).tolist() == pg_ci.tolist()
    assert res.ci[0] < pg_ci[0]


def test_long_format_dataset_alpha_and_interval_level():
    data = pg.read_dataset("cronbach_alpha")
    wide = data.pivot(index="Subj", values="Scores", columns="Items")
    res = cronbach_alpha(wide, ci=0.90)
    assert res.alpha == pytest.approx(0.5917188485995826, abs=1e-12)
    assert res.ci == pytest.approx(_feldt(res.alpha, len(wide), wide.shape[1], 0.90))
    assert res.level == 0.90


def test_pairwise_moments_match_pandas_with_missing_values():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 5)) @ rng.normal(size=(5, 5)) + 10
    x[rng.random(x.shape) < 0.25] = np.nan
    df = pd.DataFrame(x)
    cov, corr, n = _pairwise_moments(x)
    np.testing.assert_allclose(cov, df.cov().to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(corr, df.corr().to_numpy(), rtol=1e-10)
    np.testing.assert_array_equal(n, df.notna().astype(int).T @ df.notna().astype(int))


def test_standardised_alpha_from_mean_correlation():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(80, 1)) + rng.normal(size=(80, 4))
    r = np.corrcoef(x.T)
    k = 4
    rbar = r[np.triu_indices(k, 1)].mean()
    assert cronbach_alpha(x).std_alpha == pytest.approx(k * rbar / (1 + (k - 1) * rbar))


def test_minres_recovers_an_exact_one_factor_structure():
    lam = np.array([0.8, 0.7, 0.6, 0.5, 0.4])
    r = np.outer(lam, lam) + np.diag(1 - lam**2)
    loadings, u = _minres_one_factor(r)
    np.testing.assert_allclose(loadings, lam, atol=1e-6)
    np.testing.assert_allclose(u, 1 - lam**2, atol=1e-6)


def _simulate(lam, n, seed):
    rng = np.random.default_rng(seed)
    lam = np.asarray(lam)
    return rng.normal(size=(n, 1)) * lam + rng.normal(size=(n, len(lam))) * np.sqrt(1 - lam**2)


def test_omega_matches_iterated_principal_axis_oracle():
    # iterated principal-axis factoring converges to the unweighted least squares (minres)
    # solution: statsmodels' implementation is an independent oracle
    x = _simulate([0.7, 0.6, 0.5, 0.4, 0.65, 0.3], 300, 3)
    r = np.corrcoef(x.T)
    fa = Factor(corr=r, n_factor=1, method="pa", smc=True).fit(maxiter=20000, tol=1e-13)
    expected = 1 - fa.uniqueness.sum() / r.sum()
    assert omega_total(x) == pytest.approx(expected, abs=1e-7)


def test_omega_with_a_negative_loading_follows_psych_not_the_textbook():
    x = _simulate([0.7, 0.6, 0.5, 0.6], 400, 5)
    x[:, 3] = -x[:, 3]  # an item left un-reversed
    r = np.corrcoef(x.T)
    fa = Factor(corr=r, n_factor=1, method="pa", smc=True).fit(maxiter=20000, tol=1e-13)
    psych_like = 1 - fa.uniqueness.sum() / r.sum()
    lam = np.abs(fa.loadings.ravel())  # loadings as reported after reflecting the item
    textbook = lam.sum() ** 2 / (lam.sum() ** 2 + fa.uniqueness.sum())
    got = omega_total(x)
    assert got == pytest.approx(psych_like, abs=1e-7)
    assert abs(got - textbook) > 0.05


def test_omega_needs_three_items():
    assert np.isnan(omega_total(_simulate([0.7, 0.6], 50, 1)))


def test_item_stats_against_direct_computations():
    rng = np.random.default_rng(11)
    x = np.clip(np.rint(3 + rng.normal(size=(50, 1)) + rng.normal(size=(50, 4))), 1, 5)
    df = pd.DataFrame(x, columns=list("abcd"))
    table = item_stats(df)
    for c in df:
        rest = df.drop(columns=c).sum(axis=1)
        assert table.loc[c, "item_rest_r"] == pytest.approx(np.corrcoef(df[c], rest)[0, 1])
        ref_alpha, _ = pg.cronbach_alpha(df.drop(columns=c))
        assert table.loc[c, "alpha_if_deleted"] == pytest.approx(ref_alpha)
        assert table.loc[c, "mean"] == pytest.approx(df[c].mean())
        assert table.loc[c, "sd"] == pytest.approx(df[c].std())
    assert table["n"].tolist() == [50] * 4


def test_item_stats_with_missing_values_are_consistent_with_pairwise_alpha():
    data = pg.read_dataset("cronbach_wide_missing")
    table = item_stats(data)
    for c in ("Q1", "Q5", "Q9"):
        ref, _ = pg.cronbach_alpha(data.drop(columns=c))
        assert table.loc[c, "alpha_if_deleted"] == pytest.approx(ref, abs=1e-12)
    assert table.loc["Q1", "n"] == data["Q1"].notna().sum()
    listwise = item_stats(data, nan_policy="listwise")
    assert (listwise["n"] == 9).all()


def _emx_sample(n=200, seed=2):
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    x = np.clip(np.rint(3 + trait + rng.normal(size=(n, 8))), 1, 5)
    df = pd.DataFrame(x, columns=load_instrument("emx").item_ids)
    df["emx_4"] = 6 - df["emx_4"]  # answers to a reverse-keyed item run the other way
    df["emx_6"] = 6 - df["emx_6"]
    df.loc[rng.random(n) < 0.1, "emx_5"] = np.nan
    return df


def test_reliability_reverse_keys_before_alpha():
    df = _emx_sample()
    rel = reliability(df, "emx")
    trust = rel.scales.set_index("subscale").loc["trust"]
    ref, ref_ci = pg.cronbach_alpha(pd.DataFrame({"a": df["emx_3"], "b": 6 - df["emx_4"]}))
    assert trust["alpha"] == pytest.approx(ref)
    assert trust["alpha"] > 0.4  # would be strongly negative without reverse keying
    assert (trust["k"], trust["n"]) == (2, 200)
    assert np.isnan(trust["omega_total"])
    ease = rel.scales.set_index("subscale").loc["ease"]
    ref_ease, _ = pg.cronbach_alpha(pd.DataFrame({"a": df["emx_5"], "b": 6 - df["emx_6"]}))
    assert ease["alpha"] == pytest.approx(ref_ease)
    items = rel.items.set_index("item")
    assert bool(items.loc["emx_4", "reverse"]) and not bool(items.loc["emx_3", "reverse"])
    assert items.loc["emx_4", "mean"] == pytest.approx((6 - df["emx_4"]).mean())
    assert items.loc["emx_5", "n"] == df["emx_5"].notna().sum()


def test_reliability_mfq_matches_alpha_and_omega_per_subscale():
    rng = np.random.default_rng(0)
    trait = rng.normal(size=(300, 1))
    x = np.clip(np.rint(3 + trait + rng.normal(size=(300, 9))), 1, 5)
    df = pd.DataFrame(x, columns=load_instrument("mfq").item_ids)
    rel = reliability(df, "mfq", nan_policy="listwise", ci=0.9)
    for _, row in rel.scales.iterrows():
        cols = list(load_instrument("mfq").subscale(row["subscale"]).items)
        ref, _ = pg.cronbach_alpha(df[cols])
        assert row["alpha"] == pytest.approx(ref)
        assert (row["alpha_low"], row["alpha_high"]) == pytest.approx(
            _feldt(ref, 300, len(cols), 0.9)
        )
        assert row["omega_total"] == pytest.approx(omega_total(df[cols]))
        r = df[cols].corr().to_numpy()
        assert row["mean_r"] == pytest.approx(r[np.triu_indices(len(cols), 1)].mean())


def test_reliability_reports_invalid_answers():
    df = _emx_sample(10)
    df.loc[3, "emx_2"] = 8
    with pytest.raises(DataValidationError, match="row 5, column 'emx_2'"):
        reliability(df, "emx")


def test_errors_for_too_few_items_or_overlap():
    with pytest.raises(ValueError, match="at least two items"):
        cronbach_alpha(np.ones((5, 1)))
    x = np.array([[1, np.nan], [2, np.nan], [np.nan, 3], [np.nan, 4.0]])
    with pytest.raises(ValueError, match="answered together by fewer than two"):
        cronbach_alpha(x)
    with pytest.raises(ValueError, match="nan_policy"):
        cronbach_alpha(np.ones((5, 2)), nan_policy="everything")
    with pytest.raises(DataValidationError, match="not a number: 'x'"):
        cronbach_alpha(pd.DataFrame({"a": ["1", "2", "x"], "b": [1, 2, 3]}))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.permutations(range(5)))
def test_alpha_is_invariant_to_item_order(seed, order):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(30, 5)).astype(float)
    x[rng.random(x.shape) < 0.1] = np.nan
    a = cronbach_alpha(x)
    b = cronbach_alpha(x[:, list(order)])
    assert b.alpha == pytest.approx(a.alpha, abs=1e-10)
    assert b.ci == pytest.approx(a.ci, abs=1e-10)


def test_top_eigenpair_matches_lapack_including_fallback():
    from ementor_kit.survey.internal_consistency import _top_eigenpair

    rng = np.random.default_rng(8)
    for k in (3, 10, 40):
        x = rng.normal(size=(200, k)) + rng.normal(size=(200, 1))
        r = np.corrcoef(x.T)
        a = r - np.diag(rng.uniform(0.1, 0.9, k))
        e, v = _top_eigenpair(a, np.ones(k))
        vals, vecs = np.linalg.eigh(a)
        assert e == pytest.approx(vals[-1], abs=1e-10)
        assert abs(v @ vecs[:, -1]) == pytest.approx(1.0, abs=1e-10)
    # nearly equal top eigenvalues: power iteration is too slow, LAPACK answers
    a = np.diag([2.0, 1.99999, 0.5])
    e, v = _top_eigenpair(a, np.array([1.0, 1.0, 1.0]))
    assert e == 2.0 and abs(v[0]) == 1.0


def test_an_item_without_variance_gives_no_omega_instead_of_a_linalg_crash():
    rng = np.random.default_rng(4)
    df = pd.DataFrame(rng.integers(1, 6, size=(25, 9)), columns=load_instrument("mfq").item_ids)
    df["mfq_1"] = 3  # every respondent gave the same answer
    rel = reliability(df, "mfq").scales.set_index("subscale")
    assert np.isnan(rel.loc["career", "omega_total"]) and np.isnan(rel.loc["total", "omega_total"])
    # alpha is still defined: the constant item adds nothing to the covariances
    cols = ["mfq_1", "mfq_2", "mfq_3"]
    assert rel.loc["career", "alpha"] == pytest.approx(pg.cronbach_alpha(df[cols])[0])
    assert rel.loc["psychosocial", "omega_total"] == pytest.approx(
        omega_total(df[["mfq_4", "mfq_5", "mfq_6"]])
    )
    with pytest.raises(ValueError, match="'mfq_1' has a single value"):
        omega_total(df[cols])
    with pytest.raises(ValueError, match="argument 'ci': 95 is not accepted"):
        reliability(df, "mfq", ci=95)


def test_standardised_alpha_with_pairwise_data_follows_psych_cov2cor():
    # psych::alpha: C <- cov(x, use = "pairwise"); R <- cov2cor(C); std.alpha from mean(R)
    # pandas' DataFrame.cov is pairwise-complete: an independent computation
    rng = np.random.default_rng(12)
    x = rng.normal(size=(150, 1)) + rng.normal(size=(150, 5))
    x[rng.random(x.shape) < 0.2] = np.nan
    c = pd.DataFrame(x).cov().to_numpy()
    r = c / np.sqrt(np.outer(np.diag(c), np.diag(c)))
    k = 5
    rbar = r[np.triu_indices(k, 1)].mean()
    want = k * rbar / (1 + (k - 1) * rbar)
    assert cronbach_alpha(x).std_alpha == pytest.approx(want, rel=1e-12)
    # and not the mean of pairwise Pearson correlations (which differs with missing data)
    p = pd.DataFrame(x).corr().to_numpy()[np.triu_indices(k, 1)].mean()
    assert abs(k * p / (1 + (k - 1) * p) - want) > 1e-6
