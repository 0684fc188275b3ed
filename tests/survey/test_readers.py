import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.errors import DataValidationError
from ementor_kit.survey import (
    detect_format,
    load_instrument,
    read_google_forms,
    read_limesurvey,
    read_msforms,
    read_qualtrics,
    read_spss,
    read_survey,
    read_surveymonkey,
    score,
    write_export,
)

FIX = ek.example_export("qualtrics.csv").parent
EMX = load_instrument("emx")
ITEMS = list(EMX.item_ids)
# the answers written into every fixture (tests/fixtures/make_survey_exports.py)
EXPECTED = pd.DataFrame(
    [[4, 2, 5, 1, 3, 5, 4, 5], [5, np.nan, 4, 2, 3, 1, 4, 4], [3, 3, 2, 4, 2, 4, 2, 3]],
    columns=ITEMS,
).astype("float64")
COMMENT = 'Très utile, surtout la visio.\nJ\'aurais aimé plus de "forum".'


def _items(df, columns):
    out = df[columns].astype("float64").reset_index(drop=True)
    out.columns = ITEMS
    return out


def _same_scores(df):
    pd.testing.assert_frame_equal(score(df, EMX, keep=[]), score(EXPECTED, EMX, keep=[]))


def test_the_package_reexports_one_module_per_reader():
    import ementor_kit.survey.readers as readers

    assert readers.__all__ == [
        "FORMATS",
        "SurveyExport",
        "detect_format",
        "read_google_forms",
        "read_limesurvey",
        "read_msforms",
        "read_qualtrics",
        "read_spss",
        "read_survey",
        "read_surveymonkey",
        "write_export",
    ]
    homes = {
        name: getattr(readers, name).__module__.rsplit(".", 1)[1]
        for name in readers.__all__
        if name != "FORMATS"
    }
    assert homes == {
        "SurveyExport": "result",
        "detect_format": "detect",
        "read_google_forms": "google_forms",
        "read_limesurvey": "limesurvey",
        "read_msforms": "msforms",
        "read_qualtrics": "qualtrics",
        "read_spss": "spss",
        "read_survey": "detect",
        "read_surveymonkey": "surveymonkey",
        "write_export": "writers",
    }
    formats = ("qualtrics", "limesurvey", "google_forms", "surveymonkey", "msforms", "spss")
    assert readers.FORMATS == formats


def test_qualtrics_current_format():
    export = read_qualtrics(FIX / "qualtrics.csv")
    df = export.responses
    assert len(df) == 3 and export.header_rows == 3
    pd.testing.assert_frame_equal(_items(df, ITEMS), EXPECTED)
    _same_scores(df)
    # the repeated export tag Q5 is resolved by ImportId
    assert {"QID5_TEXT", "QID9_TEXT"} <= set(df.columns) and "Q5" not in df.columns
    assert df.loc[0, "QID5_TEXT"] == COMMENT
    assert export.questions["QID9_TEXT"] == "Commentaires libres (copie)"
    assert df["Q4"].tolist() == ["1,2", "3,5", "1"]  # multi-select codes stay text
    assert df["Q3_Page Submit"].dtype == "float64"
    assert df["Status"].dtype == "Int64"
    assert export.import_ids["emx_3"] == "QID2_3"
    assert "<p>" not in export.questions["emx_1"]
    assert "Timing" not in " ".join(export.questions)  # metadata are not questions
    dropped = set(export.dropped_identifiers)
    assert dropped == {
        "IPAddress",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
    }
    assert not dropped & set(df.columns)
    kept_export = read_qualtrics(FIX / "qualtrics.csv", keep_identifiers=True)
    kept = kept_export.responses
    assert kept["RecipientEmail"].iloc[0] == "ana.durand@example.org"
    assert kept_export.dropped_identifiers == ()


def test_qualtrics_legacy_format():
    export = read_qualtrics(FIX / "qualtrics_legacy.csv")
    df = export.responses
    assert export.format == "qualtrics_legacy" and export.header_rows == 2
    assert df.columns[:5].tolist() == [
        "ResponseID",
        "ResponseSet",
        "Status",
        "StartDate",
        "EndDate",
    ]
    pd.testing.assert_frame_equal(_items(df, ITEMS), EXPECTED)
    assert "" not in df.columns  # trailing comma
    assert set(export.dropped_identifiers) == {
        "Name",
        "ExternalDataReference",
        "EmailAddress",
        "IPAddress",
        "LocationLatitude",
        "LocationLongitude",
        "LocationAccuracy",
    }
    assert df.loc[0, "Q5"] == COMMENT
    assert export.questions["emx_8"].startswith("Votre expérience-Je recommanderais")


@pytest.mark.parametrize("name", ["limesurvey.csv", "limesurvey_semicolon.csv"])
def test_limesurvey_both_separators(name):
    export = read_limesurvey(FIX / name)
    df = export.responses
    codes = [f"EMX[SQ00{i}]" for i in range(1, 9)]
    assert len(df) == 4  # the incomplete response is kept
    pd.testing.assert_frame_equal(_items(df.iloc[:3], codes), EXPECTED)
    assert df["submitdate"].isna().tolist() == [False, False, False, True]
    assert df["canaux[SQ001]"].tolist()[:3] == ["Y", "Y", "Y"]
    assert set(export.dropped_identifiers) == {"token", "ipaddr", "refurl"}
    assert "interviewtime" not in export.questions
    assert df.loc[0, "comment"] == COMMENT
    flat_export = read_limesurvey(FIX / name, flatten_codes=True)
    flat = flat_export.responses
    assert {"emx_1", "emx_8", "canaux_1", "canaux_other"} <= set(flat.columns)
    _same_scores(flat.iloc[:3])
    assert flat_export.questions["emx_1"] in (
        "EMX[SQ001]",
        "Votre expérience ["
        + ("Les échanges en direct (visio, téléphone) avec mon binôme m'ont été utiles.]"),
    )


def test_limesurvey_code_and_text_headings_are_split():
    export = read_limesurvey(FIX / "limesurvey_semicolon.csv")
    df = export.responses
    assert "EMX[SQ004]" in df.columns
    assert export.questions["EMX[SQ004]"] == (
        "Votre expérience [La distance m'a empêché·e de parler franchement avec mon binôme.]"
    )


