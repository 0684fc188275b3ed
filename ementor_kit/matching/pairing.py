"""Pairing mentees with mentors from their profiles: :func:`match`, :func:`compare_rules`,
:func:`rematch`.

:func:`match` scores every pair under a coordinator's :class:`~ementor_kit.MatchRules`, solves
the assignment exactly (:mod:`ementor_kit.matching.optimise`) and returns a
:class:`~ementor_kit.MatchResult` that explains itself; :func:`compare_rules` puts rule sets
side by side; :func:`rematch` re-pairs mid-programme with the fewest changes.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Mapping
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
from ementor_kit.i18n.language import N_
from ementor_kit.matching._solver import (
    OBJECTIVES,
    SOLVERS,
)
from ementor_kit.matching.optimise import _check_time_limit, _solve_with_fixed
from ementor_kit.matching.result import (
    MatchResult,
    _build_result,
    _check_required,
)
from ementor_kit.matching.rules import GroupQuota, MatchRules
from ementor_kit.matching.scores import PreparedPeople, _prepared, _score_matrix, _Scores

__all__ = ["compare_rules", "match", "rematch"]

RulesLike = MatchRules | Mapping[str, Any] | str | Path | None


def _quota_masks(sc: _Scores) -> list[tuple[GroupQuota, np.ndarray]]:
    out = []
    for q in sc.rules.quotas:
        if q.column not in sc.mentees.columns:
            raise DataValidationError(
                [
                    Problem(
                        "rules",
                        "quotas.column",
                        (),
                        N_("the mentees have no column {column!r}").format(column=q.column),
                        N_("use one of: {columns}").format(
                            columns=", ".join(map(str, sc.mentees.columns))
                        ),
                    )
                ]
            )
        col = sc.mentees[q.column]
        if col.map(lambda v: isinstance(v, (tuple, list))).any():  # multi-select: membership
            in_group = np.array([isinstance(v, (tuple, list)) and q.group in v for v in col])
            present = sorted({str(x) for v in col if isinstance(v, (tuple, list)) for x in v})
        else:
            labels = col.astype(object).where(col.notna(), "").astype(str).to_numpy()
            in_group = labels == q.group
            present = sorted(set(labels) - {""})
        if not in_group.any():
            raise DataValidationError(
                [
                    Problem(
                        "rules",
                        "quotas",
                        (),
                        N_("no mentee has {column}={group!r}").format(
                            column=q.column, group=q.group
                        ),
                        N_("use one of the values present: {present}").format(
                            present=", ".join(present[:10])
                        ),
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
    prepared: PreparedPeople | None = None,
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
    solver : {"auto", "lsa", "highs", "cbc", "sparse"}, default "auto"
        The exact solver, see :func:`assign`.
    time_limit : float, optional
        Seconds (> 0) for the integer programme, None for no limit; see :func:`assign`.
    prepared : PreparedPeople, optional
        What :func:`~ementor_kit.prepare_people` made of these tables (pass its own
        ``mentors`` and ``mentees``): the tables are not checked again and each criterion's
        values are computed once for all the calls, so a change of weights costs only the
        weighted sum and the solve. The result is identical. ``rules=None`` then means
        ``prepared.rules``.

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

    Re-weighting the same people (a playground, a sweep over weights):

    >>> from ementor_kit import prepare_people
    >>> prep = prepare_people(mentors, mentees, {"weights": {"skills": 1, "domain": 1}})
    >>> for w in (0.5, 2.0):
    ...     rules = prep.rules.replace(weights={"skills": 1, "domain": w})
    ...     result = match(prep.mentors, prep.mentees, rules, prepared=prep)
    ...     print(result.pairs["score"].round(1).tolist())
    [66.7, 33.3]
    [83.3, 66.7]
    """
    t0 = time.perf_counter()
    if prepared is not None:
        _check_prepared(prepared, mentors, mentees)
    sc = _score_matrix(mentors, mentees, rules, prepared)
    return _match_scores(sc, objective, solver, time_limit, t0, time.perf_counter())


