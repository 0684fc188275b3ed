"""The survey readers on genuine exports written by the platforms themselves.

Every file under ``tests/fixtures/real_exports/<platform>/`` is a copy of a file published in
a public repository under a permissive licence (source, commit and licence in the README next
to it). The expected values are read off the raw file independently of the readers (the
``csv`` module or pandas with every cell as text), never from the reader's own output. Where
no genuine file could be committed (personal data, no licence), the layout or the headings of
the genuine files found are written here with made-up answers, and the files are cited.

A test of :mod:`ementor_kit.survey.readers` across platforms, kept at the top level (like
``test_fuzz.py``): it mirrors no module of its own.
"""

import ast
import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest

from ementor_kit.errors import DataValidationError
from ementor_kit.survey import read_limesurvey, read_qualtrics, read_survey

REAL = Path(__file__).parent / "fixtures" / "real_exports"
QUALTRICS = REAL / "qualtrics"
INSIGHTS = QUALTRICS / "No_Basis_for_Evaluation_Insights.csv"
LEGACY = QUALTRICS / "No_Basis_for_Evaluation_Legacy.csv"


def _rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    """Every CSV row as text, straight from the file."""
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


# --------------------------------------------------------------------------- Qualtrics


def _insights_raw() -> tuple[list[str], list[str], list[str], pd.DataFrame]:
    """Tags, texts, ImportIds and the answers (as text) of the Insights export."""
    rows = _rows(INSIGHTS)
    tags, texts, ids = rows[0], rows[1], [ast.literal_eval(c)["ImportId"] for c in rows[2]]
    return tags, texts, ids, pd.DataFrame(rows[3:], columns=tags)


def test_the_qualtrics_insights_export_is_read_with_its_three_header_rows():
    tags, texts, ids, raw = _insights_raw()
    export = read_survey(INSIGHTS)
    assert export.format == "qualtrics"
    assert export.header_rows == 3
    assert len(export.responses) == len(raw) == 15
    assert export.responses["ResponseID"].tolist() == raw["ResponseID"].tolist()
    # the question texts of row 2, for every answer column (ImportId QID...)
    expected = {t: x for t, x, i in zip(tags, texts, ids, strict=True) if i.startswith("QID")}
    assert len(expected) == 35
    assert export.questions == expected
    # row 3, Python-style {'ImportId': 'QID2-4'}, gives every column's ImportId
    assert export.import_ids == dict(zip(tags, ids, strict=True))
    assert export.import_ids["Q2_-1"] == "QID2-4"


def test_the_qualtrics_insights_identifier_columns_are_dropped_and_reported():
    export = read_qualtrics(INSIGHTS)
    identifiers = {
        "IPAddress",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalDataReference",
        "LocationLatitude",
        "LocationLongitude",
        "LocationAccuracy",
    }
    assert set(export.dropped_identifiers) == identifiers
    assert set(export.identifier_reasons) == identifiers
    assert identifiers.isdisjoint(export.responses.columns)
    assert "ResponseID" in export.responses.columns  # the response id stays
    kept = read_qualtrics(INSIGHTS, keep=["LocationLatitude"])
    assert kept.responses["LocationLatitude"].tolist() == [42.401901245117] * 15


def test_qualtrics_no_basis_answers_stay_minus_one_unless_declared_missing():
    tags, _, ids, raw = _insights_raw()
    answers = [t for t, i in zip(tags, ids, strict=True) if i.startswith("QID")]
    minus_one = {c: int((raw[c] == "-1").sum()) for c in answers if (raw[c] == "-1").any()}
    assert sum(minus_one.values()) == 33 and len(minus_one) == 9
    plain = read_qualtrics(INSIGHTS)
    for c in answers:  # every answer as written: -1 is a value until declared missing
        expected = pd.to_numeric(raw[c].replace("", None)).astype("Int64")
        pd.testing.assert_series_equal(
            plain.responses[c], expected, check_names=False, check_index=False
        )
    assert plain.declared_missing == {}
    declared = read_qualtrics(INSIGHTS, missing_codes=[-1])
    assert declared.declared_missing == {c: {"-1": n} for c, n in minus_one.items()}
    for c in answers:
        got = declared.responses[c]
        assert got.isna().tolist() == [v in ("", "-1") for v in raw[c]]
    # -2 ("prefer not to answer") was not declared: it stays an answer
    assert (declared.responses["Q4_1"] == -2).sum() == (raw["Q4_1"] == "-2").sum() == 2


