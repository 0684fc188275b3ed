"""Engagement of logs larger than memory: DuckDB out of core, or Dask on a cluster.

:func:`~ementor_kit.graph.engagement` accepts, besides a DataFrame,

- a folder of Parquet files (or one ``.parquet`` file) holding a typed exchange log
  (``timestamp`` a time-zone aware timestamp column, as ``read_interactions(...).to_parquet``
  writes it). DuckDB, within ``memory_limit`` and spilling to ``temp_directory``, finds the
  latest timestamp and the rows out of order, and splits the log by pair into parts of about
  a million rows (every exchange of a pair in one part); each part is then computed in memory
  and the parts are put together;
- a Dask DataFrame partitioned by pair (all exchanges of a pair in one partition; rows of no
  pair anywhere), computed partition by partition on the Dask scheduler in use: a
  ``dask.distributed.Client`` when one is running, else Dask's local threads. Each partition
  is read once: it is assigned, checked and sorted where it is read, and its table computed
  there as soon as the log's last timestamp is known (the default ``as_of``; only that and a
  few counts travel). Without ``as_of`` the prepared partitions wait for it in the workers'
  memory, about 30 bytes per used exchange.

The result is the one of the log in memory, column by column and value by value (tested): a
pair's measures depend only on its own exchanges, ``as_of`` and the rows out of order are
worked out over the whole log (a part holds no exchange after the log's last one, so a part
prepared before that is known is the same), the unused rows are counted part by part (an
exact duplicate shares every column, so it lies in the part of the row it repeats; a part is
given the pairs of the people in it, which give its rows the pair and reason the whole pairs
table gives them), and the pairs without any exchange are computed once at the end. Rows out
of order are counted in the order of the files (by name) and of their rows, or of the Dask
partitions.

Pairs without ``matched_on`` are dated as in memory: each pair by the UTC day of its first
exchange (in its part, which holds all of them; also when they all come after ``as_of``), a
pair without any exchange by the earliest of those days, gathered from the parts.

A validation problem is reported for the first part that has one (rows numbered in the whole
log, files in name order). An ``interaction_id`` on rows of different content is refused as in
memory: over the whole Parquet log (DuckDB finds such ids before the parts are made), within
each partition of a Dask log (a cluster-wide check would cost a shuffle of every id; a log
written by :func:`~ementor_kit.graph.read_interactions` or from a validated table has unique
ids).

Cost: every part repeats the work the in-memory path does once per pairs table (typing the
pairs of its people, finding the roles of the people of unused rows), about 0.2 CPU seconds
for 16,000 pairs, so parts of a million rows or more amortise it; a fresh Dask worker first
imports ementor_kit (about 2 CPU seconds). Measured: ``benchmarks/bench_logs.py``.

Running on a real cluster
-------------------------
The same call runs on any Dask cluster. On a university SLURM cluster, with
``dask-jobqueue`` (``pip install dask-jobqueue``)::

    from dask_jobqueue import SLURMCluster
    from dask.distributed import Client
    import dask.dataframe as dd

    cluster = SLURMCluster(cores=8, memory="32GB", walltime="02:00:00",
                           account="my-project", queue="standard")
    cluster.scale(jobs=10)                  # 10 SLURM jobs of 8 cores
    client = Client(cluster)                # the dashboard: client.dashboard_link
    log = dd.read_parquet("/scratch/logs/by_pair/")   # written partitioned by pair
    eng = engagement(log, pairs, as_of="2026-12-01")

A log is partitioned by pair when it is written so, e.g. with DuckDB:
``COPY (SELECT *, hash(least(sender_id, recipient_id) || greatest(sender_id, recipient_id))
% 64 AS part FROM log) TO 'by_pair' (FORMAT parquet, PARTITION_BY (part))``.
"""

from __future__ import annotations

import abc
import dataclasses
import math
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.graph import _inputs as gi
from ementor_kit.graph._parquet import log_files
from ementor_kit.graph.engagement_metrics import Engagement, EngagementThresholds, _from_log
from ementor_kit.graph.exchange_log import _AFTER, _REASONS, _PairLog, _prepare_log, _typed_pairs
from ementor_kit.graph.goals import GoalProgress
from ementor_kit.graph.planned import planned_per_pair
from ementor_kit.i18n.language import N_, resolve_language, translator

