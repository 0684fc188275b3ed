"""Drawing the people of the synthetic programme: mentor and mentee profiles.

:func:`draw_mentors` and :func:`draw_mentees` return one profile row per person, with the columns
of :data:`ementor_kit.data.schema.MENTORS` / :data:`~ementor_kit.data.schema.MENTEES` (not yet
typed: lists are tuples, numbers plain Python values).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.samples._draw import ordered, weighted
from ementor_kit.samples._tables import (
    CAREER_STAGES,
    DOMAIN_WEIGHTS,
    DOMAINS,
    FIRST_NAMES,
    GOAL_CATEGORIES,
    GOAL_WEIGHTS_BY_STAGE,
    INITIALS,
    LANGUAGES,
    LYCEE_CLASSES,
    LYCEES,
    MAINLAND_ORIGINS,
    MENTOR_SKILL_BASE,
    MENTOR_SKILL_BOOST,
    MODALITIES,
    ORGS,
    ORIGINS_BY_REGION,
    OTHER_EMPLOYERS,
    REGIONS,
    SCHOOLS,
    SKILL_WEIGHTS_BY_STAGE,
    SKILLS,
    STAGE_WEIGHTS,
)

# region, winter UTC offset (hours), kind, weight among mentees, weight among mentors
Region = tuple[str, float, str, float, float]

# Origins whose mentees may speak only their heritage language (recent arrivals), and that language.
_HERITAGE_ONLY = {
    "maghreb": "ar",
    "levant": "ar",
    "lusophone": "pt",
    "hispanique": "es",
    "afrique": "wo",
}


def _origin_weights(region: str) -> dict[str, float]:
    return ORIGINS_BY_REGION.get(region, MAINLAND_ORIGINS)


def _origins(rng: np.random.Generator, regions: list[Region]) -> list[str]:
    return [
        weighted(rng, list(_origin_weights(r[0])), list(_origin_weights(r[0]).values()))
        for r in regions
    ]


def _languages(rng: np.random.Generator, origin: str, region: str, mentor: bool) -> tuple[str, ...]:
    langs = ["fr"]
    p_en = 0.4 if mentor else 0.3
    if region == "Québec":
        p_en = 0.75
    if rng.random() < p_en:
        langs.append("en")
    heritage = {
        "maghreb": ("ar", 0.6),
        "levant": ("ar", 0.7),
        "lusophone": ("pt", 0.8),
        "hispanique": ("es", 0.9),
        "afrique": ("wo", 0.25 if region != "Sénégal" else 0.85),
        "antilles": ("cpf", 0.8),
        "reunion": ("cpf", 0.8),
        "comores": ("ar", 0.3),
    }
    if origin in heritage:
        lang, p = heritage[origin]
        if rng.random() < p:
            langs.append(lang)
    if rng.random() < 0.06:
        langs.append("es")
    p_de = {"Suisse": 0.4, "Grand Est": 0.15, "Belgique": 0.1}.get(region, 0.02)
    if rng.random() < p_de:
        langs.append("de")
    if region == "Guyane" and rng.random() < 0.15:
        langs.append("pt")
    return ordered(langs, LANGUAGES)


def _names(rng: np.random.Generator, origins: list[str], taken: set[str]) -> list[str]:
    names = []
    for origin in origins:
        pool = FIRST_NAMES[origin]
        for _ in range(200):
            name = f"{pool[int(rng.integers(len(pool)))]} {INITIALS[rng.integers(len(INITIALS))]}."
            if name not in taken:
                break
        else:  # pragma: no cover - only with thousands of people from one origin
            name = f"{name[:-1]}{len(taken)}."
        taken.add(name)
        names.append(name)
    return names


def _draw_regions(rng: np.random.Generator, n: int, mentor: bool) -> list[Region]:
    w = [r[4] if mentor else r[3] for r in REGIONS]
    return weighted(rng, REGIONS, w, size=n)


# ---------------------------------------------------------------------------------------------
# Mentors
# ---------------------------------------------------------------------------------------------


def _capacities(rng: np.random.Generator, n: int, n_mentees: int) -> np.ndarray:
    cap = rng.choice([1, 2, 3, 4], size=n, p=[0.05, 0.27, 0.40, 0.28])
    # Top up capacities so that about 95 % of mentees can find a place (real programmes recruit
    # mentors until the intake is covered); the language and conflict rules leave a few more out.
    target = min(4 * n, math.ceil(0.935 * n_mentees))
    while cap.sum() < target:
        open_ = np.flatnonzero(cap < 4)
        cap[open_[rng.integers(len(open_))]] += 1
    return cap


def _employer(rng: np.random.Generator, region: Region) -> tuple[str, str, str]:
    """(organisation, department, domain) of a mentor: national employers or local ones."""
    w = []
    for org in ORGS:
        home = org[1]
        if home is None:
            w.append(org[3] * (1.0 if region[2] == "mainland" else 0.25))
        else:
            w.append(org[3] * 4.0 if region[0] in home else 0.0)
    name, _, departments, _ = weighted(rng, ORGS, w)
    dept, domain = departments[int(rng.integers(len(departments)))]
    return name, dept, domain


def _mentor(
    rng: np.random.Generator, i: int, region: Region, origin: str, name: str, capacity: int
) -> dict[str, Any]:
    rname = region[0]
    org, dept, domain = _employer(rng, region)
    years = int(np.clip(round(rng.gamma(4.0, 3.8)), 3, 35))
    sw = np.array(MENTOR_SKILL_BASE, dtype=float)
    for skill, boost in MENTOR_SKILL_BOOST[domain].items():
        sw[SKILLS.index(skill)] += boost
    if years > 15:
        sw[SKILLS.index("leadership")] += 3
        sw[SKILLS.index("reseau_professionnel")] += 1
    if "en" in (langs := _languages(rng, origin, rname, mentor=True)):
        sw[SKILLS.index("anglais_pro")] += 2
    skills = weighted(rng, SKILLS, sw, size=int(rng.integers(3, 7)), replace=False)
    gw = np.array([3, 3, 3, 2.5, 2, 1], dtype=float)
    if "creation_entreprise" in skills:
        gw[5] += 3
    goals = weighted(rng, GOAL_CATEGORIES, gw, size=int(rng.integers(2, 6)), replace=False)
    u = rng.random()
    group = None if u < 0.15 else ("qpv" if u < 0.22 else "non_qpv")
    return {
        "mentor_id": f"M{i + 1:03d}",
        "display_name": name,
        "languages": langs,
        "region": rname,
        "utc_offset": region[1],
        "domain": domain,
        "skills_offered": ordered(skills, SKILLS),
        "goals": ordered(goals, GOAL_CATEGORIES),
        "availability_hours": float(rng.choice([1.0, 1.5, 2.0, 2.0, 3.0, 3.0, 4.0])),
        "modality": weighted(rng, MODALITIES, (30, 20, 50)),
        "digital_comfort": int(rng.choice([1, 2, 3, 4, 5], p=[0.03, 0.1, 0.27, 0.35, 0.25])),
        "years_experience": years,
        "organisation": org,
        "department": dept,
        "capacity": capacity,
        "cohort": "2026-A" if rng.random() < 0.75 else "2026-B",
        "group": group,
    }


def draw_mentors(rng: np.random.Generator, n: int, n_mentees: int, taken: set[str]) -> pd.DataFrame:
    """``n`` mentor profiles whose capacities cover about 95 % of ``n_mentees``.

    ``taken`` holds the display names already used; the new ones are added to it.
    """
    regions = _draw_regions(rng, n, mentor=True)
    origins = _origins(rng, regions)
    names = _names(rng, origins, taken)
    cap = _capacities(rng, n, n_mentees)
    rows = [
        _mentor(rng, i, region, origin, name, int(cap[i]))
        for i, (region, origin, name) in enumerate(zip(regions, origins, names, strict=True))
    ]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Mentees
# ---------------------------------------------------------------------------------------------


def _single_language(rng: np.random.Generator, origins: list[str]) -> dict[int, str]:
    """Rows of the few mentees who speak only their heritage language, and that language.

    Few mentors share it, so the language rule of the matching has something to bite on.
    """
    n = len(origins)
    candidates = [i for i, o in enumerate(origins) if o in _HERITAGE_ONLY]
    n_single = min(len(candidates), max(1, round(0.02 * n))) if n >= 20 else 0
    if not n_single:
        return {}
    return {
        int(i): _HERITAGE_ONLY[origins[int(i)]]
        for i in rng.choice(candidates, size=n_single, replace=False)
    }


def _affiliation(
    rng: np.random.Generator, stage: str, domain: str, region: str, cells: pd.Series
) -> tuple[str, str, str]:
    """(organisation, department, domain) of a mentee; the domain may follow an internship.

    ``cells`` counts mentors per (organisation, department): some mentees are interns or
    employees there, so the conflict-of-interest rule matters.
    """
    cell_keys = list(cells.index)
    inside = stage in ("etudiant", "jeune_diplome", "reconversion") and rng.random() < 0.15
    if inside and cell_keys:
        org, dept = weighted(rng, cell_keys, cells.to_numpy(dtype=float))
        dept_domain = dict(next(o[2] for o in ORGS if o[0] == org))[dept]
        if rng.random() < 0.8:
            domain = dept_domain
    elif stage == "lyceen":
        org = LYCEES[int(rng.integers(len(LYCEES)))]
        dept = LYCEE_CLASSES[int(rng.integers(len(LYCEE_CLASSES)))]
    elif stage == "etudiant":
        org, dept = SCHOOLS[domain][int(rng.integers(len(SCHOOLS[domain])))]
    elif stage == "demandeur_emploi" or (stage == "jeune_diplome" and rng.random() < 0.5):
        org, dept = "France Travail", f"Agence {region}"
    else:
        org, dept = OTHER_EMPLOYERS[int(rng.integers(len(OTHER_EMPLOYERS)))]
    return org, dept, domain


def _mentee(
    rng: np.random.Generator,
    i: int,
    region: Region,
    origin: str,
    name: str,
    single: dict[int, str],
    cells: pd.Series,
) -> dict[str, Any]:
    rname, offset, kind = region[0], region[1], region[2]
    stage = weighted(rng, CAREER_STAGES, STAGE_WEIGHTS)
    domain = weighted(rng, DOMAINS, DOMAIN_WEIGHTS)
    org, dept, domain = _affiliation(rng, stage, domain, rname, cells)
    # Every entry is drawn, whatever the stage: the draws are part of the seeded sequence.
    years = {
        "lyceen": 0,
        "etudiant": int(rng.integers(0, 3)),
        "jeune_diplome": int(rng.integers(0, 4)),
        "reconversion": int(rng.integers(5, 21)),
        "demandeur_emploi": int(rng.integers(0, 16)),
    }[stage]
    skills = weighted(
        rng,
        SKILLS,
        SKILL_WEIGHTS_BY_STAGE[stage],
        size=int(rng.integers(2, 5)),
        replace=False,
    )
    goals = weighted(
        rng,
        GOAL_CATEGORIES,
        GOAL_WEIGHTS_BY_STAGE[stage],
        size=int(rng.choice([1, 2, 3], p=[0.3, 0.45, 0.25])),
        replace=False,
    )
    u = rng.random()
    p_qpv = {"mainland": 0.3, "overseas": 0.25, "abroad": 0.03}[kind]
    p_empty = 0.35 if kind == "abroad" else 0.13
    group = None if u < p_empty else ("qpv" if rng.random() < p_qpv else "non_qpv")
    dc_shift = {
        "lyceen": 0.5,
        "etudiant": 0.5,
        "jeune_diplome": 0.3,
        "reconversion": -0.2,
        "demandeur_emploi": -0.8,
    }[stage] - (0.3 if group == "qpv" else 0.0)
    comfort = int(np.clip(np.round(3.4 + dc_shift + rng.normal(0, 1.0)), 1, 5))
    mod_p = (30, 25, 45) if comfort >= 3 else (45, 15, 40)
    langs = (single[i],) if i in single else _languages(rng, origin, rname, mentor=False)
    return {
        "mentee_id": f"E{i + 1:03d}",
        "display_name": name,
        "languages": langs,
        "region": rname,
        "utc_offset": offset,
        "domain": domain,
        "skills_sought": ordered(skills, SKILLS),
        "goals": ordered(goals, GOAL_CATEGORIES),
        "availability_hours": float(rng.choice([1.0, 1.5, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0])),
        "modality": weighted(rng, MODALITIES, mod_p),
        "digital_comfort": comfort,
        "career_stage": stage,
        "years_experience": years,
        "organisation": org,
        "department": dept,
        "cohort": "2026-A" if rng.random() < 0.65 else "2026-B",
        "group": group,
    }


def draw_mentees(
    rng: np.random.Generator, n: int, mentors: pd.DataFrame, taken: set[str]
) -> pd.DataFrame:
    """``n`` mentee profiles; a few work or study where the ``mentors`` work.

    ``taken`` holds the display names already used; the new ones are added to it.
    """
    regions = _draw_regions(rng, n, mentor=False)
    origins = _origins(rng, regions)
    single = _single_language(rng, origins)
    names = _names(rng, origins, taken)
    cells = mentors.groupby(["organisation", "department"], sort=True).size()
    rows = [
        _mentee(rng, i, region, origin, name, single, cells)
        for i, (region, origin, name) in enumerate(zip(regions, origins, names, strict=True))
    ]
    return pd.DataFrame(rows)
