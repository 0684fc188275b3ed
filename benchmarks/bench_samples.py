"""Benchmark of ementor_kit.samples: generating and writing synthetic programmes.

Run from the repository root:

    .venv/bin/python benchmarks/bench_samples.py
    .venv/bin/python benchmarks/bench_samples.py --sizes 300 1000 --repeat 3

For each intake size (mentees; mentors = 30 % of it, 16 weeks) the table shows the best and
median wall time of ``generate_programme`` (which also validates every table), of
``write_programme`` into a temporary folder, the number of exchanges generated, and the peak
resident memory of the process so far.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time

from ementor_kit.samples import generate_programme, write_programme


def _timed(fn, repeat: int) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return times, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        "| mentees | mentors | exchanges | generate best / median (s) "
        "| write best / median (s) | peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|")
    for n in args.sizes:
        m = max(1, round(0.3 * n))
        gen_t, prog = _timed(
            lambda n=n, m=m: generate_programme(n_mentees=n, n_mentors=m), args.repeat
        )
        with tempfile.TemporaryDirectory() as tmp:
            wr_t, _ = _timed(lambda tmp=tmp, prog=prog: write_programme(prog, tmp), args.repeat)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {n} | {m} | {len(prog.interactions)} | {min(gen_t):.2f} / "
            f"{statistics.median(gen_t):.2f} | {min(wr_t):.2f} / {statistics.median(wr_t):.2f} "
            f"| {rss:.0f} |"
        )


if __name__ == "__main__":
    main()
