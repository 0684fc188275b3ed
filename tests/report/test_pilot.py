"""The pilot report: privacy (pseudonyms, suppression), determinism, wiring to the library."""

import base64
import dataclasses
import hashlib
import hmac
import re
import shutil
from html import escape as html_escape
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from ementor_kit import example_intake, generate_programme, load_sample, read_programme, sample_dir
from ementor_kit.data.validation import Programme
from ementor_kit.errors import DataValidationError, EmentorKitError, InvalidArgumentError
from ementor_kit.graph import engagement, goal_progress
from ementor_kit.i18n.text import untranslated
from ementor_kit.matching import MatchRules, match
from ementor_kit.report.pilot import SUPPRESSED, PilotReport, pilot_report
from ementor_kit.survey import compare_waves, dyad_agreement, reliability, score
from ementor_kit.survey.privacy import KEY_ENV_VAR

KEY = "test-key-for-synthetic-data-0001"
OTHER_KEY = "another-study-key-synthetic-0002"
RULES = str(sample_dir() / "rules" / "default.yaml")
IMG = re.compile(r'src="data:image/png;base64,([^"]*)"')


class _Tables(HTMLParser):
    """Every <td>/<th> of the HTML with its class, grouped by table (stdlib parser only)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"name": a.get("data-name"), "cells": []})
        elif tag in ("td", "th") and self.tables:
            self._cell = {"tag": tag, "class": (a.get("class") or "").split(), "text": ""}

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["cells"].append(self._cell)
            self._cell = None


def _parse(html: str) -> list[dict]:
    p = _Tables()
    p.feed(html)
    return p.tables


def _pseudonym(raw_id: str, key: str, prefix: str) -> str:
    """Independent recomputation: HMAC-SHA256 of the id, first 10 hex digits."""
    return prefix + hmac.new(key.encode(), raw_id.encode(), hashlib.sha256).hexdigest()[:10]


@pytest.fixture(scope="module")
def sample() -> Programme:
    return load_sample()


@pytest.fixture(scope="module")
def report(sample) -> PilotReport:
    return pilot_report(sample, RULES, key=KEY)


@pytest.fixture(scope="module")
def html(report) -> str:
    return report.to_html()


@pytest.fixture(scope="module")
def small() -> Programme:
    """A small cohort: many counts fall under the threshold."""
    return generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3)


@pytest.fixture(scope="module")
def small_report(small) -> PilotReport:
    return pilot_report(small, key=KEY)


def _without_images(html: str) -> str:
    return IMG.sub('src=""', html)


# --------------------------------------------------------------------------- privacy


def test_html_has_no_raw_ids_names_or_organisations(sample, html):
    text = _without_images(html)
    assert re.findall(r"[EM]\d{3}", text) == []
    people = pd.concat([sample.mentors, sample.mentees])
    for column in ("display_name", "organisation"):
        leaked = [v for v in sorted(set(people[column])) if v in text]
        assert leaked == [], column


def test_ids_shown_are_keyed_pseudonyms_of_real_participants(sample, report, html):
    check = report.table("list_check_in")
    assert len(check) > 0
    expected_e = {_pseudonym(e, KEY, "e-") for e in sample.pairs["mentee_id"]}
    expected_m = {_pseudonym(m, KEY, "m-") for m in sample.pairs["mentor_id"]}
    assert set(check["mentee"]) <= expected_e and set(check["mentor"]) <= expected_m
    # the list is exactly the pairs engagement flags, pseudonymised
    eng = engagement(
        sample.interactions,
        sample.pairs,
        goal_progress=goal_progress(
            sample.goals,
            sample.goal_updates,
            sample.pairs,
            as_of=sample.interactions["timestamp"].max(),
        ),
    ).table
    flagged = eng[eng["needs_action"]]
    want = {
        (_pseudonym(e, KEY, "e-"), _pseudonym(m, KEY, "m-"))
        for e, m in zip(flagged["mentee_id"], flagged["mentor_id"], strict=True)
    }
    assert set(zip(check["mentee"], check["mentor"], strict=True)) == want
    assert all(p in html for p in check["mentee"])


def _count_cells(html: str) -> list[str]:
    return [c["text"] for t in _parse(html) for c in t["cells"] if "count" in c["class"]]


@pytest.mark.parametrize("which", ["report", "small_report"])
def test_no_count_cell_under_the_threshold(which, request):
    rep = request.getfixturevalue(which)
    k = rep.settings["k"]
    cells = _count_cells(rep.to_html())
    assert len(cells) > 20
    for text in cells:
        assert text == SUPPRESSED or int(text) == 0 or int(text) >= k, text
    # the same holds for the tables of the report object
    for name, table in rep.tables.items():
        for col in table.counts:
            v = table.data[col].dropna().astype(int)
            assert ((v == 0) | (v >= k)).all(), (name, col)


def test_small_counts_are_hidden_not_dropped(small, small_report):
    """Raw counts under k exist in the small cohort, and the report hides exactly those."""
    k = small_report.settings["k"]
    as_of = small.interactions["timestamp"].max()
    gp = goal_progress(small.goals, small.goal_updates, small.pairs, as_of=as_of)
    eng = engagement(small.interactions, small.pairs, as_of=as_of, goal_progress=gp).table
    raw = eng["status"].value_counts()
    shown = small_report.table("engagement_status").set_index("status")["count"]
    small_ones = [s for s, n in raw.items() if 0 < n < k]
    assert small_ones, "the fixture should have small status counts"
    for status, n in raw.items():
        if 0 < n < k:
            assert pd.isna(shown[status])
        elif not pd.isna(shown[status]):
            assert shown[status] == n
    assert shown["Total"] == len(eng)
    # secondary suppression: a hidden cell cannot be recovered from the total
    hidden = shown.drop("Total").isna()
    assert hidden.sum() != 1
    assert SUPPRESSED in _count_cells(small_report.to_html())


def test_no_dyad_level_values(report):
    """Pair-level survey values never appear: agreement is reported over pairs only."""
    agreement = report.table("agreement")
    assert len(agreement) == 4  # one row per WAI-SR subscale, not per pair
    names = {n for n in report.tables}
    assert not any("per_pair" in n for n in names)


def test_self_contained_no_external_requests(html):
    lower = html.lower()
    for bad in ("<script", "<link", "@import", "url(", "<iframe", 'src="http', 'href="http'):
        assert bad not in lower
    images = IMG.findall(html)
    assert len(images) >= 3
    assert len(re.findall(r"<img ", html)) == len(images)
    for data in images:
        png = base64.b64decode(data)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert b"Software" not in png and b"matplotlib" not in png


def test_refuses_without_a_key(small, monkeypatch):
    monkeypatch.delenv(KEY_ENV_VAR, raising=False)
    with pytest.raises(EmentorKitError, match="secret key"):
        pilot_report(small)
    with pytest.raises(EmentorKitError, match="at least 16"):
        pilot_report(small, key="short")


# --------------------------------------------------------------------------- determinism


def test_same_inputs_and_key_give_byte_identical_html(small, small_report, tmp_path, monkeypatch):
    """Built again (key from the environment this time): the same bytes."""
    monkeypatch.setenv(KEY_ENV_VAR, KEY)
    again = pilot_report(small)
    path = tmp_path / "out" / "report.html"
    text = again.to_html(path)
    assert text == small_report.to_html()
    assert path.read_bytes() == small_report.to_html().encode("utf-8")


def test_different_key_gives_different_pseudonyms_same_aggregates(small, small_report):
    other = pilot_report(small, key=OTHER_KEY)
    a, b = small_report.table("list_check_in"), other.table("list_check_in")
    assert len(a) == len(b) > 0
    assert not set(a["mentee"]) & set(b["mentee"])
    assert not set(a["mentor"]) & set(b["mentor"])
    for name in ("engagement_status", "pairing_coverage", "reliability", "prepost", "left_out"):
        pd.testing.assert_frame_equal(small_report.table(name), other.table(name))
    assert other.provenance == small_report.provenance  # the key is not an input
    assert other.key_fingerprint != small_report.key_fingerprint
    assert other.key_fingerprint not in small_report.to_html()


def test_provenance_follows_inputs_and_settings(small, small_report):
    strict = str(sample_dir() / "rules" / "strict.yaml")
    assert pilot_report(small, strict, key=KEY).provenance != small_report.provenance
    html = small_report.to_html()
    assert small_report.provenance in html and f"ementor-kit {small_report.version}" in html


# --------------------------------------------------------------------------- wiring


def test_pairing_section_matches_the_engine(sample, report):
    s = match(sample.mentors, sample.mentees, RULES).summary()
    solver = report.table("pairing_solver").set_index("item")["value"]
    assert solver["status"] == s.status and solver["solver"] == s.solver
    assert float(solver["objective value"]) == pytest.approx(s.objective_value, abs=1e-4)
    assert solver["proven optimal"] == ("yes" if s.proven_optimal else "no")
    cov = report.table("pairing_coverage").set_index("group")
    assert cov.loc["Total", "paired"] == s.n_pairs
    assert cov.loc["Total", "Total"] == s.n_mentees


def test_reliability_and_effects_match_the_library(sample, report):
    rel = report.table("reliability")
    gse_t0 = rel[(rel["wave"] == "mentees, T0") & (rel["instrument"] == "GSE")].iloc[0]
    lib = reliability(sample.surveys["mentee_t0"], "gse").scales.iloc[0]
    assert gse_t0["alpha"] == pytest.approx(lib["alpha"])
    assert gse_t0["omega total"] == pytest.approx(lib["omega_total"])
    assert gse_t0["n"] == lib["n"]
    eff = report.table("prepost").iloc[0]
    cw = compare_waves(sample.surveys["mentee_t0"], sample.surveys["mentee_t1"], "gse")
    lib_e = cw.effects.iloc[0]
    for col, lib_col in [("d_z", "d_z"), ("d_av", "d_av"), ("g_av", "g_av"), ("CI low", "ci_low")]:
        assert eff[col] == pytest.approx(lib_e[lib_col])
    assert eff["pairs"] == lib_e["n_pairs"]
    ag = report.table("agreement").set_index("subscale")
    da = dyad_agreement(
        sample.surveys["mentor_t1"], sample.surveys["mentee_t1"], sample.pairs, "wai"
    ).summary.set_index("subscale")
    assert ag.loc["Bond", "ICC(A,1)"] == pytest.approx(da.loc["bond", "icc_a1"])


def test_regression_matches_an_independent_least_squares_fit(sample, report):
    """Rebuild the data by hand (link, merge) and fit with numpy.linalg.lstsq."""
    t1 = sample.surveys["mentee_t1"].reset_index(drop=True)
    pairs = sample.pairs
    only = pairs.groupby("mentee_id")["mentor_id"].agg(list)
    known = set(zip(pairs["mentee_id"], pairs["mentor_id"], strict=True))
    mentor = []
    for e, t in zip(t1["respondent_id"], t1["target_id"], strict=True):
        if isinstance(t, str):
            mentor.append(t if (e, t) in known else None)
        else:
            ms = only.get(e, [])
            mentor.append(ms[0] if len(ms) == 1 else None)
    wai = score(t1, "wai", keep=[])["wai_total"]
    data = pd.DataFrame({"mentee_id": t1["respondent_id"], "mentor_id": mentor, "y": wai})
    data = data.dropna(subset=["mentor_id"])
    eng = engagement(sample.interactions, sample.pairs).table
    data = data.merge(eng, on=["mentee_id", "mentor_id"])
    x = np.column_stack(
        [
            np.ones(len(data)),
            data["sync_share"],
            np.log(1 + data["n_exchanges"].astype(float)),
            data["median_response_hours"],
        ]
    )
    ok = ~np.isnan(x).any(axis=1) & data["y"].notna().to_numpy()
    beta = np.linalg.lstsq(x[ok], data["y"].to_numpy()[ok], rcond=None)[0]
    coef = report.table("regression")["coefficient"].to_numpy()
    np.testing.assert_allclose(coef, beta, rtol=1e-9)
    assert report.table("regression_fit")["n"].iloc[0] == ok.sum()
    assert "observational" in report.to_html() and "reverse causality" in report.to_html()


def test_left_out_ledger_adds_up(sample, report):
    led = report.table("left_out")
    for stage, rows in led.groupby("stage", sort=False):
        total = rows.loc[rows["what"] == "Total", "count"].iloc[0]
        parts = rows.loc[rows["what"] != "Total", "count"]
        if parts.notna().all():
            assert parts.sum() == total, stage
    log = led[led["stage"].str.startswith("exchange log")].set_index("what")["count"]
    assert log["Total"] == len(sample.interactions)


# --------------------------------------------------------------------------- edge cases


def test_programme_before_matching_and_surveys(small):
    prog = Programme(mentors=small.mentors, mentees=small.mentees)
    rep = pilot_report(prog, key=KEY)
    html = rep.to_html()
    assert "Not available" in html
    assert rep.table("pairing_coverage").set_index("group").loc["Total", "Total"] == 40
    assert re.findall(r"[EM]\d{3}", _without_images(html)) == []


def test_aggregates_only_without_pair_lists(small, small_report):
    rep = pilot_report(small, key=KEY, pair_lists=False)
    assert rep.provenance != small_report.provenance  # settings are part of the hash
    html = rep.to_html()
    assert "list_check_in" not in rep.tables and "<details>" not in html
    assert re.findall(r"\b[em]-[0-9a-f]{10}\b", _without_images(html)) == []


def test_rules_named_and_sharing_caveat_at_the_top(small, small_report, report, html):
    # no rules given: "default pairing rules", never "(unnamed)"
    small_html = small_report.to_html()
    assert small_report.settings["rules"] == "default pairing rules"
    assert "default pairing rules ·" in small_html and "unnamed" not in small_html
    solver = small_report.table("pairing_solver").set_index("item")
    assert solver.loc["rules", "value"] == "default pairing rules"
    # a rules file: its name
    assert report.settings["rules"] == "default" and "pairing rules &#x27;default&#x27;" in html
    # unnamed rules that are not the defaults are not called default
    from ementor_kit.matching import MatchRules

    assert MatchRules().name == ""
    custom = pilot_report(small, {"objective": "score"}, key=KEY)
    assert custom.settings["rules"] == "unnamed pairing rules"
    # the cross-table caveat is a visible note inside the header, before the contents
    head = small_html[: small_html.index("<nav>")]
    assert 'class="caveat" id="before-sharing"' in head
    assert "from other tables" in head and "Files read" in head and "df = pairs - 1" in head
    assert "Coverage is shown only where both its counts are." not in small_html
    assert "shown only where both counts are shown" in small_html
    # the rule the note states holds: coverage only where paired and Total are both shown
    cov = small_report.table("pairing_coverage")
    shown = cov["paired"].notna() & cov["Total"].notna()
    assert cov["coverage"].notna().tolist() == shown.tolist()


def test_bad_settings_are_refused(small, small_report):
    with pytest.raises(InvalidArgumentError, match="argument 'k': 0 is not accepted"):
        pilot_report(small, key=KEY, k=0)
    with pytest.raises(EmentorKitError, match="alliance_outcome"):
        pilot_report(small, key=KEY, alliance_outcome="trust")
    with pytest.raises(DataValidationError, match="neither a built-in instrument"):
        pilot_report(small, key=KEY, instruments=["nope"])
    with pytest.raises(KeyError, match="no table 'nope'"):
        small_report.table("nope")


def test_engagement_outcome_data_accounts_for_every_response():
    from ementor_kit.report import engagement_outcome_data

    items = [f"wai_{i}" for i in range(1, 13)]
    rows = [
        ("E1", "M1", [4] * 12),  # used
        ("E2", None, [3] * 12),  # only mentor M1, no exchange
        ("E3", "M2", [5] * 12),  # pair without a reply
        ("E4", "M9", [4] * 12),  # not a pair
        ("E5", None, [4] * 12),  # no pair at all
        ("E6", "M2", [None] * 12),  # too few items
        ("E7", "M2", [2] * 12),  # answered twice for the same pair
        ("E7", "M2", [3] * 12),
    ]
    resp = pd.DataFrame(
        [[e, m, *v] for e, m, v in rows], columns=["respondent_id", "target_id", *items]
    )
    pairs = pd.DataFrame(
        {
            "mentee_id": ["E1", "E2", "E3", "E4", "E6", "E7"],
            "mentor_id": ["M1", "M1", "M2", "M1", "M2", "M2"],
        }
    )
    eng = pairs.assign(
        n_exchanges=[9, 0, 1, 4, 3, 5],
        sync_share=[0.5, np.nan, 0.0, 0.25, 0.0, 0.2],
        median_response_hours=[6.0, np.nan, np.nan, 3.0, 2.0, 1.0],
    )
    out = engagement_outcome_data(resp, pairs, eng)
    assert len(out) == len(resp)
    assert out["left_out"].tolist() == [
        "",
        "pair without any exchange",
        "pair without a reply (no response time)",
        "not linked to a pair in force: not a pair",
        "not linked to a pair in force: no pair",
        "no score (too few items)",
        "not linked to a pair in force: duplicate",
        "not linked to a pair in force: duplicate",
    ]
    used = out[out["left_out"] == ""].iloc[0]
    assert (used["mentee_id"], used["mentor_id"], used["outcome"]) == ("E1", "M1", 4.0)
    assert used["log_exchanges"] == pytest.approx(np.log(10))


def test_a_declared_programme_is_reported_with_its_own_rules_and_no_identifiers(tmp_path):
    """A raw intake export read through its programme.yaml: no cohort, no group, no pairs."""
    shutil.copytree(example_intake(), tmp_path / "p")
    prog = read_programme(tmp_path / "p")
    rep = pilot_report(prog, key=KEY)
    html = rep.to_html()
    want = match(prog.mentors, prog.mentees, prog.spec)
    coverage = rep.table("pairing_coverage").set_index("group")
    assert coverage.loc["Total", "paired"] == len(want.pairs) == len(prog.mentees)
    # the hard rules of programme.yaml are named in the text
    (pairing,) = [s for s in rep.sections if s.id == "pairing"]
    text = " ".join(pairing.paragraphs)
    assert "Rules 'programme.yaml'" in text
    assert "require_shared languages" in text and "forbid_same organisation" in text
    # names, e-mail addresses (the mentors' ids here) and student numbers never reach it
    people = pd.concat([prog.mentors, prog.mentees])
    for column in ("mentor_id", "mentee_id", "name", "email"):
        for value in people[column].dropna():
            assert str(value) not in html, (column, value)
    assert "@" not in html


# --------------------------------------------------------------------------- hardening (issue 12)


def test_check_in_list_shows_rule_categories_never_goal_ids(small):
    """Goal ids naming their mentee (E003-1) must not reach the report: the list shows the rule."""
    n = small.goals.groupby("mentee_id").cumcount() + 1
    ids = small.goals["mentee_id"] + "-" + n.astype(str)
    new_ids = dict(zip(small.goals["goal_id"], ids, strict=True))
    prog = dataclasses.replace(
        small,
        goals=small.goals.assign(goal_id=small.goals["goal_id"].map(new_ids)),
        goal_updates=small.goal_updates.assign(goal_id=small.goal_updates["goal_id"].map(new_ids)),
    )
    rep = pilot_report(prog, key=KEY)
    listed = rep.table("list_check_in")
    assert list(listed.columns) == ["mentee", "mentor", "status", "rule"]
    # every rule is one of the categories the table of rules counts, without the pair's numbers
    rules = rep.table("check_in_rules")["status: rule"]
    categories = {r.split(": ", 1)[1] for r in rules if r != "Total"}
    assert set(listed["rule"]) <= categories
    assert "a goal without progress for more than 21 days" in set(listed["rule"])
    text = _without_images(rep.to_html())
    assert re.findall(r"[EMG]\d{3,4}", text) == []
    assert not re.search(r"\d+\.\d days", text)  # no pair's own number of days


def test_unpaired_list_shows_the_reason_category_not_the_rules_that_excluded_mentors(sample):
    strict = str(sample_dir() / "rules" / "strict.yaml")
    rep = pilot_report(sample, strict, key=KEY)
    listed = rep.table("list_unpaired")
    assert list(listed.columns) == ["mentee", "reason"]
    assert set(listed["reason"]) == {
        "every mentor they could have is full",
        "no mentor passes the hard rules",
    }
    html = rep.to_html()
    assert "excludes" not in html and "feasible mentor(s)" not in html


def test_k_must_hide_at_least_the_count_of_one(small):
    with pytest.raises(InvalidArgumentError) as info:
        pilot_report(small, key=KEY, k=1)
    message = str(info.value)
    assert info.value.argument == "k" and info.value.value == 1
    assert message.startswith("argument 'k': 1 is not accepted")
    assert "at least 2" in message and ". Fix: " in message


def _stage(report, stage):
    led = report.table("left_out")
    rows = led[led["stage"] == stage]
    return dict(zip(rows["what"], rows["count"], strict=True))


def _hidden_alone(counts, names):
    """Exactly one of the cells hidden: a sum published elsewhere gives it back."""
    return sum(pd.isna(counts[n]) for n in names) == 1


def test_the_sample_report_gives_no_hidden_count_back_across_its_tables(report):
    """The regression stage hid 'no pair' (5) to protect 'pair without any exchange' (4), but the
    agreement stage shows the same 5 responses: 217 - 195 - 7 - 6 - 5 = 4."""
    reg = _stage(report, "engagement and outcomes (mentee T1 responses)")
    agr = _stage(report, "WAI-SR agreement (T1, both sides)")
    for what, n in reg.items():
        if what.startswith("not linked to a pair in force: "):
            same = agr["mentee responses: " + what.split(": ", 1)[1]]
            assert pd.isna(n) == pd.isna(same) and (pd.isna(n) or n == same), what
    parts = [w for w in reg if w != "Total"]
    unknown = [w for w in parts if pd.isna(reg[w])]
    linked = [w for w in unknown if not w.startswith("not linked")]
    assert len(unknown) != 1 and len(linked) != 1
    assert reg["in the model"] == report.table("regression_fit")["n"].iloc[0] == 195


def test_a_larger_k_gives_no_hidden_count_back_through_files_read(sample):
    """k = 10: 'Files read' shows 283 T0 and 217 T1 responses; a stage hiding one cell of a sum
    of those gives it back (283 - 197 - 78 = 8 answered both waves with too few items)."""
    rep = pilot_report(sample, RULES, key=KEY, k=10)
    gse = _stage(rep, "GSE T0 -> T1 (mentees)")
    both = "answered both waves, scored in both"
    few = "answered both waves, too few items in one"
    assert not _hidden_alone(gse, [both, few, "answered T0 only (dropped out)"])
    assert not _hidden_alone(gse, [both, few, "answered T1 only"])
    assert gse[both] == rep.table("prepost")["pairs"].iloc[0] == 197  # kept: it is the n
    agr = _stage(rep, "WAI-SR agreement (T1, both sides)")
    for side in ("mentee", "mentor"):
        assert not _hidden_alone(agr, [w for w in agr if w.startswith(side)]), side


@pytest.fixture(scope="module")
def wai_at_t0(small) -> Programme:
    """The small cohort with the WAI-SR at T0 too; two mentees of both waves skip the task items
    at T0: the task subscale's pairs are then hidden (it would give away those two)."""
    rng = np.random.default_rng(7)
    t0 = small.surveys["mentee_t0"].copy()
    items = [f"wai_{i}" for i in range(1, 13)]
    for item in items:
        t0[item] = rng.integers(1, 6, len(t0)).astype(float)
    both = sorted(set(t0["respondent_id"]) & set(small.surveys["mentee_t1"]["respondent_id"]))
    skip = t0["respondent_id"].isin(both[:2])
    t0.loc[skip, ["wai_1", "wai_2", "wai_10", "wai_12"]] = np.nan
    return dataclasses.replace(small, surveys={**small.surveys, "mentee_t0": t0})


