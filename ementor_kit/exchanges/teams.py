"""Microsoft Teams: meeting attendance reports (CSV) and chat messages (Microsoft Graph JSON).

**Attendance reports** (Meeting > Attendance > Download, the layout of 2022 onwards), UTF-16
little-endian with a byte-order mark and tab-separated in most tenants (UTF-8 and commas are
read too)::

    1. Summary
    Meeting title	Mentorat
    Attended participants	3
    Start time	9/12/26, 6:00:05 PM
    ...
    2. Participants
    Name	First Join	Last Leave	In-Meeting Duration	Email	Participant ID (UPN)	Role
    Hugo J.	9/12/26, 6:00:05 PM	9/12/26, 7:02:10 PM	1h 2m 5s	h@x.org	h@x.org	Organizer
    ...
    3. In-Meeting Activities
    Name	Join Time	Leave Time	Duration	Email	Role
    ...

French tenants write ``1. Résumé`` / ``2. Participants`` and ``Nom``, ``Première
participation``, ``Dernier départ``, ``Durée de la réunion``, ``E-mail``, ``ID de
participant (UPN)``, ``Rôle``; the 2021 layout (``Meeting Summary``, then ``Full Name``,
``Join Time``, ``Leave Time``, ``Duration``, ``Email``, ``Role``, ``Participant ID (UPN)``)
is read the same way. The participant block (one row per attendee, minutes already added up)
is read; the activity block (one row per join) is not. As for Zoom
(:mod:`~ementor_kit.exchanges.meetings`), the meeting gives one ``video`` exchange from its
leader (the ``Organizer`` when a person of the programme, else the one mentor attending) to
every other attendee, timed at the first join, lasting the attendee's in-meeting duration;
two or more make a group session. Times are local, without offset (``timezone=``); the order
of day and month comes from the dates (a part above 12), from French headers (day first) or
from ``dayfirst=``, and is refused when none tells it (``9/12/26`` is 12 September in
Australia and 9 December in the US). Not read: the 2020 layout (``Full Name``, ``User
Action``, ``Timestamp``: one row per join or leave), webinar registration reports, Excel
(``.xlsx``) downloads (save them as CSV).

**Chat messages**: the documented Microsoft Graph ``chatMessage`` resource
(``GET /chats/{id}/messages``, ``/teams/{id}/channels/{id}/messages``, or a compliance
export of them), one file holding a JSON list of messages, a Graph page
``{"value": [...], "@odata.nextLink": ...}`` or a list of such pages. A message with
``messageType`` ``message``, not deleted (``deletedDateTime``), from a user
(``from.user``), is a ``chat`` exchange at ``createdDateTime`` (UTC) to every other person of
its conversation (``chatId``, else ``channelIdentity.channelId``): those who write in it and
those a ``membersAddedEventMessageDetail`` system event adds. System events, application
(bot) messages and deleted messages are counted and reported, never exchanges. A reply
(``replyToId``) and its parent share a thread. Senders are resolved by the user ``id`` (the Entra
object id, when an alias table maps it), else by ``displayName``. ``body.content`` is never
read; attachments are only counted. Not read: the HTML a user saves from the Teams client,
the Purview eDiscovery ``.msg``/PST exports, the Teams ``messages.json`` of a consumer
account's data download.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.exchanges.meetings import _attendance, _minutes, _with_address
from ementor_kit.exchanges.people import ContactBook
from ementor_kit.exchanges.result import ROW_COLUMNS, SKIPPED_COLUMNS, ParsedExport
from ementor_kit.exchanges.slack import best_alias, load_json
from ementor_kit.i18n.language import N_

__all__ = [
    "looks_like_teams_attendance",
    "looks_like_teams_chat",
    "parse_teams_attendance",
    "parse_teams_chat",
    "read_text",
]

_COLUMNS = {  # field -> headers (case and accents as written; compared case-folded)
    "name": ("name", "full name", "nom", "nom complet", "participant"),
    "join": ("first join", "join time", "première participation", "heure de participation"),
    "duration": (
        "in-meeting duration",
        "duration",
        "durée de la réunion",
        "durée dans la réunion",
        "durée",
    ),
    "email": ("email", "e-mail", "adresse e-mail", "courrier"),
    "upn": ("participant id (upn)", "id de participant (upn)", "id du participant (upn)"),
    "role": ("role", "rôle"),
}
_FRENCH = ("nom", "première participation", "durée de la réunion", "rôle", "dernier départ")
_ORGANIZER = ("organizer", "organisateur", "organisatrice")
_TIME = re.compile(
    r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4}))"
    r",?[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?\s*[Mm]?\.?\s*$"
)
_FIX_ATTENDANCE = N_(
    "download the attendance report again from Teams (the meeting's "
    "Attendance tab > Download) and pass the file unchanged"
)
_FIX_CHAT = N_(
    "pass the JSON that Microsoft Graph returns for /chats/{id}/messages "
    '(a list of chatMessage objects or {"value": [...]} pages), unchanged'
)
_OLD_LAYOUT = "user action"


def read_text(path: Path) -> str:
    """The text of an export in UTF-16 (with its byte-order mark, or found by its zero bytes)
    or UTF-8.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    str
        Its text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "report.csv"
    >>> _ = f.write_bytes("1. Summary\\n".encode("utf-16"))
    >>> read_text(f)
    '1. Summary\\n'
    """
    return decode(path.read_bytes())


def decode(raw: bytes) -> str:
    """Bytes of an export as text: UTF-16 when it has a byte-order mark or zero bytes.

    Parameters
    ----------
    raw : bytes
        The bytes (the whole file or its beginning).

    Returns
    -------
    str
        The text (undecodable bytes replaced).

    Examples
    --------
    >>> decode("Nom\\tRôle".encode("utf-16-le"))
    'Nom\\tRôle'
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    head = raw[:200]
    if head and head.count(b"\x00") * 4 >= len(head):
        odd = head[1::2].count(b"\x00") >= head[0::2].count(b"\x00")
        return raw[: len(raw) - len(raw) % 2].decode(
            "utf-16-le" if odd else "utf-16-be", errors="replace"
        )
    return raw.decode("utf-8-sig", errors="replace")


