"""How pairs end: recorded closures and planned ends, read against the trace (private).

``pairs.csv`` may say when a relationship is planned to end (``planned_end``) and when and why
it ended (``ended_on``, ``end_reason``). :func:`~ementor_kit.graph.engagement` then gives a
pair that has ended the status ``completed`` (a planned end) or ``closed_early`` (any other
reason), and never flags a completed pair for a check-in:

- a recorded end (``ended_on`` by ``as_of``): ``completed`` when ``end_reason`` is
  ``completed`` or ``programme_ended``, else ``closed_early``;
- no recorded end, ``planned_end`` passed: ``completed`` when the pair was still in contact at
  its planned end (its last exchange up to that day no more than ``dormant_days`` before it),
  else ``closed_early`` with ``end_reason`` ``inactive`` and ``needs_action`` (the coordinator
  should record the closure).

Outputs ``end_reason`` and ``ended_on``, which :func:`~ementor_kit.graph.retention` uses: a
planned end censors the pair, an early closure is the event (by reason, for the cumulative
incidences).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.data.schema import END_REASONS
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.graph import _inputs as gi
from ementor_kit.graph.exchange_log import _PairLog
from ementor_kit.i18n.formatting import format_date
from ementor_kit.i18n.language import N_, translator
from ementor_kit.i18n.text import localized

PLANNED_ENDS = ("completed", "programme_ended")
"""End reasons that are a planned end (censoring, not early closure)."""
EARLY_ENDS = (*(r for r in END_REASONS if r not in PLANNED_ENDS), "inactive")
"""End reasons of an early closure; ``inactive``: silent at its planned end."""
COLUMNS = ("planned_end", "ended_on", "end_reason")
_ENDED = N_("ended on {day} ({reason})")
_REACHED = N_("planned end {day} reached")
_SILENT = N_("silent {days:.1f} days at its planned end {day} (> {limit:g}): record its closure")
_NO_EXCHANGE = N_("no exchange at its planned end {day} (> {limit:g}): record its closure")


def has_closure(pairs: pd.DataFrame) -> bool:
    """True when the typed pairs table has any of the closure columns."""
    return any(c in pairs.columns for c in COLUMNS)


def _check(p: pd.DataFrame) -> None:
    problems = []
    ended = p["ended_on"] if "ended_on" in p.columns else pd.Series(pd.NaT, index=p.index)
    reason = p["end_reason"] if "end_reason" in p.columns else pd.Series(None, index=p.index)
    for mask, column, what, fix in (
        (ended.notna() & reason.isna(), "end_reason", "ended_on without end_reason", "give why"),
        (ended.isna() & reason.notna(), "ended_on", "end_reason without ended_on", "give when"),
        (ended < p["matched_on"], "ended_on", "ended before it was matched", "check the dates"),
    ):
        m = mask.to_numpy(dtype=bool)
        if m.any():
            problems.append(Problem("pairs.csv", column, gi.spreadsheet_rows(m), what, fix))
    if problems:
        raise DataValidationError(problems)


def _last_contact_by(log: _PairLog, day_ns: np.ndarray) -> np.ndarray:
    """Per pair, its last exchange before the end of day ``day_ns`` (int64 min when none)."""
    out = np.full(log.n_pairs, np.iinfo(np.int64).min)
    for i in np.flatnonzero(day_ns != np.iinfo(np.int64).min).tolist():
        ts = log.ts[log.bounds[i] : log.bounds[i + 1]]
        k = np.searchsorted(ts, day_ns[i] + gi.NS_PER_DAY, side="left")
        if k:
            out[i] = ts[k - 1]
    return out


def _ns(s: pd.Series | None, n: int) -> np.ndarray:
    none = np.iinfo(np.int64).min
    if s is None:
        return np.full(n, none)
    return s.astype("datetime64[ns]").array.asi8.copy()


def apply(
    status: np.ndarray,
    reasons: list[str],
    needs_action: np.ndarray,
    log: _PairLog,
    dormant_days: float,
    lang: str = "en",
) -> dict[str, pd.Series]:
    """Closure statuses in place; returns the ``ended_on`` and ``end_reason`` columns.

    The reasons are written in ``lang`` (a language code); ``end_reason`` stays a code."""
    t = translator(lang)

    def date(ns: int) -> str:
        day = pd.Timestamp(int(ns)).date()
        return str(day) if t.lang == "en" else format_date(day, t.lang)

    limit = localized(float(dormant_days), t.lang)
    p = log.pairs
    _check(p)
    n = len(p)
    none = np.iinfo(np.int64).min
    ended = _ns(p.get("ended_on"), n)
    planned = _ns(p.get("planned_end"), n)
    given = p["end_reason"].astype(object).to_numpy() if "end_reason" in p.columns else None
    reason_out = np.full(n, None, dtype=object)
    ended_out = np.full(n, none)
    last = _last_contact_by(log, planned)
    as_of_day = log.as_of_ns
    for i in range(n):
        if log.matched_ns[i] > as_of_day:
            continue
        if ended[i] != none and ended[i] <= as_of_day:
            r = str(given[i]) if given is not None else "other"
            planned_end = r in PLANNED_ENDS
            status[i] = "completed" if planned_end else "closed_early"
            reasons[i] = t.gettext(_ENDED).format(day=date(ended[i]), reason=r)
            needs_action[i] = False
            reason_out[i], ended_out[i] = r, ended[i]
        elif ended[i] == none and planned[i] != none and planned[i] < as_of_day:
            day = date(planned[i])
            silent = (
                (planned[i] + gi.NS_PER_DAY - last[i]) / gi.NS_PER_DAY
                if last[i] != none
                else np.inf
            )
            if silent <= dormant_days:
                status[i], needs_action[i] = "completed", False
                reasons[i] = t.gettext(_REACHED).format(day=day)
                reason_out[i], ended_out[i] = "completed", planned[i]
            else:
                status[i], needs_action[i] = "closed_early", True
                reasons[i] = (
                    t.gettext(_NO_EXCHANGE).format(day=day, limit=limit)
                    if last[i] == none
                    else t.gettext(_SILENT).format(
                        days=localized(float(silent), t.lang), day=day, limit=limit
                    )
                )
                stop = last[i] if last[i] != none else log.matched_ns[i]
                stop -= stop % gi.NS_PER_DAY  # the day of the last exchange (UTC)
                reason_out[i], ended_out[i] = "inactive", stop
    return {
        "ended_on": pd.Series(pd.array(ended_out.view("M8[ns]"))),
        "end_reason": pd.Series(pd.array(reason_out, dtype="str")),
    }
