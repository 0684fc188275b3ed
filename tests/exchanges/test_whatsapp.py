"""WhatsApp exports: layouts, clocks, system lines, multi-line messages, .zip, day/month order."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.exchanges.generate import BODY_SECRET, LAYOUTS, write_whatsapp_export
from ementor_kit.exchanges.whatsapp import looks_like_whatsapp, parse_whatsapp

from ._fixtures import ZONE, chat_pairs, exchanges, sample_names

FR = (
    "12/09/2026 14:03 - Les messages et les appels sont chiffrés de bout en bout.\n"
    "12/09/2026 14:03 - Hugo J. : Bonjour Mateo, appelle-moi au 06 12 34 56 78\n"
    "deuxième ligne\n"
    "\n"
    "troisième ligne\n"
    "13/09/2026 09:10 - Mateo P. : Merci !\n"
    "13/09/2026 09:11 - Mateo P. : <Médias omis>\n"
    "13/09/2026 09:12 - Mateo P. : Ce message a été supprimé\n"
)
EN12 = (
    "[9/13/26, 2:03:27\u202fPM] Hugo J.: \u200eMessages and calls are end-to-end encrypted.\n"
    "[9/13/26, 2:03:27\u202fPM] Hugo J.: Hello, how are you?\n"
    "[9/13/26, 12:05:00\u202fAM] Mateo P.: \u200eimage omitted\n"
    "[9/14/26, 12:10:00\u202fPM] Mateo P.: Fine, thanks\n"
)


def test_french_android_layout(tmp_path):
    path = tmp_path / "WhatsApp Chat with Mateo P..txt"
    path.write_text(FR, encoding="utf-8")
    (parsed,) = parse_whatsapp(path)
    assert parsed.read == 5
    assert parsed.rows[["line", "sender", "recipient"]].values.tolist() == [
        [2, "Hugo J.", "Mateo P."],
        [6, "Mateo P.", "Hugo J."],
    ]
    assert parsed.rows["timestamp"].tolist() == [
        pd.Timestamp("2026-09-12 14:03"),
        pd.Timestamp("2026-09-13 09:10"),
    ]
    assert parsed.skipped[["line", "reason"]].values.tolist() == [
        [1, "system line (no sender)"],
        [7, "media placeholder"],
        [8, "deleted message"],
    ]


def test_english_iphone_12_hour_layout_month_first(tmp_path):
    path = tmp_path / "_chat.txt"
    path.write_text(EN12, encoding="utf-8")
    (parsed,) = parse_whatsapp(path)
    assert parsed.rows["timestamp"].tolist() == [
        pd.Timestamp("2026-09-13 14:03:27"),
        pd.Timestamp("2026-09-14 12:10:00"),
    ]
    assert parsed.skipped["reason"].tolist() == ["system notice", "media placeholder"]
    assert "month first" in parsed.notes[0]


def test_zip_export_reads_the_chat_and_not_the_media(tmp_path):
    path = tmp_path / "WhatsApp Chat - Mateo P..zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("_chat.txt", FR)
        z.writestr("00000012-PHOTO-2026-09-13.jpg", b"\xff\xd8")
    (parsed,) = parse_whatsapp(path)
    assert len(parsed.rows) == 2
    assert any("1 media file" in n for n in parsed.notes)


def test_ambiguous_day_month_order_is_refused_not_guessed(tmp_path):
    path = tmp_path / "chat.txt"
    # every part 12 or less, and both orders are chronological
    path.write_text(
        "01/02/2026 10:00 - Hugo J. : a\n01/03/2026 10:00 - Mateo P. : b\n", encoding="utf-8"
    )
    with pytest.raises(ek.DataValidationError, match="dayfirst=True"):
        parse_whatsapp(path)
    (parsed,) = parse_whatsapp(path, dayfirst=True)
    assert parsed.rows["timestamp"].dt.month.tolist() == [2, 3]
    (parsed,) = parse_whatsapp(path, dayfirst=False)
    assert parsed.rows["timestamp"].dt.day.tolist() == [2, 3]


def test_order_told_by_chronology_and_contradiction_refused(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "02/01/2026 10:00 - Hugo J. : a\n01/02/2026 10:00 - Mateo P. : b\n", encoding="utf-8"
    )
    (parsed,) = parse_whatsapp(path)  # day first would go back in time
    assert parsed.rows["timestamp"].dt.month.tolist() == [1, 2]
    path.write_text("13/01/2026 10:00 - Hugo J. : a\n", encoding="utf-8")
    with pytest.raises(ek.DataValidationError, match="contradicts"):
        parse_whatsapp(path, dayfirst=False)


def test_impossible_time_names_file_line_and_field(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("12/09/2026 25:03 - Hugo J. : a\n", encoding="utf-8")
    with pytest.raises(ek.DataValidationError, match=r"chat.txt, line 1, column 'time'"):
        parse_whatsapp(path)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_generated_layout_round_trips(tmp_path, layout):
    names = sample_names()
    (mentor, mentee), log = next(iter(chat_pairs(1).items()))
    path = write_whatsapp_export(
        log,
        names,
        tmp_path / f"WhatsApp Chat with {names[mentee]}.txt",
        layout=layout,
        media_every=7,
    )
    assert looks_like_whatsapp(path.read_text(encoding="utf-8"))
    result = ek.import_exchanges(path, ek.load_sample(), timezone=ZONE)
    assert exchanges(result.log) == exchanges(log)
    assert result.counts["read"] == result.counts["used"] + result.counts["skipped"]
    assert result.counts["used"] == len(log)


def test_no_body_text_or_phone_number_reaches_any_output(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(FR, encoding="utf-8")
    result = ek.import_exchanges(path, ek.load_sample(), timezone=ZONE)
    outputs = "\n".join(
        [
            result.log.to_csv(),
            result.unresolved.to_csv(),
            result.skipped.to_csv(),
            result.threads.to_csv(),
            result.report,
            repr(result),
        ]
    )
    for secret in (
        "Bonjour",
        "06 12 34 56 78",
        "0612345678",
        "Merci",
        "deuxième",
        "Médias",
        "Hugo",
        "Mateo",
        BODY_SECRET,
    ):
        assert secret not in outputs


@pytest.mark.parametrize(
    "damaged",
    [
        "12/09/2026 - Hugo J. : b",  # the time lost
        "12/09/20",  # cut
        "12/09/2026 14:\u200b03 - Hugo J. : b",  # an invisible character in the time
        "[12/09/2026 =1+1 14:03] Hugo J.: b",  # a formula
    ],
)
def test_line_starting_with_a_date_but_no_header_is_reported_never_merged(tmp_path, damaged):
    path = tmp_path / "WhatsApp Chat with Mateo P..txt"
    path.write_text(
        f"12/09/2026 14:03 - Hugo J. : a\nsuite\n{damaged}\n13/09/2026 14:05 - Mateo P. : c\n",
        encoding="utf-8",
    )
    (parsed,) = parse_whatsapp(path)
    assert parsed.read == 3
    assert parsed.rows["line"].tolist() == [1, 4]
    assert parsed.skipped["line"].tolist() == [3]
    assert parsed.skipped["reason"].iloc[0].startswith("unreadable header line")
    assert any("line 3" in note for note in parsed.notes)


def test_continuation_lines_without_a_leading_date_still_continue(tmp_path):
    path = tmp_path / "WhatsApp Chat with Mateo P..txt"
    path.write_text(
        "12/09/2026 14:03 - Hugo J. : a\nle 12/09/2026 ou 13/09\n14:05 ok\n"
        "13/09/2026 14:05 - Mateo P. : c\n",
        encoding="utf-8",
    )
    (parsed,) = parse_whatsapp(path)
    assert (parsed.read, len(parsed.skipped), len(parsed.notes)) == (2, 0, 1)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_exports_are_decoded(tmp_path, encoding):
    path = tmp_path / "WhatsApp Chat with Mateo P..txt"
    path.write_bytes(FR.encode(encoding))
    (parsed,) = parse_whatsapp(path)
    assert parsed.read == 5
    assert parsed.rows["line"].tolist() == [2, 6]
