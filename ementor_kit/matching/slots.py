"""Weekly availability across time zones and recurring meeting slots (issue 16, part 5).

``availability.csv``
--------------------
One row per free period of a person's ordinary week, in the person's **local** time:
``person_id, weekday, start, end``. ``weekday`` is an English or French name (``Monday``,
``mon``, ``lundi``, ``lun.``: any case, accents optional) or an ISO number (1 = Monday ...
7 = Sunday); ``start`` and ``end`` are ``HH:MM`` (``18:30``, ``9:00``, ``18h30``, ``18h``);
``end`` may be ``24:00``. A person may have several rows (overlapping ones are merged).

Each person's zone comes from the programme's declared ``timezone`` attribute (an IANA zone
such as ``Europe/Paris``, ``America/Toronto``, ``Indian/Reunion``, read with :mod:`zoneinfo`,
so summer time follows the zone's own rules; a fixed ``UTC+hh:mm`` offset never changes), or
from a ``{person_id: zone}`` mapping.

Real instants
-------------
A weekly pattern is applied to every local calendar date of the person and turned into UTC
instants with the zone's offset on that date: 18:00 in Paris is 17:00 UTC in winter and 16:00
UTC in summer, 12:00 in Montréal is 17:00 UTC in winter and 16:00 UTC in summer, so between
the second Sunday of March (Québec changes) and the last Sunday of March (France changes) and
between the last Sunday of October and the first Sunday of November the two are 5 hours apart
instead of 6. La Réunion (UTC+4) never changes. A local time skipped in spring is read with
the offset before the change, a repeated one in autumn as its first occurrence (PEP 495,
``fold=0``).

:func:`propose_slots` anchors each recurring slot in the local time of the group's leader (the
mentor of a pair or circle; the first member by id in a peer circle): "every Tuesday 18:00 in
Paris" is the same instant pattern a calendar invitation from the leader would give, and the
other members' local times may move when their summer time changes on another date (shown in
``other_weeks``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._checks import check_whole
from ementor_kit.data.raw import read_raw
from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n.formatting import weekday_names
from ementor_kit.i18n.language import N_, translator

__all__ = [
    "Availability",
    "PersonAvailability",
    "SlotProposal",
    "propose_slots",
    "read_availability",
    "shared_weekly_hours",
]

COLUMNS = ("person_id", "weekday", "start", "end")
_WEEKDAYS = {
    name: k + 1
    for k, names in enumerate(
        (
            ("monday", "mon", "lundi", "lun"),
            ("tuesday", "tue", "tues", "mardi", "mar"),
            ("wednesday", "wed", "mercredi", "mer"),
            ("thursday", "thu", "thur", "thurs", "jeudi", "jeu"),
            ("friday", "fri", "vendredi", "ven"),
            ("saturday", "sat", "samedi", "sam"),
            ("sunday", "sun", "dimanche", "dim"),
        )
    )
    for name in names
}
_TIME = re.compile(r"^(\d{1,2})(?:[:h](\d{2})?)?$")


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return t.strip().rstrip(".").casefold()


def _weekday(value: Any) -> int | None:
    """ISO weekday (1-7) of a name (English, French) or number, else None."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value) if 1 <= int(value) <= 7 else None
    text = _fold(value)
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 7 else None
    return _WEEKDAYS.get(text)


def _minutes(value: Any) -> int | None:
    """Minutes after midnight of ``HH:MM`` (``24:00`` = 1440), else None."""
    m = _TIME.match(str(value).strip().casefold())
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2) or 0)
    if mi >= 60 or h > 24 or (h == 24 and mi):
        return None
    return 60 * h + mi


@cache
def _tz(key: str) -> dt.tzinfo | None:
    """The tzinfo of an IANA zone or ``UTC±hh:mm``, None when unknown."""
    m = re.match(r"^(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$", key.strip())
    if key.strip() in ("UTC", "GMT", "Z"):
        return dt.UTC
    if m:
        sign = 1 if m.group(1) == "+" else -1
        return dt.timezone(sign * dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))
    if key in zoneinfo.available_timezones():
        return zoneinfo.ZoneInfo(key)
    return None


