"""Group quotas as side constraints over the mentee rows left to the optimiser (private)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ementor_kit.errors import InfeasibleMatchingError
from ementor_kit.i18n.language import N_


@dataclass(frozen=True, eq=False)
class _Side:
    """One group quota over the mentee rows left to the optimiser.

    ``need``: at least this many of the group's free mentees get a mentor (absolute quota).
    ``share``: the group's paired count (fixed pairs included) is at least ``share`` times the
    total paired count, with ``share = r * |G| / N`` (the group's coverage is at least ``r``
    times the overall coverage).
    """

    name: str
    in_group: np.ndarray  # bool per free mentee row
    need: int | None
    share: float | None
    fixed_in: int = 0
    fixed_total: int = 0
    members: tuple[str, ...] = ()

    def row(self, total: int | None) -> _Row:
        """The linear row; with the number of free pairs ``total`` known, a count row."""
        g = self.in_group.astype(np.float64)
        if self.need is not None:
            return _Row(g, float(self.need), True)
        assert self.share is not None  # _quota_side gives exactly one of need and share
        if total is None:
            rhs = -(self.fixed_in - self.share * self.fixed_total)
            return _Row(g - self.share, float(rhs), rhs > 1e-12)
        need = math.ceil(self.share * (total + self.fixed_total) - 1e-9) - self.fixed_in
        return _Row(g, float(need), True)


@dataclass(frozen=True, eq=False)
class _Row:
    """``sum_i coef_i * (mentee i has a mentor) >= rhs``; ``elastic`` rows get a slack."""

    coef: np.ndarray
    rhs: float
    elastic: bool


def _quota_side(
    name: str,
    in_group: np.ndarray,
    fixed: np.ndarray,
    free: np.ndarray,
    members: Sequence[str],
    min_coverage: float | None,
    min_share_of_overall: float | None,
) -> _Side | None:
    """Side constraint of one group quota over the free mentee rows.

    ``in_group`` and ``fixed`` (already paired by a required pair) are masks over all mentees;
    ``free`` indexes the rows left to the optimiser. ``None`` when the quota always holds.
    """
    size = int(in_group.sum())
    fixed_in = int((in_group & fixed).sum())
    if min_coverage is not None:
        need = math.ceil(min_coverage * size - 1e-9) - fixed_in
        if need <= 0:
            return None
        return _Side(name, in_group[free], need, None, members=tuple(members))
    assert min_share_of_overall is not None  # GroupQuota gives exactly one of the two
    share = float(min_share_of_overall) * size / len(in_group)
    if share <= 0:
        return None
    return _Side(name, in_group[free], None, share, fixed_in, int(fixed.sum()), tuple(members))


def _infeasible(
    sides: Sequence[_Side], slack: np.ndarray, elastic: Sequence[bool]
) -> InfeasibleMatchingError:
    k = [i for i, e in enumerate(elastic) if e]
    bad = [(sides[i], float(slack[pos])) for pos, i in enumerate(k) if slack[pos] > 0.5]
    side, short = bad[0] if bad else (sides[0], 0.0)
    detail = (
        N_("at best {ceil} more mentee(s) of the group would need a mentor").format(
            ceil=math.ceil(short - 1e-06)
        )
        if bad
        else N_("no pairing meets it")
    )
    return InfeasibleMatchingError(side.name, side.members, detail)
