"""Numbers, percentages and dates for the language, against hand-written expectations."""

from __future__ import annotations

import datetime as dt

from ementor_kit.i18n import format_date, format_number, format_percent


def test_french_uses_a_decimal_comma_and_narrow_spaces():
    assert format_number(1234.56, 1, lang="fr") == "1\u202f234,6"
    assert format_percent(0.125, lang="fr") == "12,5\u00a0%"
    assert format_date(dt.date(2026, 12, 3), lang="fr") == "3 décembre 2026"


def test_english_keeps_pythons_own_output():
    assert format_number(1234.56, 1, lang="en") == f"{1234.56:.1f}"
    assert format_percent(0.125, lang="en") == f"{0.125:.1%}"
    assert format_number(float("nan"), lang="en") == format_number(float("nan"), lang="fr")
