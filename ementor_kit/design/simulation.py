"""Simulating a programme design: what it costs and gains on a synthetic cohort.

A :class:`ProgrammeDesign` is what a trainer or a coordinator decides before a programme starts:
its objectives and audience, the size of the cohort, how many mentees a mentor takes on,
one-to-one or group mentoring, how long it lasts, how much of the exchange is live
(synchronous: video, phone) rather than written (asynchronous: chat, e-mail, forum), how often
the coordinator checks in with each pair, whether the programme is formal (structured by the
coordinator) or informal, and how it will be evaluated. Designs are frozen, validated (every
error names the YAML key and the fix) and round-trip through YAML; examples live in
``data/samples/designs/``.

:func:`simulate` plays a design out on a synthetic cohort:

1. the cohort (mentors and mentees) comes from :func:`ementor_kit.samples.generate_programme`
   with the design's sizes and the simulation seed;
2. it is paired by the real pairing engine, :func:`ementor_kit.matching.match`, with the
   default :class:`~ementor_kit.matching.MatchRules` and every mentor's capacity set by the
   design (see *Group mentoring* below). Coverage and match scores are therefore the exact
   optimum of the engine, not a guess;
3. each pair's weekly chance of fading is computed from the design and the pair under the
   :class:`SimulationAssumptions` (ILLUSTRATIVE numbers, not findings: change them), and
   pairs fade week by week;
4. the evaluation plan is checked: expected number of mentees answering both waves and the
   power of the paired t test on the primary outcome for that sample.

Group mentoring
---------------
In the group format a mentor leads ``mentor_capacity`` groups of up to ``group_size`` mentees,
so a mentor offers ``mentor_capacity * group_size`` places. The pairing engine assigns mentees
to mentors with that many places (the compatibility of a mentee with the group's mentor is what
the score measures); a mentor's mentees are then split into ``ceil(k / group_size)`` groups of
balanced size. The engine's ``availability`` criterion compares the mentor's weekly hours per
relationship with the hours the mentee wants; a group session gives each member the whole hour,
so in the group format the mentor's hours are divided by the number of groups
(``mentor_capacity``), not by the places: the simulation divides each mentee's wanted
``availability_hours`` by ``group_size`` before pairing, so the engine's ratio
``(hours / places) / (wanted / group_size)`` is ``(hours / groups) / wanted``, the share of
the wanted hours each member gets.
Fading is simulated per mentee (a member can drop out of a group that continues); peer support
within a group changes the hazard by ``group_hazard_ratio``, only for mentees whose group has at
least two members (a mentor's only mentee is in a "group" of one: no peers, no peer support).
Coordinator check-ins are counted per relationship: per pair one-to-one, per group in the group
format.

Informal programmes
-------------------
In an informal programme pairs organise themselves once introduced: the coordinator does not
check in. The check-in factor of the hazard is therefore left out, ``informal_hazard_ratio``
takes its place (the hazard of a self-organised pair relative to the reference formal pair), and
the expected number of coordinator check-ins is 0; ``checkin_every_days`` is kept in the design
(so switching back to formal restores it) but is not used.

The hazard model
----------------
For a matched mentee ``i`` in week ``w`` (1 = first week), the chance of fading that week is::

    h_iw = min(1, weekly_fade_hazard
                  * (informal_hazard_ratio if informal, else
                     (checkin_every_days / reference_checkin_days) ** checkin_elasticity)
                  * (1 + sync_mix_penalty * (sync_share - best_sync_share) ** 2)
                  * (1 + timezone_hazard_per_hour * distance_hours_i * sync_share)
                  * hazard_ratio_per_10_points ** ((score_i - 50) / 10)
                  * (group_hazard_ratio if i's group has >= 2 members)
                  * untrained_hazard_ratio ** (1 - min(training_hours, 2) / 2)
                  * (1 + overload_hazard_per_extra * max(0, load_i - comfortable_load))
                  * (low_digital_hazard_ratio if no digital training and i's digital
                     comfort <= low_digital_comfort)
                  * (early_hazard_ratio
                     * (no_initiation_early_ratio if no first meeting or no agreement)
                     if w <= early_weeks))

``load_i`` is the number of relationships of i's mentor (mentees one-to-one, groups in the
group format): the overload cost. ``training_hours``, ``digital_training``,
``first_meeting`` and ``agreement`` come from the design's :class:`PracticePlan`; with the
default practices and loads up to ``comfortable_load`` these factors are all 1.

``best_sync_share`` is where this *assumed fading hazard* is lowest: it optimises retention
under these assumptions only, and says nothing about what mentees learn or gain (see
:mod:`ementor_kit.design.outcomes` for the outcome side).

``distance_hours_i`` is the distance between the mentee's and the mentor's UTC offsets on the
24-hour clock: it only matters for the live share of the exchanges. The model probability that
the pair is still active after week ``w`` is ``S_iw = prod_{k <= w} (1 - h_ik)``. The
simulation draws one uniform number ``u_i`` per mentee (from the seed) and the pair is active
after week ``w`` while ``S_iw >= u_i``. Because the same ``u_i`` serve every design with the
same cohort and seed (common random numbers), a design that lowers every hazard keeps every
pair active at least as long: more frequent check-ins never lower simulated retention.

Evaluation
----------
The primary outcome is compared before (T0) and after (T1) with a paired t test on the matched
mentees who answer both waves. The expected number is
``sum_i p0 * (S_iD * t1_response_active + (1 - S_iD) * t1_response_faded)``
with ``p0 = t0_response_rate`` and both waves' rates lowered by the length of the
questionnaires (``response_drop_per_10_items``). In the group format, members of a group share
their sessions, so their outcomes are correlated (``group_outcome_icc``): the sample counts as
``n / deff`` independent mentees with the design effect ``deff = 1 + (m - 1) * ICC``, ``m`` the
expected respondents per group (``deff = 1`` one-to-one). The power of the two-sided paired t
test for the target effect size ``d_z`` with ``n_analysed = floor(n / deff)`` comes from the
noncentral t distribution; :func:`ementor_kit.survey.power.plan_sample_size` gives the number
needed for the target power, and ``mentees_needed`` the intake that would give it at the same
coverage, retention, response rates and design effect.

The benefit side (expected effect on the primary outcome) is in
:mod:`ementor_kit.design.outcomes`, other evaluation designs in
:mod:`ementor_kit.design.evaluation_designs`, the practices' checklist and costs in
:mod:`ementor_kit.design.practice`.

References
----------
The engagement parameters are illustrative; the directions of the practice and informal
parameters follow:

- DuBois, D. L., Holloway, B. E., Valentine, J. C., & Cooper, H. (2002). Effectiveness of
  mentoring programs for youth: A meta-analytic review. *American Journal of Community
  Psychology, 30*(2), 157-197. https://doi.org/10.1023/A:1014628810714
- Garringer, M., Kupersmidt, J., Rhodes, J., Stelter, R., & Tai, T. (2015). *Elements of
  Effective Practice for Mentoring* (4th ed.). MENTOR: The National Mentoring Partnership.
- Uebler, C., Emmerdinger, K. J., Ziegler, A., & Stoeger, H. (2023). Dropping out of an online
  mentoring program for girls in STEM: A longitudinal study on the dynamically changing risk
  for premature match closure. *Journal of Community Psychology, 51*(8), 3121-3151.
  https://doi.org/10.1002/jcop.23039
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.design._values import _int
from ementor_kit.design.definition import DEFAULT_SEED, ProgrammeDesign, _coerce_designs
from ementor_kit.design.simulation_assumptions import SimulationAssumptions
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.i18n.language import N_
from ementor_kit.matching import MatchRules, match
from ementor_kit.matching.rules import DEFAULT_WEIGHTS
from ementor_kit.samples.generator import generate_programme
from ementor_kit.survey.power import plan_sample_size, t_test_power

__all__ = ["SimulationAssumptions", "SimulationResult", "compare_designs", "simulate"]

# ---------------------------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """What :func:`simulate` returns: the simulated consequences of a design.

    Every number is conditional on the :class:`SimulationAssumptions` (ILLUSTRATIVE) and on
    the synthetic cohort of the seed.

    Attributes
    ----------
    design : ProgrammeDesign
    assumptions : SimulationAssumptions
    seed : int
    pairs : DataFrame
        One row per matched mentee, by ``mentee_id``: ``mentor_id``, ``group_id`` (group
        format, else NA), ``score`` (engine score 0-100), ``distance_hours`` (time-zone
        distance), ``weekly_hazard`` (after the early weeks), ``p_active_end`` (model chance
        of being active at the end), ``fade_week`` (simulated week the pair faded, NA when
        still active: censored), ``active_end``, ``p_t1_complete`` (chance of answering both
        waves).
    unmatched : DataFrame
        Mentees the engine could not pair: ``mentee_id``, ``reason``.
    retention : DataFrame
        One row per week 0..duration: ``n_pairs``, ``n_active`` and ``active_share``
        (simulated), ``expected_active_share`` (mean model probability).
    mentor_load : DataFrame
        One row per mentor, by ``mentor_id``: ``seats``, ``n_mentees``, ``n_groups``,
        ``utilisation`` (mentees / seats), ``n_active_end``.
    evaluation : DataFrame
        One row: questionnaires, items per wave, expected respondents, the analysed sample,
        the power of the paired t test, the sample the target power needs and the expected
        number of coordinator check-ins (``expected_check_ins``).
    match_info : dict
        The engine's summary: ``objective``, ``solver``, ``status``, ``proven_optimal``, ``gap``,
        ``provenance``, ``version`` (never its timings).

    Examples
    --------
    >>> from ementor_kit.design import ProgrammeDesign, simulate
    >>> d = ProgrammeDesign(n_mentees=40, n_mentors=15, mentor_capacity=2, duration_weeks=8)
    >>> res = simulate(d, seed=3)
    >>> res.seed, len(res.pairs) + len(res.unmatched), len(res.retention)
    (3, 40, 9)
    """

    design: ProgrammeDesign
    assumptions: SimulationAssumptions
    seed: int
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    retention: pd.DataFrame
    mentor_load: pd.DataFrame
    evaluation: pd.DataFrame
    match_info: Mapping[str, Any]

    def summary(self) -> dict[str, Any]:
        """The key numbers, one value each (the row :func:`compare_designs` shows).

        Keys: ``design``, the design dimensions, ``seats``, ``n_matched``, ``coverage``,
        ``score_mean``, ``score_min``, ``active_share_end`` (simulated),
        ``expected_active_share_end`` (model), ``median_active_weeks`` (first week the
        simulated share drops below one half; NaN when it never does), ``mentors_used``,
        ``mean_load`` and ``max_load`` (mentees per mentor with at least one),
        ``expected_check_ins`` (coordinator check-ins over the programme: pairs - groups in
        the group format - active at the start of each week times ``7 / checkin_every_days``;
        an expected count, hence not a whole number; 0 in an informal programme), ``expected_t1_completers``,
        ``design_effect``, ``n_analysed`` (completers divided by the design effect, rounded
        down), ``power``, ``n_required``, ``mentees_needed``, ``optimal`` (the engine proved
        its pairing optimal) and ``assumptions`` (``ILLUSTRATIVE``).

        Returns
        -------
        dict
            The keys above, in that order.

        Examples
        --------
        >>> from ementor_kit.design import ProgrammeDesign, simulate
        >>> d = ProgrammeDesign(n_mentees=40, n_mentors=15, mentor_capacity=2, duration_weeks=8)
        >>> s = simulate(d, seed=3).summary()
        >>> s["seats"], s["assumptions"]
        (30, 'ILLUSTRATIVE')
        """
        d = self.design
        ret = self.retention
        ev = self.evaluation.iloc[0]
        load = self.mentor_load.loc[self.mentor_load["n_mentees"] > 0, "n_mentees"]
        below = ret.loc[ret["active_share"] < 0.5, "week"]
        n_matched = len(self.pairs)
        return {
            "design": d.name,
            "format": d.format,
            "group_size": d.group_size,
            "structure": d.structure,
            "duration_weeks": d.duration_weeks,
            "sync_share": d.sync_share,
            "checkin_every_days": d.checkin_every_days,
            "n_mentees": d.n_mentees,
            "n_mentors": d.n_mentors,
            "seats": d.seats,
            "n_matched": n_matched,
            "coverage": n_matched / d.n_mentees,
            "score_mean": float(self.pairs["score"].mean()) if n_matched else math.nan,
            "score_min": float(self.pairs["score"].min()) if n_matched else math.nan,
            "active_share_end": float(ret["active_share"].iloc[-1]),
            "expected_active_share_end": float(ret["expected_active_share"].iloc[-1]),
            "median_active_weeks": float(below.iloc[0]) if len(below) else math.nan,
            "mentors_used": len(load),
            "mean_load": float(load.mean()) if len(load) else math.nan,
            "max_load": int(load.max()) if len(load) else 0,
            "expected_check_ins": float(ev["expected_check_ins"]),
            "expected_t1_completers": float(ev["expected_t1_completers"]),
            "design_effect": float(ev["design_effect"]),
            "n_analysed": int(ev["n_analysed"]),
            "power": float(ev["power"]),
            "n_required": int(ev["n_required"]),
            "mentees_needed": float(ev["mentees_needed"]),
            "optimal": bool(self.match_info.get("proven_optimal", False)),
            "assumptions": self.assumptions.status,
        }


@functools.lru_cache(maxsize=8)
def _cohort(n_mentees: int, n_mentors: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentors and mentees of the synthetic cohort (people only; they do not depend on weeks)."""
    prog = generate_programme(n_mentees=n_mentees, n_mentors=n_mentors, weeks=2, seed=seed)
    mentors = prog.mentors.sort_values("mentor_id", kind="stable").reset_index(drop=True)
    mentees = prog.mentees.sort_values("mentee_id", kind="stable").reset_index(drop=True)
    return mentors, mentees


