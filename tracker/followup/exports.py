"""The follow-up list as Word, PDF, Excel and CSV files, from one report."""

import csv
import io
import re
from copy import copy
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from tracker import labels
from tracker.cells import FORMULA_START, csv_text
from tracker.followup.services.report import Report, Row
from tracker.typography import running_date, typeset

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
# Excel refuses cells longer than this.
EXCEL_CELL_LIMIT = 32767


def filename(report: Report, extension: str) -> str:
    """Return a download name made from the report's title."""
    stem = re.sub(r"[^\w]+", "-", report.title).strip("-")[:80] or "follow-up"
    return f"{stem}.{extension}"


def grouping_label(grouping: str) -> str:
    """Return the name of what the list is grouped by."""
    return {"theme": _("Theme"), "source": _("Source"), "body": _("Body")}.get(grouping, grouping)


# Translated names of codes, per language: a list of 1,000 items asks for the same few
# hundreds of times, and each gettext call looks up the request's translations.
_LABELS: dict[tuple[str, int, str | None], str] = {}


def _label(mapping: dict, code: str | None) -> str:
    """Return labels.label(mapping, code), remembered per language."""
    key = (str(get_locale()), id(mapping), code)
    found = _LABELS.get(key)
    if found is None:
        found = _LABELS[key] = labels.label(mapping, code)
    return found


def _kind(row: Row) -> str:
    kind = _label(labels.RECOMMENDATION_KINDS, row.kind)
    return f"{kind} {row.number}".strip()


def assumed_mark(value: str, assumed: bool) -> str:
    """Return the value marked "assumed" when the seed had to assume it."""
    return _("%(value)s (assumed)", value=value) if value and assumed else value


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def deadline_text(row: Row) -> str:
    """Write when an item reports back as the documents do: words first, a date they gave.

    "våren 2018 (2018-06-30, assumed)", "årligen", "the meeting on 31 October 2017".
    """
    words = _lower_first(row.deadline_words)
    day = row.deadline.isoformat() if row.deadline else ""
    if day and "due_date" in row.assumed:
        day = _("%(date)s, assumed", date=day)
    if words:
        text = f"{words} ({day})" if day else words
    elif row.due_meeting and row.deadline:
        text = _("the meeting on %(date)s", date=running_date(row.deadline))
    else:
        text = day
    return text + moved_text(row) if text else text


def moved_text(row: Row) -> str:
    """Write a moved deadline's original date and slippage: "; originally 2018-06-30, +92 days"."""
    original = getattr(row, "original", None)
    if not original or not row.deadline or original == row.deadline:
        return ""
    days = (row.deadline - original).days
    return _("; originally %(date)s, %(days)s days", date=original.isoformat(), days=f"{days:+d}")


def update_byline(latest) -> str:
    """Write an update's date and author: "2017-12-19, Regiondirektören"."""
    day = assumed_mark(latest.reported_on.isoformat(), getattr(latest, "assumed", False))
    return ", ".join(part for part in (day, latest.author) if part)


def measure_line(line) -> str:
    """Write one linked measure as a short line: title – owner – due date – status, judgement."""
    assumed = getattr(line, "assumed", None) or []
    parts = [
        assumed_mark(line.title, "title" in assumed),
        line.owner,
        line.due and line.due.isoformat(),
    ]
    state = str(_label(labels.MEASURE_STATUSES, line.status))
    if line.judgement:
        state += ", " + str(_label(labels.JUDGEMENTS, line.judgement)).lower()
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
        fulfilment=_label(labels.FULFILMENTS, line.fulfilment),
    )


def measure_update_line(line) -> str:
    """Write a measure's own latest update on one line: "2017-12-19, Anna: text"."""
    if not getattr(line, "latest", None):
        return ""
    return f"{update_byline(line.latest)}: {line.latest.text}"


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


# PDF: the print view's HTML, laid out by WeasyPrint.


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
        _("Deadline as written"),
        _("Report back to meeting"),
        _("Status"),
        _("Overdue"),
        _("Latest update"),
        _("Update date"),
        _("Update by"),
        _("Measures"),
        _("Indicators"),
        _("Closing decision"),
        _("Answer to the auditors"),
        _("Source"),
        _("Assumed"),
        _("Id"),
    ]


def _values(group_name: str, row: Row) -> list:
    latest = row.latest
    assumed = row.assumed
    measures = []
    for line in row.measures:
        measures.append(measure_line(line))
        if line.latest:
            measures.append("  " + measure_update_line(line))
    return [
        group_name,
        _kind(row),
        row.text,
        row.addressee,
        "\n".join(typeset(reference) for reference in row.references),
        assumed_mark(row.responsible, "responsible_id" in assumed),
        row.unit,
        row.deadline,
        deadline_text(row),
        row.due_meeting,
        _label(labels.RECOMMENDATION_STATUSES, row.status),
        row.overdue,
        latest.text if latest else "",
        latest.reported_on if latest else None,
        latest.author if latest else "",
        "\n".join(measures),
        "\n".join(indicator_line(line) for line in row.indicators),
        typeset(row.closing),
        row.answer,
        assumed_mark(row.source, "source_title" in assumed),
        ", ".join(assumed_field(name) for name in assumed),
        row.id,
    ]


def assumed_field(name: str) -> str:
    """Name an assumed field: "Deadline", "Source title"."""
    if name == "source_title":
        return _("Source title")
    return labels.field_label(name)


def _style(cell, styles: dict, key, **attributes) -> None:
    """Give a cell a style, set once per kind of cell and copied after.

    Setting a style looks it up among the workbook's styles by value, each time; copying
    the style array of a cell styled before is what openpyxl's own copy_worksheet does.
    """
    if key in styles:
        cell._style = copy(styles[key])
        return
    for name, value in attributes.items():
        setattr(cell, name, value)
    styles[key] = copy(cell._style)


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
    styles: dict = {}
    # Rows are counted here: the sheet's max_row looks at every cell at each call.
    number = 1
    for group in report.groups:
        for row in group.rows:
            number += 1
            for column, value in enumerate(_values(group.name, row), start=1):
                cell = sheet.cell(row=number, column=column)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_LIMIT]
                    cell.value = value
                    # Never a formula: keep it a string, and tell Excel it is typed text.
                    cell.data_type = "s"
                    quoted = value.startswith(FORMULA_START)
                    _style(cell, styles, ("text", quoted), quotePrefix=quoted, alignment=wrap)
                else:
                    cell.value = value
                    if isinstance(value, date):
                        _style(cell, styles, "date", number_format="yyyy-mm-dd")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{number}"
    widths = [24, 16, 60, 10, 18, 20, 18, 12, 20, 16, 14, 10, 60, 12, 20, 40, 40, 18, 30, 20, 8]
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


def to_csv(report: Report) -> bytes:
    """Return the report as CSV: UTF-8 with a byte order mark, semicolons, a header row."""
    buffer = io.StringIO()
    # Semicolons: Excel in Swedish reads a comma as the decimal sign.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_columns(report))
    for group in report.groups:
        for row in group.rows:
            writer.writerow([csv_text(value) for value in _values(group.name, row)])
    return buffer.getvalue().encode("utf-8-sig")
