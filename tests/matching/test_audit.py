import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ementor_kit as ek
from ementor_kit.matching import MatchRules, audit, greedy, match, random_pairing, stable_pairing
from tests._pairing_data import blocking_pairs, profiles, score_table


def _envious(assignment, score, feasible) -> int:
    count = 0
    for e in {p[0] for p in score}:
        mine = score[(e, assignment[e])] if e in assignment else -np.inf
        others = {m for k, m in assignment.items() if k != e}
        if any((e, m) in feasible and score[(e, m)] > mine for m in others):
            count += 1
    return count


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_m=st.integers(1, 5),
    n_e=st.integers(1, 12),
    method=st.sampled_from(["match", "greedy", "random", "stable"]),
    required=st.booleans(),
)
def test_audit_counts_equal_brute_force(seed, n_m, n_e, method, required):
    mentors, mentees = profiles(seed, n_m, n_e, n_langs=2, n_orgs=2)
    rules = MatchRules(
        no_same_department=False,
        required_pairs=(((mentees["mentee_id"][0], mentors["mentor_id"][0]),) if required else ()),
        shared_language=not required,
    )
    f = {"match": match, "greedy": greedy, "stable": stable_pairing, "random": random_pairing}[
        method
    ]
    res = f(mentors, mentees, rules)
    score, feasible, caps = score_table(mentors, mentees, rules)
    a = dict(zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True))
    report = audit(res)
    req = set(rules.required_pairs)
    expected = blocking_pairs(a, score, feasible, caps, req)
    bp = report.blocking_pairs
    got = set(zip(bp["mentee_id"], bp["mentor_id"], strict=True))
    assert got == expected and len(bp) == report.n_blocking_pairs == len(expected)
    for e, m, s, cur, worst in bp.itertuples(index=False):
        assert s == score[(e, m)]
        if e in a:
            assert cur == score[(e, a[e])]
        else:
            assert np.isnan(cur)
        held = [score[(k, m)] for k, v in a.items() if v == m and (k, m) not in req]
        if sum(v == m for v in a.values()) < caps[m]:
            assert np.isnan(worst)
        else:
            assert worst == min(held)
    assert report.n_envious_mentees == _envious(a, score, feasible)
    if method == "stable":
        assert report.n_blocking_pairs == 0


def _hand_profiles():
    """M001 (sante, 1 place), M002 (numerique, 1 place); E001 sante, E002 numerique.

    With the domain as the only criterion, scores are E001-M001 100, E001-M002 0,
    E002-M001 0, and E002-M002 is forbidden.
    """
    mentors, mentees = profiles(0, 2, 2, n_langs=1)
    mentors[["domain", "capacity", "organisation"]] = [["sante", "1", "A"], ["numerique", "1", "B"]]
    mentees[["domain", "organisation", "group"]] = [["sante", "C", "qpv"], ["numerique", "C", ""]]
    rules = MatchRules(weights={"domain": 1.0}, forbidden_pairs=(("E002", "M002"),))
    return mentors, mentees, rules


def test_audit_of_a_hand_worked_case():
    # most pairs first: E001-M002 (0) and E002-M001 (0). E001 and M001 would both rather be
    # together (100 > 0 for each): one blocking pair, and E001 envies E002's mentor. E002's
    # only other mentor is forbidden: no envy.
    mentors, mentees, rules = _hand_profiles()
    res = match(mentors, mentees, rules)
    assert sorted(zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True)) == [
        ("E001", "M002"),
        ("E002", "M001"),
    ]
    report = audit(res)
    assert report.n_blocking_pairs == 1 and report.n_envious_mentees == 1
    assert report.blocking_pairs.to_dict("records") == [
        {
            "mentee_id": "E001",
            "mentor_id": "M001",
            "score": 100.0,
            "mentee_current": 0.0,
            "mentor_worst": 0.0,
        }
    ]
    # the score objective never uses zero-score pairs: E001-M001 only. Stable (M001 would not
    # trade E001's 100 for E002's 0), but unpaired E002 envies E001's mentor M001.
    best = audit(match(mentors, mentees, rules, objective="score"))
    assert best.n_blocking_pairs == 0
    assert best.n_envious_mentees == 1  # E002, unpaired, would take M001 (score 0 > none)
    load = best.mentor_load.set_index("mentor_id")
    assert load.loc["M001", ["capacity", "load", "spare"]].tolist() == [1, 1, 0]
    assert load.loc["M001", "utilisation"] == 1.0 and load.loc["M001", "score_mean"] == 100.0
    assert load.loc["M002", ["load", "spare"]].tolist() == [0, 1]
    assert np.isnan(load.loc["M002", "score_mean"])
    groups = best.groups.set_index("group")
    assert groups.loc["qpv", ["n_mentees", "n_paired"]].tolist() == [1, 1]
    assert groups.loc["(not declared)", ["n_mentees", "n_paired", "coverage"]].tolist() == [1, 0, 0]
    assert groups.loc["(all)", "coverage"] == 0.5 and groups.loc["(all)", "score_min"] == 100.0


