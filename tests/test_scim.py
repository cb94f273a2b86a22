"""SCIM provisioning: the provider lists, creates and deactivates people; nobody is deleted."""

from datetime import date

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD, fresh
from tracker.models import BodySecretary, SignIn, StatusUpdate, User

TOKEN = "a-scim-token-for-the-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def scim(app, client):
    app.config["SCIM_TOKEN"] = TOKEN
    return client


def test_every_scim_call_needs_the_token(scim, make):
    user = make.user("viewer")
    calls = [
        ("GET", "/scim/v2/Users"),
        ("POST", "/scim/v2/Users"),
        ("GET", f"/scim/v2/Users/{user.id}"),
        ("PUT", f"/scim/v2/Users/{user.id}"),
        ("PATCH", f"/scim/v2/Users/{user.id}"),
        ("DELETE", f"/scim/v2/Users/{user.id}"),
    ]
    for headers in ({}, {"Authorization": "Bearer not-the-token"}, {"Authorization": TOKEN}):
        for method, url in calls:
            response = scim.open(url, method=method, json={}, headers=headers)
            assert response.status_code == 401, (method, url, headers)
            assert response.mimetype == "application/scim+json"


def test_the_provider_creates_finds_and_renames_a_user(scim, session):
    created = scim.post(
        "/scim/v2/Users",
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "Ny.Person@region.example",
            "displayName": "Ny Person",
            "externalId": "entra-object-id-1",
            "active": True,
        },
        headers=AUTH,
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    user_id = int(created.json["id"])
    user = fresh(session).get(User, user_id)
    assert (user.email, user.role, user.oidc_subject) == (
        "ny.person@region.example",
        "viewer",
        "entra-object-id-1",
    )
    found = scim.get('/scim/v2/Users?filter=userName eq "ny.person@region.example"', headers=AUTH)
    assert found.json["totalResults"] == 1 and found.json["Resources"][0]["id"] == str(user_id)
    assert (
        scim.get('/scim/v2/Users?filter=userName eq "x@y"', headers=AUTH).json["totalResults"] == 0
    )
    again = scim.post(
        "/scim/v2/Users",
        json={"schemas": created.json["schemas"], "userName": "ny.person@region.example"},
        headers=AUTH,
    )
    assert again.status_code == 409


def test_a_person_who_leaves_is_deactivated_their_items_need_a_new_owner(
    scim, app, make, session, login
):
    hsn = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    secretary = make.user("secretary", name="Hanna HSN")
    session.add(BodySecretary(body_id=hsn.id, user_id=secretary.id))
    leaver = make.user("owner", name="Lena Lämnar")
    source = make.source(title="Granskning av vårdköer", addressee_id=hsn.id)
    point = make.recommendation(source, text="Kortare köer till BUP", responsible_id=leaver.id)
    measure = make.measure([point], title="Ny rutin för remisser", owner_id=leaver.id)
    session.add(
        StatusUpdate(
            measure_id=measure.id,
            author_id=leaver.id,
            author_name=leaver.name,
            reported_on=date(2030, 1, 2),
            text="Rutinen är skriven",
            status="ongoing",
        )
    )
    session.commit()

    their_browser = app.test_client()
    their_browser.submit("/login", {"email": leaver.email, "password": PASSWORD})
    assert their_browser.get("/").status_code == 200

    # Entra ID's provisioning sends "False" as a string.
    patched = scim.patch(
        f"/scim/v2/Users/{leaver.id}",
        json={
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        },
        headers=AUTH,
    )
    assert patched.status_code == 200, patched.get_data(as_text=True)
    assert patched.json["active"] is False
    assert fresh(session).get(User, leaver.id).active is False
    # Their sign-ins end at once.
    assert their_browser.get("/").status_code == 302

    start = login(secretary).get("/").get_data(as_text=True)
    assert "Needs a new owner" in start
    assert "Kortare köer till BUP" in start and "Ny rutin för remisser" in start
    assert "Lena Lämnar" in start
    # Their name stays on what they wrote.
    page = login(secretary).get(f"/measures/{measure.id}").get_data(as_text=True)
    assert "Rutinen är skriven" in page and "Lena Lämnar" in page

    # Removed at the provider: still never deleted.
    assert scim.delete(f"/scim/v2/Users/{leaver.id}", headers=AUTH).status_code == 204
    assert fresh(session).get(User, leaver.id) is not None


def test_a_secretary_of_another_body_is_not_asked_to_find_new_owners(make, session, login):
    hsn = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    rs = make.body(code="RS", name="Regionstyrelsen")
    other = make.user("secretary", name="Rolf RS")
    session.add(BodySecretary(body_id=rs.id, user_id=other.id))
    leaver = make.user("owner", name="Lena Lämnar")
    leaver.active = False
    make.recommendation(
        make.source(addressee_id=hsn.id), text="Kortare köer till BUP", responsible_id=leaver.id
    )
    session.commit()
    assert "Needs a new owner" not in login(other).get("/").get_data(as_text=True)


def test_the_sign_in_log_keeps_twelve_months_and_only_administrators_read_it(
    app, make, session, login, client
):
    from datetime import UTC, datetime, timedelta

    admin = make.user("admin", name="Ada Admin")
    viewer = make.user("viewer")
    old = SignIn(
        at=datetime.now(UTC) - timedelta(days=400),
        email="gammal@region.example",
        method="password",
        outcome="signed_in",
    )
    session.add(old)
    session.commit()
    login(admin)
    emails = [row.email for row in fresh(session).exec(select(SignIn))]
    fresh(session)  # ends the read, so that the requests below may write
    assert emails == [admin.email]  # the old row went as this sign-in was written
    page = client.get("/users/sign-ins").get_data(as_text=True)
    assert admin.email in page and "Password" in page and "Signed in" in page
    reader = app.test_client()
    reader.submit("/login", {"email": viewer.email, "password": PASSWORD})
    assert reader.get("/users/sign-ins").status_code == 403
