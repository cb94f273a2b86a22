"""Pages of the follow-up list: the list and its exports, kept lists, closing decisions."""

import io
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import evidence, pdf_process
from tracker.auth.permissions import Action, can, require
from tracker.auth.scope import Bodies, body_names, choose_yours, limited_to, own_choices
from tracker.auth.visibility import hidden_search_items
from tracker.db import get_session
from tracker.editing import saving
from tracker.followup import exports, forms, word
from tracker.followup.services import closing, lines
from tracker.followup.services.criteria import choices_for_filters
from tracker.followup.services.kept_lists import keep_list, kept_report
from tracker.followup.services.report import Report, build_report
from tracker.meetings.services import body_choices
from tracker.models import ClosingDecision, KeptList, Meeting, Recommendation
from tracker.recommendations.services import linked_measures
from tracker.security import bounded_int
from tracker.text import printable_copy

bp = Blueprint("followup", __name__)
# The list's words, the same on the page and on paper as in the files.
bp.add_app_template_global(exports.deadline_text, "deadline_text")


def _filters(data) -> forms.FilterForm:
    form = forms.FilterForm(formdata=data)
    form.fill_choices(choices_for_filters(get_session()))
    return form


def _format() -> str:
    fmt = request.args.get("format", "html")
    if fmt != "html" and fmt not in exports.FORMATS:
        abort(400)
    return fmt


def _export(report: Report, fmt: str, author: str = ""):
    """Send the report as a file in the format asked for."""
    # Text stored before control characters were refused must not break a file.
    report = printable_copy(report)
    landscape = request.args.get("orientation") == "landscape"
    if fmt == "pdf":
        html = render_template("followup/print.html", report=report)
        static = Path(current_app.static_folder)
        data = pdf_process.render_pdf(
            html, [static / "print.css", static / "followup.css"], landscape=landscape
        )
    elif fmt == "docx":
        data = word.to_docx(report, author=author, landscape=landscape)
    else:
        data = {"xlsx": exports.to_xlsx, "csv": exports.to_csv}[fmt](report)
    response = send_file(
        io.BytesIO(data),
        mimetype=exports.FORMATS[fmt],
        as_attachment=True,
        download_name=exports.filename(report, fmt),
    )
    # A list can change from one minute to the next: never serve a stale copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/follow-up")
@login_required
def index():
    """Show the follow-up list, filtered and grouped, as a page or an export."""
    fmt = _format()
    form = _filters(request.args)
    paper = forms.PaperForm(formdata=request.args)
    if not (form.validate() & paper.validate()):
        return render_template("followup/index.html", form=form, paper=paper, report=None), 400
    session = get_session()
    report = build_report(
        session,
        criteria=form.criteria(),
        grouping=form.grouping(),
        body_rows=form.body_rows,
        **paper.values(),
        # The page shows one page of items; a file holds the whole list.
        page=min(max(1, request.args.get("page", 1, type=int)), 10**6) if fmt == "html" else None,
    )
    if fmt != "html":
        author = ", ".join(part for part in (current_user.name, report.body) if part)
        return _export(report, fmt, author)
    keep_form = forms.KeepForm(
        formdata=None, meeting_id=form.meeting.data, title=report.title, dnr=report.dnr
    )
    return render_template(
        "followup/index.html",
        form=form,
        paper=paper,
        report=report,
        params=form.params(),
        keep_form=keep_form,
    )


@bp.post("/follow-up/keep")
@login_required
def keep():
    """Keep the follow-up list as the board saw it, for one meeting."""
    require(Action.KEEP_FOLLOWUP_LIST)
    session = get_session()
    form = _filters(request.form)
    keep_form = forms.KeepForm()
    paper = forms.PaperForm(formdata=request.form)
    filters_valid = form.validate() & paper.validate()
    valid = keep_form.validate_on_submit() and filters_valid
    meeting = valid and session.get(Meeting, keep_form.meeting_id.data)
    if valid and not can(current_user, Action.KEEP_FOLLOWUP_LIST, meeting):
        # A secretary of given bodies keeps lists only for their bodies' meetings.
        message = _(
            "You are secretary of %(bodies)s: choose one of their meetings.",
            bodies=body_names(limited_to(current_user)),
        )
        keep_form.meeting_id.errors = [*keep_form.meeting_id.errors, message]
        valid = False
    if not valid:
        report = filters_valid and build_report(
            session,
            criteria=form.criteria(),
            grouping=form.grouping(),
            body_rows=form.body_rows,
        )
        return render_template(
            "followup/index.html",
            form=form,
            paper=paper,
            report=report or None,
            params=form.params(),
            keep_form=keep_form,
        ), 400
    report = build_report(
        session,
        criteria=form.criteria(),
        grouping=form.grouping(),
        body_rows=form.body_rows,
        meeting_id=keep_form.meeting_id.data,
        **(paper.values() | {"title": keep_form.title.data, "dnr": keep_form.dnr.data or ""}),
    )
    with saving(session):
        kept = keep_list(
            session,
            report=report,
            meeting_id=keep_form.meeting_id.data,
            params=form.params(),
            user=current_user,
        )
    flash(_("The list is kept for the meeting, as it is now."), "success")
    return redirect(url_for("followup.kept", kept_id=kept.id))


