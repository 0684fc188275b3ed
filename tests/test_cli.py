"""The ementor-kit command line: exit codes, messages, outputs stamped and equal to the library."""

import dataclasses
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.cli import main
from ementor_kit.data.validation import read_programme
from ementor_kit.graph import engagement, goal_progress
from ementor_kit.matching import match
from ementor_kit.report import pilot_report
from ementor_kit.samples import load_sample
from ementor_kit.survey import compare_waves, read_survey, reliability, score
from ementor_kit.survey.privacy import KEY_ENV_VAR

KEY = "cli-test-key-synthetic-data-0001"
FIXTURES = ek.example_export("qualtrics.csv").parent
PROVENANCE = r"^# ementor-kit \S+ [a-z ]+; provenance ek1-[0-9a-f]{16}"


@pytest.fixture(scope="module")
def sample_folder() -> Path:
    return Path(load_sample().folder)


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def rules(sample_folder) -> Path:
    return sample_folder / "rules" / "default.yaml"


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory) -> Path:
    """A small programme written by the CLI itself (fast reports)."""
    out = tmp_path_factory.mktemp("small") / "prog"
    code = main(
        ["sample", "--out", str(out), "--seed", "3", "--mentees", "40", "--mentors", "14"]
        + ["--weeks", "6", "--no-progress"]
    )
    assert code == 0
    return out


@pytest.fixture(scope="module")
def broken_folder(sample_folder, tmp_path_factory) -> Path:
    broken = tmp_path_factory.mktemp("broken") / "prog"
    shutil.copytree(sample_folder, broken)
    text = (broken / "mentors.csv").read_text(encoding="utf-8").replace(",sync,", ",visio,", 1)
    (broken / "mentors.csv").write_text(text, encoding="utf-8")
    return broken


def _stamp(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert pd.Series([first]).str.match(PROVENANCE).iloc[0], first
    return first.split("provenance ")[1].split(";")[0]


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, skiprows=1)


# --------------------------------------------------------------------------- validate, sample


