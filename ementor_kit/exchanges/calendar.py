"""Planned sessions from calendar files (``.ics``, RFC 5545): recurrences expanded, content dropped.

A calendar invitation says when a pair (or a group) *planned* to meet; the exchange log says
when they did. :func:`import_planned_sessions` reads ``.ics`` files (a file, several, or a
folder of them) with :mod:`icalendar` and gives one row per planned occurrence:

- recurring events (``RRULE`` with ``COUNT`` or ``UNTIL``, ``RDATE``, ``EXDATE``) are expanded
  with :func:`dateutil.rrule.rrulestr` in the event's own zone, so a weekly 18:00
  ``Europe/Paris`` meeting stays at 18:00 local time when summer time ends (its UTC time moves
  by an hour); an ``RRULE`` without an end needs ``end=`` (refused otherwise);
- an occurrence moved or cancelled by an override (``RECURRENCE-ID``) takes the override's
  times and status; an occurrence removed by ``EXDATE`` is not planned;
- times with a ``TZID`` are read in that zone (IANA names through :mod:`zoneinfo`, or the
  file's ``VTIMEZONE``), UTC times as UTC, floating times (no zone) only with ``timezone=``;
- all-day events are reported, not sessions (nobody meets for a whole day).

Organiser and attendees are resolved through the programme's declared contacts
(:class:`~ementor_kit.exchanges.people.ContactBook`: their ``mailto:`` address, then their
``CN``); an unresolved person is reported with the number of occurrences they are in, never
guessed. ``SUMMARY``, ``DESCRIPTION``, ``LOCATION``, ``UID``, meeting links and addresses are
never kept.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icalendar
import numpy as np
import pandas as pd
from dateutil.rrule import rruleset, rrulestr  # type: ignore[import-untyped]

from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.exchanges.people import ContactBook, alias_keys, mask_contact
from ementor_kit.i18n.language import N_

__all__ = ["PlannedSessions", "SESSION_COLUMNS", "import_planned_sessions"]

SESSION_COLUMNS = (
    "planned_session_id",
    "start",
    "end",
    "duration_minutes",
    "organiser_id",
    "attendee_ids",
    "session_id",
    "recurrence_id",
    "status",
)
"""Columns of :attr:`PlannedSessions.sessions`."""
_STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")
_NEVER_KEPT = (
    "Thrown away: titles (SUMMARY), descriptions, locations and meeting links, UIDs, and the "
    "names and addresses of the invitations (kept only, masked, for the unresolved people)."
)


@dataclass(frozen=True, eq=False)
class PlannedSessions:
    """Planned sessions read from calendar files, and the account of what was not kept.

    Attributes
    ----------
    sessions : DataFrame
        One row per planned occurrence, sorted by start: ``planned_session_id``
        (``P0001``, ...), ``start`` and ``end`` (``datetime64[ns, UTC]``),
        ``duration_minutes``, ``organiser_id`` (missing when unresolved or absent),
        ``attendee_ids`` (the other resolved people, ``;`` between them, sorted),
        ``session_id`` (``G0001``, ...: one id per event series of three people or more,
        missing for a pair), ``recurrence_id`` (the occurrence's original start, UTC, for a
        recurring event; ``NaT`` otherwise) and ``status`` (``CONFIRMED``, ``TENTATIVE`` or
        ``CANCELLED``; ``CONFIRMED`` when the file gives none).
    unresolved : DataFrame
        People of the invitations not in the programme: ``alias`` (masked), ``role``
        (``"unknown"``), ``n_sessions`` (occurrences they are in), ``files``.
    skipped : DataFrame
        Events not giving sessions: ``file``, ``event`` (its number in the file, 1, 2, ...),
        ``reason``.
    counts : dict of str to int
        ``events`` (VEVENTs read), ``skipped`` (events giving no session), ``sessions``
        (rows), ``cancelled`` (rows with status ``CANCELLED``).
    report : str
        What was read and what was thrown away.

    Examples
    --------
    >>> import ementor_kit as ek, tempfile, pathlib
    >>> ics = pathlib.Path(tempfile.mkdtemp()) / "mentorat.ics"
    >>> _ = ics.write_text(
    ...     "BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nPRODID:-//x//y//FR\\r\\nBEGIN:VEVENT\\r\\n"
    ...     "UID:1@x\\r\\nDTSTAMP:20260901T000000Z\\r\\nSUMMARY:Point mensuel\\r\\n"
    ...     "DTSTART;TZID=Europe/Paris:20261021T180000\\r\\n"
    ...     "DTEND;TZID=Europe/Paris:20261021T190000\\r\\nRRULE:FREQ=WEEKLY;COUNT=2\\r\\n"
    ...     "ORGANIZER;CN=Hugo J.:mailto:hugo@example.org\\r\\n"
    ...     "ATTENDEE;CN=Mateo P.:mailto:mateo@example.org\\r\\n"
    ...     "END:VEVENT\\r\\nEND:VCALENDAR\\r\\n")
    >>> planned = ek.import_planned_sessions(ics, ek.load_sample())
    >>> planned.sessions[["start", "organiser_id", "attendee_ids", "status"]]
                          start organiser_id attendee_ids     status
    0 2026-10-21 16:00:00+00:00         M001         E001  CONFIRMED
    1 2026-10-28 17:00:00+00:00         M001         E001  CONFIRMED
    """

    sessions: pd.DataFrame
    unresolved: pd.DataFrame
    skipped: pd.DataFrame
    counts: Mapping[str, int]
    report: str

    def __repr__(self) -> str:
        c = self.counts
        return (
            f"PlannedSessions({c['sessions']} planned sessions from {c['events']} events, "
            f"{len(self.unresolved)} unresolved people)"
        )


@dataclass
class _Event:
    """One occurrence before people are resolved (file-side values)."""

    file: str
    series: str  # file + UID: the occurrences of one event
    start: dt.datetime
    end: dt.datetime
    recurrence: dt.datetime | None
    status: str
    organiser: str | None
    attendees: list[str]


def import_planned_sessions(
    source: str | Path | Sequence[str | Path],
    programme: object,
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    timezone: str | None = None,
    aliases: pd.DataFrame | str | Path | None = None,
) -> PlannedSessions:
    """Read calendar files (``.ics``) into the programme's planned sessions, content dropped.

    Parameters
    ----------
    source : str, Path or sequence of them
        ``.ics`` files, or folders of them.
    programme : Programme, People, str or Path
        The programme whose people the invitations are resolved to.
    start, end : str or Timestamp, optional
        Keep the occurrences starting in ``[start, end]`` (a time without a zone is UTC).
        ``end`` is required when an event repeats without end (``RRULE`` without ``COUNT``
        or ``UNTIL``).
    timezone : str, optional
        IANA zone of floating times (written without zone nor ``TZID``); such files are
        refused without it.
    aliases : DataFrame, str or Path, optional
        Extra ways people are named: columns ``alias``, ``person_id``.

    Returns
    -------
    PlannedSessions
        The sessions, unresolved people, events set aside, counts and report.

    Raises
    ------
    InvalidArgumentError
        No source, an unknown zone, floating times without ``timezone=``, an endless
        recurrence without ``end=``.
    DataValidationError
        A file that is no calendar, an event without start, naming the file and event.

    Examples
    --------
    >>> import ementor_kit as ek, tempfile, pathlib
    >>> ics = pathlib.Path(tempfile.mkdtemp()) / "suivi.ics"
    >>> _ = ics.write_text(
    ...     "BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nPRODID:-//x//y//FR\\r\\nBEGIN:VEVENT\\r\\n"
    ...     "UID:2@x\\r\\nDTSTAMP:20260901T000000Z\\r\\nDTSTART:20261105T170000Z\\r\\n"
    ...     "DURATION:PT45M\\r\\nORGANIZER;CN=Hugo J.:mailto:hugo@example.org\\r\\n"
    ...     "ATTENDEE;CN=Nobody Z.:mailto:nobody@example.org\\r\\n"
    ...     "END:VEVENT\\r\\nEND:VCALENDAR\\r\\n")
    >>> planned = ek.import_planned_sessions(ics, ek.load_sample())
    >>> planned.sessions[["duration_minutes", "organiser_id", "attendee_ids"]].values.tolist()
    [[45.0, 'M001', '']]
    >>> planned.unresolved[["alias", "n_sessions"]].values.tolist()
    [['Nobody Z. <n…@example.org>', 1]]
    """
    paths = _files(source)
    zone = _zone(timezone)
    lo, hi = _bound("start", start), _bound("end", end)
    book = ContactBook.of(programme, aliases)
    events: list[_Event] = []
    skipped: list[tuple[str, int, str]] = []
    n_events = 0
    for path in paths:
        occurrences, skips, n = _read_file(path, zone, lo, hi)
        events += occurrences
        skipped += skips
        n_events += n
    return _assemble(events, skipped, n_events, book)


def _files(source: object) -> list[Path]:
    items = [source] if isinstance(source, (str, Path)) else list(source)  # type: ignore[call-overload]
    if not items:
        raise InvalidArgumentError("source", source, N_("give at least one .ics file or folder"))
    paths: list[Path] = []
    for item in map(Path, items):
        if item.is_dir():
            found = sorted(p for p in item.iterdir() if p.suffix.lower() == ".ics")
            if not found:
                raise InvalidArgumentError(
                    "source", str(item), N_("give a folder holding .ics calendar files")
                )
            paths += found
        elif item.exists():
            paths.append(item)
        else:
            raise InvalidArgumentError("source", str(item), N_("give the path of an existing .ics"))
    return paths


def _zone(timezone: str | None) -> zoneinfo.ZoneInfo | None:
    if timezone is None:
        return None
    try:
        return zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidArgumentError(
            "timezone", timezone, N_("pass an IANA zone name such as 'Europe/Paris'")
        ) from None


def _bound(name: str, value: object) -> dt.datetime | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InvalidArgumentError(
            name, value, N_("pass a date or time such as '2026-12-31'")
        ) from None
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.to_pydatetime()


def _read_file(
    path: Path, zone: zoneinfo.ZoneInfo | None, lo: dt.datetime | None, hi: dt.datetime | None
) -> tuple[list[_Event], list[tuple[str, int, str]], int]:
    """The occurrences of one file, its events set aside (file, event number, reason)."""
    try:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except ValueError as exc:
        raise DataValidationError(
            [
                Problem(
                    path.name,
                    None,
                    (),
                    N_("not a calendar file ({exc})").format(exc=exc),
                    N_("export it again"),
                )
            ]
        ) from None
    vevents: list[Any] = list(calendar.walk("VEVENT"))
    overrides: dict[str, dict[dt.datetime, tuple[int, Any]]] = {}
    for number, ev in enumerate(vevents, start=1):
        if ev.get("RECURRENCE-ID") is not None:
            rid = _utc(_when(ev, "RECURRENCE-ID", path.name, zone))
            overrides.setdefault(str(ev.get("UID", "")), {})[rid] = (number, ev)
    out: list[_Event] = []
    skipped: list[tuple[str, int, str]] = []
    masters: set[str] = set()
    used: set[int] = set()
    for number, ev in enumerate(vevents, start=1):
        if ev.get("RECURRENCE-ID") is not None:
            continue  # applied to its series below
        if ev.get("DTSTART") is None:
            skipped.append((path.name, number, "event without start (DTSTART)"))
            continue
        if not isinstance(ev["DTSTART"].dt, dt.datetime):
            skipped.append((path.name, number, "all-day event: not a session"))
            continue
        uid = str(ev.get("UID", number))
        masters.add(uid)
        occurrences = _expand(ev, path.name, number, zone, hi)
        own = overrides.get(uid, {})
        for first, recurrence in occurrences:
            number_ev = own.get(_utc(recurrence)) if recurrence is not None else None
            if number_ev is None:
                out.append(_occurrence(path.name, uid, ev, first, recurrence, zone))
            else:
                used.add(number_ev[0])
                moved = _when(number_ev[1], "DTSTART", path.name, zone)
                out.append(_occurrence(path.name, uid, number_ev[1], moved, recurrence, zone))
        if not occurrences:
            skipped.append((path.name, number, "no occurrence in the period asked"))
    for uid, own in overrides.items():
        for rid, (number, ev) in own.items():
            if uid not in masters:  # an invitation for one occurrence, its series not sent
                begin = _when(ev, "DTSTART", path.name, zone)
                out.append(_occurrence(path.name, uid, ev, begin, rid, zone))
            elif number not in used and (hi is None or rid <= hi):
                skipped.append((path.name, number, "RECURRENCE-ID of no occurrence of its series"))
    out = [
        e
        for e in out
        if (lo is None or _utc(e.start) >= lo) and (hi is None or _utc(e.start) <= hi)
    ]
    return out, skipped, len(vevents)


def _occurrence(
    file: str,
    uid: str,
    ev: Any,
    begin: dt.datetime,
    recurrence: dt.datetime | None,
    zone: zoneinfo.ZoneInfo | None,
) -> _Event:
    """One occurrence of an event: its times, status and people as the file writes them."""
    return _Event(
        file,
        f"{file}\x00{uid}",
        begin,
        begin + _length(ev, file, zone),
        recurrence,
        _status(ev),
        _person(ev.get("ORGANIZER")),
        [a for a in map(_person, _as_list(ev.get("ATTENDEE"))) if a],
    )


def _expand(
    ev: Any,
    file: str,
    number: int,
    zone: zoneinfo.ZoneInfo | None,
    hi: dt.datetime | None,
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """(start, recurrence id) of every occurrence; recurrence id None for a single event."""
    first = _when(ev, "DTSTART", file, zone)
    rules = _as_list(ev.get("RRULE"))
    rdates = _dates(ev.get("RDATE"), first.tzinfo)
    if not rules and not rdates:
        return [(first, None)]
    rset = rruleset()
    for rule in rules:
        text = rule.to_ical().decode()
        if "COUNT=" not in text and "UNTIL=" not in text and hi is None:
            raise InvalidArgumentError(
                "end",
                None,
                N_(
                    "{file}, event {number} repeats without end (RRULE without COUNT or "
                    "UNTIL): pass end='2027-06-30' (the programme's end) to expand it up "
                    "to then"
                ).format(file=file, number=number),
            )
        rset.rrule(rrulestr(text, dtstart=first, forceset=False, ignoretz=False))
    rset.rdate(first)
    for when in rdates:
        rset.rdate(when)
    for when in _dates(ev.get("EXDATE"), first.tzinfo):
        rset.exdate(when)
    if hi is not None:
        times = rset.between(first - dt.timedelta(seconds=1), hi.astimezone(first.tzinfo), inc=True)
    else:
        times = list(rset)
    return [(t, t) for t in times]


def _when(ev: Any, key: str, file: str, zone: zoneinfo.ZoneInfo | None) -> dt.datetime:
    value = ev[key].dt
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is None:
        if zone is None:
            raise InvalidArgumentError(
                "timezone",
                None,
                N_(
                    "{file} writes floating times ({key} without zone nor TZID): pass the "
                    "zone they are meant in, e.g. timezone='Europe/Paris'"
                ).format(file=file, key=key),
            )
        value = value.replace(tzinfo=zone)
    return value


def _length(ev: Any, file: str, zone: zoneinfo.ZoneInfo | None) -> dt.timedelta:
    if ev.get("DTEND") is not None:
        return _when(ev, "DTEND", file, zone) - _when(ev, "DTSTART", file, zone)
    if ev.get("DURATION") is not None:
        return ev["DURATION"].dt
    return dt.timedelta(0)  # RFC 5545 3.6.1: a DATE-TIME start alone ends when it starts


def _dates(value: object, tz: dt.tzinfo | None) -> list[dt.datetime]:
    out: list[dt.datetime] = []
    for group in _as_list(value):
        for item in getattr(group, "dts", []):
            when = item.dt
            if isinstance(when, tuple):  # a PERIOD: its start
                when = when[0]
            if isinstance(when, dt.datetime):
                out.append(when if when.tzinfo is not None else when.replace(tzinfo=tz))
    return out


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _status(ev: Any) -> str:
    status = str(ev.get("STATUS", "CONFIRMED")).upper()
    return status if status in _STATUSES else "CONFIRMED"


def _person(value: object) -> str | None:
    """``"CN <address>"`` of an ORGANIZER or ATTENDEE (address without ``mailto:``)."""
    if value is None:
        return None
    address = str(value)
    if address.lower().startswith("mailto:"):
        address = address[7:]
    params = getattr(value, "params", {})
    name = str(params.get("CN", "")).strip().strip('"')
    if name and address:
        return f"{name} <{address}>"
    return name or address or None


def _utc(when: dt.datetime) -> dt.datetime:
    return when.astimezone(dt.UTC)


def _assemble(
    events: list[_Event], skipped: list[tuple[str, int, str]], n_events: int, book: ContactBook
) -> PlannedSessions:
    names = sorted({n for e in events for n in [e.organiser, *e.attendees] if n})
    ids = dict(zip(names, book.resolve(names), strict=True))
    tally: dict[str, list] = {}
    rows = []
    for e in events:
        organiser = ids.get(e.organiser) if e.organiser else None
        people = {p[0] for a in e.attendees if (p := ids.get(a))}
        for alias in {a for a in [e.organiser, *e.attendees] if a and ids.get(a) is None}:
            keys = alias_keys(alias)
            entry = tally.setdefault(keys[0] if keys else alias, [mask_contact(alias), 0, set()])
            entry[1] += 1
            entry[2].add(e.file)
        lead = organiser[0] if organiser else None
        people.discard(lead)
        rows.append(
            (
                pd.Timestamp(_utc(e.start)),
                pd.Timestamp(_utc(e.end)),
                lead,
                ";".join(sorted(people)),
                e.series if len(people) + (lead is not None) >= 3 else None,
                pd.Timestamp(_utc(e.recurrence)) if e.recurrence is not None else pd.NaT,
                e.status,
            )
        )
    sessions = _table(rows)
    skips = pd.DataFrame(skipped, columns=["file", "event", "reason"]).astype({"event": "int64"})
    unresolved = pd.DataFrame(
        [(v[0], "unknown", v[1], ", ".join(sorted(v[2]))) for v in tally.values()],
        columns=["alias", "role", "n_sessions", "files"],
    ).sort_values(["n_sessions", "alias"], ascending=[False, True], ignore_index=True)
    counts = {
        "events": n_events,
        "skipped": len(skips),
        "sessions": len(sessions),
        "cancelled": int((sessions["status"] == "CANCELLED").sum()),
    }
    return PlannedSessions(sessions, unresolved, skips, counts, _report(counts, skips, unresolved))


def _table(rows: list[tuple]) -> pd.DataFrame:
    raw = pd.DataFrame(
        rows,
        columns=[
            "start",
            "end",
            "organiser_id",
            "attendee_ids",
            "_series",
            "recurrence_id",
            "status",
        ],
    )
    raw = raw.sort_values(
        ["start", "organiser_id", "attendee_ids"], kind="stable", ignore_index=True
    )
    codes, uniques = pd.factorize(raw["_series"])
    width = max(4, len(str(len(uniques))))
    labels = np.array(
        [f"G{i:0{width}d}" for i in range(1, len(uniques) + 1)] + [None], dtype=object
    )
    width = max(4, len(str(len(raw))))
    return pd.DataFrame(
        {
            "planned_session_id": pd.Series(
                [f"P{i:0{width}d}" for i in range(1, len(raw) + 1)], dtype="str"
            ),
            "start": pd.to_datetime(raw["start"], utc=True).astype("datetime64[ns, UTC]"),
            "end": pd.to_datetime(raw["end"], utc=True).astype("datetime64[ns, UTC]"),
            "duration_minutes": (
                pd.to_datetime(raw["end"], utc=True) - pd.to_datetime(raw["start"], utc=True)
            )
            .dt.total_seconds()
            .astype("float64")
            / 60,
            "organiser_id": raw["organiser_id"].astype("str"),
            "attendee_ids": raw["attendee_ids"].astype("str"),
            "session_id": pd.Series(labels[codes], dtype="str"),
            "recurrence_id": pd.to_datetime(raw["recurrence_id"], utc=True).astype(
                "datetime64[ns, UTC]"
            ),
            "status": raw["status"].astype("str"),
        }
    )[list(SESSION_COLUMNS)]


def _report(counts: Mapping[str, int], skips: pd.DataFrame, unresolved: pd.DataFrame) -> str:
    lines = [
        f"Read {counts['events']} calendar events: {counts['sessions']} planned sessions "
        f"({counts['cancelled']} cancelled); {counts['skipped']} events set aside.",
    ]
    for reason, k in skips["reason"].value_counts().items():
        lines.append(f"- {k} {reason}")
    if len(unresolved):
        lines.append(
            f"{len(unresolved)} people not resolved (add them to an alias table: alias, "
            "person_id); never guessed."
        )
    lines.append(_NEVER_KEPT)
    return "\n".join(lines)
