"""Change between waves and differences between groups, with their effect sizes.

Effect sizes and their sources
------------------------------
* Paired designs (:func:`compare_waves`), with diff = T1 - T0 over the n complete pairs:
  ``d_z = mean(diff) / sd(diff)`` (Cohen 1988), ``d_av = mean(diff) / sqrt((s0^2 + s1^2)/2)``
  (Cumming 2012; Lakens 2013, eq. 10), and ``g_av = d_av * J(n - 1)`` with Hedges' exact
  small-sample factor ``J(m) = Gamma(m/2) / (sqrt(m/2) * Gamma((m-1)/2))`` (Hedges 1981;
  Hedges & Olkin 1985, eq. 5.7). For matched groups the degrees of freedom are n - 1, the
  number of pairs minus one (Borenstein, Hedges, Higgins & Rothstein 2009, *Introduction to
  Meta-Analysis*, ch. 4), not 2n - 2: pingouin's paired Hedges correction treats the data as
  2n independent observations, and its paired ``cohen_d`` is d_av without its sign. Signs
  here are kept: positive means higher at T1.
* The Wilcoxon signed-rank test of :func:`compare_waves` is ``scipy.stats.wilcoxon`` with its
  defaults, stated here because they decide the p-value: zero differences are dropped
  (``zero_method="wilcox"``), tied absolute differences get their average rank, and the
  statistic ``wilcoxon_w`` is the smaller of the two rank sums W+ and W-. The p-value
  (``method="auto"``) is exact (the null distribution of W) when at most 50 pairs remain with
  no ties and no zeros; with ties or zeros and at most 13 pairs it is a permutation test over
  all sign flips; otherwise it is the normal approximation with the tie-corrected variance
  ``(n(n+1)(2n+1) - sum(t^3 - t)/2) / 24`` and no continuity correction
  (``correction=False``). Survey scores with their many ties over 50 pairs use the normal
  approximation (R's ``wilcox.test(exact = NULL, correct = FALSE)`` gives the same p).
* Independent groups (:func:`compare_groups`): Welch's t with Welch-Satterthwaite degrees of
  freedom and its confidence interval; ``g = (mean_a - mean_b) / s_pooled * J(n_a + n_b - 2)``.

Agreement between mentor and mentee is in :mod:`ementor_kit.survey.agreement`, sample size
planning in :mod:`ementor_kit.survey.power`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from ementor_kit._checks import check_level, one_of
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem, UnknownNameError
from ementor_kit.i18n.language import N_
from ementor_kit.survey.instruments import Instrument, load_instrument
from ementor_kit.survey.readers import SurveyExport
from ementor_kit.survey.scoring import _as_float, _source, _table, score

__all__ = [
    "WaveComparison",
    "compare_groups",
    "compare_waves",
    "hedges_j",
    "paired_scores",
]


def hedges_j(df: float) -> float:
    """Hedges' exact small-sample correction factor J(df) for a standardised mean difference.

    ``J(m) = Gamma(m/2) / (sqrt(m/2) * Gamma((m-1)/2))`` (Hedges 1981); close to
    ``1 - 3/(4m - 1)``.

    Parameters
    ----------
    df : float
        Degrees of freedom of the standard deviation used (``m``).

    Returns
    -------
    float
        ``J(df)``, below 1; NaN when ``df <= 1``.

    Examples
    --------
    >>> round(hedges_j(2), 4), round(hedges_j(4), 4), round(hedges_j(100), 4)
    (0.5642, 0.7979, 0.9925)
    """
    if df <= 1:
        return float("nan")
    return float(np.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / np.sqrt(df / 2))


# --------------------------------------------------------------------------- waves


@dataclass(frozen=True, eq=False)
class WaveComparison:
    """Result of :func:`compare_waves`.

    Attributes
    ----------
    effects : DataFrame
        One row per subscale: pairs analysed, means, mean difference (T1 - T0) with CI,
        paired t and Wilcoxon tests, d_z, d_av, g_av.
    attrition : DataFrame
        One row per subscale: who answered T0 but not T1 (dropouts) and whether they differed
        at T0 from those who answered both (Welch t, Hedges g, dropouts minus completers).
    unpaired : DataFrame
        Respondents present in one wave only (``id``, ``status`` = ``"T0 only"`` or
        ``"T1 only"``).

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"gse_{i}" for i in range(1, 11)]
    >>> t0 = pd.DataFrame({"respondent_id": [f"E{i}" for i in range(6)],
    ...                    **{item: [2, 3, 2, 3, 2, 3] for item in items}})
    >>> t1 = pd.DataFrame({"respondent_id": [f"E{i}" for i in range(5)],
    ...                    **{item: [3, 3, 3, 4, 2] for item in items}})
    >>> res = compare_waves(t0, t1, "gse")
    >>> res.attrition[["subscale", "n_both", "n_dropouts", "mean_t0_dropouts"]]
      subscale  n_both  n_dropouts  mean_t0_dropouts
    0    total       5           1              30.0
    """

    effects: pd.DataFrame
    attrition: pd.DataFrame
    unpaired: pd.DataFrame


def _ids(df: pd.DataFrame | SurveyExport, id_col: str, what: str) -> pd.Series:
    file, first_row = _source(df, None)
    df = _table(df, what.lower())
    if id_col not in df.columns:
        raise DataValidationError(
            [
                Problem(
                    file,
                    id_col,
                    (),
                    N_("{what}: id column missing").format(what=what),
                    N_("pass id_col= the column identifying respondents ({columns}, ...)").format(
                        columns=", ".join(df.columns[:6])
                    ),
                )
            ]
        )
    ids = df[id_col].astype("str").str.strip()
    blank = (df[id_col].isna() | ids.eq("")).to_numpy()
    problems = []
    if blank.any():
        problems.append(
            Problem(
                file,
                id_col,
                tuple(int(i) + first_row for i in np.flatnonzero(blank)),
                N_("{what}: response without respondent id").format(what=what),
                N_("fill in the id, or remove the response and report it as unidentifiable"),
            )
        )
    dup = ids.duplicated(keep=False).to_numpy() & ~blank
    if dup.any():
        problems.append(
            Problem(
                file,
                id_col,
                tuple(int(i) + first_row for i in np.flatnonzero(dup)),
                N_("{what}: respondent(s) {unique} answered more than once").format(
                    what=what, unique=", ".join(pd.unique(ids[dup])[:5])
                ),
                N_("keep one response per respondent and wave (e.g. the last complete one)"),
            )
        )
    if problems:
        raise DataValidationError(problems)
    return ids


def _welch(a: np.ndarray, b: np.ndarray, level: float) -> dict[str, float]:
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    na, nb = len(a), len(b)
    nan = float("nan")
    out = {
        "n_a": na,
        "n_b": nb,
        "mean_a": float(a.mean()) if na else nan,
        "mean_b": float(b.mean()) if nb else nan,
        "sd_a": float(a.std(ddof=1)) if na > 1 else nan,
        "sd_b": float(b.std(ddof=1)) if nb > 1 else nan,
    }
    out["diff"] = out["mean_a"] - out["mean_b"]
    if na < 2 or nb < 2:
        return {**out, "ci_low": nan, "ci_high": nan, "t": nan, "df": nan, "p": nan, "g": nan}
    va, vb = out["sd_a"] ** 2 / na, out["sd_b"] ** 2 / nb
    se = np.sqrt(va + vb)
    dfw = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1)) if se > 0 else nan
    t = out["diff"] / se if se > 0 else nan
    q = stats.t.ppf(0.5 + level / 2, dfw) if se > 0 else nan
    sp = np.sqrt(((na - 1) * out["sd_a"] ** 2 + (nb - 1) * out["sd_b"] ** 2) / (na + nb - 2))
    g = out["diff"] / sp * hedges_j(na + nb - 2) if sp > 0 else nan
    return {
        **out,
        "ci_low": out["diff"] - q * se,
        "ci_high": out["diff"] + q * se,
        "t": t,
        "df": dfw,
        "p": float(2 * stats.t.sf(abs(t), dfw)) if se > 0 else nan,
        "g": g,
    }


def _paired(x0: np.ndarray, x1: np.ndarray, level: float) -> dict[str, float]:
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    nan = float("nan")
    n = len(x0)
    d = x1 - x0
    out: dict[str, float] = {
        "n_pairs": n,
        "mean_t0": float(x0.mean()) if n else nan,
        "mean_t1": float(x1.mean()) if n else nan,
        "sd_t0": float(x0.std(ddof=1)) if n > 1 else nan,
        "sd_t1": float(x1.std(ddof=1)) if n > 1 else nan,
        "mean_diff": float(d.mean()) if n else nan,
    }
    keys = ("ci_low", "ci_high", "t", "df", "p_t", "wilcoxon_w", "p_wilcoxon", "d_z", "d_av")
    if n < 2:
        return {**out, **dict.fromkeys(keys, nan), "g_av": nan}
    sd_d = float(d.std(ddof=1))
    se = sd_d / np.sqrt(n)
    q = stats.t.ppf(0.5 + level / 2, n - 1)
    t = out["mean_diff"] / se if se > 0 else nan
    p_t = float(2 * stats.t.sf(abs(t), n - 1)) if se > 0 else nan
    if np.any(d != 0):
        w = stats.wilcoxon(d, zero_method="wilcox", correction=False, method="auto")
        w_stat, p_w = float(w.statistic), float(w.pvalue)
    else:
        w_stat, p_w = nan, nan
    s_av = np.sqrt((out["sd_t0"] ** 2 + out["sd_t1"] ** 2) / 2)
    d_av = out["mean_diff"] / s_av if s_av > 0 else nan
    return {
        **out,
        "ci_low": out["mean_diff"] - q * se,
        "ci_high": out["mean_diff"] + q * se,
        "t": t,
        "df": float(n - 1),
        "p_t": p_t,
        "wilcoxon_w": w_stat,
        "p_wilcoxon": p_w,
        "d_z": out["mean_diff"] / sd_d if sd_d > 0 else nan,
        "d_av": d_av,
        "g_av": d_av * hedges_j(n - 1),
    }


def paired_scores(
    t0: pd.DataFrame | SurveyExport,
    t1: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    id_col: str = "respondent_id",
    *,
    min_answered: int | dict[str, int] | None = None,
) -> pd.DataFrame:
    """Each respondent's subscale scores in two waves, side by side.

    Parameters
    ----------
    t0, t1 : DataFrame or SurveyExport
        Responses of the first and second wave, one row per respondent in each wave (with
        exports, problems name the files' rows).
    instrument : Instrument or str
    id_col : str
        Column identifying respondents in both waves (ids are compared as text, stripped).
    min_answered : int or mapping, optional
        Passed to :func:`~ementor_kit.survey.scoring.score`.

    Returns
    -------
    DataFrame
        One row per respondent of either wave: ``id_col``, ``status`` (``"both"``,
        ``"T0 only"`` or ``"T1 only"``; in that order, ids sorted within each), then
        ``<instrument>_<subscale>_t0`` and ``_t1`` for every subscale (NaN when the wave was
        not answered or too few items were).

    Raises
    ------
    DataValidationError
        Missing id column, blank ids, a respondent answering twice in one wave, or invalid
        answers.

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"gse_{i}" for i in range(1, 11)]
    >>> t0 = pd.DataFrame({"respondent_id": ["E2", "E1", "E3"],
    ...                    **{item: [2, 3, 2] for item in items}})
    >>> t1 = pd.DataFrame({"respondent_id": ["E1", "E2", "E4"],
    ...                    **{item: [3, 3, 4] for item in items}})
    >>> paired_scores(t0, t1, "gse")
      respondent_id   status  gse_total_t0  gse_total_t1
    0            E1     both          30.0          30.0
    1            E2     both          20.0          30.0
    2            E3  T0 only          20.0           NaN
    3            E4  T1 only           NaN          40.0
    """
    inst = load_instrument(instrument)
    id0 = _ids(t0, id_col, "T0")
    id1 = _ids(t1, id_col, "T1")
    s0 = score(t0, inst, min_answered=min_answered, keep=[]).set_axis(id0.to_numpy(), axis=0)
    s1 = score(t1, inst, min_answered=min_answered, keep=[]).set_axis(id1.to_numpy(), axis=0)
    seen0, seen1 = set(s0.index), set(s1.index)
    both = sorted(seen0 & seen1)
    only0, only1 = sorted(seen0 - seen1), sorted(seen1 - seen0)
    order = both + only0 + only1
    cols = [f"{inst.id}_{sub.id}" for sub in inst.subscales]
    out = pd.DataFrame(
        {
            id_col: pd.array(order, dtype="str"),
            "status": pd.array(
                ["both"] * len(both) + ["T0 only"] * len(only0) + ["T1 only"] * len(only1),
                dtype="str",
            ),
        }
    )
    w0 = s0[cols].reindex(order).to_numpy(dtype=float)
    w1 = s1[cols].reindex(order).to_numpy(dtype=float)
    for j, col in enumerate(cols):
        out[f"{col}_t0"] = w0[:, j]
        out[f"{col}_t1"] = w1[:, j]
    return out


def compare_waves(
    t0: pd.DataFrame | SurveyExport,
    t1: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    id_col: str = "respondent_id",
    *,
    min_answered: int | dict[str, int] | None = None,
    ci: float = 0.95,
) -> WaveComparison:
    """Change in each subscale between two waves, paired by respondent.

    Parameters
    ----------
    t0, t1 : DataFrame or SurveyExport
        Responses of the first and second wave (item columns named by item id), one row per
        respondent in each wave (with exports, problems name the files' rows).
    instrument : Instrument or str
        The instrument answered at both waves (an :class:`Instrument` or a built-in id).
    id_col : str
        Column identifying respondents in both waves (pseudonymise it first if it holds
        personal data: the same key links the waves).
    min_answered : int or mapping, optional
        Passed to :func:`~ementor_kit.survey.scoring.score`.
    ci : float
        Level of the confidence intervals.

    Returns
    -------
    WaveComparison
        ``.effects`` (per subscale: ``n_pairs``, ``n_excluded`` = pairs without a score in
        one wave, ``mean_t0``, ``mean_t1``, ``sd_t0``, ``sd_t1``, ``mean_diff``, ``ci_low``,
        ``ci_high``, ``t``, ``df``, ``p_t``, ``wilcoxon_w``, ``p_wilcoxon``, ``d_z``,
        ``d_av``, ``g_av``), ``.attrition`` and ``.unpaired`` (see :class:`WaveComparison`).

    Raises
    ------
    DataValidationError
        Missing id column, blank ids, a respondent answering twice in one wave, or invalid
        answers.
    InvalidArgumentError
        ``ci`` not strictly between 0 and 1.

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"gse_{i}" for i in range(1, 11)]
    >>> t0 = pd.DataFrame({"respondent_id": [f"E{i}" for i in range(6)],
    ...                    **{item: [2, 3, 2, 3, 2, 3] for item in items}})
    >>> t1 = pd.DataFrame({"respondent_id": [f"E{i}" for i in range(5)],
    ...                    **{item: [3, 3, 3, 4, 2] for item in items}})
    >>> res = compare_waves(t0, t1, "gse")
    >>> res.effects[["subscale", "n_pairs", "mean_t0", "mean_t1", "mean_diff", "d_z"]]
      subscale  n_pairs  mean_t0  mean_t1  mean_diff       d_z
    0    total        5     24.0     30.0        6.0  1.095445
    >>> res.unpaired
        id   status
    0   E5  T0 only
    """
    check_level("ci", ci)
    inst = load_instrument(instrument)
    ps = paired_scores(t0, t1, inst, id_col, min_answered=min_answered)
    is_both = (ps["status"] == "both").to_numpy()
    is_only0 = (ps["status"] == "T0 only").to_numpy()
    n_t0, n_t1 = int((ps["status"] != "T1 only").sum()), int((ps["status"] != "T0 only").sum())
    effects, attrition = [], []
    for sub in inst.subscales:
        col = f"{inst.id}_{sub.id}"
        a = ps[f"{col}_t0"].to_numpy(dtype=float)[is_both]
        b = ps[f"{col}_t1"].to_numpy(dtype=float)[is_both]
        ok = ~np.isnan(a) & ~np.isnan(b)
        effects.append(
            {
                "subscale": sub.id,
                "label": sub.label,
                **_paired(a[ok], b[ok], ci),
                "n_excluded": int((~ok).sum()),
            }
        )
        drop = ps[f"{col}_t0"].to_numpy(dtype=float)[is_only0]
        w = _welch(drop[~np.isnan(drop)], a[~np.isnan(a)], ci)
        attrition.append(
            {
                "subscale": sub.id,
                "n_t0": n_t0,
                "n_t1": n_t1,
                "n_both": int(is_both.sum()),
                "n_dropouts": int(is_only0.sum()),
                "n_t1_only": int((ps["status"] == "T1 only").sum()),
                "mean_t0_dropouts": w["mean_a"],
                "mean_t0_completers": w["mean_b"],
                "n_dropouts_scored": w["n_a"],
                "n_completers_scored": w["n_b"],
                "diff": w["diff"],
                "ci_low": w["ci_low"],
                "ci_high": w["ci_high"],
                "t": w["t"],
                "df": w["df"],
                "p": w["p"],
                "g": w["g"],
            }
        )
    cols = [
        "subscale",
        "label",
        "n_pairs",
        "n_excluded",
        "mean_t0",
        "mean_t1",
        "sd_t0",
        "sd_t1",
        "mean_diff",
        "ci_low",
        "ci_high",
        "t",
        "df",
        "p_t",
        "wilcoxon_w",
        "p_wilcoxon",
        "d_z",
        "d_av",
        "g_av",
    ]
    unpaired = ps.loc[~is_both, [id_col, "status"]].rename(columns={id_col: "id"})
    return WaveComparison(
        pd.DataFrame(effects)[cols], pd.DataFrame(attrition), unpaired.reset_index(drop=True)
    )


# --------------------------------------------------------------------------- groups


def _require_columns(scores: pd.DataFrame, names: Sequence[str], file: str) -> None:
    """:class:`DataValidationError` naming every one of ``names`` that ``scores`` lacks."""
    absent = [c for c in names if c not in scores.columns]
    if absent:
        raise DataValidationError(
            [
                Problem(
                    file,
                    c,
                    (),
                    N_("column missing"),
                    N_("name a column of the table ({columns}{what})").format(
                        columns=", ".join(map(str, scores.columns[:8])),
                        what=", ..." if len(scores.columns) > 8 else "",
                    ),
                )
                for c in absent
            ]
        )


@dataclass(frozen=True, eq=False)
class _Groups:
    """Rows of the two groups compared (``in_a``, ``in_b``) and of any group (``has_group``)."""

    a: str
    b: str
    in_a: np.ndarray
    in_b: np.ndarray
    has_group: np.ndarray


def _two_groups(raw: pd.Series, group: str, groups: Sequence[str] | None) -> _Groups:
    """The two groups to compare: ``groups``, or the only two values of column ``group``."""
    has_group = raw.notna().to_numpy()
    label = raw.astype("str")
    present = sorted(pd.unique(label[has_group]))
    if groups is None:
        if len(present) != 2:
            raise InvalidArgumentError(
                "groups",
                None,
                N_("pass groups=(a, b) to choose the two to compare"),
                message=N_("column {group!r} holds {n} groups ({present})").format(
                    group=group, n=len(present), present=", ".join(present[:6])
                ),
            )
        groups = present
    if isinstance(groups, str) or not hasattr(groups, "__len__") or len(groups) != 2:
        raise InvalidArgumentError(
            "groups",
            groups,
            N_("pass the two groups to compare, e.g. groups={present!r}").format(
                present=tuple(present[:2])
            ),
        )
    masks = []
    for g in groups:
        # a group is matched by value (1 matches 1.0) or by its text (pass "1" for 1)
        same = (raw == g).to_numpy(dtype=bool, na_value=False) | (label == str(g)).to_numpy(
            dtype=bool, na_value=False
        )
        if not same.any():
            raise UnknownNameError(
                "groups",
                g,
                one_of(present, str(g)),
                message=N_("group {g!r} does not occur in column {group!r}").format(
                    g=g, group=group
                ),
            )
        masks.append(same & has_group)
    in_a, in_b = masks
    if (in_a & in_b).any():
        raise InvalidArgumentError(
            "groups",
            groups,
            N_("name two different groups"),
            message=N_("groups {groups!r} name the same group twice").format(groups=groups),
        )
    ga, gb = (str(g) for g in groups)
    return _Groups(ga, gb, in_a, in_b, has_group)


def _default_score_columns(scores: pd.DataFrame, group: str) -> list[str]:
    """Numeric, non-boolean columns other than ``group`` and the item counts ``*_n``."""
    return [
        c
        for c in scores.columns
        if c != group
        and pd.api.types.is_numeric_dtype(scores[c])
        and not pd.api.types.is_bool_dtype(scores[c])
        and not str(c).endswith("_n")
    ]


def _group_row(variable: object, v: np.ndarray, g: _Groups, ci: float) -> dict[str, object]:
    """One row of :func:`compare_groups`: Welch's test of one score ``v`` between the groups."""
    a, b = v[g.in_a], v[g.in_b]
    w = _welch(a[~np.isnan(a)], b[~np.isnan(b)], ci)
    return {
        "variable": variable,
        "group_a": g.a,
        "group_b": g.b,
        "n_a": w["n_a"],
        "n_b": w["n_b"],
        "n_missing": int(np.isnan(a).sum() + np.isnan(b).sum()),
        "n_no_group": int((~g.has_group).sum()),
        "n_other_group": int((g.has_group & ~g.in_a & ~g.in_b).sum()),
        "mean_a": w["mean_a"],
        "mean_b": w["mean_b"],
        "sd_a": w["sd_a"],
        "sd_b": w["sd_b"],
        "diff": w["diff"],
        "ci_low": w["ci_low"],
        "ci_high": w["ci_high"],
        "t": w["t"],
        "df": w["df"],
        "p": w["p"],
        "hedges_g": w["g"],
    }


