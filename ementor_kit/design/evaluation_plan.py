"""A programme's evaluation plan: the questionnaires of each survey wave and the pre/post test.

:class:`EvaluationPlan` is part of a :class:`~ementor_kit.design.definition.ProgrammeDesign`
(its ``evaluation:`` section in YAML): which built-in questionnaires are given at which wave
(``T0``, ``T1``, ``T2``, ... in order; pulses ``P<day>``), the primary outcome, and the effect
size, alpha and power the sample size is planned for. :meth:`EvaluationPlan.burden` gives each
wave's response burden: its items and the expected minutes per respondent at
:data:`SECONDS_PER_ITEM`.

References
----------
.. [1] Pew Research Center (2022). "How we keep our online surveys from running too long".
   Decoded, 8 December 2022. A 15-minute online survey is budgeted at 85 points, a stand-alone
   question counting 1 point (about 10 seconds), an item of a battery less.
.. [2] Amplitude Research. "Online market research survey length". A grid of short statements
   on a 5-point scale runs at 10 or more questions a minute (6 seconds or less each).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from ementor_kit._checks import one_of
from ementor_kit._settings_yaml import unknown_key
from ementor_kit.design._values import _float, _problem
from ementor_kit.errors import (
    DataValidationError,
    EmentorKitError,
    InvalidArgumentError,
    Problem,
    UnknownNameError,
)
from ementor_kit.i18n.language import N_, gettext
from ementor_kit.survey.instruments import list_instruments, load_instrument
from ementor_kit.survey.waves import WAVE_NAME, wave_plan

__all__ = ["SECONDS_PER_ITEM", "EvaluationPlan"]

SECONDS_PER_ITEM = 9.0
"""ASSUMED answering time of one questionnaire item (a Likert-type statement), in seconds:
between a battery item (6 s or less [2]_) and a stand-alone question (about 10 s, 15 min for
85 points [1]_). Change it with the ``seconds_per_item`` argument of
:meth:`EvaluationPlan.burden`."""

_EVAL_KEYS = ("instruments", "primary_outcome", "effect_size", "alpha", "power")


@functools.lru_cache(maxsize=1)
def _known_instruments() -> tuple[str, ...]:
    return tuple(sorted(list_instruments()["id"]))


@functools.lru_cache(maxsize=64)
def _instrument(name: str) -> tuple[str, int, tuple[str, ...]] | None:
    """(id, number of items, raters) of a built-in instrument, None when unknown."""
    try:
        inst = load_instrument(name)
    except (EmentorKitError, OSError, ValueError, KeyError):
        return None
    return inst.id, len(inst.items), tuple(inst.raters)


def _plan_instruments(instruments: Any, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    """The questionnaires of every wave as ids (unknown or repeated ones go to ``problems``)."""
    where = "design"
    known = _known_instruments()
    clean: dict[str, tuple[str, ...]] = {}
    if not isinstance(instruments, Mapping):
        problems.append(
            _problem(
                where,
                "evaluation.instruments",
                N_("must be a mapping of wave to questionnaires"),
                N_("write it as {T0: [gse], T1: [gse, emx]}"),
            )
        )
    else:
        numbered: list[tuple[int, str]] = []
        for wave, names in instruments.items():
            key = f"evaluation.instruments.{wave}"
            if not isinstance(wave, str) or not WAVE_NAME.match(wave):
                problems.append(
                    _problem(
                        where,
                        key,
                        N_("invalid wave name {wave!r}").format(wave=wave),
                        N_(
                            "name waves with a letter then letters or digits: T0 (intake), T1 "
                            "(end), T2 (a follow-up), P30 (a pulse at day 30)"
                        ),
                    )
                )
                continue
            if re.fullmatch(r"T\d+", wave):
                numbered.append((int(wave[1:]), wave))
            if isinstance(names, str):
                names = [names]
            if names is None:
                names = []
            if not isinstance(names, (list, tuple)):
                problems.append(
                    _problem(
                        where,
                        key,
                        N_("invalid list {names!r}").format(names=names),
                        N_("write [gse, emx]"),
                    )
                )
                continue
            ids: list[str] = []
            for n in names:
                found = _instrument(str(n)) if isinstance(n, str) else None
                if found is None:
                    close = difflib.get_close_matches(str(n), known, n=1)
                    hint = N_("did you mean '{close}'? ").format(close=close[0]) if close else ""
                    problems.append(
                        _problem(
                            where,
                            key,
                            N_("unknown questionnaire {n!r}").format(n=n),
                            N_("{hint}use one of: {known}").format(
                                hint=hint, known=", ".join(known)
                            ),
                        )
                    )
                elif found[0] in ids:
                    problems.append(
                        _problem(
                            where,
                            key,
                            N_("{found} is listed twice").format(found=found[0]),
                            N_("list it once"),
                        )
                    )
                else:
                    ids.append(found[0])
            clean[wave] = tuple(ids)
        numbered = [(n, w) for n, w in numbered if n > 0]  # T0 always comes first
        if [n for n, _ in numbered] != sorted(n for n, _ in numbered):
            problems.append(
                _problem(
                    where,
                    "evaluation.instruments",
                    N_("the waves {numbered} are not in their order").format(
                        numbered=", ".join((w for _, w in numbered))
                    ),
                    N_("list the waves in the order they are asked: T0, T1, T2"),
                )
            )
    return _with_t0_t1(clean)


def _pre_post(full: Mapping[str, tuple[str, ...]]) -> tuple[str, str]:
    """The waves the pre/post test compares: ``T0`` and the last survey wave (not a pulse
    ``P<day>``) that gives a questionnaire, ``T1`` at the earliest."""
    names = list(full)
    kinds = {w.name: w.kind for w in wave_plan(names).waves}
    given = [w for w in names if kinds[w] == "survey" and full[w]]
    end = max(names.index("T1"), names.index(given[-1]) if given else 0)
    return names[0], names[end]


def _with_t0_t1(clean: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The waves in their order, ``T0`` (intake) and ``T1`` (end) always among them.

    ``T0`` comes first; the other waves keep the order given; ``T1``, when not given, goes
    before the first ``T<n>`` after it (``T2``...), else last.
    """
    rest = [w for w in clean if w != "T0"]
    if "T1" not in clean:
        later = [i for i, w in enumerate(rest) if re.fullmatch(r"T\d+", w) and int(w[1:]) > 1]
        rest.insert(later[0] if later else len(rest), "T1")
    return {w: tuple(clean.get(w, ())) for w in ("T0", *rest)}


