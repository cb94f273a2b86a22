"""The follow-up list as a Word document for the board's agenda: one table, as 003 is laid out."""

import io
import re
from xml.sax.saxutils import escape

from flask_babel import gettext as _

from tracker.followup.exports import (
    assumed_mark,
    deadline_text,
    indicator_line,
    measure_line,
    update_byline,
)
from tracker.followup.services.report import Report, Row
from tracker.typography import running_date, typeset
from tracker.word_styles import readable_headings

# A4 with 2 cm margins, in twentieths of a point as Word stores them: the column widths
# below add up to the text width exactly, so neither Word nor LibreOffice rescales.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 11906, 16838, 1134
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# Shares of the text width: item, decision reference, report-back; without references the
# item and the report-back share it.
SHARES_WITH_REFERENCES = (0.36, 0.14)
SHARES_WITHOUT_REFERENCES = (0.38,)


def column_widths(text_width: int, references: bool) -> tuple[int, ...]:
    """Return the columns' widths in twips, adding up to the text width exactly."""
    shares = SHARES_WITH_REFERENCES if references else SHARES_WITHOUT_REFERENCES
    widths = [round(text_width * share) for share in shares]
    return (*widths, text_width - sum(widths))


def item_details(row: Row) -> str:
    """Write who answers for an item and when it reports back, on one line."""
    details = []
    if row.addressee:
        details.append(_("Addressee: %(body)s", body=row.addressee))
    if row.responsible:
        name = assumed_mark(row.responsible, row.is_assumed("responsible_id"))
        details.append(_("Responsible: %(name)s", name=name))
    when = deadline_text(row)
    if when:
        details.append(_("Report back: %(when)s", when=when))
    if row.answer:
        details.append(row.answer)
    elif row.response_due:
        details.append(_("Response due %(date)s", date=running_date(row.response_due)))
    return " · ".join(details)


def _element(tag: str, **attributes):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


# A row with less text than this moves to the next page whole; a longer one may split,
# so that a page is not left half empty.
WHOLE_ROW_CHARACTERS = 1200


def _row_flags(row, *, header: bool = False, whole: bool = True) -> None:
    """Keep a table row on one page when whole, and repeat the header row on every page."""
    properties = row._tr.get_or_add_trPr()
    if whole:
        properties.append(_element("w:cantSplit", val="true"))
    if header:
        properties.append(_element("w:tblHeader", val="true"))


def _length(row: Row) -> int:
    """Return roughly how much text a row holds, to tell a short row from a long one."""
    latest = len(row.latest.text) if row.latest else 0
    lines = 60 * (len(row.measures) + len(row.indicators))
    updates = sum(len(line.latest.text) for line in row.measures if line.latest)
    return len(row.text) + latest + lines + updates


def _fix_widths(table, widths: tuple[int, ...]) -> None:
    """Give the table a fixed layout, a total width and a grid: what LibreOffice reads."""
    from docx.oxml.ns import qn
    from docx.shared import Twips

    table.autofit = False
    properties = table._tbl.tblPr
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    # The schema's order: the width comes right after the style.
    properties.find(qn("w:tblStyle")).addnext(_element("w:tblW", w=sum(widths), type="dxa"))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)


def _cell_widths(cells, widths: tuple[int, ...]) -> None:
    """Give each cell its width: what Word reads."""
    from docx.shared import Twips

    for cell, width in zip(cells, widths, strict=True):
        cell.width = Twips(width)


def _paragraph(cell, text: str, *, first: bool = False, bold=False, italic=False, size=None):
    """Add one paragraph to a table cell, the cell's first when first; return it."""
    from docx.shared import Pt

    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(1)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = size
    return paragraph


def _field(paragraph, instruction: str) -> None:
    """Add a field Word and LibreOffice compute when they lay out the page: PAGE, NUMPAGES."""
    for part in (
        _element("w:fldChar", fldCharType="begin"),
        None,
        _element("w:fldChar", fldCharType="separate"),
        "1",
        _element("w:fldChar", fldCharType="end"),
    ):
        run = paragraph.add_run()
        if part is None:
            text = _element("w:instrText")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif isinstance(part, str):
            run.text = part
        else:
            run._r.append(part)


