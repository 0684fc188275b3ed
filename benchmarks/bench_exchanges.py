"""Benchmark of importing a WhatsApp export: a 1-million-message chat generated, then imported.

Run from the repository root:

    .venv/bin/python benchmarks/bench_exchanges.py                # 1 M messages
    .venv/bin/python benchmarks/bench_exchanges.py --messages 2e5 --repeat 3

The chat is between a mentor and a mentee of the bundled sample (French Android layout, every
fifth message on two lines, a media placeholder every 50 messages), one message every 37 s from
2026-09-07, written once by :func:`ementor_kit.exchanges.generate.write_whatsapp_export`. The
import (:func:`ementor_kit.import_exchanges`: parsing every line, people resolved, local times
localised, the log validated) is timed ``--repeat`` times; the best wall time is reported.
Target (issue 15): under 10 s for a million messages.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

import ementor_kit as ek
from ementor_kit.exchanges.generate import write_whatsapp_export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    n = int(args.messages)
    prog = ek.load_sample()
    names = {"M001": "Hugo J.", "E001": "Mateo P."}
    start = pd.Timestamp("2026-09-07T08:00:00Z")
    log = pd.DataFrame(
        {
            "timestamp": start + pd.to_timedelta(pd.RangeIndex(n) * 37, unit="s"),
            "sender_id": (["M001", "E001"] * (n // 2 + 1))[:n],
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "WhatsApp Chat with Mateo P..txt"
        t0 = time.perf_counter()
        write_whatsapp_export(log, names, path, media_every=50)
        size = path.stat().st_size / 1e6
        print(f"generated {n:,} messages ({size:.0f} MB) in {time.perf_counter() - t0:.1f} s")
        best = cpu = float("inf")
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            result = ek.import_exchanges(path, prog, timezone="Europe/Paris")
            best = min(best, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
        c = result.counts
        print(
            f"imported: {c['read']:,} read, {c['used']:,} used, {c['skipped']:,} skipped, "
            f"{c['exchanges']:,} exchanges"
        )
        print(
            f"import_exchanges: best of {args.repeat}: {best:.2f} s wall, {cpu:.2f} s CPU "
            "(target < 10 s)"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of the process (generation included): {peak:.0f} MB")


if __name__ == "__main__":
    main()
