"""Optimistic locking: a stale form is a conflict, never a silent overwrite."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from tracker.models import utcnow


class ConflictError(Exception):
    """Someone else saved the row after the form was read."""

    def __init__(self, current: SQLModel):
        super().__init__("the row was changed by someone else")
        self.current = current


def update_row(session: Session, row: SQLModel, *, version: int | None, values: dict) -> SQLModel:
    """Apply values to a row read at a version; raise ConflictError if it moved on since."""
    if version is not None and row.version != version:
        raise ConflictError(row)
    for key, value in values.items():
        setattr(row, key, value)
    if "updated_at" in type(row).model_fields and session.is_modified(row):
        row.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        session.refresh(row)
        raise ConflictError(row) from None
    return row


class Attempt:
    """What a save attempt came to: the row as saved now, if someone else saved first."""

    conflict: SQLModel | None = None


@contextmanager
def saving(session: Session, form=None) -> Iterator[Attempt]:
    """Commit what the block saves; on a conflict keep the form and note the row as saved now."""
    attempt = Attempt()
    try:
        yield attempt
        session.commit()
    except ConflictError as error:
        if form is None:
            raise  # no form to show the conflict on: the error page says it
        # The next submit of the same form is a deliberate overwrite of what is shown.
        form.version.data = error.current.version
        # The hidden field renders what was posted unless told otherwise: without this the
        # re-shown form carries the old version and every later save conflicts again.
        form.version.raw_data = [str(error.current.version)]
        attempt.conflict = error.current
    except BaseException:
        # A refusal raised inside the block must not leave half a change flushed for the
        # re-shown page to read, nor for a later commit in the same request to keep.
        session.rollback()
        raise


def _shown(field, value) -> str:
    if value in (None, "", []):
        return ""
    choices = getattr(field, "choices", None)
    if isinstance(choices, list | tuple):
        for choice in choices:
            key, label = (choice, choice) if isinstance(choice, str) else choice[:2]
            if str(key) == str(value):
                return str(label)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def differences(form, row: SQLModel) -> list[tuple[str, str, str]]:
    """Return (label, theirs, yours) for every form field whose value differs from the row's."""
    columns = type(row).model_fields
    rows = []
    for field in form:
        if field.name not in columns or field.name == "version" or field.type == "PasswordField":
            continue
        theirs, yours = _shown(field, getattr(row, field.name)), _shown(field, field.data)
        if theirs != yours:
            rows.append((str(field.label.text), theirs, yours))
    return rows


def form_status(form, conflict=None) -> int:
    """Return the HTTP status for a re-shown form: 409 on a conflict, 400 on errors."""
    return 409 if conflict else 400 if form.errors else 200
