"""Data contract: a valid folder loads typed; every kind of problem is reported, all at once."""

import io
import re
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ementor_kit.data._columns import _OFFSET_RE, _as_text, _Bytes, _ends_with_offset
from ementor_kit.data.folder import write_programme
from ementor_kit.data.validation import read_programme, read_table, validate
from ementor_kit.datasets import sample_dir
from ementor_kit.errors import DataValidationError, EmentorKitError

MENTORS = """\
mentor_id,display_name,languages,region,utc_offset,domain,skills_offered,goals,availability_hours,modality,digital_comfort,years_experience,organisation,department,capacity,cohort,group
M001,Awa D.,fr;wo,Île-de-France,1,numerique,cv_lettre;entretien,job_search;network,2,sync,5,12,Orga A,RH,2,2026-A,qpv
M002,Luc M.,fr,La Réunion,4,sante,orientation,orientation,1.5,async,3,8,Orga B,Soins,1,2026-A,
"""
MENTEES = """\
mentee_id,display_name,languages,region,utc_offset,domain,skills_sought,goals,availability_hours,modality,digital_comfort,career_stage,years_experience,organisation,department,cohort,group
E001,Inès K.,fr;ar,Guadeloupe,-4,numerique,entretien,job_search,1,mixed,2,etudiant,0,Université X,Licence,2026-A,non_qpv
E002,Tom R.,fr,Occitanie,1,sante,orientation,orientation;confidence,2,async,4,reconversion,6,Orga A,RH,2026-A,
E003,Ana P.,es,Québec,-5,arts_culture,cv_lettre,network,1,sync,3,jeune_diplome,1,Studio Y,Prod,2026-A,qpv
"""
PAIRS = """\
mentee_id,mentor_id,matched_on
E001,M001,2026-09-07
E002,M002,2026-09-08
"""
INTERACTIONS = """\
interaction_id,timestamp,sender_id,recipient_id,channel,duration_minutes,session_id
I000001,2026-09-08T18:32:05+02:00,M001,E001,email,,
I000002,2026-09-08T14:10:00-04:00,E001,M001,email,,
I000003,2026-09-10T19:00:00+01:00,M001,E001,video,45,
"""
GOALS = """\
goal_id,mentee_id,mentor_id,category,description,set_on,target_date
G0001,E001,M001,job_search,Trouver une alternance,2026-09-10,2026-11-30
"""
UPDATES = """\
goal_id,updated_on,stage,percent,status,new_target_date
G0001,2026-09-20,planned,20,in_progress,
G0001,2026-10-15,in_progress,40,revised,2026-12-15
"""


def _write(folder: Path, **overrides: str) -> Path:
    files = {
        "mentors.csv": MENTORS,
        "mentees.csv": MENTEES,
        "pairs.csv": PAIRS,
        "interactions.csv": INTERACTIONS,
        "goals.csv": GOALS,
        "goal_updates.csv": UPDATES,
    }
    files.update({k.replace("__", "."): v for k, v in overrides.items()})
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def _problems(folder: Path) -> list:
    with pytest.raises(DataValidationError) as info:
        read_programme(folder)
    return list(info.value.problems)


def test_valid_folder_loads_typed(tmp_path):
    prog = read_programme(_write(tmp_path))
    assert len(prog.mentors) == 2 and len(prog.mentees) == 3 and len(prog.interactions) == 3
    assert prog.mentors.loc[0, "languages"] == ("fr", "wo")
    assert prog.mentors["capacity"].dtype == "int64"
    assert pd.isna(prog.mentors.loc[1, "group"])
    ts = prog.interactions["timestamp"]
    assert str(ts.dtype) == "datetime64[ns, UTC]"
    # 18:32:05+02:00 is 16:32:05 UTC; 14:10-04:00 is 18:10 UTC the same day
    assert ts[0] == pd.Timestamp("2026-09-08T16:32:05Z")
    assert ts[1] == pd.Timestamp("2026-09-08T18:10:00Z")
    assert pd.isna(prog.interactions.loc[0, "duration_minutes"])
    assert prog.goal_updates.loc[1, "new_target_date"] == pd.Timestamp("2026-12-15")
    assert prog.surveys == {}


