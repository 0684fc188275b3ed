"""Benchmark of ementor_kit.report: time to build the pilot report, step by step.

Run from the repository root:

    .venv/bin/python benchmarks/bench_pilot_report.py                  # sample + 1000 + 3000
    .venv/bin/python benchmarks/bench_pilot_report.py --sizes 300 --repeat 5

``sample`` is the committed sample programme read from ``data/samples`` (300 mentees, 90
mentors, 16 weeks); a number is a synthetic programme of that many mentees (mentors = 30 %,
16 weeks) from ``generate_programme``, generated before timing. Each report is built
``--repeat`` times; the table shows the best and median total, the median time of each step
of ``pilot_report.STEPS``, the HTML rendering and its size, and whether every build gave the
same bytes.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ementor_kit import generate_programme, load_sample, sample_dir
from ementor_kit.report import STEPS, pilot_report

KEY = "benchmark-key-synthetic-data-only"
RULES = sample_dir() / "rules" / "default.yaml"


def _one(programme) -> tuple[float, dict[str, float], float, bytes]:
    marks: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    report = pilot_report(
        programme, RULES, key=KEY, progress=lambda s: marks.append((s, time.perf_counter()))
    )
    t1 = time.perf_counter()
    html = report.to_html().encode("utf-8")
    t2 = time.perf_counter()
    ends = [t for _, t in marks[1:]] + [t1]
    steps = {name: end - start for (name, start), end in zip(marks, ends, strict=True)}
    return t1 - t0, steps, t2 - t1, html


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="sample,1000,3000", help="comma-separated: sample or N")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    for size in args.sizes.split(","):
        size = size.strip()
        if size == "sample":
            programme = load_sample()
        else:
            n = int(float(size))
            programme = generate_programme(n_mentees=n, n_mentors=max(3, int(0.3 * n)), seed=1)
        runs = [_one(programme) for _ in range(args.repeat)]
        totals = [r[0] for r in runs]
        rows.append(
            {
                "programme": size,
                "mentees": len(programme.mentees),
                "exchanges": 0 if programme.interactions is None else len(programme.interactions),
                "best_s": min(totals),
                "median_s": statistics.median(totals),
                **{s: statistics.median(r[1][s] for r in runs) for s in STEPS},
                "html_s": statistics.median(r[2] for r in runs),
                "html_kib": len(runs[0][3]) / 1024,
                "same_bytes": all(r[3] == runs[0][3] for r in runs),
            }
        )
    cols = list(rows[0])
    width = {c: max(len(c), 9) for c in cols}
    print("  ".join(c.rjust(width[c]) for c in cols))
    for row in rows:
        cells = []
        for c in cols:
            v = row[c]
            text = f"{v:.3f}" if isinstance(v, float) else str(v)
            cells.append(text.rjust(width[c]))
        print("  ".join(cells))


if __name__ == "__main__":
    main()
