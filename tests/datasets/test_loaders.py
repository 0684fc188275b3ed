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


_TEXTS = ("name", "description", "objectives", "audience")


def test_french_example_designs_differ_from_the_english_ones_only_by_their_texts():
    from dataclasses import fields

    from ementor_kit.design import ProgrammeDesign

    en, fr = example_designs(lang="en"), example_designs(lang="fr")
    assert list(fr) == list(en)
    assert sorted(p.stem for p in (sample_dir() / "designs" / "fr").glob("*")) == sorted(en)
    for stem in en:
        e, f = en[stem], fr[stem]
        for field in fields(ProgrammeDesign):
            same = getattr(f, field.name) == getattr(e, field.name)
            assert same != (field.name in _TEXTS), (stem, field.name)
        assert len(f.objectives) == len(e.objectives), stem
        assert all(a != b for a, b in zip(f.objectives, e.objectives, strict=True)), stem
        assert f.replace(**{k: getattr(e, k) for k in _TEXTS}) == e, stem


def test_example_designs_follow_the_process_language():
    from ementor_kit.i18n import set_language

    set_language("fr")
    try:
        names = {k: d.name for k, d in example_designs().items()}
    finally:
        set_language(None)
    assert names == {k: d.name for k, d in example_designs(lang="fr").items()}
    assert names["group_circles"] == "Cercles de mentorat"
    assert example_designs()["group_circles"].name == "Group circles"
