"""Reading and writing follow-up periods and outcome numbers the way the region writes them."""

import functools
import math
import re

from babel.numbers import format_decimal, parse_decimal
from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _

from tracker.models import MeasureUnit, Period

# Interim reports accumulate from January: T1 is January-April, T2 January-August.
PERIOD_ORDER = {Period.T1: 1, Period.T2: 2, Period.YEAR: 3}

# What people type for a period, after the year is taken out: the scorecards say DÅ04, DÅ08
# and ÅR, the committee's reports T1, T2 and helår.
_PERIOD_WORDS = {
    "": Period.YEAR,
    "ÅR": Period.YEAR,
    "AR": Period.YEAR,
    "HELÅR": Period.YEAR,
    "HELAR": Period.YEAR,
    "YEAR": Period.YEAR,
    "FULL YEAR": Period.YEAR,
    "T1": Period.T1,
    "DÅ04": Period.T1,
    "DA04": Period.T1,
    "DÅ4": Period.T1,
    "T2": Period.T2,
    "DÅ08": Period.T2,
    "DA08": Period.T2,
    "DÅ8": Period.T2,
}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


class PeriodError(ValueError):
    """A period that cannot be read."""


def parse_period(text: str | int | None) -> tuple[int, str]:
    """Read "2022-T2", "2022 DÅ08", "T2 2022", "2022-ÅR" or "2022" into (year, Period)."""
    raw = str(text if text is not None else "").strip().upper()
    match = _YEAR.search(raw)
    if not match:
        raise PeriodError(raw)
    rest = (raw[: match.start()] + " " + raw[match.end() :]).strip(" -_/,.:")
    rest = re.sub(r"\s+", " ", rest)
    if rest not in _PERIOD_WORDS:
        raise PeriodError(raw)
    return int(match[1]), _PERIOD_WORDS[rest]


def period_code(year: int, period: str) -> str:
    """Write a period as import files do: "2022-T1", "2022-T2", "2022" for the full year."""
    return str(year) if period == Period.YEAR else f"{year}-{period}"


def period_label(year: int, period: str) -> str:
    """Name a period for people: "2022 T2", "2022 full year"."""
    if period == Period.YEAR:
        return _("%(year)s full year", year=year)
    return f"{year} {period}"


def period_sort_key(year: int, period: str) -> tuple[int, int]:
    """Order periods in time: T1 before T2 before the full year."""
    return year, PERIOD_ORDER.get(period, 9)


def parse_number(text: str | float | int | None) -> float | None:
    """Read "91,8", "1 135", "81 %" or a spreadsheet number; None when empty; else ValueError."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, int | float):
        return float(text)
    # Babel reads Swedish numbers; the percent sign and the typographic minus of some reports
    # are ours to take off.
    cleaned = str(text).strip().removesuffix("%").strip().replace("\u2212", "-")
    if cleaned == "":
        return None
    # Digits and separators only: Babel would also read "NaN", "inf" and "1e5".
    if not re.fullmatch(r"-?[\d\s\u00a0\u202f.,]+", cleaned):
        raise ValueError(text)
    return float(parse_decimal(cleaned, locale="sv"))


def with_locale(function):
    """Run a function that writes words in the reader's language, or outside a request (the
    scheduler, the command line) in the default language."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if has_request_context() or not has_app_context():
            return function(*args, **kwargs)
        with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "sv")):
            return function(*args, **kwargs)

    return wrapper


def _locale() -> str:
    locale = get_locale() if has_request_context() else None
    return str(locale) if locale else "sv"


@functools.lru_cache(maxsize=4096)
def _decimal(number: float, locale: str, _negative: bool) -> str:
    """Write a number with babel once per value and language: lists print hundreds."""
    # The sign is part of the key: -0.0 == 0.0, but babel writes "-0" for one of them.
    return format_decimal(number, format="#,##0.#", locale=locale)


def format_number(value: float | None, *, signed: bool = False) -> str:
    """Write a number in the reader's language, with at most one decimal."""
    if value is None:
        return "–"
    number = round(value, 1)
    text = _decimal(number, _locale(), math.copysign(1.0, number) < 0)
    if signed and value > 0:
        text = "+" + text
    return text.replace("-", "\u2212")


def format_value(value: float | None, unit: str, *, signed: bool = False) -> str:
    """Write an outcome with its unit of measure: "81 %", "29 191", "3 days"."""
    if value is None:
        return "–"
    number = format_number(value, signed=signed)
    if unit == MeasureUnit.PERCENT:
        return f"{number} %"
    if unit == MeasureUnit.DAYS:
        return _("%(number)s days", number=number)
    if unit == MeasureUnit.MSEK:
        return f"{number} mnkr"
    return number


def format_change(value: float | None, unit: str, *, signed: bool = True) -> str:
    """Write a difference: percentage points for percentages, else the unit's own numbers."""
    if value is None:
        return "–"
    number = format_number(value, signed=signed)
    count = 1 if abs(value) == 1 else 2  # "+1 procentenhet", "+2 procentenheter"
    if unit == MeasureUnit.PERCENT:
        return ngettext(
            "%(number)s percentage point", "%(number)s percentage points", count, number=number
        )
    if unit == MeasureUnit.DAYS:
        return ngettext("%(number)s day", "%(number)s days", count, number=number)
    return number