def test_google_forms_french_grid_and_checkboxes():
    export = read_google_forms(FIX / "google_forms.csv")
    df = export.responses
    assert df.columns[0] == "Horodateur"
    assert export.dropped_identifiers == ("Adresse e-mail",)
    assert df["Horodateur"].iloc[0] == "2026/06/12 6:32:05 PM UTC+2"
    assert export.questions["Q1_4"] == (
        "Votre expérience du mentorat à distance - La distance m'a empêché·e de parler "
        "franchement avec mon binôme."
    )
    grid = [f"Q1_{i}" for i in range(1, 9)]
    # grid answers are labels: scoring refuses them, naming file, rows and columns
    renamed = export.rename(dict(zip(grid, ITEMS, strict=True)))
    assert renamed.questions["emx_4"] == export.questions["Q1_4"]
    with pytest.raises(DataValidationError) as exc:
        score(renamed, EMX)
    first = exc.value.problems[0]
    assert first.file.endswith("google_forms.csv") and first.column == "emx_1"
    assert first.rows == (2, 3, 4)
    codes = {lab: k + 1 for k, lab in enumerate(EMX.labels("fr"))}
    items = renamed.responses
    recoded = items.assign(**{i: items[i].map(codes) for i in ITEMS})
    _same_scores(recoded)
    assert df["Q2"].tolist() == ["Visio;Messagerie", "Téléphone;Forum;Autre", "Visio"]
    assert df.loc[0, "Q3"] == COMMENT


def test_google_forms_english_numeric_scale():
    df = read_google_forms(FIX / "google_forms_en.csv").responses
    assert df.columns.tolist() == ["Timestamp", *[f"Q{i}" for i in range(1, 9)]]
    assert df["Q1"].dtype == "Int64"
    pd.testing.assert_frame_equal(_items(df, [f"Q{i}" for i in range(1, 9)]), EXPECTED)


def test_surveymonkey_csv_and_xlsx_agree():
    csv_export = read_surveymonkey(FIX / "surveymonkey.csv")
    csv_df = csv_export.responses
    xlsx_export = read_surveymonkey(FIX / "surveymonkey.xlsx")
    xlsx_df = xlsx_export.responses
    pd.testing.assert_frame_equal(csv_df, xlsx_df, check_dtype=False)
    assert csv_export.questions == xlsx_export.questions
    assert csv_export.header_rows == 2
    pd.testing.assert_frame_equal(_items(csv_df, [f"Q1_{i}" for i in range(1, 9)]), EXPECTED)
    assert csv_export.questions["Q3"] == "Un commentaire ?"  # Open-Ended Response
    assert csv_df.loc[1, "Q2_4"] == "Signal"


def test_msforms_quiz_workbook():
    export = read_msforms(FIX / "msforms.xlsx")
    df = export.responses
    assert set(export.dropped_identifiers) == {"Email", "Name"}
    pd.testing.assert_frame_equal(_items(df, [f"Q{i}" for i in range(1, 9)]), EXPECTED)
    assert df["Q9"].tolist() == ["Visio;Messagerie;", "Téléphone;Autre;", "Visio;"]
    assert df["Start time"].iloc[0] == "2026-06-12 18:00:05"
    assert {"Q10_points", "Q10_feedback"} <= set(df.columns)
    assert export.questions["Q10"] == "Un commentaire ?"


def test_spss_user_missing_and_labels():
    export = read_spss(FIX / "spss.sav")
    df = export.responses
    pd.testing.assert_frame_equal(_items(df, ITEMS), EXPECTED.assign(emx_3=[5.0, 4.0, np.nan]))
    assert export.user_missing == {"emx_2": {99.0: 1}, "emx_3": {99.0: 1}}
    assert export.value_labels["emx_1"][1.0] == "Pas du tout d'accord"
    assert set(export.dropped_identifiers) == {"IPAddress", "RecipientEmail"}
    assert export.questions["emx_1"].startswith("Votre expérience - Les échanges en direct")
    labelled = read_spss(FIX / "spss.sav", apply_value_labels=True).responses
    assert labelled.loc[0, "emx_1"] == "Plutôt d'accord"
    raw = read_spss(FIX / "spss.sav", keep_identifiers=True).responses
    assert raw["IPAddress"].iloc[0] == "192.0.2.50"


def test_detect_and_read_survey_for_every_fixture():
    expected = {
        "qualtrics.csv": "qualtrics",
        "qualtrics_legacy.csv": "qualtrics",
        "limesurvey.csv": "limesurvey",
        "limesurvey_semicolon.csv": "limesurvey",
        "google_forms.csv": "google_forms",
        "google_forms_en.csv": "google_forms",
        "surveymonkey.csv": "surveymonkey",
        "surveymonkey.xlsx": "surveymonkey",
        "msforms.xlsx": "msforms",
        "spss.sav": "spss",
    }
    for name, fmt in expected.items():
        assert detect_format(FIX / name) == fmt, name
        export = read_survey(FIX / name)
        df = export.responses
        assert export.format.startswith(fmt)
        assert len(df) in (3, 4)


def test_score_errors_point_at_the_export_row(tmp_path):
    lines = (FIX / "qualtrics.csv").read_bytes().decode("utf-8").split("\r\n")
    fields = lines[4].split(",")
    col = lines[0].split(",").index("emx_1")
    fields[col] = "9"
    lines[4] = ",".join(fields)
    bad = tmp_path / "bad.csv"
    bad.write_bytes("\r\n".join(lines).encode("utf-8"))
    with pytest.raises(DataValidationError) as exc:
        score(read_qualtrics(bad), EMX)
    (p,) = exc.value.problems
    assert (p.file, p.column, p.rows) == (str(bad), "emx_1", (5,))


# --------------------------------------------------------------------------- malformed


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_wrong_field_count_names_rows(tmp_path):
    text = (FIX / "qualtrics.csv").read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    lines[5] = lines[5] + ",extra"
    p = _write(tmp_path, "q.csv", "\r\n".join(lines))
    with pytest.raises(DataValidationError) as exc:
        read_qualtrics(p)
    (prob,) = exc.value.problems
    assert prob.rows == (6,) and "38 fields where the header has 37" in prob.message
    assert "export it again" in prob.fix