def _page_footer(section) -> None:
    """Write "Page n of m" in the footer, with real page fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, middle_after = _("Page %(page)s of %(pages)s").split("%(page)s")
    middle, after = middle_after.split("%(pages)s")
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(middle)
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(after)


def _language(document, language: str) -> None:
    """Set the language of the text, for spelling and hyphenation, in the default style."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in run_properties.findall(qn("w:lang")):
        run_properties.remove(old)
    run_properties.append(_element("w:lang", val=language, eastAsia=language, bidi=language))


def _properties(document, report: Report, author: str, language: str) -> None:
    from datetime import UTC, datetime

    properties = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    properties.title = report.title
    properties.author = author
    properties.last_modified_by = author
    properties.created = now
    properties.modified = now
    properties.last_printed = now
    properties.revision = 1
    properties.language = language
    properties.subject = report.meeting or report.body
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""


def _styles(document) -> None:
    """Make the styles those of a board paper: 9 pt text or larger, modest headings, black."""
    from docx.shared import Pt, RGBColor

    styles = document.styles
    # Arial in Word; LibreOffice lays it out with its metric twin, Liberation Sans.
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(BODY_HALF_POINTS / 2)
    styles["Normal"].paragraph_format.space_after = Pt(3)
    for name, size, before, after in (("Title", 16, 6, 6), ("Heading 1", 12, 10, 3)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)


def _header_block(document, report: Report) -> None:
    """Write the title, then the body, the meeting, the date and the registry number."""
    from docx.shared import Pt

    def line(label: str, value: str):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    document.add_heading(report.title, level=0)
    if report.body:
        line(_("Body"), report.body)
    if report.meeting:
        line(_("Meeting"), report.meeting)
    line(_("Date"), running_date(report.dated))
    if report.dnr:
        line(_("Dnr"), report.dnr)
    if report.made_by:
        line(_("Kept by"), report.made_by)
    if report.proposal:
        document.add_heading(_("Proposed decision"), level=1)
        document.add_paragraph(typeset(report.proposal))


# The item rows are written as WordprocessingML text and parsed once: python-docx spends
# milliseconds per run and cell on lookups, and a board list has thousands of runs.
BODY_HALF_POINTS = 19  # 9.5 pt, as Word counts font sizes
SMALL_HALF_POINTS = 18  # 9 pt: nothing on the paper is smaller
RUN_PIECES = re.compile(r"(\t|\r\n|\r|\n)")


def _run_xml(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    small: bool = False,
    keep_next: bool = False,
):
    """Return one paragraph of a table cell as XML: one run, 1 pt after, typeset."""
    style = ("<w:b/>" if bold else '<w:b w:val="0"/>') + (
        "<w:i/>" if italic else '<w:i w:val="0"/>'
    )
    if small:
        style += f'<w:sz w:val="{SMALL_HALF_POINTS}"/>'
    content = []
    for piece in RUN_PIECES.split(typeset(text)):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r\n", "\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            content.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    keep = "<w:keepNext/>" if keep_next else ""
    return (
        f'<w:p><w:pPr>{keep}<w:spacing w:after="20"/></w:pPr>'
        f"<w:r><w:rPr>{style}</w:rPr>{''.join(content)}</w:r></w:p>"
    )


def _report_back(row: Row) -> list[str]:
    """Return the board's decision, the item's own report, then each measure with its own."""
    paragraphs = []
    if row.closing:
        # A status only where the board decided one: the rest is the owner's words.
        paragraphs.append(_run_xml(_("Decision %(reference)s", reference=row.closing), bold=True))
    if row.latest:
        paragraphs.append(_run_xml(row.latest.text))
        byline = update_byline(row.latest)
        if row.latest.measure:  # lists kept before the roll-up per measure
            byline += " · " + _("on the measure %(title)s", title=row.latest.measure)
        paragraphs.append(_run_xml(byline, italic=True, small=True))
    for line in row.measures:
        title = _("Measure: %(line)s", line=measure_line(line))
        paragraphs.append(_run_xml(title, bold=True, small=True))
        if line.latest:
            paragraphs.append(_run_xml(line.latest.text, small=True))
            paragraphs.append(_run_xml(update_byline(line.latest), italic=True, small=True))
    for line in row.indicators:
        paragraphs.append(_run_xml("▸ " + indicator_line(line), small=True))
    return paragraphs or [_run_xml("")]


