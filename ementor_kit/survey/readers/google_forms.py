"""The CSV download of a Google Forms response sheet (localised timestamp first)."""

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

__all__ = ["read_google_forms"]

_TIMESTAMP_HEADERS = (
    "Timestamp",
    "Horodateur",
    "Marca temporal",
    "Zeitstempel",
    "Informazioni cronologiche",
    "Carimbo de data/hora",
    "Tijdstempel",
    "Sygnatura czasowa",
)
"""The first column of a response sheet, in the languages of Google Forms."""
_GOOGLE_META = (
    "Email Address",
    "Adresse e-mail",
    "Dirección de correo electrónico",
    "E-Mail-Adresse",
    "Username",
    "Nom d'utilisateur",
    "Score",
    "Total score",
)
_GRID_ROW = re.compile(r"^(.*\S)\s*\[(.+)\]$", re.S)
"""A row of a grid question: ``Title [Row]``."""


def _numbered(texts: list[str]) -> tuple[list[str], dict[str, str]]:
    """Q1, Q2 ... per question; grid rows ``Title [Row]`` of one question as Qn_1, Qn_2."""
    names, questions = [], {}
    n, prev, m = 0, None, 0
    for t in texts:
        g = _GRID_ROW.match(t)
        base = g.group(1) if g else None
        if g and base == prev:
            m += 1
        elif g:
            n, m, prev = n + 1, 1, base
        else:
            n, m, prev = n + 1, 0, None
        name = f"Q{n}_{m}" if g else f"Q{n}"
        names.append(name)
        questions[name] = _clean_text(f"{g.group(1)} - {g.group(2)}" if g else t)
    return names, questions


def _google_columns(header: list[str]) -> tuple[list[str], dict[str, str]]:
    """The timestamp and the metadata keep their names; the questions are numbered."""
    meta = [j for j, h in enumerate(header) if j == 0 or h.strip() in _GOOGLE_META]
    qcols = [j for j in range(len(header)) if j not in meta]
    qnames, questions = _numbered([header[j] for j in qcols])
    names = list(header)
    for j, name in zip(qcols, qnames, strict=True):
        names[j] = name
    return names, questions


def read_google_forms(
    path: str | Path,
    *,
    keep_identifiers: bool = False,
    encoding: str | None = None,
    id_columns: Sequence[str] = (),
    sheet: str | None = None,
    keep: Sequence[str] = (),
    missing_codes: Sequence[str | float] | None = None,
) -> SurveyExport:
    """Read the CSV download of a Google Forms response sheet (or its .xlsx download).

    The first column is the (localised) timestamp - ``Timestamp``, ``Horodateur``,
    ``Marca temporal`` ... - kept as text (its format depends on the locale, e.g.
    ``2022/11/30 10:39:41 PM GMT+1``); the collected e-mail address is dropped unless
    ``keep_identifiers``. Questions are numbered ``Q1``, ``Q2`` ... in column order; rows of a
    grid question (``Title [Row]``) become ``Qn_1``, ``Qn_2`` ... Checkbox answers stay joined
    by ``;``.

    To score an instrument, rename its grid rows to the item ids (``Q1_1`` to ``emx_1`` ...;
    the export's ``questions`` shows which question each column is) and, since Google Forms
    exports the label ticked rather than its number, convert the labels to codes with
    :func:`ementor_kit.survey.scoring.recode_labels` (it reports every answer that is not a label of
    the instrument, by row and column).

    Parameters
    ----------
    path : str or Path
        The CSV file downloaded from the response sheet.
    keep_identifiers : bool
        Keep the direct identifier columns (see
        :data:`~ementor_kit.survey.privacy.IDENTIFIER_COLUMNS`); by default they are dropped.
    encoding : str, optional
        Text encoding; detected when omitted (UTF-8 with or without a byte-order mark, else
        the Western code page found: cp1252 or latin-1).
    id_columns : sequence of str
        Further columns holding ids (e.g. a question asking for the participant's code,
        ``Q2``), read as text as written, like the response, respondent and target id
        columns always are.
    sheet : str, optional
        The sheet of an .xlsx download (File > Download > Microsoft Excel) to read; needed
        when several sheets hold data. A workbook is recognised by its content, whatever its
        name; its time stamps are read as ``2022-11-30 22:39:41``.
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
    >>> export = read_google_forms(fixtures / "google_forms.csv")
    >>> df = export.responses
    >>> df.columns.tolist()
    ['Horodateur', 'Q1_1', 'Q1_2', 'Q1_3', 'Q1_4', 'Q1_5', 'Q1_6', 'Q1_7', 'Q1_8', 'Q2', 'Q3']
    >>> df["Q2"].tolist()
    ['Visio;Messagerie', 'Téléphone;Forum;Autre', 'Visio']
    >>> df.loc[0, "Q1_1"]
    "Plutôt d'accord"
    >>> from ementor_kit.survey.scoring import recode_labels, score
    >>> items = export.rename({f"Q1_{k}": f"emx_{k}" for k in range(1, 9)})
    >>> codes = recode_labels(items, "emx")
    >>> codes.responses["emx_1"].tolist()
    [4, 5, 3]
    >>> score(codes, "emx")["emx_trust"].tolist()
    [5.0, 4.0, 2.0]
    """
    path = Path(path)
    file = str(path)
    if _is_workbook(path):
        _workbook_only(path, encoding)
        records = _xlsx_rows(path, sheet)
    else:
        _csv_only(path, encoding, sheet)
        records = _read_csv(path, encoding)
    header = records[0]
    if header[0].strip() not in _TIMESTAMP_HEADERS:
        raise _problem(
            file,
            f"first column {header[0]!r} is not a Google Forms timestamp",
            "download the responses with Responses > Download responses (.csv), or the "
            "linked sheet as CSV, without moving columns",
            rows=(1,),
            column=header[0],
        )
    _check_widths(records[1:], len(header), file, 2)
    names, questions = _google_columns(header)
    return _frame(
        records,
        1,
        names,
        questions,
        file=file,
        fmt="google_forms",
        keep_identifiers=keep_identifiers,
        id_columns=id_columns,
        keep=keep,
        missing_codes=missing_codes,
    )
