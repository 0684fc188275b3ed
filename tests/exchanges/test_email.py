"""E-mail: mbox with a reply chain, .eml folders, duplicates, threads, headers only."""

from __future__ import annotations

import pandas as pd

import ementor_kit as ek
from ementor_kit.exchanges.email import parse_email
from ementor_kit.exchanges.generate import BODY_SECRET, write_mbox_export

ALIASES = pd.DataFrame(
    {"alias": ["hugo@example.org", "mateo@example.org"], "person_id": ["M001", "E001"]}
)


def _chain() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sender": [
                "Hugo J. <hugo@example.org>",
                "mateo@example.org",
                "Hugo J. <hugo@example.org>",
                "Hugo J. <hugo@example.org>",
            ],
            "to": [
                "mateo@example.org",
                "hugo@example.org",
                "mateo@example.org;coord@example.org",
                "mateo@example.org",
            ],
            "timestamp": pd.to_datetime(
                [
                    "2026-09-12T12:03:00Z",
                    "2026-09-12T18:00:00Z",
                    "2026-09-13T08:00:00Z",
                    "2026-09-20T08:00:00Z",
                ]
            ),
            "message_id": ["<1@x>", "<2@x>", "<3@x>", "<4@x>"],
            "in_reply_to": ["", "<1@x>", "<2@x>", ""],
        }
    )


def test_mbox_reply_chain_gives_one_thread(tmp_path):
    box = write_mbox_export(_chain(), tmp_path / "mentor.mbox")
    result = ek.import_exchanges(box, ek.load_sample(), aliases=ALIASES)
    log = result.log
    assert log[["sender_id", "recipient_id", "channel"]].values.tolist() == [
        ["M001", "E001", "email"],
        ["E001", "M001", "email"],
        ["M001", "E001", "email"],
        ["M001", "E001", "email"],
    ]
    assert result.threads["thread_id"].tolist() == ["T0001", "T0001", "T0001", "T0002"]
    assert result.unresolved["alias"].tolist() == ["c…@example.org"]
    assert result.counts == {"read": 4, "used": 4, "skipped": 0, "exchanges": 4}
    outputs = log.to_csv() + result.report + result.unresolved.to_csv() + result.threads.to_csv()
    assert BODY_SECRET not in outputs and "hugo@" not in outputs and "<1@x>" not in outputs


def test_eml_folder_and_duplicates(tmp_path):
    box = write_mbox_export(_chain(), tmp_path / "box.mbox")
    folder = tmp_path / "eml"
    folder.mkdir()
    import mailbox

    for i, msg in enumerate(mailbox.mbox(box)):
        (folder / f"{i}.eml").write_bytes(msg.as_bytes())
    (folder / "copy.eml").write_bytes(next(iter(mailbox.mbox(box))).as_bytes())
    (parsed,) = parse_email(folder)
    assert parsed.read == 5
    assert parsed.skipped["reason"].tolist() == [
        "duplicate (same Message-ID as an earlier message)"
    ]
    result = ek.import_exchanges(folder, ek.load_sample(), aliases=ALIASES)
    assert result.counts["read"] == result.counts["used"] + result.counts["skipped"]


_BOX = (
    b"From x Sat Sep 12 14:03:00 2026\nFrom: h@example.org\nTo: e@example.org\n"
    b"Date: Sat, 12 Sep 2026 14:03:00 +0200\nMessage-ID: <1\xe9@x>\n\nBody\n\n"
    b"From x Sat Sep 12 15:03:00 2026\nFrom: e@example.org\nTo: h@example.org\n"
    b"Date: S\xe9t, 12 Sep 2026 15:03:00 +0200\nMessage-ID: <2@x>\nIn-Reply-To: <1\xe9@x>\n\nB\n"
)


def test_non_ascii_bytes_in_headers_are_read_and_reported(tmp_path):
    path = tmp_path / "mentor.mbox"
    path.write_bytes(_BOX)
    (parsed,) = parse_email(path)  # was: AttributeError 'Header' object has no attribute 'strip'
    assert parsed.read == 2 and len(parsed.rows) == 2 and parsed.skipped.empty
    assert parsed.rows["thread"].nunique() == 1  # the reply still linked through the damaged id
    assert any("2 message(s) (number 1, 2)" in note and "U+FFFD" in note for note in parsed.notes)


def test_byte_order_mark_keeps_the_first_message(tmp_path):
    path = tmp_path / "mentor.mbox"
    path.write_bytes(b"\xef\xbb\xbf" + _BOX)
    (parsed,) = parse_email(path)
    assert parsed.read == 2  # was 1: the first 'From ' line hidden by the mark
