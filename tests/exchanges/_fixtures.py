"""Shared fixtures of the exchanges tests: a few chat pairs of the bundled sample."""

from __future__ import annotations

import pandas as pd

import ementor_kit as ek

ZONE = "Europe/Paris"


def sample_names() -> dict[str, str]:
    """Person id -> display name, for every person of the sample."""
    prog = ek.load_sample()
    return {
        **dict(zip(prog.mentors["mentor_id"], prog.mentors["display_name"], strict=True)),
        **dict(zip(prog.mentees["mentee_id"], prog.mentees["display_name"], strict=True)),
    }


def chat_pairs(n: int = 4) -> dict[tuple[str, str], pd.DataFrame]:
    """(mentor_id, mentee_id) -> the sample's chat exchanges of that pair, for ``n`` pairs."""
    prog = ek.load_sample()
    log = prog.interactions
    chat = log[log["channel"] == "chat"]
    out: dict[tuple[str, str], pd.DataFrame] = {}
    for pair in prog.pairs.itertuples(index=False):
        ids = {pair.mentor_id, pair.mentee_id}
        rows = chat[chat["sender_id"].isin(ids) & chat["recipient_id"].isin(ids)]
        if len(rows) >= 5:
            out[(pair.mentor_id, pair.mentee_id)] = rows
        if len(out) == n:
            break
    return out


def exchanges(log: pd.DataFrame) -> list[tuple[pd.Timestamp, str, str]]:
    """The exchanges of a log to the minute, sorted (what a WhatsApp export keeps)."""
    ts = pd.to_datetime(log["timestamp"], utc=True).dt.floor("min")
    return sorted(zip(ts, log["sender_id"], log["recipient_id"], strict=True))
