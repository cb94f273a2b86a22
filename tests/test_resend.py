"""A form sent after the session ended keeps its text through the sign-in."""

import html
import re

from sqlmodel import select

from tests.conftest import PASSWORD, fresh
from tracker.models import StatusUpdate

TAG = re.compile(r"<(input|textarea|select)\b([^>]*)>")


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return html.unescape(found[1]) if found else None


def fields(page: str) -> dict:
    """Return the fields of the page's main form as a browser would send them."""
    form = page[page.index("<main") :]
    form = form[form.index('<form method="post"') :]
    form = form[: form.index("</form>")]
    data = {}
    for match in TAG.finditer(form):
        kind, tag = match[1], match[2]
        name = attribute(tag, "name")
        if name is None or (attribute(tag, "type") == "checkbox" and "checked" not in tag):
            continue
        rest = form[match.end() :]
        if kind == "textarea":
            data[name] = html.unescape(rest[: rest.index("</textarea>")]).removeprefix("\n")
        elif kind == "select":
            options = rest[: rest.index("</select>")]
            chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', options)
            data[name] = html.unescape((chosen or re.search(r'value="([^"]*)"', options))[1])
        else:
            data[name] = attribute(tag, "value") or ""
    return data


def test_a_status_update_sent_after_the_session_ended_survives_the_sign_in(make, login, session):
    owner = make.user("owner")
    measure = make.measure(owner_id=owner.id)
    client = login(owner)
    page = client.get(f"/measures/{measure.id}/update").get_data(as_text=True)
    data = fields(page)
    typed = "Rutinen är införd på alla hälsocentraler.\nUppföljning sker varje månad."
    data["text"] = typed

    client.delete_cookie("session")  # the session ends while the user types
    client.delete_cookie("remember_token")
    sent = client.post(f"/measures/{measure.id}/update", data=data)

    assert sent.status_code == 302 and sent.headers["Location"] == "/login?next=/resend"
    login_page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "what you typed is kept" in login_page
    signed_in = client.post(
        "/login?next=/resend",
        data=fields(login_page) | {"email": owner.email, "password": PASSWORD},
    )
    assert signed_in.headers["Location"] == "/resend"
    again = client.get("/resend").get_data(as_text=True)
    assert html.escape(typed, quote=False) in again  # the text is there to check
    assert f'action="/measures/{measure.id}/update"' in again
    saved = client.post(f"/measures/{measure.id}/update", data=fields(again))
    assert saved.status_code == 302
    update = fresh(session).exec(select(StatusUpdate)).one()
    assert update.text == typed and update.measure_id == measure.id
    assert "no kept form" in client.get("/resend").get_data(as_text=True)  # sent once only
