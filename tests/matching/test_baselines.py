import itertools

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ementor_kit.matching import MatchRules, greedy, random_pairing, stable_pairing
from tests._pairing_data import blocking_count, profiles, score_table


def _check_valid(res, feasible, caps):
    pairs = list(zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True))
    assert all(p in feasible for p in pairs)
    assert res.pairs["mentee_id"].is_unique
    load = res.pairs["mentor_id"].value_counts()
    assert all(load.get(m, 0) <= c for m, c in caps.items())
    return dict(pairs)


@st.composite
def cases(draw, max_e=12, max_m=5):
    mentors, mentees = profiles(
        draw(st.integers(0, 10_000)),
        draw(st.integers(1, max_m)),
        draw(st.integers(1, max_e)),
        n_langs=draw(st.sampled_from([1, 2, 3])),
        n_orgs=2,
    )
    rules = MatchRules(min_score=draw(st.sampled_from([0, 50])))
    return mentors, mentees, rules


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_stable_pairing_has_no_blocking_pair(case):
    mentors, mentees, rules = case
    score, feasible, caps = score_table(mentors, mentees, rules)
    res = stable_pairing(mentors, mentees, rules)
    a = _check_valid(res, feasible, caps)
    assert blocking_count(a, score, feasible, caps) == 0
    assert res.solver == "stable" and not res.proven_optimal


def _strictly_stable(a, score, feasible, caps, e_ids, m_ids) -> bool:
    """No blocking pair under the documented strict preferences (score, then lower id)."""

    def mentee_rank(e, m):
        return (score[(e, m)], -m_ids.index(m)) if m is not None else (-np.inf, 0)

    def mentor_rank(m, e):
        return (score[(e, m)], -e_ids.index(e))

    for e, m in feasible:
        if a.get(e) == m or not mentee_rank(e, m) > mentee_rank(e, a.get(e)):
            continue
        held = [k for k, v in a.items() if v == m]
        if len(held) < caps[m] or any(mentor_rank(m, e) > mentor_rank(m, k) for k in held):
            return False
    return True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(max_e=4, max_m=3), ties=st.booleans())
def test_stable_pairing_is_the_mentee_optimal_stable_pairing_by_brute_force(case, ties):
    mentors, mentees, rules = case
    if ties:  # coarse weights: many equal scores, so the id tie-breaks decide
        rules = rules.replace(weights={"domain": 1.0, "modality": 1.0})
    score, feasible, caps = score_table(mentors, mentees, rules)
    got = _check_valid(stable_pairing(mentors, mentees, rules), feasible, caps)
    e_ids = sorted(mentees["mentee_id"])
    m_ids = sorted(mentors["mentor_id"])
    stable = []
    for choice in itertools.product([None, *m_ids], repeat=len(e_ids)):
        a = {e: m for e, m in zip(e_ids, choice, strict=True) if m is not None}
        if any((e, m) not in feasible for e, m in a.items()):
            continue
        if any(list(a.values()).count(m) > caps[m] for m in m_ids):
            continue
        if _strictly_stable(a, score, feasible, caps, e_ids, m_ids):
            stable.append(a)
    assert stable  # strict preferences always admit a stable pairing (Gale-Shapley)

    def rank(e, m):
        return (score[(e, m)], -m_ids.index(m)) if m is not None else (-np.inf, 0)

    # the mentee-optimal stable pairing gives every mentee their best mentor over all stable
    # pairings; it exists for strict preferences, and deferred acceptance must return it. (Both
    # sides rank by the same score, so in practice there is a single stable pairing; the brute
    # force does not assume it.)
    best = {}
    for e in e_ids:
        m = max((a.get(e) for a in stable), key=lambda m, e=e: rank(e, m))
        if m is not None:
            best[e] = m
    assert best in stable
    assert got == best


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_greedy_equals_a_plain_reimplementation(case):
    mentors, mentees, rules = case
    score, feasible, caps = score_table(mentors, mentees, rules)
    res = greedy(mentors, mentees, rules)
    got = _check_valid(res, feasible, caps)
    expected, load = {}, dict.fromkeys(caps, 0)
    for e, m in sorted(feasible, key=lambda p: (-score[p], p[0], p[1])):
        if e not in expected and load[m] < caps[m]:
            expected[e] = m
            load[m] += 1
    assert got == expected


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), seed=st.integers(0, 1000))
def test_random_pairing_is_seeded_and_maximal(case, seed):
    mentors, mentees, rules = case
    score, feasible, caps = score_table(mentors, mentees, rules)
    a = random_pairing(mentors, mentees, rules, seed=seed)
    b = random_pairing(mentors, mentees, rules, seed=seed)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    got = _check_valid(a, feasible, caps)
    load = pd.Series(got).value_counts()
    for e, m in feasible:  # nobody left out while a compatible mentor has room
        assert e in got or load.get(m, 0) >= caps[m]


def test_random_pairing_depends_on_the_seed():
    mentors, mentees = profiles(3, 6, 14, n_langs=1)
    seen = {tuple(random_pairing(mentors, mentees, seed=s).pairs["mentor_id"]) for s in range(5)}
    assert len(seen) > 1


def test_baselines_keep_required_pairs():
    mentors, mentees = profiles(7, 3, 6, n_langs=1, n_orgs=3)
    e, m = mentees["mentee_id"][2], mentors["mentor_id"][1]
    rules = MatchRules(required_pairs=((e, m),), no_same_department=False)
    for f in (greedy, stable_pairing, random_pairing):
        res = f(mentors, mentees, rules)
        assert (e, m) in set(zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True))
        assert res.pairs.set_index("mentee_id").loc[e, "required"]


# --------------------------------------------------------------------------- declared ranks


