"""The board's answer to the auditors: chased until adopted, written as a region writes it."""

import csv
import io
import re
import subprocess
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from docx.shared import Mm
from sqlmodel import select

from tests import reminders_support
from tests.conftest import QueryCounter, fresh
from tests.html_forms import rendered_form
from tests.report_files import to_pdf
from tests.test_responses import option_value
from tests.test_responses import submit as post_form
from tracker.models import Body, Recommendation, Response, Source, User
from tracker.responses.services import adopt, ensure_responses, save_answers, set_addressees

inbox = reminders_support.inbox

TITLE = "Granskning av regionens arbete med 1177"
RS_SECRETARY = "rs.sekreterare@norrbotten.example"
HSN_SECRETARY = "hsn.sekreterare@norrbotten.example"
DRAFTER = "regiondirektor@norrbotten.example"
DRAFTER_PASSWORD = "Fjällbjörk-1177-yttrande"


def text_of(html: str | bytes) -> str:
    """Return a page's text as a reader sees it, spaces collapsed."""
    return " ".join(lxml.html.fromstring(html).text_content().split())


def seeded(seed, app, session, make, login):
    """Load the seed as `flask seed` does and sign an administrator in, in Swedish."""

    def load():
        assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0

    seed("flask seed", load)
    admin = make.user("admin", name="Administratör")
    client = login(admin)
    # The first sign-in took the test browser's language: the administrator wants Swedish.
    fresh(session).get(User, admin.id).language = "sv"
    session.commit()
    return client


def give_address(client, session, email: str, new: str, **changes) -> User:
    """Give a seeded user a real address (and more) through the administrators' user form."""
    user = fresh(session).exec(select(User).where(User.email == email)).one()
    result = post_form(client, f"/users/{user.id}/edit", {"email": new, **changes})
    assert result.status_code == 302, result.get_data(as_text=True)
    return fresh(session).get(User, user.id)


def the_1177_response(session) -> Response:
    source = fresh(session).exec(select(Source).where(Source.title == TITLE)).one()
    rs = session.exec(select(Body).where(Body.code == "RS")).one()
    return session.exec(
        select(Response).where(Response.source_id == source.id, Response.body_id == rs.id)
    ).one()


