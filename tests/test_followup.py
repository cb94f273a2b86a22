"""The follow-up list: filters, groups, exports, kept lists, closing decisions, query counts."""

import csv
import html
import io
import re
import zipfile
from datetime import date, datetime, timedelta

import docx
import openpyxl
import pypdf
import pytest
import yaml
from sqlmodel import select

from tests.conftest import QueryCounter, fresh
from tracker.config import ROOT
from tracker.dates import today
from tracker.db import engine
from tracker.followup.services import report as followup_report
from tracker.followup.services.report import PAGE_SIZE
from tracker.models import (
    Body,
    ChangeLog,
    ClosedItem,
    ClosingDecision,
    DecisionReference,
    KeptList,
    Measure,
    Meeting,
    Recommendation,
    RecommendationMeasure,
    Source,
    StatusUpdate,
)
from tracker.recommendations.services import format_reference, parse_reference
from tracker.seed import load_seed
from tracker.seed_loader import clean_text
from tracker.typography import typeset

SEED_003 = ROOT / "seed" / "003_regiondirektorens_uppdrag_2017.yaml"


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    """Keep evidence files of the test in its own folder."""
    folder = tmp_path / "evidence"
    app.config["EVIDENCE_DIR"] = str(folder)
    return folder


def normal(text: str) -> str:
    """Collapse whitespace, as a reader of a laid-out page does."""
    return " ".join(str(text).split())


def update(session, item, text, *, reported_on, author="Regiondirektören"):
    session.add(
        StatusUpdate(
            recommendation_id=item.id,
            author_name=author,
            reported_on=reported_on,
            text=text,
            status="in_progress",
        )
    )
    session.commit()


# The list page.


def test_the_list_shows_each_item_with_references_latest_update_and_measures(make, session, login):
    body = make.body()
    board = make.meeting(body)
    owner = make.user("owner", name="Anna Ägare")
    responsible = make.user("owner", name="Regiondirektören")
    item = make.recommendation(
        text="Säkerställ att anvisningen för remisshantering tillämpas.",
        theme="Remisser",
        kind="assignment",
        responsible_id=responsible.id,
        due_meeting_id=board.id,
    )
    make.reference(item, body, "RS 170503 § 103")
    update(session, item, "Äldre lägesrapport.", reported_on=date(2017, 6, 1))
    update(session, item, "Riktlinje remisser finns.", reported_on=date(2017, 12, 19))
    make.measure(
        [item],
        title="Utbilda chefer",
        owner_id=owner.id,
        due_date=date(2031, 1, 31),
        status="ongoing",
    )
    late = make.recommendation(
        text="Försenad punkt", theme="Remisser", due_date=today() - timedelta(1)
    )
    client = login(make.user("viewer"))

    page = client.get("/follow-up").get_data(as_text=True)

    assert "Säkerställ att anvisningen för remisshantering tillämpas." in page
    assert "RS 170503, §\u00a0103" in page
    assert "Riktlinje remisser finns." in page and "Äldre lägesrapport." not in page
    assert "2017-12-19, Regiondirektören" in page
    assert (
        '<span lang="sv">Utbilda chefer</span></span> – Anna Ägare – 2031-01-31 – Ongoing' in page
    )
    assert "1 measure: 1 ongoing" in page
    rows = re.findall(r'<tr class="followup-row[^"]*">.*?</tr>', page, re.S)
    marked = [row for row in rows if "Overdue" in row]
    assert len(marked) == 1 and late.text in marked[0]
    assert page.count('class="group-heading"') == 1


def test_a_long_list_is_shown_a_page_at_a_time_and_the_files_hold_it_all(make, login, monkeypatch):
    monkeypatch.setattr(followup_report, "PAGE_SIZE", 3)
    audit = make.source(title="Granskning av väntetider")
    texts = [make.recommendation(audit, text=f"Punkt nummer {n}").text for n in range(1, 8)]
    client = login(make.user("secretary"))
    first = client.get("/follow-up").get_data(as_text=True)
    assert [text in first for text in texts] == [True] * 3 + [False] * 4
    assert "Items 1–3 of 7 are shown: page 1 of 3." in first
    assert "The downloads and a kept list hold all 7 items." in first
    # Plain links, no script: the next page follows the filters in use.
    next_page = re.search(r'<a class="page-link" rel="next" href="([^"]+)"', first)[1]
    second = client.get(html.unescape(next_page)).get_data(as_text=True)
    assert [text in second for text in texts] == [False] * 3 + [True] * 3 + [False]
    assert "Items 4–6 of 7" in second and 'rel="prev"' in second
    last = client.get("/follow-up?page=3").get_data(as_text=True)
    assert texts[6] in last and "Items 7–7 of 7" in last and 'rel="next"' not in last
    csv_link = re.search(r'href="([^"]+format=csv[^"]*)"', second)[1]
    assert "page=" not in csv_link
    exported = client.get(html.unescape(csv_link)).get_data().decode("utf-8-sig")
    assert all(text in exported for text in texts)