def looks_like_teams_attendance(text: str) -> bool:
    """Whether the beginning of a file is a Teams attendance report.

    Parameters
    ----------
    text : str
        The first lines, decoded (:func:`decode`).

    Returns
    -------
    bool
        True when a participant header of Teams is there (``First Join``, ``Participant ID
        (UPN)``, ``Première participation``...), or the 2020 layout's ``User Action``.

    Examples
    --------
    >>> looks_like_teams_attendance("1. Summary\\nMeeting title\\tX\\n")
    True
    >>> looks_like_teams_attendance("Name (Original Name),User Email,Join Time,Leave Time")
    False
    """
    low = text.casefold()
    return (
        "first join" in low
        or "première participation" in low
        or "(upn)" in low
        or bool(re.match(r"\s*(?:1\.\s*)?(?:meeting )?(?:summary|résumé)\s*$", low.split("\n")[0]))
        or ("full name" in low and _OLD_LAYOUT in low)
    )


def looks_like_teams_chat(text: str) -> bool:
    """Whether the beginning of a JSON file holds Microsoft Graph chat messages.

    Parameters
    ----------
    text : str
        The first characters.

    Returns
    -------
    bool
        True when ``createdDateTime`` appears with ``messageType``, ``chatId`` or Graph's
        ``@odata`` annotations.

    Examples
    --------
    >>> looks_like_teams_chat('{"value": [{"id": "1", "messageType": "message", '
    ...                       '"createdDateTime": "2026-09-12T12:03:00Z"}]}')
    True
    """
    return '"createdDateTime"' in text and any(
        k in text for k in ('"messageType"', '"chatId"', '"@odata', '"channelIdentity"')
    )


