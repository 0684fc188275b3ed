"""Pairing rules: criterion weights, hard rules, objective and group quotas.

A :class:`MatchRules` is what a programme coordinator decides before pairing: how much each
compatibility criterion matters, which pairs are never (or always) allowed, how many mentees
each mentor takes, what the optimiser maximises, and which groups must be served at least as
well as everybody else. Rules are frozen (a rule set can be hashed and compared) and round-trip
through YAML; sample rule sets live in ``data/samples/rules/``.

Two layouts describe the criteria. The ``weights:`` layout weighs the eight criteria of the
bundled sample (``CRITERIA``, over the sample's columns); the ``criteria:`` layout declares
criteria and hard rules by kind over any attribute (:mod:`ementor_kit.matching.criteria`), as
``programme.yaml`` proposes them. Either way :attr:`MatchRules.criteria` lists
:class:`~ementor_kit.matching.criteria.Criterion` objects and :attr:`MatchRules.attribute_rules`
the hard rules over attributes, which is all the scoring reads. The formulas of the criterion
kinds are documented in :mod:`ementor_kit.matching.scores`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ementor_kit._settings_yaml import read_yaml, unknown_key
from ementor_kit.data.spec import ProgrammeSpec
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem
from ementor_kit.i18n.language import LANGUAGES, N_, resolve_language
from ementor_kit.matching.criteria import (
    CRITERION_KINDS,
    TABLE_RULE_KINDS,
    Criterion,
    HardRule,
    parse_declared,
    sample_criteria,
)
from ementor_kit.matching.quotas import (
    GroupQuota,
    _number,
    _problem,
    _quota_problems,
    _quotas_kw,
)

__all__ = ["CRITERIA", "OBJECTIVES", "GroupQuota", "MatchRules"]

SAMPLE_HARD_RULES: dict[str, HardRule] = {
    "shared_language": HardRule("language", "require_shared", ("languages",), ("languages",)),
    "no_same_department": HardRule(
        "same_department",
        "forbid_same",
        ("organisation", "department"),
        ("organisation", "department"),
    ),
}
"""The two switchable hard rules of the sample, as rules over its attributes."""

CRITERIA: tuple[str, ...] = (
    "skills",
    "goals",
    "domain",
    "timezone",
    "modality",
    "availability",
    "experience",
    "digital",
)
"""Compatibility criteria, in the order of the score columns (see :mod:`ementor_kit.matching.scores`)."""

CRITERIA_HELP: dict[str, str] = {
    "skills": "share of the mentee's sought skills that the mentor offers",
    "goals": "share of the mentee's goals that the mentor can support",
    "domain": "same professional field",
    "timezone": "overlap of daytime hours, weighted by how much the pair needs live exchanges",
    "modality": "compatibility of preferred exchange modes (sync / async / mixed)",
    "availability": "share of the mentee's wanted weekly hours the mentor can give per mentee",
    "experience": "mentor more senior by at least `min_experience_gap` years",
    "digital": "mentees with low digital comfort get mentors comfortable with the tools",
}

OBJECTIVES: tuple[str, ...] = ("coverage_then_score", "score", "maximin")
"""``coverage_then_score``: pair as many mentees as possible, then maximise the total score.
``score``: maximise the total score (pairs scoring 0 or less are never used).
``maximin``: pair as many mentees as possible, then maximise the lowest score of a pair, then
the total score."""

DEFAULT_WEIGHTS: dict[str, float] = {
    "skills": 3.0,
    "goals": 2.0,
    "domain": 1.0,
    "timezone": 1.0,
    "modality": 1.0,
    "availability": 1.0,
    "experience": 1.0,
    "digital": 1.0,
}

_SECTIONS = (
    "name",
    "description",
    "weights",
    "criteria",
    "parameters",
    "hard_rules",
    "objective",
    "quotas",
)
_PARAMETERS = ("min_experience_gap", "timezone_window_hours")
_HARD_RULES = (
    "shared_language",
    "no_same_department",
    "min_score",
    "forbidden_pairs",
    "required_pairs",
    "capacity_override",
)


class _RulesDumper(yaml.SafeDumper):
    """Block style, except pairs ``[mentee_id, mentor_id]`` on one line."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = bool(data) and all(isinstance(x, (str, int, float)) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_RulesDumper.add_representer(list, _represent_list)


