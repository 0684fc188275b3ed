"""The exchange log assigned to pairs, in a deterministic order; what could not be used.

Every exchange of ``interactions.csv`` either belongs to a pair of ``pairs.csv`` (the two people
of the row are the pair's mentee and mentor, in either direction) and is used by the engagement
analytics, or is reported by :func:`unassigned_interactions` with the reason it is not used.
Forum replies between mentees are peer exchanges: they belong to no pair (the programme graph
uses them). A group session gives one row per attending mentee; that row belongs to the pair when
the mentee is paired with the mentor who led the session.

Within a pair, exchanges are ordered by UTC timestamp and then by ``interaction_id`` (compared
as text: ``I10`` before ``I9``; rows that also share their id by their other columns), so every
result is the same whatever the order of the rows in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit.data import schema
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.graph import _inputs as gi
from ementor_kit.i18n.language import N_, resolve_language, translator

_USED = 0
_REASONS = {
    1: N_("exact duplicate of an earlier row (same interaction_id and content)"),
    2: N_("sender and recipient are the same person"),
    3: N_("exchange between two mentees (peer exchange, not part of a pair)"),
    4: N_("exchange between two mentors (not part of a pair)"),
    5: N_("group session with a mentor who is not paired with this mentee"),
    6: N_("mentee and mentor are not a pair in the pairs table"),
    7: N_("person not in the pairs table and not a mentor or mentee id"),
    8: N_("before the pair's matched_on date"),
    9: N_("after as_of"),
}
_DUP, _SELF, _PEER_MENTEES, _PEER_MENTORS, _GROUP, _NOT_PAIRED, _UNKNOWN, _BEFORE, _AFTER = range(
    1, 10
)
_TIE_COLUMNS = (
    "interaction_id",
    "sender_id",
    "recipient_id",
    "channel",
    "duration_minutes",
    "session_id",
)


@dataclass(frozen=True)
class _PairLog:
    """The used exchanges, sorted by (pair, timestamp, interaction_id), as flat arrays.

    ``pair`` codes index the rows of ``pairs`` (sorted by mentee_id, mentor_id);
    ``bounds[p]:bounds[p + 1]`` is the slice of pair ``p``.
    """

    pairs: pd.DataFrame
    matched_ns: np.ndarray
    as_of_ns: int
    pair: np.ndarray
    ts: np.ndarray
    from_mentee: np.ndarray
    sync: np.ndarray
    minutes: np.ndarray
    group: np.ndarray
    bounds: np.ndarray
    reason: np.ndarray
    input_ids: pd.Series  # the input's interaction_id column, read only for the unused rows
    n_out_of_order: int
    matched_on_from: str = "pairs.csv"

    @property
    def n_pairs(self) -> int:
        return len(self.pairs)

    def week(self) -> np.ndarray:
        """Week of each exchange since its pair's matching (week 0 starts on ``matched_on``)."""
        return (self.ts - self.matched_ns[self.pair]) // gi.NS_PER_WEEK

    def weeks_observed(self) -> np.ndarray:
        """Weeks of each pair from ``matched_on`` to ``as_of``, the current one included."""
        since = self.as_of_ns - self.matched_ns
        return np.where(since >= 0, since // gi.NS_PER_WEEK + 1, 0).astype(np.int64)

    def unused_counts(self, lang: str = "en") -> dict[str, int]:
        """Number of unused input rows by reason (reasons in a fixed order, in ``lang``)."""
        counts = np.bincount(self.reason, minlength=len(_REASONS) + 1)
        t = translator(lang)
        return {t.gettext(_REASONS[k]): int(counts[k]) for k in sorted(_REASONS) if counts[k]}

    def unused_table(self, lang: str = "en") -> pd.DataFrame:
        pos = np.flatnonzero(self.reason != _USED)
        t = translator(lang)
        texts = np.array([""] + [t.gettext(_REASONS[k]) for k in sorted(_REASONS)], dtype=object)
        return pd.DataFrame(
            {
                "row": pos.astype(np.int64) + 2,
                "interaction_id": pd.array(
                    self.input_ids.iloc[pos].to_numpy(dtype=object), dtype="str"
                ),
                "reason": pd.array(texts[self.reason[pos]], dtype="str"),
            }
        )


def _typed_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    p = gi.typed(pairs, "pairs")
    keep = ("matched_on", "planned_end", "ended_on", "end_reason", "group_id")
    p = p[["mentee_id", "mentor_id", *(c for c in keep if c in p.columns)]]
    return p.sort_values(["mentee_id", "mentor_id"], kind="stable").reset_index(drop=True)


def _default_as_of(ts: np.ndarray, matched_ns: np.ndarray) -> int:
    """The last exchange, else the day after the last matching, else 0 (in ns)."""
    if len(ts):
        return int(ts.max())
    if len(matched_ns):
        return int(matched_ns.max()) + gi.NS_PER_DAY
    return 0


def _prepare_log(
    interactions: pd.DataFrame,
    pairs: pd.DataFrame,
    as_of: object,
    *,
    mentors: pd.DataFrame | None = None,
    mentees: pd.DataFrame | None = None,
) -> _PairLog:
    """Check, assign to pairs and sort the exchange log (see the module docstring).

    ``mentors`` and ``mentees`` (the people tables, optional) say who is a mentor or a mentee
    among the people of unused rows (see :func:`unassigned_interactions`).
    """
    roles = {"mentor_ids": gi.person_ids(mentors, "mentors")}
    roles["mentee_ids"] = gi.person_ids(mentees, "mentees")
    pairs_t = _typed_pairs(pairs)
    log, positions, dups = gi.interactions_frame(interactions)
    reason = np.zeros(len(interactions), np.int8)
    reason[dups] = _DUP
    n_pairs = len(pairs_t)
    derive = "matched_on" not in pairs_t.columns
    ts = log["timestamp"].dt.as_unit("ns").array.asi8
    if derive and not len(ts):
        raise DataValidationError(
            [
                Problem(
                    "pairs.csv",
                    "matched_on",
                    (),
                    N_("no matched_on and no exchange to date the pairs from"),
                    N_("add the column matched_on (YYYY-MM-DD)"),
                )
            ]
        )
    matched_ns = np.zeros(n_pairs, np.int64) if derive else gi.date_ns(pairs_t["matched_on"])
    n_ooo = int(np.count_nonzero(ts[1:] < ts[:-1]))
    as_of_ns = gi.as_of_ns(as_of, _default_as_of(ts, matched_ns))

    # people of the pairs as integer codes; a pair is the unordered couple of its two codes
    people = pd.Index(pd.concat([pairs_t["mentee_id"], pairs_t["mentor_id"]]).unique())
    n_people = len(people) + 1
    mentee_code = people.get_indexer(pairs_t["mentee_id"])
    mentor_code = people.get_indexer(pairs_t["mentor_id"])
    pair_keys = pd.Index(
        np.minimum(mentee_code, mentor_code) * n_people + np.maximum(mentee_code, mentor_code)
    )
    sc = gi.id_codes(people, log["sender_id"])
    rc = gi.id_codes(people, log["recipient_id"])
    # unknown people (code -1) give negative keys, which match no pair
    row_key = np.minimum(sc, rc)
    row_key *= n_people
    row_key += np.maximum(sc, rc)
    pair = pair_keys.get_indexer(row_key)
    del row_key, rc

    if derive:
        matched_ns = _first_exchange_days(pair, ts, n_pairs)
        pairs_t = pairs_t.assign(matched_on=pd.array(matched_ns.view("M8[ns]")))
    unmatched = np.flatnonzero(pair < 0)
    if len(unmatched):
        reason[positions[unmatched]] = _unmatched_reasons(
            log, unmatched, positions, pairs_t, **roles
        )
    used = np.flatnonzero(pair >= 0)
    pair_u = pair[used]
    ts_u = ts[used]
    early = ts_u < matched_ns[pair_u]
    late = ts_u > as_of_ns
    reason[positions[used[early]]] = _BEFORE
    reason[positions[used[late]]] = _AFTER
    if early.any() or late.any():
        keep = ~(early | late)
        used, pair_u, ts_u = used[keep], pair_u[keep], ts_u[keep]
    del pair, early, late

    order = _order(pair_u, ts_u)
    pair_s, ts_s = pair_u[order], ts_u[order]
    del pair_u, ts_u
    order, dup = _resolve_ties(order, pair_s, ts_s, log, used)
    if len(dup):
        reason[positions[used[dup]]] = _DUP
        is_dup = np.zeros(len(used), bool)
        is_dup[dup] = True
        keep = ~is_dup[order]
        order, pair_s, ts_s = order[keep], pair_s[keep], ts_s[keep]
    rows = used[order]
    del order, used
    sync = log["channel"].isin(schema.SYNC_CHANNELS).to_numpy()[rows]
    if "duration_minutes" in log.columns:
        minutes = log["duration_minutes"].to_numpy(dtype="float64", na_value=np.nan)[rows]
    else:
        minutes = np.full(len(rows), np.nan)
    return _PairLog(
        pairs=pairs_t,
        matched_ns=matched_ns,
        as_of_ns=as_of_ns,
        pair=pair_s,
        ts=ts_s,
        from_mentee=sc[rows] == mentee_code[pair_s],
        sync=sync,
        minutes=minutes,
        group=_in_group_session(log, rows),
        bounds=np.searchsorted(pair_s, np.arange(n_pairs + 1)),
        reason=reason,
        input_ids=interactions["interaction_id"],
        n_out_of_order=n_ooo,
        matched_on_from="first exchange" if derive else "pairs.csv",
    )


def _first_exchange_days(pair: np.ndarray, ts: np.ndarray, n_pairs: int) -> np.ndarray:
    """Matching dates when ``pairs.csv`` has none: the UTC day of each pair's first exchange.

    A pair without any exchange gets the earliest of those days (the programme's start as the
    log shows it).
    """
    first = np.full(n_pairs, np.iinfo(np.int64).max)
    ok = pair >= 0
    np.minimum.at(first, pair[ok], ts[ok])
    start = first.min() if ok.any() else ts.min()
    first = np.where(first == np.iinfo(np.int64).max, start, first)
    return first - first % gi.NS_PER_DAY


def _in_group_session(log: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Whether each of ``log``'s ``rows`` is a group-session row (``session_id`` not empty)."""
    if "session_id" not in log.columns:
        return np.zeros(len(rows), bool)
    group = log["session_id"].notna().to_numpy()[rows]
    at = np.flatnonzero(group)
    if len(at):  # typed logs may hold blank ids; validated ones hold NA
        ids = log["session_id"].iloc[rows[at]].astype("str").str.strip()
        group[at] = (ids != "").to_numpy()
    return group


def _order(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Permutation sorting by (group, value) (int64 arrays); ties in an arbitrary order.

    When the values' resolution and span allow, (group, value) is packed into one int64 key and
    sorted once, much faster than a two-key lexsort on millions of rows.
    """
    if len(value) == 0:
        return np.empty(0, np.int64)
    v0 = int(value.min())
    key = value - v0
    unit = 1
    for u in (10**9, 10**6, 10**3):
        if not np.any(key % u):
            unit = u
            break
    if unit > 1:
        key //= unit
    span = int(key.max()) + 1
    if (int(group.max()) + 1) * span < 2**62:
        key += group.astype(np.int64) * span
        return np.argsort(key)
    return np.lexsort((value, group))


def _resolve_ties(
    order: np.ndarray, pair_s: np.ndarray, ts_s: np.ndarray, log: pd.DataFrame, used: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Order the rows that tie on (pair, timestamp) by interaction_id, then the other columns.

    ``order`` sorts ``used`` by (pair, timestamp); ``pair_s`` and ``ts_s`` are in that order.
    Returns the corrected order and the exact duplicates found among the tied rows (indexes
    into ``used``; they stay in the order and are removed by the caller).
    """
    tie = (pair_s[1:] == pair_s[:-1]) & (ts_s[1:] == ts_s[:-1])
    at_tie = np.flatnonzero(tie)
    if not len(at_tie):
        return order, np.empty(0, np.int64)
    in_run = np.zeros(len(order), bool)
    in_run[at_tie] = True
    in_run[at_tie + 1] = True
    at = np.flatnonzero(in_run)
    # a run starts at a tied slot that does not tie with the slot before it
    run = np.cumsum(~np.concatenate([[False], tie])[at])
    members = order[at]
    cols = [c for c in _TIE_COLUMNS if c in log.columns]
    sub = log.iloc[used[members]][cols].reset_index(drop=True)
    text = [c for c in cols if c != "duration_minutes"]
    sub = sub.astype(dict.fromkeys(text, "str")).fillna(dict.fromkeys(text, ""))
    if "duration_minutes" in sub.columns:
        sub["duration_minutes"] = sub["duration_minutes"].astype("float64").fillna(-1.0)
    id_rank = pd.factorize(sub["interaction_id"], sort=True)[0]
    o = np.lexsort((id_rank, run))
    run, id_rank, members, sub = run[o], id_rank[o], members[o], sub.iloc[o]
    same_id = (run[1:] == run[:-1]) & (id_rank[1:] == id_rank[:-1])
    dup = np.empty(0, np.int64)
    if same_id.any():
        # rare: one interaction_id on several rows at one time; order by all columns
        sub = sub.reset_index(drop=True)
        sub.insert(0, "_run", run)
        sub["_member"] = members
        sub = sub.sort_values(["_run", *cols], kind="stable")
        members = sub["_member"].to_numpy()
        dup = members[sub.duplicated(["_run", *cols]).to_numpy()]
    # the slots of each run are contiguous and increasing: refill them in the sorted order
    new = order.copy()
    new[at] = members
    return new, dup


def _unmatched_reasons(
    log: pd.DataFrame,
    unmatched: np.ndarray,
    positions: np.ndarray,
    pairs_t: pd.DataFrame,
    *,
    mentee_ids: pd.Index | None = None,
    mentor_ids: pd.Index | None = None,
) -> np.ndarray:
    """Why each of the ``unmatched`` rows of ``log`` belongs to no pair (a reason code).

    The people's roles come from the pairs and, for the others, from the people tables'
    ids (``mentee_ids``, ``mentor_ids``); only without a table is a role guessed from the
    sample's id shape (see :func:`ementor_kit.graph._inputs.role_of_ids`).
    """
    gi.check_ids_present(log, unmatched, positions[unmatched])
    sender = log["sender_id"].iloc[unmatched].to_numpy(dtype=object)
    recipient = log["recipient_id"].iloc[unmatched].to_numpy(dtype=object)
    codes, ids = pd.factorize(np.concatenate([sender, recipient]))
    role = gi.role_of_ids(ids, mentee_ids=mentee_ids, mentor_ids=mentor_ids)
    # as object arrays: pandas' string-dtype isin costs about 30x more here (same answer)
    index = pd.Index(ids, dtype=object)
    role[index.isin(pairs_t["mentee_id"].to_numpy(object))] = 1
    role[index.isin(pairs_t["mentor_id"].to_numpy(object))] = 2
    n = len(unmatched)
    rs, rr = role[codes[:n]], role[codes[n:]]
    group = _in_group_session(log, unmatched)
    mixed = ((rs == 1) & (rr == 2)) | ((rs == 2) & (rr == 1))
    return np.select(
        [
            codes[:n] == codes[n:],
            (rs == 1) & (rr == 1),
            (rs == 2) & (rr == 2),
            mixed & group,
            mixed,
        ],
        [_SELF, _PEER_MENTEES, _PEER_MENTORS, _GROUP, _NOT_PAIRED],
        default=_UNKNOWN,
    ).astype(np.int8)


def unassigned_interactions(
    interactions: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    as_of: object = None,
    mentors: pd.DataFrame | None = None,
    mentees: pd.DataFrame | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Every exchange the engagement analytics do not use, with the reason.

    Parameters
    ----------
    interactions : DataFrame
        The exchange log (``interactions.csv``), raw or validated.
    pairs : DataFrame
        The pairs (``pairs.csv``), raw or validated.
    as_of : date, str or time-zone aware timestamp, optional
        Exchanges after this moment are not used (default: the last timestamp in the log). A
        date means the end of that day in UTC.
    mentors, mentees : DataFrame, optional
        The people tables (``mentors.csv`` / ``mentees.csv``, or those of
        :func:`ementor_kit.data.people.read_people`), raw or typed; only their ``mentor_id`` /
        ``mentee_id`` column is used. They say who is a mentor or a mentee among the people
        of unused rows who are in no pair, so that the reason (two mentees, two mentors, not
        a pair, unknown person) holds for ids of any form (e-mails, ``stu-0042``). Without
        them, those people's roles are guessed from the id shape of the bundled sample
        (``E001`` a mentee, ``M001`` a mentor, anything else unknown).
    lang : str, optional
        Language of the texts, ``"en"`` or ``"fr"`` (the ``reason`` column); default the
        process language (:func:`~ementor_kit.i18n.set_language`).

    Returns
    -------
    DataFrame
        One row per unused exchange, in file order: ``row`` (spreadsheet row, header = 1),
        ``interaction_id`` and ``reason``. Reasons: exact duplicate of an earlier row; sender
        and recipient are the same person; exchange between two mentees (peer exchange); between
        two mentors; group session with a mentor who is not paired with this mentee; mentee and
        mentor are not a pair; unknown person; before the pair's ``matched_on`` date; after
        ``as_of`` (also for a row both before its pair's matching and after ``as_of``).

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"mentee_id": ["E001"], "mentor_id": ["M001"],
    ...                       "matched_on": ["2026-09-01"]})
    >>> log = pd.DataFrame({
    ...     "interaction_id": ["I1", "I2", "I3"],
    ...     "timestamp": ["2026-09-02T10:00:00+02:00", "2026-09-03T10:00:00+02:00",
    ...                   "2026-09-03T11:00:00+02:00"],
    ...     "sender_id": ["E001", "E001", "M001"],
    ...     "recipient_id": ["M001", "E002", "E001"],
    ...     "channel": ["chat", "forum", "video"],
    ...     "duration_minutes": [None, None, 30.0],
    ...     "session_id": [None, None, None]})
    >>> unused = unassigned_interactions(log, pairs)
    >>> unused[["row", "interaction_id"]]
       row interaction_id
    0    3             I2
    >>> unused.loc[0, "reason"]
    'exchange between two mentees (peer exchange, not part of a pair)'

    With ids of any form, the people tables tell who is a mentee:

    >>> pairs = pd.DataFrame({"mentee_id": ["ana@uni.fr"], "mentor_id": ["lea@corp.fr"],
    ...                       "matched_on": ["2026-09-01"]})
    >>> log = log.assign(sender_id=["ana@uni.fr", "ana@uni.fr", "lea@corp.fr"],
    ...                  recipient_id=["lea@corp.fr", "bo@uni.fr", "ana@uni.fr"])
    >>> mentees = pd.DataFrame({"mentee_id": ["ana@uni.fr", "bo@uni.fr"]})
    >>> unassigned_interactions(log, pairs, mentees=mentees).loc[0, "reason"]
    'exchange between two mentees (peer exchange, not part of a pair)'
    """
    code = resolve_language(lang)
    log = _prepare_log(interactions, pairs, as_of, mentors=mentors, mentees=mentees)
    return log.unused_table(code)
