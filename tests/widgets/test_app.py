"""The coordinator app without a browser (widget values), and in real Chromium under Voilà.

The browser test (marked ``browser``, skipped with the reason where /usr/bin/chromium or
Playwright is missing) walks the whole page as a coordinator does: upload a raw fr-FR export,
fix one proposed recoding, run the matching, move a weight, lock a pair, compare A/B, download
the workbook; the downloaded ``.xlsx`` is checked against ``match()`` on the same data and
rules. Screenshots of each step go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd

import ementor_kit as ek
from ementor_kit.matching import match
from ementor_kit.widgets.app import CoordinatorApp, browser_language, read_uploaded
from ementor_kit.widgets.app_server import APP_CONFIG

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ("mentors.csv", "mentees.csv")


def _files() -> dict[str, bytes]:
    folder = ek.example_intake()
    return {n: (folder / n).read_bytes() for n in EXPORTS}


def _upload(app: CoordinatorApp, files: dict[str, bytes]) -> None:
    """What the browser sends: FileUpload's value (name, type, size, content)."""
    app.upload.value = tuple(
        {"name": n, "type": "text/csv", "size": len(b), "content": memoryview(b),
         "last_modified": dt.datetime(2026, 9, 1, tzinfo=dt.UTC)}
        for n, b in files.items()
    )  # fmt: skip


def _independent_people(app: CoordinatorApp) -> ek.data.people.People:
    """The people read again from the files with the app's spec, outside the app."""
    with tempfile.TemporaryDirectory() as tmp:
        for n, b in app.files.items():
            (Path(tmp) / n).write_bytes(b)
        return ek.read_people(dataclasses.replace(app.spec, folder=tmp))


def _workbook_pairs(data: bytes) -> pd.DataFrame:
    ws = openpyxl.load_workbook(io.BytesIO(data))["Pairs"]
    rows = list(ws.values)
    return pd.DataFrame(rows[1:], columns=rows[0])


def _check_workbook(data: bytes, result) -> None:
    """The workbook's Pairs sheet is ``result``'s pairs, with names joined."""
    got = _workbook_pairs(data).sort_values("mentee_id").reset_index(drop=True)
    want = result.pairs.sort_values("mentee_id").reset_index(drop=True)
    assert got["mentee_id"].tolist() == want["mentee_id"].tolist()
    assert got["mentor_id"].tolist() == want["mentor_id"].tolist()
    assert got["score"].tolist() == [round(float(s), 1) for s in want["score"]]
    assert got["mentee_name"].notna().all() and got["mentor_name"].notna().all()


def test_upload_review_fix_match_and_download_agree_with_match():
    app = CoordinatorApp(lang="en")
    assert app.playground is None  # nothing before an upload
    _upload(app, _files())
    assert app.problems == []
    points = [(r, n) for r, n, _ in app.to_check]
    assert ("mentees", "domain") in points and len(points) == 4
    assert "4 points to check" in app.problems_html.value
    app.recode("mentees", "domain", "Sante", "sante")
    assert len(app.to_check) == 3 and "3 points to check" in app.problems_html.value
    assert app.spec.attribute("mentees", "domain").recode["Sante"] == "sante"
    app.set_type("mentors", "avez_vous_deja_ete_mentor", "ignore")
    assert len(app.to_check) == 2
    pg = app.playground
    people = _independent_people(app)
    assert pg.last_result.provenance == match(people.mentors, people.mentees, app.spec).provenance
    pg.weight_sliders["domain"].value = 0.5
    app.lock("stu-0045", "paul.dupont@pro.exemple.fr")
    rules = pg.last_rules
    assert rules.weights["domain"] == 0.5
    assert rules.required_pairs == (("stu-0045", "paul.dupont@pro.exemple.fr"),)
    expected = match(people.mentors, people.mentees, rules)
    assert pg.last_result.provenance == expected.provenance
    assert "Payet, Kenny (stu-0045)" in app.pairs_rules_html.value
    files = app.downloads()
    _check_workbook(files["workbook"][2], expected)
    csv = files["csv"][2].decode("utf-8")
    assert csv.startswith("\ufeffmentee_id;") and "\r\n" in csv
    assert ek.MatchRules.from_yaml(files["rules"][2].decode()) == rules
    assert ek.ProgrammeSpec.from_yaml(files["programme"][2].decode()) == app.spec
    app._show_downloads()
    assert app.downloads_html.value.count("href='data:") == 4
    pg.weight_sliders["skills"].value = 1.0  # a new result withdraws the old links
    assert app.downloads_html.value == ""


def test_a_file_that_cannot_be_read_is_named_with_its_fix():
    app = CoordinatorApp(lang="en")
    app.load_files({"a.csv": b"x", "b.csv": b"y", "c.csv": b"z"})
    assert app.playground is None
    assert "upload the mentors' and the mentees' exports" in app.problems[0]
    assert "1 problem stops the reading" in app.problems_html.value
    files = _files()
    files["mentees.csv"] = files["mentees.csv"].replace("Santé".encode("cp1252"), b"Droit", 1)
    spec, _, _ = read_uploaded(_files())
    _, people, problems = read_uploaded(files, spec)
    assert people is None and len(problems) == 1
    assert "mentees.csv" in problems[0] and "'Droit'" in problems[0]


def test_language_switch_keeps_data_and_rules_and_compare_names_people():
    app = CoordinatorApp(lang="en")
    _upload(app, _files())
    pg = app.playground
    pg.pin()
    pg.weight_sliders["skills"].value = 0.0
    assert "mentor in A" in app.compare_names_html.value
    assert re.search(r"\(stu-00\d\d\)", app.compare_names_html.value)
    rules = pg.last_rules
    app.language.value = "fr"  # what the toggle in the page does
    assert app.lang == "fr" and app.playground is not pg
    assert app.playground.last_rules == rules
    assert app.tabs.get_title(0) == ek.i18n.translator("fr").gettext("1. Data")


def test_a_sharp_fall_of_coverage_is_flagged():
    app = CoordinatorApp(lang="en", sample=True)
    pg = app.playground
    assert app.coverage_warning() is None
    pg.min_score_slider.value = 85.0
    n, total = pg.last_result.summary().n_pairs, len(pg.mentees)
    assert n / total < 0.5
    assert "Paired mentees fell from" in app.results_warning.value
    names = app.unmatched_html.value
    assert f"{total - n} mentees are not paired" in names
    assert "score below the rules&#x27; minimum score for 90 mentors" in names


def test_browser_language_and_the_server_config_file():
    assert browser_language("en-GB,en;q=0.9,fr;q=0.8") == "en"
    assert browser_language("fr-CA;q=0.7,en;q=0.6") == "fr"
    assert json.loads((ROOT / "notebooks" / "voila.json").read_text()) == APP_CONFIG
