"""Tests of the pairing step of the sample generator (ementor_kit.samples._pairing)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from ementor_kit.samples._pairing import (
    TYPES,
    Pair,
    draw_pairs,
    heuristic_pairing,
    pair_features,
)
from ementor_kit.samples._people import draw_mentees, draw_mentors


@pytest.fixture(scope="module")
def people() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(3)
    taken: set[str] = set()
    mentors = draw_mentors(rng, 12, 40, taken)
    mentees = draw_mentees(rng, 40, mentors, taken)
    mentees["_sociability"] = rng.normal(size=len(mentees))
    return mentees, mentors


def _profiles(rows: list[dict], skills_col: str) -> pd.DataFrame:
    base = {
        "goals": ("skills",),
        "languages": ("fr",),
        "organisation": "Org",
        "domain": "numerique",
        "utc_offset": 1.0,
        "modality": "sync",
    }
    return pd.DataFrame([{**base, **r} for r in rows]).rename(columns={"skills": skills_col})


def test_pair_features_on_a_hand_made_couple():
    mentees = _profiles(
        [{"mentee_id": "E1", "skills": ("cv_lettre", "negociation"), "department": "A"}],
        "skills_sought",
    )
    mentors = _profiles(
        [
            {"mentor_id": "M1", "skills": ("cv_lettre",), "department": "A"},
            {
                "mentor_id": "M2",
                "skills": ("cv_lettre", "negociation"),
                "department": "B",
                "modality": "mixed",
                "languages": ("en",),
                "utc_offset": -4.0,
            },
        ],
        "skills_offered",
    )
    f = pair_features(mentees, mentors)
    np.testing.assert_allclose(f.skills, [[0.5, 1.0]])
    np.testing.assert_array_equal(f.language, [[True, False]])
    np.testing.assert_array_equal(f.conflict, [[True, False]])
    np.testing.assert_allclose(f.modality, [[1.0, 0.6]])
    np.testing.assert_allclose(f.tz, [[0.0, 5.0]])


def test_match_respects_capacity_language_and_conflicts(people):
    mentees, mentors = people
    feats = pair_features(mentees, mentors)
    pairs = heuristic_pairing(np.random.default_rng(0), mentees, mentors, feats)
    assert pairs == sorted(pairs)
    es = [e for e, _ in pairs]
    assert len(es) == len(set(es))
    load = pd.Series([m for _, m in pairs]).value_counts()
    assert (load <= mentors["capacity"].iloc[load.index].to_numpy()).all()
    for e, m in pairs:
        assert feats.language[e, m] and not feats.conflict[e, m]


def test_draw_pairs_parameters_are_in_range_and_frozen(people):
    mentees, mentors = people
    feats = pair_features(mentees, mentors)
    rng = np.random.default_rng(1)
    matched = heuristic_pairing(rng, mentees, mentors, feats)
    pairs = draw_pairs(rng, matched, mentees, mentors, feats, weeks=10, t0_weekday=0)
    assert [(p.e, p.m) for p in pairs] == [
        (mentees["mentee_id"].iloc[e], mentors["mentor_id"].iloc[m]) for e, m in matched
    ]
    for p in pairs:
        assert p.kind in TYPES and p.weeks == 10
        assert p.day % 7 < 5 and 0 <= p.day < 14  # a weekday of the first two weeks
        assert 1 <= p.stop_week <= 9 and 0 <= p.tz <= 8
        assert 0.03 <= p.p_sync <= 0.85 and (p.rate == 0) == (p.kind == "never")
    with pytest.raises(dataclasses.FrozenInstanceError):
        pairs[0].day = 3  # type: ignore[misc]  # the point of the test: a Pair is read-only
    assert isinstance(pairs[0], Pair)