# --------------------------------------------------------------------------- availability


@dataclass(frozen=True)
class PersonAvailability:
    """One person's ordinary week in local time and zone.

    Attributes
    ----------
    person_id : str
        The person.
    zone : str
        IANA zone (``Europe/Paris``) or ``UTC±hh:mm``.
    intervals : tuple of (int, int, int)
        ``(weekday 1-7, start minute, end minute)`` in local time, merged and sorted.

    Examples
    --------
    >>> PersonAvailability("M1", "Europe/Paris", ((2, 1080, 1200),)).hours
    2.0
    """

    person_id: str
    zone: str
    intervals: tuple[tuple[int, int, int], ...]

    @property
    def hours(self) -> float:
        """Free hours in an ordinary week."""
        return sum(b - a for _, a, b in self.intervals) / 60.0

    def instants(self, first: dt.date, last: dt.date) -> tuple[np.ndarray, np.ndarray]:
        """Free periods as UTC seconds over a range of the person's local dates.

        Parameters
        ----------
        first, last : date
            First and last local date the weekly pattern is applied to.

        Returns
        -------
        (ndarray, ndarray)
            Starts and ends (UTC seconds, int64), sorted and merged.

        Examples
        --------
        >>> import datetime as dt
        >>> p = PersonAvailability("M1", "Europe/Paris", ((1, 1080, 1140),))
        >>> starts, ends = p.instants(dt.date(2027, 3, 22), dt.date(2027, 3, 29))
        >>> [str(dt.datetime.fromtimestamp(int(t), dt.UTC))[:16] for t in starts]
        ['2027-03-22 17:00', '2027-03-29 16:00']
        """
        tz = _tz(self.zone)
        starts, ends = [], []
        day = first
        while day <= last:
            for wd, a, b in self.intervals:
                if wd == day.isoweekday():
                    starts.append(_utc_seconds(day, a, tz))
                    ends.append(_utc_seconds(day, b, tz))
            day += dt.timedelta(days=1)
        return _merge(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))


