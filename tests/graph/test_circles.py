"""Engagement per circle (pairs.csv's group_id), on a hand-worked example."""

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.datasets import example_profiles
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError

# circle C1: M1 with E1, E2, E3; circle C2: M2 with E4, E5; E6-M3 one-to-one.
PAIRS = pd.DataFrame(
    {
        "mentee_id": ["E1", "E2", "E3", "E4", "E5", "E6"],
        "mentor_id": ["M1", "M1", "M1", "M2", "M2", "M3"],
        "matched_on": ["2026-09-01"] * 6,
        "group_id": ["C1", "C1", "C1", "C2", "C2", ""],
    }
)
ROWS = [
    # C1 session S1 on 09-10 (E1, E2, E3), session S2 on 09-24 (E1, E2): E3 missed it
    ("I1", "2026-09-10T18:00:00Z", "M1", "E1", "video", 60.0, "S1"),
    ("I2", "2026-09-10T18:00:00Z", "M1", "E2", "video", 60.0, "S1"),
    ("I3", "2026-09-10T18:00:00Z", "M1", "E3", "video", 60.0, "S1"),
    ("I4", "2026-09-24T18:00:00Z", "M1", "E1", "video", 60.0, "S2"),
    ("I5", "2026-09-24T18:00:00Z", "M1", "E2", "video", 60.0, "S2"),
    # C2: a chat message from E4 on 09-28; E5 never exchanged
    ("I6", "2026-09-28T12:00:00Z", "E4", "M2", "chat", None, None),
    # the one-to-one pair
    ("I7", "2026-09-29T12:00:00Z", "E6", "M3", "phone", 20.0, None),
]
LOG = pd.DataFrame(
    ROWS,
    columns=[
        "interaction_id",
        "timestamp",
        "sender_id",
        "recipient_id",
        "channel",
        "duration_minutes",
        "session_id",
    ],
)
ENG = ek.engagement(LOG, PAIRS, as_of="2026-09-30")  # the end of 09-30: 10-01 00:00 UTC


def test_circle_engagement_by_hand():
    c = ek.circle_engagement(ENG).set_index("group_id")
    assert list(c.index) == ["C1", "C2"]  # E6-M3 is one-to-one: left out
    assert c.loc["C1", "mentor_id"] == "M1" and c.loc["C2", "mentor_id"] == "M2"
    assert c["n_pairs"].tolist() == [3, 2]
    assert c["n_exchanges"].tolist() == [5, 1]  # a session attended by 3 mentees counts 3
    assert c["n_sync"].tolist() == [5, 0]
    assert c.loc["C1", "last_contact"] == pd.Timestamp("2026-09-24T18:00:00Z")
    # 09-24 18:00 to 10-01 00:00: 6.25 days; C2: 09-28 12:00, 2.5 days
    assert c["days_since_last_contact"].tolist() == [6.25, 2.5]
    # E3's last exchange is 09-10: 20.25 days, within the 21-day check-in window: active;
    # E5 never exchanged, matched 30 days ago (> 14): not started, needs action
    st = ENG.table.set_index("mentee_id")["status"]
    assert st[["E1", "E2", "E3", "E4", "E5"]].tolist() == ["active"] * 4 + ["not_started"]
    assert c["n_active"].tolist() == [3, 1]
    assert c["n_not_started"].tolist() == [0, 1]
    assert c["n_needs_action"].tolist() == [0, 1]
    assert (c[[f"n_{s}" for s in ek.graph.STATUSES]].sum(axis=1) == c["n_pairs"]).all()


def test_followup_carries_the_circle():
    t = ek.followup(ENG).table.set_index("mentee_id")
    assert t["group_id"].tolist() == ["C1", "C1", "C1", "C2", "C2", ""]


def test_circles_pairs_go_through_engagement():
    mentors, mentees = example_profiles()
    circles = ek.form_circles(mentors, mentees, size=(1, 2))
    pairs = circles.pairs.assign(matched_on="2026-09-01")
    log = LOG.iloc[:0]
    eng = ek.engagement(log, pairs, as_of="2026-09-30")
    got = ek.circle_engagement(eng)
    assert got["n_pairs"].sum() == len(pairs)
    assert set(got["group_id"]) == set(pairs["group_id"])


def test_circle_engagement_errors():
    with pytest.raises(ArgumentTypeError, match="engagement"):
        ek.circle_engagement(ENG.table)
    plain = ek.engagement(LOG, PAIRS.drop(columns="group_id"), as_of="2026-09-30")
    with pytest.raises(InvalidArgumentError, match="no group_id column"):
        ek.circle_engagement(plain)
    none = ek.engagement(LOG, PAIRS.assign(group_id=""), as_of="2026-09-30")
    with pytest.raises(InvalidArgumentError, match="no pair has a group_id"):
        ek.circle_engagement(none)
