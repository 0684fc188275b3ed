"""Internal consistency of questionnaire scales: Cronbach's alpha, McDonald's omega, item stats.

Conventions (the same as R ``psych`` and, for alpha, ``pingouin``):

* Cronbach's alpha = k/(k-1) * (1 - trace(C)/sum(C)), C the item covariance matrix.
  ``nan_policy="pairwise"`` computes every covariance from the responses answering both
  items; ``"listwise"`` keeps only the responses answering every item.
* Feldt (1987) confidence interval with n the number of responses actually analysed:
  ``1 - (1 - alpha) * F(1 - g/2; n-1, (n-1)(k-1))`` and ``1 - (1 - alpha) * F(g/2; ...)``.
  Under ``"pairwise"`` n counts the responses with at least one answered item; under
  ``"listwise"`` the complete responses (pingouin uses the n before deletion there).
* Standardised alpha = k * rbar / (1 + (k-1) * rbar), rbar the mean inter-item correlation
  of ``cov2cor(C)``, C the covariance matrix of the policy (as ``psych::alpha``: with
  pairwise data each covariance is divided by the SDs of the items over all their answers).
* McDonald's omega_total = 1 - sum(u) / sum(R): R the item correlation matrix (pairwise
  Pearson correlations under ``"pairwise"``, as ``psych::omega`` computes them from raw data),
  u the uniquenesses of a one-factor minimum-residual (minres) fit. It is the
  ``omega.tot`` of ``psych::omega(x, nfactors = 1)`` (one factor: no group factors, so
  omega total and the general factor's loadings come from the same minres fit, ``fm =
  "minres"``, psych's default); checked in the tests against iterated principal-axis
  factoring (statsmodels), which converges to the same unweighted least-squares solution.
  It equals the textbook (sum lambda)^2 / ((sum lambda)^2 + sum u) only when the loadings
  share a sign, which is why :func:`reliability` reverse-keys items first.
* Item-rest correlation and alpha-if-deleted come from the covariance matrix, like
  ``psych::alpha``'s ``r.drop`` and ``alpha.drop``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from ementor_kit._checks import check_choice, check_level
from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.survey.instruments import Instrument, load_instrument
from ementor_kit.survey.readers import SurveyExport
from ementor_kit.survey.scoring import _as_float, _reverse_in_place, _source, item_matrix

__all__ = [
    "AlphaResult",
    "Reliability",
    "cronbach_alpha",
    "item_stats",
    "omega_total",
    "reliability",
]

_POLICIES = ("pairwise", "listwise")


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha with its Feldt confidence interval.

    Attributes
    ----------
    alpha : float
    ci : tuple of float
        (lower, upper) Feldt interval at level ``level``, computed with ``n``.
    n : int
        Responses analysed (see the module notes for the pairwise definition).
    k : int
        Number of items.
    nan_policy : str
    std_alpha : float
        Standardised alpha from the mean inter-item correlation.
    level : float
        Confidence level of ``ci``.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, 5]})
    >>> res = cronbach_alpha(items)
    >>> round(res.alpha, 3), res.n, res.k, res.level
    (0.945, 5, 3, 0.95)
    """

    alpha: float
    ci: tuple[float, float]
    n: int
    k: int
    nan_policy: str
    std_alpha: float
    level: float = 0.95


@dataclass(frozen=True, eq=False)
class Reliability:
    """Reliability of every subscale of an instrument (see :func:`reliability`).

    Attributes
    ----------
    scales : DataFrame
        One row per subscale.
    items : DataFrame
        One row per (subscale, item).

    Examples
    --------
    >>> import pandas as pd
    >>> base = [1, 2, 3, 4, 2, 3]
    >>> df = pd.DataFrame({f"gse_{i}": [min(4, v + i % 2) for v in base] for i in range(1, 11)})
    >>> rel = reliability(df, "gse")
    >>> rel.scales[["subscale", "k", "n", "alpha"]].round(3)
      subscale   k  n  alpha
    0    total  10  6  0.994
    >>> rel.items[["item", "mean", "item_rest_r"]].head(2).round(3)
        item   mean  item_rest_r
    0  gse_1  3.333        0.975
    1  gse_2  2.500        0.984
    """

    scales: pd.DataFrame
    items: pd.DataFrame


