"""Score questionnaire responses exactly as an instrument defines them.

Scoring never guesses: answers outside the theoretical response range, between two options
or not numbers at all are reported by row and column (nothing is coerced); reverse keying
uses the instrument's theoretical bounds, never the observed ones; and a subscale score is
given only when enough of its items were answered, with the number answered kept next to it.

A score from fewer than all of a subscale's items is *prorated*: a mean subscale is the mean of
the answered items, a sum subscale that mean times the number of items - both the same as
giving every unanswered item the respondent's own mean (person-mean imputation). Proration is
biased even when answers are missing completely at random (Mazza, Enders & Ruehlman 2015), so
it is allowed only down to ``min_answered`` items, :func:`scoring_rules` says it in words from
the settings used, and :func:`scoring_counts` counts the prorated scores.

Every function taking ``responses`` takes a DataFrame or the
:class:`~ementor_kit.survey.readers.SurveyExport` a reader returned. Row numbers in error
messages are spreadsheet rows of the source file for an export (it records the file and its
number of header rows), otherwise the frame's positions counted from 2 (row 1 being the
header) in a table named ``responses``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import overload

import numpy as np
import pandas as pd

from ementor_kit._checks import check_names, one_of
from ementor_kit.errors import (
    ArgumentTypeError,
    DataValidationError,
    InvalidArgumentError,
    Problem,
    UnknownNameError,
)
from ementor_kit.i18n.language import N_
from ementor_kit.i18n.text import translate_text
from ementor_kit.survey.instruments import Instrument, load_instrument
from ementor_kit.survey.readers import SurveyExport

__all__ = [
    "META_COLUMNS",
    "item_matrix",
    "recode_labels",
    "reverse_key",
    "score",
    "scoring_counts",
    "scoring_rules",
]

META_COLUMNS = ("response_id", "respondent_id", "target_id", "rater_role", "wave")
"""Columns :func:`score` carries over when present (the survey tables' identifying columns)."""


def _source(responses: pd.DataFrame | SurveyExport, file: str | None) -> tuple[str, int]:
    """File name for messages and the spreadsheet row of the first data row.

    An export knows both; a DataFrame is a table named ``responses`` (or ``file``) whose
    first data row is row 2: nothing is read from ``DataFrame.attrs``.
    """
    if isinstance(responses, SurveyExport):
        return str(file or responses.file), responses.header_rows + 1
    return str(file or "responses"), 2


def _table(responses: pd.DataFrame | SurveyExport, argument: str = "responses") -> pd.DataFrame:
    """The responses of an export, or the DataFrame itself; anything else is refused."""
    if isinstance(responses, SurveyExport):
        return responses.responses
    if isinstance(responses, pd.DataFrame):
        return responses
    raise ArgumentTypeError(
        argument,
        responses,
        N_("pass a DataFrame of responses or the SurveyExport a survey reader returned"),
        message=N_("{name} is neither a DataFrame nor a SurveyExport").format(
            name=type(responses).__name__
        ),
    )


def _item_ids(inst: Instrument, items: Sequence[str] | None) -> list[str]:
    """The items asked for (default: all of the instrument's); unknown ones are refused."""
    ids = list(inst.item_ids if items is None else items)
    unknown = [i for i in ids if i not in inst.item_ids]
    if unknown:
        raise UnknownNameError(
            "items",
            unknown,
            one_of(inst.item_ids, str(unknown[0])),
            message=N_("{unknown} are not items of {name}").format(
                unknown=", ".join(map(str, unknown)), name=inst.name
            ),
        )
    return ids


def _rows(mask: np.ndarray, first_row: int) -> tuple[int, ...]:
    return tuple(int(i) + first_row for i in np.flatnonzero(mask))


def _shown(values: np.ndarray, limit: int = 5, quote: bool = True) -> str:
    uniq = list(dict.fromkeys(str(v) for v in values))
    more = N_(" (+{n} more)").format(n=len(uniq) - limit) if len(uniq) > limit else ""
    return ", ".join(repr(v) if quote else v for v in uniq[:limit]) + more


def _as_float(
    col: pd.Series, name: str, file: str, first_row: int, inst: Instrument | None = None
) -> tuple[np.ndarray, list]:
    """Numeric values of one item column; non-numeric cells become problems, blanks NaN.

    With ``inst``, the fix of a text answer points to :func:`recode_labels` (naming the
    instrument when every such answer is one of its response labels).
    """
    dtype = col.dtype
    if pd.api.types.is_bool_dtype(dtype):
        prob = Problem(
            file,
            name,
            (),
            N_("true/false values where answer codes were expected"),
            N_("export the numeric answer codes of the response scale"),
        )
        return np.full(len(col), np.nan), [prob]
    if pd.api.types.is_numeric_dtype(dtype):
        return col.to_numpy(dtype=float, na_value=np.nan), []
    text = col.astype("str").str.strip()
    blank = col.isna().to_numpy() | text.eq("").to_numpy(dtype=bool, na_value=True)
    num = pd.to_numeric(text.mask(blank), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(num) & ~blank
    if bad.any():
        fix = N_(
            "export answers as numeric codes (e.g. Qualtrics 'Use numeric "
            "values'), use a decimal point, and leave unanswered items empty"
        )
        if inst is not None:
            known = {_norm_label(x) for _, labels in inst.response_labels for x in labels}
            if known and all(_norm_label(t) in known for t in text.to_numpy()[bad]):
                fix = N_(
                    "these are response labels of {name}: convert them to codes first with "
                    "recode_labels(responses, {id!r}) (ementor_kit.survey)"
                ).format(name=inst.name, id=inst.id)
            else:
                fix = N_(
                    "{fix}; if the export holds response labels (Google Forms, SurveyMonkey, "
                    "Microsoft Forms), convert them with recode_labels(responses, {id!r}) "
                    "(ementor_kit.survey)"
                ).format(fix=fix, id=inst.id)
        prob = Problem(
            file,
            name,
            _rows(bad, first_row),
            N_("not a number: {shown}").format(shown=_shown(text.to_numpy()[bad])),
            fix,
        )
        return num, [prob]
    return num, []


def item_matrix(
    responses: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    *,
    items: Sequence[str] | None = None,
    file: str | None = None,
) -> np.ndarray:
    """The instrument's item answers as a float array, after checking every value.

    Parameters
    ----------
    responses : DataFrame or SurveyExport
        One row per response, one column per item (named by item id); other columns are
        ignored. Unanswered items are empty (NaN or blank text).
    instrument : Instrument or str
        The instrument, or a name :func:`~ementor_kit.survey.instruments.load_instrument` accepts.
    items : sequence of str, optional
        Subset of the instrument's items (default: all, in questionnaire order).
    file : str, optional
        Name used in error messages (default: the export's file, or ``"responses"``).

    Returns
    -------
    ndarray of float, shape (n_responses, n_items)
        Raw answers (not reverse keyed), NaN where not answered.

    Raises
    ------
    DataValidationError
        Listing every missing item column and every answer that is not a number, not a
        whole number or outside the theoretical range, by row and column.
    UnknownNameError
        ``items`` names an item the instrument does not have.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"emx_1": [1, 5], "emx_2": [6, None]})
    >>> item_matrix(df, "emx", items=["emx_1", "emx_2"])
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - responses, row 2, column 'emx_2': answer(s) 6 outside the response scale 1-5 ...
    """
    inst = load_instrument(instrument)
    ids = _item_ids(inst, items)
    name, first_row = _source(responses, file)
    responses = _table(responses)
    problems: list[Problem] = []
    missing = [i for i in ids if i not in responses.columns]
    if missing:
        problems.append(
            Problem(
                name,
                ", ".join(missing),
                (),
                N_("item column(s) of {name} missing").format(name=inst.name),
                N_(
                    "name the item columns by item id (e.g. rename the export's question "
                    "codes to {ids}, {what}, ...)"
                ).format(ids=ids[0], what=ids[1] if len(ids) > 1 else ids[0]),
            )
        )
        raise DataValidationError(problems)
    dup = [c for c in ids if list(responses.columns).count(c) > 1]
    if dup:
        raise DataValidationError(
            [Problem(name, ", ".join(dup), (), N_("column appears twice"), N_("keep one per item"))]
        )
    lo, hi = inst.scale_min, inst.scale_max
    plain = all(
        isinstance(responses[i].dtype, np.dtype) and responses[i].dtype.kind in "fiu" for i in ids
    )
    if plain:  # fast path: one block of plain numbers, checked all at once
        x = responses[ids].to_numpy(dtype=float, copy=True)
        with np.errstate(invalid="ignore"):
            ok = np.isnan(x) | ((x >= lo) & (x <= hi) & (x == np.round(x)))
        if ok.all():
            return x
    out = np.empty((len(responses), len(ids)), dtype=float)
    for j, item in enumerate(ids):
        values, found = _as_float(responses[item], item, name, first_row, inst)
        problems += found
        with np.errstate(invalid="ignore"):
            outside = ~np.isnan(values) & ((values < lo) | (values > hi))
            between = ~np.isnan(values) & ~outside & (values != np.round(values))
        if outside.any():
            problems.append(
                Problem(
                    name,
                    item,
                    _rows(outside, first_row),
                    N_("answer(s) {shown} outside the response scale {lo}-{hi} of {name}").format(
                        shown=_shown(_fmt(values[outside]), quote=False),
                        lo=lo,
                        hi=hi,
                        name=inst.name,
                    ),
                    N_(
                        "check the export's answer codes: {name} answers run from {lo} to "
                        "{hi}; recode the scale or leave the answer empty if it was not given"
                    ).format(name=inst.name, lo=lo, hi=hi),
                )
            )
        if between.any():
            problems.append(
                Problem(
                    name,
                    item,
                    _rows(between, first_row),
                    N_("answer(s) {shown} between two response options").format(
                        shown=_shown(_fmt(values[between]), quote=False)
                    ),
                    N_("answers of {name} are whole numbers {lo}-{hi}").format(
                        name=inst.name, lo=lo, hi=hi
                    ),
                )
            )
        out[:, j] = values
    if problems:
        raise DataValidationError(problems)
    return out


def _fmt(values: np.ndarray) -> np.ndarray:
    return np.array([f"{v:g}" for v in values])


def _norm_label(text: str) -> str:
    """A label as compared by :func:`recode_labels`: NFC, one space, casefolded, ' for ’."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u02bc", "'")
    return " ".join(text.split()).casefold()


def _label_codes(inst: Instrument, language: str | None) -> dict[str, int]:
    """Normalised label -> answer code, for one language or all those the instrument has."""
    defined = dict(inst.response_labels)
    if not any(defined.values()):
        raise InvalidArgumentError(
            "instrument",
            inst.name,
            N_(
                "add labels to its YAML definition (scale: {labels: {en: [...]}}) or "
                "export numeric answer codes"
            ),
            message=N_("{name} defines no response labels").format(name=inst.name),
        )
    if language is not None:
        if not defined.get(language):
            raise InvalidArgumentError(
                "language",
                language,
                one_of([k for k, v in defined.items() if v], language),
                message=N_("{name} has no response labels in {language!r}").format(
                    name=inst.name, language=language
                ),
            )
        defined = {language: defined[language]}
    codes: dict[str, int] = {}
    for lang, labels in sorted(defined.items()):
        for k, label in enumerate(labels):
            key, code = _norm_label(label), inst.scale_min + k
            if codes.setdefault(key, code) != code:
                raise InvalidArgumentError(
                    "language",
                    language,
                    N_("give language= to say which labels the export uses"),
                    message=N_(
                        "label {label!r} of {name} means {codes} in one language and {code} in "
                        "{lang!r}"
                    ).format(label=label, name=inst.name, codes=codes[key], code=code, lang=lang),
                )
    return codes


@overload
def recode_labels(
    responses: SurveyExport,
    instrument: Instrument | str,
    *,
    language: str | None = ...,
    items: Sequence[str] | None = ...,
    file: str | None = ...,
) -> SurveyExport: ...


@overload
def recode_labels(
    responses: pd.DataFrame,
    instrument: Instrument | str,
    *,
    language: str | None = ...,
    items: Sequence[str] | None = ...,
    file: str | None = ...,
) -> pd.DataFrame: ...


def recode_labels(
    responses: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    *,
    language: str | None = None,
    items: Sequence[str] | None = None,
    file: str | None = None,
) -> pd.DataFrame | SurveyExport:
    """Replace the response labels of an instrument's items by their answer codes.

    Google Forms, SurveyMonkey and Microsoft Forms export the label a respondent ticked
    (``"Plutôt d'accord"``), not its code; :func:`score` needs the codes. Each item column is
    recoded with the instrument's own labels (``Instrument.labels(language)``, lowest option
    = ``scale_min``). A label matches when it is the same text after Unicode (NFC)
    normalisation, with runs of spaces collapsed, case ignored and a typographic apostrophe
    (’) read as ``'``; nothing else is guessed. Answers that are already numbers are kept
    (their range is checked later by :func:`score`), blanks stay missing.

    Parameters
    ----------
    responses : DataFrame or SurveyExport
        One row per response, item columns named by item id (rename the platform's
        question codes first, e.g. ``Q1_1`` to ``emx_1``); other columns are returned
        unchanged.
    instrument : Instrument or str
        The instrument or its name (see :func:`~ementor_kit.survey.instruments.load_instrument`).
    language : str, optional
        Language of the labels in the export (``"fr"``, ``"en"`` ...); default: any
        language the instrument defines.
    items : sequence of str, optional
        Item columns to recode (default: all the instrument's items).
    file : str, optional
        Name used in error messages (default: the export's file, or ``"responses"``).

    Returns
    -------
    DataFrame or SurveyExport
        A copy with the item columns as whole-number codes (``Int64``, or ``float64`` when
        an answer was already a non-whole number), same index and columns; an export when
        an export was given (same file, rows and questions).

    Raises
    ------
    DataValidationError
        Listing every item column missing and, per column, every text answer that is
        neither a label of the instrument nor a number, with its spreadsheet rows.
    InvalidArgumentError
        When the instrument defines no labels (or none in ``language``), or ``items`` names
        an item the instrument does not have.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"emx_1": ["Plutôt d'accord", "strongly  AGREE", None],
    ...                    "emx_2": ["Pas du tout d'accord", "4", "Bof"]})
    >>> recode_labels(df, "emx", items=["emx_1"])
       emx_1                 emx_2
    0      4  Pas du tout d'accord
    1      5                     4
    2   <NA>                   Bof
    >>> recode_labels(df, "emx", items=["emx_1", "emx_2"])
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - responses, row 4, column 'emx_2': not a response label of EMX-8: 'Bof'. Fix: use the
      labels of EMX-8 (fr: Pas du tout d'accord, ...)...
    """
    inst = load_instrument(instrument)
    codes = _label_codes(inst, language)
    ids = _item_ids(inst, items)
    name, first_row = _source(responses, file)
    export, responses = responses, _table(responses)
    missing = [i for i in ids if i not in responses.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    name,
                    ", ".join(missing),
                    (),
                    N_("item column(s) of {name} missing").format(name=inst.name),
                    N_(
                        "name the item columns by item id (rename the export's question codes, "
                        "e.g. df.rename(columns={{'Q1_1': '{ids}', ...}}))"
                    ).format(ids=ids[0]),
                )
            ]
        )
    langs = sorted(k for k, v in dict(inst.response_labels).items() if v and language in (None, k))
    problems: list[Problem] = []
    out = responses.copy()
    for item in ids:
        col = responses[item]
        if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col):
            continue
        text = col.astype("str").str.strip()
        blank = col.isna().to_numpy() | text.eq("").to_numpy(dtype=bool, na_value=True)
        keys = [None if b else _norm_label(t) for t, b in zip(text.tolist(), blank, strict=True)]
        labelled = np.array([k is not None and k in codes for k in keys], dtype=bool)
        number = pd.to_numeric(text.mask(blank | labelled), errors="coerce")
        number = number.to_numpy(dtype=float, na_value=np.nan)
        bad = ~blank & ~labelled & np.isnan(number)
        if bad.any():
            # show the labels of the language most answers of this column are in
            used = [k for k, ok in zip(keys, labelled, strict=True) if ok]
            lang = max(langs, key=lambda g: sum(_norm_label(x) in used for x in inst.labels(g)))
            problems.append(
                Problem(
                    name,
                    item,
                    _rows(bad, first_row),
                    N_("not a response label of {name}: {shown}").format(
                        name=inst.name, shown=_shown(text.to_numpy()[bad])
                    ),
                    N_(
                        "use the labels of {name} ({lang}: {labels}), correct the answer or "
                        "leave it empty; give language= if the export is in another language"
                    ).format(name=inst.name, lang=lang, labels=", ".join(inst.labels(lang))),
                )
            )
            continue
        values = np.where(labelled, [codes.get(k, 0) if k else 0 for k in keys], number)
        values[blank] = np.nan
        whole = np.isnan(values) | (values == np.round(values))
        recoded = pd.Series(values, index=col.index, dtype="float64")
        out[item] = recoded.astype("Int64") if whole.all() else recoded
    if problems:
        raise DataValidationError(problems)
    return export.with_responses(out) if isinstance(export, SurveyExport) else out


def _reverse_in_place(x: np.ndarray, ids: Sequence[str], inst: Instrument) -> np.ndarray:
    rev = [j for j, i in enumerate(ids) if i in set(inst.reverse_keyed)]
    if rev:
        x[:, rev] = (inst.scale_min + inst.scale_max) - x[:, rev]
    return x


def reverse_key(
    responses: pd.DataFrame | SurveyExport, instrument: Instrument | str
) -> pd.DataFrame:
    """Recode reverse-keyed items as ``scale_min + scale_max - answer``.

    The bounds are the instrument's theoretical ones, never the observed minimum and
    maximum. Other columns are returned unchanged; item columns come back as float.

    Parameters
    ----------
    responses : DataFrame or SurveyExport
        One row per response, with a column per item of the instrument (named by item id)
        holding answer codes.
    instrument : Instrument or str
        The instrument answered (an :class:`~ementor_kit.survey.instruments.Instrument` or a
        built-in id).

    Returns
    -------
    DataFrame
        A copy with the instrument's items as float, reverse-keyed ones recoded.

    Raises
    ------
    DataValidationError
        Listing every missing item column and every answer that is not a number, not a
        whole number or outside the theoretical range, by row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"emx_3": [5, 2], "emx_4": [5, None]})
    >>> df = df.assign(**{f"emx_{i}": 3 for i in (1, 2, 5, 6, 7, 8)})
    >>> reverse_key(df, "emx")[["emx_3", "emx_4", "emx_6"]]
       emx_3  emx_4  emx_6
    0    5.0    1.0    3.0
    1    2.0    NaN    3.0
    """
    inst = load_instrument(instrument)
    x = _reverse_in_place(item_matrix(responses, inst), inst.item_ids, inst)
    out = _table(responses).copy()
    for j, item in enumerate(inst.item_ids):
        out[item] = x[:, j]
    return out


def _min_rule(inst: Instrument, min_answered: int | Mapping[str, int] | None) -> dict[str, int]:
    rule = {s.id: s.min_answered for s in inst.subscales}
    if min_answered is None:
        return rule
    if isinstance(min_answered, Mapping):
        unknown = [k for k in min_answered if k not in rule]
        if unknown:
            raise UnknownNameError(
                "min_answered",
                unknown,
                one_of(rule, str(unknown[0])),
                message=N_("min_answered names unknown subscale(s) {unknown} of {name}").format(
                    unknown=", ".join(map(str, unknown)), name=inst.name
                ),
            )
        rule.update(min_answered)
    else:
        rule = dict.fromkeys(rule, min_answered)
    for s in inst.subscales:
        m = rule[s.id]
        whole = not isinstance(m, bool) and isinstance(m, int | np.integer)
        if not whole or not 1 <= m <= len(s.items):
            raise (InvalidArgumentError if whole else ArgumentTypeError)(
                "min_answered",
                m,
                N_("give a whole number from 1 to {n}").format(n=len(s.items)),
                message=N_(
                    "min_answered={m!r} is impossible for subscale {id!r} of {name} ({n} items)"
                ).format(m=m, id=s.id, name=inst.name, n=len(s.items)),
            )
    return rule


def score(
    responses: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    *,
    min_answered: int | Mapping[str, int] | None = None,
    keep: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Subscale scores of every response, with the number of items answered.

    Reverse-keyed items are recoded against the theoretical bounds first; each subscale is
    then the mean (or, when the instrument says so, the sum) of its answered items. A
    response with fewer answered items than the minimum gets NaN for that subscale, and the
    number answered is always reported. A score with missing items is prorated: the mean of
    the answered items, times the number of items for a sum (:func:`scoring_rules` says it
    in words, :func:`scoring_counts` counts such scores; see also the instrument's
    ``scoring_note``).

    Parameters
    ----------
    responses : DataFrame or SurveyExport
        One row per response, item columns named by item id (raw text or numbers). With the
        export a reader returned, error messages name the file and its spreadsheet rows.
    instrument : Instrument or str
        The instrument or its name (see :func:`~ementor_kit.survey.instruments.load_instrument`).
    min_answered : int or mapping, optional
        Least number of answered items for a score: one number for every subscale, or
        ``{subscale: number}``; default: the instrument's own rule per subscale.
    keep : sequence of str, optional
        Columns of ``responses`` to carry over in front (default: those of
        :data:`META_COLUMNS` present).

    Returns
    -------
    DataFrame
        Same index as ``responses``; the kept columns, then for each subscale
        ``<instrument>_<subscale>`` (float) and ``<instrument>_<subscale>_n`` (items
        answered, int64).

    Raises
    ------
    DataValidationError
        When an item column is missing or an answer is not a number, not a response option or
        outside the theoretical range (each problem names the row and column).
    InvalidArgumentError
        ``keep`` names a column the responses do not have
        (:class:`~ementor_kit.errors.UnknownNameError`, also a ``KeyError``), or
        ``min_answered`` is not a whole number from 1 to a subscale's number of items.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"respondent_id": ["E001", "E002"],
    ...                    "emx_1": [4, 5], "emx_2": [2, None],
    ...                    "emx_3": [5, 4], "emx_4": [1, 2],
    ...                    "emx_5": [3, 3], "emx_6": [5, 1],
    ...                    "emx_7": [4, 4], "emx_8": [5, 4]})
    >>> score(df, "emx")[["respondent_id", "emx_usefulness", "emx_usefulness_n", "emx_trust",
    ...                   "emx_ease"]]
      respondent_id  emx_usefulness  emx_usefulness_n  emx_trust  emx_ease
    0          E001             3.0                 2        5.0       2.0
    1          E002             NaN                 1        4.0       4.0
    >>> score(df, "emx", min_answered=1)["emx_usefulness"].tolist()
    [3.0, 5.0]
    """
    inst = load_instrument(instrument)
    rule = _min_rule(inst, min_answered)
    export, responses = responses, _table(responses)
    if keep is None:
        keep = [c for c in META_COLUMNS if c in responses.columns]
    else:
        check_names("keep", keep, responses.columns, where=N_("the responses"))
    x = _reverse_in_place(item_matrix(export, inst), inst.item_ids, inst)
    answered = ~np.isnan(x)
    filled = np.where(answered, x, 0.0)
    pos = {item: j for j, item in enumerate(inst.item_ids)}
    # membership matrix (items x subscales): counts and sums of every subscale in two products
    # (answers are whole numbers, so the float sums are exact)
    member = np.zeros((len(inst.item_ids), len(inst.subscales)))
    for s, sub in enumerate(inst.subscales):
        member[[pos[i] for i in sub.items], s] = 1.0
    counts = answered.astype(float) @ member
    totals = filled @ member
    cols: dict[str, np.ndarray] = {}
    for s, sub in enumerate(inst.subscales):
        n = counts[:, s]
        with np.errstate(invalid="ignore", divide="ignore"):
            value = totals[:, s] / n
        if sub.method == "sum":
            value = value * len(sub.items)
        value[n < rule[sub.id]] = np.nan
        cols[f"{inst.id}_{sub.id}"] = value
        cols[f"{inst.id}_{sub.id}_n"] = np.rint(n).astype(np.int64)
    scores = pd.DataFrame(cols, index=responses.index)
    return pd.concat([responses[list(keep)], scores], axis=1)


