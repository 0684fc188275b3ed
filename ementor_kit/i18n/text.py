"""Translating text that was written in English, where it is shown.

Much of what the package shows is built before anyone knows who will read it: the pilot
report's tables and paragraphs, error messages raised deep in a module. They are kept in
English (the message ids, so tests and the provenance do not depend on the language) and
translated when they are rendered: :func:`translate_text` finds the catalogue message a text
was made from, by the message itself or by its template (``"{n} pairs formed"`` matches
``"12 pairs formed"``), and writes it again in the target language with the same values,
numbers in that language's way (``0,52``; ``12 345``; ``12,5 %``) and phrases inside it
translated in turn. English comes back unchanged, byte for byte.

Only messages of the catalogue are translated, and a text that matches none is returned as
it is: :func:`untranslated` says which parts of a text have no translation (the
completeness tests use it).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from babel.messages.pofile import read_po

from ementor_kit.i18n.language import DOMAIN, LOCALE_DIR, resolve_language, translator

__all__ = ["french_number", "localized", "translate_text", "untranslated"]

_FIELD = re.compile(r"\{([^{}:!]*)(?:![rsa])?(?::[^{}]*)?\}")
_NUMBER = re.compile(r"(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_THIN = "\u202f"  # narrow no-break space: French thousands
_NBSP = "\u00a0"  # no-break space: before % in French


@dataclass(frozen=True)
class _Template:
    """A catalogue message with placeholders, as a pattern matching its English texts."""

    pattern: re.Pattern[str]
    names: tuple[str, ...]
    msgid: str | tuple[str, str]
    literal: int  # characters of fixed text: the longest match wins
    needle: str  # its longest piece of fixed text: a text without it cannot match
    form: int = 0  # of a plural message: 0 the singular form matched, 1 the plural
    numeric: bool = False  # few words of its own ("{low} or {high}"): its values must be numbers
    source: str = ""  # the form matched, for trying its fields' other splits


@functools.cache
def _variant(source: str, greedy: int) -> re.Pattern[str]:
    """The pattern of ``source`` with field ``greedy`` taking as much text as it can."""
    compiled = _compile(source, greedy)
    assert compiled is not None
    return compiled[0]


def french_number(text: str) -> str:
    """A number written by Python in English (``1,234.5``, ``0.52``, ``12.5%``) in French.

    Texts that are not a number come back unchanged. Whole numbers of five digits or more
    get narrow spaces between thousands (four-digit ones stay as they are, like years).

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> french_number("0.52"), french_number("12.5%") == "12,5\\u00a0%"
    ('0,52', True)
    >>> french_number("12345") == "12\\u202f345", french_number("2026"), french_number("E001")
    (True, '2026', 'E001')
    """
    m = _NUMBER.fullmatch(text.strip())
    if m is None:
        return text
    sign, whole, decimals, pct = m.groups()
    whole = whole.replace(",", "")
    if len(whole) >= 5 or "," in m.group(2):
        whole = f"{int(whole):,}".replace(",", _THIN)
    out = sign + whole + ("," + decimals[1:] if decimals else "")
    return out + (_NBSP + "%" if pct else "")


class _FrenchFloat(float):
    """A float that ``format`` writes the French way (``{x:.1f}`` gives ``72,5``)."""

    def __format__(self, spec: str) -> str:
        return french_number(format(float(self), spec))


def localized(x: float, lang: str | None = None) -> float:
    """``x`` as a number that ``str.format`` writes in ``lang``'s way.

    For filling a translated message whose placeholders carry a format (``{score:.1f}``):
    English returns ``x`` itself (the text is unchanged), French a float whose formatting
    has a decimal comma and narrow spaces between thousands.

    Parameters
    ----------
    x : float
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.

    Returns
    -------
    float

    Examples
    --------
    >>> "{s:.1f} < {b:.1f}".format(s=localized(72.46, "fr"), b=localized(75.0, "fr"))
    '72,5 < 75,0'
    >>> "{s:.1f}".format(s=localized(72.46, "en"))
    '72.5'
    """
    return x if resolve_language(lang) == "en" else _FrenchFloat(x)


def _compile(
    msgid: str, greedy: int = -1
) -> tuple[re.Pattern[str], tuple[str, ...], int, str] | None:
    parts, names, pos = [], [], 0
    for i, m in enumerate(_FIELD.finditer(msgid)):
        parts.append(re.escape(msgid[pos : m.start()]))
        parts.append(r"(.*)" if i == greedy else r"(.*?)")
        names.append(m.group(1) or str(i))
        pos = m.end()
    if not names:
        return None
    parts.append(re.escape(msgid[pos:]))
    pieces = _FIELD.split(msgid)[::2]  # split keeps the group: fixed text at even places
    needle = max(pieces, key=len)
    return re.compile("".join(parts), re.DOTALL), tuple(names), sum(map(len, pieces)), needle


@functools.cache
def _templates(lang: str) -> tuple[dict[str, str], tuple[_Template, ...]]:
    """The catalogue's plain messages (id -> translation) and its templates, longest first."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    plain: dict[str, str] = {}
    templates: list[_Template] = []
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings):
            continue
        ids = tuple(str(x) for x in m.id) if isinstance(m.id, tuple | list) else (str(m.id),)
        msgid: str | tuple[str, str] = (ids[0], ids[1]) if len(ids) == 2 else ids[0]
        if isinstance(m.id, str) and not _FIELD.search(m.id):
            plain[m.id] = str(m.string)
        for i, form in enumerate(dict.fromkeys(ids)):
            compiled = _compile(form)
            # a template without words of its own ("{status}: {reason}") would match any text;
            # one with a short word ("{low} or {high}") is used for numbers only ("1 or 2")
            if compiled is None:
                continue
            letters = len(re.findall(r"[A-Za-z]", compiled[3]))
            if letters >= 3 or (letters >= 2 and re.search(r"[A-Za-z]{2}", compiled[3])):
                templates.append(
                    _Template(compiled[0], compiled[1], msgid, *compiled[2:], i, letters < 3, form)
                )
    templates.sort(key=lambda t: -t.literal)
    return plain, tuple(templates)


