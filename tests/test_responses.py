"""Answering an audit report: addressees, the response, its Word draft, adoption, reminders."""

import csv
import io
import shutil
import subprocess
from datetime import date, timedelta

import docx
import lxml.html
import pypdf
import pytest
from docx.oxml.ns import qn
from sqlmodel import select

from tests import reminders_support
from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.reminders_support import bodies
from tracker.dates import today
from tracker.models import (
    Body,
    Measure,
    Meeting,
    PromisedMeasure,
    Recommendation,
    ReminderRun,
    Response,
    Source,
    SourceAddressee,
    StatusUpdate,
    utcnow,
)
from tracker.reminders.services.run import run_reminders
from tracker.reminders.services.settings import moment_of

inbox = reminders_support.inbox

RESPONSE_DUE = date(2021, 5, 20)
TITLE = "Granskning av regionens arbete med 1177"
POINTS = (
    "Att aktiva åtgärder vidtas för att säkerställa en systematisk uppföljning och utvärdering "
    "av 1177 vårdguidens tjänster inom regionen.",
    "Att styrelsen överväger att sätta tillgänglighetsmål för 1177 vad gäller bl a svarstid.",
)


def submit(client, url: str, changes: dict, *, action: str | None = None):
    """Open the page, fill in its form as rendered with the changes, and post it."""
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    values = rendered_form(page.get_data(as_text=True), action or url).data()
    values.update(changes)
    return client.post(action or url, data=values)


def option_value(html: str, name: str, text: str) -> str:
    """Return the value of the option whose label starts with text in the select called name."""
    page = lxml.html.fromstring(html)
    for option in page.xpath(f'//select[@name="{name}"]/option'):
        if option.text_content().strip().startswith(text):
            return option.get("value")
    raise AssertionError(f"no option {text!r} in {name}")


@pytest.fixture
def world(make, session):
    """Two boards, the auditors, the drafter with a manager, and people who must not be told."""
    rs = make.body("RS", "Regionstyrelsen")
    hsn = make.body("HSN", "Hälso- och sjukvårdsnämnden")
    make.body("REV", "Region Norrbottens revisorer")
    director = make.user("owner", name="Regiondirektören")
    region = make.unit("Region Norrbotten", manager_id=director.id)
    manager = make.user("owner", name="Divisionschef")
    division = make.unit("Division Nära", parent_id=region.id, manager_id=manager.id)
    drafter = make.user("owner", name="Utredare Ulla", unit_id=division.id)
    # A secretary in another region's tree, whose director must never hear of this.
    elsewhere_director = make.user("owner", name="Annan regions direktör")
    elsewhere = make.unit("Annan region", manager_id=elsewhere_director.id)
    secretary = make.user("secretary", name="Sekreterare Siv", unit_id=elsewhere.id)
    for user in (director, manager, drafter, elsewhere_director, secretary):
        user.digest = False
    session.commit()
    return type(
        "World",
        (),
        dict(rs=rs, hsn=hsn, manager=manager, drafter=drafter, secretary=secretary),
    )


