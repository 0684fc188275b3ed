"""The programme as a network: who is tied to whom through pairs, messages, sessions and forums.

:func:`programme_graph` builds an undirected :class:`networkx.Graph` of every mentor and mentee;
:func:`network_summary` describes it for researchers: mentor load, centrality, communities
(seeded Louvain), peer ties among mentees and, for mentees with several developers (mentors or
peers), the diversity of their developmental network (Higgins & Kram 2001) with Burt's
effective size and constraint.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError, Problem
from ementor_kit.graph import _inputs as gi
from ementor_kit.i18n.language import N_

_KINDS = {
    ("mentee", "mentor"): "mentor_mentee",
    ("mentor", "mentee"): "mentor_mentee",
    ("mentee", "mentee"): "peer",
    ("mentor", "mentor"): "mentor_peer",
}


def _edge_table(log: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Undirected one-to-one message counts and group-session co-presence counts."""
    session = log["session_id"].astype("str").str.strip()
    in_session = log["session_id"].notna().to_numpy() & (session != "").to_numpy()
    one = log[~in_session]
    a = np.minimum(one["sender_id"].to_numpy(object), one["recipient_id"].to_numpy(object))
    b = np.maximum(one["sender_id"].to_numpy(object), one["recipient_id"].to_numpy(object))
    messages = (
        pd.DataFrame({"a": a, "b": b}).groupby(["a", "b"], sort=True).size().rename("n_messages")
    )
    rows = []
    grouped = log[in_session].assign(session=session[in_session]).groupby("session", sort=True)
    for _, s in grouped:
        people = sorted(set(s["sender_id"]) | set(s["recipient_id"]))
        rows += list(itertools.combinations(people, 2))
    sessions = (
        pd.DataFrame(rows, columns=["a", "b"], dtype="str")
        .groupby(["a", "b"], sort=True)
        .size()
        .rename("n_group_sessions")
    )
    return messages.reset_index(), sessions.reset_index()


def _check_pairs_known(pairs: pd.DataFrame, mentees: pd.DataFrame, mentors: pd.DataFrame) -> None:
    problems = []
    for col, people, role in (("mentee_id", mentees, "mentee"), ("mentor_id", mentors, "mentor")):
        bad = ~pairs[col].isin(people[col]).to_numpy()
        if bad.any():
            ids = ", ".join(sorted(set(pairs[col][bad])))
            problems.append(
                Problem(
                    "pairs.csv",
                    col,
                    gi.spreadsheet_rows(bad),
                    N_("{role} not in {role}s.csv: {ids}").format(role=role, ids=ids),
                    N_("add the {role} to {role}s.csv or remove the pair").format(role=role),
                )
            )
    if problems:
        raise DataValidationError(problems)