def test_a_hidden_pairs_count_hides_df_and_the_statistics_that_give_it_back(wai_at_t0):
    rep = pilot_report(wai_at_t0, key=KEY, instruments=["gse", "wai"])
    eff = rep.table("prepost").set_index(["instrument", "subscale"])
    task = eff.loc[("WAI-SR", "Task agreement")]
    assert pd.isna(task["pairs"])
    # df = pairs - 1, t = d_z * sqrt(pairs), p and the interval follow from t and df, and
    # g_av / d_av is Hedges' J(df): each gives the hidden count back
    for col in ("df", "t", "p", "CI low", "CI high", "g_av"):
        assert pd.isna(task[col]), col
    for col in ("mean T0", "mean T1", "difference", "d_z", "d_av"):
        assert not pd.isna(task[col]), col
    shown = eff.loc[("WAI-SR", "Bond")]
    assert shown["df"] == shown["pairs"] - 1 and not pd.isna(shown["t"])


def test_the_audit_refuses_a_report_that_would_give_a_hidden_count_back(wai_at_t0, monkeypatch):
    from ementor_kit.report import DisclosureError
    from ementor_kit.report.sections import prepost

    # without the rule that hides df beside a hidden n, the report would show df = pairs - 1
    monkeypatch.setattr(prepost, "_without_what_gives_n_back", lambda table: table)
    with pytest.raises(DisclosureError) as info:
        pilot_report(wai_at_t0, key=KEY, instruments=["gse", "wai"])
    err = info.value
    assert isinstance(err, EmentorKitError)
    assert (err.table, err.row, err.column) == ("prepost", ("WAI-SR", "Task agreement"), "pairs")
    assert "df = pairs - 1" in str(err)