def test_filters_narrow_the_list_and_the_user_picks_the_grouping(make, session, login):
    rs, hsn = make.body("RS", "Regionstyrelsen"), make.body("HSN", "Hälso- och sjukvårdsnämnden")
    rs_meeting = make.meeting(rs)
    audit = make.source(title="Granskning av remisser", dnr="00123-2017", addressee_id=rs.id)
    decision = make.source(kind="decision", title="HSN beslut", issuer_id=hsn.id)
    person, unit = make.user("owner", name="Bo Ansvarig"), make.unit("Division Nära")
    due_meeting = make.recommendation(audit, text="Punkt till mötet", due_meeting_id=rs_meeting.id)
    assigned = make.recommendation(
        decision,
        text="Uppdrag till Bo",
        kind="assignment",
        theme="Digitalisering",
        responsible_id=person.id,
        unit_id=unit.id,
        due_date=date(2030, 1, 15),
    )
    closed = make.recommendation(audit, text="Avslutad punkt", status="closed")
    later = make.recommendation(decision, text="Senare punkt", due_date=date(2031, 6, 1))
    client = login(make.user("secretary"))

    def shown(query: str) -> set[str]:
        page = client.get(f"/follow-up?{query}").get_data(as_text=True)
        texts = {due_meeting.text, assigned.text, closed.text, later.text}
        return {text for text in texts if text in page}

    assert shown("") == {due_meeting.text, assigned.text, later.text}
    assert shown("status=any") == {due_meeting.text, assigned.text, closed.text, later.text}
    assert shown("status=closed") == {closed.text}
    assert shown(f"meeting={rs_meeting.id}") == {due_meeting.text}
    assert shown(f"body={hsn.id}") == {assigned.text, later.text}
    assert shown(f"source={audit.id}") == {due_meeting.text}
    assert shown("kind=assignment") == {assigned.text}
    assert shown("theme=Digitalisering") == {assigned.text}
    assert shown(f"responsible={person.id}") == {assigned.text}
    assert shown(f"unit={unit.id}") == {assigned.text}
    assert shown("due_by=2030-03-01") == {due_meeting.text, assigned.text}

    by_source = client.get("/follow-up?group=source").get_data(as_text=True)
    headings = re.findall(r'class="group-heading">(?:<span lang="sv">)?([^<]*)<', by_source)
    assert headings == ["Granskning av remisser (Dnr 00123-2017)", "HSN beslut"]
    by_body = client.get("/follow-up?group=body").get_data(as_text=True)
    assert re.findall(r'class="group-heading">(?:<span lang="sv">)?([^<]*)<', by_body) == [
        "Regionstyrelsen",
        "Hälso- och sjukvårdsnämnden",
    ]


def _headings(client, query: str) -> list[str]:
    page = client.get(f"/follow-up?{query}").get_data(as_text=True)
    return re.findall(r'class="group-heading">(?:<span lang="sv">)?([^<]*)<', page)


def test_groups_are_ordered_by_their_rows_not_by_their_shown_names(make, session, login):
    # A real body and a real theme named like the groups of items without one, in the language
    # shown (the test client's English), keep their place, and items without one do not join.
    odd, rs = make.body("NB", "No body"), make.body("RS", "Regionstyrelsen")
    make.recommendation(make.source(addressee_id=odd.id), text="Först", theme="No theme")
    make.recommendation(make.source(addressee_id=rs.id), text="Sedan", theme="Vård")
    make.recommendation(make.source(), text="Utan organ och tema")
    client = login(make.user("viewer"))

    assert _headings(client, "group=body") == ["No body", "Regionstyrelsen", "No body"]
    assert _headings(client, "group=theme") == ["No theme", "Vård", "No theme"]


