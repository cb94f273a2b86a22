"""The reminder ledger: claim a reminder, mark it sent or failed, beat the heart."""

from datetime import datetime

from sqlalchemy import and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from tracker import db
from tracker.models import Reminder
from tracker.reminders.services.due import KEY_COLUMNS, Due, _batches
from tracker.reminders.services.settings import Settings

LEDGER = Reminder.__table__
# Ledger rows inserted by one statement: 13 values each, well under SQLite's 32,766.
CLAIM_BATCH = 200


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(LEDGER)


def _orphaned(now: datetime, settings: Settings):
    """Match claims of a scheduler that stopped beating: it died, and a new one may retry."""
    beat = func.coalesce(LEDGER.c.heartbeat_at, LEDGER.c.claimed_at)
    return and_(LEDGER.c.claimed_by != "", beat < now - settings.heartbeat_timeout)


def heartbeat(holder: str, *, now: datetime) -> None:
    """Tell other schedulers that this one is alive and still sending what it claimed."""
    with db.session_scope() as session:
        session.execute(
            update(LEDGER)
            .where(
                LEDGER.c.claimed_by == holder,
                LEDGER.c.sent_at.is_(None),
                LEDGER.c.uncertain_at.is_(None),
            )
            .values(heartbeat_at=now)
        )


def claim_reminder(
    session: Session, due: Due, *, now: datetime, settings: Settings, holder: str = ""
) -> bool:
    """Claim one reminder in the ledger; return False if another run has it or sent it."""
    if due.ledger_id is None:
        return bool(_claim_new(session, [due], now=now, holder=holder))
    # A retry: taken only if still unsent, under the cap, and not claimed by a live run.
    statement = (
        update(LEDGER)
        .where(
            LEDGER.c.id == due.ledger_id,
            LEDGER.c.sent_at.is_(None),
            # A send left in flight is settled first (in_flight.py), never claimed blindly.
            LEDGER.c.sending_at.is_(None),
            LEDGER.c.uncertain_at.is_(None),
            LEDGER.c.attempts < settings.max_attempts,
            or_(
                LEDGER.c.claimed_at.is_(None),
                LEDGER.c.claimed_at < now - settings.claim_timeout,
                _orphaned(now, settings),
            ),
        )
        .values(
            claimed_at=now,
            claimed_by=holder,
            heartbeat_at=now if holder else None,
            attempts=LEDGER.c.attempts + 1,
            address=due.recipient.email,
        )
    )
    return session.execute(statement).rowcount == 1


def _claim_new(session: Session, dues: list[Due], *, now: datetime, holder: str) -> list[Due]:
    """Insert the ledger rows of reminders never claimed, many to a statement; return those got."""
    got = []
    for batch in _batches(dues, CLAIM_BATCH):
        by_key = {due.key: due for due in batch}
        statement = (
            _insert(session)
            .values(
                [
                    {
                        "item_type": due.item_type,
                        "item_id": due.item_id,
                        "kind": due.kind,
                        "deadline": due.deadline,
                        "recipient_id": due.recipient.id,
                        "address": due.recipient.email,
                        "subject": "",
                        "claimed_at": now,
                        "claimed_by": holder,
                        "heartbeat_at": now if holder else None,
                        "sent_at": None,
                        "attempts": 1,
                        "error": "",
                    }
                    for due in batch
                ]
            )
            # The unique key decides: a second run's insert of the same reminder does nothing.
            .on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
            .returning(LEDGER.c.id, *(LEDGER.c[name] for name in KEY_COLUMNS))
        )
        # Rows come back in no promised order: they are matched to the reminders by key.
        for ledger_id, *key in session.execute(statement):
            due = by_key[tuple(key)]
            due.ledger_id = ledger_id
            got.append(due)
    return sorted(got, key=lambda due: due.key)


def claim(
    session: Session, dues: list[Due], *, now: datetime, settings: Settings, holder: str = ""
) -> list[Due]:
    """Claim the reminders for a holder (a scheduler's id, "" for a command); return those got."""
    # In key order, so that two runs claiming at once take row locks in the same order.
    ordered = sorted(dues, key=lambda due: due.key)
    retries = [due for due in ordered if due.ledger_id is not None]
    got = _claim_new(
        session, [due for due in ordered if due.ledger_id is None], now=now, holder=holder
    )
    got += [
        due
        for due in retries
        if claim_reminder(session, due, now=now, settings=settings, holder=holder)
    ]
    return sorted(got, key=lambda due: due.key)


def mark_failed(session: Session, ledger_id: int, *, error: str, subject: str) -> None:
    """Record a send the server refused and free the claim, so that the next run retries it."""
    session.execute(
        update(LEDGER)
        .where(LEDGER.c.id == ledger_id)
        .values(
            claimed_at=None,
            sending_at=None,
            error=error[:1000] or "unknown error",
            subject=subject[:300],
        )
    )
