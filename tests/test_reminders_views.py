"""The reminder pages: the ledger, an item's reminders, the settings, the calendar feed."""

import re
from datetime import date, timedelta

import icalendar

from tests import reminders_support
from tests.conftest import fresh
from tracker.measures.services import update_measure
from tracker.models import Meeting, User
from tracker.reminders.services.run import run_reminders
from tracker.reminders.services.settings import moment_of

inbox = reminders_support.inbox

DUE = date(2021, 5, 20)


def _owner_with_measure(make, session, **values):
    owner = make.user("owner", name="Regiondirektören", language="en")
    measure = make.measure(owner_id=owner.id, due_date=DUE, title="Följ upp 1177", **values)
    return owner, measure


def test_the_ledger_lists_what_was_sent_to_whom_and_failures_with_their_error(
    make, session, login, inbox
):
    owner, measure = _owner_with_measure(make, session)
    other = make.user("owner", name="Annan ägare", language="en")
    make.measure(owner_id=other.id, due_date=DUE, title="Annan åtgärd")
    run_reminders(now=moment_of(DUE - timedelta(days=30)))
    inbox.stop()
    run_reminders(now=moment_of(DUE - timedelta(days=14)))
    client = login(make.user("admin"))

    page = client.get("/admin/reminders").get_data(as_text=True)
    assert "Regiondirektören" in page and owner.email in page
    assert "Reminder: the measure “Följ upp 1177” by 2021-05-20" in page
    assert "ConnectionRefusedError" in page

    failed = client.get("/admin/reminders?status=failed").get_data(as_text=True)
    sent = client.get("/admin/reminders?status=sent").get_data(as_text=True)
    assert "ConnectionRefusedError" in failed and failed.count("<tr>") == sent.count("<tr>")
    assert "ConnectionRefusedError" not in sent
    mine = client.get(f"/admin/reminders?recipient={owner.id}&kind=before").get_data(as_text=True)
    rows = mine.split("<tbody>")[1].split("</tbody>")[0]
    assert "Annan ägare" not in rows and rows.count("Regiondirektören") == 2
    assert "digest" not in rows


def test_a_wrong_filter_is_named_next_to_the_field_never_a_500(make, login):
    client = login(make.user("admin"))

    response = client.get("/admin/reminders?deadline_from=20.5.2021&recipient=x")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the date as YYYY-MM-DD" in page
    assert 'value="20.5.2021"' in page


def test_an_items_page_shows_the_reminders_it_produced(make, session, login, inbox):
    owner, measure = _owner_with_measure(make, session)
    run_reminders(now=moment_of(DUE - timedelta(days=1)))
    client = login(make.user("viewer"))

    page = client.get(f"/measures/{measure.id}").get_data(as_text=True)

    section = page.split('id="reminders-heading"')[1]
    assert "Regiondirektören" in section and "2021-05-20" in section
    assert "1 day before" in section and "Sent" in section


def test_a_user_turns_the_digest_off_on_their_settings_page(make, session, login):
    owner = make.user("owner", name="Regiondirektören")
    client = login(owner)
    page = client.get("/settings").get_data(as_text=True)
    assert "checked" in re.search(r'<input[^>]*id="digest"[^>]*>', page).group(0)

    response = client.submit(
        "/settings",
        {"name": owner.name, "language": "en", "version": owner.version},
    )

    assert response.status_code == 302
    fresh(session)
    assert session.get(User, owner.id).digest is False
    assert session.get(User, owner.id).language == "en"


def _feed(client, token):
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.get_data())


def _events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _new_feed_token(client) -> str:
    """Make a new calendar address and read it from the settings page, where it is shown once."""
    assert client.submit("/settings/calendar").status_code == 302
    page = client.get("/settings").get_data(as_text=True)
    return re.search(r'value="http://tracker\.test/calendar/([^"]+)\.ics"', page).group(1)


def test_the_calendar_feed_parses_and_a_moved_deadline_moves_its_event(app, make, session, login):
    owner, measure = _owner_with_measure(make, session)
    board = make.body("RS", "Regionstyrelsen")
    meeting = Meeting(body_id=board.id, held_on=date(2099, 6, 15))
    session.add(meeting)
    session.commit()
    report = make.recommendation(responsible_id=owner.id, due_meeting_id=meeting.id)
    make.measure(owner_id=make.user("owner").id, due_date=DUE, title="Någon annans")
    client = login(owner)
    token = _new_feed_token(client)

    calendar = _feed(app.test_client(), token)  # no sign-in: calendar programs have none

    events = _events(calendar)
    assert set(events) == {
        f"measure-{measure.id}@tracker.test",
        f"recommendation-{report.id}@tracker.test",
        f"papers-{meeting.id}@tracker.test",
        f"meeting-{meeting.id}@tracker.test",
    }
    event = events[f"measure-{measure.id}@tracker.test"]
    assert event.decoded("DTSTART") == DUE
    assert "Följ upp 1177" in str(event["SUMMARY"])
    assert str(event["URL"]) == f"http://tracker.test/measures/{measure.id}/update"
    assert events[f"meeting-{meeting.id}@tracker.test"].decoded("DTSTART") == date(2099, 6, 15)
    assert all("DTSTAMP" in e for e in events.values())
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]

    update_measure(
        session,
        measure,
        version=measure.version,
        values={"due_date": date(2021, 6, 3)},
        recommendation_ids=[],
        reason="Försenad leverans",
        agreed_by="Divisionschefen",
    )
    session.commit()
    moved = _events(_feed(app.test_client(), token))
    assert set(moved) == set(events)
    assert moved[f"measure-{measure.id}@tracker.test"].decoded("DTSTART") == date(2021, 6, 3)


def test_a_wrong_or_renewed_token_gives_404(app, make, session, login):
    owner, _measure = _owner_with_measure(make, session)
    client = login(owner)
    old = _new_feed_token(client)
    anonymous = app.test_client()

    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404
    assert anonymous.get(f"/calendar/{old}.ics").status_code == 200

    new = _new_feed_token(client)

    assert new != old
    assert anonymous.get(f"/calendar/{old}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{new}.ics").status_code == 200
