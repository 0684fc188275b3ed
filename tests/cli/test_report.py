"""The report command (ementor_kit/cli/report.py)."""

from __future__ import annotations

import shutil

import ementor_kit as ek
from ementor_kit.cli import main
from ementor_kit.report import pilot_report
from ementor_kit.survey.privacy import KEY_ENV_VAR
from tests.cli._shared import KEY

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

    monkeypatch.setattr("ementor_kit.cli.report.pilot_report", recording)
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