def _check_prepared(prepared: Any, mentors: Any, mentees: Any) -> None:
    if not isinstance(prepared, PreparedPeople):
        raise ArgumentTypeError(
            "prepared", prepared, N_("pass what prepare_people(mentors, mentees, rules) returns")
        )
    if mentors is not prepared.mentors or mentees is not prepared.mentees:
        raise InvalidArgumentError(
            "prepared",
            prepared,
            N_(
                "pass the prepared tables themselves: match(prep.mentors, prep.mentees, rules, "
                "prepared=prep)"
            ),
            N_("the mentors and mentees given are not the tables prepare_people returned"),
        )


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
    if not isinstance(rule_sets, Mapping):
        raise ArgumentTypeError(
            "rule_sets",
            rule_sets,
            N_(
                "pass the rule sets first, as {name: rules, ...}: "
                "compare_rules(rule_sets, mentors, mentees)"
            ),
        )
    if not rule_sets:
        raise InvalidArgumentError(
            "rule_sets", rule_sets, N_("pass {name: rules, ...}"), message=N_("no rule sets given")
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


def _ids_of(argument: str, value: str | Iterable[str]) -> set[str]:
    """A bare id is one id, never its characters (``keep="E001"``)."""
    if isinstance(value, str):
        return {value}
    if not isinstance(value, Iterable):
        raise ArgumentTypeError(
            argument,
            value,
            N_('pass "all" or a list of mentee ids: {argument}=["E001"]').format(argument=argument),
        )
    return {str(v) for v in value}


def _pairs_in_force(old: pd.DataFrame, *, unique: bool = True) -> pd.DataFrame:
    """The previous pairing as text; a row without mentor is an unpaired mentee (dropped).
    ``unique``: one row per mentee (the pairs in force; not the pairs that ended)."""
    out = old.astype(object).where(old.notna(), "").astype("str")
    out = out.apply(lambda c: c.str.strip())
    if (out["mentee_id"] == "").any():
        rows = tuple(int(i) + 2 for i in np.flatnonzero((out["mentee_id"] == "").to_numpy()))
        raise DataValidationError(
            [
                Problem(
                    "pairs",
                    "mentee_id",
                    rows,
                    N_("mentee id is empty"),
                    N_("fill it or delete the row"),
                )
            ]
        )
    out = out[out["mentor_id"] != ""]
    dup = out["mentee_id"].duplicated(keep=False).to_numpy()
    if unique and dup.any():
        rows = tuple(int(i) + 2 for i in np.flatnonzero(dup))
        raise DataValidationError(
            [
                Problem(
                    "pairs",
                    "mentee_id",
                    rows,
                    N_("a mentee has several mentors in the pairing in force"),
                    N_("keep one row per mentee (end the other pairs first)"),
                )
            ]
        )
    return out.reset_index(drop=True)


def _dropped(
    drop: Iterable[str | tuple[str, str]], old: pd.DataFrame, known: set[str]
) -> tuple[set[str], set[tuple[str, str]]]:
    """Split ``drop`` into person ids and (mentee, mentor) pairs; refuse unknown ids.

    A bare string is one person (``drop="M001"``), never its characters.
    """
    items: Iterable[object] = [drop] if isinstance(drop, str) else drop
    people: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for d in items:
        if isinstance(d, str):
            people.add(d)
        elif isinstance(d, (tuple, list)) and len(d) == 2:
            pairs.add((str(d[0]), str(d[1])))
        else:
            raise InvalidArgumentError(
                "drop",
                d,
                N_(
                    'give person ids or (mentee_id, mentor_id) pairs: drop=["M001", '
                    '("E002", "M002")]'
                ),
            )
    known = known | set(old["mentee_id"]) | set(old["mentor_id"])
    unknown = sorted(people - known) + sorted(
        f"{e}/{m}" for e, m in pairs if e not in known or m not in known
    )
    if unknown:
        raise InvalidArgumentError(
            "drop",
            unknown[0] if len(unknown) == 1 else unknown,
            N_("use ids of the pairing in force or of the profiles (check the spelling)"),
            message=N_("unknown id{what}: {unknown}").format(
                what="s" if len(unknown) > 1 else "", unknown=", ".join(unknown)
            ),
        )
    return people, pairs


def _day(argument: str, value: object) -> pd.Timestamp:
    """``as_of`` as a calendar day (a time-zone aware moment: its own day)."""
    try:
        when = pd.Timestamp(value)
    except (TypeError, ValueError):
        when = pd.NaT
    if when is pd.NaT:
        raise InvalidArgumentError(
            argument, value, N_("give a date, e.g. '2026-11-02' or a datetime.date")
        )
    return pd.Timestamp(when.date())


def _split_ended(pairs: pd.DataFrame, as_of: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairs still in force and those that ended (``ended_on`` on or before ``as_of``;
    without ``as_of``, every recorded end), both as ``mentee_id, mentor_id``."""
    cols = ["mentee_id", "mentor_id"]
    if "ended_on" not in pairs.columns:
        return pairs[cols], pairs.iloc[:0][cols]
    raw = pairs["ended_on"].astype(object)
    text = raw.where(raw.notna(), "").astype("str").str.strip()
    given = (text != "").to_numpy()

    def day(value: object, written: str) -> pd.Timestamp:
        if isinstance(value, dt.date):  # a date, a datetime, a Timestamp: its own day
            return pd.Timestamp(value.isoformat()[:10])
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", written):
            return pd.to_datetime(written, format="%Y-%m-%d", errors="coerce")
        return pd.NaT

    when = pd.Series(
        [day(v, t) if g else pd.NaT for v, t, g in zip(raw, text, given, strict=True)],
        index=pairs.index,
        dtype="datetime64[ns]",
    )
    bad = given & when.isna().to_numpy()
    if bad.any():
        rows = tuple(int(i) + 2 for i in np.flatnonzero(bad))
        raise DataValidationError(
            [
                Problem(
                    "pairs",
                    "ended_on",
                    rows,
                    N_("not a date: {shown}").format(shown=repr(text[bad].iloc[0])),
                    N_("write dates as YYYY-MM-DD, or leave the cell empty for a pair in force"),
                )
            ]
        )
    ended = given.copy()
    if as_of is not None:
        ended &= (when.dt.normalize() <= _day("as_of", as_of)).to_numpy(dtype=bool)
    return pairs.loc[~ended, cols], pairs.loc[ended, cols]


def rematch(
    result: MatchResult | pd.DataFrame,
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: RulesLike = None,
    *,
    keep: str | Iterable[str] = "all",
    drop: str | Iterable[str | tuple[str, str]] = (),
    as_of: object = None,
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
        The pairing in force (a DataFrame needs ``mentee_id`` and ``mentor_id``, one row per
        mentee; a row with an empty ``mentor_id`` is a mentee without mentor). With an
        ``ended_on`` column (``pairs.csv``'s closure columns), a pair whose end is recorded
        has ended (on or before ``as_of`` when given): it is not kept and not formed again,
        and from that day its place with the mentor is free; a mentee may then have one
        row per pair, one at most in force. Its mentee, when still in ``mentees``, is
        re-paired like a mentee whose pair was dropped (leave out of ``mentees`` those whose
        mentoring is over).
    mentors, mentees : DataFrame
        Current profiles: people absent from them have left, and their pairs end.
    rules : optional
        Rules for the new pairs (default: the rules of ``result`` when it is a MatchResult).
    keep : "all" or iterable of mentee ids
        Which surviving pairs to keep (``"all"``: every pair whose two people are still there
        and not dropped).
    drop : id, or iterable of ids or (mentee_id, mentor_id) pairs
        Pairs to end, never formed again: a person id ends every pair of that person (a
        dropped mentor stays available for other mentees unless removed from ``mentors`` or
        given capacity 0; a dropped mentee may get another mentor); a pair ends that pair.
        An id found neither in the pairing nor in the profiles is refused (a typo would
        otherwise end nothing).
    as_of : date or str, optional
        The day of the re-pairing: a pair whose ``ended_on`` falls after it is still in force.
        Default: every recorded end counts.
    objective : str, optional
        Overrides the rules' objective.
    solver : {"auto", "lsa", "highs", "cbc", "sparse"}, default "auto"
        The exact solver, see :func:`assign`.
    time_limit : float, optional
        Seconds (> 0) for the integer programme, None for no limit; see :func:`assign`.

    Returns
    -------
    MatchResult
        With ``changes``: one row per mentee of the old pairing or of ``mentees``,
        ``previous_mentor``, ``new_mentor`` and ``change``: ``kept`` (same mentor as before),
        ``re-paired`` (another mentor), ``unpaired`` (had a mentor, has none), ``new`` (had
        none, has one), ``still unpaired`` (had none, has none), ``left`` (no longer in
        ``mentees``).

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
    >>> rematch(first, mentors, mentees, drop="M001").changes  # every pair of M001 ends
      mentee_id previous_mentor new_mentor    change
    0      E001            M001        NaN  unpaired
    1      E002            M002       M002      kept
    """
    t0 = time.perf_counter()
    if isinstance(result, MatchResult):
        old = result.pairs[["mentee_id", "mentor_id"]]
        closed = old.iloc[:0]
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
                        N_("column is missing"),
                        N_("give the pairs as mentee_id, mentor_id"),
                    )
                    for c in missing
                ]
            )
        old, closed = _split_ended(result, as_of)
    else:
        raise ArgumentTypeError(
            "result",
            result,
            N_("pass the MatchResult of match(), or a DataFrame of pairs (mentee_id, mentor_id)"),
        )
    if as_of is not None:
        _day("as_of", as_of)
    rules, mentors, mentees = _prepared(mentors, mentees, rules)
    old = _pairs_in_force(old)
    closed = _pairs_in_force(closed.drop_duplicates(), unique=False)
    present_e = set(mentees["mentee_id"].tolist())
    present_m = set(mentors["mentor_id"].tolist())
    drop_people, drop_pairs = _dropped(drop, old, present_e | present_m)
    keep_set = None if keep == "all" else _ids_of("keep", keep)
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
    # a dropped person's pairs end: none of them may be formed again (the person stays
    # available for others)
    ended = (
        drop_pairs
        | {
            (e, m)
            for e, m in zip(old["mentee_id"], old["mentor_id"], strict=True)
            if e in drop_people or m in drop_people
        }
        | set(zip(closed["mentee_id"], closed["mentor_id"], strict=True))
    )
    forbidden = set(rules.forbidden_pairs) | {
        p for p in ended if p[0] in present_e and p[1] in present_m
    }
    required = (set(rules.required_pairs) | set(kept)) - forbidden
    new_rules = rules.replace(
        required_pairs=tuple(sorted(required)), forbidden_pairs=tuple(sorted(forbidden))
    )
    sc = _score_matrix(mentors, mentees, new_rules)
    t_scored = time.perf_counter()
    res = _match_scores(sc, objective, solver, time_limit, t0, t_scored, label=label)
    # a mentee's previous mentor: the pair in force, else the last pair that ended
    prev = {
        **dict(zip(closed["mentee_id"], closed["mentor_id"], strict=True)),
        **dict(zip(old["mentee_id"], old["mentor_id"], strict=True)),
    }
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
