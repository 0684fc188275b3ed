"""Coordinator check-ins: reading checkins.csv and the follow-up rules, on hand-worked cases."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.design import ProgrammeDesign
from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError
from ementor_kit.graph.checkins import DEFAULT_CADENCE_DAYS, followup, read_checkins

# six pairs matched 2026-09-01, assessed at the end of 2026-10-01 (day 30); every pair
# exchanged on 2026-09-30, so engagement asks no action of any, except E6 (silent since 09-02)
PAIRS = pd.DataFrame(
    {
        "mentee_id": ["E1", "E2", "E3", "E4", "E5", "E6", "E7"],
        "mentor_id": ["M1", "M1", "M2", "M2", "M3", "M3", "M3"],
        "matched_on": ["2026-09-01"] * 7,
        "planned_end": [""] * 7,
        "ended_on": ["", "", "", "", "2026-09-25", "", "2026-09-26"],
        "end_reason": ["", "", "", "", "completed", "", "mentee_left"],
    }
)


def _log():
    rows = []
    for k, (e, m) in enumerate(zip(PAIRS["mentee_id"], PAIRS["mentor_id"], strict=True)):
        when = "2026-09-02T10:00:00Z" if e == "E6" else "2026-09-20T10:00:00Z"
        rows.append((f"I{k}a", when, e, m, "video", 30.0, None))
        if e not in ("E5", "E6", "E7"):
            rows.append((f"I{k}b", "2026-09-30T10:00:00Z", m, e, "video", 30.0, None))
    cols = ["interaction_id", "timestamp", "sender_id", "recipient_id", "channel"]
    return pd.DataFrame(rows, columns=[*cols, "duration_minutes", "session_id"])


ENG = ek.engagement(_log(), PAIRS, as_of="2026-10-01")

CHECKINS = pd.DataFrame(
    [
        # coordinator, mentee, mentor, date, channel, outcome, next_step
        ("Ana", "E2", "", "2026-09-20", "phone", "reached", ""),
        ("Ana", "E3", "M2", "2026-09-28", "video", "reached", ""),
        ("Bea", "E4", "M2", "2026-09-10", "phone", "reached", ""),
        ("Bea", "E4", "M2", "2026-09-25", "phone", "no_answer", ""),
        ("Bea", "E4", "M2", "2026-09-27", "email", "no_answer", ""),
        ("Ana", "E1", "M1", "2026-09-29", "phone", "concern", "call the mentor"),
        ("Ana", "E5", "M3", "2026-09-01", "phone", "reached", ""),
        ("Ana", "E3", "M2", "2026-10-03", "phone", "reached", ""),  # after as_of
    ],
    columns=["coordinator", "mentee_id", "mentor_id", "date", "channel", "outcome", "next_step"],
)


def test_engagement_fixture_is_what_the_cases_assume():
    st = ENG.table.set_index("mentee_id")["status"].to_dict()
    assert st == {
        "E1": "active",
        "E2": "active",
        "E3": "active",
        "E4": "active",
        "E5": "completed",
        "E6": "needs_check_in",
        "E7": "closed_early",
    }


def test_followup_by_hand():
    fu = followup(ENG, CHECKINS)
    assert fu.cadence_days == 14 and fu.cadence_from == "default"
    assert fu.as_of_day == pd.Timestamp("2026-10-01") and fu.unused_checkins == 1
    t = fu.table.set_index("mentee_id")
    # E1: concern on 09-29 (2 days ago), next check-in 10-13: only the concern fires
    # E2: reached 09-20 (11 days), due 10-04, within the week: cadence (due, not overdue)
    # E3: reached 09-28 (3 days; the 10-03 contact is after as_of), due 10-12: nothing
    # E4: reached 09-10 (21 days), due 09-24: overdue; two attempts since: not reached
    # E5: completed: nothing, whatever the contacts
    # E6: never contacted, matched 30 days ago, due 09-15: cadence; silent 29.6 days (> 21)
    # E7: closed early (recorded): nothing
    expected = {
        "E1": ("Ana", 1, 0, "2026-09-29", 2.0, "2026-10-13", False, "concern"),
        "E2": ("Ana", 1, 0, "2026-09-20", 11.0, "2026-10-04", False, "cadence"),
        "E3": ("Ana", 1, 0, "2026-09-28", 3.0, "2026-10-12", False, ""),
        "E4": ("Bea", 1, 2, "2026-09-10", 21.0, "2026-09-24", True, "cadence, not_reached"),
        "E5": ("Ana", 1, 0, "2026-09-01", 30.0, None, False, ""),
        "E6": ("", 0, 0, None, np.nan, "2026-09-15", True, "engagement, cadence"),
        "E7": ("", 0, 0, None, np.nan, None, False, ""),
    }
    for e, (who, n, att, last, since, due, overdue, rules) in expected.items():
        r = t.loc[e]
        assert r["coordinator"] == who, e
        assert (r["n_checkins"], r["n_attempts"]) == (n, att), e
        assert (
            pd.isna(r["last_checkin"]) if last is None else r["last_checkin"] == pd.Timestamp(last)
        ), e
        assert r["days_since_checkin"] == pytest.approx(since, nan_ok=True), e
        assert (
            pd.isna(r["checkin_due"]) if due is None else r["checkin_due"] == pd.Timestamp(due)
        ), e
        assert bool(r["overdue"]) is overdue, e
        assert r["rules"] == rules, e
        assert bool(r["to_contact"]) is (rules != ""), e
    text = fu.reasons("en").set_index(["mentee_id", "rule"])["reason"]
    assert (
        text["E1", "concern"] == "concern raised on 2026-09-29 by Ana; next step: call the mentor"
    )
    assert text["E2", "cadence"] == "coordinator check-in due on 2026-10-04 (every 14 days)"
    assert text["E4", "cadence"] == "no coordinator contact for 21 days (every 14 days)"
    assert text["E4", "not_reached"] == "not reached since 2026-09-25 (2 attempts)"
    assert text["E6", "cadence"] == (
        "no coordinator contact since matching, 30 days ago (every 14 days)"
    )
    # 2026-09-02 10:00 to the end of 2026-10-01: 29 days 14 hours
    assert text["E6", "engagement"] == "needs_check_in: no exchange for 29.6 days (> 21)"


def test_to_contact_filters_and_never_lists_a_completed_pair():
    fu = followup(ENG, CHECKINS)
    week = fu.to_contact()
    assert week["mentee_id"].tolist() == ["E1", "E2", "E4", "E6"]
    assert "E5" not in set(week["mentee_id"])
    assert fu.to_contact(rule="cadence")["mentee_id"].tolist() == ["E2", "E4", "E6"]
    assert fu.to_contact(coordinator="Bea")["mentee_id"].tolist() == ["E4"]
    assert fu.to_contact(coordinator="")["mentee_id"].tolist() == ["E6"]
    assert fu.to_contact(rule="cadence", coordinator="Ana")["mentee_id"].tolist() == ["E2"]
    row = week.set_index("mentee_id").loc["E4"]
    assert row["rules"] == "cadence, not_reached"
    assert row["reasons"] == (
        "no coordinator contact for 21 days (every 14 days); not reached since 2026-09-25 "
        "(2 attempts)"
    )
    assert fu.coordinators == ("", "Ana", "Bea")


def test_cadence_from_argument_design_default_and_window():
    assert DEFAULT_CADENCE_DAYS == ProgrammeDesign().checkin_every_days
    fu = followup(ENG, CHECKINS, design=ProgrammeDesign(checkin_every_days=7))
    assert (fu.cadence_days, fu.cadence_from) == (7, "design")
    # every 7 days: E3 (3 days) due 10-05, within the week; E1 due 10-06
    assert fu.table.set_index("mentee_id").loc["E3", "rules"] == "cadence"
    fu = followup(ENG, CHECKINS, cadence_days=30, design=ProgrammeDesign(checkin_every_days=7))
    assert fu.cadence_from == "argument"
    # every 30 days: E4 due 10-10 (beyond the week), E6 due 10-01 (today: due, not overdue)
    t = fu.table.set_index("mentee_id")
    assert t.loc["E4", "rules"] == "not_reached"
    assert t.loc["E6", "rules"] == "engagement, cadence" and not t.loc["E6", "overdue"]
    # a window of 0 days: only what is due by today
    t0 = followup(ENG, CHECKINS, within_days=0).table.set_index("mentee_id")
    assert t0.loc["E2", "rules"] == ""
    for bad in (0, 1.5, True, 400):
        with pytest.raises(InvalidArgumentError, match="cadence_days"):
            followup(ENG, CHECKINS, cadence_days=bad)
    with pytest.raises(InvalidArgumentError, match="within_days"):
        followup(ENG, CHECKINS, within_days=-1)
    with pytest.raises(ArgumentTypeError, match="design"):
        followup(ENG, CHECKINS, design="weekly")
    with pytest.raises(ArgumentTypeError, match="engagement"):
        followup(ENG.table, CHECKINS)


def test_extra_reasons_are_a_hook_for_the_pulse_survey():
    extra = pd.DataFrame(
        {
            "mentee_id": ["E3", "E5"],
            "mentor_id": ["M2", "M3"],
            "rule": ["low_pulse", "low_pulse"],
            "reason": ["pulse of 2026-09-30: relationship 1/5", "pulse: 1/5"],
        }
    )
    fu = followup(ENG, CHECKINS, extra_reasons=extra)
    t = fu.table.set_index("mentee_id")
    assert t.loc["E3", "rules"] == "low_pulse" and t.loc["E3", "to_contact"]
    assert t.loc["E5", "rules"] == ""  # completed: never flagged
    assert fu.to_contact(rule="low_pulse")["reasons"].tolist() == [
        "pulse of 2026-09-30: relationship 1/5"
    ]
    with pytest.raises(DataValidationError, match=r"row 3, column 'mentee_id': no such pair"):
        followup(ENG, CHECKINS, extra_reasons=extra.assign(mentor_id=["M2", "M9"]))
    with pytest.raises(DataValidationError, match="built-in rule"):
        followup(ENG, CHECKINS, extra_reasons=extra.assign(rule="cadence"))
    with pytest.raises(DataValidationError, match="'reason': column is missing"):
        followup(ENG, CHECKINS, extra_reasons=extra.drop(columns="reason"))


def test_reasons_in_french_write_dates_the_french_way():
    fu = followup(ENG, CHECKINS)
    fr = fu.reasons("fr").set_index(["mentee_id", "rule"])["reason"]
    assert "4 octobre 2026" in fr["E2", "cadence"]
    assert "2026-10-04" not in fr["E2", "cadence"]
    assert fr["E6", "engagement"].startswith("à relancer (entretien de suivi)")  # glossary


def test_read_checkins_errors_name_file_row_and_column(tmp_path):
    bad = CHECKINS.copy()
    bad.loc[0, "date"] = "20/09/2026"
    bad.loc[1, "outcome"] = "ok"
    with pytest.raises(DataValidationError) as err:
        read_checkins(bad, PAIRS)
    text = str(err.value)
    assert "row 2, column 'date': not a date: '20/09/2026'" in text
    assert "row 3, column 'outcome': unknown value(s) 'ok'" in text
    wrong = CHECKINS.copy()
    wrong.loc[2, "mentee_id"] = "E9"
    wrong.loc[3, "mentor_id"] = "M1"
    two = pd.concat([PAIRS, PAIRS.iloc[[0]].assign(mentor_id="M2")], ignore_index=True)
    with pytest.raises(DataValidationError) as err:
        read_checkins(wrong, PAIRS)
    text = str(err.value)
    assert "row 4, column 'mentee_id': E9 has no pair in the pairs" in text
    assert "row 5, column 'mentor_id': no such pair (mentee_id, mentor_id)" in text
    amb = CHECKINS.assign(mentor_id=["", "M2", "M2", "M2", "M2", "", "M3", "M2"])
    with pytest.raises(DataValidationError, match=r"row 7, column 'mentor_id': E1 has 2 pairs"):
        read_checkins(amb, two)
    with pytest.raises(DataValidationError, match="'outcome': column is missing"):
        read_checkins(CHECKINS.drop(columns="outcome"), PAIRS)
    # a French-locale CSV (; separator) without the optional columns, read from its file
    path = tmp_path / "checkins.csv"
    path.write_text(
        "coordinator;mentee_id;date;channel;outcome\nAna;E2;2026-09-20;phone;reached\n"
        "Ana;E1;2026-09-2;phone;reached\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match=r"checkins.csv, row 3, column 'date'"):
        read_checkins(path, PAIRS)
    path.write_text(
        "coordinator;mentee_id;date;channel;outcome\nAna;E2;2026-09-20;phone;reached\n",
        encoding="utf-8",
    )
    got = read_checkins(path, ENG)
    assert got[["mentee_id", "mentor_id", "next_step"]].values.tolist() == [["E2", "M1", ""]]
    with pytest.raises(ArgumentTypeError, match="checkins"):
        read_checkins(42, PAIRS)


def test_read_checkins_takes_timestamps_and_spreadsheet_dates_as_days(tmp_path):
    """Dates as pandas Timestamps, datetime.date, datetime64 columns, 'YYYY-MM-DD HH:MM' text
    or an .xlsx's date cells (with a time of day) read as the day of the contact."""
    days = pd.to_datetime(CHECKINS["date"])
    want = read_checkins(CHECKINS, PAIRS)
    as_ts = CHECKINS.assign(date=days + pd.Timedelta(hours=14, minutes=30))  # datetime64
    pd.testing.assert_frame_equal(read_checkins(as_ts, PAIRS), want)
    mixed = CHECKINS.astype(object).copy()
    mixed.loc[0, "date"] = pd.Timestamp("2026-09-20 09:15")
    mixed.loc[1, "date"] = dt.date(2026, 9, 28)
    mixed.loc[2, "date"] = dt.datetime(2026, 9, 10, 23, 59)
    mixed.loc[3, "date"] = "2026-09-25 08:00"
    mixed.loc[4, "date"] = pd.Timestamp("2026-09-27", tz="Europe/Paris")  # its own day
    pd.testing.assert_frame_equal(read_checkins(mixed, PAIRS), want)
    path = tmp_path / "checkins.xlsx"
    as_ts.to_excel(path, index=False)  # date cells with a time of day
    pd.testing.assert_frame_equal(read_checkins(path, PAIRS), want)
    bad = mixed.copy()
    bad.loc[5, "date"] = "2026-09-29 25:00:00x"
    with pytest.raises(DataValidationError, match=r"row 7, column 'date': not a date"):
        read_checkins(bad, PAIRS)


