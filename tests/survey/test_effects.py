import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import special, stats

from ementor_kit.errors import DataValidationError
from ementor_kit.survey.effects import compare_groups, compare_waves, hedges_j, paired_scores

ONE_ITEM = {
    "id": "x",
    "name": "X-1",
    "citation": "test",
    "licence": "test",
    "scale": {"min": 0, "max": 100},
    "items": [{"id": "x_1"}],
    "subscales": [{"id": "score", "items": ["x_1"]}],
}


def _rm_wide_waves():
    data = pg.read_dataset("rm_anova_wide")
    ids = [f"P{i:02d}" for i in range(len(data))]
    # values have one decimal: x10 gives whole answers on a 0-100 scale (effects are invariant)
    t0 = pd.DataFrame({"respondent_id": ids, "x_1": (data["Before"] * 10).round()})
    t1 = pd.DataFrame({"respondent_id": ids, "x_1": (data["3 week"] * 10).round()})
    return data, t0.dropna(), t1.dropna()


def test_paired_effects_match_published_pingouin_values():
    data, t0, t1 = _rm_wide_waves()
    res = compare_waves(t0, t1, ONE_ITEM)
    eff = res.effects.iloc[0]
    assert eff["n_pairs"] == 9
    assert eff["d_z"] == pytest.approx(1.7694, abs=5e-5)
    assert eff["d_av"] == pytest.approx(2.4407, abs=5e-5)
    assert eff["t"] == pytest.approx(5.3083, abs=5e-5)
    assert eff["df"] == 8
    complete = data[["Before", "3 week"]].dropna()
    ref_d = pg.compute_effsize(complete["Before"], complete["3 week"], paired=True)
    assert eff["d_av"] == pytest.approx(abs(ref_d))  # pingouin's paired d is |d_av|
    # Hedges' correction for matched groups uses df = n - 1 = 8 (Borenstein et al. 2009)
    j8 = math.gamma(4) / (math.sqrt(4) * math.gamma(3.5))
    assert eff["g_av"] == pytest.approx(eff["d_av"] * j8)
    pg_g = pg.compute_effsize(complete["Before"], complete["3 week"], paired=True, eftype="hedges")
    assert abs(eff["g_av"]) != pytest.approx(abs(pg_g), abs=1e-3)  # pingouin uses 2n - 2


def test_paired_tests_match_scipy():
    _, t0, t1 = _rm_wide_waves()
    both = t0.merge(t1, on="respondent_id", suffixes=("_0", "_1"))
    a, b = both["x_1_0"] / 10, both["x_1_1"] / 10
    eff = compare_waves(t0, t1, ONE_ITEM, ci=0.9).effects.iloc[0]
    ref = stats.ttest_rel(b * 10, a * 10)
    ci = ref.confidence_interval(0.9)
    assert eff["p_t"] == pytest.approx(ref.pvalue)
    assert (eff["ci_low"], eff["ci_high"]) == pytest.approx((ci.low, ci.high))
    w = stats.wilcoxon(b * 10 - a * 10)
    assert (eff["wilcoxon_w"], eff["p_wilcoxon"]) == pytest.approx((w.statistic, w.pvalue))
    assert eff["mean_diff"] == pytest.approx(((b - a) * 10).mean())


def test_attrition_table_and_unpaired_respondents():
    _, t0, t1 = _rm_wide_waves()  # P10 lacks T0; P02 and P06 lack T1
    t0 = pd.concat([t0, pd.DataFrame({"respondent_id": ["Q1", "Q2", "Q3"], "x_1": [30.0, 35, 41]})])
    t1 = pd.concat([t1, pd.DataFrame({"respondent_id": ["Z9"], "x_1": [50.0]})])
    res = compare_waves(t0, t1, ONE_ITEM)
    assert res.unpaired.to_dict("list") == {
        "id": ["P02", "P06", "Q1", "Q2", "Q3", "P10", "Z9"],
        "status": ["T0 only"] * 5 + ["T1 only"] * 2,
    }
    att = res.attrition.iloc[0]
    counts = ("n_t0", "n_t1", "n_both", "n_dropouts", "n_t1_only")
    assert tuple(att[list(counts)]) == (14, 11, 9, 5, 2)
    gone = t0["respondent_id"].isin(["P02", "P06", "Q1", "Q2", "Q3"])
    stay = t0[~gone]["x_1"]
    ref = stats.ttest_ind(t0[gone]["x_1"], stay, equal_var=False)
    assert (att["t"], att["p"], att["df"]) == pytest.approx((ref.statistic, ref.pvalue, ref.df))
    assert att["mean_t0_dropouts"] == pytest.approx(t0[gone]["x_1"].mean())
    assert att["mean_t0_completers"] == pytest.approx(stay.mean())


