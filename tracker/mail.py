"""The one mail function: a plain-text and an HTML part, over SMTP or into instance/outbox/."""

import re
import smtplib
import ssl
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.charset import Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from tracker.files import write_atomically
from tracker.models import utcnow
from tracker.text import single_line

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
# Long enough for a slow server, short enough that a dead one does not stall a run.
TIMEOUT_SECONDS = 30
# UTF-8 bodies sent as 8-bit text (every server speaks 8BITMIME), as EmailMessage chose.
UTF8 = Charset("utf-8")
UTF8.body_encoding = None
# SMTP ends lines with CR LF; sendmail sends bytes as they are.
SMTP_LINES = compat32.clone(linesep="\r\n")
# Bytes in a line of an SMTP mail, without its CR LF (RFC 5321).
SMTP_LINE_LIMIT = 998


class MailError(Exception):
    """A mail could not be handed to the SMTP server."""


class MailUncertain(MailError):
    """The connection broke while the server was taking the mail: it may have been accepted."""


def outbox_folder() -> Path:
    """Return the folder where mails are written when no SMTP server is configured."""
    instance = current_app.config.get("INSTANCE_DIR") or current_app.instance_path
    return Path(instance) / "outbox"


def outbox_name(message_id: str) -> str:
    """Return the end of an outbox file's name: the Message-ID, safe as a file name."""
    return re.sub(r"[^A-Za-z0-9@._-]", "_", message_id.strip("<> ")) + ".eml"


def in_outbox(message_id: str) -> bool:
    """Tell whether a mail with this Message-ID was written to the outbox."""
    folder = outbox_folder()
    return folder.is_dir() and any(folder.glob(f"*-{outbox_name(message_id)}"))


def build_message(
    *,
    to: str,
    to_name: str = "",
    subject: str,
    text: str,
    html: str,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> Message:
    """Build a mail with both parts, a Message-ID, a Date and the auto-generated marks."""
    # The compat32 classes build and flatten a mail in a third of the time Message takes,
    # which is most of a reminder run's work; headers are encoded explicitly (RFC 2047).
    message = MIMEMultipart("alternative")
    sender_name, sender = parseaddr(current_app.config["MAIL_FROM"])
    message["From"] = formataddr((sender_name, sender), charset="utf-8")
    # Headers are single lines: a title or name holding a line break must not break the mail.
    to_name = single_line(to_name)
    message["To"] = formataddr((to_name, to), charset="utf-8") if to_name else to
    message["Subject"] = Header(single_line(subject), "utf-8")
    message["Date"] = format_datetime(utcnow())
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    message["Message-ID"] = message_id or make_msgid(idstring=uuid.uuid4().hex[:12], domain=host)
    # Tells vacation responders and mail rules that no person wrote this (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    for name, value in (headers or {}).items():
        message[name] = value
    message.attach(_part(text, "plain"))
    message.attach(_part(html, "html"))
    return message


def _part(body: str, subtype: str) -> MIMEText:
    """Return a body part: 8-bit text, or base64 where a line is too long for SMTP."""
    longest = max((len(line.encode()) for line in body.splitlines()), default=0)
    return MIMEText(body, subtype, UTF8 if longest <= SMTP_LINE_LIMIT else "utf-8")


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

    def send(self, message: Message, *, before_data: Callable[[], object] | None = None) -> None:
        """Send one mail; raise MailError if the server refuses it or cannot be reached.

        before_data is called after the server took the envelope and before the mail's data
        goes out: what must be recorded before the server may have the mail.
        """
        if self.outbox is not None:
            if before_data:
                before_data()
            self._write(message)
            return
        smtp = None
        try:
            if self._smtp is None:
                self._smtp = self._open()
            smtp = self._smtp
            smtp.handing_over = False
            _transact(smtp, message, before_data)
        except (OSError, smtplib.SMTPException) as error:
            # A refusal with a reply code is certain; silence once the data began is not.
            uncertain = smtp is not None and smtp.handing_over
            uncertain = uncertain and not isinstance(error, smtplib.SMTPResponseException)
            # A broken or refused transaction is dropped: the next mail opens a fresh one.
            self.close()
            raise (MailUncertain if uncertain else MailError)(
                f"{type(error).__name__}: {error}"
            ) from error

    def _write(self, message: Message) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow().strftime('%Y%m%dT%H%M%S')}-{outbox_name(message['Message-ID'])}"
        # Whole or not at all: a file in the outbox is a mail handed over (decision 0023).
        write_atomically(self.outbox / name, message.as_bytes())

    def close(self) -> None:
        """Close the connection, if one is open."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _transact(
    smtp: smtplib.SMTP, message: Message, before_data: Callable[[], object] | None
) -> None:
    """Send one mail over an open connection, calling before_data between envelope and data."""
    sender = parseaddr(message["From"])[1]
    recipient = parseaddr(message["To"])[1]
    data = message.as_bytes(policy=SMTP_LINES)
    # sendmail's steps, so that before_data runs between the envelope and the data.
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender, _mail_options(smtp, sender + recipient, len(data)))
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    if before_data:
        before_data()
    smtp.handing_over = True
    code, reply = smtp.data(data)
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def _mail_options(smtp: smtplib.SMTP, addresses: str, size: int) -> list[str]:
    """Return the MAIL FROM options the addresses and the mail's size need."""
    # An address outside ASCII needs the server's SMTPUTF8, as send_message would ask.
    options = [] if addresses.isascii() else ["SMTPUTF8", "BODY=8BITMIME"]
    if smtp.does_esmtp and smtp.has_extn("size"):
        options.append(f"SIZE={size}")
    return options


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
