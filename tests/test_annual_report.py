"""The annual report: which items it holds, their grades and slippage, totals that add up."""

import io
import re
import subprocess
from datetime import date
from html.parser import HTMLParser

import docx
import openpyxl
import pypdf
import pytest
from sqlmodel import select

from tests.test_followup_documents import libreoffice_pdf
from tracker.config import ROOT
from tracker.followup.services.closing import close_items
from tracker.models import Body, Recommendation, Source
from tracker.seed import load_seed


class Tables(HTMLParser):
    """Read every table on a page as its caption and rows of cell texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def tables_of(page: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(page)
    return parser.tables


def assert_totals_add_up(tables: dict[str, list[list[str]]], items: int) -> None:
    """Each totals table's counts add up to its Total row, and that to the items listed."""
    for caption in ("By the board's grade", "By source", "By body"):
        rows = tables[caption][1:]  # the header row first
        *counted, total = rows
        assert total[0] == "Total"
        assert sum(int(row[1]) for row in counted) == int(total[1]) == items, caption


@pytest.fixture
def seeded(seed, session):
    seed("documents", lambda: load_seed(session, ROOT / "seed"))
    return session.exec(select(Body).where(Body.code == "RS")).one()


def test_the_2018_report_for_the_board_lists_003s_items_with_the_words_of_their_deadlines(
    seeded, login, make, session
):
    client = login(make.user("secretary"))
    page = client.get(f"/annual-report/?year=2018&body={seeded.id}").get_data(as_text=True)
    titles = [s.title for s in session.exec(select(Source).where(Source.title.contains("uppdrag")))]
    expected = session.exec(
        select(Recommendation).join(Source).where(Source.title.in_(titles))
    ).all()
    assert expected, "the seed holds 003's assignments"
    tables = tables_of(page)
    rows = tables["Every item"][1:]
    # Every one of 003's items, and nothing from a report the region received after 2018.
    assert len(rows) == len(expected)
    texts = " ".join(row[2] for row in rows)
    for item in expected:
        assert " ".join(item.text.split())[:60] in texts
    assert "1177" not in " ".join(row[0] for row in rows)
    assert "Temagranskning" not in page
    # § 184: "våren 2018" as the document says, its last day marked as assumed.
    spring = next(row for row in rows if "våren 2018" in row[7])
    assert spring[7] == "våren 2018, at the latest 2018-06-30 (assumed)"
    assert spring[9] == "0"
    yearly = next(row for row in rows if "Every year" in row[7])
    assert yearly[7] == "Every year"  # "årligen": no date is invented
    assert all(row[5] == "Not graded" for row in rows)
    assert_totals_add_up(tables, len(rows))


def received(make, body, issued_on, **values):
    source = make.source(issued_on=issued_on, addressee_id=body.id)
    return make.recommendation(source, **values)


def test_the_report_holds_items_open_at_the_years_start_or_received_in_it(make, login, session):
    body = make.body()
    other = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    secretary = make.user("secretary")
    old_open = received(make, body, date(2016, 5, 1), text="Äldre och fortfarande öppen")
    new = received(make, body, date(2018, 9, 1), text="Mottagen under året")
    later = received(make, body, date(2019, 2, 1), text="Mottagen året efter")
    closed_before = received(make, body, date(2016, 5, 1), text="Stängd före året")
    closed_during = received(make, body, date(2017, 5, 1), text="Stängd under året")
    elsewhere = received(make, other, date(2018, 3, 1), text="Till nämnden")
    for item, decided_on in ((closed_before, date(2017, 11, 1)), (closed_during, date(2018, 4, 1))):
        close_items(
            session,
            recommendation_ids=[item.id],
            outcome="closed",
            body_id=body.id,
            decided_on=decided_on,
            paragraph="12",
            text="Godkänt",
            user=secretary,
        )
    session.commit()
    client = login(secretary)
    page = client.get(f"/annual-report/?year=2018&body={body.id}").get_data(as_text=True)
    rows = tables_of(page)["Every item"][1:]
    listed = {row[2] for row in rows}
    assert listed == {old_open.text, new.text, closed_during.text}
    assert later.text not in page and closed_before.text not in page
    assert elsewhere.text not in page
    every = client.get("/annual-report/?year=2018").get_data(as_text=True)
    assert elsewhere.text in every
    tables = tables_of(every)
    assert_totals_add_up(tables, len(tables["Every item"]) - 1)
    by_body = dict(row[:2] for row in tables["By body"][1:-1])
    assert by_body == {"Regionstyrelsen": "3", "Hälso- och sjukvårdsnämnden": "1"}


def test_the_report_as_word_excel_and_pdf_holds_the_same_rows_and_totals(
    make, login, session, tmp_path
):
    body = make.body()
    for n in range(3):
        received(make, body, date(2018, 2, n + 1), text=f"Rekommendation {n} om tillgänglighet")
    item = received(
        make, body, date(2018, 2, 9), text="=SUMMA(A1) ska stå som text", due_date=date(2018, 6, 30)
    )
    client = login(make.user("secretary"))
    url = f"/annual-report/?year=2018&body={body.id}"
    assert client.get(url).status_code == 200
    item_page = f"/recommendations/{item.id}"
    # A graded item, in every file.
    grade_form = client.get(f"{item_page}/grade").get_data(as_text=True)
    assert "grader" in grade_form
    client.submit(
        f"{item_page}/grade", {"grader": "board", "grade": "partly", "graded_on": "2018-12-01"}
    )

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url + "&format=xlsx").data))
    sheet = workbook["2018"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    formula = next(row for row in rows if str(row[2]).startswith("=SUMMA"))
    assert sheet.cell(row=rows.index(formula) + 2, column=3).data_type == "s"
    assert formula[5] == "Implemented in some respects"
    totals = [row for row in workbook["Totals"].iter_rows(values_only=True) if row[0] == "Total"]
    assert [row[1] for row in totals] == [4, 4, 4]

    document = docx.Document(io.BytesIO(client.get(url + "&format=docx").data))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    items_table = document.tables[-1]
    assert len(items_table.rows) == 5
    for table in document.tables[:-1]:
        counts = [int(row.cells[1].text) for row in table.rows[1:-1]]
        assert sum(counts) == int(table.rows[-1].cells[1].text) == 4

    pdf_of_word = libreoffice_pdf(client.get(url + "&format=docx").data, tmp_path)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf_of_word, capture_output=True, check=True
    ).stdout.decode()
    assert "Recommendations and assignments 2018" in text
    assert "Implemented in some respects" in text

    pdf = pypdf.PdfReader(io.BytesIO(client.get(url + "&format=pdf").data))
    words = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    assert "Recommendations and assignments 2018 – Regionstyrelsen" in words
    assert "Rekommendation 2 om tillgänglighet" in words
