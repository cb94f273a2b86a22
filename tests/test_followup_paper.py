"""The follow-up list a secretary sends to the meeting as it is: document 003's list (issue 24)."""

import csv
import html
import io
import re
import subprocess
from datetime import UTC, datetime

import docx
import pypdf
from docx.oxml.ns import qn
from sqlmodel import select

from tests.html_forms import rendered_form
from tests.test_api import bearer
from tests.test_followup import normal, seeded, seeded_items  # noqa: F401  (a fixture)
from tests.test_followup_documents import libreoffice_pdf, squash
from tracker.config import ROOT
from tracker.models import Measure, MeasureIndicator, Recommendation, Source
from tracker.seed import load_seed

# The deadlines 003 gives in words, as it writes them.
WORDS = ("vid varje sammanträde", "årligen", "våren 2018")


def swedish_secretary(make, login):
    client = login(make.user("secretary", name="Sara Sekreterare", language="sv"))
    client.get("/language/sv")  # the header's link: the test browser says English
    return client


def assert_no_paragraph_sign_at_a_line_end(path) -> None:
    """Read the PDF with pdftotext, keeping its layout: no column's line may end in "§"."""
    laid_out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert laid_out.count("§") >= 15  # every reference of 003
    for line in laid_out.splitlines():
        for column in re.split(r" {2,}", line.strip()):
            assert not column.endswith("§"), line


def page_rows(page: str) -> list[str]:
    return re.findall(r'<tr class="followup-row[^"]*">.*?</tr>', page, re.S)


def text_of(fragment: str) -> str:
    return normal(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def test_the_meetings_page_and_list_hold_exactly_003s_items_in_its_order(seeded, make, login):  # noqa: F811
    client = swedish_secretary(make, login)
    meeting_page = client.get(f"/meetings/{seeded.id}").get_data(as_text=True)
    link = f'href="/follow-up?meeting={seeded.id}"'
    assert (
        link in meeting_page and "Uppföljningslistan för sammanträdet (22 ärenden)" in meeting_page
    )

    items = seeded_items()
    for view in ("compact", "full"):
        page = client.get(f"/follow-up?meeting={seeded.id}&view={view}").get_data(as_text=True)
        rows = page_rows(page)
        assert len(rows) == len(items) == 22
        for row, item in zip(rows, items, strict=True):
            assert item["text"] in text_of(row), item["text"][:50]
        # The page keeps its filters and badges (§ 186 was due 2017-10-31), above the list;
        # the list itself holds no filter line and no "Öppen", a word 003 never uses.
        start = page.index('class="followup-document')
        assert 'name="meeting"' in page[:start] and "Urval:" in page[:start]
        assert "badge overdue" in page[start:]
        assert "Öppen" not in page[start:] and "Urval" not in page[start:]
        text = text_of(page)
        for words in WORDS:
            assert words in text, words
        assert "våren 2018 (2018-06-30, antaget)" in text
        # Stabsplan, as 003's decision column says, on the nine rows from the staff plan.
        if view == "full":
            assert page.count('<div class="reference">Stabsplan</div>') == 9
            assert "RS 170301, §\u00a052" in page


def test_the_word_list_for_003s_meeting_is_the_board_paper_003_is(seeded, make, login, tmp_path):  # noqa: F811
    client = swedish_secretary(make, login)
    data = client.get(f"/follow-up?meeting={seeded.id}&format=docx").data
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    rows = [row for row in table.rows[1:] if len(row._tr.tc_lst) > 1]
    items = seeded_items()
    assert len(rows) == 22
    for row, item in zip(rows, items, strict=True):
        assert normal(row.cells[0].text).startswith(item["text"]), item["text"][:50]
        assert item["status"] in normal(row.cells[2].text)
    # The header row repeats on every page; nothing is smaller than 9 pt.
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    sizes = {int(size) for size in re.findall(r'w:sz w:val="(\d+)"', document.element.xml)}
    assert sizes and min(sizes) >= 18
    assert document.sections[0].page_width < document.sections[0].page_height
    url = f"/follow-up?meeting={seeded.id}&format=docx&orientation=landscape"
    wide = docx.Document(io.BytesIO(client.get(url).data))
    section = wide.sections[0]
    assert section.page_width > section.page_height  # landscape when asked
    grid = wide.tables[0]._tbl.tblGrid.iterchildren()
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert sum(int(column.get(qn("w:w"))) for column in grid) == text_width

    whole = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for row in table.rows for cell in row.cells]
    )
    # No tracker words on paper: no filter line, count or status badge.
    for word in ("Öppen", "Urval", "Grupperad", "Ärenden:", "Status:", "Försenad"):
        assert word not in whole, word
    for words in WORDS:
        assert words in whole, words
    assert "våren 2018 (2018-06-30, antaget)" in whole
    assert "Datum: 19 december 2017" in whole

    pdf = libreoffice_pdf(data, tmp_path)
    (tmp_path / "list.pdf").write_bytes(pdf)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 6
    assert_no_paragraph_sign_at_a_line_end(tmp_path / "list.pdf")


