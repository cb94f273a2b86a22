"""Indicator pages and forms, measures naming indicators, and a recommendation's page showing
whether the indicators its measures aim to move did move."""

from sqlalchemy import event
from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.indicator_support import indicator_of
from tracker.db import engine
from tracker.indicators.services import fulfilment, measure_links
from tracker.models import MeasureIndicator, Outcome


def test_the_list_groups_indicators_by_perspective(seeded, make, login):
    client = login(make.user("viewer"))
    page = client.get("/indicators/").get_data(as_text=True)
    assert page.count("<h1>") == 1
    for perspective in ("Society", "Citizens", "Operations", "Employees"):
        assert f">{perspective}</h2>" in page
    assert "Andel medicinsk bedömning" in page
    citizens = client.get("/indicators/?perspective=citizens").get_data(as_text=True)
    assert "Besök 80 år och äldre" not in citizens and "Antal digitala" in citizens


def test_a_recommendation_shows_the_indicators_of_its_measures(seeded, make, login):
    recommendation = make.recommendation(text="Förbättra tillgängligheten.")
    measure = make.measure(
        [recommendation], title="Prioritera hälsocentraler med låg tillgänglighet"
    )
    measure_links.set_measure_indicators(
        seeded, measure, [indicator_of(seeded, "TEL-SAMMA-DAG").id]
    )
    seeded.commit()
    client = login(make.user("viewer"))
    page = client.get(f"/recommendations/{recommendation.id}").get_data(as_text=True)
    assert "Andel patienter som får kontakt med hälsocentralen" in page
    # The latest overall outcome (the county, full year 2022), its fulfilment and its trend.
    assert "2022 full year: 82 %" in page
    assert "Not met" in page
    assert "+1 percentage point, better" in page


def test_indicators_for_recommendations_takes_one_query(seeded, make):
    ids = []
    for code in ("TEL-SAMMA-DAG", "MED-BED-3D", "VALD-FRAGA"):
        recommendation = make.recommendation()
        measure = make.measure([recommendation])
        measure_links.set_measure_indicators(seeded, measure, [indicator_of(seeded, code).id])
        ids.append(recommendation.id)
    seeded.commit()
    statements = []

    def count(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine(), "before_cursor_execute", count)
    try:
        result = measure_links.indicators_for_recommendations(seeded, ids)
    finally:
        event.remove(engine(), "before_cursor_execute", count)
    # The indicators and their latest outcomes: one query, whatever the number of items.
    assert len(statements) == 1
    assert [item.indicator.code for item in result[ids[2]]] == ["VALD-FRAGA"]
    assert result[ids[1]][0].latest.fulfilment == fulfilment.NOT_MET


def test_a_measure_names_the_indicators_it_aims_to_move(seeded, make, login):
    measure = make.measure(title="Läkemedelsgenomgångar")
    medication = indicator_of(seeded, "LAKEMEDELSGENOMGANG")
    client = login(make.user("secretary"))
    url = f"/measures/{measure.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Indicators it aims to move" in page
    form = rendered_form(page, url)
    assert form.data()["indicators"] == []  # a multiple select: none chosen yet
    response = client.post(url, data=form.data(indicators=[str(medication.id)]))
    assert response.status_code == 302
    links = seeded.exec(select(MeasureIndicator)).all()
    assert [(link.measure_id, link.indicator_id) for link in links] == [(measure.id, medication.id)]
    page = client.get(f"/measures/{measure.id}").get_data(as_text=True)
    assert "2022 full year: 37 %" in page
    indicator_page = client.get(f"/indicators/{medication.id}").get_data(as_text=True)
    assert "Läkemedelsgenomgångar" in indicator_page


def test_an_indicator_is_made_in_its_form_and_mistakes_are_named(make, login, session):
    client = login(make.user("secretary"))
    assert client.get("/indicators/new").status_code == 200
    data = {
        "code": "HEMBESOK",
        "name": "Andel familjer med nyfött barn som fått hembesök",
        "perspective": "citizens",
        "measure_unit": "percent",
        "target_kind": "at_least",
        "target_value": "",
        "margin": "5",
        "baseline_value": "70",
        "baseline_period": "",
        "follows_year": "y",
    }
    refused = client.submit("/indicators/new", data)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "A target of this kind needs a number." in page
    assert "Say which period the baseline is from." in page
    assert "Andel familjer med nyfött barn" in page  # what was typed is kept
    saved = client.submit(
        "/indicators/new", data | {"target_value": "75", "baseline_period": "2021"}
    )
    assert saved.status_code == 302
    indicator = indicator_of(session, "HEMBESOK")
    assert (indicator.target_value, indicator.baseline_year, indicator.baseline_period) == (
        75,
        2021,
        "year",
    )
    assert (indicator.follows_t1, indicator.follows_year) == (False, True)
    again = client.submit(
        "/indicators/new", data | {"target_value": "75", "baseline_period": "2021"}
    )
    assert "Another indicator already has this code." in again.get_data(as_text=True)

    edit = client.get(f"/indicators/{indicator.id}/edit").get_data(as_text=True)
    assert 'value="2021"' in edit  # the baseline period reads back as it is written
    stale = client.submit(
        f"/indicators/{indicator.id}/edit",
        data | {"version": indicator.version - 1, "target_value": "80", "baseline_period": "2021"},
    )
    assert stale.status_code == 409


def test_an_outcome_is_entered_and_bad_values_are_named(seeded, make, login):
    client = login(make.user("secretary"))
    indicator = indicator_of(seeded, "MED-BED-3D")
    url = f"/indicators/{indicator.id}/outcomes/new"
    out_of_range = client.submit(url, {"year": "2023", "period": "T1", "women": "101", "men": "x"})
    assert out_of_range.status_code == 400
    page = out_of_range.get_data(as_text=True)
    assert "A percentage is between 0 and 100." in page
    assert "Enter a number, for example 91,8." in page
    assert 'value="101"' in page

    taken = client.submit(url, {"year": "2022", "period": "year", "value": "93"})
    assert taken.status_code == 400
    assert "There is already an outcome for this period and unit" in taken.get_data(as_text=True)

    saved = client.submit(url, {"year": "2023", "period": "T1", "women": "93,5", "men": "94"})
    assert saved.status_code == 302
    outcome = (
        fresh(seeded)
        .exec(select(Outcome).where(Outcome.indicator_id == indicator.id, Outcome.year == 2023))
        .one()
    )
    assert (outcome.value, outcome.women, outcome.men, outcome.unit_id) == (None, 93.5, 94, None)

    telephone = indicator_of(seeded, "TEL-SAMMA-DAG")
    split = client.submit(
        f"/indicators/{telephone.id}/outcomes/new", {"year": "2023", "period": "T1", "women": "80"}
    )
    assert "This indicator is not split by women and men." in split.get_data(as_text=True)


def test_unknown_ids_give_404(make, login):
    client = login(make.user("secretary"))
    for url in ("/indicators/999", "/indicators/999/chart.svg", "/indicators/outcomes/999/edit"):
        assert client.get(url).status_code == 404, url
    assert client.get("/indicators/999/units").status_code == 404