def register_004(client, world) -> Source:
    """Register the auditors' letter with two addressees and two recommendations, by the forms."""
    page = client.get("/sources/new").get_data(as_text=True)
    values = rendered_form(page, "/sources/new").data()
    values.update(
        kind="audit_report",
        title=TITLE,
        dnr="REV-2021-7",
        issuer_id=option_value(page, "issuer_id", "REV"),
        firm="PwC",
        issued_on="2021-02-15",
        response_due=RESPONSE_DUE.isoformat(),
    )
    values["addressees"] = [str(world.rs.id), str(world.hsn.id)]
    response = client.post("/sources/new", data=values)
    assert response.status_code == 302, response.get_data(as_text=True)
    source_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    for number, text in enumerate(POINTS, start=1):
        url = f"/recommendations/new?source_id={source_id}"
        response = submit(
            client,
            url,
            {"number": str(number), "kind": "recommendation", "text": text, "status": "open"},
            action="/recommendations/new",
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    return source_id


def response_of(session, source_id: int, body: Body) -> Response:
    fresh(session)
    return session.exec(
        select(Response).where(Response.source_id == source_id, Response.body_id == body.id)
    ).one()


def draft(client, session, world, source_id: int) -> Response:
    """Draft RS's answer: a drafter, positions, answers, and two promised measures."""
    response = response_of(session, source_id, world.rs)
    items = session.exec(select(Recommendation).where(Recommendation.source_id == source_id)).all()
    url = f"/responses/{response.id}/edit"
    page = client.get(url).get_data(as_text=True)
    changes = {
        "status": "drafting",
        "responsible_id": option_value(page, "responsible_id", "Utredare Ulla"),
        "response_due": RESPONSE_DUE.isoformat(),
        f"position_{items[0].id}": "agrees",
        f"answer_{items[0].id}": "Regionstyrelsen delar revisorernas bedömning.",
        f"position_{items[1].id}": "partly_agrees",
        f"answer_{items[1].id}": "Mål sätts för svarstid men inte för svarsfrekvens.",
        "proposed_decision": "Regionstyrelsen beslutar att avge yttrande enligt förslaget.",
    }
    result = submit(client, url, changes)
    assert result.status_code == 302, result.get_data(as_text=True)
    for item, title, due in (
        (items[0], "Inför uppföljning av e-tjänsterna per hälsocentral", "2021-12-31"),
        (items[1], "Besluta om mål för svarstid i 1177", "2022-03-31"),
    ):
        page = client.get(f"/responses/{response.id}").get_data(as_text=True)
        values = rendered_form(page, f"/responses/{response.id}/measures").data()
        values.update(
            recommendation_id=str(item.id),
            title=title,
            owner_id=option_value(page, "owner_id", "Divisionschef"),
            due_date=due,
        )
        result = client.post(f"/responses/{response.id}/measures", data=values)
        assert result.status_code == 302, result.get_data(as_text=True)
    return response_of(session, source_id, world.rs)


def test_a_report_to_two_bodies_gets_a_response_each_and_counts_once_per_body(
    make, session, login, world
):
    client = login(make.user("secretary", name="Registrator"))
    source_id = register_004(client, world)

    fresh(session)
    addressees = session.exec(
        select(SourceAddressee.body_id).where(SourceAddressee.source_id == source_id)
    ).all()
    assert sorted(addressees) == sorted([world.rs.id, world.hsn.id])
    responses = session.exec(select(Response).where(Response.source_id == source_id)).all()
    assert sorted(r.body_id for r in responses) == sorted([world.rs.id, world.hsn.id])
    assert all(r.response_due == RESPONSE_DUE for r in responses)
    page = client.get(f"/sources/{source_id}").get_data(as_text=True)
    assert "Hälso- och sjukvårdsnämnden, Regionstyrelsen" in page
    dashboard = " ".join(lxml.html.fromstring(client.get("/").data).text_content().split())
    # Two recommendations, each counted for both addressees.
    assert "Body Open Total Hälso- och sjukvårdsnämnden 2 2 Regionstyrelsen 2 2" in dashboard


def follow_up_groups(client, query: str) -> tuple[str, dict[str, list[str]]]:
    """Return the list page's item count and, per group heading, the text of each row."""
    page = lxml.html.fromstring(client.get(f"/follow-up?{query}").data)
    count = page.xpath('//dl[@class="followup-meta"]/dt[.="Items"]/following-sibling::dd[1]')
    groups = {}
    # A group is a section of its own (compact view) or a part of the one table (full view).
    for section in page.xpath('//*[@class="followup-group"]'):
        heading = section.xpath('.//*[contains(@class, "group-heading")]')[0].text_content()
        groups[heading] = [
            " ".join(row.text_content().split())
            for row in section.xpath('.//tr[contains(@class, "followup-row")]')
        ]
    return count[0].text_content().strip(), groups


def test_the_follow_up_list_lists_an_item_once_per_addressee_and_filters_by_any_of_them(
    make, session, login, world
):
    client = login(make.user("secretary", name="Registrator"))
    register_004(client, world)

    count, groups = follow_up_groups(client, "group=body&view=full")
    assert count == "4"
    assert sorted(groups) == ["Hälso- och sjukvårdsnämnden", "Regionstyrelsen"]
    for name, code in (("Hälso- och sjukvårdsnämnden", "HSN"), ("Regionstyrelsen", "RS")):
        rows = groups[name]
        assert len(rows) == 2
        for row, point in zip(rows, POINTS, strict=True):
            assert point[:60] in row and f"Addressee: {code}" in row
    # Filtered by one addressee: its own rows, once each, under its name.
    for body, name in ((world.hsn, "Hälso- och sjukvårdsnämnden"), (world.rs, "Regionstyrelsen")):
        count, groups = follow_up_groups(client, f"body={body.id}&group=body")
        assert count == "2" and list(groups) == [name] and len(groups[name]) == 2
    count, groups = follow_up_groups(client, "group=theme")
    assert count == "4"

    # The files share the report: one line per item and addressee.
    export = client.get("/follow-up?group=body&format=csv")
    lines = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    assert sorted((line["Body"], line["Addressee"]) for line in lines) == [
        ("Hälso- och sjukvårdsnämnden", "HSN"),
        ("Hälso- och sjukvårdsnämnden", "HSN"),
        ("Regionstyrelsen", "RS"),
        ("Regionstyrelsen", "RS"),
    ]
    export = client.get(f"/follow-up?body={world.hsn.id}&format=docx")
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(export.data)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert text.count("Addressee: HSN") == 2 and "Addressee: RS" not in text

    # The dashboard and the recommendations list count the items for each addressee too.
    dashboard = " ".join(lxml.html.fromstring(client.get("/").data).text_content().split())
    assert "Hälso- och sjukvårdsnämnden 2 2 Regionstyrelsen 2 2" in dashboard
    for body in (world.rs, world.hsn):
        page = lxml.html.fromstring(client.get(f"/recommendations/?body={body.id}").data)
        listed = " ".join(page.text_content().split())
        assert all(point[:60] in listed for point in POINTS), body.code


def test_the_answer_is_drafted_exported_to_word_adopted_and_frozen(make, session, login, world):
    client = login(make.user("secretary", name="Registrator"))
    source_id = register_004(client, world)
    response = draft(client, session, world, source_id)

    promised = session.exec(select(PromisedMeasure)).all()
    assert len(promised) == 2
    measures = session.exec(select(Measure).order_by(Measure.id)).all()
    assert [m.owner_id for m in measures] == [world.manager.id] * 2
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Partly agrees" in page and "Besluta om mål för svarstid i 1177" in page

    word = client.get(f"/sources/{source_id}/response.docx?body={world.rs.id}")
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.data))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", f"Yttrande över revisionsrapport {TITLE}") in headings
    assert ("Heading 2", "Rekommendation 2") in headings
    assert ("Heading 1", "Förslag till beslut") in headings
    numbered = [
        p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert [p.text.split(" – ")[0] for p in numbered] == [
        "Inför uppföljning av e-tjänsterna per hälsocentral",
        "Besluta om mål för svarstid i 1177",
    ]
    # Each recommendation's list of measures starts again at 1.
    assert len({p._p.pPr.numPr.numId.val for p in numbered}) == 2
    assert "Regionstyrelsen instämmer delvis" in "\n".join(p.text for p in document.paragraphs)
    footer = document.sections[0].footer.paragraphs[0]._p
    assert "PAGE" in "".join(t.text for t in footer.iter(qn("w:instrText")))
    properties = document.core_properties
    assert properties.title == f"Yttrande över revisionsrapport {TITLE}"
    assert properties.author == "Regionstyrelsen"
    assert properties.created.date() >= utcnow().date() - timedelta(days=1)

    text = pdf_text(word.data)
    for expected in (
        "Yttrande över revisionsrapport",
        "Regionstyrelsen instämmer delvis",
        "Besluta om mål för svarstid i 1177",
        "Divisionschef",
        "Förslag till beslut",
        "Sida 1 av",
    ):
        assert expected in text, expected

    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    values = rendered_form(page, f"/responses/{response.id}/adopt").data()
    values.update(adopted_on="", paragraph="", dnr="", decision_text="Kept text")
    refused = client.post(f"/responses/{response.id}/adopt", data=values)
    assert refused.status_code == 422
    assert "Kept text" in refused.get_data(as_text=True)
    values.update(adopted_on="2021-05-11", paragraph="§ 94", dnr="RS-00321-2021")
    adopted = client.post(f"/responses/{response.id}/adopt", data=values)
    assert adopted.status_code == 302

    response = response_of(session, source_id, world.rs)
    assert (response.status, response.paragraph, response.dnr) == ("adopted", "94", "RS-00321-2021")
    assert len(response.fingerprint) == 64
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Unchanged since adoption" in page and "RS-00321-2021" in page
    assert f"/responses/{response.id}/edit" not in page
    assert client.get(f"/responses/{response.id}/edit").status_code == 302
    # A later change to a promised measure does not change the adopted answer.
    measure = session.exec(select(Measure).order_by(Measure.id)).first()
    measure.title = "Ändrad titel"
    session.commit()
    adopted_word = docx.Document(io.BytesIO(client.get(f"/sources/{source_id}/response.docx").data))
    all_text = "\n".join(p.text for p in adopted_word.paragraphs)
    assert "Inför uppföljning av e-tjänsterna" in all_text and "Ändrad titel" not in all_text
    assert "§ 94" in all_text


def pdf_text(data: bytes) -> str:
    """Convert a .docx with LibreOffice and return the PDF's text."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (libreoffice-writer-nogui) is needed"
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "yttrande.docx"
        source.write_bytes(data)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        reader = pypdf.PdfReader(Path(folder) / "yttrande.pdf")
        return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_reminders_name_the_response_reach_its_drafter_escalate_to_their_manager_and_stop(
    make, session, login, world, inbox
):
    client = login(make.user("secretary", name="Registrator"))
    source_id = register_004(client, world)
    response = draft(client, session, world, source_id)
    world.drafter.language = "sv"
    session.commit()

    before = run_reminders(now=moment_of(RESPONSE_DUE - timedelta(days=7)))

    responses = [o for o in before if o.due.item_type == "response"]
    assert [o.due.recipient.email for o in responses] == [world.drafter.email]
    (mail,) = inbox.to(world.drafter.email)
    assert mail["Subject"].startswith("Yttrande till revisorerna senast 2021-05-20")
    text, _html = bodies(mail)
    assert "ansvarig för att ta fram yttrandet" in text

    late = run_reminders(now=moment_of(RESPONSE_DUE + timedelta(days=15)))

    told = sorted(o.due.recipient.name for o in late if o.due.item_type == "response")
    assert told == ["Divisionschef", "Utredare Ulla"]
    (escalation,) = inbox.to(world.manager.email)
    text, _html = bodies(escalation)
    assert "manager of Division Nära, the unit of Utredare Ulla" in text

    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    values = rendered_form(page, f"/responses/{response.id}/adopt").data()
    values.update(
        adopted_on="2021-06-08", paragraph="120", dnr="RS-00321-2021", decision_text="Antaget."
    )
    assert client.post(f"/responses/{response.id}/adopt", data=values).status_code == 302

    after = run_reminders(now=moment_of(RESPONSE_DUE + timedelta(days=21)))
    assert [o for o in after if o.due.item_type.startswith("response")] == []


def test_the_input_and_a_report_back_are_reminded_in_their_own_words_to_their_own_people(
    make, session, login, world, inbox
):
    client = login(make.user("secretary", name="Registrator"))
    source_id = register_004(client, world)
    response = draft(client, session, world, source_id)
    contact = make.user("owner", name="Kontakt Karin", language="sv")
    contact.digest = False
    session.commit()
    url = f"/responses/{response.id}/edit"
    page = client.get(url).get_data(as_text=True)
    changes = {
        "input_contact_id": option_value(page, "input_contact_id", "Kontakt Karin"),
        "input_due": "2021-04-30",
    }
    assert submit(client, url, changes).status_code == 302
    decision = make.source(kind="decision", title="RS uppdrag 2021", issuer_id=world.rs.id)
    make.recommendation(
        decision,
        kind="assignment",
        text="Återrapportera arbetet med 1177 till styrelsen.",
        responsible_id=contact.id,
        due_date=date(2021, 5, 3),
    )

    sent = run_reminders(now=moment_of(date(2021, 4, 26)))

    assert {(o.due.item_type, o.due.recipient.name) for o in sent} >= {
        ("response_input", "Kontakt Karin"),
        ("recommendation", "Kontakt Karin"),
    }
    subjects = sorted(mail["Subject"] for mail in inbox.to(contact.email))
    assert subjects[0] == f"Underlag till yttrandet senast 2021-04-30: {TITLE}"
    assert subjects[1].startswith("Återrapportering till regionstyrelsen senast 2021-05-03: ")
    texts = {mail["Subject"][:10]: bodies(mail)[0] for mail in inbox.to(contact.email)}
    assert "eftersom du är kontaktperson för underlaget till yttrandet" in texts["Underlag t"]
    assert "eftersom du är ansvarig för ärendet ovan" in texts["Återrappor"]
    # Nobody else is reminded of the input or the report-back.
    assert {o.due.recipient.name for o in sent if o.due.item_type != "response"} == {
        "Kontakt Karin"
    }


def test_a_secretary_who_asked_for_copies_is_told_as_the_bodys_secretary(
    make, session, world, inbox
):
    source = make.source(title=TITLE, addressee_id=world.rs.id, response_due=RESPONSE_DUE)
    session.add(
        Response(
            source_id=source.id,
            body_id=world.rs.id,
            response_due=RESPONSE_DUE,
            responsible_id=world.drafter.id,
        )
    )
    world.rs.secretary_id = world.secretary.id
    world.secretary.escalation_copies = True
    # Reminders began before the deadline: a first run never chases what was already late.
    session.add(ReminderRun(started_at=moment_of(RESPONSE_DUE - timedelta(days=30))))
    session.commit()

    late = run_reminders(now=moment_of(RESPONSE_DUE + timedelta(days=15)))

    assert sorted(o.due.recipient.name for o in late) == [
        "Divisionschef",
        "Sekreterare Siv",
        "Utredare Ulla",
    ]
    (copy,) = inbox.to(world.secretary.email)
    text, _html = bodies(copy)
    assert "as secretary of Regionstyrelsen, because you asked for copies" in text


def item_page(client, item_id: int) -> str:
    """Return the item's page as a reader sees its text."""
    page = client.get(f"/recommendations/{item_id}").get_data(as_text=True)
    return " ".join(lxml.html.fromstring(page).text_content().split())


def report_and_read(client, item_id: int, reports: tuple, text: str) -> None:
    """Report back on each day through the update form; the item's page then shows the next date."""
    for reported, following in reports:
        form = client.get(f"/recommendations/{item_id}/update").get_data(as_text=True)
        values = rendered_form(form, f"/recommendations/{item_id}/update").data()
        values.update(text=text, status="reported", reported_on=str(reported))
        assert client.post(f"/recommendations/{item_id}/update", data=values).status_code == 302
        assert f"next: {following}" in item_page(client, item_id)


def test_a_recurring_report_back_gets_its_next_deadline_after_each_meeting(
    make, session, login, world
):
    for day in (date(2030, 2, 10), date(2030, 4, 20), date(2030, 6, 15)):
        session.add(Meeting(body_id=world.rs.id, held_on=day))
    session.commit()
    secretary = make.user("secretary", name="Registrator")
    client = login(secretary)
    decision = make.source(kind="decision", title="RS 2017 uppdrag", issuer_id=world.rs.id)
    page = client.get(f"/recommendations/new?source_id={decision.id}").get_data(as_text=True)
    values = rendered_form(page, "/recommendations/new").data()
    values.update(
        kind="assignment",
        text="Återrapportera arbetet med tillgänglighet vid varje sammanträde.",
        status="open",
        responsible_id="Utredare Ulla",
        recurrence="every_meeting",
        due_body_id=str(world.rs.id),
    )
    assert client.post("/recommendations/new", data=values).status_code == 302
    item = fresh(session).exec(select(Recommendation)).one()
    # Not reported yet: due at the body's next meeting, whenever the row was entered.
    item.created_at = item.created_at.replace(year=2030, month=5, day=5)
    session.commit()

    assert "At every meeting (Regionstyrelsen); next: 2030-02-10" in item_page(client, item.id)
    report_and_read(
        client,
        item.id,
        ((date(2030, 2, 10), "2030-04-20"), (date(2030, 4, 20), "2030-06-15")),
        "Lägesrapport till mötet.",
    )
    assert len(fresh(session).exec(select(StatusUpdate)).all()) == 2
    # The follow-up list and its files show the next deadline too, not the first.
    _count, groups = follow_up_groups(client, f"body={world.rs.id}&view=full")
    (row,) = [row for rows in groups.values() for row in rows]
    assert "Report back: at every meeting (2030-06-15)" in row
    export = client.get(f"/follow-up?body={world.rs.id}&format=csv")
    (line,) = csv.DictReader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";")
    assert line["Deadline"] == "2030-06-15"


