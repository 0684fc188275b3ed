import hashlib
import hmac
import json
import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ementor_kit.errors import DataValidationError, EmentorKitError, InvalidArgumentError
from ementor_kit.survey import drop_identifiers, pseudonymise, study_key, suppress_small_cells
from ementor_kit.survey.privacy import DEMO_KEYS, KEY_ENV_VAR

KEY = "a-study-secret-of-32-characters!"


def test_pseudonyms_are_hmac_sha256_of_the_value():
    df = pd.DataFrame({"respondent_id": ["E001", "E002"]})
    out = pseudonymise(df, "respondent_id", key=KEY, length=20, prefix="P-")
    expected = hmac.new(KEY.encode(), b"E002", hashlib.sha256).hexdigest()[:20]
    assert out["respondent_id"].iloc[1] == "P-" + expected
    assert df["respondent_id"].iloc[0] == "E001"  # input untouched


def test_same_key_links_waves_and_pairs_other_key_does_not():
    t0 = pd.DataFrame({"respondent_id": ["E001", "E002", "E003"]})
    t1 = pd.DataFrame({"respondent_id": ["E003", "E001"], "target_id": ["M001", "M002"]})
    mentor = pd.DataFrame({"respondent_id": ["M002"], "target_id": ["E001"]})
    p0 = pseudonymise(t0, "respondent_id", key=KEY)
    p1 = pseudonymise(t1, ["respondent_id", "target_id"], key=KEY)
    pm = pseudonymise(mentor, ["respondent_id", "target_id"], key=KEY)
    assert p1["respondent_id"].iloc[1] == p0["respondent_id"].iloc[0]
    assert pm["target_id"].iloc[0] == p0["respondent_id"].iloc[0]
    assert pm["respondent_id"].iloc[0] == p1["target_id"].iloc[1]
    other = pseudonymise(t0, "respondent_id", key=KEY + "-other-study")
    assert not set(other["respondent_id"]) & set(p0["respondent_id"])


def test_key_from_environment_and_refusal_without_key(monkeypatch):
    df = pd.DataFrame({"email": ["a@example.org"]})
    monkeypatch.delenv("EMENTOR_KIT_KEY", raising=False)
    with pytest.raises(EmentorKitError, match="needs a secret key"):
        pseudonymise(df, "email")
    monkeypatch.setenv("EMENTOR_KIT_KEY", KEY)
    assert pseudonymise(df, "email").equals(pseudonymise(df, "email", key=KEY))
    with pytest.raises(EmentorKitError, match="at least 16"):
        pseudonymise(df, "email", key="short")


def test_missing_values_stay_missing_and_normalise_option():
    df = pd.DataFrame({"email": [" Ana@Example.org", "ana@example.org", None, np.nan]})
    plain = pseudonymise(df, "email", key=KEY)
    assert plain["email"].iloc[0] != plain["email"].iloc[1]
    assert plain["email"].isna().tolist() == [False, False, True, True]
    norm = pseudonymise(df, "email", key=KEY, normalise=True)
    assert norm["email"].iloc[0] == norm["email"].iloc[1]
    with pytest.raises(KeyError, match="mail"):
        pseudonymise(df, "mail", key=KEY)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=20),
    st.binary(min_size=8, max_size=32).map(lambda b: bytes(range(8)) + b),  # 8 distinct bytes
)
def test_pseudonymise_is_stable_for_a_key_and_injective(values, key):
    df = pd.DataFrame({"id": values})
    a = pseudonymise(df, "id", key=key)
    b = pseudonymise(df, "id", key=key)
    assert a.equals(b)
    mapping = dict(zip(values, a["id"], strict=True))
    assert len(set(mapping.values())) == len(mapping)
    other = pseudonymise(df, "id", key=key + b"x")
    assert not set(other["id"]) & set(a["id"])


def test_drop_identifiers_from_every_platform():
    cols = [
        "ResponseId",
        "IPAddress",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
        "token",
        "ipaddr",
        "refurl",
        "Adresse e-mail",
        "Email Address",
        "IP Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        "Email",
        "Name",
        "Q1_1",
        "submitdate",
        "pid_email",
    ]
    df = pd.DataFrame([range(len(cols))], columns=cols)
    out = drop_identifiers(df, extra=["PID email"])
    assert list(out.table.columns) == ["ResponseId", "Custom Data 1", "Q1_1", "submitdate"]
    kept = {"ResponseId", "Custom Data 1", "Q1_1", "submitdate"}
    assert out.dropped == tuple(c for c in cols if c not in kept)  # in the input's order
    assert out.table.attrs == {}


