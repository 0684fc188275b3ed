"""Benchmark of ementor_kit.graph.engagement on synthetic exchange logs.

Run from the repository root:

    .venv/bin/python benchmarks/bench_engagement.py            # 1 M and 10 M exchanges
    .venv/bin/python benchmarks/bench_engagement.py --sizes 1e6 --repeat 5
    .venv/bin/python benchmarks/bench_engagement.py --sizes 1e6 --raw   # + raw text input

Each size runs in its own subprocess: the log is generated (typed as ``read_programme`` returns
it: UTC timestamps, string ids), the peak-memory counter is reset, then ``engagement()`` runs
``--repeat`` times on the log and once on a shuffled copy, whose result must be identical. The
table shows the best and median wall time, the resident memory holding the input, and the peak
resident memory during the calls (ru_maxrss after resetting the high-water mark).
Targets (issue 5): 1 M exchanges within 1 s; 10 M within 8 s and 3 GB peak.

With ``--raw`` the log is also given as text (timestamps as ISO 8601 strings with their offset,
as ``pandas.read_csv`` returns them): ``engagement()`` then validates it first with
``ementor_kit.data.validation.validate``, whose time is included in that column. Reading and
validating the log from a CSV file, alone, is measured by ``bench_exchange_log.py``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd


def synthetic_log(n: int, n_pairs: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A typed exchange log of ``n`` rows over ``n_pairs`` pairs (about 3 % peer forum replies).

    Pair activity is skewed (some pairs never start), 60 % of exchanges come in quick
    back-and-forth bursts, timestamps have 1-second resolution (so ties happen), and a
    group session row now and then carries a session id.
    """
    rng = np.random.default_rng(seed)
    n_mentors = max(1, n_pairs // 3)
    mentees = np.array([f"E{i:06d}" for i in range(n_pairs)], dtype=object)
    mentors = np.array([f"M{i:06d}" for i in range(n_mentors)], dtype=object)
    mentor_of = rng.integers(0, n_mentors, n_pairs)
    start = pd.Timestamp("2026-01-05", tz="UTC").value // 10**9
    matched_day = rng.integers(0, 60, n_pairs)
    pairs = pd.DataFrame(
        {
            "mentee_id": pd.array(mentees, dtype="str"),
            "mentor_id": pd.array(mentors[mentor_of], dtype="str"),
            "matched_on": pd.to_datetime(start + matched_day * 86_400, unit="s").as_unit("ns"),
        }
    )
    weight = rng.gamma(0.7, 1.0, n_pairs)
    weight[rng.random(n_pairs) < 0.05] = 0.0  # never started
    pair = np.sort(rng.choice(n_pairs, size=n, p=weight / weight.sum()))
    life = rng.integers(14, 300, n_pairs) * 86_400
    sec = start + matched_day[pair] * 86_400 + (rng.random(n) * life[pair]).astype(np.int64)
    # bursts: an exchange follows another exchange of the same pair within two hours
    burst = (rng.random(n) < 0.6) & (np.roll(pair, 1) == pair)
    sec[burst] = np.roll(sec, 1)[burst] + rng.integers(0, 7_200, burst.sum())
    from_mentee = rng.random(n) < 0.55
    sender = np.where(from_mentee, mentees[pair], mentors[mentor_of[pair]])
    recipient = np.where(from_mentee, mentors[mentor_of[pair]], mentees[pair])
    peer = rng.random(n) < 0.03
    recipient[peer] = mentees[rng.integers(0, n_pairs, peer.sum())]
    sender[peer] = mentees[pair[peer]]
    channels = np.array(["chat", "email", "forum", "video", "phone"], dtype=object)
    channel = channels[rng.choice(5, size=n, p=[0.5, 0.2, 0.08, 0.14, 0.08])]
    channel[peer] = "forum"
    sync = (channel == "video") | (channel == "phone")
    minutes = np.where(sync, rng.integers(10, 90, n).astype(float), np.nan)
    session = np.full(n, None, dtype=object)
    group = sync & (rng.random(n) < 0.05)
    session[group] = np.array([f"S{i:04d}" for i in range(1000)], dtype=object)[
        rng.integers(0, 1000, group.sum())
    ]
    log = pd.DataFrame(
        {
            "interaction_id": pd.array([f"I{i:08d}" for i in range(n)], dtype="str"),
            "timestamp": pd.to_datetime(sec, unit="s", utc=True).as_unit("ns"),
            "sender_id": pd.array(sender, dtype="str"),
            "recipient_id": pd.array(recipient, dtype="str"),
            "channel": pd.array(channel, dtype="str"),
            "duration_minutes": minutes,
            "session_id": pd.array(session, dtype="str"),
        }
    )
    order = np.argsort(sec, kind="stable")  # a log arrives roughly in time order
    return log.iloc[order].reset_index(drop=True), pairs


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _child(n: int, n_pairs: int, repeat: int, raw: int) -> dict:
    from ementor_kit.graph import engagement

    log, pairs = synthetic_log(n, n_pairs)
    raw_s = None
    if raw:
        text = log.assign(timestamp=log["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
        t = time.perf_counter()
        from_text = engagement(text, pairs)
        raw_s = (time.perf_counter() - t, from_text.table.equals(engagement(log, pairs).table))
        del text, from_text
    shuffled = log.sample(frac=1.0, random_state=1).reset_index(drop=True)
    gc.collect()
    input_mb = _rss_mb()
    reset = _reset_peak()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        res = engagement(log, pairs)
        times.append(time.perf_counter() - t)
        del res
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    a = engagement(log, pairs)
    b = engagement(shuffled, pairs)
    identical = a.table.equals(b.table)
    return {
        "n": n,
        "pairs": n_pairs,
        "best": min(times),
        "median": statistics.median(times),
        "input_mb": input_mb,
        "peak_mb": peak_mb,
        "peak_reset": reset,
        "identical": identical,
        "unused": int(sum(a.unused_interactions.values())),
        "raw": raw_s,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e6,1e7", help="comma-separated log sizes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--raw", action="store_true", help="also time raw text input (validated)")
    ap.add_argument("--child", nargs=4, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    rows = []
    for size in (int(float(s)) for s in args.sizes.split(",")):
        n_pairs = max(10, size // 50)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(size),
                str(n_pairs),
                str(args.repeat),
                str(int(args.raw)),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    raw = args.raw
    print(
        "| exchanges | pairs | best s | median s | input in memory MB | peak MB | "
        "shuffled input gives identical result | unused rows |"
        + (" raw text input s (same result) |" if raw else "")
    )
    print("|---" * (9 if raw else 8) + "|")
    for r in rows:
        peak = f"{r['peak_mb']:.0f}" + ("" if r["peak_reset"] else " (incl. generation)")
        line = (
            f"| {r['n']:,} | {r['pairs']:,} | {r['best']:.2f} | {r['median']:.2f} | "
            f"{r['input_mb']:.0f} | {peak} | {'yes' if r['identical'] else 'NO'} | "
            f"{r['unused']:,} |"
        )
        if raw:
            line += f" {r['raw'][0]:.2f} ({'yes' if r['raw'][1] else 'NO'}) |"
        print(line)


if __name__ == "__main__":
    main()
