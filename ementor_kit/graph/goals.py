"""Goal tracking per pair: goals set, completed, revised, overdue and stalled.

Objectives that a pair sets and adjusts over time (``goals.csv`` and their progress updates in
``goal_updates.csv``) are what regular evaluation looks at between survey waves. A stalled goal
(no progress for more than ``stalled_days``, the Mentorloop rule of 21 days at one milestone)
feeds the status of :func:`ementor_kit.graph.engagement_metrics.engagement` when given to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit.data import schema
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.graph import _inputs as gi
from ementor_kit.i18n.language import N_

_STAGE_RANK = {s: i for i, s in enumerate(schema.GOAL_STAGES)}
_OPEN = ("in_progress", "revised")


@dataclass(frozen=True, eq=False)
class GoalProgress:
    """What :func:`goal_progress` returns: the table of pairs and how it was made.

    Give the whole object (not only ``table``) to
    :func:`ementor_kit.graph.engagement_metrics.engagement`: its ``stalled_days`` names the
    rule in the status reasons.

    Attributes
    ----------
    table : DataFrame
        One row per pair (columns documented in :func:`goal_progress`).
    as_of : Timestamp
        The moment of the assessment, in UTC.
    stalled_days : float
        An open goal without progress for more than this many days is stalled.
    goals_after_as_of : int
        Goals set after ``as_of`` (ignored).
    updates_ignored : int
        Updates dated after ``as_of`` or of goals set after it.
    updates_of_unknown_goals : int
        Updates whose ``goal_id`` is not in ``goals``.
    goals_of_unknown_pairs : int
        Goals whose pair is not in ``pairs`` (left out).

    Examples
    --------
    >>> import pandas as pd
    >>> goals = pd.DataFrame({"goal_id": ["G1"], "mentee_id": ["E001"], "mentor_id": ["M001"],
    ...                       "category": ["skills"], "description": ["CV"],
    ...                       "set_on": ["2026-09-01"], "target_date": ["2026-10-01"]})
    >>> gp = goal_progress(goals, as_of="2026-09-30")
    >>> gp
    GoalProgress(1 pairs, as_of=2026-10-01 00:00:00+00:00, stalled_days=21)
    >>> gp.table["n_stalled"].tolist(), gp.goals_after_as_of
    ([1], 0)
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    stalled_days: float
    goals_after_as_of: int
    updates_ignored: int
    updates_of_unknown_goals: int
    goals_of_unknown_pairs: int

    def __repr__(self) -> str:
        return (
            f"GoalProgress({len(self.table)} pairs, as_of={self.as_of}, "
            f"stalled_days={self.stalled_days:g})"
        )


def _goal_table(goals: pd.DataFrame, updates: pd.DataFrame, as_of_ns: int, stalled_days: float):
    """One row per goal set by ``as_of``, with its state at ``as_of``."""
    g = goals.copy()
    g["_set_ns"] = gi.date_ns(g["set_on"])
    g = g[g["_set_ns"] < as_of_ns].reset_index(drop=True)
    u = updates.copy()
    u["_ns"] = gi.date_ns(u["updated_on"])
    u = u[(u["_ns"] < as_of_ns) & u["goal_id"].isin(g["goal_id"])]
    u = u.sort_values(["goal_id", "_ns"], kind="stable").reset_index(drop=True)

    # progress: an update that raises the stage or the percent above every earlier value
    rank = u["stage"].map(_STAGE_RANK).to_numpy(np.int64)
    pct = u["percent"].to_numpy(np.int64)
    prev_rank = pd.Series(rank).groupby(u["goal_id"].to_numpy()).cummax().shift()
    prev_pct = pd.Series(pct).groupby(u["goal_id"].to_numpy()).cummax().shift()
    first = np.r_[True, u["goal_id"].to_numpy()[1:] != u["goal_id"].to_numpy()[:-1]]
    prev_rank = np.where(first, 0, prev_rank.fillna(0).to_numpy())
    prev_pct = np.where(first, 0, prev_pct.fillna(0).to_numpy())
    progress = (rank > prev_rank) | (pct > prev_pct)

    by = u.groupby("goal_id", sort=True)
    last = by.tail(1).set_index("goal_id")
    last_progress = u[progress].groupby("goal_id")["_ns"].max()
    revised = (u["status"].eq("revised") | u["new_target_date"].notna()).groupby(u["goal_id"]).any()
    new_target = u.dropna(subset=["new_target_date"]).groupby("goal_id")["new_target_date"].last()

    gid = g["goal_id"]
    at = pd.Index(last.index).get_indexer(gid)  # -1 (no update) picks the appended default
    g["status"] = np.append(last["status"].to_numpy(object), "in_progress")[at]
    g["stage"] = np.append(last["stage"].to_numpy(object), "defined")[at]
    g["percent"] = np.append(last["percent"].to_numpy(np.int64), 0)[at]
    g["revised"] = revised.reindex(gid, fill_value=False).to_numpy(bool)
    target = new_target.reindex(gid).to_numpy("datetime64[ns]")
    g["current_target"] = np.where(np.isnat(target), g["target_date"].to_numpy(), target)
    lp = last_progress.reindex(gid).to_numpy("float64")
    g["_progress_ns"] = np.where(np.isnan(lp), g["_set_ns"].to_numpy(), lp).astype(np.int64)
    is_open = g["status"].isin(_OPEN).to_numpy()
    # a target date is missed once that day has ended
    g["overdue"] = is_open & (gi.date_ns(g["current_target"]) + gi.NS_PER_DAY <= as_of_ns)
    g["days_without_progress"] = (as_of_ns - g["_progress_ns"]) / gi.NS_PER_DAY
    g["stalled"] = is_open & (g["days_without_progress"].to_numpy() > stalled_days)
    return g, len(goals) - len(g), len(updates) - len(u)


