"""What the coordinator app shows in words: the proposal's checks in the page's language, the
coordinator's decisions, and the ids people are shown by.

The programme proposal (:func:`~ementor_kit.propose_programme`) writes its points to check in
English (they are data of the spec, compared by tests and written into ``programme.yaml``);
:func:`check_text` writes each one again in the page's language from the catalogue, with the
same values. The coordinator's decisions are kept as data (:class:`Decision`) and worded
when shown, so that switching the language rewords them too.

Ids may be e-mail addresses or phone numbers (the proposal takes a unique contact column as
the id when the export has no id column): :func:`shown_ids` gives such ids a pseudonymous
label (``M-003``: the mentor of the third row) for every table and list of the page; the
downloads keep the real ids, which the programme's files hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ementor_kit.i18n import N_, Translator
from ementor_kit.i18n.messages import Nn_

__all__ = ["Decision", "check_text", "confidence_text", "role_text", "shown_ids", "type_text"]

_Q = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""  # a Python repr of a text
# (the proposal's English check, as a pattern) -> its message; values are kept as written
_CHECKS: tuple[tuple[re.Pattern[str], str | tuple[str, str]], ...] = tuple(
    (re.compile(p), m)
    for p, m in (
        (rf"(?P<shown>.+) read as one code (?P<code>{_Q})", N_("{shown} read as one code {code}")),
        (
            rf"(?P<a>{_Q}) and (?P<b>{_Q}) look alike: if they are the same, recode both labels "
            "to one code",
            N_("{a} and {b} look alike: if they are the same, recode both labels to one code"),
        ),
        (
            r"(?P<n>\d+) different labels: is this free text\? \(type: text\)",
            N_("{n} different labels: is this free text? (type: text)"),
        ),
        (
            rf"language (?P<label>{_Q}) not recognised: write its ISO 639 code in recode",
            N_("language {label} not recognised: write its ISO 639 code in recode"),
        ),
        (
            rf"language (?P<label>{_Q}) not recognised: which creole\? (?P<codes>.+) in recode",
            N_("language {label} not recognised: which creole? {codes} in recode"),
        ),
        (
            rf"language (?P<label>{_Q}) not recognised: which sign language\? (?P<codes>.+) "
            "in recode",
            N_("language {label} not recognised: which sign language? {codes} in recode"),
        ),
        (
            r"'cr' is Cree \(ISO 639-1\): French creoles are gcf, rcf, gcr, ht, or cpf for any",
            N_("'cr' is Cree (ISO 639-1): French creoles are gcf, rcf, gcr, ht, or cpf for any"),
        ),
        (
            r"some values use ',' and others '\.' as decimal mark",
            N_("some values use ',' and others '.' as decimal mark"),
        ),
        (
            r"values outside (?P<low>\S+)\.\.(?P<high>\S+): (?P<values>.+)",
            N_("values outside {low}..{high}: {values}"),
        ),
        (
            r"day and month cannot be told apart from these values: read as day/month",
            N_("day and month cannot be told apart from these values: read as day/month"),
        ),
        (
            r"dates not in a known format: give format: \(e\.g\. %d/%m/%Y\)",
            N_("dates not in a known format: give format: (e.g. %d/%m/%Y)"),
        ),
        (
            r"time zone\(s\) not recognised: (?P<zones>.+): recode them to an IANA zone or "
            r"UTC\+hh:mm",
            N_("time zone(s) not recognised: {zones}: recode them to an IANA zone or UTC+hh:mm"),
        ),
        (r"not used for matching", N_("not used for matching")),
        (r"not used", N_("not used")),
        (
            r"ids repeat \((?P<ids>.+)\): every person needs their own id",
            N_("ids repeat ({ids}): every person needs their own id"),
        ),
        (r"some people have no id", N_("some people have no id")),
        (
            r"the e-mail address is the id: pseudonymise ids before sharing analyses",
            N_("the e-mail address is the id: pseudonymise ids before sharing analyses"),
        ),
        (rf"header read as (?P<name>{_Q})", N_("header read as {name}")),
        (
            r"header not recognised: attribute named after it",
            N_("header not recognised: attribute named after it"),
        ),
        (
            rf"no id column: (?P<column>{_Q}) is unique, used as id",
            N_("no id column: {column} is unique, used as id"),
        ),
        (
            r"no id column found: add one \(any unique text per person\) and set column: here",
            N_("no id column found: add one (any unique text per person) and set column: here"),
        ),
        (
            rf"role label (?P<label>{_Q}) not recognised: set it to mentors or mentees under "
            "roles",
            N_("role label {label} not recognised: set it to mentors or mentees under roles"),
        ),
        (r"tells mentors from mentees", N_("tells mentors from mentees")),
        (
            r"read as (?P<encoding>\S+), separator (?P<separator>.+)",
            N_("read as {encoding}, separator {separator}"),
        ),
        (rf"sheet (?P<sheet>{_Q})", N_("sheet {sheet}")),
        (rf"decimal mark (?P<mark>{_Q})", N_("decimal mark {mark}")),
        (
            r"skipped: (?P<n>\d+) \(rows (?P<rows>[\d, ]+): empty row\)",
            N_("skipped: {n} (rows {rows}: empty row)"),
        ),
        (
            r"from a DataFrame: save it as a file and set its path",
            N_("from a DataFrame: save it as a file and set its path"),
        ),
        (r"(?P<n>\d+) rows", Nn_("{n} rows", "{n} rows")),
    )
)
_AND = re.compile(rf"(?<=\)) and (?={_Q[:1]}|\")")  # between "'a' (1)" and "'b' (5)"
_CONFIDENCE = {
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    "declared": N_("declared"),
}
_TYPES = {
    "id": N_("id"),
    "name": N_("name"),
    "contact": N_("contact"),
    "category": N_("category"),
    "multi": N_("several choices"),
    "number": N_("number"),
    "integer": N_("whole number"),
    "boolean": N_("yes / no"),
    "language": N_("languages"),
    "timezone": N_("time zone"),
    "date": N_("date"),
    "text": N_("free text"),
    "ignore": N_("not read"),
    "role": N_("role"),
}
# what an attribute holds, in plain words (the "read as" column of the data review)
_ATTRIBUTES = {
    "mentor_id": N_("mentor's id"),
    "mentee_id": N_("mentee's id"),
    "email": N_("e-mail address"),
    "phone": N_("phone number"),
    "name": N_("name"),
    "display_name": N_("name shown"),
    "first_name": N_("first name"),
    "last_name": N_("last name"),
    "languages": N_("languages spoken"),
    "skills_offered": N_("skills offered"),
    "skills_sought": N_("skills sought"),
    "goals": N_("goals"),
    "domain": N_("professional field"),
    "availability_hours": N_("hours available per week"),
    "organisation": N_("organisation"),
    "department": N_("department"),
    "timezone": N_("time zone"),
    "utc_offset": N_("time zone"),
    "region": N_("region"),
    "modality": N_("preferred way of exchanging"),
    "capacity": N_("mentees at once (capacity)"),
    "years_experience": N_("years of experience"),
    "career_stage": N_("career stage"),
    "digital_comfort": N_("ease with digital tools"),
    "cohort": N_("cohort"),
    "group": N_("group"),
    "gender": N_("gender"),
    "age": N_("age"),
    "birth_date": N_("date of birth"),
    "consent": N_("consent"),
    "comments": N_("comments"),
    "role": N_("role"),
}
_ROLES = {
    "mentors": N_("mentors"),
    "mentees": N_("mentees"),
    "mentors, mentees": N_("mentors and mentees"),
}


def _one_check(part: str, t: Translator) -> str:
    for pattern, message in _CHECKS:
        m = pattern.fullmatch(part)
        if m is None:
            continue
        values = m.groupdict()
        if "shown" in values:  # "'Sante' (1) and 'Santé' (5)": the joining word translated
            values["shown"] = t.gettext(" and ").join(_AND.split(values["shown"]))
        if isinstance(message, tuple):  # a count: the plural form of the language
            return t.ngettext(*message, int(values["n"])).format(**values)
        return t.gettext(message).format(**values)
    return part


def check_text(text: str, t: Translator) -> str:
    """A point to check of the proposal (parts joined by ``"; "``) in ``t``'s language.

    A part the catalogue does not know is kept as it is.

    Examples
    --------
    >>> from ementor_kit.i18n import translator
    >>> check_text("'Sante' (1) and 'Santé' (5) read as one code 'sante'", translator("fr"))
    "'Sante' (1) et 'Santé' (5) lus comme un seul code 'sante'"
    >>> check_text("header read as 'domain'; not used", translator("en"))
    "header read as 'domain'; not used"
    """
    if not text:
        return text
    sep = "; " if t.lang == "en" else " ; "  # French sets a space before ; and :
    return sep.join(_one_check(p, t) for p in text.split("; "))


def confidence_text(value: str, t: Translator) -> str:
    """``high``, ``medium``, ``low``, ``declared`` in words of the page's language."""
    return t.gettext(_CONFIDENCE[value]) if value in _CONFIDENCE else value


