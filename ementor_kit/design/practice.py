"""MENTOR's standards as design dimensions: what each practice costs, and a checklist.

MENTOR's *Elements of Effective Practice for Mentoring* (4th ed., 2015) name six standards:
recruitment, screening, training, matching and initiating, monitoring and support, closure; the
*E-Mentoring Supplement* (2019) adds recommendations for programmes whose exchanges take place
mainly or only through technology. The seventh theme here (platform, digital skills,
confidentiality of the exchanges) is this toolkit's grouping, not a MENTOR standard. A design's :class:`~ementor_kit.design.PracticePlan` says
what the programme does on each; this module gives

- :func:`practice_checklist`: each standard's items with a status (``ok``, ``missing``,
  ``required``, ``check``) and the reason, e.g. parental consent and full screening when the
  mentees are minors (the group-circles example is for lycéens);
- :func:`practice_costs`: the coordinator's and the mentors' hours each practice takes for a
  simulated design, from :class:`PracticeCosts` (planning figures, STATED assumptions:
  replace them with your own).

The *effects* of the practices are parameters of the simulation
(:class:`~ementor_kit.design.SimulationAssumptions`: ``untrained_hazard_ratio``,
``no_initiation_early_ratio``, ``low_digital_hazard_ratio``, ``informal_hazard_ratio``) and of
the outcome model (:class:`~ementor_kit.design.outcomes.OutcomeAssumptions`:
``unplanned_closure_factor``, ``faded_closure_factor``, ``rematch_recovery``). Screening,
consent, the platform and the code of conduct are safeguarding and legal duties: they get no
assumed effect on retention or outcomes, only a cost and a checklist line. The share of
in-person meetings gets no assumed effect either (no source known to us): only its travel cost.

The two-hour training line follows MENTOR's recommendation that mentor training last at least
two hours, in person, before matching (mentoring.org, "Training"). The screening line does not
say what French law requires of a given programme: the *attestation d'honorabilité* (the State
checks bulletin n° 2 of the criminal record and the FIJAIS, the register of sexual and violent
offenders) is required, and may only be requested, in child protection and early-childhood
settings (CASF art. L. 133-6; décret n° 2024-643 of 28 June 2024), mentors in child-protection
measures included; elsewhere a volunteer can obtain and show their own bulletin n° 3, which is
delivered only to the person concerned. Check the rule that applies to your programme.

References
----------
- Garringer, M., Kupersmidt, J., Rhodes, J., Stelter, R., & Tai, T. (2015). *Elements of
  Effective Practice for Mentoring* (4th ed.). MENTOR: The National Mentoring Partnership.
- Garringer, M., Kaufman, M., Stelter, R., Shane, J., & Kupersmidt, J. (2019). *E-Mentoring:
  Supplement to the Elements of Effective Practice for Mentoring*. MENTOR: The National
  Mentoring Partnership.
- DuBois, D. L., Holloway, B. E., Valentine, J. C., & Cooper, H. (2002). Effectiveness of
  mentoring programs for youth: A meta-analytic review. *American Journal of Community
  Psychology, 30*(2), 157-197. https://doi.org/10.1023/A:1014628810714
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from ementor_kit.design._values import _float, _problem
from ementor_kit.design.definition import ProgrammeDesign
from ementor_kit.design.outcomes import OutcomeAssumptions, expected_outcomes
from ementor_kit.design.simulation import SimulationResult, _cohort
from ementor_kit.errors import ArgumentTypeError, DataValidationError
from ementor_kit.i18n.language import N_, Translator, translator
from ementor_kit.i18n.text import localized

__all__ = ["STANDARDS", "PracticeCosts", "practice_checklist", "practice_costs"]

STANDARDS: tuple[str, ...] = (
    N_("recruitment"),
    N_("screening"),
    N_("training"),
    N_("matching and initiating"),
    N_("monitoring and support"),
    N_("closure"),
    N_("confidentiality and platform"),
)
"""MENTOR's six standards, then this toolkit's e-mentoring theme (platform, confidentiality).

