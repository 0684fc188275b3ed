"""Small synthetic profiles and independent reference solvers for the pairing tests."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pulp

from ementor_kit.data.schema import MENTEES
from ementor_kit.matching import score_pairs

# the sample's vocabularies (declared in its programme.yaml)
DOMAINS = MENTEES.column("domain").allowed or ()
GOAL_CATEGORIES = MENTEES.column("goals").allowed or ()
MODALITIES = MENTEES.column("modality").allowed or ()
SKILLS = MENTEES.column("skills_sought").allowed or ()

LANGS = ("fr", "en", "es")


def _pick(rng: np.random.Generator, values, lo: int, hi: int) -> str:
    k = int(rng.integers(lo, min(hi, len(values)) + 1))
    return ";".join(sorted(rng.choice(values, size=k, replace=False).tolist()))


def profiles(
    seed: int, n_mentors: int, n_mentees: int, *, n_langs: int = 3, n_orgs: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw (text) mentor and mentee tables following the data contract."""
    rng = np.random.default_rng(seed)
    langs = LANGS[:n_langs]

    def person(k: int, mentor: bool) -> dict:
        row = {
            ("mentor_id" if mentor else "mentee_id"): f"{'M' if mentor else 'E'}{k + 1:03d}",
            "display_name": f"P{k}",
            "languages": _pick(rng, langs, 1, 2),
            "region": "Bretagne",
            "utc_offset": str(float(rng.choice([-5, -4, 0, 1, 2, 4, 10]))),
            "domain": str(rng.choice(DOMAINS[:4])),
            ("skills_offered" if mentor else "skills_sought"): _pick(rng, SKILLS[:6], 1, 4),
            "goals": _pick(rng, GOAL_CATEGORIES, 1, 3),
            "availability_hours": str(float(rng.choice([0, 0.5, 1, 2, 4]))),
            "modality": str(rng.choice(MODALITIES)),
            "digital_comfort": str(int(rng.integers(1, 6))),
            "years_experience": str(int(rng.integers(0, 30 if mentor else 12))),
            "organisation": f"Org{int(rng.integers(n_orgs))}",
            "department": f"D{int(rng.integers(2))}",
            "cohort": "2026-A",
            "group": str(rng.choice(["qpv", "non_qpv", ""])),
        }
        if mentor:
            row["capacity"] = str(int(rng.integers(1, 4)))
        else:
            row["career_stage"] = "etudiant"
        return row

    mentors = pd.DataFrame([person(k, True) for k in range(n_mentors)])
    mentees = pd.DataFrame([person(k, False) for k in range(n_mentees)])
    return mentors, mentees


def brute_force(
    value: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    objective: str,
    quota: tuple[np.ndarray, float | None, float | None] | None = None,
    fixed: dict[int, int] | None = None,
):
    """Best objective key over every assignment (tiny instances only); None if infeasible.

    ``fixed`` maps mentee rows to the mentor column they must have (required pairs).

    Keys: (pairs, total) / (total,) / (pairs, min, total), totals rounded to 1e-7.
    """
    n, m = value.shape
    best = None
    fixed = fixed or {}
    ranges = [[fixed[i]] if i in fixed else range(-1, m) for i in range(n)]
    for choice in itertools.product(*ranges):
        load = np.zeros(m, dtype=int)
        ok = True
        sc = []
        for i, j in enumerate(choice):
            if j < 0:
                continue
            if i not in fixed and (
                not allowed[i, j] or (objective == "score" and value[i, j] <= 0)
            ):
                ok = False
                break
            load[j] += 1
            sc.append(value[i, j])
        if not ok or (load > cap).any():
            continue
        if quota is not None:
            g, cov, share = quota
            y = np.array([j >= 0 for j in choice])
            if cov is not None and y[g].sum() < np.ceil(cov * g.sum() - 1e-9):
                continue
            if share is not None and y[g].sum() / g.sum() < share * y.sum() / n - 1e-12:
                continue
        key = _key(np.array(sc), objective)
        if best is None or key > best:
            best = key
    return best


