"""Weekly activity of each pair since it was matched (pair x week table).

Week 0 of a pair starts at midnight UTC of its ``matched_on`` date; every pair gets one row per
week from week 0 to the week holding ``as_of``, weeks without exchange included (zeros), so the
table feeds heatmaps and regularity measures directly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.graph import _inputs as gi
from ementor_kit.graph.exchange_log import _prepare_log


def weekly_activity(
    interactions: pd.DataFrame, pairs: pd.DataFrame, *, as_of: object = None
) -> pd.DataFrame:
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
    DataFrame
        One row per pair and week, sorted by ``mentee_id``, ``mentor_id``, ``week``:
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
    >>> weekly_activity(log, pairs, as_of="2026-09-20")[["week", "n_exchanges", "n_sync"]]
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
    out.attrs = {
        "as_of": pd.Timestamp(log.as_of_ns, tz="UTC"),
        "unused_interactions": log.unused_counts(),
    }
    return out
