"""Goals of the started pairs and their progress updates.

Each started pair sets one to four goals (the mentee's categories first, then the mentor's) and
reports progress every one to three weeks while it is active; goals are revised, completed or,
for fading pairs, sometimes abandoned by the coordinator. Days count from the programme start.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.samples._pairing import Pair, PairActivity
from ementor_kit.samples._tables import GOAL_CATEGORIES, GOAL_TEXTS

Row = dict[str, object]


def _stage(percent: int) -> str:
    """The stage a progress percentage corresponds to.

    Examples
    --------
    >>> [_stage(p) for p in (0, 10, 30, 80, 100)]
    ['defined', 'planned', 'in_progress', 'review', 'done']
    """
    if percent >= 100:
        return "done"
    if percent >= 80:
        return "review"
    if percent >= 30:
        return "in_progress"
    if percent >= 10:
        return "planned"
    return "defined"


def _update(goal_id: str, day: int, pct: int, status: str, new_target: int | None = None) -> Row:
    return {
        "goal_id": goal_id,
        "updated_on": day,
        "stage": _stage(pct),
        "percent": pct,
        "status": status,
        "new_target_date": new_target,
    }


def _categories(
    rng: np.random.Generator, mentee_goals: tuple[str, ...], mentor_goals: tuple[str, ...]
) -> list[str]:
    """Every goal category, in the order the pair takes them up: mentee's, mentor's, others."""
    cats = list(mentee_goals)
    rng.shuffle(cats)
    extra = [c for c in mentor_goals if c not in cats]
    rng.shuffle(extra)
    return cats + extra + [c for c in GOAL_CATEGORIES if c not in cats and c not in extra]


def _progress(
    rng: np.random.Generator,
    goal_id: str,
    set_day: int,
    target: int,
    p: Pair,
    last_active: int,
    end_day: int,
) -> list[Row]:
    """The updates of one goal, from the day it is set until it is done or the pair stops."""
    # progress speed (percent per week) from the pair's quality
    speed = max(2.0, rng.normal(9.0 + 4.0 * p.q, 4.0))
    pct = int(5 * rng.integers(0, 2))
    day = set_day
    updates = [_update(goal_id, day, pct, "in_progress")]
    revised = False
    cur_target = target
    stall_done = False
    while True:
        gap = int(rng.integers(7, 22))
        if not stall_done and rng.random() < 0.05:  # a stall: no update for a month+
            gap = int(rng.integers(24, 45))
            stall_done = True
        day += gap
        if day >= end_day:
            break
        if day > last_active + 10:
            # the pair went quiet: sometimes the coordinator closes the goal
            if p.kind == "fading" and rng.random() < 0.35:
                updates.append(_update(goal_id, day, pct, "abandoned"))
            break
        pct = int(min(100, 5 * round((pct + speed * gap / 7 * rng.uniform(0.4, 1.5)) / 5)))
        if pct >= 95:
            pct = 100
        if (
            not revised
            and pct < 100
            and day - set_day >= 21
            and rng.random() < (0.35 if day > cur_target - 14 else 0.08)
        ):
            revised = True
            pct = max(0, pct - 5 * int(rng.integers(0, 4)))
            cur_target = max(cur_target, day) + 7 * int(rng.integers(3, 9))
            updates.append(_update(goal_id, day, pct, "revised", cur_target))
            continue
        updates.append(_update(goal_id, day, pct, "completed" if pct == 100 else "in_progress"))
        if pct == 100:
            break
    return updates


def draw_goals(
    rng: np.random.Generator,
    pairs: list[Pair],
    engagement: list[PairActivity],
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    as_of_day: int,
) -> tuple[list[Row], list[Row]]:
    """Rows of the ``goals`` and ``goal_updates`` tables (dates as day numbers).

    ``engagement`` is the realised engagement of each of ``pairs`` (same order); updates stop at
    ``as_of_day``.
    """
    goals: list[Row] = []
    updates: list[Row] = []
    mentee_goals = dict(zip(mentees["mentee_id"], mentees["goals"], strict=True))
    mentor_goals = dict(zip(mentors["mentor_id"], mentors["goals"], strict=True))
    gid = 0
    for p, eng in zip(pairs, engagement, strict=True):
        if not eng.started:
            continue
        cats = _categories(rng, mentee_goals[p.e], mentor_goals[p.m])
        n_goals = int(rng.choice([1, 2, 3, 4], p=[0.25, 0.35, 0.25, 0.15]))
        end_day = min(p.day + 7 * p.weeks, as_of_day)
        set_day = eng.first_day + int(rng.integers(0, 11))
        used_texts: set[str] = set()
        for cat in cats[:n_goals]:
            if set_day > eng.last_day:
                break
            texts = [x for x in GOAL_TEXTS[cat] if x not in used_texts]
            text = texts[int(rng.integers(len(texts)))]
            used_texts.add(text)
            gid += 1
            goal_id = f"G{gid:04d}"
            target = set_day + 7 * int(rng.integers(4, 13))
            goals.append(
                {
                    "goal_id": goal_id,
                    "mentee_id": p.e,
                    "mentor_id": p.m,
                    "category": cat,
                    "description": text,
                    "set_on": set_day,
                    "target_date": target,
                }
            )
            updates += _progress(rng, goal_id, set_day, target, p, eng.last_day, end_day)
            set_day += int(rng.integers(7, 29))
    return goals, updates
