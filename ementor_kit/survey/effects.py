"""Outcome analyses: change between waves, mentor-mentee agreement, group comparisons, power.

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
* Independent groups (:func:`compare_groups`): Welch's t with Welch-Satterthwaite degrees of
  freedom and its confidence interval; ``g = (mean_a - mean_b) / s_pooled * J(n_a + n_b - 2)``.
* ICCs (:func:`icc`, :func:`dyad_agreement`) from the two-way ANOVA of n targets by k raters,
  with the F-based confidence intervals of McGraw & Wong (1996), Tables 7-8.
* r_wg(J) (James, Demaree & Wolf 1984) per dyad over a subscale's items:
  ``J (1 - v/e) / (J (1 - v/e) + v/e)``, v the mean within-dyad item variance, e =
  (A^2 - 1)/12 the variance of a uniform answer over A options; set to 0 when v > e
  (LeBreton & Senter 2008). With one item it is ``1 - v/e`` (R ``multilevel::rwg``).
* Sample size (:func:`plan_sample_size`): exact power of the t test from the noncentral t
  distribution (as G*Power), two-sided by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.survey.instruments import Instrument, list_instruments, load_instrument
from ementor_kit.survey.scoring import _as_float, _reverse_in_place, _source, item_matrix, score

__all__ = [
    "DyadAgreement",
    "SampleSizePlan",
    "WaveComparison",
    "compare_groups",
    "compare_waves",
    "dyad_agreement",
    "hedges_j",
    "icc",
    "link_to_pairs",
    "paired_scores",
    "plan_sample_size",
    "t_test_power",
]


def hedges_j(df: float) -> float:
    """Hedges' exact small-sample correction factor J(df) for a standardised mean difference.

    ``J(m) = Gamma(m/2) / (sqrt(m/2) * Gamma((m-1)/2))`` (Hedges 1981); close to
    ``1 - 3/(4m - 1)``.

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
    """

    effects: pd.DataFrame
    attrition: pd.DataFrame
    unpaired: pd.DataFrame


def _ids(df: pd.DataFrame, id_col: str, what: str) -> pd.Series:
    file, first_row = _source(df, None)
    if id_col not in df.columns:
        raise DataValidationError(
            [
                Problem(
                    file,
                    id_col,
                    (),
                    f"{what}: id column missing",
                    f"pass id_col= the column identifying respondents ({', '.join(df.columns[:6])}"
                    ", ...)",
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
                f"{what}: response without respondent id",
                "fill in the id, or remove the response and report it as unidentifiable",
            )
        )
    dup = ids.duplicated(keep=False).to_numpy() & ~blank
    if dup.any():
        problems.append(
            Problem(
                file,
                id_col,
                tuple(int(i) + first_row for i in np.flatnonzero(dup)),
                f"{what}: respondent(s) {', '.join(pd.unique(ids[dup])[:5])} answered more "
                "than once",
                "keep one response per respondent and wave (e.g. the last complete one)",
            )
        )
    if problems:
        raise DataValidationError(problems)
    return ids


def _welch(a: np.ndarray, b: np.ndarray, level: float) -> dict[str, float]:
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
        w = stats.wilcoxon(d)
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
    t0: pd.DataFrame,
    t1: pd.DataFrame,
    instrument: Instrument | str,
    id_col: str = "respondent_id",
    *,
    min_answered: int | dict[str, int] | None = None,
) -> pd.DataFrame:
    """Each respondent's subscale scores in two waves, side by side.

    Parameters
    ----------
    t0, t1 : DataFrame
        Responses of the first and second wave, one row per respondent in each wave.
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
    t0: pd.DataFrame,
    t1: pd.DataFrame,
    instrument: Instrument | str,
    id_col: str = "respondent_id",
    *,
    min_answered: int | dict[str, int] | None = None,
    ci: float = 0.95,
) -> WaveComparison:
    """Change in each subscale between two waves, paired by respondent.

    Parameters
    ----------
    t0, t1 : DataFrame
        Responses of the first and second wave (item columns named by item id), one row per
        respondent in each wave.
    instrument : Instrument or str
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
    ValueError
        Not exactly two groups, or a group of ``groups`` that does not occur.

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
    file, first_row = _source(scores, None)
    absent = [c for c in [group, *(columns or ())] if c not in scores.columns]
    if absent:
        raise DataValidationError(
            [
                Problem(
                    file,
                    c,
                    (),
                    "column missing",
                    f"name a column of the table ({', '.join(map(str, scores.columns[:8]))}"
                    f"{', ...' if len(scores.columns) > 8 else ''})",
                )
                for c in absent
            ]
        )
    raw = scores[group]
    has_group = raw.notna().to_numpy()
    label = raw.astype("str")
    present = sorted(pd.unique(label[has_group]))
    if groups is None:
        if len(present) != 2:
            raise ValueError(
                f"column {group!r} holds {len(present)} groups ({', '.join(present[:6])}); "
                "pass groups=(a, b) to choose the two to compare"
            )
        groups = present
    if isinstance(groups, str) or len(groups) != 2:
        raise ValueError(f"groups must be a pair (a, b), got {groups!r}")
    masks = []
    for g in groups:
        # a group is matched by value (1 matches 1.0) or by its text (pass "1" for 1)
        same = (raw == g).to_numpy(dtype=bool, na_value=False) | (label == str(g)).to_numpy(
            dtype=bool, na_value=False
        )
        if not same.any():
            raise ValueError(
                f"group {g!r} does not occur in column {group!r}, which holds "
                f"{', '.join(present[:6])}{', ...' if len(present) > 6 else ''}"
            )
        masks.append(same & has_group)
    in_a, in_b = masks
    if (in_a & in_b).any():
        raise ValueError(f"groups {groups!r} name the same group twice")
    ga, gb = (str(g) for g in groups)
    if columns is None:
        columns = [
            c
            for c in scores.columns
            if c != group
            and pd.api.types.is_numeric_dtype(scores[c])
            and not pd.api.types.is_bool_dtype(scores[c])
            and not str(c).endswith("_n")
        ]
    values, problems = {}, []
    for c in columns:
        values[c], found = _as_float(scores[c], str(c), file, first_row)
        problems += found
    if problems:
        raise DataValidationError(problems)
    n_other = int((has_group & ~in_a & ~in_b).sum())
    rows = []
    for c in columns:
        v = values[c]
        a, b = v[in_a], v[in_b]
        w = _welch(a[~np.isnan(a)], b[~np.isnan(b)], ci)
        rows.append(
            {
                "variable": c,
                "group_a": ga,
                "group_b": gb,
                "n_a": w["n_a"],
                "n_b": w["n_b"],
                "n_missing": int(np.isnan(a).sum() + np.isnan(b).sum()),
                "n_no_group": int((~has_group).sum()),
                "n_other_group": n_other,
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
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- ICC


def _anova_two_way(x: np.ndarray) -> tuple[float, float, float, float]:
    """Mean squares of rows (targets), columns (raters), error, and within-target."""
    n, k = x.shape
    grand = x.mean()
    ss_r = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_c = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_t = ((x - grand) ** 2).sum()
    ss_e = ss_t - ss_r - ss_c
    msr = ss_r / (n - 1)
    msc = ss_c / (k - 1)
    mse = ss_e / ((n - 1) * (k - 1))
    msw = (ss_c + ss_e) / (n * (k - 1))
    return msr, msc, mse, msw


def icc(ratings: pd.DataFrame | np.ndarray, *, ci: float = 0.95) -> pd.DataFrame:
    """Intraclass correlations of n targets rated by the same k raters (McGraw & Wong 1996).

    Parameters
    ----------
    ratings : DataFrame or 2-D array
        One row per target (e.g. a mentee-mentor pair), one column per rater (e.g. mentee,
        mentor). Rows with a missing rating are dropped and counted in ``n_dropped``.
    ci : float
        Level of the F-based confidence intervals.

    Returns
    -------
    DataFrame
        Rows ``ICC(1)``, ``ICC(A,1)``, ``ICC(C,1)``, ``ICC(k)``, ``ICC(A,k)``, ``ICC(C,k)``
        (one-way; two-way absolute agreement; two-way consistency; single and average
        measures); columns ``type``, ``icc``, ``F``, ``df1``, ``df2``, ``p``, ``ci_low``,
        ``ci_high``, ``n``, ``k``, ``n_dropped``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6],
    ...               [10, 5, 6, 9], [6, 2, 4, 7]])   # Shrout & Fleiss (1979), Table 2
    >>> icc(x).set_index("type")["icc"].round(2)
    type
    ICC(1)      0.17
    ICC(A,1)    0.29
    ICC(C,1)    0.71
    ICC(k)      0.44
    ICC(A,k)    0.62
    ICC(C,k)    0.91
    Name: icc, dtype: float64
    """
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2 or x.shape[1] < 2:
        raise ValueError("ratings must be a table of targets x raters with at least two raters")
    keep = ~np.isnan(x).any(axis=1)
    dropped = int((~keep).sum())
    x = x[keep]
    n, k = x.shape
    if n < 2:
        raise ValueError(f"at least two fully rated targets are needed, got {n}")
    msr, msc, mse, msw = _anova_two_way(x)
    g = 1 - ci
    nan = float("nan")

    def fq(p: float, d1: float, d2: float) -> float:
        return float(stats.f.ppf(p, d1, d2))

    rows = []
    # one-way random, single and average
    f1 = msr / msw if msw > 0 else nan
    df1, df2 = n - 1, n * (k - 1)
    fl, fu = f1 / fq(1 - g / 2, df1, df2), f1 * fq(1 - g / 2, df2, df1)
    icc_1 = (msr - msw) / (msr + (k - 1) * msw)
    rows.append(("ICC(1)", icc_1, f1, df1, df2, (fl - 1) / (fl + k - 1), (fu - 1) / (fu + k - 1)))
    # two-way consistency
    fc = msr / mse if mse > 0 else nan
    d1, d2 = n - 1, (n - 1) * (k - 1)
    fl_c, fu_c = fc / fq(1 - g / 2, d1, d2), fc * fq(1 - g / 2, d2, d1)
    icc_c1 = (msr - mse) / (msr + (k - 1) * mse)
    # two-way absolute agreement (McGraw & Wong 1996, Table 7, case 2A)
    icc_a1 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    a = k * icc_a1 / (n * (1 - icc_a1))
    b = 1 + k * icc_a1 * (n - 1) / (n * (1 - icc_a1))
    v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / d2)
    fs_l = fq(1 - g / 2, n - 1, v)
    fs_u = fq(1 - g / 2, v, n - 1)
    low_a1 = n * (msr - fs_l * mse) / (fs_l * (k * msc + (k * n - k - n) * mse) + n * msr)
    high_a1 = n * (fs_u * msr - mse) / (k * msc + (k * n - k - n) * mse + n * fs_u * msr)
    low_ak = n * (msr - fs_l * mse) / (fs_l * (msc - mse) + n * msr)
    high_ak = n * (fs_u * msr - mse) / (msc - mse + n * fs_u * msr)
    rows.append(("ICC(A,1)", icc_a1, fc, d1, d2, low_a1, high_a1))
    rows.append(
        ("ICC(C,1)", icc_c1, fc, d1, d2, (fl_c - 1) / (fl_c + k - 1), (fu_c - 1) / (fu_c + k - 1))
    )
    rows.append(("ICC(k)", (msr - msw) / msr, f1, df1, df2, 1 - 1 / fl, 1 - 1 / fu))
    rows.append(("ICC(A,k)", (msr - mse) / (msr + (msc - mse) / n), fc, d1, d2, low_ak, high_ak))
    rows.append(("ICC(C,k)", (msr - mse) / msr, fc, d1, d2, 1 - 1 / fl_c, 1 - 1 / fu_c))
    out = pd.DataFrame(rows, columns=["type", "icc", "F", "df1", "df2", "ci_low", "ci_high"])
    out["p"] = stats.f.sf(out["F"], out["df1"], out["df2"])
    out["n"], out["k"], out["n_dropped"] = n, k, dropped
    out = out[["type", "icc", "F", "df1", "df2", "p", "ci_low", "ci_high", "n", "k", "n_dropped"]]
    return out.astype({"df1": float, "df2": float})


# --------------------------------------------------------------------------- dyads


@dataclass(frozen=True, eq=False)
class DyadAgreement:
    """Result of :func:`dyad_agreement`.

    Attributes
    ----------
    summary : DataFrame
        One row per (instrument, subscale): ``n_pairs``, ICC(A,1) and ICC(C,1) with CIs,
        mean and median r_wg(J) and the number of pairs with r_wg(J) >= 0.70 (over the same
        complete pairs).
    per_pair : DataFrame
        One row per matched pair: ``mentee_id``, ``mentor_id``, mentee and mentor scores
        and r_wg(J) per subscale.
    unmatched : DataFrame
        Every response not used: ``role``, ``respondent_id``, ``target_id``, ``issue``
        (``"partner did not answer"``, ``"no pair"``, ``"not a pair"``,
        ``"partner unknown"``, ``"duplicate"``) and ``reason`` in words.
    """

    summary: pd.DataFrame
    per_pair: pd.DataFrame
    unmatched: pd.DataFrame


def _rwg_j(a: np.ndarray, b: np.ndarray, n_options: int) -> np.ndarray:
    """r_wg(J) of two raters per row over the columns answered by both."""
    both = ~np.isnan(a) & ~np.isnan(b)
    j = both.sum(axis=1)
    var = np.where(both, (a - b) ** 2 / 2, 0.0).sum(axis=1)  # variance of two values, ddof=1
    e = (n_options**2 - 1) / 12
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = var / j / e
        r = j * (1 - ratio) / (j * (1 - ratio) + ratio)
    r[ratio > 1] = 0.0
    r[j == 0] = np.nan
    return r


def link_to_pairs(
    ratings: pd.DataFrame,
    pairs: pd.DataFrame,
    role: str,
    *,
    id_col: str = "respondent_id",
    target_col: str = "target_id",
) -> pd.DataFrame:
    """The pair each response rates, or why that cannot be told.

    A response names the person it rates in ``target_col``; when that column is absent or
    empty, a respondent with exactly one partner in ``pairs`` rates that partner. Two
    responses rating the same pair from the same side are both left out (keep one first).

    Parameters
    ----------
    ratings : DataFrame
        Responses of one side (e.g. ``mentee_t1``), one row each.
    pairs : DataFrame
        The pairs (columns ``mentee_id``, ``mentor_id``).
    role : {"mentee", "mentor"}
        Who answered.
    id_col, target_col : str
        Columns holding the respondent and, when given, the person rated.

    Returns
    -------
    DataFrame
        One row per response, same index and order: ``respondent_id``, ``target_id`` (as
        given, ``""`` when empty), ``mentee_id`` and ``mentor_id`` of the pair (missing when
        not linked), ``issue`` (``""`` when linked, else ``"no pair"``, ``"not a pair"``,
        ``"partner unknown"`` or ``"duplicate"``) and ``reason`` in words.

    Raises
    ------
    DataValidationError
        ``pairs`` lacks ``mentee_id`` or ``mentor_id``, or ``ratings`` lacks ``id_col``.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "mentor_id": ["M1", "M2", "M2"]})
    >>> mentor = pd.DataFrame({"respondent_id": ["M1", "M2", "M2", "M9"],
    ...                        "target_id": [None, "E3", "E1", None]})
    >>> link_to_pairs(mentor, pairs, "mentor")[["respondent_id", "mentee_id", "issue"]]
      respondent_id mentee_id       issue
    0            M1        E1
    1            M2        E3
    2            M2       NaN  not a pair
    3            M9       NaN     no pair
    """
    if role not in ("mentee", "mentor"):
        raise ValueError(f"role must be 'mentee' or 'mentor', got {role!r}")
    pairs = _pairs_table(pairs)
    file, _ = _source(ratings, None)
    if id_col not in ratings.columns:
        raise DataValidationError(
            [
                Problem(
                    file,
                    id_col,
                    (),
                    f"{role} responses: id column missing",
                    f"pass id_col= the column identifying respondents "
                    f"({', '.join(map(str, ratings.columns[:6]))}, ...)",
                )
            ]
        )
    own = "mentee_id" if role == "mentee" else "mentor_id"
    other = "mentor_id" if role == "mentee" else "mentee_id"
    partners = pairs.groupby(own)[other].agg(lambda s: sorted(set(s))).to_dict()
    known = set(zip(pairs["mentee_id"], pairs["mentor_id"], strict=True))
    me = ratings[id_col].astype("str").str.strip().to_numpy(dtype=object, na_value=None)
    if target_col in ratings.columns:
        tcol = ratings[target_col]
        target = tcol.astype("str").str.strip().to_numpy(dtype=object, na_value="")
        target = np.where(tcol.isna().to_numpy(), "", target)
    else:
        target = np.full(len(ratings), "", dtype=object)
    n = len(ratings)
    mentee, mentor = [None] * n, [None] * n
    issue, reason = [""] * n, [""] * n
    for i in range(n):
        resp, tgt = me[i], target[i]
        if tgt:
            pair = (resp, tgt) if role == "mentee" else (tgt, resp)
            if pair in known:
                mentee[i], mentor[i] = pair
            else:
                issue[i], reason[i] = "not a pair", f"{resp} and {tgt} are not a pair in pairs"
            continue
        options = partners.get(resp, [])
        if len(options) == 1:
            pair = (resp, options[0]) if role == "mentee" else (options[0], resp)
            mentee[i], mentor[i] = pair
        elif not options:
            issue[i], reason[i] = "no pair", f"{role} {resp} has no pair in pairs"
        else:
            issue[i] = "partner unknown"
            reason[i] = (
                f"{role} {resp} has {len(options)} partners and the response does not say "
                f"which one it rates (add a {target_col!r} column)"
            )
    out = pd.DataFrame(
        {
            "respondent_id": pd.array(me, dtype="str"),
            "target_id": pd.array(target, dtype="str"),
            "mentee_id": pd.array(mentee, dtype="str"),
            "mentor_id": pd.array(mentor, dtype="str"),
        },
        index=ratings.index,
    )
    linked = out["mentee_id"].notna()
    dup = (linked & out.duplicated(["mentee_id", "mentor_id"], keep=False)).to_numpy()
    for i in np.flatnonzero(dup):
        issue[i] = "duplicate"
        reason[i] = (
            f"pair {mentee[i]}-{mentor[i]} rated more than once by the {role}; keep one response"
        )
    out.loc[dup, ["mentee_id", "mentor_id"]] = pd.NA
    out["issue"] = pd.array(issue, dtype="str")
    out["reason"] = pd.array(reason, dtype="str")
    return out


def _pairs_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` with stripped text ids; a missing id column or a blank id is reported."""
    for need in ("mentee_id", "mentor_id"):
        if need not in pairs.columns:
            raise DataValidationError(
                [Problem("pairs", need, (), "column missing", "pass the pairs table (pairs.csv)")]
            )
    out = pairs.assign(
        mentee_id=pairs["mentee_id"].astype("str").str.strip(),
        mentor_id=pairs["mentor_id"].astype("str").str.strip(),
    )
    problems = []
    for col in ("mentee_id", "mentor_id"):
        blank = (out[col].isna() | out[col].eq("")).to_numpy(dtype=bool, na_value=True)
        if blank.any():
            problems.append(
                Problem(
                    "pairs",
                    col,
                    tuple(int(i) + 2 for i in np.flatnonzero(blank)),
                    "pair without this id",
                    "fill in both ids of every pair (or validate pairs.csv first)",
                )
            )
    if problems:
        raise DataValidationError(problems)
    return out


