"""Hostile text: control characters refused at the door, harmless in files, out of mail headers."""

import io
from datetime import date, timedelta

import docx
import openpyxl
import pytest
from flask_wtf import FlaskForm
from sqlalchemy import update
from sqlmodel import select

import tracker
from tests import reminders_support
from tests.conftest import fresh
from tests.html_forms import rendered_form
from tracker.forms import Form
from tracker.models import Measure, Recommendation, StatusUpdate, User
from tracker.reminders.services.run import run_reminders
from tracker.reminders.services.settings import moment_of

inbox = reminders_support.inbox
CONTROL_ERROR = "Remove the invisible control characters"


def _bad(session) -> str:
    """Text with a control character the database itself can hold."""
    # PostgreSQL refuses NUL in any text, so rows holding it exist only on SQLite.
    return "x\x00y\x07z" if session.bind.dialect.name == "sqlite" else "x\x07y\x1bz"


@pytest.mark.parametrize("text", ["x\x00y", "a\x07b", "c\x1bd"])
def test_a_status_update_with_control_characters_is_refused_next_to_the_field(
    make, login, session, text
):
    owner = make.user("owner")
    measure = make.measure(owner_id=owner.id)
    client = login(owner)
    url = f"/measures/{measure.id}/update"
    form = rendered_form(client.get(url).get_data(as_text=True), url).data()
    response = client.post(url, data=form | {"text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="text-error"' in page and CONTROL_ERROR in page
    assert fresh(session).exec(select(StatusUpdate)).all() == []
    # Tabs and line breaks are text, not control.
    fine = client.post(url, data=form | {"text": "Rad ett\r\n\tRad två"})
    assert fine.status_code == 302


def test_a_measure_title_and_a_user_name_with_nul_are_refused(make, login, session):
    client = login(make.user("secretary", name="Sara"))
    measure = make.measure(title="Införa webbtidbok")
    url = f"/measures/{measure.id}/edit"
    form = rendered_form(client.get(url).get_data(as_text=True), url).data()
    response = client.post(url, data=form | {"title": "Införa\x00webbtidbok"})
    assert response.status_code == 400
    assert 'id="title-error"' in response.get_data(as_text=True)

    form = rendered_form(client.get("/settings").get_data(as_text=True), "/settings").data()
    response = client.post("/settings", data=form | {"name": "Sara\x00"})
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)
    assert fresh(session).exec(select(User.name).where(User.name.startswith("Sara"))).all() == [
        "Sara"
    ]
    # Nor can a query string carry them.
    assert client.get("/search?q=a%00b").status_code == 400


def test_every_form_is_built_on_the_one_base_that_refuses_control_characters():
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(FlaskForm) if c.__module__.startswith("tracker.")]
    assert len(ours) > 10
    assert [c.__qualname__ for c in ours if not issubclass(c, Form)] == []


def _stored(session, model, row_id: int, **values) -> None:
    """Write text as it was stored before the rule: past the forms and the write's own net."""
    session.execute(update(model).where(model.id == row_id).values(**values))
    session.commit()


def test_exports_never_fail_on_text_stored_before_the_rule(make, login, session):
    bad = _bad(session)
    author = make.user("owner")
    item = make.recommendation()
    measure = make.measure(recommendations=[item], owner_id=author.id)
    update_row = StatusUpdate(
        recommendation_id=item.id,
        author_id=author.id,
        author_name=author.name,
        reported_on=date(2030, 2, 1),
        text="Lägesrapport",
        status="in_progress",
    )
    session.add(update_row)
    session.commit()
    _stored(session, User, author.id, name=f"Olle {bad}")
    _stored(session, Recommendation, item.id, text=f"Rekommendation {bad}", theme=f"Tema {bad}")
    _stored(session, Measure, measure.id, title=f"Åtgärd {bad}")
    _stored(session, StatusUpdate, update_row.id, text=f"Lägesrapport {bad}", author_name=bad)
    client = login(make.user("viewer"))

    word = client.get("/follow-up?format=docx")
    assert word.status_code == 200
    text = "\n".join(
        p.text
        for t in docx.Document(io.BytesIO(word.data)).tables
        for c in t._cells
        for p in c.paragraphs
    )
    assert "Rekommendation xyz" in text and "Lägesrapport xyz" in text
    excel = client.get("/follow-up?format=xlsx")
    assert excel.status_code == 200
    cells = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(excel.data)).worksheets[0].iter_rows()
        for c in row
    ]
    assert "Rekommendation xyz" in cells
    assert client.get("/follow-up?format=pdf").status_code == 200
    assert client.get("/follow-up?format=csv").status_code == 200


def test_clean_text_command_cleans_rows_that_hold_control_characters(app, make, session):
    bad = _bad(session)
    measure = make.measure()
    user = make.user("owner")
    _stored(session, Measure, measure.id, title=f"Åtgärd {bad}")
    _stored(session, User, user.id, name=f"Olle {bad}")
    result = app.test_cli_runner().invoke(args=["clean-text"])
    assert result.exit_code == 0, result.output
    assert "measure: 1 rows cleaned" in result.output and "user: 1 rows cleaned" in result.output
    fresh(session)
    assert session.get(Measure, measure.id).title == "Åtgärd xyz"
    assert session.get(User, user.id).name == "Olle xyz"
    again = app.test_cli_runner().invoke(args=["clean-text"])
    assert "0 rows cleaned in all" in again.output


def test_a_title_with_a_line_break_still_gets_its_single_line_reminder(make, session, inbox):
    owner = make.user("owner", name="Olle\r\nBcc: ägare@evil.example")
    thursday = date(2021, 5, 13)
    measure = make.measure(
        owner_id=owner.id,
        due_date=thursday + timedelta(days=1),
        title="Införa\r\nBcc: angripare@evil.example",
    )
    outcomes = run_reminders(now=moment_of(thursday))
    assert outcomes and all(o.sent for o in outcomes)
    (mail,) = [m for m in inbox.to(owner.email) if "measure" in m["X-Tracker-Reminder"]]
    assert mail["Subject"] == (
        "Reminder: the measure “Införa Bcc: angripare@evil.example” by 2021-05-14"
    )
    assert mail["Bcc"] is None
    assert [a.addr_spec for a in mail["To"].addresses] == [owner.email]
    assert mail["To"].addresses[0].display_name == "Olle Bcc: ägare@evil.example"
    assert not any("evil" in address for envelope in inbox.envelopes for address in envelope)
    assert measure.id in {o.due.item.id for o in outcomes if o.due.item}
