"""The public register: no sign-in, what is not withheld, as a page and as files."""

import csv
import io
import json

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from tracker.cells import csv_text
from tracker.db import get_session
from tracker.register.services import register_page

bp = Blueprint("register", __name__, url_prefix="/register")

FILES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = (
    ("source.title", lambda r: r["source"]["title"]),
    ("source.dnr", lambda r: r["source"]["dnr"]),
    ("number", lambda r: r["number"]),
    ("kind", lambda r: r["kind"]),
    ("text", lambda r: r["text"]),
    ("status", lambda r: r["status"]),
    ("grade_board", lambda r: r["grade_board"] or ""),
    ("grade_auditors", lambda r: r["grade_auditors"] or ""),
    ("deadline", lambda r: r["deadline"] or ""),
    ("deadline_words", lambda r: r["deadline_words"]),
    ("latest_report.date", lambda r: (r["latest_report"] or {}).get("date", "")),
    ("latest_report.text", lambda r: (r["latest_report"] or {}).get("text", "")),
    ("withheld", lambda r: "; ".join(f"{w['field']}: {w['reason']}" for w in r["withheld"])),
)


@bp.before_request
def _only_when_published():
    if not current_app.config["PUBLIC_REGISTER"]:
        abort(404)


def _cached(response):
    """Let browsers and proxies keep the answer for five minutes, and revalidate by ETag."""
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/")
def index():
    """Show the register, searched, a page at a time."""
    q = request.args.get("q", "")[:200]
    page = max(request.args.get("page", 1, type=int), 1)
    data = register_page(get_session(), q=q, page=page)
    return _cached(
        current_app.make_response(render_template("register/index.html", data=data, q=q))
    )


@bp.get("/register.<fmt>")
def download(fmt: str):
    """Send every public row as CSV, Excel or JSON, in the register's stable schema."""
    if fmt not in FILES:
        abort(404)
    data = register_page(get_session(), size=0)
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([name for name, _get in COLUMNS])
        for row in data["items"]:
            writer.writerow([csv_text(get(row)) for _name, get in COLUMNS])
        body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    else:
        body = _xlsx(data)
    response = current_app.response_class(body, mimetype=FILES[fmt])
    response.headers["Content-Disposition"] = f"attachment; filename=register.{fmt}"
    return _cached(response)


def _xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Register")[:31]
    sheet.append([name for name, _get in COLUMNS])
    for row in data["items"]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(get(row))) for _n, get in COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
