"""The evaluation plan: questionnaires per wave, their items, the waves of the pre/post test."""

import pytest

from ementor_kit.design import EvaluationPlan, ProgrammeDesign
from ementor_kit.design.evaluation_plan import SECONDS_PER_ITEM
from ementor_kit.errors import EmentorKitError, InvalidArgumentError


def test_instrument_aliases_are_stored_as_ids_and_items_counted():
    plan = EvaluationPlan(instruments={"T0": ["GSE-10"], "T1": ["gse", "wai", "mfq", "emx"]})
    assert plan.instruments == {"T0": ("gse",), "T1": ("gse", "wai", "mfq", "emx")}
    assert (plan.items_at("T0"), plan.items_at("T1")) == (10, 10 + 12 + 9 + 8)


def test_other_waves_keep_their_order_and_the_pre_post_test_spans_intake_to_the_last_wave():
    plan = EvaluationPlan(
        instruments={"T0": ["gse"], "P30": ["pulse"], "T1": ["wai"], "T2": ["gse", "emx"]}
    )
    assert list(plan.instruments) == ["T0", "P30", "T1", "T2"]
    assert plan.pre_post == ("T0", "T2")
    assert plan.items_at("T2") == 10 + 8
    # a pulse after the end is not an outcome wave: T1 stays the end
    late = EvaluationPlan(instruments={"T0": ["gse"], "T1": ["gse"], "P200": ["pulse"]})
    assert late.pre_post == ("T0", "T1")
    # T1 not given: empty, before the later T2 (the design simulation reads T0 and T1)
    follow = EvaluationPlan(instruments={"T2": ["gse"], "T0": ["gse"]})
    assert follow.instruments == {"T0": ("gse",), "T1": (), "T2": ("gse",)}
    assert follow.pre_post == ("T0", "T2")
    with pytest.raises(EmentorKitError, match="wave 'T3' is not in the evaluation plan"):
        plan.items_at("T3")
    back = ProgrammeDesign(evaluation=plan)
    assert ProgrammeDesign.from_yaml(back.to_yaml()).evaluation == plan


# ------------------------------------------------------------------ response burden
def test_burden_is_items_times_seconds_by_hand():
    plan = EvaluationPlan(instruments={"T0": ["gse"], "T1": ["gse", "emx"]})
    # by hand: the GSE has 10 items, the EMX 8; 10 x 9 s = 1.5 min, 18 x 9 s = 2.7 min,
    # at 12 s: 10 x 12 s = 2.0 min, 18 x 12 s = 216 s = 3.6 min
    table = plan.burden(lang="en")
    assert table["wave"].tolist() == ["T0", "T1"]
    assert table["instruments"].tolist() == ["gse", "gse, emx"]
    assert table["items"].tolist() == [10, 18]
    assert table["minutes per respondent"].tolist() == [1.5, 2.7]
    assert table["seconds per item"].tolist() == [SECONDS_PER_ITEM] * 2 == [9.0, 9.0]
    slower = plan.burden(seconds_per_item=12, lang="en")
    assert slower["minutes per respondent"].tolist() == [2.0, 3.6]


def test_burden_labels_follow_the_language_and_bad_times_are_refused():
    plan = EvaluationPlan()
    assert list(plan.burden(lang="fr").columns) == [
        "vague",
        "questionnaires",
        "items",
        "minutes par répondant·e",
        "secondes par item",
    ]
    for bad in (0, -3, "fast", None):
        with pytest.raises(InvalidArgumentError) as e:
            plan.burden(seconds_per_item=bad)
        assert e.value.argument == "seconds_per_item"
