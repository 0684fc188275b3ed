"""Tests of ementor_kit.graph.exchange_log: assignment of exchanges to pairs, order, reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ementor_kit.errors import ArgumentTypeError, DataValidationError, InvalidArgumentError
from ementor_kit.graph.engagement_metrics import engagement
from ementor_kit.graph.exchange_log import _prepare_log, unassigned_interactions
from tests._exchange_logs import AS_OF, INTERACTIONS, MENTEES, MENTORS, PAIRS


def test_every_unused_row_is_reported_with_its_reason():
    got = unassigned_interactions(INTERACTIONS, PAIRS, as_of=AS_OF)
    expected = pd.DataFrame(
        {
            "row": [9, 17, 18, 19, 20, 21, 22, 23],
            "interaction_id": ["I08", "I16", "I17", "I13", "I19", "I20", "I21", "I22"],
            "reason": [
                "group session with a mentor who is not paired with this mentee",
                "exchange between two mentees (peer exchange, not part of a pair)",
                "mentee and mentor are not a pair in the pairs table",
                "exact duplicate of an earlier row (same interaction_id and content)",
                "after as_of",
                "before the pair's matched_on date",
                "exchange between two mentors (not part of a pair)",
                "sender and recipient are the same person",
            ],
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_used_plus_unused_is_every_row():
    log = _prepare_log(INTERACTIONS, PAIRS, AS_OF)
    n_unused = int(np.count_nonzero(log.reason))
    assert len(log.ts) + n_unused == len(INTERACTIONS)
    assert n_unused == 8


def test_without_as_of_nothing_is_after_it():
    got = unassigned_interactions(INTERACTIONS, PAIRS)
    assert "after as_of" not in set(got["reason"])
    assert len(got) == 7


def test_log_is_sorted_by_pair_then_utc_time_then_id():
    log = _prepare_log(INTERACTIONS, PAIRS, AS_OF)
    e001 = log.pairs.index[log.pairs["mentee_id"] == "E001"][0]
    sl = slice(log.bounds[e001], log.bounds[e001 + 1])
    got = pd.to_datetime(log.ts[sl], utc=True)
    # I01..I04, then the tie I05 (mentee chat) before I06 (mentor video) by id, I07, I09
    expected = pd.to_datetime(
        [
            "2026-09-02T21:30Z",
            "2026-09-03T00:00Z",
            "2026-09-03T00:10Z",
            "2026-09-03T06:10Z",
            "2026-09-10T10:00Z",
            "2026-09-10T10:00Z",
            "2026-09-15T17:00Z",
            "2026-09-16T07:00Z",
        ],
        utc=True,
    )
    assert list(got) == list(expected)
    assert log.from_mentee[sl].tolist() == [True, False, False, True, True, False, False, True]
    assert log.sync[sl].tolist() == [False] * 5 + [True, True, False]


def test_out_of_order_rows_are_counted():
    assert _prepare_log(INTERACTIONS, PAIRS, AS_OF).n_out_of_order == 5


def test_typed_and_raw_input_agree():
    typed = _typed_log()
    a = _prepare_log(INTERACTIONS, PAIRS, AS_OF)
    b = _prepare_log(typed, PAIRS, AS_OF)
    for name in ("pair", "ts", "from_mentee", "sync", "bounds", "reason"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    np.testing.assert_array_equal(a.minutes, b.minutes)


def test_typed_exact_duplicates_are_found_among_ties():
    got = unassigned_interactions(_typed_log(), PAIRS, as_of=AS_OF)
    assert got.loc[got["interaction_id"] == "I13", "row"].tolist() == [19]
    assert got.loc[got["row"] == 19, "reason"].item().startswith("exact duplicate")


def test_same_id_with_different_content_is_refused_as_in_a_raw_log():
    base = pd.DataFrame(
        {
            "interaction_id": ["I1", "I2", "I1"],
            "timestamp": pd.to_datetime(["2026-09-02T10:00Z"] * 3, utc=True),
            "sender_id": ["M001", "E001", "E001"],
            "recipient_id": ["E001", "M001", "M001"],
            "channel": ["chat", "chat", "chat"],
            "duration_minutes": [np.nan, np.nan, np.nan],
            "session_id": [None, None, None],
        }
    )
    with pytest.raises(DataValidationError) as err:
        _prepare_log(base, PAIRS.iloc[[1]], None)
    (problem,) = err.value.problems
    assert (problem.column, problem.rows) == ("interaction_id", (2, 4))
    # an exact copy of a row is no conflict: it is an unused row
    log = _prepare_log(pd.concat([base.iloc[:2], base.iloc[[0]]]), PAIRS.iloc[[1]], None)
    assert (log.reason == 1).sum() == 1


def test_naive_timestamp_string_is_refused_with_its_row():
    log = INTERACTIONS.copy()
    log.loc[2, "timestamp"] = "2026-09-03T00:10:00"
    with pytest.raises(DataValidationError) as err:
        unassigned_interactions(log, PAIRS)
    rows = [p.rows for p in err.value.problems if p.column == "timestamp"]
    assert rows and 4 in rows[0]


def test_naive_datetime_column_is_refused():
    log = INTERACTIONS.assign(
        timestamp=pd.to_datetime(
            INTERACTIONS["timestamp"], utc=True, format="ISO8601"
        ).dt.tz_localize(None)
    )
    with pytest.raises(DataValidationError, match="UTC offset"):
        unassigned_interactions(log, PAIRS)


def test_missing_column_is_named():
    with pytest.raises(DataValidationError, match="sender_id"):
        unassigned_interactions(INTERACTIONS.drop(columns="sender_id"), PAIRS)


def test_empty_sender_is_named():
    log = INTERACTIONS.copy()
    log.loc[4, "sender_id"] = None
    with pytest.raises(DataValidationError) as err:
        unassigned_interactions(log, PAIRS)
    assert any(p.column == "sender_id" and 6 in p.rows for p in err.value.problems)


def test_unknown_channel_in_typed_log_is_named():
    log = _typed_log()
    log.loc[3, "channel"] = "pigeon"
    with pytest.raises(DataValidationError) as err:
        unassigned_interactions(log, PAIRS)
    assert any(p.column == "channel" and p.rows == (5,) for p in err.value.problems)


def test_naive_as_of_is_refused():
    from ementor_kit.errors import EmentorKitError

    with pytest.raises(EmentorKitError, match="no UTC offset"):
        unassigned_interactions(INTERACTIONS, PAIRS, as_of="2026-09-30T12:00:00")


@pytest.mark.parametrize("bad", [pd.NaT, 20260930, [2026, 9, 30]])
def test_as_of_that_is_not_a_time_is_refused(bad):
    from ementor_kit.errors import EmentorKitError

    with pytest.raises(EmentorKitError, match="not a date or time-zone aware timestamp"):
        unassigned_interactions(INTERACTIONS, PAIRS, as_of=bad)


@pytest.mark.parametrize(
    "text",
    [
        "01/11/2026",  # day or month first? never guessed
        "11/01/2026 10:00",
        "1 Nov 2026",
        "next week",
        "2026-13-45",
        "2026-09-30T25:00:00+00:00",
        "",
    ],
)
def test_as_of_text_that_is_not_iso_says_so(text):
    from ementor_kit.errors import EmentorKitError

    with pytest.raises(EmentorKitError) as err:
        unassigned_interactions(INTERACTIONS, PAIRS, as_of=text)
    msg = str(err.value)
    assert "is not a date. Fix: use YYYY-MM-DD or an ISO timestamp with offset" in msg
    assert "UTC offset" not in msg


def test_iso_as_of_texts_are_read_as_utc_instants():
    from ementor_kit.graph._inputs import NS_PER_DAY, as_of_ns

    noon_utc = int(pd.Timestamp("2026-09-30T12:00:00", tz="UTC").value)
    for text in (
        "2026-09-30T12:00:00Z",
        "2026-09-30T14:00:00+02:00",
        " 2026-09-30 12:00+00:00 ",
        "2026-09-30T07:00:00.000000000-0500",
    ):
        assert as_of_ns(text, 0) == noon_utc, text
    assert as_of_ns("2026-09-30", 0) == noon_utc + NS_PER_DAY // 2  # end of that day


def _typed_log() -> pd.DataFrame:
    return INTERACTIONS.assign(
        timestamp=pd.to_datetime(INTERACTIONS["timestamp"], utc=True, format="ISO8601")
    )


def test_person_of_unknown_kind_in_typed_log_is_reported():
    # validate refuses malformed ids in raw logs; a typed log can still carry one
    log = _typed_log()
    log.loc[0, "sender_id"] = "X999"
    got = unassigned_interactions(log, PAIRS, as_of=AS_OF)
    assert got.loc[got["row"] == 2, "reason"].item() == (
        "person not in the pairs table and not a mentor or mentee id"
    )


def test_empty_log_is_accepted():
    empty = INTERACTIONS.iloc[:0]
    log = _prepare_log(empty, PAIRS, None)
    assert len(log.ts) == 0 and log.bounds.tolist() == [0] * (len(PAIRS) + 1)
    assert unassigned_interactions(empty, PAIRS).empty


def _as_emails(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``df`` with the person ids of ``columns`` written as e-mails (E001 -> e001@uni.example)."""
    return df.assign(
        **{c: df[c].map(lambda v: v if pd.isna(v) else f"{v.lower()}@uni.example") for c in columns}
    )