def programme_graph(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    pairs: pd.DataFrame,
    interactions: pd.DataFrame,
) -> nx.Graph:
    """The programme's network of mentors and mentees.

    Parameters
    ----------
    mentors, mentees : DataFrame
        ``mentors.csv`` and ``mentees.csv``, raw or validated; every person becomes a node.
    pairs : DataFrame
        ``pairs.csv``: each pair is an edge (``paired=True``) even before any exchange.
    interactions : DataFrame
        ``interactions.csv``: one-to-one exchanges (including forum replies between mentees)
        add to ``n_messages`` of the edge between sender and recipient; a group session ties
        its leader and every attendee, and the attendees with each other (``n_group_sessions``
        counts the sessions two people shared).

    Returns
    -------
    networkx.Graph
        Nodes are person ids, with ``role`` (``mentor``/``mentee``), ``cohort``, ``group``
        (``None`` when not declared), ``domain`` and, for mentors, ``capacity``. Edges carry
        ``kind`` (``mentor_mentee``, ``peer`` between mentees, ``mentor_peer``), ``paired``,
        ``n_messages``, ``n_group_sessions`` and ``weight`` (= ``n_messages`` +
        ``n_group_sessions``). ``graph.graph["unused_interactions"]`` counts exchanges left
        out, by reason (a person not in the profiles, a message to oneself, an exact
        duplicate row).

    Examples
    --------
    >>> import pandas as pd
    >>> people = dict(display_name="x", languages="fr", region="IDF", utc_offset=1,
    ...               domain="sante", goals="skills", availability_hours=2, modality="async",
    ...               digital_comfort=3, years_experience=1, organisation="o", department="d",
    ...               cohort="2026-A", group="")
    >>> mentors = pd.DataFrame([dict(mentor_id="M001", skills_offered="cv_lettre",
    ...                              capacity=2, **people)])
    >>> mentees = pd.DataFrame([dict(mentee_id=m, skills_sought="cv_lettre",
    ...                              career_stage="etudiant", **people)
    ...                         for m in ("E001", "E002")])
    >>> pairs = pd.DataFrame({"mentee_id": ["E001"], "mentor_id": ["M001"],
    ...                       "matched_on": ["2026-09-01"]})
    >>> log = pd.DataFrame({
    ...     "interaction_id": ["I1", "I2", "I3", "I4"],
    ...     "timestamp": ["2026-09-02T10:00:00+02:00"] * 2 + ["2026-09-05T18:00:00+00:00"] * 2,
    ...     "sender_id": ["E001", "E002", "M001", "M001"],
    ...     "recipient_id": ["M001", "E001", "E001", "E002"],
    ...     "channel": ["chat", "forum", "video", "video"],
    ...     "duration_minutes": [None, None, 60, 60], "session_id": [None, None, "S1", "S1"]})
    >>> g = programme_graph(mentors, mentees, pairs, log)
    >>> sorted((min(u, v), max(u, v), w) for u, v, w in g.edges(data="weight"))
    [('E001', 'E002', 2), ('E001', 'M001', 2), ('E002', 'M001', 1)]
    >>> g.edges["E001", "E002"]["kind"], g.nodes["M001"]["role"]
    ('peer', 'mentor')
    """
    mentors_t = gi.typed(mentors, "mentors")
    mentees_t = gi.typed(mentees, "mentees")
    pairs_t = gi.typed(pairs, "pairs")
    _check_pairs_known(pairs_t, mentees_t, mentors_t)
    log, _, dups = gi.interactions_frame(interactions)

    g = nx.Graph()
    for role, table, key in (
        ("mentor", mentors_t, "mentor_id"),
        ("mentee", mentees_t, "mentee_id"),
    ):
        for r in table.sort_values(key).itertuples(index=False):
            attrs = {
                "role": role,
                "cohort": r.cohort,
                "group": None if pd.isna(r.group) else r.group,
                "domain": r.domain,
            }
            if role == "mentor":
                attrs["capacity"] = int(r.capacity)
            g.add_node(getattr(r, key), **attrs)

    known = pd.Index(sorted(g.nodes))
    # each unused row gets one reason: duplicates (typed logs keep theirs, and raw rows can
    # become equal once typed), then unknown people, then messages to oneself
    dup = log.duplicated().to_numpy()
    unknown = ~dup & (
        (known.get_indexer(log["sender_id"]) < 0) | (known.get_indexer(log["recipient_id"]) < 0)
    )
    self_loop = ~dup & ~unknown & (log["sender_id"] == log["recipient_id"]).to_numpy()
    keep = ~(dup | unknown | self_loop)
    unused = {
        "person not in mentors.csv or mentees.csv": int(unknown.sum()),
        "sender and recipient are the same person": int(self_loop.sum()),
        "exact duplicate of an earlier row": len(dups) + int(dup.sum()),
    }
    g.graph["unused_interactions"] = {k: v for k, v in unused.items() if v}

    messages, sessions = _edge_table(log[keep])
    edges = messages.merge(sessions, on=["a", "b"], how="outer")
    pa = pairs_t[["mentee_id", "mentor_id"]].to_numpy(object)
    paired = pd.DataFrame(
        {"a": np.minimum(pa[:, 0], pa[:, 1]), "b": np.maximum(pa[:, 0], pa[:, 1])}
    )
    paired["paired"] = True
    edges = edges.merge(paired, on=["a", "b"], how="outer").sort_values(["a", "b"])
    edges["paired"] = edges["paired"].eq(True)
    for r in edges.itertuples(index=False):
        n_msg = 0 if pd.isna(r.n_messages) else int(r.n_messages)
        n_ses = 0 if pd.isna(r.n_group_sessions) else int(r.n_group_sessions)
        kind = _KINDS[(g.nodes[r.a]["role"], g.nodes[r.b]["role"])]
        g.add_edge(
            r.a,
            r.b,
            kind=kind,
            paired=bool(r.paired),
            n_messages=n_msg,
            n_group_sessions=n_ses,
            weight=n_msg + n_ses,
        )
    return g


