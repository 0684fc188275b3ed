"""Programme design: describe an e-mentoring programme and simulate the consequences of the design.

A :class:`ProgrammeDesign` is what a trainer or a coordinator decides before a programme starts:
its objectives and audience, the size of the cohort, how many mentees a mentor takes on,
one-to-one or group mentoring, how long it lasts, how much of the exchange is live
(synchronous: video, phone) rather than written (asynchronous: chat, e-mail, forum), how often
the coordinator checks in with each pair, whether the programme is formal (structured by the
coordinator) or informal, and how it will be evaluated. Designs are frozen, validated (every
error names the YAML key and the fix) and round-trip through YAML; examples live in
``data/samples/designs/``.

:func:`simulate` plays a design out on a synthetic cohort:

1. the cohort (mentors and mentees) comes from :func:`ementor_kit.samples.generate_programme`
   with the design's sizes and the simulation seed;
2. it is paired by the real pairing engine, :func:`ementor_kit.matching.match`, with the
   default :class:`~ementor_kit.matching.MatchRules` and every mentor's capacity set by the
   design (see *Group mentoring* below). Coverage and match scores are therefore the exact
   optimum of the engine, not a guess;
3. each pair's weekly chance of fading is computed from the design and the pair under the
   :class:`SimulationAssumptions` (ILLUSTRATIVE numbers, not findings: change them), and
   pairs fade week by week;
4. the evaluation plan is checked: expected number of mentees answering both waves and the
   power of the paired t test on the primary outcome for that sample.

Group mentoring
---------------
In the group format a mentor leads ``mentor_capacity`` groups of up to ``group_size`` mentees,
so a mentor offers ``mentor_capacity * group_size`` places. The pairing engine assigns mentees
to mentors with that many places (the compatibility of a mentee with the group's mentor is what
the score measures); a mentor's mentees are then split into ``ceil(k / group_size)`` groups of
balanced size. The engine's ``availability`` criterion (the mentor's weekly hours divided by the
number of mentees) is switched off in the group format: a group session gives each member the
whole hour, so dividing the hours by the places would understate what each mentee gets.
Fading is simulated per mentee (a member can drop out of a group that continues); peer support
within a group changes the hazard by ``group_hazard_ratio``. Coordinator check-ins are counted
per relationship: per pair one-to-one, per group in the group format.

The hazard model
----------------
For a matched mentee ``i`` in week ``w`` (1 = first week), the chance of fading that week is::

    h_iw = min(1, weekly_fade_hazard
                  * (checkin_every_days / reference_checkin_days) ** checkin_elasticity
                  * (1 + sync_mix_penalty * (sync_share - best_sync_share) ** 2)
                  * (1 + timezone_hazard_per_hour * distance_hours_i * sync_share)
                  * hazard_ratio_per_10_points ** ((score_i - 50) / 10)
                  * (group_hazard_ratio if group format)
                  * (informal_hazard_ratio if informal)
                  * (early_hazard_ratio if w <= early_weeks))

``distance_hours_i`` is the distance between the mentee's and the mentor's UTC offsets on the
24-hour clock: it only matters for the live share of the exchanges. The model probability that
the pair is still active after week ``w`` is ``S_iw = prod_{k <= w} (1 - h_ik)``. The
simulation draws one uniform number ``u_i`` per mentee (from the seed) and the pair is active
after week ``w`` while ``S_iw >= u_i``. Because the same ``u_i`` serve every design with the
same cohort and seed (common random numbers), a design that lowers every hazard keeps every
pair active at least as long: more frequent check-ins never lower simulated retention.

Evaluation
----------
The primary outcome is compared before (T0) and after (T1) with a paired t test on the matched
mentees who answer both waves. The expected number is
``sum_i p0 * (S_iD * t1_response_active + (1 - S_iD) * t1_response_faded)``
with ``p0 = t0_response_rate`` and both waves' rates lowered by the length of the
questionnaires (``response_drop_per_10_items``). In the group format, members of a group share
their sessions, so their outcomes are correlated (``group_outcome_icc``): the sample counts as
``n / deff`` independent mentees with the design effect ``deff = 1 + (m - 1) * ICC``, ``m`` the
expected respondents per group (``deff = 1`` one-to-one). The power of the two-sided paired t
test for the target effect size ``d_z`` with ``n_analysed = floor(n / deff)`` comes from the
noncentral t distribution; :func:`ementor_kit.outcomes.plan_sample_size` gives the number
needed for the target power, and ``mentees_needed`` the intake that would give it at the same
coverage, retention, response rates and design effect.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ementor_kit._settings_yaml import read_yaml, unknown_key
from ementor_kit.errors import DataValidationError, EmentorKitError, Problem
from ementor_kit.instruments import list_instruments, load_instrument
from ementor_kit.match_rules import DEFAULT_WEIGHTS
from ementor_kit.matching import MatchRules, match
from ementor_kit.outcomes import plan_sample_size, t_test_power
from ementor_kit.samples import generate_programme
from ementor_kit.schema import WAVES

__all__ = [
    "FORMATS",
    "STRUCTURES",
    "EvaluationPlan",
    "ProgrammeDesign",
    "SimulationAssumptions",
    "SimulationResult",
    "compare_designs",
    "example_designs",
    "simulate",
]

FORMATS: tuple[str, ...] = ("one_to_one", "group")
"""``one_to_one``: one mentor, one mentee. ``group``: one mentor leads a group of mentees."""

STRUCTURES: tuple[str, ...] = ("formal", "informal")
"""``formal``: the coordinator pairs, sets the rhythm and follows up. ``informal``: pairs
organise themselves once introduced."""

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
    "evaluation": (None, "evaluation"),
}
_SECTIONS: dict[str, tuple[str, ...]] = {
    section: tuple(k for s, k in _LAYOUT.values() if s == section)
    for section in dict.fromkeys(s for s, _ in _LAYOUT.values() if s is not None)
}
_TOP_KEYS = tuple(k for s, k in _LAYOUT.values() if s is None) + tuple(_SECTIONS)
_EVAL_KEYS = ("instruments", "primary_outcome", "effect_size", "alpha", "power")


def _path(name: str) -> str:
    section, key = _LAYOUT[name]
    return key if section is None else f"{section}.{key}"


def _problem(where: str, key: str | None, message: str, fix: str) -> Problem:
    return Problem(where, key, (), message, fix)


def _int(value: Any) -> int | None:
    """A whole number (an int, or a float with no fraction), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and value == int(value):
        return int(value)
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    v = float(value)
    return v if math.isfinite(v) else None


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
# Evaluation plan
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _known_instruments() -> tuple[str, ...]:
    return tuple(sorted(list_instruments()["id"]))


