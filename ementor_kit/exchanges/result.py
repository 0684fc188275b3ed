"""What an import gives: the exchange log, who was not resolved, what was set aside and why.

Each reader (:mod:`~ementor_kit.exchanges.whatsapp`, :mod:`~ementor_kit.exchanges.email`,
:mod:`~ementor_kit.exchanges.meetings`, :mod:`~ementor_kit.exchanges.generic`) turns one
export into a :class:`ParsedExport`: one row per (message, recipient) with the people as the
export names them, and the messages it set aside. :func:`~ementor_kit.exchanges.importer.
import_exchanges` resolves the people and returns an :class:`ExchangeImport`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["ExchangeImport", "ParsedExport", "ROW_COLUMNS", "SKIPPED_COLUMNS"]

ROW_COLUMNS = (
    "file",  # the export file the row comes from
    "message",  # number of the message (or attendee) in its export (0, 1, ...)
    "line",  # line (or row, or message number) of the export where it is
    "timestamp",  # naive when the export has no zone (localised by the importer)
    "sender",  # as the export writes it (a meeting's host, None when unknown)
    "recipient",  # as the export writes it; None when the export gives none
    "duration_minutes",
    "session",  # session key the export gives (a meeting, a CSV's session column), else None
    "thread",  # thread key within the export (e-mail), None elsewhere
    "no_recipient",  # why there is no recipient, when recipient is None
    "channel",  # the row's channel when the export gives one per row, else None
)
SKIPPED_COLUMNS = ("file", "line", "reason")


@dataclass
class ParsedExport:
    """One export read, people not yet resolved (a reader's output, not a public result).

    ``rows`` has :data:`ROW_COLUMNS`; ``skipped`` has ``line`` and ``reason``; ``read`` is the
    number of messages (or participant rows) read: each is either in ``rows`` or in
    ``skipped``. ``naive``: the timestamps carry no zone. ``attendance``: a meeting report, one row
    per attendee, the session's leader chosen once people are resolved
    (:func:`~ementor_kit.exchanges.meetings.lead_sessions`). ``notes``: what was read, for the
    report.
    """

    file: str
    format: str
    channel: str
    rows: pd.DataFrame
    skipped: pd.DataFrame
    read: int
    naive: bool
    attendance: bool = False
    notes: list[str] = field(default_factory=list)


def empty_rows() -> pd.DataFrame:
    """A :class:`ParsedExport` ``rows`` table with no row."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ROW_COLUMNS})


@dataclass(frozen=True, eq=False)
class ExchangeImport:
    """The exchange log imported from tools' exports, and the account of what was not kept.

    Nothing of the exports' content is kept: message bodies are read only to tell a message
    from a system line or a media placeholder and are discarded; the names, numbers and
    addresses of the exports appear nowhere except, for people that could not be resolved, in
    :attr:`unresolved` (names as written, phone numbers and addresses masked) so that a
    coordinator can add them to an alias table.

    Attributes
    ----------
    log : DataFrame
        The exchange log (``interactions.csv`` of the data contract, validated: columns
        ``interaction_id, timestamp, sender_id, recipient_id, channel, duration_minutes,
        session_id``, timestamps in UTC), one row per exchange between two people, sorted by
        time. It feeds :func:`~ementor_kit.graph.engagement_metrics.engagement` unchanged.
    unresolved : DataFrame
        People of the exports that are not in the programme: ``alias`` (masked contact),
        ``role`` (``"unknown"``), ``n_exchanges`` (messages they sent or received), ``files``.
    skipped : DataFrame
        Every message (or participant row) not used: ``file``, ``line``, ``reason``.
    threads : DataFrame
        E-mail threads: ``interaction_id``, ``thread_id`` (``T0001``, ...: the first message
        of the thread), ``reply_to`` (the interaction it answers, empty for the first).
    counts : dict of str to int
        ``read`` (messages read), ``used`` (messages giving at least one exchange),
        ``skipped`` (``read - used``), ``exchanges`` (rows of the log).
    report : str
        What was read and what was thrown away, in a few lines.

    Examples
    --------
    >>> import ementor_kit as ek, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "chat.txt").write_text(
    ...     "12/09/2026 14:03 - Hugo J. : Bonjour à vous deux !\\n"
    ...     "12/09/2026 14:05 - Mateo P. : Bonjour !\\n"
    ...     "13/09/2026 09:10 - Aya Z. : Merci, à jeudi\\n", encoding="utf-8")
    >>> result = ek.import_exchanges(folder / "chat.txt", ek.load_sample(),
    ...                              timezone="Europe/Paris")
    >>> result.counts
    {'read': 3, 'used': 2, 'skipped': 1, 'exchanges': 2}
    >>> result.unresolved[["alias", "n_exchanges"]].values.tolist()
    [['Aya Z.', 3]]
    >>> result.skipped["reason"].tolist()
    ["sender not among the programme's people (see unresolved)"]
    """

    log: pd.DataFrame
    unresolved: pd.DataFrame
    skipped: pd.DataFrame
    threads: pd.DataFrame
    counts: Mapping[str, int]
    report: str

    def __repr__(self) -> str:
        c = self.counts
        return (
            f"ExchangeImport({c['exchanges']} exchanges from {c['used']} of {c['read']} "
            f"messages, {len(self.unresolved)} unresolved people)"
        )
