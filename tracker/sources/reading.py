"""Read the text of an auditors' report from its PDF or Word file, page by page."""

import re
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _

from tracker.evidence import DOCX, PDF
from tracker.sources import report_rules as rules
from tracker.sources.layout_pdf import MAX_PAGES
from tracker.sources.read_process import ChildError, read_layout
from tracker.text import printable


class ReadError(ValueError):
    """A file whose text cannot be read; the message tells the user why."""


@dataclass
class Line:
    text: str
    page: int  # 1-based; a Word file counts its page breaks
    cells: list[str] | None = None  # a table row's cells, left to right
    heading: bool = False  # set larger or in a heading style


@dataclass
class ReportText:
    lines: list[Line]
    pages: int
    scanned: bool = False  # a PDF with pages but no text layer
    scanned_pages: list[int] = field(default_factory=list)  # pages that are only pictures

    @property
    def text(self) -> str:
        """Return the text as kept for search: one line each."""
        return "\n".join(line.text for line in self.lines)


def _message(reason: str, kind: str) -> str:
    if reason == "broken":
        if kind == "pdf":
            return _("The PDF could not be read. Save it again as PDF and retry.")
        return _("The Word file could not be read. Save it again and retry.")
    return {
        "encrypted": _("The PDF is locked with a password. Upload an unlocked copy."),
        "pages": _("The file has too many pages to be read (at most %(n)s).", n=MAX_PAGES),
        "unpacked": _(
            "The Word file unpacks to far more than a report holds, so it was not read. "
            "Save it again from Word and retry."
        ),
        "memory": _(
            "Reading the file needed more memory than a report may take, so it was stopped. "
            "Save it again as PDF and retry."
        ),
        "time": _(
            "Reading the file took longer than a report may take, so it was stopped. "
            "Save it again as PDF and retry."
        ),
    }[reason]


def read_report(data: bytes, media_type: str, *, child: bool = True) -> ReportText:
    """Return the mended lines of a PDF or Word file, read in a limited child process."""
    if media_type not in (PDF[0], DOCX[0]):
        raise ValueError(media_type)
    kind = "pdf" if media_type == PDF[0] else "docx"
    try:
        layout = read_layout(data, kind) if child else _in_process(data, kind)
    except ChildError as error:
        raise ReadError(_message(error.args[0], kind)) from error
    return from_layout(layout)


def _in_process(data: bytes, kind: str) -> dict:
    """Read the layout here (for measuring the corpus): the same code the child runs."""
    from tracker.sources import layout_docx, layout_pdf

    try:
        return layout_pdf.read_pdf(data) if kind == "pdf" else layout_docx.read_docx(data)
    except (layout_pdf.LayoutError, layout_docx.LayoutError) as error:
        raise ChildError(error.args[0]) from error


def from_layout(layout: dict) -> ReportText:
    """Return the report's lines from the layout the child read."""
    pages = layout["pages"]
    body = _body_size(pages)
    pages = drop_edges(pages)
    lines = [
        _report_line(line, number, body)
        for number, page in enumerate(pages, 1)
        for line in page
        if _clean(line["text"])
    ]
    scanned = layout.get("scanned", [])
    return ReportText(
        lines=mend_hyphens(_without_repeated_edges(lines, len(pages))),
        pages=len(pages),
        scanned=bool(pages) and len(scanned) == len(pages),
        scanned_pages=scanned,
    )


def _body_size(pages: list[list[dict]]) -> float:
    """Return the type size at the middle of all lines' sizes, 0 when none has a size."""
    sizes = sorted(line["size"] for page in pages for line in page if line.get("size"))
    return sizes[len(sizes) // 2] if sizes else 0


def _report_line(line: dict, number: int, body: float) -> Line:
    """Return a layout line as a report line, a heading if so styled or set larger than body."""
    return Line(
        _clean(line["text"]),
        number,
        cells=[_clean(cell) for cell in line["cells"]] if line.get("cells") else None,
        heading=bool(line.get("heading"))
        or bool(body and line.get("size", 0) >= body * rules.HEADING_SIZE),
    )


def _without_repeated_edges(lines: list[Line], pages: int) -> list[Line]:
    """Return the lines without the headers and footers that recur at the pages' edges."""
    text_pages = [[line.text for line in lines if line.page == n] for n in range(1, pages + 1)]
    kept = drop_repeated_edges(text_pages)
    keep = {(n, t) for n, page in enumerate(kept, 1) for t in page}
    return [line for line in lines if (line.page, line.text) in keep]


def _clean(text: str) -> str:
    # Text in a file is no one's typing to correct: its control characters (a NUL from a
    # broken font map, which PostgreSQL refuses) are dropped here.
    return re.sub(r"[ \t\u00a0]+", " ", printable(text)).strip()


def drop_edges(pages: list[list[dict]]) -> list[list[dict]]:
    """Drop lines in the page margins (by position) that recur on several pages."""
    seen = Counter()
    for page in pages:
        seen.update({_shape(line["text"]) for line in page if line.get("edge")})
    needed = max(2, rules.REPEATED_LINE_SHARE * len(pages))
    return [
        [
            line
            for line in page
            if not (
                line.get("edge")
                and (
                    seen[_shape(line["text"])] >= needed
                    or re.fullmatch(rules.PAGE_NUMBER, line["text"])
                )
            )
        ]
        for page in pages
    ]


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
        joinable = previous and not previous.cells and not line.cells
        if joinable and previous.text.endswith("\u00ad"):
            previous.text = previous.text[:-1] + line.text  # an optional hyphen: always a split
        elif joinable and _split_word(previous.text, line.text):
            previous.text = previous.text[:-1] + line.text
        else:
            mended.append(Line(line.text, line.page, line.cells, line.heading))
    for line in mended:
        line.text = line.text.replace("\u00ad", "")
    return mended


def _split_word(before: str, after: str) -> bool:
    if not re.search(r"[^\W\d_]-$", before):
        return False
    first = re.match(r"[^\W\d_]+", after)
    if first is None or not first.group().islower():
        return False
    return first.group() not in rules.KEEP_HYPHEN_BEFORE
