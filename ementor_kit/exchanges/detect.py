"""Which export a file is: WhatsApp, e-mail, Slack, Teams, Zoom, Meet, or a CSV log.

Detection looks at the name, the file names of a folder or zip, and the first bytes only:

- a folder or ``.zip`` with a ``users.json`` beside ``channels.json`` (or ``groups.json``,
  ``dms.json``, ``mpims.json``) is a Slack export; another ``.zip`` holding a chat (``.txt``)
  is a WhatsApp export; another folder holding ``.eml`` files is e-mail;
- a text file whose first lines have the layout of WhatsApp message lines is a WhatsApp
  chat; a file starting with ``From `` (or named ``.mbox`` / ``.eml``) is e-mail;
- a JSON file with Microsoft Graph ``chatMessage`` fields (``createdDateTime`` with
  ``messageType``, ``chatId`` or ``@odata``) is a Teams chat;
- a CSV (UTF-8 or UTF-16) with a Teams participant header (``First Join``, ``Participant ID
  (UPN)``, ``Première participation``, a ``1. Summary`` first line) is a Teams attendance
  report; with ``Join Time`` and ``Leave Time`` a Zoom report; with ``Time joined`` a Meet
  report; any other ``.csv`` a CSV log (which needs a column mapping).

A calendar file (``.ics``, or text starting ``BEGIN:VCALENDAR``) is refused: it holds planned
sessions, not exchanges, and is read by ``ementor_kit.exchanges.import_planned_sessions``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ementor_kit.errors import InvalidArgumentError
from ementor_kit.exchanges.email import looks_like_mbox
from ementor_kit.exchanges.meetings import looks_like_meet, looks_like_zoom
from ementor_kit.exchanges.slack import looks_like_slack
from ementor_kit.exchanges.teams import decode, looks_like_teams_attendance, looks_like_teams_chat
from ementor_kit.exchanges.whatsapp import looks_like_whatsapp
from ementor_kit.i18n.language import N_

__all__ = ["FORMATS", "exchange_format", "refuse_calendar"]

FORMATS = (
    "whatsapp",
    "email",
    "slack",
    "teams-chat",
    "teams-attendance",
    "zoom",
    "meet",
    "csv",
)
"""The format names ``import_exchanges(..., format=...)`` takes."""


def refuse_calendar(path: str | Path) -> None:
    """Refuse a calendar file with the function that reads it.

    Parameters
    ----------
    path : str or Path
        A source given to the import.

    Raises
    ------
    InvalidArgumentError
        When it is an ``.ics`` file (or starts ``BEGIN:VCALENDAR``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> cal = pathlib.Path(tempfile.mkdtemp()) / "mentorat.ics"
    >>> _ = cal.write_text("BEGIN:VCALENDAR\\nEND:VCALENDAR\\n")
    >>> try:
    ...     refuse_calendar(cal)
    ... except InvalidArgumentError as err:
    ...     print("import_planned_sessions" in str(err))
    True
    """
    p = Path(path)
    calendar = p.suffix.lower() in (".ics", ".ical", ".ifb")
    if not calendar and p.is_file():
        with p.open("rb") as f:
            calendar = decode(f.read(64)).lstrip().upper().startswith("BEGIN:VCALENDAR")
    if calendar:
        raise InvalidArgumentError(
            "source",
            str(path),
            N_(
                "pass it to ementor_kit.exchanges.import_planned_sessions(...) to read "
                "the planned sessions, and give import_exchanges the exports of the "
                "exchanges that took place (chat, e-mail, meeting attendance reports)"
            ),
            message=N_(
                "{name} is a calendar file: it holds planned sessions, not exchanges"
            ).format(name=p.name),
        )


def exchange_format(path: str | Path) -> str:
    """The format of an export, told from its name and first bytes.

    Parameters
    ----------
    path : str or Path
        A file, a folder of ``.eml`` files or an unzipped Slack export.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    InvalidArgumentError
        When the file is none of them (the fix names ``format=``), or is a calendar file
        (:func:`refuse_calendar`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> chat = pathlib.Path(tempfile.mkdtemp()) / "chat.txt"
    >>> _ = chat.write_text("12/09/2026 14:03 - Hugo J. : Bonjour\\n", encoding="utf-8")
    >>> exchange_format(chat)
    'whatsapp'
    """
    p = Path(path)
    if not p.exists():
        raise InvalidArgumentError("source", str(path), N_("give the path of an existing export"))
    if p.is_dir():
        if looks_like_slack(q.relative_to(p).as_posix() for q in p.rglob("*.json")):
            return "slack"
        if any(p.rglob("*.eml")):
            return "email"
        raise InvalidArgumentError(
            "source", str(path), N_("a folder must hold .eml files or be an unzipped Slack export")
        )
    refuse_calendar(p)
    suffix = p.suffix.lower()
    if suffix == ".zip" and zipfile.is_zipfile(p):
        with zipfile.ZipFile(p) as archive:
            names = archive.namelist()
        if looks_like_slack(names):
            return "slack"
        if any(n.lower().endswith(".txt") for n in names):
            return "whatsapp"
    with p.open("rb") as f:
        head = f.read(4096)
    if suffix == ".eml" or looks_like_mbox(head) or suffix == ".mbox":
        return "email"
    text = decode(head)
    if looks_like_whatsapp(text):
        return "whatsapp"
    if looks_like_teams_chat(text):
        return "teams-chat"
    if looks_like_teams_attendance(text):
        return "teams-attendance"
    if looks_like_zoom(text):
        return "zoom"
    if looks_like_meet(text):
        return "meet"
    if suffix == ".csv":
        return "csv"
    raise InvalidArgumentError(
        "format",
        None,
        N_("{name} is no export ementor-kit recognises: pass format= one of {FORMATS}").format(
            name=p.name, FORMATS=", ".join(FORMATS)
        ),
    )
