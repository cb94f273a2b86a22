"""Kept forms: only our own pages' forms, shown in full before resending, bounded on disk."""

import json
import os
import stat
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import PASSWORD, fresh
from tests.html_forms import rendered_form
from tracker.models import User, utcnow


def _signed_in(app, user):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    form = rendered_form(page, "/login")
    answer = client.post("/login", data=form.data(email=user.email, password=PASSWORD))
    assert answer.status_code == 302
    return client


def _session_ends(client):
    client.delete_cookie("session")
    client.delete_cookie("remember_token")


def _kept_files(app) -> list[Path]:
    return sorted((Path(app.config["INSTANCE_DIR"]) / "kept-forms").glob("*.json"))


def _make_admin_form(client, user_id: int) -> dict:
    url = f"/users/{user_id}/edit"
    return rendered_form(client.get(url).get_data(as_text=True), url).data(role="admin")


def _sign_in_again(client, user):
    page = client.get("/login?next=/resend").get_data(as_text=True)
    form = rendered_form(page, "/login")
    client.post("/login?next=/resend", data=form.data(email=user.email, password=PASSWORD))
    return client.get("/resend").get_data(as_text=True)


def test_a_cross_site_post_is_never_kept_nor_replayed(app, make, session):
    admin, victim = make.user("admin"), make.user("viewer")
    attacker = _signed_in(app, make.user("viewer"))
    foreign_token = rendered_form(attacker.get("/settings").get_data(as_text=True), "/settings")
    foreign = foreign_token.value("csrf_token")
    admin_client = _signed_in(app, admin)
    genuine = _make_admin_form(admin_client, victim.id)
    url = f"/users/{victim.id}/edit"
    _session_ends(admin_client)

    attempts = [
        # What a browser sends from another site: no cookie of ours (SameSite), no token.
        (app.test_client(), genuine | {"csrf_token": ""}, {}),
        # This browser's cookies (as if they were sent), with the attacker's own valid token.
        (admin_client, genuine | {"csrf_token": foreign}, {}),
        # A token of ours from another site's page: the Origin names the other site.
        (admin_client, genuine | {"csrf_token": foreign}, {"Origin": "https://evil.example"}),
        (admin_client, genuine, {"Origin": "https://evil.example"}),
    ]
    for client, data, headers in attempts:
        answer = client.post(url, data=data, headers=headers)
        assert answer.status_code == 302 and answer.headers["Location"] == "/login?next=/resend"
        assert _kept_files(app) == []
        page = _sign_in_again(client, admin)
        assert "There is no kept form to send" in page
        _session_ends(client)
    assert fresh(session).get(User, victim.id).role == "viewer"


def test_an_expired_sessions_form_is_kept_shown_in_full_and_resent_after_sign_in(
    app, make, session
):
    admin, colleague = make.user("admin"), make.user("viewer")
    client = _signed_in(app, admin)
    url = f"/users/{colleague.id}/edit"
    typed = _make_admin_form(client, colleague.id) | {"name": "Vera Visare-Adminsson"}
    _session_ends(client)

    answer = client.post(url, data=typed)
    assert answer.headers["Location"] == "/login?next=/resend"
    assert len(_kept_files(app)) == 1
    page = _sign_in_again(client, admin)
    tree = lxml.html.fromstring(page)
    # Every kept field is visible, labelled with what it changes; none hides.
    assert tree.xpath("//main//form//input[@type='hidden' and @name!='csrf_token']") == []
    labels = [label.text_content() for label in tree.xpath("//main//form//label")]
    assert "Field “role” changes to" in labels and "Field “name” changes to" in labels
    assert f"Form to {url}" in page
    resent = rendered_form(page, url).data()
    assert resent["role"] == "admin" and resent["name"] == "Vera Visare-Adminsson"
    assert client.post(url, data=resent).status_code == 302
    assert fresh(session).get(User, colleague.id).role == "admin"
    assert _kept_files(app) == []


def _kept_post(app, client, url, data):
    _session_ends(client)
    return client.post(url, data=data)


def _measure_update(app, make):
    owner = make.user("owner")
    measure = make.measure(owner_id=owner.id)
    client = _signed_in(app, owner)
    url = f"/measures/{measure.id}/update"
    form = rendered_form(client.get(url).get_data(as_text=True), url)
    return owner, client, url, form


