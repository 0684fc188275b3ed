"""What the coordinator app's Data and Results steps show, as HTML (escaped).

See :mod:`ementor_kit.widgets.app`; people are shown by ``named`` (name and id, a pseudonym
for an e-mail id: :func:`~ementor_kit.widgets.app_text.shown_ids`).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ementor_kit._html import escape
from ementor_kit.data.review_text import check_text
from ementor_kit.data.spec import ProgrammeSpec
from ementor_kit.i18n import N_, Translator
from ementor_kit.matching import MatchResult
from ementor_kit.widgets.app_text import (
    attribute_text,
    confidence_text,
    role_text,
    type_text,
)

__all__ = ["compare_names_markup", "review_markup", "unmatched_markup"]

_REVIEW_COLUMNS = {
    "file": N_("file"),
    "column": N_("column of the file"),
    "roles": N_("who answered"),
    "attribute": N_("read as"),
    "type": N_("type"),
    "confidence": N_("how sure"),
    "values_seen": N_("answers seen"),
    "check": N_("to check"),
}


def review_markup(spec: ProgrammeSpec, t: Translator) -> str:
    """The proposal's review as a table, in ``t``'s language (checks, types, roles...)."""
    review = spec.review(lang="en")[list(_REVIEW_COLUMNS)].copy()
    files = review["attribute"].isna() & review["type"].isna()  # a file's own line
    review.loc[files, "values_seen"] = review.loc[files, "values_seen"].map(
        lambda v: check_text(str(v), t)
    )
    review["check"] = review["check"].map(lambda v: check_text(str(v), t))
    review["confidence"] = review["confidence"].map(lambda v: confidence_text(str(v), t))
    review["roles"] = review["roles"].map(lambda v: role_text(str(v), t))
    review["type"] = review["type"].map(lambda v: type_text(v, t) if isinstance(v, str) else v)
    review["attribute"] = review["attribute"].map(
        lambda v: attribute_text(v, t) if isinstance(v, str) else v
    )
    review = review.rename(columns={c: t.gettext(h) for c, h in _REVIEW_COLUMNS.items()})
    body = review.to_html(index=False, escape=True, border=0, na_rep="", classes=["ek-review"])
    return f"<div style='max-height:360px;overflow:auto;font-size:smaller'>{body}</div>"


def unmatched_markup(
    result: MatchResult,
    t: Translator,
    named: Callable[[str], str],
    reason: Callable[[str, str], str],
) -> str:
    """Who is not paired and why (a sentence each), and how many mentors have room."""
    un = result.unmatched
    left = un[un["role"] == "mentee"]
    spare = un[un["role"] == "mentor"]
    if len(left) == 0:
        head = t.gettext("Every mentee is paired.")
        rows = ""
    else:
        head = t.ngettext(
            "{n} mentee is not paired.", "{n} mentees are not paired.", len(left)
        ).format(n=len(left))
        rows = "".join(
            f"<tr><td>{escape(named(str(p)))}</td>"
            f"<td class='ek-why'>{escape(reason(str(c), str(d)))}</td></tr>"
            for p, c, d in zip(left["person_id"], left["reason"], left["detail"], strict=True)
        )
    free = t.ngettext(
        "{n} mentor still has free places.", "{n} mentors still have free places.", len(spare)
    ).format(n=len(spare))
    table = (
        f"<div style='max-height:300px;overflow:auto'><table class='ek-unpaired'>{rows}"
        "</table></div>"
        if rows
        else ""
    )
    return f"<p class='ek-unpaired-head'>{escape(head)} {escape(free)}</p>{table}"


def compare_names_markup(changed: pd.DataFrame, t: Translator, named: Callable[[str], str]) -> str:
    """Who changes mentor between A and B (``changed``: ``MatchPlayground.changed_pairs``)."""
    if len(changed) == 0:
        return "<p class='ek-compare-names'>" + t.gettext("Nobody changes mentor.") + "</p>"
    nobody = t.gettext("(not paired)")
    rows = "".join(
        f"<tr><td>{escape(named(str(r.mentee_id)))}</td>"
        f"<td>{escape(named(str(r.mentor_A)) if pd.notna(r.mentor_A) else nobody)}</td>"
        f"<td>{escape(named(str(r.mentor_B)) if pd.notna(r.mentor_B) else nobody)}</td>"
        "</tr>"
        for r in changed.itertuples(index=False)
    )
    heads = (t.gettext("mentee"), t.gettext("mentor in A"), t.gettext("mentor in B"))
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    return (
        "<div style='max-height:300px;overflow:auto'><table class='ek-compare-names'>"
        f"<tr>{head}</tr>{rows}</table></div>"
    )
