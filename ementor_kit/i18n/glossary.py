"""The glossary: one name and one plain-words explanation per term, in English and French.

Every widget, figure and report of the package names things the same way by reading this
table, and jargon (``maximin``, ``d_z``, ``r_wg``, a status code) is explained in plain words.
The English texts below are the catalogue's message ids; the French ones live in the
catalogue (``ementor_kit/locale/fr/LC_MESSAGES/ementor_kit.po``), so this file is the one
list of terms, and the test of the catalogue checks each has its French.

French follows one inclusive usage: *binôme* (a mentor·e and a mentoré·e), *mentor·e*,
*mentoré·e*, *chargé·e de suivi* (the coordinator), *appariement* (matching), *entretien de
suivi* (a check-in). ``avoid`` lists the French words that must not name a term (checked on
every French message).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ementor_kit.errors import UnknownNameError
from ementor_kit.i18n.language import N_, translator

__all__ = ["GLOSSARY", "Term", "explanation", "glossary", "label"]


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    Parameters
    ----------
    key : str
        Stable id (``"pair"``, ``"objective.maximin"``, ``"status.at_risk"``).
    label : str
        Short English name (the message id of its translations).
    explanation : str
        What it means, in plain English words (message id too).
    avoid : tuple of str
        French words that must not be used for this term (e.g. ``paire`` for a pair).

    Examples
    --------
    >>> Term("pair", "pair", "a mentor and a mentee working together").key
    'pair'
    """

    key: str
    label: str
    explanation: str
    avoid: tuple[str, ...] = ()


GLOSSARY: tuple[Term, ...] = (
    # the programme's vocabulary (inclusive French usage)
    Term("pair", N_("pair"), N_("a mentor and a mentee working together"), ("paire",)),
    Term("mentor", N_("mentor"), N_("the experienced person who accompanies a mentee")),
    Term("mentee", N_("mentee"), N_("the person accompanied by a mentor"), ("mentoré ", "mentee")),
    Term(
        "coordinator",
        N_("coordinator"),
        N_("the person who runs the programme and follows the pairs"),
        ("coordinateur", "coordinatrice"),
    ),
    Term(
        "matching",
        N_("matching"),
        N_("choosing which mentor accompanies which mentee"),
        ("matching", "jumelage"),
    ),
    Term(
        "check_in",
        N_("check-in"),
        N_("a short follow-up talk between the coordinator and a pair"),
        ("check-in",),
    ),
    Term(
        "capacity",
        N_("capacity"),
        N_("how many mentees a mentor can accompany at the same time"),
    ),
    Term(
        "score",
        N_("score of the pair"),
        N_("how well a mentor suits a mentee, in points out of 100, from the weighted criteria"),
    ),
    Term(
        "min_score",
        N_("min score"),
        N_("pairs scoring below this are never formed"),
    ),
    Term(
        "provenance",
        N_("provenance"),
        N_("a short code naming the exact data and rules behind a result, to find it again"),
    ),
    Term(
        "proven_optimal",
        N_("proven optimal"),
        N_("the solver proved that no other pairing does better under these rules"),
    ),
    Term(
        "sync",
        N_("live share (sync)"),
        N_("share of exchanges held live: video or phone calls, rather than written messages"),
    ),
    # pairing objectives
    Term(
        "objective.coverage_then_score",
        N_("most pairs, then total score"),
        N_("pair as many mentees as possible, then make the pairs as good as possible overall"),
    ),
    Term(
        "objective.score",
        N_("total score only"),
        N_("make the pairs as good as possible overall, even if fewer mentees are paired"),
    ),
    Term(
        "objective.maximin",
        N_("most pairs, then best worst pair"),
        N_(
            "pair as many mentees as possible, then make the weakest pair as good as possible "
            "(no one is left with a poor match to make others better)"
        ),
    ),
    # criteria of the pairing score (the sample's names)
    Term("criterion.skills", N_("skills"), N_("the mentor offers the skills the mentee seeks")),
    Term("criterion.goals", N_("goals"), N_("the mentor can support the mentee's goals")),
    Term("criterion.domain", N_("domain"), N_("same professional field")),
    Term(
        "criterion.timezone",
        N_("timezone"),
        N_("the two are awake at the same hours, which matters when they meet live"),
    ),
    Term(
        "criterion.modality",
        N_("modality"),
        N_("they prefer the same ways of exchanging (live, written or both)"),
    ),
    Term(
        "criterion.availability",
        N_("availability"),
        N_("the mentor has the weekly time the mentee wants"),
    ),
    Term(
        "criterion.experience",
        N_("experience"),
        N_("the mentor has enough more years of experience than the mentee"),
    ),
    Term(
        "criterion.digital",
        N_("digital"),
        N_("mentees less at ease with digital tools get mentors at ease with them"),
    ),
    # engagement statuses (figures, report)
    Term("status.not_started", N_("not started"), N_("no exchange since the pair was formed")),
    Term("status.active", N_("active"), N_("the pair exchanges regularly")),
    Term("status.completed", N_("completed"), N_("the pair reached the planned end")),
    Term(
        "status.needs_check_in",
        N_("needs a check-in"),
        N_("exchanges have slowed down: time for a follow-up talk"),
    ),
    Term("status.at_risk", N_("at risk"), N_("a long silence: the pair may be fading")),
    Term(
        "status.dormant",
        N_("dormant"),
        N_("no exchange for so long that the pair is counted as ended"),
    ),
    Term(
        "status.closed_early",
        N_("closed early"),
        N_("the pair ended before its planned end"),
    ),
    # why someone is not paired (MatchResult.unmatched reasons)
    Term(
        "reason.no_feasible_mentor",
        N_("no compatible mentor"),
        N_("No mentor meets the hard rules for this mentee"),
    ),
    Term(
        "reason.feasible_mentors_full",
        N_("compatible mentors full"),
        N_("Every mentor compatible with this mentee is already full"),
    ),
    Term(
        "reason.not_selected",
        N_("left out to do better overall"),
        N_(
            "A compatible mentor still has room, but the pairing left this pair out to do "
            "better overall"
        ),
    ),
    Term("reason.spare_capacity", N_("free places"), N_("This mentor still has free places")),
    Term(
        "reason.no_capacity",
        N_("no place offered"),
        N_("This mentor offers no place in this pairing"),
    ),
    # statistics
    Term(
        "d_z",
        N_("target effect d_z"),
        N_(
            "the smallest before/after improvement worth detecting, as a share of how much "
            "the change varies between people (0.2 small, 0.5 medium, 0.8 large)"
        ),
    ),
    Term(
        "power",
        N_("power"),
        N_("the chance that the evaluation detects the effect if it is real"),
    ),
    Term(
        "design_effect",
        N_("design effect"),
        N_("how much group mentoring shrinks the information: members of a group answer alike"),
    ),
    Term(
        "kaplan_meier",
        N_("Kaplan-Meier estimate"),
        N_(
            "share of pairs still active week by week, counting fairly the pairs observed "
            "for a shorter time"
        ),
    ),
    Term(
        "r_wg",
        N_("within-group agreement (r_wg)"),
        N_("how much people rating the same thing agree: 1 fully, 0 no more than by chance"),
    ),
    Term(
        "icc",
        N_("intraclass correlation (ICC)"),
        N_("how much of the differences lie between groups or pairs rather than within them"),
    ),
    Term(
        "alpha",
        N_("Cronbach's alpha"),
        N_("whether the items of a scale measure the same thing (0.7 or more is usual)"),
    ),
    Term(
        "likert",
        N_("Likert scale"),
        N_("answers on a scale from disagreement to agreement"),
    ),
)
"""Every term, in the order of :func:`glossary`."""

