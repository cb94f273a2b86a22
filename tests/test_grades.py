"""How far each item got: grades by the board and the auditors, priority, moved deadlines."""

import re
from datetime import date

from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.test_api import bearer
from tracker.models import DateMove, ImplementationGrade, Measure, Recommendation


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def grade(client, item: Recommendation, **values) -> object:
    """Open the grade form as rendered and post it with these choices."""
    url = f"/recommendations/{item.id}/grade"
    form = rendered_form(page_of(client, url), url)
    return client.submit(url, form.data(**values))


def test_the_board_and_the_auditors_grade_apart_and_both_are_kept(make, login, session):
    item = make.recommendation()
    client = login(make.user("secretary", name="Sara Sekreterare"))
    assert (
        grade(client, item, grader="board", grade="mostly", graded_on="2018-12-19").status_code
        == 302
    )
    assert (
        grade(
            client,
            item,
            grader="auditors",
            grade="partly",
            graded_on="2019-03-01",
            text="Rutinen är inte införd på alla hälsocentraler",
        ).status_code
        == 302
    )
    grade(client, item, grader="board", grade="fully", graded_on="2019-06-10")
    rows = session.exec(select(ImplementationGrade).order_by(ImplementationGrade.id)).all()
    assert [(row.grader, row.grade) for row in rows] == [
        ("board", "mostly"),
        ("auditors", "partly"),
        ("board", "fully"),
    ]
    assert rows[0].recorded_by_name == "Sara Sekreterare"

    page = page_of(client, f"/recommendations/{item.id}")
    # The latest grade of each, side by side; the board's earlier one stays in the history.
    assert "Fully implemented" in page and "Implemented in some respects" in page
    assert "The board and the auditors grade this item differently." in page
    assert "Rutinen är inte införd på alla hälsocentraler" in page
    assert "Earlier grades" in page and "Implemented in most respects" in page


