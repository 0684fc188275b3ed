"""Format detection."""

from __future__ import annotations

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