def test_validate_is_idempotent_on_typed_frames(tmp_path):
    prog = read_programme(_write(tmp_path))
    for name in ("mentors", "mentees", "pairs", "interactions", "goals", "goal_updates"):
        typed = getattr(prog, name)
        pd.testing.assert_frame_equal(validate(typed, name), typed)


@pytest.mark.parametrize(
    ("file", "text", "column", "rows", "words"),
    [
        (
            "mentors.csv",
            "\n".join(",".join(r.split(",")[:14] + r.split(",")[15:]) for r in MENTORS.splitlines())
            + "\n",
            "capacity",
            (),
            "missing",
        ),
        (
            "mentors.csv",
            MENTORS.replace(",group\n", ",group,age\n")
            .replace(",qpv\n", ",qpv,40\n")
            .replace("2026-A,\n", "2026-A,,50\n"),
            "age",
            (),
            "unexpected",
        ),
        ("mentees.csv", MENTEES.replace("E003,", "E002,"), "mentee_id", (3, 4), "duplicate"),
        (
            "mentors.csv",
            MENTORS.replace(",12,Orga A", ",douze,Orga A"),
            "years_experience",
            (2,),
            "not a number",
        ),
        (
            "mentors.csv",
            MENTORS.replace(",2,2026-A,qpv", ",2.5,2026-A,qpv"),
            "capacity",
            (2,),
            "whole number",
        ),
        ("mentees.csv", MENTEES.replace(",mixed,", ",hybride,"), "modality", (2,), "unknown"),
        ("mentees.csv", MENTEES.replace("fr;ar", "fr;klingon"), "languages", (2,), "klingon"),
        (
            "mentors.csv",
            MENTORS.replace(",1,2026-A,\n", ",7,2026-A,\n"),
            "capacity",
            (3,),
            "above the maximum 4",
        ),
        (
            "mentees.csv",
            MENTEES.replace(",3,jeune", ",0,jeune"),
            "digital_comfort",
            (4,),
            "below the minimum 1",
        ),
        ("mentees.csv", MENTEES.replace("E002,Tom R.", "E002,"), "display_name", (3,), "empty"),
        ("mentors.csv", MENTORS.splitlines()[0] + "\n", None, (), "no rows"),
        (
            "interactions.csv",
            INTERACTIONS.replace("18:32:05+02:00", "18:32:05"),
            "timestamp",
            (2,),
            "naive",
        ),
        (
            "interactions.csv",
            INTERACTIONS.replace(",M001,E001,video", ",M009,E001,video"),
            "sender_id",
            (4,),
            "unknown person: M009",
        ),
        (
            "interactions.csv",
            INTERACTIONS.replace("I000002", "I000001"),
            "interaction_id",
            (2, 3),
            "duplicate",
        ),
        ("pairs.csv", PAIRS.replace("E002,M002", "E009,M002"), "mentee_id", (3,), "E009"),
        ("pairs.csv", PAIRS.replace("2026-09-08", "08/09/2026"), "matched_on", (3,), "not a date"),
        (
            "goals.csv",
            GOALS.replace("E001,M001", "E002,M001"),
            "mentee_id, mentor_id",
            (2,),
            "unknown pair",
        ),
        ("goal_updates.csv", UPDATES.replace(",20,", ",120,"), "percent", (2,), "above"),
    ],
)
def test_each_problem_is_named_with_file_row_column_and_fix(
    tmp_path, file, text, column, rows, words
):
    problems = _problems(_write(tmp_path, **{file.replace(".", "__"): text}))
    assert len(problems) == 1, problems
    (p,) = problems
    assert p.file.endswith(file) and p.column == column and p.rows == rows
    assert words in p.message and p.fix


def test_ids_are_any_text_and_references_follow_them(tmp_path):
    """The sample's M001 shape is not required: an e-mail id is accepted, and the pairs that
    still name the old id are the one problem."""
    problems = _problems(_write(tmp_path, mentors__csv=MENTORS.replace("M002,", "ana@asso.fr,")))
    assert [(Path(p.file).name, p.column, p.rows) for p in problems] == [
        ("pairs.csv", "mentor_id", (3,))
    ]
    assert "unknown" in problems[0].message


def test_a_renamed_column_is_reported_missing_with_a_rename_hint(tmp_path):
    problems = _problems(_write(tmp_path, mentors__csv=MENTORS.replace(",capacity,", ",capacité,")))
    assert [(p.column, p.message) for p in problems] == [
        ("capacity", "column is missing"),
        ("capacité", "unexpected column"),
    ]
    assert problems[1].fix == "rename it to 'capacity'"