ROWS_PER_PART = 1_000_000


def engagement_big(
    interactions: object,
    pairs: pd.DataFrame,
    *,
    as_of: object,
    thresholds: EngagementThresholds,
    goal_progress: GoalProgress | None,
    planned: pd.DataFrame | None,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
    rows_per_part: int = ROWS_PER_PART,
    lang: str = "en",
) -> Engagement:
    """:func:`~ementor_kit.graph.engagement` of a Parquet log or a Dask DataFrame.

    Parameters
    ----------
    interactions : str, Path or Dask DataFrame
        A folder of Parquet files or one ``.parquet`` file (typed log), or a Dask DataFrame
        partitioned by pair (see the module documentation).
    pairs, as_of, thresholds, goal_progress, planned
        As for :func:`~ementor_kit.graph.engagement`.
    memory_limit, temp_directory : optional
        DuckDB's memory limit (e.g. ``"2GB"``) and spill folder (Parquet logs only).
    rows_per_part : int
        Rows of each part computed in memory (Parquet logs only).
    lang : str
        Language of the texts (``"en"`` or ``"fr"``), as for
        :func:`~ementor_kit.graph.engagement`.

    Returns
    -------
    Engagement
        Equal to the one of the log in memory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import ementor_kit as ek
    >>> from ementor_kit.graph import engagement
    >>> p = ek.load_sample()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> p.interactions.to_parquet(folder / "part-0.parquet")
    >>> big = engagement(folder, p.pairs, memory_limit="200MB")
    >>> big.table.equals(engagement(p.interactions, p.pairs).table)
    True
    """
    pairs_t = _typed_pairs(pairs)
    derive = "matched_on" not in pairs_t.columns
    if isinstance(interactions, str | Path):
        source: _Source = _ParquetSource(Path(interactions), memory_limit, temp_directory)
    else:
        source = _DaskSource(interactions)
    with source:
        # the pairs', as_of's and planned sessions' errors before any pass over the log
        check = _prepare_log(source.empty, _dated(pairs_t) if derive else pairs_t, as_of)
        if planned is not None:
            planned_per_pair(planned, check, thresholds.held_within_hours)
        args = _Args(pairs_t, as_of, thresholds, goal_progress, planned, resolve_language(lang))
        run = source.run(args, rows_per_part)
    when = (
        as_of if as_of is not None or run.last_ns is None else pd.Timestamp(run.last_ns, tz="UTC")
    )
    if derive:
        if not run.n_rows:
            _prepare_log(source.empty, pairs_t, when)  # the in-memory error: nothing to date from
        pairs_t = _dated(pairs_t, _first_days(run.parts, run.min_ns, len(pairs_t)))
    full = _prepare_log(source.empty, pairs_t, when)
    return _combine(run, full, args, "first exchange" if derive else full.matched_on_from)


def _dated(pairs_t: pd.DataFrame, days: np.ndarray | None = None) -> pd.DataFrame:
    """``pairs_t`` with the matching dates ``days`` (ns; placeholders when None), as the
    in-memory path dates pairs without ``matched_on``."""
    ns = np.zeros(len(pairs_t), np.int64) if days is None else days
    return pairs_t.assign(matched_on=pd.array(ns.view("M8[ns]")))


def _first_days(parts: Sequence[_PartResult], min_ns: int | None, n_pairs: int) -> np.ndarray:
    """The in-memory matching dates of pairs without ``matched_on``: the UTC day of each pair's
    first exchange; for a pair without any, the earliest of those days (or of the log's first
    timestamp when no exchange belongs to a pair)."""
    never = np.iinfo(np.int64).max
    first = np.full(n_pairs, never)
    for r in parts:
        np.minimum.at(first, r.seen, r.seen_days)
    ok = first != never
    if ok.any():
        start = int(first[ok].min())
    else:
        start = int(min_ns if min_ns is not None else 0)
        start -= start % gi.NS_PER_DAY
    return np.where(ok, first, start)


def _subset(log: _PairLog, keep: np.ndarray) -> _PairLog:
    """``log`` restricted to the pairs at positions ``keep`` (holding all its used rows)."""
    remap = np.full(log.n_pairs, -1, np.int64)
    remap[keep] = np.arange(len(keep))
    pair = remap[log.pair]
    return dataclasses.replace(
        log,
        pairs=log.pairs.iloc[keep].reset_index(drop=True),
        matched_ns=log.matched_ns[keep],
        pair=pair,
        bounds=np.searchsorted(pair, np.arange(len(keep) + 1)),
    )


