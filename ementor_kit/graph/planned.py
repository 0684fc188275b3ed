"""Planned sessions against the trace: held, missed (no-show) and upcoming, per pair.

Flash mentoring and booked conversations are one-off: a pair that met as planned is done, not
"at risk" for being silent since. :func:`~ementor_kit.graph.engagement` takes the planned
sessions (``planned=``, e.g. :meth:`~ementor_kit.matching.FlashSchedule.planned`) and this
module decides, per pair, which were held: a planned session is **held** when the pair has a
synchronous exchange (video or phone) that starts within ``held_within_hours`` of the planned
start (either side of it), and **missed** when that window has closed at ``as_of`` without
one. :func:`flash_metrics` sums the format up: sessions planned, held, missed, booking
requests and their acceptance, and how concentrated the load is on a few mentors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.graph import _inputs as gi
from ementor_kit.i18n.language import N_

if TYPE_CHECKING:
    from ementor_kit.graph.engagement_metrics import Engagement
    from ementor_kit.graph.exchange_log import _PairLog

__all__ = ["flash_metrics"]

FILE = "planned sessions"
REQUEST_STATUSES = ("accepted", "declined", "pending", "expired")
_OFFSET = r"(?:Z|[+-]\d{2}(?::?\d{2})?)$"


def _planned_table(planned: object) -> pd.DataFrame:
    """``planned`` checked: mentee_id, mentor_id (text), start (UTC); cancelled rows out."""
    if not isinstance(planned, pd.DataFrame):
        raise InvalidArgumentError(
            "planned",
            planned,
            N_(
                "pass a DataFrame with mentee_id, mentor_id and start, e.g. FlashSchedule.planned()"
            ),
            message=N_("{name} is not a DataFrame of planned sessions").format(
                name=type(planned).__name__
            ),
        )
    missing = [c for c in ("mentee_id", "mentor_id", "start") if c not in planned.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(FILE, c, (), N_("required column is missing"), N_("add '{c}'").format(c=c))
                for c in missing
            ]
        )
    problems = []
    out = pd.DataFrame(index=planned.index)
    for c in ("mentee_id", "mentor_id"):
        ids = planned[c].astype("str")
        empty = planned[c].isna().to_numpy() | (ids.str.strip() == "").to_numpy()
        if empty.any():
            problems.append(
                Problem(FILE, c, gi.spreadsheet_rows(empty), N_("empty id"), N_("fill in every id"))
            )
        out[c] = ids.str.strip()
    start, bad = _instants(planned["start"])
    if bad.any():
        problems.append(
            Problem(
                FILE,
                "start",
                gi.spreadsheet_rows(bad),
                N_("not a time-zone aware date and time"),
                N_("write ISO 8601 with an offset, e.g. 2026-10-01T18:00:00+02:00"),
            )
        )
    if problems:
        raise DataValidationError(problems)
    out["start"] = start
    if "status" in planned.columns:
        out = out[planned["status"].astype("str").str.upper().ne("CANCELLED").to_numpy()]
    return out.reset_index(drop=True)


def _instants(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """UTC instants, and the rows that are not a time-zone aware date and time."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        start = values.dt.tz_convert("UTC")
        return start, start.isna().to_numpy()
    text = values.astype("str").str.strip()
    aware = text.str.contains(_OFFSET, regex=True, na=False).to_numpy(dtype=bool, copy=True)
    aware |= np.array([getattr(v, "tzinfo", None) is not None for v in values], bool)
    start = pd.to_datetime(values.where(aware), errors="coerce", utc=True, format="mixed")
    return start, start.isna().to_numpy() | ~aware


