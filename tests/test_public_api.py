"""The public names the issues promise (tests outside this repository call them)."""

import importlib

import pytest

import ementor_kit as ek

CONTRACT = {
    "ementor_kit": [
        "read_programme",
        "validate",
        "load_sample",
        "generate_programme",
        "DataValidationError",
        "EmentorKitError",
        "match",
        "MatchRules",
        "score_pairs",
        "engagement",
        "goal_progress",
        "weekly_activity",
        "retention",
        "programme_graph",
        "network_summary",
    ],
    "ementor_kit.samples": ["generate_programme", "load_sample"],
    "ementor_kit.matching": [
        "MatchRules",
        "score_pairs",
        "assign",
        "match",
        "MatchResult",
        "greedy",
        "random_pairing",
        "stable_pairing",
        "audit",
        "compare_rules",
        "rematch",
        "InfeasibleMatchingError",
    ],
    "ementor_kit.graph": [
        "engagement",
        "goal_progress",
        "weekly_activity",
        "retention",
        "programme_graph",
        "network_summary",
        "plot_activity_heatmap",
        "plot_retention",
        "plot_sync_async",
        "plot_network",
    ],
    "ementor_kit.survey": [
        "Instrument",
        "read_qualtrics",
        "read_limesurvey",
        "read_google_forms",
        "read_surveymonkey",
        "read_msforms",
        "read_spss",
        "read_survey",
        "score",
        "cronbach_alpha",
        "omega_total",
        "item_stats",
        "reliability",
        "compare_waves",
        "dyad_agreement",
        "compare_groups",
        "plan_sample_size",
        "pseudonymise",
        "suppress_small_cells",
    ],
    "ementor_kit.widgets": ["MatchPlayground"],
    "ementor_kit.design": ["ProgrammeDesign", "simulate", "compare_designs"],
    "ementor_kit.cli": ["main"],
}


@pytest.mark.parametrize("module", sorted(CONTRACT))
def test_contract_names_exist(module):
    mod = importlib.import_module(module)
    missing = [name for name in CONTRACT[module] if not hasattr(mod, name)]
    assert missing == []


def test_everything_in___all___exists_and_is_documented():
    undocumented = []
    for name in ek.__all__:
        obj = getattr(ek, name)
        if callable(obj) and not (obj.__doc__ or "").strip():
            undocumented.append(name)
    assert undocumented == []


def test_errors_share_one_base_class():
    assert issubclass(ek.DataValidationError, ek.EmentorKitError)
    assert issubclass(ek.InfeasibleMatchingError, ek.EmentorKitError)
