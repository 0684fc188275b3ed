"""The exact optimiser on a long table of candidate pairs: :func:`assign` and its result.

:func:`assign` takes any candidate pairs with scores (from :func:`~ementor_kit.score_pairs` or
from elsewhere) and capacities, and returns the optimal :class:`Assignment` under the chosen
objective, required pairs and quotas. The methods and their proofs are in
:mod:`ementor_kit.matching._solver`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice
from ementor_kit.errors import (
    ArgumentTypeError,
    DataValidationError,
    InfeasibleMatchingError,
    InvalidArgumentError,
    Problem,
)
from ementor_kit.i18n.language import N_
from ementor_kit.matching._solver import (
    OBJECTIVES,
    SOLVERS,
    _candidate_arrays,
    _quota_side,
    _Side,
    _solve,
)
from ementor_kit.matching._solver.info import _SolveInfo
from ementor_kit.matching.rules import GroupQuota

__all__ = ["Assignment", "assign"]


def _check_time_limit(time_limit: float | None) -> None:
    """A time limit is None (no limit) or a positive, finite number of seconds."""
    if time_limit is None:
        return
    ok = isinstance(time_limit, (int, float, np.integer, np.floating)) and not isinstance(
        time_limit, (bool, np.bool_)
    )
    if ok and np.isfinite(time_limit) and time_limit > 0:
        return
    raise (InvalidArgumentError if ok else ArgumentTypeError)(
        "time_limit",
        time_limit,
        N_(
            "give a positive number of seconds (e.g. time_limit=10), or "
            "time_limit=None for no limit"
        ),
        message=N_("time_limit must be a positive number of seconds, got {time_limit!r}").format(
            time_limit=time_limit
        ),
    )


# --------------------------------------------------------------------------- assign


@dataclass(frozen=True, eq=False)
class Assignment:
    """What :func:`assign` returns: the pairs and what the solver says about them.

    Attributes
    ----------
    pairs : DataFrame
        ``mentee_id, mentor_id, score`` sorted by ``mentee_id``.
    objective : str
        The objective optimised.
    solver : str
        The method that solved it: ``scipy.linear_sum_assignment``, ``OR-Tools min-cost flow
        (sparse, dual pricing)``, ``HiGHS (highspy)`` or ``PuLP+CBC``.
    status : str
        ``optimal``, or ``time_limit`` when the integer programme stopped early.
    proven_optimal : bool
        Whether the pairs are proven optimal.
    gap : float
        Upper bound of how far the objective may be below the optimum (0 when proven optimal).
    notes : tuple of str
        What the solver did, e.g. for the sparse method the number of pricing rounds after
        which optimality over all pairs was proven, or that it fell back to the dense method.

    Examples
    --------
    >>> import pandas as pd
    >>> cand = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"],
    ...                      "score": [90.0, 80.0]})
    >>> res = assign(cand, {"M1": 1})
    >>> res.pairs["mentee_id"].tolist(), res.proven_optimal, res.gap
    (['E1'], True, 0.0)
    """

    pairs: pd.DataFrame
    objective: str
    solver: str
    status: str
    proven_optimal: bool
    gap: float
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"Assignment({len(self.pairs)} pairs, objective={self.objective!r}, "
            f"solver={self.solver!r}, status={self.status!r}, "
            f"proven_optimal={self.proven_optimal})"
        )


def _capacity_series(capacity: Mapping[str, int] | pd.Series) -> pd.Series:
    if isinstance(capacity, pd.Series):
        cap = capacity.copy()
    elif isinstance(capacity, Mapping):
        cap = pd.Series(dict(capacity), dtype=object)
    else:
        raise ArgumentTypeError(
            "capacity", capacity, N_("pass a Series or a dict {mentor_id: number of mentees}")
        )
    cap.index = cap.index.astype("str")
    dup = cap.index[cap.index.duplicated()].unique()
    if len(dup):
        raise DataValidationError(
            [
                Problem(
                    "capacity",
                    None,
                    (),
                    N_("mentor(s) given more than one capacity: {dup}").format(
                        dup=", ".join(dup[:10])
                    ),
                    N_("give each mentor one capacity"),
                )
            ]
        )
    num = pd.to_numeric(cap, errors="coerce").astype(np.float64)
    bad = ~np.isfinite(num) | (num < 0) | (num != num.round())
    if bad.any():
        shown = ", ".join(f"{k}={v!r}" for k, v in cap[bad].head(5).items())
        raise DataValidationError(
            [
                Problem(
                    "capacity",
                    None,
                    (),
                    N_("invalid capacities: {shown}").format(shown=shown),
                    N_("give every mentor a whole number >= 0"),
                )
            ]
        )
    return num.astype(np.int64)


def assign(
    candidates: pd.DataFrame,
    capacity: Mapping[str, int] | pd.Series,
    *,
    objective: str = "coverage_then_score",
    solver: str = "auto",
    time_limit: float | None = None,
    required: Iterable[tuple[str, str]] = (),
    quotas: Sequence[GroupQuota] = (),
    groups: Mapping[str, str] | pd.Series | None = None,
) -> Assignment:
    """Optimal pairs among candidate pairs: each mentee at most one mentor, capacities held.

    Parameters
    ----------
    candidates : DataFrame
        ``mentee_id, mentor_id, score``: the allowed pairs (any other pair is not allowed).
        Id columns may be text or categorical; ids are compared as text (``1`` and ``"1"``
        are one person) and the pairs give them as text.
    capacity : Series or dict
        Mentor id -> number of mentees (int >= 0); every mentor of ``candidates`` needs one.
    objective : {"coverage_then_score", "score", "maximin"}
        Most pairs then highest total score; highest total score (pairs scoring <= 0 are never
        used); most pairs, then highest lowest score, then highest total.
    solver : {"auto", "lsa", "highs", "cbc", "sparse"}
        ``auto``: without quotas, ``scipy.optimize.linear_sum_assignment`` below a million
        mentees x mentors and the sparse method from there; HiGHS with quotas. ``sparse``:
        OR-Tools' min-cost flow on candidate pairs (each mentee's and mentor's best), every
        other pair priced with the duals until none can improve, which proves the pairing
        optimal over all pairs (``notes`` gives the rounds; ``maximin`` and quotas use the
        dense methods). ``highs`` / ``cbc`` force the integer programme (column generation
        with a proof of optimality). All are exact; between equally good pairings the
        methods may pick different ones.
    time_limit : float, optional
        Seconds (> 0) for the integer programme, None for no limit; when it stops early the
        result has ``proven_optimal = False`` and a gap. Ignored by ``lsa``.
    required : iterable of (mentee_id, mentor_id)
        Pairs that must be in the result (they must be candidates).
    quotas : sequence of GroupQuota
        Group quotas on the labels of ``groups`` (``GroupQuota.column`` is not used here).
    groups : Series or dict, optional
        Mentee id -> group label; mentees listed here but absent from ``candidates`` count as
        unpaired members of their group and of the overall population.

    Returns
    -------
    Assignment
        ``pairs`` (``mentee_id, mentor_id, score`` sorted by ``mentee_id``), ``objective``,
        ``solver``, ``status``, ``proven_optimal`` and ``gap``. Ties between equally good
        pairings are broken by the solver on the problem in id order, so the result does not
        depend on the row order of ``candidates``.

    Raises
    ------
    DataValidationError
        Missing columns, empty ids, non-finite scores, duplicate pairs, missing or invalid
        capacities, required pairs that are not candidates, a ``time_limit`` that is not a
        positive number of seconds.
    InfeasibleMatchingError
        Required pairs or quotas that cannot all hold.

    Examples
    --------
    >>> import pandas as pd
    >>> cand = pd.DataFrame({"mentee_id": ["E1", "E1", "E2", "E3"],
    ...                      "mentor_id": ["M1", "M2", "M1", "M1"],
    ...                      "score": [90.0, 50.0, 80.0, 10.0]})
    >>> res = assign(cand, {"M1": 1, "M2": 1})
    >>> res.pairs
      mentee_id mentor_id  score
    0        E1        M2   50.0
    1        E2        M1   80.0
    >>> res.solver, res.proven_optimal
    ('scipy.linear_sum_assignment', True)
    >>> assign(cand, {"M1": 1, "M2": 1}, objective="maximin").pairs["score"].min()
    np.float64(50.0)
    """
    check_choice("objective", objective, OBJECTIVES)
    check_choice("solver", solver, SOLVERS)
    _check_time_limit(time_limit)
    scores = _checked_scores(candidates)
    cap_s = _capacity_series(capacity)
    value, allowed, mentee_ids, mentor_ids = _candidate_arrays(
        candidates["mentee_id"], candidates["mentor_id"], scores
    )
    cap = _mentor_capacities(cap_s, mentor_ids)
    group_s = _group_series(groups)
    value, allowed, all_mentees = _with_group_mentees(value, allowed, mentee_ids, group_s)
    fixed = _required_rows(required, all_mentees, mentor_ids, allowed)
    sides = _quota_groups(quotas, group_s, all_mentees)
    res_rows, res_cols, info = _solve_with_fixed(
        value, allowed, cap, objective, fixed, sides, all_mentees, solver, time_limit, mentor_ids
    )
    out = pd.DataFrame(
        {
            "mentee_id": pd.array(all_mentees[res_rows], dtype="str"),
            "mentor_id": pd.array(mentor_ids[res_cols], dtype="str"),
            "score": value[res_rows, res_cols],
        }
    )
    return _assignment(out, objective, info)


def _assignment(pairs: pd.DataFrame, objective: str, info: _SolveInfo) -> Assignment:
    """The :class:`Assignment` of ``pairs`` and what the solve reports about them."""
    return Assignment(
        pairs=pairs,
        objective=objective,
        solver=info.solver,
        status=info.status,
        proven_optimal=bool(info.proven_optimal),
        gap=float(info.gap),
        notes=tuple(info.notes),
    )


def _checked_scores(candidates: pd.DataFrame) -> np.ndarray:
    """The scores of the candidate pairs (float64), once the table has its columns and finite
    numeric scores (DataValidationError otherwise)."""
    if not isinstance(candidates, pd.DataFrame):
        raise ArgumentTypeError(
            "candidates",
            candidates,
            N_("pass a DataFrame with mentee_id, mentor_id and score (e.g. score_pairs(...))"),
        )
    problems = [
        Problem(
            "candidates",
            c,
            (),
            N_("column is missing"),
            N_("give the candidate pairs as mentee_id, mentor_id, score"),
        )
        for c in ("mentee_id", "mentor_id", "score")
        if c not in candidates.columns
    ]
    if problems:
        raise DataValidationError(problems)
    score_col = candidates["score"]
    if len(score_col) == 0:
        score_col = score_col.astype(np.float64)
    if not pd.api.types.is_numeric_dtype(score_col.dtype) or pd.api.types.is_bool_dtype(
        score_col.dtype
    ):
        raise DataValidationError(
            [
                Problem(
                    "candidates",
                    "score",
                    (),
                    N_("scores are {dtype}, not numbers").format(dtype=score_col.dtype),
                    N_("give numeric scores"),
                )
            ]
        )
    scores = score_col.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(scores)
    if bad.any():
        raise DataValidationError(
            [
                Problem(
                    "candidates",
                    "score",
                    tuple(np.flatnonzero(bad)[:50] + 2),
                    N_("missing or infinite score"),
                    N_("give every pair a finite score, or drop the pairs that are not allowed"),
                )
            ]
        )
    return scores


def _mentor_capacities(cap_s: pd.Series, mentor_ids: np.ndarray) -> np.ndarray:
    """The capacity of each mentor column (every mentor of the candidates needs one)."""
    missing = [x for x in mentor_ids if x not in cap_s.index]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    "capacity",
                    None,
                    (),
                    N_("no capacity for mentor(s) {missing}{what}").format(
                        missing=", ".join(missing[:10]), what=" ..." if len(missing) > 10 else ""
                    ),
                    N_("give a capacity for every mentor of the candidates"),
                )
            ]
        )
    return cap_s.reindex(mentor_ids).to_numpy(dtype=np.int64)


def _group_series(groups: Mapping[str, str] | pd.Series | None) -> pd.Series | None:
    """Mentee id (as text) -> group label, or None without groups."""
    if groups is None:
        return None
    group_s = pd.Series(
        groups.to_dict() if isinstance(groups, pd.Series) else dict(groups), dtype=object
    )
    group_s.index = group_s.index.astype("str")
    return group_s


def _with_group_mentees(
    value: np.ndarray, allowed: np.ndarray, mentee_ids: np.ndarray, group_s: pd.Series | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value, allowed and mentee ids with the mentees only known from ``groups`` added as rows
    without candidates, all in id order."""
    extra_ids = np.zeros(0, dtype=object)
    if group_s is not None:
        known = set(mentee_ids.tolist())
        extra_ids = np.array(sorted(k for k in group_s.index if k not in known), dtype=object)
    m = value.shape[1]
    if len(extra_ids):
        value = np.vstack([value, np.full((len(extra_ids), m), np.nan)])
        allowed = np.vstack([allowed, np.zeros((len(extra_ids), m), dtype=bool)])
    all_mentees = np.concatenate([mentee_ids, extra_ids])
    if len(extra_ids):
        order = np.argsort(all_mentees.astype(str), kind="stable")
        all_mentees = all_mentees[order]
        value = value[order]
        allowed = allowed[order]
    return value, allowed, all_mentees


