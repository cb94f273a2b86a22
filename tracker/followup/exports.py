"""The follow-up list as Word, PDF, Excel and CSV files, from one report."""

import csv
import io
import re
from datetime import date
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _

from tracker import labels
from tracker.followup.services import Report, Row

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
# Text starting with these is a formula to a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses cells longer than this.
EXCEL_CELL_LIMIT = 32767


def filename(report: Report, extension: str) -> str:
    """Return a download name made from the report's title."""
    stem = re.sub(r"[^\w]+", "-", report.title).strip("-")[:80] or "follow-up"
    return f"{stem}.{extension}"


def grouping_label(grouping: str) -> str:
    """Return the name of what the list is grouped by."""
    return {"theme": _("Theme"), "source": _("Source"), "body": _("Body")}.get(grouping, grouping)


def _kind(row: Row) -> str:
    kind = labels.label(labels.RECOMMENDATION_KINDS, row.kind)
    return f"{kind} {row.number}".strip()


def _deadline(row: Row) -> str:
    when = row.deadline.isoformat() if row.deadline else ""
    return _("%(date)s (meeting)", date=when) if row.due_meeting else when


def measure_line(line) -> str:
    """Write one linked measure as a short line: title – owner – due date – status, judgement."""
    parts = [line.title, line.owner, line.due and line.due.isoformat()]
    state = str(labels.label(labels.MEASURE_STATUSES, line.status))
    if line.judgement:
        state += ", " + str(labels.label(labels.JUDGEMENTS, line.judgement)).lower()
    if line.overdue:
        state += " – " + _("Overdue").upper()
    parts.append(state)
    return " – ".join(part for part in parts if part)


def indicator_line(line) -> str:
    """Write one indicator as a short line: name – target; latest outcome, fulfilment."""
    if not line.latest:
        return _("%(name)s – target %(target)s; no outcome yet", name=line.name, target=line.target)
    return _(
        "%(name)s – target %(target)s; %(latest)s, %(fulfilment)s",
        name=line.name,
        target=line.target,
        latest=line.latest,
        fulfilment=labels.label(labels.FULFILMENTS, line.fulfilment),
    )


def _meta(report: Report) -> list[tuple[str, str]]:
    meta = []
    if report.body:
        meta.append((_("Body"), report.body))
    if report.meeting:
        meta.append((_("Meeting"), report.meeting))
    meta.append((_("Date"), report.dated.isoformat()))
    if report.made_by:
        meta.append((_("Kept by"), report.made_by))
    meta.append((_("Grouped by"), grouping_label(report.grouping)))
    for label, value in report.criteria:
        if (label, value) not in meta:
            meta.append((label, value))
    meta.append((_("Items"), str(report.count)))
    return meta


# Word: a document for the board's agenda.

# A4 portrait with 2 cm margins, in twentieths of a point as Word stores them: the column
# widths below add up to the text width exactly, so neither Word nor LibreOffice rescales.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 11906, 16838, 1134
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# Item, decision reference, report-back; without references the item and report-back share.
WIDTHS_WITH_REFERENCES = (3260, 1276, TEXT_WIDTH - 3260 - 1276)
WIDTHS_WITHOUT_REFERENCES = (3686, TEXT_WIDTH - 3686)
LANGUAGES = {"sv": "sv-SE", "en": "en-GB"}


def item_details(row: Row) -> str:
    """Write who answers for an item and when it reports back, on one line."""
    details = []
    if row.addressee:
        details.append(_("Addressee: %(body)s", body=row.addressee))
    if row.responsible:
        details.append(_("Responsible: %(name)s", name=row.responsible))
    if row.deadline or row.due_meeting:
        details.append(_("Report back: %(when)s", when=_deadline(row)))
    if row.response_due:
        details.append(_("Response due %(date)s", date=row.response_due.isoformat()))
    if row.overdue:
        details.append(_("Overdue"))
    return " · ".join(details)


