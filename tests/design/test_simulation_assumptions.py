"""Tests of ementor_kit.design.simulation_assumptions: the ILLUSTRATIVE model parameters."""

import pytest

from ementor_kit.design import SimulationAssumptions, simulation, simulation_assumptions
from ementor_kit.errors import DataValidationError


def test_the_simulation_module_still_exports_the_assumptions():
    assert simulation.SimulationAssumptions is simulation_assumptions.SimulationAssumptions
    assert "SimulationAssumptions" in simulation.__all__


def test_assumptions_are_validated_and_labelled():
    with pytest.raises(DataValidationError) as e:
        SimulationAssumptions(checkin_elasticity=-0.1, weekly_fade_hazard=1.5, early_weeks=1.5)
    assert sorted(p.column for p in e.value.problems) == [
        "checkin_elasticity",
        "early_weeks",
        "weekly_fade_hazard",
    ]
    table = SimulationAssumptions().describe()
    assert table["parameter"].tolist() == list(SimulationAssumptions().to_dict())
    assert set(table["status"]) == {"ILLUSTRATIVE"}
    assert table["meaning"].str.len().min() > 10
    a = SimulationAssumptions(t1_response_faded=0.3)
    assert SimulationAssumptions.from_yaml(a.to_yaml()) == a
    assert a.to_yaml().startswith("# ILLUSTRATIVE")


def test_unknown_keys_name_the_source_and_the_closest_key(tmp_path):
    with pytest.raises(DataValidationError) as e:
        SimulationAssumptions.from_dict({"early_wekes": 3}, source="a.yaml")
    problem = e.value.problems[0]
    assert (problem.file, problem.column) == ("a.yaml", "early_wekes")
    assert "early_weeks" in problem.fix
    path = tmp_path / "a.yaml"
    SimulationAssumptions(early_weeks=5).to_yaml(path)
    assert SimulationAssumptions.from_yaml(path).early_weeks == 5


def test_describe_in_french_translates_units_meanings_and_status_not_parameters():
    from ementor_kit.i18n.text import translate_text, untranslated

    en = SimulationAssumptions().describe(lang="en")
    fr = SimulationAssumptions().describe(lang="fr")
    assert en.equals(SimulationAssumptions().describe())  # the process language: English
    assert fr[["parameter", "value"]].equals(en[["parameter", "value"]])
    for column in ("unit", "meaning", "status"):
        for e, f in zip(en[column], fr[column], strict=True):
            assert untranslated(e, "fr") == [], e
            assert f == translate_text(e, "fr"), e
    # the same word in both languages: the marker, and the unit of a score
    same = {"ILLUSTRATIVE", "score 1-5"}
    assert all(f != e for e, f in zip(en["unit"], fr["unit"], strict=True) if e not in same)
    assert (fr["meaning"] != en["meaning"]).all()
    assert fr.loc[fr["parameter"] == "early_weeks", "meaning"].item() == (
        "Durée du début fragile d'une relation."
    )
