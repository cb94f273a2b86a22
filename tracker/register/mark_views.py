"""Pages to mark a source, an item, a status update or a file as secret or personal data."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from tracker import dates
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.models import Mark, Recommendation, Source, SourceAttachment, StatusUpdate
from tracker.register import marks
from tracker.register.archive import NotClosed, archive_package
from tracker.register.mark_forms import LiftForm, MarkForm

bp = Blueprint("marks", __name__, url_prefix="/marks")

KINDS = {
    "secret": _l("Secret under OSL"),
    "personal_data": _l("Holds personal data: not published"),
    "open": _l("Public after all: lifts the mark inherited from above"),
}
MODELS = {
    "source": Source,
    "recommendation": Recommendation,
    "status_update": StatusUpdate,
    "attachment": SourceAttachment,
}


def _back(target_type: str, row) -> str:
    """Return the page that shows the marked row."""
    if target_type == "source":
        return url_for("sources.detail", source_id=row.id)
    if target_type == "attachment":
        return url_for("sources.detail", source_id=row.source_id)
    if target_type == "status_update":
        if row.recommendation_id:
            return url_for("recommendations.detail", recommendation_id=row.recommendation_id)
        return url_for("measures.detail", measure_id=row.measure_id)
    return url_for("recommendations.detail", recommendation_id=row.id)


@bp.route("/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
def mark(target_type: str, target_id: int):
    """Show a row's marks and what withholds it; add a mark."""
    require(Action.MARK_SECRECY)
    model = MODELS.get(target_type) or abort(404)
    session = get_session()
    row = session.get(model, target_id) or abort(404)
    # A secretary of given bodies marks their bodies' rows only.
    require(Action.MARK_SECRECY, row)
    form = MarkForm()
    form.kind.choices = [(code, str(name)) for code, name in KINDS.items()]
    if form.validate_on_submit():
        try:
            with saving(session, form):
                marks.add_mark(
                    session,
                    target_type=target_type,
                    target_id=target_id,
                    kind=form.kind.data,
                    law=form.law.data or "",
                    ends_on=form.ends_on.data,
                    reason=form.reason.data or "",
                    user=current_user,
                )
        except marks.MarkError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            flash(_("The mark is saved."), "success")
            return redirect(_back(target_type, row))
    held = marks.withholding(session, today=dates.today())
    return render_template(
        "register/mark.html",
        form=form,
        lift_form=LiftForm(formdata=None),
        target_type=target_type,
        target_id=target_id,
        back=_back(target_type, row),
        own=marks.marks_on(session, target_type, target_id),
        holding=held.mark_of(target_type, target_id),
    ), form_status(form)


@bp.post("/<int:mark_id>/lift")
@login_required
def lift(mark_id: int):
    """Lift a mark with the reason; the row keeps the record."""
    require(Action.MARK_SECRECY)
    session = get_session()
    row = session.get(Mark, mark_id) or abort(404)
    model = MODELS.get(row.target_type)
    require(Action.MARK_SECRECY, model and session.get(model, row.target_id))
    form = LiftForm()
    if form.validate_on_submit():
        with saving(session, form):
            marks.lift(session, row, reason=form.reason.data, user=current_user)
        flash(_("The mark is lifted."), "success")
    else:
        flash(_("Say why the mark is lifted."), "warning")
    return redirect(url_for("marks.mark", target_type=row.target_type, target_id=row.target_id))


@bp.get("/archive/<int:source_id>")
@login_required
def archive(source_id: int):
    """Send a closed source's archive package (E-ARK SIP) for the region's archive."""
    session = get_session()
    source = session.get(Source, source_id) or abort(404)
    require(Action.EDIT_SOURCE, source)
    try:
        name, data = archive_package(session, source)
    except NotClosed:
        flash(_("Only a source whose every item is closed can be archived."), "warning")
        return redirect(url_for("sources.detail", source_id=source.id))
    response = send_file(
        io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name
    )
    response.headers["Cache-Control"] = "no-store"
    return response
