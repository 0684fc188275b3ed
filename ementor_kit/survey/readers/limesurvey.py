"""LimeSurvey CSV exports ("question code" or "code & question text" headings, ``,`` or ``;``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ementor_kit._checks import check_choice
from ementor_kit.survey.readers._common import (
    _check_widths,
    _clean_text,
    _frame,
    _guess_sep,
    _problem,
    _read_text,
    _records,
)
from ementor_kit.survey.readers.result import SurveyExport

__all__ = ["read_limesurvey"]

_SEPARATORS = (",", ";")
"""Field separators of LimeSurvey CSV exports."""

_LIME_META = (
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "token",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
)
_LIME_HEAD = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[^\]]*\])*)\.\s+(.*)$", re.S)
"""A "code & question text" heading: ``EMX[SQ001]. Question [row]``."""
_LIME_TIMING = re.compile(r"^(interviewtime|groupTime\d+|\w+Time)$")
"""Timing columns, which are not questions."""


def _is_limesurvey_header(header: list[str]) -> bool:
    """An ``id`` column and one of ``submitdate``, ``lastpage``, ``startlanguage``."""
    return "id" in header and bool({"submitdate", "lastpage", "startlanguage"} & set(header))


def _flatten_code(code: str) -> str:
    base = code.split("[", 1)[0]
    parts = re.findall(r"\[([^\]]*)\]", code)
    out = [base.lower()]
    for p in parts:
        m = re.fullmatch(r"SQ0*(\d+)", p, flags=re.I)
        out.append(m.group(1) if m else p.lower())
    return "_".join(out)


def _lime_columns(header: list[str], flatten_codes: bool) -> tuple[list[str], dict[str, str]]:
    """Column names (codes, flattened or not) and the question text of each question."""
    names, questions = [], {}
    for h in header:
        m = _LIME_HEAD.match(h)
        code, qtext = (m.group(1), _clean_text(m.group(2))) if m else (h, "")
        name = _flatten_code(code) if flatten_codes and code not in _LIME_META else code
        names.append(name)
        if code not in _LIME_META and not _LIME_TIMING.match(code):
            questions[name] = qtext or code
    return names, questions


def read_limesurvey(
    path: str | Path,
    *,
    keep_identifiers: bool = False,
    sep: str | None = None,
    flatten_codes: bool = False,
    encoding: str | None = None,
    id_columns: Sequence[str] = (),
) -> SurveyExport:
    """Read a LimeSurvey CSV export (responses, "question code" headings).

    UTF-8 with BOM, every field double-quoted, CRLF line ends, one header row of codes
    (``id``, ``submitdate``, ``lastpage``, ``startlanguage``, ``seed``, ``token``,
    ``startdate``, ``datestamp``, ``ipaddr``, ``refurl``, then ``Q1[SQ001]`` ...). Headings
    exported as "code & question text" (``EMX[SQ001]. Question [row]``) are split into code
    and text. Incomplete responses (no ``submitdate``) are kept.

    Parameters
    ----------
    path : str or Path
        The CSV file exported by LimeSurvey.
    keep_identifiers : bool
        Keep ``token``, ``ipaddr`` and ``refurl``.
    sep : {",", ";"}, optional
        Field separator; detected from the header when omitted.
    flatten_codes : bool
        Rename ``EMX[SQ003]`` to ``emx_3`` and ``canaux[other]`` to ``canaux_other``, so that
        a question coded like an instrument's id matches its item ids.
    encoding : str, optional
        Text encoding; detected when omitted (LimeSurvey writes UTF-8 with a byte-order mark).
    id_columns : sequence of str
        Further columns holding ids (e.g. a hidden question holding the participant's code),
        read as text as written, like the response, respondent and target id columns always
        are.

    Returns
    -------
    SurveyExport
        ``responses``: one row per response, columns named as described above;
        ``questions`` maps each column to its question text (``header_rows`` is 1).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> fixtures = ek.example_export("qualtrics.csv").parent
    >>> export = read_limesurvey(fixtures / "limesurvey.csv")
    >>> export.responses[["id", "submitdate", "pid", "EMX[SQ001]", "EMX[SQ004]"]]
       id           submitdate   pid  EMX[SQ001]  EMX[SQ004]
    0   1  2026-06-12 18:10:47  E001           4           1
    1   2  2026-06-13 18:11:47  E002           5           2
    2   3  2026-06-14 18:12:47  E003           3           4
    3   4                  NaN  E004        <NA>        <NA>
    >>> flat = read_limesurvey(fixtures / "limesurvey.csv", flatten_codes=True)
    >>> flat.responses.columns[8:11].tolist()
    ['emx_1', 'emx_2', 'emx_3']
    """
    path = Path(path)
    file = str(path)
    text = _read_text(path, encoding)
    if sep is None:
        sep = _guess_sep(text)
    check_choice("sep", sep, _SEPARATORS)
    records = _records(text, file, sep)
    header = records[0]
    if not _is_limesurvey_header(header):
        raise _problem(
            file,
            "no 'id' and 'submitdate' columns in the header: not a LimeSurvey response export",
            "export from Responses > Export, CSV, headings as 'Question code'",
            rows=(1,),
        )
    _check_widths(records[1:], len(header), file, 2)
    names, questions = _lime_columns(header, flatten_codes)
    return _frame(
        records,
        1,
        names,
        questions,
        file=file,
        fmt="limesurvey",
        keep_identifiers=keep_identifiers,
        id_columns=id_columns,
    )