def planned_per_pair(planned: object, log: _PairLog, within_hours: float) -> dict[str, np.ndarray]:
    """Per pair of ``log.pairs``: counts of planned / held / missed sessions and the dates.

    Planned sessions of people who are not a pair of ``pairs`` raise: they cannot be matched
    to the trace, and dropping them would hide a session from the counts.
    """
    p = _planned_table(planned)
    keys = pd.MultiIndex.from_frame(log.pairs[["mentee_id", "mentor_id"]].astype("str"))
    code = keys.get_indexer(pd.MultiIndex.from_frame(p[["mentee_id", "mentor_id"]]))
    if (code < 0).any():
        raise DataValidationError(
            [
                Problem(
                    FILE,
                    "mentee_id, mentor_id",
                    gi.spreadsheet_rows(code < 0),
                    N_("planned session of a (mentee, mentor) couple that is not a pair"),
                    N_("add the pair to pairs.csv, or remove the planned session"),
                )
            ]
        )
    n = log.n_pairs
    start = p["start"].dt.as_unit("ns").array.asi8
    window = int(within_hours * gi.NS_PER_HOUR)
    # the pair's synchronous exchanges, sorted by (pair, time): the nearest one to each start
    sync_pair, sync_ts = log.pair[log.sync], log.ts[log.sync]
    order = np.lexsort((sync_ts, sync_pair))
    sync_pair, sync_ts = sync_pair[order], sync_ts[order]
    lo = np.searchsorted(sync_pair, code, side="left")
    hi = np.searchsorted(sync_pair, code, side="right")
    held = np.zeros(len(p), bool)
    for k in np.flatnonzero(hi > lo).tolist():
        ts = sync_ts[lo[k] : hi[k]]
        j = np.searchsorted(ts, start[k] - window, side="left")
        held[k] = j < len(ts) and ts[j] <= start[k] + window
    due = start <= log.as_of_ns
    closed = start + window < log.as_of_ns
    missed = closed & ~held
    upcoming = ~due
    none = np.iinfo(np.int64).min

    def first(mask: np.ndarray, largest: bool = False) -> np.ndarray:
        out = np.full(n, none)
        if mask.any():
            s = pd.Series(start[mask]).groupby(code[mask])
            v = s.max() if largest else s.min()
            out[v.index.to_numpy()] = v.to_numpy()
        return out

    return {
        "n_planned": np.bincount(code[due], minlength=n).astype(np.int64),
        "n_held": np.bincount(code[due & held], minlength=n).astype(np.int64),
        "n_missed": np.bincount(code[missed], minlength=n).astype(np.int64),
        "n_upcoming": np.bincount(code[upcoming], minlength=n).astype(np.int64),
        "_pending": np.bincount(code[due & ~held & ~closed], minlength=n).astype(np.int64),
        "_first_missed": first(missed),
        "_last_held": first(due & held, largest=True),
        "next_planned": first(upcoming),
    }


def _gini(load: np.ndarray) -> float:
    """Gini coefficient of a load vector (0 equal, towards 1 concentrated); NaN without load."""
    x = np.sort(load.astype(float))
    if len(x) == 0 or x.sum() == 0:
        return float("nan")
    k = np.arange(1, len(x) + 1)
    return float((2 * (k * x).sum() / (len(x) * x.sum())) - (len(x) + 1) / len(x))