def test_the_legacy_export_of_the_same_survey_reads_to_the_same_answers():
    legacy_rows = _rows(LEGACY)
    assert legacy_rows[0][:2] == ["V1", "V2"] and legacy_rows[0][-1] == ""  # trailing comma
    insights = read_survey(INSIGHTS)
    legacy = read_survey(LEGACY)
    assert legacy.format == "qualtrics_legacy"
    assert legacy.header_rows == 2
    assert len(legacy.responses) == len(legacy_rows) - 2 == 15
    # the legacy labels row names the V columns; Name and EmailAddress are identifiers
    assert {"Name", "EmailAddress", "IPAddress"} <= set(legacy.dropped_identifiers)
    a = insights.responses.set_index("ResponseID")
    b = legacy.responses.set_index("ResponseID").loc[a.index]
    # an Insights column QIDx-k is the legacy column Qx_k (choices numbered by position)
    pairs = {
        c: "Q" + insights.import_ids[c][3:].replace("-", "_")
        for c in insights.questions
        if insights.import_ids[c].startswith("QID")
    }
    assert pairs["Q2_-1"] == "Q2_4" and pairs["Q6_3_-2"] == "Q6_3_4"
    for c, legacy_column in pairs.items():
        pd.testing.assert_series_equal(a[c], b[legacy_column], check_names=False)
    assert legacy.questions["Q2_4"] == insights.questions["Q2_-1"]


@pytest.mark.parametrize("path", [INSIGHTS, LEGACY], ids=["insights", "legacy"])
def test_the_qualtrics_fixtures_are_the_published_bytes(path):
    # git blob hashes of the published files (README.md): the copies are unmodified
    data = path.read_bytes()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    expected = {
        INSIGHTS: "c8fefdaf90e71463d546d590ec9bec84c79c918d",
        LEGACY: "06c02457f0f079643ed7ab310c7440ffc8f04b5f",
    }
    assert blob == expected[path]


# --------------------------------------------------------------------------- LimeSurvey

# No genuine LimeSurvey R export with a permissive licence and no personal data was found
# (see fixtures/real_exports/README.md). The genuine R data files that were found, e.g.
# github.com/partypanel/partypanel-17.1 preparation/pre2/survey_381842_R_data_file.csv and
# preparation/pre1/data/survey_987793_R_data_file.csv (at commit aea57b0; CC-BY-NC-SA; real
# respondents' e-mail and IP addresses: not committed), show the LimeSurvey 2.x layout the
# readers refused ("not a known survey export layout"): headings are the field labels and
# question texts in the survey's language, only the R syntax file names the columns, and
# the timing columns are not in the syntax file. The pair below is written for ementor-kit
# in that layout (the Dutch metadata labels are LimeSurvey's own; the questions are ours).

_LS2_HEAD = [
    "Respons ID",
    "Datum verstuurd",
    "Laatste pagina",
    "Begin taal",
    "Startdatum",
    "Datum laatste actie",
    "IP-adres",
    "Verwijzer-URL",
    "Hoe vaak sprak je je mentor deze maand?\n\n\tTel alle gesprekken mee.",
    "Het kan zijn dat we je nog iets willen vragen. Je e-mailadres:",
    "Hoe tevreden ben je? [Over de gesprekken]",
    "Hoe tevreden ben je? [Over het platform]",
    "Totaaltijd",
    "Groep tijd: groep",
    "Vraag tijd: contact",
]
_LS2_NAMES = [
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "contact",
    "email",
    "tevreden_SQ001",
    "tevreden_SQ002",
]
_LS2_ROWS = [
    ["1", "2016-09-06 10:12:08", "1", "nl-informal", "2016-09-06 09:38:33",
     "2016-09-06 10:12:08", "192.0.2.10", "", "3", "anna@example.org", "A4", "A5",
     "2015.54", "2015.54", ""],
    ["2", "", "0", "nl-informal", "2016-09-06 09:48:09", "2016-09-06 09:48:09",
     "192.0.2.11", "https://outlook.example.org/", "", "", "", "", "0", "", ""],
    ["3", "2016-09-06 16:51:47", "1", "nl-informal", "2016-09-06 16:44:26",
     "2016-09-06 16:51:47", "192.0.2.12", "", "1", "", "A2", "", "441.56", "441.56", ""],
]  # fmt: skip


def _ls2_pair(folder: Path, with_syntax: bool = True) -> Path:
    data = folder / "survey_381842_R_data_file.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(_LS2_HEAD)
        w.writerows(_LS2_ROWS)
        f.write("\n")  # LimeSurvey 2.x ended the file with a blank line
    if with_syntax:
        lines = [
            'data <- read.csv("survey_381842_R_data_file.csv", quote = "\'\\"", '
            'na.strings=c("", "\\"\\""), stringsAsFactors=FALSE)',
            "",
            "",
        ]
        for j, name in enumerate(_LS2_NAMES, start=1):
            label = name if j <= 8 else " ".join(_LS2_HEAD[j - 1].split())
            lines += [
                "# LimeSurvey Field type: A",
                f"data[, {j}] <- as.character(data[, {j}])",
                f'attributes(data)$variable.labels[{j}] <- "{label}"',
                f'names(data)[{j}] <- "{name}"',
            ]
        (folder / "survey_381842_R_syntax_file.R").write_text("\n".join(lines) + "\n", "utf-8")
    return data


