"""Both schedulers live through a PostgreSQL restart: they wait, retry, and send each mail once."""

import signal
from datetime import timedelta

import pytest
from sqlmodel import Session

from tests.private_postgresql import private_postgresql
from tests.reminders_support import Inbox, Output, flask_process, process_env
from tracker import create_app
from tracker.models import Measure, User


@pytest.fixture
def inbox():
    """A real SMTP server: this test brings its own database, so it needs no app."""
    server = Inbox()
    server.start()
    yield server
    server.stop()


def _owner_with_a_measure(url: str, n: int) -> None:
    """Add an owner whose measure is due in three days: one reminder to send."""
    # The scheduler runs on the real clock, so the deadline is relative to the real day.
    from tracker.dates import today

    app = create_app({"DATABASE_URL": url, "TESTING": True})
    with app.app_context(), Session(app.extensions["tracker.engine"]) as session:
        user = User(email=f"outage{n}@region.example", name=f"Ägare {n}", role="owner")
        user.digest = False
        session.add(user)
        session.flush()
        session.add(Measure(title=f"Åtgärd {n}", owner_id=user.id, due_date=today() + timedelta(3)))
        session.commit()
    app.extensions["tracker.engine"].dispose()


def _migrate(url: str) -> None:
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    with app.app_context():
        from tracker.cli import run_migrations

        run_migrations()
    app.extensions["tracker.engine"].dispose()


def test_a_postgresql_restart_stops_neither_scheduler(inbox):
    with private_postgresql() as server:
        _migrate(server.url)
        for n in range(2):
            _owner_with_a_measure(server.url, n)
        env = process_env(server.url, inbox)
        first = flask_process(["scheduler"], env)
        second = None
        try:
            first_out = Output(first)
            first_out.wait_for("scheduler lock taken")
            first_out.wait_for("reminder run: 2 sent, 0 failed")
            second = flask_process(["scheduler"], env)
            second_out = Output(second)
            second_out.wait_for("waiting to take over")
            # Due now, but the active scheduler's next run is minutes away.
            _owner_with_a_measure(server.url, 2)

            server.stop()  # what an operator's restart does first: every connection ends
            first_out.wait_for("the database is unavailable")
            second_out.wait_for("the database is unavailable")
            second_out.wait_for("retrying in")  # still down: they keep trying
            server.start()

            # One of them takes the lock and runs at once; the other waits behind it.
            taken = [out for out in (first_out, second_out) if _takes(out)]
            assert len(taken) == 1
            taken[0].wait_for("reminder run: 1 sent, 0 failed")
            assert first.poll() is None and second.poll() is None
            assert len(inbox.mails) == 3
            assert set(inbox.counts().values()) == {1}
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=60)


def _takes(output: Output) -> bool:
    """Tell whether a scheduler took the lock again, or waits for the other one."""
    line = output.wait_for("scheduler")
    while "lock taken" not in line and "waiting to take over" not in line:
        line = output.wait_for("scheduler")
    return "lock taken" in line
