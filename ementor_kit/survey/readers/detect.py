"""Which platform wrote an export (:func:`detect_format`), and reading it (:func:`read_survey`).

Also reads the plain CSV of the data contract (``"ementor"``), validated as
:func:`~ementor_kit.data.validation.read_programme` types it (timestamps may give their UTC
offset in hours only, ``+01``, as ISO 8601 allows).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ementor_kit.data.schema import SURVEY_FILE_PATTERN, TABLES, survey_table
from ementor_kit.data.validation import validate
from ementor_kit.errors import InvalidArgumentError
from ementor_kit.i18n.language import N_
from ementor_kit.survey.readers._common import (
    _blank_codes,
    _check_encoding,
    _check_keep,
    _check_missing,
    _check_unique,
    _check_widths,
    _csv_only,
    _guess_sep,
    _is_id,
    _is_workbook,
    _problem,
    _read_csv,
    _read_text,
    _workbook_only,
    _xlsx_rows,
)
from ementor_kit.survey.readers.google_forms import _TIMESTAMP_HEADERS, read_google_forms
from ementor_kit.survey.readers.limesurvey import _is_r_export, read_limesurvey
from ementor_kit.survey.readers.msforms import read_msforms
from ementor_kit.survey.readers.qualtrics import read_qualtrics
from ementor_kit.survey.readers.result import SurveyExport
from ementor_kit.survey.readers.spss import read_spss
from ementor_kit.survey.readers.surveymonkey import read_surveymonkey

__all__ = ["detect_format", "read_survey"]

_EMENTOR_COLUMNS = {"response_id", "respondent_id", "rater_role", "wave"}
"""Columns that every survey table of the data contract has."""
_EMENTOR_ITEM = re.compile(r"^[A-Za-z]+_\d+$")
_HOUR_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)([+-]\d{2})$")
"""A time with a UTC offset in hours only (``18:32:05+01``), which ISO 8601 allows."""


def detect_format(
    path: str | Path, *, encoding: str | None = None, sheet: str | None = None
) -> str:
    """Which platform wrote this export: one of :data:`FORMATS`, or ``"ementor"``.

    ``"ementor"`` is the plain CSV of the data contract (``response_id``, ``respondent_id``,
    ``rater_role``, ``wave``, ``submitted_at`` and item columns), as in ``data/samples``.

    Parameters
    ----------
    path : str or Path
        The export file (``.csv``, ``.xlsx``, ``.sav`` ...).
    encoding : str, optional
        Text encoding of a CSV file; detected when omitted.
    sheet : str, optional
        The sheet of a workbook to look at; needed when several sheets hold data.

    Returns
    -------
    str
        The platform's name, the key :func:`read_survey` uses to pick the reader.

    Raises
    ------
    DataValidationError
        When a CSV or a workbook cannot be read or matches no supported layout (``.sav``
        and ``.zsav`` are SPSS by their suffix), or a workbook has several sheets with data
        and ``sheet`` is not given.
    InvalidArgumentError
        ``sheet`` for a file that is not a workbook, ``encoding`` for a workbook, an unknown
        encoding.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> fixtures = ek.example_export("qualtrics.csv").parent
    >>> [detect_format(p) for p in sorted(fixtures.glob("*.*")) ]
    ['google_forms', 'google_forms', 'limesurvey', 'limesurvey', 'msforms', 'qualtrics', 'qualtrics', 'spss', 'surveymonkey', 'surveymonkey']
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".sav", ".zsav"):
        if sheet is not None:
            raise InvalidArgumentError(
                "sheet", sheet, N_("{name} is an SPSS file: leave sheet out").format(name=path.name)
            )
        _check_encoding(encoding)
        return N_("spss")
    if _is_workbook(path):
        _workbook_only(path, encoding)
        return _workbook_format(path, sheet)
    _csv_only(path, encoding, sheet)
    return _csv_format(path, encoding)