def _rows_of(text: str) -> list[list[str]]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tabbed = sum("\t" in line for line in lines[:40]) > 0
    return list(csv.reader(io.StringIO("\n".join(lines)), delimiter="\t" if tabbed else ","))


def _find(header: list[str], field: str) -> int | None:
    low = [h.strip().casefold() for h in header]
    for name in _COLUMNS[field]:
        if name in low:
            return low.index(name)
    return None


def parse_teams_attendance(path: str | Path, *, dayfirst: bool | None = None) -> list[ParsedExport]:
    """Read a Teams meeting attendance report (the participant block).

    Parameters
    ----------
    path : str or Path
        The downloaded CSV (UTF-16 or UTF-8, tabs or commas).
    dayfirst : bool, optional
        ``True`` when dates are ``DD/MM``; by default told by the dates or French headers.

    Returns
    -------
    list of ParsedExport
        One, one row per attendee, ``attendance`` set, timestamps naive.

    Raises
    ------
    DataValidationError
        No participant block, a missing column, a time or duration that cannot be read, an
        order of day and month that cannot be told (file, line and column named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> report = pathlib.Path(tempfile.mkdtemp()) / "Mentorat - Attendance report.csv"
    >>> _ = report.write_bytes((
    ...     "1. Résumé\\nTitre de la réunion\\tMentorat\\n\\n2. Participants\\n"
    ...     "Nom\\tPremière participation\\tDernier départ\\tDurée de la réunion\\tE-mail\\tRôle\\n"
    ...     "Hugo J.\\t12/09/2026 18:00:05\\t12/09/2026 19:00:05\\t1 h\\t\\tOrganisateur\\n"
    ...     "Mateo P.\\t12/09/2026 18:02:00\\t12/09/2026 19:00:00\\t58 min\\t\\tParticipant\\n"
    ... ).encode("utf-16"))
    >>> parsed, = parse_teams_attendance(report)
    >>> parsed.rows[["sender", "recipient", "duration_minutes"]].values.tolist()
    [['Hugo J.', 'Hugo J.', 60.0], ['Hugo J.', 'Mateo P.', 58.0]]
    """
    path = Path(path)
    rows = _rows_of(read_text(path))
    at = next(
        (
            i
            for i, r in enumerate(rows)
            if _find(r, "join") is not None and _find(r, "name") is not None
        ),
        None,
    )
    if at is None:
        old = any(_OLD_LAYOUT in [c.strip().casefold() for c in r] for r in rows[:20])
        raise DataValidationError(
            [
                Problem(
                    path.name,
                    None,
                    (),
                    N_(
                        "the 2020 Teams layout (one row per join or leave, 'User Action') is "
                        "not read"
                    )
                    if old
                    else N_("no participant block (Name, First Join, In-Meeting Duration columns)"),
                    _FIX_ATTENDANCE,
                )
            ]
        )
    header = rows[at]
    cols = {f: _find(header, f) for f in _COLUMNS}
    if cols["duration"] is None:
        raise DataValidationError(
            [Problem(path.name, "In-Meeting Duration", (), N_("column missing"), _FIX_ATTENDANCE)]
        )
    french = any(h.strip().casefold() in _FRENCH for h in header)
    lines, who, joins, minutes, roles = [], [], [], [], []
    for i, row in enumerate(rows[at + 1 :]):
        if not any(c.strip() for c in row) or len(row) < 2:
            break  # the block ends at its blank line (the activity block follows)
        cells = row + [""] * (len(header) - len(row))

        def cell(f: str, cells: list[str] = cells) -> str:
            j = cols[f]
            return cells[j].strip() if j is not None else ""

        lines.append(at + 2 + i)
        address = cell("email") or (cell("upn") if "@" in cell("upn") else "")
        who.append(_with_address(cell("name"), address))
        joins.append(cell("join"))
        minutes.append(_minutes(cell("duration")))
        roles.append(cell("role").casefold())
    stamps = _times(joins, path.name, lines, dayfirst, french, header[cols["join"] or 0])
    mins = np.array(minutes, dtype=float)
    if np.isnan(mins).any():
        bad = [ln for ln, m in zip(lines, mins, strict=True) if np.isnan(m)]
        raise DataValidationError(
            [
                Problem(
                    f"{path.name}, line{'s' if len(bad) > 1 else ''} "
                    + ", ".join(map(str, bad[:10])),
                    header[cols["duration"]].strip(),
                    (),
                    N_("duration that cannot be read (Teams writes '1h 2m 5s')"),
                    _FIX_ATTENDANCE,
                )
            ]
        )
    host = next((w for w, r in zip(who, roles, strict=True) if r in _ORGANIZER), None)
    frame = pd.DataFrame({"line": lines, "who": who, "join": stamps, "minutes": mins})
    parsed = _attendance(frame, path.name, "teams-attendance", host, len(lines))
    parsed.notes.append(
        f"{path.name}: Teams participant block read ({'French' if french else 'English'} "
        "headers); meeting title and activity block not read"
    )
    return [parsed]


