"""Programme design: what a trainer or a coordinator decides before a programme starts.

A :class:`ProgrammeDesign` holds the objectives and audience, the size of the cohort, how many
mentees a mentor takes on, one-to-one or group mentoring, how long it lasts, how much of the
exchange is live (synchronous: video, phone) rather than written (asynchronous: chat, e-mail,
forum), how often the coordinator checks in with each pair, whether the programme is formal or
informal, and its :class:`EvaluationPlan`. Designs are frozen, validated (every error names the
YAML key and the fix) and round-trip through YAML; examples ship with the sample
(:func:`ementor_kit.example_designs`). :mod:`ementor_kit.design.simulation` plays a design out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ementor_kit._settings_yaml import read_yaml, unknown_key
from ementor_kit.design._values import _float, _int, _problem
from ementor_kit.design.evaluation_plan import EvaluationPlan, _plan_from_dict
from ementor_kit.errors import (
    ArgumentTypeError,
    DataValidationError,
    InvalidArgumentError,
    Problem,
)
from ementor_kit.i18n.language import N_

__all__ = [
    "CLOSURES",
    "FORMATS",
    "PLATFORMS",
    "SCREENINGS",
    "STRUCTURES",
    "PracticePlan",
    "ProgrammeDesign",
]

FORMATS: tuple[str, ...] = ("one_to_one", "group")
"""``one_to_one``: one mentor, one mentee. ``group``: one mentor leads a group of mentees."""

STRUCTURES: tuple[str, ...] = ("formal", "informal")
"""``formal``: the coordinator pairs, sets the rhythm and follows up. ``informal``: pairs
organise themselves once introduced."""

SCREENINGS: tuple[str, ...] = ("none", "basic", "full")
"""Mentor screening (MENTOR standard 2): ``none``; ``basic`` (application and interview);
``full`` (application, interview, references and a criminal-record check where the law allows
it: in France the volunteer's own *bulletin n° 3*, delivered only to the person concerned; the
*attestation d'honorabilité*, for which the State checks bulletin n° 2 and the FIJAIS register,
only in child protection and early-childhood settings, where it is required)."""

CLOSURES: tuple[str, ...] = ("none", "planned")
"""Closure (MENTOR standard 6): ``none`` (the programme just stops); ``planned`` (a closing
meeting affirms both people's contributions and the reason of every ending is recorded)."""

PLATFORMS: tuple[str, ...] = ("programme", "personal")
"""Where the exchanges happen: a ``programme`` platform (the coordinator can support, moderate
and protect them) or ``personal`` channels (private messaging, personal e-mail)."""

DEFAULT_SEED = 2026

_LIMITS = {
    "n_mentees": (1, 5000),
    "n_mentors": (1, 2000),
    "mentor_capacity": (1, 10),
    "group_size": (1, 15),
    "duration_weeks": (2, 104),
    "checkin_every_days": (1, 180),
}

# flat field -> (section, key) of the YAML layout
_LAYOUT: dict[str, tuple[str | None, str]] = {
    "name": (None, "name"),
    "description": (None, "description"),
    "objectives": (None, "objectives"),
    "audience": (None, "audience"),
    "structure": (None, "structure"),
    "n_mentees": ("cohort", "n_mentees"),
    "n_mentors": ("cohort", "n_mentors"),
    "mentor_capacity": ("cohort", "mentor_capacity"),
    "format": ("format", "type"),
    "group_size": ("format", "group_size"),
    "duration_weeks": ("schedule", "duration_weeks"),
    "sync_share": ("schedule", "sync_share"),
    "checkin_every_days": ("schedule", "checkin_every_days"),
    "contacts_per_month": ("schedule", "contacts_per_month"),
    "practice": (None, "practice"),
    "evaluation": (None, "evaluation"),
}
_SECTIONS: dict[str, tuple[str, ...]] = {
    section: tuple(k for s, k in _LAYOUT.values() if s == section)
    for section in dict.fromkeys(s for s, _ in _LAYOUT.values() if s is not None)
}
_TOP_KEYS = tuple(k for s, k in _LAYOUT.values() if s is None) + tuple(_SECTIONS)
_PRACTICE_KEYS = (
    "minors",
    "parental_consent",
    "screening",
    "training_hours",
    "digital_training",
    "first_meeting",
    "agreement",
    "minutes_per_checkin",
    "rematching",
    "closure",
    "face_to_face_share",
    "platform",
    "code_of_conduct",
)


def _path(name: str) -> str:
    section, key = _LAYOUT[name]
    return key if section is None else f"{section}.{key}"


class _Dumper(yaml.SafeDumper):
    """Short lists of short words in flow style (``[gse, emx]``), others as blocks."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(isinstance(x, (str, int, float)) and len(str(x)) < 30 for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def _rename(exc: DataValidationError, source: str, default: str) -> DataValidationError:
    if source == default:
        return exc
    return DataValidationError(
        [Problem(source, p.column, p.rows, p.message, p.fix) for p in exc.problems]
    )


# ---------------------------------------------------------------------------------------------
# Practice plan (MENTOR, Elements of Effective Practice)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticePlan:
    """How the programme runs, along MENTOR's six standards of effective practice.

    MENTOR's *Elements of Effective Practice for Mentoring* (4th ed., 2015) set six standards:
    recruitment, screening, training, matching and initiating, monitoring and support, closure;
    its *E-Mentoring Supplement* (2019) adds recommendations for programmes whose exchanges take
    place mainly or only through technology. The cohort sizes, the matching
    and the check-in cadence are in :class:`ProgrammeDesign`; this plan holds the rest. Their
    coordinator time and their assumed effects are in :mod:`ementor_kit.design.practice`
    (:func:`~ementor_kit.design.practice.practice_checklist` checks the plan).

    Parameters
    ----------
    minors : bool
        Some mentees are under 18 (e.g. lycéens): parental consent and mentor screening are
        then required by the checklist.
    parental_consent : bool
        A parent or guardian consents in writing before a minor is matched.
    screening : {"none", "basic", "full"}
        Mentor screening (see ``SCREENINGS``).
    training_hours : float
        Pre-match training of each mentor, in hours (0-40). MENTOR recommends at least two
        hours, in person, before matching.
    digital_training : bool
        Mentees (and mentors) with low digital comfort are trained on the platform and its
        tools before the first exchange.
    first_meeting : bool
        The coordinator facilitates each pair's (or group's) first meeting.
    agreement : bool
        The pair writes a mentoring agreement at the start (goals, rhythm, channels, what
        stays confidential, how to end).
    minutes_per_checkin : float
        Coordinator time per check-in (1-240 minutes), for the cost of the follow-up.
    rematching : bool
        A mentee whose relationship ends early is offered a new mentor.
    closure : {"none", "planned"}
        How relationships end (see ``CLOSURES``).
    face_to_face_share : float
        Share of the meetings held in person (0-1; blended mentoring when between 0 and 1).
    platform : {"programme", "personal"}
        Where the exchanges happen (see ``PLATFORMS``).
    code_of_conduct : bool
        Mentors and mentees sign a code of conduct (respect, confidentiality and its limits,
        what to report, no contact outside the agreed channels for minors).

    Examples
    --------
    >>> PracticePlan().screening, PracticePlan().training_hours
    ('basic', 2.0)
    >>> PracticePlan(screening="ful")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - design, column 'practice.screening': unknown value 'ful'. Fix: use one of: none, basic, full
    """

    minors: bool = False
    parental_consent: bool = False
    screening: str = "basic"
    training_hours: float = 2.0
    digital_training: bool = True
    first_meeting: bool = True
    agreement: bool = True
    minutes_per_checkin: float = 20.0
    rematching: bool = False
    closure: str = "planned"
    face_to_face_share: float = 0.0
    platform: str = "programme"
    code_of_conduct: bool = True

    def __post_init__(self) -> None:
        where = "design"
        problems: list[Problem] = []
        for key in ("minors", "parental_consent", "digital_training", "first_meeting"):
            self._check_bool(key, problems)
        for key in ("agreement", "rematching", "code_of_conduct"):
            self._check_bool(key, problems)
        for key, allowed in (
            ("screening", SCREENINGS),
            ("closure", CLOSURES),
            ("platform", PLATFORMS),
        ):
            if getattr(self, key) not in allowed:
                problems.append(
                    _problem(
                        where,
                        f"practice.{key}",
                        N_("unknown value {getattr!r}").format(getattr=getattr(self, key)),
                        N_("use one of: {allowed}").format(allowed=", ".join(allowed)),
                    )
                )
        for key, lo, hi, fix in (
            ("training_hours", 0.0, 40.0, "use hours of pre-match training between 0 and 40"),
            ("minutes_per_checkin", 1.0, 240.0, "use minutes between 1 and 240, e.g. 20"),
            ("face_to_face_share", 0.0, 1.0, "use the share of in-person meetings, 0 to 1"),
        ):
            v = _float(getattr(self, key))
            if v is None or not lo <= v <= hi:
                problems.append(
                    _problem(
                        where,
                        f"practice.{key}",
                        N_("invalid value {getattr!r}").format(getattr=getattr(self, key)),
                        fix,
                    )
                )
            else:
                object.__setattr__(self, key, v)
        if problems:
            raise DataValidationError(problems)

    def _check_bool(self, key: str, problems: list[Problem]) -> None:
        if not isinstance(getattr(self, key), (bool, np.bool_)):
            problems.append(
                _problem(
                    "design",
                    f"practice.{key}",
                    N_("invalid value {getattr!r}").format(getattr=getattr(self, key)),
                    N_("write true or false"),
                )
            )
        else:
            object.__setattr__(self, key, bool(getattr(self, key)))

    def to_dict(self) -> dict[str, Any]:
        """The ``practice:`` section of the YAML layout.

        Returns
        -------
        dict
            Every field by name, in declaration order.

        Examples
        --------
        >>> list(PracticePlan().to_dict())[:3]
        ['minors', 'parental_consent', 'screening']
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _practice_from_dict(data: Any) -> PracticePlan:
    if isinstance(data, PracticePlan):
        return data
    if not isinstance(data, Mapping):
        raise DataValidationError(
            [
                _problem(
                    "design",
                    "practice",
                    N_("must be a mapping"),
                    N_("write practice: followed by entries such as {PRACTICE_KEYS}").format(
                        PRACTICE_KEYS=", ".join(_PRACTICE_KEYS[:4])
                    ),
                )
            ]
        )
    bad = [k for k in data if k not in _PRACTICE_KEYS]
    if bad:
        raise DataValidationError(
            [unknown_key("design", f"practice.{k}", _PRACTICE_KEYS) for k in bad]
        )
    return PracticePlan(**{k: v for k, v in data.items() if v is not None})


