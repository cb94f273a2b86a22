"""The one edit page (tracker/edit_page.py), through the unit and user pages it serves: the role
before the row, a conflict re-shown with both sides and saved when sent again, a refusal on the
field, and what the page says once saved read from the saved row."""

import lxml.html
from sqlmodel import select

from tests.conftest import PASSWORD, fresh
from tests.html_forms import rendered_form
from tracker.models import Unit, User


def _signed_in(app, user):
    client = app.test_client()
    assert client.submit("/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    client.token = None
    return client


def _form(client, url: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return rendered_form(page.get_data(as_text=True), url).data()


def _compared(page: str) -> dict[str, tuple[str, str]]:
    """Return the conflict box's rows: field, what is saved now, what was typed."""
    rows = lxml.html.fromstring(page).xpath("//*[@id='conflict']//tbody/tr")
    return {
        row.xpath("th")[0].text_content().strip(): tuple(
            cell.text_content().strip() for cell in row.xpath("td")
        )
        for row in rows
    }


def test_the_role_is_checked_before_the_row_is_looked_up(app, make):
    unit = make.unit(name="Vårdcentral Ängby")
    secretary = _signed_in(app, make.user("secretary"))
    admin = _signed_in(app, make.user("admin"))
    # Units are the administrators' alone: no one else learns which ids exist.
    assert secretary.get(f"/units/{unit.id}/edit").status_code == 403
    assert secretary.get("/units/999999/edit").status_code == 403
    assert admin.get("/units/999999/edit").status_code == 404
    assert admin.get(f"/units/{unit.id}/edit").status_code == 200


def test_a_conflict_keeps_what_was_typed_shows_theirs_and_saves_when_sent_again(app, make, session):
    unit = make.unit(name="Vårdcentral Ängby")
    url = f"/units/{unit.id}/edit"
    first, second = _signed_in(app, make.user("admin")), _signed_in(app, make.user("admin"))
    first_form, second_form = _form(first, url), _form(second, url)

    assert first.post(url, data=first_form | {"name": "Vårdcentral Ängby torg"}).status_code == 302
    conflict = second.post(url, data=second_form | {"name": "Ängby vårdcentral"})
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert _compared(page)["Name"] == ("Vårdcentral Ängby torg", "Ängby vårdcentral")
    resent = rendered_form(page, url).data()
    assert resent["name"] == "Ängby vårdcentral"
    assert resent["version"] != second_form["version"]  # the version now saved
    assert fresh(session).get(Unit, unit.id).name == "Vårdcentral Ängby torg"  # nothing lost

    # The first form again, still at the version it was read: stale twice over, refused again.
    assert second.post(url, data=second_form | {"name": "Tredje"}).status_code == 409
    saved = second.post(url, data=resent)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/units/")
    assert "The unit is saved." in second.get("/units/").get_data(as_text=True)
    assert fresh(session).get(Unit, unit.id).name == "Ängby vårdcentral"


def test_a_refusal_of_the_service_is_shown_on_its_field_and_nothing_is_saved(app, make, session):
    make.user("owner", email="taken@region.example")
    user = make.user("owner", name="Eva Ek", email="eva.ek@region.example")
    url = f"/users/{user.id}/edit"
    admin = _signed_in(app, make.user("admin"))
    typed = _form(admin, url) | {"email": "taken@region.example", "name": "Eva Ekström"}
    refused = admin.post(url, data=typed)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "A user with this e-mail already exists." in page
    assert rendered_form(page, url).data()["name"] == "Eva Ekström"  # the typed text kept
    assert 'id="conflict"' not in page
    stored = fresh(session).get(User, user.id)
    assert (stored.name, stored.email) == ("Eva Ek", "eva.ek@region.example")


def test_the_saved_message_names_the_row_as_saved(app, make, session):
    user = make.user("owner", name="Eva Ek")
    url = f"/users/{user.id}/edit"
    admin = _signed_in(app, make.user("admin"))
    saved = admin.post(url, data=_form(admin, url) | {"name": "Eva Ekström"})
    assert saved.status_code == 302
    assert "The user Eva Ekström is saved." in admin.get("/users").get_data(as_text=True)
    names = set(fresh(session).exec(select(User.name)))
    assert "Eva Ekström" in names and "Eva Ek" not in names
