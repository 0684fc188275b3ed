"""Relationship graph, engagement and goal tracking from the trace of exchanges.

The public API of issue 5, gathered in one place; each function lives in the module named for
what it does:

- :mod:`ementor_kit.graph.engagement_metrics`: :func:`engagement` (an :class:`Engagement`),
  :class:`EngagementThresholds`, ``STATUSES``
- :mod:`ementor_kit.graph.exchange_log`: :func:`unassigned_interactions`
- :mod:`ementor_kit.graph.log_reader`: :func:`read_interactions` (CSV or Parquet through
  Arrow); :mod:`ementor_kit.graph.big_logs`: ``engagement`` of a Parquet folder out of core
  (DuckDB) or of a Dask DataFrame
- :mod:`ementor_kit.graph.planned`: :func:`flash_metrics` (planned one-off sessions held,
  missed, and the load on mentors; ``engagement(planned=...)`` uses the same module)
- :mod:`ementor_kit.graph.goals`: :func:`goal_progress` (a :class:`GoalProgress`)
- :mod:`ementor_kit.graph.circles`: :func:`circle_engagement` (the pairs of each circle together)
- :mod:`ementor_kit.graph.checkins`: :func:`read_checkins` (``checkins.csv``) and
  :func:`followup` (a :class:`FollowUp`: coordinator contacts against the check-in cadence)
- :mod:`ementor_kit.graph.activity`: :func:`weekly_activity` (a :class:`WeeklyActivity`)
- :mod:`ementor_kit.graph.survival`: :func:`retention` (a :class:`Retention`)
- :mod:`ementor_kit.graph.network`: :func:`programme_graph`, :func:`network_summary`,
  :class:`NetworkSummary`
- :mod:`ementor_kit.graph.plots`: :func:`plot_activity_heatmap`, :func:`plot_retention`,
  :func:`plot_sync_async`, :func:`plot_network`, ``STATUS_COLOURS``

Results are small frozen objects holding the table (``.table``) and the settings that produced
it (never in ``DataFrame.attrs``, which pandas drops on a merge).
"""

from __future__ import annotations

from ementor_kit.graph.activity import WeeklyActivity, weekly_activity
from ementor_kit.graph.checkins import FollowUp, followup, read_checkins
from ementor_kit.graph.circles import circle_engagement
from ementor_kit.graph.engagement_metrics import (
    STATUSES,
    Engagement,
    EngagementThresholds,
    engagement,
)
from ementor_kit.graph.exchange_log import unassigned_interactions
from ementor_kit.graph.goals import GoalProgress, goal_progress
from ementor_kit.graph.log_reader import read_interactions
from ementor_kit.graph.network import NetworkSummary, network_summary, programme_graph
from ementor_kit.graph.planned import flash_metrics
from ementor_kit.graph.plots import (
    STATUS_COLOURS,
    plot_activity_heatmap,
    plot_network,
    plot_retention,
    plot_sync_async,
)
from ementor_kit.graph.survival import Retention, retention

__all__ = [
    "STATUSES",
    "STATUS_COLOURS",
    "Engagement",
    "EngagementThresholds",
    "FollowUp",
    "GoalProgress",
    "NetworkSummary",
    "Retention",
    "WeeklyActivity",
    "circle_engagement",
    "engagement",
    "flash_metrics",
    "followup",
    "goal_progress",
    "network_summary",
    "plot_activity_heatmap",
    "plot_network",
    "plot_retention",
    "plot_sync_async",
    "programme_graph",
    "read_checkins",
    "read_interactions",
    "retention",
    "unassigned_interactions",
    "weekly_activity",
]
