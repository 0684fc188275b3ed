"""The follow-up board: this week's pairs to contact, with the rule that fired, for coordinators.

:class:`FollowUpBoard` shows a :class:`~ementor_kit.graph.FollowUp` (from
:func:`~ementor_kit.followup`): the pairs a coordinator should contact in the window, never a
completed one, each with the rules fired (engagement status, check-in cadence, a concern, not
reached, any extra rule such as a low pulse) and the time since the last coordinator contact.
It filters by rule and by coordinator and exports the list shown to the coordinator's workbook
(:func:`write_followup_excel`), the only output joining people's names and contacts (by id, from
the programme's people tables); the board itself shows ids only.

Everything shown is also an attribute (``summary_html.value``, ``table_html.value``,
``shown``), so the board is tested without a browser; callbacks only set widget values, they
never print.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ementor_kit._html import escape
from ementor_kit._version import __version__
from ementor_kit.data.people import People
from ementor_kit.data.validation import Programme
from ementor_kit.errors import ArgumentTypeError, EmentorKitError, InvalidArgumentError
from ementor_kit.graph.checkins import RULES, FollowUp
from ementor_kit.i18n import GLOSSARY, N_, Translator, format_date, label, translator
from ementor_kit.matching.export import FIXED_DATE, neutralise, save_workbook, sheet_names

__all__ = ["FollowUpBoard", "write_followup_excel"]

_TERMS = {term.key for term in GLOSSARY}
ALL = "*"
"""The value of a filter showing everything."""

_RULE_WORDS = {
    "engagement": N_("engagement status"),
    "cadence": N_("check-in cadence"),
    "concern": N_("concern raised"),
    "not_reached": N_("not reached"),
}
_COLUMNS = {
    "mentee_id": N_("mentee"),
    "mentor_id": N_("mentor"),
    "status": N_("status"),
    "coordinator": N_("coordinator"),
    "last_checkin": N_("last check-in"),
    "days_since_checkin": N_("days since"),
    "checkin_due": N_("check-in due"),
    "rules": N_("rules"),
    "reasons": N_("reasons"),
}
_CONTACT = re.compile(
    r"(?:^|_)(?:e_?mail|mail|courriel|phone|telephone|tel|mobile|contact)(?:_|$)", re.IGNORECASE
)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _rule_word(rule: str, t: Translator) -> str:
    return t.gettext(_RULE_WORDS[rule]) if rule in _RULE_WORDS else rule


def _check_filters(fu: FollowUp, rule: str | None, coordinator: str | None) -> None:
    rules = sorted(set(fu.reasons("en")["rule"]) | set(RULES))
    if rule not in (None, ALL) and rule not in rules:
        raise InvalidArgumentError(
            "rule", rule, N_("use one of: {rules}").format(rules=", ".join(rules))
        )
    if coordinator not in (None, ALL) and coordinator not in fu.coordinators:
        shown = ", ".join(repr(c) for c in fu.coordinators)
        raise InvalidArgumentError(
            "coordinator", coordinator, N_("use one of: {shown}").format(shown=shown)
        )


def _listed(fu: FollowUp, rule: str | None, coordinator: str | None, lang: str) -> pd.DataFrame:
    _check_filters(fu, rule, coordinator)
    return fu.to_contact(
        rule=None if rule == ALL else rule,
        coordinator=None if coordinator == ALL else coordinator,
        lang=lang,
    )


# --------------------------------------------------------------------------- workbook
def _identifier_columns(programme: Programme | People, role: str) -> list[str]:
    """Names and contacts of ``role``: the declared identifiers, else the sample's
    ``display_name`` and any contact column (the rule of :mod:`ementor_kit.matching.export`)."""
    table = getattr(programme, role)
    if programme.spec is not None:
        names: Sequence[str] = programme.spec.identifiers[role]
    else:
        names = [c for c in table.columns if c == "display_name" or _CONTACT.search(str(c))]
    return [c for c in table.columns if c in names]


def _joined(listed: pd.DataFrame, programme: Programme | People | None) -> pd.DataFrame:
    """``listed`` with each person's names and contacts after their id."""
    if programme is None:
        return listed
    if not isinstance(programme, Programme | People):
        raise ArgumentTypeError(
            "programme",
            programme,
            N_("pass the programme: read_programme(folder) or load_sample()"),
        )
    out = listed.copy()
    for role, key, prefix in (
        ("mentees", "mentee_id", "mentee"),
        ("mentors", "mentor_id", "mentor"),
    ):
        table = getattr(programme, role).copy()
        table[key] = table[key].astype(str)
        cols = _identifier_columns(programme, role)
        missing = sorted(set(out[key]) - set(table[key]))
        if missing:
            raise InvalidArgumentError(
                "programme",
                missing[:5],
                N_("pass the programme whose pairs are followed up"),
                message=N_(
                    "{n} {role} of the follow-up are not in the programme (e.g. {missing!r})"
                ).format(n=len(missing), role=role, missing=missing[0]),
            )
        people = table.drop_duplicates(key).set_index(key)[cols]
        at = out.columns.get_loc(key) + 1
        for c in reversed(cols):
            name = c if c.startswith(prefix + "_") else f"{prefix}_{c}"
            values = people[c].reindex(out[key]).to_numpy()
            out.insert(at, name, ["" if pd.isna(v) else str(v) for v in values])
    return out