def test_ids_of_any_form_get_their_roles_from_the_people_tables():
    # E008 is a mentee in no pair: only the people tables (or the id shape) say so
    extra = INTERACTIONS.iloc[[0, 0]].assign(
        interaction_id=["I90", "I91"], sender_id=["E008", "E008"], recipient_id=["E001", "M001"]
    )
    sample_ids = pd.concat([INTERACTIONS, extra], ignore_index=True)
    log = _as_emails(sample_ids, ("sender_id", "recipient_id"))
    pairs = _as_emails(PAIRS, ("mentee_id", "mentor_id"))
    mentors, mentees = _as_emails(MENTORS, ("mentor_id",)), _as_emails(MENTEES, ("mentee_id",))
    expected = unassigned_interactions(sample_ids, PAIRS, as_of=AS_OF)
    assert expected["reason"].tail(2).tolist() == [
        "exchange between two mentees (peer exchange, not part of a pair)",
        "mentee and mentor are not a pair in the pairs table",
    ]
    got = unassigned_interactions(log, pairs, as_of=AS_OF, mentors=mentors, mentees=mentees)
    pd.testing.assert_frame_equal(got, expected)
    # the sample's ids give the same reasons with or without the people tables
    with_tables = unassigned_interactions(
        sample_ids, PAIRS, as_of=AS_OF, mentors=MENTORS, mentees=MENTEES
    )
    pd.testing.assert_frame_equal(with_tables, expected)
    # without the tables, people in no pair with such ids are of unknown kind
    guessed = unassigned_interactions(log, pairs, as_of=AS_OF)
    unknown = "person not in the pairs table and not a mentor or mentee id"
    changed = guessed["reason"] != expected["reason"]
    assert (
        changed.tolist()[-2:] == [True, True] and (guessed.loc[changed, "reason"] == unknown).all()
    )


