"""A coordinator's own intake export, as French form tools and Excel write it (test data).

40 mentees and 15 mentors answered a Google Form in French; the coordinator opened the
responses in Excel (fr-FR) and saved them as "CSV (séparateur: point-virgule)" (cp1252, ``;``,
CRLF, decimal comma) or "CSV UTF-8" (byte-order mark, still ``;``), or kept the workbook
(.xlsx, .ods). Every trait of such an export is here: French headers, a ``Horodateur`` column,
a header holding a comma (``Nom, prénom``), e-mail addresses and ``stu-0042`` as ids,
``Français, Anglais`` multi-select answers, ``1,5`` hours, ``Oui``/``Non``, free-text comments
(with ``;``, quotes and a line break), a near-duplicate label (``Santé`` / ``Sante``) and two
trailing ``;;;;`` rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd

MENTEE_HEADERS = [
    "Horodateur",
    "Numéro étudiant",
    "Adresse e-mail",
    "Nom, prénom",
    "Langues parlées",
    "Domaine",
    "Compétences recherchées",
    "Disponibilité (h/semaine)",
    "Modalité préférée",
    "Fuseau horaire",
    "Établissement",
    "Département",
    "Situation",
    "Années d'expérience",
    "Accepte d'être recontacté·e",
    "Commentaires",
]
MENTOR_HEADERS = [
    "Horodateur",
    "Adresse e-mail",
    "Nom, prénom",
    "Langues parlées",
    "Domaine",
    "Compétences proposées",
    "Disponibilité (h/semaine)",
    "Modalité préférée",
    "Fuseau horaire",
    "Employeur",
    "Service",
    "Années d'expérience",
    "Nombre de mentoré·es",
    "Avez-vous déjà été mentor ?",
    "Commentaires",
]
FIRST = ["Anaïs", "Mehdi", "Zoé", "Kenny", "Léa", "Ibrahima", "Chloé", "Noé", "Inès", "Théo"]
LAST = ["Lefèvre", "Benali", "Hoarau", "Dupont", "Nguyen", "Diallo", "Payet", "Martin", "Garçon"]
LANGUAGES = [
    "Français",
    "Français, Anglais",
    "Français, Créole réunionnais",
    "Français, Arabe",
    "Français, Espagnol, Anglais",
    "Anglais, Français",
]
DOMAINS = ["Santé", "Numérique", "Ingénierie", "Commerce", "Éducation", "Social"]
SKILLS = [
    "Rédiger mon CV",
    "Préparer un entretien",
    "Développer mon réseau",
    "Prendre la parole en public",
    "Trouver un stage",
    "Confiance en soi",
]
HOURS = [1.5, 2.0, 3.0, 0.5, 1.0, 2.5]
MODALITIES = ["Visio / téléphone", "Écrit (messagerie, e-mail)", "Les deux"]
ZONES = ["Europe/Paris", "Europe/Paris", "Indian/Reunion", "America/Martinique", "UTC+4"]
SCHOOLS = ["Université de Lille", "IUT de Saint-Denis", "Université de La Réunion"]
SCHOOL_DEPTS = ["Informatique", "Santé publique", "GEA"]
STAGES = ["Étudiant·e", "Jeune diplômé·e", "En reconversion"]
EMPLOYERS = ["Université de Lille", "Hôpital Nord", "Numérik SAS", "Banque Océan"]
SERVICES = ["Informatique", "Ressources humaines", "Urgences", "Crédit"]
COMMENTS = [
    None,
    None,
    "Disponible surtout le soir",
    "Je préfère une mentore ; si possible en visio",
    'Mon projet : "ouvrir un cabinet", à moyen terme',
    "Horaires décalés (travail le week-end)\nmerci de me contacter par e-mail",
    "RAS",
]


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def _stamp(rng: random.Random, i: int) -> dt.datetime:
    return dt.datetime(2026, 9, 1, 8, 0, 0) + dt.timedelta(hours=7 * i, minutes=rng.randrange(60))


def _person(rng: random.Random, i: int, domain: str) -> dict:
    first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
    return {
        "first": first,
        "last": last,
        "Nom, prénom": f"{last}, {first}",
        "Langues parlées": LANGUAGES[rng.randrange(len(LANGUAGES))],
        "Domaine": domain,
        "Disponibilité (h/semaine)": HOURS[rng.randrange(len(HOURS))],
        "Modalité préférée": MODALITIES[rng.randrange(len(MODALITIES))],
        "Fuseau horaire": ZONES[rng.randrange(len(ZONES))],
        "Commentaires": COMMENTS[rng.randrange(len(COMMENTS))],
    }


def people(seed: int = 42, *, problems: bool = False) -> dict[str, list[dict]]:
    """Answers of 40 mentees and 15 mentors, by header (Python values, before any export).

    With ``problems``: mentee row 7 has the domain ``Droit`` (a label the proposal never
    saw) and mentee row 11 repeats the id of row 4.
    """
    rng = random.Random(seed)
    mentees = []
    for i in range(40):
        domain = "Sante" if i == 5 else DOMAINS[i % len(DOMAINS)]
        p = _person(rng, i, domain)
        p |= {
            "Horodateur": _stamp(rng, i),
            "Numéro étudiant": f"stu-{i + 11:04d}",
            "Adresse e-mail": f"{_ascii(p['first'])}.{_ascii(p['last'])}{i}@etu.exemple.fr",
            "Compétences recherchées": ", ".join(rng.sample(SKILLS, rng.randint(1, 3))),
            "Établissement": SCHOOLS[i % len(SCHOOLS)],
            "Département": SCHOOL_DEPTS[rng.randrange(len(SCHOOL_DEPTS))],
            "Situation": STAGES[rng.randrange(len(STAGES))],
            "Années d'expérience": rng.randrange(0, 6),
            "Accepte d'être recontacté·e": "Oui" if rng.random() < 0.7 else "Non",
        }
        mentees.append(p)
    mentors = []
    for i in range(15):
        p = _person(rng, i + 3, DOMAINS[i % len(DOMAINS)])
        p |= {
            "Horodateur": _stamp(rng, i),
            "Adresse e-mail": f"{_ascii(p['first'])}.{_ascii(p['last'])}{i}@pro.exemple.fr",
            "Compétences proposées": ", ".join(rng.sample(SKILLS, rng.randint(2, 4))),
            "Employeur": EMPLOYERS[i % len(EMPLOYERS)],
            "Service": SERVICES[rng.randrange(len(SERVICES))],
            "Années d'expérience": rng.randrange(3, 30),
            "Nombre de mentoré·es": rng.randint(1, 3),
            "Avez-vous déjà été mentor ?": "Oui" if i % 3 else "Non",
        }
        mentors.append(p)
    if problems:
        mentees[5]["Domaine"] = "Droit"
        mentees[9]["Numéro étudiant"] = mentees[2]["Numéro étudiant"]
    return {"mentors": mentors, "mentees": mentees}


def _text(header: str, value) -> str:
    """A cell as Excel fr-FR writes it to CSV."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def csv_bytes(
    rows: list[dict], headers: list[str], encoding: str, trailing_empty: int = 2
) -> bytes:
    """The export as Excel fr-FR saves it: ``;``, CRLF, decimal comma, trailing ``;;;;`` rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_text(h, r[h]) for h in headers] for r in rows])
    writer.writerows([[""] * len(headers)] * trailing_empty)
    return buf.getvalue().encode(encoding)


def write_csv(
    folder: Path, *, encoding: str = "cp1252", seed: int = 42, problems: bool = False
) -> dict[str, Path]:
    """mentors.csv and mentees.csv in ``folder`` (``cp1252`` or ``utf-8-sig``)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = people(seed, problems=problems)
    out = {}
    for role, headers in (("mentors", MENTOR_HEADERS), ("mentees", MENTEE_HEADERS)):
        out[role] = folder / f"{role}.csv"
        out[role].write_bytes(csv_bytes(data[role], headers, encoding))
    return out


