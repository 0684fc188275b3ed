"""Tests of the goals step of the sample generator (ementor_kit.samples._goals)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.data import schema
from ementor_kit.samples._goals import draw_goals
from ementor_kit.samples._pairing import Pair, PairActivity


def _pair(e: str, kind: str, q: float) -> Pair:
    return Pair(
        e=e, m="M1", day=0, weeks=16, kind=kind, q=q, off_e=1.0, off_m=1.0, rate=1.0,
        p_sync=0.3, p_mentee=0.4, p_email=0.2, p_video=0.8, p_reply=0.9, p_continue=0.5,
        latency_h=6.0, stop_week=6, tau=4.0, tz=0.0, mod=1.0, dc_e=3, dc_m=3,
    )  # fmt: skip


def test_goals_belong_to_started_pairs_and_updates_follow_the_rules():
    ids = [f"E{i}" for i in range(1, 41)]
    kinds = ["regular", "fading", "irregular", "never"] * 10
    pairs = [_pair(e, k, q) for e, k, q in zip(ids, kinds, np.linspace(-1, 1, 40), strict=True)]
    started = [k != "never" for k in kinds]
    engagement = [
        PairActivity(20, s, 1, 100 if k == "regular" else 30, 10, 0.3)
        for s, k in zip(started, kinds, strict=True)
    ]
    mentees = pd.DataFrame({"mentee_id": ids, "goals": [("skills", "network")] * 40})
    mentors = pd.DataFrame({"mentor_id": ["M1"], "goals": [("confidence",)]})
    goals, updates = draw_goals(np.random.default_rng(2), pairs, engagement, mentees, mentors, 112)
    g = pd.DataFrame(goals, columns=schema.GOALS.column_names)
    u = pd.DataFrame(updates, columns=schema.GOAL_UPDATES.column_names)
    never = {e for e, k in zip(ids, kinds, strict=True) if k == "never"}
    assert len(g) > 0 and not g["mentee_id"].isin(never).any()
    assert g["goal_id"].tolist() == [f"G{i:04d}" for i in range(1, len(g) + 1)]
    assert (g["target_date"] > g["set_on"]).all() and (g["set_on"] >= 1).all()
    # each pair works on the mentee's own categories first
    first = g.groupby("mentee_id")["category"].first()
    assert first.isin(["skills", "network"]).all()
    assert set(u["goal_id"]) == set(g["goal_id"])
    first_update = u.groupby("goal_id")["updated_on"].min()
    assert (first_update == g.set_index("goal_id")["set_on"].reindex(first_update.index)).all()
    assert (u["updated_on"] < 112).all() and u["percent"].between(0, 100).all()
    assert set(u["status"]) == {"in_progress", "completed", "revised", "abandoned"}
    assert (u.loc[u["status"] == "revised", "new_target_date"].notna()).all()
    assert u.loc[u["status"] != "revised", "new_target_date"].isna().all()
    assert (u.loc[u["status"] == "completed", "percent"] == 100).all()
    abandoned = u.loc[u["status"] == "abandoned", "goal_id"]
    assert (
        g.set_index("goal_id")
        .loc[abandoned, "mentee_id"]
        .map(dict(zip(ids, kinds, strict=True)))
        .eq("fading")
        .all()
    )
