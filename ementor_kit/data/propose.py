"""A first ``programme.yaml`` proposed from a coordinator's raw export.

:func:`propose_programme` reads the export with :func:`~ementor_kit.data.raw.read_raw`, sets
form metadata aside (time stamps, response ids), matches the headers to attributes with French
and English synonyms, infers each column's type and vocabulary, and says what it is unsure of:
:meth:`~ementor_kit.data.spec.ProgrammeSpec.review` lists every decision. Extra columns are
never refused: they are kept as ``text`` (or ``ignore`` when empty) and listed as not used.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ementor_kit.data._labels import (
    AMBIGUOUS_LANGUAGES,
    boolean_label,
    fold,
    language_code,
    slug,
    split_items,
    stem,
    timezone_code,
)
from ementor_kit.data.raw import RawTable, _raw_from_frame, read_raw
from ementor_kit.data.spec import (
    ID_ATTRIBUTE,
    ROLES,
    AttributeSpec,
    PeopleFile,
    ProgrammeSpec,
    ReviewNote,
)
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.i18n.language import N_

__all__ = ["propose_programme", "propose_rules"]

# name for mentors, name for mentees, type, headers (folded: lower case, no accents)
_KNOWN: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("mentor_id", "mentee_id", "id", (
        "id", "identifiant", "numero etudiant", "n etudiant", "no etudiant", "num etudiant",
        "numero d etudiant", "id etudiant", "matricule", "code participant", "student id",
        "student number", "participant id", "identifier", "numero de participant",
        "numero de dossier", "reference",
    )),
    ("email", "email", "contact", (
        "adresse e mail", "adresse email", "adresse mail", "e mail", "email", "mail",
        "courriel", "adresse electronique", "adresse de messagerie", "email address",
        "e mail address", "adresse courriel", "votre adresse e mail",
    )),
    ("phone", "phone", "contact", (
        "telephone", "numero de telephone", "tel", "portable", "telephone portable", "mobile",
        "phone", "phone number", "mobile phone",
    )),
    ("name", "name", "name", (
        "nom prenom", "prenom nom", "nom et prenom", "prenom et nom", "nom complet", "name",
        "full name", "nom", "votre nom", "your name", "display name", "pseudonyme",
    )),
    ("first_name", "first_name", "name", ("prenom", "first name", "given name")),
    ("last_name", "last_name", "name", ("nom de famille", "last name", "surname", "family name")),
    ("languages", "languages", "language", (
        "langue", "langues", "langues parlees", "langue parlee", "langues de mentorat",
        "language", "languages", "languages spoken", "spoken languages", "langue d echange",
        "langues d echange",
    )),
    ("skills_offered", "skills_sought", "multi", ("competence", "competences", "skills")),
    ("skills_sought", "skills_sought", "multi", (
        "competences recherchees", "competences souhaitees", "competences a developper",
        "besoins", "besoins d accompagnement", "skills sought", "skills wanted",
        "skills to develop", "ce que vous recherchez",
    )),
    ("skills_offered", "skills_offered", "multi", (
        "competences proposees", "competences offertes", "competences transmises",
        "competences a partager", "expertise", "skills offered", "skills to share",
    )),
    ("goals", "goals", "multi", ("objectif", "objectifs", "goals", "goal", "vos objectifs")),
    ("domain", "domain", "category", (
        "domaine", "domaine professionnel", "secteur", "secteur d activite", "filiere",
        "field", "domain", "sector", "industry", "metier",
    )),
    ("availability_hours", "availability_hours", "number", (
        "disponibilite", "disponibilites", "heures par semaine", "temps disponible",
        "availability", "hours per week", "disponibilite heures",
    )),
    ("organisation", "organisation", "category", (
        "organisation", "organization", "employeur", "entreprise", "etablissement", "ecole",
        "universite", "structure", "employer", "company", "school", "university",
    )),
    ("department", "department", "category", (
        "service", "departement", "department", "direction", "equipe", "team", "pole",
    )),
    ("timezone", "timezone", "timezone", (
        "fuseau horaire", "fuseau", "time zone", "timezone", "utc offset", "decalage horaire",
    )),
    ("region", "region", "category", (
        "region", "ville", "lieu de residence", "pays", "country", "city", "location",
        "localisation", "territoire",
    )),
    ("modality", "modality", "category", (
        "modalite", "modalite preferee", "modalites", "mode d echange", "mode d echange prefere",
        "preferred mode", "modality", "format prefere", "mode de mentorat",
    )),
    ("capacity", "capacity", "integer", (
        "capacite", "nombre de mentore", "nombre de mentore e", "nombre de mentore es",
        "nombre de mentores", "nb de mentores", "nombre de filleul", "capacity",
        "number of mentees", "combien de mentores",
    )),
    ("years_experience", "years_experience", "integer", (
        "annees d experience", "annee d experience", "annees experience", "experience",
        "years of experience", "years experience", "anciennete",
    )),
    ("career_stage", "career_stage", "category", (
        "situation", "situation actuelle", "statut", "career stage", "status",
        "niveau d etudes", "situation professionnelle",
    )),
    ("digital_comfort", "digital_comfort", "integer", (
        "aisance numerique", "aisance avec le numerique", "digital comfort",
    )),
    ("cohort", "cohort", "category", ("cohorte", "promotion", "promo", "cohort", "session")),
    ("group", "group", "category", ("groupe", "group", "qpv", "quartier prioritaire")),
    ("gender", "gender", "category", ("genre", "sexe", "gender")),
    ("age", "age", "integer", ("age",)),
    ("birth_date", "birth_date", "date", ("date de naissance", "birth date", "date of birth")),
    ("consent", "consent", "boolean", (
        "consentement", "j accepte", "rgpd", "consent", "accord", "accord rgpd",
    )),
    ("comments", "comments", "text", (
        "commentaire", "commentaires", "remarque", "remarques", "observations", "comments",
        "comment", "notes", "precisions", "message", "autre", "autres informations",
        "informations complementaires",
    )),
)  # fmt: skip
_METADATA = {
    "horodateur": "time the form was submitted (Google Forms)",
    "horodatage": "time the form was submitted",
    "timestamp": "time the form was submitted (Google Forms)",
    "date de soumission": "time the form was submitted",
    "submitted at": "time the form was submitted",
    "submission date": "time the form was submitted",
    "date submitted": "time the form was submitted",
    "start time": "time the respondent opened the form (Microsoft Forms)",
    "completion time": "time the form was submitted (Microsoft Forms)",
    "heure de debut": "time the respondent opened the form (Microsoft Forms)",
    "heure de fin": "time the form was submitted (Microsoft Forms)",
    "last modified time": "time the response was last edited (Microsoft Forms)",
    "heure de la derniere modification": "time the response was last edited (Microsoft Forms)",
    "response id": "response number of the form tool",
    "id de reponse": "response number of the form tool",
    "id reponse": "response number of the form tool",
    "respondent id": "response number of the form tool",
    "submission id": "response number of the form tool",
    "collector id": "form tool metadata",
    "start date": "time the respondent opened the form",
    "end date": "time the form was submitted",
    "ip address": "network address of the respondent",
    "adresse ip": "network address of the respondent",
    "network id": "form tool metadata",
    "token": "form tool metadata",
}
_ROLE_HEADERS = (
    "role", "vous etes", "je suis", "profil", "je m inscris en tant que", "inscription en tant que",
    "type de participant", "participant type", "i am", "i am a", "statut dans le programme",
    "vous souhaitez etre", "je souhaite etre", "vous vous inscrivez comme",
)  # fmt: skip
_MENTOR_WORDS = {"mentor", "marraine", "parrain", "tuteur", "tutrice", "accompagnant"}
_MENTEE_WORDS = {"mentore", "mentoree", "mentee", "filleul", "filleule", "accompagne", "tutore"}
_MENTEE_WORDS |= {"beneficiaire", "etudiant", "etudiante", "jeune", "eleve"}
_MODALITY_WORDS = {
    "sync": {"visio", "video", "visioconference", "telephone", "phone", "appel", "oral"},
    "async": {"ecrit", "messagerie", "mail", "email", "chat", "message", "forum", "texte"},
    "mixed": {"deux", "mixte", "both", "hybride", "indifferent", "importe", "mixed"},
}
_MODALITY_WORDS["sync"] |= {"synchrone", "direct", "call", "zoom", "teams"}
_MODALITY_WORDS["async"] |= {"asynchrone", "written", "messaging"}
# ranges that cannot be wrong whatever the programme
_RANGES = {
    "availability_hours": (0, 168, "hours/week"),
    "capacity": (1, None, None),
    "years_experience": (0, 80, "years"),
    "age": (0, 120, "years"),
}
_NUMBER_RE = re.compile(r"^[+-]?\d+(?:([.,])\d+)?$")
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M:%S",
)
_MULTI_SEPARATORS = (";", ", ", ",", " / ")


def _header_score(header: str, synonym: str) -> float:
    """How well a header matches a synonym (folded), 0 to 1."""
    h = fold(header)
    if h == synonym:
        return 1.0
    core = fold(re.sub(r"\([^)]*\)", " ", header))
    if core == synonym:
        return 0.95
    tokens = {stem(t) for t in core.split()}
    wanted = [stem(t) for t in synonym.split()]
    if all(t in tokens for t in wanted) and (len(wanted) > 1 or len(wanted[0]) >= 4):
        return 0.6 + 0.3 * len(synonym) / max(len(core), 1)
    if 2 * min(len(core), len(synonym)) < 0.85 * (len(core) + len(synonym)):
        return 0.0  # lengths too far apart for a ratio of 0.85
    ratio = difflib.SequenceMatcher(None, core, synonym).ratio()
    return 0.75 * ratio if ratio >= 0.85 else 0.0


@lru_cache(maxsize=4096)
def _match_header(header: str, role: str) -> tuple[str, str, float] | None:
    """Best (attribute, type, score) for a header, or ``None``."""
    best: tuple[str, str, float] | None = None
    for mentor_name, mentee_name, kind, synonyms in _KNOWN:
        name = mentor_name if role == "mentors" else mentee_name
        score = max(_header_score(header, s) for s in (fold(name), *synonyms))
        if score and (best is None or score > best[2]):
            best = (name, kind, score)
    return best


def _metadata_reason(
    header: str, values: Sequence[str | None], headers: Sequence[str]
) -> str | None:
    f = fold(header)
    if f in _METADATA:
        return _METADATA[f]
    if f == "id":
        folded = {fold(h) for h in headers}
        filled = [v for v in values if v is not None]
        numbers = [int(v) for v in filled if v.strip().isdigit()]
        ms_forms = bool(
            folded & {"start time", "completion time", "heure de debut", "heure de fin"}
        )
        if (
            len(numbers) == len(filled)
            and numbers == sorted(numbers)
            and (ms_forms or headers[0] == header)
        ):
            return "response number of the form tool (Microsoft Forms)"
    return None


def _role_of_label(label: str) -> str | None:
    words = set(fold(label).split())
    mentee, mentor = bool(words & _MENTEE_WORDS), bool(words & _MENTOR_WORDS)
    return "mentees" if mentee and not mentor else "mentors" if mentor and not mentee else None


def _modality_code(label: str) -> str:
    words = set(fold(label).split())
    found = [code for code, vocab in _MODALITY_WORDS.items() if words & vocab]
    if "mixed" in found or {"sync", "async"} <= set(found):
        return "mixed"
    return found[0] if found else slug(label)


# --------------------------------------------------------------------------- one column


@dataclass
class _Decision:
    """A proposed attribute and what the coordinator should check."""

    attribute: AttributeSpec
    confidence: str
    checks: list[str] = field(default_factory=list)


def _seen(values: Iterable[str], n: int = 5) -> str:
    counts = Counter(" ".join(v.split()) for v in values)
    shown = [f"{v} ({c})" if c > 1 else v for v, c in counts.most_common(n)]
    more = len(counts) - n
    return ", ".join(shown) + (f", ... (+{more})" if more > 0 else "")


def _split_separator(values: Sequence[str], forced: bool) -> str | None:
    """The separator of a multi-select column, or ``None`` when cells hold one answer.

    A separator counts when its items recur in different combinations (``Français`` alone
    and in ``Français, Anglais``); one label that happens to hold it (``Visio / téléphone``)
    does not make a multi-select.
    """
    counts = Counter(values)  # distinct cells: a column of 10,000 answers holds few
    total = len(values)
    best, best_share = None, 0.0
    for sep in _MULTI_SEPARATORS:
        split = {v: split_items(v, sep) for v in counts}
        share = sum(c for v, c in counts.items() if len(split[v]) > 1) / total
        if share == 0 or share <= best_share:
            continue
        cells_of: dict[str, int] = Counter(i for items in split.values() for i in items)
        n_items = sum(len(split[v]) * c for v, c in counts.items())
        length = sum(len(i) * c for v, c in counts.items() for i in split[v])
        short = length / n_items <= 40
        recurring = any(n > 1 for n in cells_of.values())
        reused = len(cells_of) <= max(12, 0.5 * n_items)
        if short and recurring and (forced or (share >= 0.1 and reused)):
            best, best_share = sep, share
    if best == ",":
        best = ", " if all(", " in v or "," not in v for v in counts) else ","
    return best


def _codes(labels: Iterable[str], code_of) -> tuple[dict[str, str], list[str]]:
    """Label -> code for every distinct label, and near-duplicate warnings."""
    counts = Counter(labels)
    recode = {label: code_of(label) for label in sorted(counts)}
    checks = []
    by_code: dict[str, list[str]] = {}
    for label, code in recode.items():
        by_code.setdefault(code, []).append(label)
    for code, group in sorted(by_code.items()):
        if len(group) > 1:
            shown = " and ".join(f"{g!r} ({counts[g]})" for g in group)
            checks.append(f"{shown} read as one code {code!r}")
    codes = sorted(by_code)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if min(len(a), len(b)) >= 6 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.88:
                checks.append(
                    f"{a!r} and {b!r} look alike: if they are the same, recode both labels to one code"
                )
    return recode, checks


def _vocabulary_attribute(
    name: str, header: str, kind: str, values: Sequence[str], separator: str | None, required: bool
) -> _Decision:
    labels = (
        [i for v in values for i in split_items(v, separator)]
        if separator
        else [v.strip() for v in values]
    )
    code_of = _modality_code if name == "modality" else slug
    recode, checks = _codes(labels, code_of)
    vocabulary = tuple(sorted(set(recode.values())))
    recode = {k: v for k, v in recode.items() if k != v}
    if len(vocabulary) > 30:
        checks.append(f"{len(vocabulary)} different labels: is this free text? (type: text)")
    return _Decision(
        AttributeSpec(
            name,
            header,
            kind,
            required=required,
            vocabulary=vocabulary,
            recode=recode,
            separator=separator,
        ),
        "medium",
        checks,
    )


def _language_attribute(name: str, header: str, values: Sequence[str], required: bool) -> _Decision:
    separator = _split_separator(values, forced=True)
    labels = sorted(
        {i for v in set(values) for i in (split_items(v, separator) if separator else [v.strip()])}
    )
    recode: dict[str, str | None] = {}
    checks = []
    for label in labels:
        code = language_code(label)
        if code is None:
            recode[label] = None
            hint = AMBIGUOUS_LANGUAGES.get(fold(label), "write its ISO 639 code")
            checks.append(f"language {label!r} not recognised: {hint} in recode")
        elif code == "cr":
            checks.append(
                "'cr' is Cree (ISO 639-1): French creoles are gcf, rcf, gcr, ht, or cpf for any"
            )
    return _Decision(
        AttributeSpec(
            name, header, "language", required=required, recode=recode, separator=separator
        ),
        "high" if not checks else "medium",
        checks,
    )


def _number_attribute(name: str, header: str, values: Sequence[str], required: bool) -> _Decision:
    marks = Counter(m.group(1) for v in values if (m := _NUMBER_RE.match(v.strip())) and m.group(1))
    low, high, unit = _RANGES.get(name, (None, None, None))
    checks = []
    if not marks:
        kind, decimal = "integer", None
    else:
        kind, decimal = "number", marks.most_common(1)[0][0]
        if len(marks) > 1:
            checks.append("some values use ',' and others '.' as decimal mark")
    numbers = [float(v.strip().replace(",", ".")) for v in values]
    out = [x for x in numbers if (low is not None and x < low) or (high is not None and x > high)]
    if out:
        checks.append(
            f"values outside {low}..{high}: {', '.join(f'{x:g}' for x in sorted(set(out))[:5])}"
        )
    if name == "availability_hours" and not unit:
        unit = "hours/week"
    return _Decision(
        AttributeSpec(
            name, header, kind, required=required, decimal=decimal, unit=unit, min=low, max=high
        ),
        "high" if not checks else "medium",
        checks,
    )


def _date_attribute(
    name: str, header: str, values: Sequence[str], required: bool
) -> _Decision | None:
    fits = []
    for fmt in _DATE_FORMATS:
        try:
            for v in values:
                datetime.strptime(v.strip(), fmt)
        except ValueError:
            continue
        fits.append(fmt)
    if not fits:
        return None
    checks = []
    fmt = fits[0]
    if any(f.startswith("%d") for f in fits) and any(f.startswith("%m") for f in fits):
        fmt = next(f for f in fits if f.startswith("%d"))
        checks.append("day and month cannot be told apart from these values: read as day/month")
    return _Decision(
        AttributeSpec(
            name,
            header,
            "date",
            required=required,
            format=None if fmt.startswith("%Y-%m-%d") else fmt,
        ),
        "medium" if checks else "high",
        checks,
    )


def _guess(values: Sequence[str]) -> str:
    """Type suggested by the values alone."""
    counts = Counter(v.strip() for v in values)
    distinct = list(counts)
    if all(boolean_label(v) is not None for v in distinct) and any(
        not v.isdigit() for v in distinct
    ):
        return "boolean"
    if all(_NUMBER_RE.match(v) for v in distinct):
        return "number"
    if _date_attribute("x", "x", distinct, False) is not None:
        return "date"
    if _split_separator(values, forced=False):
        return "multi"
    mean_length = sum(len(v) * c for v, c in counts.items()) / len(values)
    if len(distinct) <= max(2, min(30, len(values) // 2)) and mean_length <= 40:
        return "category"
    return "text"


def _typed(name: str, header: str, kind: str, values: Sequence[str], required: bool) -> _Decision:
    """The attribute of a column given its type, with what to check."""
    if kind == "boolean":
        recode = {v.strip(): boolean_label(v) for v in sorted(set(values))}
        return _Decision(
            AttributeSpec(name, header, "boolean", required=required, recode=recode), "high"
        )
    if kind in ("number", "integer"):
        return _number_attribute(name, header, values, required)
    if kind == "date":
        found = _date_attribute(name, header, values, required)
        if found is not None:
            return found
        return _Decision(
            AttributeSpec(name, header, "text", reason="dates not in a known format"),
            "low",
            ["dates not in a known format: give format: (e.g. %d/%m/%Y)"],
        )
    if kind == "language":
        return _language_attribute(name, header, values, required)
    if kind in ("category", "multi"):
        separator = (
            _split_separator(values, forced=kind == "multi")
            if kind == "multi"
            else _split_separator(values, forced=False)
        )
        return _vocabulary_attribute(
            name, header, "multi" if separator else "category", values, separator, required
        )
    if kind == "timezone":
        unknown = sorted({v.strip() for v in values if timezone_code(v) is None})
        recode = {label: None for label in unknown}
        checks = (
            [
                f"time zone(s) not recognised: {', '.join(map(repr, unknown[:5]))}: recode them to an IANA zone or UTC+hh:mm"
            ]
            if unknown
            else []
        )
        return _Decision(
            AttributeSpec(name, header, "timezone", required=required, recode=recode),
            "high" if not unknown else "low",
            checks,
        )
    if kind == "id":
        return _id_attribute(name, header, values, required)
    if kind in ("name", "contact"):
        return _Decision(AttributeSpec(name, header, kind, required=required), "high", [])
    return _Decision(
        AttributeSpec(name, header, "text", reason="free text: kept, not used for matching"),
        "medium",
        ["not used for matching"],
    )


def _id_attribute(name: str, header: str, values: Sequence[str], required: bool) -> _Decision:
    counts = Counter(v.strip() for v in values)
    repeated = [v for v, c in counts.items() if c > 1]
    checks = []
    if repeated:
        checks.append(
            f"ids repeat ({', '.join(map(repr, repeated[:3]))}): every person needs their own id"
        )
    if not required:
        checks.append("some people have no id")
    if "@" in "".join(list(counts)[:5]):
        checks.append("the e-mail address is the id: pseudonymise ids before sharing analyses")
    confidence = "low" if repeated or not required else "high"
    return _Decision(AttributeSpec(name, header, "id", required=True), confidence, checks)


# --------------------------------------------------------------------------- one role


def _column_values(
    raw: RawTable, header: str, rows: Sequence[int] | None
) -> tuple[list[str | None], list[str]]:
    col = raw.frame[header]
    data = col.to_numpy()
    cells = list(data) if rows is None else [data[i] for i in rows]
    return cells, [c for c in cells if c is not None and c.strip()]


def _matches(
    raw: RawTable, role: str, headers: Sequence[str], positions
) -> dict[str, tuple[str, str, float]]:
    """Header -> (attribute, type, score); each attribute goes to its best-matching header,
    and a header whose values contradict the attribute's type is left unmatched."""
    best: dict[str, tuple[str, str, str, float]] = {}
    for h in headers:
        cells, values = _column_values(raw, h, positions)
        if _metadata_reason(h, cells, list(raw.frame.columns)) is not None or not values:
            continue
        m = _match_header(h, role)
        if m is None or m[2] < 0.5:
            continue
        kind = _hinted_type(m[1], values)
        if kind is None:
            continue
        if m[0] not in best or m[2] > best[m[0]][3]:
            best[m[0]] = (h, m[0], kind, m[2])
    found = {h: (name, kind, score) for h, name, kind, score in best.values()}
    if "first_name" in best and "name" in best and fold(best["name"][0]) == "nom":
        h = best["name"][0]
        found[h] = ("last_name", "name", found[h][2])
    return found