In English; the tables give them in the language asked for (``gettext(standard, lang)``)."""

_MINOR_WORDS = re.compile(
    r"lyc[ée]e|coll[èe]ge|pupil|secondary|high.?school|minor|mineur|under 18|moins de 18|[ée]l[èe]ve",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PracticeCosts:
    """Planning figures (hours) of each practice: STATED assumptions, not measurements.

    Parameters
    ----------
    recruitment_hours_per_mentor : float
        Coordinator time to recruit one mentor (outreach, information meeting).
    basic_screening_hours, full_screening_hours : float
        Coordinator time per mentor for ``basic`` and ``full`` screening.
    consent_hours_per_minor : float
        Coordinator time per minor mentee for the parental consent.
    training_group_size : int
        Mentors trained together in one session.
    digital_training_hours : float
        Time per low-comfort person trained on the platform (coordinator).
    first_meeting_hours, agreement_hours : float
        Coordinator time per relationship for the facilitated first meeting and the written
        agreement.
    rematch_hours : float
        Coordinator time per rematch.
    closure_hours : float
        Coordinator time per relationship for a planned closure.
    session_hours : float
        Mentor time per contact.
    travel_hours : float
        Extra mentor time per in-person meeting.

    Examples
    --------
    >>> PracticeCosts().full_screening_hours, PracticeCosts().status
    (3.0, 'STATED ASSUMPTIONS')
    """

    recruitment_hours_per_mentor: float = 1.0
    basic_screening_hours: float = 1.5
    full_screening_hours: float = 3.0
    consent_hours_per_minor: float = 0.25
    training_group_size: int = 10
    digital_training_hours: float = 1.0
    first_meeting_hours: float = 0.75
    agreement_hours: float = 0.25
    rematch_hours: float = 1.5
    closure_hours: float = 0.5
    session_hours: float = 1.0
    travel_hours: float = 1.0

    status = "STATED ASSUMPTIONS"

    def __post_init__(self) -> None:
        problems = []
        for f in fields(self):
            v = _float(getattr(self, f.name))
            lo = 1.0 if f.name == "training_group_size" else 0.0
            if v is None or not lo <= v <= 1000:
                problems.append(
                    _problem(
                        "practice costs",
                        f.name,
                        f"invalid value {getattr(self, f.name)!r}",
                        N_("use a number between {lo:g} and 1000").format(lo=lo),
                    )
                )
            else:
                object.__setattr__(self, f.name, int(v) if f.name == "training_group_size" else v)
        if problems:
            raise DataValidationError(problems)


def _row(t: Translator, standard: str, item: str, status: str, note: str) -> dict[str, str]:
    """A checklist row; ``standard`` and ``item`` are message ids, ``note`` is translated."""
    return {
        "standard": t.gettext(standard),
        "item": t.gettext(item),
        "status": status,
        "note": note,
    }


def _recruit_screen_rows(d: ProgrammeDesign, t: Translator) -> list[dict[str, str]]:
    p = d.practice
    rows = []
    enough = d.seats >= d.n_mentees
    places = (
        N_("{seats} places for {n} mentees")
        if enough
        else N_("{seats} places for {n} mentees: recruit more mentors or raise the capacity")
    )
    rows.append(
        _row(
            t,
            STANDARDS[0],
            N_("places for every mentee"),
            "ok" if enough else "check",
            t.gettext(places).format(seats=d.seats, n=d.n_mentees),
        )
    )
    screening = N_("mentor screening")
    if p.screening == "none":
        status = "required" if p.minors else "missing"
        rows.append(
            _row(t, STANDARDS[1], screening, status, t.gettext(N_("no screening of mentors")))
        )
    elif p.minors and p.screening != "full":
        note = N_(
            "mentees are minors: add references and a criminal-record check where the law "
            "allows it (full)"
        )
        rows.append(_row(t, STANDARDS[1], screening, "required", t.gettext(note)))
    else:
        level = {"basic": N_("basic screening"), "full": N_("full screening")}[p.screening]
        rows.append(_row(t, STANDARDS[1], screening, "ok", t.gettext(level)))
    if p.minors:
        rows.append(
            _row(
                t,
                STANDARDS[1],
                N_("parental consent"),
                "ok" if p.parental_consent else "required",
                t.gettext(N_("written consent of a parent or guardian before matching a minor")),
            )
        )
    elif _MINOR_WORDS.search(d.audience):
        note = N_(
            "the audience ({audience!r}) suggests minors: set practice.minors: true "
            "(parental consent and full screening then required)"
        )
        rows.append(
            _row(
                t,
                STANDARDS[1],
                N_("mentees under 18?"),
                "check",
                t.gettext(note).format(audience=d.audience),
            )
        )
    return rows


def _train_match_rows(d: ProgrammeDesign, n_low: int | None, t: Translator) -> list[dict[str, str]]:
    p = d.practice
    if n_low is None:
        digital = N_("offered") if p.digital_training else N_("not offered")
        digital_note = t.gettext(digital)
    else:
        digital = (
            N_("offered ({n} matched mentees at digital comfort <= 2)")
            if p.digital_training
            else N_("not offered ({n} matched mentees at digital comfort <= 2)")
        )
        digital_note = t.gettext(digital).format(n=n_low)
    hours = localized(p.training_hours, t.lang)
    return [
        _row(
            t,
            STANDARDS[2],
            N_("pre-match mentor training"),
            "ok" if p.training_hours >= 2 else "missing",
            t.gettext(N_("{hours:g} h (MENTOR recommends at least 2 h before matching)")).format(
                hours=hours
            ),
        ),
        _row(
            t,
            STANDARDS[2],
            N_("digital tools training"),
            "ok" if p.digital_training else "check",
            digital_note,
        ),
        _row(
            t,
            STANDARDS[3],
            N_("facilitated first meeting"),
            "ok" if p.first_meeting else "missing",
            t.gettext(N_("the coordinator introduces each pair or group")),
        ),
        _row(
            t,
            STANDARDS[3],
            N_("mentoring agreement"),
            "ok" if p.agreement else "missing",
            t.gettext(N_("goals, rhythm, channels, confidentiality and its limits, how to end")),
        ),
    ]


def _follow_close_rows(d: ProgrammeDesign, t: Translator) -> list[dict[str, str]]:
    p = d.practice
    days = d.checkin_every_days
    if d.structure == "informal":
        follow = ("check", t.gettext(N_("informal: the coordinator does not check in")))
    elif days > 31:
        note = N_("check-ins every {days} days (more than a month)")
        follow = ("check", t.gettext(note).format(days=days))
    else:
        follow = ("ok", t.gettext(N_("check-ins every {days} days")).format(days=days))
    rematch = (
        N_("a mentee whose relationship ends early is offered a new mentor")
        if p.rematching
        else N_("a mentee whose relationship ends early is not offered a new mentor")
    )
    closure = (
        N_("closing meeting that affirms both people's contributions; reason recorded")
        if p.closure == "planned"
        else N_("the programme just stops")
    )
    return [
        _row(t, STANDARDS[4], N_("coordinator check-ins"), *follow),
        _row(
            t,
            STANDARDS[4],
            N_("rematching"),
            "ok" if p.rematching else "check",
            t.gettext(rematch),
        ),
        _row(
            t,
            STANDARDS[5],
            N_("planned closure"),
            "ok" if p.closure == "planned" else "missing",
            t.gettext(closure),
        ),
    ]


def _platform_rows(d: ProgrammeDesign, t: Translator) -> list[dict[str, str]]:
    p = d.practice
    rows = []
    platform = N_("programme platform")
    if p.platform == "personal":
        note = (
            N_(
                "exchanges on personal channels: the programme cannot support or protect them "
                "(minors: use a programme platform)"
            )
            if p.minors
            else N_("exchanges on personal channels: the programme cannot support or protect them")
        )
        rows.append(
            _row(t, STANDARDS[6], platform, "required" if p.minors else "check", t.gettext(note))
        )
    else:
        rows.append(_row(t, STANDARDS[6], platform, "ok", t.gettext(platform)))
    rows.append(
        _row(
            t,
            STANDARDS[6],
            N_("code of conduct"),
            "ok" if p.code_of_conduct else ("required" if p.minors else "missing"),
            t.gettext(
                N_("signed by mentors and mentees: confidentiality and its limits, what to report")
            ),
        )
    )
    if p.face_to_face_share > 0:
        note = (
            N_("{share:.0%} of meetings in person: agree public places and parents' information")
            if p.minors
            else N_("{share:.0%} of meetings in person")
        )
        rows.append(
            _row(
                t,
                STANDARDS[6],
                N_("in-person meetings"),
                "check" if p.minors else "ok",
                t.gettext(note).format(share=localized(p.face_to_face_share, t.lang)),
            )
        )
    return rows


def practice_checklist(
    design: ProgrammeDesign | Mapping[str, Any] | str,
    result: SimulationResult | None = None,
    *,
    lang: str | None = None,
) -> pd.DataFrame:
    """Each standard's items with a status and the reason.

    Parameters
    ----------
    design : ProgrammeDesign, dict, YAML path or text
        The design to check.
    result : SimulationResult, optional
        Its simulation: the digital-tools line then counts the matched mentees with low
        digital comfort.
    lang : str, optional
        Language of the texts (``standard``, ``item``, ``note``), ``"en"`` or ``"fr"``;
        default the process language (:func:`~ementor_kit.i18n.set_language`). The
        ``status`` codes stay as they are.

    Returns
    -------
    DataFrame
        Columns ``standard`` (one of ``STANDARDS``, in ``lang``), ``item``, ``status``
        (``ok``, ``missing``: a recommended practice is absent, ``required``: a safeguarding
        duty is not met, ``check``: decide knowingly) and ``note``.

    Examples
    --------
    >>> from ementor_kit.design import example_designs
    >>> circles = example_designs()["group_circles"]
    >>> t = practice_checklist(circles)
    >>> t.loc[t["status"] != "ok", ["item", "status"]].values.tolist()
    [['mentees under 18?', 'check'], ['rematching', 'check']]
    >>> safe = circles.replace(practice={"minors": True, "screening": "full"})
    >>> t = practice_checklist(safe)
    >>> t.loc[t["status"] == "required", "item"].tolist()
    ['parental consent']
    >>> practice_checklist(safe, lang="fr").loc[1, ["standard", "item", "status"]].tolist()
    ['vérification', 'vérification des mentor·es', 'ok']
    """
    d = ProgrammeDesign.coerce(design)
    t = translator(lang)
    n_low = None
    if result is not None:
        if not isinstance(result, SimulationResult):
            raise ArgumentTypeError("result", result, N_("pass simulate(design) or nothing"))
        n_low = int(_low_digital(result)[0])
    rows = _recruit_screen_rows(d, t) + _train_match_rows(d, n_low, t)
    rows += _follow_close_rows(d, t) + _platform_rows(d, t)
    return pd.DataFrame(rows, dtype="str")


def _low_digital(result: SimulationResult) -> tuple[int, int]:
    """Matched mentees and used mentors at or below the low digital comfort."""
    d, a = result.design, result.assumptions
    mentors, mentees = _cohort(d.n_mentees, d.n_mentors, result.seed)
    matched = mentees["mentee_id"].isin(result.pairs["mentee_id"])
    used = mentors["mentor_id"].isin(result.pairs["mentor_id"])
    low_e = int((mentees.loc[matched, "digital_comfort"] <= a.low_digital_comfort).sum())
    low_m = int((mentors.loc[used, "digital_comfort"] <= a.low_digital_comfort).sum())
    return low_e, low_m


def practice_costs(
    result: SimulationResult,
    costs: PracticeCosts | Mapping[str, Any] | None = None,
    outcome: OutcomeAssumptions | Mapping[str, Any] | None = None,
    *,
    lang: str | None = None,
) -> pd.DataFrame:
    """Coordinator and mentor hours of each practice for a simulated design.

    Parameters
    ----------
    result : SimulationResult
        From :func:`~ementor_kit.design.simulate` (the check-ins, relationships and the
        cohort's digital comfort come from it).
    costs : PracticeCosts or dict, optional
        The planning figures (STATED assumptions).
    outcome : OutcomeAssumptions or dict, optional
        For the expected number of early endings (rematches).
    lang : str, optional
        Language of the texts (``standard``, ``item``), ``"en"`` or ``"fr"``; default the
        process language (:func:`~ementor_kit.i18n.set_language`).

    Returns
    -------
    DataFrame
        One row per practice the design uses: ``standard``, ``item``, ``quantity``,
        ``hours_each``, ``coordinator_hours``, ``mentor_hours``; a last row ``total``
        (``standard`` and ``item`` in ``lang``).

    Examples
    --------
    >>> from ementor_kit.design import ProgrammeDesign, simulate
    >>> res = simulate(ProgrammeDesign(n_mentees=40, n_mentors=15, duration_weeks=8), seed=1)
    >>> t = practice_costs(res)
    >>> t["item"].tolist()[:3]
    ['recruit mentors', 'screen mentors', 'train mentors (sessions)']
    >>> t.iloc[-1]["item"]
    'total'
    >>> practice_costs(res, lang="fr")["item"].tolist()[:2]
    ['recruter les mentor·es', 'vérifier les mentor·es']
    """
    if not isinstance(result, SimulationResult):
        raise ArgumentTypeError("result", result, N_("pass the result of simulate(design)"))
    if costs is None:
        c = PracticeCosts()
    elif isinstance(costs, PracticeCosts):
        c = costs
    elif isinstance(costs, Mapping):
        c = PracticeCosts(**dict(costs))
    else:
        raise ArgumentTypeError("costs", costs, N_("pass a PracticeCosts or a dict of its fields"))
    t = translator(lang)
    d, p, s = result.design, result.design.practice, result.summary()
    relationships = result.pairs["group_id"].nunique() if d.format == "group" else len(result.pairs)
    low_e, low_m = _low_digital(result)
    screen = {"none": 0.0, "basic": c.basic_screening_hours, "full": c.full_screening_hours}
    out = expected_outcomes(result, outcome)
    contacts = d.contacts_per_month * d.duration_weeks * 12.0 / 52.0 * relationships
    rows: list[tuple[str, str, float, float, float, float]] = [
        (STANDARDS[0], N_("recruit mentors"), d.n_mentors, c.recruitment_hours_per_mentor, 1, 0),
        (STANDARDS[1], N_("screen mentors"), d.n_mentors, screen[p.screening], 1, 0),
    ]
    if p.minors:
        rows.append(
            (STANDARDS[1], N_("parental consent"), s["n_matched"], c.consent_hours_per_minor, 1, 0)
        )
    sessions = math.ceil(s["mentors_used"] / c.training_group_size)
    rows.append((STANDARDS[2], N_("train mentors (sessions)"), sessions, p.training_hours, 1, 0))
    rows.append(
        (STANDARDS[2], N_("mentors' training time"), s["mentors_used"], p.training_hours, 0, 1)
    )
    if p.digital_training:
        rows.append(
            (
                STANDARDS[2],
                N_("digital tools training"),
                low_e + low_m,
                c.digital_training_hours,
                1,
                0,
            )
        )
    if p.first_meeting:
        rows.append(
            (
                STANDARDS[3],
                N_("first meetings"),
                relationships,
                c.first_meeting_hours,
                1,
                1,
            )
        )
    if p.agreement:
        rows.append((STANDARDS[3], N_("agreements"), relationships, c.agreement_hours, 1, 0))
    rows.append(
        (
            STANDARDS[4],
            N_("check-ins"),
            s["expected_check_ins"],
            p.minutes_per_checkin / 60,
            1,
            0,
        )
    )
    if p.rematching:
        early = float(out["p_early_end"].sum())
        rows.append((STANDARDS[4], N_("rematches (expected)"), early, c.rematch_hours, 1, 0))
    if p.closure == "planned":
        rows.append((STANDARDS[5], N_("closing meetings"), relationships, c.closure_hours, 1, 1))
    rows.append((STANDARDS[4], N_("mentoring contacts (planned)"), contacts, c.session_hours, 0, 1))
    if p.face_to_face_share > 0:
        rows.append(
            (
                STANDARDS[4],
                N_("travel to in-person meetings"),
                contacts * p.face_to_face_share,
                c.travel_hours,
                0,
                1,
            )
        )
    table = pd.DataFrame(
        [
            {
                "standard": t.gettext(std),
                "item": t.gettext(item),
                "quantity": float(q),
                "hours_each": float(h),
                "coordinator_hours": float(q * h * who_c),
                "mentor_hours": float(q * h * who_m),
            }
            for std, item, q, h, who_c, who_m in rows
        ]
    )
    total = {
        "standard": "",
        "item": t.gettext(N_("total")),
        "quantity": math.nan,
        "hours_each": math.nan,
        "coordinator_hours": float(table["coordinator_hours"].sum()),
        "mentor_hours": float(table["mentor_hours"].sum()),
    }
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)
