"""The end-to-end pilot report: intake to evaluation in one self-contained, privacy-safe HTML file.

:func:`pilot_report` runs the whole pilot on a programme - intake and validation, pairing with
the chosen rules, engagement and the check-in list, survey scoring, reliability, pre/post
effects, mentor-mentee agreement on the working alliance, and how engagement relates to
outcomes - and returns a :class:`PilotReport`: the section tables and figures, ready to show,
with the provenance hash of the inputs, the settings and the package version.
:meth:`PilotReport.to_html` writes it as one HTML file (inline CSS, figures as base64 PNG, no
code, no scripts, no external requests) for coordinators, steering committees and researchers.

Privacy rules the report follows
--------------------------------
* Every participant id shown is a keyed pseudonym (HMAC-SHA256 with the study's secret, see
  :func:`ementor_kit.survey.privacy.pseudonymise`); without a key the report is refused. Display
  names, organisations and free text about people are never shown.
* Every table of counts goes through :func:`ementor_kit.survey.privacy.suppress_small_cells`: counts
  from 1 to k - 1 are hidden, plus enough other cells that none can be recomputed from the
  table's own totals. Zeros are shown. Statistics (means, alphas, ICCs, effect sizes) are only
  shown when they rest on at least k responses or pairs; shares only when both their counts
  are shown.
* Dyad-level values (a pair's scores, its agreement, its number of exchanges) are never shown:
  a dyad is a group of two, so its value and one member's own answer give away the other's.
  Only aggregates over pairs appear. The optional pair lists (check-in list, mentees left
  unpaired) show pseudonyms, a status and the rule that set it - nothing else.

Same inputs, settings and key give a byte-identical HTML file (figures are saved without
software metadata; nothing depends on the clock).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import html
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ementor_kit._version import __version__
from ementor_kit.data.validation import Programme, read_programme
from ementor_kit.errors import EmentorKitError
from ementor_kit.provenance import provenance_hash
from ementor_kit.survey.privacy import pseudonymise, study_key, suppress_small_cells

__all__ = [
    "PilotReport",
    "ReportFigure",
    "ReportSection",
    "ReportTable",
    "PREDICTORS",
    "STEPS",
    "engagement_outcome_data",
    "pilot_report",
]

STEPS = (
    "intake",
    "pairing",
    "engagement",
    "scoring",
    "reliability",
    "pre/post effects",
    "agreement",
    "engagement and outcomes",
    "figures",
)
"""The steps :func:`pilot_report` goes through, in order (reported to ``progress``)."""

SUPPRESSED = "s"
"""What a suppressed count shows in the HTML."""

_DEFAULT_INSTRUMENTS = ("gse", "mfq", "wai", "emx")
_WAVES = {
    "mentee_t0": "mentees, T0",
    "mentee_t1": "mentees, T1",
    "mentor_t1": "mentors, T1",
}
_NOT_DECLARED = "(not declared)"
_STATUS_ORDER = ("dormant", "at_risk", "needs_check_in", "not_started", "active")


# --------------------------------------------------------------------------- containers


@dataclass(frozen=True, eq=False)
class ReportTable:
    """One table of the report, already pseudonymised and suppressed.

    Attributes
    ----------
    name : str
        Short identifier (``report.table(name)``).
    title : str
    data : DataFrame
        What the HTML shows: count columns are ``Int64`` with ``<NA>`` where suppressed.
    counts : tuple of str
        Columns holding counts of people, pairs, responses or exchanges.
    formats : mapping of str to str
        Format strings of columns (e.g. ``"{:.3f}"``); other columns are shown as text.
    note : str
        Caption under the table.
    """

    name: str
    title: str
    data: pd.DataFrame
    counts: tuple[str, ...] = ()
    formats: Mapping[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True, eq=False)
class ReportFigure:
    """One figure of the report as PNG bytes (saved without software metadata)."""

    name: str
    title: str
    png: bytes
    alt: str


@dataclass(frozen=True, eq=False)
class ReportSection:
    """One section: paragraphs, tables, figures and (collapsed) pair lists."""

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    figures: tuple[ReportFigure, ...] = ()
    lists: tuple[ReportTable, ...] = ()


@dataclass(frozen=True, eq=False)
class PilotReport:
    """The pilot report: sections of tables and figures, with provenance.

    Attributes
    ----------
    sections : tuple of ReportSection
    provenance : str
        :func:`~ementor_kit.provenance.provenance_hash` of every table of the programme, the
        rules YAML, the settings and the package version (never the key, never timings).
    version : str
        ementor-kit version.
    settings : mapping
        ``as_of``, ``k``, ``rules``, ``instruments``, ``alliance_outcome``, ``pair_lists``.
    key_fingerprint : str
        8 hex digits derived from the key (HMAC of a fixed text): tells which key made the
        pseudonyms without revealing it.
    """

    sections: tuple[ReportSection, ...]
    provenance: str
    version: str
    settings: Mapping[str, Any]
    key_fingerprint: str

    def __repr__(self) -> str:
        n_t = sum(len(s.tables) + len(s.lists) for s in self.sections)
        n_f = sum(len(s.figures) for s in self.sections)
        return (
            f"PilotReport({len(self.sections)} sections, {n_t} tables, {n_f} figures, "
            f"provenance {self.provenance})"
        )

    @property
    def tables(self) -> dict[str, ReportTable]:
        """Every table (pair lists included), by name, in report order."""
        return {t.name: t for s in self.sections for t in (*s.tables, *s.lists)}

    @property
    def figures(self) -> dict[str, ReportFigure]:
        """Every figure, by name, in report order."""
        return {f.name: f for s in self.sections for f in s.figures}

    def table(self, name: str) -> pd.DataFrame:
        """The data of one table, as the HTML shows it (a copy).

        Raises
        ------
        KeyError
            Naming the tables there are.
        """
        tables = self.tables
        if name not in tables:
            raise KeyError(f"no table {name!r}; the report has: {', '.join(tables)}")
        return tables[name].data.copy()

    def to_html(self, path: str | Path | None = None) -> str:
        """The report as one self-contained HTML document; written to ``path`` when given.

        Inline CSS, figures as base64 PNG, no scripts and no external requests: the file can
        be e-mailed or archived as is. Same report, same bytes.
        """
        text = _render(self)
        if path is not None:
            p = Path(path)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(text.encode("utf-8"))
        return text


# --------------------------------------------------------------------------- small helpers


def _fingerprint(raw_key: bytes) -> str:
    return hmac.new(raw_key, b"ementor-kit key fingerprint", hashlib.sha256).hexdigest()[:8]


def _suppress(counts: pd.DataFrame, k: int, *, row_total: bool, col_total: bool) -> pd.DataFrame:
    """Suppress a table of counts with margins, then drop totals that mean nothing.

    Suppression always assumes both margins are known (the safe side); dropping a margin from
    what is shown only removes information.
    """
    counts = counts.astype(np.int64)
    out = suppress_small_cells(counts, k, margins=True)
    if not row_total:
        out = out.drop(index="Total")
    if not col_total:
        out = out.drop(columns="Total")
    return out


def _count_list(values: Mapping[str, int], k: int, label: str, *, total: bool = True):
    """A one-column table of counts by category (Total row), suppressed."""
    index = pd.Index([str(x) for x in values], name=label)
    df = pd.DataFrame({"count": [int(v) for v in values.values()]}, index=index)
    out = _suppress(df, k, row_total=total, col_total=False)
    return out.reset_index()


def _suppress_rows(counts: pd.DataFrame, k: int) -> pd.DataFrame:
    """Suppress each row on its own against its row total (columns have no meaningful total).

    The row total is added as ``Total``; a row with a small cell hides it and enough other
    cells of the row that none can be recomputed from the total.
    """
    rows = [
        suppress_small_cells(counts.iloc[[i]].astype(np.int64), k, margins=True).iloc[[0]]
        for i in range(len(counts))
    ]
    return pd.concat(rows)


def _primary(values: Sequence[int] | pd.Series, k: int) -> pd.Series:
    """Primary suppression only (for the n of a statistic): counts 1..k-1 become NA."""
    s = pd.Series(np.asarray(values, dtype=np.int64))
    out = suppress_small_cells(s.to_frame("n"), k, margins=False)["n"]
    return out.reset_index(drop=True)


def _guard(
    df: pd.DataFrame,
    n_col: str,
    stats: Sequence[str],
    k: int,
    *,
    total: Sequence[int] | None = None,
    shown: Sequence[object] | None = None,
) -> pd.DataFrame:
    """Hide the n of a statistic when small, and the statistics resting on fewer than k.

    Parameters
    ----------
    total : sequence of int, optional
        A published total each n is part of (e.g. all pairs, when n counts the pairs where a
        measure is defined): the n is then protected with its complement ``total - n``
        against that total, so a small complement cannot be recovered by subtraction.
    shown : sequence, optional
        The n as another table already shows it (``<NA>`` where hidden there): used as is,
        so the same count is never hidden in one table and shown in another.
    """
    df = df.reset_index(drop=True)
    raw = df[n_col].fillna(0).astype(np.int64).to_numpy()
    if shown is not None:
        n = pd.Series(pd.array(list(shown), dtype="Int64"))
    elif total is not None:
        both = pd.DataFrame({"n": raw, "rest": np.asarray(total, dtype=np.int64) - raw})
        n = _suppress_rows(both, k)["n"].reset_index(drop=True)
    else:
        n = _primary(raw, k)
    hide = raw < k
    out = df.assign(**{n_col: n})
    for c in stats:
        out[c] = out[c].astype("float64").mask(hide)
    return out


def _share(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den where both are shown (NA otherwise)."""
    n = num.astype("Float64")
    d = den.astype("Float64")
    return (n / d.where(d > 0)).astype("Float64")


