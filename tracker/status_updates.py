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


class StatusChanged(Exception):
    """Someone changed the target's status after the status-update form was opened."""

    def __init__(self, current: str):
        super().__init__("the status was changed by someone else")
        self.current = current


def post_status_update(
    session: Session,
    target: Recommendation | Measure,
    *,
    author: User,
    text: str,
    status: str,
    reported_on: date | None = None,
    judgement: str | None = None,
    opened_status: str | None = None,
    via: str = "",
    entered_by: User | None = None,
) -> StatusUpdate:
    """Append a status update and set the status (and judgement) it reports on its target.

    via says how it came in (an UpdateWay); entered_by is who typed it for the author.
    """
    # Lock the target and read it as saved now: appends wait for each other instead of
    # failing on a stale version (SQLite's writers already hold the write lock).
    # Without autoflush: what the caller added waits for the flush below, with the reason
    # (changelog.set_reason) the caller set for it.
    with session.no_autoflush:
        session.refresh(target, with_for_update=True)
    if opened_status and target.status not in (opened_status, status):
        raise StatusChanged(target.status)
    update = StatusUpdate(
        recommendation_id=target.id if isinstance(target, Recommendation) else None,
        measure_id=target.id if isinstance(target, Measure) else None,
        author_id=author.id,
        author_name=author.name,
        reported_on=reported_on or dates.today(),
        text=text.strip(),
        status=status,
        judgement=judgement,
        via=via,
        entered_by_id=entered_by.id if entered_by else None,
        entered_by_name=entered_by.name if entered_by else "",
    )
    session.add(update)
    target.status = status
    if isinstance(target, Measure) and judgement:
        target.judgement = judgement
    target.updated_at = utcnow()
    session.flush()
    return update


def post_and_commit(
    session: Session, target: Recommendation | Measure, *, author: User, **values
) -> StatusUpdate:
    """Post a status update (post_status_update's values) and commit it, or roll back."""
    if not isinstance(target, Measure):
        values["judgement"] = None  # only measures are judged (on track, at risk, delayed)
    try:
        update = post_status_update(session, target, author=author, **values)
    except StatusChanged:
        session.rollback()
        raise
    session.commit()
    return update