def test_an_item_without_meeting_or_addressee_goes_under_its_first_reference_body(
    make, session, login
):
    # The body comes from the reference's row, not from the code read back out of the shown
    # "RS AU 170301 § 5": a code with a space (which the body form refuses, but older or
    # imported rows may hold) would be read as "RS".
    make.body("RS", "Regionstyrelsen")
    committee = make.body("RS AU", "Regionstyrelsens arbetsutskott")
    item = make.recommendation(make.source(), text="Beslutad i utskottet")
    make.reference(item, committee, "RS 170301 § 5")
    client = login(make.user("viewer"))

    assert _headings(client, "group=body") == ["Regionstyrelsens arbetsutskott"]
    assert "RS AU 170301, §\u00a05" in client.get("/follow-up").get_data(as_text=True)


def test_changed_since_shows_items_with_new_updates_or_changed_measures(make, session, login):
    quiet, reported, measured = (
        make.recommendation(text=t) for t in ("Tyst", "Ny rapport", "Åtgärd")
    )
    measure = make.measure([measured])
    old = today() - timedelta(days=30)
    for item in (quiet, reported, measured):
        item.updated_at = item.created_at = item.created_at - timedelta(days=30)
    measure.updated_at = measure.updated_at - timedelta(days=30)
    session.commit()
    update(session, reported, "Lägesrapport i dag", reported_on=today())
    client = login(make.user("viewer"))
    since = (today() - timedelta(days=1)).isoformat()

    page = client.get(f"/follow-up?changed_since={since}").get_data(as_text=True)
    assert "Ny rapport" in page and "Tyst" not in page and "Åtgärd</span></div>" not in page

    measure = fresh(session).get(Measure, measure.id)
    measure.status = "done"
    measure.updated_at = measure.updated_at + timedelta(days=30)
    session.commit()
    page = client.get(f"/follow-up?changed_since={since}").get_data(as_text=True)
    assert "Åtgärd</span></div>" in page
    assert client.get(f"/follow-up?changed_since={old.isoformat()}").status_code == 200


def test_bad_filters_are_named_next_to_the_field_and_kept(make, login):
    client = login(make.user("viewer"))
    response = client.get("/follow-up?due_by=2021-13-45&body=abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the date as YYYY-MM-DD" in page and 'value="2021-13-45"' in page
    assert "Choose one of the options." in page
    assert client.get("/follow-up?format=exe").status_code == 400
    assert client.get("/follow-up?due_by=2021-13-45&format=docx").status_code == 400


# The seeded follow-up list of 2017-12-19, in every format.


def seeded_items() -> list[dict]:
    """Return the items of seed/003: theme, text, references and latest status text."""
    data = yaml.safe_load(SEED_003.read_text(encoding="utf-8"))
    items = []
    for source in data["sources"]:
        for item in source["recommendations"]:
            items.append(
                {
                    "theme": clean_text(item["theme"]),
                    "text": normal(clean_text(item["text"])),
                    # As the list writes them: "RS 170301, § 52" with a no-break space.
                    "references": [
                        typeset(format_reference(*parse_reference(text)))
                        for text in item.get("references", [])
                    ],
                    "status": normal(clean_text(item["status_updates"][-1]["text"])),
                }
            )
    return items


def seeded_groups(items) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["theme"], []).append(item)
    return list(groups.items())


@pytest.fixture
def seeded(seed, session):
    """Load the seed and return RS 2017-12-19: the seed ties 003's 22 items to it."""
    seed("documents", lambda: load_seed(session, ROOT / "seed"))
    return session.exec(select(Meeting).where(Meeting.held_on == date(2017, 12, 19))).one()


def squash(text: str) -> str:
    """Drop all whitespace: a laid-out page may break a line at any space or after a slash."""
    return "".join(str(text).split())


def assert_in_reading_order(text: str, items: list[dict]) -> None:
    """Each group's heading, then its items with their references and status, in order."""
    text = squash(text)
    items = [
        item
        | {key: squash(item[key]) for key in ("text", "status")}
        | {"references": [squash(ref) for ref in item["references"]]}
        for item in items
    ]
    cursor = 0
    for theme, members in seeded_groups(items):
        theme = squash(theme)
        heading = text.find(theme, cursor)
        assert heading >= 0, f"group {theme!r} missing after position {cursor}"
        cursor = heading + len(theme)
        for item in members:
            start = text.find(item["text"], cursor)
            assert start >= 0, f"{item['text'][:50]!r} is not under {theme!r}"
            cursor = start + len(item["text"])
            for ref in item["references"]:
                found = text.find(ref, cursor)
                assert found >= 0, f"{ref} missing for {item['text'][:40]!r}"
            status = text.find(item["status"], cursor)
            assert status >= 0, f"status missing for {item['text'][:40]!r}"
            cursor = status + len(item["status"])