@functools.lru_cache(maxsize=64)
def _instrument(name: str) -> tuple[str, int, tuple[str, ...]] | None:
    """(id, number of items, raters) of a built-in instrument, None when unknown."""
    try:
        inst = load_instrument(name)
    except (EmentorKitError, OSError, ValueError, KeyError):
        return None
    return inst.id, len(inst.items), tuple(inst.raters)


@dataclass(frozen=True)
class EvaluationPlan:
    """How the programme will be evaluated: questionnaires per wave and the pre/post test.

    Parameters
    ----------
    instruments : mapping of wave to list of str
        Questionnaires given at intake (``T0``) and at the end (``T1``): ids of the built-in
        instruments (``gse``, ``mfq``, ``wai``, ``emx``; see
        :func:`ementor_kit.instruments.list_instruments`). Aliases are accepted and stored as
        ids.
    primary_outcome : str
        The instrument compared before and after (paired t test); it must be given at both
        waves and answered by mentees.
    effect_size : float
        Smallest change worth detecting, as a standardised paired effect ``d_z`` (mean change
        divided by the standard deviation of the change), between 0.05 and 3.
    alpha : float
        Type I error rate of the two-sided test, in (0, 0.5].
    power : float
        Wanted chance of detecting ``effect_size``, in (alpha, 1).

    Examples
    --------
    >>> plan = EvaluationPlan(instruments={"T0": ["gse"], "T1": ["gse", "emx"]})
    >>> plan.instruments["T1"], plan.primary_outcome, plan.effect_size
    (('gse', 'emx'), 'gse', 0.3)
    >>> EvaluationPlan(instruments={"T0": ["gse"], "T1": ["emx"]})
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - design, column 'evaluation.primary_outcome': 'gse' is not given at T1. Fix: add gse to evaluation.instruments.T1, or choose a primary outcome given at both T0 and T1
    """

    instruments: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {"T0": ("gse",), "T1": ("gse", "wai", "emx")}
    )
    primary_outcome: str = "gse"
    effect_size: float = 0.3
    alpha: float = 0.05
    power: float = 0.8

    def __post_init__(self) -> None:
        where = "design"
        problems: list[Problem] = []
        known = _known_instruments()
        clean: dict[str, tuple[str, ...]] = {}
        if not isinstance(self.instruments, Mapping):
            problems.append(
                _problem(
                    where,
                    "evaluation.instruments",
                    "must be a mapping of wave to questionnaires",
                    "write it as {T0: [gse], T1: [gse, emx]}",
                )
            )
        else:
            for wave, names in self.instruments.items():
                key = f"evaluation.instruments.{wave}"
                if wave not in WAVES:
                    problems.append(unknown_key(where, key, WAVES))
                    continue
                if isinstance(names, str):
                    names = [names]
                if names is None:
                    names = []
                if not isinstance(names, (list, tuple)):
                    problems.append(
                        _problem(where, key, f"invalid list {names!r}", "write [gse, emx]")
                    )
                    continue
                ids: list[str] = []
                for n in names:
                    found = _instrument(str(n)) if isinstance(n, str) else None
                    if found is None:
                        close = difflib.get_close_matches(str(n), known, n=1)
                        hint = f"did you mean '{close[0]}'? " if close else ""
                        problems.append(
                            _problem(
                                where,
                                key,
                                f"unknown questionnaire {n!r}",
                                f"{hint}use one of: {', '.join(known)}",
                            )
                        )
                    elif found[0] in ids:
                        problems.append(
                            _problem(where, key, f"{found[0]} is listed twice", "list it once")
                        )
                    else:
                        ids.append(found[0])
                clean[wave] = tuple(ids)
        full = {w: clean.get(w, ()) for w in WAVES}
        object.__setattr__(self, "instruments", MappingProxyType(full))

        outcome = self.primary_outcome
        found = _instrument(outcome) if isinstance(outcome, str) else None
        if found is None:
            problems.append(
                _problem(
                    where,
                    "evaluation.primary_outcome",
                    f"unknown questionnaire {outcome!r}",
                    f"use one of: {', '.join(known)}",
                )
            )
        else:
            object.__setattr__(self, "primary_outcome", found[0])
            if "mentee" not in found[2]:
                problems.append(
                    _problem(
                        where,
                        "evaluation.primary_outcome",
                        f"{found[0]} is not answered by mentees",
                        "choose a questionnaire mentees answer (e.g. gse)",
                    )
                )
            elif not problems:
                for wave in WAVES:
                    if found[0] not in full[wave]:
                        problems.append(
                            _problem(
                                where,
                                "evaluation.primary_outcome",
                                f"'{found[0]}' is not given at {wave}",
                                f"add {found[0]} to evaluation.instruments.{wave}, or choose "
                                "a primary outcome given at both T0 and T1",
                            )
                        )
        for key, lo, hi, fix in (
            ("effect_size", 0.05, 3.0, "use a standardised effect d_z between 0.05 and 3"),
            ("alpha", 1e-6, 0.5, "use a number in (0, 0.5], e.g. 0.05"),
            ("power", 0.5, 0.999, "use a number between 0.5 and 0.999, e.g. 0.8"),
        ):
            v = _float(getattr(self, key))
            if v is None or not lo <= v <= hi:
                problems.append(
                    _problem(
                        where, f"evaluation.{key}", f"invalid value {getattr(self, key)!r}", fix
                    )
                )
            else:
                object.__setattr__(self, key, v)
        if problems:
            raise DataValidationError(problems)

    def __hash__(self) -> int:
        return hash(
            (
                tuple(self.instruments.items()),
                self.primary_outcome,
                self.effect_size,
                self.alpha,
                self.power,
            )
        )

    def items_at(self, wave: str) -> int:
        """Number of questionnaire items given at ``wave`` (``T0`` or ``T1``).

        Examples
        --------
        >>> EvaluationPlan(instruments={"T0": ["gse"], "T1": ["gse", "emx"]}).items_at("T1")
        18
        """
        return sum(_instrument(i)[1] for i in self.instruments[wave])  # type: ignore[index]

    def to_dict(self) -> dict[str, Any]:
        """The ``evaluation:`` section of the YAML layout."""
        return {
            "instruments": {w: list(v) for w, v in self.instruments.items()},
            "primary_outcome": self.primary_outcome,
            "effect_size": self.effect_size,
            "alpha": self.alpha,
            "power": self.power,
        }


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
        Days between two check-ins of the coordinator with each pair or group (1-180).
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
        schedule: {duration_weeks: 26, sync_share: 0.4, checkin_every_days: 14}
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
    evaluation: EvaluationPlan = field(default_factory=EvaluationPlan)

    def __post_init__(self) -> None:
        where = "design"
        problems: list[Problem] = []
        for key in ("name", "description", "audience"):
            v = getattr(self, key)
            if not isinstance(v, str):
                problems.append(_problem(where, key, f"must be text (got {v!r})", "quote it"))
            else:
                object.__setattr__(self, key, v.strip())
        if isinstance(self.name, str) and not self.name.strip():
            problems.append(_problem(where, "name", "is empty", "give the design a short name"))
        if isinstance(self.audience, str) and not self.audience.strip():
            problems.append(_problem(where, "audience", "is empty", "say who the mentees are"))
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
                    f"invalid objectives {self.objectives!r}",
                    "write a list of short sentences, e.g. [Find an internship]",
                )
            )
        elif not objectives:
            problems.append(
                _problem(where, "objectives", "no objective given", "list at least one objective")
            )
        else:
            object.__setattr__(self, "objectives", tuple(o.strip() for o in objectives))
        for key, allowed in (("structure", STRUCTURES), ("format", FORMATS)):
            if getattr(self, key) not in allowed:
                problems.append(
                    _problem(
                        where,
                        _path(key),
                        f"unknown value {getattr(self, key)!r}",
                        f"use one of: {', '.join(allowed)}",
                    )
                )
        for key, (lo, hi) in _LIMITS.items():
            v = _int(getattr(self, key))
            if v is None or not lo <= v <= hi:
                problems.append(
                    _problem(
                        where,
                        _path(key),
                        f"invalid value {getattr(self, key)!r}",
                        f"use a whole number between {lo} and {hi}",
                    )
                )
            else:
                object.__setattr__(self, key, v)
        if self.format == "group" and isinstance(self.group_size, int) and self.group_size < 2:
            problems.append(
                _problem(
                    where,
                    _path("group_size"),
                    f"a group needs at least 2 mentees (got {self.group_size})",
                    "set format.group_size between 2 and 15, or use format.type: one_to_one",
                )
            )
        if self.format == "one_to_one" and isinstance(self.group_size, int) and self.group_size > 1:
            problems.append(
                _problem(
                    where,
                    _path("group_size"),
                    f"group_size {self.group_size} only applies to group mentoring",
                    "set format.group_size: 1, or use format.type: group",
                )
            )
        v = _float(self.sync_share)
        if v is None or not 0 <= v <= 1:
            problems.append(
                _problem(
                    where,
                    _path("sync_share"),
                    f"invalid value {self.sync_share!r}",
                    "use the share of live exchanges between 0 and 1 (e.g. 0.3 for 30 %)",
                )
            )
        else:
            object.__setattr__(self, "sync_share", v)
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
                    f"invalid evaluation plan {self.evaluation!r}",
                    "give an EvaluationPlan or a mapping with instruments, primary_outcome, "
                    "effect_size, alpha, power",
                )
            )
        if problems:
            raise DataValidationError(problems)

    @property
    def seats(self) -> int:
        """Places the mentors offer: ``n_mentors * mentor_capacity * group_size``."""
        return self.n_mentors * self.mentor_capacity * self.group_size

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict[str, Any]:
        """The nested YAML layout (every entry spelled out).

        Examples
        --------
        >>> list(ProgrammeDesign().to_dict())  # doctest: +NORMALIZE_WHITESPACE
        ['name', 'description', 'objectives', 'audience', 'structure', 'cohort', 'format',
         'schedule', 'evaluation']
        """
        out: dict[str, Any] = {}
        for f in fields(self):
            section, key = _LAYOUT[f.name]
            value = getattr(self, f.name)
            if f.name == "objectives":
                value = list(value)
            elif f.name == "evaluation":
                value = value.to_dict()
            if section is None:
                out[key] = value
            else:
                out.setdefault(section, {})[key] = value
        order = ["name", "description", "objectives", "audience", "structure"]
        order += ["cohort", "format", "schedule", "evaluation"]
        return {k: out[k] for k in order}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "design") -> ProgrammeDesign:
        """Build a design from the nested YAML layout (see the class notes).

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
                        "a design must be a mapping",
                        "start the file with keys such as name:, cohort:, schedule:",
                    )
                ]
            )
        problems: list[Problem] = []
        kw: dict[str, Any] = {}
        lookup = {(s, k): f for f, (s, k) in _LAYOUT.items()}
        for key, value in data.items():
            if key not in _TOP_KEYS:
                problems.append(unknown_key(source, str(key), _TOP_KEYS))
            elif key in _SECTIONS:
                if value is None:
                    continue
                if not isinstance(value, Mapping):
                    problems.append(
                        _problem(
                            source,
                            key,
                            "must be a mapping",
                            f"write {key}: followed by indented entries "
                            f"({', '.join(_SECTIONS[key])})",
                        )
                    )
                    continue
                for k, v in value.items():
                    if k not in _SECTIONS[key]:
                        problems.append(unknown_key(source, f"{key}.{k}", _SECTIONS[key]))
                    else:
                        kw[lookup[(key, k)]] = v
            elif key == "evaluation":
                if value is None:
                    continue
                try:
                    kw["evaluation"] = _plan_from_dict(value)
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
        data, name = read_yaml(source, "design")
        return cls.from_dict(data, source=name)

    def replace(self, **changes: Any) -> ProgrammeDesign:
        """A copy with some fields changed (validated again).

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


