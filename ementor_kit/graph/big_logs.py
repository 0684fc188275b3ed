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
  ``dask.distributed.Client`` when one is running, else Dask's local threads.

The result is the one of the log in memory, column by column and value by value (tested): a
pair's measures depend only on its own exchanges, ``as_of`` and the rows out of order are
worked out over the whole log first, the unused rows are counted part by part (an exact
duplicate shares every column, so it lies in the part of the row it repeats), and the pairs
without any exchange are computed once at the end. Rows out of order are counted in the
order of the files (by name) and of their rows, or of the Dask partitions.

Limits: ``pairs`` must have ``matched_on`` (without it the matching dates come from the first
exchanges of the whole log); a validation problem is reported for the first part that has one
(rows numbered in the whole log, files in name order).

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
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.graph.engagement_metrics import Engagement, EngagementThresholds, _from_log
from ementor_kit.graph.exchange_log import _REASONS, _PairLog, _prepare_log
from ementor_kit.graph.goals import GoalProgress
from ementor_kit.graph.planned import planned_per_pair

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
    if "matched_on" not in pairs.columns:
        raise InvalidArgumentError(
            "pairs",
            "(no matched_on)",
            "add the column matched_on to pairs, or compute engagement on the log in memory",
            message="a Parquet or Dask log needs pairs with matched_on (without it the matching "
            "dates come from the first exchanges of the whole log)",
        )
    if isinstance(interactions, str | Path):
        source: _Source = _ParquetSource(Path(interactions), memory_limit, temp_directory)
    else:
        source = _DaskSource(interactions)
    with source:
        n_ooo, last_ns, empty = source.scan()
        when = as_of if as_of is not None or last_ns is None else pd.Timestamp(last_ns, tz="UTC")
        full = _prepare_log(empty, pairs, when)
        if planned is not None:
            planned_per_pair(planned, full, thresholds.held_within_hours)  # its errors, once
        args = (pairs, when, thresholds, goal_progress, planned)
        parts = source.results(args, rows_per_part)
        return _combine(parts, full, thresholds, goal_progress, planned, n_ooo)


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


_Result = tuple[np.ndarray, pd.DataFrame, dict[str, int]]


def _part_result(
    part: pd.DataFrame,
    rows: np.ndarray,
    file: str,
    args: tuple,
) -> _Result:
    """Positions (in the typed pairs) and table rows of the pairs with exchanges in ``part``,
    and its unused rows by reason; problems reported with the rows of the whole log."""
    pairs, as_of, th, goal_progress, planned = args
    try:
        log = _prepare_log(part, pairs, as_of)
    except DataValidationError as exc:
        raise DataValidationError(
            [
                Problem(
                    file, p.column, tuple(int(rows[r - 2]) + 2 for r in p.rows), p.message, p.fix
                )
                for p in exc.problems
            ]
        ) from None
    keep = np.flatnonzero(np.diff(log.bounds) > 0)
    sub = _subset(log, keep)
    table = _from_log(sub, th, goal_progress, _planned_of(planned, sub.pairs)).table
    return keep, table, dict(log.unused_counts())


def _combine(
    parts: Sequence[_Result],
    full: _PairLog,
    th: EngagementThresholds,
    goal_progress: GoalProgress | None,
    planned: pd.DataFrame | None,
    n_ooo: int,
) -> Engagement:
    positions = np.concatenate([k for k, _, _ in parts] + [np.empty(0, np.int64)])
    if len(np.unique(positions)) < len(positions):
        raise InvalidArgumentError(
            "interactions",
            "(a Dask DataFrame)",
            "partition the log by pair: every exchange of a pair in one partition (see "
            "ementor_kit.graph.big_logs)",
            message="the exchanges of a pair are spread over several partitions",
        )
    rest = np.setdiff1d(np.arange(full.n_pairs), positions)
    sub = _subset(full, rest)
    tables = [t for _, t, _ in parts]
    tables.append(_from_log(sub, th, goal_progress, _planned_of(planned, sub.pairs)).table)
    table = pd.concat([t for t in tables if len(t)] or tables[-1:], ignore_index=True)
    order = np.argsort(np.concatenate([positions, rest]), kind="stable")
    table = table.iloc[order].reset_index(drop=True)
    counts: Counter[str] = Counter()
    for _, _, c in parts:
        counts.update(c)
    return Engagement(
        table=table,
        as_of=pd.Timestamp(full.as_of_ns, tz="UTC"),
        thresholds=th,
        unused_interactions={r: counts[r] for r in _REASONS.values() if counts[r]},
        rows_out_of_order=int(n_ooo),
        matched_on_from=full.matched_on_from,
    )


