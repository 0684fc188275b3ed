"""Vocabulary of the synthetic population: regions, origins, first names, employers, weights.

Constant tables only (no randomness): :mod:`ementor_kit.samples._people` and
:mod:`ementor_kit.samples._goals` draw from them. Tuples of weights follow the order of the
matching vocabulary in :mod:`ementor_kit.data.schema` (named beside each table).
"""

from __future__ import annotations

from ementor_kit.data import schema

# The vocabularies the generator draws from, in the order the weights below follow: declared
# by the sample's programme.yaml (read into the mentors/mentees contract of data.schema).
LANGUAGES = schema.MENTEES.column("languages").allowed or ()
MODALITIES = schema.MENTEES.column("modality").allowed or ()
DOMAINS = schema.MENTEES.column("domain").allowed or ()
SKILLS = schema.MENTEES.column("skills_sought").allowed or ()
GOAL_CATEGORIES = schema.MENTEES.column("goals").allowed or ()
CAREER_STAGES = schema.MENTEES.column("career_stage").allowed or ()
GROUPS = schema.MENTEES.column("group").allowed or ()

# region, winter UTC offset (hours), kind, weight among mentees, weight among mentors
REGIONS: tuple[tuple[str, float, str, float, float], ...] = (
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

# origins (first-name pools) of people living in mainland France, weights
MAINLAND_ORIGINS: dict[str, float] = {
    "fr": 62,
    "maghreb": 14,
    "afrique": 7,
    "lusophone": 5,
    "asie": 4,
    "antilles": 3,
    "hispanique": 3,
    "levant": 2,
}
# origins elsewhere (regions not listed use MAINLAND_ORIGINS)
ORIGINS_BY_REGION: dict[str, dict[str, float]] = {
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
FIRST_NAMES: dict[str, tuple[str, ...]] = {
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
INITIALS = "ABBCCDDFGGHJKLLMMMNPPRRSSTV"

# organisation, home regions (None = national), ((department, domain), ...), weight
# fmt: off
ORGS: tuple[tuple[str, tuple[str, ...] | None, tuple[tuple[str, str], ...], float], ...] = (
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

LYCEES: tuple[str, ...] = (
    "Lycée Jean-Jaurès",
    "Lycée Marie-Curie",
    "Lycée Louise-Michel",
    "Lycée Aimé-Césaire",
    "Lycée Simone-Veil",
    "Lycée du Rempart",
    "Lycée Léopold-Sédar-Senghor",
)
LYCEE_CLASSES: tuple[str, ...] = (
    "Première générale",
    "Terminale générale",
    "Terminale STMG",
    "Bac pro commerce",
    "Terminale ST2S",
)
SCHOOLS: dict[str, tuple[tuple[str, str], ...]] = {
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
OTHER_EMPLOYERS: tuple[tuple[str, str], ...] = (
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

DOMAIN_WEIGHTS: tuple[float, ...] = (18, 12, 8, 15, 7, 10, 8, 6, 7, 9)  # order of DOMAINS
STAGE_WEIGHTS: tuple[float, ...] = (15, 35, 20, 15, 15)  # order of CAREER_STAGES
# skills sought by career stage, order of SKILLS
SKILL_WEIGHTS_BY_STAGE: dict[str, tuple[float, ...]] = {
    "lyceen": (1, 1, 0.5, 5, 2, 2, 3, 1, 0.2, 1, 4, 0.5, 0.1, 0.2, 2),
    "etudiant": (3, 3, 2, 2, 2, 2, 2, 1, 0.5, 5, 2, 2, 0.5, 0.5, 2),
    "jeune_diplome": (3, 4, 4, 1, 2, 1, 2, 1, 1, 1, 0.5, 2, 2, 1, 2),
    "reconversion": (2, 2, 4, 3, 1, 1, 2, 2, 3, 0.5, 0.5, 1, 1, 1, 5),
    "demandeur_emploi": (5, 5, 2, 2, 1, 1, 4, 3, 1, 0.5, 0.5, 0.5, 0.5, 0.2, 3),
}
MENTOR_SKILL_BASE: tuple[float, ...] = (3, 4, 4, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 3)
MENTOR_SKILL_BOOST: dict[str, dict[str, float]] = {
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
# goal categories by career stage, order of GOAL_CATEGORIES
GOAL_WEIGHTS_BY_STAGE: dict[str, tuple[float, ...]] = {
    "lyceen": (2, 1, 0.5, 3, 5, 0.3),
    "etudiant": (3, 3, 4, 2, 2, 0.7),
    "jeune_diplome": (2, 4, 5, 2, 1, 1),
    "reconversion": (3, 3, 3, 2, 3, 2),
    "demandeur_emploi": (3, 2, 5, 3, 2, 1),
}
GOAL_TEXTS: dict[str, tuple[str, ...]] = {
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
