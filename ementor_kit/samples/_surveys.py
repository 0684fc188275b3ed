"""Survey answers: items from latent traits (a factor model), discretised with fixed thresholds.

Three questionnaires: ``mentee_t0`` (self-efficacy, before the start), ``mentee_t1`` (self-efficacy
again, the mentoring relationship and the e-mentoring experience) and ``mentor_t1`` (the mentor's
view of each relationship). Relationship scales rise with the pair's realised engagement and the
mentee's and mentor's ratings share a dyad latent; mentors differ in leniency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ementor_kit.samples._draw import DAY, local_hour
from ementor_kit.samples._pairing import Pair, PairActivity

_CUTS5 = (-2.1, -1.25, -0.35, 0.7)
_CUTS4 = (-1.6, -0.45, 0.95)
_GSE = [f"gse_{k}" for k in range(1, 11)]
_MFQ = [f"mfq_{k}" for k in range(1, 10)]
_WAI = [f"wai_{k}" for k in range(1, 13)]
_EMX = [f"emx_{k}" for k in range(1, 9)]
# self-efficacy shift at T0 by career stage
_STAGE_EFFECT = {
    "lyceen": -0.2,
    "etudiant": 0.0,
    "jeune_diplome": 0.1,
    "reconversion": 0.25,
    "demandeur_emploi": -0.3,
}
_P_RESPONSE_T1 = {
    "regular": 0.78,
    "irregular": 0.68,
    "fading": 0.5,
    "never": 0.35,
    "unmatched": 0.3,
}

# submitted_at (UTC seconds), respondent_id, target_id, item answers
Response = tuple[int, str, str | None, np.ndarray]


def _items(
    rng: np.random.Generator,
    factor: np.ndarray,
    n_items: int,
    loading: float,
    cuts: tuple[float, ...],
    shift_range: tuple[float, float] = (-0.2, 0.2),
    reverse: tuple[int, ...] = (),
) -> np.ndarray:
    """Ordinal items loading on one standardised factor; returns ints 1..len(cuts)+1."""
    n = len(factor)
    out = np.empty((n, n_items), dtype=float)
    shifts = rng.uniform(*shift_range, size=n_items)
    for j in range(n_items):
        x = loading * factor + math.sqrt(1 - loading**2) * rng.normal(size=n) + shifts[j]
        if j in reverse:
            x = -x
        val = 1 + np.searchsorted(np.asarray(cuts), x)
        out[:, j] = val
    return out


def _z(x: np.ndarray) -> np.ndarray:
    """Standardised ``x`` (zeros when ``x`` is constant).

    Examples
    --------
    >>> _z(np.array([1.0, 3.0])).tolist(), _z(np.array([2.0, 2.0])).tolist()
    ([-1.0, 1.0], [0.0, 0.0])
    """
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def _missing(rng: np.random.Generator, items: np.ndarray) -> np.ndarray:
    """About 2 % of cells missing at random, and a few respondents who stop halfway."""
    items = items.copy()
    items[rng.random(items.shape) < 0.02] = np.nan
    n, k = items.shape
    for r in np.flatnonzero(rng.random(n) < 0.03):
        if k > 4:
            items[r, int(rng.integers(3, k - 1)) :] = np.nan
    return items


def _mfq_wai(rng: np.random.Generator, rel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mentoring-functions (9 items) and working-alliance (12 items) answers from ``rel``."""
    n = len(rel)
    mfq = np.empty((n, 9))
    for k, a in enumerate((0.75, 0.8, 0.65)):
        f = a * rel + math.sqrt(1 - a**2) * rng.normal(size=n)
        mfq[:, 3 * k : 3 * k + 3] = _items(rng, f, 3, 0.8, _CUTS5, (0.0, 0.5))
    wai = np.empty((n, 12))
    for cols in ((1, 2, 10, 12), (3, 5, 7, 9), (4, 6, 8, 11)):
        f = 0.85 * rel + math.sqrt(1 - 0.85**2) * rng.normal(size=n)
        block = _items(rng, f, 4, 0.78, _CUTS5, (0.2, 0.8))
        for j, c in enumerate(cols):
            wai[:, c - 1] = block[:, j]
    return mfq, wai


def _emx(
    rng: np.random.Generator,
    rel: np.ndarray,
    mod_z: np.ndarray,
    tz_z: np.ndarray,
    dc_z: np.ndarray,
) -> np.ndarray:
    """E-mentoring experience (8 items): relationship, modality fit, distance, tool ease."""
    n = len(rel)
    emx = np.empty((n, 8))
    factors = (
        0.5 * rel + 0.45 * mod_z,  # usefulness of the sync/async mix
        0.5 * rel - 0.35 * tz_z,  # trust at a distance
        0.7 * dc_z + 0.2 * rel,  # tool ease
        0.85 * rel,  # satisfaction
    )
    for k, f in enumerate(factors):
        f = _z(f + rng.normal(0, 0.5, size=n))
        reverse = (1,) if k in (1, 2) else ()  # emx_4 and emx_6 are reverse-keyed
        emx[:, 2 * k : 2 * k + 2] = _items(rng, f, 2, 0.8, _CUTS5, (0.0, 0.5), reverse)
    return emx


