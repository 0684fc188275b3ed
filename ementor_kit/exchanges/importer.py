"""``import_exchanges``: tools' exports in, the programme's exchange log out, content never kept."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from ementor_kit._checks import check_choice
from ementor_kit.data.schema import CHANNELS, INTERACTIONS
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.exchanges.detect import FORMATS, exchange_format, refuse_calendar
from ementor_kit.exchanges.email import parse_email
from ementor_kit.exchanges.generic import parse_generic
from ementor_kit.exchanges.meetings import lead_sessions, parse_meet, parse_zoom
from ementor_kit.exchanges.people import ContactBook, alias_keys, mask_contact
from ementor_kit.exchanges.result import SKIPPED_COLUMNS, ExchangeImport, ParsedExport
from ementor_kit.exchanges.slack import parse_slack
from ementor_kit.exchanges.teams import parse_teams_attendance, parse_teams_chat
from ementor_kit.exchanges.whatsapp import parse_whatsapp
from ementor_kit.i18n.language import N_

__all__ = ["import_exchanges"]

_SENDER_UNKNOWN = "sender not among the programme's people (see unresolved)"
_RECIPIENT_UNKNOWN = "recipient not among the programme's people (see unresolved)"


def import_exchanges(
    source: str | Path | Sequence[str | Path],
    programme: object,
    *,
    format: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
    aliases: pd.DataFrame | str | Path | None = None,
    dayfirst: bool | None = None,
    columns: Mapping[str, str] | None = None,
) -> ExchangeImport:
    """Read tools' exports into the programme's exchange log, people resolved, content dropped.

    Parameters
    ----------
    source : str, Path or sequence of them
        Exports: WhatsApp chats (``.txt``, ``.zip``), ``mbox`` files, ``.eml`` files or
        folders of them, Slack workspace exports (``.zip`` or its folder,
        :mod:`~ementor_kit.exchanges.slack`), Teams chat messages (Graph JSON) and attendance
        reports (:mod:`~ementor_kit.exchanges.teams`), Zoom participant reports and Google
        Meet attendance reports (CSV), a CSV message log (with ``columns``). Calendar files
        (``.ics``) are refused: planned sessions are read by
        ``ementor_kit.exchanges.import_planned_sessions``.
    programme : Programme, People, str or Path
        The programme whose people the exports are resolved to
        (:func:`~ementor_kit.data.validation.read_programme`,
        :func:`~ementor_kit.data.people.read_people`, or its folder).
    format : str, optional
        The format of every source: ``"whatsapp"``, ``"email"``, ``"slack"``,
        ``"teams-chat"``, ``"teams-attendance"``, ``"zoom"``, ``"meet"`` or ``"csv"``;
        detected from each file by default.
    channel : str, optional
        Channel of the exchanges (``chat``, ``email``, ``video``, ``phone``, ``forum``);
        by default the format's (``chat`` for WhatsApp, Slack, Teams chats and CSV logs,
        ``email``, ``video`` for meeting reports).
    timezone : str, optional
        IANA zone (``"Europe/Paris"``) of exports that write local time without an offset
        (WhatsApp, Zoom, Meet, Teams attendance, a CSV without offsets). By default the
        single zone the people tables declare (a ``timezone`` attribute); else such exports
        are refused.
    aliases : DataFrame, str or Path, optional
        Extra ways people are named in the exports: columns ``alias``, ``person_id``.
    dayfirst : bool, optional
        Day/month order of WhatsApp and Teams attendance dates (and of a Zoom account writing
        ``DD/MM``); by default taken from the dates, refused when they cannot tell.
    columns : mapping of str to str, optional
        For a CSV log: field -> header (``timestamp``, ``sender``, ``recipient``, and
        optionally ``channel``, ``duration_minutes``, ``session_id``).

    Returns
    -------
    ExchangeImport
        The log (validated against the ``interactions`` contract), the unresolved people,
        every message set aside with its reason, e-mail threads, counts and the report.

    Raises
    ------
    InvalidArgumentError
        An unknown format, channel or zone, no zone for an export without offsets.
    DataValidationError
        An export that cannot be read, naming the file, line, field and fix.

    Examples
    --------
    >>> import ementor_kit as ek, tempfile, pathlib
    >>> chat = pathlib.Path(tempfile.mkdtemp()) / "WhatsApp Chat with Mateo P..txt"
    >>> _ = chat.write_text(
    ...     "12/09/2026 14:03 - Les messages sont chiffrés de bout en bout.\\n"
    ...     "12/09/2026 14:03 - Hugo J. : Bonjour Mateo !\\nTu es dispo jeudi ?\\n"
    ...     "13/09/2026 09:10 - Mateo P. : Oui, à jeudi\\n"
    ...     "13/09/2026 09:11 - Mateo P. : <Médias omis>\\n", encoding="utf-8")
    >>> result = ek.import_exchanges(chat, ek.load_sample(), timezone="Europe/Paris")
    >>> result.log[["timestamp", "sender_id", "recipient_id", "channel"]]
                      timestamp sender_id recipient_id channel
    0 2026-09-12 12:03:00+00:00      M001         E001    chat
    1 2026-09-13 07:10:00+00:00      E001         M001    chat
    >>> result.skipped["reason"].tolist()
    ['system line (no sender)', 'media placeholder']
    """
    paths = [Path(source)] if isinstance(source, (str, Path)) else [Path(s) for s in source]
    if not paths:
        raise InvalidArgumentError("source", source, N_("give at least one export file"))
    if format is not None:
        check_choice("format", format, FORMATS)
    if channel is not None:
        check_choice("channel", channel, CHANNELS)
    book = ContactBook.of(programme, aliases)
    parsed: list[ParsedExport] = []
    for path in paths:
        parsed += _parse(path, format or exchange_format(path), dayfirst, columns, book)
    zone = _zone(timezone, book, [p for p in parsed if p.naive])
    return _assemble(parsed, book, zone, channel)


def _parse(
    path: Path,
    fmt: str,
    dayfirst: bool | None,
    columns: Mapping[str, str] | None,
    book: ContactBook,
) -> list[ParsedExport]:
    if not path.exists():
        raise InvalidArgumentError("source", str(path), N_("give the path of an existing export"))
    refuse_calendar(path)
    if fmt == "slack":
        return parse_slack(path, book)
    if fmt == "teams-chat":
        return parse_teams_chat(path, book)
    if fmt == "teams-attendance":
        return parse_teams_attendance(path, dayfirst=dayfirst)
    if fmt == "whatsapp":
        return parse_whatsapp(path, dayfirst=dayfirst)
    if fmt == "email":
        return parse_email(path)
    if fmt == "zoom":
        return parse_zoom(path, dayfirst=dayfirst)
    if fmt == "meet":
        return parse_meet(path)
    return parse_generic(path, columns)


def _zone(timezone: str | None, book: ContactBook, naive: list[ParsedExport]) -> str | None:
    if timezone is None:
        if naive and book.zone is None:
            raise InvalidArgumentError(
                "timezone",
                None,
                N_(
                    "{file} writes local times without an offset: pass the zone of the "
                    "phone or account that exported it, e.g. timezone='Europe/Paris' "
                    "(--timezone Europe/Paris)"
                ).format(file=naive[0].file),
            )
        return book.zone
    if not isinstance(timezone, str):
        raise ArgumentTypeError(
            "timezone", timezone, N_("pass an IANA zone name such as 'Europe/Paris'")
        )
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidArgumentError(
            "timezone", timezone, N_("pass an IANA zone name such as 'Europe/Paris'")
        ) from None
    return timezone


def _localised(stamps: pd.Series, zone: str) -> tuple[pd.Series, int]:
    """Local wall times in ``zone``; the autumn's repeated hour read in time order when it can
    be, else as summer time, and the spring's missing hour moved forward (counted)."""
    stamps = pd.Series(pd.to_datetime(stamps.to_numpy()), index=stamps.index)
    summer = stamps.dt.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
    winter = stamps.dt.tz_localize(zone, ambiguous=False, nonexistent="shift_forward")
    doubtful = int((summer != winter).sum())
    if doubtful:
        try:
            return stamps.dt.tz_localize(zone, ambiguous="infer", nonexistent="shift_forward"), 0
        except (ValueError, TypeError):  # pytz/pandas: cannot infer
            return summer, doubtful
    return summer, 0


