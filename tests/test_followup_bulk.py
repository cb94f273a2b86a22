"""Bulk changes on the follow-up list, through the forms the pages render: each ticked item
saved by itself with its version check, a conflicting one shown with what was typed kept."""

import html
import io
import re
from datetime import date
from urllib.parse import urlencode

import openpyxl
from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.test_measure_workbook import confirm, row_of, saved, upload
from tracker.models import BodySecretary, DateMove, Measure, Recommendation, StatusUpdate

TEXT = "Arbetet pågår enligt plan; rapport till styrelsen i juni."


def two_items(make):
    body = make.body()
    source = make.source(title="Granskning av informationssäkerhet", addressee_id=body.id)
    first = make.recommendation(
        source, text="Inför rutin för loggkontroll.", due_date=date(2030, 3, 31)
    )
    second = make.recommendation(
        source, text="Utbilda personalen i IT-säkerhet.", due_date=date(2030, 4, 30)
    )
    return body, first, second


def bulk_page(client, items):
    """Tick the items on the follow-up list and open its bulk page, as the browser does."""
    page = client.get("/follow-up").get_data(as_text=True)
    selection = rendered_form(page, "/follow-up/close")
    assert selection.formactions == ["/follow-up/bulk"]
    assert {("item", str(item.id)) for item in items} <= set(selection.boxes)
    ticked = selection.data() | {"item": [str(item.id) for item in items]}
    response = client.get(f"/follow-up/bulk?{urlencode(ticked, doseq=True)}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def error_of(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', page)
    return html.unescape(found.group(1)) if found else ""


def test_ticked_items_are_saved_each_and_a_conflict_keeps_what_was_typed(make, login, session):
    _body, first, second = two_items(make)
    client = login(make.user("secretary", language="en"))
    page = bulk_page(client, [first, second])
    form = rendered_form(page, "/follow-up/bulk")
    assert sorted(form.values("item")) == sorted(
        f"{item.id}:{item.version}" for item in (first, second)
    )
    seen = second.version
    # Someone saves the second item while the secretary types.
    other = fresh(session).get(Recommendation, second.id)
    other.theme = "Informationssäkerhet"
    session.commit()

    response = client.submit(form.action, form.data(status="in_progress", text=TEXT))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "1 row saved" in page and "Conflict:" in page
    assert "Status Open → In progress; new status update" in page
    again = rendered_form(page, "/follow-up/bulk")
    # Only the conflicting item is ticked again, at its version now; what was typed is kept.
    assert again.values("item") == [f"{second.id}:{seen + 1}"]
    assert again.value("text") == TEXT and again.value("status") == "in_progress"
    fresh(session)
    assert session.get(Recommendation, first.id).status == "in_progress"
    assert session.get(Recommendation, second.id).status == "open"
    (update,) = session.exec(select(StatusUpdate)).all()
    assert (update.recommendation_id, update.text, update.via) == (first.id, TEXT, "bulk")

    # Sent again, deliberately: the conflicting item is saved too.
    done = client.submit(again.action, again.data())
    assert done.status_code == 200 and "1 row saved" in done.get_data(as_text=True)
    fresh(session)
    assert session.get(Recommendation, second.id).status == "in_progress"
    assert session.get(Recommendation, second.id).theme == "Informationssäkerhet"
    assert len(session.exec(select(StatusUpdate)).all()) == 2

    # The same status once more changes nothing, and the page says so.
    form = rendered_form(bulk_page(client, [first, second]), "/follow-up/bulk")
    same = client.submit(form.action, form.data(status="in_progress"))
    assert "Nothing changed" in same.get_data(as_text=True)


def test_a_moved_date_needs_a_reason_and_who_agreed_next_to_the_fields(make, login, session):
    _body, first, second = two_items(make)
    new_owner = make.user("owner", name="Ida Informationssäkerhetschef")
    client = login(make.user("secretary", language="en"))
    form = rendered_form(bulk_page(client, [first, second]), "/follow-up/bulk")

    refused = client.submit(form.action, form.data(due_date="2030-09-30"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert error_of(page, "due_date_reason") == "Say why the date moves."
    assert error_of(page, "due_date_agreed_by").startswith("Say who agreed to the move")
    kept = rendered_form(page, "/follow-up/bulk")
    assert kept.value("due_date") == "2030-09-30" and len(kept.values("item")) == 2
    assert fresh(session).get(Recommendation, first.id).due_date == date(2030, 3, 31)

    moved = client.submit(
        kept.action,
        kept.data(
            due_date_reason="Upphandlingen av loggverktyget drog ut på tiden.",
            due_date_agreed_by="RS 300301 § 12",
            owner_id=new_owner.name,
        ),
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert "2 rows saved" in moved.get_data(as_text=True)
    fresh(session)
    for item, original in ((first, date(2030, 3, 31)), (second, date(2030, 4, 30))):
        saved = session.get(Recommendation, item.id)
        assert (saved.due_date, saved.original_due_date) == (date(2030, 9, 30), original)
        assert saved.responsible_id == new_owner.id
    moves = session.exec(select(DateMove)).all()
    assert {move.recommendation_id for move in moves} == {first.id, second.id}
    assert {move.agreed_by for move in moves} == {"RS 300301 § 12"}


def test_only_those_who_may_write_the_items_change_them(make, login, session, client):
    body, first, second = two_items(make)
    for role in ("owner", "viewer", "auditor"):
        client = login(make.user(role, language="en"))
        assert "/follow-up/bulk" not in client.get("/follow-up").get_data(as_text=True)
        assert client.get(f"/follow-up/bulk?item={first.id}").status_code == 403
        refused = client.submit(
            "/follow-up/bulk", {"item": f"{first.id}:{first.version}", "status": "reported"}
        )
        assert refused.status_code == 403
        client.submit("/logout")

    # A secretary of another body: the page opens, but these items are not theirs to change.
    elsewhere = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    secretary = make.user("secretary", language="en")
    session.add(BodySecretary(body_id=elsewhere.id, user_id=secretary.id))
    session.commit()
    client = login(secretary)
    form = rendered_form(bulk_page(client, [first, second]), "/follow-up/bulk")
    response = client.submit(form.action, form.data(status="reported", text=TEXT))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("You may not change this item.") == 2
    fresh(session)
    assert {session.get(Recommendation, i.id).status for i in (first, second)} == {"open"}
    assert session.exec(select(StatusUpdate)).all() == []
    # Closing outcomes need the board's decision: the bulk status offers none of them.
    assert not {"closed", "not_implemented"} & set(re.findall(r'<option value="(\w+)"', page))


def test_the_lists_items_measures_go_out_as_the_workbook_and_come_back(make, login, session):
    _body, first, second = two_items(make)
    first.theme, second.theme = "Informationssäkerhet", "Kompetens"
    session.commit()
    owner = make.user("owner", name="Ägare Ett")
    logs = make.measure([first], title="Köp in loggverktyg", owner_id=owner.id)
    course = make.measure([second], title="Kurs i IT-säkerhet", owner_id=owner.id)
    client = login(make.user("secretary", language="en"))
    page = client.get("/follow-up?theme=Informationss%C3%A4kerhet").get_data(as_text=True)
    link = html.unescape(re.search(r'href="(/follow-up/measures\.xlsx[^"]*)"', page).group(1))
    response = client.get(link)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook["measures"]
    # Only the measures of the items on the filtered list.
    assert [sheet.cell(n, 4).value for n in range(2, sheet.max_row + 1)] == [logs.title]
    assert course.id not in [sheet.cell(n, 1).value for n in range(2, sheet.max_row + 1)]
    sheet.cell(row_of(sheet, logs), 5).value = "Ongoing"
    sheet.cell(row_of(sheet, logs), 8).value = "Offerter inkomna från tre leverantörer."

    preview = upload(client, saved(workbook))
    assert preview.status_code == 200
    assert confirm(client, preview.get_data(as_text=True)).status_code == 200
    fresh(session)
    assert session.get(Measure, logs.id).status == "ongoing"
    (update,) = session.exec(select(StatusUpdate)).all()
    assert (update.measure_id, update.via) == (logs.id, "excel")


def test_a_closed_item_keeps_the_boards_decision(make, login, session):
    _body, first, _second = two_items(make)
    closed = make.recommendation(text="Redan avslutad punkt.", status="closed")
    client = login(make.user("secretary", language="en"))
    page = client.get("/follow-up").get_data(as_text=True)
    # The list offers no box for it; a hand-made address does not get it changed either.
    assert f'value="{closed.id}" id="select-' not in page
    response = client.get(f"/follow-up/bulk?item={first.id}&item={closed.id}")
    form = rendered_form(response.get_data(as_text=True), "/follow-up/bulk")
    done = client.submit(form.action, form.data(status="in_progress"))
    assert "The board has closed this item: its decision stands." in done.get_data(as_text=True)
    fresh(session)
    assert session.get(Recommendation, closed.id).status == "closed"
    assert session.get(Recommendation, first.id).status == "in_progress"