def test_qualtrics_without_importid_row(tmp_path):
    text = (FIX / "qualtrics.csv").read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    p = _write(tmp_path, "q.csv", "\r\n".join(lines[:2] + lines[3:]))
    with pytest.raises(
        DataValidationError, match="row 3, column 'StartDate': row 3 should hold each column's"
    ):
        read_qualtrics(p)


def test_not_utf8_and_broken_quotes_and_empty(tmp_path):
    p = _write(tmp_path, "latin.csv", "Timestamp,Q\n2022,é\n", encoding="latin-1")
    with pytest.raises(DataValidationError, match="not utf-8 text.*leave encoding out"):
        read_google_forms(p, encoding="utf-8")
    assert read_google_forms(p, encoding="latin-1").responses["Q1"].tolist() == ["é"]
    assert read_google_forms(p).responses["Q1"].tolist() == ["é"]  # detected
    p = _write(tmp_path, "quote.csv", 'Timestamp,Q\n"2022,x\n')
    with pytest.raises(DataValidationError, match="row 2: broken CSV quoting"):
        read_google_forms(p)
    with pytest.raises(DataValidationError, match="the file is empty"):
        read_google_forms(_write(tmp_path, "empty.csv", "\n"))
    with pytest.raises(DataValidationError, match="file not found"):
        read_survey(tmp_path / "nope.csv")


def test_wrong_platform_layouts(tmp_path):
    p = _write(tmp_path, "x.csv", "a,b\n1,2\n")
    with pytest.raises(DataValidationError, match="not a known survey export layout"):
        read_survey(p)
    with pytest.raises(DataValidationError, match="not a LimeSurvey response export"):
        read_limesurvey(p)
    with pytest.raises(DataValidationError, match="column 'a': first column 'a' is not"):
        read_google_forms(p)
    with pytest.raises(DataValidationError, match="not a SurveyMonkey export"):
        read_surveymonkey(p)
    one_row = _write(tmp_path, "sm.csv", "Respondent ID,Collector ID\n")
    with pytest.raises(DataValidationError, match="row 2: row 2 .* is missing"):
        read_surveymonkey(one_row)
    with pytest.raises(DataValidationError, match="read from .xlsx"):
        read_msforms(p)
    junk = _write(tmp_path, "junk.xlsx", "not a zip")
    with pytest.raises(DataValidationError, match="not a readable .xlsx workbook"):
        read_msforms(junk)
    with pytest.raises(DataValidationError, match="not a readable SPSS file"):
        read_spss(_write(tmp_path, "junk.sav", "nothing"))


# --------------------------------------------------------------------------- writing


def _contract_wave():
    rng = np.random.default_rng(5)
    x = rng.integers(1, 6, size=(6, 8)).astype(float)
    x[1, 3] = np.nan
    df = pd.DataFrame(x, columns=ITEMS)
    df.insert(0, "response_id", [f"R{i:04d}" for i in range(6)])
    df.insert(1, "respondent_id", [f"E{i:03d}" for i in range(6)])
    df.insert(2, "rater_role", "mentee")
    df.insert(3, "wave", "T1")
    df.insert(4, "submitted_at", pd.date_range("2026-06-01 18:00", periods=6, freq="h", tz="UTC"))
    return df


def test_write_qualtrics_layout_and_round_trip(tmp_path):
    df = _contract_wave()
    texts = {i: EMX.items[k].text("fr") for k, i in enumerate(ITEMS)}
    p = write_export(df, tmp_path / "q.csv", "qualtrics", questions=texts)
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("StartDate,EndDate,Status,Progress")
    assert '"{""ImportId"":""QID1_4""}"' in lines[2]
    back_export = read_survey(p)
    back = back_export.responses
    assert back_export.format == "qualtrics"
    pd.testing.assert_frame_equal(_items(back, ITEMS), df[ITEMS])
    assert back["ResponseId"].tolist() == df["response_id"].tolist()
    assert back["respondent_id"].tolist() == df["respondent_id"].tolist()
    assert back["RecordedDate"].iloc[1] == "2026-06-01 19:00:00"
    assert back_export.questions["emx_4"] == texts["emx_4"]


@pytest.mark.parametrize("sep", [",", ";"])
def test_write_limesurvey_round_trip(tmp_path, sep):
    df = _contract_wave()
    p = write_export(df, tmp_path / "l.csv", "limesurvey", sep=sep)
    raw = p.read_bytes().decode("utf-8-sig")
    assert raw.startswith(f'"id"{sep}"submitdate"') and "\r\n" in raw
    back = read_survey(p, flatten_codes=True).responses
    pd.testing.assert_frame_equal(_items(back, ITEMS), df[ITEMS])
    assert back["respondentid"].tolist() == df["respondent_id"].tolist()


def test_write_spss_round_trip(tmp_path):
    df = _contract_wave()
    p = write_export(df, tmp_path / "w.sav", "spss", questions={"emx_1": "Synchrone"})
    back_export = read_survey(p)
    back = back_export.responses
    pd.testing.assert_frame_equal(_items(back, ITEMS), df[ITEMS])
    assert back_export.questions["emx_1"] == "Synchrone"
    assert back["respondent_id"].tolist() == df["respondent_id"].tolist()


def test_write_export_errors(tmp_path):
    with pytest.raises(ValueError, match="argument 'format'"):
        write_export(_contract_wave(), tmp_path / "x.csv", "typeform")
    with pytest.raises(KeyError, match="gse_1"):
        write_export(_contract_wave(), tmp_path / "x.csv", "qualtrics", items=["gse_1"])
    text = _contract_wave().astype({"emx_2": object})
    text.loc[[1, 4], "emx_2"] = ["often", " "]  # a word is refused, a blank is missing
    with pytest.raises(DataValidationError, match=r"row 3, column 'emx_2': not a number"):
        write_export(text, tmp_path / "x.sav", "spss")
    assert not (tmp_path / "x.sav").exists()


def test_numbers_only_when_every_answer_is_a_plain_number(tmp_path):
    text = (
        "Timestamp,Code postal,Note,Texte,Echelle\n"
        "2022/11/30 10:39:41 PM GMT+1,07500,3,nan,1\n"
        "2022/11/30 10:40:41 PM GMT+1,75011,2.5,1_000,\n"
    )
    path = _write(tmp_path, "g.csv", text)
    assert "Q1" not in read_google_forms(path).responses  # a postal code: an identifier (issue 18)
    df = read_google_forms(path, keep=["Q1"]).responses
    assert df["Q1"].tolist() == ["07500", "75011"]  # leading zero: kept as text
    assert df["Q2"].dtype == "float64" and df["Q2"].tolist() == [3.0, 2.5]
    assert df["Q3"].tolist() == ["nan", "1_000"]  # not coerced to numbers
    assert df["Q4"].dtype == "Int64" and df["Q4"].isna().tolist() == [False, True]