def _assemble(
    parsed: list[ParsedExport], book: ContactBook, zone: str | None, channel: str | None
) -> ExchangeImport:
    logs, skips, threads = [], [], []
    tally: dict[str, list] = {}  # key -> [shown alias, n, files]
    notes: list[str] = []
    read = used = 0
    for n, p in enumerate(parsed):
        log, skip, n_used, note = _resolve(p, n, book, zone, channel, tally)
        logs.append(log)
        skips += [p.skipped, skip]
        read += p.read
        used += n_used
        notes += p.notes + note
    log = pd.concat(logs, ignore_index=True)
    log = log.sort_values(["timestamp", "_order"], kind="stable").reset_index(drop=True)
    width = max(6, len(str(len(log))))
    numbers = pc.cast(pa.array(np.arange(1, len(log) + 1)), pa.string())  # I000001, ... by arrow
    ids = pc.binary_join_element_wise("I", pc.utf8_lpad(numbers, width=width, padding="0"), "")
    log["interaction_id"] = pd.array(ids, dtype="str") if len(log) else []  # (as before: float)
    log["session_id"] = _numbered(log["session_id"], "S")
    thread = _numbered(log["_thread"], "T")
    threads = pd.DataFrame({"interaction_id": log["interaction_id"], "thread_id": thread})
    threads = threads[thread.notna()].reset_index(drop=True)
    log = log[list(INTERACTIONS.column_names)]
    log = _typed(log)
    skipped = pd.concat([s for s in skips if len(s)] or [skips[0]], ignore_index=True)
    skipped = skipped[list(SKIPPED_COLUMNS)].astype({"line": "int64"})
    unresolved = pd.DataFrame(
        [(v[0], "unknown", v[1], ", ".join(sorted(v[2]))) for v in tally.values()],
        columns=["alias", "role", "n_exchanges", "files"],
    ).sort_values(["n_exchanges", "alias"], ascending=[False, True], ignore_index=True)
    counts = {"read": read, "used": used, "skipped": len(skipped), "exchanges": len(log)}
    return ExchangeImport(
        log, unresolved, skipped, threads, counts, _report(counts, skipped, unresolved, notes)
    )


