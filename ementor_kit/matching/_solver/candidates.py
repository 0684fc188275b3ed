"""Candidate pairs as dense arrays in id order (private)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_


def _factorize_ids(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (signed integers, -1 for missing) and unique ids (object array of str) of an id
    column.

    Ids are compared as text: ``1`` and ``"1"`` are the same person. Categorical codes are
    returned as they are (their own small integer type, no copy) when no two categories have
    the same text, the usual case.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        raw = s.cat.codes.to_numpy()
        cats = s.cat.categories.astype("str")
        cat_codes, uniques = pd.factorize(cats)
        if np.array_equal(cat_codes, np.arange(len(cats))):
            return raw, np.asarray(uniques, dtype=object)
        codes = np.where(raw >= 0, np.asarray(cat_codes, dtype=np.int64)[raw], -1)
    else:
        if not isinstance(s.dtype, pd.StringDtype):
            s = s.astype("str")
        # hashing the object array is several times faster than factorising the string array
        codes, uniques = pd.factorize(s.to_numpy(dtype=object))
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


_SCATTER_ROWS = 1 << 20


def _linear(a: np.ndarray, b: np.ndarray, re_: np.ndarray, rm: np.ndarray, k: int) -> np.ndarray:
    """Cell of each (mentee code, mentor code) in the mentees x mentors matrix in id order."""
    lin = re_[a]
    lin *= k
    lin += rm[b]
    return lin


def _candidate_arrays(
    e: pd.Series, m: pd.Series, scores: np.ndarray, file: str = "candidates"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Dense value matrix (NaN where not listed), allowed mask, mentee ids, mentor ids.

    Rows and columns are in id order.
    """
    a, ids_e = _factorize_ids(e)
    b, ids_m = _factorize_ids(m)
    problems = []
    for name, codes, ids in (("mentee_id", a, ids_e), ("mentor_id", b, ids_m)):
        na = codes < 0
        blank = np.flatnonzero([not str(x).strip() for x in ids])  # "" or spaces: no id either
        if len(blank):
            na |= np.isin(codes, blank)
        if na.any():
            problems.append(
                Problem(
                    file,
                    name,
                    tuple(np.flatnonzero(na)[:50] + 2),
                    N_("empty id"),
                    N_("fill in every id or drop the row"),
                )
            )
    if problems:
        raise DataValidationError(problems)
    # sort ids: rank of each code
    oe = np.argsort(ids_e.astype(str), kind="stable")
    om = np.argsort(ids_m.astype(str), kind="stable")
    re_ = np.empty(len(oe), dtype=np.int64)
    re_[oe] = np.arange(len(oe))
    rm = np.empty(len(om), dtype=np.int64)
    rm[om] = np.arange(len(om))
    n, k = len(oe), len(om)
    value = np.full(n * k, np.nan)
    allowed = np.zeros(n * k, dtype=bool)
    for s0 in range(0, len(a), _SCATTER_ROWS):  # by parts: no table-long int64 temporaries
        lin = _linear(a[s0 : s0 + _SCATTER_ROWS], b[s0 : s0 + _SCATTER_ROWS], re_, rm, k)
        value[lin] = scores[s0 : s0 + _SCATTER_ROWS]
        allowed[lin] = True
    if int(np.count_nonzero(allowed)) != len(a):
        lin = _linear(a, b, re_, rm, k)
        counts = np.bincount(lin, minlength=n * k)
        dup = np.flatnonzero(counts[lin] > 1)
        raise DataValidationError(
            [
                Problem(
                    file,
                    "mentee_id, mentor_id",
                    tuple(dup[:50] + 2),
                    N_("duplicate pairs"),
                    N_("list each (mentee_id, mentor_id) once"),
                )
            ]
        )
    return value.reshape(n, k), allowed.reshape(n, k), ids_e[oe], ids_m[om]