def compare_groups(
    scores: pd.DataFrame,
    group: str,
    *,
    columns: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Compare two groups on each score: Welch's t test, its CI and Hedges' g.

    Parameters
    ----------
    scores : DataFrame
        One row per respondent (or pair), e.g. the output of
        :func:`~ementor_kit.survey.scoring.score` joined with a grouping column.
    group : str
        Column holding the group of each row (exactly two groups, or pick them with
        ``groups``). Rows without a group are counted in ``n_no_group``, rows of another
        group in ``n_other_group``.
    columns : sequence of str, optional
        Scores to compare (default: numeric columns except item counts ``*_n``).
    groups : pair, optional
        The two groups, in the order a, b (default: the two values, sorted as text). Each
        must occur in ``group``.
    ci : float
        Level of the interval of the difference ``mean_a - mean_b``.

    Returns
    -------
    DataFrame
        One row per score: ``variable``, ``group_a``, ``group_b``, ``n_a``, ``n_b``,
        ``n_missing`` (rows of the two groups without this score), ``n_no_group``,
        ``n_other_group``, ``mean_a``, ``mean_b``, ``sd_a``, ``sd_b``, ``diff``, ``ci_low``,
        ``ci_high``, ``t``, ``df`` (Welch-Satterthwaite), ``p``, ``hedges_g`` (pooled SD,
        exact J).

    Raises
    ------
    DataValidationError
        A column is missing, or a score is text that is not a number (rows named).
    InvalidArgumentError
        Not exactly two groups, a group of ``groups`` that does not occur
        (:class:`~ementor_kit.errors.UnknownNameError`), or ``ci`` not between 0 and 1.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"mode": ["sync"] * 4 + ["async"] * 4,
    ...                    "wai_total": [4.0, 4.5, 3.5, 4.0, 3.0, 3.5, 3.0, 2.5]})
    >>> out = compare_groups(df, "mode", groups=("sync", "async"))
    >>> out[["variable", "n_a", "n_b", "diff", "t", "hedges_g"]].round(3)
        variable  n_a  n_b  diff      t  hedges_g
    0  wai_total    4    4   1.0  3.464     2.129
    """
    check_level("ci", ci)
    file, first_row = _source(scores, None)
    _require_columns(scores, [group, *(columns or ())], file)
    g = _two_groups(scores[group], group, groups)
    if columns is None:
        columns = _default_score_columns(scores, group)
    values, problems = {}, []
    for c in columns:
        values[c], found = _as_float(scores[c], str(c), file, first_row)
        problems += found
    if problems:
        raise DataValidationError(problems)
    return pd.DataFrame([_group_row(c, values[c], g, ci) for c in columns])
