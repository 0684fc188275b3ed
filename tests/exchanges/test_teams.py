"""Teams: attendance reports (UTF-16, English and French) and Graph chat messages."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.exchanges.generate import (
    BODY_SECRET,
    teams_user_id,
    write_teams_attendance_report,
    write_teams_chat_export,
)
from ementor_kit.exchanges.teams import decode, parse_teams_attendance, parse_teams_chat

from ._fixtures import ZONE, sample_names

M = pd.Timedelta(minutes=1)


def _meeting(start: str) -> pd.DataFrame:
    t = pd.Timestamp(start)
    return pd.DataFrame(
        {
            "name": ["Hugo J.", "Mateo P.", "Kenny S.", "Mateo P.", "Visiteur"],
            "email": ["hugo@x.org", "", "", "", "v@elsewhere.org"],
            "join": [t, t + 2 * M, t + 5 * M, t + 30 * M, t],
            "leave": [t + 60 * M, t + 20 * M, t + 60 * M, t + 60 * M, t + 10 * M],
        }
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_attendance_report_is_one_group_session_with_in_meeting_minutes(tmp_path, language):
    people = _meeting("2026-09-15T16:00:00Z")  # 15 September: the dates tell the order
    path = write_teams_attendance_report(
        people,
        tmp_path / "Mentorat - Attendance report.csv",
        organizer="Hugo J.",
        language=language,
    )
    raw = path.read_bytes()
    assert raw.startswith(b"\xff\xfe") and b"\t\x00" in raw  # UTF-16 LE, tab-separated
    result = ek.import_exchanges(path, ek.load_sample(), timezone=ZONE)
    log = result.log
    # minutes computed independently from the stays written (rejoins added up)
    stays = people.assign(minutes=(people["leave"] - people["join"]).dt.total_seconds() / 60)
    minutes = stays.groupby("name")["minutes"].sum()
    assert log[["sender_id", "recipient_id", "channel", "duration_minutes"]].values.tolist() == [
        ["M001", "E001", "video", minutes["Mateo P."]],
        ["M001", "E002", "video", minutes["Kenny S."]],
    ]
    assert log["session_id"].nunique() == 1 and log["session_id"].notna().all()
    assert (log["timestamp"] == people["join"].min()).all()
    assert result.unresolved["alias"].tolist() == ["Visiteur <v…@elsewhere.org>"]
    assert result.counts["read"] == result.counts["used"] + result.counts["skipped"] == 4
    assert "hugo@" not in result.report + result.unresolved.to_csv() + log.to_csv()
    ek.validate(log, "interactions")


def test_day_and_month_order_is_refused_when_nothing_tells_it(tmp_path):
    people = _meeting("2026-09-12T16:00:00Z").head(2)
    path = write_teams_attendance_report(people, tmp_path / "r.csv", organizer="Hugo J.")
    assert "9/12/26, 6:00:00 PM" in decode(path.read_bytes())
    with pytest.raises(ek.DataValidationError, match="dayfirst=False"):
        parse_teams_attendance(path)
    (parsed,) = parse_teams_attendance(path, dayfirst=False)
    assert parsed.rows["timestamp"].iloc[0] == pd.Timestamp("2026-09-12 18:00")
    with pytest.raises(ek.DataValidationError, match="contradicts"):
        parse_teams_attendance(
            write_teams_attendance_report(_meeting("2026-09-15T16:00:00Z"), tmp_path / "s.csv"),
            dayfirst=True,
        )
    # French headers: the day comes first
    fr = write_teams_attendance_report(people, tmp_path / "fr.csv", language="fr")
    (parsed,) = parse_teams_attendance(fr)
    assert parsed.rows["timestamp"].iloc[0] == pd.Timestamp("2026-09-12 18:00")


def test_real_layout_of_a_public_report_is_read(tmp_path):
    """The layout of a downloaded report (UTF-8 copy, 24-hour European dates, 2022)."""
    path = tmp_path / "IDL.csv"
    path.write_text(
        "1. Summary\nMeeting title\tPoint mensuel\nAttended participants\t2\n"
        "Start time\t15/11/22, 09:30:17\nEnd time\t15/11/22, 09:41:47\n"
        "Meeting duration\t11m 31s\nAverage attendance time\t9m 45s\n\n2. Participants\n"
        "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tParticipant ID (UPN)\tRole\n"
        "HUGO J. (EXT)\t15/11/22, 09:30:47\t15/11/22, 09:41:46\t10m 59s\t\t\tOrganizer\n"
        "Mateo P.\t15/11/22, 09:31:11\t15/11/22, 09:41:45\t10m 34s\tm@x.org\tm@x.org\tPresenter\n"
        "\n3. In-Meeting activities\nName\tJoin time\tLeave time\tDuration\tEmail\tRole\n"
        "Mateo P.\t15/11/22, 09:31:11\t15/11/22, 09:41:45\t10m 34s\tm@x.org\tPresenter\n",
        encoding="utf-8",
    )
    aliases = pd.DataFrame({"alias": ["HUGO J. (EXT)"], "person_id": ["M001"]})
    result = ek.import_exchanges(path, ek.load_sample(), timezone=ZONE, aliases=aliases)
    assert result.log[["sender_id", "recipient_id"]].values.tolist() == [["M001", "E001"]]
    assert result.log["duration_minutes"].tolist() == [pytest.approx(10 + 34 / 60)]
    assert result.log["timestamp"].iloc[0] == pd.Timestamp("2022-11-15T08:30:47Z")


def test_unreadable_reports_name_file_line_and_fix(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("Full Name\tUser Action\tTimestamp\nHugo J.\tJoined\t9/12/2026, 6:00:00 PM\n")
    with pytest.raises(ek.DataValidationError, match="2020 Teams layout"):
        ek.import_exchanges(old, ek.load_sample(), timezone=ZONE)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        "2. Participants\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tRole\n"
        "Hugo J.\t15/09/26, 18:00:00\t15/09/26, 19:00:00\tlong\tOrganizer\n".encode("utf-16")
    )
    with pytest.raises(ek.DataValidationError, match=r"bad.csv, line 3, column 'In-Meeting"):
        parse_teams_attendance(bad)


def _chat() -> pd.DataFrame:
    log = ek.load_sample().interactions
    return log[log["channel"] == "chat"]


def test_sample_log_through_graph_pages_gives_the_same_engagement_table(tmp_path):
    prog = ek.load_sample()
    chat = _chat()
    path = write_teams_chat_export(chat, sample_names(), tmp_path / "messages.json", pages=3)
    assert isinstance(json.loads(path.read_text(encoding="utf-8")), list)
    # "Inès D." and "Inês D." share a name key: the coordinator maps their Entra ids
    aliases = pd.DataFrame(
        {"alias": [teams_user_id("E025"), teams_user_id("E249")], "person_id": ["E025", "E249"]}
    )
    result = ek.import_exchanges(path, prog, aliases=aliases)
    assert len(result.unresolved) == 0 and result.counts["exchanges"] == len(chat)
    pd.testing.assert_frame_equal(
        ek.engagement(result.log, prog.pairs).table, ek.engagement(chat, prog.pairs).table
    )
    n_chats = result.skipped["reason"].eq("Teams system event (systemEventMessage)").sum()
    assert n_chats == len(
        {frozenset(p) for p in zip(chat["sender_id"], chat["recipient_id"], strict=True)}
    )
    out = result.log.to_csv() + result.report + result.skipped.to_csv() + result.threads.to_csv()
    assert BODY_SECRET not in out and "cv.pdf" not in out and "Hugo" not in out
    assert result.threads["thread_id"].nunique() < len(result.threads)


def test_chat_events_bots_deleted_and_unresolved_senders(tmp_path):
    def msg(i, who, **extra):
        user = {"id": f"u-{who}", "displayName": who}
        return {
            "id": str(i),
            "chatId": "19:x",
            "messageType": "message",
            "createdDateTime": f"2026-09-12T12:0{i}:00.123Z",
            "from": {"user": user},
            "body": {"content": "<p>Bonjour 06 12 34 56 78</p>"},
        } | extra

    path = tmp_path / "chat.json"
    path.write_text(
        json.dumps(
            [
                msg(1, "Hugo J."),
                msg(2, "Mateo P."),
                msg(3, "+33 7 11 22 33 44"),
                msg(4, "Mateo P.", deletedDateTime="2026-09-12T13:00:00Z"),
                msg(5, "Hugo J.", messageType="systemEventMessage"),
                msg(
                    6, "Bot", **{"from": {"application": {"displayName": "Rappels"}, "user": None}}
                ),
            ]
        )
    )
    result = ek.import_exchanges(path, ek.load_sample())
    assert result.unresolved[["alias", "n_exchanges"]].values.tolist() == [["phone ending 44", 3]]
    assert result.skipped["reason"].value_counts().to_dict() == {
        "sender not among the programme's people (see unresolved)": 1,
        "deleted message": 1,
        "Teams system event (systemEventMessage)": 1,
        "application (bot) message": 1,
    }
    assert result.log[["sender_id", "recipient_id"]].values.tolist() == [
        ["M001", "E001"],
        ["E001", "M001"],
    ]
    assert result.log["timestamp"].iloc[0] == pd.Timestamp("2026-09-12T12:01:00.123Z")
    assert "11 22 33" not in result.report + result.unresolved.to_csv()


def test_bad_chat_json_is_refused_with_file_and_fix(tmp_path):
    path = tmp_path / "chat.json"
    path.write_text('{"value": [{"id": "1", "createdDateTime": "2026-09-12T12:0')
    with pytest.raises(ek.DataValidationError, match=r"chat.json, line 1.*Graph"):
        parse_teams_chat(path)
    path.write_text('{"something": 1}')
    with pytest.raises(ek.DataValidationError, match="no Microsoft Graph chat messages"):
        parse_teams_chat(path)
    path.write_text(
        json.dumps(
            [
                {
                    "messageType": "message",
                    "createdDateTime": "hier",
                    "from": {"user": {"id": "a", "displayName": "Hugo J."}},
                }
            ]
        )
    )
    with pytest.raises(ek.DataValidationError, match=r"message 1, column 'createdDateTime'"):
        parse_teams_chat(path)
