import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.survey import load_instrument, rwg_null
from ementor_kit.survey.agreement import _rwg_j, dyad_agreement, icc, link_to_pairs


def test_icc_matches_pingouin_wine_dataset():
    data = pg.read_dataset("icc")
    wide = data.pivot(index="Wine", columns="Judge", values="Scores")
    ours = icc(wide).set_index("type")
    ref = pg.intraclass_corr(data, "Wine", "Judge", "Scores").set_index("Type")
    names = {
        "ICC(1)": "ICC(1,1)",
        "ICC(A,1)": "ICC(A,1)",
        "ICC(C,1)": "ICC(C,1)",
        "ICC(k)": "ICC(1,k)",
        "ICC(A,k)": "ICC(A,k)",
        "ICC(C,k)": "ICC(C,k)",
    }
    for t, r in names.items():
        assert ours.loc[t, "icc"] == pytest.approx(ref.loc[r, "ICC"], abs=1e-12)
        assert ours.loc[t, "F"] == pytest.approx(ref.loc[r, "F"])
        assert ours.loc[t, "p"] == pytest.approx(ref.loc[r, "pval"])
        assert np.round([ours.loc[t, "ci_low"], ours.loc[t, "ci_high"]], 2).tolist() == list(
            ref.loc[r, "CI95"]
        )
    published = {"ICC(1)": 0.728, "ICC(A,1)": 0.728, "ICC(C,1)": 0.729}
    published |= {"ICC(k)": 0.914, "ICC(A,k)": 0.914, "ICC(C,k)": 0.915}
    for t, v in published.items():
        assert ours.loc[t, "icc"] == pytest.approx(v, abs=5e-4)


