"""The follow-up list a secretary sends to the board: roll-up, filters, Word and PDF layout."""

import io
import re
import shutil
import subprocess
from datetime import UTC, date, timedelta

import docx
import pypdf
from docx.oxml.ns import qn
from sqlmodel import select

from tests.conftest import QueryCounter, fresh
from tests.html_forms import rendered_form
from tests.test_followup import (
    add_items,
    normal,
    seeded,  # noqa: F401  (a fixture)
    seeded_items,
    update,
)
from tracker.dates import today
from tracker.db import engine
from tracker.fingerprint import fingerprint_of
from tracker.followup.word import TEXT_WIDTH
from tracker.models import (
    ChangeLog,
    KeptList,
    Measure,
    Recommendation,
    RecommendationMeasure,
    Source,
    StatusUpdate,
    utcnow,
)

A4 = (595, 842)  # points, portrait


def switch_to(client, login, user):
    """Sign out whoever is signed in, and sign the user in."""
    client.submit("/logout")
    return login(user)


def post_form(client, url: str, action_part: str, values: dict):
    """Open the page, fill in the form it rendered, and send it as a browser would."""
    page = client.get(url).get_data(as_text=True)
    form = rendered_form(page, action_part)
    return client.post(form.action, data=form.data() | values)


def option_value(page: str, field: str, label: str) -> str:
    """Return the value of the option named label in a select of the page."""
    select_html = re.search(rf'<select[^>]*name="{field}".*?</select>', page, re.S).group(0)
    return re.search(rf'<option[^>]*value="([^"]*)"[^>]*>{re.escape(label)}', select_html).group(1)


def pdf_pages(data: bytes) -> tuple[list[tuple[int, int]], str]:
    """Return each page's size in points and the whole text of a PDF."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    sizes = [(round(page.mediabox.width), round(page.mediabox.height)) for page in reader.pages]
    return sizes, "\n".join(page.extract_text() for page in reader.pages)


def libreoffice_pdf(data: bytes, tmp_path) -> bytes:
    """Convert a Word file to PDF with LibreOffice, as a secretary's office suite lays it out."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (libreoffice-writer-nogui) is needed to check the Word layout"
    source = tmp_path / "list.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "list.pdf").read_bytes()


def squash(text: str) -> str:
    return "".join(str(text).split())


def found_across_pages(needle: str, text: str, pieces: int = 3) -> bool:
    """Tell whether needle is in text whole, or in up to `pieces` parts in order.

    A row that goes on over a page break is laid out cell by cell, page by page: the end of
    its first cell comes after the other cells' beginnings.
    """
    start = 0
    for _piece in range(pieces):
        if text.find(needle, start) >= 0:
            return True
        low, high = 0, len(needle)  # the longest prefix of needle found from start
        while low < high:
            middle = (low + high + 1) // 2
            if text.find(needle[:middle], start) >= 0:
                low = middle
            else:
                high = middle - 1
        if low < 20:
            return False
        start = text.find(needle[:low], start) + low
        needle = needle[low:]
    return False


def without_page_furniture(text: str, header: list[str]) -> str:
    """Drop the footers and repeated table headers: a row may go on over a page break."""
    return "\n".join(
        line
        for line in text.splitlines()
        if line.strip() not in header and not re.fullmatch(r"Sida \d+ av \d+", line.strip())
    )


# The roll-up.


