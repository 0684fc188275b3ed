"""The coordinator app's Format choice: each control against the package function called
directly on the same people and rules, and the downloaded files against it."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.widgets import app_formats
from ementor_kit.widgets.app import CoordinatorApp
from ementor_kit.widgets.app_formats import FormatSettings
from tests.widgets.test_app import _files, _independent_people, _upload


@pytest.fixture()
def app():
    app = CoordinatorApp(lang="en")
    _upload(app, _files())
    return app


def _prepared(app: CoordinatorApp):
    """The people and starting rules as match() sees them, read outside the app."""
    people = _independent_people(app)
    return people, ek.prepare_people(people.mentors, people.mentees, app.spec)


def _sheet(data: bytes, name: str) -> pd.DataFrame:
    rows = list(openpyxl.load_workbook(io.BytesIO(data))[name].values)
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_shortlist_controls_give_the_package_shortlist_and_its_workbook(app):
    people, prep = _prepared(app)
    controls = app.format_controls
    controls.format.value = "shortlist"
    controls.k.value = 2
    controls.exposure.value = 1.0
    assert app.format_settings == FormatSettings("shortlist", k=2, exposure=1.0)
    want = ek.shortlist(prep.mentors, prep.mentees, prep.rules, k=2, exposure=1.0)
    got = app.format_result
    pd.testing.assert_frame_equal(got.options, want.options)
    pd.testing.assert_frame_equal(got.short, want.short)
    assert got.total_score == want.total_score
    n = want.options["mentee_id"].nunique()
    assert f"{n} mentees get a list of mentors to choose from" in app.format_html.value
    assert f"{len(want.options)} places on the lists (up to 2 per mentee)" in app.format_html.value
    assert "@" not in app.format_html.value  # e-mail ids shown as pseudonyms
    files = app.downloads()
    name = files["workbook"][0]
    assert name.startswith("shortlist_") and name.endswith("_k2-x1.xlsx")
    book = _sheet(files["workbook"][2], "Shortlists")
    assert book["mentee_id"].tolist() == want.options["mentee_id"].tolist()
    assert book["mentor_id"].tolist() == want.options["mentor_id"].tolist()
    assert book["rank"].tolist() == want.options["rank"].tolist()
    assert book["score"].tolist() == [round(float(s), 1) for s in want.options["score"]]
    names = dict(zip(people.mentors["mentor_id"], people.mentors["name"], strict=True))
    assert book["mentor_name"].tolist() == [names[m] for m in want.options["mentor_id"]]
    lists = _sheet(files["workbook"][2], "Mentor lists")
    assert (lists["lists"] <= lists["exposure_cap"]).all()
    csv = files["csv"][2].decode("utf-8").lstrip("\ufeff").splitlines()
    assert len(csv) == len(want.options) + 1 and csv[0].startswith("mentee_id;mentee_email;")
    assert csv[1].split(";")[5] == want.options["mentor_id"].iloc[0]  # real ids in the files


def test_a_rule_change_reruns_the_format_with_the_new_rules(app):
    _, prep = _prepared(app)
    app.format_controls.format.value = "shortlist"
    app.playground.weight_sliders["domain"].value = 0.0
    rules = prep.rules.replace(weights={**prep.rules.weights, "domain": 0.0})
    assert app.playground.last_rules == rules
    want = ek.shortlist(prep.mentors, prep.mentees, rules, k=3, exposure=1.5)
    pd.testing.assert_frame_equal(app.format_result.options, want.options)


@pytest.mark.parametrize("led", [True, False])
def test_circle_controls_give_the_package_circles_and_their_workbook(app, led):
    people, prep = _prepared(app)
    controls = app.format_controls
    controls.format.value = "circles"
    controls.size.value = (2, 4)
    controls.peer.value = "diverse"
    controls.led.value = led
    want = ek.form_circles(
        prep.mentors, prep.mentees, prep.rules, size=(2, 4), peer="diverse", mentor=led
    )
    got = app.format_result
    cols = ["group_id", "person_id", "role"]
    pd.testing.assert_frame_equal(got.members[cols], want.members[cols])
    assert got.objective == pytest.approx(want.objective) and got.status == want.status
    placed = int(want.circles["size"].sum())
    assert f"{len(want.circles)} circles formed, {placed} mentees placed" in app.format_html.value
    files = app.downloads()
    book = _sheet(files["workbook"][2], "Circles")
    assert book[cols].astype(str).values.tolist() == want.members[cols].values.tolist()
    everyone = pd.concat(
        [
            people.mentors[["mentor_id", "name"]].set_axis(["id", "name"], axis=1),
            people.mentees[["mentee_id", "name"]].set_axis(["id", "name"], axis=1),
        ]
    ).set_index("id")["name"]
    assert book["name"].tolist() == everyone.loc[want.members["person_id"]].tolist()
    assert ("-led" if led else "-peers") in files["workbook"][0]
    facts = dict(openpyxl.load_workbook(io.BytesIO(files["workbook"][2]))["Provenance"].values)
    assert facts["circles"] == len(want.circles) and facts["status"] == want.status


def test_back_to_one_to_one_gives_the_pairs_workbook_again(app):
    app.format_controls.format.value = "circles"
    app.format_controls.format.value = "one_to_one"
    assert app.format_result is None and app.format_html.value == ""
    assert app.downloads()["workbook"][0].startswith("pairs_")


def test_impossible_circles_are_said_not_raised(app):
    app.set_format(FormatSettings("circles", size=(12, 12)))
    assert app.format_result is None
    assert "ek-format-error" in app.format_html.value
    assert app.downloads()["workbook"][0].startswith("pairs_")  # the pairing still downloads


def test_the_format_survives_a_language_switch(app):
    app.set_format(FormatSettings("shortlist", k=1))
    app.set_language("fr")
    assert app.format_controls.format.value == "shortlist" and app.format_result.k == 1
    assert "mentoré·es reçoivent une liste" in app.format_html.value


def test_a_programme_too_large_for_the_page_is_told_to_use_python(app, monkeypatch):
    pg = app.playground
    monkeypatch.setattr(app_formats, "FORMAT_MAX_PAIRS", len(pg.mentees) * 4)
    app.format_controls.format.value = "circles"  # 8 mentees x 5 mentors = 40 > 32
    assert app.format_result is None
    assert "up to 32 mentee-mentor pairs; this programme has 40" in app.format_html.value
    assert app.downloads()["workbook"][0].startswith("pairs_")


def _colliding_choices(lists) -> pd.DataFrame:
    """Every mentee puts the mentor on most lists first when it is on theirs (adversarial)."""
    o = lists.options
    popular = o["mentor_id"].value_counts().index[0]
    rows = []
    for e, mine in o.groupby("mentee_id", sort=True):
        order = sorted(
            mine["mentor_id"], key=lambda m: (m != popular, list(mine["mentor_id"]).index(m))
        )
        rows += [(e, m, r) for r, m in enumerate(order, 1)]
    return pd.DataFrame(rows, columns=["mentee_id", "mentor_id", "rank"])


def test_uploaded_choices_are_resolved_as_the_package_resolves_them(app):
    _, prep = _prepared(app)
    app.format_controls.format.value = "shortlist"
    app.format_controls.k.value = 1  # one option each: the collisions leave mentees out
    lists = ek.shortlist(prep.mentors, prep.mentees, prep.rules, k=1, exposure=1.5)
    choices = _colliding_choices(lists)
    want = lists.resolve(choices)
    assert len(want.lost_out) > 0  # the choices collide
    data = choices.to_csv(sep=";", index=False).encode("cp1252")  # as French Excel saves it
    assert app.choices.widget.layout.display == ""
    app.choices.upload.value = (  # what the browser sends
        {
            "name": "choix.csv",
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        },
    )
    got = app.choices.resolution
    pd.testing.assert_frame_equal(got.pairs, want.pairs)
    pd.testing.assert_frame_equal(got.lost_out, want.lost_out)
    pd.testing.assert_frame_equal(got.reoffer.options, want.reoffer.options)
    html = app.choices.html.value
    assert f"{len(want.pairs)} mentees get a mentor they chose" in html
    assert "lost out: every mentor chosen was full" in html and "ek-download-choices" in html
    app.playground.weight_sliders["domain"].value = 0.0  # new lists: the old choices go
    assert app.choices.resolution is None and app.choices.html.value == ""


def test_a_choice_off_the_list_is_refused_with_its_row(app):
    app.format_controls.format.value = "shortlist"
    lists = app.format_result
    off = next(
        m
        for m in app.playground.mentors["mentor_id"]
        if m not in set(lists.options.loc[lists.options["mentee_id"] == "stu-0042", "mentor_id"])
    )
    app.choices.resolve(f"mentee_id,mentor_id\nstu-0042,{off}\n".encode(), "c.csv")
    assert app.choices.resolution is None and "ek-choices-error" in app.choices.html.value
    app.format_controls.format.value = "circles"
    assert app.choices.widget.layout.display == "none"
