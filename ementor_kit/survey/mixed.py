"""Longitudinal linear mixed model: repeated scores of the same people, over several waves.

:func:`mixed_model` fits ``outcome ~ 1 + predictors`` with a random intercept per person
(optionally a random slope on one predictor, e.g. the day of the wave), or, with ``pair=``,
a random intercept per pair and a variance component for each person within the pair. It
uses ``statsmodels.regression.mixed_linear_model.MixedLM`` and estimates by REML by default,
as R's ``lme4::lmer`` does.

Checked against published output
--------------------------------
On the ``sleepstudy`` data (Belenky et al. 2003, shipped with lme4), ``mixed_model(d,
"Reaction", ["Days"], person="Subject")`` gives the fixed effects 251.405 and 10.467, a
person SD of 37.124 and a residual SD of 30.991, as ``lmer(Reaction ~ Days + (1|Subject))``;
with ``random_slope="Days"`` it gives the SDs 24.741, 5.922, correlation 0.066 and residual
SD 25.592 of ``lmer(Reaction ~ Days + (Days|Subject))`` (Bates, Mächler, Bolker & Walker
2015, *J. Stat. Softw.* 67(1), section 1). The tests also check the nested model against the
closed-form ANOVA estimates of a balanced design (which REML reproduces when they are
positive).

Tests of the fixed effects are Wald z tests, as statsmodels reports them: with few people
they are too liberal (lme4 gives no p-values for this reason; use them as a guide only).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._checks import check_level
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.i18n.text import translate_text
from ementor_kit.survey.regression import _numeric

__all__ = ["MixedModelResult", "mixed_model"]


@dataclass(frozen=True, eq=False)
class MixedModelResult:
    """Fitted longitudinal mixed model (see :func:`mixed_model`).

    Attributes
    ----------
    fixed : DataFrame
        One row per fixed term (``const`` first; a factor level as ``wave[T1]``): ``coef``,
        ``se``, ``z``, ``p`` (Wald, normal distribution), ``ci_low``, ``ci_high``.
    variance : DataFrame
        One row per variance component (``person``, ``person slope <predictor>``, or
        ``pair`` and ``person within pair``; ``residual`` last): ``variance``, ``sd``.
    slope_correlation : float
        Correlation of the person intercepts and slopes (NaN without a random slope).
    n : int
        Observations used.
    n_dropped : int
        Rows left out because the outcome or a predictor was missing.
    n_persons : int
        People with at least one observation used.
    n_pairs : int or None
        Pairs (``None`` without ``pair=``).
    method : str
        ``"REML"`` or ``"ML"``.
    log_likelihood : float
        Maximised (restricted) log-likelihood; -2 x this is lme4's "REML criterion".
    converged : bool
        Whether the optimiser converged (no warning of failure among ``notes``).
    notes : tuple of str
        Warnings of the fit (e.g. a variance on the boundary, zero), in words: statsmodels'
        own, in English; :meth:`notes_in` gives them in another language.
    outcome : str
        The outcome column.
    reference_levels : tuple of (str, str) pairs
        For each factor, the level its coefficients are compared with.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"id": list("aabbccdd"), "day": [0, 30] * 4,
    ...                   "score": [3.0, 3.5, 2.0, 2.9, 4.0, 4.1, 3.1, 3.9]})
    >>> fit = mixed_model(d, "score", ["day"], person="id")
    >>> fit.method, fit.n, fit.n_persons, fit.variance.index.tolist()
    ('REML', 8, 4, ['person', 'residual'])
    """

    fixed: pd.DataFrame
    variance: pd.DataFrame
    slope_correlation: float
    n: int
    n_dropped: int
    n_persons: int
    n_pairs: int | None
    method: str
    log_likelihood: float
    converged: bool
    notes: tuple[str, ...]
    outcome: str
    reference_levels: tuple[tuple[str, str], ...] = ()

    def notes_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The :attr:`notes` in ``lang`` (the catalogue knows statsmodels' warnings).

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language
            (:func:`~ementor_kit.i18n.set_language`).

        Returns
        -------
        tuple of str
            One text per note, in the order of :attr:`notes`.

        Examples
        --------
        >>> import dataclasses, pandas as pd
        >>> d = pd.DataFrame({"id": list("aabbccdd"), "day": [0, 30] * 4,
        ...                   "score": [3.0, 3.5, 2.0, 2.9, 4.0, 4.1, 3.1, 3.9]})
        >>> fit = mixed_model(d, "score", ["day"], person="id")
        >>> fit = dataclasses.replace(fit, notes=(
        ...     "The MLE may be on the boundary of the parameter space.",))
        >>> fit.notes_in("fr")
        ("L'estimation du maximum de vraisemblance est peut-être à la limite de l'espace des paramètres.",)
        """
        return tuple(translate_text(note, lang) for note in self.notes)


