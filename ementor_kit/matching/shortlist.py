"""Shortlists for mentee choice: ``k`` mentors offered to each mentee, exposure capped.

Letting every mentee see "your 3 best mentors" collapses: a few popular mentors land on most
lists and some on none. :func:`shortlist` offers each mentee ``k`` options among the pairs the
rules allow, with each mentor on at most ``ceil(exposure * capacity)`` lists (MentorNet showed
3 mentors per student and offered 3 more after a decline; Together shows a match only as often
as the mentor has room).

The lists solve a network-flow problem exactly, in ``k + 1`` stages (HiGHS simplex, warm
started). Variables: ``x_ij`` in [0, 1] (mentor ``j`` on mentee ``i``'s list) and ``y_it`` in
[0, 1] (mentee ``i`` has a ``t``-th option), with ``sum_j x_ij = sum_t y_it`` for each mentee
and ``sum_i x_ij <= ceil(exposure * capacity_j)`` for each mentor::

    stage t = 1..k  maximise  sum_i y_it    keeping the optima of the stages before
    stage k + 1     maximise  sum score_ij x_ij

So first as many mentees as possible get at least one option, then as many as possible a
second, and so on; among those lists, the total score is the highest. The constraints are
the arcs of a flow network (source -> level ``t`` node, with the flow of stage ``t`` as lower
bound -> mentee -> mentor -> sink), a totally unimodular matrix with whole bounds, so each
simplex optimum is integral (checked: every ``x_ij`` is 0 or 1 within 1e-6).

Above ``_FLOW_PAIRS`` (200,000) allowed pairs the same optimum is computed by two integer
min-cost flows (OR-Tools, :mod:`ementor_kit.matching._solver.shortlist_flow`); below it the
HiGHS stages above are used unchanged. The vectors ``d`` of options per mentee (each at most
``k``) over all feasible lists are the integer points of a polymatroid (the most options a set
of mentees can get together is a submodular function of the set), and the largest lists are
its bases. Among the integer bases, one minimising ``sum_i g(d_i)`` for a strictly convex
``g`` (the same for every mentee) is the least majorized base (S. Fujishige 1980,
"Lexicographically optimal base of a polymatroid with respect to a weight vector", Math. Oper.
Res. 5(2):186-196; A. Tamir 1995, "Least majorized elements and generalized polymatroids",
Math. Oper. Res. 20(3):583-589), which maximises ``sum_i min(d_i, t)`` for every ``t`` at once: the optima of stages ``1..k``. So
(A) the largest flow of least cost with the ``t``-th option of a mentee costing ``t`` gives the
level counts ``L_t = #{i : d_i >= t}``; (B) a min-cost flow with level node ``t`` supplying
exactly ``L_t`` units, and scores as integer costs (``1e9`` per point), gives the lists of
stage ``k + 1``. Tested against the HiGHS stages (same ``L_t`` for every ``t``, totals equal
within 1e-6) on random instances up to 40 x 15 (capacities 0-3, forbidden pairs, tied
scores, ``k`` 1-4, exposure 0.5-2), and once (not in the tests) on 6 random instances up to
235 x 60 and a generated programme of 700 x 210 (143,948 pairs: HiGHS 43 s, the flows 0.05 s,
same total). Among equally good lists the two methods may pick different ones (other
mentees may be the ones with fewer options). 3,000 mentees x 900 mentors (2.6 million allowed
pairs): 3.4 s wall, 2.5 s CPU (``benchmarks/bench_formats.py``; the HiGHS stages had not
finished after 1,200 s).

:meth:`Shortlist.simulate_choices` estimates how many mentees get a mentor when everyone
picks; :meth:`Shortlist.resolve` turns actual choices into pairs and re-offers to those who
lost out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice
from ementor_kit.errors import DataValidationError, EmentorKitError, InvalidArgumentError, Problem
from ementor_kit.i18n.language import N_, translator
from ementor_kit.matching._solver.model import _quiet_first_highs
from ementor_kit.matching._solver.shortlist_flow import solve_lists_flow
from ementor_kit.matching.rules import MatchRules
from ementor_kit.matching.scores import _score_matrix, _Scores

__all__ = ["Resolution", "Shortlist", "shortlist"]

RulesLike = MatchRules | Mapping[str, Any] | str | Path | None

_OPTION_COLUMNS = ("mentee_id", "rank", "mentor_id", "score", "explanation")

_FLOW_PAIRS = 200_000
"""Above this many allowed pairs the lists are solved as two min-cost flows (OR-Tools)."""


def _solve_lists(
    score: np.ndarray, allowed: np.ndarray, k: int, caps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The (rows, cols) of the options: most mentees with 1 option, then with 2, ..., then
    the highest total score (see the module docstring)."""
    n, m = allowed.shape
    r, c = np.nonzero(allowed)
    if len(r) == 0:
        return r, c
    if len(r) > _FLOW_PAIRS:
        return solve_lists_flow(score, r, c, n, m, k, caps)
    return _highs_lists(score, r, c, n, m, k, caps)