def _propose_role(
    raw: RawTable, role: str, positions: Sequence[int] | None, skip: set[str]
) -> list[tuple[_Decision, str]]:
    """Decisions for the columns of ``raw`` (rows at ``positions`` only) for one role."""
    headers = [h for h in raw.frame.columns if h not in skip]
    matched = _matches(raw, role, headers, positions)
    names_used = {m[0] for m in matched.values()}
    decisions: list[tuple[_Decision, str]] = []
    for h in headers:
        cells, values = _column_values(raw, h, positions)
        reason = _metadata_reason(h, cells, list(raw.frame.columns))
        if reason is not None or not values:
            why = f"form metadata: {reason}" if reason else "no values in this export"
            attr = AttributeSpec(_free_name(h, names_used), h, "ignore", reason=why)
            decisions.append((_Decision(attr, "high" if reason else "medium", ["not used"]), ""))
            continue
        required = len(values) == len(cells)
        if h in matched:
            name, kind, score = matched[h]
            d = _typed(name, h, kind, values, required)
            if score < 0.95 and d.confidence == "high":
                d.confidence = "medium"
            if score < 0.95:
                d.checks.insert(0, f"header read as {name!r}")
        else:
            d = _typed(_free_name(h, names_used), h, _guess(values), values, required)
            d.confidence = "low"
            d.checks.insert(0, "header not recognised: attribute named after it")
        sep = d.attribute.separator
        decisions.append(
            (d, _seen(i for v in values for i in split_items(v, sep)) if sep else _seen(values))
        )
    return decisions


