"""Benchmark of the exact sparse pairing (issue 19): dense vs sparse, time and peak memory.

Run from the repository root:

    .venv/bin/python benchmarks/bench_sparse.py            # n = 1,000, 3,000, 10,000 + match()
    .venv/bin/python benchmarks/bench_sparse.py --large    # adds assign(solver="sparse") at 30,000
    .venv/bin/python benchmarks/bench_sparse.py --huge     # adds sparse chunked at 100,000 x 37,000

Instances ("popular mentor", as in real programmes): ``n`` mentees, ``ceil(0.3 n)`` mentors of
capacity 3 (0.9 places per mentee), every pair allowed, score ``clip(a_j + e_ij, 0, 100)`` in float32
with a mentor attractiveness ``a_j ~ N(0, 15)`` shared by all mentees and a pair fit
``e_ij ~ U(0, 70)``; the candidates table has every pair, ids categorical.

Methods (each case in its own subprocess; ``peak MB`` is its peak resident memory,
``ru_maxrss``, the instance and the interpreter with its imports, about 270 MB, included):

- ``assign lsa``: :func:`ementor_kit.assign` with ``solver="lsa"`` (the dense score matrix,
  ``scipy.optimize.linear_sum_assignment`` on the capacity-expanded matrix; today's path);
- ``assign sparse``: ``solver="sparse"`` (OR-Tools min-cost flow on candidate pairs, every
  pair priced with the duals until none can improve; ``auto`` picks it from a million pairs);
- ``match() lsa`` / ``match() auto``: :func:`ementor_kit.match` end to end (validation,
  scoring, solve, report) on 10,000 mentees and 3,000 mentors drawn from the sample's
  profiles, with today's solver and with ``auto``. The draw repeats each of the sample's 300
  mentees and 90 mentors about 33 times: many exactly equal scores, so many equally good
  pairings, and the pricing needs more rounds to prove one of them optimal;
- ``... mixed``: the same people with each column shuffled on its own, so the profiles are
  new combinations of the sample's values (fewer exact ties, as with a large intake).

- ``sparse chunked``: the same solver reading the scores in chunks of mentee rows, each chunk
  generated when asked (the instance's random stream is per block of 8 rows, so a chunk is
  the same whenever it is generated): no mentees x mentors matrix exists, the only way at
  100,000 x 37,000 (``--huge``): :func:`ementor_kit.assign_in_chunks`; its time includes
  generating the scores of a block each time a pass reads it, as scoring them would, and reading the chosen
  pairs' scores at the end.

``s`` is wall time, ``cpu s`` the process's CPU time (steadier on a shared machine). ``same``
checks the number of pairs and the total score (to 1e-6) against the first method of
the size. Targets (issue 19): sparse at n = 10,000 under 3 s and 2 GB; 100,000 / 37,000 under
60 s and 8 GB; at 1,000 and 3,000 no slower than today.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = 19
ROWS = 8  # rows of one random stream of the instance


def _instance_params(n: int, m: int = 0) -> tuple[int, np.ndarray, np.ndarray]:
    m = m or math.ceil(0.3 * n)
    rng = np.random.default_rng(SEED)
    return m, rng.normal(0.0, 15.0, m), np.full(m, 3, dtype=np.int64)


def _block(n: int, att: np.ndarray, r0: int, r1: int) -> np.ndarray:
    """Scores of mentee rows r0:r1 in float32 (one random stream per block of ``ROWS`` rows,
    so that any rows are the same whichever block asks for them)."""
    out = np.empty((r1 - r0, len(att)), dtype=np.float32)
    for b in range(r0 // ROWS, (r1 + ROWS - 1) // ROWS):
        lo, hi = max(r0, b * ROWS), min(r1, b * ROWS + ROWS)
        rng = np.random.default_rng([SEED, b])
        if hi - lo == ROWS:
            rng.random(out=out[lo - r0 : hi - r0], dtype=np.float32)
        else:
            out[lo - r0 : hi - r0] = rng.random((ROWS, len(att)), dtype=np.float32)[
                lo - b * ROWS : hi - b * ROWS
            ]
    out *= np.float32(70.0)
    out += att.astype(np.float32)[None, :]
    np.clip(out, np.float32(0.0), np.float32(100.0), out=out)
    return out


def _run_case(n: int, method: str, m_given: int = 0) -> dict:
    import pandas as pd

    from ementor_kit import assign

    m, att, cap = _instance_params(n, m_given)
    value = _block(n, att, 0, n)
    # the long candidates table with categorical ids (codes, no string per row)
    e_ids = pd.Categorical.from_codes(
        np.repeat(np.arange(n, dtype=np.int32), m), [f"E{i:06d}" for i in range(n)]
    )
    m_names = [f"M{j:06d}" for j in range(m)]
    m_ids = pd.Categorical.from_codes(np.tile(np.arange(m, dtype=np.int32), n), m_names)
    cand = pd.DataFrame({"mentee_id": e_ids, "mentor_id": m_ids, "score": value.ravel()})
    del value
    capacity = dict(zip(m_names, cap.tolist(), strict=True))
    solver = "lsa" if method == "assign lsa" else "sparse"
    t0, c0 = time.perf_counter(), time.process_time()
    res = assign(cand, capacity, solver=solver)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "n": n,
        "m": m,
        "method": method,
        "seconds": secs,
        "cpu": cpu,
        "pairs": len(res.pairs),
        "total": float(res.pairs["score"].sum()),
        "notes": list(res.notes),
    }


def _run_chunked(n: int, m_given: int) -> dict:
    from ementor_kit import assign_in_chunks

    m, att, cap = _instance_params(n, m_given)
    mentees = [f"E{i:06d}" for i in range(n)]
    capacity = dict(zip([f"M{j:06d}" for j in range(m)], cap.tolist(), strict=True))
    t0, c0 = time.perf_counter(), time.process_time()
    res = assign_in_chunks(lambda r0, r1: _block(n, att, r0, r1), mentees, capacity)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "n": n,
        "m": m,
        "method": "sparse chunked",
        "seconds": secs,
        "cpu": cpu,
        "pairs": len(res.pairs),
        "total": float(res.pairs["score"].sum()),
        "notes": [*res.notes, f"scores generated once: {_generation_seconds(n, att):.1f} s"],
    }


def _generation_seconds(n: int, att: np.ndarray) -> float:
    """Seconds to generate every block of scores once, on as many threads as the solver reads
    with (its chunks of 2**21 scores), measured right after a solve: the scorer's share of each
    pass over the scores, and how fast the machine was at that moment."""
    from concurrent.futures import ThreadPoolExecutor

    step = max(1, (1 << 21) // len(att))  # the solver's chunk: 2**21 scores
    t0 = time.perf_counter()
    with ThreadPoolExecutor(os.cpu_count() or 1) as ex:
        list(ex.map(lambda r0: _block(n, att, r0, min(n, r0 + step)).shape, range(0, n, step)))
    return time.perf_counter() - t0


def _people(n: int, m: int, mixed: bool = False):
    """``n`` mentees and ``m`` mentors drawn (with replacement) from the bundled sample's
    profiles, with new ids; ``mixed``: each column shuffled on its own afterwards, so the
    profiles combine the sample's values in new ways instead of repeating its 300 mentees and
    90 mentors about 33 times each."""
    from ementor_kit import load_sample

    prog = load_sample()
    rng = np.random.default_rng(SEED)
    mentors = prog.mentors.iloc[rng.integers(0, len(prog.mentors), m)].reset_index(drop=True)
    mentees = prog.mentees.iloc[rng.integers(0, len(prog.mentees), n)].reset_index(drop=True)
    mentors["mentor_id"] = [f"M{j:06d}" for j in range(m)]
    mentees["mentee_id"] = [f"E{i:06d}" for i in range(n)]
    if mixed:
        for df, own in ((mentors, "mentor_id"), (mentees, "mentee_id")):
            for c in df.columns.drop(own):
                df[c] = df[c].to_numpy()[rng.permutation(len(df))]
    return mentors, mentees


def _run_match(n: int, m: int, method: str) -> dict:
    from ementor_kit import match

    solver = method.split()[1]
    mentors, mentees = _people(n, m, mixed=method.endswith("mixed"))
    t0, c0 = time.perf_counter(), time.process_time()
    res = match(mentors, mentees, solver=solver)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    timings = {k: round(v, 2) for k, v in res.timings.items()}
    s = res.summary()
    return {
        "n": n,
        "m": m,
        "method": method,
        "seconds": secs,
        "cpu": cpu,
        "pairs": len(res.pairs),
        "total": float(res.pairs["score"].sum()),
        "notes": [f"timings {timings}", f"proven {s.proven_optimal}"],
    }


def _child(args: argparse.Namespace) -> None:
    if args.method.startswith("match() "):
        out = _run_match(args.n, args.m, args.method)
    elif args.method == "sparse chunked":
        out = _run_chunked(args.n, args.m)
    else:
        out = _run_case(args.n, args.method, args.m)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _spawn(n: int, method: str, m: int = 0, timeout: float = 1800) -> dict:
    cmd = [sys.executable, __file__, "--child", "--n", str(n), "--m", str(m), "--method", method]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"n": n, "method": method, "error": f"timeout {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"n": n, "method": method, "error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _print(rows: list[dict]) -> None:
    print(
        f"{'n':>7} {'m':>6} {'method':<22} {'s':>8} {'cpu s':>8} {'peak MB':>8} {'pairs':>7} "
        "same  notes"
    )
    ref: dict[tuple[int, int], dict] = {}
    for r in rows:
        if "error" in r:
            print(f"{r['n']:>7} {'':>6} {r['method']:<22} error: {r['error']}")
            continue
        # match(): other instances (sample profiles repeated, or mixed)
        key = (r["n"], r["m"], r["method"].startswith("match"), r["method"].endswith("mixed"))
        first = ref.setdefault(key, r)
        same = r["pairs"] == first["pairs"] and abs(r["total"] - first["total"]) < 1e-6
        print(
            f"{r['n']:>7} {r['m']:>6} {r['method']:<22} {r['seconds']:>8.2f} {r['cpu']:>8.2f} "
            f"{r['peak_mb']:>8.0f} {r['pairs']:>7} {'yes' if same else 'NO':<5} "
            f"{'; '.join(r['notes'])[:110]}"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--large", action="store_true", help="add assign sparse at 30,000 mentees")
    p.add_argument("--huge", action="store_true", help="add sparse chunked at 100,000 x 37,000")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--m", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--method", default="", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        _child(args)
        return
    rows = []
    for n in (1000, 3000, 10000):
        for method in ("assign lsa", "assign sparse", "sparse chunked"):
            rows.append(_spawn(n, method))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    for method in ("match() lsa", "match() auto", "match() lsa mixed", "match() auto mixed"):
        rows.append(_spawn(10000, method, m=3000))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    if args.large:
        rows.append(_spawn(30_000, "assign sparse", timeout=3600))
    if args.huge:
        rows.append(_spawn(100_000, "sparse chunked", m=37_000, timeout=3600))
    _print(rows)


if __name__ == "__main__":
    main()
