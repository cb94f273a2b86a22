"""Text as people type it: no control characters, single lines where a line is wanted."""

import dataclasses
import functools
import re

from tracker.fingerprint import fingerprint_of

# C0 control characters other than tab, line feed and carriage return (browsers send CR LF),
# and the two non-characters XML refuses: Word and Excel files cannot hold any of them, and
# PostgreSQL refuses NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Lone surrogates cannot be encoded at all.
SURROGATE = re.compile(r"[\ud800-\udfff]")


def has_control(text: str) -> bool:
    """Tell whether text holds a character that cannot be stored or exported."""
    return bool(CONTROL.search(text) or SURROGATE.search(text))


def printable(text: str) -> str:
    """Return text without the characters that cannot be stored or exported."""
    return SURROGATE.sub("", CONTROL.sub("", text))


def single_line(text: str) -> str:
    """Return text on one line: every run of whitespace or control characters is one space."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", " ", printable(text)).split())


def printable_copy(value):
    """Return a value (dataclasses, lists, tuples, dicts) with printable strings.

    Parts with nothing to remove are shared, not copied: a list of 1,000 items is mostly clean,
    and copying every dataclass of it took longer than writing the file.
    """
    if isinstance(value, str):
        return printable(value) if has_control(value) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass_copy(value)
    if isinstance(value, list | tuple):
        return _sequence_copy(value)
    if isinstance(value, dict):
        return _dict_copy(value)
    return value


def _dataclass_copy(value):
    """Return a dataclass with printable fields: itself when none changes."""
    changes = {}
    for name in _init_fields(type(value)):
        old = getattr(value, name)
        new = printable_copy(old)
        if new is not old:
            changes[name] = new
    return dataclasses.replace(value, **changes) if changes else value


def _sequence_copy(value: list | tuple) -> list | tuple:
    """Return a list or tuple of printable items: itself when no item changes."""
    items = [printable_copy(item) for item in value]
    if all(new is old for new, old in zip(items, value, strict=True)):
        return value
    return type(value)(items)


def _dict_copy(value: dict) -> dict:
    """Return a dict of printable values: itself when no value changes."""
    found = {key: printable_copy(item) for key, item in value.items()}
    if all(found[key] is item for key, item in value.items()):
        return value
    return found


@functools.cache
def _init_fields(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind) if field.init)


def _holds_text(column) -> bool:
    from sqlalchemy import JSON, String

    # SQLModel's AutoString wraps a String; JSON holds text too (an adopted answer's snapshot).
    kinds = (String, JSON)
    return isinstance(column.type, kinds) or isinstance(getattr(column.type, "impl", None), kinds)


def _cleaned(value):
    """Return a text or JSON value without control characters, or None if it has none."""
    if isinstance(value, str):
        return printable(value) if has_control(value) else None
    copy = printable_copy(value) if isinstance(value, dict | list) else value
    return None if copy is value else copy


def clean_stored_text(session) -> dict[str, int]:
    """Remove control characters from every text column of every table; return rows per table."""
    from sqlalchemy import select, update
    from sqlmodel import SQLModel

    counts = {}
    for table in SQLModel.metadata.sorted_tables:
        columns = [c for c in table.columns if _holds_text(c)]
        keys = list(table.primary_key.columns)
        if not columns or not keys:
            continue
        cleaned = 0
        for row in session.execute(select(*keys, *columns)).mappings():
            values = _row_changes(table, columns, row)
            if values:
                where = [key == row[key.name] for key in keys]
                session.execute(update(table).where(*where).values(**values))
                cleaned += 1
        if cleaned:
            counts[table.name] = cleaned
    return counts


def _row_changes(table, columns: list, row) -> dict:
    """Return a row's cleaned text columns with what must change with them, or {} if clean."""
    values = {c.name: value for c in columns if (value := _cleaned(row[c.name])) is not None}
    if not values:
        return values
    if "snapshot" in values and row.get("fingerprint"):
        # Cleaned on purpose by the operator: the fingerprint follows, or the
        # snapshot would read as tampered with.
        values["fingerprint"] = fingerprint_of(values["snapshot"])
    if "version" in table.columns:
        values["version"] = table.c.version + 1  # open forms see the change
    return values
