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
import html
import io
import json
import re
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.matching import match
from ementor_kit.widgets.app import CoordinatorApp, browser_language, read_uploaded
from ementor_kit.widgets.app_formats import FormatSettings
from ementor_kit.widgets.app_server import APP_CONFIG
from ementor_kit.widgets.app_session import session_zip
from ementor_kit.widgets.app_text import shown_ids
from tests._jupyter_browser import VoilaServer, chromium_skip_reason, launch_chromium

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


def _check_shortlist_workbook(data: bytes, lists) -> None:
    """The workbook's Shortlists sheet is ``lists``' options, with names joined."""
    ws = openpyxl.load_workbook(io.BytesIO(data))["Shortlists"]
    rows = list(ws.values)
    got = pd.DataFrame(rows[1:], columns=rows[0])
    want = lists.options
    for col in ("mentee_id", "rank", "mentor_id"):
        assert got[col].tolist() == want[col].tolist()
    assert got["score"].tolist() == [round(float(s), 1) for s in want["score"]]
    assert got["mentee_name"].notna().all() and got["mentor_name"].notna().all()


def test_upload_review_fix_match_and_download_agree_with_match():
    app = CoordinatorApp(lang="en")
    assert app.playground is None  # nothing before an upload
    _upload(app, _files())
    assert app.problems == []
    points = [(r, n) for r, n, _ in app.to_check]
    assert ("mentees", "domain") in points and len(points) == 4
    assert app.fix_item.value == ".".join(points[0])  # the first point, ready to edit
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
    assert app.downloads_html.value.count("href='data:") == 5
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
    assert "mentees.csv" in str(problems[0]) and "'Droit'" in str(problems[0])


def test_the_app_shows_its_errors_in_french():
    from tests.i18n._raise_sites import english_left

    app = CoordinatorApp(lang="fr")
    app.load_files({"a.csv": b"x", "b.csv": b"y", "c.csv": b"z"})
    # the attribute stays English (what tests compare); the page shows French
    assert "upload the mentors' and the mentees' exports" in app.problems[0]
    assert "téléversez les exports des mentor·es et des mentoré·es" in app.problems_html.value
    assert "upload the mentors'" not in app.problems_html.value
    files = _files()
    files["mentees.csv"] = files["mentees.csv"].replace("Santé".encode("cp1252"), b"Droit", 1)
    spec, _, _ = read_uploaded(_files())
    app.load_rules(b"weights: {skills: 1}\n")  # before the data
    assert "lisez d'abord les données (1. Données)" in html.unescape(app.rules_file_html.value)
    # a session whose files the saved programme cannot read: the problem in French
    app.open_session(session_zip(ek.MatchRules(), FormatSettings(), files=files, spec=spec))
    assert len(app.problems) == 1 and "Fix:" in app.problems[0]
    assert "Correction : " in app.problems_html.value and "Fix:" not in app.problems_html.value
    app.use_sample()
    app.load_rules(b"weights: {skills: -1}\n")
    assert "Correction : utilisez un nombre >= 0" in html.unescape(app.rules_file_html.value)
    with pytest.raises(ek.EmentorKitError) as info:
        app.recode("mentors", "capacity", "x", "deux")
    assert english_left(info.value) == []


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


# ------------------------------------------------------------------ real browser (Voilà)
WEIGHT, PRESSES = "availability_hours", 3  # three ArrowRight presses: 1.0 -> 1.3 changes pairs
LOCK = ("stu-0045", "paul.dupont@pro.exemple.fr")
ARTIFACTS = ROOT / "test-artifacts"


def _expected_rules():
    """Independently of the app: the proposal with 'Sante' recoded by hand, its starting rules,
    the pair locked, then the weight moved."""
    folder = ek.example_intake()
    spec = ek.propose_programme(folder / EXPORTS[0], folder / EXPORTS[1])
    a = spec.attribute("mentees", "domain")
    fixed = dataclasses.replace(a, recode={**a.recode, "Sante": "sante"})
    spec = dataclasses.replace(
        spec, mentees=tuple(fixed if x.name == "domain" else x for x in spec.mentees)
    )
    people = ek.read_people(dataclasses.replace(spec, folder=str(folder)))
    start = ek.prepare_people(people.mentors, people.mentees, spec).rules
    locked = start.replace(required_pairs=(LOCK,))
    moved = locked.replace(weights={**locked.weights, WEIGHT: locked.weights[WEIGHT] + 0.3})
    return people, start, locked, moved


@pytest.fixture()
def app_server():
    reason = chromium_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    notebooks = [ROOT / "notebooks" / "app.ipynb", ROOT / "notebooks" / "voila.json"]
    with VoilaServer(notebooks) as server:  # stopped by its PID on any exit
        yield server


@pytest.fixture()
def page():
    reason = chromium_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            context = browser.new_context(
                viewport={"width": 1400, "height": 1000}, locale="en-US", accept_downloads=True
            )
            yield context.new_page()
        finally:
            browser.close()


def _wait_text(page, css: str, text: str, timeout: float = 30_000) -> None:
    page.wait_for_function(
        "([css, t]) => { const e = document.querySelector(css);"
        " return !!e && e.textContent.includes(t); }",
        arg=[css, text],
        timeout=timeout,
    )


def _wait_provenance(page, result) -> None:
    """The exact final state: the provenance of these data and rules (not "some change")."""
    _wait_text(page, ".ek-provenance", result.provenance)


def _select_starting(page, css: str, start: str) -> None:
    """Choose the option of a dropdown whose text starts with ``start``."""
    select = page.locator(css)
    texts = select.locator("option").all_inner_texts()
    select.select_option(index=next(i for i, t in enumerate(texts) if t.startswith(start)))


