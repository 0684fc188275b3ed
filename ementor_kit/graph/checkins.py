"""Coordinator follow-up: the coordinator's own contacts with the pairs, against a cadence.

A coordinator checks in with every pair at a regular interval (the design's
``checkin_every_days``, the MENTOR standard of monitoring and support). The optional table
``checkins.csv`` (:data:`ementor_kit.data.schema.CHECKINS`) records those contacts:
``coordinator, mentee_id, mentor_id, date, channel, outcome, next_step``.
:func:`read_checkins` reads and checks it against the pairs; :func:`followup` puts it beside an
:func:`~ementor_kit.graph.engagement` and lists, per pair, the time since the last coordinator
contact and why a pair should be contacted this week. A pair is to contact when one of these
rules fires (:data:`RULES`, in this order):

- ``engagement``: the pair's engagement status asks for action (``needs_action``: a silence, an
  unanswered message, a stalled goal, a missed session, a closure to record);
- ``cadence``: the next check-in (the last contact, or ``matched_on`` without any, plus the
  cadence) falls due by the end of the window (``within_days``, a week by default): overdue
  when the last contact is more than ``cadence_days`` old;
- ``concern``: the last contact raised a concern (``outcome`` ``concern``), still open;
- ``not_reached``: attempts (``no_answer``) since the last contact reached nobody;
- any rule of ``extra_reasons`` (a frame ``mentee_id, mentor_id, rule, reason``), e.g. a low
  pulse survey answer.

A pair that has ended is never flagged by the cadence, a concern or an extra reason; a
``completed`` pair is never flagged at all (engagement already never asks action of one).
Only an attempt that reached somebody (``reached``, ``concern``, ``escalated``) is a contact.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.data.raw import read_raw
from ementor_kit.data.schema import CHECKINS
from ementor_kit.data.validation import validate
from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError, Problem
from ementor_kit.graph.engagement_metrics import Engagement, engagement
from ementor_kit.i18n import GLOSSARY, N_, format_date, label, translator
from ementor_kit.i18n.text import translate_text

__all__ = ["DEFAULT_CADENCE_DAYS", "RULES", "FollowUp", "followup", "read_checkins"]

DEFAULT_CADENCE_DAYS = 14
"""Days between two coordinator check-ins when neither ``cadence_days`` nor a design is given:
the default ``checkin_every_days`` of :class:`~ementor_kit.design.ProgrammeDesign`."""

RULES = ("engagement", "cadence", "concern", "not_reached")
"""The built-in rules of :func:`followup`, in the order they are listed."""

CONTACT_OUTCOMES = ("reached", "concern", "escalated")
"""Outcomes of ``checkins.csv`` that are a contact (``no_answer`` is only an attempt)."""

_PAIR = ["mentee_id", "mentor_id"]
_TERMS = {term.key for term in GLOSSARY}
_ENDED = ("completed", "closed_early")

# reason wordings (English message ids, translated when rendered)
_MSG = {
    "overdue": N_("no coordinator contact for {days} days (every {cadence} days)"),
    "never": N_("no coordinator contact since matching, {days} days ago (every {cadence} days)"),
    "due": N_("coordinator check-in due on {date} (every {cadence} days)"),
    "concern": N_("concern raised on {date} by {coordinator}"),
    "concern_next": N_("concern raised on {date} by {coordinator}; next step: {next_step}"),
    "not_reached": N_("not reached since {date} ({n} attempts)"),
    "engagement": N_("{status}: {reason}"),
}


# --------------------------------------------------------------------------- reading
_DAY_AND_TIME = r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"


def _text(value: object) -> str:
    """A cell as text; a date or a timestamp (from a spreadsheet, pandas) as its day."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, dt.datetime):  # pd.Timestamp too: the day as written, in its zone
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _with_days(frame: pd.DataFrame) -> pd.DataFrame:
    """The ``date`` column with a time of day dropped: a contact is recorded by its day
    (``2026-09-20 14:30`` from a spreadsheet is the 20th)."""
    if "date" not in frame.columns:
        return frame
    day = frame["date"].astype(str).str.strip().str.extract(_DAY_AND_TIME, expand=False)
    return frame.assign(date=day.where(day.notna(), frame["date"]))


