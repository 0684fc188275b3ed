"""Slack workspace exports: round trip of the sample, groups, threads, system messages, errors."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.exchanges.generate import BODY_SECRET, write_slack_export
from ementor_kit.exchanges.slack import parse_slack

from ._fixtures import sample_names

# "Inès D." (E025) and "Inês D." (E249) have one name key: only their e-mail tells them apart
EMAILS = {"E025": "ines.d25@example.org", "E249": "ines.d249@example.org"}
ALIASES = pd.DataFrame({"alias": list(EMAILS.values()), "person_id": list(EMAILS)})


def _chat() -> pd.DataFrame:
    log = ek.load_sample().interactions
    return log[log["channel"] == "chat"]


def _outputs(result: ek.ExchangeImport) -> str:
    parts = [result.log, result.unresolved, result.skipped, result.threads]
    return "\n".join([*(p.to_csv() for p in parts), result.report, repr(result)])


def _write(root, name, data):
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data), encoding="utf-8")


def test_sample_log_through_a_slack_zip_gives_the_same_engagement_table(tmp_path):
    prog = ek.load_sample()
    chat = _chat()
    path = write_slack_export(
        chat, sample_names(), tmp_path / "Mentorat Slack export.zip", emails=EMAILS
    )
    assert zipfile.is_zipfile(path)
    result = ek.import_exchanges(path, prog, aliases=ALIASES)
    assert len(result.unresolved) == 0
    assert result.counts["used"] == result.counts["exchanges"] == len(chat)
    assert result.counts["read"] == result.counts["used"] + result.counts["skipped"]
    pd.testing.assert_frame_equal(
        ek.engagement(result.log, prog.pairs).table, ek.engagement(chat, prog.pairs).table
    )
    # to the microsecond, not only to the minute (ts keeps them)
    log = result.log
    got = sorted(zip(log["timestamp"], log["sender_id"], log["recipient_id"], strict=True))
    stamps = pd.to_datetime(chat["timestamp"], utc=True)
    want = sorted(zip(stamps, chat["sender_id"], chat["recipient_id"], strict=True))
    assert got == want
    # the general channel's system messages are counted, never exchanges
    reasons = result.skipped["reason"].value_counts()
    people = len(set(chat["sender_id"]) | set(chat["recipient_id"]))
    assert reasons["Slack system message (channel_join)"] == people
    assert reasons["Slack system message (bot_message)"] == 1
    assert f"{people} Slack system message (channel_join)" in result.report
    # threads: a reply shares its parent's thread; messages outside threads have none
    assert result.threads["thread_id"].nunique() < len(result.threads) < len(result.log)
    pd.testing.assert_frame_equal(ek.validate(result.log, "interactions"), result.log)


def test_no_body_email_or_phone_number_reaches_any_output(tmp_path):
    names = sample_names()
    chat = _chat().head(200)
    path = write_slack_export(chat, names, tmp_path / "export", emails=EMAILS)
    text = (path / "users.json").read_text(encoding="utf-8")
    assert "@example.org" in text and "+33 6 98" in text  # the export holds them
    result = ek.import_exchanges(path, ek.load_sample(), aliases=ALIASES)
    assert result.counts["used"] == len(chat)
    out = _outputs(result)
    for secret in (BODY_SECRET, "06 98", "+33 6", "@example.org", "cv.pdf", "Rappels", "?"):
        assert secret not in out
    for name in set(names[p] for p in chat["sender_id"]):
        assert name not in out


def _tiny(root, messages, members=("U1", "U2"), users=None):
    users = users or [
        {"id": "U1", "name": "hugo", "real_name": "Hugo J.", "profile": {"email": "h@x.org"}},
        {"id": "U2", "name": "mateo", "real_name": "", "profile": {"display_name": "Mateo P."}},
        {"id": "U3", "name": "kenny", "real_name": "Kenny S.", "profile": {}},
        {
            "id": "U9",
            "name": "zoe",
            "real_name": "Zoé Inconnue",
            "profile": {"email": "zoe@elsewhere.org"},
        },
    ]
    _write(root, "users.json", users)
    _write(root, "channels.json", [{"id": "C1", "name": "binome", "members": list(members)}])
    _write(root, "binome/2026-09-12.json", messages)
    return root


def _msg(user, ts, **extra):
    return {"type": "message", "user": user, "text": "Bonjour ? 06 12 34 56 78", "ts": ts} | extra


def test_channel_message_goes_to_every_other_member_as_one_group(tmp_path):
    root = _tiny(
        tmp_path / "export",
        [
            _msg("U1", "1789221780.000100", reply_count=1, thread_ts="1789221780.000100"),
            _msg("U2", "1789221790.000000", thread_ts="1789221780.000100"),
            _msg("U3", "1789221800.000000"),
        ],
        members=("U1", "U2", "U3"),
    )
    result = ek.import_exchanges(root, ek.load_sample())
    log = result.log
    assert log[["sender_id", "recipient_id"]].values.tolist() == [
        ["M001", "E001"],
        ["M001", "E002"],
        ["E001", "M001"],
        ["E001", "E002"],
        ["E002", "M001"],
        ["E002", "E001"],
    ]
    assert log["session_id"].nunique() == 3  # one group per message
    assert (log.groupby("session_id")["timestamp"].nunique() == 1).all()
    assert log["timestamp"].iloc[0] == pd.Timestamp(1789221780000100000, tz="UTC")
    # the reply and its parent share a thread; the third message has none
    threads = result.threads.merge(log, on="interaction_id")
    assert threads["thread_id"].nunique() == 1 and len(threads) == 4


def test_unresolved_sender_is_reported_with_its_count_not_dropped(tmp_path):
    root = _tiny(
        tmp_path / "export",
        [
            _msg("U1", "1789221780.0"),
            _msg("U9", "1789221781.0"),
            _msg("U9", "1789221782.0"),
            _msg("U2", "1789221783.0", subtype="channel_join"),
        ],
        members=("U1", "U9"),
    )
    result = ek.import_exchanges(root, ek.load_sample())
    assert result.unresolved.to_dict("records") == [
        {
            "alias": "Zoé Inconnue <z…@elsewhere.org>",
            "role": "unknown",
            "n_exchanges": 3,
            "files": "export",
        }
    ]
    assert result.counts == {"read": 4, "used": 0, "skipped": 4, "exchanges": 0}
    assert result.skipped["reason"].value_counts().to_dict() == {
        "sender not among the programme's people (see unresolved)": 2,
        "recipient not among the programme's people (see unresolved)": 1,
        "Slack system message (channel_join)": 1,
    }
    assert "zoe@" not in _outputs(result)
    aliases = pd.DataFrame({"alias": ["zoe@elsewhere.org"], "person_id": ["E003"]})
    again = ek.import_exchanges(root, ek.load_sample(), aliases=aliases)
    assert again.counts["used"] == 3 and len(again.unresolved) == 0


def test_user_found_by_email_before_an_ambiguous_name(tmp_path):
    users = [
        {"id": "U1", "real_name": "Hugo J.", "profile": {}},
        {"id": "U2", "real_name": "Inès D.", "profile": {"email": "ines.d25@example.org"}},
    ]
    root = _tiny(
        tmp_path / "e", [_msg("U1", "1789221780.0"), _msg("U2", "1789221790.0")], users=users
    )
    plain = ek.import_exchanges(root, ek.load_sample())
    assert plain.unresolved["alias"].tolist() == ["Inès D. <i…@example.org>"]
    solved = ek.import_exchanges(root, ek.load_sample(), aliases=ALIASES)
    assert solved.log["sender_id"].tolist() == ["M001", "E025"]


def test_broken_exports_are_refused_with_file_and_fix(tmp_path):
    root = _tiny(tmp_path / "a", [_msg("U1", "1789221780.0")])
    (root / "binome/2026-09-13.json").write_text('[{"type": "message", "user": "U1", "ts"')
    with pytest.raises(ek.DataValidationError, match=r"binome/2026-09-13.json, line 1.*cut short"):
        ek.import_exchanges(root, ek.load_sample())
    (root / "binome/2026-09-13.json").unlink()
    (root / "users.json").unlink()
    with pytest.raises(ek.DataValidationError, match="no users.json.*Export"):
        parse_slack(root)
    root = _tiny(tmp_path / "b", [_msg("U1", "1789221780.0"), _msg("U7", "1789221790.0")])
    with pytest.raises(
        ek.DataValidationError, match=r"message 2, column 'user'.*not in users.json \(U7\)"
    ):
        parse_slack(root)
    root = _tiny(tmp_path / "c", [_msg("U1", "yesterday")])
    with pytest.raises(ek.DataValidationError, match=r"message 1, column 'ts'"):
        parse_slack(root)
    guest = _msg("U8", "1789221790.0", user_profile={"real_name": "Mateo P."})
    root = _tiny(tmp_path / "d", [_msg("U1", "1789221780.0"), guest])
    (parsed,) = parse_slack(root)  # a Slack Connect guest carries its profile
    first = parsed.rows.drop_duplicates("message")
    assert first["sender"].tolist() == ["Hugo J. <h@x.org>", "Mateo P."]
