"""Exact optimiser behind :func:`ementor_kit.matching.assign` (private).

Problem: choose pairs (mentee ``i``, mentor ``j``) among the allowed ones so that every mentee has
at most one mentor and mentor ``j`` at most ``cap[j]`` mentees, optimising one objective:

``coverage_then_score``
    the most pairs, then the highest total score;
``score``
    the highest total score (pairs scoring <= 0 are never used);
``maximin``
    the most pairs, then the highest lowest score, then the highest total score.

Methods
-------
Pure capacity problem (the constraint matrix is totally unimodular)
    ``scipy.optimize.linear_sum_assignment`` on the score matrix with each mentor's column
    repeated ``cap[j]`` times. Not-allowed entries are worth 0 and dropped afterwards; for the
    coverage objectives every allowed entry gets a bonus ``B`` larger than any difference of total
    scores, so the optimum has the most pairs first. Besides the input, memory holds one
    mentees x mentors cost matrix and the replicated matrix, built level by level (every
    mentor's first place, then every second place, ...) in the layout scipy solves without
    copying (float64, C order, rows <= columns).
``maximin``
    Binary search over the distinct scores for the largest threshold ``t`` such that the pairs
    scoring ``>= t`` still pair as many mentees as all allowed pairs (a maximum flow per step),
    then the coverage-then-score optimum among the pairs scoring ``>= t``.
Large pure problems (``solver="sparse"``, and ``auto`` from a million mentees x mentors)
    A min-cost flow (OR-Tools) on candidate pairs, every other pair priced with float duals
    computed from the flow until none can improve, which proves the pairing optimal over all
    pairs; the scores may be read in chunks of mentee rows (module ``sparse``). Mentors with
    identical columns are merged into one of the summed capacity first and split again after,
    which keeps the optimum (module ``merge``). ``maximin`` and quotas stay on the dense methods.
Side constraints (group quotas)
    An integer programme over a sparse set of candidate pairs (each mentee's best few plus a
    pairing without quotas), solved with HiGHS through highspy (``solver="highs"``, the model is
    kept in memory and re-optimised from the previous basis as pairs are added) or written with
    PuLP and solved by CBC (``solver="cbc"``, rebuilt at each step). Column generation prices
    every excluded pair with the duals of the linear relaxation and adds those that could
    improve it, until none can: the relaxation is then optimal for the full problem. If its
    optimum is fractional, the integer programme is solved on the candidate set; when that is
    below the bound, every excluded pair whose reduced cost is below the gap is added and the
    integer programme solved again, which proves optimality for the full problem (reduced-cost
    argument). Lexicographic objectives are solved in stages rather than with mixed weights: the
    most pairs meeting the quotas first, then the best score with that number of pairs fixed
    (in the first stage an absolute quota gets a slack costing more than any number of pairs, so
    a positive slack at the optimum proves the quota cannot be met). With the
    number of pairs fixed, a quota "group coverage >= r x overall coverage" becomes a count
    ("at least c mentees of the group paired"); quotas on groups of one column are then nested
    sets of mentees, the constraint matrix stays totally unimodular and the relaxation is
    integral, so no branching is needed. Overlapping groups may need branching.

Ties between equally good solutions are broken by the solver on the problem in id order, so the
result depends only on the content of the input, never on its row order.

Modules
-------
``candidates``
    the candidate pairs as a dense value matrix and allowed mask, in id order;
``lsa``
    the pure capacity problem by linear sum assignment (``_solve_pure``);
``flow``
    maximum flow: the largest number of pairs and the maximin threshold;
``sides``
    group quotas as side constraints (``_Side``, ``_Row``);
``model``, ``highs_model``, ``pulp_model``
    the restricted integer programme on the candidate pairs, in HiGHS or PuLP + CBC;
``stages``
    one stage: column generation on the relaxation, then the integer programme with a proof;
``quotas``
    the solve with quotas: most pairs first, the maximin threshold, then the best score;
``sparse``
    the pure problem by min-cost flow on candidate pairs with dual pricing (``_solve_sparse``);
``merge``
    identical mentors merged before the sparse method and split after (``_merged``, ``_split``);
``solve``
    ``_solve``, the dispatch between the methods.
"""

from ementor_kit.matching._solver.candidates import _candidate_arrays
from ementor_kit.matching._solver.highs_model import _HighsModel
from ementor_kit.matching._solver.model import _ModelResult
from ementor_kit.matching._solver.pulp_model import _PulpModel
from ementor_kit.matching._solver.sides import _quota_side, _Side
from ementor_kit.matching._solver.solve import OBJECTIVES, SOLVERS, _solve

__all__ = [
    "OBJECTIVES",
    "SOLVERS",
    "_HighsModel",
    "_ModelResult",
    "_PulpModel",
    "_Side",
    "_candidate_arrays",
    "_quota_side",
    "_solve",
]