def test_icc_shrout_fleiss_published_example_and_missing_rows():
    x = np.array(
        [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
        dtype=float,
    )
    expected = [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]  # Shrout & Fleiss (1979), Table 4
    assert icc(x)["icc"].round(2).tolist() == expected
    # McGraw & Wong (1996) intervals as R psych::ICC prints them for these data (its
    # documented example): lower bounds to 3 decimals, upper bounds to 2
    out = icc(x)
    assert out["ci_low"].round(3).tolist() == [-0.133, 0.019, 0.342, -0.884, 0.071, 0.676]
    assert out["ci_high"].round(2).tolist() == [0.72, 0.76, 0.95, 0.91, 0.93, 0.99]
    assert out["F"].round(1).tolist() == [1.8, 11.0, 11.0, 1.8, 11.0, 11.0]
    with_gap = np.vstack([x, [[np.nan, 1, 2, 3]]])
    out = icc(with_gap)
    assert out["icc"].round(2).tolist() == expected
    assert (out["n"].iloc[0], out["n_dropped"].iloc[0]) == (6, 1)


def test_rwg_j_hand_values_and_truncation():
    a = np.array([[5, 5, 5, 5], [1, 1, 1, 1], [3, np.nan, 3, 3]], dtype=float)
    b = np.array([[4, 4, 4, 4], [5, 5, 5, 5], [3, 3, np.nan, 3]], dtype=float)
    r = _rwg_j(a, b, 5)
    # row 1: var 0.5 per item, e = 2 -> J=4: 4*.75/(4*.75+.25)
    assert r[0] == pytest.approx(3 / 3.25)
    assert r[1] == 0.0  # variance 8 > 2: truncated
    assert r[2] == 1.0  # perfect agreement on the two items both answered
    single = _rwg_j(np.array([[2.0]]), np.array([[4.0]]), 5)
    assert single[0] == pytest.approx(1 - 2 / 2)  # 1 - s^2/e with s^2 = 2


def _wai_frames():
    items = [f"wai_{i}" for i in range(1, 13)]
    rng = np.random.default_rng(9)
    pairs = pd.DataFrame(
        {
            "mentee_id": ["E1", "E2", "E3", "E4", "E5", "E6", "E7"],
            "mentor_id": ["M1", "M2", "M3", "M3", "M4", "M5", "M6"],
            "matched_on": "2026-01-05",
        }
    )

    def block(ids, targets):
        x = np.clip(rng.integers(2, 6, size=(len(ids), 12)), 1, 5)
        df = pd.DataFrame(x, columns=items)
        df.insert(0, "respondent_id", ids)
        df.insert(1, "target_id", targets)
        return df

    mentee = block(["E1", "E2", "E3", "E4", "E5", "E7", "E9"], [None] * 7)
    mentor = block(
        ["M1", "M2", "M3", "M3", "M4", "M6", "M6", "M3"],
        [None, "E2", "E3", "E4", "E9", None, None, None],
    )
    return mentor, mentee, pairs


def test_dyad_linking_reports_every_unused_response():
    mentor, mentee, pairs = _wai_frames()
    res = dyad_agreement(mentor, mentee, pairs)
    assert res.per_pair[["mentee_id", "mentor_id"]].values.tolist() == [
        ["E1", "M1"],
        ["E2", "M2"],
        ["E3", "M3"],
        ["E4", "M3"],
    ]
    reasons = res.unmatched.set_index(["role", "respondent_id"])["reason"]
    assert "not a pair" in reasons[("mentor", "M4")]
    assert "2 partners" in reasons[("mentor", "M3")]
    assert "rated more than once" in reasons[("mentor", "M6")].iloc[0]
    assert "no pair" in reasons[("mentee", "E9")]
    assert "only the mentee" in reasons[("mentee", "E5")]
    assert "only the mentee" in reasons[("mentee", "E7")]
    assert res.unmatched["issue"].value_counts().to_dict() == {
        "duplicate": 2,
        "partner did not answer": 2,
        "no pair": 1,
        "not a pair": 1,
        "partner unknown": 1,
    }
    used = len(res.per_pair) * 2 + len(res.unmatched)
    assert used == len(mentor) + len(mentee)  # every response used or reported
    assert res.summary["instrument"].unique().tolist() == ["WAI-SR"]


def test_dyad_icc_and_rwg_agree_with_independent_computations():
    mentor, mentee, pairs = _wai_frames()
    res = dyad_agreement(mentor, mentee, pairs, "wai")
    summ = res.summary.set_index("subscale")
    pp = res.per_pair
    long = pd.DataFrame(
        {
            "pair": list(range(len(pp))) * 2,
            "rater": ["mentee"] * len(pp) + ["mentor"] * len(pp),
            "score": np.r_[pp["wai_task_mentee"], pp["wai_task_mentor"]],
        }
    )
    ref = pg.intraclass_corr(long, "pair", "rater", "score").set_index("Type")
    assert summ.loc["task", "icc_a1"] == pytest.approx(ref.loc["ICC(A,1)", "ICC"])
    assert summ.loc["task", "icc_c1"] == pytest.approx(ref.loc["ICC(C,1)", "ICC"])
    # r_wg(J) of the first pair by hand
    e_row = mentee.iloc[0][["wai_1", "wai_2", "wai_10", "wai_12"]].astype(float)
    m_row = mentor.iloc[0][["wai_1", "wai_2", "wai_10", "wai_12"]].astype(float)
    v = ((e_row.to_numpy() - m_row.to_numpy()) ** 2 / 2).mean() / 2
    expected = max(0.0, 4 * (1 - v) / (4 * (1 - v) + v)) if v <= 1 else 0.0
    assert pp["wai_task_rwg"].iloc[0] == pytest.approx(expected)
    assert summ.loc["task", "rwg_mean"] == pytest.approx(pp["wai_task_rwg"].mean())


def test_link_to_pairs_one_row_per_response_with_its_issue():
    mentor, mentee, pairs = _wai_frames()
    link = link_to_pairs(mentor, pairs, "mentor")
    assert link.index.equals(mentor.index)
    # M1: only mentee E1; M2 names E2; M3 names E3 and E4; M4 names E9 (not its mentee);
    # M6 answers twice for its only mentee E7; the last M3 row names nobody (two mentees)
    assert link["mentee_id"].fillna("-").tolist() == ["E1", "E2", "E3", "E4", "-", "-", "-", "-"]
    assert link["issue"].tolist() == [
        "",
        "",
        "",
        "",
        "not a pair",
        "duplicate",
        "duplicate",
        "partner unknown",
    ]
    assert link.loc[link["issue"] == "", "mentor_id"].tolist() == ["M1", "M2", "M3", "M3"]
    side = link_to_pairs(mentee, pairs, "mentee")
    assert side.set_index("respondent_id").loc["E9", "issue"] == "no pair"
    with pytest.raises(DataValidationError, match="column 'pid'"):
        link_to_pairs(mentor, pairs, "mentor", id_col="pid")
    with pytest.raises(DataValidationError, match="pairs, column 'mentor_id'"):
        link_to_pairs(mentor, pairs.drop(columns="mentor_id"), "mentor")
    holes = pairs.assign(mentee_id=["E1", None, "E3", " ", "E5", "E6", "E7"])
    with pytest.raises(DataValidationError, match="pairs, rows 3, 5, column 'mentee_id'"):
        dyad_agreement(mentor, mentee, holes, "wai")


# --------------------------------------------------------------------------- r_wg null


def _plain_rwg(a, b, n_options):
    """r_wg(J) of one dyad by the textbook formula, one item at a time (a loop)."""
    variances = [
        np.var([x, y], ddof=1)
        for x, y in zip(a, b, strict=True)
        if not (np.isnan(x) or np.isnan(y))
    ]
    j, v, e = len(variances), float(np.mean(variances)), (n_options**2 - 1) / 12
    if v > e:
        return 0.0
    return j * (1 - v / e) / (j * (1 - v / e) + v / e)


def _small_dyads(seed=7, n=9):
    rng = np.random.default_rng(seed)
    items = [f"wai_{i}" for i in range(1, 13)]
    level = rng.integers(2, 6, size=n)
    e = np.clip(level[:, None] + rng.integers(-1, 2, size=(n, 12)), 1, 5).astype(float)
    m = np.clip(level[:, None] + rng.integers(-2, 2, size=(n, 12)), 1, 5).astype(float)
    e[0, 3] = np.nan
    ids = [f"{i:02d}" for i in range(n)]
    mentee = pd.DataFrame(e, columns=items).assign(respondent_id=["E" + i for i in ids])
    mentor = pd.DataFrame(m, columns=items).assign(respondent_id=["M" + i for i in ids])
    pairs = pd.DataFrame({"mentee_id": ["E" + i for i in ids], "mentor_id": ["M" + i for i in ids]})
    return mentee, mentor, pairs, e, m


def test_rwg_null_matches_a_plain_loop():
    mentee, mentor, pairs, e, m = _small_dyads()
    res = rwg_null(mentor, mentee, pairs, "wai", n_shuffles=30, seed=11)
    wai = load_instrument("wai")
    row = res.summary.set_index("subscale").loc["total"]
    # the same permutations, drawn in the same order, re-computed by a loop
    rng = np.random.default_rng(11)
    perms_by_sub = {}
    for sub in wai.subscales:
        perms_by_sub[sub.id] = [rng.permutation(len(e)) for _ in range(30)]
    idx = [wai.item_ids.index(i) for i in wai.subscale("total").items]
    observed = [_plain_rwg(e[i, idx], m[i, idx], 5) for i in range(len(e))]
    assert row["observed_mean"] == pytest.approx(np.mean(observed), abs=1e-12)
    assert row["observed_share_70"] == pytest.approx(np.mean(np.array(observed) >= 0.7))
    means, shares = [], []
    for perm in perms_by_sub["total"]:
        r = [_plain_rwg(e[i, idx], m[perm[i], idx], 5) for i in range(len(e))]
        means.append(np.mean(r))
        shares.append(np.mean(np.array(r) >= 0.7))
    got = res.null[res.null["subscale"] == "total"]
    np.testing.assert_allclose(got["rwg_mean"], means, atol=1e-12)
    np.testing.assert_allclose(got["share_70"], shares, atol=1e-12)
    assert row["null_mean"] == pytest.approx(np.mean(means), abs=1e-12)
    assert row["p_mean"] == pytest.approx((1 + sum(x >= row["observed_mean"] for x in means)) / 31)
    assert row["p_share_70"] == pytest.approx(
        (1 + sum(x >= row["observed_share_70"] for x in shares)) / 31
    )
    # same seed, same null; another seed, another one
    again = rwg_null(mentor, mentee, pairs, "wai", n_shuffles=30, seed=11)
    pd.testing.assert_frame_equal(again.null, res.null)
    other = rwg_null(mentor, mentee, pairs, "wai", n_shuffles=30, seed=12)
    assert not np.allclose(other.null["rwg_mean"], res.null["rwg_mean"])


def test_rwg_null_equals_observed_when_everyone_answers_alike():
    mentee, mentor, pairs, e, m = _small_dyads()
    items = [c for c in mentee.columns if c.startswith("wai_")]
    pattern = np.array([3, 4, 2, 5, 4, 3, 1, 4, 5, 3, 2, 4], dtype=float)
    mentee[items] = pattern
    mentor[items] = pattern
    res = rwg_null(mentor, mentee, pairs, "wai", n_shuffles=20, seed=3)
    s = res.summary
    np.testing.assert_allclose(s["null_mean"], s["observed_mean"])
    np.testing.assert_allclose(s["null_share_70"], s["observed_share_70"])
    np.testing.assert_allclose(res.null["rwg_mean"], 1.0)
    assert (s["p_mean"] == 1.0).all()


def test_rwg_null_refuses_a_bad_number_of_shuffles():
    mentee, mentor, pairs, _, _ = _small_dyads()
    with pytest.raises(InvalidArgumentError, match="n_shuffles"):
        rwg_null(mentor, mentee, pairs, "wai", n_shuffles=0)