def _utc_seconds(day: dt.date, minute: int, tz: dt.tzinfo | None) -> int:
    """UTC seconds of a local date and minute (1440 = the next midnight)."""
    extra, minute = divmod(minute, 1440)
    local = dt.datetime.combine(day + dt.timedelta(days=extra), dt.time(minute // 60, minute % 60))
    return int(local.replace(tzinfo=tz).timestamp())


def _merge(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not len(starts):
        return starts, ends
    order = np.argsort(starts, kind="stable")
    s, e = starts[order], ends[order]
    out_s, out_e = [int(s[0])], [int(e[0])]
    for a, b in zip(s[1:], e[1:], strict=True):
        if a <= out_e[-1]:
            out_e[-1] = max(out_e[-1], int(b))
        else:
            out_s.append(int(a))
            out_e.append(int(b))
    return np.array(out_s, dtype=np.int64), np.array(out_e, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Availability:
    """Weekly availability of a programme's people, with their zones.

    Attributes
    ----------
    table : DataFrame
        ``person_id, weekday, start, end``: weekday 1-7 (ISO), start and end in minutes after
        local midnight, sorted, overlaps merged.
    zones : dict of str to str
        Every person's zone (also those without availability rows).
    file : str
        Where the availability was read from.

    Examples
    --------
    >>> av = read_availability(pd.DataFrame({"person_id": ["M1"], "weekday": ["mardi"],
    ...                                      "start": ["18:00"], "end": ["20h"]}),
    ...                        {"M1": "Europe/Paris"})
    >>> av.of("M1")
    PersonAvailability(person_id='M1', zone='Europe/Paris', intervals=((2, 1080, 1200),))
    """

    table: pd.DataFrame
    zones: dict[str, str]
    file: str = "availability.csv"

    def of(self, person_id: str) -> PersonAvailability:
        """The availability of one person.

        Parameters
        ----------
        person_id : str
            A person of the programme.

        Returns
        -------
        PersonAvailability
            Their zone and periods (no period when the file has no row for them).

        Examples
        --------
        >>> av = read_availability(pd.DataFrame({"person_id": ["M1"], "weekday": [1],
        ...                                      "start": ["9:00"], "end": ["10:00"]}),
        ...                        {"M1": "Indian/Reunion", "E1": "Europe/Paris"})
        >>> av.of("E1").intervals, av.of("M1").hours
        ((), 1.0)
        """
        if person_id not in self.zones:
            raise InvalidArgumentError(
                "person_id",
                person_id,
                N_("use the id of a person of the programme"),
                message=N_("{person_id!r} is not a person of the programme").format(
                    person_id=person_id
                ),
            )
        rows = self.table[self.table["person_id"] == person_id]
        iv = tuple(
            (int(w), int(a), int(b))
            for w, a, b in zip(rows["weekday"], rows["start"], rows["end"], strict=True)
        )
        return PersonAvailability(person_id, self.zones[person_id], iv)

    def shared_hours(
        self, person_a: str, person_b: str, *, week_of: Any, weeks: int = 1
    ) -> pd.Series:
        """Hours two people are both free, week by week (each zone's summer time applied).

        Each week is Monday 00:00 UTC to the next Monday (ISO weeks, the first holding
        ``week_of``); each person's ordinary week is laid on their own local dates, so a
        week in which one zone changes its clocks and the other does not (France and Québec
        change on different Sundays; La Réunion never does) shows the change. See
        :func:`shared_weekly_hours` for one week.

        Parameters
        ----------
        person_a, person_b : str
            Two people of the programme.
        week_of : date or str
            Any day of the first week.
        weeks : int, default 1
            How many consecutive weeks (1 to 106).

        Returns
        -------
        Series
            Shared hours (float), indexed by each week's Monday (``week``, dates).

        Raises
        ------
        InvalidArgumentError
            An id that is not a person of the programme, a bad date or ``weeks``.

        Examples
        --------
        Montréal Tuesdays 13:00-15:00 and Paris Tuesdays 17:00-20:00: 18:00-20:00 against
        16:00-19:00 UTC in winter (1 h); 17:00-19:00 once Montréal is on summer time (14 March
        2027: 2 h); 17:00-19:00 against 15:00-18:00 UTC once Paris is too (28 March: 1 h):

        >>> av = read_availability(
        ...     pd.DataFrame({"person_id": ["E1", "M1"], "weekday": [2, 2],
        ...                   "start": ["13:00", "17:00"], "end": ["15:00", "20:00"]}),
        ...     {"E1": "America/Montreal", "M1": "Europe/Paris"})
        >>> av.shared_hours("E1", "M1", week_of="2027-03-08", weeks=4).tolist()
        [1.0, 2.0, 2.0, 1.0]
        """
        a, b = self.of(person_a), self.of(person_b)
        n = check_whole("weeks", weeks, minimum=1, maximum=106)
        first = _monday(_as_date(week_of, "week_of"))
        mondays = [first + dt.timedelta(weeks=i) for i in range(int(n))]
        hours = [shared_weekly_hours(a, b, week_of=m) for m in mondays]
        return pd.Series(
            hours, index=pd.Index(pd.to_datetime(mondays), name="week"), name="shared_hours"
        )


def _programme_zones(programme: Any) -> dict[str, str]:
    """``person_id -> zone`` from a mapping, or a programme's declared timezone attribute."""
    if isinstance(programme, Mapping):
        zones = {str(k): str(v) for k, v in programme.items()}
        where = "zones"
    else:
        spec = getattr(programme, "spec", None)
        if spec is None or not hasattr(programme, "mentors"):
            raise ArgumentTypeError(
                "programme",
                programme,
                N_("pass a Programme or People read with a programme.yaml, or {person_id: zone}"),
            )
        zones, where = {}, "programme.yaml"
        declared = 0
        for role, key in (("mentors", "mentor_id"), ("mentees", "mentee_id")):
            attrs = [a.name for a in spec.attributes(role) if a.type == "timezone"]
            declared += len(attrs)
            df = getattr(programme, role)
            if not attrs or df is None:
                continue  # this role's people have no zone: their rows are reported
            for pid, z in zip(df[key], df[attrs[0]], strict=True):
                if not pd.isna(z):
                    zones[str(pid)] = str(z)
        if not declared:
            raise DataValidationError(
                [
                    Problem(
                        "programme.yaml",
                        None,
                        (),
                        N_("no timezone attribute is declared"),
                        N_(
                            "declare one (type: timezone, e.g. Europe/Paris) in programme.yaml, or "
                            "pass {person_id: zone}"
                        ),
                    )
                ]
            )
    bad = sorted(f"{k}={v!r}" for k, v in zones.items() if _tz(v) is None)
    if bad:
        raise DataValidationError(
            [
                Problem(
                    where,
                    None,
                    (),
                    N_("unknown time zone(s): {bad}").format(bad=", ".join(bad[:10])),
                    N_("use IANA zones such as Europe/Paris, America/Toronto, Indian/Reunion"),
                )
            ]
        )
    return zones


def read_availability(path: str | Path | pd.DataFrame, programme: Any) -> Availability:
    """Read ``availability.csv`` (every person's free periods of an ordinary week).

    Parameters
    ----------
    path : str, Path or DataFrame
        The file (``person_id, weekday, start, end``, see the module documentation) or its
        table.
    programme : Programme, People or mapping
        The programme (its declared ``timezone`` attribute gives each person's zone), or a
        ``{person_id: zone}`` mapping.

    Returns
    -------
    Availability
        The periods (weekday 1-7, minutes after local midnight) and the zones.

    Raises
    ------
    DataValidationError
        Every problem at once, with the file, rows, column and fix: a missing column, an
        unknown person or person without a zone, a weekday or time that cannot be read, an
        end not after the start, an unknown zone.

    Examples
    --------
    >>> table = pd.DataFrame({"person_id": ["M1", "E1"], "weekday": ["Tuesday", "2"],
    ...                       "start": ["18:00", "12:00"], "end": ["19:00", "13:00"]})
    >>> av = read_availability(table, {"M1": "Europe/Paris", "E1": "America/Toronto"})
    >>> av.table
      person_id  weekday  start   end
    0        E1        2    720   780
    1        M1        2   1080  1140
    """
    zones = _programme_zones(programme)
    if isinstance(path, pd.DataFrame):
        raw, file = path.astype(str).where(path.notna(), ""), "availability table"
        lines = tuple(range(2, len(raw) + 2))
    else:
        table = read_raw(path)
        raw, file, lines = table.frame.fillna(""), Path(path).name, table.rows
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    file,
                    c,
                    (),
                    N_("column is missing"),
                    N_("add the column {c} ({COLUMNS})").format(c=c, COLUMNS=", ".join(COLUMNS)),
                )
                for c in missing
            ]
        )
    rows, problems = _rows(raw, zones, file, lines)
    if problems:
        raise DataValidationError(problems)
    table = _merged_table(rows)
    return Availability(table, zones, file)


def _rows(raw: pd.DataFrame, zones: Mapping[str, str], file: str, lines: tuple[int, ...]):
    """The readable rows and a Problem per kind of error (with its spreadsheet rows)."""
    bad: dict[tuple[str, str, str], list[int]] = {}

    def fail(col: str, msg: str, fix: str, row: int) -> None:
        bad.setdefault((col, msg, fix), []).append(row)

    rows = []
    for k, rec in enumerate(raw[list(COLUMNS)].itertuples(index=False)):
        row = lines[k]  # the spreadsheet row (the header is row 1)
        pid, wd_t, a_t, b_t = (str(v).strip() for v in rec)
        wd, a, b = _weekday(wd_t), _minutes(a_t), _minutes(b_t)
        if pid not in zones:
            fail(
                "person_id",
                "unknown person or person without a time zone",
                "use ids of the programme's people and give each a timezone",
                row,
            )
        if wd is None:
            fail(
                "weekday",
                "weekday not read",
                "write a day name (Monday, lundi, mon, lun.) or 1-7 (1 = Monday)",
                row,
            )
        if a is None or a >= 1440:
            fail("start", "time not read", "write HH:MM (18:30, 9:00, 18h30)", row)
        if b is None:
            fail("end", "time not read", "write HH:MM (18:30, 24:00, 18h30)", row)
        elif a is not None and b <= a:
            fail(
                "end",
                "end not after start",
                "split a period past midnight in two rows (22:00-24:00, then 00:00-01:00)",
                row,
            )
        if pid in zones and wd is not None and a is not None and b is not None and a < b <= 1440:
            rows.append((pid, wd, a, b))
    problems = [
        Problem(file, col, tuple(r[:50]), N_("{msg} ({n} rows)").format(msg=msg, n=len(r)), fix)
        for (col, msg, fix), r in bad.items()
    ]
    return rows, problems


def _merged_table(rows) -> pd.DataFrame:
    out = []
    for (pid, wd), grp in pd.DataFrame(rows, columns=list(COLUMNS)).groupby(
        ["person_id", "weekday"], sort=True
    ):
        s, e = _merge(grp["start"].to_numpy(np.int64), grp["end"].to_numpy(np.int64))
        out += [(pid, int(wd), int(a), int(b)) for a, b in zip(s, e, strict=True)]
    table = pd.DataFrame(out, columns=list(COLUMNS))
    return table.astype({"person_id": "str", "weekday": "int64", "start": "int64", "end": "int64"})


# --------------------------------------------------------------------------- overlap


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.isoweekday() - 1)


