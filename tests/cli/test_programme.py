"""The validate, sample and match commands (ementor_kit/cli/programme.py)."""

from __future__ import annotations

import dataclasses
import shutil
import time

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.cli import main
from ementor_kit.data.validation import read_programme
from ementor_kit.matching import match
from tests.cli._shared import _csv, _stamp

# --------------------------------------------------------------------------- validate, sample


def test_validate_sample_succeeds(sample_folder, capsys):
    assert main(["validate", str(sample_folder)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_broken_folder_lists_problems_and_exits_1(broken_folder, capsys):
    assert main(["validate", str(broken_folder)]) == 1
    err = capsys.readouterr().err
    assert "mentors.csv, row" in err and "'modality'" in err and "visio" in err


def test_sample_writes_a_valid_programme_with_provenance(small_folder):
    prog = read_programme(small_folder)
    assert len(prog.mentees) == 40 and len(prog.mentors) == 14
    stamp = (small_folder / "provenance.txt").read_text(encoding="utf-8")
    assert "sample" in stamp and "provenance ek1-" in stamp and "seed=3" in stamp


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

    monkeypatch.setattr("ementor_kit.cli._common._HEARTBEAT_SECONDS", 0.1)
    monkeypatch.setattr("ementor_kit.cli.programme.match", slow_match)
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

    monkeypatch.setattr("ementor_kit.cli.programme.match", stopped)
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

    monkeypatch.setattr("ementor_kit.cli.programme.match", too_slow)
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


# --------------------------------------------------------------------------- in French


def test_validate_summary_in_french(sample, sample_folder, capsys, monkeypatch):
    assert main(["--lang", "fr", "validate", str(sample_folder)]) == 0
    out = capsys.readouterr().out.replace("\u202f", " ")
    n = len(sample.interactions)
    assert out.startswith(f"{sample_folder} : valide — 90 mentor·es, 300 mentoré·es, ")
    assert f"{n:,}".replace(",", " ") + " échanges" in out
    assert "réponses au questionnaire mentee_t0" in out
    assert not any(w in out for w in ("Programme(", "mentees", "interactions", "responses"))
    monkeypatch.setenv("EMENTOR_KIT_LANG", "fr")  # the environment chooses it too
    assert main(["validate", str(sample_folder)]) == 0
    assert capsys.readouterr().out.replace("\u202f", " ") == out
    monkeypatch.delenv("EMENTOR_KIT_LANG")
    assert main(["--lang", "en", "validate", str(sample_folder)]) == 0
    assert capsys.readouterr().out == f"{sample_folder}: valid — {sample!r}\n"


def test_init_review_in_french(tmp_path, capsys):
    intake = ek.example_intake()
    args = ["init", "--mentors", str(intake / "mentors.csv"), "--mentees"]
    args += [str(intake / "mentees.csv")]
    assert main(["--lang", "fr", *args, str(tmp_path / "fr")]) == 0
    fr = capsys.readouterr()
    assert main(["--lang", "en", *args, str(tmp_path / "en")]) == 0
    en = capsys.readouterr()
    fr_lines, en_lines = fr.out.splitlines(), en.out.splitlines()
    assert len(fr_lines) == len(en_lines) > 20
    # the same decisions, line by line: file and column the same, the words French
    for f, e in zip(fr_lines, en_lines, strict=True):
        assert f.split(" | ")[0] == e.split(" | ")[0]
    assert fr_lines[0].startswith("mentors.csv | fichier | élevé | vu : 5 lignes | à vérifier : ")
    assert any("(choix multiples) | moyen" in line for line in fr_lines)
    assert any("'Sante' (1) et 'Santé' (5) lus comme un seul code" in line for line in fr_lines)
    assert not any(w in fr.out for w in (" | seen: ", " | check: ", " | high", " | medium"))
    assert "note « à vérifier »" in fr.err and "écrit" in fr.err
    # what is written does not depend on the language
    assert (tmp_path / "fr" / "programme.yaml").read_bytes() == (
        tmp_path / "en" / "programme.yaml"
    ).read_bytes()
