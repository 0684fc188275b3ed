"""Benchmark of ementor_kit.provenance.provenance_hash on a million-row exchange log.

Run from the repository root:

    .venv/bin/python benchmarks/bench_provenance.py                 # 1 M exchanges
    .venv/bin/python benchmarks/bench_provenance.py --sizes 1e5,1e6 --repeat 5
    .venv/bin/python benchmarks/bench_provenance.py --folder /tmp/big   # + the engagement CLI

The log is typed as ``read_programme`` returns it (UTC timestamps, string ids; see
``bench_engagement.synthetic_log``) and hashed with the pairs, as ``ementor-kit engagement``
does. "before" is the plain serialisation of the documented layout (``to_csv`` with
``date_format``, which formats every timestamp with ``strftime``: the code before issue 12);
"after" is ``provenance_hash``. Both must give the same hash. With ``--folder`` (a programme
folder, e.g. written by ``ementor-kit sample --mentees 8600 --mentors 2600 --weeks 52``, about
1 M exchanges) the whole ``ementor-kit engagement`` command is also timed with each hash.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
from bench_engagement import synthetic_log

import ementor_kit
import ementor_kit.cli as cli
import ementor_kit.cli.engagement as cli_engagement
from ementor_kit.provenance import provenance_hash


def hash_before(tables: Mapping[str, pd.DataFrame], settings: str = "") -> str:
    """The documented layout serialised the plain way (the implementation before issue 12)."""
    digest = hashlib.sha256()
    digest.update(f"ementor-kit {ementor_kit.__version__}\n".encode())
    for name in sorted(tables):
        df = tables[name]
        canon = df.reset_index() if any(n is not None for n in df.index.names) else df.copy()
        for col in canon.columns:
            if canon[col].dtype == object:
                canon[col] = [
                    ";".join(map(str, v)) if isinstance(v, tuple | list) else v for v in canon[col]
                ]
        text = canon.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%S%z")
        data = text.encode("utf-8")
        digest.update(f"table {name} {len(data)}\n".encode())
        digest.update(data)
    digest.update(f"settings {len(settings)}\n".encode())
    digest.update(settings.encode("utf-8"))
    return "ek1-" + digest.hexdigest()[:16]


def _times(run: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return times, out


def _cli_seconds(folder: str, hasher: Callable[..., str], repeat: int) -> tuple[float, str]:
    """Best wall time of ``ementor-kit engagement FOLDER`` with ``hasher`` as its hash."""
    original = cli_engagement.provenance_hash
    cli_engagement.provenance_hash = hasher
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "engagement.csv"
            argv = ["engagement", folder, "--out", str(out), "--no-progress"]
            quiet = io.StringIO()
            with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                times, code = _times(lambda: cli.main(argv), repeat)
            if code != 0:
                sys.exit(quiet.getvalue())
            first = out.read_text(encoding="utf-8").split("\n", 1)[0]
    finally:
        cli_engagement.provenance_hash = original
    return min(times), first.split("provenance ")[1].split(";")[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e6", help="comma-separated log sizes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--folder", help="programme folder: also time the engagement CLI")
    args = ap.parse_args()
    print("| exchanges | before best s | before median s | after best s | after median s |")
    print("|---|---|---|---|---|")
    same = []
    for size in (int(float(s)) for s in args.sizes.split(",")):
        log, pairs = synthetic_log(size, max(10, size // 50))
        tables = {"interactions": log, "pairs": pairs}
        before, h0 = _times(lambda t=tables: hash_before(t, "bench"), args.repeat)
        after, h1 = _times(lambda t=tables: provenance_hash(t, "bench"), args.repeat)
        same.append(h0 == h1)
        print(
            f"| {size:,} | {min(before):.2f} | {statistics.median(before):.2f} | "
            f"{min(after):.2f} | {statistics.median(after):.2f} |"
        )
    print(f"\nsame hash before and after: {'yes' if all(same) else 'NO'}")
    if args.folder:
        with open(Path(args.folder) / "interactions.csv", encoding="utf-8") as f:
            rows = sum(1 for _ in f) - 1
        t0, h0 = _cli_seconds(args.folder, hash_before, args.repeat)
        t1, h1 = _cli_seconds(args.folder, provenance_hash, args.repeat)
        print(f"\n| ementor-kit engagement ({rows:,} exchanges) | best s | provenance |")
        print("|---|---|---|")
        print(f"| before | {t0:.2f} | {h0} |")
        print(f"| after | {t1:.2f} | {h1} |")
        if h0 != h1:
            sys.exit("the CLI's provenance changed")


if __name__ == "__main__":
    main()
