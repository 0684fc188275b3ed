"""Reading settings files (pairing rules, programme designs) from YAML with clear errors."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_


def read_yaml(source: str | Path, what: str) -> tuple[Any, str]:
    """YAML data (``{}`` when empty) and a name for error messages, from a path or YAML text.

    A ``Path``, or a one-line string ending in ``.yaml``/``.yml``, is read as a file; any other
    string is parsed as YAML text and named ``what`` in messages.
    """
    name = what
    text = str(source)
    if isinstance(source, Path) or ("\n" not in text and text.endswith((".yaml", ".yml"))):
        path = Path(source)
        name = str(path)
        if not path.is_file():
            raise DataValidationError(
                [
                    Problem(
                        name,
                        None,
                        (),
                        N_("file not found"),
                        N_("give the path of a {what} YAML file").format(what=what),
                    )
                ]
            )
        text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataValidationError(
            [
                Problem(
                    name,
                    None,
                    (),
                    N_("not valid YAML ({exc})").format(exc=exc),
                    N_("check indentation and colons"),
                )
            ]
        ) from None
    return ({} if data is None else data), name


def unknown_key(where: str, key: str, allowed: Iterable[str]) -> Problem:
    """Problem for a key that is not allowed, suggesting the closest allowed one."""
    allowed = list(allowed)
    close = difflib.get_close_matches(str(key).rsplit(".", 1)[-1], allowed, n=1)
    fix = (
        N_("did you mean '{close}'?").format(close=close[0])
        if close
        else N_("use one of: {allowed}").format(allowed=", ".join(allowed))
    )
    return Problem(where, str(key), (), N_("unknown key"), fix)
