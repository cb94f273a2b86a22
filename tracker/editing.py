"""Optimistic locking: a stale form is a conflict, never a silent overwrite."""

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


def save_form(session: Session, row: SQLModel, form, values: dict) -> SQLModel | None:
    """Save a form's values to a row and commit; on a conflict return the row as saved now."""
    try:
        update_row(session, row, version=form.version.data, values=values)
        session.commit()
    except ConflictError as error:
        # The next submit of the same form is a deliberate overwrite of what is shown.
        form.version.data = error.current.version
        return error.current
    return None


def form_status(form, conflict=None) -> int:
    """Return the HTTP status for a re-shown form: 409 on a conflict, 400 on errors."""
    return 409 if conflict else 400 if form.errors else 200
