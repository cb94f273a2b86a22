"""What the reminder pages show: the ledger, filtered, and an item's reminders."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlmodel import Session, select

from tracker.models import Reminder, User
from tracker.paging import Page, paginate
from tracker.reminders.services.settings import Settings, current_settings

ITEM_TYPES = {
    "measure": _l("Measure"),
    "recommendation": _l("Recommendation or assignment"),
    "source": _l("Audit report"),
    "meeting": _l("Meeting papers"),
    "response": _l("Response to the auditors"),
    "response_input": _l("Input to a response"),
    "user": _l("Weekly digest"),
}
STATUSES = {
    "sent": _l("Sent"),
    "failed": _l("Failed, will be retried"),
    "claimed": _l("Claimed, not sent yet"),
    "given_up": _l("Failed, given up"),
    "uncertain": _l("Uncertain, not sent again"),
}
KIND_GROUPS = {
    "before": _l("Before the deadline"),
    "on_day": _l("On the day"),
    "overdue": _l("Overdue"),
    "digest": _l("Weekly digest"),
}


@dataclass
class LedgerRow:
    reminder: Reminder
    recipient_name: str
    status: str


def status_of(reminder: Reminder, settings: Settings) -> str:
    """Return a ledger row's state: sent, uncertain, claimed, failed or given_up."""
    if reminder.sent_at is not None:
        return "sent"
    if reminder.uncertain_at is not None:
        return "uncertain"
    if reminder.claimed_at is not None and not reminder.error:
        return "claimed"
    return "given_up" if reminder.attempts >= settings.max_attempts else "failed"


def list_ledger(
    session: Session,
    *,
    settings: Settings,
    status: str | None = None,
    kind: str | None = None,
    item_type: str | None = None,
    recipient_id: int | None = None,
    deadline_from: date | None = None,
    deadline_to: date | None = None,
    page: int = 1,
    size: int = 50,
) -> Page:
    """Return a page of the ledger, newest first, filtered."""
    query = (
        select(Reminder, User.name)
        .join(User, Reminder.recipient_id == User.id)
        .order_by(Reminder.id.desc())
    )
    if status == "sent":
        query = query.where(Reminder.sent_at.is_not(None))
    elif status == "uncertain":
        query = query.where(Reminder.sent_at.is_(None), Reminder.uncertain_at.is_not(None))
    elif status == "claimed":
        query = query.where(
            Reminder.sent_at.is_(None), Reminder.claimed_at.is_not(None), Reminder.error == ""
        )
    elif status in ("failed", "given_up"):
        under_cap = Reminder.attempts < settings.max_attempts
        query = query.where(
            Reminder.sent_at.is_(None),
            Reminder.uncertain_at.is_(None),
            or_(Reminder.claimed_at.is_(None), Reminder.error != ""),
            under_cap if status == "failed" else ~under_cap,
        )
    if kind in ("before", "overdue"):
        query = query.where(Reminder.kind.startswith(f"{kind}_"))
    elif kind in ("on_day", "digest"):
        query = query.where(Reminder.kind == kind)
    if item_type:
        query = query.where(Reminder.item_type == item_type)
    if recipient_id:
        query = query.where(Reminder.recipient_id == recipient_id)
    if deadline_from:
        query = query.where(Reminder.deadline >= deadline_from)
    if deadline_to:
        query = query.where(Reminder.deadline <= deadline_to)
    result = paginate(session, query, page=page, size=size)
    result.items = [LedgerRow(row, name, status_of(row, settings)) for row, name in result.items]
    return result


def reminders_of(session: Session, *, item_type: str, item_id: int) -> list[LedgerRow]:
    """Return the reminders an item produced, newest first."""
    settings = current_settings()
    query = (
        select(Reminder, User.name)
        .join(User, Reminder.recipient_id == User.id)
        .where(Reminder.item_type == item_type, Reminder.item_id == item_id)
        .order_by(Reminder.id.desc())
    )
    return [LedgerRow(row, name, status_of(row, settings)) for row, name in session.exec(query)]