def test_contract_csv_is_read_and_validated(tmp_path):
    sample = Path(__file__).parents[2] / "data" / "samples" / "surveys" / "mentor_t1.csv"
    export = read_survey(sample)
    df = export.responses
    raw = pd.read_csv(sample, dtype="str", keep_default_na=False)  # independent reader
    assert export.format == "ementor" and len(df) == len(raw) > 0
    assert df["respondent_id"].tolist() == raw["respondent_id"].tolist()
    assert str(df["submitted_at"].dtype) == "datetime64[ns, UTC]"
    assert df["wai_1"].dtype == "float64"
    bad = tmp_path / "mentee_t0.csv"
    bad.write_text(
        "response_id,respondent_id,rater_role,wave,submitted_at,gse_1\n"
        "R1,E001,mentee,T3,2026-09-01T10:00:00+02:00,3\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match="row 2, column 'wave'"):
        read_survey(bad)


# --------------------------------------------------------------------------- hardening (issue 12)

SAMPLE_SURVEYS = Path(ek.__file__).parent / "datasets" / "sample" / "surveys"


def _csv_rows(path, encoding="utf-8-sig"):
    import csv
    import io

    text = path.read_bytes().decode(encoding)
    sep = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep)), sep


def _write_rows(path, rows, sep=",", encoding="utf-8", quoting=None):
    import csv
    import io

    buf = io.StringIO()
    kwargs = {"quoting": quoting} if quoting is not None else {}
    csv.writer(buf, delimiter=sep, lineterminator="\r\n", **kwargs).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _with_column_copied(rows, name):
    """Every row with the column whose header (row 1) is ``name`` repeated next to it."""
    j = rows[0].index(name)
    return [r[: j + 1] + r[j:] if r else r for r in rows]


def _dup_contract(tmp_path):
    rows, _ = _csv_rows(SAMPLE_SURVEYS / "mentee_t0.csv")
    rows = _with_column_copied(rows, "gse_1")
    rows[1:] = [r[:-1] + ["1"] for r in rows[1:]]  # a constant in the copy
    folder = tmp_path / "dup"
    folder.mkdir()
    return _write_rows(folder / "mentee_t0.csv", rows)


def _dup_platform(tmp_path, name, column):
    rows, sep = _csv_rows(FIX / name)
    quoting = 1 if name.startswith("limesurvey") else None  # csv.QUOTE_ALL
    return _write_rows(tmp_path / name, _with_column_copied(rows, column), sep, quoting=quoting)


def _dup_workbook(tmp_path, name, column):
    import openpyxl

    wb = openpyxl.load_workbook(FIX / name)
    ws = wb.worksheets[0]
    j = [c.value for c in ws[1]].index(column) + 1
    last = ws.max_column + 1
    for r in range(1, ws.max_row + 1):
        ws.cell(r, last, ws.cell(r, j).value)
    wb.save(tmp_path / name)
    return tmp_path / name


@pytest.mark.parametrize(
    "make, column",
    [
        (_dup_contract, "gse_1"),
        (lambda t: _dup_platform(t, "qualtrics.csv", "emx_1"), "QID2_1"),
        (lambda t: _dup_platform(t, "qualtrics_legacy.csv", "V1"), "ResponseID"),
        (lambda t: _dup_platform(t, "limesurvey.csv", "EMX[SQ001]"), "EMX[SQ001]"),
        (lambda t: _dup_platform(t, "google_forms.csv", "Adresse e-mail"), "Adresse e-mail"),
        (lambda t: _dup_platform(t, "surveymonkey.csv", "Custom Data 1"), "Custom Data 1"),
        (lambda t: _dup_workbook(t, "surveymonkey.xlsx", "Custom Data 1"), "Custom Data 1"),
        (lambda t: _dup_workbook(t, "msforms.xlsx", "Start time"), "Start time"),
    ],
)
def test_duplicate_columns_are_refused_naming_file_and_column(tmp_path, make, column):
    path = make(tmp_path)
    with pytest.raises(DataValidationError) as exc:
        read_survey(path)
    (p,) = exc.value.problems
    assert (p.file, p.column) == (str(path), column)
    assert "appears 2 times" in p.message and p.rows == (1,)
    assert "own" in p.fix and "export" in p.fix


def test_duplicate_columns_in_spss_are_refused(tmp_path, monkeypatch):
    import ementor_kit.survey.readers.spss as spss

    # .sav files cannot hold two variables of one name; the check still covers the path
    df = pd.DataFrame([[1.0, 2.0]], columns=["emx_1", "emx_1"])
    meta = SimpleNamespace(missing_ranges={}, variable_value_labels={}, column_names_to_labels={})
    monkeypatch.setattr(spss, "_read_sav", lambda path, encoding=None: (df.copy(), meta))
    with pytest.raises(DataValidationError, match="column 'emx_1': column 'emx_1' appears 2"):
        read_spss(FIX / "spss.sav")


def _workbook_with_two_waves(tmp_path, name):
    import openpyxl

    wb = openpyxl.load_workbook(FIX / name)
    first = wb.worksheets[0]
    second = wb.copy_worksheet(first)
    second.title = "Vague 2"
    for row in second.iter_rows(min_row=2 if name.startswith("ms") else 3):
        row[0].value = 100 + int(row[0].value)  # other response ids
    path = tmp_path / name
    wb.save(path)
    return path, first.title


@pytest.mark.parametrize("name", ["surveymonkey.xlsx", "msforms.xlsx"])
def test_a_workbook_with_several_sheets_needs_sheet(tmp_path, name):
    path, first = _workbook_with_two_waves(tmp_path, name)
    with pytest.raises(DataValidationError) as exc:
        read_survey(path)
    (p,) = exc.value.problems
    assert p.file == str(path)
    assert f"2 sheets with data: {first!r}, 'Vague 2'" in p.message
    assert "sheet=" in p.fix and "--sheet" in p.fix
    both = [read_survey(path, sheet=s).responses for s in (first, "Vague 2")]
    ids = [df.iloc[:, 0].tolist() for df in both]
    assert len(ids[0]) == len(ids[1]) == 3 and not set(ids[0]) & set(ids[1])
    assert detect_format(path, sheet="Vague 2") == name.split(".")[0]
    with pytest.raises(DataValidationError, match="no sheet named 'Wave 3'.*'Vague 2'"):
        read_survey(path, sheet="Wave 3")


