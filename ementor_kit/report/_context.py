"""What every section of the pilot report shares: the run's context and the left-out ledger.

A section is a function of a :class:`ReportContext` (the programme, the pseudonym key, the
suppression threshold ``k`` and whether pair lists are shown) and of what earlier steps
produced, passed as arguments. What a section could not use is returned as
:class:`LedgerEntry` rows, gathered by :func:`ementor_kit.report.pilot.pilot_report` into the
table 'What was left out of the analyses, and why'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ementor_kit.data.schema import TABLES, survey_table
from ementor_kit.data.validation import Programme
from ementor_kit.i18n.language import N_, translator
from ementor_kit.matching.rules import MatchRules
from ementor_kit.report._suppression import CellRef, Relation, ReportKnowledge, protected_list
from ementor_kit.survey.instruments import Instrument
from ementor_kit.survey.privacy import pseudonymise

if TYPE_CHECKING:
    from ementor_kit.report.model import ReportSection, ReportTable

__all__ = [
    "NOT_DECLARED",
    "UNNAMED_RULES",
    "WAVES",
    "LedgerEntry",
    "ReportContext",
    "SectionStep",
    "ledger_cell",
    "report_waves",
    "rules_label",
    "small_counts",
    "survey_waves",
    "wave_label",
]

WAVES = {
    "mentee_t0": N_("mentees, T0"),
    "mentee_t1": N_("mentees, T1"),
    "mentor_t1": N_("mentors, T1"),
}
"""The built-in survey waves the report reads, and how it names them (other waves of the
folder: :func:`report_waves`)."""
_SIDE_WAVE = {"mentee": N_("mentees, {wave}"), "mentor": N_("mentors, {wave}")}
_SURVEY_FILE = re.compile(r"^(mentee|mentor)_([a-z][a-z0-9]*)$")


def _wave_key(table: str) -> tuple[int, int, int, str]:
    """Sort key of a survey table: mentees first, then ``T<n>`` waves by n, then the others
    (whose order cannot be told from their names) by name."""
    side, wave = table.split("_", 1)
    numbered = re.fullmatch(r"t(\d+)", wave)
    return (side != "mentee", numbered is None, int(numbered.group(1)) if numbered else 0, wave)


def wave_label(table: str) -> str:
    """How the report names a survey table: ``mentees, T0`` ... ``mentors, T2``.

    Examples
    --------
    >>> wave_label("mentee_t0"), wave_label("mentor_t2")
    ('mentees, T0', 'mentors, T2')
    """
    if table in WAVES:
        return WAVES[table]
    side, wave = table.split("_", 1)
    return _SIDE_WAVE[side].format(wave=wave.upper())


def report_waves(p: Programme) -> list[str]:
    """The survey tables the report reads: the built-in three when present and any other
    ``mentee_<wave>`` or ``mentor_<wave>`` of the folder (pulses ``P<day>`` and the closure
    questionnaire excepted); the mentees' waves first, each side's ``T<n>`` waves in the
    order of n, then its other waves by name.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> prog = generate_programme(n_mentees=8, n_mentors=3, seed=1)
    >>> report_waves(prog)
    ['mentee_t0', 'mentee_t1', 'mentor_t1']
    >>> import dataclasses
    >>> more = {**prog.surveys, "mentee_t2": prog.surveys["mentee_t1"], "pulse_p30": None}
    >>> report_waves(dataclasses.replace(prog, surveys=more))
    ['mentee_t0', 'mentee_t1', 'mentee_t2', 'mentor_t1']
    """
    found = []
    for name in p.surveys:
        m = _SURVEY_FILE.match(name)
        if name in WAVES or (m is not None and not re.fullmatch(r"p\d+", m.group(2))):
            found.append(name)
    return sorted(found, key=_wave_key)


NOT_DECLARED = N_("(not declared)")
"""Group shown for a mentee who declared none."""

UNNAMED_RULES = (N_("default pairing rules"), N_("unnamed pairing rules"))
"""How the report names rules without a name: the defaults, or others."""


def rules_label(rules: MatchRules) -> str:
    """How the report names the pairing rules: their name, else default/unnamed rules.

    Examples
    --------
    >>> rules_label(MatchRules()), rules_label(MatchRules(name="quota 2026"))
    ('default pairing rules', 'quota 2026')
    """
    if rules.name:
        return str(rules.name)
    return UNNAMED_RULES[0] if rules == MatchRules() else UNNAMED_RULES[1]


def small_counts(k: int, *, between: bool = False, lang: str = "en") -> str:
    """The counts a threshold ``k`` hides, in words (k = 2 hides the count 1 only).

    Examples
    --------
    >>> small_counts(5), small_counts(2), small_counts(5, between=True), small_counts(2, between=True)
    ('counts from 1 to 4', 'counts of 1', 'between 1 and 4', '1')
    >>> small_counts(5, lang="fr")
    'les effectifs de 1 à 4'
    """
    t = translator(lang)
    if k == 2:
        return "1" if between else t.gettext(N_("counts of 1"))
    if between:
        return t.gettext(N_("between 1 and {top}")).format(top=k - 1)
    return t.gettext(N_("counts from 1 to {top}")).format(top=k - 1)


def survey_waves(p: Programme, instrument: Instrument) -> list[tuple[str, pd.DataFrame]]:
    """The waves of :func:`report_waves` that hold every item of the instrument, in that order.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> from ementor_kit.survey.instruments import load_instrument
    >>> prog = generate_programme(n_mentees=8, n_mentors=3, seed=1)
    >>> [w for w, _ in survey_waves(prog, load_instrument("wai"))]
    ['mentee_t1', 'mentor_t1']
    """
    out = []
    for wave in report_waves(p):
        df = p.surveys.get(wave)
        if df is not None and set(instrument.item_ids) <= set(df.columns):
            out.append((wave, df))
    return out


def ledger_cell(stage: str, what: str) -> CellRef:
    """A count of the table 'What was left out' (``left_out``), by stage and row.

    Examples
    --------
    >>> print(ledger_cell("exchange log (interactions.csv)", "Total"))
    left_out [exchange log (interactions.csv) / Total] count
    """
    return CellRef("left_out", (stage, what), "count")


@dataclass(frozen=True, eq=False)
class LedgerEntry:
    """One stage of 'What was left out': what was used and each reason something was not.

    ``table`` has columns ``what`` and ``count`` (suppressed, with a ``Total`` row).
    """

    stage: str
    table: pd.DataFrame


@dataclass(frozen=True, eq=False)
class ReportContext:
    """The settings every section reads (never the clock, never global state).

    Attributes
    ----------
    programme : Programme
    key : bytes
        The study's secret for the pseudonyms (not shown in the repr).
    k : int
        Smallest count shown.
    pair_lists : bool
        Whether the pseudonymised pair lists are included.
    known : ReportKnowledge
        What the tables built so far show (filled as the sections run, see :meth:`show`):
        each table is protected against it.
    lang : str
        Language of the figures (``"en"`` or ``"fr"``); the tables stay English (message
        ids), translated when the report is rendered.

    Examples
    --------
    >>> from ementor_kit.samples.generator import generate_programme
    >>> ctx = ReportContext(generate_programme(n_mentees=8, n_mentors=3, seed=1),
    ...                     b"0123456789abcdef", k=5, pair_lists=True)
    >>> ctx.pseudonymise(pd.DataFrame({"mentee": ["E001"]}), mentee=["mentee"])["mentee"][0][:2]
    'e-'
    >>> entry = ctx.left_out("a stage", {"used": 12, "no score": 0})
    >>> entry.stage, entry.table["count"].tolist()
    ('a stage', [12, 0, 12])
    >>> ref, shown = ctx.file_rows("mentees")
    >>> print(ref), shown
    files [mentees.csv] rows
    (None, 8)
    """

    programme: Programme
    key: bytes = field(repr=False)
    k: int
    pair_lists: bool
    known: ReportKnowledge = field(default_factory=ReportKnowledge, repr=False)
    lang: str = "en"

    def show(self, table: ReportTable, relations: Iterable[Relation] = ()) -> ReportTable:
        """Record a finished table as shown, with what relates it to other tables; returns it."""
        self.known.relate(relations)
        self.known.show(table)
        return table

    def pseudonymise(
        self, df: pd.DataFrame, *, mentee: Sequence[str] = (), mentor: Sequence[str] = ()
    ) -> pd.DataFrame:
        """``df`` with the ``mentee`` columns as ``e-`` pseudonyms and ``mentor`` as ``m-``."""
        out = df
        if mentee:
            out = pseudonymise(out, list(mentee), self.key, length=10, prefix="e-")
        if mentor:
            out = pseudonymise(out, list(mentor), self.key, length=10, prefix="m-")
        return out

    def left_out(
        self,
        stage: str,
        values: Mapping[str, int],
        *,
        relations: Sequence[Relation] = (),
        prefer_shown: Sequence[str] = (),
    ) -> LedgerEntry:
        """The ledger rows of one stage: counts by what happened, suppressed, with a Total.

        ``relations`` (about this stage's cells, :func:`ledger_cell`, and cells of tables
        already shown) and ``prefer_shown`` are those of
        :func:`~ementor_kit.report._suppression.protected_list`: the stage hides enough that
        no cell can be worked out from what the tables before it show. The stage is then
        recorded as shown (its relations are the caller's to record, :meth:`show`).
        """
        table = protected_list(
            values,
            self.k,
            "what",
            lambda what: ledger_cell(stage, what),
            relations,
            known=self.known,
            prefer_shown=prefer_shown,
        )
        self.known.show_frame(
            "left_out", table.assign(stage=stage)[["stage", "what", "count"]], ["count"]
        )
        return LedgerEntry(stage, table)

    def file_rows(self, table: str) -> tuple[CellRef, object]:
        """The cell of 'Files read' holding the rows of a table (``mentees``, ``mentee_t1``...)
        and its value as shown there (``None`` when hidden or when the file is absent)."""
        survey = table in WAVES or _SURVEY_FILE.match(table) is not None
        df = self.programme.surveys.get(table) if survey else getattr(self.programme, table, None)
        n = None if df is None else len(df)
        shown = None if n is None or 1 <= n < self.k else n
        file = TABLES[table].file if table in TABLES else survey_table(table).file
        return CellRef("files", (file,), "rows"), shown


@dataclass(frozen=True, eq=False)
class SectionStep:
    """A section and the stages it adds to 'What was left out'."""

    section: ReportSection
    left_out: tuple[LedgerEntry, ...] = ()
