"""Benchmark of the formats beyond one-to-one: shortlists and circles at 300 and 3,000 mentees.

Run from the repository root:

    .venv/bin/python benchmarks/bench_formats.py                  # 300 and 3,000 mentees
    .venv/bin/python benchmarks/bench_formats.py --sizes 300      # 300 only
    .venv/bin/python benchmarks/bench_formats.py --timeout 1800   # seconds allowed per case

Public API only (``import ementor_kit as ek``). Instances from
:func:`ementor_kit.generate_programme` (seed 1, default rules):

- ``shortlist``: ``ek.shortlist(mentors, mentees, k=3, exposure=1.5)`` with ``0.3 n`` mentors
  (the sample's proportion);
- ``circles``: ``ek.form_circles(mentors, mentees, size=(3, 6), peer="similar")`` with
  ``n / 5`` mentors (circles led by a mentor, the default method: exact for small instances,
  a heuristic with a bound beyond).

Each case runs in a fresh Python process (so one case's memory does not weigh on the next) and
is stopped after ``--timeout`` seconds. Reported per case: wall seconds and CPU seconds of the
call itself (the programme is generated before the clock starts), the process's peak resident
memory (MB, ``ru_maxrss``: includes the interpreter, pandas and the generated programme), and
what came out (options and mentees with 3 of them; circles, mentees placed and the gap to the
bound).

Measured 2026-12-04 on the shared 2-core machine (about seven other jobs running, so wall
time is well above CPU time). Shortlist: the HiGHS stages up to 200,000 allowed pairs (the
300 case), two OR-Tools min-cost flows beyond (the 3,000 case, 2.6 million allowed pairs; the
HiGHS stages had not finished it after 1,200 s):

=========  =======  =======  ======  =====  =======  ==========================================
case       mentees  mentors  wall s  CPU s  peak MB  result
=========  =======  =======  ======  =====  =======  ==========================================
shortlist      300       90    0.85   0.63      312  440 options, 0 mentees with 3 (caps: 1.5 x
                                                     capacity lists per mentor)
circles        300       60     2.2    0.9      288  51 circles, 300 placed, gap 5.12 %
circles      3,000      600     659    180      861  504 circles, 3,000 placed, gap 4.45 %
shortlist    3,000      900    3.41   2.52      751  4,380 options, 0 mentees with 3
=========  =======  =======  ======  =====  =======  ==========================================
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import ementor_kit as ek

CASES = ("shortlist", "circles")


def _case(case: str, n: int) -> dict[str, object]:
    """Run one case in this process and return its measures."""
    if case == "shortlist":
        prog = ek.generate_programme(n_mentees=n, n_mentors=int(0.3 * n), weeks=4, seed=1)
    else:
        prog = ek.generate_programme(n_mentees=n, n_mentors=n // 5, weeks=4, seed=1)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    if case == "shortlist":
        s = ek.shortlist(prog.mentors, prog.mentees, k=3, exposure=1.5)
        sizes = s.options.groupby("mentee_id").size()
        what = f"{len(s.options)} options, {int((sizes == 3).sum())} mentees with 3"
    else:
        c = ek.form_circles(prog.mentors, prog.mentees, size=(3, 6), peer="similar")
        placed = int((c.members["role"] == "mentee").sum())
        what = f"{c.members['group_id'].nunique()} circles, {placed} placed, gap {c.gap:.2%}"
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "case": case,
        "mentees": n,
        "mentors": len(prog.mentors),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_mb": round(peak_mb, 1),
        "result": what,
    }


def _run(case: str, n: int, timeout: float) -> dict[str, object]:
    """One case in a child process, stopped after ``timeout`` seconds."""
    cmd = [sys.executable, __file__, "--child", case, str(n)]
    t0 = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {
            "case": case,
            "mentees": n,
            "result": f"not finished within {timeout:.0f} s "
            f"(stopped after {time.perf_counter() - t0:.0f} s)",
        }
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"case": case, "mentees": n, "result": f"failed: {tail}"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per case")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_case(args.child[0], int(args.child[1]))), flush=True)
        return
    header = (
        f"{'case':>9} {'mentees':>7} {'mentors':>7} {'wall s':>8} {'CPU s':>8} "
        f"{'peak MB':>8}  result"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        for case in args.cases:
            r = _run(case, n, args.timeout)
            print(
                f"{r['case']:>9} {r['mentees']:>7} {r.get('mentors', ''):>7} "
                f"{r.get('wall_s', ''):>8} {r.get('cpu_s', ''):>8} {r.get('peak_mb', ''):>8}  "
                f"{r['result']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