def _plan_from_dict(data: Any) -> EvaluationPlan:
    if isinstance(data, EvaluationPlan):
        return data
    if not isinstance(data, Mapping):
        raise DataValidationError(
            [
                _problem(
                    "design",
                    "evaluation",
                    "must be a mapping",
                    f"write evaluation: followed by {', '.join(_EVAL_KEYS)}",
                )
            ]
        )
    bad = [k for k in data if k not in _EVAL_KEYS]
    if bad:
        raise DataValidationError(
            [unknown_key("design", f"evaluation.{k}", _EVAL_KEYS) for k in bad]
        )
    kw = {k: v for k, v in data.items() if v is not None}
    return EvaluationPlan(**kw)


def _as_design(design: ProgrammeDesign | Mapping[str, Any] | str | Path) -> ProgrammeDesign:
    if isinstance(design, ProgrammeDesign):
        return design
    if isinstance(design, Mapping):
        return ProgrammeDesign.from_dict(design)
    if isinstance(design, (str, Path)):
        return ProgrammeDesign.from_yaml(design)
    raise EmentorKitError(
        f"Cannot read a programme design from {type(design).__name__}. Fix: pass a "
        "ProgrammeDesign, a dict in the YAML layout, or the path of a design YAML file."
    )


def _designs_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "samples" / "designs"


