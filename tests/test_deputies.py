"""Deputies: reminders go to who stands in, "för" the absent person, who may post updates."""

from datetime import date, timedelta

from sqlmodel import select

from tests import reminders_support, test_reminders
from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.reminders_support import bodies
from tests.test_reminders import THURSDAY, run
from tracker import dates
from tracker.models import Deputy, Meeting, StatusUpdate

inbox = reminders_support.inbox
world = test_reminders.world
PASSWORD = "correct horse battery"


def sign_in(client, user) -> None:
    client.submit("/logout")
    client.submit("/login", {"email": user.email, "password": PASSWORD})


def name_deputy(client, user, deputy, starts_on: str, ends_on: str):
    sign_in(client, user)
    url = "/settings/deputies/"
    form = rendered_form(client.get(url).get_data(as_text=True), url)
    return client.submit(
        url, form.data(deputy_id=deputy.name, starts_on=starts_on, ends_on=ends_on)
    )


def test_while_the_owner_is_away_the_reminder_goes_to_the_deputy_for_the_owner(
    world, make, session, inbox, client
):
    deputy = make.user("owner", name="Biträdande direktör", language="en")
    measure = make.measure(owner_id=world.owner.id, due_date=THURSDAY + timedelta(days=1))
    assert name_deputy(client, world.owner, deputy, "2021-05-10", "2021-05-20").status_code == 302
    assert session.exec(select(Deputy)).one().deputy_id == deputy.id

    run(THURSDAY)

    assert inbox.to(world.owner.email) == []
    (mail,) = [
        m for m in inbox.to(deputy.email) if f"measure-{measure.id} " in m["X-Tracker-Reminder"]
    ]
    assert mail["Subject"].endswith("(for Regiondirektören)")
    text, _html = bodies(mail)
    assert "as deputy for Regiondirektören, who is away until 2021-05-20" in text

    # After the absence, the owner's own reminders come back to the owner.
    run(THURSDAY + timedelta(days=8))
    assert inbox.to(world.owner.email)


def test_a_deputy_gets_the_absent_persons_papers_for_a_meeting(
    world, app, make, session, inbox, client
):
    meeting = Meeting(body_id=world.board.id, held_on=date(2021, 6, 15), title="Sammanträde")
    session.add(meeting)
    session.commit()
    item = make.recommendation(
        world.report, responsible_id=world.owner.id, due_meeting_id=meeting.id
    )
    deputy = make.user("owner", name="Biträdande direktör", language="en")
    assert name_deputy(client, world.owner, deputy, "2021-05-01", "2021-06-20").status_code == 302
    paper_deadline = meeting.held_on - timedelta(days=app.config["PAPER_DEADLINE_DAYS"])

    run(paper_deadline - timedelta(days=5))

    (mail,) = [m for m in inbox.to(deputy.email) if m["X-Tracker-Reminder"].startswith("meeting")]
    assert mail["Subject"].endswith("(for Regiondirektören)")
    text, html = bodies(mail)
    # The papers are the absent owner's: the items they report to the meeting.
    assert f"http://tracker.test/recommendations/{item.id}/update" in text
    assert f"http://tracker.test/recommendations/{item.id}/update" in html


def test_a_deputy_posts_updates_on_the_absent_owners_items_and_the_start_page_says_so(
    world, make, session, client
):
    deputy = make.user("owner", name="Biträdande direktör")
    measure = make.measure(owner_id=world.owner.id)
    today = dates.today()
    period = (str(today - timedelta(days=1)), str(today + timedelta(days=3)))
    assert name_deputy(client, world.owner, deputy, *period).status_code == 302
    assert "Biträdande direktör stands in for you until" in client.get("/").get_data(as_text=True)

    sign_in(client, deputy)
    assert "You stand in for Regiondirektören until" in client.get("/").get_data(as_text=True)
    url = f"/measures/{measure.id}/update"
    form = rendered_form(client.get(url).get_data(as_text=True), url)
    response = client.submit(
        url, form.data(text="Under semestern: leveransen är klar.", status="done")
    )
    assert response.status_code == 302
    update = fresh(session).exec(select(StatusUpdate)).one()
    assert update.author_id == deputy.id


def test_a_deputy_period_that_cannot_be_is_refused_next_to_its_field(world, make, client):
    deputy = make.user("owner", name="Biträdande direktör")
    response = name_deputy(client, world.owner, world.owner, "2027-07-01", "2027-08-09")
    assert response.status_code == 400
    assert 'id="deputy_id-error"' in response.get_data(as_text=True)
    response = name_deputy(client, world.owner, deputy, "2027-08-09", "2027-07-01")
    assert 'id="ends_on-error"' in response.get_data(as_text=True)
    assert 'value="2027-07-01"' in response.get_data(as_text=True)
    assert name_deputy(client, world.owner, deputy, "2027-07-01", "2027-08-09").status_code == 302
    overlapping = name_deputy(client, world.owner, deputy, "2027-08-01", "2027-08-20")
    assert 'id="starts_on-error"' in overlapping.get_data(as_text=True)