def _planned_of(planned: pd.DataFrame | None, pairs: pd.DataFrame) -> pd.DataFrame | None:
    """The planned sessions of ``pairs`` only (ids compared as ``planned`` compares them)."""
    if planned is None:
        return None
    keys = pd.MultiIndex.from_frame(pairs[["mentee_id", "mentor_id"]].astype("str"))
    mine = pd.MultiIndex.from_arrays(
        [planned[c].astype("str").str.strip() for c in ("mentee_id", "mentor_id")]
    ).isin(keys)
    return planned[mine]


@dataclasses.dataclass(frozen=True)
class _Args:
    """What every part needs: the typed pairs (sorted as ``_prepare_log`` sorts them), the
    ``as_of`` given (None: each part's own last timestamp, the table then computed at the
    log's), the thresholds, goal progress and planned sessions."""

    pairs: pd.DataFrame
    as_of: object
    thresholds: EngagementThresholds
    goal_progress: GoalProgress | None
    planned: pd.DataFrame | None
    lang: str = "en"  # the language of the texts


@dataclasses.dataclass(frozen=True)
class _PartLog:
    """A part's prepared exchanges: ``positions`` (in ``_Args.pairs``) of the pairs with used
    rows and ``log`` restricted to them; unused rows by reason; ``seen`` / ``seen_days`` the
    pairs with any exchange and their first exchange's UTC day (pairs without matched_on)."""

    positions: np.ndarray
    log: _PairLog | None
    counts: dict[str, int]
    seen: np.ndarray
    seen_days: np.ndarray


@dataclasses.dataclass(frozen=True)
class _PartResult:
    positions: np.ndarray
    table: pd.DataFrame | None
    counts: dict[str, int]
    seen: np.ndarray
    seen_days: np.ndarray


_NONE = np.empty(0, np.int64)


def _pairs_in(part: pd.DataFrame, pairs_t: pd.DataFrame) -> np.ndarray:
    """Positions of the pairs whose mentee or mentor sends or receives a row of ``part``.

    Those pairs give every row of the part the pair and the reason of the whole pairs table:
    a row's pair has both its people in the part, and the role a pair gives a person of an
    unused row comes from a pair of that person. Ids are compared as text, as
    ``_prepare_log`` compares them. Never empty (a pairs table cannot be): a pair none of
    whose people is in the part changes nothing.
    """
    ids = [part[c].unique() for c in ("sender_id", "recipient_id")]
    seen = pd.Index(
        pd.unique(np.concatenate([np.asarray(i, dtype=object) for i in ids])), dtype=object
    )
    mine = np.flatnonzero(
        (seen.get_indexer(pairs_t["mentee_id"].to_numpy(dtype=object)) >= 0)
        | (seen.get_indexer(pairs_t["mentor_id"].to_numpy(dtype=object)) >= 0)
    )
    return mine if len(mine) else np.zeros(1, np.int64)


def _part_log(part: pd.DataFrame, args: _Args) -> _PartLog:
    """Assign, check and sort one part (every exchange of its pairs in it); raises the
    ``DataValidationError`` of the part, rows numbered within it."""
    if not len(part):
        return _PartLog(_NONE, None, {}, _NONE, _NONE)
    mine = _pairs_in(part, args.pairs)
    pairs = args.pairs.iloc[mine]
    log = _prepare_log(part, pairs, args.as_of)
    keep = np.flatnonzero(np.diff(log.bounds) > 0)
    seen, seen_days = _NONE, _NONE
    if "matched_on" not in args.pairs.columns:
        # every pair with an exchange here has a used row, unless all its rows are after as_of
        dated = log if not np.any(log.reason == _AFTER) else _prepare_log(part, pairs, None)
        at = np.flatnonzero(np.diff(dated.bounds) > 0)
        seen, seen_days = mine[at], dated.matched_ns[at]
    sub = dataclasses.replace(
        _subset(log, keep), reason=np.zeros(0, np.int8), input_ids=pd.Series([], dtype=object)
    )
    return _PartLog(mine[keep], sub, dict(log.unused_counts()), seen, seen_days)


