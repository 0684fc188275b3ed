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


_R_NAMES = re.compile(r'^names\(data\)\[(\d+)\]\s*<-\s*"((?:[^"\\]|\\.)*)"\s*$')
_R_LABELS = re.compile(
    r'^attributes\(data\)\$variable\.labels\[(\d+)\]\s*<-\s*"((?:[^"\\]|\\.)*)"\s*$'
)
"""The lines of LimeSurvey's R syntax file that name a column and give its question text."""


def _is_limesurvey_header(header: list[str]) -> bool:
    """An ``id`` column and one of ``submitdate``, ``lastpage``, ``startlanguage`` (upper
    case in an R data file: ``ID``, ``SUBMITDATE``)."""
    for names in (header, [h.lower() for h in header if h.isupper()]):
        if "id" in names and {"submitdate", "lastpage", "startlanguage"} & set(names):
            return True
    return False


def _is_r_data(path: Path, header: list[str]) -> bool:
    """LimeSurvey's "R data file" (``survey_<id>_R_data_file.csv``, metadata in upper case)."""
    return "r_data_file" in path.name.lower() or ("ID" in header and "id" not in header)


def _r_syntax(path: Path) -> tuple[dict[int, str], dict[int, str]]:
    """Column names and question texts (by column, from 0) from the R syntax file written
    next to an R data file (``survey_<id>_R_syntax_file.R``); empty when there is none."""
    syntax = path.with_name(re.sub(r"R_data_file\.csv$", "R_syntax_file.R", path.name, flags=re.I))
    if syntax == path or not syntax.is_file():
        return {}, {}
    names: dict[int, str] = {}
    labels: dict[int, str] = {}
    for line in syntax.read_text(encoding="utf-8-sig", errors="replace").splitlines():
        for pattern, out in ((_R_NAMES, names), (_R_LABELS, labels)):
            m = pattern.match(line.strip())
            if m:
                out[int(m.group(1)) - 1] = re.sub(r"\\(.)", r"\1", m.group(2))
    return names, labels


def _is_r_export(path: Path, header: list[str]) -> bool:
    """A LimeSurvey R data file, by its header or by the names its R syntax file gives.

    LimeSurvey 2.x wrote the headings of an R data file as question texts in the survey's
    language (``"Respons ID","Datum verzonden",...``): only the syntax file
    (``names(data)[1] <- "id"``) tells the columns.
    """
    if _is_limesurvey_header(header):
        return True
    return _is_r_data(path, header) and _is_limesurvey_header(_r_header(path, header)[0])


def _r_header(path: Path, header: list[str]) -> tuple[list[str], dict[int, str]]:
    """An R data file's header: metadata in lower case, then the names of the R syntax file."""
    names, labels = _r_syntax(path)
    out = [
        names.get(j, h.lower() if h.lower() in _LIME_META and h.isupper() else h)
        for j, h in enumerate(header)
    ]
    return out, labels


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
    keep: Sequence[str] = (),
    missing_codes: Sequence[str | float] | None = None,
) -> SurveyExport:
    """Read a LimeSurvey CSV export (responses, "question code" headings).

    UTF-8 with BOM, every field double-quoted, CRLF line ends, one header row of codes
    (``id``, ``submitdate``, ``lastpage``, ``startlanguage``, ``seed``, ``token``,
    ``startdate``, ``datestamp``, ``ipaddr``, ``refurl``, then ``Q1[SQ001]`` ...). Headings
    exported as "code & question text" (``EMX[SQ001]. Question [row]``) are split into code
    and text. Incomplete responses (no ``submitdate``) are kept.

    The "R data file" export (``survey_<id>_R_data_file.csv``: metadata headings in upper
    case, ``NA`` written for every unanswered question) is read too: ``NA`` is missing
    unless ``missing_codes`` says otherwise, and when the R syntax file LimeSurvey writes with
    it (``survey_<id>_R_syntax_file.R``) is in the same folder, its column names
    (``names(data)[10] <- "O1_SQ002"``) and question texts (``variable.labels``) are used;
    an R data file of LimeSurvey 2.x, headed by labels in the survey's language
    (``"Respons ID","Datum verzonden"``), is read only with its syntax file.

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
    keep : sequence of str
        Identifier columns to keep all the same, by their name in the export (``["Q3"]``);
        the others found are dropped (see ``identifier_reasons`` of the result).
    missing_codes : sequence of str or number, optional
        Answer codes that mean "no answer" (``["-1", "-99", "NA", "N/A", "NSP"]``, or an
        instrument's ``missing_codes``): read as missing and counted per column in
        ``declared_missing``. Default: ``["NA"]`` for an R data file
        (``survey_<id>_R_data_file.csv``), none otherwise.

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
    r_data = _is_r_data(path, header)
    labels: dict[int, str] = {}
    if r_data:  # names from the R syntax file first: LimeSurvey 2.x headed columns by text
        header, labels = _r_header(path, header)
        if missing_codes is None:
            missing_codes = ("NA",)
    if not _is_limesurvey_header(header):
        raise _problem(
            file,
            "no 'id' and 'submitdate' columns in the header: not a LimeSurvey response export",
            "export from Responses > Export, CSV, headings as 'Question code'",
            rows=(1,),
        )
    _check_widths(records[1:], len(header), file, 2)
    names, questions = _lime_columns(header, flatten_codes)
    for j, text in labels.items():
        if j < len(names) and names[j] in questions:
            questions[names[j]] = _clean_text(text)
    return _frame(
        records,
        1,
        names,
        questions,
        file=file,
        fmt="limesurvey",
        keep_identifiers=keep_identifiers,
        id_columns=id_columns,
        keep=keep,
        missing_codes=missing_codes,
    )
