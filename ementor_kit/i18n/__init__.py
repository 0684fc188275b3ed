"""Interface language: French and English for everything a person reads.

- :mod:`~ementor_kit.i18n.language`: choosing the language (:func:`set_language`, ``lang=``,
  ``EMENTOR_KIT_LANG``, the locale) and translating messages with the gettext catalogues
  shipped in ``ementor_kit/locale``;
- :mod:`~ementor_kit.i18n.formatting`: numbers, percentages and dates for the language
  (decimal comma and ``3 décembre 2026`` in French);
- :mod:`~ementor_kit.i18n.glossary`: one name and one plain-words explanation per term;
- :mod:`~ementor_kit.i18n.catalog`: extracting the messages of the sources and checking the
  French catalogue (``python -m ementor_kit.i18n update`` refreshes it).

A module that renders something takes ``lang: str | None = None`` and writes
``t = translator(lang)`` then ``t.gettext("English text {n}").format(n=...)``: the English
text is the message id, placeholders are filled after translation.
"""

from ementor_kit.i18n.formatting import (
    decimal_axis,
    format_date,
    format_number,
    format_percent,
    weekday_names,
)
from ementor_kit.i18n.glossary import GLOSSARY, Term, explanation, glossary, label
from ementor_kit.i18n.language import (
    LANGUAGES,
    N_,
    Translator,
    get_language,
    gettext,
    ngettext,
    resolve_language,
    set_language,
    translator,
)

__all__ = [
    "GLOSSARY",
    "LANGUAGES",
    "N_",
    "Term",
    "Translator",
    "decimal_axis",
    "explanation",
    "format_date",
    "format_number",
    "format_percent",
    "get_language",
    "gettext",
    "glossary",
    "label",
    "ngettext",
    "resolve_language",
    "set_language",
    "translator",
    "weekday_names",
]
