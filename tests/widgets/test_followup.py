"""The follow-up board without a browser: set the filters, read what it shows and exports."""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.widgets import FollowUpBoard
from ementor_kit.widgets.followup import write_followup_excel
from tests.graph.test_checkins import CHECKINS, ENG

FU = ek.followup(ENG, CHECKINS)  # to contact (by hand, see tests/graph/test_checkins.py):
# E1 concern (Ana), E2 cadence (Ana), E4 cadence + not_reached (Bea), E6 engagement + cadence


def test_board_lists_the_week_and_filters_by_rule_and_coordinator():
    board = FollowUpBoard(FU, lang="en")
    assert board.shown["mentee_id"].tolist() == ["E1", "E2", "E4", "E6"]
    assert "4 pairs to contact" in board.summary_html.value
    assert "check-in cadence: 3" in board.summary_html.value
    assert [v for _, v in board.rule_filter.options] == [
        "*",
        "engagement",
        "cadence",
        "concern",
        "not_reached",
    ]
    assert [v for _, v in board.coordinator_filter.options] == ["*", "", "Ana", "Bea"]
    board.rule_filter.value = "cadence"
    assert board.shown["mentee_id"].tolist() == ["E2", "E4", "E6"]
    assert ">E4<" in board.table_html.value and ">E1<" not in board.table_html.value
    board.coordinator_filter.value = "Ana"
    assert board.shown["mentee_id"].tolist() == ["E2"]
    assert "1 pair to contact" in board.summary_html.value
    board.rule_filter.value = "not_reached"
    assert board.shown.empty and "No pair to contact." in board.table_html.value
    # the completed pair (E5) and the recorded early closure (E7) never appear
    board.rule_filter.value = board.coordinator_filter.value = "*"
    assert not {"E5", "E7"} & set(board.shown["mentee_id"])


def test_extra_rules_such_as_a_low_pulse_get_their_own_filter():
    extra = pd.DataFrame(
        {"mentee_id": ["E3"], "mentor_id": ["M2"], "rule": ["low_pulse"], "reason": ["pulse 1/5"]}
    )
    board = FollowUpBoard(ek.followup(ENG, CHECKINS, extra_reasons=extra), lang="en")
    assert [v for _, v in board.rule_filter.options][-1] == "low_pulse"
    board.rule_filter.value = "low_pulse"
    assert board.shown["reasons"].tolist() == ["pulse 1/5"]


def test_board_in_french():
    board = FollowUpBoard(FU, lang="fr")
    assert board.lang == "fr"
    # status labels from the glossary, dates written out in French
    assert "à relancer (entretien de suivi)" in board.table_html.value
    assert "4 octobre 2026" in board.table_html.value
    assert "2026-10-04" not in board.table_html.value
    # closed_early by its glossary words (status.closed_early), not its code
    prog = ek.load_sample()
    pairs = prog.pairs.assign(planned_end=prog.pairs["matched_on"] + pd.Timedelta(weeks=16))
    board = FollowUpBoard(ek.followup(ek.engagement(prog.interactions, pairs)), lang="fr")
    assert len(board.shown) == 37 and set(board.shown["status"]) == {"closed_early"}
    assert "clos avant le terme" in board.table_html.value
    assert "closed_early" not in board.table_html.value


def test_export_joins_names_only_in_the_workbook(tmp_path):
    prog = ek.load_sample()
    pairs = prog.pairs.assign(planned_end=prog.pairs["matched_on"] + pd.Timedelta(weeks=16))
    eng = ek.engagement(prog.interactions, pairs, as_of="2026-11-15")
    e, m = pairs.iloc[0][["mentee_id", "mentor_id"]]
    checkins = pd.DataFrame(
        {
            "coordinator": ["=cmd|' /C calc'!A0"],  # a formula typed in a cell
            "mentee_id": [e],
            "mentor_id": [m],
            "date": ["2026-11-10"],
            "channel": ["phone"],
            "outcome": ["concern"],
            "next_step": ["rappeler le mentor"],
        }
    )
    fu = ek.followup(eng, checkins)
    board = FollowUpBoard(fu, prog, output_dir=tmp_path, lang="en")
    name_e = prog.mentees.set_index("mentee_id").loc[e, "display_name"]
    name_m = prog.mentors.set_index("mentor_id").loc[m, "display_name"]
    assert name_e not in board.table_html.value and name_m not in board.table_html.value
    board.rule_filter.value = "concern"
    board.export_button.click()
    path = board.last_export
    assert path == tmp_path / "followup-2026-11-15.xlsx"
    assert "Written:" in board.export_html.value
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "To contact" and wb.sheetnames[-1] == "About"
    rows = list(wb["To contact"].values)
    assert rows[0][:4] == ("mentee", "mentee_display_name", "mentor", "mentor_display_name")
    assert rows[1][:4] == (e, name_e, m, name_m)
    assert len(rows) == 2  # the concern filter: one pair
    assert "'=cmd|' /C calc'!A0" in rows[1]  # neutralised, never run as a formula
    assert "rappeler le mentor" in rows[1][-1]
    # the same follow-up gives the same bytes
    again = write_followup_excel(fu, tmp_path / "again.xlsx", prog, rule="concern", lang="en")
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(path.read_bytes()).digest()
    # at the end of the pilot (planned ends at week 16 passed): no completed pair listed
    fu = ek.followup(ek.engagement(prog.interactions, pairs), checkins)
    everything = write_followup_excel(fu, tmp_path / "all.xlsx", prog)
    listed = {r[0] for r in list(openpyxl.load_workbook(everything)["To contact"].values)[1:]}
    done = set(fu.table.loc[fu.table["status"] == "completed", "mentee_id"])
    assert done and not listed & done


def test_errors_are_shown_or_raised(tmp_path):
    with pytest.raises(ArgumentTypeError, match="followup"):
        FollowUpBoard(ENG)
    with pytest.raises(InvalidArgumentError, match="rule"):
        write_followup_excel(FU, "x.xlsx", rule="nope")
    with pytest.raises(InvalidArgumentError, match="coordinator"):
        write_followup_excel(FU, "x.xlsx", coordinator="Zoe")
    board = FollowUpBoard(FU, ek.load_sample(), lang="en")  # not the programme of these pairs
    board.folder_text.value = str(tmp_path / "never-written")
    board.export_button.click()
    assert "are not in the programme" in board.export_html.value and board.last_export is None
    assert not (tmp_path / "never-written").exists()  # a refused export leaves no folder
