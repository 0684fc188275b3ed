"""SPSS .sav/.zsav files: user-missing codes blanked and counted, value and variable labels."""

from __future__ import annotations

import codecs
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit.errors import InvalidArgumentError
from ementor_kit.i18n.language import N_
from ementor_kit.survey.readers._common import (
    _UNIQUE_FIX,
    _blank_frame_codes,
    _check_encoding,
    _check_missing,
    _check_unique,
    _clean_text,
    _export,
    _is_id,
    _not_found,
    _problem,
)
from ementor_kit.survey.readers.result import SurveyExport

__all__ = ["read_spss"]


def read_spss(
    path: str | Path,
    *,
    keep_identifiers: bool = False,
    apply_value_labels: bool = False,
    encoding: str | None = None,
    id_columns: Sequence[str] = (),
    keep: Sequence[str] = (),
    missing_codes: Sequence[str | float] | None = None,
) -> SurveyExport:
    """Read an SPSS .sav/.zsav file (as Qualtrics, LimeSurvey or SPSS itself writes it).

    Declared user-missing codes (e.g. 99 = "refused") become missing values; how many of
    each were found is recorded in ``user_missing``, so nothing disappears silently.
    Value labels go to ``value_labels``; variable labels are the question texts.
    Error rows are case numbers (``header_rows`` is 0). Id columns (response, respondent and
    target ids, and ``id_columns``) are text: numeric ids as whole numbers (``7``, not ``7.0``),
    so that they pair with the same ids read from a CSV export.

    Parameters
    ----------
    path : str or Path
        The ``.sav`` or ``.zsav`` file.
    keep_identifiers : bool
        Keep the direct identifier columns (see
        :data:`~ementor_kit.survey.privacy.IDENTIFIER_COLUMNS`); by default they are dropped.
    apply_value_labels : bool
        Replace codes by their labels (for categorical questions; keep the codes for scoring).
    encoding : str, optional
        The encoding of the file's texts, for old files that do not record theirs (default:
        the one the file records).
    id_columns : sequence of str
        Further variables holding ids (e.g. a participant code), read as text like the
        response, respondent and target id variables always are.
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
    path = Path(path)
    file = str(path)
    df, meta = _read_sav(path, encoding)
    _check_unique(list(map(str, df.columns)), file, _UNIQUE_FIX, rows=())
    user_missing = _blank_user_missing(df, getattr(meta, "missing_ranges", None) or {})
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
    protected = [str(c) for c in df.columns if _is_id(str(c), id_columns)]
    declared = _blank_frame_codes(df, _check_missing(missing_codes), protected)
    return _export(
        df,
        file=file,
        fmt="spss",
        header_rows=0,
        questions=questions,
        keep_identifiers=keep_identifiers,
        value_labels=value_labels,
        user_missing=user_missing,
        id_columns=id_columns,
        keep=keep,
        declared_missing=declared,
    )


def _read_sav(path: Path, encoding: str | None = None) -> tuple[pd.DataFrame, Any]:
    """The cases with their user-missing codes, and pyreadstat's metadata."""
    # imported here, not at the top: pyreadstat is needed only for SPSS files and is slow to
    # import, and ``import ementor_kit`` loads this module
    import pyreadstat

    _check_encoding(encoding)
    if not path.exists():
        raise _not_found(str(path))
    # iconv, which pyreadstat uses, knows Python's canonical names ('iso8859-1', 'cp1252')
    iconv = None if encoding is None else codecs.lookup(encoding).name.replace("-sig", "")
    try:
        return pyreadstat.read_sav(str(path), user_missing=True, encoding=iconv)
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError
        if iconv is not None and "character set" in str(exc):
            raise InvalidArgumentError(
                "encoding", encoding, N_("use an encoding such as 'utf-8', 'cp1252' or 'latin-1'")
            ) from None
        raise _problem(
            str(path),
            f"not a readable SPSS file ({type(exc).__name__}: {exc})",
            "export the data again as SPSS .sav",
        ) from None


def _blank_user_missing(
    df: pd.DataFrame, ranges: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, dict[float, int]]:
    """Blank the declared user-missing codes of ``df`` (in place); how many of each were found."""
    user_missing: dict[str, dict[float, int]] = {}
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
    return user_missing
