"""The interface language: choosing it, and translating a message into it.

Messages are English in the source (they are the gettext message ids, so English needs no
catalogue); French comes from ``ementor_kit/locale/fr/LC_MESSAGES/ementor_kit.po``, compiled in
memory by Babel the first time French is asked for and read by the standard library's
:mod:`gettext` (plural forms included). The ``.po`` file is the only copy: there is no ``.mo``
to forget to rebuild, and it ships in the wheel as package data.

The language of a call is, in order: its ``lang=`` argument, :func:`set_language`, the
``EMENTOR_KIT_LANG`` environment variable, the locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``), and English.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ementor_kit.errors import InvalidArgumentError

__all__ = [
    "LANGUAGES",
    "N_",
    "Translator",
    "get_language",
    "gettext",
    "ngettext",
    "resolve_language",
    "set_language",
    "translator",
]

LANGUAGES = ("en", "fr")
"""Languages with a catalogue (English is the source language)."""
DOMAIN = "ementor_kit"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
"""Folder of the catalogues: ``<lang>/LC_MESSAGES/ementor_kit.po``."""
ENV_VAR = "EMENTOR_KIT_LANG"
_LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_chosen: str | None = None  # set_language(); None: from the environment


def _code(value: object) -> str | None:
    """``"fr"`` for ``fr``, ``fr_FR``, ``fr-CA.UTF-8``, ``FR``...; None when not supported."""
    if not isinstance(value, str):
        return None
    head = value.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
    return head if head in LANGUAGES else None


def _fix() -> str:
    return N_("use one of {LANGUAGES} (or a locale such as 'fr_FR')").format(
        LANGUAGES=", ".join(repr(x) for x in LANGUAGES)
    )


def resolve_language(lang: str | None = None) -> str:
    """The language code a call renders in: ``lang`` itself, else the process language.

    Parameters
    ----------
    lang : str, optional
        ``"en"``, ``"fr"`` or a locale name (``"fr_FR"``, ``"fr-CA"``); None for the process
        language (:func:`get_language`).

    Returns
    -------
    str
        ``"en"`` or ``"fr"``.

    Examples
    --------
    >>> resolve_language("fr_FR"), resolve_language("EN")
    ('fr', 'en')
    >>> resolve_language("de")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'lang': 'de' is not accepted. Fix: use one of 'en', 'fr' (or a locale such as 'fr_FR')
    """
    if lang is None:
        return get_language()
    code = _code(lang)
    if code is None:
        raise InvalidArgumentError("lang", lang, _fix())
    return code


def set_language(lang: str | None) -> str:
    """Choose the language of every message, figure and widget of this process.

    Parameters
    ----------
    lang : str or None
        ``"en"``, ``"fr"`` or a locale name; None goes back to the environment
        (``EMENTOR_KIT_LANG``, then the locale, then English).

    Returns
    -------
    str
        The language now in use.

    Examples
    --------
    >>> set_language("fr")
    'fr'
    >>> get_language()
    'fr'
    >>> set_language(None) in LANGUAGES
    True
    """
    global _chosen
    _chosen = None if lang is None else resolve_language(lang)
    return get_language()


def get_language() -> str:
    """The process language: :func:`set_language`, ``EMENTOR_KIT_LANG``, the locale, English.

    Returns
    -------
    str
        ``"en"`` or ``"fr"``. An ``EMENTOR_KIT_LANG`` naming a language without a catalogue
        is refused (InvalidArgumentError); a locale without one falls back to English.

    Examples
    --------
    >>> get_language() in LANGUAGES
    True
    """
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        code = _code(env)
        if code is None:
            raise InvalidArgumentError(
                ENV_VAR,
                env,
                N_("set the environment variable {ENV_VAR} to en or fr, or unset it").format(
                    ENV_VAR=ENV_VAR
                ),
                message=N_("{env!r} is not a language ementor-kit speaks").format(env=env),
            )
        return code
    for var in _LOCALE_VARS:
        value = os.environ.get(var, "")
        for part in value.split(":"):  # LANGUAGE is a list: fr:en
            code = _code(part)
            if code is not None:
                return code
        if value and var != "LANGUAGE":
            return "en"  # the first locale variable set decides, as in gettext
    return "en"


@functools.cache
def _catalogue(lang: str) -> _gettext.NullTranslations:
    """The translations of ``lang`` (English: the message ids themselves)."""
    if lang == "en":
        return _gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)  # a fuzzy entry is not a translation
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


class Translator:
    """The messages of one language: ``gettext`` for a message, ``ngettext`` for a plural.

    Obtained from :func:`translator`. Message ids are the English texts; a message without a
    translation comes back in English.

    Parameters
    ----------
    lang : str
        ``"en"`` or ``"fr"``.

    Examples
    --------
    >>> t = translator("fr")
    >>> t.lang, t.gettext("Pairs")
    ('fr', 'Binômes')
    >>> t.ngettext("{n} pair", "{n} pairs", 2).format(n=2)
    '2 binômes'
    """

    def __init__(self, lang: str) -> None:
        self.lang = resolve_language(lang)
        self._tr = _catalogue(self.lang)

    def gettext(self, message: str) -> str:
        """``message`` in this language (unchanged when it has no translation)."""
        return self._tr.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for ``n``, by the plural rule of the language."""
        return self._tr.ngettext(singular, plural, int(n))

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"


def translator(lang: str | None = None) -> Translator:
    """The :class:`Translator` of ``lang`` (default the process language).

    Parameters
    ----------
    lang : str, optional
        ``"en"``, ``"fr"`` or a locale name; None for :func:`get_language`.

    Returns
    -------
    Translator

    Examples
    --------
    >>> translator("en").gettext("Pairs")
    'Pairs'
    """
    return Translator(resolve_language(lang))


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` translated into ``lang`` (default the process language).

    Parameters
    ----------
    message : str
        The English message (its id in the catalogue).
    lang : str, optional
        Target language; None for :func:`get_language`.

    Returns
    -------
    str

    Examples
    --------
    >>> gettext("Pairs", lang="fr")
    'Binômes'
    """
    return translator(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The singular or plural form of a message for ``n``, translated into ``lang``.

    Parameters
    ----------
    singular, plural : str
        English forms (ids in the catalogue); placeholders such as ``{n}`` are filled by the
        caller with ``str.format``.
    n : int
        The count that chooses the form (French: 0 and 1 are singular).
    lang : str, optional
        Target language; None for :func:`get_language`.

    Returns
    -------
    str

    Examples
    --------
    >>> ngettext("{n} pair", "{n} pairs", 1, lang="fr").format(n=1)
    '1 binôme'
    >>> ngettext("{n} pair", "{n} pairs", 0, lang="en").format(n=0)
    '0 pairs'
    """
    return translator(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:  # gettext convention: mark now, translate where shown
    """Mark ``message`` for the catalogue without translating it (translated where shown).

    Examples
    --------
    >>> N_("Pairs")
    'Pairs'
    """
    return message
