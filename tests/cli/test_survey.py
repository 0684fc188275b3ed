"""The survey commands (ementor_kit/cli/survey.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.cli import main
from ementor_kit.survey import compare_waves, read_survey, reliability, score
from tests.cli._shared import FIXTURES, _csv, _stamp

# --------------------------------------------------------------------------- survey


def test_survey_score_programme_csv(sample_folder, tmp_path):
    file = sample_folder / "surveys" / "mentee_t1.csv"
    out = tmp_path / "scores.csv"
    assert main(["survey", "score", str(file), "--instrument", "wai", "--out", str(out)]) == 0
    want = score(read_survey(file), "wai")
    got = _csv(out)
    _stamp(out)
    assert got["respondent_id"].tolist() == want["respondent_id"].tolist()
    np.testing.assert_array_equal(got["wai_total"].to_numpy(float), want["wai_total"].to_numpy())


@pytest.mark.parametrize(
    "name, extra",
    [
        ("qualtrics.csv", []),
        ("spss.sav", []),
        ("limesurvey_semicolon.csv", ["--flatten-codes"]),
        (
            "surveymonkey.csv",
            ["--rename", ",".join(f"Q1_{i}=emx_{i}" for i in range(1, 9))],
        ),
    ],
)
def test_survey_score_platform_exports(name, extra, tmp_path):
    out = tmp_path / "scores.csv"
    args = ["survey", "score", str(FIXTURES / name), "--instrument", "emx", "--out", str(out)]
    assert main(args + extra) == 0
    got = _csv(out)
    assert len(got) == len(read_survey(FIXTURES / name).responses)
    assert {"emx_trust", "emx_trust_n"} <= set(got.columns)
    _stamp(out)


def test_survey_reliability_and_compare(sample_folder, tmp_path):
    t0 = sample_folder / "surveys" / "mentee_t0.csv"
    t1 = sample_folder / "surveys" / "mentee_t1.csv"
    rel_out, items_out = tmp_path / "rel.csv", tmp_path / "items.csv"
    code = main(
        ["survey", "reliability", str(t1), "--instrument", "mfq", "--out", str(rel_out)]
        + ["--items-out", str(items_out)]
    )
    assert code == 0
    rel = reliability(read_survey(t1), "mfq")
    np.testing.assert_array_equal(_csv(rel_out)["alpha"], rel.scales["alpha"])
    np.testing.assert_array_equal(_csv(items_out)["item_rest_r"], rel.items["item_rest_r"])
    assert _stamp(rel_out) == _stamp(items_out)
    cmp_out, att_out = tmp_path / "cmp.csv", tmp_path / "att.csv"
    code = main(
        ["survey", "compare", str(t0), str(t1), "--instrument", "gse", "--out", str(cmp_out)]
        + ["--attrition-out", str(att_out)]
    )
    assert code == 0
    cw = compare_waves(read_survey(t0), read_survey(t1), "gse")
    for col in ("n_pairs", "mean_diff", "d_z", "d_av", "g_av"):
        np.testing.assert_array_equal(_csv(cmp_out)[col], cw.effects[col])
    assert _csv(att_out)["n_dropouts"].tolist() == cw.attrition["n_dropouts"].tolist()
    assert _stamp(cmp_out) != _stamp(rel_out)


def test_survey_bad_input_exit_1_with_the_problem(sample_folder, tmp_path, capsys):
    out = tmp_path / "o.csv"
    t1 = str(sample_folder / "surveys" / "mentee_t1.csv")
    assert main(["survey", "score", "no/file.csv", "--instrument", "gse", "--out", str(out)]) == 1
    assert "no/file.csv: file not found" in capsys.readouterr().err
    assert main(["survey", "score", t1, "--instrument", "nope", "--out", str(out)]) == 1
    assert "neither a built-in instrument" in capsys.readouterr().err
    code = main(
        ["survey", "compare", t1, t1, "--instrument", "gse", "--id-col", "who", "--out", str(out)]
    )
    assert code == 1 and "'who'" in capsys.readouterr().err
    sm = str(FIXTURES / "surveymonkey.csv")
    assert main(["survey", "score", sm, "--instrument", "emx", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "surveymonkey.csv" in err and "emx_1" in err and "missing" in err
    code = main(
        ["survey", "score", sm, "--instrument", "emx", "--rename", "Q9=emx_1", "--out", str(out)]
    )
    assert code == 1 and "column 'Q9'" in capsys.readouterr().err
    code = main(
        ["survey", "score", t1, "--instrument", "gse", "--min-answered", "11", "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 1 and "min_answered=11 is impossible" in err and "Traceback" not in err
    assert not out.exists()


# --------------------------------------------------------------------------- survey hardening


def _contract_copy(sample_folder, tmp_path, name, edit):
    """A copy of the sample's survey CSV ``name`` with ``edit(rows)`` applied."""
    import csv

    rows = list(csv.reader((sample_folder / "surveys" / name).open(encoding="utf-8", newline="")))
    edit(rows)
    folder = tmp_path / "surveys"
    folder.mkdir(exist_ok=True)
    with (folder / name).open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return folder / name


