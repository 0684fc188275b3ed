"""Engagement of each mentoring pair from the trace of its exchanges, with a transparent status.

:func:`engagement` turns the exchange log into one row per pair: how much and how the pair
exchanges (sync calls versus async messages), how quickly each side answers, who starts the
conversations, how regular the contact is, and a status with the rule that set it. The rules
are thresholds in days (:class:`EngagementThresholds`), in the spirit of what mentoring
platforms use, never an opaque score.

All times are handled in UTC, so replies across midnight or across time zones get the right
latency. Within a pair, exchanges are ordered by timestamp then ``interaction_id``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.graph import _inputs as gi
from ementor_kit.graph import closure
from ementor_kit.graph.exchange_log import _order, _PairLog, _prepare_log
from ementor_kit.graph.goals import GoalProgress
from ementor_kit.graph.planned import planned_per_pair
from ementor_kit.i18n.language import N_, Translator, resolve_language, translator
from ementor_kit.i18n.text import localized

STATUSES = (
    "not_started",
    "active",
    "completed",
    "needs_check_in",
    "at_risk",
    "dormant",
    "closed_early",
)
"""The statuses :func:`engagement` assigns, from the healthiest to the most worrying."""


@dataclass(frozen=True)
class EngagementThresholds:
    """The thresholds of the status rules of :func:`engagement`.

    Parameters
    ----------
    check_in_days : float, default 21
        No exchange for more than this many days: ``needs_check_in`` (Mentorloop alerts after
        21 days at one milestone).
    at_risk_days : float, default 45
        No exchange for more than this many days: ``at_risk``.
    dormant_days : float, default 90
        No exchange for more than this many days: ``dormant`` (Qooper calls a match
        unresponsive after 3 months; Guider e-mails after 90 inactive days).
    first_contact_days : float, default 14
        A pair without any exchange this many days after ``matched_on`` stays ``not_started``
        but is flagged ``needs_action``.
    unanswered_days : float, default 7
        The last exchange is an async message the other party has not answered for more than
        this many days: ``needs_check_in`` (programmes commonly ask for a reply within 48 h;
        a week leaves room for it before a coordinator steps in).
    conversation_gap_hours : float, default 72
        An exchange after a silence longer than this starts a new conversation (for
        ``mentee_initiation_share`` and ``n_conversations``).
    held_within_hours : float, default 24
        A planned session (``engagement(planned=...)``) is held when the pair has a video or
        phone exchange starting within this many hours of the planned start, either side.

    Examples
    --------
    >>> EngagementThresholds(check_in_days=14).at_risk_days
    45.0
    """

    check_in_days: float = 21.0
    at_risk_days: float = 45.0
    dormant_days: float = 90.0
    first_contact_days: float = 14.0
    unanswered_days: float = 7.0
    conversation_gap_hours: float = 72.0
    held_within_hours: float = 24.0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            number = not isinstance(v, bool) and isinstance(v, int | float)
            if not number or not v > 0:
                raise (InvalidArgumentError if number else ArgumentTypeError)(
                    f.name,
                    v,
                    N_("use a positive number"),
                    message=N_(
                        "EngagementThresholds.{name} must be a positive number, got {v!r}"
                    ).format(name=f.name, v=v),
                )
            object.__setattr__(self, f.name, float(v))
        if not self.check_in_days < self.at_risk_days < self.dormant_days:
            raise InvalidArgumentError(
                "at_risk_days",
                self.at_risk_days,
                N_("choose check_in_days < at_risk_days < dormant_days"),
                message=N_(
                    "EngagementThresholds: need check_in_days < at_risk_days < "
                    "dormant_days, got {check_in_days:g} / {at_risk_days:g} / "
                    "{dormant_days:g}"
                ).format(
                    check_in_days=self.check_in_days,
                    at_risk_days=self.at_risk_days,
                    dormant_days=self.dormant_days,
                ),
            )


@dataclass(frozen=True, eq=False)
class Engagement:
    """What :func:`engagement` returns: the table of pairs and the settings that produced it.

    The settings travel with the table in this object, not in ``DataFrame.attrs`` (which
    pandas drops on a ``merge``): :func:`ementor_kit.graph.survival.retention` reads the
    dormancy threshold from here, so merging or copying ``table`` cannot change it.

    Attributes
    ----------
    table : DataFrame
        One row per pair (columns documented in :func:`engagement`).
    as_of : Timestamp
        The moment of the assessment, in UTC (the one given, or the last timestamp of the log).
    thresholds : EngagementThresholds
        The status rules' thresholds used.
    unused_interactions : mapping of str to int
        Number of rows of the log not used, by reason (the rows themselves:
        :func:`ementor_kit.graph.exchange_log.unassigned_interactions`).
    rows_out_of_order : int
        Rows of the log earlier than the row before them (they are used, in time order).
    matched_on_from : str
        Where ``matched_on`` comes from: ``"pairs.csv"``, or ``"first exchange"`` when the
        pairs table has no such column (the UTC day of each pair's first exchange; for a pair
        without any, the earliest of those days, the programme's start as the log shows it).

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"mentee_id": ["E001"], "mentor_id": ["M001"],
    ...                       "matched_on": ["2026-09-01"]})
    >>> log = pd.DataFrame({"interaction_id": ["I1"], "timestamp": ["2026-09-02T10:00:00Z"],
    ...                     "sender_id": ["E001"], "recipient_id": ["M001"], "channel": ["chat"],
    ...                     "duration_minutes": [None], "session_id": [None]})
    >>> eng = engagement(log, pairs, as_of="2026-09-30")
    >>> eng
    Engagement(1 pairs, as_of=2026-10-01 00:00:00+00:00, dormant_days=90, 0 unused rows)
    >>> eng.table["status"].tolist(), eng.thresholds.check_in_days
    (['needs_check_in'], 21.0)
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    thresholds: EngagementThresholds
    unused_interactions: Mapping[str, int]
    rows_out_of_order: int
    matched_on_from: str = "pairs.csv"

    def __repr__(self) -> str:
        return (
            f"Engagement({len(self.table)} pairs, as_of={self.as_of}, "
            f"dormant_days={self.thresholds.dormant_days:g}, "
            f"{sum(self.unused_interactions.values())} unused rows)"
        )


