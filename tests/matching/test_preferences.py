"""preference / shared_slots criteria, top_k / require_shared_slots rules, strict orders."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.matching.preferences import preference_orders, shared_hours_matrix
from ementor_kit.matching.slots import shared_weekly_hours

MENTORS = pd.DataFrame(
    {
        "mentor_id": ["M1", "M2", "M3"],
        "capacity": [1, 1, 2],
        "x": [1.0, 2.0, 3.0],
        "tz": ["Europe/Paris", "America/Toronto", "Indian/Reunion"],
    }
)
MENTEES = pd.DataFrame(
    {"mentee_id": ["E1", "E2", "E3"], "x": [1.0, 2.0, 3.0], "tz": ["Europe/Paris"] * 3}
)
RANKS = pd.DataFrame(
    {
        "chooser_id": ["E1", "E1", "E1", "E2", "M3", "M3"],
        "chosen_id": ["M3", "M1", "M2", "M2", "E2", "E1"],
        "rank": [1, 2, 7, 1, 1, 2],  # E1's rank 7 is its third choice
    }
)


def _prefs():
    return ek.read_preferences(RANKS, MENTORS, MENTEES)


def _contribution(rules, name):
    s = ek.score_pairs(MENTORS, MENTEES, rules)
    return s.pivot(index="mentee_id", columns="mentor_id", values=name)


@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        # E1 ranked 3 mentors: M3 1st -> 3/3, M1 2nd -> 2/3, M2 3rd -> 1/3; E2 ranked only M2.
        ("mentee", [[2 / 3, 1 / 3, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
        # M3 ranked E2 then E1 (k = 2): E2 -> 1, E1 -> 1/2; nobody else ranks.
        ("mentor", [[0.0, 0.0, 0.5], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]),
        ("both", [[1 / 3, 1 / 6, 0.75], [0.0, 0.5, 0.5], [0.0, 0.0, 0.0]]),
    ],
)
def test_preference_values_by_hand(sides, expected):
    rules = [{"kind": "preference", "file": _prefs(), "sides": sides}]
    got = _contribution(rules, "preference")
    np.testing.assert_allclose(got.to_numpy(), 100 * np.array(expected))


def test_top_k_keeps_a_ranking_mentee_among_its_first_choices():
    rules = [
        {"kind": "closeness", "attribute": "x", "scale": 10},
        {"kind": "top_k", "file": _prefs(), "k": 2},
    ]
    s = ek.score_pairs(MENTORS, MENTEES, rules)
    excluded = set(zip(s["mentee_id"][~s["feasible"]], s["mentor_id"][~s["feasible"]], strict=True))
    # E1's first two are M3, M1 (M2 is third); E2 ranked only M2; E3 ranked nobody
    assert excluded == {("E1", "M2"), ("E2", "M1"), ("E2", "M3")}
    assert set(s.loc[~s["feasible"], "excluded_by"]) == {"top_k"}
    pairs = ek.match(MENTORS, MENTEES, rules).pairs
    assert dict(zip(pairs["mentee_id"], pairs["mentor_id"], strict=True))["E2"] == "M2"


def test_rules_file_reads_its_preferences_next_to_it(tmp_path):
    RANKS.to_csv(tmp_path / "preferences.csv", index=False)
    (tmp_path / "rules.yaml").write_text(
        "criteria:\n- {kind: preference, importance: high}\n- {kind: top_k, k: 1}\n",
        encoding="utf-8",
    )
    rules = ek.MatchRules.from_yaml(tmp_path / "rules.yaml")
    assert rules.criteria[0].params["file"] == str(tmp_path / "preferences.csv")
    assert ek.MatchRules.from_yaml(rules.to_yaml()) == rules
    s = ek.score_pairs(MENTORS, MENTEES, rules)
    assert s.loc[(s.mentee_id == "E1") & (s.mentor_id == "M3"), "score"].item() == 100.0
    assert not s.loc[(s.mentee_id == "E1") & (s.mentor_id == "M1"), "feasible"].item()
    (tmp_path / "preferences.csv").write_text("chooser_id,chosen_id,rank\nE1,E2,1\n")
    with pytest.raises(DataValidationError, match="row 2, column 'chosen_id': a mentee ranks"):
        ek.score_pairs(MENTORS, MENTEES, rules)


def test_rule_parameters_are_checked():
    with pytest.raises(DataValidationError) as info:
        ek.MatchRules.coerce(
            [
                {"kind": "preference", "sides": "all"},
                {"kind": "top_k", "k": 0},
                {"kind": "shared_slots", "attribute": "tz", "weekly_hours": -1},
                {"kind": "require_shared_slots", "attribute": "tz", "weeks": "soon"},
                {"kind": "preference", "attribute": "x", "name": "p2"},
            ]
        )
    columns = {p.column for p in info.value.problems}
    assert columns == {
        "criteria[0].sides",
        "criteria[1].k",
        "criteria[2].weekly_hours",
        "criteria[3].weeks",
        "criteria[4].attribute",
    }


# --------------------------------------------------------------------------- shared slots

AVAILABILITY = pd.DataFrame(
    {
        "person_id": ["E1", "E2", "M1", "M2", "M3", "E3"],
        "weekday": ["mardi", "Tuesday", "2", "tue", "2", "wed"],
        # Paris 18-20; Paris 12-14; Paris 17-19; Toronto 12-14 (Paris 18-20 in winter, 17-19 in
        # the weeks France and Québec are on different times); Réunion 21-23 (Paris 18-20 in
        # winter, 19-21 in summer)
        "start": ["18:00", "12:00", "17:00", "12:00", "21:00", "09:00"],
        "end": ["20:00", "14:00", "19:00", "14:00", "23:00", "10:00"],
    }
)
WEEKS = ["2027-01-13", "2027-03-17", "2027-07-14"]  # winter, Québec changed only, summer


def _availability():
    zones = dict(zip(MENTORS.mentor_id, MENTORS.tz, strict=True))
    zones |= dict(zip(MENTEES.mentee_id, MENTEES.tz, strict=True))
    return ek.read_availability(AVAILABILITY, zones)


def test_shared_hours_matrix_equals_shared_weekly_hours_week_by_week():
    av = _availability()
    e_ids, m_ids = list(MENTEES.mentee_id), list(MENTORS.mentor_id)
    for week in WEEKS:
        got = shared_hours_matrix(av, e_ids, m_ids, [dt.date.fromisoformat(week)])
        want = [
            [shared_weekly_hours(av.of(e), av.of(m), week_of=week) for m in m_ids] for e in e_ids
        ]
        np.testing.assert_array_equal(got, np.array(want))
    # E1 with M2 (Toronto): 2 h in winter and summer, 1 h in the week Québec has changed alone
    worst = shared_hours_matrix(av, e_ids, m_ids, [dt.date.fromisoformat(w) for w in WEEKS])
    assert worst[0].tolist() == [1.0, 1.0, 1.0]


def test_shared_slots_criterion_and_rule():
    av = _availability()
    rules = [
        {"kind": "shared_slots", "attribute": "tz", "file": av, "weekly_hours": 2, "weeks": WEEKS},
        {
            "kind": "require_shared_slots",
            "attribute": "tz",
            "file": av,
            "weekly_hours": 1,
            "weeks": WEEKS,
        },
    ]
    s = ek.score_pairs(MENTORS, MENTEES, rules)
    # E1: 1 h with M1 (Paris 18-19), 1 h with M2 in the worst week, 1 h with M3 in summer
    e1 = s[s.mentee_id == "E1"]
    np.testing.assert_allclose(e1["shared_slots"], [50.0, 50.0, 50.0])
    assert e1["feasible"].all()
    # E2 (Paris 12-14) and E3 (Wednesday) share no hour with anybody
    assert set(s.loc[s.mentee_id != "E1", "excluded_by"]) == {"require_shared_slots"}


def test_shared_slots_from_a_file_with_utc_offsets(tmp_path):
    AVAILABILITY.to_csv(tmp_path / "availability.csv", index=False)
    tors = MENTORS.assign(tz=[1.0, -5.0, 4.0])  # fixed offsets: no summer time
    tees = MENTEES.assign(tz=[1.0, 1.0, 1.0])
    rules = [
        {
            "kind": "shared_slots",
            "attribute": "tz",
            "file": str(tmp_path / "availability.csv"),
            "weekly_hours": 2,
            "weeks": WEEKS,
        }
    ]
    s = ek.score_pairs(tors, tees, rules)
    e1 = s[s.mentee_id == "E1"]
    np.testing.assert_allclose(e1["shared_slots"], [50.0, 100.0, 100.0])


# --------------------------------------------------------------------------- strict orders


def test_orders_follow_ranks_then_score_then_id():
    prefs = _prefs()
    score = np.array([[10.0, 90.0, 20.0], [50.0, 50.0, 50.0], [30.0, 30.0, 80.0]])
    feasible = np.ones((3, 3), dtype=bool)
    feasible[1, 1] = False
    e, m = preference_orders(prefs, ["E1", "E2", "E3"], ["M1", "M2", "M3"], score, feasible)
    # E1 ranks M3, M1, M2; E2 ranked M2 (not feasible): M1, M3 by score 50 = 50 then id;
    # E3 ranked nobody: M3 (80), then M1 and M2 (30, by id)
    assert e.tolist() == [[1, 2, 0], [0, -1, 1], [1, 2, 0]]
    # M3 ranks E2, E1 then E3; M1 and M2 by score then id (M2 cannot take E2)
    assert m.tolist() == [[2, 0, 1], [0, -1, 0], [1, 1, 2]]
    e, m = preference_orders(
        prefs, ["E1", "E2", "E3"], ["M1", "M2", "M3"], score, feasible, "refuse"
    )
    assert e.tolist() == [[1, 2, 0], [-1, -1, -1], [1, 2, 0]]
    assert m[:, 2].tolist() == [1, 0, -1]
    with pytest.raises(InvalidArgumentError):
        preference_orders(prefs, ["E1"], ["M1"], score[:1, :1], feasible[:1, :1], "never")


def test_shared_hours_matrix_equals_shared_weekly_hours_on_random_weeks():
    rng = np.random.default_rng(5)
    zones = [
        "Europe/Paris",
        "America/Toronto",
        "Indian/Reunion",
        "Asia/Kolkata",
        "America/St_Johns",
    ]
    ids = [f"P{k}" for k in range(14)]
    rows = []
    for p in ids[:-1]:  # the last person has no free period
        for _ in range(3):
            h = int(rng.integers(0, 22))
            rows.append(
                (p, int(rng.integers(1, 8)), f"{h}:{rng.choice(['00', '15', '30'])}", f"{h + 2}:00")
            )
    av = ek.read_availability(
        pd.DataFrame(rows, columns=["person_id", "weekday", "start", "end"]),
        {p: zones[k % len(zones)] for k, p in enumerate(ids)},
    )
    weeks = ["2027-03-10", "2027-03-31", "2027-10-27", "2027-11-10"]  # around both changes
    got = shared_hours_matrix(av, ids[:7], ids[7:], [dt.date.fromisoformat(w) for w in weeks])
    want = [
        [min(shared_weekly_hours(av.of(a), av.of(b), week_of=w) for w in weeks) for b in ids[7:]]
        for a in ids[:7]
    ]
    np.testing.assert_array_equal(got, np.array(want))
    assert got.any()