# The warnings statsmodels' MixedLM gives (statsmodels 0.14), as message ids of the catalogue
# so that notes_in translates them.
_STATSMODELS_WARNINGS = (
    N_("Maximum Likelihood optimization failed to converge. Check mle_retvals"),
    N_("Retrying MixedLM optimization with {method}"),
    N_("MixedLM optimization failed, trying a different optimizer may help."),
    N_("Gradient optimization failed, |grad| = {grad}"),
    N_("The MLE may be on the boundary of the parameter space."),
    N_("The random effects covariance matrix is singular."),
    N_("Random effects covariance is singular"),
    N_("The Hessian matrix at the estimated parameter values is not positive definite."),
)


def _labels(data: pd.DataFrame, col: str, what: str) -> tuple[pd.Series, list[Problem]]:
    """Ids of ``col`` as stripped text, and a problem naming the rows where they are blank."""
    text = data[col].astype("str").str.strip()
    blank = (data[col].isna() | text.eq("")).to_numpy()
    problems = []
    if blank.any():
        problems.append(
            Problem(
                "data",
                col,
                tuple(int(i) + 2 for i in np.flatnonzero(blank)),
                N_("{what} id missing").format(what=what),
                N_("fill in the {what} of every observation, or remove the row").format(what=what),
            )
        )
    return text.mask(blank), problems


def _factor_columns(
    data: pd.DataFrame, factors: Sequence[str], keep: np.ndarray
) -> tuple[dict[str, np.ndarray], list[tuple[str, str]]]:
    """Indicator columns ``factor[level]`` for all levels but the first (the reference).

    The levels are in the order of a categorical column's categories (e.g. the declared wave
    order of :func:`~ementor_kit.survey.waves.stack_waves`), else sorted as text.
    """
    columns: dict[str, np.ndarray] = {}
    references = []
    for f in factors:
        raw = data[f]
        text = raw.astype("str").str.strip().to_numpy()[keep]
        if isinstance(raw.dtype, pd.CategoricalDtype):
            levels = [str(c) for c in raw.cat.categories if str(c) in set(text)]
        else:
            levels = sorted(set(text))
        references.append((f, levels[0] if levels else ""))
        for level in levels[1:]:
            columns[f"{f}[{level}]"] = (text == level).astype(float)
    return columns, references


def _missing_columns(data: pd.DataFrame, names: Sequence[str]) -> None:
    absent = [c for c in dict.fromkeys(names) if c not in data.columns]
    if absent:
        raise DataValidationError(
            [
                Problem(
                    "data",
                    c,
                    (),
                    N_("column is missing"),
                    N_("pass a column of the table ({columns})").format(
                        columns=", ".join(map(str, data.columns[:8]))
                    ),
                )
                for c in absent
            ]
        )


def _fixed_table(fit: Any, names: list[str], ci: float) -> pd.DataFrame:
    """Fixed effects of a fitted MixedLM with Wald z tests and normal-quantile intervals."""
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    coef = np.asarray(fit.fe_params, dtype=float)
    se = np.asarray(fit.bse_fe, dtype=float)[: len(names)]
    z = coef / se
    q = stats.norm.ppf(0.5 + ci / 2)
    return pd.DataFrame(
        {
            "coef": coef,
            "se": se,
            "z": z,
            "p": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": coef - q * se,
            "ci_high": coef + q * se,
        },
        index=pd.Index(names, name="term"),
    )


def _variance_table(fit: Any, pair: str | None, slope: str | None) -> tuple[pd.DataFrame, float]:
    """Variance components of a fitted MixedLM (``cov_re``, ``vcomp``, ``scale``)."""
    cov_re = np.asarray(fit.cov_re, dtype=float)
    rows: dict[str, float] = {}
    corr = float("nan")
    if pair is None:
        rows["person"] = float(cov_re[0, 0])
        if slope is not None:
            rows[f"person slope {slope}"] = float(cov_re[1, 1])
            denom = np.sqrt(cov_re[0, 0] * cov_re[1, 1])
            corr = float(cov_re[0, 1] / denom) if denom > 0 else float("nan")
    else:
        rows["pair"] = float(cov_re[0, 0])
        rows["person within pair"] = float(np.asarray(fit.vcomp, dtype=float)[0])
    rows["residual"] = float(fit.scale)
    var = pd.Series(rows, dtype="float64")
    table = pd.DataFrame({"variance": var, "sd": np.sqrt(var.clip(lower=0))})
    table.index.name = "component"
    return table, corr