def _part_table(pl: _PartLog, as_of_ns: int | None, args: _Args) -> _PartResult:
    """The table rows of a prepared part, at ``as_of_ns`` when given (the log's last
    timestamp when ``as_of`` was not: the part holds no row after it either way)."""
    table = None
    if pl.log is not None:
        log = pl.log if as_of_ns is None else dataclasses.replace(pl.log, as_of_ns=as_of_ns)
        planned = _planned_of(args.planned, log.pairs)
        table = _from_log(log, args.thresholds, args.goal_progress, planned, args.lang).table
    return _PartResult(pl.positions, table, pl.counts, pl.seen, pl.seen_days)


def _in_whole_log(
    exc: DataValidationError, file: str, rows: np.ndarray | None = None, offset: int = 0
) -> DataValidationError:
    """``exc`` of a part with its rows numbered in the whole log: the part's rows are at
    positions ``rows`` of the log, or from ``offset`` on."""

    def whole(r: int) -> int:
        return (int(rows[r - 2]) if rows is not None else offset + r - 2) + 2

    return DataValidationError(
        [
            Problem(file, p.column, tuple(whole(r) for r in p.rows), p.message, p.fix)
            for p in exc.problems
        ]
    )


@dataclasses.dataclass(frozen=True)
class _Run:
    """The parts' results and what the whole log tells: rows out of order, the last and first
    timestamps (ns; None without rows) and the number of rows."""

    parts: list[_PartResult]
    n_ooo: int
    last_ns: int | None
    min_ns: int | None
    n_rows: int


def _combine(run: _Run, full: _PairLog, args: _Args, matched_on_from: str) -> Engagement:
    th, goal_progress, planned = args.thresholds, args.goal_progress, args.planned
    positions = np.concatenate([r.positions for r in run.parts] + [_NONE])
    if len(np.unique(positions)) < len(positions):
        raise InvalidArgumentError(
            "interactions",
            "(a Dask DataFrame)",
            N_(
                "partition the log by pair: every exchange of a pair in one partition "
                "(see ementor_kit.graph.big_logs)"
            ),
            message=N_("the exchanges of a pair are spread over several partitions"),
        )
    rest = np.setdiff1d(np.arange(full.n_pairs), positions)
    sub = _subset(full, rest)
    tables = [r.table for r in run.parts if r.table is not None]
    tables.append(
        _from_log(sub, th, goal_progress, _planned_of(planned, sub.pairs), args.lang).table
    )
    table = pd.concat([t for t in tables if len(t)] or tables[-1:], ignore_index=True)
    order = np.argsort(np.concatenate([positions, rest]), kind="stable")
    table = table.iloc[order].reset_index(drop=True)
    counts: Counter[str] = Counter()
    for r in run.parts:
        counts.update(r.counts)
    return Engagement(
        table=table,
        as_of=pd.Timestamp(full.as_of_ns, tz="UTC"),
        thresholds=th,
        unused_interactions={
            translator(args.lang).gettext(r): counts[r] for r in _REASONS.values() if counts[r]
        },
        rows_out_of_order=int(run.n_ooo),
        matched_on_from=matched_on_from,
    )


class _Source(abc.ABC):
    """A big log: an empty typed frame of its columns, and its run (every part's result and
    the whole log's rows out of order, last and first timestamps)."""

    empty: pd.DataFrame

    def __enter__(self) -> _Source:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    @abc.abstractmethod
    def run(self, args: _Args, rows_per_part: int) -> _Run: ...


_DASK = "interactions (Dask)"


def _not_typed(file: str) -> DataValidationError:
    return DataValidationError(
        [
            Problem(
                file,
                "timestamp",
                (),
                N_("timestamps are not a time-zone aware timestamp column"),
                N_(
                    "write the log typed, e.g. read_interactions(csv_file).to_parquet(...) "
                    "file by file, or type each Dask partition: ddf.map_partitions(validate, "
                    "'interactions', meta=validate(ddf.head(), 'interactions').iloc[:0]) "
                    "(validate from ementor_kit.data.validation)"
                ),
            )
        ]
    )


