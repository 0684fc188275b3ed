"""Criteria and hard rules declared by kind over any attribute of the people tables.

A :class:`Criterion` scores a pair (mentee, mentor) between 0 and 1 from one attribute of each
side; a :class:`HardRule` excludes pairs. Both are plain frozen descriptions (the problem):
:mod:`ementor_kit.matching.scores` computes them (the algorithm), whatever the attributes are
called. The kinds and their formulas are documented in :mod:`ementor_kit.matching.scores`.

Rules are written as mappings, the layout of ``programme.yaml`` and of the ``criteria:`` section
of a rules file::

    - {kind: overlap, mentee: skills_sought, mentor: skills_offered, importance: high}
    - {kind: same, attribute: domain, importance: medium}
    - {kind: gap, attribute: years_experience, min_gap: 2, weight: 0.5}
    - {kind: require_shared, attribute: languages}
    - {kind: forbid_same, attributes: [organisation, department]}
    - {kind: preference, file: preferences.csv, sides: both, importance: high}
    - {kind: top_k, file: preferences.csv, k: 3}
    - {kind: shared_slots, attribute: timezone, file: availability.csv, weekly_hours: 2}
    - {kind: require_shared_slots, attribute: timezone, file: availability.csv, weekly_hours: 1}

``preference`` and ``top_k`` read ``preferences.csv`` (who ranks whom,
:mod:`ementor_kit.data.preferences`), ``shared_slots`` and ``require_shared_slots`` read
``availability.csv`` (:mod:`ementor_kit.matching.slots`; ``attribute`` names each person's time
zone); their formulas are in :mod:`ementor_kit.matching.preferences`. ``file`` is a path
(relative to the rules file or ``programme.yaml`` that declares it, else to the working
directory) or, in Python, what :func:`~ementor_kit.read_preferences` /
:func:`~ementor_kit.read_availability` returned.

Importance
----------
``importance`` is a weight (a number >= 0) or a word: ``high`` weighs 3, ``medium`` 2, ``low``
1 (the weights of the sample's default rules: skills 3, goals 2, the practical criteria 1).
``must`` makes the criterion a hard rule as well: a pair whose value is 0 is excluded (rule
``must_<name>``), and the criterion weighs as ``high`` in the score. Without ``importance`` nor
``weight`` a criterion weighs 1.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ementor_kit._settings_yaml import unknown_key
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_

__all__ = [
    "CRITERION_KINDS",
    "HARD_RULE_KINDS",
    "IMPORTANCE_WEIGHTS",
    "TABLE_RULE_KINDS",
    "Criterion",
    "HardRule",
]

IMPORTANCE_WEIGHTS: dict[str, float] = {"must": 3.0, "high": 3.0, "medium": 2.0, "low": 1.0}
"""Weight of each importance word (``must`` also makes the criterion a hard rule)."""

# kind -> {parameter: default}; None marks a parameter without default (required, or resolved
# from the data as the scale of ``closeness``)
CRITERION_KINDS: dict[str, dict[str, Any]] = {
    "overlap": {},
    "same": {},
    "closeness": {"scale": None},
    "gap": {"min_gap": 1.0},
    "compatible": {"pairs": None},
    "shared_hours": {"hours": 12.0, "date": "2025-01-15", "need": None},
    "capacity_share": {},
    "support": {"low": 1.0, "high": 5.0},
    "preference": {"file": "preferences.csv", "sides": "mentee"},
    "shared_slots": {"file": "availability.csv", "weekly_hours": 2.0, "weeks": ("2025-01-15",)},
}
"""Criterion kinds and their parameters with defaults (see :mod:`ementor_kit.matching.scores`)."""

HARD_RULE_KINDS: tuple[str, ...] = (
    "require_shared",
    "require_same",
    "forbid_same",
    "forbid_pairs",
    "require_pairs",
    "min_score",
    "top_k",
    "require_shared_slots",
)
"""Hard rule kinds: the first three compare attributes, the next three fill the fields
``forbidden_pairs``, ``required_pairs`` and ``min_score`` of :class:`MatchRules`, the last two
read ``preferences.csv`` and ``availability.csv`` (:data:`TABLE_RULE_KINDS`)."""

TABLE_RULE_KINDS: dict[str, dict[str, Any]] = {
    "top_k": {"file": "preferences.csv", "k": 3},
    "require_shared_slots": {
        "file": "availability.csv",
        "weekly_hours": 1.0,
        "weeks": ("2025-01-15",),
    },
}
"""Hard rules over a table of pairs and their parameters with defaults."""
_FIELD_RULE_KINDS = ("forbid_pairs", "require_pairs", "min_score")
_ID_KINDS = ("preference", "top_k")  # read the ids, no attribute

RESERVED_NAMES = frozenset(
    {"mentee_id", "mentor_id", "score", "feasible", "excluded_by", "required", "status"}
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ATTRIBUTE_KEYS = ("attribute", "mentee", "mentor")


def _frozen(value: Any) -> Any:
    """Lists to tuples and mappings to read-only mappings, recursively (hashable rules)."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def _plain(value: Any) -> Any:
    """The inverse of :func:`_frozen`: YAML-friendly lists and dicts (a table read in Python,
    given as ``file``, by the name of the file it was read from)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, list)):
        return value
    return str(getattr(value, "file", value))


def _side_dict(mentee: Sequence[str], mentor: Sequence[str], many: bool) -> dict[str, Any]:
    if tuple(mentee) == tuple(mentor):
        if many:
            return {N_("attributes"): list(mentee)}
        return {N_("attribute"): mentee[0]}
    if many:
        return {N_("mentee"): list(mentee), N_("mentor"): list(mentor)}
    return {N_("mentee"): mentee[0], N_("mentor"): mentor[0]}


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion: a kind applied to one attribute of each side.

    Parameters
    ----------
    name : str
        Column name of its contribution (``score_pairs``, ``explain``, the pairs).
    kind : str
        One of :data:`CRITERION_KINDS`.
    mentee, mentor : str
        Attribute (column) of the mentees' and of the mentors' table.
    weight : float
        Weight (>= 0) in the weighted mean of the score.
    params : mapping
        Parameters of the kind (``min_gap``, ``scale``, ``pairs``, ``hours`` ...).
    must : bool
        Also a hard rule: pairs whose value is 0 are excluded (``must_<name>``).

    Examples
    --------
    >>> c = Criterion.from_dict({"kind": "gap", "attribute": "years_experience",
    ...                          "min_gap": 2, "importance": "low"})
    >>> c.name, c.weight, dict(c.params)
    ('years_experience', 1.0, {'min_gap': 2.0})
    >>> c.to_dict()
    {'name': 'years_experience', 'kind': 'gap', 'attribute': 'years_experience', 'weight': 1.0, 'min_gap': 2.0}
    """

    name: str
    kind: str
    mentee: str
    mentor: str
    weight: float = 1.0
    params: Mapping[str, Any] = field(default_factory=dict)
    must: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", _frozen(dict(self.params)))

    def __hash__(self) -> int:
        return hash(repr(self.to_dict()))

    @property
    def hard_rule(self) -> str | None:
        """Name of the exclusion it adds (``must_<name>``), None for a scoring-only criterion."""
        return f"must_{self.name}" if self.must else None

    def to_dict(self) -> dict[str, Any]:
        """The mapping :meth:`from_dict` reads (the ``criteria:`` layout).

        Returns
        -------
        dict
            ``name``, ``kind``, the attribute(s), ``weight`` (and ``importance: must``), params.

        Examples
        --------
        >>> Criterion("skills", "overlap", "skills_sought", "skills_offered", 3.0).to_dict()
        {'name': 'skills', 'kind': 'overlap', 'mentee': 'skills_sought', 'mentor': 'skills_offered', 'weight': 3.0}
        """
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.kind not in _ID_KINDS:
            out.update(_side_dict((self.mentee,), (self.mentor,), many=False))
        if self.must:
            out["importance"] = "must"
        out["weight"] = self.weight
        out.update({k: _plain(v) for k, v in self.params.items()})
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "rules") -> Criterion:
        """A criterion from its mapping; raises :class:`DataValidationError` on any problem.

        Parameters
        ----------
        data : mapping
            ``kind``, ``attribute`` (or ``mentee`` and ``mentor``), ``importance`` or
            ``weight``, optional ``name`` and the parameters of the kind.
        where : str
            Origin named in the problems.

        Returns
        -------
        Criterion

        Examples
        --------
        >>> Criterion.from_dict({"kind": "same", "attribute": "domain", "importance": "must"}).must
        True
        """
        problems: list[Problem] = []
        out = _criterion(data, where, "criteria", problems)
        if problems or out is None:
            raise DataValidationError(problems)
        return out


