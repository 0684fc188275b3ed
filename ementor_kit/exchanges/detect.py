"""Which export a file is: WhatsApp, e-mail, Zoom, Meet, or a CSV log.

Detection looks at the name and the first bytes only. A ``.zip`` is a WhatsApp export when it
holds a chat (``.txt``); a text file is a WhatsApp chat when its first lines have the layout of
message lines; a file starting with ``From `` is an ``mbox``; ``.eml`` files and folders of them
are e-mail; a CSV is a Zoom report when it has ``Join Time`` and ``Leave Time`` columns, a Meet
report when it has ``Time joined``, else a CSV log (which needs a column mapping).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ementor_kit.errors import InvalidArgumentError
from ementor_kit.exchanges.email import looks_like_mbox
from ementor_kit.exchanges.meetings import looks_like_meet, looks_like_zoom
from ementor_kit.exchanges.whatsapp import looks_like_whatsapp

__all__ = ["FORMATS", "exchange_format"]

FORMATS = ("whatsapp", "email", "zoom", "meet", "csv")


def exchange_format(path: str | Path) -> str:
    """The format of an export, told from its name and first bytes.

    Parameters
    ----------
    path : str or Path
        A file or a folder of ``.eml`` files.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    InvalidArgumentError
        When the file is none of them (the fix names ``format=``).

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
        raise InvalidArgumentError("source", str(path), "give the path of an existing export")
    if p.is_dir():
        if any(p.rglob("*.eml")):
            return "email"
        raise InvalidArgumentError("source", str(path), "a folder must hold .eml files")
    suffix = p.suffix.lower()
    if suffix == ".zip" and zipfile.is_zipfile(p):
        with zipfile.ZipFile(p) as archive:
            if any(n.lower().endswith(".txt") for n in archive.namelist()):
                return "whatsapp"
    with p.open("rb") as f:
        head = f.read(4096)
    if suffix == ".eml" or looks_like_mbox(head) or suffix == ".mbox":
        return "email"
    text = head.decode("utf-8-sig", errors="replace")
    if looks_like_whatsapp(text):
        return "whatsapp"
    if looks_like_zoom(text):
        return "zoom"
    if looks_like_meet(text):
        return "meet"
    if suffix == ".csv":
        return "csv"
    raise InvalidArgumentError(
        "format",
        None,
        f"{p.name} is no export ementor-kit recognises: pass format= one of {', '.join(FORMATS)}",
    )
