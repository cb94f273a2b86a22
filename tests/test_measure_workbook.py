"""Many measures at once: the Excel round trip and the list's bulk changes, nothing lost."""

import io
import shutil
import subprocess
import zipfile
from datetime import date

import openpyxl
from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tracker.models import DateMove, Measure, StatusUpdate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client) -> openpyxl.Workbook:
    page = client.get("/measures/").get_data(as_text=True)
    assert "/measures/workbook" in page
    response = client.get("/measures/workbook")
    assert response.status_code == 200 and response.mimetype == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.data))


def row_of(sheet, measure: Measure) -> int:
    return next(n for n in range(2, sheet.max_row + 1) if sheet.cell(n, 1).value == measure.id)


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes):
    page = client.get("/measures/upload").get_data(as_text=True)
    form = rendered_form(page, "/measures/upload")
    return client.submit(
        form.action,
        form.data() | {"file": (io.BytesIO(data), "atgarder.xlsx")},
        content_type="multipart/form-data",
    )


def confirm(client, preview_page: str):
    form = rendered_form(preview_page, "/measures/upload/confirm")
    return client.submit(form.action, form.data())


def edited_workbook(client, measures):
    """Download the workbook and edit it as the division does: three rows changed."""
    webbtidbok, utbildning, rutin = measures
    workbook = download(client)
    sheet = workbook["measures"]
    # Locked key columns and hidden ids and versions.
    assert sheet.protection.sheet is True
    assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["B"].hidden
    assert sheet.cell(2, 4).protection.locked and not sheet.cell(2, 5).protection.locked
    row = row_of(sheet, webbtidbok)
    sheet.cell(row, 5).value = "Done"
    sheet.cell(row, 8).value = "Webbtidboken är i drift på alla hälsocentraler."
    row = row_of(sheet, utbildning)
    sheet.cell(row, 6).value = "2030-09-30"
    sheet.cell(row, 9).value = "Utbildarna är upptagna i vår"
    sheet.cell(row, 10).value = "Divisionschefen"
    row = row_of(sheet, rutin)
    sheet.cell(row, 8).value = "Rutinen är skriven."
    return workbook


def three_measures(make, owner):
    return [
        make.measure(title=title, owner_id=owner.id, due_date=date(2030, 1, 31))
        for title in ("Införa webbtidbok", "Utbilda personalen", "Skriva rutin")
    ]


def test_the_round_trip_shows_changes_and_a_conflict_then_saves_the_rest(
    make, login, session, client
):
    secretary = make.user("secretary", language="en")
    owner = make.user("owner", name="Ägare Ett")
    measures = three_measures(make, owner)
    login(secretary)
    workbook = edited_workbook(client, measures)
    # Someone saves the third measure after the download: its row is a conflict.
    other = fresh(session).get(Measure, measures[2].id)
    other.description = "Ändrad av någon annan"
    session.commit()

    preview = upload(client, saved(workbook))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Nothing is saved yet." in page
    assert "Planned → Done" in page
    assert "2030-01-31 → 2030-09-30" in page
    assert "Conflict" in page
    assert fresh(session).exec(select(StatusUpdate)).all() == []

    done = confirm(client, page)
    assert done.status_code == 200  # the conflicting row was held back at the preview
    fresh(session)
    webbtidbok, utbildning, rutin = (session.get(Measure, m.id) for m in measures)
    assert webbtidbok.status == "done"
    assert utbildning.due_date == date(2030, 9, 30)
    assert utbildning.original_due_date == date(2030, 1, 31)
    assert session.exec(select(DateMove)).one().agreed_by == "Divisionschefen"
    (update,) = session.exec(select(StatusUpdate)).all()
    assert update.via == "excel" and update.measure_id == webbtidbok.id
    assert rutin.description == "Ändrad av någon annan"  # the conflicting row is untouched


def test_the_round_trip_through_libreoffice(make, login, session, client, tmp_path):
    owner = make.user("owner", name="Ägare Ett", language="en")
    measures = three_measures(make, owner)
    login(owner)
    workbook = edited_workbook(client, measures)
    path = tmp_path / "edited.xlsx"
    path.write_bytes(saved(workbook))
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice saves the workbook as a division would"
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    preview = upload(client, (out / "edited.xlsx").read_bytes())
    assert preview.status_code == 200
    done = confirm(client, preview.get_data(as_text=True))
    assert done.status_code == 200
    fresh(session)
    assert session.get(Measure, measures[0].id).status == "done"
    assert len(session.exec(select(StatusUpdate)).all()) == 2


