"""Typed checks of one column (data._columns): the id rule of the contract tables."""

import pandas as pd
import pytest

from ementor_kit.data.schema import Column, Table
from ementor_kit.data.validation import validate
from ementor_kit.errors import DataValidationError

IDS = Table("ids", "ids.csv", "", (Column("mentee_id", "id", "Mentee"),), key=("mentee_id",))


def _pairs(mentee_ids):
    return pd.DataFrame({"mentee_id": mentee_ids})


@pytest.mark.parametrize("bad", ["E0\u200b01", "E\u00a0001", "E\x1b001", "E001\u200e"])
def test_ids_with_invisible_or_control_characters_are_refused(bad):
    """Issue 12: such an id passed the contract and printed like another one."""
    with pytest.raises(DataValidationError) as exc:
        validate(_pairs(["E002", bad]), IDS, file="pairs.csv")
    (p,) = exc.value.problems
    assert (p.file, p.column, p.rows) == ("pairs.csv", "mentee_id", (3,))
    assert "retype the id" in p.fix


def test_ids_are_compared_in_nfc_and_ascii_ids_stay_as_they_are():
    with pytest.raises(DataValidationError, match="duplicate key"):
        validate(_pairs(["Zoe\u0301", "Zo\u00e9"]), IDS)  # one id written two ways
    out = validate(_pairs(["Zoe\u0301", "E001"]), IDS)
    assert out["mentee_id"].tolist() == ["Zo\u00e9", "E001"]
    plain = _pairs(["E001", "E002"])
    pd.testing.assert_series_equal(
        validate(plain, IDS)["mentee_id"], plain["mentee_id"].astype("str")
    )


def test_a_pattern_digit_is_an_ascii_digit():
    """Issue 12: Arabic-Indic digits passed ^M\\d{3,}$."""
    table = Table("t", "t.csv", "", (Column("mentor_id", "id", "", pattern=r"^M\d{3,}$"),))
    validate(pd.DataFrame({"mentor_id": ["M001"]}), table)
    with pytest.raises(DataValidationError, match="malformed id"):
        validate(pd.DataFrame({"mentor_id": ["M001", "M\u0660\u0660\u0661"]}), table)