def remind(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["remind", "--today", "2021-05-13", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_1177_answer_is_chased_to_the_rs_secretaries_until_a_drafter_is_named(
    seed, app, session, make, login, inbox
):
    client = seeded(seed, app, session, make, login)

    # Seeded addresses are made up: the dry run says whom it holds back, and why.
    dry = remind(app, "--dry-run")
    assert "0 would be sent" in dry
    held = dry[dry.index("held back, placeholder address") :]
    assert re.search(r"response \d+ before_7 2021-05-20 to sekreterare@region\.example", held)
    assert "Yttrande till revisorerna senast 2021-05-20" in held

    for seeded_address, real in (
        ("sekreterare@region.example", RS_SECRETARY),
        ("hsn.sekreterare@region.example", HSN_SECRETARY),
    ):
        give_address(client, session, seeded_address, real)
    drafter = give_address(
        client, session, "regiondirektor@region.example", DRAFTER, password=DRAFTER_PASSWORD
    )
    response = the_1177_response(session)
    source_page = client.get(f"/sources/{response.source_id}").get_data(as_text=True)
    assert "Ingen ansvarig för yttrandet" in text_of(source_page)
    assert (
        "Till dess går påminnelserna till sekreterarna: Regionstyrelsens sekreterare "
        "antaget Sekreterare"
    ) in text_of(source_page)
    link = lxml.html.fromstring(source_page).xpath(
        '//a[starts-with(., "Ange vem som skriver yttrandet")]/@href'
    )
    assert link == [f"/responses/{response.id}/edit#responsible_id"]

    first = remind(app)

    told = [mail for mail in inbox.reminders() if "response" in mail["X-Tracker-Reminder"]]
    assert [mail["To"] for mail in told] == [f"Regionstyrelsens sekreterare <{RS_SECRETARY}>"]
    assert told[0]["Subject"].startswith("Yttrande till revisorerna senast 2021-05-20")
    text, _html = reminders_support.bodies(told[0])
    assert "sekreterare för Regionstyrelsen" in text and "Ange vem som skriver" in text
    assert inbox.to(HSN_SECRETARY) == []  # the 1177 letter is RS's, not HSN's
    # The weekly digest names the recommendations by the answer due, not a bare report-back.
    (digest,) = inbox.to(DRAFTER, digest=True)
    digest_text, _html = reminders_support.bodies(digest)
    due = "yttrande till revisorerna från regionstyrelsen senast 2021-05-20"
    assert digest_text.count(due) == 4, digest_text
    assert "1 sent" in first or "sent," in first

    # The secretary follows the link and names the drafter; the next run tells the drafter.
    page = client.get(link[0].split("#")[0]).get_data(as_text=True)
    result = post_form(
        client,
        link[0].split("#")[0],
        {
            "responsible_id": option_value(page, "responsible_id", "Regiondirektören"),
            # The director gives the input too; its date passed before reminders began.
            "input_contact_id": option_value(page, "input_contact_id", "Regiondirektören"),
            "input_due": "2021-04-30",
        },
    )
    assert result.status_code == 302, result.get_data(as_text=True)
    assert "Ingen ansvarig" not in text_of(client.get(f"/sources/{response.source_id}").data)
    inbox.mails.clear()

    remind(app)

    told = [mail for mail in inbox.reminders() if "response" in mail["X-Tracker-Reminder"]]
    assert [mail["To"] for mail in told] == [f"Regiondirektören <{DRAFTER}>"]
    assert told[0]["Subject"].startswith("Yttrande till revisorerna senast 2021-05-20")
    # The drafter finds the answer on My work, with its deadline.
    client.submit("/logout")
    client.token = None
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"  # the drafter's browser is Swedish
    signed_in = client.submit("/login", {"email": drafter.email, "password": DRAFTER_PASSWORD})
    assert signed_in.status_code == 302
    work = text_of(client.get("/my-work").data)
    assert f"{TITLE} Yttrande till revisorerna 2021-05-20" in work
    assert f"{TITLE} Underlag till yttrandet 2021-04-30" in work


def answer_all(client, session, response, *, skip: int | None = None) -> list[Recommendation]:
    """Take a position and answer each recommendation through the form, but the skipped one."""
    items = (
        fresh(session)
        .exec(
            select(Recommendation)
            .where(Recommendation.source_id == response.source_id)
            .order_by(Recommendation.id)
        )
        .all()
    )
    url = f"/responses/{response.id}/edit"
    page = client.get(url).get_data(as_text=True)
    changes = {
        "responsible_id": option_value(page, "responsible_id", "Regiondirektören"),
        "dnr": "RS 2021/00321",
        "proposed_decision": "Regionstyrelsen beslutar att avge yttrande enligt förslaget.",
    }
    for number, item in enumerate(items, start=1):
        if number == skip:
            continue
        changes[f"position_{item.id}"] = "partly_agrees" if number == 2 else "agrees"
        changes[f"answer_{item.id}"] = f"Svar på punkt {number}: arbetet pågår."
    result = post_form(client, url, changes)
    assert result.status_code == 302, result.get_data(as_text=True)
    return items


def pdf_of(data: bytes) -> tuple[str, pypdf.PdfReader]:
    """Convert a .docx with LibreOffice; return pdftotext's text and the PDF."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = to_pdf({"yttrande": data}, Path(folder))["yttrande"]
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, check=True, capture_output=True
        ).stdout.decode("utf-8")
        return " ".join(text.split()), pypdf.PdfReader(io.BytesIO(pdf))


def assert_a4(data: bytes, reader: pypdf.PdfReader) -> None:
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210,
        297,
    )


def test_the_adopted_1177_answer_is_the_boards_decision_to_its_own_auditors(
    seed, app, session, make, login
):
    client = seeded(seed, app, session, make, login)
    response = the_1177_response(session)
    items = answer_all(client, session, response, skip=4)
    # An owner's measure already runs for recommendation 1: the answer lists it too.
    director = fresh(session).exec(select(User).where(User.name == "Regiondirektören")).one()
    make.measure(
        [items[0]], title="Uppföljning av e-tjänster per hälsocentral", owner_id=director.id
    )

    # Adoption refuses while recommendation 4 has no position, and says so next to it.
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    values = rendered_form(page, f"/responses/{response.id}/adopt").data()
    assert values["dnr"] == "RS 2021/00321"
    values.update(
        adopted_on="2021-05-18", paragraph="92", decision_text="Regionstyrelsen beslutar …"
    )
    refused = client.post(f"/responses/{response.id}/adopt", data=values)
    assert refused.status_code == 422
    missing = lxml.html.fromstring(refused.data).xpath(f'//*[@id="missing-{items[3].id}"]')
    assert missing and "rekommendation 4" in missing[0].text_content()
    assert "Regionstyrelsen beslutar …" in refused.get_data(as_text=True)

    form = client.get(f"/responses/{response.id}/edit").get_data(as_text=True)
    labels = text_of(form)
    assert "Ställningstagande till rekommendation 2" in labels
    assert "Svar på rekommendation 2" in labels
    assert "Regionstyrelsens svar på varje rekommendation" in labels
    answer_all(client, session, response)
    values.update(decision_text="Regionstyrelsen beslutar att avge yttrande enligt förslaget.")
    adopted = client.post(f"/responses/{response.id}/adopt", data=values)
    assert adopted.status_code == 302, adopted.get_data(as_text=True)

    word = client.get(f"/sources/{response.source_id}/response.docx?body={response.body_id}")
    assert word.status_code == 200
    assert (
        "Yttrande-RS-2021-00321-Granskning-av-regionens-arbete-med-1177.docx"
        in (word.headers["Content-Disposition"])
    )
    text, reader = pdf_of(word.data)
    for expected in (
        "Till: Region Norrbottens revisorer",
        "Revisionsrapport Granskning av regionens arbete med 1177, PwC",
        "Revisorernas samlade bedömning",
        "den interna kontrollen inte helt är tillräcklig",
        "Regionstyrelsen instämmer delvis",
        "Uppföljning av e-tjänster per hälsocentral – ansvarig: Regiondirektören",
        "Regionstyrelsens beslut",
        "Sammanträde 2021-05-18, § 92",
        "Dnr RS 2021/00321",
        "Vid protokollet",
        "Justeras",
        "Protokollsutdrag skickas till: Revisorerna",
    ):
        assert expected in text, expected
    assert "Förslag till beslut" not in text
    assert_a4(word.data, reader)

    # The rest of the app knows the decision: the item's page, the list and its files.
    item_page = text_of(client.get(f"/recommendations/{items[1].id}").data)
    assert "Regionstyrelsen: Instämmer delvis, antaget RS 2021-05-18 § 92" in item_page
    listed = text_of(client.get("/follow-up?view=full").data)
    assert "Instämmer delvis, antaget RS 2021-05-18 § 92, Dnr RS 2021/00321" in listed
    export = client.get("/follow-up?format=csv")
    lines = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    answered = [line for line in lines if "1177" in line["Handling"]]
    assert len(answered) == 4
    assert all("§ 92" in line["Svar till revisorerna"] for line in answered)
    listed_word = docx.Document(io.BytesIO(client.get("/follow-up?format=docx").data))
    cells = " ".join(c.text for t in listed_word.tables for r in t.rows for c in r.cells)
    cells = cells.replace("\u00a0", " ")  # the paper keeps "§ 92" together
    assert "antaget RS 2021-05-18 § 92" in cells


def test_a_report_from_another_regions_auditors_is_answered_to_them_by_the_committee(
    seed, app, session, make, login
):
    client = seeded(seed, app, session, make, login)
    page = client.get("/sources/new").get_data(as_text=True)
    hsn = option_value(page, "addressees", "HSN")
    result = post_form(
        client,
        "/sources/new",
        {
            "kind": "audit_report",
            "title": "Granskning av ambulanssjukvården",
            "dnr": "REV 2021/17",
            "auditors": "Region Västernorrlands revisorer",
            "firm": "KPMG",
            "issued_on": "2021-03-10",
            "response_due": "2021-06-30",
            "assessment": "Vår samlade bedömning är att nämnden inte helt säkerställer samverkan.",
            "addressees": [hsn],
        },
    )
    assert result.status_code == 302, result.get_data(as_text=True)
    source_id = int(result.headers["Location"].rstrip("/").split("/")[-1])
    result = post_form(
        client,
        f"/recommendations/new?source_id={source_id}",
        {
            "number": "1",
            "kind": "recommendation",
            "text": "Att samverkan följs upp.",
            "status": "open",
        },
        action="/recommendations/new",
    )
    assert result.status_code == 302, result.get_data(as_text=True)
    response = fresh(session).exec(select(Response).where(Response.source_id == source_id)).one()
    form = text_of(client.get(f"/responses/{response.id}/edit").data)
    assert "Hälso- och sjukvårdsnämndens svar på varje rekommendation" in form
    assert "Ställningstagande till rekommendation 1" in form and "Styrelsens" not in form
    page = text_of(client.get(f"/responses/{response.id}").data)
    assert "Hälso- och sjukvårdsnämndens ställningstagande: Inte bestämt ännu" in page

    word = client.get(f"/sources/{source_id}/response.docx")
    text, reader = pdf_of(word.data)
    assert "Till: Region Västernorrlands revisorer" in text
    assert "Norrbottens revisorer" not in text
    assert "Revisorernas skrivelse 2021-03-10: Revisionsrapport Granskning av " in text
    assert "KPMG, mars 2021" in text
    assert "Vår samlade bedömning är att nämnden inte helt säkerställer samverkan." in text
    assert "Förslag till beslut" in text
    assert_a4(word.data, reader)


@pytest.fixture
def letterhead_files(tmp_path):
    """A region's template as .dotx, and two with macros, made with python-docx."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.header.paragraphs[0].text = "REGION NORRBOTTEN – brevmall"
    section.footer.paragraphs[0].text = "Regionhuset, Luleå · www.norrbotten.se"
    document.add_paragraph("Skriv här")
    plain = io.BytesIO()
    document.save(plain)

    def repack(extra: dict[str, bytes], content_type: str) -> bytes:
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
            zipfile.ZipFile(out, "w") as target,
        ):
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "[Content_Types].xml":
                    data = data.replace(
                        b"wordprocessingml.document.main+xml", content_type.encode()
                    )
                target.writestr(info, data)
            for name, data in extra.items():
                target.writestr(name, data)
        return out.getvalue()

    return {
        "dotx": repack({}, "wordprocessingml.template.main+xml"),
        "vba": repack({"word/vbaProject.bin": b"\x00" * 64}, "wordprocessingml.document.main+xml"),
    }


def upload(client, name: str, data: bytes):
    page = client.get("/admin/letterhead").get_data(as_text=True)
    values = rendered_form(page, "/admin/letterhead").data()
    values["template"] = (io.BytesIO(data), name)
    return client.post("/admin/letterhead", data=values, content_type="multipart/form-data")


def test_every_word_file_is_written_into_the_regions_template_and_macros_are_refused(
    seed, app, session, make, login, letterhead_files
):
    client = seeded(seed, app, session, make, login)
    refused = upload(client, "brevmall.dotm", letterhead_files["dotx"])
    assert refused.status_code == 422
    assert "Makroaktiverade" in text_of(refused.data)
    refused = upload(client, "brevmall.docx", letterhead_files["vba"])
    assert refused.status_code == 422 and "makron" in text_of(refused.data)
    assert "Den inbyggda enkla mallen" in text_of(client.get("/admin/letterhead").data)

    assert upload(client, "brevmall.dotx", letterhead_files["dotx"]).status_code == 302
    assert "brevmall.dotx" in text_of(client.get("/admin/letterhead").data)

    response = the_1177_response(session)
    files = {
        "yttrande": client.get(f"/sources/{response.source_id}/response.docx").data,
        "uppföljningslista": client.get("/follow-up?format=docx").data,
    }
    for name, data in files.items():
        document = docx.Document(io.BytesIO(data))
        section = document.sections[0]
        assert section.header.paragraphs[0].text == "REGION NORRBOTTEN – brevmall", name
        assert "Skriv här" not in "\n".join(p.text for p in document.paragraphs), name
        text, reader = pdf_of(data)
        assert "REGION NORRBOTTEN – brevmall" in text and "Regionhuset, Luleå" in text, name
        assert_a4(data, reader)

    # Back to the plain template: no letterhead.
    page = client.get("/admin/letterhead").get_data(as_text=True)
    values = rendered_form(page, "/admin/letterhead/remove").data()
    assert client.post("/admin/letterhead/remove", data=values).status_code == 302
    data = client.get(f"/sources/{response.source_id}/response.docx").data
    assert (
        "REGION NORRBOTTEN"
        not in docx.Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text
    )


def adopted_report(make, session, rs, director, n: int) -> None:
    """Add an audit report to RS with two recommendations, answered and adopted."""
    source = make.source(title=f"Granskning {n}", auditors="Region Norrbottens revisorer")
    set_addressees(session, source, [rs.id])
    for number in ("1", "2"):
        make.recommendation(source, number=number, responsible_id=director.id)
    (response,) = ensure_responses(session, source)
    items = session.exec(select(Recommendation).where(Recommendation.source_id == source.id))
    save_answers(session, response, {item.id: ("agrees", "Instämmer.") for item in items})
    adopt(
        session,
        response,
        adopted_on=date(2021, 5, 18),
        paragraph=str(90 + n),
        dnr=f"RS 2021/{n}",
        decision_text="Antaget.",
        user=director,
    )
    session.commit()


def test_pages_with_adopted_answers_run_as_many_queries_with_more_of_them(
    app, session, make, login
):
    rs = make.body("RS", "Regionstyrelsen")
    director = make.user("owner", name="Regiondirektören")
    client = login(make.user("secretary", name="Sekreterare"))
    first_item = None
    counts = []
    for n in range(1, 5):
        adopted_report(make, session, rs, director, n)
        first_item = first_item or session.exec(select(Recommendation)).first().id
        with QueryCounter(app.extensions["tracker.engine"]) as counter:
            listed = client.get("/follow-up?view=full")
            item = client.get(f"/recommendations/{first_item}")
        assert listed.status_code == item.status_code == 200
        assert f"§ {90 + n}, Dnr RS 2021/{n}" in text_of(listed.data)
        counts.append(counter.count)
    # One report or four: the same statements, the answers read in one of them.
    assert len(set(counts)) == 1, counts
