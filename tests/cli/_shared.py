"""What the command-line tests share: the study key, the survey exports, CSV readers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import ementor_kit as ek

KEY = "cli-test-key-synthetic-data-0001"
FIXTURES = ek.example_export("qualtrics.csv").parent
PROVENANCE = r"^# ementor-kit \S+ [a-z ]+; provenance ek1-[0-9a-f]{16}"


def _stamp(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert pd.Series([first]).str.match(PROVENANCE).iloc[0], first
    return first.split("provenance ")[1].split(";")[0]


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, skiprows=1)