def test_several_problems_in_several_files_are_all_listed(tmp_path):
    folder = _write(
        tmp_path,
        mentors__csv=MENTORS.replace(",async,3,8", ",async,3,-8"),
        mentees__csv=MENTEES.replace(",mixed,", ",hybride,").replace("E003,", "E002,"),
        interactions__csv=INTERACTIONS.replace("14:10:00-04:00", "14:10:00"),
    )
    with pytest.raises(DataValidationError) as info:
        read_programme(folder)
    found = {(Path(p.file).name, p.column) for p in info.value.problems}
    assert found == {
        ("mentors.csv", "years_experience"),
        ("mentees.csv", "modality"),
        ("mentees.csv", "mentee_id"),
        ("interactions.csv", "timestamp"),
    }
    text = str(info.value)
    assert text.startswith("4 problems found:") and "interactions.csv, row 3" in text


def test_unreadable_timestamps_are_not_called_naive():
    raw = pd.read_csv(io.StringIO(INTERACTIONS), dtype=str, keep_default_na=False)
    raw.loc[0, "timestamp"] = "yesterday"
    raw.loc[1, "timestamp"] = "2026-09-08 14:10:00"
    with pytest.raises(DataValidationError) as info:
        validate(raw, "interactions")
    found = sorted((p.rows, p.message.split(" (")[0].split(":")[0]) for p in info.value.problems)
    assert found == [((2,), "not an ISO 8601 timestamp"), ((3,), "naive timestamp(s)")]


def test_missing_required_file_and_missing_folder(tmp_path):
    _write(tmp_path, mentees__csv=None)
    (tmp_path / "mentees.csv").unlink(missing_ok=True)
    (p,) = _problems(tmp_path)
    assert p.file.endswith("mentees.csv") and "missing" in p.message
    with pytest.raises(DataValidationError, match="folder not found"):
        read_programme(tmp_path / "nowhere")


def test_unreadable_files_give_clear_errors(tmp_path):
    bad = tmp_path / "pairs.csv"
    bad.write_bytes("mentee_id,mentor_id,matched_on\nE001,M001,2026-09-07\n".encode("utf-16"))
    with pytest.raises(DataValidationError, match="UTF-8|not a readable CSV|missing"):
        read_table(bad, "pairs")
    bad.write_text('mentee_id,mentor_id,matched_on\n"E001,M001,2026-09-07\n')
    with pytest.raises(DataValidationError, match="pairs.csv"):
        read_table(bad, "pairs")


def test_validation_errors_are_package_errors_and_value_errors():
    with pytest.raises(EmentorKitError):
        validate(pd.DataFrame({"mentee_id": []}), "pairs")
    assert issubclass(DataValidationError, ValueError)


def test_optional_tables_may_be_absent(tmp_path):
    folder = tmp_path
    (folder / "mentors.csv").write_text(MENTORS, encoding="utf-8")
    (folder / "mentees.csv").write_text(MENTEES, encoding="utf-8")
    prog = read_programme(folder)
    assert prog.pairs is None and prog.interactions is None and prog.goals is None


def test_problem_text_shows_rows_as_spreadsheet_rows():
    raw = pd.DataFrame(
        {"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"], "matched_on": ["2026-09-07", "soon"]}
    )
    with pytest.raises(DataValidationError) as info:
        validate(raw, "pairs", file="my_pairs.csv")
    assert (
        str(info.value)
        == textwrap.dedent("""\
        1 problem found:
        - my_pairs.csv, row 3, column 'matched_on': not a date: 'soon'. Fix: write dates as YYYY-MM-DD""")
    )


def test_semicolon_files_from_french_spreadsheets_load_like_comma_files(tmp_path):
    comma = read_table(_write(tmp_path) / "mentees.csv", "mentees")
    rows = [r.split(",") for r in MENTEES.splitlines()]
    text = "\r\n".join(";".join(f'"{v}"' if ";" in v else v for v in r) for r in rows) + "\r\n"
    french = tmp_path / "mentees_fr.csv"
    french.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    pd.testing.assert_frame_equal(read_table(french, "mentees"), comma)


