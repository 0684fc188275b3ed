"""Fixtures of the command-line tests: the sample folder, a small and a broken programme."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ementor_kit.cli import main
from ementor_kit.samples import load_sample


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
