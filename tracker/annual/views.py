"""The annual report's page and files."""

import io
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import login_required

from tracker import charts, dates, pdf_process
from tracker.annual import documents, services
from tracker.db import get_session
from tracker.meetings.services import list_bodies

bp = Blueprint("annual", __name__, url_prefix="/annual-report")

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PAGE_ROWS = 200  # rows on the page; the files hold them all


def grade_chart(report: services.AnnualReport) -> charts.Chart:
    """Draw the totals by grade as one bar per grade."""
    series, rows = [], []
    for code, count in report.by_grade:
        key, name = code or "none", documents.grade_name(code)
        series.append((key, name))
        rows.append((name, {key: count}))
    return charts.bar_chart("annual-grades", _("Items by the board's grade"), rows, series)


@bp.get("/")
@login_required
def index():
    """Show the annual report for a year and a body, or send it as a file."""
    session = get_session()
    today = dates.today()
    year = request.args.get("year", today.year - 1, type=int)
    if not 1990 <= year <= today.year + 1:
        abort(400)
    body_id = request.args.get("body", type=int)
    fmt = request.args.get("format", "html")
    if fmt != "html" and fmt not in FORMATS:
        abort(400)
    report = services.build_annual_report(session, year=year, body_id=body_id)
    if fmt != "html":
        return _send(report, fmt)
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template(
        "annual/index.html",
        rows=report.rows[(page - 1) * PAGE_ROWS : page * PAGE_ROWS],
        page=page,
        pages=max(1, -(-len(report.rows) // PAGE_ROWS)),
        years=services.annual_years(session, today),
        bodies=list_bodies(session),
        body_id=body_id,
        chart=grade_chart(report),
        **_words(report),
    )


def _words(report: services.AnnualReport) -> dict:
    return {
        "report": report,
        "title": documents.title(report),
        "totals": documents.totals(report),
        "cells": documents.cells,
        "columns": documents.COLUMNS,
    }


def _send(report: services.AnnualReport, fmt: str):
    if fmt == "pdf":
        static = Path(current_app.static_folder)
        html = render_template("annual/print.html", **_words(report))
        data = pdf_process.render_pdf(
            html, [static / "print.css", static / "followup.css"], landscape=True
        )
    else:
        data = {"docx": documents.to_docx, "xlsx": documents.to_xlsx}[fmt](report)
    response = send_file(
        io.BytesIO(data),
        mimetype=FORMATS[fmt],
        as_attachment=True,
        download_name=documents.filename(report, fmt),
    )
    response.headers["Cache-Control"] = "no-store"
    return response
