"""Agreement between raters: intraclass correlations and mentor-mentee dyads.

Statistics and their sources
----------------------------
* ICCs (:func:`icc`, :func:`dyad_agreement`) from the two-way ANOVA of n targets by k raters,
  with the F-based confidence intervals of McGraw & Wong (1996), Tables 7-8.
* r_wg(J) (James, Demaree & Wolf 1984) per dyad over a subscale's items:
  ``J (1 - v/e) / (J (1 - v/e) + v/e)``, v the mean within-dyad item variance, e =
  (A^2 - 1)/12 the variance of a uniform answer over A options; set to 0 when v > e
  (LeBreton & Senter 2008). With one item it is ``1 - v/e`` (R ``multilevel::rwg``).
* The random-pairing null of r_wg(J) (:func:`rwg_null`): mentors and mentees re-paired at
  random, the same r_wg(J) computed for the random dyads, many times.

Which null for r_wg
-------------------
r_wg compares the observed within-pair variance with the variance expected if raters
answered at random. The expected variance used here is the *uniform* one, (A^2 - 1)/12
(James, Demaree & Wolf 1984), the most common choice. LeBreton & Senter (2008) warn that the
uniform null overstates agreement whenever raters share a response bias (leniency: most
alliance ratings sit at the top of the scale), and advise choosing a null that reflects the
plausible bias - e.g. a slightly skewed distribution, whose smaller variance gives lower
r_wg - or reporting r_wg under several nulls. Rather than assume one skew, :func:`rwg_null`
measures the r_wg that *random* mentor-mentee dyads of the same sample reach: their
distribution carries the sample's own response bias, and the observed r_wg means agreement
only as far as it exceeds that distribution. The ICC(A,1) answers the between-pair question
(do the two sides of a pair agree more than people from different pairs?) and is the
statistic to lead with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice, check_level
from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.survey.instruments import Instrument, list_instruments, load_instrument
from ementor_kit.survey.readers import SurveyExport
from ementor_kit.survey.scoring import _reverse_in_place, _source, _table, item_matrix, score

__all__ = [
    "DyadAgreement",
    "RwgNull",
    "dyad_agreement",
    "icc",
    "link_to_pairs",
    "rwg_null",
]


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

    Raises
    ------
    InvalidArgumentError
        ``ratings`` is not a numeric targets x raters table with two raters or more
        (:class:`~ementor_kit.errors.ArgumentTypeError` when not numeric), or ``ci`` is not
        strictly between 0 and 1.
    DataValidationError
        Fewer than two targets rated by every rater.

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
    from scipy import stats  # lazy: scipy.stats takes ~1 s to import

    check_level("ci", ci)
    fix = N_("pass one row per target and one numeric column per rater (at least two raters)")
    try:
        x = np.asarray(ratings, dtype=float)
    except (TypeError, ValueError) as err:
        raise ArgumentTypeError("ratings", ratings, fix) from err
    if x.ndim != 2 or x.shape[1] < 2:
        raise InvalidArgumentError(
            "ratings",
            ratings,
            fix,
            message=N_("a table of shape {shape} is not targets x raters").format(shape=x.shape),
        )
    keep = ~np.isnan(x).any(axis=1)
    dropped = int((~keep).sum())
    x = x[keep]
    n, k = x.shape
    if n < 2:
        raise DataValidationError(
            [
                Problem(
                    "ratings",
                    None,
                    (),
                    N_("at least two fully rated targets are needed, got {n}").format(n=n),
                    N_("rate two targets or more by every rater (rows with a gap are left out)"),
                )
            ]
        )
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

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"wai_{i}" for i in range(1, 13)]
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "mentor_id": ["M1", "M2", "M3"]})
    >>> mentee = pd.DataFrame([["E1", *[5] * 12], ["E2", *[3] * 12], ["E3", *[2] * 12]],
    ...                       columns=["respondent_id", *items])
    >>> mentor = pd.DataFrame([["M1", *[4] * 12], ["M2", *[3] * 12]],
    ...                       columns=["respondent_id", *items])
    >>> res = dyad_agreement(mentor, mentee, pairs, "wai")
    >>> res.per_pair[["mentee_id", "mentor_id", "wai_total_mentee", "wai_total_mentor"]]
      mentee_id mentor_id  wai_total_mentee  wai_total_mentor
    0        E1        M1               5.0               4.0
    1        E2        M2               3.0               3.0
    >>> res.unmatched[["role", "respondent_id", "issue"]]
         role respondent_id                   issue
    0  mentee            E3  partner did not answer
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
    ratings: pd.DataFrame | SurveyExport,
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
    ratings : DataFrame or SurveyExport
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
    InvalidArgumentError
        ``role`` is neither ``"mentee"`` nor ``"mentor"``.

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
    check_choice("role", role, ("mentee", "mentor"))
    pairs = _pairs_table(pairs)
    file, _ = _source(ratings, None)
    ratings = _table(ratings, "ratings")
    if id_col not in ratings.columns:
        raise DataValidationError(
            [
                Problem(
                    file,
                    id_col,
                    (),
                    N_("{role} responses: id column missing").format(role=role),
                    N_("pass id_col= the column identifying respondents ({columns}, ...)").format(
                        columns=", ".join(map(str, ratings.columns[:6]))
                    ),
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
    for i in np.flatnonzero(dup).tolist():
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
                [
                    Problem(
                        "pairs",
                        need,
                        (),
                        N_("column missing"),
                        N_("pass the pairs table (pairs.csv)"),
                    )
                ]
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
                    N_("pair without this id"),
                    N_("fill in both ids of every pair (or validate pairs.csv first)"),
                )
            )
    if problems:
        raise DataValidationError(problems)
    return out


def _same_source(
    ratings: pd.DataFrame | SurveyExport, rows: pd.DataFrame
) -> pd.DataFrame | SurveyExport:
    """``rows`` (matched responses) named after the export ``ratings`` came from, if any.

    Problems found while scoring them name the export's file; their rows are positions among
    the matched pairs (counted from the file's first response row), as before.
    """
    return ratings.with_responses(rows) if isinstance(ratings, SurveyExport) else rows


def _rated_instruments(
    instrument: Instrument | str | Sequence[Instrument | str] | None,
    mentor_df: pd.DataFrame,
    mentee_df: pd.DataFrame,
) -> list[Instrument]:
    """The instruments to compare: those named, or every built-in one both tables hold."""
    if isinstance(instrument, Instrument | str):
        return [load_instrument(instrument)]
    if instrument is not None:
        return [load_instrument(i) for i in instrument]
    builtins = [load_instrument(i) for i in list_instruments()["id"]]
    insts = [
        i
        for i in builtins
        if set(i.item_ids) <= set(mentor_df.columns) and set(i.item_ids) <= set(mentee_df.columns)
    ]
    if not insts:
        raise InvalidArgumentError(
            "instrument",
            None,
            N_("pass instrument= the instrument both sides answered (e.g. 'wai')"),
            message=N_("no built-in instrument has all its items in both tables"),
        )
    return insts


def _linked_side(
    ratings: pd.DataFrame | SurveyExport,
    pairs: pd.DataFrame,
    role: str,
    id_col: str,
    target_col: str,
    unmatched: list[dict[str, str]],
) -> pd.DataFrame:
    """The responses of one side linked to a pair (``_mentee``, ``_mentor``); the rest go to
    ``unmatched`` with their reason."""
    link = link_to_pairs(ratings, pairs, role, id_col=id_col, target_col=target_col)
    ok = (link["issue"] == "").to_numpy()
    cols = ["respondent_id", "target_id", "issue", "reason"]
    unmatched += link.loc[~ok, cols].assign(role=role).to_dict("records")
    return _table(ratings)[ok].assign(
        _mentee=link["mentee_id"].to_numpy()[ok], _mentor=link["mentor_id"].to_numpy()[ok]
    )


def _both_answered(
    mentee_l: pd.DataFrame, mentor_l: pd.DataFrame, unmatched: list[dict[str, str]]
) -> pd.DataFrame:
    """The pairs (``_mentee``, ``_mentor``, sorted) where both sides answered; pairs where
    only one did go to ``unmatched``."""
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
    return merged[merged["_merge"] == "both"][key].sort_values(key).reset_index(drop=True)


_ICC_COLUMNS = ("icc_a1", "icc_a1_low", "icc_a1_high", "icc_c1", "icc_c1_low", "icc_c1_high")


def _icc_columns(both: np.ndarray, ci: float) -> dict[str, float]:
    """ICC(A,1) and ICC(C,1) with their intervals over complete pairs (NaN below 2 pairs)."""
    if len(both) < 2:
        return dict.fromkeys(_ICC_COLUMNS, float("nan"))
    t = icc(both, ci=ci).set_index("type")
    return {
        "icc_a1": t.loc["ICC(A,1)", "icc"],
        "icc_a1_low": t.loc["ICC(A,1)", "ci_low"],
        "icc_a1_high": t.loc["ICC(A,1)", "ci_high"],
        "icc_c1": t.loc["ICC(C,1)", "icc"],
        "icc_c1_low": t.loc["ICC(C,1)", "ci_low"],
        "icc_c1_high": t.loc["ICC(C,1)", "ci_high"],
    }


def _instrument_agreement(
    inst: Instrument,
    e_rows: pd.DataFrame | SurveyExport,
    m_rows: pd.DataFrame | SurveyExport,
    per_pair: pd.DataFrame,
    min_answered: int | dict[str, int] | None,
    ci: float,
) -> list[dict[str, object]]:
    """Summary rows of one instrument, one per subscale; adds each subscale's mentee score,
    mentor score and r_wg(J) to ``per_pair``."""
    se = score(e_rows, inst, min_answered=min_answered, keep=[]).reset_index(drop=True)
    sm = score(m_rows, inst, min_answered=min_answered, keep=[]).reset_index(drop=True)
    xe = _reverse_in_place(item_matrix(e_rows, inst), inst.item_ids, inst)
    xm = _reverse_in_place(item_matrix(m_rows, inst), inst.item_ids, inst)
    pos = {item: j for j, item in enumerate(inst.item_ids)}
    rows: list[dict[str, object]] = []
    for sub in inst.subscales:
        col = f"{inst.id}_{sub.id}"
        idx = [pos[i] for i in sub.items]
        both = np.column_stack([se[col].to_numpy(), sm[col].to_numpy()])
        complete = ~np.isnan(both).any(axis=1)
        rwg = np.where(complete, _rwg_j(xe[:, idx], xm[:, idx], inst.n_options), np.nan)
        per_pair[f"{col}_mentee"] = se[col].to_numpy()
        per_pair[f"{col}_mentor"] = sm[col].to_numpy()
        per_pair[f"{col}_rwg"] = rwg
        ok = rwg[~np.isnan(rwg)]
        rows.append(
            {
                "instrument": inst.name,
                "subscale": sub.id,
                "n_pairs": int(complete.sum()),
                "n_incomplete": int((~complete).sum()),
                **_icc_columns(both[complete], ci),
                "rwg_mean": float(ok.mean()) if len(ok) else float("nan"),
                "rwg_median": float(np.median(ok)) if len(ok) else float("nan"),
                "n_rwg_70": int((ok >= 0.7).sum()),
            }
        )
    return rows


def dyad_agreement(
    mentor_ratings: pd.DataFrame | SurveyExport,
    mentee_ratings: pd.DataFrame | SurveyExport,
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
    mentor_ratings, mentee_ratings : DataFrame or SurveyExport
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

    Raises
    ------
    DataValidationError
        ``pairs`` lacks an id column or has a blank id, a response lacks ``id_col``, or
        answers are invalid.
    InvalidArgumentError
        No ``instrument`` given and no built-in one has all its items in both tables, or
        ``ci`` is not strictly between 0 and 1.

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
    check_level("ci", ci)
    insts, e_rows, m_rows, matched, unmatched = _matched_rows(
        mentor_ratings, mentee_ratings, pairs, instrument, id_col, target_col
    )
    per_pair = matched.rename(columns={"_mentee": "mentee_id", "_mentor": "mentor_id"})
    summary = []
    for inst in insts:
        summary += _instrument_agreement(inst, e_rows, m_rows, per_pair, min_answered, ci)
    unmatched_df = pd.DataFrame(
        unmatched, columns=["role", "respondent_id", "target_id", "issue", "reason"]
    )
    unmatched_df = unmatched_df.sort_values(["role", "respondent_id", "target_id"], kind="stable")
    return DyadAgreement(pd.DataFrame(summary), per_pair, unmatched_df.reset_index(drop=True))


def _matched_rows(
    mentor_ratings: pd.DataFrame | SurveyExport,
    mentee_ratings: pd.DataFrame | SurveyExport,
    pairs: pd.DataFrame,
    instrument: Instrument | str | Sequence[Instrument | str] | None,
    id_col: str,
    target_col: str,
) -> tuple[
    list[Instrument],
    pd.DataFrame | SurveyExport,
    pd.DataFrame | SurveyExport,
    pd.DataFrame,
    list[dict[str, str]],
]:
    """The instruments, the mentee and mentor responses of the pairs where both answered (in
    the same order), those pairs, and every response not used with its reason."""
    pairs = _pairs_table(pairs)
    mentor_df = _table(mentor_ratings, "mentor_ratings")
    mentee_df = _table(mentee_ratings, "mentee_ratings")
    insts = _rated_instruments(instrument, mentor_df, mentee_df)
    unmatched: list[dict[str, str]] = []
    mentee_l = _linked_side(mentee_ratings, pairs, "mentee", id_col, target_col, unmatched)
    mentor_l = _linked_side(mentor_ratings, pairs, "mentor", id_col, target_col, unmatched)
    matched = _both_answered(mentee_l, mentor_l, unmatched)
    at = pd.MultiIndex.from_frame(matched)
    key = ["_mentee", "_mentor"]
    e_rows = _same_source(mentee_ratings, mentee_l.set_index(key).loc[at])
    m_rows = _same_source(mentor_ratings, mentor_l.set_index(key).loc[at])
    return insts, e_rows, m_rows, matched, unmatched


@dataclass(frozen=True, eq=False)
class RwgNull:
    """Result of :func:`rwg_null`: observed r_wg(J) against random mentor-mentee dyads.

    Attributes
    ----------
    summary : DataFrame
        One row per (instrument, subscale): ``n_pairs`` (complete pairs re-paired),
        ``n_shuffles``, ``seed``, ``observed_mean`` and ``null_mean`` (mean r_wg(J) of the real
        pairs and the average over shuffles of the random dyads' mean), ``null_low`` and
        ``null_high`` (2.5 % and 97.5 % of that null), ``p_mean`` (share of shuffles whose
        mean r_wg reaches the observed one, ``(1 + count) / (1 + n_shuffles)``), then the
        same for the share of dyads with r_wg(J) >= .70: ``observed_share_70``,
        ``null_share_70``, ``null_share_70_low``, ``null_share_70_high``, ``p_share_70``.
    null : DataFrame
        One row per shuffle and subscale: ``instrument``, ``subscale``, ``shuffle``,
        ``rwg_mean``, ``share_70`` (the permutation distributions, e.g. for a histogram).

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"wai_{i}" for i in range(1, 13)]
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M2"]})
    >>> same = [[p, *[4] * 12] for p in ("E1", "E2")]
    >>> mentee = pd.DataFrame(same, columns=["respondent_id", *items])
    >>> mentor = mentee.assign(respondent_id=["M1", "M2"])
    >>> res = rwg_null(mentor, mentee, pairs, "wai", n_shuffles=5)
    >>> res.summary[["subscale", "observed_mean", "null_mean", "p_mean"]].iloc[[3]]
      subscale  observed_mean  null_mean  p_mean
    3    total            1.0        1.0     1.0
    """

    summary: pd.DataFrame
    null: pd.DataFrame


def rwg_null(
    mentor_ratings: pd.DataFrame | SurveyExport,
    mentee_ratings: pd.DataFrame | SurveyExport,
    pairs: pd.DataFrame,
    instrument: Instrument | str | Sequence[Instrument | str] | None = None,
    *,
    n_shuffles: int = 200,
    seed: int = 0,
    id_col: str = "respondent_id",
    target_col: str = "target_id",
    min_answered: int | dict[str, int] | None = None,
) -> RwgNull:
    """The r_wg(J) of real pairs against its random-pairing null.

    The pairs are those :func:`dyad_agreement` uses (both sides answered, both scored on the
    subscale). Each shuffle gives every mentee the items of a mentor drawn at random among
    those pairs (a random permutation of the mentors), and computes r_wg(J) (uniform null
    variance, see the module notes) for the random dyads: their mean and the share >= .70.
    The observed values are compared with these permutation distributions; a p-value near 1
    says that random dyads agree as much as real ones, so r_wg alone shows no agreement
    specific to the pair (LeBreton & Senter 2008 on the choice of null).

    Parameters
    ----------
    mentor_ratings, mentee_ratings : DataFrame or SurveyExport
        Responses of mentors and mentees, as for :func:`dyad_agreement`.
    pairs : DataFrame
        The pairs (columns ``mentee_id``, ``mentor_id``).
    instrument : Instrument, str, sequence of them, or None
        As for :func:`dyad_agreement`.
    n_shuffles : int
        Number of random re-pairings.
    seed : int
        Seed of the random generator (``numpy.random.default_rng``): same seed, same null.
    id_col, target_col : str
        Columns holding the respondent and, when given, the person rated.
    min_answered : int or mapping, optional
        Passed to :func:`~ementor_kit.survey.scoring.score`.

    Returns
    -------
    RwgNull
        ``.summary`` (observed, null and p-values per subscale) and ``.null`` (every shuffle).

    Raises
    ------
    InvalidArgumentError
        ``n_shuffles`` is not a whole number of at least 1, or as for :func:`dyad_agreement`.
    DataValidationError
        As for :func:`dyad_agreement`.

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"wai_{i}" for i in range(1, 13)]
    >>> ids = [f"{i}" for i in range(1, 7)]
    >>> pairs = pd.DataFrame({"mentee_id": ["E" + i for i in ids],
    ...                       "mentor_id": ["M" + i for i in ids]})
    >>> levels = [1, 2, 3, 4, 5, 5]
    >>> mentee = pd.DataFrame([["E" + i, *[v] * 12] for i, v in zip(ids, levels)],
    ...                       columns=["respondent_id", *items])
    >>> mentor = mentee.assign(respondent_id=["M" + i for i in ids])
    >>> res = rwg_null(mentor, mentee, pairs, "wai", n_shuffles=99, seed=1)
    >>> res.summary.loc[3, ["observed_mean", "p_mean"]].round(3).tolist()
    [1.0, 0.01]
    """
    whole = isinstance(n_shuffles, int | np.integer) and not isinstance(n_shuffles, bool)
    if not whole or n_shuffles < 1:
        raise InvalidArgumentError(
            "n_shuffles", n_shuffles, N_("give a whole number of shuffles, e.g. 200")
        )
    insts, e_rows, m_rows, _, _ = _matched_rows(
        mentor_ratings, mentee_ratings, pairs, instrument, id_col, target_col
    )
    rng = np.random.default_rng(seed)
    summary, null = [], []
    for inst in insts:
        se = score(e_rows, inst, min_answered=min_answered, keep=[]).reset_index(drop=True)
        sm = score(m_rows, inst, min_answered=min_answered, keep=[]).reset_index(drop=True)
        xe = _reverse_in_place(item_matrix(e_rows, inst), inst.item_ids, inst)
        xm = _reverse_in_place(item_matrix(m_rows, inst), inst.item_ids, inst)
        pos = {item: j for j, item in enumerate(inst.item_ids)}
        for sub in inst.subscales:
            col = inst.column(sub.id)
            ok = (se[col].notna() & sm[col].notna()).to_numpy()
            idx = [pos[i] for i in sub.items]
            a, b = xe[ok][:, idx], xm[ok][:, idx]
            observed = _rwg_j(a, b, inst.n_options)
            means, shares = np.empty(n_shuffles), np.empty(n_shuffles)
            for t in range(n_shuffles):
                r = _rwg_j(a, b[rng.permutation(len(b))], inst.n_options)
                means[t], shares[t] = np.nanmean(r), np.mean(r[~np.isnan(r)] >= 0.7)
                null.append(
                    {
                        "instrument": inst.name,
                        "subscale": sub.id,
                        "shuffle": t,
                        "rwg_mean": means[t],
                        "share_70": shares[t],
                    }
                )
            obs_mean = float(np.nanmean(observed))
            obs_share = float(np.mean(observed[~np.isnan(observed)] >= 0.7))
            summary.append(
                {
                    "instrument": inst.name,
                    "subscale": sub.id,
                    "n_pairs": int(ok.sum()),
                    "n_shuffles": n_shuffles,
                    "seed": seed,
                    "observed_mean": obs_mean,
                    "null_mean": float(means.mean()),
                    "null_low": float(np.quantile(means, 0.025)),
                    "null_high": float(np.quantile(means, 0.975)),
                    "p_mean": (1 + int((means >= obs_mean - 1e-12).sum())) / (1 + n_shuffles),
                    "observed_share_70": obs_share,
                    "null_share_70": float(shares.mean()),
                    "null_share_70_low": float(np.quantile(shares, 0.025)),
                    "null_share_70_high": float(np.quantile(shares, 0.975)),
                    "p_share_70": (1 + int((shares >= obs_share - 1e-12).sum())) / (1 + n_shuffles),
                }
            )
    return RwgNull(pd.DataFrame(summary), pd.DataFrame(null))
