"""Benchmark of form_circles (ementor_kit.matching.circles) at 300 and 3,000 mentees.

Run from the repository root:

    .venv/bin/python benchmarks/bench_circles.py            # 300 and 3,000 mentees
    .venv/bin/python benchmarks/bench_circles.py --quick    # 300 only

Instances: :func:`ementor_kit.generate_programme` with ``n`` mentees and ``n / 5`` mentors
(seed 1), its default rules, circles of 3 to 6 mentees, ``peer_weight=0.1``; mentor circles
with similar and with diverse peers, and peer circles (``mentor=False``). Each row is one run
(``method="auto"``, heuristic at these sizes): seconds, circles, mentees placed, objective,
the bound and the gap ``(bound - objective) / bound`` (how far below the optimum the circles
may be, at most).
"""

from __future__ import annotations

import argparse
import time

import ementor_kit as ek


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 mentees only")
    args = parser.parse_args()
    sizes = [300] if args.quick else [300, 3000]
    header = (
        f"{'mentees':>7} {'mentors':>7} {'circles':>7} {'peer':>8} {'seconds':>8} "
        f"{'placed':>6} {'objective':>10} {'bound':>10} {'gap':>6}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes:
        prog = ek.generate_programme(n_mentees=n, n_mentors=n // 5, seed=1)
        for mentor, peer in ((True, "similar"), (True, "diverse"), (False, "similar")):
            t0 = time.perf_counter()
            res = ek.form_circles(prog.mentors, prog.mentees, size=(3, 6), peer=peer, mentor=mentor)
            seconds = time.perf_counter() - t0
            placed = int((res.members["role"] == "mentee").sum())
            kind = "mentor" if mentor else "peers"
            print(
                f"{n:>7} {n // 5:>7} {kind:>7} {peer:>8} {seconds:>8.1f} {placed:>6} "
                f"{res.objective:>10.1f} {res.bound:>10.1f} {res.gap:>6.2%}",
                flush=True,
            )


if __name__ == "__main__":
    main()
