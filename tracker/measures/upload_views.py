"""The Excel round trip: download the measures of a filter, upload them edited, confirm."""

import io
from dataclasses import asdict
from datetime import date

from flask import (
    Blueprint,
    current_app,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import select

from tracker import labels
from tracker.auth.permissions import Action, can, require
from tracker.db import get_session
from tracker.lookup import look_up
from tracker.measures import bulk, services, workbook
from tracker.measures.bulk_forms import bulk_form
from tracker.models import Measure, UpdateWay, User

bp = Blueprint("measure_files", __name__, url_prefix="/measures")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    rows = [(row.measure, row.owner_name) for row in page.items]
    response = send_file(
        io.BytesIO(workbook.to_xlsx(rows)),
        mimetype=XLSX,
        as_attachment=True,
        download_name="atgarder.xlsx",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


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


def _mine(session, changes: list[bulk.Change], errors: list) -> list[bulk.Change]:
    """Keep the changes the user may make; name the others' rows as errors."""
    allowed = []
    for change in changes:
        measure = session.get(Measure, change.measure_id)
        if measure is not None and not can(current_user, Action.EDIT_MEASURE, measure):
            errors.append((change.row, _("You may not change this measure.")))
        else:
            allowed.append(change)
    return allowed


def shown(session, name: str, value) -> str:
    """Write a changed value as the user reads it."""
    if value is None or value == "":
        return "–"
    if name == "status":
        return labels.label(labels.MEASURE_STATUSES, value)
    if name == "owner_id":
        user = session.get(User, value)
        return user.name if user else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


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
    changes = _mine(session, changes, errors)
    outcomes = bulk.preview(session, changes)
    ready = [o.change for o in outcomes if o.fields and not o.conflict and not o.errors]
    return render_template(
        "measures/upload_preview.html",
        outcomes=outcomes,
        errors=sorted(errors),
        token=_pack(ready),
        ready=len(ready),
        shown=lambda name, value: shown(session, name, value),
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
    changes = _mine(session, changes, [])
    outcomes = bulk.apply(session, changes, user=current_user, via=UpdateWay.EXCEL)
    return render_template(
        "measures/upload_done.html",
        outcomes=outcomes,
        shown=lambda name, value: shown(session, name, value),
    ), (409 if any(o.conflict for o in outcomes) else 200)


def _ticked() -> list[tuple[int, int]]:
    """Return the (id, version) pairs the list's boxes sent."""
    pairs = []
    for value in request.form.getlist("item"):
        measure_id, _sep, version = value.partition(":")
        if measure_id.isdigit() and version.isdigit():
            pairs.append((int(measure_id), int(version)))
    return pairs


@bp.post("/bulk")
@login_required
def bulk_change():
    """Do one thing to every ticked measure, each with its version check."""
    require(Action.POST_UPDATE)
    session = get_session()
    form = bulk_form()
    ticked = _ticked()
    if not ticked:
        form.form_errors.append(_("Tick at least one measure in the list."))
    if form.validate_on_submit() and ticked:
        changes = [
            bulk.Change(
                measure_id,
                version,
                status=form.status.data or bulk.UNSET,
                due_date=form.due_date.data or bulk.UNSET,
                owner_id=form.owner_id.data or bulk.UNSET,
                text=form.text.data or "",
                reason=form.due_date_reason.data or "",
                agreed_by=form.due_date_agreed_by.data or "",
            )
            for measure_id, version in ticked
        ]
        errors: list = []
        changes = _mine(session, changes, errors)
        outcomes = bulk.apply(session, changes, user=current_user, via=UpdateWay.BULK)
        outcomes += [bulk.Outcome(bulk.Change(0, 0), errors=[message]) for _r, message in errors]
        return render_template(
            "measures/upload_done.html",
            outcomes=outcomes,
            shown=lambda name, value: shown(session, name, value),
            bulk=True,
        ), (409 if any(o.conflict for o in outcomes) else 200)
    measures = session.exec(
        select(Measure).where(Measure.id.in_([measure_id for measure_id, _v in ticked]))
    ).all()
    versions = dict(ticked)
    return render_template(
        "measures/bulk.html", form=form, measures=measures, versions=versions
    ), 400