def _as_date(value: Any, argument: str) -> dt.date:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(argument, value, N_("give a date, e.g. '2027-03-15'")) from exc
    if pd.isna(ts):
        raise InvalidArgumentError(argument, value, N_("give a date, e.g. '2027-03-15'"))
    return ts.date()


def shared_weekly_hours(a: PersonAvailability, b: PersonAvailability, *, week_of: Any) -> float:
    """Hours both people are free in one real week (summer time of each zone applied).

    The week is Monday 00:00 UTC to the next Monday 00:00 UTC of the ISO week holding
    ``week_of``; each person's weekly pattern is applied to their local dates around it.

    Parameters
    ----------
    a, b : PersonAvailability
        Two people (:meth:`Availability.of`).
    week_of : date or str
        Any day of the week.

    Returns
    -------
    float
        Shared hours.

    Examples
    --------
    Paris 16:00-18:00 and La Réunion 19:00-22:00 on Wednesdays: 15:00-17:00 against
    15:00-18:00 UTC in winter, 14:00-16:00 in summer:

    >>> paris = PersonAvailability("E1", "Europe/Paris", ((3, 960, 1080),))
    >>> reunion = PersonAvailability("M1", "Indian/Reunion", ((3, 1140, 1320),))
    >>> shared_weekly_hours(paris, reunion, week_of="2027-01-13")
    2.0
    >>> shared_weekly_hours(paris, reunion, week_of="2027-07-14")
    1.0
    """
    for name, p in (("a", a), ("b", b)):
        if not isinstance(p, PersonAvailability):
            raise ArgumentTypeError(name, p, N_("pass availability.of(person_id)"))
    mon = _monday(_as_date(week_of, "week_of"))
    lo = int(dt.datetime.combine(mon, dt.time(), dt.UTC).timestamp())
    hi = lo + 7 * 86400
    sa, ea = a.instants(mon - dt.timedelta(days=1), mon + dt.timedelta(days=7))
    sb, eb = b.instants(mon - dt.timedelta(days=1), mon + dt.timedelta(days=7))
    total = 0
    for x, y in zip(np.clip(sa, lo, hi), np.clip(ea, lo, hi), strict=True):
        inter = np.minimum(y, np.clip(eb, lo, hi)) - np.maximum(x, np.clip(sb, lo, hi))
        total += int(inter[inter > 0].sum())
    return total / 3600.0


