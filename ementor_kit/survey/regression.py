"""Ordinary least squares with classical or heteroskedasticity-robust standard errors.

Used to relate engagement to outcomes (e.g. T1 working alliance on sync share, number of
exchanges and response time). These are associations in observational data: pairs were not
assigned to engagement levels, so a coefficient is not the effect of changing engagement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice, check_level
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_

__all__ = ["OLSResult", "ols"]


@dataclass(frozen=True)
class OLSResult:
    """Fitted linear model.

    Attributes
    ----------
    coefficients : DataFrame
        One row per term (``const`` first): ``coef``, ``se``, ``t``, ``p``, ``ci_low``,
        ``ci_high``, and ``std_coef`` (coefficient in standard deviations of the outcome per
        standard deviation of the predictor; NaN for the constant).
    n : int
        Rows used.
    n_dropped : int
        Rows left out because the outcome or a predictor was missing.
    r2, adj_r2 : float
    cov_type : str
        ``"classical"`` or ``"HC3"``.
    outcome : str
        The outcome column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 3.1, 4.9, None, 8.8, 7.0], "x": [0, 1, 2, 3, 4, 3]})
    >>> fit = ols(df, "y", ["x"])
    >>> fit.n, fit.n_dropped, fit.cov_type, fit.coefficients.index.tolist()
    (5, 1, 'HC3', ['const', 'x'])
    """

    coefficients: pd.DataFrame
    n: int
    n_dropped: int
    r2: float
    adj_r2: float
    cov_type: str
    outcome: str


def _numeric(data: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    """The columns as float64; empty cells become NaN, any other text is reported."""
    file = "data"
    out, problems = {}, []
    for c in dict.fromkeys(cols):
        s = data[c]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            out[c] = s.astype("float64")
            continue
        text = s.astype("str").str.strip()
        blank = s.isna().to_numpy() | text.eq("").to_numpy(dtype=bool, na_value=True)
        num = pd.to_numeric(text.mask(blank), errors="coerce").astype("float64")
        bad = num.isna().to_numpy() & ~blank
        if bad.any():
            shown = ", ".join(repr(v) for v in dict.fromkeys(text[bad].tolist()[:5]))
            problems.append(
                Problem(
                    file,
                    str(c),
                    tuple(int(i) + 2 for i in np.flatnonzero(bad)),
                    N_("not a number: {shown}").format(shown=shown),
                    N_("give numbers (decimal point) and leave missing values empty"),
                )
            )
        out[c] = num.set_axis(data.index)
    if problems:
        raise DataValidationError(problems)
    return pd.DataFrame(out, index=data.index)


def ols(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    *,
    cov_type: str = "HC3",
    ci: float = 0.95,
) -> OLSResult:
    """Fit ``outcome ~ 1 + predictors`` by least squares.

    Rows with a missing outcome or predictor are left out and counted in ``n_dropped``;
    a value that is not a number is an error (it is never dropped as if it were missing).

    Parameters
    ----------
    data : DataFrame
        One row per observation.
    outcome : str
        Column of the outcome (numbers; empty cells are missing).
    predictors : sequence of str
        Columns of the predictors (numbers), in the order of the coefficients.
    cov_type : {"HC3", "classical"}
        HC3 (MacKinnon & White 1985) standard errors are robust to unequal residual variance
        and the safer default for small samples; "classical" assumes constant variance.
    ci : float
        Level of the confidence intervals (t distribution with n - p degrees of freedom).

    Returns
    -------
    OLSResult
        Coefficients with standard errors, tests, intervals and standardised coefficients,
        the rows used and dropped, R² and adjusted R².

    Raises
    ------
    DataValidationError
        A column is missing or holds text that is not a number (rows named), or the complete
        rows cannot identify the coefficients.
    InvalidArgumentError
        ``cov_type`` is neither ``"HC3"`` nor ``"classical"``, or ``ci`` is not strictly
        between 0 and 1.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 3.1, 4.9, 7.2, 8.8], "x": [0, 1, 2, 3, 4]})
    >>> fit = ols(df, "y", ["x"], cov_type="classical")
    >>> fit.coefficients.loc["x", "coef"].round(3), fit.n, round(fit.r2, 3)
    (np.float64(1.97), 5, 0.998)
    """
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    check_choice("cov_type", cov_type, ("HC3", "classical"))
    check_level("ci", ci)
    cols = [outcome, *predictors]
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise DataValidationError(
            [
                Problem("data", c, (), N_("column is missing"), N_("pass an existing column"))
                for c in missing
            ]
        )
    frame = _numeric(data, cols)
    keep = frame.notna().all(axis=1).to_numpy()
    y = frame.loc[keep, outcome].to_numpy()
    x = np.column_stack([np.ones(keep.sum()), frame.loc[keep, list(predictors)].to_numpy()])
    n, p = x.shape
    if n <= p or np.linalg.matrix_rank(x) < p:
        raise DataValidationError(
            [
                Problem(
                    "data",
                    ", ".join(predictors),
                    (),
                    N_(
                        "{n} complete rows cannot identify {p} coefficients (too few rows or "
                        "collinear predictors)"
                    ).format(n=n, p=p),
                    N_("add data or drop a predictor"),
                )
            ]
        )
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    df_resid = n - p
    if cov_type == "classical":
        cov = xtx_inv * (resid @ resid / df_resid)
    else:
        leverage = np.einsum("ij,jk,ik->i", x, xtx_inv, x)
        scaled = resid / (1.0 - leverage)
        cov = xtx_inv @ (x.T * scaled**2) @ x @ xtx_inv
    se = np.sqrt(np.diag(cov))
    t = beta / se
    pvals = 2 * stats.t.sf(np.abs(t), df_resid)
    q = stats.t.ppf(0.5 + ci / 2, df_resid)
    sd_x = np.r_[np.nan, x[:, 1:].std(axis=0, ddof=1)]
    tss = ((y - y.mean()) ** 2).sum()
    r2 = 1 - (resid @ resid) / tss
    table = pd.DataFrame(
        {
            "coef": beta,
            "se": se,
            "t": t,
            "p": pvals,
            "ci_low": beta - q * se,
            "ci_high": beta + q * se,
            "std_coef": beta * sd_x / y.std(ddof=1),
        },
        index=pd.Index(["const", *predictors], name="term"),
    )
    return OLSResult(
        coefficients=table,
        n=int(n),
        n_dropped=int((~keep).sum()),
        r2=float(r2),
        adj_r2=float(1 - (1 - r2) * (n - 1) / df_resid),
        cov_type=cov_type,
        outcome=outcome,
    )
