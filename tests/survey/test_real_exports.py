"""The survey readers on genuine exports written by the platforms themselves.

Every file under ``tests/fixtures/real_exports/<platform>/`` is a copy of a file published in
a public repository under a permissive licence (source, commit and licence in the README next
to it). The expected values are read off the raw file independently of the readers (the
``csv`` module or pandas with every cell as text), never from the reader's own output.
"""

import ast
import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest

from ementor_kit.survey import read_qualtrics, read_survey

REAL = Path(__file__).parents[1] / "fixtures" / "real_exports"
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
