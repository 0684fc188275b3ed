"""SurveyMonkey exports (CSV or .xlsx, "expanded": question texts in row 1, labels in row 2)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ementor_kit.survey.readers._common import (
    _check_widths,
    _clean_text,
    _csv_only,
    _frame,
    _is_workbook,
    _problem,
    _read_csv,
    _workbook_only,
    _xlsx_rows,
)
from ementor_kit.survey.readers.result import SurveyExport

__all__ = ["read_surveymonkey"]

_MONKEY_META = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
)
_CUSTOM_DATA = re.compile(r"Custom Data \d+")
"""Custom variables, kept under their own names."""
_SINGLE_LABELS = ("", "Response", "Open-Ended Response")
"""Row-2 labels of a question's only answer (not an option or a matrix row)."""


def _monkey_columns(row1: list[str], row2: list[str]) -> tuple[list[str], dict[str, str]]:
    """``Qn`` for a one-column question, ``Qn_1``, ``Qn_2`` ... for the columns of a wider one."""
    width = len(row1)
    names, questions = [], {}
    starts = [j for j, h in enumerate(row1) if h.strip()]
    n = 0
    for j in range(width):
        h = row1[j].strip()
        if h in _MONKEY_META or _CUSTOM_DATA.fullmatch(h):  # custom variables
            names.append(h)
            continue
        if h:
            n += 1
            nxt = next((s for s in starts if s > j), width)
            span = nxt - j
            qtext, m = h, 0
        m += 1
        name = f"Q{n}" if span == 1 else f"Q{n}_{m}"
        names.append(name)
        label = row2[j].strip() if j < len(row2) else ""
        multi = span > 1 and label not in _SINGLE_LABELS
        questions[name] = _clean_text(f"{qtext} - {label}" if multi else qtext)
    return names, questions


def read_surveymonkey(
    path: str | Path,
    *,
    keep_identifiers: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    id_columns: Sequence[str] = (),
    keep: Sequence[str] = (),
    missing_codes: Sequence[str | float] | None = None,
) -> SurveyExport:
    """Read a SurveyMonkey export (CSV or .xlsx, "expanded" layout).

    Row 1 holds ``Respondent ID``, ``Collector ID``, ``Start Date``, ``End Date``, ``IP
    Address``, ``Email Address``, ``First Name``, ``Last Name``, ``Custom Data 1``, then each
    question's text followed by blank cells for its other columns; row 2 holds ``Response``,
    ``Open-Ended Response`` or the option / matrix row labels. A one-column question is
    ``Qn``; a multi-column one ``Qn_1``, ``Qn_2`` ... with text ``"Question - label"``.
    Rename item columns to the instrument's item ids and convert answer labels to codes
    with :func:`ementor_kit.survey.scoring.recode_labels` before scoring (see :func:`read_survey`).

    Parameters
    ----------
    path : str or Path
        The export: a ``.csv`` or an ``.xlsx`` workbook.
    keep_identifiers : bool
        Keep the direct identifier columns (see
        :data:`~ementor_kit.survey.privacy.IDENTIFIER_COLUMNS`); by default they are dropped.
    encoding : str, optional
        Text encoding of a CSV export; detected when omitted (UTF-8 with or without a
        byte-order mark, else the Western code page found: cp1252 or latin-1).
    sheet : str, optional
        The sheet of an ``.xlsx`` export to read; needed when several sheets hold data.
    id_columns : sequence of str
        Further columns holding ids (e.g. ``Custom Data 1`` carrying the participant's
        code), read as text as written, like the response, respondent and target id columns
        always are.
    keep : sequence of str
        Identifier columns to keep all the same, by their name in the export (``["Q3"]``);
        the others found are dropped (see ``identifier_reasons`` of the result).
    missing_codes : sequence of str or number, optional
        Answer codes that mean "no answer" (``["-1", "-99", "NA", "N/A", "NSP"]``, or an
        instrument's ``missing_codes``): read as missing and counted per column in
        ``declared_missing``.

    Returns
    -------
    SurveyExport
        ``responses``: one row per response, columns named as described above;
        ``questions`` maps each column to its question text (``header_rows`` is 2).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> fixtures = ek.example_export("qualtrics.csv").parent
    >>> export = read_surveymonkey(fixtures / "surveymonkey.xlsx")
    >>> export.responses[["Respondent ID", "Custom Data 1", "Q1_1", "Q1_2", "Q2_1"]]
       Respondent ID Custom Data 1  Q1_1  Q1_2   Q2_1
    0   114000000000          E001     4     2  Visio
    1   114000001234          E002     5  <NA>    NaN
    2   114000002468          E003     3     3  Visio
    >>> export.questions["Q2_1"]
    'Quels canaux avez-vous utilisés ? - Visio'
    >>> export.dropped_identifiers
    ('IP Address', 'Email Address', 'First Name', 'Last Name')
    """
    path = Path(path)
    file = str(path)
    if _is_workbook(path):
        _workbook_only(path, encoding)
        records = _xlsx_rows(path, sheet)
    else:
        _csv_only(path, encoding, sheet)
        records = _read_csv(path, encoding)
    fix = "export from Analyze Results > Save as > All individual responses (CSV or XLS, expanded)"
    if not records[0] or records[0][0].strip() != "Respondent ID":
        raise _problem(
            file,
            "row 1 does not start with 'Respondent ID': not a SurveyMonkey export",
            fix,
            rows=(1,),
        )
    if len(records) < 2:
        raise _problem(
            file, "row 2 (the answer labels under the questions) is missing", fix, rows=(2,)
        )
    _check_widths(records[1:], len(records[0]), file, 2)
    names, questions = _monkey_columns(records[0], records[1])
    return _frame(
        records,
        2,
        names,
        questions,
        file=file,
        fmt="surveymonkey",
        keep_identifiers=keep_identifiers,
        id_columns=id_columns,
        keep=keep,
        missing_codes=missing_codes,
    )
