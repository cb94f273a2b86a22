"""Mail over TLS: STARTTLS with a login, and SMTP over SSL, to a real aiosmtpd server."""

import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.reminders_support import Inbox, bodies, free_port
from tracker.mail import send_email


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """Make a self-signed certificate for 127.0.0.1 with the openssl tool."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


def _check_login(server, session, envelope, mechanism, auth_data):
    good = isinstance(auth_data, LoginPassword) and (
        auth_data.login == b"tracker" and auth_data.password == b"s3cret"
    )
    return AuthResult(success=good)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_goes_over_tls_with_a_login(app, certificate, monkeypatch, security):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    # The client trusts the test certificate the way it would trust a real one.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    inbox = Inbox()
    inbox.port = free_port()
    tls = {"tls_context": context, "require_starttls": True}
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=inbox.port,
        authenticator=_check_login,
        auth_required=True,
        # aiosmtpd offers AUTH only after its own STARTTLS; on SSL the channel is TLS already.
        **({"ssl_context": context, "auth_require_tls": False} if security == "ssl" else tls),
    )
    controller.start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=inbox.port,
        SMTP_SECURITY=security,
        SMTP_USERNAME="tracker",
        SMTP_PASSWORD="s3cret",
        MAIL_FROM="Uppföljning <tracker@region.example>",
    )
    try:
        with app.app_context():
            send_email(
                to="regiondirektor@region.example",
                subject="Påminnelse: återrapportering senast 2021-05-20",
                text="Text",
                html="<p>HTML</p>",
            )
    finally:
        controller.stop()

    (mail,) = inbox.mails  # the server requires a login, so the login worked
    assert mail["Subject"] == "Påminnelse: återrapportering senast 2021-05-20"
    assert [part.strip() for part in bodies(mail)] == ["Text", "<p>HTML</p>"]