@dataclass(frozen=True)
class _Cohort:
    """Per-mentee arrays (rows of ``mentees``) shared by the three questionnaires."""

    ids: np.ndarray  # mentee_id
    by_e: dict[str, Pair]  # the pair of each matched mentee
    matched: np.ndarray  # bool
    theta0: np.ndarray  # self-efficacy before the programme
    theta1: np.ndarray  # self-efficacy after it
    eng: np.ndarray  # realised engagement on a fixed scale (0 when unmatched)
    q: np.ndarray  # pair quality (0 when unmatched)
    sync: np.ndarray  # share of calls (0 when unmatched)
    tz: np.ndarray  # time-zone distance (0 when unmatched)
    mod: np.ndarray  # modality compatibility (0.6 when unmatched)
    kind: np.ndarray  # pair type, "unmatched" when unmatched


def _cohort(
    rng: np.random.Generator,
    pairs: list[Pair],
    engagement: list[PairActivity],
    mentees: pd.DataFrame,
    weeks: int,
) -> _Cohort:
    n = len(mentees)
    ids = mentees["mentee_id"].to_numpy()
    by_e = {p.e: p for p in pairs}
    eng_of = {p.e: g for p, g in zip(pairs, engagement, strict=True)}
    theta0 = (
        rng.normal(size=n)
        + mentees["career_stage"].map(_STAGE_EFFECT).to_numpy(dtype=float)
        + 0.12 * (mentees["digital_comfort"].to_numpy(dtype=float) - 3)
    )
    matched = np.array([e in by_e for e in ids])
    eng = np.zeros(n)
    q = np.zeros(n)
    sync = np.zeros(n)
    for i, e in enumerate(ids):
        if e in by_e:
            g = eng_of[e]
            eng[i] = (
                0.6 * (g.active_weeks / weeks - 0.5) / 0.3 + 0.4 * (math.log1p(g.n) - 3.0) / 1.2
            )
            q[i] = by_e[e].q
            sync[i] = g.sync_share
    gain = np.where(matched, 0.25 + 0.12 * eng, 0.03) + rng.normal(0, 0.45, size=n)
    return _Cohort(
        ids=ids,
        by_e=by_e,
        matched=matched,
        theta0=theta0,
        theta1=theta0 + gain,
        eng=eng,
        q=q,
        sync=sync,
        tz=np.array([by_e[e].tz if e in by_e else 0.0 for e in ids]),
        mod=np.array([by_e[e].mod if e in by_e else 0.6 for e in ids]),
        kind=np.array([by_e[e].kind if e in by_e else "unmatched" for e in ids]),
    )


@dataclass(frozen=True)
class _Stamper:
    rng: np.random.Generator
    t0: int  # programme start, UTC seconds
    offset: dict[str, float]  # person id -> UTC offset, hours

    def when(self, day_lo: int, day_hi: int, who: str) -> int:
        """A submission time between two days, at a mentee's daily rhythm (also for mentors)."""
        day = int(self.rng.integers(day_lo, day_hi))
        return int(
            self.t0
            + day * DAY
            + local_hour(self.rng, "mentee") * 3600
            + self.rng.uniform(0, 59)
            - self.offset[who] * 3600
        )


def _mentee_t0(rng: np.random.Generator, stamp: _Stamper, c: _Cohort) -> list[Response]:
    """Everyone is asked; about 95 % answer, in the fortnight before the start."""
    resp0 = rng.random(len(c.ids)) < 0.95
    gse0 = _missing(rng, _items(rng, c.theta0, 10, 0.68, _CUTS4))
    return [(stamp.when(-16, -1, c.ids[i]), c.ids[i], None, gse0[i]) for i in np.flatnonzero(resp0)]


def _mentee_t1(
    rng: np.random.Generator,
    stamp: _Stamper,
    c: _Cohort,
    mentees: pd.DataFrame,
    weeks: int,
) -> tuple[np.ndarray, list[Response]]:
    """The dyad latent (shared with the mentor's rating) and the mentees' T1 answers."""
    n = len(c.ids)
    shared = np.where(c.matched, 0.6 * np.clip(c.eng, -2.5, 2.5) + 0.3 * c.q, 0.0)
    dyad = shared + 0.75 * rng.normal(size=n)
    rel_e = _z(dyad + 0.8 * rng.normal(size=n))
    resp1 = rng.random(n) < np.array([_P_RESPONSE_T1[k] for k in c.kind])
    gse1 = _items(rng, c.theta1, 10, 0.68, _CUTS4)
    mfq, wai = _mfq_wai(rng, rel_e)
    dc = mentees["digital_comfort"].to_numpy(dtype=float)
    emx = _emx(rng, rel_e, _z(c.mod + 0.5 * c.sync), _z(c.tz), _z(dc))
    rel_items = np.hstack([mfq, wai, emx])
    rel_items[~c.matched] = np.nan  # skip logic: no relationship items without a mentor
    t1_items = _missing(rng, np.hstack([gse1, rel_items]))
    rows: list[Response] = []
    for i in np.flatnonzero(resp1):
        e = c.ids[i]
        p = c.by_e.get(e)
        start = p.day if p else 7 * int(mentees["cohort"].iloc[i] == "2026-B")
        end = start + 7 * weeks
        rows.append((stamp.when(end, end + 21, e), e, p.m if p else None, t1_items[i]))
    return dyad, rows


