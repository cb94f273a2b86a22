"""The API keeps the pages' rules: whom a measure goes to, which recommendations an owner links."""

from sqlmodel import select

from tests.conftest import fresh
from tests.test_api import PROBLEM, bearer
from tracker.measures.services import linked_recommendation_ids
from tracker.models import Measure


def _fields(response) -> list[str]:
    return [error["field"] for error in response.get_json()["errors"]]


def test_an_owner_cannot_link_another_owners_recommendation_through_the_api(make, session, client):
    owner = make.user("owner")
    mine = make.recommendation(responsible_id=owner.id)
    theirs = make.recommendation(responsible_id=make.user("owner").id)
    measure = make.measure([mine], owner_id=owner.id)
    headers = bearer(session, owner)
    url = f"/api/v1/measures/{measure.id}"
    version = client.get(url, headers=headers).get_json()["version"]

    refused = client.patch(
        url, json={"version": version, "recommendation_ids": [mine.id, theirs.id]}, headers=headers
    )
    assert refused.status_code == 422 and refused.mimetype == PROBLEM
    assert _fields(refused) == ["recommendation_ids.1"]
    assert linked_recommendation_ids(fresh(session), measure.id) == [mine.id]

    kept = client.patch(
        url, json={"version": version, "recommendation_ids": [mine.id]}, headers=headers
    )
    assert kept.status_code == 200, kept.get_json()


def test_nobody_hands_a_measure_to_a_viewer_through_the_api(make, session, client):
    owner, viewer = make.user("owner"), make.user("viewer")
    measure = make.measure(owner_id=owner.id)
    for who in (owner, make.user("secretary")):
        headers = bearer(session, who)
        url = f"/api/v1/measures/{measure.id}"
        version = client.get(url, headers=headers).get_json()["version"]
        refused = client.patch(
            url, json={"version": version, "owner_id": viewer.id}, headers=headers
        )
        assert refused.status_code == 422 and _fields(refused) == ["owner_id"]
        assert fresh(session).get(Measure, measure.id).owner_id == owner.id

    headers = bearer(session, make.user("secretary"))
    new = client.post(
        "/api/v1/measures",
        json={"title": "Ny rutin", "status": "planned", "owner_id": viewer.id},
        headers=headers,
    )
    assert new.status_code == 422 and _fields(new) == ["owner_id"], new.get_json()
    assert fresh(session).exec(select(Measure).where(Measure.title == "Ny rutin")).all() == []
    ok = client.post(
        "/api/v1/measures",
        json={"title": "Ny rutin", "status": "planned", "owner_id": owner.id},
        headers=headers,
    )
    assert ok.status_code == 201, ok.get_json()


def test_deeply_nested_json_answers_a_problem_not_a_server_error(make, session, client):
    headers = bearer(session, make.user("secretary")) | {"Content-Type": "application/json"}
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = client.post("/api/v1/sources", data=body, headers=headers)
        assert response.status_code == 400 and response.mimetype == PROBLEM
        assert "nested deeper" in response.get_json()["detail"]
    # Brackets inside text are text: a title full of them is taken.
    title = "[" * 200 + "{"
    ok = client.post("/api/v1/sources", json={"kind": "plan", "title": title}, headers=headers)
    assert ok.status_code == 201, ok.get_json()