def dyad_agreement(
    mentor_ratings: pd.DataFrame,
    mentee_ratings: pd.DataFrame,
    pairs: pd.DataFrame,
    instrument: Instrument | str | Sequence[Instrument | str] | None = None,
    *,
    id_col: str = "respondent_id",
    target_col: str = "target_id",
    min_answered: int | dict[str, int] | None = None,
    ci: float = 0.95,
) -> DyadAgreement:
    """Agreement between mentor and mentee on the same dyadic instrument.

    Each mentor response is linked to the mentee it rates (``target_col``, or the mentor's
    only mentee in ``pairs``); each mentee response to its mentor likewise. For every
    subscale, ICC(A,1) (absolute agreement) and ICC(C,1) (consistency) are computed over the
    complete pairs with the McGraw & Wong (1996) F-based intervals, and r_wg(J) within each
    pair over the subscale's items (reverse-keyed first).

    Parameters
    ----------
    mentor_ratings, mentee_ratings : DataFrame
        Responses of mentors and mentees (e.g. ``mentor_t1`` and ``mentee_t1``).
    pairs : DataFrame
        The pairs (columns ``mentee_id``, ``mentor_id``).
    instrument : Instrument, str, sequence of them, or None
        Instrument(s) rated by both sides; default: every built-in instrument whose items are
        all present in both tables.
    id_col, target_col : str
        Columns holding the respondent and, when given, the person rated.
    min_answered : int or mapping, optional
        Passed to :func:`~ementor_kit.survey.scoring.score`.
    ci : float
        Level of the ICC intervals.

    Returns
    -------
    DyadAgreement
        ``.summary``, ``.per_pair`` and ``.unmatched`` (every response not used, with the
        reason; pairs where only one side answered are listed there too).

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"wai_{i}" for i in range(1, 13)]
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"],
    ...                       "mentor_id": ["M1", "M2", "M3", "M4"]})
    >>> mentee = pd.DataFrame([[f"E{i}", *[v] * 12] for i, v in [(1, 5), (2, 4), (3, 3), (4, 2)]],
    ...                       columns=["respondent_id", *items])
    >>> mentor = pd.DataFrame([[f"M{i}", *[v] * 12] for i, v in [(1, 5), (2, 4), (3, 4), (4, 2)]],
    ...                       columns=["respondent_id", *items])
    >>> res = dyad_agreement(mentor, mentee, pairs, "wai")
    >>> res.summary[["subscale", "n_pairs", "icc_a1", "icc_c1", "rwg_mean"]].round(3)
      subscale  n_pairs  icc_a1  icc_c1  rwg_mean
    0     task        4   0.923   0.923     0.981
    1     bond        4   0.923   0.923     0.981
    2     goal        4   0.923   0.923     0.981
    3    total        4   0.923   0.923     0.993
    """
    pairs = _pairs_table(pairs)
    if instrument is None:
        builtins = [load_instrument(i) for i in list_instruments()["id"]]
        insts = [
            i
            for i in builtins
            if set(i.item_ids) <= set(mentor_ratings.columns)
            and set(i.item_ids) <= set(mentee_ratings.columns)
        ]
        if not insts:
            raise ValueError(
                "no built-in instrument has all its items in both tables; pass instrument="
            )
    elif isinstance(instrument, Instrument | str):
        insts = [load_instrument(instrument)]
    else:
        insts = [load_instrument(i) for i in instrument]
    sides = []
    unmatched: list[dict[str, str]] = []
    for ratings, role in ((mentee_ratings, "mentee"), (mentor_ratings, "mentor")):
        link = link_to_pairs(ratings, pairs, role, id_col=id_col, target_col=target_col)
        ok = (link["issue"] == "").to_numpy()
        cols = ["respondent_id", "target_id", "issue", "reason"]
        unmatched += link.loc[~ok, cols].assign(role=role).to_dict("records")
        sides.append(
            ratings[ok].assign(
                _mentee=link["mentee_id"].to_numpy()[ok], _mentor=link["mentor_id"].to_numpy()[ok]
            )
        )
    mentee_l, mentor_l = sides
    key = ["_mentee", "_mentor"]
    merged = mentee_l[key].merge(mentor_l[key], on=key, how="outer", indicator=True)
    for _, row in merged[merged["_merge"] != "both"].iterrows():
        side = "mentee" if row["_merge"] == "left_only" else "mentor"
        unmatched.append(
            {
                "role": side,
                "respondent_id": row["_mentee"] if side == "mentee" else row["_mentor"],
                "target_id": row["_mentor"] if side == "mentee" else row["_mentee"],
                "issue": "partner did not answer",
                "reason": f"only the {side} of pair {row['_mentee']}-{row['_mentor']} answered",
            }
        )
    matched = merged[merged["_merge"] == "both"][key].sort_values(key).reset_index(drop=True)
    e_rows = mentee_l.set_index(key).loc[pd.MultiIndex.from_frame(matched)]
    m_rows = mentor_l.set_index(key).loc[pd.MultiIndex.from_frame(matched)]
    e_rows.attrs, m_rows.attrs = mentee_ratings.attrs, mentor_ratings.attrs
    per_pair = matched.rename(columns={"_mentee": "mentee_id", "_mentor": "mentor_id"})
    summary = []
    for inst in insts:
        se = score(e_rows, inst, min_answered=min_answered, keep=[]).reset_index(drop=True)
        sm = score(m_rows, inst, min_answered=min_answered, keep=[]).reset_index(drop=True)
        xe = _reverse_in_place(item_matrix(e_rows, inst), inst.item_ids, inst)
        xm = _reverse_in_place(item_matrix(m_rows, inst), inst.item_ids, inst)
        pos = {item: j for j, item in enumerate(inst.item_ids)}
        for sub in inst.subscales:
            col = f"{inst.id}_{sub.id}"
            idx = [pos[i] for i in sub.items]
            both = np.column_stack([se[col].to_numpy(), sm[col].to_numpy()])
            complete = ~np.isnan(both).any(axis=1)
            rwg = np.where(complete, _rwg_j(xe[:, idx], xm[:, idx], inst.n_options), np.nan)
            per_pair[f"{col}_mentee"] = se[col].to_numpy()
            per_pair[f"{col}_mentor"] = sm[col].to_numpy()
            per_pair[f"{col}_rwg"] = rwg
            row = {
                "instrument": inst.name,
                "subscale": sub.id,
                "n_pairs": int(complete.sum()),
                "n_incomplete": int((~complete).sum()),
            }
            if complete.sum() >= 2:
                t = icc(both[complete], ci=ci).set_index("type")
                row.update(
                    icc_a1=t.loc["ICC(A,1)", "icc"],
                    icc_a1_low=t.loc["ICC(A,1)", "ci_low"],
                    icc_a1_high=t.loc["ICC(A,1)", "ci_high"],
                    icc_c1=t.loc["ICC(C,1)", "icc"],
                    icc_c1_low=t.loc["ICC(C,1)", "ci_low"],
                    icc_c1_high=t.loc["ICC(C,1)", "ci_high"],
                )
            else:
                row.update(
                    dict.fromkeys(
                        ["icc_a1", "icc_a1_low", "icc_a1_high", "icc_c1", "icc_c1_low"]
                        + ["icc_c1_high"],
                        float("nan"),
                    )
                )
            ok = rwg[~np.isnan(rwg)]
            row.update(
                rwg_mean=float(ok.mean()) if len(ok) else float("nan"),
                rwg_median=float(np.median(ok)) if len(ok) else float("nan"),
                n_rwg_70=int((ok >= 0.7).sum()),
            )
            summary.append(row)
    unmatched_df = pd.DataFrame(
        unmatched, columns=["role", "respondent_id", "target_id", "issue", "reason"]
    )
    unmatched_df = unmatched_df.sort_values(["role", "respondent_id", "target_id"], kind="stable")
    return DyadAgreement(pd.DataFrame(summary), per_pair, unmatched_df.reset_index(drop=True))