def test_a_yearly_report_back_moves_to_the_same_date_next_year_after_each_report(
    make, session, login, world
):
    client = login(make.user("secretary", name="Registrator"))
    decision = make.source(kind="decision", title="RS 2017 uppdrag", issuer_id=world.rs.id)
    page = client.get(f"/recommendations/new?source_id={decision.id}").get_data(as_text=True)
    values = rendered_form(page, "/recommendations/new").data()
    values.update(
        kind="assignment",
        text="Återrapportera arbetet med kompetensförsörjning årligen.",
        status="open",
        recurrence="yearly",
        due_date="2030-03-31",
    )
    assert client.post("/recommendations/new", data=values).status_code == 302
    item = fresh(session).exec(select(Recommendation)).one()
    assert "Every year; next: 2030-03-31" in item_page(client, item.id)
    # Reported early, then late: each report answers its own year's date.
    report_and_read(
        client,
        item.id,
        ((date(2030, 3, 20), "2031-03-31"), (date(2031, 4, 2), "2032-03-31")),
        "Årets återrapport.",
    )


def test_a_follow_up_review_assesses_a_2017_recommendation_on_its_page_and_the_dashboard(
    make, session, login, world
):
    earlier = make.source(title="Granskning av bisysslor", issued_on=date(2017, 3, 1))
    partly = make.recommendation(earlier, number="1", text="Skärp internkontrollen.")
    missed = make.recommendation(earlier, number="2", text="Jämför Bolagsverkets uppgifter.")
    secretary = make.user("secretary", name="Registrator")
    client = login(secretary)
    page = client.get("/sources/new").get_data(as_text=True)
    values = rendered_form(page, "/sources/new").data()
    values.update(
        kind="audit_report",
        title="Bisysslor, uppföljande granskning",
        issued_on="2018-04-10",
        follows_id=option_value(page, "follows_id", "Granskning av bisysslor"),
    )
    response = client.post("/sources/new", data=values)
    assert response.status_code == 302, response.get_data(as_text=True)
    review_id = int(response.headers["Location"].rstrip("/").split("/")[-1])

    for item, assessment in ((partly, "partly_addressed"), (missed, "not_addressed")):
        page = client.get(f"/sources/{review_id}").get_data(as_text=True)
        values = rendered_form(page, f"/sources/{review_id}/findings").data()
        values.update(
            recommendation_id=str(item.id),
            assessment=assessment,
            text="Rutinen finns men följs inte överallt.",
        )
        assert client.post(f"/sources/{review_id}/findings", data=values).status_code == 302
    refused = client.post(
        f"/sources/{review_id}/findings",
        data=rendered_form(client.get(f"/sources/{review_id}").data.decode(), "/findings").data()
        | {"text": "Behålls"},
    )
    assert refused.status_code == 422 and "Behålls" in refused.get_data(as_text=True)

    secretary.language = "sv"
    session.commit()
    page = client.get(f"/recommendations/{partly.id}").get_data(as_text=True)
    text = " ".join(lxml.html.fromstring(page).text_content().split())
    assert "Revisorernas uppföljning" in text
    assert "Delvis åtgärdad – Bisysslor, uppföljande granskning" in text
    dashboard = " ".join(lxml.html.fromstring(client.get("/").data).text_content().split())
    assert "fann 1 rekommendation ej åtgärdad" in dashboard


