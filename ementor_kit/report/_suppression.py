"""Small-cell suppression as the pilot report applies it to its tables, and its audit.

Thin wrappers around :func:`ementor_kit.survey.privacy.suppress_small_cells` for the shapes
the report shows: a table of counts with margins, a list of counts by category, rows
suppressed one by one, the n of a statistic, and shares that only appear when both their
counts do.

A table protected on its own can still give a hidden count back through what other tables
show: a derived column (``df = pairs - 1``), a count another table shows (the same mentee
responses in two stages of 'What was left out'), a sum published elsewhere (a file's rows in
'Files read'). :class:`Relation` writes down such knowledge; :func:`protected_list` hides
enough cells of a list of counts that none can be worked out with it, and
:func:`audit_tables` checks a whole report: it raises :class:`DisclosureError` when any hidden
count can be worked out from the shown cells and every relation at once (linear algebra, then
two linear programmes per cell for what non-negative counts add, as
:func:`~ementor_kit.survey.privacy.suppress_small_cells` does within one table).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from ementor_kit.errors import DisclosureError
from ementor_kit.survey.privacy import suppress_small_cells

if TYPE_CHECKING:
    from ementor_kit.report.model import ReportTable

__all__ = [
    "CellRef",
    "Relation",
    "ReportKnowledge",
    "adds_up",
    "audit_tables",
    "count_list",
    "guard_statistics",
    "protected_list",
    "protected_table",
    "row_labels",
    "same_count",
    "settle_tables",
    "shown_cells",
    "shown_share",
    "suppress_primary",
    "suppress_rows",
    "suppress_table",
    "table_relations",
]

_TOL = 1e-9


@dataclass(frozen=True)
class CellRef:
    """One cell of a report table: the table's name, the row's labels and the column.

    ``row`` holds the values of the row's label columns (see :func:`row_labels`) as text.

    Examples
    --------
    >>> print(CellRef("left_out", ("GSE T0 -> T1 (mentees)", "answered T1 only"), "count"))
    left_out [GSE T0 -> T1 (mentees) / answered T1 only] count
    """

    table: str
    row: tuple[str, ...]
    column: str

    def __str__(self) -> str:
        return f"{self.table} [{' / '.join(self.row)}] {self.column}"


@dataclass(frozen=True)
class Relation:
    """What any reader of the report knows: sum of coefficient x cell = constant.

    Examples
    --------
    >>> pairs = CellRef("prepost", ("GSE", "General self-efficacy"), "pairs")
    >>> df = CellRef("prepost", ("GSE", "General self-efficacy"), "df")
    >>> Relation(((pairs, 1.0), (df, -1.0)), 1.0, "df = pairs - 1").why
    'df = pairs - 1'
    """

    terms: tuple[tuple[CellRef, float], ...]
    constant: float
    why: str


def adds_up(parts: Iterable[CellRef], total: CellRef, why: str) -> Relation:
    """The relation ``sum(parts) = total``.

    Examples
    --------
    >>> r = adds_up([CellRef("t", ("a",), "n"), CellRef("t", ("b",), "n")],
    ...             CellRef("t", ("Total",), "n"), "the total")
    >>> [c for _, c in r.terms], r.constant
    ([1.0, 1.0, -1.0], 0.0)
    """
    return Relation((*((p, 1.0) for p in parts), (total, -1.0)), 0.0, why)


def same_count(a: CellRef, b: CellRef, why: str) -> Relation:
    """The relation ``a = b``: two tables show the same count.

    Examples
    --------
    >>> same_count(CellRef("a", ("x",), "n"), CellRef("b", ("y",), "n"), "same").constant
    0.0
    """
    return Relation(((a, 1.0), (b, -1.0)), 0.0, why)


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


def row_labels(data: pd.DataFrame, counts: Sequence[str]) -> list[tuple[str, ...]]:
    """Each row's labels: the text columns before the first count column (as text).

    Examples
    --------
    >>> df = pd.DataFrame({"stage": ["s", "s"], "what": ["used", "Total"], "count": [4, 4]})
    >>> row_labels(df, ["count"])
    [('s', 'used'), ('s', 'Total')]
    """
    cols = list(data.columns)
    first = next((i for i, c in enumerate(cols) if c in counts), len(cols))
    label_cols = [c for c in cols[:first] if not pd.api.types.is_numeric_dtype(data[c])]
    return [
        tuple(str(v) for v in row) for row in data[label_cols].itertuples(index=False, name=None)
    ]


@dataclass(frozen=True, eq=False)
class _View:
    """The three things the audit reads of a table (a ReportTable, or one being built)."""

    name: str
    data: pd.DataFrame
    counts: tuple[str, ...]


def table_relations(table: ReportTable | _View) -> list[Relation]:
    """What a table's own totals tell: each block of rows adds up to the ``Total`` row closing
    it (one block per stage of 'What was left out'), the count columns of a row to its
    ``Total`` column.

    Examples
    --------
    >>> from ementor_kit.report.model import ReportTable
    >>> t = ReportTable("n", "N", pd.DataFrame({"what": ["a", "b", "Total"], "count": [3, 4, 7]}),
    ...                 counts=("count",))
    >>> [str(ref) for ref, _ in table_relations(t)[0].terms]
    ['n [a] count', 'n [b] count', 'n [Total] count']
    """
    labels = row_labels(table.data, table.counts)
    out = []
    start = 0
    for i, lab in enumerate(labels):
        if lab and lab[-1] == "Total":
            for c in table.counts:
                parts = [CellRef(table.name, labels[j], c) for j in range(start, i)]
                if parts:
                    why = f"the totals of '{table.name}'"
                    out.append(adds_up(parts, CellRef(table.name, lab, c), why))
            start = i + 1
    if "Total" in table.counts:
        others = [c for c in table.counts if c != "Total"]
        for lab in labels:
            parts = [CellRef(table.name, lab, c) for c in others]
            why = f"the row totals of '{table.name}'"
            out.append(adds_up(parts, CellRef(table.name, lab, "Total"), why))
    return out


def _shown(value: object) -> float | None:
    """A displayed number as float, None where hidden (NA, NaN)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(value)  # type: ignore[arg-type]


