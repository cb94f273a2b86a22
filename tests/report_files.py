"""Auditors' reports as Word and PDF files, written from the texts of the seed documents.

Each report keeps the document's lines (one paragraph per line, so its line-break hyphens
stay where the original had them); LibreOffice turns the Word files into PDF.
"""

import io
import subprocess
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tests.settings import seed_document


def seed_lines(prefix: str) -> list[str]:
    """Return the non-empty lines of seed document `prefix` (000 ... 004)."""
    path = seed_document(prefix)
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# What a careful reader finds in documents 000 and 004, as the documents write it.
EXPECTED = {
    "000": {
        "title": "Temagranskning Primärvården, del 2",
        "dnr": "00521-2019",
        "issued_on": None,  # the document is undated
        "response_due": None,  # and asks for no response
        "recommendations": [
            (
                "1",
                "Regionstyrelsen bör initiera en uppföljning av vilka effekter som de pågående "
                "initiativen, som har gjorts inom ramen för hälsocentralernas "
                "förbättringsarbete, har gett.",
            ),
            (
                "2",
                "Regionstyrelsen bör tillse att påbörjade initiativen kopplade till "
                "digitalisering såsom webbtidbok och digitala vårdmöten prioriteras och är en "
                "del av uppföljningen.",
            ),
            (
                "3",
                "Regionstyrelsen bör fortsatt stärka förutsättningarna för en jämlik och "
                "förebyggande vård till Region Norrbottens invånare genom aktiva åtgärder med "
                "potential att minska skillnader i hälsa.",
            ),
        ],
    },
    "004": {
        "title": "Granskning av regionens arbete med 1177",
        "dnr": None,  # the letter gives none
        "issued_on": None,  # "februari 2021": no day, so no date
        "response_due": "2021-05-20",
        "recommendations": [
            (
                "1",
                "Att aktiva åtgärder vidtas för att säkerställa en systematisk uppföljning och "
                "utvärdering av 1177 vårdguidens tjänster inom regionen. Sådan uppföljning bör "
                "bl a inriktas mot enskilda vård verksamheters utbud av 1177 :s e-tj änster, "
                "detta för att säkerställa en j ärnlik vård.",
            ),
            (
                "2",
                "Att styrelsen överväger att sätta tillgänglighetsmål, anpassade till regionens "
                "förutsättningar, för 1177 vad gäller bl a svarstid och svarsfrekvens för "
                "telefonsamtal till 11 77.",
            ),
            (
                "3",
                "Att analys genomförs över vilka åtgärder som kan vidtas för att säkerställa en "
                "ökad grad av implementering av 1177 vårdguidens tjänster i "
                "vårdverksamheterna. En framtida aktiv styrning kan även behöva kompletteras "
                "med viss förändringsledning inom berörda verksamheter.",
            ),
            (
                "4",
                "Att analys genomförs över vilka åtgärder som kan vidtas för att öka graden av "
                "kunskap och kännedom om 1177 vårdguidens tjänster ur ett "
                "medborgarperspektiv.",
            ),
        ],
    },
}


def _document(size: int = 10):
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.8)
    style = document.styles["Normal"]
    style.font.name = "Liberation Sans"
    style.font.size = Pt(size)
    style.paragraph_format.space_after = Pt(2)
    return document


def _page_number(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.text = text
        run._r.append(element)


def report_docx(
    lines: list[str],
    *,
    header: str | None = None,
    columns: int = 1,
    size: int = 10,
    page_break_after: int | None = None,
    table: list[tuple[str, str]] | None = None,
    table_after: int | None = None,
) -> bytes:
    """Write the lines as a Word file: optionally with a page header, columns or a table."""
    document = _document(size)
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
        footer = section.footer.paragraphs[0]
        footer.add_run("Sida ")
        _page_number(footer)
    if columns > 1:
        cols = section._sectPr.find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            section._sectPr.append(cols)
        cols.set(qn("w:num"), str(columns))
        cols.set(qn("w:space"), "567")
    for index, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        if index == page_break_after:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
        if table and index == table_after:
            grid = document.add_table(rows=1, cols=2)
            grid.style = "Table Grid"
            grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = "Nr", "Rekommendation"
            for number, text in table:
                row = grid.add_row()
                row.cells[0].text, row.cells[1].text = number, text
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def to_pdf(files: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """Convert Word files to PDF with LibreOffice, all in one run."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = folder / f"{name}.docx"
        path.write_bytes(data)
        paths.append(str(path))
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *paths,
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {name: (folder / f"{name}.pdf").read_bytes() for name in files}


def scanned_pdf(pdf: bytes, folder: Path) -> bytes:
    """Return a PDF of the first page as a picture only, as a scanner makes it."""
    from PIL import Image

    source = folder / "to-scan.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(source), str(folder / "scan")],
        check=True,
        timeout=120,
    )
    picture = next(folder.glob("scan*.png"))
    output = io.BytesIO()
    Image.open(picture).convert("RGB").save(output, format="PDF")
    return output.getvalue()