def _hinted_type(kind: str, values: Sequence[str]) -> str | None:
    """The type of a recognised column, or ``None`` when its values contradict it."""
    if kind in ("id", "name", "contact", "language", "timezone", "text", "date"):
        return kind
    guess = _guess(values)
    if kind in ("number", "integer"):
        return "number" if guess == "number" else None
    if kind == "boolean":
        return "boolean" if guess == "boolean" else None
    return kind if guess in ("category", "multi", "text") else None


def _free_name(header: str, used: set[str]) -> str:
    base = slug(header)[:40].strip("_") or "column"
    if not base[0].isalpha():
        base = "q_" + base
    name, i = base, 2
    while name in used:
        name, i = f"{base}_{i}", i + 1
    used.add(name)
    return name


def _ensure_id(decisions: list[tuple[_Decision, str]], role: str, raw: RawTable, positions) -> None:
    """Make sure the role has exactly one id: the id column, else a unique contact or name."""
    id_name = ID_ATTRIBUTE[role]
    ids = [d for d, _ in decisions if d.attribute.type == "id"]
    if ids:
        return
    candidates = [(d, s) for d, s in decisions if d.attribute.type == "contact"] + [
        (d, s) for d, s in decisions if d.attribute.type == "name"
    ]
    for d, seen in candidates:
        cells, values = _column_values(raw, d.attribute.column, positions)
        counts = Counter(v.strip() for v in values)
        if values and len(values) == len(cells) and max(counts.values()) == 1:
            new = _id_attribute(id_name, d.attribute.column, values, True)
            new.confidence = "medium"
            new.checks.insert(0, f"no id column: {d.attribute.column!r} is unique, used as id")
            decisions.insert(0, (new, seen))
            return
    column = candidates[0][0].attribute.column if candidates else raw.frame.columns[0]
    values = _column_values(raw, column, positions)[1]
    new = _id_attribute(id_name, column, values, True)
    new.confidence = "low"
    new.checks.insert(
        0, "no id column found: add one (any unique text per person) and set column: here"
    )
    decisions.insert(0, (new, _seen(values)))