def _mentor_t1(
    rng: np.random.Generator,
    stamp: _Stamper,
    c: _Cohort,
    mentors: pd.DataFrame,
    dyad: np.ndarray,
    weeks: int,
) -> list[Response]:
    """One row per (mentor, mentee) pair; mentor leniency makes ratings cluster.

    About 80 % of mentors answer, for each of their mentees in a row (minutes apart), and skip
    half of the pairs that never started.
    """
    mentor_ids = mentors["mentor_id"].to_numpy()
    lenient = dict(zip(mentor_ids, rng.normal(0, 0.45, size=len(mentor_ids)), strict=True))
    answers = dict(zip(mentor_ids, rng.random(len(mentor_ids)) < 0.8, strict=True))
    rows_m = [i for i, e in enumerate(c.ids) if e in c.by_e]
    rel_m = _z(
        np.array([dyad[i] + lenient[c.by_e[c.ids[i]].m] for i in rows_m])
        + 0.8 * rng.normal(size=len(rows_m))
    )
    dc_m = np.array([c.by_e[c.ids[i]].dc_m for i in rows_m], dtype=float)
    wai_m = _mfq_wai(rng, rel_m)[1]
    mod, sync, tz = c.mod[rows_m], c.sync[rows_m], c.tz[rows_m]
    emx_m = _emx(rng, rel_m, _z(mod + 0.5 * sync), _z(tz), _z(dc_m))
    m_items = _missing(rng, np.hstack([wai_m, emx_m]))
    rows: list[Response] = []
    last_t: dict[str, int] = {}
    for j, i in enumerate(rows_m):
        p = c.by_e[c.ids[i]]
        if not answers[p.m] or (p.kind == "never" and rng.random() < 0.5):
            continue
        if p.m in last_t:
            t = last_t[p.m] + int(rng.integers(180, 900))
        else:
            end = p.day + 7 * weeks
            t = stamp.when(end, end + 25, p.m)
        last_t[p.m] = t
        rows.append((t, p.m, p.e, m_items[j]))
    return rows


def _frame(
    rows: list[Response], prefix: str, role: str, wave: str, items: list[str]
) -> pd.DataFrame:
    """A questionnaire table (untyped) from responses, in submission order."""
    rows = sorted(rows, key=lambda r: (r[0], r[1], r[2] or ""))
    meta = pd.DataFrame(
        {
            "response_id": [f"{prefix}-{k + 1:04d}" for k in range(len(rows))],
            "respondent_id": [r[1] for r in rows],
            "rater_role": role,
            "wave": wave,
            "submitted_at": np.array([r[0] for r in rows], dtype="int64"),
            "target_id": [r[2] for r in rows],
        }
    )
    vals = np.vstack([r[3] for r in rows]) if rows else np.empty((0, len(items)))
    item_df = pd.DataFrame(vals, columns=items)
    return pd.concat([meta, item_df], axis=1)


def draw_surveys(
    rng: np.random.Generator,
    pairs: list[Pair],
    engagement: list[PairActivity],
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    t0: int,
    weeks: int,
) -> dict[str, pd.DataFrame]:
    """The three questionnaire tables, keyed by table name (``submitted_at`` in UTC seconds).

    ``engagement`` is the realised engagement of each of ``pairs`` (same order); ``t0`` is the
    programme start in UTC seconds.
    """
    off = dict(zip(mentees["mentee_id"], mentees["utc_offset"].astype(float), strict=True))
    off.update(zip(mentors["mentor_id"], mentors["utc_offset"].astype(float), strict=True))
    stamp = _Stamper(rng, t0, off)
    cohort = _cohort(rng, pairs, engagement, mentees, weeks)
    t0_rows = _mentee_t0(rng, stamp, cohort)
    dyad, t1_rows = _mentee_t1(rng, stamp, cohort, mentees, weeks)
    m_rows = _mentor_t1(rng, stamp, cohort, mentors, dyad, weeks)
    return {
        "mentee_t0": _frame(t0_rows, "T0E", "mentee", "T0", _GSE),
        "mentee_t1": _frame(t1_rows, "T1E", "mentee", "T1", _GSE + _MFQ + _WAI + _EMX),
        "mentor_t1": _frame(m_rows, "T1M", "mentor", "T1", _WAI + _EMX),
    }