# --------------------------------------------------------------------------- slots


@dataclass(frozen=True, eq=False)
class SlotProposal:
    """What :func:`propose_slots` returns.

    Attributes
    ----------
    slots : DataFrame
        One row per proposed slot: ``group_id, slot, leader, zone, weekday, day, start, end``
        (in the leader's local time), ``weeks_free`` (weeks of the range in which every
        member is free), ``weeks`` and ``failed_weeks`` (Mondays of the weeks that fail,
        ``;``-joined, empty when none).
    local : DataFrame
        One row per slot per person: ``group_id, slot, person_id, role, zone, weekday, day,
        start, end`` in the person's local time in the first week, ``utc_start`` (that first
        meeting), and ``other_weeks``: the weeks in which the person's local day or time
        differs (``2027-03-15: Tue 13:00``), empty when never.
    unscheduled : DataFrame
        ``group_id, reason``: groups with no slot free in any week.

    Examples
    --------
    >>> import pandas as pd
    >>> av = read_availability(pd.DataFrame({"person_id": ["M1", "E1"], "weekday": [2, 2],
    ...     "start": ["18:00", "12:00"], "end": ["19:00", "13:00"]}),
    ...     {"M1": "Europe/Paris", "E1": "America/Toronto"})
    >>> pairs = pd.DataFrame({"mentee_id": ["E1"], "mentor_id": ["M1"]})
    >>> res = propose_slots(pairs, av, start="2027-03-01", weeks=6)
    >>> res.slots[["day", "start", "weeks_free", "failed_weeks"]]
       day  start  weeks_free             failed_weeks
    0  Tue  18:00           4  2027-03-15;2027-03-22
    """

    slots: pd.DataFrame
    local: pd.DataFrame
    unscheduled: pd.DataFrame