def _group_median(values: np.ndarray, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """np.median of each group ``values[start:start+count]`` (values sorted within groups)."""
    out = np.full(len(count), np.nan)
    ok = count > 0
    s, c = start[ok], count[ok]
    lo = s + (c - 1) // 2
    hi = s + c // 2
    out[ok] = np.where(lo == hi, values[lo], (values[lo] + values[hi]) / 2)
    return out


def _group_percentile(
    values: np.ndarray, start: np.ndarray, count: np.ndarray, q: float
) -> np.ndarray:
    """np.percentile(..., q) with linear interpolation of each sorted group, bit for bit."""
    out = np.full(len(count), np.nan)
    ok = count > 0
    s, c = start[ok], count[ok]
    virtual = (c - 1) * (q / 100)
    prev = np.floor(virtual)
    gamma = virtual - prev
    prev_i = prev.astype(np.int64)
    next_i = np.minimum(prev_i + 1, c - 1)
    a, b = values[s + prev_i], values[s + next_i]
    diff = b - a
    res = a + diff * gamma
    high = gamma >= 0.5
    res[high] = b[high] - diff[high] * (1 - gamma[high])
    out[ok] = res
    return out


def _replies_and_conversations(log: _PairLog, th: EngagementThresholds) -> dict[str, np.ndarray]:
    """Per-pair reply times and conversation starts, from the one-to-one exchanges.

    Group sessions are contact, but neither a message to answer nor an answer.
    """
    n_pairs = log.n_pairs
    if log.group.any():
        one = np.flatnonzero(~log.group)
        pair, ts, mentee = log.pair[one], log.ts[one], log.from_mentee[one]
        del one
    else:
        pair, ts, mentee = log.pair, log.ts, log.from_mentee
    first = np.ones(len(ts), bool)
    first[1:] = pair[1:] != pair[:-1]
    gap = np.zeros(len(ts), np.int64)
    np.subtract(ts[1:], ts[:-1], out=gap[1:])
    reply = ~first
    reply[1:] &= mentee[1:] != mentee[:-1]
    r_pair, r_ns = pair[reply], gap[reply]
    del reply
    start = first | (gap > th.conversation_gap_hours * gi.NS_PER_HOUR)
    del first, gap
    n_starts = np.bincount(pair[start], minlength=n_pairs)
    n_mentee_starts = np.bincount(pair[start & mentee], minlength=n_pairs)
    del start, pair, ts, mentee
    r_order = _order(r_pair, r_ns)
    r_hours = r_ns[r_order] / gi.NS_PER_HOUR
    r_bounds = np.searchsorted(r_pair[r_order], np.arange(n_pairs + 1))
    r_start, r_count = r_bounds[:-1], np.diff(r_bounds)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "n_replies": r_count.astype(np.int64),
            "median_response_hours": _group_median(r_hours, r_start, r_count),
            "p90_response_hours": _group_percentile(r_hours, r_start, r_count, 90),
            "n_conversations": n_starts.astype(np.int64),
            "mentee_initiation_share": np.where(
                n_starts > 0, n_mentee_starts / np.maximum(n_starts, 1), np.nan
            ),
        }


