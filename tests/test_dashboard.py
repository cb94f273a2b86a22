"""The start page: the user's own items, and the overview for secretaries and readers."""

import re
from datetime import timedelta

import pytest

from tests.test_pages import QueryCounter
from tracker.dates import today
from tracker.models import Meeting


def section(page: str, heading_id: str) -> str:
    """Return the text of the page's section labelled by this heading."""
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:end]))


@pytest.fixture
def world(make, session):
    """Two bodies, two units, a source each, items overdue, due soon, later and closed."""
    rs, rev = make.body("RS", "Regionstyrelsen"), make.body("REV", "Revisorerna")
    kiruna, kalix = make.unit("Hälsocentral Kiruna"), make.unit("Hälsocentral Kalix")
    owner = make.user("owner")
    audit = make.source(title="Granskning av 1177", issuer_id=rev.id, addressee_id=rs.id)
    plan = make.source(title="Internkontrollplan", kind="plan", issuer_id=rs.id)
    late = make.recommendation(
        audit, text="Försenad rekommendation", due_date=today() - timedelta(5), unit_id=kiruna.id
    )
    make.recommendation(audit, text="Stängd rekommendation", status="closed")
    make.recommendation(plan, text="Pågående uppdrag", status="in_progress")
    make.measure(
        [late],
        title="Försenad åtgärd",
        owner_id=owner.id,
        unit_id=kiruna.id,
        due_date=today() - timedelta(2),
    )
    make.measure(title="Snart klar åtgärd", owner_id=owner.id, due_date=today() + timedelta(10))
    make.measure(title="Avlägsen åtgärd", owner_id=owner.id, due_date=today() + timedelta(200))
    make.measure(title="Kalix åtgärd", unit_id=kalix.id, due_date=today() - timedelta(1))
    meeting = Meeting(body_id=rs.id, held_on=today() + timedelta(14), title="Sammanträde")
    session.add(meeting)
    session.commit()
    make.recommendation(plan, text="Återrapport till mötet", due_meeting_id=meeting.id)
    return owner


def test_the_start_page_shows_an_owner_what_is_theirs_and_due_soon(world, login):
    page = login(world).get("/").get_data(as_text=True)
    mine = section(page, "mine-heading")
    assert "3 open measures" in mine and "2 overdue" not in mine
    assert "Försenad åtgärd" in mine and "Overdue" in mine
    assert "Snart klar åtgärd" in mine and "Avlägsen åtgärd" not in mine
    assert mine.index("Försenad åtgärd") < mine.index("Snart klar åtgärd")
    assert "by-body-heading" not in page  # owners see their own items only


def test_the_overview_counts_by_status_body_source_unit_and_lists_deadlines(world, make, login):
    page = login(make.user("viewer")).get("/").get_data(as_text=True)
    by_body = section(page, "by-body-heading")
    # RS must act on the audit report (addressee) and on its own plan (issuer).
    assert "Body Open In progress Closed Total Regionstyrelsen 2 1 1 4" in by_body
    assert "Revisorerna" not in by_body
    by_source = section(page, "by-source-heading")
    assert "Granskning av 1177" in by_source and "Internkontrollplan" in by_source
    overdue = section(page, "overdue-heading")
    assert re.search(r"Hälsocentral Kiruna 1 1 2", overdue)
    assert re.search(r"Hälsocentral Kalix 1 0 1", overdue)
    assert overdue.index("Kiruna") < overdue.index("Kalix")
    upcoming = section(page, "upcoming-heading")
    assert "Snart klar åtgärd" in upcoming and "Återrapport till mötet" in upcoming
    assert "Avlägsen åtgärd" not in upcoming and "Försenad åtgärd" not in upcoming
    meetings = section(page, "meetings-heading")
    assert (today() + timedelta(14)).isoformat() in meetings and "Regionstyrelsen 1" in meetings
    assert page.count('role="img"') == 5 and "<svg" in page


def test_a_secretary_sees_a_to_do_list_who_is_late_and_iso_weeks(world, make, login):
    page = login(make.user("secretary")).get("/").get_data(as_text=True)
    todo = section(page, "todo-heading")
    # Nobody answers for the seeded recommendations: each is a task with a link to fix it.
    assert "3 open items lack a responsible person or a body." in todo
    assert "Försenad rekommendation" in todo and "No responsible person" in todo
    assert "Stängd rekommendation" not in todo  # closed: nothing to do
    assert re.search(r'href="/recommendations/\d+/edit"', page)
    late = section(page, "late-heading")
    assert re.search(rf"{world.name} 1 0 1", late)  # the overdue measure, by its owner
    weeks = section(page, "upcoming-heading")
    monday = today() - timedelta(days=today().weekday())
    assert f"wk {monday.isocalendar().week} " in weeks  # this ISO week, Monday first
    assert f"Week from {today().isoformat()}" not in weeks
    by_body_chart = page[
        page.index('id="chart-body-title"') : page.index(
            "<table", page.index('id="chart-body-title"')
        )
    ]
    assert "No body" not in by_body_chart  # no bar for items without a body


def test_indicators_that_missed_their_target_are_listed(world, session, login, make):
    from tracker.models import Indicator, Outcome

    missed = Indicator(
        code="TEL", name="Telefontillgänglighet", perspective="Medborgare", target_value=95
    )
    reached = Indicator(
        code="MB3", name="Medicinsk bedömning", perspective="Verksamhet", target_value=90
    )
    session.add_all([missed, reached])
    session.commit()
    session.add_all(
        [
            Outcome(indicator_id=missed.id, year=2022, period="year", value=81),
            Outcome(indicator_id=reached.id, year=2022, period="year", value=92),
        ]
    )
    session.commit()
    page = login(make.user("secretary")).get("/").get_data(as_text=True)
    section = page[page.index("missed-heading") :]
    assert "Telefontillgänglighet" in section and "81 %" in section
    assert "Medicinsk bedömning" not in section


@pytest.mark.parametrize("role", ["viewer", "owner"])
def test_the_start_page_runs_the_same_number_of_queries_for_5_and_50_rows(
    make, login, session, app, role
):
    user = make.user(role)
    client = login(user)
    body = make.body()

    def add(n):
        source = make.source(issuer_id=body.id, response_due=today() + timedelta(3))
        for i in range(n):
            due = today() + timedelta(days=i % 40 - 10)
            rec = make.recommendation(source, responsible_id=user.id, due_date=due)
            make.measure([rec], owner_id=user.id, unit_id=make.unit().id, due_date=due)
            session.add(
                Meeting(
                    body_id=body.id, held_on=today() + timedelta(days=len(source.title) + i * 7)
                )
            )
        session.commit()

    def count():
        with QueryCounter(app.extensions["tracker.engine"]) as counter:
            assert client.get("/").status_code == 200
        return counter.count

    add(5)
    few = count()
    add(45)
    assert count() == few
