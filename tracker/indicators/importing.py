"""Import outcomes from a CSV or Excel file: read it, check every row and show a preview;
save only when every row is good, and then save every row in one transaction."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker.indicators import rules
from tracker.indicators.periods import PeriodError, parse_number, parse_period
from tracker.indicators.services import fulfilment, outcomes
from tracker.models import Indicator, Outcome, Recommendation, Unit
from tracker.text import printable

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# The column names a file may use, in English or Swedish, for each field.
COLUMNS = {
    "indicator": {"indicator", "code", "indikator", "styrmått", "styrmatt", "kod"},
    "period": {"period", "uppföljningsperiod"},
    "unit": {"unit", "enhet", "verksamhet"},
    "value": {"value", "outcome", "utfall", "värde", "varde", "total", "totalt"},
    "women": {"women", "kvinnor", "k"},
    "men": {"men", "män", "man", "m"},
    "note": {"note", "kommentar", "anmärkning", "notering"},
}
REQUIRED = ("indicator", "period")
TEMPLATE_HEADER = ["indicator", "period", "unit", "value", "women", "men", "note"]


class ImportFileError(ValueError):
    """The file as a whole cannot be read: its type, encoding or header."""


@dataclass
class RawRow:
    line: int  # the row's number in the file, the header being row 1
    cells: dict[str, str]


@dataclass
class CheckedRow:
    line: int
    indicator: Indicator
    year: int
    period: str
    unit: Unit | None
    value: float | None
    women: float | None
    men: float | None
    note: str
    replaces: Outcome | None  # the outcome this row will overwrite

    def values(self) -> dict:
        return {
            "year": self.year,
            "period": self.period,
            "unit_id": self.unit.id if self.unit else None,
            "value": self.value,
            "women": self.women,
            "men": self.men,
            "note": self.note,
        }


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportCheck:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


@dataclass
class ImportResult:
    created: int
    replaced: int
    assignments: list[Recommendation]


# Reading.


def read_file(filename: str, data: bytes) -> list[RawRow]:
    """Read the rows of a .csv or .xlsx file; raise ImportFileError if that cannot be done."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".csv", ".txt"):
        table = _read_csv(data)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(data)
    else:
        raise ImportFileError(_("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))
    return _rows(table)


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Swedish Windows saves CSV in Windows-1252.
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error:
        # Python's csv refuses a field over 128 KB; no cell of an import is anywhere near.
        raise ImportFileError(
            _(
                "Line %(line)d: a cell is far too long (over %(limit)d characters). "
                "Check the file's quotes and delimiters.",
                line=reader.line_num,
                limit=csv.field_size_limit(),
            )
        ) from None


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ImportFileError(_("The file is not an Excel workbook that can be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return printable(str(value)).strip()  # a file's control characters: dropped, not refused


def _rows(table: list[list]) -> list[RawRow]:
    start = next((n for n, row in enumerate(table) if any(_cell(c) for c in row)), None)
    if start is None:
        raise ImportFileError(_("The file is empty."))
    columns = _columns(table[start])
    rows = []
    for number, row in enumerate(table[start + 1 :], start=start + 2):
        cells = {name: _cell(row[i]) if i < len(row) else "" for i, name in columns.items()}
        if any(cells.values()):
            rows.append(RawRow(number, cells))
    if not rows:
        raise ImportFileError(_("The file has a header but no rows of outcomes."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("At most %(n)d rows can be imported at a time.", n=MAX_ROWS))
    return rows


def _columns(header: list) -> dict[int, str]:
    """Return the field each column of the header holds; raise ImportFileError if one is off."""
    names = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
    columns: dict[int, str] = {}
    unknown = []
    for index, heading in enumerate(header):
        text = _cell(heading).lower()
        if not text:
            continue
        if text not in names:
            unknown.append(_cell(heading))
        elif names[text] in columns.values():
            raise ImportFileError(_("The column “%(name)s” appears twice.", name=_cell(heading)))
        else:
            columns[index] = names[text]
    if unknown:
        raise ImportFileError(
            _(
                "Unknown columns: %(names)s. The columns are: %(known)s.",
                names=", ".join(f"“{name}”" for name in unknown),
                known=", ".join(TEMPLATE_HEADER),
            )
        )
    missing = [name for name in REQUIRED if name not in columns.values()]
    if missing:
        raise ImportFileError(_("Columns missing: %(names)s.", names=", ".join(missing)))
    return columns


# Checking.


def check_rows(session: Session, raw_rows: list[RawRow]) -> ImportCheck:
    """Check every row against the indicators, units and each other; name each row in error."""
    indicators = {i.code.strip().casefold(): i for i in session.exec(select(Indicator))}
    units = {u.name.strip().casefold(): u for u in session.exec(select(Unit))}
    ids = [i.id for i in indicators.values()]
    existing = {
        (o.indicator_id, o.year, o.period, o.scope_id): o
        for o in session.exec(select(Outcome).where(Outcome.indicator_id.in_(ids)))
    }
    result = ImportCheck()
    seen: dict[tuple, int] = {}
    for raw in raw_rows:
        problems, row = _check_row(raw, indicators, units)
        if row is not None:
            key = (row.indicator.id, row.year, row.period, row.unit.id if row.unit else 0)
            if key in seen:
                problems.append(
                    _("The same indicator, period and unit as row %(row)d.", row=seen[key])
                )
            else:
                seen[key] = raw.line
                row.replaces = existing.get(key)
        for problem in problems:
            result.errors.append(RowError(raw.line, problem))
        if not problems and row is not None:
            result.rows.append(row)
    return result


def _check_row(raw: RawRow, indicators: dict, units: dict) -> tuple[list[str], CheckedRow | None]:
    cells = raw.cells
    problems: list[str] = []
    indicator = _indicator(cells.get("indicator", ""), indicators, problems)
    year, period = _period(cells.get("period", ""), indicator, problems)
    unit_name = cells.get("unit", "")
    unit = units.get(unit_name.casefold()) if unit_name else None
    if unit_name and unit is None:
        problems.append(_("Unknown unit “%(name)s”.", name=unit_name))
    numbers = _numbers(cells, problems)
    if indicator is not None:
        problems += [message for _field, message in fulfilment.check_values(indicator, **numbers)]
    note = cells.get("note", "")
    if len(note) > 500:
        problems.append(_("The note is longer than 500 characters."))
    if indicator is None or period is None or (unit_name and unit is None):
        return problems, None
    return problems, CheckedRow(
        raw.line, indicator, year, period, unit, note=note, replaces=None, **numbers
    )


def _indicator(code: str, indicators: dict, problems: list[str]) -> Indicator | None:
    """Return the indicator a row names; add to problems when it names none or an unknown."""
    indicator = indicators.get(code.casefold())
    if not code:
        problems.append(_("The indicator is missing."))
    elif indicator is None:
        problems.append(_("Unknown indicator “%(code)s”.", code=code))
    return indicator


def _period(
    text: str, indicator: Indicator | None, problems: list[str]
) -> tuple[int | None, str | None]:
    """Return a row's year and period; add to problems when unread or not followed up."""
    try:
        year, period = parse_period(text)
    except PeriodError:
        problems.append(
            _(
                "Cannot read the period “%(text)s”; write 2022-T1, 2022-T2 or 2022 "
                "for the full year.",
                text=text,
            )
        )
        return None, None
    if indicator is not None and (wrong_period := fulfilment.check_period(indicator, period)):
        problems.append(wrong_period)
    return year, period


def _numbers(cells: dict[str, str], problems: list[str]) -> dict[str, float | None]:
    """Return a row's value, women and men; add to problems each that is not a number."""
    numbers = {}
    for name in ("value", "women", "men"):
        try:
            numbers[name] = parse_number(cells.get(name))
        except ValueError:
            numbers[name] = None
            problems.append(
                _("“%(text)s” in column %(column)s is not a number.", text=cells[name], column=name)
            )
    return numbers


# The preview carries the rows in the page; confirming checks them all again before saving.


def to_json(raw_rows: list[RawRow]) -> str:
    """Write rows for the preview page's hidden field."""
    return json.dumps([{"line": r.line, "cells": r.cells} for r in raw_rows], ensure_ascii=False)


def from_json(text: str) -> list[RawRow]:
    """Read rows back from the preview page; raise ImportFileError if they are not rows."""
    try:
        data = json.loads(text or "")
        rows = [
            RawRow(int(item["line"]), {str(k): str(v) for k, v in item["cells"].items()})
            for item in data
        ]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ImportFileError(_("The preview could not be read. Upload the file again.")) from None
    if not rows or len(rows) > MAX_ROWS:
        raise ImportFileError(_("The preview could not be read. Upload the file again."))
    return rows


def save_rows(session: Session, check: ImportCheck) -> ImportResult:
    """Save every checked row, then apply the threshold rules to the periods it touched."""
    if not check.ok:
        raise ValueError("only a file without errors is saved")
    created = replaced = 0
    touched: dict[int, set[tuple[int, str]]] = {}
    for row in check.rows:
        _outcome, new = outcomes.save_outcome(session, indicator=row.indicator, values=row.values())
        created += new
        replaced += not new
        touched.setdefault(row.indicator.id, set()).add((row.year, row.period))
    assignments = []
    for indicator_id, periods in touched.items():
        assignments += rules.apply_rules(session, indicator_id=indicator_id, periods=periods)
    return ImportResult(created, replaced, assignments)


def template_csv() -> str:
    """Return an empty import file with its header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(["TEL-SAMMA-DAG", "2022-T2", "Hälsocentral Kiruna", "78", "", "", ""])
    return out.getvalue()