def _items_array(items: pd.DataFrame | np.ndarray, what: str = "items") -> tuple[np.ndarray, list]:
    """Float array of the item answers and their names; non-numeric cells are reported."""
    if isinstance(items, pd.DataFrame):
        name, first_row = _source(items, None)
        cols, problems = [], []
        for c in items.columns:
            values, found = _as_float(items[c], str(c), name, first_row)
            cols.append(values)
            problems += found
        if problems:
            raise DataValidationError(problems)
        x = np.column_stack(cols) if cols else np.empty((len(items), 0))
        names = [str(c) for c in items.columns]
    else:
        fix = N_("pass a table with one row per response and one numeric column per item")
        try:
            x = np.asarray(items, dtype=float)
        except (TypeError, ValueError) as err:
            raise ArgumentTypeError(what, items, fix) from err
        if x.ndim != 2:
            raise InvalidArgumentError(
                what,
                items,
                fix,
                message=N_("a {ndim}-D array is not a table of responses x items").format(
                    ndim=x.ndim
                ),
            )
        names = [f"item_{j + 1}" for j in range(x.shape[1])]
    inf = np.isinf(x)
    if inf.any():
        raise DataValidationError(
            [
                Problem(
                    what,
                    names[j],
                    (),
                    N_("{sum} infinite value(s)").format(sum=int(inf[:, j].sum())),
                    N_("answers must be finite numbers"),
                )
                for j in np.flatnonzero(inf.any(axis=0))
            ]
        )
    return x, names


def _pairwise_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairwise-complete covariance, correlation and pair counts of the columns of ``x``.

    Entry (i, j) uses the rows where both i and j are present, with the means of those rows
    (as pandas ``DataFrame.cov``/``corr`` and R ``use="pairwise"``). Computed with four
    matrix products, after centring each column, so it scales to large tables.
    """
    present = ~np.isnan(x)
    m = present.astype(float)
    counts = np.sum(present, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(counts > 0, np.nansum(x, axis=0) / np.maximum(counts, 1), 0.0)
    x0 = np.where(present, x - centre, 0.0)
    k = x.shape[1]
    if present.all():  # no missing answers: one product
        n = np.full((k, k), float(len(x)))
        s = np.zeros((k, k))
        p = x0.T @ x0
        q = np.broadcast_to((x0 * x0).sum(axis=0)[:, None], (k, k))
    else:
        n = m.T @ m
        s = x0.T @ m  # s[i, j] = sum of item i over rows where i and j are present
        p = x0.T @ x0
        q = (x0 * x0).T @ m
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (p - s * s.T / n) / (n - 1)
        var_ij = (q - s * s / n) / (n - 1)  # variance of i over rows where j is present
        corr = cov / np.sqrt(var_ij * var_ij.T)
    cov[n < 2] = np.nan
    corr[n < 2] = np.nan
    np.fill_diagonal(corr, np.where(np.diag(n) >= 2, 1.0, np.nan))
    return cov, corr, n


def _moments(x: np.ndarray, nan_policy: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Covariance, correlation and the n analysed under a missing-data policy."""
    check_choice("nan_policy", nan_policy, _POLICIES)
    if nan_policy == "listwise":
        x = x[~np.isnan(x).any(axis=1)]
        n = len(x)
    else:
        n = int((~np.isnan(x)).any(axis=1).sum())
    cov, corr, _ = _pairwise_moments(x)
    return cov, corr, n