def _per_pair(log: _PairLog, th: EngagementThresholds) -> dict[str, np.ndarray]:
    replies = _replies_and_conversations(log, th)
    n_pairs = log.n_pairs
    pair, ts, b = log.pair, log.ts, log.bounds
    count = np.diff(b)
    has = count > 0
    first_i = b[:-1][has]
    last_i = b[1:][has] - 1
    first = np.full(n_pairs, np.iinfo(np.int64).min)
    last = first.copy()
    first[has], last[has] = ts[first_i], ts[last_i]

    is_first = np.ones(len(ts), bool)
    is_first[1:] = pair[1:] != pair[:-1]
    gap = np.empty(len(ts), np.int64)
    np.subtract(ts[1:], ts[:-1], out=gap[1:])
    gap[is_first] = ts[is_first] - log.matched_ns[pair[is_first]]
    since_match = log.as_of_ns - log.matched_ns
    # longest silence from matching to as_of: the current one, without exchange the whole time
    longest = np.where(since_match >= 0, since_match / gi.NS_PER_DAY, np.nan)
    if len(first_i):
        longest[has] = np.maximum(np.maximum.reduceat(gap, first_i), log.as_of_ns - last[has])
        longest[has] /= gi.NS_PER_DAY
    del gap

    week = log.week()
    new_week = is_first
    new_week[1:] |= week[1:] != week[:-1]
    del week
    active_weeks = np.bincount(pair[new_week], minlength=n_pairs)
    del new_week, is_first

    last_sync = np.zeros(n_pairs, bool)
    last_sync[has] = log.sync[last_i]
    last_from_mentee = np.zeros(n_pairs, bool)
    last_from_mentee[has] = log.from_mentee[last_i]
    known_minutes = log.sync & ~np.isnan(log.minutes)
    n_sync = np.bincount(pair[log.sync], minlength=n_pairs)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "n_exchanges": count.astype(np.int64),
            "n_sync": n_sync.astype(np.int64),
            "n_async": (count - n_sync).astype(np.int64),
            "sync_share": np.where(has, n_sync / np.maximum(count, 1), np.nan),
            "sync_minutes": np.bincount(
                pair[known_minutes], weights=log.minutes[known_minutes], minlength=n_pairs
            ),
            "first_contact": first,
            "last_contact": last,
            "days_since_last_contact": np.where(has, (log.as_of_ns - last) / gi.NS_PER_DAY, np.nan),
            "days_since_match": since_match / gi.NS_PER_DAY,
            "active_weeks": active_weeks.astype(np.int64),
            "weeks_observed": log.weeks_observed(),
            **replies,
            "longest_gap_days": longest,
            "_last_sync": last_sync,
            "_last_from_mentee": last_from_mentee,
        }


