"""Provenance hashes: what changes the fingerprint and what does not."""

import hashlib

import pandas as pd
import pytest

import ementor_kit
from ementor_kit.provenance import provenance_hash

PAIRS = pd.DataFrame({"mentee_id": ["E001", "E002"], "mentor_id": ["M001", "M001"]})


def test_hash_is_sha256_of_the_documented_layout():
    """Recomputed by hand: version line, one block per table (sorted names), settings."""
    csv = b"mentee_id,mentor_id\nE001,M001\nE002,M001\n"
    digest = hashlib.sha256()
    digest.update(f"ementor-kit {ementor_kit.__version__}\n".encode())
    digest.update(f"table pairs {len(csv)}\n".encode() + csv)
    digest.update(b"settings 4\nseed")
    assert provenance_hash({"pairs": PAIRS}, "seed") == "ek1-" + digest.hexdigest()[:16]


def test_every_input_and_setting_changes_the_hash():
    base = provenance_hash({"pairs": PAIRS, "other": PAIRS.head(1)}, "k=5")
    assert base == provenance_hash({"other": PAIRS.head(1), "pairs": PAIRS}, "k=5")
    changed = [
        provenance_hash({"pairs": PAIRS, "other": PAIRS.head(1)}, "k=10"),
        provenance_hash({"pairs": PAIRS.iloc[::-1], "other": PAIRS.head(1)}, "k=5"),
        provenance_hash(
            {"pairs": PAIRS[["mentor_id", "mentee_id"]], "other": PAIRS.head(1)}, "k=5"
        ),
        provenance_hash({"pairs": PAIRS, "renamed": PAIRS.head(1)}, "k=5"),
        provenance_hash({"pairs": PAIRS.assign(mentor_id=["M001", "M002"])}, "k=5"),
    ]
    assert base not in changed and len(set(changed)) == len(changed)


def test_boundaries_between_tables_and_settings_are_not_ambiguous():
    a = provenance_hash({"x": pd.DataFrame({"v": ["1"]})}, "2")
    b = provenance_hash({"x": pd.DataFrame({"v": ["12"]})}, "")
    assert a != b


def test_raw_and_validated_lists_hash_the_same():
    raw = pd.DataFrame({"skills": ["python;sql", "r"]})
    typed = pd.DataFrame({"skills": [("python", "sql"), ("r",)]})
    assert provenance_hash({"t": raw}) == provenance_hash({"t": typed})


def test_unnamed_index_is_a_row_label_named_index_is_data():
    filtered = PAIRS[PAIRS["mentee_id"] == "E002"]  # index [1], unnamed
    assert provenance_hash({"p": filtered}) == provenance_hash(
        {"p": filtered.reset_index(drop=True)}
    )
    by_id = PAIRS.set_index("mentee_id")
    other_ids = PAIRS.assign(mentee_id=["E008", "E009"]).set_index("mentee_id")
    assert provenance_hash({"p": by_id}) != provenance_hash({"p": other_ids})
    assert provenance_hash({"p": by_id}) == provenance_hash({"p": PAIRS})


@pytest.mark.parametrize("tz", [None, "UTC"])
def test_timestamps_are_hashed_to_the_second(tz):
    t = pd.DataFrame({"timestamp": pd.to_datetime(["2026-01-05 10:00:00"]).tz_localize(tz)})
    later = t.assign(timestamp=t["timestamp"] + pd.Timedelta(seconds=1))
    assert provenance_hash({"t": t}) != provenance_hash({"t": later})