def test_pairs_without_a_score_are_counted_not_hidden():
    mfq = [f"mfq_{i}" for i in range(1, 10)]
    rows0 = [[f"E{i}", *([3] * 9)] for i in range(4)]
    rows1 = [[f"E{i}", *([4] * 9)] for i in range(4)]
    rows1[2][1:4] = [None, None, 4]  # career: only one of three answered
    t0 = pd.DataFrame(rows0, columns=["respondent_id", *mfq])
    t1 = pd.DataFrame(rows1, columns=["respondent_id", *mfq])
    eff = compare_waves(t0, t1, "mfq").effects.set_index("subscale")
    assert (eff.loc["career", "n_pairs"], eff.loc["career", "n_excluded"]) == (3, 1)
    assert (eff.loc["psychosocial", "n_pairs"], eff.loc["psychosocial", "n_excluded"]) == (4, 0)
    assert np.isnan(eff.loc["career", "d_z"])  # no variation in change: undefined, not inf


def test_wave_errors_name_rows():
    t0 = pd.DataFrame({"respondent_id": ["A", "B", "A", ""], "x_1": [1, 2, 3, 4]})
    with pytest.raises(DataValidationError) as exc:
        compare_waves(t0, t0, ONE_ITEM)
    rows = {p.message.split(":")[1].strip()[:8]: p.rows for p in exc.value.problems}
    assert (2, 4) in rows.values() and (5,) in rows.values()
    with pytest.raises(DataValidationError, match="id column missing"):
        compare_waves(t0, t0, ONE_ITEM, id_col="pid")


def test_hedges_j_published_values_and_approximation():
    # Hedges & Olkin (1985), Table 2: J(2)=.5642, J(4)=.7979, J(10)=.9227
    assert hedges_j(2) == pytest.approx(1 / math.sqrt(math.pi))
    assert hedges_j(4) == pytest.approx(0.7979, abs=5e-5)
    assert hedges_j(10) == pytest.approx(0.9227, abs=5e-5)
    for m in (10, 30, 200):
        assert hedges_j(m) == pytest.approx(1 - 3 / (4 * m - 1), abs=1e-3)
    assert math.isnan(hedges_j(1))


def test_compare_groups_matches_scipy_welch_and_hedges():
    rng = np.random.default_rng(4)
    df = pd.DataFrame(
        {
            "mode": ["sync"] * 14 + ["async"] * 9 + [None] * 2,
            "wai_total": np.r_[rng.normal(4, 0.5, 14), rng.normal(3.5, 0.9, 9), [3.0, 4.0]],
            "emx_trust": np.r_[rng.normal(4, 0.5, 13), [np.nan], rng.normal(3.9, 0.6, 9), 3, 3],
            "wai_total_n": 12,
        }
    )
    out = compare_groups(df, "mode", groups=("sync", "async")).set_index("variable")
    assert out.index.tolist() == ["wai_total", "emx_trust"]
    a = df.loc[df["mode"] == "sync", "wai_total"]
    b = df.loc[df["mode"] == "async", "wai_total"]
    ref = stats.ttest_ind(a, b, equal_var=False)
    ci = ref.confidence_interval(0.95)
    row = out.loc["wai_total"]
    assert (row["t"], row["p"], row["df"]) == pytest.approx((ref.statistic, ref.pvalue, ref.df))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
    sp = math.sqrt(((13) * a.var() + 8 * b.var()) / 21)
    assert row["hedges_g"] == pytest.approx((a.mean() - b.mean()) / sp * hedges_j(21))
    pg_g = pg.compute_effsize(a, b, eftype="hedges")  # uses the approximation of J
    assert row["hedges_g"] == pytest.approx(pg_g, rel=2e-3)
    assert (row["n_no_group"], out.loc["emx_trust", "n_missing"]) == (2, 1)
    assert out.loc["emx_trust", "n_a"] == 13


