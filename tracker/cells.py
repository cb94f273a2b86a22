"""Values in the cells of the sheets we export: text that no spreadsheet runs as a formula."""

from datetime import date

from flask_babel import gettext as _

# Text starting with these is a formula to a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    """Write a value as CSV text a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A spreadsheet opening the file must not run it: a leading apostrophe makes it text.
    return f"'{text}" if text.startswith(FORMULA_START) else text
