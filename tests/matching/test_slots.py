"""Availability across time zones: reading availability.csv, shared hours in real instants and
recurring slots across the summer-time changes of Paris (last Sundays of March / October),
Montréal (second Sunday of March / first Sunday of November) and La Réunion (UTC+4, none).

Expected instants are computed by hand: Paris UTC+1 in winter, +2 in summer; Montréal UTC-5 in
winter, -4 in summer; La Réunion UTC+4. In 2027 Québec changes on 14 March and 7 November,
France on 28 March and 31 October.
"""

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.errors import DataValidationError

PARIS, MONTREAL, REUNION = "Europe/Paris", "America/Toronto", "Indian/Reunion"


def _av(rows, zones):
    return ek.read_availability(
        pd.DataFrame(rows, columns=["person_id", "weekday", "start", "end"]), zones
    )


def _pair(mentor="M1", mentee="E1"):
    return pd.DataFrame({"mentee_id": [mentee], "mentor_id": [mentor]})


def test_march_paris_montreal_slot_fails_between_the_two_changes():
    av = _av(
        [("M1", "mardi", "18:00", "19:00"), ("E1", "Tuesday", "12:00", "13:00")],
        {"M1": PARIS, "E1": MONTREAL},
    )
    res = ek.propose_slots(_pair(), av, start="2027-03-01", weeks=6)
    slot = res.slots.iloc[0]
    assert (slot["day"], slot["start"], slot["end"]) == ("Tue", "18:00", "19:00")
    assert slot["weeks_free"] == 4 and slot["weeks"] == 6
    assert slot["failed_weeks"] == "2027-03-15;2027-03-22"
    local = res.local.set_index("person_id")
    assert local.loc["M1", "utc_start"] == pd.Timestamp("2027-03-02 17:00", tz="UTC")
    assert (local.loc["E1", "day"], local.loc["E1", "start"]) == ("Tue", "12:00")
    # 18:00 CET = 17:00 UTC = 13:00 EDT while Québec is on summer time and France is not
    assert local.loc["E1", "other_weeks"] == "2027-03-15: Tue 13:00; 2027-03-22: Tue 13:00"
    assert local.loc["M1", "other_weeks"] == ""
    assert res.unscheduled.empty


def test_march_slot_holds_every_week_when_both_hours_are_free():
    av = _av(
        [("M1", 2, "18:00", "19:00"), ("E1", 2, "12:00", "14:00")], {"M1": PARIS, "E1": MONTREAL}
    )
    res = ek.propose_slots(_pair(), av, start="2027-03-01", weeks=6)
    assert list(res.slots["start"]) == ["18:00"]
    assert res.slots.loc[0, "weeks_free"] == 6 and res.slots.loc[0, "failed_weeks"] == ""


def test_autumn_paris_montreal_week_between_31_october_and_7_november():
    av = _av(
        [("M1", "mar.", "18h", "19h"), ("E1", "2", "12:00", "13:00")], {"M1": PARIS, "E1": MONTREAL}
    )
    res = ek.propose_slots(_pair(), av, start="2027-10-18", weeks=4)
    assert res.slots.loc[0, "failed_weeks"] == "2027-11-01"
    local = res.local.set_index("person_id")
    # week of 18 October: 18:00 CEST = 16:00 UTC = 12:00 EDT
    assert local.loc["M1", "utc_start"] == pd.Timestamp("2027-10-19 16:00", tz="UTC")
    assert local.loc["E1", "other_weeks"] == "2027-11-01: Tue 13:00"


def test_shared_hours_in_real_instants():
    av = _av(
        [
            ("M1", 2, "17:00", "20:00"),
            ("E1", 2, "13:00", "15:00"),
            ("R1", 3, "19:00", "22:00"),
            ("E2", 3, "16:00", "18:00"),
        ],
        {"M1": PARIS, "E1": MONTREAL, "R1": REUNION, "E2": PARIS},
    )
    m, e = av.of("M1"), av.of("E1")
    # Paris 16-19 UTC in winter, 15-18 in summer; Montréal 18-20 UTC in winter, 17-19 in summer
    assert ek.shared_weekly_hours(m, e, week_of="2027-03-08") == 1.0
    assert ek.shared_weekly_hours(m, e, week_of="2027-03-17") == 2.0
    assert ek.shared_weekly_hours(m, e, week_of="2027-04-05") == 1.0
    assert ek.shared_weekly_hours(m, e, week_of="2027-11-03") == 2.0
    # La Réunion 15-18 UTC all year; Paris 15-17 UTC in winter, 14-16 in summer
    r, p = av.of("R1"), av.of("E2")
    assert ek.shared_weekly_hours(r, p, week_of="2027-03-17") == 2.0
    assert ek.shared_weekly_hours(r, p, week_of="2027-03-31") == 1.0
    assert ek.shared_weekly_hours(r, p, week_of="2027-10-27") == 1.0
    assert ek.shared_weekly_hours(r, p, week_of="2027-11-03") == 2.0


