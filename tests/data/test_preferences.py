"""preferences.csv: read, checked against the people, every problem at once, in folders."""

from __future__ import annotations

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.data.folder import programme_tables, write_programme
from ementor_kit.data.preferences import Preferences, read_preferences
from ementor_kit.data.validation import read_programme
from ementor_kit.errors import ArgumentTypeError, DataValidationError

MENTORS = ["M1", "M2", "M3"]
MENTEES = ["E1", "E2"]


def _table(rows):
    return pd.DataFrame(rows, columns=["chooser_id", "chosen_id", "rank"]).astype(str)


def test_both_sides_read_with_their_order():
    prefs = read_preferences(
        _table([("E1", "M3", 5), ("E1", "M1", 2), ("M2", "E2", 1), ("M2", "E1", 2)]),
        MENTORS,
        MENTEES,
    )
    assert prefs.order("E1") == ("M1", "M3")  # ranks 2 and 5: first and second choice
    assert prefs.order("M2") == ("E2", "E1")
    assert prefs.order("E2") == ()
    pos, k = prefs.positions("mentee", MENTEES, MENTORS)
    assert pos.tolist() == [[1, 0, 2], [0, 0, 0]] and k.tolist() == [2, 0]
    pos, k = prefs.positions("mentor", MENTEES, MENTORS)
    assert pos.tolist() == [[0, 2, 0], [0, 1, 0]] and k.tolist() == [0, 2, 0]
    assert list(prefs.table["side"]) == ["mentee", "mentee", "mentor", "mentor"]


def test_every_problem_named_with_row_column_and_fix():
    bad = _table(
        [
            ("E1", "M1", "1"),
            ("E1", "M2", "1"),  # rank 1 twice (rows 2 and 3)
            ("E2", "M9", "2"),  # unknown chosen id (row 4)
            ("E2", "E1", "1"),  # a mentee ranks a mentee (row 5)
            ("M1", "M2", "1"),  # a mentor ranks a mentor (row 6)
            ("X7", "M1", "1"),  # unknown chooser (row 7)
        ]
    )
    with pytest.raises(DataValidationError) as info:
        read_preferences(bad, MENTORS, MENTEES)
    found = {(p.column, p.rows, p.message.split(" (")[0]) for p in info.value.problems}
    assert found == {
        ("rank", (2, 3), "the same rank given twice by one chooser"),
        ("chosen_id", (4,), "unknown id(s) 'M9'"),
        ("chooser_id", (7,), "unknown id(s) 'X7'"),
        ("chosen_id", (5,), "a mentee ranks a mentee"),
        ("chosen_id", (6,), "a mentor ranks a mentor"),
    }
    assert all(p.fix for p in info.value.problems)


def test_rank_must_be_a_positive_whole_number_and_pairs_unique():
    bad = _table([("E1", "M1", "0"), ("E1", "M2", "1.5"), ("E2", "M1", "1"), ("E2", "M1", "2")])
    with pytest.raises(DataValidationError) as info:
        read_preferences(bad, MENTORS, MENTEES)
    text = str(info.value)
    assert "row 2, column 'rank': value(s) 0 below the minimum 1" in text
    assert "row 3, column 'rank'" in text and "whole number" in text
    assert "rows 4, 5" in text and "duplicate key(s) E2/M1" in text
    missing = pd.DataFrame({"chooser_id": ["E1"], "chosen": ["M1"], "rank": ["1"]})
    with pytest.raises(DataValidationError, match="chosen_id.*column is missing"):
        read_preferences(missing, MENTORS, MENTEES)


def test_file_rows_are_the_spreadsheet_rows(tmp_path):
    path = tmp_path / "preferences.csv"
    path.write_text("chooser_id,chosen_id,rank\nE1,M1,1\n\nE1,M2,x\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_preferences(path, MENTORS, MENTEES)
    (p,) = info.value.problems
    assert (p.file, p.column, p.rows) == ("preferences.csv", "rank", (4,))  # after an empty row


def test_empty_file_is_nobody_ranking_and_wrong_arguments(tmp_path):
    empty = read_preferences(_table([]), MENTORS, MENTEES)
    assert len(empty.table) == 0 and empty.order("E1") == ()
    with pytest.raises(ArgumentTypeError):
        read_preferences(42, MENTORS, MENTEES)
    with pytest.raises(ArgumentTypeError):
        read_preferences(_table([]), pd.DataFrame({"id": ["M1"]}), MENTEES)
    again = read_preferences(empty, pd.DataFrame({"mentor_id": MENTORS}), MENTEES)
    assert isinstance(again, Preferences)


def test_programme_folder_reads_writes_and_checks_preferences(tmp_path):
    prog = ek.generate_programme(n_mentees=12, n_mentors=5, weeks=2, seed=3)
    tables = programme_tables(prog)
    e, m = list(prog.mentees["mentee_id"][:2]), list(prog.mentors["mentor_id"][:2])
    tables["preferences"] = _table([(e[0], m[1], 1), (e[0], m[0], 2), (m[0], e[1], 1)])
    write_programme(tables, tmp_path / "a")
    text = (tmp_path / "a" / "preferences.csv").read_text(encoding="utf-8")
    assert text == f"chooser_id,chosen_id,rank\n{e[0]},{m[1]},1\n{e[0]},{m[0]},2\n{m[0]},{e[1]},1\n"
    back = read_programme(tmp_path / "a")
    assert back.preferences is not None and len(back.preferences) == 3
    assert "3 preferences" in repr(back)
    write_programme(back, tmp_path / "b")  # round trip, byte-identical
    assert (tmp_path / "b" / "preferences.csv").read_text(encoding="utf-8") == text
    assert read_programme(tmp_path / "b").preferences.equals(back.preferences)
    (tmp_path / "a" / "preferences.csv").write_text(text + f"{e[1]},{e[0]},1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"preferences.csv, row 5.*a mentee ranks"):
        read_programme(tmp_path / "a")
    tables["preferences"] = _table([(e[0], "nobody", 1)])
    with pytest.raises(DataValidationError, match="unknown id"):
        write_programme(tables, tmp_path / "c")


def test_folder_without_preferences_is_unchanged():
    prog = read_programme(ek.datasets.sample_dir())
    assert prog.preferences is None and "preferences" not in programme_tables(prog)