def test_a_grade_of_not_implemented_needs_the_reason_and_keeps_what_was_typed(make, login):
    item = make.recommendation()
    client = login(make.user("secretary"))
    response = grade(client, item, grader="board", grade="not", graded_on="2019-13-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="text-error"' in page and "Give the reason for this grade." in page
    assert 'id="graded_on-error"' in page and 'value="2019-13-01"' in page
    assert re.search(r"<input checked[^>]*value=\"not\"", page)


def test_an_owner_and_a_reader_cannot_grade_or_mark_priority(make, login, client):
    unit = make.unit()
    # The owner reads the item (their unit's), and still may not grade it.
    item = make.recommendation(unit_id=unit.id)
    for role in ("owner", "viewer"):
        login(make.user(role, unit_id=unit.id))
        assert client.get(f"/recommendations/{item.id}/grade").status_code == 403
        response = client.submit(f"/recommendations/{item.id}/priority", {"priority_by": "board"})
        assert response.status_code == 403
        assert "Record a grade" not in page_of(client, f"/recommendations/{item.id}")


def test_priority_is_marked_on_the_page_filtered_in_the_list_and_counted_on_the_start_page(
    make, login, session
):
    marked = make.recommendation(text="Säkerställ tillgången till 1177 på telefon.")
    other = make.recommendation(text="Utveckla uppföljningen av e-tjänsterna.")
    client = login(make.user("secretary"))
    url = f"/recommendations/{marked.id}"
    form = rendered_form(page_of(client, url), f"{url}/priority")
    assert client.submit(form.action, form.data(priority_by="auditors")).status_code == 302
    assert fresh(session).get(Recommendation, marked.id).priority_by == "auditors"
    assert "marked by the auditors" in page_of(client, url)

    listed = page_of(client, "/recommendations/?priority=1")
    assert "Säkerställ tillgången" in listed and "Utveckla uppföljningen" not in listed
    ordered = page_of(client, "/recommendations/?sort=priority")
    assert ordered.index("Säkerställ tillgången") < ordered.index("Utveckla uppföljningen")
    assert "1 open priority item" in page_of(client, "/")

    # A stale priority form (someone marked it meanwhile) saves nothing and says so.
    stale = rendered_form(page_of(client, f"/recommendations/{other.id}"), "priority")
    assert client.submit(stale.action, stale.data(priority_by="board")).status_code == 302
    response = client.submit(stale.action, stale.data(priority_by=""), follow_redirects=True)
    assert "Someone changed this item meanwhile" in response.get_data(as_text=True)
    assert fresh(session).get(Recommendation, other.id).priority_by == "board"


def edit(client, item: Recommendation, **values):
    url = f"/recommendations/{item.id}/edit"
    form = rendered_form(page_of(client, url), url)
    return client.submit(url, form.data(**values))


def test_a_moved_deadline_asks_why_and_who_agreed_and_keeps_the_original(make, login, session):
    body = make.body()
    item = make.recommendation(due_date=date(2018, 6, 30))
    assert fresh(session).get(Recommendation, item.id).original_due_date == date(2018, 6, 30)
    client = login(make.user("secretary", name="Sara Sekreterare"))

    response = edit(client, item, due_date="2018-09-30")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="due_date_reason-error"' in page and 'id="due_date_agreed_by-error"' in page
    assert 'value="2018-09-30"' in page  # what was typed is kept
    assert fresh(session).get(Recommendation, item.id).due_date == date(2018, 6, 30)

    response = edit(
        client,
        item,
        due_date="2018-09-30",
        due_date_reason="Upphandlingen överklagades",
        due_date_agreed_by=f"{body.code} 180612 § 101",
    )
    assert response.status_code == 302
    response = edit(
        client,
        item,
        due_date="2018-12-31",
        due_date_reason="Leverantören är försenad",
        due_date_agreed_by="Regiondirektören",
    )
    assert response.status_code == 302
    saved = fresh(session).get(Recommendation, item.id)
    assert (saved.original_due_date, saved.due_date) == (date(2018, 6, 30), date(2018, 12, 31))
    moves = session.exec(select(DateMove).order_by(DateMove.id)).all()
    assert [(m.old_date, m.new_date, m.agreed_by) for m in moves] == [
        (date(2018, 6, 30), date(2018, 9, 30), "RS 180612 § 101"),
        (date(2018, 9, 30), date(2018, 12, 31), "Regiondirektören"),
    ]
    assert moves[0].moved_by_name == "Sara Sekreterare"

    page = page_of(client, f"/recommendations/{item.id}")
    assert "Original date" in page and "2018-06-30" in page
    assert "moved 184 days" in page  # 2018-06-30 to 2018-12-31
    assert "Upphandlingen överklagades" in page and "agreed by RS 180612 § 101" in page
    start = page_of(client, "/")
    assert "1 open item's deadline moved more than once." in start
    assert "moved 2 times" in start


def test_a_measure_moved_without_who_agreed_is_refused_with_the_reason_kept(make, login, session):
    measure = make.measure(due_date=date(2030, 1, 31))
    client = login(make.user("secretary"))
    url = f"/measures/{measure.id}/edit"
    form = rendered_form(page_of(client, url), url)
    response = client.submit(
        url, form.data(due_date="2030-06-30", due_date_reason="Leverantören är försenad")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="due_date_agreed_by-error"' in page and "Leverantören är försenad" in page
    assert fresh(session).get(Measure, measure.id).due_date == date(2030, 1, 31)
    assert session.exec(select(DateMove)).all() == []


def test_the_api_shows_grades_priority_and_the_date_history_and_asks_why_a_date_moves(
    make, login, client, session
):
    item = make.recommendation(due_date=date(2019, 3, 31))
    secretary = make.user("secretary")
    login(secretary)
    grade(client, item, grader="auditors", grade="not", graded_on="2019-04-01", text="Inget gjort")
    headers = bearer(session, secretary)
    url = f"/api/v1/recommendations/{item.id}"
    body = client.get(url, headers=headers).get_json()
    assert body["original_due_date"] == "2019-03-31"
    assert body["priority_by"] == ""
    assert [(g["grader"], g["grade"], g["text"]) for g in body["grades"]] == [
        ("auditors", "not", "Inget gjort")
    ]
    assert body["date_moves"] == []

    refused = client.patch(
        url, json={"version": body["version"], "due_date": "2019-06-30"}, headers=headers
    )
    assert refused.status_code == 422
    fields = {error["field"] for error in refused.get_json()["errors"]}
    assert {"due_date_reason", "due_date_agreed_by"} <= fields
    moved = client.patch(
        url,
        json={
            "version": body["version"],
            "due_date": "2019-06-30",
            "due_date_reason": "Ny upphandling",
            "due_date_agreed_by": "RS 190405 § 60",
        },
        headers=headers,
    )
    assert moved.status_code == 200
    body = moved.get_json()
    assert body["original_due_date"] == "2019-03-31" and body["due_date"] == "2019-06-30"
    assert [(m["old_date"], m["new_date"]) for m in body["date_moves"]] == [
        ("2019-03-31", "2019-06-30")
    ]


def test_the_follow_up_list_and_its_files_show_the_original_date_and_the_slippage(
    make, login, session
):
    body = make.body()
    source = make.source(addressee_id=body.id)
    item = make.recommendation(source, due_date=date(2018, 6, 30), text="Säkra styrningen")
    client = login(make.user("secretary"))
    edit(
        client,
        item,
        due_date="2018-09-30",
        due_date_reason="Upphandlingen överklagades",
        due_date_agreed_by="RS 180612 § 101",
    )
    page = client.get(f"/follow-up?source={source.id}").get_data(as_text=True)
    assert "2018-09-30; originally 2018-06-30, +92 days" in page
    text = client.get(f"/follow-up?source={source.id}&format=csv").get_data(as_text=True)
    assert "originally 2018-06-30, +92 days" in text
    # An update a secretary posted on the owner's behalf names both on the list.
    owner = make.user("owner", name="Ägare Ett")
    fresh(session).get(Recommendation, item.id).responsible_id = owner.id
    session.commit()
    url = f"/recommendations/{item.id}"
    form = rendered_form(page_of(client, url), f"{url}/update")
    client.submit(form.action, form.data(text="Enligt telefon: klart.", on_behalf="y"))
    listed = client.get(f"/follow-up?source={source.id}").get_data(as_text=True)
    assert "Ägare Ett, entered by" in listed
