"""The follow-up list shows, per item, the indicators its measures aim to move."""

import io

import openpyxl

from tracker.models import Indicator, MeasureIndicator, Outcome


def test_items_show_their_indicators_with_latest_outcome_and_fulfilment(make, session, login):
    item = make.recommendation(text="Öka telefontillgängligheten", theme="Tillgänglighet")
    measure = make.measure([item], title="Flödes- och bemanningsplanering")
    indicator = Indicator(
        code="TEL", name="Telefontillgänglighet", perspective="Medborgare", target_value=95
    )
    session.add(indicator)
    session.commit()
    session.add(MeasureIndicator(measure_id=measure.id, indicator_id=indicator.id))
    session.add(Outcome(indicator_id=indicator.id, year=2022, period="T2", value=81))
    session.commit()
    client = login(make.user("viewer"))

    page = client.get("/follow-up").get_data(as_text=True)
    assert "Telefontillgänglighet" in page
    assert "81 %" in page or "81%" in page
    assert "Not met" in page

    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/follow-up?format=xlsx").data))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Indicators") + 1).value
    assert "Telefontillgänglighet" in cell and "Not met" in cell