def _step(page, tab: str) -> None:
    page.locator(".ek-steps .lm-TabBar-tab", has_text=tab).click()


@pytest.mark.browser
def test_browser_upload_fix_rules_lock_compare_download(app_server, page, tmp_path):
    people, start, locked, moved = _expected_rules()
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"app_{name}.png"), full_page=True)

    try:
        page.goto(app_server.url())
        page.locator(".ek-upload").wait_for(timeout=60_000)
        shot("1_empty")
        folder = ek.example_intake()
        with page.expect_file_chooser() as chooser:
            page.locator(".ek-upload").click()
        chooser.value.set_files([str(folder / n) for n in EXPORTS])
        _wait_text(page, ".ek-check-count", "4 points to check")
        _wait_provenance(page, match(people.mentors, people.mentees, start))  # first result
        shot("2_uploaded_review")
        _select_starting(page, ".ek-fix-item select", "mentees.domain:")
        page.locator(".ek-fix-label select").select_option(label="Sante")
        code = page.locator(".ek-fix-code input")
        code.fill("sante")
        page.locator(".ek-fix-button").click()
        _wait_text(page, ".ek-check-count", "3 points to check")
        _wait_text(page, ".ek-fixed", "'Sante' read as 'sante'")
        shot("3_recoding_fixed")
        _step(page, "2. Rules")
        page.wait_for_timeout(500)  # the rebuilt Rules step is drawn
        page.locator(".ek-pair-mentee select").select_option(label="Payet, Kenny (stu-0045)")
        # the mentors' ids are e-mail addresses: the page shows them as pseudonyms
        shown = shown_ids(people.mentors["mentor_id"], people.mentees["mentee_id"])[LOCK[1]]
        page.locator(".ek-pair-mentor select").select_option(label=f"Dupont, Paul ({shown})")
        page.locator(".ek-lock-pair").click()
        _wait_provenance(page, match(people.mentors, people.mentees, locked))
        _wait_text(page, ".ek-pair-rules", "Payet, Kenny (stu-0045)")
        shot("4_pair_locked")
        _step(page, "3. Results")
        page.get_by_role("button", name="Pin current rules as A").click()
        _wait_text(page, ".ek-compare-names", "Nobody changes mentor.")
        _step(page, "2. Rules")
        handle = page.locator(f".ek-weight-{WEIGHT} .noUi-handle")
        handle.focus()
        for _ in range(PRESSES):
            page.keyboard.press("ArrowRight")
        expected = match(people.mentors, people.mentees, moved)
        _wait_provenance(page, expected)
        assert page.locator(f".ek-weight-{WEIGHT} .widget-readout").inner_text().strip() == "1.3"
        shot("5_weight_moved")
        _step(page, "3. Results")
        a = match(people.mentors, people.mentees, locked).pairs.set_index("mentee_id")
        b = expected.pairs.set_index("mentee_id")
        changed = sorted(e for e in b.index if a.loc[e, "mentor_id"] != b.loc[e, "mentor_id"])
        assert changed, "the move must change a pair"
        names = dict(zip(people.mentees["mentee_id"], people.mentees["name"], strict=True))
        for e in changed:
            _wait_text(page, "table.ek-compare-names", f"{names[e]} ({e})")
        # the playground's own comparison is drawn after the summary: wait for its final state
        _wait_text(page, ".ek-changed-count", f"{len(changed)} mentees change mentor")
        _wait_text(page, ".ek-steps", "(weight): 1.0 → 1.3")
        shot("6_compare_a_b")
        _step(page, "4. Download")
        page.locator(".ek-prepare-downloads").click()
        link = page.locator("a.ek-download-workbook")
        link.wait_for(timeout=30_000)
        with page.expect_download() as info:
            link.click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        assert saved.name == f"pairs_{expected.provenance}.xlsx"
        _check_workbook(saved.read_bytes(), expected)
        shot("7_downloads")
        # the shortlist format (issue 16): lists of 3 mentors, 1.5 lists per place
        _step(page, "2. Rules")
        page.locator(".ek-format select").select_option(label="Shortlists: mentees choose")
        prep = ek.prepare_people(people.mentors, people.mentees, people.spec)
        lists = ek.shortlist(prep.mentors, prep.mentees, moved, k=3, exposure=1.5)
        n = lists.options["mentee_id"].nunique()
        _wait_text(page, ".ek-format-results", f"{n} mentees get a list of mentors")
        shot("8_shortlist_rules")
        _step(page, "3. Results")
        page.wait_for_timeout(300)
        shot("9_shortlist_results")
        _step(page, "4. Download")
        page.locator(".ek-prepare-downloads").click()
        link = page.locator("a.ek-download-workbook")
        link.wait_for(timeout=30_000)
        with page.expect_download() as info:
            link.click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        assert saved.name == f"shortlist_{expected.provenance}_k3-x1.5.xlsx"
        _check_shortlist_workbook(saved.read_bytes(), lists)
        shot("10_shortlist_download")
        page.locator(".ek-language button", has_text="Français").click()
        _wait_text(page, ".ek-steps", ek.i18n.translator("fr").gettext("4. Download"))
        _wait_provenance(page, expected)  # the same rules after the switch
        _wait_text(page, ".ek-format-results", "reçoivent une liste de mentor·es")
        page.wait_for_timeout(500)  # the rebuilt page is drawn, then its step is chosen
        _step(page, ek.i18n.translator("fr").gettext("3. Results"))
        page.locator(".ek-format-results").last.wait_for(state="visible", timeout=30_000)
        shot("11_french")
    except BaseException:
        shot("failure")
        print(f"Voila log (tail):\n{app_server.log()}")
        raise
