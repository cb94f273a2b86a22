"""Filters find a person or a source by part of its name: text boxes, not select boxes."""

import re
from datetime import date

from sqlmodel import select


def _input(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, f"no text box named {name}"
    return found.group(0)


def test_the_measure_list_finds_the_owner_by_part_of_the_name(make, login):
    anna = make.user("owner", name="Anna Lindqvist")
    make.user("owner", name="Per Öberg")
    make.measure(title="Annas åtgärd", owner_id=anna.id)
    make.measure(title="Någon annans åtgärd")
    client = login(make.user("secretary"))
    page = client.get("/measures/").get_data(as_text=True)
    assert (
        'type="text"' in _input(page, "owner")
        and "<option" not in page.split('name="owner"')[1][:200]
    )
    filtered = client.get("/measures/?owner=lindq").get_data(as_text=True)
    assert "Annas åtgärd" in filtered and "Någon annans åtgärd" not in filtered
    # The box shows the person found, and a link carrying the id shows the same.
    assert 'value="Anna Lindqvist"' in _input(filtered, "owner")
    by_id = client.get(f"/measures/?owner={anna.id}").get_data(as_text=True)
    assert 'value="Anna Lindqvist"' in _input(by_id, "owner") and "Någon annans" not in by_id


def test_a_name_that_fits_several_is_refused_next_to_the_field_keeping_the_text(make, login):
    make.user("owner", name="Anna Lindqvist")
    make.user("owner", name="Anna Berglund")
    client = login(make.user("secretary"))
    page = client.get("/recommendations/?responsible=Anna").get_data(as_text=True)
    box = _input(page, "responsible")
    assert 'value="Anna"' in box and 'aria-invalid="true"' in box
    assert "Anna Berglund; Anna Lindqvist" in page
    nothing = client.get("/recommendations/?responsible=Zlatan").get_data(as_text=True)
    assert "Nothing matches" in nothing and 'value="Zlatan"' in nothing


def test_the_follow_up_list_looks_up_the_source_by_title(make, login):
    wanted = make.source(title="Granskning av tillgängligheten")
    make.recommendation(wanted, text="Punkten som söks")
    make.recommendation(make.source(title="Granskning av ekonomin"), text="En annan punkt")
    client = login(make.user("secretary"))
    page = client.get("/follow-up?source=tillgängligheten").get_data(as_text=True)
    assert "Punkten som söks" in page and "En annan punkt" not in page
    assert 'value="Granskning av tillgängligheten"' in _input(page, "source")
    # The export links carry the id found, so the file holds exactly this list.
    assert f"source={wanted.id}" in page
    wrong = client.get("/follow-up?source=Granskning")
    assert wrong.status_code == 400
    assert "Several match" in wrong.get_data(as_text=True)


def test_the_recommendation_form_finds_its_source_and_responsible_by_typed_text(
    make, login, session
):
    from tests.html_forms import rendered_form
    from tracker.models import Recommendation

    source = make.source(title="Granskning av ambulansvården")
    make.source(title="Granskning av ekonomistyrningen")
    make.source(title="Granskning av ekonomin")
    anna = make.user("owner", name="Anna Lindqvist")
    client = login(make.user("secretary"))
    page = client.get(f"/recommendations/new?source_id={source.id}").get_data(as_text=True)
    # Text boxes, filled with the source the link carried: no select of every source or user.
    assert 'value="Granskning av ambulansvården"' in _input(page, "source_id")
    assert "Anna Lindqvist" not in page and 'type="text"' in _input(page, "responsible_id")
    form = rendered_form(page, "/recommendations/new")
    text = "Regionstyrelsen bör se över bemanningen."
    refused = client.post(
        "/recommendations/new",
        data=form.data(source_id="Granskning av ekonomi", responsible_id="Lindq", text=text),
    )
    assert refused.status_code == 400
    again = refused.get_data(as_text=True)
    box = _input(again, "source_id")
    assert 'value="Granskning av ekonomi"' in box and 'aria-invalid="true"' in box
    assert 'id="source_id-error"' in again and "Several match" in again
    # The person found is shown by name after the round trip.
    assert 'value="Anna Lindqvist"' in _input(again, "responsible_id")
    saved = client.post(
        "/recommendations/new",
        data=rendered_form(again, "/recommendations/new").data(source_id="ambulans"),
    )
    assert saved.status_code == 302
    item = session.exec(select(Recommendation).where(Recommendation.text == text)).one()
    assert (item.source_id, item.responsible_id) == (source.id, anna.id)
    edit = client.get(f"/recommendations/{item.id}/edit").get_data(as_text=True)
    assert 'value="Anna Lindqvist"' in _input(edit, "responsible_id")


def test_the_measure_form_links_recommendations_by_typed_text_and_unlinks_by_unticking(
    make, login, session
):
    from tests.conftest import fresh
    from tests.html_forms import rendered_form
    from tracker.measures.services import linked_recommendation_ids
    from tracker.models import Measure

    source = make.source()
    arrival = make.recommendation(source, number="1", text="Ambulansen ska nå fram inom 20 min.")
    dispatch = make.recommendation(source, number="2", text="Ambulansen ska ha en larmcentral.")
    staffing = make.recommendation(source, number="3", text="Bemanningen ses över.")
    client = login(make.user("secretary"))
    url = f"/measures/new?recommendation_id={staffing.id}"
    page = client.get(url).get_data(as_text=True)
    # The recommendation the link carried is a ticked box; the others are not listed at all.
    assert f'value="{staffing.id}" id="recommendations-{staffing.id}" checked' in page
    assert "Ambulansen" not in page
    form = rendered_form(page, "/measures/new")
    assert form.values("recommendations") == [str(staffing.id)]
    refused = client.post(
        url,
        data=form.data(title="Ambulansplan", **{"recommendations-add": ["Ambulansen", "20 min"]}),
    )
    assert refused.status_code == 400
    again = refused.get_data(as_text=True)
    # The text that fits two stays in its box with the message; the one found is now ticked.
    box = _input(again, "recommendations-add")
    assert 'value="Ambulansen"' in box and 'aria-invalid="true"' in box
    assert 'id="recommendations-add-1-error"' in again and "Several match: 1 Ambulansen" in again
    form = rendered_form(again, "/measures/new")
    assert form.values("recommendations") == [str(arrival.id), str(staffing.id)]
    saved = client.post(url, data=form.data(**{"recommendations-add": "larmcentral"}))
    assert saved.status_code == 302
    measure = session.exec(select(Measure).where(Measure.title == "Ambulansplan")).one()
    assert sorted(linked_recommendation_ids(session, measure.id)) == sorted(
        [arrival.id, dispatch.id, staffing.id]
    )
    edit_url = f"/measures/{measure.id}/edit"
    form = rendered_form(client.get(edit_url).get_data(as_text=True), edit_url)
    unticked = client.post(
        edit_url, data=form.data(recommendations=[str(arrival.id), str(dispatch.id)])
    )
    assert unticked.status_code == 302
    assert sorted(linked_recommendation_ids(fresh(session), measure.id)) == [
        arrival.id,
        dispatch.id,
    ]


def test_the_unit_form_finds_its_manager_by_part_of_the_name(make, login, session):
    from tests.conftest import fresh
    from tests.html_forms import rendered_form
    from tracker.models import Unit

    chief = make.user("owner", name="Karin Nilsson")
    make.user("owner", name="Karl Nilsson")
    client = login(make.user("admin"))
    page = client.get("/units/new").get_data(as_text=True)
    assert "Karin Nilsson" not in page and 'type="text"' in _input(page, "manager_id")
    form = rendered_form(page, "/units/new")
    refused = client.post(
        "/units/new", data=form.data(name="Division Nära", kind="division", manager_id="Nilsson")
    )
    assert refused.status_code == 400
    again = refused.get_data(as_text=True)
    box = _input(again, "manager_id")
    assert 'value="Nilsson"' in box and 'aria-invalid="true"' in box
    assert 'id="manager_id-error"' in again and "Several match" in again
    saved = client.post(
        "/units/new", data=rendered_form(again, "/units/new").data(manager_id="karin")
    )
    assert saved.status_code == 302
    unit = fresh(session).exec(select(Unit).where(Unit.name == "Division Nära")).one()
    assert unit.manager_id == chief.id
    assert "Karin Nilsson" in client.get("/units/").get_data(as_text=True)
    edit = client.get(f"/units/{unit.id}/edit").get_data(as_text=True)
    assert 'value="Karin Nilsson"' in _input(edit, "manager_id")


def test_the_follow_up_list_finds_the_meeting_by_its_body_and_date(make, login, session):
    from tests.conftest import fresh
    from tests.html_forms import rendered_form
    from tracker.models import KeptList

    board = make.body("RS", "Regionstyrelsen")
    committee = make.body("HSN", "Hälso- och sjukvårdsnämnden")
    wanted = make.meeting(board, held_on=date(2030, 3, 1), title="Sammanträde")
    other = make.meeting(committee, held_on=date(2030, 3, 1))
    make.recommendation(text="Punkten till styrelsen", due_meeting_id=wanted.id)
    make.recommendation(text="Punkten till nämnden", due_meeting_id=other.id)
    client = login(make.user("secretary"))
    page = client.get("/follow-up").get_data(as_text=True)
    # Text boxes, not selects of every meeting, for the filter and for keeping the list.
    for name in ("meeting", "meeting_id"):
        assert 'type="text"' in _input(page, name)
        assert "<option" not in page.split(f'name="{name}"')[1][:200]
    found = client.get("/follow-up?meeting=RS 2030-03-01").get_data(as_text=True)
    assert "Punkten till styrelsen" in found and "Punkten till nämnden" not in found
    assert 'value="RS 2030-03-01 Sammanträde"' in _input(found, "meeting")
    assert f"meeting={wanted.id}" in found  # the files hold exactly this list
    # A date held by two bodies' meetings is refused next to the field, the text kept.
    several = client.get("/follow-up?meeting=2030-03-01")
    text = several.get_data(as_text=True)
    assert several.status_code == 400 and "Several match" in text
    assert 'value="2030-03-01"' in _input(text, "meeting")

    form = rendered_form(found, "/follow-up/keep")
    refused = client.post(
        "/follow-up/keep", data=form.data(meeting_id="HSN 2031", title="Återrapportering")
    )
    assert refused.status_code == 400
    assert 'value="HSN 2031"' in _input(refused.get_data(as_text=True), "meeting_id")
    assert fresh(session).exec(select(KeptList)).all() == []
    kept = client.post(
        "/follow-up/keep", data=form.data(meeting_id="HSN 2030-03", title="Återrapportering")
    )
    assert kept.status_code == 302
    assert fresh(session).exec(select(KeptList.meeting_id)).all() == [other.id]
