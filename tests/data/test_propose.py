"""propose_programme: a first programme.yaml from a coordinator's raw export."""

from __future__ import annotations

import pandas as pd
import pytest

from ementor_kit import InvalidArgumentError, ProgrammeSpec, propose_programme, sample_dir
from tests._intake_exports import write_csv, write_ods, write_xlsx


@pytest.fixture(scope="module")
def proposed(tmp_path_factory):
    files = write_csv(tmp_path_factory.mktemp("export"), encoding="cp1252")
    return files, propose_programme(files["mentors"], files["mentees"])


def _types(spec, role):
    return {a.name: (a.column, a.type) for a in spec.attributes(role)}


def test_french_headers_become_the_expected_attributes(proposed):
    _, spec = proposed
    mentees = _types(spec, "mentees")
    assert mentees == {
        "horodateur": ("Horodateur", "ignore"),
        "mentee_id": ("Numéro étudiant", "id"),
        "email": ("Adresse e-mail", "contact"),
        "name": ("Nom, prénom", "name"),
        "languages": ("Langues parlées", "language"),
        "domain": ("Domaine", "category"),
        "skills_sought": ("Compétences recherchées", "multi"),
        "availability_hours": ("Disponibilité (h/semaine)", "number"),
        "modality": ("Modalité préférée", "category"),
        "timezone": ("Fuseau horaire", "timezone"),
        "organisation": ("Établissement", "category"),
        "department": ("Département", "category"),
        "career_stage": ("Situation", "category"),
        "years_experience": ("Années d'expérience", "integer"),
        "accepte_d_etre_recontacte_e": ("Accepte d'être recontacté·e", "boolean"),
        "comments": ("Commentaires", "text"),
    }
    mentors = _types(spec, "mentors")
    assert mentors["mentor_id"] == ("Adresse e-mail", "id")  # no id column: the unique e-mail
    assert mentors["email"] == ("Adresse e-mail", "contact")
    assert mentors["capacity"] == ("Nombre de mentoré·es", "integer")
    assert mentors["skills_offered"] == ("Compétences proposées", "multi")
    assert mentors["organisation"] == ("Employeur", "category")
    assert mentors["department"] == ("Service", "category")
    assert spec.identifiers == {"mentors": ("email", "name"), "mentees": ("email", "name")}


def test_types_details_and_vocabularies(proposed):
    _, spec = proposed
    hours = spec.attribute("mentees", "availability_hours")
    assert (hours.decimal, hours.min, hours.max, hours.unit) == (",", 0, 168, "hours/week")
    langs = spec.attribute("mentees", "languages")
    assert langs.separator == ", " and langs.recode == {}  # French names read by the type
    skills = spec.attribute("mentees", "skills_sought")
    assert skills.separator == ", " and "rediger_mon_cv" in skills.vocabulary
    modality = spec.attribute("mentees", "modality")
    assert modality.recode == {
        "Les deux": "mixed",
        "Visio / téléphone": "sync",
        "Écrit (messagerie, e-mail)": "async",
    }
    assert spec.attribute("mentors", "avez_vous_deja_ete_mentor").recode == {
        "Non": False,
        "Oui": True,
    }
    domain = spec.attribute("mentees", "domain")
    assert domain.recode["Santé"] == domain.recode["Sante"] == "sante"
    assert spec.attribute("mentees", "horodateur").reason.startswith("form metadata")


def test_review_lists_what_to_check(proposed):
    _, spec = proposed
    review = spec.review()
    assert list(review.columns) == [
        "file",
        "column",
        "roles",
        "attribute",
        "type",
        "confidence",
        "values_seen",
        "check",
    ]
    assert len(review) == 2 + len(spec.mentors) + len(spec.mentees)

    def check(role, attribute):
        rows = review[(review["roles"] == role) & (review["attribute"] == attribute)]
        return rows["check"].iloc[0]

    assert "'Sante' (1) and 'Santé' (7) read as one code 'sante'" in check("mentees", "domain")
    assert "no id column" in check("mentors", "mentor_id")
    assert "header not recognised" in check("mentees", "accepte_d_etre_recontacte_e")
    assert check("mentees", "comments") == "not used for matching"
    files = review[review["column"].isna()]
    assert files["check"].str.contains("cp1252, separator ';'").all()
    assert files["check"].str.contains("skipped: 2").all()
    seen = review[(review["roles"] == "mentees") & (review["attribute"] == "languages")]
    assert seen["values_seen"].iloc[0].startswith("Français (40)")


def test_review_in_french_rewords_the_points_to_check_only(proposed):
    _, spec = proposed
    en, fr = spec.review(lang="en"), spec.review(lang="fr")
    same = ["file", "column", "roles", "attribute", "type", "confidence"]
    assert fr[same].equals(en[same])
    people = en["attribute"].notna()
    assert fr.loc[people, "values_seen"].equals(en.loc[people, "values_seen"])  # answers
    to_check = en["check"] != ""
    assert to_check.sum() >= 8
    assert (fr.loc[~to_check, "check"] == "").all()
    # every point of this export is known to the catalogue: none is left in English
    assert (fr.loc[to_check, "check"] != en.loc[to_check, "check"]).all()
    domain = fr[(fr["roles"] == "mentees") & (fr["attribute"] == "domain")]["check"].iloc[0]
    assert domain == "'Sante' (1) et 'Santé' (7) lus comme un seul code 'sante'"
    files = fr[fr["column"].isna()]
    assert files["check"].str.contains("lu en cp1252").all(), files["check"].tolist()


