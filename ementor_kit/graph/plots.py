"""Figures of the relationship analytics (matplotlib; every function returns the Figure).

- :func:`plot_activity_heatmap`: pairs x weeks since matching, coloured by the pair's status
- :func:`plot_retention`: Kaplan-Meier share of pairs still active, with its interval
- :func:`plot_sync_async`: synchronous calls versus asynchronous messages, week by week
- :func:`plot_network`: the programme graph coloured by role and pair status
"""

from __future__ import annotations

from typing import Any

import matplotlib.colors as mcolors
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.graph.activity import WeeklyActivity
from ementor_kit.graph.engagement_metrics import STATUSES, Engagement
from ementor_kit.graph.survival import Retention
from ementor_kit.i18n import GLOSSARY, Translator, decimal_axis, label, translator
from ementor_kit.i18n.language import N_

STATUS_COLOURS = {
    "not_started": "#9e9e9e",
    "active": "#1b9e77",
    "completed": "#66a61e",
    "needs_check_in": "#e6ab02",
    "at_risk": "#d95f02",
    "dormant": "#7570b3",
    "closed_early": "#e7298a",
}
"""Colour of each status in every figure (Dark2 hues, distinguishable in grey scale too)."""
ROLE_COLOURS = {"mentor": "#386cb0", "mentee": "#f0f0f0"}
_UNOBSERVED = "#e8e8e8"
_TERMS = {t.key for t in GLOSSARY}


def _status_label(status: str, t: Translator) -> str:
    """English: the status code, as always; French: the glossary's plain name."""
    key = f"status.{status}"
    return status if t.lang == "en" or key not in _TERMS else label(key, t.lang)


_SEVERITY = {
    "completed": 0,
    "active": 0,
    "not_started": 1,
    "needs_check_in": 2,
    "at_risk": 3,
    "dormant": 4,
    "closed_early": 4,
}


def _require(df: object, columns: set[str], what: str, argument: str) -> pd.DataFrame:
    """The table of a result (``Engagement``, ``WeeklyActivity``) or the DataFrame itself."""
    if isinstance(df, Engagement | WeeklyActivity):
        df = df.table
    fix = N_("pass the result of {what} (columns {columns})").format(
        what=what, columns=", ".join(sorted(columns))
    )
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(argument, df, fix)
    if not columns <= set(df.columns):
        missing = ", ".join(sorted(columns - set(df.columns)))
        raise InvalidArgumentError(
            argument,
            df,
            fix,
            message=N_("expected {what}: a table without {missing}").format(
                what=what, missing=missing
            ),
        )
    return df