def goal_progress(
    goals: pd.DataFrame,
    goal_updates: pd.DataFrame | None = None,
    pairs: pd.DataFrame | None = None,
    *,
    as_of: object = None,
    stalled_days: float = 21,
) -> GoalProgress:
    """Goals set, completed, revised, overdue and stalled, per pair.

    Parameters
    ----------
    goals : DataFrame
        ``goals.csv``, raw or validated.
    goal_updates : DataFrame, optional
        ``goal_updates.csv``. Without it every goal counts as in progress since ``set_on``.
        ``goal_progress(goals, pairs)`` is accepted too (a frame with ``matched_on`` and no
        ``goal_id`` in second place is taken as the pairs).
    pairs : DataFrame, optional
        ``pairs.csv``: every pair gets a row (zeros when it set no goal). Default: the pairs
        that set goals.
    as_of : date, str or time-zone aware timestamp, optional
        Moment of the assessment (a date means the end of that day); goals set and updates
        dated after it are ignored and counted in the result. Default: the end of the last date
        in ``goals`` and ``goal_updates``.
    stalled_days : float, default 21
        An open goal without progress for more than this many days is stalled.

    Returns
    -------
    GoalProgress
        ``table``, ``as_of``, ``stalled_days``, ``goals_after_as_of``, ``updates_ignored``
        (dated after ``as_of`` or of goals set after it), ``updates_of_unknown_goals`` (a
        ``goal_id`` not in ``goals``) and ``goals_of_unknown_pairs`` (goals whose pair is not
        in ``pairs``; they are left out). ``table`` has one row per pair, sorted by
        ``mentee_id`` then ``mentor_id``: ``n_goals``,
        ``n_completed``, ``n_abandoned``, ``n_revised`` (goals whose target date moved or that
        were marked revised), ``n_open`` (in progress or revised), ``n_overdue`` (open goals
        whose current target date has passed), ``n_stalled`` (open goals whose last progress,
        an update raising the stage or the percent, or else ``set_on``, is more than
        ``stalled_days`` old), ``mean_percent`` (latest percent of the pair's goals),
        ``stalled_goal_ids`` and ``overdue_goal_ids`` (tuples of goal ids).
        Empty ``goals`` or ``goal_updates`` tables (headers only) are accepted.

    Examples
    --------
    >>> import pandas as pd
    >>> goals = pd.DataFrame({
    ...     "goal_id": ["G1", "G2"], "mentee_id": ["E001", "E001"],
    ...     "mentor_id": ["M001", "M001"], "category": ["skills", "network"],
    ...     "description": ["CV", "Meet three alumni"],
    ...     "set_on": ["2026-09-01", "2026-09-01"], "target_date": ["2026-10-01", "2026-12-01"]})
    >>> updates = pd.DataFrame({
    ...     "goal_id": ["G1", "G2"], "updated_on": ["2026-09-20", "2026-09-05"],
    ...     "stage": ["done", "planned"], "percent": [100, 20],
    ...     "status": ["completed", "in_progress"], "new_target_date": [None, None]})
    >>> gp = goal_progress(goals, updates, as_of="2026-10-10")
    >>> gp.table[["mentee_id", "n_goals", "n_completed", "n_stalled", "stalled_goal_ids"]]
      mentee_id  n_goals  n_completed  n_stalled stalled_goal_ids
    0      E001        2            1          1            (G2,)
    """
    if pairs is None and goal_updates is not None and isinstance(goal_updates, pd.DataFrame):
        if "matched_on" in goal_updates.columns and "goal_id" not in goal_updates.columns:
            goal_updates, pairs = None, goal_updates
    if isinstance(stalled_days, bool) or not isinstance(stalled_days, int | float):
        raise ArgumentTypeError("stalled_days", stalled_days, N_("give a number of days, e.g. 30"))
    if not stalled_days > 0:
        raise InvalidArgumentError(
            "stalled_days", stalled_days, N_("give a positive number of days, e.g. 30")
        )
    g = gi.typed(goals, "goals", allow_empty=True)
    if goal_updates is None:
        goal_updates = pd.DataFrame(columns=list(schema.GOAL_UPDATES.column_names))
    u = gi.typed(goal_updates, "goal_updates", allow_empty=True)
    dates = np.concatenate([gi.date_ns(g["set_on"]), gi.date_ns(u["updated_on"])])
    if as_of is None and not len(dates):
        raise InvalidArgumentError(
            "as_of",
            None,
            N_("pass as_of (e.g. as_of='2026-12-01')"),
            message=N_("no goal and no update yet to date the progress"),
        )
    as_of_ns = gi.as_of_ns(as_of, int(dates.max()) + gi.NS_PER_DAY if len(dates) else 0)
    n_orphans = int((~u["goal_id"].isin(g["goal_id"])).sum())
    table, n_late_goals, n_ignored = _goal_table(g, u, as_of_ns, float(stalled_days))

    if pairs is not None:
        keys = gi.typed(pairs, "pairs")[["mentee_id", "mentor_id"]]
    else:
        keys = g[["mentee_id", "mentor_id"]].drop_duplicates()
    keys = keys.sort_values(["mentee_id", "mentor_id"]).reset_index(drop=True)
    known = table.merge(keys, on=["mentee_id", "mentor_id"], how="inner")
    n_unknown = len(table) - len(known)

    known = known.sort_values("goal_id", kind="stable")
    known["completed"] = known["status"].eq("completed")
    known["abandoned"] = known["status"].eq("abandoned")
    known["open"] = known["status"].isin(_OPEN)
    agg = known.groupby(["mentee_id", "mentor_id"], sort=True).agg(
        n_goals=("goal_id", "size"),
        n_completed=("completed", "sum"),
        n_abandoned=("abandoned", "sum"),
        n_revised=("revised", "sum"),
        n_open=("open", "sum"),
        n_overdue=("overdue", "sum"),
        n_stalled=("stalled", "sum"),
        mean_percent=("percent", "mean"),
    )
    out = keys.merge(agg.reset_index(), on=["mentee_id", "mentor_id"], how="left")
    for col in (
        "n_goals",
        "n_completed",
        "n_abandoned",
        "n_revised",
        "n_open",
        "n_overdue",
        "n_stalled",
    ):
        out[col] = out[col].fillna(0).astype("int64")
    pair_keys = list(zip(out["mentee_id"], out["mentor_id"], strict=True))
    for name, flag in (("stalled_goal_ids", "stalled"), ("overdue_goal_ids", "overdue")):
        found: dict[tuple, list[str]] = {}
        rows = known[known[flag]]
        for key, goal in zip(
            zip(rows["mentee_id"], rows["mentor_id"], strict=True), rows["goal_id"], strict=True
        ):
            found.setdefault(key, []).append(goal)
        out[name] = pd.Series(
            [tuple(found.get(k, ())) for k in pair_keys], index=out.index, dtype=object
        )
    return GoalProgress(
        table=out,
        as_of=pd.Timestamp(as_of_ns, tz="UTC"),
        stalled_days=float(stalled_days),
        goals_after_as_of=int(n_late_goals),
        updates_ignored=int(n_ignored - n_orphans),
        updates_of_unknown_goals=n_orphans,
        goals_of_unknown_pairs=int(n_unknown),
    )
