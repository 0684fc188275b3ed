"""The exchange simulation: one-to-one messages and calls, group sessions, the peer forum.

:func:`simulate_exchanges` fills an :class:`ExchangeLog` (UTC seconds); :func:`log_table`
turns it into the ``interactions`` table (sorted by time) and :func:`realised_engagement`
summarises, per pair, what the log shows (:class:`~ementor_kit.samples._pairing.PairActivity`).

Time stamps are instants in UTC seconds; a person's local hour is turned into UTC with their fixed
winter offset.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ementor_kit.data import schema
from ementor_kit.samples._draw import DAY, local_hour
from ementor_kit.samples._pairing import Pair, PairActivity

_CALL_HOURS = [12.25, 12.5, 13.0, 18.0, 18.5, 19.0, 19.5, 20.0, 20.5]
_WEEKDAY_WEIGHTS = np.array([0.17, 0.17, 0.17, 0.17, 0.14, 0.1, 0.08])  # Monday first


@dataclass
class ExchangeLog:
    """Accumulates interaction rows (UTC seconds, sender, recipient, channel, minutes, session).

    Examples
    --------
    >>> log = ExchangeLog()
    >>> log.add(1.9, "E001", "M001", "chat")
    >>> log.t, log.minutes[0] != log.minutes[0]  # seconds truncated; NaN minutes
    ([1], True)
    """

    t: list[int] = field(default_factory=list)
    sender: list[str] = field(default_factory=list)
    recipient: list[str] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    minutes: list[float] = field(default_factory=list)
    session: list[str | None] = field(default_factory=list)

    def add(
        self,
        t: float,
        s: str,
        r: str,
        ch: str,
        minutes: float = math.nan,
        session: str | None = None,
    ) -> None:
        self.t.append(int(t))
        self.sender.append(s)
        self.recipient.append(r)
        self.channel.append(ch)
        self.minutes.append(minutes)
        self.session.append(session)


def _is_holiday(day: pd.Timestamp) -> bool:
    """French school holidays used to damp activity (Toussaint and winter break, approx.)."""
    md = (day.month, day.day)
    return ((10, 17) <= md <= (11, 1)) or md >= (12, 19) or md <= (1, 3)


def _awake(t_utc: float, offset: float, rng: np.random.Generator) -> float:
    """Push a reply that would fall between 01:00 and 07:00 local to the next morning."""
    local = (t_utc + offset * 3600) % DAY
    if 3600 <= local < 7 * 3600:
        t_utc += 7 * 3600 - local + rng.uniform(0, 2.5 * 3600)
    return t_utc


def _weekday_weights(days: np.ndarray, t0_weekday: int) -> np.ndarray:
    return np.take(_WEEKDAY_WEIGHTS, (days + t0_weekday) % 7)


@dataclass(frozen=True)
class _Clock:
    """Turns (day, person, local hour) into a UTC instant for one pair."""

    rng: np.random.Generator
    t0: int  # programme start, UTC seconds
    offset: dict[str, float]  # person id -> UTC offset, hours
    role: dict[str, str]  # person id -> "mentee" or "mentor"

    def at(self, day: int, who: str, hour: float | None = None) -> float:
        """A time on ``day`` at ``hour`` (drawn from the person's daily rhythm when omitted)."""
        h = local_hour(self.rng, self.role[who]) if hour is None else hour
        return self.t0 + day * DAY + h * 3600 + self.rng.uniform(0, 59) - self.offset[who] * 3600


def _weekly_multiplier(rng: np.random.Generator, p: Pair, w: int, holiday: np.ndarray) -> float:
    """Activity of week ``w`` relative to the pair's rate (``holiday``: the week's days)."""
    if p.kind == "regular":
        mult = 0.985**w
    elif p.kind == "fading":
        mult = 0.0 if w >= p.stop_week else math.exp(-w / p.tau)
    else:  # irregular: bursts separated by silent weeks
        mult = (1.9 if rng.random() < 0.45 else 0.0) * 0.98**w
    mult *= 0.45 if holiday.mean() > 0.5 else 1.0
    if w == 0:
        mult = max(mult, 1.0)  # every started pair exchanges in its first week
    return mult


def _call(
    rng: np.random.Generator,
    p: Pair,
    log: ExchangeLog,
    clock: _Clock,
    day: int,
    p_mi: float,
    horizon: float,
) -> None:
    """A call on ``day``, often set up by a message and its answer the day before."""
    starter = p.e if rng.random() < 0.7 * p_mi else p.m
    other = p.m if starter == p.e else p.e
    if rng.random() < 0.6 and day > p.day:  # a message to set the date first
        t = clock.at(day - 1, starter)
        log.add(t, starter, other, "chat" if rng.random() > p.p_email else "email")
        t2 = _awake(t + rng.lognormal(math.log(3 * 3600), 0.9), clock.offset[other], rng)
        log.add(t2, other, starter, "chat" if rng.random() > p.p_email else "email")
    video = rng.random() < p.p_video
    minutes = (
        np.clip(round(rng.normal(50, 15)), 15, 90)
        if video
        else np.clip(round(rng.normal(30, 10)), 15, 90)
    )
    hour = float(rng.choice(_CALL_HOURS))
    t = clock.at(day, starter, hour + rng.uniform(-0.05, 0.2))
    if t < horizon:
        log.add(t, starter, other, "video" if video else "phone", float(minutes))


def _thread(
    rng: np.random.Generator,
    p: Pair,
    log: ExchangeLog,
    clock: _Clock,
    day: int,
    p_mi: float,
    late: bool,
    horizon: float,
) -> None:
    """A written conversation started on ``day``: a message and up to eight replies."""
    starter = p.e if rng.random() < p_mi else p.m
    other = p.m if starter == p.e else p.e
    channel = "email" if rng.random() < p.p_email else "chat"
    t = clock.at(day, starter)
    if t >= horizon:
        return
    log.add(t, starter, other, channel)
    p_reply = p.p_reply * (0.35 if late else 1.0)
    k = 0
    while k < 8:
        p_go = p_reply if k == 0 else p.p_continue * 0.8 ** (k - 1)
        if rng.random() >= p_go:
            break
        if channel == "chat" and rng.random() < 0.3:
            lat = rng.lognormal(math.log(6 * 60), 0.8)  # live chat: minutes
        else:
            lat = rng.lognormal(math.log(p.latency_h * 3600), 1.1)
        t = _awake(t + min(lat, 6 * DAY), clock.offset[other], rng)
        if t >= horizon:
            break
        log.add(t, other, starter, channel)
        starter, other = other, starter
        k += 1


def _simulate_pair(
    rng: np.random.Generator,
    p: Pair,
    log: ExchangeLog,
    t0: int,
    t0_weekday: int,
    holiday: np.ndarray,
) -> None:
    """The one-to-one exchanges of pair ``p`` over its ``p.weeks`` weeks from ``p.day``."""
    first, end = p.day, p.day + 7 * p.weeks  # days since programme start, end exclusive
    horizon = t0 + end * DAY
    clock = _Clock(rng, t0, {p.e: p.off_e, p.m: p.off_m}, {p.e: "mentee", p.m: "mentor"})
    if p.kind == "never":
        if rng.random() < 0.45:  # one unanswered message from the mentor
            day = first + int(rng.integers(0, 10))
            log.add(clock.at(day, p.m), p.m, p.e, "email" if rng.random() < p.p_email else "chat")
        return
    for w in range(p.weeks):
        days = np.arange(first + 7 * w, first + 7 * w + 7)
        mult = _weekly_multiplier(rng, p, w, holiday[days])
        n_conv = int(rng.poisson(p.rate * mult))
        if w == 0:
            n_conv = max(n_conv, 1)
        p_mi = float(np.clip(p.p_mentee + 0.012 * w, 0.05, 0.9))
        late = p.kind == "fading" and w >= p.stop_week - 2
        dw = _weekday_weights(days - days[0], (t0_weekday + int(days[0])) % 7)
        conv_days = np.sort(rng.choice(days, size=n_conv, p=dw / dw.sum()))
        for day in conv_days:
            if rng.random() < p.p_sync:
                _call(rng, p, log, clock, int(day), p_mi, horizon)
            else:
                _thread(rng, p, log, clock, int(day), p_mi, late, horizon)


def _group_sessions(
    rng: np.random.Generator,
    log: ExchangeLog,
    pairs: list[Pair],
    mentees: pd.DataFrame,
    t0: int,
    weeks: int,
) -> None:
    """Group video sessions: a mentor hosts their mentees and a few sociable others."""
    by_mentor: dict[str, list[Pair]] = {}
    for p in pairs:
        by_mentor.setdefault(p.m, []).append(p)
    hosts = [m for m, ps in by_mentor.items() if sum(q.kind != "never" for q in ps) >= 2]
    if not hosts or weeks < 3:
        return
    n_sessions = min(len(hosts), max(1, round(len(pairs) / 25)))
    chosen = sorted(rng.choice(len(hosts), size=n_sessions, replace=False))
    soc = dict(zip(mentees["mentee_id"], mentees["_sociability"], strict=True))
    all_ids = mentees["mentee_id"].tolist()
    for s, h in enumerate(chosen):
        host = hosts[int(h)]
        own = [q for q in by_mentor[host] if q.kind != "never"]
        lo = own[0].day + min(14, 7 * weeks // 3)
        day = int(rng.integers(lo, max(lo + 1, own[0].day + 7 * weeks - 7)))
        off = own[0].off_m
        size = int(rng.integers(3, 7))
        attendees = [q.e for q in own if q.kind != "fading" or day < q.day + 7 * q.stop_week]
        others = [e for e in all_ids if e not in attendees]
        w = np.exp(np.array([soc[e] for e in others]))
        extra = max(0, size - len(attendees))
        if extra:
            attendees += [
                others[int(i)]
                for i in rng.choice(
                    len(others), size=min(extra, len(others)), replace=False, p=w / w.sum()
                )
            ]
        attendees = attendees[:6]
        if len(attendees) < 3:
            continue
        hour = float(rng.choice([18.0, 18.5, 19.0]))
        t = t0 + day * DAY + int(hour * 3600) - int(off * 3600)
        length = float(rng.choice([45, 60, 60, 75, 90]))
        sid = f"S{s + 1:03d}"
        for e in sorted(attendees):
            minutes = length if rng.random() > 0.2 else float(round(length * rng.uniform(0.3, 0.9)))
            log.add(t, host, e, "video", minutes, sid)


def _forum(
    rng: np.random.Generator, log: ExchangeLog, mentees: pd.DataFrame, t0: int, weeks: int
) -> None:
    """Forum replies between mentees: preferential attachment plus homophily."""
    soc = mentees["_sociability"].to_numpy()
    users = np.flatnonzero(soc > 0.25)
    if len(users) < 2:
        return
    ids = mentees["mentee_id"].to_numpy()
    off = mentees["utc_offset"].to_numpy(dtype=float)
    cohort = mentees["cohort"].to_numpy()
    domain = mentees["domain"].to_numpy()
    region = mentees["region"].to_numpy()
    span = 7 * weeks + 10
    for u in users:
        n_posts = int(rng.poisson(0.9 * math.exp(0.6 * soc[u])))
        for _ in range(n_posts):
            day = int(rng.integers(3, span))
            t_post = t0 + day * DAY + local_hour(rng, "mentee") * 3600 - off[u] * 3600
            others = users[users != u]
            w = (
                np.exp(soc[others])
                * np.where(cohort[others] == cohort[u], 2.0, 1.0)
                * np.where(domain[others] == domain[u], 2.5, 1.0)
                * np.where(region[others] == region[u], 1.5, 1.0)
            )
            n_rep = min(len(others), int(rng.poisson(1.6)))
            if n_rep == 0:
                continue
            repliers = rng.choice(others, size=n_rep, replace=False, p=w / w.sum())
            for r in repliers:
                t = _awake(t_post + rng.lognormal(math.log(10 * 3600), 1.2), off[r], rng)
                log.add(t, ids[r], ids[u], "forum")
                if rng.random() < 0.4:  # the author thanks / answers back
                    t2 = _awake(t + rng.lognormal(math.log(8 * 3600), 1.0), off[u], rng)
                    log.add(t2, ids[u], ids[r], "forum")


def simulate_exchanges(
    rng: np.random.Generator,
    pairs: list[Pair],
    mentees: pd.DataFrame,
    start: pd.Timestamp,
    weeks: int,
) -> ExchangeLog:
    """Every interaction of the programme that starts on ``start`` (midnight UTC).

    ``mentees`` must carry the hidden ``_sociability`` column (group sessions and the forum).
    """
    t0 = int(start.value // 10**9)
    n_days = 7 * weeks + 14
    holiday = np.array([_is_holiday(start + pd.Timedelta(days=d)) for d in range(n_days + 7)])
    log = ExchangeLog()
    for p in pairs:
        _simulate_pair(rng, p, log, t0, start.weekday(), holiday)
    _group_sessions(rng, log, pairs, mentees, t0, weeks)
    _forum(rng, log, mentees, t0, weeks)
    return log


def log_table(log: ExchangeLog) -> pd.DataFrame:
    """The ``interactions`` table (UTC seconds, untyped), in time order, ids ``I000001``...

    Examples
    --------
    >>> log = ExchangeLog()
    >>> log.add(20, "E001", "M001", "chat")
    >>> log.add(10, "M001", "E001", "phone", 30.0)
    >>> log_table(log)[["interaction_id", "timestamp", "sender_id"]].to_numpy().tolist()
    [['I000001', 10, 'M001'], ['I000002', 20, 'E001']]
    """
    order = np.lexsort((np.arange(len(log.t)), np.asarray(log.t, dtype="int64")))
    return pd.DataFrame(
        {
            "interaction_id": [f"I{i + 1:06d}" for i in range(len(order))],
            "timestamp": np.asarray(log.t, dtype="int64")[order],
            "sender_id": np.asarray(log.sender, dtype=object)[order],
            "recipient_id": np.asarray(log.recipient, dtype=object)[order],
            "channel": np.asarray(log.channel, dtype=object)[order],
            "duration_minutes": np.asarray(log.minutes, dtype=float)[order],
            "session_id": np.asarray(log.session, dtype=object)[order],
        }
    )


def realised_engagement(inter: pd.DataFrame, pairs: list[Pair], t0: int) -> list[PairActivity]:
    """The :class:`PairActivity` of every pair (same order), from the one-to-one interactions."""
    one_to_one = inter[inter["session_id"].isna() & (inter["channel"] != "forum")]
    key = np.where(
        one_to_one["sender_id"].str.startswith("E"),
        one_to_one["sender_id"] + "|" + one_to_one["recipient_id"],
        one_to_one["recipient_id"] + "|" + one_to_one["sender_id"],
    )
    day_of = (one_to_one["timestamp"].to_numpy() - t0) // DAY
    stats = pd.DataFrame(
        {
            "key": key,
            "day": day_of,
            "sender": one_to_one["sender_id"].to_numpy(),
            "sync": one_to_one["channel"].isin(schema.SYNC_CHANNELS).to_numpy(),
        }
    )
    grouped = {k: g for k, g in stats.groupby("key", sort=True)}
    out = []
    for p in pairs:
        g = grouped.get(f"{p.e}|{p.m}")
        if g is None:  # no exchange at all
            out.append(PairActivity(0, False, p.day, p.day, 0, 0.0))
            continue
        out.append(
            PairActivity(
                n=len(g),
                started=g["sender"].nunique() == 2 or bool(g["sync"].any()),
                first_day=int(g["day"].min()),
                last_day=int(g["day"].max()),
                active_weeks=int(((g["day"] - p.day) // 7).nunique()),
                sync_share=float(g["sync"].mean()),
            )
        )
    return out