@dataclass(frozen=True)
class NetworkSummary:
    """What :func:`network_summary` finds in a programme graph.

    Attributes
    ----------
    people : DataFrame
        One row per person (sorted by id): ``person_id``, ``role``, ``cohort``, ``group``,
        ``degree`` (people tied to, by a pair or an exchange), ``strength`` (sum of edge
        weights), ``betweenness`` (normalised, unweighted), ``community``, ``n_mentors`` and
        ``n_peers`` (mentors and mentees exchanged with), and for mentees with two developers
        or more (mentors or peers exchanged with): ``effective_size`` and ``constraint``
        (Burt, on exchange weights) and ``n_domains`` (distinct professional fields among
        those developers: the range of the developmental network).
    mentor_load : DataFrame
        One row per mentor: ``n_mentees`` paired, ``capacity``, ``load`` (= n_mentees /
        capacity), ``n_messages`` with their paired mentees, ``n_group_attendees`` (distinct
        mentees met in group sessions).
    communities : DataFrame
        One row per community (largest first): ``size``, ``n_mentors``, ``n_mentees``.
    peer_ties : DataFrame
        Ties between mentees: ``mentee_a``, ``mentee_b``, ``n_messages``,
        ``n_group_sessions``, ``weight``.
    n_people, n_ties : int
    density, modularity : float
    share_mentees_with_peers : float
        Share of mentees with at least one peer tie.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("M1", role="mentor", cohort="A", group=None, domain="sante", capacity=2)
    >>> g.add_node("E1", role="mentee", cohort="A", group=None, domain="droit")
    >>> g.add_edge("E1", "M1", kind="mentor_mentee", paired=True, n_messages=3,
    ...            n_group_sessions=0, weight=3)
    >>> s = network_summary(g)
    >>> s.n_people, s.n_ties, s.density, s.share_mentees_with_peers
    (2, 1, 1.0, 0.0)
    >>> s.mentor_load["load"].tolist()
    [0.5]
    """

    people: pd.DataFrame
    mentor_load: pd.DataFrame
    communities: pd.DataFrame
    peer_ties: pd.DataFrame
    n_people: int
    n_ties: int
    density: float
    modularity: float
    share_mentees_with_peers: float


def _communities(g: nx.Graph, seed: int, resolution: float) -> list[set]:
    active = nx.Graph()
    active.add_nodes_from(sorted(g.nodes))
    active.add_weighted_edges_from(sorted((u, v, w) for u, v, w in g.edges(data="weight") if w > 0))
    if active.number_of_edges() == 0:
        comms = [{n} for n in active.nodes]
    else:
        comms = nx.community.louvain_communities(
            active, weight="weight", resolution=resolution, seed=seed
        )
    return sorted(comms, key=lambda c: (-len(c), min(c)))


def _people_table(
    graph: nx.Graph,
    nodes: list,
    role: dict,
    btw: dict,
    community: dict,
    exchanged: nx.Graph,
) -> pd.DataFrame:
    """One row per person: degree, strength, betweenness, community, developmental network."""
    rows = []
    for n in nodes:
        contacts = sorted(exchanged.neighbors(n))
        n_mentors = sum(role[c] == "mentor" for c in contacts)
        n_peers = sum(role[c] == "mentee" for c in contacts)
        row = {
            "person_id": n,
            "role": role[n],
            "cohort": graph.nodes[n].get("cohort"),
            "group": graph.nodes[n].get("group"),
            "degree": graph.degree(n),
            "strength": graph.degree(n, weight="weight"),
            "betweenness": btw[n],
            "community": community[n],
            "n_mentors": n_mentors,
            "n_peers": n_peers,
            "effective_size": np.nan,
            "constraint": np.nan,
            "n_domains": np.nan,
        }
        if role[n] == "mentee" and len(contacts) >= 2:
            row["effective_size"] = nx.effective_size(exchanged, [n], weight="weight")[n]
            row["constraint"] = nx.constraint(exchanged, [n], weight="weight")[n]
            row["n_domains"] = len({graph.nodes[c].get("domain") for c in contacts})
        rows.append(row)
    people = pd.DataFrame(rows)
    people["n_domains"] = people["n_domains"].astype("Int64")
    return people


def _mentor_load(graph: nx.Graph, nodes: list, role: dict) -> pd.DataFrame:
    """One row per mentor: paired mentees against capacity, messages, group attendees."""
    load = []
    for m in (n for n in nodes if role[n] == "mentor"):
        paired = [v for v in graph.neighbors(m) if graph.edges[m, v].get("paired")]
        cap = graph.nodes[m].get("capacity")
        load.append(
            {
                "mentor_id": m,
                "n_mentees": len(paired),
                "capacity": cap,
                "load": len(paired) / cap if cap else np.nan,
                "n_messages": sum(graph.edges[m, v]["n_messages"] for v in paired),
                "n_group_attendees": sum(
                    1
                    for v in graph.neighbors(m)
                    if role[v] == "mentee" and graph.edges[m, v]["n_group_sessions"] > 0
                ),
            }
        )
    return pd.DataFrame(
        load,
        columns=["mentor_id", "n_mentees", "capacity", "load", "n_messages", "n_group_attendees"],
    )