def test_circle_across_three_zones_gets_the_best_covered_slot():
    av = _av(
        [
            ("M1", "mercredi", "17:00", "18:00"),
            ("E1", "wed", "11:00", "12:00"),
            ("E2", "Wednesday", "20:00", "21:00"),
        ],
        {"M1": PARIS, "E1": MONTREAL, "E2": REUNION},
    )
    circles = pd.DataFrame(
        {
            "group_id": ["C001"] * 3,
            "person_id": ["E1", "E2", "M1"],
            "role": ["mentee", "mentee", "mentor"],
        }
    )
    res = ek.propose_slots(circles, av, start="2027-03-01", weeks=6)
    assert list(res.slots["leader"]) == ["M1"]
    assert res.slots.loc[0, "start"] == "17:00" and res.slots.loc[0, "weeks_free"] == 2
    assert res.slots.loc[0, "failed_weeks"] == "2027-03-15;2027-03-22;2027-03-29;2027-04-05"
    local = res.local.set_index("person_id")
    assert list(res.local["person_id"]) == ["M1", "E1", "E2"]
    assert local.loc["E2", "start"] == "20:00"
    assert local.loc["E2", "other_weeks"] == "2027-03-29: Wed 19:00; 2027-04-05: Wed 19:00"
    # 17:00 CET = 16:00 UTC = 12:00 EDT; from 29 March 17:00 CEST = 15:00 UTC = 11:00 EDT
    assert local.loc["E1", "other_weeks"] == "2027-03-15: Wed 12:00; 2027-03-22: Wed 12:00"


def test_no_common_slot_is_reported():
    av = _av([("M1", 1, "09:00", "10:00"), ("E1", 2, "09:00", "10:00")], {"M1": PARIS, "E1": PARIS})
    res = ek.propose_slots(_pair(), av, start="2027-01-04", weeks=2)
    assert res.slots.empty and list(res.unscheduled["group_id"]) == ["M1+E1"]


def test_french_day_names_and_reason():
    """lang="fr": the day columns in French (Babel's CLDR abbreviations), readable back by
    read_availability, and the reason of an unscheduled group translated."""
    av = _av(
        [("M1", "mardi", "18:00", "19:00"), ("E1", "Tuesday", "12:00", "13:00")],
        {"M1": PARIS, "E1": MONTREAL},
    )
    res = ek.propose_slots(_pair(), av, start="2027-03-01", weeks=6, lang="fr")
    assert res.slots.loc[0, "day"] == "mar."
    local = res.local.set_index("person_id")
    assert local.loc["E1", "other_weeks"] == "2027-03-15: mar. 13:00; 2027-03-22: mar. 13:00"
    again = _av([("M1", res.slots.loc[0, "day"], "18:00", "19:00")], {"M1": PARIS})
    assert list(again.table["weekday"]) == [2]
    busy = _av(
        [("M1", 1, "09:00", "10:00"), ("E1", 2, "09:00", "10:00")], {"M1": PARIS, "E1": PARIS}
    )
    none = ek.propose_slots(_pair(), busy, start="2027-01-04", weeks=2, lang="fr")
    assert none.unscheduled.loc[0, "reason"] == (
        "aucun créneau de 60 minutes libre pour tous les membres, quelle que soit la semaine"
    )


def test_weekday_names_and_numbers():
    days = ["Lundi", "mardi", "MERCREDI", "jeu.", "Friday", "sat", "7", "Sun", "vendredi"]
    av = _av([("M1", d, "08:00", "09:00") for d in days], {"M1": PARIS})
    assert sorted(set(av.table["weekday"])) == [1, 2, 3, 4, 5, 6, 7]


