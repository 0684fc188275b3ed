"""Evaluation designs and their power: pre/post, randomised, wait-list, matched comparison.

A pre/post comparison of the mentees alone (the design's :class:`EvaluationPlan`) measures
*change*, not the programme's effect: mentees would also have changed without a mentor
(maturation, the school year, regression to the mean). Estimating the effect needs a comparison
group. :func:`evaluation_designs` sets four designs side by side for the same intake and
expected effect:

``pre/post (no comparison)``
    Paired t test on the mentees' change, ``d_z = d / sqrt(2 (1 - r))`` for an effect ``d``
    in standard deviations of the outcome and a pre/post correlation ``r``. Power to detect a
    change of that size; it does **not** identify the programme's effect.
``two-arm randomised``
    Half the intake is randomised to mentoring now, half to no mentoring; two-sample t test on
    the T1 scores (``power``) and, adjusting for the T0 score (ANCOVA), the usual
    approximation ``d / sqrt(1 - r**2)`` in ``power_ancova`` (Borm, Fransen & Lemmens 2007:
    ANCOVA with ``(1 - r**2) n`` subjects per group has the power of the t test with ``n``).
``wait-list randomised``
    The same comparison, but the control half is mentored after T1 (everyone is served; the
    comparison lasts one programme length). Same power as two-arm randomised for the same
    split; it needs the programme to run twice (or the wait to fit in the calendar).
``matched comparison``
    All mentees are mentored and compared with ``comparison_ratio`` non-participants per
    mentee matched on T0 characteristics (a quasi-experiment): two-sample t test with unequal
    groups. Bias from what the matching did not measure remains.

Powers are exact (noncentral t), as :mod:`statsmodels.stats.power` computes them
(``TTestPower``, ``TTestIndPower`` with ``ratio``); the tests check them against statsmodels
and against Cohen's (1988) tables.

References
----------
- Borm, G. F., Fransen, J., & Lemmens, W. A. J. G. (2007). A simple sample size formula for
  analysis of covariance in randomized clinical trials. *Journal of Clinical Epidemiology,
  60*(12), 1234-1238. https://doi.org/10.1016/j.jclinepi.2007.02.006
- Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.).
  Hillsdale, NJ: Lawrence Erlbaum Associates.
- Shadish, W. R., Cook, T. D., & Campbell, D. T. (2002). *Experimental and
  Quasi-Experimental Designs for Generalized Causal Inference*. Boston: Houghton Mifflin.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._checks import check_real
from ementor_kit.design.outcomes import OutcomeAssumptions, outcome_summary
from ementor_kit.design.simulation import SimulationResult
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.i18n.language import N_, translator
from ementor_kit.i18n.text import localized

__all__ = ["EVALUATION_DESIGNS", "evaluation_designs", "two_sample_power"]

EVALUATION_DESIGNS: tuple[str, ...] = (
    N_("pre/post (no comparison)"),
    N_("two-arm randomised"),
    N_("wait-list randomised"),
    N_("matched comparison"),
)

_MAX_N = 10_000_000


def two_sample_power(effect_size: float, n1: float, n2: float, alpha: float = 0.05) -> float:
    """Power of the two-sided two-sample t test (equal variances) for groups of ``n1``, ``n2``.

    Parameters
    ----------
    effect_size : float
        Cohen's ``d`` (difference of means over the common standard deviation).
    n1, n2 : float
        Group sizes (at least 2 each, else the power is 0).
    alpha : float
        Type I error rate.

    Returns
    -------
    float
        ``P(|T| > t_crit)`` with ``T`` noncentral t, ``df = n1 + n2 - 2``, noncentrality
        ``d * sqrt(n1 n2 / (n1 + n2))`` (what ``statsmodels`` ``TTestIndPower().power(d, n1,
        alpha, ratio=n2 / n1)`` gives).

    Examples
    --------
    >>> round(two_sample_power(0.5, 64, 64), 4)  # Cohen (1988): 0.80
    0.8015
    """
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    d = check_real("effect_size", effect_size)
    if n1 < 2 or n2 < 2:
        return 0.0
    df = n1 + n2 - 2
    nc = d * math.sqrt(n1 * n2 / (n1 + n2))
    crit = stats.t.ppf(1 - alpha / 2, df)
    return float(stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc))


def _paired_power(d_z: float, n: float, alpha: float) -> float:
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    if n < 2:
        return 0.0
    df = n - 1
    nc = d_z * math.sqrt(n)
    crit = stats.t.ppf(1 - alpha / 2, df)
    return float(stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc))


def _smallest(power_of: Any, target: float) -> float:
    """Smallest whole n >= 2 with power_of(n) >= target (NaN if beyond _MAX_N)."""
    if power_of(_MAX_N) < target:
        return math.nan
    lo, hi = 2, 4
    while power_of(hi) < target:
        lo, hi = hi, hi * 2
    while lo < hi:
        mid = (lo + hi) // 2
        if power_of(mid) >= target:
            hi = mid
        else:
            lo = mid + 1
    return float(lo)


def evaluation_designs(
    n_mentees: int,
    effect_size: float,
    *,
    completion: float = 1.0,
    alpha: float = 0.05,
    power: float = 0.8,
    pre_post_r: float = 0.5,
    comparison_ratio: float = 1.0,
    matched_effect_size: float | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Power of four evaluation designs for the same intake and expected effect.

    Parameters
    ----------
    n_mentees : int
        Mentees available (the intake; randomised designs split it in two).
    effect_size : float
        Expected effect ``d`` of offering the programme (intention to treat), in standard
        deviations of the outcome.
    completion : float
        Share of the intake answering both waves (0-1].
    alpha, power : float
        Type I error rate and wanted power.
    pre_post_r : float
        Correlation of T0 and T1 scores (the paired test's ``d_z`` and the ANCOVA gain).
    comparison_ratio : float
        Non-participants per mentee in the matched comparison.
    matched_effect_size : float, optional
        Effect among mentees who were matched (pre/post and matched comparison); default
        ``effect_size``.
    lang : str, optional
        Language of the texts (``design``, ``note``), ``"en"`` or ``"fr"``; default the
        process language (:func:`~ementor_kit.i18n.set_language`).

    Returns
    -------
    DataFrame
        One row per design (``EVALUATION_DESIGNS``, in ``lang``): ``identifies_effect``, ``n_mentored``
        and ``n_comparison`` analysed, ``effect_size`` tested (``d_z`` for pre/post),
        ``power``, ``power_ancova`` (randomised designs), ``mentees_needed`` (intake for the
        wanted power; ANCOVA for the randomised designs), ``note``.

    Examples
    --------
    >>> t = evaluation_designs(300, 0.2, completion=0.6)
    >>> t["design"].tolist()[1:3]
    ['two-arm randomised', 'wait-list randomised']
    >>> round(float(t.loc[1, "power"]), 3), int(t.loc[1, "n_mentored"])
    (0.266, 90)
    >>> evaluation_designs(300, 0.2, lang="fr")["design"].tolist()[:2]
    ['avant/après (sans comparaison)', 'randomisé à deux bras']
    """
    n = check_real("n_mentees", n_mentees)
    d = check_real("effect_size", effect_size)
    dm = (
        d if matched_effect_size is None else check_real("matched_effect_size", matched_effect_size)
    )
    for name, v, lo, hi in (
        ("completion", completion, 0.0, 1.0),
        ("alpha", alpha, 0.0, 0.5),
        ("power", power, 0.0, 1.0),
        ("pre_post_r", pre_post_r, -0.99, 0.99),
    ):
        if not (isinstance(v, (int, float)) and lo < v <= hi):
            raise InvalidArgumentError(
                name, v, N_("use a number in ({lo}, {hi}]").format(lo=lo, hi=hi)
            )
    if not (isinstance(comparison_ratio, (int, float)) and comparison_ratio > 0):
        raise InvalidArgumentError(
            "comparison_ratio", comparison_ratio, N_("use a number > 0, e.g. 1 or 2")
        )
    if n < 2:
        raise InvalidArgumentError("n_mentees", n_mentees, N_("use at least 2 mentees"))
    t = translator(lang)
    r = pre_post_r
    d_z = dm / math.sqrt(2 * (1 - r))
    d_ancova = d / math.sqrt(1 - r**2)
    arm = math.floor(n / 2 * completion)
    done = math.floor(n * completion)
    k = comparison_ratio

    def rct(m: float, eff: float) -> float:
        return two_sample_power(eff, m, m, alpha)

    need_arm = _smallest(lambda m: rct(m, d_ancova), power)
    need_pp = _smallest(lambda m: _paired_power(d_z, m, alpha), power)
    need_mc = _smallest(lambda m: two_sample_power(dm, m, k * m, alpha), power)
    rand = {
        "identifies_effect": True,
        "n_mentored": arm,
        "n_comparison": arm,
        "effect_size": d,
        "power": rct(arm, d),
        "power_ancova": rct(arm, d_ancova),
        "mentees_needed": math.ceil(2 * need_arm / completion)
        if need_arm == need_arm
        else math.nan,
    }
    rows = [
        {
            "design": t.gettext(EVALUATION_DESIGNS[0]),
            "identifies_effect": False,
            "n_mentored": done,
            "n_comparison": 0,
            "effect_size": d_z,
            "power": _paired_power(d_z, done, alpha),
            "power_ancova": math.nan,
            "mentees_needed": math.ceil(need_pp / completion) if need_pp == need_pp else math.nan,
            "note": t.gettext(
                N_(
                    "measures change, not the programme's effect (maturation, regression to "
                    "the mean and the school year change scores too)"
                )
            ),
        },
        {
            **rand,
            "design": t.gettext(EVALUATION_DESIGNS[1]),
            "note": t.gettext(N_("half the intake is not mentored; the strongest evidence")),
        },
        {
            **rand,
            "design": t.gettext(EVALUATION_DESIGNS[2]),
            "note": t.gettext(
                N_(
                    "controls are mentored after T1: everyone is served, the comparison lasts "
                    "one programme length"
                )
            ),
        },
        {
            "design": t.gettext(EVALUATION_DESIGNS[3]),
            "identifies_effect": True,
            "n_mentored": done,
            "n_comparison": math.floor(k * done),
            "effect_size": dm,
            "power": two_sample_power(dm, done, math.floor(k * done), alpha),
            "power_ancova": math.nan,
            "mentees_needed": math.ceil(need_mc / completion) if need_mc == need_mc else math.nan,
            "note": t.gettext(
                N_(
                    "{k:g} matched non-participant(s) per mentee; bias from what the "
                    "matching did not measure remains"
                )
            ).format(k=localized(k, t.lang)),
        },
    ]
    cols = [
        "design",
        "identifies_effect",
        "n_mentored",
        "n_comparison",
        "effect_size",
        "power",
        "power_ancova",
        "mentees_needed",
        "note",
    ]
    out = pd.DataFrame(rows)[cols]
    return out.astype({"n_mentored": np.int64, "n_comparison": np.int64, "mentees_needed": float})


