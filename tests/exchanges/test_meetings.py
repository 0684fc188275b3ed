"""Zoom and Meet reports: group meetings become one session, rejoins merge, leaders."""

from __future__ import annotations

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.errors import DataValidationError
from ementor_kit.exchanges.generate import write_zoom_report
from ementor_kit.exchanges.meetings import parse_meet, parse_zoom


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


def _zoom(tmp_path):
    t = pd.Timestamp("2026-09-12T16:00:00Z")
    people = pd.DataFrame(
        {"name": ["Hugo J.", "Mateo P."], "email": ["", ""], "join": [t, t], "leave": [t, t]}
    )
    return write_zoom_report(people, tmp_path / "participants.csv")


def test_zoom_header_without_join_time_names_the_file_column_and_line(tmp_path):
    path = _zoom(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",Join Time,", ",Joined,"), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        ek.import_exchanges(path, ek.load_sample(), timezone="Europe/Paris")
    (problem,) = info.value.problems
    assert (problem.file, problem.column, problem.rows) == ("participants.csv", "Join Time", (4,))
    assert "missing" in str(problem) and "export the participant report again" in str(problem)


@pytest.mark.parametrize(
    ("old", "new", "repeated"),
    [
        ("Name (Original Name),", "Join Time,", "Join Time"),  # was: column 'Name' missing
        (",Join Time,", ",Name (Original Name),", "Name (Original Name)"),  # was: no file named
    ],
)
def test_zoom_header_repeating_a_column_name_says_so(tmp_path, old, new, repeated):
    path = _zoom(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(DataValidationError, match="repeats the column name") as info:
        parse_zoom(path)
    assert info.value.problems[0].column == repeated
    assert info.value.problems[0].rows == (4,)