def _groups(groups: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(group_id, [(person_id, role), ...])]``, the leader first."""
    members = getattr(groups, "members", None)
    if members is None:
        pairs = getattr(groups, "pairs", None)
        df = pairs if isinstance(pairs, pd.DataFrame) else groups
    else:
        df = members
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(
            "pairs_or_circles",
            groups,
            N_("pass pairs (mentee_id, mentor_id), a MatchResult or Circles"),
        )
    out: list[tuple[str, list[tuple[str, str]]]] = []
    if {"group_id", "person_id"} <= set(df.columns):
        role = df["role"] if "role" in df.columns else pd.Series("member", index=df.index)
        for gid, grp in df.assign(role=role).groupby("group_id", sort=True):
            people = sorted(
                zip(grp["person_id"].astype(str), grp["role"].astype(str), strict=True),
                key=lambda p: (p[1] != "mentor", p[0]),
            )
            out.append((str(gid), people))
        return out
    if {"mentee_id", "mentor_id"} <= set(df.columns):
        for r in df.sort_values(["mentor_id", "mentee_id"]).itertuples(index=False):
            gid = str(getattr(r, "group_id", "") or f"{r.mentor_id}+{r.mentee_id}")
            out.append((gid, [(str(r.mentor_id), "mentor"), (str(r.mentee_id), "mentee")]))
        return out
    raise InvalidArgumentError(
        "pairs_or_circles",
        list(df.columns),
        N_("give columns mentee_id, mentor_id (pairs) or group_id, person_id, role (circles)"),
        message=N_("no pair or circle columns"),
    )


def _candidate_instants(
    zone: str, mondays: list[dt.date], duration: int, step: int
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """UTC seconds (weeks x candidates) of every local weekday/start in the leader's zone."""
    tz = _tz(zone)
    cand = [(wd, m) for wd in range(1, 8) for m in range(0, 1440 - duration + 1, step)]
    out = np.empty((len(mondays), len(cand)), dtype=np.int64)
    for w, mon in enumerate(mondays):
        for k, (wd, m) in enumerate(cand):
            out[w, k] = _utc_seconds(mon + dt.timedelta(days=wd - 1), m, tz)
    return out, cand


