"""Criteria and hard rules declared by kind over any attribute (issue 11, section 4)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ementor_kit as ek
from ementor_kit.data.propose import propose_rules
from ementor_kit.errors import DataValidationError
from ementor_kit.matching import MatchRules, compare_rules, match, rematch
from ementor_kit.matching.criteria import IMPORTANCE_WEIGHTS, Criterion
from ementor_kit.matching.scores import score_pairs
from tests._intake_exports import write_csv

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _people():
    mentors = pd.DataFrame(
        {
            "mentor_id": ["m1", "m2"],
            "offered": [("a", "b"), ("c",)],
            "field": ["Santé", "droit"],
            "hours": [4.0, 1.0],
            "capacity": [2, 1],
            "years": [12.0, 3.0],
            "mode": ["sync", "async"],
            "zone": ["Europe/Paris", "UTC-05:00"],
            "org": ["Acme", "CHU"],
            "comfort": [5.0, 1.0],
        }
    )
    mentees = pd.DataFrame(
        {
            "mentee_id": ["e1", "e2"],
            "wanted": [("a", "c", "d"), ()],
            "field": ["sante", "Droit "],
            "hours": [1.0, 2.0],
            "years": [2.0, 8.0],
            "mode": ["mixed", "sync"],
            "zone": ["UTC", "America/New_York"],
            "org": ["acme", "Acme"],
            "comfort": [1.0, 3.0],
        }
    )
    return mentors, mentees


def _values(rule: dict) -> np.ndarray:
    """The criterion's value for (e1, m1), (e1, m2), (e2, m1), (e2, m2)."""
    mentors, mentees = _people()
    s = score_pairs(mentors, mentees, [rule])
    return s["score"].to_numpy() / 100.0


@pytest.mark.parametrize(
    "rule, expected",
    [
        # e1 wants a, c, d: m1 offers a (1/3), m2 offers c (1/3); e2 wants nothing: 1
        ({"kind": "overlap", "mentee": "wanted", "mentor": "offered"}, [1 / 3, 1 / 3, 1, 1]),
        # trimmed, case-insensitive: sante = Santé? no (accent), Droit = droit yes
        ({"kind": "same", "attribute": "field"}, [0, 0, 0, 1]),
        # |1-4| / 3 (spread of 1, 2, 4, 1 is 3), |1-1|, |2-4|, |2-1|
        ({"kind": "closeness", "attribute": "hours"}, [0, 1, 1 / 3, 2 / 3]),
        ({"kind": "closeness", "attribute": "hours", "scale": 6}, [0.5, 1, 4 / 6, 5 / 6]),
        # mentor ahead: 12-2 (>= 4), 3-2 = 1/4, 12-8 = 4/4, 3-8 < 0
        ({"kind": "gap", "attribute": "years", "min_gap": 4}, [1, 0.25, 1, 0]),
        ({"kind": "gap", "attribute": "years", "min_gap": 0}, [1, 1, 1, 0]),
        (
            {
                "kind": "compatible",
                "attribute": "mode",
                "pairs": [["mixed", "sync"], ["mixed", "async", 0.5], ["sync", "sync"]],
            },
            [1, 0.5, 1, 0],
        ),
        # (hours per mentee = 4/2, 1/1) / wanted: 2/1, 1/1, 2/2, 1/2
        ({"kind": "capacity_share", "attribute": "hours"}, [1, 1, 1, 0.5]),
        # 1 - (5-e)/4 * (1 - (m-1)/4)
        ({"kind": "support", "attribute": "comfort"}, [1, 0, 1, 0.5]),
    ],
)
def test_each_kind_against_a_hand_computation(rule, expected):
    np.testing.assert_allclose(_values(rule), expected, atol=1e-12)


def test_shared_hours_counts_summer_time_of_iana_zones():
    # winter: Paris UTC+1, New York UTC-5; summer: UTC+2, UTC-4
    winter = _values({"kind": "shared_hours", "attribute": "zone", "hours": 12})
    summer = _values(
        {"kind": "shared_hours", "attribute": "zone", "hours": 12, "date": "2025-07-15"}
    )
    # (e1 UTC, m1 Paris), (e1, m2 UTC-5), (e2 New York, m1 Paris), (e2, m2 UTC-5)
    np.testing.assert_allclose(winter, [11 / 12, 7 / 12, 6 / 12, 1], atol=1e-12)
    np.testing.assert_allclose(summer, [10 / 12, 7 / 12, 6 / 12, 11 / 12], atol=1e-12)


