"""People tables to the numeric arrays the criteria and hard rules are computed from.

For every declared :class:`~ementor_kit.matching.criteria.Criterion` and
:class:`~ementor_kit.matching.criteria.HardRule`, both sides' attributes are encoded together
(one vocabulary for both): bit sets (``uint64`` words) for ``overlap`` and ``require_shared``, category codes
for ``same``, ``compatible``, ``require_same`` and ``forbid_same`` (``-1`` for a missing value),
floats for numbers and UTC offsets in hours for ``shared_hours``. :func:`check_declared` checks
the tables against the attributes the rules name before anything is encoded.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.matching.criteria import TABLE_RULE_KINDS, Criterion, HardRule
from ementor_kit.matching.preferences import TABLE_CRITERION_KINDS, pair_values, rule_allows

ID = {"mentors": "mentor_id", "mentees": "mentee_id"}
SET_KINDS = ("overlap", "require_shared")
NUMBER_KINDS = ("closeness", "gap", "capacity_share", "support")
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


@dataclass(frozen=True, eq=False)
class Features:
    """Arrays of one side (mentees or mentors), rows in id order, keyed by criterion/rule."""

    ids: np.ndarray
    arrays: Mapping[str, np.ndarray]

    def take(self, rows: np.ndarray | slice) -> Features:
        return Features(self.ids[rows], {k: v[rows] for k, v in self.arrays.items()})


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA:
        return True
    return isinstance(v, float) and v != v


_SPACES = re.compile(r"\s+")  # every Unicode white space: NBSP, narrow NBSP, thin space, ...


def _norm(v: Any) -> str:
    """The one form labels are compared in: Unicode NFC (macOS writes accents decomposed),
    runs of white space of any kind as one space, trimmed, case-folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(v))).strip().casefold()


def _items(v: Any) -> tuple[str, ...]:
    if _missing(v):
        return ()
    if isinstance(v, (tuple, list, set, frozenset, np.ndarray)):
        return tuple(_norm(x) for x in v if not _missing(x))
    return (_norm(v),)


_NEW = object()


def _each(values: Any, fn: Any) -> list[Any]:
    """``[fn(v) for v in values]``, calling ``fn`` once per distinct value.

    Values are looked up by equality only when that is exact: strings, and tuples of strings
    (``1 == 1.0 == True`` would merge labels that read differently); anything else gets its own
    call, so the result is always the per-value one.
    """
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype):
        # text columns: factorised in C (strings are equal exactly when they are the same)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        done = [fn(u) for u in uniques]
        if (codes < 0).any():
            done.append(fn(None))  # a missing text, whatever its marker (None, NaN, NA)
        return [done[k] for k in codes]
    cache: dict[Any, Any] = {}
    out = []
    for v in values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values:
        t = type(v)
        if t is str or t is tuple:
            r = cache.get(v, _NEW)
            if r is _NEW:
                r = fn(v)
                if t is str or all(type(x) is str for x in v):
                    cache[v] = r
        else:
            r = fn(v)
        out.append(r)
    return out


def _labels(s: pd.Series | list[Any]) -> list[str | None]:
    """The compared form (:func:`_norm`) of every value, ``None`` for a missing one."""
    return _each(s, lambda v: None if _missing(v) else _norm(v))


WORD_BITS = 64


