"""The data contract (ementor_kit.data.schema): the sample layout comes from its programme.yaml."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from ementor_kit.data import schema
from ementor_kit.data.spec import ProgrammeSpec
from ementor_kit.data.validation import read_programme, validate
from ementor_kit.datasets import example_profiles, load_sample, sample_dir
from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.survey import load_instrument


def test_the_people_contract_is_the_sample_declaration():
    spec = ProgrammeSpec.from_yaml(sample_dir() / "programme.yaml")
    for role, table in (("mentors", schema.MENTORS), ("mentees", schema.MENTEES)):
        declared = spec.attributes(role)
        assert table.column_names == tuple(a.name for a in declared)
        for a, c in zip(declared, table.columns, strict=True):
            assert (c.allowed, c.min, c.max, c.required) == (a.vocabulary, a.min, a.max, a.required)
    # goal categories are the mentees' goals
    assert schema.GOALS.column("category").allowed == spec.attribute("mentees", "goals").vocabulary


def test_the_sample_reads_the_same_with_or_without_its_programme_yaml(tmp_path):
    """With programme.yaml the people come through read_people; without, the sample layout."""
    shutil.copytree(sample_dir(), tmp_path / "sample")
    (tmp_path / "sample" / "programme.yaml").unlink()
    legacy, declared = read_programme(tmp_path / "sample"), load_sample()
    assert legacy.spec is None and declared.spec is not None
    for name in ("mentors", "mentees", "pairs", "interactions", "goals", "goal_updates"):
        pd.testing.assert_frame_equal(
            getattr(legacy, name), getattr(declared, name), check_exact=True
        )
    assert legacy.surveys.keys() == declared.surveys.keys()


def test_ids_are_any_unique_text_in_the_sample_layout():
    mentors, mentees = example_profiles()
    mentors = mentors.assign(mentor_id=["ana@asso.fr", "stu-0042"])
    assert validate(mentors, "mentors")["mentor_id"].tolist() == ["ana@asso.fr", "stu-0042"]
    with pytest.raises(DataValidationError, match="duplicate"):
        validate(mentees.assign(mentee_id=["x", "x"]), "mentees")


def test_survey_tables_of_any_wave():
    assert schema.WAVES == ("T0", "T1")
    assert schema.survey_table("mentee_t0") is schema.TABLES["mentee_t0"]
    assert schema.survey_table("mentee_t1").column("wave").allowed == schema.WAVES
    assert schema.survey_table("mentor_t2").column("wave").allowed == ("T2",)
    assert schema.survey_table("pulse_p150").column("wave").allowed == ("P150",)
    assert schema.survey_table("closure").column("wave").optional
    assert schema.survey_table("mentee_t2").column_names == schema.TABLES["mentee_t1"].column_names
    for bad in ("mentee_T2", "mentee_", "pulse", "mentee_2", "tutor_t2", "closure_t1"):
        with pytest.raises(InvalidArgumentError):
            schema.survey_table(bad)
    for name in ("pulse", "closure"):
        assert all(re.match(schema.SURVEY_ITEM_PATTERN, i) for i in load_instrument(name).item_ids)
