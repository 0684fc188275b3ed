"""Benchmark of the pairing engine (ementor_kit.matching).

Run from the repository root:

    .venv/bin/python benchmarks/bench_matching.py            # default sizes, a few minutes
    .venv/bin/python benchmarks/bench_matching.py --quick    # n = 200 and 1000 only
    .venv/bin/python benchmarks/bench_matching.py --full     # adds the slow references

Instances: ``n`` mentees, ``ceil(n / 2.7)`` mentors of capacity 3, every pair listed in the long
``candidates`` table (``mentee_id, mentor_id, score``; text ids). Two kinds of scores:
``uniform`` (independent U(0, 100)) and ``popular`` (a mentor attractiveness N(0, 15) shared by
all mentees plus U(0, 70) pair fit, clipped to 0-100: popular mentors, as in real programmes).

Methods (each size and method runs in its own subprocess; ``input MB`` is its resident memory
once the instance is built, ``peak MB`` the peak resident memory while the method runs, the
instance included; the peak is reset after building the instance through /proc/self/clear_refs
on Linux):

- ``assign``: :func:`ementor_kit.matching.assign` on the candidates table;
- ``assign csv-ids``: the same with ids as freshly parsed strings (one object per row, as after
  ``pd.read_csv``; ids are hashed either way, this row shows the cost of such a table);
- ``assign highs``: the same with ``solver="highs"`` (column generation on HiGHS with the
  reduced-cost proof instead of scipy's assignment algorithm; slower on uniform scores, faster
  on popular-mentor scores at n = 3000);
- ``hand LSA``: the straightforward path written by hand (pandas pivot, repeat each mentor's
  column by capacity, ``scipy.optimize.linear_sum_assignment``, back to a DataFrame);
- ``dense PuLP+CBC``: one binary variable per pair, PuLP model, bundled CBC (small n only);
- ``assign + quota``: one group quota (30 % of mentees in a group with fewer compatible mentors
  and lower scores; capacity 2 so that not everybody can be paired; the group must be paired
  at least as often as everybody: ``min_share_of_overall = 1``), exact by column generation;
  ``dense PuLP quota`` is the same problem as one dense binary model in PuLP + CBC (n = 200;
  at n = 1000, ``--full`` only: CBC had not finished after 7 minutes here);
- ``match sample``: :func:`ementor_kit.matching.match` on the 300-mentee sample (validation,
  scoring, solve, report), default and strict rules.

Times are the median of ``--repeat`` runs. ``same`` compares the number of pairs and the total
score with the hand-written LSA path (or, for quotas, with the dense PuLP+CBC model when run).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _status_mb(field: str) -> float | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def _current_mb() -> float:
    """Resident memory now (VmRSS), or the peak so far where /proc is not available."""
    now = _status_mb("VmRSS")
    return now if now is not None else _peak_mb()


def _reset_peak() -> None:
    """Reset the peak resident memory (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_mb() -> float:
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _instance(n: int, kind: str, seed: int = 0, cap: int = 3, fresh_ids: bool = False):
    m = math.ceil(n / 2.7)
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        score = rng.uniform(0, 100, (n, m))
    else:
        score = np.clip(rng.normal(0, 15, m)[None, :] + rng.uniform(0, 70, (n, m)), 0, 100)
    e = np.array([f"E{i:05d}" for i in range(n)], dtype=object)
    mm = np.array([f"M{j:05d}" for j in range(m)], dtype=object)
    if fresh_ids:  # one string object per row, like a parsed CSV file
        e_col = np.array([f"E{i:05d}" for i in np.repeat(np.arange(n), m)], dtype=object)
        m_col = np.array([f"M{j:05d}" for j in np.tile(np.arange(m), n)], dtype=object)
    else:
        e_col, m_col = np.repeat(e, m), np.tile(mm, n)
    cand = pd.DataFrame(
        {
            "mentee_id": pd.array(e_col, dtype="str"),
            "mentor_id": pd.array(m_col, dtype="str"),
            "score": score.ravel(),
        }
    )
    return cand, dict.fromkeys(mm.tolist(), cap)


def _hand_lsa(cand: pd.DataFrame, caps: dict) -> pd.DataFrame:
    from scipy.optimize import linear_sum_assignment

    piv = cand.pivot(index="mentee_id", columns="mentor_id", values="score")
    cols = np.repeat(np.arange(piv.shape[1]), [caps[c] for c in piv.columns])
    mat = piv.to_numpy()[:, cols]
    r, c = linear_sum_assignment(mat, maximize=True)
    return pd.DataFrame(
        {"mentee_id": piv.index[r], "mentor_id": piv.columns[cols[c]], "score": mat[r, c]}
    )


def _dense_pulp(cand: pd.DataFrame, caps: dict, groups=None) -> pd.DataFrame:
    import warnings

    import pulp

    prob = pulp.LpProblem("dense", pulp.LpMaximize)
    rows = list(cand.itertuples(index=False))
    x = [prob.add_variable(f"x{k}", cat="Binary") for k in range(len(rows))]

    def solve(objective, extra=()):
        p = prob.copy()
        p.setObjective(objective)
        for cons in extra:
            p += cons
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            p.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=0, gapAbs=1e-9))
        return [k for k, v in enumerate(x) if v.varValue and v.varValue > 0.5]

    by_e, by_m = {}, {}
    for k, r in enumerate(rows):
        by_e.setdefault(r.mentee_id, []).append(x[k])
        by_m.setdefault(r.mentor_id, []).append(x[k])
    for vs in by_e.values():
        prob += pulp.lpSum(vs) <= 1
    for mid, vs in by_m.items():
        prob += pulp.lpSum(vs) <= caps[mid]
    if groups is not None:
        n = len(by_e)
        in_g = [k for k, r in enumerate(rows) if groups[r.mentee_id] == "qpv"]
        size = sum(1 for v in groups.values() if v == "qpv")
        prob += n * pulp.lpSum(x[k] for k in in_g) - size * pulp.lpSum(x) >= 0
        k1 = len(solve(pulp.lpSum(x)))
        chosen = solve(
            pulp.lpSum(r.score * x[k] for k, r in enumerate(rows)), [pulp.lpSum(x) == k1]
        )
    else:
        chosen = solve(pulp.lpSum(r.score * x[k] for k, r in enumerate(rows)))
    return cand.iloc[chosen]


