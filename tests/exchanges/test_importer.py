"""import_exchanges: round trip of the sample's chat pairs, zones, unresolved people, counts."""

from __future__ import annotations

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.exchanges.generate import (
    BODY_SECRET,
    write_slack_export,
    write_teams_attendance_report,
    write_whatsapp_export,
)

from ._fixtures import ZONE, chat_pairs, exchanges, sample_names


def _exports(tmp_path, layout="android_fr"):
    names = sample_names()
    pairs = chat_pairs(4)
    paths = [
        write_whatsapp_export(
            log, names, tmp_path / f"WhatsApp Chat with {names[mentee]}.txt", layout=layout
        )
        for (mentor, mentee), log in pairs.items()
    ]
    return paths, pd.concat(pairs.values())


@pytest.mark.parametrize("layout", ["android_fr", "iphone"])
def test_round_trip_of_sample_pairs_gives_the_same_exchanges(tmp_path, layout):
    paths, original = _exports(tmp_path, layout)
    result = ek.import_exchanges(paths, ek.load_sample(), timezone=ZONE)
    assert exchanges(result.log) == exchanges(original)
    assert result.counts["read"] == result.counts["used"] + result.counts["skipped"]
    assert len(result.unresolved) == 0
    prog = ek.load_sample()
    eng = ek.engagement(result.log, prog.pairs)  # feeds engagement unchanged
    assert len(eng.table) == len(prog.pairs)
    text = result.log.to_csv() + result.report + result.skipped.to_csv()
    assert BODY_SECRET not in text and "06 98" not in text


def test_unresolved_sender_is_reported_not_dropped(tmp_path):
    path = tmp_path / "WhatsApp Chat with Mateo P..txt"
    path.write_text(
        "13/09/2026 14:03 - Hugo J. : a\n13/09/2026 14:04 - +33 7 11 22 33 44 : b\n"
        "13/09/2026 14:05 - +33 7 11 22 33 44 : c\n13/09/2026 14:06 - Mateo P. : d\n",
        encoding="utf-8",
    )
    result = ek.import_exchanges(path, ek.load_sample(), timezone=ZONE)
    assert result.unresolved.to_dict("records") == [
        {
            "alias": "phone ending 44",
            "role": "unknown",
            "n_exchanges": 4,
            "files": "WhatsApp Chat with Mateo P..txt",
        }
    ]
    assert result.counts == {"read": 4, "used": 2, "skipped": 2, "exchanges": 2}
    assert "11 22 33" not in result.report + result.unresolved.to_csv()
    # the coordinator's alias table resolves it
    aliases = pd.DataFrame({"alias": ["07 11 22 33 44"], "person_id": ["E002"]})
    again = ek.import_exchanges(path, ek.load_sample(), timezone=ZONE, aliases=aliases)
    assert len(again.unresolved) == 0 and again.counts["used"] == 4


def test_zone_must_be_given_for_local_times(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("12/09/2026 14:03 - Hugo J. : a\n13/09/2026 14:03 - Mateo P. : b\n")
    with pytest.raises(ek.InvalidArgumentError, match="timezone='Europe/Paris'"):
        ek.import_exchanges(path, ek.load_sample())
    with pytest.raises(ek.InvalidArgumentError, match="IANA"):
        ek.import_exchanges(path, ek.load_sample(), timezone="Paris/Nowhere")
    with pytest.raises(ek.InvalidArgumentError):
        ek.import_exchanges(path, ek.load_sample(), timezone=ZONE, format="telegram")


def test_ambiguous_name_resolves_to_nobody(tmp_path):
    path = tmp_path / "WhatsApp Chat with Mateo P..txt"
    path.write_text("12/09/2026 14:03 - Hugo J. : a\n13/09/2026 14:03 - Mateo P. : b\n")
    aliases = pd.DataFrame({"alias": ["Hugo J."], "person_id": ["M002"]})  # now two people
    result = ek.import_exchanges(path, ek.load_sample(), timezone=ZONE, aliases=aliases)
    assert result.unresolved["alias"].tolist() == ["Hugo J."]
    assert result.counts["used"] == 0


def test_log_is_what_validate_returns(tmp_path):
    paths, _ = _exports(tmp_path)
    log = ek.import_exchanges(paths, ek.load_sample(), timezone=ZONE).log
    pd.testing.assert_frame_equal(ek.validate(log, "interactions"), log)
    raw = ek.validate(log.astype({"timestamp": "str", "duration_minutes": "str"}), "interactions")
    pd.testing.assert_frame_equal(raw, log, check_dtype=False)


def test_command_line_writes_the_log_and_no_content(tmp_path, capsys):
    from ementor_kit.cli import main

    paths, original = _exports(tmp_path)
    out = tmp_path / "interactions.csv"
    code = main(
        [
            "import-exchanges",
            str(ek.sample_dir()),
            *map(str, paths),
            "--out",
            str(out),
            "--timezone",
            ZONE,
            "--no-progress",
        ]
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert BODY_SECRET not in text and "06 98" not in text
    back = pd.read_csv(out, skiprows=1)
    assert len(back) == len(original)
    assert "messages" in capsys.readouterr().err
    assert main(["import-exchanges", str(ek.sample_dir()), str(paths[0]), "--out", str(out)]) == 1


def test_command_line_reads_a_slack_export_and_a_teams_report(tmp_path, capsys):
    from ementor_kit.cli import main

    prog = ek.load_sample()
    chat = prog.interactions[prog.interactions["channel"] == "chat"].head(300)
    slack = write_slack_export(chat, sample_names(), tmp_path / "slack.zip")
    t = pd.Timestamp("2026-09-15T16:00:00Z")
    meeting = pd.DataFrame(
        {
            "name": ["Hugo J.", "Mateo P."],
            "email": ["", ""],
            "join": [t, t],
            "leave": [t + pd.Timedelta(minutes=50)] * 2,
        }
    )
    teams = write_teams_attendance_report(meeting, tmp_path / "teams.csv", organizer="Hugo J.")
    out = tmp_path / "interactions.csv"
    args = [
        "import-exchanges",
        str(ek.sample_dir()),
        str(slack),
        str(teams),
        "--out",
        str(out),
        "--timezone",
        ZONE,
        "--no-progress",
    ]
    assert main(args) == 0
    back = pd.read_csv(out, skiprows=1)
    assert back["channel"].value_counts().to_dict() == {"chat": len(chat), "video": 1}
    assert "Slack export" in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert BODY_SECRET not in text and "@example.org" not in text
    assert main([*args, "--format", "slack"]) == 1  # the Teams report is no Slack export
