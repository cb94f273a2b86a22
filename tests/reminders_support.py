"""A real SMTP server (aiosmtpd) in the test process, and helpers for reminder tests."""

import email
import os
import queue
import re
import socket
import subprocess
import sys
import threading
from collections import Counter
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An SMTP server that keeps every mail it accepts, parsed with the email package."""

    def __init__(self):
        self.port = free_port()
        self.mails: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []  # the RCPT TO addresses of each mail
        self.peers: list[tuple] = []  # the client address of each mail's connection
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.mails.append(mail)
            self.envelopes.append(list(envelope.rcpt_tos))
            self.peers.append(session.peer)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str, *, digest: bool = False) -> list[EmailMessage]:
        """Return the mails to one address: reminders, or with digest=True, digests."""
        return [
            mail
            for mail in self.mails
            if address in mail["To"] and (mail["X-Tracker-Reminder"].endswith(" digest") == digest)
        ]

    def reminders(self) -> list[EmailMessage]:
        """Return every mail but the digests."""
        return [m for m in self.mails if not m["X-Tracker-Reminder"].endswith(" digest")]

    def counts(self) -> Counter:
        """Count the mails by (reminder, recipient): exactly-once means all counts are 1."""
        return Counter((m["X-Tracker-Reminder"], m["To"], m["Subject"]) for m in self.mails)


@pytest.fixture
def inbox(app):
    """Start a real SMTP server on a free port and point the app at it."""
    server = Inbox()
    server.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY="none")
    yield server
    server.stop()


def bodies(mail: EmailMessage) -> tuple[str, str]:
    """Return the plain-text and the HTML part of a mail."""
    return (
        mail.get_body(preferencelist=("plain",)).get_content(),
        mail.get_body(preferencelist=("html",)).get_content(),
    )


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def process_env(database_url: str, inbox: Inbox) -> dict:
    """Return the environment for a `flask --app tracker` process on the test database."""
    env = dict(os.environ)
    env.update(
        TRACKER_DATABASE_URL=database_url,
        TRACKER_SECRET_KEY="test",
        TRACKER_BASE_URL="http://tracker.test",
        TRACKER_SMTP_HOST="127.0.0.1",
        TRACKER_SMTP_PORT=str(inbox.port),
        TRACKER_SMTP_SECURITY="none",
        PYTHONUNBUFFERED="1",
    )
    if "FAKETIME" in env:
        # Under faketime (.ci/run) libfaketime shifts the monotonic clock too, and a thread's
        # timed wait reads it while the kernel counts on the real one: the rate limiter's
        # 10 ms expiry timer, which the process joins at exit, would end only when the real
        # clock caught up. The process keeps the faked date and time; its timers run on the
        # real monotonic clock (the test process cannot: there, libfaketime 0.9.10 answers
        # time.sleep with EINVAL).
        env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    return env


def flask_process(args: list[str], env: dict) -> subprocess.Popen:
    """Start `flask --app tracker ARGS` as its own OS process."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tracker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


class Output:
    """Read a process's output lines in a thread, so that a test can wait for one."""

    def __init__(self, process: subprocess.Popen):
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process) -> None:
        for line in process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 120) -> str:
        """Return the first line containing text; fail if the process says nothing of it."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} in: {self.seen}") from None
            self.seen.append(line)
            if text in line:
                return line
