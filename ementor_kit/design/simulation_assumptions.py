"""The ILLUSTRATIVE assumptions of :func:`~ementor_kit.design.simulation.simulate`.

A :class:`SimulationAssumptions` holds the parameters of the engagement model (how likely a pair
is to fade each week, and how the design changes that) and of the response model (who answers
each evaluation wave). They are illustrative numbers, not findings: every one is validated,
described (:meth:`SimulationAssumptions.describe`) and round-trips through YAML so that a
programme can replace them with its own figures. The model itself is documented in
:mod:`ementor_kit.design.simulation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ementor_kit._settings_yaml import read_yaml, unknown_key
from ementor_kit.design._values import _float, _int, _problem
from ementor_kit.design.definition import _rename
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_, translator

__all__ = ["SimulationAssumptions"]

_ASSUMPTION_HELP: dict[str, tuple[str, str]] = {
    "weekly_fade_hazard": (
        N_("chance per week"),
        N_(
            "Chance that a reference pair fades in a given week: one-to-one, formal, check-ins "
            "every reference_checkin_days, best sync share, same time zone, match score 50."
        ),
    ),
    "early_weeks": (N_("weeks"), N_("Length of the fragile start of a relationship.")),
    "early_hazard_ratio": (
        N_("ratio"),
        N_("Hazard multiplier during the early weeks (pairs that never really start)."),
    ),
    "reference_checkin_days": (N_("days"), N_("Check-in cadence of the reference pair.")),
    "checkin_elasticity": (
        N_("exponent >= 0"),
        N_(
            "Hazard scales as (checkin_every_days / reference_checkin_days) ** elasticity: "
            "rarer check-ins, more fading."
        ),
    ),
    "best_sync_share": (
        N_("share"),
        N_(
            "Live share at which the ASSUMED fading hazard is lowest (retention only; not an "
            "optimum for what mentees learn or gain)."
        ),
    ),
    "sync_mix_penalty": (
        N_("ratio"),
        N_(
            "Hazard multiplier 1 + penalty * (sync_share - best_sync_share) ** 2: all-written "
            "pairs lack presence, all-live pairs struggle to meet."
        ),
    ),
    "timezone_hazard_per_hour": (
        N_("per hour"),
        N_(
            "Extra hazard per hour of time-zone distance, times the live share "
            "(1 + value * hours * sync_share): distance only hurts live exchanges."
        ),
    ),
    "hazard_ratio_per_10_points": (
        N_("ratio"),
        N_(
            "Hazard multiplier per 10 points of match score above 50 (below 1: better "
            "matched pairs fade less)."
        ),
    ),
    "group_hazard_ratio": (N_("ratio"), N_("Hazard multiplier in group mentoring (peer support).")),
    "informal_hazard_ratio": (
        N_("ratio"),
        N_(
            "Hazard multiplier of informal programmes (pairs organise themselves, no coordinator "
            "check-ins), in place of the check-in factor."
        ),
    ),
    "t0_response_rate": (N_("share"), N_("Mentees answering the intake questionnaire.")),
    "t1_response_active": (
        N_("share"),
        N_("Of T0 respondents in pairs active at the end: answer T1."),
    ),
    "t1_response_faded": (N_("share"), N_("Of T0 respondents in pairs that faded: answer T1.")),
    "response_drop_per_10_items": (
        N_("share"),
        N_("Relative drop of a wave's response rate per 10 questionnaire items."),
    ),
    "group_outcome_icc": (
        N_("correlation"),
        N_(
            "Intraclass correlation of the outcome within a group (members share sessions): the "
            "group format divides the test's sample by 1 + (respondents per group - 1) * ICC."
        ),
    ),
    "comfortable_load": (
        N_("relationships"),
        N_("Relationships (pairs, or groups) a mentor can follow without overload."),
    ),
    "overload_hazard_per_extra": (
        N_("per relationship"),
        N_(
            "Extra hazard per relationship beyond comfortable_load, for every pair of that mentor: "
            "1 + value * max(0, load - comfortable_load)."
        ),
    ),
    "untrained_hazard_ratio": (
        N_("ratio"),
        N_(
            "Hazard multiplier of a mentor with no pre-match training; 2 hours (MENTOR's "
            "recommended minimum) or more: 1; in between: value ** (1 - hours / 2). The "
            "value is an assumption of this toolkit."
        ),
    ),
    "no_initiation_early_ratio": (
        N_("ratio"),
        N_(
            "Extra multiplier of the early-weeks hazard without a facilitated first meeting and a "
            "written agreement (practice.first_meeting and practice.agreement)."
        ),
    ),
    "low_digital_comfort": (
        N_("score 1-5"),
        N_("Digital comfort at or below which a mentee needs training on the tools."),
    ),
    "low_digital_hazard_ratio": (
        N_("ratio"),
        N_(
            "Hazard multiplier of a mentee with low digital comfort when the programme gives no "
            "digital training (practice.digital_training false)."
        ),
    ),
}


@dataclass(frozen=True)
class SimulationAssumptions:
    """ILLUSTRATIVE parameters of the engagement and response model of :func:`simulate`.

    These numbers are **illustrative assumptions, not findings**: they were chosen to give
    plausible orders of magnitude (in the sample programme about a third of the pairs fade
    within sixteen weeks; in CyberMentor, a one-year online programme, 598 of 901 girls left
    before the end, Uebler et al. 2023) and to make the *direction* of each design choice visible.
    They are not estimated from data. Change them to your own programme's figures, and read
    the simulated numbers as "what follows if these assumptions hold". The hazard model is
    given in the module documentation; :meth:`describe` lists every parameter with its
    meaning.

    ``checkin_elasticity``, ``sync_mix_penalty`` and ``timezone_hazard_per_hour`` must be
    >= 0: with these signs more frequent check-ins, a mix closer to ``best_sync_share`` and
    shorter distances never raise a pair's hazard.

    Parameters
    ----------
    weekly_fade_hazard : float
        Chance per week that a reference pair fades (one-to-one, formal, check-ins every
        ``reference_checkin_days``, best sync share, same time zone, match score 50).
    early_weeks : int
        Weeks of the fragile start of a relationship.
    early_hazard_ratio : float
        Hazard multiplier during the early weeks.
    reference_checkin_days : float
        Check-in cadence of the reference pair, in days.
    checkin_elasticity : float
        Exponent: the hazard scales as ``(checkin_every_days / reference_checkin_days) **
        checkin_elasticity``.
    best_sync_share : float
        Live share at which the assumed fading hazard is lowest. It optimises *retention under
        these assumptions* only: not learning, not outcomes, and it is not a finding.
    sync_mix_penalty : float
        The hazard is multiplied by ``1 + sync_mix_penalty * (sync_share - best_sync_share)
        ** 2``.
    timezone_hazard_per_hour : float
        Extra hazard per hour of time-zone distance, times the live share.
    hazard_ratio_per_10_points : float
        Hazard multiplier per 10 points of match score above 50.
    group_hazard_ratio : float
        Hazard multiplier in group mentoring (peer support), for mentees whose group has at
        least two members.
    informal_hazard_ratio : float
        Hazard multiplier of informal programmes, in place of the check-in factor (the
        coordinator does not check in). The default 1.8 is about the check-in factor of a
        check-in every ten weeks (``(70 / 14) ** 0.35``): leaving pairs without any follow-up
        is assumed to be no better than the rarest usual follow-up (monitoring and support is
        one of MENTOR's standards, and DuBois et al. (2002) found larger effects in programmes
        that used more of the recommended practices). An assumption, not an estimate.
    t0_response_rate : float
        Share of mentees answering the intake questionnaire.
    t1_response_active : float
        Share of T0 respondents in pairs active at the end who answer T1.
    t1_response_faded : float
        Share of T0 respondents in pairs that faded who answer T1.
    response_drop_per_10_items : float
        Relative drop of a wave's response rate per 10 questionnaire items.
    group_outcome_icc : float
        Intraclass correlation of the outcome within a group (the design effect of the group
        format).
    comfortable_load : float
        Relationships (pairs one-to-one, groups in the group format) a mentor follows without
        overload.
    overload_hazard_per_extra : float
        Every pair of a mentor with ``load`` relationships has its hazard multiplied by
        ``1 + overload_hazard_per_extra * max(0, load - comfortable_load)`` (the overload
        cost; with the defaults a mentor of 10 mentees doubles each pair's hazard). No
        published estimate is known to us: an assumption, range 0-0.3.
    untrained_hazard_ratio : float
        Hazard multiplier of mentors without pre-match training; ``value ** (1 - hours / 2)``
        below MENTOR's recommended minimum of two hours, 1 from two hours on.
    no_initiation_early_ratio : float
        Extra multiplier of the early-weeks hazard when the programme lacks a facilitated first
        meeting or a written agreement.
    low_digital_comfort : float
        Digital comfort (1-5) at or below which a mentee needs training on the tools.
    low_digital_hazard_ratio : float
        Hazard multiplier of those mentees when the programme offers no digital training.

    Examples
    --------
    >>> a = SimulationAssumptions(weekly_fade_hazard=0.04)
    >>> a.weekly_fade_hazard, a.status
    (0.04, 'ILLUSTRATIVE')
    >>> SimulationAssumptions.from_dict({"weekly_fade_hazrd": 0.1})
    Traceback (most recent call last):
    ...
    ementor_kit.errors.DataValidationError: 1 problem found:
    - assumptions, column 'weekly_fade_hazrd': unknown key. Fix: did you mean 'weekly_fade_hazard'?
    """

    weekly_fade_hazard: float = 0.025
    early_weeks: int = 4
    early_hazard_ratio: float = 1.5
    reference_checkin_days: float = 14.0
    checkin_elasticity: float = 0.35
    best_sync_share: float = 0.4
    sync_mix_penalty: float = 1.5
    timezone_hazard_per_hour: float = 0.05
    hazard_ratio_per_10_points: float = 0.85
    group_hazard_ratio: float = 0.9
    informal_hazard_ratio: float = 1.8
    t0_response_rate: float = 0.95
    t1_response_active: float = 0.8
    t1_response_faded: float = 0.45
    response_drop_per_10_items: float = 0.02
    group_outcome_icc: float = 0.05
    comfortable_load: float = 3.0
    overload_hazard_per_extra: float = 0.15
    untrained_hazard_ratio: float = 1.25
    no_initiation_early_ratio: float = 1.3
    low_digital_comfort: float = 2.0
    low_digital_hazard_ratio: float = 1.3

    status = N_("ILLUSTRATIVE")
    """Label of every number these assumptions produce: illustrative, not a finding."""

    def __post_init__(self) -> None:
        where = "assumptions"
        problems: list[Problem] = []
        share = (0.0, 1.0, "use a share between 0 and 1")
        positive = (1e-9, 100.0, "use a ratio > 0 (1 = no effect)")
        non_negative = (0.0, 100.0, "use a number >= 0 (0 = no effect)")
        bounds = {
            "weekly_fade_hazard": share,
            "early_hazard_ratio": positive,
            "reference_checkin_days": (1.0, 365.0, "use a number of days between 1 and 365"),
            "checkin_elasticity": (0.0, 5.0, "use an exponent between 0 and 5 (0 = no effect)"),
            "best_sync_share": share,
            "sync_mix_penalty": non_negative,
            "timezone_hazard_per_hour": non_negative,
            "hazard_ratio_per_10_points": positive,
            "group_hazard_ratio": positive,
            "informal_hazard_ratio": positive,
            "t0_response_rate": share,
            "t1_response_active": share,
            "t1_response_faded": share,
            "response_drop_per_10_items": (0.0, 1.0, "use a share between 0 and 1"),
            "group_outcome_icc": (0.0, 1.0, "use an intraclass correlation between 0 and 1"),
            "comfortable_load": (1.0, 50.0, "use a number of relationships between 1 and 50"),
            "overload_hazard_per_extra": non_negative,
            "untrained_hazard_ratio": positive,
            "no_initiation_early_ratio": positive,
            "low_digital_comfort": (1.0, 5.0, "use a digital comfort score between 1 and 5"),
            "low_digital_hazard_ratio": positive,
        }
        for key, (lo, hi, fix) in bounds.items():
            v = _float(getattr(self, key))
            if v is None or not lo <= v <= hi:
                problems.append(_problem(where, key, f"invalid value {getattr(self, key)!r}", fix))
            else:
                object.__setattr__(self, key, v)
        v = _int(self.early_weeks)
        if v is None or not 0 <= v <= 104:
            problems.append(
                _problem(
                    where,
                    "early_weeks",
                    f"invalid value {self.early_weeks!r}",
                    N_("use a whole number of weeks between 0 and 104"),
                )
            )
        else:
            object.__setattr__(self, "early_weeks", v)
        if problems:
            raise DataValidationError(problems)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "assumptions"
    ) -> SimulationAssumptions:
        """Assumptions from a flat mapping; omitted parameters keep their defaults.

        Parameters
        ----------
        data : mapping
            ``parameter: value`` entries (names as in the class parameters).
        source : str
            Name of the origin (a file name), used in the problems reported.

        Returns
        -------
        SimulationAssumptions
            The validated assumptions.

        Raises
        ------
        DataValidationError
            Naming every unknown key (with the closest known one) and every invalid value.

        Examples
        --------
        >>> SimulationAssumptions.from_dict({"checkin_elasticity": 0}).checkin_elasticity
        0.0
        """
        if not isinstance(data, Mapping):
            raise DataValidationError(
                [_problem(source, None, "must be a mapping", N_("write parameter: value lines"))]
            )
        known = [f.name for f in fields(cls)]
        bad = [k for k in data if k not in known]
        if bad:
            raise DataValidationError([unknown_key(source, str(k), known) for k in bad])
        try:
            return cls(**dict(data))
        except DataValidationError as exc:
            raise _rename(exc, source, "assumptions") from None

    @classmethod
    def from_yaml(cls, source: str | Path) -> SimulationAssumptions:
        """Assumptions from a YAML file path or YAML text (flat ``parameter: value``).

        Parameters
        ----------
        source : str or Path
            A YAML file (a ``Path``, or a one-line string ending in ``.yaml``/``.yml``), or
            YAML text.

        Returns
        -------
        SimulationAssumptions
            The validated assumptions.

        Examples
        --------
        >>> SimulationAssumptions.from_yaml("early_weeks: 6").early_weeks
        6
        """
        data, name = read_yaml(source, N_("assumptions"))
        return cls.from_dict(data, source=name)

    def to_dict(self) -> dict[str, Any]:
        """Every parameter, in declaration order.

        Returns
        -------
        dict
            Parameter name to value; :meth:`from_dict` reads it back.

        Examples
        --------
        >>> list(SimulationAssumptions().to_dict())[:3]
        ['weekly_fade_hazard', 'early_weeks', 'early_hazard_ratio']
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_yaml(self, path: str | Path | None = None) -> str:
        """YAML text (``parameter: value``), written to ``path`` when given.

        Parameters
        ----------
        path : str or Path, optional
            File to write.

        Returns
        -------
        str
            The YAML text, headed by a comment saying the values are illustrative.

        Examples
        --------
        >>> text = SimulationAssumptions().to_yaml()
        >>> text.splitlines()[1]
        'weekly_fade_hazard: 0.025'
        >>> SimulationAssumptions.from_yaml(text) == SimulationAssumptions()
        True
        """
        text = "# ILLUSTRATIVE assumptions, not findings: replace them with your own figures.\n"
        text += yaml.dump(self.to_dict(), Dumper=yaml.SafeDumper, sort_keys=False)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8", newline="\n")
        return text

    def describe(self, lang: str | None = None) -> pd.DataFrame:
        """One row per parameter: value, unit, meaning and status (``ILLUSTRATIVE``).

        Parameters
        ----------
        lang : str, optional
            Language of the texts (``unit``, ``meaning``, ``status``), ``"en"`` or ``"fr"``;
            default the process language (:func:`~ementor_kit.i18n.set_language`). The
            ``parameter`` names stay as they are.

        Returns
        -------
        DataFrame
            Columns ``parameter``, ``value``, ``unit``, ``meaning``, ``status``.

        Examples
        --------
        >>> SimulationAssumptions().describe().loc[0, ["parameter", "status"]].tolist()
        ['weekly_fade_hazard', 'ILLUSTRATIVE']
        >>> SimulationAssumptions().describe(lang="fr").loc[1, ["parameter", "unit"]].tolist()
        ['early_weeks', 'semaines']
        """
        t = translator(lang)
        rows = [
            {
                "parameter": k,
                "value": float(v),
                "unit": t.gettext(_ASSUMPTION_HELP[k][0]),
                "meaning": t.gettext(_ASSUMPTION_HELP[k][1]),
                "status": t.gettext(self.status),
            }
            for k, v in self.to_dict().items()
        ]
        return pd.DataFrame(rows)
