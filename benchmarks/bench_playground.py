"""Benchmark of the match playground: how long a coordinator waits after moving a control.

Run from the repository root:

    .venv/bin/python benchmarks/bench_playground.py
    .venv/bin/python benchmarks/bench_playground.py --moves 15 --kernel-repeat 30

On the 300-mentee sample programme, with the notebook ``notebooks/02_match_playground.ipynb``:

- kernel side: ``match()`` alone, and a full playground update (``match`` + summary, plot,
  tables, explanation) triggered by setting a weight slider's value;
- browser side (JupyterLab + Debian Chromium, as in ``tests/test_browser.py``): time from the
  slider release (a keyboard step on the focused handle, and a mouse drag released) to the
  summary showing the new pairing (its provenance hash changed), measured inside the page with
  ``performance.now()``; the kernel is idle before each move. Target: median under 1 s.

The browser part is skipped, with the reason, where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ementor_kit.matching import MatchRules, match  # noqa: E402
from ementor_kit.samples import load_sample  # noqa: E402
from ementor_kit.widgets import MatchPlayground  # noqa: E402
from tests._jupyter_browser import (  # noqa: E402 - the helper lives in the test suite
    LabServer,
    chromium_skip_reason,
    launch_chromium,
    open_and_run_all,
    wait_kernel_idle,
)

NOTEBOOK = ROOT / "notebooks" / "02_match_playground.ipynb"
TARGET_MS = 1000.0

# Arm a measurement: t0 at the next keydown or pointerup (the release), t1 when the summary
# shows a provenance hash different from the current one.
_JS_ARM = """() => {
  const host = document.querySelector('.ek-summary-widget');
  const old = host.querySelector('.ek-provenance').textContent;
  const m = {t0: null, t1: null};
  const start = () => { if (m.t0 === null) m.t0 = performance.now(); };
  const obs = new MutationObserver(() => {
    const p = host.querySelector('.ek-provenance');
    if (p && p.textContent !== old && m.t1 === null) { m.t1 = performance.now(); }
  });
  obs.observe(host, {childList: true, subtree: true, characterData: true});
  document.addEventListener('keydown', start, true);
  document.addEventListener('pointerup', start, true);
  m.disarm = () => {
    obs.disconnect();
    document.removeEventListener('keydown', start, true);
    document.removeEventListener('pointerup', start, true);
  };
  window.__ekLatency = m;
}"""
_JS_DONE = "() => window.__ekLatency.t1 !== null"
_JS_RESULT = """() => { const m = window.__ekLatency; m.disarm(); return m.t1 - m.t0; }"""


def _stats(ms: list[float]) -> str:
    return f"{len(ms)} | {statistics.median(ms):.0f} | {min(ms):.0f} | {max(ms):.0f}"


def kernel_side(repeat: int) -> list[tuple[str, list[float]]]:
    prog = load_sample()
    rules = MatchRules()
    alone = []
    for _ in range(repeat):
        t = time.perf_counter()
        match(prog.mentors, prog.mentees, rules)
        alone.append(1000 * (time.perf_counter() - t))
    pg = MatchPlayground(prog.mentors, prog.mentees, rules)
    update, solve = [], []
    slider = pg.weight_sliders["domain"]
    for k in range(repeat):
        t = time.perf_counter()
        slider.value = 1.0 + 0.1 * (1 + k % 5)  # always a new value: always a re-solve
        update.append(1000 * (time.perf_counter() - t))
        solve.append(1000 * pg.last_solve_seconds)
    return [
        ("kernel: match() on the sample", alone),
        ("kernel: match() inside a playground update", solve),
        ("kernel: full playground update (match + summary, plot, tables)", update),
    ]


def browser_side(moves: int) -> list[tuple[str, list[float]]]:
    from playwright.sync_api import sync_playwright

    keyboard, mouse = [], []
    with LabServer([NOTEBOOK]) as lab, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            open_and_run_all(page, lab, NOTEBOOK.name)
            handle = page.locator(".ek-weight-domain .noUi-handle")
            handle.scroll_into_view_if_needed()
            for k in range(moves):
                wait_kernel_idle(page, settle_ms=200)
                page.evaluate(_JS_ARM)
                handle.focus()
                page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
                page.wait_for_function(_JS_DONE, timeout=30_000)
                keyboard.append(page.evaluate(_JS_RESULT))
            track = page.locator(".ek-weight-domain .noUi-target").bounding_box()
            for k in range(moves):
                wait_kernel_idle(page, settle_ms=200)
                box = handle.bounding_box()
                x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                # drag to a quarter / half of the track, alternately (always a new value)
                target = track["x"] + track["width"] * (0.25 if k % 2 == 0 else 0.5)
                page.evaluate(_JS_ARM)
                page.mouse.move(x, y)
                page.mouse.down()
                page.mouse.move(target, y, steps=5)
                page.mouse.up()
                page.wait_for_function(_JS_DONE, timeout=30_000)
                mouse.append(page.evaluate(_JS_RESULT))
        finally:
            browser.close()
    return [
        ("browser: keyboard step -> summary updated", keyboard),
        ("browser: mouse drag released -> summary updated", mouse),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=9, help="slider moves per input kind")
    parser.add_argument("--kernel-repeat", type=int, default=20)
    args = parser.parse_args()
    rows = kernel_side(args.kernel_repeat)
    reason = chromium_skip_reason()
    if reason is None:
        rows += browser_side(args.moves)
    print("300-mentee sample, 90 mentors (times in ms)\n")
    print("| measurement | n | median | min | max |")
    print("|---|---|---|---|---|")
    for name, ms in rows:
        print(f"| {name} | {_stats(ms)} |")
    if reason is not None:
        print(f"\nbrowser latency skipped: {reason}")
        return
    browser_ms = [x for name, ms in rows if name.startswith("browser") for x in ms]
    med = statistics.median(browser_ms)
    verdict = "met" if med < TARGET_MS else "NOT met"
    print(
        f"\nbrowser median {med:.0f} ms over {len(browser_ms)} moves: target < "
        f"{TARGET_MS:.0f} ms {verdict}"
    )


if __name__ == "__main__":
    main()