def example_designs() -> dict[str, ProgrammeDesign]:
    """The example designs of ``data/samples/designs/``, by file name (without ``.yaml``).

    Returns
    -------
    dict of str to ProgrammeDesign
        In file-name order.

    Raises
    ------
    EmentorKitError
        When the folder is absent (a non-editable install); the message says what to do.

    Examples
    --------
    >>> designs = example_designs()
    >>> sorted(designs)
    ['group_circles', 'short_async_first', 'six_month_mixed']
    >>> designs["six_month_mixed"].checkin_every_days
    14
    """
    folder = _designs_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise EmentorKitError(
            f"The example designs folder {folder} is missing or empty. It ships with the "
            "ementor-kit source repository (data/samples/designs), which a non-editable install "
            "does not include. Fix: install from a clone with `pip install -e .`, or start from "
            "ProgrammeDesign() and save it with to_yaml()."
        )
    return {f.stem: ProgrammeDesign.from_yaml(f) for f in files}


# ---------------------------------------------------------------------------------------------
# Simulation assumptions
# ---------------------------------------------------------------------------------------------

_ASSUMPTION_HELP: dict[str, tuple[str, str]] = {
    "weekly_fade_hazard": (
        "chance per week",
        "Chance that a reference pair fades in a given week: one-to-one, formal, check-ins "
        "every reference_checkin_days, best sync share, same time zone, match score 50.",
    ),
    "early_weeks": ("weeks", "Length of the fragile start of a relationship."),
    "early_hazard_ratio": (
        "ratio",
        "Hazard multiplier during the early weeks (pairs that never really start).",
    ),
    "reference_checkin_days": ("days", "Check-in cadence of the reference pair."),
    "checkin_elasticity": (
        "exponent >= 0",
        "Hazard scales as (checkin_every_days / reference_checkin_days) ** elasticity: "
        "rarer check-ins, more fading.",
    ),
    "best_sync_share": ("share", "Share of live exchanges at which pairs fade least."),
    "sync_mix_penalty": (
        "ratio",
        "Hazard multiplier 1 + penalty * (sync_share - best_sync_share) ** 2: all-written "
        "pairs lack presence, all-live pairs struggle to meet.",
    ),
    "timezone_hazard_per_hour": (
        "per hour",
        "Extra hazard per hour of time-zone distance, times the live share "
        "(1 + value * hours * sync_share): distance only hurts live exchanges.",
    ),
    "hazard_ratio_per_10_points": (
        "ratio",
        "Hazard multiplier per 10 points of match score above 50 (below 1: better "
        "matched pairs fade less).",
    ),
    "group_hazard_ratio": ("ratio", "Hazard multiplier in group mentoring (peer support)."),
    "informal_hazard_ratio": (
        "ratio",
        "Hazard multiplier of informal programmes (no coordinator rhythm).",
    ),
    "t0_response_rate": ("share", "Mentees answering the intake questionnaire."),
    "t1_response_active": ("share", "Of T0 respondents in pairs active at the end: answer T1."),
    "t1_response_faded": ("share", "Of T0 respondents in pairs that faded: answer T1."),
    "response_drop_per_10_items": (
        "share",
        "Relative drop of a wave's response rate per 10 questionnaire items.",
    ),
    "group_outcome_icc": (
        "correlation",
        "Intraclass correlation of the outcome within a group (members share sessions): the "
        "group format divides the test's sample by 1 + (respondents per group - 1) * ICC.",
    ),
}


