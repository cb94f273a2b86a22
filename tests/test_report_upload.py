"""A secretary registers an audit report from its file, through the pages' own forms."""

import io
import os
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tests.report_files import EXPECTED, report_docx, scanned_pdf, seed_lines, to_pdf
from tracker import evidence
from tracker.models import Body, Recommendation, Source, SourceAttachment, utcnow
from tracker.responses.services import addressees_of
from tracker.sources import reports


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("upload")
    docx = {
        "004": report_docx(seed_lines("004")),
        "plain": report_docx(["Minnesanteckningar från mötet.", "Inget om vårdköerna."]),
    }
    pdfs = to_pdf(docx, folder)
    return {
        "004.pdf": pdfs["004"],
        "000.docx": report_docx(seed_lines("000")),
        "plain.pdf": pdfs["plain"],
        "scan.pdf": scanned_pdf(pdfs["004"], folder),
    }


@pytest.fixture
def secretary(make, login, session):
    for code, name in (
        ("RS", "Regionstyrelsen"),
        ("HSN", "Hälso- och sjukvårdsnämnden"),
        ("REV", "Region Norrbottens revisorer"),
    ):
        make.body(code=code, name=name)
    return login(make.user("secretary"))


def _upload(client, name: str, data: bytes):
    """Send the file with the upload form that "New source" renders."""
    page = client.get("/sources/new")
    assert page.status_code == 200
    form = rendered_form(page.get_data(as_text=True), "/sources/new/report")
    assert form.enctype == "multipart/form-data" and form.files == ["report"]
    payload = form.data() | {"report": (io.BytesIO(data), name)}
    return client.post(form.action, data=payload, content_type="multipart/form-data")


def _count(session, model) -> int:
    return fresh(session).exec(select(func.count()).select_from(model)).one()


def _body(session, code: str) -> Body:
    return session.exec(select(Body).where(Body.code == code)).one()


