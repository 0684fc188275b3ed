"""Messages other modules write in English and the package shows translated where rendered.

Texts such as the exchange log's reasons for leaving a row out or the survey scoring rules
are built by modules that do not translate them (they are data of the report, compared by
tests, named in ledgers). They are listed here, marked for the catalogue, so that
:func:`~ementor_kit.i18n.text.translate_text` finds them when the report or an error is
rendered in French. A message changed at its source must be changed here too: the
completeness tests render the report in French and fail on a text left in English.
"""

from __future__ import annotations

from ementor_kit.i18n.language import N_

__all__ = ["PLURALS", "SHOWN_ELSEWHERE"]


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # gettext convention, as N_
    """Mark a plural message for the catalogue (translated where shown, with ``ngettext``).

    Examples
    --------
    >>> Nn_("{n} pair", "{n} pairs")
    ('{n} pair', '{n} pairs')
    """
    return singular, plural


PLURALS: tuple[tuple[str, str], ...] = (
    Nn_("{n} pair", "{n} pairs"),  # the glossary's count of pairs (ngettext examples)
)
"""Plural messages shown by other modules or used in examples."""

SHOWN_ELSEWHERE: tuple[str, ...] = (
    # lists joined with " and " in error messages (ementor_kit/data/people.py: rows of an id)
    N_("{a} and {b}"),
    # ementor_kit/graph/exchange_log.py: why an exchange row is not used
    N_("exact duplicate of an earlier row (same interaction_id and content)"),
    N_("sender and recipient are the same person"),
    N_("exchange between two mentees (peer exchange, not part of a pair)"),
    N_("exchange between two mentors (not part of a pair)"),
    N_("group session with a mentor who is not paired with this mentee"),
    N_("mentee and mentor are not a pair in the pairs table"),
    N_("person not in the pairs table and not a mentor or mentee id"),
    N_("before the pair's matched_on date"),
    N_("after as_of"),
    # ementor_kit/survey/scoring.py: the scoring rule of a subscale in words
    N_(
        "{instrument} {subscale}: {method} of the {n} items; a response with any item "
        "unanswered gets no score (nothing is prorated)."
    ),
    N_(
        "{instrument} {subscale}: {method} of the {n} items; with {few} {items} unanswered "
        "{how} (the same as giving each unanswered item the respondent's own mean); with "
        "{more} or more unanswered, no score."
    ),
    N_("the sum is prorated: the mean of the answered items times {n}"),
    N_("the score is prorated: the mean of the answered items"),
    N_("{low} or {high}"),
    N_("{low} to {high}"),
    N_("item"),
    N_("items"),
    N_("mean"),
    N_("sd"),  # a column of the scoring and closure tables (standard deviation)
    N_("sum"),
    # ementor_kit/survey/agreement.py: why a survey response is not linked to a pair
    N_("partner did not answer"),
    N_("no pair"),
    N_("not a pair"),
    N_("partner unknown"),
    N_("duplicate"),
    # the column names and labels of the pilot report's tables (ementor_kit/report)
    N_("Total"),
    N_("count"),
    N_("file"),
    N_("rows"),
    N_("cohort"),
    N_("stage"),
    N_("what"),
    N_("item"),
    N_("value"),
    N_("all"),
    N_("share"),
    N_("measure"),
    N_("rule"),
    N_("status: rule"),
    N_("wave"),
    N_("instrument"),
    N_("subscale"),
    N_("median"),
    N_("difference"),
    N_("CI low"),
    N_("CI high"),
    N_("scored"),
    N_("prorated"),
    N_("too few items"),
    N_("alpha"),
    N_("alpha CI low"),
    N_("alpha CI high"),
    N_("omega total"),
    N_("mean T0"),
    N_("mean T1"),
    N_("dropouts scored"),
    N_("completers scored"),
    N_("T0 mean, dropouts"),
    N_("T0 mean, completers"),
    N_("A CI low"),
    N_("A CI high"),
    N_("C CI low"),
    N_("C CI high"),
    N_("mean r_wg"),
    N_("random pairs: mean r_wg"),
    N_("p (mean r_wg)"),
    N_("random pairs: share r_wg >= .70"),
    N_("p (share >= .70)"),
    N_("pairs with r_wg >= .70"),
    N_("term"),
    N_("coefficient"),
    N_("standardised"),
    N_("outcome"),
    N_("adjusted R2"),
    N_("errors"),
    N_("total"),
    N_("instruments"),
    N_("optimal"),
    N_("feasible"),
    N_("Provenance"),
)
"""Every message listed (in the catalogue through the ``N_`` marks)."""
