"""The scheduler process: one active per database, a reminder run at start and then every N minutes.

A second scheduler started on the same database waits for the lock and takes over when the
first one dies: on PostgreSQL an advisory lock held by an open connection, on SQLite an
fcntl lock on a file beside the database. The operating system releases either when the
process ends, however it ends.
"""

import fcntl
import logging
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tracker import dates
from tracker.logs import stamp
from tracker.reminders.services.ledger import heartbeat
from tracker.reminders.services.run import reminder_run
from tracker.reminders.services.settings import read_settings

log = logging.getLogger(__name__)

# The advisory lock's key: any fixed number; PostgreSQL scopes it to the database.
ADVISORY_KEY = 0x7472_6163_6B65_72  # "tracker"
# Seconds between tries to reach a database that went away, and between checks of the lock.
RETRY_SECONDS = 5
WATCH_SECONDS = 5


def say(message: str) -> None:
    """Print a line and flush it, so that a supervisor or a pipe sees it at once."""
    click.echo(f"{stamp(dates.zone())} {message}")
    sys.stdout.flush()


def lock_file(database_url: str, instance_path: str) -> Path:
    """Return the lock file of a SQLite database: beside it, so one lock per database."""
    database = make_url(database_url).database
    if database and database != ":memory:":
        return Path(f"{database}.scheduler-lock")
    return Path(instance_path) / "scheduler.lock"


@contextmanager
def leadership(app: Flask) -> Iterator[Callable[[], bool]]:
    """Hold the database's scheduler lock, waiting for it; yield a check that it is still held."""
    url = app.config["DATABASE_URL"]
    if make_url(url).get_backend_name() == "postgresql":
        engine = app.extensions["tracker.engine"]
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            query = text("SELECT pg_try_advisory_lock(:key)")
            if not connection.execute(query, {"key": ADVISORY_KEY}).scalar():
                say("another scheduler is active on this database; waiting to take over")
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})

            asking = threading.Lock()  # the watch and the run ask from different threads

            def alive() -> bool:
                with asking:
                    try:
                        connection.execute(text("SELECT 1"))
                    except Exception:  # noqa: BLE001 - a lost connection has lost the lock
                        return False
                    return True

            say("scheduler lock taken")
            yield alive
        return
    path = lock_file(url, app.instance_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("another scheduler is active on this database; waiting to take over")
            fcntl.flock(handle, fcntl.LOCK_EX)
        say("scheduler lock taken")
        yield lambda: True


def run_scheduler(app: Flask) -> int:
    """Run reminders at start and every interval until stopped; return the exit status.

    A database that goes away (a restart, a failover) does not stop it: it says so, waits and
    takes the lock again, or waits for it behind the scheduler that got there first.
    """
    settings = read_settings(app.config)
    while True:
        # Written into each claim, so that the next lock holder can tell this one's claims
        # apart; a new one after each reconnection, so that the old claims count as orphaned.
        holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        try:
            with leadership(app) as alive:
                if not _lead(app, settings, holder, alive):
                    return 0
        except (DBAPIError, OSError) as error:
            reason = str(getattr(error, "orig", error)).strip().splitlines()[0:1]
            say(f"the database is unavailable ({''.join(reason)}); retrying in {RETRY_SECONDS} s")
            try:
                time.sleep(RETRY_SECONDS)
            except KeyboardInterrupt:  # Ctrl-C while waiting: stop as at any other time
                say("scheduler stopped")
                return 0
            continue
        say("the scheduler lock is lost (the database connection broke); taking it again")


def _lead(app: Flask, settings, holder: str, alive: Callable[[], bool]) -> bool:
    """Run the jobs while the lock is held; return True if it was lost, False if stopped."""
    scheduler = BlockingScheduler(timezone=dates.zone())
    lost = []

    def remind() -> None:
        if not alive():
            lost.append(True)
            scheduler.shutdown(wait=False)
            return
        with app.app_context():
            try:
                result = reminder_run(holder=holder)
            except Exception:  # noqa: BLE001 - the next run tries again
                log.exception("reminder run failed")
                say("reminder run failed; see the log")
                return
        # One line per run: a line per mail would push the sign-in details off the screen.
        say(result.summary())

    def watch() -> None:
        # A lost lock is noticed within seconds, not at the next run minutes away.
        if not lost and not alive():
            lost.append(True)
            scheduler.shutdown(wait=False)

    scheduler.add_job(
        remind,
        "interval",
        minutes=settings.interval_minutes,
        id="remind",
        next_run_time=datetime.now(UTC),  # a run at start, then every interval
        coalesce=True,  # runs missed while busy or suspended become one run
        max_instances=1,  # never two runs at once in this process
        misfire_grace_time=None,  # a late run still runs
    )

    def beat() -> None:
        with app.app_context(), suppress(Exception):
            heartbeat(holder, now=datetime.now(UTC))

    # Beats while a run sends: a run may take longer than the heartbeat timeout.
    scheduler.add_job(
        beat,
        "interval",
        seconds=max(10, settings.heartbeat_timeout.total_seconds() / 4),
        id="heartbeat",
        max_instances=1,
    )
    scheduler.add_job(watch, "interval", seconds=WATCH_SECONDS, id="watch", max_instances=1)
    say(f"scheduler started: a reminder run every {settings.interval_minutes} minutes")
    with suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
    if not lost:
        say("scheduler stopped")
    return bool(lost)
