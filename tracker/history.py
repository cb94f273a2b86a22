"""Read the change log of one item, with the names of who changed it."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from tracker.models import ChangeLog, User


@dataclass
class HistoryEntry:
    changed_at: datetime
    user_name: str
    action: str
    changes: dict
    reason: str


def history(session: Session, entity: str, entity_id: int) -> list[HistoryEntry]:
    """Return the change log of one row, newest first."""
    query = (
        select(ChangeLog, User.name)
        .join(User, ChangeLog.user_id == User.id, isouter=True)
        .where(ChangeLog.entity == entity, ChangeLog.entity_id == entity_id)
        .order_by(ChangeLog.changed_at.desc(), ChangeLog.id.desc())
    )
    return [
        HistoryEntry(entry.changed_at, name or "", entry.action, entry.changes, entry.reason)
        for entry, name in session.exec(query)
    ]
