"""mixed_model against lme4's published output and closed-form ANOVA estimates.

Reference values and the data's source: tests/fixtures/mixed/SOURCES.md.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.i18n.text import untranslated
from ementor_kit.survey.mixed import mixed_model

SLEEP = Path(__file__).parents[1] / "fixtures" / "mixed" / "sleepstudy.csv"


@pytest.fixture(scope="module")
def sleep() -> pd.DataFrame:
    return pd.read_csv(SLEEP)


def test_random_intercept_matches_lme4(sleep):
    # lmer(Reaction ~ Days + (1 | Subject), sleepstudy), REML (SOURCES.md)
    fit = mixed_model(sleep, "Reaction", ["Days"], person="Subject")
    assert fit.method == "REML" and fit.converged and fit.n == 180 and fit.n_persons == 18
    np.testing.assert_allclose(fit.fixed["coef"], [251.4051, 10.4673], atol=5e-4)
    np.testing.assert_allclose(fit.fixed["se"], [9.7467, 0.8042], atol=5e-4)
    assert fit.variance.index.tolist() == ["person", "residual"]
    np.testing.assert_allclose(fit.variance["sd"], [37.12383, 30.99123], atol=5e-4)
    np.testing.assert_allclose(fit.variance["variance"], [1378.1785, 960.4566], atol=5e-3)


def test_random_slope_matches_lme4(sleep):
    # lmer(Reaction ~ Days + (Days | Subject), sleepstudy) (Bates et al. 2015; SOURCES.md)
    fit = mixed_model(sleep, "Reaction", ["Days"], person="Subject", random_slope="Days")
    np.testing.assert_allclose(fit.fixed["coef"], [251.405, 10.467], atol=5e-4)
    np.testing.assert_allclose(fit.fixed["se"], [6.825, 1.546], atol=5e-4)
    np.testing.assert_allclose(fit.variance["sd"], [24.740448, 5.922133, 25.59182], atol=5e-4)
    assert fit.slope_correlation == pytest.approx(0.06555134, abs=5e-4)
    assert -2 * fit.log_likelihood == pytest.approx(1743.6, abs=0.05)


def test_random_intercept_equals_closed_form_anova(sleep):
    # balanced design, Days the same for everyone: REML = ANOVA estimates (both positive)
    y, days, subj = sleep["Reaction"], sleep["Days"], sleep["Subject"]
    n_subj, per = subj.nunique(), 10
    yc = y - y.groupby(subj).transform("mean")
    dc = days - days.groupby(subj).transform("mean")
    slope = (yc * dc).sum() / (dc * dc).sum()
    ms_within = ((yc - slope * dc) ** 2).sum() / (len(y) - n_subj - 1)
    ms_between = per * y.groupby(subj).mean().var(ddof=1)
    fit = mixed_model(sleep, "Reaction", ["Days"], person="Subject")
    assert fit.fixed.loc["Days", "coef"] == pytest.approx(slope, rel=1e-9)
    assert fit.variance.loc["residual", "variance"] == pytest.approx(ms_within, rel=1e-5)
    expected = (ms_between - ms_within) / per
    assert fit.variance.loc["person", "variance"] == pytest.approx(expected, rel=1e-5)


def _nested(seed: int = 7) -> pd.DataFrame:
    """Balanced pairs x 2 people x 4 waves with clear pair and person components."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(15):
        a = rng.normal(0, 1.5)
        for j in range(2):
            b = rng.normal(0, 1.0)
            for k in range(4):
                rows.append((f"P{i}", f"P{i}-{j}", k, 10 + a + b + rng.normal(0, 0.7)))
    return pd.DataFrame(rows, columns=["pair_id", "respondent_id", "wave_no", "y"])


def test_nested_pair_model_equals_closed_form_anova():
    d = _nested()
    n_pairs, per_pair, per_person = 15, 2, 4
    grand = d["y"].mean()
    m_pair = d.groupby("pair_id")["y"].mean()
    m_person = d.groupby("respondent_id")["y"].mean()
    pair_of = d.groupby("respondent_id")["pair_id"].first()
    ms_a = per_pair * per_person * ((m_pair - grand) ** 2).sum() / (n_pairs - 1)
    ms_b = (
        per_person
        * ((m_person - m_pair.loc[pair_of].to_numpy()) ** 2).sum()
        / (n_pairs * (per_pair - 1))
    )
    resid = d["y"] - d["respondent_id"].map(m_person)
    ms_e = (resid**2).sum() / (n_pairs * per_pair * (per_person - 1))
    expected = {
        "pair": (ms_a - ms_b) / (per_pair * per_person),
        "person within pair": (ms_b - ms_e) / per_person,
        "residual": ms_e,
    }
    assert min(expected.values()) > 0  # else REML would stop at the boundary
    fit = mixed_model(d, "y", pair="pair_id")
    assert fit.n_pairs == 15 and fit.n_persons == 30
    assert fit.variance.index.tolist() == list(expected)
    np.testing.assert_allclose(fit.variance["variance"], list(expected.values()), rtol=1e-4)
    assert fit.fixed.loc["const", "coef"] == pytest.approx(grand, rel=1e-8)


