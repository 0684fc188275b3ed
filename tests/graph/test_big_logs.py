"""Out-of-core (DuckDB) and Dask engagement equal the in-memory engagement, frame for frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.graph import engagement, goal_progress
from ementor_kit.graph.big_logs import _ParquetSource, engagement_big

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


def _log(n: int, n_pairs: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A typed log with skewed pairs, bursts, 1-second ties, duplicates, peer rows, strangers."""
    rng = np.random.default_rng(seed)
    mentees = np.array([f"E{i:05d}" for i in range(n_pairs)], dtype=object)
    mentors = np.array([f"M{i:05d}" for i in range(max(1, n_pairs // 3))], dtype=object)
    mentor_of = rng.integers(0, len(mentors), n_pairs)
    start = pd.Timestamp("2026-01-05", tz="UTC").value // 10**9
    day = rng.integers(0, 40, n_pairs)
    pairs = pd.DataFrame(
        {
            "mentee_id": pd.array(mentees, dtype="str"),
            "mentor_id": pd.array(mentors[mentor_of], dtype="str"),
            "matched_on": pd.to_datetime(start + day * 86_400, unit="s").as_unit("ns"),
        }
    )
    weight = rng.gamma(0.7, 1.0, n_pairs)
    weight[rng.random(n_pairs) < 0.1] = 0.0
    pair = rng.choice(n_pairs, size=n, p=weight / weight.sum())
    sec = start + (day[pair] - 3) * 86_400 + rng.integers(0, 200 * 86_400, n) // 600 * 600
    from_mentee = rng.random(n) < 0.55
    sender = np.where(from_mentee, mentees[pair], mentors[mentor_of[pair]])
    recipient = np.where(from_mentee, mentors[mentor_of[pair]], mentees[pair])
    peer = rng.random(n) < 0.03
    recipient[peer] = mentees[rng.integers(0, n_pairs, peer.sum())]
    stranger = rng.random(n) < 0.01
    sender[stranger] = "X999"
    channel = rng.choice(np.array(["chat", "email", "forum", "video", "phone"]), n)
    sync = np.isin(channel, ["video", "phone"])
    session = np.where(sync & (rng.random(n) < 0.1), "S1", None)
    log = pd.DataFrame(
        {
            "interaction_id": pd.array([f"I{i:07d}" for i in range(n)], dtype="str"),
            "timestamp": pd.to_datetime(sec, unit="s", utc=True).as_unit("ns"),
            "sender_id": pd.array(sender, dtype="str"),
            "recipient_id": pd.array(recipient, dtype="str"),
            "channel": pd.array(channel, dtype="str"),
            "duration_minutes": np.where(sync, rng.integers(5, 90, n).astype(float), np.nan),
            "session_id": pd.array(session, dtype="str"),
        }
    )
    dup = rng.choice(n, size=n // 200, replace=False)
    return pd.concat([log, log.iloc[dup]], ignore_index=True), pairs


def _unpaired(log: pd.DataFrame, pairs: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """``log`` with rows that belong to no pair: a mentee and a mentor who are not a pair, a
    group session led by another mentor, two mentors, someone writing to themselves."""
    rng = np.random.default_rng(seed)
    rows = log.iloc[rng.choice(len(log), 40, replace=False)].copy()
    e, m = pairs["mentee_id"].to_numpy(object), pairs["mentor_id"].to_numpy(object)
    i = rng.integers(0, len(pairs), 40)
    j = (i + 1 + rng.integers(0, len(pairs) - 1, 40)) % len(pairs)
    other = np.where(m[j] != m[i], m[j], "M-nobody")
    kind = np.arange(40) % 4
    sender = np.select([kind == 0, kind == 1, kind == 2], [e[i], other, m[i]], e[i])
    recipient = np.select([kind == 0, kind == 1, kind == 2], [other, e[i], other], e[i])
    rows["sender_id"] = pd.array(sender, dtype="str")
    rows["recipient_id"] = pd.array(recipient, dtype="str")
    rows["session_id"] = pd.array(np.where(kind == 1, "S-group", None), dtype="str")
    rows["channel"] = pd.array(np.where(kind == 1, "video", "chat"), dtype="str")
    rows["duration_minutes"] = np.where(kind == 1, 30.0, np.nan)
    rows["interaction_id"] = pd.array([f"U{k:03d}" for k in range(40)], dtype="str")
    return pd.concat([log, rows], ignore_index=True)


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.table, b.table)
    assert dict(a.unused_interactions) == dict(b.unused_interactions)
    assert (a.as_of, a.rows_out_of_order, a.thresholds) == (
        b.as_of,
        b.rows_out_of_order,
        b.thresholds,
    )
    assert a.matched_on_from == b.matched_on_from


def _to_folder(log: pd.DataFrame, folder, cuts) -> None:
    folder.mkdir()
    edges = [0, *cuts, len(log)]
    for k in range(len(edges) - 1):
        log.iloc[edges[k] : edges[k + 1]].to_parquet(folder / f"part-{k:02d}.parquet")


def test_parquet_sample_out_of_core_equals_in_memory(tmp_path):
    p = ek.load_sample()
    log = p.interactions.sample(frac=1.0, random_state=3).reset_index(drop=True)
    _to_folder(log, tmp_path / "log", [3000, 3000, 7000])  # part-01 is empty
    gp = goal_progress(p.goals, p.goal_updates, p.pairs)
    ref = engagement(log, p.pairs, as_of="2026-11-15", goal_progress=gp)
    assert ref.rows_out_of_order > 0 and sum(ref.unused_interactions.values()) > 0
    got = engagement_big(
        tmp_path / "log",
        p.pairs,
        as_of="2026-11-15",
        thresholds=ref.thresholds,
        goal_progress=gp,
        planned=None,
        memory_limit="50MB",
        temp_directory=tmp_path / "spill",
        rows_per_part=2_000,
    )
    _same(got, ref)
    _same(engagement(tmp_path / "log", p.pairs, as_of="2026-11-15", goal_progress=gp), ref)


def test_parquet_generated_log_forced_out_of_core(tmp_path):
    """A 300,000-row log within a 50 MB DuckDB: the same result as in memory."""
    log, pairs = _log(300_000, 6_000, seed=1)
    log = _unpaired(log, pairs, seed=1)
    _to_folder(log, tmp_path / "log", [100_000, 200_000])
    ref = engagement(pd.read_parquet(tmp_path / "log"), pairs)
    got = engagement(tmp_path / "log", pairs, memory_limit="50MB", temp_directory=tmp_path)
    _same(got, ref)
    assert len(ref.unused_interactions) >= 7 and ref.rows_out_of_order > 0
    # the same work in 50 MB without room to spill fails: the run above went out of core
    source = _ParquetSource(tmp_path / "log", "50MB", None)
    source.con.execute("SET max_temp_directory_size = '0KB'")
    with source, pytest.raises(InvalidArgumentError, match="DuckDB ran out of memory"):
        source.scan()
        list(source._parts(100_000))


def test_planned_sessions_and_closure_columns(tmp_path):
    log, pairs = _log(20_000, 400, seed=2)
    pairs = pairs.assign(planned_end=pairs["matched_on"] + pd.Timedelta(days=120))
    some = pairs.iloc[:60]
    planned = pd.DataFrame(
        {
            "mentee_id": some["mentee_id"],
            "mentor_id": some["mentor_id"],
            "start": (some["matched_on"] + pd.Timedelta(days=20)).dt.tz_localize("UTC"),
        }
    )
    _to_folder(log, tmp_path / "log", [7_000])
    ref = engagement(log, pairs, planned=planned, as_of="2026-06-01")
    got = engagement_big(
        tmp_path / "log",
        pairs,
        as_of="2026-06-01",
        thresholds=ref.thresholds,
        goal_progress=None,
        planned=planned,
        rows_per_part=3_000,
    )
    _same(got, ref)
    assert "n_planned" in got.table.columns and "end_reason" in got.table.columns


def test_errors_name_the_rows_of_the_whole_log(tmp_path):
    log, pairs = _log(5_000, 100, seed=4)
    bad = log.copy()
    bad.loc[[10, 4_321], "channel"] = "telepathy"
    _to_folder(bad, tmp_path / "log", [2_000])
    with pytest.raises(DataValidationError) as got:
        engagement(tmp_path / "log", pairs)
    with pytest.raises(DataValidationError) as want:
        engagement(bad, pairs)
    assert got.value.problems[0].rows == want.value.problems[0].rows == (12, 4_323)
    text = tmp_path / "text"
    _to_folder(log.assign(timestamp=log["timestamp"].astype("str")), text, [])
    with pytest.raises(DataValidationError, match="not a time-zone aware timestamp"):
        engagement(text, pairs)
    with pytest.raises(DataValidationError, match="no .parquet file"):
        engagement(tmp_path / "log" / "..", pairs)
    (tmp_path / "interactions.csv").write_text("interaction_id\n")
    with pytest.raises(DataValidationError, match="read_interactions"):
        engagement(str(tmp_path / "interactions.csv"), pairs)
    (tmp_path / "broken.parquet").write_text("not parquet")
    with pytest.raises(DataValidationError, match="not a readable Parquet file"):
        engagement(tmp_path / "broken.parquet", pairs)


def _by_pair(log: pd.DataFrame, k: int) -> list[pd.DataFrame]:
    s, r = log["sender_id"].astype(object), log["recipient_id"].astype(object)
    couple = np.minimum(s, r) + "|" + np.maximum(s, r)
    bucket = pd.util.hash_array(couple.to_numpy(dtype=object)) % k
    return [log[bucket == b].reset_index(drop=True) for b in range(k)]


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.mark.parametrize("which", ["sample", "generated"])
def test_dask_partitioned_by_pair_equals_in_memory(client, which):
    if which == "sample":
        p = ek.load_sample()
        log, pairs = p.interactions, p.pairs
    else:
        log, pairs = _log(60_000, 1_500, seed=5)
    log = _unpaired(log, pairs, seed=6)
    parts = _by_pair(log, 4)
    parts.insert(2, log.iloc[:0])  # an empty partition
    ddf = dd.from_map(lambda b: parts[b], range(5), meta=log.iloc[:0])
    ref = engagement(pd.concat(parts, ignore_index=True), pairs)
    # rows out of order, and unused rows of every kind but 'between two mentees' in the sample
    assert ref.rows_out_of_order > 0
    assert len(ref.unused_interactions) >= (5 if which == "sample" else 7)
    _same(engagement(ddf, pairs), ref)
    # with as_of given, each partition is computed as soon as it is prepared
    ref = engagement(pd.concat(parts, ignore_index=True), pairs, as_of="2026-03-01")
    assert ref.unused_interactions["after as_of"] > 0
    _same(engagement(ddf, pairs, as_of="2026-03-01"), ref)


@pytest.mark.parametrize("which", ["sample", "generated"])
def test_pairs_without_matched_on(tmp_path, client, which):
    """Matching dates from each pair's first exchange in the whole log, on both paths; a pair
    whose every exchange is after as_of is dated by them, the others by the earliest date."""
    if which == "sample":
        p = ek.load_sample()
        log, pairs = p.interactions, p.pairs
        as_of = "2026-09-12"
    else:
        log, pairs = _log(40_000, 800, seed=7)
        as_of = "2026-01-20"
    log, pairs = _unpaired(log, pairs, seed=8), pairs.drop(columns="matched_on")
    parts = _by_pair(log, 3)
    _to_folder(pd.concat(parts, ignore_index=True), tmp_path / "log", [len(parts[0])])
    ddf = dd.from_map(lambda b: parts[b], range(3), meta=log.iloc[:0])
    whole = pd.concat(parts, ignore_index=True)
    for when in (None, as_of):
        ref = engagement(whole, pairs, as_of=when)
        assert ref.matched_on_from == "first exchange"
        _same(engagement(tmp_path / "log", pairs, as_of=when), ref)
        _same(engagement(ddf, pairs, as_of=when), ref)
    # pairs dated by their first exchange after as_of, pairs without exchange: both present
    t = ref.table
    assert (t["matched_on"] > pd.Timestamp(as_of)).any() and (t["n_exchanges"] == 0).any()
    empty = tmp_path / "empty"
    _to_folder(log.iloc[:0], empty, [])
    with pytest.raises(DataValidationError, match="no exchange to date the pairs from"):
        engagement(log.iloc[:0], pairs)
    with pytest.raises(DataValidationError, match="no exchange to date the pairs from"):
        engagement(empty, pairs)
    nothing = dd.from_map(lambda b: log.iloc[:0], range(2), meta=log.iloc[:0])
    with pytest.raises(DataValidationError, match="no exchange to date the pairs from"):
        engagement(nothing, pairs)


def test_dask_log_not_partitioned_by_pair(client):
    p = ek.load_sample()
    with pytest.raises(InvalidArgumentError, match="spread over several partitions"):
        engagement(dd.from_pandas(p.interactions, npartitions=3), p.pairs)
    text = p.interactions.assign(timestamp=p.interactions["timestamp"].astype("str"))
    with pytest.raises(DataValidationError, match="not a time-zone aware"):
        engagement(dd.from_pandas(text, npartitions=2), p.pairs)
