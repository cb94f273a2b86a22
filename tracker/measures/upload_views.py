"""The Excel round trip: download the measures of a filter, upload them edited, confirm."""

from dataclasses import asdict
from datetime import date

from flask import (
    Blueprint,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer

from tracker import bulk, bulk_page
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.lookup import look_up
from tracker.measures import services, workbook
from tracker.models import UpdateWay

bp = Blueprint("measure_files", __name__, url_prefix="/measures")


@bp.get("/workbook")
@login_required
def download():
    """Send the measures of the list's filter as a workbook to edit."""
    session = get_session()
    owner = look_up(session, "person", request.args.get("owner"))
    source = look_up(session, "source", request.args.get("source"))
    page = services.list_measures(
        session,
        status=request.args.get("status") or None,
        owner_id=owner.id,
        unit_id=request.args.get("unit", type=int),
        theme=request.args.get("theme") or None,
        source_id=source.id,
        overdue=bool(request.args.get("overdue")),
        size=workbook.MAX_ROWS,
    )
    return workbook.download([(row.measure, row.owner_name) for row in page.items])


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="tracker.measure-upload")


def _pack(changes: list[bulk.Change]) -> str:
    rows = []
    for change in changes:
        row = {k: v for k, v in asdict(change).items() if v is not bulk.UNSET}
        if isinstance(row.get("due_date"), date):
            row["due_date"] = row["due_date"].isoformat()
        rows.append(row)
    return _serializer().dumps(rows)


def _unpack(token: str) -> list[bulk.Change]:
    rows = _serializer().loads(token)
    changes = []
    for row in rows:
        if "due_date" in row:
            row["due_date"] = bulk.parse_date(row["due_date"])
        changes.append(bulk.Change(**row))
    return changes


def _mine(changes: list[bulk.Change], errors: list) -> list[bulk.Change]:
    """Keep the changes the user may make; name the others' rows as errors."""
    allowed, refused = bulk_page.mine(bulk.MEASURES, changes)
    errors += [(outcome.change.row, message) for outcome in refused for message in outcome.errors]
    return allowed


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """Read an edited workbook and show, row by row, what saving it would do."""
    require(Action.POST_UPDATE)
    if request.method == "GET":
        return render_template("measures/upload.html")
    session = get_session()
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_template("measures/upload.html", error=_("Choose the file.")), 400
    try:
        changes, errors = workbook.read_changes(session, file.read())
    except workbook.WorkbookError as error:
        return render_template("measures/upload.html", error=str(error)), 400
    changes = _mine(changes, errors)
    outcomes = bulk.preview(session, changes)
    ready = [o.change for o in outcomes if o.fields and not o.conflict and not o.errors]
    return render_template(
        "measures/upload_preview.html",
        outcomes=outcomes,
        errors=sorted(errors),
        token=_pack(ready),
        ready=len(ready),
        shown=bulk_page.shown,
    )


@bp.post("/upload/confirm")
@login_required
def confirm():
    """Save the previewed rows, each with its version check; show what was saved."""
    require(Action.POST_UPDATE)
    session = get_session()
    try:
        changes = _unpack(request.form.get("changes", ""))
    except (BadSignature, TypeError, ValueError):
        return render_template(
            "measures/upload.html", error=_("Upload the file again: the preview was lost.")
        ), 400
    changes = _mine(changes, [])
    outcomes = bulk.apply(session, changes, user=current_user, via=UpdateWay.EXCEL)
    return render_template(
        "measures/upload_done.html",
        outcomes=outcomes,
        shown=bulk_page.shown,
    ), (409 if any(o.conflict for o in outcomes) else 200)


def _page() -> bulk_page.Page:
    return bulk_page.Page(
        kind=bulk.MEASURES,
        heading=_("Change the ticked measures"),
        action=url_for("measure_files.bulk_change"),
        back=url_for("measures.index"),
        back_text=_("Back to the measures"),
    )


@bp.post("/bulk")
@login_required
def bulk_change():
    """Do one thing to every ticked measure, each with its version check."""
    return bulk_page.change(_page())
