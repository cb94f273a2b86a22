"""Reminder mails as a mail server receives them: long lines, names outside ASCII, batches."""

from datetime import timedelta

from tests import reminders_support
from tests.reminders_support import bodies
from tests.test_reminders import THURSDAY, ledger, person, run, world  # noqa: F401  (fixture)

inbox = reminders_support.inbox


def test_a_text_with_a_line_longer_than_smtp_allows_arrives_whole(world, make, session, inbox):  # noqa: F811
    # One paragraph of 1,500 characters, as people paste from a report: too long for one SMTP line.
    description = "Åtgärden omfattar " + "uppföljning av vårdgarantin och " * 50
    measure = make.measure(
        owner_id=world.owner.id, due_date=THURSDAY + timedelta(days=1), description=description
    )

    outcomes = run(THURSDAY)

    assert all(outcome.sent for outcome in outcomes)
    (mail,) = [
        m for m in inbox.to(world.owner.email) if f"measure-{measure.id}" in m["X-Tracker-Reminder"]
    ]
    text, html = bodies(mail)
    assert description.strip() in text
    assert description.strip() in html


def test_a_name_outside_ascii_and_a_run_of_many_mails_each_arrive_once(world, make, session, inbox):  # noqa: F811
    # More owners than one batch of sent marks: every mail arrives once and is marked sent.
    owners = [
        person(make, session, name=f"Åsa Öberg {n}", language="sv", digest=False) for n in range(30)
    ]
    for owner in owners:
        make.measure(owner_id=owner.id, due_date=THURSDAY + timedelta(days=1))

    outcomes = run(THURSDAY)

    assert len([o for o in outcomes if o.sent]) == len(outcomes) == 32
    assert set(inbox.counts().values()) == {1}
    mail = inbox.to(owners[0].email)[0]
    assert mail["To"].addresses[0].display_name == "Åsa Öberg 0"
    assert mail["Subject"].startswith("Påminnelse: åtgärden")
    assert all(row.sent_at is not None for row in ledger(session))
    assert run(THURSDAY) == []
