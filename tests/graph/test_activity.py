"""Tests of ementor_kit.graph.activity.weekly_activity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.graph import engagement, weekly_activity
from tests._exchange_logs import AS_OF, INTERACTIONS, PAIRS


def test_hand_worked_weeks():
    res = weekly_activity(INTERACTIONS, PAIRS, as_of=AS_OF)
    assert res.as_of == pd.Timestamp("2026-10-01T00:00Z")
    assert sum(res.unused_interactions.values()) == 8  # as in engagement
    wa = res.table
    e1 = wa[wa["mentee_id"] == "E001"]
    # matched 09-01 (week 0: 09-01..09-07): I01-I04; week 1: I05, I06 (video 30 min);
    # week 2: I07 (group video 60 min), I09; weeks 3 and 4 silent (as_of = 10-01 00:00Z)
    assert e1["week"].tolist() == [0, 1, 2, 3, 4]
    assert e1["n_exchanges"].tolist() == [4, 2, 2, 0, 0]
    assert e1["n_sync"].tolist() == [0, 1, 1, 0, 0]
    assert e1["n_async"].tolist() == [4, 1, 1, 0, 0]
    assert e1["sync_minutes"].tolist() == [0.0, 30.0, 60.0, 0.0, 0.0]
    assert e1["active"].tolist() == [True, True, True, False, False]
    assert e1["week_start"].tolist() == list(
        pd.to_datetime(["2026-09-01", "2026-09-08", "2026-09-15", "2026-09-22", "2026-09-29"])
    )
    e4 = wa[wa["mentee_id"] == "E004"]  # matched 06-01, one e-mail on 06-20 (week 2)
    assert len(e4) == 18 and e4["n_exchanges"].tolist() == [0, 0, 1] + [0] * 15


def test_consistent_with_engagement():
    wa = weekly_activity(INTERACTIONS, PAIRS, as_of=AS_OF).table
    eng = engagement(INTERACTIONS, PAIRS, as_of=AS_OF).table
    per_pair = wa.groupby(["mentee_id", "mentor_id"]).agg(
        rows=("week", "size"),
        n=("n_exchanges", "sum"),
        active=("active", "sum"),
        minutes=("sync_minutes", "sum"),
    )
    per_pair = per_pair.reindex(pd.MultiIndex.from_frame(eng[["mentee_id", "mentor_id"]]))
    assert per_pair["rows"].tolist() == eng["weeks_observed"].tolist()
    assert per_pair["n"].tolist() == eng["n_exchanges"].tolist()
    assert per_pair["active"].tolist() == eng["active_weeks"].tolist()
    assert per_pair["minutes"].tolist() == eng["sync_minutes"].tolist()


def test_pair_matched_after_as_of_has_no_week():
    pairs = pd.concat(
        [
            PAIRS,
            pd.DataFrame(
                {"mentee_id": ["E008"], "mentor_id": ["M004"], "matched_on": ["2026-12-01"]}
            ),
        ]
    )
    wa = weekly_activity(INTERACTIONS, pairs, as_of=AS_OF).table
    assert "E008" not in set(wa["mentee_id"])


def test_cross_check_on_the_sample_against_a_groupby():
    from ementor_kit.samples import load_sample

    prog = load_sample()
    wa = weekly_activity(prog.interactions, prog.pairs).table
    # independent: join both directions of each exchange to the pairs, then group by week
    log = prog.interactions
    pairs = prog.pairs.assign(matched=prog.pairs["matched_on"].dt.tz_localize("UTC"))
    a = log.merge(pairs, left_on=["sender_id", "recipient_id"], right_on=["mentee_id", "mentor_id"])
    b = log.merge(pairs, left_on=["sender_id", "recipient_id"], right_on=["mentor_id", "mentee_id"])
    both = pd.concat([a, b], ignore_index=True)
    both = both[both["timestamp"] >= both["matched"]]
    both["week"] = (both["timestamp"] - both["matched"]) // pd.Timedelta(days=7)
    both["sync"] = both["channel"].isin(["video", "phone"])
    both["sync_min"] = both["duration_minutes"].where(both["sync"], 0.0).fillna(0.0)
    ref = both.groupby(["mentee_id", "mentor_id", "week"]).agg(
        n=("interaction_id", "size"), n_sync=("sync", "sum"), minutes=("sync_min", "sum")
    )
    got = wa[wa["active"]].set_index(["mentee_id", "mentor_id", "week"])
    assert len(got) == len(ref)
    got = got.loc[ref.index]
    assert got["n_exchanges"].tolist() == ref["n"].tolist()
    assert got["n_sync"].tolist() == ref["n_sync"].tolist()
    np.testing.assert_allclose(got["sync_minutes"], ref["minutes"])


def test_row_order_changes_nothing():
    a = weekly_activity(INTERACTIONS, PAIRS, as_of=AS_OF)
    b = weekly_activity(
        INTERACTIONS.iloc[::-1], PAIRS.sample(frac=1.0, random_state=2), as_of=AS_OF
    )
    pd.testing.assert_frame_equal(a.table, b.table)
    assert (a.as_of, a.unused_interactions) == (b.as_of, b.unused_interactions)