@dataclass(frozen=True)
class HardRule:
    """A hard rule comparing attributes of the two sides.

    Parameters
    ----------
    name : str
        Name shown in ``excluded_by``.
    kind : {"require_shared", "require_same", "forbid_same", "top_k", "require_shared_slots"}
        ``require_shared``: at least one value in common (multi-select, languages);
        ``require_same``: equal values; ``forbid_same``: never equal on every attribute at once
        (conflict of interest). Categories are compared trimmed and case-insensitively; a
        missing value is equal to nothing. ``top_k`` and ``require_shared_slots`` read a table
        of pairs (:data:`TABLE_RULE_KINDS`, :mod:`ementor_kit.matching.preferences`).
    mentee, mentor : tuple of str
        Attributes compared, in pairs (one for the ``require_*`` kinds; the ids for
        ``top_k``, the time zones for ``require_shared_slots``).
    params : mapping
        Parameters of the table kinds (``file``, ``k``, ``weekly_hours``, ``weeks``).

    Examples
    --------
    >>> r = HardRule.from_dict({"kind": "forbid_same", "attributes": ["organisation", "department"]})
    >>> r.name, r.mentee
    ('forbid_same_organisation_department', ('organisation', 'department'))
    """

    name: str
    kind: str
    mentee: tuple[str, ...]
    mentor: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", _frozen(dict(self.params)))

    def __hash__(self) -> int:
        return hash(repr(self.to_dict()))

    def to_dict(self) -> dict[str, Any]:
        """The mapping :meth:`from_dict` reads.

        Returns
        -------
        dict

        Examples
        --------
        >>> HardRule("language", "require_shared", ("languages",), ("languages",)).to_dict()
        {'name': 'language', 'kind': 'require_shared', 'attribute': 'languages'}
        """
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.kind not in _ID_KINDS:
            out.update(_side_dict(self.mentee, self.mentor, many=self.kind == "forbid_same"))
        out.update({k: _plain(v) for k, v in self.params.items()})
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "rules") -> HardRule:
        """A hard rule from its mapping; raises :class:`DataValidationError` on any problem.

        Parameters
        ----------
        data : mapping
            ``kind``, ``attribute``/``attributes`` (or ``mentee`` and ``mentor``), ``name``.
        where : str
            Origin named in the problems.

        Returns
        -------
        HardRule

        Examples
        --------
        >>> HardRule.from_dict({"kind": "require_shared", "attribute": "languages"}).name
        'require_shared_languages'
        """
        problems: list[Problem] = []
        out = _hard_rule(data, where, "criteria", problems)
        if problems or out is None:
            raise DataValidationError(problems)
        return out


