"""Sign-ins that can be ended, throttled guessing, and password rules, through HTTP and CLI."""

import uuid

import pytest
import redis

from tests.conftest import PASSWORD
from tests.html_forms import rendered_form
from tests.settings import REDIS_URL
from tracker import create_app

NEW_PASSWORD = "Blåbärssoppa i Vasaloppet"


def _sign_in(app, user, password=PASSWORD, remember=False):
    client = app.test_client()
    data = {"email": user.email, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.submit("/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.token = None
    return client


def _signed_in(client) -> bool:
    return client.get("/settings").status_code == 200


def _with_cookie(app, name, value):
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def test_sign_out_ends_the_session_its_copies_and_its_remember_cookie(app, make):
    user = make.user("viewer")
    client = _sign_in(app, user, remember=True)
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie("remember_token").value
    assert _signed_in(_with_cookie(app, "session", session_cookie))
    assert _signed_in(_with_cookie(app, "remember_token", remember_cookie))

    assert client.submit("/logout").status_code == 302
    assert not _signed_in(client)
    assert not _signed_in(_with_cookie(app, "session", session_cookie))
    assert not _signed_in(_with_cookie(app, "remember_token", remember_cookie))

    again = _sign_in(app, user, remember=True)
    assert again.get_cookie("remember_token").value != remember_cookie


def test_a_password_change_asks_for_the_current_one_and_ends_other_sessions(app, make):
    user = make.user("owner", name="Olle Ägare")
    here = _sign_in(app, user, remember=True)
    elsewhere = _sign_in(app, user)
    remembered = here.get_cookie("remember_token").value
    form = rendered_form(here.get("/settings").get_data(as_text=True), "/settings").data()

    wrong = here.post("/settings", data=form | {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400
    assert 'id="current_password-error"' in wrong.get_data(as_text=True)
    assert _signed_in(elsewhere)

    form = rendered_form(wrong.get_data(as_text=True), "/settings").data()
    form.update(current_password=PASSWORD, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert here.post("/settings", data=form).status_code == 302
    assert _signed_in(here)  # the browser that changed it stays signed in
    assert not _signed_in(elsewhere)
    assert not _signed_in(_with_cookie(app, "remember_token", remembered))
    _sign_in(app, user, password=NEW_PASSWORD)


@pytest.mark.parametrize(
    "password, message",
    [
        ("qwertyuiop", "on a list of common passwords"),
        ("Password123", "on a list of common passwords"),
        ("olle ägare", "must not be your e-mail address or your name"),
        ("owner-olle@region.example", "must not be your e-mail address or your name"),
        ("kort", "10 to 200 characters"),
        ("aaaaaaaaaa", "too easy to guess"),
        ("lösenord123", "too easy to guess"),
        ("Hösten2031", "too easy to guess"),
    ],
)
def test_weak_passwords_are_refused_next_to_the_field(app, make, password, message):
    user = make.user("owner", name="Olle Ägare", email="owner-olle@region.example")
    client = _sign_in(app, user)
    form = rendered_form(client.get("/settings").get_data(as_text=True), "/settings").data()
    form.update(current_password=PASSWORD, password=password, confirm=password)
    response = client.post("/settings", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="password-error"' in page and message in page


def test_deactivation_and_sign_out_everywhere_end_every_session(app, make):
    admin = _sign_in(app, make.user("admin"))
    user = make.user("secretary")
    first, second = _sign_in(app, user, remember=True), _sign_in(app, user)
    remembered = first.get_cookie("remember_token").value

    assert second.submit("/settings/sign-out-everywhere").status_code == 302
    assert not _signed_in(first) and not _signed_in(second)
    assert not _signed_in(_with_cookie(app, "remember_token", remembered))

    signed_in = _sign_in(app, user)
    url = f"/users/{user.id}/edit"
    form = rendered_form(admin.get(url).get_data(as_text=True), url).data()
    form.pop("active")
    assert admin.post(url, data=form).status_code == 302
    form = rendered_form(admin.get(url).get_data(as_text=True), url).data() | {"active": "y"}
    assert admin.post(url, data=form).status_code == 302
    assert not _signed_in(signed_in)  # active again, but the old session stays ended


def test_set_password_command_gives_a_new_password_and_ends_sign_ins(app, make):
    user = make.user("admin")
    client = _sign_in(app, user)
    runner = app.test_cli_runner()

    refused = runner.invoke(args=["set-password", user.email], input="password123\npassword123\n")
    assert refused.exit_code != 0 and "common passwords" in refused.output
    missing = runner.invoke(args=["set-password", "nobody@region.example"], input="x\nx\n")
    assert missing.exit_code != 0 and "no user" in missing.output

    result = runner.invoke(
        args=["set-password", user.email], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert not _signed_in(client)
    _sign_in(app, user, password=NEW_PASSWORD)


def _fail(client, email):
    return client.submit("/login", {"email": email, "password": "fel lösenord igen"})


def test_the_count_lives_in_redis_when_tracker_redis_url_is_set(app, make, migrated, monkeypatch):
    prefix = f"tracker-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("TRACKER_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("TRACKER_RATELIMIT_PREFIX", prefix)
    monkeypatch.setenv("TRACKER_SIGNIN_FREE_TRIES", "3")
    monkeypatch.setenv("TRACKER_SIGNIN_DELAY_SECONDS", "600")
    user = make.user("admin")
    settings = {"DATABASE_URL": migrated, "TESTING": True, "SECRET_KEY": "test"}
    first, second = create_app(settings), create_app(settings)  # two workers
    try:
        for worker in (first, first, second):
            worker.test_client_class = type(app.test_client())
            assert _fail(worker.test_client(), user.email).status_code == 400
        assert _fail(second.test_client(), user.email).status_code == 429
        store = redis.Redis.from_url(REDIS_URL)
        keys = store.keys(f"*{prefix}*")
        assert keys
        store.delete(*keys)
    finally:
        for worker in (first, second):
            worker.extensions["tracker.engine"].dispose()
