"""The JSON API: tokens, lists with paging, details, writes through the forms' services, errors."""

import hashlib
import re
import uuid
from datetime import date, timedelta
from html import unescape

import pytest
from sqlmodel import select

from tests.conftest import QueryCounter, fresh
from tests.settings import REDIS_URL
from tracker import create_app
from tracker.api.tokens import create_token
from tracker.dates import today
from tracker.models import (
    ApiToken,
    ChangeLog,
    DecisionReference,
    Indicator,
    Measure,
    PromisedMeasure,
    Response,
    ResponsePosition,
    Source,
    StatusUpdate,
)

PROBLEM = "application/problem+json"
TOKEN_FIELD = re.compile(r'id="api-token" type="text" readonly value="([^"]+)"')


def bearer(session, user, **values) -> dict:
    """Make a token for the user and return the header that sends it."""
    values.setdefault("name", "Diariet")
    values.setdefault("expires_on", None)
    _row, token = create_token(session, user, **values)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def settings_forms(client) -> list[tuple[str, dict]]:
    """Return the revoke forms the settings page renders: (action, hidden fields)."""
    page = client.get("/settings").get_data(as_text=True)
    forms = []
    for action, body in re.findall(
        r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S
    ):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body))
        forms.append((unescape(action), fields))
    return forms


def test_a_bodys_open_recommendations_come_in_pages_with_a_total_and_a_next_link(
    make, session, client
):
    region_board = make.body()
    other = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    source = make.source(addressee_id=region_board.id)
    ours = [make.recommendation(source, status="open") for _ in range(3)]
    make.recommendation(source, status="closed")
    make.recommendation(make.source(addressee_id=other.id), status="open")
    headers = bearer(session, make.user("viewer"))

    first = client.get(
        f"/api/v1/recommendations?body={region_board.id}&status=open&per_page=2", headers=headers
    )
    assert first.status_code == 200 and first.mimetype == "application/json"
    data = first.get_json()
    assert data["total"] == 3 and len(data["items"]) == 2 and data["page"] == 1
    second = client.get(data["next"], headers=headers).get_json()
    assert second["next"] is None
    ids = [item["id"] for item in data["items"] + second["items"]]
    assert ids == [r.id for r in ours]
    assert all(item["status"] == "open" for item in data["items"] + second["items"])


def test_a_recommendation_carries_its_decision_references_and_iso_dates(make, session, client):
    body = make.body()
    recommendation = make.recommendation(due_date=date(2031, 3, 1), text="Säkerställ rutiner.")
    session.add(
        DecisionReference(
            recommendation_id=recommendation.id,
            body_id=body.id,
            decided_on=date(2017, 3, 1),
            paragraph="52",
        )
    )
    session.add(
        DecisionReference(
            recommendation_id=recommendation.id,
            body_id=body.id,
            decided_on=date(2017, 6, 7),
            paragraph="131",
            dnr="00321-2017",
        )
    )
    session.commit()
    headers = bearer(session, make.user("viewer"))
    data = client.get(f"/api/v1/recommendations/{recommendation.id}", headers=headers).get_json()
    assert data["text"] == "Säkerställ rutiner."
    assert data["due_date"] == "2031-03-01" and data["deadline"] == "2031-03-01"
    assert [ref["text"] for ref in data["decision_references"]] == [
        "RS 170301 § 52",
        "RS 170607 § 131, dnr 00321-2017",
    ]
    assert [ref["dnr"] for ref in data["decision_references"]] == ["", "00321-2017"]
    assert data["decision_references"][0]["decided_on"] == "2017-03-01"
    assert data["version"] == recommendation.version
    assert data["answers"] == []


def test_a_recommendation_carries_the_boards_answer_and_the_measures_it_promises(
    make, session, client
):
    board, committee = make.body(), make.body("HSN", "Hälso- och sjukvårdsnämnden")
    source = make.source(addressee_id=board.id)
    recommendation = make.recommendation(source=source, text="Följ upp 1177.")
    promised = make.measure(title="Utbilda personalen")
    answers = []
    for body, position in ((board, "agrees"), (committee, "partly_agrees")):
        response = Response(source_id=source.id, body_id=body.id, status="drafting")
        session.add(response)
        session.flush()
        answer = ResponsePosition(
            response_id=response.id,
            recommendation_id=recommendation.id,
            position=position,
            answer=f"{body.code} svarar.",
        )
        session.add(answer)
        session.flush()
        answers.append(answer)
    session.add(PromisedMeasure(position_id=answers[0].id, measure_id=promised.id))
    session.commit()
    headers = bearer(session, make.user("viewer"))
    data = client.get(f"/api/v1/recommendations/{recommendation.id}", headers=headers).get_json()
    assert [
        (a["body_id"], a["position"], a["answer"], a["measure_ids"]) for a in data["answers"]
    ] == [
        (board.id, "agrees", "RS svarar.", [promised.id]),
        (committee.id, "partly_agrees", "HSN svarar.", []),
    ]
    listed = client.get(f"/api/v1/recommendations?source={source.id}", headers=headers)
    assert listed.get_json()["items"][0]["answers"] == data["answers"]


