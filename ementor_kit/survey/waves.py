"""Several named, dated survey waves: their order, the long table of scores, and the changes.

A programme asks its questionnaires at intake (``T0``) and at the end (``T1``), maybe at a
follow-up (``T2``) and in short pulses between them (``P30``, ``P90``: the day after the
start). :func:`wave_plan` declares the waves, their order and their planned day or date;
:func:`pulse_waves` spells out a regular pulse schedule (Mentorloop's practice is a pulse at
day 30, then every 60 days); :func:`stack_waves` scores every wave into one long table
(one row per respondent and wave, the wave an ordered categorical) for
:func:`~ementor_kit.survey.mixed.mixed_model`; :func:`compare_wave_series` gives the paired
change of :func:`~ementor_kit.survey.effects.compare_waves` for each contrast of waves
(every later wave against the first, or each wave against the one before), with the
Holm-adjusted p-values of the several contrasts.

With two waves, ``compare_wave_series({"T0": t0, "T1": t1}, inst).effects`` holds the rows of
``compare_waves(t0, t1, inst).effects`` unchanged, after the columns ``wave_from`` and
``wave_to`` (it calls it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from ementor_kit._checks import check_choice, check_whole, one_of
from ementor_kit.errors import (
    DataValidationError,
    InvalidArgumentError,
    Problem,
    UnknownNameError,
)
from ementor_kit.i18n.language import N_
from ementor_kit.survey.effects import WaveComparison, _ids, compare_waves
from ementor_kit.survey.instruments import Instrument, load_instrument
from ementor_kit.survey.readers import SurveyExport
from ementor_kit.survey.scoring import _source, _table, score

__all__ = [
    "Wave",
    "WavePlan",
    "WaveSeries",
    "compare_wave_series",
    "pulse_waves",
    "stack_waves",
    "wave_plan",
]

WAVE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
"""A wave name: a letter, then letters, digits, ``_`` or ``-`` (``T0``, ``T2``, ``P30``)."""
_NUMBERED = re.compile(r"^([TP])(\d+)$")

Responses: TypeAlias = pd.DataFrame | SurveyExport


@dataclass(frozen=True)
class Wave:
    """One survey wave: its name and, when planned, its day and date.

    Parameters
    ----------
    name : str
        ``T0``, ``T1``, ``T2``, ``P30`` ... (a letter, then letters, digits, ``_``, ``-``).
    day : int, optional
        Planned day after the programme start (0 = intake).
    date : datetime.date, optional
        Planned date.
    kind : {"survey", "pulse"}
        A full questionnaire or a short pulse.

    Examples
    --------
    >>> Wave("P30", day=30, kind="pulse")
    Wave(name='P30', day=30, date=None, kind='pulse')
    """

    name: str
    day: int | None = None
    date: dt.date | None = None
    kind: str = "survey"


@dataclass(frozen=True)
class WavePlan:
    """The declared waves of a programme, in their order (see :func:`wave_plan`).

    Attributes
    ----------
    waves : tuple of Wave
        In order.

    Examples
    --------
    >>> plan = wave_plan({"T0": 0, "P30": 30, "T1": 112})
    >>> plan.names, plan.day("P30")
    (('T0', 'P30', 'T1'), 30)
    """

    waves: tuple[Wave, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Wave names, in order."""
        return tuple(w.name for w in self.waves)

    def wave(self, name: str) -> Wave:
        """The wave called ``name``.

        Parameters
        ----------
        name : str
            A declared wave.

        Returns
        -------
        Wave
            Its declaration.

        Raises
        ------
        UnknownNameError
            ``name`` is not a declared wave.

        Examples
        --------
        >>> wave_plan(["T0", "T1", "T2"]).wave("T2")
        Wave(name='T2', day=None, date=None, kind='survey')
        """
        for w in self.waves:
            if w.name == name:
                return w
        raise UnknownNameError(
            "wave",
            name,
            one_of(self.names, name),
            message=N_("wave {name!r} is not declared ({names})").format(
                name=name, names=", ".join(self.names)
            ),
        )

    def day(self, name: str) -> int | None:
        """Planned day of wave ``name`` (``None`` when not planned).

        Parameters
        ----------
        name : str
            A declared wave.

        Returns
        -------
        int or None
            Day after the programme start.

        Examples
        --------
        >>> wave_plan({"T0": 0, "T1": 112}).day("T1")
        112
        """
        return self.wave(name).day

    def table(self) -> pd.DataFrame:
        """The plan as a table: ``wave``, ``order`` (0 first), ``day``, ``date``, ``kind``.

        Returns
        -------
        DataFrame
            One row per wave, in order.

        Examples
        --------
        >>> wave_plan({"T0": 0, "T1": 112}, start="2026-09-07").table()
          wave  order  day        date    kind
        0   T0      0    0  2026-09-07  survey
        1   T1      1  112  2026-12-28  survey
        """
        return pd.DataFrame(
            {
                "wave": pd.array(self.names, dtype="str"),
                "order": range(len(self.waves)),
                "day": pd.array([w.day for w in self.waves], dtype="Int64"),
                "date": [w.date for w in self.waves],
                "kind": pd.array([w.kind for w in self.waves], dtype="str"),
            }
        )