def _quota_instance(n: int, seed: int = 0):
    cand, caps = _instance(n, "uniform", seed, cap=2)
    rng = np.random.default_rng(seed + 1)
    e_ids = np.array(sorted(set(cand["mentee_id"])), dtype=object)
    g = rng.random(len(e_ids)) < 0.3
    groups = {e: ("qpv" if x else "other") for e, x in zip(e_ids, g, strict=True)}
    in_g = cand["mentee_id"].map(groups).eq("qpv").to_numpy()
    keep = ~in_g | (rng.random(len(cand)) < 0.1)  # the group has fewer compatible mentors
    cand = cand[keep].reset_index(drop=True)
    cand.loc[in_g[keep], "score"] *= 0.6  # and lower scores
    return cand, caps, groups


def _sample():
    folder = ROOT / "data" / "samples"
    read = lambda f: pd.read_csv(folder / f, dtype=str, keep_default_na=False)  # noqa: E731
    return read("mentors.csv"), read("mentees.csv")


def worker(method: str, n: int, kind: str, repeat: int) -> dict:
    """Run one measurement in this process; return times, memory and the optimum found."""
    from ementor_kit.matching import GroupQuota, MatchRules, assign, match

    if method == "match":
        mentors, mentees = _sample()
        rules = MatchRules.from_yaml(ROOT / "data" / "samples" / "rules" / f"{kind}.yaml")
        run = lambda: match(mentors, mentees, rules).summary()  # noqa: E731
        n = len(mentees)
    elif method == "quota":
        cand, caps, groups = _quota_instance(n)
        q = [GroupQuota("qpv", min_share_of_overall=1.0)]
        run = lambda: assign(cand, caps, quotas=q, groups=groups).pairs  # noqa: E731
    elif method == "quota_pulp":
        cand, caps, groups = _quota_instance(n)
        run = lambda: _dense_pulp(cand, caps, groups)  # noqa: E731
    else:
        cand, caps = _instance(n, kind, fresh_ids=method == "assign_csv")
        run = {
            "assign": lambda: assign(cand, caps).pairs,
            "assign_csv": lambda: assign(cand, caps).pairs,
            "assign_highs": lambda: assign(cand, caps, solver="highs").pairs,
            "hand": lambda: _hand_lsa(cand, caps),
            "pulp": lambda: _dense_pulp(cand, caps),
        }[method]
    gc.collect()
    input_mb = _current_mb()
    _reset_peak()
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - t)
    if method == "match":
        pairs, total = out.n_pairs, out.score_total
    else:
        pairs, total = len(out), float(out["score"].sum())
    return {
        "median": statistics.median(times),
        "input_mb": input_mb,
        "peak_mb": _peak_mb(),
        "pairs": pairs,
        "total": total,
        "n": n,
    }