def test_without_a_token_or_with_only_the_session_cookie_the_api_answers_401(make, login, client):
    make.body()
    response = client.get("/api/v1/bodies")
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    signed_in = login(make.user("admin"))
    assert signed_in.get("/bodies").status_code == 200  # the cookie works on the pages...
    refused = signed_in.get("/api/v1/bodies")
    assert refused.status_code == 401 and refused.get_json()["status"] == 401  # ...not here
    posted = signed_in.post("/api/v1/sources", json={"kind": "plan", "title": "Plan"})
    assert posted.status_code == 401


def test_a_token_made_on_the_settings_page_is_shown_once_and_stored_hashed(
    make, login, session, client
):
    user = make.user("secretary")
    login(user)
    form = client.get("/settings/tokens/new").get_data(as_text=True)
    assert 'name="expires_on"' in form
    made = client.submit("/settings/tokens/new", {"name": "Diariet", "expires_on": ""})
    assert made.status_code == 200
    token = TOKEN_FIELD.search(made.get_data(as_text=True)).group(1)
    row = fresh(session).exec(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in str(
        row.model_dump()
    )
    settings = client.get("/settings").get_data(as_text=True)
    assert "Diariet" in settings and token not in settings and "Never" in settings
    assert (
        client.get("/api/v1/bodies", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    assert "Never" not in client.get("/settings").get_data(as_text=True)
    logged = fresh(session).exec(select(ChangeLog).where(ChangeLog.entity == "apitoken")).one()
    assert logged.changes["token_hash"] == [None, "***"]


def test_a_token_with_a_past_expiry_is_refused_on_the_form_and_an_expired_one_by_the_api(
    make, login, session, client
):
    user = make.user("owner")
    login(user)
    yesterday = (today() - timedelta(days=2)).isoformat()
    refused = client.submit("/settings/tokens/new", {"name": "Skript", "expires_on": yesterday})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "The date has passed" in page and 'value="Skript"' in page
    headers = bearer(session, user, expires_on=today() - timedelta(days=2))
    assert client.get("/api/v1/bodies", headers=headers).status_code == 401


def test_a_token_revoked_mid_session_is_refused_on_the_next_request(make, login, session, client):
    user = make.user("owner")
    headers = bearer(session, user)
    assert client.get("/api/v1/measures", headers=headers).status_code == 200
    login(user)
    ((action, fields),) = [form for form in settings_forms(client) if "/revoke" in form[0]]
    assert client.post(action, data=fields).status_code == 302
    again = client.get("/api/v1/measures", headers=headers)
    assert again.status_code == 401 and again.mimetype == PROBLEM
    assert "revoked" in again.get_json()["title"]


def test_an_admin_revokes_anyones_token_and_nobody_else_can(make, login, session, client):
    owner = make.user("owner")
    headers = bearer(session, owner)
    row = fresh(session).exec(select(ApiToken)).one()
    login(make.user("secretary"))
    assert client.submit(f"/settings/tokens/{row.id}/revoke", {"back": "all"}).status_code == 403
    client.submit("/logout")
    login(make.user("admin"))
    page = client.get("/users/tokens").get_data(as_text=True)
    assert owner.name in page and "Diariet" in page
    assert client.submit(f"/settings/tokens/{row.id}/revoke", {"back": "all"}).status_code == 302
    assert client.get("/api/v1/bodies", headers=headers).status_code == 401


def test_a_stale_version_answers_409_with_the_row_as_saved_now(make, session, client):
    measure = make.measure(title="Ny rutin")
    headers = bearer(session, make.user("secretary"))
    url = f"/api/v1/measures/{measure.id}"
    read = client.get(url, headers=headers).get_json()
    first = client.patch(
        url, json={"version": read["version"], "status": "ongoing"}, headers=headers
    )
    assert first.status_code == 200 and first.get_json()["version"] == read["version"] + 1
    stale = client.patch(url, json={"version": read["version"], "title": "Annat"}, headers=headers)
    assert stale.status_code == 409 and stale.mimetype == PROBLEM
    current = stale.get_json()["current"]
    assert current["status"] == "ongoing" and current["title"] == "Ny rutin"
    assert current["version"] == read["version"] + 1
    assert fresh(session).get(Measure, measure.id).title == "Ny rutin"


def test_a_viewers_token_is_refused_a_write(make, session, client):
    headers = bearer(session, make.user("viewer"))
    response = client.post(
        "/api/v1/sources", json={"kind": "plan", "title": "Handlingsplan"}, headers=headers
    )
    assert response.status_code == 403 and response.mimetype == PROBLEM
    assert fresh(session).exec(select(Source)).all() == []


def test_an_owner_reports_on_their_own_measure_only(make, session, client):
    owner = make.user("owner")
    mine = make.measure(owner_id=owner.id)
    theirs = make.measure(owner_id=make.user("owner").id)
    headers = bearer(session, owner)
    body = {"text": "Utbildning genomförd.", "status": "ongoing", "judgement": "on_track"}
    assert (
        client.post(
            "/api/v1/status-updates", json=body | {"measure_id": theirs.id}, headers=headers
        ).status_code
        == 403
    )
    ok = client.post("/api/v1/status-updates", json=body | {"measure_id": mine.id}, headers=headers)
    assert ok.status_code == 201, ok.get_json()
    assert ok.headers["Location"].endswith(f"/api/v1/status-updates/{ok.get_json()['id']}")
    measure = fresh(session).get(Measure, mine.id)
    assert measure.status == "ongoing" and measure.judgement == "on_track"


def test_status_updates_are_appended_and_cannot_be_changed(make, session, client):
    recommendation = make.recommendation()
    headers = bearer(session, make.user("secretary"))
    for text, status in (("Arbete pågår.", "in_progress"), ("Återrapporterad.", "reported")):
        response = client.post(
            "/api/v1/status-updates",
            json={"recommendation_id": recommendation.id, "text": text, "status": status},
            headers=headers,
        )
        assert response.status_code == 201
    listed = client.get(
        f"/api/v1/status-updates?recommendation={recommendation.id}", headers=headers
    ).get_json()
    assert [item["text"] for item in listed["items"]] == ["Återrapporterad.", "Arbete pågår."]
    update_id = listed["items"][0]["id"]
    for method in ("PATCH", "PUT", "DELETE"):
        response = client.open(
            f"/api/v1/status-updates/{update_id}", method=method, headers=headers
        )
        assert response.status_code == 405 and response.mimetype == PROBLEM
    assert len(fresh(session).exec(select(StatusUpdate)).all()) == 2


def test_an_api_write_is_in_the_change_log_under_the_tokens_user(make, login, session, client):
    secretary = make.user("secretary", name="Sara Sekreterare")
    recommendation = make.recommendation(theme="")
    headers = bearer(session, secretary)
    response = client.patch(
        f"/api/v1/recommendations/{recommendation.id}",
        json={"version": recommendation.version, "theme": "Digitalisering"},
        headers=headers,
    )
    assert response.status_code == 200 and response.get_json()["theme"] == "Digitalisering"
    login(make.user("viewer"))
    page = client.get(f"/recommendations/{recommendation.id}").get_data(as_text=True)
    history = page[page.index('id="history-heading"') :]
    assert "Sara Sekreterare" in history and "Digitalisering" in history
    entry = select(ChangeLog).where(
        ChangeLog.entity == "recommendation", ChangeLog.action == "update"
    )
    assert fresh(session).exec(entry).one().user_id == secretary.id


def test_errors_name_the_field_in_error(make, session, client):
    headers = bearer(session, make.user("admin"))
    blank = client.post("/api/v1/sources", json={"kind": "plan", "title": "  "}, headers=headers)
    assert blank.status_code == 422 and blank.mimetype == PROBLEM
    assert [error["field"] for error in blank.get_json()["errors"]] == ["title"]
    unknown = client.post(
        "/api/v1/measures", json={"title": "Åtgärd", "owner_id": 999}, headers=headers
    )
    assert unknown.status_code == 422
    assert [error["field"] for error in unknown.get_json()["errors"]] == ["owner_id"]
    reference = client.post(
        "/api/v1/recommendations",
        json={
            "source_id": make.source().id,
            "text": "Gör något.",
            "decision_references": ["RS 170301 § 52"],
        },
        headers=headers,
    )
    assert reference.status_code == 422  # there is no body RS yet
    assert reference.get_json()["errors"][0]["field"] == "decision_references.0"
    missing = client.get("/api/v1/sources/12345", headers=headers)
    assert missing.status_code == 404 and missing.mimetype == PROBLEM


def test_a_recommendation_made_through_the_api_has_its_references_and_is_found_by_search(
    make, login, session, client
):
    make.body()
    source = make.source()
    headers = bearer(session, make.user("secretary"))
    response = client.post(
        "/api/v1/recommendations",
        json={
            "source_id": source.id,
            "kind": "assignment",
            "text": "Utred läkemedelsgenomgångar i hemsjukvården.",
            "decision_references": ["RS 170301 § 52"],
            "due_date": "2031-06-30",
        },
        headers=headers,
    )
    assert response.status_code == 201
    data = response.get_json()
    assert [ref["text"] for ref in data["decision_references"]] == ["RS 170301 § 52"]
    login(make.user("viewer"))
    results = client.get("/search", query_string={"q": "läkemedelsgenomgångar"})
    page = re.sub(r"</?mark>", "", results.get_data(as_text=True))
    assert "Utred läkemedelsgenomgångar" in page


def test_an_outcome_is_recorded_once_and_a_second_for_the_same_period_is_a_conflict(
    make, session, client
):
    indicator = Indicator(code="TEL", name="Telefontillgänglighet", perspective="citizens")
    session.add(indicator)
    session.commit()
    headers = bearer(session, make.user("secretary"))
    outcome = {"indicator_id": indicator.id, "year": 2024, "period": "year", "value": 87.5}
    first = client.post("/api/v1/outcomes", json=outcome, headers=headers)
    assert first.status_code == 201 and first.get_json()["value"] == 87.5
    again = client.post("/api/v1/outcomes", json=outcome | {"value": 90}, headers=headers)
    assert again.status_code == 409 and again.get_json()["current"]["value"] == 87.5
    wrong = client.post("/api/v1/outcomes", json=outcome | {"value": 140}, headers=headers)
    assert wrong.status_code == 422 and wrong.get_json()["errors"][0]["field"] == "value"
    listed = client.get(f"/api/v1/outcomes?indicator={indicator.id}", headers=headers).get_json()
    assert listed["total"] == 1


@pytest.fixture
def throttled(migrated, tmp_path):
    app = create_app(
        {"DATABASE_URL": migrated, "TESTING": True, "SECRET_KEY": "t", "API_RATE_LIMIT": "3/minute"}
    )
    yield app
    app.extensions["tracker.engine"].dispose()


def test_each_token_is_throttled_on_its_own(make, session, throttled):
    first = bearer(session, make.user("viewer"))
    second = bearer(session, make.user("viewer"))
    client = throttled.test_client()
    answers = [client.get("/api/v1/bodies", headers=first).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/v1/bodies", headers=first)
    assert refused.mimetype == PROBLEM and "Retry-After" in refused.headers
    assert client.get("/api/v1/bodies", headers=second).status_code == 200


def test_the_description_is_openapi_3_1_and_its_page_loads_nothing_from_elsewhere(client):
    description = client.get("/api/v1/openapi.json").get_json()
    assert description["openapi"].startswith("3.1")
    assert "/api/v1/recommendations/{recommendation_id}" in description["paths"]
    assert "patch" in description["paths"]["/api/v1/measures/{measure_id}"]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /api/v1/recommendations" in page and "Problem" in page
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)


def test_a_list_page_costs_the_same_queries_for_50_rows_as_for_5(app, make, session, client):
    body = make.body()
    headers = bearer(session, make.user("viewer"))
    engine = app.extensions["tracker.engine"]
    client.get("/api/v1/bodies", headers=headers)  # notes the token's first use, once
    counts = []
    for rows in (5, 50):
        while len(fresh(session).exec(select(Measure)).all()) < rows:
            recommendation = make.recommendation(make.source(addressee_id=body.id))
            session.add(
                DecisionReference(
                    recommendation_id=recommendation.id,
                    body_id=body.id,
                    decided_on=date(2017, 3, 1),
                    paragraph=str(recommendation.id),
                )
            )
            session.commit()
            make.measure([recommendation])
        used = []
        for kind in ("recommendations", "measures", "sources"):
            with QueryCounter(engine) as counter:
                answer = client.get(f"/api/v1/{kind}?per_page=100", headers=headers)
            assert answer.status_code == 200 and answer.get_json()["total"] == rows
            used.append(counter.count)
        counts.append(used)
    assert counts[0] == counts[1]


def test_two_workers_share_a_tokens_count_through_redis(migrated, make, session):
    settings = {
        "DATABASE_URL": migrated,
        "TESTING": True,
        "SECRET_KEY": "t",
        "API_RATE_LIMIT": "2/minute",
        "REDIS_URL": REDIS_URL,
        # A prefix of this run's own, so that no earlier run's counts are read.
        "RATELIMIT_KEY_PREFIX": f"tracker-test-{uuid.uuid4().hex}",
    }
    headers = bearer(session, make.user("viewer"))
    workers = []
    try:
        answers = []
        # Each worker starts after the other has answered: only a shared store knows the count.
        for _worker in range(3):
            workers.append(create_app(settings))
            answers.append(workers[-1].test_client().get("/api/v1/bodies", headers=headers))
        assert [answer.status_code for answer in answers] == [200, 200, 429]
    finally:
        for worker in workers:
            worker.extensions["tracker.engine"].dispose()
