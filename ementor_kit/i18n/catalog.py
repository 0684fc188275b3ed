"""The message catalogues: extracting the messages of the sources, checking a translation.

The English message ids are taken from the package's sources by Babel's extractor (calls of
``gettext``, ``ngettext`` and ``N_``); :func:`catalog_problems` lists every id of the sources
that a catalogue lacks, leaves empty or fuzzy, or translates with other placeholders. The
maintainer's loop (``python -m ementor_kit.i18n update``) merges the new ids into the French
``.po`` file, to be translated by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from ementor_kit.i18n.language import DOMAIN, LOCALE_DIR

__all__ = ["KEYWORDS", "catalog_problems", "extract_messages", "po_path", "update_catalog"]

KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None, "Nn_": (1, 2), "_mark": None}
"""The functions whose string arguments are messages (``t.gettext(...)`` counts too;
``Nn_`` marks a plural message, :mod:`ementor_kit.i18n.messages`; ``_mark`` is the ``N_`` of
:mod:`ementor_kit.errors`)."""
PACKAGE_DIR = LOCALE_DIR.parent
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdfr]|%[sdfr]")


def po_path(lang: str) -> Path:
    """The ``.po`` file of ``lang`` inside the package.

    Examples
    --------
    >>> po_path("fr").name
    'ementor_kit.po'
    """
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract_messages(root: str | Path | None = None) -> Catalog:
    """Every message of the sources under ``root`` (default the package), as a catalogue.

    Parameters
    ----------
    root : str or Path, optional
        Folder of Python sources to read.

    Returns
    -------
    babel.messages.catalog.Catalog
        Ids only (no translations), with the files and lines they come from.

    Examples
    --------
    >>> "Pairs" in extract_messages()
    True
    """
    root = Path(root) if root is not None else PACKAGE_DIR
    catalog = Catalog(domain=DOMAIN, project="ementor-kit")
    found = extract_from_dir(
        str(root), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("i18n:",)
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            None,
            [(f"ementor_kit/{Path(filename).as_posix()}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def _placeholders(text: object) -> list[str]:
    return sorted(_PLACEHOLDER.findall(str(text or "")))


def catalog_problems(lang: str = "fr", root: str | Path | None = None) -> list[str]:
    """What the catalogue of ``lang`` lacks for the messages of the sources.

    Parameters
    ----------
    lang : str
        Catalogue to check.
    root : str or Path, optional
        Sources to extract the messages from (default the package).

    Returns
    -------
    list of str
        One line per message that is missing, empty, fuzzy, or whose placeholders
        (``{n}``, ``%(name)s``) differ from the id's; empty when the catalogue is complete.

    Examples
    --------
    >>> isinstance(catalog_problems("fr"), list)
    True
    """
    with po_path(lang).open("rb") as fh:
        po = read_po(fh, locale=lang, domain=DOMAIN)
    problems = []
    for message in extract_messages(root):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        entry = po.get(message.id)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        if entry is None:
            problems.append(f"missing: {ids[0]!r} ({where})")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r} ({where})")
        if not all(strings):
            problems.append(f"empty: {ids[0]!r} ({where})")
            continue
        wanted = _placeholders(ids[-1])
        for s in strings:
            if _placeholders(s) != wanted:
                problems.append(
                    f"placeholders: {ids[0]!r} has {wanted}, the translation {s!r} has "
                    f"{_placeholders(s)} ({where})"
                )
    return problems


def update_catalog(lang: str = "fr") -> tuple[int, int]:
    """Merge the messages of the sources into the ``.po`` file of ``lang``.

    New ids are added untranslated (no fuzzy guesses: a guess from a close id is wrong more
    often than not). Every translation is kept, also of an id the sources no longer hold (a
    message being changed by someone else comes back, or its translation is reused by hand);
    such entries have no location.

    Parameters
    ----------
    lang : str
        Catalogue to update.

    Returns
    -------
    tuple of int
        Number of messages, and how many have no usable translation yet.
    """
    path = po_path(lang)
    with path.open("rb") as fh:
        po = read_po(fh, locale=lang, domain=DOMAIN)
    po.update(extract_messages(), no_fuzzy_matching=True)
    for msgid, message in list(po.obsolete.items()):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings) and not message.fuzzy:
            po[msgid] = message  # kept as a normal entry, without locations
            po[msgid].locations = []
    po.obsolete.clear()
    with path.open("wb") as fh:
        write_po(fh, po, width=100, sort_output=False, omit_header=False, include_previous=False)
    todo = sum(
        1
        for m in po
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    )
    return len([m for m in po if m.id]), todo
