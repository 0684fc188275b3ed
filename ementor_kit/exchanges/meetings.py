"""Video meetings: Zoom participant reports and Google Meet attendance reports (CSV).

A report is one meeting. Its attendees are merged (someone who left and came back has several
rows: their minutes add up, from the first join). Once people are resolved
(:func:`lead_sessions`), the meeting's leader is its host when the host is a person of the
programme, else the one mentor among the attendees; every other attendee gives one ``video``
exchange leader -> attendee, timed at the meeting's start, lasting the attendee's minutes. A
meeting with two or more such exchanges is a group session (one ``session_id``).

Zoom writes times as ``MM/DD/YYYY hh:mm:ss AM`` in the account's zone (no offset: the
importer's ``timezone=``); Meet writes ``Time joined`` either as a date and time or a time of
day (the date then comes from the file name, ``... 2026-09-12 ...``).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.exchanges.result import ROW_COLUMNS, SKIPPED_COLUMNS, ParsedExport
from ementor_kit.i18n.language import N_

__all__ = ["lead_sessions", "looks_like_meet", "looks_like_zoom", "parse_meet", "parse_zoom"]

_ZOOM_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_DURATION = re.compile(
    r"(?:(\d+)\s*(?:h|hr|hrs|hours?|heures?))?\s*(?:(\d+)\s*(?:m|min|mins|minutes?))?"
    r"\s*(?:(\d+)\s*(?:s|sec|secs|seconds?|secondes?))?",
    re.IGNORECASE,
)
_MEET = {
    "first": ("first name", "prénom"),
    "last": ("last name", "nom"),
    "name": ("full name", "name", "participant", "nom complet"),
    "email": ("email", "e-mail", "adresse e-mail", "participant email"),
    "joined": ("time joined", "first seen", "joined", "heure d'arrivée"),
    "duration": ("duration", "time in call", "durée"),
}


def looks_like_zoom(header: str) -> bool:
    """Whether a CSV's first lines are a Zoom participant report.

    Parameters
    ----------
    header : str
        The first lines of the file.

    Returns
    -------
    bool
        True when a ``Join Time`` and a ``Leave Time`` column are there, or Zoom's own
        ``Name (Original Name)`` column (a report whose header was damaged: read as Zoom, so
        that the missing column is named).

    Examples
    --------
    >>> looks_like_zoom("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)")
    True
    """
    low = header.lower()
    return ("join time" in low and "leave time" in low) or "name (original name)" in low


def looks_like_meet(header: str) -> bool:
    """Whether a CSV's first lines are a Google Meet attendance report.

    Parameters
    ----------
    header : str
        The first lines of the file.

    Returns
    -------
    bool
        True when a ``Time joined`` (or ``First seen``) column is there.

    Examples
    --------
    >>> looks_like_meet("First name,Last name,Email,Duration,Time joined,Time exited")
    True
    """
    low = header.lower()
    return "time joined" in low or "first seen" in low


def _table(path: Path) -> tuple[list[list[str]], int, list[str], list[list[str]]]:
    """The rows before the participant header, its line number (1-based), it, the rows after."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    for i, row in enumerate(rows):
        cells = [c.strip().lower() for c in row]
        if "join time" in cells or any(c in cells for c in ("time joined", "first seen")):
            _refuse_repeats(row, path.name, i + 1)
            return rows[:i], i + 1, row, rows[i + 1 :]
        if "name (original name)" in cells:  # Zoom's header, without its Join Time
            _refuse_repeats(row, path.name, i + 1, missing="Join Time")
            raise _missing(path.name, "Join Time", i + 1)
    raise DataValidationError(
        [
            Problem(
                path.name,
                None,
                (),
                N_("no participant table (a Join Time or Time joined column)"),
                N_("export the meeting's participant report as CSV from Zoom or Meet"),
            )
        ]
    )


def _missing(file: str, column: str, line: int | None = None) -> DataValidationError:
    where = N_(" from the header (line {line})").format(line=line) if line is not None else ""
    return DataValidationError(
        [
            Problem(
                file,
                column,
                () if line is None else (line,),
                N_("column {column!r} missing{where}").format(column=column, where=where),
                N_(
                    "keep the {column!r} column of the export (export the participant "
                    "report again, unchanged)"
                ).format(column=column),
            )
        ]
    )


