"""ProgrammeSpec: the model of programme.yaml, its checks and its YAML round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ementor_kit import DataValidationError, ProgrammeSpec
from ementor_kit.data.spec import AttributeSpec, PeopleFile


def _full_spec(folder=None) -> ProgrammeSpec:
    mentees = (
        AttributeSpec("mentee_id", "Numéro étudiant", "id", required=True),
        AttributeSpec("name", "Nom, prénom", "name"),
        AttributeSpec("email", "Adresse e-mail", "contact", required=True),
        AttributeSpec(
            "languages", "Langues parlées", "language", separator=", ", recode={"Créole": None}
        ),
        AttributeSpec(
            "modality",
            "Modalité préférée",
            "category",
            vocabulary=("async", "mixed", "sync"),
            recode={"Visio / téléphone": "sync", "Écrit: e-mail": "async", "No": "mixed"},
        ),
        AttributeSpec(
            "skills_sought",
            "Compétences recherchées",
            "multi",
            separator=";",
            vocabulary=("cv", "reseau"),
            recode={"Rédiger mon CV": "cv"},
        ),
        AttributeSpec(
            "hours",
            "Disponibilité (h/semaine)",
            "number",
            decimal=",",
            unit="hours/week",
            min=0,
            max=168,
            recode={"Moins d'une heure": 0.5},
        ),
        AttributeSpec("consent", "Accord", "boolean", recode={"Oui": True, "Non": False}),
        AttributeSpec("timezone", "Fuseau", "timezone", recode={"Heure de Paris": "Europe/Paris"}),
        AttributeSpec("birth", "Naissance", "date", format="%d/%m/%Y"),
        AttributeSpec("comments", "Commentaires", "text", reason="free text"),
        AttributeSpec("horodateur", "Horodateur", "ignore", reason="form metadata"),
        AttributeSpec("organisation", "Établissement", "category"),
    )
    mentors = (
        AttributeSpec("mentor_id", "Adresse e-mail", "id", required=True),
        AttributeSpec("capacity", "Nombre de mentoré·es", "integer", min=1),
        AttributeSpec("skills_offered", "Compétences", "multi", separator=", "),
        AttributeSpec("organisation", "Employeur", "category"),
    )
    return ProgrammeSpec(
        files=(
            PeopleFile(
                "inscriptions.xlsx",
                sheet="Réponses",
                role_column="Vous êtes",
                roles={"Mentor": "mentors", "Mentoré·e": "mentees", "Autre": None},
            ),
        ),  # fmt: skip
        mentors=mentors,
        mentees=mentees,
        rules=(
            {
                "kind": "overlap",
                "mentee": "skills_sought",
                "mentor": "skills_offered",
                "importance": "high",
            },
            {"kind": "forbid_same", "attributes": ["organisation"]},
            {"kind": "min_score", "value": 40},
            {"kind": "same", "attribute": "organisation", "importance": 0.5},
        ),  # fmt: skip
        folder=folder,
    )


def test_yaml_round_trip_is_exact_and_deterministic(tmp_path):
    spec = _full_spec()
    path = tmp_path / "programme.yaml"
    text = spec.to_yaml(path)
    assert path.read_text(encoding="utf-8") == text
    back = ProgrammeSpec.from_yaml(path)
    assert back == spec
    assert back.folder == str(tmp_path)
    assert back.to_yaml() == text == spec.to_yaml()
    assert ProgrammeSpec.from_yaml(text) == spec  # YAML text is accepted too
    loaded = yaml.safe_load(text)
    assert loaded["attributes"]["mentees"]["modality"]["recode"]["No"] == "mixed"
    assert loaded["attributes"]["mentees"]["consent"]["recode"] == {"Oui": True, "Non": False}
    assert text.startswith("# programme.yaml")
    assert "name and contact identify people" in text


def test_paths_are_written_relative_to_the_yaml_folder(tmp_path):
    data = tmp_path / "raw"
    data.mkdir()
    spec = ProgrammeSpec(
        files=(
            PeopleFile(str(data / "m.csv"), role="mentors"),
            PeopleFile("e.csv", role="mentees"),
        ),
        mentors=(AttributeSpec("mentor_id", "id", "id"),),
        mentees=(AttributeSpec("mentee_id", "id", "id"),),
        folder=str(data),
    )
    spec.to_yaml(data / "programme.yaml")
    back = ProgrammeSpec.from_yaml(data / "programme.yaml")
    assert [f.path for f in back.files] == ["m.csv", "e.csv"]
    assert back.path_of(back.files[0]) == data / "m.csv"
    spec.to_yaml(tmp_path / "elsewhere.yaml")
    again = ProgrammeSpec.from_yaml(tmp_path / "elsewhere.yaml")
    assert [f.path for f in again.files] == ["raw/m.csv", "raw/e.csv"]


def test_identifiers_are_names_and_contacts():
    spec = _full_spec()
    assert spec.identifiers == {"mentors": (), "mentees": ("name", "email")}
    assert spec.attribute("mentees", "email").identifier
    assert not spec.attribute("mentees", "mentee_id").identifier
    with pytest.raises(KeyError):
        spec.attribute("mentors", "name")


def test_review_of_a_declared_spec_lists_every_attribute():
    review = _full_spec().review()
    assert len(review) == len(_full_spec().mentors) + len(_full_spec().mentees)
    assert set(review["confidence"]) == {"declared"}
    row = review[review["attribute"] == "horodateur"].iloc[0]
    assert row["check"] == "form metadata"


def _problems(text: str) -> dict[str | None, str]:
    with pytest.raises(DataValidationError) as exc:
        ProgrammeSpec.from_yaml(text)
    found: dict[str | None, str] = {}
    for p in exc.value.problems:
        found[p.column] = (found.get(p.column, "") + f" {p.message} | {p.fix}").strip()
    return found


_MIN = """
people:
  - path: mentors.csv
    role: mentors
  - path: mentees.csv
    role: mentees
