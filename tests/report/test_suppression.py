"""ementor_kit.report._suppression: small-cell suppression in the shapes the report shows."""

import numpy as np
import pandas as pd

from ementor_kit.report._suppression import (
    count_list,
    guard_statistics,
    shown_share,
    suppress_primary,
    suppress_rows,
    suppress_table,
)


def test_suppress_table_hides_small_cells_and_what_would_give_them_away():
    t = pd.DataFrame({"a": [20, 3], "b": [15, 9]}, index=pd.Index(["x", "y"], name="g"))
    out = suppress_table(t, 5, row_total=True, col_total=True)
    assert pd.isna(out.loc["y", "a"])
    # the hidden cell cannot be recomputed from its row or its column
    assert out.loc["y"].drop("Total").isna().sum() >= 2
    assert out["a"].drop("Total").isna().sum() >= 2
    assert out.loc["Total", "Total"] == 47


def test_suppress_table_drops_only_the_margins_asked():
    t = pd.DataFrame({"a": [20, 30]}, index=["x", "y"])
    assert list(suppress_table(t, 5, row_total=False, col_total=True).index) == ["x", "y"]
    out = suppress_table(t, 5, row_total=True, col_total=False)
    assert list(out.columns) == ["a"] and out.loc["Total", "a"] == 50


def test_count_list_shows_zeros_and_the_total():
    out = count_list({"used": 30, "none": 0, "other": 7}, 5, "what")
    assert out["what"].tolist() == ["used", "none", "other", "Total"]
    assert out["count"].tolist() == [30, 0, 7, 37]
    assert list(count_list({"a": 9}, 5, "x", total=False)["x"]) == ["a"]


def test_count_list_hides_a_small_count_and_one_more_to_protect_it():
    out = count_list({"used": 30, "few": 2, "other": 7}, 5, "what")
    shown = dict(zip(out["what"], out["count"], strict=True))
    assert pd.isna(shown["few"]) and shown["Total"] == 39
    assert sum(pd.isna(v) for v in shown.values()) == 2


def test_suppress_rows_protects_each_row_against_its_own_total():
    out = suppress_rows(pd.DataFrame({"scored": [40, 37], "too few": [0, 3]}), 5)
    assert out["Total"].tolist() == [40, 40]
    assert out.iloc[0, :2].tolist() == [40, 0]
    assert out.iloc[1, :2].isna().all()


def test_suppress_primary_hides_1_to_k_minus_1_only():
    assert suppress_primary([0, 1, 4, 5, 100], 5).tolist() == [0, pd.NA, pd.NA, 5, 100]


def test_guard_statistics_hides_statistics_resting_on_fewer_than_k():
    df = pd.DataFrame({"name": ["a", "b", "c"], "n": [12, 3, 0], "mean": [1.0, 2.0, np.nan]})
    out = guard_statistics(df, "n", ["mean"], 5)
    assert out["n"].tolist() == [12, pd.NA, 0]
    assert out["mean"].iloc[0] == 1.0 and out["mean"].iloc[1:].isna().all()


def test_guard_statistics_protects_the_complement_of_a_published_total():
    df = pd.DataFrame({"name": ["a"], "n": [12], "mean": [1.0]})
    # 12 of 14: showing 12 next to the published 14 would give away the 2 others
    out = guard_statistics(df, "n", ["mean"], 5, total=[14])
    assert pd.isna(out["n"].iloc[0]) and out["mean"].iloc[0] == 1.0
    assert guard_statistics(df, "n", ["mean"], 5, total=[30])["n"].iloc[0] == 12


def test_guard_statistics_uses_the_n_another_table_shows():
    df = pd.DataFrame({"name": ["a", "b"], "n": [12, 20], "mean": [1.0, 2.0]})
    out = guard_statistics(df, "n", ["mean"], 5, shown=[pd.NA, 20])
    assert pd.isna(out["n"].iloc[0]) and out["n"].iloc[1] == 20
    assert out["mean"].tolist() == [1.0, 2.0]  # both rest on at least k


def test_shown_share_needs_both_counts_and_a_positive_denominator():
    num = pd.Series(pd.array([3, None, 0, 4], dtype="Int64"))
    den = pd.Series(pd.array([6, 10, 0, None], dtype="Int64"))
    out = shown_share(num, den)
    assert out.iloc[0] == 0.5 and out.iloc[1:].isna().all()