def _sheet_rows(rows: list[dict], headers: list[str]) -> list[list]:
    return [headers] + [[r[h] for h in headers] for r in rows]


def write_xlsx(folder: Path, *, seed: int = 42, problems: bool = False) -> dict[str, Path]:
    """mentors.xlsx and mentees.xlsx: one sheet each, numbers and time stamps as typed cells."""
    folder.mkdir(parents=True, exist_ok=True)
    data = people(seed, problems=problems)
    out = {}
    for role, headers in (("mentors", MENTOR_HEADERS), ("mentees", MENTEE_HEADERS)):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Réponses au formulaire 1"
        for row in _sheet_rows(data[role], headers):
            sheet.append(row)
        out[role] = folder / f"{role}.xlsx"
        book.save(out[role])
    return out


def write_ods(folder: Path, *, seed: int = 42, problems: bool = False) -> dict[str, Path]:
    """mentors.ods and mentees.ods (LibreOffice), numbers as typed cells."""
    folder.mkdir(parents=True, exist_ok=True)
    data = people(seed, problems=problems)
    out = {}
    for role, headers in (("mentors", MENTOR_HEADERS), ("mentees", MENTEE_HEADERS)):
        frame = pd.DataFrame(_sheet_rows(data[role], headers)[1:], columns=headers, dtype=object)
        out[role] = folder / f"{role}.ods"
        with pd.ExcelWriter(out[role], engine="odf") as writer:
            frame.to_excel(writer, sheet_name="Réponses", index=False)
    return out
