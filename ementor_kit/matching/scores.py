"""Compatibility scores of every (mentee, mentor) pair, and the hard rules that exclude pairs.

Criteria
--------
Each criterion of the rules (:attr:`MatchRules.criteria`) gives a value ``v`` in [0, 1] for a
pair (mentee ``e``, mentor ``m``) from one attribute of each side. The score is the weighted
mean of the values on a 0-100 scale, ``score = 100 * sum(w_c v_c) / sum(w_c)``, and the
contribution of criterion ``c`` is ``100 * w_c v_c / sum(w)`` (contributions add up to the
score, so they read as "points out of 100"). A missing value gives 0 (nothing shared).

Kinds (parameters in brackets, see :mod:`ementor_kit.matching.criteria`):

``overlap``
    ``|wanted(e) & offered(m)| / |wanted(e)|``: share of the mentee's values (a multi-select,
    or one category) the mentor has; 1 when the mentee wants nothing in particular.
``same``
    1 when both have the same category (trimmed, case-insensitive), else 0.
``closeness`` [``scale``]
    ``1 - min(1, |x(e) - x(m)| / scale)`` for numbers; ``scale`` defaults to the spread
    (max - min) of both sides' values.
``gap`` [``min_gap`` = N]
    ``clip((x(m) - x(e)) / N, 0, 1)``: 1 when the mentor is ahead by at least ``N``, 0 when not
    ahead at all (``N = 0``: 1 when the mentor is at least level).
``compatible`` [``pairs``]
    The value the table gives the pair of categories (``[mentee value, mentor value]`` lists
    a compatible pair, value 1; ``[a, b, 0.5]`` a partial one); unlisted pairs give 0.
``shared_hours`` [``hours`` = W, ``date``, ``need``]
    ``overlap = max(0, W - d) / W``, the share of a daytime window of ``W`` hours the two share,
    where ``d`` is the distance between the UTC offsets on the 24-hour clock
    (``min(|a-b| mod 24, 24 - |a-b| mod 24)``). Attributes hold UTC offsets in hours, IANA zones
    (``Europe/Paris``: the offset at noon UTC on ``date``, so summer time counts when ``date``
    falls in summer) or ``UTC+hh:mm``. With ``need`` (a ``compatible`` table over another
    attribute, e.g. how much two modalities need live exchanges) the value is
    ``1 - need * (1 - overlap)``; without it, ``overlap``.
``capacity_share``
    ``min(1, (x(m) / capacity(m)) / x(e))``: share of the mentee's wanted amount (weekly hours)
    the mentor can give each of their mentees (1 when the mentee asks for 0).
``support`` [``low`` = a, ``high`` = b]
    ``1 - need * (1 - support)`` with ``need = (b - x(e)) / (b - a)`` and
    ``support = (x(m) - a) / (b - a)``: asymmetric; a mentee at ``b`` (at ease) is fine with
    anybody, a mentee at ``a`` gets the mentor's level (clipped to [0, 1]).
``preference``, ``shared_slots``
    From a table of pairs (declared ranks, shared weekly hours): see
    :mod:`ementor_kit.matching.preferences`, which also computes the hard rules ``top_k`` and
    ``require_shared_slots``.

The sample's eight criteria (``CRITERIA``, the ``weights:`` layout) are these kinds over the
sample's columns: ``skills`` overlap of ``skills_sought``/``skills_offered``; ``goals`` overlap;
``domain`` same; ``timezone`` shared_hours of ``utc_offset`` (``W = timezone_window_hours``)
with the live-exchange need of the modalities (1 when either prefers ``sync``, 0.5 when either
prefers ``mixed`` and neither ``sync``, 0 when both prefer ``async``); ``modality`` compatible
(1 for the same mode, 0.5 when one prefers ``mixed``, 0 for ``sync`` with ``async``);
``availability`` capacity_share of ``availability_hours``; ``experience`` gap of
``years_experience`` (``N = min_experience_gap``); ``digital`` support of ``digital_comfort``
(1 to 5).

Hard rules
----------
A pair is infeasible when any of these applies (``excluded_by`` lists them, joined by ``+``, in
the order of :attr:`MatchRules.exclusion_rules`): the attribute rules (``require_shared``: no
value in common; ``require_same``: different values; ``forbid_same``: equal on every attribute,
compared trimmed and case-insensitively, a missing value equal to nothing; the sample's
``language`` and ``same_department`` are of these kinds), ``must_<criterion>`` (a ``must``
criterion worth 0), ``forbidden`` (listed in ``forbidden_pairs``), ``no_capacity`` (the mentor's
capacity is 0), ``required_elsewhere`` (the mentee has a required pair with another mentor),
``min_score`` (score below ``min_score``).

People tables
-------------
Rules of the ``weights:`` layout read tables of the sample's data contract
(:mod:`ementor_kit.data.schema`, validated here). Declared rules read typed tables such as
:func:`~ementor_kit.read_people` gives (checked against the attributes the rules name; tables
with the sample contract's columns are validated with it first). Without rules, tables that do
not follow the sample contract get the rules :func:`~ementor_kit.data.propose.propose_rules`
proposes from their attributes (those of :func:`~ementor_kit.propose_programme`). Mentors
without a ``capacity`` column take one mentee each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._canonical import table_bytes
from ementor_kit.data import schema
from ementor_kit.data.propose import propose_rules
from ementor_kit.data.validation import validate
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.matching._encode import Features, _uses, check_declared, encode
from ementor_kit.matching._values import (
    Grid,
    _criterion_values,
    criterion_grid,
    full_grid,
    gather,
    rule_violations,
)
from ementor_kit.matching.criteria import Criterion, HardRule
from ementor_kit.matching.rules import MatchRules

__all__ = ["EXCLUSION_RULES", "PreparedPeople", "prepare_people", "score_pairs"]

EXCLUSION_RULES: tuple[str, ...] = (
    "language",
    "same_department",
    "forbidden",
    "no_capacity",
    "required_elsewhere",
    "min_score",
)
"""Names used in ``excluded_by`` under the default rules (see
:attr:`MatchRules.exclusion_rules` for any rules)."""

_Features = Features


def _validated(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Validate one profile table and sort it by id (results never depend on row order)."""
    _check_frame(df, table)
    out = validate(df, table)
    key = "mentor_id" if table == "mentors" else "mentee_id"
    return out.sort_values(key, kind="stable").reset_index(drop=True)


