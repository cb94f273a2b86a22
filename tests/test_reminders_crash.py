"""A reminder run killed with SIGKILL mid-send, again and again: no mail twice, none lost unseen."""

import signal
import time
from collections import Counter
from datetime import date, timedelta

from sqlmodel import select

from tests import reminders_support
from tests.conftest import fresh
from tests.reminders_support import Output, flask_process, process_env
from tracker.models import Measure, Reminder, User

inbox = reminders_support.inbox

DEADLINE = date(2030, 3, 20)
FIRST_RUN = DEADLINE - timedelta(days=6)  # the "7 days before" window lasts until day -2
OWNERS = 240
# Kill the run once the server has this many mails in all: a different moment each time.
KILL_AT = (15, 70, 120, 185)


def _owners_with_a_measure_each(session, count: int) -> None:
    users = [
        User(email=f"crash{n}@region.example", name=f"Ägare {n}", role="owner", language="sv")
        for n in range(count)
    ]
    for user in users:
        user.digest = False
    session.add_all(users)
    session.flush()
    session.add_all(
        Measure(title=f"Åtgärd {n}", owner_id=user.id, due_date=DEADLINE)
        for n, user in enumerate(users)
    )
    session.commit()


def _mails_per_reminder(inbox) -> Counter:
    """Count mails by (item and kind, recipient): the deadline is the same for every one."""
    return Counter((mail["X-Tracker-Reminder"], mail["To"]) for mail in inbox.mails)


def _kill_when(process, inbox, count: int, timeout: float = 120) -> bool:
    """SIGKILL the process once the server holds count mails; tell whether it was still busy."""
    deadline = time.monotonic() + timeout
    while len(inbox.mails) < count and process.poll() is None:
        assert time.monotonic() < deadline, f"only {len(inbox.mails)} mails after {timeout} s"
        time.sleep(0.005)
    busy = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return busy


def test_a_run_killed_mid_send_four_times_mails_nothing_twice_and_reports_what_is_uncertain(
    migrated, session, inbox
):
    _owners_with_a_measure_each(session, OWNERS)
    env = process_env(migrated, inbox)
    # Each next run is a day later, past the dead run's claim timeout; the window is the same.
    days = iter(FIRST_RUN + timedelta(days=n) for n in range(len(KILL_AT) + 1))

    killed_busy, said = 0, []
    for count in KILL_AT:
        process = flask_process(["remind", "--today", next(days).isoformat()], env)
        output = Output(process)  # drains the output, so that the pipe never blocks the run
        killed_busy += _kill_when(process, inbox, count)
        output.thread.join(timeout=60)
        said += list(output.lines.queue)
    assert killed_busy == len(KILL_AT)  # every kill landed in the middle of sending

    last = flask_process(["remind", "--today", next(days).isoformat()], env)
    output, _ = last.communicate(timeout=300)
    assert last.returncode == 0, output

    session.commit()
    fresh(session)
    rows = list(session.exec(select(Reminder)))
    per_reminder = _mails_per_reminder(inbox)
    assert max(per_reminder.values()) == 1, [k for k, n in per_reminder.items() if n > 1]
    assert len(rows) == OWNERS
    uncertain = [row for row in rows if row.uncertain_at is not None]
    sent = [row for row in rows if row.sent_at is not None]
    # At most the one mail in flight at each kill is uncertain; every other one was sent.
    assert len(uncertain) <= len(KILL_AT)
    assert len(sent) + len(uncertain) == OWNERS
    assert all(row.message_id == f"<reminder-{row.id}@tracker.test>" for row in rows)
    mailed_ids = {mail["Message-ID"] for mail in inbox.mails}
    assert {row.message_id for row in sent} <= mailed_ids
    # What went out is exactly the sent rows, plus perhaps some of the uncertain ones.
    assert mailed_ids - {row.message_id for row in sent} <= {r.message_id for r in uncertain}
    # Each is reported once, by the run that found it: in its log and in its summary.
    said += output.splitlines()
    reported = [line for line in said if "is uncertain: not sent again" in line]
    assert len(reported) == len(uncertain)
    assert all(row.message_id in " ".join(reported) for row in uncertain)
