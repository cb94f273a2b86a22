"""Bodies and meetings."""

from datetime import date

from sqlmodel import Session, select

from tracker.auth.visibility import item_visible
from tracker.editing import update_row
from tracker.models import Body, Meeting, Recommendation


def list_bodies(session: Session) -> list[Body]:
    """Return every body, by code."""
    return list(session.exec(select(Body).order_by(Body.code)))


def body_choices(session: Session) -> list[tuple[int, str]]:
    """Return (id, "CODE – name") pairs for a select field."""
    return [(body.id, f"{body.code} – {body.name}") for body in list_bodies(session)]


def list_meetings(session: Session, *, body_id: int | None = None) -> list[tuple[Meeting, Body]]:
    """Return meetings with their body, latest first."""
    query = select(Meeting, Body).join(Body).order_by(Meeting.held_on.desc(), Body.code)
    if body_id:
        query = query.where(Meeting.body_id == body_id)
    return list(session.exec(query))


def meeting_choices(session: Session) -> list[tuple[int, str]]:
    """Return (id, "CODE YYYY-MM-DD") pairs for a select field."""
    return [
        (meeting.id, f"{body.code} {meeting.held_on.isoformat()} {meeting.title}".strip())
        for meeting, body in list_meetings(session)
    ]


def meeting_taken(
    session: Session, body_id: int, held_on: date, *, except_id: int | None = None
) -> bool:
    """Tell whether the body already has a meeting on that day."""
    query = select(Meeting.id).where(Meeting.body_id == body_id, Meeting.held_on == held_on)
    if except_id is not None:
        query = query.where(Meeting.id != except_id)
    return session.exec(query).first() is not None


def code_taken(session: Session, code: str, *, except_id: int | None = None) -> bool:
    """Tell whether another body already has this code."""
    query = select(Body.id).where(Body.code == code)
    if except_id is not None:
        query = query.where(Body.id != except_id)
    return session.exec(query).first() is not None


def create_meeting(session: Session, *, values: dict) -> Meeting:
    """Add a body's meeting."""
    meeting = Meeting(**values)
    session.add(meeting)
    session.flush()
    return meeting


def update_meeting(
    session: Session, meeting: Meeting, *, version: int | None, values: dict
) -> Meeting:
    """Change a meeting read at a version (ConflictError if someone saved it since)."""
    return update_row(session, meeting, version=version, values=values)


def create_body(session: Session, *, values: dict) -> Body:
    """Add a body."""
    body = Body(**values)
    session.add(body)
    session.flush()
    return body


def update_body(session: Session, body: Body, *, version: int | None, values: dict) -> Body:
    """Change a body read at a version (ConflictError if someone saved it since)."""
    return update_row(session, body, version=version, values=values)


def due_to_meeting(session: Session, meeting_id: int) -> list[Recommendation]:
    """Return the items due to or reported at the meeting, in their list's order."""
    from tracker.followup.services.criteria import at_meeting

    query = (
        select(Recommendation)
        .where(at_meeting(meeting_id), item_visible())
        .order_by(Recommendation.source_id, Recommendation.id)
    )
    return list(session.exec(query))