def test_empty_sheets_next_to_the_data_need_no_sheet(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(FIX / "msforms.xlsx")
    wb.create_sheet("Notes", 0)  # an empty sheet first
    wb.save(tmp_path / "m.xlsx")
    df = read_survey(tmp_path / "m.xlsx").responses
    assert len(df) == 3


def test_sheet_applies_to_workbooks_only():
    with pytest.raises(ek.errors.InvalidArgumentError, match="argument 'sheet'.*CSV"):
        read_survey(FIX / "qualtrics.csv", sheet="Sheet1")
    with pytest.raises(ek.errors.InvalidArgumentError, match="argument 'sheet'"):
        read_surveymonkey(FIX / "surveymonkey.csv", sheet="Sheet1")


def _ids_export(tmp_path, ids, fmt, name):
    df = _contract_wave().iloc[: len(ids)].assign(respondent_id=ids)
    return write_export(df, tmp_path / name, fmt)


def test_ids_are_text_in_every_reader(tmp_path):
    """Response, respondent and target ids are text as written, never numbers."""
    q = read_survey(_ids_export(tmp_path, ["1", "2", "10"], "qualtrics", "q.csv")).responses
    assert str(q["respondent_id"].dtype) == "str" and q["respondent_id"].tolist() == [
        "1",
        "2",
        "10",
    ]
    q0 = read_survey(_ids_export(tmp_path, ["001", "2", "10"], "qualtrics", "q0.csv")).responses
    assert q0["respondent_id"].tolist() == ["001", "2", "10"]  # leading zeros kept
    lime = read_survey(FIX / "limesurvey.csv").responses
    assert str(lime["id"].dtype) == "str" and lime["id"].tolist() == ["1", "2", "3", "4"]
    for name in ("surveymonkey.csv", "surveymonkey.xlsx"):
        sm = read_survey(FIX / name).responses
        assert str(sm["Respondent ID"].dtype) == "str", name
        assert sm["Respondent ID"].tolist()[:2] == ["114000000000", "114000001234"], name
        assert str(sm["Collector ID"].dtype) == "str", name
    ms = read_survey(FIX / "msforms.xlsx").responses
    assert str(ms["ID"].dtype) == "str" and ms["ID"].tolist() == ["1", "2", "3"]
    contract = read_survey(SAMPLE_SURVEYS / "mentee_t1.csv").responses
    for col in ("response_id", "respondent_id", "target_id"):
        assert str(contract[col].dtype) == "str", col


def test_numeric_spss_ids_are_whole_number_text_and_pair_with_other_waves(tmp_path):
    import pyreadstat

    df = _contract_wave().iloc[:3].drop(columns=["submitted_at"])
    num = df.assign(respondent_id=[7.0, 8.0, 19.0], target_id=[1.0, np.nan, 3.0])
    pyreadstat.write_sav(num, str(tmp_path / "t1.sav"))
    t1 = read_survey(tmp_path / "t1.sav")
    assert t1.responses["respondent_id"].tolist() == ["7", "8", "19"]
    assert t1.responses["target_id"].tolist()[::2] == ["1", "3"]
    assert t1.responses["target_id"].isna().tolist() == [False, True, False]
    # the same wave written as a Qualtrics export gives the same id text: the waves pair
    t0 = read_survey(_ids_export(tmp_path, ["7", "8", "19"], "qualtrics", "t0.csv"))
    cw = ek.compare_waves(t0, t1, EMX)
    assert cw.effects["n_pairs"].max() == 3 and cw.unpaired.empty


def test_further_id_columns_are_read_as_text():
    lime = read_limesurvey(FIX / "limesurvey.csv", id_columns=["seed"]).responses
    assert str(lime["seed"].dtype) == "str"
    assert (
        read_survey(FIX / "limesurvey.csv", id_columns=["seed"])
        .responses["seed"]
        .equals(lime["seed"])
    )


def test_cp1252_files_are_detected_and_encoding_is_honoured(tmp_path):
    text = (FIX / "google_forms.csv").read_bytes().decode("utf-8-sig")
    p = tmp_path / "gf.csv"
    p.write_bytes(text.encode("cp1252"))
    want = read_survey(FIX / "google_forms.csv").responses
    for options in ({}, {"encoding": "cp1252"}):
        got = read_survey(p, **options)
        assert got.responses["Q1_1"].tolist() == want["Q1_1"].tolist(), options
        assert got.questions["Q1_4"].startswith("Votre expérience")
    assert read_google_forms(p).responses["Q1_1"].tolist() == want["Q1_1"].tolist()
    with pytest.raises(DataValidationError, match="not utf-8 text.*leave encoding out"):
        read_survey(p, encoding="utf-8")


@pytest.mark.parametrize("name", ["qualtrics.csv", "limesurvey_semicolon.csv", "surveymonkey.csv"])
def test_cp1252_platform_exports_read_as_utf8_ones(tmp_path, name):
    text = (FIX / name).read_bytes().decode("utf-8-sig")
    p = tmp_path / name
    p.write_bytes(text.encode("cp1252"))
    got, want = read_survey(p), read_survey(FIX / name)
    pd.testing.assert_frame_equal(got.responses, want.responses)
    assert got.questions == want.questions


def test_cp1252_contract_csv(tmp_path):
    rows, _ = _csv_rows(SAMPLE_SURVEYS / "mentor_t1.csv")
    rows[1][0] = "T1M-café"
    folder = tmp_path / "w"
    folder.mkdir()
    p = _write_rows(folder / "mentor_t1.csv", rows, encoding="cp1252")
    for options in ({}, {"encoding": "cp1252"}):
        assert read_survey(p, **options).responses["response_id"].iloc[0] == "T1M-café"


def test_encoding_errors_are_arguments():
    with pytest.raises(ek.errors.InvalidArgumentError, match="argument 'encoding'.*CSV"):
        read_survey(FIX / "msforms.xlsx", encoding="cp1252")
    with pytest.raises(ek.errors.InvalidArgumentError, match="argument 'encoding'.*CSV"):
        read_surveymonkey(FIX / "surveymonkey.xlsx", encoding="cp1252")
    with pytest.raises(ek.errors.InvalidArgumentError, match="argument 'encoding'.*'cp1252'"):
        read_survey(FIX / "qualtrics.csv", encoding="klingon")
    # SPSS: the encoding of old files that do not record theirs
    labels = read_survey(FIX / "spss.sav", encoding="latin-1").questions["emx_1"]
    assert labels != read_survey(FIX / "spss.sav").questions["emx_1"] and "Ã" in labels


def _contract_with_times(tmp_path, times):
    rows, _ = _csv_rows(SAMPLE_SURVEYS / "mentee_t0.csv")
    for i, t in times.items():
        rows[i][4] = t
    folder = tmp_path / f"t{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    return _write_rows(folder / "mentee_t0.csv", rows)


def test_hour_offsets_are_accepted_in_survey_timestamps(tmp_path):
    p = _contract_with_times(tmp_path, {2: "2026-09-08T18:32:05+01", 3: "2026-09-08T18:32-05"})
    got = read_survey(p).responses["submitted_at"]
    assert got.iloc[1] == pd.Timestamp("2026-09-08T17:32:05Z")
    assert got.iloc[2] == pd.Timestamp("2026-09-08T23:32:00Z")
    want = read_survey(SAMPLE_SURVEYS / "mentee_t0.csv").responses["submitted_at"]
    pd.testing.assert_series_equal(got.iloc[3:], want.iloc[3:])


@pytest.mark.parametrize("year", [2300, 2999])
def test_far_future_timestamps_are_a_validation_error(tmp_path, year):
    p = _contract_with_times(tmp_path, {3: f"{year}-08-22T08:16:43+04:00"})
    with pytest.raises(DataValidationError) as exc:
        read_survey(p)
    (prob,) = exc.value.problems
    assert (prob.file, prob.column, prob.rows) == (str(p), "submitted_at", (4,))
    assert str(year) in prob.message and prob.fix


@pytest.mark.parametrize("fmt", ["qualtrics", "limesurvey"])
def test_write_export_refuses_a_cell_that_is_no_time_stamp(tmp_path, fmt):
    # issue 12: a raw pandas DateParseError before
    df = _contract_wave().head(4)
    df["submitted_at"] = ["2026-06-12T18:32:05+02:00", "12 juin", None, "2026-13-01T00:00:00Z"]
    with pytest.raises(DataValidationError) as err:
        write_export(df, tmp_path / "x.csv", fmt)
    (problem,) = err.value.problems
    where = (problem.file, problem.column, problem.rows)
    assert where == ("x.csv (not written)", "submitted_at", (3, 5))
    assert "'12 juin'" in problem.message and "'2026-13-01T00:00:00Z'" in problem.message
    assert "2026-06-12T18:32:05+02:00" in problem.fix
    assert not (tmp_path / "x.csv").exists()


# --------------------------------------------------------------------------- issue 18

EXPORTS = Path(__file__).parents[1] / "fixtures" / "survey_exports"
"""Exports of each platform with identifiers and missing codes (see SOURCES.md there)."""
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I)


