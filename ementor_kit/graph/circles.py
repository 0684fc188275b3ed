"""Engagement per circle: the pairs of a mentoring circle (``group_id``) taken together.

A circle (:func:`~ementor_kit.form_circles`) is one mentor with several mentees; its pairs go to
``pairs.csv`` with the circle's ``group_id`` (:attr:`Circles.pairs
<ementor_kit.matching.circles.Circles.pairs>`), and a group session gives one exchange row per
attending mentee (same ``session_id``). :func:`engagement` judges each pair;
:func:`circle_engagement` sums them up per circle: how many pairs, how much they exchanged,
the circle's latest contact and how many of its pairs are in each status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.graph.engagement_metrics import STATUSES, Engagement
from ementor_kit.i18n.language import N_

__all__ = ["circle_engagement"]


def circle_engagement(engagement: Engagement) -> pd.DataFrame:
    """One row per circle: its pairs' engagement together.

    Parameters
    ----------
    engagement : Engagement
        The result of :func:`~ementor_kit.engagement` on pairs with a ``group_id`` column
        (``pairs.csv``'s optional column; a pair without one is one-to-one and left out).

    Returns
    -------
    DataFrame
        Sorted by ``group_id``: ``group_id``, ``mentor_id`` (the circle's mentors, ``"; "``
        joined, normally one), ``n_pairs``, ``n_exchanges`` and ``n_sync`` (sums over its
        pairs: a group session attended by 4 mentees counts 4), ``last_contact`` (the latest
        of its pairs), ``days_since_last_contact`` (the smallest: NaN when no pair exchanged),
        ``n_<status>`` for each status of :data:`~ementor_kit.graph.STATUSES` and
        ``n_needs_action``.

    Raises
    ------
    ArgumentTypeError
        ``engagement`` is not an Engagement.
    InvalidArgumentError
        The pairs have no ``group_id`` column, or no pair has one.

    Examples
    --------
    >>> import pandas as pd, ementor_kit as ek
    >>> pairs = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "mentor_id": ["M1"] * 3,
    ...                       "matched_on": ["2026-09-01"] * 3, "group_id": ["C1", "C1", ""]})
    >>> log = pd.DataFrame({"interaction_id": ["I1", "I2"],
    ...                     "timestamp": ["2026-09-20T18:00:00Z"] * 2,
    ...                     "sender_id": ["M1", "M1"], "recipient_id": ["E1", "E2"],
    ...                     "channel": ["video"] * 2, "duration_minutes": [60.0] * 2,
    ...                     "session_id": ["S1", "S1"]})
    >>> c = circle_engagement(ek.engagement(log, pairs, as_of="2026-09-30"))
    >>> c[["group_id", "mentor_id", "n_pairs", "n_exchanges", "days_since_last_contact"]]
      group_id mentor_id  n_pairs  n_exchanges  days_since_last_contact
    0       C1        M1        2            2                     10.25
    """
    if not isinstance(engagement, Engagement):
        raise ArgumentTypeError(
            "engagement", engagement, N_("pass the result of ementor_kit.engagement(...)")
        )
    t = engagement.table
    fix = N_("give pairs.csv a group_id column (Circles.pairs has one) before engagement()")
    if "group_id" not in t.columns:
        raise InvalidArgumentError(
            "engagement", "no group_id", fix, message=N_("the pairs have no group_id column")
        )
    gid = t["group_id"].astype(object).where(t["group_id"].notna(), "").astype(str).str.strip()
    t = t.assign(group_id=gid)[gid != ""]
    if t.empty:
        raise InvalidArgumentError(
            "engagement", "no group_id", fix, message=N_("no pair has a group_id")
        )
    g = t.groupby("group_id", sort=True)
    out = pd.DataFrame(
        {
            "mentor_id": g["mentor_id"].agg(lambda s: "; ".join(sorted(set(s)))),
            "n_pairs": g.size(),
            "n_exchanges": g["n_exchanges"].sum(),
            "n_sync": g["n_sync"].sum(),
            "last_contact": g["last_contact"].max(),
            "days_since_last_contact": g["days_since_last_contact"].min(),
        }
    )
    for s in STATUSES:
        out[f"n_{s}"] = g["status"].agg(lambda x, s=s: int((x == s).sum()))
    out["n_needs_action"] = g["needs_action"].sum()
    out = out.reset_index()
    ints = ["n_pairs", "n_exchanges", "n_sync", *(f"n_{s}" for s in STATUSES), "n_needs_action"]
    return out.astype({c: np.int64 for c in ints} | {"group_id": "str", "mentor_id": "str"})
