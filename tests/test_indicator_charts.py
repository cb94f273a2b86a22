"""The SVG charts parse as XML and carry the target line, one series per sex and a text
alternative; the pages show them with a table of the same numbers."""

import xml.etree.ElementTree as ET

from tests.indicator_support import indicator_of, unit_of
from tracker.models import Indicator

SVG = "{http://www.w3.org/2000/svg}"


def _ids(session, code, unit_name):
    return indicator_of(session, code).id, unit_of(session, unit_name).id


def _groups(root, kind):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def test_the_outcome_chart_has_the_target_line_and_one_series_per_sex(seeded, make, login):
    indicator_id, unit_id = _ids(seeded, "MED-BED-3D", "Division Nära")
    client = login(make.user("viewer"))
    response = client.get(f"/indicators/{indicator_id}/chart.svg?unit={unit_id}")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.get_data(as_text=True))
    assert root.tag == f"{SVG}svg"

    targets = _groups(root, "target")
    assert [t.get("data-value") for t in targets] == ["100"]
    assert targets[0].find(f"{SVG}line") is not None

    series = sorted(g.get("data-series") for g in _groups(root, "series"))
    assert series == ["men", "total", "women"]
    women = next(g for g in _groups(root, "series") if g.get("data-series") == "women")
    points = [m.find(f"{SVG}title").text for m in women if m.tag != f"{SVG}title"]
    assert points == ["Women, 2022 T2: 92 %"]

    # The text alternative names the target and every period's numbers.
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    desc = root.find(f"{SVG}desc").text
    assert "100 %" in desc and "2022 T2" in desc and "92 %" in desc


def test_an_indicator_without_a_split_has_one_series(seeded, make, login):
    indicator_id, unit_id = _ids(seeded, "TEL-SAMMA-DAG", "Division Nära")
    client = login(make.user("viewer"))
    root = ET.fromstring(client.get(f"/indicators/{indicator_id}/chart.svg?unit={unit_id}").data)
    assert [g.get("data-series") for g in _groups(root, "series")] == ["total"]
    assert [t.get("data-value") for t in _groups(root, "target")] == ["95"]


def test_separate_targets_for_women_and_men_are_two_lines(seeded, make, login):
    indicator_id, unit_id = _ids(seeded, "ATERINSKRIVNING-65", "Division Nära")
    client = login(make.user("viewer"))
    root = ET.fromstring(client.get(f"/indicators/{indicator_id}/chart.svg?unit={unit_id}").data)
    lines = {t.get("data-series"): t.get("data-value") for t in _groups(root, "target")}
    assert lines == {"women": "16", "men": "17.2"}


def test_the_units_chart_is_sorted_with_the_target_line(seeded, make, login):
    indicator_id, _unit = _ids(seeded, "MED-BED-3D", "Division Nära")
    client = login(make.user("viewer"))
    response = client.get(f"/indicators/{indicator_id}/units.svg?period=2022")
    root = ET.fromstring(response.get_data(as_text=True))
    bars = [(g.get("data-unit"), g.get("data-fulfilment")) for g in _groups(root, "bar")]
    assert bars[-1] == ("Hälsocentral Kiruna", "not_met")
    assert len(bars) == 3  # the units document 001 names; no invented one
    assert [t.get("data-value") for t in _groups(root, "target")] == ["100"]
    assert "Hälsocentral Kiruna: 68 %" in root.find(f"{SVG}desc").text

    page = client.get(f"/indicators/{indicator_id}/units?period=2022").get_data(as_text=True)
    assert "0 of 3 units reach the target." in page
    assert "<svg" in page and "Hälsocentral Kiruna" in page


def test_the_indicator_page_shows_the_chart_and_the_table(seeded, make, login):
    indicator_id, unit_id = _ids(seeded, "TEL-SAMMA-DAG", "Division Nära")
    client = login(make.user("owner"))
    page = client.get(f"/indicators/{indicator_id}?unit={unit_id}").get_data(as_text=True)
    assert page.count("<h1>") == 1
    assert 'role="img"' in page and "<desc" in page
    assert "2022 T2" in page and "81 %" in page and "Not met" in page
    assert "−1 percentage point, worse" in page
    # The overall (county) outcomes are one click away.
    overall = client.get(f"/indicators/{indicator_id}?unit=0").get_data(as_text=True)
    assert "82 %" in overall and "+1 percentage point, better" in overall


def test_the_chart_for_an_export_is_drawn_outside_a_request(seeded):
    from tracker.indicators.charts import indicator_chart_svg

    indicator_id, unit_id = _ids(seeded, "VALD-FRAGA", "Division Nära")
    indicator = seeded.get(Indicator, indicator_id)
    root = ET.fromstring(indicator_chart_svg(seeded, indicator, unit_id=unit_id))
    assert sorted(g.get("data-series") for g in _groups(root, "series")) == [
        "men",
        "total",
        "women",
    ]
    # A direction target has no line to draw; the text alternative says what it is.
    assert _groups(root, "target") == []
    assert "Division Nära" in root.find(f"{SVG}title").text
