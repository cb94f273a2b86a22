"""Every document the tracker writes can be read with assistive technology (WCAG 2.1, EN 301 549).

PDFs are opened with pikepdf (tags, language, title shown), Word files with python-docx
(heading colours of at least 4.5:1 on white, the content's language).
"""

import html
import io
import re
from datetime import date

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn
from sqlmodel import select

from tests.conftest import fresh
from tests.test_followup_documents import post_form
from tests.test_responses import draft, register_004, world  # noqa: F401  (a fixture)
from tracker.models import KeptList, StatusUpdate


def follow_up_world(make, session):
    """A meeting with one item, a measure and an update: the list a board is sent."""
    body = make.body()
    board = make.meeting(body)
    item = make.recommendation(text="Punkt att återrapportera", due_meeting_id=board.id)
    measure = make.measure([item], title="Pågående åtgärd", status="ongoing")
    session.add(
        StatusUpdate(
            measure_id=measure.id,
            author_name="Anna Ägare",
            reported_on=date(2030, 2, 10),
            text="Åtgärden pågår enligt plan.",
            status="ongoing",
        )
    )
    session.commit()
    return board


def assert_tagged(data: bytes, *, title: str) -> None:
    """Check a PDF is tagged, marked, in Swedish, and shows its title (PDF/UA-1)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root, "untagged: headings and tables are lost"
        assert len(root.StructTreeRoot.K) > 0
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "sv"  # the content's language, on an English page too
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.open_metadata().get("dc:title")) == title


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_follow_up_list_and_a_kept_list_are_tagged_pdfs(make, session, login, language):
    board = follow_up_world(make, session)
    client = login(make.user("secretary", language=language))
    client.get(f"/language/{language}")  # the header's link: the test client says English
    url = f"/follow-up?meeting={board.id}"
    page = client.get(url).get_data(as_text=True)
    # The title the page shows above the list is the PDF's.
    title = html.unescape(re.search(r'id="document-title"[^>]*>(.*?)</h', page, re.S).group(1))
    assert_tagged(client.get(url + "&format=pdf").data, title=title)

    response = post_form(client, url, "/follow-up/keep", {"title": "Lista till styrelsen"})
    assert response.status_code == 302
    kept = fresh(session).exec(select(KeptList)).one()
    data = client.get(f"/follow-up/kept/{kept.id}?format=pdf").data
    assert_tagged(data, title="Lista till styrelsen")


def contrast_on_white(hex_colour: str) -> float:
    """Return the WCAG contrast ratio of a colour against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def heading_colours(document) -> dict[str, str]:
    """Return the text colour of each heading style the document's paragraphs use."""
    colours = {}
    for paragraph in document.paragraphs:
        style = paragraph.style
        if style.name == "Title" or style.name.startswith("Heading"):
            while style is not None and style.font.color.rgb is None:
                style = style.base_style
            colours[paragraph.style.name] = str(style.font.color.rgb) if style else "000000"
    return colours


def document_language(document) -> str:
    """Return the language set for the document's text in its default run properties."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    return defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val"))


def assert_readable(document, *, headings: int) -> None:
    colours = heading_colours(document)
    assert len(colours) >= headings, colours
    for name, colour in colours.items():
        assert contrast_on_white(colour) >= 4.5, f"{name}: #{colour}"
    # The content is the documents' Swedish, on an English page too.
    assert document_language(document) == "sv-SE"
    assert document.core_properties.language == "sv-SE"


def test_the_answers_word_file_has_dark_headings_and_swedish_text(make, session, login, world):  # noqa: F811
    client = login(make.user("secretary", name="Registrator"))
    source_id = register_004(client, world)
    draft(client, session, world, source_id)
    word = client.get(f"/sources/{source_id}/response.docx?body={world.rs.id}")
    assert_readable(docx.Document(io.BytesIO(word.data)), headings=2)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_follow_up_word_file_has_dark_headings_and_swedish_text(make, session, login, language):
    board = follow_up_world(make, session)
    client = login(make.user("secretary", language=language))
    client.get(f"/language/{language}")
    data = client.get(f"/follow-up?meeting={board.id}&format=docx").data
    document = docx.Document(io.BytesIO(data))
    assert_readable(document, headings=1)
    assert "Åtgärden pågår enligt plan." in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
