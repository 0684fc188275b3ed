"""Pairing engine: from profiles and a coordinator's rules to the best possible pairing.

Public API
----------
- :class:`MatchRules`, :class:`GroupQuota`: criterion weights, hard rules, objective, quotas
  (:mod:`ementor_kit.matching.rules`).
- :func:`score_pairs`: compatibility score of every pair (:mod:`ementor_kit.matching.scores`).
- :func:`assign`: the exact optimiser on a long table of candidate pairs, returns an
  :class:`Assignment`.
- :func:`match`: scoring + optimisation + report, returns a :class:`MatchResult`.
- :func:`greedy`, :func:`random_pairing`, :func:`stable_pairing`: baselines
  (:mod:`ementor_kit.matching.baselines`); :func:`audit`: stability, envy, groups, load
  (:mod:`ementor_kit.matching.audit`).
- :func:`compare_rules`: rule sets side by side; :func:`rematch`: mid-programme re-pairing.
- :class:`InfeasibleMatchingError`: required pairs, capacities or quotas cannot all hold.

The optimiser is exact: see :mod:`ementor_kit.matching._assignment` for the methods and their proofs.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice
from ementor_kit.errors import (
    ArgumentTypeError,
    DataValidationError,
    InvalidArgumentError,
    Problem,
)
from ementor_kit.matching._assignment import (
    OBJECTIVES,
    SOLVERS,
    InfeasibleMatchingError,
    _candidate_arrays,
    _quota_side,
    _Side,
    _solve,
)
from ementor_kit.matching.audit import MatchAudit, audit
from ementor_kit.matching.baselines import greedy, random_pairing, stable_pairing
from ementor_kit.matching.result import (
    MatchResult,
    MatchSummary,
    _build_result,
    _check_required,
)
from ementor_kit.matching.rules import CRITERIA, GroupQuota, MatchRules
from ementor_kit.matching.scores import _score_matrix, _Scores, _validated, score_pairs

__all__ = [
    "CRITERIA",
    "Assignment",
    "GroupQuota",
    "InfeasibleMatchingError",
    "MatchAudit",
    "MatchResult",
    "MatchRules",
    "MatchSummary",
    "assign",
    "audit",
    "compare_rules",
    "greedy",
    "match",
    "random_pairing",
    "rematch",
    "score_pairs",
    "stable_pairing",
]

RulesLike = MatchRules | Mapping[str, Any] | str | Path | None


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
        "give a positive number of seconds (e.g. time_limit=10), or time_limit=None for no limit",
        message=f"time_limit must be a positive number of seconds, got {time_limit!r}",
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
        The method that solved it: ``scipy.linear_sum_assignment``, ``HiGHS (highspy)`` or
        ``PuLP+CBC``.
    status : str
        ``optimal``, or ``time_limit`` when the integer programme stopped early.
    proven_optimal : bool
        Whether the pairs are proven optimal.
    gap : float
        Upper bound of how far the objective may be below the optimum (0 when proven optimal).

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
            "capacity", capacity, "pass a Series or a dict {mentor_id: number of mentees}"
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
                    f"mentor(s) given more than one capacity: {', '.join(dup[:10])}",
                    "give each mentor one capacity",
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
                    f"invalid capacities: {shown}",
                    "give every mentor a whole number >= 0",
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
        Id columns may be text or categorical.
    capacity : Series or dict
        Mentor id -> number of mentees (int >= 0); every mentor of ``candidates`` needs one.
    objective : {"coverage_then_score", "score", "maximin"}
        Most pairs then highest total score; highest total score (pairs scoring <= 0 are never
        used); most pairs, then highest lowest score, then highest total.
    solver : {"auto", "lsa", "highs", "cbc"}
        ``auto``: ``scipy.optimize.linear_sum_assignment`` without quotas, HiGHS with quotas.
        ``highs`` / ``cbc`` force the integer programme (column generation with a proof of
        optimality). All are exact.
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
    if not isinstance(candidates, pd.DataFrame):
        raise ArgumentTypeError(
            "candidates",
            candidates,
            "pass a DataFrame with mentee_id, mentor_id and score (e.g. score_pairs(...))",
        )
    problems = [
        Problem(
            "candidates",
            c,
            (),
            "column is missing",
            "give the candidate pairs as mentee_id, mentor_id, score",
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
        problems.append(
            Problem(
                "candidates",
                "score",
                (),
                f"scores are {score_col.dtype}, not numbers",
                "give numeric scores",
            )
        )
    else:
        scores = score_col.to_numpy(dtype=np.float64)
        bad = ~np.isfinite(scores)
        if bad.any():
            problems.append(
                Problem(
                    "candidates",
                    "score",
                    tuple(np.flatnonzero(bad)[:50] + 2),
                    "missing or infinite score",
                    "give every pair a finite score, or drop the pairs that are not allowed",
                )
            )
    if problems:
        raise DataValidationError(problems)
    cap_s = _capacity_series(capacity)

    value, allowed, mentee_ids, mentor_ids = _candidate_arrays(
        candidates["mentee_id"], candidates["mentor_id"], scores
    )
    missing = [x for x in mentor_ids if x not in cap_s.index]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    "capacity",
                    None,
                    (),
                    f"no capacity for mentor(s) "
                    f"{', '.join(missing[:10])}"
                    f"{' ...' if len(missing) > 10 else ''}",
                    "give a capacity for every mentor of the candidates",
                )
            ]
        )
    cap = cap_s.reindex(mentor_ids).to_numpy(dtype=np.int64)
    _n_c, m = len(mentee_ids), len(mentor_ids)

    # mentees only known from `groups` are rows without candidates
    extra_ids = np.zeros(0, dtype=object)
    group_s = None
    if groups is not None:
        group_s = pd.Series(
            groups.to_dict() if isinstance(groups, pd.Series) else dict(groups), dtype=object
        )
        group_s.index = group_s.index.astype("str")
        known = set(mentee_ids.tolist())
        extra_ids = np.array(sorted(k for k in group_s.index if k not in known), dtype=object)
    if len(extra_ids):
        value = np.vstack([value, np.full((len(extra_ids), m), np.nan)])
        allowed = np.vstack([allowed, np.zeros((len(extra_ids), m), dtype=bool)])
    all_mentees = np.concatenate([mentee_ids, extra_ids])
    if len(extra_ids):
        order = np.argsort(all_mentees.astype(str), kind="stable")
        all_mentees = all_mentees[order]
        value = value[order]
        allowed = allowed[order]

    pos_e = {k: i for i, k in enumerate(all_mentees)}
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
                        f"required pair ({e}, {mm}) is not a candidate",
                        "add it to the candidates or drop it",
                    )
                ]
            )
        if i in fixed and fixed[i] != j:
            raise InfeasibleMatchingError(
                "required pairs", (e,), f"mentee {e} is required with two mentors"
            )
        fixed[i] = j
    sides = []
    for q in quotas:
        if group_s is None:
            raise InvalidArgumentError(
                "groups",
                None,
                "pass groups={mentee_id: group label}",
                message="quotas need groups",
            )
        labels = group_s.reindex(all_mentees).astype(object).to_numpy()
        sides.append((q, labels == q.group))
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
    return Assignment(
        pairs=out,
        objective=objective,
        solver=info.solver,
        status=info.status,
        proven_optimal=bool(info.proven_optimal),
        gap=float(info.gap),
    )


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
        name = str(mentor_ids[j]) if mentor_ids is not None else f"column {j}"
        raise InfeasibleMatchingError(
            f"capacity of mentor {name}",
            (name, *sorted(who)),
            f"{len(who)} required pairs but capacity {int(cap[j])}",
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
                        f"no mentee has {q.column}={q.group}",
                        "use a group value present among the mentees, or drop the quota",
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


def _quota_masks(sc: _Scores) -> list[tuple[GroupQuota, np.ndarray]]:
    out = []
    for q in sc.rules.quotas:
        col = sc.mentees[q.column]
        labels = col.astype(object).where(col.notna(), "").astype(str).to_numpy()
        in_group = labels == q.group
        if not in_group.any():
            present = sorted(set(labels) - {""})
            raise DataValidationError(
                [
                    Problem(
                        "rules",
                        "quotas",
                        (),
                        f"no mentee has {q.column}={q.group!r}",
                        f"use one of the values present: {', '.join(present[:10])}",
                    )
                ]
            )
        out.append((q, in_group))
    return out


def _match_scores(
    sc: _Scores,
    objective: str | None,
    solver: str,
    time_limit: float | None,
    t_start: float,
    t_scored: float,
    label: Mapping[tuple[str, str], str] | None = None,
    changes: pd.DataFrame | None = None,
) -> MatchResult:
    objective = objective or sc.rules.objective
    check_choice("objective", objective, OBJECTIVES)
    check_choice("solver", solver, SOLVERS)
    _check_time_limit(time_limit)
    fixed = _check_required(sc, label)
    allowed = sc.excluded == 0
    rows, cols, info = _solve_with_fixed(
        sc.score,
        allowed,
        sc.capacity,
        objective,
        fixed,
        _quota_masks(sc),
        sc.mentee_ids,
        solver,
        time_limit,
        sc.mentor_ids,
    )
    t_solved = time.perf_counter()
    options = {"objective": objective, "solver": solver, "time_limit": time_limit}
    result = _build_result(
        sc,
        rows,
        cols,
        objective=objective,
        solver=info.solver,
        status=info.status,
        proven_optimal=info.proven_optimal,
        gap=info.gap,
        timings={},
        options=options,
        notes=tuple(info.notes),
        changes=changes,
    )
    t_end = time.perf_counter()
    timings = {
        "score": t_scored - t_start,
        "solve": t_solved - t_scored,
        "report": t_end - t_solved,
        "total": t_end - t_start,
    }
    object.__setattr__(result, "timings", timings)
    return result


def match(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: RulesLike = None,
    *,
    objective: str | None = None,
    solver: str = "auto",
    time_limit: float | None = None,
) -> MatchResult:
    """Pair mentees with mentors: score every pair, find the optimal pairing, report on it.

    Parameters
    ----------
    mentors, mentees : DataFrame
        Profile tables (raw or validated), see :mod:`ementor_kit.data.schema`.
    rules : MatchRules, dict, YAML path or text, optional
        Defaults to ``MatchRules()``.
    objective : str, optional
        Overrides ``rules.objective``.
    solver : {"auto", "lsa", "highs", "cbc"}, default "auto"
        The exact solver, see :func:`assign`.
    time_limit : float, optional
        Seconds (> 0) for the integer programme, None for no limit; see :func:`assign`.

    Returns
    -------
    MatchResult
        ``pairs``, ``unmatched`` (every unpaired mentee and every mentor with free places, with
        the reason), ``summary()``, ``explain(mentee_id)``, ``to_csv()``.

    Raises
    ------
    DataValidationError
        Profiles breaking the data contract, invalid rules, rules naming unknown people.
    InfeasibleMatchingError
        Required pairs breaking a hard rule or a capacity, quotas that cannot be met.

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> mentors, mentees = example_profiles()
    >>> result = match(mentors, mentees, {"weights": {"skills": 1, "domain": 1}})
    >>> result.pairs[["mentee_id", "mentor_id", "score"]]
      mentee_id mentor_id  score
    0      E001      M001   75.0
    1      E002      M002   50.0
    >>> result.unmatched[["person_id", "reason", "spare_capacity"]]
      person_id          reason  spare_capacity
    0      M001  spare_capacity               1
    """
    t0 = time.perf_counter()
    sc = _score_matrix(mentors, mentees, MatchRules.coerce(rules))
    return _match_scores(sc, objective, solver, time_limit, t0, time.perf_counter())


# --------------------------------------------------------------------------- comparisons


def _assignment_of(result: MatchResult) -> pd.Series:
    sc = result._scores
    assert sc is not None
    mentor = pd.Series(pd.NA, index=pd.Index(sc.mentee_ids, dtype="str"), dtype="str")
    mentor.loc[result.pairs["mentee_id"].to_numpy()] = result.pairs["mentor_id"].to_numpy()
    return mentor


def compare_rules(
    rule_sets: Mapping[str, RulesLike],
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    **match_kw: Any,
) -> pd.DataFrame:
    """Run :func:`match` with several rule sets and put the results side by side.

    Parameters
    ----------
    rule_sets : mapping of str to rules
        Name to rules (a MatchRules, a dict, a YAML path or text), compared in this order;
        the first is the reference of ``score_mean_first`` and ``changed_vs_first``.
    mentors, mentees : DataFrame
        Profile tables (raw or validated), the same for every rule set.
    **match_kw
        Passed to :func:`match` (``objective``, ``solver``, ``time_limit``).

    Returns
    -------
    DataFrame
        One row per rule set (index ``rules``, in the given order): ``objective``, ``n_pairs``,
        ``coverage``, ``score_mean``, ``score_min`` (each under its own weights),
        ``score_mean_first`` (the pairs scored with the first rule set's weights, comparable
        across rows), ``coverage_<group>`` per value of the mentees' ``group`` column,
        ``changed_vs_first`` (mentees whose mentor, or lack of one, differs from the first rule
        set's pairing) and ``proven_optimal``.

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> mentors, mentees = example_profiles()
    >>> t = compare_rules({"skills": {"weights": {"skills": 1}},
    ...                    "strict": {"weights": {"skills": 1}, "hard_rules": {"min_score": 60}}},
    ...                   mentors, mentees)
    >>> t[["n_pairs", "coverage", "changed_vs_first"]]
            n_pairs  coverage  changed_vs_first
    rules
    skills        2       1.0                 0
    strict        0       0.0                 2
    """
    if not rule_sets:
        raise InvalidArgumentError(
            "rule_sets", rule_sets, "pass {name: rules, ...}", message="no rule sets given"
        )
    rows = []
    first: MatchResult | None = None
    for name, rules in rule_sets.items():
        res = match(mentors, mentees, rules, **match_kw)
        s = res.summary()
        first = first or res
        sc0 = first._scores
        assert sc0 is not None
        e_pos = {k: i for i, k in enumerate(sc0.mentee_ids)}
        m_pos = {k: j for j, k in enumerate(sc0.mentor_ids)}
        under_first = [
            sc0.score[e_pos[e], m_pos[m]]
            for e, m in zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True)
        ]
        a0, a1 = _assignment_of(first), _assignment_of(res)
        changed = int((a0.fillna("") != a1.fillna("")).sum())
        row = {
            "rules": str(name),
            "objective": res.objective,
            "n_pairs": s.n_pairs,
            "coverage": s.coverage,
            "score_mean": s.score_mean,
            "score_min": s.score_min,
            "score_mean_first": float(np.mean(under_first)) if under_first else np.nan,
        }
        for g, c in s.group_coverage.items():
            row[f"coverage_{g}"] = c
        row.update(changed_vs_first=changed, proven_optimal=s.proven_optimal)
        rows.append(row)
    out = pd.DataFrame(rows).set_index("rules")
    out.index = out.index.astype("str")
    return out


def rematch(
    result: MatchResult | pd.DataFrame,
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: RulesLike = None,
    *,
    keep: str | Iterable[str] = "all",
    drop: Iterable[str | tuple[str, str]] = (),
    objective: str | None = None,
    solver: str = "auto",
    time_limit: float | None = None,
) -> MatchResult:
    """Mid-programme re-pairing: keep the active pairs, re-pair only the people affected.

    Kept pairs are fixed (required pairs), so no active relationship changes; the optimiser
    then pairs the remaining mentees (new ones, those whose pair ended, those unpaired before)
    into the remaining places, optimally under ``rules``.

    Parameters
    ----------
    result : MatchResult or DataFrame
        The pairing in force (a DataFrame needs ``mentee_id`` and ``mentor_id``).
    mentors, mentees : DataFrame
        Current profiles: people absent from them have left, and their pairs end.
    rules : optional
        Rules for the new pairs (default: the rules of ``result`` when it is a MatchResult).
    keep : "all" or iterable of mentee ids
        Which surviving pairs to keep (``"all"``: every pair whose two people are still there
        and not dropped).
    drop : iterable of ids or (mentee_id, mentor_id) pairs
        Pairs to end: a person id ends every pair of that person (a dropped mentor stays
        available for other mentees unless removed from ``mentors`` or given capacity 0); a
        pair ends that pair and forbids forming it again.
    objective : str, optional
        Overrides the rules' objective.
    solver : {"auto", "lsa", "highs", "cbc"}, default "auto"
        The exact solver, see :func:`assign`.
    time_limit : float, optional
        Seconds (> 0) for the integer programme, None for no limit; see :func:`assign`.

    Returns
    -------
    MatchResult
        With ``changes``: one row per mentee of the old or new pairing, ``previous_mentor``,
        ``new_mentor`` and ``change`` (``kept``, ``new``, ``re-paired``, ``unpaired``,
        ``still unpaired``, ``left``).

    Raises
    ------
    InfeasibleMatchingError
        When a kept pair breaks the new rules (e.g. a lowered capacity); drop it or relax the
        rule.

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> mentors, mentees = example_profiles()
    >>> first = match(mentors, mentees)
    >>> again = rematch(first, mentors, mentees, drop=[("E002", "M002")])
    >>> again.changes
      mentee_id previous_mentor new_mentor     change
    0      E001            M001       M001       kept
    1      E002            M002       M001  re-paired
    """
    t0 = time.perf_counter()
    if isinstance(result, MatchResult):
        old = result.pairs[["mentee_id", "mentor_id"]]
        rules = result.rules if rules is None else rules
    elif isinstance(result, pd.DataFrame):
        missing = [c for c in ("mentee_id", "mentor_id") if c not in result.columns]
        if missing:
            raise DataValidationError(
                [
                    Problem(
                        "pairs",
                        c,
                        (),
                        "column is missing",
                        "give the pairs as mentee_id, mentor_id",
                    )
                    for c in missing
                ]
            )
        old = result[["mentee_id", "mentor_id"]]
    else:
        raise ArgumentTypeError(
            "result",
            result,
            "pass the MatchResult of match(), or a DataFrame of pairs (mentee_id, mentor_id)",
        )
    rules = MatchRules.coerce(rules)
    old = old.astype("str")
    drop_people = {d for d in drop if isinstance(d, str)}
    drop_pairs = {tuple(d) for d in drop if not isinstance(d, str)}
    mentors = _validated(mentors, "mentors")
    mentees = _validated(mentees, "mentees")
    present_e = set(mentees["mentee_id"].tolist())
    present_m = set(mentors["mentor_id"].tolist())
    keep_set = None if keep == "all" else {str(k) for k in keep}
    kept, label = [], {}
    for e, m in zip(old["mentee_id"], old["mentor_id"], strict=True):
        if e not in present_e or m not in present_m:
            continue
        if e in drop_people or m in drop_people or (e, m) in drop_pairs:
            continue
        if keep_set is not None and e not in keep_set:
            continue
        kept.append((e, m))
        label[(e, m)] = "kept pair"
    forbidden = set(rules.forbidden_pairs) | {
        p for p in drop_pairs if p[0] in present_e and p[1] in present_m
    }
    required = (set(rules.required_pairs) | set(kept)) - forbidden
    new_rules = rules.replace(
        required_pairs=tuple(sorted(required)), forbidden_pairs=tuple(sorted(forbidden))
    )
    sc = _score_matrix(mentors, mentees, new_rules)
    t_scored = time.perf_counter()
    res = _match_scores(sc, objective, solver, time_limit, t0, t_scored, label=label)
    prev = dict(zip(old["mentee_id"], old["mentor_id"], strict=True))
    new = dict(zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True))
    rows = []
    for e in sorted(set(prev) | present_e):
        p, q = prev.get(e), new.get(e)
        if e not in present_e:
            change = "left"
        elif p is None:
            change = "new" if q is not None else "still unpaired"
        elif q is None:
            change = "unpaired"
        else:
            change = "kept" if p == q else "re-paired"
        rows.append((e, p, q, change))
    changes = pd.DataFrame(
        rows, columns=["mentee_id", "previous_mentor", "new_mentor", "change"]
    ).astype("str")
    object.__setattr__(res, "changes", changes)
    return res
