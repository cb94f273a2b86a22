"""A scheduler that dies after claiming: its claims are retried within minutes, exactly once."""

from datetime import timedelta
from urllib.parse import urlsplit

from tests import reminders_support
from tests.test_reminders import THURSDAY, ledger, world  # noqa: F401  (world is a fixture)
from tracker.mail import build_message, mail_connection
from tracker.reminders.services.due import due_reminders
from tracker.reminders.services.in_flight import Handover
from tracker.reminders.services.ledger import claim, heartbeat
from tracker.reminders.services.run import reminder_run, run_reminders
from tracker.reminders.services.settings import current_settings, moment_of

inbox = reminders_support.inbox


def test_claims_of_a_scheduler_that_stopped_beating_are_retried_within_minutes(
    world,  # noqa: F811
    app,
    session,
    inbox,
):
    claimed_at = moment_of(THURSDAY)
    settings = current_settings()
    with app.app_context():
        dues = due_reminders(session, now=claimed_at, settings=settings)
        claimed = claim(session, dues, now=claimed_at, settings=settings, holder="web1:4711:dead")
        session.commit()
    assert len(claimed) == 2
    assert {row.claimed_by for row in ledger(session)} == {"web1:4711:dead"}

    # While it beats it may still be sending: nobody else takes its claims.
    heartbeat("web1:4711:dead", now=claimed_at + timedelta(minutes=2))
    assert run_reminders(now=claimed_at + timedelta(minutes=3), holder="web2:1:new") == []

    # It stopped beating: a few minutes on, not half an hour, the new holder sends them once.
    later = claimed_at + timedelta(minutes=2) + settings.heartbeat_timeout + timedelta(minutes=1)
    assert later - claimed_at < settings.claim_timeout
    retried = run_reminders(now=later, holder="web2:1:new")
    assert len(retried) == 2 and all(outcome.sent for outcome in retried)
    assert set(inbox.counts().values()) == {1} and len(inbox.mails) == 2
    rows = ledger(session)
    assert all(row.sent_at and row.attempts == 2 for row in rows)
    assert {row.claimed_by for row in rows} == {"web2:1:new"}
    assert run_reminders(now=later + timedelta(hours=1)) == []


def test_a_command_run_keeps_the_long_claim_timeout(world, app, session, inbox):  # noqa: F811
    claimed_at = moment_of(THURSDAY)
    settings = current_settings()
    with app.app_context():
        dues = due_reminders(session, now=claimed_at, settings=settings)
        claim(session, dues, now=claimed_at, settings=settings)  # `flask remind`: no heartbeat
        session.commit()
    assert run_reminders(now=claimed_at + settings.heartbeat_timeout * 3) == []
    assert len(run_reminders(now=claimed_at + settings.claim_timeout + timedelta(minutes=1))) == 2


def _die_in_flight(app, session, *, written: int) -> list:
    """Claim for a scheduler that then dies handing mails over; the first `written` went out."""
    claimed_at = moment_of(THURSDAY)
    settings = current_settings()
    dues = due_reminders(session, now=claimed_at, settings=settings)
    claimed = claim(session, dues, now=claimed_at, settings=settings, holder="web1:4711:dead")
    session.commit()
    host = urlsplit(app.config["BASE_URL"]).hostname
    for n, due in enumerate(claimed):
        handover = Handover(claimed_at)  # one dying scheduler for each mail in flight
        message = build_message(
            to=due.recipient.email,
            subject="Påminnelse",
            text="text",
            html="<p>text</p>",
            message_id=f"<reminder-{due.ledger_id}@{host}>",
        )
        marking = handover.begin(due.ledger_id, message["Message-ID"])
        marking.result()
        if n < written:
            with mail_connection() as connection:
                connection.send(message, before_data=marking.result)
        handover.connection.close()  # killed: no sent mark
    return claimed


def test_a_send_left_in_flight_is_looked_up_in_the_outbox_never_sent_blindly(
    world,  # noqa: F811
    app,
    session,
    tmp_path,
):
    app.config["SMTP_HOST"] = ""  # mails go to the outbox, which can be asked
    written, unwritten = _die_in_flight(app, session, written=1)

    later = moment_of(THURSDAY) + current_settings().heartbeat_timeout + timedelta(minutes=3)
    outcomes = run_reminders(now=later, holder="web2:1:new")

    # The one in the outbox is marked sent; the one never written is sent now, once.
    assert [outcome.due.ledger_id for outcome in outcomes] == [unwritten.ledger_id]
    files = sorted(path.name for path in (tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert [name.split("-", 1)[1] for name in files] == sorted(
        [f"reminder-{due.ledger_id}@tracker.test.eml" for due in (written, unwritten)]
    )
    rows = ledger(session)
    assert all(row.sent_at is not None and row.uncertain_at is None for row in rows)
    assert list((tmp_path / "outbox").glob(".*")) == []  # no partial file


def test_a_send_left_in_flight_to_smtp_is_uncertain_and_shown_to_administrators(
    world,  # noqa: F811
    app,
    session,
    inbox,
    make,
    login,
):
    first, second = _die_in_flight(app, session, written=1)
    assert len(inbox.mails) == 1

    later = moment_of(THURSDAY) + current_settings().heartbeat_timeout + timedelta(minutes=3)
    result = reminder_run(now=later, holder="web2:1:new")

    # Neither is sent again: the server cannot be asked which one it took.
    assert result.outcomes == [] and len(inbox.mails) == 1
    assert "2 uncertain, not sent again" in result.summary()
    rows = ledger(session)
    assert all(row.uncertain_at and not row.sent_at for row in rows)
    assert reminder_run(now=later + timedelta(days=1)).outcomes == []
    session.commit()  # ends the read, so that the test's session may write again

    page = login(make.user("admin")).get("/admin/reminders?status=uncertain")
    text = page.get_data(as_text=True)
    assert text.count("Uncertain, not sent again") >= 2
    assert f"&lt;reminder-{first.ledger_id}@tracker.test&gt;" in text
    assert "Look for its Message-ID in the mail server" in text


class DropsTheFirstAnswer(reminders_support.Inbox):
    """An SMTP server that keeps the first mail but breaks the connection instead of answering."""

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.mails) == 1:
            server.transport.close()  # the client never hears "250"
        return answer


def test_a_connection_broken_after_the_data_is_uncertain_and_not_sent_again(
    world,  # noqa: F811
    app,
    session,
):
    server = DropsTheFirstAnswer()
    server.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY="none")
    try:
        outcomes = run_reminders(now=moment_of(THURSDAY))
        uncertain = [outcome for outcome in outcomes if outcome.uncertain]
        assert len(uncertain) == 1 and "uncertain, not sent again" in uncertain[0].line()
        assert [outcome.sent for outcome in outcomes].count(True) == 1
        assert run_reminders(now=moment_of(THURSDAY) + timedelta(days=1)) == []
    finally:
        server.stop()
    # The server kept both, once each: the uncertain one was not sent a second time.
    assert len(server.mails) == 2 and set(server.counts().values()) == {1}
    rows = ledger(session)
    assert sorted(bool(row.uncertain_at) for row in rows) == [False, True]