def _workbook_format(path: Path, sheet: str | None) -> str:
    head = [h.strip() for h in _xlsx_rows(path, sheet)[0]]
    if head and head[0] == "Respondent ID":
        return N_("surveymonkey")
    if head and head[0] == "ID":
        return N_("msforms")
    if head and head[0] in _TIMESTAMP_HEADERS:
        return "google_forms"
    raise _problem(
        str(path),
        "a workbook from neither SurveyMonkey, Microsoft Forms nor Google Forms (Sheets)",
        "call the reader of your platform directly, or export as CSV",
        rows=(1,),
    )


def _first_records(text: str, sep: str, n: int) -> list[list[str]]:
    """Up to ``n`` rows of a CSV, as many as read before any broken quoting."""
    records = []
    try:
        for rec in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            records.append(rec)
            if len(records) == n:
                break
    except csv.Error:
        pass
    return records


def _csv_format(path: Path, encoding: str | None) -> str:
    text = _read_text(path, encoding)
    records = _first_records(text, _guess_sep(text), 3)
    head = [h.strip() for h in records[0]] if records else []
    first = head[0] if head else None
    third = records[2][0] if len(records) > 2 and records[2] else ""
    if first in ("V1", "StartDate") or third.startswith(('{"ImportId"', "{'ImportId'")):
        return N_("qualtrics")
    if _is_r_export(path, head):  # a LimeSurvey header, or an R data file's syntax names
        return N_("limesurvey")
    if first in _TIMESTAMP_HEADERS:
        return "google_forms"
    if first == "Respondent ID":
        return N_("surveymonkey")
    if first == "ID" and "Start time" in head:
        return N_("msforms")
    if _EMENTOR_COLUMNS <= set(head):
        return N_("ementor")
    repeated = [h for h, k in Counter(h for h in head if h).items() if k > 1]
    if repeated:  # a copy over the first column hides the layout: say what is wrong
        raise _problem(
            str(path),
            "not a known survey export layout: the header row (row 1) repeats the column "
            f"name{'s' if len(repeated) > 1 else ''} " + ", ".join(map(repr, repeated)),
            "give each column its own name (export the responses again, unmodified)",
            rows=(1,),
            column=repeated[0],
        )
    raise _problem(
        str(path),
        "not a known survey export layout",
        "use an export of Qualtrics (CSV), LimeSurvey (CSV), Google Forms (CSV), SurveyMonkey "
        "(CSV/XLSX), Microsoft Forms (XLSX) or SPSS (.sav), unmodified",
        rows=(1,),
    )


def _read_ementor(
    path: Path,
    keep_identifiers: bool = False,
    encoding: str | None = None,
    id_columns: Sequence[str] = (),
    keep: Sequence[str] = (),
    missing_codes: Sequence[str | float] | None = None,
) -> SurveyExport:
    """A survey table of the data contract, validated (typed as ``read_programme`` gives it).

    ``keep_identifiers``, ``id_columns`` and ``keep`` are accepted as every reader takes
    them: the contract has no identifier columns, and its id columns are text. Declared
    ``missing_codes`` are blanked (and counted) before the table is validated.
    """
    file = str(path)
    records = _read_csv(path, encoding)
    header = records[0]
    _check_unique(
        header,
        file,
        N_("give each item its own column: remove or rename the copy, or export the table again"),
    )
    _check_widths(records[1:], len(header), file, 2)
    stem = path.stem  # any wave: mentee_t2, pulse_p30, closure (else read as mentee_t0)
    spec = survey_table(stem) if re.match(SURVEY_FILE_PATTERN, stem) else TABLES["mentee_t0"]
    times = {c.name for c in spec.columns if c.kind == "datetime"}
    _check_keep(keep)
    codes = _check_missing(missing_codes)
    declared: dict[str, dict[str, int]] = {}
    columns = {}
    for j, h in enumerate(header):
        values: list[str | None] = [
            _hours_offset(rec[j]) if h in times else rec[j] for rec in records[1:]
        ]
        if not _is_id(h, id_columns):
            values, counts = _blank_codes(values, codes)
            if counts:
                declared[h] = counts
        columns[h] = pd.Series(["" if v is None else v for v in values], dtype="str")
    out = validate(pd.DataFrame(columns), spec, file=file)
    return SurveyExport(
        responses=out,
        file=file,
        format="ementor",
        header_rows=1,
        questions={h: h for h in header if _EMENTOR_ITEM.match(h)},
        declared_missing=declared,
    )