def test_a_reported_item_is_not_overdue_and_a_boards_formula_decides_what_closes(
    make, session, login, world
):
    past = today() - timedelta(days=30)
    reported = make.recommendation(text="Rapporterad punkt", due_date=past, status="reported")
    ongoing = make.recommendation(text="Pågående punkt", due_date=past, status="in_progress")
    client = login(make.user("secretary", name="Registrator"))
    page = client.get("/recommendations/?overdue=1").get_data(as_text=True)
    assert "Pågående punkt" in page and "Rapporterad punkt" not in page

    for item, formula, status in (
        (reported, "answered", "closed"),
        (ongoing, "approve_ongoing", "in_progress"),
    ):
        page = client.get(f"/follow-up/close?item={item.id}").get_data(as_text=True)
        values = rendered_form(page, "/follow-up/close").data()
        values.update(
            item=str(item.id),
            formula=formula,
            body_id=str(world.rs.id),
            decided_on="2021-06-08",
            paragraph="121",
            dnr="RS-00400-2021",
            text="Regionstyrelsen beslutar enligt förslaget.",
        )
        response = client.post("/follow-up/close", data=values)
        assert response.status_code == 302, response.get_data(as_text=True)
        assert fresh(session).get(Recommendation, item.id).status == status
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "RS 210608 § 121, dnr RS-00400-2021" in page