def test_a_wholly_empty_row_is_reported_once(tmp_path):
    problems = _problems(_write(tmp_path, mentors__csv=MENTORS + "," * 16 + "\n"))
    assert [(p.column, p.rows, p.message) for p in problems] == [(None, (4,), "empty row(s)")]


def test_survey_answers_outside_the_instrument_range_are_reported():
    raw = pd.DataFrame(
        {
            "response_id": ["R1", "R2"],
            "respondent_id": ["E001", "E002"],
            "rater_role": ["mentee", "mentee"],
            "wave": ["T0", "T0"],
            "submitted_at": ["2026-09-08T10:00:00+02:00"] * 2,
            "target_id": ["", ""],
            "gse_1": ["4", "7"],
            "emx_1": ["5", ""],
        }
    )
    with pytest.raises(DataValidationError) as info:
        validate(raw, "mentee_t0")
    (p,) = info.value.problems
    assert (p.column, p.rows, p.message) == ("gse_1", (3,), "value(s) 7 above the maximum 4")


def test_messages_help_with_common_spreadsheet_habits(tmp_path):
    problems = _problems(
        _write(
            tmp_path,
            mentors__csv=MENTORS.replace(",1.5,async", ',"1,5",async').replace(",qpv\n", ",Oui\n"),
        )
    )
    fixes = {p.column: p.fix for p in problems}
    assert fixes["availability_hours"].endswith("with a point as decimal separator (1.5, not 1,5)")
    assert fixes["group"] == "use one of qpv, non_qpv, or leave it empty"


def _raw_log() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(INTERACTIONS), dtype=str, keep_default_na=False)


def _found(df: pd.DataFrame, table: str = "interactions") -> list[tuple]:
    with pytest.raises(DataValidationError) as info:
        validate(df, table)
    return [(p.column, p.rows, p.message, p.fix) for p in info.value.problems]


def test_timestamps_and_dates_pandas_cannot_hold_are_reported_not_raised():
    raw = _raw_log()
    raw.loc[1, "timestamp"] = "1500-01-01T00:00:00Z"
    assert _found(raw) == [
        (
            "timestamp",
            (3,),
            "timestamps out of range: '1500-01-01T00:00:00Z'",
            "use timestamps between 1677-09-22 and 2262-04-11",
        )
    ]
    pairs = pd.read_csv(io.StringIO(PAIRS), dtype=str, keep_default_na=False)
    pairs.loc[0, "matched_on"] = "2999-12-31"
    assert _found(pairs, "pairs")[0][:3] == ("matched_on", (2,), "dates out of range: '2999-12-31'")


def test_hour_offsets_mixed_with_other_zones_are_read_and_naive_ones_named():
    raw = _raw_log()
    raw["timestamp"] = ["2026-09-08T18:32:05+02", "2026-09-08T14:10:00-04", "2026-09-10T19:00:00"]
    ((column, rows, message, _),) = _found(raw)
    assert (column, rows) == ("timestamp", (4,)) and message.startswith("naive timestamp(s)")


def test_wholly_empty_rows_are_not_duplicate_keys():
    raw = _raw_log().astype(object)
    raw.loc[len(raw)] = [None] * 7
    raw.loc[len(raw)] = [""] * 7
    assert _found(raw) == [(None, (5, 6), "empty row(s)", "delete the empty row(s)")]