def test_a_limesurvey_2_r_data_file_headed_by_question_texts_is_named_by_its_syntax_file(
    tmp_path,
):
    data = _ls2_pair(tmp_path)
    export = read_survey(data)
    assert export.format == "limesurvey"
    assert len(export.responses) == len(_LS2_ROWS) == 3  # the blank last line is no response
    # the syntax file names the first 12 columns; the timing columns keep their headings
    kept = [n for n in _LS2_NAMES if n not in ("ipaddr", "refurl", "email")]
    assert list(export.responses.columns) == kept + _LS2_HEAD[12:]
    assert set(export.dropped_identifiers) == {"ipaddr", "refurl", "email"}
    assert (
        export.questions["contact"]
        == "Hoe vaak sprak je je mentor deze maand? Tel alle gesprekken mee."
    )
    assert export.questions["tevreden_SQ002"] == "Hoe tevreden ben je? [Over het platform]"
    assert export.responses["id"].tolist() == ["1", "2", "3"]
    assert export.responses["contact"].isna().tolist() == [False, True, False]
    assert export.responses["contact"].dropna().tolist() == [3, 1]
    assert export.responses["tevreden_SQ001"].isna().tolist() == [False, True, False]
    assert export.responses["tevreden_SQ001"].dropna().tolist() == ["A4", "A2"]


def test_a_limesurvey_2_r_data_file_without_its_syntax_file_is_refused_clearly(tmp_path):
    data = _ls2_pair(tmp_path, with_syntax=False)
    with pytest.raises(DataValidationError, match="not a known survey export layout"):
        read_survey(data)
    with pytest.raises(DataValidationError, match="not a LimeSurvey response export"):
        read_limesurvey(data)


# --------------------------------------------------------------------------- Google Forms

# No genuine Google Forms export with a name question, a permissive licence and no real
# person's data was found (fixtures/real_exports/README.md). Genuine downloads found in
# public repositories without a licence (not committed: real students' names, e-mail and
# postal addresses) kept identifier columns whose headings are not exactly an identifier
# heading: github.com/nilbogCoffee/ed_sched "Testing_All_Student_Fields - Form Responses
# 1.csv" (commit 781b238) kept "Local or Campus Address", "Permanent Street Address",
# "Cell Phone Number" and "Other Phone"; github.com/sidharthramesh/feedback "Untitled
# form.csv" (commit 2ee05b3) kept "Roll number". Their headings, with answers written here:

_GF_HEAD = [
    "Timestamp",
    "Email Address",
    "First Name",
    "Last Name",
    "Roll number",
    "Local or Campus Address",
    "Permanent Street Address",
    "City",
    "Zip Code",
    "Cell Phone Number",
    "Other Phone",
    "Own a phone?",
    "Vraag tijd: email",
    "College Grade Level",
]
_GF_ROWS = [
    ["7/24/2020 22:16:07", "a@example.org", "Ana", "Roux", "150101352", "801 Main St",
     "12 Elm Road", "Easton", "18042", "5550100", "", "Yes", "12.5", "Junior"],
    ["7/24/2020 22:18:53", "b@example.org", "Léo", "Petit", "150101572", "",
     "3 Oak Lane", "Bethlehem", "18015", "5550101", "5550199", "Yes", "8.25", "Senior"],
    ["7/24/2020 22:19:30", "c@example.org", "Inès", "Morel", "150101170", "9 Campus Way",
     "44 Pine Street", "Easton", "18042", "5550102", "", "No", "30.0", "Junior"],
]  # fmt: skip


def test_google_forms_identifier_headings_of_genuine_exports_are_dropped(tmp_path):
    path = tmp_path / "Testing_All_Student_Fields - Form Responses 1.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([_GF_HEAD, *_GF_ROWS])
    export = read_survey(path)
    assert export.format == "google_forms"
    assert len(export.responses) == 3
    dropped = {
        "Email Address",
        "First Name",
        "Last Name",
        "Roll number",
        "Local or Campus Address",
        "Permanent Street Address",
        "Zip Code",
        "Cell Phone Number",
        "Other Phone",
    }
    reasons = export.identifier_reasons
    # Google's collected e-mail keeps its name; the questions are numbered Q1, Q2 ...
    names = ["Timestamp", "Email Address", *[f"Q{j}" for j in range(1, len(_GF_HEAD) - 1)]]
    headings = dict(zip(names, _GF_HEAD, strict=True))
    assert {headings[c] for c in export.dropped_identifiers} == dropped
    assert set(reasons) == set(export.dropped_identifiers)
    assert "a phone number" in reasons["Q8"] and "a postal address" in reasons["Q5"]
    assert "a student or personal number" in reasons["Q3"]
    # kept: a city alone, a yes/no question about a phone, a timing column, the grade
    assert set(export.questions.values()) == {
        "City",
        "Own a phone?",
        "Vraag tijd: email",
        "College Grade Level",
    }
