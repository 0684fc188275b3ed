"""Tests of ementor_kit.graph.plots: what each figure draws, checked on the hand-built log."""

from __future__ import annotations

import os
import subprocess
import sys

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.figure import Figure

from ementor_kit.errors import ArgumentTypeError, EmentorKitError
from ementor_kit.graph import (
    STATUS_COLOURS,
    EngagementThresholds,
    engagement,
    plot_activity_heatmap,
    plot_network,
    plot_retention,
    plot_sync_async,
    programme_graph,
    retention,
    weekly_activity,
)
from tests._exchange_logs import AS_OF, INTERACTIONS, MENTEES, MENTORS, PAIRS


@pytest.fixture(scope="module")
def eng():
    return engagement(INTERACTIONS, PAIRS, as_of=AS_OF)


@pytest.fixture(scope="module")
def weekly():
    return weekly_activity(INTERACTIONS, PAIRS, as_of=AS_OF)


def test_heatmap_rows_most_worrying_first_and_cells_in_status_colour(weekly, eng):
    fig = plot_activity_heatmap(weekly, eng)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # dormant, at risk, check-in (26 days silent before 14.7), not started, active
    assert labels == [
        "E004-M002",
        "E003-M002",
        "E007-M004",
        "E001-M001",
        "E002-M001",
        "E006-M003",
        "E005-M003",
    ]
    img = ax.images[0].get_array()
    assert img.shape == (7, 18, 4)  # E004 was observed for 18 weeks
    e001 = img[3]
    assert (e001[3:5, :3] == 1).all()  # silent weeks are white
    grey = mcolors.to_rgb("#e8e8e8")
    assert np.allclose(e001[5:, :3], grey)  # E001 was observed for 5 weeks only
    assert not np.isclose(img[0, :, :3], grey).all(axis=1).any()  # E004: all 18 weeks observed
    base = np.array(mcolors.to_rgb(STATUS_COLOURS["needs_check_in"]))
    for week in range(3):  # active weeks: a shade of the status colour
        shade = (1 - e001[week, :3]) / (1 - base)
        assert np.allclose(shade, shade[0]) and 0 < shade[0] <= 1
    # more exchanges, darker cell: week 0 (4) darker than week 1 (2)
    assert e001[0, 0] < e001[1, 0]


def test_heatmap_and_retention_before_any_pair_was_matched():
    early = "2026-01-01"
    weekly = weekly_activity(INTERACTIONS, PAIRS, as_of=early)
    fig = plot_activity_heatmap(weekly, engagement(INTERACTIONS, PAIRS, as_of=early))
    assert "no pair observed yet" in fig.axes[0].get_title() and not fig.axes[0].images
    ax = plot_retention(retention(INTERACTIONS, PAIRS, as_of=early)).axes[0]
    assert ax.get_title().startswith("Retention of 0 pairs") and len(ax.lines[0].get_xdata()) == 0


def test_heatmap_caps_the_number_of_pairs(weekly, eng):
    ax = plot_activity_heatmap(weekly, eng, max_pairs=3).axes[0]
    assert ax.images[0].get_array().shape[0] == 3
    assert "3 of 7 pairs" in ax.get_title()


def test_retention_curve_draws_the_estimate(eng):
    ret = retention(eng)
    fig = plot_retention(ret)
    line = fig.axes[0].lines[0]
    assert line.get_xdata().tolist() == ret.table["week"].tolist()
    assert line.get_ydata().tolist() == ret.table["survival"].tolist()
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Kaplan-Meier estimate", "95% interval"]
    assert fig.axes[0].get_title() == (
        "Retention of 7 pairs (a pair ends after 90 days without exchange)"
    )
    fig = plot_retention(retention(eng, confidence_level=0.8))
    assert "80% interval" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    # the rule in the title is the one retention used, also when set explicitly
    th = EngagementThresholds(check_in_days=10, at_risk_days=20, dormant_days=25)
    title = plot_retention(retention(eng.table, thresholds=th)).axes[0].get_title()
    assert title == "Retention of 7 pairs (a pair ends after 25 days without exchange)"


def test_sync_async_bars_are_the_weekly_totals(weekly):
    ax = plot_sync_async(weekly).axes[0]
    n = weekly.table["week"].max() + 1
    heights = [p.get_height() for p in ax.patches]
    sync, asyn = heights[:n], heights[n:]
    # worked by hand: week 0 E003's video + E001's 4 chats; week 1 E001 video + chat,
    # E003 chat, E005 two chats; week 2 E001 group video + e-mail, E004 e-mail, E007 phone
    assert sync[:3] == [1, 1, 2]
    assert asyn[:3] == [4, 4, 2]
    share = ax.figure.axes[1].lines[0].get_ydata()
    assert share[0] == pytest.approx(1 / 5) and share[2] == pytest.approx(0.5)