def _times(
    values: list[str],
    file: str,
    lines: list[int],
    dayfirst: bool | None,
    french: bool,
    column: str,
) -> np.ndarray:
    """Naive times of ``9/12/26, 6:00:05 PM``, ``15/11/22, 09:30:17``, ``2026-09-12 18:00``."""
    parts = []
    for value, line in zip(values, lines, strict=True):
        m = _TIME.match(value)
        if m is None:
            raise DataValidationError(
                [
                    Problem(
                        f"{file}, line {line}",
                        column.strip(),
                        (),
                        N_("time that cannot be read ({value!r})").format(value=value),
                        _FIX_ATTENDANCE,
                    )
                ]
            )
        parts.append(m.groups())
    a = np.array([int(p[3] or 0) for p in parts])
    b = np.array([int(p[4] or 0) for p in parts])
    slashed = np.array([p[3] is not None for p in parts], dtype=bool)
    told = True if (a > 12).any() else False if (b > 12).any() else None
    if dayfirst is not None and told is not None and dayfirst != told:
        raise DataValidationError(
            [
                Problem(
                    file,
                    column.strip(),
                    (),
                    N_("dayfirst={dayfirst} contradicts the dates of the file").format(
                        dayfirst=dayfirst
                    ),
                    N_("pass dayfirst={told} or leave it out").format(told=told),
                )
            ]
        )
    order = dayfirst if dayfirst is not None else told if told is not None else french or None
    if order is None and slashed.any() and (a[slashed] != b[slashed]).any():
        raise DataValidationError(
            [
                Problem(
                    file,
                    column.strip(),
                    (),
                    N_("the order of day and month of {values!r} cannot be told").format(
                        values=values[0]
                    ),
                    N_(
                        "pass dayfirst=True (12/09 is 12 September: European and Australian "
                        "tenants) or dayfirst=False (9 December: US tenants); on the command "
                        "line --dayfirst or --monthfirst"
                    ),
                )
            ]
        )
    out = []
    for p in parts:
        if p[0] is not None:
            year, month, day = int(p[0]), int(p[1]), int(p[2])
        else:
            x, y, year = int(p[3]), int(p[4]), int(p[5])
            day, month = (x, y) if order in (True, None) else (y, x)
            year += 2000 if year < 100 else 0
        hour = int(p[6])
        if p[9]:
            hour = hour % 12 + (12 if p[9].lower() == "p" else 0)
        out.append((year, month, day, hour, int(p[7]), int(p[8] or 0)))
    frame = pd.DataFrame(out, columns=["year", "month", "day", "hour", "minute", "second"])
    stamps = pd.to_datetime(frame, errors="coerce") if len(frame) else pd.Series([], "M8[ns]")
    if stamps.isna().any():
        line = lines[int(np.flatnonzero(stamps.isna().to_numpy())[0])]
        raise DataValidationError(
            [
                Problem(
                    f"{file}, line {line}", column.strip(), (), N_("no such date"), _FIX_ATTENDANCE
                )
            ]
        )
    return stamps.to_numpy()


