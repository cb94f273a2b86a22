"""Sends in flight: committed before the mail is handed over, and settled after a crash.

Each mail's Message-ID and "sending" mark are committed before its SMTP transaction, in the
same commit as the previous mail's sent mark. A scheduler killed at any moment thus leaves at
most one row marked sending and not sent: the mail it was handing over. That row is never sent
again blindly: the outbox tells whether it was written; an SMTP server cannot be asked, so the
row is marked uncertain for an administrator (docs/decisions/0023-reminders-through-a-crash.md).
"""

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime

from flask import current_app
from sqlalchemy import case, or_, select, update
from sqlmodel import Session

from tracker import db
from tracker.mail import in_outbox
from tracker.reminders.services.ledger import LEDGER, _orphaned
from tracker.reminders.services.settings import Settings

log = logging.getLogger(__name__)

UNCERTAIN = (
    "uncertain: the mail may or may not have reached the mail server (its scheduler stopped "
    "or the connection broke while handing it over), so it is not sent again; look for its "
    "Message-ID in the mail server's log"
)


class Handover:
    """Mark each mail as being sent before it is handed over; mark the one before it sent.

    One statement per mail, on a connection and a thread of its own: it goes to the database
    while the SMTP server answers MAIL FROM and RCPT TO, and the mail's data is sent only
    once it is committed (decision 0023 has the numbers).
    """

    def __init__(self, now: datetime):
        self.now = now
        self.sent: tuple[int, str] | None = None  # accepted, to be marked with the next mail
        engine = db.engine()
        if engine.dialect.name == "postgresql":
            # A statement is its own transaction: one round trip per mail, commit included.
            self.connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        else:
            self.connection = engine.execution_options(write=True).connect()
        # One thread, so that the marks are written in the order they were made.
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="reminder-marks")

    def _write(self, sent: tuple[int, str] | None, sending: tuple[int, str] | None) -> None:
        sent_id, subject = sent or (None, "")
        sending_id, message_id = sending or (None, "")
        ids = [id_ for id_ in (sent_id, sending_id) if id_ is not None]
        if not ids:
            return
        is_sent = LEDGER.c.id == sent_id
        is_sending = LEDGER.c.id == sending_id
        statement = (
            update(LEDGER)
            .where(LEDGER.c.id.in_(ids))
            .values(
                sent_at=case((is_sent, self.now), else_=LEDGER.c.sent_at),
                error=case((is_sent, ""), else_=LEDGER.c.error),
                subject=case((is_sent, subject[:300]), else_=LEDGER.c.subject),
                sending_at=case((is_sending, self.now), else_=LEDGER.c.sending_at),
                message_id=case((is_sending, message_id), else_=LEDGER.c.message_id),
            )
        )
        # Under AUTOCOMMIT (PostgreSQL) begin() sends nothing: the statement commits itself.
        with self.connection.begin():
            self.connection.execute(statement)

    def begin(self, ledger_id: int, message_id: str) -> Future:
        """Start committing the mail's sending mark, with the previous mail's sent mark.

        The caller waits for the returned future before the mail's data goes to the server.
        """
        sent, self.sent = self.sent, None
        return self.writer.submit(self._write, sent, (ledger_id, message_id))

    def done(self, ledger_id: int, subject: str) -> None:
        """Note that the server accepted the mail: marked with the next mail's commit."""
        self.sent = (ledger_id, subject)

    def close(self) -> None:
        """Commit the sent mark still waiting and give the connection back."""
        self.writer.shutdown(wait=True)
        try:
            self._write(self.sent, None)
            self.sent = None
        finally:
            self.connection.close()


def mark_uncertain(
    session: Session, ledger_id: int, *, now: datetime, subject: str, error: str
) -> None:
    """Record a send that may have been delivered: never retried, shown to administrators."""
    session.execute(
        update(LEDGER)
        .where(LEDGER.c.id == ledger_id, LEDGER.c.sent_at.is_(None))
        .values(uncertain_at=now, error=error[:1000], subject=subject[:300])
    )


def settle_in_flight(session: Session, *, now: datetime, settings: Settings) -> int:
    """Settle the sends left in flight by a scheduler that died; return how many are uncertain.

    A mail in the outbox was handed over: marked sent. A mail not in it never was: freed for
    the run to send. A mail to an SMTP server cannot be looked up there: marked uncertain.
    """
    orphan = (
        LEDGER.c.sent_at.is_(None),
        LEDGER.c.uncertain_at.is_(None),
        LEDGER.c.sending_at.is_not(None),
        or_(LEDGER.c.claimed_at < now - settings.claim_timeout, _orphaned(now, settings)),
    )
    found = session.execute(select(LEDGER.c.id, LEDGER.c.message_id).where(*orphan)).all()
    outbox = not current_app.config["SMTP_HOST"]
    uncertain = 0
    for ledger_id, message_id in found:
        # Conditional on the same test, so that of two runs settling at once one does each.
        statement = update(LEDGER).where(LEDGER.c.id == ledger_id, *orphan)
        if outbox and in_outbox(message_id):
            values = {"sent_at": LEDGER.c.sending_at, "error": ""}
        elif outbox:
            values = {"sending_at": None, "claimed_at": None}
        else:
            values = {"uncertain_at": now, "error": UNCERTAIN}
        if session.execute(statement.values(**values)).rowcount and values.get("uncertain_at"):
            log.warning("reminder %s (%s) is uncertain: not sent again", ledger_id, message_id)
            uncertain += 1
    return uncertain
