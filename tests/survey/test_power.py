import math

import pytest
from statsmodels.stats.power import TTestIndPower, TTestPower

from ementor_kit.survey.power import plan_sample_size, t_test_power


def test_plan_sample_size_matches_statsmodels_and_gpower():
    assert plan_sample_size(0.5).n == 34  # G*Power, matched pairs, d_z = .5
    assert plan_sample_size(0.5, paired=False).n == 64  # Cohen (1988): 64 per group
    for d in (0.2, 0.35, 0.8, -0.5):
        for paired, oracle in ((True, TTestPower()), (False, TTestIndPower())):
            plan = plan_sample_size(d, power=0.9, alpha=0.01, paired=paired)
            n_sm = oracle.solve_power(abs(d), alpha=0.01, power=0.9)
            assert plan.n == math.ceil(n_sm)
            assert plan.power_achieved >= 0.9
            assert oracle.power(abs(d), plan.n - 1, 0.01) < 0.9 if plan.n > 2 else True
    one = plan_sample_size(0.5, alternative="one-sided")
    assert one.n == math.ceil(
        TTestPower().solve_power(0.5, alpha=0.05, power=0.8, alternative="larger")
    )
    assert one.n < 34


def test_plan_sample_size_errors():
    with pytest.raises(ValueError, match="non-zero"):
        plan_sample_size(0)
    with pytest.raises(ValueError, match="positive"):
        plan_sample_size(-0.3, alternative="one-sided")
    with pytest.raises(ValueError, match="strictly between"):
        plan_sample_size(0.5, power=1.0)


@pytest.mark.parametrize(
    "d, n, alpha",
    [(0.3, 90, 0.05), (0.5, 34, 0.05), (0.2, 12, 0.01), (1.2, 3, 0.1), (0.05, 2000, 0.05)],
)
def test_t_test_power_matches_statsmodels(d, n, alpha):
    ref = TTestPower().power(effect_size=d, nobs=n, alpha=alpha, alternative="two-sided")
    assert t_test_power(d, n, alpha=alpha) == pytest.approx(ref, abs=1e-10)
    assert t_test_power(-d, n, alpha=alpha) == pytest.approx(ref, abs=1e-10)
    one = TTestPower().power(effect_size=d, nobs=n, alpha=alpha, alternative="larger")
    assert t_test_power(d, n, alpha=alpha, alternative="one-sided") == pytest.approx(one)
    ind = TTestIndPower().power(effect_size=d, nobs1=n, alpha=alpha, ratio=1.0)
    assert t_test_power(d, n, alpha=alpha, paired=False) == pytest.approx(ind, abs=1e-10)


def test_t_test_power_without_a_test_and_bad_settings():
    assert t_test_power(0.8, 1) == 0.0
    with pytest.raises(ValueError, match="alternative"):
        t_test_power(0.5, 30, alternative="less")
    with pytest.raises(ValueError, match="alpha"):
        t_test_power(0.5, 30, alpha=0)