def shown_cells(table: ReportTable | _View) -> tuple[dict[CellRef, float | None], list[CellRef]]:
    """Every number of a table as shown (None where hidden) and which of them are counts.

    Examples
    --------
    >>> from ementor_kit.report.model import ReportTable
    >>> t = ReportTable("n", "N", pd.DataFrame({"what": ["a"], "count": pd.array([None],
    ...                 dtype="Int64"), "share": [0.5]}), counts=("count",))
    >>> value, counts = shown_cells(t)
    >>> sorted(str(c) for c in value), [str(c) for c in counts]
    (['n [a] count', 'n [a] share'], ['n [a] count'])
    """
    value: dict[CellRef, float | None] = {}
    counts: list[CellRef] = []
    seen: dict[tuple[str, ...], int] = {}
    for i, lab in enumerate(row_labels(table.data, table.counts)):
        n = seen[lab] = seen.get(lab, 0) + 1
        row = lab if n == 1 else (*lab, f"#{n}")
        for col in table.data.columns:
            v = table.data[col].iloc[i]
            if isinstance(v, str | bool) or not (
                v is None or v is pd.NA or isinstance(v, int | float | np.number)
            ):
                continue
            ref = CellRef(table.name, row, str(col))
            value[ref] = _shown(v)
            if col in table.counts:
                counts.append(ref)
    return value, counts


