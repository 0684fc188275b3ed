import numpy as np
import pandas as pd
import pytest
from _pairing_data import blocking_count, profiles, score_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ementor_kit.match_audit import audit
from ementor_kit.match_rules import MatchRules
from ementor_kit.matching import match
from ementor_kit.pairing_baselines import greedy, random_pairing, stable_pairing


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
    assert report.n_blocking_pairs == blocking_count(a, score, feasible, caps, req)
    assert len(report.blocking_pairs) == report.n_blocking_pairs
    assert report.n_envious_mentees == _envious(a, score, feasible)
    if method == "stable":
        assert report.n_blocking_pairs == 0


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
