"""Compatibility scores of every (mentee, mentor) pair, and the hard rules that exclude pairs.

Criteria
--------
Each criterion gives a value ``v`` in [0, 1] for a pair (mentee ``e``, mentor ``m``). The score
is the weighted mean of the values on a 0-100 scale, ``score = 100 * sum(w_c v_c) / sum(w_c)``,
and the contribution of criterion ``c`` is ``100 * w_c v_c / sum(w)`` (contributions add up to
the score, so they read as "points out of 100").

``skills``
    ``|sought(e) & offered(m)| / |sought(e)|``: share of the skills the mentee seeks that the
    mentor offers (1 when the mentee seeks nothing in particular).
``goals``
    ``|goals(e) & goals(m)| / |goals(e)|``: share of the mentee's goal categories the mentor can
    support (1 when the mentee listed none).
``domain``
    1 when both work in the same professional field, else 0.
``timezone``
    ``1 - need * (1 - overlap)``. ``overlap = max(0, W - d) / W`` is the share of a daytime
    window of ``W = timezone_window_hours`` hours the two share, where ``d`` is the distance
    between the UTC offsets on the 24-hour clock (``min(|a-b| mod 24, 24 - |a-b| mod 24)``).
    ``need`` is how much the pair depends on live exchanges: 1 when either prefers ``sync``,
    0.5 when either prefers ``mixed`` (and neither ``sync``), 0 when both prefer ``async``.
``modality``
    1 for the same preferred mode, 0.5 when one of the two prefers ``mixed``, 0 for
    ``sync`` with ``async``.
``availability``
    ``min(1, (hours(m) / capacity(m)) / hours(e))``: share of the mentee's wanted weekly hours
    the mentor can give each of their mentees (1 when the mentee asks for 0 hours).
``experience``
    ``clip((years(m) - years(e)) / N, 0, 1)`` with ``N = min_experience_gap``: 1 when the
    mentor is at least ``N`` years more senior, 0 when not more senior at all (``N = 0``: 1 when
    the mentor is at least as experienced).
``digital``
    ``1 - need * (1 - support)`` with ``need = (5 - comfort(e)) / 4`` and
    ``support = (comfort(m) - 1) / 4``: a mentee at ease with digital tools (5) is fine with
    anybody; a mentee with comfort 1 gets the mentor's comfort level.

Hard rules
----------
A pair is infeasible when any of these applies (``excluded_by`` lists them, joined by ``+``):
``language`` (no shared language, rule ``shared_language``), ``same_department`` (same
organisation and department, compared case-insensitively; rule ``no_same_department``),
``forbidden`` (listed in ``forbidden_pairs``), ``no_capacity`` (the mentor's capacity is 0),
``required_elsewhere`` (the mentee has a required pair with another mentor), ``min_score``
(score below ``min_score``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data.schema import DOMAINS, GOAL_CATEGORIES, LANGUAGES, MODALITIES, SKILLS
from ementor_kit.data.validation import validate
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem
from ementor_kit.matching.rules import CRITERIA, MatchRules

__all__ = ["EXCLUSION_RULES", "score_pairs"]

EXCLUSION_RULES: tuple[str, ...] = (
    "language",
    "same_department",
    "forbidden",
    "no_capacity",
    "required_elsewhere",
    "min_score",
)
"""Names used in ``excluded_by``, in the order they are listed."""

_BIT = {name: np.uint8(1 << k) for k, name in enumerate(EXCLUSION_RULES)}


def _validated(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Validate one profile table and sort it by id (results never depend on row order)."""
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(
            table, df, f"pass the {table} table as a pandas DataFrame (e.g. read_table(...))"
        )
    out = validate(df, table)
    key = "mentor_id" if table == "mentors" else "mentee_id"
    return out.sort_values(key, kind="stable").reset_index(drop=True)


def _multi_hot(values: pd.Series, vocabulary: tuple[str, ...]) -> np.ndarray:
    index = {v: k for k, v in enumerate(vocabulary)}
    out = np.zeros((len(values), len(vocabulary)), dtype=np.float32)
    for r, items in enumerate(values):
        for x in items:
            out[r, index[x]] = 1.0
    return out


def _norm(s: pd.Series) -> pd.Series:
    return s.astype("str").str.strip().str.casefold()


@dataclass(frozen=True, eq=False)
class _Features:
    """Numeric arrays of one side (mentees or mentors), rows in id order."""

    ids: np.ndarray
    languages: np.ndarray
    skills: np.ndarray
    goals: np.ndarray
    domain: np.ndarray
    utc_offset: np.ndarray
    modality: np.ndarray
    hours: np.ndarray
    digital: np.ndarray
    years: np.ndarray
    org_dept: np.ndarray = field(repr=False)

    def take(self, rows: np.ndarray) -> _Features:
        return _Features(**{k: getattr(self, k)[rows] for k in self.__dataclass_fields__})


