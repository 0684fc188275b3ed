"""The Arrow reader of exchange logs gives read_table's exact result and exact errors."""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ementor_kit.data.validation import read_table, validate
from ementor_kit.errors import DataValidationError
from ementor_kit.graph import _inputs as gi
from ementor_kit.graph.log_reader import read_interactions, typed_from_arrow, typed_from_frame

SAMPLE = Path(__file__).parents[2] / "ementor_kit" / "datasets" / "sample" / "interactions.csv"
HEADER = "interaction_id,timestamp,sender_id,recipient_id,channel,duration_minutes,session_id"


def _outcome(f, path):
    try:
        return "ok", f(path, "interactions") if f is read_table else f(path)
    except DataValidationError as exc:
        return "error", str(exc)


def _same_as_read_table(path: Path) -> None:
    kind, fast = _outcome(read_interactions, path)
    ref_kind, ref = _outcome(read_table, path)
    assert kind == ref_kind
    if kind == "ok":
        pd.testing.assert_frame_equal(fast, ref)
    else:
        assert fast == ref


def _generated_text(n: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    base = pd.Timestamp("2026-01-01", tz="UTC").value // 10**9
    sec = base + rng.integers(0, 400 * 86_400, n)
    off_min = rng.choice([0, 60, 120, -240, 330, -570, 765], n)
    local = pd.to_datetime(sec + off_min * 60, unit="s")
    frac = rng.choice(["", ".5", ".123", ".123456789", ".000001"], n)
    sign = np.where(off_min < 0, "-", "+")
    suffix = [
        "Z" if o == 0 and k % 2 else f"{s}{abs(o) // 60:02d}:{abs(o) % 60:02d}"
        for k, (s, o) in enumerate(zip(sign, off_min, strict=True))
    ]
    stamp = local.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(dtype=object) + frac + np.array(suffix)
    channel = rng.choice(["chat", "email", "forum", "video", "phone"], n)
    sync = np.isin(channel, ["video", "phone"])
    minutes = np.where(sync, rng.choice(["30", "45.5", "0", "600", "12.25"], n), "")
    session = np.where(sync & (rng.random(n) < 0.2), rng.choice(["S1", "S02", "G 3"], n), "")
    lines = [HEADER]
    for i in range(n):
        lines.append(
            f"I{i:06d},{stamp[i]},E{i % 37:03d},M{i % 11:03d},{channel[i]},{minutes[i]},{session[i]}"
        )
    return "\n".join(lines) + "\n"


def test_sample_log_equals_read_table():
    _same_as_read_table(SAMPLE)


@pytest.mark.parametrize("seed", [0, 1])
def test_generated_log_equals_read_table(tmp_path, seed):
    p = tmp_path / "interactions.csv"
    p.write_text(_generated_text(3_000, seed))
    fast = read_interactions(p)
    assert typed_from_arrow(pa.Table.from_pandas(pd.read_csv(p, dtype=str))) is not None
    pd.testing.assert_frame_equal(fast, read_table(p, "interactions"))


def test_timestamps_read_in_blocks(tmp_path, monkeypatch):
    """Blocks of 7 rows (widths varying within and between blocks): the same table, and a flaw
    in the last block still sends the file to the contract's own check."""
    from ementor_kit.graph import log_reader

    monkeypatch.setattr(log_reader, "_BLOCK", 7)
    p = tmp_path / "interactions.csv"
    text = _generated_text(500, seed=2)
    p.write_text(text)
    pd.testing.assert_frame_equal(read_interactions(p), read_table(p, "interactions"))
    last = text.rstrip("\n").rsplit("\n", 1)
    fields = last[1].split(",")
    fields[1] = fields[1][:11] + "24" + fields[1][13:]  # hour 24 in the last row
    p.write_text(last[0] + "\n" + ",".join(fields) + "\n")
    kind, _ = _outcome(read_interactions, p)
    assert kind == "error"
    _same_as_read_table(p)


def test_timestamps_against_pandas_one_by_one():
    """Each text parsed alone by pandas (an independent parser) gives the same instant."""
    texts = [
        "2024-02-29T23:59:59+23:59",
        "1900-03-01T00:00:00-12:30",
        "2000-02-29T12:00:00.000000001Z",
        "2026-12-31T23:59:59.999999999+00:00",
        "2026-07-04 08:00:00+05:45",
        "1970-01-01T00:00:00Z",
        "2261-12-31T00:00:00+14:00",
    ]
    table = pa.table({"timestamp": texts})
    from ementor_kit.graph.log_reader import _timestamps

    got = _timestamps(table.column("timestamp"))
    want = [pd.Timestamp(t).tz_convert("UTC").value for t in texts]
    assert got.array.asi8.tolist() == want


MUTATIONS = {
    "bad channel": lambda t: t.replace(",chat,", ",telepathy,", 1),
    "naive timestamp": lambda t: t.replace("+01:00", "", 1),
    "short offset": lambda t: t.replace("+01:00", "+01", 1),
    "offset without colon": lambda t: t.replace("+01:00", "+0100", 1),
    "impossible date": lambda t: t.replace("2026-02-2", "2026-02-3", 1),
    "leap second": lambda t: _first_stamp_seconds(t, "60"),
    "hour 24": lambda t: t.replace("T09:00", "T24:00", 1),
    "offset 24 h": lambda t: t.replace("+01:00", "+24:00", 1),
    "not a time": lambda t: t.replace("2026-", "twenty-", 1),
    "duplicate id": lambda t: t.replace("I000002,", "I000001,", 1),
    "empty id": lambda t: t.replace("\nI000003,", "\n,", 1),
    "id with spaces around": lambda t: t.replace(",E001,", ", E001 ,", 1),
    "id with a space inside": lambda t: t.replace(",E001,", ",E 001,", 1),
    "non-ASCII id": lambda t: t.replace(",E001,", ",Zoe\u0301,", 1),
    "invisible character": lambda t: t.replace(",E001,", ",E0\u200b01,", 1),
    "tab in id": lambda t: t.replace(",E001,", ",E0\t01,", 1),
    "duration text": lambda t: t.replace(",30,", ",thirty,", 1),
    "duration comma": lambda t: t.replace(",30,", ',"1,5",', 1),
    "duration too long": lambda t: t.replace(",30,", ",601,", 1),
    "negative duration": lambda t: t.replace(",30,", ",-1,", 1),
    "duration exponent": lambda t: t.replace(",30,", ",3e1,", 1),
    "empty row": lambda t: t + ",,,,,,\n",
    "short row": lambda t: t.replace(",chat,", ",chat", 1),
    "long row": lambda t: t.replace(",chat,", ",chat,,", 1),
    "missing column": lambda t: "\n".join(
        ",".join(line.split(",")[:4] + line.split(",")[5:]) for line in t.splitlines()
    ),
    "extra column": lambda t: t.replace("\n", ",x\n").replace(HEADER + ",x", HEADER + ",note"),
    "no optional columns": lambda t: "\n".join(
        ",".join(line.split(",")[:5]) for line in t.splitlines()
    ),
    "semicolons": lambda t: t.replace(",", ";"),
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "quoted fields": lambda t: t.replace(",E001,", ',"E001",'),
    "quoted comma": lambda t: t.replace(",S1", ',"S,1"'),
    "blank lines": lambda t: t.replace("\n", "\n\n", 3),
    "session spaces": lambda t: t.replace(",S1", ", S1"),
    "header only": lambda t: HEADER + "\n",
}


def _first_stamp_seconds(text: str, sec: str) -> str:
    lines = text.splitlines()
    fields = lines[1].split(",")
    fields[1] = fields[1][:17] + sec + fields[1][19:]
    lines[1] = ",".join(fields)
    return "\n".join(lines) + "\n"


def _small_log() -> str:
    rows = [
        "I000001,2026-02-01T09:00:00+01:00,E001,M001,chat,,",
        "I000002,2026-02-21T10:30:00.25Z,M001,E001,video,30,",
        "I000003,2026-02-22T10:30:00-04:00,E002,M001,phone,45,S1",
        "I000004,2026-02-23T11:00:00+05:30,E002,E001,forum,,",
    ]
    return HEADER + "\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_every_flaw_gives_read_table_outcome(tmp_path, name):
    p = tmp_path / "interactions.csv"
    p.write_text(MUTATIONS[name](_small_log()), encoding="utf-8")
    _same_as_read_table(p)


def test_bom_latin1_and_missing_file(tmp_path):
    p = tmp_path / "interactions.csv"
    p.write_bytes(codecs.BOM_UTF8 + _small_log().encode())
    _same_as_read_table(p)
    p.write_bytes(_small_log().replace("E001", "Eé01").encode("latin-1"))
    _same_as_read_table(p)
    _same_as_read_table(tmp_path / "absent.csv")


def test_parquet_file_and_folder(tmp_path):
    csv = tmp_path / "interactions.csv"
    csv.write_text(_generated_text(500))
    typed = read_table(csv, "interactions")
    raw = pd.read_csv(csv, dtype=str, keep_default_na=False)
    folder = tmp_path / "log"
    folder.mkdir()
    pq.write_table(pa.Table.from_pandas(typed.iloc[:200]), folder / "part-0.parquet")
    pq.write_table(pa.Table.from_pandas(typed.iloc[200:]), folder / "part-1.parquet")
    pd.testing.assert_frame_equal(read_interactions(folder), typed)
    text = tmp_path / "text.parquet"
    pq.write_table(pa.Table.from_pandas(raw), text)
    pd.testing.assert_frame_equal(read_interactions(text), typed)
    # a problem in a Parquet log: the contract's message, naming the file
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pandas(raw.assign(channel="telepathy")), bad)
    with pytest.raises(DataValidationError) as got:
        read_interactions(bad)
    with pytest.raises(DataValidationError) as want:
        validate(raw.assign(channel="telepathy"), "interactions", file=str(bad))
    assert str(got.value) == str(want.value)
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(DataValidationError, match="no .parquet file"):
        read_interactions(tmp_path / "empty_dir")
    with pytest.raises(DataValidationError, match="file not found"):
        read_interactions(tmp_path / "absent.parquet")


def test_raw_frames_take_the_fast_path_with_the_same_result(tmp_path):
    p = tmp_path / "interactions.csv"
    p.write_text(_generated_text(800, seed=3))
    raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    fast = typed_from_frame(raw)
    assert fast is not None
    pd.testing.assert_frame_equal(fast, validate(raw, "interactions"))
    typed, positions, dups = gi.interactions_frame(pd.concat([raw, raw.iloc[[5]]]))
    pd.testing.assert_frame_equal(typed, validate(raw, "interactions"))
    assert dups.tolist() == [800] and positions.tolist() == list(range(800))
    # an object column of mixed types is left to validate
    assert typed_from_frame(raw.assign(sender_id=[1] + raw["sender_id"].tolist()[1:])) is None
