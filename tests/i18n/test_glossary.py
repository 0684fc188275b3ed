"""The glossary: every term named and explained in both languages."""

from __future__ import annotations

import pytest

from ementor_kit.errors import EmentorKitError
from ementor_kit.i18n import GLOSSARY, explanation, glossary, label


def test_every_term_has_a_label_and_an_explanation_in_english():
    for term in GLOSSARY:
        assert label(term.key, "en") == term.label and term.label.strip()
        assert explanation(term.key, "en") == term.explanation and term.explanation.strip()


def test_the_french_table_has_one_row_per_term():
    table = glossary("fr")
    assert len(table) == len(GLOSSARY)
    assert table.index.is_unique


def test_french_labels_never_use_the_words_to_avoid():
    for term in GLOSSARY:
        words = label(term.key, "fr").lower().split()
        assert not set(a.lower() for a in term.avoid) & set(words), term.key


def test_an_unknown_term_is_refused_by_name():
    with pytest.raises(EmentorKitError, match="no_such_term"):
        label("no_such_term")
