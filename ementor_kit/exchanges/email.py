"""E-mail: ``mbox`` files and folders of ``.eml`` files, threads kept.

Only the headers are read (``From``, ``To``, ``Cc``, ``Date``, ``Message-ID``,
``In-Reply-To``, ``References``): the body of a message is never parsed. One message gives one
row per recipient (``To`` and ``Cc``). A message seen twice (the same ``Message-ID``, e.g. in
the sender's and the recipient's mailbox) is used once. The thread of a message is the first
message of its reply chain (``In-Reply-To``, else the last ``References``), followed through
the messages read; its ``Message-ID`` is used only to link the rows and never reaches an
output.
"""

from __future__ import annotations

import codecs
import mailbox
import tempfile
from email.header import Header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.exchanges.result import ROW_COLUMNS, SKIPPED_COLUMNS, ParsedExport
from ementor_kit.i18n.language import N_

__all__ = ["parse_email", "looks_like_mbox"]

_PARSER = BytesHeaderParser(policy=compat32)


def looks_like_mbox(head: bytes) -> bool:
    """Whether a file starts like an ``mbox`` (a ``From`` separator line).

    Parameters
    ----------
    head : bytes
        The first bytes of the file.

    Returns
    -------
    bool
        True for an mbox.

    Examples
    --------
    >>> looks_like_mbox(b"From MAILER-DAEMON Thu Sep 10 12:00:00 2026\\n")
    True
    """
    return head.removeprefix(codecs.BOM_UTF8).startswith(b"From ")


