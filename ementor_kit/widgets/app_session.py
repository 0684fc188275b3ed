"""Sessions and rules files of the coordinator app, in memory.

A **session** is a programme folder as a zip: ``programme.yaml`` (how the exports are read,
with the coordinator's corrections), the uploaded exports as they came, ``rules.yaml`` (the
current rules: weights, hard rules, locked and forbidden pairs, capacity overrides) and
``session.yaml`` (the format and its settings, the decisions on the proposal, the version).
Unzipped, it is a folder :func:`~ementor_kit.read_programme` reads, and ``ementor-kit match
folder --rules folder/rules.yaml`` pairs as the app did. For the bundled sample the zip holds
``rules.yaml`` and ``session.yaml`` only (``data: sample``).

Uploaded sessions and rules files are read in memory and checked before use: entries must be
plain file names, the people files of ``programme.yaml`` must be in the zip, and a rules file
may not name a file to read (criteria such as ``preference`` read one from the server's
disk), so an upload can make the server read nothing but what it brought.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml

from ementor_kit._version import __version__
from ementor_kit.data.spec import ProgrammeSpec
from ementor_kit.errors import InvalidArgumentError
from ementor_kit.i18n import N_
from ementor_kit.matching import MatchRules
from ementor_kit.matching.criteria import CRITERION_KINDS, TABLE_RULE_KINDS
from ementor_kit.widgets.app_formats import FormatSettings
from ementor_kit.widgets.app_text import Decision

__all__ = ["Session", "read_rules", "read_session", "session_zip"]

MAX_BYTES = 100_000_000
"""Largest session accepted, unzipped (bytes)."""
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_PEOPLE_SUFFIXES = (".csv", ".xlsx", ".ods", ".txt")


@dataclass(frozen=True)
class Session:
    """What a session zip holds (see the module documentation)."""

    rules: MatchRules
    settings: FormatSettings = FormatSettings()
    files: dict[str, bytes] = field(default_factory=dict)
    spec: ProgrammeSpec | None = None
    decisions: tuple[Decision, ...] = ()

    @property
    def sample(self) -> bool:
        """Whether the session is on the bundled sample (no files)."""
        return self.spec is None


def _check_rules_data(data: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidArgumentError(
            "rules", name, N_("upload a rules file (YAML: weights or criteria, hard_rules...)")
        )
    kinds = {**CRITERION_KINDS, **TABLE_RULE_KINDS}
    for item in data.get("criteria") or ():
        if not isinstance(item, Mapping):
            continue
        kind = item.get("kind")
        default = kinds.get(kind, {}) if isinstance(kind, str) else {}
        if item.get("file") or default.get("file"):
            raise InvalidArgumentError(
                "rules",
                name,
                N_(
                    "the app reads no file named by the rules: use a rules file without "
                    "{kind!r} criteria, or run it with ementor-kit match in the programme's folder"
                ).format(kind=kind),
            )
    return data


def read_rules(data: bytes, name: str = "rules.yaml") -> MatchRules:
    """Rules from the bytes of an uploaded YAML rules file (the package's rules format).

    Raises
    ------
    InvalidArgumentError
        Not UTF-8 YAML holding a mapping, or a criterion that reads a file.
    DataValidationError
        Rules the package refuses (unknown keys, bad values), with the fix.

    Examples
    --------
    >>> read_rules(b"weights: {skills: 2}\\nhard_rules: {min_score: 30}").min_score
    30.0
    """
    try:
        parsed = yaml.safe_load(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidArgumentError(
            "rules",
            name,
            N_("upload a YAML file saved as UTF-8 ({error})").format(error=type(exc).__name__),
        ) from None
    return MatchRules.from_dict(_check_rules_data(parsed, name), source=name)


def _entry(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def session_zip(
    rules: MatchRules,
    settings: FormatSettings,
    *,
    files: Mapping[str, bytes] | None = None,
    spec: ProgrammeSpec | None = None,
    decisions: Sequence[Decision] = (),
    provenance: str = "",
) -> bytes:
    """The session as zip bytes (the same inputs give the same bytes).

    Examples
    --------
    >>> data = session_zip(MatchRules(), FormatSettings("circles"))
    >>> s = read_session(data)
    >>> s.sample, s.settings.format, s.rules == MatchRules()
    (True, 'circles', True)
    """
    about = {
        "ementor_kit": __version__,
        "data": "sample" if spec is None else "files",
        "provenance": provenance,
        "format": settings.to_dict(),
        "decisions": [{k: v for k, v in vars(d).items() if v is not None} for d in decisions],
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if spec is not None:
            _entry(zf, "programme.yaml", spec.to_yaml().encode("utf-8"))
            for name, data in (files or {}).items():
                _entry(zf, PurePosixPath(name).name, data)
        _entry(zf, "rules.yaml", rules.to_yaml().encode("utf-8"))
        text = yaml.safe_dump(about, allow_unicode=True, sort_keys=False)
        _entry(zf, "session.yaml", text.encode("utf-8"))
    return buf.getvalue()


def _refuse(name: str, fix: str) -> InvalidArgumentError:
    return InvalidArgumentError("session", name, fix)


def read_session(data: bytes, name: str = "session.zip") -> Session:
    """A session from the bytes of an uploaded zip (:func:`session_zip`'s layout).

    Raises
    ------
    InvalidArgumentError
        Not a zip, larger than :data:`MAX_BYTES` unzipped, entries in folders, no
        ``rules.yaml``/``session.yaml``, a people file of ``programme.yaml`` not in the zip,
        or settings the app does not know (each with its fix).
    DataValidationError
        A ``programme.yaml`` or rules the package refuses.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse(name, N_("upload the session .zip the app downloaded")) from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > MAX_BYTES:
            raise _refuse(
                name,
                N_("upload a session under {mb} MB unzipped").format(mb=MAX_BYTES // 1_000_000),
            )
        entries = {}
        for info in infos:
            path = PurePosixPath(info.filename)
            if len(path.parts) != 1 or path.name in ("", ".", ".."):
                raise _refuse(
                    name,
                    N_("keep every file at the top of the zip ({file!r} is not)").format(
                        file=info.filename
                    ),
                )
            entries[path.name] = zf.read(info)
    for needed in ("rules.yaml", "session.yaml"):
        if needed not in entries:
            raise _refuse(
                name, N_("upload a session zip of the app: it holds {file}").format(file=needed)
            )
    rules = read_rules(entries["rules.yaml"], "rules.yaml")
    about = yaml.safe_load(entries["session.yaml"].decode("utf-8"))
    if not isinstance(about, Mapping):
        raise _refuse(name, N_("session.yaml must be the app's (a mapping)"))
    try:
        settings = FormatSettings.from_dict(about.get("format") or {})
        decisions = tuple(Decision(**d) for d in about.get("decisions") or ())
    except (TypeError, ValueError):
        raise _refuse(
            name, N_("session.yaml must be the app's: its format or decisions are not")
        ) from None
    if about.get("data") == "sample":
        return Session(rules, settings, decisions=decisions)
    if "programme.yaml" not in entries:
        raise _refuse(name, N_("a session on uploaded files holds programme.yaml"))
    text = entries["programme.yaml"].decode("utf-8")
    spec = ProgrammeSpec.from_yaml(text if "\n" in text else text + "\n")
    files = {}
    for f in spec.files:
        if f.path not in entries or PurePosixPath(f.path).suffix.lower() not in _PEOPLE_SUFFIXES:
            raise _refuse(
                name,
                N_("programme.yaml reads {file!r}: put that export in the zip, beside it").format(
                    file=f.path
                ),
            )
        files[f.path] = entries[f.path]
    return Session(rules, settings, files, spec, decisions)
