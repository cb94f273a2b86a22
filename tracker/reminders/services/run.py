"""One reminder run: compute, claim, send and mark; what became of each mail."""

import logging
from concurrent.futures import wait
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from tracker import db
from tracker.mail import MailUncertain, build_message, mail_connection
from tracker.models import utcnow
from tracker.reminders.services.due import Due, due_reminders
from tracker.reminders.services.in_flight import (
    UNCERTAIN,
    Handover,
    mark_uncertain,
    settle_in_flight,
)
from tracker.reminders.services.ledger import claim, mark_failed
from tracker.reminders.services.mails import _render, in_each_language, subjects_in_language
from tracker.reminders.services.settings import current_settings
from tracker.reminders.start import hold_back, record_run

log = logging.getLogger(__name__)


@dataclass
class SendResult:
    """What became of one due mail in a run: sent, failed, uncertain or (dry run) would be sent."""

    due: Due
    subject: str
    sent: bool
    error: str = ""
    uncertain: bool = False  # the connection broke while the server took it

    def line(self) -> str:
        """Describe the result on one line, for the command's output."""
        state = "sent" if self.sent else "failed" if self.error else "would send"
        state = "uncertain, not sent again" if self.uncertain else state
        text = (
            f"{state}: {self.due.item_type} {self.due.item_id} {self.due.kind} "
            f"{self.due.deadline.isoformat()} to {self.due.recipient.email}: {self.subject}"
        )
        return f"{text} ({self.error})" if self.error else text


# Why a run holds a reminder back, as the command prints it.
HELD_REASONS = {
    "placeholder": "placeholder address, not mailed",
    "before_start": "deadline passed before reminders began",
}


@dataclass
class RunResult:
    outcomes: list[SendResult]
    placeholders: int = 0  # not mailed: seeded placeholder addresses
    before_start: int = 0  # not backfilled: the deadline passed before reminders began
    settled: int = 0  # left in flight by a scheduler that died: now uncertain, not re-sent
    # What was held back, per reason (HELD_REASONS), each with its subject.
    held: dict[str, list[SendResult]] = field(default_factory=dict)

    def held_lines(self) -> list[str]:
        """Describe, per reason, each reminder held back, for the command's output."""
        lines = []
        for reason, results in self.held.items():
            lines.append(f"held back, {HELD_REASONS[reason]}: {len(results)}")
            lines.extend(f"  {result.line().removeprefix('would send: ')}" for result in results)
        return lines

    def summary(self) -> str:
        """Describe the run on one line, for the scheduler's log."""
        sent = sum(outcome.sent for outcome in self.outcomes)
        uncertain = self.settled + sum(outcome.uncertain for outcome in self.outcomes)
        line = (
            f"reminder run: {sent} sent, {len(self.outcomes) - sent} failed, "
            f"{self.placeholders} to placeholder addresses not mailed, "
            f"{self.before_start} with deadlines from before reminders began left out"
        )
        if uncertain:
            line += f"; {uncertain} uncertain, not sent again: see the reminder ledger"
        return line


def run_reminders(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    holder: str = "",
    limit: int | None = None,
) -> list[SendResult]:
    """Do one reminder run: compute, claim, send, mark; dry_run only tells what it would send.

    A limit sends only the first so many (the benchmark's fixed number of mails).
    """
    return reminder_run(now=now, dry_run=dry_run, holder=holder, limit=limit).outcomes


def reminder_run(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    holder: str = "",
    limit: int | None = None,
) -> RunResult:
    """Do one reminder run and return what it sent and what it held back."""
    now = now or utcnow()
    settings = current_settings()
    settled = 0
    if not dry_run:
        with db.session_scope() as session:
            settled = settle_in_flight(session, now=now, settings=settings)
    with Session(db.engine(), expire_on_commit=False) as session:
        dues = due_reminders(session, now=now, settings=settings)
        dues, placeholders, before_start = hold_back(session, dues, now=now)
    held = (len(placeholders), len(before_start))
    dues = dues[:limit]
    if dry_run:
        # Only the subject is printed: rendering both bodies of every mail would be wasted.
        return RunResult(
            _unsent(dues),
            *held,
            held={"placeholder": _unsent(placeholders), "before_start": _unsent(before_start)},
        )
    claimed = []
    if dues:
        with db.session_scope() as session:
            claimed = claim(session, dues, now=now, settings=settings, holder=holder)
    outcomes = []
    if claimed:
        handover = Handover(now)
        try:
            with mail_connection() as connection:
                outcomes = in_each_language(
                    claimed, lambda due: _send(due, connection, handover=handover)
                )
        finally:
            # What went out is marked even when the run stops half-way.
            handover.close()
    sent = sum(outcome.sent for outcome in outcomes)
    with db.session_scope() as session:
        record_run(session, now=now, sent=sent, failed=len(outcomes) - sent, held=held)
    return RunResult(outcomes, *held, settled=settled)


def _unsent(dues: list[Due]) -> list[SendResult]:
    subjects = subjects_in_language(dues)
    return [
        SendResult(due, subject, sent=False) for due, subject in zip(dues, subjects, strict=True)
    ]


def _send(due: Due, connection, *, handover: Handover) -> SendResult:
    subject = ""
    marking = None
    try:
        mail = _render(due)
        subject = mail.subject
        host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
        message = build_message(
            to=due.recipient.email,
            to_name=due.recipient.name,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            # The same ledger row always has the same Message-ID, so that a resend after a
            # crash between sending and marking can be recognised as the same mail.
            message_id=f"<reminder-{due.ledger_id}@{host}>",
            headers={"X-Tracker-Reminder": f"{due.item_type}-{due.item_id} {due.kind}"},
        )
        # Committed before the server sees the mail: after a crash, never sent blindly again.
        marking = handover.begin(due.ledger_id, message["Message-ID"])
        connection.send(message, before_data=marking.result)
    except MailUncertain as error:
        log.warning("reminder %s uncertain, not sent again: %s", due.key, error)
        with db.session_scope() as session:
            mark_uncertain(
                session,
                due.ledger_id,
                now=handover.now,
                error=f"{UNCERTAIN}: {error}",
                subject=subject,
            )
        return SendResult(due, subject, sent=False, error=str(error), uncertain=True)
    except Exception as error:  # noqa: BLE001 - one bad mail must not stop the others
        if isinstance(error, OperationalError):
            raise  # the database is gone: the run stops and the next one retries
        if marking is not None:
            wait((marking,))  # its sending mark is written before the failure is
        log.warning("reminder %s not sent: %s", due.key, error)
        with db.session_scope() as session:
            mark_failed(session, due.ledger_id, error=str(error), subject=subject)
        return SendResult(due, subject, sent=False, error=str(error) or type(error).__name__)
    handover.done(due.ledger_id, subject)
    return SendResult(due, subject, sent=True)
