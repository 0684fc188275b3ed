"""Synthetic exports written from an exchange log: test fixtures, round trips, benchmarks.

The exports look like the tools' own: a WhatsApp chat in one of the phone layouts (with a
system line, multi-line messages, media placeholders and bodies holding a phone number, all
of which an import must drop), an ``mbox`` with a reply chain, a Zoom participant report with
its meeting header. People are written by the names given (a person's display name).
"""

from __future__ import annotations

import mailbox
from collections.abc import Mapping
from email.message import Message
from email.utils import format_datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit.errors import InvalidArgumentError

__all__ = ["LAYOUTS", "write_mbox_export", "write_whatsapp_export", "write_zoom_report"]

LAYOUTS = {
    "android_fr": ("%d/%m/%Y %H:%M", "{when} - {name} : {body}"),
    "android_en": ("%d/%m/%Y, %H:%M", "{when} - {name}: {body}"),
    "iphone": ("%d/%m/%Y, %H:%M:%S", "[{when}] {name}: {body}"),
    "iphone_us": ("%m/%d/%y, %I:%M:%S\u202f%p", "[{when}] {name}: {body}"),
}
"""Layout name -> (``strftime`` of the time stamp, line template)."""
_SYSTEM = {
    "android_fr": "{when} - Les messages et les appels sont chiffrés de bout en bout.",
    "android_en": "{when} - Messages and calls are end-to-end encrypted.",
    "iphone": "[{when}] {name}: \u200eMessages and calls are end-to-end encrypted.",
    "iphone_us": "[{when}] {name}: \u200eMessages and calls are end-to-end encrypted.",
}
BODY_SECRET = "Appelle-moi au 06 98 76 54 32"
"""Text every generated chat holds in its bodies (an import must never output it)."""


def write_whatsapp_export(
    log: pd.DataFrame,
    names: Mapping[str, str],
    path: str | Path,
    *,
    layout: str = "android_fr",
    timezone: str = "Europe/Paris",
    media_every: int = 0,
) -> Path:
    """Write the exchanges of a log as a WhatsApp chat export.

    Parameters
    ----------
    log : DataFrame
        Exchanges (``timestamp`` tz-aware, ``sender_id``), in any order (written sorted).
    names : mapping of str to str
        Person id -> the name the chat shows.
    path : str or Path
        File to write (``.txt``).
    layout : str
        One of :data:`LAYOUTS`.
    timezone : str
        Zone of the phone (local times are written, without offset).
    media_every : int
        When above 0, a media placeholder is added after every ``media_every``-th message.

    Returns
    -------
    Path
        The file written: a system line, then one message per exchange (every fifth on
        two lines, bodies holding :data:`BODY_SECRET`).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> log = pd.DataFrame({"timestamp": pd.to_datetime(["2026-09-12T12:03:27Z"]),
    ...                     "sender_id": ["M001"]})
    >>> out = write_whatsapp_export(log, {"M001": "Hugo J."},
    ...                             pathlib.Path(tempfile.mkdtemp()) / "chat.txt")
    >>> out.read_text(encoding="utf-8").splitlines()[1]
    '12/09/2026 14:03 - Hugo J. : Appelle-moi au 06 98 76 54 32 (1)'
    """
    if layout not in LAYOUTS:
        raise InvalidArgumentError("layout", layout, f"use one of {', '.join(LAYOUTS)}")
    stamp = LAYOUTS[layout][0]
    log = log.sort_values("timestamp", kind="stable")
    local = pd.to_datetime(log["timestamp"], utc=True).dt.tz_convert(timezone)
    when = local.dt.strftime(stamp)
    if layout == "iphone_us":  # no leading zero on the month and day, as the phone writes
        when = when.str.replace(r"^0", "", regex=True).str.replace(r"/0", "/", regex=True)
    who = log["sender_id"].map(names)
    n = np.arange(1, len(log) + 1).astype(str)
    body = BODY_SECRET + " (" + pd.Series(n, index=log.index) + ")"
    second = np.arange(len(log)) % 5 == 4
    body = body.where(~second, body + "\nsuite du message ?")
    lines = _lines(layout, when, who, body)
    if media_every > 0:
        media = "<Médias omis>" if layout == "android_fr" else "<Media omitted>"
        pick = np.arange(len(log)) % media_every == media_every - 1
        lines = lines.where(~pick, lines + "\n" + _lines(layout, when, who, media))
    first = _SYSTEM[layout].format(when=when.iloc[0] if len(when) else "", name=who.iloc[0])
    path = Path(path)
    path.write_text("\n".join([first, *lines.tolist()]) + "\n", encoding="utf-8")
    return path