def test_shared_hours_with_a_need_table():
    rule = {
        "kind": "shared_hours",
        "attribute": "zone",
        "hours": 12,
        "need": {"attribute": "mode", "pairs": [["sync", "sync", 1], ["mixed", "sync", 0.5]]},
    }
    # need: (mixed, sync) 0.5, (mixed, async) 0, (sync, sync) 1, (sync, async) 0
    np.testing.assert_allclose(_values(rule), [1 - 0.5 / 12, 1, 6 / 12, 1], atol=1e-12)


def test_hard_rules_exclude_what_they_say():
    mentors, mentees = _people()
    s = score_pairs(
        mentors,
        mentees,
        [
            {"kind": "same", "attribute": "field"},
            {"kind": "forbid_same", "attribute": "org", "name": "conflict"},
            {"kind": "require_shared", "mentee": "wanted", "mentor": "offered"},
        ],
    )
    assert s["excluded_by"].tolist() == [
        "conflict",
        "",
        "conflict+require_shared_wanted_offered",
        "require_shared_wanted_offered",
    ]


def test_must_makes_a_criterion_a_hard_rule_weighing_high():
    mentors, mentees = _people()
    rules = MatchRules.coerce(
        [
            {"kind": "gap", "attribute": "years", "min_gap": 4, "importance": "must"},
            {"kind": "same", "attribute": "field", "importance": "low"},
        ]
    )
    assert dict(rules.weights) == {"years": IMPORTANCE_WEIGHTS["high"], "field": 1.0}
    s = score_pairs(mentors, mentees, rules)
    assert s["excluded_by"].tolist() == ["", "", "", "must_years"]


def test_forbidden_and_required_pairs_and_min_score_by_kind():
    mentors, mentees = _people()
    rules = MatchRules.coerce(
        [
            {"kind": "overlap", "mentee": "wanted", "mentor": "offered"},
            {"kind": "forbid_pairs", "pairs": [["e1", "m1"]]},
            {"kind": "require_pairs", "pairs": [["e2", "m2"]]},
            {"kind": "min_score", "value": 50},
        ]
    )
    assert rules.forbidden_pairs == (("e1", "m1"),) and rules.min_score == 50
    r = match(mentors, mentees, rules)
    assert r.pairs[["mentee_id", "mentor_id"]].values.tolist() == [["e2", "m2"]]
    why = r.unmatched.set_index("person_id").loc["e1", "detail"]
    assert "forbidden" in why and "min_score" in why


def test_declared_rules_round_trip_and_name_their_problems():
    rules = MatchRules.from_yaml(SAMPLES / "rules" / "criteria.yaml")
    assert MatchRules.from_yaml(rules.to_yaml()) == rules
    assert rules.replace(weights={"skills": 1}).weights["goals"] == 0.0
    with pytest.raises(DataValidationError) as exc:
        MatchRules.coerce(
            [
                {"kind": "overlapp", "attribute": "x"},
                {"kind": "gap", "attribute": "years", "min_gap": -1},
                {"kind": "same", "attribute": "a", "importance": "vital"},
                {"kind": "compatible", "attribute": "mode"},
            ]
        )
    text = str(exc.value)
    for part in ("did you mean 'overlap'", "min_gap", "importance 'vital'", "table of pairs"):
        assert part in text
    with pytest.raises(DataValidationError, match="not both"):
        MatchRules.from_dict({"weights": {"skills": 1}, "criteria": []})


def test_tables_are_checked_against_the_declared_attributes():
    mentors, mentees = _people()
    with pytest.raises(DataValidationError) as exc:
        score_pairs(
            mentors,
            mentees.assign(years=["2", "8"]),
            [{"kind": "gap", "attribute": "years"}, {"kind": "same", "attribute": "colour"}],
        )
    text = str(exc.value)
    assert "mentees, column 'years'" in text and "needs numbers" in text
    assert "mentors, column 'colour'" in text and "mentees, column 'colour'" in text


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("xy")), min_size=1, max_size=6),
    st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("xy")), min_size=1, max_size=6),
)
def test_forbid_same_never_pairs_people_with_the_same_values(e_vals, m_vals):
    mentees = pd.DataFrame(
        {
            "mentee_id": [f"e{i}" for i in range(len(e_vals))],
            "org": [o for o, _ in e_vals],
            "dept": [d for _, d in e_vals],
            "w": [float(i) for i in range(len(e_vals))],
        }
    )
    mentors = pd.DataFrame(
        {
            "mentor_id": [f"m{j}" for j in range(len(m_vals))],
            "org": [o.lower() for o, _ in m_vals],  # compared case-insensitively
            "dept": [d for _, d in m_vals],
            "w": [float(j) for j in range(len(m_vals))],
            "capacity": [2] * len(m_vals),
        }
    )
    rules = [
        {"kind": "closeness", "attribute": "w", "scale": 10},
        {"kind": "forbid_same", "attributes": ["org", "dept"]},
    ]
    r = match(mentors, mentees, rules)
    pairs = r.pairs.merge(mentees, on="mentee_id").merge(mentors, on="mentor_id")
    same = (pairs["org_x"].str.lower() == pairs["org_y"]) & (pairs["dept_x"] == pairs["dept_y"])
    assert not same.any()
    # and every pair it refuses is a same-values pair (brute force over all pairs)
    s = score_pairs(mentors, mentees, rules)
    for (i, e), (j, m) in itertools.product(enumerate(e_vals), enumerate(m_vals)):
        row = s.iloc[i * len(m_vals) + j]
        assert (not row["feasible"]) == (e[0].lower() == m[0].lower() and e[1] == m[1])
    assert len(r.pairs) + (r.unmatched["role"] == "mentee").sum() == len(e_vals)


