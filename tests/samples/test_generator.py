"""Tests of the synthetic sample programme (ementor_kit.samples) and the committed data/samples."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ementor_kit.data import schema
from ementor_kit.data.validation import Programme, read_programme, validate
from ementor_kit.datasets import sample_dir
from ementor_kit.errors import DataValidationError, EmentorKitError
from ementor_kit.samples import (
    data_dictionary,
    generate_programme,
    load_sample,
    write_programme,
)

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples"
WEEKS = 16


@pytest.fixture(scope="module")
def prog() -> Programme:
    return read_programme(SAMPLE)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- determinism and the committed files ---------------------------------------------------


def test_readme_is_the_generated_data_dictionary(prog):
    assert (SAMPLE / "README.md").read_text(encoding="utf-8") == data_dictionary(prog)


def test_data_dictionary_documents_every_column_of_the_schema():
    text = data_dictionary()
    for table in schema.TABLES.values():
        assert f"### `{table.file}`" in text
        for col in table.columns:
            assert f"| `{col.name}` |" in text, (table.name, col.name)
    assert "<instrument>" not in text  # escaped for Markdown


def test_generate_then_write_is_stable_and_seed_dependent(tmp_path):
    kw = {"n_mentees": 40, "n_mentors": 14, "weeks": 6}
    write_programme(generate_programme(seed=11, **kw), tmp_path / "a")
    write_programme(generate_programme(seed=11, **kw), tmp_path / "b")
    write_programme(generate_programme(seed=12, **kw), tmp_path / "c")
    for name in _files(tmp_path / "a"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    differ = [
        n
        for n in _files(tmp_path / "a")
        if (tmp_path / "a" / n).read_bytes() != (tmp_path / "c" / n).read_bytes()
    ]
    assert set(differ) == set(_files(tmp_path / "a"))  # every table changes with the seed


def test_load_sample_equals_generated_default(prog):
    loaded, generated = load_sample(), generate_programme()
    for name in ("mentors", "mentees", "pairs", "interactions", "goals", "goal_updates"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(generated, name))
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(prog, name))
    assert sorted(loaded.surveys) == ["mentee_t0", "mentee_t1", "mentor_t1"]
    for name, df in generated.surveys.items():
        pd.testing.assert_frame_equal(loaded.surveys[name], df)


def test_repository_sample_folder_is_the_package_data():
    """data/samples (the product layout) and the package data are one source: a link."""
    repo_folder = Path(__file__).resolve().parents[2] / "data" / "samples"
    assert repo_folder.is_symlink()
    assert repo_folder.resolve() == sample_dir().resolve()


# --- the files follow the data contract -----------------------------------------------------


def test_files_have_schema_columns_in_order_and_plain_line_endings():
    for table in schema.TABLES.values():
        raw = (SAMPLE / table.file).read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n") and not raw.startswith(b"\xef\xbb\xbf")
        header = raw.decode("utf-8").split("\n", 1)[0].split(",")
        # the columns a file may leave out are left out of the sample
        names = tuple(c.name for c in table.columns if not c.optional or c.name in header)
        n = len(names)
        assert tuple(header[:n]) == names, table.name
        for extra in header[n:]:
            assert table.extra_columns and re.match(table.extra_columns, extra), extra


def test_every_table_passes_validation_as_read_from_csv():
    for name, table in schema.TABLES.items():
        raw = pd.read_csv(SAMPLE / table.file, dtype=str, keep_default_na=False)
        typed = validate(raw, name)
        assert len(typed) == len(raw) > 0


def test_survey_item_columns_per_file():
    def items(name: str) -> list[str]:
        cols = pd.read_csv(SAMPLE / schema.TABLES[name].file, nrows=0).columns
        return [c for c in cols if c not in schema.TABLES[name].column_names]

    gse = [f"gse_{i}" for i in range(1, 11)]
    wai = [f"wai_{i}" for i in range(1, 13)]
    emx = [f"emx_{i}" for i in range(1, 9)]
    assert items("mentee_t0") == gse
    assert items("mentee_t1") == gse + [f"mfq_{i}" for i in range(1, 10)] + wai + emx
    assert items("mentor_t1") == wai + emx


def test_timestamps_are_written_with_the_senders_offset(prog):
    text = pd.read_csv(SAMPLE / "interactions.csv", dtype=str, keep_default_na=False)
    offsets = pd.concat(
        [
            prog.mentors.set_index("mentor_id")["utc_offset"],
            prog.mentees.set_index("mentee_id")["utc_offset"],
        ]
    )
    written = text["timestamp"].str[-6:]
    sign = np.where(written.str[0] == "-", -1, 1)
    hours = sign * (written.str[1:3].astype(int) + written.str[4:6].astype(int) / 60)
    np.testing.assert_array_equal(hours, text["sender_id"].map(offsets).to_numpy())


def test_write_programme_round_trips_typed_and_raw_tables(tmp_path, prog):
    write_programme(prog, tmp_path / "typed")
    raw = {
        name: pd.read_csv(SAMPLE / t.file, dtype=str, keep_default_na=False)
        for name, t in schema.TABLES.items()
    }
    write_programme(raw, tmp_path / "raw")
    for folder in (tmp_path / "typed", tmp_path / "raw"):
        for t in schema.TABLES.values():
            assert (folder / t.file).read_bytes() == (SAMPLE / t.file).read_bytes(), t.file


def test_write_programme_rejects_bad_input(tmp_path, prog):
    bad = prog.mentors.assign(capacity=prog.mentors["capacity"].where(lambda c: c != 2, 9))
    with pytest.raises(DataValidationError, match="mentors.csv.*capacity.*above the maximum"):
        write_programme({"mentors": bad, "mentees": prog.mentees}, tmp_path)
    with pytest.raises(EmentorKitError, match="Unknown table"):
        write_programme({"mentors": prog.mentors, "mentees": prog.mentees, "mentor": 1}, tmp_path)
    with pytest.raises(EmentorKitError, match="no mentees table"):
        write_programme({"mentors": prog.mentors}, tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_mentees": 0}, "argument 'n_mentees': 0 is not accepted"),
        ({"weeks": 1}, "argument 'weeks': 1 .*at least 2"),
        ({"seed": -3}, "argument 'seed': -3"),
        ({"start": "not a date"}, "is not a date"),
        ({"start": "2026-09-07T10:00+02:00"}, "time zone"),
    ],
)
def test_generate_programme_rejects_bad_parameters(kwargs, message):
    with pytest.raises(EmentorKitError, match=message):
        generate_programme(**{"n_mentees": 10, "n_mentors": 4, "weeks": 3, **kwargs})


def test_tiny_programmes_still_generate(tmp_path):
    for seed in range(5):
        p = generate_programme(n_mentees=3, n_mentors=1, weeks=2, seed=seed)
        assert len(p.mentees) == 3 and len(p.mentors) == 1
        assert p.pairs is None or len(p.pairs) <= int(p.mentors["capacity"].iloc[0])
        write_programme(p, tmp_path / str(seed))  # absent tables are simply not written
        assert (tmp_path / str(seed) / "mentors.csv").is_file()


# --- matching rules -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair_profiles(prog) -> pd.DataFrame:
    return prog.pairs.merge(prog.mentees, on="mentee_id").merge(
        prog.mentors, on="mentor_id", suffixes=("_e", "_m")
    )


def test_matching_respects_capacity_language_and_conflicts(prog, pair_profiles):
    load = prog.pairs.groupby("mentor_id").size()
    cap = prog.mentors.set_index("mentor_id")["capacity"]
    assert (load <= cap.reindex(load.index)).all()
    assert prog.pairs["mentee_id"].is_unique
    p = pair_profiles
    assert all(set(a) & set(b) for a, b in zip(p["languages_e"], p["languages_m"], strict=True))
    same_cell = (p["organisation_e"] == p["organisation_m"]) & (
        p["department_e"] == p["department_m"]
    )
    assert not same_cell.any()
    start = pd.Timestamp("2026-09-07")
    assert prog.pairs["matched_on"].between(start, start + pd.Timedelta(days=13)).all()


def test_matching_rules_have_something_to_bite_on(prog):
    cells = set(zip(prog.mentors["organisation"], prog.mentors["department"], strict=True))
    inside = [
        (o, d) in cells
        for o, d in zip(prog.mentees["organisation"], prog.mentees["department"], strict=True)
    ]
    assert 0.05 <= np.mean(inside) <= 0.25  # mentees working where some mentor works
    no_fr = prog.mentees[[("fr" not in langs) for langs in prog.mentees["languages"]]]
    assert 3 <= len(no_fr) <= 15
    unmatched = 1 - prog.pairs["mentee_id"].nunique() / len(prog.mentees)
    assert 0.04 <= unmatched <= 0.09
    assert not no_fr["mentee_id"].isin(prog.pairs["mentee_id"]).all()  # the rule left some out
    offs = set(prog.mentees["utc_offset"]) | set(prog.mentors["utc_offset"])
    assert {-5.0, -4.0, -3.0, 0.0, 1.0, 3.0, 4.0, 11.0} <= offs
    assert set(prog.mentors["capacity"]) == {1, 2, 3, 4}
    assert 0.1 <= prog.mentees["group"].isna().mean() <= 0.25


# --- exchanges ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair_stats(prog) -> pd.DataFrame:
    it = prog.interactions
    one = it[it["session_id"].isna() & (it["channel"] != "forum")]
    mentee_sends = one["sender_id"].str.startswith("E")
    one = one.assign(
        mentee_id=one["sender_id"].where(mentee_sends, one["recipient_id"]),
        mentor_id=one["recipient_id"].where(mentee_sends, one["sender_id"]),
        sync=one["channel"].isin(schema.SYNC_CHANNELS),
    )
    g = one.groupby(["mentee_id", "mentor_id"])
    stats = pd.DataFrame(
        {
            "n": g.size(),
            "senders": g["sender_id"].nunique(),
            "n_sync": g["sync"].sum(),
            "first": g["timestamp"].min(),
            "last": g["timestamp"].max(),
        }
    )
    out = prog.pairs.merge(stats, left_on=["mentee_id", "mentor_id"], right_index=True, how="left")
    out["n"] = out["n"].fillna(0)
    out["started"] = (out["senders"] == 2) | (out["n_sync"] > 0)
    out["end"] = (out["matched_on"] + pd.Timedelta(days=7 * WEEKS)).dt.tz_localize("UTC")
    return out


def test_every_one_to_one_exchange_belongs_to_a_pair_and_its_window(prog, pair_stats):
    it = prog.interactions
    people = set(prog.mentors["mentor_id"]) | set(prog.mentees["mentee_id"])
    assert set(it["sender_id"]) | set(it["recipient_id"]) <= people
    assert it["interaction_id"].is_unique
    ordered = it.sort_values(["timestamp", "interaction_id"], kind="stable")
    assert ordered.index.equals(it.index)  # file sorted by time then id
    one = it[it["session_id"].isna() & (it["channel"] != "forum")]
    keys = set(zip(prog.pairs["mentee_id"], prog.pairs["mentor_id"], strict=True))
    for s, r in zip(one["sender_id"], one["recipient_id"], strict=True):
        assert (s, r) in keys or (r, s) in keys
    day = pd.Timedelta(days=1)
    s = pair_stats.dropna(subset=["first"])
    assert (s["first"] >= s["matched_on"].dt.tz_localize("UTC") - day).all()
    assert (s["last"] <= s["end"] + day).all()


def test_channels_durations_sessions_and_forum(prog):
    it = prog.interactions
    sync = it["channel"].isin(schema.SYNC_CHANNELS)
    assert it.loc[sync, "duration_minutes"].between(5, 90).all()
    assert it.loc[~sync, "duration_minutes"].isna().all()
    assert set(it["channel"]) == set(schema.CHANNELS)
    sessions = it[it["session_id"].notna()].groupby("session_id")
    assert 5 <= sessions.ngroups <= 30
    assert sessions.size().between(3, 6).all()
    assert (sessions["timestamp"].nunique() == 1).all()  # same second for every attendee
    assert (sessions["sender_id"].nunique() == 1).all()
    assert it.loc[it["session_id"].notna(), "sender_id"].str.startswith("M").all()
    assert (it.loc[it["session_id"].notna(), "channel"] == "video").all()
    forum = it[it["channel"] == "forum"]
    assert forum["sender_id"].str.startswith("E").all()
    assert forum["recipient_id"].str.startswith("E").all()
    assert forum["recipient_id"].nunique() >= 30
    assert 8_000 <= len(it) <= 30_000


def test_exchange_patterns_are_realistic(prog, pair_stats):
    never = 1 - pair_stats["started"].mean()
    assert 0.02 <= never <= 0.15
    started = pair_stats[pair_stats["started"]]
    fading = (started["end"] - started["last"]).dt.days > 28
    assert 0.1 <= fading.mean() <= 0.35
    # time-zone distance raises the risk of fading
    tz = pair_stats.merge(prog.mentees[["mentee_id", "utc_offset"]], on="mentee_id").merge(
        prog.mentors[["mentor_id", "utc_offset"]], on="mentor_id", suffixes=("_e", "_m")
    )
    far = (tz["utc_offset_e"] - tz["utc_offset_m"]).abs() >= 3
    quiet = ~tz["started"] | ((tz["end"] - tz["last"]).dt.days > 28)
    assert quiet[far].mean() > quiet[~far].mean()
    # the mix of sync and async exchanges varies a lot from pair to pair
    share = started["n_sync"] / started["n"]
    assert share.quantile(0.1) < 0.1 and share.quantile(0.9) > 0.25
    # replies hours later, some within minutes, some days later; some across midnight
    it = prog.interactions
    one = it[it["session_id"].isna() & it["channel"].isin(["chat", "email"])].copy()
    one["pair"] = np.where(
        one["sender_id"].str.startswith("E"),
        one["sender_id"] + one["recipient_id"],
        one["recipient_id"] + one["sender_id"],
    )
    one = one.sort_values(["pair", "timestamp", "interaction_id"])
    prev = one.groupby("pair")[["sender_id", "timestamp"]].shift()
    reply = one["sender_id"] != prev["sender_id"]
    lat = (one["timestamp"] - prev["timestamp"])[reply & prev["timestamp"].notna()]
    hours = lat.dt.total_seconds() / 3600
    assert hours.quantile(0.1) < 0.5 and 2 < hours.median() < 24 and hours.quantile(0.9) > 48
    assert it["timestamp"].duplicated().sum() > 0  # same-second time stamps exist


def test_local_times_follow_daily_rhythms(prog):
    it = prog.interactions
    off = pd.concat(
        [
            prog.mentors.set_index("mentor_id")["utc_offset"],
            prog.mentees.set_index("mentee_id")["utc_offset"],
        ]
    )
    local = it["timestamp"].dt.tz_localize(None) + pd.to_timedelta(
        it["sender_id"].map(off), unit="h"
    )
    hour = local.dt.hour
    assert hour.between(1, 6).mean() < 0.01
    assert hour.between(18, 22).mean() > 0.25
    assert ((hour == 23) | (hour == 0)).mean() > 0.02


# --- goals ----------------------------------------------------------------------------------


def test_goals_belong_to_started_pairs_and_updates_are_consistent(prog, pair_stats):
    goals, upd = prog.goals, prog.goal_updates
    started = set(
        zip(
            pair_stats.loc[pair_stats["started"], "mentee_id"],
            pair_stats.loc[pair_stats["started"], "mentor_id"],
            strict=True,
        )
    )
    assert set(zip(goals["mentee_id"], goals["mentor_id"], strict=True)) <= started
    per_pair = goals.groupby(["mentee_id", "mentor_id"]).size()
    assert per_pair.between(1, 4).all()
    assert (goals["target_date"] > goals["set_on"]).all()
    assert set(upd["goal_id"]) == set(goals["goal_id"])
    first = upd.groupby("goal_id")["updated_on"].min()
    assert (first == goals.set_index("goal_id")["set_on"].reindex(first.index)).all()
    assert ((upd["stage"] == "done") == (upd["percent"] == 100)).all()
    assert ((upd["status"] == "completed") == (upd["percent"] == 100)).all()
    assert (upd["new_target_date"].notna() == (upd["status"] == "revised")).all()
    # progress never goes back except when a goal is revised (re-scoped)
    step = upd.groupby("goal_id")["percent"].diff()
    assert (step[upd["status"] != "revised"].dropna() >= 0).all()


def test_goal_patterns_are_present(prog):
    goals, upd = prog.goals, prog.goal_updates
    last = upd.groupby("goal_id").last()
    n = len(goals)
    completed = (last["status"] == "completed").mean()
    assert 0.3 <= completed <= 0.8
    assert 0.05 <= upd.groupby("goal_id")["status"].apply(lambda s: (s == "revised").any()).mean()
    assert (last["status"] == "abandoned").sum() >= 5
    gap = upd.groupby("goal_id")["updated_on"].diff().dt.days
    stalled = (gap > 21) & (upd["percent"].groupby(upd["goal_id"]).shift() < 100)
    assert 0.05 * n <= stalled.groupby(upd["goal_id"]).any().sum() <= 0.5 * n
    as_of = pd.Timestamp("2026-12-28")
    overdue = (goals.set_index("goal_id")["target_date"] < as_of) & (last["status"] != "completed")
    assert overdue.sum() >= 20
    assert set(goals["category"]) == set(schema.GOALS.column("category").allowed or ())


# --- surveys --------------------------------------------------------------------------------


def _alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha, listwise: k/(k-1) * (1 - trace(C)/sum(C))."""
    x = items.dropna().to_numpy(dtype=float)
    c = np.cov(x, rowvar=False)
    k = x.shape[1]
    return k / (k - 1) * (1 - np.trace(c) / c.sum())