def docx_rows(data: bytes):
    """Return the document and its ONE table's item rows as (group row's name, cell texts)."""
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    group, rows = None, []
    for row in table.rows[1:]:
        if len(row._tr.tc_lst) == 1:  # a theme (or source) row across the table
            group = row.cells[0].text
        else:
            rows.append((group, [cell.text for cell in row.cells]))
    return document, rows


def test_the_word_file_is_an_agenda_document_with_the_seeded_items(seeded, make, login):
    client = login(make.user("viewer"))
    response = client.get(f"/follow-up?meeting={seeded.id}&format=docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    document, rows = docx_rows(response.data)

    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == "Report-back to Regionstyrelsen, meeting 2017-12-19"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Body: Regionstyrelsen" in text and "Meeting: RS 2017-12-19" in text
    # Dated the meeting's day, in words: not the day the file was made.
    assert "Date: 19 December 2017" in text
    # No filter lines or counts on paper.
    assert "Grouped by" not in text and "Items:" not in text and "Status:" not in text
    items = seeded_items()
    groups = list(dict.fromkeys(group for group, _cells in rows))
    assert groups == [theme for theme, _members in seeded_groups(items)]
    # Exactly 003's 22 items, in 003's order.
    assert len(rows) == len(items) == 22
    for (group, cells), item in zip(rows, items, strict=True):
        _text, references, status = cells
        assert normal(cells[0]).startswith(item["text"]), item["text"][:50]
        assert group == item["theme"]
        assert references.split("\n") == (item["references"] or ["Stabsplan"])
        assert item["status"] in normal(status)


def test_the_pdf_is_the_print_view_with_the_seeded_items(seeded, make, login):
    client = login(make.user("viewer"))
    response = client.get(f"/follow-up?meeting={seeded.id}&format=pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert normal(text).startswith("Report-back to Regionstyrelsen, meeting 2017-12-19")
    assert_in_reading_order(text, seeded_items())
    # The print view in the browser is the same document.
    page = client.get(f"/follow-up?meeting={seeded.id}&view=full").get_data(as_text=True)
    document = page[page.index('class="followup-document') :]
    assert_in_reading_order(html.unescape(re.sub(r"<[^>]+>", " ", document)), seeded_items())


def test_the_excel_file_has_one_typed_row_per_seeded_item(seeded, make, login):
    client = login(make.user("viewer"))
    response = client.get(f"/follow-up?meeting={seeded.id}&format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{sheet.max_row}"
    rows = [
        dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(2)
    ]
    items = seeded_items()
    assert len(rows) == len(items)
    for item in items:
        (row,) = [row for row in rows if normal(row["Text"]) == item["text"]]
        assert row["Theme"] == item["theme"]
        assert (row["Decision references"] or "").split("\n") == (item["references"] or [""])
        assert normal(row["Latest update"]) == item["status"]
        assert row["Update date"].date() == date(2017, 12, 19)
    # Only the deadlines the document gives, in its words; a date it gives is typed.
    written = [row["Deadline as written"] for row in rows if row["Deadline as written"]]
    assert sorted(written) == [
        "at every meeting",
        "every year",
        "the meeting on 31 October 2017",
        "våren 2018 (2018-06-30, assumed)",
    ]
    deadlines = {row["Deadline"] for row in rows}
    assert deadlines == {None, datetime(2017, 10, 31), datetime(2018, 6, 30)}


def test_the_csv_file_opens_in_swedish_excel_with_the_seeded_items(seeded, make, login):
    client = login(make.user("viewer"))
    response = client.get(f"/follow-up?meeting={seeded.id}&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    items = seeded_items()
    assert len(rows) == len(items)
    for item in items:
        (row,) = [row for row in rows if normal(row["Text"]) == item["text"]]
        assert row["Theme"] == item["theme"]
        assert (row["Decision references"]).split("\n") == (item["references"] or [""])
        assert normal(row["Latest update"]) == item["status"]
    assert any(row["Theme"] == "Översyn av den palliativa vården" for row in rows)


def test_formula_looking_text_stays_text(make, login):
    texts = ['=HYPERLINK("http://example.com","klicka")', "+46 70 123", "-1+2", "@SUM(A1)"]
    for text in texts:
        make.recommendation(text=text, theme="=Tema")
    client = login(make.user("viewer"))

    data = client.get("/follow-up?format=xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [sheet.cell(row, 3) for row in range(2, sheet.max_row + 1)]
    assert sorted(cell.value for cell in cells) == sorted(texts)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert sheet.cell(2, 1).value == "=Tema" and sheet.cell(2, 1).data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()

    text = client.get("/follow-up?format=csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert sorted(row["Text"] for row in rows) == sorted(f"'{t}" for t in texts)


# Kept lists.


def test_a_kept_list_does_not_change_when_the_items_do(make, session, login):
    body = make.body()
    board = make.meeting(body)
    item = make.recommendation(text="Ursprunglig text", theme="Tema A", due_meeting_id=board.id)
    update(session, item, "Första lägesrapporten", reported_on=date(2030, 2, 1))
    secretary = make.user("secretary", name="Sara Sekreterare")
    client = login(secretary)

    response = client.submit(
        "/follow-up/keep",
        {
            "meeting": board.id,
            "group": "theme",
            "meeting_id": board.id,
            "title": "Återrapportering RS",
        },
    )
    assert response.status_code == 302
    kept = fresh(session).exec(select(KeptList)).one()
    assert response.headers["Location"].endswith(f"/follow-up/kept/{kept.id}")
    assert kept.made_by_name == "Sara Sekreterare" and kept.item_count == 1
    before = {
        fmt: client.get(f"/follow-up/kept/{kept.id}?format={fmt}").data for fmt in ("csv", "xlsx")
    }

    item = session.get(Recommendation, item.id)
    item.text, item.theme = "Ändrad text", "Tema B"
    session.commit()
    update(session, item, "Senare lägesrapport", reported_on=date(2030, 2, 20))
    make.reference(item, body, "RS 300215 § 9")

    page = client.get(f"/follow-up/kept/{kept.id}").get_data(as_text=True)
    assert "Ursprunglig text" in page and "Första lägesrapporten" in page and "Tema A" in page
    assert "Ändrad text" not in page and "Senare lägesrapport" not in page
    assert "Sara Sekreterare" in page and "Återrapportering RS" in page
    assert "the copy is unchanged since it was kept" in page
    assert client.get(f"/follow-up/kept/{kept.id}?format=csv").data == before["csv"]
    after = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/follow-up/kept/{kept.id}?format=xlsx").data)
    )
    first = openpyxl.load_workbook(io.BytesIO(before["xlsx"]))
    assert [[c.value for c in r] for r in after.worksheets[0].iter_rows()] == [
        [c.value for c in r] for r in first.worksheets[0].iter_rows()
    ]
    _document, rows = docx_rows(client.get(f"/follow-up/kept/{kept.id}?format=docx").data)
    assert rows[0][0] == "Tema A" and rows[0][1][0].startswith("Ursprunglig text")
    pdf = pypdf.PdfReader(io.BytesIO(client.get(f"/follow-up/kept/{kept.id}?format=pdf").data))
    assert "Ursprunglig text" in pdf.pages[0].extract_text()

    live = client.get(f"/follow-up?meeting={board.id}").get_data(as_text=True)
    assert "Ändrad text" in live and "Senare lägesrapport" in live

    meeting_page = client.get(f"/meetings/{board.id}").get_data(as_text=True)
    assert "Återrapportering RS" in meeting_page
    assert f"/follow-up/kept/{kept.id}?format=docx" in meeting_page

    # Altered behind the tracker's back, the copy no longer matches its fingerprint.
    kept = fresh(session).get(KeptList, kept.id)
    kept.snapshot = kept.snapshot | {"title": "Något annat"}
    session.commit()
    page = client.get(f"/follow-up/kept/{kept.id}").get_data(as_text=True)
    assert "does not match its fingerprint" in page


def test_keeping_needs_a_meeting_and_a_title(make, session, login):
    board = make.meeting()
    make.recommendation(text="Punkt", due_meeting_id=board.id)
    client = login(make.user("secretary"))
    response = client.submit("/follow-up/keep", {"meeting": board.id, "title": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("This field is required.") >= 2
    assert fresh(session).exec(select(KeptList)).all() == []


# Closing.


def close_data(items, body, **extra):
    data = {
        "item": [item.id for item in items],
        "outcome": "closed",
        "body_id": body.id,
        "decided_on": "2021-03-02",
        "paragraph": "45",
        "text": "Regionstyrelsen beslutar att godkänna vidtagna och pågående åtgärder.",
    }
    return data | extra


def test_a_closing_decisions_dnr_is_shown_and_exported_with_its_paragraph(make, login):
    body = make.body()
    item = make.recommendation(make.source(), text="Rekommendation med diarienummer")
    client = login(make.user("secretary"))
    closed = client.submit("/follow-up/close", close_data([item], body, dnr="RS-00045-2021"))
    assert closed.status_code == 302, closed.get_data(as_text=True)

    reference = "RS 210302, §\u00a045, dnr RS-00045-2021"
    listed = client.get("/follow-up?status=closed").get_data(as_text=True)
    assert f"Decision {reference}" in listed
    export = client.get("/follow-up?status=closed&format=csv")
    (row,) = csv.DictReader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";")
    assert row["Closing decision"] == reference


def test_closing_many_items_records_one_decision_on_each_in_the_change_log(
    make, session, login, evidence_dir
):
    body = make.body()
    source = make.source(title="Temagranskning Primärvården, del 2")
    items = [make.recommendation(source, text=f"Rekommendation {n}") for n in (1, 2, 3)]
    untouched = make.recommendation(source, text="Inte med i beslutet")
    client = login(make.user("secretary", name="Sara Sekreterare"))
    page = client.get("/follow-up").get_data(as_text=True)
    assert 'form="close-selection"' in page
    item_page = client.get(f"/recommendations/{items[0].id}").get_data(as_text=True)
    assert f"/follow-up/close?item={items[0].id}" in item_page

    form = client.get("/follow-up/close?" + "&".join(f"item={i.id}" for i in items))
    assert form.status_code == 200 and "Rekommendation 3" in form.get_data(as_text=True)
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
    data = close_data(items, body, evidence=(io.BytesIO(pdf), "Protokollsutdrag RS § 45.pdf"))
    response = client.submit("/follow-up/close", data, content_type="multipart/form-data")

    assert response.status_code == 302, response.get_data(as_text=True)
    fresh(session)
    decision = session.exec(select(ClosingDecision)).one()
    assert decision.evidence_name == "Protokollsutdrag RS § 45.pdf"
    assert decision.evidence_type == "application/pdf"
    assert (evidence_dir / decision.evidence_file).read_bytes() == pdf
    links = session.exec(select(ClosedItem)).all()
    assert sorted(link.recommendation_id for link in links) == sorted(i.id for i in items)
    assert {link.decision_id for link in links} == {decision.id}
    for item in items:
        assert session.get(Recommendation, item.id).status == "closed"
        log = session.exec(
            select(ChangeLog).where(
                ChangeLog.entity == "recommendation",
                ChangeLog.entity_id == item.id,
                ChangeLog.action == "update",
            )
        ).all()
        closing = [
            entry for entry in log if entry.changes.get("status", [None, None])[1] == "closed"
        ]
        assert len(closing) == 1 and closing[0].reason == "Closed by decision RS 210302 § 45"
        assert closing[0].user_id is not None
        latest = session.exec(
            select(StatusUpdate)
            .where(StatusUpdate.recommendation_id == item.id)
            .order_by(StatusUpdate.id.desc())
        ).first()
        assert latest.text.startswith("Decision RS 210302 § 45: Regionstyrelsen beslutar")
    assert session.get(Recommendation, untouched.id).status == "open"
    logged_links = session.exec(select(ChangeLog).where(ChangeLog.entity == "closeditem")).all()
    assert len(logged_links) == 3

    decision_page = client.get(f"/follow-up/decisions/{decision.id}").get_data(as_text=True)
    assert "Rekommendation 2" in decision_page and "Protokollsutdrag RS § 45.pdf" in decision_page
    history = client.get(f"/recommendations/{items[0].id}").get_data(as_text=True)
    assert "Closed by decision RS 210302 § 45" in history
    listed = client.get("/follow-up?status=closed").get_data(as_text=True)
    assert "Decision RS 210302, §\u00a045" in listed

    download = client.get(f"/follow-up/decisions/{decision.id}/evidence")
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]

    again = client.submit("/follow-up/close", close_data(items[:1], body))
    assert again.status_code == 400 and "Already closed" in again.get_data(as_text=True)


def test_the_proposed_decision_of_000_closes_all_items_of_the_audit_report(
    seeded, make, session, login
):
    data = yaml.safe_load(
        (ROOT / "seed" / "000_temagranskning_primarvarden_del_2.yaml").read_text()
    )
    (report,) = data["sources"]
    proposal = clean_text(
        next(r for r in report["recommendations"] if "proposed_decision" in r)["proposed_decision"]
    )
    source = session.exec(select(Source).where(Source.title == report["title"])).one()
    rs = session.exec(select(Body).where(Body.code == "RS")).one()
    client = login(make.user("secretary"))

    listed = client.get(f"/follow-up?source={source.id}").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'name="item" value="(\d+)"', listed)]
    assert len(ids) == len(report["recommendations"])
    assert "Förslag till beslut: " + proposal in html.unescape(listed)

    response = client.submit(
        "/follow-up/close",
        {
            "item": ids,
            "outcome": "closed",
            "body_id": rs.id,
            "decided_on": today().isoformat(),
            "paragraph": "12",
            "text": proposal,
        },
    )

    assert response.status_code == 302
    still_open = client.get(f"/follow-up?source={source.id}").get_data(as_text=True)
    assert still_open.count('class="followup-row') == 0
    closed = client.get(f"/follow-up?source={source.id}&status=closed").get_data(as_text=True)
    reference = typeset(format_reference("RS", today(), "12"))
    closed = html.unescape(closed)
    assert closed.count(f"Decision {reference}</a>") == len(ids)
    assert closed.count(f"Decision {reference}: {proposal}") == len(ids)


def test_evidence_is_only_for_signed_in_users(make, session, app, login, evidence_dir):
    body = make.body()
    item = make.recommendation()
    client = login(make.user("secretary"))
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    data = close_data([item], body, evidence=(io.BytesIO(png), "bild.png"))
    assert (
        client.submit("/follow-up/close", data, content_type="multipart/form-data").status_code
        == 302
    )
    decision = fresh(session).exec(select(ClosingDecision)).one()
    url = f"/follow-up/decisions/{decision.id}/evidence"
    assert login(make.user("viewer")).get(url).data == png

    anonymous = app.test_client()
    with app.app_context():
        response = anonymous.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # The folder is outside the web root: no static address serves it.
    with app.app_context():
        assert anonymous.get(f"/static/{decision.evidence_file}").status_code == 404
        assert (
            anonymous.get(f"/static/../instance/evidence/{decision.evidence_file}").status_code
            == 404
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("protokoll.pdf", b"just text, not a PDF", "The file's content is not PDF"),
        ("beslut.docx", b"PK\x03\x04not really a zip", "The file's content is not PDF"),
        ("../../etc/protokoll.pdf", b"%PDF-1.4\n%%EOF", "without folders"),
        ("C:protokoll.pdf", b"%PDF-1.4\n%%EOF", "without folders"),
        ("stor.pdf", b"%PDF-1.4\n" + b"0" * 4096, "The file is larger than"),
    ],
)
def test_bad_evidence_is_refused_with_a_clear_message(
    make, session, login, app, evidence_dir, name, content, message
):
    app.config["EVIDENCE_MAX_BYTES"] = 2048
    body = make.body()
    item = make.recommendation(text="Punkt som ska stängas")
    client = login(make.user("secretary"))
    data = close_data([item], body, evidence=(io.BytesIO(content), name))

    response = client.submit("/follow-up/close", data, content_type="multipart/form-data")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="evidence-error"[^>]*>([^<]*)<', page)
    assert error and message in html.unescape(error.group(1))
    assert "Regionstyrelsen beslutar att godkänna" in page and 'value="45"' in page
    fresh(session)
    assert session.exec(select(ClosingDecision)).all() == []
    assert session.get(Recommendation, item.id).status == "open"
    assert not evidence_dir.exists() or list(evidence_dir.iterdir()) == []


def multipart(fields: dict, file_header: str, content: bytes) -> tuple[bytes, str]:
    """Write a multipart body by hand, with the file part's Content-Disposition as given."""
    boundary = "followup-test-boundary"
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
    parts.append(
        f"--{boundary}\r\nContent-Disposition: form-data; {file_header}\r\n"
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "file_header",
    [
        # A Windows path, as RFC 5987 encodes it and as an escaped quoted string.
        "name=\"evidence\"; filename*=UTF-8''..%5C..%5Cprotokoll.pdf",
        'name="evidence"; filename="C:\\\\Users\\\\sara\\\\protokoll.pdf"',
    ],
)
def test_windows_paths_as_file_names_are_refused(make, session, login, evidence_dir, file_header):
    body = make.body()
    item = make.recommendation()
    client = login(make.user("secretary"))
    fields = close_data([item], body) | {"csrf_token": client.csrf()}
    data, content_type = multipart(fields, file_header, b"%PDF-1.4\n%%EOF")

    response = client.post("/follow-up/close", data=data, content_type=content_type)

    assert response.status_code == 400
    assert "without folders" in response.get_data(as_text=True)
    assert fresh(session).exec(select(ClosingDecision)).all() == []
    assert not evidence_dir.exists() or list(evidence_dir.iterdir()) == []


def test_word_excel_and_images_are_taken_as_evidence(make, session, login, evidence_dir):
    from tracker.evidence import detect_type

    word = io.BytesIO()
    docx.Document().save(word)
    excel = io.BytesIO()
    openpyxl.Workbook().save(excel)
    assert detect_type(word.getvalue())[1] == ".docx"
    assert detect_type(excel.getvalue())[1] == ".xlsx"
    assert detect_type(b"\xff\xd8\xff\xe0" + b"\0" * 16)[1] == ".jpg"
    assert detect_type(b"GIF89a" + b"\0" * 16)[1] == ".gif"
    assert detect_type(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None

    body = make.body()
    item = make.recommendation()
    client = login(make.user("secretary"))
    # Named as a PDF, but a Word file: kept as what it is.
    data = close_data([item], body, evidence=(io.BytesIO(word.getvalue()), "beslut.pdf"))
    assert (
        client.submit("/follow-up/close", data, content_type="multipart/form-data").status_code
        == 302
    )
    decision = fresh(session).exec(select(ClosingDecision)).one()
    assert decision.evidence_name == "beslut.docx"
    assert decision.evidence_file.endswith(".docx")


def test_far_too_large_uploads_are_cut_off_with_a_message(make, login, app):
    app.config["EVIDENCE_MAX_BYTES"] = 64 * 1024
    app.config["MAX_CONTENT_LENGTH"] = 4 * 64 * 1024 + 64 * 1024
    body = make.body()
    item = make.recommendation()
    client = login(make.user("secretary"))
    huge = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)
    data = close_data([item], body, evidence=(io.BytesIO(huge), "stor.pdf"))
    response = client.submit("/follow-up/close", data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "The file is larger than 0.0625 MB" in response.get_data(as_text=True)


def test_closing_needs_items_and_a_full_decision_reference(make, session, login):
    body = make.body()
    client = login(make.user("secretary"))
    response = client.submit("/follow-up/close", {"body_id": body.id, "paragraph": "§§"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose at least one item to close." in page
    assert "Write the paragraph number, e.g. 52." in page
    assert page.count("This field is required.") >= 3
    assert fresh(session).exec(select(ClosingDecision)).all() == []


# Query counts.


def add_items(session, *, source, body, board, owner, unit, start: int, count: int) -> None:
    """Add items with a reference, two status updates and a measure each, in bulk."""
    items = [
        Recommendation(
            source_id=source.id,
            kind="assignment",
            text=f"Uppdrag nummer {n}",
            theme=f"Tema {n % 7}",
            responsible_id=owner.id,
            unit_id=unit.id,
            due_meeting_id=board.id,
        )
        for n in range(start, start + count)
    ]
    measures = [Measure(title=f"Åtgärd {n}", owner_id=owner.id) for n in range(count)]
    session.add_all(items + measures)
    session.flush()
    for n, (item, measure) in enumerate(zip(items, measures, strict=True)):
        session.add(
            DecisionReference(
                recommendation_id=item.id,
                body_id=body.id,
                decided_on=date(2017, 3, 1),
                paragraph=str(start + n),
            )
        )
        session.add(RecommendationMeasure(recommendation_id=item.id, measure_id=measure.id))
        for day in (1, 2):
            session.add(
                StatusUpdate(
                    recommendation_id=item.id,
                    author_name="Regiondirektören",
                    reported_on=date(2017, 12, day),
                    text=f"Läge {day} för {start + n}",
                    status="in_progress",
                )
            )
    session.commit()


def test_the_list_page_makes_as_many_queries_for_500_rows_as_for_10(make, session, login, app):
    body = make.body()
    board = make.meeting(body)
    source, owner, unit = make.source(), make.user("owner"), make.unit()
    world = {"source": source, "body": body, "board": board, "owner": owner, "unit": unit}
    add_items(session, start=0, count=10, **world)
    client = login(make.user("viewer"))
    url = f"/follow-up?meeting={board.id}"
    with app.app_context():
        counts = {}
        for size in (10, 500):
            if size == 500:
                add_items(session, start=10, count=490, **world)
            for fmt in ("", "&format=csv"):
                with QueryCounter(engine()) as counter:
                    response = client.get(url + fmt)
                assert response.status_code == 200
                counts[size, fmt] = counter.count
            # A page past the end shows the last page: the last item of the last theme.
            page = client.get(url + "&page=99").get_data(as_text=True)
            assert page.count('class="followup-row') == (size - 1) % PAGE_SIZE + 1
            last = max(n for n in range(size) if n % 7 == 6)
            assert f"Läge 2 för {last}" in page and f"Läge 1 för {last}" not in page
    assert counts[10, ""] == counts[500, ""]
    assert counts[10, "&format=csv"] == counts[500, "&format=csv"]
