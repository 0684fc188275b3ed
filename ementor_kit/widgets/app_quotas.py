"""The coordinator app's group quotas: a minimum service level for a group of mentees.

The quotas are the rules' own (:class:`~ementor_kit.matching.rules.GroupQuota`, the
``quotas:`` section of a rules file): at least a share of a group's mentees paired
(``min_coverage``), or the group paired at least as often as the mentees overall, times a
factor (``min_share_of_overall``). The controls pick a mentee column and one of its values,
the kind of bound and its value; the quotas then travel with the rules (the rules file, the
session) like every other rule. :func:`quota_text` says a quota in plain words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w
import pandas as pd

from ementor_kit._html import escape
from ementor_kit.i18n import N_, Translator, format_number, format_percent
from ementor_kit.matching import GroupQuota

__all__ = ["QuotaControls", "quota_columns", "quota_text"]

MAX_GROUPS = 30
"""A column with more distinct values than this is not offered for quotas."""
_NOT_GROUPS = {"mentee_id", "display_name", "name", "first_name", "last_name", "email", "phone"}
_KINDS = (
    ("min_coverage", N_("at least this share of the group paired")),
    ("min_share_of_overall", N_("paired at least as often as all mentees, times")),
)


def _values(column: pd.Series) -> list[str]:
    """The group values of a mentee column (the items of a multi-select one)."""
    if column.map(lambda v: isinstance(v, (tuple, list))).any():
        return sorted({str(x) for v in column if isinstance(v, (tuple, list)) for x in v})
    return sorted({str(v) for v in column.dropna() if str(v) != ""})


def quota_columns(mentees: pd.DataFrame) -> dict[str, list[str]]:
    """The mentee columns a quota can be set on, each with its group values.

    Text and multi-select columns with 2 to :data:`MAX_GROUPS` values; ids, names and
    contacts are left out.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> cols = quota_columns(ek.load_sample().mentees)
    >>> cols["group"], "mentee_id" in cols, "department" in cols
    (['non_qpv', 'qpv'], False, False)
    """
    out = {}
    for c in mentees.columns:
        s = mentees[c]
        if c in _NOT_GROUPS or pd.api.types.is_numeric_dtype(s):
            continue
        values = _values(s)
        if 2 <= len(values) <= MAX_GROUPS:
            out[str(c)] = values
    return out


def quota_text(q: GroupQuota, t: Translator) -> str:
    """A quota in plain words, in ``t``'s language.

    Examples
    --------
    >>> from ementor_kit.i18n import translator
    >>> q = GroupQuota("qpv", min_coverage=0.8)
    >>> quota_text(q, translator("en"))
    'group = qpv: at least 80% of these mentees paired'
    >>> print(quota_text(GroupQuota("qpv", min_share_of_overall=1.5), translator("fr")))
    group = qpv : ces mentoré·es en binôme au moins 1,5 fois aussi souvent que l'ensemble des mentoré·es
    """
    where = f"{q.column} = {q.group}"
    if q.min_coverage is not None:
        share = (
            f"{100 * q.min_coverage:.0f}%"
            if t.lang == "en"
            else format_percent(q.min_coverage, 0, t.lang)
        )
        return t.gettext("{where}: at least {share} of these mentees paired").format(
            where=where, share=share
        )
    x = q.min_share_of_overall if q.min_share_of_overall is not None else 1.0
    times = f"{x:g}" if t.lang == "en" else format_number(x, 2, t.lang).rstrip("0").rstrip(",")
    return t.gettext(
        "{where}: these mentees paired at least {times} times as often as all mentees"
    ).format(where=where, times=times)


class QuotaControls:
    """Add and clear group quotas; ``on_change(quotas)`` gets the new tuple.

    Parameters
    ----------
    t : Translator
        The page's language.
    mentees : DataFrame
        The mentees (their columns and values are offered).
    quotas : sequence of GroupQuota
        The quotas of the rules shown.
    on_change : callable
        Called with the new quotas when one is added or they are cleared.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> from ementor_kit.i18n import translator
    >>> seen = []
    >>> qc = QuotaControls(translator("en"), ek.load_sample().mentees, (), seen.append)
    >>> qc.column.value, qc.group.value
    ('group', 'non_qpv')
    >>> qc.group.value, qc.bound.value = "qpv", 0.9
    >>> qc.add()
    >>> seen[-1]
    (GroupQuota(group='qpv', column='group', min_coverage=0.9, min_share_of_overall=None),)
    """

    def __init__(
        self,
        t: Translator,
        mentees: pd.DataFrame,
        quotas: Sequence[GroupQuota],
        on_change: Callable[[tuple[GroupQuota, ...]], None],
    ) -> None:
        self._t, self._on_change = t, on_change
        self.quotas = tuple(quotas)
        self._columns = quota_columns(mentees)
        names = list(self._columns)
        start = "group" if "group" in self._columns else (names[0] if names else None)
        self.column = w.Dropdown(
            options=names, value=start, description=t.gettext("column"), layout=_wide(300)
        )
        self.column.add_class("ek-quota-column")
        self.group = w.Dropdown(description=t.gettext("group"), layout=_wide(300))
        self.group.add_class("ek-quota-group")
        self.kind = w.Dropdown(
            options=[(t.gettext(text), key) for key, text in _KINDS],
            value="min_coverage",
            description=t.gettext("bound"),
            layout=_wide(440),
        )
        self.kind.add_class("ek-quota-kind")
        self.bound = w.BoundedFloatText(
            value=0.8,
            min=0.0,
            max=1.0,
            step=0.05,
            description=t.gettext("value"),
            layout=_wide(200),
        )
        self.bound.add_class("ek-quota-bound")
        self.add_button = w.Button(description=t.gettext("Add this quota"), icon="plus")
        self.add_button.add_class("ek-quota-add")
        self.clear_button = w.Button(description=t.gettext("Clear the quotas"))
        self.clear_button.add_class("ek-quota-clear")
        self.html = w.HTML()
        self.html.add_class("ek-quotas")
        self.column.observe(lambda _c: self._show_groups(), names="value")
        self.kind.observe(lambda _c: self._show_kind(), names="value")
        self.add_button.on_click(lambda _b: self.add())
        self.clear_button.on_click(lambda _b: self.set_quotas(()))
        help_line = t.gettext(
            "A minimum service level for a group of mentees (for example the mentees of a "
            "priority neighbourhood); the pairing meets it or says it cannot."
        )
        self.widget = w.VBox(
            [
                w.HTML(f"<i style='font-size:smaller'>{escape(help_line)}</i>"),
                w.HBox([self.column, self.group]),
                w.HBox([self.kind, self.bound]),
                w.HBox([self.add_button, self.clear_button]),
                self.html,
            ]
        )
        self._show_groups()
        self._render()

    def _show_groups(self) -> None:
        values = self._columns.get(self.column.value or "", [])
        self.group.options = values
        self.group.value = values[0] if values else None

    def _show_kind(self) -> None:
        if self.kind.value == "min_coverage":
            self.bound.max, self.bound.value = 1.0, min(self.bound.value, 1.0)
        else:
            self.bound.max = 5.0

    def add(self) -> None:
        """Add the quota the controls show (replacing one on the same group) and re-solve."""
        if self.column.value is None or self.group.value is None:
            return
        bound = round(float(self.bound.value), 6)
        q = GroupQuota(
            str(self.group.value),
            column=str(self.column.value),
            **{str(self.kind.value): bound},
        )
        kept = [x for x in self.quotas if (x.column, x.group) != (q.column, q.group)]
        self.set_quotas((*kept, q))

    def set_quotas(self, quotas: Sequence[GroupQuota]) -> None:
        """Replace the quotas and tell the page."""
        self.quotas = tuple(quotas)
        self._render()
        self._on_change(self.quotas)

    def _render(self) -> None:
        t = self._t
        if not self.quotas:
            none = t.gettext("no quota")
            self.html.value = f"<i>{escape(none)}</i>"
            return
        items = "".join(
            f"<li class='ek-quota'>{escape(quota_text(q, t))}</li>" for q in self.quotas
        )
        self.html.value = f"<ul>{items}</ul>"


def _wide(px: int) -> w.Layout:
    return w.Layout(width=f"{px}px")