def test_the_pdf_is_a_board_paper_in_the_documents_words(seeded, make, login, tmp_path):  # noqa: F811
    client = swedish_secretary(make, login)
    data = client.get(f"/follow-up?meeting={seeded.id}&format=pdf").data
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    pages = [normal(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    for word in ("Öppen", "Urval", "Ärenden", "Försenad"):
        assert word not in text, word
    for words in WORDS:
        assert words in text, words
    assert "antaget" in text and "19 december 2017" in text
    (tmp_path / "list.pdf").write_bytes(data)
    assert_no_paragraph_sign_at_a_line_end(tmp_path / "list.pdf")
    # The last page holds more than the last row.
    items = seeded_items()
    last = squash(pages[-1])
    assert squash(items[-2]["text"])[:40] in last or squash(items[-3]["text"])[:40] in last


def test_the_secretary_gives_the_paper_its_title_date_and_proposed_decision(seeded, make, login):  # noqa: F811
    client = swedish_secretary(make, login)
    page = client.get(f"/follow-up?meeting={seeded.id}").get_data(as_text=True)
    form = rendered_form(page, "/follow-up")
    values = form.data() | {
        "title": "Återrapportering av regiondirektörens uppdrag",
        "dated": "2017-12-12",
        "proposal": "filed",
    }
    page = client.get("/follow-up", query_string=values).get_data(as_text=True)
    assert "Regionstyrelsen beslutar att lägga återrapporteringen till handlingarna." in page
    word = re.search(r'href="(/follow-up\?[^"]*format=docx[^"]*)"', page).group(1)
    document = docx.Document(io.BytesIO(client.get(html.unescape(word)).data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "Återrapportering av regiondirektörens uppdrag"
    assert "Datum: 12 december 2017" in text
    assert "Förslag till beslut" in text
    assert "Regionstyrelsen beslutar att lägga återrapporteringen till handlingarna." in text

    # A bad date is named next to its field, and what was typed stays.
    bad = client.get("/follow-up", query_string=values | {"dated": "12/12/2017"})
    assert bad.status_code == 400
    form = rendered_form(bad.get_data(as_text=True), "/follow-up")
    assert form.value("dated") == "12/12/2017"
    assert form.value("title") == "Återrapportering av regiondirektörens uppdrag"
    assert "ÅÅÅÅ-MM-DD" in bad.get_data(as_text=True)


def test_excel_csv_and_the_api_give_the_deadlines_in_words_and_mark_what_is_assumed(
    seeded,  # noqa: F811
    make,
    login,
    session,
):
    client = swedish_secretary(make, login)
    export = client.get(f"/follow-up?meeting={seeded.id}&format=csv")
    rows = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    written = sorted(row["Tidpunkt som den anges"] for row in rows if row["Tidpunkt som den anges"])
    assert written == [
        "sammanträdet den 31 oktober 2017",
        "vid varje sammanträde",
        "våren 2018 (2018-06-30, antaget)",
        "årligen",
    ]
    # The plan's nine rows assume nothing; the decision's title is the seed's, § 184's date too.
    assumed = [row["Antaget"] for row in rows]
    assert assumed.count("") == 9
    assert assumed.count("Källans titel") == 12
    assert assumed.count("Sista dag, Källans titel") == 1
    sources = {row["Handling"] for row in rows}
    assert sources == {"Stabsplan", "Regionstyrelsens uppdrag till regiondirektören 2017 (antaget)"}

    yearly = session.exec(select(Recommendation).where(Recommendation.recurrence == "yearly")).one()
    period = session.exec(select(Recommendation).where(Recommendation.due_period != "")).one()
    headers = bearer(session, make.user("viewer"))
    token_page = client.get("/api/v1/recommendations?per_page=200", headers=headers)
    assert token_page.status_code == 200, token_page.status_code
    found = {item["id"]: item for item in token_page.get_json()["items"]}
    assert found[yearly.id]["deadline_words"] == "Årligen"
    assert found[yearly.id]["deadline"] is None
    assert found[period.id]["deadline_words"] == "våren 2018"
    assert found[period.id]["deadline_assumed"] is True


def test_a_yearly_item_without_a_date_is_never_due_on_the_day_it_was_entered(
    seeded,  # noqa: F811
    make,
    login,
    session,
):
    yearly = session.exec(select(Recommendation).where(Recommendation.recurrence == "yearly")).one()
    yearly.created_at = datetime(2018, 3, 7, 9, 0, tzinfo=UTC)
    session.commit()
    client = swedish_secretary(make, login)
    row = next(
        row
        for row in page_rows(client.get("/follow-up?view=full").get_data(as_text=True))
        if "Bisysslor" in row or "bisysslor" in row
    )
    # Its next report is a year after the last one (2017-12-19), not after the row was entered.
    assert "årligen (2018-12-19)" in text_of(row)
    assert "03-07" not in row


def test_001_is_hsns_proposal_to_rs_with_its_paragraph_and_000_links_no_indicators(
    session, make, login
):
    load_seed(session, ROOT / "seed")
    proposal = session.exec(select(Source).where(Source.dnr == "HSN-00002-2023")).one()
    client = swedish_secretary(make, login)
    page = client.get(f"/sources/{proposal.id}").get_data(as_text=True)
    assert "Förslag till annat organ" in page
    assert "§\u00a031" in page and "HSN-00002-2023" in page
    listed = client.get(f"/follow-up?source={proposal.id}&view=full").get_data(as_text=True)
    assert "Uppföljning vårdval primärvård januari-december 2022, punkt 1" in listed
    # Document 000 names no indicator for its measures: none is linked.
    measures = session.exec(
        select(Measure.id).where(Measure.title == "Förbättrad tillgänglighet och jämlik vård")
    ).all()
    links = session.exec(select(MeasureIndicator).where(MeasureIndicator.measure_id.in_(measures)))
    assert measures and not links.all()


def test_the_last_row_of_the_pdf_never_stands_alone_on_its_page(make, login):
    source = make.source(title="Granskning av väntetider")
    client = login(make.user("viewer"))
    paragraph = " ".join(["Arbetet fortsätter enligt plan med uppföljning varje månad."] * 6)
    for count in range(1, 13):
        item = make.recommendation(source, text=f"Punkt-{count:03d}. {paragraph}", theme="Tema")
        assert item.id
        if count < 6:
            continue
        data = client.get("/follow-up?format=pdf").data
        pages = [squash(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]
        on_last = re.findall(r"Punkt-\d{3}", pages[-1])
        assert len(pages) == 1 or len(on_last) >= 2, (count, len(pages), on_last)