def test_groups_and_load_tables():
    mentors, mentees = profiles(12, 4, 15)
    res = match(mentors, mentees)
    report = audit(res)
    paired = mentees.merge(res.pairs, on="mentee_id", how="left")
    grp = paired["group"].replace("", "(not declared)")
    g = report.groups.set_index("group")
    for name, part in paired.groupby(grp):
        assert g.loc[name, "n_mentees"] == len(part)
        assert g.loc[name, "n_paired"] == part["mentor_id"].notna().sum()
        assert g.loc[name, "coverage"] == pytest.approx(part["mentor_id"].notna().mean())
        if part["score"].notna().any():
            assert g.loc[name, "score_mean"] == pytest.approx(part["score"].mean())
    assert g.loc["(all)", "n_mentees"] == len(mentees)
    load = report.mentor_load.set_index("mentor_id")
    counts = res.pairs["mentor_id"].value_counts()
    means = res.pairs.groupby("mentor_id")["score"].mean()
    for m, cap in zip(mentors["mentor_id"], mentors["capacity"].astype(int), strict=True):
        assert load.loc[m, "capacity"] == cap
        assert load.loc[m, "load"] == counts.get(m, 0)
        assert load.loc[m, "spare"] == cap - counts.get(m, 0)
        if m in means:
            assert load.loc[m, "score_mean"] == pytest.approx(means[m])
        else:
            assert pd.isna(load.loc[m, "score_mean"])


def test_audit_of_a_programme_without_groups():
    """Tables declared by programme.yaml need no ``group`` column: one "(not declared)" row."""
    people = ek.read_people(ek.example_intake())
    r = ek.match(people.mentors, people.mentees, people.spec)
    groups = audit(r).groups.set_index("group")
    assert list(groups.index) == ["(all)", "(not declared)"]
    assert groups.loc["(not declared)", "n_paired"] == len(r.pairs)


# --------------------------------------------------------------------------- declared ranks

# A worked example. Mentors M1 (capacity 2), M2 and M3 (capacity 1); mentees E1, E2, E3 in
# group A, E4 and E5 in group B. The only score is a `compatible` table over the ids, so greedy
# takes E1-M2 (1.0), E2-M1 (0.9), E3-M3 (0.8), E4-M1 (0.7); then every mentor is full and E5
# (0.1 with M1) stays unpaired.
_WORKED_MENTORS = pd.DataFrame(
    {"mentor_id": ["M1", "M2", "M3"], "capacity": [2, 1, 1], "tag": ["M1", "M2", "M3"]}
)
_WORKED_MENTEES = pd.DataFrame(
    {
        "mentee_id": ["E1", "E2", "E3", "E4", "E5"],
        "tag": ["E1", "E2", "E3", "E4", "E5"],
        "group": ["A", "A", "A", "B", "B"],
    }
)
_WORKED_RULES = [
    {
        "kind": "compatible",
        "mentee": "tag",
        "mentor": "tag",
        "pairs": [
            ["E1", "M2", 1.0],
            ["E2", "M1", 0.9],
            ["E3", "M3", 0.8],
            ["E4", "M1", 0.7],
            ["E5", "M1", 0.1],
        ],
    }
]
_WORKED_RANKS = pd.DataFrame(
    [
        ("E1", "M1", 1),
        ("E1", "M2", 2),
        ("E2", "M2", 1),
        ("E2", "M1", 2),
        ("E2", "M3", 3),
        ("E3", "M3", 1),
        ("E4", "M1", 1),
        ("E4", "M3", 2),
        ("E4", "M2", 3),
        ("M1", "E4", 1),
        ("M1", "E1", 2),
        ("M2", "E2", 1),
    ],  # E5 and M3 rank nobody
    columns=["chooser_id", "chosen_id", "rank"],
)


