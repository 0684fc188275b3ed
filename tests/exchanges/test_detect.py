"""Format detection."""

from __future__ import annotations

import json
import shutil

import pytest

import ementor_kit as ek
from ementor_kit.exchanges.detect import exchange_format


def test_formats_are_told_from_name_and_first_bytes(tmp_path):
    (tmp_path / "a.txt").write_text("[12/09/2026, 14:03:27] Hugo J.: Hi\n")
    (tmp_path / "b.mbox").write_text("From x Sat Sep 12 14:03:00 2026\nFrom: a@b.c\n\n")
    (tmp_path / "c.csv").write_text("Name (Original Name),User Email,Join Time,Leave Time\n")
    (tmp_path / "d.csv").write_text("First name,Last name,Email,Duration,Time joined\n")
    (tmp_path / "e.csv").write_text("when,from,to\n")
    (tmp_path / "f.bin").write_text("nothing")
    got = [exchange_format(tmp_path / n) for n in ("a.txt", "b.mbox", "c.csv", "d.csv", "e.csv")]
    assert got == ["whatsapp", "email", "zoom", "meet", "csv"]
    with pytest.raises(ek.InvalidArgumentError, match="format="):
        exchange_format(tmp_path / "f.bin")


def _slack(root):
    root.mkdir()
    (root / "users.json").write_text(json.dumps([{"id": "U1", "real_name": "Hugo J."}]))
    (root / "dms.json").write_text(json.dumps([{"id": "D1", "members": ["U1"]}]))
    return root


def test_slack_teams_and_the_other_formats_are_told_by_content(tmp_path):
    folder = _slack(tmp_path / "export")
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", tmp_path, "export")
    (tmp_path / "report.csv").write_bytes(
        "1. Summary\nMeeting title\tX\n\n2. Participants\n"
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\n".encode("utf-16")
    )
    (tmp_path / "old.csv").write_text(
        "Meeting Summary\n\nFull Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\t"
        "Participant ID (UPN)\n"
    )  # the 2021 layout has Zoom's column names: still Teams
    (tmp_path / "fr.csv").write_bytes(
        "Nom\tPremière participation\tDernier départ\tDurée de la réunion\n".encode("utf-16-le")
    )
    (tmp_path / "chat.json").write_text(
        '{"@odata.context": "x", "value": [{"messageType": "message", '
        '"createdDateTime": "2026-09-12T12:03:00Z"}]}'
    )
    (tmp_path / "other.json").write_text('{"a": 1}')
    got = [
        exchange_format(p)
        for p in (
            folder,
            archive,
            tmp_path / "report.csv",
            tmp_path / "old.csv",
            tmp_path / "fr.csv",
            tmp_path / "chat.json",
        )
    ]
    assert got == [
        "slack",
        "slack",
        "teams-attendance",
        "teams-attendance",
        "teams-attendance",
        "teams-chat",
    ]
    with pytest.raises(ek.InvalidArgumentError, match="teams-chat"):
        exchange_format(tmp_path / "other.json")


def test_calendar_files_are_refused_naming_the_planned_sessions_reader(tmp_path):
    ics = tmp_path / "mentorat.ics"
    ics.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n")
    hidden = tmp_path / "invitation.txt"
    hidden.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n")
    for path in (ics, hidden):
        with pytest.raises(ek.InvalidArgumentError, match="planned sessions") as err:
            exchange_format(path)
        assert "ementor_kit.exchanges.import_planned_sessions" in str(err.value)
        with pytest.raises(ek.InvalidArgumentError, match="import_planned_sessions"):
            ek.import_exchanges(path, ek.load_sample(), format="whatsapp")