def plot_activity_heatmap(
    weekly: WeeklyActivity | pd.DataFrame,
    engagement: Engagement | pd.DataFrame | None = None,
    *,
    max_pairs: int = 60,
    lang: str | None = None,
) -> Figure:
    """Heatmap of exchanges per pair and week since matching, coloured by the pair's status.

    Parameters
    ----------
    weekly : WeeklyActivity or DataFrame
        :func:`ementor_kit.graph.activity.weekly_activity`, or its table.
    engagement : Engagement or DataFrame, optional
        :func:`ementor_kit.graph.engagement_metrics.engagement`, or its table: colours each
        pair by its status and puts the pairs needing action first. Without it every pair is drawn in one colour.
    max_pairs : int, default 60
        At most this many pairs (rows) are drawn, the most worrying first.
    lang : str, optional
        Language of the title, axes and legend (``"en"`` or ``"fr"``); default the process
        language (:func:`ementor_kit.set_language`).

    Returns
    -------
    matplotlib.figure.Figure
        Cell shade grows with the number of exchanges (white = none, light grey = weeks after
        ``as_of`` for that pair); the image data is
        ``fig.axes[0].images[0].get_array()`` (pairs x weeks x RGBA).

    Examples
    --------
    >>> import pandas as pd
    >>> weekly = pd.DataFrame({"mentee_id": ["E001"] * 3, "mentor_id": ["M001"] * 3,
    ...                        "week": [0, 1, 2], "n_exchanges": [3, 0, 1]})
    >>> fig = plot_activity_heatmap(weekly)
    >>> fig.axes[0].images[0].get_array().shape
    (1, 3, 4)
    """
    t = translator(lang)
    weekly = _require(
        weekly, {"mentee_id", "mentor_id", "week", "n_exchanges"}, "weekly_activity()", "weekly"
    )
    grid = weekly.pivot_table(
        index=["mentee_id", "mentor_id"],
        columns="week",
        values="n_exchanges",
        aggfunc="sum",
    )
    n_weeks = int(weekly["week"].max()) + 1 if len(weekly) else 0
    grid = grid.reindex(columns=range(n_weeks))  # NaN: week not observed (yet) for that pair
    if engagement is not None:
        eng = _require(
            engagement,
            {"mentee_id", "mentor_id", "status", "days_since_last_contact"},
            N_("engagement()"),
            "engagement",
        )
        e = eng.set_index(["mentee_id", "mentor_id"]).reindex(grid.index)
        status = e["status"].fillna("not_started").astype("str")
        order = pd.DataFrame(
            {
                "sev": -status.map(_SEVERITY).to_numpy(),
                "silence": -e["days_since_last_contact"].fillna(np.inf).to_numpy(),
            },
            index=grid.index,
        )
        keep = order.sort_values(["sev", "silence"], kind="stable").index
    else:
        status = pd.Series("active", index=grid.index)
        keep = grid.index
    shown = keep[:max_pairs]
    if not len(shown):  # every pair matched after as_of
        fig = Figure(figsize=(9, 1.5))
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(
            t.gettext("Exchanges per week: no pair observed yet (all matched after as_of)")
        )
        return fig
    counts = grid.loc[shown].to_numpy(dtype=float)
    observed = ~np.isnan(counts)
    counts = np.nan_to_num(counts)
    level = np.log1p(counts) / np.log1p(max(counts.max(), 1))
    rgba = np.ones((*counts.shape, 4))
    for i, key in enumerate(shown):
        base = np.array(mcolors.to_rgb(STATUS_COLOURS[status[key]]))
        shade = 0.25 + 0.75 * level[i][:, None]
        rgba[i, :, :3] = np.where(counts[i][:, None] > 0, 1 - shade * (1 - base), 1.0)
    rgba[~observed, :3] = mcolors.to_rgb(_UNOBSERVED)
    height = 1.5 + 0.18 * max(len(shown), 1)
    fig = Figure(figsize=(9, min(height, 14)))
    ax = fig.add_subplot()
    ax.imshow(rgba, aspect="auto", interpolation="nearest")
    ax.set_xlabel(t.gettext("week since matching"))
    labels = [f"{a}-{b}" for a, b in shown]
    ax.set_yticks(range(len(shown)), labels, fontsize=6 if len(shown) > 30 else 8)
    title = t.gettext("Exchanges per week")
    if len(shown) < len(grid):
        title += t.gettext(" ({shown} of {total} pairs, most worrying first)").format(
            shown=len(shown), total=len(grid)
        )
    ax.set_title(title)
    if engagement is not None:
        present = [s for s in STATUSES if (status.loc[shown] == s).any()]
        handles = [Patch(color=STATUS_COLOURS[s], label=_status_label(s, t)) for s in present]
        if not observed.all():
            handles.append(Patch(color=_UNOBSERVED, label=t.gettext("after as_of")))
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=8,
            title=t.gettext("status"),
        )
    fig.tight_layout()
    return fig