def _highs_lists(
    score: np.ndarray, r: np.ndarray, c: np.ndarray, n: int, m: int, k: int, caps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_solve_lists` by ``k + 1`` HiGHS simplex stages on the allowed pairs ``(r, c)``."""
    _quiet_first_highs()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("solver", "simplex")
    inf = highspy.kHighsInf
    # rows: mentee i (sum_j x_ij - sum_t y_it = 0), mentor j (sum_i x_ij <= cap_j)
    lower = np.zeros(n + m)
    upper = np.concatenate([np.zeros(n), caps]).astype(np.float64)
    h.addRows(n + m, lower, upper, 0, np.zeros(n + m, np.int32), np.zeros(0, np.int32), np.zeros(0))
    q = len(r)
    index = np.empty(2 * q, np.int32)
    index[0::2], index[1::2] = r, n + c
    starts = (2 * np.arange(q)).astype(np.int32)
    h.addCols(q, np.zeros(q), np.zeros(q), np.ones(q), 2 * q, starts, index, np.ones(2 * q))
    # y_it (level t of mentee i: its t-th option), columns q + t * n + i
    ny = n * k
    y_rows = np.tile(np.arange(n, dtype=np.int32), k)
    h.addCols(
        ny,
        np.zeros(ny),
        np.zeros(ny),
        np.ones(ny),
        ny,
        np.arange(ny, dtype=np.int32),
        y_rows,
        -np.ones(ny),
    )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    for t in range(k):
        cols = (q + t * n + np.arange(n)).astype(np.int32)
        h.changeColsCost(ny + q, np.arange(ny + q, dtype=np.int32), np.zeros(ny + q))
        h.changeColsCost(n, cols, np.ones(n))
        h.run()
        best = float(np.round(h.getInfo().objective_function_value))
        h.addRow(best, inf, n, cols, np.ones(n))  # a whole bound keeps vertices whole
    h.changeColsCost(ny + q, np.arange(ny + q, dtype=np.int32), np.zeros(ny + q))
    h.changeColsCost(q, np.arange(q, dtype=np.int32), score[r, c].astype(np.float64))
    h.run()
    x = np.asarray(h.getSolution().col_value)[:q]
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal or np.any(
        np.abs(x - np.round(x)) > 1e-6
    ):  # pragma: no cover - a network-flow polytope has integral basic optima
        raise EmentorKitError(N_("shortlist: the solver did not return an integral optimum"))
    used = np.round(x) == 1
    return r[used], c[used]


def _explanations(sc: _Scores, rows: np.ndarray, cols: np.ndarray) -> list[str]:
    """``score 72.5: skills +30.0, goals +20.0, ...`` (the pair's contributions, as in
    :attr:`MatchResult.pairs`, largest first, zeros left out)."""
    contrib = sc.pair_contributions(rows, cols)
    names = list(sc.rules.criterion_names)
    table = np.column_stack([contrib[c] for c in names]) if names else np.zeros((len(rows), 0))
    out = []
    for p in range(len(rows)):
        order = sorted(range(len(names)), key=lambda q: (-table[p, q], q))
        parts = [f"{names[q]} +{table[p, q]:.1f}" for q in order if table[p, q] > 0]
        out.append(f"score {sc.score[rows[p], cols[p]]:.1f}: " + (", ".join(parts) or "none"))
    return out


def _options_frame(sc: _Scores, rows: np.ndarray, cols: np.ndarray) -> pd.DataFrame:
    s = sc.score[rows, cols]
    order = np.lexsort((sc.mentor_ids[cols].astype(str), -s, rows))
    rows, cols, s = rows[order], cols[order], s[order]
    rank = np.zeros(len(rows), np.int64)
    for p in range(len(rows)):
        rank[p] = 1 if p == 0 or rows[p] != rows[p - 1] else rank[p - 1] + 1
    return pd.DataFrame(
        {
            "mentee_id": pd.array(sc.mentee_ids[rows], dtype="str"),
            "rank": rank,
            "mentor_id": pd.array(sc.mentor_ids[cols], dtype="str"),
            "score": s.astype(np.float64),
            "explanation": pd.array(_explanations(sc, rows, cols), dtype="str"),
        }
    )


def _short_frame(
    sc: _Scores, who: np.ndarray, allowed: np.ndarray, got: np.ndarray, k: int
) -> pd.DataFrame:
    """Mentees with fewer than ``k`` options and why."""
    n_allowed = allowed.sum(axis=1)
    rows = []
    for i in who[got[who] < k].tolist():
        if n_allowed[i] < k:
            reason = f"only {int(n_allowed[i])} mentor(s) allowed by the rules"
        else:
            reason = "the exposure caps of the allowed mentors are used by other mentees' lists"
        rows.append(
            {
                "mentee_id": str(sc.mentee_ids[i]),
                "options": int(got[i]),
                "allowed": int(n_allowed[i]),
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=["mentee_id", "options", "allowed", "reason"]).astype(
        {"mentee_id": "str", "options": "int64", "allowed": "int64", "reason": "str"}
    )


def _build(
    sc: _Scores, who: np.ndarray, caps: np.ndarray, exclude: np.ndarray | None, k: int
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Options of the mentees ``who`` (rows) under list caps ``caps``, pairs in ``exclude``
    left out; returns (options, short, lists per mentor)."""
    n, m = sc.score.shape
    allowed = sc.excluded == 0
    if exclude is not None:
        allowed = allowed & ~exclude
    mask = np.zeros(n, bool)
    mask[who] = True
    allowed = allowed & mask[:, None] & (caps > 0)[None, :]
    rows, cols = _solve_lists(sc.score, allowed, k, caps)
    got = np.bincount(rows, minlength=n)
    feasible = (sc.excluded == 0) if exclude is None else (sc.excluded == 0) & ~exclude
    return (
        _options_frame(sc, rows, cols),
        _short_frame(sc, who, feasible, got, k),
        np.bincount(cols, minlength=m),
    )


@dataclass(frozen=True, eq=False)
class Resolution:
    """Actual choices turned into pairs (:meth:`Shortlist.resolve`).

    Attributes
    ----------
    pairs : DataFrame
        ``mentee_id``, ``mentor_id``, ``score``, ``choice`` (rank of the mentor among the
        mentee's choices, 1 = first choice).
    lost_out : DataFrame
        ``mentee_id``, ``reason`` (a sentence in the language of :meth:`Shortlist.resolve`):
        mentees who chose but got none of their choices.
    reoffer : Shortlist
        New lists for the mentees who lost out, from the mentors' remaining capacity (the
        mentors they chose and did not get left out).

    Examples
    --------
    >>> import pandas as pd
    >>> from ementor_kit.datasets import example_profiles
    >>> lists = shortlist(*example_profiles(), k=1)
    >>> picks = pd.DataFrame({"mentee_id": ["E001", "E002"], "mentor_id": ["M001", "M002"]})
    >>> lists.resolve(picks).pairs[["mentee_id", "mentor_id", "choice"]]
      mentee_id mentor_id  choice
    0      E001      M001       1
    1      E002      M002       1
    """

    pairs: pd.DataFrame
    lost_out: pd.DataFrame
    reoffer: Shortlist


@dataclass(frozen=True, eq=False)
class Shortlist:
    """``k`` options per mentee, each mentor on at most ``ceil(exposure * capacity)`` lists.

    Attributes
    ----------
    options : DataFrame
        ``mentee_id``, ``rank`` (1 = highest score on the list), ``mentor_id``, ``score``,
        ``explanation`` (the criteria's contributions, largest first).
    short : DataFrame
        Mentees with fewer than ``k`` options: ``mentee_id``, ``options``, ``allowed``
        (mentors the rules allow), ``reason``.
    mentors : DataFrame
        ``mentor_id``, ``capacity``, ``exposure_cap``, ``lists`` (lists the mentor is on).
    k : int
    exposure : float
    total_score : float
        Sum of the options' scores (the optimum of the stage-2 problem).

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> shortlist(*example_profiles(), k=1).options[["mentee_id", "rank", "mentor_id"]]
      mentee_id  rank mentor_id
    0      E001     1      M001
    1      E002     1      M002
    """

    options: pd.DataFrame
    short: pd.DataFrame
    mentors: pd.DataFrame
    k: int
    exposure: float
    total_score: float
    _scores: _Scores = field(repr=False)
    _capacity: np.ndarray = field(repr=False)

    def __repr__(self) -> str:
        n = self.options["mentee_id"].nunique()
        return (
            f"Shortlist(k={self.k}, exposure={self.exposure:g}, {len(self.options)} options "
            f"for {n} mentees, {len(self.short)} with fewer than {self.k})"
        )

    # ------------------------------------------------------------------ resolve
    def _choices(self, choices: Any) -> pd.DataFrame:
        if not isinstance(choices, pd.DataFrame):
            raise InvalidArgumentError(
                "choices", choices, N_("pass a DataFrame with columns mentee_id, mentor_id[, rank]")
            )
        missing = [c for c in ("mentee_id", "mentor_id") if c not in choices.columns]
        if missing:
            raise DataValidationError(
                [
                    Problem(
                        "choices",
                        c,
                        (),
                        N_("column is missing"),
                        N_("add the column (one row a choice)"),
                    )
                    for c in missing
                ]
            )
        df = choices.reset_index(drop=True).copy()
        df["mentee_id"] = df["mentee_id"].astype(str).str.strip()
        df["mentor_id"] = df["mentor_id"].astype(str).str.strip()
        if "rank" not in df.columns:
            df["rank"] = 1
        line = df.index.to_numpy() + 2
        sc = self._scores
        on_list = set(zip(self.options["mentee_id"], self.options["mentor_id"], strict=True))
        known_e, known_m = set(sc.mentee_ids.tolist()), set(sc.mentor_ids.tolist())
        problems = []
        checks = (
            (
                "mentee_id",
                ~df["mentee_id"].isin(known_e),
                "unknown mentee id",
                "use an id of the shortlist's mentees (Shortlist.options.mentee_id)",
            ),
            (
                "mentor_id",
                ~df["mentor_id"].isin(known_m),
                "unknown mentor id",
                "use an id of the programme's mentors",
            ),
        )
        for col, bad, msg, fix in checks:
            if bad.any():
                vals = sorted(set(df.loc[bad, col]))[:5]
                problems.append(Problem("choices", col, tuple(line[bad]), f"{msg}: {vals}", fix))
        rank = pd.to_numeric(df["rank"], errors="coerce")
        bad = rank.isna() | (rank < 1) | (rank != rank.round())
        if bad.any():
            problems.append(
                Problem(
                    "choices",
                    "rank",
                    tuple(line[bad]),
                    N_("rank is not a whole number >= 1"),
                    N_("write 1 for the first choice, 2 for the second..."),
                )
            )
        ok = ~(~df["mentee_id"].isin(known_e) | ~df["mentor_id"].isin(known_m))
        off = ok & ~pd.Series(
            [(e, m) in on_list for e, m in zip(df["mentee_id"], df["mentor_id"], strict=True)]
        )
        if off.any():
            ex = [
                f"{e}->{m}"
                for e, m in zip(df.loc[off, "mentee_id"], df.loc[off, "mentor_id"], strict=True)
            ][:5]
            problems.append(
                Problem(
                    "choices",
                    "mentor_id",
                    tuple(line[off]),
                    N_("mentor not on the mentee's shortlist: {ex}").format(ex=ex),
                    N_(
                        "choose among the mentee's options (Shortlist.options), or make the "
                        "pair a required pair of the rules and pair again"
                    ),
                )
            )
        dup = df.duplicated(["mentee_id", "mentor_id"], keep=False)
        dup_rank = df.duplicated(["mentee_id", "rank"], keep=False)
        for bad, msg in ((dup, "same mentor chosen twice"), (dup_rank, "same rank used twice")):
            if bad.any():
                problems.append(
                    Problem(
                        "choices",
                        "rank" if "rank" in msg else "mentor_id",
                        tuple(line[bad]),
                        N_("{msg} by one mentee").format(msg=msg),
                        N_("give each mentee's choices distinct mentors and ranks 1, 2, ..."),
                    )
                )
        if problems:
            raise DataValidationError(problems)
        df["rank"] = rank.astype(np.int64)
        return df

    def resolve(self, choices: pd.DataFrame, *, lang: str | None = None) -> Resolution:
        """Turn the mentees' actual choices into pairs, re-offering to those who lost out.

        Priority rule: mentee-proposing deferred acceptance on the choices. Each mentee
        proposes in the order of its ``rank`` (1 first); a mentor with more proposals than
        capacity keeps the mentees with the highest score, then the lowest mentee id. With
        one choice per mentee this is: the mentor keeps its best-scoring choosers. The result
        is stable: no mentee prefers a chosen mentor who would rather have them.

        Parameters
        ----------
        choices : DataFrame
            ``mentee_id``, ``mentor_id`` and optionally ``rank`` (whole numbers >= 1, 1 when
            absent), one row per choice; every choice must be on the mentee's shortlist.
        lang : str, optional
            Language of the ``reason`` sentences of ``lost_out`` (``"en"``, ``"fr"``;
            default the process language, :func:`~ementor_kit.i18n.set_language`).

        Returns
        -------
        Resolution
            The pairs, who lost out, and a new shortlist for them.

        Raises
        ------
        DataValidationError
            Unknown ids, choices outside the mentee's list, repeated mentors or ranks, ranks
            that are not whole numbers (naming the rows, the header being row 1).

        Examples
        --------
        >>> from ementor_kit.datasets import example_profiles
        >>> s = shortlist(*example_profiles(), k=1)
        >>> r = s.resolve(s.options[["mentee_id", "mentor_id"]])
        >>> r.pairs[["mentee_id", "mentor_id", "choice"]]
          mentee_id mentor_id  choice
        0      E001      M001       1
        1      E002      M002       1
        """
        df = self._choices(choices)
        sc = self._scores
        e_pos = {v: i for i, v in enumerate(sc.mentee_ids.tolist())}
        m_pos = {v: j for j, v in enumerate(sc.mentor_ids.tolist())}
        df = df.sort_values(["mentee_id", "rank"], kind="stable")
        prefs: dict[int, list[int]] = {}
        for e, m in zip(df["mentee_id"], df["mentor_id"], strict=True):
            prefs.setdefault(e_pos[e], []).append(m_pos[m])
        held = _deferred_acceptance(prefs, sc.score, self._capacity)
        rows = np.array(sorted(held), dtype=np.int64)
        cols = np.array([held[i] for i in rows], dtype=np.int64)
        choice = [prefs[i].index(held[i]) + 1 for i in rows.tolist()]
        pairs = pd.DataFrame(
            {
                "mentee_id": pd.array(sc.mentee_ids[rows], dtype="str"),
                "mentor_id": pd.array(sc.mentor_ids[cols], dtype="str"),
                "score": sc.score[rows, cols].astype(np.float64),
                "choice": np.asarray(choice, dtype=np.int64),
            }
        )
        lost = np.array(sorted(set(prefs) - set(held)), dtype=np.int64)
        full = translator(lang).gettext(N_("every mentor chosen was full"))
        lost_out = pd.DataFrame(
            {
                "mentee_id": pd.array(sc.mentee_ids[lost], dtype="str"),
                "reason": pd.array([full] * len(lost), dtype="str"),
            }
        )
        left = self._capacity - np.bincount(cols, minlength=len(self._capacity))
        tried = np.zeros(sc.score.shape, bool)
        for i, js in prefs.items():
            tried[i, js] = True
        reoffer = _shortlist(sc, left, lost, tried, self.k, self.exposure)
        return Resolution(pairs, lost_out, reoffer)

    # ------------------------------------------------------------------ simulate
    def simulate_choices(
        self,
        n: int = 200,
        *,
        seed: int = 0,
        model: str = "first",
        temperature: float = 10.0,
        decline: float = 0.0,
        max_rounds: int = 5,
    ) -> pd.DataFrame:
        """Estimate how many mentees get a mentor when everyone picks from their list.

        Each simulated run goes in rounds. Every unpaired mentee with options left picks one
        (``model="first"``: its highest-scoring option; ``"logit"``: option ``j`` with
        probability proportional to ``exp(score_j / temperature)``). A mentor keeps the picks
        it has room for by the rule of :meth:`resolve` (highest score, then lowest id); each
        kept pick is declined by the mentor with probability ``decline`` (MentorNet). A
        mentee who is turned down drops that mentor; a mentee whose list is used up gets a
        re-offer: a new shortlist of ``k`` from the mentors' remaining capacity, leaving out
        the mentors already tried. The run stops when no unpaired mentee has an option or
        after ``max_rounds`` rounds.

        Parameters
        ----------
        n : int, default 200
            Number of simulated runs (seeds ``seed, seed + 1, ...``: the result is
            deterministic for a seed).
        seed : int, default 0
            Seed of the first run.
        model : {"first", "logit"}
        temperature : float, default 10.0
            Score points per unit of log-odds in the logit model (> 0).
        decline : float, default 0.0
            Probability that a mentor declines a mentee who picked them (0-1).
        max_rounds : int, default 5
            Rounds of picks (>= 1).

        Returns
        -------
        DataFrame
            One row per measure (``paired``: mentees paired, ``paired_share``, ``rounds``:
            rounds until nobody could pick any more, ``reoffers``: new lists given,
            ``declines``), columns ``mean``, ``p05``, ``p95``, ``min``, ``max``.

        Examples
        --------
        >>> from ementor_kit.datasets import example_profiles
        >>> s = shortlist(*example_profiles(), k=1)
        >>> float(s.simulate_choices(n=3, seed=1).loc["paired_share", "mean"])
        1.0
        """
        check_choice("model", model, ("first", "logit"))
        for name, value, lo, hi in (
            ("n", n, 1, math.inf),
            ("max_rounds", max_rounds, 1, math.inf),
        ):
            if (
                not isinstance(value, (int, np.integer))
                or isinstance(value, bool)
                or not (lo <= value <= hi)
            ):
                raise InvalidArgumentError(name, value, N_("use a whole number >= 1"))
        if not (isinstance(decline, (int, float)) and 0.0 <= decline <= 1.0):
            raise InvalidArgumentError("decline", decline, N_("use a probability between 0 and 1"))
        if not (isinstance(temperature, (int, float)) and temperature > 0):
            raise InvalidArgumentError("temperature", temperature, N_("use a number > 0"))
        runs = [
            self._one_run(np.random.default_rng(seed + s), model, temperature, decline, max_rounds)
            for s in range(n)
        ]
        table = pd.DataFrame(runs)
        n_mentees = len(self._scores.mentee_ids)
        table.insert(1, "paired_share", table["paired"] / max(n_mentees, 1))
        out = pd.DataFrame(
            {
                "mean": table.mean(),
                "p05": table.quantile(0.05),
                "p95": table.quantile(0.95),
                "min": table.min().astype(np.float64),
                "max": table.max().astype(np.float64),
            }
        )
        out.index.name = "measure"
        return out

    def _one_run(
        self,
        rng: np.random.Generator,
        model: str,
        temperature: float,
        decline: float,
        max_rounds: int,
    ) -> dict[str, float]:
        # one simulated run: rounds of picks, mentor priority, declines, re-offers (a loop of
        # simple steps kept together so that the order of random draws stays obvious)
        sc = self._scores
        n, m = sc.score.shape
        e_pos = {v: i for i, v in enumerate(sc.mentee_ids.tolist())}
        m_pos = {v: j for j, v in enumerate(sc.mentor_ids.tolist())}
        lists: dict[int, list[int]] = {}
        for e, mm in zip(self.options["mentee_id"], self.options["mentor_id"], strict=True):
            lists.setdefault(e_pos[e], []).append(m_pos[mm])
        left = self._capacity.astype(np.int64).copy()
        tried = np.zeros((n, m), bool)
        paired: set[int] = set()
        reoffers = declines = rounds = 0
        for _ in range(max_rounds):
            pickers = [i for i in sorted(lists) if i not in paired and lists[i]]
            if not pickers:
                break
            rounds += 1
            picks: dict[int, list[int]] = {}
            for i in pickers:
                opts = lists[i]
                if model == "first":
                    j = opts[0]
                else:
                    w = sc.score[i, opts] / temperature
                    p = np.exp(w - w.max())
                    j = opts[int(rng.choice(len(opts), p=p / p.sum()))]
                picks.setdefault(j, []).append(i)
            for j in sorted(picks):
                order = sorted(picks[j], key=lambda i: (-sc.score[i, j], i))
                for i in order:
                    tried[i, j] = True
                    lists[i].remove(j)
                    if left[j] > 0 and rng.random() >= decline:
                        paired.add(i)
                        left[j] -= 1
                    elif left[j] > 0:
                        declines += 1
            empty = np.array([i for i in pickers if i not in paired and not lists[i]], np.int64)
            if len(empty):
                new = _build(sc, empty, _caps(left, self.exposure), tried, self.k)[0]
                for e, mm in zip(new["mentee_id"], new["mentor_id"], strict=True):
                    lists.setdefault(e_pos[e], []).append(m_pos[mm])
                reoffers += int(new["mentee_id"].nunique())
        return {
            "paired": float(len(paired)),
            "rounds": float(rounds),
            "reoffers": float(reoffers),
            "declines": float(declines),
        }


def _deferred_acceptance(
    prefs: Mapping[int, list[int]], score: np.ndarray, capacity: np.ndarray
) -> dict[int, int]:
    """Mentee-proposing deferred acceptance; mentors prefer higher score, then lower row."""
    nxt = dict.fromkeys(prefs, 0)
    held: dict[int, list[int]] = {}
    queue = sorted(prefs, reverse=True)
    while queue:
        i = queue.pop()
        while nxt[i] < len(prefs[i]):
            j = prefs[i][nxt[i]]
            nxt[i] += 1
            if capacity[j] <= 0:
                continue
            h = held.setdefault(j, [])
            h.append(i)
            if len(h) <= capacity[j]:
                break
            worst = min(h, key=lambda e: (score[e, j], -e))
            h.remove(worst)
            if worst != i:
                queue.append(worst)
                break
    return {i: j for j, h in held.items() for i in h}


def _caps(capacity: np.ndarray, exposure: float) -> np.ndarray:
    return np.ceil(exposure * np.maximum(capacity, 0) - 1e-9).astype(np.int64)


def _shortlist(
    sc: _Scores,
    capacity: np.ndarray,
    who: np.ndarray,
    exclude: np.ndarray | None,
    k: int,
    exposure: float,
) -> Shortlist:
    caps = _caps(capacity, exposure)
    options, short, lists = _build(sc, who, caps, exclude, k)
    mentors = pd.DataFrame(
        {
            "mentor_id": pd.array(sc.mentor_ids, dtype="str"),
            "capacity": np.asarray(capacity, np.int64),
            "exposure_cap": caps,
            "lists": lists.astype(np.int64),
        }
    )
    return Shortlist(
        options, short, mentors, k, exposure, float(options["score"].sum()), sc, capacity
    )


def shortlist(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: RulesLike = None,
    *,
    k: int = 3,
    exposure: float = 1.5,
) -> Shortlist:
    """Offer each mentee ``k`` mentors to choose from, no mentor on too many lists.

    Among the pairs the rules allow, each mentee gets up to ``k`` options and each mentor is
    on at most ``ceil(exposure * capacity)`` lists. The lists give as many options as these
    limits allow, then the highest total score (an exact transportation problem, see
    :mod:`ementor_kit.matching.shortlist`). Required pairs of the rules are not forced onto
    the lists; group quotas are not enforced.

    Parameters
    ----------
    mentors, mentees : DataFrame
        Profile tables (raw or validated), see :mod:`ementor_kit.data.schema`.
    rules : MatchRules, dict, YAML path or text, optional
        Scores and hard rules, as for :func:`~ementor_kit.matching.match`.
    k : int, default 3
        Options per mentee (>= 1).
    exposure : float, default 1.5
        Lists per place of a mentor (> 0): a capacity-2 mentor is on at most 3 lists.

    Returns
    -------
    Shortlist
        The options, the mentees with fewer than ``k`` and why, each mentor's lists.

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> s = shortlist(*example_profiles(), k=2)
    >>> s.options[["mentee_id", "rank", "mentor_id"]]
      mentee_id  rank mentor_id
    0      E001     1      M001
    1      E002     1      M002
    2      E002     2      M001
    >>> s.short[["mentee_id", "reason"]]
      mentee_id                                 reason
    0      E001  only 1 mentor(s) allowed by the rules
    """
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise InvalidArgumentError("k", k, N_("use a whole number >= 1 (options per mentee)"))
    if (
        not isinstance(exposure, (int, float))
        or isinstance(exposure, bool)
        or not math.isfinite(exposure)
        or exposure <= 0
    ):
        raise InvalidArgumentError("exposure", exposure, N_("use a number > 0 (lists per place)"))
    sc = _score_matrix(mentors, mentees, MatchRules.coerce(rules))
    who = np.arange(len(sc.mentee_ids), dtype=np.int64)
    return _shortlist(sc, sc.capacity.copy(), who, None, int(k), float(exposure))