def _messages(path: Path) -> list[tuple[str, int, bytes]]:
    """``(file, line, header bytes)`` of every message: mbox position or ``.eml`` file."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.eml") if p.is_file())
        return [(p.relative_to(path.parent).as_posix(), 1, _head(p.read_bytes())) for p in files]
    if path.suffix.lower() == ".eml":
        return [(path.name, 1, _head(path.read_bytes()))]
    with path.open("rb") as f:
        bom = f.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    if not bom:
        return _mbox_heads(path, path.name)
    # a UTF-8 byte-order mark hides the first 'From ' line from mailbox.mbox: read a copy
    # without it (the first message would be lost otherwise)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(path.read_bytes()[len(codecs.BOM_UTF8) :])
        return _mbox_heads(copy, path.name)


def _mbox_heads(path: Path, name: str) -> list[tuple[str, int, bytes]]:
    box = mailbox.mbox(path, create=False)
    try:
        return [(name, i + 1, _head(box.get_bytes(key))) for i, key in enumerate(box.keys())]
    finally:
        box.close()


def _text(value: str | Header | None) -> tuple[str, bool]:
    """A header's text, and whether it held bytes that are not ASCII.

    ``compat32`` gives such a header as an :class:`email.header.Header`; its text is taken
    with each undecodable byte as U+FFFD (the message is kept and the decision reported).
    """
    if value is None:
        return "", False
    if isinstance(value, Header):
        return str(value), True
    return value, False


def _head(raw: bytes) -> bytes:
    """The header block of a message (the body is cut off unread)."""
    raw = raw.replace(b"\r\n", b"\n")
    end = raw.find(b"\n\n")
    return raw if end < 0 else raw[: end + 1]


def parse_email(path: str | Path) -> list[ParsedExport]:
    """Read an ``mbox`` file, one ``.eml`` file or a folder of ``.eml`` files (headers only).

    Parameters
    ----------
    path : str or Path
        The mailbox, message or folder.

    Returns
    -------
    list of ParsedExport
        One, timestamps with their offset, ``thread`` set.

    Raises
    ------
    DataValidationError
        When the file is not a mailbox.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> box = pathlib.Path(tempfile.mkdtemp()) / "mentor.mbox"
    >>> _ = box.write_text(
    ...     "From x Sat Sep 12 14:03:00 2026\\nFrom: Hugo J. <h@example.org>\\nTo: e@example.org"
    ...     "\\nDate: Sat, 12 Sep 2026 14:03:00 +0200\\nMessage-ID: <1@x>\\n\\nBody\\n")
    >>> parsed, = parse_email(box)
    >>> parsed.rows[["sender", "recipient"]].values.tolist()
    [['Hugo J. <h@example.org>', 'e@example.org']]
    """
    path = Path(path)
    rows: list[dict[str, object]] = []
    skipped: list[tuple[str, int, str]] = []
    parent: dict[int, str | None] = {}
    seen: dict[str, int] = {}
    damaged: list[int] = []
    heads = _messages(path)
    for n, (file, line, raw) in enumerate(heads):
        h = _PARSER.parsebytes(raw)
        fields = {k: _text(h.get(k)) for k in ("Message-ID", "Date", "References", "In-Reply-To")}
        if any(bad for _, bad in fields.values()):
            damaged.append(line)
        mid = fields["Message-ID"][0].strip()
        if mid and mid in seen:
            skipped.append((file, line, "duplicate (same Message-ID as an earlier message)"))
            continue
        seen[mid or f"#{n}"] = n
        when = _date(fields["Date"][0])
        senders = [_alias(name, addr) for name, addr in getaddresses(h.get_all("From", []))]
        to = [_alias(a, b) for a, b in getaddresses(h.get_all("To", []) + h.get_all("Cc", []))]
        to = [t for t in dict.fromkeys(to) if t]
        if when is None:
            skipped.append((file, line, "no usable Date header (date with its offset)"))
            continue
        if not senders or not senders[0]:
            skipped.append((file, line, "no From header"))
            continue
        refs = fields["References"][0].split()
        reply = fields["In-Reply-To"][0].strip() or (refs[-1] if refs else None)
        parent[n] = reply
        base = {"file": file, "message": n, "line": line, "timestamp": when, "sender": senders[0]}
        targets: list[str | None] = list(to) or [None]
        for t in targets:
            rows.append(base | {"recipient": t, "no_recipient": None if t else "no To or Cc"})
    if not heads:
        raise DataValidationError(
            [
                Problem(
                    path.name,
                    None,
                    (),
                    N_("no message found"),
                    N_("export the mailbox as mbox or .eml"),
                )
            ]
        )
    columns = ["file", "message", "line", "timestamp", "sender", "recipient", "no_recipient"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["thread"] = frame["message"].map(_roots(parent, seen))
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame = frame.assign(duration_minutes=np.nan, session=None, channel=None)[list(ROW_COLUMNS)]
    skip = pd.DataFrame(skipped, columns=list(SKIPPED_COLUMNS))
    notes = [
        f"{path.name}: e-mail, {len(heads)} messages (headers only; bodies never read), "
        f"{frame['thread'].nunique()} threads"
    ]
    if damaged:
        notes.append(
            f"{path.name}: {len(damaged)} message(s) (number {', '.join(map(str, damaged[:10]))}"
            f"{', ...' if len(damaged) > 10 else ''}) with bytes that are not ASCII in "
            "Message-ID, Date, References or In-Reply-To: read with each such byte as U+FFFD "
            "(a Date no longer readable skips its message with its reason)"
        )
    return [ParsedExport(path.name, "email", "email", frame, skip, len(heads), False, notes=notes)]


def _alias(name: str, address: str) -> str:
    name, address = name.strip(), address.strip()
    if name and address:
        return f"{name} <{address}>"
    return address or name


def _date(value: str | None) -> pd.Timestamp | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return None if when.tzinfo is None else pd.Timestamp(when)


def _roots(parent: dict[int, str | None], ids: dict[str, int]) -> dict[int, str]:
    """Message number -> key of the first message of its thread (followed through the ids)."""
    roots: dict[int, str] = {}
    for n in parent:
        chain = [n]
        key = f"#{n}"
        while True:
            reply = parent.get(chain[-1])
            if reply is None:
                break
            m = ids.get(reply)
            if m is None or m in chain:
                key = f"<{reply}>"  # the first message was not in the export
                break
            chain.append(m)
            key = f"#{m}"
        roots[n] = key
    return roots