def _disclosure_intervals(full, hidden):
    """Min and max of every hidden cell given what is published (an LP per cell)."""
    r, c = full.shape
    cells = [tuple(x) for x in np.argwhere(hidden)]
    pos = {cell: n for n, cell in enumerate(cells)}
    a_eq, b_eq = [], []
    lines = [[(i, j) for j in range(c)] for i in range(r)] + [
        [(i, j) for i in range(r)] for j in range(c)
    ]
    for line in lines:
        row = np.zeros(len(cells))
        rhs = 0.0
        for n, cell in enumerate(line):
            sign = -1 if n == len(line) - 1 else 1
            if cell in pos:
                row[pos[cell]] += sign
            else:
                rhs -= sign * full[cell]
        a_eq.append(row)
        b_eq.append(rhs)
    out = {}
    for cell, n in pos.items():
        obj = np.zeros(len(cells))
        obj[n] = 1
        lo = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-obj, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        out[cell] = (lo.fun, np.inf if hi.status == 3 else -hi.fun)  # 3: unbounded
    return out


def test_example_hides_a_rectangle_and_cannot_be_recovered():
    t = pd.DataFrame({"sync": [12, 3, 20], "async": [15, 9, 11]}, index=["A", "B", "C"])
    res = suppress_small_cells(t, k=5)
    assert res.primary == [("B", "sync")]
    assert sorted(res.secondary) == [("A", "async"), ("A", "sync"), ("B", "async")]
    out = res.table
    hidden = {(i, j) for i in out.index for j in out.columns if pd.isna(out.loc[i, j])}
    assert hidden == set(res.primary) | set(res.secondary)  # the lists name what is hidden
    assert out.loc["Total", "Total"] == 70
    full = np.array([[12, 15, 27], [3, 9, 12], [20, 11, 31], [35, 35, 70]])
    for (i, j), (lo, hi) in _disclosure_intervals(full, out.isna().to_numpy()).items():
        assert lo < full[i, j] + 1e-9 and hi > full[i, j] - 1e-9
        assert hi - lo >= 1  # not recoverable


def test_small_total_is_hidden_and_protected():
    t = pd.DataFrame({"x": [1, 10, 12], "y": [2, 11, 13]}, index=["a", "b", "c"])
    res = suppress_small_cells(t, k=5)
    out = res.table
    assert pd.isna(out.loc["a", "Total"])  # a row total of 3 is itself a small count
    assert ("a", "Total") in res.primary
    counts = np.array([[1, 2, 3], [10, 11, 21], [12, 13, 25], [23, 26, 49]])
    for cell, (lo, hi) in _disclosure_intervals(counts, out.isna().to_numpy()).items():
        assert hi - lo >= 1, cell


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda r: st.integers(2, 5).flatmap(
            lambda c: st.lists(
                st.lists(st.integers(0, 25), min_size=c, max_size=c), min_size=r, max_size=r
            )
        )
    ),
    st.integers(3, 10),
)
def test_no_hidden_cell_is_recoverable_from_totals(rows, k):
    table = pd.DataFrame(rows)
    out = suppress_small_cells(table, k=k).table
    counts = np.array(rows)
    full = np.zeros((counts.shape[0] + 1, counts.shape[1] + 1), dtype=int)
    full[:-1, :-1] = counts
    full[:-1, -1] = counts.sum(axis=1)
    full[-1, :-1] = counts.sum(axis=0)
    full[-1, -1] = counts.sum()
    hidden = out.isna().to_numpy()
    shown = out.to_numpy(dtype=float, na_value=np.nan)
    np.testing.assert_array_equal(shown[~hidden], full[~hidden])  # published values are true
    small = (full >= 1) & (full < k)
    assert hidden[small].all()  # every small count hidden
    for cell, (lo, hi) in _disclosure_intervals(full, hidden).items():
        assert hi - lo >= 1 - 1e-9, f"cell {cell} pinned to [{lo}, {hi}]"


