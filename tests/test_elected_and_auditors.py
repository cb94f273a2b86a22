"""The elected member reads their bodies' items only; the auditor reads all, records findings."""

from datetime import date

from sqlmodel import select

from tests.conftest import PASSWORD, fresh
from tests.html_forms import rendered_form
from tests.test_responses import option_value
from tracker.models import BodyMember, BodySecretary, ReviewFinding, Source


def _world(make, session):
    hsn = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    rs = make.body(code="RS", name="Regionstyrelsen")
    theirs = make.source(title="Granskning av vårdköer", addressee_id=hsn.id)
    staff = make.source(title="Personalärendegranskning", addressee_id=hsn.id, restricted=True)
    others = make.source(title="Granskning av IT-säkerhet", addressee_id=rs.id)
    for source in (theirs, staff, others):
        make.recommendation(source, text=f"Punkt i {source.title}")
    return hsn, theirs, staff, others


def test_an_elected_member_reads_their_bodys_items_and_writes_nothing(make, session, login):
    hsn, theirs, staff, others = _world(make, session)
    member = make.user("elected", name="Eva Förtroendevald")
    session.add(BodyMember(body_id=hsn.id, user_id=member.id))
    session.commit()
    client = login(member)
    listed = client.get("/sources/").get_data(as_text=True)
    assert theirs.title in listed and staff.title in listed
    assert others.title not in listed
    assert client.get(f"/sources/{theirs.id}").status_code == 200
    assert client.get(f"/sources/{others.id}").status_code == 404
    follow_up = client.get("/follow-up?format=csv").get_data(as_text=True)
    assert "Punkt i Granskning av vårdköer" in follow_up
    assert "Punkt i Granskning av IT-säkerhet" not in follow_up
    # Writes nothing: not their own body's source either.
    assert client.get(f"/sources/{theirs.id}/edit").status_code == 403
    assert client.get("/sources/new").status_code == 403
    assert client.submit(f"/sources/{theirs.id}/findings", {}).status_code == 403


def test_an_auditor_reads_everything_and_records_findings_only(make, session, login):
    _hsn, theirs, staff, others = _world(make, session)
    earlier = make.source(title="Granskning av bisysslor", issued_on=date(2017, 3, 1))
    point = make.recommendation(earlier, number="1", text="Skärp internkontrollen.")
    review = make.source(title="Bisysslor, uppföljande granskning", follows_id=earlier.id)
    auditor = make.user("auditor", name="Rut Revisor")
    client = login(auditor)
    listed = client.get("/sources/").get_data(as_text=True)
    assert all(source.title in listed for source in (theirs, staff, others))
    assert client.get(f"/sources/{staff.id}").status_code == 200

    page = client.get(f"/sources/{review.id}").get_data(as_text=True)
    values = rendered_form(page, f"/sources/{review.id}/findings").data()
    values.update(recommendation_id=str(point.id), assessment="partly_addressed", text="Delvis.")
    assert client.post(f"/sources/{review.id}/findings", data=values).status_code == 302
    finding = fresh(session).query(ReviewFinding).one()
    assert (finding.recommendation_id, finding.assessment) == (point.id, "partly_addressed")

    edit = client.get(f"/sources/{theirs.id}/edit")
    assert edit.status_code == 403
    assert client.submit(f"/sources/{theirs.id}/edit", {"title": "Ändrad"}).status_code == 403
    assert client.get(f"/recommendations/{point.id}/edit").status_code == 403
    assert fresh(session).get(Source, theirs.id).title == "Granskning av vårdköer"


def test_an_administrator_makes_a_secretary_of_one_body_on_the_users_page(make, session, login):
    hsn, theirs, _staff, others = _world(make, session)
    secretary = make.user("secretary", name="Sara Sekreterare")
    admin = make.user("admin")
    client = login(admin)
    page = client.get(f"/users/{secretary.id}/edit").get_data(as_text=True)
    values = rendered_form(page, f"/users/{secretary.id}/edit").data()
    values["bodies"] = option_value(page, "bodies", "HSN – Hälso- och sjukvårdsnämnden")
    assert client.post(f"/users/{secretary.id}/edit", data=values).status_code == 302
    links = fresh(session).exec(select(BodySecretary.body_id)).all()
    fresh(session)
    assert links == [hsn.id]

    other_client = client.application.test_client()
    other_client.submit("/login", {"email": secretary.email, "password": PASSWORD})
    assert other_client.get(f"/sources/{theirs.id}/edit").status_code == 200
    assert other_client.get(f"/sources/{others.id}/edit").status_code == 403