def test_each_measure_shows_its_own_latest_update_under_the_items_own_report(make, session, login):
    owner_a, owner_b = make.user("owner", name="Anna Ägare"), make.user("owner", name="Bo Berg")
    item = make.recommendation(text="Förbättra telefontillgängligheten.", theme="Tillgänglighet")
    update(session, item, "Egen lägesrapport.", reported_on=today() - timedelta(10))
    done = make.measure([item], title="Ny telefoni", owner_id=owner_a.id, status="done")
    ongoing = make.measure(
        [item],
        title="Rekrytera",
        owner_id=owner_b.id,
        status="ongoing",
        judgement="at_risk",
        due_date=today() + timedelta(30),
    )
    make.measure(
        [item],
        title="Utbilda personal",
        owner_id=owner_a.id,
        status="ongoing",
        due_date=today() - timedelta(3),
    )
    for measure, text, days in (
        (done, "Telefonin är på plats.", 5),
        (ongoing, "Två anställda.", 2),
    ):
        session.add(
            StatusUpdate(
                measure_id=measure.id,
                author_name=session.get(type(owner_a), measure.owner_id).name,
                reported_on=today() - timedelta(days),
                text=text,
                status=measure.status,
            )
        )
    session.commit()
    client = login(make.user("viewer"))

    for view in ("compact", "full"):
        page = client.get(f"/follow-up?view={view}").get_data(as_text=True)
        row = re.search(r'<tr class="followup-row[^"]*">.*?</tr>', page, re.S).group(0)
        # The item's own report first, then under each measure its own latest update.
        own = row.index("Egen lägesrapport.")
        lines = re.findall(r"<li>.*?</li>", row, re.S)
        by_title = {re.search(r'lang="sv">([^<]+)<', line).group(1): line for line in lines}
        assert set(by_title) == {"Ny telefoni", "Rekrytera", "Utbilda personal"}
        assert all(own < row.index(line) for line in lines)
        assert "Telefonin är på plats." in by_title["Ny telefoni"]
        assert "Anna Ägare" in by_title["Ny telefoni"]
        assert "Två anställda." in by_title["Rekrytera"] and "Bo Berg" in by_title["Rekrytera"]
        assert (today() - timedelta(2)).isoformat() in by_title["Rekrytera"]
        assert "anställda" not in by_title["Utbilda personal"]
        assert "3 measures: 1 done, 1 ongoing, 1 overdue" in row
        assert "Rekrytera</span></span> – Bo Berg – " in row and "Ongoing, at risk" in row
        assert "Overdue" in by_title["Utbilda personal"]
        assert "overdue-row" in row
    compact = client.get("/follow-up").get_data(as_text=True)
    assert "<details" in compact and "followup-compact" in compact
    swedish = switch_to(client, login, make.user("viewer", language="sv"))
    swedish.get("/language/sv")  # the header's link: this browser says English
    page = swedish.get("/follow-up").get_data(as_text=True)
    assert "3 åtgärder: 1 klar, 1 pågår, 1 försenad" in page
    assert "Pågår, risk för försening" in page
    full = client.get("/follow-up?view=full").get_data(as_text=True)
    assert "<details" not in full[full.index("<main") :]  # the header's "Mer" menu is one

    # A newer report of the item's own replaces its older one; the measures keep theirs.
    update(session, item, "Ny egen lägesrapport.", reported_on=today())
    page = client.get("/follow-up").get_data(as_text=True)
    assert "Ny egen lägesrapport." in page and "Egen lägesrapport." not in page
    assert "Två anställda." in page and "Telefonin är på plats." in page
    data = client.get("/follow-up?format=docx").data
    text = "\n".join(
        cell.text for row in docx.Document(io.BytesIO(data)).tables[0].rows for cell in row.cells
    )
    assert text.index("Ny egen lägesrapport.") < text.index("Två anställda.")
    assert "Telefonin är på plats." in text


def test_an_item_whose_measures_are_all_done_suggests_reported_to_the_secretary(
    make, session, login
):
    item = make.recommendation(text="Inför en gemensam rutin.", status="in_progress")
    first = make.measure([item], status="done")
    second = make.measure([item], status="ongoing")
    secretary = make.user("secretary", name="Sara Sekreterare")
    client = login(secretary)
    url = f"/recommendations/{item.id}"

    assert "Mark as reported" not in client.get(url).get_data(as_text=True)
    fresh(session).get(Measure, second.id).status = "done"
    session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "All measures of this item are done" in page
    assert fresh(session).get(Recommendation, item.id).status == "in_progress"  # never silently

    response = post_form(client, url, "/reported", {})
    assert response.status_code == 302
    session = fresh(session)
    assert session.get(Recommendation, item.id).status == "reported"
    (posted,) = session.exec(
        select(StatusUpdate).where(StatusUpdate.recommendation_id == item.id)
    ).all()
    assert posted.author_name == "Sara Sekreterare" and posted.status == "reported"
    logged = session.exec(
        select(ChangeLog).where(
            ChangeLog.entity == "recommendation",
            ChangeLog.entity_id == item.id,
            ChangeLog.action == "update",
        )
    ).all()
    assert [entry.changes.get("status") for entry in logged] == [["in_progress", "reported"]]
    assert logged[0].user_id == secretary.id
    assert "Mark as reported" not in client.get(url).get_data(as_text=True)
    assert first.id  # both measures stayed linked
    viewer = switch_to(client, login, make.user("viewer"))
    session.get(Recommendation, item.id).status = "in_progress"
    session.commit()
    assert "Mark as reported" not in viewer.get(url).get_data(as_text=True)


