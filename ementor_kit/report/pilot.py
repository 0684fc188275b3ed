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
  are shown; df, t, p and intervals not beside a hidden number of pairs (they give it back).
* Tables are protected in report order, each also against what the tables before it show
  (a file's rows in 'Files read', the same count in another table, a sum shown elsewhere);
  a last pass hides what the finished report would still give back, and an audit then
  refuses (:class:`~ementor_kit.errors.DisclosureError`) a report in which any
  hidden count can be worked out from the sums and differences its tables allow together
  (see :mod:`ementor_kit.report._suppression`).
* Dyad-level values (a pair's scores, its agreement, its number of exchanges) are never shown:
  a dyad is a group of two, so its value and one member's own answer give away the other's.
  Only aggregates over pairs appear. The optional pair lists (check-in list, mentees left
  unpaired) show pseudonyms, a status and the category of the rule that set it (``no exchange
  for more than 21 days``, ``no mentor passes the hard rules``) - never a pair's own numbers,
  goal ids (which may embed a raw id) or which rules excluded how many mentors.
* ``k`` is at least 2 (``k = 1`` would hide nothing).

Same inputs, settings and key give a byte-identical HTML file (figures are saved without
software metadata; nothing depends on the clock).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ementor_kit._checks import check_choice, check_whole
from ementor_kit._version import __version__
from ementor_kit.data.propose import propose_rules
from ementor_kit.data.schema import MENTORS
from ementor_kit.data.validation import Programme, read_programme
from ementor_kit.graph.engagement_metrics import Engagement
from ementor_kit.i18n.language import resolve_language
from ementor_kit.matching.rules import MatchRules
from ementor_kit.provenance import provenance_hash
from ementor_kit.report._context import LedgerEntry, ReportContext, rules_label
from ementor_kit.report._suppression import (
    CellRef,
    Relation,
    audit_tables,
    row_labels,
    settle_tables,
)
from ementor_kit.report.model import PilotReport, ReportFigure, ReportSection, ReportTable
from ementor_kit.report.render import SUPPRESSED
from ementor_kit.report.sections.agreement import agreement_section
from ementor_kit.report.sections.closure import closure_section
from ementor_kit.report.sections.engagement import (
    engagement_figures,
    engagement_section,
    status_shares,
)
from ementor_kit.report.sections.followup import followup_part
from ementor_kit.report.sections.intake import intake_section, left_out_table
from ementor_kit.report.sections.pairing import coverage_shares, pairing_figure, pairing_section
from ementor_kit.report.sections.prepost import prepost_section
from ementor_kit.report.sections.regression import (
    PREDICTORS,
    engagement_outcome_data,
    regression_section,
)
from ementor_kit.report.sections.reliability import reliability_section
from ementor_kit.report.sections.scoring import scoring_section
from ementor_kit.survey.instruments import Instrument, load_instrument
from ementor_kit.survey.privacy import study_key

__all__ = [
    "PilotReport",
    "ReportFigure",
    "ReportSection",
    "ReportTable",
    "PREDICTORS",
    "STEPS",
    "SUPPRESSED",
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
    "closure",
    "figures",
)
"""The steps :func:`pilot_report` goes through, in order (reported to ``progress``)."""

_DEFAULT_INSTRUMENTS = ("gse", "mfq", "wai", "emx")

# Tables of plain counts: a count there may be hidden late (see _settled), nothing beside it
# depends on it but a share, recomputed; the n of a statistic is never hidden that late.
_PLAIN: dict[str, Callable[[pd.DataFrame], pd.DataFrame] | None] = {
    "files": None,
    "participants": None,
    "mentees_by_group": None,
    "left_out": None,
    "pairing_coverage": coverage_shares,
    "pairing_scores": None,
    "pairing_unmatched": None,
    "pairing_free_places": None,
    "pairing_vs_in_force": None,
    "engagement_status": status_shares,
    "coordinator_contact": None,
    "checkin_due": None,
    "pairs_in_circles": None,
    "circles_by_status": None,
    "check_in_rules": None,
    "scores": None,
}


@dataclass(frozen=True, eq=False)
class _Run:
    """What the steps produced: the sections in report order, the engagement assessed and
    what a reader knows about the counts beyond each table's totals (for the audit)."""

    sections: tuple[ReportSection, ...]
    engagement: Engagement | None
    relations: tuple[Relation, ...]


def _fingerprint(raw_key: bytes) -> str:
    return hmac.new(raw_key, b"ementor-kit key fingerprint", hashlib.sha256).hexdigest()[:8]


def _settings_text(settings: Mapping[str, Any], rules_yaml: str) -> str:
    lines = [f"{k}: {v!r}" for k, v in sorted(settings.items()) if k != "rules"]
    return rules_yaml + "\n" + "\n".join(lines)


def _with_figures(section: ReportSection, figures: Sequence[ReportFigure]) -> ReportSection:
    return dataclasses.replace(section, figures=(*section.figures, *figures))


def _run_steps(
    ctx: ReportContext,
    rules: MatchRules,
    as_of: object,
    instruments: Sequence[Instrument],
    alliance_outcome: str,
    say: Callable[[str], None],
    lang: str = "en",
) -> _Run:
    """Every step of :data:`STEPS` in order, each announced to ``say`` as it starts.

    The ledger of what was left out is gathered from the steps and added to the intake
    section; the figures made in the last step go to their sections.
    """
    say("intake")
    intake = intake_section(ctx)
    say("pairing")
    pairing = pairing_section(ctx, rules)
    say("engagement")
    eng = engagement_section(ctx, as_of)
    if eng.engagement is not None:  # check-ins and circles, when the folder records them
        more, more_tables = followup_part(ctx, eng.engagement)
        if more_tables:
            sec = eng.section
            eng = dataclasses.replace(
                eng,
                section=dataclasses.replace(
                    sec, paragraphs=(*sec.paragraphs, *more), tables=(*sec.tables, *more_tables)
                ),
            )
    say("scoring")
    scoring = scoring_section(ctx, instruments)
    say("reliability")
    reliability = reliability_section(ctx, instruments)
    say("pre/post effects")
    prepost = prepost_section(ctx, instruments)
    say("agreement")
    agreement = agreement_section(ctx)
    say("engagement and outcomes")
    linked = agreement.left_out[0] if agreement.left_out else None
    regression = regression_section(ctx, eng.engagement, alliance_outcome, linked)
    say("closure")
    closure = closure_section(ctx, eng.engagement)
    say("figures")
    pairing_fig = pairing_figure(pairing.scores, ctx.k, lang)
    p = ctx.programme
    eng_figures: tuple[ReportFigure, ...] = ()
    if eng.engagement is not None and p.interactions is not None and p.pairs is not None:
        eng_figures = engagement_figures(p.interactions, p.pairs, eng.engagement, lang)
    ledger: list[LedgerEntry] = [
        *eng.left_out,
        *prepost.left_out,
        *agreement.left_out,
        *regression.left_out,
    ]
    sections = (
        dataclasses.replace(intake, tables=(*intake.tables, left_out_table(ledger))),
        _with_figures(pairing.section, () if pairing_fig is None else (pairing_fig,)),
        _with_figures(eng.section, eng_figures),
        scoring,
        reliability,
        prepost.section,
        agreement.section,
        regression.section,
        closure,
    )
    return _Run(sections, eng.engagement, tuple(ctx.known.relations))


def _hide(table: ReportTable, cells: Sequence[CellRef]) -> ReportTable:
    """The table with ``cells`` hidden and its shares recomputed."""
    data = table.data.copy()
    labels = row_labels(data, table.counts)
    for cell in cells:
        data.loc[data.index[labels.index(cell.row)], cell.column] = pd.NA
    derive = _PLAIN.get(table.name)
    return dataclasses.replace(table, data=derive(data) if derive else data)


def _settled(
    sections: Sequence[ReportSection], relations: Sequence[Relation]
) -> tuple[ReportSection, ...]:
    """The sections with the counts hidden that the finished report would still give away
    (:func:`~ementor_kit.report._suppression.settle_tables`, plain count tables only)."""
    tables = [t for sec in sections for t in sec.tables]
    hide = settle_tables(tables, relations, lambda cell: cell.table in _PLAIN)
    if not hide:
        return tuple(sections)
    return tuple(
        dataclasses.replace(
            sec,
            tables=tuple(
                _hide(t, [c for c in hide if c.table == t.name])
                if any(c.table == t.name for c in hide)
                else t
                for t in sec.tables
            ),
        )
        for sec in sections
    )


def _checked_instruments(
    k: object, alliance_outcome: str, instruments: Sequence[str]
) -> tuple[Instrument, ...]:
    """The instruments, loaded, after checking ``k`` and ``alliance_outcome``."""
    # k = 1 would hide no count at all (counts from 1 to k - 1 are hidden)
    check_whole("k", k, minimum=2, example="5 (10 is stricter; 1 would hide nothing)")
    wai = load_instrument("wai")
    check_choice("alliance_outcome", alliance_outcome, [s.id for s in wai.subscales])
    return tuple(load_instrument(i) for i in instruments)


def _default_rules(programme: Programme) -> MatchRules | None:
    """The rules a programme read with a ``programme.yaml`` carries, as :func:`match` reads."""
    spec = programme.spec
    if spec is None:
        return None
    if spec.rules:
        name, rules = "programme.yaml", list(spec.rules)
        description = "The rules declared in the folder's programme.yaml."
    elif {c.name for c in MENTORS.columns if c.required} <= set(programme.mentors.columns):
        return None  # the sample's layout: MatchRules()
    else:
        name, rules = "proposed", list(propose_rules(programme.mentors, programme.mentees))
        description = (
            "programme.yaml declares no rules: those propose_rules proposes from the declared "
            "attributes."
        )
    return MatchRules.from_dict(
        {"name": name, "description": description, "criteria": rules}, source="programme.yaml"
    )


def _provenance(programme: Programme, settings: Mapping[str, Any], rules: MatchRules) -> str:
    """Hash of every table of the programme, the rules YAML, the settings and the version."""
    tables: dict[str, pd.DataFrame] = {
        "mentors": programme.mentors,
        "mentees": programme.mentees,
        **{
            n: getattr(programme, n)
            for n in ("pairs", "interactions", "goals", "goal_updates")
            if getattr(programme, n) is not None
        },
        **{f"survey {n}": df for n, df in programme.surveys.items()},
    }
    return provenance_hash(tables, _settings_text(settings, rules.to_yaml()))


# Long only through its numpydoc docstring: the body is about 25 lines.
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
    lang: str | None = None,
) -> PilotReport:
    """Run the whole pilot on a programme and gather a privacy-safe report.

    Parameters
    ----------
    programme : Programme, str or Path
        A validated programme (:func:`~ementor_kit.data.validation.read_programme`,
        :func:`~ementor_kit.samples.load_sample`) or the path of a programme folder.
    rules : MatchRules, dict, YAML path or text, optional
        The pairing rules to report on, e.g. ``"data/samples/rules/default.yaml"``. By
        default the rules of the folder's ``programme.yaml`` when it declares some, else
        those :func:`~ementor_kit.propose_rules` proposes for people declared otherwise
        than the sample, else ``MatchRules()``.
    key : str or bytes, optional
        The study's secret for the pseudonyms (at least 16 bytes); default: the
        ``EMENTOR_KIT_KEY`` environment variable. Refused without one.
    as_of : date, str or time-zone aware timestamp, optional
        Moment of the engagement assessment (default: the last exchange in the log).
    k : int, default 5
        Smallest count shown, at least 2 (counts 1 to k - 1 are suppressed).
    instruments : sequence of str
        Instruments scored, checked for reliability and, when mentees answered them at T0 and
        T1 (or a later wave: ``surveys/mentee_t2.csv``...), compared between T0 and the last
        wave holding them (default GSE, MFQ-9, WAI-SR, EMX-8; each wave uses those whose
        items it holds). Every ``surveys/mentee_<wave>.csv`` and ``mentor_<wave>.csv`` of the
        folder is read; a ``checkins.csv`` in the folder and a ``group_id`` in ``pairs.csv``
        add the coordinator follow-up and the circles to the engagement section.
    alliance_outcome : str, default "total"
        WAI-SR subscale used as the outcome of the engagement regression (``task``, ``bond``,
        ``goal`` or ``total``).
    pair_lists : bool, default True
        Include the pseudonymised check-in list and the list of mentees left unpaired. Set
        False for a report shared outside the programme team (aggregates only).
    progress : callable, optional
        Called with the name of each step of :data:`STEPS` as it starts.
    lang : str, optional
        Language of the figures and of ``to_html``, ``table`` and ``section`` (``"en"`` or
        ``"fr"``); default :func:`~ementor_kit.get_language`. The tables and texts are kept
        in English (message ids) and translated when shown; column names and codes stay.

    Returns
    -------
    PilotReport
        The sections' tables and figures (pseudonymised, suppressed), the provenance hash, the
        package version, the settings used and the key's fingerprint; ``to_html`` writes it.

    Raises
    ------
    EmentorKitError
        Without a key (before any work), a ``k`` or ``alliance_outcome`` it cannot use
        (:class:`~ementor_kit.errors.InvalidArgumentError`), when an input breaks the data
        contract (:class:`~ementor_kit.errors.DataValidationError`) or the rules cannot be met,
        or when its tables read together would give back a count one of them hides
        (:class:`~ementor_kit.report.DisclosureError`, naming the table and the cell: a gap in
        the report's suppression).

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> prog = generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3)
    >>> rep = pilot_report(prog, key="demo-key-for-synthetic-data")
    >>> [s.id for s in rep.sections]  # doctest: +NORMALIZE_WHITESPACE
    ['intake', 'pairing', 'engagement', 'scoring', 'reliability', 'prepost', 'agreement',
     'regression', 'closure']
    >>> rep.provenance.startswith("ek1-"), rep.to_html() == rep.to_html()
    (True, True)
    >>> pilot_report(prog, key="too-short")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'key': the pseudonymisation key is 9 bytes long. Fix: ...
    """
    raw_key = study_key(key)
    code = resolve_language(lang)
    insts = _checked_instruments(k, alliance_outcome, instruments)
    if not isinstance(programme, Programme):
        programme = read_programme(programme)
    rules_obj = MatchRules.coerce(_default_rules(programme) if rules is None else rules)
    ctx = ReportContext(programme, raw_key, int(k), bool(pair_lists), lang=code)
    run = _run_steps(
        ctx, rules_obj, as_of, insts, alliance_outcome, progress or (lambda _: None), code
    )
    # the tables read together must not give back a count any of them hides
    sections = _settled(run.sections, run.relations)
    audit_tables([t for sec in sections for t in sec.tables], run.relations)
    eng = run.engagement
    settings = {
        "as_of": None if eng is None else f"{eng.as_of:%Y-%m-%dT%H:%M:%S}+00:00",
        "k": int(k),
        "rules": rules_label(rules_obj),
        "instruments": [i.id for i in insts],
        "alliance_outcome": alliance_outcome,
        "pair_lists": bool(pair_lists),
    }
    return PilotReport(
        sections=sections,
        provenance=_provenance(programme, settings, rules_obj),
        version=__version__,
        settings=settings,
        key_fingerprint=_fingerprint(raw_key),
        key_source=raw_key.info.source,
        lang=code,
    )
