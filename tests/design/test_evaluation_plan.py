"""The evaluation plan: questionnaires per wave, their items, the waves of the pre/post test."""

import pytest

from ementor_kit.design import EvaluationPlan, ProgrammeDesign
from ementor_kit.errors import EmentorKitError


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
