"""Benchmark of big exchange logs (issue 19.3-4): Arrow reading, DuckDB out of core, Dask.

Run from the repository root:

    .venv/bin/python benchmarks/bench_logs.py            # 1 M and 5 M exchanges (minutes)
    .venv/bin/python benchmarks/bench_logs.py --large    # also 10 M

Three tables, every measurement in a fresh subprocess (peak memory = the subprocess's high
water mark, VmHWM, reset after its input is loaded where the platform allows):

1. Reading and validating ``interactions.csv`` (the text log of ``bench_exchange_log.py``:
   five UTC offsets, durations as text) per million raw rows: ``read_table`` (pandas reader
   + ``validate``) against :func:`ementor_kit.graph.read_interactions` (pyarrow), wall and
   CPU time (CPU counts pyarrow's threads too), and whether the typed frames are equal.
2. ``engagement`` of the synthetic log of ``bench_engagement.py`` (ordered by pair bucket so
   that the three ways see the rows in one order) in memory, out of core from a folder of 4
   Parquet files through DuckDB (``memory_limit='1GB'``), and on a Dask ``LocalCluster``
   (2 worker processes, 1 thread each; one partition per file, partitioned by pair), with
   the check that each table, unused-row counts and rows out of order equal the in-memory
   ones.
3. A design sweep (``ementor_kit.design.sweeps.sweep``): 4 designs x 4 replications in one
   process against a ``LocalCluster`` of 2 processes, same table.

The machine's other work shows in the wall times; CPU times are steadier. CPU is the calling
process's (DuckDB's threads included; Dask workers are other processes, not counted); peak MB
likewise (the Dask workers' memory is theirs).

Measured on 2 shared cores at load 7-10 (3 Dec 2026; walls inflated several times, the run
took 16 min, 3 min of CPU): reading + validation 5.24 -> 1.64 CPU s per million raw rows, the
same typed frame; engagement on 5 M rows in memory 14.2 CPU s, 1,498 MB peak; DuckDB out of
core (1 GB) 1,119 MB peak, same result; Dask LocalCluster same result; sweep of 16
simulations 6.3 s in one process, 6.4 s on 2 worker processes (too small to pay the
transfer), same table. At load 2 (1 M rows, one run each): read_table 5.56 s, read_interactions
1.38 s; engagement in memory 1.9 s (581 MB), DuckDB 4.2 s (881 MB), Dask 13.1 s (two passes
over the partitions, read from Parquet each time; 383 MB in the caller).

4 Dec 2026, 1 M rows, load 3-4, ``--only engagement --sizes 1000000``, CPU s as caller +
workers: in memory 1.31 s (1.30 CPU, 580 MB); DuckDB 2.85 s (2.85 CPU; 3.10 before the
change below); Dask first call 8.92 s (0.59 + 8.33 CPU; before: 16.3 s, 0.83 + 9.15), second
call on the same cluster 4.66 s (0.43 + 3.18; before: 5.21 s, 0.42 + 3.63). The change: Dask
reads each partition once (one graph: prepared where read, tabled once the last timestamp
is known) and every part gets only the pairs of its people. Profiled (cProfile, Dask's
synchronous scheduler): of the 3.2 CPU s of the 4 partitions, reading is 0.27, preparing
2.46 (the in-memory ``_prepare_log`` per partition: its pairs-sized work, typing the pairs and
pandas' ``str`` ``isin`` over the pairs' ids in ``_unmatched_reasons``, 1.0 s, is paid once per
partition), the tables 0.27; a fresh worker also imports ementor_kit, about 2 CPU s
(``ementor_kit.survey.agreement`` 1.35 s of it), hence the first call's extra 5 CPU s.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_engagement import synthetic_log  # benchmarks/ is on sys.path when run as a script
from bench_exchange_log import write_log

N_FILES = 4


def _hwm_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _timed(f):
    cpu, wall = time.process_time(), time.perf_counter()
    out = f()
    return time.perf_counter() - wall, time.process_time() - cpu, out


# ---- children ------------------------------------------------------------------------------


def _child_read(path: str, how: str) -> dict:
    from ementor_kit.data.validation import read_table
    from ementor_kit.graph import read_interactions

    _reset_peak()
    if how == "old":
        wall, cpu, typed = _timed(lambda: read_table(path, "interactions"))
    else:
        wall, cpu, typed = _timed(lambda: read_interactions(path))
    typed.to_pickle(path + f".{how}.pkl")
    return {"wall": wall, "cpu": cpu, "n": len(typed), "peak_mb": _hwm_mb()}


def _child_engagement(folder: str, how: str, out: str) -> dict:
    from ementor_kit.graph import engagement

    pairs = pd.read_pickle(Path(folder).parent / "pairs.pkl")
    files = sorted(Path(folder).glob("*.parquet"))
    workers_cpu = 0.0  # CPU seconds of the Dask workers (other processes)
    if how == "memory":
        log = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
        _reset_peak()
        wall, cpu, eng = _timed(lambda: engagement(log, pairs))
    elif how == "duckdb":
        _reset_peak()
        wall, cpu, eng = _timed(
            lambda: engagement(Path(folder), pairs, memory_limit="1GB", temp_directory=out + ".d")
        )
    else:  # "dask": a fresh cluster's first call; "dask-warm": the second call on it
        import dask.dataframe as dd
        from dask.distributed import Client, LocalCluster

        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            meta = pd.read_parquet(files[0]).iloc[:0]
            ddf = dd.from_map(pd.read_parquet, [str(f) for f in files], meta=meta)
            if how == "dask-warm":  # the workers import ementor_kit and warm their caches
                engagement(ddf, pairs)
            _reset_peak()
            before = client.run(time.process_time)
            wall, cpu, eng = _timed(lambda: engagement(ddf, pairs))
            after = client.run(time.process_time)
            workers_cpu = sum(after[w] - before[w] for w in before)
    with open(out, "wb") as f:
        pickle.dump((eng.table, dict(eng.unused_interactions), eng.rows_out_of_order), f)
    return {"wall": wall, "cpu": cpu, "peak_mb": _hwm_mb(), "workers_cpu": workers_cpu}


def _designs():
    from ementor_kit.design import ProgrammeDesign

    base = ProgrammeDesign(name="fortnightly", n_mentees=60, n_mentors=25, duration_weeks=12)
    return [
        base,
        base.replace(name="weekly", checkin_every_days=7),
        base.replace(name="capacity 3", mentor_capacity=3),
        base.replace(name="groups", format="group", group_size=3, n_mentors=10),
    ]


def _child_sweep(how: str, out: str) -> dict:
    from ementor_kit.design.sweeps import sweep

    if how == "one process":
        wall, cpu, table = _timed(lambda: sweep(_designs(), replications=4, seed=1))
    else:
        from dask.distributed import Client, LocalCluster

        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            client.run(lambda: __import__("ementor_kit.design.sweeps"))  # warm the workers
            wall, cpu, table = _timed(
                lambda: sweep(_designs(), replications=4, seed=1, client=client)
            )
    table.to_pickle(out)
    return {"wall": wall, "cpu": cpu, "peak_mb": _hwm_mb()}


# ---- parent --------------------------------------------------------------------------------


def _run(*args: str) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True
    )
    if run.returncode:
        raise SystemExit(f"child {args} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _write_parquet_log(n: int, folder: Path) -> None:
    """The synthetic log in N_FILES Parquet files, each holding whole pairs (by couple hash)."""
    if folder.exists() and len(list(folder.glob("*.parquet"))) == N_FILES:
        return
    folder.mkdir(parents=True, exist_ok=True)
    log, pairs = synthetic_log(n, max(10, n // 50), 0)
    s, r = log["sender_id"].to_numpy(dtype=object), log["recipient_id"].to_numpy(dtype=object)
    couple = np.where(s < r, s + "|" + r, r + "|" + s)
    bucket = pd.util.hash_array(couple) % N_FILES
    for b in range(N_FILES):
        log[bucket == b].to_parquet(folder / f"part-{b}.parquet", index=False)
    pairs.to_pickle(folder.parent / "pairs.pkl")


def _same(a: tuple, b: tuple) -> bool:
    try:
        pd.testing.assert_frame_equal(a[0], b[0])
    except AssertionError:
        return False
    return a[1:] == b[1:]


def _load(path: str) -> tuple:
    with open(path, "rb") as f:
        return pickle.load(f)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--large", action="store_true", help="also 10 M exchanges")
    ap.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "ementor_bench_logs"))
    ap.add_argument(
        "--only", choices=("read", "engagement", "sweep"), help="run one of the three tables"
    )
    ap.add_argument("--sizes", type=int, nargs="+", help="exchanges of the engagement table")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        fn = {"read": _child_read, "engagement": _child_engagement, "sweep": _child_sweep}[kind]
        print(json.dumps(fn(*rest)))
        return
    root = Path(args.dir)
    root.mkdir(parents=True, exist_ok=True)

    if args.only in (None, "read"):
        _reads(root)
    if args.only in (None, "engagement"):
        default = [1_000_000, 5_000_000] + ([10_000_000] if args.large else [])
        _engagements(root, args.sizes or default)
    if args.only in (None, "sweep"):
        _sweeps(root)


def _reads(root: Path) -> None:
    csv = root / "interactions_1000000.csv"
    if not csv.exists():
        write_log(1_000_000, csv)
    old, new = _run("read", str(csv), "old"), _run("read", str(csv), "new")
    equal = pd.read_pickle(str(csv) + ".old.pkl").equals(pd.read_pickle(str(csv) + ".new.pkl"))
    print("| reader (1,000,000 raw rows) | s per 1 M rows (CPU) | peak MB | same typed frame |")
    print("|---|---|---|---|")
    for name, r in (("read_table (pandas + validate)", old), ("read_interactions (Arrow)", new)):
        per = 1e6 / r["n"]
        print(
            f"| {name} | {r['wall'] * per:.2f} ({r['cpu'] * per:.2f}) | {r['peak_mb']:.0f} | "
            f"{'yes' if equal else 'NO'} |"
        )


def _engagements(root: Path, sizes: list[int]) -> None:
    print()
    print(
        "| exchanges | engagement | s | CPU s (caller + Dask workers) | peak MB of the caller "
        "| same result |"
    )
    print("|---|---|---|---|---|---|")
    for n in sizes:
        folder = root / f"by_pair_{n}" / "log"
        _write_parquet_log(n, folder)
        results = {}
        for how in ("memory", "duckdb", "dask", "dask-warm"):
            out = str(folder.parent / f"result_{how}.pkl")
            r = _run("engagement", str(folder), how, out)
            results[how] = (r, _load(out))
        ref = results["memory"][1]
        for how, label in (
            ("memory", "in memory"),
            ("duckdb", "DuckDB out of core (1 GB)"),
            ("dask", "Dask LocalCluster (2 x 1), first call"),
            ("dask-warm", "Dask LocalCluster (2 x 1), second call"),
        ):
            r, res = results[how]
            same = "reference" if how == "memory" else ("yes" if _same(res, ref) else "NO")
            workers = r.get("workers_cpu", 0.0)
            cpu = f"{r['cpu']:.2f}" + (f" + {workers:.2f}" if how.startswith("dask") else "")
            print(f"| {n:,} | {label} | {r['wall']:.2f} | {cpu} | {r['peak_mb']:.0f} | {same} |")


def _sweeps(root: Path) -> None:
    print()
    print("| design sweep (4 designs x 4 replications) | s | same table |")
    print("|---|---|---|")
    one = _run("sweep", "one process", str(root / "sweep_one.pkl"))
    two = _run("sweep", "cluster", str(root / "sweep_two.pkl"))
    same = pd.read_pickle(root / "sweep_one.pkl").equals(pd.read_pickle(root / "sweep_two.pkl"))
    print(f"| one process | {one['wall']:.1f} | reference |")
    print(
        f"| LocalCluster (2 processes x 1 thread) | {two['wall']:.1f} | {'yes' if same else 'NO'} |"
    )


if __name__ == "__main__":
    main()