def _free(p: PersonAvailability, t0: np.ndarray, seconds: int, first, last) -> np.ndarray:
    s, e = p.instants(first, last)
    if not len(s):
        return np.zeros(t0.shape, dtype=bool)
    idx = np.searchsorted(s, t0, side="right") - 1
    return (idx >= 0) & (e[np.maximum(idx, 0)] >= t0 + seconds)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _local(zone: str, seconds: int) -> tuple[int, int]:
    """ISO weekday and minute of a UTC instant in a zone."""
    t = dt.datetime.fromtimestamp(seconds, dt.UTC).astimezone(_tz(zone))
    return t.isoweekday(), t.hour * 60 + t.minute


def _choose(count: np.ndarray, cand, duration: int, per_group: int) -> list[int]:
    """The best-covered candidates, at most ``per_group``, not overlapping one another."""
    chosen: list[int] = []
    if count.max() <= 0:
        return chosen
    top = count.max()
    for k in np.flatnonzero(count == top):
        wd, m = cand[k]
        if all(cand[c][0] != wd or abs(cand[c][1] - m) >= duration for c in chosen):
            chosen.append(int(k))
        if len(chosen) == per_group:
            break
    return chosen


def propose_slots(
    pairs_or_circles: Any,
    availability: Availability,
    zones: Mapping[str, str] | None = None,
    *,
    start: Any,
    weeks: int = 4,
    duration: int = 60,
    step: int = 30,
    per_group: int = 3,
    lang: str | None = None,
) -> SlotProposal:
    """Recurring weekly slots free for every member of each pair or circle, in every week.

    Parameters
    ----------
    pairs_or_circles : DataFrame, MatchResult or Circles
        Pairs (``mentee_id, mentor_id``, optional ``group_id``) or circles
        (``group_id, person_id, role``).
    availability : Availability
        From :func:`read_availability`.
    zones : mapping, optional
        ``{person_id: zone}`` replacing the availability's zones.
    start : date or str
        First week of the range (any day of it).
    weeks : int
        Number of weeks the slot must hold.
    duration, step : int
        Meeting length and spacing of the candidate starts, in minutes.
    per_group : int
        Most slots proposed per group (the best-covered, not overlapping).
    lang : str, optional
        Language of the ``day`` columns (``Wed`` / ``mer.``; ``weekday`` is the ISO number) and
        of the reasons in ``unscheduled``; default the process language.

    Returns
    -------
    SlotProposal
        ``slots`` (in the leader's local time, with the weeks that fail), ``local`` (one row
        per slot per person in their own local time) and ``unscheduled`` groups.

    Raises
    ------
    InvalidArgumentError
        A member without a zone, arguments out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> av = read_availability(pd.DataFrame({"person_id": ["M1", "E1"], "weekday": [3, 3],
    ...     "start": ["20:00", "16:00"], "end": ["21:00", "18:00"]}),
    ...     {"M1": "Indian/Reunion", "E1": "Europe/Paris"})
    >>> pairs = pd.DataFrame({"mentee_id": ["E1"], "mentor_id": ["M1"]})
    >>> res = propose_slots(pairs, av, start="2027-03-22", weeks=2, lang="en")
    >>> res.local[["person_id", "day", "start", "other_weeks"]]
      person_id  day  start         other_weeks
    0        M1  Wed  20:00
    1        E1  Wed  17:00  2027-03-29: Wed 18:00
    >>> propose_slots(pairs, av, start="2027-03-22", weeks=2, lang="fr").local["day"].tolist()
    ['mer.', 'mer.']
    """
    if not isinstance(availability, Availability):
        raise ArgumentTypeError("availability", availability, N_("pass read_availability(...)"))
    check_whole("weeks", weeks, minimum=1, maximum=104)
    check_whole("duration", duration, minimum=5, maximum=1440)
    check_whole("step", step, minimum=5, maximum=1440)
    check_whole("per_group", per_group, minimum=1)
    t = translator(lang)
    days = weekday_names(t.lang)
    zone_of = dict(availability.zones)
    if zones is not None:
        zone_of.update(_programme_zones(dict(zones)))
    mondays = [_monday(_as_date(start, "start")) + dt.timedelta(weeks=w) for w in range(weeks)]
    first, last = mondays[0] - dt.timedelta(days=2), mondays[-1] + dt.timedelta(days=9)
    slots, local, unscheduled = [], [], []
    cache: dict[str, tuple[np.ndarray, list[tuple[int, int]]]] = {}
    for gid, people in _groups(pairs_or_circles):
        lost = [p for p, _ in people if p not in zone_of]
        if lost:
            raise InvalidArgumentError(
                "pairs_or_circles",
                lost,
                N_("give these people a time zone"),
                message=N_("no zone: {lost}").format(lost=lost),
            )
        lead_zone = zone_of[people[0][0]]
        if lead_zone not in cache:
            cache[lead_zone] = _candidate_instants(lead_zone, mondays, duration, step)
        t0, cand = cache[lead_zone]
        ok = np.ones(t0.shape, dtype=bool)
        for p, _ in people:
            person = PersonAvailability(
                p, zone_of[p], availability.of(p).intervals if p in availability.zones else ()
            )
            ok &= _free(person, t0, 60 * duration, first, last)
        chosen = _choose(ok.sum(axis=0), cand, duration, per_group)
        if not chosen:
            reason = t.gettext(N_("no {duration}-minute slot free for all members in any week"))
            unscheduled.append((gid, reason.format(duration=duration)))
        for n, k in enumerate(chosen, start=1):
            wd, m = cand[k]
            failed = ";".join(str(mondays[w]) for w in np.flatnonzero(~ok[:, k]))
            slots.append(
                (
                    gid,
                    n,
                    people[0][0],
                    lead_zone,
                    wd,
                    days[wd - 1],
                    _hhmm(m),
                    _hhmm((m + duration) % 1440),
                    int(ok[:, k].sum()),
                    weeks,
                    failed,
                )
            )
            local += _local_rows(gid, n, people, zone_of, t0[:, k], mondays, duration, days)
    return SlotProposal(
        pd.DataFrame(
            slots,
            columns=[
                "group_id",
                "slot",
                "leader",
                "zone",
                "weekday",
                "day",
                "start",
                "end",
                "weeks_free",
                "weeks",
                "failed_weeks",
            ],
        ),
        pd.DataFrame(
            local,
            columns=[
                "group_id",
                "slot",
                "person_id",
                "role",
                "zone",
                "weekday",
                "day",
                "start",
                "end",
                "utc_start",
                "other_weeks",
            ],
        ),
        pd.DataFrame(unscheduled, columns=["group_id", "reason"]),
    )


def _local_rows(gid, n, people, zone_of, instants, mondays, duration, days) -> list[tuple]:
    rows = []
    for p, role in people:
        z = zone_of[p]
        seen = [_local(z, int(t)) for t in instants]
        wd, m = seen[0]
        other = "; ".join(
            f"{mondays[w]}: {days[d - 1]} {_hhmm(x)}"
            for w, (d, x) in enumerate(seen)
            if (d, x) != (wd, m)
        )
        utc = pd.Timestamp(int(instants[0]), unit="s", tz="UTC")
        rows.append(
            (
                gid,
                n,
                p,
                role,
                z,
                wd,
                days[wd - 1],
                _hhmm(m),
                _hhmm((m + duration) % 1440),
                utc,
                other,
            )
        )
    return rows