# --------------------------------------------------------------------------- the sample


@pytest.mark.skipif(not (SAMPLES / "mentors.csv").exists(), reason="sample data not generated")
def test_sample_criteria_file_gives_the_pairs_and_scores_of_default_rules():
    mentors = pd.read_csv(SAMPLES / "mentors.csv", dtype=str, keep_default_na=False)
    mentees = pd.read_csv(SAMPLES / "mentees.csv", dtype=str, keep_default_na=False)
    declared = MatchRules.from_yaml(SAMPLES / "rules" / "criteria.yaml")
    assert declared.declared is not None
    a = match(mentors, mentees, SAMPLES / "rules" / "default.yaml")
    b = match(mentors, mentees, declared)
    pd.testing.assert_frame_equal(a.pairs, b.pairs, check_exact=True)
    pd.testing.assert_frame_equal(a.unmatched, b.unmatched)
    pd.testing.assert_frame_equal(
        score_pairs(mentors, mentees, SAMPLES / "rules" / "default.yaml"),
        score_pairs(mentors, mentees, declared),
        check_exact=True,
    )
    e = a.pairs["mentee_id"].iloc[3]
    pd.testing.assert_frame_equal(a.explain(e), b.explain(e))
    # the weights layout is exactly these criteria
    assert [
        c.to_dict() for c in MatchRules.from_yaml(SAMPLES / "rules" / "default.yaml").criteria
    ] == [c.to_dict() for c in declared.criteria]


# --------------------------------------------------------------------------- done when


@pytest.fixture(scope="module")
def fr_programme(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fr_export")
    files = write_csv(folder)
    spec = ek.propose_programme(files["mentors"], files["mentees"])
    spec.to_yaml(folder / "programme.yaml")
    return ek.read_programme(folder)


def test_fr_export_proposal_to_matching_with_no_hand_edit(fr_programme):
    prog = fr_programme
    assert len(prog.mentees) == 40 and len(prog.mentors) == 15
    r = match(prog.mentors, prog.mentees)  # the rules proposed from the attributes
    assert MatchRules.coerce(prog.spec) == r.rules  # ... which are the spec's
    assert {c.kind for c in r.rules.criteria} >= {"overlap", "same", "shared_hours", "gap"}
    paired = set(r.pairs["mentee_id"])
    reported = r.unmatched[r.unmatched["role"] == "mentee"]
    assert paired.isdisjoint(reported["person_id"])
    assert paired | set(reported["person_id"]) == set(prog.mentees["mentee_id"])
    assert reported["detail"].str.len().gt(0).all()
    assert r.summary().n_pairs == len(r.pairs) > 0
    # the hard rules hold: a shared language, never the same organisation and department
    both = r.pairs.merge(prog.mentees, on="mentee_id").merge(prog.mentors, on="mentor_id")
    assert all(
        set(a) & set(b) for a, b in zip(both["languages_x"], both["languages_y"], strict=True)
    )
    assert not (
        (both["organisation_x"] == both["organisation_y"])
        & (both["department_x"] == both["department_y"])
    ).any()
    # explain, compare_rules and rematch work on declared criteria
    e = r.pairs["mentee_id"].iloc[0]
    assert {c.name for c in r.rules.criteria} <= set(r.explain(e).columns)
    table = compare_rules(
        {"spec": prog.spec, "skills": [dict(prog.spec.rules[0])]}, prog.mentors, prog.mentees
    )
    assert len(table) == 2
    again = rematch(r, prog.mentors, prog.mentees)
    assert set(again.changes["change"]) <= {"kept", "still unpaired"}


def test_propose_rules_agrees_with_propose_programme(fr_programme):
    assert list(propose_rules(fr_programme.mentors, fr_programme.mentees)) == [
        dict(r) for r in fr_programme.spec.rules
    ]


def test_criterion_from_dict_defaults():
    c = Criterion.from_dict(
        {"kind": "overlap", "mentee": "skills_sought", "mentor": "skills_offered"}
    )
    assert (c.name, c.weight, c.must) == ("skills", 1.0, False)
