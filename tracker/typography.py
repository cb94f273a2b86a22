"""Text as the region sets it on paper: no "§" or "%" parted from its number, dates in words."""

import re
from datetime import date

from flask_babel import format_date as babel_date

NBSP = "\u00a0"
# "RS 170301 § 52": a reference without the comma that 003 writes, "RS 170301, § 52".
_REFERENCE = re.compile(r"\b([A-ZÅÄÖ]{2,10}) (\d{6}) ?,? ?§ ?(\w+)")
_PARAGRAPH = re.compile(r"§§? (?=\w)")
_PERCENT = re.compile(r"(\d) (%|procent\b)")


def typeset(text: str) -> str:
    """Return text with a no-break space after "§", before "%", and references with a comma."""
    if not text:
        return text or ""
    text = _REFERENCE.sub(rf"\1 \2, §{NBSP}\3", text)
    text = _PARAGRAPH.sub(lambda match: match.group(0)[:-1] + NBSP, text)
    return _PERCENT.sub(rf"\1{NBSP}\2", text)


def running_date(value: date | None) -> str:
    """Write a date as in running text: "19 december 2017" in Swedish."""
    if value is None:
        return ""
    return babel_date(value, format="d MMMM y")
