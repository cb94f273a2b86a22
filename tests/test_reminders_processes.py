"""Reminder runs as real OS processes on the test database: concurrent runs, the scheduler."""

import signal
from datetime import date, timedelta

from sqlmodel import select

from tests import reminders_support
from tests.conftest import fresh
from tests.reminders_support import Output, flask_process, process_env
from tracker.models import Reminder

inbox = reminders_support.inbox

DEADLINE = date(2030, 3, 20)


def _items(make, session, count: int, due: date = DEADLINE):
    """Make owners with a measure each, due soon: each needs one reminder."""
    for n in range(count):
        owner = make.user("owner", name=f"Ägare {n}")
        owner.digest = False
        session.commit()
        make.measure(owner_id=owner.id, due_date=due)


def _ledger(session) -> list[Reminder]:
    session.commit()
    fresh(session)
    return list(session.exec(select(Reminder)))


def test_two_remind_processes_started_at_once_send_each_reminder_once(
    migrated, make, session, inbox
):
    _items(make, session, 12)
    env = process_env(migrated, inbox)
    today = (DEADLINE - timedelta(days=5)).isoformat()

    processes = [flask_process(["remind", "--today", today], env) for _ in range(2)]
    outputs = [process.communicate(timeout=300)[0] for process in processes]

    assert [process.returncode for process in processes] == [0, 0], outputs
    sent_lines = [line for out in outputs for line in out.splitlines() if line.startswith("sent:")]
    assert len(sent_lines) == 12, outputs
    assert len(inbox.mails) == 12
    assert set(inbox.counts().values()) == {1}
    rows = _ledger(session)
    assert len(rows) == 12
    assert all(row.sent_at is not None and row.attempts == 1 for row in rows)


def test_a_second_scheduler_waits_and_takes_over_when_the_first_dies(
    migrated, make, session, inbox
):
    # Deadlines relative to the real day: the scheduler runs on the real clock.
    from tracker.dates import today

    _items(make, session, 2, due=today() + timedelta(days=3))
    env = process_env(migrated, inbox)

    first = flask_process(["scheduler"], env)
    first_out = Output(first)
    second = None
    try:
        first_out.wait_for("scheduler lock taken")
        first_out.wait_for("reminder run: 2 sent, 0 failed")  # the run at start
        second = flask_process(["scheduler"], env)
        second_out = Output(second)
        second_out.wait_for("waiting to take over")

        first.send_signal(signal.SIGKILL)  # dies without any goodbye
        first.wait(timeout=60)

        second_out.wait_for("scheduler lock taken")
        second_out.wait_for("reminder run: 0 sent, 0 failed")  # nothing sent twice
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)

    assert len(inbox.mails) == 2
    assert set(inbox.counts().values()) == {1}