def _cols(prefix: str, numbers) -> list[str]:
    return [f"{prefix}_{i}" for i in numbers]


def test_survey_response_and_attrition_rates(prog):
    t0, t1, m1 = (prog.surveys[k] for k in ("mentee_t0", "mentee_t1", "mentor_t1"))
    n = len(prog.mentees)
    assert 0.9 <= len(t0) / n <= 0.99
    attrition = 1 - t0["respondent_id"].isin(t1["respondent_id"]).mean()
    assert 0.2 <= attrition <= 0.4
    assert t0["respondent_id"].is_unique and t1["respondent_id"].is_unique
    assert t0["target_id"].isna().all()
    pairs = set(zip(prog.pairs["mentee_id"], prog.pairs["mentor_id"], strict=True))
    rated = set(zip(m1["target_id"], m1["respondent_id"], strict=True))
    assert rated <= pairs and len(rated) == len(m1)
    mentors_with_pairs = prog.pairs["mentor_id"].nunique()
    assert 0.6 <= m1["respondent_id"].nunique() / mentors_with_pairs <= 0.9
    matched_t1 = t1[t1["target_id"].notna()]
    assert set(zip(matched_t1["respondent_id"], matched_t1["target_id"], strict=True)) <= pairs
    # unmatched mentees answer only the GSE items
    unmatched = t1[t1["target_id"].isna()]
    assert len(unmatched) > 0
    assert unmatched[_cols("wai", range(1, 13))].isna().all().all()


