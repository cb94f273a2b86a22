"""Status updates posted at once through gunicorn: every one is stored, none answers 5xx."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from tests.conftest import PASSWORD, fresh
from tests.html_forms import rendered_form
from tests.live_server import Gunicorn, cookies_of
from tracker.models import Measure, StatusUpdate

POSTS = 50


@pytest.fixture
def server(app, migrated):
    server = Gunicorn(migrated)
    yield server
    server.stop()


def _sign_in(server, user) -> str:
    jar: dict = {}
    status, headers, page = server.request("GET", "/login")
    cookie = cookies_of(headers, jar)
    form = rendered_form(page, "/login").data()
    form.update(email=user.email, password=PASSWORD)
    status, headers, _ = server.request("POST", "/login", form, cookie)
    assert status == 302
    return cookies_of(headers, jar)


def test_fifty_status_updates_at_once_are_all_stored(server, make, session):
    owner = make.user("owner")
    measure = make.measure(owner_id=owner.id, status="ongoing")
    cookie = _sign_in(server, owner)
    url = f"/measures/{measure.id}/update"
    status, _, page = server.request("GET", url, cookie=cookie)
    assert status == 200
    form = rendered_form(page, url).data()

    def post(n):
        return server.request("POST", url, form | {"text": f"Lägesrapport {n}"}, cookie)[0]

    with ThreadPoolExecutor(max_workers=POSTS) as pool:
        statuses = list(pool.map(post, range(POSTS), timeout=120))

    assert [s for s in statuses if s >= 500] == []
    assert statuses == [302] * POSTS
    count = fresh(session).exec(
        select(func.count()).select_from(StatusUpdate).where(StatusUpdate.measure_id == measure.id)
    )
    assert count.one() == POSTS
    assert session.get(Measure, measure.id).status == "ongoing"