@dataclass(frozen=True, eq=False)
class _Matched:
    pairs: pd.DataFrame  # mentee_id, mentor_id, score
    unmatched: pd.DataFrame  # mentee_id, reason
    info: Mapping[str, Any]


def _match_rules(mentor_ids: Sequence[str], seats: int, group_size: int) -> MatchRules:
    return MatchRules(
        weights=dict(DEFAULT_WEIGHTS),
        capacity_override={m: seats for m in mentor_ids},
        name="design simulation",
        description=f"default rules, {seats} places per mentor"
        + (
            f", availability as hours per group (group size {group_size})" if group_size > 1 else ""
        ),
    )


@functools.lru_cache(maxsize=16)
def _matched(n_mentees: int, n_mentors: int, seed: int, seats: int, group_size: int) -> _Matched:
    """The engine's pairing; in the group format availability counts hours per group."""
    mentors, mentees = _cohort(n_mentees, n_mentors, seed)
    rules = _match_rules(tuple(mentors["mentor_id"]), seats, group_size)
    if group_size > 1:
        # the engine compares hours / places with the wanted hours; a group shares its hours,
        # so each member gets hours / groups: wanted / group_size gives that same ratio
        mentees = mentees.assign(availability_hours=mentees["availability_hours"] / group_size)
    result = match(mentors, mentees, rules)
    pairs = result.pairs[["mentee_id", "mentor_id", "score"]].copy()
    pairs = pairs.sort_values("mentee_id", kind="stable").reset_index(drop=True)
    pairs["score"] = pairs["score"].astype("float64")
    left = mentees.loc[~mentees["mentee_id"].isin(pairs["mentee_id"]), ["mentee_id"]]
    reasons = _unmatched_reasons(result.unmatched)
    unmatched = left.assign(
        reason=left["mentee_id"].map(reasons).fillna("not reported by the engine").astype("str")
    ).reset_index(drop=True)
    summary = result.summary().as_dict()
    keep = ("objective", "solver", "status", "proven_optimal", "gap", "provenance", "version")
    info = {k: summary[k] for k in keep if k in summary}  # never timings: not deterministic
    return _Matched(pairs, unmatched, MappingProxyType(info))


