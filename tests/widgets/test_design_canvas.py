import base64
import html
from pathlib import Path

import ipywidgets as w
import pytest

from ementor_kit.design import (
    ProgrammeDesign,
    SimulationAssumptions,
    example_designs,
    outcome_summary,
    simulate,
)
from ementor_kit.errors import EmentorKitError
from ementor_kit.widgets.design_canvas import (
    DesignCanvas,
    _retention_png,
    _summary_html,
    _summary_rows,
)

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01_programme_design.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
START = ProgrammeDesign(
    name="canvas",
    n_mentees=40,
    n_mentors=15,
    mentor_capacity=2,
    duration_weeks=10,
    checkin_every_days=14,
)


@pytest.fixture
def canvas():
    return DesignCanvas(START, seed=3)


def _assert_shows(canvas, design):
    """The canvas shows exactly what simulate() gives for ``design``."""
    fresh = simulate(design, seed=canvas.seed, assumptions=canvas.assumptions)
    assert canvas.design == design
    assert canvas.error is None
    assert canvas.last_result.summary().keys() == fresh.summary().keys()
    assert canvas.summary_html.value == _summary_html(fresh)
    for _label, cls, text in _summary_rows(fresh.summary()):
        assert f"class='{cls}'>{html.escape(text)}</td>" in canvas.summary_html.value
    assert canvas.plot.value == _retention_png(fresh, canvas.pinned_result)
    assert canvas.plot.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_starts_with_the_simulation_of_the_design(canvas):
    assert canvas.simulation_count == 1
    _assert_shows(canvas, START)
    assert "ILLUSTRATIVE" in canvas.widget.children[0].children[1].children[0].value
    assert "Mentor load" in canvas.details_html.value


def test_summary_table_is_what_the_panel_shows(canvas):
    def expected():
        fresh = simulate(canvas.design, seed=canvas.seed, assumptions=canvas.assumptions)
        rows = [("design", canvas.design.name)]
        shown = _summary_rows(fresh.summary(), "en", outcome_summary(fresh))
        return rows + [(label, text) for label, _c, text in shown]

    table = canvas.summary_table()
    assert table.index.name == "measure" and table.columns.tolist() == ["value"]
    assert list(zip(table.index, table["value"], strict=True)) == expected()
    # every value shown in the table is in the panel's HTML
    for text in table["value"].iloc[1:]:
        assert html.escape(text) in canvas.summary_html.value
    before = table.loc["coordinator check-ins (expected)", "value"]
    canvas.controls["checkin_every_days"].value = 7
    after = canvas.summary_table()
    assert list(zip(after.index, after["value"], strict=True)) == expected()
    assert after.loc["coordinator check-ins (expected)", "value"] != before
    # the panel's number is the simulation's expected count, rounded
    n = simulate(canvas.design, seed=canvas.seed).summary()["expected_check_ins"]
    assert after.loc["coordinator check-ins (expected)", "value"] == f"{n:.0f}"


@pytest.mark.parametrize(
    "key, value, field",
    [
        ("checkin_every_days", 7, "checkin_every_days"),
        ("mentor_capacity", 1, "mentor_capacity"),
        ("n_mentees", 50, "n_mentees"),
        ("n_mentors", 12, "n_mentors"),
        ("duration_weeks", 20, "duration_weeks"),
        ("sync_share", 0.85, "sync_share"),
        ("structure", "informal", "structure"),
        ("name", "renamed", "name"),
    ],
)
def test_each_control_resimulates(canvas, key, value, field):
    canvas.controls[key].value = value
    assert getattr(canvas.design, field) == value
    assert canvas.simulation_count == 2
    _assert_shows(canvas, START.replace(**{field: value}))


def test_effect_size_changes_the_power(canvas):
    before = canvas.last_result.summary()["power"]
    canvas.controls["effect_size"].value = 0.8
    assert canvas.design.evaluation.effect_size == 0.8
    assert canvas.last_result.summary()["power"] > before
    _assert_shows(canvas, canvas.design)


def test_group_format(canvas):
    assert canvas.controls["group_size"].disabled
    canvas.controls["format"].value = "group"
    assert not canvas.controls["group_size"].disabled
    assert canvas.controls["mentor_capacity"].description == "groups per mentor"
    assert canvas.design.format == "group" and canvas.design.group_size == 2
    canvas.controls["group_size"].value = 5
    _assert_shows(canvas, START.replace(format="group", group_size=5))
    assert canvas.last_result.pairs["group_id"].notna().all()
    canvas.controls["format"].value = "one_to_one"
    assert canvas.design.group_size == 1 and canvas.controls["group_size"].disabled


def test_invalid_controls_show_the_error_and_keep_the_last_result(canvas, tmp_path):
    last = canvas.last_result
    canvas.controls["name"].value = "   "
    assert canvas.error is not None and "name" in canvas.error
    assert "cannot be simulated" in canvas.summary_html.value
    assert canvas.last_result is last
    with pytest.raises(EmentorKitError, match="valid design"):
        canvas.save(tmp_path / "x.yaml")
    canvas.controls["name"].value = "ok again"
    assert canvas.error is None
    _assert_shows(canvas, START.replace(name="ok again"))