def _required_rows(
    required: Iterable[tuple[str, str]],
    mentee_ids: np.ndarray,
    mentor_ids: np.ndarray,
    allowed: np.ndarray,
) -> dict[int, int]:
    """Mentee row -> mentor column of each required pair (each must be a candidate)."""
    pos_e = {k: i for i, k in enumerate(mentee_ids)}
    pos_m = {k: j for j, k in enumerate(mentor_ids)}
    fixed: dict[int, int] = {}
    for e, mm in required:
        i, j = pos_e.get(e), pos_m.get(mm)
        if i is None or j is None or not allowed[i, j]:
            raise DataValidationError(
                [
                    Problem(
                        "candidates",
                        None,
                        (),
                        N_("required pair ({e}, {mm}) is not a candidate").format(e=e, mm=mm),
                        N_("add it to the candidates or drop it"),
                    )
                ]
            )
        if i in fixed and fixed[i] != j:
            raise InfeasibleMatchingError(
                N_("required pairs"),
                (e,),
                N_("mentee {e} is required with two mentors").format(e=e),
            )
        fixed[i] = j
    return fixed


def _quota_groups(
    quotas: Sequence[GroupQuota], group_s: pd.Series | None, mentee_ids: np.ndarray
) -> list[tuple[GroupQuota, np.ndarray]]:
    """Each quota with the mask of the mentee rows of its group (quotas need ``groups``)."""
    sides = []
    for q in quotas:
        if group_s is None:
            raise InvalidArgumentError(
                "groups",
                None,
                N_("pass groups={mentee_id: group label}"),
                message=N_("quotas need groups"),
            )
        labels = group_s.reindex(mentee_ids).astype(object).to_numpy()
        sides.append((q, labels == q.group))
    return sides