class _ParquetSource(_Source):
    def __init__(self, path: Path, memory_limit: str | None, temp_directory: str | Path | None):
        self.path = path
        if path.is_file() and path.suffix.lower() not in (".parquet", ".pq"):
            raise DataValidationError(
                [
                    Problem(
                        str(path),
                        None,
                        (),
                        N_("engagement reads a path as a Parquet log (a folder or .parquet file)"),
                        N_("read a CSV log first: engagement(read_interactions(path), pairs)"),
                    )
                ]
            )
        self.files, self.schema = log_files(path)
        ts = self.schema.field("timestamp").type if "timestamp" in self.schema.names else None
        if ts is None or not pa.types.is_timestamp(ts) or ts.tz is None:
            raise _not_typed(str(path))
        empty = self.schema.empty_table().to_pandas()
        self.empty = empty.drop(columns=[c for c in empty.columns if c not in self.schema.names])
        self.tmp = tempfile.TemporaryDirectory(prefix="ementor_ooc_")
        self.con = duckdb.connect()
        self.memory_limit = memory_limit
        if memory_limit is not None:
            self.con.execute(f"SET memory_limit = '{_memory_limit(memory_limit)}'")
        spill = Path(temp_directory) if temp_directory is not None else Path(self.tmp.name)
        self.con.execute(
            f"SET temp_directory = '{_setting(str(spill / 'spill'), 'temp_directory')}'"
        )
        self.con.execute("SET preserve_insertion_order = false")
        offsets = np.cumsum([0] + [pq.read_metadata(f).num_rows for f in self.files])
        self.n_rows = int(offsets[-1])
        self.con.register(
            "_files", pd.DataFrame({"filename": self.files, "row0": offsets[:-1].astype(np.int64)})
        )
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in self.files)
        self.rows = (
            f"SELECT l.*, f.row0 + l.file_row_number AS _row FROM read_parquet([{listed}], "
            "filename = true, file_row_number = true, union_by_name = true) AS l "
            "JOIN _files AS f USING (filename)"
        )

    def __exit__(self, *exc: object) -> None:
        self.con.close()
        self.tmp.cleanup()

    def _sql(self, query: str, frame: bool = False) -> Any:
        """``query``'s rows (a DataFrame with ``frame``), run by DuckDB and fetched here (DuckDB
        may read the files only then); its errors on the log said as the user's."""
        try:
            result = self.con.execute(query)
            return result.df() if frame else result.fetchall()
        except duckdb.OutOfMemoryException:
            raise InvalidArgumentError(
                "memory_limit",
                self.memory_limit,
                N_(
                    "raise memory_limit (or leave it out: 80 % of the memory), or give "
                    "temp_directory a folder with free space"
                ),
                message=N_("DuckDB ran out of memory on this log"),
            ) from None
        except (duckdb.ParserException, duckdb.BinderException, duckdb.CatalogException):
            raise  # the query's own fault, not the log's
        except duckdb.Error as exc:  # the files': unreadable, corrupted, of another type
            raise DataValidationError(
                [
                    Problem(
                        str(self.path),
                        None,
                        (),
                        N_("DuckDB could not read the log ({exc})").format(exc=exc),
                        N_("rewrite the file it names, or move it out of the log's folder"),
                    )
                ]
            ) from None

    def scan(self) -> tuple[int, int | None, int | None]:
        """Rows out of order (in the order of the files and their rows), the last and the
        first timestamp (ns; None without rows)."""
        row = self._sql(
            "SELECT count(*) FILTER (WHERE timestamp < previous), epoch_ns(max(timestamp)), "
            "epoch_ns(min(timestamp)) "
            f"FROM (SELECT timestamp, lag(timestamp) OVER (ORDER BY _row) AS previous "
            f"FROM ({self.rows}))"
        )[0]
        n_ooo, last, first = row
        return (
            int(n_ooo),
            None if last is None else int(last),
            None if first is None else int(first),
        )

    def _parts(self, rows_per_part: int) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
        n_parts = max(1, math.ceil(self.n_rows / rows_per_part))
        out = Path(self.tmp.name) / "parts"
        cols = ", ".join(f'"{c}"' for c in self.schema.names)
        couple = (
            "least(coalesce(sender_id, ''), coalesce(recipient_id, '')) || chr(0) || "
            "greatest(coalesce(sender_id, ''), coalesce(recipient_id, ''))"
        )
        self._sql(
            f"COPY (SELECT {cols}, _row, hash({couple}) % {n_parts} AS _part "
            f"FROM ({self.rows})) TO '{out}' (FORMAT parquet, PARTITION_BY (_part))"
        )
        for folder in sorted(out.glob("_part=*"), key=lambda f: int(f.name.split("=")[1])):
            table = pq.read_table(folder).sort_by("_row")
            rows = table.column("_row").to_numpy()
            frame = table.drop_columns(["_row"]).to_pandas()
            yield frame.drop(columns=[c for c in frame.columns if c == "_part"]), rows

    def check_ids(self) -> None:
        """Raise when an ``interaction_id`` is on rows of other content anywhere in the log
        (a part checks its own rows; these may lie in different parts). Only the rows of such
        ids are brought into memory (exact copies are found by DuckDB: a log exported twice
        stays out of core)."""
        cols = ", ".join(f'"{c}"' for c in self.schema.names)
        repeated = (
            f"SELECT interaction_id FROM ({self.rows}) GROUP BY interaction_id HAVING count(*) > 1"
        )
        conflicting = (
            f"SELECT interaction_id FROM (SELECT DISTINCT {cols} FROM ({self.rows}) WHERE "
            f"interaction_id IN ({repeated})) GROUP BY interaction_id HAVING count(*) > 1"
        )
        rows = self._sql(
            f"SELECT {cols}, _row FROM ({self.rows}) WHERE interaction_id IN ({conflicting}) "
            "ORDER BY _row",
            frame=True,
        )
        if not len(rows):
            return
        log = rows.drop(columns="_row")
        conflict = gi.conflicting_ids(log)  # as the in-memory path judges them
        if not conflict.any():
            return
        at = tuple(int(r) + 2 for r in rows["_row"].to_numpy()[conflict])
        raise DataValidationError([gi.id_conflict(log, conflict, str(self.path), at)])

    def run(self, args: _Args, rows_per_part: int) -> _Run:
        self.check_ids()
        n_ooo, last_ns, min_ns = self.scan()
        as_of_ns = None if args.as_of is not None else last_ns
        parts = []
        for frame, rows in self._parts(rows_per_part):
            try:
                pl = _part_log(frame, args)
            except DataValidationError as exc:
                raise _in_whole_log(exc, str(self.path), rows) from None
            parts.append(_part_table(pl, as_of_ns, args))
        return _Run(parts, n_ooo, last_ns, min_ns, self.n_rows)


