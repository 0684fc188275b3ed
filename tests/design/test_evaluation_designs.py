import math

import pytest
from statsmodels.stats.power import TTestIndPower, TTestPower

from ementor_kit.design import ProgrammeDesign, example_designs, simulate
from ementor_kit.design.evaluation_designs import (
    EVALUATION_DESIGNS,
    design_evaluations,
    evaluation_designs,
    two_sample_power,
)
from ementor_kit.design.outcomes import outcome_summary
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError


@pytest.mark.parametrize(
    ("d", "n1", "ratio"),
    [(0.5, 64, 1), (0.2, 393, 1), (0.3, 50, 2), (0.8, 10, 0.5), (0.1, 1000, 3)],
)
def test_two_sample_power_matches_statsmodels(d, n1, ratio):
    expected = TTestIndPower().power(effect_size=d, nobs1=n1, alpha=0.05, ratio=ratio)
    assert two_sample_power(d, n1, n1 * ratio) == pytest.approx(expected, rel=1e-9)


def test_published_values():
    # Cohen (1988), two-sided alpha .05: d = .5 needs 64 per group, d = .2 needs 393, for .80
    # (his tables as reproduced at medicalalgorithms.com and the MRC CBU statistics wiki)
    assert two_sample_power(0.5, 64, 64) == pytest.approx(0.80, abs=0.005)
    assert two_sample_power(0.5, 63, 63) < 0.8 <= two_sample_power(0.5, 64, 64)
    # d = .2: Cohen's 393 comes from a normal approximation; the exact t test needs 394
    assert two_sample_power(0.2, 393, 393) == pytest.approx(0.80, abs=0.001)
    assert two_sample_power(0.2, 393, 393) < 0.8 <= two_sample_power(0.2, 394, 394)


def test_each_design_against_statsmodels():
    n, d, comp, r = 300, 0.25, 0.7, 0.6
    t = evaluation_designs(n, d, completion=comp, pre_post_r=r, comparison_ratio=2).set_index(
        "design"
    )
    assert list(t.index) == list(EVALUATION_DESIGNS)
    arm = math.floor(150 * comp)
    done = math.floor(300 * comp)
    ind, paired = TTestIndPower(), TTestPower()
    rct = t.loc["two-arm randomised"]
    assert rct["n_mentored"] == arm == rct["n_comparison"]
    assert rct["power"] == pytest.approx(ind.power(d, arm, 0.05, ratio=1), rel=1e-9)
    d_ancova = d / math.sqrt(1 - r**2)
    assert rct["power_ancova"] == pytest.approx(ind.power(d_ancova, arm, 0.05), rel=1e-9)
    per_arm = math.ceil(ind.solve_power(d_ancova, power=0.8, alpha=0.05))
    assert rct["mentees_needed"] == math.ceil(2 * per_arm / comp)
    wl = t.loc["wait-list randomised"]
    assert wl["power"] == rct["power"]
    pp = t.loc["pre/post (no comparison)"]
    d_z = d / math.sqrt(2 * (1 - r))
    assert pp["effect_size"] == pytest.approx(d_z)
    assert pp["power"] == pytest.approx(paired.power(d_z, done, 0.05), rel=1e-9)
    assert pp["mentees_needed"] == math.ceil(
        math.ceil(paired.solve_power(d_z, power=0.8, alpha=0.05)) / comp
    )
    assert not pp["identifies_effect"] and rct["identifies_effect"]
    mc = t.loc["matched comparison"]
    assert mc["n_comparison"] == 2 * done
    assert mc["power"] == pytest.approx(ind.power(d, done, 0.05, ratio=2), rel=1e-9)
    need = math.ceil(ind.solve_power(d, power=0.8, alpha=0.05, ratio=2))
    assert mc["mentees_needed"] == math.ceil(need / comp)


def test_for_a_simulated_design_the_expected_effect_is_used():
    d = example_designs()["six_month_mixed"]
    res = simulate(d, seed=2026)
    s = outcome_summary(res)
    t = design_evaluations(res).set_index("design")
    assert t.loc["two-arm randomised", "effect_size"] == pytest.approx(s["effect_per_enrolled"])
    assert t.loc["matched comparison", "effect_size"] == pytest.approx(s["effect_per_matched"])
    # the plan's pre/post test of its target d_z = 0.3 looks well powered; a randomised trial
    # of the effect the outcome model expects, with the same intake, is not
    assert res.summary()["power"] > 0.9
    assert t.loc["two-arm randomised", "power"] < 0.5
    assert t.loc["two-arm randomised", "mentees_needed"] > d.n_mentees


def test_invalid_arguments():
    with pytest.raises(InvalidArgumentError, match="completion"):
        evaluation_designs(100, 0.2, completion=0)
    with pytest.raises(InvalidArgumentError, match="comparison_ratio"):
        evaluation_designs(100, 0.2, comparison_ratio=0)
    with pytest.raises(InvalidArgumentError, match="n_mentees"):
        evaluation_designs(1, 0.2)
    with pytest.raises(ArgumentTypeError):
        design_evaluations(ProgrammeDesign())
    assert math.isnan(evaluation_designs(100, 0.0).loc[1, "mentees_needed"])


def test_designs_and_notes_in_french_numbers_unchanged():
    from ementor_kit.i18n.text import translate_text, untranslated

    en = evaluation_designs(300, 0.2, completion=0.6, comparison_ratio=1.5, lang="en")
    fr = evaluation_designs(300, 0.2, completion=0.6, comparison_ratio=1.5, lang="fr")
    assert en.equals(evaluation_designs(300, 0.2, completion=0.6, comparison_ratio=1.5))
    assert en["design"].tolist() == list(EVALUATION_DESIGNS)
    numbers = [c for c in en.columns if c not in ("design", "note")]
    assert fr[numbers].equals(en[numbers])
    for column in ("design", "note"):
        for e, f in zip(en[column], fr[column], strict=True):
            assert untranslated(e, "fr") == [], e
            assert f == translate_text(e, "fr") and f != e, e
    assert fr.loc[3, "note"].startswith("1,5 non-participant·e(s)")
    res = simulate(ProgrammeDesign(n_mentees=60, n_mentors=25), seed=1)
    assert design_evaluations(res, lang="fr")["design"].tolist() == fr["design"].tolist()