def _features(df: pd.DataFrame, role: str, org_codes: np.ndarray) -> _Features:
    mentor = role == "mentor"
    return _Features(
        ids=df["mentor_id" if mentor else "mentee_id"].to_numpy(dtype=object),
        languages=_multi_hot(df["languages"], LANGUAGES),
        skills=_multi_hot(df["skills_offered" if mentor else "skills_sought"], SKILLS),
        goals=_multi_hot(df["goals"], GOAL_CATEGORIES),
        domain=df["domain"].map({d: k for k, d in enumerate(DOMAINS)}).to_numpy(dtype=np.int64),
        utc_offset=df["utc_offset"].to_numpy(dtype=np.float64),
        modality=df["modality"]
        .map({d: k for k, d in enumerate(MODALITIES)})
        .to_numpy(dtype=np.int64),
        hours=df["availability_hours"].to_numpy(dtype=np.float64),
        digital=df["digital_comfort"].to_numpy(dtype=np.float64),
        years=df["years_experience"].to_numpy(dtype=np.float64),
        org_dept=org_codes,
    )


# modality compatibility, rows = mentee mode, columns = mentor mode, order of MODALITIES
_MODALITY = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.5, 0.5, 1.0]])
# how much a pair needs live (synchronous) exchange, same layout
_SYNC_NEED = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.5], [1.0, 0.5, 0.5]])


def _share(a: np.ndarray, b: np.ndarray, paired: bool = False) -> np.ndarray:
    """``|a_i & b_j| / |a_i|`` for multi-hot rows (1 when ``a_i`` is empty)."""
    if paired:
        inter = (a * b).sum(axis=1, dtype=np.float64)
        size = a.sum(axis=1, dtype=np.float64)
    else:
        inter = (a @ b.T).astype(np.float64)
        size = a.sum(axis=1, dtype=np.float64)[:, None]
    return np.divide(
        inter, size, out=np.ones(np.broadcast_shapes(inter.shape, size.shape)), where=size > 0
    )


def _criterion_values(
    fe: _Features,
    fm: _Features,
    capacity: np.ndarray,
    rules: MatchRules,
    name: str,
    paired: bool = False,
) -> np.ndarray:
    """Value in [0, 1] of one criterion; see the module documentation for the formulas.

    Every (mentee row, mentor column) pair as a matrix; with ``paired``, ``fe`` and ``fm`` have
    the same length and row ``k`` of one goes with row ``k`` of the other (a vector). Both
    forms do the same arithmetic on each pair, so they give identical numbers.
    """

    def e(x: np.ndarray) -> np.ndarray:
        return x if paired else x[:, None]

    def m(x: np.ndarray) -> np.ndarray:
        return x if paired else x[None, :]

    if name == "skills":
        return _share(fe.skills, fm.skills, paired)
    if name == "goals":
        return _share(fe.goals, fm.goals, paired)
    if name == "domain":
        return (e(fe.domain) == m(fm.domain)).astype(np.float64)
    if name == "timezone":
        d = np.abs(e(fe.utc_offset) - m(fm.utc_offset)) % 24.0
        d = np.minimum(d, 24.0 - d)
        w = rules.timezone_window_hours
        overlap = np.clip((w - d) / w, 0.0, 1.0)
        need = _SYNC_NEED[e(fe.modality), m(fm.modality)]
        return 1.0 - need * (1.0 - overlap)
    if name == "modality":
        return _MODALITY[e(fe.modality), m(fm.modality)]
    if name == "availability":
        per_mentee = m(fm.hours / np.maximum(capacity, 1))
        want = e(fe.hours)
        shape = np.broadcast_shapes(per_mentee.shape, want.shape)
        ratio = np.divide(per_mentee, want, out=np.ones(shape), where=want > 0)
        return np.minimum(ratio, 1.0)
    if name == "experience":
        gap = m(fm.years) - e(fe.years)
        n = rules.min_experience_gap
        if n > 0:
            return np.clip(gap / n, 0.0, 1.0)
        return (gap >= 0).astype(np.float64)
    if name == "digital":
        need = (5.0 - e(fe.digital)) / 4.0
        support = (m(fm.digital) - 1.0) / 4.0
        return 1.0 - need * (1.0 - support)
    raise AssertionError(f"no formula for criterion {name!r}")  # CRITERIA and this disagree