# --------------------------------------------------------------------------- power


@dataclass(frozen=True)
class SampleSizePlan:
    """Result of :func:`plan_sample_size`.

    Attributes
    ----------
    n : int
        Pairs (paired design) or respondents per group (two independent groups).
    n_total : int
        Respondents to analyse in total (``n`` pairs, or ``2 n``).
    power_achieved : float
        Power of the t test with ``n``.
    effect_size, power, alpha : float
        The inputs.
    paired : bool
    alternative : str
    """

    n: int
    n_total: int
    power_achieved: float
    effect_size: float
    power: float
    alpha: float
    paired: bool
    alternative: str


def _t_power(d: float, n: int, alpha: float, paired: bool, two_sided: bool) -> float:
    df = n - 1 if paired else 2 * n - 2
    ncp = d * np.sqrt(n) if paired else d * np.sqrt(n / 2)
    if two_sided:
        crit = stats.t.ppf(1 - alpha / 2, df)
        return float(stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))
    crit = stats.t.ppf(1 - alpha, df)
    return float(stats.nct.sf(crit, df, ncp))


def t_test_power(
    effect_size: float,
    n: int,
    *,
    alpha: float = 0.05,
    paired: bool = True,
    alternative: str = "two-sided",
) -> float:
    """Power of the t test for a standardised effect with a given sample (noncentral t).

    Parameters
    ----------
    effect_size : float
        d_z for a paired design, Cohen's d for two independent groups of equal size; with
        ``"one-sided"`` a positive effect is one in the expected direction.
    n : int
        Pairs (paired), or respondents per group.
    alpha : float
    paired : bool
    alternative : {"two-sided", "one-sided"}

    Returns
    -------
    float
        The probability of rejecting the null hypothesis; 0 when ``n < 2`` (no test).

    Examples
    --------
    >>> round(t_test_power(0.5, 34), 3)      # the n plan_sample_size(0.5) gives
    0.808
    >>> round(t_test_power(0.5, 64, paired=False), 3)
    0.801
    """
    if alternative not in ("two-sided", "one-sided"):
        raise ValueError("alternative must be 'two-sided' or 'one-sided'")
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    if not np.isfinite(effect_size):
        raise ValueError("effect_size must be a finite number")
    if n < 2:
        return 0.0
    return _t_power(effect_size, int(n), alpha, paired, alternative == "two-sided")


