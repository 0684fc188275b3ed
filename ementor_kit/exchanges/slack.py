"""Slack workspace exports: the ``.zip`` (or its unzipped folder) an admin downloads.

Layout read (Workspace settings > Import/Export data > Export; the standard export and the
export of all conversations give the same layout)::

    users.json                 people: id, name, real_name, profile.email / display_name ...
    channels.json              public channels: id, name, members
    groups.json                private channels (same fields)
    mpims.json                 group direct messages: id, name, members
    dms.json                   direct messages: id, members (two)
    general/2026-09-12.json    one folder per conversation (channels, groups and mpims by
    D0123ABC/2026-09-12.json   name, DMs by id), one JSON list of messages per day

A message (``"type": "message"``) without a ``subtype``, or with ``thread_broadcast``,
``file_share`` or ``me_message``, is an asynchronous ``chat`` exchange from its ``user`` at
``ts`` (UTC). Every other subtype (``channel_join``, ``channel_leave``, ``channel_topic``,
``bot_message``, ``pinned_item``, ``tombstone``, ...) and every bot message is a system
message: counted and reported in ``skipped`` with its subtype, never an exchange.

Recipients: in a DM, the other member; in a group DM, a private or a public channel, every
other member (the conversation's ``members`` in its JSON file, plus anyone who wrote in it),
so that a message gives one exchange per other member, grouped under one ``session_id`` (as a
WhatsApp group message). A public channel with the whole workspace in it therefore gives many
exchanges per message, and the coordinators and other members who are not people of the
programme are reported as unresolved (with their counts), never dropped silently.

Threads are kept: a reply (``thread_ts`` other than its own ``ts``) and its parent share a
thread (the import's ``threads`` table).

People are resolved from ``users.json``: ``profile.email``, then ``real_name``, then
``profile.display_name``, then ``name`` (the handle), the first that is a declared contact of
the programme (a key two people share stops the search: never guessed). A user id absent
from ``users.json`` is taken from the ``user_profile`` the message carries (Slack Connect
guests), else the import is refused (the export is incomplete).

Message texts are never kept nor measured beyond telling whether a message has files (the
report counts them); file contents are never opened. Not read: Slack's Enterprise Grid
per-organisation exports (one workspace at a time is), ``canvases``, ``huddles`` and
integration logs.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.exchanges.people import ContactBook, contact_key
from ementor_kit.exchanges.result import ROW_COLUMNS, SKIPPED_COLUMNS, ParsedExport
from ementor_kit.i18n.language import N_

__all__ = ["best_alias", "load_json", "looks_like_slack", "merge_exports", "parse_slack"]

_LISTS = {  # conversation list -> (kind, folder named by)
    "channels.json": ("public channel", "name"),
    "groups.json": ("private channel", "name"),
    "mpims.json": ("group DM", "name"),
    "dms.json": ("DM", "id"),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_USER_SUBTYPES = frozenset({"", "thread_broadcast", "file_share", "me_message"})
_FIX_EXPORT = N_(
    "export the workspace again (Workspace settings > Import/Export data > Export) and pass "
    "the downloaded .zip (or its unzipped folder) unchanged"
)


def looks_like_slack(names: Iterable[str]) -> bool:
    """Whether the file names of a folder or zip are those of a Slack export.

    Parameters
    ----------
    names : iterable of str
        Paths inside the folder or archive (``/`` separated).

    Returns
    -------
    bool
        True when a ``users.json`` sits beside a ``channels.json``, ``groups.json``,
        ``dms.json`` or ``mpims.json``.

    Examples
    --------
    >>> looks_like_slack(["users.json", "channels.json", "general/2026-09-12.json"])
    True
    >>> looks_like_slack(["chat.txt"])
    False
    """
    by_folder: dict[str, set[str]] = {}
    for name in names:
        p = PurePosixPath(name)
        by_folder.setdefault(str(p.parent), set()).add(p.name.lower())
    return any("users.json" in files and files & set(_LISTS) for files in by_folder.values())


def load_json(raw: bytes, label: str, fix: str = _FIX_EXPORT) -> object:
    """JSON of an export file, a clear error when it is cut or not JSON.

    Parameters
    ----------
    raw : bytes
        The file's bytes (UTF-8, a byte-order mark allowed).
    label : str
        The file as the error should name it.
    fix : str
        What to do when it cannot be read.

    Returns
    -------
    object
        The decoded JSON.

    Raises
    ------
    DataValidationError
        Naming the file, the line and column where reading stopped, and the fix.

    Examples
    --------
    >>> load_json(b'[{"ts": "1"}]', "general/2026-09-12.json")
    [{'ts': '1'}]
    >>> try:
    ...     load_json(b'[{"ts": ', "general/2026-09-12.json")
    ... except DataValidationError as err:
    ...     print(err.problems[0].message)
    not valid JSON (Expecting value at column 9) (the file is cut short)
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataValidationError(
            [
                Problem(
                    label,
                    None,
                    (),
                    N_("not UTF-8 text (byte {start})").format(start=err.start),
                    fix,
                )
            ]
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        cut = N_(" (the file is cut short)") if err.pos >= len(text.rstrip()) else ""
        raise DataValidationError(
            [
                Problem(
                    f"{label}, line {err.lineno}",
                    None,
                    (),
                    N_("not valid JSON ({msg} at column {colno}){cut}").format(
                        msg=err.msg, colno=err.colno, cut=cut
                    ),
                    fix,
                )
            ]
        ) from None


def best_alias(candidates: Sequence[object], shown: str, book: ContactBook | None) -> str:
    """The identifier to resolve a person by: the first declared contact among ``candidates``.

    A candidate whose key two people of the programme share stops the search (never
    guessed); when none resolves, ``shown`` is returned (the importer reports it, masked).

    Parameters
    ----------
    candidates : sequence
        The person's identifiers in the export, best first (e-mail, full name, ...).
    shown : str
        The alias to report when none resolves (``"Name <address>"``, a name, ...).
    book : ContactBook or None
        The programme's contacts; ``None`` returns ``shown``.

    Returns
    -------
    str
        One of ``candidates`` (as text) or ``shown``.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> book = ContactBook.of(ek.load_sample())
    >>> best_alias(["u1@example.org", "", "Hugo J."], "x <u1@example.org>", book)
    'Hugo J.'
    >>> best_alias(["Nobody"], "Nobody", book)
    'Nobody'
    """
    if book is not None:
        for c in candidates:
            key = contact_key(c)
            if key is None:
                continue
            if key in book.ambiguous:
                break
            if key in book.people:
                return str(c).strip()
    return shown


@dataclass
class _Export:
    """A Slack export as a zip or a folder: the relative names of its files and their bytes."""

    path: Path
    names: list[str]
    root: str
    archive: zipfile.ZipFile | None = None
    label: str = field(init=False)

    def __post_init__(self) -> None:
        self.label = self.path.name

    @classmethod
    def open(cls, path: Path) -> _Export:
        archive = None
        if path.is_dir():
            names = [p.relative_to(path).as_posix() for p in path.rglob("*.json") if p.is_file()]
        elif zipfile.is_zipfile(path):
            archive = zipfile.ZipFile(path)
            names = [n for n in archive.namelist() if n.lower().endswith(".json")]
        else:
            raise DataValidationError(
                [
                    Problem(
                        path.name,
                        None,
                        (),
                        N_("neither a folder nor a zip archive"),
                        N_(
                            "pass the Slack export's .zip or its unzipped folder, not one of its "
                            "files"
                        ),
                    )
                ]
            )
        users = sorted((n for n in names if PurePosixPath(n).name == "users.json"), key=len)
        if not users:
            if archive is not None:
                archive.close()
            raise DataValidationError(
                [
                    Problem(
                        path.name,
                        None,
                        (),
                        N_("no users.json: without it the senders of the messages cannot be known"),
                        _FIX_EXPORT,
                    )
                ]
            )
        root = str(PurePosixPath(users[0]).parent)
        root = "" if root == "." else root + "/"
        inside = [n[len(root) :] for n in names if n.startswith(root)]
        return cls(path, inside, root, archive)

    def read(self, name: str) -> bytes:
        if self.archive is not None:
            return self.archive.read(self.root + name)
        return (self.path / self.root / name).read_bytes()

    def json(self, name: str) -> object:
        return load_json(self.read(name), f"{self.label}:{name}")

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


@dataclass
class _Conversation:
    folder: str
    kind: str
    members: list[str]


def parse_slack(path: str | Path, book: ContactBook | None = None) -> list[ParsedExport]:
    """Read a Slack workspace export (the ``.zip`` or its unzipped folder).

    Parameters
    ----------
    path : str or Path
        The export.
    book : ContactBook, optional
        The programme's contacts, to pick for each user the identifier that resolves
        (:func:`best_alias`); without it, users are named ``"real name <e-mail>"``.

    Returns
    -------
    list of ParsedExport
        One for the export (its conversations' messages numbered across them); timestamps
        in UTC.

    Raises
    ------
    DataValidationError
        No ``users.json``, a file that is not valid JSON (cut short), a message without a
        readable ``ts``, a user id that ``users.json`` does not hold (file, what, fix named).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "users.json").write_text(json.dumps([
    ...     {"id": "U1", "name": "hugo", "real_name": "Hugo J.", "profile": {}},
    ...     {"id": "U2", "name": "mateo", "real_name": "Mateo P.", "profile": {}}]))
    >>> _ = (root / "dms.json").write_text(json.dumps([{"id": "D1", "members": ["U1", "U2"]}]))
    >>> (root / "D1").mkdir()
    >>> _ = (root / "D1" / "2026-09-12.json").write_text(json.dumps([
    ...     {"type": "message", "user": "U1", "text": "Bonjour !", "ts": "1789221780.000100"},
    ...     {"type": "message", "subtype": "channel_join", "user": "U2", "ts": "1789221790.0"}]))
    >>> parsed, = parse_slack(root)
    >>> parsed.rows[["sender", "recipient"]].values.tolist(), parsed.skipped["reason"].tolist()
    ([['Hugo J.', 'Mateo P.']], ['Slack system message (channel_join)'])
    """
    export = _Export.open(Path(path))
    try:
        users = _users(export)
        conversations = _conversations(export)
        by_folder: dict[str, list[str]] = {}
        for n in sorted(export.names):
            if _DAY.match(PurePosixPath(n).name):
                by_folder.setdefault(str(PurePosixPath(n).parent), []).append(n)
        out = []
        kinds: dict[str, int] = {}
        files = 0
        for conv in conversations:
            days = by_folder.get(conv.folder, [])
            if days:
                part, with_files = _read_conversation(export, conv, days, users, book)
                out.append(part)
                files += with_files
                kinds[conv.kind] = kinds.get(conv.kind, 0) + 1
        if not out:
            raise DataValidationError(
                [
                    Problem(
                        export.label,
                        None,
                        (),
                        N_("no conversation folder with day files (YYYY-MM-DD.json)"),
                        _FIX_EXPORT,
                    )
                ]
            )
        read = sum(p.read for p in out)
        shown = ", ".join(f"{k} {kind}(s)" for kind, k in kinds.items())
        note = (
            f"{export.label}: Slack export, {len(out)} conversations ({shown}), {read} "
            f"messages, {files} with files (texts and files never read)"
        )
        return [merge_exports(out, export.label, note)]
    finally:
        export.close()


def merge_exports(parts: Sequence[ParsedExport], file: str, note: str) -> ParsedExport:
    """Several parts of one export (conversations) as one, messages numbered across them.

    Parameters
    ----------
    parts : sequence of ParsedExport
        Of one format and channel, none naive or all naive.
    file : str
        The export's name.
    note : str
        The report's line about the export (the parts' notes are replaced by it).

    Returns
    -------
    ParsedExport
        Rows and set-aside messages of every part; ``message`` numbers made unique.

    Examples
    --------
    >>> import pandas as pd
    >>> from ementor_kit.exchanges.result import empty_rows
    >>> a = ParsedExport("x", "slack", "chat", empty_rows(), pd.DataFrame(), 2, False)
    >>> merge_exports([a, a], "x.zip", "two parts").read
    4
    """
    rows, start = [], 0
    for p in parts:
        if len(p.rows):
            rows.append(p.rows.assign(message=p.rows["message"].astype(np.int64) + start))
            start += int(p.rows["message"].max()) + 1
    skipped = [p.skipped for p in parts if len(p.skipped)]
    return ParsedExport(
        file,
        parts[0].format,
        parts[0].channel,
        pd.concat(rows, ignore_index=True) if rows else parts[0].rows,
        pd.concat(skipped, ignore_index=True)
        if skipped
        else pd.DataFrame(columns=list(SKIPPED_COLUMNS)),
        sum(p.read for p in parts),
        parts[0].naive,
        notes=[note],
    )


@dataclass
class _User:
    candidates: list[str]
    shown: str
    bot: bool


def _users(export: _Export) -> dict[str, _User]:
    data = export.json("users.json")
    if not isinstance(data, list):
        raise DataValidationError(
            [
                Problem(
                    f"{export.label}:users.json", None, (), N_("not a list of users"), _FIX_EXPORT
                )
            ]
        )
    users: dict[str, _User] = {}
    for u in data:
        if isinstance(u, dict) and u.get("id"):
            users[str(u["id"])] = _user(u, u.get("profile") or {}, str(u["id"]))
    return users


def _user(u: dict, profile: dict, uid: str) -> _User:
    email = str(profile.get("email") or "").strip()
    real = str(u.get("real_name") or profile.get("real_name") or "").strip()
    display = str(profile.get("display_name") or u.get("display_name") or "").strip()
    handle = str(u.get("name") or profile.get("name") or "").strip()
    name = real or display or handle
    shown = f"{name} <{email}>" if name and email else name or email or f"Slack user {uid}"
    bot = bool(u.get("is_bot")) or uid == "USLACKBOT"
    return _User([email, real, display, handle], shown, bot)


def _conversations(export: _Export) -> list[_Conversation]:
    out: list[_Conversation] = []
    listed = False
    for file, (kind, by) in _LISTS.items():
        if file not in export.names:
            continue
        listed = True
        data = export.json(file)
        if not isinstance(data, list):
            raise DataValidationError(
                [Problem(f"{export.label}:{file}", None, (), N_("not a list"), _FIX_EXPORT)]
            )
        for c in data:
            if isinstance(c, dict) and c.get(by):
                members = [str(m) for m in c.get("members") or []]
                out.append(_Conversation(str(c[by]), kind, members))
    if not listed:
        raise DataValidationError(
            [
                Problem(
                    export.label,
                    None,
                    (),
                    N_(
                        "no channels.json, groups.json, mpims.json or dms.json: the "
                        "conversations and their members are unknown"
                    ),
                    _FIX_EXPORT,
                )
            ]
        )
    known = {c.folder for c in out}
    folders = sorted(
        {str(PurePosixPath(n).parent) for n in export.names if _DAY.match(PurePosixPath(n).name)}
    )
    out += [_Conversation(f, "channel not listed", []) for f in folders if f not in known]
    return out


def _read_conversation(
    export: _Export,
    conv: _Conversation,
    days: list[str],
    users: dict[str, _User],
    book: ContactBook | None,
) -> tuple[ParsedExport, int]:
    """The messages of one conversation: one row per (message, other member)."""
    msgs: list[tuple[str, int, pd.Timestamp, str, str | None]] = []
    skipped: list[tuple[str, int, str]] = []
    unknown: dict[str, str] = {}
    extra: dict[str, _User] = {}
    with_files = read = 0
    for day in days:
        label = f"{export.label}:{day}"
        data = export.json(day)
        if not isinstance(data, list):
            raise DataValidationError(
                [Problem(label, None, (), N_("not a list of messages"), _FIX_EXPORT)]
            )
        for i, m in enumerate(data, start=1):
            read += 1
            reason = _system(m)
            if reason is not None:
                skipped.append((label, i, reason))
                continue
            uid = str(m["user"])
            if uid not in users and uid not in extra:
                if isinstance(m.get("user_profile"), dict):
                    extra[uid] = _user(m["user_profile"], m["user_profile"], uid)
                else:
                    unknown.setdefault(uid, f"{label}, message {i}")
                    continue
            if (users.get(uid) or extra[uid]).bot:
                skipped.append((label, i, "Slack system message (bot user)"))
                continue
            when = _ts(m.get("ts"), label, i)
            thread = m.get("thread_ts")
            thread_key = f"{conv.folder}:{thread}" if thread else None
            with_files += bool(m.get("files") or m.get("attachments"))
            msgs.append((label, i, when, uid, thread_key))
    for uid in conv.members:
        if uid not in users and uid not in extra:
            unknown.setdefault(uid, f"{export.label}: the members of {conv.folder}")
    if unknown:
        _refuse_unknown(unknown)
    everyone = {**users, **extra}
    people = [u for u in dict.fromkeys(conv.members + [m[3] for m in msgs]) if not everyone[u].bot]
    alias = {u: best_alias(everyone[u].candidates, everyone[u].shown, book) for u in people}
    rows = _rows(msgs, people, alias, conv)
    skip = pd.DataFrame(skipped, columns=list(SKIPPED_COLUMNS))
    parsed = ParsedExport(f"{export.label}:{conv.folder}", "slack", "chat", rows, skip, read, False)
    return parsed, with_files


def _system(m: object) -> str | None:
    """Why a message is no exchange (a system message), else ``None``."""
    if not isinstance(m, dict):
        return "not a message (no JSON object)"
    if m.get("type", "message") != "message":
        return f"not a message (type {m.get('type')})"
    subtype = str(m.get("subtype") or "")
    if subtype == "bot_message" or (m.get("bot_id") and not m.get("user")):
        return "Slack system message (bot_message)"
    if subtype not in _USER_SUBTYPES:
        return f"Slack system message ({subtype})"
    if m.get("hidden"):
        return "Slack system message (hidden)"
    if not m.get("user"):
        return "no sender (user)"
    return None


def _ts(value: object, label: str, i: int) -> pd.Timestamp:
    """A Slack ``ts`` (``"1789221780.000100"``: seconds and microseconds since 1970, UTC)."""
    m = re.fullmatch(r"(\d{9,11})(?:\.(\d{1,6}))?", str(value or "").strip())
    if m is None:
        raise DataValidationError(
            [
                Problem(
                    f"{label}, message {i}",
                    "ts",
                    (),
                    N_("no readable time stamp ({value!r})").format(value=value),
                    _FIX_EXPORT,
                )
            ]
        )
    micro = int((m.group(2) or "0").ljust(6, "0"))
    return pd.Timestamp(int(m.group(1)) * 10**9 + micro * 1000, tz="UTC")


def _refuse_unknown(unknown: dict[str, str]) -> None:
    ids = sorted(unknown)
    raise DataValidationError(
        [
            Problem(
                unknown[ids[0]],
                "user",
                (),
                N_("{n} user id(s) not in users.json ({ids}{what})").format(
                    n=len(ids), ids=", ".join(ids[:5]), what=", ..." if len(ids) > 5 else ""
                ),
                N_("users.json must come from the same export as the conversations: {fix}").format(
                    fix=_FIX_EXPORT
                ),
            )
        ]
    )


def _rows(
    msgs: list[tuple[str, int, pd.Timestamp, str, str | None]],
    people: list[str],
    alias: dict[str, str],
    conv: _Conversation,
) -> pd.DataFrame:
    if not msgs:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ROW_COLUMNS})
    frame = pd.DataFrame(msgs, columns=["file", "line", "timestamp", "uid", "thread"])
    frame["message"] = np.arange(len(frame))
    frame["sender"] = frame["uid"].map(alias)
    if len(people) <= 1:
        frame = frame.assign(
            recipient=None,
            no_recipient=f"no other member in the Slack {conv.kind} (its members are unknown)",
        )
    else:
        others = pd.DataFrame({"ruid": people})
        frame = frame.merge(others, how="cross")
        frame = frame[frame["uid"] != frame["ruid"]]
        frame = frame.assign(recipient=frame["ruid"].map(alias), no_recipient=None)
    frame = frame.assign(duration_minutes=np.nan, session=None, channel=None)
    return frame[list(ROW_COLUMNS)].reset_index(drop=True)
