"""Pairing: from profiles and a coordinator's rules to the best possible pairing.

- :mod:`~ementor_kit.matching.rules`: :class:`MatchRules` (criterion weights, hard rules,
  objective, quotas); :mod:`~ementor_kit.matching.quotas`: :class:`GroupQuota` (also importable
  from ``rules``).
- :mod:`~ementor_kit.matching.scores`: :func:`score_pairs`, the compatibility of every pair;
  :func:`prepare_people`, the tables and rules as the optimiser sees them.
- :mod:`~ementor_kit.matching.optimise`: :func:`assign`, the exact optimiser on a long table of
  candidate pairs, and its :class:`Assignment`.
- :mod:`~ementor_kit.matching.chunked`: :func:`assign_in_chunks`, the same optimiser on scores
  asked for a block of mentees at a time (no mentees x mentors matrix in memory).
- :mod:`~ementor_kit.matching.pairing`: :func:`match` (scoring + optimisation + result),
  :func:`compare_rules`, :func:`rematch`.
- :mod:`~ementor_kit.matching.result`: :class:`MatchResult`, :class:`MatchSummary`.
- :mod:`~ementor_kit.matching.audit`: :func:`audit` (stability, envy, groups, load).
- :mod:`~ementor_kit.matching.shortlist`: :func:`shortlist`, ``k`` mentors offered to each
  mentee with exposure caps, its :class:`Shortlist` (``simulate_choices``, ``resolve``) and
  :class:`Resolution`.
- :mod:`~ementor_kit.matching.baselines`: :func:`greedy`, :func:`random_pairing`,
  :func:`stable_pairing`.
- :mod:`~ementor_kit.matching.circles`: :func:`form_circles`, circles led by a mentor or among
  peers, and their :class:`Circles`.
- :mod:`~ementor_kit.matching.slots`: :func:`read_availability` (``availability.csv``),
  :func:`shared_weekly_hours`, :func:`propose_slots` (recurring slots across time zones).
- :mod:`~ementor_kit.matching.flash`: :func:`flash_sessions`, one-off meetings in rounds
  (flash / speed mentoring), and its :class:`FlashSchedule`.
- :mod:`~ementor_kit.matching.preferences`: the ``preference`` and ``shared_slots`` criteria
  and the ``top_k`` and ``require_shared_slots`` hard rules (declared ranks of
  ``preferences.csv``, shared hours of ``availability.csv``), and the strict orders
  :func:`stable_pairing` and :func:`audit` use with ``preferences=``.

The optimiser is exact: the private package ``ementor_kit.matching._solver`` holds the methods and their
proofs. :class:`~ementor_kit.errors.InfeasibleMatchingError` is raised when required pairs,
capacities or quotas cannot all hold.
"""

from ementor_kit.errors import InfeasibleMatchingError
from ementor_kit.matching.audit import MatchAudit, audit
from ementor_kit.matching.baselines import greedy, random_pairing, stable_pairing
from ementor_kit.matching.chunked import assign_in_chunks
from ementor_kit.matching.circles import Circles, form_circles
from ementor_kit.matching.flash import FlashSchedule, flash_sessions
from ementor_kit.matching.optimise import Assignment, assign
from ementor_kit.matching.pairing import compare_rules, match, rematch
from ementor_kit.matching.result import MatchResult, MatchSummary
from ementor_kit.matching.rules import CRITERIA, GroupQuota, MatchRules
from ementor_kit.matching.scores import PreparedPeople, prepare_people, score_pairs
from ementor_kit.matching.shortlist import Resolution, Shortlist, shortlist
from ementor_kit.matching.slots import (
    Availability,
    PersonAvailability,
    SlotProposal,
    propose_slots,
    read_availability,
    shared_weekly_hours,
)

__all__ = [
    "CRITERIA",
    "Assignment",
    "Availability",
    "Circles",
    "FlashSchedule",
    "GroupQuota",
    "InfeasibleMatchingError",
    "MatchAudit",
    "MatchResult",
    "MatchRules",
    "MatchSummary",
    "Resolution",
    "Shortlist",
    "PersonAvailability",
    "PreparedPeople",
    "SlotProposal",
    "assign",
    "assign_in_chunks",
    "audit",
    "compare_rules",
    "form_circles",
    "flash_sessions",
    "greedy",
    "match",
    "prepare_people",
    "propose_slots",
    "random_pairing",
    "read_availability",
    "rematch",
    "score_pairs",
    "shortlist",
    "shared_weekly_hours",
    "stable_pairing",
]