def test_values_the_seed_assumed_are_shown_as_assumed(make, session, login):
    from tracker.config import ROOT
    from tracker.seed import load_seed

    load_seed(session, ROOT / "seed")
    session.commit()
    e_services = session.exec(
        select(Recommendation).where(Recommendation.due_period == "våren 2018")
    ).one()
    measure = next(m for m in session.exec(select(Measure)) if m.assumed)
    reader = make.user("viewer", language="sv")
    client = login(reader)
    client.get("/language/sv")  # the header's link: the test browser says English

    page = client.get(f"/recommendations/{e_services.id}").get_data(as_text=True)
    text = " ".join(lxml.html.fromstring(page).text_content().split())
    assert "våren 2018 (senast 2018-06-30)" in text
    assert "antaget" in text
    page = client.get(f"/measures/{measure.id}").get_data(as_text=True)
    assert "antaget" in page


def test_lists_filtered_by_a_body_include_the_reports_addressed_to_it_among_others(
    make, session, login, world
):
    client = login(make.user("secretary", name="Registrator"))
    source_id = register_004(client, world)

    for url in ("/sources/", "/recommendations/"):
        for body in (world.rs, world.hsn):
            page = client.get(f"{url}?body={body.id}").get_data(as_text=True)
            assert (TITLE if url == "/sources/" else POINTS[0][:60]) in page, (url, body.code)
    page = client.get(f"/sources/?body={world.rs.id + world.hsn.id + 99}").get_data(as_text=True)
    assert TITLE not in page
    assert f"/sources/{source_id}" in client.get("/sources/").get_data(as_text=True)


def test_a_secretary_is_set_on_the_body_and_asks_for_copies_in_their_settings(
    make, session, login, world
):
    client = login(world.secretary)
    html = client.get("/settings").get_data(as_text=True)
    values = rendered_form(html, "/settings").data()
    values["escalation_copies"] = "y"
    saved = client.post("/settings", data=values)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/settings")
    assert fresh(session).get(type(world.secretary), world.secretary.id).escalation_copies

    client.post("/logout", data={"csrf_token": client.csrf()})
    fresh(session)  # signing out wrote a new session token since the snapshot above
    client = login(make.user("admin", name="Admin"))
    url = next(
        rule.rule.replace("<int:body_id>", str(world.rs.id))
        for rule in client.application.url_map.iter_rules()
        if rule.endpoint == "meetings.edit_body"
    )
    html = client.get(url).get_data(as_text=True)
    values = rendered_form(html, url).data()
    values["secretary_id"] = option_value(html, "secretary_id", "Sekreterare Siv")
    assert client.post(url, data=values).status_code == 302
    assert fresh(session).get(Body, world.rs.id).secretary_id == world.secretary.id
