"""The benefit side of a design: expected effect on the primary outcome, and its trade-offs.

:func:`~ementor_kit.design.simulate` says what a design costs (mentors, check-ins) and how many
pairs stay active; on its own it makes every extra week and every extra mentee look like a pure
loss. This module adds what the weeks are for: the **expected effect of mentoring on the primary
outcome**, as a standardised mean difference ``d`` against no mentoring, for each matched
mentee, as a function of how long the relationship lasted, how often the pair met, how the
relationship ended and how loaded the mentor was.

These are **stated assumptions, not estimates from data**. Each is a named parameter of
:class:`OutcomeAssumptions` with the source that motivates its direction and order of
magnitude, and a plausible range (:meth:`OutcomeAssumptions.describe`). The published studies
are of (mostly face-to-face) youth mentoring programmes; how far they carry to e-mentoring is
itself an assumption.

The outcome model
-----------------
A relationship that lasted ``t`` weeks gives the mentee::

    dose(t)  = 1 - exp(-t / dose_weeks)
    effect   = full_effect_d * dose(t) * contact * overload * closure

with ``contact = min(1, contacts_per_month / contacts_for_full_effect) ** contact_elasticity``
and ``overload = 1 / (1 + overload_effect_per_extra * max(0, load - comfortable_load))``
(``load``: relationships of the mentee's mentor). ``closure`` is 1 for a relationship that
reaches the planned end with a planned closure, ``unplanned_closure_factor`` when the programme
simply stops, ``faded_closure_factor`` for a relationship that faded before the end. A
relationship that **ends early, before** ``early_end_weeks``, does not give a small positive
effect but ``early_end_effect_d`` (negative: Grossman & Rhodes 2002 found decrements in
several indicators of functioning after relationships that terminated within a very short
period; the 13-week threshold is this toolkit's choice); with ``practice.rematching`` a share
``rematch_recovery`` of that harm is avoided. Unmatched mentees get 0. A planned short programme
that ends as planned is not an early ending: it gets the small dose of its few weeks.

Each pair's expected effect is exact under the simulation's hazard model:
``E = sum_w P(fades in week w) * effect(w - 1 weeks, faded) + S_D * effect(D, completed)``.

References
----------
- DuBois, D. L., Holloway, B. E., Valentine, J. C., & Cooper, H. (2002). Effectiveness of
  mentoring programs for youth: A meta-analytic review. *American Journal of Community
  Psychology, 30*(2), 157-197. https://doi.org/10.1023/A:1014628810714
- DuBois, D. L., Portillo, N., Rhodes, J. E., Silverthorn, N., & Valentine, J. C. (2011). How
  effective are mentoring programs for youth? A systematic assessment of the evidence.
  *Psychological Science in the Public Interest, 12*(2), 57-91.
- Grossman, J. B., & Rhodes, J. E. (2002). The test of time: Predictors and effects of duration
  in youth mentoring relationships. *American Journal of Community Psychology, 30*(2),
  199-219.
- Garringer, M., Kupersmidt, J., Rhodes, J., Stelter, R., & Tai, T. (2015). *Elements of
  Effective Practice for Mentoring* (4th ed.). MENTOR: The National Mentoring Partnership.
- Spencer, R. (2007). "It's not what I expected": A qualitative study of youth mentoring
  relationship failures. *Journal of Adolescent Research, 22*(4), 331-354.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._settings_yaml import unknown_key
from ementor_kit.design._values import _float, _problem
from ementor_kit.design.definition import DEFAULT_SEED, ProgrammeDesign
from ementor_kit.design.simulation import (
    SimulationAssumptions,
    SimulationResult,
    _relationship_load,
    _survival,
    simulate,
)
from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError
from ementor_kit.i18n.language import N_, translator

__all__ = ["OutcomeAssumptions", "expected_outcomes", "outcome_summary", "tradeoff_table"]

# parameter -> (unit, low, high, source and meaning)
_OUTCOME_HELP: dict[str, tuple[str, float, float, str]] = {
    "full_effect_d": (
        "d",
        0.1,
        0.5,
        N_(
            "Effect of a long, uninterrupted, well-closed relationship with enough contact. "
            "DuBois et al. (2011) report a mean d of about 0.21 across programmes as delivered "
            "(all durations, early endings included); DuBois et al. (2002) about 0.18 ('only a "
            "modest or small benefit'). That a full dose gives somewhat more (0.25) is an "
            "assumption of this toolkit."
        ),
    ),
    "dose_weeks": (
        N_("weeks"),
        8.0,
        40.0,
        N_(
            "Time scale of dose(t) = 1 - exp(-t / dose_weeks): with 20, a year gives 93 % of the "
            "full effect, six months 73 %, four weeks 18 %. Grossman & Rhodes (2002): "
            "relationships lasting a year or longer gave the largest number of improvements, "
            "relationships that ended earlier progressively fewer. The curve's shape and time "
            "scale are assumptions of this toolkit."
        ),
    ),
    "early_end_weeks": (
        N_("weeks"),
        4.0,
        26.0,
        N_(
            "A relationship ending before its planned end and before this many weeks counts as "
            "an early ending. Grossman & Rhodes (2002) found harm after relationships that "
            "terminated 'within a very short period of time' (a summary on everydaymentor.org: "
            "the first 3-6 months). 13 weeks (three months) is this toolkit's choice."
        ),
    ),
    "early_end_effect_d": (
        "d",
        -0.25,
        0.0,
        N_(
            "Effect of an early ending (negative: harm). Grossman & Rhodes (2002) found "
            "decrements in several indicators of functioning (self-worth and perceived "
            "scholastic competence, per the same summary) after relationships that terminated "
            "very early; the size here is an assumption of this toolkit."
        ),
    ),
    "contacts_for_full_effect": (
        N_("contacts/month"),
        2.0,
        8.0,
        N_(
            "Contacts a month from which more contact adds nothing (4: about weekly). An "
            "assumption of this toolkit, not from a source."
        ),
    ),
    "contact_elasticity": (
        N_("exponent"),
        0.0,
        1.0,
        N_(
            "Effect scales as (contacts / contacts_for_full_effect) ** elasticity below that "
            "level. DuBois et al. (2002): programmes with high expectations for frequency of "
            "contact (with mentor training, structured activities and monitoring) had larger "
            "effects; the exponent is an assumption of this toolkit."
        ),
    ),
    "comfortable_load": (
        N_("relationships"),
        1.0,
        10.0,
        N_(
            "Relationships a mentor follows before each one gets less (the overload cost). An "
            "assumption of this toolkit, not from a source."
        ),
    ),
    "overload_effect_per_extra": (
        N_("per relationship"),
        0.0,
        0.3,
        N_(
            "Effect divided by 1 + value * max(0, load - comfortable_load): less time and "
            "attention per mentee. No published estimate known to us: an assumption of this "
            "toolkit."
        ),
    ),
    "faded_closure_factor": (
        N_("ratio"),
        0.3,
        1.0,
        N_(
            "Share of the dose kept when a relationship fades after the early window without a "
            "closure (Spencer 2007 describes why relationships end early: abandonment, unmet "
            "expectations, weak agency support...; the number is an assumption of this "
            "toolkit)."
        ),
    ),
    "unplanned_closure_factor": (
        N_("ratio"),
        0.6,
        1.0,
        N_(
            "Share of the dose kept when the programme just stops (practice.closure: none) "
            "instead of a planned closure (Closure is Standard 6 of MENTOR's Elements, 2015). "
            "The number is an assumption of this toolkit."
        ),
    ),
    "rematch_recovery": (
        N_("share"),
        0.0,
        1.0,
        N_(
            "Share of the harm of an early ending avoided when the mentee is offered a new "
            "mentor (practice.rematching). An assumption of this toolkit, not from a source."
        ),
    ),
    "group_effect_ratio": (
        N_("ratio"),
        0.5,
        1.2,
        N_(
            "Effect of group mentoring relative to one-to-one (1: the same). An assumption of "
            "this toolkit; set it to your own reading of the group-mentoring literature."
        ),
    ),
}


@dataclass(frozen=True)
class OutcomeAssumptions:
    """STATED assumptions of the outcome model (see the module documentation).

    Every parameter names its source and plausible range in :meth:`describe`; none is
    estimated from data. Change them, and read the results as "what follows if these
    assumptions hold".

    Parameters
    ----------
    full_effect_d : float
        Effect (``d``) of a long, uninterrupted, well-closed relationship with enough contact.
    dose_weeks : float
        Time scale of the dose curve ``1 - exp(-t / dose_weeks)``.
    early_end_weeks : float
        Weeks before which an unplanned ending counts as an early ending.
    early_end_effect_d : float
        Effect (``d``, <= 0) of an early ending.
    contacts_for_full_effect : float
        Contacts a month from which more contact adds nothing.
    contact_elasticity : float
        Exponent of the contact factor.
    comfortable_load : float
        Relationships a mentor follows without each getting less.
    overload_effect_per_extra : float
        Loss per relationship beyond ``comfortable_load``.
    faded_closure_factor : float
        Share of the dose kept by a relationship that faded after the early window.
    unplanned_closure_factor : float
        Share kept when the programme ends without a planned closure.
    rematch_recovery : float
        Share of the early-ending harm avoided by rematching.
    group_effect_ratio : float
        Effect of group mentoring relative to one-to-one.

    Examples
    --------
    >>> a = OutcomeAssumptions()
    >>> a.full_effect_d, a.status
    (0.25, 'STATED ASSUMPTIONS')
    >>> round(a.dose(52), 3), round(a.dose(4), 3)
    (0.926, 0.181)
    >>> OutcomeAssumptions(early_end_effect_d=0.1)
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - outcome assumptions, column 'early_end_effect_d': invalid value 0.1. Fix: use a number between -1 and 0 (a harm, or none)
    """

    full_effect_d: float = 0.25
    dose_weeks: float = 20.0
    early_end_weeks: float = 13.0
    early_end_effect_d: float = -0.1
    contacts_for_full_effect: float = 4.0
    contact_elasticity: float = 0.5
    comfortable_load: float = 3.0
    overload_effect_per_extra: float = 0.1
    faded_closure_factor: float = 0.75
    unplanned_closure_factor: float = 0.9
    rematch_recovery: float = 0.5
    group_effect_ratio: float = 1.0

    status = N_("STATED ASSUMPTIONS")
    """Label of every number these assumptions produce: not an estimate from data."""

    def __post_init__(self) -> None:
        where = "outcome assumptions"
        bounds = {
            "full_effect_d": (0.0, 2.0, "use an effect d between 0 and 2"),
            "dose_weeks": (0.5, 520.0, "use a number of weeks between 0.5 and 520"),
            "early_end_weeks": (0.0, 104.0, "use a number of weeks between 0 and 104"),
            "early_end_effect_d": (-1.0, 0.0, "use a number between -1 and 0 (a harm, or none)"),
            "contacts_for_full_effect": (0.25, 31.0, "use contacts a month between 0.25 and 31"),
            "contact_elasticity": (0.0, 5.0, "use an exponent between 0 and 5"),
            "comfortable_load": (1.0, 50.0, "use relationships between 1 and 50"),
            "overload_effect_per_extra": (0.0, 10.0, "use a number >= 0"),
            "faded_closure_factor": (0.0, 1.0, "use a share between 0 and 1"),
            "unplanned_closure_factor": (0.0, 1.0, "use a share between 0 and 1"),
            "rematch_recovery": (0.0, 1.0, "use a share between 0 and 1"),
            "group_effect_ratio": (0.0, 5.0, "use a ratio between 0 and 5 (1: as one-to-one)"),
        }
        problems = []
        for key, (lo, hi, fix) in bounds.items():
            v = _float(getattr(self, key))
            if v is None or not lo <= v <= hi:
                problems.append(_problem(where, key, f"invalid value {getattr(self, key)!r}", fix))
            else:
                object.__setattr__(self, key, v)
        if problems:
            raise DataValidationError(problems)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutcomeAssumptions:
        """Assumptions from a flat mapping; omitted parameters keep their defaults.

        Parameters
        ----------
        data : mapping
            ``parameter: value`` entries.

        Returns
        -------
        OutcomeAssumptions

        Examples
        --------
        >>> OutcomeAssumptions.from_dict({"dose_weeks": 30}).dose_weeks
        30.0
        """
        if not isinstance(data, Mapping):
            raise ArgumentTypeError("assumptions", data, N_("pass a dict of parameter: value"))
        known = [f.name for f in fields(cls)]
        bad = [k for k in data if k not in known]
        if bad:
            raise DataValidationError(
                [unknown_key("outcome assumptions", str(k), known) for k in bad]
            )
        return cls(**dict(data))

    def dose(self, weeks: float | np.ndarray) -> Any:
        """Share of the full effect reached after ``weeks`` of relationship.

        Parameters
        ----------
        weeks : float or array
            Weeks the relationship lasted.

        Returns
        -------
        float or array
            ``1 - exp(-weeks / dose_weeks)``.

        Examples
        --------
        >>> round(OutcomeAssumptions().dose(26), 3)
        0.727
        """
        out = 1.0 - np.exp(-np.asarray(weeks, dtype=np.float64) / self.dose_weeks)
        return float(out) if out.ndim == 0 else out

    def describe(self, lang: str | None = None) -> pd.DataFrame:
        """One row per parameter: value, unit, plausible range, source and meaning, status.

        Parameters
        ----------
        lang : str, optional
            Language of the texts (``unit``, ``source``, ``status``), ``"en"`` or ``"fr"``;
            default the process language (:func:`~ementor_kit.i18n.set_language`). The
            ``parameter`` names stay as they are, and so do the works cited in ``source``.

        Returns
        -------
        DataFrame
            Columns ``parameter``, ``value``, ``unit``, ``low``, ``high``, ``source``,
            ``status``.

        Examples
        --------
        >>> OutcomeAssumptions().describe()[["parameter", "low", "high"]].head(1).to_dict("records")
        [{'parameter': 'full_effect_d', 'low': 0.1, 'high': 0.5}]
        >>> OutcomeAssumptions().describe(lang="fr").loc[1, ["parameter", "unit", "status"]].tolist()
        ['dose_weeks', 'semaines', 'HYPOTHÈSES POSÉES']
        """
        t = translator(lang)
        rows = [
            {
                "parameter": f.name,
                "value": float(getattr(self, f.name)),
                "unit": t.gettext(_OUTCOME_HELP[f.name][0]),
                "low": _OUTCOME_HELP[f.name][1],
                "high": _OUTCOME_HELP[f.name][2],
                "source": t.gettext(_OUTCOME_HELP[f.name][3]),
                "status": t.gettext(self.status),
            }
            for f in fields(self)
        ]
        return pd.DataFrame(rows)


def _check_outcome_assumptions(value: Any) -> OutcomeAssumptions:
    if value is None:
        return OutcomeAssumptions()
    if isinstance(value, OutcomeAssumptions):
        return value
    if isinstance(value, Mapping):
        return OutcomeAssumptions.from_dict(value)
    raise ArgumentTypeError(
        "outcome", value, N_("pass an OutcomeAssumptions or a dict of its parameters")
    )


def _effect(
    o: OutcomeAssumptions, design: ProgrammeDesign, weeks: np.ndarray, base: np.ndarray, faded: bool
) -> np.ndarray:
    """Effect of relationships that lasted ``weeks`` (``base``: contact x overload x group)."""
    dose = o.full_effect_d * o.dose(weeks) * base
    if not faded:
        closure = 1.0 if design.practice.closure == "planned" else o.unplanned_closure_factor
        return dose * closure
    harm = o.early_end_effect_d * (1.0 - (o.rematch_recovery if design.practice.rematching else 0))
    return np.where(weeks < o.early_end_weeks, harm, dose * o.faded_closure_factor)


def expected_outcomes(
    result: SimulationResult, outcome: OutcomeAssumptions | Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Each matched mentee's expected effect on the primary outcome (see the module notes).

    Parameters
    ----------
    result : SimulationResult
        From :func:`~ementor_kit.design.simulate`.
    outcome : OutcomeAssumptions or dict, optional
        The stated assumptions of the outcome model (defaults when omitted).

    Returns
    -------
    DataFrame
        One row per matched mentee: ``mentee_id``, ``mentor_id``, ``load`` (relationships of
        the mentor), ``p_early_end`` (chance the relationship ends before the planned end and
        before ``early_end_weeks``), ``p_complete`` (reaches the planned end),
        ``expected_effect`` (``d``).

    Examples
    --------
    >>> from ementor_kit.design import ProgrammeDesign, simulate
    >>> res = simulate(ProgrammeDesign(n_mentees=40, n_mentors=15, duration_weeks=26), seed=1)
    >>> out = expected_outcomes(res)
    >>> list(out.columns)
    ['mentee_id', 'mentor_id', 'load', 'p_early_end', 'p_complete', 'expected_effect']
    >>> bool((out["expected_effect"] < OutcomeAssumptions().full_effect_d).all())
    True
    """
    if not isinstance(result, SimulationResult):
        raise ArgumentTypeError("result", result, N_("pass the result of simulate(design)"))
    o = _check_outcome_assumptions(outcome)
    d, pairs = result.design, result.pairs
    group = d.format == "group"
    load = _relationship_load(pairs, group) if len(pairs) else np.zeros(0)
    contact = min(1.0, d.contacts_per_month / o.contacts_for_full_effect) ** o.contact_elasticity
    overload = 1.0 / (
        1.0 + o.overload_effect_per_extra * np.maximum(0.0, load - o.comfortable_load)
    )
    base = contact * overload * (o.group_effect_ratio if group else 1.0)
    surv = _survival(d, result.assumptions, pairs["weekly_hazard"].to_numpy(np.float64))
    weeks = d.duration_weeks
    prev = np.hstack([np.ones((len(pairs), 1)), surv[:, :-1]])
    p_fade = prev - surv  # P(fades in week w), w = 1..weeks
    lasted = np.arange(weeks, dtype=np.float64)  # a pair fading in week w lasted w - 1 weeks
    faded_effect = _effect(o, d, lasted[None, :], base[:, None], faded=True)
    completed = _effect(o, d, np.full(len(pairs), float(weeks)), base, faded=False)
    s_end = surv[:, -1]
    expected = (p_fade * faded_effect).sum(axis=1) + s_end * completed
    early = (lasted < o.early_end_weeks)[None, :]
    return pd.DataFrame(
        {
            "mentee_id": pairs["mentee_id"].to_numpy(),
            "mentor_id": pairs["mentor_id"].to_numpy(),
            "load": load.astype(np.int64),
            "p_early_end": (p_fade * early).sum(axis=1),
            "p_complete": s_end,
            "expected_effect": expected,
        }
    )


