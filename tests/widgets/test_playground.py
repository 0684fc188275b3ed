"""The match playground without a browser: set widget values, read what it shows.

Every expectation comes from an independent call of ``match()`` with the rules the controls
stand for (and is formatted here, not by the playground).
"""

from __future__ import annotations

import html
import re
import shutil

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from ementor_kit import example_intake, read_programme
from ementor_kit.errors import EmentorKitError
from ementor_kit.matching import MatchRules, match
from ementor_kit.widgets import MatchPlayground, playground, playground_compare

_COMMON = {
    "region": "Bretagne",
    "utc_offset": "1",
    "digital_comfort": "4",
    "availability_hours": "2",
    "modality": "sync",
    "cohort": "2026-A",
}


def _mentor(mid, languages, domain, skills, goals, years, org, dept, capacity):
    return {
        "mentor_id": mid,
        "display_name": f"Mentor {mid}",
        "languages": languages,
        "domain": domain,
        "skills_offered": skills,
        "goals": goals,
        "years_experience": years,
        "organisation": org,
        "department": dept,
        "capacity": capacity,
        "group": "",
        **_COMMON,
    }


def _mentee(eid, languages, domain, skills, goals, org, dept, group):
    return {
        "mentee_id": eid,
        "display_name": f"Mentee {eid}",
        "languages": languages,
        "domain": domain,
        "skills_sought": skills,
        "goals": goals,
        "career_stage": "etudiant",
        "years_experience": "1",
        "organisation": org,
        "department": dept,
        "group": group,
        **_COMMON,
    }


# Six places for six mentees. E004 speaks only Spanish, which no mentor does: unpaired while
# the shared-language rule holds. E002 works in the same department as M002.
MENTORS = pd.DataFrame(
    [
        _mentor(
            "M001", "fr;en", "sante", "cv_lettre;entretien", "job_search", "20", "CHU", "RH", "2"
        ),
        _mentor(
            "M002",
            "fr",
            "numerique",
            "leadership;numerique_outils",
            "skills;network",
            "15",
            "Acme",
            "IT",
            "2",
        ),
        _mentor(
            "M003",
            "en",
            "commerce",
            "negociation;cv_lettre",
            "job_search;network",
            "10",
            "Shop",
            "Sales",
            "2",
        ),
    ]
)
MENTEES = pd.DataFrame(
    [
        _mentee("E001", "fr", "sante", "cv_lettre", "job_search", "Univ", "Bio", "qpv"),
        _mentee("E002", "fr", "numerique", "leadership", "skills", "Acme", "IT", "non_qpv"),
        _mentee("E003", "en", "commerce", "negociation", "network", "Lycee", "A", "qpv"),
        _mentee("E004", "es", "sante", "entretien", "job_search", "Univ", "Bio", ""),
        _mentee(
            "E005",
            "fr;en",
            "education",
            "cv_lettre;leadership",
            "network",
            "Univ",
            "Edu",
            "non_qpv",
        ),
        _mentee("E006", "fr;en", "finance", "negociation", "skills", "Bank", "Ops", ""),
    ]
)
RULES = MatchRules(weights={"skills": 3, "goals": 2, "domain": 1})


@pytest.fixture()
def pg(tmp_path):
    return MatchPlayground(MENTORS, MENTEES, RULES, output_dir=tmp_path / "outputs")


def _shown(pg: MatchPlayground, css: str) -> str:
    m = re.search(rf"class='{css}'[^>]*>([^<]*)<", pg.summary_html.value)
    assert m, f"{css} not in the summary"
    return m.group(1)


def _check_matches(pg: MatchPlayground, rules: MatchRules) -> None:
    """The playground's state and summary are exactly ``match()`` for ``rules``."""
    expected = match(MENTORS, MENTEES, rules)
    assert pg.last_rules == rules
    assert pg.error is None
    assert_frame_equal(pg.last_result.pairs, expected.pairs)
    assert_frame_equal(pg.last_result.unmatched, expected.unmatched)
    s = expected.summary()
    assert _shown(pg, "ek-coverage") == (
        f"{s.n_pairs} / {s.n_mentees} ({100 * s.n_pairs / s.n_mentees:.1f}%)"
    )
    assert _shown(pg, "ek-score-mean") == f"{expected.pairs['score'].mean():.1f}"
    assert _shown(pg, "ek-score-min") == f"{expected.pairs['score'].min():.1f}"
    assert _shown(pg, "ek-provenance") == expected.provenance
    groups = dict(re.findall(r"data-group='([^']*)'>([^<]*)<", pg.summary_html.value))
    assert groups == {g: f"{100 * c:.1f}%" for g, c in s.group_coverage.items()}