def _check_enough(x: np.ndarray, names: list[str], cov: np.ndarray, n: int, policy: str) -> None:
    k = x.shape[1]
    if k < 2:
        raise DataValidationError(
            [
                Problem(
                    "items",
                    None,
                    (),
                    N_("at least two items are needed, got {k}").format(k=k),
                    N_("pass the answers to two items or more, one column per item"),
                )
            ]
        )
    if n < 2:
        listwise = policy == "listwise"
        raise DataValidationError(
            [
                Problem(
                    "items",
                    None,
                    (),
                    N_("at least two responses are needed, got {n} ({what})").format(
                        n=n,
                        what=N_("complete responses") if listwise else N_("responses with answers"),
                    ),
                    N_("pass more responses, or use nan_policy='pairwise'")
                    if listwise
                    else N_("pass more responses"),
                )
            ]
        )
    bad = np.argwhere(np.isnan(cov))
    if len(bad):
        i, j = bad[0]
        raise DataValidationError(
            [
                Problem(
                    "items",
                    None,
                    (),
                    N_(
                        "items {names!r} and {names2!r} were answered together by fewer than "
                        "two responses: their covariance cannot be estimated ({value} such "
                        "pair(s))"
                    ).format(names=names[i], names2=names[j], value=len(bad) // 2 or 1),
                    N_("leave one of them out, or analyse more responses"),
                )
            ]
        )


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = cov.sum()
    return float(k / (k - 1) * (1 - np.trace(cov) / total)) if total != 0 else float("nan")


def _std_alpha(cov: np.ndarray) -> float:
    """Standardised alpha from ``cov2cor(cov)``, as ``psych::alpha`` computes it.

    With pairwise data this is not the mean of the pairwise Pearson correlations: each
    covariance is divided by the item SDs over all their answers, not over the rows the
    two items share (psych: ``R <- cov2cor(C)``, C the pairwise covariance).
    """
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    k = corr.shape[0]
    rbar = (corr.sum() - np.trace(corr)) / (k * (k - 1))
    return float(k * rbar / (1 + (k - 1) * rbar))


def _feldt(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    g = 1 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * stats.f.ppf(1 - g / 2, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.ppf(g / 2, df1, df2)
    return float(lower), float(upper)


def cronbach_alpha(
    items: pd.DataFrame | np.ndarray, *, nan_policy: str = "pairwise", ci: float = 0.95
) -> AlphaResult:
    """Cronbach's alpha with a Feldt confidence interval.

    Parameters
    ----------
    items : DataFrame or 2-D array
        Responses x items, numbers (already reverse-keyed where needed), NaN = not answered.
    nan_policy : {"pairwise", "listwise"}
        Pairwise-complete covariances (R psych's and pingouin's default) or complete
        responses only.
    ci : float
        Confidence level of the Feldt interval.

    Returns
    -------
    AlphaResult
        ``.alpha``, ``.ci`` (Feldt, with the n analysed), ``.n``, ``.k``, ``.std_alpha``.

    Raises
    ------
    DataValidationError
        Fewer than two items or responses, two items never answered together, or answers
        that are not numbers.
    InvalidArgumentError
        ``ci`` not strictly between 0 and 1, an unknown ``nan_policy``, or ``items`` not a
        2-D table.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4],
    ...                       "c": [1, 3, 3, 4, None]})
    >>> res = cronbach_alpha(items)
    >>> round(res.alpha, 4), res.n, [round(v, 3) for v in res.ci]
    (0.9197, 5, [0.594, 0.991])
    >>> cronbach_alpha(items, nan_policy="listwise").n
    4
    """
    check_level("ci", ci)
    x, names = _items_array(items)
    cov, corr, n = _moments(x, nan_policy)
    _check_enough(x, names, cov, n, nan_policy)
    a = _alpha_from_cov(cov)
    k = x.shape[1]
    return AlphaResult(a, _feldt(a, n, k, ci), n, k, nan_policy, _std_alpha(cov), ci)


def _top_eigenpair(a: np.ndarray, v0: np.ndarray) -> tuple[float, np.ndarray]:
    """Largest eigenvalue of a symmetric matrix and its unit eigenvector.

    Power iteration on ``a + I`` (the eigenvalues of R - diag(psi) are >= -1), warm-started
    from ``v0``: a few dozen matrix-vector products instead of a full LAPACK decomposition,
    whose threads can stall on a busy machine. Falls back to ``numpy.linalg.eigh`` when the
    iteration is slow (close top eigenvalues) or the result does not check out.
    """
    b = a + np.eye(len(a))
    v = v0 / np.linalg.norm(v0)
    for _ in range(3000):
        w = b @ v
        w /= np.linalg.norm(w)
        if np.abs(w - v).max() < 1e-13:
            v = w
            e = float(v @ a @ v)
            if np.abs(a @ v - e * v).max() < 1e-9:
                return e, v
            break
        v = w
    vals, vecs = np.linalg.eigh(a)
    return float(vals[-1]), vecs[:, -1]


def _uls_objective(psi: np.ndarray, r: np.ndarray, state: dict) -> tuple[float, np.ndarray]:
    """Unweighted least squares discrepancy of one factor given uniquenesses, and gradient.

    With lambda the best loadings for ``A = R - diag(psi)`` (top eigenpair e1, v1), the
    objective is half the sum of squares of the other eigenvalues, ``(||A||_F^2 - e1^2)/2``;
    its gradient is minus the diagonal residual, ``-(1 - psi - lambda^2)``. Its minimiser is
    the minres solution.
    """
    a = r - np.diag(psi)
    e1, v1 = _top_eigenpair(a, state["v"])
    state["v"] = v1
    total = float((a * a).sum())
    f = 0.5 * (total - e1 * e1) if e1 > 0 else 0.5 * total
    lam2 = max(e1, 0.0) * v1**2
    grad = -(np.diag(r) - psi - lam2)
    return f, grad


def _minres_one_factor(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Loadings and uniquenesses of a one-factor minres fit of a correlation matrix.

    Like ``psych::fa(r, nfactors=1, fm="minres")``: uniquenesses bounded to [0.005, 1],
    started at 1 - SMC, loadings from the first eigenpair of R with 1 - psi on the
    diagonal; uniquenesses reported as 1 - communality.
    """
    k = r.shape[0]
    try:
        smc = 1 - 1 / np.diag(np.linalg.inv(r))
    except np.linalg.LinAlgError:
        smc = np.full(k, 0.5)
    start = np.clip(1 - smc, 0.005, 1.0)
    state = {"v": np.ones(k)}
    res = optimize.minimize(
        _uls_objective,
        start,
        args=(r, state),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * k,
        options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000},
    )
    e1, v1 = _top_eigenpair(r - np.diag(res.x), state["v"])
    lam = v1 * np.sqrt(max(e1, 0.0))
    if lam.sum() < 0:
        lam = -lam
    return lam, 1 - lam**2


def _omega_from_corr(corr: np.ndarray) -> float:
    if corr.shape[0] < 3 or not np.isfinite(corr).all():  # e.g. an item without variance
        return float("nan")
    _, u = _minres_one_factor(corr)
    return float(1 - u.sum() / corr.sum())


def omega_total(items: pd.DataFrame | np.ndarray, *, nan_policy: str = "pairwise") -> float:
    """McDonald's omega_total from a one-factor minimum-residual fit, as R psych reports it.

    omega_total = 1 - sum(u) / sum(R), with R the item correlation matrix and u the
    uniquenesses (1 - communality) of a one-factor minres fit of R (``psych::fa`` with
    ``fm="minres"``, which ``psych::omega`` uses). Items should be reverse-keyed first: with
    loadings of mixed signs this value departs from the textbook formula.

    Parameters
    ----------
    items : DataFrame or 2-D array
        Responses x items (at least three items; NaN = not answered).
    nan_policy : {"pairwise", "listwise"}

    Returns
    -------
    float
        NaN for fewer than three items (a one-factor model of two items is not identified).

    Raises
    ------
    DataValidationError
        Fewer than two items or responses, or an item without variance (its correlations
        are undefined).

    Examples
    --------
    >>> import numpy as np
    >>> lam = np.array([0.8, 0.7, 0.6, 0.5])
    >>> r = np.outer(lam, lam) + np.diag(1 - lam**2)   # an exact one-factor structure
    >>> rng = np.random.default_rng(1)
    >>> x = rng.multivariate_normal(np.zeros(4), r, size=200_000)
    >>> expected = lam.sum()**2 / (lam.sum()**2 + (1 - lam**2).sum())
    >>> round(float(expected), 3), round(omega_total(x), 3)
    (0.749, 0.75)
    """
    x, names = _items_array(items)
    cov, corr, n = _moments(x, nan_policy)
    _check_enough(x, names, cov, n, nan_policy)
    bad = np.argwhere(~np.isfinite(corr))
    if len(bad) and corr.shape[0] >= 3:
        i, j = bad[0]
        flat = names[j] if cov[j, j] == 0 else names[i]
        raise DataValidationError(
            [
                Problem(
                    "items",
                    str(flat),
                    (),
                    N_(
                        "the correlation of items {names!r} and {names2!r} cannot be computed: "
                        "{flat!r} has a single value where both are answered (no variance)"
                    ).format(names=names[i], names2=names[j], flat=flat),
                    N_("leave such an item out of omega"),
                )
            ]
        )
    return _omega_from_corr(corr)


def _item_table(cov: np.ndarray, x: np.ndarray) -> dict[str, np.ndarray]:
    k = cov.shape[0]
    total = cov.sum()
    rowsum = cov.sum(axis=1)
    var = np.diag(cov)
    var_rest = total - 2 * rowsum + var
    with np.errstate(invalid="ignore", divide="ignore"):
        item_rest_r = (rowsum - var) / np.sqrt(var * var_rest)
        if k > 2:
            alpha_drop = (k - 1) / (k - 2) * (1 - (np.trace(cov) - var) / var_rest)
        else:
            alpha_drop = np.full(k, np.nan)
    present = ~np.isnan(x)
    n = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, x, 0.0).sum(axis=0) / n
    return {
        "n": n.astype(np.int64),
        "mean": mean,
        "sd": np.sqrt(var),
        "item_rest_r": item_rest_r,
        "alpha_if_deleted": alpha_drop,
    }


def item_stats(items: pd.DataFrame | np.ndarray, *, nan_policy: str = "pairwise") -> pd.DataFrame:
    """Per-item statistics of a scale: n, mean, sd, item-rest r and alpha if deleted.

    The item-rest correlation is the correlation of the item with the sum of the other
    items, and alpha-if-deleted the alpha of the other items; both come from the
    (pairwise or listwise) covariance matrix, as in ``psych::alpha``.

    Parameters
    ----------
    items : DataFrame or 2-D array
        Responses x items, numbers (already reverse-keyed where needed), NaN = not answered.
    nan_policy : {"pairwise", "listwise"}
        Pairwise-complete covariances or complete responses only (as for
        :func:`cronbach_alpha`).

    Returns
    -------
    DataFrame
        Indexed by item, columns ``n``, ``mean``, ``sd``, ``item_rest_r``,
        ``alpha_if_deleted``.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4],
    ...                       "c": [1, 3, 3, 4, 4]})
    >>> item_stats(items).round(3)
          n  mean     sd  item_rest_r  alpha_if_deleted
    item
    a     5   3.0  1.581        0.927             0.877
    b     5   3.2  1.304        0.840             0.933
    c     5   3.0  1.225        0.883             0.909
    """
    x, names = _items_array(items)
    if nan_policy == "listwise":
        x = x[~np.isnan(x).any(axis=1)]
    cov, _, n = _moments(x, nan_policy)
    _check_enough(x, names, cov, n, nan_policy)
    return pd.DataFrame(_item_table(cov, x), index=pd.Index(names, name="item"))


def reliability(
    responses: pd.DataFrame | SurveyExport,
    instrument: Instrument | str,
    *,
    nan_policy: str = "pairwise",
    ci: float = 0.95,
) -> Reliability:
    """Alpha, omega and item statistics of every subscale, after reverse keying.

    Parameters
    ----------
    responses : DataFrame or SurveyExport
        One row per response, item columns named by item id (with an export, problems name
        the file's rows).
    instrument : Instrument or str
        The instrument answered (an :class:`Instrument` or a built-in id).
    nan_policy : {"pairwise", "listwise"}
    ci : float
        Level of the Feldt interval of alpha.

    Returns
    -------
    Reliability
        ``.scales``: ``instrument``, ``subscale``, ``label``, ``k``, ``n``, ``alpha``,
        ``alpha_low``, ``alpha_high``, ``std_alpha``, ``omega_total`` (NaN for two-item
        subscales and when an item has no variance), ``mean_r``; ``.items``: ``subscale``,
        ``item``, ``reverse``, ``n``, ``mean``, ``sd``, ``item_rest_r``,
        ``alpha_if_deleted`` (reverse-keyed items are described after recoding).

    Raises
    ------
    DataValidationError
        When item columns are missing or answers are invalid (see
        :func:`~ementor_kit.survey.scoring.score`).
    InvalidArgumentError
        ``ci`` not strictly between 0 and 1, or an unknown ``nan_policy``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> trait = rng.normal(size=300)
    >>> answers = {f"mfq_{i}": np.clip(np.rint(3 + trait + rng.normal(size=300)), 1, 5)
    ...            for i in range(1, 10)}
    >>> rel = reliability(pd.DataFrame(answers), "mfq")
    >>> rel.scales[["subscale", "k", "n", "alpha", "omega_total"]].round(2)
             subscale  k    n  alpha  omega_total
    0          career  3  300   0.78         0.78
    1    psychosocial  3  300   0.73         0.74
    2  role_modelling  3  300   0.71         0.72
    3           total  9  300   0.89         0.89
    """
    inst = load_instrument(instrument)
    check_level("ci", ci)
    check_choice("nan_policy", nan_policy, _POLICIES)
    x = _reverse_in_place(item_matrix(responses, inst), inst.item_ids, inst)
    pos = {item: j for j, item in enumerate(inst.item_ids)}
    if nan_policy == "pairwise":
        cov_all, corr_all, _ = _pairwise_moments(x)
    scale_rows, item_rows = [], []
    for sub in inst.subscales:
        idx = [pos[i] for i in sub.items]
        xs = x[:, idx]
        if nan_policy == "pairwise":
            cov = cov_all[np.ix_(idx, idx)]
            corr = corr_all[np.ix_(idx, idx)]
            n = int((~np.isnan(xs)).any(axis=1).sum())
        else:
            xs = xs[~np.isnan(xs).any(axis=1)]
            cov, corr, n = _moments(xs, "listwise")
        k = len(idx)
        ok = k >= 2 and n >= 2 and not np.isnan(cov).any()
        a = _alpha_from_cov(cov) if ok else float("nan")
        low, high = _feldt(a, n, k, ci) if ok else (float("nan"), float("nan"))
        scale_rows.append(
            {
                "instrument": inst.name,
                "subscale": sub.id,
                "label": sub.label,
                "k": k,
                "n": n,
                "alpha": a,
                "alpha_low": low,
                "alpha_high": high,
                "std_alpha": _std_alpha(cov) if ok else float("nan"),
                "omega_total": _omega_from_corr(corr) if ok else float("nan"),
                "mean_r": float((corr.sum() - k) / (k * (k - 1))) if ok else float("nan"),
            }
        )
        table: dict[str, np.ndarray | None]
        if ok:
            table = dict(_item_table(cov, xs))
        else:
            table = dict.fromkeys(["mean", "sd", "item_rest_r", "alpha_if_deleted"], None)
            table["n"] = (~np.isnan(xs)).sum(axis=0)
        for j, item in enumerate(sub.items):
            item_rows.append(
                {
                    "subscale": sub.id,
                    "item": item,
                    "reverse": item in inst.reverse_keyed,
                    **{key: (np.nan if vals is None else vals[j]) for key, vals in table.items()},
                }
            )
    items = pd.DataFrame(item_rows)
    items["n"] = items["n"].astype(np.int64)
    return Reliability(pd.DataFrame(scale_rows), items)
