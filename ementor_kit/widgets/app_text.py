"""What the coordinator app shows in words: the proposal's checks in the page's language, the
coordinator's decisions, and the ids people are shown by.

The programme proposal (:func:`~ementor_kit.propose_programme`) writes its points to check in
English (they are data of the spec, compared by tests and written into ``programme.yaml``);
:func:`~ementor_kit.data.review_text.check_text` writes each one again in the page's language from the catalogue, with the
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

__all__ = ["Decision", "confidence_text", "role_text", "shown_ids", "type_text"]

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