_BY_KEY = {t.key: t for t in GLOSSARY}


def _term(key: str) -> Term:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise UnknownNameError(
            "key",
            key,
            N_("use a key of the glossary: {BY_KEY}").format(BY_KEY=", ".join(sorted(_BY_KEY))),
            message=N_("{key!r} is not a term of the glossary").format(key=key),
        ) from None


def label(key: str, lang: str | None = None) -> str:
    """The short name of a glossary term in ``lang`` (default the process language).

    Parameters
    ----------
    key : str
        A key of :data:`GLOSSARY` (``"pair"``, ``"status.at_risk"``, ...).
    lang : str, optional
        ``"en"`` or ``"fr"``.

    Returns
    -------
    str

    Examples
    --------
    >>> label("pair", "fr"), label("status.needs_check_in", "fr")
    ('binôme', 'à relancer (entretien de suivi)')
    """
    return translator(lang).gettext(_term(key).label)


def explanation(key: str, lang: str | None = None) -> str:
    """What a glossary term means, in plain words, in ``lang``.

    Parameters
    ----------
    key : str
        A key of :data:`GLOSSARY`.
    lang : str, optional
        ``"en"`` or ``"fr"``.

    Returns
    -------
    str

    Examples
    --------
    >>> explanation("objective.maximin", "en")[:45]
    'pair as many mentees as possible, then make t'
    """
    return translator(lang).gettext(_term(key).explanation)


def glossary(lang: str | None = None) -> pd.DataFrame:
    """The glossary as a table in ``lang``: one row per term.

    Parameters
    ----------
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.

    Returns
    -------
    DataFrame
        Index ``key``; columns ``term`` and ``explanation``.

    Examples
    --------
    >>> glossary("fr").loc["coordinator", "term"]
    'chargé·e de suivi'
    """
    t = translator(lang)
    index = pd.Index([x.key for x in GLOSSARY], name="key", dtype="str")
    return pd.DataFrame(
        {
            "term": [t.gettext(x.label) for x in GLOSSARY],
            "explanation": [t.gettext(x.explanation) for x in GLOSSARY],
        },
        index=index,
        dtype="str",
    )
