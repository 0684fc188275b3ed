"""Relationship graph, engagement and goal tracking from the trace of exchanges.

The public API of issue 5, gathered in one place; each function lives in the module named for
what it does:

- :mod:`ementor_kit.graph.engagement_metrics`: :func:`engagement`, :class:`EngagementThresholds`, ``STATUSES``
- :mod:`ementor_kit.graph.exchange_log`: :func:`unassigned_interactions`
- :mod:`ementor_kit.graph.goals`: :func:`goal_progress`
- :mod:`ementor_kit.graph.activity`: :func:`weekly_activity`
- :mod:`ementor_kit.graph.survival`: :func:`retention`
- :mod:`ementor_kit.graph.network`: :func:`programme_graph`, :func:`network_summary`,
  :class:`NetworkSummary`
- :mod:`ementor_kit.graph.plots`: :func:`plot_activity_heatmap`, :func:`plot_retention`,
  :func:`plot_sync_async`, :func:`plot_network`, ``STATUS_COLOURS``
"""

from __future__ import annotations

from ementor_kit.graph.activity import weekly_activity
from ementor_kit.graph.engagement_metrics import STATUSES, EngagementThresholds, engagement
from ementor_kit.graph.exchange_log import unassigned_interactions
from ementor_kit.graph.goals import goal_progress
from ementor_kit.graph.network import NetworkSummary, network_summary, programme_graph
from ementor_kit.graph.plots import (
    STATUS_COLOURS,
    plot_activity_heatmap,
    plot_network,
    plot_retention,
    plot_sync_async,
)
from ementor_kit.graph.survival import retention

__all__ = [
    "STATUSES",
    "STATUS_COLOURS",
    "EngagementThresholds",
    "NetworkSummary",
    "engagement",
    "goal_progress",
    "network_summary",
    "plot_activity_heatmap",
    "plot_network",
    "plot_retention",
    "plot_sync_async",
    "programme_graph",
    "retention",
    "unassigned_interactions",
    "weekly_activity",
]