def test_survey_score_refuses_duplicate_columns(sample_folder, tmp_path, capsys):
    def dup(rows):
        for k, r in enumerate(rows):
            r.append("gse_1" if k == 0 else "1")

    p = _contract_copy(sample_folder, tmp_path, "mentee_t0.csv", dup)
    out = tmp_path / "o.csv"
    assert main(["survey", "score", str(p), "--instrument", "gse", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{p}, row 1, column 'gse_1': column 'gse_1' appears 2 times" in err
    assert not out.exists()


def test_survey_sheet_and_encoding_options(tmp_path, capsys):
    import openpyxl

    wb = openpyxl.load_workbook(FIXTURES / "msforms.xlsx")
    wb.copy_worksheet(wb.worksheets[0]).title = "Vague 2"
    book = tmp_path / "ms.xlsx"
    wb.save(book)
    rename = ",".join(f"Q{i}=emx_{i}" for i in range(1, 9))
    out = tmp_path / "o.csv"
    base = ["survey", "reliability", str(book), "--instrument", "emx", "--out", str(out)]
    assert main(base) == 1
    assert "2 sheets with data: 'Sheet1', 'Vague 2'" in capsys.readouterr().err
    assert main([*base, "--sheet", "Vague 2"]) == 1  # read; then the labels are refused
    err = capsys.readouterr().err
    assert "sheets" not in err and "emx_1" in err
    lime = tmp_path / "lime.csv"
    text = (FIXTURES / "limesurvey.csv").read_bytes().decode("utf-8-sig")
    lime.write_bytes(text.replace("E001", "É001").encode("cp1252"))
    for extra in ([], ["--encoding", "cp1252"]):
        args = ["survey", "score", str(lime), "--instrument", "emx", "--flatten-codes"]
        assert main([*args, "--out", str(out), *extra]) == 0, extra
    assert main([*args, "--out", str(out), "--encoding", "utf-8"]) == 1
    assert "not utf-8 text" in capsys.readouterr().err
    assert main(["survey", "score", str(book), "--instrument", "emx", "--rename", rename,
                 "--out", str(out), "--encoding", "cp1252"]) == 1  # fmt: skip
    assert "argument 'encoding'" in capsys.readouterr().err


def test_survey_compare_pairs_numeric_ids_across_formats(tmp_path, capsys):
    import pyreadstat

    rng = np.random.default_rng(3)
    df = pd.DataFrame(rng.integers(1, 5, size=(4, 10)).astype(float))
    df.columns = [f"gse_{i}" for i in range(1, 11)]
    df.insert(0, "respondent_id", ["7", "8", "9", "010"])
    t0 = ek.survey.write_export(df, tmp_path / "t0.csv", "qualtrics")
    pyreadstat.write_sav(df.assign(respondent_id=[7.0, 8.0, 9.0, 10.0]), str(tmp_path / "t1.sav"))
    out = tmp_path / "cmp.csv"
    args = ["survey", "compare", str(t0), str(tmp_path / "t1.sav"), "--instrument", "gse"]
    assert main([*args, "--out", str(out)]) == 0
    assert _csv(out)["n_pairs"].tolist() == [3]  # '010' and '10' are different ids
    assert "1 respondent(s) answered T0 only, 1 T1 only" in capsys.readouterr().err


FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]


def test_survey_csv_outputs_neutralise_formulas(sample_folder, tmp_path):
    def inject(rows):
        for k, f in enumerate(FORMULAS, start=1):
            rows[k][0] = f
        rows[5][1] = "=1+1"

    p = _contract_copy(sample_folder, tmp_path, "mentee_t0.csv", inject)
    out, raw = tmp_path / "o.csv", tmp_path / "raw.csv"
    assert main(["survey", "score", str(p), "--instrument", "gse", "--out", str(out)]) == 0
    got = pd.read_csv(out, skiprows=1, dtype=str)
    assert got["response_id"].tolist()[:4] == ["'" + f for f in FORMULAS]
    assert got["respondent_id"].iloc[4] == "'=1+1"
    assert got["response_id"].iloc[5] == "T0E-0006"
    assert (
        main(["survey", "score", str(p), "--instrument", "gse", "--out", str(raw), "--raw-csv"])
        == 0
    )
    assert pd.read_csv(raw, skiprows=1, dtype=str)["response_id"].tolist()[:4] == FORMULAS
    assert _stamp(out) == _stamp(raw)
    cmp = tmp_path / "cmp.csv"
    t1 = str(sample_folder / "surveys" / "mentee_t1.csv")
    assert main(["survey", "compare", str(p), t1, "--instrument", "gse", "--out", str(cmp)]) == 0


def test_survey_help_documents_the_hardening_options(capsys):
    for command in ("score", "reliability", "compare"):
        with pytest.raises(SystemExit):
            main(["survey", command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        for option in ("--sheet", "--encoding", "--raw-csv"):
            assert option in text, (command, option)
        assert "' prefix" in text and "= + - @" in text, command


def test_survey_timestamps_out_of_range_and_hour_offsets(sample_folder, tmp_path, capsys):
    def times(rows):
        rows[2][4] = "2026-09-08T18:32:05+01"

    ok = _contract_copy(sample_folder, tmp_path, "mentee_t0.csv", times)
    out = tmp_path / "o.csv"
    assert main(["survey", "score", str(ok), "--instrument", "gse", "--out", str(out)]) == 0

    def far(rows):
        rows[3][4] = "2999-08-22T08:16:43+04:00"

    bad = _contract_copy(sample_folder, tmp_path, "mentee_t0.csv", far)
    assert main(["survey", "score", str(bad), "--instrument", "gse", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}, row 4, column 'submitted_at'" in err and "Traceback" not in err
