"""What a reminder run holds back: placeholder addresses, and deadlines from before reminders began.

A fresh install holds years of old deadlines. Reminders begin with the first run (or, for an
item, when it was entered): a deadline that had passed by then is not chased, so the first run
does not mail people about 2017. Seeded demo users have made-up addresses and are never mailed.
"""

from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from tracker import dates
from tracker.models import Measure, Recommendation, ReminderRun, Source

# A meeting's paper deadline is never chased after it passes, so it needs no creation time.
ITEM_MODELS = {"measure": Measure, "recommendation": Recommendation, "source": Source}


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive values; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def reminders_began(session: Session, now: datetime) -> datetime:
    """Return the moment of the first reminder run; now if there has been none."""
    first = session.exec(select(func.min(ReminderRun.started_at))).one()
    return min(_aware(first), now) if first else now


def _created(session: Session, dues: list) -> dict[tuple[str, int], datetime]:
    """Return when each due item was entered: one query per kind of item."""
    wanted: dict[str, set[int]] = {}
    for due in dues:
        if due.item is not None and due.item.type in ITEM_MODELS:
            wanted.setdefault(due.item.type, set()).add(due.item.id)
    found = {}
    for kind, ids in wanted.items():
        model = ITEM_MODELS[kind]
        rows = session.exec(select(model.id, model.created_at).where(model.id.in_(ids)))
        found.update({(kind, row_id): _aware(created) for row_id, created in rows})
    return found


def start_day(began: datetime, created: datetime | None, now: datetime) -> date:
    """Return the local day from which an item's deadlines are chased."""
    start = dates.local(began).date()
    # Compared by day: `remind --today` runs at noon, and an item entered that afternoon is
    # still entered that day. One entered on a later day exists only in a run set in the past.
    if created is not None and dates.local(created).date() <= dates.local(now).date():
        start = max(start, dates.local(created).date())
    return start


def hold_back(session: Session, dues: list, *, now: datetime) -> tuple[list, list, list]:
    """Split dues into (to send, placeholder addresses, deadlines before reminders began)."""
    began = reminders_began(session, now)
    created = _created(session, dues)
    send, placeholders, before_start = [], [], []
    for due in dues:
        if due.item is not None and due.deadline < start_day(
            began, created.get((due.item.type, due.item.id)), now
        ):
            before_start.append(due)
        elif due.recipient.placeholder_email:
            placeholders.append(due)
        else:
            send.append(due)
    return send, placeholders, before_start


def record_run(session: Session, *, now: datetime, sent: int, failed: int, held: tuple) -> None:
    """Keep one run's summary; the first row marks when reminders began."""
    placeholders, before_start = held
    session.add(
        ReminderRun(
            started_at=now,
            sent=sent,
            failed=failed,
            placeholders=placeholders,
            before_start=before_start,
        )
    )
