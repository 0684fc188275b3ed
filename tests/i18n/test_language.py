"""Choosing the language: argument, set_language, EMENTOR_KIT_LANG, locale, English."""

from __future__ import annotations

import pytest

from ementor_kit.errors import EmentorKitError
from ementor_kit.i18n import get_language, gettext, ngettext, resolve_language, set_language


@pytest.fixture(autouse=True)
def _reset(monkeypatch):
    for var in ("EMENTOR_KIT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    set_language(None)
    yield
    set_language(None)


def test_precedence_argument_then_set_language_then_environment_then_locale(monkeypatch):
    assert get_language() == "en"  # nothing set: the source language
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert get_language() == "fr"
    monkeypatch.setenv("EMENTOR_KIT_LANG", "en")
    assert get_language() == "en"
    set_language("fr")
    assert get_language() == "fr"
    assert resolve_language("en") == "en"  # an explicit argument wins


def test_locales_are_read_by_their_language_and_unknown_ones_refused(monkeypatch):
    assert resolve_language("fr-CA") == resolve_language("FR") == "fr"
    with pytest.raises(EmentorKitError, match="fr"):
        resolve_language("de")
    monkeypatch.setenv("EMENTOR_KIT_LANG", "klingon")
    with pytest.raises(EmentorKitError, match="EMENTOR_KIT_LANG"):
        get_language()
    monkeypatch.delenv("EMENTOR_KIT_LANG")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # a locale without catalogue: English
    assert get_language() == "en"


def test_english_is_the_message_id_and_french_comes_from_the_catalogue():
    assert gettext("Pairs", lang="en") == "Pairs"
    assert gettext("Pairs", lang="fr") != "Pairs"
    assert ngettext("{n} pair", "{n} pairs", 1, lang="en").format(n=1) == "1 pair"
    assert ngettext("{n} pair", "{n} pairs", 2, lang="en").format(n=2) == "2 pairs"
    # French plural rule: 0 and 1 are singular (CLDR), unlike English
    zero_fr = ngettext("{n} pair", "{n} pairs", 0, lang="fr").format(n=0)
    one_fr = ngettext("{n} pair", "{n} pairs", 1, lang="fr").format(n=1)
    assert zero_fr.removeprefix("0") == one_fr.removeprefix("1")