def test_items_are_integers_in_range_with_a_little_missingness(prog):
    for name, df in prog.surveys.items():
        for c in df.columns:
            if c in schema.TABLES[name].column_names:
                continue
            v = df[c].dropna()
            top = 4 if c.startswith("gse") else 5
            assert v.between(1, top).all() and (v == v.round()).all(), (name, c)
    t0 = prog.surveys["mentee_t0"][_cols("gse", range(1, 11))]
    assert 0.01 <= t0.isna().mean().mean() <= 0.05
    assert t0.isna().sum(axis=1).max() >= 3  # a few respondents stopped halfway


def test_scales_are_reliable(prog):
    t0, t1, m1 = (prog.surveys[k] for k in ("mentee_t0", "mentee_t1", "mentor_t1"))
    assert 0.75 <= _alpha(t0[_cols("gse", range(1, 11))]) <= 0.93
    for nums in ((1, 2, 10, 12), (3, 5, 7, 9), (4, 6, 8, 11)):
        assert 0.7 <= _alpha(t1[_cols("wai", nums)]) <= 0.92
        assert 0.7 <= _alpha(m1[_cols("wai", nums)]) <= 0.92
    for nums in ((1, 2, 3), (4, 5, 6), (7, 8, 9)):
        assert 0.65 <= _alpha(t1[_cols("mfq", nums)]) <= 0.92
    emx = t1[_cols("emx", range(1, 9))]
    assert emx["emx_3"].corr(emx["emx_4"]) < -0.2  # emx_4 is reverse-keyed
    assert emx["emx_5"].corr(emx["emx_6"]) < -0.2  # emx_6 is reverse-keyed
    rev = emx.assign(emx_4=6 - emx["emx_4"], emx_6=6 - emx["emx_6"])
    for k in range(4):
        assert 0.5 <= _alpha(rev[_cols("emx", (2 * k + 1, 2 * k + 2))]) <= 0.9


