"""Benchmark of a coordinator's own intake export: read_raw, propose_programme, read_people.

Run from the repository root:

    .venv/bin/python benchmarks/bench_intake.py
    .venv/bin/python benchmarks/bench_intake.py --people 10000 30000 --repeat 3

For each size (people in all; 30 % mentors) an Excel fr-FR style export is written once to a
temporary folder (cp1252, ``;``, CRLF, decimal comma, French headers, ``Français, Anglais``
multi-select answers, ``Oui``/``Non``, free-text comments, a time stamp column). The table
shows the best and median wall time of reading both files as text (``read_raw``), of the
proposal (``propose_programme``, which reads them again), of reading the typed people with the
written ``programme.yaml`` (``read_people``), and of the three together.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

from ementor_kit import propose_programme, read_people, read_raw

_COMMON = [
    "Horodateur",
    "Adresse e-mail",
    "Nom, prénom",
    "Langues parlées",
    "Domaine",
    "Disponibilité (h/semaine)",
    "Modalité préférée",
    "Fuseau horaire",
    "Années d'expérience",
    "Commentaires",
]
_LANGS = ["Français", "Français, Anglais", "Français, Créole réunionnais", "Français, Arabe"]
_DOMAINS = ["Santé", "Numérique", "Ingénierie", "Commerce", "Éducation", "Social"]
_SKILLS = ["Rédiger mon CV", "Préparer un entretien", "Développer mon réseau", "Confiance en soi"]
_MODES = ["Visio / téléphone", "Écrit (messagerie, e-mail)", "Les deux"]
_ZONES = ["Europe/Paris", "Indian/Reunion", "America/Martinique", "UTC+4"]
_NOTES = ["", "", "Disponible le soir", "Je préfère une mentore ; si possible en visio"]


def _rows(rng: random.Random, n: int, role: str) -> tuple[list[str], list[list[str]]]:
    mentor = role == "mentors"
    extra = (
        ["Compétences proposées", "Employeur", "Nombre de mentoré·es", "Déjà mentor ?"]
        if mentor
        else ["Numéro étudiant", "Compétences recherchées", "Établissement", "Accepte le suivi"]
    )
    headers = _COMMON + extra
    rows = []
    for i in range(n):
        row = [
            f"{1 + i % 28:02d}/09/2026 {i % 24:02d}:{i % 60:02d}:00",
            f"p{i}.{role}@exemple.fr",
            f"Nom{i}, Prénom{i}",
            rng.choice(_LANGS),
            rng.choice(_DOMAINS),
            rng.choice(["0,5", "1", "1,5", "2", "3"]),
            rng.choice(_MODES),
            rng.choice(_ZONES),
            str(rng.randrange(0, 30)),
            rng.choice(_NOTES),
        ]
        skills = ", ".join(rng.sample(_SKILLS, rng.randint(1, 3)))
        yes_no = rng.choice(["Oui", "Non"])
        if mentor:
            row += [skills, rng.choice(["Hôpital Nord", "Numérik SAS"]), str(rng.randint(1, 3))]
        else:
            row += [f"stu-{i:05d}", skills, rng.choice(["Université de Lille", "IUT Saint-Denis"])]
        row.append(yes_no)
        rows.append(row)
    return headers, rows


def _write(folder: Path, n_people: int, seed: int = 7) -> dict[str, Path]:
    rng = random.Random(seed)
    n_mentors = round(0.3 * n_people)
    files = {}
    for role, n in (("mentors", n_mentors), ("mentees", n_people - n_mentors)):
        headers, rows = _rows(rng, n, role)
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        writer.writerows([[""] * len(headers)] * 2)
        files[role] = folder / f"{role}.csv"
        files[role].write_bytes(buf.getvalue().encode("cp1252"))
    return files


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        "| people | read_raw best / median (s) | propose best / median (s) "
        "| read_people best / median (s) | all three (best, s) |"
    )
    print("|---|---|---|---|---|")
    for n in args.people:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            files = _write(folder, n)
            raw_t = _timed(lambda f=files: [read_raw(p) for p in f.values()], args.repeat)
            prop_t = _timed(
                lambda f=files: propose_programme(f["mentors"], f["mentees"]), args.repeat
            )
            propose_programme(files["mentors"], files["mentees"]).to_yaml(folder / "programme.yaml")
            read_t = _timed(lambda d=folder: read_people(d), args.repeat)
            people = read_people(folder)
            assert len(people.mentors) + len(people.mentees) == n
        print(
            f"| {n} | {min(raw_t):.2f} / {statistics.median(raw_t):.2f} "
            f"| {min(prop_t):.2f} / {statistics.median(prop_t):.2f} "
            f"| {min(read_t):.2f} / {statistics.median(read_t):.2f} "
            f"| {min(raw_t) + min(prop_t) + min(read_t):.2f} |"
        )


if __name__ == "__main__":
    main()
