"""The design canvas: change a programme design and see its simulated consequences at once.

:class:`DesignCanvas` puts every dimension of a :class:`~ementor_kit.design.ProgrammeDesign`
on a control (cohort sizes, mentor capacity, one-to-one or group, duration, share of live
exchanges, check-in cadence, formal or informal, target effect of the evaluation) and re-runs
:func:`~ementor_kit.design.simulate` whenever a control is released. It shows coverage and
match quality, the share of pairs still active week by week (a plot), mentor load, the
expected evaluation sample and its power, and compares the current design with a pinned one.

What it shows is also available as attributes (``design``, ``last_result``,
``summary_html.value``, ``plot.value``, ...), so the canvas is tested without a browser;
callbacks only set widget values, they never print. Every number depends on the ILLUSTRATIVE
:class:`~ementor_kit.design.SimulationAssumptions` (and the expected effect on the STATED
:class:`~ementor_kit.design.OutcomeAssumptions`), and the canvas says so.

A widget needs a live kernel (or its saved state and a widget manager) to be drawn: in a static
HTML export of the notebook it is blank. :meth:`DesignCanvas.static_view` gives the same
summary, plot and practice checklist as plain HTML with the plot embedded as a PNG; notebook
01 shows it beside the canvas, so an exported notebook still shows the design.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ementor_kit._html import escape, figure_png
from ementor_kit.design.definition import DEFAULT_SEED, ProgrammeDesign
from ementor_kit.design.outcomes import outcome_summary
from ementor_kit.design.practice import practice_checklist
from ementor_kit.design.simulation import SimulationAssumptions, SimulationResult, simulate
from ementor_kit.errors import EmentorKitError
from ementor_kit.i18n import (
    N_,
    Translator,
    explanation,
    format_number,
    format_percent,
    label,
    translator,
)

__all__ = ["DesignCanvas"]


_STATUS_WORDS = {"check": N_("to check"), "required": N_("required"), "missing": N_("missing")}
"""The practice checklist's status codes in words (``ok`` items are not listed)."""


def _banner(t: Translator) -> str:
    return (
        "<div class='ek-illustrative' style='background:#fff4e5;border-left:4px solid #e69500;"
        "padding:4px 8px;margin-bottom:6px'><b>"
        + t.gettext("Illustrative simulation.")
        + "</b> "
        + t.gettext(
            "Coverage and match scores come from the real pairing engine on a synthetic "
            "cohort; retention and response rates follow ILLUSTRATIVE assumptions (not "
            "research findings) that you can change."
        )
        + "</div>"
    )


def _pct(x: float, lang: str = "en") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{100 * x:.1f}%" if lang == "en" else format_percent(x, 1, lang)


def _num(x: Any, fmt: str = ".1f", lang: str = "en") -> str:
    """``x`` by ``fmt`` (``.0f``, ``.2f``, ``.3g``): decimal comma in French; ``-`` if NaN."""
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(xf):
        return "-"
    if lang == "en":
        return format(xf, fmt)
    if fmt.endswith("g"):
        return format(xf, fmt).replace(".", ",")
    return format_number(xf, int(fmt[1:-1]), lang)