attributes:
  mentors:
    mentor_id: {column: Email, type: id}
  mentees:
    mentee_id: {column: Numéro, type: id}
"""


def test_a_minimal_yaml_reads():
    spec = ProgrammeSpec.from_yaml(_MIN)
    assert [a.name for a in spec.mentees] == ["mentee_id"]
    assert spec.rules == ()


def test_problems_name_the_key_and_the_fix():
    text = (
        _MIN.replace("role: mentees", "role: mentes")
        + """    hours: {column: H, type: number, decimal: ";", min: 5, max: 2}
    langs: {column: L, type: multi}
    mode: {column: M, type: category, vocabulary: [sync], recode: {Visio: video}}
    when: {column: W, type: dates}
    ok: {column: O, type: boolean, recode: {Oui: "yes"}, colum: x}
rules:
  - {kind: overlap, mentee: skills_sought, mentor: skills_offered}
  - {kind: forbid_same, attributes: [organisation]}
  - {kind: closenes, attribute: hours}
  - {kind: same, attribute: mode, importance: urgent}
"""
    )
    found = _problems(text)
    assert "unknown role 'mentes'" in found["people[1].role"]
    assert "decimal ';' does not apply" in found["attributes.mentees.hours.decimal"]
    assert "min 5 is above max 2" in found["attributes.mentees.hours.min"]
    assert 'add separator: ", "' in found["attributes.mentees.langs.separator"]
    assert "code 'video' is not in the vocabulary" in found["attributes.mentees.mode.recode.Visio"]
    assert "unknown type 'dates'" in found["attributes.mentees.when.type"]
    assert "true or false" in found["attributes.mentees.ok.recode.Oui"]
    assert "did you mean 'column'" in found["attributes.mentees.ok.colum"]
    assert "did you mean 'closeness'" in found["rules[2].kind.closenes"]
    assert "importance 'urgent'" in found["rules[3].importance"]
    assert "'skills_sought' is not an attribute of mentees" in found["rules[0].mentee"]
    assert "'skills_offered' is not an attribute of mentors" in found["rules[0].mentor"]
    assert "'organisation' is not an attribute of mentees" in found["rules[1].attributes"]
    assert "no file gives the mentees" in found["people"]


def test_one_id_per_role_named_for_the_role():
    found = _problems(
        _MIN.replace("mentee_id: {column: Numéro, type: id}", "id: {column: N, type: id}")
    )
    assert "must be called mentee_id" in found["attributes.mentees.id"]
    found = _problems(
        _MIN.replace("mentee_id: {column: Numéro, type: id}", "x: {column: N, type: text}")
    )
    assert "0 id attributes" in found["attributes.mentees"]


def test_not_a_mapping_and_bad_yaml(tmp_path):
    assert "not a mapping" in str(_problems("- just\n- a list\n"))
    assert "not valid YAML" in str(_problems("people: [\n"))
    with pytest.raises(DataValidationError, match="file not found"):
        ProgrammeSpec.from_yaml(tmp_path / "programme.yaml")


def test_constructing_an_invalid_spec_directly_raises():
    with pytest.raises(DataValidationError, match="0 id attributes"):
        ProgrammeSpec(files=(PeopleFile("m.csv", role="mentors"), PeopleFile("e.csv", role="mentees")),
                      mentors=(), mentees=(AttributeSpec("mentee_id", "id", "id"),))  # fmt: skip


def test_the_bundled_example_yaml_reads():
    import ementor_kit as ek

    spec = ProgrammeSpec.from_yaml(ek.sample_dir().parent / "intake_examples" / "programme.yaml")
    assert Path(spec.folder).name == "intake_examples"
    assert spec.attribute("mentees", "availability_hours").decimal == ","
