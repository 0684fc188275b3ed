"""ementor_kit._html: the one HTML escape and figure-to-PNG shared by the report and widgets."""

import struct
import subprocess
import sys

from matplotlib.figure import Figure

from ementor_kit import _html
from ementor_kit._html import escape, figure_png
from ementor_kit.report import render
from ementor_kit.report.sections import engagement, pairing, regression
from ementor_kit.widgets import design_canvas, playground, playground_views


def _figure() -> Figure:
    fig = Figure(figsize=(2, 1.5))
    fig.add_subplot().plot([0, 1, 2], [2, 0, 1])
    return fig


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_escape_escapes_markup_and_both_quotes():
    assert escape("<a href=\"x\" title='y'>&</a>") == (
        "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"
    )
    assert escape(None) == "None" and escape(0.5) == "0.5"


def test_figure_png_is_deterministic_and_has_no_software_metadata():
    a, b = figure_png(_figure()), figure_png(_figure())
    assert a == b
    assert b"Software" not in a and b"matplotlib" not in a.lower()


def test_figure_png_dpi_sets_the_pixel_size():
    fig = _figure()
    assert _png_size(figure_png(fig, dpi=50)) == (100, 75)
    assert _png_size(figure_png(fig, dpi=96)) == (192, 144)
    # no dpi: matplotlib's savefig.dpi ("figure" by default: the figure's own dpi)
    w, h = _png_size(figure_png(fig))
    assert (w, h) == (round(2 * fig.dpi), round(1.5 * fig.dpi))


def test_report_and_widgets_share_the_one_implementation():
    assert render.escape is _html.escape
    for module in (playground, playground_views, design_canvas):
        assert module.escape is _html.escape
    for module in (pairing, engagement, regression, playground_views, design_canvas):
        assert module.figure_png is _html.figure_png
    for module in (pairing, engagement, regression, playground, playground_views, design_canvas):
        assert not hasattr(module, "_esc") and not hasattr(module, "_figure_png")


def test_the_report_does_not_import_ipywidgets():
    code = "import sys, ementor_kit.report; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
