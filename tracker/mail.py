"""The one mail function: a plain-text and an HTML part, over SMTP or into instance/outbox/."""

import smtplib
import ssl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from tracker.models import utcnow
from tracker.text import single_line

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
# Long enough for a slow server, short enough that a dead one does not stall a run.
TIMEOUT_SECONDS = 30


class MailError(Exception):
    """A mail could not be handed to the SMTP server."""


def outbox_folder() -> Path:
    """Return the folder where mails are written when no SMTP server is configured."""
    instance = current_app.config.get("INSTANCE_DIR") or current_app.instance_path
    return Path(instance) / "outbox"


def build_message(
    *,
    to: str,
    to_name: str = "",
    subject: str,
    text: str,
    html: str,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """Build a mail with both parts, a Message-ID, a Date and the auto-generated marks."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    # Headers are single lines: a title or name holding a line break must not break the mail.
    to_name = single_line(to_name)
    message["To"] = Address(display_name=to_name, addr_spec=to) if to_name else to
    message["Subject"] = single_line(subject)
    message["Date"] = format_datetime(utcnow())
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    message["Message-ID"] = message_id or make_msgid(idstring=uuid.uuid4().hex[:12], domain=host)
    # Tells vacation responders and mail rules that no person wrote this (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


class MailConnection:
    """One SMTP connection, opened on the first mail and reused until closed."""

    def __init__(self):
        config = current_app.config
        self.host = config["SMTP_HOST"]
        self.security = (config["SMTP_SECURITY"] or "none").lower()
        if self.security not in SECURITIES:
            raise MailError(f"TRACKER_SMTP_SECURITY must be one of {', '.join(SECURITIES)}")
        self.port = config["SMTP_PORT"] or DEFAULT_PORTS[self.security]
        self.username = config["SMTP_USERNAME"]
        self.password = config["SMTP_PASSWORD"]
        self.outbox = None if self.host else outbox_folder()
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.security == "ssl":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
            if self.security == "starttls":
                smtp.starttls(context=context)
        if self.username:
            smtp.login(self.username, self.password)
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send one mail; raise MailError if the server refuses it or cannot be reached."""
        if self.outbox is not None:
            self._write(message)
            return
        try:
            if self._smtp is None:
                self._smtp = self._open()
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            # A broken connection is dropped, so that the next mail opens a fresh one.
            self.close()
            raise MailError(f"{type(error).__name__}: {error}") from error

    def _write(self, message: EmailMessage) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow().strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        (self.outbox / name).write_bytes(message.as_bytes())

    def close(self) -> None:
        """Close the connection, if one is open."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


@contextmanager
def mail_connection() -> Iterator[MailConnection]:
    """Open one mail connection for several mails (a reminder run) and close it after."""
    connection = MailConnection()
    try:
        yield connection
    finally:
        connection.close()


def send_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    to_name: str = "",
    headers: dict[str, str] | None = None,
    connection: MailConnection | None = None,
) -> str:
    """Send a mail with a plain-text and an HTML part; return its Message-ID."""
    message = build_message(
        to=to, to_name=to_name, subject=subject, text=text, html=html, headers=headers
    )
    if connection is not None:
        connection.send(message)
    else:
        with mail_connection() as own:
            own.send(message)
    return message["Message-ID"]
