"""Provenance hashes: what changes the fingerprint and what does not."""

import hashlib
import time

import numpy as np
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


# --------------------------------------------------------------------------- fast path (issue 12)


def _documented_bytes(df: pd.DataFrame) -> bytes:
    """The layout of the module docstring, serialised the plain (slow) way."""
    canon = df.reset_index() if any(n is not None for n in df.index.names) else df.copy()
    for col in canon.columns:
        if canon[col].dtype == object:
            canon[col] = [
                ";".join(map(str, v)) if isinstance(v, tuple | list) else v for v in canon[col]
            ]
    text = canon.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%S%z")
    return text.encode("utf-8")


def _digest(name: str, data: bytes, settings: str = "") -> str:
    digest = hashlib.sha256()
    digest.update(f"ementor-kit {ementor_kit.__version__}\n".encode())
    digest.update(f"table {name} {len(data)}\n".encode() + data)
    digest.update(f"settings {len(settings)}\n".encode() + settings.encode())
    return "ek1-" + digest.hexdigest()[:16]


def _timestamps(tz, unit, n=400, seed=0):
    rng = np.random.default_rng(seed)
    # 1875-2096, with fractions of a second (before 1970 too: seconds are floored)
    ns = rng.integers(-3_000_000_000, 4_000_000_000, n) * 10**9 + rng.integers(0, 10**9, n)
    s = pd.Series(pd.to_datetime(ns, unit="ns")).dt.as_unit(unit)
    if tz is not None:
        s = s.dt.tz_localize("UTC").dt.tz_convert(tz)
    return s.mask(rng.random(n) < 0.1)


ZONES = [None, "UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata", "Australia/Lord_Howe"]


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_timestamps_hash_as_the_documented_csv(tz, unit):
    """Offsets of any zone (DST, half hours, local mean time of 1900: +0009 and seconds)."""
    s = _timestamps(tz, unit)
    df = pd.DataFrame({"at": s, "x": np.arange(len(s)), "when": s.iloc[::-1].to_numpy()})
    for table in (df, df.set_index("at"), df.iloc[:0]):
        assert provenance_hash({"t": table}, "s") == _digest("t", _documented_bytes(table), "s")


def test_other_columns_hash_as_the_documented_csv():
    df = pd.DataFrame(
        {
            "text": pd.array(["a", None, 'say "hi", then\nleave', "é"], dtype="str"),
            "obj": [("x", "y"), ["z"], None, 3],
            "num": [1.5, np.nan, 1e-20, 3.0],
            "int": pd.array([1, None, 3, 4], dtype="Int64"),
            "flag": [True, False, True, False],
            "cat": pd.Categorical(["u", "v", None, "u"]),
            "stamps_as_objects": [pd.Timestamp("2026-01-05 10:00", tz="UTC")] * 4,
            "day": pd.to_datetime(["2026-01-05", None, "2026-03-29", "2026-10-25"]).date,
        }
    )
    kept = df.copy()
    assert provenance_hash({"t": df}) == _digest("t", _documented_bytes(df))
    pd.testing.assert_frame_equal(df, kept)  # the input is not changed


def test_timestamp_columns_hash_about_as_fast_as_text_columns():
    """Issue 12: 5 s of the engagement CLI's 9 went into strftime of a 1 M-row log's times."""
    n = 200_000
    at = pd.Series(pd.date_range("2026-01-05", periods=n, freq="37s", tz="UTC"))
    stamps = pd.DataFrame({"timestamp": at})
    text = pd.DataFrame({"timestamp": at.dt.strftime("%Y-%m-%dT%H:%M:%S%z")})
    assert provenance_hash({"t": stamps}) == provenance_hash({"t": text})  # same CSV cells

    def best(table):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            provenance_hash({"t": table})
            times.append(time.perf_counter() - start)
        return min(times)

    assert best(stamps) < 4 * best(text) + 0.05  # 11 times as long before


def test_ambiguous_local_times_and_far_years_hash_as_the_documented_csv():
    fall_back = pd.Series(pd.to_datetime(["2026-10-25 00:30", "2026-10-25 01:30"], utc=True))
    paris = pd.DataFrame({"at": fall_back.dt.tz_convert("Europe/Paris")})  # both 02:30 local
    assert _documented_bytes(paris).decode().split("\n")[1:3] == [
        "2026-10-25T02:30:00+0200",
        "2026-10-25T02:30:00+0100",
    ]
    far = pd.DataFrame(
        {"at": np.array(["0500-01-01T00:00:01", "2026-01-05", "NaT"], dtype="datetime64[s]")}
    )
    for table in (paris, far):
        assert provenance_hash({"t": table}) == _digest("t", _documented_bytes(table))