def design_evaluations(
    result: SimulationResult,
    outcome: OutcomeAssumptions | Mapping[str, Any] | None = None,
    *,
    lang: str | None = None,
    **options: Any,
) -> pd.DataFrame:
    """:func:`evaluation_designs` for a simulated design and its expected effect.

    Parameters
    ----------
    result : SimulationResult
        From :func:`~ementor_kit.design.simulate`: the intake, the share answering both waves
        (expected completers / intake) and the plan's ``alpha`` and ``power``.
    outcome : OutcomeAssumptions or dict, optional
        The outcome model: the effect of offering the programme (per enrolled mentee) for the
        randomised designs, per matched mentee for the others.
    lang : str, optional
        Language of the texts (``design``, ``note``), ``"en"`` or ``"fr"``; default the
        process language (:func:`~ementor_kit.i18n.set_language`).
    **options
        ``pre_post_r``, ``comparison_ratio`` (see :func:`evaluation_designs`).

    Returns
    -------
    DataFrame
        As :func:`evaluation_designs`.

    Examples
    --------
    >>> from ementor_kit.design import ProgrammeDesign, simulate
    >>> res = simulate(ProgrammeDesign(n_mentees=60, n_mentors=25), seed=1)
    >>> t = design_evaluations(res)
    >>> bool(t.loc[0, "power"] > t.loc[1, "power"])  # pre/post looks strong, and proves less
    True
    """
    if not isinstance(result, SimulationResult):
        raise ArgumentTypeError("result", result, N_("pass the result of simulate(design)"))
    s = outcome_summary(result, outcome)
    ev = result.summary()
    plan = result.design.evaluation
    completion = ev["expected_t1_completers"] / result.design.n_mentees
    return evaluation_designs(
        result.design.n_mentees,
        s["effect_per_enrolled"],
        matched_effect_size=s["effect_per_matched"],
        completion=max(completion, 1e-9),
        alpha=plan.alpha,
        power=plan.power,
        lang=lang,
        **options,
    )
