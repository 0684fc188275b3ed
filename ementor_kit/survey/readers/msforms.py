"""Microsoft Forms results workbooks (.xlsx, "Open results in Excel"; English or French)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ementor_kit.survey.readers._common import (
    _clean_text,
    _frame,
    _is_workbook,
    _problem,
    _xlsx_rows,
)
from ementor_kit.survey.readers.result import SurveyExport

__all__ = ["read_msforms"]

_MSFORMS_META = (
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    "Total points",
    "Quiz feedback",
    "Grade posted time",
    "Heure de début",
    "Heure de fin",
    "Adresse de messagerie",
    "Nom",
    "Heure de la dernière modification",
    "Total des points",
    "Commentaires sur le questionnaire",
)
_QUIZ = re.compile(r"^(Points|Feedback|Commentaires) - (.*)$")
"""A quiz column of a question: ``Points - <question>``, ``Feedback - <question>``."""


def _msforms_columns(header: list[str]) -> tuple[list[str], dict[str, str]]:
    """Questions numbered ``Q1``, ``Q2`` ...; their quiz columns ``Qn_points``, ``Qn_feedback``."""
    names: list[str] = []
    questions: dict[str, str] = {}
    by_text: dict[str, str] = {}
    n = 0
    for h in header:
        h0 = h.strip()
        if h0 in _MSFORMS_META:
            names.append(h0)
            continue
        quiz = _QUIZ.match(h0)
        if quiz and quiz.group(2) in by_text:
            kind = "points" if quiz.group(1) == "Points" else "feedback"
            names.append(f"{by_text[quiz.group(2)]}_{kind}")
            continue
        n += 1
        names.append(f"Q{n}")
        by_text[h0] = f"Q{n}"
        questions[f"Q{n}"] = _clean_text(h0)
    return names, questions


def read_msforms(
    path: str | Path,
    *,
    keep_identifiers: bool = False,
    sheet: str | None = None,
    id_columns: Sequence[str] = (),
    keep: Sequence[str] = (),
    missing_codes: Sequence[str | float] | None = None,
) -> SurveyExport:
    """Read a Microsoft Forms results workbook (.xlsx, "Open results in Excel").

    Columns ``ID``, ``Start time``, ``Completion time``, ``Email``, ``Name`` (and
    ``Last modified time``, quiz ``Total points`` / ``Quiz feedback``), then one column per
    question, numbered ``Q1``, ``Q2`` ...; quiz columns ``Points - <question>`` and
    ``Feedback - <question>`` become ``Qn_points`` and ``Qn_feedback``. Multi-select answers
    stay joined by ``;`` (with Forms' trailing ``;``). French headings are recognised.
    Rename item columns to the instrument's item ids and convert answer labels to codes
    with :func:`ementor_kit.survey.scoring.recode_labels` before scoring (see :func:`read_survey`).

    Parameters
    ----------
    path : str or Path
        The results workbook (``.xlsx``).
    keep_identifiers : bool
        Keep the direct identifier columns (see
        :data:`~ementor_kit.survey.privacy.IDENTIFIER_COLUMNS`); by default they are dropped.
    sheet : str, optional
        The sheet to read; needed when several sheets hold data (a workbook that gathers
        several forms or waves).
    id_columns : sequence of str
        Further columns holding ids (e.g. a question asking for the participant's code,
        ``Q1``), read as text as written, like the response, respondent and target id
        columns always are.
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
        ``questions`` maps each column to its question text (``header_rows`` is 1).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> fixtures = ek.example_export("qualtrics.csv").parent
    >>> df = read_msforms(fixtures / "msforms.xlsx").responses
    >>> df.columns[:6].tolist(), df.columns[-3:].tolist()
    (['ID', 'Start time', 'Completion time', 'Total points', 'Quiz feedback', 'Last modified time'], ['Q10', 'Q10_points', 'Q10_feedback'])
    """
    path = Path(path)
    file = str(path)
    if not _is_workbook(path):
        raise _problem(
            file,
            "Microsoft Forms results are read from .xlsx",
            "open the results in Excel from Forms and save the workbook as .xlsx",
        )
    records = _xlsx_rows(path, sheet)
    header = records[0]
    if (
        not header
        or header[0].strip() != "ID"
        or not ({"Start time", "Heure de début"} & {h.strip() for h in header})
    ):
        raise _problem(
            file,
            "row 1 does not start with 'ID', 'Start time': not a Microsoft Forms workbook",
            "use Responses > Open results in Excel in Forms and keep the sheet as is",
            rows=(1,),
        )
    names, questions = _msforms_columns(header)
    return _frame(
        records,
        1,
        names,
        questions,
        file=file,
        fmt="msforms",
        keep_identifiers=keep_identifiers,
        id_columns=id_columns,
        keep=keep,
        missing_codes=missing_codes,
    )
