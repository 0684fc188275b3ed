"""The sections of the pilot report and how pilot_report puts them together."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from ementor_kit import generate_programme, load_sample
from ementor_kit.graph import engagement, retention
from ementor_kit.i18n.text import untranslated
from ementor_kit.matching import MatchRules
from ementor_kit.report import PREDICTORS, STEPS, engagement_outcome_data, pilot_report
from ementor_kit.report._context import ReportContext
from ementor_kit.report.sections.closure import closure_section
from ementor_kit.report.sections.engagement import engagement_section, rule_label
from ementor_kit.report.sections.pairing import pairing_section
from ementor_kit.report.sections.regression import regression_section

KEY = "test-key-for-synthetic-data-0001"


@pytest.fixture(scope="module")
def small():
    return generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3)


@pytest.fixture(scope="module")
def run(small):
    said = []
    return pilot_report(small, key=KEY, progress=said.append), said


def _ctx(programme, pair_lists=True):
    return ReportContext(programme, KEY.encode(), 5, pair_lists)


def test_progress_announces_every_step_in_order(run):
    _, said = run
    assert said == list(STEPS)


def test_figures_land_in_their_sections(run):
    rep, _ = run
    figures = {s.id: [f.name for f in s.figures] for s in rep.sections}
    assert figures["pairing"] == ["pairing_scores"]
    assert figures["engagement"] == ["sync_async", "retention"]
    assert figures["regression"] == ["regression_coefficients"]
    assert all(
        not v for k, v in figures.items() if k not in {"pairing", "engagement", "regression"}
    )


def test_the_left_out_table_gathers_every_stage_in_report_order(run):
    rep, _ = run
    assert rep.sections[0].tables[-1].name == "left_out"
    stages = list(dict.fromkeys(rep.table("left_out")["stage"]))
    assert stages[0] == "exchange log (interactions.csv)"
    assert stages[-2:] == [
        "WAI-SR agreement (T1, both sides)",
        "engagement and outcomes (mentee T1 responses)",
    ]
    assert all(s.endswith("T0 -> T1 (mentees)") for s in stages[1:-2]) and stages[1:-2]


def test_sections_say_what_is_missing(small):
    bare = dataclasses.replace(
        small,
        interactions=None,
        surveys={n: df for n, df in small.surveys.items() if n != "mentee_t0"},
    )
    rep = pilot_report(bare, key=KEY)
    by_id = {s.id: s for s in rep.sections}
    for sid in ("engagement", "prepost", "regression"):
        assert by_id[sid].paragraphs[0].startswith("Not available"), sid
        assert not by_id[sid].tables and not by_id[sid].figures
    assert rep.settings["as_of"] is None
    assert "engagement as of (no exchange log)" in rep.to_html()
    assert "exchange log (interactions.csv)" not in set(rep.table("left_out")["stage"])


def test_the_context_never_shows_the_key(small):
    ctx = _ctx(small)
    assert KEY not in repr(ctx) and "key=" not in repr(ctx)


def test_pair_lists_only_when_asked(small):
    # one mentee per mentor: 14 mentors for 40 mentees leave most mentees unpaired
    rules = MatchRules(capacity_override={m: 1 for m in small.mentors["mentor_id"]})
    with_lists = pairing_section(_ctx(small, True), rules)
    without = pairing_section(_ctx(small, False), rules)
    assert [t.name for t in with_lists.section.lists] == ["list_unpaired"]
    assert without.section.lists == ()
    assert all(v.startswith("e-") for v in with_lists.section.lists[0].data["mentee"])
    shown = {t.name: t.data for t in without.section.tables}
    assert shown.keys() == {t.name for t in with_lists.section.tables}


def test_regression_is_not_reported_on_too_few_responses(small):
    few = dataclasses.replace(
        small, surveys={**small.surveys, "mentee_t1": small.surveys["mentee_t1"].head(4)}
    )
    ctx = _ctx(few)
    step = regression_section(ctx, engagement_section(ctx).engagement)
    assert step.section.paragraphs[0].startswith("Not reported: ")
    assert step.section.tables == () and step.section.figures == ()
    # what was used still reaches the ledger
    assert [e.stage for e in step.left_out] == ["engagement and outcomes (mentee T1 responses)"]
    ledger = step.left_out[0].table
    assert ledger["what"].tolist()[0] == "in the model" and ledger["what"].iloc[-1] == "Total"
    assert pd.isna(ledger["count"].iloc[-1])  # 4 responses in all: under k, hidden too


def test_engagement_outcome_data_takes_the_engagement_or_its_table(small):
    eng = engagement(small.interactions, small.pairs)
    t1 = small.surveys["mentee_t1"]
    pd.testing.assert_frame_equal(
        engagement_outcome_data(t1, small.pairs, eng),
        engagement_outcome_data(t1, small.pairs, eng.table),
    )


def test_engagement_outcome_data_gives_its_reasons_in_french_and_the_same_rows(small):
    eng = engagement(small.interactions, small.pairs)
    t1 = small.surveys["mentee_t1"].copy()
    t1.loc[0, "respondent_id"] = "E999"  # not linked to a pair in force
    en = engagement_outcome_data(t1, small.pairs, eng, lang="en")
    fr = engagement_outcome_data(t1, small.pairs, eng, lang="fr")
    pd.testing.assert_frame_equal(en.drop(columns="left_out"), fr.drop(columns="left_out"))
    assert (en["left_out"] == "").equals(fr["left_out"] == "")
    reasons = dict(zip(en["left_out"], fr["left_out"], strict=True))
    assert reasons["not linked to a pair in force: not a pair"].startswith("non rattachée")
    assert len(reasons) > 2 and all(untranslated(r) == [] for r in reasons), reasons


@pytest.mark.parametrize(
    ("reason", "rule"),
    [
        ("no exchange for 28.8 days (> 21)", "no exchange for more than 21 days"),
        (
            "last message, from the mentee, unanswered for 9.5 days (> 7)",
            "last message, from the mentee, unanswered for more than 7 days",
        ),
        (
            "no exchange in the 20.1 days since matching (first exchange expected within 14 days)",
            "no first exchange within 14 days of matching",
        ),
        ("goal stalled > 21 days (goal G7)", "a goal without progress for more than 21 days"),
        ("an unknown reason after 12.5 days", "an unknown reason after N days"),
    ],
)
def test_rule_labels_drop_the_pairs_own_numbers(reason, rule):
    assert rule_label(reason) == rule


def test_a_model_whose_n_is_hidden_shows_no_p_values_or_intervals(small):
    """The intervals and p-values of a model give its residual df (n - 4) back."""
    from ementor_kit.report.sections.regression import _model_tables
    from ementor_kit.survey.regression import ols

    eng = engagement(small.interactions, small.pairs)
    data = engagement_outcome_data(small.surveys["mentee_t1"], small.pairs, eng)
    fit = ols(data[data["left_out"] == ""], "outcome", list(PREDICTORS), cov_type="HC3")
    for n_shown, hidden in ((fit.n, False), (pd.NA, True)):
        coef, model = _model_tables(_ctx(small), fit, "Working alliance (total)", n_shown)
        assert pd.isna(model.data["n"].iloc[0]) == hidden
        for col in ("CI low", "CI high", "p"):
            assert coef.data[col].isna().all() == hidden, col
        assert coef.data["coefficient"].notna().all() and coef.data["SE (HC3)"].notna().all()


# --------------------------------------------------------------------------- scoring wording


def _gse_with_min(n):
    from ementor_kit.survey.instruments import load_instrument

    gse = load_instrument("gse")
    sub = dataclasses.replace(gse.subscale("total"), min_answered=n)
    return dataclasses.replace(gse, subscales=(sub,))


@pytest.mark.parametrize("least", [7, 8, 10])
def test_scoring_wording_follows_the_settings_applied(least):
    # the report's words on proration come from the rule score() applies: change the
    # instrument's minimum and both the sentence and the prorated counts follow
    from ementor_kit.report.sections.scoring import scoring_section

    programme = generate_programme(n_mentees=120, n_mentors=40, weeks=6, seed=5)
    gse = _gse_with_min(least)
    sec = scoring_section(_ctx(programme), [gse])
    text = " ".join(sec.paragraphs)
    assert "imputed" not in text  # the old claim "never imputed" was false
    if least == 10:
        assert "any item unanswered gets no score (nothing is prorated)" in text
    else:
        assert f"with {10 - least + 1} or more unanswered, no score" in text
        assert "times 10" in text
    # the authors' rule is cited with the instrument's note
    assert "no more than three of the ten items are missing" in text
    table = sec.tables[0].data.set_index("wave")
    t1 = programme.surveys["mentee_t1"]
    n = t1[list(gse.item_ids)].notna().sum(axis=1).to_numpy()
    want = int(((n >= least) & (n < 10)).sum())
    shown = table.loc["mentees, T1", "prorated"]
    assert (pd.isna(shown) and 0 < want < 5) or shown == want


def test_agreement_leads_with_icc_and_shows_rwg_against_its_null(small):
    # the r_wg columns are those of rwg_null with the seed and shuffles the text names
    from ementor_kit.report.sections.agreement import N_SHUFFLES, SEED, agreement_section
    from ementor_kit.survey import rwg_null

    sec = agreement_section(_ctx(small)).section
    text = " ".join(sec.paragraphs)
    assert text.index("ICC(A,1)") < text.index("r_wg")
    assert f"re-paired at random {N_SHUFFLES} times (seed {SEED})" in text
    assert "usual threshold of agreement" not in sec.tables[0].note
    p = small
    null = rwg_null(
        p.surveys["mentor_t1"],
        p.surveys["mentee_t1"],
        p.pairs,
        "wai",
        n_shuffles=N_SHUFFLES,
        seed=SEED,
    ).summary
    shown = sec.tables[0].data
    ok = shown["pairs"].notna().to_numpy()
    assert ok.any()
    np.testing.assert_allclose(shown.loc[ok, "random pairs: mean r_wg"], null.loc[ok, "null_mean"])
    np.testing.assert_allclose(shown.loc[ok, "p (mean r_wg)"], null.loc[ok, "p_mean"])
    cols = list(shown.columns)
    assert cols.index("ICC(A,1)") < cols.index("mean r_wg")


def test_the_retention_caption_states_its_horizon_and_why_it_stops():
    from ementor_kit import EngagementThresholds, engagement, load_sample, retention
    from ementor_kit.report.sections.engagement import engagement_figures

    s = load_sample()
    for dormant in (60, 90):
        eng = engagement(
            s.interactions, s.pairs, thresholds=EngagementThresholds(dormant_days=dormant)
        )
        caption = engagement_figures(s.interactions, s.pairs, eng)[1].title
        last_week = int(retention(eng).table["week"].max())
        assert f"up to week {last_week}," in caption
        assert f"after {dormant} days without exchange" in caption
        assert f"up to {dormant} days before the assessment" in caption


# --------------------------------------------------------------------------- closure (9)


def _with_closure():
    """The sample with planned ends at week 16 and 12 recorded early closures (rows 0-11:
    6 mentee_left, 5 mentor_left, 1 safeguarding, 30 to 41 days after matching)."""
    p = load_sample()
    pairs = p.pairs.assign(planned_end=p.pairs["matched_on"] + pd.Timedelta(weeks=16))
    pairs["ended_on"] = pd.NaT
    pairs["end_reason"] = None
    for i, r in enumerate(["mentee_left"] * 6 + ["mentor_left"] * 5 + ["safeguarding"]):
        pairs.loc[i, "ended_on"] = pairs.loc[i, "matched_on"] + pd.Timedelta(days=30 + i)
        pairs.loc[i, "end_reason"] = r
    return dataclasses.replace(p, pairs=pairs)


def test_closure_section_counts_reasons_and_incidence_on_the_sample():
    prog = _with_closure()
    ctx = _ctx(prog)
    eng = engagement_section(ctx).engagement
    sec = closure_section(ctx, eng)
    t = eng.table
    n = len(t)
    n_inactive = int((t["end_reason"] == "inactive").sum())
    n_done = int((t["status"] == "completed").sum())
    assert n == 281 and n_done + 12 + n_inactive == n  # every pair has ended by the end
    outcome = sec.tables[0].data.set_index("outcome")["count"]
    assert outcome.to_dict() == {
        "completed": n_done,
        "closed early": 12 + n_inactive,
        "silent, no end recorded": 0,
        "still going": 0,
        "Total": n,
    }
    reasons = sec.tables[1].data.set_index("reason")
    assert reasons.loc["mentee_left", "count"] == 6
    assert reasons.loc["mentor_left", "count"] == 5
    assert reasons.loc["inactive", "count"] == n_inactive
    assert reasons.loc["Total", "count"] == 12 + n_inactive
    # safeguarding (1 pair) is hidden, and 'other' (0) with it so that the Total gives
    # neither back; their incidences are hidden too (incidence x pairs = the count)
    assert pd.isna(reasons.loc["safeguarding", "count"]) and pd.isna(reasons.loc["other", "count"])
    assert reasons[["count", "cumulative_incidence"]].isna().sum().tolist() == [2, 3]
    # no pair leaves observation before its end here (every end is at most 16 weeks after
    # matching, where every planned end is): each incidence is its count over all pairs
    for r, k in (("mentee_left", 6), ("mentor_left", 5), ("inactive", n_inactive)):
        assert reasons.loc[r, "cumulative_incidence"] == pytest.approx(k / n, abs=1e-12)
    ret = retention(eng)
    assert ret.n_ended == reasons.loc["Total", "count"]  # the curve's events
    assert "week 16" in sec.paragraphs[1] and int(ret.table["week"].iloc[-1]) == 16


def test_closure_section_says_why_without_closure_columns(small):
    ctx = _ctx(small)
    sec = closure_section(ctx, engagement_section(ctx).engagement)
    assert sec.id == "closure" and sec.tables == ()
    assert sec.paragraphs[0].startswith("pairs.csv records no planned end")
    assert closure_section(ctx, None).paragraphs[0].startswith("Not available")


def test_closure_section_counts_silent_pairs_as_the_curve_ends_them(small):
    """Without planned ends, a pair silent for more than 90 days is an early end of the curve
    (inactive) though still going for engagement: the section shows it apart."""
    pairs = small.pairs.assign(ended_on=pd.NaT, end_reason=None)
    eng = engagement(small.interactions, pairs, as_of="2027-06-30")
    ctx = _ctx(dataclasses.replace(small, pairs=pairs))
    sec = closure_section(ctx, eng)
    out = sec.tables[0].data.set_index("outcome")["count"]
    silent = int((eng.table["status"] == "dormant").sum())
    assert silent > 0 and out["silent, no end recorded"] == silent
    assert retention(eng).n_ended == silent


def test_pairs_by_status_counts_completed_and_closed_early_pairs(small):
    """With closure columns, 'Pairs by status' lists the ended pairs too, so its rows add up to
    the Total (the rows of pairs.csv): 6 pairs completed and 5 closed early set by hand."""
    pairs = small.pairs.assign(ended_on=pd.NaT, end_reason=None)
    for i in range(6):
        pairs.loc[i, "ended_on"] = pairs.loc[i, "matched_on"] + pd.Timedelta(days=20)
        pairs.loc[i, "end_reason"] = "completed"
    for i in range(6, 11):
        pairs.loc[i, "ended_on"] = pairs.loc[i, "matched_on"] + pd.Timedelta(days=10)
        pairs.loc[i, "end_reason"] = "mentor_left"
    ctx = _ctx(dataclasses.replace(small, pairs=pairs))
    step = engagement_section(ctx)
    t = step.section.tables[0].data.set_index("status")["count"]
    assert t.index.tolist() == [
        "closed_early",
        "dormant",
        "at_risk",
        "needs_check_in",
        "not_started",
        "active",
        "completed",
        "Total",
    ]
    assert (t["completed"], t["closed_early"], t["Total"]) == (6, 5, 40)
    going = step.engagement.table["status"].value_counts()
    assert int(going.drop(["completed", "closed_early"]).sum()) == 40 - 11
    # the section 9 outcomes show the same ended pairs
    out = closure_section(ctx, step.engagement).tables[0].data.set_index("outcome")["count"]
    assert (out["completed"], out["closed early"], out["Total"]) == (6, 5, 40)


def test_pairs_by_status_without_closure_lists_the_five_statuses(small):
    t = engagement_section(_ctx(small)).section.tables[0].data
    assert t["status"].tolist() == [
        "dormant",
        "at_risk",
        "needs_check_in",
        "not_started",
        "active",
        "Total",
    ]


def test_scoring_notes_are_shown_in_the_language_their_file_gives():
    # the rules are catalogue messages; the instruments' notes are their YAML's own texts,
    # kept English in the model and shown in French from the file's French version
    from ementor_kit.report.render import render_html
    from ementor_kit.report.sections.scoring import scoring_section
    from ementor_kit.survey import load_instrument

    programme = generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=5)
    gse = load_instrument("gse")
    sec = scoring_section(_ctx(programme), [gse])
    assert sec.paragraphs[2] == f"GSE: {gse.scoring_note}"  # the model stays English
    fr = sec.in_language("fr").paragraphs
    assert fr[2] == f"GSE : {gse.scoring_note_in('fr')}"
    assert sec.in_language("en").paragraphs == sec.paragraphs
    report = pilot_report(programme, key=KEY, lang="fr")
    html_fr, html_en = render_html(report, "fr"), render_html(report, "en")
    note_fr = gse.scoring_note_in("fr").replace("'", "&#x27;")[:60]
    note_en = gse.scoring_note.replace("'", "&#x27;")[:60]
    assert note_fr in html_fr and note_fr not in html_en
    assert note_en in html_en and note_en not in html_fr
