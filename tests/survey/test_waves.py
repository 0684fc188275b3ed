"""Several waves: declared order and dates, long scores, contrasts (two-wave results unchanged)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

import ementor_kit as ek
from ementor_kit.errors import DataValidationError, InvalidArgumentError, UnknownNameError
from ementor_kit.survey.effects import compare_waves
from ementor_kit.survey.mixed import mixed_model
from ementor_kit.survey.waves import (
    Wave,
    _holm,
    compare_wave_series,
    pulse_waves,
    stack_waves,
    wave_plan,
)

GSE = [f"gse_{i}" for i in range(1, 11)]
ADDED = ["wave_from", "wave_to", "p_t_holm", "p_wilcoxon_holm"]


@pytest.fixture(scope="module")
def sample():
    return ek.load_sample()


def _t2(t1: pd.DataFrame, seed: int = 5) -> pd.DataFrame:
    """A follow-up wave: T1 answers moved by -1, 0 or +1, a fifth of respondents missing."""
    rng = np.random.default_rng(seed)
    t2 = t1.sample(frac=0.8, random_state=seed).reset_index(drop=True)
    for item in GSE:
        moved = t2[item] + rng.integers(-1, 2, len(t2))
        t2[item] = moved.clip(1, 4).where(t2[item].notna())
    return t2.assign(wave="T2")


def test_two_waves_give_compare_waves_unchanged(sample):
    t0, t1 = sample.surveys["mentee_t0"], sample.surveys["mentee_t1"]
    for inst in ("gse", "emx") if "emx_1" in t0.columns else ("gse",):
        direct = compare_waves(t0, t1, inst)
        series = compare_wave_series({"T0": t0, "T1": t1}, inst)
        assert series.effects.columns[:2].tolist() == ["wave_from", "wave_to"]
        pd.testing.assert_frame_equal(series.effects.drop(columns=ADDED), direct.effects)
        pd.testing.assert_frame_equal(
            series.attrition.drop(columns=["wave_from", "wave_to"]), direct.attrition
        )
        # one contrast: Holm changes nothing
        assert series.effects["p_t_holm"].equals(series.effects["p_t"])


def test_three_waves_each_contrast_is_compare_waves(sample):
    t0, t1 = sample.surveys["mentee_t0"], sample.surveys["mentee_t1"]
    t2 = _t2(t1)
    waves = {"T0": t0, "T1": t1, "T2": t2}
    base = compare_wave_series(waves, "gse")
    assert base.effects[["wave_from", "wave_to"]].values.tolist() == [["T0", "T1"], ["T0", "T2"]]
    pd.testing.assert_frame_equal(
        base.effects.drop(columns=ADDED).iloc[[1]].reset_index(drop=True),
        compare_waves(t0, t2, "gse").effects,
    )
    step = compare_wave_series(waves, "gse", contrasts="successive")
    assert step.effects[["wave_from", "wave_to"]].values.tolist() == [["T0", "T1"], ["T1", "T2"]]
    pd.testing.assert_frame_equal(
        step.effects.drop(columns=ADDED).iloc[[1]].reset_index(drop=True),
        compare_waves(t1, t2, "gse").effects,
    )
    # Holm over the two contrasts, against statsmodels
    expected = multipletests(base.effects["p_t"], method="holm")[1]
    np.testing.assert_allclose(base.effects["p_t_holm"], expected, rtol=1e-12)
    # participation: T2 is a subset of T1 respondents
    part = base.participation.set_index("wave")
    ids = {w: set(df["respondent_id"]) for w, df in waves.items()}
    assert part.loc["T2", "n_responses"] == len(t2)
    assert part.loc["T2", "n_with_first"] == len(ids["T2"] & ids["T0"])
    assert part.loc["T2", "n_every_wave"] == len(ids["T0"] & ids["T1"] & ids["T2"])


def test_holm_against_statsmodels_with_nan():
    p = np.array([0.01, np.nan, 0.04, 0.03, 0.2, 0.001])
    ok = ~np.isnan(p)
    got = _holm(p)
    assert np.isnan(got[1])
    np.testing.assert_allclose(got[ok], multipletests(p[ok], method="holm")[1], rtol=1e-12)


def test_one_long_table_with_t2_is_ordered_by_number(sample):
    t0, t1 = sample.surveys["mentee_t0"], sample.surveys["mentee_t1"]
    long = pd.concat([_t2(t1), t1, t0], ignore_index=True)  # any row order
    stacked = stack_waves(long, "gse")
    assert stacked["wave"].cat.categories.tolist() == ["T0", "T1", "T2"]
    assert stacked["wave"].cat.ordered
    assert stacked["wave_order"].is_monotonic_increasing
    assert len(stacked) == len(long)
    assert "submitted_at" in stacked.columns
    per_wave = compare_wave_series(long, "gse")
    by_mapping = compare_wave_series({"T0": t0, "T1": t1, "T2": _t2(t1)}, "gse")
    pd.testing.assert_frame_equal(per_wave.effects, by_mapping.effects)


def test_pulses_and_surveys_need_a_declared_order():
    rows = {"respondent_id": ["E1", "E1", "E1"], "wave": ["T0", "P30", "T1"]}
    long = pd.DataFrame({**rows, **{i: [2, 3, 3] for i in GSE}})
    with pytest.raises(InvalidArgumentError, match="cannot be told"):
        stack_waves(long, "gse")
    plan = wave_plan({"T0": 0, "P30": 30, "T1": 112}, start="2026-09-07")
    out = stack_waves(long, "gse", plan=plan)
    assert out["wave"].tolist() == ["T0", "P30", "T1"]
    assert out["day"].tolist() == [0, 30, 112]
    assert plan.wave("P30").date == dt.date(2026, 10, 7)
    assert plan.wave("P30").kind == "pulse"
    with pytest.raises(UnknownNameError, match="P60"):
        stack_waves(long.assign(wave=["T0", "P60", "T1"]), "gse", plan=plan)


def test_wave_plan_orders_by_day_or_date_and_refuses_bad_declarations():
    assert wave_plan({"T2": 200, "T0": 0, "T1": 112}).names == ("T0", "T1", "T2")
    by_date = wave_plan({"T1": "2026-12-28", "T0": "2026-09-07"}, start="2026-09-07")
    assert by_date.names == ("T0", "T1") and by_date.day("T1") == 112
    assert wave_plan(["T1", "T0"]).names == ("T1", "T0")  # no days: as declared
    plan = wave_plan([Wave("T0", 0), *pulse_waves(30, 60, 160), Wave("T1", 112)])
    assert plan.names == ("T0", "P30", "P90", "T1", "P150")
    for bad in (["T0", "T0"], ["0T"], {"T0": -1}, {"T0": 0, "T1": 0}, [], {"T0": "soon"}):
        with pytest.raises(InvalidArgumentError):
            wave_plan(bad)


def test_pulse_schedule():
    assert [w.name for w in pulse_waves()] == ["P30", "P90"]
    assert [w.day for w in pulse_waves(30, 60, 365)] == [30, 90, 150, 210, 270, 330]
    with pytest.raises(InvalidArgumentError):
        pulse_waves(30, 0)


def test_errors_name_the_wave_and_rows():
    long = pd.DataFrame(
        {
            "respondent_id": ["E1", "E2", "E2"],
            "wave": ["T0", "T2", "T2"],
            **{i: [2] * 3 for i in GSE},
        }
    )
    with pytest.raises(DataValidationError, match="T2: respondent"):
        stack_waves(long, "gse")
    with pytest.raises(DataValidationError, match="without a wave") as err:
        stack_waves(long.assign(wave=["T0", "", "T2"]), "gse")
    assert err.value.problems[0].rows == (3,)
    with pytest.raises(InvalidArgumentError, match="one wave"):
        compare_wave_series({"T0": long.head(1)}, "gse")
    with pytest.raises(InvalidArgumentError, match="contrasts"):
        compare_wave_series(
            {"T0": long.head(1), "T1": long.head(1)}, "gse", contrasts=[("T0", "T9")]
        )


def test_stacked_waves_feed_the_mixed_model(sample):
    t0, t1 = sample.surveys["mentee_t0"], sample.surveys["mentee_t1"]
    stacked = stack_waves({"T0": t0, "T1": t1, "T2": _t2(t1)}, "gse")
    fit = mixed_model(stacked, "gse_total", factors=["wave"])
    assert fit.fixed.index.tolist() == ["const", "wave[T1]", "wave[T2]"]
    assert fit.n == int(stacked["gse_total"].notna().sum())
    assert fit.n_persons == stacked.loc[stacked["gse_total"].notna(), "respondent_id"].nunique()