def plan_sample_size(
    effect_size: float,
    power: float = 0.8,
    alpha: float = 0.05,
    paired: bool = True,
    *,
    alternative: str = "two-sided",
) -> SampleSizePlan:
    """Smallest sample giving the wanted power to a t test, from the noncentral t.

    Parameters
    ----------
    effect_size : float
        Standardised effect expected: d_z (mean change / sd of change) for a paired design,
        Cohen's d for two independent groups of equal size.
    power : float
        Wanted probability of detecting the effect.
    alpha : float
        Type I error rate.
    paired : bool
        Paired (pre/post) design, else two independent groups.
    alternative : {"two-sided", "one-sided"}
        One-sided tests look for an effect in the expected direction only.

    Returns
    -------
    SampleSizePlan
        ``.n`` (pairs, or per group), ``.n_total``, ``.power_achieved``.

    Examples
    --------
    >>> plan_sample_size(0.5).n            # pairs, d_z = 0.5 (G*Power: 34)
    34
    >>> plan_sample_size(0.5, paired=False).n_total   # 64 per group
    128
    """
    if alternative not in ("two-sided", "one-sided"):
        raise ValueError("alternative must be 'two-sided' or 'one-sided'")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError("alpha and power must lie strictly between 0 and 1")
    if not np.isfinite(effect_size) or effect_size == 0:
        raise ValueError("effect_size must be a non-zero number")
    two = alternative == "two-sided"
    d = abs(effect_size) if two else effect_size
    if d <= 0:
        raise ValueError("a one-sided plan needs a positive effect_size (expected direction)")
    if power <= (alpha / 2 if two else alpha):
        raise ValueError("power must exceed alpha")
    lo = 2
    if _t_power(d, lo, alpha, paired, two) >= power:
        n = lo
    else:
        hi = 4
        while _t_power(d, hi, alpha, paired, two) < power:
            lo, hi = hi, hi * 2
            if hi > 10**9:
                raise ValueError("effect_size too small: more than a billion respondents needed")
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _t_power(d, mid, alpha, paired, two) >= power:
                hi = mid
            else:
                lo = mid
        n = hi
    return SampleSizePlan(
        n=n,
        n_total=n if paired else 2 * n,
        power_achieved=_t_power(d, n, alpha, paired, two),
        effect_size=effect_size,
        power=power,
        alpha=alpha,
        paired=paired,
        alternative=alternative,
    )
