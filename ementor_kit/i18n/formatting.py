"""Numbers, percentages and dates written the way the reader's language writes them.

French (Babel, locale ``fr_FR``): decimal comma, a narrow no-break space between thousands,
``12,5 %``, ``3 décembre 2026``. English keeps exactly what the package always printed
(Python's ``format``: ``12.5``, ``12.5%``, ``1234.5``) so English outputs do not change.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from babel.dates import format_date as _babel_date
from babel.dates import get_day_names as _babel_day_names
from babel.numbers import format_decimal as _babel_decimal
from matplotlib.axis import Axis
from matplotlib.ticker import FuncFormatter

from ementor_kit.i18n.language import resolve_language

__all__ = ["decimal_axis", "format_date", "format_number", "format_percent", "weekday_names"]

_LOCALES = {"en": "en", "fr": "fr_FR"}
_MISSING = "-"


def _value(x: Any) -> float | None:
    """``x`` as a float, None when missing (None, NaN) or not a number."""
    if x is None:
        return None
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(xf) else xf


def format_number(x: Any, digits: int = 1, lang: str | None = None) -> str:
    """``x`` with ``digits`` decimals: ``12.5`` in English, ``12,5`` in French.

    Parameters
    ----------
    x : number
        The value; None or NaN give ``"-"``.
    digits : int
        Number of decimals.
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(1234.56, 1, lang="fr") == "1\\u202f234,6"
    True
    >>> format_number(1234.56, 1, lang="en"), format_number(float("nan"), lang="en")
    ('1234.6', '-')
    """
    code = resolve_language(lang)
    xf = _value(x)
    if xf is None:
        return _MISSING
    if code == "en":
        return format(xf, f".{digits}f")
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return _babel_decimal(xf, format=pattern, locale=_LOCALES[code])


def format_percent(x: Any, digits: int = 1, lang: str | None = None) -> str:
    """A share (0.125) as a percentage: ``12.5%`` in English, ``12,5 %`` in French.

    Parameters
    ----------
    x : number
        The share (1 is 100 %); None or NaN give ``"-"``.
    digits : int
        Number of decimals of the percentage.
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.

    Returns
    -------
    str
        French puts a no-break space before ``%``.

    Examples
    --------
    >>> format_percent(0.125, lang="fr") == "12,5\\u00a0%"
    True
    >>> format_percent(0.125, lang="en"), format_percent(1, 0, lang="en")
    ('12.5%', '100%')
    """
    code = resolve_language(lang)
    xf = _value(x)
    if xf is None:
        return _MISSING
    if code == "en":
        return f"{100 * xf:.{digits}f}%"
    return format_number(100 * xf, digits, code) + "\u00a0%"


def format_date(value: dt.date | dt.datetime | str, lang: str | None = None) -> str:
    """A date written out: ``December 3, 2026`` in English, ``3 décembre 2026`` in French.

    Parameters
    ----------
    value : date, datetime, Timestamp or ISO text
        The day.
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.

    Returns
    -------
    str

    Examples
    --------
    >>> format_date("2026-12-03", lang="fr"), format_date("2026-12-03", lang="en")
    ('3 décembre 2026', 'December 3, 2026')
    """
    code = resolve_language(lang)
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_date(value, format="long", locale=_LOCALES[code])


def weekday_names(lang: str | None = None) -> tuple[str, ...]:
    """The abbreviated names of the days, Monday first: ``Mon`` ... in English, ``lun.`` ... in
    French (Babel's CLDR data).

    Parameters
    ----------
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.

    Returns
    -------
    tuple of str
        Seven names, index 0 Monday (ISO weekday ``d`` is at ``d - 1``).

    Examples
    --------
    >>> weekday_names("en")[:3], weekday_names("fr")[:3]
    (('Mon', 'Tue', 'Wed'), ('lun.', 'mar.', 'mer.'))
    """
    names = _babel_day_names("abbreviated", locale=_LOCALES[resolve_language(lang)])
    return tuple(names[d] for d in range(7))  # Babel numbers the days from Monday = 0


def decimal_axis(axis: Axis, lang: str | None = None, *, percent: bool = False) -> None:
    """Give a matplotlib axis French tick labels (``0,25``) when the language is French.

    English axes are left untouched (matplotlib's own labels). With ``percent=True`` the
    ticks are shares shown as percentages (``25 %``).

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        ``ax.xaxis`` or ``ax.yaxis``.
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.
    percent : bool
        Ticks are shares (0 to 1) shown as percentages.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> decimal_axis(ax.yaxis, "fr")
    >>> ax.yaxis.get_major_formatter()(0.25, 0)
    '0,25'
    """
    code = resolve_language(lang)
    if code == "en":
        return

    def label(x: float, _pos: int | None = None) -> str:
        if percent:
            return format_percent(x, 0, code)
        text = f"{x:.6g}"
        digits = len(text.split(".")[1]) if "." in text and "e" not in text else 0
        return format_number(x, digits, code).replace("\u202f", "")

    axis.set_major_formatter(FuncFormatter(label))