def _key(scores: np.ndarray, objective: str) -> tuple:
    total = round(float(scores.sum()), 7)
    if objective == "coverage_then_score":
        return (len(scores), total)
    if objective == "score":
        return (total,)
    return (len(scores), round(float(scores.min()), 7) if len(scores) else 0.0, total)


def key_of(pairs: pd.DataFrame, objective: str) -> tuple:
    return _key(pairs["score"].to_numpy(dtype=float), objective)


def dense_pulp(
    value: np.ndarray,
    allowed: np.ndarray,
    cap: np.ndarray,
    *,
    quota: tuple[np.ndarray, float | None, float | None] | None = None,
) -> tuple[int, float]:
    """Coverage-then-score optimum by a dense PuLP model solved by CBC, in two stages.

    The quota is written in its plain form: ``sum_G y >= ceil(c |G|)`` or
    ``N sum_G y - r |G| sum y >= 0``. Returns (pairs, total score).
    """
    n, m = value.shape
    idx = [(i, j) for i in range(n) for j in range(m) if allowed[i, j]]

    def model(stage: int, k: int | None):
        prob = pulp.LpProblem("dense", pulp.LpMaximize)
        x = {p: prob.add_variable(f"x_{p[0]}_{p[1]}", cat="Binary") for p in idx}
        if stage == 1:
            prob += pulp.lpSum(x.values())
        else:
            prob += pulp.lpSum(float(value[p]) * v for p, v in x.items())
            prob += pulp.lpSum(x.values()) == k
        for i in range(n):
            prob += pulp.lpSum(x[p] for p in idx if p[0] == i) <= 1
        for j in range(m):
            prob += pulp.lpSum(x[p] for p in idx if p[1] == j) <= int(cap[j])
        if quota is not None:
            g, cov, share = quota
            in_g = pulp.lpSum(x[p] for p in idx if g[p[0]])
            if cov is not None:
                prob += in_g >= int(np.ceil(cov * g.sum() - 1e-9))
            else:
                prob += n * in_g - share * int(g.sum()) * pulp.lpSum(x.values()) >= 0
        with warnings.catch_warnings():  # bundled CBC: deprecated for PuLP 4, fine in 3.x
            warnings.simplefilter("ignore", DeprecationWarning)
            cbc = pulp.PULP_CBC_CMD(msg=False, gapRel=0, gapAbs=1e-9)
        prob.solve(cbc)
        assert pulp.LpStatus[prob.status] == "Optimal", pulp.LpStatus[prob.status]
        return [p for p, v in x.items() if v.varValue > 0.5]

    chosen = model(1, None)
    k = len(chosen)
    chosen = model(2, k) if k else chosen
    return k, float(sum(value[p] for p in chosen))


def score_table(mentors, mentees, rules):
    """Scores and feasible pairs as dicts keyed by (mentee_id, mentor_id), capacities."""
    s = score_pairs(mentors, mentees, rules)
    score = {(e, m): v for e, m, v in zip(s["mentee_id"], s["mentor_id"], s["score"], strict=True)}
    feasible = {
        (e, m) for e, m, f in zip(s["mentee_id"], s["mentor_id"], s["feasible"], strict=True) if f
    }
    caps = dict(zip(mentors["mentor_id"], mentors["capacity"].astype(int), strict=True))
    caps.update(rules.capacity_override)
    return score, feasible, caps


def blocking_pairs(assignment: dict, score, feasible, caps, required=()) -> set:
    """Blocking pairs found pair by pair, straight from the definition."""
    out = set()
    for e, m in feasible:
        if assignment.get(e) == m:
            continue
        mine = score[(e, assignment[e])] if e in assignment else -np.inf
        if not score[(e, m)] > mine:
            continue
        held = [k for k, v in assignment.items() if v == m]
        if len(held) < caps[m]:
            out.add((e, m))
            continue
        movable = [score[(k, m)] for k in held if (k, m) not in required]
        if movable and score[(e, m)] > min(movable):
            out.add((e, m))
    return out


def blocking_count(assignment: dict, score, feasible, caps, required=()) -> int:
    """Number of blocking pairs (see :func:`blocking_pairs`)."""
    return len(blocking_pairs(assignment, score, feasible, caps, required))
