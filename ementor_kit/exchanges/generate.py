"""Synthetic exports written from an exchange log: test fixtures, round trips, benchmarks.

The exports look like the tools' own: a WhatsApp chat in one of the phone layouts (with a
system line, multi-line messages, media placeholders and bodies holding a phone number, all
of which an import must drop), an ``mbox`` with a reply chain, a Zoom participant report with
its meeting header, a Slack workspace export (users.json, DMs, a channel of system
messages), a Teams attendance report (UTF-16, tab-separated, English or French headers) and
Teams chat messages in the Microsoft Graph format. People are written by the names given (a
person's display name).
"""

from __future__ import annotations

import json
import mailbox
import uuid
import zipfile
from collections.abc import Mapping
from email.message import Message
from email.utils import format_datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit.errors import InvalidArgumentError
from ementor_kit.i18n.language import N_

__all__ = [
    "LAYOUTS",
    "write_mbox_export",
    "write_slack_export",
    "write_teams_attendance_report",
    "teams_user_id",
    "write_teams_chat_export",
    "write_whatsapp_export",
    "write_zoom_report",
]

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
        raise InvalidArgumentError(
            "layout", layout, N_("use one of {LAYOUTS}").format(LAYOUTS=", ".join(LAYOUTS))
        )
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


def _slack_ts(stamp: pd.Timestamp) -> str:
    ns = pd.Timestamp(stamp).value
    return f"{ns // 10**9}.{(ns % 10**9) // 1000:06d}"


def _slack_users(
    ids: list[str], names: Mapping[str, str], emails: Mapping[str, str]
) -> list[dict[str, object]]:
    """users.json: every third person has no real name (found by the display name)."""
    users: list[dict[str, object]] = []
    for i, pid in enumerate(ids):
        handle = "".join(c for c in names[pid].lower() if c.isalnum()) or f"user{i}"
        real = "" if i % 3 == 2 else names[pid]
        profile: dict[str, object] = {
            "real_name": real,
            "display_name": names[pid] if i % 3 == 2 else names[pid].split()[0],
            "email": emails.get(pid, f"{handle}.{i}@example.org"),
            "phone": "+33 6 98 76 54 32",
        }
        users.append({"id": f"U{i + 1:05d}", "name": handle, "real_name": real, "profile": profile})
    users.append(
        {
            "id": "USLACKBOT",
            "name": "slackbot",
            "real_name": "Slackbot",
            "is_bot": True,
            "profile": {"real_name": "Slackbot"},
        }
    )
    return users