def _raw_rows(path, encoding="utf-8-sig"):
    import csv
    import io

    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


def _cells(df):
    return [str(v) for col in df.columns for v in df[col].dropna().tolist()]


def test_surveymonkey_contact_block_is_dropped_with_its_reasons():
    export = read_surveymonkey(EXPORTS / "surveymonkey_contact.csv")
    block = [f"Q1_{k}" for k in range(1, 11)]  # the ten sub-fields of "Contact information"
    assert set(block) <= set(export.dropped_identifiers)
    assert not set(block) & set(export.responses.columns)
    assert export.identifier_reasons["Q1_1"] == "answer row 'Name': a name"
    assert "Country" in export.identifier_reasons["Q1_8"]
    assert "contact block 'Contact information'" in export.identifier_reasons["Q1_2"]
    # the answers left hold none of the contact data written in the file (read independently)
    rows = _raw_rows(EXPORTS / "surveymonkey_contact.csv")
    start = rows[0].index("Contact information")
    contact = {c for r in rows[2:] for c in r[start : start + 10] if c and c != "France"}
    assert contact and not contact & set(_cells(export.responses))
    assert not any(EMAIL.search(c) for c in _cells(export.responses))
    # channels ticked in a multiple choice ("Téléphone") are not phone numbers
    assert {"Q2_1", "Q3_2", "Custom Data 1", "Respondent ID"} <= set(export.responses.columns)
    kept = read_surveymonkey(EXPORTS / "surveymonkey_contact.csv", keep=["Q1_8"])
    assert kept.responses["Q1_8"].tolist() == ["France"] * 3
    assert "Q1_8" not in kept.dropped_identifiers and "Q1_8" in kept.identifier_reasons


def test_google_forms_name_question_and_identifiers_by_content():
    export = read_google_forms(EXPORTS / "google_forms_name.csv")
    reasons = export.identifier_reasons
    assert export.dropped_identifiers == ("Email Address", "Q1", "Q2", "Q3", "Q4")
    assert reasons["Q1"] == "question 'Name': a name"
    assert reasons["Q2"] == "question 'Quel est votre numéro de portable ?': a phone number"
    assert reasons["Q3"].startswith("content: 3 of 3 answers look like person names")
    assert reasons["Q4"] == "content: 3 of 3 answers are e-mail addresses"
    assert export.responses["Q6"].tolist() == ["Lyon", "Marseille", "Lyon"]  # a town alone stays
    rows = _raw_rows(EXPORTS / "google_forms_name.csv")
    people = {r[j] for r in rows[1:] for j in (2, 4)}  # "Name" and "Nom de votre binôme"
    assert not people & set(_cells(export.responses))
    assert not any(EMAIL.search(c) for c in _cells(export.responses))
    # a question holding ids is pseudonymised later, never dropped here
    ids = read_google_forms(EXPORTS / "google_forms_name.csv", id_columns=["Q4"])
    assert ids.responses["Q4"].tolist() == [r[5] for r in rows[1:]]