def test_a_kept_form_is_private_to_its_owner_and_never_holds_a_password(app, make):
    user = make.user("owner")
    client = _signed_in(app, user)
    form = rendered_form(client.get("/settings").get_data(as_text=True), "/settings")
    secrets = {
        "current_password": "Gammalt-Lösen-1",
        "password": "Nytt-Lösenord-2",
        "confirm": "Nytt-Lösenord-2",
        "new_password": "Ett-Tredje-3",
        "Password2": "Ett-Fjärde-4",
    }
    _kept_post(app, client, "/settings", form.data(**secrets))
    [path] = _kept_files(app)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    for name, secret in secrets.items():
        assert secret not in text and f'"{name}"' not in text
    assert f'"{user.name}"' in text  # the rest is kept


def test_a_form_larger_than_the_bound_is_not_kept(app, make):
    app.config["KEPT_FORM_MAX_BYTES"] = 4000
    _owner, client, url, form = _measure_update(app, make)
    answer = _kept_post(app, client, url, form.data(text="Lång text. " * 400))
    assert _kept_files(app) == []
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "the form was not kept" in page
    client.post(url, data=form.data(text="Kort text."))
    assert len(_kept_files(app)) == 1


def test_one_browser_keeps_its_newest_forms_only(app, make):
    app.config["KEPT_FORMS_PER_BROWSER"] = 2
    owner, client, url, form = _measure_update(app, make)
    for number in range(3):
        _kept_post(app, client, url, form.data(text=f"Utkast {number}"))
    texts = [path.read_text(encoding="utf-8") for path in _kept_files(app)]
    assert len(texts) == 2 and not any("Utkast 0" in text for text in texts)
    page = _sign_in_again(client, owner)
    assert "Utkast 2" in page and "Utkast 1" in page and "Utkast 0" not in page


@pytest.mark.parametrize("bound, value", [("KEPT_FORMS_PER_ADDRESS", 2), ("KEPT_FORMS_TOTAL", 2)])
def test_many_browsers_keep_no_more_than_the_bound(app, make, bound, value):
    app.config[bound] = value
    for _ in range(4):  # four browsers behind one address
        _owner, client, url, form = _measure_update(app, make)
        _kept_post(app, client, url, form.data(text="Text"))
    assert len(_kept_files(app)) == 2


def test_the_kept_forms_together_stay_under_the_total_size(app, make):
    app.config["KEPT_FORMS_TOTAL_BYTES"] = 6000
    for _ in range(4):
        _owner, client, url, form = _measure_update(app, make)
        _kept_post(app, client, url, form.data(text="Ord " * 500))
    sizes = [path.stat().st_size for path in _kept_files(app)]
    assert 0 < len(sizes) < 4 and sum(sizes) <= 6000


def test_a_kept_form_expires_after_a_day(app, make):
    owner, client, url, form = _measure_update(app, make)
    _kept_post(app, client, url, form.data(text="Gårdagens text"))
    [old] = _kept_files(app)
    # The app's clock, as the expiry reads it.
    day_and_a_minute_ago = utcnow().timestamp() - 24 * 3600 - 60
    os.utime(old, (day_and_a_minute_ago, day_and_a_minute_ago))
    # The next kept form of anyone clears the expired ones; the owner finds nothing old.
    _other, other_client, other_url, other_form = _measure_update(app, make)
    _kept_post(app, other_client, other_url, other_form.data(text="Dagens text"))
    assert not old.exists()
    assert "There is no kept form to send" in _sign_in_again(client, owner)
    assert [json.loads(p.read_text())["fields"] for p in _kept_files(app)] != []


@pytest.mark.parametrize("header", ["Origin", "Referer"])
def test_a_form_from_our_own_page_is_kept_by_its_origin_alone(app, make, header):
    _owner, client, url, form = _measure_update(app, make)
    client.delete_cookie("tracker_form_key")  # as if this browser's key had expired
    _kept_post(app, client, url, form.data(text="Från vår egen sida"))
    assert _kept_files(app) == []  # neither our token's browser nor a named origin
    ours = "http://localhost/measures/" if header == "Referer" else "http://localhost"
    client.post(url, data=form.data(text="Från vår egen sida"), headers={header: ours})
    assert len(_kept_files(app)) == 1