def _resolve(
    p: ParsedExport,
    n: int,
    book: ContactBook,
    zone: str | None,
    channel: str | None,
    tally: dict[str, list],
) -> tuple[pd.DataFrame, pd.DataFrame, int, list[str]]:
    """The log rows of one export, its messages set aside here, the number used, notes."""
    rows = p.rows
    notes: list[str] = []
    names = pd.unique(pd.concat([rows["sender"], rows["recipient"]]).dropna())
    found = dict(zip(names, book.resolve(names), strict=True))
    ids = {a: (f[0] if f else None) for a, f in found.items()}
    rows = rows.assign(
        sender_id=_mapped(rows["sender"], ids), recipient_id=_mapped(rows["recipient"], ids)
    )
    leaders = rows.iloc[:0]
    if p.attendance:
        rows, leaders = lead_sessions(rows, book.roles)
    if p.naive and len(rows):
        local, doubtful = _localised(rows["timestamp"], str(zone))
        rows = rows.assign(timestamp=local)
        if doubtful:
            notes.append(
                f"{p.file}: {doubtful} times in the repeated autumn hour read as summer time"
            )
    ok = (
        rows["sender_id"].notna()
        & rows["recipient_id"].notna()
        & (rows["sender_id"] != rows["recipient_id"])
    ).to_numpy()
    good = rows[ok]
    led = leaders["session"].isin(set(good["session"])).to_numpy()
    used_msgs = set(good["message"].tolist()) | set(leaders["message"][led].tolist())
    _count_unresolved(rows, p, found, tally)
    first = rows.drop_duplicates("message")
    first = first[~first["message"].isin(used_msgs)]
    reason = np.where(
        first["sender_id"].isna() & first["no_recipient"].isna(),
        _SENDER_UNKNOWN,
        np.where(
            first["no_recipient"].notna(),
            first["no_recipient"].fillna(""),
            np.where(
                first["sender_id"] == first["recipient_id"],
                "sender and recipient are the same person",
                _RECIPIENT_UNKNOWN,
            ),
        ),
    )
    if p.attendance:
        reason = np.where(
            first["recipient_id"].isna() & first["no_recipient"].isna(),
            "attendee not among the programme's people (see unresolved)",
            reason,
        )
    skip = pd.DataFrame({"file": first["file"], "line": first["line"], "reason": reason})
    alone = leaders[~led]
    skip = pd.concat(
        [
            skip,
            pd.DataFrame(
                {
                    "file": alone["file"],
                    "line": alone["line"],
                    "reason": "leader of a meeting no other person of the programme attends",
                }
            ),
        ]
    )
    per_msg = good.groupby("message")["message"].transform("size")
    session = good["session"].where(good["session"].notna(), None)
    if p.attendance:  # a meeting is a group session when it gives two exchanges or more
        size = good.groupby("session")["session"].transform("size")
        session = session.where(size > 1, None)
    group = np.where(per_msg.to_numpy() > 1, f"{n}:" + good["message"].astype(str), None)
    session_key = np.where(session.notna(), f"{n}:" + session.astype(str), group)
    log = pd.DataFrame(
        {
            "timestamp": good["timestamp"],
            "sender_id": good["sender_id"],
            "recipient_id": good["recipient_id"],
            "channel": good["channel"].fillna(channel or p.channel),
            "duration_minutes": good["duration_minutes"].astype(float),
            "session_id": session_key,
            "_thread": np.where(good["thread"].notna(), f"{n}:" + good["thread"].astype(str), None),
            "_order": n * 10**12 + good["message"].astype(np.int64) * 1000,
        }
    )
    if channel is None and p.channel not in ("video", "phone"):
        log["duration_minutes"] = np.nan
    return log, skip, len(used_msgs), notes


