"""The match playground: pilot pairing rules interactively in JupyterLab or as a Voilà app.

:class:`MatchPlayground` puts every decision of a :class:`~ementor_kit.matching.MatchRules` on a
control (one slider per criterion weight, the hard rules, capacity overrides, the objective) and
re-runs :func:`~ementor_kit.matching.match` whenever a control is released (on the people
prepared once, :func:`~ementor_kit.prepare_people`: a move costs the weighted sum and the
solve). It shows the summary (coverage, mean and worst score, coverage per group, solve time,
proof of optimality), the score distribution, the pairs, everybody left unmatched with the
reason, the explanation of any mentee's pairing, a comparison with a pinned rule set, and
exports the pairs (CSV) and the rules (YAML) stamped with the provenance hash.

Everything the widgets show is also available as attributes (``last_result``, ``last_rules``,
``summary_html.value``, ...), so the playground is tested without a browser; callbacks only set
widget values, they never print.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from ementor_kit._html import escape
from ementor_kit.errors import EmentorKitError
from ementor_kit.i18n import (
    GLOSSARY,
    N_,
    Translator,
    explanation,
    label,
    translator,
)
from ementor_kit.matching import MatchResult, MatchRules, match, prepare_people
from ementor_kit.matching.rules import CRITERIA_HELP, OBJECTIVES
from ementor_kit.widgets.playground_compare import _changed_pairs, _rules_diff
from ementor_kit.widgets.playground_views import (
    _any_html,
    _coverage_text,
    _histogram_png,
    _num,
    _pct,
    _summary_html,
    _table,
)

__all__ = ["MatchPlayground"]

_RULE_LABELS = {
    "shared_language": N_("Mentor and mentee share a language"),
    "no_same_department": N_("No pair inside the same department"),
}
_TERMS = {t.key for t in GLOSSARY}


def _names(people: pd.DataFrame, id_column: str) -> dict[str, str]:
    """Id -> the name shown beside it: ``display_name`` (the sample), a declared ``name``
    attribute, or nothing."""
    column = next((c for c in ("display_name", "name") if c in people.columns), None)
    if column is None:
        return dict.fromkeys(people[id_column], "")
    names = people[column].astype("str").fillna("")
    return dict(zip(people[id_column], names, strict=True))


class MatchPlayground:
    """Interactive pairing rules: move a control, see the new optimal pairing at once.

    Parameters
    ----------
    mentors, mentees : DataFrame
        Profile tables (raw or validated), see :mod:`ementor_kit.data.schema`.
    rules : MatchRules, dict, YAML path or text, optional
        Starting rules (default ``MatchRules()``); every control starts at their values.
    output_dir : str or Path
        Default export folder (``outputs/``, git-ignored); editable in the Export tab.
    weight_max : float
        Upper end of the weight sliders (raised to the largest starting weight if needed).
    lang : str, optional
        Language of every label, message and figure (``"en"`` or ``"fr"``); default the
        process language (:func:`ementor_kit.set_language`).
    id_labels : mapping of str to str, optional
        Id -> the label the tables show instead (the coordinator app's pseudonyms of ids
        that are e-mail addresses); default the ids themselves.

    Attributes
    ----------
    weight_sliders : dict of str to FloatSlider
        One slider per criterion of ``rules.criteria`` (``continuous_update=False``: the pairing is
        re-solved when the slider is released, not on every intermediate value).
    rule_toggles : dict of str to Checkbox
        ``shared_language`` and ``no_same_department``.
    min_score_slider, objective_dropdown
        The minimum acceptable score and the objective.
    capacity_mentor, capacity_value, capacity_set_button, capacity_clear_button
        Per-mentor capacity override editor (``capacity_overrides`` holds the current ones).
    summary_html, plot, pairs_html, unmatched_html, explain_html, compare_html, export_html
        What is shown (widget values, readable by tests).
    mentee_picker
        Mentee whose pairing ``explain_html`` explains.
    last_result : MatchResult or None
        Result of the last successful solve; ``last_rules`` the rules it was solved with.
    error : str or None
        Why the current controls could not be solved (shown in the summary), else None.
    solve_count : int
        Number of solves so far.
    lang : str
        The language shown (``"en"`` or ``"fr"``).

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> mentors, mentees = example_profiles()
    >>> pg = MatchPlayground(mentors, mentees, {"weights": {"skills": 1, "domain": 1}})
    >>> pg.last_result.summary().n_pairs == len(pg.last_result.pairs)
    True
    >>> pg.weight_sliders["domain"].value = 0.0      # what releasing the slider does
    >>> pg.last_rules.weights["domain"], pg.solve_count
    (0.0, 2)
    """

    def __init__(
        self,
        mentors: pd.DataFrame,
        mentees: pd.DataFrame,
        rules: MatchRules | Mapping[str, Any] | str | Path | None = None,
        *,
        output_dir: str | Path = "outputs",
        weight_max: float = 5.0,
        lang: str | None = None,
        id_labels: Mapping[str, str] | None = None,
    ) -> None:
        self._t: Translator = translator(lang)
        self.lang = self._t.lang
        # French labels are longer ("fuseau horaire", "score minimal"): wider label column
        self._label_width = "90px" if self.lang == "en" else "120px"
        self._control_width = "340px" if self.lang == "en" else "370px"
        prepared = prepare_people(mentors, mentees, rules)
        # the tables checked and every criterion's values kept: a move re-weights and solves
        self._prepared = prepared
        self.mentors, self.mentees = prepared.mentors, prepared.mentees
        start = prepared.rules
        self.initial_rules = start
        self.last_result: MatchResult | None = None
        self.last_rules: MatchRules | None = None
        self.error: str | None = None
        self.solve_count = 0
        self.last_solve_seconds = float("nan")
        self.pinned_rules: MatchRules | None = None
        self.pinned_result: MatchResult | None = None
        self._solving = False
        self._pending = False
        self._names = {**_names(self.mentors, "mentor_id"), **_names(self.mentees, "mentee_id")}
        self.id_labels: dict[str, str] = dict(id_labels or {})
        self._build_controls(start, weight_max)
        self._build_views(output_dir)
        self.widget = self._layout()
        self._observe()
        self._request_solve()

    # ---------------------------------------------------------------------- construction
    def _criterion_words(self, criterion: Any) -> tuple[str, str]:
        """Slider label and tooltip of a criterion: its name and plain words on it (the
        English label stays the criterion's name, as in the rules' YAML)."""
        c, t = criterion.name, self._t
        key = f"criterion.{c}"
        default = t.gettext("{kind} of {mentee} / {mentor}").format(
            kind=criterion.kind, mentee=criterion.mentee, mentor=criterion.mentor
        )
        if self.lang == "en":
            return c, CRITERIA_HELP.get(c, default)
        if key in _TERMS:
            return label(key, self.lang), explanation(key, self.lang)
        return c, default

    def _build_controls(self, start: MatchRules, weight_max: float) -> None:
        t = self._t
        top = max([weight_max, *start.weights.values()])
        self.weight_sliders: dict[str, w.FloatSlider] = {}
        for criterion in start.criteria:  # the sample's CRITERIA, or the declared criteria
            c = criterion.name
            text, tip = self._criterion_words(criterion)
            s = w.FloatSlider(
                value=start.weights[c],
                min=0.0,
                max=top,
                step=0.1,
                description=text,
                continuous_update=False,
                readout_format=".1f",
                tooltip=tip,
                style={"description_width": self._label_width},
                layout=w.Layout(width=self._control_width),
            )
            s.add_class(f"ek-weight-{c}")
            self.weight_sliders[c] = s
        self.rule_toggles: dict[str, w.Checkbox] = {}
        for key, text in _RULE_LABELS.items():
            cb = w.Checkbox(value=getattr(start, key), description=t.gettext(text), indent=False)
            cb.add_class(f"ek-rule-{key}")
            self.rule_toggles[key] = cb
        self.min_score_slider = w.FloatSlider(
            value=start.min_score,
            min=0.0,
            max=100.0,
            step=1.0,
            description=label("min_score", self.lang),
            tooltip=explanation("min_score", self.lang),
            continuous_update=False,
            readout_format=".0f",
            style={"description_width": self._label_width},
            layout=w.Layout(width=self._control_width),
        )
        self.min_score_slider.add_class("ek-min-score")
        self.objective_dropdown = w.Dropdown(
            options=[(self._objective_label(o), o) for o in OBJECTIVES],
            value=start.objective,
            description=t.gettext("objective"),
            tooltip="\n".join(
                f"{self._objective_label(o)}: {explanation(f'objective.{o}', self.lang)}"
                for o in OBJECTIVES
                if f"objective.{o}" in _TERMS
            ),
            style={"description_width": self._label_width},
            layout=w.Layout(width=self._control_width),
        )
        self.objective_dropdown.add_class("ek-objective")
        # capacity override editor
        self.capacity_overrides: dict[str, int] = dict(start.capacity_override)
        # as the matching reads it: mentors without a capacity column take one mentee each
        caps = self.mentors["capacity"] if "capacity" in self.mentors.columns else 1
        cap = dict(
            zip(self.mentors["mentor_id"], pd.Series(caps, index=self.mentors.index), strict=True)
        )
        self._base_capacity = {k: int(v) for k, v in cap.items()}
        self.capacity_mentor = w.Dropdown(
            options=[
                (
                    t.gettext("{id} {name} (capacity {capacity})").format(
                        id=self._shown(m), name=self._names[m], capacity=cap[m]
                    ),
                    m,
                )
                for m in sorted(cap)
            ],
            description=t.gettext("mentor"),
            style={"description_width": self._label_width},
            layout=w.Layout(width=self._control_width),
        )
        self.capacity_value = w.BoundedIntText(
            value=int(cap[self.capacity_mentor.value]) if cap else 0,
            min=0,
            max=20,
            description=t.gettext("capacity"),
            tooltip=explanation("capacity", self.lang),
            style={"description_width": self._label_width},
            layout=w.Layout(width="210px" if self.lang != "en" else "180px"),
        )
        self.capacity_set_button = w.Button(
            description=t.gettext("Set"),
            layout=w.Layout(width="70px" if self.lang == "en" else "105px"),
        )
        self.capacity_clear_button = w.Button(
            description=t.gettext("Clear all"),
            layout=w.Layout(width="80px" if self.lang == "en" else "120px"),
        )
        self.capacity_html = w.HTML()

    def _objective_label(self, objective: str) -> str:
        key = f"objective.{objective}"
        return label(key, self.lang) if key in _TERMS else objective

    def _build_views(self, output_dir: str | Path) -> None:
        t = self._t
        self.summary_html = w.HTML()
        self.summary_html.add_class("ek-summary-widget")
        self.plot = w.Image(format="png", layout=w.Layout(width="440px"))
        self.plot.add_class("ek-plot")
        self.pairs_html = w.HTML()
        self.unmatched_html = w.HTML()
        self.mentee_picker = w.Dropdown(
            options=[
                (f"{self._shown(e)} {self._names[e]}", e) for e in sorted(self.mentees["mentee_id"])
            ],
            description=t.gettext("mentee"),
            layout=w.Layout(width="340px"),
        )
        self.explain_html = w.HTML()
        self.pin_button = w.Button(
            description=t.gettext("Pin current rules as A"),
            icon="thumb-tack",
            layout=w.Layout(width="220px"),
        )
        self.unpin_button = w.Button(
            description=t.gettext("Clear A"), layout=w.Layout(width="100px")
        )
        self.compare_html = w.HTML(
            "<i>"
            + t.gettext(
                "Pin the current rules as A, change the controls (B), and the two are "
                "compared here."
            )
            + "</i>"
        )
        self.export_dir = w.Text(value=str(output_dir), description=t.gettext("folder"))
        self.export_button = w.Button(
            description=t.gettext("Export pairs + rules"),
            icon="download",
            layout=w.Layout(width="220px"),
        )
        self.export_html = w.HTML()

    def _layout(self) -> w.Widget:
        t = self._t
        controls = w.VBox(
            [
                w.HTML(
                    "<b>"
                    + t.gettext("Criterion weights")
                    + "</b> "
                    + t.gettext("(0 switches a criterion off)")
                ),
                *self.weight_sliders.values(),
                w.HTML("<b>" + t.gettext("Hard rules") + "</b>"),
                *self.rule_toggles.values(),
                self.min_score_slider,
                w.HTML("<b>" + t.gettext("Objective") + "</b>"),
                self.objective_dropdown,
                w.HTML("<b>" + t.gettext("Capacity override") + "</b>"),
                self.capacity_mentor,
                w.HBox([self.capacity_value, self.capacity_set_button, self.capacity_clear_button]),
                self.capacity_html,
            ],
            layout=w.Layout(width="370px"),
        )
        right = w.VBox([self.summary_html, self.plot], layout=w.Layout(flex="1"))
        tabs = w.Tab(
            children=[
                self.pairs_html,
                self.unmatched_html,
                w.VBox([self.mentee_picker, self.explain_html]),
                w.VBox([w.HBox([self.pin_button, self.unpin_button]), self.compare_html]),
                w.VBox([self.export_dir, self.export_button, self.export_html]),
            ]
        )
        titles = [N_("Pairs"), N_("Unmatched"), N_("Explain"), N_("Compare A/B"), N_("Export")]
        for i, title in enumerate(titles):
            tabs.set_title(i, t.gettext(title))
        box = w.VBox([w.HBox([controls, right]), tabs])
        box.add_class("ek-playground")
        return box

    def _observe(self) -> None:
        for s in self.weight_sliders.values():
            s.observe(self._on_control, names="value")
        for cb in self.rule_toggles.values():
            cb.observe(self._on_control, names="value")
        self.min_score_slider.observe(self._on_control, names="value")
        self.objective_dropdown.observe(self._on_control, names="value")
        self.capacity_mentor.observe(self._on_capacity_mentor, names="value")
        self.capacity_set_button.on_click(
            lambda _b: self.set_capacity(self.capacity_mentor.value, self.capacity_value.value)
        )
        self.capacity_clear_button.on_click(lambda _b: self.clear_capacity_overrides())
        self.mentee_picker.observe(lambda _c: self._render_explain(), names="value")
        self.pin_button.on_click(lambda _b: self.pin())
        self.unpin_button.on_click(lambda _b: self.unpin())
        self.export_button.on_click(lambda _b: self._export_clicked())

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)

    # ---------------------------------------------------------------------- rules <-> controls
    def current_rules(self) -> MatchRules:
        """The rules the controls show right now (raises DataValidationError when invalid)."""
        weights = {c: round(float(s.value), 6) for c, s in self.weight_sliders.items()}
        return self.initial_rules.replace(
            weights=weights,
            shared_language=bool(self.rule_toggles["shared_language"].value),
            no_same_department=bool(self.rule_toggles["no_same_department"].value),
            min_score=round(float(self.min_score_slider.value), 6),
            objective=self.objective_dropdown.value,
            capacity_override=dict(self.capacity_overrides),
        )

    def set_capacity(self, mentor_id: str, capacity: int) -> None:
        """Override one mentor's capacity (0 takes the mentor out) and re-solve."""
        if mentor_id not in self._base_capacity:
            text = self._t.gettext("unknown mentor {id}").format(id=escape(mentor_id))
            self.capacity_html.value = f"<span class='ek-error'>{text}</span>"
            return
        self.capacity_overrides[mentor_id] = int(capacity)
        self._request_solve()

    def set_pairs(
        self,
        forbidden: tuple[tuple[str, str], ...] = (),
        required: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """Replace the forbidden and the required (locked) ``(mentee_id, mentor_id)`` pairs
        and re-solve (an impossible set is shown as an error in the summary).

        Examples
        --------
        >>> from ementor_kit.datasets import example_profiles
        >>> pg = MatchPlayground(*example_profiles(), {"weights": {"skills": 1}})
        >>> pg.set_pairs(forbidden=(("E001", "M001"),))
        >>> pg.last_rules.forbidden_pairs, "M001" in set(pg.last_result.pairs["mentor_id"])
        ((('E001', 'M001'),), True)
        >>> pg.set_pairs(required=(("E001", "M002"),))  # against the language rule
        >>> pg.error.split(":")[0]
        'cannot satisfy required pair (E001, M002)'"""
        try:
            self.initial_rules = self.initial_rules.replace(
                forbidden_pairs=tuple(forbidden), required_pairs=tuple(required)
            )
        except EmentorKitError as exc:
            self._show_error(exc)
            return
        self._request_solve()

    def clear_capacity_overrides(self) -> None:
        """Drop every capacity override and re-solve."""
        self.capacity_overrides.clear()
        self._request_solve()

    def _on_capacity_mentor(self, change: dict) -> None:
        m = change["new"]
        self.capacity_value.value = self.capacity_overrides.get(m, self._base_capacity.get(m, 0))

    # ---------------------------------------------------------------------- solving
    def _on_control(self, change: dict) -> None:
        self._request_solve()

    def _request_solve(self) -> None:
        """Solve for the current controls; a change arriving during a solve is never lost.

        A request made while a solve runs (from a callback re-entering, or a thread) only marks
        the state dirty; the running loop re-reads the controls after each solve and solves
        again until the result matches what the controls show.
        """
        self._pending = True
        if self._solving:
            return
        self._solving = True
        try:
            while self._pending:
                self._pending = False
                self._solve_once()
        finally:
            self._solving = False

    def _solve_once(self) -> None:
        try:
            rules = self.current_rules()
        except EmentorKitError as exc:
            self._show_error(exc)
            return
        if rules == self.last_rules and self.error is None and self.last_result is not None:
            return
        t0 = time.perf_counter()
        try:
            result = match(
                self._prepared.mentors, self._prepared.mentees, rules, prepared=self._prepared
            )
        except EmentorKitError as exc:
            self._show_error(exc)
            return
        self.last_solve_seconds = time.perf_counter() - t0
        self.last_result, self.last_rules, self.error = result, rules, None
        self.solve_count += 1
        self._render()

    def _show_error(self, exc: Exception) -> None:
        self.error = str(exc)
        t = self._t
        self.summary_html.value = (
            "<div class='ek-summary ek-error' style='color:#a00'><b>"
            + t.gettext("These rules cannot be solved:")
            + f"</b><pre style='white-space:pre-wrap'>{escape(exc)}</pre>"
            + t.gettext("The tables below still show the last solvable rules.")
            + "</div>"
        )

    # ---------------------------------------------------------------------- rendering
    def _render(self) -> None:
        self._render_capacity()
        self.summary_html.value = self._summary_markup()
        self.plot.value = self._plot_png()
        self.pairs_html.value = self._pairs_markup()
        self.unmatched_html.value = self._unmatched_markup()
        self._render_explain()
        if self.pinned_result is not None:
            self.compare_html.value = self._compare_markup()

    def _render_capacity(self) -> None:
        if not self.capacity_overrides:
            text = self._t.gettext("no override: capacities from mentors.csv")
            self.capacity_html.value = f"<i>{text}</i>"
            return
        items = ", ".join(
            f"{escape(self._shown(m))}: {self._base_capacity[m]} &rarr; {c}"
            for m, c in sorted(self.capacity_overrides.items())
        )
        self.capacity_html.value = f"<span class='ek-capacity-overrides'>{items}</span>"

    def _shown(self, person_id: Any) -> Any:
        """An id as the tables show it (``id_labels``, else the id; missing stays missing)."""
        return self.id_labels.get(person_id, person_id) if isinstance(person_id, str) else person_id

    def _solved(self) -> MatchResult:
        """The last result; the views are drawn only after a successful solve."""
        assert self.last_result is not None  # callers run after a solve succeeded
        return self.last_result

    def _summary_markup(self) -> str:
        return _summary_html(self._solved(), self.last_solve_seconds, self.solve_count, self.lang)

    def _plot_png(self) -> bytes:
        a = None if self.pinned_result is None else self.pinned_result.pairs["score"]
        return _histogram_png(self._solved().pairs["score"], a, self.lang)

    def _pairs_markup(self) -> str:
        pairs = self._solved().pairs
        shown = pd.DataFrame(
            {
                "mentee": pairs["mentee_id"].map(self._shown),
                "mentee name": pairs["mentee_id"].map(self._names),
                "mentor": pairs["mentor_id"].map(self._shown),
                "mentor name": pairs["mentor_id"].map(self._names),
                "score": pairs["score"],
            }
        )
        # i18n: the English singular stays "{n} pairs", as the playground always wrote it
        head = self._t.ngettext("{n} pairs", "{n} pairs", len(shown)).format(n=len(shown))
        return f"<b>{head}</b>" + _table(shown, "ek-pairs", self.lang)

    def _unmatched_markup(self) -> str:
        un = self._solved().unmatched
        t = self._t
        if len(un) == 0:
            return (
                "<i>" + t.gettext("Everybody is paired and no mentor has spare capacity.") + "</i>"
            )
        shown = un.copy()
        id_col = next((c for c in ("person_id", "id") if c in shown.columns), None)
        if id_col is not None:
            shown.insert(shown.columns.get_loc(id_col) + 1, "name", shown[id_col].map(self._names))
        if self.lang != "en" and "reason" in shown.columns:
            shown["reason"] = shown["reason"].map(self._reason_words)
        # i18n: the English singular stays "people", as the playground always wrote it
        head = t.ngettext(
            "{n} people unmatched or with spare capacity",
            "{n} people unmatched or with spare capacity",
            len(un),
        ).format(n=len(un))
        return f"<b>{head}</b>" + _table(shown, "ek-unmatched", self.lang)

    def _reason_words(self, reason: object) -> str:
        """The glossary's sentence for a reason code (the code itself when unknown)."""
        key = f"reason.{reason}"
        return explanation(key, self.lang) if key in _TERMS else str(reason)

    def _render_explain(self) -> None:
        if self.last_result is None or self.mentee_picker.value is None:
            return
        e = self.mentee_picker.value
        try:
            out = self.last_result.explain(e)
        except EmentorKitError as exc:
            self.explain_html.value = (
                f"<pre class='ek-explain'>{escape(exc.in_language(self.lang))}</pre>"
            )
            return
        pairs = self.last_result.pairs
        mine = pairs[pairs["mentee_id"] == e]
        if len(mine):
            m = str(mine["mentor_id"].iloc[0])
            head = self._t.gettext(
                "<b>{mentee}</b> is paired with <b>{mentor}</b> (score {score})."
            ).format(
                mentee=f"{escape(self._shown(e))} {escape(self._names[e])}",
                mentor=f"{escape(self._shown(m))} {escape(self._names[m])}",
                score=_num(mine["score"].iloc[0], ".1f", self.lang),
            )
        else:
            un = self.last_result.unmatched
            row = un[un["person_id"] == e]
            reason = row["reason"].iloc[0] if len(row) else ""
            if self.lang != "en" and len(row):
                reason = self._reason_words(reason)
            why = f"{reason}: {row['detail'].iloc[0]}" if len(row) else ""
            head = self._t.gettext("<b>{mentee}</b> is not paired ({why}).").format(
                mentee=f"{escape(self._shown(e))} {escape(self._names[e])}", why=escape(why)
            )
        lead = self._t.gettext(
            "The chosen mentor and the best alternatives, with each criterion's points and "
            "why the alternative was not chosen:"
        )
        if isinstance(out, pd.DataFrame) and "mentor_id" in out.columns:
            out = out.assign(mentor_id=out["mentor_id"].map(self._shown))
        self.explain_html.value = f"<p class='ek-explain-head'>{head} {lead}</p>" + _any_html(
            out, "ek-explain", self.lang
        )

    # ---------------------------------------------------------------------- compare
    def pin(self) -> None:
        """Pin the current rules and result as A; later changes (B) are compared with it."""
        if self.last_result is None:
            return
        self.pinned_rules, self.pinned_result = self.last_rules, self.last_result
        self.compare_html.value = self._compare_markup()
        self.plot.value = self._plot_png()

    def unpin(self) -> None:
        """Forget the pinned rule set A."""
        self.pinned_rules = self.pinned_result = None
        self.compare_html.value = "<i>" + self._t.gettext("Nothing pinned.") + "</i>"
        if self.last_result is not None:
            self.plot.value = self._plot_png()

    def changed_pairs(self) -> pd.DataFrame:
        """Mentees whose mentor differs between the pinned rules A and the current rules B.

        Columns ``mentee_id``, ``mentor_A``, ``score_A``, ``mentor_B``, ``score_B``; a missing
        mentor means unmatched under that rule set. Sorted by ``mentee_id``.
        """
        if self.pinned_result is None or self.last_result is None:
            return pd.DataFrame(columns=["mentee_id", "mentor_A", "score_A", "mentor_B", "score_B"])
        return _changed_pairs(self.pinned_result.pairs, self.last_result.pairs)

    def _compare_markup(self) -> str:
        a, b = self.pinned_result, self._solved()
        assert a is not None and self.pinned_rules is not None  # only drawn while pinned
        assert self.last_rules is not None  # set with last_result
        sa, sb = a.summary(), b.summary()
        t, lang = self._t, self.lang
        rows = [
            (t.gettext("mentees paired"), _coverage_text(sa, lang), _coverage_text(sb, lang)),
            (
                t.gettext("mean score"),
                _num(sa.score_mean, lang=lang),
                _num(sb.score_mean, lang=lang),
            ),
            (
                t.gettext("worst score"),
                _num(sa.score_min, lang=lang),
                _num(sb.score_min, lang=lang),
            ),
            *(
                (
                    t.gettext("paired in group {group}").format(group=g),
                    _pct(sa.group_coverage.get(g, np.nan), lang),
                    _pct(sb.group_coverage.get(g, np.nan), lang),
                )
                for g in dict.fromkeys([*sa.group_coverage, *sb.group_coverage])
            ),
        ]
        diff_rules = "; ".join(
            f"{self._setting_name(path)}: {self._setting_value(x)} → {self._setting_value(y)}"
            for path, x, y in _rules_diff(self.pinned_rules, self.last_rules)
        )
        changed = self.changed_pairs()
        head = "".join(
            f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(x)}</td><td>{escape(y)}"
            "</td></tr>"
            for k, x, y in rows
        )
        # i18n: the English singular stays "mentees change", as the playground always wrote it
        n_changed = t.ngettext(
            "{n} mentees change mentor", "{n} mentees change mentor", len(changed)
        ).format(n=len(changed))
        title_a, title_b = t.gettext("A (pinned)"), t.gettext("B (current)")
        changed_title = t.gettext("Rules changed:")
        rules_text = escape(diff_rules) if diff_rules else t.gettext("none")
        markup = (
            f"<table class='ek-compare'><tr><th></th><th>{title_a}</th>"
            f"<th>{title_b}</th></tr>{head}</table>"
            f"<p><b>{changed_title}</b> {rules_text}</p>"
            f"<p class='ek-changed-count'><b>{n_changed}</b></p>"
        )
        if len(changed):
            shown = {c: changed[c].map(self._shown) for c in ("mentee_id", "mentor_A", "mentor_B")}
            headers = {
                "mentee_id": t.gettext("mentee"),
                "mentor_A": t.gettext("mentor A"),
                "score_A": t.gettext("score A"),
                "mentor_B": t.gettext("mentor B"),
                "score_B": t.gettext("score B"),
            }
            markup += _table(changed.assign(**shown).rename(columns=headers), "ek-changed", lang)
        return markup

    def _setting_name(self, path: tuple[str, ...]) -> str:
        """A setting of the rules (a path of their YAML) in the words of the controls."""
        t = self._t
        if path[0] == "weights" or (path[0] == "criteria" and path[-1] == "weight"):
            slider = self.weight_sliders.get(path[1])
            name = slider.description if slider is not None else path[1]
            return t.gettext("{criterion} (weight)").format(criterion=name)
        if path == ("objective",):
            return t.gettext("objective")
        if path[0] == "hard_rules" and len(path) == 2 and path[1] in _RULE_LABELS:
            return t.gettext(_RULE_LABELS[path[1]])
        if path == ("hard_rules", "min_score"):
            return label("min_score", self.lang)
        if path[:2] == ("hard_rules", "capacity_override") and len(path) == 3:
            return t.gettext("capacity of {mentor}").format(mentor=self._shown(path[2]))
        plain = {"forbidden_pairs": N_("forbidden pairs"), "required_pairs": N_("locked pairs")}
        if path[0] == "hard_rules" and len(path) == 2 and path[1] in plain:
            return t.gettext(plain[path[1]])
        return ".".join(path)

    def _setting_value(self, value: Any) -> str:
        """A setting's value as the controls show it (a list of pairs by its length)."""
        if value is None:
            return "-"
        if isinstance(value, bool):
            return self._t.gettext("yes") if value else self._t.gettext("no")
        if isinstance(value, int | float):
            return _num(value, lang=self.lang)
        if isinstance(value, list):
            return str(len(value))
        if value in OBJECTIVES:
            return self._objective_label(str(value))
        return str(value)

    # ---------------------------------------------------------------------- export
    def export(self, folder: str | Path | None = None) -> dict[str, Path]:
        """Write the current pairs (CSV) and rules (YAML), both named by the provenance hash.

        Parameters
        ----------
        folder : str or Path, optional
            Target folder (created if needed); defaults to the Export tab's folder.

        Returns
        -------
        dict
            ``{"pairs": path, "rules": path}``.
        """
        if self.last_result is None or self.last_rules is None:
            raise EmentorKitError(
                self._t.gettext("nothing to export: no rules could be solved yet")
            )
        folder = Path(folder if folder is not None else self.export_dir.value)
        folder.mkdir(parents=True, exist_ok=True)
        prov = self.last_result.provenance
        pairs_path = folder / f"pairs_{prov}.csv"
        rules_path = folder / f"rules_{prov}.yaml"
        self.last_result.to_csv(pairs_path)
        header = (
            f"# pairing rules exported from the ementor-kit match playground\n"
            f"# provenance: {prov}\n"
            f"# pairs: {pairs_path.name}\n"
        )
        rules_path.write_text(header + self.last_rules.to_yaml(), encoding="utf-8")
        return {"pairs": pairs_path, "rules": rules_path}

    def _export_clicked(self) -> None:
        try:
            paths = self.export()
        except (EmentorKitError, OSError) as exc:
            self.export_html.value = (
                f"<span class='ek-error' style='color:#a00'>{escape(exc)}</span>"
            )
            return
        written = self._t.gettext(" and ").join(
            f"<code>{escape(p.resolve())}</code>" for p in paths.values()
        )
        self.export_html.value = (
            "<span class='ek-exported'>"
            + self._t.gettext("Wrote {files}").format(files=written)
            + "</span>"
        )
