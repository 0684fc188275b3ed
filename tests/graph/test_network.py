"""Tests of ementor_kit.graph.network: the programme graph and its summary, worked by hand."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pandas as pd
import pytest

from ementor_kit.errors import DataValidationError, EmentorKitError
from ementor_kit.graph import network_summary, programme_graph
from tests._exchange_logs import INTERACTIONS, MENTEES, MENTORS, PAIRS


@pytest.fixture(scope="module")
def graph() -> nx.Graph:
    return programme_graph(MENTORS, MENTEES, PAIRS, INTERACTIONS)


def _edges(g: nx.Graph) -> dict:
    return {tuple(sorted((u, v))): d for u, v, d in g.edges(data=True)}


def test_nodes_carry_role_cohort_group_domain(graph):
    assert graph.number_of_nodes() == 12  # E008 has no pair and no exchange: isolated
    assert graph.nodes["M002"] == {
        "role": "mentor",
        "cohort": "2026-A",
        "group": None,
        "domain": "droit",
        "capacity": 4,
    }
    assert graph.nodes["E001"]["group"] == "qpv" and graph.nodes["E002"]["group"] is None
    assert graph.degree("E008") == 0


def test_hand_worked_edges(graph):
    e = _edges(graph)
    assert set(e) == {
        ("E001", "M001"),
        ("E003", "M001"),
        ("E001", "E003"),
        ("E003", "M002"),
        ("E004", "M002"),
        ("E005", "M003"),
        ("E005", "M001"),
        ("E007", "M004"),
        ("M001", "M002"),
        ("E002", "M001"),
        ("E006", "M003"),
    }
    # seven one-to-one exchanges (I01-I06, I09) and the group session S1 (I07)
    assert e[("E001", "M001")] == {
        "kind": "mentor_mentee",
        "paired": True,
        "n_messages": 7,
        "n_group_sessions": 1,
        "weight": 8,
    }
    # S1 also ties its leader to E003 (another mentor's mentee) and both attendees together,
    # who also exchanged on the forum (I16)
    assert e[("E003", "M001")] == {
        "kind": "mentor_mentee",
        "paired": False,
        "n_messages": 0,
        "n_group_sessions": 1,
        "weight": 1,
    }
    assert e[("E001", "E003")] == {
        "kind": "peer",
        "paired": False,
        "n_messages": 1,
        "n_group_sessions": 1,
        "weight": 2,
    }
    # the whole log counts (no as_of window); the duplicate of I13 does not
    assert e[("E005", "M003")]["n_messages"] == 4
    assert e[("M001", "M002")]["kind"] == "mentor_peer"
    assert e[("E002", "M001")] == {
        "kind": "mentor_mentee",
        "paired": True,
        "n_messages": 0,
        "n_group_sessions": 0,
        "weight": 0,
    }
    assert graph.graph["unused_interactions"] == {
        "sender and recipient are the same person": 1,
        "exact duplicate of an earlier row": 1,
    }


def test_unknown_person_is_counted_not_dropped_silently():
    log = INTERACTIONS.copy()
    log.loc[0, "sender_id"] = "E099"
    g = programme_graph(MENTORS, MENTEES, PAIRS, log)
    assert g.graph["unused_interactions"]["person not in mentors.csv or mentees.csv"] == 1
    assert _edges(g)[("E001", "M001")]["n_messages"] == 6


def test_every_exchange_is_an_edge_count_or_reported():
    typed = INTERACTIONS.assign(
        timestamp=pd.to_datetime(INTERACTIONS["timestamp"], utc=True, format="ISO8601")
    )
    stranger = typed.iloc[[0]].assign(interaction_id="I99", sender_id="E099")
    for log in (
        INTERACTIONS,
        INTERACTIONS.assign(session_id=None),  # no group session at all
        pd.concat([typed, stranger, stranger], ignore_index=True),  # typed, with duplicates
    ):
        g = programme_graph(MENTORS, MENTEES, PAIRS, log)
        n_messages = sum(d["n_messages"] for _, _, d in g.edges(data=True))
        n_session_rows = int(log["session_id"].notna().sum())
        unused = g.graph["unused_interactions"]
        assert n_messages + n_session_rows + sum(unused.values()) == len(log), unused
    # the duplicated stranger row counts once as unknown and once as a duplicate (with I13)
    assert unused == {
        "person not in mentors.csv or mentees.csv": 1,
        "sender and recipient are the same person": 1,
        "exact duplicate of an earlier row": 2,
    }


def test_empty_log_gives_the_pairs_only():
    g = programme_graph(MENTORS, MENTEES, PAIRS, INTERACTIONS.iloc[:0])
    assert g.number_of_nodes() == 12 and g.number_of_edges() == len(PAIRS)
    assert all(d["paired"] and d["weight"] == 0 for _, _, d in g.edges(data=True))
    assert g.graph["unused_interactions"] == {}


def test_pair_of_unknown_people_is_refused():
    pairs = pd.concat(
        [
            PAIRS,
            pd.DataFrame(
                {"mentee_id": ["E050"], "mentor_id": ["M001"], "matched_on": ["2026-09-01"]}
            ),
        ]
    )
    with pytest.raises(DataValidationError, match="E050") as err:
        programme_graph(MENTORS, MENTEES, pairs, INTERACTIONS)
    (problem,) = err.value.problems
    assert (problem.file, problem.column, problem.rows) == ("pairs.csv", "mentee_id", (9,))


@pytest.fixture(scope="module")
def summary(graph):
    return network_summary(graph)


def test_mentor_load(summary):
    got = summary.mentor_load.set_index("mentor_id")
    assert got["n_mentees"].tolist() == [2, 2, 2, 1]
    assert got["capacity"].tolist() == [2, 4, 2, 1]
    assert got["load"].tolist() == [1.0, 0.5, 1.0, 1.0]
    assert got["n_messages"].tolist() == [7, 3, 4, 1]
    assert got["n_group_attendees"].tolist() == [2, 0, 0, 0]


def test_peer_ties(summary):
    assert summary.peer_ties.to_dict("records") == [
        {
            "mentee_a": "E001",
            "mentee_b": "E003",
            "n_messages": 1,
            "n_group_sessions": 1,
            "weight": 2,
        }
    ]
    # E001 and E003 of 8 mentees have a peer tie
    assert summary.share_mentees_with_peers == 2 / 8


def test_developmental_network_of_a_mentee_with_a_mentor_and_a_peer(summary):
    e1 = summary.people.set_index("person_id").loc["E001"]
    assert (e1["degree"], e1["strength"], e1["n_mentors"], e1["n_peers"]) == (2, 10, 1, 1)
    # Burt by hand on exchange weights: E001-M001 8, E001-E003 2, E003-M001 1;
    # M001's other ties E005 1, M002 1; E003's other tie M002 2.
    # effective size = (1 - p(E001,E003) m(M001,E003)) + (1 - p(E001,M001) m(E003,M001))
    #                = (1 - 0.2 * 1/8) + (1 - 0.8 * 1/2)
    assert e1["effective_size"] == pytest.approx(1.575)
    # constraint = (0.8 + 0.2 * p(E003,M001))^2 + (0.2 + 0.8 * p(M001,E003))^2,
    # p(E003,M001) = 1/5, p(M001,E003) = 1/11
    assert e1["constraint"] == pytest.approx(0.84**2 + (0.2 + 0.8 / 11) ** 2)
    assert e1["n_domains"] == 2  # sante (M001) and arts_culture (E003)
    e4 = summary.people.set_index("person_id").loc["E004"]
    assert math.isnan(e4["effective_size"]) and pd.isna(e4["n_domains"])  # a single developer


def test_betweenness_equals_shortest_path_enumeration(graph, summary):
    nodes = sorted(graph.nodes)
    through = dict.fromkeys(nodes, 0.0)
    for s, t in itertools.combinations(nodes, 2):
        if not nx.has_path(graph, s, t):
            continue
        paths = list(nx.all_shortest_paths(graph, s, t))
        for p in paths:
            for v in p[1:-1]:
                through[v] += 1 / len(paths)
    n = len(nodes)
    scale = 2 / ((n - 1) * (n - 2))
    got = summary.people.set_index("person_id")["betweenness"]
    for v in nodes:
        assert got[v] == pytest.approx(through[v] * scale), v
    assert got["M001"] > 0


def test_communities_partition_the_people_and_are_reproducible(graph, summary):
    people = summary.people.set_index("person_id")
    assert summary.communities["size"].sum() == 12
    assert summary.communities["size"].is_monotonic_decreasing
    sizes = people["community"].value_counts().sort_index().tolist()
    assert sizes == summary.communities["size"].tolist()
    assert people.loc["E001", "community"] == people.loc["M001", "community"]
    assert (people.loc["E008", "community"] == people["community"]).sum() == 1
    again = network_summary(graph)
    pd.testing.assert_frame_equal(again.people, summary.people)
    # modularity of the partition found, by its definition on the exchange weights:
    # sum over communities of w_in / W - (strength / 2W)^2
    weights = {(u, v): w for u, v, w in graph.edges(data="weight") if w > 0}
    total = sum(weights.values())
    expected = 0.0
    for c in people.groupby("community").groups.values():
        members = set(c)
        inside = sum(w for (u, v), w in weights.items() if u in members and v in members)
        strength = sum(w * ((u in members) + (v in members)) for (u, v), w in weights.items())
        expected += inside / total - (strength / (2 * total)) ** 2
    assert summary.modularity == pytest.approx(expected)
    assert summary.modularity > 0


def test_summary_refuses_other_graphs():
    with pytest.raises(EmentorKitError):
        network_summary(nx.DiGraph())
    g = nx.Graph()
    g.add_edge("a", "b", weight=1)
    with pytest.raises(EmentorKitError, match="role"):
        network_summary(g)


def test_sample_programme_graph_accounts_for_every_exchange():
    from ementor_kit.samples import load_sample

    prog = load_sample()
    g = programme_graph(prog.mentors, prog.mentees, prog.pairs, prog.interactions)
    assert g.number_of_nodes() == len(prog.mentors) + len(prog.mentees)
    assert sum(d["paired"] for _, _, d in g.edges(data=True)) == len(prog.pairs)
    log = prog.interactions
    one_to_one = log["session_id"].isna().sum()
    assert sum(d["n_messages"] for _, _, d in g.edges(data=True)) == one_to_one
    sizes = log.dropna(subset=["session_id"]).groupby("session_id").size() + 1  # + leader
    assert sum(d["n_group_sessions"] for _, _, d in g.edges(data=True)) == sum(
        k * (k - 1) // 2 for k in sizes
    )
    s = network_summary(g)
    assert 0 < s.share_mentees_with_peers < 1 and len(s.peer_ties) > 0
    assert s.mentor_load["n_mentees"].sum() == len(prog.pairs)


def test_row_order_changes_neither_graph_nor_summary(graph, summary):
    g = programme_graph(
        MENTORS.iloc[::-1], MENTEES.iloc[::-1], PAIRS.iloc[::-1], INTERACTIONS.iloc[::-1]
    )
    assert list(g.nodes(data=True)) == list(graph.nodes(data=True))
    assert sorted(g.edges(data=True)) == sorted(graph.edges(data=True))
    s = network_summary(g)
    for name in ("people", "mentor_load", "communities", "peer_ties"):
        pd.testing.assert_frame_equal(getattr(s, name), getattr(summary, name))
    assert s.modularity == summary.modularity
