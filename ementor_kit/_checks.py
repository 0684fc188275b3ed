"""Argument checks shared by the package, written once (networkx-style).

Each check returns the value it accepted, unchanged, or raises an
:class:`~ementor_kit.errors.InvalidArgumentError` (wrong value),
:class:`~ementor_kit.errors.ArgumentTypeError` (wrong type) or
:class:`~ementor_kit.errors.UnknownNameError` (a name that is not there) whose message names
the argument, the value received and the fix. The module is private: the names are for the
package's own functions, not for users.

Examples
--------
>>> check_level("ci", 0.9)
0.9
>>> check_level("ci", 2)
Traceback (most recent call last):
...
ementor_kit.errors.InvalidArgumentError: argument 'ci': 2 is not accepted. Fix: use a number strictly between 0 and 1, e.g. 0.95
>>> check_choice("role", "mentor", ("mentee", "mentor"))
'mentor'
>>> check_whole("k", 5, minimum=1)
5
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError, UnknownNameError
from ementor_kit.i18n.language import N_

__all__ = [
    "check_choice",
    "check_instance",
    "check_level",
    "check_names",
    "check_real",
    "check_whole",
    "one_of",
]


def one_of(allowed: Iterable[object], value: object = None) -> str:
    """``"use one of 'a', 'b'"``, with the closest allowed value first when there is one.

    Examples
    --------
    >>> one_of(["pairwise", "listwise"], "pairwse")
    "did you mean 'pairwise'? (one of 'pairwise', 'listwise')"
    >>> one_of(["HC3", "classical"], 3)
    "use one of 'HC3', 'classical'"
    """
    allowed = list(allowed)
    shown = ", ".join(repr(a) for a in allowed[:12]) + (", ..." if len(allowed) > 12 else "")
    if isinstance(value, str):
        close = difflib.get_close_matches(value, [str(a) for a in allowed], n=1)
        if close:
            return N_("did you mean {close!r}? (one of {shown})").format(
                close=close[0], shown=shown
            )
    return N_("use one of {shown}").format(shown=shown)


def check_choice(argument: str, value: Any, allowed: Sequence[Any]) -> Any:
    """``value`` if it is one of ``allowed``, else :class:`InvalidArgumentError`.

    Examples
    --------
    >>> check_choice("alternative", "less", ("two-sided", "one-sided"))
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'alternative': 'less' is not accepted. Fix: use one of 'two-sided', 'one-sided'
    """
    try:
        ok = value in allowed
    except TypeError:  # an unhashable value against a set
        ok = False
    if not ok:
        raise InvalidArgumentError(argument, value, one_of(allowed, value))
    return value


def check_instance(argument: str, value: Any, types: type | tuple[type, ...], fix: str) -> Any:
    """``value`` if it is an instance of ``types``, else :class:`ArgumentTypeError`.

    Examples
    --------
    >>> check_instance("table", [1, 2], dict, "pass a dict")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.ArgumentTypeError: argument 'table': list [1, 2] is not accepted. Fix: pass a dict
    """
    if not isinstance(value, types):
        raise ArgumentTypeError(argument, value, fix)
    return value


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_real(argument: str, value: Any, *, nonzero: bool = False, what: str = "") -> Any:
    """``value`` if it is a finite real number (and not 0 with ``nonzero``).

    Examples
    --------
    >>> check_real("effect_size", float("nan"), what="a standardised effect, e.g. 0.5")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'effect_size': nan is not accepted. Fix: use a finite number: a standardised effect, e.g. 0.5
    """
    kind = N_("a finite non-zero number") if nonzero else N_("a finite number")
    fix = (
        N_("use {kind}: {what}").format(kind=kind, what=what)
        if what
        else N_("use {kind}").format(kind=kind)
    )
    if not _is_real(value):
        raise ArgumentTypeError(argument, value, fix)
    if not math.isfinite(value) or (nonzero and value == 0):
        raise InvalidArgumentError(argument, value, fix)
    return value


def check_level(argument: str, value: Any, *, example: str = "0.95") -> Any:
    """``value`` if it is a number strictly between 0 and 1 (a confidence level, alpha, power).

    Examples
    --------
    >>> check_level("alpha", "0.05", example="0.05")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.ArgumentTypeError: argument 'alpha': str '0.05' is not accepted. Fix: use a number strictly between 0 and 1, e.g. 0.05
    """
    fix = N_("use a number strictly between 0 and 1, e.g. {example}").format(example=example)
    if not _is_real(value):
        raise ArgumentTypeError(argument, value, fix)
    if not 0 < value < 1:  # NaN fails too
        raise InvalidArgumentError(argument, value, fix)
    return value


def check_whole(
    argument: str,
    value: Any,
    *,
    minimum: int,
    maximum: int | None = None,
    example: str = "",
) -> Any:
    """``value`` if it is a whole number (``int`` or NumPy integer, not bool) in range.

    Examples
    --------
    >>> check_whole("k", 0, minimum=1, example="5 or 10")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'k': 0 is not accepted. Fix: use a whole number of at least 1, e.g. 5 or 10
    >>> check_whole("length", 80, minimum=8, maximum=64)
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'length': 80 is not accepted. Fix: use a whole number from 8 to 64
    """
    if maximum is None:
        fix = N_("use a whole number of at least {minimum}").format(minimum=minimum)
    else:
        fix = N_("use a whole number from {minimum} to {maximum}").format(
            minimum=minimum, maximum=maximum
        )
    if example:
        fix += f", e.g. {example}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ArgumentTypeError(argument, value, fix)
    if int(value) < minimum or (maximum is not None and int(value) > maximum):
        raise InvalidArgumentError(argument, value, fix)
    return value


def check_names(
    argument: str,
    names: Iterable[Any],
    available: Iterable[Any],
    *,
    what: str = N_("column"),
    where: str = N_("the table"),
) -> None:
    """Every one of ``names`` is in ``available``, else :class:`UnknownNameError`.

    The message names the missing ones; the fix lists what there is (the closest first).

    Examples
    --------
    >>> check_names("keep", ["cohrt"], ["respondent_id", "cohort"], where="the responses")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.UnknownNameError: argument 'keep': column 'cohrt' is not in the responses. Fix: did you mean 'cohort'? (one of 'respondent_id', 'cohort')
    """
    available = list(available)
    missing = [n for n in names if n not in available]
    if missing:
        shown = ", ".join(repr(n) for n in missing[:6]) + (", ..." if len(missing) > 6 else "")
        message = (
            N_("{what}s {shown} are not in {where}")
            if len(missing) > 1
            else N_("{what} {shown} is not in {where}")
        )
        raise UnknownNameError(
            argument,
            missing[0] if len(missing) == 1 else missing,
            one_of(available, str(missing[0])),
            message=message.format(what=what, shown=shown, where=where),
        )
