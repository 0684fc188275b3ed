"""Which columns of an export are direct identifiers, and why: by header and by content.

:func:`_identifier_reasons` gives ``{column: reason}`` for the columns of a responses table
that identify a person:

* **by header** - the platform's identifier columns
  (:data:`~ementor_kit.survey.privacy.IDENTIFIER_COLUMNS`), and columns whose name or
  question text *is* an identifier heading in French or English (``Nom``, ``Prénom``,
  ``E-mail``, ``Courriel``, ``Téléphone``, ``Adresse``, ``Code postal``, ``IP address``,
  ``Latitude``, ``Date de naissance`` ...; compared without accents, case or punctuation,
  ``votre`` / ``your`` and ``(optional)`` left out), student numbers (``Matricule``,
  ``Roll number``), and short headings (two to four words) ending (English) or beginning
  (French) like one, with answers mostly distinct: ``Cell Phone Number``, ``Permanent
  Street Address``, ``Téléphone du parent``. The row label of a multi-column question
  counts too (``"Contact information - Email Address"``), and once a block holds a name,
  e-mail, phone or address, its ``Company``, ``City/Town``, ``State/Province`` and ``Country``
  rows go with it (SurveyMonkey's "Contact information" question);
* **by content** - text columns whose answers are mostly e-mail addresses or phone numbers
  (French ``06 12 34 56 78`` / ``+33 6 ...``, international ``+44 ...``), or look like person
  names: one to three capitalised words, mostly two or more, nearly all different, none of them
  a response label of a built-in instrument.

Id columns (response and respondent ids, ``id_columns=``) are never identifiers here: they
are pseudonymised later (:func:`~ementor_kit.survey.privacy.pseudonymise`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Mapping

import pandas as pd

from ementor_kit.survey.instruments import list_instruments, load_instrument
from ementor_kit.survey.privacy import IDENTIFIER_COLUMNS

_FILLER = frozenset(
    "your votre vos ton ta tes my mon ma the le la les l de d du des please svp merci enter "
    "indiquer indiquez saisir saisissez renseignez renseigner quel quelle est what is "
    "optional optionnel optionnelle facultatif facultative s il vous plait here ici".split()
)
"""Words left out of a heading before it is compared (``Votre adresse e-mail (facultatif)``)."""

_HEADINGS: dict[str, tuple[str, ...]] = {
    "a name": (
        "name",
        "names",
        "nom",
        "noms",
        "prenom",
        "prenoms",
        "first name",
        "last name",
        "full name",
        "surname",
        "given name",
        "family name",
        "firstname",
        "lastname",
        "fullname",
        "first and last name",
        "name and surname",
        "nom famille",
        "nom prenom",
        "prenom nom",
        "nom et prenom",
        "prenom et nom",
        "nom complet",
        "nom usage",
        "nom naissance",
        "username",
        "user name",
        "nom utilisateur",
        "recipient first name",
        "recipient last name",
        "recipient name",
    ),
    "an e-mail address": (
        "email",
        "emails",
        "e mail",
        "mail",
        "courriel",
        "email address",
        "e mail address",
        "emailaddress",
        "mail address",
        "adresse email",
        "adresse e mail",
        "adresse mail",
        "adresse courriel",
        "adresse electronique",
        "adresse messagerie",
        "recipient email",
    ),
    "a phone number": (
        "telephone",
        "tel",
        "phone",
        "phone number",
        "telephone number",
        "mobile",
        "mobile phone",
        "mobile number",
        "cell phone",
        "cellphone",
        "portable",
        "gsm",
        "numero telephone",
        "numero portable",
        "numero mobile",
        "numero tel",
        "telephone portable",
        "telephone mobile",
    ),
    "a postal address": (
        "adresse",
        "address",
        "address 2",
        "address line 1",
        "address line 2",
        "street address",
        "home address",
        "postal address",
        "adresse postale",
        "adresse domicile",
        "domicile",
        "code postal",
        "postal code",
        "postcode",
        "zip",
        "zip code",
        "zip postal code",
        "zip postal",
    ),
    "an IP address": ("ip", "ip address", "adresse ip", "ipaddress", "ipaddr"),
    "a location": (
        "location",
        "localisation",
        "geolocation",
        "geolocalisation",
        "latitude",
        "longitude",
        "location latitude",
        "location longitude",
        "location accuracy",
        "gps",
        "coordonnees gps",
    ),
    "a date of birth": (
        "date of birth",
        "birth date",
        "birthdate",
        "dob",
        "date naissance",
        "jour naissance",
        "ne le",
        "nee le",
    ),
    "a student or personal number": (
        "student id",
        "student number",
        "student id number",
        "roll number",
        "roll no",
        "matricule",
        "numero matricule",
        "numero etudiant",
        "numero ine",
        "social security number",
        "numero securite sociale",
    ),
}
"""Identifier headings (already normalised by :func:`_phrase`) and what each one is."""

_PHRASES = {p: what for what, ps in _HEADINGS.items() for p in ps}
_ENDS = {
    **{p: "a phone number" for p in ("phone", "phone number", "contact number")},
    **{p: "a phone number" for p in ("telephone number", "mobile number", "whatsapp number")},
    **{p: "an e-mail address" for p in ("email", "e mail", "email address", "e mail address")},
    **{p: "a postal address" for p in ("address", "street address", "postal address")},
    **{p: "a name" for p in ("first name", "last name", "full name", "family name", "surname")},
}
"""Endings of a short English heading naming an identifier (``Cell Phone Number``, ``Other
Phone``, ``Permanent Street Address``, ``Mentor's full name``: headings of genuine Google
Forms exports)."""
_STARTS = {
    **{p: "a phone number" for p in ("telephone", "numero telephone", "portable")},
    **{p: "an e-mail address" for p in ("courriel", "email", "e mail", "adresse email")},
    **{p: "a postal address" for p in ("adresse", "adresse postale")},
}
"""Beginnings of a short French heading naming an identifier (``Téléphone du parent``,
``Adresse du domicile``, ``Courriel du mentor``)."""
_NOT_IDENTIFIER = frozenset(
    ("ip", "web", "website", "url", "mac", "site", "time", "tijd", "temps", "duree", "duration")
)
"""Words that make such a heading something else (``Adresse IP``, ``Web address``, and the
timing columns of a LimeSurvey 2.x export: ``Vraag tijd: email``)."""


def _kind(phrase: str, answers: pd.Series) -> str | None:
    """What a normalised heading names: an identifier heading (:data:`_HEADINGS`), or a short
    heading (two to four words) ending or beginning like one whose answers are mostly
    distinct: at least half of them, and more than two different ones when there are three
    or more (``Other phone`` typed per person, not ``Own a phone?`` answered yes or no);
    numbers only as whole numbers, for a phone or a postal code."""
    if phrase in _PHRASES:
        return _PHRASES[phrase]
    words = phrase.split()
    if not 2 <= len(words) <= 4 or _NOT_IDENTIFIER & set(words):
        return None
    for n in (2, 1):
        what = _ENDS.get(" ".join(words[-n:])) or _STARTS.get(" ".join(words[:n]))
        if what and answers.dtype != "str":  # numbers: only whole ones, as a phone or a zip
            numbers = pd.to_numeric(answers.dropna(), errors="coerce")
            if what not in ("a phone number", "a postal address") or (numbers % 1 != 0).any():
                return None
        if what:
            values = [str(v).strip().casefold() for v in answers.dropna().tolist()]
            values = [v for v in values if v]
            k = len(set(values))  # typed per person, not options ticked (yes / no)
            return what if k >= 0.5 * len(values) and (k > 2 or len(values) < 3) else None
    return None


_DIRECT = frozenset(("a name", "an e-mail address", "a phone number", "a postal address"))
"""Kinds that make a multi-column question a contact block."""
_BLOCK_ONLY = frozenset(
    (
        "company",
        "city",
        "town",
        "city town",
        "state",
        "state province",
        "province",
        "country",
        "ville",
        "commune",
        "pays",
        "region",
        "entreprise",
        "societe",
        "organisation",
        "organization",
    )
)
"""Rows of a contact block that identify only next to a name or an address (never alone)."""

_KNOWN = {re.sub(r"[\s_\-]+", "", c).casefold() for c in IDENTIFIER_COLUMNS}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_FR = re.compile(r"^(?:(?:\+|00)33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?\d{2}){4}$")
_PHONE_INTL = re.compile(r"^\+\d[\d\s.\-()]{6,20}\d$")
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME_WORD = re.compile(
    rf"^(?:[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}][{_LOWER}'’]+)*|[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})*)$"
)
_PARTICLES = frozenset("de du des d' van von der den da di le la".split())

_MIN_SHARE = 0.5
"""Share of the answers that must be e-mail addresses or phone numbers."""
_NAME_SHARE, _NAME_UNIQUE, _NAME_MULTIWORD, _NAME_MIN = 0.8, 0.9, 0.5, 3
"""Person names: share of answers that look like one, share of them distinct, share of two
or more words, fewest answers."""


def _phrase(text: str) -> str:
    """``text`` as compared with :data:`_HEADINGS`: camelCase split, accents, case and
    punctuation removed, filler words left out."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", str(text))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()
    return " ".join(w for w in words if w not in _FILLER)