def test_a_person_listed_only_in_a_people_table_is_known():
    pairs = PAIRS.iloc[:1]
    mentees = pd.DataFrame({"mentee_id": [" ana@uni.example ", "bo@uni.example", None]})
    log = INTERACTIONS.iloc[:1].assign(sender_id="ana@uni.example", recipient_id="bo@uni.example")
    got = unassigned_interactions(log, pairs, mentees=mentees)
    assert got["reason"].tolist() == [
        "exchange between two mentees (peer exchange, not part of a pair)"
    ]


def test_people_tables_that_are_not_tables_are_refused():
    with pytest.raises(ArgumentTypeError, match="mentors"):
        unassigned_interactions(INTERACTIONS, PAIRS, mentors=["M001"])
    with pytest.raises(InvalidArgumentError, match="no 'mentee_id' column"):
        unassigned_interactions(INTERACTIONS, PAIRS, mentees=MENTORS)


def test_pairs_without_matched_on_are_dated_by_their_first_exchange():
    pairs = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "mentor_id": ["M1", "M1", "M2"]})
    log = pd.DataFrame(
        {
            "interaction_id": ["I1", "I2", "I3"],
            "timestamp": ["2026-09-03T23:30:00+02:00", "2026-09-10T08:00:00Z", "2026-09-12T08:00Z"],
            "sender_id": ["E1", "M1", "E2"],
            "recipient_id": ["M1", "E1", "M1"],
            "channel": ["chat", "video", "chat"],
            "duration_minutes": [None, 30.0, None],
            "session_id": [None, None, None],
        }
    )
    eng = engagement(log, pairs, as_of="2026-09-20")
    assert eng.matched_on_from == "first exchange"
    t = eng.table.set_index("mentee_id")
    # E1's first exchange is 21:30 UTC on 3 September; E3 never exchanged: the earliest day
    assert t["matched_on"].tolist() == [
        pd.Timestamp("2026-09-03"),
        pd.Timestamp("2026-09-12"),
        pd.Timestamp("2026-09-03"),
    ]
    assert t.loc["E1", "n_exchanges"] == 2
    assert engagement(log, pairs.assign(matched_on="2026-09-01")).matched_on_from == "pairs.csv"
    with pytest.raises(DataValidationError, match="no exchange to date the pairs from"):
        engagement(log.iloc[:0], pairs)
