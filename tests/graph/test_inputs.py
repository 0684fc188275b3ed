"""Tests of ementor_kit.graph._inputs, the checks and conversions shared by the graph modules."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ementor_kit.graph import _inputs as gi


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    ids=st.lists(st.sampled_from(["E001", "M001", "é-02", "", "x y"]), unique=True),
    values=st.lists(st.one_of(st.none(), st.sampled_from(["E001", "M001", "é-02", "", "zz"]))),
    storage=st.sampled_from(["pyarrow", "python", "object"]),
)
def test_id_codes_equal_pandas_get_indexer(ids, values, storage):
    # the Arrow lookup of the typed log's ids gives pandas' answer, absent and missing ids -1
    index = pd.Index(ids, dtype="str")
    col = pd.Series(values, dtype=object if storage == "object" else pd.StringDtype(storage))
    expected = index.get_indexer(col.astype(object).where(col.notna(), None))
    assert gi.id_codes(index, col).tolist() == expected.tolist()