def _as_date(argument: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidArgumentError(
            argument, value, N_("write the date as YYYY-MM-DD, e.g. '2026-09-07'")
        ) from None


def _kind(name: str) -> str:
    return "pulse" if name.startswith("P") and name[1:].isdigit() else "survey"


def _one_wave(name: object, value: object, start: dt.date | None) -> Wave:
    """A :class:`Wave` from a declaration ``name: value`` (a day, a date or ``None``)."""
    if isinstance(name, Wave):
        if start is not None and name.day is not None:
            return Wave(name.name, name.day, start + dt.timedelta(days=name.day), name.kind)
        if start is not None and name.date is not None:
            return Wave(name.name, (name.date - start).days, name.date, name.kind)
        return name
    if not isinstance(name, str) or not WAVE_NAME.match(name):
        raise InvalidArgumentError(
            "waves",
            name,
            N_("name waves with a letter then letters or digits, e.g. 'T0', 'T2', 'P30'"),
        )
    day, date = None, None
    if value is None:
        pass
    elif isinstance(value, bool) or not isinstance(value, int | np.integer | str | dt.date):
        raise InvalidArgumentError(
            f"waves[{name!r}]", value, N_("give the planned day (e.g. 30) or date ('2026-10-07')")
        )
    elif isinstance(value, int | np.integer):
        day = int(check_whole(f"waves[{name!r}]", value, minimum=0))
    else:
        date = _as_date(f"waves[{name!r}]", value)
    if start is not None and day is not None:
        date = start + dt.timedelta(days=day)
    elif start is not None and date is not None:
        day = (date - start).days
    return Wave(name, day, date, _kind(name))


def wave_plan(
    waves: Sequence[str | Wave] | Mapping[str, int | str | dt.date | None] | WavePlan | None = None,
    *,
    start: str | dt.date | None = None,
) -> WavePlan:
    """Declare the survey waves, their order and their planned days or dates.

    Parameters
    ----------
    waves : sequence, mapping or WavePlan, optional
        Wave names in their order (``["T0", "T1", "T2"]``), or ``{name: planned day or date}``
        (``{"T0": 0, "P30": 30, "T1": 112}``), or :class:`Wave` objects. When every wave has
        a day (or a date), the waves are ordered by it; otherwise the order given is kept.
        Default: ``T0`` (day 0) and ``T1``.
    start : str or date, optional
        Programme start: dates are computed from days, and days from dates.

    Returns
    -------
    WavePlan
        The waves, in order.

    Raises
    ------
    InvalidArgumentError
        A name that is not a wave name, repeated, a negative day, a bad date, two waves on
        the same day, or no wave.

    Examples
    --------
    >>> wave_plan().names
    ('T0', 'T1')
    >>> plan = wave_plan({"T1": "2026-12-28", "T0": "2026-09-07", "P30": None})
    >>> plan.names
    ('T1', 'T0', 'P30')
    >>> wave_plan({"T1": 112, "P30": 30, "T0": 0}).names
    ('T0', 'P30', 'T1')
    >>> [w.kind for w in wave_plan(["T0", "P30", "T1"]).waves]
    ['survey', 'pulse', 'survey']
    """
    if isinstance(waves, WavePlan):
        return waves
    first = None if start is None else _as_date("start", start)
    if waves is None:
        waves = {"T0": 0, "T1": None}
    if isinstance(waves, str) or not isinstance(waves, Sequence | Mapping):
        raise InvalidArgumentError(
            "waves", waves, N_("pass the wave names in order, e.g. ['T0', 'T1', 'T2']")
        )
    items = waves.items() if isinstance(waves, Mapping) else ((w, None) for w in waves)
    declared = [_one_wave(name, value, first) for name, value in items]
    names = [w.name for w in declared]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if not declared or repeated:
        raise InvalidArgumentError(
            "waves",
            waves,
            N_("declare each wave once, e.g. ['T0', 'T1', 'T2']"),
            message=N_("waves repeated: {repeated}").format(repeated=", ".join(repeated))
            if repeated
            else N_("no wave"),
        )
    keys: list[Any] | None = None
    if all(w.day is not None for w in declared):
        keys = [w.day for w in declared]
    elif all(w.date is not None for w in declared):
        keys = [w.date for w in declared]
    if keys is not None:
        if len(set(keys)) < len(keys):
            raise InvalidArgumentError(
                "waves",
                waves,
                N_("give each wave its own day or date"),
                message=N_("two waves on one day"),
            )
        declared = [w for _, w in sorted(zip(keys, declared, strict=True), key=lambda t: t[0])]
    return WavePlan(tuple(declared))


def pulse_waves(first: int = 30, every: int = 60, until: int = 112) -> tuple[Wave, ...]:
    """Short pulse waves ``P<day>`` at day ``first`` and every ``every`` days up to ``until``.

    Parameters
    ----------
    first : int
        Day of the first pulse (Mentorloop: 30).
    every : int
        Days between pulses (Mentorloop: 60).
    until : int
        Last day a pulse may fall on (e.g. the planned end, 112 for 16 weeks).

    Returns
    -------
    tuple of Wave
        The pulses, of kind ``"pulse"``; combine them with the surveys in :func:`wave_plan`.

    Examples
    --------
    >>> [w.name for w in pulse_waves()]
    ['P30', 'P90']
    >>> wave_plan([Wave("T0", 0), *pulse_waves(), Wave("T1", 112)]).names
    ('T0', 'P30', 'P90', 'T1')
    """
    check_whole("first", first, minimum=1)
    check_whole("every", every, minimum=1)
    check_whole("until", until, minimum=first)
    return tuple(Wave(f"P{d}", d, None, "pulse") for d in range(first, until + 1, every))


def _default_order(names: Sequence[str]) -> WavePlan:
    """Order of waves named only ``T<n>`` (by n) or only ``P<day>`` (by day); else refused."""
    found = [_NUMBERED.match(n) for n in names]
    letters = {m.group(1) for m in found if m}
    if all(found) and len(letters) == 1:
        ordered = sorted(names, key=lambda n: int(n[1:]))
        return wave_plan(ordered)
    raise InvalidArgumentError(
        "plan",
        None,
        N_("declare the order, e.g. plan=wave_plan({'T0': 0, 'P30': 30, 'T1': 112})"),
        message=N_("the order of waves {names} cannot be told from their names").format(
            names=", ".join(sorted(names))
        ),
    )


def _split(
    waves: Mapping[str, Responses] | Responses, plan: WavePlan | None, wave_col: str
) -> tuple[dict[str, Responses], WavePlan]:
    """``{wave: responses}`` in plan order, from a mapping or one table with a wave column."""
    if isinstance(waves, Mapping):
        given = {str(k): v for k, v in waves.items()}
        if plan is None:
            plan = wave_plan(list(given))
    else:
        file, first_row = _source(waves, None)
        table = _table(waves, "waves")
        if wave_col not in table.columns:
            raise DataValidationError(
                [
                    Problem(
                        file,
                        wave_col,
                        (),
                        N_("wave column missing"),
                        N_("pass a mapping {wave: responses}, or name the column with wave_col="),
                    )
                ]
            )
        labels = table[wave_col].astype("str").str.strip()
        blank = (table[wave_col].isna() | labels.eq("")).to_numpy()
        if blank.any():
            raise DataValidationError(
                [
                    Problem(
                        file,
                        wave_col,
                        tuple(int(i) + first_row for i in np.flatnonzero(blank)),
                        N_("response without a wave"),
                        N_("write the wave of every response (T0, T1, ...)"),
                    )
                ]
            )
        if plan is None:
            plan = _default_order(list(pd.unique(labels)))
        given = {
            str(w): table.loc[(labels == w).to_numpy()].reset_index(drop=True)
            for w in pd.unique(labels)
        }
    unknown = [w for w in given if w not in plan.names]
    if unknown:
        raise UnknownNameError(
            "waves",
            unknown,
            N_("declare them in plan= (declared: {names})").format(names=", ".join(plan.names)),
            message=N_("wave(s) {unknown} not in the plan").format(unknown=", ".join(unknown)),
        )
    return {w: given[w] for w in plan.names if w in given}, plan


def stack_waves(
    waves: Mapping[str, Responses] | Responses,
    instrument: Instrument | str,
    id_col: str = "respondent_id",
    *,
    plan: WavePlan | Sequence[str] | Mapping[str, int | str | None] | None = None,
    wave_col: str = "wave",
    min_answered: int | dict[str, int] | None = None,
) -> pd.DataFrame:
    """Scores of every wave in one long table: one row per respondent and wave.

    Parameters
    ----------
    waves : mapping or DataFrame or SurveyExport
        ``{wave name: responses}`` (in order unless ``plan`` says otherwise), or one table of
        responses with a ``wave_col`` column.
    instrument : Instrument or str
        The instrument answered at every wave.
    id_col : str
        Column identifying respondents (ids compared as text, stripped).
    plan : WavePlan or declaration, optional
        The declared waves (see :func:`wave_plan`); default: the mapping's order, or for one
        table waves named ``T<n>`` only (or ``P<day>`` only), ordered by number.
    wave_col : str
        Column of the wave when ``waves`` is one table.
    min_answered : int or mapping, optional
        Passed to :func:`~ementor_kit.survey.scoring.score`.

    Returns
    -------
    DataFrame
        ``id_col``, ``wave`` (ordered categorical, the declared waves), ``wave_order`` (0 for
        the first declared wave), ``day`` (planned, ``<NA>`` when not), ``submitted_at`` when
        the responses have it, then ``<instrument>_<subscale>`` scores and their ``_n``
        counts; rows by wave order, then id.

    Raises
    ------
    DataValidationError
        Missing id or wave column, blank ids or waves, a respondent answering twice in one
        wave, or invalid answers.
    InvalidArgumentError
        A wave not in the plan (:class:`~ementor_kit.errors.UnknownNameError`), or an order
        that cannot be told from the names.

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"gse_{i}" for i in range(1, 11)]
    >>> long = pd.DataFrame({"respondent_id": ["E1", "E2", "E1", "E1"],
    ...                      "wave": ["T0", "T0", "T1", "T2"],
    ...                      **{item: [2, 3, 3, 4] for item in items}})
    >>> stack_waves(long, "gse")[["respondent_id", "wave", "wave_order", "gse_total"]]
      respondent_id wave  wave_order  gse_total
    0            E1   T0           0       20.0
    1            E2   T0           0       30.0
    2            E1   T1           1       30.0
    3            E1   T2           2       40.0
    """
    inst = load_instrument(instrument)
    declared = None if plan is None else wave_plan(plan)
    by_wave, declared = _split(waves, declared, wave_col)
    parts = []
    for name, responses in by_wave.items():
        ids = _ids(responses, id_col, name)
        scored = score(responses, inst, min_answered=min_answered, keep=[])
        table = _table(responses)
        part = pd.DataFrame({id_col: pd.array(ids.to_numpy(), dtype="str")})
        part["wave"] = name
        part["wave_order"] = declared.names.index(name)
        part["day"] = declared.day(name)
        if "submitted_at" in table.columns:
            part["submitted_at"] = table["submitted_at"].to_numpy()
        for col in scored.columns:
            part[col] = scored[col].to_numpy()
        parts.append(part.sort_values(id_col, kind="stable"))
    out = pd.concat(parts, ignore_index=True)
    out["wave"] = pd.Categorical(out["wave"], categories=list(declared.names), ordered=True)
    out["day"] = out["day"].astype("Int64")
    return out


@dataclass(frozen=True, eq=False)
class WaveSeries:
    """Result of :func:`compare_wave_series`.

    Attributes
    ----------
    effects : DataFrame
        One row per contrast and subscale: ``wave_from``, ``wave_to``, the columns of
        :attr:`WaveComparison.effects <ementor_kit.survey.effects.WaveComparison>`, then
        ``p_t_holm`` and ``p_wilcoxon_holm`` (Holm 1979, over the contrasts of the subscale).
    attrition : DataFrame
        ``wave_from``, ``wave_to`` and the attrition rows of each contrast.
    participation : DataFrame
        One row per declared wave: ``wave``, ``day``, ``n_responses``, ``n_with_first``
        (also answered the first wave), ``n_every_wave`` (answered every wave so far).
    comparisons : tuple of (str, str, WaveComparison)
        Each contrast's full :class:`~ementor_kit.survey.effects.WaveComparison`.
    plan : WavePlan
        The waves compared, in order.

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"gse_{i}" for i in range(1, 11)]
    >>> w = {f"T{k}": pd.DataFrame({"respondent_id": ["E1", "E2", "E3"],
    ...                             **{i: [2 + (k > 0), 2 + k // 2, 3] for i in items}})
    ...      for k in range(3)}
    >>> compare_wave_series(w, "gse").participation
      wave   day  n_responses  n_with_first  n_every_wave
    0   T0  <NA>            3             3             3
    1   T1  <NA>            3             3             3
    2   T2  <NA>            3             3             3
    """

    effects: pd.DataFrame
    attrition: pd.DataFrame
    participation: pd.DataFrame
    comparisons: tuple[tuple[str, str, WaveComparison], ...]
    plan: WavePlan


def _holm(p: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN kept, left out of the count).

    Parameters
    ----------
    p : sequence of float
        Unadjusted p-values.

    Returns
    -------
    ndarray
        ``min(1, max over k <= rank of (m - k + 1) p_(k))`` for each p, m the number of
        p-values that are not NaN.

    Examples
    --------
    >>> _holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    values = np.asarray(p, dtype=float)
    out = np.full(values.shape, np.nan)
    ok = ~np.isnan(values)
    m = int(ok.sum())
    if m == 0:
        return out
    order = np.argsort(values[ok], kind="stable")
    steps = values[ok][order] * (m - np.arange(m))
    adjusted = np.minimum(1.0, np.maximum.accumulate(steps))
    result = np.empty(m)
    result[order] = adjusted
    out[ok] = result
    return out


def _contrasts(names: Sequence[str], contrasts: str | Sequence[tuple[str, str]]) -> list:
    """The (from, to) waves compared."""
    if isinstance(contrasts, str):
        check_choice("contrasts", contrasts, ("baseline", "successive"))
        if contrasts == "baseline":
            return [(names[0], b) for b in names[1:]]
        return list(zip(names[:-1], names[1:], strict=True))
    pairs = [tuple(c) for c in contrasts]
    bad = [c for c in pairs if len(c) != 2 or c[0] not in names or c[1] not in names]
    if not pairs or bad:
        raise InvalidArgumentError(
            "contrasts",
            contrasts,
            N_("pass 'baseline', 'successive' or pairs of waves among {names}").format(
                names=", ".join(names)
            ),
        )
    return pairs


def _participation(by_wave: Mapping[str, Responses], plan: WavePlan, id_col: str) -> pd.DataFrame:
    ids = {w: set(_ids(r, id_col, w)) for w, r in by_wave.items()}
    names = [w for w in plan.names if w in ids]
    first, every = ids[names[0]], None
    rows = []
    for w in names:
        every = ids[w] if every is None else every & ids[w]
        rows.append((w, plan.day(w), len(ids[w]), len(ids[w] & first), len(every)))
    out = pd.DataFrame(rows, columns=["wave", "day", "n_responses", "n_with_first", "n_every_wave"])
    out["wave"] = out["wave"].astype("str")
    out["day"] = out["day"].astype("Int64")
    return out


def compare_wave_series(
    waves: Mapping[str, Responses] | Responses,
    instrument: Instrument | str,
    id_col: str = "respondent_id",
    *,
    plan: WavePlan | Sequence[str] | Mapping[str, int | str | None] | None = None,
    contrasts: str | Sequence[tuple[str, str]] = "baseline",
    wave_col: str = "wave",
    min_answered: int | dict[str, int] | None = None,
    ci: float = 0.95,
) -> WaveSeries:
    """Paired change between several waves: :func:`compare_waves` for each contrast.

    For a test over all waves at once, with everyone's answers (not only the complete
    pairs), fit :func:`~ementor_kit.survey.mixed.mixed_model` to :func:`stack_waves` with
    ``factors=["wave"]``.

    Parameters
    ----------
    waves : mapping or DataFrame or SurveyExport
        ``{wave name: responses}`` or one table with a ``wave_col`` column (see
        :func:`stack_waves`); at least two waves.
    instrument : Instrument or str
        The instrument answered at every wave.
    id_col : str
        Column identifying respondents.
    plan : WavePlan or declaration, optional
        The declared waves and their order (see :func:`wave_plan`).
    contrasts : {"baseline", "successive"} or sequence of (str, str)
        Every later wave against the first (default), each wave against the one before, or
        the pairs of waves given.
    wave_col : str
        Column of the wave when ``waves`` is one table.
    min_answered : int or mapping, optional
        Passed to :func:`~ementor_kit.survey.scoring.score`.
    ci : float
        Level of the confidence intervals.

    Returns
    -------
    WaveSeries
        Effects and attrition per contrast, participation per wave.

    Raises
    ------
    DataValidationError
        As :func:`stack_waves`.
    InvalidArgumentError
        Fewer than two waves, an unknown contrast, or ``ci`` not between 0 and 1.

    Examples
    --------
    >>> import pandas as pd
    >>> items = [f"gse_{i}" for i in range(1, 11)]
    >>> w = {f"T{k}": pd.DataFrame({"respondent_id": ["E1", "E2", "E3"],
    ...                             **{i: [2 + (k > 0), 2 + k // 2, 3] for i in items}})
    ...      for k in range(3)}
    >>> res = compare_wave_series(w, "gse")
    >>> res.effects[["wave_from", "wave_to", "n_pairs", "mean_diff"]].round(2)
      wave_from wave_to  n_pairs  mean_diff
    0        T0      T1        3       3.33
    1        T0      T2        3       6.67
    """
    inst = load_instrument(instrument)
    declared = None if plan is None else wave_plan(plan)
    by_wave, declared = _split(waves, declared, wave_col)
    names = list(by_wave)
    if len(names) < 2:
        raise InvalidArgumentError(
            "waves",
            names,
            N_("pass the responses of at least two waves"),
            message=N_("one wave only"),
        )
    comparisons, effects, attrition = [], [], []
    for a, b in _contrasts(names, contrasts):
        res = compare_waves(by_wave[a], by_wave[b], inst, id_col, min_answered=min_answered, ci=ci)
        comparisons.append((a, b, res))
        effects.append(res.effects.assign(wave_from=a, wave_to=b))
        attrition.append(res.attrition.assign(wave_from=a, wave_to=b))
    eff = pd.concat(effects, ignore_index=True)
    for col in ("p_t", "p_wilcoxon"):
        adjusted = np.full(len(eff), np.nan)
        for _, idx in eff.groupby("subscale", sort=False).groups.items():
            adjusted[np.asarray(idx)] = _holm(eff.loc[idx, col].to_numpy(dtype=float))
        eff[f"{col}_holm"] = adjusted
    front = ["wave_from", "wave_to"]
    eff = eff[front + [c for c in eff.columns if c not in front]]
    att = pd.concat(attrition, ignore_index=True)
    att = att[front + [c for c in att.columns if c not in front]]
    return WaveSeries(
        effects=eff,
        attrition=att,
        participation=_participation(by_wave, declared, id_col),
        comparisons=tuple(comparisons),
        plan=declared,
    )