# --------------------------------------------------------------------------- parsing


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _names(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _sides(
    data: Mapping[str, Any], key: str, where: str, problems: list[Problem], many: bool
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(mentee attributes, mentor attributes) of a rule, or None after noting a problem."""
    both = data.get("attributes", data.get("attribute")) if many else data.get("attribute")
    if both is not None and ("mentee" in data or "mentor" in data):
        problems.append(
            Problem(
                where, key, (), N_("both attribute and mentee/mentor given"), N_("keep one form")
            )
        )
        return None
    if both is not None:
        names = _names(both)
        sides = (names, names)
    elif "mentee" in data and "mentor" in data:
        sides = (_names(data["mentee"]), _names(data["mentor"]))
    else:
        sides = (None, None)
    e, m = sides
    if e is None or m is None or len(e) != len(m) or (not many and len(e) != 1):
        problems.append(
            Problem(
                where,
                key,
                (),
                N_("{get} needs the attribute(s) it applies to").format(get=data.get("kind")),
                N_(
                    "add attribute: NAME, or mentee: NAME and mentor: NAME (lists of the same "
                    "length for forbid_same)"
                )
                if many
                else N_("add attribute: NAME, or mentee: NAME and mentor: NAME"),
            )
        )
        return None
    return e, m


def _weight(
    data: Mapping[str, Any], key: str, where: str, problems: list[Problem]
) -> tuple[float, bool]:
    """(weight, must) from ``importance`` or ``weight``."""
    if "importance" in data and "weight" in data:
        problems.append(
            Problem(
                where, key, (), N_("both importance and weight given"), N_("keep one of the two")
            )
        )
        return 1.0, False
    raw = data.get("importance", data.get("weight", 1.0))
    if isinstance(raw, str) and raw in IMPORTANCE_WEIGHTS:
        return IMPORTANCE_WEIGHTS[raw], raw == "must"
    num = _number(raw)
    if num is None or num < 0:
        problems.append(
            Problem(
                where,
                f"{key}.importance",
                (),
                N_("importance {raw!r} is not accepted").format(raw=raw),
                N_("use must, high, medium, low, or a weight >= 0"),
            )
        )
        return 1.0, False
    return num, False


def _default_name(mentee: str, mentor: str) -> str:
    if mentee == mentor:
        return mentee
    prefix = ""
    for a, b in zip(mentee, mentor, strict=False):
        if a != b:
            break
        prefix += a
    prefix = prefix.rstrip("_")
    return prefix if len(prefix) >= 3 else f"{mentee}_{mentor}"


def _check_params(
    kind: str, data: Mapping[str, Any], key: str, where: str, problems: list[Problem]
) -> dict[str, Any]:
    defaults = CRITERION_KINDS[kind] if kind in CRITERION_KINDS else TABLE_RULE_KINDS[kind]
    params: dict[str, Any] = {}
    for name, default in defaults.items():
        value = data.get(name, default)
        if name in _TABLE_PARAMS:
            checked = _table_param(name, value, f"{key}.{name}", where, problems)
            if checked is not None:
                params[name] = checked
            continue
        if value is None:
            if name == "pairs":
                problems.append(
                    Problem(
                        where,
                        f"{key}.pairs",
                        (),
                        N_("compatible needs its table of pairs"),
                        N_(
                            "add pairs: [[MENTEE_VALUE, MENTOR_VALUE], ...] (a third item is the "
                            "value, 1 when left out)"
                        ),
                    )
                )
            continue
        if name in ("scale", "min_gap", "hours", "low", "high"):
            num = _number(value)
            lo = {"scale": 1e-12, "hours": 1.0}.get(name, 0.0 if name == "min_gap" else -math.inf)
            hi = 24.0 if name == "hours" else math.inf
            if num is None or not lo <= num <= hi:
                problems.append(
                    Problem(
                        where,
                        f"{key}.{name}",
                        (),
                        N_("invalid {name} {value!r}").format(name=name, value=value),
                        {
                            "scale": N_("use a number > 0"),
                            "hours": N_("use a number between 1 and 24"),
                            "min_gap": N_("use a number >= 0"),
                        }.get(name, N_("use a number")),
                    )
                )
                continue
            value = num
        elif name == "pairs":
            value = _pairs_table(value, f"{key}.pairs", where, problems)
        elif name == "date":
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                problems.append(
                    Problem(
                        where,
                        f"{key}.date",
                        (),
                        N_("invalid date {value!r}").format(value=value),
                        N_("use YYYY-MM-DD"),
                    )
                )
                continue
            value = str(value)
        elif name == "need":
            value = _need(value, f"{key}.need", where, problems)
        params[name] = value
    if kind == "support" and params.get("high", 5.0) <= params.get("low", 1.0):
        problems.append(
            Problem(
                where, f"{key}.high", (), N_("high must be above low"), N_("e.g. low: 1, high: 5")
            )
        )
    return params


_TABLE_PARAMS = ("file", "sides", "weekly_hours", "weeks", "k")


def _table_param(name: str, value: Any, key: str, where: str, problems: list[Problem]) -> Any:
    """One parameter of the kinds reading a table of pairs, or None after noting a problem."""
    fix = {
        N_("file"): N_("give the path of the file (preferences.csv, availability.csv)"),
        N_("sides"): N_("use mentee (the mentees' ranks), mentor (the mentors' ranks) or both"),
        "weekly_hours": N_("use a number of hours a week above 0 and at most 168"),
        N_("weeks"): N_("give a date (YYYY-MM-DD) or a list of dates: the weeks checked"),
        "k": N_("use a whole number >= 1"),
    }[name]
    ok: Any = None
    if name == "file":
        ok = value if (not isinstance(value, str) or value.strip()) and value is not None else None
    elif name == "sides":
        ok = value if value in ("mentee", "mentor", "both") else None
    elif name == "weekly_hours":
        num = _number(value)
        ok = num if num is not None and 0 < num <= 168 else None
    elif name == "k":
        num = _number(value)
        ok = int(num) if num is not None and num >= 1 and num == int(num) else None
    else:
        days = [value] if isinstance(value, (str, dt.date)) else value
        try:
            ok = tuple(str(dt.date.fromisoformat(str(d))) for d in days) or None
        except (TypeError, ValueError):
            ok = None
    if ok is None:
        problems.append(
            Problem(
                where, key, (), N_("invalid {name} {value!r}").format(name=name, value=value), fix
            )
        )
    return ok


def _pairs_table(value: Any, key: str, where: str, problems: list[Problem]) -> Any:
    rows = []
    ok = isinstance(value, (list, tuple)) and bool(value)
    for p in value if ok else ():
        if (
            isinstance(p, (list, tuple))
            and len(p) in (2, 3)
            and all(isinstance(x, str) for x in p[:2])
            and (len(p) == 2 or (_number(p[2]) is not None and 0 <= _number(p[2]) <= 1))  # type: ignore[operator]
        ):
            rows.append((p[0], p[1], 1.0 if len(p) == 2 else float(p[2])))
        else:
            ok = False
    if not ok:
        problems.append(
            Problem(
                where,
                key,
                (),
                N_("invalid table of pairs {value!r}").format(value=value),
                N_(
                    "write pairs: [[MENTEE_VALUE, MENTOR_VALUE], [MENTEE_VALUE, "
                    "MENTOR_VALUE, 0.5]] (values between 0 and 1)"
                ),
            )
        )
    return [list(r) for r in rows]


def _need(value: Any, key: str, where: str, problems: list[Problem]) -> Any:
    if not isinstance(value, Mapping):
        problems.append(
            Problem(
                where,
                key,
                (),
                N_("need must be a mapping"),
                N_("write need: {attribute: modality, pairs: [[sync, sync, 1], ...]}"),
            )
        )
        return None
    sides = _sides(value, key, where, problems, many=False)
    pairs = _pairs_table(value.get("pairs"), f"{key}.pairs", where, problems)
    extra = [k for k in value if k not in (*_ATTRIBUTE_KEYS, "pairs")]
    problems += [unknown_key(where, f"{key}.{k}", (*_ATTRIBUTE_KEYS, "pairs")) for k in extra]
    if sides is None:
        return None
    return {**_side_dict(sides[0], sides[1], many=False), N_("pairs"): pairs}


def _id_sides(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The ids as the sides of the kinds that read no attribute (``preference``, ``top_k``)."""
    return (("mentee_id",), ("mentor_id",)) if kind in _ID_KINDS else None


def _criterion(
    data: Mapping[str, Any], where: str, key: str, problems: list[Problem]
) -> Criterion | None:
    kind = data["kind"]
    attributes = () if kind in _ID_KINDS else _ATTRIBUTE_KEYS
    allowed = ("kind", "name", "importance", "weight", *attributes, *CRITERION_KINDS[kind])
    n = len(problems)
    problems += [unknown_key(where, f"{key}.{k}", allowed) for k in data if k not in allowed]
    sides = _id_sides(kind) or _sides(data, key, where, problems, many=False)
    weight, must = _weight(data, key, where, problems)
    params = _check_params(kind, data, key, where, problems)
    if sides is None:
        return None
    name = data.get("name") or (
        kind if kind in ("preference", "shared_slots") else _default_name(sides[0][0], sides[1][0])
    )
    if not isinstance(name, str) or not _NAME.match(name) or name in RESERVED_NAMES:
        problems.append(
            Problem(
                where,
                f"{key}.name",
                (),
                N_("invalid criterion name {name!r}").format(name=name),
                N_("use letters, digits and _, not a column of the pairs (mentee_id, score ...)"),
            )
        )
    if len(problems) > n:
        return None
    return Criterion(name, kind, sides[0][0], sides[1][0], weight, params, must)


def _hard_rule(
    data: Mapping[str, Any], where: str, key: str, problems: list[Problem]
) -> HardRule | None:
    kind = data["kind"]
    many = kind == "forbid_same"
    attributes = () if kind in _ID_KINDS else _ATTRIBUTE_KEYS
    allowed = ("kind", "name", *attributes, *(("attributes",) if many else ()))
    allowed += tuple(TABLE_RULE_KINDS.get(kind, ()))
    n = len(problems)
    problems += [unknown_key(where, f"{key}.{k}", allowed) for k in data if k not in allowed]
    sides = _id_sides(kind) or _sides(data, key, where, problems, many=many)
    params = _check_params(kind, data, key, where, problems) if kind in TABLE_RULE_KINDS else {}
    if sides is None or len(problems) > n:
        return None
    name = data.get("name") or (
        kind if kind in TABLE_RULE_KINDS else "_".join((kind, *dict.fromkeys(sides[0] + sides[1])))
    )
    if not isinstance(name, str) or "+" in name or not name:
        problems.append(
            Problem(
                where,
                f"{key}.name",
                (),
                N_("invalid rule name {name!r}").format(name=name),
                N_("use a name without +"),
            )
        )
        return None
    return HardRule(name, kind, sides[0], sides[1], params)


def parse_declared(
    items: Any, where: str, problems: list[Problem]
) -> tuple[tuple[Criterion, ...], tuple[HardRule, ...], dict[str, Any]]:
    """Criteria, attribute hard rules and the pair/score hard rules of a ``criteria:`` list.

    The third item holds ``min_score``, ``forbidden_pairs`` and ``required_pairs`` given by
    the kinds ``min_score``, ``forbid_pairs`` and ``require_pairs`` (fields of ``MatchRules``).
    """
    criteria: list[Criterion] = []
    hard: list[HardRule] = []
    fields: dict[str, Any] = {}
    if not isinstance(items, (list, tuple)):
        problems.append(
            Problem(
                where, "criteria", (), N_("criteria must be a list"), N_("write - kind: ... lines")
            )
        )
        return (), (), fields
    for i, item in enumerate(items):
        key = f"criteria[{i}]"
        if not isinstance(item, Mapping) or "kind" not in item:
            problems.append(
                Problem(
                    where,
                    key,
                    (),
                    N_("a rule must be a mapping with a kind"),
                    "e.g. {kind: overlap, attribute: goals}",
                )
            )
            continue
        kind = item["kind"]
        if kind in CRITERION_KINDS:
            c = _criterion(item, where, key, problems)
            if c is not None:
                criteria.append(c)
        elif kind in HARD_RULE_KINDS[:3] or kind in TABLE_RULE_KINDS:
            h = _hard_rule(item, where, key, problems)
            if h is not None:
                hard.append(h)
        elif kind in _FIELD_RULE_KINDS:
            field_name, value_key = {
                "forbid_pairs": ("forbidden_pairs", "pairs"),
                "require_pairs": ("required_pairs", "pairs"),
                "min_score": ("min_score", "value"),
            }[kind]
            extra = [k for k in item if k not in ("kind", value_key)]
            problems += [unknown_key(where, f"{key}.{k}", ("kind", value_key)) for k in extra]
            if field_name in fields and field_name != "min_score":
                fields[field_name] = [*fields[field_name], *(item.get(value_key) or [])]
            else:
                fields[field_name] = (
                    item.get(value_key) if kind == "min_score" else list(item.get(value_key) or [])
                )
        else:
            problems.append(
                unknown_key(where, f"{key}.kind.{kind}", (*CRITERION_KINDS, *HARD_RULE_KINDS))
            )
    names = [c.name for c in criteria] + [h.name for h in hard]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(
            Problem(
                where,
                "criteria",
                (),
                N_("name(s) used twice: {twice}").format(twice=", ".join(twice)),
                N_("give each rule over the same attribute its own name: NAME"),
            )
        )
    return tuple(criteria), tuple(hard), fields


def sample_criteria(
    weights: Mapping[str, float], min_experience_gap: float, timezone_window_hours: float
) -> tuple[Criterion, ...]:
    """The eight criteria of the sample (the ``weights:`` layout) as declared criteria."""
    sync_need = [
        ["sync", "sync", 1.0],
        ["sync", "async", 1.0],
        ["sync", "mixed", 1.0],
        ["async", "sync", 1.0],
        ["async", "async", 0.0],
        ["async", "mixed", 0.5],
        ["mixed", "sync", 1.0],
        ["mixed", "async", 0.5],
        ["mixed", "mixed", 0.5],
    ]
    modality = [
        ["sync", "sync", 1.0],
        ["async", "async", 1.0],
        ["mixed", "mixed", 1.0],
        ["sync", "mixed", 0.5],
        ["async", "mixed", 0.5],
        ["mixed", "sync", 0.5],
        ["mixed", "async", 0.5],
    ]
    spec: tuple[tuple[str, str, str, str, dict[str, Any]], ...] = (
        ("skills", "overlap", "skills_sought", "skills_offered", {}),
        ("goals", "overlap", "goals", "goals", {}),
        ("domain", "same", "domain", "domain", {}),
        (
            "timezone",
            "shared_hours",
            "utc_offset",
            "utc_offset",
            {
                "hours": timezone_window_hours,
                "date": CRITERION_KINDS["shared_hours"]["date"],
                "need": {"attribute": "modality", "pairs": sync_need},
            },
        ),
        ("modality", "compatible", "modality", "modality", {"pairs": modality}),
        ("availability", "capacity_share", "availability_hours", "availability_hours", {}),
        (
            "experience",
            "gap",
            "years_experience",
            "years_experience",
            {"min_gap": min_experience_gap},
        ),
        ("digital", "support", "digital_comfort", "digital_comfort", {"low": 1.0, "high": 5.0}),
    )
    return tuple(
        Criterion(name, kind, e, m, float(weights.get(name, 0.0)), params)
        for name, kind, e, m, params in spec
    )
