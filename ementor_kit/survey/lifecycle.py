"""Surveys of a pair's life: the latest pulse of each pair, and the closure questionnaire.

* :func:`latest_pulse` - per pair, the pulse (PULSE-4, ``load_instrument("pulse")``) of its
  latest pulse wave, both sides' scores, and whether it is low (below a threshold): the
  survey side of the check-in rule "a low pulse is a reason to contact the pair". Its rows
  with ``low`` true are in the form :func:`ementor_kit.graph.checkins.followup` takes as
  ``extra_reasons`` (``mentee_id, mentor_id, rule, reason``).
* :func:`closure_summary` - the closure questionnaire (CLOSE-4, ``load_instrument(
  "closure")``): its scores by side, and the reasons given for the end (``close_reason``,
  the codes of ``pairs.csv``'s ``end_reason``, or their French or English labels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ementor_kit._checks import check_choice, check_real
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.formatting import format_number
from ementor_kit.i18n.language import N_, translator
from ementor_kit.survey.agreement import _pairs_table, link_to_pairs
from ementor_kit.survey.instruments import Instrument, load_instrument
from ementor_kit.survey.readers import SurveyExport
from ementor_kit.survey.scoring import _source, _table, score
from ementor_kit.survey.waves import WavePlan, _split, wave_plan

__all__ = ["ClosureSummary", "closure_reasons", "closure_summary", "latest_pulse"]

LOW_PULSE_RULE = "low_pulse"
"""Name of the check-in rule a low pulse fires (``rule`` of :func:`latest_pulse`)."""

_ROLES = ("mentee", "mentor")


def _linked_scores(
    by_wave: Mapping[str, pd.DataFrame | SurveyExport],
    pairs: pd.DataFrame,
    inst: Instrument,
    column: str,
    id_col: str,
    role_col: str,
) -> pd.DataFrame:
    """One row per response linked to a pair: wave, role, pair ids and the score."""
    parts = []
    for w, responses in by_wave.items():
        file, first_row = _source(responses, None)
        table = _table(responses).reset_index(drop=True)
        if role_col not in table.columns:
            raise DataValidationError(
                [
                    Problem(
                        file,
                        role_col,
                        (),
                        N_("column missing: who answered (mentee or mentor)"),
                        N_(
                            "add {role_col} (mentee or mentor) or name the column with role_col="
                        ).format(role_col=role_col),
                    )
                ]
            )
        roles = table[role_col].astype("str").str.strip()
        bad = ~roles.isin(_ROLES).to_numpy()
        if bad.any():
            raise DataValidationError(
                [
                    Problem(
                        file,
                        role_col,
                        tuple(int(i) + first_row for i in np.flatnonzero(bad)),
                        N_("not mentee or mentor"),
                        N_("write mentee or mentor"),
                    )
                ]
            )
        scored = score(table, inst, keep=[])[column].to_numpy(dtype=float)
        for role in _ROLES:
            mine = (roles == role).to_numpy()
            if not mine.any():
                continue
            linked = link_to_pairs(table.loc[mine], pairs, role, id_col=id_col)
            ok = (linked["issue"] == "").to_numpy()
            parts.append(
                pd.DataFrame(
                    {
                        "wave": w,
                        "role": role,
                        "mentee_id": linked["mentee_id"].to_numpy()[ok],
                        "mentor_id": linked["mentor_id"].to_numpy()[ok],
                        "score": scored[mine][ok],
                    }
                )
            )
    if not parts:
        return pd.DataFrame(columns=["wave", "role", "mentee_id", "mentor_id", "score"])
    return pd.concat(parts, ignore_index=True)


_SIDES = {"mentee": N_("mentee"), "mentor": N_("mentor")}


def _reason(wave: str, side_scores: dict[str, float], threshold: float, lang: str | None) -> str:
    t = translator(lang)
    low = [
        f"{t.gettext(_SIDES[role])} {format_number(value, 2, t.lang)}"
        for role, value in side_scores.items()
        if value < threshold
    ]
    return t.gettext(N_("low pulse at {wave}: {scores} (below {threshold} of 5)")).format(
        wave=wave,
        scores=", ".join(low),
        threshold=f"{threshold:g}".replace(".", "," if t.lang == "fr" else "."),
    )


def latest_pulse(
    responses: Mapping[str, pd.DataFrame | SurveyExport] | pd.DataFrame | SurveyExport,
    pairs: pd.DataFrame,
    *,
    threshold: float = 3.0,
    subscale: str = "total",
    plan: WavePlan | Sequence[str] | Mapping[str, Any] | None = None,
    instrument: Instrument | str = "pulse",
    id_col: str = "respondent_id",
    role_col: str = "rater_role",
    wave_col: str = "wave",
    lang: str | None = None,
) -> pd.DataFrame:
    """Per pair, its latest pulse and whether it is low (a reason to contact the pair).

    The responses of every pulse wave are linked to their pair (the ``target_id`` a response
    names, else the respondent's only pair: see
    :func:`~ementor_kit.survey.agreement.link_to_pairs`; responses that cannot be linked are
    left out). A pair's latest pulse is the latest wave, in the declared order, that either
    side of the pair answered; only the answers of that wave count. It is low when a side's
    score there is below ``threshold``.

    Parameters
    ----------
    responses : mapping, DataFrame or SurveyExport
        Pulse answers: ``{wave: responses}`` or one table with a ``wave_col`` column; each
        with ``id_col``, ``role_col`` (``mentee``, ``mentor``) and the items.
    pairs : DataFrame
        The pairs (``mentee_id``, ``mentor_id``), e.g. ``pairs.csv``.
    threshold : float
        A score below it is low (default 3, the midpoint of the 1-5 scale).
    subscale : str
        The pulse score compared (``total``, ``relationship``, ``progress``, ``contact``).
    plan : WavePlan or declaration, optional
        Declared waves and their order (see :func:`~ementor_kit.survey.waves.wave_plan`);
        default the mapping's order, or for one table ``P<day>`` waves by day.
    instrument : Instrument or str
        The pulse instrument (default the built-in PULSE-4).
    id_col, role_col, wave_col : str
        Columns of respondent, side and wave.
    lang : str, optional
        Language of the ``reason`` sentences (``"en"``, ``"fr"``; default the process
        language, :func:`~ementor_kit.i18n.set_language`).

    Returns
    -------
    DataFrame
        One row per pair, in the order of ``pairs``: ``mentee_id``, ``mentor_id``, ``wave``
        (latest pulse wave, ``<NA>`` without any), ``mentee_score``, ``mentor_score`` (NaN
        when that side did not answer it), ``score`` (the lower of the two), ``low``,
        ``rule`` (``"low_pulse"`` when low, else ``""``) and ``reason`` (a sentence, ``""``
        when not low). ``table[table["low"]]`` is a valid ``extra_reasons`` of
        :func:`ementor_kit.graph.checkins.followup`.

    Raises
    ------
    DataValidationError
        A missing column, a side other than mentee or mentor, blank ids, invalid answers.
    InvalidArgumentError
        An unknown subscale, a threshold that is not a number, or a wave not in the plan.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M2"]})
    >>> items = {f"pulse_{i}": [4, 2, 4, 5] for i in range(1, 5)}
    >>> answers = pd.DataFrame({"respondent_id": ["E1", "E1", "M1", "E2"],
    ...                         "rater_role": ["mentee", "mentee", "mentor", "mentee"],
    ...                         "wave": ["P30", "P90", "P90", "P30"], **items})
    >>> out = latest_pulse(answers, pairs)
    >>> out[["mentee_id", "wave", "mentee_score", "mentor_score", "low", "rule"]]
      mentee_id wave  mentee_score  mentor_score    low       rule
    0        E1  P90           2.0           4.0   True  low_pulse
    1        E2  P30           5.0           NaN  False
    >>> out.loc[0, "reason"]
    'low pulse at P90: mentee 2.00 (below 3 of 5)'
    >>> latest_pulse(answers, pairs, lang="fr").loc[0, "reason"]
    'étape basse à P90 : mentoré·e 2,00 (sous 3 sur 5)'
    """
    check_real("threshold", threshold)
    inst = load_instrument(instrument)
    column = inst.column(subscale)
    table = _pairs_table(pairs).reset_index(drop=True)
    declared = None if plan is None else wave_plan(plan)
    by_wave, declared = _split(responses, declared, wave_col)
    linked = _linked_scores(by_wave, table, inst, column, id_col, role_col)
    order = {w: k for k, w in enumerate(declared.names)}
    linked["order"] = linked["wave"].map(order)
    rows = []
    groups = {k: g for k, g in linked.groupby(["mentee_id", "mentor_id"], sort=False)}
    for mentee, mentor in zip(table["mentee_id"], table["mentor_id"], strict=True):
        g = groups.get((mentee, mentor))
        if g is None or g.empty:
            rows.append((mentee, mentor, pd.NA, np.nan, np.nan, np.nan, False, "", ""))
            continue
        last = g[g["order"] == g["order"].max()]
        wave = str(last["wave"].iloc[0])
        sides = {
            role: float(last.loc[last["role"] == role, "score"].iloc[-1])
            for role in _ROLES
            if (last["role"] == role).any()
        }
        answered = {r: v for r, v in sides.items() if not np.isnan(v)}
        low_score = min(answered.values()) if answered else np.nan
        low = bool(answered) and low_score < threshold
        rows.append(
            (
                mentee,
                mentor,
                wave,
                sides.get("mentee", np.nan),
                sides.get("mentor", np.nan),
                low_score,
                low,
                LOW_PULSE_RULE if low else "",
                _reason(wave, answered, threshold, lang) if low else "",
            )
        )
    cols = ["mentee_id", "mentor_id", "wave", "mentee_score", "mentor_score", "score", "low"]
    out = pd.DataFrame(rows, columns=[*cols, "rule", "reason"])
    out["wave"] = out["wave"].astype("string")
    out["low"] = out["low"].astype(bool)
    return out


# --------------------------------------------------------------------------- closure


@dataclass(frozen=True)
class _ReasonQuestion:
    column: str
    texts: dict[str, str]
    choices: dict[str, dict[str, str]]


def _reason_question() -> _ReasonQuestion:
    """The closure questionnaire's reason question (``reason_question`` of closure.yaml)."""
    path = resources.files("ementor_kit.survey").joinpath("instrument_defs/closure.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["reason_question"]
    return _ReasonQuestion(
        str(data["column"]),
        {str(k): str(v) for k, v in data["text"].items()},
        {str(c): {str(k): str(v) for k, v in t.items()} for c, t in data["choices"].items()},
    )


def closure_reasons(lang: str = "en") -> pd.DataFrame:
    """The choices of the closure questionnaire's reason question, with their wording.

    Parameters
    ----------
    lang : {"en", "fr"}
        Language of the labels.

    Returns
    -------
    DataFrame
        ``code`` (as ``pairs.csv``'s ``end_reason``) and ``label``, in the questionnaire's
        order; ``.attrs["question"]`` holds the question and ``.attrs["column"]`` the
        answer's column (``close_reason``).

    Examples
    --------
    >>> closure_reasons("fr").head(2)
                  code                                          label
    0        completed  Nous sommes allés au bout du programme prévu
    1  programme_ended                      Le programme s'est terminé
    >>> closure_reasons().attrs["column"]
    'close_reason'
    """
    check_choice("lang", lang, ("en", "fr"))
    q = _reason_question()
    out = pd.DataFrame(
        {"code": list(q.choices), "label": [t[lang] for t in q.choices.values()]}, dtype="str"
    )
    out.attrs.update(question=q.texts[lang], column=q.column)
    return out


@dataclass(frozen=True, eq=False)
class ClosureSummary:
    """Result of :func:`closure_summary`.

    Attributes
    ----------
    scores : DataFrame
        One row per response: ``respondent_id``, ``rater_role``, ``close_reason`` (the
        code, ``""`` when not answered) and the CLOSE-4 scores with their ``_n`` counts.
    by_role : DataFrame
        One row per subscale and side: ``subscale``, ``label``, ``rater_role``, ``n``,
        ``mean``, ``sd``.
    reasons : DataFrame
        One row per reason code: ``code``, ``label``, ``mentee``, ``mentor`` (responses
        giving it), ``total``; a last row ``not_answered``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"respondent_id": ["E1", "M1"], "rater_role": ["mentee", "mentor"],
    ...                    "close_reason": ["completed", "Le programme s'est terminé"],
    ...                    **{f"closure_{i}": [5, 4] for i in range(1, 5)}})
    >>> res = closure_summary(df)
    >>> res.scores["close_reason"].tolist()
    ['completed', 'programme_ended']
    """

    scores: pd.DataFrame
    by_role: pd.DataFrame
    reasons: pd.DataFrame


def _reason_codes(raw: pd.Series, file: str, first_row: int) -> pd.Series:
    """Reason answers as codes: a code, or its French or English label (case ignored)."""
    q = _reason_question()
    lookup = {c.casefold(): c for c in q.choices}
    for code, texts in q.choices.items():
        lookup.update({t.casefold(): code for t in texts.values()})
    text = raw.astype("str").str.strip()
    blank = (raw.isna() | text.eq("")).to_numpy()
    codes = text.str.casefold().map(lookup)
    bad = codes.isna().to_numpy() & ~blank
    if bad.any():
        shown = ", ".join(repr(v) for v in dict.fromkeys(text[bad].tolist()[:5]))
        raise DataValidationError(
            [
                Problem(
                    file,
                    q.column,
                    tuple(int(i) + first_row for i in np.flatnonzero(bad)),
                    N_("not a closure reason: {shown}").format(shown=shown),
                    N_("write one of {choices} (or its label), or leave it empty").format(
                        choices=", ".join(q.choices)
                    ),
                )
            ]
        )
    return codes.where(~blank, "").astype("str")


def closure_summary(
    responses: pd.DataFrame | SurveyExport,
    *,
    lang: str = "en",
    role_col: str = "rater_role",
    id_col: str = "respondent_id",
) -> ClosureSummary:
    """Score the closure questionnaire and count the reasons given for the end.

    Parameters
    ----------
    responses : DataFrame or SurveyExport
        CLOSE-4 answers (``closure_1`` .. ``closure_4``), with ``role_col`` and, when the
        reason was asked, ``close_reason`` (a code of :func:`closure_reasons` or its label).
    lang : {"en", "fr"}
        Language of the reason labels.
    role_col, id_col : str
        Columns of the side (``mentee``, ``mentor``) and of the respondent.

    Returns
    -------
    ClosureSummary
        Scores per response, means by side, reasons counted by side.

    Raises
    ------
    DataValidationError
        A missing column, a reason that is not one of the choices (rows named), a side other
        than mentee or mentor, invalid answers.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"respondent_id": ["E1", "E2", "M1"],
    ...                    "rater_role": ["mentee", "mentee", "mentor"],
    ...                    "close_reason": ["completed", "mentor_left", "completed"],
    ...                    "closure_1": [5, 2, 4], "closure_2": [4, 2, 4],
    ...                    "closure_3": [5, 3, 5], "closure_4": [5, 1, 4]})
    >>> res = closure_summary(df)
    >>> res.reasons.head(4)[["code", "mentee", "mentor", "total"]]
                  code  mentee  mentor  total
    0        completed       1       1      2
    1  programme_ended       0       0      0
    2      mentee_left       0       0      0
    3      mentor_left       1       0      1
    >>> res.by_role.query("subscale == 'achieved'")[["rater_role", "n", "mean"]]
      rater_role  n  mean
    0     mentee  2  3.25
    1     mentor  1  4.00
    """
    check_choice("lang", lang, ("en", "fr"))
    inst = load_instrument("closure")
    file, first_row = _source(responses, None)
    table = _table(responses).reset_index(drop=True)
    missing = [c for c in (role_col, id_col) if c not in table.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(file, c, (), N_("column missing"), N_("add the column {c}").format(c=c))
                for c in missing
            ]
        )
    roles = table[role_col].astype("str").str.strip()
    bad = ~roles.isin(_ROLES).to_numpy()
    if bad.any():
        raise DataValidationError(
            [
                Problem(
                    file,
                    role_col,
                    tuple(int(i) + first_row for i in np.flatnonzero(bad)),
                    N_("not mentee or mentor"),
                    N_("write mentee or mentor"),
                )
            ]
        )
    column = _reason_question().column
    if column in table.columns:
        codes = _reason_codes(table[column], file, first_row)
    else:
        codes = pd.Series([""] * len(table), dtype="str")
    scored = score(responses, inst, keep=[]).reset_index(drop=True)
    scores = pd.concat(
        [
            pd.DataFrame(
                {
                    id_col: table[id_col].astype("str").str.strip(),
                    "rater_role": roles,
                    "close_reason": codes,
                }
            ),
            scored,
        ],
        axis=1,
    )
    means = []
    for sub in inst.subscales:
        col = inst.column(sub.id)
        for role in _ROLES:
            v = scores.loc[scores["rater_role"] == role, col].dropna()
            means.append(
                {
                    "subscale": sub.id,
                    "label": sub.label,
                    "rater_role": role,
                    "n": len(v),
                    "mean": float(v.mean()) if len(v) else np.nan,
                    "sd": float(v.std(ddof=1)) if len(v) > 1 else np.nan,
                }
            )
    reasons = closure_reasons(lang)
    counts = pd.crosstab(scores["close_reason"], scores["rater_role"])
    rows = []
    for code, label in [*zip(reasons["code"], reasons["label"], strict=True), ("", "")]:
        n = {
            r: int(counts.at[code, r]) if code in counts.index and r in counts else 0
            for r in _ROLES
        }
        rows.append(
            {
                "code": code or "not_answered",
                "label": label,
                **n,
                "total": n["mentee"] + n["mentor"],
            }
        )
    return ClosureSummary(scores, pd.DataFrame(means), pd.DataFrame(rows))
