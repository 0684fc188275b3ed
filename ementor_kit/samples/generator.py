"""Synthetic sample programme: a seeded, realistic francophone e-mentoring programme.

The sample is entirely synthetic. It exists so that every notebook, test and tutorial of
ementor-kit has the same realistic data to work on: mentors and mentees from mainland France,
the overseas territories and abroad, a matching, sixteen weeks of exchanges, goals with their
progress updates and three questionnaires. Patterns that analyses should be able to find are
built in on purpose (pairs that never start, pairs that fade, time-zone distance, sync-heavy and
async-heavy pairs, peer ties on the forum, survey scales related to engagement).

:func:`generate_programme` builds a programme in memory (same seed, same programme);
``SAMPLE_PARAMETERS`` are the arguments the bundled sample was generated with.

Time stamps are written with the *sender's* (or respondent's) fixed winter UTC offset from
their profile (``utc_offset``); summer time is not modelled. The instant is what matters: every
time stamp converts to the same UTC instant whatever offset it is written with.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data import schema
from ementor_kit.data.validation import Programme, validate
from ementor_kit.errors import EmentorKitError

__all__ = ["SAMPLE_PARAMETERS", "generate_programme"]

DEFAULT_SEED = 2026
SAMPLE_PARAMETERS: dict[str, Any] = {
    "n_mentees": 300,
    "n_mentors": 90,
    "weeks": 16,
    "seed": DEFAULT_SEED,
    "start": "2026-09-07",
}
_DAY = 86_400

# ---------------------------------------------------------------------------------------------
# Vocabulary of the synthetic population
# ---------------------------------------------------------------------------------------------

# region, winter UTC offset (hours), kind, weight among mentees, weight among mentors
_REGIONS: tuple[tuple[str, float, str, float, float], ...] = (
    ("Île-de-France", 1.0, "mainland", 22, 26),
    ("Auvergne-Rhône-Alpes", 1.0, "mainland", 9, 9),
    ("Occitanie", 1.0, "mainland", 7, 6),
    ("Hauts-de-France", 1.0, "mainland", 8, 5),
    ("Nouvelle-Aquitaine", 1.0, "mainland", 6, 6),
    ("Grand Est", 1.0, "mainland", 5, 4),
    ("Provence-Alpes-Côte d'Azur", 1.0, "mainland", 6, 5),
    ("Bretagne", 1.0, "mainland", 4, 4),
    ("Pays de la Loire", 1.0, "mainland", 4, 4),
    ("Normandie", 1.0, "mainland", 3, 2),
    ("Bourgogne-Franche-Comté", 1.0, "mainland", 2, 2),
    ("Centre-Val de Loire", 1.0, "mainland", 2, 2),
    ("La Réunion", 4.0, "overseas", 5, 2),
    ("Guadeloupe", -4.0, "overseas", 3, 1.5),
    ("Martinique", -4.0, "overseas", 3, 1.5),
    ("Guyane", -3.0, "overseas", 2, 0.5),
    ("Mayotte", 3.0, "overseas", 2, 0.3),
    ("Nouvelle-Calédonie", 11.0, "overseas", 1.5, 0.7),
    ("Québec", -5.0, "abroad", 2, 5),
    ("Belgique", 1.0, "abroad", 2, 4),
    ("Suisse", 1.0, "abroad", 0.5, 2),
    ("Sénégal", 0.0, "abroad", 3, 2),
    ("Maroc", 1.0, "abroad", 3, 2),
    ("Côte d'Ivoire", 0.0, "abroad", 2, 1),
    ("Tunisie", 1.0, "abroad", 1, 1),
    ("Cameroun", 1.0, "abroad", 1, 0.5),
    ("Liban", 2.0, "abroad", 0.5, 0.5),
    ("Haïti", -5.0, "abroad", 0.5, 0.2),
)

_MAINLAND_ORIGINS = {
    "fr": 62,
    "maghreb": 14,
    "afrique": 7,
    "lusophone": 5,
    "asie": 4,
    "antilles": 3,
    "hispanique": 3,
    "levant": 2,
}
_ORIGINS_BY_REGION: dict[str, dict[str, float]] = {
    "La Réunion": {"reunion": 80, "fr": 15, "asie": 5},
    "Guadeloupe": {"antilles": 85, "fr": 15},
    "Martinique": {"antilles": 85, "fr": 15},
    "Guyane": {"antilles": 50, "fr": 20, "lusophone": 15, "hispanique": 15},
    "Mayotte": {"comores": 85, "fr": 15},
    "Nouvelle-Calédonie": {"caledonie": 50, "fr": 50},
    "Québec": {"quebec": 85, "fr": 10, "hispanique": 5},
    "Belgique": {"fr": 80, "maghreb": 10, "lusophone": 5, "levant": 5},
    "Suisse": {"fr": 85, "lusophone": 10, "maghreb": 5},
    "Sénégal": {"afrique": 95, "fr": 5},
    "Maroc": {"maghreb": 95, "fr": 5},
    "Tunisie": {"maghreb": 95, "fr": 5},
    "Côte d'Ivoire": {"afrique": 95, "fr": 5},
    "Cameroun": {"afrique": 95, "fr": 5},
    "Liban": {"levant": 90, "fr": 10},
    "Haïti": {"antilles": 95, "fr": 5},
}

# fmt: off
_FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "fr": ("Camille", "Léa", "Manon", "Chloé", "Sarah", "Emma", "Jade", "Louise", "Clara",
        "Juliette", "Pauline", "Mathilde", "Océane", "Lucie", "Anaïs", "Marion", "Hugo", "Lucas",
        "Théo", "Nathan", "Louis", "Enzo", "Maxime", "Antoine", "Thomas", "Julien", "Quentin",
        "Romain", "Baptiste", "Clément", "Alexandre", "Nicolas", "Sophie", "Isabelle",
        "Nathalie", "Philippe", "Laurent", "Stéphane", "Christophe", "Sandrine", "Valérie",
        "Céline", "Benoît", "Gaëlle", "Yann", "Élodie", "Arnaud", "Margaux"),
    "maghreb": ("Yasmine", "Karim", "Nadia", "Mehdi", "Sofiane", "Samira", "Rayan", "Amina",
        "Bilal", "Leïla", "Walid", "Imane", "Nassim", "Salma", "Yanis", "Hakim", "Inès", "Farid"),
    "afrique": ("Aminata", "Moussa", "Fatou", "Ousmane", "Awa", "Mamadou", "Mariama", "Ibrahima",
        "Aïssatou", "Cheikh", "Kadiatou", "Souleymane", "Adama", "Coumba", "Yao", "Aya", "Koffi",
        "Affoué", "Serge", "Clarisse"),
    "lusophone": ("Inês", "João", "Beatriz", "Tiago", "Ana", "Rui", "Marta", "Diogo", "Sofia",
        "Paulo", "Vitória", "Rafael"),
    "quebec": ("Émilie", "Gabriel", "Mathis", "Florence", "Samuel", "Rosalie", "William",
        "Léane", "Olivier", "Maude", "Félix", "Noémie"),
    "reunion": ("Maëva", "Jordan", "Loïc", "Mélissa", "Kévin", "Annaëlle", "Dylan", "Teddy",
        "Laëtitia", "Johan", "Cindy", "Ludovic"),
    "antilles": ("Maëlys", "Kenny", "Ludivine", "Yohan", "Shanice", "Steeve", "Audrey",
        "Dimitri", "Wendy", "Mickaël", "Murielle", "Jean-Marc"),
    "asie": ("Linh", "Minh", "Mei", "Kevin", "Vanessa", "Tuan", "Lan", "Hugo", "Chloé", "Bao"),
    "hispanique": ("Lucía", "Diego", "Carmen", "Javier", "Elena", "Pablo", "Valentina", "Mateo",
        "Camila", "Andrés"),
    "levant": ("Rami", "Maya", "Karim", "Nour", "Élie", "Joëlle", "Ziad", "Rita", "Georges",
        "Lara"),
    "comores": ("Anli", "Zaharia", "Faïza", "Mohamed", "Roukia", "Ibrahim", "Nasma", "Ousseni",
        "Hadidja", "Nourdine"),
    "caledonie": ("Kenzo", "Marie-Claude", "Jean-Pierre", "Wanda", "Titouan", "Hélène", "Joseph",
        "Manuarii", "Teva", "Sabrina"),
}
# fmt: on
_INITIALS = "ABBCCDDFGGHJKLLMMMNPPRRSSTV"

# organisation, home regions (None = national), ((department, domain), ...), weight
# fmt: off
_ORGS: tuple[tuple[str, tuple[str, ...] | None, tuple[tuple[str, str], ...], float], ...] = (
    ("Banque Horizon", None, (
        ("Finance d'entreprise", "finance"), ("Conformité", "droit"),
        ("Informatique", "numerique"), ("Relation client", "commerce")), 3),
    ("Mutuelle du Littoral", None, (
        ("Actuariat", "finance"), ("Juridique", "droit"),
        ("Développement commercial", "commerce")), 2),
    ("Hôpital Saint-Aubin", None, (
        ("Soins infirmiers", "sante"), ("Pharmacie", "sante"),
        ("Service social", "social"), ("Direction financière", "finance")), 3),
    ("Clinique des Tilleuls", None, (("Rééducation", "sante"), ("Soins", "sante")), 1.5),
    ("Groupe Solvéo", None, (
        ("Bureau d'études", "ingenierie"), ("Production", "ingenierie"),
        ("Qualité", "ingenierie"), ("Achats", "commerce")), 3),
    ("Aéronova", ("Occitanie",), (
        ("R&D", "ingenierie"), ("Essais en vol", "ingenierie"),
        ("Systèmes embarqués", "numerique")), 2),
    ("Datacœur", None, (
        ("Développement", "numerique"), ("Data", "numerique"),
        ("Produit", "numerique"), ("Ventes", "commerce")), 3),
    ("Pixel & Cie", None, (("Design", "arts_culture"), ("Développement web", "numerique")), 1.5),
    ("Cloudéa", None, (
        ("Infrastructure", "numerique"), ("Cybersécurité", "numerique"),
        ("Support", "numerique")), 2),
    ("Maison Verdier", None, (
        ("Magasins", "commerce"), ("Marketing", "commerce"),
        ("Logistique", "commerce"), ("E-commerce", "numerique")), 2.5),
    ("Coopérative Agrisud", ("Nouvelle-Aquitaine", "Occitanie"),
     (("Agronomie", "environnement"), ("Ventes", "commerce")), 1.5),
    ("EnerVerte", None, (
        ("Projets éoliens", "environnement"), ("Études d'impact", "environnement"),
        ("Financement de projets", "finance")), 2),
    ("Lycée polyvalent Les Rives", None,
     (("Enseignement", "education"), ("Vie scolaire", "education")), 1.5),
    ("Université de Valbonne", None, (
        ("Scolarité", "education"), ("Laboratoire de chimie", "ingenierie"),
        ("Insertion professionnelle", "education")), 2),
    ("Cabinet Morel Avocats", None,
     (("Droit social", "droit"), ("Droit des affaires", "droit")), 1.5),
    ("Étude Garnier & Associés", None, (("Notariat", "droit"),), 1),
    ("Association Passerelles", None, (("Accompagnement", "social"), ("Insertion", "social")), 2),
    ("Centre social Les Lilas", None, (("Animation", "social"), ("Médiation", "social")), 1),
    ("Théâtre du Rivage", None, (("Production", "arts_culture"), ("Communication", "commerce")), 1),
    ("Éditions Brise-Lames", None, (("Édition", "arts_culture"), ("Marketing", "commerce")), 1),
    ("Mairie de Valmont-sur-Aure", None,
     (("Urbanisme", "environnement"), ("Action sociale", "social"), ("Finances", "finance")), 1.5),
    ("CHU Océan Indien", ("La Réunion", "Mayotte"),
     (("Urgences", "sante"), ("Pédiatrie", "sante")), 1.5),
    ("Antilles Énergies Nouvelles", ("Guadeloupe", "Martinique", "Guyane"),
     (("Solaire", "environnement"), ("Ventes", "commerce")), 1.5),
    ("Dakar Digital Hub", ("Sénégal", "Côte d'Ivoire"),
     (("Incubateur", "commerce"), ("Développement", "numerique")), 1.5),
    ("Atlas Conseil", ("Maroc", "Tunisie"), (("Audit", "finance"), ("Conseil RH", "social")), 1.5),
    ("Innovation Santé Québec", ("Québec",),
     (("Recherche clinique", "sante"), ("Données de santé", "numerique")), 1.5),
    ("Studio Bruxelles Médias", ("Belgique", "Suisse"),
     (("Audiovisuel", "arts_culture"), ("Numérique", "numerique")), 1.5),
)
# fmt: on

_LYCEES = (
    "Lycée Jean-Jaurès",
    "Lycée Marie-Curie",
    "Lycée Louise-Michel",
    "Lycée Aimé-Césaire",
    "Lycée Simone-Veil",
    "Lycée du Rempart",
    "Lycée Léopold-Sédar-Senghor",
)
_LYCEE_CLASSES = (
    "Première générale",
    "Terminale générale",
    "Terminale STMG",
    "Bac pro commerce",
    "Terminale ST2S",
)
_SCHOOLS: dict[str, tuple[tuple[str, str], ...]] = {
    "numerique": (
        ("IUT de Port-Vallon", "BUT informatique"),
        ("Université de Valbonne", "Master données"),
    ),
    "sante": (
        ("IFSI Sainte-Croix", "Soins infirmiers 2e année"),
        ("Université Côte-Lumière", "Licence STAPS"),
    ),
    "ingenierie": (
        ("École d'ingénieurs Polymeca", "Cycle ingénieur"),
        ("IUT de Port-Vallon", "BUT génie mécanique"),
    ),
    "commerce": (
        ("École de commerce Atlantis", "Bachelor commerce"),
        ("IUT de Port-Vallon", "BUT techniques de commercialisation"),
    ),
    "education": (("Université Côte-Lumière", "Licence sciences de l'éducation"),),
    "social": (("Institut régional du travail social", "DE éducateur spécialisé"),),
    "arts_culture": (
        ("Université Côte-Lumière", "Licence arts du spectacle"),
        ("École de design Atelier 9", "DN MADE graphisme"),
    ),
    "droit": (("Université de Valbonne", "Licence droit"),),
    "finance": (
        ("École de commerce Atlantis", "Master finance"),
        ("Université de Valbonne", "Licence économie-gestion"),
    ),
    "environnement": (
        ("Université Côte-Lumière", "Master écologie"),
        ("Lycée agricole des Saules", "BTS gestion et protection de la nature"),
    ),
}
_OTHER_EMPLOYERS = (
    ("Transports Delorme", "Exploitation"),
    ("Hôtel des Pins", "Réception"),
    ("Boulangerie Lefort", "Vente"),
    ("Agence Nova Intérim", "Missions"),
    ("Garage Martinon", "Atelier"),
    ("Entrepôt Logistar", "Préparation de commandes"),
    ("Crèche Les Petits Pas", "Petite enfance"),
    ("Cabinet comptable Roux", "Comptabilité"),
    ("Azur Contact", "Service client"),
    ("Supérette du Marché", "Caisse"),
)

_DOMAIN_WEIGHTS = (18, 12, 8, 15, 7, 10, 8, 6, 7, 9)  # order of schema.DOMAINS
_STAGE_WEIGHTS = (15, 35, 20, 15, 15)  # order of schema.CAREER_STAGES
# skills sought by career stage, order of schema.SKILLS
_SKILL_WEIGHTS_BY_STAGE = {
    "lyceen": (1, 1, 0.5, 5, 2, 2, 3, 1, 0.2, 1, 4, 0.5, 0.1, 0.2, 2),
    "etudiant": (3, 3, 2, 2, 2, 2, 2, 1, 0.5, 5, 2, 2, 0.5, 0.5, 2),
    "jeune_diplome": (3, 4, 4, 1, 2, 1, 2, 1, 1, 1, 0.5, 2, 2, 1, 2),
    "reconversion": (2, 2, 4, 3, 1, 1, 2, 2, 3, 0.5, 0.5, 1, 1, 1, 5),
    "demandeur_emploi": (5, 5, 2, 2, 1, 1, 4, 3, 1, 0.5, 0.5, 0.5, 0.5, 0.2, 3),
}
_MENTOR_SKILL_BASE = (3, 4, 4, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 3)
_MENTOR_SKILL_BOOST = {
    "numerique": {"numerique_outils": 4},
    "commerce": {"negociation": 3, "creation_entreprise": 1},
    "finance": {"negociation": 2},
    "education": {"orientation": 4, "methodes_de_travail": 3},
    "social": {"confiance_en_soi": 3, "cv_lettre": 2},
    "arts_culture": {"prise_de_parole": 3, "creation_entreprise": 1},
    "droit": {"negociation": 2},
    "sante": {"gestion_du_temps": 2},
    "ingenierie": {"methodes_de_travail": 2},
    "environnement": {"projet_pro": 2},
}
# goal categories by career stage, order of schema.GOAL_CATEGORIES
_GOAL_WEIGHTS_BY_STAGE = {
    "lyceen": (2, 1, 0.5, 3, 5, 0.3),
    "etudiant": (3, 3, 4, 2, 2, 0.7),
    "jeune_diplome": (2, 4, 5, 2, 1, 1),
    "reconversion": (3, 3, 3, 2, 3, 2),
    "demandeur_emploi": (3, 2, 5, 3, 2, 1),
}
_GOAL_TEXTS = {
    "skills": (
        "Maîtriser les bases d'un tableur",
        "Améliorer mon anglais professionnel",
        "Apprendre à organiser mon temps de travail",
        "Prendre la parole en public sans notes",
        "Utiliser un outil de gestion de projet",
        "Rédiger des mails professionnels clairs",
        "Préparer une certification en ligne",
    ),
    "network": (
        "Rencontrer trois professionnels du secteur",
        "Participer à un salon de l'emploi",
        "Compléter mon profil sur un réseau professionnel",
        "Obtenir deux entretiens informatifs",
        "Rejoindre une association professionnelle",
        "Contacter dix anciens de ma formation",
    ),
    "job_search": (
        "Décrocher un stage de deux mois",
        "Refaire mon CV et ma lettre de motivation",
        "Préparer trois entretiens d'embauche",
        "Postuler à dix offres ciblées",
        "Trouver une alternance pour la rentrée",
        "Obtenir un premier contrat",
    ),
    "confidence": (
        "Oser prendre la parole en réunion",
        "Identifier mes points forts",
        "Présenter mon parcours en deux minutes",
        "Gérer mon stress avant un entretien",
        "Demander un retour sur mon travail",
    ),
    "orientation": (
        "Choisir ma formation pour l'an prochain",
        "Découvrir trois métiers qui m'attirent",
        "Faire un stage d'observation",
        "Comparer deux parcours de reconversion",
        "Valider mon projet professionnel",
    ),
    "entrepreneurship": (
        "Rédiger mon business plan",
        "Tester mon idée auprès de dix clients",
        "Choisir un statut juridique",
        "Trouver un financement d'amorçage",
        "Créer le site de mon activité",
    ),
}

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _weighted(rng: np.random.Generator, items: tuple | list, weights, size=None, replace=True):
    p = np.asarray(weights, dtype=float)
    p = p / p.sum()
    idx = rng.choice(len(items), size=size, replace=replace, p=p)
    if size is None:
        return items[int(idx)]
    return [items[int(i)] for i in idx]


def _ordered(values, vocabulary: tuple[str, ...]) -> tuple[str, ...]:
    """Deduplicate ``values`` and order them as in ``vocabulary``."""
    chosen = set(values)
    return tuple(v for v in vocabulary if v in chosen)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _parse_start(start) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(start)
    except (ValueError, TypeError) as exc:
        raise EmentorKitError(
            f"start={start!r} is not a date. Fix: pass a date such as '2026-09-07'."
        ) from exc
    if ts.tzinfo is not None:
        raise EmentorKitError(
            f"start={start!r} has a time zone. Fix: pass a plain calendar date such as "
            "'2026-09-07'."
        )
    return ts.normalize()


def _is_holiday(day: pd.Timestamp) -> bool:
    """French school holidays used to damp activity (Toussaint and winter break, approx.)."""
    md = (day.month, day.day)
    return ((10, 17) <= md <= (11, 1)) or md >= (12, 19) or md <= (1, 3)


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


def _origin_weights(region: str) -> dict[str, float]:
    return _ORIGINS_BY_REGION.get(region, _MAINLAND_ORIGINS)


def _languages(rng: np.random.Generator, origin: str, region: str, mentor: bool) -> tuple:
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
        "antilles": ("cr", 0.8),
        "reunion": ("cr", 0.8),
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
    return _ordered(langs, schema.LANGUAGES)


def _names(rng: np.random.Generator, origins: list[str], taken: set[str]) -> list[str]:
    names = []
    for origin in origins:
        pool = _FIRST_NAMES[origin]
        for _ in range(200):
            name = (
                f"{pool[int(rng.integers(len(pool)))]} {_INITIALS[rng.integers(len(_INITIALS))]}."
            )
            if name not in taken:
                break
        else:  # pragma: no cover - only with thousands of people from one origin
            name = f"{name[:-1]}{len(taken)}."
        taken.add(name)
        names.append(name)
    return names


def _draw_regions(rng: np.random.Generator, n: int, mentor: bool) -> list[tuple]:
    w = [r[4] if mentor else r[3] for r in _REGIONS]
    return _weighted(rng, _REGIONS, w, size=n)


def _mentors(rng: np.random.Generator, n: int, n_mentees: int, taken: set[str]) -> pd.DataFrame:
    regions = _draw_regions(rng, n, mentor=True)
    rows = []
    origins = [
        _weighted(rng, list(_origin_weights(r[0])), list(_origin_weights(r[0]).values()))
        for r in regions
    ]
    names = _names(rng, origins, taken)
    cap = rng.choice([1, 2, 3, 4], size=n, p=[0.05, 0.27, 0.40, 0.28])
    # Top up capacities so that about 95 % of mentees can find a place (real programmes recruit
    # mentors until the intake is covered); the language and conflict rules leave a few more out.
    target = min(4 * n, math.ceil(0.935 * n_mentees))
    while cap.sum() < target:
        open_ = np.flatnonzero(cap < 4)
        cap[open_[rng.integers(len(open_))]] += 1
    for i, (region, origin, name) in enumerate(zip(regions, origins, names, strict=True)):
        rname = region[0]
        w = []
        for org in _ORGS:
            home = org[1]
            if home is None:
                w.append(org[3] * (1.0 if region[2] == "mainland" else 0.25))
            else:
                w.append(org[3] * 4.0 if rname in home else 0.0)
        org = _weighted(rng, _ORGS, w)
        dept, domain = org[2][int(rng.integers(len(org[2])))]
        years = int(np.clip(round(rng.gamma(4.0, 3.8)), 3, 35))
        sw = np.array(_MENTOR_SKILL_BASE, dtype=float)
        for skill, boost in _MENTOR_SKILL_BOOST[domain].items():
            sw[schema.SKILLS.index(skill)] += boost
        if years > 15:
            sw[schema.SKILLS.index("leadership")] += 3
            sw[schema.SKILLS.index("reseau_professionnel")] += 1
        if "en" in (langs := _languages(rng, origin, rname, mentor=True)):
            sw[schema.SKILLS.index("anglais_pro")] += 2
        skills = _weighted(rng, schema.SKILLS, sw, size=int(rng.integers(3, 7)), replace=False)
        gw = np.array([3, 3, 3, 2.5, 2, 1], dtype=float)
        if "creation_entreprise" in skills:
            gw[5] += 3
        goals = _weighted(
            rng, schema.GOAL_CATEGORIES, gw, size=int(rng.integers(2, 6)), replace=False
        )
        u = rng.random()
        group = None if u < 0.15 else ("qpv" if u < 0.22 else "non_qpv")
        rows.append(
            {
                "mentor_id": f"M{i + 1:03d}",
                "display_name": name,
                "languages": langs,
                "region": rname,
                "utc_offset": region[1],
                "domain": domain,
                "skills_offered": _ordered(skills, schema.SKILLS),
                "goals": _ordered(goals, schema.GOAL_CATEGORIES),
                "availability_hours": float(rng.choice([1.0, 1.5, 2.0, 2.0, 3.0, 3.0, 4.0])),
                "modality": _weighted(rng, schema.MODALITIES, (30, 20, 50)),
                "digital_comfort": int(
                    rng.choice([1, 2, 3, 4, 5], p=[0.03, 0.1, 0.27, 0.35, 0.25])
                ),
                "years_experience": years,
                "organisation": org[0],
                "department": dept,
                "capacity": int(cap[i]),
                "cohort": "2026-A" if rng.random() < 0.75 else "2026-B",
                "group": group,
            }
        )
    return pd.DataFrame(rows)


def _mentees(
    rng: np.random.Generator, n: int, mentors: pd.DataFrame, taken: set[str]
) -> pd.DataFrame:
    regions = _draw_regions(rng, n, mentor=False)
    origins = [
        _weighted(rng, list(_origin_weights(r[0])), list(_origin_weights(r[0]).values()))
        for r in regions
    ]
    # A few mentees speak a single language that few mentors share (recent arrivals), so the
    # language rule of the matching has something to bite on.
    heritage_only = {
        "maghreb": "ar",
        "levant": "ar",
        "lusophone": "pt",
        "hispanique": "es",
        "afrique": "wo",
    }
    candidates = [i for i, o in enumerate(origins) if o in heritage_only]
    n_single = min(len(candidates), max(1, round(0.02 * n))) if n >= 20 else 0
    single = (
        {
            int(i): heritage_only[origins[int(i)]]
            for i in rng.choice(candidates, size=n_single, replace=False)
        }
        if n_single
        else {}
    )
    names = _names(rng, origins, taken)
    # (organisation, department) cells where mentors work: some mentees are interns or
    # employees there, so the conflict-of-interest rule matters.
    cells = mentors.groupby(["organisation", "department"], sort=True).size()
    cell_keys = list(cells.index)
    rows = []
    for i, (region, origin, name) in enumerate(zip(regions, origins, names, strict=True)):
        rname, offset, kind = region[0], region[1], region[2]
        stage = _weighted(rng, schema.CAREER_STAGES, _STAGE_WEIGHTS)
        domain = _weighted(rng, schema.DOMAINS, _DOMAIN_WEIGHTS)
        inside = stage in ("etudiant", "jeune_diplome", "reconversion") and rng.random() < 0.15
        if inside and cell_keys:
            org, dept = _weighted(rng, cell_keys, cells.to_numpy(dtype=float))
            dept_domain = dict(next(o[2] for o in _ORGS if o[0] == org))[dept]
            if rng.random() < 0.8:
                domain = dept_domain
        elif stage == "lyceen":
            org = _LYCEES[int(rng.integers(len(_LYCEES)))]
            dept = _LYCEE_CLASSES[int(rng.integers(len(_LYCEE_CLASSES)))]
        elif stage == "etudiant":
            org, dept = _SCHOOLS[domain][int(rng.integers(len(_SCHOOLS[domain])))]
        elif stage == "demandeur_emploi" or (stage == "jeune_diplome" and rng.random() < 0.5):
            org, dept = "France Travail", f"Agence {rname}"
        else:
            org, dept = _OTHER_EMPLOYERS[int(rng.integers(len(_OTHER_EMPLOYERS)))]
        years = {
            "lyceen": 0,
            "etudiant": int(rng.integers(0, 3)),
            "jeune_diplome": int(rng.integers(0, 4)),
            "reconversion": int(rng.integers(5, 21)),
            "demandeur_emploi": int(rng.integers(0, 16)),
        }[stage]
        skills = _weighted(
            rng,
            schema.SKILLS,
            _SKILL_WEIGHTS_BY_STAGE[stage],
            size=int(rng.integers(2, 5)),
            replace=False,
        )
        goals = _weighted(
            rng,
            schema.GOAL_CATEGORIES,
            _GOAL_WEIGHTS_BY_STAGE[stage],
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
        rows.append(
            {
                "mentee_id": f"E{i + 1:03d}",
                "display_name": name,
                "languages": langs,
                "region": rname,
                "utc_offset": offset,
                "domain": domain,
                "skills_sought": _ordered(skills, schema.SKILLS),
                "goals": _ordered(goals, schema.GOAL_CATEGORIES),
                "availability_hours": float(rng.choice([1.0, 1.5, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0])),
                "modality": _weighted(rng, schema.MODALITIES, mod_p),
                "digital_comfort": comfort,
                "career_stage": stage,
                "years_experience": years,
                "organisation": org,
                "department": dept,
                "cohort": "2026-A" if rng.random() < 0.65 else "2026-B",
                "group": group,
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Matching (a simple seeded heuristic; the real optimiser lives in ementor_kit.matching)
# ---------------------------------------------------------------------------------------------


def _multi_hot(values: pd.Series, vocabulary: tuple[str, ...]) -> np.ndarray:
    out = np.zeros((len(values), len(vocabulary)), dtype=float)
    for r, vals in enumerate(values):
        for v in vals:
            out[r, vocabulary.index(v)] = 1.0
    return out


def _pair_features(mentees: pd.DataFrame, mentors: pd.DataFrame) -> dict[str, np.ndarray]:
    se = _multi_hot(mentees["skills_sought"], schema.SKILLS)
    so = _multi_hot(mentors["skills_offered"], schema.SKILLS)
    ge = _multi_hot(mentees["goals"], schema.GOAL_CATEGORIES)
    gm = _multi_hot(mentors["goals"], schema.GOAL_CATEGORIES)
    le = _multi_hot(mentees["languages"], schema.LANGUAGES)
    lm = _multi_hot(mentors["languages"], schema.LANGUAGES)
    cell_e = (mentees["organisation"] + "\x1f" + mentees["department"]).to_numpy()
    cell_m = (mentors["organisation"] + "\x1f" + mentors["department"]).to_numpy()
    me, mm = mentees["modality"].to_numpy(), mentors["modality"].to_numpy()
    mod = np.where(
        me[:, None] == mm[None, :],
        1.0,
        np.where((me[:, None] == "mixed") | (mm[None, :] == "mixed"), 0.6, 0.0),
    )
    return {
        "skills": (se @ so.T) / se.sum(axis=1, keepdims=True),
        "goals": (ge @ gm.T) / ge.sum(axis=1, keepdims=True),
        "language": (le @ lm.T) > 0,
        "conflict": cell_e[:, None] == cell_m[None, :],
        "domain": (
            mentees["domain"].to_numpy()[:, None] == mentors["domain"].to_numpy()[None, :]
        ).astype(float),
        "tz": np.abs(
            mentees["utc_offset"].to_numpy(dtype=float)[:, None]
            - mentors["utc_offset"].to_numpy(dtype=float)[None, :]
        ),
        "modality": mod,
    }


def _match(
    rng: np.random.Generator,
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    feats: dict[str, np.ndarray],
) -> list[tuple[int, int]]:
    """Greedy matching on a noisy compatibility score; returns (mentee row, mentor row)."""
    score = (
        2.0 * feats["skills"]
        + 1.0 * feats["domain"]
        + 0.5 * feats["goals"]
        - 0.08 * np.minimum(feats["tz"], 12)
        + 0.3 * feats["modality"]
        + rng.normal(0.0, 0.3, size=feats["skills"].shape)
    )
    feasible = feats["language"] & ~feats["conflict"]
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


# ---------------------------------------------------------------------------------------------
# Exchanges
# ---------------------------------------------------------------------------------------------

_TYPES = ("never", "fading", "irregular", "regular")


class _Log:
    """Accumulates interaction rows (UTC seconds, sender, recipient, channel, minutes, session)."""

    def __init__(self) -> None:
        self.t: list[int] = []
        self.sender: list[str] = []
        self.recipient: list[str] = []
        self.channel: list[str] = []
        self.minutes: list[float] = []
        self.session: list[str | None] = []

    def add(
        self,
        t: float,
        s: str,
        r: str,
        ch: str,
        minutes: float = math.nan,
        session: str | None = None,
    ) -> None:
        self.t.append(int(t))
        self.sender.append(s)
        self.recipient.append(r)
        self.channel.append(ch)
        self.minutes.append(minutes)
        self.session.append(session)


def _local_hour(rng: np.random.Generator, role: str) -> float:
    """Hour of the day (local) at which someone writes or calls."""
    if role == "mentor":
        bands = ((7.5, 9.0), (9.0, 12.0), (12.0, 14.0), (14.0, 18.0), (18.0, 22.0), (22.0, 24.0))
        w = (0.08, 0.2, 0.22, 0.15, 0.3, 0.05)
    else:
        bands = ((8.0, 12.0), (12.0, 14.0), (14.0, 18.0), (18.0, 23.0), (23.0, 25.0))
        w = (0.14, 0.2, 0.2, 0.4, 0.06)
    lo, hi = _weighted(rng, bands, w)
    return float(rng.uniform(lo, hi))


def _awake(t_utc: float, offset: float, rng: np.random.Generator) -> float:
    """Push a reply that would fall between 01:00 and 07:00 local to the next morning."""
    local = (t_utc + offset * 3600) % _DAY
    if 3600 <= local < 7 * 3600:
        t_utc += 7 * 3600 - local + rng.uniform(0, 2.5 * 3600)
    return t_utc


class _Pair:
    """Everything the exchange simulation needs about one pair."""

    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


def _weekday_weights(days: np.ndarray, t0_weekday: int) -> np.ndarray:
    w = np.array([0.17, 0.17, 0.17, 0.17, 0.14, 0.1, 0.08])
    return w[(days + t0_weekday) % 7]


def _simulate_pair(
    rng: np.random.Generator,
    p: _Pair,
    log: _Log,
    t0: int,
    t0_weekday: int,
    holiday: np.ndarray,
    weeks: int,
) -> None:
    first, end = p.day, p.day + 7 * weeks  # days since programme start, end exclusive
    horizon = t0 + end * _DAY
    off = {p.e: p.off_e, p.m: p.off_m}
    role = {p.e: "mentee", p.m: "mentor"}

    def at(day: int, who: str, hour: float | None = None) -> float:
        h = _local_hour(rng, role[who]) if hour is None else hour
        return t0 + day * _DAY + h * 3600 + rng.uniform(0, 59) - off[who] * 3600

    if p.kind == "never":
        if rng.random() < 0.45:  # one unanswered message from the mentor
            day = first + int(rng.integers(0, 10))
            log.add(at(day, p.m), p.m, p.e, "email" if rng.random() < p.p_email else "chat")
        return

    for w in range(weeks):
        days = np.arange(first + 7 * w, first + 7 * w + 7)
        if p.kind == "regular":
            mult = 0.985**w
        elif p.kind == "fading":
            mult = 0.0 if w >= p.stop_week else math.exp(-w / p.tau)
        else:  # irregular: bursts separated by silent weeks
            mult = (1.9 if rng.random() < 0.45 else 0.0) * 0.98**w
        mult *= 0.45 if holiday[days].mean() > 0.5 else 1.0
        if w == 0:
            mult = max(mult, 1.0)  # every started pair exchanges in its first week
        n_conv = int(rng.poisson(p.rate * mult))
        if w == 0:
            n_conv = max(n_conv, 1)
        p_mi = float(np.clip(p.p_mentee + 0.012 * w, 0.05, 0.9))
        late = p.kind == "fading" and w >= p.stop_week - 2
        dw = _weekday_weights(days - days[0], (t0_weekday + int(days[0])) % 7)
        conv_days = np.sort(rng.choice(days, size=n_conv, p=dw / dw.sum()))
        for day in conv_days:
            day = int(day)
            if rng.random() < p.p_sync:
                starter = p.e if rng.random() < 0.7 * p_mi else p.m
                other = p.m if starter == p.e else p.e
                if rng.random() < 0.6 and day > first:  # a message to set the date first
                    t = at(day - 1, starter)
                    log.add(t, starter, other, "chat" if rng.random() > p.p_email else "email")
                    t2 = _awake(t + rng.lognormal(math.log(3 * 3600), 0.9), off[other], rng)
                    log.add(t2, other, starter, "chat" if rng.random() > p.p_email else "email")
                video = rng.random() < p.p_video
                minutes = (
                    np.clip(round(rng.normal(50, 15)), 15, 90)
                    if video
                    else np.clip(round(rng.normal(30, 10)), 15, 90)
                )
                hour = float(rng.choice([12.25, 12.5, 13.0, 18.0, 18.5, 19.0, 19.5, 20.0, 20.5]))
                t = at(day, starter, hour + rng.uniform(-0.05, 0.2))
                if t < horizon:
                    log.add(t, starter, other, "video" if video else "phone", float(minutes))
                continue
            starter = p.e if rng.random() < p_mi else p.m
            other = p.m if starter == p.e else p.e
            channel = "email" if rng.random() < p.p_email else "chat"
            t = at(day, starter)
            if t >= horizon:
                continue
            log.add(t, starter, other, channel)
            p_reply = p.p_reply * (0.35 if late else 1.0)
            k = 0
            while k < 8:
                p_go = p_reply if k == 0 else p.p_continue * 0.8 ** (k - 1)
                if rng.random() >= p_go:
                    break
                if channel == "chat" and rng.random() < 0.3:
                    lat = rng.lognormal(math.log(6 * 60), 0.8)  # live chat: minutes
                else:
                    lat = rng.lognormal(math.log(p.latency_h * 3600), 1.1)
                t = _awake(t + min(lat, 6 * _DAY), off[other], rng)
                if t >= horizon:
                    break
                log.add(t, other, starter, channel)
                starter, other = other, starter
                k += 1


def _group_sessions(
    rng: np.random.Generator,
    log: _Log,
    pairs: list[_Pair],
    mentees: pd.DataFrame,
    t0: int,
    weeks: int,
) -> None:
    by_mentor: dict[str, list[_Pair]] = {}
    for p in pairs:
        by_mentor.setdefault(p.m, []).append(p)
    hosts = [m for m, ps in by_mentor.items() if sum(q.kind != "never" for q in ps) >= 2]
    if not hosts or weeks < 3:
        return
    n_sessions = min(len(hosts), max(1, round(len(pairs) / 25)))
    chosen = sorted(rng.choice(len(hosts), size=n_sessions, replace=False))
    soc = dict(zip(mentees["mentee_id"], mentees["_sociability"], strict=True))
    all_ids = mentees["mentee_id"].tolist()
    for s, h in enumerate(chosen):
        host = hosts[int(h)]
        own = [q for q in by_mentor[host] if q.kind != "never"]
        lo = own[0].day + min(14, 7 * weeks // 3)
        day = int(rng.integers(lo, max(lo + 1, own[0].day + 7 * weeks - 7)))
        off = own[0].off_m
        size = int(rng.integers(3, 7))
        attendees = [q.e for q in own if q.kind != "fading" or day < q.day + 7 * q.stop_week]
        others = [e for e in all_ids if e not in attendees]
        w = np.exp(np.array([soc[e] for e in others]))
        extra = max(0, size - len(attendees))
        if extra:
            attendees += [
                others[int(i)]
                for i in rng.choice(
                    len(others), size=min(extra, len(others)), replace=False, p=w / w.sum()
                )
            ]
        attendees = attendees[:6]
        if len(attendees) < 3:
            continue
        hour = float(rng.choice([18.0, 18.5, 19.0]))
        t = t0 + day * _DAY + int(hour * 3600) - int(off * 3600)
        length = float(rng.choice([45, 60, 60, 75, 90]))
        sid = f"S{s + 1:03d}"
        for e in sorted(attendees):
            minutes = length if rng.random() > 0.2 else float(round(length * rng.uniform(0.3, 0.9)))
            log.add(t, host, e, "video", minutes, sid)


def _forum(rng: np.random.Generator, log: _Log, mentees: pd.DataFrame, t0: int, weeks: int) -> None:
    """Forum replies between mentees: preferential attachment plus homophily."""
    soc = mentees["_sociability"].to_numpy()
    users = np.flatnonzero(soc > 0.25)
    if len(users) < 2:
        return
    ids = mentees["mentee_id"].to_numpy()
    off = mentees["utc_offset"].to_numpy(dtype=float)
    cohort = mentees["cohort"].to_numpy()
    domain = mentees["domain"].to_numpy()
    region = mentees["region"].to_numpy()
    span = 7 * weeks + 10
    for u in users:
        n_posts = int(rng.poisson(0.9 * math.exp(0.6 * soc[u])))
        for _ in range(n_posts):
            day = int(rng.integers(3, span))
            t_post = t0 + day * _DAY + _local_hour(rng, "mentee") * 3600 - off[u] * 3600
            others = users[users != u]
            w = (
                np.exp(soc[others])
                * np.where(cohort[others] == cohort[u], 2.0, 1.0)
                * np.where(domain[others] == domain[u], 2.5, 1.0)
                * np.where(region[others] == region[u], 1.5, 1.0)
            )
            n_rep = min(len(others), int(rng.poisson(1.6)))
            if n_rep == 0:
                continue
            repliers = rng.choice(others, size=n_rep, replace=False, p=w / w.sum())
            for r in repliers:
                t = _awake(t_post + rng.lognormal(math.log(10 * 3600), 1.2), off[r], rng)
                log.add(t, ids[r], ids[u], "forum")
                if rng.random() < 0.4:  # the author thanks / answers back
                    t2 = _awake(t + rng.lognormal(math.log(8 * 3600), 1.0), off[u], rng)
                    log.add(t2, ids[u], ids[r], "forum")


# ---------------------------------------------------------------------------------------------
# Goals
# ---------------------------------------------------------------------------------------------


def _stage(percent: int) -> str:
    if percent >= 100:
        return "done"
    if percent >= 80:
        return "review"
    if percent >= 30:
        return "in_progress"
    if percent >= 10:
        return "planned"
    return "defined"


def _goals(
    rng: np.random.Generator,
    pairs: list[_Pair],
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    as_of_day: int,
) -> tuple[list[dict], list[dict]]:
    goals, updates = [], []
    mentee_goals = dict(zip(mentees["mentee_id"], mentees["goals"], strict=True))
    mentor_goals = dict(zip(mentors["mentor_id"], mentors["goals"], strict=True))
    gid = 0
    for p in pairs:
        if not p.started:
            continue
        cats = list(mentee_goals[p.e])
        rng.shuffle(cats)
        extra = [c for c in mentor_goals[p.m] if c not in cats]
        rng.shuffle(extra)
        cats += extra + [c for c in schema.GOAL_CATEGORIES if c not in cats and c not in extra]
        n_goals = int(rng.choice([1, 2, 3, 4], p=[0.25, 0.35, 0.25, 0.15]))
        end_day = min(p.day + 7 * p.weeks, as_of_day)
        last_active = p.last_day
        set_day = p.first_day + int(rng.integers(0, 11))
        used_texts: set[str] = set()
        for g in range(n_goals):
            if set_day > last_active:
                break
            cat = cats[g]
            texts = [x for x in _GOAL_TEXTS[cat] if x not in used_texts]
            text = texts[int(rng.integers(len(texts)))]
            used_texts.add(text)
            gid += 1
            goal_id = f"G{gid:04d}"
            target = set_day + 7 * int(rng.integers(4, 13))
            goals.append(
                {
                    "goal_id": goal_id,
                    "mentee_id": p.e,
                    "mentor_id": p.m,
                    "category": cat,
                    "description": text,
                    "set_on": set_day,
                    "target_date": target,
                }
            )
            # progress speed (percent per week) from the pair's quality
            speed = max(2.0, rng.normal(9.0 + 4.0 * p.q, 4.0))
            pct = int(5 * rng.integers(0, 2))
            day = set_day
            updates.append(
                {
                    "goal_id": goal_id,
                    "updated_on": day,
                    "stage": _stage(pct),
                    "percent": pct,
                    "status": "in_progress",
                    "new_target_date": None,
                }
            )
            revised = False
            cur_target = target
            stall_done = False
            while True:
                gap = int(rng.integers(7, 22))
                if not stall_done and rng.random() < 0.05:  # a stall: no update for a month+
                    gap = int(rng.integers(24, 45))
                    stall_done = True
                day += gap
                if day >= end_day:
                    break
                if day > last_active + 10:
                    # the pair went quiet: sometimes the coordinator closes the goal
                    if p.kind == "fading" and rng.random() < 0.35:
                        updates.append(
                            {
                                "goal_id": goal_id,
                                "updated_on": day,
                                "stage": _stage(pct),
                                "percent": pct,
                                "status": "abandoned",
                                "new_target_date": None,
                            }
                        )
                    break
                pct = int(min(100, 5 * round((pct + speed * gap / 7 * rng.uniform(0.4, 1.5)) / 5)))
                if pct >= 95:
                    pct = 100
                if (
                    not revised
                    and pct < 100
                    and day - set_day >= 21
                    and rng.random() < (0.35 if day > cur_target - 14 else 0.08)
                ):
                    revised = True
                    pct = max(0, pct - 5 * int(rng.integers(0, 4)))
                    cur_target = max(cur_target, day) + 7 * int(rng.integers(3, 9))
                    updates.append(
                        {
                            "goal_id": goal_id,
                            "updated_on": day,
                            "stage": _stage(pct),
                            "percent": pct,
                            "status": "revised",
                            "new_target_date": cur_target,
                        }
                    )
                    continue
                status = "completed" if pct == 100 else "in_progress"
                updates.append(
                    {
                        "goal_id": goal_id,
                        "updated_on": day,
                        "stage": _stage(pct),
                        "percent": pct,
                        "status": status,
                        "new_target_date": None,
                    }
                )
                if pct == 100:
                    break
            set_day += int(rng.integers(7, 29))
    return goals, updates


# ---------------------------------------------------------------------------------------------
# Surveys: items from latent traits (a factor model), discretised with fixed thresholds
# ---------------------------------------------------------------------------------------------


def _items(
    rng: np.random.Generator,
    factor: np.ndarray,
    n_items: int,
    loading: float,
    cuts: tuple[float, ...],
    shift_range: tuple[float, float] = (-0.2, 0.2),
    reverse: tuple[int, ...] = (),
) -> np.ndarray:
    """Ordinal items loading on one standardised factor; returns ints 1..len(cuts)+1."""
    n = len(factor)
    out = np.empty((n, n_items), dtype=float)
    shifts = rng.uniform(*shift_range, size=n_items)
    for j in range(n_items):
        x = loading * factor + math.sqrt(1 - loading**2) * rng.normal(size=n) + shifts[j]
        if j in reverse:
            x = -x
        val = 1 + np.searchsorted(np.asarray(cuts), x)
        out[:, j] = val
    return out


def _z(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def _missing(rng: np.random.Generator, items: np.ndarray) -> np.ndarray:
    """About 2 % of cells missing at random, and a few respondents who stop halfway."""
    items = items.copy()
    items[rng.random(items.shape) < 0.02] = np.nan
    n, k = items.shape
    for r in np.flatnonzero(rng.random(n) < 0.03):
        if k > 4:
            items[r, int(rng.integers(3, k - 1)) :] = np.nan
    return items


_CUTS5 = (-2.1, -1.25, -0.35, 0.7)
_CUTS4 = (-1.6, -0.45, 0.95)


def _mfq_wai(rng: np.random.Generator, rel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(rel)
    mfq = np.empty((n, 9))
    for k, a in enumerate((0.75, 0.8, 0.65)):
        f = a * rel + math.sqrt(1 - a**2) * rng.normal(size=n)
        mfq[:, 3 * k : 3 * k + 3] = _items(rng, f, 3, 0.8, _CUTS5, (0.0, 0.5))
    wai = np.empty((n, 12))
    for cols in ((1, 2, 10, 12), (3, 5, 7, 9), (4, 6, 8, 11)):
        f = 0.85 * rel + math.sqrt(1 - 0.85**2) * rng.normal(size=n)
        block = _items(rng, f, 4, 0.78, _CUTS5, (0.2, 0.8))
        for j, c in enumerate(cols):
            wai[:, c - 1] = block[:, j]
    return mfq, wai


def _emx(rng: np.random.Generator, rel, mod_z, tz_z, dc_z) -> np.ndarray:
    n = len(rel)
    emx = np.empty((n, 8))
    factors = (
        0.5 * rel + 0.45 * mod_z,  # usefulness of the sync/async mix
        0.5 * rel - 0.35 * tz_z,  # trust at a distance
        0.7 * dc_z + 0.2 * rel,  # tool ease
        0.85 * rel,  # satisfaction
    )
    for k, f in enumerate(factors):
        f = _z(f + rng.normal(0, 0.5, size=n))
        reverse = (1,) if k in (1, 2) else ()  # emx_4 and emx_6 are reverse-keyed
        emx[:, 2 * k : 2 * k + 2] = _items(rng, f, 2, 0.8, _CUTS5, (0.0, 0.5), reverse)
    return emx


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


def _typed(df: pd.DataFrame, table: schema.Table, start_day: np.datetime64) -> pd.DataFrame:
    """Cast a generated frame to the typed form (the form validation returns)."""
    out = {}
    for col in table.columns:
        s = df[col.name] if col.name in df.columns else pd.Series([None] * len(df), index=df.index)
        if col.kind == "list":
            out[col.name] = pd.Series([tuple(v) for v in s], index=df.index, dtype=object)
        elif col.kind == "int":
            out[col.name] = s.astype("int64")
        elif col.kind == "float":
            out[col.name] = s.astype("float64")
        elif col.kind == "date":
            days = pd.to_numeric(s).to_numpy(dtype=float)  # day numbers since ``start``
            arr = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
            ok = ~np.isnan(days)
            arr[ok] = (start_day + days[ok].astype("int64").astype("timedelta64[D]")).astype(
                "datetime64[ns]"
            )
            out[col.name] = pd.Series(arr, index=df.index)
        elif col.kind == "datetime":
            secs = s.to_numpy(dtype="int64")
            out[col.name] = pd.Series(
                pd.to_datetime(secs, unit="s", utc=True), index=df.index
            ).astype("datetime64[ns, UTC]")
        else:
            out[col.name] = s.astype("str")
    extra = [c for c in df.columns if c not in out and not c.startswith("_")]
    for c in extra:
        out[c] = df[c].astype("Int64")
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def generate_programme(
    n_mentees: int = 300,
    n_mentors: int = 90,
    weeks: int = 16,
    seed: int = DEFAULT_SEED,
    start: str = "2026-09-07",
) -> Programme:
    """Generate a synthetic francophone e-mentoring programme.

    Parameters
    ----------
    n_mentees, n_mentors : int
        Size of the intake. Mentor capacities (1-4) are topped up so that about 95 % of the
        mentees can be placed; the language and conflict-of-interest rules leave a few more
        unmatched.
    weeks : int
        Length of the mentoring period: each pair is followed for ``weeks`` weeks after its
        matching date.
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same programme.
    start : str
        First day of the programme (a calendar date). Cohort 2026-A is matched in the first
        week, cohort 2026-B in the second.

    Returns
    -------
    Programme
        A :class:`ementor_kit.data.validation.Programme` of validated (typed) tables: ``mentors``,
        ``mentees``, ``pairs``, ``interactions``, ``goals``, ``goal_updates`` and ``surveys``
        (``mentee_t0``, ``mentee_t1``, ``mentor_t1``). Dates are ``datetime64`` at midnight,
        time stamps ``datetime64[ns, UTC]``, list columns tuples of str.

    Examples
    --------
    >>> prog = generate_programme(n_mentees=30, n_mentors=10, weeks=4, seed=1)
    >>> len(prog.mentees), len(prog.mentors)
    (30, 10)
    >>> sorted(prog.surveys)
    ['mentee_t0', 'mentee_t1', 'mentor_t1']
    >>> bool(prog.pairs.merge(prog.mentors, on="mentor_id").groupby("mentor_id").size()
    ...      .le(prog.mentors.set_index("mentor_id")["capacity"]).all())
    True
    """
    tables = _generate_tables(n_mentees, n_mentors, weeks, seed, start)
    return _as_programme(tables)


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise EmentorKitError(f"{name}={value!r} is not valid. Fix: pass a whole number >= {low}.")
    return int(value)


def _generate_tables(n_mentees, n_mentors, weeks, seed, start) -> dict[str, pd.DataFrame]:
    n_mentees = _check_int("n_mentees", n_mentees, 1)
    n_mentors = _check_int("n_mentors", n_mentors, 1)
    weeks = _check_int("weeks", weeks, 2)
    seed = _check_int("seed", seed, 0)
    start_ts = _parse_start(start)
    t0 = int(start_ts.value // 10**9)
    t0_weekday = start_ts.weekday()
    r_people, r_match, r_log, r_goal, r_survey = np.random.default_rng(seed).spawn(5)

    taken: set[str] = set()
    mentors = _mentors(r_people, n_mentors, n_mentees, taken)
    mentees = _mentees(r_people, n_mentees, mentors, taken)
    mentees["_sociability"] = r_people.normal(size=n_mentees)

    feats = _pair_features(mentees, mentors)
    matched = _match(r_match, mentees, mentors, feats)

    n_days = 7 * weeks + 14
    holiday = np.array([_is_holiday(start_ts + pd.Timedelta(days=d)) for d in range(n_days + 7)])
    pairs: list[_Pair] = []
    for e, m in matched:
        er, mr = mentees.iloc[e], mentors.iloc[m]
        cohort_b = er["cohort"] == "2026-B"
        day = int(r_match.integers(0, 5)) + (7 if cohort_b else 0)
        day += 0 if (t0_weekday + day) % 7 < 5 else 2
        tzd = min(feats["tz"][e, m], 8.0)
        q = (
            0.5 * (feats["skills"][e, m] - 0.45) / 0.25
            + 0.3 * feats["domain"][e, m]
            + 0.4 * (feats["modality"][e, m] - 0.6)
            + 0.2 * (er["digital_comfort"] - 3.3)
            + 0.3 * er["_sociability"]
            - 0.12 * tzd
            + r_match.normal()
        )
        kind = _TYPES[int(np.searchsorted([-1.35, -0.5, -0.15], q, side="right"))]
        both_sync = (er["modality"] == "sync") + (mr["modality"] == "sync")
        both_async = (er["modality"] == "async") + (mr["modality"] == "async")
        p_sync = float(
            np.clip(0.3 + 0.2 * both_sync - 0.12 * both_async + r_match.normal(0, 0.07), 0.03, 0.85)
        )
        stage_init = {
            "lyceen": 0.25,
            "etudiant": 0.4,
            "jeune_diplome": 0.45,
            "reconversion": 0.55,
            "demandeur_emploi": 0.38,
        }[er["career_stage"]]
        stop_week = int(np.clip(round(r_match.uniform(0.15, 0.65) * weeks), 1, weeks - 1))
        pairs.append(
            _Pair(
                e=er["mentee_id"],
                m=mr["mentor_id"],
                day=day,
                weeks=weeks,
                kind=kind,
                q=q,
                off_e=float(er["utc_offset"]),
                off_m=float(mr["utc_offset"]),
                rate={"regular": 1.6, "irregular": 1.0, "fading": 1.4, "never": 0.0}[kind]
                * float(r_match.gamma(6.0, 1 / 6.0)),
                p_sync=p_sync,
                p_mentee=float(np.clip(stage_init + r_match.normal(0, 0.1), 0.05, 0.85)),
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
                p_reply={"regular": 0.92, "irregular": 0.8, "fading": 0.75, "never": 0.0}[kind],
                p_continue={"regular": 0.55, "irregular": 0.5, "fading": 0.35, "never": 0.0}[kind],
                latency_h=float(
                    np.exp(r_match.normal(math.log(5 if kind == "regular" else 12), 0.5))
                ),
                stop_week=stop_week,
                tau=max(1.0, stop_week / 1.5),
                tz=tzd,
                mod=feats["modality"][e, m],
                dc_e=int(er["digital_comfort"]),
                dc_m=int(mr["digital_comfort"]),
            )
        )

    log = _Log()
    for p in pairs:
        _simulate_pair(r_log, p, log, t0, t0_weekday, holiday, weeks)
    _group_sessions(r_log, log, pairs, mentees, t0, weeks)
    _forum(r_log, log, mentees, t0, weeks)

    order = np.lexsort((np.arange(len(log.t)), np.asarray(log.t, dtype="int64")))
    inter = pd.DataFrame(
        {
            "interaction_id": [f"I{i + 1:06d}" for i in range(len(order))],
            "timestamp": np.asarray(log.t, dtype="int64")[order],
            "sender_id": np.asarray(log.sender, dtype=object)[order],
            "recipient_id": np.asarray(log.recipient, dtype=object)[order],
            "channel": np.asarray(log.channel, dtype=object)[order],
            "duration_minutes": np.asarray(log.minutes, dtype=float)[order],
            "session_id": np.asarray(log.session, dtype=object)[order],
        }
    )

    # engagement actually realised by each pair (what analyses of the log will see)
    one_to_one = inter[inter["session_id"].isna() & (inter["channel"] != "forum")]
    key = np.where(
        one_to_one["sender_id"].str.startswith("E"),
        one_to_one["sender_id"] + "|" + one_to_one["recipient_id"],
        one_to_one["recipient_id"] + "|" + one_to_one["sender_id"],
    )
    day_of = (one_to_one["timestamp"].to_numpy() - t0) // _DAY
    stats = pd.DataFrame(
        {
            "key": key,
            "day": day_of,
            "sender": one_to_one["sender_id"].to_numpy(),
            "sync": one_to_one["channel"].isin(schema.SYNC_CHANNELS).to_numpy(),
        }
    )
    grouped = {k: g for k, g in stats.groupby("key", sort=True)}
    for p in pairs:
        g = grouped.get(f"{p.e}|{p.m}")
        n = 0 if g is None else len(g)
        p.n = n
        p.started = n > 0 and (g["sender"].nunique() == 2 or bool(g["sync"].any()))
        p.first_day = int(g["day"].min()) if n else p.day
        p.last_day = int(g["day"].max()) if n else p.day
        p.active_weeks = 0 if n == 0 else int(((g["day"] - p.day) // 7).nunique())
        p.sync_share = float(g["sync"].mean()) if n else 0.0

    as_of_day = max((p.day for p in pairs), default=0) + 7 * weeks
    goals, updates = _goals(r_goal, pairs, mentees, mentors, as_of_day)
    surveys = _surveys(r_survey, pairs, mentees, mentors, t0, weeks)

    pair_df = pd.DataFrame(
        {
            "mentee_id": [p.e for p in pairs],
            "mentor_id": [p.m for p in pairs],
            "matched_on": [p.day for p in pairs],
        }
    )
    goals_df = pd.DataFrame(goals, columns=schema.GOALS.column_names)
    upd_df = pd.DataFrame(updates, columns=schema.GOAL_UPDATES.column_names)
    upd_df = upd_df.sort_values(["goal_id", "updated_on"], kind="stable", ignore_index=True)
    day0 = np.datetime64(start_ts.date(), "D")
    tables = {
        "mentors": _typed(mentors, schema.MENTORS, day0),
        "mentees": _typed(mentees, schema.MENTEES, day0),
        "pairs": _typed(pair_df, schema.PAIRS, day0),
        "interactions": _typed(inter, schema.INTERACTIONS, day0),
        "goals": _typed(goals_df, schema.GOALS, day0),
        "goal_updates": _typed(upd_df, schema.GOAL_UPDATES, day0),
    }
    for name, df in surveys.items():
        tables[name] = _typed(df, schema.TABLES[name], day0)
    return tables


def _surveys(
    rng: np.random.Generator,
    pairs: list[_Pair],
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    t0: int,
    weeks: int,
) -> dict[str, pd.DataFrame]:
    n = len(mentees)
    ids = mentees["mentee_id"].to_numpy()
    off = dict(zip(mentees["mentee_id"], mentees["utc_offset"].astype(float), strict=True))
    off.update(zip(mentors["mentor_id"], mentors["utc_offset"].astype(float), strict=True))
    by_e = {p.e: p for p in pairs}
    stage_eff = {
        "lyceen": -0.2,
        "etudiant": 0.0,
        "jeune_diplome": 0.1,
        "reconversion": 0.25,
        "demandeur_emploi": -0.3,
    }
    theta0 = (
        rng.normal(size=n)
        + mentees["career_stage"].map(stage_eff).to_numpy(dtype=float)
        + 0.12 * (mentees["digital_comfort"].to_numpy(dtype=float) - 3)
    )

    # engagement of each mentee's pair, on a fixed scale (0 for unmatched mentees)
    matched = np.array([e in by_e for e in ids])
    eng = np.zeros(n)
    q = np.zeros(n)
    sync = np.zeros(n)
    for i, e in enumerate(ids):
        if e in by_e:
            p = by_e[e]
            eng[i] = (
                0.6 * (p.active_weeks / weeks - 0.5) / 0.3 + 0.4 * (math.log1p(p.n) - 3.0) / 1.2
            )
            q[i] = p.q
            sync[i] = p.sync_share
    gain = np.where(matched, 0.25 + 0.12 * eng, 0.03) + rng.normal(0, 0.45, size=n)
    theta1 = theta0 + gain

    def when(day_lo: int, day_hi: int, who: str) -> int:
        day = int(rng.integers(day_lo, day_hi))
        return int(
            t0
            + day * _DAY
            + _local_hour(rng, "mentee") * 3600
            + rng.uniform(0, 59)
            - off[who] * 3600
        )

    # T0: everyone, ~95 % answer, in the fortnight before the start
    resp0 = rng.random(n) < 0.95
    gse0 = _missing(rng, _items(rng, theta0, 10, 0.68, _CUTS4))
    t0_rows = [(when(-16, -1, ids[i]), ids[i], None, gse0[i]) for i in np.flatnonzero(resp0)]

    # T1 mentee: dyad latent shared with the mentor's rating
    kind = np.array([by_e[e].kind if e in by_e else "unmatched" for e in ids])
    shared = np.where(matched, 0.6 * np.clip(eng, -2.5, 2.5) + 0.3 * q, 0.0)
    dyad = shared + 0.75 * rng.normal(size=n)
    rel_e = _z(dyad + 0.8 * rng.normal(size=n))
    p_resp = {"regular": 0.78, "irregular": 0.68, "fading": 0.5, "never": 0.35, "unmatched": 0.3}
    resp1 = rng.random(n) < np.array([p_resp[k] for k in kind])
    gse1 = _items(rng, theta1, 10, 0.68, _CUTS4)
    mfq, wai = _mfq_wai(rng, rel_e)
    tz = np.array([by_e[e].tz if e in by_e else 0.0 for e in ids])
    mod = np.array([by_e[e].mod if e in by_e else 0.6 for e in ids])
    dc = mentees["digital_comfort"].to_numpy(dtype=float)
    emx = _emx(rng, rel_e, _z(mod + 0.5 * sync), _z(tz), _z(dc))
    rel_items = np.hstack([mfq, wai, emx])
    rel_items[~matched] = np.nan  # skip logic: no relationship items without a mentor
    t1_items = _missing(rng, np.hstack([gse1, rel_items]))
    t1_rows = []
    for i in np.flatnonzero(resp1):
        e = ids[i]
        p = by_e.get(e)
        end = (p.day if p else 7 * (mentees["cohort"].iloc[i] == "2026-B")) + 7 * weeks
        t1_rows.append((when(end, end + 21, e), e, p.m if p else None, t1_items[i]))

    # T1 mentor: one row per (mentor, mentee) pair; mentor leniency makes ratings cluster
    mentor_ids = mentors["mentor_id"].to_numpy()
    lenient = dict(zip(mentor_ids, rng.normal(0, 0.45, size=len(mentor_ids)), strict=True))
    answers = dict(zip(mentor_ids, rng.random(len(mentor_ids)) < 0.8, strict=True))
    rows_m = [i for i, e in enumerate(ids) if e in by_e]
    rel_m = _z(
        np.array([dyad[i] + lenient[by_e[ids[i]].m] for i in rows_m])
        + 0.8 * rng.normal(size=len(rows_m))
    )
    dc_m = np.array([by_e[ids[i]].dc_m for i in rows_m], dtype=float)
    wai_m = _mfq_wai(rng, rel_m)[1]
    emx_m = _emx(rng, rel_m, _z(mod[rows_m] + 0.5 * sync[rows_m]), _z(tz[rows_m]), _z(dc_m))
    m_items = _missing(rng, np.hstack([wai_m, emx_m]))
    m_rows = []
    last_t: dict[str, int] = {}
    for j, i in enumerate(rows_m):
        p = by_e[ids[i]]
        if not answers[p.m] or (p.kind == "never" and rng.random() < 0.5):
            continue
        if p.m in last_t:
            t = last_t[p.m] + int(rng.integers(180, 900))
        else:
            end = p.day + 7 * weeks
            t = when(end, end + 25, p.m)
        last_t[p.m] = t
        m_rows.append((t, p.m, p.e, m_items[j]))

    def frame(rows, prefix, role, wave, items: list[str]) -> pd.DataFrame:
        rows = sorted(rows, key=lambda r: (r[0], r[1], r[2] or ""))
        meta = pd.DataFrame(
            {
                "response_id": [f"{prefix}-{k + 1:04d}" for k in range(len(rows))],
                "respondent_id": [r[1] for r in rows],
                "rater_role": role,
                "wave": wave,
                "submitted_at": np.array([r[0] for r in rows], dtype="int64"),
                "target_id": [r[2] for r in rows],
            }
        )
        vals = np.vstack([r[3] for r in rows]) if rows else np.empty((0, len(items)))
        item_df = pd.DataFrame(vals, columns=items)
        return pd.concat([meta, item_df], axis=1)

    gse = [f"gse_{k}" for k in range(1, 11)]
    mfq_c = [f"mfq_{k}" for k in range(1, 10)]
    wai_c = [f"wai_{k}" for k in range(1, 13)]
    emx_c = [f"emx_{k}" for k in range(1, 9)]
    return {
        "mentee_t0": frame(t0_rows, "T0E", "mentee", "T0", gse),
        "mentee_t1": frame(t1_rows, "T1E", "mentee", "T1", gse + mfq_c + wai_c + emx_c),
        "mentor_t1": frame(m_rows, "T1M", "mentor", "T1", wai_c + emx_c),
    }


def _as_programme(tables: dict[str, pd.DataFrame]) -> Programme:
    """Validate every table (the typed form every module expects) and wrap them.

    An optional table left empty (possible only for tiny programmes) is absent, as it would be
    from a folder: the data contract has no empty tables.
    """
    typed = {name: validate(df, name) for name, df in tables.items() if len(df)}
    return Programme(
        mentors=typed["mentors"],
        mentees=typed["mentees"],
        pairs=typed.get("pairs"),
        interactions=typed.get("interactions"),
        goals=typed.get("goals"),
        goal_updates=typed.get("goal_updates"),
        surveys={k: typed[k] for k in ("mentee_t0", "mentee_t1", "mentor_t1") if k in typed},
    )
