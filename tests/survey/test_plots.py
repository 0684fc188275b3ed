import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from ementor_kit.errors import DataValidationError
from ementor_kit.survey import likert_table, load_instrument, plot_likert, plot_prepost, score

EMX = load_instrument("emx")


def _answers(n=40, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(n, 8)).astype(float)
    x[rng.random(x.shape) < 0.1] = np.nan
    return pd.DataFrame(x, columns=EMX.item_ids)


def test_likert_table_counts_by_hand():
    df = _answers()
    table = likert_table(df, EMX)
    for item in EMX.item_ids:
        answered = df[item].dropna()
        for option in range(1, 6):
            assert table.loc[item, option] == pytest.approx(100 * (answered == option).mean())
        assert table.loc[item, "n"] == len(answered)
        assert table.loc[item, "n_missing"] == df[item].isna().sum()


def test_diverging_bars_are_centred_on_the_neutral_option():
    df = _answers()
    table = likert_table(df, EMX)
    fig = plot_likert(df, EMX, lang="fr")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 8 * 5
    n_items = 8
    for i, item in enumerate(EMX.item_ids):
        row = table.loc[item, [1, 2, 3, 4, 5]].to_numpy(dtype=float)
        # bars are drawn option by option; within an option, item by item
        widths = [bars[j * n_items + i].get_width() for j in range(5)]
        lefts = [bars[j * n_items + i].get_x() for j in range(5)]
        np.testing.assert_allclose(widths, row)
        assert lefts[0] == pytest.approx(-(row[0] + row[1] + row[2] / 2))
        assert lefts[2] + widths[2] / 2 == pytest.approx(0.0)  # neutral straddles zero
        assert lefts[4] + widths[4] == pytest.approx(row[3] + row[4] + row[2] / 2)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    top = labels[int(np.argmax(ax.get_yticks()))]
    assert top.startswith("Les échanges en direct")  # first item on top
    marked = [t for t in labels if "(I)" in t]  # French mark of a reverse-keyed item
    assert len(marked) == len(EMX.reverse_keyed) > 0
    english = [t.get_text() for t in plot_likert(df, EMX, lang="en").axes[0].get_yticklabels()]
    assert sum("(R)" in t for t in english) == len(EMX.reverse_keyed)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == list(EMX.labels("fr"))
    plt.close(fig)


def test_even_scale_has_no_neutral():
    inst = load_instrument("gse")
    df = pd.DataFrame({i: [1, 2, 3, 4] for i in inst.item_ids})
    fig = plot_likert(df, inst, items=["gse_1"])
    bars = fig.axes[0].patches
    assert bars[2].get_x() == pytest.approx(0.0)  # option 3 starts at zero
    assert bars[0].get_x() == pytest.approx(-50.0)
    plt.close(fig)


def test_prepost_lines_are_the_paired_scores():
    items = [f"mfq_{i}" for i in range(1, 10)]
    rng = np.random.default_rng(3)
    t0 = pd.DataFrame(rng.integers(1, 6, size=(12, 9)), columns=items)
    t0.insert(0, "respondent_id", [f"E{i:02d}" for i in range(12)])
    t1 = t0.iloc[2:].copy()
    t1[items] = np.clip(t1[items] + 1, 1, 5)
    fig = plot_prepost(t0, t1, "mfq", subscales=["career", "total"])
    assert len([a for a in fig.axes if a.get_visible()]) == 2
    ax = fig.axes[0]
    s0 = score(t0, "mfq").set_index("respondent_id")["mfq_career"]
    s1 = score(t1, "mfq").set_index("respondent_id")["mfq_career"]
    ids = sorted(set(s0.index) & set(s1.index))
    lines = ax.get_lines()[: len(ids)]
    got = sorted(tuple(line.get_ydata()) for line in lines)
    assert got == sorted((s0[i], s1[i]) for i in ids)
    assert ax.get_title() == "Career (vocational) support (n = 10 pairs)"
    plt.close(fig)


def test_plots_report_invalid_answers():
    df = _answers(5)
    df.loc[2, "emx_3"] = 7
    with pytest.raises(DataValidationError, match="row 4, column 'emx_3'"):
        plot_likert(df, EMX)


def test_prepost_refuses_repeated_or_missing_ids():
    items = [f"gse_{i}" for i in range(1, 11)]
    t0 = pd.DataFrame({"respondent_id": ["E1", "E1", "E2"], **{i: [2, 3, 2] for i in items}})
    t1 = pd.DataFrame({"respondent_id": ["E1", "E2"], **{i: [3, 3] for i in items}})
    with pytest.raises(DataValidationError, match=r"rows 2, 3, column 'respondent_id'"):
        plot_prepost(t0, t1, "gse")
    with pytest.raises(DataValidationError, match="column 'pid'"):
        plot_prepost(t1, t1, "gse", id_col="pid")
