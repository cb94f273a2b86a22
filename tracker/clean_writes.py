"""The last way in: no text a flush writes holds a control character, whatever sent it.

Forms refuse such characters next to the field and the API names the field; file text and
imports drop them as they are read. This net catches any other write, so that PostgreSQL
never refuses a NUL with the user's text lost, and exports never meet one.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession

from tracker.fingerprint import fingerprint_of
from tracker.text import has_control, printable, printable_copy


def register() -> None:
    """Clean the text of every row each session flushes from now on (the app calls this)."""
    if not event.contains(OrmSession, "before_flush", _clean_rows):
        event.listen(OrmSession, "before_flush", _clean_rows)


def _clean_rows(session, _context, _instances) -> None:
    for row in (*session.new, *session.dirty):
        state = inspect(row)
        for attribute in state.mapper.column_attrs:
            name = attribute.key
            value = state.dict.get(name)
            if isinstance(value, str):
                if has_control(value):
                    setattr(row, name, printable(value))
            elif isinstance(value, dict | list):
                cleaned = printable_copy(value)
                if cleaned is not value:
                    setattr(row, name, cleaned)
                    if name == "snapshot" and getattr(row, "fingerprint", None):
                        # A snapshot made from text stored before the net: signed as cleaned.
                        row.fingerprint = fingerprint_of(cleaned)