class ReportKnowledge:
    """What a reader of the report knows so far: the numbers of the tables built, as shown, the
    tables' totals and the relations between tables.

    Tables are protected in report order, each against what the tables before it show
    (:func:`protected_list`, :func:`protected_table`); :func:`audit_tables` then checks the
    finished report.

    Examples
    --------
    >>> from ementor_kit.report.model import ReportTable
    >>> known = ReportKnowledge()
    >>> known.show(ReportTable("n", "N", pd.DataFrame({"what": ["a", "Total"],
    ...                                                "count": [7, 7]}), counts=("count",)))
    >>> known.value[CellRef("n", ("Total",), "count")], len(known.relations)
    (7.0, 1)
    """

    def __init__(self) -> None:
        self.value: dict[CellRef, float | None] = {}
        self.counts: set[CellRef] = set()
        self.relations: list[Relation] = []

    def show(self, table: ReportTable | _View) -> None:
        """Add a table as it is shown, with its own totals."""
        value, counts = shown_cells(table)
        self.value.update(value)
        self.counts.update(counts)
        self.relations += table_relations(table)

    def show_frame(self, name: str, data: pd.DataFrame, counts: Sequence[str]) -> None:
        """Add part of a table as it is shown (e.g. one stage of 'What was left out')."""
        self.show(_View(name, data, tuple(counts)))

    def relate(self, relations: Iterable[Relation]) -> None:
        """Add what a reader knows besides the tables' totals (used once the cells exist)."""
        self.relations += list(relations)


def _system(
    relations: Sequence[Relation], value: Mapping[CellRef, float | None]
) -> tuple[list[CellRef], np.ndarray, np.ndarray]:
    """The unknown cells and the equations ``a @ x = b`` the relations put on them.

    A relation naming a cell that ``value`` does not hold does not apply (its table is not in
    this report).
    """
    usable = [r for r in relations if all(ref in value for ref, _ in r.terms)]
    unknown = list(dict.fromkeys(ref for r in usable for ref, _ in r.terms if value[ref] is None))
    pos = {ref: j for j, ref in enumerate(unknown)}
    a = np.zeros((len(usable), len(unknown)))
    b = np.zeros(len(usable))
    for e, r in enumerate(usable):
        b[e] = r.constant
        for ref, coef in r.terms:
            v = value[ref]
            if v is None:
                a[e, pos[ref]] += coef
            else:
                b[e] -= coef * v
    keep = np.abs(a).max(axis=1, initial=0.0) > _TOL
    return unknown, a[keep], b[keep]