# status reasons (English message ids, written in the language of the call)
_REASON = {
    "after": N_("matched after as_of"),
    "not_yet": N_(
        "no exchange yet, matched {days:.1f} days ago (first exchange expected within "
        "{first:g} days)"
    ),
    "never": N_(
        "no exchange in the {days:.1f} days since matching (first exchange expected within "
        "{first:g} days)"
    ),
    "silent": N_("no exchange for {days:.1f} days (> {limit:g})"),
    "unanswered_mentee": N_(
        "last message, from the mentee, unanswered for {days:.1f} days (> {limit:g})"
    ),
    "unanswered_mentor": N_(
        "last message, from the mentor, unanswered for {days:.1f} days (> {limit:g})"
    ),
    "last": N_("last exchange {days:.1f} days ago"),
    "stalled": N_("goal stalled > {days:g} days ({ids})"),
    "missed": N_(
        "planned session of {when} not held (no video or phone exchange within {hours:g} h)"
    ),
    "pending": N_("planned session in progress (window open)"),
    "next": N_("next planned session {when}"),
    "held_one": N_("the 1 planned session held (last {when})"),
    "held_all": N_("all {n} planned sessions held (last {when})"),
}


def _say(t: Translator, key: str) -> str:
    """The reason ``key`` of :data:`_REASON` in the language of ``t``."""
    return t.gettext(_REASON[key])


def _status(
    m: dict[str, np.ndarray],
    th: EngagementThresholds,
    stalled: np.ndarray,
    stalled_ids: list,
    lang: str = "en",
) -> tuple[np.ndarray, list[str], np.ndarray]:
    has = m["n_exchanges"] > 0
    since = m["days_since_match"]
    gap = m["days_since_last_contact"]
    unanswered = has & ~m["_last_sync"] & (gap > th.unanswered_days)
    rules = [
        ~has & (since < 0),
        ~has & (since <= th.first_contact_days),
        ~has,
        gap > th.dormant_days,
        gap > th.at_risk_days,
        gap > th.check_in_days,
        unanswered,
        stalled > 0,
    ]
    rule = np.select(rules, np.arange(len(rules)), default=len(rules))
    status_of_rule = np.array(
        [
            "not_started",
            "not_started",
            "not_started",
            "dormant",
            "at_risk",
            "needs_check_in",
            "needs_check_in",
            "needs_check_in",
            "active",
        ],
        dtype=object,
    )
    who = np.where(m["_last_from_mentee"], "mentee", "mentor")
    t = translator(lang)

    def days(x: float) -> float:
        return localized(float(x), t.lang)

    first = days(th.first_contact_days)
    reasons = []
    for i, r in enumerate(rule.tolist()):
        if r == 0:
            text = _say(t, "after")
        elif r == 1:
            text = _say(t, "not_yet").format(days=days(since[i]), first=first)
        elif r == 2:
            text = _say(t, "never").format(days=days(since[i]), first=first)
        elif 3 <= r <= 5:
            limit = (th.dormant_days, th.at_risk_days, th.check_in_days)[r - 3]
            text = _say(t, "silent").format(days=days(gap[i]), limit=days(limit))
        elif r == 6:
            text = _say(t, f"unanswered_{who[i]}").format(
                days=days(gap[i]), limit=days(th.unanswered_days)
            )
        elif r == 7:
            text = f"{stalled_ids[i]}"
        else:
            text = _say(t, "last").format(days=days(gap[i]))
        reasons.append(text)
    needs_action = (rule >= 2) & (rule <= 7)
    return status_of_rule[rule], reasons, needs_action


def _when(ns: int) -> str:
    return pd.Timestamp(ns, tz="UTC").strftime("%Y-%m-%d %H:%M UTC")


def _planned_status(
    status: np.ndarray,
    reasons: list[str],
    needs_action: np.ndarray,
    m: dict[str, np.ndarray],
    p: dict[str, np.ndarray],
    th: EngagementThresholds,
    lang: str = "en",
) -> None:
    """Pairs with planned sessions are judged by them (in place; see :func:`engagement`)."""
    t = translator(lang)
    for i in np.flatnonzero((p["n_planned"] + p["n_upcoming"] > 0) & (m["days_since_match"] >= 0)):
        if p["n_missed"][i]:
            status[i], needs_action[i] = "needs_check_in", True
            reasons[i] = _say(t, "missed").format(
                when=_when(p["_first_missed"][i]),
                hours=localized(float(th.held_within_hours), t.lang),
            )
        elif p["_pending"][i] or p["n_upcoming"][i]:
            status[i] = "active" if m["n_exchanges"][i] else "not_started"
            needs_action[i] = False
            reasons[i] = (
                _say(t, "pending")
                if p["_pending"][i]
                else _say(t, "next").format(when=_when(p["next_planned"][i]))
            )
        else:
            n = int(p["n_held"][i])
            status[i], needs_action[i] = "completed", False
            held = "held_one" if n == 1 else "held_all"
            reasons[i] = _say(t, held).format(n=n, when=_when(p["_last_held"][i]))


