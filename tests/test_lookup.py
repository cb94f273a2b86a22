"""Filters find a person or a source by part of its name: text boxes, not select boxes."""

import re

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