def _hours_offset(text: str) -> str:
    """``2026-09-08T18:32:05+01`` as ``...+01:00`` (what the contract's check reads)."""
    if text[-3:-2] not in ("+", "-"):
        return text
    m = _HOUR_OFFSET.search(text)
    return text if m is None else f"{text[: m.start()]}{m.group(1)}{m.group(2)}:00"


_READERS: dict[str, Callable[..., SurveyExport]] = {
    "qualtrics": read_qualtrics,
    "limesurvey": read_limesurvey,
    "google_forms": read_google_forms,
    "surveymonkey": read_surveymonkey,
    "msforms": read_msforms,
    "spss": read_spss,
    "ementor": _read_ementor,
}
"""The reader of each format :func:`detect_format` names."""


def read_survey(path: str | Path, **options: Any) -> SurveyExport:
    """Read any supported export, detecting the platform from the file.

    Parameters
    ----------
    path : str or Path
        The export file.
    **options
        Passed to the platform's reader: ``keep_identifiers=True``, ``keep=[...]``
        (identifier columns to keep all the same), ``missing_codes=[...]`` (answer codes read
        as missing, e.g. ``["-1", "-99", "NA", "N/A", "NSP"]`` or an instrument's
        ``missing_codes``), ``encoding=`` (CSV files and SPSS; detected when omitted),
        ``sheet=`` (workbooks with several sheets of data), ``id_columns=`` (further id
        columns, read as text), ``flatten_codes=True`` (LimeSurvey) ...

    Returns
    -------
    SurveyExport
        As the platform's reader returns it; ``format`` names the platform.

    Notes
    -----
    :func:`~ementor_kit.survey.scoring.score` needs one column per item, named by item id
    (``emx_1`` ...), holding answer codes. From an export:

    * **question codes to item ids**: columns are named by the platform's question codes
      (the export's ``questions`` gives each one's text). Rename them:
      ``export.rename({"Q1_1": "emx_1", "Q1_2": "emx_2", ...})`` for Google Forms,
      SurveyMonkey and Microsoft Forms (``Qn_k`` = row k of grid question n), or for
      Qualtrics tags not named after the items; for LimeSurvey, ``flatten_codes=True``
      turns ``EMX[SQ001]`` into ``emx_1`` when the question code is the instrument's id,
      otherwise rename ``EMX[SQ001]`` yourself.
    * **labels to codes**: Qualtrics ("Use numeric values"), LimeSurvey and SPSS export
      numbers; Google Forms, SurveyMonkey and Microsoft Forms export the label ticked
      (``"Plutôt d'accord"``). Convert labels with
      :func:`ementor_kit.survey.scoring.recode_labels` (any language the instrument defines;
      every answer that is not one of its labels is reported by row and column).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> fixtures = ek.example_export("qualtrics.csv").parent
    >>> export = read_survey(fixtures / "limesurvey_semicolon.csv", flatten_codes=True)
    >>> export.format, export.responses["emx_4"].tolist()
    ('limesurvey', [1, 2, 4, <NA>])
    >>> from ementor_kit.survey.scoring import recode_labels
    >>> gf = read_survey(fixtures / "google_forms.csv")
    >>> gf = gf.rename({f"Q1_{k}": f"emx_{k}" for k in range(1, 9)})
    >>> recode_labels(gf, "emx").responses["emx_4"].tolist()
    [1, 2, 4]
    """
    path = Path(path)
    fmt = detect_format(path, encoding=options.get("encoding"), sheet=options.get("sheet"))
    given = {k: v for k, v in options.items() if v is not None or k not in ("encoding", "sheet")}
    return _READERS[fmt](path, **given)
