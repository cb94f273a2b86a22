"""Nothing lost: conflicts, validation errors, due-date reasons, the change log, updates."""

from datetime import date

import pytest
from sqlmodel import select

from tests.conftest import fresh
from tracker.models import ChangeLog, Measure, StatusUpdate


def measure_form(measure, **changes):
    data = {
        "version": measure.version,
        "title": measure.title,
        "description": measure.description,
        "owner_id": measure.owner_id or "",
        "unit_id": measure.unit_id or "",
        "start_date": measure.start_date.isoformat() if measure.start_date else "",
        "due_date": measure.due_date.isoformat() if measure.due_date else "",
        "status": measure.status,
        "judgement": measure.judgement or "",
    }
    data.update(changes)
    return data


def test_second_editor_gets_a_conflict_sees_the_change_and_keeps_their_text(
    make, login, app, session
):
    measure = make.measure(title="Införa webbtidbok")
    stale = measure_form(measure)
    first = login(make.user("secretary"))
    assert (
        first.submit(
            f"/measures/{measure.id}/edit", stale | {"description": "Första redaktörens text"}
        ).status_code
        == 302
    )

    second = app.test_client()
    second.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other = make.user("secretary")
    second.submit("/login", {"email": other.email, "password": "correct horse battery"})
    second.token = None
    response = second.submit(
        f"/measures/{measure.id}/edit", stale | {"description": "Andra redaktörens text"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in page
    assert "Första redaktörens text" in page  # the other's change is shown
    assert "Andra redaktörens text" in page  # and what this editor typed is kept
    assert fresh(session).get(Measure, measure.id).description == "Första redaktörens text"

    # Sending the re-shown form again is a deliberate overwrite.
    version = fresh(session).get(Measure, measure.id).version
    again = second.submit(
        f"/measures/{measure.id}/edit",
        stale | {"description": "Andra redaktörens text", "version": version},
    )
    assert again.status_code == 302
    assert fresh(session).get(Measure, measure.id).description == "Andra redaktörens text"


def test_moving_a_due_date_needs_a_reason_kept_in_the_history(make, login, session):
    measure = make.measure(due_date=date(2030, 1, 31))
    client = login(make.user("secretary"))
    url = f"/measures/{measure.id}/edit"
    response = client.submit(url, measure_form(measure, due_date="2030-06-30"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="due_date_reason-error"' in page
    assert 'value="2030-06-30"' in page
    response = client.submit(
        url,
        measure_form(
            measure,
            due_date="2030-06-30",
            due_date_reason="Leverantören är försenad",
            due_date_agreed_by="Divisionschefen",
        ),
    )
    assert response.status_code == 302
    entry = session.exec(
        select(ChangeLog).where(ChangeLog.entity == "measure", ChangeLog.action == "update")
    ).one()
    assert entry.changes["due_date"] == ["2030-01-31", "2030-06-30"]
    assert entry.reason == "Leverantören är försenad (Divisionschefen)"
    page = client.get(f"/measures/{measure.id}").get_data(as_text=True)
    assert "Leverantören är försenad" in page


def test_every_write_lands_in_the_change_log_with_who(make, login, session):
    secretary = make.user("secretary")
    client = login(secretary)
    source = make.source()
    response = client.submit(
        "/recommendations/new",
        {
            "source_id": source.id,
            "kind": "assignment",
            "text": "Utreda möjlighet",
            "status": "open",
            "references": "RS 170301 § 52\nRS 170607 § 131",
        },
    )
    assert response.status_code == 400  # no body RS yet: the reference is refused
    assert "RS 170301 § 52" in response.get_data(as_text=True)
    make.body("RS", "Regionstyrelsen")
    response = client.submit(
        "/recommendations/new",
        {
            "source_id": source.id,
            "kind": "assignment",
            "text": "Utreda möjlighet",
            "status": "open",
            "references": "RS 170301, § 52\nRS 170607 § 131",
        },
    )
    assert response.status_code == 302
    entries = session.exec(select(ChangeLog).where(ChangeLog.user_id == secretary.id)).all()
    assert {e.entity for e in entries} >= {"recommendation", "decisionreference"}
    page = client.get("/recommendations/").get_data(as_text=True)
    assert "Utreda möjlighet" in page
    rec_id = next(e.entity_id for e in entries if e.entity == "recommendation")
    detail = client.get(f"/recommendations/{rec_id}").get_data(as_text=True)
    assert "RS 170301 § 52, RS 170607 § 131" in detail
    assert secretary.name in detail  # the change history names who


def test_status_updates_are_appended_and_set_the_status(make, login, session):
    owner = make.user("owner")
    measure = make.measure(owner_id=owner.id)
    client = login(owner)
    for text, status in (("Upphandling pågår", "ongoing"), ("Klart och infört", "done")):
        response = client.submit(
            f"/measures/{measure.id}/update",
            {"text": text, "status": status, "judgement": "on_track"},
        )
        assert response.status_code == 302
    updates = session.exec(select(StatusUpdate).where(StatusUpdate.measure_id == measure.id))
    assert [u.text for u in updates] == ["Upphandling pågår", "Klart och infört"]
    assert fresh(session).get(Measure, measure.id).status == "done"
    page = client.get(f"/measures/{measure.id}").get_data(as_text=True)
    assert page.index("Klart och infört") < page.index("Upphandling pågår")


def test_owner_cannot_post_on_someone_elses_measure(make, login, session):
    # A colleague's measure in their unit: they read it, and may not post on it.
    unit = make.unit()
    measure = make.measure(owner_id=make.user("owner").id, status="ongoing", unit_id=unit.id)
    client = login(make.user("owner", unit_id=unit.id))
    response = client.submit(f"/measures/{measure.id}/update", {"text": "x", "status": "done"})
    assert response.status_code == 403
    assert fresh(session).exec(select(StatusUpdate)).all() == []
    assert session.get(Measure, measure.id).status == "ongoing"


def test_empty_status_update_is_refused_and_nothing_saved(make, login, session):
    owner = make.user("owner")
    measure = make.measure(owner_id=owner.id)
    client = login(owner)
    response = client.submit(f"/measures/{measure.id}/update", {"text": "", "status": "done"})
    assert response.status_code == 400
    assert 'id="text-error"' in response.get_data(as_text=True)
    assert session.exec(select(StatusUpdate)).all() == []


LONG = "x" * 10001


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        ("/sources/new", {"kind": "audit_report", "title": ""}, "title", "required"),
        ("/sources/new", {"kind": "audit_report", "title": "x" * 301}, "title", "At most 300"),
        (
            "/sources/new",
            {"kind": "audit_report", "title": "T", "issued_on": "2021-13-01"},
            "issued_on",
            "YYYY-MM-DD",
        ),
        (
            "/sources/new",
            {
                "kind": "audit_report",
                "title": "T",
                "issued_on": "2021-05-20",
                "response_due": "2021-02-01",
            },
            "response_due",
            "before",
        ),
        ("/sources/new", {"kind": "nonsense", "title": "T"}, "kind", "Not a valid choice"),
        (
            "/sources/new",
            {"kind": "audit_report", "title": "T", "issuer_id": "99999"},
            "issuer_id",
            "Choose one",
        ),
        (
            "/sources/new",
            {"kind": "audit_report", "title": "T", "issuer_id": "abc"},
            "issuer_id",
            "Choose one",
        ),
        (
            "/recommendations/new",
            {"source_id": "", "kind": "assignment", "text": "x", "status": "open"},
            "source_id",
            "required",
        ),
        (
            "/recommendations/new",
            {"source_id": "99999", "kind": "assignment", "text": LONG, "status": "open"},
            "text",
            "At most 10000",
        ),
        (
            "/recommendations/new",
            {
                "source_id": "",
                "kind": "assignment",
                "text": "x",
                "status": "open",
                "due_date": "20-05-2021",
            },
            "due_date",
            "YYYY-MM-DD",
        ),
        ("/measures/new", {"title": "", "status": "planned"}, "title", "required"),
        (
            "/measures/new",
            {
                "title": "T",
                "status": "planned",
                "start_date": "2030-02-01",
                "due_date": "2030-01-01",
            },
            "due_date",
            "before",
        ),
        (
            "/measures/new",
            {"title": "T", "status": "planned", "recommendations-add": "ingen sådan punkt"},
            "recommendations-add-1",
            "Nothing matches “ingen sådan punkt”",
        ),
        ("/meetings/new", {"body_id": "", "held_on": ""}, "held_on", "required"),
        ("/bodies/new", {"code": "rs lower", "name": "x"}, "code", "Capital letters"),
        ("/units/new", {"name": "", "kind": "division"}, "name", "required"),
        (
            "/users/new",
            {"email": "not-an-email", "name": "x", "role": "owner", "language": "sv"},
            "email",
            "Not an e-mail",
        ),
    ],
)
def test_bad_input_is_refused_next_to_the_field_with_values_kept(
    make, login, url, data, field, message
):
    client = login(make.user("admin"))
    response = client.submit(url, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert message.lower() in page.lower()
    assert 'class="alert alert-danger error-summary"' in page
    for value in data.values():
        if value and len(value) < 400 and value not in ("99999", "abc", "nonsense"):
            assert value in page


@pytest.mark.parametrize(
    "url",
    [
        "/sources/99999",
        "/recommendations/99999",
        "/measures/99999/edit",
        "/meetings/99999",
        "/users/99999/edit",
        "/units/99999/edit",
        "/nowhere",
    ],
)
def test_unknown_ids_give_a_404_page_in_the_layout(make, login, url):
    client = login(make.user("admin"))
    response = client.get(url)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Not found" in page and 'id="main"' in page


def test_dates_are_typed_as_text_in_iso_format(make, login):
    client = login(make.user("secretary"))
    page = client.get("/sources/new").get_data(as_text=True)
    assert 'name="response_due" type="text"' in page


def test_the_change_history_names_fields_and_codes_in_the_users_language(make, login):
    measure = make.measure(status="planned")
    client = login(make.user("secretary"))
    client.submit(f"/measures/{measure.id}/edit", measure_form(measure, status="ongoing"))
    page = client.get(f"/measures/{measure.id}").get_data(as_text=True)
    history = page[page.index('id="history-heading"') :]
    assert "Status</span>: Planned → Ongoing" in history
    assert "status</span>" not in history


def test_after_saving_a_recommendation_the_form_leads_back_to_its_source(make, login):
    source = make.source(title="Granskning av 1177")
    client = login(make.user("secretary"))
    response = client.submit(
        "/recommendations/new",
        {"source_id": source.id, "kind": "recommendation", "text": "Punkt", "status": "open"},
        follow_redirects=True,
    )
    assert f'href="/sources/{source.id}"' in response.get_data(as_text=True)


def test_the_change_history_names_people_instead_of_ids(make, login):
    first, second = make.user("owner", name="Anna Ägare"), make.user("owner", name="Bo Berg")
    measure = make.measure(owner_id=first.id)
    client = login(make.user("secretary"))
    client.submit(f"/measures/{measure.id}/edit", measure_form(measure, owner_id=second.id))
    page = client.get(f"/measures/{measure.id}").get_data(as_text=True)
    history = page[page.index('id="history-heading"') :]
    assert "Owner</span>: Anna Ägare → Bo Berg" in history
