"""A secretary of HSN writes for HSN: sources, meetings, closing decisions, "reported", measures."""

import re

import pytest
from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tracker.api.tokens import create_token
from tracker.models import (
    BodySecretary,
    ClosingDecision,
    KeptList,
    Measure,
    Meeting,
    Recommendation,
    Source,
)


@pytest.fixture
def hsn_secretary(make, session, login):
    """Return HSN's secretary signed in, with HSN's and Regionstyrelsen's rows."""
    hsn = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    rs = make.body(code="RS", name="Regionstyrelsen")
    secretary = make.user("secretary", name="Hanna HSN")
    session.add(BodySecretary(body_id=hsn.id, user_id=secretary.id))
    session.commit()
    ours = make.recommendation(make.source(addressee_id=hsn.id), text="HSN:s punkt")
    theirs = make.recommendation(make.source(addressee_id=rs.id), text="Regionstyrelsens punkt")
    return {
        "client": login(secretary),
        "user": secretary,
        "hsn": hsn,
        "rs": rs,
        "ours": ours,
        "theirs": theirs,
    }


def _options(page: str, field: str) -> str:
    """Return the options of a select the page rendered, as text."""
    return re.search(rf'<select[^>]*name="{field}".*?</select>', page, re.S).group(0)


def _error(page: str, field: str) -> str:
    """Return the message shown next to a field."""
    return re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', page, re.S).group(1)


def test_a_meeting_is_for_one_of_their_bodies(hsn_secretary, session):
    client, rs = hsn_secretary["client"], hsn_secretary["rs"]
    page = client.get("/meetings/new").get_data(as_text=True)
    offered = _options(page, "body_id")
    assert "HSN" in offered and "Regionstyrelsen" not in offered
    form = rendered_form(page, "/meetings/new")
    typed = {"held_on": "2030-05-06", "title": "Extra sammanträde"}
    refused = client.post("/meetings/new", data=form.data(body_id=str(rs.id), **typed))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and _error(text, "body_id") and "Extra sammanträde" in text
    assert fresh(session).exec(select(Meeting)).first() is None
    saved = client.post(
        "/meetings/new", data=form.data(body_id=str(hsn_secretary["hsn"].id), **typed)
    )
    assert saved.status_code == 302


def test_closing_decisions_are_their_bodies_on_their_bodies_items(hsn_secretary, session):
    client, ours, theirs = hsn_secretary["client"], hsn_secretary["ours"], hsn_secretary["theirs"]
    url = f"/follow-up/close?item={ours.id}&item={theirs.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Regionstyrelsen" not in _options(page, "body_id")
    form = rendered_form(page, "/follow-up/close")
    typed = {
        "outcome": "closed",
        "decided_on": "2030-03-02",
        "paragraph": "45",
        "text": "Nämnden beslutar att godkänna åtgärderna.",
    }
    both = form.data(item=[str(ours.id), str(theirs.id)], **typed)
    refused = client.post("/follow-up/close", data=both | {"body_id": str(hsn_secretary["hsn"].id)})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "not your bodies" in _error(text, "item") and "HSN" in _error(text, "item")
    forged = client.post("/follow-up/close", data=both | {"body_id": str(hsn_secretary["rs"].id)})
    assert forged.status_code == 400 and _error(forged.get_data(as_text=True), "body_id")
    assert fresh(session).exec(select(ClosingDecision)).first() is None
    only_ours = form.data(item=str(ours.id), body_id=str(hsn_secretary["hsn"].id), **typed)
    assert client.post("/follow-up/close", data=only_ours).status_code == 302
    assert fresh(session).get(Recommendation, ours.id).status == "closed"