def test_starts_solved_with_the_given_rules(pg):
    assert pg.solve_count == 1
    assert {c: s.value for c, s in pg.weight_sliders.items()} == dict(RULES.weights)
    assert all(s.continuous_update is False for s in pg.weight_sliders.values())
    assert pg.min_score_slider.continuous_update is False
    _check_matches(pg, RULES)
    assert pg.last_result.summary().group_coverage == {
        "(not declared)": 0.5,
        "non_qpv": 1.0,
        "qpv": 1.0,
    }


@pytest.mark.parametrize(
    ("criterion", "value"), [("skills", 0.0), ("domain", 4.0), ("timezone", 2.5)]
)
def test_slider_release_resolves_to_what_match_gives(pg, criterion, value):
    before = pg.last_result.provenance
    pg.weight_sliders[criterion].value = value
    assert pg.solve_count == 2
    assert pg.last_result.provenance != before
    _check_matches(pg, RULES.replace(weights={**RULES.weights, criterion: value}))


def test_slider_value_is_rounded_to_its_step(pg):
    pg.weight_sliders["goals"].value = 1.1 + 2.2  # 3.3000000000000003 in floating point
    assert pg.last_rules.weights["goals"] == 3.3


def test_shared_language_toggle_changes_the_unmatched_list(pg):
    un = pg.last_result.unmatched.set_index("person_id")
    assert un.loc["E004", "reason"] == "no_feasible_mentor"
    assert "language excludes 3" in un.loc["E004", "detail"]
    assert "E004" in pg.unmatched_html.value and "no_feasible_mentor" in pg.unmatched_html.value
    assert "E004" not in set(pg.last_result.pairs["mentee_id"])

    pg.rule_toggles["shared_language"].value = False
    _check_matches(pg, RULES.replace(shared_language=False))
    assert "E004" in set(pg.last_result.pairs["mentee_id"])
    assert "E004" not in set(pg.last_result.unmatched["person_id"])
    assert "E004" not in pg.unmatched_html.value

    pg.rule_toggles["shared_language"].value = True
    _check_matches(pg, RULES)


def test_same_department_toggle_and_explain(pg):
    pg.mentee_picker.value = "E002"
    assert "hard rule: same_department" in pg.explain_html.value
    pg.rule_toggles["no_same_department"].value = False
    _check_matches(pg, RULES.replace(no_same_department=False))
    assert "same_department" not in pg.explain_html.value
    explained = pg.last_result.explain("E002")
    for mentor, why in zip(explained["mentor_id"], explained["why_not"], strict=True):
        assert mentor in pg.explain_html.value and html.escape(why) in pg.explain_html.value


def test_min_score_objective_and_capacity_override(pg):
    pg.min_score_slider.value = 40.0
    _check_matches(pg, RULES.replace(min_score=40.0))
    assert len(pg.last_result.pairs) < len(match(MENTORS, MENTEES, RULES).pairs)
    pg.objective_dropdown.value = "maximin"
    _check_matches(pg, RULES.replace(min_score=40.0, objective="maximin"))
    pg.set_capacity("M001", 0)
    expected = RULES.replace(min_score=40.0, objective="maximin", capacity_override={"M001": 0})
    _check_matches(pg, expected)
    assert "M001" not in set(pg.last_result.pairs["mentor_id"])
    assert "M001: 2 &rarr; 0" in pg.capacity_html.value
    pg.capacity_mentor.value = "M002"
    assert pg.capacity_value.value == 2
    pg.capacity_mentor.value = "M001"
    assert pg.capacity_value.value == 0
    pg.capacity_clear_button.click()
    _check_matches(pg, RULES.replace(min_score=40.0, objective="maximin"))