# --------------------------------------------------------------------------- rules


def _propose_rules(
    mentors: Sequence[AttributeSpec], mentees: Sequence[AttributeSpec]
) -> tuple[dict, ...]:
    m = {a.name: a for a in mentors if a.used}
    e = {a.name: a for a in mentees if a.used}
    rules: list[dict] = []
    if "skills_sought" in e and "skills_offered" in m:
        rules.append(
            {
                "kind": "overlap",
                "mentee": "skills_sought",
                "mentor": "skills_offered",
                "importance": "high",
            }
        )
    for name, kind, importance in (("goals", "overlap", "medium"), ("domain", "same", "medium")):
        if name in e and name in m:
            rules.append({"kind": kind, "attribute": name, "importance": importance})
    if "languages" in e and "languages" in m:
        rules.append({"kind": "require_shared", "attribute": "languages"})
    if "modality" in e and "modality" in m:
        vocab = set(e["modality"].vocabulary or ()) | set(m["modality"].vocabulary or ())
        if vocab <= {"sync", "async", "mixed"}:
            pairs = [
                ["sync", "sync"],
                ["async", "async"],
                ["mixed", "sync"],
                ["mixed", "async"],
                ["mixed", "mixed"],
                ["sync", "mixed"],
                ["async", "mixed"],
            ]
            rules.append(
                {"kind": "compatible", "attribute": "modality", "pairs": pairs, "importance": "low"}
            )
        else:
            rules.append({"kind": "same", "attribute": "modality", "importance": "low"})
    if "timezone" in e and "timezone" in m:
        rules.append({"kind": "shared_hours", "attribute": "timezone", "importance": "low"})
    if "availability_hours" in e and "availability_hours" in m:
        rules.append({"kind": "closeness", "attribute": "availability_hours", "importance": "low"})
    if "years_experience" in e and "years_experience" in m:
        rules.append(
            {"kind": "gap", "attribute": "years_experience", "min_gap": 2, "importance": "low"}
        )
    conflict = [n for n in ("organisation", "department") if n in e and n in m]
    if "organisation" in conflict:
        rules.append({"kind": "forbid_same", "attributes": conflict})
    return tuple(rules)


