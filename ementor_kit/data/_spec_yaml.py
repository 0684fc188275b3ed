"""The ``programme.yaml`` file format: a :class:`~ementor_kit.data.spec.ProgrammeSpec` read
from its YAML mapping (every problem of the file at once) and written back as deterministic,
commented YAML text. :meth:`ProgrammeSpec.from_yaml <ementor_kit.data.spec.ProgrammeSpec.from_yaml>`
and :meth:`ProgrammeSpec.to_yaml <ementor_kit.data.spec.ProgrammeSpec.to_yaml>` call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import yaml

from ementor_kit._settings_yaml import unknown_key
from ementor_kit.data.spec import (
    ROLES,
    AttributeSpec,
    PeopleFile,
    ProgrammeSpec,
    ReviewNote,
)
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_

_ATTR_KEYS = (
    "column",
    "type",
    "required",
    "vocabulary",
    "recode",
    "separator",
    "decimal",
    "unit",
    "min",
    "max",
    "format",
    "reason",
    "description",
    "free",
)
_FILE_KEYS = ("path", "role", "sheet", "encoding", "separator", "role_column", "roles")

# --------------------------------------------------------------------------- from YAML


def _file_from(data: object, i: int, where: str, problems: list[Problem]) -> PeopleFile | None:
    key = f"people[{i}]"
    if not isinstance(data, Mapping):
        problems.append(
            Problem(where, key, (), N_("not a mapping"), N_("write path: FILE and role: mentors"))
        )
        return None
    problems += [unknown_key(where, f"{key}.{k}", _FILE_KEYS) for k in data if k not in _FILE_KEYS]
    roles = data.get("roles") or {}
    if not isinstance(roles, Mapping):
        problems.append(
            Problem(where, f"{key}.roles", (), N_("not a mapping"), N_('write "Label": mentors'))
        )
        roles = {}
    text = {
        k: None if data.get(k) is None else str(data.get(k))
        for k in ("role", "sheet", "encoding", "separator", "role_column")
    }
    return PeopleFile(
        str(data.get("path") or ""), roles={str(k): v for k, v in roles.items()}, **text
    )


def _attribute_from(
    name: object, data: object, role: str, where: str, problems: list[Problem]
) -> AttributeSpec | None:
    key = f"attributes.{role}.{name}"
    if not isinstance(data, Mapping):
        problems.append(
            Problem(
                where,
                key,
                (),
                N_("not a mapping"),
                N_("write column: HEADER and type: TYPE under it"),
            )
        )
        return None
    problems += [unknown_key(where, f"{key}.{k}", _ATTR_KEYS) for k in data if k not in _ATTR_KEYS]
    vocab = data.get("vocabulary")
    if vocab is not None and not isinstance(vocab, list):
        problems.append(
            Problem(
                where,
                f"{key}.vocabulary",
                (),
                N_("not a list"),
                N_("write vocabulary: [code1, code2]"),
            )
        )
        vocab = None
    recode = data.get("recode") or {}
    if not isinstance(recode, Mapping):
        problems.append(
            Problem(
                where, f"{key}.recode", (), N_("not a mapping"), N_('write "Label": code lines')
            )
        )
        recode = {}
    required = data.get("required", False)
    if not isinstance(required, bool):
        problems.append(
            Problem(
                where,
                f"{key}.required",
                (),
                N_("{required!r} is not true/false").format(required=required),
                N_("write required: true or false"),
            )
        )
        required = False
    texts = {
        k: (None if data.get(k) is None else str(data.get(k)))
        for k in ("separator", "decimal", "unit", "format", "reason", "description")
    }
    free = data.get("free", False)
    if not isinstance(free, bool):
        problems.append(
            Problem(
                where,
                f"{key}.free",
                (),
                N_("{free!r} is not true/false").format(free=free),
                N_("write free: true"),
            )
        )
        free = False
    return AttributeSpec(
        name=str(name),
        column=str(data.get("column", "")),
        type=str(data.get("type", "")),
        required=required,
        vocabulary=None if vocab is None else tuple(str(v) for v in vocab),
        recode={str(k): v for k, v in recode.items()},
        min=data.get("min"),
        max=data.get("max"),
        free=free,
        **texts,
    )


def _spec_from_mapping(data: object, where: str, folder: str | None) -> ProgrammeSpec:
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        problems.append(Problem(where, key, (), message, fix))

    if not isinstance(data, Mapping):
        bad("", N_("not a mapping of settings"), N_("start from the file ementor-kit init writes"))
        raise DataValidationError([replace(problems[0], column=None)])
    top = ("version", "people", "attributes", "rules")
    problems += [unknown_key(where, str(k), top) for k in data if k not in top]
    if data.get("version", 1) != 1:
        bad(
            "version",
            N_("version {get!r} is not known").format(get=data.get(N_("version"))),
            N_("write version: 1"),
        )
    people = data.get("people") or []
    if not isinstance(people, list):
        bad("people", N_("not a list"), N_("write - path: FILE lines under people"))
        people = []
    files = [f for i, d in enumerate(people) if (f := _file_from(d, i, where, problems))]
    attrs: dict[str, list[AttributeSpec]] = {r: [] for r in ROLES}
    section = data.get("attributes") or {}
    if not isinstance(section, Mapping):
        bad("attributes", N_("not a mapping"), N_("write mentors: and mentees: under attributes"))
        section = {}
    problems += [unknown_key(where, f"attributes.{k}", ROLES) for k in section if k not in ROLES]
    for role in ROLES:
        block = section.get(role) or {}
        if not isinstance(block, Mapping):
            bad(f"attributes.{role}", N_("not a mapping"), N_("write one attribute name per line"))
            continue
        attrs[role] = [
            a for n, d in block.items() if (a := _attribute_from(n, d, role, where, problems))
        ]
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        bad("rules", N_("not a list"), N_("write - kind: ... lines under rules"))
        rules = []
    try:
        spec = ProgrammeSpec(
            files=tuple(files),
            mentors=tuple(attrs["mentors"]),
            mentees=tuple(attrs["mentees"]),
            rules=tuple(dict(r) if isinstance(r, Mapping) else r for r in rules),
            folder=folder,
        )
    except DataValidationError as exc:  # every problem together, naming the file
        problems += [replace(p, file=where) for p in exc.problems]
    if problems:
        raise DataValidationError(problems)
    return spec


# --------------------------------------------------------------------------- to YAML

_HEADER = """\
# programme.yaml: how ementor-kit reads this programme's people files.
# The files themselves are never changed: fix a reading problem here (a column name, a
# recoding line "Label as written": code), then run `ementor-kit validate FOLDER` again.
# Types: id, name, contact, category, multi, number, integer, boolean, language (ISO 639
# codes), timezone (IANA zone or UTC offset), date, text (kept, never used for matching),
# ignore (not read). name and contact identify people: kept for your own exports, never in
# analysis outputs, never used for scoring.
"""


def _scalar(v: object) -> str:
    """A YAML scalar: plain when it reads back as itself, else double-quoted."""
    if isinstance(v, str):
        plain = v
        if (
            v
            and v == v.strip()
            and any(ch.isalnum() for ch in v)
            and not v.startswith(tuple("-?:,[]{}#&*!|>'\"%@`"))
            and ": " not in v
            and " #" not in v
            and not v.endswith(":")
            and "\n" not in v
        ):
            try:
                if yaml.safe_load(plain) == v:
                    return plain
            except yaml.YAMLError:
                pass
        return yaml.safe_dump(v, default_style='"', allow_unicode=True, width=10**9).strip()
    text = yaml.safe_dump(v, allow_unicode=True, width=10**9)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}" for line in text.splitlines() if line.strip()]


def _attribute_lines(a: AttributeSpec, notes: Sequence[ReviewNote]) -> list[str]:
    lines = []
    for n in notes:
        seen = f"; seen: {n.values_seen}" if n.values_seen else ""
        lines += _comment(f"{n.confidence} confidence{seen}", "    ")
        if n.check:
            lines += _comment(f"check: {n.check}", "    ")
    lines.append(f"    {a.name}:")
    lines.append(f"      column: {_scalar(a.column)}")
    lines.append(f"      type: {a.type}")
    defaults = AttributeSpec(a.name, a.column, a.type)
    keys = ("required", "separator", "decimal", "unit", "min", "max", "format", "reason", "free")
    for k in (*keys, "description"):
        v = getattr(a, k)
        if v != getattr(defaults, k):
            lines.append(f"      {k}: {_scalar(v)}")
    if a.vocabulary is not None:
        lines.append(f"      vocabulary: [{', '.join(_scalar(v) for v in a.vocabulary)}]")
    if a.recode:
        lines.append("      recode:")
        lines += [f"        {_scalar(k)}: {_scalar(v)}" for k, v in a.recode.items()]
    return lines


def _dump(spec: ProgrammeSpec, files: Sequence[PeopleFile]) -> str:
    out = [_HEADER, "version: 1", "", "people:"]
    for f in files:
        out.append(f"  - path: {_scalar(f.path)}")
        for k in ("role", "sheet", "encoding", "separator", "role_column"):
            v = getattr(f, k)
            if v is not None:
                out.append(f"    {k}: {_scalar(v)}")
        if f.roles:
            out.append("    roles:")
            out += [f"      {_scalar(k)}: {_scalar(v)}" for k, v in f.roles.items()]
    file_notes = [n for n in spec.notes if n.column is None and n.check]
    for n in file_notes:
        out += _comment(f"{n.file}: {n.check}", "  ")
    out += ["", "attributes:"]
    for role in ROLES:
        out.append(f"  {role}:")
        for a in spec.attributes(role):
            notes = [
                n
                for n in spec.notes
                if n.attribute == a.name and role in n.roles and n.column == a.column
            ]
            out += _attribute_lines(a, notes)
    out += ["", "# Starting pairing rules (importance: must, high, medium, low, or a weight)."]
    if spec.rules:
        out.append("rules:")
        out += [
            "  - "
            + yaml.safe_dump(
                dict(r), default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**9
            ).strip()
            for r in spec.rules
        ]
    else:
        out.append("rules: []")
    return "\n".join(out) + "\n"