def test_file_errors_name_file_row_column_and_fix(tmp_path):
    path = tmp_path / "availability.csv"
    path.write_text(
        "person_id,weekday,start,end\n"
        "M1,lundi,18:00,19:00\n"
        "M1,funday,18:00,19:00\n"
        "M1,mardi,25:00,19:00\n"
        "M1,mardi,19:00,18:00\n"
        "X9,mardi,18:00,19:00\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as exc:
        ek.read_availability(path, {"M1": PARIS})
    found = {(p.file, p.column, p.rows) for p in exc.value.problems}
    assert found == {
        ("availability.csv", "weekday", (3,)),
        ("availability.csv", "start", (4,)),
        ("availability.csv", "end", (5,)),
        ("availability.csv", "person_id", (6,)),
    }
    assert all(p.fix for p in exc.value.problems)
    ok = tmp_path / "ok.csv"
    ok.write_text("person_id;weekday;start;end\nM1;lundi;18:00;24:00\n", encoding="utf-8")
    assert ek.read_availability(ok, {"M1": PARIS}).table["end"].tolist() == [1440]
    bad = tmp_path / "cols.csv"
    bad.write_text("person_id,day,start,end\nM1,1,08:00,09:00\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="weekday"):
        ek.read_availability(bad, {"M1": PARIS})


def test_zones_come_from_the_declared_timezone_attribute():
    people = ek.read_people(ek.example_intake())
    tz = [a.name for a in people.spec.attributes("mentees") if a.type == "timezone"][0]
    row = people.mentees.dropna(subset=[tz]).iloc[0]
    av = _av([(row["mentee_id"], 1, "08:00", "09:00")], people)
    assert av.zones[row["mentee_id"]] == row[tz]
    with pytest.raises(DataValidationError, match="no timezone attribute"):
        _av([], ek.load_sample())
    with pytest.raises(DataValidationError, match="unknown time zone"):
        _av([], {"M1": "Mars/Olympus"})


def test_availability_shared_hours_week_by_week_across_both_summer_time_changes():
    """Availability.shared_hours, hand-worked in UTC. Wednesdays: Montréal 13:00-16:00, Paris
    18:00-21:00, La Réunion 20:00-23:00 (UTC+4 all year).

    UTC, winter: Montréal 18-21, Paris 17-20, Réunion 16-19. Montréal summer (from 14 March
    2027, UTC-4): 17-20. Paris summer (from 28 March, UTC+2): 16-19.
    """
    av = ek.read_availability(
        pd.DataFrame(
            {
                "person_id": ["E1", "M1", "M2"],
                "weekday": ["mercredi", "mercredi", "mercredi"],
                "start": ["13:00", "18:00", "20:00"],
                "end": ["16:00", "21:00", "23:00"],
            }
        ),
        {"E1": "America/Montreal", "M1": "Europe/Paris", "M2": "Indian/Reunion"},
    )
    weeks = ["2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29"]
    mtl_paris = av.shared_hours("E1", "M1", week_of="2027-03-10", weeks=4)
    assert [str(d.date()) for d in mtl_paris.index] == weeks
    # 18-21 & 17-20 = 2; 17-20 & 17-20 = 3 (both changes apart); 17-20 & 16-19 = 2
    assert mtl_paris.tolist() == [2.0, 3.0, 3.0, 2.0]
    # Paris-Réunion: 17-20 & 16-19 = 2 until Paris changes, then 16-19 & 16-19 = 3
    assert av.shared_hours("M1", "M2", week_of="2027-03-08", weeks=4).tolist() == [
        2.0,
        2.0,
        2.0,
        3.0,
    ]
    # Montréal-Réunion: 18-21 & 16-19 = 1, then 17-20 & 16-19 = 2 once Montréal changes
    assert av.shared_hours("E1", "M2", week_of="2027-03-08", weeks=4).tolist() == [
        1.0,
        2.0,
        2.0,
        2.0,
    ]
    # autumn: Paris back to winter on 31 October 2027, Montréal on 7 November
    autumn = av.shared_hours("E1", "M1", week_of="2027-10-25", weeks=3)
    assert autumn.tolist() == [2.0, 3.0, 2.0]
    # the same as shared_weekly_hours week by week, and symmetric
    for monday, hours in mtl_paris.items():
        one = ek.shared_weekly_hours(av.of("E1"), av.of("M1"), week_of=monday.date())
        assert one == hours
    assert av.shared_hours("M1", "E1", week_of="2027-03-10", weeks=4).equals(mtl_paris)
    with pytest.raises(ek.EmentorKitError, match="not a person of the programme"):
        av.shared_hours("E1", "X9", week_of="2027-03-10")
    with pytest.raises(ek.EmentorKitError, match="weeks"):
        av.shared_hours("E1", "M1", week_of="2027-03-10", weeks=0)