def _criterion_names(declared: tuple[Criterion | HardRule, ...]) -> tuple[str, ...]:
    return tuple(x.name for x in declared if isinstance(x, Criterion))


def _declared_kw(value: Any, source: str, kw: dict[str, Any], problems: list[Problem]) -> None:
    """Fill ``kw`` from a ``criteria:`` section (criteria, hard rules, pairs, min score)."""
    criteria, hard, extra = parse_declared(value if value is not None else [], source, problems)
    kw["declared"] = criteria + hard
    for k, v in extra.items():
        if k in kw and k == "min_score":
            problems.append(
                _problem(
                    source,
                    "criteria",
                    N_("min_score given twice (criteria and hard_rules)"),
                    N_("keep one of the two"),
                )
            )
        elif k in kw:
            kw[k] = [*kw[k], *v]
        else:
            kw[k] = v


def _section_kw(
    key: str, value: Any, source: str, kw: dict[str, Any], problems: list[Problem]
) -> None:
    """The entries of the ``parameters`` or ``hard_rules`` section into ``kw`` (empty
    entries as their defaults), the problems into ``problems``."""
    allowed = _PARAMETERS if key == "parameters" else _HARD_RULES
    if value is None:
        return
    if not isinstance(value, Mapping):
        problems.append(
            _problem(
                source,
                key,
                N_("must be a mapping"),
                N_("write {key}: followed by indented entries").format(key=key),
            )
        )
        return
    for k, v in value.items():
        if k not in allowed:
            problems.append(unknown_key(source, f"{key}.{k}", allowed))
        else:
            kw[k] = v if v is not None else ([] if k.endswith("pairs") else v)
            if k == "capacity_override" and v is None:
                kw[k] = {}


def _with_folder(items: Any, folder: str | Path | None) -> Any:
    """The ``criteria:`` items with each relative ``file`` (``preferences.csv``,
    ``availability.csv``) read from ``folder``, the folder of the file declaring them."""
    if folder is None or not isinstance(items, (list, tuple)):
        return items
    out = []
    for item in items:
        if not isinstance(item, Mapping):
            out.append(item)
            continue
        kind = item.get("kind")
        default = (
            {**CRITERION_KINDS, **TABLE_RULE_KINDS}.get(kind, {}) if isinstance(kind, str) else {}
        )
        f = item.get("file", default.get("file"))
        if isinstance(f, str) and f.strip() and not Path(f).is_absolute():
            item = {**item, "file": str(Path(folder) / f)}
        out.append(item)
    return out


def _pair_tuple(p: Any) -> tuple[str, str] | None:
    if isinstance(p, Mapping):
        keys = set(p)
        if keys == {"mentee_id", "mentor_id"}:
            p = (p["mentee_id"], p["mentor_id"])
        else:
            return None
    if isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(x, str) for x in p):
        return (p[0].strip(), p[1].strip())
    return None