def write_slack_export(
    log: pd.DataFrame,
    names: Mapping[str, str],
    path: str | Path,
    *,
    emails: Mapping[str, str] | None = None,
    system: bool = True,
) -> Path:
    """Write the exchanges of a log as a Slack workspace export (a folder, or a ``.zip``).

    Parameters
    ----------
    log : DataFrame
        Exchanges (``timestamp`` tz-aware, ``sender_id``, ``recipient_id``): each pair of
        people writing to each other becomes a DM.
    names : mapping of str to str
        Person id -> the name Slack shows (``real_name``; every third person has only a
        ``display_name``).
    path : str or Path
        Folder to write, or a ``.zip`` file (holding one top folder, as Slack's download).
    emails : mapping of str to str, optional
        Person id -> ``profile.email``; by default made-up addresses no programme declares.
    system : bool
        Add a ``general`` channel holding only system messages: a ``channel_join`` for every
        person and one ``bot_message`` (none of them an exchange).

    Returns
    -------
    Path
        The folder or zip written. Every message text holds :data:`BODY_SECRET`; every
        fifth message has a file, every fourth answers the one before it in a thread.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> log = pd.DataFrame({"timestamp": pd.to_datetime(["2026-09-12T12:03:27Z"]),
    ...                     "sender_id": ["M001"], "recipient_id": ["E001"]})
    >>> out = write_slack_export(log, {"M001": "Hugo J.", "E001": "Mateo P."},
    ...                          pathlib.Path(tempfile.mkdtemp()) / "slack")
    >>> sorted(p.name for p in out.iterdir())
    ['D00001', 'channels.json', 'dms.json', 'general', 'users.json']
    """
    log = log.sort_values("timestamp", kind="stable")
    ids = sorted(set(log["sender_id"]) | set(log["recipient_id"]))
    users = _slack_users(ids, names, emails or {})
    uid = {pid: u["id"] for pid, u in zip(ids, users, strict=False)}
    files: dict[str, object] = {"users.json": users}
    pair = [tuple(sorted(p)) for p in zip(log["sender_id"], log["recipient_id"], strict=True)]
    dm_of = {p: f"D{i + 1:05d}" for i, p in enumerate(dict.fromkeys(pair))}
    files["dms.json"] = [
        {"id": d, "created": 1788000000, "members": [uid[p[0]], uid[p[1]]]}
        for p, d in dm_of.items()
    ]
    days: dict[str, list[dict]] = {}
    last: dict[str, dict] = {}
    replies: dict[str, int] = {}  # replies to the DM's last parent
    stamps = pd.to_datetime(log["timestamp"], utc=True)
    for n, (when, sender, key) in enumerate(zip(stamps, log["sender_id"], pair, strict=True)):
        dm = dm_of[key]
        msg: dict[str, object] = {
            "type": "message",
            "user": uid[sender],
            "text": f"{BODY_SECRET} ({n + 1})" + (" ?" if n % 3 == 0 else ""),
            "ts": _slack_ts(when),
            "team": "T00001",
        }
        if n % 5 == 4:
            msg["subtype"] = "file_share"
            msg["files"] = [{"id": f"F{n:06d}", "name": "cv.pdf", "mimetype": "application/pdf"}]
        parent = last.get(dm)
        if n % 4 == 3 and parent is not None:
            parent.setdefault("thread_ts", parent["ts"])
            replies[dm] = replies.get(dm, 0) + 1
            parent["reply_count"] = replies[dm]
            msg["thread_ts"] = parent["thread_ts"]
            msg["parent_user_id"] = parent["user"]
        else:
            last[dm] = msg
            replies[dm] = 0
        days.setdefault(f"{dm}/{when.strftime('%Y-%m-%d')}.json", []).append(msg)
    if system:
        first = stamps.min() if len(stamps) else pd.Timestamp("2026-09-01", tz="UTC")
        day = f"general/{first.strftime('%Y-%m-%d')}.json"
        joins = [
            {
                "type": "message",
                "subtype": "channel_join",
                "user": u,
                "text": f"<@{u}> a rejoint",
                "ts": _slack_ts(first - pd.Timedelta(seconds=60 - i)),
            }
            for i, u in enumerate(uid.values())
        ]
        bot = {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B00001",
            "username": "Rappels",
            "text": BODY_SECRET,
            "ts": _slack_ts(first),
        }
        days[day] = [*joins, bot]
        files["channels.json"] = [
            {"id": "C00001", "name": "general", "members": [*uid.values(), "USLACKBOT"]}
        ]
    files.update(days)
    return _write_tree(files, Path(path))


def _write_tree(files: Mapping[str, object], path: Path) -> Path:
    blobs = {name: json.dumps(data, ensure_ascii=False, indent=1) for name, data in files.items()}
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in blobs.items():
                archive.writestr(f"{path.stem}/{name}", text)
        return path
    for name, text in blobs.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return path


_TEAMS_HEADERS = {
    "en": (
        (
            "1. Summary",
            "Meeting title",
            "Attended participants",
            "Start time",
            "End time",
            "Meeting duration",
            "2. Participants",
            "3. In-Meeting Activities",
        ),
        (
            "Name",
            "First Join",
            "Last Leave",
            "In-Meeting Duration",
            "Email",
            "Participant ID (UPN)",
            "Role",
        ),
        ("Name", "Join Time", "Leave Time", "Duration", "Email", "Role"),
        ("Organizer", "Attendee"),
    ),
    "fr": (
        (
            "1. Résumé",
            "Titre de la réunion",
            "Participants",
            "Heure de début",
            "Heure de fin",
            "Durée de la réunion",
            "2. Participants",
            "3. Activités de la réunion",
        ),
        (
            "Nom",
            "Première participation",
            "Dernier départ",
            "Durée de la réunion",
            "E-mail",
            "ID de participant (UPN)",
            "Rôle",
        ),
        ("Nom", "Heure de participation", "Heure de départ", "Durée", "E-mail", "Rôle"),
        ("Organisateur", "Participant"),
    ),
}


def _teams_duration(seconds: float, language: str) -> str:
    s = int(round(seconds))
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    units = ("h", "m", "s") if language == "en" else (" h", " min", " s")
    parts = [f"{v}{u}" for v, u in zip((h, m, sec), units, strict=True) if v]
    return " ".join(parts) or f"0{units[2]}"


