"""Tests of ementor_kit.matching.quotas: group quotas and the checks of the quotas: section."""

import pytest

from ementor_kit.errors import DataValidationError
from ementor_kit.matching import quotas as quotas_module
from ementor_kit.matching import rules as rules_module
from ementor_kit.matching.quotas import GroupQuota
from ementor_kit.matching.rules import MatchRules


def _problems(exc: pytest.ExceptionInfo) -> list:
    return list(exc.value.problems)


def test_the_rules_module_still_exports_the_quota():
    assert rules_module.GroupQuota is quotas_module.GroupQuota
    assert "GroupQuota" in rules_module.__all__


def test_describe_names_the_column_the_group_and_the_bound():
    assert GroupQuota("qpv", min_coverage=0.8).describe() == "coverage of group=qpv >= 0.8"
    assert (
        GroupQuota("2026-A", column="cohort", min_share_of_overall=1.5).describe()
        == "coverage of cohort=2026-A >= 1.5 x overall coverage"
    )


@pytest.mark.parametrize(
    ("data", "key", "fix_part"),
    [
        ({"quotas": [{"group": "qpv"}]}, "quotas", "exactly one"),
        ({"quotas": [{"group": "qpv", "min_coverage": 2}]}, "quotas.min_coverage", "between"),
        (
            {"quotas": [{"group": "qpv", "min_coverage": 0.5, "column": "shoe size"}]},
            "quotas.column",
            "group",
        ),
        ({"quotas": [{"grup": "qpv"}]}, "quotas.grup", "group"),
        ({"quotas": ["qpv"]}, "quotas", "min_coverage"),
        ({"quotas": [{"group": "", "min_coverage": 0.5}]}, "quotas.group", "group: qpv"),
    ],
)
def test_invalid_quotas_name_the_key_and_the_fix(data, key, fix_part):
    with pytest.raises(DataValidationError) as exc:
        MatchRules.from_dict(data)
    assert any(p.column == key and fix_part in p.fix for p in _problems(exc)), _problems(exc)


def test_a_quota_that_is_not_a_group_quota_is_refused():
    with pytest.raises(DataValidationError) as exc:
        MatchRules(quotas=({"group": "qpv"},))  # type: ignore[arg-type]
    assert [p.column for p in _problems(exc)] == ["quotas"]


def test_quotas_round_trip_through_a_mapping():
    rules = MatchRules.from_dict(
        {
            "quotas": [
                {"group": "qpv", "min_share_of_overall": 1.0},
                {"group": "x", "column": "cohort", "min_coverage": 0.25},
            ]
        }
    )
    assert rules.quotas == (
        GroupQuota("qpv", min_share_of_overall=1.0),
        GroupQuota("x", column="cohort", min_coverage=0.25),
    )
    assert MatchRules.from_dict(rules.to_dict()) == rules
