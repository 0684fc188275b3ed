"""Read questionnaire exports of the common survey platforms into one tidy layout.

Every reader returns a :class:`SurveyExport`: its ``responses`` table has one row per
response and one column per question, named by the question's id on the platform (Qualtrics export tag, LimeSurvey code, SPSS
variable name; ``Q1``, ``Q2_3`` ... numbered in column order for platforms without codes:
Google Forms, SurveyMonkey, Microsoft Forms). Metadata columns keep their platform names.
Answers that are all numbers become numbers (``Int64`` or ``float64``), everything else stays
text; empty cells are missing. Nothing else is changed, so answer codes can be checked by
:func:`ementor_kit.survey.scoring.score`.

From an export to scores, two steps (see :func:`read_survey`):

1. **question codes to item ids** - rename the platform's columns to the instrument's item
   ids: ``export.rename(columns={"Q1_1": "emx_1", ...})`` (Google Forms, SurveyMonkey, Microsoft
   Forms, Qualtrics tags you did not name after the items), or ``flatten_codes=True`` /
   rename for LimeSurvey's ``EMX[SQ001]``;
2. **labels to codes** - Google Forms, SurveyMonkey and Microsoft Forms export the label
   ticked (``"Plutôt d'accord"``), not its number: convert it with
   :func:`ementor_kit.survey.scoring.recode_labels` (also ``ementor_kit.survey.recode_labels``),
   which reports every answer that is not one of the instrument's labels.

Next to ``responses``, the export holds (never in ``DataFrame.attrs``, which pandas drops):

* ``questions`` - ``{column: question text}`` (HTML removed, matrix rows as
  ``"Question - row"``);
* ``dropped_identifiers`` - direct identifier columns removed (IP address, e-mail, names,
  location, tokens, recipient fields; see :mod:`ementor_kit.survey.privacy`), unless
  ``keep_identifiers=True``;
* ``file``, ``format`` and ``header_rows`` - so that error messages can name the file and the
  spreadsheet row of a response (``header_rows + 1`` is the first response): give the export
  itself to :func:`~ementor_kit.survey.scoring.score` and the other survey functions;
* platform extras: ``import_ids`` (Qualtrics), ``value_labels`` and ``user_missing``
  (SPSS).

Malformed files raise :class:`~ementor_kit.errors.DataValidationError` naming the file, the
row, the column and the fix. :func:`write_export` writes a table in a platform's layout (to
build examples and test pipelines).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice, check_names
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem
from ementor_kit.survey.privacy import drop_identifiers

__all__ = [
    "FORMATS",
    "SurveyExport",
    "detect_format",
    "read_google_forms",
    "read_limesurvey",
    "read_msforms",
    "read_qualtrics",
    "read_spss",
    "read_survey",
    "read_surveymonkey",
    "write_export",
]

FORMATS = ("qualtrics", "limesurvey", "google_forms", "surveymonkey", "msforms", "spss")

_SEPARATORS = (",", ";")
"""Field separators of LimeSurvey CSV exports."""

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


# --------------------------------------------------------------------------- shared


@dataclass(frozen=True, eq=False)
class SurveyExport:
    """A survey export as read: the responses and what the file says about them.

    Every reader returns one. The survey functions that check answers
    (:func:`~ementor_kit.survey.scoring.score`, :func:`~ementor_kit.survey.scoring.recode_labels`,
    :func:`~ementor_kit.survey.internal_consistency.reliability`,
    :func:`~ementor_kit.survey.effects.compare_waves` ...) take it as they take a DataFrame,
    and then name the file and its spreadsheet rows in their error messages. Rename columns
    with :meth:`rename` and swap in edited responses with :meth:`with_responses` to keep that
    information: a DataFrame carries none (a merge or a copy of ``responses`` is a plain table,
    whose rows are counted from 2).

    Attributes
    ----------
    responses : DataFrame
        One row per response (in file order), one column per question.
    file : str
        The file read.
    format : str
        The layout read: one of :data:`FORMATS`, ``"qualtrics_legacy"`` or ``"ementor"``.
    header_rows : int
        Rows above the first response in the file: response ``i`` (from 0) is spreadsheet row
        ``header_rows + 1 + i`` (0 for SPSS, whose cases are numbered from 1).
    questions : mapping of str to str
        ``{column: question text}`` (HTML removed, matrix rows as ``"Question - row"``).
    dropped_identifiers : tuple of str
        Direct identifier columns removed on reading (empty with ``keep_identifiers=True``).
    import_ids : mapping of str to str
        Qualtrics: column -> ImportId (empty for other platforms).
    value_labels : mapping of str to mapping
        SPSS: column -> ``{code: label}`` (empty for other platforms).
    user_missing : mapping of str to mapping
        SPSS: column -> ``{user-missing code: number of answers blanked}`` (empty otherwise).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> export = read_survey(ek.example_export("qualtrics.csv"))
    >>> export
    SurveyExport(qualtrics, 3 responses, 30 columns, 17 questions, file='qualtrics.csv')
    >>> export.header_rows, export.responses.loc[0, "emx_1"]
    (3, np.int64(4))
    """

    responses: pd.DataFrame
    file: str
    format: str
    header_rows: int
    questions: Mapping[str, str]
    dropped_identifiers: tuple[str, ...] = ()
    import_ids: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    user_missing: Mapping[str, Mapping[float, int]] = field(default_factory=dict)

    def __repr__(self) -> str:
        rows, cols = self.responses.shape
        return (
            f"SurveyExport({self.format}, {rows} responses, {cols} columns, "
            f"{len(self.questions)} questions, file={Path(self.file).name!r})"
        )

    def rename(self, columns: Mapping[str, str]) -> SurveyExport:
        """The same export with columns renamed (e.g. question codes to item ids).

        Parameters
        ----------
        columns : mapping of str to str
            Old name -> new name, as for ``DataFrame.rename``; names the responses do not
            have are ignored.

        Returns
        -------
        SurveyExport
            The responses renamed; ``questions``, ``import_ids``, ``value_labels`` and
            ``user_missing`` follow the new names; file, format and rows unchanged.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> gf = read_survey(ek.example_export("google_forms.csv"))
        >>> items = gf.rename({f"Q1_{k}": f"emx_{k}" for k in range(1, 9)})
        >>> items.questions["emx_1"] == gf.questions["Q1_1"], items.file == gf.file
        (True, True)
        """
        names = dict(columns)

        def renamed(d: Mapping[str, Any]) -> dict[str, Any]:
            return {names.get(k, k): v for k, v in d.items()}

        return dataclasses.replace(
            self,
            responses=self.responses.rename(columns=names),
            questions=renamed(self.questions),
            import_ids=renamed(self.import_ids),
            value_labels=renamed(self.value_labels),
            user_missing=renamed(self.user_missing),
        )

    def with_responses(self, responses: pd.DataFrame) -> SurveyExport:
        """The same export holding other responses from the same file (edited, recoded ...).

        Response ``i`` (by position) of the new table is still reported as spreadsheet row
        ``header_rows + 1 + i``: keep the rows as :attr:`responses` has them (file order).

        Parameters
        ----------
        responses : DataFrame
            The new responses table.

        Returns
        -------
        SurveyExport
            ``responses`` replaced, ``questions`` limited to its columns, the rest unchanged.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> export = read_survey(ek.example_export("qualtrics.csv"))
        >>> typo = export.responses.copy()
        >>> typo.loc[1, "emx_3"] = 9
        >>> ek.score(export.with_responses(typo), "emx")
        Traceback (most recent call last):
        ...
        ementor_kit.errors.DataValidationError: 1 problem found:
        - .../qualtrics.csv, row 5, column 'emx_3': answer(s) 9 outside the response scale 1-5 ...
        """
        if not isinstance(responses, pd.DataFrame):
            raise ArgumentTypeError("responses", responses, "pass the responses as a DataFrame")
        return dataclasses.replace(
            self,
            responses=responses,
            questions={k: v for k, v in self.questions.items() if k in responses.columns},
        )


def _problem(file: str, message: str, fix: str, rows=(), column=None) -> DataValidationError:
    return DataValidationError([Problem(file, column, tuple(rows), message, fix)])


def _read_text(path: Path, encoding: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _problem(str(path), "file not found", "check the path of the export") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(
            str(path),
            f"not {encoding} text (byte {exc.start}, line {line})",
            "export the file again as UTF-8 CSV, or pass encoding= (e.g. 'cp1252')",
        ) from None
    if not text.strip():
        raise _problem(str(path), "the file is empty", "export the responses again")
    return text.lstrip("\ufeff")


def _records(text: str, file: str, delimiter: str = ",") -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[list[str]] = []
    try:
        for rec in reader:
            out.append(rec)
    except csv.Error as exc:
        raise _problem(
            file,
            f"broken CSV quoting ({exc})",
            "a quote is not closed or is misplaced: export the file again rather than "
            "editing it by hand",
            rows=(len(out) + 1,),
        ) from None
    while out and not any(c.strip() for c in out[-1]):
        out.pop()  # trailing blank lines
    return out


def _check_widths(records: list[list[str]], width: int, file: str, first: int) -> None:
    bad = [n for n, rec in enumerate(records) if len(rec) != width and any(c for c in rec)]
    if bad:
        counts = sorted({len(records[n]) for n in bad})
        raise _problem(
            file,
            f"{', '.join(map(str, counts))} fields where the header has {width}",
            "the file was cut or edited (a separator or quote added or lost); export it again",
            rows=[n + first for n in bad],
        )


def _clean_text(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", str(text))
    return " ".join(html.unescape(text).split())


_LEADING_ZERO = re.compile(r"^\s*[+-]?0\d")


def _typed(values: list[str | None]) -> pd.Series:
    """Numbers when every answer is a number (no leading zeros), else text; blank = missing."""
    filled = [v for v in values if v is not None]
    if not filled:
        return pd.Series(np.full(len(values), np.nan), dtype="float64")
    try:
        nums = np.array(filled, dtype=float)
    except ValueError:
        return pd.Series(values, dtype="str")
    odd = any("_" in v or ("0" in v[:3] and _LEADING_ZERO.match(v)) for v in filled)
    if odd or not np.isfinite(nums).all():  # "007", "1_000", "nan", "inf" stay text
        return pd.Series(values, dtype="str")
    full = np.full(len(values), np.nan)
    full[[v is not None for v in values]] = nums
    if np.all(nums == np.round(nums)) and np.all(np.abs(nums) < 2**53):
        return pd.Series(pd.array(full, dtype="Float64")).astype("Int64")
    return pd.Series(full, dtype="float64")


def _frame(
    data: list[list[str]],
    columns: list[str],
    *,
    file: str,
    fmt: str,
    header_rows: int,
    questions: Mapping[str, str],
    keep_identifiers: bool,
    import_ids: Mapping[str, str] | None = None,
) -> SurveyExport:
    dup = sorted({c for c in columns if columns.count(c) > 1})
    if dup:
        raise _problem(
            file,
            f"column name(s) {', '.join(dup)} appear more than once",
            "give each question its own code in the survey and export again",
        )
    cols = {}
    for j, name in enumerate(columns):
        raw = [rec[j] if j < len(rec) else "" for rec in data]
        cols[name] = _typed([None if v.strip() == "" else v for v in raw])
    df = pd.DataFrame(cols, index=pd.RangeIndex(len(data)))
    dropped: tuple[str, ...] = ()
    if not keep_identifiers:
        clean = drop_identifiers(df)
        df, dropped = clean.table, clean.dropped
    return SurveyExport(
        responses=df,
        file=file,
        format=fmt,
        header_rows=header_rows,
        questions={k: v for k, v in questions.items() if k in df.columns},
        dropped_identifiers=dropped,
        import_ids=dict(import_ids or {}),
    )


# --------------------------------------------------------------------------- Qualtrics


def read_qualtrics(
    path: str | Path, *, keep_identifiers: bool = False, encoding: str = "utf-8-sig"
) -> SurveyExport:
    """Read a Qualtrics CSV export (current or legacy format).

    Current format: three header rows - export tag (``Q1_1``), question text (matrix items
    as ``"Question - Sub item"``, possibly HTML), then ``{"ImportId": ...}`` JSON. Columns are
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
    encoding : str
        Text encoding (Qualtrics writes UTF-8 with a byte-order mark).

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
    records = _records(_read_text(path, encoding), file)
    if records and records[0] and records[0][0] == "V1":
        return _qualtrics_legacy(records, file, keep_identifiers)
    if len(records) < 3:
        raise _problem(
            file,
            f"{len(records)} row(s): a Qualtrics export has three header rows",
            "export the data again from Data & Analysis > Export & Import > Export data, CSV",
        )
    tags, texts, ids_row = records[0], records[1], records[2]
    width = len(tags)
    _check_widths(records[1:3], width, file, 2)
    import_ids, bad = [], []
    for j, cell in enumerate(ids_row):
        try:
            meta = json.loads(cell)
            import_ids.append(
                str(meta["ImportId"]) + (f"_{meta['choiceId']}" if "choiceId" in meta else "")
            )
        except (ValueError, KeyError, TypeError):
            bad.append(j)
            import_ids.append("")
    if bad:
        raise DataValidationError(
            [
                Problem(
                    file,
                    tags[bad[0]] if bad[0] < len(tags) else None,
                    (3,),
                    'row 3 should hold each column\'s ImportId as JSON, e.g. {"ImportId":"QID1"}'
                    f" ({len(bad)} column(s) without it)",
                    "export with the current CSV format (or the legacy format, V1..V10 in row "
                    "1) and do not remove header rows",
                )
            ]
        )
    _check_widths(records[3:], width, file, 4)
    repeated = {t for t in tags if tags.count(t) > 1}
    names = [import_ids[j] if t in repeated else t for j, t in enumerate(tags)]
    questions = {
        n: _clean_text(texts[j]) for j, n in enumerate(names) if import_ids[j].startswith("QID")
    }
    return _frame(
        records[3:],
        names,
        file=file,
        fmt="qualtrics",
        header_rows=3,
        questions=questions,
        keep_identifiers=keep_identifiers,
        import_ids=dict(zip(names, import_ids, strict=True)),
    )


