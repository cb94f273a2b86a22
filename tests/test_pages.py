"""Lists, filters, paging, "my work", and a constant number of queries per page."""

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.conftest import QueryCounter
from tracker.dates import today
from tracker.models import Meeting, Recommendation


def test_my_work_shows_what_is_mine_overdue_first_with_a_form_one_click_away(make, login):
    owner = make.user("owner")
    late = make.measure(title="Försenad åtgärd", owner_id=owner.id, due_date=today() - timedelta(3))
    make.measure(title="Kommande åtgärd", owner_id=owner.id, due_date=today() + timedelta(30))
    make.measure(title="Någon annans åtgärd", owner_id=make.user("owner").id)
    make.measure(title="Avslutad åtgärd", owner_id=owner.id, status="done")
    make.recommendation(text="Mitt uppdrag att rapportera", responsible_id=owner.id)
    client = login(owner)
    page = client.get("/my-work").get_data(as_text=True)
    assert page.index("Försenad åtgärd") < page.index("Kommande åtgärd")
    assert "Någon annans åtgärd" not in page and "Avslutad åtgärd" not in page
    assert "Mitt uppdrag att rapportera" in page
    assert f'href="/measures/{late.id}/update"' in page
    form = client.get(f"/measures/{late.id}/update")
    assert form.status_code == 200
    assert 'name="text"' in form.get_data(as_text=True)


def test_report_back_to_a_meeting_counts_as_its_deadline(make, login, session):
    body = make.body()
    meeting = Meeting(body_id=body.id, held_on=today() - timedelta(days=1))
    session.add(meeting)
    session.commit()
    item = make.recommendation(text="Återrapportera till mötet", due_meeting_id=meeting.id)
    client = login(make.user("viewer"))
    page = client.get("/recommendations/?overdue=1").get_data(as_text=True)
    assert "Återrapportera till mötet" in page and "Overdue" in page
    assert "Återrapportera till mötet" in client.get(f"/meetings/{meeting.id}").get_data(
        as_text=True
    )
    assert item.id


def test_filters_narrow_the_list(make, login):
    rs, hsn = make.body("RS", "Regionstyrelsen"), make.body("HSN", "Hälso- och sjukvårdsnämnden")
    a = make.source(title="Revision 1177", issuer_id=rs.id)
    b = make.source(title="HSN § 31", issuer_id=hsn.id)
    make.recommendation(a, text="Systematisk uppföljning av 1177", theme="Digitalisering")
    make.recommendation(b, text="Öka insatserna för hälsofrämjande", kind="assignment")
    client = login(make.user("viewer"))
    for query, shown, hidden in [
        (f"body={hsn.id}", "hälsofrämjande", "Systematisk"),
        (f"source={a.id}", "Systematisk", "hälsofrämjande"),
        ("kind=assignment", "hälsofrämjande", "Systematisk"),
        ("theme=Digitalisering", "Systematisk", "hälsofrämjande"),
        ("status=closed", None, "Systematisk"),
    ]:
        page = client.get(f"/recommendations/?{query}").get_data(as_text=True)
        if shown:
            assert shown in page, query
        assert hidden not in page, query


def test_lists_page_through_many_rows(make, login, session, app):
    source = make.source()
    session.add_all(
        Recommendation(source_id=source.id, kind="recommendation", text=f"Punkt nummer {n:03}")
        for n in range(60)
    )
    session.commit()
    client = login(make.user("viewer"))
    first = client.get("/recommendations/").get_data(as_text=True)
    second = client.get("/recommendations/?page=2").get_data(as_text=True)
    assert "Punkt nummer 000" in first and "Punkt nummer 059" not in first
    assert "Punkt nummer 059" in second and "Page 2 of 2" in second


@pytest.mark.parametrize("url", ["/recommendations/", "/measures/", "/sources/", "/my-work"])
def test_list_pages_run_the_same_number_of_queries_for_5_and_50_rows(
    make, login, session, app, url
):
    owner = make.user("owner")
    client = login(owner)

    def add(n):
        source = make.source(issuer_id=make.body(f"B{n}", "Nämnd").id)
        for _ in range(n):
            rec = make.recommendation(source, responsible_id=owner.id, due_date=date(2030, 1, 1))
            make.measure([rec], owner_id=owner.id, unit_id=make.unit().id)

    def count():
        engine = app.extensions["tracker.engine"]
        with QueryCounter(engine) as counter:
            assert client.get(url).status_code == 200
        return counter.count

    add(5)
    few = count()
    add(45)
    many = count()
    assert few == many


def test_seed_command_loads_twice_with_the_same_counts(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed"])
    created = re.search(r"^recommendation: (\d+) created, 0 already there$", first.output, re.M)
    assert created and int(created[1]) > 0, first.output
    # The second run finds every row the first one made and creates none.
    assert f"recommendation: 0 created, {created[1]} already there" in second.output
    assert re.findall(r"(\w+): (\d+) created, 0", first.output) == re.findall(
        r"(\w+): 0 created, (\d+) already", second.output
    )
    texts = session.exec(select(Recommendation.text)).all()
    assert any("1177" in text for text in texts)


def test_measures_filter_by_theme_and_overdue(make, login):
    make.measure(title="Digital incheckning", theme="Medborgare", due_date=date(2020, 1, 1))
    make.measure(title="Kompetensväxling", theme="Medarbetare", due_date=date(2099, 1, 1))
    client = login(make.user("viewer"))
    page = client.get("/measures/?theme=Medborgare").get_data(as_text=True)
    assert "Digital incheckning" in page and "Kompetensväxling" not in page
    page = client.get("/measures/?overdue=1").get_data(as_text=True)
    assert "Digital incheckning" in page and "Kompetensväxling" not in page


def test_seed_command_loads_the_indicators_too(app, session):
    from tracker.models import Indicator, Outcome

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "indicator: 0 created" in runner.invoke(args=["seed"]).output
    assert session.exec(select(Indicator)).first() is not None
    assert session.exec(select(Outcome)).first() is not None