def _table_attributes(df: pd.DataFrame) -> list[AttributeSpec]:
    """The attributes a typed people table holds, as the rules proposal reads them."""
    out = []
    for name in map(str, df.columns):
        s = df[name]
        values = s.dropna()
        if name in ("mentor_id", "mentee_id"):
            kind, vocabulary = "id", None
        elif len(values) and all(isinstance(v, (tuple, list)) for v in values):
            kind, vocabulary = ("language" if name == "languages" else "multi"), None
        elif pd.api.types.is_bool_dtype(s.dtype):
            kind, vocabulary = "boolean", None
        elif pd.api.types.is_integer_dtype(s.dtype):
            kind, vocabulary = "integer", None
        elif pd.api.types.is_numeric_dtype(s.dtype):
            kind, vocabulary = "number", None
        else:
            kind, vocabulary = "category", tuple(sorted({str(v) for v in values}))
        out.append(AttributeSpec(name, name, kind, vocabulary=vocabulary))
    return out


def propose_rules(mentors: pd.DataFrame, mentees: pd.DataFrame) -> tuple[dict, ...]:
    """Starting pairing rules over the attributes of typed people tables.

    The same proposal as the ``rules`` of :func:`propose_programme` (which reads the
    attributes from the export): an ``overlap`` of sought and offered skills, ``same`` domain,
    ``require_shared`` languages, a ``compatible`` modality table, ``shared_hours`` of time
    zones, ``closeness`` of weekly hours, a ``gap`` of experience, ``forbid_same``
    organisation and department, each when both tables have the attribute.

    Parameters
    ----------
    mentors, mentees : DataFrame
        Typed tables (as :func:`~ementor_kit.read_people` gives): attribute names as columns.

    Returns
    -------
    tuple of dict
        Rules by kind, in the layout of ``programme.yaml``.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> mentors, mentees = ek.read_people(ek.example_intake())
    >>> [r["kind"] for r in propose_rules(mentors, mentees)][:3]
    ['overlap', 'same', 'require_shared']
    """
    for df, argument in ((mentors, "mentors"), (mentees, "mentees")):
        if not isinstance(df, pd.DataFrame):
            raise ArgumentTypeError(argument, df, N_("pass a typed people table (read_people)"))
    return _propose_rules(_table_attributes(mentors), _table_attributes(mentees))


