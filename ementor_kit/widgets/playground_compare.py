"""Pinned rules A against current rules B in the match playground: which pairs and which
settings changed (private to the widgets)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ementor_kit.matching import MatchRules


def _changed_pairs(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    left = a[["mentee_id", "mentor_id", "score"]].rename(
        columns={"mentor_id": "mentor_A", "score": "score_A"}
    )
    right = b[["mentee_id", "mentor_id", "score"]].rename(
        columns={"mentor_id": "mentor_B", "score": "score_B"}
    )
    both = left.merge(right, on="mentee_id", how="outer")
    differs = both["mentor_A"].fillna("") != both["mentor_B"].fillna("")
    out = both.loc[differs, ["mentee_id", "mentor_A", "score_A", "mentor_B", "score_B"]]
    return out.sort_values("mentee_id", kind="stable").reset_index(drop=True)


def _named_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(d, dict) and "name" in d for d in v)


def _rules_diff(a: MatchRules, b: MatchRules) -> list[tuple[tuple[str, ...], Any, Any]]:
    """Each setting that differs between two rule sets: (path in their YAML, a's, b's value)."""
    out = []

    def walk(x: Any, y: Any, path: tuple[str, ...]) -> None:
        if _named_list(x) and _named_list(y):  # declared criteria: compared by name
            x, y = ({d["name"]: d for d in v} for v in (x, y))
        if isinstance(x, dict) and isinstance(y, dict):
            for k in dict.fromkeys([*x, *y]):
                walk(x.get(k), y.get(k), (*path, str(k)))
        elif x != y:
            out.append((path, x, y))

    walk(a.to_dict(), b.to_dict(), ())
    return out