def update_byline(row: Row) -> str:
    """Write the latest update's date, author and measure: "2017-12-19, Anna, on the measure X"."""
    latest = row.latest
    parts = [latest.reported_on.isoformat()]
    if latest.author:
        parts.append(latest.author)
    byline = ", ".join(parts)
    if latest.measure:
        byline += " · " + _("on the measure %(title)s", title=latest.measure)
    return byline


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
    return len(row.text) + latest + lines


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
    """Make the styles those of a board paper: 9 pt text, modest headings, black."""
    from docx.shared import Pt, RGBColor

    styles = document.styles
    # Arial in Word; LibreOffice lays it out with its metric twin, Liberation Sans.
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(9)
    styles["Normal"].paragraph_format.space_after = Pt(3)
    for name, size, before, after in (("Title", 16, 6, 6), ("Heading 1", 12, 10, 3)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)


def _header_block(document, report: Report) -> None:
    """Write the body, meeting and date, then the title and the registry number."""
    from docx.shared import Pt

    def line(label: str, value: str):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    if report.body:
        line(_("Body"), report.body)
    if report.meeting:
        line(_("Meeting"), report.meeting)
    line(_("Date"), report.dated.isoformat())
    document.add_heading(report.title, level=0)
    if report.dnr:
        line(_("Dnr"), report.dnr)
    shown = {_("Body"), _("Meeting"), _("Date")}
    for label, value in _meta(report):
        if label not in shown:
            line(label, value)


def _report_back(cell, row: Row, small, first: bool) -> None:
    """Write the status, the latest update, the measures and the indicators of an item."""
    status = labels.label(labels.RECOMMENDATION_STATUSES, row.status)
    if row.closing:
        status += " – " + _("Closed by decision %(reference)s", reference=row.closing)
    _paragraph(cell, status, first=first, bold=True)
    if row.latest:
        _paragraph(cell, row.latest.text)
        _paragraph(cell, update_byline(row), italic=True, size=small)
    if row.measures:
        _paragraph(cell, row.summary, italic=True, size=small)
        for line in row.measures:
            _paragraph(cell, "• " + measure_line(line), size=small)
    for line in row.indicators:
        _paragraph(cell, "▸ " + indicator_line(line), size=small)