def _qualtrics_legacy(records: list[list[str]], file: str, keep_identifiers: bool) -> SurveyExport:
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
    names = [labels[j] if re.fullmatch(r"V\d+", c) else c for j, c in enumerate(codes)]
    meta = re.compile(r"^(V\d+|Location\w+)$")
    questions = {names[j]: _clean_text(labels[j]) for j, c in enumerate(codes) if not meta.match(c)}
    return _frame(
        data[1:],
        names,
        file=file,
        fmt="qualtrics_legacy",
        header_rows=2,
        questions=questions,
        keep_identifiers=keep_identifiers,
    )


# --------------------------------------------------------------------------- LimeSurvey


_LIME_HEAD = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[^\]]*\])*)\.\s+(.*)$", re.S)


def _flatten_code(code: str) -> str:
    base = code.split("[", 1)[0]
    parts = re.findall(r"\[([^\]]*)\]", code)
    out = [base.lower()]
    for p in parts:
        m = re.fullmatch(r"SQ0*(\d+)", p, flags=re.I)
        out.append(m.group(1) if m else p.lower())
    return "_".join(out)


def read_limesurvey(
    path: str | Path,
    *,
    keep_identifiers: bool = False,
    sep: str | None = None,
    flatten_codes: bool = False,
    encoding: str = "utf-8-sig",
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
    encoding : str
        Text encoding (LimeSurvey writes UTF-8 with a byte-order mark).

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
    first = text.split("\n", 1)[0]
    if sep is None:
        sep = ";" if first.count(";") > first.count(",") else ","
    check_choice("sep", sep, _SEPARATORS)
    records = _records(text, file, sep)
    header = records[0]
    if "id" not in header or not ({"submitdate", "lastpage", "startlanguage"} & set(header)):
        raise _problem(
            file,
            "no 'id' and 'submitdate' columns in the header: not a LimeSurvey response export",
            "export from Responses > Export, CSV, headings as 'Question code'",
            rows=(1,),
        )
    _check_widths(records[1:], len(header), file, 2)
    names, questions = [], {}
    timing = re.compile(r"^(interviewtime|groupTime\d+|\w+Time)$")
    for h in header:
        m = _LIME_HEAD.match(h)
        code, qtext = (m.group(1), _clean_text(m.group(2))) if m else (h, "")
        name = _flatten_code(code) if flatten_codes and code not in _LIME_META else code
        names.append(name)
        if code not in _LIME_META and not timing.match(code):
            questions[name] = qtext or code
    return _frame(
        records[1:],
        names,
        file=file,
        fmt="limesurvey",
        header_rows=1,
        questions=questions,
        keep_identifiers=keep_identifiers,
    )


# --------------------------------------------------------------------------- Google Forms


def _numbered(texts: list[str]) -> tuple[list[str], dict[str, str]]:
    """Q1, Q2 ... per question; grid rows ``Title [Row]`` of one question as Qn_1, Qn_2."""
    grid = re.compile(r"^(.*\S)\s*\[(.+)\]$", re.S)
    names, questions = [], {}
    n, prev, m = 0, None, 0
    for t in texts:
        g = grid.match(t)
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


def read_google_forms(
    path: str | Path, *, keep_identifiers: bool = False, encoding: str = "utf-8-sig"
) -> SurveyExport:
    """Read the CSV download of a Google Forms response sheet.

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
    encoding : str
        Text encoding of the file.

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
    records = _records(_read_text(path, encoding), file)
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
    meta = [j for j, h in enumerate(header) if j == 0 or h.strip() in _GOOGLE_META]
    qcols = [j for j in range(len(header)) if j not in meta]
    qnames, questions = _numbered([header[j] for j in qcols])
    names = list(header)
    for j, name in zip(qcols, qnames, strict=True):
        names[j] = name
    return _frame(
        records[1:],
        names,
        file=file,
        fmt="google_forms",
        header_rows=1,
        questions=questions,
        keep_identifiers=keep_identifiers,
    )


# --------------------------------------------------------------------------- SurveyMonkey


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _xlsx_rows(path: Path) -> list[list[str]]:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise _problem(str(path), "file not found", "check the path of the export") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _problem(
            str(path), f"not a readable .xlsx workbook ({exc})", "export it again as .xlsx"
        ) from None
    try:
        ws = wb.worksheets[0]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise _problem(str(path), "the first sheet is empty", "export the responses again")
    width = max(len(r) for r in rows)
    while width and not any(len(r) >= width and r[width - 1] for r in rows):
        width -= 1
    return [(r + [""] * width)[:width] for r in rows]


def read_surveymonkey(
    path: str | Path, *, keep_identifiers: bool = False, encoding: str = "utf-8-sig"
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
    encoding : str
        Text encoding of a CSV export.

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
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        records = _xlsx_rows(path)
    else:
        records = _records(_read_text(path, encoding), file)
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
    row1, row2 = records[0], records[1]
    width = len(row1)
    _check_widths(records[1:], width, file, 2)
    names, questions = [], {}
    starts = [j for j, h in enumerate(row1) if h.strip()]
    n = 0
    for j in range(width):
        h = row1[j].strip()
        if h in _MONKEY_META or re.fullmatch(r"Custom Data \d+", h):  # custom variables
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
        multi = span > 1 and label not in ("", "Response", "Open-Ended Response")
        questions[name] = _clean_text(f"{qtext} - {label}" if multi else qtext)
    return _frame(
        records[2:],
        names,
        file=file,
        fmt="surveymonkey",
        header_rows=2,
        questions=questions,
        keep_identifiers=keep_identifiers,
    )


# --------------------------------------------------------------------------- MS Forms


def read_msforms(path: str | Path, *, keep_identifiers: bool = False) -> SurveyExport:
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
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise _problem(
            file,
            "Microsoft Forms results are read from .xlsx",
            "open the results in Excel from Forms and save the workbook as .xlsx",
        )
    records = _xlsx_rows(path)
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
    names: list[str] = []
    questions: dict[str, str] = {}
    by_text: dict[str, str] = {}
    n = 0
    for h in header:
        h0 = h.strip()
        if h0 in _MSFORMS_META:
            names.append(h0)
            continue
        quiz = re.match(r"^(Points|Feedback|Commentaires) - (.*)$", h0)
        if quiz and quiz.group(2) in by_text:
            kind = "points" if quiz.group(1) == "Points" else "feedback"
            names.append(f"{by_text[quiz.group(2)]}_{kind}")
            continue
        n += 1
        names.append(f"Q{n}")
        by_text[h0] = f"Q{n}"
        questions[f"Q{n}"] = _clean_text(h0)
    return _frame(
        records[1:],
        names,
        file=file,
        fmt="msforms",
        header_rows=1,
        questions=questions,
        keep_identifiers=keep_identifiers,
    )


# --------------------------------------------------------------------------- SPSS


def read_spss(
    path: str | Path, *, keep_identifiers: bool = False, apply_value_labels: bool = False
) -> SurveyExport:
    """Read an SPSS .sav/.zsav file (as Qualtrics, LimeSurvey or SPSS itself writes it).

    Declared user-missing codes (e.g. 99 = "refused") become missing values; how many of
    each were found is recorded in ``user_missing``, so nothing disappears silently.
    Value labels go to ``value_labels``; variable labels are the question texts.
    Error rows are case numbers (``header_rows`` is 0).

    Parameters
    ----------
    path : str or Path
        The ``.sav`` or ``.zsav`` file.
    keep_identifiers : bool
        Keep the direct identifier columns (see
        :data:`~ementor_kit.survey.privacy.IDENTIFIER_COLUMNS`); by default they are dropped.
    apply_value_labels : bool
        Replace codes by their labels (for categorical questions; keep the codes for scoring).

    Returns
    -------
    SurveyExport
        ``responses``: one row per case, one column per variable; ``questions`` holds the
        variable labels, ``value_labels`` and ``user_missing`` as described above
        (``header_rows`` is 0).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> fixtures = ek.example_export("qualtrics.csv").parent
    >>> export = read_spss(fixtures / "spss.sav")
    >>> export.responses[["respondent_id", "emx_2", "emx_3"]]
      respondent_id  emx_2  emx_3
    0          E001    2.0    5.0
    1          E002    NaN    4.0
    2          E003    3.0    NaN
    >>> export.user_missing["emx_3"], export.value_labels["emx_3"][99.0]
    ({99.0: 1}, 'Ne souhaite pas répondre')
    """
    import pyreadstat

    path = Path(path)
    file = str(path)
    if not path.exists():
        raise _problem(file, "file not found", "check the path of the export")
    try:
        df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError
        raise _problem(
            file,
            f"not a readable SPSS file ({type(exc).__name__}: {exc})",
            "export the data again as SPSS .sav",
        ) from None
    user_missing: dict[str, dict[float, int]] = {}
    ranges = getattr(meta, "missing_ranges", None) or {}
    for col, spec in sorted(ranges.items()):
        if col not in df.columns or not pd.api.types.is_numeric_dtype(df[col]):
            continue
        v = df[col].to_numpy(dtype=float, na_value=np.nan)
        hit = np.zeros(len(v), dtype=bool)
        for r in spec:
            lo, hi = float(r["lo"]), float(r["hi"])
            hit |= (v >= lo) & (v <= hi)
        if hit.any():
            codes, counts = np.unique(v[hit], return_counts=True)
            user_missing[col] = {float(c): int(k) for c, k in zip(codes, counts, strict=True)}
        df[col] = np.where(hit, np.nan, v)
    value_labels = {
        col: {float(k) if isinstance(k, int | float) else k: v for k, v in labs.items()}
        for col, labs in (meta.variable_value_labels or {}).items()
    }
    if apply_value_labels:
        for col, labs in value_labels.items():
            df[col] = df[col].map(lambda x, labs=labs: labs.get(x, x) if pd.notna(x) else x)
    questions = {
        c: _clean_text(lab)
        for c, lab in (meta.column_names_to_labels or {}).items()
        if lab and c in df.columns
    }
    for c in df.columns:
        if df[c].dtype == object:
            s = df[c].where(df[c].notna() & (df[c].astype("str") != ""), None)
            df[c] = pd.Series(s.tolist(), dtype="str")
    dropped: tuple[str, ...] = ()
    if not keep_identifiers:
        clean = drop_identifiers(df)
        df, dropped = clean.table, clean.dropped
    return SurveyExport(
        responses=df,
        file=file,
        format="spss",
        header_rows=0,
        questions={k: v for k, v in questions.items() if k in df.columns},
        dropped_identifiers=dropped,
        value_labels=value_labels,
        user_missing=user_missing,
    )


# --------------------------------------------------------------------------- detection


def detect_format(path: str | Path) -> str:
    """Which platform wrote this export: one of :data:`FORMATS`, or ``"ementor"``.

    ``"ementor"`` is the plain CSV of the data contract (``response_id``, ``respondent_id``,
    ``rater_role``, ``wave``, ``submitted_at`` and item columns), as in ``data/samples``.

    Parameters
    ----------
    path : str or Path
        The export file (``.csv``, ``.xlsx``, ``.sav`` ...).

    Returns
    -------
    str
        The platform's name, the key :func:`read_survey` uses to pick the reader.

    Raises
    ------
    DataValidationError
        When a CSV or a workbook cannot be read or matches no supported layout (``.sav``
        and ``.zsav`` are SPSS by their suffix).

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
        return "spss"
    if suffix in (".xlsx", ".xlsm"):
        head = [h.strip() for h in _xlsx_rows(path)[0]]
        if head and head[0] == "Respondent ID":
            return "surveymonkey"
        if head and head[0] == "ID":
            return "msforms"
        raise _problem(
            str(path),
            "a workbook from neither SurveyMonkey nor Microsoft Forms",
            "call the reader of your platform directly, or export as CSV",
            rows=(1,),
        )
    text = _read_text(path, "utf-8-sig")
    first_line = text.split("\n", 1)[0]
    sep = ";" if first_line.count(";") > first_line.count(",") else ","
    records = []
    try:
        for rec in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            records.append(rec)
            if len(records) == 3:
                break
    except csv.Error:
        pass
    head = [h.strip() for h in records[0]] if records else []
    if head and head[0] == "V1":
        return "qualtrics"
    if (
        head
        and head[0] == "StartDate"
        or (len(records) > 2 and records[2] and records[2][0].startswith('{"ImportId"'))
    ):
        return "qualtrics"
    if "id" in head and {"submitdate", "lastpage", "startlanguage"} & set(head):
        return "limesurvey"
    if head and head[0] in _TIMESTAMP_HEADERS:
        return "google_forms"
    if head and head[0] == "Respondent ID":
        return "surveymonkey"
    if head and head[0] == "ID" and "Start time" in head:
        return "msforms"
    if {"response_id", "respondent_id", "rater_role", "wave"} <= set(head):
        return "ementor"
    raise _problem(
        str(path),
        "not a known survey export layout",
        "use an export of Qualtrics (CSV), LimeSurvey (CSV), Google Forms (CSV), SurveyMonkey "
        "(CSV/XLSX), Microsoft Forms (XLSX) or SPSS (.sav), unmodified",
        rows=(1,),
    )


def _read_ementor(path: Path, keep_identifiers: bool = False) -> SurveyExport:
    """A survey table of the data contract, validated (typed as ``read_programme`` gives it)."""
    from ementor_kit.data.schema import TABLES
    from ementor_kit.data.validation import validate

    file = str(path)
    records = _records(_read_text(path, "utf-8-sig"), file)
    header = records[0]
    _check_widths(records[1:], len(header), file, 2)
    raw = pd.DataFrame(
        {h: pd.Series([rec[j] for rec in records[1:]], dtype="str") for j, h in enumerate(header)}
    )
    table = path.stem if path.stem in ("mentee_t0", "mentee_t1", "mentor_t1") else "mentee_t0"
    out = validate(raw, TABLES[table], file=file)
    item = re.compile(r"^[A-Za-z]+_\d+$")
    return SurveyExport(
        responses=out,
        file=file,
        format="ementor",
        header_rows=1,
        questions={h: h for h in header if item.match(h)},
    )


def read_survey(path: str | Path, **options: Any) -> SurveyExport:
    """Read any supported export, detecting the platform from the file.

    Parameters
    ----------
    path : str or Path
        The export file.
    **options
        Passed to the platform's reader (e.g. ``keep_identifiers=True``,
        ``flatten_codes=True`` for LimeSurvey).

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
    fmt = detect_format(path)
    readers: dict[str, Callable[..., pd.DataFrame]] = {
        "qualtrics": read_qualtrics,
        "limesurvey": read_limesurvey,
        "google_forms": read_google_forms,
        "surveymonkey": read_surveymonkey,
        "msforms": read_msforms,
        "spss": read_spss,
        "ementor": _read_ementor,
    }
    return readers[fmt](path, **options)


# --------------------------------------------------------------------------- writing


_ITEM = re.compile(r"^([A-Za-z]+)_(\d+)$")


def _out(v: object) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    if isinstance(v, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(v)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        return ts.strftime("%Y-%m-%d %H:%M:%S")
    return str(v)


def _columns_out(df: pd.DataFrame, columns: list[str]) -> list[tuple[str, ...]]:
    """Cells of ``columns`` as export text, row by row."""
    cols = []
    for c in columns:
        s = df[c]
        if pd.api.types.is_float_dtype(s) and not pd.api.types.is_extension_array_dtype(s):
            v = s.to_numpy()
            whole = np.isfinite(v) & (v == np.round(v))
            text = np.where(
                np.isnan(v),
                "",
                np.where(whole, np.nan_to_num(v).astype(np.int64).astype(str), v.astype(str)),
            )
            cols.append(text.tolist())
        else:
            cols.append([_out(v) for v in s.tolist()])
    return list(zip(*cols, strict=True)) if cols else [()] * len(df)


def _when(df: pd.DataFrame) -> list[str]:
    if "submitted_at" not in df.columns:
        return [""] * len(df)
    s = df["submitted_at"]
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(s, utc=True, format="ISO8601")
    return [_out(v) for v in s]


def write_export(
    df: pd.DataFrame,
    path: str | Path,
    format: str,
    *,
    questions: Mapping[str, str] | None = None,
    sep: str = ",",
    items: Sequence[str] | None = None,
) -> Path:
    """Write a response table in a platform's export layout (for examples and tests).

    Item columns (``<prefix>_<n>``, or those listed in ``items``) become questions; the
    other columns travel as the platform carries extra data: Qualtrics embedded data (own
    name as ImportId), LimeSurvey hidden questions (codes without ``_``, which LimeSurvey does
    not allow: ``respondent_id`` becomes ``respondentid``), SPSS variables. ``response_id``
    and ``submitted_at`` fill the platform's response id and dates (in UTC).

    Parameters
    ----------
    df : DataFrame
        One row per response (e.g. a survey table of the data contract).
    path : str or Path
        File to write.
    format : {"qualtrics", "limesurvey", "spss"}
    questions : mapping, optional
        Question text per item column (default: the item id).
    sep : {",", ";"}
        LimeSurvey field separator.
    items : sequence of str, optional
        The question columns (default: every column named ``<prefix>_<number>``).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> df = pd.DataFrame({"response_id": ["R1", "R2"], "respondent_id": ["E001", "E002"],
    ...                    "submitted_at": ["2026-06-12T18:32:05+02:00"] * 2,
    ...                    "emx_1": [4, 5], "emx_2": [2, None]})
    >>> p = write_export(df, pathlib.Path(tempfile.mkdtemp()) / "x.csv", "limesurvey")
    >>> back = read_survey(p, flatten_codes=True).responses
    >>> back[["id", "submitdate", "respondentid", "emx_1", "emx_2"]]
       id           submitdate respondentid  emx_1  emx_2
    0   1  2026-06-12 16:32:05         E001      4      2
    1   2  2026-06-12 16:32:05         E002      5   <NA>
    """
    check_choice("format", format, ("qualtrics", "limesurvey", "spss"))
    if format == "limesurvey":
        check_choice("sep", sep, _SEPARATORS)
    path = Path(path)
    questions = dict(questions or {})
    item_cols = list(items) if items is not None else [c for c in df.columns if _ITEM.match(c)]
    check_names("items", item_cols, df.columns, what="item column")
    others = [c for c in df.columns if c not in item_cols and c not in ("submitted_at",)]
    when = _when(df)
    if format == "qualtrics":
        _write_qualtrics(df, path, item_cols, others, questions, when)
    elif format == "limesurvey":
        _write_limesurvey(df, path, item_cols, others, questions, when, sep)
    else:  # "spss", checked above
        _write_spss(df, path, item_cols, questions)
    return path


def _groups(item_cols: list[str]) -> dict[str, int]:
    order: dict[str, int] = {}
    for c in item_cols:
        m = _ITEM.match(c)
        key = m.group(1) if m else c
        order.setdefault(key, len(order) + 1)
    return order


def _write_qualtrics(df, path, item_cols, others, questions, when) -> None:
    meta = [
        ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "UTC"}),
        ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "UTC"}),
        ("Status", "Response Type", {"ImportId": "status"}),
        ("Progress", "Progress", {"ImportId": "progress"}),
        ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
        ("Finished", "Finished", {"ImportId": "finished"}),
        ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": "UTC"}),
        ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
        ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
        ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
    ]
    groups = _groups(item_cols)
    cols = list(meta)
    for c in item_cols:
        m = _ITEM.match(c)
        qid = f"QID{groups[m.group(1) if m else c]}" + (f"_{m.group(2)}" if m else "")
        cols.append((c, questions.get(c, c), {"ImportId": qid}))
    embedded = [c for c in others if c != "response_id"]
    cols += [(c, c, {"ImportId": c}) for c in embedded]
    rows = [[c[0] for c in cols], [c[1] for c in cols]]
    rows.append([json.dumps(c[2], separators=(",", ":")) for c in cols])
    rid = df["response_id"] if "response_id" in df.columns else [f"R_{i}" for i in range(len(df))]
    values = _columns_out(df, item_cols + embedded)
    for w, r, vals in zip(when, rid, values, strict=True):
        rows.append([w, w, "0", "100", "", "1", w, _out(r), "anonymous", "FR", *vals])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def _write_limesurvey(df, path, item_cols, others, questions, when, sep) -> None:
    head = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    codes = []
    for c in item_cols:
        m = _ITEM.match(c)
        codes.append(f"{m.group(1).upper()}[SQ{int(m.group(2)):03d}]" if m else c)
    extra = [c for c in others if c != "response_id"]
    extra_codes = [re.sub(r"[^A-Za-z0-9]", "", c) for c in extra]
    rows = [head + extra_codes + codes]
    values = _columns_out(df, extra + item_cols)
    for i, (w, vals) in enumerate(zip(when, values, strict=True)):
        rows.append([str(i + 1), w, "2", "fr", str(100000 + 7919 * i), w, w, *vals])
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def _write_spss(df, path, item_cols, questions) -> None:
    import pyreadstat

    out = pd.DataFrame(index=range(len(df)))
    problems = []
    for c in df.columns:
        s = df[c].reset_index(drop=True)
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.tz_convert("UTC").dt.tz_localize(None) if s.dt.tz is not None else s
        elif c in item_cols:
            blank = s.isna() | s.astype("str").str.strip().eq("")
            num = pd.to_numeric(s.mask(blank), errors="coerce").astype("float64")
            bad = (num.isna() & ~blank).to_numpy(dtype=bool, na_value=False)
            if bad.any():
                problems.append(
                    Problem(
                        "responses",
                        str(c),
                        tuple(int(i) + 2 for i in np.flatnonzero(bad)),
                        "not a number: SPSS item variables are numeric",
                        "give answer codes as numbers, or leave the column out of items",
                    )
                )
            s = num
        elif not pd.api.types.is_numeric_dtype(s):
            s = s.astype(object).where(s.notna(), "").astype(str)
        out[re.sub(r"\W", "_", str(c))] = s
    if problems:
        raise DataValidationError(problems)
    labels = [questions.get(c, c) for c in df.columns]
    pyreadstat.write_sav(out, str(path), column_labels=labels)