def test_the_audit_refuses_a_ledger_protected_one_stage_at_a_time(sample, monkeypatch):
    from ementor_kit.report import DisclosureError, pilot
    from ementor_kit.report._context import LedgerEntry, ReportContext
    from ementor_kit.report._suppression import count_list

    def one_stage_at_a_time(self, stage, values, **_):
        return LedgerEntry(stage, count_list(values, self.k, "what"))

    # each stage protected against its own total only, and no last pass over the report
    monkeypatch.setattr(ReportContext, "left_out", one_stage_at_a_time)
    monkeypatch.setattr(pilot, "_settled", lambda sections, relations: tuple(sections))
    with pytest.raises(DisclosureError) as info:
        pilot_report(sample, RULES, key=KEY)
    err = info.value
    assert err.table == "left_out"
    assert err.row[0] == "engagement and outcomes (mentee T1 responses)"


def test_a_small_cohort_hides_what_files_read_would_give_back():
    """25 mentees and 24 pairs (one each) in 'Files read' give the mentee without a pair away,
    whatever 'Mentees by declared group' hides: the report hides the number of pairs too."""
    prog = generate_programme(n_mentees=25, n_mentors=9, weeks=6, seed=1)
    assert (len(prog.mentees), len(prog.pairs)) == (25, 24) and prog.pairs["mentee_id"].is_unique
    rep = pilot_report(prog, key=KEY)  # the audit passes
    files = rep.table("files").set_index("file")["rows"]
    groups = rep.table("mentees_by_group").set_index("group")
    assert files["mentees.csv"] == 25 and pd.isna(files["pairs.csv"])
    assert pd.isna(groups.loc["Total", "with a pair"]) and pd.isna(
        groups.loc["Total", "without a pair"]
    )
    assert pd.isna(rep.table("engagement_status").set_index("status").loc["Total", "count"])


