"""Qualtrics CSV exports: the current format (three header rows) and the legacy one (V1..V10).

Columns are named by export tag (by ImportId when a tag repeats); ``import_ids`` keeps each
column's ImportId.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Sequence
from pathlib import Path

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.survey.readers._common import (
    _check_widths,
    _clean_text,
    _frame,
    _problem,
    _read_csv,
)
from ementor_kit.survey.readers.result import SurveyExport

__all__ = ["read_qualtrics"]

_LEGACY_CODE = re.compile(r"V\d+")
"""Legacy header codes ``V1`` ... ``V10``, named by their label instead."""
_LEGACY_META = re.compile(r"^(V\d+|Location\w+)$")
"""Legacy columns that are not questions."""


def read_qualtrics(
    path: str | Path,
    *,
    keep_identifiers: bool = False,
    encoding: str | None = None,
    id_columns: Sequence[str] = (),
    keep: Sequence[str] = (),
    missing_codes: Sequence[str | float] | None = None,
) -> SurveyExport:
    """Read a Qualtrics CSV export (current or legacy format).

    Current format: three header rows - export tag (``Q1_1``), question text (matrix items
    as ``"Question - Sub item"``, possibly HTML), then ``{"ImportId": ...}`` JSON (in the
    2016 "Insights" exports, which start with ``ResponseID``, ``ResponseSet``, a Python-style
    ``{'ImportId': 'QID1'}``: read alike). Columns are
    named by export tag; when a tag repeats (copied questions) every column with that tag is
    named by its unique ImportId instead (``QID9_TEXT``). Legacy format: ``V1`` ... ``V10``
    in row 1 (renamed to their labels: ``ResponseID``, ``StartDate``, ...), labels in row 2,
    a trailing comma on every line.

    Parameters
    ----------
    path : str or Path
        The CSV file exported by Qualtrics.
    keep_identifiers : bool
        Keep IP address, recipient names and e-mail, external reference and location.
    encoding : str, optional
        Text encoding; detected when omitted (Qualtrics writes UTF-8 with a byte-order mark; a
        file saved again by a spreadsheet may be cp1252).
    id_columns : sequence of str
        Further columns holding ids (e.g. a participant code), read as text as written, like
        the response, respondent and target id columns always are.
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
        The responses and what the file says about them (see the module description);
        ``import_ids`` maps columns to ImportIds; ``header_rows`` is 3 (2 for the legacy
        format).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> fixtures = ek.example_export("qualtrics.csv").parent
    >>> export = read_qualtrics(fixtures / "qualtrics.csv")
    >>> export.responses[["ResponseId", "emx_1", "emx_2", "respondent_id"]]
             ResponseId  emx_1  emx_2 respondent_id
    0  R_3kQ0xYzAbC0dEfG      4      2          E001
    1  R_3kQ1xYzAbC1dEfG      5   <NA>          E002
    2  R_3kQ2xYzAbC2dEfG      3      3          E003
    >>> export.questions["emx_4"]
    "Votre expérience du mentorat à distance - La distance m'a empêché·e de parler franchement avec mon binôme."
    >>> export.dropped_identifiers[:3]
    ('IPAddress', 'RecipientLastName', 'RecipientFirstName')
    """
    path = Path(path)
    file = str(path)
    records = _read_csv(path, encoding)
    if records and records[0] and records[0][0] == "V1":
        return _qualtrics_legacy(
            records, file, keep_identifiers, id_columns, keep=keep, missing_codes=missing_codes
        )
    if len(records) < 3:
        raise _problem(
            file,
            f"{len(records)} row(s): a Qualtrics export has three header rows",
            "export the data again from Data & Analysis > Export & Import > Export data, CSV",
        )
    tags, texts = records[0], records[1]
    width = len(tags)
    _check_widths(records[1:3], width, file, 2)
    import_ids = _import_ids(records[2], tags, file)
    _check_widths(records[3:], width, file, 4)
    repeated = {t for t in tags if tags.count(t) > 1}
    names = [import_ids[j] if t in repeated else t for j, t in enumerate(tags)]
    questions = {
        n: _clean_text(texts[j]) for j, n in enumerate(names) if import_ids[j].startswith("QID")
    }
    return _frame(
        records,
        3,
        names,
        questions,
        file=file,
        fmt="qualtrics",
        keep_identifiers=keep_identifiers,
        import_ids=dict(zip(names, import_ids, strict=True)),
        id_columns=id_columns,
        keep=keep,
        missing_codes=missing_codes,
    )


def _import_meta(cell: str) -> dict[str, object]:
    """The ImportId cell of a column: JSON (``{"ImportId":"QID1"}``) or, in the 2016
    "Insights" exports, a Python-style dict (``{'ImportId': 'QID1'}``)."""
    text = cell.strip()
    if text.startswith("{'"):
        meta = ast.literal_eval(text)
    else:
        meta = json.loads(text)
    return meta if isinstance(meta, dict) else {}  # no ImportId: reported by the caller


def _import_ids(ids_row: list[str], tags: list[str], file: str) -> list[str]:
    """Row 3: each column's ImportId (with its ``choiceId``), or an error naming the row."""
    import_ids, bad = [], []
    for j, cell in enumerate(ids_row):
        try:
            meta = _import_meta(cell)
            import_ids.append(
                str(meta["ImportId"]) + (f"_{meta['choiceId']}" if "choiceId" in meta else "")
            )
        except (ValueError, KeyError, TypeError, SyntaxError):
            bad.append(j)
            import_ids.append("")
    if bad:
        raise DataValidationError(
            [
                Problem(
                    file,
                    tags[bad[0]] if bad[0] < len(tags) else None,
                    (3,),
                    N_(
                        "row 3 should hold each column's ImportId as JSON, e.g. "
                        '{{"ImportId":"QID1"}} ({n} column(s) without it)'
                    ).format(n=len(bad)),
                    N_(
                        "export with the current CSV format (or the legacy format, V1..V10 in "
                        "row 1) and do not remove header rows"
                    ),
                )
            ]
        )
    return import_ids


def _qualtrics_legacy(
    records: list[list[str]],
    file: str,
    keep_identifiers: bool,
    id_columns: Sequence[str],
    *,
    keep: Sequence[str],
    missing_codes: Sequence[str | float] | None,
) -> SurveyExport:
    if len(records) < 2:
        raise _problem(file, "legacy Qualtrics export without its label row", "export again")
    codes, labels = records[0], records[1]
    while codes and codes[-1] == "" and (len(labels) < len(codes) or labels[len(codes) - 1] == ""):
        codes = codes[:-1]  # the trailing comma of the legacy format
    width = len(codes)
    data = [
        rec[:width] if len(rec) > width and not any(rec[width:]) else rec for rec in records[1:]
    ]
    _check_widths(data, width, file, 2)
    names = [labels[j] if _LEGACY_CODE.fullmatch(c) else c for j, c in enumerate(codes)]
    questions = {
        names[j]: _clean_text(labels[j]) for j, c in enumerate(codes) if not _LEGACY_META.match(c)
    }
    return _frame(
        [codes, *data],  # the header rows without the trailing comma
        2,
        names,
        questions,
        file=file,
        fmt="qualtrics_legacy",
        keep_identifiers=keep_identifiers,
        id_columns=id_columns,
        keep=keep,
        missing_codes=missing_codes,
    )