def _stalled_goals(
    goal_progress: GoalProgress | None, pairs: pd.DataFrame, lang: str = "en"
) -> tuple:
    n = len(pairs)
    if goal_progress is None:
        return np.zeros(n, np.int64), [""] * n
    if not isinstance(goal_progress, GoalProgress):
        raise ArgumentTypeError(
            "goal_progress",
            goal_progress,
            N_(
                "pass the GoalProgress result of ementor_kit.graph.goal_progress() "
                "itself (its stalled_days names the rule in the status reasons)"
            ),
            message=N_("{name} is not a GoalProgress result").format(
                name=type(goal_progress).__name__
            ),
        )
    need = ["mentee_id", "mentor_id", "n_stalled", "stalled_goal_ids"]
    label = _say(translator(lang), "stalled")
    limit = localized(float(goal_progress.stalled_days), lang)
    gp = pairs[["mentee_id", "mentor_id"]].merge(
        goal_progress.table[need], on=["mentee_id", "mentor_id"], how="left"
    )
    stalled = gp["n_stalled"].fillna(0).to_numpy(np.int64)
    texts = [
        label.format(days=limit, ids=", ".join(ids)) if k else ""
        for k, ids in zip(stalled, gp["stalled_goal_ids"].tolist(), strict=True)
    ]
    return stalled, texts


def _utc(ns: np.ndarray) -> pd.arrays.DatetimeArray:
    return pd.array(ns.view("M8[ns]")).tz_localize("UTC")