# --------------------------------------------------------------------------- languages


def _with_closures(sample: Programme) -> Programme:
    """The sample with planned ends, a few early closures and closure answers (as notebook 05)."""
    pairs = sample.pairs.assign(
        planned_end=sample.pairs["matched_on"] + pd.Timedelta(weeks=16),
        ended_on=pd.NaT,
        end_reason=None,
    )
    for i, reason in enumerate(["mentee_left"] * 6 + ["mentor_left"] * 5 + ["safeguarding"]):
        pairs.loc[i, "ended_on"] = pairs.loc[i, "matched_on"] + pd.Timedelta(days=30 + i)
        pairs.loc[i, "end_reason"] = reason

    def answers(ids: str, role: str, n: int) -> pd.DataFrame:
        rows = pairs.head(n)
        return pd.DataFrame(
            {
                "response_id": [f"C{role[1]}{i:03d}" for i in range(n)],
                "respondent_id": rows[ids].to_numpy(),
                "rater_role": role,
                "submitted_at": pd.Timestamp("2027-01-08", tz="UTC"),
                "target_id": rows["mentor_id" if role == "mentee" else "mentee_id"].to_numpy(),
                "close_reason": rows["end_reason"].fillna("completed").to_numpy(),
                **{f"closure_{k}": [1 + (i * k + 3) % 5 for i in range(n)] for k in range(1, 5)},
            }
        )

    closure = pd.concat([answers("mentee_id", "mentee", 60), answers("mentor_id", "mentor", 30)])
    surveys = {**sample.surveys, "closure": closure}
    return dataclasses.replace(sample, pairs=pairs, surveys=surveys)


