"""Sign-in with an identity provider: a real one (oidc-provider on Node), driven over HTTP."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD, fresh
from tests.html_forms import rendered_form, rendered_forms
from tests.live_server import free_port
from tests.oidc_support import TestProvider, browser, serve, sign_in, to_callback
from tracker.auth.services import create_user
from tracker.db import get_session
from tracker.models import Body, BodySecretary, SignIn, Source, Unit, User, UserUnit

APP_PORT = free_port()
GROUPS = (
    "tracker-admins=admin; hsn-sekreterare=secretary:HSN; tracker-lasare=viewer; "
    "hemtjanst=owner:Hemtjänsten; ambulans=owner:Ambulansen"
)
PEOPLE = {
    "hanna": {
        "password": "hanna-pw",
        "email": "Hanna.Sekreterare@region.example",
        "name": "Hanna Sekreterare",
        "groups": ["hsn-sekreterare", "alla-anstallda"],
    },
    "lars": {
        "password": "lars-pw",
        "email": "lars.lasare@region.example",
        "name": "Lars Läsare",
        "groups": ["tracker-lasare"],
    },
    "olle": {
        "password": "olle-pw",
        "email": "olle.agare@region.example",
        "name": "Olle Ägare",
        "groups": ["hemtjanst", "ambulans"],
    },
    "nils": {
        "password": "nils-pw",
        "email": "nils.nagon@region.example",
        "name": "Nils Någon",
        "groups": ["alla-anstallda"],
    },
}
BREAK_GLASS = "nod@region.example"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    provider = TestProvider(tmp_path_factory.mktemp("oidc") / "people.json", APP_PORT)
    yield provider
    provider.stop()


@pytest.fixture
def live(provider, migrated, tmp_path):
    provider.people(PEOPLE)
    provider.id_tokens("none")
    with serve(
        migrated,
        tmp_path,
        provider.issuer,
        APP_PORT,
        OIDC_GROUPS=GROUPS,
        PASSWORD_SIGN_IN=False,
        BREAK_GLASS=[BREAK_GLASS],
    ) as live:
        with live.app.app_context():
            session = get_session()
            session.add_all([Body(code="HSN", name="Hälso- och sjukvårdsnämnden")])
            session.add_all([Body(code="RS", name="Regionstyrelsen")])
            session.add_all([Unit(name="Hemtjänsten"), Unit(name="Ambulansen")])
            session.commit()
        yield live


@pytest.fixture
def db(live):
    with live.app.app_context():
        yield get_session()


def _user(db, email: str) -> User | None:
    return fresh(db).exec(select(User).where(User.email == email)).first()


def test_first_sign_in_creates_the_user_with_the_role_and_bodies_of_their_groups(live, db):
    http = browser()
    page = sign_in(http, live, "hanna", "hanna-pw")
    assert page.status_code == 200 and page.url == f"{live.url}/"
    assert "Hanna Sekreterare" in page.text
    user = _user(db, "hanna.sekreterare@region.example")
    assert user.role == "secretary" and user.oidc_subject == "hanna"
    assert user.password_hash is None and user.first_signed_in_at is not None
    hsn = db.exec(select(Body).where(Body.code == "HSN")).one()
    secretary_of = db.exec(select(BodySecretary.body_id).where(BodySecretary.user_id == user.id))
    assert list(secretary_of) == [hsn.id]
    log = db.exec(select(SignIn)).all()
    assert [(row.user_id, row.method, row.outcome, row.address) for row in log] == [
        (user.id, "oidc", "signed_in", "127.0.0.1")
    ]


def test_an_owner_gets_the_units_of_every_group_they_are_in(live, db):
    assert sign_in(browser(), live, "olle", "olle-pw").status_code == 200
    user = _user(db, "olle.agare@region.example")
    units = dict(db.exec(select(Unit.name, Unit.id)).all())
    # Their own unit is one group's; they read the items of both (tests/test_owner_scope.py).
    given = set(db.exec(select(UserUnit.unit_id).where(UserUnit.user_id == user.id)))
    assert given == {units["Hemtjänsten"], units["Ambulansen"]}
    assert user.role == "owner" and user.unit_id in given


def test_a_group_change_takes_effect_at_the_next_sign_in(live, db, provider):
    http = browser()
    assert sign_in(http, live, "lars", "lars-pw").status_code == 200
    assert _user(db, "lars.lasare@region.example").role == "viewer"
    people = dict(PEOPLE, lars=dict(PEOPLE["lars"], groups=["tracker-admins"]))
    provider.people(people)
    # Still a reader until the next sign-in.
    assert http.get(f"{live.url}/users").status_code == 403

    # Signing out ends the provider's session too: it asks, then sends the browser back.
    home = http.get(f"{live.url}/")
    out = http.post(
        f"{live.url}/logout",
        data=rendered_form(home.text, "/logout").data(),
        allow_redirects=False,
    )
    assert out.headers["Location"].startswith(f"{provider.issuer}/session/end?")
    query = parse_qs(urlsplit(out.headers["Location"]).query)
    assert query["post_logout_redirect_uri"] == [f"{live.url}/login"]
    confirm = http.get(out.headers["Location"])
    form = rendered_forms(confirm.text)[0]
    back = http.post(
        f"{provider.issuer}{form.action}" if form.action.startswith("/") else form.action,
        data={**form.data(), "logout": "yes"},
    )
    assert back.url.startswith(f"{live.url}/login")
    assert http.get(f"{live.url}/", allow_redirects=False).status_code == 302

    # The provider asks for the password again (its session ended), and the new group counts.
    page = sign_in(http, live, "lars", "lars-pw")
    assert page.status_code == 200
    assert _user(db, "lars.lasare@region.example").role == "admin"
    assert http.get(f"{live.url}/users").status_code == 200


def test_a_person_in_no_mapped_group_gets_a_clear_page_and_no_account(live, db):
    http = browser()
    page = sign_in(http, live, "nils", "nils-pw")
    assert page.status_code == 403
    assert "You have no access to the tracker" in page.text
    assert _user(db, "nils.nagon@region.example") is None
    assert http.get(f"{live.url}/", allow_redirects=False).status_code == 302
    assert [row.outcome for row in db.exec(select(SignIn))] == ["no_group"]


@pytest.mark.parametrize("mode", ["forge", "expire", "nonce"])
def test_a_forged_expired_or_wrong_nonce_id_token_is_refused(live, db, provider, mode):
    provider.id_tokens(mode)
    http = browser()
    page = sign_in(http, live, "hanna", "hanna-pw")
    assert page.status_code == 400
    assert "The sign-in could not be checked" in page.text
    assert _user(db, "hanna.sekreterare@region.example") is None
    assert http.get(f"{live.url}/", allow_redirects=False).status_code == 302
    # The same person signs in once the provider's tokens are honest again.
    provider.id_tokens("none")
    assert sign_in(browser(), live, "hanna", "hanna-pw").status_code == 200


def test_a_wrong_state_is_refused(live, db):
    http = browser()
    callback = to_callback(http, live, "hanna", "hanna-pw")
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    wrong = dict(query, state="a-state-this-browser-never-sent")
    page = http.get(f"{live.url}{parts.path}?{urlencode(wrong)}")
    assert page.status_code == 400
    assert "The sign-in could not be checked" in page.text
    # Nor does another browser get in with the right callback: the state is not in its session.
    assert browser().get(callback).status_code == 400
    assert _user(db, "hanna.sekreterare@region.example") is None


def test_provider_down_gives_a_clear_page_and_break_glass_passwords_still_work(migrated, tmp_path):
    nobody = f"http://127.0.0.1:{free_port()}"
    port = free_port()
    with serve(
        migrated, tmp_path, nobody, port, PASSWORD_SIGN_IN=False, BREAK_GLASS=[BREAK_GLASS]
    ) as live:
        with live.app.app_context():
            session = get_session()
            for email, name in ((BREAK_GLASS, "Nöd Admin"), ("vanlig@region.example", "Vanlig")):
                create_user(session, email=email, name=name, role="admin", password=PASSWORD)
            session.commit()
        http = browser()
        page = http.get(f"{live.url}/login/oidc")
        assert page.status_code == 503
        assert "The sign-in service does not answer" in page.text

        login = http.get(f"{live.url}/login")
        assert "Emergency sign-in for administrators" in login.text
        form = rendered_form(login.text, "/login")
        refused = http.post(
            f"{live.url}/login", data=form.data(email="vanlig@region.example", password=PASSWORD)
        )
        assert refused.status_code == 400
        assert "Passwords are for emergencies only" in refused.text
        signed_in = http.post(
            f"{live.url}/login", data=form.data(email=BREAK_GLASS, password=PASSWORD)
        )
        assert signed_in.status_code == 200 and signed_in.url == f"{live.url}/"
        assert "Nöd Admin" in signed_in.text


def test_the_hsn_secretaries_group_edits_hsn_sources_and_is_refused_regionstyrelsens(live, db):
    hsn = db.exec(select(Body).where(Body.code == "HSN")).one()
    rs = db.exec(select(Body).where(Body.code == "RS")).one()
    theirs = Source(kind="audit_report", title="Granskning av vårdköer", addressee_id=hsn.id)
    others = Source(kind="audit_report", title="Granskning av IT-säkerhet", addressee_id=rs.id)
    db.add_all([theirs, others])
    db.commit()
    http = browser()
    assert sign_in(http, live, "hanna", "hanna-pw").status_code == 200

    page = http.get(f"{live.url}/sources/{theirs.id}/edit")
    assert page.status_code == 200
    form = rendered_form(page.text, f"/sources/{theirs.id}/edit")
    saved = http.post(page.url, data=form.data(title="Granskning av vårdköer 2026"))
    assert saved.status_code == 200 and saved.url == f"{live.url}/sources/{theirs.id}"
    assert fresh(db).get(Source, theirs.id).title == "Granskning av vårdköer 2026"

    detail = http.get(f"{live.url}/sources/{others.id}")
    assert detail.status_code == 200 and f"/sources/{others.id}/edit" not in detail.text
    assert http.get(f"{live.url}/sources/{others.id}/edit").status_code == 403
    refused = http.post(
        f"{live.url}/sources/{others.id}/edit", data=form.data(title="Ändrad av fel sekreterare")
    )
    assert refused.status_code == 403
    assert fresh(db).get(Source, others.id).title == "Granskning av IT-säkerhet"

    # A new source: HSN is the only body offered to address it to, and RS's is refused.
    page = http.get(f"{live.url}/sources/new")
    form = rendered_form(page.text, "/sources/new")
    offered = re.search(r'<select[^>]*name="addressees".*?</select>', page.text, re.S).group(0)
    assert "HSN" in offered and "Regionstyrelsen" not in offered
    typed = {"kind": "audit_report", "title": "Granskning av löner", "issuer_id": str(rs.id)}
    refused = http.post(page.url, data=form.data(**typed))
    assert refused.status_code == 400
    field = re.search(r'id="addressees-error"[^>]*>(.*?)</div>', refused.text, re.S).group(1)
    # The provider's people see the app in Swedish.
    assert "Du är sekreterare för HSN" in field and "Granskning av löner" in refused.text
    forged = http.post(page.url, data=form.data(**typed, addressees=str(rs.id)))
    assert forged.status_code == 400
    assert (
        fresh(db).exec(select(Source).where(Source.title == "Granskning av löner")).first() is None
    )
    saved = http.post(page.url, data=form.data(**typed, addressees=str(hsn.id)))
    assert saved.status_code == 200, re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", saved.text))[-3000:]
    assert "/sources/" in saved.url
    assert fresh(db).exec(select(Source).where(Source.title == "Granskning av löner")).one()