def _cell(v: object, lang: str) -> object:
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        return v
    if hasattr(v, "item") and not isinstance(v, str):
        return _cell(v.item(), lang)
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(v)))


def _sheet(wb: Workbook, title: str, table: pd.DataFrame, t: Translator) -> None:
    ws = wb.create_sheet(title)
    for c, name in enumerate(table.columns, 1):
        cell = ws.cell(row=1, column=c, value=_cell(t.gettext(_COLUMNS.get(name, name)), t.lang))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for r, row in enumerate(table.itertuples(index=False), 2):
        for c, v in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=_cell(v, t.lang))
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    for c, name in enumerate(table.columns, 1):
        longest = max([len(str(name)), *(len(str(v)) for v in table.iloc[:, c - 1])])
        ws.column_dimensions[get_column_letter(c)].width = min(80, longest + 2)


def write_followup_excel(
    followup: FollowUp,
    path: str | Path,
    programme: Programme | People | None = None,
    *,
    rule: str | None = None,
    coordinator: str | None = None,
    lang: str | None = None,
) -> Path:
    """Write the coordinator's workbook of the pairs to contact (names joined back by id).

    Parameters
    ----------
    followup : FollowUp
        The result of :func:`~ementor_kit.followup`.
    path : str or Path
        The ``.xlsx`` file to write (its folder is created if needed).
    programme : Programme or People, optional
        Whose names and contacts to join (the declared identifiers; the sample's
        ``display_name``); without it only ids are written.
    rule, coordinator : str, optional
        Only the pairs of this rule / of this coordinator (``""``: never contacted).
    lang : str, optional
        Language of the sheet names, headers and reasons (``"en"``, ``"fr"``).

    Returns
    -------
    Path
        ``path``. Sheets: the list (``To contact``), one sheet per coordinator of the list
        (``""`` as ``not contacted yet``) and ``About`` (day, cadence, window, filters, a
        personal-data note). Text cells are neutralised against formula injection; the bytes
        depend only on the inputs.

    Raises
    ------
    InvalidArgumentError
        An unknown rule or coordinator; a person of the list not in ``programme``.

    Examples
    --------
    >>> import pandas as pd, ementor_kit as ek
    >>> pairs = pd.DataFrame({"mentee_id": ["E001", "E002"], "mentor_id": ["M001", "M001"],
    ...                       "matched_on": ["2026-09-01"] * 2})
    >>> log = pd.DataFrame({"interaction_id": ["I1", "I2"],
    ...                     "timestamp": ["2026-09-29T10:00:00Z", "2026-09-30T10:00:00Z"],
    ...                     "sender_id": ["E001", "M001"], "recipient_id": ["M001", "E002"],
    ...                     "channel": ["video"] * 2, "duration_minutes": [30.0] * 2,
    ...                     "session_id": [None] * 2})
    >>> checkins = pd.DataFrame({"coordinator": ["Ana", "Ana"], "mentee_id": ["E001", "E002"],
    ...                          "date": ["2026-09-10", "2026-09-28"],
    ...                          "channel": ["phone", "video"], "outcome": ["reached", "concern"]})
    >>> fu = ek.followup(ek.engagement(log, pairs, as_of="2026-10-01"), checkins)
    >>> import tempfile, pathlib, openpyxl
    >>> p = write_followup_excel(fu, pathlib.Path(tempfile.mkdtemp()) / "followup.xlsx")
    >>> wb = openpyxl.load_workbook(p)
    >>> wb.sheetnames
    ['To contact', 'Ana', 'About']
    >>> [c.value for c in wb["To contact"][2]][:3]
    ['E001', 'M001', 'active']
    """
    t = translator(lang)
    listed = _joined(_listed(followup, rule, coordinator, t.lang), programme)
    wb = Workbook()
    wb.remove(wb.active)
    main = t.gettext("To contact")
    coordinators = sorted(set(listed["coordinator"]))
    none = t.gettext("not contacted yet")
    titles = sheet_names([c or none for c in coordinators], taken=[main, "About"])
    _sheet(wb, main, listed, t)
    for who, title in zip(coordinators, titles, strict=True):
        _sheet(wb, title, listed[listed["coordinator"] == who], t)
    about = wb.create_sheet(t.gettext("About"))
    facts = [
        (t.gettext("day"), followup.as_of_day.date()),
        (t.gettext("check-in every (days)"), followup.cadence_days),
        (t.gettext("window (days)"), followup.within_days),
        (t.gettext("rule"), _rule_word(rule, t) if rule not in (None, ALL) else t.gettext("all")),
        (
            t.gettext("coordinator"),
            coordinator if coordinator not in (None, ALL) else t.gettext("all"),
        ),
        (t.gettext("pairs to contact"), len(listed)),
        ("ementor-kit", __version__),
        (
            t.gettext("note"),
            t.gettext("contains personal data: share it only with the people concerned")
            if programme is not None
            else t.gettext("ids only, no names"),
        ),
    ]
    for r, (k, v) in enumerate(facts, 1):
        about.cell(row=r, column=1, value=_cell(k, t.lang)).font = _HEADER_FONT
        about.cell(row=r, column=2, value=_cell(v, t.lang))
    about.column_dimensions["A"].width = 28
    props = wb.properties
    props.created = props.modified = FIXED_DATE
    props.creator = props.lastModifiedBy = f"ementor-kit {__version__}"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)  # once the list is known to be right
    save_workbook(wb, path)  # fixed zip entry times: the same follow-up, the same bytes
    return path


