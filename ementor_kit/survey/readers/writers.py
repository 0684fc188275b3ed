"""Writing a response table in a platform's export layout: :func:`write_export`.

Qualtrics (current CSV format), LimeSurvey (CSV, ``,`` or ``;``) and SPSS (.sav), as the
readers read them back - to build examples and to test pipelines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice, check_names
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.survey.readers.limesurvey import _SEPARATORS

__all__ = ["write_export"]

_ITEM = re.compile(r"^([A-Za-z]+)_(\d+)$")
"""An item column: ``<prefix>_<n>``."""

_QUALTRICS_META = [
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
"""The metadata columns of a Qualtrics export: tag, label, ImportId."""
_LIME_HEAD = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
"""The metadata columns of a LimeSurvey export as written (no token, IP address or referrer)."""


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


def _when(df: pd.DataFrame, path: Path) -> list[str]:
    """``submitted_at`` as export text (UTC); a cell that is no time stamp is refused by row."""
    if "submitted_at" not in df.columns:
        return [""] * len(df)
    s = df["submitted_at"]
    if not pd.api.types.is_datetime64_any_dtype(s):
        given = s.notna().to_numpy() & (s.astype("str").str.strip() != "").to_numpy()
        parsed = pd.to_datetime(s.where(given), utc=True, format="ISO8601", errors="coerce")
        bad = given & parsed.isna().to_numpy()
        if bad.any():
            rows = tuple(int(i) + 2 for i in np.flatnonzero(bad))  # header = row 1
            shown = ", ".join(repr(str(v)) for v in pd.unique(s[bad])[:5])
            raise DataValidationError(
                [
                    Problem(
                        f"{path.name} (not written)",
                        "submitted_at",
                        rows,
                        N_("not an ISO 8601 time stamp: {shown}").format(shown=shown),
                        N_("write submitted_at like 2026-06-12T18:32:05+02:00, or leave it empty"),
                    )
                ]
            )
        s = parsed
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

    Raises
    ------
    DataValidationError
        When a ``submitted_at`` cell is not an ISO 8601 time stamp pandas can hold (the
        problem names the file, the column and the rows, header = row 1); nothing is
        written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> import ementor_kit as ek
    >>> df = pd.DataFrame({"response_id": ["R1", "R2"], "respondent_id": ["E001", "E002"],
    ...                    "submitted_at": ["2026-06-12T18:32:05+02:00"] * 2,
    ...                    "emx_1": [4, 5], "emx_2": [2, None]})
    >>> p = write_export(df, pathlib.Path(tempfile.mkdtemp()) / "x.csv", "limesurvey")
    >>> back = ek.read_survey(p, flatten_codes=True).responses
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
    check_names("items", item_cols, df.columns, what=N_("item column"))
    # the other columns, as embedded data (Qualtrics) or hidden questions (LimeSurvey)
    extra = [
        c for c in df.columns if c not in item_cols and c not in ("submitted_at", "response_id")
    ]
    when = _when(df, path)
    if format == "qualtrics":
        _write_qualtrics(df, path, item_cols, extra, questions, when)
    elif format == "limesurvey":
        _write_limesurvey(df, path, item_cols, extra, when, sep)
    else:  # "spss", checked above
        _write_spss(df, path, item_cols, questions)
    return path


def _write_csv(path: Path, rows: list[list[str]], **fmtparams: Any) -> None:
    """UTF-8 with a byte-order mark and CRLF line ends, as both platforms write."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n", **fmtparams).writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def _groups(item_cols: list[str]) -> dict[str, int]:
    order: dict[str, int] = {}
    for c in item_cols:
        m = _ITEM.match(c)
        key = m.group(1) if m else c
        order.setdefault(key, len(order) + 1)
    return order


def _write_qualtrics(
    df: pd.DataFrame,
    path: Path,
    item_cols: list[str],
    embedded: list[str],
    questions: Mapping[str, str],
    when: list[str],
) -> None:
    groups = _groups(item_cols)
    cols = list(_QUALTRICS_META)
    for c in item_cols:
        m = _ITEM.match(c)
        qid = f"QID{groups[m.group(1) if m else c]}" + (f"_{m.group(2)}" if m else "")
        cols.append((c, questions.get(c, c), {"ImportId": qid}))
    cols += [(c, c, {"ImportId": c}) for c in embedded]
    rows = [[c[0] for c in cols], [c[1] for c in cols]]
    rows.append([json.dumps(c[2], separators=(",", ":")) for c in cols])
    rid = df["response_id"] if "response_id" in df.columns else [f"R_{i}" for i in range(len(df))]
    values = _columns_out(df, item_cols + embedded)
    for w, r, vals in zip(when, rid, values, strict=True):
        rows.append([w, w, "0", "100", "", "1", w, _out(r), "anonymous", "FR", *vals])
    _write_csv(path, rows)


def _write_limesurvey(
    df: pd.DataFrame, path: Path, item_cols: list[str], extra: list[str], when: list[str], sep: str
) -> None:
    codes = []
    for c in item_cols:
        m = _ITEM.match(c)
        codes.append(f"{m.group(1).upper()}[SQ{int(m.group(2)):03d}]" if m else c)
    extra_codes = [re.sub(r"[^A-Za-z0-9]", "", c) for c in extra]
    rows = [_LIME_HEAD + extra_codes + codes]
    values = _columns_out(df, extra + item_cols)
    for i, (w, vals) in enumerate(zip(when, values, strict=True)):
        rows.append([str(i + 1), w, "2", "fr", str(100000 + 7919 * i), w, w, *vals])
    _write_csv(path, rows, delimiter=sep, quoting=csv.QUOTE_ALL)


def _write_spss(
    df: pd.DataFrame, path: Path, item_cols: list[str], questions: Mapping[str, str]
) -> None:
    # imported here, not at the top: pyreadstat is needed only for SPSS files and is slow to
    # import, and ``import ementor_kit`` loads this module
    import pyreadstat

    out = pd.DataFrame(index=range(len(df)))
    problems = []
    for c in df.columns:
        s = df[c].reset_index(drop=True)
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.tz_convert("UTC").dt.tz_localize(None) if s.dt.tz is not None else s
        elif c in item_cols:
            s, bad = _numeric_item(s)
            if bad.any():
                problems.append(
                    Problem(
                        "responses",
                        str(c),
                        tuple(int(i) + 2 for i in np.flatnonzero(bad)),
                        N_("not a number: SPSS item variables are numeric"),
                        N_("give answer codes as numbers, or leave the column out of items"),
                    )
                )
        elif not pd.api.types.is_numeric_dtype(s):
            s = s.astype(object).where(s.notna(), "").astype(str)
        out[re.sub(r"\W", "_", str(c))] = s
    if problems:
        raise DataValidationError(problems)
    labels = [questions.get(c, c) for c in df.columns]
    pyreadstat.write_sav(out, str(path), column_labels=labels)


def _numeric_item(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """An item column as numbers (blanks missing), and where it holds anything else."""
    blank = s.isna() | s.astype("str").str.strip().eq("")
    num = pd.to_numeric(s.mask(blank), errors="coerce").astype("float64")
    bad = (num.isna() & ~blank).to_numpy(dtype=bool, na_value=False)
    return num, bad