@pytest.mark.parametrize(
    "values, why",
    [
        (["06 12 34 56 78", "+33 6 98 76 54 32", "0033 7 11 22 33 44", "01.23.45.67.89"], "phone"),
        (["+44 20 7946 0958", "+1 (202) 555-0143", "+49 30 901820", "non"], "phone"),
        (["a.b@example.org", "c@example.fr", "", "d@example.net"], "e-mail"),
        (["Jean-Pierre Martin", "Marie DUBOIS", "Awa Diallo", "Chloé de La Tour"], "person names"),
        (["Visio", "Forum", "Autre", "Téléphone"], None),  # options: one word each
        (["Strongly agree", "Somewhat disagree", "Strongly disagree", "Neither agree nor"], None),
        (["Très utile", "rien à dire", "contact: a@example.org", "Super Programme"], None),
        (["2022/11/30 10:39:41 PM GMT+1", "0612345", "12 34", "+33"], None),
    ],
)
def test_identifiers_by_content(tmp_path, values, why):
    text = "Timestamp,Question libre\n" + "".join(f'2022,"{v}"\n' for v in values)
    export = read_google_forms(_write(tmp_path, "g.csv", text))
    reason = export.identifier_reasons.get("Q1")
    assert (reason is None) == (why is None), reason
    if why:
        assert why in reason and export.dropped_identifiers == ("Q1",)


@pytest.mark.parametrize(
    "heading, dropped",
    [
        ("Nom", True),
        ("Prénom", True),
        ("Votre adresse e-mail (facultatif)", True),
        ("Courriel", True),
        ("TÉLÉPHONE", True),
        ("Adresse", True),
        ("Code postal", True),
        ("Date de naissance", True),
        ("Date of birth", True),
        ("IP address", True),
        ("Latitude", True),
        ("Nom de votre établissement scolaire", False),
        ("Votre ville", False),
        ("Comment avez-vous utilisé le téléphone ?", False),
    ],
)
def test_identifiers_by_heading(tmp_path, heading, dropped):
    text = f'Timestamp,"{heading}"\n2022,x1\n2022,x2\n'
    export = read_google_forms(_write(tmp_path, "g.csv", text))
    assert (export.dropped_identifiers == ("Q1",)) is dropped, export.identifier_reasons


def test_keep_is_checked_and_applies_to_every_reader():
    for name, column in [
        ("qualtrics.csv", "RecipientEmail"),
        ("qualtrics_legacy.csv", "EmailAddress"),
        ("limesurvey.csv", "token"),
        ("google_forms.csv", "Adresse e-mail"),
        ("surveymonkey.xlsx", "Email Address"),
        ("msforms.xlsx", "Email"),
        ("spss.sav", "IPAddress"),
    ]:
        default = read_survey(FIX / name)
        kept = read_survey(FIX / name, keep=[column])
        assert column in default.dropped_identifiers and column not in default.responses, name
        assert column in kept.responses and column not in kept.dropped_identifiers, name
        assert set(kept.dropped_identifiers) == set(default.dropped_identifiers) - {column}
    with pytest.raises(ek.errors.InvalidArgumentError, match="argument 'keep'.*list"):
        read_survey(FIX / "msforms.xlsx", keep="Email")
    with pytest.raises(ek.errors.InvalidArgumentError, match="'Courriel' is not a column.*'Email'"):
        read_msforms(FIX / "msforms.xlsx", keep=["Courriel"])


def test_limesurvey_r_data_file_reads_na_as_missing_and_uses_the_syntax_file(tmp_path):
    path = EXPORTS / "survey_123456_R_data_file.csv"
    export = read_survey(path)
    df = export.responses
    assert export.format == "limesurvey"
    assert df.columns[:3].tolist() == ["id", "submitdate", "lastpage"]  # names of the .R file
    assert export.questions["EMX_SQ004"].startswith("[La distance m'a empêché·e")
    assert "nom" in export.dropped_identifiers and "pid" in df.columns
    # NA is missing, counted per column as an independent count of the file's cells
    rows = _raw_rows(path)
    names = df.columns.tolist()
    want = {}
    for j, h in enumerate(rows[0]):
        k = sum(r[j] == "NA" for r in rows[1:])
        if k and h not in ("TOKEN", "123456X1X2"):
            want[names[[c for c in rows[0] if c not in ("TOKEN", "123456X1X2")].index(h)]] = {
                "NA": k
            }
    assert export.declared_missing == want and sum(v["NA"] for v in want.values()) == 10
    assert df["EMX_SQ002"].dtype == "Int64" and df["EMX_SQ002"].isna().tolist() == [
        False,
        True,
        False,
        True,
    ]
    assert "NA" not in _cells(df)
    # without its syntax file: SQGA names, NA still missing, the names found by content
    alone = tmp_path / path.name
    alone.write_bytes(path.read_bytes())
    bare = read_limesurvey(alone)
    assert "123456X2X3SQ002" in bare.responses and "id" in bare.responses
    assert bare.identifier_reasons["123456X1X2"].startswith("content: 4 of 4 answers look like")
    assert bare.responses["123456X2X3SQ002"].isna().sum() == 2
    # NA read as text only when the researcher says so
    text = read_limesurvey(path, missing_codes=[]).responses
    assert text["EMX_SQ002"].tolist()[:2] == ["2", "NA"]


@pytest.mark.parametrize(
    "fmt, name", [("qualtrics", "q.csv"), ("limesurvey", "l.csv"), ("spss", "s.sav")]
)
def test_declared_missing_codes_are_blanked_and_counted(tmp_path, fmt, name):
    df = _contract_wave()
    coded = df.assign(emx_2=df["emx_2"].where(df.index % 3 != 0, -99), emx_5=-1.0)
    coded.loc[1, "emx_4"] = 3.0  # the contract wave's only blank, answered here
    path = write_export(coded, tmp_path / name, fmt)
    flat = {"flatten_codes": True} if fmt == "limesurvey" else {}
    export = read_survey(path, missing_codes=[-99, "-1", "NSP"], **flat)
    got = export.responses
    assert export.declared_missing == {"emx_2": {"-99": 2}, "emx_5": {"-1": 6}}
    assert got["emx_2"].isna().tolist() == (df.index % 3 == 0).tolist()
    assert got["emx_5"].isna().all()
    plain = read_survey(path, **flat)  # nothing declared: the codes are answers
    assert plain.responses["emx_2"].min() == -99 and plain.declared_missing == {}
    with pytest.raises(ek.errors.InvalidArgumentError, match="argument 'missing_codes'"):
        read_survey(path, missing_codes="-99")


