"""The data side of the coordinator app: the browser's language, uploaded files read in a
private temporary folder, and download links.

See :mod:`ementor_kit.widgets.app`.
"""

from __future__ import annotations

import base64
import dataclasses
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ementor_kit._html import escape
from ementor_kit.data.people import People, read_people
from ementor_kit.data.propose import propose_programme
from ementor_kit.data.spec import ROLES, ProgrammeSpec
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n import N_

__all__ = ["browser_language", "read_uploaded", "upload_files"]

_ROLE_WORDS = {
    "mentors": ("mentor", "parrain", "marraine", "tuteur", "tutrice"),
    "mentees": ("mentee", "mentore", "mentoré", "filleul", "etudiant", "étudiant"),
}


def browser_language(accept_language: str | None = None) -> str | None:
    """``"fr"`` or ``"en"``, whichever comes first in a browser's ``Accept-Language``; None
    when it names neither.

    ``accept_language`` defaults to ``HTTP_ACCEPT_LANGUAGE``, which Voilà gives the kernel
    (``VoilaConfiguration.http_header_envs`` in ``notebooks/voila.json``).

    Examples
    --------
    >>> browser_language("fr-FR,fr;q=0.9,en-US;q=0.8"), browser_language("de-DE,en;q=0.5")
    ('fr', 'en')
    >>> browser_language("de-DE") is None
    True
    """
    if accept_language is None:
        accept_language = os.environ.get("HTTP_ACCEPT_LANGUAGE", "")
    weighted = []
    for i, part in enumerate(accept_language.split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        code = tag.split("-")[0].lower()
        if code in ("fr", "en"):
            weighted.append((-weight, i, code))
    return min(weighted)[2] if weighted else None


def _data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _link(data: bytes, mime: str, filename: str, text: str, css: str) -> str:
    return (
        f"<a class='{css}' download='{escape(filename)}' href='{_data_url(data, mime)}' "
        f"style='display:inline-block;margin:4px 8px 4px 0;padding:4px 10px;"
        f"border:1px solid #4c72b0;border-radius:3px;text-decoration:none'>{escape(text)}</a>"
    )


def _role_of_name(name: str) -> str | None:
    """``mentors`` / ``mentees`` when the file name says so (mentee words first:
    ``mentorés.csv`` names mentees), else None."""
    low = name.lower()
    for role in ("mentees", "mentors"):
        if any(word in low for word in _ROLE_WORDS[role]):
            return role
    return None


def upload_files(upload_value: Sequence[Mapping[str, Any]]) -> dict[str, bytes]:
    """File name -> bytes of an ``ipywidgets.FileUpload`` value (in upload order).

    Examples
    --------
    >>> upload_files([{"name": "mentors.csv", "content": memoryview(b"a;b")}])
    {'mentors.csv': b'a;b'}
    """
    return {str(f["name"]): bytes(f["content"]) for f in upload_value}


def _checked_roles(files: Mapping[str, bytes]) -> dict[str, str | None]:
    """File name -> role; one file means one export both roles answered (role None)."""
    names = list(files)
    suffixes = {Path(n).suffix.lower() for n in names}
    if not names or len(names) > 2 or not suffixes <= {".csv", ".xlsx", ".ods", ".txt"}:
        raise InvalidArgumentError(
            "files",
            names,
            N_(
                "upload the mentors' and the mentees' exports (two CSV, .xlsx or .ods files), "
                "or one export both roles answered"
            ),
        )
    if len(names) == 1:
        return {names[0]: None}
    roles = {n: _role_of_name(n) for n in names}
    if sorted(r for r in roles.values() if r) != ["mentees", "mentors"]:
        # one named, the other not: the unnamed one is the other role; else upload order
        named = [r for r in roles.values() if r]
        if len(named) == 1:
            other = "mentees" if named[0] == "mentors" else "mentors"
            roles = {n: r or other for n, r in roles.items()}
        else:
            roles = dict(zip(names, ROLES, strict=True))
    return roles


def read_uploaded(
    files: Mapping[str, bytes], spec: ProgrammeSpec | None = None
) -> tuple[ProgrammeSpec, People | None, list[Problem]]:
    """Propose (or reuse) the programme of uploaded exports and read its people.

    The bytes are written to a private temporary folder, read, and the folder removed before
    returning: the readers take paths, nothing stays on the server.

    Parameters
    ----------
    files : mapping of str to bytes
        File name -> content: the mentors' and mentees' exports (named after their role, else
        in that order), or one export both roles answered.
    spec : ProgrammeSpec, optional
        The programme to read them with (the coordinator's corrections); default the proposal.

    Returns
    -------
    spec, people, problems
        The spec (its ``folder`` unset), the people (None when they cannot be read) and every
        reading problem (file, row, column, what, fix; ``str`` in English,
        ``in_language`` in the page's).

    Raises
    ------
    DataValidationError
        A file cannot be read at all (not a table, wrong encoding...).

    Examples
    --------
    >>> import ementor_kit as ek
    >>> folder = ek.example_intake()
    >>> files = {n: (folder / n).read_bytes() for n in ("mentors.csv", "mentees.csv")}
    >>> spec, people, problems = read_uploaded(files)
    >>> people, problems
    (People(5 mentors, 8 mentees), [])
    """
    roles = _checked_roles(files)
    with tempfile.TemporaryDirectory(prefix="ek-upload-") as tmp:
        paths = {}
        for name, data in files.items():
            paths[name] = Path(tmp) / Path(name).name
            paths[name].write_bytes(data)
        if spec is None:
            if len(paths) == 1:
                spec = propose_programme(next(iter(paths.values())))
            else:
                by_role = {roles[n]: p for n, p in paths.items()}
                spec = propose_programme(by_role["mentors"], by_role["mentees"])
        located = dataclasses.replace(spec, folder=tmp)
        try:
            people = read_people(located)
        except DataValidationError as exc:
            return spec, None, list(exc.problems)
    return dataclasses.replace(spec, folder=None), people, []
