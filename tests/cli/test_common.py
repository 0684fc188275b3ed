"""What the commands share: progress bar, error on an unwritable output (ementor_kit/cli/_common.py)."""

from __future__ import annotations

import sys

from ementor_kit.cli import main


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