def test_sample_with_planned_ends_flags_no_completed_pair():
    prog = ek.load_sample()
    pairs = prog.pairs.assign(planned_end=prog.pairs["matched_on"] + pd.Timedelta(weeks=16))
    eng = ek.engagement(prog.interactions, pairs)
    fu = followup(eng)
    t = fu.table
    assert (t["status"] == "completed").sum() > 0
    assert not t.loc[t["status"] == "completed", "to_contact"].any()
    assert t.loc[t["status"].isin(["completed", "closed_early"]), "checkin_due"].isna().all()
    # never contacted: every pair still running is overdue by the 14-day cadence
    running = ~t["status"].isin(["completed", "closed_early"])
    assert t.loc[running, "overdue"].all()


def test_engagement_reason_translated_in_french():
    """The board's engagement reason is French too, from an English engagement."""
    fu = followup(ENG, CHECKINS)
    fr = fu.reasons("fr").set_index(["mentee_id", "rule"])["reason"]
    assert fr["E6", "engagement"] == (
        "à relancer (entretien de suivi) : aucun échange depuis 29,6 jours (> 21)"
    )
    assert not any("no exchange" in x or "concern raised" in x for x in fr)
    assert fu.reasons("fr")["rule"].tolist() == fu.reasons("en")["rule"].tolist()