_TEXTS = st.lists(
    st.one_of(
        st.none(),
        st.text(alphabet=" \t\n\x00\x1fabZ+-:09\u00a0\u2003é", max_size=8),
        st.sampled_from(
            ["2026-09-08T18:32:05+02:00", " 2026-09-08T18:32:05Z ", "x+0200", "+02:00"]
        ),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.booleans())
def test_text_read_as_bytes_is_the_text_read_in_python(values, as_str):
    """The vectorised path (ASCII text) gives what str.strip() per value gives."""
    s = pd.Series(values, dtype="str" if as_str else object)
    got = _as_text(s)
    text = s.astype("str").str.strip()
    missing = s.isna().to_numpy() | text.eq("").to_numpy(dtype=bool, na_value=True)
    np.testing.assert_array_equal(got.missing, missing)
    pd.testing.assert_series_equal(got.text, text.mask(missing))
    if got.ascii is not None:  # its bytes are the stripped texts, "" where missing
        b = got.ascii
        texts = [bytes(b.data[e - n : e]).decode() for e, n in zip(b.ends, b.lengths, strict=True)]
        assert texts == got.text.fillna("").tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789Zz+-: T\x00\n", max_size=9), max_size=12))
@example(["Z", "+0200", "x-02:00", "+02:0", "Z\x00", "\x00Z", "2026-09-08T18:32:05+02:00", ""])
@example([":00-00", "1:00-00", "x:00+05", "18:32-02"])
def test_the_offset_found_in_bytes_is_the_offset_the_pattern_finds(texts):
    """For stripped texts (validation strips first; the pattern's $ also matches before a
    final newline, which a stripped text never ends with)."""
    texts = [t for t in texts if not t.endswith("\n")]
    b = _Bytes.of(np.array(texts, dtype=object))
    assert b is not None
    expected = [re.search(_OFFSET_RE, t) is not None for t in texts]
    assert _ends_with_offset(b).tolist() == expected


def test_text_subclasses_are_reported_as_plain_text():
    """numpy.str_ values (a str subclass) read as str: messages show 'soon', not np.str_('soon')."""
    days = pd.Series([np.str_("2026-09-07"), np.str_("soon")], dtype=object)
    pairs = pd.DataFrame({"mentee_id": ["E001", "E002"], "mentor_id": ["M001", "M002"]})
    assert _found(pairs.assign(matched_on=days), "pairs")[0][2] == "not a date: 'soon'"
    ids = pd.Series([np.str_("E001"), "E002"])
    typed = validate(pairs.assign(mentee_id=ids, matched_on="2026-09-07"), "pairs")
    assert type(typed["mentee_id"].to_numpy(dtype=object)[0]) is str


def test_hour_only_utc_offsets_are_timestamps_and_bare_dates_are_not():
    """ISO 8601 allows ``+01`` after a time (issue 12: it was called naive)."""
    raw = pd.DataFrame(
        {
            "interaction_id": ["i1", "i2", "i3"],
            "timestamp": ["2026-09-08T18:32:05+01", "2026-09-08T18:32-05", "2026-09-08T18:32:05Z"],
            "sender_id": ["E001", "M001", "E001"],
            "recipient_id": ["M001", "E001", "M001"],
            "channel": ["chat"] * 3,
            "duration_minutes": ["", "", ""],
            "session_id": ["", "", ""],
        }
    )
    got = validate(raw, "interactions")["timestamp"]
    assert list(got) == list(
        pd.to_datetime(
            ["2026-09-08T17:32:05Z", "2026-09-08T23:32:00Z", "2026-09-08T18:32:05Z"], utc=True
        )
    )
    with pytest.raises(DataValidationError, match="naive"):
        validate(raw.assign(timestamp=["2026-09-08"] * 3), "interactions")


@pytest.mark.parametrize(
    "relative", ["Pairs.csv", "surveys/mentee_T1.csv", "Surveys/mentee_t1.csv"]
)
def test_a_file_named_with_other_case_is_reported_not_ignored(tmp_path, relative):
    """Issue 12: Pairs.csv or surveys/mentee_T1.csv were silently ignored."""
    folder = tmp_path / "p"
    shutil.copytree(sample_dir(), folder)
    right = "pairs.csv" if relative.lower() == "pairs.csv" else "surveys/mentee_t1.csv"
    (folder / relative).parent.mkdir(parents=True, exist_ok=True)
    (folder / right).rename(folder / relative)
    if relative.startswith("Surveys"):
        for rest in (folder / "surveys").iterdir():
            rest.rename(folder / "Surveys" / rest.name)
        (folder / "surveys").rmdir()
    with pytest.raises(DataValidationError) as exc:
        read_programme(folder)
    named = [p for p in exc.value.problems if p.fix == f"rename it to {right}"]
    assert len(named) == 1 and named[0].file.endswith(relative)


def test_short_rows_are_refused_with_their_rows(tmp_path):
    """Issue 12: a row with fewer fields than the header was filled in and accepted (the people
    files go through read_raw, the exchange log through read_table)."""
    folder = tmp_path / "p"
    shutil.copytree(sample_dir(), folder)
    mentees = (folder / "mentees.csv").read_text(encoding="utf-8").splitlines()
    mentees[3] = mentees[3].rsplit(",", 1)[0]  # row 4 loses its last field (group)
    (folder / "mentees.csv").write_text("\n".join(mentees) + "\n", encoding="utf-8")
    log = (folder / "interactions.csv").read_text(encoding="utf-8")
    (folder / "interactions.csv").write_text(log[: log.rstrip().rfind(",") - 1], encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_programme(folder)
    short = {Path(p.file).name: p.rows for p in exc.value.problems if "fields" in p.message}
    n_log = log.rstrip().count("\n")  # data rows; the last one is cut
    assert short == {"mentees.csv": (4,), "interactions.csv": (n_log + 1,)}


@pytest.mark.parametrize("row", [2, 4])
def test_long_rows_are_refused_with_their_rows(tmp_path, row):
    """Issue 12 (fuzz harness): a first data row with one field too many made pandas take the
    first column as an index (every column shifted, all rows blamed); a later one gave a
    parser error naming no row."""
    path = tmp_path / "mentors.csv"
    lines = (Path(sample_dir()) / "mentors.csv").read_text(encoding="utf-8").splitlines()
    lines[row - 1] = lines[row - 1] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_table(path, "mentors")
    assert [p.rows for p in exc.value.problems] == [(row,)]


def test_optional_columns_may_be_left_out_and_are_checked_when_present():
    base = pd.DataFrame({"mentee_id": ["E1", "E2"], "mentor_id": ["M1", "M1"]})
    base["matched_on"] = "2026-09-01"
    assert list(validate(base, "pairs").columns) == ["mentee_id", "mentor_id", "matched_on"]
    closed = base.assign(ended_on=["2026-10-01", ""], end_reason=["mentee_left", ""])
    out = validate(closed, "pairs")
    assert out["end_reason"].tolist()[0] == "mentee_left" and pd.isna(out["end_reason"][1])
    with pytest.raises(DataValidationError, match=r"row 2, column 'end_reason'.*'bof'"):
        validate(closed.assign(end_reason=["bof", ""]), "pairs")
    # a required column is still required
    with pytest.raises(DataValidationError, match="'mentor_id': column is missing"):
        validate(base.drop(columns="mentor_id"), "pairs")
    assert list(validate(base.drop(columns="matched_on"), "pairs").columns) == [
        "mentee_id",
        "mentor_id",
    ]


def _with_waves(tmp_path):
    """The sample folder plus a T2 mentee wave (the T1 answers relabelled), a pulse at day 30
    and a closure file: synthetic files for the contract, not data."""
    folder = tmp_path / "p"
    shutil.copytree(sample_dir(), folder)
    t1 = pd.read_csv(folder / "surveys" / "mentee_t1.csv", dtype=str, keep_default_na=False)
    t1.assign(wave="T2").to_csv(folder / "surveys" / "mentee_t2.csv", index=False)
    meta = "response_id,respondent_id,rater_role,wave,submitted_at,target_id"
    (folder / "surveys" / "pulse_p30.csv").write_text(
        f"{meta},pulse_1,pulse_2,pulse_3,pulse_4\n"
        "P1,E186,mentee,P30,2026-10-07T12:00:00+02:00,M057,4,4,3,2\n"
        "P2,M057,mentor,P30,2026-10-08T12:00:00+02:00,E186,5,4,4,\n",
        encoding="utf-8",
    )
    (folder / "surveys" / "closure.csv").write_text(
        "response_id,respondent_id,rater_role,submitted_at,target_id,close_reason,"
        "closure_1,closure_2,closure_3,closure_4\n"
        "C1,E186,mentee,2026-12-28T12:00:00+01:00,M057,completed,5,4,5,5\n"
        "C2,M057,mentor,2026-12-29T12:00:00+01:00,E186,,4,4,5,4\n",
        encoding="utf-8",
    )
    return folder


def test_a_folder_holds_any_wave_pulses_and_closure_answers(tmp_path):
    """Issue 17.2: surveys/mentee_t2.csv, pulse_p30.csv and closure.csv are read and typed;
    the built-in three come first and are unchanged."""
    sample = read_programme(sample_dir())
    prog = read_programme(_with_waves(tmp_path))
    assert list(prog.surveys) == [
        "mentee_t0",
        "mentee_t1",
        "mentor_t1",
        "closure",
        "mentee_t2",
        "pulse_p30",
    ]
    for name in ("mentee_t0", "mentee_t1", "mentor_t1"):
        pd.testing.assert_frame_equal(prog.surveys[name], sample.surveys[name])
    t2 = prog.surveys["mentee_t2"]
    assert set(t2["wave"]) == {"T2"} and len(t2) == len(sample.surveys["mentee_t1"])
    pulse = prog.surveys["pulse_p30"]
    assert list(pulse["pulse_4"].isna()) == [False, True]
    assert pulse["submitted_at"].dt.tz is not None
    closure = prog.surveys["closure"]
    assert "wave" not in closure.columns
    assert list(closure["close_reason"].fillna("")) == ["completed", ""]


def test_the_sample_reads_as_before():
    """No new file: exactly the three built-in surveys, as the sample has always been read."""
    assert list(read_programme(sample_dir()).surveys) == ["mentee_t0", "mentee_t1", "mentor_t1"]


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("mentee_T2.csv", "rename it to surveys/mentee_t2.csv"),
        ("Pulse_P30.csv", "rename it to surveys/pulse_p30.csv"),
        ("mentees_t2.csv", "name it mentee_<wave>.csv"),
        ("mentee-t2.csv", "name it mentee_<wave>.csv"),
        ("mentee_t2.CSV", "rename it to surveys/mentee_t2.csv"),
    ],
)
def test_a_malformed_survey_file_name_is_reported(tmp_path, name, fix):
    folder = _with_waves(tmp_path)
    (folder / "surveys" / "mentee_t2.csv").rename(folder / "surveys" / name)
    with pytest.raises(DataValidationError) as exc:
        read_programme(folder)
    (problem,) = exc.value.problems
    assert problem.file.endswith(name) and problem.fix.startswith(fix)
    assert "not a survey file name" in problem.message