def test_without_margins_only_primary_and_zero_option():
    t = pd.DataFrame({"x": [0, 3], "y": [7, 8]})
    res = suppress_small_cells(t, margins=False)
    assert res.table.isna().to_numpy().tolist() == [[False, False], [True, False]]
    assert res.secondary == [] and res.primary == [(1, "x")]
    z = suppress_small_cells(t, margins=False, suppress_zeros=True)
    assert bool(z.table.isna().iloc[0, 0])


def test_bad_tables_are_refused_with_cells_named():
    with pytest.raises(DataValidationError, match="row 3, column 'y'"):
        suppress_small_cells(pd.DataFrame({"x": [1, 2], "y": [3, -1]}))
    with pytest.raises(DataValidationError, match="column 'x'"):
        suppress_small_cells(pd.DataFrame({"x": [1.5, 2]}))
    with pytest.raises(ValueError, match="already has a 'Total'"):
        suppress_small_cells(pd.DataFrame({"Total": [6, 7]}))


def test_two_small_cells_in_one_column_share_one_rectangle():
    t = pd.DataFrame(
        {
            "declined": [2, 10, 6, 5, 4],
            "stable": [6, 27, 25, 7, 11],
            "improved": [7, 25, 17, 15, 13],
        },
        index=["dem", "etu", "jeu", "lyc", "rec"],
    )
    out = suppress_small_cells(t, k=5)
    # 2 and 4 share a column: hiding the two cheapest cells of another column completes a
    # rectangle (4 hidden cells, the fewest possible); 5 is not below k and stays visible
    assert out.primary == [("dem", "declined"), ("rec", "declined")]
    assert out.secondary == [("dem", "stable"), ("rec", "stable")]
    assert out.table.loc["lyc", "declined"] == 5


@pytest.mark.parametrize("k", [0, -3, 2.5, True, "5"])
def test_a_threshold_that_hides_nothing_or_is_not_a_count_is_refused(k):
    with pytest.raises(ValueError, match="argument 'k': .* Fix: use a whole number of at least 1"):
        suppress_small_cells(pd.DataFrame({"a": [1, 3]}), k=k)


def test_study_key_from_argument_or_environment(monkeypatch):
    monkeypatch.setenv("EMENTOR_KIT_KEY", KEY)
    assert study_key() == KEY.encode("utf-8")
    assert study_key(b"0123456789abcdef") == b"0123456789abcdef"
    assert study_key("éèêëàâäô") == "éèêëàâäô".encode()  # 16 bytes once encoded
    with pytest.raises(EmentorKitError, match="15 bytes long"):
        study_key("x" * 15)
    monkeypatch.delenv("EMENTOR_KIT_KEY")
    with pytest.raises(EmentorKitError, match="needs a secret key"):
        study_key()


# --------------------------------------------------------------------------- key hardening

WEAK_KEYS = {
    "16 spaces": " " * 16,
    "white space only": "\t \n\r" * 8,
    "one repeated letter": "a" * 16,
    "two letters": "abababababababab",
    "long but 2 distinct": "a" * 40 + "b",
    "zero bytes": b"\x00" * 32,
    "repeated non-ASCII": "é" * 8,
    "seven distinct": "1234567123456712",
}


@pytest.mark.parametrize("weak", WEAK_KEYS.values(), ids=WEAK_KEYS.keys())
def test_low_entropy_keys_are_refused_from_argument_and_environment(weak, monkeypatch):
    """Issue 12: keys of 16 spaces or 'aaaaaaaaaaaaaaaa' were accepted."""
    with pytest.raises(InvalidArgumentError) as info:
        study_key(weak)
    assert info.value.argument == "key" and info.value.value == "<hidden>"
    assert "token_hex" in str(info.value)
    if isinstance(weak, str) and weak.strip():
        assert weak.strip() not in str(info.value)
    df = pd.DataFrame({"id": ["E001"]})
    with pytest.raises(InvalidArgumentError):
        pseudonymise(df, "id", key=weak)
    if isinstance(weak, str):
        monkeypatch.setenv(KEY_ENV_VAR, weak)
        with pytest.raises(InvalidArgumentError):
            study_key()