@dataclass(frozen=True)
class SimulationAssumptions:
    """ILLUSTRATIVE parameters of the engagement and response model of :func:`simulate`.

    These numbers are **illustrative assumptions, not findings**: they were chosen to give
    plausible orders of magnitude (in the sample programme about a third of the pairs fade
    within sixteen weeks; CyberMentor lost two thirds of its pairs over a year; MentorNet kept
    most of its pairs for a year) and to make the *direction* of each design choice visible.
    They are not estimated from data. Change them to your own programme's figures, and read
    the simulated numbers as "what follows if these assumptions hold". The hazard model is
    given in the module documentation; :meth:`describe` lists every parameter with its
    meaning.

    ``checkin_elasticity``, ``sync_mix_penalty`` and ``timezone_hazard_per_hour`` must be
    >= 0: with these signs more frequent check-ins, a mix closer to ``best_sync_share`` and
    shorter distances never raise a pair's hazard.

    Examples
    --------
    >>> a = SimulationAssumptions(weekly_fade_hazard=0.04)
    >>> a.weekly_fade_hazard, a.status
    (0.04, 'ILLUSTRATIVE')
    >>> SimulationAssumptions.from_dict({"weekly_fade_hazrd": 0.1})
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - assumptions, column 'weekly_fade_hazrd': unknown key. Fix: did you mean 'weekly_fade_hazard'?
    """

    weekly_fade_hazard: float = 0.025
    early_weeks: int = 4
    early_hazard_ratio: float = 1.5
    reference_checkin_days: float = 14.0
    checkin_elasticity: float = 0.35
    best_sync_share: float = 0.4
    sync_mix_penalty: float = 1.5
    timezone_hazard_per_hour: float = 0.05
    hazard_ratio_per_10_points: float = 0.85
    group_hazard_ratio: float = 0.9
    informal_hazard_ratio: float = 1.2
    t0_response_rate: float = 0.95
    t1_response_active: float = 0.8
    t1_response_faded: float = 0.45
    response_drop_per_10_items: float = 0.02
    group_outcome_icc: float = 0.05

    status = "ILLUSTRATIVE"
    """Label of every number these assumptions produce: illustrative, not a finding."""

    def __post_init__(self) -> None:
        where = "assumptions"
        problems: list[Problem] = []
        share = (0.0, 1.0, "use a share between 0 and 1")
        positive = (1e-9, 100.0, "use a ratio > 0 (1 = no effect)")
        non_negative = (0.0, 100.0, "use a number >= 0 (0 = no effect)")
        bounds = {
            "weekly_fade_hazard": share,
            "early_hazard_ratio": positive,
            "reference_checkin_days": (1.0, 365.0, "use a number of days between 1 and 365"),
            "checkin_elasticity": (0.0, 5.0, "use an exponent between 0 and 5 (0 = no effect)"),
            "best_sync_share": share,
            "sync_mix_penalty": non_negative,
            "timezone_hazard_per_hour": non_negative,
            "hazard_ratio_per_10_points": positive,
            "group_hazard_ratio": positive,
            "informal_hazard_ratio": positive,
            "t0_response_rate": share,
            "t1_response_active": share,
            "t1_response_faded": share,
            "response_drop_per_10_items": (0.0, 1.0, "use a share between 0 and 1"),
            "group_outcome_icc": (0.0, 1.0, "use an intraclass correlation between 0 and 1"),
        }
        for key, (lo, hi, fix) in bounds.items():
            v = _float(getattr(self, key))
            if v is None or not lo <= v <= hi:
                problems.append(_problem(where, key, f"invalid value {getattr(self, key)!r}", fix))
            else:
                object.__setattr__(self, key, v)
        v = _int(self.early_weeks)
        if v is None or not 0 <= v <= 104:
            problems.append(
                _problem(
                    where,
                    "early_weeks",
                    f"invalid value {self.early_weeks!r}",
                    "use a whole number of weeks between 0 and 104",
                )
            )
        else:
            object.__setattr__(self, "early_weeks", v)
        if problems:
            raise DataValidationError(problems)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "assumptions"
    ) -> SimulationAssumptions:
        """Assumptions from a flat mapping; omitted parameters keep their defaults.

        Examples
        --------
        >>> SimulationAssumptions.from_dict({"checkin_elasticity": 0}).checkin_elasticity
        0.0
        """
        if not isinstance(data, Mapping):
            raise DataValidationError(
                [_problem(source, None, "must be a mapping", "write parameter: value lines")]
            )
        known = [f.name for f in fields(cls)]
        bad = [k for k in data if k not in known]
        if bad:
            raise DataValidationError([unknown_key(source, str(k), known) for k in bad])
        try:
            return cls(**dict(data))
        except DataValidationError as exc:
            raise _rename(exc, source, "assumptions") from None

    @classmethod
    def from_yaml(cls, source: str | Path) -> SimulationAssumptions:
        """Assumptions from a YAML file path or YAML text (flat ``parameter: value``)."""
        data, name = read_yaml(source, "assumptions")
        return cls.from_dict(data, source=name)

    def to_dict(self) -> dict[str, Any]:
        """Every parameter, in declaration order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_yaml(self, path: str | Path | None = None) -> str:
        """YAML text (``parameter: value``), written to ``path`` when given."""
        text = "# ILLUSTRATIVE assumptions, not findings: replace them with your own figures.\n"
        text += yaml.dump(self.to_dict(), Dumper=yaml.SafeDumper, sort_keys=False)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8", newline="\n")
        return text

    def describe(self) -> pd.DataFrame:
        """One row per parameter: value, unit, meaning and status (``ILLUSTRATIVE``).

        Examples
        --------
        >>> SimulationAssumptions().describe().loc[0, ["parameter", "status"]].tolist()
        ['weekly_fade_hazard', 'ILLUSTRATIVE']
        """
        rows = [
            {
                "parameter": k,
                "value": float(v),
                "unit": _ASSUMPTION_HELP[k][0],
                "meaning": _ASSUMPTION_HELP[k][1],
                "status": self.status,
            }
            for k, v in self.to_dict().items()
        ]
        return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """What :func:`simulate` returns: the simulated consequences of a design.

    Every number is conditional on the :class:`SimulationAssumptions` (ILLUSTRATIVE) and on
    the synthetic cohort of the seed.

    Attributes
    ----------
    design : ProgrammeDesign
    assumptions : SimulationAssumptions
    seed : int
    pairs : DataFrame
        One row per matched mentee, by ``mentee_id``: ``mentor_id``, ``group_id`` (group
        format, else NA), ``score`` (engine score 0-100), ``distance_hours`` (time-zone
        distance), ``weekly_hazard`` (after the early weeks), ``p_active_end`` (model chance
        of being active at the end), ``fade_week`` (simulated week the pair faded, NA when
        still active: censored), ``active_end``, ``p_t1_complete`` (chance of answering both
        waves).
    unmatched : DataFrame
        Mentees the engine could not pair: ``mentee_id``, ``reason``.
    retention : DataFrame
        One row per week 0..duration: ``n_pairs``, ``n_active`` and ``active_share``
        (simulated), ``expected_active_share`` (mean model probability).
    mentor_load : DataFrame
        One row per mentor, by ``mentor_id``: ``seats``, ``n_mentees``, ``n_groups``,
        ``utilisation`` (mentees / seats), ``n_active_end``.
    evaluation : DataFrame
        One row: questionnaires, items per wave, expected respondents, the analysed sample,
        the power of the paired t test, the sample the target power needs and the expected
        number of coordinator check-ins (``expected_check_ins``).
    match_info : dict
        The engine's summary: ``objective``, ``solver``, ``status``, ``proven_optimal``, ``gap``,
        ``provenance``, ``version`` (never its timings).
    """

    design: ProgrammeDesign
    assumptions: SimulationAssumptions
    seed: int
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    retention: pd.DataFrame
    mentor_load: pd.DataFrame
    evaluation: pd.DataFrame
    match_info: Mapping[str, Any]

    def summary(self) -> dict[str, Any]:
        """The key numbers, one value each (the row :func:`compare_designs` shows).

        Keys: ``design``, the design dimensions, ``seats``, ``n_matched``, ``coverage``,
        ``score_mean``, ``score_min``, ``active_share_end`` (simulated),
        ``expected_active_share_end`` (model), ``median_active_weeks`` (first week the
        simulated share drops below one half; NaN when it never does), ``mentors_used``,
        ``mean_load`` and ``max_load`` (mentees per mentor with at least one),
        ``expected_check_ins`` (coordinator check-ins over the programme: pairs - groups in
        the group format - active at the start of each week times ``7 / checkin_every_days``;
        an expected count, hence not a whole number), ``expected_t1_completers``,
        ``design_effect``, ``n_analysed`` (completers divided by the design effect, rounded
        down), ``power``, ``n_required``, ``mentees_needed``, ``optimal`` (the engine proved
        its pairing optimal) and ``assumptions`` (``ILLUSTRATIVE``).
        """
        d = self.design
        ret = self.retention
        ev = self.evaluation.iloc[0]
        load = self.mentor_load.loc[self.mentor_load["n_mentees"] > 0, "n_mentees"]
        below = ret.loc[ret["active_share"] < 0.5, "week"]
        n_matched = len(self.pairs)
        return {
            "design": d.name,
            "format": d.format,
            "group_size": d.group_size,
            "structure": d.structure,
            "duration_weeks": d.duration_weeks,
            "sync_share": d.sync_share,
            "checkin_every_days": d.checkin_every_days,
            "n_mentees": d.n_mentees,
            "n_mentors": d.n_mentors,
            "seats": d.seats,
            "n_matched": n_matched,
            "coverage": n_matched / d.n_mentees,
            "score_mean": float(self.pairs["score"].mean()) if n_matched else math.nan,
            "score_min": float(self.pairs["score"].min()) if n_matched else math.nan,
            "active_share_end": float(ret["active_share"].iloc[-1]),
            "expected_active_share_end": float(ret["expected_active_share"].iloc[-1]),
            "median_active_weeks": float(below.iloc[0]) if len(below) else math.nan,
            "mentors_used": len(load),
            "mean_load": float(load.mean()) if len(load) else math.nan,
            "max_load": int(load.max()) if len(load) else 0,
            "expected_check_ins": float(ev["expected_check_ins"]),
            "expected_t1_completers": float(ev["expected_t1_completers"]),
            "design_effect": float(ev["design_effect"]),
            "n_analysed": int(ev["n_analysed"]),
            "power": float(ev["power"]),
            "n_required": int(ev["n_required"]),
            "mentees_needed": float(ev["mentees_needed"]),
            "optimal": bool(self.match_info.get("proven_optimal", False)),
            "assumptions": self.assumptions.status,
        }


@functools.lru_cache(maxsize=8)
def _cohort(n_mentees: int, n_mentors: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentors and mentees of the synthetic cohort (people only; they do not depend on weeks)."""
    prog = generate_programme(n_mentees=n_mentees, n_mentors=n_mentors, weeks=2, seed=seed)
    mentors = prog.mentors.sort_values("mentor_id", kind="stable").reset_index(drop=True)
    mentees = prog.mentees.sort_values("mentee_id", kind="stable").reset_index(drop=True)
    return mentors, mentees


