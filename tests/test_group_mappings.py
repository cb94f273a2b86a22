"""The administrator's table of the identity provider's groups."""

import html

from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.test_responses import option_value
from tracker.models import GroupMapping


def test_an_administrator_maps_a_group_and_removes_it(make, session, login):
    make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    client = login(make.user("admin"))
    page = client.get("/users/groups").get_data(as_text=True)
    assert "No group is mapped yet." in page
    values = rendered_form(page, "/users/groups").data()
    values.update(
        group="HSN-sekreterare",
        role="viewer",
        body_id=option_value(page, "body_id", "HSN"),
    )
    # A reader's group names no body: said next to the field, with what was typed kept.
    refused = client.post("/users/groups", data=values)
    assert refused.status_code == 400
    text = html.unescape(refused.get_data(as_text=True))
    assert "Only a secretary's or an elected member's group names a body." in text
    assert 'value="HSN-sekreterare"' in text
    assert fresh(session).exec(select(GroupMapping)).all() == []

    values["role"] = "secretary"
    assert client.post("/users/groups", data=values).status_code == 302
    page = client.get("/users/groups").get_data(as_text=True)
    assert "HSN-sekreterare" in page and "Hälso- och sjukvårdsnämnden" in page
    mapping = fresh(session).exec(select(GroupMapping)).one()
    fresh(session)
    assert (mapping.group_name, mapping.role) == ("HSN-sekreterare", "secretary")

    removal = rendered_form(page, f"/users/groups/{mapping.id}/delete")
    assert client.post(removal.action, data=removal.data()).status_code == 302
    assert fresh(session).exec(select(GroupMapping)).all() == []