def _fill(template: str, values: dict[str, str]) -> str:
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _value(text: str, lang: str, depth: int, data: bool = False) -> tuple[str, bool]:
    """A template's value in ``lang``, and whether it was translated (or is a number)."""
    number = french_number(text) if lang == "fr" else text
    if number != text:
        return number, True
    return _translate(text, lang, depth + 1, data)


def _values_of(
    tpl: _Template, groups: tuple[str, ...], lang: str, depth: int, data: bool
) -> tuple[dict[str, str] | None, list[str]]:
    """The values of a match, translated, and those left in English (None: no match)."""
    if tpl.numeric and not all(_NUMBER.fullmatch(g.strip()) for g in groups):
        return None, []
    done = [_value(v, lang, depth, data) for v in groups]
    values = dict(zip(tpl.names, (v for v, _ in done), strict=True))
    left = [g for (_, ok), g in zip(done, groups, strict=True) if not ok and _is_words(g)]
    if data:  # names and labels may stay as they are, English phrases may not
        left = [g for g in left if re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)+", g.strip())]
    return values, left


def _translate(text: str, lang: str, depth: int = 0, data: bool = False) -> tuple[str, bool]:
    """The translation of ``text``, and whether it was found in the catalogue.

    ``data``: the values in a template are data (an error's labels, column names, file
    names), so a template whose values are words left in English still matches.
    """
    plain, templates = _templates(lang)
    if text in plain:
        return plain[text], True
    lower = text[:1].lower() + text[1:]
    if lower != text and lower in plain:  # a message capitalised at the start of a sentence
        found = plain[lower]
        return found[:1].upper() + found[1:], True
    if depth > 4 or not text.strip():
        return text, False
    t = translator(lang)
    for tpl in templates:
        if tpl.needle not in text or len(text) > 4 * tpl.literal + 200:
            continue  # a much longer text is made of several messages (tried sentence by sentence)
        m = tpl.pattern.fullmatch(text)
        if m is None:
            continue
        values, left = _values_of(tpl, m.groups(), lang, depth, data)
        for k in range(len(tpl.names) if left and len(tpl.names) > 1 else 0):
            # lazy fields split "with 1 or 2 items" as "1" + "or 2 items": try the other splits
            other = _variant(tpl.source, k).fullmatch(text)
            if other is not None and other.groups() != m.groups():
                values_k, left_k = _values_of(tpl, other.groups(), lang, depth, data)
                if values_k is not None and not left_k:
                    m, values, left = other, values_k, left_k
                    break
        if values is None:
            continue
        if left and tpl.literal < 0.4 * len(text):
            continue  # mostly English values left as they are: not this template's text
        if isinstance(tpl.msgid, tuple):
            count = _NUMBER.fullmatch(m.groups()[tpl.names.index("n")] if "n" in tpl.names else "")
            n = int(count.group(2).replace(",", "")) if count else 1 + tpl.form
            return _fill(t.ngettext(tpl.msgid[0], tpl.msgid[1], n), values), True
        return _fill(t.gettext(tpl.msgid), values), True
    sentences = _SENTENCE.split(text)
    if depth == 0 and len(sentences) > 1:  # a paragraph made of several messages
        done = [_translate(x, lang, 1, data) for x in sentences]
        if all(ok for _, ok in done):
            return " ".join(x for x, _ in done), True
    return text, False


