"""End-to-end: the match playground notebook in a real JupyterLab, driven by Debian's Chromium.

Runs by default (deselect with ``-m "not browser"``); skipped, with the reason, where
/usr/bin/chromium or Playwright is missing. The server is a throw-away JupyterLab on 127.0.0.1
(random port and token) serving a temporary copy of the notebook; it is stopped by its process
id even when the test fails. A screenshot is saved to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _jupyter_browser import (
    LabServer,
    chromium_skip_reason,
    launch_chromium,
    open_and_run_all,
    wait_kernel_idle,
)

from ementor_kit.match_rules import MatchRules
from ementor_kit.matching import match
from ementor_kit.samples import load_sample

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_match_playground.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CRITERION = "domain"  # the slider the test moves (one keyboard step = +0.1)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab():
    reason = chromium_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    with LabServer([NOTEBOOK]) as server:  # stops the server (by PID) on any exit
        yield server


@pytest.fixture()
def page(lab):
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


def test_keyboard_slider_move_shows_what_match_computes(lab, page):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "match_playground_jupyterlab.png"
    failure_shot = shot.with_name(shot.stem + "_failure.png")
    failure_shot.unlink(missing_ok=True)
    try:
        open_and_run_all(page, lab, NOTEBOOK.name)
        prog = load_sample()
        rules = MatchRules()  # what the notebook's playground starts from
        before = _expected_texts(match(prog.mentors, prog.mentees, rules))
        page.wait_for_selector(".ek-summary", timeout=30_000)
        assert {css: _shown(page, css) for css in before} == before

        slider = f".ek-weight-{CRITERION}"
        start = float(_shown(page, f"{slider} .widget-readout"))
        assert start == rules.weights[CRITERION]
        page.locator(f"{slider} .noUi-handle").focus()
        page.keyboard.press("ArrowRight")
        moved = float(_shown(page, f"{slider} .widget-readout"))
        assert moved == pytest.approx(start + 0.1)

        new_rules = rules.replace(weights={**rules.weights, CRITERION: round(moved, 6)})
        after = _expected_texts(match(prog.mentors, prog.mentees, new_rules))
        assert after[".ek-score-mean"] != before[".ek-score-mean"], "pick a move that shows"
        # Wait for the exact final state (the provenance hash of these inputs and rules),
        # not for "some change", which an intermediate update could satisfy.
        page.wait_for_function(
            "h => { const e = document.querySelector('.ek-provenance');"
            " return !!e && e.textContent.trim() === h; }",
            arg=after[".ek-provenance"],
            timeout=30_000,
        )
        assert {css: _shown(page, css) for css in after} == after
        wait_kernel_idle(page)  # the plot and tables are re-drawn after the summary
        page.screenshot(path=str(shot), full_page=True)
    except BaseException:
        try:
            page.screenshot(path=str(failure_shot), full_page=True)
        finally:
            print(f"JupyterLab log (tail):\n{lab.log()}")
        raise
