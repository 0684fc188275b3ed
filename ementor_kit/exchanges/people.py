"""People of an export resolved through the programme's declared contacts, never guessed.

An export names people the way the tool shows them: a WhatsApp contact name or phone number,
an e-mail address with its display name, a Zoom or Meet participant name. Each is turned into
a *key* (:func:`contact_key`) and looked up among the keys of the programme's people: their
id, and every identifier attribute ``programme.yaml`` declares (``name`` and ``contact``
attributes; in the sample layout ``display_name``), plus an optional alias table. A key that
two people share is ambiguous and resolves to nobody: an unresolved person is reported, not
guessed.

Keys are normalised so that the usual spellings of one person meet:

- names: accents, case, punctuation and repeated spaces do not count
  (``"Chloé  M."`` and ``"chloe m"``);
- e-mail addresses: case does not count (``"Hugo@X.org"``);
- phone numbers: the last nine digits, so the international and national forms meet
  (``"+33 6 12 34 56 78"``, ``"0033612345678"``, ``"06 12 34 56 78"``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ementor_kit.data.people import People
from ementor_kit.data.spec import ID_ATTRIBUTE, ProgrammeSpec
from ementor_kit.data.validation import Programme, read_programme
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem
from ementor_kit.i18n.language import N_

__all__ = ["ContactBook", "alias_keys", "contact_key", "mask_contact"]

_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,}$")
_NOT_WORD = re.compile(r"[^\w]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"), None)
_NAMED_ADDRESS = re.compile(r"^\s*\"?(.*?)\"?\s*<([^<>@\s]+@[^<>\s]+)>\s*$")
_PHONE_DIGITS = 9  # significant digits compared (the French national number, no trunk 0)


def contact_key(value: object) -> str | None:
    """The normalised key of a name, an e-mail address or a phone number.

    Parameters
    ----------
    value : object
        What an export or a people table holds.

    Returns
    -------
    str or None
        ``"mail:<address>"``, ``"tel:<last nine digits>"`` or ``"name:<folded words>"``;
        ``None`` for an empty value.

    Examples
    --------
    >>> contact_key("+33 6 12 34 56 78") == contact_key("06 12 34 56 78")
    True
    >>> contact_key("  Chloé   M. ")
    'name:chloe m'
    >>> contact_key("Hugo.J@Example.org")
    'mail:hugo.j@example.org'
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).translate(_INVISIBLE).strip()
    if not text:
        return None
    if "@" in text and " " not in text:
        return "mail:" + text.strip("<>").casefold()
    if _PHONE.match(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 7:
            return "tel:" + digits[-_PHONE_DIGITS:]
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = _NOT_WORD.sub(" ", folded).split()
    return "name:" + " ".join(words) if words else None


def mask_contact(value: str) -> str:
    """How an unresolved person is shown: names as written, numbers and addresses masked.

    A coordinator needs a name to add it to the alias table; a phone number or an e-mail
    address is shown only by its last two digits or its first letter and domain.

    Parameters
    ----------
    value : str
        The alias as the export writes it.

    Returns
    -------
    str
        The alias to report.

    Examples
    --------
    >>> mask_contact("+33 6 12 34 56 78")
    'phone ending 78'
    >>> mask_contact("hugo.j@example.org")
    'h…@example.org'
    >>> mask_contact("Nadia B.")
    'Nadia B.'
    """
    m = _NAMED_ADDRESS.match(value)
    if m:
        return f"{mask_contact(m.group(1))} <{mask_contact(m.group(2))}>".lstrip()
    key = contact_key(value)
    if key is None:
        return ""
    if key.startswith("tel:"):
        return f"phone ending {key[-2:]}"
    if key.startswith("mail:"):
        local, _, domain = key[5:].partition("@")
        return f"{local[:1]}…@{domain}"
    return str(value).translate(_INVISIBLE).strip()


@dataclass(frozen=True)
class ContactBook:
    """The keys of a programme's people: key -> ``(person_id, role)``, ambiguous keys apart.

    Attributes
    ----------
    people : dict of str to tuple of (str, str)
        Key -> ``(person_id, role)``, role ``"mentor"`` or ``"mentee"``.
    ambiguous : frozenset of str
        Keys two different people share: they resolve to nobody.
    roles : dict of str to str
        Person id -> role.
    zone : str or None
        The one time zone the people tables declare (a ``timezone`` attribute holding a
        single IANA zone for everyone), else ``None``.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> book = ContactBook.of(ek.load_sample())
    >>> book.resolve(["hugo j", "Nobody"])
    [('M001', 'mentor'), None]
    """

    people: dict[str, tuple[str, str]]
    ambiguous: frozenset[str]
    roles: dict[str, str]
    zone: str | None = None

    @classmethod
    def of(cls, programme: object, aliases: pd.DataFrame | str | Path | None = None) -> ContactBook:
        """The contact book of a programme, with an optional alias table.

        Parameters
        ----------
        programme : Programme, People, str or Path
            A programme (:func:`~ementor_kit.data.validation.read_programme`), its people
            (:func:`~ementor_kit.data.people.read_people`) or a programme folder.
        aliases : DataFrame, str or Path, optional
            Columns ``alias`` (as an export writes it) and ``person_id``; a CSV file path.

        Returns
        -------
        ContactBook
            The keys of every person.

        Examples
        --------
        >>> import ementor_kit as ek, pandas as pd
        >>> extra = pd.DataFrame({"alias": ["+33 6 00 00 00 01"], "person_id": ["E001"]})
        >>> ContactBook.of(ek.load_sample(), extra).resolve(["0600000001"])
        [('E001', 'mentee')]
        """
        mentors, mentees, spec = _people_tables(programme)
        identifiers = spec.identifiers if spec is not None else {}
        owners: dict[str, set[tuple[str, str]]] = {}
        roles: dict[str, str] = {}
        zones: set[str] = set()
        for table_role, table in (("mentors", mentors), ("mentees", mentees)):
            role = table_role[:-1]
            id_col = ID_ATTRIBUTE[table_role]
            columns = list(identifiers.get(table_role, ()))
            if spec is None and "display_name" in table.columns:
                columns.append("display_name")
            ids = table[id_col].astype("str").tolist()
            roles.update(dict.fromkeys(ids, role))
            for col in [id_col, *columns]:
                for pid, value in zip(ids, table[col].tolist(), strict=True):
                    key = contact_key(value)
                    if key is not None:
                        owners.setdefault(key, set()).add((pid, role))
            if spec is not None:
                for a in spec.attributes(table_role):
                    if a.type == "timezone" and a.name in table.columns:
                        zones.update(str(z) for z in table[a.name].dropna().unique())
        if aliases is not None:
            for key, pid in _alias_rows(aliases, roles):
                owners.setdefault(key, set()).add((pid, roles[pid]))
        people = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
        ambiguous = frozenset(k for k, v in owners.items() if len(v) > 1)
        zone = next(iter(zones)) if len(zones) == 1 and "/" in next(iter(zones)) else None
        return cls(people, ambiguous, roles, zone)

    def resolve(self, aliases: Iterable[object]) -> list[tuple[str, str] | None]:
        """``(person_id, role)`` of each alias, ``None`` when unknown or ambiguous.

        Parameters
        ----------
        aliases : iterable
            Names, e-mail addresses or phone numbers as an export writes them.

        Returns
        -------
        list
            One entry per alias.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> ContactBook.of(ek.load_sample()).resolve(["M002"])
        [('M002', 'mentor')]
        """
        out: list[tuple[str, str] | None] = []
        for alias in aliases:
            found = None
            for key in alias_keys(alias):
                found = self.people.get(key)
                if found is not None or key in self.ambiguous:
                    break
            out.append(found)
        return out


def alias_keys(alias: object) -> list[str]:
    """The keys of an alias, best first: ``"Name <address>"`` gives the address, then the name.

    Parameters
    ----------
    alias : object
        As an export writes it.

    Returns
    -------
    list of str
        Its keys (:func:`contact_key`), empty for an empty alias.

    Examples
    --------
    >>> alias_keys("Hugo J. <hugo@example.org>")
    ['mail:hugo@example.org', 'name:hugo j']
    """
    if alias is None or (isinstance(alias, float) and alias != alias):
        return []
    m = _NAMED_ADDRESS.match(str(alias))
    parts = [m.group(2), m.group(1)] if m else [alias]
    return [k for k in map(contact_key, parts) if k is not None]


def _people_tables(
    programme: object,
) -> tuple[pd.DataFrame, pd.DataFrame, ProgrammeSpec | None]:
    if isinstance(programme, (str, Path)):
        programme = read_programme(programme)
    if isinstance(programme, Programme):
        return programme.mentors, programme.mentees, programme.spec
    if isinstance(programme, People):
        return programme.mentors, programme.mentees, programme.spec
    raise ArgumentTypeError(
        "programme",
        programme,
        N_("pass ek.read_programme(folder), ek.read_people(...) or a programme folder"),
    )


def _alias_rows(aliases: pd.DataFrame | str | Path, roles: dict[str, str]) -> list[tuple[str, str]]:
    name = "aliases"
    if isinstance(aliases, (str, Path)):
        name = Path(aliases).name
        aliases = pd.read_csv(aliases, dtype=str, keep_default_na=False)
    if not isinstance(aliases, pd.DataFrame):
        raise ArgumentTypeError(
            "aliases", aliases, N_("pass a DataFrame (or CSV file) with columns alias, person_id")
        )
    missing = [c for c in ("alias", "person_id") if c not in aliases.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    name, c, (), N_("column missing"), N_("name the columns alias and person_id")
                )
                for c in missing
            ]
        )
    rows: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for i, (alias, pid) in enumerate(zip(aliases["alias"], aliases["person_id"], strict=True)):
        key = contact_key(alias)
        if str(pid) not in roles:
            problems.append(
                Problem(
                    name,
                    "person_id",
                    (i + 2,),
                    N_("{pid!r} is no mentor_id or mentee_id of the programme").format(pid=pid),
                    N_("write the id of a person of mentors.csv or mentees.csv"),
                )
            )
        elif key is None:
            problems.append(
                Problem(
                    name, "alias", (i + 2,), N_("empty alias"), N_("write the name as exported")
                )
            )
        else:
            rows.append((key, str(pid)))
    if problems:
        raise DataValidationError(problems)
    return rows
