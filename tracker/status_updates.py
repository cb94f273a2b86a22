"""Status updates: appended to a recommendation or a measure, never edited or deleted."""

from datetime import date

from sqlmodel import Session, select

from tracker import dates
from tracker.models import Measure, Recommendation, StatusUpdate, User, utcnow


def status_updates(session: Session, *, recommendation_id=None, measure_id=None):
    """Return the status updates of one recommendation or measure, newest first."""
    query = select(StatusUpdate).order_by(
        StatusUpdate.reported_on.desc(), StatusUpdate.created_at.desc(), StatusUpdate.id.desc()
    )
    if recommendation_id is not None:
        query = query.where(StatusUpdate.recommendation_id == recommendation_id)
    else:
        query = query.where(StatusUpdate.measure_id == measure_id)
    return list(session.exec(query))


def post_status_update(
    session: Session,
    target: Recommendation | Measure,
    *,
    author: User,
    text: str,
    status: str,
    reported_on: date | None = None,
    judgement: str | None = None,
) -> StatusUpdate:
    """Append a status update and set the status (and judgement) it reports on its target."""
    update = StatusUpdate(
        recommendation_id=target.id if isinstance(target, Recommendation) else None,
        measure_id=target.id if isinstance(target, Measure) else None,
        author_id=author.id,
        author_name=author.name,
        reported_on=reported_on or dates.today(),
        text=text.strip(),
        status=status,
        judgement=judgement,
    )
    session.add(update)
    target.status = status
    if isinstance(target, Measure) and judgement:
        target.judgement = judgement
    target.updated_at = utcnow()
    session.flush()
    return update


def post_from_form(session: Session, target: Recommendation | Measure, form, *, author: User):
    """Post the status update a filled-in status-update form holds, and commit it."""
    update = post_status_update(
        session,
        target,
        author=author,
        text=form.text.data,
        status=form.status.data,
        # Only measures are judged (on track, at risk, delayed).
        judgement=(form.judgement.data or None) if isinstance(target, Measure) else None,
        reported_on=form.reported_on.data,
    )
    session.commit()
    return update