def _setting(value: str, name: str) -> str:
    if not isinstance(value, str) or "'" in value:
        raise InvalidArgumentError(name, value, N_("pass a folder path (without a quote)"))
    return value


def _units() -> dict[str, int]:
    """Bytes per unit as written in English or French (``GB``, ``G``, ``Go``, ``gigabytes``,
    ``GiB``, ``Gio``: powers of 1000, or of 1024 with the ``i``), as DuckDB reads them."""
    words = ("byte", "bytes", "octet", "octets")
    units = {"b": 1, "o": 1} | dict.fromkeys(words, 1)
    prefixes = [("k", ["kilo"]), ("m", ["mega", "méga"]), ("g", ["giga"]), ("t", ["tera", "téra"])]
    for k, (p, names) in enumerate(prefixes):
        units |= dict.fromkeys(
            [p, p + "b", p + "o", *(n + w for n in names for w in words)], 1000 ** (k + 1)
        )
        units[p + "ib"] = units[p + "io"] = 1024 ** (k + 1)
    return units


_BYTES = _units()
MIN_MEMORY = 10**7  # bytes: less fails DuckDB's first steps on any log


def _memory_limit(value: object) -> str:
    """``memory_limit`` as DuckDB's setting: a size such as ``"2GB"``, ``"2 Go"``, ``"1,5 GiB"``
    (in bytes), or a share of the memory such as ``"80%"``."""
    text = value.strip().lower() if isinstance(value, str) else ""
    share = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
    if share and 0 < float(share.group(1)) <= 100:
        return f"{float(share.group(1)):g}%"
    found = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*([a-zé]*)", text)
    if found is None or found.group(2) not in _BYTES or re.search(r",\d{3}$", found.group(1)):
        raise InvalidArgumentError(
            "memory_limit",
            value,
            N_("pass a size with its unit, e.g. '2GB', '2 Go', '500MB' or '80%' of the memory"),
        )
    size = int(float(found.group(1).replace(",", ".")) * _BYTES[found.group(2)])
    if size < MIN_MEMORY:
        raise InvalidArgumentError(
            "memory_limit", value, N_("give DuckDB at least 10MB, e.g. '500MB'")
        )
    return f"{size}B"