def measure(method: str, n: int, kind: str, repeat: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", method, str(n), kind, str(repeat)]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


LABELS = {
    "assign": "assign",
    "assign_highs": "assign highs",
    "assign_csv": "assign csv-ids",
    "hand": "hand LSA",
    "pulp": "dense PuLP+CBC",
    "quota": "assign + quota",
    "quota_pulp": "dense PuLP quota",
    "match": "match sample",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 200 and 1000 only")
    parser.add_argument(
        "--full",
        action="store_true",
        help="also popular n=10000, hand LSA n=10000, dense PuLP n=1000",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        method, n, kind, repeat = args.worker
        print(json.dumps(worker(method, int(n), kind, int(repeat))))
        return

    sizes = [200, 1000] if args.quick else [200, 1000, 3000, 10000]
    plan = []
    for kind in ("uniform", "popular"):
        for n in sizes:
            big = n >= 10000
            if kind == "popular" and big and not args.full:
                continue  # scipy's LSA takes minutes on these (see docs/notes)
            rep = 1 if n >= 3000 else args.repeat
            if n <= 3000 or args.full:
                plan.append(("hand", n, kind, rep))
            plan.append(("assign", n, kind, rep))
            if kind == "popular" and n in (1000, 3000):
                plan.append(("assign_highs", n, kind, rep))
            if kind == "uniform" and n in (1000, 10000):
                plan.append(("assign_csv", n, kind, 1))
            if kind == "uniform" and (n == 200 or (n == 1000 and args.full)):
                plan.append(("pulp", n, kind, 1))
    for n in (200, 1000):
        plan.append(("quota", n, "uniform", args.repeat))
        if n == 200 or args.full:  # the dense quota model is a hard MIP for CBC beyond that
            plan.append(("quota_pulp", n, "uniform", 1))
    plan.append(("match", 300, "default", max(args.repeat, 7)))
    plan.append(("match", 300, "strict", args.repeat))

    header = (
        f"{'method':<17} {'scores':<8} {'n':>6} {'median s':>9} {'input MB':>9} "
        f"{'peak MB':>8} {'pairs':>6} {'total score':>13} {'vs ref':>8}"
    )
    print(header)
    print("-" * len(header))
    ref: dict[tuple, dict] = {}
    for method, n, kind, rep in plan:
        r = measure(method, n, kind, rep)
        if "error" in r:
            print(f"{LABELS[method]:<17} {kind:<8} {n:>6}  error: {r['error']}")
            continue
        key = (n, kind) if method != "quota_pulp" else ("quota", n)
        if method in ("hand", "quota_pulp"):
            ref[key] = r
        note = ""
        if method in ("assign", "assign_csv", "assign_highs") and (n, kind) in ref:
            h = ref[(n, kind)]
            same = h["pairs"] == r["pairs"] and abs(h["total"] - r["total"]) < 1e-6
            note = f"{'same' if same else 'DIFF'} {r['median'] / h['median']:.2f}x"
        elif method == "pulp" and ("assign", n, kind) in ref:
            note = f"{r['median'] / ref[('assign', n, kind)]['median']:.0f}x"
        elif method == "quota_pulp":
            q = ref.get(("quota_res", n))
            if q is not None:
                same = q["pairs"] == r["pairs"] and abs(q["total"] - r["total"]) < 1e-6
                note = f"{'same' if same else 'DIFF'}"
        if method == "quota":
            ref[("quota_res", n)] = r
        if method == "assign":
            ref[("assign", n, kind)] = r
        print(
            f"{LABELS[method]:<17} {kind:<8} {r['n']:>6} {r['median']:>9.3f} "
            f"{r['input_mb']:>9.0f} {r['peak_mb']:>8.0f} {r['pairs']:>6} "
            f"{r['total']:>13.2f} {note:>8}",
            flush=True,
        )
    print(
        "\nvs ref: assign rows give time / hand-LSA time on the same table and whether the "
        "optimum is the same;\ndense PuLP rows give their time / assign time; the dense PuLP "
        "quota row checks the same optimum as assign + quota."
    )


if __name__ == "__main__":
    main()