def type_text(value: str, t: Translator) -> str:
    """An attribute type (:data:`~ementor_kit.data.spec.TYPES`) in plain words."""
    return t.gettext(_TYPES[value]) if value in _TYPES else value


def attribute_text(name: str, t: Translator) -> str:
    """What attribute ``name`` holds, in plain words of ``t``'s language.

    A name the app does not know (an attribute named after an unrecognised header) is
    shown with spaces for its underscores.

    Examples
    --------
    >>> from ementor_kit.i18n import translator
    >>> attribute_text("availability_hours", translator("en"))
    'hours available per week'
    >>> attribute_text("capacity", translator("fr")), attribute_text("deja_mentor", translator("fr"))
    ('mentoré·es à la fois (capacité)', 'deja mentor')
    """
    if name in _ATTRIBUTES:
        return t.gettext(_ATTRIBUTES[name])
    return name.replace("_", " ")


def role_text(value: str, t: Translator) -> str:
    """``mentors``, ``mentees`` (or both) in the page's language."""
    return t.gettext(_ROLES[value]) if value in _ROLES else value


@dataclass(frozen=True)
class Decision:
    """One decision of the coordinator on the proposal, worded when shown.

    ``kind`` is ``type`` (``value`` the type), ``recode`` (``label`` read as ``value``) or
    ``accept`` (right as proposed).

    Examples
    --------
    >>> from ementor_kit.i18n import translator
    >>> d = Decision("recode", "mentees", "domain", "sante", label="Sante")
    >>> d.text(translator("en")), d.text(translator("fr"))
    ("mentees.domain: 'Sante' read as 'sante'", "mentees.domain : 'Sante' lu comme 'sante'")
    """

    kind: str
    role: str
    name: str
    value: object = None
    label: str | None = None

    def text(self, t: Translator) -> str:
        """The decision in ``t``'s language."""
        if self.kind == "type":
            return t.gettext("{role}.{name}: read as {type}").format(
                role=self.role, name=self.name, type=type_text(str(self.value), t)
            )
        if self.kind == "recode":
            return t.gettext("{role}.{name}: {label!r} read as {code!r}").format(
                role=self.role, name=self.name, label=self.label, code=self.value
            )
        return t.gettext("{role}.{name}: right as proposed").format(role=self.role, name=self.name)