def test_callbacks_never_print(canvas, capsys):
    canvas.controls["checkin_every_days"].value = 30
    canvas.controls["format"].value = "group"
    canvas.pin()
    capsys.readouterr()
    canvas.controls["sync_share"].value = 0.1
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_pin_compares_two_designs(canvas):
    canvas.pin()
    pinned = canvas.pinned_result
    canvas.controls["checkin_every_days"].value = 7
    assert canvas.pinned_result is pinned
    markup = canvas.compare_html.value
    assert "A (pinned)" in markup and "B (current)" in markup
    a_rows = _summary_rows(pinned.summary())
    b_rows = _summary_rows(canvas.last_result.summary())
    for (_, _, va), (_, _, vb) in zip(a_rows, b_rows, strict=True):
        assert html.escape(va) in markup and html.escape(vb) in markup
    _assert_shows(canvas, START.replace(checkin_every_days=7))  # plot has both curves


def test_save_writes_a_design_other_notebooks_load(canvas, tmp_path):
    canvas.controls["sync_share"].value = 0.2
    path = canvas.save(tmp_path / "out" / "d.yaml")
    assert ProgrammeDesign.from_yaml(path) == canvas.design
    canvas.save_path.value = str(tmp_path / "button.yaml")
    canvas.save_button.click()
    assert "Wrote" in canvas.save_html.value
    assert ProgrammeDesign.from_yaml(tmp_path / "button.yaml") == canvas.design


def test_assumptions_and_display():
    c = DesignCanvas(START.to_yaml(), seed=3, assumptions={"weekly_fade_hazard": 0.1})
    assert c.assumptions == SimulationAssumptions(weekly_fade_hazard=0.1)
    _assert_shows(c, START)
    assert isinstance(c.widget, w.VBox)
    bundle = c._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_informal_disables_the_check_in_cadence(canvas):
    assert not canvas.controls["checkin_every_days"].disabled
    canvas.controls["structure"].value = "informal"
    assert canvas.controls["checkin_every_days"].disabled
    assert canvas.design.structure == "informal"
    assert canvas.last_result.summary()["expected_check_ins"] == 0
    assert "(informal: none)" in canvas.summary_html.value
    canvas.controls["structure"].value = "formal"
    assert not canvas.controls["checkin_every_days"].disabled


def test_expected_effect_row_is_the_outcome_model(canvas):
    b = outcome_summary(simulate(START, seed=3))
    cell = f"class='ek-effect'>{b['effect_per_matched']:.3f} matched, "
    assert cell in canvas.summary_html.value
    table = canvas.summary_table()
    assert f"{b['effect_per_enrolled']:.3f} per enrolled" in table.iloc[-2]["value"]


def test_static_view_shows_the_design_without_a_kernel(canvas):
    """The fallback a static HTML export shows: summary, embedded PNG, checklist."""
    view = canvas.static_view()
    html_text = view.data
    assert canvas.summary_html.value in html_text
    png = base64.b64encode(canvas.plot.value).decode("ascii")
    assert f"data:image/png;base64,{png}" in html_text
    assert "Practice checklist" in html_text and "rematching" in html_text
    assert view._repr_html_() == html_text


# ------------------------------------------------------------------ real browser
@pytest.fixture(scope="module")
def lab():
    from tests._jupyter_browser import LabServer, chromium_skip_reason

    reason = chromium_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    with LabServer([NOTEBOOK]) as server:  # stopped by its PID on any exit
        yield server


@pytest.mark.browser
def test_browser_slider_step_shows_what_simulate_computes(lab):
    """Notebook 01 in JupyterLab: one keyboard step of the check-in slider reaches the kernel."""
    from playwright.sync_api import sync_playwright

    from tests._jupyter_browser import launch_chromium, open_and_run_all, wait_kernel_idle

    design = example_designs()["six_month_mixed"]  # what the notebook's canvas starts from

    def texts(d):
        return {
            f".ek-design-summary .{cls}": text
            for _, cls, text in _summary_rows(simulate(d, seed=2026).summary())
        }

    before = texts(design)
    after = texts(design.replace(checkin_every_days=design.checkin_every_days + 1))
    assert after[".ek-design-summary .ek-checkins"] != before[".ek-design-summary .ek-checkins"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            try:
                open_and_run_all(page, lab, NOTEBOOK.name)
                page.wait_for_selector(".ek-design-summary .ek-power", timeout=30_000)
                shown = {c: page.locator(c).first.inner_text().strip() for c in before}
                assert shown == before
                slider = ".ek-design-checkin_every_days"
                page.locator(f"{slider} .noUi-handle").focus()
                page.keyboard.press("ArrowRight")
                readout = page.locator(f"{slider} .widget-readout").first.inner_text().strip()
                assert int(readout) == design.checkin_every_days + 1
                # wait for the exact final text, not for "some change"
                page.wait_for_function(
                    "t => { const e = document.querySelector('.ek-design-summary .ek-checkins');"
                    " return !!e && e.textContent.trim() === t; }",
                    arg=after[".ek-design-summary .ek-checkins"],
                    timeout=30_000,
                )
                wait_kernel_idle(page)
                shown = {c: page.locator(c).first.inner_text().strip() for c in after}
                assert shown == after
                page.screenshot(
                    path=str(ARTIFACTS / "design_canvas_jupyterlab.png"), full_page=True
                )
            except BaseException:
                page.screenshot(path=str(ARTIFACTS / "design_canvas_failure.png"), full_page=True)
                print(f"JupyterLab log (tail):\n{lab.log()}")
                raise
        finally:
            browser.close()


def test_notebook_shows_a_static_view_beside_the_canvas():
    """An HTML export of notebook 01 is not blank: the static view is a committed output."""
    import json

    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    at = code.index("canvas.static_view()")
    assert "DesignCanvas(" in code[at - 1]
    cell = [c for c in cells if c["cell_type"] == "code"][at]
    html_out = "".join(cell["outputs"][0]["data"]["text/html"])
    assert "ek-design-static" in html_out and "data:image/png;base64," in html_out
