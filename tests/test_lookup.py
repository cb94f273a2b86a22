"""Filters find a person or a source by part of its name: text boxes, not select boxes."""

import re


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