def _figure_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, metadata={"Software": None})
    return buf.getvalue()


def _rule_label(status: str, reason: str) -> str:
    """The rule behind a status, without the pair's own numbers."""
    patterns = (
        (r"^no exchange for [\d.]+ days \(> ([\d.]+)\)", r"no exchange for more than \1 days"),
        (
            r"^last message, from the (mentee|mentor), unanswered for [\d.]+ days \(> ([\d.]+)\)",
            r"last message, from the \1, unanswered for more than \2 days",
        ),
        (
            r"^no exchange in the [\d.]+ days since matching \(first exchange expected within "
            r"([\d.]+) days\)",
            r"no first exchange within \1 days of matching",
        ),
        (r"^no exchange yet.*", "no exchange yet"),
        (r"^goal stalled > ([\d.]+) days.*", r"a goal without progress for more than \1 days"),
        (r"^last exchange [\d.]+ days ago", "exchanges within the check-in window"),
    )
    for pattern, label in patterns:
        if re.match(pattern, reason):
            return re.sub(pattern, label, reason)
    return re.sub(r"\d+(?:\.\d+)?", "N", reason)


# --------------------------------------------------------------------------- the builder


class _Builder:
    """Runs the pilot step by step and collects sections and the exclusion ledger."""

    def __init__(
        self,
        programme: Programme,
        rules: Any,
        raw_key: bytes,
        as_of: object,
        k: int,
        instruments: tuple[str, ...],
        alliance_outcome: str,
        pair_lists: bool,
    ) -> None:
        self.p = programme
        self.rules = rules
        self.key = raw_key
        self.as_of_arg = as_of
        self.k = k
        self.instruments = instruments
        self.alliance_outcome = alliance_outcome
        self.pair_lists = pair_lists
        self.ledger: list[tuple[str, pd.DataFrame]] = []
        self.sections: dict[str, ReportSection] = {}
        self.figures: dict[str, list[ReportFigure]] = {}
        self.eng: pd.DataFrame | None = None
        self.as_of: pd.Timestamp | None = None

    # ---------------------------------------------------------------- pseudonyms
    def pseudo(self, df: pd.DataFrame, mentee: Sequence[str] = (), mentor: Sequence[str] = ()):
        out = df
        if mentee:
            out = pseudonymise(out, list(mentee), self.key, length=10, prefix="e-")
        if mentor:
            out = pseudonymise(out, list(mentor), self.key, length=10, prefix="m-")
        return out

    def add_ledger(self, stage: str, values: Mapping[str, int]) -> pd.DataFrame:
        table = _count_list(values, self.k, "what")
        self.ledger.append((stage, table))
        return table

    # ---------------------------------------------------------------- 1. intake
    def intake(self) -> None:
        p, k = self.p, self.k
        from ementor_kit.data.schema import TABLES

        rows = {}
        for name, spec in TABLES.items():
            df = p.surveys.get(name) if name in _WAVES else getattr(p, name, None)
            if df is not None:
                rows[spec.file] = len(df)
        files = pd.DataFrame({"rows": list(rows.values())}, index=pd.Index(rows, name="file"))
        files = suppress_small_cells(files, k, margins=False).reset_index()
        cohorts = pd.DataFrame(
            {
                "mentors": p.mentors["cohort"].astype("str").value_counts(),
                "mentees": p.mentees["cohort"].astype("str").value_counts(),
            }
        ).fillna(0)
        cohorts = cohorts.sort_index()
        cohorts.index.name = "cohort"
        cohorts = _suppress(cohorts, k, row_total=True, col_total=True).reset_index()
        tables = [
            ReportTable(
                "files",
                "Files read (every one passed the data contract)",
                files,
                counts=("rows",),
            ),
            ReportTable(
                "participants",
                "Participants by cohort",
                cohorts,
                counts=("mentors", "mentees", "Total"),
            ),
        ]
        group = p.mentees["group"].astype("str").fillna(_NOT_DECLARED)
        if p.pairs is not None:
            paired = p.mentees["mentee_id"].isin(set(p.pairs["mentee_id"]))
            ct = pd.crosstab(group, paired.map({True: "with a pair", False: "without a pair"}))
            ct = ct.reindex(columns=["with a pair", "without a pair"], fill_value=0)
        else:
            ct = group.value_counts().to_frame("mentees")
        ct = ct.sort_index()
        ct.index.name = "group"
        ct.columns.name = None
        ct = _suppress(ct, k, row_total=True, col_total=ct.shape[1] > 1).reset_index()
        tables.append(
            ReportTable(
                "mentees_by_group",
                "Mentees by declared group and pair in force (pairs.csv)",
                ct,
                counts=tuple(c for c in ct.columns if c != "group"),
                note="qpv: lives in a priority neighbourhood (self-declared, optional).",
            )
        )
        paragraphs = (
            "Every file of the programme folder passed the data contract "
            "(ementor_kit.data.schema): types, allowed values, unique ids and the references "
            "between files. Nothing is coerced or dropped silently: the table 'What was left "
            "out of the analyses, and why' accounts for every exchange and every survey "
            "response that an analysis below could not use.",
        )
        self.sections["intake"] = ReportSection(
            "intake", "1. Intake and validation", paragraphs, tuple(tables)
        )

    # ---------------------------------------------------------------- 2. pairing
    def pairing(self) -> None:
        from ementor_kit.matching import match
        from ementor_kit.matching.rules import MatchRules

        p, k = self.p, self.k
        rules = MatchRules.coerce(self.rules)
        self.rules_obj = rules
        res = match(p.mentors, p.mentees, rules)
        self.match_result = res
        s = res.summary()
        solver = pd.DataFrame(
            {
                "item": [
                    "rules",
                    "objective",
                    "objective value",
                    "solver",
                    "status",
                    "proven optimal",
                    "optimality gap",
                ],
                "value": [
                    _rules_label(rules),
                    s.objective,
                    f"{s.objective_value:.4f}",
                    s.solver,
                    s.status,
                    "yes" if s.proven_optimal else "no",
                    f"{s.gap:.3g}",
                ],
            }
        )
        group = p.mentees["group"].astype("str").fillna(_NOT_DECLARED)
        got = p.mentees["mentee_id"].isin(set(res.pairs["mentee_id"]))
        cov = pd.crosstab(group, got.map({True: "paired", False: "not paired"}))
        cov = cov.reindex(columns=["paired", "not paired"], fill_value=0).sort_index()
        cov.index.name, cov.columns.name = "group", None
        cov = _suppress(cov, k, row_total=True, col_total=True).reset_index()
        cov["coverage"] = _share(cov["paired"], cov["Total"])
        scores = res.pairs[["mentee_id", "score"]].merge(
            p.mentees[["mentee_id", "group"]], on="mentee_id"
        )
        sgroup = scores["group"].astype("str").fillna(_NOT_DECLARED)
        rows = []
        for g in [*sorted(sgroup.unique()), "all"]:
            v = scores["score"].to_numpy(dtype=float)
            if g != "all":
                v = v[(sgroup == g).to_numpy()]
            q = np.quantile(v, [0.1, 0.25, 0.5, 0.75, 0.9]) if len(v) else [np.nan] * 5
            rows.append(
                {
                    "group": g,
                    "pairs": len(v),
                    "mean": float(v.mean()) if len(v) else np.nan,
                    "p10": q[0],
                    "q1": q[1],
                    "median": q[2],
                    "q3": q[3],
                    "p90": q[4],
                }
            )
        paired_shown = dict(zip(cov["group"], cov["paired"], strict=True))
        paired_shown["all"] = paired_shown.pop("Total")
        dist = _guard(
            pd.DataFrame(rows),
            "pairs",
            ["mean", "p10", "q1", "median", "q3", "p90"],
            k,
            shown=[paired_shown[r["group"]] for r in rows],
        )
        un = res.unmatched
        mentee_reasons = (
            un.loc[un["role"] == "mentee", "reason"].astype("str").value_counts().sort_index()
        )
        reason_words = {
            "feasible_mentors_full": "every mentor they could have is full",
            "no_feasible_mentor": "no mentor passes the hard rules",
            "not_selected": "left out by the objective or a quota",
        }
        mentee_un = None
        if len(mentee_reasons):
            mentee_un = _count_list(
                {reason_words.get(r, r): n for r, n in mentee_reasons.items()}, k, "reason"
            )
        mentors_free = un[un["role"] == "mentor"]
        spare = mentors_free.loc[mentors_free["reason"] == "spare_capacity", "spare_capacity"]
        free = pd.DataFrame(
            {
                "count": [
                    int(len(spare)),
                    int(spare.sum()),
                    int((mentors_free["reason"] == "no_capacity").sum()),
                ]
            },
            index=pd.Index(
                ["mentors with free places", "free places", "mentors with capacity 0"],
                name="mentors",
            ),
        )
        free = suppress_small_cells(free, k, margins=False).reset_index()
        tables = [
            ReportTable("pairing_solver", "Optimiser", solver),
            ReportTable(
                "pairing_coverage",
                "Mentees paired by the rules, by group",
                cov,
                counts=("paired", "not paired", "Total"),
                formats={"coverage": "{:.1%}"},
                note=(
                    "Coverage = paired / Total; it is shown only where both counts are shown "
                    f"(neither suppressed: counts from 1 to {k - 1}, and the cells hidden with "
                    "them, are suppressed)."
                ),
            ),
            ReportTable(
                "pairing_scores",
                "Compatibility score of the proposed pairs (0-100)",
                dist,
                counts=("pairs",),
                formats={c: "{:.1f}" for c in ("mean", "p10", "q1", "median", "q3", "p90")},
                note="p10 / p90: 10th and 90th percentiles; q1 / q3: quartiles.",
            ),
        ]
        if mentee_un is not None:
            tables.append(
                ReportTable(
                    "pairing_unmatched",
                    "Mentees the rules leave unpaired, by reason",
                    mentee_un,
                    counts=("count",),
                )
            )
        tables.append(
            ReportTable("pairing_free_places", "Mentor capacity left", free, counts=("count",))
        )
        if p.pairs is not None:
            proposed = set(zip(res.pairs["mentee_id"], res.pairs["mentor_id"], strict=True))
            in_force = set(zip(p.pairs["mentee_id"], p.pairs["mentor_id"], strict=True))
            tables.append(
                ReportTable(
                    "pairing_vs_in_force",
                    "The rules' pairs and the pairs in force (pairs.csv)",
                    _count_list(
                        {
                            "in force and proposed by the rules": len(proposed & in_force),
                            "in force only": len(in_force - proposed),
                            "proposed by the rules only": len(proposed - in_force),
                        },
                        k,
                        "pairs",
                    ),
                    counts=("count",),
                    note="Engagement and outcomes below concern the pairs in force.",
                )
            )
        lists = ()
        unpaired = un[un["role"] == "mentee"]
        if self.pair_lists and len(unpaired):
            lst = unpaired[["person_id", "reason", "detail"]].rename(
                columns={"person_id": "mentee"}
            )
            lst = lst.assign(reason=lst["reason"].map(lambda r: reason_words.get(r, r)))
            lst = self.pseudo(lst, mentee=["mentee"]).sort_values("mentee", kind="stable")
            lists = (
                ReportTable(
                    "list_unpaired",
                    "Mentees the rules leave unpaired (pseudonyms)",
                    lst.reset_index(drop=True),
                ),
            )
        hard = [name for name, on in rules.to_dict().get("hard_rules", {}).items() if on]
        paragraphs = (
            (
                f"Rules '{rules.name}': {(rules.description or '').strip()}"
                if rules.name
                else _rules_label(rules).capitalize()
                + (" (no rules given: MatchRules()). " if rules == MatchRules() else ". ")
                + (rules.description or "").strip()
            ).strip(),
            f"Objective {s.objective}; hard rules: "
            f"{', '.join(str(h) for h in hard) if hard else 'none'}. The optimiser "
            f"({s.solver}) finished with status '{s.status}'"
            + (
                ", proven optimal: no other pairing under these rules does better."
                if s.proven_optimal
                else f", not proven optimal (gap {s.gap:.3g})."
            ),
        )
        self.sections["pairing"] = ReportSection(
            "pairing",
            "2. Pairing with the chosen rules",
            paragraphs,
            tuple(tables),
            lists=lists,
        )
        self.score_groups = scores.assign(group=sgroup)

    # ---------------------------------------------------------------- 3. engagement
    def engagement(self) -> None:
        from ementor_kit.graph.engagement_metrics import engagement
        from ementor_kit.graph.goals import goal_progress

        p, k = self.p, self.k
        if p.pairs is None or p.interactions is None:
            self.sections["engagement"] = ReportSection(
                "engagement",
                "3. Engagement and check-ins",
                ("Not available: the folder has no pairs.csv or no interactions.csv yet.",),
            )
            return
        as_of = self.as_of_arg
        if as_of is None and len(p.interactions):
            as_of = pd.Timestamp(p.interactions["timestamp"].max())
        gp = None
        if p.goals is not None:
            gp = goal_progress(p.goals, p.goal_updates, p.pairs, as_of=as_of)
        eng = engagement(p.interactions, p.pairs, as_of=as_of, goal_progress=gp)
        self.eng = eng
        self.as_of = eng.attrs["as_of"]
        th = eng.attrs["thresholds"]
        counts = eng["status"].value_counts().reindex(list(_STATUS_ORDER), fill_value=0)
        status = _count_list(dict(counts.items()), k, "status")
        status["share"] = _share(
            status["count"], pd.Series([status["count"].iloc[-1]] * len(status))
        )
        need = eng[eng["needs_action"]]
        rules = [
            f"{st}: {_rule_label(st, r)}"
            for st, r in zip(need["status"], need["status_reason"], strict=True)
        ]
        rule_counts = pd.Series(rules, dtype="str").value_counts()
        order = {s: i for i, s in enumerate(_STATUS_ORDER)}
        keys = sorted(rule_counts.index, key=lambda r: (order.get(r.split(":")[0], 9), r))
        check = (
            _count_list({r: int(rule_counts[r]) for r in keys}, k, "status: rule") if keys else None
        )
        measures = {
            "exchanges per pair": eng["n_exchanges"],
            "sync share (video, phone)": eng["sync_share"],
            "median response time (hours)": eng["median_response_hours"],
            "share of conversations started by the mentee": eng["mentee_initiation_share"],
            "active weeks / weeks observed": eng["active_weeks"] / eng["weeks_observed"],
            "longest silence (days)": eng["longest_gap_days"],
        }
        rows = []
        for name, v in measures.items():
            x = pd.to_numeric(v, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            x = x[~np.isnan(x)]
            q = np.quantile(x, [0.25, 0.5, 0.75]) if len(x) else [np.nan] * 3
            rows.append(
                {
                    "measure": name,
                    "pairs": len(x),
                    "mean": x.mean() if len(x) else np.nan,
                    "q1": q[0],
                    "median": q[1],
                    "q3": q[2],
                }
            )
        meas = _guard(
            pd.DataFrame(rows),
            "pairs",
            ["mean", "q1", "median", "q3"],
            k,
            total=[len(eng)] * len(rows),
        )
        unused = eng.attrs["unused_interactions"]
        n_log = len(p.interactions)
        ledger = {"used for a pair": n_log - int(sum(unused.values()))}
        ledger.update({str(r): int(n) for r, n in sorted(unused.items())})
        self.add_ledger("exchange log (interactions.csv)", ledger)
        tables = [
            ReportTable(
                "engagement_status",
                "Pairs by status",
                status,
                counts=("count",),
                formats={"share": "{:.1%}"},
            ),
        ]
        if check is not None:
            tables.append(
                ReportTable(
                    "check_in_rules",
                    "Pairs needing a coordinator's attention, by the rule that flagged them",
                    check,
                    counts=("count",),
                )
            )
        tables.append(
            ReportTable(
                "engagement_measures",
                "Engagement measures over pairs",
                meas,
                counts=("pairs",),
                formats={c: "{:.2f}" for c in ("mean", "q1", "median", "q3")},
                note="A measure is over the pairs where it is defined (e.g. a response time "
                "needs a reply).",
            )
        )
        lists = ()
        if self.pair_lists and len(need):
            lst = need.assign(
                _o=need["status"].map(order), _d=-need["days_since_last_contact"].fillna(-1)
            )
            lst = lst[["mentee_id", "mentor_id", "status", "status_reason", "_o", "_d"]]
            lst = self.pseudo(lst, mentee=["mentee_id"], mentor=["mentor_id"])
            lst = lst.sort_values(["_o", "_d", "mentee_id", "mentor_id"], kind="stable")
            lst = lst.drop(columns=["_o", "_d"]).rename(
                columns={"mentee_id": "mentee", "mentor_id": "mentor", "status_reason": "rule"}
            )
            lists = (
                ReportTable(
                    "list_check_in",
                    "Check-in list (pseudonyms; resolve them with the study key)",
                    lst.reset_index(drop=True),
                ),
            )
        paragraphs = (
            f"Engagement as of {self.as_of:%Y-%m-%d %H:%M} UTC, from the exchange log of the "
            "pairs in force. Statuses come from transparent rules (days): no exchange for "
            f"more than {th['check_in_days']:g} days asks for a check-in, {th['at_risk_days']:g}"
            f" days means at risk, {th['dormant_days']:g} dormant; a message unanswered for "
            f"more than {th['unanswered_days']:g} days or a goal without progress also asks "
            f"for a check-in; a pair without any exchange {th['first_contact_days']:g} days "
            "after matching needs a nudge.",
            "Measures are aggregated over pairs: a pair's own counts are not shown.",
        )
        self.sections["engagement"] = ReportSection(
            "engagement",
            "3. Engagement and check-ins",
            paragraphs,
            tuple(tables),
            lists=lists,
        )

    # ---------------------------------------------------------------- 4. scoring
    def _waves(self, instrument) -> list[tuple[str, pd.DataFrame]]:
        out = []
        for wave in _WAVES:
            df = self.p.surveys.get(wave)
            if df is not None and set(instrument.item_ids) <= set(df.columns):
                out.append((wave, df))
        return out

    def scoring(self) -> None:
        from ementor_kit.survey.instruments import load_instrument
        from ementor_kit.survey.scoring import score

        k = self.k
        self.insts = [load_instrument(i) for i in self.instruments]
        rows, counts = [], []
        self.scores: dict[tuple[str, str], pd.DataFrame] = {}
        for inst in self.insts:
            for wave, df in self._waves(inst):
                sc = score(df, inst)
                self.scores[(wave, inst.id)] = sc
                for sub in inst.subscales:
                    v = sc[f"{inst.id}_{sub.id}"].to_numpy(dtype=float)
                    ok = ~np.isnan(v)
                    rows.append(
                        {
                            "wave": _WAVES[wave],
                            "instrument": inst.name,
                            "subscale": sub.label,
                            "mean": v[ok].mean() if ok.any() else np.nan,
                            "sd": v[ok].std(ddof=1) if ok.sum() > 1 else np.nan,
                        }
                    )
                    counts.append((int(ok.sum()), int((~ok).sum())))
        if not rows:
            self.sections["scoring"] = ReportSection(
                "scoring",
                "4. Survey scoring",
                (
                    "Not available: no survey file holds all the items of "
                    f"{', '.join(self.instruments)}.",
                ),
            )
            return
        table = pd.DataFrame(rows)
        ct = _suppress_rows(pd.DataFrame(counts, columns=["scored", "too few items"]), k)
        table.insert(3, "scored", [c[0] for c in counts])
        table.insert(4, "too few items", ct["too few items"].array)
        table = _guard(table, "scored", ["mean", "sd"], k, shown=ct["scored"].array)
        self.sections["scoring"] = ReportSection(
            "scoring",
            "4. Survey scoring",
            (
                "Each subscale is scored as its instrument defines it (reverse-keyed items "
                "recoded against the theoretical bounds; mean or sum of the answered items). A "
                "response with fewer answered items than the instrument's minimum gets no "
                "score for that subscale: it is counted under 'too few items', never imputed.",
            ),
            (
                ReportTable(
                    "scores",
                    "Scores by wave, instrument and subscale",
                    table,
                    counts=("scored", "too few items"),
                    note="Responses per wave: see 'Files read'.",
                    formats={"mean": "{:.2f}", "sd": "{:.2f}"},
                ),
            ),
        )

    # ---------------------------------------------------------------- 5. reliability
    def reliability(self) -> None:
        from ementor_kit.survey.internal_consistency import reliability

        frames = []
        for inst in getattr(self, "insts", []):
            for wave, df in self._waves(inst):
                sc = reliability(df, inst).scales
                frames.append(sc.assign(wave=_WAVES[wave]))
        if not frames:
            self.sections["reliability"] = ReportSection(
                "reliability", "5. Reliability", ("Not available: no survey data.",)
            )
            return
        rel = pd.concat(frames, ignore_index=True)
        table = pd.DataFrame(
            {
                "wave": rel["wave"],
                "instrument": rel["instrument"],
                "subscale": rel["label"],
                "items": rel["k"].astype(np.int64),
                "n": rel["n"].astype(np.int64),
                "alpha": rel["alpha"],
                "alpha CI low": rel["alpha_low"],
                "alpha CI high": rel["alpha_high"],
                "omega total": rel["omega_total"],
            }
        )
        table = _guard(
            table, "n", ["alpha", "alpha CI low", "alpha CI high", "omega total"], self.k
        )
        self.sections["reliability"] = ReportSection(
            "reliability",
            "5. Reliability of every subscale",
            (
                "Cronbach's alpha (pairwise-complete covariances) with its Feldt 95 % interval, "
                "and McDonald's omega total from a one-factor minres fit (as R psych reports "
                "it), after reverse keying. Omega needs three items or more, each with some "
                "variance: two-item subscales show '–'. Values around .70 or more are usual "
                "for group comparisons; a short subscale is expected to be lower.",
            ),
            (
                ReportTable(
                    "reliability",
                    "Internal consistency by wave and subscale",
                    table,
                    counts=("n",),
                    formats={
                        c: "{:.3f}"
                        for c in ("alpha", "alpha CI low", "alpha CI high", "omega total")
                    },
                ),
            ),
        )

    # ---------------------------------------------------------------- 6. pre/post
    def prepost(self) -> None:
        from ementor_kit.survey.effects import compare_waves

        k = self.k
        t0, t1 = self.p.surveys.get("mentee_t0"), self.p.surveys.get("mentee_t1")
        effects, attrition, notes = [], [], []
        labels: dict[str, str] = {}
        pairs_shown: list[object] = []
        for inst in getattr(self, "insts", []):
            if t0 is None or t1 is None:
                break
            if not (
                set(inst.item_ids) <= set(t0.columns) and set(inst.item_ids) <= set(t1.columns)
            ):
                continue
            cw = compare_waves(t0, t1, inst)
            effects.append(cw.effects.assign(instrument=inst.name))
            attrition.append(cw.attrition.assign(instrument=inst.name))
            labels.update({sub.id: sub.label for sub in inst.subscales})
            a = cw.attrition.iloc[0]
            n_both = int(a["n_both"])
            ex = cw.effects.set_index("subscale")["n_excluded"]
            key_sub = "total" if "total" in ex.index else str(ex.idxmax())
            excluded = int(ex[key_sub])
            led = self.add_ledger(
                f"{inst.name} T0 -> T1 (mentees)",
                {
                    "answered both waves, scored in both": n_both - excluded,
                    "answered both waves, too few items in one": excluded,
                    "answered T0 only (dropped out)": int(a["n_dropouts"]),
                    "answered T1 only": int(a["n_t1_only"]),
                },
            )
            notes.append(inst.name)
            shown_both = led.loc[led["what"] == "answered both waves, scored in both", "count"]
            for sub, n_pairs, n_ex in zip(
                cw.effects["subscale"], cw.effects["n_pairs"], cw.effects["n_excluded"], strict=True
            ):
                if sub == key_sub:
                    pairs_shown.append(shown_both.iloc[0])
                else:
                    rows = pd.DataFrame({"n": [int(n_pairs)], "rest": [int(n_ex)]})
                    pairs_shown.append(_suppress_rows(rows, k)["n"].iloc[0])
        if not effects:
            self.sections["prepost"] = ReportSection(
                "prepost",
                "6. Change from T0 to T1",
                ("Not available: no instrument was answered by mentees at both T0 and T1.",),
            )
            return
        eff = pd.concat(effects, ignore_index=True)
        eff_t = pd.DataFrame(
            {
                "instrument": eff["instrument"],
                "subscale": eff["label"],
                "pairs": eff["n_pairs"].astype(np.int64),
                "mean T0": eff["mean_t0"],
                "mean T1": eff["mean_t1"],
                "difference": eff["mean_diff"],
                "CI low": eff["ci_low"],
                "CI high": eff["ci_high"],
                "t": eff["t"],
                "df": eff["df"],
                "p": eff["p_t"],
                "d_z": eff["d_z"],
                "d_av": eff["d_av"],
                "g_av": eff["g_av"],
            }
        )
        stats = [c for c in eff_t.columns if c not in ("instrument", "subscale", "pairs")]
        eff_t = _guard(eff_t, "pairs", stats, k, shown=pairs_shown)
        att = pd.concat(attrition, ignore_index=True)
        att_t = pd.DataFrame(
            {
                "instrument": att["instrument"],
                "subscale": [labels[s] for s in att["subscale"]],
                "dropouts scored": att["n_dropouts_scored"].astype(np.int64),
                "completers scored": att["n_completers_scored"].astype(np.int64),
                "T0 mean, dropouts": att["mean_t0_dropouts"],
                "T0 mean, completers": att["mean_t0_completers"],
                "difference": att["diff"],
                "CI low": att["ci_low"],
                "CI high": att["ci_high"],
                "p": att["p"],
                "g": att["g"],
            }
        )
        astats = [c for c in att_t.columns[4:]]
        att_t = _guard(att_t, "dropouts scored", astats, k)
        att_t = _guard(att_t, "completers scored", astats, k)
        f3 = "{:.3f}"
        self.sections["prepost"] = ReportSection(
            "prepost",
            "6. Change from T0 to T1",
            (
                f"Mentees who answered both waves ({', '.join(notes)}), paired by their id. "
                "d_z = mean difference / SD of the differences; d_av = mean difference / "
                "sqrt((SD_T0^2 + SD_T1^2) / 2); g_av = d_av with Hedges' small-sample correction "
                "(df = pairs - 1). The interval is that of the mean difference (paired t). "
                "Positive means higher at T1.",
                "Without a comparison group, change from T0 to T1 is not the effect of the "
                "programme: maturation, the season and regression to the mean change scores "
                "too. The attrition table checks whether those who dropped out differed at T0.",
            ),
            (
                ReportTable(
                    "prepost",
                    "Pre/post change (paired)",
                    eff_t,
                    counts=("pairs",),
                    formats={
                        **{c: "{:.2f}" for c in stats},
                        "df": "{:.0f}",
                        "p": "p",
                        "d_z": f3,
                        "d_av": f3,
                        "g_av": f3,
                    },
                ),
                ReportTable(
                    "attrition",
                    "Attrition: T0 scores of dropouts and completers (Welch t)",
                    att_t,
                    counts=("dropouts scored", "completers scored"),
                    formats={**{c: "{:.2f}" for c in astats}, "p": "p", "g": f3},
                    note="Counts of who answered which wave: see 'What was left out'.",
                ),
            ),
        )

    # ---------------------------------------------------------------- 7. agreement
    def agreement(self) -> None:
        from ementor_kit.survey.agreement import dyad_agreement

        k = self.k
        e1, m1, pairs = (
            self.p.surveys.get("mentee_t1"),
            self.p.surveys.get("mentor_t1"),
            self.p.pairs,
        )
        from ementor_kit.survey.instruments import load_instrument

        wai = load_instrument("wai")
        if (
            e1 is None
            or m1 is None
            or pairs is None
            or not set(wai.item_ids) <= set(e1.columns)
            or not set(wai.item_ids) <= set(m1.columns)
        ):
            self.sections["agreement"] = ReportSection(
                "agreement",
                "7. Mentor-mentee agreement on the working alliance",
                (
                    "Not available: needs pairs.csv and the WAI-SR answered by mentees and "
                    "mentors at T1.",
                ),
            )
            return
        da = dyad_agreement(m1, e1, pairs, wai)
        s = da.summary
        labels = {sub.id: sub.label for sub in wai.subscales}
        table = pd.DataFrame(
            {
                "subscale": s["subscale"].map(labels),
                "pairs": s["n_pairs"].astype(np.int64),
                "ICC(A,1)": s["icc_a1"],
                "A CI low": s["icc_a1_low"],
                "A CI high": s["icc_a1_high"],
                "ICC(C,1)": s["icc_c1"],
                "C CI low": s["icc_c1_low"],
                "C CI high": s["icc_c1_high"],
                "mean r_wg": s["rwg_mean"],
                "median r_wg": s["rwg_median"],
            }
        )
        stats = list(table.columns[2:])
        table = _guard(table, "pairs", stats, k)
        rwg = _suppress_rows(
            pd.DataFrame(
                {
                    "r_wg >= .70": s["n_rwg_70"].astype(np.int64).to_numpy(),
                    "r_wg < .70": (s["n_pairs"] - s["n_rwg_70"]).astype(np.int64).to_numpy(),
                }
            ),
            k,
        )
        n70 = pd.array(rwg["r_wg >= .70"].to_numpy(), dtype="Int64")
        table["pairs with r_wg >= .70"] = pd.Series(n70).mask(table["pairs"].isna().to_numpy())
        used = {
            "mentee": int(len(da.per_pair)),
            "mentor": int(len(da.per_pair)),
        }
        issues = da.unmatched.groupby(["role", "issue"]).size()
        ledger = {
            "mentee responses in a pair where both answered": used["mentee"],
            "mentor responses in a pair where both answered": used["mentor"],
        }
        for (role, issue), n in issues.items():
            ledger[f"{role} responses: {issue}"] = int(n)
        self.add_ledger("WAI-SR agreement (T1, both sides)", ledger)
        self.sections["agreement"] = ReportSection(
            "agreement",
            "7. Mentor-mentee agreement on the working alliance",
            (
                "Both sides of a pair rated their working alliance (WAI-SR) at T1. ICC(A,1) is "
                "absolute agreement, ICC(C,1) consistency (McGraw & Wong 1996, F-based 95 % "
                "intervals) over the pairs where both answered; r_wg(J) is the within-pair "
                "agreement on the subscale's items (1 = identical answers, 0 = as different as "
                "random answers).",
                "Pair-level scores and agreement are not shown: a pair is a group of two, so "
                "its value together with one member's own answers would give away the other's.",
            ),
            (
                ReportTable(
                    "agreement",
                    "Agreement between mentor and mentee (pairs where both answered)",
                    table,
                    counts=("pairs", "pairs with r_wg >= .70"),
                    formats={c: "{:.3f}" for c in stats},
                    note="r_wg(J) >= .70 is the usual threshold of agreement within a pair.",
                ),
            ),
        )

    # ---------------------------------------------------------------- 8. regression
    def regression(self) -> None:
        from ementor_kit.survey.instruments import load_instrument
        from ementor_kit.survey.regression import ols

        k = self.k
        e1, pairs, eng = self.p.surveys.get("mentee_t1"), self.p.pairs, self.eng
        wai = load_instrument("wai")
        title = "8. Engagement and outcomes"
        if e1 is None or pairs is None or eng is None or not set(wai.item_ids) <= set(e1.columns):
            self.sections["regression"] = ReportSection(
                "regression",
                title,
                (
                    "Not available: needs the exchange log, pairs.csv and the mentees' WAI-SR "
                    "at T1.",
                ),
            )
            return
        data = engagement_outcome_data(e1, pairs, eng, subscale=self.alliance_outcome)
        predictors = list(PREDICTORS)
        reasons = data["left_out"].value_counts()
        used = int(reasons.get("", 0))
        ledger = {"in the model": used}
        ledger.update({str(r): int(n) for r, n in reasons.sort_index().items() if r})
        self.add_ledger("engagement and outcomes (mentee T1 responses)", ledger)
        data = data[data["left_out"] == ""]
        label = wai.subscale(self.alliance_outcome).label
        terms = {
            "const": "intercept",
            "sync_share": "sync share (0-1)",
            "log_exchanges": "log(1 + exchanges)",
            "median_response_hours": "median response time (hours)",
        }
        if used <= len(predictors) + 1 or used < k:
            self.sections["regression"] = ReportSection(
                "regression",
                title,
                (
                    f"Not reported: {used} usable responses are too few for a model with "
                    f"{len(predictors)} predictors (and the suppression threshold k = {k}).",
                ),
            )
            return
        fit = ols(data, "outcome", predictors, cov_type="HC3")
        self.fit, self.fit_data = fit, data
        coef = fit.coefficients.reset_index()
        coef_t = pd.DataFrame(
            {
                "term": coef["term"].map(terms),
                "coefficient": coef["coef"],
                "SE (HC3)": coef["se"],
                "CI low": coef["ci_low"],
                "CI high": coef["ci_high"],
                "t": coef["t"],
                "p": coef["p"],
                "standardised": coef["std_coef"],
            }
        )
        fit_t = pd.DataFrame(
            {
                "outcome": [f"mentee WAI-SR {label}, T1"],
                "n": [fit.n],
                "R2": [fit.r2],
                "adjusted R2": [fit.adj_r2],
                "errors": [fit.cov_type],
            }
        )
        fit_t["n"] = _primary(fit_t["n"], k)
        fig = Figure(figsize=(8, 3))
        ax = fig.add_subplot()
        c = fit.coefficients.drop(index="const")
        sd_ratio = c["std_coef"] / c["coef"]
        y = np.arange(len(c))[::-1]
        ax.errorbar(
            c["std_coef"],
            y,
            xerr=[
                (c["coef"] - c["ci_low"]) * sd_ratio,
                (c["ci_high"] - c["coef"]) * sd_ratio,
            ],
            fmt="o",
            color="#386cb0",
            capsize=4,
        )
        ax.axvline(0, color="0.5", linewidth=0.8)
        ax.set_yticks(y, [terms[t] for t in c.index])
        ax.set_xlabel("SD of the outcome per SD of the predictor (95 % CI)")
        ax.set_title(
            f"T1 WAI-SR {label.lower()} (mentees): standardised coefficients", fontsize="medium"
        )
        fig.tight_layout()
        self.figures.setdefault("regression", []).append(
            ReportFigure(
                "regression_coefficients",
                "Engagement and the working alliance: standardised coefficients",
                _figure_png(fig),
                "Standardised OLS coefficients with 95 % confidence intervals for sync share, "
                "log exchanges and median response time.",
            )
        )
        caveat = (
            "Read these coefficients as associations, not effects. The data are observational: "
            "pairs chose how and how much to exchange, so pairs that get on well may both "
            "exchange more and rate their alliance higher (selection and confounding by how "
            "well matched the pair is, motivation or availability). The direction can run "
            "backwards - a good alliance leads to more exchanges - and exchanges after the T1 "
            "survey are counted too (reverse causality). Mentees who dropped out or did not "
            "answer at T1 are missing, and they are likely to be those with the weakest "
            "relationships (attrition bias, see 'What was left out'). This report runs many "
            "tests (pre/post, intervals, three coefficients here): a p-value below .05 "
            "among them can arise by chance (multiple comparisons); no correction is applied. "
            "HC3 standard errors protect against unequal residual variance, not against these "
            "problems. A randomised comparison (e.g. of check-in cadences) is needed to claim "
            "an effect."
        )
        self.sections["regression"] = ReportSection(
            "regression",
            title,
            (
                f"Ordinary least squares of the mentee's T1 WAI-SR {label} on the pair's sync "
                "share, log(1 + number of exchanges) and median response time (hours), with "
                "HC3 heteroskedasticity-robust standard errors. One row per mentee T1 response "
                "linked to a pair in force; rows without a score or without the measures are "
                "counted in 'What was left out'.",
                caveat,
            ),
            (
                ReportTable(
                    "regression",
                    "Coefficients",
                    coef_t,
                    formats={
                        **{c: "{:.3f}" for c in coef_t.columns[1:]},
                        "p": "p",
                    },
                ),
                ReportTable(
                    "regression_fit",
                    "Model",
                    fit_t,
                    counts=("n",),
                    formats={"R2": "{:.3f}", "adjusted R2": "{:.3f}"},
                ),
            ),
        )

    # ---------------------------------------------------------------- figures
    def make_figures(self) -> None:
        from ementor_kit.graph.activity import weekly_activity
        from ementor_kit.graph.plots import plot_retention, plot_sync_async
        from ementor_kit.graph.survival import retention

        k = self.k
        sg = getattr(self, "score_groups", None)
        if sg is not None and len(sg):
            groups = [g for g in sorted(sg["group"].unique()) if int((sg["group"] == g).sum()) >= k]
            if groups:
                fig = Figure(figsize=(6.5, 3.2))
                ax = fig.add_subplot()
                data = [sg.loc[sg["group"] == g, "score"].to_numpy(dtype=float) for g in groups]
                ax.boxplot(data, whis=(5, 95), showfliers=False, tick_labels=groups)
                ax.set_ylabel("compatibility score (0-100)")
                ax.set_title(
                    "Scores of the proposed pairs by mentee group (whiskers: 5th-95th pct)",
                    fontsize="medium",
                )
                fig.tight_layout()
                self.figures.setdefault("pairing", []).append(
                    ReportFigure(
                        "pairing_scores",
                        "Compatibility scores by group",
                        _figure_png(fig),
                        "Box plots of the pair scores by mentee group, without individual points.",
                    )
                )
        if self.eng is not None:
            p = self.p
            weekly = weekly_activity(p.interactions, p.pairs, as_of=self.as_of)
            self.figures.setdefault("engagement", []).append(
                ReportFigure(
                    "sync_async",
                    "Exchanges by week since matching",
                    _figure_png(plot_sync_async(weekly)),
                    "Stacked bars of synchronous and asynchronous exchanges of all pairs by "
                    "week since matching, with the synchronous share.",
                )
            )
            self.figures["engagement"].append(
                ReportFigure(
                    "retention",
                    "Retention",
                    _figure_png(plot_retention(retention(self.eng))),
                    "Kaplan-Meier curve of the share of pairs still active by week since matching.",
                )
            )

    # ---------------------------------------------------------------- assemble
    def ledger_table(self) -> ReportTable:
        frames = [df.assign(stage=stage) for stage, df in self.ledger]
        if frames:
            led = pd.concat(frames, ignore_index=True)[["stage", "what", "count"]]
        else:
            led = pd.DataFrame(
                {
                    "stage": pd.Series(dtype="str"),
                    "what": pd.Series(dtype="str"),
                    "count": pd.Series(dtype="Int64"),
                }
            )
        return ReportTable(
            "left_out",
            "What was left out of the analyses, and why",
            led,
            counts=("count",),
            note="Each stage lists what was used and every reason something was not; "
            "'Total' is everything that reached the stage.",
        )

    def assemble(self) -> tuple[ReportSection, ...]:
        out = []
        for key in (
            "intake",
            "pairing",
            "engagement",
            "scoring",
            "reliability",
            "prepost",
            "agreement",
            "regression",
        ):
            s = self.sections[key]
            tables = s.tables
            if key == "intake":
                tables = (*tables, self.ledger_table())
            figs = tuple(self.figures.get(key, ()))
            out.append(dataclasses.replace(s, tables=tables, figures=(*s.figures, *figs)))
        return tuple(out)


PREDICTORS = ("sync_share", "log_exchanges", "median_response_hours")
"""Engagement measures of the report's regression: sync share, log(1 + exchanges), median
response time in hours."""


def engagement_outcome_data(
    responses: pd.DataFrame,
    pairs: pd.DataFrame,
    engagement: pd.DataFrame,
    *,
    subscale: str = "total",
    instrument: str = "wai",
) -> pd.DataFrame:
    """Mentee outcomes next to their pair's engagement: the data of the engagement regression.

    Each response is linked to its pair (``target_id``, or the mentee's only mentor in
    ``pairs``), scored on the instrument, and joined to the pair's engagement measures.

    Parameters
    ----------
    responses : DataFrame
        Mentee responses (e.g. ``surveys["mentee_t1"]``) with ``respondent_id`` and, when
        given, ``target_id``.
    pairs : DataFrame
        The pairs in force (``pairs.csv``).
    engagement : DataFrame
        :func:`ementor_kit.graph.engagement_metrics.engagement` of those pairs.
    subscale : str, default "total"
        Subscale of the instrument used as the outcome.
    instrument : str, default "wai"

    Returns
    -------
    DataFrame
        One row per response, in the responses' order: ``mentee_id``, ``mentor_id``,
        ``outcome``, ``n_exchanges``, ``sync_share``, ``log_exchanges`` (log(1 + exchanges)),
        ``median_response_hours`` and ``left_out``: ``""`` for a row the model can use, else
        the reason (``not linked to a pair in force: ...``, ``no score (too few items)``,
        ``pair without any exchange``, ``pair without a reply (no response time)``).

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"wai_{i}" for i in range(1, 13)]
    >>> resp = pd.DataFrame([["E1", *[4] * 12], ["E2", *[2] * 12], ["E9", *[3] * 12]],
    ...                     columns=["respondent_id", *items])
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"]})
    >>> eng = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"],
    ...                     "n_exchanges": [9, 0], "sync_share": [0.5, None],
    ...                     "median_response_hours": [6.0, None]})
    >>> engagement_outcome_data(resp, pairs, eng)[["mentee_id", "outcome", "left_out"]]
      mentee_id  outcome                                   left_out
    0        E1      4.0
    1        E2      2.0                  pair without any exchange
    2        E9      3.0  not linked to a pair in force: no pair
    """
    from ementor_kit.survey.agreement import link_to_pairs
    from ementor_kit.survey.instruments import load_instrument
    from ementor_kit.survey.scoring import score

    inst = load_instrument(instrument)
    col = f"{inst.id}_{inst.subscale(subscale).id}"
    resp = responses.reset_index(drop=True)
    link = link_to_pairs(resp, pairs, "mentee")
    outcome = score(resp, inst, keep=[])[col].to_numpy(dtype=float)
    issue = link["issue"].to_numpy(dtype=object)
    reason = np.where(issue == "", "", "not linked to a pair in force: " + issue).astype(object)
    data = pd.DataFrame(
        {
            "mentee_id": link["respondent_id"].astype("str").to_numpy(),
            "mentor_id": link["mentor_id"].to_numpy(),
            "outcome": outcome,
        }
    ).astype({"mentee_id": "str", "mentor_id": "str"})
    e = engagement[["mentee_id", "mentor_id", "n_exchanges", "sync_share", "median_response_hours"]]
    data = data.merge(e, on=["mentee_id", "mentor_id"], how="left", validate="many_to_one")
    data["n_exchanges"] = data["n_exchanges"].astype("float64")
    data["log_exchanges"] = np.log1p(data["n_exchanges"])
    data["sync_share"] = data["sync_share"].astype("float64")
    data["median_response_hours"] = data["median_response_hours"].astype("float64")
    free = reason == ""
    no_score = free & np.isnan(outcome)
    reason[no_score] = "no score (too few items)"
    free &= ~no_score
    no_exch = free & (data["n_exchanges"].fillna(0).to_numpy() == 0)
    reason[no_exch] = "pair without any exchange"
    free &= ~no_exch
    no_reply = free & data["median_response_hours"].isna().to_numpy()
    reason[no_reply] = "pair without a reply (no response time)"
    data["left_out"] = pd.array(reason, dtype="str")
    return data[
        ["mentee_id", "mentor_id", "outcome", "n_exchanges", "sync_share", "log_exchanges"]
        + ["median_response_hours", "left_out"]
    ]


def _settings_text(settings: Mapping[str, Any], rules_yaml: str) -> str:
    lines = [f"{k}: {v!r}" for k, v in sorted(settings.items()) if k != "rules"]
    return rules_yaml + "\n" + "\n".join(lines)


def pilot_report(
    programme: Programme | str | Path,
    rules: Any = None,
    *,
    key: str | bytes | None = None,
    as_of: object = None,
    k: int = 5,
    instruments: Sequence[str] = _DEFAULT_INSTRUMENTS,
    alliance_outcome: str = "total",
    pair_lists: bool = True,
    progress: Callable[[str], None] | None = None,
) -> PilotReport:
    """Run the whole pilot on a programme and gather a privacy-safe report.

    Parameters
    ----------
    programme : Programme, str or Path
        A validated programme (:func:`~ementor_kit.data.validation.read_programme`,
        :func:`~ementor_kit.samples.load_sample`) or the path of a programme folder.
    rules : MatchRules, dict, YAML path or text, optional
        The pairing rules to report on (default ``MatchRules()``), e.g.
        ``"data/samples/rules/default.yaml"``.
    key : str or bytes, optional
        The study's secret for the pseudonyms (at least 16 bytes); default: the
        ``EMENTOR_KIT_KEY`` environment variable. Refused without one.
    as_of : date, str or time-zone aware timestamp, optional
        Moment of the engagement assessment (default: the last exchange in the log).
    k : int, default 5
        Smallest count shown (counts 1 to k - 1 are suppressed).
    instruments : sequence of str
        Instruments scored, checked for reliability and, when mentees answered them at T0 and
        T1, compared between waves (default GSE, MFQ-9, WAI-SR, EMX-8; each wave uses those
        whose items it holds).
    alliance_outcome : str, default "total"
        WAI-SR subscale used as the outcome of the engagement regression (``task``, ``bond``,
        ``goal`` or ``total``).
    pair_lists : bool, default True
        Include the pseudonymised check-in list and the list of mentees left unpaired. Set
        False for a report shared outside the programme team (aggregates only).
    progress : callable, optional
        Called with the name of each step of :data:`STEPS` as it starts.

    Returns
    -------
    PilotReport

    Raises
    ------
    EmentorKitError
        Without a key (before any work), or when an input breaks the data contract
        (:class:`~ementor_kit.errors.DataValidationError`) or the rules cannot be met.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> prog = generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3)
    >>> rep = pilot_report(prog, key="demo-key-for-synthetic-data")
    >>> [s.id for s in rep.sections]  # doctest: +NORMALIZE_WHITESPACE
    ['intake', 'pairing', 'engagement', 'scoring', 'reliability', 'prepost', 'agreement',
     'regression']
    >>> rep.provenance.startswith("ek1-"), rep.to_html() == rep.to_html()
    (True, True)
    >>> pilot_report(prog, key="too-short")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'key': the pseudonymisation key is 9 bytes long. Fix: ...
    """
    raw_key = study_key(key)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise EmentorKitError(f"k={k!r}: pass a whole number >= 1 (5 is common, 10 stricter)")
    from ementor_kit.survey.instruments import load_instrument

    wai = load_instrument("wai")
    if alliance_outcome not in {s.id for s in wai.subscales}:
        raise EmentorKitError(
            f"alliance_outcome={alliance_outcome!r}: use one of "
            f"{', '.join(s.id for s in wai.subscales)}"
        )
    insts = tuple(load_instrument(i).id for i in instruments)
    if not isinstance(programme, Programme):
        programme = read_programme(programme)
    from ementor_kit.matching.rules import MatchRules

    rules_obj = MatchRules.coerce(rules)
    say = progress or (lambda step: None)
    b = _Builder(programme, rules_obj, raw_key, as_of, int(k), insts, alliance_outcome, pair_lists)
    steps = (
        b.intake,
        b.pairing,
        b.engagement,
        b.scoring,
        b.reliability,
        b.prepost,
        b.agreement,
        b.regression,
        b.make_figures,
    )
    for name, step in zip(STEPS, steps, strict=True):
        say(name)
        step()
    settings = {
        "as_of": None if b.as_of is None else f"{b.as_of:%Y-%m-%dT%H:%M:%S}+00:00",
        "k": int(k),
        "rules": _rules_label(rules_obj),
        "instruments": list(insts),
        "alliance_outcome": alliance_outcome,
        "pair_lists": bool(pair_lists),
    }
    tables = {
        "mentors": programme.mentors,
        "mentees": programme.mentees,
        **{
            n: getattr(programme, n)
            for n in ("pairs", "interactions", "goals", "goal_updates")
            if getattr(programme, n) is not None
        },
        **{f"survey {n}": df for n, df in programme.surveys.items()},
    }
    prov = provenance_hash(tables, _settings_text(settings, rules_obj.to_yaml()))
    return PilotReport(
        sections=b.assemble(),
        provenance=prov,
        version=__version__,
        settings=settings,
        key_fingerprint=_fingerprint(raw_key),
    )


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
max-width:68rem;margin:2rem auto;padding:0 1rem;color:#1d2430;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2.4rem;
border-bottom:2px solid #d8dee9;padding-bottom:.2rem}h3{font-size:1.02rem;margin:1.4rem 0 .4rem}
.meta{color:#4c566a;font-size:.9rem}nav ol{columns:2;font-size:.95rem}
table{border-collapse:collapse;margin:.4rem 0 .2rem;font-size:.88rem}
th,td{border:1px solid #d8dee9;padding:.22rem .5rem;text-align:left;vertical-align:top}
th{background:#eceff4}td.num,td.count{text-align:right;font-variant-numeric:tabular-nums}
td.suppressed{color:#8a5a00;background:#fff6e0}td.na{color:#8792a2;text-align:center}
tr.total td{font-weight:600}.note{font-size:.82rem;color:#4c566a;margin:.1rem 0 1rem}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{font-size:.85rem;
color:#4c566a}details{margin:1rem 0}summary{cursor:pointer;font-weight:600}
.caveat{border-left:4px solid #bf616a;padding:.2rem .8rem;background:#fbf1f2}
"""


_UNNAMED_RULES = ("default pairing rules", "unnamed pairing rules")


def _rules_label(rules: Any) -> str:
    """How the report names the pairing rules: their name, else default/unnamed rules."""
    from ementor_kit.matching.rules import MatchRules

    if rules.name:
        return str(rules.name)
    return _UNNAMED_RULES[0] if rules == MatchRules() else _UNNAMED_RULES[1]


def _esc(x: object) -> str:
    return html.escape(str(x), quote=True)


def _cell(value: object, col: str, table: ReportTable) -> str:
    is_count = col in table.counts
    missing = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
    if not missing:
        try:
            missing = bool(pd.isna(value))
        except (TypeError, ValueError):
            missing = False
    if is_count:
        if missing:
            return f'<td class="count suppressed">{SUPPRESSED}</td>'
        return f'<td class="count">{int(value)}</td>'  # type: ignore[arg-type]
    if missing:
        return '<td class="na">–</td>'
    fmt = table.formats.get(col)
    if fmt == "p" and isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        return f'<td class="num">{"&lt; 0.0001" if v < 1e-4 else f"{v:.4f}"}</td>'
    if fmt is not None and isinstance(value, int | float | np.integer | np.floating):
        return f'<td class="num">{_esc(fmt.format(float(value)))}</td>'
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return f'<td class="num">{int(value)}</td>'
    if isinstance(value, float | np.floating):
        return f'<td class="num">{float(value):.3f}</td>'
    return f"<td>{_esc(value)}</td>"


def _table_html(table: ReportTable) -> str:
    df = table.data
    parts = [
        f'<h3 id="t-{_esc(table.name)}">{_esc(table.title)}</h3>',
        f'<table data-name="{_esc(table.name)}"><thead><tr>',
        *(f"<th>{_esc(c)}</th>" for c in df.columns),
        "</tr></thead><tbody>",
    ]
    first = df.columns[0] if len(df.columns) else None
    for row in df.itertuples(index=False, name=None):
        total = first is not None and str(row[0]) == "Total"
        parts.append('<tr class="total">' if total else "<tr>")
        parts += [_cell(v, c, table) for v, c in zip(row, df.columns, strict=True)]
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if table.note:
        parts.append(f'<p class="note">{_esc(table.note)}</p>')
    return "".join(parts)


def _render(report: PilotReport) -> str:
    s = report.settings
    k = s["k"]
    as_of = s["as_of"] or "(no exchange log)"
    rules_shown = (
        f"pairing rules '{s['rules']}'" if s["rules"] not in _UNNAMED_RULES else f"{s['rules']}"
    )
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>E-mentoring pilot report ({_esc(report.provenance)})</title>"
        f"<style>{_CSS}</style></head><body>\n"
    )
    parts = [
        head,
        "<header><h1>E-mentoring pilot report</h1>",
        f'<p class="meta">Provenance <code>{_esc(report.provenance)}</code> · ementor-kit '
        f"{_esc(report.version)} · engagement as of {_esc(as_of)} · {_esc(rules_shown)} · "
        f"counts below {k} suppressed · pseudonym key fingerprint "
        f"<code>{_esc(report.key_fingerprint)}</code></p>",
        f'<p class="caveat" id="before-sharing"><strong>Before sharing outside the programme '
        f"team.</strong> Counts from 1 to {k - 1} are hidden (<code>{SUPPRESSED}</code>), "
        "together with the cells that would give them away from the same table's totals. "
        "Tables are protected one at a time: a hidden count can sometimes be recomputed from "
        "other tables (e.g. a file's rows in 'Files read' minus a count shown in another "
        "table). Review the tables together before sharing the report outside the team; if "
        "in doubt, raise k"
        + (
            " or leave out the pair lists (pair_lists=False, --no-pair-lists)."
            if s["pair_lists"]
            else "."
        )
        + "</p></header>\n",
        "<nav><ol>",
        *(f'<li><a href="#{_esc(sec.id)}">{_esc(sec.title)}</a></li>' for sec in report.sections),
        '<li><a href="#about">About this report</a></li></ol></nav>\n',
    ]
    for sec in report.sections:
        parts.append(f'<section id="{_esc(sec.id)}"><h2>{_esc(sec.title)}</h2>')
        for i, para in enumerate(sec.paragraphs):
            cls = ' class="caveat"' if sec.id == "regression" and i == 1 else ""
            parts.append(f"<p{cls}>{_esc(para)}</p>")
        for t in sec.tables:
            parts.append(_table_html(t))
        for f in sec.figures:
            data = base64.b64encode(f.png).decode("ascii")
            parts.append(
                f'<figure><img alt="{_esc(f.alt)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{_esc(f.title)}</figcaption></figure>"
            )
        for t in sec.lists:
            parts.append(
                f"<details><summary>{_esc(t.title)} ({len(t.data)} rows)</summary>"
                f"{_table_html(t)}</details>"
            )
        parts.append("</section>\n")
    parts += [
        '<section id="about"><h2>About this report</h2>',
        "<p>Privacy. Participant ids are keyed pseudonyms (HMAC-SHA256 with the study's "
        "secret key; e- for mentees, m- for mentors): only someone holding the key can link "
        "them back to a person, by pseudonymising their own list of ids with the same key. "
        "Names, organisations and messages never appear. In tables of counts, "
        f"<code>{SUPPRESSED}</code> marks a count hidden because it is between 1 and {k - 1}, "
        "or hidden as well so that such a count cannot be recomputed from the table's totals "
        "(secondary suppression); zeros are shown. Statistics resting on fewer than "
        f"{k} responses or pairs are not shown (–). Suppression protects each table against "
        "its own totals: before publishing outside the team, check that tables read together "
        "do not narrow a hidden count, or raise k.</p>",
        "<p>Reproducibility. The provenance hash covers every table of the programme, the "
        "pairing rules, the settings below and the ementor-kit version; the same inputs, "
        "settings and key give this file byte for byte (<code>ementor-kit report FOLDER "
        "--rules RULES.yaml --out report.html</code>, key in the EMENTOR_KIT_KEY environment "
        "variable).</p>",
        "<table><tbody>",
        *(
            f"<tr><th>{_esc(name)}</th><td>{_esc(value)}</td></tr>"
            for name, value in [
                ("provenance", report.provenance),
                ("ementor-kit", report.version),
                *((n, v) for n, v in sorted(s.items())),
                ("key fingerprint", report.key_fingerprint),
            ]
        ),
        "</tbody></table></section>\n</body></html>\n",
    ]
    return "".join(parts)