def _fit(
    x: np.ndarray,
    y: np.ndarray,
    person: np.ndarray,
    pair: np.ndarray | None,
    slope: np.ndarray | None,
    reml: bool,
    outcome: str,
) -> tuple[Any, tuple[str, ...]]:
    """Fit the model with BFGS (tight tolerance), L-BFGS and Powell's method; keep the best.

    BFGS, statsmodels' default, is precise where the likelihood is smooth but can stop far
    from the optimum when a variance is near zero (e.g. pairs of people with nothing in
    common); Powell's method, free of gradients, then reaches the boundary. A later method
    replaces an earlier one only if its log-likelihood is higher by more than 1e-6. A fit that
    warned counts as converged when another optimiser converged without warning to the same
    log-likelihood (within 1e-6; a note says so). The warnings of the fit kept are returned in
    words.
    """
    from statsmodels.regression.mixed_linear_model import MixedLM  # type: ignore[import-untyped]  # lazy

    frame = pd.DataFrame(x[:, 1:], columns=[f"x{j}" for j in range(1, x.shape[1])])
    frame["y"], frame["person"] = y, person
    rhs = " + ".join(frame.columns[: x.shape[1] - 1]) or "1"
    if pair is None:
        frame["s"] = slope if slope is not None else 0.0
        model = MixedLM.from_formula(
            f"y ~ {rhs}", frame, groups="person", re_formula="~s" if slope is not None else "1"
        )
    else:
        frame["pair"] = pair
        model = MixedLM.from_formula(
            f"y ~ {rhs}",
            frame,
            groups="pair",
            re_formula="1",
            vc_formula={"person": "0 + C(person)"},
        )
    fits: list[tuple[Any, tuple[str, ...], str]] = []
    for method, options in (("bfgs", {"gtol": 1e-10}), ("lbfgs", {}), ("powell", {})):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fit = model.fit(reml=reml, method=method, **options)
            except (np.linalg.LinAlgError, ValueError):  # this optimiser failed; try the next
                continue
        fits.append((fit, tuple(dict.fromkeys(str(w.message).strip() for w in caught)), method))
    if not fits:
        raise DataValidationError(
            [
                Problem(
                    "data",
                    outcome,
                    (),
                    N_(
                        "the mixed model could not be fitted (singular matrices with every "
                        "optimiser)"
                    ),
                    N_(
                        "check that people have more than one observation and drop collinear "
                        "predictors"
                    ),
                )
            ]
        )
    best, best_notes, _ = fits[0]
    for fit, notes, _ in fits[1:]:
        if fit.llf > best.llf + 1e-6:
            best, best_notes = fit, notes
    # BFGS's tight tolerance may warn at the very optimum: another optimiser that converged
    # without a warning to the same log-likelihood (within 1e-6) confirms it.
    if not _converged(best, best_notes):
        for fit, notes, method in fits:
            if _converged(fit, notes) and abs(fit.llf - best.llf) <= 1e-6:
                best_notes = (
                    *best_notes,
                    N_("convergence confirmed: {method} reached the same log-likelihood").format(
                        method=method.upper()
                    ),
                )
                best = _Confirmed(best)
                break
    return best, best_notes


class _Confirmed:
    """A fit whose optimum another optimiser confirmed (reads as converged)."""

    converged = True

    def __init__(self, fit: Any) -> None:
        self._fit = fit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fit, name)


def _converged(fit: Any, notes: tuple[str, ...]) -> bool:
    if isinstance(fit, _Confirmed):
        return True
    return bool(fit.converged) and not any("converge" in m or "failed" in m for m in notes)


