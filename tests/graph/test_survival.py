"""Tests of ementor_kit.graph.survival: Kaplan-Meier by hand and against scipy.stats.ecdf."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ementor_kit.errors import ArgumentTypeError, EmentorKitError, InvalidArgumentError
from ementor_kit.graph import EngagementThresholds, engagement
from ementor_kit.graph.survival import Retention, _kaplan_meier, _loglog_interval, retention
from tests._exchange_logs import AS_OF, INTERACTIONS, PAIRS

_DEFAULT = EngagementThresholds()  # dormant after 90 days


def _eng(rows: list[tuple[float, float | None, float]]) -> pd.DataFrame:
    """Engagement-like table from (days observed, days from match to last contact, silence)."""
    matched = pd.Timestamp("2026-01-05")
    last = [None if a is None else matched + pd.Timedelta(days=a) for _, a, _ in rows]
    return pd.DataFrame(
        {
            "matched_on": [matched] * len(rows),
            "last_contact": pd.to_datetime(last).tz_localize("UTC"),
            "days_since_match": [r[0] for r in rows],
            "days_since_last_contact": [np.nan if r[1] is None else r[2] for r in rows],
            "status": ["x"] * len(rows),
        }
    )


def test_hand_worked_kaplan_meier_with_censoring_and_ties():
    # dormant after 90 days; a pair going on is censored 90 days before as_of (at 0 if younger)
    eng = _eng(
        [
            (120.0, None, np.nan),  # never exchanged, 120 > 90 days: ended at week 0
            (60.0, 55.0, 5.0),  # observed 60 <= 90 days: censored at 0
            (140.0, 7.0, 133.0),  # last contact day 7 (week 1), silent 133 days: ended
            (104.0, 100.0, 4.0),  # going on: censored at 104 - 90 = 14 days (week 2)
            (150.0, 21.0, 129.0),  # ended at week 3
            (160.0, 21.0, 139.0),  # ended at week 3
            (111.0, 110.0, 1.0),  # censored at 21 days, week 3 (ties: ended ones go first)
            (125.0, 60.0, 65.0),  # silent 65 days, not ended: censored at 35 days (week 5)
        ]
    )
    res = retention(eng, thresholds=_DEFAULT)
    ret = res.table
    # S(0) = 7/8; the pair censored at 0 leaves 6; S(1) = 7/8 * 5/6; at 2 one censored
    # (4 left); S(3) = 7/8 * 5/6 * (4 - 2)/4
    expected = [7 / 8, 35 / 48, 35 / 48, 35 / 96, 35 / 96, 35 / 96]
    np.testing.assert_allclose(ret["survival"], expected)
    assert ret["week"].tolist() == [0, 1, 2, 3, 4, 5]
    assert ret["n_at_risk"].tolist() == [8, 6, 5, 4, 1, 1]
    assert ret["n_ended"].tolist() == [1, 1, 0, 2, 0, 0]
    assert ret["n_censored"].tolist() == [1, 0, 1, 1, 0, 1]
    assert (res.n_pairs, res.n_ended, res.n_censored) == (8, 4, 4)
    assert (res.dormant_days, res.confidence_level, res.as_of) == (90.0, 0.95, None)
    # Greenwood: var log S(1) terms 1/(8*7) + 1/(6*5)
    s1 = 35 / 48
    g = 1 / 56 + 1 / 30
    z = 1.959963984540054
    se = np.sqrt(g / np.log(s1) ** 2)
    assert ret.loc[1, "ci_low"] == pytest.approx(np.exp(-np.exp(np.log(-np.log(s1)) + z * se)))
    assert ret.loc[1, "ci_high"] == pytest.approx(np.exp(-np.exp(np.log(-np.log(s1)) - z * se)))


def test_retention_recovers_a_known_survival_curve_despite_staggered_observation():
    # simulated programme: pair i exchanges until day T_i (exponential, mean 60 days) and is
    # observed for since_i days (staggered matching); the true share still exchanging after
    # d days is exp(-d / 60). Censoring pairs at as_of instead would give about 0.60 at
    # week 8 where the truth is 0.39.
    rng = np.random.default_rng(7)
    n = 4000
    end = rng.exponential(60.0, n)
    since = rng.uniform(20.0, 250.0, n)
    last = np.minimum(end, since)
    ret = retention(_eng(list(zip(since, last, since - last, strict=True))), thresholds=_DEFAULT)
    ret = ret.table
    weeks = np.array([1, 2, 4, 8, 12, 16])
    got = ret.set_index("week").loc[weeks, "survival"].to_numpy()
    np.testing.assert_allclose(got, np.exp(-7 * weeks / 60), atol=0.03)
    assert ret["week"].max() <= int(np.ceil((since.max() - 90) / 7))


def test_no_event_gives_survival_one_and_no_interval():
    ret = retention(_eng([(30.0, 20.0, 10.0), (60.0, 50.0, 10.0)]), thresholds=_DEFAULT).table
    assert (ret["survival"] == 1.0).all() and ret["ci_low"].isna().all()


@pytest.mark.filterwarnings("ignore:The confidence interval is undefined:RuntimeWarning")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kaplan_meier_equals_scipy_ecdf(seed):
    rng = np.random.default_rng(seed)
    times = np.round(rng.exponential(8, 300), 1)  # rounding creates ties
    times[:10] = 0.0
    ended = rng.random(300) < 0.6
    t, n, d, surv, green = _kaplan_meier(times, ended)
    res = stats.ecdf(stats.CensoredData(uncensored=times[ended], right=times[~ended]))
    np.testing.assert_allclose(surv, res.sf.evaluate(t), rtol=1e-12)
    ci = res.sf.confidence_interval(0.9, method="log-log")
    low, high = _loglog_interval(surv, green, 0.9)
    ok = np.isfinite(ci.low.evaluate(t))
    assert ok.sum() > 100
    np.testing.assert_allclose(low[ok], ci.low.evaluate(t)[ok], rtol=1e-10)
    np.testing.assert_allclose(high[ok], ci.high.evaluate(t)[ok], rtol=1e-10)


def test_retention_on_the_sample_equals_scipy_on_independently_derived_times():
    from ementor_kit.samples import load_sample

    prog = load_sample()
    result = engagement(prog.interactions, prog.pairs)
    eng = result.table
    curve = retention(result)
    ret = curve.table
    # independent durations from the engagement columns, in weeks
    last = eng["last_contact"].dt.tz_localize(None)
    obs = eng["days_since_match"] / 7
    started = eng["n_exchanges"] > 0
    ended = np.where(started, eng["days_since_last_contact"] > 90, eng["days_since_match"] > 90)
    active = ((last - eng["matched_on"]) / pd.Timedelta(weeks=1)).fillna(0.0)
    times = np.where(ended, active, np.clip(obs - 90 / 7, 0, None))
    res = stats.ecdf(stats.CensoredData(uncensored=times[ended], right=times[~ended]))
    np.testing.assert_allclose(ret["survival"], res.sf.evaluate(ret["week"]), rtol=1e-12)
    ci = res.sf.confidence_interval(0.95, method="log-log")
    np.testing.assert_allclose(ret["ci_low"], ci.low.evaluate(ret["week"]), rtol=1e-10)
    assert curve.n_ended == ended.sum() > 10
    assert ret["survival"].is_monotonic_decreasing


def test_from_the_log_equals_from_engagement():
    th = EngagementThresholds(check_in_days=10, at_risk_days=20, dormant_days=25)
    a = retention(INTERACTIONS, PAIRS, as_of=AS_OF, thresholds=th)
    b = retention(engagement(INTERACTIONS, PAIRS, as_of=AS_OF, thresholds=th))
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.as_of == b.as_of == pd.Timestamp("2026-10-01T00:00Z")
    # dormant after 25 days: E003 (51.5 days silent), E004, E007 (26 days) have ended, and
    # E002, never started 30 days after matching, ended at week 0
    assert a.n_ended == 4 and a.dormant_days == 25.0
    assert a.table.loc[0, "n_ended"] == 1


def _same(a: Retention, b: Retention) -> None:
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    fields = ("n_pairs", "n_ended", "n_censored", "n_not_yet_matched", "dormant_days")
    assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]


def test_merge_or_copy_of_the_engagement_table_does_not_change_retention():
    # the bug: with the settings in DataFrame.attrs, a merge dropped them and retention fell
    # back to 90 days (on the sample: survival 0.556 at week 14 became 0.801 at week 6)
    from ementor_kit.samples import load_sample

    prog = load_sample()
    four_weeks = EngagementThresholds(check_in_days=14, at_risk_days=21, dormant_days=28)
    eng = engagement(prog.interactions, prog.pairs, thresholds=four_weeks)
    before = retention(eng)
    assert before.dormant_days == 28.0 and before.table["week"].iloc[-1] == 14
    assert before.table["survival"].iloc[-1] == pytest.approx(0.5556, abs=1e-4)

    merged = eng.table.merge(prog.mentees[["mentee_id", "region"]], on="mentee_id", how="left")
    assert len(merged) == len(eng.table) and "region" in merged.columns
    _same(retention(merged, thresholds=eng.thresholds), before)
    _same(retention(eng.table.copy(), thresholds=eng.thresholds), before)
    # the Engagement result itself is unchanged by merging or copying its table
    _same(retention(eng), before)
    # a table alone never falls back to a default threshold: it must be given
    for table in (merged, eng.table.copy(), eng.table):
        with pytest.raises(InvalidArgumentError, match="thresholds") as err:
            retention(table)
        assert err.value.argument == "thresholds"


def test_bad_calls_are_refused():
    eng = engagement(INTERACTIONS, PAIRS, as_of=AS_OF)
    with pytest.raises(InvalidArgumentError, match="as_of"):
        retention(eng, as_of="2026-10-01")
    with pytest.raises(InvalidArgumentError, match="as_of"):
        retention(eng.table, as_of="2026-10-01", thresholds=eng.thresholds)
    with pytest.raises(ArgumentTypeError, match="thresholds"):
        retention(eng, thresholds={"dormant_days": 30})
    with pytest.raises(ArgumentTypeError, match="engagement_or_interactions"):
        retention([1, 2, 3])
    with pytest.raises(EmentorKitError, match="pairs"):
        retention(INTERACTIONS)
    with pytest.raises(EmentorKitError, match="confidence_level"):
        retention(eng, confidence_level=95)
