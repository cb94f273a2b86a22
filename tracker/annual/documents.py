"""The annual report as Word, Excel and the PDF's words: the same columns in each."""

import io
import re
from datetime import date

from flask_babel import gettext as _

from tracker import labels
from tracker.annual.services import UNGRADED, AnnualReport, AnnualRow
from tracker.cells import FORMULA_START
from tracker.dates import format_date
from tracker.text import printable


def grade_name(code: str) -> str:
    """Return a grade's name, or "not graded"."""
    return labels.label(labels.GRADES, code) if code != UNGRADED else _("Not graded")


def title(report: AnnualReport) -> str:
    """Return the report's title: the year, and the body if one."""
    text = _("Recommendations and assignments %(year)d", year=report.year)
    return f"{text} – {report.body}" if report.body else text


def filename(report: AnnualReport, extension: str) -> str:
    """Return a file name from the title, in plain letters."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title(report).replace("–", "")).strip("-").lower()
    return f"{slug}.{extension}"


def deadline_text(row: AnnualRow) -> str:
    """Write the current deadline as the source gave it, marked where the seed assumed it."""
    parts = []
    if row.recurrence:
        parts.append(labels.label(labels.RECURRENCES, row.recurrence))
    if row.period:
        parts.append(row.period)
    if row.current:
        when = format_date(row.current)
        if row.period:
            when = _("at the latest %(date)s", date=when)
        if row.date_assumed:
            when = f"{when} ({_('assumed')})"
        parts.append(when)
    return ", ".join(parts) or "–"


def original_text(row: AnnualRow) -> str:
    """Write the original date when the deadline moved, else nothing."""
    if row.original and row.original != row.current:
        return _("originally %(date)s", date=format_date(row.original))
    return ""


def slippage_text(row: AnnualRow) -> str:
    """Write the slippage in days, "0" for none, "–" when there is no date."""
    return "–" if row.slippage_days is None else str(row.slippage_days)


COLUMNS = (
    ("source", lambda: _("Source")),
    ("number", lambda: _("No.")),
    ("text", lambda: _("Recommendation or assignment")),
    ("body", lambda: _("Body")),
    ("status", lambda: _("Status")),
    ("board_grade", lambda: _("The board's grade")),
    ("auditors_grade", lambda: _("The auditors' grade")),
    ("deadline", lambda: _("Report back by")),
    ("original", lambda: _("Original date")),
    ("slippage", lambda: _("Slippage (days)")),
    ("report", lambda: _("Latest report")),
    ("auditors", lambda: _("The auditors' follow-up")),
)


def cells(row: AnnualRow) -> list:
    """Return a row's values in the order of COLUMNS; dates stay dates, numbers numbers."""
    values = {
        "source": row.source,
        "number": row.number,
        "text": row.text,
        "body": row.body,
        "status": labels.label(labels.RECOMMENDATION_STATUSES, row.status),
        "board_grade": grade_name(row.board_grade),
        "auditors_grade": grade_name(row.auditors_grade),
        "deadline": deadline_text(row),
        "original": row.original if row.original != row.current else None,
        "slippage": row.slippage_days,
        "report": row.report,
        "auditors": row.auditors,
    }
    return [values[key] for key, _name in COLUMNS]


def totals(report: AnnualReport) -> list[tuple[str, list[tuple[str, int]]]]:
    """Return the totals tables: by grade, by source and by body; each adds up to the rows."""
    return [
        (_("By the board's grade"), [(grade_name(c), n) for c, n in report.by_grade]),
        (_("By source"), report.totals("source")),
        (_("By body"), [(name or "–", n) for name, n in report.totals("body")]),
    ]


def to_docx(report: AnnualReport) -> bytes:
    """Return the report as a Word document: totals, then one table of every item."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    from tracker.documents.letterhead import new_document

    # In the region's letterhead, as every Word file the app writes.
    document = new_document()
    section = document.sections[0]
    # A4 landscape: twelve columns need the width.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    document.core_properties.title = title(report)
    document.core_properties.language = "sv-SE"
    document.add_heading(title(report), level=1)
    for heading, counts in totals(report):
        document.add_heading(heading, level=2)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("Value"), _("Items")
        for name, count in counts:
            row = table.add_row().cells
            row[0].text, row[1].text = _clean(name), str(count)
        row = table.add_row().cells
        row[0].text, row[1].text = _("Total"), str(len(report.rows))
    document.add_heading(_("Every item"), level=2)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, (_key, name) in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = name()
    _repeat_header(table.rows[0])
    for item in report.rows:
        row = table.add_row().cells
        for cell, value in zip(row, cells(item), strict=True):
            cell.text = _clean(_as_text(value))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _clean(text: str) -> str:
    return printable(text)


def to_xlsx(report: AnnualReport) -> bytes:
    """Return the report as a workbook: every item on one sheet, the totals on another."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(report.year)
    workbook.properties.title = title(report)
    sheet.append([name() for _key, name in COLUMNS])
    for item in report.rows:
        sheet.append([_cell(value) for value in cells(item)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                # Never a formula: typed text, marked so for Excel too.
                cell.data_type = "s"
                cell.quotePrefix = cell.value.startswith(FORMULA_START)
    for cell in sheet["H"][1:]:
        cell.number_format = "@"
    for cell in sheet["I"][1:]:
        cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    summary = workbook.create_sheet(_("Totals")[:31])
    for heading, counts in totals(report):
        summary.append([_cell(heading)])
        for name, count in counts:
            summary.append([_cell(name), count])
        summary.append([_("Total"), len(report.rows)])
        summary.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    """Keep text free of the characters a workbook cannot hold."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
