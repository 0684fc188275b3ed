"""Group quotas: a minimum service level for one group of mentees.

A :class:`GroupQuota` says that a group of mentees (``group=qpv``, ``cohort=2025``...) must be
paired at least as often as a given share, or as a given multiple of the overall coverage. The
``quotas:`` section of a rule set (:class:`~ementor_kit.matching.rules.MatchRules`) lists them;
this module holds the quota itself and the checks of that section.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ementor_kit._settings_yaml import unknown_key
from ementor_kit.errors import Problem
from ementor_kit.i18n.language import N_

__all__ = ["GroupQuota"]

_QUOTA_KEYS = ("column", "group", "min_coverage", "min_share_of_overall")
_QUOTA_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _problem(where: str, key: str, message: str, fix: str) -> Problem:
    return Problem(where, key, (), message, fix)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


@dataclass(frozen=True)
class GroupQuota:
    """A minimum service level for one group of mentees.

    Exactly one of ``min_coverage`` and ``min_share_of_overall`` is given.

    Parameters
    ----------
    group : str
        Value of ``column`` that defines the group (e.g. ``"qpv"``).
    column : str
        Mentee column (attribute) holding the group, any one the mentees table has: the
        sample's ``group``, ``cohort``, ``career_stage``..., or an attribute declared in
        ``programme.yaml`` (default ``"group"``). For a multi-select attribute, the group is
        the mentees whose answer includes ``group``.
    min_coverage : float, optional
        At least this share (0-1) of the group's mentees must be paired.
    min_share_of_overall : float, optional
        The group's coverage must be at least this multiple of the overall coverage
        (``1.0``: the group is paired at least as often as mentees overall).

    Examples
    --------
    >>> GroupQuota("qpv", min_share_of_overall=1.0).describe()
    'coverage of group=qpv >= 1 x overall coverage'
    """

    group: str
    column: str = "group"
    min_coverage: float | None = None
    min_share_of_overall: float | None = None

    def describe(self) -> str:
        """One-line wording of the quota, used in results and error messages.

        Returns
        -------
        str
            ``"coverage of <column>=<group> >= ..."``.

        Examples
        --------
        >>> GroupQuota("qpv", min_coverage=0.8).describe()
        'coverage of group=qpv >= 0.8'
        """
        if self.min_coverage is not None:
            return f"coverage of {self.column}={self.group} >= {self.min_coverage:g}"
        return (
            f"coverage of {self.column}={self.group} >= "
            f"{self.min_share_of_overall:g} x overall coverage"
        )

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"column": self.column, "group": self.group}
        if self.min_coverage is not None:
            out["min_coverage"] = self.min_coverage
        else:
            out["min_share_of_overall"] = self.min_share_of_overall
        return out


def _quota_problems(q: Any, where: str) -> list[Problem]:
    if not isinstance(q, GroupQuota):
        return [
            _problem(
                where,
                "quotas",
                N_("each quota must be a GroupQuota or a mapping"),
                N_("write quotas as a list of {group: ..., min_coverage: ...}"),
            )
        ]
    problems = []
    if not isinstance(q.group, str) or not q.group:
        problems.append(
            _problem(
                where,
                "quotas.group",
                N_("missing or empty group"),
                N_("give the group value, e.g. group: qpv"),
            )
        )
    if not isinstance(q.column, str) or not _QUOTA_COLUMN.match(q.column):
        problems.append(
            _problem(
                where,
                "quotas.column",
                N_("{column!r} is not a column name").format(column=q.column),
                N_("name a mentee attribute, e.g. column: group"),
            )
        )
    given = [k for k in ("min_coverage", "min_share_of_overall") if getattr(q, k) is not None]
    if len(given) != 1:
        problems.append(
            _problem(
                where,
                "quotas",
                N_("quota for {group!r} gives {n} bounds").format(group=q.group, n=len(given)),
                N_("give exactly one of min_coverage, min_share_of_overall"),
            )
        )
    for k in given:
        v = _number(getattr(q, k))
        hi = 1.0 if k == "min_coverage" else math.inf
        if v is None or v < 0 or v > hi:
            problems.append(
                _problem(
                    where,
                    f"quotas.{k}",
                    N_("invalid value {getattr!r}").format(getattr=getattr(q, k)),
                    N_("use a number between 0 and {hi:g}").format(hi=hi),
                )
            )
    return problems


def _quotas_kw(value: Any, source: str, problems: list[Problem]) -> tuple[GroupQuota, ...]:
    """The quotas of the ``quotas`` section (each a mapping of known keys)."""
    quotas = []
    for q in value or []:
        if not isinstance(q, Mapping):
            problems.append(
                _problem(
                    source,
                    "quotas",
                    N_("invalid quota {q!r}").format(q=q),
                    N_("write each quota as {group: ..., min_coverage: ...}"),
                )
            )
            continue
        bad = [k for k in q if k not in _QUOTA_KEYS]
        problems += [unknown_key(source, f"quotas.{k}", _QUOTA_KEYS) for k in bad]
        if not bad:
            quotas.append(GroupQuota(**{k: q[k] for k in q}))
    return tuple(quotas)
