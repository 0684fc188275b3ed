"""A Parquet log's files: each checked against the first, none read silently in another form."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ementor_kit as ek
from ementor_kit.errors import DataValidationError, InvalidArgumentError
from ementor_kit.graph import engagement, read_interactions

SAMPLE = Path(__file__).parents[2] / "ementor_kit" / "datasets" / "sample" / "interactions.csv"


@pytest.fixture(scope="module")
def sample():
    p = ek.load_sample()
    return p.interactions, p.pairs


def _write(folder, *frames) -> None:
    folder.mkdir()
    for k, frame in enumerate(frames):
        frame.to_parquet(folder / f"part-{k}.parquet", index=False)


def _halves(log: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    cut = len(log) // 2
    return log.iloc[:cut].reset_index(drop=True), log.iloc[cut:].reset_index(drop=True)


def _both_refuse(folder, pairs, match: str) -> None:
    """read_interactions and engagement name the same file and problem."""
    with pytest.raises(DataValidationError, match=match) as read:
        read_interactions(folder)
    with pytest.raises(DataValidationError, match=match) as eng:
        engagement(folder, pairs)
    assert str(read.value) == str(eng.value)


def test_naive_times_in_a_later_file_are_refused_not_read_as_utc(tmp_path, sample):
    log, pairs = sample
    a, b = _halves(log)
    local = b["timestamp"].dt.tz_convert("Europe/Paris").dt.tz_localize(None)
    _write(tmp_path / "log", a, b.assign(timestamp=local))
    _both_refuse(
        tmp_path / "log",
        pairs,
        r"part-1\.parquet, column 'timestamp': holds timestamp without time zone where "
        r"part-0\.parquet holds timestamp with time zone",
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: f.assign(note="x"), "unexpected note"),
        (lambda f: f.drop(columns="session_id"), "missing session_id"),
        (lambda f: f.rename(columns={"channel": "canal"}), "missing channel; unexpected canal"),
    ],
)
def test_a_later_file_with_other_columns_is_named(tmp_path, sample, change, expected):
    log, pairs = sample
    a, b = _halves(log)
    _write(tmp_path / "log", a, change(b))
    _both_refuse(
        tmp_path / "log",
        pairs,
        rf"part-1\.parquet: its columns differ from those of part-0\.parquet: {expected}\.",
    )


def test_an_unreadable_file_is_named(tmp_path, sample):
    log, pairs = sample
    _write(tmp_path / "log", *_halves(log))
    (tmp_path / "log" / "part-2.parquet").write_bytes(b"PAR1 cut short")
    _both_refuse(tmp_path / "log", pairs, r"part-2\.parquet: not a readable Parquet file")


def test_compatible_types_read_as_one_log(tmp_path, sample):
    """Integer minutes, another time zone and a column without any value in one file: the same
    log as in memory (instants kept), by both readers."""
    log, pairs = sample
    a, b = _halves(log)
    whole_minutes = a["duration_minutes"].fillna(0) == a["duration_minutes"].fillna(0).round()
    a = a[whole_minutes].reset_index(drop=True)
    b = b[b["session_id"].isna()].reset_index(drop=True)
    folder = tmp_path / "log"
    folder.mkdir()
    first = pa.Table.from_pandas(a, preserve_index=False)
    first = first.set_column(
        first.schema.get_field_index("duration_minutes"),
        "duration_minutes",
        pa.array(a["duration_minutes"].astype("Int64"), type=pa.int64(), from_pandas=True),
    )
    pq.write_table(first, folder / "part-0.parquet")
    second = b.assign(timestamp=b["timestamp"].dt.tz_convert("America/Montreal"))
    second_t = pa.Table.from_pandas(second, preserve_index=False)
    second_t = second_t.set_column(
        second_t.schema.get_field_index("session_id"),
        "session_id",
        pa.nulls(len(second), pa.null()),
    )
    pq.write_table(second_t, folder / "part-1.parquet")
    assert pq.read_schema(folder / "part-1.parquet").field("session_id").type == pa.null()
    whole = pd.concat([a, b], ignore_index=True)
    pd.testing.assert_frame_equal(
        read_interactions(folder), read_interactions_of(whole, tmp_path / "whole.parquet")
    )
    got = engagement(folder, pairs)
    want = engagement(whole, pairs)
    pd.testing.assert_frame_equal(got.table, want.table)
    assert got.unused_interactions == want.unused_interactions


def read_interactions_of(frame: pd.DataFrame, path) -> pd.DataFrame:
    frame.to_parquet(path, index=False)
    return read_interactions(path)


def test_an_id_on_rows_of_other_content_is_an_error_on_every_path(tmp_path, sample):
    """As validate refuses it in a raw log; an exact copy stays an unused row."""
    log, pairs = sample
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    other = log.iloc[[0]].assign(channel="video", duration_minutes=599.0)
    assert not other.iloc[0].equals(log.iloc[0])
    raw_other = raw.iloc[[0]].assign(channel="video", duration_minutes="599")
    with pytest.raises(DataValidationError) as from_text:
        engagement(pd.concat([raw, raw_other], ignore_index=True), pairs)
    with pytest.raises(DataValidationError) as typed:
        engagement(pd.concat([log, other], ignore_index=True), pairs)
    a, b = _halves(log)
    _write(tmp_path / "log", a, pd.concat([b, other], ignore_index=True))
    with pytest.raises(DataValidationError) as ooc:
        engagement(tmp_path / "log", pairs)
    for exc in (from_text, typed, ooc):
        (problem,) = exc.value.problems
        assert (problem.column, problem.rows) == ("interaction_id", (2, len(log) + 2))
        assert problem.message == from_text.value.problems[0].message
    copy = pd.concat([log, log.iloc[[0]]], ignore_index=True)
    unused = engagement(copy, pairs).unused_interactions
    assert unused[next(k for k in unused if k.startswith("exact duplicate"))] == 1


def test_memory_limit_takes_sizes_as_written(tmp_path, sample):
    log, pairs = sample
    _write(tmp_path / "log", *_halves(log))
    want = engagement(log, pairs).table
    for size in ("2 Go", "1,5GiB", "500MB", "2gb"):
        pd.testing.assert_frame_equal(
            engagement(tmp_path / "log", pairs, memory_limit=size).table, want
        )
    for size in ("2 GO!", "lots", 2_000_000_000, "1KB"):
        with pytest.raises(InvalidArgumentError, match="memory_limit"):
            engagement(tmp_path / "log", pairs, memory_limit=size)
    with pytest.raises(InvalidArgumentError, match="applies to a Parquet log"):
        engagement(log, pairs, memory_limit="2GB")
    with pytest.raises(InvalidArgumentError, match="applies to a Parquet log"):
        engagement(log, pairs, temp_directory=tmp_path)


def test_an_empty_first_file_checks_the_others_against_the_first_with_values(tmp_path, sample):
    """A zero-row pandas export has every column of type null: the kinds come from the next
    file, so naive times after it are still refused."""
    log, pairs = sample
    a, b = _halves(log)
    local = b["timestamp"].dt.tz_convert("Europe/Paris").dt.tz_localize(None)
    _write(tmp_path / "log", pd.DataFrame(columns=log.columns), a, b.assign(timestamp=local))
    assert pq.read_schema(tmp_path / "log" / "part-0.parquet").field("timestamp").type == pa.null()
    _both_refuse(
        tmp_path / "log",
        pairs,
        r"part-2\.parquet, column 'timestamp': holds timestamp without time zone where "
        r"part-1\.parquet holds timestamp with time zone",
    )


def test_string_view_and_naive_units(tmp_path, sample):
    log, pairs = sample
    a, b = _halves(log)
    view = pa.Table.from_pandas(b, preserve_index=False)
    view = view.cast(
        pa.schema(
            [
                (
                    f.name,
                    pa.string_view()
                    if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
                    else f.type,
                )
                for f in view.schema
            ]
        )
    )
    _write(tmp_path / "log", a)
    pq.write_table(view, tmp_path / "log" / "part-1.parquet")
    pd.testing.assert_frame_equal(
        read_interactions(tmp_path / "log"), read_interactions_of(log, tmp_path / "all.parquet")
    )
    pd.testing.assert_frame_equal(
        engagement(tmp_path / "log", pairs).table, engagement(log, pairs).table
    )
    # naive times in ms and in us: the contract's own message, not a failed cast
    naive = tmp_path / "naive"
    naive.mkdir()
    for k, (half, unit) in enumerate([(a, "ms"), (b, "us")]):
        ts = half["timestamp"].dt.tz_localize(None).astype(f"datetime64[{unit}]")
        half.assign(timestamp=ts).to_parquet(naive / f"part-{k}.parquet", index=False)
    with pytest.raises(DataValidationError, match=r"column 'timestamp': naive timestamps"):
        read_interactions(naive)


def test_a_file_corrupted_past_its_footer_is_a_data_error(tmp_path, sample):
    log, pairs = sample
    a, b = _halves(log)
    folder = tmp_path / "log"
    _write(folder, a, b)
    p = folder / "part-1.parquet"
    data = bytearray(p.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little")
    data[4 : len(data) - footer - 8] = bytes(len(data) - footer - 12)  # zeros over the pages
    p.write_bytes(bytes(data))
    with pytest.raises(DataValidationError, match="could not read the log|not a readable Parquet"):
        engagement(folder, pairs)
    with pytest.raises(DataValidationError, match="not a readable Parquet"):
        read_interactions(folder)


def test_memory_limit_values():
    from ementor_kit.graph.big_logs import _memory_limit

    assert [_memory_limit(v) for v in ("2GB", "2 Go", "1,5GiB", "500M", "2 gigabytes")] == [
        "2000000000B",
        "2000000000B",
        f"{int(1.5 * 2**30)}B",
        "500000000B",
        "2000000000B",
    ]
    assert _memory_limit(" 80 % ") == "80%"
    # every spelling of a unit, singular or plural, accented or not
    for v in ("1 gigaoctet", "1 gigaoctets", "1 gigabyte", "1000 mégaoctets", "1000 megaoctet"):
        assert _memory_limit(v) == "1000000000B", v
    assert _memory_limit("1 téraoctet") == _memory_limit("1 teraoctets") == f"{10**12}B"
    for bad in ("10,240MB", "0%", "120%", "2 GO!", "1KB", 2**31):
        with pytest.raises(InvalidArgumentError, match="memory_limit"):
            _memory_limit(bad)