# Finding what matters.


def test_only_overdue_changed_since_the_last_meeting_and_overdue_first(make, session, login):
    body = make.body()
    earlier = make.meeting(body, held_on=today() - timedelta(20))
    board = make.meeting(body, held_on=today() + timedelta(10))
    source = make.source(title="Granskning av remisser", addressee_id=body.id)
    calm = make.recommendation(source, text="I tid", due_meeting_id=board.id)
    late_item = make.recommendation(source, text="Sen punkt", due_date=today() - timedelta(1))
    late_measure = make.recommendation(source, text="Sen åtgärd", due_meeting_id=board.id)
    make.measure([late_measure], status="ongoing", due_date=today() - timedelta(2))
    old = utcnow() - timedelta(days=40)
    for item in (calm, late_item, late_measure):
        row = session.get(Recommendation, item.id)
        row.updated_at = row.created_at = old
    for row in session.exec(select(Measure)):
        row.updated_at = old
    session.commit()
    update(session, calm, "Nytt sedan förra mötet", reported_on=today())
    client = login(make.user("viewer"))

    def texts(query: str) -> list[str]:
        page = client.get(f"/follow-up?{query}").get_data(as_text=True)
        assert "<tr" in page or "No items" in page
        return re.findall(r'<div class="item-text[^"]*">(?:<span lang="sv">)?([^<]*)', page)

    assert texts("only_overdue=y") == ["Sen punkt", "Sen åtgärd"]
    assert texts(f"meeting={board.id}&since_last_meeting=y") == ["I tid"]
    page = client.get(f"/follow-up?meeting={board.id}&since_last_meeting=y").get_data(as_text=True)
    assert f"Changed since: {earlier.held_on.isoformat()} (the last meeting)" in page
    assert texts("sort=overdue") == ["Sen punkt", "Sen åtgärd", "I tid"]
    assert texts("") == ["I tid", "Sen punkt", "Sen åtgärd"]
    # The filters are in the form, ticked as asked, and in the download links.
    page = client.get("/follow-up?only_overdue=y&sort=overdue").get_data(as_text=True)
    filters = rendered_form(page, "/follow-up")
    assert filters.value("only_overdue") == "y" and filters.value("sort") == "overdue"
    assert "format=docx" in page and "only_overdue=y" in page


def test_an_audit_reports_items_show_its_response_date(make, login):
    report = make.source(title="Granskning av 1177", response_due=date(2030, 5, 15))
    make.recommendation(report, text="Tydliggör ansvaret.", number="2")
    client = login(make.user("viewer"))
    for view in ("compact", "full"):
        page = client.get(f"/follow-up?view={view}").get_data(as_text=True)
        assert "Response due 2030-05-15" in page
        assert '<span lang="sv">Granskning av 1177</span>, rec. 2' in page


# The documents of the seeded list of 2017-12-19 (document 003).


def test_the_word_file_of_document_003_is_a_board_paper(seeded, make, login, tmp_path):  # noqa: F811
    # A Swedish secretary: the document is in Swedish, as the board reads it.
    client = login(make.user("secretary", name="Sara Sekreterare", language="sv"))
    client.get("/language/sv")  # the header's link: the test browser says English
    data = client.get(f"/follow-up?meeting={seeded.id}&format=docx").data
    document = docx.Document(io.BytesIO(data))

    section = document.sections[0]
    assert section.page_width < section.page_height  # portrait
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert text_width == TEXT_WIDTH
    for table in document.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren()]
        assert sum(grid) == text_width
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        for row in table.rows:
            # A theme row is one cell across the table.
            cells = {id(cell._tc): cell for cell in row.cells}.values()
            assert sum(cell.width.twips for cell in cells) == text_width
        assert [cell.text for cell in table.rows[0].cells] == [
            "Ärende",
            "Beslut",
            "Återrapportering",
        ]

    footer = section.footer._element.xml
    assert "Sida " in footer and " av " in footer
    assert "PAGE" in footer and "NUMPAGES" in footer and 'w:fldCharType="begin"' in footer
    properties = document.core_properties
    assert properties.title == "Återrapportering till Regionstyrelsen, sammanträde 2017-12-19"
    assert properties.author == "Sara Sekreterare, Regionstyrelsen"
    assert properties.language == "sv-SE"
    assert 'w:val="sv-SE"' in document.styles.element.xml  # the text's language, for spelling
    now = utcnow()
    for moment in (properties.created, properties.modified):
        assert abs(moment.replace(tzinfo=UTC) - now) < timedelta(minutes=5)
    assert "python-docx" not in " ".join(
        str(value or "") for value in (properties.comments, properties.author, properties.subject)
    )
    (table,) = document.tables  # one table, as 003 is
    assert table.rows[1].cells[0].text == "Strategier"

    sizes, text = pdf_pages(libreoffice_pdf(data, tmp_path))
    assert 1 <= len(sizes) <= 6
    assert all(size == A4 for size in sizes)
    assert f"Sida 1 av {len(sizes)}" in text
    flat = squash(without_page_furniture(text, ["Ärende", "Beslut", "Återrapportering"]))
    for item in seeded_items():
        assert found_across_pages(squash(item["text"]), flat), item["text"][:50]
    # 003's own word in the decision column; the title the seed assumed is not printed as fact.
    assert flat.count("Stabsplan") == 9
    assert squash("Regionstyrelsens uppdrag till regiondirektören 2017") not in flat