@st.composite
def ranked_cases(draw):
    """Small programmes with capacities, random two-sided ranks (some people rank nobody,
    some only a few), random closeness scores (ties included) and random forbidden pairs."""
    n_e, n_m = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    e_ids = [f"E{i}" for i in range(n_e)]
    m_ids = [f"M{j}" for j in range(n_m)]
    caps = [draw(st.integers(0, 2)) for _ in m_ids]
    xs = st.integers(0, 3)
    mentors = pd.DataFrame(
        {"mentor_id": m_ids, "capacity": caps, "x": [float(draw(xs)) for _ in m_ids]}
    )
    mentees = pd.DataFrame({"mentee_id": e_ids, "x": [float(draw(xs)) for _ in e_ids]})
    rows = []
    for chooser, others in [(e, m_ids) for e in e_ids] + [(m, e_ids) for m in m_ids]:
        chosen = draw(st.permutations(others))[: draw(st.integers(0, len(others)))]
        gaps = draw(st.lists(st.integers(1, 3), min_size=len(chosen), max_size=len(chosen)))
        rows += [(chooser, c, int(np.cumsum(gaps)[k])) for k, c in enumerate(chosen)]
    ranks = pd.DataFrame(rows, columns=["chooser_id", "chosen_id", "rank"])
    forbidden = [(e, m) for e in e_ids for m in m_ids if draw(st.integers(0, 5)) == 0]
    unranked = draw(st.sampled_from(["score", "refuse"]))
    return mentors, mentees, ranks, forbidden, unranked


def _orders_by_hand(mentors, mentees, ranks, forbidden, unranked):
    """Each side's strict order, written from the stated rule independently of the package:
    declared ranks first (smaller rank first), then, unless refused, the other feasible people
    by decreasing score (closeness of x over 10), equal scores by id; unfeasible pairs (forbidden
    or capacity 0) are acceptable to nobody."""
    cap = dict(zip(mentors.mentor_id, mentors.capacity, strict=True))
    xm = dict(zip(mentors.mentor_id, mentors.x, strict=True))
    xe = dict(zip(mentees.mentee_id, mentees.x, strict=True))

    def ok(e, m):
        return (e, m) not in forbidden and cap[m] > 0

    def score(e, m):
        return 1 - min(abs(xe[e] - xm[m]) / 10, 1)

    declared = {c: list(g.sort_values("rank")["chosen_id"]) for c, g in ranks.groupby("chooser_id")}
    orders = {}
    for who, others, pair in [(e, list(xm), lambda a, b: (a, b)) for e in xe] + [
        (m, list(xe), lambda a, b: (b, a)) for m in xm
    ]:
        mine = [o for o in declared.get(who, []) if ok(*pair(who, o))]
        rest = [o for o in others if ok(*pair(who, o)) and o not in mine]
        rest.sort(key=lambda o: (-score(*pair(who, o)), o))
        orders[who] = mine + ([] if unranked == "refuse" and who in declared else rest)
    return orders, cap


def _stable_matchings(e_ids, m_ids, orders, cap):
    """Every stable matching, by enumerating every assignment (brute force)."""
    out = []
    for choice in itertools.product([None, *m_ids], repeat=len(e_ids)):
        a = dict(zip(e_ids, choice, strict=True))
        if any(m is not None and (m not in orders[e] or e not in orders[m]) for e, m in a.items()):
            continue
        held = {m: [e for e in e_ids if a[e] == m] for m in m_ids}
        if any(len(held[m]) > cap[m] for m in m_ids):
            continue

        def blocks(e, m, a=a, held=held):
            if a[e] == m or m not in orders[e] or e not in orders[m]:
                return False
            wants = a[e] is None or orders[e].index(m) < orders[e].index(a[e])
            room = len(held[m]) < cap[m]
            better = any(orders[m].index(e) < orders[m].index(x) for x in held[m])
            return wants and (room or better)

        if not any(blocks(e, m) for e in e_ids for m in m_ids):
            out.append(a)
    return out


@settings(max_examples=150, deadline=None, derandomize=True)
@given(case=ranked_cases())
def test_deferred_acceptance_on_declared_ranks_is_the_mentee_optimal_stable_matching(case):
    mentors, mentees, ranks, forbidden, unranked = case
    rules = MatchRules(
        declared=MatchRules.coerce([{"kind": "closeness", "attribute": "x", "scale": 10}]).declared,
        forbidden_pairs=tuple(forbidden),
    )
    got = stable_pairing(mentors, mentees, rules, preferences=ranks, unranked=unranked)
    got = dict(zip(got.pairs["mentee_id"], got.pairs["mentor_id"], strict=True))
    orders, cap = _orders_by_hand(mentors, mentees, ranks, forbidden, unranked)
    e_ids, m_ids = list(mentees.mentee_id), list(mentors.mentor_id)
    stable = _stable_matchings(e_ids, m_ids, orders, cap)
    assert stable  # Gale and Shapley: a stable matching always exists

    def place(e, m):
        return len(orders[e]) if m is None else orders[e].index(m)

    best = {e: min((s[e] for s in stable), key=lambda m: place(e, m)) for e in e_ids}
    assert {e: m for e, m in best.items() if m is not None} == got
    assert any(all(s[e] == best[e] for e in e_ids) for s in stable)  # best is itself stable


def test_stable_pairing_without_preferences_is_unchanged(tmp_path):
    from ementor_kit import load_sample

    prog = load_sample()
    before = stable_pairing(prog.mentors, prog.mentees)
    empty = pd.DataFrame({"chooser_id": [], "chosen_id": [], "rank": []})
    after = stable_pairing(prog.mentors, prog.mentees, preferences=empty)
    # nobody ranks: the declared orders are the scores, as without preferences
    pd.testing.assert_frame_equal(before.pairs, after.pairs)