def parse_teams_chat(path: str | Path, book: ContactBook | None = None) -> list[ParsedExport]:
    """Read Microsoft Graph ``chatMessage`` JSON (a list, a ``value`` page, or pages).

    Parameters
    ----------
    path : str or Path
        The JSON file.
    book : ContactBook, optional
        The programme's contacts, to resolve a user by ``displayName`` or else by ``id``.

    Returns
    -------
    list of ParsedExport
        One for the file (its conversations told apart by ``chatId``), timestamps in UTC.

    Raises
    ------
    DataValidationError
        Invalid or cut JSON, no chat messages, a ``createdDateTime`` that cannot be read.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "chat.json"
    >>> msg = {"messageType": "message", "chatId": "19:a", "body": {"content": "Bonjour"}}
    >>> _ = f.write_text(json.dumps({"value": [
    ...     msg | {"id": "1", "createdDateTime": "2026-09-12T12:03:00Z",
    ...            "from": {"user": {"id": "u1", "displayName": "Hugo J."}}},
    ...     msg | {"id": "2", "createdDateTime": "2026-09-12T12:05:00Z", "replyToId": "1",
    ...            "from": {"user": {"id": "u2", "displayName": "Mateo P."}}}]}))
    >>> parsed, = parse_teams_chat(f)
    >>> parsed.rows[["sender", "recipient", "thread"]].values.tolist()
    [['Hugo J.', 'Mateo P.', '19:a:1'], ['Mateo P.', 'Hugo J.', '19:a:1']]
    """
    path = Path(path)
    file = path.name
    messages = _messages(load_json(path.read_bytes(), file, _FIX_CHAT), file)
    replied = {
        str(m.get("replyToId")) for m in messages if isinstance(m, dict) and m.get("replyToId")
    }
    skipped: list[tuple[str, int, str]] = []
    kept: list[tuple[int, object, str, str, str | None]] = []  # line, time, chat, key, thread
    people: dict[str, dict[str, str]] = {}  # chat -> user key -> name
    attachments = 0
    for i, m in enumerate(messages, start=1):
        if not isinstance(m, dict):
            skipped.append((file, i, "not a message (no JSON object)"))
            continue
        conv = str(m.get("chatId") or _channel(m) or file)
        members = people.setdefault(conv, {})
        kind = str(m.get("messageType") or "message")
        if kind != "message":
            for key, name in _added(m):
                members.setdefault(key, name)
            skipped.append((file, i, f"Teams system event ({kind})"))
            continue
        if m.get("deletedDateTime"):
            skipped.append((file, i, "deleted message"))
            continue
        sender: dict = m["from"] if isinstance(m.get("from"), dict) else {}
        user = sender["user"] if isinstance(sender.get("user"), dict) else None
        if user is None:
            app = sender.get("application") or sender.get("device")
            skipped.append((file, i, "application (bot) message" if app else "no sender"))
            continue
        key, name = _person(user)
        members.setdefault(key, name)
        root = m.get("replyToId") or (m.get("id") if str(m.get("id")) in replied else None)
        attachments += bool(m.get("attachments"))
        kept.append((i, m.get("createdDateTime"), conv, key, f"{conv}:{root}" if root else None))
    names = {k: n for members in people.values() for k, n in members.items()}
    alias = {
        k: best_alias([k.removeprefix("id:"), n], n, book) if k.startswith("id:") else n
        for k, n in names.items()
    }
    rows = _chat_rows(file, kept, people, alias)
    note = (
        f"{file}: Teams chat messages (Microsoft Graph), {len(people)} conversation(s), "
        f"{len(messages)} messages, {attachments} with attachments (bodies and attachments "
        "never read)"
    )
    skip = pd.DataFrame(skipped, columns=list(SKIPPED_COLUMNS))
    return [
        ParsedExport(file, "teams-chat", "chat", rows, skip, len(messages), False, notes=[note])
    ]


