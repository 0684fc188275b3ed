"""Tests of the exchange simulation of the sample generator (ementor_kit.samples._exchanges)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ementor_kit.samples._draw import DAY
from ementor_kit.samples._exchanges import (
    ExchangeLog,
    log_table,
    realised_engagement,
    simulate_exchanges,
)
from ementor_kit.samples._pairing import Pair, PairActivity

START = pd.Timestamp("2026-09-07")  # a Monday
T0 = int(START.value // 10**9)


def _pair(e: str, m: str, kind: str, day: int = 0, weeks: int = 4) -> Pair:
    return Pair(
        e=e, m=m, day=day, weeks=weeks, kind=kind, q=0.0, off_e=1.0, off_m=-5.0,
        rate=0.0 if kind == "never" else 2.0, p_sync=0.3, p_mentee=0.4, p_email=0.2,
        p_video=0.8, p_reply=0.9, p_continue=0.5, latency_h=6.0, stop_week=2, tau=1.5,
        tz=6.0, mod=1.0, dc_e=3, dc_m=4,
    )  # fmt: skip


def _mentees(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mentee_id": ids,
            "_sociability": np.linspace(-1, 1, len(ids)),
            "utc_offset": 1.0,
            "cohort": "2026-A",
            "domain": "numerique",
            "region": "Bretagne",
        }
    )


def test_realised_engagement_reads_the_one_to_one_log():
    log = ExchangeLog()
    log.add(T0 + 0 * DAY + 3600, "M1", "E1", "chat")  # E1: only the mentor wrote
    log.add(T0 + 2 * DAY, "E2", "M2", "chat")
    log.add(T0 + 3 * DAY, "M2", "E2", "email")
    log.add(T0 + 9 * DAY, "M2", "E2", "video", 45.0)
    log.add(T0 + 9 * DAY, "M2", "E2", "video", 60.0, "S001")  # group session: not counted
    log.add(T0 + 4 * DAY, "E2", "E3", "forum")  # forum: not counted
    pairs = [
        _pair("E1", "M1", "never"),
        _pair("E2", "M2", "regular", day=1),
        _pair("E3", "M3", "fading"),
    ]
    eng = realised_engagement(log_table(log), pairs, T0)
    assert eng[0] == PairActivity(1, False, 0, 0, 1, 0.0)
    assert eng[1] == PairActivity(3, True, 2, 9, 2, 1 / 3)
    assert eng[2] == PairActivity(0, False, 0, 0, 0, 0.0)  # no exchange: the matching day


def test_interactions_frame_sorts_by_time_and_keeps_ties_in_order():
    log = ExchangeLog()
    for t, s in ((30, "A"), (10, "B"), (30, "C"), (20, "D")):
        log.add(t, s, "X", "chat")
    inter = log_table(log)
    assert inter["sender_id"].tolist() == ["B", "D", "A", "C"]
    assert inter["interaction_id"].tolist() == [f"I{i:06d}" for i in range(1, 5)]
    assert math.isnan(inter["duration_minutes"].iloc[0])


def test_simulated_exchanges_stay_in_each_pairs_window():
    pairs = [
        _pair("E1", "M1", "regular"),
        _pair("E2", "M1", "fading", day=8),
        _pair("E3", "M2", "never"),
    ]
    log = simulate_exchanges(
        np.random.default_rng(5), pairs, _mentees(["E1", "E2", "E3", "E4"]), START, 4
    )
    inter = log_table(log)
    one = inter[inter["session_id"].isna() & (inter["channel"] != "forum")]
    for p in pairs:
        mine = one[one["sender_id"].isin([p.e, p.m]) & one["recipient_id"].isin([p.e, p.m])]
        days = (mine["timestamp"] - T0) / DAY
        assert (days >= p.day - 1).all() and (days < p.day + 7 * p.weeks).all()
        if p.kind == "never":  # at most one unanswered message from the mentor
            assert len(mine) <= 1 and (mine["sender_id"] == p.m).all()
        else:
            assert len(mine) > 0 and set(mine["sender_id"]) == {p.e, p.m}
    calls = inter[inter["channel"].isin(["video", "phone"])]
    assert calls["duration_minutes"].between(15, 90).all()
    assert (inter.loc[inter["channel"] == "forum", "sender_id"].str.startswith("E")).all()
