"""Retention of mentoring pairs: Kaplan-Meier share of pairs still active, week by week.

A pair *ends* when it falls silent for good: at ``as_of`` it has had no exchange for more than
``dormant_days`` (90 by default). Its time of ending is its last exchange (week 0 when it never
exchanged): the survival problem of early closure (Uebler et al. 2023 for CyberMentor).

Censoring. An end is only seen ``dormant_days`` after it happened, so a pair that has not ended
by ``as_of`` is known to be going on ``days_since_match - dormant_days`` after matching (had it
stopped earlier, it would show as ended), and no further: it is right-censored there (at 0 when
that is negative). This censoring time depends on the matching date and ``as_of`` only, never
on the pair's behaviour, which is what the Kaplan-Meier estimate needs. Censoring such a pair
at ``as_of`` instead would count its current silence as survival and bias the curve upwards
(by 0.2 to 0.35 at 2 to 5 months on a simulated programme); censoring it at its last exchange
would be informative (a pair silent for 80 days is more likely to have ended). The curve
therefore reaches at most ``dormant_days`` less than the longest observation.

``dormant_days`` comes from the :class:`~ementor_kit.graph.engagement_metrics.Engagement`
result, or is given explicitly with its table: never guessed, so a ``merge`` or a ``copy`` of
the table cannot change the curve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from ementor_kit._checks import check_level
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.graph.closure import EARLY_ENDS, PLANNED_ENDS
from ementor_kit.graph.engagement_metrics import Engagement, EngagementThresholds, engagement
from ementor_kit.i18n.language import N_

_ENGAGEMENT_COLUMNS = {
    "status",
    "days_since_match",
    "days_since_last_contact",
    "last_contact",
    "matched_on",
}


@dataclass(frozen=True, eq=False)
class Retention:
    """What :func:`retention` returns: the week-by-week curve and how it was obtained.

    Attributes
    ----------
    table : DataFrame
        One row per week (columns documented in :func:`retention`).
    incidence : DataFrame
        Cumulative incidence of each early-closure reason by week (documented in
        :func:`retention`).
    n_completed : int
        Pairs censored at a planned end (``completed`` or ``programme_ended``).
    n_pairs : int
        Pairs matched by ``as_of`` (the others are left out).
    n_ended, n_censored : int
        Pairs seen ending, and pairs still going on (censored).
    n_not_yet_matched : int
        Pairs matched after ``as_of``, left out.
    dormant_days : float
        A pair has ended after this many days without exchange.
    confidence_level : float
        Level of the pointwise confidence interval.
    as_of : Timestamp or None
        The moment of the assessment (UTC); None when the engagement table was given alone.

    Examples
    --------
    >>> import pandas as pd
    >>> eng = pd.DataFrame({
    ...     "matched_on": pd.to_datetime(["2026-01-05"] * 2),
    ...     "last_contact": pd.to_datetime(["2026-01-19", None], utc=True),
    ...     "days_since_match": [150.0, 150.0], "days_since_last_contact": [136.0, float("nan")],
    ...     "status": ["dormant", "not_started"]})
    >>> retention(eng, thresholds=EngagementThresholds())
    Retention(2 pairs, 2 ended, 0 censored, dormant_days=90, confidence_level=0.95)
    """

    table: pd.DataFrame
    incidence: pd.DataFrame
    n_completed: int
    n_pairs: int
    n_ended: int
    n_censored: int
    n_not_yet_matched: int
    dormant_days: float
    confidence_level: float
    as_of: pd.Timestamp | None

    def __repr__(self) -> str:
        return (
            f"Retention({self.n_pairs} pairs, {self.n_ended} ended, {self.n_censored} censored, "
            f"dormant_days={self.dormant_days:g}, confidence_level={self.confidence_level:g})"
        )


def _kaplan_meier(
    times: np.ndarray, ended: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Kaplan-Meier estimate at the distinct observed times.

    Returns ``(t, n_at_risk, n_ended, survival, greenwood)`` where ``greenwood`` is the running
    sum of d / (n (n - d)) of Greenwood's variance formula.
    """
    order = np.argsort(times, kind="stable")
    t_sorted, e_sorted = times[order], ended[order].astype(np.int64)
    at_risk = np.arange(len(t_sorted), 0, -1)
    first = np.diff(t_sorted, prepend=-np.inf) > 0
    last = np.diff(t_sorted, append=np.inf) > 0
    t = t_sorted[first]
    n = at_risk[first]
    d = np.diff(np.cumsum(e_sorted)[last], prepend=0)
    surv = np.cumprod((n - d) / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        green = np.cumsum(d / (n * (n - d)))
    return t, n, d, surv, green


def _recorded_ends(
    eng: pd.DataFrame, ended: np.ndarray, time_days: np.ndarray, cause: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Recorded or derived ends (see :mod:`ementor_kit.graph.closure`) over the silence rule.

    A planned end censors the pair at its end; an early closure is an event at its end (an
    ``inactive`` one at its last exchange, as the silence rule has it).
    """
    reason = eng["end_reason"].astype(object).to_numpy()
    known = pd.notna(reason) & (reason != "inactive")
    end_days = (
        eng["ended_on"].astype("datetime64[ns]") - eng["matched_on"].astype("datetime64[ns]")
    ).dt.total_seconds().to_numpy() / 86400
    inactive = reason == "inactive"
    ended = np.where(known, ~np.isin(reason, PLANNED_ENDS), ended | inactive)
    time_days = np.where(known, end_days, time_days)
    cause = np.where(known, reason, np.where(ended, "inactive", "")).astype(object)
    cause = np.where(known & ~ended, reason, cause)
    return ended, time_days, cause


def _aalen_johansen(times: np.ndarray, cause: np.ndarray, causes: list[str]):
    """Cumulative incidence of each cause at the distinct times (Aalen-Johansen, no covariates).

    ``cause`` is the cause of each event, or anything not in ``causes`` for a censored time.
    CIF_k(t) = sum over event times t_j <= t of S(t_j-) d_kj / n_j, with S the Kaplan-Meier
    estimate of all causes together.
    """
    is_event = np.isin(cause, causes)
    t, n, d, surv, _ = _kaplan_meier(times, is_event)
    before = np.concatenate([[1.0], surv[:-1]])
    pos = np.searchsorted(t, times)
    cif = {}
    for k in causes:
        d_k = np.bincount(pos[cause == k], minlength=len(t))
        cif[k] = np.cumsum(before * d_k / n)
    return t, cif


def _incidence(times: np.ndarray, cause: np.ndarray, weeks: np.ndarray) -> pd.DataFrame:
    """Weekly cumulative incidence of each early-closure reason present (long table)."""
    causes = [c for c in EARLY_ENDS if (cause == c).any()]
    frames = []
    if len(times) and causes:
        t, cif = _aalen_johansen(times, cause, causes)
        at = np.searchsorted(t, weeks, side="right") - 1
        for k in causes:
            frames.append(
                pd.DataFrame(
                    {
                        "week": weeks,
                        "end_reason": pd.array([k] * len(weeks), dtype="str"),
                        "cumulative_incidence": np.where(at >= 0, cif[k][np.maximum(at, 0)], 0.0),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(
            {
                "week": pd.Series(dtype="int64"),
                "end_reason": pd.Series(dtype="str"),
                "cumulative_incidence": pd.Series(dtype="float64"),
            }
        )
    return pd.concat(frames, ignore_index=True)


def _loglog_interval(
    surv: np.ndarray, green: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Log-log ("exponential Greenwood") confidence interval of a survival estimate."""
    z = special.ndtri(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(green / np.log(surv) ** 2)
        centre = np.log(-np.log(surv))
        low = np.exp(-np.exp(centre + z * se))
        high = np.exp(-np.exp(centre - z * se))
    return low, high


def _engagement_of(
    data: object, pairs: pd.DataFrame | None, as_of: object, thresholds: object
) -> tuple[pd.DataFrame, EngagementThresholds, pd.Timestamp | None]:
    """The engagement table, the thresholds and ``as_of`` retention works with (never guessed)."""
    if thresholds is not None and not isinstance(thresholds, EngagementThresholds):
        raise ArgumentTypeError(
            "thresholds",
            thresholds,
            N_("pass an EngagementThresholds, e.g. EngagementThresholds()"),
        )
    if isinstance(data, Engagement):
        if as_of is not None:
            raise InvalidArgumentError(
                "as_of",
                as_of,
                N_(
                    "leave it out: the Engagement result fixes as_of; call engagement(..., "
                    "as_of=...) again for another moment"
                ),
            )
        return data.table, thresholds or data.thresholds, data.as_of
    if not isinstance(data, pd.DataFrame):
        raise ArgumentTypeError(
            "engagement_or_interactions",
            data,
            N_("pass the Engagement result of engagement(), or the exchange log with the pairs"),
            message=N_("{name} is neither an Engagement result nor a DataFrame").format(
                name=type(data).__name__
            ),
        )
    if _ENGAGEMENT_COLUMNS <= set(data.columns):
        if as_of is not None:
            raise InvalidArgumentError(
                "as_of",
                as_of,
                N_(
                    "leave it out: an engagement table is computed at its as_of; call "
                    "engagement(..., as_of=...) again for another moment"
                ),
            )
        if thresholds is None:
            raise InvalidArgumentError(
                "thresholds",
                None,
                N_(
                    "pass the Engagement result of engagement() itself, or give the "
                    "thresholds the table was computed with, e.g. "
                    "thresholds=EngagementThresholds()"
                ),
                message=N_("an engagement table alone does not say its dormancy threshold"),
            )
        return data, thresholds, None
    if pairs is None:
        raise InvalidArgumentError(
            "pairs",
            None,
            N_("pass the pairs table along with the log: retention(interactions, pairs)"),
            message=N_("an exchange log needs the pairs it belongs to"),
        )
    eng = engagement(data, pairs, as_of=as_of, thresholds=thresholds)
    return eng.table, eng.thresholds, eng.as_of


def retention(
    engagement_or_interactions: Engagement | pd.DataFrame,
    pairs: pd.DataFrame | None = None,
    *,
    as_of: object = None,
    thresholds: EngagementThresholds | None = None,
    confidence_level: float = 0.95,
) -> Retention:
    """Share of pairs still active by week since matching (Kaplan-Meier, censored at ``as_of``).

    Parameters
    ----------
    engagement_or_interactions : Engagement or DataFrame
        The :class:`~ementor_kit.graph.engagement_metrics.Engagement` result of
        :func:`~ementor_kit.graph.engagement_metrics.engagement` (its ``as_of`` and thresholds
        are used); or its ``table`` (or a table derived from it, e.g. merged with another),
        with ``thresholds`` given explicitly; or the exchange log, in which case ``pairs`` is
        required and engagement is computed first.
    pairs : DataFrame, optional
        The pairs, when an exchange log is given.
    as_of : date, str or time-zone aware timestamp, optional
        With an exchange log only: the moment of the assessment (default: last timestamp).
    thresholds : EngagementThresholds, optional
        ``dormant_days`` defines when a silent pair has ended. Default: the thresholds of the
        Engagement result, or 90 days with an exchange log; required with an engagement
        table alone.
    confidence_level : float, default 0.95
        Level of the pointwise log-log (exponential Greenwood) confidence interval.

    Returns
    -------
    Retention
        ``table``, ``n_pairs``, ``n_ended``, ``n_censored``, ``n_not_yet_matched`` (pairs
        matched after ``as_of``, left out), ``dormant_days``, ``confidence_level`` and
        ``as_of``. ``table`` has one row per week ``w`` from 0 to the last time a pair ended or was censored (at most
        ``dormant_days`` less than the longest observation, see the module docstring):
        ``n_at_risk`` (pairs observed and not ended after ``w - 1`` weeks), ``n_ended`` and
        ``n_censored`` (pairs ending or leaving observation after more than ``w - 1`` and at
        most ``w`` weeks; week 0 holds those at exactly 0: pairs that never exchanged and are
        past ``dormant_days``, and pairs observed for ``dormant_days`` or less, which are
        censored at 0), ``survival`` (Kaplan-Meier share of pairs still exchanging ``w`` weeks
        after matching), ``ci_low`` and ``ci_high`` (NaN while no pair has ended).

        With the closure columns of ``pairs.csv`` (``ended_on`` and ``end_reason``, recorded or
        derived by :func:`~ementor_kit.graph.engagement`, see
        :mod:`ementor_kit.graph.closure`), a planned end (``completed``,
        ``programme_ended``) censors the pair at its end (``n_completed``) and an early
        closure is the event, at its ``ended_on`` (``inactive``: at its last exchange).
        ``incidence`` then gives, week by week, the cumulative incidence of each early-closure
        reason present (``week``, ``end_reason``, ``cumulative_incidence``; Aalen-Johansen:
        the reasons compete, and the incidences add up to ``1 - survival``); without closure
        columns the only reason is ``inactive``.

    Raises
    ------
    InvalidArgumentError
        An engagement table without ``thresholds``; ``as_of`` with an engagement result or
        table; a confidence level outside (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> eng = pd.DataFrame({
    ...     "matched_on": pd.to_datetime(["2026-01-05"] * 4),
    ...     "last_contact": pd.to_datetime(["2026-01-19", "2026-02-02", "2026-05-04", None],
    ...                                    utc=True),
    ...     "days_since_match": [150.0, 150.0, 150.0, 150.0],
    ...     "days_since_last_contact": [136.0, 122.0, 31.0, float("nan")],
    ...     "status": ["dormant", "dormant", "needs_check_in", "not_started"]})
    >>> ret = retention(eng, thresholds=EngagementThresholds(dormant_days=90))
    >>> ret.table.loc[[0, 1, 2, 3, 4], ["week", "n_at_risk", "n_ended", "survival"]]
       week  n_at_risk  n_ended  survival
    0     0          4        1      0.75
    1     1          3        0      0.75
    2     2          3        1      0.50
    3     3          2        0      0.50
    4     4          2        1      0.25
    """
    check_level("confidence_level", confidence_level)
    eng, thresholds, eng_as_of = _engagement_of(
        engagement_or_interactions, pairs, as_of, thresholds
    )
    dormant = thresholds.dormant_days

    since = eng["days_since_match"].to_numpy(dtype="float64")
    silence = eng["days_since_last_contact"].to_numpy(dtype="float64")
    matched = since >= 0
    started = ~np.isnan(silence)
    last = eng["last_contact"].astype("datetime64[ns, UTC]").dt.tz_localize(None)
    active_days = (
        last - eng["matched_on"].astype("datetime64[ns]")
    ).dt.total_seconds().to_numpy() / 86400
    ended = np.where(started, silence > dormant, since > dormant)
    # ended: at the last exchange (0 without any); going on: censored where it is known to be
    # (see the module docstring)
    time_days = np.where(ended, np.where(started, active_days, 0.0), np.maximum(since - dormant, 0))
    cause = np.where(ended, "inactive", "").astype(object)
    if "end_reason" in eng.columns and "ended_on" in eng.columns:
        ended, time_days, cause = _recorded_ends(eng, ended, time_days, cause)
    times = time_days[matched] / 7
    ended = ended[matched]
    cause = cause[matched]

    n_completed = int(np.isin(cause, PLANNED_ENDS).sum())
    t, n, d, surv, green = _kaplan_meier(times, ended)
    low, high = _loglog_interval(surv, green, confidence_level)
    n_weeks = int(np.ceil(times.max())) + 1 if len(times) else 0
    weeks = np.arange(n_weeks)
    # value of the step functions at each week: last distinct time <= w
    at = np.searchsorted(t, weeks, side="right") - 1
    survival = np.where(at >= 0, surv[np.maximum(at, 0)], 1.0)
    ci_low = np.where(at >= 0, low[np.maximum(at, 0)], np.nan)
    ci_high = np.where(at >= 0, high[np.maximum(at, 0)], np.nan)
    # interval (w - 1, w]; week 0 holds times equal to 0
    bucket = np.ceil(times).astype(np.int64)
    out = pd.DataFrame(
        {
            "week": weeks,
            "n_at_risk": len(times) - np.searchsorted(np.sort(times), weeks - 1, side="right"),
            "n_ended": np.bincount(bucket[ended], minlength=n_weeks)[:n_weeks],
            "n_censored": np.bincount(bucket[~ended], minlength=n_weeks)[:n_weeks],
            "survival": survival,
            "ci_low": ci_low,
            "ci_high": ci_high,
        }
    )
    return Retention(
        table=out,
        incidence=_incidence(times, cause, weeks),
        n_completed=n_completed,
        n_pairs=int(matched.sum()),
        n_ended=int(ended.sum()),
        n_censored=int((~ended).sum()),
        n_not_yet_matched=int((~matched).sum()),
        dormant_days=float(dormant),
        confidence_level=float(confidence_level),
        as_of=eng_as_of,
    )