def test_export_writes_files_that_reload_to_the_same_pairs(pg, tmp_path):
    pg.weight_sliders["domain"].value = 3.0
    pg.export_button.click()
    assert "Wrote" in pg.export_html.value
    folder = tmp_path / "outputs"
    prov = pg.last_result.provenance
    assert sorted(p.name for p in folder.iterdir()) == [f"pairs_{prov}.csv", f"rules_{prov}.yaml"]
    pairs = pd.read_csv(
        folder / f"pairs_{prov}.csv", comment="#", dtype={"mentee_id": "str", "mentor_id": "str"}
    )
    expected = pg.last_result.pairs
    assert list(zip(pairs["mentee_id"], pairs["mentor_id"], strict=True)) == list(
        zip(expected["mentee_id"], expected["mentor_id"], strict=True)
    )
    assert pairs["score"].to_numpy() == pytest.approx(expected["score"].to_numpy())
    rules_text = (folder / f"rules_{prov}.yaml").read_text()
    assert f"# provenance: {prov}" in rules_text
    reloaded = MatchRules.from_yaml(folder / f"rules_{prov}.yaml")
    assert reloaded == pg.last_rules
    again = match(MENTORS, MENTEES, reloaded)  # the files re-create the pairing exactly
    assert again.provenance == prov
    assert_frame_equal(again.pairs, pg.last_result.pairs)


def test_export_to_a_chosen_folder(pg, tmp_path):
    paths = pg.export(tmp_path / "elsewhere" / "run1")
    assert all(p.parent == tmp_path / "elsewhere" / "run1" and p.is_file() for p in paths.values())


def test_change_arriving_during_a_solve_is_not_lost(pg, monkeypatch):
    """A control changed while ``match`` runs (re-entrant callback) is solved right after."""
    calls = []
    real = playground.match

    def slow_match(mentors, mentees, rules, **kwargs):
        calls.append(dict(rules.weights))
        if len(calls) == 1:  # the user moves a second slider while the first solve runs
            pg.weight_sliders["goals"].value = 0.5
            assert len(calls) == 1, "the second change must wait for the running solve"
        return real(mentors, mentees, rules, **kwargs)

    monkeypatch.setattr(playground, "match", slow_match)
    pg.weight_sliders["skills"].value = 1.0
    assert [(c["skills"], c["goals"]) for c in calls] == [(1.0, 2.0), (1.0, 0.5)]
    _check_matches(pg, RULES.replace(weights={**RULES.weights, "skills": 1.0, "goals": 0.5}))
    assert pg.solve_count == 3


def test_invalid_or_infeasible_rules_show_the_error_and_recover(pg):
    for c in ("skills", "goals", "domain"):
        pg.weight_sliders[c].value = 0.0  # every weight 0 is not a valid rule set
    assert pg.error is not None and "every weight is 0" in pg.error
    assert "ek-error" in pg.summary_html.value
    last = MatchRules(weights={"domain": 1.0})  # before domain went to 0 too
    assert pg.last_rules == last  # the last solvable pairing stays shown
    assert pg.last_result.provenance == match(MENTORS, MENTEES, last).provenance
    pg.weight_sliders["goals"].value = 1.0
    _check_matches(pg, MatchRules(weights={"goals": 1.0}))

    required = RULES.replace(required_pairs=[("E004", "M001")])
    with pytest.raises(EmentorKitError):
        match(MENTORS, MENTEES, required)
    pg2 = MatchPlayground(MENTORS, MENTEES, required)
    assert pg2.last_result is None and "language" in pg2.error
    pg2.rule_toggles["shared_language"].value = False
    _check_matches(pg2, required.replace(shared_language=False))
    assert ("E004", "M001") in set(
        zip(pg2.last_result.pairs["mentee_id"], pg2.last_result.pairs["mentor_id"], strict=True)
    )
    with pytest.raises(EmentorKitError, match="nothing to export"):
        MatchPlayground(MENTORS, MENTEES, required).export()


def test_what_changed_is_said_in_the_words_of_the_controls(pg):
    pg.pin_button.click()
    pg.weight_sliders["skills"].value = 2.5
    pg.min_score_slider.value = 10.0
    text = pg.compare_html.value
    assert "skills (weight): 3.0 → 2.5" in text and "min score: 0.0 → 10.0" in text
    assert "weights." not in text and "hard_rules" not in text
    diff = playground_compare._rules_diff(pg.pinned_rules, pg.last_rules)
    assert [p for p, _, _ in diff] == [("weights", "skills"), ("hard_rules", "min_score")]