@pytest.fixture(scope="module")
def report_fr(sample) -> PilotReport:
    return pilot_report(_with_closures(sample), RULES, key=KEY, lang="fr")


def _text_columns(data: pd.DataFrame, table) -> list[str]:
    return [
        c
        for c in data.columns
        if c not in table.counts and not pd.api.types.is_numeric_dtype(data[c])
    ]


def test_french_tables_keep_columns_numbers_and_codes(report_fr):
    from ementor_kit.report.render import _CODE_COLUMNS

    assert report_fr.lang == "fr"
    for name, table in report_fr.tables.items():
        en, fr = table.data, report_fr.table(name)
        assert list(fr.columns) == list(en.columns) and fr.index.equals(en.index), name
        assert dict(fr.dtypes) == dict(en.dtypes), name
        for col in en.columns:
            if col not in _text_columns(en, table):
                assert fr[col].equals(en[col]), (name, col)
            elif (name, col) in _CODE_COLUMNS:
                # a code stays; after it, the rule a code names is translated ("at_risk : ...")
                kept = [str(v).split(": ")[0] for v in en[col]]
                assert [str(v).split(" : ")[0] for v in fr[col]] == kept, (name, col)
    outcome = report_fr.table("closure_outcome")
    assert outcome["count"].tolist() == report_fr.tables["closure_outcome"].data["count"].tolist()
    assert (
        report_fr.table("engagement_status")["status"]
        .iloc[:-1]
        .isin(
            [
                "closed_early",
                "dormant",
                "at_risk",
                "needs_check_in",
                "not_started",
                "active",
                "completed",
            ]
        )
        .all()
    )
    reasons = report_fr.table("closure_survey_reasons")["reason"].tolist()
    assert reasons[:2] == ["completed", "programme_ended"] and reasons[-1] == "Total"
    assert set(report_fr.table("closure_survey_scores")["side"]) == {"mentee", "mentor"}
    assert report_fr.table("check_in_rules")["status: rule"].iloc[0].startswith("closed_early : ")


