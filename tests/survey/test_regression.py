"""OLS against statsmodels (test-only reference) and hand-made cases."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ementor_kit.errors import DataValidationError
from ementor_kit.survey.regression import ols


@pytest.fixture
def data():
    rng = np.random.default_rng(5)
    n = 60
    df = pd.DataFrame({"sync_share": rng.uniform(0, 1, n), "n_exchanges": rng.poisson(30, n)})
    noise = rng.normal(0, 0.3 + df["sync_share"], n)  # unequal variance
    df["wai"] = 3 + 0.8 * df["sync_share"] + 0.02 * df["n_exchanges"] + noise
    df.loc[[3, 17], "wai"] = np.nan
    return df


@pytest.mark.parametrize(("ours", "theirs"), [("classical", "nonrobust"), ("HC3", "HC3")])
def test_matches_statsmodels(data, ours, theirs):
    fit = ols(data, "wai", ["sync_share", "n_exchanges"], cov_type=ours)
    complete = data.dropna()
    ref = sm.OLS(complete["wai"], sm.add_constant(complete[["sync_share", "n_exchanges"]])).fit(
        cov_type=theirs
    )
    coef = fit.coefficients
    np.testing.assert_allclose(coef["coef"], ref.params, rtol=1e-10)
    np.testing.assert_allclose(coef["se"], ref.bse, rtol=1e-8)
    # statsmodels uses the normal distribution for robust p-values; compare t-based ones
    if ours == "classical":
        np.testing.assert_allclose(coef["p"], ref.pvalues, rtol=1e-8)
        np.testing.assert_allclose(coef[["ci_low", "ci_high"]], ref.conf_int(), rtol=1e-8)
    assert fit.r2 == pytest.approx(ref.rsquared) and fit.adj_r2 == pytest.approx(ref.rsquared_adj)
    assert fit.n == 58 and fit.n_dropped == 2


def test_standardised_coefficient_is_the_correlation_in_simple_regression(data):
    complete = data.dropna()
    fit = ols(complete, "wai", ["sync_share"])
    r = np.corrcoef(complete["wai"], complete["sync_share"])[0, 1]
    assert fit.coefficients.loc["sync_share", "std_coef"] == pytest.approx(r)


def test_collinear_or_missing_columns_give_clear_errors(data):
    with pytest.raises(DataValidationError, match="column is missing"):
        ols(data, "wai", ["nope"])
    with pytest.raises(DataValidationError, match="collinear"):
        ols(data.assign(twice=2 * data["sync_share"]), "wai", ["sync_share", "twice"])


def test_text_that_is_not_a_number_is_reported_not_dropped():
    df = pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0, 5.5, 6.0], "x": ["1", "2", "n/a", "4", "", "6"]})
    with pytest.raises(DataValidationError) as exc:
        ols(df, "y", ["x"])
    (problem,) = exc.value.problems
    assert (problem.column, problem.rows) == ("x", (4,))  # header is row 1
    assert "'n/a'" in problem.message
    # numbers written as text are accepted, and an empty cell is a missing value
    fit = ols(df.assign(x=df["x"].replace("n/a", "3")), "y", ["x"], cov_type="classical")
    assert (fit.n, fit.n_dropped) == (5, 1)
    ref = ols(pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0, 6.0], "x": [1.0, 2, 3, 4, 6]}), "y", ["x"])
    assert fit.coefficients["coef"].tolist() == pytest.approx(ref.coefficients["coef"].tolist())