def test_another_bodys_item_is_not_theirs_to_mark_reported_or_close(hsn_secretary, make, session):
    client, theirs = hsn_secretary["client"], hsn_secretary["theirs"]
    ours = hsn_secretary["ours"]
    for item in (ours, theirs):
        item.status = "in_progress"
        make.measure([item], status="done")
    page = client.get(f"/recommendations/{theirs.id}").get_data(as_text=True)
    assert "/reported" not in page and "/follow-up/close?item=" not in page
    # Posted anyway, with the form their own item suggests.
    own = client.get(f"/recommendations/{ours.id}").get_data(as_text=True)
    assert "All measures of this item are done" in own
    form = rendered_form(own, f"/follow-up/items/{ours.id}/reported")
    refused = client.post(f"/follow-up/items/{theirs.id}/reported", data=form.data())
    assert refused.status_code == 403
    assert fresh(session).get(Recommendation, theirs.id).status == "in_progress"
    assert client.post(form.action, data=form.data()).status_code == 302


def test_a_new_measure_answers_items_of_their_bodies(hsn_secretary, session):
    client, theirs = hsn_secretary["client"], hsn_secretary["theirs"]
    page = client.get(f"/measures/new?recommendation_id={theirs.id}").get_data(as_text=True)
    form = rendered_form(page, "/measures/new")
    # The lookup offers no item of another body; an id posted anyway is refused.
    chosen = form.data(title="Ny rutin för RS", recommendations=str(theirs.id))
    refused = client.post("/measures/new", data=chosen)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f"Nothing matches “{theirs.id}”" in text
    alone = client.post("/measures/new", data=form.data(title="Ny rutin", recommendations=None))
    assert "Link at least one item of your bodies (HSN)" in alone.get_data(as_text=True)
    assert fresh(session).exec(select(Measure)).first() is None


def test_the_api_refuses_a_source_for_another_body_and_says_why(app, hsn_secretary, session):
    hsn, rs = hsn_secretary["hsn"].id, hsn_secretary["rs"].id
    theirs = hsn_secretary["theirs"].id
    _row, token = create_token(session, hsn_secretary["user"], name="Diariet", expires_on=None)
    # Committed, and nothing read again: the app's request writes next.
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    # A program calls with the token alone, no session cookie.
    client = app.test_client()
    source = {"kind": "audit_report", "title": "Granskning av löner"}
    refused = client.post(
        "/api/v1/sources",
        json=source | {"addressee_id": rs},
        headers=headers,
    )
    problem = refused.get_json()
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert "You are secretary of HSN" in problem["detail"]
    assert problem["errors"][0]["field"] == "addressee_id"
    assert (
        fresh(session).exec(select(Source).where(Source.title == source["title"])).first() is None
    )
    made = client.post(
        "/api/v1/sources",
        json=source | {"addressee_id": hsn},
        headers=headers,
    )
    assert made.status_code == 201
    # A measure for another body's item: the field named, and why.
    measure = {"title": "Ny rutin", "recommendation_ids": [theirs]}
    refused = client.post("/api/v1/measures", json=measure, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {
            "field": "recommendation_ids.0",
            "message": f"Recommendation {theirs} is not an item of your bodies (HSN).",
        }
    ]


def test_a_list_is_kept_for_a_meeting_of_their_bodies(hsn_secretary, make, session):
    client = hsn_secretary["client"]
    theirs = make.meeting(hsn_secretary["rs"]).id
    ours = make.meeting(hsn_secretary["hsn"]).id
    page = client.get("/follow-up").get_data(as_text=True)
    form = rendered_form(page, "/follow-up/keep")
    typed = {"title": "Återrapportering till nämnden"}
    refused = client.post(form.action, data=form.data(meeting_id=str(theirs), **typed))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "You are secretary of HSN" in _error(text, "meeting_id") and typed["title"] in text
    assert fresh(session).exec(select(KeptList)).first() is None
    kept = client.post(form.action, data=form.data(meeting_id=str(ours), **typed))
    assert kept.status_code == 302
    assert fresh(session).exec(select(KeptList)).one().meeting_id == ours