def _mapped(values: pd.Series, ids: Mapping[object, object]) -> pd.Series:
    """``values.map(ids)``, the mapping done once per distinct value (a chat has a few names
    for a million lines) and spread back by their codes."""
    codes, uniques = pd.factorize(values)
    mapped = pd.Series(uniques).map(ids).array
    return pd.Series(
        mapped.take(codes, allow_fill=True), index=values.index, name=values.name, copy=False
    )


def _count_unresolved(
    rows: pd.DataFrame, p: ParsedExport, found: Mapping[str, object], tally: dict[str, list]
) -> None:
    for col in ("sender", "recipient"):
        unknown = [a for a, f in found.items() if f is None and str(a).strip()]
        if not unknown:
            continue
        part = rows[[col, "message"]]
        part = part[part[col].isin(unknown).to_numpy(dtype=bool)]
        if part.empty:
            continue
        for alias, n_msgs in part.drop_duplicates().groupby(col)["message"].size().items():
            keys = alias_keys(alias)
            key = keys[0] if keys else str(alias)
            entry = tally.setdefault(key, [mask_contact(str(alias)), 0, set()])
            entry[1] += int(n_msgs)
            entry[2].add(p.file)


def _numbered(keys: pd.Series, prefix: str) -> pd.Series:
    """Export-side keys -> ``S0001``-style ids in order of first appearance (missing kept)."""
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    width = max(4, len(str(len(uniques))))
    labels = np.array([f"{prefix}{i:0{width}d}" for i in range(1, len(uniques) + 1)], dtype=object)
    out = np.where(codes >= 0, labels[np.maximum(codes, 0)] if len(labels) else None, None)
    return pd.Series(out, index=keys.index, dtype=object)


def _typed(log: pd.DataFrame) -> pd.DataFrame:
    """The log in the types :func:`~ementor_kit.data.validation.validate` gives.

    Every value is built here from checked parts (ids of the programme, channels of the
    contract, durations within 0-600, tz-aware times), so the log is typed directly: validating
    it again would turn every timestamp into text and back (5 s per million rows). The tests
    check that ``validate(log, "interactions")`` returns it unchanged.
    """
    if not len(log):
        return _empty_log()
    return pd.DataFrame(
        {
            "interaction_id": log["interaction_id"].astype("str"),
            "timestamp": pd.to_datetime(log["timestamp"], utc=True).astype("datetime64[ns, UTC]"),
            "sender_id": log["sender_id"].astype("str"),
            "recipient_id": log["recipient_id"].astype("str"),
            "channel": log["channel"].astype("str"),
            "duration_minutes": log["duration_minutes"].astype("float64").clip(0, 600),
            "session_id": log["session_id"].astype("str"),
        }
    )


def _empty_log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "interaction_id": pd.Series(dtype="str"),
            "timestamp": pd.Series(dtype="datetime64[ns, UTC]"),
            "sender_id": pd.Series(dtype="str"),
            "recipient_id": pd.Series(dtype="str"),
            "channel": pd.Series(dtype="str"),
            "duration_minutes": pd.Series(dtype="float64"),
            "session_id": pd.Series(dtype="str"),
        }
    )


def _report(
    counts: Mapping[str, int], skipped: pd.DataFrame, unresolved: pd.DataFrame, notes: list[str]
) -> str:
    lines = [
        f"Read {counts['read']} messages: {counts['used']} used, giving {counts['exchanges']} "
        f"exchanges; {counts['skipped']} set aside.",
    ]
    for reason, k in skipped["reason"].value_counts().items():
        lines.append(f"- {k} {reason}")
    if len(unresolved):
        lines.append(
            f"{len(unresolved)} people not resolved (add them to an alias table: alias, "
            "person_id); never guessed."
        )
    lines += notes
    lines.append(
        "Thrown away: every message body (read only to tell messages from system lines and "
        "media placeholders), the names, numbers and addresses of the exports (kept only, "
        "masked, for the unresolved people), subjects, Message-IDs and meeting topics."
    )
    return "\n".join(lines)