def test_the_pdf_of_document_003_fits_eight_a4_pages_portrait_or_landscape(seeded, make, login):  # noqa: F811
    client = login(make.user("viewer"))
    sizes, text = pdf_pages(client.get(f"/follow-up?meeting={seeded.id}&format=pdf").data)
    assert 1 <= len(sizes) <= 8
    assert all(size == A4 for size in sizes)
    assert f"Page 1 of {len(sizes)}" in text
    flat = squash(text)
    for item in seeded_items():
        assert squash(item["text"]) in flat, item["text"][:50]
        assert squash(item["status"]) in flat
    assert flat.count("Stabsplan") == 9
    assert squash("Regionstyrelsens uppdrag till regiondirektören 2017") not in flat

    url = f"/follow-up?meeting={seeded.id}&format=pdf&orientation=landscape"
    sizes, _text = pdf_pages(client.get(url).data)
    assert all(size == A4[::-1] for size in sizes)


def test_the_decision_column_is_left_out_when_no_row_has_a_reference(make, login):
    make.recommendation(text="Utan beslutshänvisning", theme="Tema")
    client = login(make.user("viewer"))
    document = docx.Document(io.BytesIO(client.get("/follow-up?format=docx").data))
    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == ["Item", "Report-back"]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren()]
    assert sum(grid) == TEXT_WIDTH
    page = client.get("/follow-up?view=full").get_data(as_text=True)
    assert "col-references" not in page and ">Decision<" not in page


# A report typed in as a new user would, with two owners' updates.