def test_starting_rules_over_what_was_found(proposed):
    _, spec = proposed
    kinds = [(r["kind"], r.get("attribute", r.get("mentee"))) for r in spec.rules]
    assert ("overlap", "skills_sought") in kinds
    assert ("require_shared", "languages") in kinds
    assert {"kind": "forbid_same", "attributes": ["organisation", "department"]} in spec.rules


def test_the_raw_files_are_never_rewritten(proposed, tmp_path):
    files, spec = proposed
    before = {r: p.read_bytes() for r, p in files.items()}
    spec.to_yaml(files["mentors"].parent / "programme.yaml")
    propose_programme(files["mentors"], files["mentees"])
    assert {r: p.read_bytes() for r, p in files.items()} == before


def test_proposal_round_trips_through_yaml(proposed):
    files, spec = proposed
    path = files["mentors"].parent / "programme.yaml"
    text = spec.to_yaml(path)
    assert "# check: 'Sante' (1) and 'Santé' (7) read as one code 'sante'" in text
    assert ProgrammeSpec.from_yaml(path) == spec


@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_workbooks_give_the_same_attributes(writer, proposed, tmp_path):
    _, from_csv = proposed
    files = writer(tmp_path)
    spec = propose_programme(files["mentors"], files["mentees"])
    assert _types(spec, "mentees") == _types(from_csv, "mentees")
    assert spec.attribute("mentees", "availability_hours").decimal == "."
    assert spec.files[0].sheet is not None and spec.files[0].encoding is None


def test_dataframes_are_accepted_and_flagged_as_not_saved():
    mentors = pd.DataFrame({"Email": ["a@x.fr", "b@x.fr"], "Capacité": [1, 2]})
    mentees = pd.DataFrame({"Identifiant": ["e1", "e2"], "Langues": ["Français", "Anglais"]})
    spec = propose_programme(mentors, mentees)
    assert spec.attribute("mentors", "capacity").type == "integer"
    assert spec.attribute("mentees", "mentee_id").column == "Identifiant"
    review = spec.review()
    assert review["check"].str.contains("from a DataFrame: save it").sum() == 2


def test_one_export_with_a_role_column():
    both = pd.DataFrame(
        {
            "Horodateur": ["1", "2", "3", "4"],
            "Vous êtes": ["Mentor", "Mentoré·e", "Mentoré·e", "Mentor"],
            "Adresse e-mail": ["m1@x.fr", "e1@x.fr", "e2@x.fr", "m2@x.fr"],
            "Compétences": ["CV, Réseau", "CV", "Réseau, CV", "Réseau"],
            "Capacité": ["2", None, None, "1"],
        }
    )
    spec = propose_programme(both)
    (f,) = spec.files
    assert f.role_column == "Vous êtes"
    assert f.roles == {"Mentor": "mentors", "Mentoré·e": "mentees"}
    assert spec.attribute("mentors", "skills_offered").column == "Compétences"
    assert spec.attribute("mentees", "skills_sought").column == "Compétences"
    assert spec.attribute("mentors", "capacity").type == "integer"
    assert _types(spec, "mentees")["capacite"] == ("Capacité", "ignore")  # empty for mentees
    assert propose_programme(both, role_column="Vous êtes").files == spec.files


def test_arguments_are_checked():
    df = pd.DataFrame({"Email": ["a@x.fr"]})
    with pytest.raises(InvalidArgumentError, match="role_column"):
        propose_programme(df)
    with pytest.raises(InvalidArgumentError, match="only with a single export"):
        propose_programme(df, df, role_column="Email")
    with pytest.raises(InvalidArgumentError, match="one of the headers"):
        propose_programme(df, role_column="Rôle")
    with pytest.raises(TypeError, match="mentors"):
        propose_programme(42)


def test_ms_forms_metadata_and_unsure_languages():
    df = pd.DataFrame(
        {
            "ID": ["1", "2", "3"],
            "Start time": ["x", "y", "z"],
            "Completion time": ["x", "y", "z"],
            "Email": ["a@x.fr", "b@x.fr", "c@x.fr"],
            "Langues": ["Français;Créole;", "cr;Français;", "Français;"],
            "Commentaires": ["", "", ""],
        }
    )
    spec = propose_programme(df, df.assign(Email=["d@x.fr", "e@x.fr", "f@x.fr"]))
    types = _types(spec, "mentees")
    assert types["id"][1] == types["start_time"][1] == types["completion_time"][1] == "ignore"
    assert types["mentee_id"] == ("Email", "id")
    assert types["commentaires"] == ("Commentaires", "ignore")  # empty in this export
    langs = spec.attribute("mentees", "languages")
    assert langs.separator == ";" and langs.recode == {"Créole": None}
    check = spec.review().query("roles == 'mentees' and attribute == 'languages'")["check"].iloc[0]
    assert "which creole?" in check and "'cr' is Cree" in check


def test_a_header_spelled_as_the_attribute_is_recognised():
    """The sample's own files: ``mentor_id`` / ``mentee_id`` headers are the ids."""
    spec = propose_programme(sample_dir() / "mentors.csv", sample_dir() / "mentees.csv")
    for role, name in (("mentors", "mentor_id"), ("mentees", "mentee_id")):
        ids = [a for a in spec.attributes(role) if a.type == "id"]
        assert [(a.name, a.column) for a in ids] == [(name, name)]
