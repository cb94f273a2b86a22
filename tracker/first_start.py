"""The first start: after the server is up, one block with the address and how to sign in."""

import os
import secrets
import socket
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import click
from flask import Flask
from sqlalchemy import func
from sqlmodel import select

from tracker.db import session_scope
from tracker.models import ReminderRun, Role, User

SET_PASSWORD = "TRACKER_NEW_PASSWORD='…' .venv/bin/flask --app tracker set-password {email}"


def ensure_admin(email: str, name: str) -> str | None:
    """Create the demo administrator if missing; return its new password, or None if it existed."""
    from tracker.auth.services import create_user

    with session_scope() as session:
        if session.exec(select(User).where(User.email == email.strip().lower())).first():
            return None
        password = secrets.token_urlsafe(12)
        create_user(session, email=email, name=name, role=Role.ADMIN, password=password)
    return password


def wait_for_server(url: str, timeout: float) -> bool:
    """Wait until the server accepts connections (a bare connect: no request line in its log)."""
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(address, timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def wait_for_reminder_run(since: datetime, timeout: float) -> bool:
    """Wait until the scheduler has logged a run begun after since, so this block comes last."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with session_scope() as session:
            latest = session.exec(select(func.max(ReminderRun.started_at))).one()
        if (
            latest is not None
            and (latest if latest.tzinfo else latest.replace(tzinfo=UTC)) >= since
        ):
            return True
        time.sleep(0.5)
    return False


def block(url: str, email: str, password: str | None) -> str:
    """Return the block printed last by `make run`."""
    lines = [f"The tracker is running: open {url}", f"Sign in as {email}"]
    if password:
        lines.append(f"with the password {password}  (shown this once; change it under your name)")
    else:
        lines += [
            "with the password you were shown on the first start. To set a new one:",
            "  " + SET_PASSWORD.format(email=email),
        ]
    lines.append("Stop the server and the reminder scheduler with Ctrl-C.")
    width = max(len(line) for line in lines)
    rule = "=" * width
    return "\n".join(["", rule, *lines, rule, ""])


def init_app(app: Flask) -> None:
    """Register the welcome and set-password commands."""

    @app.cli.command("welcome")
    @click.option("--url", default="http://127.0.0.1:5000", show_default=True)
    @click.option("--email", default="admin@region.example", show_default=True)
    @click.option("--name", default="Demo Administrator", show_default=True)
    @click.option("--wait", default=60.0, show_default=True, help="Seconds to wait at most.")
    @click.option(
        "--since",
        type=float,
        default=None,
        help="Wait for a reminder run begun after this Unix time (when the scheduler started).",
    )
    def welcome(url, email, name, wait, since):
        """Create the demo administrator if missing; when the server is up, say how to sign in."""
        started = datetime.fromtimestamp(since, UTC) if since else datetime.now(UTC)
        password = ensure_admin(email, name)
        wait_for_server(url, wait)
        wait_for_reminder_run(started, wait)
        click.echo(block(url, email.strip().lower(), password))

    @app.cli.command("set-password")
    @click.argument("email")
    def set_password(email):
        """Give a user a new password, from TRACKER_NEW_PASSWORD or a prompt."""
        from tracker.auth.services import hash_password

        password = os.environ.get("TRACKER_NEW_PASSWORD") or click.prompt(
            "New password", hide_input=True, confirmation_prompt=True
        )
        if len(password) < 10:
            raise click.ClickException("the password must have at least 10 characters")
        with session_scope() as session:
            user = session.exec(select(User).where(User.email == email.strip().lower())).first()
            if user is None:
                raise click.ClickException(f"no user with the e-mail {email}")
            user.password_hash = hash_password(password)
        click.echo(f"the password of {email.strip().lower()} is changed")
