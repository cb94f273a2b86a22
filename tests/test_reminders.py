"""Deadline reminders against a real SMTP server: who gets what, when, and exactly once."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import select

from tests import reminders_support
from tests.conftest import fresh
from tests.reminders_support import bodies, links
from tracker.measures.services import update_measure
from tracker.models import Meeting, Reminder, ReminderRun, Response, User
from tracker.reminders.services.due import due_reminders
from tracker.reminders.services.ledger import claim
from tracker.reminders.services.run import run_reminders
from tracker.reminders.services.settings import current_settings, moment_of
from tracker.reminders.services.windows import window_on

inbox = reminders_support.inbox

# The auditors' letter on 1177 (seed 004): the board's response is due 2021-05-20.
RESPONSE_DUE = date(2021, 5, 20)
THURSDAY = date(2021, 5, 13)  # seven days before, and not a digest day


def person(make, session, role="owner", *, digest=True, **values) -> User:
    """Make a user, with or without the weekly digest."""
    user = make.user(role, **values)
    user.digest = digest
    session.commit()
    return user


@pytest.fixture
def world(make, session):
    """The 1177 audit report, its responsible person, their manager and a secretary."""
    board = make.body("RS", "Regionstyrelsen")
    auditors = make.body("REV", "Region Norrbottens revisorer")
    manager = person(make, session, name="Divisionschef", language="en", digest=False)
    unit = make.unit("Division Nära", manager_id=manager.id)
    owner = person(
        make, session, name="Regiondirektören", unit_id=unit.id, language="en", digest=False
    )
    secretary = person(
        make, session, "secretary", name="Nämndsekreterare", language="en", digest=False
    )
    report = make.source(
        title="Granskning av regionens arbete med 1177",
        issuer_id=auditors.id,
        addressee_id=board.id,
        response_due=RESPONSE_DUE,
    )
    recommendation = make.recommendation(
        report,
        number="1",
        responsible_id=owner.id,
        text="Att aktiva åtgärder vidtas för systematisk uppföljning av 1177.",
    )
    # The board's answer, drafted by the regional director, with a division's input.
    contact = person(make, session, name="Kontaktperson", language="en", digest=False)
    response = Response(
        source_id=report.id,
        body_id=board.id,
        response_due=RESPONSE_DUE,
        responsible_id=owner.id,
        input_contact_id=contact.id,
        input_due=RESPONSE_DUE,
    )
    session.add(response)
    session.commit()
    return SimpleNamespace(
        response=response,
        contact=contact,
        board=board,
        manager=manager,
        unit=unit,
        owner=owner,
        secretary=secretary,
        report=report,
        recommendation=recommendation,
    )


def run(day: date, **kwargs):
    return run_reminders(now=moment_of(day), **kwargs)


def reminders_began(session, day: date) -> None:
    """Say that the scheduler first ran on day: deadlines after it are chased."""
    session.add(ReminderRun(started_at=moment_of(day)))
    session.commit()


def ledger(session) -> list[Reminder]:
    session.commit()  # ends the read transaction, so that the next read sees other runs
    fresh(session)
    return list(session.exec(select(Reminder).order_by(Reminder.id)))


def test_windows_follow_each_other_without_gaps(app):
    with app.app_context():
        settings = current_settings()
    deadline = date(2030, 6, 30)

    def kind(days_from_deadline):
        today = deadline + timedelta(days=days_from_deadline)
        window = window_on(deadline, today, settings=settings)
        return window and (window.kind, window.escalate)

    assert kind(-31) is None
    assert kind(-30) == kind(-15) == ("before_30", False)
    assert kind(-14) == kind(-8) == ("before_14", False)
    assert kind(-7) == kind(-2) == ("before_7", False)
    assert kind(-1) == ("before_1", False)
    assert kind(0) == ("on_day", False)
    assert kind(1) == kind(6) == ("overdue_1", False)
    assert kind(7) == kind(13) == ("overdue_7", False)
    assert kind(14) == kind(20) == ("overdue_14", True)
    assert kind(21) == ("overdue_21", True)
    # A paper deadline has no reminders after it: the meeting's own deadline takes over.
    assert window_on(deadline, deadline + timedelta(days=1), settings=settings, after=False) is None


def test_reminder_reaches_the_right_people_with_subject_both_parts_and_link(world, session, inbox):
    outcomes = run(THURSDAY)

    # The drafter and the input contact only: the secretaries answer for nothing here.
    assert sorted(o.due.recipient.email for o in outcomes) == sorted(
        [world.owner.email, world.contact.email]
    )
    assert all(o.sent for o in outcomes)
    (mail,) = inbox.to(world.owner.email)
    assert mail["Subject"] == (
        "Response to the auditors by 2021-05-20: Granskning av regionens arbete med 1177"
    )
    assert mail["To"] == f"Regiondirektören <{world.owner.email}>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].endswith("@tracker.test>")
    assert mail["Date"]
    text, html = bodies(mail)
    for part in (text, html):
        assert "2021-05-20" in part
        assert "Granskning av regionens arbete med 1177" in part
        assert f"http://tracker.test/responses/{world.response.id}/edit" in links(part)
        assert "because you are responsible for drafting this response" in part
    assert "<a href=" in html
    assert inbox.to(world.secretary.email) == []
    assert inbox.to(world.manager.email) == []  # not overdue: no escalation


def test_a_measure_reminder_links_to_its_status_update_form(world, make, session, inbox):
    measure = make.measure(owner_id=world.owner.id, due_date=THURSDAY + timedelta(days=1))

    run(THURSDAY)

    (mail,) = [m for m in inbox.to(world.owner.email) if "measure" in m["X-Tracker-Reminder"]]
    assert mail["Subject"] == f"Reminder: the measure “{measure.title}” by 2021-05-14"
    text, html = bodies(mail)
    # The link opens the form without a password (tests/test_answer_links.py)...
    (answer,) = [url for url in links(text) if url.startswith("http://tracker.test/answer/")]
    assert answer in links(html)


def test_without_answer_links_a_reminder_links_to_the_form_behind_the_sign_in(
    world, make, session, inbox, app
):
    app.config["ANSWER_LINKS"] = False
    measure = make.measure(owner_id=world.owner.id, due_date=THURSDAY + timedelta(days=1))

    run(THURSDAY)

    (mail,) = [m for m in inbox.to(world.owner.email) if "measure" in m["X-Tracker-Reminder"]]
    text, html = bodies(mail)
    assert f"http://tracker.test/measures/{measure.id}/update" in links(text)
    assert f"http://tracker.test/measures/{measure.id}/update" in links(html)


def test_two_runs_on_the_same_day_send_nothing_the_second_time(world, session, inbox):
    first = run(THURSDAY)
    second = run(THURSDAY)

    assert len(first) == 2
    assert second == []
    assert len(inbox.mails) == 2
    assert all(row.sent_at is not None and row.attempts == 1 for row in ledger(session))


def test_smtp_down_for_one_run_then_up_delivers_every_reminder_once(world, session, inbox):
    inbox.stop()
    failed = run(THURSDAY)
    assert failed and not any(o.sent for o in failed)
    rows = ledger(session)
    assert all(row.sent_at is None and row.error for row in rows)

    inbox.start()
    delivered = run(THURSDAY)
    again = run(THURSDAY)

    assert sorted(o.due.recipient.email for o in delivered) == sorted(
        o.due.recipient.email for o in failed
    )
    assert again == []
    assert set(inbox.counts().values()) == {1}
    assert len(inbox.mails) == len(failed)
    rows = ledger(session)
    assert all(row.sent_at is not None and row.error == "" and row.attempts == 2 for row in rows)


def test_failed_sends_stop_at_the_retry_cap(world, app, session, inbox):
    app.config["REMINDER_MAX_ATTEMPTS"] = 2
    inbox.stop()
    assert run(THURSDAY)
    assert run(THURSDAY)
    assert run(THURSDAY) == []  # given up after two attempts
    inbox.start()
    assert run(THURSDAY) == []
    assert inbox.mails == []
    assert all(row.attempts == 2 and row.error for row in ledger(session))


def test_a_run_ten_days_after_the_last_sends_only_the_nearest_window(world, app, session, inbox):
    cli = app.test_cli_runner()
    first = cli.invoke(args=["remind", "--today", "2021-04-27"])  # 23 days before
    assert first.exit_code == 0, first.output
    assert "2 sent, 0 failed" in first.output

    later = cli.invoke(args=["remind", "--today", "2021-05-07"])  # 13 days before, 10 later
    assert later.exit_code == 0, later.output

    assert "before_14" in later.output and "2 sent, 0 failed" in later.output
    kinds = sorted((row.kind, row.recipient_id) for row in ledger(session))
    assert kinds == sorted(
        (kind, user.id)
        for kind in ("before_30", "before_14")
        for user in (world.owner, world.contact)
    )
    # After a longer gap, the missed windows (7 and 1 days before) are skipped too.
    last = cli.invoke(args=["remind", "--today", "2021-05-20"])
    assert "on_day" in last.output and "before_7" not in last.output
    assert "before_1" not in last.output
    assert len(inbox.reminders()) == 6


def test_dry_run_says_what_it_would_send_and_sends_nothing(world, app, session, inbox):
    result = app.test_cli_runner().invoke(args=["remind", "--today", "2021-05-13", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert (
        f"would send: response {world.response.id} before_7 2021-05-20 to {world.owner.email}"
        in (result.output)
    )
    assert "2 would be sent" in result.output
    assert inbox.mails == []
    assert ledger(session) == []


def test_a_claim_left_without_a_send_is_retried_after_the_timeout(world, app, session, inbox):
    # A process that claimed and then died: the claim is in the ledger, no mail went out.
    crashed_at = moment_of(THURSDAY)
    settings = current_settings()
    with app.app_context():
        dues = due_reminders(session, now=crashed_at, settings=settings)
        claimed = claim(session, dues, now=crashed_at, settings=settings)
        session.commit()
    assert len(claimed) == 2

    assert run_reminders(now=crashed_at + timedelta(minutes=10)) == []  # could still be sending
    retried = run_reminders(now=crashed_at + settings.claim_timeout + timedelta(minutes=1))

    assert len(retried) == 2 and all(o.sent for o in retried)
    assert set(inbox.counts().values()) == {1} and len(inbox.mails) == 2
    assert all(row.attempts == 2 and row.sent_at for row in ledger(session))


def test_a_moved_deadline_gets_fresh_reminders(world, make, session, inbox):
    measure = make.measure(owner_id=world.owner.id, due_date=date(2021, 5, 20))
    run(THURSDAY)
    update_measure(
        session,
        measure,
        version=measure.version,
        values={"due_date": date(2021, 6, 3)},
        recommendation_ids=[],
        reason="Leverantören är försenad",
        agreed_by="Divisionschefen",
    )
    session.commit()

    again = run(THURSDAY)

    measure_mails = [m for m in inbox.mails if m["X-Tracker-Reminder"].startswith("measure-")]
    assert [m["Subject"] for m in measure_mails] == [
        f"Reminder: the measure “{measure.title}” by 2021-05-20",
        f"Reminder: the measure “{measure.title}” by 2021-06-03",
    ]
    assert [o.due.kind for o in again] == ["before_30"]


def test_closed_done_and_cancelled_items_get_nothing(world, make, session, inbox):
    for status in ("done", "cancelled"):
        make.measure(owner_id=world.owner.id, due_date=THURSDAY, status=status)
    world.recommendation.status = "closed"
    world.response.status = "adopted"
    make.recommendation(world.report, responsible_id=world.owner.id, status="reported")
    make.recommendation(
        make.source(), responsible_id=world.owner.id, status="not_implemented", due_date=THURSDAY
    )
    session.add(world.recommendation)
    session.commit()

    for day in (THURSDAY, RESPONSE_DUE, RESPONSE_DUE + timedelta(days=20)):
        assert run(day) == []
    assert inbox.mails == []


def test_after_the_deadline_the_owner_then_from_day_14_the_owners_manager_only(
    world, make, session, inbox
):
    measure = make.measure(owner_id=world.owner.id, due_date=date(2021, 5, 3))
    reminders_began(session, date(2021, 4, 1))

    on_day_1 = run(date(2021, 5, 4))
    on_day_10 = run(date(2021, 5, 13))
    on_day_15 = run(date(2021, 5, 18))

    def sent(outcomes):
        return sorted(
            (o.due.recipient.name, o.due.kind) for o in outcomes if o.due.item_type == "measure"
        )

    assert sent(on_day_1) == [("Regiondirektören", "overdue_1")]
    assert sent(on_day_10) == [("Regiondirektören", "overdue_7")]
    # A secretary who has not asked for copies is not told.
    assert sent(on_day_15) == [
        ("Divisionschef", "overdue_14"),
        ("Regiondirektören", "overdue_14"),
    ]
    (escalation,) = [m for m in inbox.to(world.manager.email) if "measure" in m["Subject"]]
    assert escalation["Subject"] == (
        f"Escalation: the measure “{measure.title}” overdue since 2021-05-03"
    )
    text, _html = bodies(escalation)
    assert "Regiondirektören" in text
    assert (
        "because you are the manager of Division Nära, the unit of Regiondirektören, "
        "who is responsible"
    ) in text
    assert f"http://tracker.test/measures/{measure.id}" in links(text)


def test_the_digest_opt_out_holds_and_the_escalation_ignores_it(world, make, session, inbox):
    monday = date(2021, 5, 24)
    owner = world.owner  # has turned the digest off
    colleague = make.user("owner", name="Kollega", language="en")
    overdue = make.measure(owner_id=owner.id, due_date=monday - timedelta(days=15))
    upcoming = make.measure(owner_id=colleague.id, due_date=monday + timedelta(days=10))
    # The manager and the secretary answer for nothing of their own: no digest either.
    reminders_began(session, monday - timedelta(days=30))

    run(monday)

    assert inbox.to(owner.email, digest=True) == []
    (overdue_mail,) = [m for m in inbox.to(owner.email) if "measure" in m["X-Tracker-Reminder"]]
    assert overdue_mail["Subject"].startswith("Overdue:")
    assert len(inbox.to(world.manager.email)) == 1  # the escalation, despite no digest
    (digest,) = inbox.to(colleague.email, digest=True)
    assert digest["Subject"] == "Your deadlines, week of 2021-05-24"
    text, html = bodies(digest)
    for part in (text, html):
        assert upcoming.title in part
        assert f"http://tracker.test/measures/{upcoming.id}/update" in links(part)
        assert overdue.title not in part
    assert run(monday + timedelta(days=2)) == []  # one digest a week


def test_papers_for_a_meeting_are_reminded_to_everyone_reporting_to_it(
    world, app, make, session, inbox
):
    meeting = Meeting(body_id=world.board.id, held_on=date(2021, 6, 15), title="Sammanträde")
    session.add(meeting)
    session.commit()
    other = make.user("owner", name="Hälso- och sjukvårdsdirektör", language="en")
    due = [
        make.recommendation(world.report, responsible_id=user.id, due_meeting_id=meeting.id)
        for user in (world.owner, other)
    ]
    paper_deadline = meeting.held_on - timedelta(days=app.config["PAPER_DEADLINE_DAYS"])

    outcomes = run(paper_deadline - timedelta(days=5))

    papers = [o for o in outcomes if o.due.item_type == "meeting"]
    assert sorted(o.due.recipient.name for o in papers) == sorted([world.owner.name, other.name])
    assert all(o.due.deadline == paper_deadline for o in papers)
    (mail,) = [m for m in inbox.to(other.email) if m["X-Tracker-Reminder"].startswith("meeting")]
    assert mail["Subject"] == (
        "Reminder: papers for the meeting of Regionstyrelsen on 2021-06-15 by "
        f"{paper_deadline.isoformat()}"
    )
    text, html = bodies(mail)
    assert f"http://tracker.test/recommendations/{due[1].id}/update" in links(text)
    assert f"http://tracker.test/recommendations/{due[0].id}/update" not in links(text)
    assert f"http://tracker.test/recommendations/{due[1].id}/update" in links(html)


def test_one_smtp_connection_carries_a_whole_run(world, make, session, inbox):
    for _ in range(3):
        make.measure(owner_id=world.owner.id, due_date=RESPONSE_DUE)

    outcomes = run(THURSDAY)

    assert len(outcomes) == 5
    assert len(set(inbox.peers)) == 1


def test_without_an_smtp_host_mails_are_written_to_the_outbox(world, app, session, tmp_path):
    app.config["SMTP_HOST"] = ""

    outcomes = run(THURSDAY)

    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == len(outcomes) == 2
    import email
    from email import policy

    mails = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(m["To"].addresses[0].addr_spec for m in mails) == sorted(
        [world.owner.email, world.contact.email]
    )
    assert all(m["Auto-Submitted"] == "auto-generated" for m in mails)
    assert all(len(bodies(m)) == 2 for m in mails)


def test_a_swedish_recipient_gets_a_swedish_subject_and_body(world, session, inbox):
    world.owner.language = "sv"
    session.commit()
    run(THURSDAY)
    (mail,) = inbox.to(world.owner.email)
    assert mail["Subject"] == (
        "Yttrande till revisorerna senast 2021-05-20: Granskning av regionens arbete med 1177"
    )
    text, html = bodies(mail)
    assert "Hej Regiondirektören!" in text
    assert "skickades automatiskt" in html
