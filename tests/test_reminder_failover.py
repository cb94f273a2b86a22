"""A scheduler that dies after claiming: its claims are retried within minutes, exactly once."""

from datetime import timedelta

from tests import reminders_support
from tests.test_reminders import THURSDAY, ledger, world  # noqa: F401  (world is a fixture)
from tracker.reminders.services.due import due_reminders
from tracker.reminders.services.ledger import claim, heartbeat
from tracker.reminders.services.run import run_reminders
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