def test_formulas_macros_and_bad_rows_are_refused_with_the_row_number(make, login, session, client):
    owner = make.user("owner", language="en")
    measures = three_measures(make, owner)
    login(owner)
    workbook = download(client)
    sheet = workbook["measures"]
    sheet.cell(row_of(sheet, measures[0]), 8).value = '=HYPERLINK("http://example.org")'
    sheet.cell(row_of(sheet, measures[1]), 5).value = "Kanske"
    sheet.cell(row_of(sheet, measures[2]), 6).value = "30/9 2030"
    page = upload(client, saved(workbook)).get_data(as_text=True)
    assert f"Row {row_of(sheet, measures[0])}" in page and "formula" in page
    assert "Unknown status" in page and "YYYY-MM-DD" in page
    assert "/measures/upload/confirm" not in page  # nothing to save

    # A workbook with macros is refused whole.
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved(workbook))) as source, zipfile.ZipFile(data, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr("xl/vbaProject.bin", b"macro")
    refused = upload(client, data.getvalue())
    assert refused.status_code == 400 and "macros" in refused.get_data(as_text=True)
    assert fresh(session).exec(select(StatusUpdate)).all() == []


def test_an_owner_cannot_change_anothers_measures_through_the_workbook(
    make, login, session, client
):
    # Both work in one unit, so each reads the other's measures (decision 0028) but may not
    # change them.
    unit = make.unit()
    mine = make.user("owner", language="en", unit_id=unit.id)
    other = make.user("owner", unit_id=unit.id)
    theirs = make.measure(title="Någon annans", owner_id=other.id, unit_id=unit.id)
    make.measure(title="Min", owner_id=mine.id, unit_id=unit.id)
    page = _another_edits_theirs(make, login, client, theirs, mine)
    assert "You may not change this measure." in page


def _another_edits_theirs(make, login, client, theirs, mine) -> str:
    """Return the upload's page after the owner sends a workbook that changes another's measure."""
    login(make.user("secretary", language="en"))
    workbook = download(client)
    sheet = workbook["measures"]
    sheet.cell(row_of(sheet, theirs), 8).value = "Inte min att skriva"
    client.submit("/logout")
    login(mine)
    page = upload(client, saved(workbook)).get_data(as_text=True)
    return page


def test_an_owner_is_not_told_of_measures_outside_what_they_read(make, login, session, client):
    mine = make.user("owner", language="en", unit_id=make.unit().id)
    theirs = make.measure(title="Någon annans", owner_id=make.user("owner").id)
    make.measure(title="Min", owner_id=mine.id)
    page = _another_edits_theirs(make, login, client, theirs, mine)
    assert "No such measure." in page
    assert "Någon annans" not in page


def test_bulk_on_the_list_saves_each_ticked_measure_and_shows_the_conflict(
    make, login, session, client
):
    secretary = make.user("secretary", language="en")
    owner = make.user("owner", name="Ägare Ett")
    measures = three_measures(make, owner)
    login(secretary)
    page = client.get("/measures/").get_data(as_text=True)
    form = rendered_form(page, "/measures/bulk")
    ticked = [
        f"{m.id}:{m.version}" for m in measures
    ]  # what the boxes send (they sit outside the form, tied to it by form=)
    assert all(f'value="{value}"' in page for value in ticked)
    # Someone saves one of them meanwhile.
    other = fresh(session).get(Measure, measures[1].id)
    other.description = "Ändrad"
    session.commit()
    response = client.submit(
        form.action, form.data(status="ongoing", text="Arbetet har startat.") | {"item": ticked}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 409 and "Conflict" in text
    fresh(session)
    statuses = [session.get(Measure, m.id).status for m in measures]
    assert statuses == ["ongoing", "planned", "ongoing"]
    updates = session.exec(select(StatusUpdate)).all()
    assert {u.via for u in updates} == {"bulk"} and len(updates) == 2

    # Nothing chosen: the page says so, with the ticked boxes and the typed text kept.
    kept = client.submit(form.action, form.data(text="") | {"item": ticked[:1]})
    assert kept.status_code == 400
    assert "Choose what to do" in kept.get_data(as_text=True)
    assert f'value="{measures[0].id}:' in kept.get_data(as_text=True)
