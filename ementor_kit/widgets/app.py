"""The coordinator app: from uploaded intake exports to downloaded pairs, without code.

:class:`CoordinatorApp` is the page ``make app`` serves (``notebooks/app.ipynb`` under Voilà,
see :mod:`ementor_kit.widgets.app_server`). Four steps, each a tab:

1. **Data**: upload the intake exports (CSV, ``.xlsx``, ``.ods``; one file per role, or one
   file both roles answered) or take the bundled sample. The programme proposal
   (:func:`~ementor_kit.propose_programme`) runs on them and its review is shown; every point
   to check is listed, and the coordinator fixes a column type or a label's recoding in the
   page (or accepts the proposal) and sees the list shrink. The people are read with the
   result (:func:`~ementor_kit.read_people`): any reading problem blocks the next steps and is
   listed with its file, row, column and fix.
2. **Rules**: the criteria weights with plain-language labels, the hard rules, the minimum
   score and the objective (the :class:`~ementor_kit.widgets.MatchPlayground` controls),
   forbidden and locked pairs picked by name, capacity overrides, group quotas
   (:mod:`~ementor_kit.widgets.app_quotas`); a rules file loaded and saved.
3. **Results**: the summary, who is unpaired and why in plain words, explain a pairing, pin A
   and compare B by name, a warning when coverage falls sharply.
4. **Download**: the pairs workbook (names and contacts joined), the French-Excel CSV, the
   rules and the programme description, as browser downloads (``data:`` links).

Nothing is written on the server from the page: uploaded files stay in memory (they are read
from a private temporary folder removed at once, as the readers take paths) and downloads are
built in memory (the workbook likewise passes through a temporary folder removed at once).
Every figure is also an attribute, so the app is tested without a browser.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w

from ementor_kit._html import escape
from ementor_kit.data.people import People
from ementor_kit.data.review_text import check_text
from ementor_kit.data.spec import TYPES, AttributeSpec, ProgrammeSpec
from ementor_kit.data.validation import Programme
from ementor_kit.datasets import load_sample
from ementor_kit.errors import DataValidationError, EmentorKitError, InvalidArgumentError, Problem
from ementor_kit.i18n import GLOSSARY, N_, explanation, format_percent, translator
from ementor_kit.matching import GroupQuota, MatchResult, MatchRules, prepare_people
from ementor_kit.matching.export import reason_sentence
from ementor_kit.widgets import app_formats
from ementor_kit.widgets.app_data import (
    _link,
    browser_language,
    read_uploaded,
    upload_files,
)
from ementor_kit.widgets.app_downloads import download_files, download_texts
from ementor_kit.widgets.app_formats import (
    ChoicesStep,
    FormatControls,
    FormatResult,
    FormatSettings,
    format_markup,
    run_format,
)
from ementor_kit.widgets.app_quotas import QuotaControls
from ementor_kit.widgets.app_session import read_rules, read_session
from ementor_kit.widgets.app_text import (
    Decision,
    shown_ids,
    type_text,
)
from ementor_kit.widgets.app_views import compare_names_markup, review_markup, unmatched_markup
from ementor_kit.widgets.playground import MatchPlayground

__all__ = ["CoordinatorApp"]

LANGUAGES = (("Français", "fr"), ("English", "en"))
_TERMS = {t.key for t in GLOSSARY}
# plain-language slider labels (criterion name -> label); the help line is the glossary's
_CRITERION_LABELS = {
    "skills": N_("Skills the mentee seeks"),
    "goals": N_("Goals the mentor can support"),
    "domain": N_("Same professional field"),
    "timezone": N_("Awake at the same hours"),
    "modality": N_("Same ways of exchanging"),
    "availability": N_("Enough weekly time"),
    "availability_hours": N_("Enough weekly time"),
    "experience": N_("Mentor more experienced"),
    "digital": N_("Help with digital tools"),
}
_GLOSSARY_KEY = {"availability_hours": "availability"}
COVERAGE_DROP = 0.10
"""A fall of paired mentees of at least this share (10 points) since the previous result
(or below half of the mentees) is flagged in the results."""
_ERROR = "<div class='{cls}' style='color:#a00'>{text}</div>"
_TYPE_CHOICES = tuple(t for t in TYPES if t != "id")
_NO_PEOPLE = N_("no people read yet")


class CoordinatorApp:
    """The coordinator's app: upload, review, rules, results, downloads, in French or English.

    Parameters
    ----------
    lang : str, optional
        ``"fr"`` or ``"en"``; default the browser's language under Voilà
        (:func:`browser_language`), else the process language
        (:func:`ementor_kit.set_language`, ``EMENTOR_KIT_LANG``, the locale). Switchable in
        the page.
    sample : bool, default False
        Start on the bundled sample programme (else the page waits for an upload).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The page.
    upload, sample_button
        The data sources.
    review_html, problems_html, fix_item, fix_type, fix_label, fix_code, fix_button,
    accept_button, fix_html
        The proposal's review, what is left to check, and the editor of one point.
    playground : MatchPlayground or None
        The rules and results controls, once the data are read.
    to_check : list of (str, str, str)
        ``(role, attribute, what to check)`` still open; ``problems`` the reading problems.
    results_warning, unmatched_html, compare_names_html, downloads_html
        What the results and download steps show.

    Examples
    --------
    >>> app = CoordinatorApp(lang="en", sample=True)
    >>> r = app.playground.last_result
    >>> r.summary().n_pairs == len(r.pairs), app.problems
    (True, [])
    >>> app.playground.weight_sliders["skills"].description
    'Skills the mentee seeks'
    >>> links = app.downloads()
    >>> sorted(links)
    ['csv', 'programme', 'rules', 'session', 'workbook']
    """

    def __init__(self, lang: str | None = None, *, sample: bool = False) -> None:
        self._t = translator(lang if lang is not None else browser_language())
        self.lang = self._t.lang
        self.files: dict[str, bytes] = {}
        self.spec: ProgrammeSpec | None = None
        self.programme: Programme | People | None = None
        self.playground: MatchPlayground | None = None
        self.problems: list[str] = []
        self._problems: list[Problem | EmentorKitError] = []
        self.to_check: list[tuple[str, str, str]] = []
        self.decisions: list[Decision] = []
        self._shown: dict[str, str] = {}
        self._seen_solves = 0
        self._coverages: list[float] = []
        self.format_settings = FormatSettings()
        self.format_result: FormatResult | None = None
        self.language = w.ToggleButtons(options=LANGUAGES, value=self.lang)
        self.language.add_class("ek-language")
        self.language.observe(self._on_language, names="value")
        self.widget = w.VBox()
        self.widget.add_class("ek-app")
        self._build()
        if sample:
            self.use_sample()

    # ------------------------------------------------------------------ page
    def _build(self) -> None:
        """(Re)build every widget in the current language, keeping the data and rules."""
        t = self._t
        self.upload = w.FileUpload(
            accept=".csv,.xlsx,.ods,.zip",
            multiple=True,
            description=t.gettext("Upload exports"),
            layout=w.Layout(width="220px"),
        )
        self.upload.add_class("ek-upload")
        self.upload.observe(self._on_upload, names="value")
        self.sample_button = w.Button(
            description=t.gettext("Use the bundled sample"), layout=w.Layout(width="220px")
        )
        self.sample_button.add_class("ek-use-sample")
        self.sample_button.on_click(lambda _b: self.use_sample())
        self.source_html = w.HTML()
        self.review_html = w.HTML()
        self.problems_html = w.HTML()
        self.problems_html.add_class("ek-problems-widget")
        self.fix_item = w.Dropdown(description=t.gettext("point"), layout=w.Layout(width="520px"))
        self.fix_item.add_class("ek-fix-item")
        self.fix_type = w.Dropdown(
            options=[(type_text(x, t), x) for x in _TYPE_CHOICES],
            description=t.gettext("type"),
            layout=w.Layout(width="260px"),
        )
        self.fix_type.add_class("ek-fix-type")
        self.fix_type_button = w.Button(description=t.gettext("Set the type"))
        self.fix_type_button.add_class("ek-fix-type-button")
        self.fix_label = w.Dropdown(description=t.gettext("label"), layout=w.Layout(width="360px"))
        self.fix_label.add_class("ek-fix-label")
        self.fix_code = w.Text(description=t.gettext("code"), layout=w.Layout(width="260px"))
        self.fix_code.add_class("ek-fix-code")
        self.fix_button = w.Button(description=t.gettext("Recode"))
        self.fix_button.add_class("ek-fix-button")
        self.accept_button = w.Button(description=t.gettext("Right as proposed"))
        self.accept_button.add_class("ek-accept-button")
        self.fix_html = w.HTML()
        self.fix_item.observe(lambda _c: self._show_item(), names="value")
        self.fix_label.observe(lambda _c: self._show_label(), names="value")
        self.fix_type_button.on_click(lambda _b: self.set_type(*self._item(), self.fix_type.value))
        self.fix_button.on_click(
            lambda _b: self.recode(*self._item(), self.fix_label.value, self.fix_code.value)
        )
        self.accept_button.on_click(lambda _b: self.accept(*self._item()))
        self.rules_box = w.VBox()
        self.results_box = w.VBox()
        self.download_box = w.VBox()
        self.results_warning = w.HTML()
        self.results_warning.add_class("ek-coverage-warning-widget")
        self.unmatched_html = w.HTML()
        self.compare_names_html = w.HTML()
        self.format_html = w.HTML()
        self.format_html.add_class("ek-format-widget")
        self.rules_upload = w.FileUpload(
            accept=".yaml,.yml",
            multiple=False,
            description=t.gettext("Load a rules file"),
            layout=w.Layout(width="220px"),
        )
        self.rules_upload.add_class("ek-rules-upload")
        self.rules_upload.observe(self._on_rules_upload, names="value")
        self.save_rules_button = w.Button(
            description=t.gettext("Save these rules"), icon="save", layout=w.Layout(width="220px")
        )
        self.save_rules_button.add_class("ek-save-rules")
        self.save_rules_button.on_click(lambda _b: self._save_rules())
        self.rules_file_html = w.HTML()
        self.rules_file_html.add_class("ek-rules-file")
        self.downloads_html = w.HTML()
        self.downloads_html.add_class("ek-downloads-widget")
        self.prepare_button = w.Button(
            description=t.gettext("Prepare the downloads"),
            icon="download",
            layout=w.Layout(width="240px"),
        )
        self.prepare_button.add_class("ek-prepare-downloads")
        self.prepare_button.on_click(lambda _b: self._show_downloads())
        data = w.VBox(
            [
                w.HTML(
                    "<p>"
                    + t.gettext(
                        "Upload the intake exports (the mentors' and the mentees' files, or one "
                        "file both answered) or take the bundled sample. Files stay in this "
                        "page's memory; nothing is saved on the server."
                    )
                    + "</p>"
                ),
                w.HBox([self.upload, self.sample_button]),
                self.source_html,
                self.problems_html,
                w.HBox([self.fix_item, self.accept_button]),
                w.HBox([self.fix_type, self.fix_type_button]),
                w.HBox([self.fix_label, self.fix_code, self.fix_button]),
                self.fix_html,
                w.HTML("<b>" + t.gettext("What the proposal read") + "</b>"),
                self.review_html,
            ]
        )
        self.tabs = w.Tab(children=[data, self.rules_box, self.results_box, self.download_box])
        for i, title in enumerate(
            [N_("1. Data"), N_("2. Rules"), N_("3. Results"), N_("4. Download")]
        ):
            self.tabs.set_title(i, t.gettext(title))
        self.tabs.add_class("ek-steps")
        title = w.HTML(
            "<h2 style='margin:4px 0'>" + t.gettext("Pairing mentors and mentees") + "</h2>"
        )
        self.widget.children = [w.HBox([title, self.language]), self.tabs]
        self._render_data()
        self._build_steps()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)

    def _on_language(self, change: dict) -> None:
        self.set_language(change["new"])

    def set_language(self, lang: str) -> None:
        """Show the page in ``lang`` (``"fr"`` or ``"en"``), keeping the data and the rules."""
        self._t = translator(lang)
        self.lang = self._t.lang
        rules = None
        if self.playground is not None:
            try:
                rules = self.playground.current_rules()
            except EmentorKitError:
                rules = self.playground.last_rules
        tab = self.tabs.selected_index
        self._build()
        if self.programme is not None:
            self._start_playground(rules)
        self.tabs.selected_index = tab

    # ------------------------------------------------------------------ data
    def use_sample(self, rules: MatchRules | None = None) -> None:
        """Take the bundled sample programme (already typed: nothing to review), with its
        default rules or ``rules``."""
        self.files, self.spec = {}, None
        self.to_check, self.decisions = [], []
        self._set_problems([])
        self.programme = load_sample()
        self.source_html.value = (
            "<p class='ek-source'>"
            + self._t.gettext(
                "The bundled sample programme: {mentors} mentors, {mentees} mentees."
            ).format(mentors=len(self.programme.mentors), mentees=len(self.programme.mentees))
            + "</p>"
        )
        self._render_data()
        self._start_playground(rules)

    def _on_upload(self, change: dict) -> None:
        if not change["new"]:
            return
        files = upload_files(change["new"])
        name, data = next(iter(files.items()))
        if len(files) == 1 and name.lower().endswith(".zip"):
            self.open_session(data, name)
        else:
            self.load_files(files)

    def open_session(self, data: bytes, name: str = "session.zip") -> None:
        """Reopen a session saved by the app (:func:`~ementor_kit.widgets.app_session.session_zip`):
        its data (or the sample), rules, locks, format and decisions."""
        try:
            session = read_session(data, name)
        except EmentorKitError as exc:
            self.files, self.spec, self.programme, self.playground = {}, None, None, None
            self.to_check, self.decisions = [], []
            self._set_problems([exc])
            self._render_data()
            self._build_steps()
            return
        self.format_settings = session.settings
        if session.sample:
            self.use_sample(session.rules)
        else:
            self.files, self.spec = dict(session.files), session.spec
            self.source_html.value = (
                "<p class='ek-source'>"
                + escape(self._t.gettext("Session: {names}").format(names=", ".join(self.files)))
                + "</p>"
            )
            try:
                _, people, problems = read_uploaded(self.files, self.spec)
                self._set_problems(problems)
            except EmentorKitError as exc:
                people = None
                self._set_problems([exc])
            self.to_check, self.programme = self._open_points(), people
            self._render_data()
            if people is None:
                self.playground = None
                self._build_steps()
            else:
                self._start_playground(session.rules)
        self.decisions = list(session.decisions)
        self._render_data()

    def load_rules(self, data: bytes, name: str = "rules.yaml") -> None:
        """Use the rules of an uploaded rules file (YAML, the package's rules format)."""
        prog, t = self.programme, self._t
        try:
            if prog is None:
                raise InvalidArgumentError(
                    "data", None, N_("read the data first (1. Data)"), _NO_PEOPLE
                )
            rules = read_rules(data, name)
            prepare_people(prog.mentors, prog.mentees, rules)  # they fit these people
        except EmentorKitError as exc:
            self.rules_file_html.value = _ERROR.format(
                cls="ek-rules-error", text=escape(exc.in_language(self.lang))
            )
            return
        self._start_playground(rules)
        self.rules_file_html.value = (
            "<span class='ek-rules-read'>"
            + escape(t.gettext("Rules read from {name}.").format(name=name))
            + "</span>"
        )

    def _on_rules_upload(self, change: dict) -> None:
        if change["new"]:
            name, data = next(iter(upload_files(change["new"]).items()))
            self.load_rules(data, name)

    def _save_rules(self) -> None:
        pg = self.playground
        if pg is None or pg.last_rules is None or pg.last_result is None:
            return
        stem = pg.last_result.provenance
        data = (f"# provenance: {stem}\n" + pg.last_rules.to_yaml()).encode("utf-8")
        text = self._t.gettext("Rules (.yaml)")
        self.rules_file_html.value = _link(
            data, "application/x-yaml", f"rules_{stem}.yaml", text, "ek-save-rules-link"
        )

    def load_files(self, files: Mapping[str, bytes]) -> None:
        """Propose the programme of these exports, show its review, read the people."""
        self.files, self.spec, self.programme = dict(files), None, None
        self.decisions = []
        self.source_html.value = (
            "<p class='ek-source'>"
            + escape(self._t.gettext("Files: {names}").format(names=", ".join(files)))
            + "</p>"
        )
        try:
            self.spec, people, problems = read_uploaded(self.files)
            self._set_problems(problems)
        except EmentorKitError as exc:
            self.spec, people = None, None
            self._set_problems([exc])
        self.to_check = self._open_points()
        self._accept_people(people)

    def _open_points(self) -> list[tuple[str, str, str]]:
        """The proposal's points to check: every decision not sure (medium or low) with a
        remark, minus those the coordinator has decided."""
        if self.spec is None:
            return []
        review = self.spec.review(lang="en")  # the English checks are the data decided on
        keep = review[
            review["attribute"].notna()
            & (review["check"] != "")
            & review["confidence"].isin(["medium", "low"])
        ]
        return [
            (str(r.roles), str(r.attribute), str(r.check)) for r in keep.itertuples(index=False)
        ]

    def _accept_people(self, people: People | None) -> None:
        self.programme = people
        self._render_data()
        if people is None:
            self.playground = None
            self._build_steps()
        else:
            self._start_playground(None)

    def _set_problems(self, problems: list[Problem] | list[EmentorKitError]) -> None:
        """The reading problems: kept to be shown in the page's language; ``problems`` is
        their English text."""
        self._problems = list(problems)
        self.problems = [str(p) for p in problems]

    def _item(self) -> tuple[str, str]:
        value = self.fix_item.value
        if not value:
            raise InvalidArgumentError(
                "point", value, N_("pick a point to check first"), N_("no point chosen")
            )
        role, name = str(value).split(".", 1)
        return role, name

    def _attribute(self, role: str, name: str) -> AttributeSpec:
        if self.spec is None:
            raise InvalidArgumentError(
                "data", None, N_("upload the exports first"), N_("no exports uploaded")
            )
        return self.spec.attribute(role, name)

    def _replace_attribute(self, role: str, new: AttributeSpec, decision: Decision) -> None:
        """Re-read the people with one attribute changed; the point is then decided."""
        assert self.spec is not None  # _attribute checked it
        attrs = tuple(new if a.name == new.name else a for a in self.spec.attributes(role))
        try:
            if role == "mentors":
                spec = dataclasses.replace(self.spec, mentors=attrs)
            else:
                spec = dataclasses.replace(self.spec, mentees=attrs)
        except DataValidationError as exc:
            self.fix_html.value = _ERROR.format(
                cls="ek-fix-error", text=escape(exc.in_language(self.lang))
            )
            return
        spec, people, problems = read_uploaded(self.files, spec)
        self._set_problems(problems)
        self.spec = dataclasses.replace(spec, notes=self.spec.notes)
        self.decisions.append(decision)
        self.to_check = [p for p in self.to_check if (p[0], p[1]) != (role, new.name)]
        self._accept_people(people)
        # after the steps are rebuilt: a page waiting for this text finds the new controls
        self.fix_html.value = "<span class='ek-fixed'>" + escape(decision.text(self._t)) + "</span>"

    def set_type(self, role: str, name: str, type_: str) -> None:
        """Read the column of attribute ``name`` of ``role`` as ``type_`` (a type of
        :data:`~ementor_kit.data.spec.TYPES`; labels, separators and ranges are reset)."""
        a = self._attribute(role, name)
        if type_ not in _TYPE_CHOICES:
            raise InvalidArgumentError(
                "type", type_, N_("use one of: {types}").format(types=", ".join(_TYPE_CHOICES))
            )
        keep_sep = a.separator if type_ in ("multi", "language") else None
        new = AttributeSpec(
            name=a.name,
            column=a.column,
            type=type_,
            required=a.required and type_ != "ignore",
            separator=keep_sep or (", " if type_ == "multi" else None),
            decimal=a.decimal if type_ == "number" else None,
            reason="set by the coordinator" if type_ in ("ignore", "text") else None,
        )
        self._replace_attribute(role, new, Decision("type", role, name, type_))

    def recode(self, role: str, name: str, label: str, code: str) -> None:
        """Recode the answer ``label`` of attribute ``name`` of ``role`` to ``code``."""
        a = self._attribute(role, name)
        value: Any = code.strip()
        if a.type == "boolean":
            value = value.lower() in ("true", "yes", "oui", "vrai", "1")
        elif a.type in ("number", "integer"):
            try:
                value = float(value.replace(",", "."))
            except ValueError:
                raise InvalidArgumentError("code", code, N_("write a number")) from None
        if a.type not in ("category", "multi", "language", "boolean", "number", "integer"):
            raise InvalidArgumentError(
                "point", f"{role}.{name}", N_("recoding applies to labels: set the type instead")
            )
        vocab = a.vocabulary
        if vocab is not None and value not in vocab:
            vocab = tuple(sorted({*vocab, value}))
        new = dataclasses.replace(a, recode={**a.recode, label: value}, vocabulary=vocab)
        self._replace_attribute(role, new, Decision("recode", role, name, value, label=label))

    def accept(self, role: str, name: str) -> None:
        """Mark the point on attribute ``name`` of ``role`` as right as proposed."""
        self._attribute(role, name)
        self.to_check = [p for p in self.to_check if (p[0], p[1]) != (role, name)]
        self.decisions.append(Decision("accept", role, name))
        self.fix_html.value = (
            "<span class='ek-fixed'>" + escape(self.decisions[-1].text(self._t)) + "</span>"
        )
        self._render_data()

    def _render_data(self) -> None:
        t = self._t
        problems = "".join(
            f"<li class='ek-problem'>{escape(p.in_language(self.lang))}</li>"
            for p in self._problems
        )
        colon = ":" if self.lang == "en" else " :"
        checks = "".join(
            f"<li class='ek-check'><b>{escape(r)}.{escape(n)}</b>{colon} "
            f"{escape(check_text(c, t))}</li>"
            for r, n, c in self.to_check
        )
        decided = "".join(
            f"<li class='ek-decision'>{escape(d.text(t))}</li>" for d in self.decisions
        )
        blocks = []
        if self.problems:
            head = t.ngettext(
                "{n} problem stops the reading: fix it in the files or here.",
                "{n} problems stop the reading: fix them in the files or here.",
                len(self.problems),
            )
            blocks.append(
                f"<p style='color:#a00'><b>{escape(head.format(n=len(self.problems)))}</b></p>"
                f"<ul class='ek-problems'>{problems}</ul>"
            )
        elif self.programme is not None:
            blocks.append(
                "<p class='ek-data-ok' style='color:#060'><b>"
                + escape(
                    t.gettext("Read: {mentors} mentors, {mentees} mentees.").format(
                        mentors=len(self.programme.mentors), mentees=len(self.programme.mentees)
                    )
                )
                + "</b> "
                + escape(t.gettext("Go on to 2. Rules."))
                + "</p>"
            )
        if self.spec is not None:
            head = t.ngettext(
                "{n} point to check", "{n} points to check", len(self.to_check)
            ).format(n=len(self.to_check))
            blocks.append(
                f"<p><b class='ek-check-count'>{escape(head)}</b></p><ul class='ek-checks'>"
                f"{checks}</ul>"
            )
        if decided:
            yours = t.gettext("Your decisions")
            blocks.append(f"<p><b>{escape(yours)}</b></p><ul class='ek-decisions'>{decided}</ul>")
        self.problems_html.value = "".join(blocks)
        self.fix_item.options = [
            (f"{r}.{n}: {check_text(c, t)[:70]}", f"{r}.{n}") for r, n, c in self.to_check
        ]
        if self.to_check and self.fix_item.value is None:  # the first point, ready to edit
            self.fix_item.index = 0
        self.review_html.value = self._review_markup()
        self._show_item()

    def _review_markup(self) -> str:
        return "" if self.spec is None else review_markup(self.spec, self._t)

    def _show_item(self) -> None:
        """Fill the editor with the chosen attribute's type and labels."""
        if self.spec is None or not self.fix_item.value:
            self.fix_label.options = []
            return
        role, name = self._item()
        a = self.spec.attribute(role, name)
        if a.type in _TYPE_CHOICES:
            self.fix_type.value = a.type
        self.fix_label.options = list(a.recode)
        self._show_label()

    def _show_label(self) -> None:
        if self.spec is None or not self.fix_item.value or self.fix_label.value is None:
            self.fix_code.value = ""
            return
        a = self.spec.attribute(*self._item())
        self.fix_code.value = str(a.recode.get(self.fix_label.value, ""))

    # ------------------------------------------------------------------ rules and results
    def _start_playground(self, rules: MatchRules | None) -> None:
        """The playground on the people read (its controls go to the Rules step)."""
        prog = self.programme
        assert prog is not None  # called once people are read
        start: Any = rules if rules is not None else self.spec
        self._shown = shown_ids(prog.mentors["mentor_id"], prog.mentees["mentee_id"])
        try:
            pg = MatchPlayground(
                prog.mentors, prog.mentees, start, lang=self.lang, id_labels=self._shown
            )
        except EmentorKitError as exc:
            self._set_problems([exc])
            self.playground = None
            self._render_data()
            self._build_steps()
            return
        self.playground = pg
        self._names = {**pg._names}
        for c, s in pg.weight_sliders.items():
            words = _CRITERION_LABELS.get(c)
            s.description = self._t.gettext(words) if words else c.replace("_", " ")
            key = f"criterion.{_GLOSSARY_KEY.get(c, c)}"
            if key in _TERMS:
                s.tooltip = explanation(key, self.lang)
            s.style = {"description_width": "200px"}
            s.layout = w.Layout(width="480px")
        self._seen_solves, self._coverages = 0, []
        pg.summary_html.observe(lambda _c: self._after_solve(), names="value")
        # after the playground's own handlers (registered first): the comparison by name
        pg.pin_button.on_click(lambda _b: self._after_solve())
        pg.unpin_button.on_click(lambda _b: self._after_solve())
        self._build_steps()
        self._after_solve()

    def _build_steps(self) -> None:
        t = self._t
        pg = self.playground
        if pg is None:
            wait = w.HTML("<i>" + t.gettext("Read the data first (1. Data).") + "</i>")
            self.rules_box.children = [wait]
            self.results_box.children = [w.HTML(wait.value)]
            self.download_box.children = [w.HTML(wait.value)]
            return
        ids = {
            "mentees": sorted(pg.mentees["mentee_id"].astype(str)),
            "mentors": sorted(pg.mentors["mentor_id"].astype(str)),
        }
        self.pair_mentee = w.Dropdown(
            options=[(self._named(i), i) for i in ids["mentees"]],
            description=t.gettext("mentee"),
            layout=w.Layout(width="380px"),
        )
        self.pair_mentee.add_class("ek-pair-mentee")
        self.pair_mentor = w.Dropdown(
            options=[(self._named(i), i) for i in ids["mentors"]],
            description=t.gettext("mentor"),
            layout=w.Layout(width="380px"),
        )
        self.pair_mentor.add_class("ek-pair-mentor")
        lock = w.Button(description=t.gettext("Lock this pair"), icon="lock")
        lock.add_class("ek-lock-pair")
        forbid = w.Button(description=t.gettext("Forbid this pair"), icon="ban")
        forbid.add_class("ek-forbid-pair")
        clear = w.Button(description=t.gettext("Clear the pairs"))
        lock.on_click(lambda _b: self.lock(self.pair_mentee.value, self.pair_mentor.value))
        forbid.on_click(lambda _b: self.forbid(self.pair_mentee.value, self.pair_mentor.value))
        clear.on_click(lambda _b: pg.set_pairs())
        self.pairs_rules_html = w.HTML()
        self.pairs_rules_html.add_class("ek-pair-rules")
        controls = pg.widget.children[0].children[0]  # the playground's column of controls
        controls.layout.width = "500px"
        self.format_controls = FormatControls(t, self.format_settings, self._on_format)
        self.quota_controls = QuotaControls(t, pg.mentees, pg.initial_rules.quotas, self.set_quotas)
        self.choices = ChoicesStep(t, self._named)
        self.rules_box.children = [
            w.HTML(
                "<p>"
                + t.gettext(
                    "Move a control: the pairing is solved again at once (see 3. Results). "
                    "A weight of 0 switches a criterion off; hover a label for its meaning."
                )
                + "</p>"
            ),
            w.HBox([self.rules_upload, self.save_rules_button, self.rules_file_html]),
            w.HBox(
                [
                    controls,
                    w.VBox(
                        [
                            w.HTML("<b>" + t.gettext("Format") + "</b>"),
                            self.format_controls.widget,
                            w.HTML("<b>" + t.gettext("Pairs decided by hand") + "</b>"),
                            self.pair_mentee,
                            self.pair_mentor,
                            w.HBox([lock, forbid, clear]),
                            self.pairs_rules_html,
                            w.HTML("<b>" + t.gettext("Group quotas") + "</b>"),
                            self.quota_controls.widget,
                            w.HTML("<b>" + t.gettext("Summary") + "</b>"),
                            self.results_warning,
                            pg.summary_html,
                        ]
                    ),
                ]
            ),
        ]
        self.results_box.children = [
            self.format_html,
            self.choices.widget,
            self.results_warning,
            w.HBox([pg.summary_html, pg.plot]),
            w.HTML("<b>" + t.gettext("Who is not paired, and why") + "</b>"),
            self.unmatched_html,
            w.HTML("<b>" + t.gettext("Compare two rule sets") + "</b>"),
            w.HTML(
                "<p>"
                + t.gettext(
                    "Pin the current rules as A, change the rules (B): what changed is "
                    "listed here, by name."
                )
                + "</p>"
            ),
            w.HBox([pg.pin_button, pg.unpin_button]),
            pg.compare_html,
            self.compare_names_html,
            w.HTML("<b>" + t.gettext("Why this mentor?") + "</b>"),
            pg.mentee_picker,
            pg.explain_html,
            w.HTML("<b>" + t.gettext("All pairs") + "</b>"),
            pg.pairs_html,
        ]
        self.download_box.children = [
            w.HTML(
                "<p>"
                + t.gettext(
                    "The downloads are made in this page from the current result; nothing is "
                    "saved on the server. The workbook and the CSV hold names and contacts: "
                    "share them only with the people concerned."
                )
                + "</p>"
            ),
            self.prepare_button,
            self.downloads_html,
        ]
        self._render_pair_rules()

    def _named(self, person_id: str) -> str:
        """A person as the page shows them: name and id (a pseudonym for an e-mail id)."""
        name = self._names.get(person_id, "") if hasattr(self, "_names") else ""
        shown = self._shown.get(person_id, person_id)
        return f"{name} ({shown})" if name else shown

    def lock(self, mentee_id: str, mentor_id: str) -> None:
        """Require the pair ``(mentee_id, mentor_id)`` and re-solve."""
        pg = self._solved_playground()
        rules = pg.initial_rules
        required = tuple(p for p in rules.required_pairs if p[0] != mentee_id)
        forbidden = tuple(p for p in rules.forbidden_pairs if p != (mentee_id, mentor_id))
        pg.set_pairs(forbidden, (*required, (mentee_id, mentor_id)))
        self._render_pair_rules()

    def forbid(self, mentee_id: str, mentor_id: str) -> None:
        """Forbid the pair ``(mentee_id, mentor_id)`` and re-solve."""
        pg = self._solved_playground()
        rules = pg.initial_rules
        required = tuple(p for p in rules.required_pairs if p != (mentee_id, mentor_id))
        forbidden = tuple(dict.fromkeys((*rules.forbidden_pairs, (mentee_id, mentor_id))))
        pg.set_pairs(forbidden, required)
        self._render_pair_rules()

    def set_quotas(self, quotas: Sequence[GroupQuota]) -> None:
        """Replace the rules' group quotas and re-solve (saved with the rules and the session;
        an impossible quota is shown as an error in the summary)."""
        pg = self._solved_playground()
        try:
            pg.initial_rules = pg.initial_rules.replace(quotas=tuple(quotas))
        except EmentorKitError as exc:
            pg._show_error(exc)
            return
        pg._request_solve()

    def _solved_playground(self) -> MatchPlayground:
        if self.playground is None:
            raise InvalidArgumentError(
                "data", None, N_("read the data first (1. Data)"), _NO_PEOPLE
            )
        return self.playground

    def _render_pair_rules(self) -> None:
        pg = self.playground
        if pg is None:
            return
        t = self._t
        rules = pg.initial_rules
        locked, forbidden = t.gettext("locked"), t.gettext("forbidden")
        items = [
            f"<li class='ek-locked'>{escape(locked)}: "
            f"{escape(self._named(e))} &ndash; {escape(self._named(m))}</li>"
            for e, m in rules.required_pairs
        ] + [
            f"<li class='ek-forbidden'>{escape(forbidden)}: "
            f"{escape(self._named(e))} &ndash; {escape(self._named(m))}</li>"
            for e, m in rules.forbidden_pairs
        ]
        none = t.gettext("none")
        self.pairs_rules_html.value = f"<ul>{''.join(items)}</ul>" if items else f"<i>{none}</i>"

    def _after_solve(self) -> None:
        """After each solve of the playground: warning, unmatched, comparison by name; the
        downloads of an older result are withdrawn."""
        pg = self.playground
        if pg is None or pg.last_result is None:
            return
        if pg.solve_count != self._seen_solves:
            self._seen_solves = pg.solve_count
            self._coverages.append(pg.last_result.summary().coverage)
            self.downloads_html.value = ""
            self._run_format()
        self.results_warning.value = self._warning_markup()
        self.unmatched_html.value = self._unmatched_markup(pg.last_result)
        self.compare_names_html.value = self._compare_names_markup()
        self._render_pair_rules()

    # ------------------------------------------------------------------ formats
    def _on_format(self) -> None:
        self.format_settings = self.format_controls.settings()
        self.downloads_html.value = ""
        self._run_format()

    def set_format(self, settings: FormatSettings) -> None:
        """Choose the format (and its settings) and show its results."""
        self.format_settings = settings
        if self.playground is not None:
            self._build_steps()
        self._run_format()

    def _run_format(self) -> None:
        """The chosen format on the current rules (:func:`run_format`), shown in Results."""
        pg, t = self.playground, self._t
        self.format_result = None
        if hasattr(self, "choices"):
            self.choices.set_lists(None)
        if pg is None or pg.last_rules is None or self.format_settings.format == "one_to_one":
            self.format_html.value = ""
            return
        size = len(pg.mentees) * len(pg.mentors)
        if size > app_formats.FORMAT_MAX_PAIRS:
            text = t.gettext(
                "This page forms shortlists and circles for up to {limit} mentee-mentor pairs; "
                "this programme has {n}, which would keep the page busy for minutes or hours. "
                "Use ek.shortlist or ek.form_circles in a notebook."
            ).format(limit=app_formats.FORMAT_MAX_PAIRS, n=size)
            self.format_html.value = _ERROR.format(cls="ek-format-too-large", text=escape(text))
            return
        try:
            result = run_format(self.format_settings, pg.mentors, pg.mentees, pg.last_rules)
        except EmentorKitError as exc:
            self.format_html.value = _ERROR.format(
                cls="ek-format-error", text=escape(exc.in_language(self.lang))
            )
            return
        if result is None:  # one-to-one: nothing more to show
            return
        self.format_result = result
        self.choices.set_lists(result)
        title = t.gettext("This format's proposal (the one-to-one pairing below is for comparison)")
        self.format_html.value = (
            f"<div class='ek-format-results'><b>{escape(title)}</b>"
            + format_markup(result, t, self._named, lambda c: self._reason(c, ""))
            + "</div>"
        )

    def coverage_warning(self) -> str | None:
        """Why the last result deserves a second look (coverage fell sharply, or less than half
        of the mentees are paired, or the rules cannot be solved), else None."""
        pg = self.playground
        if pg is None or not self._coverages:
            return None
        t = self._t
        if pg.error is not None:
            return t.gettext("These rules cannot be solved; the results shown are the last ones.")
        now = self._coverages[-1]
        pct = (
            (lambda x: format_percent(x, 0, self.lang))
            if self.lang != "en"
            else (lambda x: f"{100 * x:.0f}%")
        )
        if len(self._coverages) > 1 and self._coverages[-2] - now >= COVERAGE_DROP:
            return t.gettext(
                "Paired mentees fell from {before} to {now} with the last change."
            ).format(before=pct(self._coverages[-2]), now=pct(now))
        if now < 0.5:
            return t.gettext("Only {now} of the mentees are paired with these rules.").format(
                now=pct(now)
            )
        return None

    def _warning_markup(self) -> str:
        text = self.coverage_warning()
        if text is None:
            return ""
        return (
            "<div class='ek-coverage-warning' style='background:#fff3cd;border:1px solid #e0b000;"
            f"padding:6px;margin:4px 0'>&#9888; {escape(text)}</div>"
        )

    def _reason(self, code: str, detail: str) -> str:
        key = f"reason.{code}"
        if self.lang != "en" and key in _TERMS:
            return explanation(key, self.lang) + "."
        return reason_sentence(code, detail)

    def _unmatched_markup(self, result: MatchResult) -> str:
        return unmatched_markup(result, self._t, self._named, self._reason)

    def _compare_names_markup(self) -> str:
        pg = self.playground
        if pg is None or pg.pinned_result is None:
            return ""
        return compare_names_markup(pg.changed_pairs(), self._t, self._named)

    # ------------------------------------------------------------------ downloads
    def downloads(self) -> dict[str, tuple[str, str, bytes]]:
        """The files of the current result, built in memory
        (:func:`~ementor_kit.widgets.app_downloads.download_files`).

        Returns
        -------
        dict
            ``{"workbook", "csv", "rules", "session"[, "programme"]: (file name, MIME type,
            bytes)}``: the pairs workbook, the French-Excel CSV (``;``, decimal comma, UTF-8
            with BOM), the rules' YAML, the session and, for uploaded exports, the
            ``programme.yaml`` the people were read with. With the shortlist or circles
            format, the workbook and the CSV are the format's.
        """
        pg = self._solved_playground()
        result, rules, prog = pg.last_result, pg.last_rules, self.programme
        if result is None or rules is None or prog is None:
            raise InvalidArgumentError(
                "rules",
                None,
                N_("change the rules until they can be solved"),
                N_("no result to download"),
            )
        return download_files(
            result,
            rules,
            prog,
            format_result=self.format_result,
            format_settings=self.format_settings,
            files=self.files,
            spec=self.spec,
            decisions=self.decisions,
        )

    def _show_downloads(self) -> None:
        t = self._t
        # the workbook of 3,000 people takes tens of seconds: say so while it is built
        self.downloads_html.value = "<i>" + t.gettext("Preparing the files...") + "</i>"
        try:
            files = self.downloads()
        except EmentorKitError as exc:
            self.downloads_html.value = _ERROR.format(
                cls="ek-error", text=escape(exc.in_language(self.lang))
            )
            return
        fmt = self.format_settings.format if self.format_result else "one_to_one"
        texts = download_texts(t, fmt)
        self.downloads_html.value = "".join(
            _link(data, mime, name, texts[key], f"ek-download-{key}")
            for key, (name, mime, data) in files.items()
        )