def test_rank_of_assignment_and_blocking_pairs_worked_by_hand():
    result = greedy(_WORKED_MENTORS, _WORKED_MENTEES, _WORKED_RULES)
    got = dict(zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True))
    assert got == {"E1": "M2", "E2": "M1", "E3": "M3", "E4": "M1"}
    a = audit(result, preferences=_WORKED_RANKS)
    # Rank of assignment (each mentee's own ranking): E1 has M2, its 2nd choice; E2 has M1,
    # its 2nd; E3 has M3, its 1st; E4 has M1, its 1st; E5 is unpaired.
    # (all): 2 first, 2 second, 1 unpaired out of 5; 4 mentees rank anybody.
    # A: E3 first, E1 and E2 second -> 1/3, 2/3. B: E4 first, E5 unpaired -> 1/2, 1/2.
    table = a.rank_of_assignment.set_index("group")
    expected = {
        "(all)": (5, 4, 2 / 5, 2 / 5, 0, 0, 0, 0, 1 / 5),
        "A": (3, 3, 1 / 3, 2 / 3, 0, 0, 0, 0, 0),
        "B": (2, 1, 1 / 2, 0, 0, 0, 0, 0, 1 / 2),
    }
    cols = [
        "n_mentees",
        "n_ranking",
        "first",
        "second",
        "third",
        "later",
        "unranked",
        "no_ranking",
        "unpaired",
    ]
    for group, row in expected.items():
        np.testing.assert_allclose(table.loc[group, cols].to_numpy(dtype=float), row)
    # Orders (ranked first, then the rest by score, then id):
    #   E1: M1, M2, M3 (has M2)   E2: M2, M1, M3 (has M1)   E5 ranks nobody: M1, M2, M3
    #   M1: E4, E1, then E2 (0.9), E5 (0.1), E3; holds E4 and E2, worst E2 (3rd)
    #   M2: E2, then E1 (1.0), E3, E4, E5; holds E1 (2nd)
    #   M3 ranks nobody: E3 (0.8), E1, E2, E4, E5; holds E3 (1st)
    # E1-M1 blocks (E1 prefers M1 to M2, M1 prefers E1, 2nd, to E2, 3rd); E2-M2 blocks (E2
    # prefers M2, M2 prefers E2 to E1). E5 is below every mentor's worst mentee: no other.
    bp = a.blocking_pairs
    assert list(zip(bp.mentee_id, bp.mentor_id, strict=True)) == [("E1", "M1"), ("E2", "M2")]
    assert bp["mentee_rank"].tolist() == [1, 1] and bp["mentor_rank"].tolist() == [2, 1]
    assert a.n_blocking_pairs == 2
    # envy: E1 (wants M1), E2 (wants M2), E5 (wants any, all taken by others)
    assert a.n_envious_mentees == 3
    # by scores alone the same pairing has no blocking pair (greedy took the best scores)
    assert audit(result).n_blocking_pairs == 0 and audit(result).rank_of_assignment is None


def test_deferred_acceptance_on_declared_ranks_has_no_blocking_pair_in_the_audit():
    result = stable_pairing(
        _WORKED_MENTORS, _WORKED_MENTEES, _WORKED_RULES, preferences=_WORKED_RANKS
    )
    # E1 and E4 get M1, E2 gets M2, E3 gets M3, E5 none: every ranking mentee its 1st choice
    got = dict(zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True))
    assert got == {"E1": "M1", "E2": "M2", "E3": "M3", "E4": "M1"}
    a = audit(result, preferences=_WORKED_RANKS)
    assert a.n_blocking_pairs == 0
    assert a.rank_of_assignment.set_index("group").loc["(all)", "first"] == 4 / 5
    refuse = audit(result, preferences=_WORKED_RANKS, unranked="refuse")
    assert refuse.n_blocking_pairs == 0
