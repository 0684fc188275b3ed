"""``programme.yaml``: how a programme's own intake files are read.

A :class:`ProgrammeSpec` declares the people files (one file per role, or one file with a
role column) and, for each role, the attributes read from them: the column each comes from,
its type, whether it is required, its vocabulary and the label -> code recoding, the decimal
mark, unit and range of numbers. It also stores the starting pairing rules (a plain list of
mappings, checked for shape only). :func:`~ementor_kit.data.propose.propose_programme` writes
a first one from the raw export; :func:`~ementor_kit.data.people.read_people` reads the people
with it.

Types
-----
``id``        the person's id: unique printable text (an e-mail, ``stu-0042``; no control or
              invisible characters: ``free: true`` takes any text)
``name``      a name (identifier: kept for the coordinator's own exports, never in analysis
              outputs, never used for scoring)
``contact``   an e-mail address or phone number (identifier, as ``name``)
``category``  one label out of a vocabulary (after recoding)
``multi``     several labels in one cell, split on ``separator``
``number``    a number (``decimal`` ``.`` or ``,``), within ``min``/``max``
``integer``   a whole number, within ``min``/``max``
``boolean``   yes/no (``Oui``/``Non``, ``Yes``/``No``, ``true``/``false``, or ``recode``)
``language``  one or more languages as ISO 639 codes (French and English names recognised)
``timezone``  an IANA zone (``Europe/Paris``) or a UTC offset (``UTC+01:00``)
``date``      a calendar date (ISO 8601, or ``format``)
``text``      free text, kept as written, never used for matching
``ignore``    not read (form metadata such as a time stamp)
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ementor_kit._checks import one_of
from ementor_kit._settings_yaml import read_yaml, unknown_key
from ementor_kit.data._labels import language_code, timezone_code
from ementor_kit.data.review_text import check_text
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem, UnknownNameError
from ementor_kit.i18n.language import N_, translator

__all__ = ["AttributeSpec", "PeopleFile", "ProgrammeSpec", "ReviewNote", "SPEC_FILE"]

SPEC_FILE = "programme.yaml"
ROLES = ("mentors", "mentees")
ID_ATTRIBUTE = {"mentors": "mentor_id", "mentees": "mentee_id"}
TYPES = (
    "id",
    "name",
    "contact",
    "category",
    "multi",
    "number",
    "integer",
    "boolean",
    "language",
    "timezone",
    "date",
    "text",
    "ignore",
)
IDENTIFIER_TYPES = ("name", "contact")
IMPORTANCE = ("must", "high", "medium", "low")
# pairing rules: kind -> (keys naming one attribute per side, other keys allowed)
# (the values are checked by ementor_kit.matching.criteria when the rules are used)
RULE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "overlap": ("pair", ("importance", "weight", "name")),
    "same": ("pair", ("importance", "weight", "name")),
    "closeness": ("pair", ("importance", "weight", "name", "scale")),
    "gap": ("pair", ("importance", "weight", "name", "min_gap")),
    "compatible": ("pair", ("importance", "weight", "name", "pairs")),
    "shared_hours": ("pair", ("importance", "weight", "name", "hours", "date", "need")),
    "capacity_share": ("pair", ("importance", "weight", "name")),
    "support": ("pair", ("importance", "weight", "name", "low", "high")),
    "require_shared": ("pair", ("name",)),
    "require_same": ("pair", ("name",)),
    "forbid_same": ("attributes", ("name",)),
    "forbid_pairs": ("none", ("pairs",)),
    "require_pairs": ("none", ("pairs",)),
    "min_score": ("none", ("value",)),
    # tables of pairs (preferences.csv, availability.csv; ementor_kit.matching.preferences)
    "preference": ("ids", ("importance", "weight", "name", "file", "sides")),
    "top_k": ("ids", ("name", "file", "k")),
    "shared_slots": ("pair", ("importance", "weight", "name", "file", "weekly_hours", "weeks")),
    "require_shared_slots": ("pair", ("name", "file", "weekly_hours", "weeks")),
}
_ATTR_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class AttributeSpec:
    """One attribute of a role: where it comes from and how it is read.

    Attributes
    ----------
    name : str
        Attribute name (the column of the typed table): lower case, digits, ``_``.
    column : str
        Header of the column in the people file(s).
    type : str
        One of :data:`TYPES` (see the module documentation).
    required : bool
        Every person must have a value.
    vocabulary : tuple of str or None
        Codes allowed (``category``, ``multi``, ``language``); ``None``: any.
    recode : dict
        Label as written -> code (``{"Visio / téléphone": "sync"}``, ``{"Oui": True}``,
        ``{"Français": "fr"}``). A label mapped to ``None`` is known but has no code yet.
    separator : str or None
        Between the labels of one cell (``multi``, ``language``), e.g. ``", "`` or ``";"``.
    decimal : str or None
        ``"."`` or ``","`` (``number``).
    unit : str or None
        Unit of a number, for messages (``"hours/week"``).
    min, max : float or None
        Range of a number.
    format : str or None
        ``strftime`` format of a date (``"%d/%m/%Y"``); ISO 8601 is always read.
    reason : str or None
        Why the column is ``ignore`` or ``text`` (written by the proposal).
    description : str or None
        What the attribute means, in the coordinator's words (documentation only).
    free : bool
        ``id`` only: take the ids as written (stripped). By default an id must be printable
        text: control characters, zero-width and bidirectional marks and white space other
        than the plain space are refused (two ids that print alike must be one id).
    """

    name: str
    column: str
    type: str
    required: bool = False
    vocabulary: tuple[str, ...] | None = None
    recode: dict[str, Any] = field(default_factory=dict)
    separator: str | None = None
    decimal: str | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    format: str | None = None
    reason: str | None = None
    description: str | None = None
    free: bool = False

    @property
    def identifier(self) -> bool:
        """Names and contacts identify people: analysis outputs drop them."""
        return self.type in IDENTIFIER_TYPES

    @property
    def used(self) -> bool:
        """Read into the typed table (``ignore`` is not)."""
        return self.type != "ignore"


@dataclass(frozen=True)
class PeopleFile:
    """One people file: its path (relative to the programme folder) and how to read it.

    Either ``role`` (``"mentors"`` or ``"mentees"``: every row is one) or ``role_column``
    with ``roles`` (label as written -> ``"mentors"``/``"mentees"``), for a single intake
    form both answer. ``sheet``, ``encoding`` and ``separator`` are passed to
    :func:`~ementor_kit.data.raw.read_raw` (detected when ``None``).
    """

    path: str
    role: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    role_column: str | None = None
    roles: dict[str, str | None] = field(default_factory=dict)

    def serves(self, role: str) -> bool:
        """Whether rows of ``role`` come from this file."""
        return self.role == role or (self.role is None and role in self.roles.values())


@dataclass(frozen=True)
class ReviewNote:
    """One decision of a proposal, for :meth:`ProgrammeSpec.review`."""

    file: str | None
    column: str | None
    roles: str
    attribute: str | None
    type: str | None
    confidence: str
    values_seen: str
    check: str


@dataclass(frozen=True)
class ProgrammeSpec:
    """The model of a ``programme.yaml``: people files, attributes per role, starting rules.

    Attributes
    ----------
    files : tuple of PeopleFile
        Where the people are.
    mentors, mentees : tuple of AttributeSpec
        The attributes of each role, in file order. Each role has exactly one ``id``
        attribute, named ``mentor_id`` / ``mentee_id``.
    rules : tuple of dict
        Starting pairing rules, e.g. ``{"kind": "overlap", "mentee": "skills_sought",
        "mentor": "skills_offered", "importance": "high"}`` (stored and checked for shape).
    folder : str or None
        Folder the file paths are relative to (not part of equality).
    notes : tuple of ReviewNote
        The proposal's decisions (not part of equality, not stored in the YAML: written as
        comments).

    Examples
    --------
    >>> spec = ProgrammeSpec(
    ...     files=(PeopleFile("mentors.csv", role="mentors"),
    ...            PeopleFile("mentees.csv", role="mentees")),
    ...     mentors=(AttributeSpec("mentor_id", "Adresse e-mail", "id", required=True),),
    ...     mentees=(AttributeSpec("mentee_id", "Numéro étudiant", "id", required=True),
    ...              AttributeSpec("hours", "Disponibilité (h/semaine)", "number",
    ...                            decimal=",", min=0, max=168)),
    ... )
    >>> text = spec.to_yaml()
    >>> ProgrammeSpec.from_yaml(text) == spec
    True
    >>> print(text[text.index("  mentees:"):text.index("# Starting")].rstrip())
      mentees:
        mentee_id:
          column: Numéro étudiant
          type: id
          required: true
        hours:
          column: Disponibilité (h/semaine)
          type: number
          decimal: ","
          min: 0
          max: 168
    >>> spec.identifiers
    {'mentors': (), 'mentees': ()}
    """

    files: tuple[PeopleFile, ...]
    mentors: tuple[AttributeSpec, ...]
    mentees: tuple[AttributeSpec, ...]
    rules: tuple[dict[str, Any], ...] = ()
    folder: str | None = field(default=None, compare=False)
    notes: tuple[ReviewNote, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        problems = _check_spec(self, "programme")
        if problems:
            raise DataValidationError(problems)

    def attributes(self, role: str) -> tuple[AttributeSpec, ...]:
        """The attributes of one role.

        Parameters
        ----------
        role : {"mentors", "mentees"}
            The role.

        Returns
        -------
        tuple of AttributeSpec
            In file order.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> spec = ek.ProgrammeSpec.from_yaml(ek.example_intake() / "programme.yaml")
        >>> [a.name for a in spec.attributes("mentors")][:3]
        ['mentor_id', 'horodateur', 'email']
        """
        if role not in ROLES:
            raise InvalidArgumentError("role", role, N_("use 'mentors' or 'mentees'"))
        return self.mentors if role == "mentors" else self.mentees

    def attribute(self, role: str, name: str) -> AttributeSpec:
        """The attribute ``name`` of ``role``.

        Parameters
        ----------
        role : {"mentors", "mentees"}
            The role.
        name : str
            Attribute name.

        Returns
        -------
        AttributeSpec
            Its declaration.

        Raises
        ------
        UnknownNameError
            (a ``KeyError``) when ``role`` has no such attribute.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> spec = ek.ProgrammeSpec.from_yaml(ek.example_intake() / "programme.yaml")
        >>> spec.attribute("mentees", "availability_hours").decimal
        ','
        """
        for a in self.attributes(role):
            if a.name == name:
                return a
        raise UnknownNameError(
            "name",
            name,
            one_of([a.name for a in self.attributes(role)], name),
            message=N_("{role}.{name} is not declared").format(role=role, name=name),
        )

    @property
    def identifiers(self) -> dict[str, tuple[str, ...]]:
        """Per role, the attributes that identify people (names, contacts).

        Analysis outputs drop them; they are never used for scoring.
        """
        return {r: tuple(a.name for a in self.attributes(r) if a.identifier) for r in ROLES}

    def path_of(self, people_file: PeopleFile) -> Path:
        """Where a people file is on disk.

        Parameters
        ----------
        people_file : PeopleFile
            One of :attr:`files`.

        Returns
        -------
        Path
            Its path; a relative one is taken from :attr:`folder`.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> spec = ek.ProgrammeSpec.from_yaml(ek.example_intake() / "programme.yaml")
        >>> spec.path_of(spec.files[0]).name
        'mentors.csv'
        """
        p = Path(people_file.path)
        return p if p.is_absolute() or self.folder is None else Path(self.folder) / p

    def review(self, lang: str | None = None) -> pd.DataFrame:
        """One row per decision, with what the coordinator should check.

        A proposal lists its own decisions (files first, then every column of every role); a
        spec read from YAML lists its declared attributes (confidence ``declared``).

        Parameters
        ----------
        lang : str, optional
            Language of the points to check and of the files' reading notes (``"en"``,
            ``"fr"``; default the process language, :func:`~ementor_kit.i18n.set_language`).
            The spec keeps them in English (:func:`~ementor_kit.data.review_text.check_text`
            writes them again); the other columns are names, codes and values, the same in
            every language.

        Returns
        -------
        DataFrame
            Columns ``file``, ``column``, ``roles``, ``attribute``, ``type``, ``confidence``
            (``high``, ``medium``, ``low``), ``values_seen`` (the most frequent values; for a
            file's own row, how it was read) and ``check`` (empty when nothing needs
            checking).

        Examples
        --------
        >>> import ementor_kit as ek
        >>> spec = ek.ProgrammeSpec.from_yaml(ek.example_intake() / "programme.yaml")
        >>> spec.review().loc[0, ["attribute", "type", "confidence"]].tolist()
        ['mentor_id', 'id', 'declared']
        """
        notes = self.notes or tuple(
            ReviewNote(
                file=", ".join(f.path for f in self.files if f.serves(role)),
                column=a.column,
                roles=role,
                attribute=a.name,
                type=a.type,
                confidence="declared",
                values_seen="",
                check="" if a.used else (a.reason or "not used"),
            )
            for role in ROLES
            for a in self.attributes(role)
        )
        review = pd.DataFrame(
            [vars(n) for n in notes],
            columns=[
                "file",
                "column",
                "roles",
                "attribute",
                "type",
                "confidence",
                "values_seen",
                "check",
            ],
        )
        t = translator(lang)
        if t.lang != "en":
            files = review["attribute"].isna() & review["type"].isna()  # a file's own row
            review.loc[files, "values_seen"] = [
                check_text(str(v), t) for v in review.loc[files, "values_seen"]
            ]
            review["check"] = [check_text(str(v), t) for v in review["check"]]
        return review

    @classmethod
    def from_yaml(cls, source: str | Path) -> ProgrammeSpec:
        """Read a ``programme.yaml``.

        Parameters
        ----------
        source : str or Path
            Path of the file, or YAML text (a string holding a line break).

        Returns
        -------
        ProgrammeSpec
            With :attr:`folder` set to the file's folder (``None`` for text).

        Raises
        ------
        DataValidationError
            Every problem of the file at once, each naming the key and the fix.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> spec = ek.ProgrammeSpec.from_yaml(ek.example_intake() / "programme.yaml")
        >>> spec.files[1].path, spec.files[1].encoding
        ('mentees.csv', 'cp1252')
        """
        data, name = read_yaml(
            Path(source) if isinstance(source, str) and "\n" not in source else source,
            N_("programme"),
        )
        from ementor_kit.data._spec_yaml import _spec_from_mapping  # imports this module

        folder = str(Path(name).parent) if name != "programme" else None
        return _spec_from_mapping(data, name, folder)

    def to_yaml(self, path: str | Path | None = None) -> str:
        """The ``programme.yaml`` text, written to ``path`` when given.

        The text is deterministic. A proposal's decisions are written as comments above each
        attribute (confidence, values seen, what to check); they are not read back.

        Parameters
        ----------
        path : str or Path, optional
            File to write; the people files' paths are then written relative to its folder
            (absolute when outside it).

        Returns
        -------
        str
            The YAML text.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> spec = ek.ProgrammeSpec.from_yaml(ek.example_intake() / "programme.yaml")
        >>> text = spec.to_yaml()
        >>> ek.ProgrammeSpec.from_yaml(text) == spec
        True
        """
        files = self.files
        if path is not None and self.folder is not None:
            target = Path(path).resolve().parent
            files = tuple(replace(f, path=_relative(self.path_of(f), target)) for f in files)
        elif path is not None:  # paths already relative to wherever the YAML goes
            target = Path(path).resolve().parent
            files = tuple(
                replace(f, path=_relative(Path(f.path), target))
                if Path(f.path).is_absolute()
                else f
                for f in files
            )
        from ementor_kit.data._spec_yaml import _dump  # imports this module

        text = _dump(self, files)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def _relative(path: Path, folder: Path) -> str:
    full = path.resolve()
    try:
        return full.relative_to(folder).as_posix()
    except ValueError:
        return os.fspath(full)


# --------------------------------------------------------------------------- checking


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check_attribute(a: AttributeSpec, role: str, where: str) -> list[Problem]:
    key = f"attributes.{role}.{a.name}"
    problems: list[Problem] = []

    def bad(sub: str, message: str, fix: str) -> None:
        problems.append(Problem(where, f"{key}.{sub}" if sub else key, (), message, fix))

    if not _ATTR_NAME.match(a.name):
        bad(
            "",
            N_("{name!r} is not a usable attribute name").format(name=a.name),
            N_("use lower case letters, digits, _"),
        )
    if a.type not in TYPES:
        message = N_("unknown type {type!r}").format(type=a.type) if a.type else N_("no type given")
        bad("type", message, N_("use one of: {TYPES}").format(TYPES=", ".join(TYPES)))
        return problems
    if not isinstance(a.column, str) or not a.column.strip():
        bad("column", N_("no column given"), N_("write the header of the column in the file"))
    if a.separator is not None and a.type not in ("multi", "language"):
        bad("separator", N_("a separator only applies to multi and language"), N_("remove it"))
    if a.type == "multi" and not a.separator:
        bad(
            "separator",
            N_("a multi attribute needs its separator"),
            N_('add separator: ", " (or ";")'),
        )
    if a.decimal is not None and (a.type != "number" or a.decimal not in (".", ",")):
        bad(
            "decimal",
            N_("decimal {decimal!r} does not apply").format(decimal=a.decimal),
            N_('use decimal: "," or "." on numbers'),
        )
    for bound in ("min", "max"):
        v = getattr(a, bound)
        if v is not None and (a.type not in ("number", "integer") or not _is_number(v)):
            bad(
                bound,
                N_("{bound} {v!r} does not apply").format(bound=bound, v=v),
                N_("give {bound} as a number, on numbers only").format(bound=bound),
            )
    if _is_number(a.min) and _is_number(a.max) and float(a.min or 0) > float(a.max or 0):
        bad("min", N_("min {min} is above max {max}").format(min=a.min, max=a.max), N_("swap them"))
    if a.unit is not None and a.type not in ("number", "integer"):
        bad("unit", N_("a unit only applies to numbers"), N_("remove it"))
    if a.format is not None and a.type != "date":
        bad("format", N_("a format only applies to dates"), N_("remove it"))
    if a.vocabulary is not None and a.type not in ("category", "multi", "language"):
        bad(
            "vocabulary",
            N_("a vocabulary does not apply to {type}").format(type=a.type),
            N_("remove it"),
        )
    if a.recode and a.type in ("id", "name", "contact", "text", "ignore", "date"):
        bad("recode", N_("recoding does not apply to {type}").format(type=a.type), N_("remove it"))
    _check_recode(a, bad)
    if a.free and a.type != "id":
        bad("free", N_("free only applies to the id"), N_("remove it"))
    if a.type == "id" and a.name != ID_ATTRIBUTE[role]:
        bad(
            "",
            N_("the id of {role} must be called {ID_ATTRIBUTE}").format(
                role=role, ID_ATTRIBUTE=ID_ATTRIBUTE[role]
            ),
            N_("rename it {ID_ATTRIBUTE}").format(ID_ATTRIBUTE=ID_ATTRIBUTE[role]),
        )
    return problems


def _check_recode(a: AttributeSpec, bad) -> None:
    vocab = set(a.vocabulary) if a.vocabulary is not None else None
    for label, code in a.recode.items():
        if code is None:
            continue
        sub = f"recode.{label}"
        if a.type == "boolean" and not isinstance(code, bool):
            bad(
                sub,
                N_("{label!r} is recoded to {code!r}").format(label=label, code=code),
                N_("recode yes/no labels to true or false"),
            )
        elif a.type in ("number", "integer") and not _is_number(code):
            bad(
                sub,
                N_("{label!r} is recoded to {code!r}, not a number").format(label=label, code=code),
                N_("write the number"),
            )
        elif a.type == "language" and (not isinstance(code, str) or language_code(code) != code):
            bad(
                sub,
                N_("{code!r} is not an ISO 639 code").format(code=code),
                N_("use a code such as fr, en, rcf, gcf"),
            )
        elif a.type == "timezone" and (not isinstance(code, str) or timezone_code(code) != code):
            bad(
                sub,
                N_("{code!r} is not a time zone").format(code=code),
                N_("use Europe/Paris or UTC+01:00"),
            )
        elif a.type in ("category", "multi") and not isinstance(code, str):
            bad(
                sub,
                N_("{label!r} is recoded to {code!r}").format(label=label, code=code),
                N_("recode labels to text codes"),
            )
        elif (
            vocab is not None and a.type in ("category", "multi", "language") and code not in vocab
        ):
            bad(
                sub,
                N_("code {code!r} is not in the vocabulary").format(code=code),
                N_("add {code} to vocabulary, or fix the code").format(code=code),
            )


def _check_file(f: PeopleFile, i: int, where: str) -> list[Problem]:
    key = f"people[{i}]"
    problems = []
    if not isinstance(f.path, str) or not f.path.strip():
        problems.append(
            Problem(where, f"{key}.path", (), N_("no path given"), N_("write the file name"))
        )
    if f.role is not None and f.role_column is not None:
        problems.append(
            Problem(where, key, (), N_("both role and role_column given"), N_("keep one of them"))
        )
    elif f.role is None and f.role_column is None:
        problems.append(
            Problem(
                where,
                key,
                (),
                N_("no role given"),
                N_("add role: mentors (or mentees), or role_column with roles"),
            )
        )
    if f.role is not None and f.role not in ROLES:
        problems.append(
            Problem(
                where,
                f"{key}.role",
                (),
                N_("unknown role {role!r}").format(role=f.role),
                N_("use mentors or mentees"),
            )
        )
    if f.role_column is not None:
        if not f.roles:
            problems.append(
                Problem(
                    where,
                    f"{key}.roles",
                    (),
                    N_("a role column needs its labels"),
                    N_('add roles: {"Mentor": mentors, "Mentoré·e": mentees}'),
                )
            )
        for label, role in f.roles.items():
            if role is not None and role not in ROLES:
                problems.append(
                    Problem(
                        where,
                        f"{key}.roles.{label}",
                        (),
                        N_("unknown role {role!r}").format(role=role),
                        N_("use mentors or mentees"),
                    )
                )
    return problems


def _rule_refs(rule: Mapping, shape: str, bad) -> list[tuple[str, str, object]]:
    """(role, key, attribute name) of every attribute a rule names."""
    if shape == "pair":
        if "attribute" in rule:
            return [(r, "attribute", rule["attribute"]) for r in ("mentees", "mentors")]
        if "mentee" in rule and "mentor" in rule:
            return [("mentees", "mentee", rule["mentee"]), ("mentors", "mentor", rule["mentor"])]
        bad(
            "",
            N_("{kind} needs the attribute it applies to").format(kind=rule["kind"]),
            N_("add attribute: NAME, or mentee: NAME and mentor: NAME"),
        )
    elif shape == "attributes":
        attrs = rule.get("attributes", [rule["attribute"]] if "attribute" in rule else None)
        if isinstance(attrs, list) and attrs:
            return [(r, "attributes", a) for a in attrs for r in ROLES]
        bad(
            "attributes",
            N_("no attributes given"),
            N_("add attributes: [organisation, department]"),
        )
    return []


def _check_rule(rule: object, i: int, where: str, names: dict[str, set[str]]) -> list[Problem]:
    key = f"rules[{i}]"
    problems: list[Problem] = []

    def bad(sub: str, message: str, fix: str) -> None:
        problems.append(Problem(where, f"{key}.{sub}" if sub else key, (), message, fix))

    if not isinstance(rule, Mapping) or "kind" not in rule:
        bad(
            "", N_("a rule must be a mapping with a kind"), "e.g. {kind: overlap, attribute: goals}"
        )
        return problems
    kind = rule["kind"]
    if kind not in RULE_KINDS:
        return [unknown_key(where, f"{key}.kind.{kind}", RULE_KINDS)]
    shape, extra = RULE_KINDS[kind]
    allowed = {"kind", *extra} | {
        "pair": {"attribute", "mentee", "mentor"},
        "attributes": {"attributes", "attribute"},
    }.get(shape, set())
    problems += [
        unknown_key(where, f"{key}.{k}", sorted(allowed)) for k in rule if k not in allowed
    ]
    for role, sub, name in _rule_refs(rule, shape, bad):
        if not isinstance(name, str) or name not in names[role]:
            bad(
                sub,
                N_("{name!r} is not an attribute of {role}").format(name=name, role=role),
                N_("use one of: {names}").format(names=", ".join(sorted(names[role]))),
            )
    imp = rule.get("importance")
    if imp is not None and imp not in IMPORTANCE and not (_is_number(imp) and imp >= 0):
        bad(
            "importance",
            N_("importance {imp!r} is not accepted").format(imp=imp),
            N_("use must, high, medium, low, or a weight >= 0"),
        )
    if kind == "min_score" and not _is_number(rule.get("value")):
        bad("value", N_("min_score needs a number"), N_("add value: 40"))
    if shape == "none" and kind != "min_score" and not isinstance(rule.get("pairs"), list):
        bad(
            "pairs",
            N_("{kind} needs its pairs").format(kind=kind),
            N_("add pairs: [[MENTEE_ID, MENTOR_ID], ...]"),
        )
    return problems


def _check_spec(spec: ProgrammeSpec, where: str) -> list[Problem]:
    problems: list[Problem] = []
    for i, f in enumerate(spec.files):
        problems += _check_file(f, i, where)
    if not spec.files:
        problems.append(
            Problem(
                where, "people", (), N_("no people file"), N_("add the mentors and mentees files")
            )
        )
    names = {}
    for role in ROLES:
        attrs = spec.attributes(role)
        if not any(f.serves(role) for f in spec.files) and spec.files:
            problems.append(
                Problem(
                    where,
                    "people",
                    (),
                    N_("no file gives the {role}").format(role=role),
                    N_("add a file with role: {role}").format(role=role),
                )
            )
        seen = set()
        for a in attrs:
            if a.name in seen:
                problems.append(
                    Problem(
                        where,
                        f"attributes.{role}.{a.name}",
                        (),
                        N_("declared twice"),
                        N_("keep one"),
                    )
                )
            seen.add(a.name)
            problems += _check_attribute(a, role, where)
        ids = [a for a in attrs if a.type == "id"]
        if len(ids) != 1:
            problems.append(
                Problem(
                    where,
                    f"attributes.{role}",
                    (),
                    N_("{n} id attributes").format(n=len(ids)),
                    N_("declare exactly one: {ID_ATTRIBUTE} with type: id").format(
                        ID_ATTRIBUTE=ID_ATTRIBUTE[role]
                    ),
                )
            )
        names[role] = {a.name for a in attrs if a.used}
    for i, rule in enumerate(spec.rules):
        problems += _check_rule(rule, i, where, names)
    return problems