def _teams_time(stamp: pd.Timestamp, language: str) -> str:
    if language == "fr":
        return stamp.strftime("%d/%m/%Y %H:%M:%S")
    hour = stamp.hour % 12 or 12
    return f"{stamp.month}/{stamp.day}/{stamp.strftime('%y')}, {hour}:{stamp.strftime('%M:%S %p')}"


def write_teams_attendance_report(
    attendees: pd.DataFrame,
    path: str | Path,
    *,
    organizer: str = "",
    language: str = "en",
    timezone: str = "Europe/Paris",
) -> Path:
    """Write a Teams meeting attendance report (UTF-16, tab-separated, three blocks).

    Parameters
    ----------
    attendees : DataFrame
        ``name``, ``email`` (may be empty), ``join`` and ``leave`` (tz-aware): one row per
        stay in the meeting (a rejoin is a second row; the participant block adds them up).
    path : str or Path
        File to write.
    organizer : str
        The name of the attendee whose role is ``Organizer``.
    language : {"en", "fr"}
        Headers and date layout: English (US dates ``9/12/26, 6:00:05 PM``) or French
        (``12/09/2026 18:00:05``).
    timezone : str
        Zone of the downloading user (local times are written, without offset).

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
    >>> out = write_teams_attendance_report(
    ...     people, pathlib.Path(tempfile.mkdtemp()) / "report.csv", organizer="Hugo J.")
    >>> out.read_bytes().decode("utf-16").splitlines()[9]
    'Hugo J.\\t9/12/26, 6:00:00 PM\\t9/12/26, 7:00:00 PM\\t1h\\t\\t\\tOrganizer'
    """
    if language not in _TEAMS_HEADERS:
        raise InvalidArgumentError("language", language, N_("use 'en' or 'fr'"))
    summary, head, activity, roles = _TEAMS_HEADERS[language]
    join = pd.to_datetime(attendees["join"], utc=True).dt.tz_convert(timezone)
    leave = pd.to_datetime(attendees["leave"], utc=True).dt.tz_convert(timezone)
    stays = pd.DataFrame(
        {
            "name": attendees["name"].astype(str).to_numpy(),
            "email": attendees["email"].fillna("").astype(str).to_numpy(),
            "join": join.reset_index(drop=True),
            "leave": leave.reset_index(drop=True),
        }
    )
    stays["seconds"] = (stays["leave"] - stays["join"]).dt.total_seconds()
    per = stays.groupby("name", sort=False).agg(
        email=("email", "first"),
        join=("join", "min"),
        leave=("leave", "max"),
        seconds=("seconds", "sum"),
    )
    start, end = join.min(), leave.max()

    def t(x: object) -> str:
        return _teams_time(pd.Timestamp(x), language)

    lines = [
        summary[0],
        f"{summary[1]}\tMentorat",
        f"{summary[2]}\t{len(per)}",
        f"{summary[3]}\t{_teams_time(start, language)}",
        f"{summary[4]}\t{_teams_time(end, language)}",
        f"{summary[5]}\t{_teams_duration((end - start).total_seconds(), language)}",
        "",
        summary[6],
        "\t".join(head),
    ]
    for name, row in per.iterrows():
        role = roles[0] if name == organizer else roles[1]
        lines.append(
            "\t".join(
                [
                    str(name),
                    t(row["join"]),
                    t(row["leave"]),
                    _teams_duration(row["seconds"], language),
                    row["email"],
                    row["email"],
                    role,
                ]
            )
        )
    lines += ["", summary[7], "\t".join(activity)]
    for row in stays.itertuples(index=False):
        role = roles[0] if row.name == organizer else roles[1]
        lines.append(
            "\t".join(
                [
                    str(row.name),
                    t(row.join),
                    t(row.leave),
                    _teams_duration(row.seconds, language),
                    row.email,
                    role,
                ]
            )
        )
    path = Path(path)
    path.write_bytes(b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    return path


_TEAMS_SPACE = uuid.UUID("6f1c7a52-3c59-4d7e-9a43-7d3c1e0a2b10")


def teams_user_id(person_id: str) -> str:
    """The Entra object id :func:`write_teams_chat_export` gives a person (for alias tables).

    Parameters
    ----------
    person_id : str
        The programme's id of the person.

    Returns
    -------
    str
        A GUID, the same for the same person on every run.

    Examples
    --------
    >>> len(teams_user_id("M001")), teams_user_id("M001") == teams_user_id("M001")
    (36, True)
    """
    return str(uuid.uuid5(_TEAMS_SPACE, person_id))


def write_teams_chat_export(
    log: pd.DataFrame, names: Mapping[str, str], path: str | Path, *, pages: int = 1
) -> Path:
    """Write the exchanges of a log as Microsoft Graph ``chatMessage`` JSON.

    Parameters
    ----------
    log : DataFrame
        Exchanges (``timestamp`` tz-aware, ``sender_id``, ``recipient_id``): each pair of
        people becomes a one-on-one chat (``chatId``), opened by a ``systemEventMessage``
        adding both members.
    names : mapping of str to str
        Person id -> ``displayName``.
    path : str or Path
        File to write (``.json``).
    pages : int
        1: one Graph page ``{"@odata.context": ..., "value": [...]}``; more: a list of that
        many pages linked by ``@odata.nextLink``.

    Returns
    -------
    Path
        The file written. Every body holds :data:`BODY_SECRET` (HTML); every fifth message
        has an attachment, every fourth replies to the one before it (``replyToId``).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, json
    >>> log = pd.DataFrame({"timestamp": pd.to_datetime(["2026-09-12T12:03:27Z"]),
    ...                     "sender_id": ["M001"], "recipient_id": ["E001"]})
    >>> out = write_teams_chat_export(log, {"M001": "Hugo J.", "E001": "Mateo P."},
    ...                               pathlib.Path(tempfile.mkdtemp()) / "chat.json")
    >>> [m["messageType"] for m in json.loads(out.read_text())["value"]]
    ['systemEventMessage', 'message']
    """
    if not isinstance(pages, int) or pages < 1:
        raise InvalidArgumentError("pages", pages, N_("pass a whole number of pages, 1 or more"))
    log = log.sort_values("timestamp", kind="stable")
    space = _TEAMS_SPACE

    def user(pid: str) -> dict[str, str]:
        return {
            "id": teams_user_id(pid),
            "displayName": names[pid],
            "userIdentityType": "aadUser",
        }

    messages: list[dict[str, object]] = []
    opened: set[tuple[str, ...]] = set()
    last: dict[str, str] = {}
    stamps = pd.to_datetime(log["timestamp"], utc=True)
    for n, (when, sender, recipient) in enumerate(
        zip(stamps, log["sender_id"], log["recipient_id"], strict=True)
    ):
        pair = tuple(sorted((sender, recipient)))
        chat = f"19:{uuid.uuid5(space, '|'.join(pair)).hex}@unq.gbl.spaces"
        iso = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
        if pair not in opened:
            opened.add(pair)
            messages.append(
                {
                    "id": f"{n}0",
                    "chatId": chat,
                    "messageType": "systemEventMessage",
                    "createdDateTime": iso,
                    "from": None,
                    "body": {"content": "<systemEventMessage/>"},
                    "eventDetail": {
                        "@odata.type": "#microsoft.graph.membersAddedEventMessageDetail",
                        "members": [user(p) for p in pair],
                    },
                }
            )
        msg: dict[str, object] = {
            "id": f"{n + 1}",
            "chatId": chat,
            "messageType": "message",
            "createdDateTime": iso,
            "lastModifiedDateTime": iso,
            "deletedDateTime": None,
            "from": {"application": None, "device": None, "user": user(sender)},
            "body": {"contentType": "html", "content": f"<p>{BODY_SECRET} ({n + 1})</p>"},
            "attachments": [{"id": f"a{n}", "contentType": "reference", "name": "cv.pdf"}]
            if n % 5 == 4
            else [],
        }
        if n % 4 == 3 and chat in last:
            msg["replyToId"] = last[chat]
        last[chat] = str(msg["id"])
        messages.append(msg)
    context = "https://graph.microsoft.com/v1.0/$metadata#chats('...')/messages"
    size = -(-len(messages) // pages) if messages else 0
    chunks = [messages[i * size : (i + 1) * size] for i in range(pages)] if size else [[]]
    paged = [
        {"@odata.context": context, "@odata.count": len(c), "value": c}
        | ({"@odata.nextLink": f"{context}?$skiptoken={i + 1}"} if i + 1 < len(chunks) else {})
        for i, c in enumerate(chunks)
    ]
    path = Path(path)
    data = paged[0] if pages == 1 else paged
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
