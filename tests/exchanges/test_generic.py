"""A CSV message log with a column mapping."""

from __future__ import annotations

import pytest

import ementor_kit as ek


def test_mapped_csv_with_offsets_and_channels(tmp_path):
    path = tmp_path / "platform.csv"
    path.write_text(
        "when,from,to,kind,text\n"
        "2026-09-12T14:03:00+02:00,Hugo J.,Mateo P.,chat,Bonjour\n"
        "2026-09-12T18:00:00+02:00,Mateo P.,Hugo J.,forum,Merci\n",
        encoding="utf-8",
    )
    cols = {"timestamp": "when", "sender": "from", "recipient": "to", "channel": "kind"}
    result = ek.import_exchanges(path, ek.load_sample(), format="csv", columns=cols)
    assert result.log["channel"].tolist() == ["chat", "forum"]
    assert "Bonjour" not in result.log.to_csv()


def test_bad_mapping_and_values_are_named(tmp_path):
    path = tmp_path / "platform.csv"
    path.write_text("when,from,to\nyesterday,Hugo J.,Mateo P.\n", encoding="utf-8")
    with pytest.raises(ek.InvalidArgumentError, match="columns="):
        ek.import_exchanges(path, ek.load_sample(), format="csv")
    cols = {"timestamp": "when", "sender": "from", "recipient": "dest"}
    with pytest.raises(ek.DataValidationError, match="dest"):
        ek.import_exchanges(path, ek.load_sample(), format="csv", columns=cols)
    cols["recipient"] = "to"
    with pytest.raises(ek.DataValidationError, match="row 2, column 'when'"):
        ek.import_exchanges(path, ek.load_sample(), columns=cols, timezone="Europe/Paris")