@dataclass(frozen=True)
class EvaluationPlan:
    """How the programme will be evaluated: questionnaires per wave and the pre/post test.

    Parameters
    ----------
    instruments : mapping of wave to list of str
        Questionnaires given at intake (``T0``), at the end (``T1``) and at any other wave
        (``T2`` a follow-up, ``P30`` a pulse at day 30; names as
        :func:`~ementor_kit.survey.wave_plan` takes them): ids of the built-in instruments
        (``gse``, ``mfq``, ``wai``, ``emx``, ``pulse``; see
        :func:`ementor_kit.survey.instruments.list_instruments`). Aliases are accepted and stored
        as ids. The waves keep the order given (``T<n>`` in the order of n), ``T0`` first;
        ``T0`` and ``T1`` are always there (empty when not given).
    primary_outcome : str
        The instrument compared before and after (paired t test) between the waves of
        :attr:`pre_post`; it must be given at both and answered by mentees.
    effect_size : float
        Smallest change worth detecting, as a standardised paired effect ``d_z`` (mean change
        divided by the standard deviation of the change), between 0.05 and 3.
    alpha : float
        Type I error rate of the two-sided test, in (0, 0.5].
    power : float
        Wanted chance of detecting ``effect_size``, in (alpha, 1).

    Examples
    --------
    >>> plan = EvaluationPlan(instruments={"T0": ["gse"], "T1": ["gse", "emx"]})
    >>> plan.instruments["T1"], plan.primary_outcome, plan.effect_size
    (('gse', 'emx'), 'gse', 0.3)
    >>> EvaluationPlan(instruments={"T0": ["gse"], "T1": ["emx"]})
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - design, column 'evaluation.primary_outcome': 'gse' is not given at T1. Fix: add gse to evaluation.instruments.T1, or choose a primary outcome given at both T0 and T1

    With a follow-up wave, the pre/post test compares intake and follow-up:

    >>> plan = EvaluationPlan(instruments={"T0": ["gse"], "T1": ["wai"], "T2": ["gse"]})
    >>> list(plan.instruments), plan.pre_post
    (['T0', 'T1', 'T2'], ('T0', 'T2'))
    """

    instruments: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {"T0": ("gse",), "T1": ("gse", "wai", "emx")}
    )
    primary_outcome: str = "gse"
    effect_size: float = 0.3
    alpha: float = 0.05
    power: float = 0.8

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        full = _plan_instruments(self.instruments, problems)
        object.__setattr__(self, "instruments", MappingProxyType(full))
        self._check_outcome(full, problems)
        self._check_test(problems)
        if problems:
            raise DataValidationError(problems)

    def _check_outcome(self, full: Mapping[str, tuple[str, ...]], problems: list[Problem]) -> None:
        """The primary outcome: a known questionnaire, answered by mentees, given at every wave.

        The waves are checked only when ``problems`` holds nothing yet.
        """
        where = "design"
        known = _known_instruments()
        outcome = self.primary_outcome
        found = _instrument(outcome) if isinstance(outcome, str) else None
        if found is None:
            problems.append(
                _problem(
                    where,
                    "evaluation.primary_outcome",
                    N_("unknown questionnaire {outcome!r}").format(outcome=outcome),
                    N_("use one of: {known}").format(known=", ".join(known)),
                )
            )
        else:
            object.__setattr__(self, "primary_outcome", found[0])
            if "mentee" not in found[2]:
                problems.append(
                    _problem(
                        where,
                        "evaluation.primary_outcome",
                        N_("{found} is not answered by mentees").format(found=found[0]),
                        N_("choose a questionnaire mentees answer (e.g. gse)"),
                    )
                )
            elif not problems:
                first, last = _pre_post(full)
                for wave in (first, last):
                    if found[0] not in full[wave]:
                        problems.append(
                            _problem(
                                where,
                                "evaluation.primary_outcome",
                                N_("'{found}' is not given at {wave}").format(
                                    found=found[0], wave=wave
                                ),
                                N_(
                                    "add {found} to evaluation.instruments.{wave}, or choose a primary "
                                    "outcome given at both {first} and {last}"
                                ).format(found=found[0], wave=wave, first=first, last=last),
                            )
                        )

    def _check_test(self, problems: list[Problem]) -> None:
        """Effect size, alpha and power of the pre/post test."""
        where = "design"
        for key, lo, hi, fix in (
            ("effect_size", 0.05, 3.0, "use a standardised effect d_z between 0.05 and 3"),
            ("alpha", 1e-6, 0.5, "use a number in (0, 0.5], e.g. 0.05"),
            ("power", 0.5, 0.999, "use a number between 0.5 and 0.999, e.g. 0.8"),
        ):
            v = _float(getattr(self, key))
            if v is None or not lo <= v <= hi:
                problems.append(
                    _problem(
                        where,
                        f"evaluation.{key}",
                        N_("invalid value {getattr!r}").format(getattr=getattr(self, key)),
                        fix,
                    )
                )
            else:
                object.__setattr__(self, key, v)

    def __hash__(self) -> int:
        return hash(
            (
                tuple(self.instruments.items()),
                self.primary_outcome,
                self.effect_size,
                self.alpha,
                self.power,
            )
        )

    @property
    def pre_post(self) -> tuple[str, str]:
        """The two waves the pre/post test compares.

        ``T0`` and the last survey wave that gives a questionnaire (pulses ``P<day>``
        excepted), ``T1`` at the earliest.

        Examples
        --------
        >>> EvaluationPlan().pre_post
        ('T0', 'T1')
        >>> EvaluationPlan(instruments={"T0": ["gse"], "T1": ["gse"], "P200": ["pulse"]}).pre_post
        ('T0', 'T1')
        """
        return _pre_post(self.instruments)

    def items_at(self, wave: str) -> int:
        """Number of questionnaire items given at ``wave`` (``T0``, ``T1`` or another wave).

        Parameters
        ----------
        wave : str
            ``"T0"`` (intake), ``"T1"`` (end) or another wave of :attr:`instruments`.

        Returns
        -------
        int
            The items of every instrument given at that wave, added up.

        Examples
        --------
        >>> EvaluationPlan(instruments={"T0": ["gse"], "T1": ["gse", "emx"]}).items_at("T1")
        18
        """
        if wave not in self.instruments:
            raise UnknownNameError(
                "wave",
                wave,
                one_of(self.instruments, wave),
                message=N_("wave {wave!r} is not in the evaluation plan").format(wave=wave),
            )
        return sum(len(load_instrument(i).items) for i in self.instruments[wave])

    def burden(
        self, seconds_per_item: float = SECONDS_PER_ITEM, lang: str | None = None
    ) -> pd.DataFrame:
        """The response burden of every wave: items and expected minutes per respondent.

        Parameters
        ----------
        seconds_per_item : float
            Answering time of one item, in seconds (default :data:`SECONDS_PER_ITEM`, an
            assumption: see the module's References).
        lang : str, optional
            Language of the column labels (``"en"``, ``"fr"``; default: the current language).

        Returns
        -------
        DataFrame
            One row per wave, in the plan's order: ``wave``, ``instruments`` (comma-separated
            ids), ``items``, ``minutes per respondent`` (items x seconds / 60, rounded to 0.1),
            ``seconds per item``; labels in ``lang``.

        Raises
        ------
        InvalidArgumentError
            When ``seconds_per_item`` is not a positive number.

        Examples
        --------
        >>> plan = EvaluationPlan(instruments={"T0": ["gse"], "T1": ["gse", "emx"]})
        >>> plan.burden(lang="en")[["wave", "items", "minutes per respondent"]].to_dict("list")
        {'wave': ['T0', 'T1'], 'items': [10, 18], 'minutes per respondent': [1.5, 2.7]}
        >>> list(plan.burden(lang="fr").columns)[:2]
        ['vague', 'questionnaires']
        """
        seconds = _float(seconds_per_item)
        if seconds is None or seconds <= 0:
            raise InvalidArgumentError(
                "seconds_per_item",
                seconds_per_item,
                N_("give the answering time of one item in seconds, e.g. 9"),
            )
        labels = [
            N_("wave"),
            N_("instruments"),
            N_("items"),
            N_("minutes per respondent"),
            N_("seconds per item"),
        ]
        rows = []
        for wave, names in self.instruments.items():
            items = self.items_at(wave)
            rows.append((wave, ", ".join(names), items, round(items * seconds / 60, 1), seconds))
        return pd.DataFrame(rows, columns=[gettext(label, lang) for label in labels])

    def to_dict(self) -> dict[str, Any]:
        """The ``evaluation:`` section of the YAML layout.

        Returns
        -------
        dict
            ``instruments`` (wave to list of ids), ``primary_outcome``, ``effect_size``,
            ``alpha``, ``power``.

        Examples
        --------
        >>> EvaluationPlan().to_dict()["instruments"]
        {'T0': ['gse'], 'T1': ['gse', 'wai', 'emx']}
        """
        return {
            "instruments": {w: list(v) for w, v in self.instruments.items()},
            "primary_outcome": self.primary_outcome,
            "effect_size": self.effect_size,
            "alpha": self.alpha,
            "power": self.power,
        }


def _plan_from_dict(data: Any) -> EvaluationPlan:
    if isinstance(data, EvaluationPlan):
        return data
    if not isinstance(data, Mapping):
        raise DataValidationError(
            [
                _problem(
                    "design",
                    "evaluation",
                    N_("must be a mapping"),
                    N_("write evaluation: followed by {EVAL_KEYS}").format(
                        EVAL_KEYS=", ".join(_EVAL_KEYS)
                    ),
                )
            ]
        )
    bad = [k for k in data if k not in _EVAL_KEYS]
    if bad:
        raise DataValidationError(
            [unknown_key("design", f"evaluation.{k}", _EVAL_KEYS) for k in bad]
        )
    kw = {k: v for k, v in data.items() if v is not None}
    return EvaluationPlan(**kw)
