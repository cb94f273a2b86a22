"""Control characters at every way in, and stored ones never break an export or clean-text."""

import io

import docx
from sqlalchemy import update
from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.indicator_support import confirm_import, upload_outcomes
from tests.test_api import PROBLEM, bearer
from tests.test_indicator_import import HEADER
from tests.test_indicator_import import world as outcomes_world  # noqa: F401 - a fixture
from tests.test_responses import draft, pdf_text, register_004
from tests.test_responses import world as response_world  # noqa: F401 - a fixture
from tracker.fingerprint import fingerprint_of
from tracker.models import Outcome, Recommendation, Response, ResponsePosition, Source
from tracker.responses.services import is_intact
from tracker.text import has_control


def _pdf(lines: list[bytes]) -> bytes:
    """Return a one-page PDF whose text holds the lines as written (octal escapes and all)."""
    content = b"BT /F1 12 Tf 72 720 Td 14 TL " + b" ".join(b"(%s) '" % line for line in lines)
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO(b"")
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % table)
    return out.getvalue()


def test_a_reports_text_and_its_drafts_are_cleaned_and_a_typed_nul_is_refused(make, login, session):
    make.body("RS", "Regionstyrelsen")
    client = login(make.user("secretary"))
    report = _pdf(
        [
            b"Granskning av v\\344rdk\\366erna",
            b"Vi l\\344mnar f\\366ljande rekommendationer",
            b"1. Regionstyrelsen b\\366r f\\366\\001\\000\\037\\033lja upp v\\344ntetiderna.",
        ]
    )
    page = client.get("/sources/new").get_data(as_text=True)
    upload = rendered_form(page, "/sources/new/report")
    read = client.post(
        upload.action,
        data=upload.data() | {"report": (io.BytesIO(report), "rapport.pdf")},
        content_type="multipart/form-data",
    )
    assert read.status_code == 200
    html = read.get_data(as_text=True)
    form = rendered_form(html, "/sources/new")
    drafts = [form.value(f"drafts-{n}-text") or "" for n in range(3)]
    assert "Regionstyrelsen bör följa upp väntetiderna." in drafts
    assert not any(has_control(text) for text in drafts)

    # A NUL typed into a draft: refused next to that draft, the typed text kept.
    typed = form.data(
        title="Vårdköerna", **{"drafts-0-text": "Bör\x00 mäta", "drafts-0-number": "1"}
    )
    refused = client.post(form.action, data=typed)
    assert refused.status_code == 400
    shown = refused.get_data(as_text=True)
    assert 'id="drafts-0-text-error"' in shown and "control characters" in shown
    assert fresh(session).exec(select(Source)).all() == []

    saved = client.post(form.action, data=typed | {"drafts-0-text": "Bör mäta"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    texts = fresh(session).exec(select(Recommendation.text)).all()
    assert "Bör mäta" in texts and not any(has_control(text) for text in texts)
    attachment_text = session.exec(select(Source)).one()
    assert not has_control(attachment_text.title)


def test_an_imported_outcomes_note_loses_its_control_characters(
    outcomes_world,  # noqa: F811 - the imported fixture
    make,
    login,
    session,
):
    client = login(make.user("secretary"))
    data = (HEADER + "TEL;2022;;82;;;Läns\x00snitt\x01 \x1b2022\n").encode()
    preview = upload_outcomes(client, "utfall.csv", data)
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    assert confirm_import(client, preview.get_data(as_text=True)).status_code == 302
    assert fresh(session).exec(select(Outcome.note)).all() == ["Länssnitt 2022"]


def test_the_api_names_each_field_holding_a_control_character(make, session, client):
    headers = bearer(session, make.user("secretary"))
    body = {"kind": "plan", "title": "Handlings\x00plan", "summary": "Ok\x0b"}
    response = client.post("/api/v1/sources", json=body, headers=headers)
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert sorted(e["field"] for e in response.get_json()["errors"]) == ["summary", "title"]
    assert fresh(session).exec(select(Source)).all() == []
    fixed = client.post("/api/v1/sources", json=body | {"title": "Handlingsplan", "summary": ""})
    assert fixed.status_code == 401  # no token: the body is looked at only for a caller
    fixed = client.post(
        "/api/v1/sources", json=body | {"title": "Handlingsplan", "summary": ""}, headers=headers
    )
    assert fixed.status_code == 201


def test_a_nul_that_slips_past_every_check_is_dropped_at_the_write_not_a_500(make, session):
    source = make.source(title="Före")
    source.title = "Efter\x00 NUL"
    session.commit()  # PostgreSQL refuses NUL outright: the write itself must not fail
    assert fresh(session).get(Source, source.id).title == "Efter NUL"


def _drafted(make, login, session, world):
    """Register report 004 and draft the board's answer through the pages; return the client."""
    client = login(make.user("secretary"))
    source_id = register_004(client, world)
    return client, source_id, draft(client, session, world, source_id)


def _word(client, source_id: int, world) -> bytes:
    word = client.get(f"/sources/{source_id}/response.docx?body={world.rs.id}")
    assert word.status_code == 200
    return word.data


def _stored_with_controls(session, response: Response) -> None:
    """Put control characters into the answer as text stored before they were refused."""
    session.execute(
        update(ResponsePosition)
        .where(ResponsePosition.response_id == response.id)
        .values(answer="Regionstyrelsen\x01 delar\x0b revisorernas\x1f bedömning.")
    )
    session.execute(
        update(Response)
        .where(Response.id == response.id)
        .values(proposed_decision="Regionstyrelsen\x02 beslutar att avge yttrande.")
    )
    session.commit()


def test_the_word_draft_of_an_answer_with_stored_control_characters_opens(
    response_world,  # noqa: F811 - the imported fixture
    make,
    session,
    login,
):
    client, source_id, response = _drafted(make, login, session, response_world)
    _stored_with_controls(session, response)

    word = _word(client, source_id, response_world)
    paragraphs = "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
    assert "Regionstyrelsen delar revisorernas bedömning." in paragraphs
    text = pdf_text(word)  # LibreOffice opens it
    assert "Regionstyrelsen beslutar att avge yttrande" in text


def test_clean_text_also_cleans_an_adopted_answer_which_then_opens_and_reads_intact(
    app,
    response_world,  # noqa: F811 - the imported fixture
    make,
    session,
    login,
):
    client, source_id, response = _drafted(make, login, session, response_world)
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    values = rendered_form(page, f"/responses/{response.id}/adopt").data()
    values.update(adopted_on="2021-05-11", paragraph="94", dnr="RS-1", decision_text="Antaget.")
    assert client.post(f"/responses/{response.id}/adopt", data=values).status_code == 302

    # As an adoption before the checks made it: control characters signed into the snapshot.
    adopted = fresh(session).get(Response, response.id)
    snapshot = dict(adopted.snapshot)
    # The decision as minuted: what the adopted answer's Word file prints.
    snapshot["decision_text"] = "Regionstyrelsen\x01 beslutar\x0b att avge yttrande."
    session.execute(
        update(Response)
        .where(Response.id == response.id)
        .values(snapshot=snapshot, fingerprint=fingerprint_of(snapshot))
    )
    session.commit()

    result = app.test_cli_runner().invoke(args=["clean-text"])
    assert result.exit_code == 0, result.output
    assert "response: 1 rows cleaned" in result.output
    cleaned = fresh(session).get(Response, response.id)
    assert cleaned.snapshot["decision_text"] == "Regionstyrelsen beslutar att avge yttrande."
    assert is_intact(cleaned)
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Unchanged since adoption" in page
    word = _word(client, source_id, response_world)
    assert "Regionstyrelsen beslutar att avge yttrande." in pdf_text(word)
