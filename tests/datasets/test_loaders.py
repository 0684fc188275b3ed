"""The bundled data loaders (ementor_kit.datasets.loaders)."""

from __future__ import annotations

import pytest

from ementor_kit.data.validation import validate
from ementor_kit.datasets import (
    example_designs,
    example_export,
    example_profiles,
    load_sample,
    sample_dir,
)
from ementor_kit.errors import InvalidArgumentError


def test_load_sample_reads_every_row_of_the_files():
    prog = load_sample()
    for name in ("mentors", "mentees", "pairs", "interactions"):
        lines = (sample_dir() / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        assert len(getattr(prog, name)) == len(lines) - 1, name


def test_example_designs_are_the_design_files():
    designs = example_designs()
    assert sorted(designs) == sorted(p.stem for p in (sample_dir() / "designs").glob("*.yaml"))
    assert all(d.name for d in designs.values())


def test_example_export_refuses_an_unknown_name_and_lists_the_known_ones():
    with pytest.raises(InvalidArgumentError, match="qualtrics.csv"):
        example_export("nope.csv")


def test_example_profiles_are_valid_raw_text():
    mentors, mentees = example_profiles()
    assert all(isinstance(v, str) for v in mentors.to_numpy().ravel())
    assert list(validate(mentors, "mentors")["mentor_id"]) == ["M001", "M002"]
    assert list(validate(mentees, "mentees")["mentee_id"]) == ["E001", "E002"]
