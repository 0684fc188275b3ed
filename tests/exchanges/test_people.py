"""Contact keys: accents, case, spaces, phone forms; ambiguity; alias tables."""

from __future__ import annotations

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.exchanges.people import ContactBook, contact_key, mask_contact


def test_keys_meet_across_spellings():
    assert (
        contact_key("+33 6 12 34 56 78")
        == contact_key("06 12 34 56 78")
        == contact_key("0033612345678")
    )
    assert contact_key("Chloé  M.") == contact_key("chloe m")
    assert contact_key("A@B.ORG") == "mail:a@b.org"
    assert contact_key("  ") is None
    assert mask_contact("+33 6 12 34 56 78") == "phone ending 78"


def test_alias_table_checks_its_ids():
    bad = pd.DataFrame({"alias": ["x"], "person_id": ["Z999"]})
    with pytest.raises(ek.DataValidationError, match="row 2, column 'person_id'"):
        ContactBook.of(ek.load_sample(), bad)
