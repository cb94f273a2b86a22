"""Build each corpus case's Word file from its source, then its PDF with LibreOffice.

    .venv/bin/python -m tests.corpus.build [CASE ...]

A source (cases/<case>/source.txt) is plain lines with a few marks, so that the layout the
reader must undo really exists in the files: page headers and footers, two columns, Word's own
list numbering, tables, optional hyphens that LibreOffice breaks at, and a page turned into a
picture as a scanner makes it.

    @header TEXT | @footer TEXT ({PAGE} is the page number) | @columns 2 | @size 11
    @scan N          page N of the PDF becomes a picture without text
    # Heading / ## Subheading / ---page (a page break)
    1. item          Word's own decimal numbering ("1."), a new list after any other line
    a) item          Word's own letter numbering ("a)")
    - item / * item  Word's own bullets ("–" / "•")
    | a | b |        table rows (the first is the header row)
    ~                inside a word: an optional hyphen
"""

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from tests.report_files import to_pdf

CASES = Path(__file__).resolve().parent / "cases"

# Word's list kinds: the abstract numbering id, its format and how its marker is written.
LISTS = {
    "decimal": (901, "decimal", "%1."),
    "letter": (902, "lowerLetter", "%1)"),
    "dash": (903, "bullet", "–"),
    "bullet": (904, "bullet", "•"),
}


def _abstract(number: int, fmt: str, text: str) -> str:
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="397"/></w:pPr></w:lvl></w:abstractNum>'
    )


class Builder:
    def __init__(self, size: int):
        self.document = Document()
        section = self.document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.2)
        style = self.document.styles["Normal"]
        style.font.name = "Liberation Serif"
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(4)
        self.numbering = self.document.part.numbering_part.element
        for number, fmt, text in LISTS.values():
            self.numbering.insert(0, parse_xml(_abstract(number, fmt, text)))
        self.next_num = 900
        self.current: tuple[str, int] | None = None  # the list being written and its num id
        self.table: list[list[str]] = []

    def _num(self, kind: str) -> int:
        if self.current and self.current[0] == kind:
            return self.current[1]
        self.next_num += 1
        abstract = LISTS[kind][0]
        self.numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{self.next_num}">'
                f'<w:abstractNumId w:val="{abstract}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )
        self.current = (kind, self.next_num)
        return self.next_num

    def paragraph(self, text: str, style: str | None = None, list_kind: str | None = None):
        if not list_kind:
            self.current = None
        paragraph = self.document.add_paragraph(text.replace("~", "\u00ad"), style=style)
        if list_kind:
            properties = paragraph._p.get_or_add_pPr()
            numbering = OxmlElement("w:numPr")
            for tag, value in (("w:ilvl", 0), ("w:numId", self._num(list_kind))):
                element = OxmlElement(tag)
                element.set(qn("w:val"), str(value))
                numbering.append(element)
            properties.append(numbering)
        return paragraph

    def flush_table(self) -> None:
        if not self.table:
            return
        rows, self.table = self.table, []
        grid = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        grid.style = "Table Grid"
        for row, cells in zip(grid.rows, rows, strict=False):
            for cell, text in zip(row.cells, cells, strict=False):
                cell.text = text.replace("~", "\u00ad")
        self.current = None


def _field(paragraph, text: str) -> None:
    before, _page, after = text.partition("{PAGE}")
    paragraph.add_run(before)
    if _page:
        run = paragraph.add_run()
        for kind, instruction in (("begin", None), (None, "PAGE"), ("end", None)):
            element = OxmlElement("w:fldChar" if kind else "w:instrText")
            if kind:
                element.set(qn("w:fldCharType"), kind)
            else:
                element.text = instruction
            run._r.append(element)
        paragraph.add_run(after)


def build_docx(source: str) -> tuple[bytes, list[int]]:
    """Return the Word file a source describes and the PDF pages to scan."""
    lines = source.splitlines()
    marks = {line.split()[0]: line.partition(" ")[2] for line in lines if line.startswith("@")}
    builder = Builder(int(marks.get("@size", "11")))
    section = builder.document.sections[0]
    if "@header" in marks:
        section.header.paragraphs[0].text = marks["@header"]
    if "@footer" in marks:
        _field(section.footer.paragraphs[0], marks["@footer"])
    if "@columns" in marks:
        cols = section._sectPr.find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            section._sectPr.append(cols)
        cols.set(qn("w:num"), marks["@columns"])
        cols.set(qn("w:space"), "567")
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("|"):
            builder.table.append([cell.strip() for cell in stripped.strip("|").split("|")])
            continue
        builder.flush_table()
        if not stripped or stripped.startswith("@"):
            continue
        if stripped == "---page":
            builder.current = None
            builder.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif stripped.startswith("## "):
            builder.paragraph(stripped[3:], "Heading 2")
        elif stripped.startswith("# "):
            builder.paragraph(stripped[2:], "Heading 1")
        elif stripped[:2] in ("- ", "* "):
            builder.paragraph(stripped[2:], list_kind="dash" if stripped[0] == "-" else "bullet")
        elif (
            stripped[:1].isdigit()
            and stripped.split(" ", 1)[0].rstrip(".").isdigit()
            and (stripped.split(" ", 1)[0].endswith("."))
        ):
            builder.paragraph(stripped.split(" ", 1)[1], list_kind="decimal")
        elif len(stripped) > 3 and stripped[0] in "abcdefgh" and stripped[1:3] == ") ":
            builder.paragraph(stripped[3:], list_kind="letter")
        else:
            builder.paragraph(stripped)
    builder.flush_table()
    output = io.BytesIO()
    builder.document.save(output)
    scan = [int(page) for page in marks.get("@scan", "").split()]
    return output.getvalue(), scan


def scan_pages(pdf: bytes, pages: list[int], folder: Path) -> bytes:
    """Return the PDF with the given pages replaced by pictures of themselves."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    source = folder / "to-scan.pdf"
    source.write_bytes(pdf)
    for number, page in enumerate(reader.pages, 1):
        if number not in pages:
            writer.add_page(page)
            continue
        prefix = folder / f"scan-{number}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                str(number),
                "-l",
                str(number),
                str(source),
                str(prefix),
            ],
            check=True,
            timeout=120,
        )
        picture = next(folder.glob(f"scan-{number}*.png"))
        image = io.BytesIO()
        Image.open(picture).convert("L").save(image, format="PDF", resolution=70)
        writer.add_page(PdfReader(image).pages[0])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def build(names: list[str], out: Path | None = None) -> dict[str, tuple[bytes, bytes]]:
    """Build the named cases into out (default: beside their sources); return their files."""
    built = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        scans, words = {}, {}
        for name in names:
            words[name], scans[name] = build_docx((CASES / name / "source.txt").read_text("utf-8"))
        pdfs = to_pdf(words, folder)
        for name in names:
            docx, pdf = words[name], pdfs[name]
            if scans[name]:
                pdf = scan_pages(pdf, scans[name], folder)
            built[name] = (docx, pdf)
            target = out or CASES / name
            target.mkdir(parents=True, exist_ok=True)
            (target / "report.docx").write_bytes(docx)
            (target / "report.pdf").write_bytes(pdf)
    return built


if __name__ == "__main__":
    wanted = sys.argv[1:] or sorted(path.name for path in CASES.iterdir() if path.is_dir())
    build(wanted)
    print(f"Built {len(wanted)} cases.")
