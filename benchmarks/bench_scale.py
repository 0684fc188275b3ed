"""Scale benchmark of issue 19 in one command: a table and a log-log scaling figure.

Run from the repository root:

    .venv/bin/python benchmarks/bench_scale.py            # default sizes (a few minutes)
    .venv/bin/python benchmarks/bench_scale.py --large    # adds n = 30,000 (sparse) and 5 M rows
    .venv/bin/python benchmarks/bench_scale.py --huge     # adds 100,000 x 37,000 (sparse chunked)

It writes ``benchmarks/scale/scale.csv`` and ``scale.md`` (one row per measurement: wall and
CPU seconds, peak MB, same-result check, the issue's target beside it and whether it is met)
and ``benchmarks/scale/scaling.png`` (wall time against size, log-log, one line per method;
left: pairing against mentees, right: exchange logs against rows). The three files are
committed as the record of the last run; ``scale.md`` names the machine it ran on.

Every measurement runs in a fresh subprocess; ``peak MB`` is that child's high-water resident
memory (``VmHWM``; not ``ru_maxrss``, which Linux carries over from the parent through fork and
exec): for pairing the interpreter and its imports (about 270 MB) and the generated instance are
included; the log children reset the high-water mark after loading their input, as in
``bench_logs.py``. The instances and the timed calls are
those of the other benchmarks, imported from them (they have no import side effects):

- ``assign lsa`` / ``assign sparse`` (``bench_sparse.py``): :func:`ementor_kit.assign` on the
  "popular mentor" family (n mentees, ceil(0.3 n) mentors of capacity 3, every pair allowed)
  with today's dense path and with ``solver="sparse"``; same = same number of pairs and the
  same total score (1e-6) as ``assign lsa``; ``sparse chunked``: the same solver reading the
  scores chunk by chunk as they are generated (no mentees x mentors matrix; its time includes
  generating the scores of every block each time a pass reads it, as scoring them would; its
  notes give the rounds and passes over the scores, and the seconds to generate every block
  once, measured right after the solve: the scorer's share of a pass, and the machine's speed
  at that moment);
- ``match() lsa`` / ``match() auto`` (``bench_sparse.py``): :func:`ementor_kit.match` end to
  end on n mentees and 0.3 n mentors drawn from the sample's profiles (each repeated, so many
  exact ties), and ``... mixed`` on the same people with each column shuffled on its own (new
  combinations of the sample's values); same as ``lsa`` on the same instance;
- ``read_table`` / ``read_interactions`` (``bench_logs.py``): reading and validating the text
  log ``interactions.csv`` with the pandas reader + ``validate`` and with the Arrow reader;
  same = equal typed frames;
- ``engagement memory`` / ``engagement duckdb`` / ``engagement dask`` (``bench_logs.py``):
  ``engagement`` in memory, out of core through DuckDB (``memory_limit='1GB'``) on a folder of 4
  Parquet files, and on a Dask DataFrame of those files (LocalCluster, 2 workers of 1 thread;
  the workers' CPU and memory are not counted); same = equal tables, unused-row counts and rows
  out of order.

Wall times include the machine's other work (2 shared cores); CPU times are steadier (CPU
counts the child's threads, DuckDB's and pyarrow's included).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import matplotlib
import pandas as pd
from bench_exchange_log import write_log  # benchmarks/ is on sys.path when run as a script
from bench_logs import _child_engagement, _child_read, _hwm_mb, _load, _same, _write_parquet_log
from bench_sparse import _run_case, _run_chunked, _run_match

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, NullFormatter

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "scale"  # committed: the table and the figure of the last run
WORK = Path(tempfile.gettempdir()) / "ementor_bench_logs"
COLUMNS = [
    "family",
    "method",
    "n",
    "m",
    "wall_s",
    "cpu_s",
    "peak_mb",
    "same",
    "target",
    "met",
    "notes",
]


# ---- children ------------------------------------------------------------------------------


def _child(kind: str, *args: str) -> dict:
    if kind in ("assign", "match"):
        if kind == "assign" and args[1] == "sparse chunked":
            res = _run_chunked(int(args[0]), int(args[2]))
        elif kind == "assign":
            res = _run_case(int(args[0]), args[1])
        else:
            res = _run_match(int(args[0]), int(args[1]), args[2])
        out = {k: res[k] for k in ("cpu", "pairs", "total")}
        out["wall"] = res["seconds"]
        keep = ("timings", "sparse: optimality", "scores generated")  # rounds, passes, scorer
        out["notes"] = "; ".join(n for n in res["notes"] if n.startswith(keep))
        # VmHWM of this process's own memory: ru_maxrss would carry the parent's peak over
        # fork + exec (Linux keeps it), and the parent holds the big logs' frames
        out["peak_mb"] = _hwm_mb()
    elif kind == "read":
        out = _child_read(args[0], args[1])  # peak after loading the input (bench_logs)
    else:
        out = _child_engagement(*args)
    return out


def _run(*args: str, timeout: float = 1800) -> dict:
    cmd = [sys.executable, __file__, "--child", *args]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- targets (issue 19; engagement in memory: issue 5) -------------------------------------


def _target(family: str, method: str, n: int, r: dict, ref: dict) -> tuple[str, str]:
    if "error" in r:
        return "", ""
    yes = {True: "yes", False: "NO"}
    if method == "assign sparse":
        if n >= 10_000:
            return "< 3 s and < 2 GB", yes[r["wall"] < 3 and r["peak_mb"] < 2048]
        return "no slower than lsa", yes[r["wall"] <= ref.get("wall", math.inf)]
    if method == "sparse chunked" and n >= 100_000:
        return "< 60 s and < 8 GB", yes[r["wall"] < 60 and r["peak_mb"] < 8192]
    if method.startswith("match() auto") and n >= 10_000:
        return "< 5 s end to end", yes[r["wall"] < 5]
    if method == "read_interactions":
        per = r["wall"] * 1e6 / n
        return "1 s per 1 M raw rows", yes[per <= 1.0]
    if method == "engagement memory" and n == 1_000_000:
        return "1 M rows < 1 s (issue 5)", yes[r["wall"] < 1.0]
    if method in ("engagement duckdb", "engagement dask"):
        return "same result as in memory", yes[r.get("same_flag", False)]
    return "", ""


# ---- parent --------------------------------------------------------------------------------


def _pairing_rows(sizes: list[int], large: list[int], huge: bool) -> list[dict]:
    rows = []
    for n in sizes + large:
        methods = ["assign lsa", "assign sparse"] if n in sizes else ["assign sparse"]
        ref: dict = {}
        for method in [*methods, "sparse chunked"]:
            m = math.ceil(0.3 * n)
            r = _run("assign", str(n), method, str(m))
            ref = ref or r
            rows.append(_row("assign", method, n, m, r, ref))
    if huge:
        r = _run("assign", "100000", "sparse chunked", "37000", timeout=3600)
        rows.append(
            _row("assign", "sparse chunked", 100_000, 37_000, r, {"error": "no dense path"})
        )
    for n in sizes:
        m = math.ceil(0.3 * n)
        for instance in ("", " mixed"):  # the sample's profiles repeated, or mixed
            ref = {}
            for solver in ("lsa", "auto"):
                method = f"match() {solver}{instance}"
                r = _run("match", str(n), str(m), method)
                ref = ref or r
                rows.append(_row("match", method, n, m, r, ref))
    return rows


def _log_rows(sizes: list[int]) -> list[dict]:
    rows = []
    WORK.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        path = WORK / f"interactions_{n}.csv"
        if not path.exists():
            write_log(n, path)
        old, new = _run("read", str(path), "old"), _run("read", str(path), "new")
        equal = False
        if "error" not in old and "error" not in new:
            equal = pd.read_pickle(f"{path}.old.pkl").equals(pd.read_pickle(f"{path}.new.pkl"))
        old["same_flag"] = new["same_flag"] = bool(equal)
        rows.append(_row("log", "read_table", n, 0, old, old, reference=True))
        rows.append(_row("log", "read_interactions", n, 0, new, old))
    for n in sizes:
        folder = WORK / f"by_pair_{n}" / "log"
        _write_parquet_log(n, folder)
        results = {}
        for how in ("memory", "duckdb", "dask"):
            out = str(folder.parent / f"result_{how}.pkl")
            results[how] = (_run("engagement", str(folder), how, out), out)
        mem = results["memory"][0]
        rows.append(_row("log", "engagement memory", n, 0, mem, mem, reference=True))
        for how in ("duckdb", "dask"):
            r = results[how][0]
            if "error" not in mem and "error" not in r:
                r["same_flag"] = _same(_load(results[how][1]), _load(results["memory"][1]))
            rows.append(_row("log", f"engagement {how}", n, 0, r, mem))
    return rows


def _row(
    family: str, method: str, n: int, m: int, r: dict, ref: dict, reference: bool = False
) -> dict:
    print(f"{method} n={n}: {json.dumps(r)}", file=sys.stderr, flush=True)
    if "error" in r:
        return dict.fromkeys(COLUMNS, "") | {
            "family": family,
            "method": method,
            "n": n,
            "m": m,
            "same": f"error: {r['error']}",
        }
    if r is ref:
        same = "reference"
    elif "same_flag" in r:
        same = "yes" if r["same_flag"] else "NO"
    elif "error" in ref or "pairs" not in r:
        same = "no reference"
    else:
        ok = r["pairs"] == ref["pairs"] and abs(r["total"] - ref["total"]) < 1e-6
        same = "yes" if ok else "NO"
    if reference:
        same = "reference"
    target, met = _target(family, method, n, r, ref)
    return {
        "family": family,
        "method": method,
        "n": n,
        "m": m or "",
        "wall_s": f"{r['wall']:.2f}",
        "cpu_s": f"{r['cpu']:.2f}",
        "peak_mb": f"{r['peak_mb']:.0f}",
        "same": same,
        "target": target,
        "met": met,
        "notes": r.get("notes", ""),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def _write_tables(rows: list[dict]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "scale.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    head = ["family", "method", "n", "m", "wall s", "CPU s", "peak MB", "same", "target", "met"]
    head.append("notes")
    cpu = _cpu_model()
    lines = [
        f"Measured on {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for r in rows:
        cells = [f"{v:,}" if isinstance(v, int) else str(v) for v in r.values()]
        lines.append("| " + " | ".join(cells) + " |")
    (RESULTS / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _plot(rows: list[dict]) -> None:
    """Wall time against size, log-log: one colour per pair of methods, today's path dashed,
    the new one solid; the issue's targets in black. Fixed size, ticks at the measured sizes
    and no date in the file, so the layout is the same from run to run."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), dpi=110, layout="constrained")
    styles = {
        "assign lsa": ("C0", "--"),
        "assign sparse": ("C0", "-"),
        "sparse chunked": ("C7", "-"),
        "match() lsa": ("C3", "--"),
        "match() auto": ("C3", "-"),
        "match() lsa mixed": ("C5", "--"),
        "match() auto mixed": ("C5", "-"),
        "read_table": ("C2", "--"),
        "read_interactions": ("C2", "-"),
        "engagement memory": ("C1", "--"),
        "engagement duckdb": ("C1", "-"),
        "engagement dask": ("C4", "-"),
    }
    panels = [
        (axes[0], ("assign", "match"), "mentees n (mentors 0.3 n; 37,000 at 100,000)", "Pairing"),
        (axes[1], ("log",), "exchange-log rows", "Exchange logs"),
    ]
    plain = FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}")
    for ax, families, xlabel, title in panels:
        sizes = sorted({r["n"] for r in rows if r["family"] in families})
        for method, (colour, line) in styles.items():
            pts = [
                (r["n"], float(r["wall_s"])) for r in rows if r["method"] == method and r["wall_s"]
            ]
            if pts and any(r["family"] in families for r in rows if r["method"] == method):
                xs, ys = zip(*pts, strict=True)
                ax.plot(xs, ys, line, marker="o", color=colour, label=method)
        if "assign" in families:
            ax.plot([10_000], [3.0], "k*", markersize=11, label="target: sparse < 3 s")
            ax.plot([10_000], [5.0], "kP", markersize=9, label="target: match() < 5 s")
            if max(sizes) >= 100_000:
                ax.plot([100_000], [60.0], "kX", markersize=9, label="target: 100k x 37k < 60 s")
        else:
            ax.plot(sizes, [n / 1e6 for n in sizes], "k:", label="target: 1 s per 1 M rows")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes)
        ax.xaxis.set_major_formatter(plain)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel(xlabel)
        ax.set_ylabel("wall time (s)")
        ax.set_title(title)
        ax.grid(True, which="major", alpha=0.4)
        ax.grid(True, which="minor", alpha=0.15)
        ax.legend(fontsize=8, loc="upper left")
    fig.suptitle(
        "ementor-kit at scale (issue 19): wall time vs size, log-log; "
        "dashed: today's path, solid: new path; one run each on 2 shared cores"
    )
    fig.savefig(RESULTS / "scaling.png", metadata={"Software": None})
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--large", action="store_true", help="add n = 30,000 (sparse) and 5 M rows")
    ap.add_argument("--huge", action="store_true", help="add 100,000 x 37,000 (sparse chunked)")
    ap.add_argument("--replot", action="store_true", help="redraw the figure from scale.csv")
    ap.add_argument(
        "--part",
        choices=("pairing", "logs"),
        help="re-measure one family only; the other's rows are kept from scale.csv",
    )
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    if args.replot:
        with open(RESULTS / "scale.csv", encoding="utf-8") as f:
            _plot([r | {"n": int(r["n"])} for r in csv.DictReader(f)])
        return
    t0 = time.perf_counter()
    kept: list[dict] = []
    if args.part:
        with open(RESULTS / "scale.csv", encoding="utf-8") as f:
            family = ("log",) if args.part == "pairing" else ("assign", "match")
            kept = [r | {"n": int(r["n"])} for r in csv.DictReader(f) if r["family"] in family]
    rows = []
    if args.part != "logs":
        rows += _pairing_rows([1_000, 3_000, 10_000], [30_000] if args.large else [], args.huge)
    else:
        rows += kept
    if args.part != "pairing":
        rows += _log_rows([200_000, 1_000_000] + ([5_000_000] if args.large else []))
    else:
        rows += kept
    _write_tables(rows)
    _plot(rows)
    print(
        f"\nwritten {RESULTS / 'scale.md'}, scale.csv, scaling.png in {time.perf_counter() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