def _raw(source: Any) -> tuple[pd.DataFrame, str, tuple[int, ...]]:
    """The table as text, its name for messages and the spreadsheet row of each row."""
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        text = frame.astype(object).map(_text)
        return _with_days(text), "checkins table", tuple(range(2, len(frame) + 2))
    if isinstance(source, (str, Path)):
        raw = read_raw(source)
        return _with_days(raw.frame.fillna("")), Path(source).name, raw.rows
    raise ArgumentTypeError(
        "checkins", source, N_("pass the path of checkins.csv or its table (a DataFrame)")
    )


def _pairs_of(pairs: Any) -> pd.DataFrame:
    if isinstance(pairs, Engagement):
        pairs = pairs.table
    if not isinstance(pairs, pd.DataFrame) or not set(_PAIR) <= set(map(str, pairs.columns)):
        raise ArgumentTypeError(
            "pairs",
            pairs,
            N_(
                "pass the pairs (pairs.csv as a DataFrame with mentee_id, mentor_id) "
                "or an Engagement"
            ),
        )
    return pairs[_PAIR].astype("str").drop_duplicates()


def read_checkins(source: Any, pairs: Any) -> pd.DataFrame:
    """Read ``checkins.csv`` (or its table) and check each contact names a pair.

    Parameters
    ----------
    source : str, Path or DataFrame
        The file (CSV, ``.xlsx`` or ``.ods``; see :data:`ementor_kit.data.schema.CHECKINS`)
        or its table.
    pairs : DataFrame or Engagement
        The pairs (``mentee_id``, ``mentor_id``): ``pairs.csv`` or an engagement's pairs.

    Returns
    -------
    DataFrame
        ``coordinator, mentee_id, mentor_id, date, channel, outcome, next_step`` typed (``date``
        a day), sorted by date (rows of one day in file order). Dates may also be dates or
        timestamps (``datetime``, ``pandas.Timestamp``, a spreadsheet's date cells) or
        ``YYYY-MM-DD HH:MM`` text: a contact is recorded by its day, the time of day dropped. An empty ``mentor_id`` is
        filled with the mentee's only pair; an empty ``next_step`` is ``""``.

    Raises
    ------
    DataValidationError
        Every problem at once, naming file, row and column: a missing column, an empty
        required cell, a date not written ``YYYY-MM-DD``, an unknown channel or outcome, a
        contact naming no pair of ``pairs``, a mentee with several pairs and no ``mentor_id``.

    Examples
    --------
    >>> pairs = pd.DataFrame({"mentee_id": ["E001", "E002"], "mentor_id": ["M001", "M001"]})
    >>> raw = pd.DataFrame({"coordinator": ["Ana", "Ana"], "mentee_id": ["E002", "E001"],
    ...                     "mentor_id": ["", "M001"], "date": ["2026-09-20", "2026-09-10"],
    ...                     "channel": ["phone", "email"], "outcome": ["reached", "no_answer"]})
    >>> read_checkins(raw, pairs)[["mentee_id", "mentor_id", "date", "outcome"]]
      mentee_id mentor_id       date    outcome
    0      E001      M001 2026-09-10  no_answer
    1      E002      M001 2026-09-20    reached
    >>> read_checkins(raw.assign(mentee_id=["E009", "E001"]), pairs)
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - checkins table, row 2, column 'mentee_id': E009 has no pair in the pairs. Fix: check the id, or add the pair to pairs.csv
    """
    known = _pairs_of(pairs)
    frame, file, rows = _raw(source)
    try:
        typed = validate(frame, CHECKINS, file=file)
    except DataValidationError as exc:  # validate numbers rows 2, 3 ...: the file's rows
        raise DataValidationError(
            [replace(p, rows=tuple(rows[r - 2] for r in p.rows)) for p in exc.problems]
        ) from None
    mentor = (
        typed["mentor_id"].astype(object).where(typed["mentor_id"].notna(), "").astype(str)
        if "mentor_id" in typed.columns
        else pd.Series("", index=typed.index)
    ).str.strip()
    by_mentee = known.groupby("mentee_id")["mentor_id"].agg(list).to_dict()
    problems: list[Problem] = []
    filled = []
    bad_pair: list[int] = []
    several: dict[str, list[int]] = {}
    unknown: list[tuple[int, str]] = []
    for i, (e, m) in enumerate(zip(typed["mentee_id"], mentor, strict=True)):
        theirs = by_mentee.get(e, [])
        if not theirs:
            unknown.append((i, e))
        elif m == "":
            if len(theirs) > 1:
                several.setdefault(e, []).append(i)
            m = theirs[0]
        elif m not in theirs:
            bad_pair.append(i)
        filled.append(m)
    for i, e in unknown:
        problems.append(
            Problem(
                file,
                "mentee_id",
                (rows[i],),
                N_("{e} has no pair in the pairs").format(e=e),
                N_("check the id, or add the pair to pairs.csv"),
            )
        )
    if bad_pair:
        problems.append(
            Problem(
                file,
                "mentor_id",
                tuple(rows[i] for i in bad_pair),
                N_("no such pair (mentee_id, mentor_id) in the pairs"),
                N_("check the ids, or leave mentor_id empty for the mentee's only pair"),
            )
        )
    for e, idx in several.items():
        problems.append(
            Problem(
                file,
                "mentor_id",
                tuple(rows[i] for i in idx),
                N_("{e} has {n} pairs and mentor_id is empty").format(e=e, n=len(by_mentee[e])),
                N_("write the mentor of the pair contacted ({by_mentee})").format(
                    by_mentee=", ".join(by_mentee[e])
                ),
            )
        )
    if problems:
        raise DataValidationError(problems)
    step = (
        typed["next_step"].astype(object).where(typed["next_step"].notna(), "").astype(str)
        if "next_step" in typed.columns
        else pd.Series("", index=typed.index)
    )
    out = pd.DataFrame(
        {
            "coordinator": typed["coordinator"].astype("str"),
            "mentee_id": typed["mentee_id"].astype("str"),
            "mentor_id": pd.array(filled, dtype="str"),
            "date": typed["date"],
            "channel": typed["channel"].astype("str"),
            "outcome": typed["outcome"].astype("str"),
            "next_step": step.astype("str"),
        }
    )
    return out.sort_values("date", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- follow-up
@dataclass(frozen=True)
class _Reason:
    mentee_id: str
    mentor_id: str
    rule: str
    message: str  # a key of _MSG
    params: Mapping[str, object]


@dataclass(frozen=True, eq=False)
class FollowUp:
    """What :func:`followup` returns: per pair, the coordinator's contacts and the rules fired.

    Attributes
    ----------
    table : DataFrame
        One row per pair of the engagement, in its order (columns in :func:`followup`).
    as_of : Timestamp
        The engagement's moment (UTC).
    as_of_day : Timestamp
        Its calendar day (UTC, without time zone): days are counted to it.
    cadence_days : int
        Days between two check-ins.
    cadence_from : str
        ``"argument"``, ``"design"`` (its ``checkin_every_days``) or ``"default"``
        (:data:`DEFAULT_CADENCE_DAYS`).
    within_days : int
        The window: check-ins due up to ``as_of_day + within_days`` are listed.
    unused_checkins : int
        Rows of ``checkins`` dated after ``as_of_day`` (not used).

    Examples
    --------
    >>> fu = followup(_example_engagement(), _example_checkins())
    >>> fu
    FollowUp(2 pairs, 2 to contact, as_of_day=2026-10-01, every 14 days (default))
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    as_of_day: pd.Timestamp
    cadence_days: int
    cadence_from: str
    within_days: int
    unused_checkins: int = 0
    _reasons: tuple[_Reason, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        return (
            f"FollowUp({len(self.table)} pairs, {int(self.table['to_contact'].sum())} to contact"
            f", as_of_day={self.as_of_day.date()}, every {self.cadence_days} days "
            f"({self.cadence_from}))"
        )

    @property
    def coordinators(self) -> tuple[str, ...]:
        """The coordinators named in the table (sorted; ``""`` is a pair never contacted)."""
        return tuple(sorted(set(self.table["coordinator"])))

    def reasons(self, lang: str | None = None) -> pd.DataFrame:
        """One row per rule fired: ``mentee_id, mentor_id, rule, reason``.

        Parameters
        ----------
        lang : str, optional
            Language of the ``reason`` sentences (``"en"``, ``"fr"``; default the process
            language). The engagement's own ``status_reason`` is translated when it was
            written in English.

        Returns
        -------
        DataFrame
            In pair order, then in the order of :data:`RULES` (extra rules last).

        Examples
        --------
        >>> fu = followup(_example_engagement(), _example_checkins())
        >>> for row in fu.reasons("en").itertuples():
        ...     print(row.mentee_id, row.rule, "|", row.reason)
        E001 cadence | no coordinator contact for 21 days (every 14 days)
        E002 concern | concern raised on 2026-09-28 by Ana
        """
        t = translator(lang)
        rows = [
            (r.mentee_id, r.mentor_id, r.rule, _render(t, r.message, r.params))
            for r in self._reasons
        ]
        return pd.DataFrame(rows, columns=[*_PAIR, "rule", "reason"]).astype("str")

    def to_contact(
        self,
        rule: str | None = None,
        coordinator: str | None = None,
        lang: str | None = None,
    ) -> pd.DataFrame:
        """This window's pairs to contact, with the rules fired (never a completed pair).

        Parameters
        ----------
        rule : str, optional
            Only pairs for which this rule fired (one of :data:`RULES` or an extra rule).
        coordinator : str, optional
            Only pairs whose last contact was made by this coordinator (``""``: never
            contacted).
        lang : str, optional
            Language of the reasons.

        Returns
        -------
        DataFrame
            ``mentee_id, mentor_id, status, coordinator, last_checkin, days_since_checkin,
            checkin_due, rules, reasons``: ``rules`` the rule names joined by ``", "``,
            ``reasons`` their sentences joined by ``"; "``. Ids only (no names): the
            workbook of :meth:`to_excel` joins the names.

        Examples
        --------
        >>> fu = followup(_example_engagement(), _example_checkins())
        >>> fu.to_contact(rule="concern")[["mentee_id", "coordinator", "rules"]]
          mentee_id coordinator    rules
        0      E002         Ana  concern
        """
        reasons = self.reasons(lang)
        if rule is not None:
            fired = set(zip(*[reasons.loc[reasons["rule"] == rule, c] for c in _PAIR], strict=True))
        t = self.table[self.table["to_contact"]]
        if coordinator is not None:
            t = t[t["coordinator"] == coordinator]
        if rule is not None:
            keys = list(zip(t["mentee_id"], t["mentor_id"], strict=True))
            t = t[[k in fired for k in keys]]
        grouped = reasons.groupby(_PAIR, sort=False)
        joined_rules = grouped["rule"].agg(", ".join)
        joined_text = grouped["reason"].agg("; ".join)
        cols = [
            *_PAIR,
            "status",
            "coordinator",
            "last_checkin",
            "days_since_checkin",
            "checkin_due",
        ]
        out = t[cols].reset_index(drop=True)
        idx = pd.MultiIndex.from_frame(out[_PAIR])
        out["rules"] = joined_rules.reindex(idx).fillna("").to_numpy()
        out["reasons"] = joined_text.reindex(idx).fillna("").to_numpy()
        return out.astype({"rules": "str", "reasons": "str"})


def _render(t: Any, message: str, params: Mapping[str, object]) -> str:
    if message == "extra":  # the caller's own sentence, as given
        return str(params["text"])
    values: dict[str, object] = {}
    for k, v in params.items():
        if k == "status" and t.lang != "en" and f"status.{v}" in _TERMS:
            values[k] = label(f"status.{v}", t.lang)  # the glossary's words for the status
        elif k == "reason" and t.lang != "en":
            # the engagement's status_reason: written in English by engagement(lang="en"),
            # translated here; one written in the language already is left as it is
            values[k] = translate_text(v, t.lang)
        elif isinstance(v, pd.Timestamp):
            values[k] = str(v.date()) if t.lang == "en" else format_date(v.date(), t.lang)
        else:
            values[k] = v
    return str(t.gettext(_MSG[message]).format(**values))


def _cadence(cadence_days: object, design: object) -> tuple[int, str]:
    if cadence_days is not None:
        ok = isinstance(cadence_days, int | np.integer) and not isinstance(cadence_days, bool)
        if not ok or not 1 <= int(cadence_days) <= 365:  # type: ignore[call-overload]
            raise InvalidArgumentError(
                "cadence_days", cadence_days, N_("give a whole number of days, 1 to 365, e.g. 14")
            )
        return int(cadence_days), "argument"  # type: ignore[call-overload]
    if design is not None:
        every = getattr(design, "checkin_every_days", None)
        if every is None:
            raise ArgumentTypeError(
                "design",
                design,
                N_("pass a ProgrammeDesign (its checkin_every_days sets the cadence)"),
            )
        return int(every), "design"
    return DEFAULT_CADENCE_DAYS, "default"


def _extra(extra: object, pairs: pd.DataFrame) -> pd.DataFrame:
    if extra is None:
        return pd.DataFrame(columns=[*_PAIR, "rule", "reason"])
    need = [*_PAIR, "rule", "reason"]
    if not isinstance(extra, pd.DataFrame):
        raise ArgumentTypeError(
            "extra_reasons", extra, N_("pass a DataFrame with mentee_id, mentor_id, rule, reason")
        )
    missing = [c for c in need if c not in extra.columns]
    problems = [
        Problem(
            "extra_reasons",
            c,
            (),
            N_("column is missing"),
            N_("give the columns {need}").format(need=", ".join(need)),
        )
        for c in missing
    ]
    if problems:
        raise DataValidationError(problems)
    x = extra[need].astype(object).where(extra[need].notna(), "").astype(str).reset_index(drop=True)
    known = set(zip(pairs["mentee_id"], pairs["mentor_id"], strict=True))
    for mask, column, what, fix in (
        (x["rule"].str.strip() == "", "rule", "empty rule", "name the rule (e.g. low_pulse)"),
        (
            x["rule"].isin(RULES),
            "rule",
            f"a built-in rule name ({', '.join(RULES)})",
            "name the extra rule otherwise (e.g. low_pulse)",
        ),
        (
            ~pd.Series([k in known for k in zip(x["mentee_id"], x["mentor_id"], strict=True)]),
            "mentee_id",
            "no such pair (mentee_id, mentor_id) in the engagement",
            "check the ids",
        ),
    ):
        m = mask.to_numpy(dtype=bool)
        if m.any():
            problems.append(
                Problem(
                    "extra_reasons", column, tuple(int(i) + 2 for i in np.flatnonzero(m)), what, fix
                )
            )
    if problems:
        raise DataValidationError(problems)
    return x


def followup(
    engagement: Engagement,
    checkins: Any = None,
    *,
    cadence_days: int | None = None,
    design: Any = None,
    within_days: int = 7,
    extra_reasons: pd.DataFrame | None = None,
) -> FollowUp:
    """Per pair, the time since the last coordinator contact and the rules asking for one.

    Parameters
    ----------
    engagement : Engagement
        The result of :func:`~ementor_kit.graph.engagement`: its pairs, statuses and
        ``as_of`` (check-ins after its day are not used).
    checkins : str, Path or DataFrame, optional
        ``checkins.csv`` (read by :func:`read_checkins`) or its table; None: no contact yet.
    cadence_days : int, optional
        Days between two check-ins; default the design's ``checkin_every_days``, else
        :data:`DEFAULT_CADENCE_DAYS` (14, the design's default).
    design : ProgrammeDesign, optional
        The programme design whose ``checkin_every_days`` sets the cadence.
    within_days : int, default 7
        The window: a check-in falling due up to ``within_days`` after ``as_of``'s day is
        listed (the week to come).
    extra_reasons : DataFrame, optional
        More rules: ``mentee_id, mentor_id, rule, reason`` (one row per reason; ``rule`` a
        short name such as ``low_pulse``, ``reason`` the sentence shown). The hook for the pulse
        survey: a low answer is a reason. Ignored for a pair that has ended.

    Returns
    -------
    FollowUp
        ``table`` with one row per pair: ``mentee_id, mentor_id``, ``group_id`` (when the
        pairs have one: the circle, ``""`` for a one-to-one pair), ``status`` (the engagement's),
        ``coordinator`` (of the last contact or attempt; ``""`` when none), ``n_checkins``
        (contacts: ``reached``, ``concern``, ``escalated``), ``n_attempts`` (``no_answer``),
        ``last_checkin`` (day of the last contact, NaT when none), ``days_since_checkin``
        (whole days to ``as_of``'s day, NaN when none), ``last_outcome``, ``next_step`` (of the
        last contact), ``checkin_due`` (last contact, or ``matched_on``, plus the cadence; NaT
        for an ended pair or one matched after ``as_of``), ``overdue`` (due before ``as_of``'s
        day), ``to_contact`` and ``rules`` (the rules fired, joined by ``", "``); the sentences
        are in :meth:`FollowUp.reasons` and :meth:`FollowUp.to_contact`.

    Raises
    ------
    ArgumentTypeError
        ``engagement`` is not an Engagement; ``design`` has no ``checkin_every_days``.
    InvalidArgumentError
        ``cadence_days`` or ``within_days`` not a whole number of days (1 to 365, 0 to 365).
    DataValidationError
        ``checkins`` or ``extra_reasons`` with problems (named by file, row and column).

    Examples
    --------
    >>> eng = _example_engagement()   # E001, E002 matched 2026-09-01, as_of 2026-10-01
    >>> fu = followup(eng, _example_checkins())
    >>> fu.table[["mentee_id", "last_checkin", "days_since_checkin", "checkin_due", "rules"]]
      mentee_id last_checkin  days_since_checkin checkin_due    rules
    0      E001   2026-09-10                21.0  2026-09-24  cadence
    1      E002   2026-09-28                 3.0  2026-10-12  concern
    >>> followup(eng, _example_checkins(), cadence_days=30).table["rules"].tolist()
    ['', 'concern']
    """
    if not isinstance(engagement, Engagement):
        raise ArgumentTypeError(
            "engagement", engagement, N_("pass the result of ementor_kit.engagement(...)")
        )
    cadence, source = _cadence(cadence_days, design)
    ok = isinstance(within_days, int | np.integer) and not isinstance(within_days, bool)
    if not ok or not 0 <= int(within_days) <= 365:
        raise InvalidArgumentError(
            "within_days", within_days, N_("give a whole number of days, 0 to 365, e.g. 7")
        )
    eng = engagement.table.reset_index(drop=True)
    day = (engagement.as_of - pd.Timedelta(1, "ns")).tz_convert("UTC").normalize().tz_localize(None)
    if checkins is None:
        ci = pd.DataFrame(
            {c: pd.Series([], dtype="str") for c in CHECKINS.column_names if c != "date"}
        ).assign(date=pd.Series([], dtype="datetime64[ns]"))
    else:
        ci = read_checkins(checkins, eng)
    late = ci["date"] > day
    ci = ci[~late]
    extra = _extra(extra_reasons, eng)
    table, reasons = _build(eng, ci, extra, day, cadence, int(within_days))
    return FollowUp(
        table=table,
        as_of=engagement.as_of,
        as_of_day=day,
        cadence_days=cadence,
        cadence_from=source,
        within_days=int(within_days),
        unused_checkins=int(late.sum()),
        _reasons=tuple(reasons),
    )


def _build(
    eng: pd.DataFrame,
    ci: pd.DataFrame,
    extra: pd.DataFrame,
    day: pd.Timestamp,
    cadence: int,
    within: int,
) -> tuple[pd.DataFrame, list[_Reason]]:
    """The follow-up table and the reasons, pair by pair (in the engagement's order)."""
    by_pair = {k: g for k, g in ci.groupby(_PAIR, sort=False)}
    extra_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for e, m, r, text in extra.itertuples(index=False):
        extra_of.setdefault((e, m), []).append((r, text))
    matched = pd.to_datetime(eng["matched_on"]).dt.tz_localize(None).dt.normalize()
    rows, reasons = [], []
    for i, (e, m, status, action) in enumerate(
        zip(eng["mentee_id"], eng["mentor_id"], eng["status"], eng["needs_action"], strict=True)
    ):
        g = by_pair.get((e, m))
        contacts = g[g["outcome"].isin(CONTACT_OUTCOMES)] if g is not None else ci.iloc[:0]
        last = contacts.iloc[-1] if len(contacts) else None
        after = g[g["date"] > last["date"]] if g is not None and last is not None else g
        attempts = 0 if g is None else int((g["outcome"] == "no_answer").sum())
        ended = status in _ENDED
        started = matched[i] <= day
        base = last["date"] if last is not None else matched[i]
        due = base + pd.Timedelta(cadence, "D") if not ended and started else pd.NaT
        since = float((day - last["date"]).days) if last is not None else math.nan
        fired: list[_Reason] = []
        if action and status != "completed":
            fired.append(
                _Reason(
                    e,
                    m,
                    "engagement",
                    "engagement",
                    {"status": status, "reason": eng.loc[i, "status_reason"]},
                )
            )
        if due is not pd.NaT and due <= day + pd.Timedelta(within, "D"):
            if due < day and last is not None:
                fired.append(
                    _Reason(e, m, "cadence", "overdue", {"days": int(since), "cadence": cadence})
                )
            elif due < day:
                fired.append(
                    _Reason(
                        e,
                        m,
                        "cadence",
                        "never",
                        {"days": int((day - matched[i]).days), "cadence": cadence},
                    )
                )
            else:
                fired.append(_Reason(e, m, "cadence", "due", {"date": due, "cadence": cadence}))
        if not ended and last is not None and last["outcome"] == "concern":
            who = {"date": last["date"], "coordinator": last["coordinator"]}
            if last["next_step"]:
                fired.append(
                    _Reason(
                        e, m, "concern", "concern_next", {**who, "next_step": last["next_step"]}
                    )
                )
            else:
                fired.append(_Reason(e, m, "concern", "concern", who))
        tried = after[after["outcome"] == "no_answer"] if after is not None else ci.iloc[:0]
        if not ended and len(tried):
            fired.append(
                _Reason(
                    e,
                    m,
                    "not_reached",
                    "not_reached",
                    {"date": tried["date"].iloc[0], "n": len(tried)},
                )
            )
        if not ended:
            for r, text in extra_of.get((e, m), []):
                fired.append(_Reason(e, m, r, "extra", {"text": text}))
        reasons += fired
        rows.append(
            {
                "mentee_id": e,
                "mentor_id": m,
                "status": status,
                "coordinator": g["coordinator"].iloc[-1] if g is not None else "",
                "n_checkins": len(contacts),
                "n_attempts": attempts,
                "last_checkin": last["date"] if last is not None else pd.NaT,
                "days_since_checkin": since,
                "last_outcome": last["outcome"] if last is not None else "",
                "next_step": last["next_step"] if last is not None else "",
                "checkin_due": due,
                "overdue": bool(due is not pd.NaT and due < day),
                "to_contact": bool(fired),
                "rules": ", ".join(r.rule for r in fired),
            }
        )
    table = pd.DataFrame(rows)
    if "group_id" in eng.columns:  # a circle's pairs (pairs.csv's optional group_id)
        gid = eng["group_id"].astype(object).where(eng["group_id"].notna(), "")
        table.insert(2, "group_id", pd.array(gid.astype(str).to_numpy(), dtype="str"))
    table = table.astype(
        {
            "mentee_id": "str",
            "mentor_id": "str",
            "status": "str",
            "coordinator": "str",
            "n_checkins": "int64",
            "n_attempts": "int64",
            "last_checkin": "datetime64[ns]",
            "days_since_checkin": "float64",
            "last_outcome": "str",
            "next_step": "str",
            "checkin_due": "datetime64[ns]",
            "rules": "str",
        }
    )
    return table, reasons


# --------------------------------------------------------------------------- doc examples
def _example_engagement() -> Engagement:
    """Two pairs matched on 2026-09-01, assessed on 2026-10-01 (for the Examples)."""
    pairs = pd.DataFrame(
        {
            "mentee_id": ["E001", "E002"],
            "mentor_id": ["M001", "M001"],
            "matched_on": ["2026-09-01"] * 2,
        }
    )
    log = pd.DataFrame(
        {
            "interaction_id": ["I1", "I2"],
            "timestamp": ["2026-09-29T10:00:00Z", "2026-09-30T10:00:00Z"],
            "sender_id": ["E001", "M001"],
            "recipient_id": ["M001", "E002"],
            "channel": ["video", "video"],
            "duration_minutes": [30.0, 30.0],
            "session_id": [None, None],
        }
    )
    return engagement(log, pairs, as_of="2026-10-01")


def _example_checkins() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "coordinator": ["Ana", "Ana"],
            "mentee_id": ["E001", "E002"],
            "date": ["2026-09-10", "2026-09-28"],
            "channel": ["phone", "video"],
            "outcome": ["reached", "concern"],
        }
    )