def _parts(question: str) -> tuple[str, str | None]:
    """A question text as (block, row): ``"Q - row"`` and ``"Q [row]"``; else (text, None)."""
    m = re.match(r"^(.*\S)\s+-\s+(.+)$", question, re.S) or re.match(
        r"^(.*\S)\s*\[([^\]]+)\]$", question, re.S
    )
    return (m.group(1), m.group(2)) if m else (question, None)


def _typed_in(s: pd.Series, label: str) -> bool:
    """Answers typed in a text box: text other than ``label`` (a ticked option's value)."""
    if s.dtype != "str":
        return False
    return any(v.strip() != label.strip() for v in s.dropna().tolist())


def _by_header(
    df: pd.DataFrame, questions: Mapping[str, str], skip: Collection[str]
) -> dict[str, str]:
    """Identifier columns by their name, question text or row label.

    A row label counts alone only when the answers under it are typed text, not the option
    ticked (``"Téléphone"`` as a channel in a multiple choice) nor a rating; in a contact
    block (a row with a typed name, e-mail, phone or address) every identifier row counts,
    empty or numeric (``ZIP/Postal Code``). The platform's identifier columns are dropped
    even when they are id columns (``ExternalReference``).
    """
    found: dict[str, str] = {}
    blocks: dict[str, list[tuple[str, str]]] = {}
    contact: set[str] = set()
    for col in map(str, df.columns):
        if re.sub(r"[\s_\-]+", "", col).casefold() in _KNOWN:
            found[col] = "a direct identifier column of the platform"
            continue
        if col in skip:
            continue
        text = questions.get(col, "")
        block, row = _parts(text) if text else ("", None)
        typed = row is not None and _typed_in(df[col], row)
        for label, where in (
            (col, "column"),
            (text, "question"),
            (row if typed else None, "answer row"),
        ):
            phrase = _phrase(label) if label else ""
            # a "Question - row" text goes by its row (typed answers, contact block)
            fuzzy = where != "question" or row is None
            what = (_kind(phrase, df[col]) if fuzzy else _PHRASES.get(phrase)) if label else None
            if what:
                found[col] = f"{where} {label!r}: {what}"
                if where == "answer row" and what in _DIRECT:
                    contact.add(block)
                break
        if row is not None:
            blocks.setdefault(block, []).append((col, row))
    for block in contact:
        for col, row in blocks[block]:
            phrase = _phrase(row)
            if col in found or not (phrase in _PHRASES or phrase in _BLOCK_ONLY):
                continue
            what = _PHRASES.get(phrase, "part of it")
            found[col] = f"answer row {row!r} of the contact block {block!r}: {what}"
    return found