def test_validate_sample_succeeds(sample_folder, capsys):
    assert main(["validate", str(sample_folder)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_broken_folder_lists_problems_and_exits_1(broken_folder, capsys):
    assert main(["validate", str(broken_folder)]) == 1
    err = capsys.readouterr().err
    assert "mentors.csv, row" in err and "'modality'" in err and "visio" in err


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


def test_sample_writes_a_valid_programme_with_provenance(small_folder):
    prog = read_programme(small_folder)
    assert len(prog.mentees) == 40 and len(prog.mentors) == 14
    stamp = (small_folder / "provenance.txt").read_text(encoding="utf-8")
    assert "sample" in stamp and "provenance ek1-" in stamp and "seed=3" in stamp


def test_console_script_is_installed_and_reports_version():
    exe = Path(sys.executable).with_name("ementor-kit")
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("ementor-kit ")


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "sample", "match", "engagement", "survey", "report"):
        assert command in out
    with pytest.raises(SystemExit) as info:
        main(["survey", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert all(c in out for c in ("score", "reliability", "compare"))


# --------------------------------------------------------------------------- match


def test_match_writes_what_the_library_computes(sample, sample_folder, rules, tmp_path, capsys):
    out, unmatched = tmp_path / "out" / "pairs.csv", tmp_path / "out" / "unmatched.csv"
    code = main(
        ["match", str(sample_folder), "--rules", str(rules), "--out", str(out)]
        + ["--unmatched", str(unmatched)]
    )
    assert code == 0
    result = match(sample.mentors, sample.mentees, rules)
    assert _stamp(out) == result.provenance == _stamp(unmatched)
    pd.testing.assert_frame_equal(_csv(out), result.pairs.reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(
        _csv(unmatched), result.unmatched.reset_index(drop=True), check_dtype=False
    )
    assert "proven optimal" in capsys.readouterr().out


def test_match_bad_rules_exit_1_with_the_problem(sample_folder, tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    assert main(["match", str(sample_folder), "--rules", "no/rules.yaml", "--out", str(out)]) == 1
    assert "no/rules.yaml" in capsys.readouterr().err and not out.exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("weights:\n  skils: 3\n", encoding="utf-8")
    assert main(["match", str(sample_folder), "--rules", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "skils" in err and str(bad) in err and not out.exists()


# --------------------------------------------------------------------------- engagement


def test_engagement_writes_what_the_library_computes(sample, sample_folder, tmp_path):
    out = tmp_path / "engagement.csv"
    assert main(["engagement", str(sample_folder), "--as-of", "2026-11-30", "--out", str(out)]) == 0
    gp = goal_progress(sample.goals, sample.goal_updates, sample.pairs, as_of="2026-11-30")
    eng = engagement(sample.interactions, sample.pairs, as_of="2026-11-30", goal_progress=gp).table
    got = _csv(out)
    assert "as_of 2026-12-01T00:00:00+00:00" in out.read_text(encoding="utf-8").splitlines()[0]
    _stamp(out)
    assert list(got.columns) == list(eng.columns)
    for col in ("mentee_id", "mentor_id", "status", "status_reason"):
        assert got[col].tolist() == eng[col].astype(str).tolist()
    for col in ("n_exchanges", "sync_share", "median_response_hours", "longest_gap_days"):
        np.testing.assert_array_equal(got[col].to_numpy(float), eng[col].to_numpy(float))
    assert got["needs_action"].tolist() == eng["needs_action"].tolist()


def test_engagement_thresholds_and_bad_as_of(sample_folder, tmp_path, capsys):
    out = tmp_path / "e.csv"
    code = main(["engagement", str(sample_folder), "--as-of", "yesterday", "--out", str(out)])
    assert code == 1 and "argument 'as_of': 'yesterday' is not a date" in capsys.readouterr().err
    code = main(["engagement", str(sample_folder), "--check-in-days", "60", "--out", str(out)])
    assert code == 1 and "check_in_days < at_risk_days" in capsys.readouterr().err
    assert not out.exists()
    code = main(
        ["engagement", str(sample_folder), "--check-in-days", "14", "--out", str(out)]
        + ["--no-progress"]
    )
    assert code == 0
    assert (_csv(out)["status_reason"].str.contains(r"\(> 14\)")).any()
    default = tmp_path / "default.csv"
    assert main(["engagement", str(sample_folder), "--out", str(default)]) == 0
    assert _stamp(out) != _stamp(default)  # the thresholds are part of the hash
    assert not (_csv(default)["status_reason"].str.contains(r"\(> 14\)")).any()


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


# --------------------------------------------------------------------------- report


def test_report_on_the_sample_equals_the_library(
    sample, sample_folder, rules, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(KEY_ENV_VAR, KEY)
    out = tmp_path / "report.html"
    code = main(["report", str(sample_folder), "--rules", str(rules), "--out", str(out)])
    assert code == 0
    want = pilot_report(sample, rules, key=KEY)
    assert out.read_bytes() == want.to_html().encode("utf-8")
    assert want.provenance in capsys.readouterr().out


def test_report_key_file_and_options(small_folder, tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV_VAR, KEY)
    by_env = tmp_path / "env.html"
    assert main(["report", str(small_folder), "--out", str(by_env), "--no-progress"]) == 0
    monkeypatch.delenv(KEY_ENV_VAR)
    key_file = tmp_path / "study.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    by_file = tmp_path / "file.html"
    code = main(["report", str(small_folder), "--key-file", str(key_file), "--out", str(by_file)])
    assert code == 0 and by_file.read_bytes() == by_env.read_bytes()


def test_report_key_says_where_it_came_from(small_folder, tmp_path, monkeypatch):
    # issue 12: the CLI passed the key as text, so the report took it for an argument
    seen = []

    def recording(programme, rules, *, key, **kw):
        seen.append(key.info)
        return pilot_report(programme, rules, key=key, **kw)

    monkeypatch.setattr("ementor_kit.cli.pilot_report", recording)
    monkeypatch.setenv(KEY_ENV_VAR, f"  {KEY}\n")
    assert main(["report", str(small_folder), "--out", str(tmp_path / "e.html")]) == 0
    monkeypatch.delenv(KEY_ENV_VAR)
    key_file = tmp_path / "study.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    argv = ["report", str(small_folder), "--key-file", str(key_file)]
    assert main([*argv, "--out", str(tmp_path / "f.html")]) == 0
    fingerprint = ek.study_key(KEY).info.fingerprint
    assert [(i.source, i.path, i.fingerprint) for i in seen] == [
        ("environment", None, fingerprint),
        ("file", str(key_file), fingerprint),
    ]


def test_report_refuses_without_a_key(small_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(KEY_ENV_VAR, raising=False)
    out = tmp_path / "r.html"
    assert main(["report", str(small_folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert KEY_ENV_VAR in err and "--key-file" in err and not out.exists()
    code = main(
        ["report", str(small_folder), "--key-file", str(tmp_path / "none"), "--out", str(out)]
    )
    assert code == 1 and "key file not found" in capsys.readouterr().err
    short = tmp_path / "short.key"
    short.write_text("abc", encoding="utf-8")
    assert main(["report", str(small_folder), "--key-file", str(short), "--out", str(out)]) == 1
    assert "at least 16" in capsys.readouterr().err and not out.exists()


def test_report_options_and_key_inside_the_data_folder(small_folder, tmp_path, capsys):
    folder = tmp_path / "prog"
    shutil.copytree(small_folder, folder)
    (folder / "study.key").write_text(KEY, encoding="utf-8")
    out = tmp_path / "r.html"
    code = main(
        ["report", str(folder), "--key-file", str(folder / "study.key"), "--out", str(out)]
        + ["--no-pair-lists", "--k", "10"]
    )
    assert code == 0 and "inside the data folder" in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "<details>" not in text and "counts below 10 suppressed" in text


# --------------------------------------------------------------------------- shared behaviour


@pytest.mark.parametrize(
    "argv",
    [
        ["match", "{broken}", "--rules", "{rules}", "--out", "{out}"],
        ["engagement", "{broken}", "--out", "{out}"],
        ["report", "{broken}", "--out", "{out}"],
    ],
)
def test_broken_folder_exit_1_naming_file_row_column(
    argv, broken_folder, rules, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(KEY_ENV_VAR, KEY)
    out = tmp_path / "out.file"
    args = [a.format(broken=broken_folder, rules=rules, out=out) for a in argv]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"ementor-kit {argv[0]}:" in err
    assert "mentors.csv, row" in err and "column 'modality'" in err and "Fix:" in err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["match", "FOLDER", "--out", "x.csv", "--time-limit", "0"],
        ["match", "FOLDER", "--rules", "r.yaml"],
        ["engagement", "FOLDER"],
        ["survey", "score", "FILE", "--out", "x.csv"],
        ["survey", "reliability", "FILE", "--instrument", "gse"],
        ["survey", "compare", "T0", "--instrument", "gse", "--out", "x.csv"],
        ["report", "FOLDER"],
        ["sample"],
        ["report", "FOLDER", "--out", "r.html", "--k", "five"],
    ],
)
def test_missing_or_bad_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ementor-kit") and "error:" in err


def test_progress_bar_on_a_terminal_only(sample_folder, rules, tmp_path, monkeypatch, capsys):
    out = tmp_path / "p.csv"
    args = ["match", str(sample_folder), "--rules", str(rules), "--out", str(out)]
    assert main(args) == 0
    assert "step" not in capsys.readouterr().err  # stderr is not a terminal here
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "match" in err and "3/3" in err and "step" in err
    assert main([*args, "--no-progress"]) == 0
    assert "3/3" not in capsys.readouterr().err


def test_unwritable_output_exit_1(sample_folder, rules, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "pairs.csv"  # a folder that is a file
    assert main(["match", str(sample_folder), "--rules", str(rules), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ementor-kit match:") and "Traceback" not in err


def test_console_script_exit_codes(small_folder, tmp_path):
    exe = str(Path(sys.executable).with_name("ementor-kit"))
    env = {k: v for k, v in __import__("os").environ.items() if k != KEY_ENV_VAR}
    r = subprocess.run(
        [exe, "report", str(small_folder), "--out", str(tmp_path / "r.html")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert r.returncode == 1 and KEY_ENV_VAR in r.stderr and "Traceback" not in r.stderr


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


# --------------------------------------------------------------------------- match: long solves


def test_match_prints_a_heartbeat_while_the_solver_runs(
    sample_folder, rules, tmp_path, monkeypatch, capsys
):
    """Issue 12: strict rules on 5,000 mentees ran 3 min 23 s with no sign of life."""
    seen = {}

    def slow_match(*args, **kwargs):
        seen.update(kwargs)
        time.sleep(0.6)
        return match(*args, **kwargs)

    monkeypatch.setattr("ementor_kit.cli._HEARTBEAT_SECONDS", 0.1)
    monkeypatch.setattr("ementor_kit.cli.match", slow_match)
    out = tmp_path / "pairs.csv"
    assert main(["match", str(sample_folder), "--rules", str(rules), "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    beats = [n for n, line in enumerate(err) if line.startswith("ementor-kit match: solving")]
    assert len(beats) >= 3 and "--time-limit" in err[beats[0]], err
    assert beats[-1] < next(n for n, line in enumerate(err) if line.startswith("wrote"))
    assert seen["time_limit"] is None  # default: no limit (the library's default and hash)
    argv = ["match", str(sample_folder), "--rules", str(rules), "--out", str(out)]
    assert main([*argv, "--no-progress"]) == 0
    assert "solving" not in capsys.readouterr().err


def test_match_time_limit_is_passed_on_and_the_gap_reported(
    sample, sample_folder, rules, tmp_path, monkeypatch, capsys
):
    seen = {}

    def stopped(*args, **kwargs):
        seen.update(kwargs)
        result = match(*args, **kwargs)
        return dataclasses.replace(result, status="time_limit", proven_optimal=False, gap=12.5)

    monkeypatch.setattr("ementor_kit.cli.match", stopped)
    out = tmp_path / "pairs.csv"
    argv = ["match", str(sample_folder), "--rules", str(rules), "--out", str(out)]
    assert main([*argv, "--time-limit", "30"]) == 0 and seen["time_limit"] == 30.0
    captured = capsys.readouterr()
    assert "time limit of 30 s reached" in captured.err and "gap at most 12.5" in captured.err
    assert "not proven optimal" in captured.out
    want = match(sample.mentors, sample.mentees, rules, time_limit=30.0).provenance
    assert _stamp(out) == want
    for bad in ("0", "-1", "soon", "inf"):
        with pytest.raises(SystemExit) as info:
            main([*argv, "--time-limit", bad])
        assert info.value.code == 2
        assert "--time-limit" in capsys.readouterr().err


def test_match_time_limit_without_any_pairing_names_the_option(
    sample_folder, rules, tmp_path, monkeypatch, capsys
):
    """Strict rules on 5,000 mentees: no pairing meets every rule within 60 s, nor 240 s."""

    def too_slow(*args, **kwargs):
        raise ek.SolverTimeLimitError("time_limit reached before ... Fix: give a larger time_limit")

    monkeypatch.setattr("ementor_kit.cli.match", too_slow)
    out = tmp_path / "pairs.csv"
    argv = ["match", str(sample_folder), "--rules", str(rules), "--out", str(out)]
    assert main([*argv, "--time-limit", "60"]) == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "within --time-limit 60 s" in err and "larger --time-limit" in err


def test_match_without_rules_uses_the_rules_of_programme_yaml(tmp_path, capsys):
    shutil.copytree(ek.example_intake(), tmp_path / "p")
    out = tmp_path / "pairs.csv"
    assert main(["match", str(tmp_path / "p"), "--out", str(out), "--no-progress"]) == 0
    prog = ek.read_programme(tmp_path / "p")
    want = ek.match(prog.mentors, prog.mentees, prog.spec)
    got = pd.read_csv(out, skiprows=1, dtype={"mentee_id": str, "mentor_id": str})
    assert got[["mentee_id", "mentor_id"]].values.tolist() == (
        want.pairs[["mentee_id", "mentor_id"]].values.tolist()
    )
    assert want.provenance in out.read_text(encoding="utf-8").splitlines()[0]
