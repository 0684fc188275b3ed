"""read_people and read_programme with programme.yaml: a coordinator's own export, end to end."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit import DataValidationError, ProgrammeSpec, propose_programme, read_people
from ementor_kit.cli import main
from ementor_kit.data.spec import AttributeSpec, PeopleFile
from tests._intake_exports import (
    MENTEE_HEADERS,
    MENTOR_HEADERS,
    csv_bytes,
    people,
    write_csv,
    write_ods,
    write_xlsx,
)


def _init(folder, writer=write_csv, **kw):
    files = writer(folder, **kw)
    spec = propose_programme(files["mentors"], files["mentees"])
    spec.to_yaml(folder / "programme.yaml")
    return files, spec


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean")
    files, spec = _init(folder)
    return folder, files, spec, read_people(folder)


def test_the_export_reads_with_no_hand_edit(clean):
    folder, _, _, result = clean
    mentors, mentees = result
    data = people()
    assert len(mentees) == 40 and len(mentors) == 15
    assert mentees["mentee_id"].tolist() == [p["Numéro étudiant"] for p in data["mentees"]]
    assert "stu-0042" in set(mentees["mentee_id"])
    assert mentors["mentor_id"].tolist() == [p["Adresse e-mail"] for p in data["mentors"]]
    assert mentees["name"].tolist() == [p["Nom, prénom"] for p in data["mentees"]]
    assert mentees["availability_hours"].tolist() == [
        p["Disponibilité (h/semaine)"] for p in data["mentees"]
    ]
    assert mentees["availability_hours"].dtype == "float64"
    assert mentors["capacity"].dtype == "int64"
    assert mentees["accepte_d_etre_recontacte_e"].tolist() == [
        p["Accepte d'être recontacté·e"] == "Oui" for p in data["mentees"]
    ]
    # an empty comment is missing (NaN), as in any str column
    comments = [p["Commentaires"] for p in data["mentees"]]
    assert mentees["comments"].isna().tolist() == [c is None for c in comments]
    assert mentees["comments"].dropna().tolist() == [c for c in comments if c is not None]
    names = {"Français": "fr", "Anglais": "en", "Arabe": "ar", "Espagnol": "es"}
    names["Créole réunionnais"] = "rcf"
    assert mentees["languages"].tolist() == [
        tuple(names[x] for x in p["Langues parlées"].split(", ")) for p in data["mentees"]
    ]
    assert set(mentees["domain"]) == {"sante", "numerique", "ingenierie", "commerce"} | {
        "education",
        "social",
    }
    assert set(mentees["modality"]) == {"sync", "async", "mixed"}
    assert set(mentees["timezone"]) == {
        "Europe/Paris",
        "Indian/Reunion",
        "America/Martinique",
        "UTC+04:00",
    }
    assert all(isinstance(s, tuple) and s for s in mentees["skills_sought"])
    assert "horodateur" not in mentees.columns
    assert ("mentees.csv", "Horodateur") in {(f, c) for f, c, _ in result.unused}
    assert result.rows["mentees"][0] == ("mentees.csv", 2)
    assert result.rows["mentees"][-1] == ("mentees.csv", 41)


def test_read_programme_uses_programme_yaml(clean):
    folder, _, spec, result = clean
    prog = ek.read_programme(folder)
    assert prog.spec == spec
    assert prog.mentees.equals(result.mentees) and prog.mentors.equals(result.mentors)
    assert prog.pairs is None


def test_the_sample_reads_exactly_as_before():
    prog = ek.read_programme(ek.sample_dir())
    assert prog.spec == ek.ProgrammeSpec.from_yaml(ek.sample_dir() / "programme.yaml")
    direct = ek.read_table(ek.sample_dir() / "mentors.csv", "mentors")
    assert prog.mentors.equals(direct)
    assert repr(prog).startswith("Programme(90 mentors, 300 mentees, 281 pairs")


@pytest.mark.parametrize(
    ("writer", "options"),
    [
        (write_csv, {"encoding": "utf-8-sig"}),
        (write_xlsx, {}),
        (write_ods, {}),
    ],
    ids=["utf-8-bom", "xlsx", "ods"],
)
def test_every_variant_of_the_export_gives_the_same_people(clean, tmp_path, writer, options):
    _, _, _, reference = clean
    _init(tmp_path, writer, **options)
    mentors, mentees = read_people(tmp_path)
    pd.testing.assert_frame_equal(mentees, reference.mentees)
    pd.testing.assert_frame_equal(mentors, reference.mentors)


def test_two_deliberate_problems_fail_in_one_run_naming_both(clean, tmp_path):
    _, _, spec, _ = clean
    replace(spec, folder=None).to_yaml(tmp_path / "programme.yaml")  # same spec, new files
    write_csv(tmp_path, problems=True)
    with pytest.raises(DataValidationError) as exc:
        read_people(tmp_path)
    label, dup = exc.value.problems
    assert (label.file, label.rows, label.column) == ("mentees.csv", (7,), "Domaine")
    assert "unknown label 'Droit'" in label.message
    assert "add the line `Droit: droit` under attributes.mentees.domain.recode" in label.fix
    assert "droit to attributes.mentees.domain.vocabulary" in label.fix
    assert (dup.file, dup.rows, dup.column) == ("mentees.csv", (4, 11), "Numéro étudiant")
    assert "id 'stu-0013' appears 2 times (row 4 and row 11)" in dup.message
    assert "ids must be unique" in dup.fix
    with pytest.raises(DataValidationError) as again:  # the same through read_programme
        ek.read_programme(tmp_path)
    assert again.value.problems == exc.value.problems


def test_the_fixes_work(clean, tmp_path):
    """Applying the fix of the unknown label (the recoding line) makes the file read."""
    _, _, spec, _ = clean
    write_csv(tmp_path, problems=True)
    domain = spec.attribute("mentees", "domain")
    fixed = AttributeSpec(
        **{
            **vars(domain),
            "recode": {**domain.recode, "Droit": "droit"},
            "vocabulary": (*domain.vocabulary, "droit"),
        }
    )
    mentees = tuple(fixed if a.name == "domain" else a for a in spec.mentees)
    spec2 = ProgrammeSpec(spec.files, spec.mentors, mentees, spec.rules, folder=str(tmp_path))
    with pytest.raises(DataValidationError) as exc:
        read_people(spec2)
    assert [p.message.split(" (")[0] for p in exc.value.problems] == [
        "id 'stu-0013' appears 2 times"
    ]


def test_headers_and_values_are_reported_together(clean, tmp_path):
    _, _, spec, _ = clean
    replace(spec, folder=None).to_yaml(tmp_path / "programme.yaml")  # same spec, new files
    data = people(problems=True)
    headers = [h if h != "Langues parlées" else "Langues" for h in MENTEE_HEADERS]
    rows = [
        {("Langues" if k == "Langues parlées" else k): v for k, v in p.items()}
        for p in data["mentees"]
    ]
    rows[0]["Disponibilité (h/semaine)"] = 200.0
    rows[1]["Accepte d'être recontacté·e"] = "Peut-être"
    rows[2]["Années d'expérience"] = "deux"
    (tmp_path / "mentees.csv").write_bytes(csv_bytes(rows, headers, "cp1252"))
    (tmp_path / "mentors.csv").write_bytes(csv_bytes(data["mentors"], MENTOR_HEADERS, "cp1252"))
    with pytest.raises(DataValidationError) as exc:
        read_people(tmp_path)
    found = {p.message.split(" (")[0]: p for p in exc.value.problems}
    header = found["column not found"]
    assert header.column == "Langues parlées"
    assert "the file has the column 'Langues': set `column: Langues`" in header.fix
    assert found["value(s) 200 above the maximum 168 hours/week"].rows == (2,)
    assert "`Peut-être: true` (or false)" in found["unknown yes/no answer 'Peut-être'"].fix
    assert found["not a whole number: 'deux'"].rows == (4,)
    assert "unknown label 'Droit'" in found and "id 'stu-0013' appears 2 times" in found


def _tiny_spec(**mentee_attr) -> ProgrammeSpec:
    return ProgrammeSpec(
        files=(PeopleFile("m.csv", role="mentors"), PeopleFile("e.csv", role="mentees")),
        mentors=(AttributeSpec("mentor_id", "id", "id", required=True),),
        mentees=(
            AttributeSpec("mentee_id", "id", "id", required=True),
            AttributeSpec("x", "x", **mentee_attr),
        ),
    )


def _read_x(spec, values):
    mentees = pd.DataFrame({"id": [f"e{i}" for i in range(len(values))], "x": values})
    return read_people(spec, mentors=pd.DataFrame({"id": ["m1"]}), mentees=mentees)


def test_number_decimal_mark_is_never_guessed():
    spec = _tiny_spec(type="number", decimal=",")
    assert _read_x(spec, ["1,5", "2", None]).mentees["x"].tolist()[:2] == [1.5, 2.0]
    assert math.isnan(_read_x(spec, ["1,5", "2", None]).mentees["x"].iloc[2])
    with pytest.raises(DataValidationError) as exc:
        _read_x(spec, ["1,5", "2.5"])
    (p,) = exc.value.problems
    assert p.rows == (3,) and "uses '.' but attributes.mentees.x.decimal is ','" in p.fix


def test_required_empty_values_and_optional_gaps():
    with pytest.raises(DataValidationError, match=r"row 3.*required value is empty"):
        _read_x(_tiny_spec(type="integer", required=True), ["1", " "])
    typed = _read_x(_tiny_spec(type="integer"), ["1", None]).mentees["x"]
    assert str(typed.dtype) == "Int64" and typed.isna().tolist() == [False, True]
    flags = _read_x(_tiny_spec(type="boolean"), ["Oui", None, "no"]).mentees["x"]
    assert str(flags.dtype) == "boolean" and flags.tolist()[0] is True


def test_dates_languages_and_time_zones():
    dates = _read_x(_tiny_spec(type="date", format="%d/%m/%Y"), ["02/09/2026", "2026-09-03"])
    assert dates.mentees["x"].dt.strftime("%Y-%m-%d").tolist() == ["2026-09-02", "2026-09-03"]
    langs = _tiny_spec(type="language", separator=", ", recode={"Créole": None})
    got = _read_x(langs, ["Français, English", "fra, hat", None]).mentees["x"].tolist()
    assert got == [("fr", "en"), ("fr", "ht"), ()]
    with pytest.raises(DataValidationError) as exc:
        _read_x(langs, ["Français, Créole"])
    assert "`Créole: CODE`" in exc.value.problems[0].fix
    zones = _read_x(_tiny_spec(type="timezone"), ["UTC-4", "europe/paris", "Martinique"])
    assert zones.mentees["x"].tolist() == ["UTC-04:00", "Europe/Paris", "America/Martinique"]


def test_one_file_with_a_role_column(tmp_path):
    both = pd.DataFrame(
        {
            "Vous êtes": ["Mentor", "Mentoré·e", "Mentoré·e", "Mentor"],
            "Adresse e-mail": ["m1@x.fr", "e1@x.fr", "e2@x.fr", "m2@x.fr"],
            "Capacité": ["2", None, None, "1"],
        }
    )
    both.to_csv(tmp_path / "inscriptions.csv", sep=";", index=False)
    spec = propose_programme(tmp_path / "inscriptions.csv")
    spec.to_yaml(tmp_path / "programme.yaml")
    mentors, mentees = read_people(tmp_path)
    assert mentors["mentor_id"].tolist() == ["m1@x.fr", "m2@x.fr"]
    assert mentors["capacity"].tolist() == [2, 1]
    assert mentees["mentee_id"].tolist() == ["e1@x.fr", "e2@x.fr"]
    both.loc[2, "Vous êtes"] = "Bénévole"
    both.to_csv(tmp_path / "inscriptions.csv", sep=";", index=False)
    with pytest.raises(DataValidationError) as exc:
        read_people(tmp_path)
    (p,) = exc.value.problems
    assert p.rows == (4,) and "`Bénévole: mentors` (or mentees) under people[0].roles" in p.fix


def test_cli_init_writes_programme_yaml_and_the_folder_validates(tmp_path, capsys):
    raw = write_csv(tmp_path / "downloads")
    folder = tmp_path / "programme"
    assert (
        main(
            [
                "init",
                str(folder),
                "--mentors",
                str(raw["mentors"]),
                "--mentees",
                str(raw["mentees"]),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "mentees.csv | 'Domaine' -> mentees.domain (category) | medium" in out
    assert "check: 'Sante' (1) and 'Santé' (7) read as one code 'sante'" in out
    assert (folder / "programme.yaml").is_file()
    assert (folder / "mentees.csv").read_bytes() == raw["mentees"].read_bytes()
    assert main(["validate", str(folder)]) == 0
    assert "Programme(15 mentors, 40 mentees)" in capsys.readouterr().out
    assert main(["init", str(folder), "--mentors", str(raw["mentors"])]) == 1
    assert "--force" in capsys.readouterr().err
    write_csv(folder, problems=True)
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "row 7, column 'Domaine': unknown label 'Droit'" in err
    assert "rows 4, 11, column 'Numéro étudiant': id 'stu-0013' appears 2 times" in err


@pytest.mark.parametrize(
    "bad",
    ["e\u200b1", "e\u00a01", "e\x011", "e\u202e1", "\ufeffe1", "e1\u2028x"],
    ids=["zero-width", "nbsp", "control", "bidi-override", "bom", "line-separator"],
)
def test_ids_are_printable_text_unless_declared_free(bad):
    """Issue 12: an id with an invisible or control character was a distinct id that prints
    like another one."""
    spec = _tiny_spec(type="text")
    mentees = pd.DataFrame({"id": ["e0", bad], "x": ["a", "b"]})
    with pytest.raises(DataValidationError) as exc:
        read_people(spec, mentors=pd.DataFrame({"id": ["m1"]}), mentees=mentees)
    (p,) = exc.value.problems
    assert (p.file, p.column, p.rows) == ("e.csv", "id", (3,)) and "free: true" in p.fix
    free = replace(spec, mentees=(replace(spec.mentees[0], free=True), spec.mentees[1]))
    people = read_people(free, mentors=pd.DataFrame({"id": ["m1"]}), mentees=mentees)
    assert people.mentees["mentee_id"].tolist() == ["e0", bad.strip()]
    assert ProgrammeSpec.from_yaml(free.to_yaml()) == free  # free: true written and read back


def test_ids_compare_in_nfc_and_numbers_take_ascii_digits_only():
    """Issue 12: 'Zoé' in NFD and in NFC were two ids; Arabic-Indic digits were read as
    numbers by a pattern that says digit."""
    spec = _tiny_spec(type="integer")
    mentees = pd.DataFrame({"id": ["Zoe\u0301", "Zo\u00e9"], "x": ["1", "2"]})
    with pytest.raises(DataValidationError, match="appears 2 times"):
        read_people(spec, mentors=pd.DataFrame({"id": ["m1"]}), mentees=mentees)
    with pytest.raises(DataValidationError) as exc:
        _read_x(spec, ["1", "\u0663"])
    (p,) = exc.value.problems
    assert p.rows == (3,) and p.column == "x"