def test_compare_groups_needs_two_groups():
    df = pd.DataFrame({"g": ["a", "b", "c"], "v": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="holds 3 groups"):
        compare_groups(df, "g")
    assert compare_groups(df, "g", groups=("a", "c"))["n_b"].iloc[0] == 1


def test_gamma_based_j_equals_scipy_special():
    for m in (3, 7, 25):
        expected = special.gamma(m / 2) / (math.sqrt(m / 2) * special.gamma((m - 1) / 2))
        assert hedges_j(m) == pytest.approx(expected)


def test_compare_groups_refuses_groups_that_do_not_occur_and_counts_other_groups():
    df = pd.DataFrame({"g": ["a", "b", "c", "a", "b", None], "v": [1.0, 2, 3, 2, 4, 5]})
    with pytest.raises(ValueError, match="group 'z' does not occur in column 'g'"):
        compare_groups(df, "g", groups=("a", "z"))
    with pytest.raises(ValueError, match="same group twice"):
        compare_groups(df, "g", groups=("a", "a"))
    row = compare_groups(df, "g", groups=("a", "b")).iloc[0]
    # six rows: two a, two b, one c (another group), one without a group
    assert (row["n_a"], row["n_b"], row["n_other_group"], row["n_no_group"]) == (2, 2, 1, 1)


def test_compare_groups_matches_numeric_group_codes_by_value():
    df = pd.DataFrame({"arm": [1.0, 1.0, 1.0, 2.0, 2.0, 2.0], "v": [1.0, 2, 3, 3, 5, 4]})
    by_value = compare_groups(df, "arm", groups=(1, 2)).iloc[0]
    ref = stats.ttest_ind([1.0, 2, 3], [3.0, 5, 4], equal_var=False)
    assert (by_value["n_a"], by_value["n_b"]) == (3, 3)
    assert by_value["t"] == pytest.approx(ref.statistic)
    by_text = compare_groups(df, "arm", groups=("1.0", "2.0")).iloc[0]
    assert by_text["t"] == pytest.approx(ref.statistic)


def test_compare_groups_bad_columns_name_the_column_and_rows():
    df = pd.DataFrame({"g": ["a", "a", "b", "b"], "v": ["1", "x", "3", ""]})
    with pytest.raises(DataValidationError) as exc:
        compare_groups(df, "g", columns=["v"])
    (problem,) = exc.value.problems
    assert (problem.column, problem.rows) == ("v", (3,))
    with pytest.raises(DataValidationError, match="column 'w': column missing"):
        compare_groups(df, "g", columns=["w"])
    with pytest.raises(DataValidationError, match="column 'grp': column missing"):
        compare_groups(df, "grp")
    ok = compare_groups(df.assign(v=["1", "2", "3", ""]), "g", columns=["v"]).iloc[0]
    assert (ok["n_a"], ok["n_b"], ok["n_missing"]) == (2, 1, 1)


def test_paired_scores_side_by_side_and_every_respondent_listed():
    t0 = pd.DataFrame({"respondent_id": [" P2", "P1", "P3"], "x_1": [20.0, 10, 30]})
    t1 = pd.DataFrame({"respondent_id": ["P1", "P4", "P2"], "x_1": [15.0, 40, None]})
    out = paired_scores(t0, t1, ONE_ITEM)
    assert out["respondent_id"].tolist() == ["P1", "P2", "P3", "P4"]
    assert out["status"].tolist() == ["both", "both", "T0 only", "T1 only"]
    np.testing.assert_array_equal(out["x_score_t0"], [10.0, 20.0, 30.0, np.nan])
    np.testing.assert_array_equal(out["x_score_t1"], [15.0, np.nan, np.nan, 40.0])
    # compare_waves pairs the same respondents: P2 has no T1 score, so one pair is analysed
    eff = compare_waves(t0, t1, ONE_ITEM).effects.iloc[0]
    assert (eff["n_pairs"], eff["n_excluded"]) == (1, 1)


def test_wilcoxon_is_the_documented_normal_approximation_with_ties():
    # over 50 pairs with ties and zeros: zeros dropped, average ranks, tie-corrected
    # variance, no continuity correction (as the module notes say), computed by hand
    rng = np.random.default_rng(8)
    x0 = rng.integers(10, 41, size=120).astype(float)
    x1 = x0 + rng.integers(-3, 5, size=120)
    d = (x1 - x0)[(x1 - x0) != 0]
    n = len(d)
    ranks = stats.rankdata(np.abs(d))
    w_plus, w_minus = ranks[d > 0].sum(), ranks[d < 0].sum()
    _, t = np.unique(np.abs(d), return_counts=True)
    var = (n * (n + 1) * (2 * n + 1) - (t**3 - t).sum() / 2) / 24
    z = (w_plus - n * (n + 1) / 4) / math.sqrt(var)
    p = 2 * stats.norm.sf(abs(z))
    df0 = pd.DataFrame({"respondent_id": [f"P{i}" for i in range(120)], "x_1": x0})
    df1 = df0.assign(x_1=x1)
    got = compare_waves(df0, df1, ONE_ITEM).effects.iloc[0]
    assert got["wilcoxon_w"] == pytest.approx(min(w_plus, w_minus))
    assert got["p_wilcoxon"] == pytest.approx(p, rel=1e-10)