@dataclass(frozen=True)
class MatchRules:
    """A coordinator's pairing rules.

    Parameters
    ----------
    weights : mapping of str to float, optional
        Weight (>= 0) of each criterion; omitted criteria weigh 0. The score of a pair is
        ``100 * sum(w_c * v_c) / sum(w_c)`` where ``v_c`` in [0, 1] is the criterion value
        (see :mod:`ementor_kit.matching.scores`), so scores read as "points out of 100". In the
        ``weights:`` layout (no ``declared``) the criteria are the sample's ``CRITERIA``
        (default ``DEFAULT_WEIGHTS``); with ``declared``, the names of the declared criteria
        (given weights replace the declared ones, as the playground's sliders do).
    min_experience_gap : float
        Years of seniority the mentor should have over the mentee (``experience`` criterion).
    timezone_window_hours : float
        Length of each person's daytime window used by the ``timezone`` criterion.
    shared_language : bool, optional
        Hard rule: mentor and mentee share at least one language (attribute ``languages``).
        Defaults to True in the ``weights:`` layout, False with ``declared``.
    no_same_department : bool, optional
        Hard rule: no pair inside the same organisation and department (conflict of
        interest; attributes ``organisation`` and ``department``). Default as
        ``shared_language``.
    min_score : float
        Hard rule: pairs scoring below this (0-100) are not allowed.
    forbidden_pairs, required_pairs : tuple of (mentee_id, mentor_id)
        Pairs that must never / must always be formed.
    capacity_override : mapping of str to int
        Mentor id -> capacity replacing the ``capacity`` column (0 takes a mentor out).
    objective : str
        One of ``OBJECTIVES``.
    quotas : tuple of GroupQuota
        Minimum coverage of groups of mentees.
    name, description : str
        Free text, shown in comparisons and reports (``description`` in English, or as
        written when the file gives one language).
    descriptions : tuple of (language, text) pairs
        The description in each language a file gives (``description: {en: ..., fr: ...}``);
        see :meth:`description_in`.
    declared : tuple of Criterion and HardRule, optional
        Criteria and hard rules declared by kind over any attribute (the ``criteria:``
        layout, :mod:`ementor_kit.matching.criteria`); ``None`` for the sample's criteria.

    Examples
    --------
    >>> rules = MatchRules.from_dict({"weights": {"skills": 2, "timezone": 1},
    ...                               "hard_rules": {"min_score": 20}})
    >>> rules.weights["skills"], rules.min_score, rules.objective
    (2.0, 20.0, 'coverage_then_score')
    >>> MatchRules.from_dict({"weights": {"skils": 2}})
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - rules, column 'weights.skils': unknown key. Fix: did you mean 'skills'?
    >>> MatchRules.from_yaml(rules.to_yaml()) == rules
    True

    Criteria declared over any attribute (the layout of ``programme.yaml``):

    >>> declared = MatchRules.coerce([
    ...     {"kind": "overlap", "mentee": "skills_sought", "mentor": "skills_offered",
    ...      "importance": "high"},
    ...     {"kind": "same", "attribute": "domain", "importance": "medium"},
    ...     {"kind": "require_shared", "attribute": "languages"}])
    >>> dict(declared.weights), [c.kind for c in declared.criteria]
    ({'skills': 3.0, 'domain': 2.0}, ['overlap', 'same'])
    >>> [r.name for r in declared.attribute_rules]
    ['require_shared_languages']
    """

    # None (the default) is resolved by __post_init__: always a mapping afterwards
    weights: Mapping[str, float] = None  # type: ignore[assignment]
    min_experience_gap: float = 5.0
    timezone_window_hours: float = 12.0
    shared_language: bool | None = None
    no_same_department: bool | None = None
    min_score: float = 0.0
    forbidden_pairs: tuple[tuple[str, str], ...] = ()
    required_pairs: tuple[tuple[str, str], ...] = ()
    capacity_override: Mapping[str, int] = field(default_factory=dict)
    objective: str = "coverage_then_score"
    quotas: tuple[GroupQuota, ...] = ()
    name: str = ""
    description: str = ""
    descriptions: tuple[tuple[str, str], ...] = ()
    declared: tuple[Criterion | HardRule, ...] | None = None

    def __post_init__(self) -> None:
        declared = None if self.declared is None else tuple(self.declared)
        if declared is not None:
            bad = [x for x in declared if not isinstance(x, (Criterion, HardRule))]
            if bad:
                raise ArgumentTypeError(
                    "declared", bad[0], N_("pass Criterion and HardRule objects (or use from_dict)")
                )
        names = CRITERIA if declared is None else _criterion_names(declared)
        weights, problems = self._checked_weights(names, declared)
        if declared is None:
            full = {c: float(weights.get(c, 0.0)) for c in CRITERIA}
        else:
            full = {c: float(weights.get(c, 0.0)) for c in names}
            declared = tuple(
                replace(x, weight=full[x.name]) if isinstance(x, Criterion) else x for x in declared
            )
        object.__setattr__(self, "declared", declared)
        object.__setattr__(self, "weights", MappingProxyType(full))
        for key in ("shared_language", "no_same_department"):
            if getattr(self, key) is None:
                object.__setattr__(self, key, declared is None)
        problems += self._checked_fields()
        if problems:
            raise DataValidationError(problems)
        if declared is None:
            criteria = sample_criteria(
                full, float(self.min_experience_gap), float(self.timezone_window_hours)
            )
            hard: tuple[HardRule, ...] = ()
        else:
            criteria = tuple(x for x in declared if isinstance(x, Criterion))
            hard = tuple(x for x in declared if isinstance(x, HardRule))
        switched = tuple(r for k, r in SAMPLE_HARD_RULES.items() if getattr(self, k))
        object.__setattr__(self, "_criteria", criteria)
        object.__setattr__(self, "_hard", switched + hard)

    def _checked_weights(
        self, names: tuple[str, ...], declared: tuple | None
    ) -> tuple[dict[str, float], list[Problem]]:
        """The weights given (``None``: the default or declared ones) and their problems."""
        where = "rules"
        problems: list[Problem] = []
        raw = self.weights
        if raw is None:
            if declared is None:
                raw = DEFAULT_WEIGHTS
            else:
                raw = {x.name: x.weight for x in declared if isinstance(x, Criterion)}
        weights: dict[str, float] = {}
        if not isinstance(raw, Mapping):
            problems.append(
                _problem(
                    where,
                    "weights",
                    N_("weights must be a mapping"),
                    N_("write weights as {criterion: weight}"),
                )
            )
        else:
            for k, v in raw.items():
                if k not in names:
                    problems.append(unknown_key(where, f"weights.{k}", names))
                    continue
                num = _number(v)
                if num is None or num < 0:
                    problems.append(
                        _problem(
                            where,
                            f"weights.{k}",
                            N_("invalid weight {v!r}").format(v=v),
                            N_("use a number >= 0 (0 switches the criterion off)"),
                        )
                    )
                    continue
                weights[k] = num
            if not problems and not any(w > 0 for w in weights.values()):
                problems.append(
                    _problem(
                        where,
                        "weights",
                        N_("every weight is 0"),
                        N_("give at least one criterion a positive weight"),
                    )
                )
        return weights, problems

    def _checked_fields(self) -> list[Problem]:
        """Problems of every field but the weights; normalises the values in place."""
        where = "rules"
        problems = self._checked_numbers(where)
        problems += self._checked_pairs(where)
        problems += self._checked_capacity_override(where)
        if self.objective not in OBJECTIVES:
            problems.append(
                _problem(
                    where,
                    "objective",
                    N_("unknown objective {objective!r}").format(objective=self.objective),
                    N_("use one of: {OBJECTIVES}").format(OBJECTIVES=", ".join(OBJECTIVES)),
                )
            )
        quotas = tuple(self.quotas or ())
        for q in quotas:
            problems += _quota_problems(q, where)
        object.__setattr__(self, "quotas", quotas)
        for key in ("name", "description"):
            if not isinstance(getattr(self, key), str):
                problems.append(
                    _problem(where, key, N_("must be text"), N_("write it as a string"))
                )
        descriptions = tuple(tuple(x) for x in self.descriptions or ())
        object.__setattr__(self, "descriptions", descriptions)
        for entry in descriptions:
            if len(entry) != 2 or entry[0] not in LANGUAGES or not isinstance(entry[1], str):
                problems.append(
                    _problem(
                        where,
                        "description",
                        N_("a description must map a language to its text"),
                        N_("give the text under each language code ({languages})").format(
                            languages=", ".join(LANGUAGES)
                        ),
                    )
                )
                break
        return problems

    def description_in(self, lang: str | None = None) -> str:
        """The description in ``lang``, or :attr:`description` when the file gives none there.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language
            (:func:`~ementor_kit.i18n.set_language`).

        Returns
        -------
        str
            The description, empty when the rules have none.

        Examples
        --------
        >>> rules = MatchRules.from_dict({"description": {"en": "Skills first.",
        ...                                               "fr": "Les compétences d'abord."}})
        >>> rules.description, rules.description_in("fr")
        ('Skills first.', "Les compétences d'abord.")
        >>> MatchRules(description="Règles du printemps").description_in("en")
        'Règles du printemps'
        """
        return dict(self.descriptions).get(resolve_language(lang), self.description)

    def _checked_numbers(self, where: str) -> list[Problem]:
        """The parameters and min_score within their ranges (as floats), the switches booleans."""
        problems: list[Problem] = []
        for key, lo, hi in (
            ("min_experience_gap", 0, 60),
            ("timezone_window_hours", 1, 24),
            ("min_score", 0, 100),
        ):
            num = _number(getattr(self, key))
            if num is None or not lo <= num <= hi:
                problems.append(
                    _problem(
                        where,
                        key,
                        N_("invalid value {getattr!r}").format(getattr=getattr(self, key)),
                        N_("use a number between {lo} and {hi}").format(lo=lo, hi=hi),
                    )
                )
            else:
                object.__setattr__(self, key, num)
        for key in ("shared_language", "no_same_department"):
            if not isinstance(getattr(self, key), bool):
                problems.append(
                    _problem(
                        where,
                        key,
                        N_("invalid value {getattr!r}").format(getattr=getattr(self, key)),
                        N_("use true or false"),
                    )
                )
        return problems

    def _checked_pairs(self, where: str) -> list[Problem]:
        """Forbidden and required pairs as sorted tuples, each once, none in both lists."""
        problems: list[Problem] = []
        for key in ("forbidden_pairs", "required_pairs"):
            raw = getattr(self, key)
            pairs = []
            if raw is None or isinstance(raw, (str, Mapping)):
                raw = [raw] if raw else []
            for p in raw:
                t = _pair_tuple(p)
                if t is None:
                    problems.append(
                        _problem(
                            where,
                            key,
                            N_("invalid pair {p!r}").format(p=p),
                            N_("write each pair as [mentee_id, mentor_id]"),
                        )
                    )
                else:
                    pairs.append(t)
            dup = sorted({p for p in pairs if pairs.count(p) > 1})
            if dup:
                problems.append(
                    _problem(
                        where,
                        key,
                        N_("pair(s) listed twice: {dup}").format(dup=dup[:5]),
                        N_("list each pair once"),
                    )
                )
            object.__setattr__(self, key, tuple(sorted(set(pairs))))
        both = set(self.forbidden_pairs) & set(self.required_pairs)
        if both:
            problems.append(
                _problem(
                    where,
                    "required_pairs",
                    N_("pair(s) both required and forbidden: {both}").format(both=sorted(both)[:5]),
                    N_("remove them from one of the two lists"),
                )
            )
        return problems

    def _checked_capacity_override(self, where: str) -> list[Problem]:
        """capacity_override as a sorted read-only mapping mentor id -> whole number >= 0."""
        problems: list[Problem] = []
        caps: dict[str, int] = {}
        if not isinstance(self.capacity_override, Mapping):
            problems.append(
                _problem(
                    where,
                    "capacity_override",
                    N_("must be a mapping"),
                    N_("write it as {mentor_id: capacity}"),
                )
            )
        else:
            for k, v in self.capacity_override.items():
                num = _number(v)
                if num is None or num < 0 or num != int(num):
                    problems.append(
                        _problem(
                            where,
                            f"capacity_override.{k}",
                            N_("invalid capacity {v!r}").format(v=v),
                            N_("use a whole number >= 0"),
                        )
                    )
                else:
                    caps[str(k)] = int(num)
        object.__setattr__(self, "capacity_override", MappingProxyType(dict(sorted(caps.items()))))
        return problems

    def __hash__(self) -> int:
        return hash(self.to_yaml())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MatchRules):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    # ------------------------------------------------------------------ conversion
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "rules") -> MatchRules:
        """Build rules from the nested layout of the YAML files.

        Sections: ``name``, ``description``, ``weights`` or ``criteria``, ``parameters``
        (``min_experience_gap``, ``timezone_window_hours``; ``weights`` layout only),
        ``hard_rules`` (``shared_language``, ``no_same_department``, ``min_score``,
        ``forbidden_pairs``, ``required_pairs``, ``capacity_override``), ``objective``,
        ``quotas``. Omitted entries keep their defaults (an omitted ``weights`` section means
        the default weights). ``criteria`` is a list of criteria and hard rules by kind, the
        layout of ``programme.yaml`` (:mod:`ementor_kit.matching.criteria`); its
        ``forbid_pairs``, ``require_pairs`` and ``min_score`` kinds add to ``hard_rules``.

        Parameters
        ----------
        data : mapping
            The nested layout :meth:`to_dict` gives.
        source : str
            Name of the origin (a file name), used in the problems reported.

        Returns
        -------
        MatchRules
            The validated rules.

        Raises
        ------
        DataValidationError
            Naming every unknown key (with the closest known one) and invalid value.

        Examples
        --------
        >>> MatchRules.from_dict({"objective": "maximin"}).objective
        'maximin'
        >>> MatchRules.from_dict({"criteria": [{"kind": "same", "attribute": "domain"},
        ...                                    {"kind": "min_score", "value": 30}]}).min_score
        30.0
        """
        problems: list[Problem] = []
        if not isinstance(data, Mapping):
            raise DataValidationError(
                [
                    _problem(
                        source,
                        None,
                        N_("rules must be a mapping"),
                        N_("start the file with sections such as weights: and hard_rules:"),
                    )
                ]
            )
        kw: dict[str, Any] = {}
        for key, value in data.items():
            if key not in _SECTIONS:
                problems.append(unknown_key(source, key, _SECTIONS))
            elif key == "description" and isinstance(value, Mapping):
                texts = tuple((str(k), " ".join(str(v or "").split())) for k, v in value.items())
                kw["descriptions"] = texts
                kw["description"] = dict(texts).get("en") or (texts[0][1] if texts else "")
            elif key in ("name", "description", "objective"):
                kw[key] = value if value is not None else ""
            elif key == "weights":
                kw["weights"] = value if value is not None else {}
            elif key == "criteria":
                _declared_kw(value, source, kw, problems)
            elif key in ("parameters", "hard_rules"):
                _section_kw(key, value, source, kw, problems)
            elif key == "quotas":
                kw["quotas"] = _quotas_kw(value, source, problems)
        if "criteria" in data and ("weights" in data or "parameters" in data):
            problems.append(
                _problem(
                    source,
                    "criteria",
                    N_("criteria and weights/parameters given together"),
                    N_(
                        "declare the criteria in criteria: (with their importance and "
                        "parameters) or use the sample's weights: layout, not both"
                    ),
                )
            )
        if problems:
            raise DataValidationError(problems)
        try:
            return cls(**kw)
        except DataValidationError as exc:
            if source == "rules":
                raise
            raise DataValidationError([replace(p, file=source) for p in exc.problems]) from None

    def to_dict(self) -> dict[str, Any]:
        """The nested layout read by :meth:`from_dict` (every entry spelled out).

        Returns
        -------
        dict
            Sections ``name``, ``description``, ``weights``, ``parameters``, ``hard_rules``,
            ``objective``, ``quotas``.

        Examples
        --------
        >>> d = MatchRules().to_dict()
        >>> list(d)
        ['name', 'description', 'weights', 'parameters', 'hard_rules', 'objective', 'quotas']
        >>> MatchRules.from_dict(d) == MatchRules()
        True
        >>> list(MatchRules.coerce([{"kind": "same", "attribute": "domain"}]).to_dict())
        ['name', 'description', 'criteria', 'hard_rules', 'objective', 'quotas']
        """
        if self.declared is not None:
            hard: dict[str, Any] = {
                k: True for k in ("shared_language", "no_same_department") if getattr(self, k)
            }
            hard.update(
                min_score=self.min_score,
                forbidden_pairs=[list(p) for p in self.forbidden_pairs],
                required_pairs=[list(p) for p in self.required_pairs],
                capacity_override=dict(self.capacity_override),
            )
            return {
                "name": self.name,
                "description": self._description_entry(),
                "criteria": [x.to_dict() for x in self.declared],
                "hard_rules": hard,
                "objective": self.objective,
                "quotas": [q._to_dict() for q in self.quotas],
            }
        return {
            "name": self.name,
            "description": self._description_entry(),
            "weights": {c: self.weights[c] for c in CRITERIA},
            "parameters": {
                "min_experience_gap": self.min_experience_gap,
                "timezone_window_hours": self.timezone_window_hours,
            },
            "hard_rules": {
                "shared_language": self.shared_language,
                "no_same_department": self.no_same_department,
                "min_score": self.min_score,
                "forbidden_pairs": [list(p) for p in self.forbidden_pairs],
                "required_pairs": [list(p) for p in self.required_pairs],
                "capacity_override": dict(self.capacity_override),
            },
            "objective": self.objective,
            "quotas": [q._to_dict() for q in self.quotas],
        }

    def _description_entry(self) -> str | dict[str, str]:
        """The ``description`` entry of :meth:`to_dict`: text, or languages to texts."""
        return dict(self.descriptions) if self.descriptions else self.description

    def to_yaml(self, path: str | Path | None = None) -> str:
        """Canonical YAML text of the rules; written to ``path`` when given.

        Parameters
        ----------
        path : str or Path, optional
            File to write.

        Returns
        -------
        str
            The YAML text of :meth:`to_dict`, read back by :meth:`from_yaml`.

        Examples
        --------
        >>> print(MatchRules(weights={"skills": 1}).to_yaml(), end="")  # doctest: +ELLIPSIS
        name: ''
        description: ''
        weights:
          skills: 1.0
          goals: 0.0
        ...
        objective: coverage_then_score
        quotas: []
        """
        text = yaml.dump(
            self.to_dict(),
            Dumper=_RulesDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
        )
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_yaml(cls, source: str | Path) -> MatchRules:
        """Read rules from a YAML file path or from YAML text.

        Parameters
        ----------
        source : str or Path
            A YAML file (a ``Path``, or a one-line string ending in ``.yaml``/``.yml``), or
            YAML text.

        Returns
        -------
        MatchRules
            The validated rules.

        Raises
        ------
        DataValidationError
            When the file is missing, is not YAML, or holds unknown keys or invalid values.

        Examples
        --------
        >>> MatchRules.from_yaml("objective: score\\nhard_rules: {min_score: 30}").min_score
        30.0
        """
        data, name = read_yaml(source, N_("rules"))
        if isinstance(data, Mapping) and "criteria" in data and name != "rules":
            data = {**data, "criteria": _with_folder(data["criteria"], Path(name).parent)}
        return cls.from_dict(data, source=name)

    @classmethod
    def coerce(
        cls, rules: MatchRules | Mapping[str, Any] | str | Path | None, *, argument: str = "rules"
    ) -> MatchRules:
        """The rules any ``rules=`` argument of the package accepts, as a :class:`MatchRules`.

        Parameters
        ----------
        rules : MatchRules, mapping, list, ProgrammeSpec, str, Path or None
            A rule set (returned as is), a nested dict in the YAML layout
            (:meth:`from_dict`), a list of rules by kind (the ``criteria:`` layout, as
            ``ProgrammeSpec.rules`` holds them), a :class:`~ementor_kit.ProgrammeSpec` (its
            rules), the path of a YAML file or YAML text (:meth:`from_yaml`), or ``None`` for
            the default rules.
        argument : str
            Name of the argument in the caller, used in the error message.

        Returns
        -------
        MatchRules

        Raises
        ------
        ArgumentTypeError
            ``rules`` is of another type (e.g. a number).
        DataValidationError
            The dict or YAML holds unknown keys or invalid values.

        Examples
        --------
        >>> MatchRules.coerce(None) == MatchRules()
        True
        >>> MatchRules.coerce({"objective": "score"}).objective
        'score'
        >>> MatchRules.coerce(42)
        Traceback (most recent call last):
        ...
        ementor_kit.errors.ArgumentTypeError: argument 'rules': int 42 is not accepted. Fix: pass a MatchRules, a dict in the YAML layout, a list of rules by kind, a ProgrammeSpec, the path of a rules YAML file, or None for the default rules
        """
        if rules is None:
            return cls()
        if isinstance(rules, MatchRules):
            return rules
        if isinstance(rules, Mapping):
            return cls.from_dict(rules)
        if isinstance(rules, ProgrammeSpec):
            items = _with_folder(list(rules.rules), rules.folder)
            return cls.from_dict({"criteria": items}, source="programme.yaml")
        if isinstance(rules, (list, tuple)):
            return cls.from_dict({"criteria": list(rules)})
        if isinstance(rules, (str, Path)):
            return cls.from_yaml(rules)
        raise ArgumentTypeError(
            argument,
            rules,
            N_(
                "pass a MatchRules, a dict in the YAML layout, a list of rules by "
                "kind, a ProgrammeSpec, the path of a rules YAML file, or None for the "
                "default rules"
            ),
        )

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion (weight 0 included), in the order of the score columns.

        Examples
        --------
        >>> [c.name for c in MatchRules().criteria] == list(CRITERIA)
        True
        """
        return self._criteria  # type: ignore[attr-defined]

    @property
    def criterion_names(self) -> tuple[str, ...]:
        """Names of :attr:`criteria`: the contribution columns of the pairs and scores."""
        return tuple(c.name for c in self._criteria)  # type: ignore[attr-defined]

    @property
    def attribute_rules(self) -> tuple[HardRule, ...]:
        """Hard rules over attributes (the switched-on sample rules, then the declared ones)."""
        return self._hard  # type: ignore[attr-defined]

    @property
    def exclusion_rules(self) -> tuple[str, ...]:
        """Names used in ``excluded_by``, in the order of the exclusion bit mask.

        Attribute rules, ``must`` criteria, then ``forbidden``, ``no_capacity``,
        ``required_elsewhere``, ``min_score``.

        Examples
        --------
        >>> MatchRules().exclusion_rules
        ('language', 'same_department', 'forbidden', 'no_capacity', 'required_elsewhere', 'min_score')
        """
        must = tuple(c.hard_rule for c in self._criteria if c.hard_rule)  # type: ignore[attr-defined]
        fixed = ("forbidden", "no_capacity", "required_elsewhere", "min_score")
        return tuple(r.name for r in self.attribute_rules) + must + fixed

    def replace(self, **changes: Any) -> MatchRules:
        """A copy with some fields changed (validated again).

        Parameters
        ----------
        **changes
            New values by field name (``objective="maximin"``, ``min_score=40`` ...).

        Returns
        -------
        MatchRules
            The changed copy.

        Examples
        --------
        >>> MatchRules().replace(objective="score").objective
        'score'
        """
        kw = {f.name: getattr(self, f.name) for f in fields(self)}
        kw.update(changes)
        return MatchRules(**kw)