def to_docx(report: Report, *, author: str = "", language: str | None = None) -> bytes:
    """Return the report as a Word document: A4 portrait, a header block, a table per group."""
    from docx import Document
    from docx.shared import Pt, Twips

    language = language or LANGUAGES.get(str(get_locale()), "sv-SE")
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(MARGIN))
    _styles(document)
    _language(document, language)
    _properties(document, report, author or report.made_by, language)
    _page_footer(section)
    _header_block(document, report)
    if not report.groups:
        document.add_paragraph(_("No items match these filters."))
    references = report.has_references
    widths = WIDTHS_WITH_REFERENCES if references else WIDTHS_WITHOUT_REFERENCES
    titles = (
        [_("Item"), _("Decision"), _("Report-back")]
        if references
        else [_("Item"), _("Report-back")]
    )
    small = Pt(8)
    for group in report.groups:
        document.add_heading(group.name, level=1)
        table = document.add_table(rows=1, cols=len(widths))
        table.style = "Table Grid"
        _fix_widths(table, widths)
        header = table.rows[0]
        _row_flags(header, header=True)
        _cell_widths(header.cells, widths)
        for cell, text in zip(header.cells, titles, strict=True):
            _paragraph(cell, text, first=True, bold=True)
        for row in group.rows:
            table_row = table.add_row()
            _row_flags(table_row, whole=_length(row) < WHOLE_ROW_CHARACTERS)
            cells = table_row.cells
            _cell_widths(cells, widths)
            _paragraph(cells[0], row.name, first=True, bold=True, size=small)
            _paragraph(cells[0], row.text)
            details = item_details(row)
            if details:
                _paragraph(cells[0], details, italic=True, size=small)
            if references:
                _paragraph(cells[1], "\n".join(row.references) or "–", first=True, size=small)
            _report_back(cells[-1], row, small, first=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# PDF: the print view's HTML, laid out by WeasyPrint.


def page_css(*, landscape: bool = False) -> str:
    """Return the PDF's page rule: A4, portrait unless asked, "Page n of m" at the foot."""
    counter = _("Page %(page)s of %(pages)s", page='" counter(page) "', pages='" counter(pages) "')
    orientation = "landscape" if landscape else "portrait"
    return (
        f"@page {{ size: A4 {orientation}; margin: 1.8cm 1.5cm 2cm;"
        f' @bottom-right {{ content: "{counter}"; font: 8pt "DejaVu Sans", sans-serif; }} }}'
    )


def to_pdf(html: str, stylesheets: list[Path], *, landscape: bool = False) -> bytes:
    """Return the print view's HTML as PDF, styled by the given local style sheets only."""
    from weasyprint import CSS, HTML

    # No base URL: the document fetches nothing; its style sheets are read from disk.
    sheets = [CSS(filename=str(path)) for path in stylesheets]
    return HTML(string=html).write_pdf(
        stylesheets=[*sheets, CSS(string=page_css(landscape=landscape))]
    )


# Excel and CSV: one row per item.


def _columns(report: Report) -> list[str]:
    return [
        grouping_label(report.grouping),
        _("Kind"),
        _("Text"),
        _("Addressee"),
        _("Decision references"),
        _("Responsible"),
        _("Unit"),
        _("Deadline"),
        _("Report back to meeting"),
        _("Status"),
        _("Overdue"),
        _("Latest update"),
        _("Update date"),
        _("Update by"),
        _("Measures"),
        _("Indicators"),
        _("Closing decision"),
        _("Source"),
        _("Id"),
    ]


def _values(group_name: str, row: Row) -> list:
    latest = row.latest
    return [
        group_name,
        _kind(row),
        row.text,
        row.addressee,
        "\n".join(row.references),
        row.responsible,
        row.unit,
        row.deadline,
        row.due_meeting,
        labels.label(labels.RECOMMENDATION_STATUSES, row.status),
        row.overdue,
        latest.text if latest else "",
        latest.reported_on if latest else None,
        latest.author if latest else "",
        "\n".join(measure_line(line) for line in row.measures),
        "\n".join(indicator_line(line) for line in row.indicators),
        row.closing,
        row.source,
        row.id,
    ]


def to_xlsx(report: Report) -> bytes:
    """Return the report as an Excel workbook: typed cells, a frozen header row, filters on."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Follow-up")[:31]
    workbook.properties.title = report.title
    workbook.properties.creator = report.made_by or "tracker"
    columns = _columns(report)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for group in report.groups:
        for row in group.rows:
            values = _values(group.name, row)
            sheet.append([None] * len(values))
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_LIMIT]
                    cell.value = value
                    # Never a formula: keep it a string, and tell Excel it is typed text.
                    cell.data_type = "s"
                    if value.startswith(FORMULA_START):
                        cell.quotePrefix = True
                    cell.alignment = wrap
                else:
                    cell.value = value
                    if isinstance(value, date):
                        cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"
    widths = [24, 16, 60, 10, 18, 20, 18, 12, 16, 14, 10, 60, 12, 20, 40, 40, 18, 30, 8]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    about = workbook.create_sheet(_("About")[:31])
    about.append([_("Title"), report.title])
    for label, value in _meta(report):
        about.append([label, value])
    for row in about.iter_rows():
        for cell in row:
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A spreadsheet opening the file must not run it: a leading apostrophe makes it text.
    return f"'{text}" if text.startswith(FORMULA_START) else text


def to_csv(report: Report) -> bytes:
    """Return the report as CSV: UTF-8 with a byte order mark, semicolons, a header row."""
    buffer = io.StringIO()
    # Semicolons: Excel in Swedish reads a comma as the decimal sign.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_columns(report))
    for group in report.groups:
        for row in group.rows:
            writer.writerow([_csv_text(value) for value in _values(group.name, row)])
    return buffer.getvalue().encode("utf-8-sig")