def _cells_xml(cells: list[list[str]], widths: tuple[int, ...], properties: str = "") -> str:
    return "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{properties}</w:tcPr>'
        f"{''.join(content)}</w:tc>"
        for width, content in zip(widths, cells, strict=True)
    )


def _row_xml(row: Row, widths: tuple[int, ...], references: bool) -> str:
    """Return one item's table row as XML: the item, its decision, its report-back."""
    item = []
    if row.number:
        name = assumed_mark(row.name, row.is_assumed("source_title"))
        item.append(_run_xml(name, bold=True, small=True))
    item.append(_run_xml(row.text))
    details = item_details(row)
    if details:
        item.append(_run_xml(details, italic=True, small=True))
    cells = [item]
    if references:
        decision = [typeset(text) for text in row.decision]
        if not row.references and decision:
            decision = [assumed_mark(decision[0], row.is_assumed("source_title"))]
        cells.append([_run_xml("\n".join(decision), small=True)])
    cells.append(_report_back(row))
    whole = '<w:cantSplit w:val="true"/>' if _length(row) < WHOLE_ROW_CHARACTERS else ""
    return f"<w:tr><w:trPr>{whole}</w:trPr>{_cells_xml(cells, widths)}</w:tr>"


def _group_xml(name: str, widths: tuple[int, ...]) -> str:
    """Return a theme (or source) row: one cell across the table, kept with the next row."""
    cell = (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{sum(widths)}"/>'
        f'<w:gridSpan w:val="{len(widths)}"/><w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>'
        f"</w:tcPr>{_run_xml(name, bold=True, keep_next=True)}</w:tc>"
    )
    return f'<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>{cell}</w:tr>'


def _add_rows(table, rows: list[str]) -> None:
    """Parse the rows' XML in one go and add them to the table."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    fragment = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for element in list(fragment):
        table._tbl.append(element)


def to_docx(
    report: Report,
    *,
    author: str = "",
    language: str | None = None,
    landscape: bool = False,
) -> bytes:
    """Return the report as a Word document: A4, a header block, ONE table with group rows."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Twips

    from tracker.documents.letterhead import new_document

    # The items, updates and measures are the documents' Swedish whatever the page's language:
    # a reader's speech and spelling follow the content, not the labels around it.
    language = language or "sv-SE"
    document = new_document()
    section = document.sections[0]
    width, height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(width), Twips(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(MARGIN))
    _styles(document)
    readable_headings(document)
    _language(document, language)
    _properties(document, report, author or report.made_by, language)
    _page_footer(section)
    _header_block(document, report)
    if not report.groups:
        document.add_paragraph(_("No items match these filters."))
        return _saved(document)
    references = report.has_references
    widths = column_widths(width - 2 * MARGIN, references)
    titles = (
        [_("Item"), _("Decision"), _("Report-back")]
        if references
        else [_("Item"), _("Report-back")]
    )
    table = document.add_table(rows=1, cols=len(widths))
    table.style = "Table Grid"
    _fix_widths(table, widths)
    header = table.rows[0]
    _row_flags(header, header=True)
    _cell_widths(header.cells, widths)
    for cell, text in zip(header.cells, titles, strict=True):
        _paragraph(cell, text, first=True, bold=True)
    rows = []
    for group in report.groups:
        rows.append(_group_xml(group.name, widths))
        rows.extend(_row_xml(row, widths, references) for row in group.rows)
    _add_rows(table, rows)
    return _saved(document)


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
