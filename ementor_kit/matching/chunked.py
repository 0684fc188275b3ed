"""Exact pairing when the mentees x mentors scores do not fit in memory: :func:`assign_in_chunks`.

:func:`~ementor_kit.matching.optimise.assign` takes a table of candidate pairs; at 100,000
mentees and 37,000 mentors that table has 3.7 billion rows. :func:`assign_in_chunks` asks for
the scores instead, a block of mentee rows at a time, and solves by min-cost flow on candidate
pairs with every other pair priced by the flow's duals (the sparse method of
:mod:`ementor_kit.matching._solver`), so optimality over all pairs is proven while only one block
and the candidates are ever held. A pricing pass asks for every block again; between passes
the pairs near the optimum are priced without the scores, and a bound on the others decides
which blocks must be read again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice, check_whole
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.i18n.language import N_
from ementor_kit.matching._solver.lsa import _solve_pure
from ementor_kit.matching._solver.sparse import _chunk_rows, _solve_sparse
from ementor_kit.matching.optimise import Assignment, _assignment, _capacity_series

__all__ = ["assign_in_chunks"]

CHUNK_OBJECTIVES = ("coverage_then_score", "score")

ScoreRows = Callable[[int, int], np.ndarray]


def _checked_block(
    score_rows: ScoreRows, r0: int, r1: int, mentors: np.ndarray, mentees: np.ndarray
) -> np.ndarray:
    """Rows r0:r1 of the scores (float32 kept, other numbers as float64; a DataFrame's columns
    taken by mentor id), once they are numbers of the right shape without infinity."""
    m = len(mentors)
    got = score_rows(r0, r1)
    if isinstance(got, pd.DataFrame):
        got = _frame_block(got, mentors, mentees, r0, r1)
    block = np.asarray(got)
    if block.dtype.kind == "O" and pd.api.types.infer_dtype(block.ravel(), skipna=True) in (
        "floating",
        "integer",
        "mixed-integer-float",
        "decimal",
        "empty",
    ):  # lists holding None for the pairs not allowed
        block = block.astype(np.float64)
    if block.dtype.kind not in "iuf":
        raise InvalidArgumentError(
            "score_rows",
            f"score_rows({r0}, {r1})",
            N_("return numbers (NaN for a pair that is not allowed), not a mask or text"),
            message=N_("score_rows({r0}, {r1}) returned values of type {dtype}").format(
                r0=r0, r1=r1, dtype=block.dtype
            ),
        )
    if block.dtype != np.float32:
        block = block.astype(np.float64, copy=False)
    if block.shape != (r1 - r0, m):
        raise InvalidArgumentError(
            "score_rows",
            f"score_rows({r0}, {r1})",
            N_("return one row per mentee asked for and one column per mentor of capacity"),
            message=N_(
                "score_rows({r0}, {r1}) returned an array of shape {shape}, not {want}"
            ).format(r0=r0, r1=r1, shape=block.shape, want=(r1 - r0, m)),
        )
    if np.isinf(block).any():
        raise InvalidArgumentError(
            "score_rows",
            f"score_rows({r0}, {r1})",
            N_("give finite scores, and NaN for a pair that is not allowed"),
            message=N_("score_rows({r0}, {r1}) returned an infinite score").format(r0=r0, r1=r1),
        )
    return block


def _frame_block(
    frame: pd.DataFrame, mentors: np.ndarray, mentees: np.ndarray, r0: int, r1: int
) -> np.ndarray:
    """A DataFrame of scores as the block of rows r0:r1: columns taken by mentor id (as text),
    rows by position or by mentee id."""
    cols = frame.columns.astype("str")
    twice = cols[cols.duplicated()].unique().tolist()
    have, known = set(cols), set(mentors)
    if twice or have != known:
        missing = [str(x) for x in mentors if x not in have]
        extra = [str(x) for x in cols if x not in known]
        raise InvalidArgumentError(
            "score_rows",
            f"score_rows({r0}, {r1})",
            N_("give the DataFrame one column per mentor of capacity, labelled by its id"),
            message=N_(
                "score_rows({r0}, {r1}) returned a DataFrame whose columns are not the mentors "
                "of capacity (missing: {missing}; not mentors: {extra}; twice: {twice})"
            ).format(
                r0=r0,
                r1=r1,
                missing=", ".join(missing[:5]) or "-",
                extra=", ".join(extra[:5]) or "-",
                twice=", ".join(twice[:5]) or "-",
            ),
        )
    frame = frame.set_axis(cols, axis=1)[list(mentors)]
    asked = mentees[r0:r1]
    rows = frame.index
    by_position = rows.equals(pd.RangeIndex(len(frame))) or rows.equals(pd.RangeIndex(r0, r1))
    if not by_position:
        labels = rows.astype("str")
        if labels.has_duplicates or set(labels) != set(asked):
            raise InvalidArgumentError(
                "score_rows",
                f"score_rows({r0}, {r1})",
                N_(
                    "label the DataFrame's rows 0, 1, ... (or start to stop - 1), or by the "
                    "mentee ids asked for"
                ),
                message=N_(
                    "score_rows({r0}, {r1}) returned a DataFrame whose rows are neither "
                    "positions nor the mentees asked for"
                ).format(r0=r0, r1=r1),
            )
        frame = frame.set_axis(labels, axis=0).loc[list(asked)]
    dtypes = frame.dtypes
    numeric = [
        pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d) for d in dtypes
    ]
    if not all(numeric):
        return np.asarray(frame)  # refused by the caller, with its type
    single = all(d == np.float32 for d in dtypes)
    return frame.to_numpy(dtype=np.float32 if single else np.float64, na_value=np.nan)


def _no_blank(name: str, given: list) -> None:
    blank = [k for k, x in enumerate(given) if pd.isna(x) or not str(x).strip()]
    if blank:
        at = ", ".join(map(str, blank[:10]))
        raise InvalidArgumentError(
            name,
            f"position(s) {at}",
            N_("give every mentee and mentor an id (not empty)"),
            message=N_("empty id at position(s) {at}").format(at=at),
        )


def assign_in_chunks(
    score_rows: ScoreRows,
    mentee_ids: Sequence[str],
    capacity: Mapping[str, int] | pd.Series,
    *,
    objective: str = "coverage_then_score",
    workers: int | None = None,
) -> Assignment:
    """Optimal pairs from scores asked for a block of mentees at a time (no dense matrix).

    Parameters
    ----------
    score_rows : callable
        ``score_rows(start, stop)`` returns the scores of mentees ``start`` to ``stop - 1``
        (positions in ``mentee_ids``) against every mentor, in the order of ``capacity``: an
        array of shape ``(stop - start, number of mentors)``, NaN where the pair is not
        allowed (or a DataFrame with a column per mentor, labelled by its id, in any order).
        It is called again for the same rows in each pricing round, so it must give
        the same scores every time (compute them, or read them from a file). float32 scores
        are used as they are (half the memory traffic of float64; the proof is made on their
        exact values); other numbers are read as float64.
    mentee_ids : sequence of str
        The mentees, in the order of the rows (ids are text: ``1`` and ``"1"`` are one
        person, and the pairs give them as text).
    capacity : Series or dict
        Mentor id -> number of mentees (int >= 0), in the order of the columns.
    objective : {"coverage_then_score", "score"}
        The most pairs, then the highest total score; or the highest total score (pairs
        scoring <= 0 never used). ``maximin`` and quotas need :func:`assign`.
    workers : int, optional
        Threads reading blocks at once (default: the machine's cores). ``score_rows`` is then
        called from several threads at a time, which a function of ``(start, stop)`` alone
        allows; pass ``workers=1`` for one that is not safe to call so.

    Returns
    -------
    Assignment
        As :func:`assign`: ``pairs`` (``mentee_id, mentor_id, score`` sorted by the mentees'
        order), ``proven_optimal`` and ``notes`` (the pricing rounds and candidate pairs).
        When the floating-point proof fails, the full score matrix is built (for this once it
        must fit in memory) and solved by the dense method, and ``notes`` says so.

    Notes
    -----
    The memory held is one block of ``2**21`` scores per thread (8 MB in float32, 16 MB in
    float64), the candidate pairs (each mentee's best few and those the pricing adds: about
    850,000 at 100,000 x 37,000) and the near pairs kept between passes (up to 128 per
    mentee): 0.95 GB in all at that size. Time grows with the number of scores times the
    passes over them (about three at that size) plus one min-cost flow per round (five there;
    ``benchmarks/bench_scale.py --huge``).

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.array([[90.0, 60.0], [80.0, np.nan], [70.0, 65.0]])
    >>> res = assign_in_chunks(lambda a, b: scores[a:b], ["E1", "E2", "E3"], {"M1": 2, "M2": 1})
    >>> res.pairs.values.tolist()
    [['E1', 'M1', 90.0], ['E2', 'M1', 80.0], ['E3', 'M2', 65.0]]
    >>> res.proven_optimal
    True
    """
    if not callable(score_rows):
        raise ArgumentTypeError(
            "score_rows",
            score_rows,
            N_("pass a function score_rows(start, stop) returning those mentees' score rows"),
        )
    check_choice("objective", objective, CHUNK_OBJECTIVES)
    if workers is None:
        workers = os.cpu_count() or 1
    check_whole("workers", workers, minimum=1, example="1 or 4")
    _no_blank("mentee_ids", list(mentee_ids))
    ids = np.asarray([str(x) for x in mentee_ids], dtype=object)
    dup = pd.Index(ids)[pd.Index(ids).duplicated()].unique()
    if len(dup):
        raise InvalidArgumentError(
            "mentee_ids",
            ", ".join(dup[:10]),
            N_("give each mentee once: one id per row of the scores"),
        )
    cap_s = _capacity_series(capacity)
    _no_blank("capacity", list(capacity.index if isinstance(capacity, pd.Series) else capacity))
    mentor_ids = cap_s.index.to_numpy(dtype=object)
    cap = cap_s.to_numpy(dtype=np.int64)
    n, m = len(ids), len(mentor_ids)

    def source(r0: int, r1: int) -> np.ndarray:
        return _checked_block(score_rows, r0, r1, mentor_ids, ids)

    res = _solve_sparse(source, n, m, cap, objective, workers)
    if res is None:  # the dense method on the whole matrix (noted)
        step = _chunk_rows(m)
        value = np.vstack([source(r0, min(n, r0 + step)) for r0 in range(0, n, step)])
        rows, cols, info = _solve_pure(value, ~np.isnan(value), cap, objective)
        info.notes.append("sparse method could not prove its optimum in floats: dense method used")
        score = value[rows, cols]
    else:
        rows, cols, info = res
        assert info.scores is not None  # the sparse method keeps the candidates' scores
        score = info.scores
    order = np.argsort(rows, kind="stable")
    rows, cols, score = rows[order], cols[order], score[order]
    pairs = pd.DataFrame(
        {
            "mentee_id": pd.array(ids[rows], dtype="str"),
            "mentor_id": pd.array(mentor_ids[cols], dtype="str"),
            "score": score,
        }
    )
    return _assignment(pairs, objective, info)