def _solve_with_fixed(
    value: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    objective: str,
    fixed: Mapping[int, int],
    quotas: Sequence[tuple[GroupQuota, np.ndarray]],
    mentee_ids: np.ndarray,
    solver: str,
    time_limit: float | None,
    mentor_ids: np.ndarray | None = None,
):
    """Fix the required pairs, solve the rest, return all pairs (rows, cols) and the info."""
    n, m = value.shape
    fixed_mask = np.zeros(n, dtype=bool)
    fixed_rows = np.array(sorted(fixed), dtype=np.int64)
    fixed_cols = np.array([fixed[i] for i in fixed_rows], dtype=np.int64)
    fixed_mask[fixed_rows] = True
    cap_left = cap - np.bincount(fixed_cols, minlength=m)
    if (cap_left < 0).any():
        j = int(np.flatnonzero(cap_left < 0)[0])
        who = [str(mentee_ids[i]) for i, jj in fixed.items() if jj == j]
        name = str(mentor_ids[j]) if mentor_ids is not None else N_("column {j}").format(j=j)
        raise InfeasibleMatchingError(
            N_("capacity of mentor {name}").format(name=name),
            (name, *sorted(who)),
            N_("{n} required pairs but capacity {cap}").format(n=len(who), cap=int(cap[j])),
        )
    free = np.flatnonzero(~fixed_mask)
    if len(fixed_rows):
        value_f, allowed_f = value[free], allowed[free]
    else:
        value_f, allowed_f = value, allowed
    sides: list[_Side] = []
    for q, in_group in quotas:
        if not in_group.any():
            raise DataValidationError(
                [
                    Problem(
                        "rules",
                        "quotas",
                        (),
                        N_("no mentee has {column}={group}").format(column=q.column, group=q.group),
                        N_("use a group value present among the mentees, or drop the quota"),
                    )
                ]
            )
        lonely = in_group & ~allowed.any(axis=1)
        members = mentee_ids[lonely] if lonely.any() else mentee_ids[in_group]
        side = _quota_side(
            q.describe(),
            in_group,
            fixed_mask,
            free,
            [str(x) for x in members],
            q.min_coverage,
            q.min_share_of_overall,
        )
        if side is not None:
            sides.append(side)
    floor = float(value[fixed_rows, fixed_cols].min()) if len(fixed_rows) else None
    rows, cols, info = _solve(
        value_f,
        allowed_f,
        cap_left,
        objective,
        sides=sides,
        solver=solver,
        time_limit=time_limit,
        floor=floor,
    )
    rows = free[rows]
    all_rows = np.concatenate([rows, fixed_rows])
    all_cols = np.concatenate([cols, fixed_cols])
    order = np.lexsort((all_cols, all_rows))
    return all_rows[order], all_cols[order], info


# --------------------------------------------------------------------------- match