def flash_metrics(eng: Engagement, *, requests: pd.DataFrame | None = None) -> pd.DataFrame:
    """Summary of a flash-mentoring format: planned, held and missed sessions, and load.

    Parameters
    ----------
    eng : Engagement
        The result of :func:`~ementor_kit.graph.engagement` called with ``planned=``.
    requests : DataFrame, optional
        Booking requests (``mentee_id``, ``mentor_id``, ``status``: accepted, declined,
        pending or expired), as a booking platform exports them.

    Returns
    -------
    DataFrame
        One row per measure (``measure``, ``value``): ``sessions_planned`` (due by
        ``as_of``), ``sessions_held``, ``sessions_missed`` (no-shows: the window closed
        without a synchronous exchange), ``no_show_rate`` (missed / planned sessions whose
        window has closed), ``sessions_upcoming``, ``mentors_with_sessions``,
        ``max_sessions_per_mentor``, ``top_decile_share`` (share of the held and due sessions
        carried by the busiest 10 % of those mentors, at least one) and ``gini_mentor_load``;
        with ``requests``: ``requests``, then one count per status and ``acceptance_rate``
        (accepted / requests that got an answer: accepted or declined).

    Examples
    --------
    >>> import pandas as pd
    >>> from ementor_kit import engagement
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"],
    ...                       "matched_on": ["2026-10-01", "2026-10-01"]})
    >>> planned = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"],
    ...                         "start": ["2026-10-01T18:00+02:00", "2026-10-01T18:30+02:00"]})
    >>> log = pd.DataFrame({"interaction_id": ["I1"], "timestamp": ["2026-10-01T16:02Z"],
    ...                     "sender_id": ["M1"], "recipient_id": ["E1"], "channel": ["video"],
    ...                     "duration_minutes": [25.0], "session_id": [None]})
    >>> eng = engagement(log, pairs, as_of="2026-10-05", planned=planned)
    >>> eng.table[["mentee_id", "n_held", "n_missed", "status"]]
      mentee_id  n_held  n_missed           status
    0        E1       1         0        completed
    1        E2       0         1   needs_check_in
    >>> float(flash_metrics(eng).set_index("measure").loc["no_show_rate", "value"])
    0.5
    """
    t = eng.table
    if "n_planned" not in t.columns:
        raise InvalidArgumentError(
            "eng",
            "engagement without planned sessions",
            N_("call engagement(..., planned=...) with the planned sessions first"),
            message=N_("this engagement result has no planned sessions"),
        )
    planned, held, missed = (int(t[c].sum()) for c in ("n_planned", "n_held", "n_missed"))
    resolved = held + missed  # held, or missed once the window closed
    load = t.groupby("mentor_id", sort=True)["n_held"].sum().to_numpy()
    load = load[load > 0]
    top = max(1, int(np.ceil(0.1 * len(load))))
    rows: list[tuple[str, float]] = [
        ("sessions_planned", planned),
        ("sessions_held", held),
        ("sessions_missed", missed),
        ("no_show_rate", missed / resolved if resolved else float("nan")),
        ("sessions_upcoming", int(t["n_upcoming"].sum())),
        ("mentors_with_sessions", len(load)),
        ("max_sessions_per_mentor", int(load.max()) if len(load) else 0),
        (
            "top_decile_share",
            float(np.sort(load)[::-1][:top].sum() / load.sum()) if len(load) else float("nan"),
        ),
        ("gini_mentor_load", _gini(load)),
    ]
    if requests is not None:
        rows += _request_rows(requests)
    return pd.DataFrame({"measure": [r[0] for r in rows], "value": [float(r[1]) for r in rows]})


def _request_rows(requests: pd.DataFrame) -> list[tuple[str, float]]:
    if not isinstance(requests, pd.DataFrame) or "status" not in requests.columns:
        raise InvalidArgumentError(
            "requests",
            type(requests).__name__,
            N_("pass a DataFrame with mentee_id, mentor_id and status"),
        )
    status = requests["status"].astype("str").str.strip().str.lower()
    bad = ~status.isin(REQUEST_STATUSES).to_numpy()
    if bad.any():
        raise DataValidationError(
            [
                Problem(
                    "requests",
                    "status",
                    gi.spreadsheet_rows(bad),
                    N_("unknown status {iloc!r}").format(iloc=status[bad].iloc[0]),
                    N_("use one of {REQUEST_STATUSES}").format(
                        REQUEST_STATUSES=", ".join(REQUEST_STATUSES)
                    ),
                )
            ]
        )
    counts = status.value_counts()
    rows: list[tuple[str, float]] = [("requests", len(status))]
    rows += [(f"requests_{s}", int(counts.get(s, 0))) for s in REQUEST_STATUSES]
    answered = int(counts.get("accepted", 0) + counts.get("declined", 0))
    rows.append(
        ("acceptance_rate", counts.get("accepted", 0) / answered if answered else float("nan"))
    )
    return rows