def _refuse_repeats(header: list[str], file: str, line: int, missing: str | None = None) -> None:
    """Refuse a header row naming a column twice (and say which column is then missing)."""
    seen: dict[str, int] = {}
    problems = []
    for cell in header:
        key = cell.strip().lower()
        if key:
            seen[key] = seen.get(key, 0) + 1
    for cell in dict.fromkeys(c.strip() for c in header):
        if seen.get(cell.lower(), 0) > 1:
            problems.append(
                Problem(
                    file,
                    cell,
                    (line,),
                    N_(
                        "the header row (line {line}) repeats the column name {cell!r} ({seen} "
                        "times)"
                    ).format(line=line, cell=cell, seen=seen[cell.lower()]),
                    N_("give each column its own name: export the report again, unchanged"),
                )
            )
    if problems and missing is not None:
        problems += _missing(file, missing, line).problems
    if problems:
        raise DataValidationError(problems)


def _column(header: list[str], names: tuple[str, ...], file: str, what: str) -> int:
    low = [h.strip().lower() for h in header]
    for name in names:
        for i, h in enumerate(low):
            if h == name or h.startswith(name + " ("):
                return i
    raise DataValidationError(
        [
            Problem(
                file,
                what,
                (),
                N_("column missing"),
                N_("keep the {names!r} column of the export").format(names=names[0]),
            )
        ]
    )


