"""Outputs a coordinator can send (issue 11, section 5): MatchResult.to_excel and to_csv(excel_fr=True)."""

import dataclasses
import re
import time

import openpyxl
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.data.people import People
from ementor_kit.data.spec import AttributeSpec, PeopleFile, ProgrammeSpec
from ementor_kit.datasets import example_profiles
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.matching.export import (
    EXCLUSION_WORDINGS,
    REASON_WORDINGS,
    neutralise,
    reason_sentence,
    sheet_names,
)

FIXED = ("Pairs", "Unmatched", "Rules", "Provenance")
FORBIDDEN = set("[]:*?/\\")


@pytest.fixture(scope="module")
def sample():
    prog = ek.load_sample()
    r = ek.match(prog.mentors, prog.mentees, ek.sample_dir() / "rules" / "default.yaml")
    return prog, r


@pytest.fixture(scope="module")
def workbook(sample, tmp_path_factory):
    prog, r = sample
    path = tmp_path_factory.mktemp("xlsx") / "pairing.xlsx"
    assert r.to_excel(path, prog) == path
    return openpyxl.load_workbook(path)


def _table(ws, header_row=1):
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def _read_csv(path):
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"mentor_id": str})


# --------------------------------------------------------------------------- workbook
def test_every_mentee_is_in_pairs_or_unmatched_with_a_sentence(sample, workbook):
    prog, r = sample
    pairs, left = _table(workbook["Pairs"]), _table(workbook["Unmatched"])
    assert len(pairs) == len(r.pairs) == 281
    assert len(left) == 19
    assert set(pairs["mentee_id"]).isdisjoint(left["mentee_id"])
    assert set(pairs["mentee_id"]) | set(left["mentee_id"]) == set(prog.mentees["mentee_id"])
    assert set(left["reason_code"]) == {"feasible_mentors_full"}
    assert all(s.startswith(REASON_WORDINGS["feasible_mentors_full"]) for s in left["reason"])
    assert all(s.endswith(".") and "_" not in s for s in left["reason"])


def test_pairs_sheet_joins_both_names_and_rounds_scores(sample, workbook):
    prog, r = sample
    pairs = _table(workbook["Pairs"])
    assert list(pairs.columns) == [
        "mentee_id",
        "mentee_display_name",
        "mentor_id",
        "mentor_display_name",
        "score",
    ]
    mentee_name = prog.mentees.set_index("mentee_id")["display_name"]
    mentor_name = prog.mentors.set_index("mentor_id")["display_name"]
    assert pairs["mentee_display_name"].tolist() == mentee_name[pairs["mentee_id"]].tolist()
    assert pairs["mentor_display_name"].tolist() == mentor_name[pairs["mentor_id"]].tolist()
    assert pairs["mentor_id"].tolist() == r.pairs["mentor_id"].tolist()
    expected = [round(s, 1) for s in r.pairs["score"]]
    assert pairs["score"].tolist() == expected
    assert expected != r.pairs["score"].tolist()  # the raw scores do have more decimals
    assert workbook["Pairs"]["E2"].number_format == "0.0"


