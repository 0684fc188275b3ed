"""Group quotas in the coordinator app (ementor_kit/widgets/app_quotas.py and its Rules step)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
import yaml

import ementor_kit as ek
from ementor_kit.i18n import translator
from ementor_kit.matching import GroupQuota, match
from ementor_kit.widgets.app import CoordinatorApp
from ementor_kit.widgets.app_quotas import QuotaControls, quota_columns, quota_text
from ementor_kit.widgets.app_session import read_session


def _coverage(result, mentees, column: str, group: str) -> float:
    """Share of the group's mentees paired, counted from the pairs table."""
    ids = set(mentees.loc[mentees[column].astype(str) == group, "mentee_id"].astype(str))
    paired = set(result.pairs["mentee_id"].astype(str))
    return len(ids & paired) / len(ids)


def test_quota_columns_offer_groups_not_ids_or_numbers():
    mentees = ek.load_sample().mentees
    cols = quota_columns(mentees)
    assert cols["group"] == sorted(set(mentees["group"].dropna()))  # not declared: no group
    assert cols["cohort"] == sorted(set(mentees["cohort"].dropna()))
    # multi-select: the items, not the combinations
    assert set(cols["languages"]) == {x for v in mentees["languages"] for x in v}
    assert not {"mentee_id", "display_name", "utc_offset", "digital_comfort"} & set(cols)
    assert "department" not in cols  # 81 values: not a group


def test_quota_texts_in_both_languages():
    en, fr = translator("en"), translator("fr")
    q = GroupQuota("qpv", min_coverage=0.95)
    assert quota_text(q, en) == "group = qpv: at least 95% of these mentees paired"
    assert quota_text(q, fr) == "group = qpv : au moins 95\u00a0% de ces mentoré·es en binôme"
    r = GroupQuota("qpv", column="group", min_share_of_overall=1.0)
    assert "1 times as often" in quota_text(r, en) and "1 fois" in quota_text(r, fr)


def test_controls_add_replace_and_clear():
    seen: list = []
    qc = QuotaControls(translator("fr"), ek.load_sample().mentees, (), seen.append)
    assert "aucun quota" in qc.html.value  # the empty state is said, in French
    qc.group.value, qc.bound.value = "qpv", 0.9
    qc.add()
    qc.kind.value, qc.bound.value = "min_share_of_overall", 1.2
    qc.add()  # same group: replaces
    assert seen[-1] == (GroupQuota("qpv", min_share_of_overall=1.2),)
    assert "1,2 fois" in qc.html.value
    qc.column.value = "cohort"
    assert list(qc.group.options) == ["2026-A", "2026-B"]
    qc.add()
    assert len(seen[-1]) == 2
    qc.clear_button.click()
    assert seen[-1] == ()


@pytest.fixture(scope="module")
def quota_app():
    app = CoordinatorApp(lang="en", sample=True)
    app.quota_controls.group.value, app.quota_controls.bound.value = "qpv", 0.97
    app.quota_controls.add_button.click()
    return app


def test_a_quota_in_the_rules_step_is_met_and_equals_match(quota_app):
    app, pg = quota_app, quota_app.playground
    assert pg.last_rules.quotas == (GroupQuota("qpv", min_coverage=0.97),)
    result = pg.last_result
    assert _coverage(result, pg.mentees, "group", "qpv") >= 0.97
    # the same pairs as match() with these rules, computed outside the app
    want = match(pg.mentors, pg.mentees, pg.last_rules)
    got = result.pairs.sort_values("mentee_id")["mentor_id"].tolist()
    assert got == want.pairs.sort_values("mentee_id")["mentor_id"].tolist()
    np.testing.assert_allclose(result.summary().coverage, want.summary().coverage)
    assert "at least 97% of these mentees paired" in app.quota_controls.html.value


def test_a_quota_is_saved_in_the_rules_file_and_the_session(quota_app):
    app = quota_app
    files = app.downloads()
    rules = yaml.safe_load(files["rules"][2].decode("utf-8"))
    assert rules["quotas"] == [{"column": "group", "group": "qpv", "min_coverage": 0.97}]
    with zipfile.ZipFile(io.BytesIO(files["session"][2])) as zf:
        assert "quotas" in zf.read("rules.yaml").decode("utf-8")
    session = read_session(files["session"][2])
    assert session.rules.quotas == (GroupQuota("qpv", min_coverage=0.97),)
    again = CoordinatorApp(lang="fr")
    again.open_session(files["session"][2])
    assert again.playground.last_rules.quotas == session.rules.quotas
    assert "au moins 97" in again.quota_controls.html.value  # the control shows it, in French
    # and a rules file with a quota, loaded in the page
    other = CoordinatorApp(lang="en", sample=True)
    other.load_rules(files["rules"][2], "rules.yaml")
    assert other.playground.last_rules.quotas == session.rules.quotas


def test_an_impossible_quota_is_said_not_solved():
    app = CoordinatorApp(lang="en", sample=True)
    before = app.playground.last_result
    app.set_quotas((GroupQuota("nobody", min_coverage=0.5),))
    assert app.playground.error is not None and "nobody" in app.playground.error
    assert app.playground.last_result is before  # the last solvable result stays shown
