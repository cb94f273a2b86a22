"""A post while the database is down: 503 "not saved, try again", the typed text kept."""

import lxml.html
from sqlalchemy import make_url
from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tracker.db import make_engine
from tracker.models import StatusUpdate


def _unreachable(url: str) -> str:
    """Return the same database unable to take writes: read-only SQLite, or no server at all."""
    if url.startswith("sqlite"):
        return f"sqlite:///file:{make_url(url).database}?mode=ro&uri=true"
    return make_url(url).set(host="127.0.0.1", port=1).render_as_string(hide_password=False)


def test_a_status_update_posted_during_an_outage_is_kept_and_sent_once_it_is_back(
    app, make, login, session
):
    owner = make.user("owner")
    measure = make.measure(owner_id=owner.id)
    client = login(owner)
    url = f"/measures/{measure.id}/update"
    typed = "Rutinen är införd.\nUppföljning varje månad."
    data = rendered_form(client.get(url).get_data(as_text=True), url).data(text=typed)

    working = app.extensions["tracker.engine"]
    app.extensions["tracker.engine"] = make_engine(_unreachable(app.config["DATABASE_URL"]))
    try:
        answer = client.post(url, data=data)
    finally:
        app.extensions["tracker.engine"].dispose()
        app.extensions["tracker.engine"] = working
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "Not saved: try again" in page
    shown = lxml.html.fromstring(page).xpath("//dl[@class='kept-fields']//dd")
    assert typed in [dd.text_content() for dd in shown]  # readable even before it is back
    assert fresh(session).exec(select(StatusUpdate)).all() == []

    again = client.get("/resend").get_data(as_text=True)
    assert rendered_form(again, url).value("text") == typed
    assert client.post(url, data=rendered_form(again, url).data()).status_code == 302
    assert fresh(session).exec(select(StatusUpdate.text)).all() == [typed]


def test_a_page_read_during_an_outage_says_so(app, make, login):
    client = login(make.user("viewer"))
    working = app.extensions["tracker.engine"]
    app.extensions["tracker.engine"] = make_engine(
        make_url("postgresql+psycopg://nobody@127.0.0.1:1/none").render_as_string()
    )
    try:
        answer = client.get("/measures/")
    finally:
        app.extensions["tracker.engine"].dispose()
        app.extensions["tracker.engine"] = working
    assert answer.status_code == 503
    assert "The database cannot be reached" in answer.get_data(as_text=True)