_CONTACT_ID = re.compile(r"@|^\+?[\d\s().-]{8,}$")


def shown_ids(mentor_ids: Iterable[str], mentee_ids: Iterable[str]) -> dict[str, str]:
    """Id -> the label shown in the page, for the ids that are contacts.

    When any id of a role is an e-mail address or a phone number, every id of that role is
    shown as a pseudonym of its row: ``M-001``, ``M-002``... for mentors and ``E-001``... for
    mentees, in the order given (the files' order). Other ids are shown as they are (and are
    not in the mapping).

    Examples
    --------
    >>> shown_ids(["ana@x.fr", "bo@x.fr"], ["E01", "E02"])
    {'ana@x.fr': 'M-001', 'bo@x.fr': 'M-002'}
    >>> shown_ids(["M1"], ["+33 6 12 34 56 78"])
    {'+33 6 12 34 56 78': 'E-001'}
    """
    roles = {"M": [str(i) for i in mentor_ids], "E": [str(i) for i in mentee_ids]}
    taken = {i for ids in roles.values() for i in ids}
    out: dict[str, str] = {}
    for prefix, ids in roles.items():
        if not any(_CONTACT_ID.search(i) for i in ids):
            continue
        width = max(3, len(str(len(ids))))
        mark = prefix + "-"
        while any(f"{mark}{n:0{width}d}" in taken for n in range(1, len(ids) + 1)):
            mark += "-"  # an id of the data already looks like the label
        out.update({i: f"{mark}{n:0{width}d}" for n, i in enumerate(ids, 1)})
    return out