class _Source(abc.ABC):
    """A big log: its scan (rows out of order, last timestamp, an empty typed frame) and the
    results of its parts."""

    def __enter__(self) -> _Source:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    @abc.abstractmethod
    def scan(self) -> tuple[int, int | None, pd.DataFrame]: ...

    @abc.abstractmethod
    def results(self, args: tuple, rows_per_part: int) -> list[_Result]: ...


def _not_typed(file: str) -> DataValidationError:
    return DataValidationError(
        [
            Problem(
                file,
                "timestamp",
                (),
                "timestamps are not a time-zone aware timestamp column",
                "write the log typed, e.g. read_interactions(csv_file).to_parquet(...) file by "
                "file, or type each Dask partition (ddf.map_partitions(validate, "
                "'interactions'))",
            )
        ]
    )


class _ParquetSource(_Source):
    def __init__(self, path: Path, memory_limit: str | None, temp_directory: str | Path | None):
        self.path = path
        files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
        if not path.exists() or not files:
            raise DataValidationError(
                [
                    Problem(
                        str(path),
                        None,
                        (),
                        "file not found" if not path.exists() else "no .parquet file in the folder",
                        "give the folder of the log's .parquet files (or one .parquet file)",
                    )
                ]
            )
        if path.is_file() and path.suffix.lower() not in (".parquet", ".pq"):
            raise DataValidationError(
                [
                    Problem(
                        str(path),
                        None,
                        (),
                        "engagement reads a path as a Parquet log (a folder or .parquet file)",
                        "read a CSV log first: engagement(read_interactions(path), pairs)",
                    )
                ]
            )
        self.files = [str(f) for f in files]
        try:
            self.schema = pq.read_schema(self.files[0])
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataValidationError(
                [
                    Problem(
                        self.files[0],
                        None,
                        (),
                        f"not a readable Parquet file ({exc})",
                        "rewrite it",
                    )
                ]
            ) from None
        ts = self.schema.field("timestamp").type if "timestamp" in self.schema.names else None
        if ts is None or not pa.types.is_timestamp(ts) or ts.tz is None:
            raise _not_typed(str(path))
        self.tmp = tempfile.TemporaryDirectory(prefix="ementor_ooc_")
        self.con = duckdb.connect()
        if memory_limit is not None:
            self.con.execute(f"SET memory_limit = '{_setting(memory_limit, 'memory_limit')}'")
        spill = Path(temp_directory) if temp_directory is not None else Path(self.tmp.name)
        self.con.execute(
            f"SET temp_directory = '{_setting(str(spill / 'spill'), 'temp_directory')}'"
        )
        self.con.execute("SET preserve_insertion_order = false")
        offsets = np.cumsum([0] + [pq.ParquetFile(f).metadata.num_rows for f in self.files])
        self.n_rows = int(offsets[-1])
        self.con.register(
            "_files", pd.DataFrame({"filename": self.files, "row0": offsets[:-1].astype(np.int64)})
        )
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in self.files)
        self.rows = (
            f"SELECT l.*, f.row0 + l.file_row_number AS _row FROM read_parquet([{listed}], "
            "filename = true, file_row_number = true) AS l JOIN _files AS f USING (filename)"
        )

    def __exit__(self, *exc: object) -> None:
        self.con.close()
        self.tmp.cleanup()

    def scan(self) -> tuple[int, int | None, pd.DataFrame]:
        row = self.con.execute(
            "SELECT count(*) FILTER (WHERE timestamp < previous), epoch_ns(max(timestamp)) "
            f"FROM (SELECT timestamp, lag(timestamp) OVER (ORDER BY _row) AS previous "
            f"FROM ({self.rows}))"
        ).fetchone()
        n_ooo, last = row if row is not None else (0, None)
        empty = self.schema.empty_table().to_pandas()
        return (
            int(n_ooo),
            None if last is None else int(last),
            empty.drop(columns=[c for c in empty.columns if c not in self.schema.names]),
        )

    def _parts(self, rows_per_part: int) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
        n_parts = max(1, math.ceil(self.n_rows / rows_per_part))
        out = Path(self.tmp.name) / "parts"
        cols = ", ".join(f'"{c}"' for c in self.schema.names if not c.startswith("__"))
        couple = (
            "least(coalesce(sender_id, ''), coalesce(recipient_id, '')) || chr(0) || "
            "greatest(coalesce(sender_id, ''), coalesce(recipient_id, ''))"
        )
        self.con.execute(
            f"COPY (SELECT {cols}, _row, hash({couple}) % {n_parts} AS _part "
            f"FROM ({self.rows})) TO '{out}' (FORMAT parquet, PARTITION_BY (_part))"
        )
        for folder in sorted(out.glob("_part=*"), key=lambda f: int(f.name.split("=")[1])):
            table = pq.read_table(folder).sort_by("_row")
            rows = table.column("_row").to_numpy()
            frame = table.drop_columns(["_row"]).to_pandas()
            yield frame.drop(columns=[c for c in frame.columns if c == "_part"]), rows

    def results(self, args: tuple, rows_per_part: int) -> list[_Result]:
        return [
            _part_result(frame, rows, str(self.path), args)
            for frame, rows in self._parts(rows_per_part)
        ]


