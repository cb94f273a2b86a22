"""The measures as an Excel workbook to edit and upload again (the Excel round trip).

The workbook carries each row's id and version in hidden, locked columns; the key columns are
locked, the editable ones (status, update text, due date, reason, who agreed, owner) open.
Reading it back refuses macros and formulas, and names each error by its row.
"""

import io
import zipfile

from flask_babel import gettext as _

from tracker import labels
from tracker.bulk import UNSET, Change, parse_date
from tracker.lookup import look_up
from tracker.text import has_control

SHEET = "measures"  # the sheet's name, the same in every language: the upload finds it
# (key, editable): the columns in order; the first two are hidden.
COLUMNS = (
    ("id", False),
    ("version", False),
    ("number", False),
    ("title", False),
    ("status", True),
    ("due_date", True),
    ("owner", True),
    ("text", True),
    ("reason", True),
    ("agreed_by", True),
)
MAX_ROWS = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * 1024 * 1024


def headings() -> dict[str, str]:
    """Return each column's heading in the current language."""
    return {
        "id": "id",
        "version": "version",
        "number": _("Number"),
        "title": _("Measure"),
        "status": _("Status"),
        "due_date": _("Due date"),
        "owner": _("Owner"),
        "text": _("New status update"),
        "reason": _("Why the due date moves"),
        "agreed_by": _("Who agreed to the move"),
    }


def to_xlsx(rows: list[tuple]) -> bytes:
    """Return measures (measure, owner name) as a workbook to edit and upload again."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    names = headings()
    sheet.append([names[key] for key, _editable in COLUMNS])
    statuses = list(labels.names(labels.MEASURE_STATUSES).values())
    for measure, owner in rows:
        sheet.append(
            [
                measure.id,
                measure.version,
                measure.number,
                measure.title,
                labels.label(labels.MEASURE_STATUSES, measure.status),
                measure.due_date,
                owner or "",
                "",
                "",
                "",
            ]
        )
    open_cell = Protection(locked=False)
    for index, (key, editable) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = {"title": 50, "text": 50}.get(key, 18)
        if key in ("id", "version"):
            sheet.column_dimensions[letter].hidden = True
        for cell in sheet[letter][1:]:
            if editable:
                cell.protection = open_cell
            if key == "due_date":
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) or editable:
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    choice = DataValidation(type="list", formula1='"' + ",".join(statuses) + '"')
    choice.add(f"E2:E{max(2, sheet.max_row)}")
    sheet.add_data_validation(choice)
    sheet.freeze_panes = "C2"
    # Locked key columns: ids, versions and titles cannot be typed over by mistake.
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(rows: list[tuple], name: str = "atgarder.xlsx"):
    """Return a response that sends measures (measure, owner name) as the workbook to edit."""
    from flask import send_file

    response = send_file(
        io.BytesIO(to_xlsx(rows)), mimetype=XLSX, as_attachment=True, download_name=name
    )
    response.headers["Cache-Control"] = "no-store"
    return response


class WorkbookError(ValueError):
    """A file that is no workbook of ours: not Excel, macros, no sheet of measures."""


def read_changes(session, data: bytes) -> tuple[list[Change], list[tuple[int, str]]]:
    """Read an uploaded workbook into changes and (row, message) errors; refuse bad files."""
    sheet = _open(data)
    statuses = {str(name).casefold(): code for code, name in labels.MEASURE_STATUSES.items()}
    statuses |= {code.value: code for code in labels.MEASURE_STATUSES}
    changes, errors = [], []
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        values = {key: cell for (key, _e), cell in zip(COLUMNS, cells, strict=False)}
        if values.get("id") is None or values["id"].value in (None, ""):
            continue
        formulas = [
            _("Column “%(name)s” holds a formula: type the value itself.", name=headings()[key])
            for key, cell in values.items()
            if cell.data_type == "f"
        ]
        if formulas:
            errors += [(number, problem) for problem in formulas]
            continue
        try:
            changes.append(_change(session, number, values, statuses))
        except RowError as error:
            errors.append((number, str(error)))
    return changes, errors


def _open(data: bytes):
    """Return the sheet of measures of an uploaded workbook; refuse a file that is no such."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise WorkbookError(_("The file is larger than %(mb)d MB.", mb=MAX_BYTES // 2**20))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.namelist()
    except zipfile.BadZipFile:
        raise WorkbookError(_("This is not an Excel workbook (.xlsx).")) from None
    if any("vbaproject" in part.lower() for part in parts):
        raise WorkbookError(_("The workbook holds macros: save it as .xlsx without macros."))
    try:
        workbook = load_workbook(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise WorkbookError(_("This is not an Excel workbook (.xlsx).")) from None
    if SHEET not in workbook.sheetnames:
        raise WorkbookError(_("The workbook has no sheet of measures from the tracker."))
    sheet = workbook[SHEET]
    if sheet.max_row > MAX_ROWS + 1:
        raise WorkbookError(_("At most %(rows)d rows at a time.", rows=MAX_ROWS))
    return sheet


class RowError(ValueError):
    """A row that cannot be read; the message says why."""


def _change(session, number: int, cells: dict, statuses: dict) -> Change:
    """Read one row of the sheet into a change; raise RowError."""
    row = {key: cell.value for key, cell in cells.items()}
    try:
        change = Change(int(row["id"]), int(row["version"]), row=number)
    except (TypeError, ValueError):
        raise RowError(_("The hidden id and version columns were changed.")) from None
    status = str(row.get("status") or "").strip()
    if status and status.casefold() not in statuses:
        raise RowError(_("Unknown status “%(status)s”.", status=status))
    if status:
        change.status = statuses[status.casefold()]
    try:
        change.due_date = parse_date(row.get("due_date"))
    except ValueError:
        raise RowError(_("Write the due date as YYYY-MM-DD.")) from None
    change.owner_id = _owner(session, str(row.get("owner") or "").strip())
    texts = [str(row.get(key) or "").strip() for key in ("text", "reason", "agreed_by")]
    if any(has_control(text) for text in texts):
        raise RowError(_("The row holds control characters."))
    change.text, change.reason, change.agreed_by = texts
    return change


def _owner(session, name: str):
    """Return the id of the owner named, UNSET for an empty cell; raise RowError."""
    if not name:
        return UNSET
    found = look_up(session, "owner", name, by_id=False)
    if found.error:
        raise RowError(found.error)
    return found.id