def test_document_004_is_registered_from_its_pdf_without_retyping(secretary, session, files, app):
    client = secretary
    response = _upload(client, "revisionsrapport 1177.pdf", files["004.pdf"])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    form = rendered_form(html, "/sources/new")
    # The proposal in the normal source form, each value marked as proposed.
    assert form.value("title") == "Granskning av regionens arbete med 1177"
    assert form.value("response_due") == "2021-05-20"
    assert form.value("auditors") == "Region Norrbottens revisorer"
    assert form.value("firm") == "PwC"
    assert form.value("kind") == "audit_report"
    assert form.values("addressees") == [str(_body(session, "RS").id)]
    assert form.value("issuer_id") == str(_body(session, "REV").id)
    assert html.count("Proposed from the report, page 1: “") == 6
    # What was not found is said; the undated letter gets no invented date.
    assert "Not found in the report" in html
    assert "Date of the report or decision" in html and "Registry number (Dnr)" in html
    assert form.value("issued_on") == ""
    # The drafts, each with its page.
    drafts = [form.value(f"drafts-{n}-text") for n in range(4)]
    assert drafts == [" ".join(text.split()) for _n, text in EXPECTED["004"]["recommendations"]]
    assert [form.value(f"drafts-{n}-number") for n in range(4)] == ["1", "2", "3", "4"]
    assert html.count("Draft from page 1") == 4
    assert "Regionsty.relsen" in html and "matches RS – Regionstyrelsen" in html
    # Nothing is saved before the secretary saves.
    assert _count(session, Source) == 0 and _count(session, SourceAttachment) == 0

    saved = client.post(form.action, data=form.data())
    assert saved.status_code == 302, saved.get_data(as_text=True)
    source = fresh(session).exec(select(Source)).one()
    assert saved.headers["Location"].endswith(f"/sources/{source.id}")
    assert (source.title, str(source.response_due), source.issued_on) == (
        "Granskning av regionens arbete med 1177",
        "2021-05-20",
        None,
    )
    assert [body.id for body in addressees_of(session, source.id)] == [_body(session, "RS").id]
    recommendations = session.exec(
        select(Recommendation).where(Recommendation.source_id == source.id)
    ).all()
    assert sorted((r.number, r.text, r.kind) for r in recommendations) == [
        (number, " ".join(text.split()), "recommendation")
        for number, text in EXPECTED["004"]["recommendations"]
    ]
    attachment = session.exec(select(SourceAttachment)).one()
    assert attachment.source_id == source.id and attachment.name == "revisionsrapport 1177.pdf"
    assert attachment.media_type == "application/pdf" and "invånartjänsterna" in attachment.text
    # The full list of addressees found is kept with the file, each with the line it is on.
    assert attachment.proposal["addressees"] == [
        {
            "name": "Regionsty.relsen",
            "body_id": _body(session, "RS").id,
            "page": 1,
            "quote": "Regionsty.relsen",
        }
    ]
    # Stored outside the web root, under a name of our own.
    with app.app_context():
        stored = evidence.evidence_dir()
    assert (stored / attachment.file).read_bytes() == files["004.pdf"]
    assert Path(app.static_folder) not in stored.parents

    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "revisionsrapport 1177.pdf" in detail and "Att styrelsen överväger" in detail
    download = client.get(f"/sources/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == files["004.pdf"]
    # The report's text is found by search and leads to its source.
    found = client.get("/search", query_string={"q": "hälso- och sjukvårdsbarometern"})
    assert f"/sources/{source.id}#report-file" in found.get_data(as_text=True)


def test_drafts_are_edited_dropped_and_added_before_saving(secretary, session, files):
    client = secretary
    response = _upload(client, "temagranskning.docx", files["000.docx"])
    form = rendered_form(response.get_data(as_text=True), "/sources/new")
    assert form.value("title") == "Temagranskning Primärvården, del 2"
    assert form.value("dnr") == "00521-2019"
    assert form.value("drafts-3-text") == ""  # an empty draft for one the reading missed
    # "Add another recommendation" shows one more empty draft, and saves nothing.
    more = client.post(form.action, data=form.data(add_draft="1"))
    assert more.status_code == 200 and _count(session, Source) == 0
    form = rendered_form(more.get_data(as_text=True), "/sources/new")
    assert form.value("drafts-4-text") == ""
    data = form.data(
        **{
            "drafts-0-text": "Regionstyrelsen bör följa upp effekterna.",
            "drafts-1-leave_out": "y",
            "drafts-3-number": "4",
            "drafts-3-text": "Regionstyrelsen bör rapportera till revisorerna.",
        }
    )
    saved = client.post(form.action, data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    texts = fresh(session).exec(select(Recommendation.number, Recommendation.text)).all()
    assert sorted(texts) == [
        ("1", "Regionstyrelsen bör följa upp effekterna."),
        ("3", " ".join(EXPECTED["000"]["recommendations"][2][1].split())),
        ("4", "Regionstyrelsen bör rapportera till revisorerna."),
    ]


def test_a_mistake_in_the_form_keeps_the_proposal_and_the_drafts(secretary, session, files):
    client = secretary
    form = rendered_form(
        _upload(client, "1177.pdf", files["004.pdf"]).get_data(as_text=True), "/sources/new"
    )
    changes = {"title": "", "response_due": "20 maj", "drafts-4-number": "5"}
    again = client.post(form.action, data=form.data(**changes))
    assert again.status_code == 400
    html = again.get_data(as_text=True)
    assert "This field is required." in html and "Enter the date as YYYY-MM-DD" in html
    assert "text, or leave the draft out." in html
    shown = rendered_form(html, "/sources/new")
    assert shown.value("response_due") == "20 maj"
    assert shown.value("drafts-3-text") == form.value("drafts-3-text")
    assert shown.value("report_file") == form.value("report_file")
    assert _count(session, Source) == 0
    fixed = {"title": "1177", "response_due": "2021-05-20", "drafts-4-number": ""}
    saved = client.post(shown.action, data=shown.data(**fixed))
    assert saved.status_code == 302
    assert _count(session, Recommendation) == 4 and _count(session, SourceAttachment) == 1


def test_a_report_where_nothing_is_found_still_uploads_and_is_searchable(secretary, session, files):
    client = secretary
    response = _upload(client, "anteckningar.pdf", files["plain.pdf"])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Proposed from the report, page" not in html and "Nothing the form asks for" in html
    for label in ("Title", "Registry number (Dnr)", "Response due by", "Recommendations"):
        assert f"<li>{label}</li>" in html
    form = rendered_form(html, "/sources/new")
    saved = client.post(form.action, data=form.data(title="Minnesanteckningar"))
    assert saved.status_code == 302
    assert _count(session, Recommendation) == 0
    attachment = fresh(session).exec(select(SourceAttachment)).one()
    assert "Inget om vårdköerna." in attachment.text
    found = client.get("/search", query_string={"q": "vårdköerna"}).get_data(as_text=True)
    assert "anteckningar.pdf" in found


def test_a_scanned_pdf_says_so_plainly(secretary, session, files):
    client = secretary
    response = _upload(client, "skannad.pdf", files["scan.pdf"])
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "it looks scanned" in html
    form = rendered_form(html, "/sources/new")
    saved = client.post(form.action, data=form.data(title="Skannad rapport"))
    assert saved.status_code == 302
    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "skannad.pdf" in detail and "no text could be read from it" in detail


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rapport.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "is not PDF or Word (.docx)"),
        ("rapport.pdf", b"just text, not a PDF", "is not PDF or Word (.docx)"),
        ("../rapport.pdf", b"%PDF-1.4\n%%EOF\n", "must be a plain name"),
        ("rapport.pdf", b"", "The file is empty."),
        ("rapport.pdf", b"%PDF-1.4\nbroken", "The PDF could not be read."),
    ],
)
def test_a_file_that_is_not_a_report_is_refused_next_to_the_field(
    secretary, session, name, data, message
):
    response = _upload(secretary, name, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'id="report-error"' in html
    assert _count(session, Source) == 0


def test_a_report_larger_than_the_cap_is_refused(secretary, app, files):
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    response = _upload(secretary, "stor.pdf", files["004.pdf"])
    assert response.status_code == 400 and "larger than" in response.get_data(as_text=True)


def test_a_forged_file_reference_keeps_what_was_typed(secretary, session):
    page = secretary.get("/sources/new").get_data(as_text=True)
    form = rendered_form(page, "/sources/new")
    data = form.data(title="Min granskning", report_file="../../etc/passwd", report_name="x.pdf")
    response = secretary.post(form.action, data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Upload it again" in html
    assert rendered_form(html, "/sources/new").value("title") == "Min granskning"
    assert _count(session, Source) == 0


def test_reports_uploaded_long_ago_and_never_saved_are_removed(secretary, app, files, make):
    old = utcnow().timestamp() - (reports.UNSAVED_HOURS + 1) * 3600
    with app.app_context():
        folder = evidence.evidence_dir()
        unsaved = evidence.store_evidence("glömd.pdf", b"%PDF-1.4\n%%EOF\n")
        recent = evidence.store_evidence("pågående.pdf", b"%PDF-1.4\n%%EOF\n")
    form = rendered_form(
        _upload(secretary, "1177.pdf", files["004.pdf"]).get_data(as_text=True), "/sources/new"
    )
    assert secretary.post(form.action, data=form.data()).status_code == 302
    saved = form.value("report_file")
    for name in (unsaved.file, saved):
        os.utime(folder / name, (old, old))
    _upload(secretary, "1177.pdf", files["004.pdf"])
    assert not (folder / unsaved.file).exists()
    assert (folder / recent.file).exists() and (folder / saved).exists()


def test_another_regions_letter_is_read_but_not_given_our_bodies(secretary, session):
    """Issue 26's letter: Region Västernorrland's auditors to its regionstyrelsen, as PDF."""
    case = Path(__file__).parent / "corpus" / "cases" / "c01"
    response = _upload(secretary, "granskning.pdf", (case / "report.pdf").read_bytes())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    form = rendered_form(html, "/sources/new")
    assert form.value("title") == "Granskning av regionens arbete med kompetensförsörjning"
    assert form.value("issued_on") == "2020-02-03"
    assert form.value("dnr") == "REV 3-2020"  # "Dnr REV" and "3-2020" on two lines
    assert form.value("response_due") == "2020-05-10"
    # Not our auditors, not our regionstyrelsen: named, with no body proposed.
    assert form.value("issuer_id") == "" and form.values("addressees") == []
    assert "Revisorerna i Region Västernorrland" in html
    assert "The report names Revisorerna i Region Västernorrland (page 1), but no body" in html
    assert "The report names Regionstyrelsen, but no body matches" in html
    assert html.count("no matching body") == 2 and 'href="/bodies/new"' in html
    # Each proposal says where it came from: the page and the line.
    assert "Proposed from the report, page 1: “Dnr REV”" in html
    assert "Read from the line: “1. säkerställa att det finns" in html
    assert [form.value(f"drafts-{n}-number") for n in range(3)] == ["1", "2", "3"]
    assert form.value("drafts-1-text") == (
        "tydliggöra ansvarsfördelningen mellan förvaltningsledning och verksamhetschefer i "
        "rekryteringsarbetet."
    )
    assert "Vår sammanfattande bedömning är att regionstyrelsen delvis" in html
    assert "Anna Lindqvist, Per Olofsson" in html
