"""The programme proposal's points to check, written again in a language.

:func:`~ementor_kit.propose_programme` writes its points to check in English: they are data
of the spec, compared by tests and written into ``programme.yaml``. :func:`check_text` writes
each one again from the catalogue, with the same values; :meth:`ProgrammeSpec.review
<ementor_kit.data.spec.ProgrammeSpec.review>` (``lang=``), the coordinator app and the
command line show them so.
"""

from __future__ import annotations

import re

from ementor_kit.i18n.language import N_, Translator
from ementor_kit.i18n.messages import Nn_

__all__ = ["check_text"]

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