def test_network_colours_roles_and_statuses(eng):
    g = programme_graph(MENTORS, MENTEES, PAIRS, INTERACTIONS)
    fig = plot_network(g, eng)
    ax = fig.axes[0]
    mentees_nodes = ax.collections[-1]
    outlines = [mcolors.to_hex(c) for c in mentees_nodes.get_edgecolors()]
    mentees = sorted(n for n in g.nodes if g.nodes[n]["role"] == "mentee")
    got = dict(zip(mentees, outlines, strict=True))
    assert got["E004"] == STATUS_COLOURS["dormant"]
    assert got["E005"] == STATUS_COLOURS["active"]
    assert got["E008"] == "#555555"  # no pair
    mentor_nodes = ax.collections[-2]
    assert len(mentor_nodes.get_offsets()) == 4
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "pair: dormant" in legend and "mentor" in legend


def test_network_layout_puts_the_largest_component_above_the_others():
    g = programme_graph(MENTORS, MENTEES, PAIRS, INTERACTIONS)
    ax = plot_network(g).axes[0]
    mentees = sorted(n for n in g.nodes if g.nodes[n]["role"] == "mentee")
    y = dict(zip(mentees, ax.collections[-1].get_offsets()[:, 1], strict=True))
    # E001, E002, E003, E004, E005 hang together through M001 (session, forum, M002, E005);
    # E006 (M003 reached through E005) too; E007 with M004 and the isolated E008 do not
    assert y["E008"] < -0.7 and y["E007"] < -0.7
    assert min(y[m] for m in ("E001", "E002", "E003", "E004", "E005", "E006")) > -0.65


def test_network_without_engagement_and_same_layout_for_same_seed():
    g = programme_graph(MENTORS, MENTEES, PAIRS, INTERACTIONS)
    a = plot_network(g, seed=3).axes[0].collections[-1].get_offsets()
    b = plot_network(g, seed=3).axes[0].collections[-1].get_offsets()
    np.testing.assert_array_equal(a, b)


def test_wrong_tables_are_refused(eng, weekly):
    with pytest.raises(EmentorKitError, match="weekly_activity"):
        plot_activity_heatmap(eng)
    with pytest.raises(EmentorKitError, match="retention"):
        plot_retention(weekly)
    with pytest.raises(ArgumentTypeError, match="Retention result"):
        plot_retention(retention(eng).table)  # its table alone does not say the rule
    with pytest.raises(EmentorKitError, match="programme_graph"):
        plot_network(eng)


def test_figures_accept_a_result_or_its_table(weekly, eng):
    np.testing.assert_array_equal(
        plot_activity_heatmap(weekly, eng).axes[0].images[0].get_array(),
        plot_activity_heatmap(weekly.table, eng.table).axes[0].images[0].get_array(),
    )
    heights = [p.get_height() for p in plot_sync_async(weekly).axes[0].patches]
    assert heights == [p.get_height() for p in plot_sync_async(weekly.table).axes[0].patches]


def test_figures_do_not_depend_on_row_order(weekly, eng):
    shuffled_log = INTERACTIONS.iloc[::-1]
    shuffled_pairs = PAIRS.iloc[::-1]
    weekly_b = weekly_activity(shuffled_log, shuffled_pairs, as_of=AS_OF)
    eng_b = engagement(shuffled_log, shuffled_pairs, as_of=AS_OF)
    np.testing.assert_array_equal(
        plot_activity_heatmap(weekly, eng).axes[0].images[0].get_array(),
        plot_activity_heatmap(weekly_b, eng_b).axes[0].images[0].get_array(),
    )
    g_a = programme_graph(MENTORS, MENTEES, PAIRS, INTERACTIONS)
    g_b = programme_graph(MENTORS.iloc[::-1], MENTEES.iloc[::-1], shuffled_pairs, shuffled_log)
    a, b = plot_network(g_a, eng).axes[0], plot_network(g_b, eng_b).axes[0]
    for ca, cb in zip(a.collections, b.collections, strict=True):  # edges, then nodes
        if hasattr(ca, "get_segments"):
            np.testing.assert_array_equal(ca.get_segments(), cb.get_segments())
        else:
            np.testing.assert_array_equal(ca.get_offsets(), cb.get_offsets())
        np.testing.assert_array_equal(ca.get_edgecolors(), cb.get_edgecolors())


def test_network_layout_does_not_depend_on_string_hashing():
    """Same inputs and seed, two interpreters with different hash seeds: same positions."""
    code = (
        "import matplotlib; matplotlib.use('Agg');"
        "import ementor_kit as ek; from ementor_kit.graph import plot_network, programme_graph;"
        "p = ek.load_sample();"
        "g = programme_graph(p.mentors, p.mentees, p.pairs, p.interactions);"
        "ax = plot_network(g, seed=0).axes[0];"
        "print([c.get_offsets().round(9).tolist() for c in ax.collections])"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] and len(runs[0]) > 1000