# --------------------------------------------------------------------------- entry point


def _read(source: object, argument: str) -> tuple[RawTable, str | None]:
    if isinstance(source, RawTable):
        return source, None
    if isinstance(source, pd.DataFrame):
        return _raw_from_frame(source, f"{argument} (DataFrame)"), None
    if isinstance(source, (str, Path)):
        return read_raw(source), str(Path(source))
    raise ArgumentTypeError(
        argument, source, N_("pass the path of a CSV, .xlsx or .ods export, or a DataFrame")
    )


def _file_note(raw: RawTable, path: str | None) -> ReviewNote:
    how = []
    if raw.encoding:
        how.append(f"read as {raw.encoding}, separator {raw.separator!r}")
    if raw.sheet:
        how.append(f"sheet {raw.sheet!r}")
    how.append(f"decimal mark {raw.decimal!r}")
    if raw.skipped:
        rows = ", ".join(str(r) for r, _ in raw.skipped[:10])
        how.append(f"skipped: {len(raw.skipped)} (rows {rows}: {raw.skipped[0][1]})")
    if path is None:
        how.append("from a DataFrame: save it as a file and set its path")
    return ReviewNote(
        raw.file,
        None,
        "",
        None,
        None,
        "high" if path else "low",
        f"{len(raw.frame)} rows",
        "; ".join(how),
    )