def _messages(data: object, file: str) -> list:
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        return list(data["value"])
    if (
        isinstance(data, list)
        and data
        and all(isinstance(p, dict) and isinstance(p.get("value"), list) for p in data)
    ):
        return [m for page in data for m in page["value"]]
    if isinstance(data, list) and all(isinstance(m, dict) for m in data) and data:
        return data
    raise DataValidationError(
        [Problem(file, None, (), N_("no Microsoft Graph chat messages in the JSON"), _FIX_CHAT)]
    )


def _channel(m: object) -> str | None:
    if isinstance(m, dict) and isinstance(m.get("channelIdentity"), dict):
        return m["channelIdentity"].get("channelId")
    return None


def _person(user: dict) -> tuple[str, str]:
    uid, name = str(user.get("id") or "").strip(), str(user.get("displayName") or "").strip()
    return (f"id:{uid}" if uid else f"name:{name}"), (name or uid)


def _added(m: dict) -> list[tuple[str, str]]:
    detail: dict = m["eventDetail"] if isinstance(m.get("eventDetail"), dict) else {}
    members: list = detail["members"] if isinstance(detail.get("members"), list) else []
    return [
        _person(x) for x in members if isinstance(x, dict) and (x.get("id") or x.get("displayName"))
    ]


def _chat_rows(
    file: str,
    kept: list[tuple[int, object, str, str, str | None]],
    people: dict[str, dict[str, str]],
    alias: dict[str, str],
) -> pd.DataFrame:
    """One row per (message, other person of its chat); times read at once."""
    if not kept:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ROW_COLUMNS})
    frame = pd.DataFrame(kept, columns=["line", "raw", "conv", "key", "thread"])
    frame["timestamp"] = pd.to_datetime(
        frame["raw"].astype(str), utc=True, errors="coerce", format="ISO8601"
    )
    bad = frame["timestamp"].isna().to_numpy()
    if bad.any():
        first = frame[bad].iloc[0]
        raise DataValidationError(
            [
                Problem(
                    f"{file}, message {first['line']}",
                    "createdDateTime",
                    (),
                    N_("no readable time ({raw!r}) in {sum} message(s)").format(
                        raw=first["raw"], sum=int(bad.sum())
                    ),
                    _FIX_CHAT,
                )
            ]
        )
    frame = frame.assign(file=file, message=np.arange(len(frame)))
    frame["sender"] = frame["key"].map(alias)
    members = pd.DataFrame(
        [(conv, key) for conv, m in people.items() for key in m], columns=["conv", "rkey"]
    )
    size = members.groupby("conv")["rkey"].size()
    alone = frame["conv"].map(size).fillna(0).to_numpy() <= 1
    single = frame[alone].assign(
        recipient=None,
        no_recipient="only one person in this Teams chat (its members are not in the export): "
        "add the conversation's other messages or its membersAdded event",
    )
    group = frame[~alone].merge(members, on="conv", how="inner")
    group = group[group["key"] != group["rkey"]]
    group = group.assign(recipient=group["rkey"].map(alias), no_recipient=None)
    out = pd.concat([single, group], ignore_index=True).sort_values(
        ["message", "recipient"], kind="stable", na_position="first"
    )
    out = out.assign(duration_minutes=np.nan, session=None, channel=None)
    return out[list(ROW_COLUMNS)].reset_index(drop=True)
