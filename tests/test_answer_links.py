"""Answering a reminder from the mail: the link opens one form, once, for its person only."""

from datetime import timedelta
from urllib.parse import urlsplit

from sqlmodel import select

from tests import reminders_support, test_reminders
from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.reminders_support import bodies, links
from tests.test_reminders import THURSDAY, run
from tracker.models import AnswerLink, Measure, StatusUpdate, User

inbox = reminders_support.inbox
world = test_reminders.world


def answer_path(inbox, user: User, measure: Measure) -> str:
    """Return the path of the answer link in the reminder a person got about a measure."""
    (mail,) = [
        m for m in inbox.to(user.email) if f"measure-{measure.id} " in m["X-Tracker-Reminder"]
    ]
    text, html = bodies(mail)
    (found,) = [url for url in links(text) if "/answer/" in url]
    assert found in html
    return urlsplit(found).path


def reminded(world, make, inbox):
    measure = make.measure(
        title="Införa webbtidbok", owner_id=world.owner.id, due_date=THURSDAY + timedelta(days=1)
    )
    run(THURSDAY)
    return measure, answer_path(inbox, world.owner, measure)


def test_the_owner_answers_from_the_mail_and_the_update_is_theirs_via_the_reminder(
    world, make, session, inbox, client
):
    measure, path = reminded(world, make, inbox)
    page = client.get(path)
    assert page.status_code == 200
    form = rendered_form(page.get_data(as_text=True), path)
    response = client.post(
        path, data=form.data(text="Webbtidboken är i drift på alla hälsocentraler.", status="done")
    )
    assert response.status_code == 200
    update = session.exec(select(StatusUpdate)).one()
    assert (update.author_id, update.via, update.status) == (world.owner.id, "reminder", "done")
    assert fresh(session).get(Measure, measure.id).status == "done"
    # The link signed nobody in: every other page still asks for the sign-in.
    assert client.get(f"/measures/{measure.id}").status_code == 302
    # The secretary sees it on the list as the owner's, sent from the reminder.
    secretary = world.secretary
    client.submit("/login", {"email": secretary.email, "password": "correct horse battery"})
    listed = client.get(f"/measures/{measure.id}").get_data(as_text=True)
    assert "Regiondirektören (via the reminder)" in listed
    assert "Webbtidboken är i drift" in listed


def test_a_used_forged_replaced_or_revoked_link_is_refused_with_a_clear_page(
    world, make, session, inbox, client, app
):
    measure, path = reminded(world, make, inbox)
    form = rendered_form(client.get(path).get_data(as_text=True), path)
    assert client.post(path, data=form.data(text="Klart.", status="done")).status_code == 200

    used = client.get(path)
    assert used.status_code == 410 and "This link has been used" in used.get_data(as_text=True)
    again = client.post(path, data=form.data(text="En gång till.", status="done"))
    assert again.status_code == 410
    assert len(session.exec(select(StatusUpdate)).all()) == 1

    forged = client.get(path[:-4] + "AAAA")
    assert forged.status_code == 404
    assert "not one of ours" in forged.get_data(as_text=True)

    # Another person's link opens their own item only: this one is the owner's, not a way
    # into someone else's; a newer reminder replaces the older link.
    other = make.measure(owner_id=world.owner.id, due_date=THURSDAY + timedelta(days=7))
    run(THURSDAY)
    older = answer_path(inbox, world.owner, other)
    run(THURSDAY + timedelta(days=6))
    newer = [
        urlsplit(url).path
        for mail in inbox.to(world.owner.email)
        if f"measure-{other.id} " in mail["X-Tracker-Reminder"]
        for url in links(bodies(mail)[0])
        if "/answer/" in url
    ][-1]
    assert newer != older
    replaced = client.get(older)
    assert replaced.status_code == 410 and "newer reminder" in replaced.get_data(as_text=True)
    assert client.get(newer).status_code == 200

    # Signing out everywhere (a new session token) revokes every link.
    owner = session.get(User, world.owner.id)
    owner.session_token = "renewed-" + owner.session_token[:20]
    session.commit()
    revoked = client.get(newer)
    assert revoked.status_code == 403 and "signed out everywhere" in revoked.get_data(as_text=True)

    # An installation that turns the links off sends none and honours none.
    app.config["ANSWER_LINKS"] = False
    assert client.get(newer).status_code == 404