def _how_many(low: int, high: int) -> str:
    """``"1"``, ``"1 or 2"``, ``"1 to 3"``: a range of item counts in words."""
    if low == high:
        return str(low)
    return f"{low} or {high}" if high == low + 1 else f"{low} to {high}"


def _rule_text(inst: Instrument, sub_id: str, n_items: int, method: str, least: int) -> str:
    """One subscale's scoring rule in words, from its settings."""
    what = f"{inst.name} {sub_id}: {method} of the {n_items} items"
    most = n_items - least
    if most == 0:
        return f"{what}; a response with any item unanswered gets no score (nothing is prorated)."
    item_s = "item" if most == 1 else "items"
    if method == "sum":
        how = f"the sum is prorated: the mean of the answered items times {n_items}"
    else:
        how = "the score is prorated: the mean of the answered items"
    return (
        f"{what}; with {_how_many(1, most)} {item_s} unanswered {how} (the same as giving each "
        f"unanswered item the respondent's own mean); with {most + 1} or more unanswered, "
        "no score."
    )


def scoring_rules(
    instrument: Instrument | str,
    *,
    min_answered: int | Mapping[str, int] | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """How :func:`score` scores each subscale, in numbers and in words.

    The words are generated from the same settings :func:`score` uses, so a text built from
    them (a report, a notebook) cannot claim another rule than the one applied.

    Parameters
    ----------
    instrument : Instrument or str
        The instrument or its name (see :func:`~ementor_kit.survey.instruments.load_instrument`).
    min_answered : int or mapping, optional
        As for :func:`score` (default: the instrument's own rule per subscale).
    lang : str, optional
        Language of the ``rule`` sentences (``"en"``, ``"fr"``; default the process
        language, :func:`~ementor_kit.i18n.set_language`); the other columns are the same in
        every language.

    Returns
    -------
    DataFrame
        One row per subscale: ``instrument``, ``subscale``, ``method`` (``"mean"`` or
        ``"sum"``), ``n_items``, ``min_answered``, ``max_missing`` (most unanswered items a
        prorated score allows) and ``rule`` (the sentence).

    Raises
    ------
    InvalidArgumentError
        ``min_answered`` is not a whole number from 1 to a subscale's number of items, or
        names an unknown subscale.

    Examples
    --------
    >>> rules = scoring_rules("gse")
    >>> rules[["subscale", "method", "n_items", "min_answered", "max_missing"]]
      subscale method  n_items  min_answered  max_missing
    0    total    sum       10             8            2
    >>> print(rules["rule"].iloc[0])
    GSE total: sum of the 10 items; with 1 or 2 items unanswered the sum is prorated: the
    mean of the answered items times 10 (the same as giving each unanswered item the
    respondent's own mean); with 3 or more unanswered, no score.
    >>> print(scoring_rules("gse", min_answered=10)["rule"].iloc[0])
    GSE total: sum of the 10 items; a response with any item unanswered gets no score
    (nothing is prorated).
    >>> print(scoring_rules("gse", min_answered=10, lang="fr")["rule"].iloc[0])
    GSE total : somme des 10 items ; une réponse avec un item sans réponse n'a pas de score
    (rien n'est extrapolé).
    """
    inst = load_instrument(instrument)
    rule = _min_rule(inst, min_answered)
    rows = [
        {
            "instrument": inst.name,
            "subscale": sub.id,
            "method": sub.method,
            "n_items": len(sub.items),
            "min_answered": rule[sub.id],
            "max_missing": len(sub.items) - rule[sub.id],
            "rule": translate_text(
                _rule_text(inst, sub.id, len(sub.items), sub.method, rule[sub.id]), lang
            ),
        }
        for sub in inst.subscales
    ]
    return pd.DataFrame(rows)


def scoring_counts(scores: pd.DataFrame, instrument: Instrument | str) -> pd.DataFrame:
    """How many scores of a :func:`score` result are complete, prorated or missing.

    Parameters
    ----------
    scores : DataFrame
        What :func:`score` returned for ``instrument`` (its ``<column>`` and
        ``<column>_n`` columns are read).
    instrument : Instrument or str
        The instrument scored.

    Returns
    -------
    DataFrame
        One row per subscale: ``subscale``, ``responses``, ``scored`` (= ``complete`` +
        ``prorated``), ``complete`` (every item answered), ``prorated`` (scored from fewer
        items, see :func:`scoring_rules`), ``too_few`` (some items answered, fewer than the
        minimum: no score) and ``unanswered`` (no item answered).

    Raises
    ------
    DataValidationError
        ``scores`` lacks a score column of the instrument (score it first).

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"gse_{i}" for i in range(1, 11)]
    >>> df = pd.DataFrame([[3] * 10, [3] * 9 + [None], [3] * 5 + [None] * 5, [None] * 10],
    ...                   columns=items)
    >>> scoring_counts(score(df, "gse"), "gse")
      subscale  responses  scored  complete  prorated  too_few  unanswered
    0    total          4       2         1         1        1           1
    """
    inst = load_instrument(instrument)
    rows = []
    for sub in inst.subscales:
        col = inst.column(sub.id)
        missing = [c for c in (col, f"{col}_n") if c not in scores.columns]
        if missing:
            raise DataValidationError(
                [
                    Problem(
                        "scores",
                        ", ".join(missing),
                        (),
                        N_("score column(s) of {name} missing").format(name=inst.name),
                        N_("pass what score(responses, {id!r}) returned").format(id=inst.id),
                    )
                ]
            )
        scored = scores[col].notna().to_numpy()
        n = scores[f"{col}_n"].to_numpy()
        rows.append(
            {
                "subscale": sub.id,
                "responses": len(scores),
                "scored": int(scored.sum()),
                "complete": int((scored & (n == len(sub.items))).sum()),
                "prorated": int((scored & (n < len(sub.items))).sum()),
                "too_few": int((~scored & (n > 0)).sum()),
                "unanswered": int((n == 0).sum()),
            }
        )
    return pd.DataFrame(rows)
