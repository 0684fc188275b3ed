"""Calendar files: recurrences across summer-time changes, overrides, zones, people, no content.

The expected UTC times are written out by hand from the zones' rules (Europe/Paris: UTC+2 until
the last Sunday of October, 25 October 2026, then UTC+1; America/Montreal: UTC-4 until the
first Sunday of November, 1 November 2026, then UTC-5; Indian/Reunion: UTC+4 all year).

The fixtures are written by :func:`write_planned_calendar` below. One real public sample:
``samples/icalendar_america_new_york.ics``, from the test suite of the icalendar project
(BSD 2-clause, Plone Foundation; licence and origin in ``samples/README.md``).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import icalendar
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.exchanges.calendar import SESSION_COLUMNS, import_planned_sessions

from ._fixtures import sample_names

SECRET = "Appelle-moi au 06 98 76 54 32"


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def write_planned_calendar(path, pairs, *, zone="Europe/Paris", first="2026-10-07 18:00", weeks=6):
    """An ``.ics`` with one weekly series per pair (the mentor organises, the mentee attends),
    from ``first`` (local time in ``zone``) for ``weeks`` weeks; in every series the third
    occurrence is cancelled and the fourth moved one day later at 17:30 (RECURRENCE-ID
    overrides). Titles, descriptions and locations hold :data:`SECRET`."""
    names = sample_names()
    tz = zoneinfo.ZoneInfo(zone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//ementor-kit tests//FR")
    cal.add("version", "2.0")
    start = dt.datetime.fromisoformat(first).replace(tzinfo=tz)
    for n, (mentor, mentee) in enumerate(pairs):
        uid = f"serie-{n}@example.org"

        def event(begin, recurrence=None, status=None, uid=uid, mentor=mentor, mentee=mentee):
            ev = icalendar.Event()
            ev.add("uid", uid)
            ev.add("dtstamp", dt.datetime(2026, 9, 1, tzinfo=dt.UTC))
            ev.add("dtstart", begin)
            ev.add("dtend", begin + dt.timedelta(hours=1))
            ev.add("summary", f"Mentorat - {SECRET}")
            ev.add("description", SECRET)
            ev.add("location", "12 rue des Lilas, Paris")
            organiser = icalendar.vCalAddress(f"mailto:{mentor.lower()}@example.org")
            organiser.params["cn"] = names[mentor]
            ev.add("organizer", organiser)
            attendee = icalendar.vCalAddress(f"mailto:{mentee.lower()}@example.org")
            attendee.params["cn"] = names[mentee]
            ev.add("attendee", attendee)
            if recurrence is not None:
                ev.add("recurrence-id", recurrence)
            if status:
                ev.add("status", status)
            return ev

        series = event(start)
        series.add("rrule", {"freq": "weekly", "count": weeks})
        cal.add_component(series)
        third, fourth = start + dt.timedelta(weeks=2), start + dt.timedelta(weeks=3)
        cal.add_component(event(third, recurrence=third, status="CANCELLED"))
        moved = (fourth + dt.timedelta(days=1)).replace(hour=17, minute=30)
        cal.add_component(event(moved, recurrence=fourth))
    cal.add_missing_timezones()  # VTIMEZONE components, as calendar programs write them
    path.write_bytes(cal.to_ical())
    return path


def _pairs(n=2):
    pairs = ek.load_sample().pairs
    return list(zip(pairs["mentor_id"], pairs["mentee_id"], strict=True))[:n]


def _ics(tmp_path, body, name="c.ics"):
    path = tmp_path / name
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + body + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return path


def _event(lines, uid="u1"):
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260901T000000Z\r\n"
        + "".join(f"{line}\r\n" for line in lines)
        + "ORGANIZER;CN=Hugo J.:mailto:hugo@example.org\r\n"
        "ATTENDEE;CN=Mateo P.:mailto:mateo@example.org\r\nEND:VEVENT\r\n"
    )


def test_weekly_paris_series_keeps_local_time_across_october_change(tmp_path):
    pairs = _pairs(2)
    path = write_planned_calendar(tmp_path / "mentorat.ics", pairs)
    planned = import_planned_sessions(path, ek.load_sample())
    s = planned.sessions
    assert list(s.columns) == list(SESSION_COLUMNS)
    assert str(s["start"].dtype) == "datetime64[ns, UTC]"
    mentor, mentee = pairs[0]
    one = s[s["organiser_id"] == mentor].reset_index(drop=True)
    assert (one["attendee_ids"] == mentee).all()
    assert one["start"].tolist() == [
        _utc("2026-10-07 16:00"),  # 18:00 summer time (UTC+2)
        _utc("2026-10-14 16:00"),
        _utc("2026-10-21 16:00"),  # cancelled
        _utc("2026-10-29 16:30"),  # moved: Thursday 17:30, winter time (UTC+1)
        _utc("2026-11-04 17:00"),  # 18:00 winter time: UTC moved by an hour
        _utc("2026-11-11 17:00"),
    ]
    local = one["start"].dt.tz_convert("Europe/Paris").dt.strftime("%H:%M").tolist()
    assert local == ["18:00", "18:00", "18:00", "17:30", "18:00", "18:00"]
    assert one["status"].tolist() == ["CONFIRMED"] * 2 + ["CANCELLED"] + ["CONFIRMED"] * 3
    assert one["recurrence_id"][3] == _utc("2026-10-28 17:00")  # the occurrence it replaces
    assert (one["duration_minutes"] == 60).all()
    assert one["session_id"].isna().all()  # a pair, not a group
    assert planned.counts == {"events": 6, "skipped": 0, "sessions": 12, "cancelled": 2}
    assert len(planned.unresolved) == 0
    assert s["planned_session_id"].tolist() == [f"P{i:04d}" for i in range(1, 13)]


def test_montreal_series_moves_in_utc_on_its_own_date(tmp_path):
    path = write_planned_calendar(
        tmp_path / "m.ics", _pairs(1), zone="America/Montreal", first="2026-10-22 18:00", weeks=3
    )
    s = import_planned_sessions(path, ek.load_sample()).sessions
    # Paris changed on 25 October; Montreal keeps UTC-4 until 1 November
    assert s["start"].tolist() == [
        _utc("2026-10-22 22:00"),
        _utc("2026-10-29 22:00"),
        _utc("2026-11-05 23:00"),  # the cancelled third occurrence, after Montreal's change
    ]


def test_reunion_has_no_summer_time(tmp_path):
    path = write_planned_calendar(tmp_path / "r.ics", _pairs(1), zone="Indian/Reunion", weeks=6)
    s = import_planned_sessions(path, ek.load_sample()).sessions
    regular = s[s["start"].dt.tz_convert("Indian/Reunion").dt.strftime("%H:%M") == "18:00"]
    assert len(regular) == 5
    assert (regular["start"].dt.strftime("%H:%M") == "14:00").all()  # UTC+4 all year


def test_no_content_and_no_address_reaches_any_output(tmp_path):
    path = write_planned_calendar(tmp_path / "mentorat.ics", _pairs(2))
    planned = import_planned_sessions(path, ek.load_sample())
    text = "\n".join(
        [
            planned.sessions.to_csv(),
            planned.unresolved.to_csv(),
            planned.skipped.to_csv(),
            planned.report,
            repr(planned),
        ]
    )
    for secret in (SECRET, "06 98", "Lilas", "Mentorat", "example.org", "serie-", "mailto"):
        assert secret not in text


def test_unresolved_attendee_reported_with_count_never_guessed(tmp_path):
    body = _event(
        [
            "DTSTART:20261105T170000Z",
            "DURATION:PT45M",
            "RRULE:FREQ=WEEKLY;COUNT=3",
            "ATTENDEE;CN=Nobody Z.:mailto:nobody.z@example.org",
        ]
    )
    planned = import_planned_sessions(_ics(tmp_path, body), ek.load_sample())
    assert planned.unresolved.to_dict("records") == [
        {
            "alias": "Nobody Z. <n…@example.org>",
            "role": "unknown",
            "n_sessions": 3,
            "files": "c.ics",
        }
    ]
    assert planned.sessions["attendee_ids"].tolist() == ["E001"] * 3
    assert planned.sessions["duration_minutes"].tolist() == [45.0] * 3
    aliases = pd.DataFrame({"alias": ["nobody.z@example.org"], "person_id": ["E002"]})
    again = import_planned_sessions(_ics(tmp_path, body), ek.load_sample(), aliases=aliases)
    assert len(again.unresolved) == 0
    assert again.sessions["attendee_ids"].tolist() == ["E001;E002"] * 3
    assert again.sessions["session_id"].tolist() == ["G0001"] * 3  # three people: a group


def test_floating_times_need_a_zone(tmp_path):
    path = _ics(tmp_path, _event(["DTSTART:20261105T180000", "DTEND:20261105T190000"]))
    with pytest.raises(ek.InvalidArgumentError, match=r"c.ics writes floating times.*timezone="):
        import_planned_sessions(path, ek.load_sample())
    s = import_planned_sessions(path, ek.load_sample(), timezone="Europe/Paris").sessions
    assert s["start"].tolist() == [_utc("2026-11-05 17:00")]
    with pytest.raises(ek.InvalidArgumentError, match="IANA"):
        import_planned_sessions(path, ek.load_sample(), timezone="Paris/Nowhere")


def test_endless_rule_needs_an_end(tmp_path):
    body = _event(["DTSTART;TZID=Europe/Paris:20261007T180000", "RRULE:FREQ=WEEKLY"])
    path = _ics(tmp_path, body)
    with pytest.raises(ek.InvalidArgumentError, match="repeats without end.*end="):
        import_planned_sessions(path, ek.load_sample())
    s = import_planned_sessions(path, ek.load_sample(), end="2026-11-04 23:00").sessions
    assert len(s) == 5  # 7, 14, 21, 28 October and 4 November
    s = import_planned_sessions(
        path, ek.load_sample(), start="2026-10-20", end="2026-11-04 23:00"
    ).sessions
    assert s["start"].tolist() == [
        _utc("2026-10-21 16:00"),
        _utc("2026-10-28 17:00"),
        _utc("2026-11-04 17:00"),
    ]


def test_until_exdate_and_rdate(tmp_path):
    body = _event(
        [
            "DTSTART;TZID=Europe/Paris:20261007T180000",
            "DTEND;TZID=Europe/Paris:20261007T183000",
            "RRULE:FREQ=WEEKLY;UNTIL=20261028T170000Z",
            "EXDATE;TZID=Europe/Paris:20261014T180000",
            "RDATE;TZID=Europe/Paris:20261030T090000",
        ]
    )
    s = import_planned_sessions(_ics(tmp_path, body), ek.load_sample()).sessions
    assert s["start"].tolist() == [
        _utc("2026-10-07 16:00"),
        _utc("2026-10-21 16:00"),
        _utc("2026-10-28 17:00"),  # UNTIL is inclusive
        _utc("2026-10-30 08:00"),
    ]
    assert (s["duration_minutes"] == 30).all()


def test_all_day_events_are_reported_not_sessions(tmp_path):
    body = _event(["DTSTART;VALUE=DATE:20261101", "DTEND;VALUE=DATE:20261102"])
    planned = import_planned_sessions(_ics(tmp_path, body), ek.load_sample())
    assert len(planned.sessions) == 0
    assert planned.skipped.to_dict("records") == [
        {"file": "c.ics", "event": 1, "reason": "all-day event: not a session"}
    ]
    assert "1 all-day event" in planned.report


def test_folder_and_several_files(tmp_path):
    write_planned_calendar(tmp_path / "a.ics", _pairs(1))
    write_planned_calendar(tmp_path / "b.ics", _pairs(2)[1:])
    (tmp_path / "notes.txt").write_text("not a calendar")
    by_folder = import_planned_sessions(tmp_path, ek.load_sample())
    by_files = import_planned_sessions([tmp_path / "a.ics", tmp_path / "b.ics"], ek.load_sample())
    pd.testing.assert_frame_equal(by_folder.sessions, by_files.sessions)
    assert len(by_folder.sessions) == 12
    with pytest.raises(ek.InvalidArgumentError):
        import_planned_sessions(tmp_path / "missing.ics", ek.load_sample())
    with pytest.raises(ek.InvalidArgumentError):
        import_planned_sessions([], ek.load_sample())


def test_vtimezone_with_a_windows_name(tmp_path):
    vtimezone = (
        "BEGIN:VTIMEZONE\r\nTZID:Romance Standard Time\r\n"
        "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    )
    body = vtimezone + _event(
        [
            "DTSTART;TZID=Romance Standard Time:20261021T180000",
            "DTEND;TZID=Romance Standard Time:20261021T190000",
            "RRULE:FREQ=WEEKLY;COUNT=2",
        ]
    )
    s = import_planned_sessions(_ics(tmp_path, body), ek.load_sample()).sessions
    assert s["start"].tolist() == [_utc("2026-10-21 16:00"), _utc("2026-10-28 17:00")]


def test_override_without_its_series_and_override_of_no_occurrence(tmp_path):
    alone = _event(
        [
            "RECURRENCE-ID;TZID=Europe/Paris:20261104T180000",
            "DTSTART;TZID=Europe/Paris:20261105T180000",
            "DTEND;TZID=Europe/Paris:20261105T190000",
        ],
        uid="sent-alone",
    )
    series = _event(["DTSTART:20261007T160000Z", "RRULE:FREQ=WEEKLY;COUNT=2"], uid="s")
    stray = _event(
        ["RECURRENCE-ID:20261021T160000Z", "DTSTART:20261022T160000Z", "STATUS:CANCELLED"],
        uid="s",
    )
    planned = import_planned_sessions(_ics(tmp_path, alone + series + stray), ek.load_sample())
    assert planned.sessions["start"].tolist() == [
        _utc("2026-10-07 16:00"),
        _utc("2026-10-14 16:00"),
        _utc("2026-11-05 17:00"),  # the invitation of one moved occurrence is a planned session
    ]
    assert planned.sessions["recurrence_id"].tolist()[2] == _utc("2026-11-04 17:00")
    assert planned.skipped[["event", "reason"]].values.tolist() == [
        [3, "RECURRENCE-ID of no occurrence of its series"]
    ]


def test_a_file_that_is_no_calendar_is_refused_naming_it(tmp_path):
    path = tmp_path / "agenda.ics"
    path.write_text("this is not a calendar\n", encoding="utf-8")
    with pytest.raises(ek.EmentorKitError, match="agenda.ics"):
        import_planned_sessions(path, ek.load_sample())


def test_real_public_sample_with_a_custom_vtimezone():
    sample = Path(__file__).parent / "samples" / "icalendar_america_new_york.ics"
    planned = import_planned_sessions(sample, ek.load_sample())
    s = planned.sessions
    # 29 August 2014, 08:00-10:00 in the file's VTIMEZONE (EDT, UTC-4 that day)
    assert s["start"].tolist() == [_utc("2014-08-29 12:00")]
    assert s["duration_minutes"].tolist() == [120.0]
    assert s["organiser_id"].isna().all() and s["attendee_ids"].tolist() == [""]
    assert "custom tz name" not in s.to_csv() + planned.report