def test_the_key_rule_is_length_and_distinct_characters():
    assert study_key("abcdefgh" * 2) == b"abcdefghabcdefgh"  # 16 bytes, 8 distinct: accepted
    with pytest.raises(InvalidArgumentError, match="7 different characters"):
        study_key("abcdefga" * 2)
    with pytest.raises(InvalidArgumentError, match="empty or white space only"):
        study_key(" " * 16)


def _notebook_demo_keys() -> list[str]:
    found = []
    for name in ("04_survey_outcomes", "05_pilot_report"):
        path = Path(__file__).parents[2] / "notebooks" / f"{name}.ipynb"
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        found += re.findall(r'^DEMO_KEY = .*?"([^"]+)"', code, flags=re.M)
    return found


def test_published_demo_keys_need_an_explicit_opt_in(monkeypatch):
    """Issue 12: the demo keys of notebooks 04 and 05 worked as a real study's key."""
    keys = _notebook_demo_keys()
    assert len(keys) == 2 and set(keys) <= DEMO_KEYS
    df = pd.DataFrame({"id": ["E001"]})
    for demo in keys:
        with pytest.raises(InvalidArgumentError, match="published demonstration key"):
            study_key(demo)
        with pytest.raises(InvalidArgumentError, match="demo=True"):
            pseudonymise(df, "id", key=demo)
        monkeypatch.setenv(KEY_ENV_VAR, demo)
        with pytest.raises(InvalidArgumentError, match="published demonstration key"):
            study_key()
        key = study_key(demo, demo=True)
        assert key == demo.encode() and key.info.demo and "not for real data" in str(key.info)
        assert study_key(key) is key  # the opted-in key passes wherever a key is taken
        expected = hmac.new(demo.encode(), b"E001", hashlib.sha256).hexdigest()[:16]
        assert pseudonymise(df, "id", key=key)["id"].iloc[0] == expected
    assert study_key(KEY, demo=True).info.demo  # demo=True marks any key as a demo key


def test_key_is_stripped_alike_from_argument_environment_and_file(monkeypatch, tmp_path):
    """Issue 12: EMENTOR_KIT_KEY was used unstripped while a key file was stripped."""
    path = tmp_path / "study.key"
    path.write_text(KEY + "\n", encoding="utf-8")
    monkeypatch.setenv(KEY_ENV_VAR, f"  {KEY}\n")
    keys = [study_key(KEY), study_key(f" {KEY}\r\n"), study_key(), study_key(key_file=path)]
    assert all(k == KEY.encode() for k in keys)
    df = pd.DataFrame({"id": ["E001", "M002"]})
    from_env = pseudonymise(df, "id")
    assert from_env.equals(pseudonymise(df, "id", key=KEY))
    assert from_env.equals(pseudonymise(df, "id", key=study_key(key_file=path)))
    binary = b" " + KEY.encode()  # bytes are a binary secret: used as given
    assert study_key(binary) == binary


def test_key_info_says_where_the_key_came_from(monkeypatch, tmp_path):
    path = tmp_path / "study.key"
    path.write_text(KEY, encoding="utf-8")
    monkeypatch.setenv(KEY_ENV_VAR, KEY)
    fingerprint = hmac.new(KEY.encode(), b"ementor-kit key fingerprint", hashlib.sha256)
    arg, env, file = study_key(KEY).info, study_key().info, study_key(key_file=path).info
    assert (arg.source, env.source, file.source) == ("argument", "environment", "file")
    assert arg.fingerprint == env.fingerprint == file.fingerprint == fingerprint.hexdigest()[:8]
    assert (arg.path, env.path, file.path) == (None, None, str(path))
    assert KEY_ENV_VAR in str(env) and arg.fingerprint in str(env) and "file" in str(file)
    assert not any((arg.demo, env.demo, file.demo))
    key = study_key(KEY)
    for shown in (repr(key), str(key), f"{key}", repr(env), str(file)):
        assert KEY not in shown
    assert pickle.loads(pickle.dumps(key)).info == key.info
    with pytest.raises(InvalidArgumentError, match="key_file"):
        study_key(KEY, key_file=path)
    with pytest.raises(InvalidArgumentError, match="key file not found"):
        study_key(key_file=tmp_path / "missing.key")
    (tmp_path / "empty.key").write_text(" \n", encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match="empty or white space only"):
        study_key(key_file=tmp_path / "empty.key")
