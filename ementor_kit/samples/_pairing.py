"""Pairing the synthetic programme: compatibility features, a greedy matching, pair parameters.

A simple seeded heuristic, not the optimiser of :mod:`ementor_kit.matching`: the sample only
needs a plausible matching that respects capacities, languages and conflicts of interest.
:func:`draw_pairs` then draws, for every pair, the parameters of its exchange simulation
(:class:`Pair`); what the pair actually did is summarised afterwards in :class:`PairActivity`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit.samples._tables import GOAL_CATEGORIES, LANGUAGES, SKILLS

# pair types, from the least to the most engaged (thresholds of the latent quality below)
TYPES = ("never", "fading", "irregular", "regular")
_TYPE_CUTS = (-1.35, -0.5, -0.15)
_RATE = {"regular": 1.6, "irregular": 1.0, "fading": 1.4, "never": 0.0}
_P_REPLY = {"regular": 0.92, "irregular": 0.8, "fading": 0.75, "never": 0.0}
_P_CONTINUE = {"regular": 0.55, "irregular": 0.5, "fading": 0.35, "never": 0.0}
# share of conversations the mentee starts, by career stage
_MENTEE_INITIATIVE = {
    "lyceen": 0.25,
    "etudiant": 0.4,
    "jeune_diplome": 0.45,
    "reconversion": 0.55,
    "demandeur_emploi": 0.38,
}


@dataclass(frozen=True)
class PairFeatures:
    """Mentee x mentor matrices (rows: mentees, columns: mentors) that drive the matching."""

    skills: np.ndarray  # share of the mentee's sought skills the mentor offers
    goals: np.ndarray  # share of the mentee's goal categories the mentor works on
    language: np.ndarray  # bool: at least one shared language
    conflict: np.ndarray  # bool: same organisation and department
    domain: np.ndarray  # 1.0 when the domains are the same
    tz: np.ndarray  # absolute difference of UTC offsets, hours
    modality: np.ndarray  # 1.0 same modality, 0.6 one of them mixed, 0.0 sync with async


@dataclass(frozen=True)
class Pair:
    """The parameters of one pair's exchange simulation (drawn once, before the simulation).

    Days count from the programme start; probabilities are per conversation or per message.
    """

    e: str  # mentee_id
    m: str  # mentor_id
    day: int  # matching day
    weeks: int  # length of the mentoring period
    kind: str  # one of TYPES
    q: float  # latent quality of the relationship (standardised, larger is better)
    off_e: float  # mentee's UTC offset, hours
    off_m: float  # mentor's UTC offset, hours
    rate: float  # conversations per week at full engagement
    p_sync: float  # share of conversations that are calls
    p_mentee: float  # share of conversations started by the mentee (first week)
    p_email: float  # share of messages sent by email rather than chat
    p_video: float  # share of calls that are video rather than phone
    p_reply: float  # probability that the first message of a thread is answered
    p_continue: float  # probability that a thread goes on after the reply
    latency_h: float  # typical reply delay, hours
    stop_week: int  # week from which a fading pair stops exchanging
    tau: float  # decay (weeks) of a fading pair's activity
    tz: float  # time-zone distance, hours (capped at 8)
    mod: float  # modality compatibility (as in PairFeatures.modality)
    dc_e: int  # mentee's digital comfort (1-5)
    dc_m: int  # mentor's digital comfort (1-5)


@dataclass(frozen=True)
class PairActivity:
    """What one pair actually did, as an analysis of the generated exchange log would see it."""

    n: int  # one-to-one interactions
    started: bool  # both wrote, or they had a call
    first_day: int  # day of the first exchange (the matching day when none)
    last_day: int  # day of the last exchange (the matching day when none)
    active_weeks: int  # weeks (from the matching day) with at least one exchange
    sync_share: float  # share of the interactions that are calls


def _multi_hot(values: pd.Series, vocabulary: tuple[str, ...]) -> np.ndarray:
    out = np.zeros((len(values), len(vocabulary)), dtype=float)
    for r, vals in enumerate(values):
        for v in vals:
            out[r, vocabulary.index(v)] = 1.0
    return out


def pair_features(mentees: pd.DataFrame, mentors: pd.DataFrame) -> PairFeatures:
    """Compatibility of every (mentee, mentor) couple."""
    se = _multi_hot(mentees["skills_sought"], SKILLS)
    so = _multi_hot(mentors["skills_offered"], SKILLS)
    ge = _multi_hot(mentees["goals"], GOAL_CATEGORIES)
    gm = _multi_hot(mentors["goals"], GOAL_CATEGORIES)
    le = _multi_hot(mentees["languages"], LANGUAGES)
    lm = _multi_hot(mentors["languages"], LANGUAGES)
    cell_e = (mentees["organisation"] + "\x1f" + mentees["department"]).to_numpy()
    cell_m = (mentors["organisation"] + "\x1f" + mentors["department"]).to_numpy()
    me, mm = mentees["modality"].to_numpy(), mentors["modality"].to_numpy()
    mod = np.where(
        me[:, None] == mm[None, :],
        1.0,
        np.where((me[:, None] == "mixed") | (mm[None, :] == "mixed"), 0.6, 0.0),
    )
    return PairFeatures(
        skills=(se @ so.T) / se.sum(axis=1, keepdims=True),
        goals=(ge @ gm.T) / ge.sum(axis=1, keepdims=True),
        language=(le @ lm.T) > 0,
        conflict=cell_e[:, None] == cell_m[None, :],
        domain=(
            mentees["domain"].to_numpy()[:, None] == mentors["domain"].to_numpy()[None, :]
        ).astype(float),
        tz=np.abs(
            mentees["utc_offset"].to_numpy(dtype=float)[:, None]
            - mentors["utc_offset"].to_numpy(dtype=float)[None, :]
        ),
        modality=mod,
    )


def heuristic_pairing(
    rng: np.random.Generator,
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    feats: PairFeatures,
) -> list[tuple[int, int]]:
    """Greedy matching on a noisy compatibility score; returns (mentee row, mentor row)."""
    score = (
        2.0 * feats.skills
        + 1.0 * feats.domain
        + 0.5 * feats.goals
        - 0.08 * np.minimum(feats.tz, 12)
        + 0.3 * feats.modality
        + rng.normal(0.0, 0.3, size=feats.skills.shape)
    )
    feasible = feats.language & ~feats.conflict
    score = np.where(feasible, score, -np.inf)
    order = np.argsort(-score, axis=None, kind="stable")
    left = mentors["capacity"].to_numpy().copy()
    done = np.zeros(len(mentees), dtype=bool)
    pairs = []
    n_m = len(mentors)
    for flat in order:
        e, m = divmod(int(flat), n_m)
        if not np.isfinite(score[e, m]):
            break
        if done[e] or left[m] == 0:
            continue
        done[e] = True
        left[m] -= 1
        pairs.append((e, m))
    pairs.sort()
    return pairs


def _draw_pair(
    rng: np.random.Generator,
    er: pd.Series,
    mr: pd.Series,
    feats: PairFeatures,
    e: int,
    m: int,
    weeks: int,
    t0_weekday: int,
) -> Pair:
    """The simulation parameters of the pair (mentee row ``e``, mentor row ``m``)."""
    cohort_b = er["cohort"] == "2026-B"
    day = int(rng.integers(0, 5)) + (7 if cohort_b else 0)
    day += 0 if (t0_weekday + day) % 7 < 5 else 2  # matched on a weekday
    tzd = min(feats.tz[e, m], 8.0)
    q = (
        0.5 * (feats.skills[e, m] - 0.45) / 0.25
        + 0.3 * feats.domain[e, m]
        + 0.4 * (feats.modality[e, m] - 0.6)
        + 0.2 * (er["digital_comfort"] - 3.3)
        + 0.3 * er["_sociability"]
        - 0.12 * tzd
        + rng.normal()
    )
    kind = TYPES[int(np.searchsorted(_TYPE_CUTS, q, side="right"))]
    both_sync = (er["modality"] == "sync") + (mr["modality"] == "sync")
    both_async = (er["modality"] == "async") + (mr["modality"] == "async")
    p_sync = float(
        np.clip(0.3 + 0.2 * both_sync - 0.12 * both_async + rng.normal(0, 0.07), 0.03, 0.85)
    )
    stage_init = _MENTEE_INITIATIVE[er["career_stage"]]
    stop_week = int(np.clip(round(rng.uniform(0.15, 0.65) * weeks), 1, weeks - 1))
    # The keyword arguments below are evaluated in order: rate, p_mentee, latency_h draw from rng.
    return Pair(
        e=er["mentee_id"],
        m=mr["mentor_id"],
        day=day,
        weeks=weeks,
        kind=kind,
        q=float(q),
        off_e=float(er["utc_offset"]),
        off_m=float(mr["utc_offset"]),
        rate=_RATE[kind] * float(rng.gamma(6.0, 1 / 6.0)),
        p_sync=p_sync,
        p_mentee=float(np.clip(stage_init + rng.normal(0, 0.1), 0.05, 0.85)),
        p_email=float(
            np.clip(
                0.15
                + 0.012 * (mr["years_experience"] - 10)
                + (0.15 if er["career_stage"] == "reconversion" else 0.0),
                0.05,
                0.7,
            )
        ),
        p_video=0.8 if min(er["digital_comfort"], mr["digital_comfort"]) >= 3 else 0.35,
        p_reply=_P_REPLY[kind],
        p_continue=_P_CONTINUE[kind],
        latency_h=float(np.exp(rng.normal(math.log(5 if kind == "regular" else 12), 0.5))),
        stop_week=stop_week,
        tau=max(1.0, stop_week / 1.5),
        tz=float(tzd),
        mod=float(feats.modality[e, m]),
        dc_e=int(er["digital_comfort"]),
        dc_m=int(mr["digital_comfort"]),
    )


def draw_pairs(
    rng: np.random.Generator,
    matched: list[tuple[int, int]],
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    feats: PairFeatures,
    weeks: int,
    t0_weekday: int,
) -> list[Pair]:
    """The :class:`Pair` of every matched (mentee row, mentor row), in the order of ``matched``.

    ``mentees`` must carry the hidden ``_sociability`` column; ``t0_weekday`` is the weekday of
    the programme start (Monday 0), so that pairs are matched on weekdays.
    """
    return [
        _draw_pair(rng, mentees.iloc[e], mentors.iloc[m], feats, e, m, weeks, t0_weekday)
        for e, m in matched
    ]
