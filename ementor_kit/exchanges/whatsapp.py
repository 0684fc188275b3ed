"""WhatsApp chat exports (``.txt``, or the ``.zip`` with media) in the phones' layouts.

Layouts read (Android and iPhone, French and English; 12- and 24-hour clocks; ``/``, ``.``
or ``-`` between the parts of the date; two- or four-digit years)::

    12/09/2026 14:03 - Nom : message          (Android, French)
    12/09/2026, 14:03 - Name: message         (Android, English)
    9/12/26, 2:03 PM - Name: message          (Android, US)
    [12/09/2026, 14:03:27] Name: message      (iPhone)
    [9/12/26, 2:03:27 PM] Name: message       (iPhone, US)

A line that does not start with a date continues the message above (a multi-line message).
A line that starts with a whole date in the export's layout (day, month and year of one or two
digits, two to four, joined by ``/``, ``.`` or ``-``, after an optional ``[``) but is no message
line (cut, a field lost or added, a formula or an invisible character in its time stamp) is
never taken as a continuation: it is set aside as an *unreadable header line* with its line
number, counted among the lines read. The rule is the header's prefix, not the whole header,
on purpose: a continuation line that itself starts with such a date (``12/09/2026 ok pour
moi``) is reported the same way (its message is kept, the line listed to check) rather than
risk losing a message silently. A line with a date and time but no ``Name:`` is a system line (encryption notice,
someone added or left). Media placeholders (``<Media omitted>``, ``<Médias omis>``,
``image omitted``, ``<attached: ...>``), deleted messages and iPhone system notices
(``‎Messages and calls are end-to-end encrypted``) are set aside with their reason. Bodies are
looked at only for that and then discarded.

The export writes neither the order of day and month nor the time zone. The order comes from
the dates themselves: a first part above 12 means day first, a second part above 12 means
month first, and when every part is 12 or less the order under which the messages are in
chronological order (exports are) is taken; when both are, the import is refused and
``dayfirst=`` must be given. The zone is the importer's ``timezone=``.

Every line is parsed at once (one compiled pattern over all lines through ``pandas``), not
line by line in Python: a million messages take a few seconds.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit._encoding import detect_encoding
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.exchanges.result import ROW_COLUMNS, ParsedExport
from ementor_kit.i18n.language import N_

__all__ = ["parse_whatsapp", "looks_like_whatsapp"]

_S = r"[ \u00a0\u202f]"  # the spaces exports use (narrow no-break before AM/PM)
_MEDIA = (
    r"<Media omitted>|<M[ée]dias? omis>|<attached: [^\n]*>|<pi[eè]ce jointe ?: [^\n]*>"
    r"|(?:image|video|audio|sticker|GIF|document|Contact card) omitted"
    r"|(?:image|vid[ée]o) absente|(?:audio|autocollant|GIF|document) omis|GIF retiré"
    r"|[^\n]* \((?:file attached|fichier joint)\)|null"
)
_DELETED = (
    r"This message was deleted|You deleted this message|Ce message a été supprimé"
    r"|Vous avez supprimé ce message"
)
_HEAD = (
    r"[\u200e\u200f]?(\[)?"  # open
    r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2}),?" + _S + r"+"  # a, b, y
    r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"  # H, M, S
    r"(?:" + _S + r"?([AaPp]\.?" + _S + r"?[Mm]\.?))?"  # ap
    r"(?(1)\]" + _S + r"|" + _S + r"[-–]" + _S + r")"
    r"(?:([^:\n]+?)" + _S + r"?:" + _S + r")?"  # name
    # the body is matched, never captured: only which kind of message it is
    r"(?:\u200e?(" + _MEDIA + r")" + _S + r"*"  # media
    r"|\u200e?(" + _DELETED + r")\.?" + _S + r"*"  # deleted
    r"|(\u200e)[^\n]*"  # notice
    r"|[^\n]*)"
)
HEADER = re.compile(r"^\ufeff?" + _HEAD + r"$", re.IGNORECASE)
"""A message line (groups: ``[``, date parts, time parts, AM/PM, name, media, deleted, notice)."""
_PREFIX = r"\ufeff?[\u200e\u200f]?\[?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
"""The start of a message line: a line starting so but not a whole header is unreadable."""
_EVERY_LINE = re.compile(
    r"^(?:\ufeff?" + _HEAD + r"|(" + _PREFIX + r")[^\n]*|[^\n]*)$", re.MULTILINE
)
_GROUPS = (
    "open", "a", "b", "y", "H", "M", "S", "ap", "name", "media", "deleted", "notice", "bad"
)  # fmt: skip
_UNREADABLE = (
    "unreadable header line (starts with a date but is not a message line: cut, a field "
    "lost or added, or a character in the time stamp); not read"
)
_CHAT_NAME = re.compile(
    r"^(?:WhatsApp Chat (?:with|-)|Discussion WhatsApp (?:avec|-))\s*(?P<name>.+?)(?:\s*\(\d+\))?$",
    re.IGNORECASE,
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"), None)


def looks_like_whatsapp(text: str) -> bool:
    """Whether the first non-empty lines of ``text`` are WhatsApp message lines.

    Parameters
    ----------
    text : str
        The beginning of a file.

    Returns
    -------
    bool
        True when one of the first five non-empty lines has the layout of a message line.

    Examples
    --------
    >>> looks_like_whatsapp("[12/09/2026, 14:03:27] Hugo J.: Hello")
    True
    >>> looks_like_whatsapp("Meeting ID,Topic")
    False
    """
    lines = [line for line in text.splitlines() if line.strip()][:5]
    return any(HEADER.match(line.lstrip("\ufeff")) for line in lines)


def parse_whatsapp(path: str | Path, *, dayfirst: bool | None = None) -> list[ParsedExport]:
    """Read one WhatsApp export (a ``.txt`` chat, or a ``.zip`` holding one or several).

    Parameters
    ----------
    path : str or Path
        The export.
    dayfirst : bool, optional
        ``True``: ``12/09`` is 12 September; ``False``: 9 December. By default taken from the
        dates (refused when they cannot tell).

    Returns
    -------
    list of ParsedExport
        One per chat, timestamps naive (local time of the exporting phone).

    Raises
    ------
    DataValidationError
        A date or time that does not exist, or a day/month order that cannot be told.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> chat = pathlib.Path(tempfile.mkdtemp()) / "WhatsApp Chat with Nadia B..txt"
    >>> _ = chat.write_text("[13/09/2026, 09:10:05] Hugo J.: Hi\\n"
    ...                     "[13/09/2026, 09:11:00] Nadia B.: <Media omitted>\\n")
    >>> parsed, = parse_whatsapp(chat)
    >>> parsed.rows[["sender", "recipient"]].values.tolist(), parsed.skipped["reason"].tolist()
    ([['Hugo J.', 'Nadia B.']], ['media placeholder'])
    """
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            chats = [n for n in archive.namelist() if n.lower().endswith(".txt")]
            if not chats:
                raise DataValidationError(
                    [
                        Problem(
                            path.name,
                            None,
                            (),
                            N_("the archive holds no chat (.txt) file"),
                            N_("export the chat again from WhatsApp (More > Export chat)"),
                        )
                    ]
                )
            n_media = len(archive.namelist()) - len(chats)
            out = []
            for name in chats:
                label = f"{path.name}:{name}"
                text = _decode(archive.read(name), label)
                stem = Path(name).stem if not name.startswith("_chat") else path.stem
                parsed = _parse_text(text, label, _chat_name(stem), dayfirst)
                parsed.notes.append(f"{n_media} media file(s) of the archive not opened")
                out.append(parsed)
            return out
    text = _decode(path.read_bytes(), path.name)
    return [_parse_text(text, path.name, _chat_name(path.stem), dayfirst)]


def _decode(data: bytes, file: str) -> str:
    """The text of a chat: UTF-16 (byte-order mark, or NUL bytes in every other place, as a
    UTF-16 copy without one has), else the encoding :func:`detect_encoding` finds."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    if b"\x00" in head and not data.startswith(codecs.BOM_UTF8):
        # ASCII text in UTF-16 has its NUL bytes at the odd (LE) or even (BE) positions
        little = head[1::2].count(0) >= head[0::2].count(0)
        return data.decode("utf-16-le" if little else "utf-16-be", errors="replace")
    encoding = detect_encoding(data, file)
    return data.decode("utf-8-sig" if encoding == "utf-8" else encoding, errors="replace")


def _chat_name(stem: str) -> str | None:
    m = _CHAT_NAME.match(stem.strip())
    return m.group("name").strip() if m else None


def _parse_text(text: str, file: str, chat_with: str | None, dayfirst: bool | None) -> ParsedExport:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # one match per line, found by the regex engine over the whole text (no Python loop)
    found = _EVERY_LINE.findall(text) or [("",) * len(_GROUPS)]
    table = np.array(found, dtype=object)  # lines x groups, in one pass (zip(*found) is 3x slower)
    del found
    n_lines = len(table)
    header = table[:, _GROUPS.index("a")] != ""
    bad = np.flatnonzero(table[:, _GROUPS.index("bad")] != "").astype(np.int64) + 1
    line_no = np.flatnonzero(header) + 1
    table = table[header]
    heads = {k: table[:, i] for i, k in enumerate(_GROUPS)}
    skipped: list[pd.DataFrame] = []
    first = int(line_no[0]) if len(line_no) else n_lines + 1
    before = text.split("\n", first - 1)[: first - 1] if first > 1 else []
    stray = np.flatnonzero([bool(x.strip()) for x in before]).astype(np.int64) + 1
    stray = np.setdiff1d(stray, bad)  # an unreadable header line is reported as such
    if len(stray):
        skipped.append(_skips(file, stray, "no date and time: not a message line"))
    if len(bad):
        skipped.append(_skips(file, bad, _UNREADABLE))
    stamps, dayfirst = _timestamps(heads, file, line_no, dayfirst)
    codes, spelt = pd.factorize(heads["name"])  # cleaned once per name, not per line
    clean = np.array([n.translate(_INVISIBLE).strip() for n in spelt], dtype=object)
    names = clean[codes]
    reason = np.full(len(names), None, dtype=object)
    reason[heads["notice"] != ""] = "system notice"
    reason[heads["deleted"] != ""] = "deleted message"
    reason[heads["media"] != ""] = "media placeholder"
    reason[names == ""] = "system line (no sender)"
    keep = pd.isna(reason)
    people = set(names[keep | (reason == "media placeholder") | (reason == "deleted message")])
    people.discard("")
    if chat_with:
        people.add(chat_with)
    # (an iPhone group's notices are written in the name of the group: not a participant)
    messages = np.arange(len(names))
    skipped.append(_skips(file, line_no[~keep], reason[~keep].tolist()))
    rows = _recipients(
        pd.DataFrame(
            {
                "file": file,
                "message": messages[keep],
                "line": line_no[keep],
                "timestamp": stamps[keep],
                "sender": names[keep],
            }
        ),
        sorted(people),
    )
    skip = pd.concat(skipped, ignore_index=True)
    layout = "iPhone" if (heads["open"] != "").any() else "Android"
    order = "day first" if dayfirst else "month first"
    notes = [
        f"{file}: WhatsApp {layout} layout, {len(names)} messages, {len(people)} participants, "
        f"dates {order}; bodies matched for their kind only, never kept"
    ]
    if len(bad):
        shown = ", ".join(map(str, bad[:10].tolist())) + (", ..." if len(bad) > 10 else "")
        notes.append(
            f"{file}: {len(bad)} unreadable header line(s) (line {shown}): a date at the start "
            "but not the layout of a message line; set aside, never merged into the message "
            "above (check them in the chat)"
        )
    n_read = len(names) + len(stray) + len(bad)
    return ParsedExport(file, "whatsapp", "chat", rows, skip, n_read, True, notes=notes)


def _skips(file: str, lines: np.ndarray, reason: str | list[str]) -> pd.DataFrame:
    return pd.DataFrame({"file": file, "line": np.asarray(lines, dtype=np.int64), "reason": reason})


def _recipients(msgs: pd.DataFrame, people: list[str]) -> pd.DataFrame:
    """One row per (message, other participant of the chat)."""
    if len(people) <= 1:
        rows = msgs.assign(
            recipient=None,
            no_recipient="only one person writes in this chat: name the file "
            "'WhatsApp Chat with NAME.txt' (as WhatsApp does) to give the other",
        )
    elif len(people) == 2:
        a, b = people
        recipient = np.where(msgs["sender"].to_numpy() == a, b, a)
        rows = msgs.assign(recipient=recipient.astype(object), no_recipient=None)
    else:
        others = pd.DataFrame({"recipient": people})
        rows = msgs.merge(others, how="cross")
        rows = rows[rows["sender"] != rows["recipient"]].assign(no_recipient=None)
    rows = rows.assign(duration_minutes=np.nan, session=None, thread=None, channel=None)
    return rows[list(ROW_COLUMNS)].reset_index(drop=True)


def _timestamps(
    heads: dict[str, np.ndarray], file: str, line_no: np.ndarray, dayfirst: bool | None
) -> tuple[np.ndarray, bool]:
    """Naive ``datetime64[ns]`` of every message line, and the day/month order taken."""

    def ints(key: str) -> np.ndarray:
        values = heads[key]
        if key == "S":  # seconds absent from some or all lines
            values = np.where(values == "", "0", values)
        return values.astype(np.int64)  # int() of each text, in numpy's loop

    a, b, year = ints("a"), ints("b"), ints("y")
    year = np.where(year < 100, year + 2000, year)
    hour, minute, second = ints("H"), ints("M"), ints("S")
    ap = np.char.lower(heads["ap"].astype(str))
    ap = np.where(np.char.startswith(ap, "p"), "p", np.where(np.char.startswith(ap, "a"), "a", ""))
    twelve = ap != ""
    bad_hour = np.where(twelve, (hour < 1) | (hour > 12), hour > 23) | (minute > 59)
    _refuse(bad_hour | (second > 59), file, line_no, "time", N_("no such time of day"))
    hour = np.where(twelve, hour % 12 + np.where(ap == "p", 12, 0), hour)
    dayfirst = _day_order(a, b, year, hour, minute, second, file, line_no, dayfirst)
    day, month = (a, b) if dayfirst else (b, a)
    frame = pd.DataFrame(
        {"year": year, "month": month, "day": day, "hour": hour, "minute": minute, "second": second}
    )
    stamps = pd.to_datetime(frame, errors="coerce")
    _refuse(stamps.isna().to_numpy(), file, line_no, "date", N_("no such date"))
    return stamps.to_numpy(), dayfirst


def _refuse(mask: np.ndarray, file: str, line_no: np.ndarray, field: str, what: str) -> None:
    if mask.any():
        lines = tuple(int(x) for x in line_no[mask][:10])
        raise DataValidationError(
            [
                Problem(
                    f"{file}, line{'s' if len(lines) > 1 else ''} " + ", ".join(map(str, lines)),
                    field,
                    (),
                    N_("{what} in {sum} message line(s)").format(what=what, sum=int(mask.sum())),
                    N_("export the chat again from WhatsApp, unchanged"),
                )
            ]
        )


def _day_order(
    a: np.ndarray,
    b: np.ndarray,
    year: np.ndarray,
    hour: np.ndarray,
    minute: np.ndarray,
    second: np.ndarray,
    file: str,
    line_no: np.ndarray,
    dayfirst: bool | None,
) -> bool:
    """Whether the first part of the dates is the day (see the module documentation)."""
    big_a, big_b = a > 12, b > 12
    if big_a.any() and big_b.any():
        raise DataValidationError(
            [
                Problem(
                    f"{file}, lines {int(line_no[big_a][0])} and {int(line_no[big_b][0])}",
                    "date",
                    (),
                    N_("some dates have a first part above 12 and others a second part above 12"),
                    N_("export the chat again from WhatsApp, unchanged (one date layout per file)"),
                )
            ]
        )
    told = True if big_a.any() else False if big_b.any() else None
    if dayfirst is not None:
        if told is not None and told != dayfirst:
            raise DataValidationError(
                [
                    Problem(
                        file,
                        "date",
                        (),
                        N_("dayfirst={dayfirst} contradicts the dates of the file").format(
                            dayfirst=dayfirst
                        ),
                        N_("pass dayfirst={told} or leave it out").format(told=told),
                    )
                ]
            )
        return dayfirst
    if told is not None or len(a) == 0 or (a == b).all():
        return True if told is None else told
    clock = ((hour * 60 + minute) * 60 + second).astype(np.int64)
    ordered = []
    for first_is_day in (True, False):
        day, month = (a, b) if first_is_day else (b, a)
        key = ((year * 100 + month) * 100 + day) * 86400 + clock
        ordered.append(bool((np.diff(key) >= 0).all()))
    if ordered[0] != ordered[1]:
        return ordered[0]
    raise DataValidationError(
        [
            Problem(
                file,
                "date",
                (),
                N_(
                    "the order of day and month cannot be told: every date part is 12 or "
                    "less and both orders keep the messages in time order"
                ),
                N_(
                    "pass dayfirst=True (12/09 is 12 September, the French and British "
                    "layout) or dayfirst=False (9 December, the US layout); on the command "
                    "line --dayfirst or --monthfirst"
                ),
            )
        ]
    )