def test_french_tables_have_no_english_left(sample, report_fr):
    from ementor_kit.report.render import _CODE_COLUMNS

    data = {report_fr.settings["rules"], *sample.mentees["group"].dropna().astype(str)}
    left = []
    for name, table in report_fr.tables.items():
        fr = report_fr.table(name)
        for col in _text_columns(table.data, table):
            if (name, col) in _CODE_COLUMNS:
                continue
            for en_cell, fr_cell in zip(table.data[col], fr[col], strict=True):
                if isinstance(en_cell, str) and en_cell not in data and untranslated(en_cell):
                    left.append((name, col, en_cell, fr_cell))
    assert left == []
    assert report_fr.table("closure_outcome")["outcome"].tolist() == [
        "terminé",
        "clos avant le terme",
        "silencieux, sans fin enregistrée",
        "toujours en cours",
        "Total",
    ]
    scores = report_fr.table("closure_survey_scores")["score"]
    assert scores.iloc[0] == "Ce que le mentorat a permis"
    assert "Would recommend the programme" not in set(scores)


def test_french_tables_show_what_the_french_html_shows(report_fr):
    from ementor_kit.report.render import _CODE_COLUMNS

    html = {t["name"]: t for t in _parse(report_fr.to_html())}
    for name, table in report_fr.tables.items():
        fr = report_fr.table(name)
        cells = [c["text"] for c in html[name]["cells"] if c["tag"] == "td"]
        shown = pd.DataFrame(
            np.array(cells, dtype=object).reshape(len(fr), len(fr.columns)), columns=fr.columns
        )
        for col in _text_columns(table.data, table):
            if (name, col) not in _CODE_COLUMNS:
                assert fr[col].fillna("–").tolist() == shown[col].tolist(), (name, col)
    first = next(c for c in html["closure_outcome"]["cells"] if c["tag"] == "td")
    assert first["text"] == "terminé" == report_fr.table("closure_outcome")["outcome"].iloc[0]