def _peer_ties(graph: nx.Graph, role: dict) -> pd.DataFrame:
    """Ties between two mentees, in id order."""
    peer = sorted(
        (min(u, v), max(u, v), d["n_messages"], d["n_group_sessions"], d["weight"])
        for u, v, d in graph.edges(data=True)
        if role[u] == "mentee" and role[v] == "mentee"
    )
    return pd.DataFrame(
        peer, columns=["mentee_a", "mentee_b", "n_messages", "n_group_sessions", "weight"]
    )


def network_summary(
    graph: nx.Graph,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    betweenness_sample: int | None = None,
) -> NetworkSummary:
    """Mentor load, centrality, communities, peer ties and developmental-network diversity.

    Parameters
    ----------
    graph : networkx.Graph
        The result of :func:`programme_graph`.
    seed : int, default 0
        Seed of the Louvain community detection (and of the betweenness sample).
    resolution : float, default 1.0
        Louvain resolution: above 1 favours smaller communities.
    betweenness_sample : int, optional
        Estimate betweenness from this many source nodes (seeded) instead of exactly; worth it
        above a few thousand people (exact betweenness is O(people x ties)).

    Returns
    -------
    NetworkSummary
        The people, mentor load, communities and peer ties tables and the whole-network
        numbers.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> for m in ("M001", "M002"):
    ...     g.add_node(m, role="mentor", cohort="A", group=None, domain="sante", capacity=2)
    >>> for e, d in (("E001", "sante"), ("E002", "droit"), ("E003", "arts_culture")):
    ...     g.add_node(e, role="mentee", cohort="A", group=None, domain=d)
    >>> for u, v, kind, w in (("E001", "M001", "mentor_mentee", 5),
    ...                       ("E002", "M001", "mentor_mentee", 3),
    ...                       ("E003", "M002", "mentor_mentee", 4),
    ...                       ("E001", "E003", "peer", 2)):
    ...     g.add_edge(u, v, kind=kind, paired=kind != "peer", n_messages=w,
    ...                n_group_sessions=0, weight=w)
    >>> s = network_summary(g)
    >>> s.mentor_load[["mentor_id", "n_mentees", "load"]]
      mentor_id  n_mentees  load
    0      M001          2   1.0
    1      M002          1   0.5
    >>> s.people.set_index("person_id").loc["E001", ["n_mentors", "n_peers", "n_domains"]]
    n_mentors    1
    n_peers      1
    n_domains    2
    Name: E001, dtype: Int64
    """
    if not isinstance(graph, nx.Graph) or graph.is_directed() or graph.is_multigraph():
        raise ArgumentTypeError(
            "graph", graph, N_("pass the graph made by programme_graph() (undirected, simple)")
        )
    nodes = sorted(graph.nodes)
    role = {n: graph.nodes[n].get("role") for n in nodes}
    if any(r not in ("mentor", "mentee") for r in role.values()):
        raise InvalidArgumentError(
            "graph",
            graph,
            N_("pass the graph made by programme_graph()"),
            message=N_("every node needs role 'mentor' or 'mentee'"),
        )
    if betweenness_sample is not None and betweenness_sample < len(nodes):
        btw = nx.betweenness_centrality(graph, k=betweenness_sample, seed=seed)
    else:
        btw = nx.betweenness_centrality(graph)
    comms = _communities(graph, seed, resolution)
    community = {n: i for i, c in enumerate(comms) for n in c}
    exchanged = nx.Graph()
    exchanged.add_nodes_from(nodes)
    exchanged.add_weighted_edges_from(
        sorted((u, v, w) for u, v, w in graph.edges(data="weight") if w > 0)
    )
    people = _people_table(graph, nodes, role, btw, community, exchanged)
    mentor_load = _mentor_load(graph, nodes, role)
    communities = pd.DataFrame(
        [
            {
                "community": i,
                "size": len(c),
                "n_mentors": sum(role[n] == "mentor" for n in c),
                "n_mentees": sum(role[n] == "mentee" for n in c),
            }
            for i, c in enumerate(comms)
        ]
    )
    peer_ties = _peer_ties(graph, role)
    mentees = people[people["role"] == "mentee"]
    modularity = (
        nx.community.modularity(exchanged, comms, weight="weight")
        if exchanged.number_of_edges()
        else float("nan")
    )
    return NetworkSummary(
        people=people,
        mentor_load=mentor_load,
        communities=communities,
        peer_ties=peer_ties,
        n_people=graph.number_of_nodes(),
        n_ties=graph.number_of_edges(),
        density=nx.density(graph),
        modularity=float(modularity),
        share_mentees_with_peers=float((mentees["n_peers"] > 0).mean())
        if len(mentees)
        else float("nan"),
    )