def test_qualtrics_2016_insights_export_is_read():
    path = EXPORTS / "qualtrics_insights_2016.csv"
    assert detect_format(path) == "qualtrics"
    export = read_survey(path, missing_codes=["-1"])
    df = export.responses
    assert export.header_rows == 3 and export.import_ids["Q1_2"] == "QID1-2"
    assert export.questions["Q2"] == "Un commentaire ?"
    assert df["ResponseID"].tolist()[0] == "R_1Ab2Cd3Ef4Gh5Ij"
    assert df["participant"].tolist() == ["E001", "E002", "E003"]
    assert set(export.dropped_identifiers) == {
        "IPAddress",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalDataReference",
        "LocationLatitude",
        "LocationLongitude",
        "LocationAccuracy",
    }
    # legacy "no basis" answers (-1) are missing when declared, and counted
    assert export.declared_missing == {"Q1_2": {"-1": 1}, "Q1_3": {"-1": 1}}
    assert df[["Q1_1", "Q1_2", "Q1_3", "Q1_4"]].isna().sum().tolist() == [0, 1, 1, 0]
    assert read_survey(path).responses["Q1_2"].tolist() == [2, -1, 3]


def _sheets_download(tmp_path, name):
    """The Google Forms fixture as Google Sheets writes it to .xlsx (time stamps as dates)."""
    import datetime as dt

    import openpyxl

    rows = _raw_rows(EXPORTS / "google_forms_name.csv")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Réponses au formulaire 1"
    ws.append(rows[0])
    for r in rows[1:]:
        when = dt.datetime.strptime(r[0][:19].strip(), "%Y/%m/%d %I:%M:%S")
        ws.append([when, *r[1:]])
    wb.save(tmp_path / name)
    return tmp_path / name


@pytest.mark.parametrize("name", ["responses.xlsx", "responses.csv", "responses"])
def test_a_google_sheets_workbook_is_read_whatever_its_name(tmp_path, name):
    path = _sheets_download(tmp_path, name)
    want = read_google_forms(EXPORTS / "google_forms_name.csv")
    for export in (read_google_forms(path), read_survey(path)):
        assert export.format == "google_forms"
        got = export.responses
        assert got.columns.tolist() == want.responses.columns.tolist()
        pd.testing.assert_frame_equal(
            got.drop(columns="Timestamp"), want.responses.drop(columns="Timestamp")
        )
        assert export.dropped_identifiers == want.dropped_identifiers
    with pytest.raises(ek.errors.InvalidArgumentError, match="is a workbook: leave encoding out"):
        read_google_forms(path, encoding="cp1252")


def test_a_genuine_qualtrics_export():
    """qualtRics' own test export (MIT; IP and location replaced): a German labels row."""
    export = read_survey(EXPORTS / "qualtrics_qualtRics_sample.csv")
    df = export.responses
    assert export.format == "qualtrics" and len(df) == 1
    assert (df.loc[0, "Q1"], df.loc[0, "Q2"]) == (2, "Hello World!")
    assert export.questions["Q1"] == "This is a multiple choice question."
    assert export.import_ids["Q2"] == "QID2_TEXT"
    assert {"IPAddress", "LocationLatitude", "RecipientEmail"} <= set(export.dropped_identifiers)
    assert df["ResponseId"].tolist() == ["R_2YPOQ602ER1jkf1"]


def test_an_instrument_declares_its_missing_codes(tmp_path):
    """``missing_codes:`` in a definition reaches the readers (Qualtrics "no basis" = -1)."""
    import yaml

    spec = yaml.safe_load(
        (Path(ek.__file__).parent / "survey/instrument_defs/emx.yaml").read_text("utf-8")
    )
    spec["missing_codes"] = [-1, "NSP"]
    inst = load_instrument(spec)
    assert inst.missing_codes == ("-1", "NSP") and EMX.missing_codes == ()
    export = read_survey(EXPORTS / "qualtrics_insights_2016.csv", missing_codes=inst.missing_codes)
    assert export.declared_missing == {"Q1_2": {"-1": 1}, "Q1_3": {"-1": 1}}


def test_google_forms_header_repeating_a_name_says_so(tmp_path):
    text = (FIX / "google_forms.csv").read_text(encoding="utf-8-sig")
    first, rest = text.split("\n", 1)
    path = tmp_path / "google_forms.csv"
    path.write_text(first.replace("Horodateur", "Adresse e-mail", 1) + "\n" + rest, "utf-8")
    with pytest.raises(DataValidationError, match="repeats the column name 'Adresse e-mail'"):
        ek.read_survey(path)  # was: "not a known survey export layout", nothing more


@pytest.mark.parametrize("at", [2507, 1200, 4000])
def test_damaged_xlsx_workbook_names_the_file_and_the_fix(tmp_path, at):
    data = bytearray((FIX / "msforms.xlsx").read_bytes())
    data[at], data[at + 1] = data[at + 1], data[at]
    path = tmp_path / "msforms.xlsx"
    path.write_bytes(bytes(data))
    try:
        ek.read_survey(path)
    except DataValidationError as err:
        assert "msforms.xlsx" in str(err)
        assert "export it again" in str(err)  # was: a raw zlib.error at 2507


def test_an_ementor_csv_of_any_wave_is_read_with_its_own_wave(tmp_path):
    """Issue 17.2: surveys/mentee_t2.csv (wave T2) was validated as mentee_t0 and refused."""
    t1 = pd.read_csv(SAMPLE_SURVEYS / "mentee_t1.csv", dtype=str, keep_default_na=False)
    t1.assign(wave="T2").to_csv(tmp_path / "mentee_t2.csv", index=False)
    got = read_survey(tmp_path / "mentee_t2.csv")
    assert got.format == "ementor" and set(got.responses["wave"]) == {"T2"}
    assert len(got.responses) == len(t1)
    t1.to_csv(tmp_path / "pulse_p30.csv", index=False)  # T1 rows in a P30 file
    with pytest.raises(DataValidationError, match="use one of P30"):
        read_survey(tmp_path / "pulse_p30.csv")