def test_french_section_has_no_english_left_and_english_is_the_model(report_fr):
    closure = report_fr.section("closure")
    model = next(s for s in report_fr.sections if s.id == "closure")
    assert closure.title == "9. Comment les binômes ont pris fin"
    assert len(closure.paragraphs) == len(model.paragraphs) == 3
    for en, fr in zip(model.paragraphs, closure.paragraphs, strict=True):
        assert untranslated(en) == [] and fr != en
        assert re.findall(r"\d+", fr.replace("\u202f", "")) == re.findall(r"\d+", en), fr
    for text in closure.paragraphs:
        assert f"<p>{html_escape(text)}</p>" in report_fr.to_html()
    assert [t.name for t in closure.tables] == [t.name for t in model.tables]
    assert closure.tables[0].data.equals(report_fr.table("closure_outcome"))
    assert all(untranslated(t.title) == [] and untranslated(t.note) == [] for t in model.tables)
    english = report_fr.section("closure", lang="en")
    assert english is model and english.title == "9. How pairs ended"
    with pytest.raises(EmentorKitError, match="no section 'ends'"):
        report_fr.section("ends")


def test_the_french_report_gives_the_rules_description_the_file_has_in_french(report_fr):
    rules = MatchRules.from_yaml(RULES)
    first = report_fr.section("pairing").paragraphs[0]
    assert first == f"Règles « default » : {rules.description_in('fr')}"
    assert report_fr.section("pairing", lang="en").paragraphs[0].endswith(rules.description)
    assert html_escape(rules.description_in("fr")) in report_fr.to_html()
    assert rules.description not in report_fr.to_html()


def test_english_tables_and_sections_are_unchanged(report):
    assert report.lang == "en"
    for name, table in report.tables.items():
        assert report.table(name).equals(table.data) and report.table(name) is not table.data
        assert report.table(name, lang="en").equals(table.data)
    assert all(report.section(s.id) is s for s in report.sections)


def test_tables_read_in_the_report_language_by_default(report):
    from ementor_kit.i18n import set_language

    set_language("fr")
    try:
        # a report made in English reads English; asked for French it reads French
        assert report.table("engagement_measures")["measure"].iloc[0] == "exchanges per pair"
        assert report.table("engagement_measures", "fr")["measure"].iloc[0] == (
            "échanges par binôme"
        )
        # a section on its own reads the process language
        sec = next(s for s in report.sections if s.id == "engagement")
        assert sec.in_language().title == report.section("engagement", "fr").title
        assert sec.in_language().title != sec.title
    finally:
        set_language(None)