def engagement(
    interactions: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    as_of: object = None,
    thresholds: EngagementThresholds | None = None,
    goal_progress: GoalProgress | None = None,
    planned: pd.DataFrame | None = None,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
    lang: str | None = None,
) -> Engagement:
    """Engagement measures and a status for every pair, from the exchange log.

    Parameters
    ----------
    interactions : DataFrame, Parquet folder or Dask DataFrame
        The exchange log (``interactions.csv``), raw or validated; rows in any order. A
        folder of Parquet files (or one ``.parquet`` file) is read out of core through DuckDB
        and a Dask DataFrame partitioned by pair is computed on its cluster, with the same
        result as the log in memory (see :mod:`ementor_kit.graph.big_logs`).
    pairs : DataFrame
        The pairs (``pairs.csv``), raw or validated. Every pair gets a row, also pairs without
        any exchange.
    as_of : date, str or time-zone aware timestamp, optional
        The moment of the assessment; default the last timestamp in the log. A date means the
        end of that day (UTC). Exchanges after it are not used.
    thresholds : EngagementThresholds, optional
        The status rules' thresholds (defaults documented there).
    goal_progress : GoalProgress, optional
        The result of :func:`ementor_kit.graph.goals.goal_progress`; a pair with a stalled goal
        and no other warning gets ``needs_check_in`` with reason
        ``goal stalled > 21 days (...)`` (its ``stalled_days``).
    planned : DataFrame, optional
        Planned one-off sessions (flash mentoring, booked conversations): ``mentee_id``,
        ``mentor_id``, ``start`` (time-zone aware) and optionally ``status`` (``CANCELLED``
        rows are not counted), e.g. :meth:`~ementor_kit.matching.FlashSchedule.planned`. A
        pair with planned sessions is judged by them (see below and
        :mod:`ementor_kit.graph.planned`).
    memory_limit, temp_directory : optional
        For a Parquet log only: DuckDB's memory limit (e.g. ``"2GB"``; default DuckDB's, 80 %
        of the memory) and the folder it spills to beyond it (default a temporary folder).
    lang : str, optional
        Language of the texts, ``"en"`` or ``"fr"`` (``status_reason`` and the reasons of
        ``unused_interactions``); default the process language
        (:func:`~ementor_kit.i18n.set_language`). Statuses stay codes.

    Returns
    -------
    Engagement
        ``table``, ``as_of`` (UTC), ``thresholds``, ``unused_interactions`` (count of unused
        rows by reason; the rows themselves:
        :func:`ementor_kit.graph.exchange_log.unassigned_interactions`) and
        ``rows_out_of_order`` (rows of the log earlier than the row before them; they are
        used, in time order). ``table`` has one row per pair, sorted by ``mentee_id`` then
        ``mentor_id``, with columns

        - ``mentee_id``, ``mentor_id``, ``matched_on``
        - ``n_exchanges``, ``n_sync`` (video and phone), ``n_async`` (chat, email, forum),
          ``sync_share``, ``sync_minutes`` (sum of the known durations of sync exchanges)
        - ``first_contact``, ``last_contact`` (UTC), ``days_since_last_contact`` and
          ``days_since_match`` (fractional days up to ``as_of``)
        - ``active_weeks`` (weeks since ``matched_on`` with at least one exchange; week 0
          starts at midnight UTC of ``matched_on``) and ``weeks_observed`` (weeks from
          ``matched_on`` to ``as_of``, the current partial week included)
        - ``n_replies``, ``median_response_hours``, ``p90_response_hours``: a reply is a
          one-to-one exchange whose sender differs from the sender of the pair's previous
          one-to-one exchange (calls count like messages; a burst of messages from one side is
          answered once, from its last message; group-session rows are left out: they are
          contact, not a message to answer); percentiles use linear interpolation (as
          ``numpy.percentile``)
        - ``n_conversations`` and ``mentee_initiation_share``: among the one-to-one exchanges,
          a conversation starts with the pair's first one and with any one after a silence
          longer than ``thresholds.conversation_gap_hours``; the share of those started by
          the mentee (NaN for a pair that only met in group sessions)
        - ``longest_gap_days``: longest silence between ``matched_on`` and ``as_of``: before
          the first exchange, between two exchanges, or the current one (so it is never less
          than ``days_since_last_contact``); for a pair without exchange, ``days_since_match``
        - ``status``, ``status_reason``, ``needs_action`` (see below).

        Measures that need an exchange (or a reply) are NaN / NaT without one. The first rule
        that fires sets the status: no exchange yet: ``not_started`` (``needs_action`` once
        ``first_contact_days`` have passed); no exchange for more than ``dormant_days``:
        ``dormant``; more than ``at_risk_days``: ``at_risk``; more than ``check_in_days``:
        ``needs_check_in``; last message unanswered for more than ``unanswered_days``:
        ``needs_check_in``; a stalled goal (when ``goal_progress`` is given):
        ``needs_check_in``; otherwise ``active``.

        With ``planned``, the table also has ``n_planned`` (sessions due by ``as_of``),
        ``n_held``, ``n_missed``, ``n_upcoming`` and ``next_planned`` (UTC), and a pair with
        planned sessions takes its status from them instead: a session missed (its window
        of ``held_within_hours`` closed without a video or phone exchange): ``needs_check_in``;
        a session due whose window is open, or one to come: ``active`` (``not_started``
        before any exchange), without ``needs_action``; every planned session held and none
        to come: ``completed``.

        When ``pairs`` has ``planned_end``, ``ended_on`` or ``end_reason`` (optional columns
        of ``pairs.csv``), a pair that has ended takes ``completed`` (recorded end reason
        ``completed`` or ``programme_ended``, or its planned end reached while in contact)
        or ``closed_early`` (any other recorded reason; or silent for more than
        ``dormant_days`` at its planned end: ``end_reason`` ``inactive``, with
        ``needs_action`` so that the closure gets recorded); a completed pair is never
        flagged. ``ended_on`` and ``end_reason`` then hold the recorded or derived end (see
        :mod:`ementor_kit.graph.closure`).

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"mentee_id": ["E001", "E002"], "mentor_id": ["M001", "M001"],
    ...                       "matched_on": ["2026-09-01", "2026-09-01"]})
    >>> log = pd.DataFrame({
    ...     "interaction_id": ["I1", "I2", "I3"],
    ...     "timestamp": ["2026-09-02T23:30:00+02:00", "2026-09-03T08:00:00+02:00",
    ...                   "2026-10-01T09:00:00+00:00"],
    ...     "sender_id": ["E001", "M001", "M001"],
    ...     "recipient_id": ["M001", "E001", "E002"],
    ...     "channel": ["chat", "video", "email"],
    ...     "duration_minutes": [None, 45.0, None],
    ...     "session_id": [None, None, None]})
    >>> eng = engagement(log, pairs, as_of="2026-10-01")
    >>> t = eng.table
    >>> t[["mentee_id", "n_exchanges", "sync_minutes", "median_response_hours", "status"]]
      mentee_id  n_exchanges  sync_minutes  median_response_hours          status
    0      E001            2          45.0                    8.5  needs_check_in
    1      E002            1           0.0                    NaN          active
    >>> t.loc[0, "status_reason"]
    'no exchange for 28.8 days (> 21)'
    >>> eng.as_of, eng.unused_interactions
    (Timestamp('2026-10-02 00:00:00+0000', tz='UTC'), {})
    """
    th = thresholds if thresholds is not None else EngagementThresholds()
    if not isinstance(th, EngagementThresholds):
        raise ArgumentTypeError(
            "thresholds", th, N_("pass an EngagementThresholds, e.g. EngagementThresholds()")
        )
    code = resolve_language(lang)
    parquet = isinstance(interactions, str | Path)
    for name, value in (("memory_limit", memory_limit), ("temp_directory", temp_directory)):
        if value is not None and not parquet:
            raise InvalidArgumentError(
                name,
                value,
                N_(
                    "leave it out: it applies to a Parquet log (a folder or .parquet file), read "
                    "out of core by DuckDB"
                ),
            )
    if parquet or type(interactions).__module__.startswith("dask"):
        # imported here: the out-of-core and Dask paths build on this module (a cycle at the
        # top), and dask, which they import, is slow to import for everyone else
        from ementor_kit.graph.big_logs import engagement_big

        return engagement_big(
            interactions,
            pairs,
            as_of=as_of,
            thresholds=th,
            goal_progress=goal_progress,
            planned=planned,
            memory_limit=memory_limit,
            temp_directory=temp_directory,
            lang=code,
        )
    return _from_log(_prepare_log(interactions, pairs, as_of), th, goal_progress, planned, code)