def _exposed(a: np.ndarray, b: np.ndarray, nonneg: Sequence[bool]) -> list[int]:
    """Unknowns that ``a @ x = b`` fixes exactly, or (with x >= 0 where ``nonneg``) to within
    less than one unit."""
    n = a.shape[1]
    if n == 0 or a.shape[0] == 0:
        return []
    _, sv, vt = np.linalg.svd(a)
    rank = int((sv > _TOL * max(1.0, float(sv.max(initial=0.0)))).sum())
    null = vt[rank:]
    free = np.abs(null).max(axis=0) > _TOL if len(null) else np.zeros(n, dtype=bool)
    out = [j for j in range(n) if not free[j]]
    bounds = [(0.0, None) if nn else (None, None) for nn in nonneg]
    for j in np.flatnonzero(free):
        c = np.zeros(n)
        c[j] = 1.0
        lo = linprog(c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        if lo.status != 0 or hi.status not in (0, 3):
            continue  # no bound to speak of (or rounding made it infeasible): not pinned
        top = np.inf if hi.status == 3 else -hi.fun
        if top - lo.fun < 1 - _TOL:
            out.append(int(j))
    return sorted(out)


def _exposed_near(
    relations: Sequence[Relation],
    value: Mapping[CellRef, float | None],
    counts: Container[CellRef],
    near: Collection[CellRef],
) -> set[CellRef]:
    """Hidden cells that can be worked out, among those linked to the cells ``near``.

    Only the equations linked to ``near`` through hidden cells matter: the others are
    independent of them (a shown cell is a constant).
    """
    linked = _linked(relations, value, near)
    unknown, a, b = _system(linked, value)
    return {unknown[j] for j in _exposed(a, b, [u in counts for u in unknown])}


def _linked(
    relations: Sequence[Relation], value: Mapping[CellRef, float | None], near: Collection[CellRef]
) -> list[Relation]:
    """The relations naming a cell of ``near``, and those linked to them through hidden cells."""
    usable = [r for r in relations if all(ref in value for ref, _ in r.terms)]
    by_cell: dict[CellRef, list[int]] = {}
    for e, r in enumerate(usable):
        for ref, _ in r.terms:
            if value[ref] is None:
                by_cell.setdefault(ref, []).append(e)
    chosen = {e for e, r in enumerate(usable) if any(ref in near for ref, _ in r.terms)}
    todo = [ref for e in chosen for ref, _ in usable[e].terms if value[ref] is None]
    seen = set(todo)
    while todo:
        for e in by_cell.get(todo.pop(), ()):
            if e not in chosen:
                chosen.add(e)
                for ref, _ in usable[e].terms:
                    if value[ref] is None and ref not in seen:
                        seen.add(ref)
                        todo.append(ref)
    return [usable[e] for e in sorted(chosen)]


def _twins(
    relations: Sequence[Relation], cells: Collection[CellRef], known: Mapping[CellRef, object]
) -> dict[CellRef, object]:
    """Cells of a table being built that another table already shows (``a = b``): shown or
    hidden as there, so a count is never hidden in one table and shown in another."""
    out: dict[CellRef, object] = {}
    for r in relations:
        if len(r.terms) != 2 or r.constant != 0:
            continue
        (a, ca), (b, cb) = r.terms
        if ca + cb != 0 or abs(ca) != 1:
            continue
        for mine, other in ((a, b), (b, a)):
            if mine in cells and other in known and other not in cells:
                out.setdefault(mine, known[other])
    return out


def _protect(
    raw: Mapping[CellRef, int],
    hidden: set[CellRef],
    k: int,
    relations: Sequence[Relation],
    known: ReportKnowledge | None,
    *,
    fixed: Mapping[CellRef, object] | None = None,
    prefer_shown: Collection[CellRef] = (),
    totals: Collection[CellRef] = (),
) -> set[CellRef]:
    """The cells of a table to hide, starting from ``hidden``, so that none of its hidden cells
    nor any hidden cell already shown elsewhere (``known``) can be worked out.

    ``fixed`` cells (and those another table already shows, see :func:`_twins`) are shown or
    hidden as given; then one more cell at a time is hidden, the one leaving the fewest cells
    exposed - outside ``prefer_shown`` if possible, a category before a total, a non-zero
    count, then the smallest - until nothing that this table can protect is exposed. A cell
    the other tables give away whatever this table hides is shown (unless small).
    """
    base = dict(known.value) if known is not None else {}
    counts = {*(known.counts if known is not None else ()), *raw}
    rels = [*(known.relations if known is not None else ()), *relations]
    order = list(raw)
    pinned = {**_twins(rels, order, base), **(fixed or {})}
    hidden = set(hidden)
    for cell, shown in pinned.items():
        if _shown(shown) is None or 1 <= raw[cell] < k:
            hidden.add(cell)
        else:
            hidden.discard(cell)

    def exposed(hide: set[CellRef]) -> set[CellRef]:
        value = {**base, **{c: None if c in hide else float(v) for c, v in raw.items()}}
        return _exposed_near(rels, value, counts, order)

    unfixable = exposed(set(order))  # given away whatever this table hides
    left = exposed(hidden) - unfixable
    while left:
        options = []
        for i, cell in enumerate(order):
            if cell in hidden or cell in pinned:
                continue
            after = exposed(hidden | {cell}) - unfixable
            v = int(raw[cell])
            rank = (cell in prefer_shown, len(after), cell in totals, v == 0, v, i)
            options.append((rank, cell, after))
        if not options:
            break  # nothing left to hide here: the report's audit names the cell
        _, cell, left = min(options, key=lambda o: o[0])
        hidden.add(cell)
    # a cell the other tables give away whatever this one hides (e.g. a total of counts shown
    # elsewhere) protects nothing: shown, unless it is small (then the audit names the leak)
    return {c for c in hidden if c not in unfixable or c in pinned or 1 <= raw[c] < k}


def audit_tables(tables: Sequence[ReportTable], relations: Sequence[Relation]) -> None:
    """Raise :class:`DisclosureError` if a hidden count of ``tables`` can be worked out.

    Every table's own totals (:func:`table_relations`) and ``relations`` are used together;
    a cell is given away when they fix it exactly, or to within less than one unit knowing that
    counts are not negative.

    Parameters
    ----------
    tables : sequence of ReportTable
        The tables as shown (count columns with ``<NA>`` where hidden).
    relations : sequence of Relation
        What else a reader knows (derived columns, the same count in two tables, sums shown
        elsewhere); a relation about a table that is not in ``tables`` is left aside.

    Raises
    ------
    DisclosureError
        Naming the first such cell, in table order, and what gives it away (``cells``: all
        of them).

    Examples
    --------
    >>> from ementor_kit.report.model import ReportTable
    >>> counts = pd.array([30, None, None, 39], dtype="Int64")
    >>> t = ReportTable("n", "N", pd.DataFrame({"what": ["a", "b", "c", "Total"],
    ...                                         "count": counts}), counts=("count",))
    >>> audit_tables([t], [])  # b + c = 9: neither can be told
    >>> c_shown = ReportTable("c", "C", pd.DataFrame({"what": ["c"], "n": [7]}), counts=("n",))
    >>> audit_tables([t, c_shown], [same_count(CellRef("n", ("c",), "count"),
    ...                                        CellRef("c", ("c",), "n"), "c is shown in C")])
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DisclosureError: table 'n', row 'b', column 'count': this hidden count can be worked out from what the report shows (the totals of 'n'). Fix: ...
    """
    value: dict[CellRef, float | None] = {}
    order: dict[CellRef, int] = {}
    for t in tables:
        cells, counts = shown_cells(t)
        value.update(cells)
        order.update((c, len(order)) for c in counts)
    every = [*(r for t in tables for r in table_relations(t)), *relations]
    unknown, a, b = _system(every, value)
    found = [unknown[j] for j in _exposed(a, b, [ref in order for ref in unknown])]
    leaks = sorted((ref for ref in found if ref in order), key=order.__getitem__)
    if leaks:
        cell = leaks[0]
        raise DisclosureError(
            cell, [r.why for r in every if any(ref == cell for ref, _ in r.terms)], leaks
        )


def _copies(
    relations: Sequence[Relation], cells: Collection[CellRef]
) -> dict[CellRef, set[CellRef]]:
    """Each cell with every cell shown as the same count (``a = b``, directly or in a chain)."""
    parent = {c: c for c in cells}

    def root(c: CellRef) -> CellRef:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for r in relations:
        if len(r.terms) == 2 and r.constant == 0:
            (a, ca), (b, cb) = r.terms
            if ca + cb == 0 and abs(ca) == 1 and a in parent and b in parent:
                parent[root(a)] = root(b)
    groups: dict[CellRef, set[CellRef]] = {}
    for c in cells:
        groups.setdefault(root(c), set()).add(c)
    return {c: groups[root(c)] for c in cells}


def settle_tables(
    tables: Sequence[ReportTable],
    relations: Sequence[Relation],
    hideable: Callable[[CellRef], bool],
) -> set[CellRef]:
    """Shown cells to hide so that no hidden count of the finished report can be worked out.

    The tables were protected in report order, each against those before it; a count can still
    be given away by an earlier table alone read with a later one's structure (e.g. 25 mentees
    and 24 pairs in 'Files read' give the one mentee without a pair). While :func:`audit_tables`
    would find such a cell, one more count is hidden - with every copy of it in other tables,
    all ``hideable`` - the one leaving the fewest cells exposed, then the smallest.

    Parameters
    ----------
    tables : sequence of ReportTable
    relations : sequence of Relation
        As for :func:`audit_tables`.
    hideable : callable
        Whether a count may be hidden here (a table whose other columns do not depend on it).

    Returns
    -------
    set of CellRef
        The cells to hide (empty when the report gives nothing away).

    Examples
    --------
    >>> from ementor_kit.report.model import ReportTable
    >>> files = ReportTable("files", "F", pd.DataFrame({"file": ["mentees", "pairs"],
    ...                                                 "rows": [25, 24]}), counts=("rows",))
    >>> groups = ReportTable("groups", "G", pd.DataFrame(
    ...     {"what": ["with a pair", "without", "Total"],
    ...      "n": pd.array([24, None, 25], dtype="Int64")}), counts=("n",))
    >>> rels = [same_count(CellRef("groups", ("with a pair",), "n"),
    ...                    CellRef("files", ("pairs",), "rows"), "one pair each"),
    ...         same_count(CellRef("groups", ("Total",), "n"),
    ...                    CellRef("files", ("mentees",), "rows"), "the mentees")]
    >>> sorted(str(c) for c in settle_tables([files, groups], rels, lambda c: True))
    ['files [pairs] rows', 'groups [with a pair] n']
    """
    value: dict[CellRef, float | None] = {}
    counts: set[CellRef] = set()
    for t in tables:
        cells, count_cells = shown_cells(t)
        value.update(cells)
        counts.update(count_cells)
    every = [*(r for t in tables for r in table_relations(t)), *relations]
    copies = _copies(every, [c for c in counts if value[c] is not None])
    hidden: set[CellRef] = set()

    def exposed(extra: set[CellRef], near: set[CellRef]) -> set[CellRef]:
        now = {**value, **dict.fromkeys(hidden | extra)}
        return {c for c in _exposed_near(every, now, counts, near) if c in counts}

    unknown = {c for c in counts if value[c] is None}
    left = exposed(set(), unknown)
    while left:
        # candidates: the shown cells of the equations that tie the exposed cells down
        now = {**value, **dict.fromkeys(hidden)}
        near = {ref for r in _linked(every, now, left) for ref, _ in r.terms}
        options = []
        for cell in sorted(near, key=str):
            group = copies.get(cell)
            if group is None or cell in hidden or not all(hideable(c) for c in group):
                continue
            after = exposed(group, left | group)
            options.append(((len(after), int(value[cell] or 0), str(cell)), group, after))
        if not options:
            break  # nothing more to hide: the audit names the cell
        _, group, left = min(options, key=lambda o: o[0])
        hidden |= group
    return hidden


def protected_list(
    values: Mapping[str, int],
    k: int,
    label: str,
    cell: Callable[[str], CellRef],
    relations: Sequence[Relation] = (),
    *,
    known: ReportKnowledge | None = None,
    fixed: Mapping[str, object] | None = None,
    prefer_shown: Sequence[str] = (),
) -> pd.DataFrame:
    """:func:`count_list`, with more cells hidden until none can be worked out with what other
    tables show.

    Starts from :func:`count_list`'s cells (the same list when nothing else gives a cell away),
    then hides more (see :func:`_protect`) until no hidden cell of the list, nor of the tables
    in ``known``, can be worked out.

    Parameters
    ----------
    values : mapping of str to int
        Counts by category (the ``Total`` row is added).
    k : int
    label : str
        Name of the category column.
    cell : callable
        The :class:`CellRef` of a category (or of ``"Total"``) of this list in the report.
    relations : sequence of Relation
        What a reader knows about the list's cells besides their total.
    known : ReportKnowledge, optional
        The tables already shown and the relations between them.
    fixed : mapping of str to int or NA, optional
        Categories shown (or hidden, NA) as another table shows them; a category another
        table of ``known`` shows as it is (``a = b``) is fixed the same way.
    prefer_shown : sequence of str
        Categories to hide only when nothing else protects the list (e.g. the n of a
        statistic).

    Returns
    -------
    DataFrame
        As :func:`count_list`: the categories (``label``) and ``count`` (``Int64``, ``<NA>``
        where hidden), with the ``Total`` row.

    Examples
    --------
    >>> cell = lambda what: CellRef("left_out", ("log", what), "count")
    >>> count_list({"used": 40, "peer": 3, "other": 6}, 5, "what")["count"].tolist()
    [40, <NA>, <NA>, 49]
    >>> protected_list({"used": 40, "peer": 3, "other": 6}, 5, "what", cell,
    ...                fixed={"other": 6})["count"].tolist()  # 'other' shown elsewhere
    [<NA>, <NA>, 6, 49]
    """
    base = count_list(values, k, label)
    names = [*(str(v) for v in values), "Total"]
    raw = dict(zip([cell(n) for n in names], [*values.values(), sum(values.values())], strict=True))
    refs = list(raw)
    hidden = {ref for ref, h in zip(refs, base["count"].isna(), strict=True) if h}
    hidden = _protect(
        {r: int(v) for r, v in raw.items()},
        hidden,
        k,
        [adds_up(refs[:-1], refs[-1], "the list's total"), *relations],
        known,
        fixed={cell(n): v for n, v in (fixed or {}).items()},
        prefer_shown={cell(n) for n in prefer_shown},
        totals={refs[-1]},
    )
    count = pd.array([int(raw[r]) for r in refs], dtype="Int64")
    count[[r in hidden for r in refs]] = pd.NA
    return pd.DataFrame({label: names, "count": count})


def protected_table(
    counts: pd.DataFrame,
    k: int,
    name: str,
    relations: Sequence[Relation] = (),
    *,
    row_total: bool,
    col_total: bool,
    known: ReportKnowledge | None = None,
) -> pd.DataFrame:
    """:func:`suppress_table`, with more cells hidden until none can be worked out with what
    other tables show (see :func:`protected_list`).

    Parameters
    ----------
    counts : DataFrame
        Counts without totals; its index (named) labels the rows.
    k : int
    name : str
        The table's name in the report (its cells' :class:`CellRef`).
    relations : sequence of Relation
        What a reader knows about the table's cells besides its totals.
    row_total, col_total : bool
        Show the ``Total`` row, the ``Total`` column.
    known : ReportKnowledge, optional
        The tables already shown and the relations between them.

    Returns
    -------
    DataFrame
        As :func:`suppress_table`.

    Examples
    --------
    >>> t = pd.DataFrame({"a": [9, 2], "b": [8, 7]}, index=pd.Index(["x", "y"], name="g"))
    >>> protected_table(t, 5, "t", row_total=True, col_total=True).loc["Total"].tolist()
    [11, 15, 26]
    """
    out = suppress_table(counts, k, row_total=row_total, col_total=col_total)
    full = counts.astype(np.int64)
    full = pd.concat([full, full.sum().to_frame("Total").T])
    full["Total"] = full.sum(axis=1)
    full = full.loc[out.index, out.columns]
    shown = out.reset_index()
    shown.columns = [str(c) for c in shown.columns]
    cols = tuple(str(c) for c in out.columns)
    view = _View(name, shown, cols)
    raw = {}
    for lab, (_, row) in zip(row_labels(shown, cols), full.iterrows(), strict=True):
        for c in out.columns:
            raw[CellRef(name, lab, str(c))] = int(row[c])
    hidden = {ref for ref, v in shown_cells(view)[0].items() if v is None}
    totals = {ref for ref in raw if ref.column == "Total" or ref.row[-1:] == ("Total",)}
    hidden = _protect(raw, hidden, k, [*table_relations(view), *relations], known, totals=totals)
    labels = row_labels(shown, cols)
    for i, lab in enumerate(labels):
        for c in out.columns:
            ref = CellRef(name, lab, str(c))
            out.iloc[i, out.columns.get_loc(c)] = pd.NA if ref in hidden else raw[ref]
    return out