def test_nested_model_reaches_the_boundary_when_pairs_share_nothing(sleep):
    # subjects paired at random: no pair component; the person part is then lmer's (1|Subject)
    d = sleep.assign(pair=(sleep["Subject"].rank(method="dense").astype(int) - 1) // 2)
    fit = mixed_model(d, "Reaction", ["Days"], person="Subject", pair="pair")
    assert fit.variance.loc["pair", "variance"] < 1e-3
    assert fit.variance.loc["person within pair", "sd"] == pytest.approx(37.12383, abs=5e-3)


def test_wave_factor_follows_the_declared_order_and_gives_mean_differences():
    rng = np.random.default_rng(3)
    ids = [f"E{i}" for i in range(12)]
    order = ["T0", "P30", "T1"]
    d = pd.DataFrame(
        [(i, w, 3 + 0.4 * k + rng.normal(0, 0.5)) for i in ids for k, w in enumerate(order)],
        columns=["respondent_id", "wave", "score"],
    )
    d["wave"] = pd.Categorical(d["wave"], categories=order)
    fit = mixed_model(d, "score", factors=["wave"])
    assert fit.fixed.index.tolist() == ["const", "wave[P30]", "wave[T1]"]
    assert fit.reference_levels == (("wave", "T0"),)
    means = d.groupby("wave", observed=True)["score"].mean()
    assert fit.fixed.loc["wave[P30]", "coef"] == pytest.approx(means["P30"] - means["T0"])
    assert fit.fixed.loc["wave[T1]", "coef"] == pytest.approx(means["T1"] - means["T0"])
    # without a declared order the levels sort as text: P30 becomes the reference
    plain = mixed_model(d.assign(wave=d["wave"].astype(str)), "score", factors=["wave"])
    assert plain.reference_levels == (("wave", "P30"),)


def test_ml_differs_from_reml_and_rows_with_missing_values_are_counted(sleep):
    d = sleep.copy()
    d.loc[[0, 5], "Reaction"] = np.nan
    ml = mixed_model(d, "Reaction", ["Days"], person="Subject", reml=False)
    reml = mixed_model(d, "Reaction", ["Days"], person="Subject")
    assert ml.method == "ML" and ml.n == 178 and ml.n_dropped == 2
    # ML shrinks the person variance (no correction for the fixed effects estimated)
    assert ml.variance.loc["person", "variance"] < reml.variance.loc["person", "variance"]


def test_errors_name_the_column_and_rows(sleep):
    with pytest.raises(DataValidationError, match="Reactoin"):
        mixed_model(sleep, "Reactoin", ["Days"], person="Subject")
    bad = sleep.astype({"Reaction": object})
    bad.loc[3, "Reaction"] = "fast"
    with pytest.raises(DataValidationError, match="not a number") as err:
        mixed_model(bad, "Reaction", ["Days"], person="Subject")
    assert err.value.problems[0].rows == (5,)
    blank = sleep.astype({"Subject": object})
    blank.loc[0, "Subject"] = " "
    with pytest.raises(DataValidationError, match="person id missing"):
        mixed_model(blank, "Reaction", ["Days"], person="Subject")
    with pytest.raises(InvalidArgumentError, match="random_slope"):
        mixed_model(sleep, "Reaction", ["Days"], person="Subject", random_slope="Reaction")
    with pytest.raises(InvalidArgumentError, match="random_slope"):
        mixed_model(sleep, "Reaction", ["Days"], person="Subject", pair="Subject",
                    random_slope="Days")  # fmt: skip
    with pytest.raises(DataValidationError, match="cannot identify"):
        mixed_model(sleep.head(10), "Reaction", ["Days"], person="Subject")


def _bfgs_warns(monkeypatch, methods):
    """Make the listed optimisers warn as at a spurious stop (whether BFGS with gtol 1e-10
    warns at the sample's optimum depends on the CPU's rounding)."""
    from statsmodels.regression.mixed_linear_model import MixedLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    original = MixedLM.fit

    def fit(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if kwargs.get("method") in methods:
            warnings.warn(
                "Maximum Likelihood optimization failed to converge. Check mle_retvals",
                ConvergenceWarning,
                stacklevel=2,
            )
        return result

    monkeypatch.setattr(MixedLM, "fit", fit)


def _sample_gse_fit():
    p = ek.load_sample()
    stacked = ek.stack_waves({"T0": p.surveys["mentee_t0"], "T1": p.surveys["mentee_t1"]}, "gse")
    return ek.mixed_model(stacked, "gse_total", factors=["wave"])


def test_a_warning_at_the_optimum_confirmed_by_another_optimiser_counts_as_converged(monkeypatch):
    _bfgs_warns(monkeypatch, {"bfgs"})
    fit = _sample_gse_fit()
    assert fit.converged
    assert any("failed to converge" in n for n in fit.notes)
    assert fit.notes[-1] == "convergence confirmed: LBFGS reached the same log-likelihood"
    assert fit.variance["variance"].round(3).tolist() == [22.786, 6.969]
    fr = fit.notes_in("fr")
    assert len(fr) == len(fit.notes) and fit.notes_in("en") == fit.notes
    assert fr[-1] == "convergence confirmée : LBFGS atteint la même log-vraisemblance"
    assert all(untranslated(n) == [] for n in fit.notes), fr


def test_a_warning_no_optimiser_escapes_leaves_the_fit_not_converged(monkeypatch):
    _bfgs_warns(monkeypatch, {"bfgs", "lbfgs", "powell"})
    fit = _sample_gse_fit()
    assert not fit.converged
    assert not any(n.startswith("convergence confirmed") for n in fit.notes)
    assert any("failed to converge" in n for n in fit.notes)
