"""Importing outcomes from CSV and Excel: a preview first, every bad row named, nothing saved
unless every row is good, and then every row saved."""

import io

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from tests.conftest import fresh
from tests.indicator_support import confirm_import, telephone_indicator, upload_outcomes
from tracker.indicators.services import outcomes
from tracker.models import Outcome

HEADER = "indicator;period;unit;value;women;men;note\n"


@pytest.fixture
def world(session, make):
    """Two indicators, two health centres, and a secretary signed in."""
    telephone = telephone_indicator(session)
    assessment = outcomes.create_indicator(
        session,
        values={
            "code": "MB3",
            "name": "Medicinsk bedömning inom 3 dagar",
            "perspective": "citizens",
            "target_value": 100,
            "split_by_sex": True,
            "follows_t1": False,
        },
    )
    session.commit()
    make.unit("Hälsocentral Kiruna", kind="health_centre")
    make.unit("Hälsocentral Piteå", kind="health_centre")
    return telephone, assessment


def _count(session) -> int:
    return fresh(session).exec(select(func.count()).select_from(Outcome)).one()


GOOD_CSV = (
    HEADER + "TEL;2022-T2;Hälsocentral Kiruna;78;;;Jan-aug\n"
    "TEL;2022-DÅ08;Hälsocentral Piteå;91,5;;;\n"
    "TEL;2022;;82;;;Länssnitt\n"
    "MB3;2022-ÅR;;92;92;92;\n"
).encode()


def test_a_good_csv_file_is_previewed_then_every_row_saved(world, session, make, login):
    client = login(make.user("secretary"))
    preview = upload_outcomes(client, "utfall.csv", GOOD_CSV)
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Preview: 4 rows, nothing saved yet" in page
    assert _count(session) == 0

    saved = confirm_import(client, page)
    assert saved.status_code == 302
    rows = fresh(session).exec(select(Outcome).order_by(Outcome.id)).all()
    assert [(o.year, o.period, o.value, o.women, o.note) for o in rows] == [
        (2022, "T2", 78, None, "Jan-aug"),
        (2022, "T2", 91.5, None, ""),
        (2022, "year", 82, None, "Länssnitt"),
        (2022, "year", 92, 92, ""),
    ]
    assert [o.unit_id is None for o in rows] == [False, False, True, True]


def test_a_good_excel_file_saves_every_row_and_replaces_earlier_outcomes(
    world, session, make, login
):
    telephone, _assessment = world
    outcomes.create_outcome(
        session, indicator=telephone, values={"year": 2022, "period": "year", "value": 70}
    )
    session.commit()
    book = Workbook()
    sheet = book.active
    sheet.append(["Styrmått", "Period", "Enhet", "Utfall", "Kvinnor", "Män", "Kommentar"])
    sheet.append(["TEL", "2022", None, 82, None, None, "Länssnitt"])
    sheet.append(["TEL", "2022-T2", "Hälsocentral Kiruna", 0.5 * 157, None, None, None])
    sheet.append(["MB3", 2021, None, 92, 91.8, 91.9, None])
    buffer = io.BytesIO()
    book.save(buffer)
    client = login(make.user("admin"))
    page = upload_outcomes(client, "utfall.xlsx", buffer.getvalue()).get_data(as_text=True)
    assert "replaces 70 %" in page
    assert confirm_import(client, page).status_code == 302
    session.expire_all()
    values = sorted((o.year, o.period, o.value, o.men) for o in session.exec(select(Outcome)))
    assert values == [(2021, "year", 92, 91.9), (2022, "T2", 78.5, None), (2022, "year", 82, None)]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("TEL;2022-T5;;80;;;", "Row 3: Cannot read the period “2022-T5”"),
        ("MB3;2022-T1;;80;;;", "Row 3: MB3 is not followed up in T1"),
        ("XYZ;2022-T2;;80;;;", "Row 3: Unknown indicator “XYZ”."),
        ("TEL;2022-T2;;180;;;", "Row 3: A percentage is between 0 and 100."),
        ("TEL;2022-T2;;åttio;;;", "Row 3: “åttio” in column value is not a number."),
        ("TEL;2022-T2;Hälsocentral Luleå;80;;;", "Row 3: Unknown unit “Hälsocentral Luleå”."),
        ("TEL;2022-T2;;80;40;40;", "Row 3: This indicator is not split by women and men."),
        ("TEL;2022-DÅ08;hälsocentral kiruna;80;;;", "Row 3: The same indicator, period and unit"),
    ],
)
def test_a_file_with_a_bad_row_is_refused_with_the_row_named(
    world, session, make, login, bad_row, message
):
    data = (HEADER + "TEL;2022-T2;Hälsocentral Kiruna;78;;;\n" + bad_row + "\n").encode()
    client = login(make.user("secretary"))
    response = upload_outcomes(client, "utfall.csv", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page
    assert message in page
    assert 'name="rows"' not in page  # no way to save from here
    assert _count(session) == 0


def test_confirming_checks_every_row_again_and_saves_nothing_on_an_error(
    world, session, make, login
):
    client = login(make.user("secretary"))
    forged = '[{"line": 2, "cells": {"indicator": "TEL", "period": "2022", "value": "80"}}, '
    forged += '{"line": 3, "cells": {"indicator": "TEL", "period": "2022", "value": "800"}}]'
    response = client.submit("/indicators/import/confirm", {"rows": forged})
    assert response.status_code == 400
    assert "Row 3: A percentage is between 0 and 100." in response.get_data(as_text=True)
    assert _count(session) == 0
    garbled = client.submit("/indicators/import/confirm", {"rows": "not json"})
    assert garbled.status_code == 400
    assert "Upload the file again" in garbled.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("utfall.pdf", b"%PDF-1.4", "Upload a CSV file (.csv) or an Excel workbook (.xlsx)."),
        ("utfall.xlsx", b"not a workbook", "The file is not an Excel workbook that can be read."),
        ("utfall.csv", b"", "The file is empty."),
        ("utfall.csv", b"indicator;period;colour\nTEL;2022;red\n", "Unknown columns: “colour”"),
        ("utfall.csv", b"indicator;value\nTEL;80\n", "Columns missing: period."),
        ("utfall.csv", HEADER.encode(), "The file has a header but no rows of outcomes."),
    ],
)
def test_an_unreadable_file_is_refused_next_to_the_field(
    world, session, make, login, name, data, message
):
    client = login(make.user("secretary"))
    response = upload_outcomes(client, name, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(session) == 0


def test_a_csv_from_swedish_excel_in_windows_1252_is_read(world, session, make, login):
    data = "indicator;period;unit;value\nTEL;2022-T2;Hälsocentral Piteå;81\n".encode("cp1252")
    client = login(make.user("secretary"))
    page = upload_outcomes(client, "utfall.csv", data).get_data(as_text=True)
    assert "Preview: 1 rows" in page
    assert confirm_import(client, page).status_code == 302
    assert _count(session) == 1


def test_the_template_file_has_the_header(world, make, login):
    client = login(make.user("viewer"))
    response = client.get("/indicators/import/template.csv")
    assert response.get_data(as_text=True).startswith("indicator;period;unit;value;women;men;note")
