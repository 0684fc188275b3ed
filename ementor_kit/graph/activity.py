"""Weekly activity of each pair since it was matched (pair x week table).

Week 0 of a pair starts at midnight UTC of its ``matched_on`` date; every pair gets one row per
week from week 0 to the week holding ``as_of``, weeks without exchange included (zeros), so the
table feeds heatmaps and regularity measures directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit.graph import _inputs as gi
from ementor_kit.graph.exchange_log import _prepare_log


@dataclass(frozen=True, eq=False)
class WeeklyActivity:
    """What :func:`weekly_activity` returns: the pair x week table and the moment it covers.

    Attributes
    ----------
    table : DataFrame
        One row per pair and week (columns documented in :func:`weekly_activity`).
    as_of : Timestamp
        Last moment covered, in UTC.
    unused_interactions : mapping of str to int
        Number of rows of the log not used, by reason (as in
        :class:`~ementor_kit.graph.engagement_metrics.Engagement`).

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"mentee_id": ["E001"], "mentor_id": ["M001"],
    ...                       "matched_on": ["2026-09-01"]})
    >>> log = pd.DataFrame({"interaction_id": ["I1"], "timestamp": ["2026-09-02T10:00:00Z"],
    ...                     "sender_id": ["E001"], "recipient_id": ["M001"], "channel": ["chat"],
    ...                     "duration_minutes": [None], "session_id": [None]})
    >>> weekly_activity(log, pairs, as_of="2026-09-10")
    WeeklyActivity(1 pairs, 2 rows, as_of=2026-09-11 00:00:00+00:00, 0 unused rows)
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    unused_interactions: Mapping[str, int]

    def __repr__(self) -> str:
        n_pairs = len(self.table[["mentee_id", "mentor_id"]].drop_duplicates())
        return (
            f"WeeklyActivity({n_pairs} pairs, {len(self.table)} rows, as_of={self.as_of}, "
            f"{sum(self.unused_interactions.values())} unused rows)"
        )


def weekly_activity(
    interactions: pd.DataFrame, pairs: pd.DataFrame, *, as_of: object = None
) -> WeeklyActivity:
    """Exchanges of every pair, week by week since matching.

    Parameters
    ----------
    interactions : DataFrame
        The exchange log (``interactions.csv``), raw or validated; rows in any order. Rows that
        belong to no pair are left out, as in :func:`ementor_kit.graph.engagement_metrics.engagement` (see
        :func:`ementor_kit.graph.exchange_log.unassigned_interactions`).
    pairs : DataFrame
        The pairs (``pairs.csv``), raw or validated.
    as_of : date, str or time-zone aware timestamp, optional
        Last moment covered (default: the last timestamp in the log; a date means the end of
        that day).

    Returns
    -------
    WeeklyActivity
        ``table``, ``as_of`` (UTC) and ``unused_interactions`` (count of unused rows by
        reason). ``table`` has one row per pair and week, sorted by ``mentee_id``, ``mentor_id``, ``week``:
        ``week`` (0 = the week starting on ``matched_on``), ``week_start`` (date),
        ``n_exchanges``, ``n_sync``, ``n_async``, ``sync_minutes`` and ``active``
        (at least one exchange). The number of weeks of a pair is its ``weeks_observed`` in
        :func:`~ementor_kit.graph.engagement_metrics.engagement`, and its active weeks are its
        ``active_weeks``.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"mentee_id": ["E001"], "mentor_id": ["M001"],
    ...                       "matched_on": ["2026-09-01"]})
    >>> log = pd.DataFrame({
    ...     "interaction_id": ["I1", "I2", "I3"],
    ...     "timestamp": ["2026-09-02T10:00:00+02:00", "2026-09-03T10:00:00+02:00",
    ...                   "2026-09-16T18:00:00-04:00"],
    ...     "sender_id": ["E001", "M001", "M001"], "recipient_id": ["M001", "E001", "E001"],
    ...     "channel": ["chat", "video", "email"], "duration_minutes": [None, 40.0, None],
    ...     "session_id": [None, None, None]})
    >>> weekly_activity(log, pairs, as_of="2026-09-20").table[["week", "n_exchanges", "n_sync"]]
       week  n_exchanges  n_sync
    0     0            2       1
    1     1            0       0
    2     2            1       0
    """
    log = _prepare_log(interactions, pairs, as_of)
    n_weeks = log.weeks_observed()
    offset = np.concatenate([[0], np.cumsum(n_weeks)])
    total = int(offset[-1])
    cell = offset[log.pair] + log.week()
    n_ex = np.bincount(cell, minlength=total)
    n_sync = np.bincount(cell[log.sync], minlength=total)
    known = log.sync & ~np.isnan(log.minutes)
    minutes = np.bincount(cell[known], weights=log.minutes[known], minlength=total)

    pair_of_row = np.repeat(np.arange(log.n_pairs), n_weeks)
    week_of_row = np.arange(total) - offset[pair_of_row]
    start_ns = log.matched_ns[pair_of_row] + week_of_row * gi.NS_PER_WEEK
    out = pd.DataFrame(
        {
            "mentee_id": log.pairs["mentee_id"].to_numpy()[pair_of_row],
            "mentor_id": log.pairs["mentor_id"].to_numpy()[pair_of_row],
            "week": week_of_row.astype(np.int64),
            "week_start": start_ns.view("M8[ns]"),
            "n_exchanges": n_ex.astype(np.int64),
            "n_sync": n_sync.astype(np.int64),
            "n_async": (n_ex - n_sync).astype(np.int64),
            "sync_minutes": minutes,
            "active": n_ex > 0,
        }
    )
    out["mentee_id"] = out["mentee_id"].astype("str")
    out["mentor_id"] = out["mentor_id"].astype("str")
    return WeeklyActivity(
        table=out,
        as_of=pd.Timestamp(log.as_of_ns, tz="UTC"),
        unused_interactions=log.unused_counts(),
    )
