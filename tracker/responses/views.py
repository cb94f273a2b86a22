"""Pages for responses to audit reports and for the auditors' follow-up reviews."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import dates, labels
from tracker.auth.permissions import Action, require
from tracker.auth.services import people_choices
from tracker.auth.visibility import get_visible, row_visible
from tracker.db import get_session
from tracker.edit_page import edit_page, editable
from tracker.editing import saving
from tracker.i18n import swedish_choices
from tracker.models import Body, Response, Source, User, utcnow
from tracker.responses import forms, letter, review, services
from tracker.responses.document import response_document

bp = Blueprint("responses", __name__)

RESPONSE_FIELDS = (
    "status",
    "responsible_id",
    "input_contact_id",
    "input_due",
    "response_due",
    "dnr",
    "dated",
    "proposed_decision",
)


def _answer_form(session, response, answers):
    ids = [
        (a.recommendation.id, a.recommendation.number or str(a.recommendation.id)) for a in answers
    ]
    values = None
    if request.method == "GET":
        values = {name: getattr(response, name) for name in RESPONSE_FIELDS}
        values["version"] = response.version
        for answer in answers:
            position = answer.position
            values[f"position_{answer.recommendation.id}"] = position.position if position else ""
            values[f"answer_{answer.recommendation.id}"] = position.answer if position else ""
    form = forms.answer_form(
        ids, data=request.form if request.method == "POST" else None, obj_values=values
    )
    people = [("", _("Nobody yet"))] + people_choices(session)
    form.status.choices = labels.choices(
        {
            code: name
            for code, name in labels.RESPONSE_STATUSES.items()
            if code not in services.FINISHED
        }
    )
    form.responsible_id.choices = people
    form.input_contact_id.choices = people
    return form


def _promise_form(session, answers):
    form = forms.PromiseForm(formdata=request.form if request.method == "POST" else None)
    form.recommendation_id.choices = [("", _("Choose"))] + swedish_choices(
        (a.recommendation.id, f"{a.recommendation.number} {a.recommendation.text[:80]}".strip())
        for a in answers
    )
    form.owner_id.choices = [("", _("Choose"))] + people_choices(session)
    return form


def _adopt_form(session, response):
    """Return the adoption form, its dnr and meeting date taken from the draft."""
    values = {"dnr": response.dnr, "adopted_on": letter.letter_date(session, response)}
    return forms.AdoptForm(formdata=None, data=values)


def _page(response, *, promise=None, adopt=None, missing=(), status=200):
    session = get_session()
    answers = services.answers_of(session, response)
    return render_template(
        "responses/detail.html",
        response=response,
        source=session.get(Source, response.source_id),
        body=session.get(Body, response.body_id),
        responsible=response.responsible_id and session.get(User, response.responsible_id),
        contact=response.input_contact_id and session.get(User, response.input_contact_id),
        answers=answers,
        frozen=services.is_frozen(response),
        intact=services.is_intact(response),
        promise=promise or _promise_form(session, answers),
        adopt=adopt or _adopt_form(session, response),
        missing={item.id for item in missing},
        possessive=letter.possessive,
    ), status


def _response(response_id: int) -> Response:
    return _visible(get_session(), Response, response_id) or abort(404)


def _visible(session, model: type[Response], response_id: int) -> Response | None:
    """Return the response with this id if the user may see it."""
    response = session.get(model, response_id)
    # The answer to a restricted report is not there for someone outside its bodies.
    return response if response and row_visible(session, response) else None


@bp.get("/responses/<int:response_id>")
@login_required
def detail(response_id: int):
    """Show a response with its answers and the forms to promise measures and adopt it."""
    return _page(_response(response_id))


@bp.route("/responses/<int:response_id>/edit", methods=["GET", "POST"])
@login_required
def edit(response_id: int):
    """Draft a response; a form read before someone else saved is shown as a conflict."""
    session = get_session()
    response = editable(Response, response_id, Action.DRAFT_RESPONSE, read=_visible)
    if response.status in services.FINISHED:
        flash(_("The response is adopted and can no longer be changed."), "warning")
        return redirect(url_for("responses.detail", response_id=response.id))
    answers = services.answers_of(session, response)
    form = _answer_form(session, response, answers)
    return edit_page(
        form,
        template="responses/form.html",
        save=lambda _checked: services.update_response(
            session,
            response,
            version=form.version.data,
            values=_response_values(form),
            answers=_given(form, answers),
        ),
        saved=_("The response is saved."),
        then=url_for("responses.detail", response_id=response.id),
        response=response,
        answers=answers,
        source=session.get(Source, response.source_id),
        body=session.get(Body, response.body_id),
        possessive=letter.possessive,
    )


def _response_values(form) -> dict:
    values = {name: form[name].data for name in RESPONSE_FIELDS}
    values["proposed_decision"] = values["proposed_decision"] or ""
    return values


def _given(form, answers) -> dict[int, tuple[str, str]]:
    """Return the position and answer typed for each recommendation."""
    return {
        a.recommendation.id: (
            form[f"position_{a.recommendation.id}"].data or "",
            form[f"answer_{a.recommendation.id}"].data or "",
        )
        for a in answers
    }


@bp.post("/responses/<int:response_id>/measures")
@login_required
def promise(response_id: int):
    """Add a measure the response promises."""
    session = get_session()
    response = _response(response_id)
    require(Action.DRAFT_RESPONSE, response)
    form = _promise_form(session, services.answers_of(session, response))
    if not form.validate_on_submit():
        return _page(response, promise=form, status=422)
    try:
        # The service refuses before it writes; saving() keeps nothing on a refusal.
        with saving(session):
            services.promise_measure(
                session,
                response,
                recommendation_id=form.recommendation_id.data,
                title=form.title.data,
                owner_id=form.owner_id.data,
                due_date=form.due_date.data,
            )
    except services.ResponseError as error:
        form.recommendation_id.errors.append(str(error))
        return _page(response, promise=form, status=422)
    flash(_("The measure is added to the answer and will be followed up."), "success")
    return redirect(url_for("responses.detail", response_id=response.id))


@bp.post("/responses/<int:response_id>/adopt")
@login_required
def adopt(response_id: int):
    """Adopt a response by the body's decision, freezing it."""
    session = get_session()
    response = _response(response_id)
    require(Action.ADOPT_RESPONSE, response)
    form = forms.AdoptForm()
    if not form.validate_on_submit():
        return _page(response, adopt=form, status=422)
    try:
        with saving(session):
            services.adopt(
                session,
                response,
                adopted_on=form.adopted_on.data,
                paragraph=form.paragraph.data,
                dnr=form.dnr.data,
                decision_text=form.decision_text.data,
                user=current_user,
            )
    except services.MissingPositions as error:
        return _page(response, adopt=form, missing=error.recommendations, status=422)
    except services.ResponseError as error:
        form.adopted_on.errors.append(str(error))
        return _page(response, adopt=form, status=422)
    flash(_("The response is adopted; its reminders stop and the answer is kept."), "success")
    return redirect(url_for("responses.detail", response_id=response.id))