def _lines(layout: str, when: pd.Series, who: pd.Series, body: pd.Series | str) -> pd.Series:
    if layout.startswith("iphone"):
        return "[" + when + "] " + who + ": " + body
    return when + " - " + who + (" : " if layout == "android_fr" else ": ") + body


def write_mbox_export(messages: pd.DataFrame, path: str | Path) -> Path:
    """Write e-mails as an ``mbox`` file (a body holding :data:`BODY_SECRET` each).

    Parameters
    ----------
    messages : DataFrame
        One row per message: ``sender``, ``to`` (addresses, ``;`` between several),
        ``timestamp`` (tz-aware), ``message_id``, ``in_reply_to`` (empty for none).
    path : str or Path
        File to write.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> msgs = pd.DataFrame({"sender": ["Hugo J. <h@example.org>"], "to": ["m@example.org"],
    ...                      "timestamp": pd.to_datetime(["2026-09-12T12:03:00Z"]),
    ...                      "message_id": ["<1@example.org>"], "in_reply_to": [""]})
    >>> out = write_mbox_export(msgs, pathlib.Path(tempfile.mkdtemp()) / "box.mbox")
    >>> len(mailbox.mbox(out))
    1
    """
    path = Path(path)
    box = mailbox.mbox(path)
    try:
        for row in messages.itertuples(index=False):
            msg = Message()
            msg["From"] = row.sender
            msg["To"] = ", ".join(str(row.to).split(";"))
            msg["Subject"] = "Point de suivi"
            msg["Date"] = format_datetime(pd.Timestamp(row.timestamp).to_pydatetime())
            msg["Message-ID"] = row.message_id
            if row.in_reply_to:
                msg["In-Reply-To"] = row.in_reply_to
                msg["References"] = row.in_reply_to
            msg.set_payload(f"Bonjour,\n{BODY_SECRET}\n", charset="utf-8")
            box.add(msg)
        box.flush()
    finally:
        box.close()
    return path


def write_zoom_report(
    attendees: pd.DataFrame, path: str | Path, *, host: str = "", timezone: str = "Europe/Paris"
) -> Path:
    """Write a Zoom participant report (meeting header, then one row per attendance).

    Parameters
    ----------
    attendees : DataFrame
        ``name``, ``email`` (may be empty), ``join`` and ``leave`` (tz-aware): one row per
        stay in the meeting (a rejoin is a second row).
    path : str or Path
        File to write.
    host : str
        The host's e-mail address (the meeting header's ``User Email``).
    timezone : str
        Zone of the Zoom account (local times are written, without offset).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> people = pd.DataFrame({"name": ["Hugo J."], "email": [""],
    ...                        "join": pd.to_datetime(["2026-09-12T16:00:00Z"]),
    ...                        "leave": pd.to_datetime(["2026-09-12T17:00:00Z"])})
    >>> out = write_zoom_report(people, pathlib.Path(tempfile.mkdtemp()) / "zoom.csv")
    >>> out.read_text().splitlines()[4]
    'Hugo J.,,09/12/2026 06:00:00 PM,09/12/2026 07:00:00 PM,60,No'
    """
    fmt = "%m/%d/%Y %I:%M:%S %p"
    join = pd.to_datetime(attendees["join"], utc=True).dt.tz_convert(timezone)
    leave = pd.to_datetime(attendees["leave"], utc=True).dt.tz_convert(timezone)
    minutes = ((leave - join).dt.total_seconds() / 60).round().astype(int)
    start, end = join.min(), leave.max()
    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
        f"812 3456 7890,Mentorat,{start.strftime(fmt)},{end.strftime(fmt)},{host},"
        f"{round((end - start).total_seconds() / 60)},{attendees['name'].nunique()}",
        "",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
    ]
    for name, email, j, lv, m in zip(
        attendees["name"], attendees["email"], join, leave, minutes, strict=True
    ):
        lines.append(f"{name},{email},{j.strftime(fmt)},{lv.strftime(fmt)},{m},No")
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