def test_surveys_relate_to_engagement_and_each_other(prog, pair_stats):
    t0, t1, m1 = (prog.surveys[k] for k in ("mentee_t0", "mentee_t1", "mentor_t1"))
    gse = _cols("gse", range(1, 11))
    both = t0[["respondent_id", *gse]].merge(
        t1[["respondent_id", *gse]], on="respondent_id", suffixes=("_0", "_1")
    )
    diff = both[[g + "_1" for g in gse]].to_numpy().mean(axis=1) - both[
        [g + "_0" for g in gse]
    ].to_numpy().mean(axis=1)
    diff = diff[~np.isnan(diff)]
    d_z = diff.mean() / diff.std(ddof=1)
    assert 0.2 <= d_z <= 0.5
    wai = _cols("wai", range(1, 13))
    mentee = t1.assign(w=t1[wai].mean(axis=1))[["respondent_id", "target_id", "w"]]
    mentor = m1.assign(w=m1[wai].mean(axis=1))[["respondent_id", "target_id", "w"]]
    dyads = mentee.merge(
        mentor, left_on=["respondent_id", "target_id"], right_on=["target_id", "respondent_id"]
    )
    assert len(dyads) >= 100
    assert 0.2 <= dyads["w_x"].corr(dyads["w_y"]) <= 0.6
    eng = mentee.merge(pair_stats, left_on="respondent_id", right_on="mentee_id")
    assert eng["w"].corr(np.log1p(eng["n"])) > 0.2
