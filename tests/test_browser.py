"""End-to-end: the match playground in a real JupyterLab and as the Voilà app (``make app``),
driven by Debian's Chromium.

Runs by default (deselect with ``-m "not browser"``); skipped, with the reason, where
/usr/bin/chromium or Playwright is missing. Each server is a throw-away JupyterLab or Voilà on
127.0.0.1 (random port and token) serving a temporary copy of the notebook; it is stopped by its
process id even when the test fails. Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

from ementor_kit.matching import MatchRules, match
from ementor_kit.samples import load_sample
from tests._jupyter_browser import (
    LabServer,
    VoilaServer,
    chromium_skip_reason,
    launch_chromium,
    open_and_run_all,
    wait_kernel_idle,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_match_playground.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CRITERION = "domain"  # the slider the test moves (one keyboard step = +0.1)

pytestmark = pytest.mark.browser


@pytest.fixture()
def lab():
    reason = chromium_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    with LabServer([NOTEBOOK]) as server:  # stops the server (by PID) on any exit
        yield server


@pytest.fixture()
def voila():
    reason = chromium_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    with VoilaServer([NOTEBOOK]) as server:
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
            yield browser.new_page(viewport={"width": 1400, "height": 1100})
        finally:
            browser.close()


def _shown(page, css: str) -> str:
    return page.locator(css).first.inner_text().strip()


def _expected_texts(result) -> dict[str, str]:
    """The texts the summary must show, formatted here from ``match()``'s own numbers."""
    s = result.summary()
    return {
        ".ek-provenance": result.provenance,
        ".ek-coverage": f"{s.n_pairs} / {s.n_mentees} ({100 * s.n_pairs / s.n_mentees:.1f}%)",
        ".ek-score-mean": f"{result.pairs['score'].mean():.1f}",
        ".ek-score-min": f"{result.pairs['score'].min():.1f}",
    }


def _wait_for(page, expected: dict[str, str]) -> None:
    """Wait for the exact final state (the provenance hash of these inputs and rules), not for
    "some change", which an intermediate update could satisfy; then compare every figure."""
    page.wait_for_function(
        "h => { const e = document.querySelector('.ek-provenance');"
        " return !!e && e.textContent.trim() === h; }",
        arg=expected[".ek-provenance"],
        timeout=30_000,
    )
    assert {css: _shown(page, css) for css in expected} == expected


def _move_weight_and_check(page, prog, rules: MatchRules) -> MatchRules:
    """Press ArrowRight on the focused weight handle; the summary must be match()'s."""
    slider = f".ek-weight-{CRITERION}"
    start = float(_shown(page, f"{slider} .widget-readout"))
    assert start == rules.weights[CRITERION]
    page.locator(f"{slider} .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    moved = float(_shown(page, f"{slider} .widget-readout"))
    assert moved == pytest.approx(start + 0.1)
    new_rules = rules.replace(weights={**rules.weights, CRITERION: round(moved, 6)})
    before = _expected_texts(match(prog.mentors, prog.mentees, rules))
    after = _expected_texts(match(prog.mentors, prog.mentees, new_rules))
    assert after[".ek-score-mean"] != before[".ek-score-mean"], "pick a move that shows"
    _wait_for(page, after)
    return new_rules


@contextmanager
def _artifacts(page, name: str, server):
    """Screenshot on success (``name``.png) and on failure (``name``_failure.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    failure_shot = ARTIFACTS / f"{name}_failure.png"
    failure_shot.unlink(missing_ok=True)
    try:
        yield shot
    except BaseException:
        try:
            page.screenshot(path=str(failure_shot), full_page=True)
        finally:
            print(f"{server.name} log (tail):\n{server.log()}")
        raise


def test_jupyterlab_keyboard_slider_move_shows_what_match_computes(lab, page):
    with _artifacts(page, "match_playground_jupyterlab", lab) as shot:
        open_and_run_all(page, lab, NOTEBOOK.name)
        prog = load_sample()
        rules = MatchRules()  # what the notebook's playground starts from
        _wait_for(page, _expected_texts(match(prog.mentors, prog.mentees, rules)))
        _move_weight_and_check(page, prog, rules)
        wait_kernel_idle(page)  # the plot and tables are re-drawn after the summary
        page.screenshot(path=str(shot), full_page=True)


def test_voila_app_slider_and_hard_rule_show_what_match_computes(voila, page):
    """The coordinators' app (``make app``): no code shown, same figures as the package."""
    with _artifacts(page, "match_playground_voila", voila) as shot:
        page.goto(voila.url())
        prog = load_sample()
        rules = MatchRules()
        _wait_for(page, _expected_texts(match(prog.mentors, prog.mentees, rules)))
        assert page.get_by_text("MatchPlayground(mentors").count() == 0  # no code shown
        rules = _move_weight_and_check(page, prog, rules)
        page.locator(".ek-rule-shared_language input[type=checkbox]").click()
        rules = rules.replace(shared_language=False)
        _wait_for(page, _expected_texts(match(prog.mentors, prog.mentees, rules)))
        page.wait_for_timeout(500)  # let the plot and tables arrive before the screenshot
        page.screenshot(path=str(shot), full_page=True)


def test_jupyterlab_playground_in_french_shows_french_labels_and_numbers(page):
    """notebooks/fr/02: after ``ek.set_language("fr")`` the playground's summary has the French
    labels and French-formatted figures of ``match()``, before and after a slider step."""
    from ementor_kit.widgets.playground_views import _summary_rows

    reason = chromium_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    french = ROOT / "notebooks" / "fr" / NOTEBOOK.name
    prog = load_sample()

    def expected(rules: MatchRules) -> dict[str, str]:
        result = match(prog.mentors, prog.mentees, rules)
        rows = _summary_rows(result, 0.0, "fr")
        texts = {f".ek-summary .{cls}": text for _, cls, text in rows if cls != "ek-solve-time"}
        return {".ek-provenance": result.provenance} | texts  # provenance first: the final state

    def labels(rules: MatchRules, lang: str) -> list[str]:
        result = match(prog.mentors, prog.mentees, rules)
        return [k for k, _, _ in _summary_rows(result, 0.0, lang)]

    with (
        LabServer([french]) as lab,
        _artifacts(page, "match_playground_jupyterlab_fr", lab) as shot,
    ):
        open_and_run_all(page, lab, french.name)
        rules = MatchRules()
        want = expected(rules)
        assert "281 / 300 (93,7\u00a0%)" in want.values()  # French percent (Babel)
        _wait_for(page, want)
        shown = [
            s.strip()
            for s in page.locator(".ek-summary table").first.locator("th").all_inner_texts()
        ]
        assert shown == labels(rules, "fr") != labels(rules, "en")
        slider = f".ek-weight-{CRITERION}"
        page.locator(f"{slider} .noUi-handle").focus()
        page.keyboard.press("ArrowRight")
        moved = float(_shown(page, f"{slider} .widget-readout").replace(",", "."))
        rules = rules.replace(weights={**rules.weights, CRITERION: round(moved, 6)})
        _wait_for(page, expected(rules))
        wait_kernel_idle(page)
        page.screenshot(path=str(shot), full_page=True)
