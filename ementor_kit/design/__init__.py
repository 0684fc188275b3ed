"""Programme design: what a design decides, and what it costs and gains in simulation.

- :mod:`~ementor_kit.design.definition`: :class:`ProgrammeDesign`, :class:`EvaluationPlan`,
  :class:`PracticePlan`, ``FORMATS``, ``STRUCTURES``.
- :mod:`~ementor_kit.design.simulation`: :func:`simulate`, :class:`SimulationResult`,
  :func:`compare_designs`; :mod:`~ementor_kit.design.simulation_assumptions`:
  :class:`SimulationAssumptions` (also importable from ``simulation``).
- :mod:`~ementor_kit.design.sweeps`: :func:`sweep`, many designs x replications, on a
  ``dask.distributed`` client when one is given.
- :mod:`~ementor_kit.design.outcomes`: the benefit side (STATED assumptions with sources):
  :class:`OutcomeAssumptions`, :func:`expected_outcomes`, :func:`outcome_summary`,
  :func:`tradeoff_table`.
- :mod:`~ementor_kit.design.practice`: MENTOR's standards as design dimensions:
  :func:`practice_checklist`, :func:`practice_costs`, :class:`PracticeCosts`.
- :mod:`~ementor_kit.design.evaluation_designs`: pre/post, two-arm randomised, wait-list and
  matched-comparison designs with their power: :func:`evaluation_designs`,
  :func:`design_evaluations`.

:func:`example_designs` is reachable here as before; it is defined in
:mod:`ementor_kit.datasets`.
"""

from typing import Any

from ementor_kit.design.definition import FORMATS, STRUCTURES, PracticePlan, ProgrammeDesign
from ementor_kit.design.evaluation_designs import design_evaluations, evaluation_designs
from ementor_kit.design.evaluation_plan import EvaluationPlan
from ementor_kit.design.outcomes import (
    OutcomeAssumptions,
    expected_outcomes,
    outcome_summary,
    tradeoff_table,
)
from ementor_kit.design.practice import PracticeCosts, practice_checklist, practice_costs
from ementor_kit.design.simulation import (
    SimulationAssumptions,
    SimulationResult,
    compare_designs,
    simulate,
)
from ementor_kit.design.sweeps import sweep

__all__ = [
    "FORMATS",
    "STRUCTURES",
    "EvaluationPlan",
    "OutcomeAssumptions",
    "PracticeCosts",
    "PracticePlan",
    "ProgrammeDesign",
    "SimulationAssumptions",
    "SimulationResult",
    "compare_designs",
    "design_evaluations",
    "evaluation_designs",
    "example_designs",
    "expected_outcomes",
    "outcome_summary",
    "practice_checklist",
    "practice_costs",
    "simulate",
    "sweep",
    "tradeoff_table",
]


def __getattr__(name: str) -> Any:
    # ementor_kit.datasets depends on this package, so example_designs is imported on first use.
    if name == "example_designs":
        from ementor_kit.datasets import example_designs

        return example_designs
    raise AttributeError(f"module 'ementor_kit.design' has no attribute {name!r}")
