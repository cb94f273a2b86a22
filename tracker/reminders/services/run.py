"""One reminder run: compute, claim, send and mark; what became of each mail."""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlmodel import Session

from tracker import db
from tracker.mail import build_message, mail_connection
from tracker.models import utcnow
from tracker.reminders.services.due import Due, due_reminders
from tracker.reminders.services.ledger import SentMarks, claim, mark_failed
from tracker.reminders.services.mails import _render, in_each_language, subjects_in_language
from tracker.reminders.services.settings import current_settings
from tracker.reminders.start import hold_back, record_run

log = logging.getLogger(__name__)


@dataclass
class SendResult:
    """What became of one due mail in a run: sent, failed, or (dry run) would be sent."""

    due: Due
    subject: str
    sent: bool
    error: str = ""

    def line(self) -> str:
        """Describe the result on one line, for the command's output."""
        state = "sent" if self.sent else "failed" if self.error else "would send"
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
        return (
            f"reminder run: {sent} sent, {len(self.outcomes) - sent} failed, "
            f"{self.placeholders} to placeholder addresses not mailed, "
            f"{self.before_start} with deadlines from before reminders began left out"
        )


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
        marks = SentMarks(now)
        try:
            with mail_connection() as connection:
                outcomes = in_each_language(
                    claimed, lambda due: _send(due, connection, marks=marks)
                )
        finally:
            # What went out is marked even when the run stops half-way.
            marks.flush()
    sent = sum(outcome.sent for outcome in outcomes)
    with db.session_scope() as session:
        record_run(session, now=now, sent=sent, failed=len(outcomes) - sent, held=held)
    return RunResult(outcomes, *held)


def _unsent(dues: list[Due]) -> list[SendResult]:
    subjects = subjects_in_language(dues)
    return [
        SendResult(due, subject, sent=False) for due, subject in zip(dues, subjects, strict=True)
    ]


def _send(due: Due, connection, *, marks: SentMarks) -> SendResult:
    subject = ""
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
        connection.send(message)
    except Exception as error:  # noqa: BLE001 - one bad mail must not stop the others
        log.warning("reminder %s not sent: %s", due.key, error)
        with db.session_scope() as session:
            mark_failed(session, due.ledger_id, error=str(error), subject=subject)
        return SendResult(due, subject, sent=False, error=str(error) or type(error).__name__)
    marks.add(due.ledger_id, subject)
    return SendResult(due, subject, sent=True)
