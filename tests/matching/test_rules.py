from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ementor_kit.errors import DataValidationError
from ementor_kit.matching.rules import CRITERIA, OBJECTIVES, GroupQuota, MatchRules

RULES_DIR = Path(__file__).resolve().parents[2] / "data" / "samples" / "rules"


def _problems(exc: pytest.ExceptionInfo) -> list:
    return list(exc.value.problems)


def test_defaults_are_valid_and_cover_every_criterion():
    r = MatchRules()
    assert tuple(r.weights) == CRITERIA
    assert all(w > 0 for w in r.weights.values())
    assert r.objective == "coverage_then_score"


@settings(max_examples=40, deadline=None)
@given(
    weights=st.dictionaries(
        st.sampled_from(CRITERIA), st.floats(0.01, 50, allow_nan=False), min_size=1
    ),
    gap=st.floats(0, 60),
    min_score=st.floats(0, 100),
    objective=st.sampled_from(OBJECTIVES),
    language=st.booleans(),
    pairs=st.lists(
        st.tuples(st.sampled_from(["E001", "E002", "E003"]), st.sampled_from(["M001", "M002"])),
        unique=True,
        max_size=3,
    ),
    caps=st.dictionaries(st.sampled_from(["M001", "M002", "M003"]), st.integers(0, 4)),
    share=st.one_of(st.none(), st.floats(0, 2)),
)
def test_yaml_round_trip(weights, gap, min_score, objective, language, pairs, caps, share):
    quotas = (
        ()
        if share is None
        else (
            GroupQuota("qpv", min_share_of_overall=share),
            GroupQuota("2026-A", column="cohort", min_coverage=0.5),
        )
    )
    rules = MatchRules(
        weights=weights,
        min_experience_gap=gap,
        min_score=min_score,
        objective=objective,
        shared_language=language,
        forbidden_pairs=tuple(pairs),
        capacity_override=caps,
        quotas=quotas,
        name="t",
    )
    again = MatchRules.from_yaml(rules.to_yaml())
    assert again == rules
    assert again.to_yaml() == rules.to_yaml()
    assert hash(again) == hash(rules)
    assert again.weights == rules.weights
    assert again.forbidden_pairs == tuple(sorted(pairs))


def test_unknown_keys_are_named_with_a_suggestion():
    with pytest.raises(DataValidationError) as exc:
        MatchRules.from_dict(
            {"weigths": {}, "hard_rules": {"min_scor": 3}, "parameters": {"timezone_window": 3}}
        )
    msgs = [(p.column, p.fix) for p in _problems(exc)]
    assert ("weigths", "did you mean 'weights'?") in msgs
    assert ("hard_rules.min_scor", "did you mean 'min_score'?") in msgs
    assert ("parameters.timezone_window", "did you mean 'timezone_window_hours'?") in msgs


@pytest.mark.parametrize(
    ("data", "key", "fix_part"),
    [
        ({"weights": {"skills": -1}}, "weights.skills", ">= 0"),
        ({"weights": {"skills": "a lot"}}, "weights.skills", ">= 0"),
        ({"weights": {"skills": 0}}, "weights", "positive weight"),
        ({"objective": "best"}, "objective", "coverage_then_score"),
        ({"hard_rules": {"min_score": 120}}, "min_score", "between 0 and 100"),
        ({"hard_rules": {"shared_language": "yes"}}, "shared_language", "true or false"),
        (
            {"hard_rules": {"capacity_override": {"M001": -2}}},
            "capacity_override.M001",
            "whole number",
        ),
        ({"hard_rules": {"forbidden_pairs": [["E001"]]}}, "forbidden_pairs", "[mentee_id"),
        (
            {"hard_rules": {"forbidden_pairs": [["E1", "M1"]], "required_pairs": [["E1", "M1"]]}},
            "required_pairs",
            "remove them",
        ),
    ],
)
def test_invalid_values_name_the_key_and_the_fix(data, key, fix_part):
    with pytest.raises(DataValidationError) as exc:
        MatchRules.from_dict(data)
    assert any(p.column == key and fix_part in p.fix for p in _problems(exc)), _problems(exc)


def test_every_problem_is_reported_at_once():
    with pytest.raises(DataValidationError) as exc:
        MatchRules(weights={"skills": -1, "goals": -2}, objective="x")
    assert {p.column for p in _problems(exc)} == {"weights.skills", "weights.goals", "objective"}


def test_from_yaml_file_errors_name_the_file(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        MatchRules.from_yaml(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("weights: {skills: 1\n")
    with pytest.raises(DataValidationError, match="not valid YAML"):
        MatchRules.from_yaml(bad)
    typo = tmp_path / "typo.yaml"
    typo.write_text("objectiv: score\n")
    with pytest.raises(DataValidationError) as exc:
        MatchRules.from_yaml(typo)
    assert exc.value.problems[0].file == str(typo)


def test_pairs_accept_mappings_and_are_sorted():
    r = MatchRules.from_dict(
        {
            "hard_rules": {
                "required_pairs": [{"mentee_id": "E002", "mentor_id": "M001"}, ["E001", "M002"]]
            }
        }
    )
    assert r.required_pairs == (("E001", "M002"), ("E002", "M001"))


def test_replace_revalidates():
    with pytest.raises(DataValidationError):
        MatchRules().replace(min_score=-1)
    assert MatchRules().replace(objective="maximin").objective == "maximin"


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_sample_rule_sets_load_and_round_trip(path):
    rules = MatchRules.from_yaml(path)
    assert rules.name == path.stem
    assert rules.description
    assert MatchRules.from_yaml(rules.to_yaml()) == rules


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_sample_rule_sets_describe_themselves_in_english_and_french(path):
    rules = MatchRules.from_yaml(path)
    assert [lang for lang, _ in rules.descriptions] == ["en", "fr"]
    assert rules.description_in("en") == rules.description != rules.description_in("fr")


def test_a_description_in_languages_round_trips_and_falls_back_to_the_one_given():
    rules = MatchRules.from_dict({"description": {"en": "Skills  first.", "fr": "Compétences."}})
    assert rules.description == "Skills first."  # spaces of a folded YAML line collapsed
    assert MatchRules.from_yaml(rules.to_yaml()) == rules
    assert rules.to_dict()["description"] == {"en": "Skills first.", "fr": "Compétences."}
    only_fr = MatchRules.from_dict({"description": {"fr": "Règles du printemps"}})
    assert only_fr.description == only_fr.description_in("en") == "Règles du printemps"
    plain = MatchRules.from_dict({"description": "As written"})
    assert plain.descriptions == () and plain.description_in("fr") == "As written"
    assert plain.to_dict()["description"] == "As written"


def test_a_description_in_an_unknown_language_is_refused_with_the_fix():
    with pytest.raises(DataValidationError) as exc:
        MatchRules.from_dict({"description": {"en": "x", "de": "y"}})
    assert "column 'description'" in str(exc.value)
    assert "language code (en, fr)" in str(exc.value)


def test_there_are_sample_rule_sets():
    assert len(list(RULES_DIR.glob("*.yaml"))) >= 3