def _setting(value: str, name: str) -> str:
    if not isinstance(value, str) or "'" in value:
        raise InvalidArgumentError(name, value, "pass e.g. '2GB' (memory) or a folder path")
    return value


def _partition_stats(part: pd.DataFrame) -> tuple[int, int, int, int, int]:
    """Rows, rows out of order within, first, last and latest timestamp (ns) of a partition."""
    ts = part["timestamp"].dt.as_unit("ns").array.asi8
    if not len(ts):
        return 0, 0, 0, 0, np.iinfo(np.int64).min
    return len(ts), int(np.count_nonzero(ts[1:] < ts[:-1])), int(ts[0]), int(ts[-1]), int(ts.max())


def _dask_part(part: pd.DataFrame, row0: int, args: tuple) -> _Result:
    return _part_result(
        part.reset_index(drop=True), row0 + np.arange(len(part)), "interactions (Dask)", args
    )


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
            raise _not_typed("interactions (Dask)")
        self.meta = meta
        self.parts = ddf.to_delayed()  # type: ignore[attr-defined]

    def scan(self) -> tuple[int, int | None, pd.DataFrame]:
        delayed = self.dask.delayed
        stats = self.dask.compute(*[delayed(_partition_stats)(p) for p in self.parts])
        self.row0 = np.cumsum([0] + [s[0] for s in stats])[:-1]
        full = [s for s in stats if s[0]]
        n_ooo = sum(s[1] for s in full)
        n_ooo += sum(int(b[2] < a[3]) for a, b in zip(full, full[1:], strict=False))
        last = max((s[4] for s in full), default=None)
        return n_ooo, last, self.meta.iloc[:0]

    def results(self, args: tuple, rows_per_part: int) -> list[_Result]:
        delayed = self.dask.delayed
        shared = delayed(args, pure=True)
        tasks = [
            delayed(_dask_part)(p, int(r), shared)
            for p, r in zip(self.parts, self.row0, strict=True)
        ]
        return list(self.dask.compute(*tasks))