# --------------------------------------------------------------------------- the board
class FollowUpBoard:
    """This week's pairs to contact, filterable by rule and coordinator, exportable.

    Parameters
    ----------
    followup : FollowUp
        The result of :func:`~ementor_kit.followup` (engagement, check-ins, cadence).
    programme : Programme or People, optional
        Whose names and contacts the export joins (the board shows ids only).
    output_dir : str or Path
        Default export folder (``outputs/``); editable on the board.
    lang : str, optional
        Language of every label and reason (``"en"`` or ``"fr"``); default the process
        language.

    Attributes
    ----------
    rule_filter, coordinator_filter : Dropdown
        The filters (value ``"*"``: all).
    summary_html, table_html, export_html : HTML
        What is shown (readable by tests).
    folder_text : Text
        The export folder; ``export_button`` writes the workbook there.
    shown : DataFrame
        The pairs listed under the current filters (:meth:`FollowUp.to_contact`).
    last_export : Path or None
        The last workbook written.
    widget : Widget
        The board to display.

    Examples
    --------
    >>> import pandas as pd, ementor_kit as ek
    >>> pairs = pd.DataFrame({"mentee_id": ["E001", "E002"], "mentor_id": ["M001", "M001"],
    ...                       "matched_on": ["2026-09-01"] * 2})
    >>> log = pd.DataFrame({"interaction_id": ["I1", "I2"],
    ...                     "timestamp": ["2026-09-29T10:00:00Z", "2026-09-30T10:00:00Z"],
    ...                     "sender_id": ["E001", "M001"], "recipient_id": ["M001", "E002"],
    ...                     "channel": ["video"] * 2, "duration_minutes": [30.0] * 2,
    ...                     "session_id": [None] * 2})
    >>> checkins = pd.DataFrame({"coordinator": ["Ana", "Ana"], "mentee_id": ["E001", "E002"],
    ...                          "date": ["2026-09-10", "2026-09-28"],
    ...                          "channel": ["phone", "video"], "outcome": ["reached", "concern"]})
    >>> fu = ek.followup(ek.engagement(log, pairs, as_of="2026-10-01"), checkins)
    >>> board = FollowUpBoard(fu, lang="en")
    >>> board.shown["mentee_id"].tolist()
    ['E001', 'E002']
    >>> board.rule_filter.value = "concern"      # what choosing in the dropdown does
    >>> board.shown["mentee_id"].tolist()
    ['E002']
    """

    def __init__(
        self,
        followup: FollowUp,
        programme: Programme | People | None = None,
        *,
        output_dir: str | Path = "outputs",
        lang: str | None = None,
    ) -> None:
        if not isinstance(followup, FollowUp):
            raise ArgumentTypeError(
                "followup", followup, N_("pass the result of ementor_kit.followup(engagement, ...)")
            )
        self._t = translator(lang)
        self.lang = self._t.lang
        self.followup = followup
        self.programme = programme
        self.last_export: Path | None = None
        t = self._t
        fired = set(followup.reasons("en")["rule"])
        rules = [r for r in RULES if r in fired] + sorted(fired - set(RULES))
        self._rules = rules
        self.rule_filter = w.Dropdown(
            options=[(t.gettext("all rules"), ALL)] + [(_rule_word(r, t), r) for r in rules],
            value=ALL,
            description=t.gettext("rule"),
        )
        listed = set(followup.table.loc[followup.table["to_contact"], "coordinator"])
        self.coordinator_filter = w.Dropdown(
            options=[(t.gettext("all coordinators"), ALL)]
            + [(c or t.gettext("not contacted yet"), c) for c in sorted(listed)],
            value=ALL,
            description=t.gettext("coordinator"),
        )
        self.summary_html = w.HTML()
        self.table_html = w.HTML()
        self.export_html = w.HTML()
        self.folder_text = w.Text(value=str(output_dir), description=t.gettext("folder"))
        self.export_button = w.Button(description=t.gettext("Export workbook"))
        self.rule_filter.observe(self._on_filter, names="value")
        self.coordinator_filter.observe(self._on_filter, names="value")
        self.export_button.on_click(lambda _b: self._export_clicked())
        self.widget = w.VBox(
            [
                self.summary_html,
                w.HBox([self.rule_filter, self.coordinator_filter]),
                self.table_html,
                w.HBox([self.folder_text, self.export_button]),
                self.export_html,
            ]
        )
        self.widget.add_class("ek-followup")
        self._render()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def shown(self) -> pd.DataFrame:
        """The pairs listed under the current filters (ids only)."""
        return _listed(
            self.followup, self.rule_filter.value, self.coordinator_filter.value, self.lang
        )

    def _on_filter(self, change: dict) -> None:
        self._render()

    def _render(self) -> None:
        t, fu = self._t, self.followup
        shown = self.shown
        n = len(shown)
        head = t.ngettext("{n} pair to contact", "{n} pairs to contact", n).format(n=n)
        when = (
            str(fu.as_of_day.date()) if self.lang == "en" else format_date(fu.as_of_day, self.lang)
        )
        cadence = t.gettext("check-in every {days} days; due within {window} days of {day}")
        fired = [r for rs in shown["rules"] for r in rs.split(", ") if r]
        items = "".join(
            f"<li class='ek-rule-{escape(r)}'>{escape(_rule_word(r, t))}: {fired.count(r)}</li>"
            for r in self._rules
            if r in fired
        )
        self.summary_html.value = (
            f"<p class='ek-followup-head'><b>{escape(head)}</b> "
            f"({escape(cadence.format(days=fu.cadence_days, window=fu.within_days, day=when))})"
            f"</p><ul>{items}</ul>"
        )
        self.table_html.value = self._table_markup(shown)

    def _table_markup(self, shown: pd.DataFrame) -> str:
        t = self._t
        if shown.empty:
            return "<i>" + escape(t.gettext("No pair to contact.")) + "</i>"
        view = shown.copy()
        view["status"] = [
            label(f"status.{s}", self.lang) if f"status.{s}" in _TERMS else s
            for s in view["status"]
        ]
        view["rules"] = [
            ", ".join(_rule_word(r, t) for r in rs.split(", ") if r) for rs in view["rules"]
        ]
        for c in ("last_checkin", "checkin_due"):
            view[c] = [
                ""
                if pd.isna(v)
                else (str(v.date()) if self.lang == "en" else format_date(v, self.lang))
                for v in view[c]
            ]
        view["days_since_checkin"] = [
            "" if pd.isna(v) else str(int(v)) for v in view["days_since_checkin"]
        ]
        view = view.rename(columns={c: t.gettext(_COLUMNS[c]) for c in view.columns})
        return view.to_html(index=False, escape=True, classes="ek-followup-table", border=0)

    def export(self, folder: str | Path | None = None) -> Path:
        """Write the workbook of the pairs shown (names joined) into ``folder``.

        Parameters
        ----------
        folder : str or Path, optional
            Default the board's folder (``folder_text``).

        Returns
        -------
        Path
            ``<folder>/followup-<day>.xlsx``.
        """
        out = Path(folder if folder is not None else self.folder_text.value)
        path = out / f"followup-{self.followup.as_of_day.date()}.xlsx"
        self.last_export = write_followup_excel(
            self.followup,
            path,
            self.programme,
            rule=self.rule_filter.value,
            coordinator=self.coordinator_filter.value,
            lang=self.lang,
        )
        return self.last_export

    def _export_clicked(self) -> None:
        try:
            path = self.export()
        except (EmentorKitError, OSError) as exc:
            self.export_html.value = f"<span class='ek-error'>{escape(exc)}</span>"
            return
        text = self._t.gettext("Written: {path}").format(path=path)
        self.export_html.value = f"<span class='ek-export-done'>{escape(text)}</span>"