def outcome_summary(
    result: SimulationResult, outcome: OutcomeAssumptions | Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The benefit side of a simulated design, one number each.

    Parameters
    ----------
    result : SimulationResult
        From :func:`~ementor_kit.design.simulate`.
    outcome : OutcomeAssumptions or dict, optional
        The stated assumptions of the outcome model.

    Returns
    -------
    dict
        ``effect_per_matched`` (mean expected ``d`` of matched mentees),
        ``effect_per_enrolled`` (unmatched mentees count as 0: the effect an intention-to-treat
        comparison of the whole intake would see), ``total_benefit`` (sum of the matched
        mentees' effects: mentees x d), ``share_early_endings`` (expected share of matched
        mentees whose relationship ends early), ``mentor_hours_per_week_max`` (contact hours
        a week of the most loaded mentor, one hour per contact and relationship),
        ``outcome_assumptions`` (``STATED ASSUMPTIONS``).

    Examples
    --------
    >>> from ementor_kit.design import ProgrammeDesign, simulate
    >>> res = simulate(ProgrammeDesign(n_mentees=40, n_mentors=15, duration_weeks=26), seed=1)
    >>> s = outcome_summary(res)
    >>> s["effect_per_enrolled"] <= s["effect_per_matched"], s["outcome_assumptions"]
    (True, 'STATED ASSUMPTIONS')
    """
    o = _check_outcome_assumptions(outcome)
    out = expected_outcomes(result, o)
    d = result.design
    n = len(out)
    per_week = d.contacts_per_month * 12.0 / 52.0
    return {
        "effect_per_matched": float(out["expected_effect"].mean()) if n else math.nan,
        "effect_per_enrolled": float(out["expected_effect"].sum() / d.n_mentees),
        "total_benefit": float(out["expected_effect"].sum()),
        "share_early_endings": float(out["p_early_end"].mean()) if n else math.nan,
        "mentor_hours_per_week_max": float(out["load"].max() * per_week) if n else 0.0,
        "outcome_assumptions": o.status,
    }


def tradeoff_table(
    design: ProgrammeDesign | Mapping[str, Any] | str | Path,
    *,
    durations: Sequence[int] = (4, 8, 13, 26, 52),
    capacities: Sequence[int] = (1, 2, 3, 5, 10),
    seed: int = DEFAULT_SEED,
    assumptions: SimulationAssumptions | Mapping[str, Any] | None = None,
    outcome: OutcomeAssumptions | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Duration x mentor load: what each combination costs, keeps and gains.

    Parameters
    ----------
    design : ProgrammeDesign, dict, YAML path or text
        The base design; ``duration_weeks`` and ``mentor_capacity`` are varied.
    durations : sequence of int
        Programme lengths in weeks.
    capacities : sequence of int
        Mentees per mentor (groups per mentor in the group format).
    seed : int
        One seed for all (common random numbers).
    assumptions : SimulationAssumptions or dict, optional
        The ILLUSTRATIVE engagement assumptions.
    outcome : OutcomeAssumptions or dict, optional
        The STATED outcome assumptions.

    Returns
    -------
    DataFrame
        One row per (``duration_weeks``, ``mentor_capacity``): ``coverage``,
        ``active_share_end``, ``max_load``, ``expected_check_ins``, the keys of
        :func:`outcome_summary` and ``power`` of the planned pre/post test.

    Examples
    --------
    >>> from ementor_kit.design import ProgrammeDesign
    >>> base = ProgrammeDesign(n_mentees=40, n_mentors=15)
    >>> t = tradeoff_table(base, durations=(4, 26), capacities=(2,), seed=1)
    >>> t["duration_weeks"].tolist()
    [4, 26]
    >>> bool(t.loc[0, "active_share_end"] > t.loc[1, "active_share_end"])
    True
    >>> bool(t.loc[0, "effect_per_enrolled"] < t.loc[1, "effect_per_enrolled"])
    True
    """
    base = ProgrammeDesign.coerce(design)
    o = _check_outcome_assumptions(outcome)
    if not durations or not capacities:
        raise InvalidArgumentError(
            "durations", (durations, capacities), N_("give at least one duration and one capacity")
        )
    rows = []
    for weeks in durations:
        for cap in capacities:
            d = base.replace(
                name=f"{weeks} weeks, capacity {cap}", duration_weeks=weeks, mentor_capacity=cap
            )
            res = simulate(d, seed=seed, assumptions=assumptions)
            s = res.summary()
            rows.append(
                {
                    "duration_weeks": weeks,
                    "mentor_capacity": cap,
                    "coverage": s["coverage"],
                    "active_share_end": s["active_share_end"],
                    "max_load": s["max_load"],
                    "expected_check_ins": s["expected_check_ins"],
                    **outcome_summary(res, o),
                    "power": s["power"],
                }
            )
    return pd.DataFrame(rows)
