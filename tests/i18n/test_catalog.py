"""The French catalogue against the messages of the sources."""

from __future__ import annotations

from ementor_kit.i18n.catalog import catalog_problems, extract_messages


def test_extraction_finds_the_widgets_and_plots_messages():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract_messages()}
    assert "Pairs" in ids
    assert len(ids) > 100


def test_translated_entries_are_not_fuzzy_and_keep_their_placeholders():
    # the catalogue is not complete yet (issue 13): what is translated must be right
    bad = [p for p in catalog_problems("fr") if p.startswith(("fuzzy", "placeholders"))]
    assert bad == []