def _role_split(
    raw: RawTable, role_column: str | None
) -> tuple[str, dict[str, str | None], dict[str, list[int]], list[str]]:
    """The role column, its labels -> roles, the row positions of each role, and checks."""
    if role_column is None:
        # the column whose labels name both roles, role-like headers first
        headers = sorted(
            raw.frame.columns, key=lambda h: -max(_header_score(h, s) for s in _ROLE_HEADERS)
        )
        for h in headers:
            found = {_role_of_label(v) for v in raw.frame[h] if v is not None and v.strip()}
            if {"mentors", "mentees"} <= found:
                role_column = h
                break
        else:
            raise InvalidArgumentError(
                "role_column",
                None,
                N_(
                    "give the mentees file too, or role_column='...' naming the column "
                    "that tells mentors from mentees"
                ),
            )
    if role_column not in raw.frame.columns:
        raise InvalidArgumentError(
            "role_column",
            role_column,
            N_("use one of the headers of {file}: {columns}").format(
                file=raw.file, columns=", ".join(map(repr, raw.frame.columns))
            ),
        )
    labels = sorted({v.strip() for v in raw.frame[role_column] if v is not None and v.strip()})
    roles = {label: _role_of_label(label) for label in labels}
    positions: dict[str, list[int]] = {r: [] for r in ROLES}
    for i, v in enumerate(raw.frame[role_column]):
        r = roles.get(v.strip()) if v is not None else None
        if r is not None:
            positions[r].append(i)
    checks = [
        f"role label {label!r} not recognised: set it to mentors or mentees under roles"
        for label, r in roles.items()
        if r is None
    ]
    return role_column, roles, positions, checks


