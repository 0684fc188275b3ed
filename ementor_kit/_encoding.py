"""The text encoding of a CSV file, shared by every reader of coordinators' and platforms' files.

:func:`detect_encoding` is the detector of :func:`ementor_kit.data.raw.read_raw` (moved here
verbatim, so that the survey readers use the same one; ``data/raw.py`` still holds its own
copy, ``_detect_encoding``, until it imports this one).
"""

from __future__ import annotations

import codecs

import charset_normalizer

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_

__all__ = ["detect_encoding"]

_SNIFF_CHARS = 65536


def detect_encoding(data: bytes, file: str) -> str:
    """The encoding of a text file's bytes, as :func:`~ementor_kit.data.raw.read_raw` finds it.

    ``utf-8-sig``/``utf-16`` from a byte-order mark, ``utf-8`` when it decodes, else the
    Western single-byte code page charset-normalizer finds most plausible (cp1252 first).

    Parameters
    ----------
    data : bytes
        The whole file.
    file : str
        Its name, for the message.

    Returns
    -------
    str
        ``"utf-8-sig"``, ``"utf-16"``, ``"utf-8"``, ``"cp1252"`` or ``"latin-1"``.

    Raises
    ------
    DataValidationError
        When the bytes hold NUL bytes (not a text file).

    Examples
    --------
    >>> detect_encoding("Anaïs".encode("cp1252"), "x.csv"), detect_encoding(b"abc", "x.csv")
    ('cp1252', 'utf-8')
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data[:_SNIFF_CHARS]:
        raise DataValidationError(
            [
                Problem(
                    file,
                    None,
                    (),
                    N_("not a text file (it holds NUL bytes)"),
                    N_("export the sheet as CSV, or give the .xlsx/.ods file itself"),
                )
            ]
        )
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp1252", "latin_1"]).best()
    found = best.encoding if best is not None else "cp1252"
    if found == "latin_1":
        return "latin-1"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8D, ...)
        return "latin-1"
