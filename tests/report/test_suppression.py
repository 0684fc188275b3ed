"""ementor_kit.report._suppression: small-cell suppression in the shapes the report shows."""

import numpy as np
import pandas as pd
import pytest

from ementor_kit.errors import EmentorKitError
from ementor_kit.report._suppression import (
    CellRef,
    DisclosureError,
    Relation,
    ReportKnowledge,
    adds_up,
    audit_tables,
    count_list,
    guard_statistics,
    protected_list,
    protected_table,
    row_labels,
    same_count,
    settle_tables,
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


# --------------------------------------------------------------------------- the audit (issue 12)


def _table(name, data, counts):
    from ementor_kit.report.model import ReportTable

    return ReportTable(name, name, data, counts=counts)


def _na(*values):
    return pd.array(list(values), dtype="Int64")


def test_audit_passes_a_list_protected_against_its_total():
    led = _table(
        "left_out",
        pd.DataFrame({"what": ["a", "b", "c", "Total"], "count": _na(30, None, None, 39)}),
        ("count",),
    )
    audit_tables([led], [])  # b + c = 9: neither can be told


def test_audit_finds_a_count_given_away_by_the_total():
    led = _table(
        "left_out",
        pd.DataFrame({"what": ["a", "b", "c", "Total"], "count": _na(30, None, 7, 39)}),
        ("count",),
    )
    with pytest.raises(DisclosureError) as info:
        audit_tables([led], [])
    err = info.value
    assert (err.table, err.row, err.column) == ("left_out", ("b",), "count")
    assert isinstance(err, EmentorKitError)
    assert "table 'left_out', row 'b', column 'count'" in str(err) and "Fix: " in str(err)


def test_audit_finds_a_count_given_away_by_a_derived_column():
    """pairs hidden (6) but df = 5 shown beside it: df = pairs - 1 gives it back."""
    eff = _table(
        "prepost",
        pd.DataFrame(
            {
                "instrument": ["GSE"],
                "subscale": ["General self-efficacy"],
                "pairs": _na(None),
                "df": [5.0],
            }
        ),
        ("pairs",),
    )
    pairs, df = (
        CellRef("prepost", ("GSE", "General self-efficacy"), "pairs"),
        CellRef("prepost", ("GSE", "General self-efficacy"), "df"),
    )
    rel = Relation(((pairs, 1.0), (df, -1.0)), 1.0, "df = pairs - 1")
    with pytest.raises(DisclosureError, match="row 'GSE / General self-efficacy', column 'pairs'"):
        audit_tables([eff], [rel])
    hidden = _table("prepost", eff.data.assign(df=[np.nan]), ("pairs",))
    audit_tables([hidden], [rel])


def test_audit_finds_a_count_given_away_by_another_table_of_the_report():
    """295 - 275 - 12 - 6 = 2: a stage hides 2 and 6, another table shows the 6."""
    led = _table(
        "left_out",
        pd.DataFrame(
            {
                "stage": ["GSE"] * 5,
                "what": ["both, scored", "both, too few items", "T0 only", "T1 only", "Total"],
                "count": _na(None, None, 275, 12, 295),
            }
        ),
        ("count",),
    )
    audit_tables([led], [])  # on its own the stage is safe
    eff = _table("prepost", pd.DataFrame({"subscale": ["total"], "pairs": _na(6)}), ("pairs",))
    same = same_count(
        CellRef("prepost", ("total",), "pairs"),
        CellRef("left_out", ("GSE", "both, scored"), "count"),
        "the pre/post pairs are those scored in both waves",
    )
    with pytest.raises(DisclosureError) as info:
        audit_tables([led, eff], [same])
    assert info.value.row == ("GSE", "both, scored")  # the first, in table order
    assert CellRef("left_out", ("GSE", "both, too few items"), "count") in info.value.cells
    assert "the pre/post pairs are those scored in both waves" in str(info.value)


def test_audit_reads_row_and_column_totals_of_a_two_way_table():
    t = pd.DataFrame(
        {
            "group": ["a", "b", "Total"],
            "paired": _na(20, None, 29),
            "not paired": _na(None, None, 12),
            "Total": _na(None, 13, 41),
        }
    )
    with pytest.raises(DisclosureError):  # b paired = 29 - 20, then the rest follows
        audit_tables([_table("cov", t, ("paired", "not paired", "Total"))], [])
    t["paired"] = _na(None, None, 29)
    t["Total"] = _na(None, None, 41)
    audit_tables([_table("cov", t, ("paired", "not paired", "Total"))], [])


def test_protected_list_hides_more_when_other_tables_know_a_sum():
    """T0 rows (283) and T1 rows (217) are in 'Files read': they give the stage's cells away."""
    names = ["both", "too few", "T0 only", "T1 only"]
    values = dict(zip(names, [197, 8, 78, 12], strict=True))
    cell = lambda what: CellRef("left_out", ("GSE", what), "count")  # noqa: E731
    t0, t1 = CellRef("files", ("t0.csv",), "rows"), CellRef("files", ("t1.csv",), "rows")
    relations = [
        adds_up([cell("both"), cell("too few"), cell("T0 only")], t0, "T0 respondents"),
        adds_up([cell("both"), cell("too few"), cell("T1 only")], t1, "T1 respondents"),
    ]
    files = _table(
        "files", pd.DataFrame({"file": ["t0.csv", "t1.csv"], "rows": _na(283, 217)}), ("rows",)
    )
    known = ReportKnowledge()
    known.show(files)
    plain = count_list(values, 10, "what")
    assert plain["count"].isna().tolist() == [False, True, False, True, False]  # 8 and 12
    out = protected_list(values, 10, "what", cell, relations, known=known, prefer_shown=("both",))
    assert out["what"].tolist() == [*names, "Total"]
    assert out["count"].iloc[0] == 197  # kept, as asked
    assert pd.isna(out["count"].iloc[1])
    led = _table("left_out", out.assign(stage="GSE")[["stage", "what", "count"]], ("count",))
    audit_tables([led, files], relations)
    # the plain list fails the same audit: 283 - 197 - 78 = 8
    led_plain = _table(
        "left_out", plain.assign(stage="GSE")[["stage", "what", "count"]], ("count",)
    )
    with pytest.raises(DisclosureError):
        audit_tables([led_plain, files], relations)


def test_protected_list_shows_a_count_as_the_table_that_already_shows_it():
    """The same responses in two stages: shown in one, shown in the other (and the list
    protects its small count with another cell)."""
    known = ReportKnowledge()
    agreement = pd.DataFrame(
        {"stage": ["agr"] * 3, "what": ["both", "no pair", "Total"], "count": _na(90, 5, 95)}
    )
    known.show_frame("left_out", agreement, ["count"])
    mine = lambda what: CellRef("left_out", ("reg", what), "count")  # noqa: E731
    same = same_count(mine("no pair"), CellRef("left_out", ("agr", "no pair"), "count"), "same")
    values = {"used": 195, "no score": 7, "no pair": 5, "no reply": 6, "no exchange": 4}
    assert count_list(values, 5, "what")["count"].isna().tolist() == [
        False, False, True, False, True, False,
    ]  # fmt: skip
    out = protected_list(values, 5, "what", mine, [same], known=known)
    assert out["count"].isna().tolist() == [False, False, False, True, True, False]


def test_protected_table_hides_what_files_read_would_give_back():
    """25 mentees, 24 with a pair: the one without cannot hide behind the table's totals when
    'Files read' shows both numbers."""
    known = ReportKnowledge()
    files = _table(
        "files",
        pd.DataFrame({"file": ["mentees.csv", "pairs.csv"], "rows": _na(25, 24)}),
        ("rows",),
    )
    known.show(files)
    ct = pd.DataFrame(
        {"with a pair": [9, 15], "without a pair": [1, 0]},
        index=pd.Index(["a", "b"], name="group"),
    )
    rel = [
        same_count(CellRef("g", ("Total",), "Total"), CellRef("files", ("mentees.csv",), "rows"), "m"),
        same_count(CellRef("g", ("Total",), "with a pair"), CellRef("files", ("pairs.csv",), "rows"), "p"),
    ]  # fmt: skip
    out = protected_table(ct, 5, "g", rel, row_total=True, col_total=True, known=known)
    table = _table("g", out.reset_index(), ("with a pair", "without a pair", "Total"))
    # 25 - 24 = 1 is given away by 'Files read' alone: the table cannot protect it ...
    with pytest.raises(DisclosureError, match="row 'Total', column 'without a pair'"):
        audit_tables([files, table], rel)
    # ... the report's last pass hides a count of 'Files read' (and its copies) instead
    hide = settle_tables([files, table], rel, lambda c: True)
    assert CellRef("files", ("pairs.csv",), "rows") in hide
    assert CellRef("g", ("Total",), "with a pair") in hide
    data = {t.name: t.data.copy() for t in (files, table)}
    for c in hide:
        d = data[c.table]
        d.loc[
            [r == c.row for r in row_labels(d, ("rows", "with a pair", "without a pair", "Total"))],
            c.column,
        ] = pd.NA
    audit_tables(
        [_table("files", data["files"], ("rows",)), _table("g", data["g"], table.counts)], rel
    )


def test_protected_list_is_count_list_when_nothing_else_is_known():
    values = {"used": 30, "few": 2, "other": 7, "more": 9}
    pd.testing.assert_frame_equal(
        protected_list(values, 5, "what", lambda w: CellRef("t", (w,), "count")),
        count_list(values, 5, "what"),
    )
