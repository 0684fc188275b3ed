"""main(): exit codes and error lines of every command (ementor_kit/cli/__init__.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ementor_kit.cli import main
from ementor_kit.survey.privacy import KEY_ENV_VAR
from tests.cli._shared import KEY


def test_console_script_is_installed_and_reports_version():
    exe = Path(sys.executable).with_name("ementor-kit")
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("ementor-kit ")


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