def test_text_typed_while_the_link_expired_is_kept_for_the_sign_in(
    world, make, session, inbox, client
):
    measure, path = reminded(world, make, inbox)
    form = rendered_form(client.get(path).get_data(as_text=True), path)
    # Fifteen days pass while the owner writes.
    link = session.exec(select(AnswerLink)).one()
    link.created_at -= timedelta(days=15)
    session.commit()
    text = "Utbildningen är genomförd; rutinen införs i juni."
    response = client.post(path, data=form.data(text=text, status="ongoing"))
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "Your text is kept" in page and text in page
    assert session.exec(select(StatusUpdate)).all() == []
    assert client.get(path).status_code == 410

    client.submit("/login", {"email": world.owner.email, "password": "correct horse battery"})
    url = f"/measures/{measure.id}/update"
    waiting = rendered_form(client.get(url).get_data(as_text=True), url)
    assert waiting.value("text") == text
    assert client.submit(url, waiting.data(status="ongoing")).status_code == 302
    update = fresh(session).exec(select(StatusUpdate)).one()
    assert update.text == text and update.via == ""
    assert session.exec(select(AnswerLink)).one().draft == ""


def test_the_link_page_is_throttled_per_address(world, make, session, inbox, client, app):
    measure, path = reminded(world, make, inbox)
    app.config["ANSWER_LINK_LIMIT"] = "3 per minute"
    statuses = [client.get(path + "x").status_code for _ in range(5)]
    assert statuses[:3] == [404, 404, 404] and statuses[3:] == [429, 429]


def test_a_secretary_posts_the_owners_update_on_their_behalf_and_the_owner_is_told(
    world, make, session, inbox, client
):
    measure = make.measure(title="Införa webbtidbok", owner_id=world.owner.id)
    client.submit("/login", {"email": world.secretary.email, "password": "correct horse battery"})
    url = f"/measures/{measure.id}"
    form = rendered_form(client.get(url).get_data(as_text=True), f"{url}/update")
    assert form.value("on_behalf") is None  # a box, unticked
    text = "Enligt divisionschefen i telefon: tidboken är upphandlad."
    response = client.submit(form.action, form.data(text=text, status="ongoing", on_behalf="y"))
    assert response.status_code == 302
    update = fresh(session).exec(select(StatusUpdate)).one()
    assert (update.author_id, update.entered_by_id, update.via) == (
        world.owner.id,
        world.secretary.id,
        "behalf",
    )
    page = client.get(url).get_data(as_text=True)
    assert "Regiondirektören (entered on their behalf by Nämndsekreterare)" in page
    (mail,) = [m for m in inbox.mails if world.owner.email in m["To"]]
    assert mail["Subject"] == "Nämndsekreterare posted an update on your behalf"
    assert text in bodies(mail)[0]


def test_an_owner_cannot_post_on_someone_elses_behalf(world, make, session, client):
    other = make.user("owner", name="Annan ägare")
    measure = make.measure(owner_id=world.owner.id)
    client.submit("/login", {"email": world.owner.email, "password": "correct horse battery"})
    url = f"/measures/{measure.id}"
    form = rendered_form(client.get(url).get_data(as_text=True), f"{url}/update")
    assert form.value("on_behalf") is None
    response = client.submit(form.action, form.data(text="Klart", status="done", on_behalf="y"))
    assert response.status_code == 400
    assert "no owner you may post for" in response.get_data(as_text=True)
    assert fresh(session).exec(select(StatusUpdate)).all() == []
    assert other.id != world.owner.id