def plot_retention(retention: Retention, *, lang: str | None = None) -> Figure:
    """Kaplan-Meier curve of the share of pairs still active, with its confidence band.

    Parameters
    ----------
    retention : Retention
        The result of :func:`ementor_kit.graph.survival.retention` (its table alone does not
        say the confidence level, the number of pairs nor the dormancy rule shown).
    lang : str, optional
        Language of the title, axes and legend (``"en"`` or ``"fr"``); default the process
        language (:func:`ementor_kit.set_language`).

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the step curve, its shaded confidence band and a title naming the number
        of pairs and the dormancy rule.

    Examples
    --------
    >>> import pandas as pd
    >>> from ementor_kit.graph import EngagementThresholds, retention
    >>> eng = pd.DataFrame({
    ...     "matched_on": pd.to_datetime(["2026-01-05"] * 4),
    ...     "last_contact": pd.to_datetime(["2026-01-12", "2026-01-19", None, None], utc=True),
    ...     "days_since_match": [150.0] * 4,
    ...     "days_since_last_contact": [143.0, 136.0, float("nan"), float("nan")],
    ...     "status": ["dormant", "dormant", "not_started", "not_started"]})
    >>> fig = plot_retention(retention(eng, thresholds=EngagementThresholds()))
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [0.5, 0.25, 0.0]
    >>> fig.axes[0].get_title()
    'Retention of 4 pairs (a pair ends after 90 days without exchange)'
    """
    if not isinstance(retention, Retention):
        raise ArgumentTypeError(
            "retention",
            retention,
            N_(
                "pass the Retention result of retention() itself: its table alone does "
                "not say the confidence level, the number of pairs nor the dormancy "
                "rule"
            ),
            message=N_("{name} is not a Retention result").format(name=type(retention).__name__),
        )
    t = translator(lang)
    table = retention.table
    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    w = table["week"].to_numpy()
    ax.step(
        w,
        table["survival"].to_numpy(),
        where="post",
        color="#1b9e77",
        label=label("kaplan_meier", t.lang),
    )
    ax.fill_between(
        w,
        table["ci_low"].astype(float),
        table["ci_high"].astype(float),
        step="post",
        color="#1b9e77",
        alpha=0.2,
        label=t.gettext("{level} interval").format(level=_percent0(retention.confidence_level, t)),
    )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(t.gettext("weeks since matching"))
    ax.set_ylabel(t.gettext("share of pairs still active"))
    decimal_axis(ax.yaxis, t.lang)
    days = f"{retention.dormant_days:g}"
    rule = t.gettext(" (a pair ends after {days} days without exchange)").format(
        days=days if t.lang == "en" else days.replace(".", ",")
    )
    ax.set_title(t.gettext("Retention of {n} pairs{rule}").format(n=retention.n_pairs, rule=rule))
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def plot_sync_async(weekly: WeeklyActivity | pd.DataFrame, *, lang: str | None = None) -> Figure:
    """Synchronous (video, phone) versus asynchronous (chat, e-mail, forum) exchanges by week.

    Parameters
    ----------
    weekly : DataFrame
        :func:`ementor_kit.graph.activity.weekly_activity`.
    lang : str, optional
        Language of the title, axes and legend (``"en"`` or ``"fr"``); default the process
        language (:func:`ementor_kit.set_language`).

    Returns
    -------
    matplotlib.figure.Figure
        Stacked bars of all pairs' exchanges per week since matching; the line on the right
        axis is the synchronous share.

    Examples
    --------
    >>> import pandas as pd
    >>> weekly = pd.DataFrame({"week": [0, 1, 0], "n_sync": [1, 0, 2],
    ...                        "n_async": [3, 2, 2]})
    >>> fig = plot_sync_async(weekly)
    >>> [round(b.get_height()) for b in fig.axes[0].patches]
    [3, 0, 5, 2]
    """
    t = translator(lang)
    weekly = _require(weekly, {"week", "n_sync", "n_async"}, "weekly_activity()", "weekly")
    per_week = weekly.groupby("week")[["n_sync", "n_async"]].sum().sort_index()
    fig = Figure(figsize=(8, 4))
    ax = fig.add_subplot()
    w = per_week.index.to_numpy()
    ax.bar(w, per_week["n_sync"], color="#386cb0", label=t.gettext("sync: video, phone"))
    ax.bar(
        w,
        per_week["n_async"],
        bottom=per_week["n_sync"],
        color="#fdc086",
        label=t.gettext("async: chat, e-mail, forum"),
    )
    ax.set_xlabel(t.gettext("week since matching"))
    ax.set_ylabel(t.gettext("exchanges (all pairs)"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    total = (per_week["n_sync"] + per_week["n_async"]).to_numpy()
    share = np.divide(
        per_week["n_sync"].to_numpy(), total, out=np.full(len(w), np.nan), where=total > 0
    )
    ax2 = ax.twinx()
    ax2.plot(w, share, color="black", marker=".", label=t.gettext("sync share"))
    ax2.set_ylim(0, 1)
    ax2.set_ylabel(t.gettext("sync share"))
    decimal_axis(ax2.yaxis, t.lang)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper right", fontsize=8)
    ax.set_title(t.gettext("Sync / async mix by week since matching"))
    fig.tight_layout()
    return fig


def _percent0(share: float, t: Translator) -> str:
    """``95%`` (English, as always) or ``95 %`` (French), no decimals."""
    return f"{share:.0%}" if t.lang == "en" else f"{100 * share:.0f}\u00a0%"


def _ordered(graph: nx.Graph, nodes: list) -> nx.Graph:
    """The subgraph on ``nodes`` built in sorted order: ``graph.subgraph`` iterates a set, in
    an order that changes with the interpreter's string hashing, and so would the layout."""
    out = nx.Graph()
    out.add_nodes_from(sorted(nodes))
    out.add_edges_from(sorted(tuple(sorted(e)) for e in graph.subgraph(nodes).edges()))
    return out


def _layout(graph: nx.Graph, seed: int) -> dict:
    """Spring layout of the largest component over the page; smaller ones in rows below it."""
    comps = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    if not comps:
        return {}
    main = _ordered(graph, comps[0])
    raw = nx.spring_layout(main, seed=seed, weight=None, k=1.2 / np.sqrt(len(main)), iterations=200)
    pts = np.array([raw[n] for n in comps[0]])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    pos = {n: (-1 + 2 * (raw[n] - lo) / span) * [1.0, 0.8] + [0.0, 0.2] for n in comps[0]}
    rest = comps[1:]
    cols = max(1, int(np.ceil(np.sqrt(3 * len(rest)))))
    for i, c in enumerate(rest):
        row, col = divmod(i, cols)
        centre = np.array([-1 + (col + 0.5) * 2 / cols, -0.75 - 0.12 * row])
        if len(c) == 1:
            pos[c[0]] = centre
            continue
        sub = nx.spring_layout(_ordered(graph, c), seed=seed, center=(0, 0), scale=0.035)
        for n in c:
            pos[n] = centre + sub[n]
    return pos


_Edge = tuple[str, str, dict[str, Any]]


def _pair_statuses(
    engagement: Engagement | pd.DataFrame | None,
) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """Status of each (mentee, mentor) pair, and of each mentee (its most worrying pair)."""
    pair_status: dict[tuple[str, str], str] = {}
    if engagement is not None:
        eng = _require(
            engagement, {"mentee_id", "mentor_id", "status"}, N_("engagement()"), "engagement"
        )
        pair_status = {
            (a, b): s
            for a, b, s in zip(eng["mentee_id"], eng["mentor_id"], eng["status"], strict=True)
        }
    mentee_status: dict[str, str] = {}
    for (a, _), s in pair_status.items():
        if _SEVERITY[s] >= _SEVERITY.get(mentee_status.get(a, "active"), 0):
            mentee_status[a] = s
    return pair_status, mentee_status


def _edge_kinds(graph: nx.Graph) -> tuple[list[_Edge], list[_Edge], list[_Edge]]:
    """The edges in a stable order, split into pairs, peer ties and other ties."""
    paired: list[_Edge] = []
    peers: list[_Edge] = []
    other: list[_Edge] = []
    for u, v, d in sorted(graph.edges(data=True), key=lambda e: (min(e[:2]), max(e[:2]))):
        (paired if d.get("paired") else peers if d.get("kind") == "peer" else other).append(
            (u, v, d)
        )
    return paired, peers, other


def _edge_widths(edges: list[_Edge]) -> list[float]:
    return [0.4 + 0.6 * np.log1p(d.get("weight", 0)) for _, _, d in edges]


def _draw_edges(
    ax: Axes, graph: nx.Graph, pos: dict, pair_status: dict[tuple[str, str], str]
) -> None:
    """Other ties dotted, peer ties dashed, then pairs (coloured by status when known)."""
    paired, peers, other = _edge_kinds(graph)

    def status_of(u: str, v: str) -> str:
        return pair_status.get((u, v), pair_status.get((v, u), "active"))

    nx.draw_networkx_edges(
        graph,
        pos,
        ax=ax,
        edgelist=[e[:2] for e in other],
        style="dotted",
        edge_color="#bbbbbb",
        width=_edge_widths(other),
    )
    nx.draw_networkx_edges(
        graph,
        pos,
        ax=ax,
        edgelist=[e[:2] for e in peers],
        style="dashed",
        edge_color="#888888",
        width=_edge_widths(peers),
    )
    nx.draw_networkx_edges(
        graph,
        pos,
        ax=ax,
        edgelist=[e[:2] for e in paired],
        width=_edge_widths(paired),
        edge_color=[
            STATUS_COLOURS[status_of(u, v)] if pair_status else "#555555" for u, v, _ in paired
        ],
    )


def _draw_people(
    ax: Axes, graph: nx.Graph, pos: dict, mentee_status: dict[str, str]
) -> tuple[list[str], list[str]]:
    """Mentors as squares sized by load, mentees as circles outlined by status; their ids."""
    nodes = sorted(graph.nodes)
    mentors = [n for n in nodes if graph.nodes[n].get("role") == "mentor"]
    mentees = [n for n in nodes if graph.nodes[n].get("role") == "mentee"]
    load = [sum(1 for v in graph.neighbors(m) if graph.edges[m, v].get("paired")) for m in mentors]
    nx.draw_networkx_nodes(
        graph,
        pos,
        ax=ax,
        nodelist=mentors,
        node_shape="s",
        node_color=ROLE_COLOURS["mentor"],
        node_size=[40 + 40 * k for k in load],
    )
    nx.draw_networkx_nodes(
        graph,
        pos,
        ax=ax,
        nodelist=mentees,
        node_color=ROLE_COLOURS["mentee"],
        node_size=35,
        edgecolors=[
            STATUS_COLOURS[mentee_status[n]] if n in mentee_status else "#555555" for n in mentees
        ],
        linewidths=1.5,
    )
    return mentors, mentees


def _network_legend(pair_status: dict[tuple[str, str], str], t: Translator) -> list[Line2D]:
    """Legend entries: roles, unpaired ties, and the pair statuses that occur."""
    handles = [
        Line2D([], [], marker="s", ls="", color=ROLE_COLOURS["mentor"], label=t.gettext("mentor")),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            mfc=ROLE_COLOURS["mentee"],
            mec="#555555",
            label=t.gettext("mentee"),
        ),
        Line2D([], [], ls="--", color="#888888", label=t.gettext("peer tie (forum, sessions)")),
        Line2D(
            [], [], ls=":", color="#bbbbbb", label=t.gettext("other tie, not a pair (sessions)")
        ),
    ]
    if pair_status:
        handles += [
            Line2D(
                [],
                [],
                color=STATUS_COLOURS[s],
                lw=2,
                label=t.gettext("pair: {status}").format(status=_status_label(s, t)),
            )
            for s in STATUSES
            if s in set(pair_status.values())
        ]
    return handles


def plot_network(
    graph: nx.Graph,
    engagement: Engagement | pd.DataFrame | None = None,
    *,
    seed: int = 0,
    lang: str | None = None,
) -> Figure:
    """Draw the programme graph: mentors and mentees by role, pairs by status.

    Parameters
    ----------
    graph : networkx.Graph
        :func:`ementor_kit.graph.network.programme_graph`.
    engagement : Engagement or DataFrame, optional
        :func:`ementor_kit.graph.engagement_metrics.engagement`, or its table: pair edges and
        the outline of each mentee take the colour of the pair's status (a mentee with several pairs: the most worrying).
    seed : int, default 0
        Seed of the spring layout.
    lang : str, optional
        Language of the title and legend (``"en"`` or ``"fr"``); default the process
        language (:func:`ementor_kit.set_language`).

    Returns
    -------
    matplotlib.figure.Figure
        Mentors are blue squares sized by load, mentees circles; peer ties between mentees
        are dashed grey, other unpaired ties dotted; widths grow with exchanges. The largest
        connected part of the programme fills the page (seeded spring layout); smaller parts
        (a mentor and their mentees without other ties, people without any tie) are lined up
        below it.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("M001", role="mentor")
    >>> g.add_node("E001", role="mentee")
    >>> g.add_edge("M001", "E001", paired=True, kind="mentor_mentee", weight=3)
    >>> fig = plot_network(g)
    >>> fig.axes[0].get_title()
    'Programme network: 1 mentors, 1 mentees'
    """
    if not isinstance(graph, nx.Graph):
        raise ArgumentTypeError("graph", graph, N_("pass the graph made by programme_graph()"))
    t = translator(lang)
    pos = _layout(graph, seed)
    pair_status, mentee_status = _pair_statuses(engagement)
    fig = Figure(figsize=(9, 8))
    ax = fig.add_subplot()
    _draw_edges(ax, graph, pos, pair_status)
    mentors, mentees = _draw_people(ax, graph, pos, mentee_status)
    ax.legend(
        handles=_network_legend(pair_status, t),
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
    )
    ax.set_title(
        t.gettext("Programme network: {mentors} mentors, {mentees} mentees").format(
            mentors=len(mentors), mentees=len(mentees)
        )
    )
    ax.set_axis_off()
    fig.tight_layout()
    return fig