# ---------------------------------------------------------------------------------------------
# Programme design
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeDesign:
    """The design of an e-mentoring programme.

    Parameters
    ----------
    name : str
        Short name, shown in comparisons.
    description : str
        Free text.
    objectives : tuple of str
        What the programme is for (at least one), in the coordinator's words.
    audience : str
        Who the mentees are.
    structure : {"formal", "informal"}
        Formal: the coordinator pairs, sets the rhythm and follows up. Informal: pairs
        organise themselves once introduced.
    n_mentees, n_mentors : int
        Size of the intake (1-5000 mentees, 1-2000 mentors).
    mentor_capacity : int
        Mentees a mentor takes on (one-to-one) or groups a mentor leads (group), 1-10.
    format : {"one_to_one", "group"}
        One mentor with one mentee, or one mentor leading a group of mentees.
    group_size : int
        Most mentees in a group (2-15); 1 in the one-to-one format.
    duration_weeks : int
        Length of the mentoring period (2-104 weeks).
    sync_share : float
        Share of the exchanges that are live (video, phone), 0-1; the rest is written
        (chat, e-mail, forum).
    checkin_every_days : int
        Days between two check-ins of the coordinator with each pair or group (1-180); not
        used in an informal programme (the coordinator does not check in).
    contacts_per_month : float
        Expected mentor-mentee contacts (sessions or substantive exchanges) a month,
        0.25-31 (4: about weekly). Used by the outcome model
        (:mod:`ementor_kit.design.outcomes`).
    practice : PracticePlan
        Screening, training, initiation, follow-up, rematching, closure, blended share and
        confidentiality (MENTOR's standards; a mapping in the YAML layout).
    evaluation : EvaluationPlan
        Questionnaires per wave and the pre/post test (a mapping in the YAML layout).

    Notes
    -----
    The YAML layout groups the fields in sections::

        name: ...
        description: ...
        objectives: [...]
        audience: ...
        structure: formal
        cohort: {n_mentees: 300, n_mentors: 90, mentor_capacity: 3}
        format: {type: one_to_one, group_size: 1}
        schedule: {duration_weeks: 26, sync_share: 0.4, checkin_every_days: 14,
                   contacts_per_month: 4.0}
        practice: {minors: false, screening: basic, training_hours: 2.0, closure: planned, ...}
        evaluation: {instruments: {T0: [gse], T1: [gse, wai, emx]}, primary_outcome: gse,
                     effect_size: 0.3, alpha: 0.05, power: 0.8}

    Omitted entries take the defaults shown by ``ProgrammeDesign().to_yaml()``; unknown keys
    are refused.

    Examples
    --------
    >>> d = ProgrammeDesign(name="Pilot", n_mentees=60, n_mentors=25, duration_weeks=12)
    >>> d.seats, d.format
    (75, 'one_to_one')
    >>> ProgrammeDesign.from_yaml(d.to_yaml()) == d
    True
    >>> ProgrammeDesign.from_dict({"cohort": {"n_mentes": 40}})
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - design, column 'cohort.n_mentes': unknown key. Fix: did you mean 'n_mentees'?
    >>> ProgrammeDesign(format="group", group_size=1)
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - design, column 'format.group_size': a group needs at least 2 mentees (got 1). Fix: set format.group_size between 2 and 15, or use format.type: one_to_one
    """

    name: str = "Programme design"
    description: str = ""
    objectives: tuple[str, ...] = ("Help mentees build their career plans",)
    audience: str = "Students and young graduates"
    structure: str = "formal"
    n_mentees: int = 300
    n_mentors: int = 90
    mentor_capacity: int = 3
    format: str = "one_to_one"
    group_size: int = 1
    duration_weeks: int = 26
    sync_share: float = 0.4
    checkin_every_days: int = 14
    contacts_per_month: float = 4.0
    practice: PracticePlan = field(default_factory=PracticePlan)
    evaluation: EvaluationPlan = field(default_factory=EvaluationPlan)

    def __post_init__(self) -> None:
        problems = [*self._text_problems(), *self._setting_problems(), *self._evaluation_problems()]
        if problems:
            raise DataValidationError(problems)

    def _text_problems(self) -> list[Problem]:
        """Name, description, audience and objectives (stored stripped)."""
        where = "design"
        problems: list[Problem] = []
        for key in ("name", "description", "audience"):
            v = getattr(self, key)
            if not isinstance(v, str):
                problems.append(
                    _problem(where, key, N_("must be text (got {v!r})").format(v=v), N_("quote it"))
                )
            else:
                object.__setattr__(self, key, v.strip())
        if isinstance(self.name, str) and not self.name.strip():
            problems.append(
                _problem(where, "name", N_("is empty"), N_("give the design a short name"))
            )
        if isinstance(self.audience, str) and not self.audience.strip():
            problems.append(
                _problem(where, "audience", N_("is empty"), N_("say who the mentees are"))
            )
        objectives = self.objectives
        if isinstance(objectives, str):
            objectives = (objectives,)
        if not isinstance(objectives, (list, tuple)) or not all(
            isinstance(o, str) and o.strip() for o in objectives
        ):
            problems.append(
                _problem(
                    where,
                    "objectives",
                    N_("invalid objectives {objectives!r}").format(objectives=self.objectives),
                    N_("write a list of short sentences, e.g. [Find an internship]"),
                )
            )
        elif not objectives:
            problems.append(
                _problem(
                    where, "objectives", N_("no objective given"), N_("list at least one objective")
                )
            )
        else:
            object.__setattr__(self, "objectives", tuple(o.strip() for o in objectives))
        return problems

    def _setting_problems(self) -> list[Problem]:
        """Structure, format, the whole-number settings, group size and the live share."""
        where = "design"
        problems: list[Problem] = []
        for key, allowed in (("structure", STRUCTURES), ("format", FORMATS)):
            if getattr(self, key) not in allowed:
                problems.append(
                    _problem(
                        where,
                        _path(key),
                        N_("unknown value {getattr!r}").format(getattr=getattr(self, key)),
                        N_("use one of: {allowed}").format(allowed=", ".join(allowed)),
                    )
                )
        for key, (lo, hi) in _LIMITS.items():
            v = _int(getattr(self, key))
            if v is None or not lo <= v <= hi:
                problems.append(
                    _problem(
                        where,
                        _path(key),
                        N_("invalid value {getattr!r}").format(getattr=getattr(self, key)),
                        N_("use a whole number between {lo} and {hi}").format(lo=lo, hi=hi),
                    )
                )
            else:
                object.__setattr__(self, key, v)
        if self.format == "group" and isinstance(self.group_size, int) and self.group_size < 2:
            problems.append(
                _problem(
                    where,
                    _path("group_size"),
                    N_("a group needs at least 2 mentees (got {group_size})").format(
                        group_size=self.group_size
                    ),
                    N_("set format.group_size between 2 and 15, or use format.type: one_to_one"),
                )
            )
        if self.format == "one_to_one" and isinstance(self.group_size, int) and self.group_size > 1:
            problems.append(
                _problem(
                    where,
                    _path("group_size"),
                    N_("group_size {group_size} only applies to group mentoring").format(
                        group_size=self.group_size
                    ),
                    N_("set format.group_size: 1, or use format.type: group"),
                )
            )
        share = _float(self.sync_share)
        if share is None or not 0 <= share <= 1:
            problems.append(
                _problem(
                    where,
                    _path("sync_share"),
                    N_("invalid value {sync_share!r}").format(sync_share=self.sync_share),
                    N_("use the share of live exchanges between 0 and 1 (e.g. 0.3 for 30 %)"),
                )
            )
        else:
            object.__setattr__(self, "sync_share", share)
        contacts = _float(self.contacts_per_month)
        if contacts is None or not 0.25 <= contacts <= 31:
            problems.append(
                _problem(
                    where,
                    _path("contacts_per_month"),
                    N_("invalid value {contacts_per_month!r}").format(
                        contacts_per_month=self.contacts_per_month
                    ),
                    N_("use contacts a month between 0.25 and 31 (4: about weekly)"),
                )
            )
        else:
            object.__setattr__(self, "contacts_per_month", contacts)
        return problems

    def _evaluation_problems(self) -> list[Problem]:
        """The practice and evaluation plans (a mapping is read as one)."""
        where = "design"
        problems: list[Problem] = []
        if isinstance(self.practice, Mapping):
            try:
                object.__setattr__(self, "practice", _practice_from_dict(self.practice))
            except DataValidationError as exc:
                problems += exc.problems
        elif not isinstance(self.practice, PracticePlan):
            problems.append(
                _problem(
                    where,
                    "practice",
                    N_("invalid practice plan {practice!r}").format(practice=self.practice),
                    N_("give a PracticePlan or a mapping of its fields"),
                )
            )
        if isinstance(self.evaluation, Mapping):
            try:
                object.__setattr__(self, "evaluation", _plan_from_dict(self.evaluation))
            except DataValidationError as exc:
                problems += exc.problems
        elif not isinstance(self.evaluation, EvaluationPlan):
            problems.append(
                _problem(
                    where,
                    "evaluation",
                    N_("invalid evaluation plan {evaluation!r}").format(evaluation=self.evaluation),
                    N_(
                        "give an EvaluationPlan or a mapping with instruments, "
                        "primary_outcome, effect_size, alpha, power"
                    ),
                )
            )
        return problems

    @property
    def seats(self) -> int:
        """Places the mentors offer: ``n_mentors * mentor_capacity * group_size``."""
        return self.n_mentors * self.mentor_capacity * self.group_size

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict[str, Any]:
        """The nested YAML layout (every entry spelled out).

        Returns
        -------
        dict
            Sections ``cohort``, ``format``, ``schedule``, ``practice``, ``evaluation`` (nested
            dicts) after
            ``name``, ``description``, ``objectives``, ``audience``, ``structure``; what
            :meth:`from_dict` reads back.

        Examples
        --------
        >>> list(ProgrammeDesign().to_dict())  # doctest: +NORMALIZE_WHITESPACE
        ['name', 'description', 'objectives', 'audience', 'structure', 'cohort', 'format',
         'schedule', 'practice', 'evaluation']
        """
        out: dict[str, Any] = {}
        for f in fields(self):
            section, key = _LAYOUT[f.name]
            value = getattr(self, f.name)
            if f.name == "objectives":
                value = list(value)
            elif f.name in ("evaluation", "practice"):
                value = value.to_dict()
            if section is None:
                out[key] = value
            else:
                out.setdefault(section, {})[key] = value
        order = ["name", "description", "objectives", "audience", "structure"]
        order += ["cohort", "format", "schedule", "practice", "evaluation"]
        return {k: out[k] for k in order}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "design") -> ProgrammeDesign:
        """Build a design from the nested YAML layout (see the class notes).

        Parameters
        ----------
        data : mapping
            The layout :meth:`to_dict` gives; absent entries keep their default.
        source : str
            Name of the origin (a file name), used in the problems reported.

        Returns
        -------
        ProgrammeDesign
            The validated design.

        Raises
        ------
        DataValidationError
            Naming every unknown key (with the closest known one) and every invalid value.

        Examples
        --------
        >>> ProgrammeDesign.from_dict({"format": {"type": "group", "group_size": 5}}).seats
        1350
        """
        if not isinstance(data, Mapping):
            raise DataValidationError(
                [
                    _problem(
                        source,
                        None,
                        N_("a design must be a mapping"),
                        N_("start the file with keys such as name:, cohort:, schedule:"),
                    )
                ]
            )
        problems: list[Problem] = []
        kw: dict[str, Any] = {}
        lookup = {(s, k): f for f, (s, k) in _LAYOUT.items()}
        for key, value in data.items():
            if key not in _TOP_KEYS:
                home = [sec for sec, keys in _SECTIONS.items() if key in keys]
                problems.append(
                    Problem(
                        source,
                        str(key),
                        (),
                        N_("unknown key"),
                        N_("put it in its section, as {path}").format(path=f"{home[0]}.{key}"),
                    )
                    if home
                    else unknown_key(source, str(key), _TOP_KEYS)
                )
            elif key in _SECTIONS:
                if value is None:
                    continue
                if not isinstance(value, Mapping):
                    problems.append(
                        _problem(
                            source,
                            key,
                            N_("must be a mapping"),
                            N_("write {key}: followed by indented entries ({SECTIONS})").format(
                                key=key, SECTIONS=", ".join(_SECTIONS[key])
                            ),
                        )
                    )
                    continue
                for k, v in value.items():
                    if k not in _SECTIONS[key]:
                        problems.append(unknown_key(source, f"{key}.{k}", _SECTIONS[key]))
                    else:
                        kw[lookup[(key, k)]] = v
            elif key in ("evaluation", "practice"):
                if value is None:
                    continue
                read = _plan_from_dict if key == "evaluation" else _practice_from_dict
                try:
                    kw[key] = read(value)
                except DataValidationError as exc:
                    problems += [
                        Problem(source, p.column, p.rows, p.message, p.fix) for p in exc.problems
                    ]
            else:
                kw[key] = "" if value is None and key == "description" else value
        if problems:
            raise DataValidationError(problems)
        try:
            return cls(**kw)
        except DataValidationError as exc:
            raise _rename(exc, source, "design") from None

    def to_yaml(self, path: str | Path | None = None) -> str:
        """Canonical YAML text of the design; also written to ``path`` when given.

        Parameters
        ----------
        path : str or Path, optional
            File to write (its folder is created if needed).

        Returns
        -------
        str
            The YAML text, keys in the order of :meth:`to_dict`.

        Examples
        --------
        >>> print(ProgrammeDesign().to_yaml(), end="")  # doctest: +ELLIPSIS
        name: Programme design
        description: ''
        objectives:
        - Help mentees build their career plans
        audience: Students and young graduates
        structure: formal
        cohort:
          n_mentees: 300
          n_mentors: 90
          mentor_capacity: 3
        format:
          type: one_to_one
          group_size: 1
        schedule:
          duration_weeks: 26
          sync_share: 0.4
          checkin_every_days: 14
          contacts_per_month: 4.0
        practice:
          minors: false
          parental_consent: false
          screening: basic
          training_hours: 2.0
          digital_training: true
          first_meeting: true
          agreement: true
          minutes_per_checkin: 20.0
          rematching: false
          closure: planned
          face_to_face_share: 0.0
          platform: programme
          code_of_conduct: true
        evaluation:
          instruments:
            T0: [gse]
            T1: [gse, wai, emx]
          primary_outcome: gse
          effect_size: 0.3
          alpha: 0.05
          power: 0.8
        """
        text = yaml.dump(
            self.to_dict(),
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=100,
        )
        if path is not None:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        return text

    @classmethod
    def from_yaml(cls, source: str | Path) -> ProgrammeDesign:
        """Read a design from a YAML file path or from YAML text.

        Parameters
        ----------
        source : str or Path
            A YAML file (a ``Path``, or a one-line string ending in ``.yaml``/``.yml``), or
            YAML text.

        Returns
        -------
        ProgrammeDesign
            The validated design.

        Raises
        ------
        DataValidationError
            When the file is missing, is not YAML, or holds unknown keys or invalid values
            (each problem names the file and the key).

        Examples
        --------
        >>> ProgrammeDesign.from_yaml("schedule: {duration_weeks: 8}").duration_weeks
        8
        """
        data, name = read_yaml(source, N_("design"))
        return cls.from_dict(data, source=name)

    @classmethod
    def coerce(
        cls, design: ProgrammeDesign | Mapping[str, Any] | str | Path, *, argument: str = "design"
    ) -> ProgrammeDesign:
        """The design any ``design=`` argument of the package accepts, as a :class:`ProgrammeDesign`.

        Parameters
        ----------
        design : ProgrammeDesign, mapping, str or Path
            A design (returned as is), a nested dict in the YAML layout (:meth:`from_dict`),
            or the path of a YAML file or YAML text (:meth:`from_yaml`).
        argument : str
            Name of the argument in the caller, used in the error message.

        Returns
        -------
        ProgrammeDesign

        Raises
        ------
        ArgumentTypeError
            ``design`` is of another type (e.g. a number or ``None``).
        DataValidationError
            The dict or YAML holds unknown keys or invalid values.

        Examples
        --------
        >>> ProgrammeDesign.coerce({"schedule": {"duration_weeks": 8}}).duration_weeks
        8
        >>> ProgrammeDesign.coerce(42)
        Traceback (most recent call last):
        ...
        ementor_kit.errors.ArgumentTypeError: argument 'design': int 42 is not accepted. Fix: pass a ProgrammeDesign, a dict in the YAML layout, or the path of a design YAML file
        """
        if isinstance(design, ProgrammeDesign):
            return design
        if isinstance(design, Mapping):
            return cls.from_dict(design)
        if isinstance(design, (str, Path)):
            return cls.from_yaml(design)
        raise ArgumentTypeError(
            argument,
            design,
            N_(
                "pass a ProgrammeDesign, a dict in the YAML layout, or the path of a "
                "design YAML file"
            ),
        )

    def replace(self, **changes: Any) -> ProgrammeDesign:
        """A copy with some fields changed (validated again).

        Parameters
        ----------
        **changes
            New values by field name (``n_mentees=120``, ``sync_share=0.5`` ...).

        Returns
        -------
        ProgrammeDesign
            The changed copy.

        Raises
        ------
        DataValidationError
            Naming an unknown field (with the closest known one) or an invalid value.

        Examples
        --------
        >>> ProgrammeDesign().replace(checkin_every_days=7).checkin_every_days
        7
        """
        kw = {f.name: getattr(self, f.name) for f in fields(self)}
        unknown = [k for k in changes if k not in kw]
        if unknown:
            raise DataValidationError([unknown_key("design", k, list(kw)) for k in unknown])
        kw.update(changes)
        return ProgrammeDesign(**kw)


def _coerce_designs(designs: object, argument: str = "designs") -> list[ProgrammeDesign]:
    """The designs of a ``designs=`` argument (a list of what :meth:`ProgrammeDesign.coerce`
    takes); one design alone is refused with the call that takes it."""
    if isinstance(designs, ProgrammeDesign | Mapping | str | Path):
        raise InvalidArgumentError(
            argument,
            getattr(designs, "name", designs),
            N_("pass a list of designs, e.g. [design] (one design alone: simulate(design))"),
            message=N_("one design, not a list of designs"),
        )
    try:
        items = list(designs)  # type: ignore[call-overload]
    except TypeError:
        raise ArgumentTypeError(
            argument, designs, N_("pass a list of designs (ProgrammeDesign, dict or YAML)")
        ) from None
    return [ProgrammeDesign.coerce(d, argument=argument) for d in items]