def popcount(x: np.ndarray) -> np.ndarray:
    """Bits set in each ``uint64`` (``np.bitwise_count`` from NumPy 2, else a byte table)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(x)
    return _BYTE_BITS[x.view(np.uint8)].reshape(*x.shape, 8).sum(axis=-1, dtype=np.uint8)


_BYTE_BITS = np.array([bin(k).count("1") for k in range(256)], dtype=np.uint8)


def _bitsets(e: pd.Series, m: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Multi-selects of both sides as bit sets over one vocabulary: ``uint64`` rows of
    ``ceil(len(vocabulary) / 64)`` words (at least one), bit ``k`` for the ``k``-th value in
    sorted order."""
    ie, im = _each(e, _items), _each(m, _items)
    vocab = {x: k for k, x in enumerate(sorted({x for row in (*ie, *im) for x in row}))}
    words = max(1, -(-len(vocab) // WORD_BITS))

    def bits(rows: list[tuple[str, ...]]) -> np.ndarray:
        distinct: dict[tuple[str, ...], int] = {}
        inv = np.array([distinct.setdefault(r, len(distinct)) for r in rows], dtype=np.intp)
        table = np.zeros((len(distinct), words), dtype=np.uint64)
        for items, k in distinct.items():
            for x in items:
                b = vocab[x]
                table[k, b // WORD_BITS] |= np.uint64(1 << (b % WORD_BITS))
        return table[inv] if len(rows) else np.zeros((0, words), dtype=np.uint64)

    return bits(ie), bits(im)


def _codes(
    e: pd.Series, m: pd.Series, extra: tuple[str, ...] = ()
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Joint category codes (``-1`` missing) and the vocabulary (label -> code)."""
    labels = [*_labels(e), *_labels(m)]
    vocab = {x: k for k, x in enumerate(sorted({x for x in labels if x is not None} | set(extra)))}
    codes = np.array([vocab.get(x, -1) if x is not None else -1 for x in labels], dtype=np.int64)
    return codes[: len(e)], codes[len(e) :], vocab


def _table(pairs: Any, vocab: dict[str, int]) -> np.ndarray:
    """Value of each (mentee code, mentor code); the last row and column stand for missing."""
    k = len(vocab)
    out = np.zeros((k + 1, k + 1))
    for a, b, v in pairs:
        out[vocab[_norm(a)], vocab[_norm(b)]] = float(v)
    return out


def _offset_hours(value: Any, date: dt.date) -> float | None:
    if _missing(value):
        return float("nan")
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    hit = _OFFSET.match(text.replace("−", "-"))
    if hit:
        sign = -1.0 if hit.group(1) == "-" else 1.0
        return sign * (int(hit.group(2)) + int(hit.group(3) or 0) / 60.0)
    if text.upper() in ("UTC", "GMT", "Z"):
        return 0.0
    try:
        zone = zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    noon = dt.datetime.combine(date, dt.time(12), tzinfo=dt.UTC).astimezone(zone)
    delta = noon.utcoffset()
    return None if delta is None else delta.total_seconds() / 3600.0


def _offsets(s: pd.Series, date: dt.date) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=np.float64)
    out = _each(s, lambda v: _offset_hours(v, date))
    return np.array([np.nan if v is None else v for v in out], dtype=np.float64)


def _numbers(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64)


def _forbid_keys(rule: HardRule, e: pd.DataFrame, m: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Codes equal exactly when every attribute is equal (and none is missing)."""

    def key(df: pd.DataFrame, cols: tuple[str, ...]) -> list[str | None]:
        parts = [_labels(df[c]) for c in cols]
        return [None if None in row else "\x1f".join(row) for row in zip(*parts, strict=True)]

    ke, km = key(e, rule.mentee), key(m, rule.mentor)
    codes_e, codes_m, _ = _codes(pd.Series(ke, dtype=object), pd.Series(km, dtype=object))
    # a missing key never conflicts: give each its own negative code per side
    return np.where(codes_e < 0, -1, codes_e), np.where(codes_m < 0, -2, codes_m)


def encode(
    criteria: tuple[Criterion, ...],
    hard: tuple[HardRule, ...],
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    e_ids: np.ndarray,
    m_ids: np.ndarray,
) -> tuple[Features, Features, dict[str, Any]]:
    """Features of both sides and the lookup tables of the criteria (by criterion name)."""
    fe: dict[str, np.ndarray] = {}
    fm: dict[str, np.ndarray] = {}
    tables: dict[str, Any] = {}
    for c in criteria:
        e, m = mentees[c.mentee], mentors[c.mentor]
        if c.kind == "overlap":
            fe[c.name], fm[c.name] = _bitsets(e, m)
        elif c.kind == "same":
            a, b, _ = _codes(e, m)
            fe[c.name], fm[c.name] = a, np.where(b < 0, -2, b)
        elif c.kind == "compatible":
            extra = tuple(_norm(x) for p in c.params["pairs"] for x in p[:2])
            a, b, vocab = _codes(e, m, extra)
            fe[c.name], fm[c.name] = a, b
            tables[c.name] = _table(c.params["pairs"], vocab)
        elif c.kind in TABLE_CRITERION_KINDS:  # a (mentee, mentor) table, looked up by position
            fe[c.name], fm[c.name] = np.arange(len(e_ids)), np.arange(len(m_ids))
            tables[c.name] = pair_values(c, mentees, mentors)
        elif c.kind == "shared_hours":
            date = dt.date.fromisoformat(str(c.params.get("date", "2025-01-15")))
            fe[c.name], fm[c.name] = _offsets(e, date), _offsets(m, date)
            need = c.params.get("need")
            if need is not None:
                ne = mentees[need.get("mentee", need.get("attribute"))]
                nm = mentors[need.get("mentor", need.get("attribute"))]
                extra = tuple(_norm(x) for p in need["pairs"] for x in p[:2])
                a, b, vocab = _codes(ne, nm, extra)
                fe[c.name + ".need"], fm[c.name + ".need"] = a, b
                tables[c.name + ".need"] = _table(need["pairs"], vocab)
        else:  # numbers
            fe[c.name], fm[c.name] = _numbers(e), _numbers(m)
            if c.kind == "closeness":
                tables[c.name] = _scale(c, fe[c.name], fm[c.name])
    for r in hard:
        key = "rule:" + r.name
        if r.kind == "require_shared":
            fe[key], fm[key] = _bitsets(mentees[r.mentee[0]], mentors[r.mentor[0]])
        elif r.kind == "require_same":
            a, b, _ = _codes(mentees[r.mentee[0]], mentors[r.mentor[0]])
            fe[key], fm[key] = a, np.where(b < 0, -2, b)
        elif r.kind in TABLE_RULE_KINDS:
            fe[key], fm[key] = np.arange(len(e_ids)), np.arange(len(m_ids))
            tables[key] = rule_allows(r, mentees, mentors)
        else:
            fe[key], fm[key] = _forbid_keys(r, mentees, mentors)
    return Features(e_ids, fe), Features(m_ids, fm), tables


def _scale(c: Criterion, e: np.ndarray, m: np.ndarray) -> float:
    """``scale`` of a closeness criterion; by default the spread of both sides' values."""
    if "scale" in c.params:
        return float(c.params["scale"])
    both = np.concatenate([e, m])
    both = both[np.isfinite(both)]
    spread = float(both.max() - both.min()) if len(both) else 0.0
    return spread if spread > 0 else 1.0


# --------------------------------------------------------------------------- checks


def _uses(rules_criteria: tuple[Criterion, ...], hard: tuple[HardRule, ...], side: str):
    """(attribute, kind, rule name) of every attribute the rules read on one side."""
    out = []
    for c in rules_criteria:
        out.append((getattr(c, side), c.kind, c.name))
        need = c.params.get("need") if c.kind == "shared_hours" else None
        if need is not None:
            out.append((need.get(side, need.get("attribute")), "compatible", c.name))
    for r in hard:
        out += [(a, r.kind, r.name) for a in getattr(r, side)]
    return out


def _column_problem(df: pd.DataFrame, role: str, attr: str, kind: str, name: str):
    s = df[attr]
    if kind in NUMBER_KINDS:
        if pd.api.types.is_bool_dtype(s.dtype) or not pd.api.types.is_numeric_dtype(s.dtype):
            return N_("{kind} (rule {name}) needs numbers, the column holds {dtype}").format(
                kind=kind, name=name, dtype=s.dtype
            )
    elif kind == "shared_hours":
        bad = sorted({str(v) for v in s if _offset_hours(v, dt.date(2025, 1, 15)) is None})
        if bad:
            return N_("unknown time zone(s) {bad} (rule {name})").format(
                bad=", ".join(bad[:5]), name=name
            )
    elif kind not in SET_KINDS:
        if any(isinstance(v, (tuple, list, set, frozenset)) for v in s):
            return N_("{kind} (rule {name}) compares single values, the column holds lists").format(
                kind=kind, name=name
            )
    return None


def check_declared(
    df: pd.DataFrame, role: str, criteria: tuple[Criterion, ...], hard: tuple[HardRule, ...]
) -> pd.DataFrame:
    """Check a typed people table against the attributes the rules name; sort it by id.

    Raises :class:`DataValidationError` naming every missing column, empty or repeated id and
    column whose values do not fit the kind of the rule reading it.
    """
    problems: list[Problem] = []
    side = "mentor" if role == "mentors" else "mentee"
    key = ID[role]
    columns = set(map(str, df.columns))

    def bad(column: str, message: str, fix: str) -> None:
        problems.append(Problem(role, column, (), message, fix))

    if key not in columns:
        bad(
            key,
            N_("the id column is missing"),
            N_("read the people with read_people (attribute {key})").format(key=key),
        )
    else:
        ids = df[key]
        if ids.isna().any():
            bad(
                key,
                N_("{sum} empty id(s)").format(sum=int(ids.isna().sum())),
                N_("give every person an id"),
            )
        dup = sorted(set(ids[ids.duplicated() & ids.notna()].astype(str)))
        if dup:
            bad(
                key,
                N_("id(s) listed twice: {dup}").format(dup=", ".join(dup[:5])),
                N_("give every person its own id"),
            )
    seen = set()
    for attr, kind, name in _uses(criteria, hard, side):
        if (attr, kind) in seen:
            continue
        seen.add((attr, kind))
        if attr not in columns:
            bad(
                attr,
                N_("column is missing (rule {name} reads it)").format(name=name),
                N_("declare the attribute {attr} for the {role}, or change the rule").format(
                    attr=attr, role=role
                ),
            )
            continue
        message = _column_problem(df, role, attr, kind, name)
        if message:
            bad(attr, message, N_("declare the attribute with the type the rule needs"))
    if role == "mentors" and "capacity" in columns:
        cap = pd.to_numeric(df["capacity"], errors="coerce")
        if cap.isna().any() or (cap < 0).any() or (cap != cap.round()).any():
            bad(
                "capacity",
                N_("capacity must be a whole number >= 0"),
                N_("fix the capacity column"),
            )
    if problems:
        raise DataValidationError(problems)
    return (
        df.assign(**{key: df[key].astype(str)})
        .sort_values(key, kind="stable")
        .reset_index(drop=True)
    )
