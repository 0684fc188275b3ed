"""ementor_kit.graph gathers the public API of issue 5 under the names of its contract."""

from __future__ import annotations

import ementor_kit.graph as graph
from ementor_kit.graph import engagement, network_summary, programme_graph, weekly_activity


def test_contract_names_are_importable_from_graph():
    for name in (
        "engagement",
        "goal_progress",
        "weekly_activity",
        "retention",
        "programme_graph",
        "network_summary",
        "EngagementThresholds",
        "unassigned_interactions",
        "plot_activity_heatmap",
        "plot_retention",
        "plot_sync_async",
        "plot_network",
    ):
        assert name in graph.__all__ and callable(getattr(graph, name)), name
    assert graph.engagement is engagement and graph.weekly_activity is weekly_activity
    assert graph.programme_graph is programme_graph
    assert graph.network_summary is network_summary