def propose_programme(mentors, mentees=None, *, role_column: str | None = None) -> ProgrammeSpec:
    """Propose a :class:`~ementor_kit.data.spec.ProgrammeSpec` from a raw intake export.

    Reads each file with :func:`~ementor_kit.data.raw.read_raw` (encoding, separator, decimal
    comma detected; empty rows skipped), sets form metadata aside (Google Forms
    ``Horodateur``/``Timestamp``, Microsoft Forms ``ID``/``Start time``/``Completion time``,
    response ids) as ``ignore``, matches the headers to attributes with French and English
    synonyms (accents, case, punctuation and spacing ignored), infers each column's type
    (multi-select from ``", "`` or ``";"`` inside cells, yes/no, numbers with a decimal comma,
    dates, languages, time zones) and vocabulary (labels -> codes), and notes near-duplicate
    labels (``Santé`` / ``Sante``) and anything unsure. Columns it does not recognise are kept
    (``text``, or a typed attribute named after the header) and listed in the review. It also
    proposes starting pairing rules over what it found. The files are only read.

    Parameters
    ----------
    mentors : str, Path or DataFrame
        The mentors' export, or the single export both roles answered (then give
        ``role_column`` or let it be found).
    mentees : str, Path or DataFrame, optional
        The mentees' export.
    role_column : str, optional
        With a single export: the column telling mentors from mentees.

    Returns
    -------
    ProgrammeSpec
        Ready for :meth:`~ementor_kit.data.spec.ProgrammeSpec.to_yaml`; its
        :meth:`~ementor_kit.data.spec.ProgrammeSpec.review` lists every decision.

    Raises
    ------
    DataValidationError
        A file cannot be read (see :func:`~ementor_kit.data.raw.read_raw`).
    InvalidArgumentError
        A single export whose role column cannot be found, or ``role_column`` with two files.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> folder = ek.example_intake()
    >>> spec = ek.propose_programme(folder / "mentors.csv", folder / "mentees.csv")
    >>> [(a.name, a.type) for a in spec.mentees][:6]
    [('horodateur', 'ignore'), ('mentee_id', 'id'), ('email', 'contact'), ('name', 'name'), ('languages', 'language'), ('domain', 'category')]
    >>> spec.attribute("mentees", "availability_hours").decimal
    ','
    >>> review = spec.review()
    >>> review.loc[review["attribute"] == "domain", ["roles", "check"]].to_numpy().tolist()
    [['mentors', ''], ['mentees', "'Sante' (1) and 'Santé' (5) read as one code 'sante'"]]
    >>> spec.rules[0]
    {'kind': 'overlap', 'mentee': 'skills_sought', 'mentor': 'skills_offered', 'importance': 'high'}
    """
    if mentees is not None and role_column is not None:
        raise InvalidArgumentError(
            "role_column",
            role_column,
            N_("give role_column only with a single export (no mentees file)"),
        )
    sources = (
        [("mentors", mentors)] if mentees is None else [("mentors", mentors), ("mentees", mentees)]
    )
    raws = [(_read(src, arg), arg) for arg, src in sources]
    paths = [p for (_, p), _ in raws if p is not None]
    parents = {str(Path(p).resolve().parent) for p in paths}
    folder = parents.pop() if len(parents) == 1 and len(paths) == len(raws) else None
    notes = [_file_note(raw, p) for (raw, p), _ in raws]
    attrs: dict[str, list[AttributeSpec]] = {r: [] for r in ROLES}
    files = []
    for (raw, p), arg in raws:
        path = raw.file if p is None else (Path(p).name if folder else str(Path(p).resolve()))
        if mentees is None:
            col, roles, positions, checks = _role_split(raw, role_column)
            files.append(
                PeopleFile(
                    path,
                    sheet=raw.sheet,
                    encoding=raw.encoding,
                    separator=raw.separator,
                    role_column=col,
                    roles=roles,
                )
            )
            notes.append(
                ReviewNote(
                    raw.file,
                    col,
                    "mentors, mentees",
                    None,
                    "role",
                    "medium" if checks else "high",
                    _seen(v.strip() for v in raw.frame[col] if v),
                    "; ".join(checks) or "tells mentors from mentees",
                )
            )
            todo: list[tuple[str, list[int] | None]] = [(r, positions[r]) for r in ROLES]
            skip = {col}
        else:
            files.append(
                PeopleFile(
                    path, role=arg, sheet=raw.sheet, encoding=raw.encoding, separator=raw.separator
                )
            )
            todo, skip = [(arg, None)], set()
        for role, pos in todo:
            decisions = _propose_role(raw, role, pos, skip)
            _ensure_id(decisions, role, raw, pos)
            attrs[role] = [d.attribute for d, _ in decisions]
            notes += [
                ReviewNote(
                    raw.file,
                    d.attribute.column,
                    role,
                    d.attribute.name,
                    d.attribute.type,
                    d.confidence,
                    seen,
                    "; ".join(d.checks),
                )
                for d, seen in decisions
            ]
    rules = _propose_rules(attrs["mentors"], attrs["mentees"])
    return ProgrammeSpec(
        files=tuple(files),
        mentors=tuple(attrs["mentors"]),
        mentees=tuple(attrs["mentees"]),
        rules=rules,
        folder=folder,
        notes=tuple(notes),
    )