def test_pin_a_and_compare_with_b(pg):
    a_pairs = set(
        zip(pg.last_result.pairs["mentee_id"], pg.last_result.pairs["mentor_id"], strict=True)
    )
    pg.pin_button.click()
    pg.rule_toggles["shared_language"].value = False
    b_pairs = set(
        zip(pg.last_result.pairs["mentee_id"], pg.last_result.pairs["mentor_id"], strict=True)
    )
    a, b = dict(a_pairs), dict(b_pairs)
    expected = sorted(e for e in set(a) | set(b) if a.get(e) != b.get(e))
    changed = pg.changed_pairs()
    assert list(changed["mentee_id"]) == expected and "E004" in expected
    assert f"{len(expected)} mentees change mentor" in pg.compare_html.value
    assert "Mentor and mentee share a language: yes → no" in pg.compare_html.value
    assert "<th>mentor A</th>" in pg.compare_html.value and "mentor_A" not in pg.compare_html.value
    row = changed.set_index("mentee_id").loc["E004"]
    assert pd.isna(row["mentor_A"]) and row["mentor_B"] == b["E004"]
    pg.unpin_button.click()
    assert pg.pinned_result is None and len(pg.changed_pairs()) == 0


def test_callbacks_never_print(pg, capsys):
    pg.weight_sliders["skills"].value = 2.0
    pg.rule_toggles["shared_language"].value = False
    pg.pin_button.click()
    pg.export_button.click()
    pg.mentee_picker.value = "E003"
    assert capsys.readouterr() == ("", "")


def test_plot_is_a_png_and_the_widget_displays():
    pg = MatchPlayground(MENTORS, MENTEES, RULES)
    assert pg.plot.value[:8] == b"\x89PNG\r\n\x1a\n"
    bundle = pg._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_on_the_300_mentee_sample():
    from ementor_kit.samples import load_sample

    prog = load_sample()
    pg = MatchPlayground(prog.mentors, prog.mentees)
    pg.weight_sliders["domain"].value = 1.1
    rules = MatchRules().replace(weights={**MatchRules().weights, "domain": 1.1})
    expected = match(prog.mentors, prog.mentees, rules)
    assert pg.last_result.provenance == expected.provenance
    assert_frame_equal(pg.last_result.pairs, expected.pairs)
    assert len(pg.last_result.unmatched) == len(expected.unmatched) > 0


def test_a_programme_declared_by_programme_yaml_plays_with_its_own_attributes(tmp_path):
    """The raw intake example: e-mail ids, French headers, a declared name attribute."""
    shutil.copytree(example_intake(), tmp_path / "p")
    prog = read_programme(tmp_path / "p")
    pg = MatchPlayground(prog.mentors, prog.mentees, prog.spec)
    want = match(prog.mentors, prog.mentees, prog.spec)
    assert_frame_equal(pg.last_result.pairs, want.pairs)
    assert list(pg.weight_sliders) == [c.name for c in want.rules.criteria]
    # the dropdown shows the declared name and the declared capacity
    first = sorted(prog.mentors["mentor_id"])[0]
    row = prog.mentors.set_index("mentor_id").loc[first]
    label = dict((v, k) for k, v in pg.capacity_mentor.options)[first]
    assert row["name"] in label and f"(capacity {row['capacity']})" in label
    pg.weight_sliders["skills"].value = 0.0
    changed = want.rules.replace(weights={**want.rules.weights, "skills": 0.0})
    assert_frame_equal(pg.last_result.pairs, match(prog.mentors, prog.mentees, changed).pairs)


def test_moves_reuse_the_prepared_people_and_give_match_exactly(pg):
    """Each move re-weights the values kept from the first solve: the score matrix and the
    hard rules are byte for byte those of a fresh match() on the raw tables."""
    from ementor_kit.matching.scores import _score_matrix

    kept = dict(pg._prepared._cache.grids)
    assert kept  # the first solve kept every criterion's values
    moves = [("skills", 0.3), ("domain", 4.0), ("goals", 0.0), ("skills", 2.5)]
    for name, value in moves:
        pg.weight_sliders[name].value = value
        fresh = _score_matrix(MENTORS, MENTEES, pg.last_rules)
        assert pg.last_result._scores.score.tobytes() == fresh.score.tobytes()
        assert pg.last_result._scores.excluded.tobytes() == fresh.excluded.tobytes()
        _check_matches(pg, pg.last_rules)
    assert all(pg._prepared._cache.grids[k] is v for k, v in kept.items())  # nothing recomputed