@functools.lru_cache(maxsize=1)
def _scale_labels() -> frozenset[str]:
    """Response labels of every built-in instrument, in every language (case-folded)."""
    out: set[str] = set()
    for name in list_instruments()["id"]:
        for _, labels in load_instrument(str(name)).response_labels:
            out.update(lab.casefold() for lab in labels)
    return frozenset(out)


def _looks_like_name(value: str) -> int:
    """Words of a person name in ``value`` (0 when it does not look like one)."""
    words = [w for w in value.split() if w.casefold() not in _PARTICLES]
    if not 1 <= len(words) <= 3 or not all(_NAME_WORD.match(w) for w in words):
        return 0
    return len(words)


def _by_content(values: list[str]) -> str | None:
    """Why answers ``values`` (stripped, none blank) identify people, or None."""
    n = len(values)
    for what, test in (
        ("e-mail addresses", lambda v: bool(_EMAIL.match(v))),
        ("phone numbers", lambda v: bool(_PHONE_FR.match(v) or _PHONE_INTL.match(v))),
    ):
        k = sum(map(test, values))
        if k and k >= _MIN_SHARE * n:
            return f"{k} of {n} answers are {what}"
    if n < _NAME_MIN:
        return None
    words = [_looks_like_name(v) for v in values]
    named = [v for v, w in zip(values, words, strict=True) if w]
    if len(named) < _NAME_SHARE * n or len({v.casefold() for v in named}) < _NAME_UNIQUE * len(
        named
    ):
        return None
    if sum(w >= 2 for w in words) < _NAME_MULTIWORD * len(named):
        return None
    if any(v.casefold() in _scale_labels() for v in named):
        return None
    return (
        f"{len(named)} of {n} answers look like person names (capitalised words, "
        f"{len({v.casefold() for v in named})} distinct)"
    )


def _identifier_reasons(
    df: pd.DataFrame, questions: Mapping[str, str], skip: Collection[str]
) -> dict[str, str]:
    """``{column: reason}`` for the identifier columns of ``df``, in column order.

    ``skip`` are the id columns (never identifiers here).
    """
    columns = [str(c) for c in df.columns]
    found = _by_header(df, questions, skip)
    for col in columns:
        if col in found or col in skip or df[col].dtype != "str":
            continue
        values = [v.strip() for v in df[col].dropna().tolist() if v.strip()]
        why = _by_content(values) if values else None
        if why:
            found[col] = f"content: {why}"
    return {c: found[c] for c in columns if c in found}