def _summary_rows(
    s: Mapping[str, Any], lang: str = "en", benefit: Mapping[str, Any] | None = None
) -> list[tuple[str, str, str]]:
    """(label, css class, text) of each number the canvas shows for a summary.

    ``benefit`` (from :func:`~ementor_kit.design.outcomes.outcome_summary`) adds the expected
    effect on the primary outcome.
    """
    t = translator(lang)

    def pct(x: float) -> str:
        return _pct(x, lang)

    def num(x: Any, fmt: str = ".1f") -> str:
        return _num(x, fmt, lang)

    analysed = t.gettext("{expected} (analysed {n}").format(
        expected=num(s["expected_t1_completers"]), n=s["n_analysed"]
    )
    if s["design_effect"] > 1:
        analysed += t.gettext(", group design effect {deff})").format(
            deff=num(s["design_effect"], ".2f")
        )
    else:
        analysed += ")"
    return [
        (
            t.gettext("coverage"),
            "ek-coverage",
            f"{s['n_matched']} / {s['n_mentees']} ({pct(s['coverage'])})",
        ),
        (t.gettext("mean match score"), "ek-score-mean", num(s["score_mean"])),
        (t.gettext("lowest match score"), "ek-score-min", num(s["score_min"])),
        (
            t.gettext("pairs active after {weeks} weeks").format(weeks=s["duration_weeks"]),
            "ek-active-end",
            t.gettext("{simulated} (model {model})").format(
                simulated=pct(s["active_share_end"]), model=pct(s["expected_active_share_end"])
            ),
        ),
        (
            t.gettext("half the pairs faded by week"),
            "ek-median-weeks",
            t.gettext("not reached")
            if math.isnan(s["median_active_weeks"])
            else num(s["median_active_weeks"], ".0f"),
        ),
        (
            t.gettext("mentors with mentees"),
            "ek-mentors-used",
            t.gettext("{used} / {n} (mean load {mean}, max {max})").format(
                used=s["mentors_used"],
                n=s["n_mentors"],
                mean=num(s["mean_load"], ".2f"),
                max=s["max_load"],
            ),
        ),
        (
            t.gettext("coordinator check-ins (expected)"),
            "ek-checkins",
            num(s["expected_check_ins"], ".0f")
            + (t.gettext(" (informal: none)") if s["structure"] == "informal" else ""),
        ),
        (t.gettext("expected T0+T1 respondents"), "ek-completers", analysed),
        (t.gettext("power of the pre/post test"), "ek-power", pct(s["power"])),
        (
            t.gettext("respondents needed / mentees to enrol"),
            "ek-needed",
            f"{s['n_required']} / {num(s['mentees_needed'], '.0f')}",
        ),
    ] + _benefit_rows(benefit, lang)


def _benefit_rows(b: Mapping[str, Any] | None, lang: str) -> list[tuple[str, str, str]]:
    """The expected effect rows (stated assumptions), none without ``b``."""
    if b is None:
        return []
    t = translator(lang)
    return [
        (
            t.gettext("expected effect per mentee, d (stated assumptions)"),
            "ek-effect",
            t.gettext("{matched} matched, {enrolled} per enrolled mentee").format(
                matched=_num(b["effect_per_matched"], ".3f", lang),
                enrolled=_num(b["effect_per_enrolled"], ".3f", lang),
            ),
        ),
        (
            t.gettext("relationships ending early (before 13 weeks)"),
            "ek-early-endings",
            _pct(b["share_early_endings"], lang),
        ),
    ]


def _summary_html(result: SimulationResult, lang: str = "en") -> str:
    rows = _summary_rows(result.summary(), lang, outcome_summary(result))
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{escape(k)}</th>"
        f"<td class='{cls}'>{escape(v)}</td></tr>"
        for k, cls, v in rows
    )
    return f"<div class='ek-design-summary'><table>{body}</table></div>"