def test_a_wave_file_must_hold_its_own_wave(tmp_path):
    folder = _with_waves(tmp_path)
    text = (folder / "surveys" / "pulse_p30.csv").read_text(encoding="utf-8")
    (folder / "surveys" / "pulse_p30.csv").write_text(
        text.replace(",P30,2026-10-08", ",P90,2026-10-08"), encoding="utf-8"
    )
    (folder / "surveys" / "closure.csv").write_text(
        (folder / "surveys" / "closure.csv")
        .read_text(encoding="utf-8")
        .replace(",completed,", ",finished,"),
        encoding="utf-8",
    )
    (folder / "surveys" / "notes.txt").write_text("not a CSV: ignored", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_programme(folder)
    got = {(Path(p.file).name, p.column, p.rows) for p in exc.value.problems}
    assert got == {("pulse_p30.csv", "wave", (3,)), ("closure.csv", "close_reason", (2,))}
    assert "use one of P30" in str(exc.value)


def test_unknown_people_in_a_new_wave_are_reported(tmp_path):
    folder = _with_waves(tmp_path)
    path = folder / "surveys" / "pulse_p30.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("P1,E186", "P1,E999"), "utf-8")
    with pytest.raises(DataValidationError, match="unknown person: E999") as exc:
        read_programme(folder)
    assert exc.value.problems[0].file.endswith("pulse_p30.csv")


def test_validate_and_read_table_take_any_survey_file_name(tmp_path):
    folder = _with_waves(tmp_path)
    got = read_table(folder / "surveys" / "pulse_p30.csv", "pulse_p30")
    assert list(got["wave"]) == ["P30", "P30"]
    raw = pd.read_csv(folder / "surveys" / "pulse_p30.csv", dtype=str, keep_default_na=False)
    with pytest.raises(DataValidationError, match="use one of T3"):
        validate(raw, "mentee_t3")
    with pytest.raises(EmentorKitError, match="table"):
        validate(raw, "pulse")


def test_a_folder_with_other_waves_round_trips_through_write_programme(tmp_path):
    prog = read_programme(_with_waves(tmp_path))
    written = write_programme(prog, tmp_path / "copy")
    names = {p.relative_to(tmp_path / "copy").as_posix() for p in written}
    assert {"surveys/mentee_t2.csv", "surveys/pulse_p30.csv", "surveys/closure.csv"} <= names
    again = read_programme(tmp_path / "copy")
    assert list(again.surveys) == list(prog.surveys)
    for name, df in prog.surveys.items():
        pd.testing.assert_frame_equal(again.surveys[name], df)