@dataclass(frozen=True, eq=False)
class _Matched:
    pairs: pd.DataFrame  # mentee_id, mentor_id, score
    unmatched: pd.DataFrame  # mentee_id, reason
    info: Mapping[str, Any]


def _match_rules(mentor_ids: Sequence[str], seats: int, group: bool) -> MatchRules:
    weights = dict(DEFAULT_WEIGHTS)
    if group:
        weights["availability"] = 0.0
    return MatchRules(
        weights=weights,
        capacity_override={m: seats for m in mentor_ids},
        name="design simulation",
        description=f"default rules, {seats} places per mentor"
        + (", availability off (group format)" if group else ""),
    )


@functools.lru_cache(maxsize=16)
def _matched(n_mentees: int, n_mentors: int, seed: int, seats: int, group: bool) -> _Matched:
    mentors, mentees = _cohort(n_mentees, n_mentors, seed)
    rules = _match_rules(tuple(mentors["mentor_id"]), seats, group)
    result = match(mentors, mentees, rules)
    pairs = result.pairs[["mentee_id", "mentor_id", "score"]].copy()
    pairs = pairs.sort_values("mentee_id", kind="stable").reset_index(drop=True)
    pairs["score"] = pairs["score"].astype("float64")
    left = mentees.loc[~mentees["mentee_id"].isin(pairs["mentee_id"]), ["mentee_id"]]
    reasons = _unmatched_reasons(result.unmatched)
    unmatched = left.assign(
        reason=left["mentee_id"].map(reasons).fillna("not reported by the engine").astype("str")
    ).reset_index(drop=True)
    summary = result.summary().as_dict()
    keep = ("objective", "solver", "status", "proven_optimal", "gap", "provenance", "version")
    info = {k: summary[k] for k in keep if k in summary}  # never timings: not deterministic
    return _Matched(pairs, unmatched, MappingProxyType(info))


def _unmatched_reasons(un: pd.DataFrame) -> dict[str, str]:
    """mentee id -> reason from the engine's unmatched table (mentee rows only)."""
    mentees = un.loc[un["role"] == "mentee"]
    return dict(zip(mentees["person_id"].astype(str), mentees["reason"].astype(str), strict=True))


