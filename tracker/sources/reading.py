"""Read the text of an auditors' report from its PDF or Word file, page by page."""

import io
import re
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.followup.evidence import DOCX, PDF
from tracker.sources import report_rules as rules
from tracker.text import printable


class ReadError(ValueError):
    """A file whose text cannot be read; the message tells the user why."""


@dataclass
class Line:
    text: str
    page: int  # 1-based; a Word file counts its page breaks


@dataclass
class ReportText:
    lines: list[Line]
    pages: int
    scanned: bool = False  # a PDF with pages but no text layer

    @property
    def text(self) -> str:
        """Return the text as kept for search: one line each."""
        return "\n".join(line.text for line in self.lines)


def read_report(data: bytes, media_type: str) -> ReportText:
    """Return the mended lines of a PDF or Word file."""
    if media_type == PDF[0]:
        pages = _pdf_pages(data)
    elif media_type == DOCX[0]:
        pages = _docx_pages(data)
    else:
        raise ValueError(media_type)
    scanned = media_type == PDF[0] and bool(pages) and not any(any(p) for p in pages)
    pages = drop_repeated_edges(pages)
    # Text in a file is no one's typing to correct: its control characters are dropped here.
    lines = [Line(printable(t), number) for number, page in enumerate(pages, 1) for t in page]
    return ReportText(lines=mend_hyphens(lines), pages=len(pages), scanned=scanned)


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _pdf_pages(data: bytes) -> list[list[str]]:
    # pypdf takes ~0.3 s to import: only reading an uploaded report needs it, not every start.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(_("The PDF is locked with a password. Upload an unlocked copy."))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        if isinstance(error, ReadError):
            raise
        raise ReadError(_("The PDF could not be read. Save it again as PDF and retry.")) from error
    return [[line for line in map(_clean, page.splitlines()) if line] for page in pages]


def _docx_pages(data: bytes) -> list[list[str]]:
    # python-docx takes ~0.2 s to import: only reading an uploaded report needs it.
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a broken package
        raise ReadError(_("The Word file could not be read. Save it again and retry.")) from error
    pages: list[list[str]] = [[]]
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            _docx_paragraph(block, pages)
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = [_xml_text(cell) for cell in row.iter(qn("w:tc"))]
                cells = [cell for cell in cells if cell]
                if not cells:
                    continue
                # A number in the first column numbers the row's text, as in a list.
                if len(cells) > 1 and re.fullmatch(r"\d{1,2}[.)]?", cells[0]):
                    cells = [f"{cells[0].rstrip('.)')}. {' '.join(cells[1:])}"]
                pages[-1].append(_clean(" ".join(cells)))
    return pages


def _docx_paragraph(paragraph, pages: list[list[str]]) -> None:
    from docx.oxml.ns import qn  # imported by _docx_pages already: python-docx is slow to load

    breaks = [
        node
        for node in paragraph.iter(qn("w:br"), qn("w:lastRenderedPageBreak"))
        if node.tag == qn("w:lastRenderedPageBreak") or node.get(qn("w:type")) == "page"
    ]
    if breaks and pages[-1]:
        pages.append([])
    text = _clean(_xml_text(paragraph))
    if text:
        pages[-1].append(text)


def _xml_text(element) -> str:
    from docx.oxml.ns import qn  # imported by _docx_pages already: python-docx is slow to load

    parts = []
    for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:p")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:p") and parts:
            parts.append(" ")
        else:
            parts.append(" ")
    return _clean("".join(parts))


def _shape(line: str) -> str:
    # Page numbers change from page to page; the rest of a header does not.
    return re.sub(r"\d+", "#", line.casefold())


def drop_repeated_edges(pages: list[list[str]]) -> list[list[str]]:
    """Drop header and footer lines that recur at the edges of the pages."""
    if len(pages) < 2:
        return pages
    edge = rules.PAGE_EDGE_LINES
    seen = Counter()
    for page in pages:
        seen.update({_shape(line) for line in page[:edge] + page[-edge:]})
    needed = max(2, rules.REPEATED_LINE_SHARE * len(pages))
    repeated = {shape for shape, count in seen.items() if count >= needed}
    kept = []
    for page in pages:
        top, bottom = min(edge, len(page)), max(len(page) - edge, min(edge, len(page)))
        kept.append(
            [
                line
                for index, line in enumerate(page)
                if not ((index < top or index >= bottom) and _shape(line) in repeated)
            ]
        )
    return kept


def mend_hyphens(lines: list[Line]) -> list[Line]:
    """Join words split by a hyphen at a line's end ("ansvars-" + "fördelning")."""
    mended: list[Line] = []
    for line in lines:
        previous = mended[-1] if mended else None
        if previous and _split_word(previous.text, line.text):
            previous.text = previous.text[:-1] + line.text
        else:
            mended.append(Line(line.text, line.page))
    return mended


def _split_word(before: str, after: str) -> bool:
    if not re.search(r"[^\W\d_]-$", before):
        return False
    first = re.match(r"[^\W\d_]+", after)
    if first is None or not first.group().islower():
        return False
    return first.group() not in rules.KEEP_HYPHEN_BEFORE
