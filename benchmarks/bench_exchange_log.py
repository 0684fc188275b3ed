"""Benchmark of reading and validating an exchange log (``interactions.csv``) from a CSV file.

Run from the repository root:

    .venv/bin/python benchmarks/bench_exchange_log.py                 # 1 M exchanges
    .venv/bin/python benchmarks/bench_exchange_log.py --sizes 1e6,1e7 --repeat 3

For each size a synthetic log (the one of ``bench_engagement.py``, with timestamps written as
ISO 8601 text in five UTC offsets, durations as text, empty session ids) is written once to a
CSV file (kept in ``--dir`` for the next runs). Then, in a fresh subprocess per size, ``--repeat``
times each:

- ``read``: ``pandas.read_csv(dtype=str, keep_default_na=False)``, as ``read_table`` reads;
- ``validate``: :func:`ementor_kit.data.validation.validate` of that raw text (every typed check
  of the data contract: ids, timestamps with their offset, channels, durations, unique ids);
- ``file -> typed``: :func:`ementor_kit.data.validation.read_table` (both, as a programme folder
  is read);
- ``raw log -> pairs``: :func:`ementor_kit.graph.unassigned_interactions` of that raw text and
  the pairs: the log typed as the graph analytics type a raw frame (exact duplicate rows set
  aside, then ``validate``) and assigned to its pairs, as ``engagement(raw_log, pairs)`` does
  before its measures.

The table shows the best wall time, its CPU time (process time, less disturbed by other work on
the machine), the file -> typed time per million rows, and the peak resident memory of the
subprocess. Target (issue 11): reading + validation within 1 s per million rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_engagement import synthetic_log  # benchmarks/ is on sys.path when run as a script

_OFFSETS_H = (0.0, 1.0, 2.0, -4.0, 5.5)


def write_log(n: int, path: Path, seed: int = 0) -> None:
    """Write a synthetic exchange log of ``n`` rows as ``interactions.csv`` text, and its pairs
    beside it (``pairs_<n>.csv``)."""
    log, pairs = synthetic_log(n, max(10, n // 50), seed)
    pairs.assign(matched_on=pairs["matched_on"].dt.strftime("%Y-%m-%d")).to_csv(
        _pairs_file(path), index=False
    )
    rng = np.random.default_rng(seed + 1)
    offset_s = (np.array(_OFFSETS_H) * 3600).astype(np.int64)[rng.integers(0, len(_OFFSETS_H), n)]
    local = log["timestamp"].dt.tz_localize(None) + pd.to_timedelta(offset_s, unit="s")
    sign = np.where(offset_s < 0, "-", "+").astype(object)
    hours, minutes = np.abs(offset_s) // 3600, np.abs(offset_s) % 3600 // 60
    suffix = [f"{s}{h:02d}:{m:02d}" for s, h, m in zip(sign, hours, minutes, strict=True)]
    log["timestamp"] = local.dt.strftime("%Y-%m-%dT%H:%M:%S") + pd.Series(suffix, dtype="str")
    minutes_text = log["duration_minutes"].map(lambda v: "" if v != v else f"{v:g}")
    log["duration_minutes"] = minutes_text
    log.to_csv(path, index=False)


def _pairs_file(log_path: Path) -> Path:
    return log_path.with_name(log_path.name.replace("interactions_", "pairs_"))


def _timed(f, repeat: int) -> tuple[float, float, object]:
    """Best wall time, the CPU time of that run, and the last result of ``f()``."""
    best = (float("inf"), float("inf"))
    result = None
    for _ in range(repeat):
        result = None
        cpu, wall = time.process_time(), time.perf_counter()
        result = f()
        run = (time.perf_counter() - wall, time.process_time() - cpu)
        best = min(best, run)
    return best[0], best[1], result


def _child(path: str, repeat: int) -> dict:
    from ementor_kit.data.validation import read_table, validate
    from ementor_kit.graph import unassigned_interactions

    def read() -> pd.DataFrame:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")

    out: dict = {}
    out["read"] = _timed(read, repeat)[:2]
    raw = read()
    out["validate"] = _timed(lambda: validate(raw, "interactions"), repeat)[:2]
    wall, cpu, typed = _timed(lambda: read_table(path, "interactions"), repeat)
    out["file"] = (wall, cpu)
    pairs = pd.read_csv(_pairs_file(Path(path)), dtype=str, keep_default_na=False)
    out["graph"] = _timed(lambda: unassigned_interactions(raw, pairs), repeat)[:2]
    out["n"] = len(typed)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e6", help="comma-separated log sizes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "ementor_bench_logs"))
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], int(args.child[1]))))
        return
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(float(s)) for s in args.sizes.split(",")):
        path = folder / f"interactions_{size}.csv"
        if not (path.exists() and _pairs_file(path).exists()):
            write_log(size, path)
        run = subprocess.run(
            [sys.executable, __file__, "--child", str(path), str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(run.stdout.strip().splitlines()[-1]))
    print(
        "| exchanges | read s (CPU) | validate s (CPU) | file -> typed s (CPU) | "
        "file -> typed s per 1 M rows (CPU) | raw log -> pairs s (CPU) | peak MB |"
    )
    print("|---" * 7 + "|")
    for r in rows:
        per = 1e6 / r["n"]
        cells = [f"{r[k][0]:.2f} ({r[k][1]:.2f})" for k in ("read", "validate", "file")]
        cells.append(f"{r['file'][0] * per:.2f} ({r['file'][1] * per:.2f})")
        cells.append(f"{r['graph'][0]:.2f} ({r['graph'][1]:.2f})")
        print(f"| {r['n']:,} | " + " | ".join(cells) + f" | {r['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