def translate_text(text: object, lang: str | None = None, *, data: bool = False) -> str:
    """``text`` (English, made from a catalogue message) in ``lang``.

    Parameters
    ----------
    text : object
        What is shown; not text (a number) is returned with ``str``.
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language. English returns ``text``
        unchanged.
    data : bool, default False
        Whether the values filled in a template are data that stay as they are (an error
        message's labels, column and file names): a template then matches even when its
        values are words. By default a short template whose values are mostly English words
        is taken for a coincidence and not used.

    Returns
    -------
    str
        The translation when ``text`` is a catalogue message, or one of its templates filled
        in (the values' numbers in the language's way, their phrases translated too); else
        ``text`` as it is.

    Examples
    --------
    >>> translate_text("Pairs", "fr")
    'Binômes'
    >>> translate_text("Retention of 12 pairs (a pair ends after 21 days without exchange)", "fr")
    'Maintien de 12 binômes (un binôme prend fin après 21 jours sans échange)'
    >>> translate_text("3 pairs", "fr"), translate_text("1 pair", "fr")
    ('3 binômes', '1 binôme')
    >>> translate_text("E001", "fr"), translate_text("Pairs", "en")
    ('E001', 'Pairs')
    """
    s = str(text)
    code = resolve_language(lang)
    if code == "en":
        return s
    return _translate(s, code, data=data)[0]


def untranslated(text: object, lang: str = "fr", *, data: bool = False) -> list[str]:
    """The parts of an English ``text`` that :func:`translate_text` leaves in English.

    A text counts as translated when it is a catalogue message, or a template of one whose
    values are numbers, names or translated phrases. Used by the completeness tests on every
    visible text of a widget, figure or report.

    Parameters
    ----------
    text : object
        A visible English text.
    lang : str
        The language to check.
    data : bool, default False
        As for :func:`translate_text` (error messages: values are data).

    Returns
    -------
    list of str
        Empty when ``text`` has a translation; else ``[text]``.

    Examples
    --------
    >>> untranslated("Pairs"), untranslated("Retention of 3 pairs"), untranslated("Hello there")
    ([], [], ['Hello there'])
    """
    s = str(text)
    found = _translate(s, resolve_language(lang), data=data)[1]
    return [] if found or not _is_words(s) else [s]


def _is_words(text: str) -> bool:
    """Whether a text holds words (not only numbers, codes, file names, acronyms, symbols)."""
    rest = re.sub(r"\S*[\d_./-]\S*|\b[A-Z]{2,}\b", " ", text)
    return bool(re.search(r"[A-Za-z]{3,}", rest))