def _unmatched_reasons(un: pd.DataFrame) -> dict[str, str]:
    """mentee id -> reason from the engine's unmatched table (mentee rows only)."""
    mentees = un.loc[un["role"] == "mentee"]
    return dict(zip(mentees["person_id"].astype(str), mentees["reason"].astype(str), strict=True))


def _groups(pairs: pd.DataFrame, group_size: int) -> pd.Series:
    """Balanced groups of at most ``group_size`` within each mentor (mentees in id order)."""
    rank = pairs.groupby("mentor_id", sort=True).cumcount().to_numpy()
    size = pairs.groupby("mentor_id", sort=True)["mentee_id"].transform("size").to_numpy()
    n_groups = -(-size // group_size)
    idx = rank % n_groups + 1
    return pd.Series(
        [f"{m}-G{i}" for m, i in zip(pairs["mentor_id"], idx, strict=True)],
        index=pairs.index,
        dtype="str",
    )


def _hazards(
    design: ProgrammeDesign,
    a: SimulationAssumptions,
    score: np.ndarray,
    distance: np.ndarray,
    with_peers: np.ndarray,
    load: np.ndarray | None = None,
    low_digital: np.ndarray | None = None,
) -> np.ndarray:
    """Weekly hazard of each pair after the early weeks (see the module documentation).

    ``with_peers`` marks mentees whose group has at least two members (all False one-to-one);
    ``load`` is the relationships of each pair's mentor, ``low_digital`` marks mentees at or
    below ``low_digital_comfort`` (both omitted: no overload, nobody low).
    """
    h = np.full(len(score), a.weekly_fade_hazard, dtype=np.float64)
    if design.structure == "informal":
        h *= a.informal_hazard_ratio  # no coordinator check-ins
    else:
        h *= (design.checkin_every_days / a.reference_checkin_days) ** a.checkin_elasticity
    h *= 1.0 + a.sync_mix_penalty * (design.sync_share - a.best_sync_share) ** 2
    h *= 1.0 + a.timezone_hazard_per_hour * distance * design.sync_share
    h *= a.hazard_ratio_per_10_points ** ((score - 50.0) / 10.0)
    h *= np.where(with_peers, a.group_hazard_ratio, 1.0)
    practice = design.practice
    h *= a.untrained_hazard_ratio ** (1.0 - min(practice.training_hours, 2.0) / 2.0)
    if load is not None:
        h *= 1.0 + a.overload_hazard_per_extra * np.maximum(0.0, load - a.comfortable_load)
    if low_digital is not None and not practice.digital_training:
        h *= np.where(low_digital, a.low_digital_hazard_ratio, 1.0)
    return h


def _early_ratio(design: ProgrammeDesign, a: SimulationAssumptions) -> float:
    """Hazard multiplier of the early weeks (higher without a first meeting or an agreement)."""
    started = design.practice.first_meeting and design.practice.agreement
    return a.early_hazard_ratio * (1.0 if started else a.no_initiation_early_ratio)


def _survival(design: ProgrammeDesign, a: SimulationAssumptions, h: np.ndarray) -> np.ndarray:
    """Model probability S_iw that pair i is still active after week w (w = 1..weeks)."""
    early = np.arange(1, design.duration_weeks + 1) <= a.early_weeks
    hw = h[:, None] * np.where(early, _early_ratio(design, a), 1.0)[None, :]
    return np.cumprod(1.0 - np.minimum(hw, 1.0), axis=1)


def _relationship_load(pairs: pd.DataFrame, group: bool) -> np.ndarray:
    """Relationships of each pair's mentor: mentees one-to-one, groups in the group format."""
    by = pairs.groupby("mentor_id")
    load = by["group_id"].transform("nunique") if group else by["mentee_id"].transform("size")
    return load.to_numpy(np.float64)


def _fade_draws(seed: int, n_mentees: int) -> np.ndarray:
    """One uniform number per mentee (common random numbers across designs)."""
    return np.random.default_rng(np.random.SeedSequence([seed, 7_000_007])).random(n_mentees)


def _check_seed(seed: Any) -> int:
    s = _int(seed)
    if s is None or s < 0:
        raise (InvalidArgumentError if s is not None else ArgumentTypeError)(
            "seed", seed, N_("pass a whole number >= 0, e.g. seed=2026")
        )
    return s


def simulate(
    design: ProgrammeDesign | Mapping[str, Any] | str | Path,
    *,
    seed: int = DEFAULT_SEED,
    assumptions: SimulationAssumptions | Mapping[str, Any] | None = None,
) -> SimulationResult:
    """Simulate a programme design on a synthetic cohort (see the module documentation).

    Parameters
    ----------
    design : ProgrammeDesign, dict, YAML path or YAML text
        The design to play out.
    seed : int
        Seed of the synthetic cohort and of the fading draws: the same design, seed and
        assumptions give identical results.
    assumptions : SimulationAssumptions or dict, optional
        The ILLUSTRATIVE engagement and response parameters (defaults when omitted).

    Returns
    -------
    SimulationResult
        ``pairs``, ``unmatched``, ``retention``, ``mentor_load``, ``evaluation`` and
        ``summary()``.

    Notes
    -----
    Guarantees (tested): for the same seed, more mentor capacity (or larger groups) never
    lowers coverage, because coverage is the engine's exact maximum; more frequent check-ins
    never lower the simulated share of active pairs in any week, because every pair keeps its
    random draw and its hazard can only fall.

    Examples
    --------
    >>> d = ProgrammeDesign(n_mentees=40, n_mentors=15, mentor_capacity=2, duration_weeks=8)
    >>> res = simulate(d, seed=3)
    >>> s = res.summary()
    >>> s["n_matched"] == len(res.pairs), s["assumptions"]
    (True, 'ILLUSTRATIVE')
    >>> res.retention["week"].tolist() == list(range(9))
    True
    >>> bool((res.retention["active_share"].diff().dropna() <= 0).all())
    True
    """
    design = ProgrammeDesign.coerce(design)
    seed = _check_seed(seed)
    a = _check_assumptions(assumptions)
    group = design.format == "group"
    mentors, mentees = _cohort(design.n_mentees, design.n_mentors, seed)
    seats_per_mentor = design.mentor_capacity * design.group_size
    m = _matched(design.n_mentees, design.n_mentors, seed, seats_per_mentor, design.group_size)
    pairs = m.pairs.copy()
    if group:
        pairs["group_id"] = _groups(pairs, design.group_size)
        with_peers = pairs.groupby("group_id")["mentee_id"].transform("size").to_numpy() >= 2
    else:
        pairs["group_id"] = pd.Series(pd.NA, index=pairs.index, dtype="str")
        with_peers = np.zeros(len(pairs), dtype=bool)
    distance = _tz_distance(pairs, mentors, mentees)
    comfort = pairs["mentee_id"].map(mentees.set_index("mentee_id")["digital_comfort"])
    low_digital = comfort.to_numpy(np.float64) <= a.low_digital_comfort
    load = _relationship_load(pairs, group)
    score = pairs["score"].to_numpy(np.float64)
    h = _hazards(design, a, score, distance, with_peers, load, low_digital)
    surv, active, fade_week = _fading(design, a, h, _fade_draws(seed, len(mentees)), pairs, mentees)
    retention = _retention(surv, active, design.duration_weeks)
    checkins, n_units = _check_ins(design, pairs, active)
    evaluation, p_both, s_end = _evaluation(design, a, surv, checkins, n_units)

    # per-pair table
    pairs["distance_hours"] = distance
    pairs["weekly_hazard"] = h
    pairs["p_active_end"] = s_end
    pairs["fade_week"] = pd.array(fade_week, dtype="Int64").copy()
    pairs.loc[fade_week == 0, "fade_week"] = pd.NA  # still active at the end: censored
    pairs["active_end"] = active[:, -1] if len(pairs) else np.zeros(0, dtype=bool)
    pairs["p_t1_complete"] = p_both
    pairs = pairs[list(_PAIR_COLUMNS)]
    return SimulationResult(
        design=design,
        assumptions=a,
        seed=seed,
        pairs=pairs.reset_index(drop=True),
        unmatched=m.unmatched.copy(),
        retention=retention,
        mentor_load=_mentor_load(mentors, pairs, seats_per_mentor, design.group_size),
        evaluation=evaluation,
        match_info=m.info,
    )


_PAIR_COLUMNS = (
    "mentee_id",
    "mentor_id",
    "group_id",
    "score",
    "distance_hours",
    "weekly_hazard",
    "p_active_end",
    "fade_week",
    "active_end",
    "p_t1_complete",
)


def _check_assumptions(
    assumptions: SimulationAssumptions | Mapping[str, Any] | None,
) -> SimulationAssumptions:
    if assumptions is None:
        return SimulationAssumptions()
    if isinstance(assumptions, SimulationAssumptions):
        return assumptions
    if isinstance(assumptions, Mapping):
        return SimulationAssumptions.from_dict(assumptions)
    raise ArgumentTypeError(
        "assumptions", assumptions, N_("pass a SimulationAssumptions or a dict of its parameters")
    )


def _tz_distance(pairs: pd.DataFrame, mentors: pd.DataFrame, mentees: pd.DataFrame) -> np.ndarray:
    """Time-zone distance of each pair in hours, on the 24-hour clock."""
    off_e = pairs["mentee_id"].map(mentees.set_index("mentee_id")["utc_offset"]).to_numpy(float)
    off_m = pairs["mentor_id"].map(mentors.set_index("mentor_id")["utc_offset"]).to_numpy(float)
    diff = np.abs(off_e - off_m) % 24.0
    return np.minimum(diff, 24.0 - diff)


def _fading(
    design: ProgrammeDesign,
    a: SimulationAssumptions,
    h: np.ndarray,
    draws: np.ndarray,
    pairs: pd.DataFrame,
    mentees: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Week-by-week fading with common random numbers: survival, active, fade week (0: none)."""
    surv = _survival(design, a, h)  # S_iw, w = 1..weeks
    pos = pd.Index(mentees["mentee_id"]).get_indexer(pairs["mentee_id"])
    u = draws[pos]
    active = surv >= u[:, None]
    faded = ~active
    fade_week = np.where(faded.any(axis=1), faded.argmax(axis=1) + 1, 0)
    return surv, active, fade_week


def _retention(surv: np.ndarray, active: np.ndarray, weeks: int) -> pd.DataFrame:
    """Pairs still active at each week (week 0: all of them), simulated and expected."""
    n_pairs = len(active)
    n_active = np.concatenate([[n_pairs], active.sum(axis=0)]).astype(np.int64)
    expected = np.concatenate([[1.0], surv.mean(axis=0)]) if n_pairs else np.full(weeks + 1, np.nan)
    return pd.DataFrame(
        {
            "week": np.arange(weeks + 1, dtype=np.int64),
            "n_pairs": np.full(weeks + 1, n_pairs, dtype=np.int64),
            "n_active": n_active,
            "active_share": n_active / n_pairs if n_pairs else np.full(weeks + 1, np.nan),
            "expected_active_share": expected,
        }
    )


def _check_ins(
    design: ProgrammeDesign, pairs: pd.DataFrame, active: np.ndarray
) -> tuple[float, int]:
    """Expected coordinator check-ins (0 when informal) and relationships (pairs, or groups)."""
    weeks = design.duration_weeks
    if design.format == "group":
        group_id = pairs["group_id"]
        units = pd.Index(group_id).unique()
        codes = pd.Index(units).get_indexer(group_id)
        unit_active = np.zeros((len(units), weeks), dtype=bool)
        np.logical_or.at(unit_active, codes, active)
        active_units = unit_active.sum(axis=0)
        n_units = len(units)
    else:
        active_units = active.sum(axis=0)
        n_units = len(pairs)
    if design.structure == "informal":
        return 0.0, n_units  # pairs organise themselves: the coordinator does not check in
    # units active at the start of week w (week 1: everybody) are checked in 7/cadence times
    at_start = np.concatenate([[n_units], active_units[:-1]]) if weeks else np.zeros(0)
    return float(at_start.sum() * 7.0 / design.checkin_every_days), n_units


def _evaluation(
    design: ProgrammeDesign,
    a: SimulationAssumptions,
    surv: np.ndarray,
    checkins: float,
    n_units: int,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The evaluation table, each pair's chance to answer both waves, its survival at the end."""
    plan = design.evaluation
    n_pairs = len(surv)
    items0, items1 = plan.items_at("T0"), plan.items_at("T1")
    p0 = a.t0_response_rate * max(0.0, 1.0 - a.response_drop_per_10_items * items0 / 10.0)
    burden1 = max(0.0, 1.0 - a.response_drop_per_10_items * items1 / 10.0)
    s_end = surv[:, -1] if n_pairs else np.zeros(0)
    p1 = (s_end * a.t1_response_active + (1.0 - s_end) * a.t1_response_faded) * burden1
    p_both = p0 * p1
    expected_completers = float(p_both.sum())
    if design.format == "group" and n_units:
        per_group = max(1.0, expected_completers / n_units)
        design_effect = 1.0 + (per_group - 1.0) * a.group_outcome_icc
    else:
        design_effect = 1.0
    n_analysed = int(math.floor(expected_completers / design_effect + 1e-9))
    power = t_test_power(plan.effect_size, n_analysed, alpha=plan.alpha, paired=True)
    n_required = plan_sample_size(plan.effect_size, plan.power, plan.alpha, paired=True).n
    per_mentee = expected_completers / design.n_mentees
    mentees_needed = (
        float(math.ceil(n_required * design_effect / per_mentee)) if per_mentee > 0 else math.nan
    )
    evaluation = pd.DataFrame(
        {
            "primary_outcome": [plan.primary_outcome],
            "instruments_T0": [";".join(plan.instruments["T0"])],
            "instruments_T1": [";".join(plan.instruments["T1"])],
            "items_T0": [items0],
            "items_T1": [items1],
            "n_matched": [n_pairs],
            "expected_t0_responders": [p0 * n_pairs],
            "expected_t1_completers": [expected_completers],
            "design_effect": [design_effect],
            "n_analysed": [n_analysed],
            "effect_size": [plan.effect_size],
            "alpha": [plan.alpha],
            "target_power": [plan.power],
            "power": [power],
            "n_required": [n_required],
            "mentees_needed": [mentees_needed],
            "expected_check_ins": [checkins],
        }
    ).astype({"primary_outcome": "str", "instruments_T0": "str", "instruments_T1": "str"})
    return evaluation, p_both, s_end


def _mentor_load(
    mentors: pd.DataFrame, pairs: pd.DataFrame, seats_per_mentor: int, group_size: int
) -> pd.DataFrame:
    """Seats, mentees, groups, utilisation and mentees still active at the end, per mentor."""
    load = mentors[["mentor_id"]].copy()
    counts = pairs.groupby("mentor_id", sort=True).agg(
        n_mentees=("mentee_id", "size"), n_active_end=("active_end", "sum")
    )
    load["seats"] = np.int64(seats_per_mentor)
    load["n_mentees"] = load["mentor_id"].map(counts["n_mentees"]).fillna(0).astype("int64")
    load["n_groups"] = -(-load["n_mentees"] // group_size)
    load["utilisation"] = load["n_mentees"] / seats_per_mentor
    load["n_active_end"] = load["mentor_id"].map(counts["n_active_end"]).fillna(0).astype("int64")
    return load.reset_index(drop=True)


def compare_designs(
    designs: Sequence[ProgrammeDesign | Mapping[str, Any] | str | Path],
    *,
    seed: int = DEFAULT_SEED,
    assumptions: SimulationAssumptions | Mapping[str, Any] | None = None,
    client: object = None,
) -> pd.DataFrame:
    """Simulate several designs with the same seed and assumptions, one row per design.

    Parameters
    ----------
    designs : sequence of ProgrammeDesign, dict, YAML path or text
        Designs with distinct names.
    seed : int
        One seed for all (common random numbers: differences come from the designs).
    assumptions : SimulationAssumptions or dict, optional
        The ILLUSTRATIVE parameters, shared by every design.
    client : dask.distributed.Client, optional
        Run the simulations on this Dask cluster; the same table (see
        :mod:`ementor_kit.design.sweeps`, also for many replications per design).

    Returns
    -------
    DataFrame
        Index ``design`` (the names); columns the keys of :meth:`SimulationResult.summary`.
        Transpose it (``.T``) to read the designs side by side.

    Examples
    --------
    >>> base = ProgrammeDesign(name="fortnightly", n_mentees=40, n_mentors=15,
    ...                        duration_weeks=10, checkin_every_days=14)
    >>> weekly = base.replace(name="weekly", checkin_every_days=7)
    >>> table = compare_designs([base, weekly], seed=1)
    >>> table.index.tolist()
    ['fortnightly', 'weekly']
    >>> bool(table.loc["weekly", "active_share_end"] >= table.loc["fortnightly", "active_share_end"])
    True
    """
    parsed = _coerce_designs(designs)
    if not parsed:
        raise InvalidArgumentError(
            "designs",
            designs,
            N_("pass a list of at least one design"),
            message=N_("No design to compare"),
        )
    names = [d.name for d in parsed]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InvalidArgumentError(
            "designs",
            names,
            N_("give each design its own name (design.replace(name=...))"),
            message=N_("Several designs are named {dup}").format(
                dup=", ".join(repr(n) for n in dup)
            ),
        )
    if client is not None:  # on a Dask cluster: the same rows (ementor_kit.design.sweeps)
        # imported here: sweeps builds on this module
        from ementor_kit.design.sweeps import run_summaries

        rows = run_summaries(parsed, [_check_seed(seed)], assumptions, client=client)
    else:
        rows = [simulate(d, seed=seed, assumptions=assumptions).summary() for d in parsed]
    return pd.DataFrame(rows).set_index("design")
