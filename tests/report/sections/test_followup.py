"""Section 3 of the pilot report, continued: coordinator check-ins and circles.

A folder made by hand from a generated programme (40 pairs matched 7-18 September 2026, the
log ends 28 October, a check-in every 14 days by default):

- checkins.csv: pairs 1-6 reached on 20 October (next check-in 3 November, within the week
  after 28 October), pairs 7-10 reached on 20 September (due 4 October: overdue), pairs 11-12
  tried without answer (attempts, not contacts); the 30 pairs never reached are overdue too
  (matched at the latest 18 September, due at the latest 2 October);
- pairs.csv: group_id C-<mentor> for the pairs of every mentor with 3 or more mentees.
"""

import dataclasses

import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.report.sections.engagement import _ORDER

KEY = "test-key-for-synthetic-data-0001"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    small = ek.generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3)
    pairs = small.pairs.copy()
    counts = pairs["mentor_id"].value_counts()
    big = set(counts[counts >= 3].index)
    pairs["group_id"] = ["C-" + m if m in big else "" for m in pairs["mentor_id"]]
    path = tmp_path_factory.mktemp("followup")
    ek.write_programme(dataclasses.replace(small, pairs=pairs), path)
    first = pairs.iloc[:12]
    pd.DataFrame(
        {
            "coordinator": "Ana",
            "mentee_id": first["mentee_id"],
            "mentor_id": first["mentor_id"],
            "date": ["2026-10-20"] * 6 + ["2026-09-20"] * 6,
            "channel": "phone",
            "outcome": ["reached"] * 10 + ["no_answer"] * 2,
        }
    ).to_csv(path / "checkins.csv", index=False)
    return path


@pytest.fixture(scope="module")
def report(folder):
    return ek.pilot_report(folder, key=KEY)


def _table(report, name):
    sec = next(s for s in report.sections if s.id == "engagement")
    return next(t for t in sec.tables if t.name == name).data


def test_check_ins_counted_by_hand(report):
    contact = _table(report, "coordinator_contact").set_index("pairs")["count"]
    assert contact.to_dict() == {"contacted at least once": 10, "never contacted": 30, "Total": 40}
    due = _table(report, "checkin_due").set_index("next check-in")["count"]
    assert due.to_dict() == {
        "check-in overdue": 4 + 30,
        "check-in due within 7 days": 6,
        "check-in not due yet": 0,
        "no check-in due (pair ended, or matched after the assessment)": 0,
        "Total": 40,
    }


def test_circles_counted_and_small_cells_hidden(folder, report):
    p = ek.read_programme(folder)
    kind = _table(report, "pairs_in_circles").set_index("pairs")["count"]
    gid = p.pairs["group_id"].fillna("").astype("str").str.strip()
    in_circle = int((gid != "").sum())
    assert in_circle == 30  # the 9 mentors with 3 or 4 mentees: 30 pairs
    assert kind.to_dict() == {"in a circle": 30, "one-to-one": 10, "Total": 40}
    by = _table(report, "circles_by_status").set_index("status")["count"]
    assert by["Total"] == 9
    # each circle's most worrying status, from the statuses of its pairs
    eng = ek.engagement(p.interactions, p.pairs, as_of=p.interactions["timestamp"].max())
    t = eng.table[eng.table["group_id"].fillna("").astype("str") != ""]
    worst = t.groupby("group_id")["status"].agg(lambda s: min(s, key=_ORDER.__getitem__))
    want = worst.value_counts()
    for status, n in want.items():
        shown = by[status]
        assert (pd.isna(shown) and 0 < n < 5) or shown == n, status
    # what is hidden cannot come back from the Total: at least two cells, or none
    assert by.drop("Total").isna().sum() != 1


def test_the_french_report_translates_the_new_tables(report):
    fr = report.to_html(lang="fr")
    for english in ("never contacted", "check-in overdue", "in a circle", "Circles by the most"):
        assert english not in fr
    assert report.to_html() == report.to_html()


def test_without_check_ins_or_circles_the_section_says_nothing_more():
    small = ek.generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3)
    rep = ek.pilot_report(small, key=KEY)
    sec = next(s for s in rep.sections if s.id == "engagement")
    assert [t.name for t in sec.tables] == [
        "engagement_status",
        "check_in_rules",
        "engagement_measures",
    ]
    assert len(sec.paragraphs) == 2
