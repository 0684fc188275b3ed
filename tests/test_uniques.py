"""Tests of ementor_kit._uniques: repeated values, as Series.duplicated(keep=False) finds them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ementor_kit import _uniques
from ementor_kit._uniques import repeated

_VALUES = st.lists(
    st.one_of(
        st.none(), st.just(float("nan")), st.sampled_from(["I1", "I2", "i1", "I1 ", "", "é"])
    ),
    max_size=15,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.sampled_from(["str", "object"]))
def test_repeated_is_what_pandas_finds(values, dtype):
    s = pd.Series(values, dtype=dtype)
    np.testing.assert_array_equal(repeated(s), s.duplicated(keep=False).to_numpy())


def test_values_that_are_not_text_are_left_to_pandas():
    s = pd.Series([1, 1.0, True, "1", None, None], dtype=object)
    np.testing.assert_array_equal(repeated(s), s.duplicated(keep=False).to_numpy())


def test_texts_sharing_a_hash_are_compared_in_full(monkeypatch):
    monkeypatch.setattr(_uniques, "hash", lambda v: 0, raising=False)  # every text collides
    s = pd.Series(["I1", "I2", "I3", "I2"], dtype="str")
    assert repeated(s).tolist() == [False, True, False, True]