def test_one_sheet_per_mentor_listing_their_mentees(sample, workbook):
    prog, r = sample
    names = workbook.sheetnames
    assert names[:4] == list(FIXED)
    assert len(names) == 4 + len(prog.mentors)
    assert all(len(n) <= 31 and not FORBIDDEN & set(n) for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    by_id = {}
    for n in names[4:]:
        ws = workbook[n]
        assert ws["A1"].value == "mentor_id"
        by_id[ws["B1"].value] = ws
    assert sorted(by_id) == sorted(prog.mentors["mentor_id"])
    ws = by_id["M001"]
    assert ws.title == "Hugo J. (M001)" and ws["B2"].value == "Hugo J."
    for mentor_id, ws in by_id.items():
        mine = _table(ws, header_row=5)
        want = r.pairs.loc[r.pairs["mentor_id"] == mentor_id]
        assert mine["mentee_id"].tolist() == want["mentee_id"].tolist()
        assert mine["score"].tolist() == [round(s, 1) for s in want["score"]]
        assert ws["B3"].value == f"{len(want)} of {len(want)} taken"  # the sample fills all


def test_rules_and_provenance_sheets(sample, workbook):
    _, r = sample
    lines = [row[0] for row in workbook["Rules"].iter_rows(min_row=2, values_only=True)]
    assert ek.MatchRules.from_yaml("\n".join(lines) + "\n") == r.rules
    prov = dict(workbook["Provenance"].iter_rows(values_only=True))
    assert prov["provenance"] == r.provenance
    assert prov["ementor-kit version"] == ek.__version__
    assert (prov["mentees"], prov["pairs"], prov["unmatched mentees"]) == (300, 281, 19)
    assert prov["mean score"] == round(r.pairs["score"].mean(), 1)
    assert prov["names and contacts of mentors"] == "display_name"


def test_workbook_bytes_do_not_depend_on_the_clock(sample, tmp_path, monkeypatch):
    prog, r = sample
    a = r.to_excel(tmp_path / "a.xlsx", prog).read_bytes()
    monkeypatch.setattr(time, "time", lambda: 1_000_000_000.0)  # zip entry times
    b = r.to_excel(tmp_path / "b.xlsx", prog).read_bytes()
    monkeypatch.undo()
    assert a == b
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.properties.created == wb.properties.modified
    assert wb.properties.created.year == 2000


def test_a_mentor_without_mentee_gets_a_sheet_saying_so(tmp_path):
    mentors, mentees = example_profiles()
    r = ek.match(mentors, mentees, {"hard_rules": {"capacity_override": {"M002": 0}}})
    prog = People(mentors, mentees, _spec(contacts=False))
    wb = openpyxl.load_workbook(r.to_excel(tmp_path / "x.xlsx", prog))
    ws = wb[wb.sheetnames[-1]]
    assert ws["B1"].value == "M002" and ws["B3"].value == "0 of 0 taken"
    assert ws["A5"].value == "No mentee in this pairing."


# --------------------------------------------------------------------------- CSV
def test_excel_fr_csv_semicolon_bom_decimal_comma(sample, tmp_path):
    prog, r = sample
    path = tmp_path / "pairing.csv"
    text = r.to_csv(path, prog, excel_fr=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw[3:] == text.encode("utf-8")
    assert "\r\n" in text and text.count("\n") == text.count("\r\n") == 301
    df = _read_csv(path)
    assert len(df) == 300 and df["mentee_id"].is_unique
    assert df["mentee_id"].tolist() == sorted(prog.mentees["mentee_id"])
    paired = df[df["status"] == "paired"].reset_index(drop=True)
    assert paired["score"].tolist() == [round(s, 1) for s in r.pairs["score"]]
    assert re.search(r"^E001;Mateo P\.;M043;Théo C\.;71,6;paired;\r$", text, re.M)
    cells = [line.split(";") for line in text.splitlines()[1:]]
    scores = [c[4] for c in cells if c[5] == "paired"]
    assert len(scores) == 281 and all(re.fullmatch(r"\d+,\d", s) for s in scores)
    left = df[df["status"] == "unmatched"]
    assert len(left) == 19 and left["mentor_id"].isna().all() and left["score"].isna().all()
    sentences = {
        reason_sentence(c, d)
        for c, d in r.unmatched.loc[r.unmatched["role"] == "mentee", ["reason", "detail"]].values
    }
    assert set(left["reason"]) == sentences  # the workbook's wordings


def test_csv_is_deterministic_and_the_default_is_unchanged(sample):
    prog, r = sample
    again = ek.match(prog.mentors, prog.mentees, ek.sample_dir() / "rules" / "default.yaml")
    assert r.to_csv(excel_fr=True) == again.to_csv(excel_fr=True)
    assert r.to_csv(None, prog, excel_fr=True) == again.to_csv(None, prog, excel_fr=True)
    default = r.to_csv()
    header, body = default.split("\n", 1)
    assert header.startswith(f"# ementor-kit {ek.__version__} pairing; provenance ek1-")
    assert body == r.pairs.to_csv(index=False, lineterminator="\n")
    assert "display_name" not in default and "Mateo" not in default
    assert "Mateo" not in r.to_csv(excel_fr=True)  # names only when the programme is given
    plain = r.to_csv(None, prog)
    assert plain.splitlines()[1] == "E001,Mateo P.,M043,Théo C.,71.6,paired,"


def test_reason_sentences_for_hard_rules_in_the_csv():
    mentors, mentees = example_profiles()
    r = ek.match(mentors, mentees, {"hard_rules": {"forbidden_pairs": [["E001", "M001"]]}})
    df = pd.read_csv(
        pd.io.common.StringIO(r.to_csv(excel_fr=True)), sep=";", decimal=",", dtype=str
    )
    row = df.set_index("mentee_id").loc["E001"]
    assert row["status"] == "unmatched"
    assert row["reason"] == (
        "No mentor meets the hard rules for this mentee: "
        f"{EXCLUSION_WORDINGS['language']} for 1 mentor; "
        f"{EXCLUSION_WORDINGS['forbidden']} for 1 mentor."
    )


# --------------------------------------------------------------------------- safety and spec
def _spec(contacts=True):
    def attrs(role, key):
        out = [AttributeSpec(key, key, "id", required=True)]
        out.append(AttributeSpec("display_name", "Nom", "name"))
        if contacts:
            out.append(AttributeSpec("email", "Adresse e-mail", "contact"))
        out.append(AttributeSpec("notes", "Commentaire", "text"))
        return tuple(out)

    return ProgrammeSpec(
        files=(
            PeopleFile("mentors.csv", role="mentors"),
            PeopleFile("mentees.csv", role="mentees"),
        ),
        mentors=attrs("mentors", "mentor_id"),
        mentees=attrs("mentees", "mentee_id"),
    )


@pytest.fixture
def hostile():
    """The sample with hostile names and contacts, declared by a programme.yaml-like spec."""
    prog = ek.load_sample()
    mentors = prog.mentors.copy()
    mentees = prog.mentees.copy()
    mentors["email"] = [f"{i.lower()}@example.org" for i in mentors["mentor_id"]]
    mentees["email"] = [f"{i.lower()}@example.org" for i in mentees["mentee_id"]]
    mentees["notes"] = "not an identifier"
    mentors["notes"] = "not an identifier"
    mentees.loc[0, "display_name"] = '=HYPERLINK("http://evil.example","x")'
    mentees.loc[0, "email"] = "@SUM(1+1)"
    mentors.loc[mentors["mentor_id"] == "M043", "display_name"] = "+33 6 12 34 56 78"
    mentors.loc[mentors["mentor_id"] == "M043", "email"] = "-2+3"
    long = "Marie-Christine de La Tour d'Auvergne: R&D [Lyon]/Paris*?"
    mentors.loc[mentors["mentor_id"].isin(["M001", "M002"]), "display_name"] = long
    programme = dataclasses.replace(prog, mentors=mentors, mentees=mentees, spec=_spec())
    r = ek.match(prog.mentors, prog.mentees, ek.sample_dir() / "rules" / "default.yaml")
    return programme, r


def test_formula_injection_is_neutralised_in_the_workbook(hostile, tmp_path):
    prog, r = hostile
    wb = openpyxl.load_workbook(r.to_excel(tmp_path / "x.xlsx", prog))
    pairs = wb["Pairs"]
    header = [c.value for c in pairs[1]]
    assert header == [
        "mentee_id",
        "mentee_display_name",
        "mentee_email",
        "mentor_id",
        "mentor_display_name",
        "mentor_email",
        "score",
    ]  # spec-typed names and contacts; the text attribute 'notes' is not joined
    e001 = [c for c in pairs[2]]
    assert [c.value for c in e001[:6]] == [
        "E001",
        '\'=HYPERLINK("http://evil.example","x")',
        "'@SUM(1+1)",
        "M043",
        "'+33 6 12 34 56 78",
        "'-2+3",
    ]
    assert all(c.data_type == "s" for c in e001[:6])  # text, never a formula
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate)
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@")), (ws.title, c.value)
    titles = wb.sheetnames
    assert "Marie-Christine de La Tour d'Au" in titles
    assert "Marie-Christine de La Tour (2)" in titles
    assert all(len(n) <= 31 and not FORBIDDEN & set(n) for n in titles)


def test_formula_injection_is_neutralised_in_the_csv(hostile, tmp_path):
    prog, r = hostile
    path = tmp_path / "x.csv"
    r.to_csv(path, prog, excel_fr=True)
    df = _read_csv(path)
    assert "mentee_notes" not in df.columns and "mentor_email" in df.columns
    first = df.iloc[0]
    assert first["mentee_display_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert first["mentee_email"] == "'@SUM(1+1)"
    assert first["mentor_display_name"] == "'+33 6 12 34 56 78"
    assert first["mentor_email"] == "'-2+3"
    text = path.read_text(encoding="utf-8-sig")
    cells = [cell for line in text.splitlines() for cell in line.split(";")]
    assert not any(c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells)


def test_people_and_programme_must_match_the_pairing(sample, tmp_path):
    prog, r = sample
    with pytest.raises(ArgumentTypeError, match="programme"):
        r.to_excel(tmp_path / "x.xlsx", prog.mentees)
    other = dataclasses.replace(prog, mentees=prog.mentees.iloc[1:])
    with pytest.raises(InvalidArgumentError, match="not in the programme.*'E001'"):
        r.to_excel(tmp_path / "x.xlsx", other)
    twice = dataclasses.replace(prog, mentors=pd.concat([prog.mentors, prog.mentors.iloc[:1]]))
    with pytest.raises(InvalidArgumentError, match="duplicated ids"):
        r.to_csv(None, twice, excel_fr=True)
    assert not (tmp_path / "x.xlsx").exists()


# --------------------------------------------------------------------------- helpers
def test_neutralise_and_sheet_names():
    assert [neutralise(s) for s in ("=1+1", "+1", "-1", "@a", "\tx", "a=b", "")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "a=b",
        "",
    ]
    names = sheet_names(["History", "'quoted'", "x" * 31, "X" * 31, "", "a/b"], taken=FIXED)
    assert names == ["History_", "quoted", "x" * 31, "X" * 27 + " (2)", "sheet", "a_b"]
    assert sheet_names(["pairs"], taken=FIXED) == ["pairs (2)"]


def test_reason_sentences_cover_every_code_and_rule():
    from ementor_kit.matching.scores import EXCLUSION_RULES

    assert set(EXCLUSION_RULES) <= set(EXCLUSION_WORDINGS)
    for code in ("no_feasible_mentor", "feasible_mentors_full", "not_selected"):
        assert reason_sentence(code).startswith(REASON_WORDINGS[code])
    assert reason_sentence(
        "not_selected", "2 feasible mentor(s) with room (M001, M002) left out by the quotas (x)"
    ) == (
        f"{REASON_WORDINGS['not_selected']}: 2 mentors with room (M001, M002), "
        "left out by the quotas (x)."
    )
    assert reason_sentence("new_code", "odd detail") == "New code (odd detail)."
    detail = (
        "no mentor passes the hard rules: require_shared_languages excludes 3; "
        "forbid_same_organisation excludes 1; must_skills excludes 2; Règle du CA excludes 4"
    )
    assert reason_sentence("no_feasible_mentor", detail) == (
        f"{REASON_WORDINGS['no_feasible_mentor']}: no languages in common for 3 mentors; "
        "same organisation (conflict of interest) for 1 mentor; "
        "'skills' not met (a must criterion) for 2 mentors; Règle du CA for 4 mentors."
    )


def _texts(wb) -> list[str]:
    """Every text of a workbook: sheet names and cells."""
    out = list(wb.sheetnames)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            out += [v for v in row if isinstance(v, str)]
    return out


def test_the_workbook_in_french(sample, workbook, tmp_path):
    from ementor_kit.i18n.text import translate_text

    prog, r = sample
    fr = openpyxl.load_workbook(r.to_excel(tmp_path / "fr.xlsx", prog, lang="fr"))
    assert fr.sheetnames[:4] == ["Binômes", "Sans binôme", "Règles", "Provenance"]
    assert fr.sheetnames[4:] == workbook.sheetnames[4:]  # the mentors' sheets: their names
    assert [c.value for c in fr["Binômes"][1]] == [
        "mentoré·e (id)",
        "mentoré·e : display_name",
        "mentor·e (id)",
        "mentor·e : display_name",
        "score",
    ]
    assert [c.value for c in fr["Sans binôme"][1]][-2:] == ["motif", "code du motif"]
    assert fr["Sans binôme"]["C2"].value.startswith("Tous les mentor·es compatibles")
    labels = [row[0] for row in fr["Provenance"].iter_rows(values_only=True)]
    assert labels[0] == "version d'ementor-kit" and "mentoré·es sans binôme" in labels
    mentor = fr[fr.sheetnames[4]]
    assert mentor["A3"].value == "places" and re.fullmatch(
        r"\d+ sur \d+ prises", mentor["B3"].value
    )
    # the same cells, text for text: no text the catalogue writes differently in French is
    # left in English (names, ids and codes are the same in both)
    en_texts, fr_texts = _texts(workbook), _texts(fr)
    assert len(en_texts) == len(fr_texts)
    yaml = set(r.rules.to_yaml().splitlines())
    left = [
        a
        for a, b in zip(en_texts, fr_texts, strict=True)
        if a == b and a not in yaml and translate_text(a, "fr", data=True) != a
    ]
    assert left == []
    # numbers stay numbers; the English workbook is the default of an English process
    assert fr["Binômes"]["E2"].value == workbook["Pairs"]["E2"].value
    assert openpyxl.load_workbook(r.to_excel(tmp_path / "en.xlsx", prog, lang="en")).sheetnames[
        :4
    ] == list(FIXED)