@bp.get("/sources/<int:source_id>/response.docx")
@login_required
def word(source_id: int):
    """Send a response as a Word document in the region's layout."""
    session = get_session()
    source = get_visible(session, Source, source_id) or abort(404)
    response = services.response_for(session, source, body_id=request.args.get("body", type=int))
    if response is None:
        abort(404)
    snapshot = (
        response.snapshot if services.is_frozen(response) else letter.snapshot_of(session, response)
    )
    data = response_document(snapshot, now=dates.local(utcnow()))
    return send_file(
        io.BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        download_name=letter.file_name(snapshot),
    )


@bp.post("/sources/<int:source_id>/findings")
@login_required
def finding(source_id: int):
    """Record the auditors' assessment of how a recommendation was followed up."""
    session = get_session()
    source = session.get(Source, source_id) or abort(404)
    require(Action.RECORD_FINDINGS, source)
    form = review.finding_form(session, source)
    if form.validate_on_submit():
        with saving(session, form):
            review.record_finding(
                session,
                source,
                recommendation_id=form.recommendation_id.data,
                assessment=form.assessment.data,
                text=form.text.data or "",
            )
        flash(_("The auditors' assessment is recorded."), "success")
        return redirect(url_for("sources.detail", source_id=source.id))
    flash(_("The assessment is not recorded: see the form below."), "danger")
    return render_template("responses/finding.html", form=form, source=source), 422