def parse_zoom(path: str | Path, *, dayfirst: bool | None = None) -> list[ParsedExport]:
    """Read a Zoom participant report (Reports > Usage > Participants, CSV).

    Parameters
    ----------
    path : str or Path
        The CSV file.
    dayfirst : bool, optional
        ``True`` when the account writes dates ``DD/MM/YYYY``; by default Zoom's
        ``MM/DD/YYYY``.

    Returns
    -------
    list of ParsedExport
        One, one row per attendee, ``attendance`` set, timestamps naive.

    Raises
    ------
    DataValidationError
        A missing column, a time that cannot be read (file, line and column named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> report = pathlib.Path(tempfile.mkdtemp()) / "participants_812.csv"
    >>> _ = report.write_text(
    ...     "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\\n"
    ...     "Hugo J.,,09/12/2026 06:00:05 PM,09/12/2026 06:40:00 PM,40,No\\n"
    ...     "Mateo P.,,09/12/2026 06:01:00 PM,09/12/2026 06:40:00 PM,39,Yes\\n")
    >>> parsed, = parse_zoom(report)
    >>> parsed.rows[["recipient", "duration_minutes"]].values.tolist()
    [['Hugo J.', 40.0], ['Mateo P.', 39.0]]
    """
    path = Path(path)
    before, at, header, body = _table(path)
    name = _column(header, ("name (original name)", "name", "participant"), path.name, "Name")
    email = _optional(header, ("user email", "email"))
    join = _column(header, ("join time",), path.name, "Join Time")
    minutes = _column(header, ("duration (minutes)", "duration"), path.name, "Duration")
    host = None
    if len(before) >= 2 and "user email" in [c.strip().lower() for c in before[0]]:
        host = before[1][[c.strip().lower() for c in before[0]].index("user email")].strip() or None
    people = []
    for i, row in enumerate(body):
        if not any(c.strip() for c in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        who = _with_address(cells[name], cells[email] if email is not None else "")
        people.append((at + 1 + i, who, cells[join].strip(), cells[minutes].strip()))
    stamps = _zoom_times([p[2] for p in people], path.name, [p[0] for p in people], dayfirst)
    mins = pd.to_numeric(pd.Series([p[3] for p in people], dtype=object), errors="coerce")
    _refuse_na(mins.isna().to_numpy(), path.name, [p[0] for p in people], "Duration (Minutes)")
    frame = pd.DataFrame(
        {
            "line": [p[0] for p in people],
            "who": [p[1] for p in people],
            "join": stamps,
            "minutes": mins.to_numpy(dtype=float),
        }
    )
    return [_attendance(frame, path.name, "zoom", host, len(people))]


def _optional(header: list[str], names: tuple[str, ...]) -> int | None:
    low = [h.strip().lower() for h in header]
    return next((low.index(n) for n in names if n in low), None)


def _with_address(name: str, address: str) -> str:
    name = re.sub(r"\s*\(.*\)\s*$", "", name.strip()) or name.strip()  # "(Original Name)"
    address = address.strip()
    return f"{name} <{address}>" if name and "@" in address else (name or address)


def _zoom_times(
    values: list[str], file: str, lines: list[int], dayfirst: bool | None
) -> np.ndarray:
    series = pd.Series(values, dtype=object)
    for fmt in _ZOOM_FORMATS:
        if dayfirst:
            fmt = fmt.replace("%m/%d", "%d/%m")
        stamps = pd.to_datetime(series, format=fmt, errors="coerce")
        if stamps.notna().all():
            return stamps.to_numpy()
    _refuse_na(stamps.isna().to_numpy(), file, lines, "Join Time")
    return stamps.to_numpy()  # pragma: no cover - _refuse_na raised


def _refuse_na(mask: np.ndarray, file: str, lines: list[int], column: str) -> None:
    if mask.any():
        bad = tuple(int(x) for x in np.asarray(lines)[mask][:10])
        raise DataValidationError(
            [
                Problem(
                    f"{file}, line{'s' if len(bad) > 1 else ''} {', '.join(map(str, bad))}",
                    column,
                    (),
                    N_("value that cannot be read"),
                    N_(
                        "export the report again, unchanged (times as the tool writes them, "
                        "minutes as a number)"
                    ),
                )
            ]
        )


def _attendance(
    frame: pd.DataFrame, file: str, fmt: str, host: str | None, n_rows: int
) -> ParsedExport:
    """One row per attendee (rejoins merged), the meeting's start as every row's time."""
    merged = frame.groupby("who", sort=False).agg(
        line=("line", "min"), join=("join", "min"), minutes=("minutes", "sum")
    )
    merged = merged.reset_index().sort_values("line", kind="stable").reset_index(drop=True)
    start = merged["join"].min() if len(merged) else pd.NaT
    rows = pd.DataFrame(
        {
            "file": file,
            "message": np.arange(len(merged)),
            "line": merged["line"].to_numpy(),
            "timestamp": start,
            "sender": host,
            "recipient": merged["who"].to_numpy(dtype=object),
            "duration_minutes": merged["minutes"].clip(upper=600).to_numpy(dtype=float),
            "session": file,
            "thread": None,
            "no_recipient": None,
            "channel": None,
        }
    )[list(ROW_COLUMNS)]
    rejoins = frame["line"][frame["who"].duplicated()].to_numpy()
    skipped = pd.DataFrame(
        {"file": file, "line": rejoins, "reason": "rejoin (merged into the attendee's first row)"},
        columns=list(SKIPPED_COLUMNS),
    )
    notes = [
        f"{file}: {fmt} meeting, {n_rows} participant rows, {len(merged)} attendees "
        f"(rejoins merged), host {'given' if host else 'not given'}"
    ]
    return ParsedExport(
        file, fmt, "video", rows, skipped, n_rows, True, attendance=True, notes=notes
    )


def parse_meet(path: str | Path) -> list[ParsedExport]:
    """Read a Google Meet attendance report (CSV).

    Parameters
    ----------
    path : str or Path
        The CSV file; when ``Time joined`` holds times of day only, its name must hold the
        meeting's date (``Mentorat 2026-09-12.csv``).

    Returns
    -------
    list of ParsedExport
        One, one row per attendee, ``attendance`` set, timestamps naive.

    Raises
    ------
    DataValidationError
        A missing column, a time or duration that cannot be read, no date.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> report = pathlib.Path(tempfile.mkdtemp()) / "Mentorat 2026-09-12.csv"
    >>> _ = report.write_text(
    ...     "First name,Last name,Email,Duration,Time joined,Time exited\\n"
    ...     "Hugo,J.,,1 hr 2 min,6:00 PM,7:02 PM\\nMateo,P.,,58 min,6:04 PM,7:02 PM\\n")
    >>> parsed, = parse_meet(report)
    >>> parsed.rows[["recipient", "duration_minutes"]].values.tolist()
    [['Hugo J.', 62.0], ['Mateo P.', 58.0]]
    """
    path = Path(path)
    _, at, header, body = _table(path)
    cols = {k: _optional(header, v) for k, v in _MEET.items()}
    for need in ("joined", "duration"):
        if cols[need] is None:
            _column(header, _MEET[need], path.name, _MEET[need][0])
    lines, who, joined, minutes = [], [], [], []
    for i, row in enumerate(body):
        if not any(c.strip() for c in row):
            continue
        cells = row + [""] * (len(header) - len(row))

        def cell(key: str, cells: list[str] = cells) -> str:
            j = cols[key]
            return cells[j].strip() if j is not None else ""

        name = cell("name") or " ".join(p for p in (cell("first"), cell("last")) if p)
        lines.append(at + 1 + i)
        who.append(_with_address(name, cell("email")))
        joined.append(cell("joined"))
        minutes.append(_minutes(cell("duration")))
    stamps = pd.to_datetime(pd.Series(joined, dtype=object), errors="coerce", format="mixed")
    day = _DATE_IN_NAME.search(path.name)
    timeonly = np.array([not re.search(r"\d{4}|\d+[/.\-]\d+[/.\-]\d+", j) for j in joined])
    if timeonly.any():
        if day is None:
            raise DataValidationError(
                [
                    Problem(
                        path.name,
                        "Time joined",
                        (),
                        N_("times of day without a date, and no date in the file name"),
                        N_(
                            "rename the file with the meeting's date, e.g. 'Mentorat "
                            "2026-09-12.csv'"
                        ),
                    )
                ]
            )
        clock = pd.to_datetime(pd.Series(joined, dtype=object), errors="coerce", format="mixed")
        base = pd.Timestamp(day.group(1))
        fixed = base + (clock - clock.dt.normalize())
        stamps = stamps.where(~timeonly, fixed)
    _refuse_na(stamps.isna().to_numpy(), path.name, lines, "Time joined")
    mins = np.array(minutes, dtype=float)
    _refuse_na(np.isnan(mins), path.name, lines, "Duration")
    frame = pd.DataFrame({"line": lines, "who": who, "join": stamps.to_numpy(), "minutes": mins})
    return [_attendance(frame, path.name, "meet", None, len(lines))]


def _minutes(text: str) -> float:
    """``"1 hr 5 min"``, ``"58 min"``, ``"01:05:00"``, ``"65"`` -> minutes (NaN if unreadable)."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", text):
        parts = [int(p) for p in text.split(":")] + [0]
        return parts[0] * 60 + parts[1] + parts[2] / 60
    m = _DURATION.fullmatch(text)
    if not text or m is None or not any(m.groups()):
        return float("nan")
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h * 60 + mi + s / 60


def lead_sessions(rows: pd.DataFrame, roles: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The exchanges of resolved meeting rows: leader -> every other attendee.

    Parameters
    ----------
    rows : DataFrame
        Rows of an attendance export with ``sender_id`` (the host's id, else missing) and
        ``recipient_id`` (the attendee's id, else missing).
    roles : dict of str to str
        Person id -> ``"mentor"`` or ``"mentee"``.

    Returns
    -------
    rows : DataFrame
        With ``sender_id`` the leader's id (missing, ``no_recipient`` saying why, when the
        meeting has none); the leader's own attendee row removed.
    leaders : DataFrame
        Those removed rows (used when their meeting gives an exchange).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"session": ["m", "m"], "message": [0, 1], "sender_id": [None, None],
    ...                      "recipient_id": ["M001", "E001"], "no_recipient": [None, None]})
    >>> out, leaders = lead_sessions(rows, {"M001": "mentor", "E001": "mentee"})
    >>> out[["sender_id", "recipient_id"]].values.tolist(), leaders["message"].tolist()
    ([['M001', 'E001']], [0])
    """
    rows = rows.copy()
    keep = np.ones(len(rows), bool)
    for _, at in rows.groupby("session", sort=False).indices.items():
        part = rows.iloc[at]
        host = part["sender_id"].dropna()
        ids = part["recipient_id"]
        mentors = sorted({i for i in ids.dropna() if roles.get(i) == "mentor"})
        leader = host.iloc[0] if len(host) else mentors[0] if len(mentors) == 1 else None
        if leader is None:
            why = (
                "several mentors attend and the host is not a person of the programme"
                if mentors
                else "no mentor of the programme attends"
            )
            rows.iloc[at, rows.columns.get_loc("no_recipient")] = why
            rows.iloc[at, rows.columns.get_loc("sender_id")] = None
            continue
        rows.iloc[at, rows.columns.get_loc("sender_id")] = leader
        own = (ids == leader).to_numpy()
        keep[at[own]] = False
    return rows[keep], rows[~keep]