def _groups(pairs: pd.DataFrame, group_size: int) -> pd.Series:
    """Balanced groups of at most ``group_size`` within each mentor (mentees in id order)."""
    rank = pairs.groupby("mentor_id", sort=True).cumcount().to_numpy()
    size = pairs.groupby("mentor_id", sort=True)["mentee_id"].transform("size").to_numpy()
    n_groups = -(-size // group_size)
    idx = rank % n_groups + 1
    return pd.Series(
        [f"{m}-G{i}" for m, i in zip(pairs["mentor_id"], idx, strict=True)],
        index=pairs.index,
        dtype="str",
    )


def _hazards(
    design: ProgrammeDesign, a: SimulationAssumptions, score: np.ndarray, distance: np.ndarray
) -> np.ndarray:
    """Weekly hazard of each pair after the early weeks (see the module documentation)."""
    h = np.full(len(score), a.weekly_fade_hazard, dtype=np.float64)
    h *= (design.checkin_every_days / a.reference_checkin_days) ** a.checkin_elasticity
    h *= 1.0 + a.sync_mix_penalty * (design.sync_share - a.best_sync_share) ** 2
    h *= 1.0 + a.timezone_hazard_per_hour * distance * design.sync_share
    h *= a.hazard_ratio_per_10_points ** ((score - 50.0) / 10.0)
    if design.format == "group":
        h *= a.group_hazard_ratio
    if design.structure == "informal":
        h *= a.informal_hazard_ratio
    return h


def _fade_draws(seed: int, n_mentees: int) -> np.ndarray:
    """One uniform number per mentee (common random numbers across designs)."""
    return np.random.default_rng(np.random.SeedSequence([seed, 7_000_007])).random(n_mentees)


def _check_seed(seed: Any) -> int:
    s = _int(seed)
    if s is None or s < 0:
        raise EmentorKitError(f"seed={seed!r} is not valid. Fix: pass a whole number >= 0.")
    return s


def simulate(
    design: ProgrammeDesign | Mapping[str, Any] | str | Path,
    *,
    seed: int = DEFAULT_SEED,
    assumptions: SimulationAssumptions | Mapping[str, Any] | None = None,
) -> SimulationResult:
    """Simulate a programme design on a synthetic cohort (see the module documentation).

    Parameters
    ----------
    design : ProgrammeDesign, dict, YAML path or YAML text
        The design to play out.
    seed : int
        Seed of the synthetic cohort and of the fading draws: the same design, seed and
        assumptions give identical results.
    assumptions : SimulationAssumptions or dict, optional
        The ILLUSTRATIVE engagement and response parameters (defaults when omitted).

    Returns
    -------
    SimulationResult
        ``pairs``, ``unmatched``, ``retention``, ``mentor_load``, ``evaluation`` and
        ``summary()``.

    Notes
    -----
    Guarantees (tested): for the same seed, more mentor capacity (or larger groups) never
    lowers coverage, because coverage is the engine's exact maximum; more frequent check-ins
    never lower the simulated share of active pairs in any week, because every pair keeps its
    random draw and its hazard can only fall.

    Examples
    --------
    >>> d = ProgrammeDesign(n_mentees=40, n_mentors=15, mentor_capacity=2, duration_weeks=8)
    >>> res = simulate(d, seed=3)
    >>> s = res.summary()
    >>> s["n_matched"] == len(res.pairs), s["assumptions"]
    (True, 'ILLUSTRATIVE')
    >>> res.retention["week"].tolist() == list(range(9))
    True
    >>> bool((res.retention["active_share"].diff().dropna() <= 0).all())
    True
    """
    design = _as_design(design)
    seed = _check_seed(seed)
    if assumptions is None:
        a = SimulationAssumptions()
    elif isinstance(assumptions, SimulationAssumptions):
        a = assumptions
    elif isinstance(assumptions, Mapping):
        a = SimulationAssumptions.from_dict(assumptions)
    else:
        raise EmentorKitError(
            f"Cannot use {type(assumptions).__name__} as assumptions. Fix: pass a "
            "SimulationAssumptions or a dict of its parameters."
        )
    group = design.format == "group"
    mentors, mentees = _cohort(design.n_mentees, design.n_mentors, seed)
    seats_per_mentor = design.mentor_capacity * design.group_size
    m = _matched(design.n_mentees, design.n_mentors, seed, seats_per_mentor, group)
    pairs = m.pairs.copy()

    # time-zone distance on the 24-hour clock
    off_e = pairs["mentee_id"].map(mentees.set_index("mentee_id")["utc_offset"]).to_numpy(float)
    off_m = pairs["mentor_id"].map(mentors.set_index("mentor_id")["utc_offset"]).to_numpy(float)
    diff = np.abs(off_e - off_m) % 24.0
    distance = np.minimum(diff, 24.0 - diff)
    score = pairs["score"].to_numpy(np.float64)

    # week-by-week fading with common random numbers
    weeks = design.duration_weeks
    h = _hazards(design, a, score, distance)
    early = np.arange(1, weeks + 1) <= a.early_weeks
    hw = h[:, None] * np.where(early, a.early_hazard_ratio, 1.0)[None, :]
    hw = np.minimum(hw, 1.0)
    surv = np.cumprod(1.0 - hw, axis=1)  # S_iw, w = 1..weeks
    draws = _fade_draws(seed, len(mentees))
    pos = pd.Index(mentees["mentee_id"]).get_indexer(pairs["mentee_id"])
    u = draws[pos]
    active = surv >= u[:, None]
    faded = ~active
    fade_week = np.where(faded.any(axis=1), faded.argmax(axis=1) + 1, 0)

    n_pairs = len(pairs)
    n_active = np.concatenate([[n_pairs], active.sum(axis=0)]).astype(np.int64)
    expected = np.concatenate([[1.0], surv.mean(axis=0)]) if n_pairs else np.full(weeks + 1, np.nan)
    retention = pd.DataFrame(
        {
            "week": np.arange(weeks + 1, dtype=np.int64),
            "n_pairs": np.full(weeks + 1, n_pairs, dtype=np.int64),
            "n_active": n_active,
            "active_share": n_active / n_pairs if n_pairs else np.full(weeks + 1, np.nan),
            "expected_active_share": expected,
        }
    )

    # groups and coordinator check-ins (per pair one-to-one, per group in groups)
    if group:
        group_id = _groups(pairs, design.group_size)
        units = pd.Index(group_id).unique()
        codes = pd.Index(units).get_indexer(group_id)
        unit_active = np.zeros((len(units), weeks), dtype=bool)
        np.logical_or.at(unit_active, codes, active)
        active_units = unit_active.sum(axis=0)
        pairs["group_id"] = group_id
    else:
        active_units = active.sum(axis=0)
        pairs["group_id"] = pd.Series(pd.NA, index=pairs.index, dtype="str")
    # units active at the start of week w (week 1: everybody) are checked in 7/cadence times
    n_units = len(units) if group else n_pairs
    at_start = np.concatenate([[n_units], active_units[:-1]]) if weeks else np.zeros(0)
    checkins = float(at_start.sum() * 7.0 / design.checkin_every_days)

    # evaluation
    plan = design.evaluation
    items0, items1 = plan.items_at("T0"), plan.items_at("T1")
    p0 = a.t0_response_rate * max(0.0, 1.0 - a.response_drop_per_10_items * items0 / 10.0)
    burden1 = max(0.0, 1.0 - a.response_drop_per_10_items * items1 / 10.0)
    s_end = surv[:, -1] if n_pairs else np.zeros(0)
    p1 = (s_end * a.t1_response_active + (1.0 - s_end) * a.t1_response_faded) * burden1
    p_both = p0 * p1
    expected_completers = float(p_both.sum())
    if group and n_units:
        per_group = max(1.0, expected_completers / n_units)
        design_effect = 1.0 + (per_group - 1.0) * a.group_outcome_icc
    else:
        design_effect = 1.0
    n_analysed = int(math.floor(expected_completers / design_effect + 1e-9))
    power = t_test_power(plan.effect_size, n_analysed, alpha=plan.alpha, paired=True)
    n_required = plan_sample_size(plan.effect_size, plan.power, plan.alpha, paired=True).n
    per_mentee = expected_completers / design.n_mentees
    mentees_needed = (
        float(math.ceil(n_required * design_effect / per_mentee)) if per_mentee > 0 else math.nan
    )
    evaluation = pd.DataFrame(
        {
            "primary_outcome": [plan.primary_outcome],
            "instruments_T0": [";".join(plan.instruments["T0"])],
            "instruments_T1": [";".join(plan.instruments["T1"])],
            "items_T0": [items0],
            "items_T1": [items1],
            "n_matched": [n_pairs],
            "expected_t0_responders": [p0 * n_pairs],
            "expected_t1_completers": [expected_completers],
            "design_effect": [design_effect],
            "n_analysed": [n_analysed],
            "effect_size": [plan.effect_size],
            "alpha": [plan.alpha],
            "target_power": [plan.power],
            "power": [power],
            "n_required": [n_required],
            "mentees_needed": [mentees_needed],
            "expected_check_ins": [checkins],
        }
    ).astype({"primary_outcome": "str", "instruments_T0": "str", "instruments_T1": "str"})

    # per-pair table
    pairs["distance_hours"] = distance
    pairs["weekly_hazard"] = h
    pairs["p_active_end"] = s_end
    pairs["fade_week"] = pd.array(fade_week, dtype="Int64").copy()
    pairs.loc[fade_week == 0, "fade_week"] = pd.NA  # still active at the end: censored
    pairs["active_end"] = active[:, -1] if n_pairs else np.zeros(0, dtype=bool)
    pairs["p_t1_complete"] = p_both
    pairs = pairs[
        [
            "mentee_id",
            "mentor_id",
            "group_id",
            "score",
            "distance_hours",
            "weekly_hazard",
            "p_active_end",
            "fade_week",
            "active_end",
            "p_t1_complete",
        ]
    ]

    # mentor load
    load = mentors[["mentor_id"]].copy()
    counts = pairs.groupby("mentor_id", sort=True).agg(
        n_mentees=("mentee_id", "size"), n_active_end=("active_end", "sum")
    )
    load["seats"] = np.int64(seats_per_mentor)
    load["n_mentees"] = load["mentor_id"].map(counts["n_mentees"]).fillna(0).astype("int64")
    load["n_groups"] = -(-load["n_mentees"] // design.group_size)
    load["utilisation"] = load["n_mentees"] / seats_per_mentor
    load["n_active_end"] = load["mentor_id"].map(counts["n_active_end"]).fillna(0).astype("int64")

    return SimulationResult(
        design=design,
        assumptions=a,
        seed=seed,
        pairs=pairs.reset_index(drop=True),
        unmatched=m.unmatched.copy(),
        retention=retention,
        mentor_load=load.reset_index(drop=True),
        evaluation=evaluation,
        match_info=m.info,
    )


def compare_designs(
    designs: Sequence[ProgrammeDesign | Mapping[str, Any] | str | Path],
    *,
    seed: int = DEFAULT_SEED,
    assumptions: SimulationAssumptions | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Simulate several designs with the same seed and assumptions, one row per design.

    Parameters
    ----------
    designs : sequence of ProgrammeDesign, dict, YAML path or text
        Designs with distinct names.
    seed : int
        One seed for all (common random numbers: differences come from the designs).
    assumptions : SimulationAssumptions or dict, optional
        The ILLUSTRATIVE parameters, shared by every design.

    Returns
    -------
    DataFrame
        Index ``design`` (the names); columns the keys of :meth:`SimulationResult.summary`.
        Transpose it (``.T``) to read the designs side by side.

    Examples
    --------
    >>> base = ProgrammeDesign(name="fortnightly", n_mentees=40, n_mentors=15,
    ...                        duration_weeks=10, checkin_every_days=14)
    >>> weekly = base.replace(name="weekly", checkin_every_days=7)
    >>> table = compare_designs([base, weekly], seed=1)
    >>> table.index.tolist()
    ['fortnightly', 'weekly']
    >>> bool(table.loc["weekly", "active_share_end"] >= table.loc["fortnightly", "active_share_end"])
    True
    """
    parsed = [_as_design(d) for d in designs]
    if not parsed:
        raise EmentorKitError("No design to compare. Fix: pass a list of at least one design.")
    names = [d.name for d in parsed]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise EmentorKitError(
            f"Several designs are named {', '.join(repr(n) for n in dup)}. Fix: give each "
            "design its own name (design.replace(name=...))."
        )
    rows = [simulate(d, seed=seed, assumptions=assumptions).summary() for d in parsed]
    return pd.DataFrame(rows).set_index("design")