def _retention_png(
    result: SimulationResult, pinned: SimulationResult | None, lang: str = "en"
) -> bytes:
    """PNG of the share of pairs active by week (current, and the pinned design if any)."""
    t = translator(lang)
    fig = Figure(figsize=(5.2, 3.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    curves = ((pinned, "#dd8452", t.gettext("pinned A")), (result, "#4c72b0", t.gettext("current")))
    for res, colour, name in curves:
        if res is None:
            continue
        r = res.retention
        ax.step(
            r["week"],
            100 * r["active_share"],
            where="post",
            color=colour,
            label=t.gettext("{curve}: simulated").format(curve=name),
        )
        ax.plot(
            r["week"],
            100 * r["expected_active_share"],
            color=colour,
            linestyle="--",
            linewidth=1,
            label=t.gettext("{curve}: model").format(curve=name),
        )
    ax.set_ylim(0, 102)
    ax.set_xlim(left=0)
    ax.set_xlabel(t.gettext("week of the programme"))
    ax.set_ylabel(t.gettext("pairs still active (%)"))
    ax.set_title(t.gettext("Retention (illustrative assumptions)"), fontsize="medium")
    ax.legend(loc="lower left", fontsize="small", frameon=False)
    fig.tight_layout()
    return figure_png(fig)


def _load_html(result: SimulationResult, lang: str = "en") -> str:
    t = translator(lang)
    load = result.mentor_load
    counts = load["n_mentees"].value_counts().sort_index()
    rows = "".join(
        f"<tr><td>{int(k)}</td><td class='ek-load-count' data-load='{int(k)}'>{int(v)}</td></tr>"
        for k, v in counts.items()
    )
    ev = result.evaluation.iloc[0]
    unmatched = result.unmatched["reason"].value_counts().sort_index()
    un_rows = "".join(
        "<li>"
        + t.ngettext("{n} mentee: {reason}", "{n} mentees: {reason}", int(v)).format(
            n=int(v), reason=escape(_reason_words(k, lang))
        )
        + "</li>"
        for k, v in unmatched.items()
    )
    evaluation = t.gettext(
        "{outcome} before (T0: {t0}, {n0} items) and after (T1: {t1}, {n1} items); target "
        "d<sub>z</sub> = {d}, alpha = {alpha}, wanted power {power}."
    ).format(
        outcome=escape(ev["primary_outcome"]),
        t0=escape(ev["instruments_T0"]),
        n0=int(ev["items_T0"]),
        t1=escape(ev["instruments_T1"]),
        n1=int(ev["items_T1"]),
        d=_num(ev["effect_size"], ".2f", lang),
        alpha=_num(ev["alpha"], ".3g", lang),
        power=_pct(ev["target_power"], lang),
    )
    load, mentees, mentors = t.gettext("Mentor load"), t.gettext("mentees"), t.gettext("mentors")
    unmatched, evaluation_title = t.gettext("Unmatched"), t.gettext("Evaluation")
    return (
        "<div class='ek-design-details'>"
        f"<b>{load}</b> "
        + t.gettext("(mentees per mentor: number of mentors)")
        + f"<table class='ek-load'><tr><th>{mentees}</th>"
        f"<th>{mentors}</th></tr>{rows}</table>"
        f"<p><b>{unmatched}</b>: {len(result.unmatched)}"
        + (f"<ul>{un_rows}</ul>" if un_rows else "")
        + f"</p><p><b>{evaluation_title}</b>: {evaluation}</p></div>"
    )


def _reason_words(reason: object, lang: str) -> str:
    """The glossary's sentence for a reason code in French; the code itself in English."""
    key = f"reason.{reason}"
    if lang == "en" or key not in _REASONS:
        return str(reason)
    return explanation(key, lang)


_REASONS = {f"reason.{r}" for r in ("no_feasible_mentor", "feasible_mentors_full", "not_selected")}


def _design_controls(d: ProgrammeDesign, wide: w.Layout, lang: str = "en") -> dict[str, w.Widget]:
    """One control per design setting, starting at the values of ``d`` (see ``controls``)."""
    style = {"description_width": "170px"}
    t = translator(lang)

    def islider(value: int, lo: int, hi: int, step: int, text: str, tip: str = "") -> w.IntSlider:
        return w.IntSlider(
            value=value,
            min=min(lo, value),
            max=max(hi, value),
            step=step,
            description=t.gettext(text),
            continuous_update=False,
            style=style,
            layout=wide,
            **({"tooltip": tip} if tip else {}),
        )

    def fslider(value: float, lo: float, hi: float, text: str, tip: str) -> w.FloatSlider:
        return w.FloatSlider(
            value=value,
            min=lo,
            max=hi,
            step=0.05,
            description=text,
            tooltip=tip,
            continuous_update=False,
            style=style,
            layout=wide,
            readout_format=".2f",
        )

    def toggles(options: list[tuple[str, str]], value: str, text: str) -> w.ToggleButtons:
        shown = [(t.gettext(o), v) for o, v in options]
        return w.ToggleButtons(options=shown, value=value, description=t.gettext(text), style=style)

    return {
        "name": w.Text(
            value=d.name,
            description=t.gettext("design name"),
            style=style,
            layout=wide,
            continuous_update=False,
        ),
        "n_mentees": islider(d.n_mentees, 10, 1000, 1, N_("mentees")),
        "n_mentors": islider(d.n_mentors, 5, 400, 1, N_("mentors")),
        "mentor_capacity": islider(
            d.mentor_capacity, 1, 10, 1, N_("mentees per mentor"), explanation("capacity", lang)
        ),
        "format": toggles(
            [(N_("one-to-one"), "one_to_one"), (N_("group"), "group")], d.format, N_("format")
        ),
        "group_size": islider(max(d.group_size, 2), 2, 15, 1, N_("group size")),
        "duration_weeks": islider(d.duration_weeks, 2, 104, 1, N_("duration (weeks)")),
        "sync_share": fslider(
            d.sync_share, 0.0, 1.0, label("sync", lang), explanation("sync", lang)
        ),
        "checkin_every_days": islider(
            d.checkin_every_days,
            1,
            90,
            1,
            N_("check-in every (days)"),
            explanation("check_in", lang),
        ),
        "structure": toggles(
            [(N_("formal"), "formal"), (N_("informal"), "informal")], d.structure, N_("structure")
        ),
        "effect_size": fslider(
            d.evaluation.effect_size, 0.05, 1.5, label("d_z", lang), explanation("d_z", lang)
        ),
    }


class DesignCanvas:
    """Interactive programme design: move a control, see the simulated consequences at once.

    Parameters
    ----------
    design : ProgrammeDesign, dict, YAML path or text, optional
        Starting design (default ``ProgrammeDesign()``); every control starts at its values.
    seed : int
        Seed of the synthetic cohort and of the simulation (fixed while the canvas lives, so
        differences come from the design).
    assumptions : SimulationAssumptions or dict, optional
        The ILLUSTRATIVE parameters of the simulation.
    output_dir : str or Path
        Default folder of :meth:`save` (``outputs/``, git-ignored).
    lang : str, optional
        Language of every label, message and figure (``"en"`` or ``"fr"``); default the
        process language (:func:`ementor_kit.set_language`).

    Attributes
    ----------
    controls : dict of str to widget
        ``name``, ``n_mentees``, ``n_mentors``, ``mentor_capacity``, ``format``,
        ``group_size``, ``duration_weeks``, ``sync_share``, ``checkin_every_days``,
        ``structure``, ``effect_size``. Sliders have ``continuous_update=False``: the design
        is simulated again when a slider is released.
    summary_html, plot, details_html, compare_html, save_html
        What is shown (widget values, readable by tests). ``plot`` is an Image widget (PNG).
    design : ProgrammeDesign
        The design of the last successful simulation; ``last_result`` its result.
    error : str or None
        Why the current controls do not make a valid design (shown in the summary).
    simulation_count : int
        Number of simulations so far.
    lang : str
        The language shown (``"en"`` or ``"fr"``).

    Examples
    --------
    >>> canvas = DesignCanvas(ProgrammeDesign(n_mentees=40, n_mentors=15, duration_weeks=8),
    ...                       seed=1)
    >>> canvas.controls["checkin_every_days"].value = 7
    >>> canvas.design.checkin_every_days, canvas.simulation_count
    (7, 2)
    >>> "ek-power" in canvas.summary_html.value
    True
    >>> canvas.summary_table().loc[["design", "coordinator check-ins (expected)"]]
                                                value
    measure
    design                            Programme design
    coordinator check-ins (expected)               297
    """

    def __init__(
        self,
        design: ProgrammeDesign | Mapping[str, Any] | str | Path | None = None,
        *,
        seed: int = DEFAULT_SEED,
        assumptions: SimulationAssumptions | Mapping[str, Any] | None = None,
        output_dir: str | Path = "outputs",
        lang: str | None = None,
    ) -> None:
        self._t: Translator = translator(lang)
        self.lang = self._t.lang
        start = ProgrammeDesign() if design is None else ProgrammeDesign.coerce(design)
        if assumptions is None:
            assumptions = SimulationAssumptions()
        elif isinstance(assumptions, Mapping):
            assumptions = SimulationAssumptions.from_dict(assumptions)
        self.initial_design = start
        self.seed = int(seed)
        self.assumptions = assumptions
        self.design: ProgrammeDesign = start
        self.last_result: SimulationResult | None = None
        self.pinned_result: SimulationResult | None = None
        self.error: str | None = None
        self.simulation_count = 0
        self._busy = False
        self._pending = False
        self._build(start, output_dir)
        self.widget = self._layout()
        self._observe()
        self._request()

    # ------------------------------------------------------------------ widgets
    def _build(self, d: ProgrammeDesign, output_dir: str | Path) -> None:
        wide = w.Layout(width="420px")  # one layout shared by the wide widgets, as shown
        c = _design_controls(d, wide, self.lang)
        for key, ctl in c.items():
            ctl.add_class(f"ek-design-{key}")  # stable hooks for browser tests
        self.controls = c
        self._sync_format_controls()
        self._build_outputs(output_dir, wide)

    def _build_outputs(self, output_dir: str | Path, wide: w.Layout) -> None:
        """The summary, figure, details, pin/compare and save widgets."""
        t = self._t
        self.summary_html = w.HTML()
        self.summary_html.add_class("ek-design-summary-widget")
        self.plot = w.Image(format="png", layout=w.Layout(width="520px"))
        self.details_html = w.HTML()
        self.pin_button = w.Button(
            description=t.gettext("Pin current design as A"),
            icon="thumb-tack",
            layout=w.Layout(width="220px"),
        )
        self.compare_html = w.HTML(
            "<i>"
            + t.gettext(
                "Pin the current design as A, change the controls, and the two are compared here."
            )
            + "</i>"
        )
        self.save_path = w.Text(
            value=str(Path(output_dir) / "programme_design.yaml"),
            description=t.gettext("save to"),
            layout=wide,
        )
        self.save_button = w.Button(
            description=t.gettext("Save design (YAML)"),
            icon="download",
            layout=w.Layout(width="220px"),
        )
        self.save_html = w.HTML()

    def _layout(self) -> w.Widget:
        c, t = self.controls, self._t

        def heading(text: str) -> w.HTML:
            return w.HTML(f"<b>{t.gettext(text)}</b>")

        left = w.VBox(
            [
                c["name"],
                heading(N_("Cohort")),
                c["n_mentees"],
                c["n_mentors"],
                c["mentor_capacity"],
                heading(N_("Individual or collective")),
                c["format"],
                c["group_size"],
                heading(N_("Short or long term, live or written")),
                c["duration_weeks"],
                c["sync_share"],
                heading(N_("Formal or informal follow-up")),
                c["structure"],
                c["checkin_every_days"],
                heading(N_("Evaluation")),
                c["effect_size"],
            ],
            layout=w.Layout(width="440px"),
        )
        right = w.VBox(
            [w.HTML(_banner(t)), self.summary_html, self.plot], layout=w.Layout(flex="1")
        )
        tabs = w.Tab(
            children=[
                self.details_html,
                w.VBox([self.pin_button, self.compare_html]),
                w.VBox([self.save_path, self.save_button, self.save_html]),
            ]
        )
        for i, title in enumerate([N_("Load and evaluation"), N_("Compare A/B"), N_("Save")]):
            tabs.set_title(i, t.gettext(title))
        box = w.VBox([w.HBox([left, right]), tabs])
        box.add_class("ek-design-canvas")
        return box

    def _observe(self) -> None:
        for key, ctl in self.controls.items():
            if key in ("format", "structure"):
                ctl.observe(self._on_format, names="value")
            else:
                ctl.observe(self._on_control, names="value")
        self.pin_button.on_click(lambda _b: self.pin())
        self.save_button.on_click(lambda _b: self._save_clicked())

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)

    def _sync_format_controls(self) -> None:
        group = self.controls["format"].value == "group"
        self.controls["group_size"].disabled = not group
        # informal: the coordinator does not check in, the cadence is not used
        self.controls["checkin_every_days"].disabled = (
            self.controls["structure"].value == "informal"
        )
        t = self._t
        self.controls["mentor_capacity"].description = (
            t.gettext("groups per mentor") if group else t.gettext("mentees per mentor")
        )

    # ------------------------------------------------------------------ design <-> controls
    def current_design(self) -> ProgrammeDesign:
        """The design the controls show right now (raises DataValidationError when invalid)."""
        c = self.controls
        group = c["format"].value == "group"
        evaluation = self.initial_design.evaluation
        return self.initial_design.replace(
            name=c["name"].value,
            n_mentees=int(c["n_mentees"].value),
            n_mentors=int(c["n_mentors"].value),
            mentor_capacity=int(c["mentor_capacity"].value),
            format=c["format"].value,
            group_size=int(c["group_size"].value) if group else 1,
            duration_weeks=int(c["duration_weeks"].value),
            sync_share=round(float(c["sync_share"].value), 6),
            checkin_every_days=int(c["checkin_every_days"].value),
            structure=c["structure"].value,
            evaluation=replace(evaluation, effect_size=round(float(c["effect_size"].value), 6)),
        )

    def _on_format(self, change: dict) -> None:
        self._sync_format_controls()
        self._request()

    def _on_control(self, change: dict) -> None:
        self._request()

    def _request(self) -> None:
        """Simulate the current controls; a change arriving during a simulation is not lost."""
        self._pending = True
        if self._busy:
            return
        self._busy = True
        try:
            while self._pending:
                self._pending = False
                self._simulate_once()
        finally:
            self._busy = False

    def _simulate_once(self) -> None:
        try:
            design = self.current_design()
            if self.last_result is not None and design == self.design and self.error is None:
                return
            result = simulate(design, seed=self.seed, assumptions=self.assumptions)
        except EmentorKitError as exc:
            self.error = str(exc)
            self.summary_html.value = (
                "<div class='ek-design-summary ek-error' style='color:#a00'><b>"
                + self._t.gettext("This design cannot be simulated:")
                + f"</b><pre style='white-space:pre-wrap'>{escape(exc)}</pre></div>"
            )
            return
        self.design, self.last_result, self.error = design, result, None
        self.simulation_count += 1
        self._render()

    def _render(self) -> None:
        assert self.last_result is not None
        self.summary_html.value = _summary_html(self.last_result, self.lang)
        self.plot.value = _retention_png(self.last_result, self.pinned_result, self.lang)
        self.details_html.value = _load_html(self.last_result, self.lang)
        if self.pinned_result is not None:
            self.compare_html.value = self._compare_markup()

    def summary_table(self) -> pd.DataFrame:
        """The numbers of the summary panel as a table (what a static notebook can show).

        Returns
        -------
        DataFrame
            Index ``measure`` (the panel's labels, after a first row ``design`` naming the
            design; in the canvas's language), one column ``value`` holding the text the
            panel shows, for the last
            successful simulation (:attr:`design`; see :attr:`error` for controls that do
            not make a valid design).
        """
        assert self.last_result is not None  # __init__ simulates the starting design
        rows = [(self._t.gettext("design"), self.design.name)]
        rows += [
            (name, text)
            for name, _cls, text in _summary_rows(
                self.last_result.summary(), self.lang, outcome_summary(self.last_result)
            )
        ]
        index = pd.Index([r[0] for r in rows], name="measure", dtype="str")
        return pd.DataFrame({"value": [r[1] for r in rows]}, index=index, dtype="str")

    def static_view(self) -> Any:
        """The canvas as plain HTML: what a static export of the notebook can show.

        Returns
        -------
        IPython.display.HTML
            The banner, the summary table, the retention plot (an embedded PNG) and the
            practice checklist's items that are not ``ok``, for the last successful
            simulation. ``.data`` holds the HTML text. It does not change when the controls
            move: call it again.
        """
        from IPython.display import HTML  # only for display; IPython comes with ipywidgets

        assert self.last_result is not None  # __init__ simulates the starting design
        t = self._t
        png = base64.b64encode(_retention_png(self.last_result, self.pinned_result, self.lang))
        checks = practice_checklist(self.design, self.last_result, lang=self.lang)
        todo = checks.loc[checks["status"] != "ok"]
        item = t.gettext(N_("{standard}: {item} ({note})"))
        items = "".join(
            f"<li><b>{escape(t.gettext(_STATUS_WORDS.get(r.status, r.status)))}</b> "
            + escape(item.format(standard=r.standard, item=r.item, note=r.note))
            + "</li>"
            for r in todo.itertuples()
        )
        html = (
            "<div class='ek-design-static'>"
            + _banner(t)
            + f"<p><b>{escape(self.design.name)}</b> "
            + t.gettext("(static view of the design canvas)")
            + "</p>"
            + _summary_html(self.last_result, self.lang)
            + f"<img alt='retention' src='data:image/png;base64,{png.decode('ascii')}'/>"
            + "<p><b>"
            + t.gettext("Practice checklist")
            + "</b>"
            + (" : " if t.lang == "fr" else ": ")
            + (f"<ul>{items}</ul>" if items else t.gettext("every item ok"))
            + "</p></div>"
        )
        return HTML(html)

    # ------------------------------------------------------------------ compare and save
    def pin(self) -> None:
        """Pin the current design and result as A; the plot and Compare tab show both."""
        if self.last_result is None:
            return
        self.pinned_result = self.last_result
        self._render()

    def _compare_markup(self) -> str:
        a, b = self.pinned_result, self.last_result
        assert a is not None and b is not None
        t, lang = self._t, self.lang
        ra, rb = _summary_rows(a.summary(), lang), _summary_rows(b.summary(), lang)
        da, db = a.design, b.design
        dims = [
            (t.gettext("design"), da.name, db.name),
            (t.gettext("format"), _fmt_format(da, lang), _fmt_format(db, lang)),
            (t.gettext("duration (weeks)"), da.duration_weeks, db.duration_weeks),
            (
                t.gettext("live share"),
                _num(da.sync_share, ".2f", lang),
                _num(db.sync_share, ".2f", lang),
            ),
            (t.gettext("check-in every (days)"), da.checkin_every_days, db.checkin_every_days),
            (t.gettext("structure"), t.gettext(da.structure), t.gettext(db.structure)),
        ]
        rows = dims + [(la, va, vb) for (la, _, va), (_, _, vb) in zip(ra, rb, strict=True)]
        body = "".join(
            f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(x)}</td>"
            f"<td>{escape(y)}</td></tr>"
            for k, x, y in rows
        )
        title_a, title_b = t.gettext("A (pinned)"), t.gettext("B (current)")
        return (
            f"<table class='ek-design-compare'><tr><th></th><th>{title_a}</th>"
            f"<th>{title_b}</th></tr>{body}</table>"
        )

    def save(self, path: str | Path | None = None) -> Path:
        """Write the current design as YAML (default: the Save tab's path) and return the path.

        Other notebooks read it with :meth:`ProgrammeDesign.from_yaml`.
        """
        if self.error is not None:
            raise EmentorKitError(
                self._t.gettext(
                    "The current controls do not make a valid design ({error}). Fix: change "
                    "the controls first."
                ).format(error=self.error)
            )
        target = Path(path if path is not None else self.save_path.value)
        self.design.to_yaml(target)
        return target

    def _save_clicked(self) -> None:
        try:
            path = self.save()
        except (EmentorKitError, OSError) as exc:
            self.save_html.value = f"<span class='ek-error' style='color:#a00'>{escape(exc)}</span>"
            return
        wrote = self._t.gettext("Wrote {files}").format(files=f"<code>{escape(path)}</code>")
        self.save_html.value = f"<span class='ek-saved'>{wrote}</span>"


def _fmt_format(d: ProgrammeDesign, lang: str = "en") -> str:
    t = translator(lang)
    if d.format == "group":
        return t.gettext("groups of {n}").format(n=d.group_size)
    return t.gettext("one-to-one")
