"""Benchmark of ementor_kit.design.simulate (what the design canvas runs on every change).

Run from the repository root:

    .venv/bin/python benchmarks/bench_design.py
    .venv/bin/python benchmarks/bench_design.py --sizes 300 1000 --repeat 5

For each cohort size (mentors = 30 % of mentees, capacity 3, 26 weeks) the table shows:

- ``cold``: first call for a new cohort (generate the cohort, pair it with the engine, simulate);
  what a change of cohort size, capacity or format costs in the canvas;
- ``warm``: a change that keeps the cohort and the pairing (check-in cadence, live share,
  duration, structure, effect size): only the hazard model and the evaluation run;
- ``group``: cold call in the group format (groups of 5);
- ``canvas``: one slider change in a headless :class:`~ementor_kit.widgets.design_canvas.DesignCanvas`
  (simulation, HTML and the PNG plot).

Times are the best and the median of ``--repeat`` runs (caches cleared before each cold run).
Target (issue 7): under 1-2 s for 300 mentees so the canvas feels live.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ementor_kit import design as dmod
from ementor_kit.design import ProgrammeDesign, simulate
from ementor_kit.widgets import DesignCanvas


def _time(fn, repeat: int, clear: bool) -> list[float]:
    out = []
    for _ in range(repeat):
        if clear:
            dmod._cohort.cache_clear()
            dmod._matched.cache_clear()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'mentees':>8} {'case':>7} {'best s':>8} {'median s':>9}")
    for n in args.sizes:
        d = ProgrammeDesign(name=f"n{n}", n_mentees=n, n_mentors=max(1, round(0.3 * n)))
        g = d.replace(format="group", group_size=5, mentor_capacity=1)
        cadences = iter(range(1, 10_000))
        cases = {
            "cold": (lambda d=d: simulate(d), True),
            "warm": (
                lambda d=d, c=cadences: simulate(d.replace(checkin_every_days=next(c) % 90 + 1)),
                False,
            ),
            "group": (lambda g=g: simulate(g), True),
        }
        for name, (fn, clear) in cases.items():
            if not clear:
                simulate(d)  # fill the caches
            ts = _time(fn, args.repeat, clear)
            print(f"{n:>8} {name:>7} {min(ts):>8.3f} {statistics.median(ts):>9.3f}")
        canvas = DesignCanvas(d)
        slider = canvas.controls["checkin_every_days"]
        values = iter(range(1, 10_000))

        def move(slider=slider, values=values) -> None:
            slider.value = next(values) % 90 + 1

        ts = _time(move, args.repeat, False)
        print(f"{n:>8} {'canvas':>7} {min(ts):>8.3f} {statistics.median(ts):>9.3f}")


if __name__ == "__main__":
    main()
