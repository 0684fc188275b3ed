"""Small-cell suppression as the pilot report applies it to its tables.

Thin wrappers around :func:`ementor_kit.survey.privacy.suppress_small_cells` for the shapes
the report shows: a table of counts with margins, a list of counts by category, rows
suppressed one by one, the n of a statistic, and shares that only appear when both their
counts do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ementor_kit.survey.privacy import suppress_small_cells

__all__ = [
    "count_list",
    "guard_statistics",
    "shown_share",
    "suppress_primary",
    "suppress_rows",
    "suppress_table",
]


def suppress_table(
    counts: pd.DataFrame, k: int, *, row_total: bool, col_total: bool
) -> pd.DataFrame:
    """Suppress a table of counts with margins, then drop totals that mean nothing.

    Suppression always assumes both margins are known (the safe side); dropping a margin from
    what is shown only removes information.

    Examples
    --------
    >>> t = pd.DataFrame({"a": [9, 2], "b": [8, 7]}, index=["x", "y"])
    >>> suppress_table(t, 5, row_total=True, col_total=False)
              a     b
    x      <NA>  <NA>
    y      <NA>  <NA>
    Total    11    15
    """
    counts = counts.astype(np.int64)
    out = suppress_small_cells(counts, k, margins=True).table
    if not row_total:
        out = out.drop(index="Total")
    if not col_total:
        out = out.drop(columns="Total")
    return out


def count_list(
    values: Mapping[str, int], k: int, label: str, *, total: bool = True
) -> pd.DataFrame:
    """A one-column table of counts by category (Total row), suppressed.

    Examples
    --------
    >>> count_list({"used": 40, "no score": 3, "no pair": 6}, 5, "what")
           what  count
    0      used     40
    1  no score   <NA>
    2   no pair   <NA>
    3     Total     49
    """
    index = pd.Index([str(x) for x in values], name=label)
    df = pd.DataFrame({"count": [int(v) for v in values.values()]}, index=index)
    out = suppress_table(df, k, row_total=total, col_total=False)
    return out.reset_index()


def suppress_rows(counts: pd.DataFrame, k: int) -> pd.DataFrame:
    """Suppress each row on its own against its row total (columns have no meaningful total).

    The row total is added as ``Total``; a row with a small cell hides it and enough other
    cells of the row that none can be recomputed from the total.

    Examples
    --------
    >>> suppress_rows(pd.DataFrame({"scored": [30, 28], "too few": [0, 2]}), 5)
       scored  too few  Total
    0      30        0     30
    1    <NA>     <NA>     30
    """
    rows = [
        suppress_small_cells(counts.iloc[[i]].astype(np.int64), k, margins=True).table.iloc[[0]]
        for i in range(len(counts))
    ]
    return pd.concat(rows)


def suppress_primary(values: Sequence[int] | pd.Series, k: int) -> pd.Series:
    """Primary suppression only (for the n of a statistic): counts 1..k-1 become NA.

    Examples
    --------
    >>> suppress_primary([0, 3, 12], 5).tolist()
    [0, <NA>, 12]
    """
    s = pd.Series(np.asarray(values, dtype=np.int64))
    out = suppress_small_cells(s.to_frame("n"), k, margins=False).table["n"]
    return out.reset_index(drop=True)


def guard_statistics(
    df: pd.DataFrame,
    n_col: str,
    stats: Sequence[str],
    k: int,
    *,
    total: Sequence[int] | None = None,
    shown: Sequence[object] | None = None,
) -> pd.DataFrame:
    """Hide the n of a statistic when small, and the statistics resting on fewer than k.

    Parameters
    ----------
    df : DataFrame
        One row per statistic, with its n in ``n_col``.
    n_col : str
    stats : sequence of str
        Columns of statistics resting on ``n_col``: NaN where n < k.
    k : int
    total : sequence of int, optional
        A published total each n is part of (e.g. all pairs, when n counts the pairs where a
        measure is defined): the n is then protected with its complement ``total - n``
        against that total, so a small complement cannot be recovered by subtraction.
    shown : sequence, optional
        The n as another table already shows it (``<NA>`` where hidden there): used as is,
        so the same count is never hidden in one table and shown in another.

    Examples
    --------
    >>> df = pd.DataFrame({"measure": ["a", "b"], "n": [12, 3], "mean": [1.5, 2.5]})
    >>> guard_statistics(df, "n", ["mean"], 5)
      measure     n  mean
    0       a    12   1.5
    1       b  <NA>   NaN
    >>> guard_statistics(df, "n", ["mean"], 5, total=[14, 14])["n"].tolist()
    [<NA>, <NA>]
    """
    df = df.reset_index(drop=True)
    raw = df[n_col].fillna(0).astype(np.int64).to_numpy()
    if shown is not None:
        n = pd.Series(pd.array(list(shown), dtype="Int64"))
    elif total is not None:
        both = pd.DataFrame({"n": raw, "rest": np.asarray(total, dtype=np.int64) - raw})
        n = suppress_rows(both, k)["n"].reset_index(drop=True)
    else:
        n = suppress_primary(raw, k)
    hide = raw < k
    out = df.assign(**{n_col: n})
    for c in stats:
        out[c] = out[c].astype("float64").mask(hide)
    return out


def shown_share(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den where both are shown (NA otherwise).

    Examples
    --------
    >>> num = pd.Series(pd.array([6, None, 0], dtype="Int64"))
    >>> den = pd.Series(pd.array([8, 9, 0], dtype="Int64"))
    >>> shown_share(num, den).tolist()
    [0.75, <NA>, <NA>]
    """
    n = num.astype("Float64")
    d = den.astype("Float64")
    return (n / d.where(d > 0)).astype("Float64")
