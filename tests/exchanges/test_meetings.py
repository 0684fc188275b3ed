"""Zoom and Meet reports: group meetings become one session, rejoins merge, leaders."""

from __future__ import annotations

import pandas as pd

import ementor_kit as ek
from ementor_kit.exchanges.generate import write_zoom_report
from ementor_kit.exchanges.meetings import parse_meet


def test_zoom_group_meeting_is_one_session_with_one_row_per_attendee(tmp_path):
    t = pd.Timestamp("2026-09-12T16:00:00Z")
    m = pd.Timedelta(minutes=1)
    people = pd.DataFrame(
        {
            "name": ["Hugo J.", "Mateo P.", "Kenny S.", "Mateo P.", "Visitor"],
            "email": ["", "", "", "", ""],
            "join": [t, t + 2 * m, t + 5 * m, t + 30 * m, t],
            "leave": [t + 60 * m, t + 20 * m, t + 60 * m, t + 60 * m, t + 10 * m],
        }
    )
    path = write_zoom_report(people, tmp_path / "participants.csv")
    result = ek.import_exchanges(path, ek.load_sample(), timezone="Europe/Paris")
    log = result.log
    assert log[["sender_id", "recipient_id", "channel", "duration_minutes"]].values.tolist() == [
        ["M001", "E001", "video", 48.0],
        ["M001", "E002", "video", 55.0],
    ]
    assert log["session_id"].nunique() == 1 and log["session_id"].notna().all()
    assert (log["timestamp"] == t).all()
    assert result.unresolved["alias"].tolist() == ["Visitor"]
    assert result.counts["read"] == 5 == result.counts["used"] + result.counts["skipped"]
    ek.validate(log, "interactions")


def test_meet_attendance_with_date_in_file_name(tmp_path):
    path = tmp_path / "Mentorat 2026-09-12.csv"
    path.write_text(
        "First name,Last name,Email,Duration,Time joined,Time exited\n"
        "Hugo,J.,,1 hr 2 min,6:00 PM,7:02 PM\nMateo,P.,,58 min,6:04 PM,7:02 PM\n",
        encoding="utf-8",
    )
    (parsed,) = parse_meet(path)
    assert parsed.rows["timestamp"].iloc[0] == pd.Timestamp("2026-09-12 18:00")
    result = ek.import_exchanges(path, ek.load_sample(), timezone="Europe/Paris")
    assert result.log[["sender_id", "recipient_id", "duration_minutes"]].values.tolist() == [
        ["M001", "E001", 58.0]
    ]
    assert result.log["session_id"].isna().all()