def _from_log(
    log: _PairLog,
    th: EngagementThresholds,
    goal_progress: GoalProgress | None,
    planned: pd.DataFrame | None,
    lang: str = "en",
) -> Engagement:
    """The :class:`Engagement` of a prepared log (the part after reading and assigning);
    its texts in ``lang`` (a language code)."""
    m = _per_pair(log, th)
    stalled, stalled_text = _stalled_goals(goal_progress, log.pairs, lang)
    status, reasons, needs_action = _status(m, th, stalled, stalled_text, lang)
    out = log.pairs.copy()
    for k, v in m.items():
        if k.startswith("_"):
            continue
        out[k] = _utc(v) if k in ("first_contact", "last_contact") else v
    if planned is not None:
        p = planned_per_pair(planned, log, th.held_within_hours)
        status = status.astype(object)
        _planned_status(status, reasons, needs_action, m, p, th, lang)
        for k, v in p.items():
            if not k.startswith("_"):
                out[k] = _utc(v) if k == "next_planned" else v
    if closure.has_closure(log.pairs):
        status = status.astype(object)
        for k, v in closure.apply(
            status, reasons, needs_action, log, th.dormant_days, lang
        ).items():
            out[k] = v.to_numpy()
    out["status"] = pd.array(status, dtype="str")
    out["status_reason"] = pd.array(reasons, dtype="str")
    out["needs_action"] = needs_action
    return Engagement(
        table=out,
        as_of=pd.Timestamp(log.as_of_ns, tz="UTC"),
        thresholds=th,
        unused_interactions=log.unused_counts(lang),
        rows_out_of_order=int(log.n_out_of_order),
        matched_on_from=log.matched_on_from,
    )