_Stats = tuple[int, int, int, int, int, int]


def _partition_stats(part: pd.DataFrame) -> _Stats:
    """Rows, rows out of order within, first, last, latest and earliest timestamp (ns)."""
    ts = part["timestamp"].dt.as_unit("ns").array.asi8
    if not len(ts):
        return 0, 0, 0, 0, np.iinfo(np.int64).min, np.iinfo(np.int64).max
    n_ooo = int(np.count_nonzero(ts[1:] < ts[:-1]))
    return len(ts), n_ooo, int(ts[0]), int(ts[-1]), int(ts.max()), int(ts.min())


def _dask_prepare(part: pd.DataFrame, args: _Args) -> tuple[_Stats, _PartLog | Exception]:
    """One task per partition, the only one that reads it: its statistics and prepared log
    (or its validation error, rows numbered within the partition)."""
    part = part.reset_index(drop=True)
    try:
        return _partition_stats(part), _part_log(part, args)
    except DataValidationError as exc:
        return _partition_stats(part), exc


def _dask_stats(prepared: tuple[_Stats, object]) -> _Stats:
    return prepared[0]


def _dask_whole(*stats: _Stats) -> tuple[np.ndarray, int, int, int | None, int | None]:
    """Offsets of the partitions' rows in the whole log, its rows, its rows out of order
    (within the partitions and across their boundaries), its last and first timestamps."""
    offsets = np.cumsum([0] + [s[0] for s in stats])
    full = [s for s in stats if s[0]]
    n_ooo = sum(s[1] for s in full)
    n_ooo += sum(int(b[2] < a[3]) for a, b in zip(full, full[1:], strict=False))
    last = max((s[4] for s in full), default=None)
    first = min((s[5] for s in full), default=None)
    return offsets[:-1], int(offsets[-1]), n_ooo, last, first


def _dask_finish(
    prepared: tuple[_Stats, _PartLog | Exception], whole: tuple | None, args: _Args
) -> _PartResult | Exception:
    """The table rows of a prepared partition (at the log's last timestamp when ``as_of``
    was not given: ``whole`` holds it); an error stays a value, numbered by the caller."""
    pl = prepared[1]
    if isinstance(pl, Exception):
        return pl
    return _part_table(pl, None if whole is None else whole[3], args)


class _DaskSource(_Source):
    def __init__(self, ddf: object):
        # imported here: dask is slow to import and only needed for a Dask log
        import dask

        self.dask = dask
        self.ddf = ddf
        meta = ddf._meta  # type: ignore[attr-defined]
        if "timestamp" not in meta.columns or not isinstance(
            meta["timestamp"].dtype, pd.DatetimeTZDtype
        ):
            raise _not_typed(_DASK)
        self.empty = meta.iloc[:0]
        self.parts = ddf.to_delayed()  # type: ignore[attr-defined]

    def run(self, args: _Args, rows_per_part: int) -> _Run:
        """One pass: each partition is read once, prepared where it is read, and its table
        computed there once the log's last timestamp is known (only that small statistic
        travels; without ``as_of`` the prepared partitions wait for it in the workers'
        memory, about 30 bytes per used row)."""
        delayed = self.dask.delayed
        shared = delayed(args, pure=True)
        prepared = [delayed(_dask_prepare, pure=True)(p, shared) for p in self.parts]
        whole = delayed(_dask_whole, pure=True)(
            *[delayed(_dask_stats, pure=True)(p) for p in prepared]
        )
        after = whole if args.as_of is None else None
        tasks = [delayed(_dask_finish, pure=True)(p, after, shared) for p in prepared]
        (row0, n_rows, n_ooo, last_ns, min_ns), *results = self.dask.compute(whole, *tasks)
        parts = []
        for r, start in zip(results, row0, strict=True):
            if isinstance(r, DataValidationError):
                raise _in_whole_log(r, _DASK, offset=int(start)) from None
            if isinstance(r, Exception):
                raise r
            parts.append(r)
        return _Run(parts, n_ooo, last_ns, min_ns, n_rows)