def mixed_model(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str] = (),
    *,
    person: str = "respondent_id",
    pair: str | None = None,
    factors: Sequence[str] = (),
    random_slope: str | None = None,
    reml: bool = True,
    ci: float = 0.95,
) -> MixedModelResult:
    """Fit a linear mixed model to repeated measures: a random intercept per person.

    ``outcome ~ 1 + predictors + factors + (1 | person)``, or with ``random_slope=x``
    ``(1 + x | person)``, or with ``pair=`` ``(1 | pair) + (1 | pair:person)`` (people nested
    in their pair; a person in two pairs counts once in each). Rows with a missing outcome
    or predictor are left out and counted; text where a number is expected is an error.

    Parameters
    ----------
    data : DataFrame
        Long table, one row per person and wave (e.g. from
        :func:`~ementor_kit.survey.waves.stack_waves`).
    outcome : str
        Column of the outcome (numbers).
    predictors : sequence of str
        Numeric columns with fixed effects (e.g. ``"day"``, the day of each wave).
    person : str
        Column identifying people (the random intercept's groups).
    pair : str, optional
        Column identifying the pair of each row: adds a random intercept per pair, the
        person's becoming a variance component within the pair.
    factors : sequence of str
        Categorical columns with fixed effects (e.g. ``"wave"``): one indicator per level
        except the first, the reference (a categorical column's first category, else the
        first in text order).
    random_slope : str, optional
        One of ``predictors`` given a random slope per person (not with ``pair``).
    reml : bool
        Restricted maximum likelihood (default, as ``lmer``); ``False`` for maximum
        likelihood (to compare models differing in fixed effects).
    ci : float
        Level of the confidence intervals of the fixed effects (normal quantiles).

    Returns
    -------
    MixedModelResult
        Fixed effects, variance components, counts, log-likelihood and convergence.

    Raises
    ------
    DataValidationError
        A column is missing, holds text that is not a number, a person (or pair) id is
        blank, or the complete rows cannot identify the model.
    InvalidArgumentError
        ``random_slope`` not among ``predictors`` or given with ``pair``, ``ci`` not between
        0 and 1, or statsmodels not installed.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"id": list("aabbccdd"), "day": [0, 30] * 4,
    ...                   "score": [3.0, 3.5, 2.0, 2.9, 4.0, 4.1, 3.1, 3.9]})
    >>> fit = mixed_model(d, "score", ["day"], person="id")
    >>> fit.fixed["coef"].round(3).tolist()
    [3.025, 0.019]
    >>> fit.variance.round(3)
               variance     sd
    component
    person        0.410  0.640
    residual      0.065  0.254
    """
    check_level("ci", ci)
    predictors, factors = list(predictors), list(factors)
    if random_slope is not None and (random_slope not in predictors or pair is not None):
        raise InvalidArgumentError(
            "random_slope",
            random_slope,
            N_("name one of predictors, and leave pair=None (a slope per pair is not offered)"),
        )
    _missing_columns(data, [outcome, *predictors, *factors, person, *([pair] if pair else [])])
    frame = _numeric(data, [outcome, *predictors])
    persons, problems = _labels(data, person, N_("person"))
    pairs = None
    if pair is not None:
        pairs, found = _labels(data, pair, N_("pair"))
        problems += found
    if problems:
        raise DataValidationError(problems)
    fac_missing = np.zeros(len(data), dtype=bool)
    for f in factors:
        text = data[f].astype("str").str.strip()
        fac_missing |= (data[f].isna() | text.eq("")).to_numpy()
    keep = frame.notna().all(axis=1).to_numpy() & ~fac_missing
    dummies, references = _factor_columns(data, factors, keep)
    names = [*predictors, *dummies]
    x = np.column_stack(
        [np.ones(int(keep.sum()))]
        + [frame.loc[keep, c].to_numpy() for c in predictors]
        + list(dummies.values())
    )
    y = frame.loc[keep, outcome].to_numpy()
    g_person = persons.to_numpy()[keep]
    n, p = x.shape
    n_persons = len(set(g_person))
    if n <= p + 1 or n_persons < 2 or np.linalg.matrix_rank(x) < p:
        raise DataValidationError(
            [
                Problem(
                    "data",
                    ", ".join([outcome, *names]),
                    (),
                    N_(
                        "{n} complete rows of {n_persons} people cannot identify {p} fixed "
                        "effects and the variances (too few rows or people, or collinear "
                        "predictors)"
                    ).format(n=n, n_persons=n_persons, p=p),
                    N_("add data or drop a predictor"),
                )
            ]
        )
    fit, notes = _fit(
        x,
        y,
        g_person,
        pairs.to_numpy()[keep] if pairs is not None else None,
        frame.loc[keep, random_slope].to_numpy() if random_slope else None,
        reml,
        outcome,
    )
    fixed = _fixed_table(fit, ["const", *names], ci)
    variance, corr = _variance_table(fit, pair, random_slope)
    return MixedModelResult(
        fixed=fixed,
        variance=variance,
        slope_correlation=corr,
        n=int(n),
        n_dropped=int((~keep).sum()),
        n_persons=n_persons,
        n_pairs=None if pairs is None else len(set(pairs.to_numpy()[keep])),
        method="REML" if reml else "ML",
        log_likelihood=float(fit.llf),
        converged=_converged(fit, notes),
        notes=notes,
        outcome=outcome,
        reference_levels=tuple(references),
    )