@bp.get("/follow-up/kept/<int:kept_id>")
@login_required
def kept(kept_id: int):
    """Show a kept follow-up list as it was kept, as a page or an export."""
    fmt = _format()
    session = get_session()
    kept_list = session.get(KeptList, kept_id) or abort(404)
    report = kept_report(kept_list)
    # The record stays whole (its fingerprint too); a restricted item is left out for the eyes
    # of someone outside its bodies.
    hidden = set(hidden_search_items(session).get("recommendation", []))
    for group in report.groups:
        group.rows = [row for row in group.rows if row.id not in hidden]
    report.groups = [group for group in report.groups if group.rows]
    if fmt != "html":
        author = ", ".join(part for part in (report.made_by, report.body) if part)
        return _export(report, fmt, author)
    return render_template(
        "followup/kept.html",
        kept=kept_list,
        report=report,
        meeting=session.get(Meeting, kept_list.meeting_id),
    )


@bp.post("/follow-up/items/<int:recommendation_id>/reported")
@login_required
def mark_reported(recommendation_id: int):
    """Mark an item reported when all its measures are done."""
    require(Action.MARK_REPORTED)
    session = get_session()
    item = session.get(Recommendation, recommendation_id) or abort(404)
    # A secretary of given bodies marks their bodies' items only.
    require(Action.MARK_REPORTED, item)
    measures = [measure for measure, _owner in linked_measures(session, item.id)]
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    if lines.suggests_reported(item.status, measures):
        with saving(session):
            lines.mark_reported(session, item, user=current_user)
        flash(_("The item is marked as reported."), "success")
    else:
        flash(_("The item was not marked: its measures are not all done any more."), "warning")
    return redirect(url_for("recommendations.detail", recommendation_id=item.id))


def _requested_ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(bounded_int(value))
        except (TypeError, ValueError):
            continue
    return ids


@bp.route("/follow-up/close", methods=["GET", "POST"])
@login_required
def close():
    """Record the board's decision that closes the chosen items."""
    require(Action.CLOSE_ITEMS)
    session = get_session()
    source = request.form if request.method == "POST" else request.args
    items = closing.closable_items(session, _requested_ids(source.getlist("item")))
    form = forms.CloseForm(item=[item.id for item in items])
    form.fill_choices(items, own_choices(current_user, body_choices(session)))
    if form.validate_on_submit() and _theirs(form, items) and (decision := _record(form)):
        flash(
            _("The decision is recorded on %(n)s items.", n=len(form.item.data)),
            "success",
        )
        return redirect(url_for("followup.decision", decision_id=decision.id))
    status = 400 if form.errors else 200
    max_mb = f"{evidence.max_bytes() / (1024 * 1024):g}"
    return render_template("followup/close.html", form=form, items=items, max_mb=max_mb), status


def _theirs(form: forms.CloseForm, items) -> bool:
    """Tell whether the deciding body and every chosen item are the user's to record."""
    ok = True
    if not can(current_user, Action.CLOSE_ITEMS, Bodies({form.body_id.data})):
        form.body_id.errors = [*form.body_id.errors, choose_yours(current_user)]
        ok = False
    others = [
        item.number or str(item.id)
        for item in items
        if item.id in form.item.data and not can(current_user, Action.CLOSE_ITEMS, item)
    ]
    if others:
        message = _(
            "Items %(items)s are not your bodies' (%(bodies)s): their own secretaries close them.",
            items=", ".join(others),
            bodies=body_names(limited_to(current_user)),
        )
        form.item.errors = [*form.item.errors, message]
        ok = False
    return ok


def _record(form: forms.CloseForm) -> ClosingDecision | None:
    """Record the decision; on a problem, put it next to its field."""
    try:
        return closing.record_decision(
            get_session(),
            upload=form.evidence.data,
            recommendation_ids=form.item.data,
            outcome=form.outcome.data,
            body_id=form.body_id.data,
            decided_on=form.decided_on.data,
            paragraph=form.paragraph.data,
            text=form.text.data,
            user=current_user,
            formula=form.formula.data or "",
            dnr=form.dnr.data or "",
        )
    except evidence.EvidenceError as error:
        form.evidence.errors = [str(error)]
    except closing.CloseError as error:
        form.item.errors = [str(error)]
    return None


@bp.errorhandler(413)
def _too_large(_error):
    # Raised before the view when the request passes MAX_CONTENT_LENGTH.
    message = _(
        "The file is larger than %(size)s MB. Make it smaller or split it.",
        size=f"{evidence.max_bytes() / (1024 * 1024):g}",
    )
    return render_template("error.html", title=_("The file is too large"), message=message), 413


@bp.get("/follow-up/decisions/<int:decision_id>")
@login_required
def decision(decision_id: int):
    """Show a recorded closing decision and the items it closed."""
    session = get_session()
    found = session.get(ClosingDecision, decision_id) or abort(404)
    return render_template(
        "followup/decision.html",
        view=closing.decision_view(session, found),
        outcomes=forms.CLOSING_OUTCOMES,
    )


@bp.get("/follow-up/decisions/<int:decision_id>/evidence")
@login_required
def evidence_file(decision_id: int):
    """Send the file kept as evidence of a closing decision."""
    require(Action.READ)
    found = get_session().get(ClosingDecision, decision_id) or abort(404)
    path = evidence.evidence_path(found.evidence_file)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype=found.evidence_type,
        as_attachment=True,
        download_name=found.evidence_name,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