@dataclass(frozen=True, eq=False)
class _Scores:
    """Dense score matrix (mentees x mentors, both in id order) and everything derived."""

    rules: MatchRules
    mentees: pd.DataFrame
    mentors: pd.DataFrame
    fe: _Features
    fm: _Features
    capacity: np.ndarray  # int64 per mentor, after overrides
    score: np.ndarray  # float64 (n_mentees, n_mentors)
    excluded: np.ndarray  # uint8 bit mask of EXCLUSION_RULES
    required: dict[int, int]  # mentee row -> mentor column

    @property
    def mentee_ids(self) -> np.ndarray:
        return self.fe.ids

    @property
    def mentor_ids(self) -> np.ndarray:
        return self.fm.ids

    @property
    def feasible(self) -> np.ndarray:
        return self.excluded == 0

    def contributions(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Contribution (points) of every criterion for the given mentee rows."""
        fe = self.fe.take(np.asarray(rows))
        return _contributions(fe, self.fm, self.capacity, self.rules)

    def pair_contributions(self, rows: np.ndarray, cols: np.ndarray) -> dict[str, np.ndarray]:
        """Contribution (points) of every criterion for the pairs ``(rows[k], cols[k])``."""
        rows, cols = np.asarray(rows), np.asarray(cols)
        fe, fm = self.fe.take(rows), self.fm.take(cols)
        total = sum(self.rules.weights.values())
        out = {}
        for c in CRITERIA:
            w = self.rules.weights[c]
            if w > 0:
                v = _criterion_values(fe, fm, self.capacity[cols], self.rules, c, paired=True)
                out[c] = v * (100.0 * w / total)
            else:
                out[c] = np.zeros(len(rows))
        return out

    def reasons(self, mask: np.ndarray | np.uint8) -> list[str]:
        """Names of the rules set in one bit mask."""
        return [name for name in EXCLUSION_RULES if int(mask) & int(_BIT[name])]


def _contributions(
    fe: _Features, fm: _Features, capacity: np.ndarray, rules: MatchRules
) -> dict[str, np.ndarray]:
    total = sum(rules.weights.values())
    out = {}
    for c in CRITERIA:
        w = rules.weights[c]
        if w > 0:
            out[c] = _criterion_values(fe, fm, capacity, rules, c) * (100.0 * w / total)
        else:
            out[c] = np.zeros((len(fe.ids), len(fm.ids)))
    return out


def _total_score(
    fe: _Features, fm: _Features, capacity: np.ndarray, rules: MatchRules
) -> np.ndarray:
    """Sum of the contributions, one criterion at a time (one criterion matrix in memory).

    The order of the additions is fixed (``CRITERIA`` order), so the sums are identical to
    the ones of :func:`_contributions` for any subset of rows.
    """
    total = sum(rules.weights.values())
    score = None
    for c in rules.criteria:
        part = _criterion_values(fe, fm, capacity, rules, c)
        part *= 100.0 * rules.weights[c] / total
        if score is None:
            score = part
        else:
            score += part
            del part
    assert score is not None  # rules guarantee a positive weight
    return score


def _unknown_ids(ids: list[str], known: set[str], key: str, what: str) -> list[Problem]:
    bad = sorted({i for i in ids if i not in known})
    if not bad:
        return []
    return [
        Problem(
            "rules",
            key,
            (),
            f"unknown {what} id(s): {', '.join(bad[:10])}",
            f"use ids from {what}s.csv or remove them from the rules",
        )
    ]


def _score_matrix(
    mentors: pd.DataFrame, mentees: pd.DataFrame, rules: MatchRules | Any = None
) -> _Scores:
    rules = MatchRules.coerce(rules)
    mentors = _validated(mentors, "mentors")
    mentees = _validated(mentees, "mentees")
    mentor_ids = mentors["mentor_id"].to_numpy(dtype=object)
    mentee_ids = mentees["mentee_id"].to_numpy(dtype=object)
    mentor_pos = {k: j for j, k in enumerate(mentor_ids)}
    mentee_pos = {k: i for i, k in enumerate(mentee_ids)}

    problems: list[Problem] = []
    for key in ("forbidden_pairs", "required_pairs"):
        pairs = getattr(rules, key)
        problems += _unknown_ids([p[0] for p in pairs], set(mentee_pos), key, "mentee")
        problems += _unknown_ids([p[1] for p in pairs], set(mentor_pos), key, "mentor")
    problems += _unknown_ids(
        list(rules.capacity_override), set(mentor_pos), "capacity_override", "mentor"
    )
    if problems:
        raise DataValidationError(problems)

    capacity = mentors["capacity"].to_numpy(dtype=np.int64).copy()
    for k, v in rules.capacity_override.items():
        capacity[mentor_pos[k]] = v

    org = pd.concat(
        [
            _norm(mentees["organisation"]) + "\x1f" + _norm(mentees["department"]),
            _norm(mentors["organisation"]) + "\x1f" + _norm(mentors["department"]),
        ]
    )
    codes, _ = pd.factorize(org)
    fe = _features(mentees, "mentee", codes[: len(mentees)])
    fm = _features(mentors, "mentor", codes[len(mentees) :])

    score = _total_score(fe, fm, capacity, rules)

    excluded = np.zeros(score.shape, dtype=np.uint8)
    if rules.shared_language:
        shared = (fe.languages @ fm.languages.T) > 0
        excluded |= np.where(shared, np.uint8(0), _BIT["language"])
    if rules.no_same_department:
        same = fe.org_dept[:, None] == fm.org_dept[None, :]
        excluded |= np.where(same, _BIT["same_department"], np.uint8(0))
    for e, m in rules.forbidden_pairs:
        excluded[mentee_pos[e], mentor_pos[m]] |= _BIT["forbidden"]
    excluded[:, capacity == 0] |= _BIT["no_capacity"]
    required = {}
    for e, m in rules.required_pairs:
        i, j = mentee_pos[e], mentor_pos[m]
        if i in required:
            # two required mentors for one mentee: reported by match(); keep the first here
            continue
        required[i] = j
        others = np.ones(len(mentor_ids), dtype=bool)
        others[j] = False
        excluded[i, others] |= _BIT["required_elsewhere"]
    if rules.min_score > 0:
        excluded |= np.where(score < rules.min_score, _BIT["min_score"], np.uint8(0))
    return _Scores(rules, mentees, mentors, fe, fm, capacity, score, excluded, required)


def _excluded_labels(excluded: np.ndarray) -> pd.Categorical:
    """Categorical ``excluded_by`` labels ('' when feasible) of a flat bit-mask array."""
    masks = np.unique(excluded)
    labels = ["+".join(n for n in EXCLUSION_RULES if int(b) & int(_BIT[n])) for b in masks]
    codes = np.searchsorted(masks, excluded).astype(np.int32)
    return pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype="str"))


def score_pairs(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: MatchRules | Mapping[str, Any] | str | Path | None = None,
    *,
    feasible_only: bool = False,
    criteria: bool = True,
) -> pd.DataFrame:
    """Score every (mentee, mentor) pair and mark the pairs excluded by hard rules.

    Parameters
    ----------
    mentors, mentees : DataFrame
        Profile tables (raw ``;``-joined text or validated), see :mod:`ementor_kit.data.schema`.
    rules : MatchRules, dict, YAML path or text, optional
        Defaults to ``MatchRules()``.
    feasible_only : bool
        Keep only the pairs no hard rule excludes.
    criteria : bool
        Include the contribution columns (``False`` saves memory on large programmes: 8
        float columns per pair).

    Returns
    -------
    DataFrame
        One row per pair, sorted by ``mentee_id`` then ``mentor_id``: ``mentee_id``,
        ``mentor_id``, ``score`` (0-100), one column per criterion of ``CRITERIA`` holding its
        contribution in points (they add up to ``score``; left out when ``criteria=False``),
        ``feasible`` and ``excluded_by``
        (hard rules that exclude the pair, joined by ``+``; ``''`` when feasible). The formulas
        are in the module documentation.

    Raises
    ------
    DataValidationError
        When a table breaks the data contract, or the rules name unknown people.

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> mentors, mentees = example_profiles()
    >>> s = score_pairs(mentors, mentees, {"weights": {"skills": 1, "domain": 1}})
    >>> s[["mentee_id", "mentor_id", "score", "skills", "domain", "feasible", "excluded_by"]]
      mentee_id mentor_id  score  skills  domain  feasible excluded_by
    0      E001      M001   75.0    25.0    50.0      True
    1      E001      M002   25.0    25.0     0.0     False    language
    2      E002      M001    0.0     0.0     0.0      True
    3      E002      M002   50.0     0.0    50.0      True
    """
    sc = _score_matrix(mentors, mentees, rules)
    n, m = sc.score.shape
    keep = sc.feasible.ravel() if feasible_only else slice(None)
    cols: dict[str, Any] = {
        "mentee_id": pd.array(np.repeat(sc.mentee_ids, m)[keep], dtype="str"),
        "mentor_id": pd.array(np.tile(sc.mentor_ids, n)[keep], dtype="str"),
        "score": sc.score.ravel()[keep],
    }
    if criteria:
        total = sum(sc.rules.weights.values())
        for c in CRITERIA:
            w = sc.rules.weights[c]
            if w > 0:
                part = _criterion_values(sc.fe, sc.fm, sc.capacity, sc.rules, c)
                part *= 100.0 * w / total
                cols[c] = part.ravel()[keep]
            else:
                cols[c] = np.zeros(n * m)[keep]
    cols["feasible"] = sc.feasible.ravel()[keep]
    cols["excluded_by"] = _excluded_labels(sc.excluded.ravel()[keep])
    return pd.DataFrame(cols, copy=False)
