"""The ementor-kit command line: exit codes, messages, outputs."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ementor_kit.cli import main
from ementor_kit.samples import load_sample
from ementor_kit.validation import read_programme


@pytest.fixture(scope="module")
def sample_folder() -> Path:
    return Path(load_sample().folder)


def test_validate_sample_succeeds(sample_folder, capsys):
    assert main(["validate", str(sample_folder)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_broken_folder_lists_problems_and_exits_1(sample_folder, tmp_path, capsys):
    broken = tmp_path / "prog"
    shutil.copytree(sample_folder, broken)
    text = (broken / "mentors.csv").read_text(encoding="utf-8").replace(",sync,", ",visio,", 1)
    (broken / "mentors.csv").write_text(text, encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "mentors.csv, row" in err and "'modality'" in err and "visio" in err


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


def test_sample_writes_a_valid_programme(tmp_path):
    out = tmp_path / "small"
    assert (
        main(["sample", "--out", str(out), "--seed", "7", "--mentees", "40", "--mentors", "12"])
        == 0
    )
    prog = read_programme(out)
    assert len(prog.mentees) == 40 and len(prog.mentors) == 12


def test_console_script_is_installed_and_reports_version():
    exe = Path(sys.executable).with_name("ementor-kit")
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("ementor-kit ")
