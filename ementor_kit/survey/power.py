"""Sample size and power of the t test, from the noncentral t distribution.

:func:`plan_sample_size` and :func:`t_test_power` compute the exact power of the t test from
the noncentral t distribution (as G*Power), two-sided by default, for a paired (pre/post)
design or two independent groups of equal size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ementor_kit._checks import check_choice, check_level, check_real
from ementor_kit.errors import InvalidArgumentError
from ementor_kit.i18n.language import N_

__all__ = [
    "SampleSizePlan",
    "plan_sample_size",
    "t_test_power",
]

_ALTERNATIVES = ("two-sided", "one-sided")
_EFFECT = N_("a standardised effect such as 0.5 (d_z paired, Cohen's d for two groups)")


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

    Examples
    --------
    >>> plan = plan_sample_size(0.5)
    >>> plan.n, plan.n_total, round(plan.power_achieved, 3), plan.paired
    (34, 34, 0.808, True)
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
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

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

    Raises
    ------
    InvalidArgumentError
        ``alpha`` not strictly between 0 and 1, ``effect_size`` or ``n`` not finite, or an
        unknown ``alternative`` (an :class:`ArgumentTypeError` when not a number).

    Examples
    --------
    >>> round(t_test_power(0.5, 34), 3)      # the n plan_sample_size(0.5) gives
    0.808
    >>> round(t_test_power(0.5, 64, paired=False), 3)
    0.801
    """
    check_choice("alternative", alternative, _ALTERNATIVES)
    check_level("alpha", alpha, example="0.05")
    check_real("effect_size", effect_size, what=_EFFECT)
    check_real("n", n, what=N_("the number of pairs (paired) or of respondents per group"))
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

    Raises
    ------
    InvalidArgumentError
        ``power`` or ``alpha`` not strictly between 0 and 1, ``power`` not above ``alpha``,
        ``effect_size`` zero or not finite (negative with ``"one-sided"``), or an unknown
        ``alternative`` (an :class:`ArgumentTypeError` when not a number).

    Examples
    --------
    >>> plan_sample_size(0.5).n            # pairs, d_z = 0.5 (G*Power: 34)
    34
    >>> plan_sample_size(0.5, paired=False).n_total   # 64 per group
    128
    """
    check_choice("alternative", alternative, _ALTERNATIVES)
    check_level("alpha", alpha, example="0.05")
    check_level("power", power, example="0.8")
    check_real("effect_size", effect_size, nonzero=True, what=_EFFECT)
    two = alternative == "two-sided"
    d = abs(effect_size) if two else effect_size
    if d <= 0:
        raise InvalidArgumentError(
            "effect_size",
            effect_size,
            N_("give the expected effect as a positive number, or use alternative='two-sided'"),
            message=N_(
                "a one-sided plan needs a positive effect_size (the expected "
                "direction), got {effect_size!r}"
            ).format(effect_size=effect_size),
        )
    if power <= (alpha / 2 if two else alpha):
        raise InvalidArgumentError(
            "power",
            power,
            N_("use a power above alpha ({alpha:g}), e.g. 0.8").format(alpha=alpha),
            message=N_("power {power!r} must exceed alpha").format(power=power),
        )
    lo = 2
    if _t_power(d, lo, alpha, paired, two) >= power:
        n = lo
    else:
        hi = 4
        while _t_power(d, hi, alpha, paired, two) < power:
            lo, hi = hi, hi * 2
            if hi > 10**9:
                raise InvalidArgumentError(
                    "effect_size",
                    effect_size,
                    N_("plan for a larger effect: no study can detect this one"),
                    message=N_("effect_size too small: more than a billion respondents needed"),
                )
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