def _check_frame(df: Any, table: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(
            table,
            df,
            N_("pass the {table} table as a pandas DataFrame (e.g. read_table(...))").format(
                table=table
            ),
        )


def _follows_contract(df: pd.DataFrame, table: str) -> bool:
    """The table has every required column of the sample's data contract, or is raw text.

    Raw text (no typed column: no number, boolean or list of codes) has not been read with a
    ``programme.yaml``, so only the sample contract can read it (and names what is missing).
    """
    t = schema.MENTORS if table == "mentors" else schema.MENTEES
    if {c.name for c in t.columns if c.required} <= set(map(str, df.columns)):
        return True
    for name in df.columns:
        s = df[name]
        if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
            return False
        if any(isinstance(v, (tuple, list)) for v in s):
            return False
    return True


def _prepared(
    mentors: pd.DataFrame, mentees: pd.DataFrame, rules: Any
) -> tuple[MatchRules, pd.DataFrame, pd.DataFrame]:
    """The rules (resolved) and both tables checked and sorted by id.

    ``rules=None`` on tables that do not follow the sample contract: the rules proposed from
    their attributes. Rules of the ``weights:`` layout validate the sample contract; declared
    rules check the attributes they name (after the sample contract when the tables follow it).
    """
    _check_frame(mentors, "mentors")
    _check_frame(mentees, "mentees")
    sample = _follows_contract(mentors, "mentors") and _follows_contract(mentees, "mentees")
    if rules is None and not sample:
        rules = list(propose_rules(mentors, mentees))
    rules = MatchRules.coerce(rules)
    if rules.declared is None or sample:
        mentors, mentees = _validated(mentors, "mentors"), _validated(mentees, "mentees")
    if rules.declared is not None:
        problems: list[Problem] = []
        out = []
        for df, role in ((mentors, "mentors"), (mentees, "mentees")):
            try:
                out.append(check_declared(df, role, rules.criteria, rules.attribute_rules))
            except DataValidationError as exc:
                problems += exc.problems
        if problems:
            raise DataValidationError(problems)
        mentors, mentees = out
    return rules, mentors, mentees


@dataclass(frozen=True)
class PreparedPeople:
    """The people tables as ``match`` scores them, with what scoring them needs, kept.

    Pass it to ``match(prep.mentors, prep.mentees, rules, prepared=prep)``: the tables are
    not checked again, and each criterion's values (and each hard rule's verdict) are
    computed the first time they are needed and kept, so a change of weights, minimum
    score, objective, capacities or listed pairs costs only the weighted sum and the solve.
    The results are identical to those of ``match`` on the tables themselves.

    Attributes
    ----------
    rules : MatchRules
        The rules resolved (the ones proposed from the attributes when none were given to
        tables declared otherwise than the sample).
    mentors, mentees : DataFrame
        Both tables checked (the sample contract, or the attributes the rules name) and
        sorted by id. Treat them as read-only: what is kept was computed from them.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> prep = prepare_people(*ek.example_profiles())
    >>> prep.rules == ek.MatchRules(), list(prep.mentors["mentor_id"])
    (True, ['M001', 'M002'])
    >>> rules = prep.rules.replace(weights={"skills": 1, "domain": 3})
    >>> fast = ek.match(prep.mentors, prep.mentees, rules, prepared=prep)
    >>> fast.pairs.equals(ek.match(prep.mentors, prep.mentees, rules).pairs)
    True
    """

    rules: MatchRules
    mentors: pd.DataFrame
    mentees: pd.DataFrame
    _cache: _Cache = field(default_factory=lambda: _Cache(), repr=False, compare=False)

    def _resolve(self, rules: Any) -> tuple[MatchRules, pd.DataFrame, pd.DataFrame, _Cache | None]:
        """The rules and tables to score with, and the cache when it applies to them: the
        tables need no new check when the new rules read no attribute the rules they were
        checked for did not (otherwise they are checked again, and nothing is reused)."""
        if rules is None:
            return self.rules, self.mentors, self.mentees, self._cache
        rules = MatchRules.coerce(rules)
        if _checked_for(self.rules, rules):
            return rules, self.mentors, self.mentees, self._cache
        rules, mentors, mentees = _prepared(self.mentors, self.mentees, rules)
        return rules, mentors, mentees, None


def _checked_for(old: MatchRules, new: MatchRules) -> bool:
    """Tables checked for ``old`` need no check for ``new``."""
    if old.declared is None or new.declared is None:
        # the sample's layout: the sample contract, whatever the weights and toggles
        return old.declared is None and new.declared is None
    for side in ("mentee", "mentor"):
        had = {(a, k) for a, k, _ in _uses(old.criteria, old.attribute_rules, side)}
        if not {(a, k) for a, k, _ in _uses(new.criteria, new.attribute_rules, side)} <= had:
            return False
    return True


def prepare_people(
    mentors: pd.DataFrame, mentees: pd.DataFrame, rules: Any = None
) -> PreparedPeople:
    """Check the people tables against the rules and resolve the rules, as ``match`` does.

    For tools built on the matching (the playground, a report) that need the tables and
    rules exactly as the optimiser will see them, before any solve.

    Parameters
    ----------
    mentors, mentees : DataFrame
        Raw (text, the sample's layout) or typed tables (:func:`~ementor_kit.read_people`).
    rules : MatchRules, dict, list, ProgrammeSpec, YAML path or None
        As for :func:`~ementor_kit.matching.match`. ``None``: ``MatchRules()`` for tables in
        the sample's layout, else the rules :func:`~ementor_kit.propose_rules` proposes.

    Returns
    -------
    PreparedPeople
        The rules resolved and both tables checked, as the optimiser sees them.

    Raises
    ------
    DataValidationError
        Every problem of both tables at once (file, rows, column, fix).

    See Also
    --------
    ementor_kit.matching.score_pairs : the scores of every pair under these rules.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> people = ek.read_people(ek.example_intake())
    >>> prep = prepare_people(people.mentors, people.mentees)
    >>> [c.name for c in prep.rules.criteria][:2], prep.mentors["mentor_id"].is_monotonic_increasing
    (['skills', 'domain'], True)
    """
    rules, mentors, mentees = _prepared(mentors, mentees, rules)
    return PreparedPeople(rules, mentors, mentees)


@dataclass(frozen=True, eq=False)
class _Scores:
    """Dense score matrix (mentees x mentors, both in id order) and everything derived."""

    rules: MatchRules
    mentees: pd.DataFrame
    mentors: pd.DataFrame
    fe: Features
    fm: Features
    capacity: np.ndarray  # int64 per mentor, after overrides
    score: np.ndarray  # float64 (n_mentees, n_mentors)
    excluded: np.ndarray  # unsigned bit mask of rules.exclusion_rules
    required: dict[int, int]  # mentee row -> mentor column
    tables: Mapping[str, Any]  # lookup tables of the criteria
    table_bytes: Mapping[str, bytes] | None = None  # canonical bytes of both tables, if kept

    @property
    def mentee_ids(self) -> np.ndarray:
        return self.fe.ids

    @property
    def mentor_ids(self) -> np.ndarray:
        return self.fm.ids

    @property
    def feasible(self) -> np.ndarray:
        return self.excluded == 0

    @property
    def exclusion_rules(self) -> tuple[str, ...]:
        return self.rules.exclusion_rules

    def bit(self, name: str) -> np.unsignedinteger:
        """The bit of one rule of :attr:`exclusion_rules` in the mask's dtype."""
        return self.excluded.dtype.type(1 << self.exclusion_rules.index(name))

    @property
    def hard_mask(self) -> np.unsignedinteger:
        """Every bit but ``required_elsewhere`` (the rules a required pair must pass)."""
        names = [n for n in self.exclusion_rules if n != "required_elsewhere"]
        return self.excluded.dtype.type(sum(1 << self.exclusion_rules.index(n) for n in names))

    def contributions(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Contribution (points) of every criterion for the given mentee rows."""
        fe = self.fe.take(np.asarray(rows))
        return _contributions(fe, self.fm, self.capacity, self.rules, self.tables)

    def pair_contributions(self, rows: np.ndarray, cols: np.ndarray) -> dict[str, np.ndarray]:
        """Contribution (points) of every criterion for the pairs ``(rows[k], cols[k])``."""
        rows, cols = np.asarray(rows), np.asarray(cols)
        fe, fm = self.fe.take(rows), self.fm.take(cols)
        total = sum(self.rules.weights.values())
        out = {}
        for c in self.rules.criteria:
            if c.weight > 0:
                v = _criterion_values(fe, fm, self.capacity[cols], self.tables, c, paired=True)
                out[c.name] = v * (100.0 * c.weight / total)
            else:
                out[c.name] = np.zeros(len(rows))
        return out

    def reasons(self, mask: np.ndarray | np.unsignedinteger) -> list[str]:
        """Names of the rules set in one bit mask."""
        return [n for k, n in enumerate(self.exclusion_rules) if int(mask) & (1 << k)]


def _contributions(
    fe: Features,
    fm: Features,
    capacity: np.ndarray,
    rules: MatchRules,
    tables: Mapping[str, Any],
) -> dict[str, np.ndarray]:
    total = sum(rules.weights.values())
    out = {}
    for c in rules.criteria:
        if c.weight > 0:
            out[c.name] = _criterion_values(fe, fm, capacity, tables, c) * (
                100.0 * c.weight / total
            )
        else:
            out[c.name] = np.zeros((len(fe.ids), len(fm.ids)))
    return out


def _total_score(
    fe: Features,
    fm: Features,
    capacity: np.ndarray,
    rules: MatchRules,
    tables: Mapping[str, Any],
) -> np.ndarray:
    """Sum of the contributions, one criterion at a time (one criterion matrix in memory).

    The order of the additions is fixed (the order of ``rules.criteria``), so the sums are
    identical to the ones of :func:`_contributions` for any subset of rows.
    """
    total = sum(rules.weights.values())
    score = None
    for c in rules.criteria:
        if c.weight <= 0:
            continue
        part = _criterion_values(fe, fm, capacity, tables, c)
        part *= 100.0 * c.weight / total
        if score is None:
            score = part
        else:
            score += part
            del part
    assert score is not None  # rules guarantee a positive weight
    return score


SCORE_CHUNK_CELLS = 1 << 18
"""Cells (mentee rows x mentors) scored at a time by :func:`_chunked_total_score` (2 MB of
float64: the chunk and its one buffer stay in cache while every criterion is added in)."""

_CACHE_FULL_CELLS = 1 << 22
"""Largest mentees x mentors matrix of one criterion a :class:`PreparedPeople` keeps when the
criterion's values have no grid to speak of (32 MB of float64)."""


def _criterion_key(c: Criterion) -> tuple[str, ...]:
    """What a criterion's values depend on (not its weight, nor ``must``)."""
    return ("criterion", c.kind, c.name, c.mentee, c.mentor, repr(sorted(dict(c.params).items())))


def _rule_key(r: HardRule) -> tuple[str, ...]:
    params = repr(sorted(dict(r.params).items()))
    return ("rule", r.kind, r.name, repr(r.mentee), repr(r.mentor), params)


class _Cache:
    """What a :class:`PreparedPeople` keeps between calls: the encoded attributes and the
    values (grids) of each criterion and attribute rule, by what they depend on."""

    def __init__(self) -> None:
        self.encoded: dict[tuple[str, ...], tuple[Features, Features, dict[str, Any]]] = {}
        self.grids: dict[tuple[Any, ...], Grid | None] = {}
        self.violations: dict[tuple[str, ...], Grid] = {}
        self.table_bytes: dict[str, bytes] = {}  # the tables' canonical bytes (provenance)


def _encode_with(
    cache: _Cache | None,
    rules: MatchRules,
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    e_ids: np.ndarray,
    m_ids: np.ndarray,
) -> tuple[Features, Features, dict[str, Any]]:
    """:func:`encode`, one criterion or rule at a time through the cache when there is one
    (each is encoded on its own: the same arrays either way)."""
    if cache is None:
        return encode(rules.criteria, rules.attribute_rules, mentees, mentors, e_ids, m_ids)
    fe: dict[str, np.ndarray] = {}
    fm: dict[str, np.ndarray] = {}
    tables: dict[str, Any] = {}
    items: list[tuple[tuple[str, ...], tuple[Criterion, ...], tuple[HardRule, ...]]] = [
        (_criterion_key(c), (c,), ()) for c in rules.criteria
    ] + [(_rule_key(r), (), (r,)) for r in rules.attribute_rules]
    for key, cs, rs in items:
        if key not in cache.encoded:
            cache.encoded[key] = encode(cs, rs, mentees, mentors, e_ids, m_ids)
        a, b, t = cache.encoded[key]
        fe.update(a.arrays)
        fm.update(b.arrays)
        tables.update(t)
    return Features(e_ids, fe), Features(m_ids, fm), tables


def _grids(
    fe: Features,
    fm: Features,
    capacity: np.ndarray,
    rules: MatchRules,
    tables: Mapping[str, Any],
    cache: _Cache | None = None,
) -> dict[str, Grid | None]:
    """The grid of every criterion that is weighted or a ``must`` (None: computed directly)."""
    out: dict[str, Grid | None] = {}
    for c in rules.criteria:
        if c.weight <= 0 and not c.hard_rule:
            continue
        if cache is None:
            out[c.name] = criterion_grid(fe, fm, capacity, tables, c)
            continue
        key: tuple[Any, ...] = _criterion_key(c)
        if c.kind == "capacity_share":
            key += (capacity.tobytes(),)
        if key not in cache.grids:
            grid = criterion_grid(fe, fm, capacity, tables, c)
            if grid is None and len(fe.ids) * len(fm.ids) <= _CACHE_FULL_CELLS:
                grid = full_grid(_criterion_values(fe, fm, capacity, tables, c))
            cache.grids[key] = grid
        out[c.name] = cache.grids[key]
    return out


def _chunks(n: int, m: int, chunk_cells: int) -> list[slice]:
    step = max(1, chunk_cells // max(m, 1))
    return [slice(r0, min(n, r0 + step)) for r0 in range(0, n, step)]


def _chunked_total_score(
    fe: Features,
    fm: Features,
    capacity: np.ndarray,
    rules: MatchRules,
    tables: Mapping[str, Any],
    chunk_cells: int = SCORE_CHUNK_CELLS,
    grids: Mapping[str, Grid | None] | None = None,
) -> np.ndarray:
    """:func:`_total_score` computed in chunks of mentee rows, each criterion looked up on its
    grid of distinct values when it has one (:mod:`ementor_kit.matching._values`).

    Identical numbers: each criterion's value of a pair is the same (the grid does the same
    arithmetic on the same inputs), multiplied by the same factor (on the grid: the same
    product of the same two numbers) and added in the same order.
    """
    n, m = len(fe.ids), len(fm.ids)
    if grids is None:
        grids = _grids(fe, fm, capacity, rules, tables)
    total = sum(rules.weights.values())
    parts = []
    for c in rules.criteria:
        if c.weight <= 0:
            continue
        k = 100.0 * c.weight / total
        grid = grids.get(c.name)
        # the factor applied on the grid (the same product for each pair), then spread
        spread = None if grid is None or grid.full else grid.by_row(grid.values * k)
        parts.append((c, k, grid, spread))
    assert parts  # rules guarantee a positive weight
    out = np.empty((n, m))
    chunks = _chunks(n, m, chunk_cells)
    buf = np.empty(((chunks[0].stop - chunks[0].start) * m) if chunks else 0)
    for rows in chunks:
        block = out[rows]
        for pos, (c, k, grid, spread) in enumerate(parts):
            target = block if pos == 0 else buf[: block.size].reshape(block.shape)
            if grid is not None and spread is not None:
                gather(grid, spread, rows, target)
            elif grid is not None:  # a full matrix (kept by a PreparedPeople)
                target[...] = grid.values[rows]
                target *= k
            else:
                target[...] = _criterion_values(fe.take(rows), fm, capacity, tables, c)
                target *= k
            if pos:
                block += target
    return out


def _score_rows(
    fe: Features,
    fm: Features,
    capacity: np.ndarray,
    rules: MatchRules,
    tables: Mapping[str, Any],
    rows: slice,
) -> np.ndarray:
    """Scores of the mentee rows ``rows`` with every mentor, (rows, mentors).

    The same arithmetic on each pair and the same order of additions as :func:`_total_score`
    on all rows, so the numbers are identical (checked in tests/matching/test_scores.py).
    """
    return _total_score(fe.take(rows), fm, capacity, rules, tables)


def _unknown_ids(ids: list[str], known: set[str], key: str, what: str) -> list[Problem]:
    bad = sorted({i for i in ids if i not in known})
    if not bad:
        return []
    return [
        Problem(
            "rules",
            key,
            (),
            (
                N_("unknown mentee id(s): {bad}")
                if what == "mentee"
                else N_("unknown mentor id(s): {bad}")
            ).format(bad=", ".join(bad[:10])),
            N_("use ids of the mentees or remove them from the rules")
            if what == "mentee"
            else N_("use ids of the mentors or remove them from the rules"),
        )
    ]


def _mask_dtype(n: int) -> type[np.unsignedinteger]:
    for dtype in (np.uint8, np.uint16, np.uint32, np.uint64):
        if n <= np.iinfo(dtype).bits:
            return dtype
    raise DataValidationError(
        [
            Problem(
                "rules",
                "criteria",
                (),
                N_("{n} hard rules").format(n=n),
                N_("declare at most 60 hard rules"),
            )
        ]
    )


def _exclusions(
    rules: MatchRules,
    fe: Features,
    fm: Features,
    capacity: np.ndarray,
    tables: Mapping[str, Any],
    shape: tuple[int, int],
    grids: Mapping[str, Grid | None] | None = None,
    cache: _Cache | None = None,
    chunk_cells: int = SCORE_CHUNK_CELLS,
) -> np.ndarray:
    """Bit mask of the attribute rules, the ``must`` criteria, ``no_capacity``.

    Each rule is decided on its grid of distinct values (:func:`rule_violations`) and looked
    up, the ``must`` criteria on their value grids (or directly, in chunks of rows).
    """
    names = rules.exclusion_rules
    dtype = _mask_dtype(len(names))
    bit = {n: dtype(1 << k) for k, n in enumerate(names)}
    zero = dtype(0)
    excluded = np.zeros(shape, dtype=dtype)
    if grids is None:
        grids = _grids(fe, fm, capacity, rules, tables)
    looked_up: list[tuple[Grid, np.ndarray]] = []
    for r in rules.attribute_rules:
        key = _rule_key(r)
        if cache is not None and key in cache.violations:
            bad = cache.violations[key]
        else:
            bad = rule_violations(r, fe, fm, tables)
            if cache is not None:
                cache.violations[key] = bad
        looked_up.append((bad, bad.by_row(np.where(bad.values, bit[r.name], zero))))
    direct: list[Criterion] = []
    for c in rules.criteria:
        if c.hard_rule:
            grid = grids.get(c.name)
            if grid is None:
                direct.append(c)
            else:
                lut = np.where(grid.values > 0, zero, bit[c.hard_rule])
                looked_up.append((grid, grid.by_row(lut)))
    chunks = _chunks(shape[0], shape[1], chunk_cells)
    buf = np.empty(((chunks[0].stop - chunks[0].start) * shape[1]) if chunks else 0, dtype)
    for rows in chunks:
        block = excluded[rows]
        target = buf[: block.size].reshape(block.shape)
        for grid, spread in looked_up:
            block |= gather(grid, spread, rows, target)
        for c in direct:
            assert c.hard_rule is not None
            v = _criterion_values(fe.take(rows), fm, capacity, tables, c)
            block |= np.where(v > 0, zero, bit[c.hard_rule])
    excluded[:, capacity == 0] |= bit["no_capacity"]
    return excluded


def _score_matrix(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    rules: MatchRules | Any = None,
    prepared: PreparedPeople | None = None,
) -> _Scores:
    """Every pair scored and excluded; with ``prepared``, its tables (``mentors`` and
    ``mentees`` are then its own) and what it keeps from earlier calls."""
    cache = None
    if prepared is None:
        rules, mentors, mentees = _prepared(mentors, mentees, rules)
    else:
        rules, mentors, mentees, cache = prepared._resolve(rules)
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

    if "capacity" in mentors.columns:
        capacity = mentors["capacity"].to_numpy(dtype=np.int64).copy()
    else:
        capacity = np.ones(len(mentors), dtype=np.int64)
    for k, v in rules.capacity_override.items():
        capacity[mentor_pos[k]] = v

    fe, fm, tables = _encode_with(cache, rules, mentees, mentors, mentee_ids, mentor_ids)
    grids = _grids(fe, fm, capacity, rules, tables, cache)
    score = _chunked_total_score(fe, fm, capacity, rules, tables, grids=grids)
    excluded = _exclusions(rules, fe, fm, capacity, tables, score.shape, grids, cache)
    bit = excluded.dtype.type
    names = rules.exclusion_rules
    for e, m in rules.forbidden_pairs:
        excluded[mentee_pos[e], mentor_pos[m]] |= bit(1 << names.index("forbidden"))
    required = {}
    for e, m in rules.required_pairs:
        i, j = mentee_pos[e], mentor_pos[m]
        if i in required:
            # two required mentors for one mentee: reported by match(); keep the first here
            continue
        required[i] = j
        others = np.ones(len(mentor_ids), dtype=bool)
        others[j] = False
        excluded[i, others] |= bit(1 << names.index("required_elsewhere"))
    if rules.min_score > 0:
        excluded[score < rules.min_score] |= bit(1 << names.index("min_score"))
    kept = None
    if cache is not None:  # the prepared tables, read-only: their bytes are computed once
        if not cache.table_bytes:
            cache.table_bytes.update(mentors=table_bytes(mentors), mentees=table_bytes(mentees))
        kept = cache.table_bytes
    return _Scores(
        rules, mentees, mentors, fe, fm, capacity, score, excluded, required, tables, kept
    )


def _excluded_labels(excluded: np.ndarray, names: tuple[str, ...]) -> pd.Categorical:
    """Categorical ``excluded_by`` labels ('' when feasible) of a flat bit-mask array."""
    masks = np.unique(excluded)
    labels = ["+".join(n for k, n in enumerate(names) if int(b) & (1 << k)) for b in masks]
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
        Profile tables: of the sample's contract (raw ``;``-joined text or validated, see
        :mod:`ementor_kit.data.schema`), or typed tables of a declared programme
        (:func:`~ementor_kit.read_people`).
    rules : MatchRules, dict, list of rules, ProgrammeSpec, YAML path or text, optional
        Defaults to ``MatchRules()`` on tables of the sample's contract, else to the rules
        proposed from the tables' attributes (see the module documentation).
    feasible_only : bool
        Keep only the pairs no hard rule excludes.
    criteria : bool
        Include the contribution columns (``False`` saves memory on large programmes: 8
        float columns per pair).

    Returns
    -------
    DataFrame
        One row per pair, sorted by ``mentee_id`` then ``mentor_id``: ``mentee_id``,
        ``mentor_id``, ``score`` (0-100), one column per criterion of ``rules.criteria`` holding
        its contribution in points (they add up to ``score``; left out when ``criteria=False``),
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

    Criteria declared over any attribute of typed tables:

    >>> men = pd.DataFrame({"mentor_id": ["m1", "m2"], "years": [10.0, 3.0],
    ...                     "langs": [("fr",), ("en", "fr")]})
    >>> tees = pd.DataFrame({"mentee_id": ["a"], "years": [2.0], "langs": [("en",)]})
    >>> score_pairs(men, tees, [{"kind": "gap", "attribute": "years", "min_gap": 4},
    ...                         {"kind": "require_shared", "attribute": "langs"}])
      mentee_id mentor_id  score  years  feasible             excluded_by
    0         a        m1  100.0  100.0     False  require_shared_langs
    1         a        m2   25.0   25.0      True
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
        for c in sc.rules.criteria:
            if c.weight > 0:
                part = _criterion_values(sc.fe, sc.fm, sc.capacity, sc.tables, c)
                part *= 100.0 * c.weight / total
                cols[c.name] = part.ravel()[keep]
            else:
                cols[c.name] = np.zeros(n * m)[keep]
    cols["feasible"] = sc.feasible.ravel()[keep]
    cols["excluded_by"] = _excluded_labels(sc.excluded.ravel()[keep], sc.exclusion_rules)
    return pd.DataFrame(cols, copy=False)