def test_a_newly_typed_report_gives_a_one_page_list_with_the_measures_updates(
    make, session, login, tmp_path
):
    secretary = make.user("secretary", name="Sara Sekreterare")
    anna = make.user("owner", name="Anna Ägare")
    bo = make.user("owner", name="Bo Berg")
    rs = make.body("RS", "Regionstyrelsen")
    client = login(secretary)

    response = post_form(
        client,
        "/sources/new",
        "/sources/new",
        {
            "kind": "audit_report",
            "title": "Granskning av regionens arbete med 1177",
            "dnr": "00123-2030",
            "addressees": str(rs.id),
            "response_due": (today() + timedelta(60)).isoformat(),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    source = fresh(session).exec(select(Source)).one()
    texts = [
        "Säkerställ att 1177 används på samtliga hälsocentraler.",
        "Följ upp tillgängligheten i telefon och e-tjänster.",
        "Tydliggör ansvaret för innehållet på 1177.se.",
    ]
    for number, text in enumerate(texts, start=1):
        response = post_form(
            client,
            f"/recommendations/new?source_id={source.id}",
            "/recommendations/new",
            {"source_id": str(source.id), "number": str(number), "text": text, "theme": "1177"},
        )
        assert response.status_code == 302, re.findall(
            r"invalid-feedback[^>]*>([^<]*)", response.get_data(as_text=True)
        )
    items = fresh(session).exec(select(Recommendation).order_by(Recommendation.id)).all()
    for title, owner, linked in (
        ("Basutbud för 1177", anna, [items[0].id, items[1].id]),
        ("Redaktionellt ansvar", bo, [items[2].id]),
    ):
        response = post_form(
            client,
            "/measures/new",
            "/measures/new",
            {
                "title": title,
                "owner_id": str(owner.id),
                "recommendations": [str(i) for i in linked],
                "status": "ongoing",
                "due_date": (today() + timedelta(90)).isoformat(),
            },
        )
        assert response.status_code == 302, re.findall(
            r"invalid-feedback[^>]*>([^<]*)", response.get_data(as_text=True)
        )
    measures = fresh(session).exec(select(Measure).order_by(Measure.id)).all()
    for measure, owner, text in (
        (measures[0], anna, "Basutbudet finns på tolv av femton hälsocentraler."),
        (measures[1], bo, "Redaktörer utsedda i varje division."),
    ):
        owner_client = switch_to(client, login, owner)
        response = post_form(
            owner_client,
            f"/measures/{measure.id}",
            f"/measures/{measure.id}/update",
            {"text": text, "status": "ongoing", "judgement": "on_track"},
        )
        assert response.status_code == 302, re.findall(
            r"invalid-feedback[^>]*>([^<]*)", response.get_data(as_text=True)
        )

    client = switch_to(client, login, secretary)
    url = f"/follow-up?body={rs.id}"
    page = client.get(url).get_data(as_text=True)
    rows = re.findall(r'<tr class="followup-row[^"]*">.*?</tr>', page, re.S)
    assert len(rows) == 3
    assert "Basutbudet finns på tolv av femton hälsocentraler." in rows[0]
    # Under its measure, with the measure's owner: the roll-up per measure.
    measure_line = re.search(r"<li>.*?Basutbud för 1177.*?</li>", rows[0], re.S).group(0)
    assert "Anna Ägare" in measure_line and "tolv av femton" in measure_line
    assert "Basutbudet finns på tolv av femton hälsocentraler." in rows[1]
    assert "Redaktörer utsedda i varje division." in rows[2] and "Bo Berg" in rows[2]
    assert '<span lang="sv">Granskning av regionens arbete med 1177</span>, rec. 2' in rows[1]

    sizes, text = pdf_pages(client.get(url + "&format=pdf").data)
    assert len(sizes) == 1
    assert "Redaktörer utsedda i varje division." in normal(text)
    word = client.get(url + "&format=docx").data
    sizes, text = pdf_pages(libreoffice_pdf(word, tmp_path))
    assert len(sizes) == 1
    flat = squash(text)
    assert squash("Basutbudet finns på tolv av femton hälsocentraler.") in flat
    assert squash("Granskning av regionens arbete med 1177, rec. 3") in flat


# Kept lists.


def test_lists_kept_before_the_roll_up_still_open_in_every_format(make, session, login):
    body = make.body()
    board = make.meeting(body)
    item = make.recommendation(text="Gammal punkt", theme="Tema A", due_meeting_id=board.id)
    make.measure([item], title="Gammal åtgärd", status="ongoing")
    update(session, item, "Gammal lägesrapport", reported_on=date(2030, 2, 1))
    # A snapshot as lists were kept before: no judgement, overdue mark, source kind or dnr.
    snapshot = {
        "title": "Återrapportering RS",
        "body": "Regionstyrelsen",
        "meeting": "RS 2030-03-01",
        "dated": "2030-02-20",
        "grouping": "theme",
        "criteria": [],
        "groups": [
            {
                "name": "Tema A",
                "rows": [
                    {
                        "id": item.id,
                        "kind": "recommendation",
                        "number": "",
                        "text": "Gammal punkt",
                        "source": "Granskning 1",
                        "theme": "Tema A",
                        "references": [],
                        "responsible": "",
                        "unit": "",
                        "deadline": "2030-03-01",
                        "due_meeting": "RS 2030-03-01",
                        "status": "open",
                        "overdue": False,
                        "latest": {
                            "text": "Gammal lägesrapport",
                            "reported_on": "2030-02-01",
                            "author": "Regiondirektören",
                        },
                        "measures": [
                            {
                                "id": 1,
                                "title": "Gammal åtgärd",
                                "owner": "",
                                "due": "2030-01-31",
                                "status": "ongoing",
                            }
                        ],
                        "closing": "",
                        "closing_id": None,
                    }
                ],
            }
        ],
    }
    kept = KeptList(
        meeting_id=board.id,
        title="Återrapportering RS",
        dated=date(2030, 2, 20),
        grouping="theme",
        criteria={},
        snapshot=snapshot,
        item_count=1,
        fingerprint=fingerprint_of(snapshot),
        made_by_name="Sara Sekreterare",
    )
    session.add(kept)
    session.commit()
    client = login(make.user("viewer"))

    page = client.get(f"/follow-up/kept/{kept.id}").get_data(as_text=True)
    assert "Gammal punkt" in page and "Gammal lägesrapport" in page
    assert "1 measure: 1 ongoing" in page and "the copy is unchanged" in page
    document = docx.Document(io.BytesIO(client.get(f"/follow-up/kept/{kept.id}?format=docx").data))
    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == ["Item", "Report-back"]
    assert table.rows[1].cells[0].text == "Tema A"  # the theme row
    assert "Gammal lägesrapport" in table.rows[2].cells[1].text
    assert document.core_properties.author == "Sara Sekreterare, Regionstyrelsen"
    sizes, text = pdf_pages(client.get(f"/follow-up/kept/{kept.id}?format=pdf").data)
    assert sizes == [A4] and "Gammal åtgärd" in text
    for fmt in ("xlsx", "csv"):
        assert client.get(f"/follow-up/kept/{kept.id}?format={fmt}").status_code == 200


def test_a_list_kept_now_keeps_the_roll_up(make, session, login):
    body = make.body()
    board = make.meeting(body)
    item = make.recommendation(text="Ny punkt", due_meeting_id=board.id)
    measure = make.measure([item], title="Ny åtgärd", status="ongoing", judgement="at_risk")
    session.add(
        StatusUpdate(
            measure_id=measure.id,
            author_name="Anna Ägare",
            reported_on=date(2030, 2, 10),
            text="Åtgärden pågår.",
            status="ongoing",
        )
    )
    session.commit()
    client = login(make.user("secretary"))
    response = post_form(
        client,
        f"/follow-up?meeting={board.id}",
        "/follow-up/keep",
        {"meeting_id": str(board.id), "title": "Lista", "dnr": "00042-2030"},
    )
    assert response.status_code == 302
    kept = fresh(session).exec(select(KeptList)).one()
    page = client.get(f"/follow-up/kept/{kept.id}").get_data(as_text=True)
    line = re.search(r"<li>.*?Ny åtgärd.*?</li>", page, re.S).group(0)
    assert "Åtgärden pågår." in line and "2030-02-10, Anna Ägare" in line
    assert "Ongoing, at risk" in page and "00042-2030" in page
    document = docx.Document(io.BytesIO(client.get(f"/follow-up/kept/{kept.id}?format=docx").data))
    assert "Dnr: 00042-2030" in "\n".join(p.text for p in document.paragraphs)


# Query counts.


def count_queries(client, url: str) -> int:
    """Return how many queries the page at url makes."""
    with QueryCounter(engine()) as counter:
        assert client.get(url).status_code == 200
    return counter.count


def update_last_measures(session, text: str, count: int = 5) -> None:
    """Post an update on the measures of the last items, dated after their own updates."""
    for link in session.exec(select(RecommendationMeasure)).all()[-count:]:
        session.add(
            StatusUpdate(
                measure_id=link.measure_id,
                author_name="Anna",
                reported_on=date(2017, 12, 30),
                text=text,
                status="ongoing",
            )
        )
    session.commit()


def test_the_list_with_the_new_filters_makes_few_queries_however_long(make, session, login, app):
    body = make.body()
    board = make.meeting(body, held_on=today() + timedelta(5))
    make.meeting(body, held_on=today() - timedelta(30))
    world = dict(source=make.source(), body=body, board=board)
    world |= dict(owner=make.user("owner"), unit=make.unit())
    url = f"/follow-up?meeting={board.id}&since_last_meeting=y&sort=overdue"
    variants = ("", "&view=full", "&format=docx")
    client = login(make.user("viewer"))
    counts = {}
    with app.app_context():
        for start, size in ((0, 10), (10, 190)):
            add_items(session, start=start, count=size, **world)
            update_last_measures(session, f"Åtgärdsläge {start + size}")
            counts[start + size] = [count_queries(client, url + variant) for variant in variants]
            page = client.get(url).get_data(as_text=True)
            assert page.count('class="followup-row') == start + size
            assert f"Åtgärdsläge {start + size}" in page
    assert counts[10] == counts[200]
    # The signed-in user, six filter menus, and the list: bodies, items, references, own and
    # measures' updates, measures, closings, indicators (2), and the last meeting.
    assert max(counts[200]) <= 19, counts
