"""Pages for bodies and meetings."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from tracker.auth.permissions import Action, can, require
from tracker.auth.scope import Bodies, choose_yours, own_choices
from tracker.db import get_session
from tracker.editing import form_status, saving, update_row
from tracker.followup.services.kept_lists import kept_lists_of
from tracker.meetings import forms, services
from tracker.models import Body, Meeting, Role, User
from tracker.reminders.services.pages import reminders_of

bp = Blueprint("meetings", __name__)


@bp.get("/meetings")
@login_required
def index():
    session = get_session()
    body_id = request.args.get("body", type=int)
    return render_template(
        "meetings/index.html",
        meetings=services.list_meetings(session, body_id=body_id),
        bodies=services.list_bodies(session),
        body_id=body_id,
    )


@bp.get("/meetings/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    session = get_session()
    meeting = session.get(Meeting, meeting_id) or abort(404)
    return render_template(
        "meetings/detail.html",
        reminders=reminders_of(session, item_type="meeting", item_id=meeting.id),
        meeting=meeting,
        body=session.get(Body, meeting.body_id),
        due=services.due_to_meeting(session, meeting.id),
        kept_lists=kept_lists_of(session, meeting.id),
    )


def _meeting_form(meeting: Meeting | None) -> forms.MeetingForm:
    form = forms.MeetingForm(obj=meeting if request.method == "GET" else None)
    # A secretary of given bodies is offered theirs (and the meeting's own, when editing).
    bodies = own_choices(
        current_user, services.body_choices(get_session()), keep={meeting and meeting.body_id}
    )
    form.body_id.choices = [("", _("Choose a body"))] + bodies
    return form


def _meeting_valid(form: forms.MeetingForm, meeting: Meeting | None) -> bool:
    if not form.validate_on_submit():
        return False
    if not can(current_user, Action.EDIT_MEETING, Bodies({form.body_id.data})):
        form.body_id.errors = [*form.body_id.errors, choose_yours(current_user)]
        return False
    taken = services.meeting_taken(
        get_session(), form.body_id.data, form.held_on.data, except_id=meeting and meeting.id
    )
    if taken:
        form.held_on.errors.append(_("The body already has a meeting on this day."))
    return not taken


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new():
    require(Action.EDIT_MEETING)
    form = _meeting_form(None)
    if _meeting_valid(form, None):
        session = get_session()
        with saving(session, form):
            meeting = Meeting(
                body_id=form.body_id.data, held_on=form.held_on.data, title=form.title.data or ""
            )
            session.add(meeting)
        flash(_("The meeting is saved."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    status = 400 if form.errors else 200
    return render_template("meetings/form.html", form=form, meeting=None), status


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    session = get_session()
    meeting = session.get(Meeting, meeting_id) or abort(404)
    require(Action.EDIT_MEETING, meeting)
    form = _meeting_form(meeting)
    conflict = None
    if _meeting_valid(form, meeting):
        values = {
            "body_id": form.body_id.data,
            "held_on": form.held_on.data,
            "title": form.title.data or "",
        }
        with saving(session, form) as attempt:
            update_row(session, meeting, version=form.version.data, values=values)
        conflict = attempt.conflict
        if conflict is None:
            flash(_("The meeting is saved."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    status = form_status(form, conflict)
    # The body's code names the meeting in the page's title: two bodies may meet the same day.
    body = session.get(Body, meeting.body_id)
    return render_template(
        "meetings/form.html", form=form, meeting=meeting, body=body, conflict=conflict
    ), status


@bp.get("/bodies")
@login_required
def bodies():
    return render_template("meetings/bodies.html", bodies=services.list_bodies(get_session()))


def _secretaries(form: forms.BodyForm) -> forms.BodyForm:
    """Offer the secretaries as the body's secretary."""
    rows = get_session().exec(select(User).where(User.role == Role.SECRETARY).order_by(User.name))
    form.secretary_id.choices = [("", _("None"))] + [(user.id, user.name) for user in rows]
    return form


def _body_valid(form: forms.BodyForm, body: Body | None) -> bool:
    if not form.validate_on_submit():
        return False
    if services.code_taken(get_session(), form.code.data, except_id=body and body.id):
        form.code.errors.append(_("Another body already has this short name."))
        return False
    return True


@bp.route("/bodies/new", methods=["GET", "POST"])
@login_required
def new_body():
    require(Action.EDIT_MEETING)
    form = _secretaries(forms.BodyForm())
    if _body_valid(form, None):
        session = get_session()
        with saving(session, form):
            session.add(
                Body(code=form.code.data, name=form.name.data, secretary_id=form.secretary_id.data)
            )
        flash(_("The body is saved."), "success")
        return redirect(url_for("meetings.bodies"))
    return render_template("meetings/body_form.html", form=form, body=None), (
        400 if form.errors else 200
    )


@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@login_required
def edit_body(body_id: int):
    session = get_session()
    body = session.get(Body, body_id) or abort(404)
    require(Action.EDIT_MEETING, body)
    form = _secretaries(forms.BodyForm(obj=body if request.method == "GET" else None))
    conflict = None
    if _body_valid(form, body):
        with saving(session, form) as attempt:
            update_row(
                session,
                body,
                version=form.version.data,
                values={
                    "code": form.code.data,
                    "name": form.name.data,
                    "secretary_id": form.secretary_id.data,
                },
            )
        conflict = attempt.conflict
        if conflict is None:
            flash(_("The body is saved."), "success")
            return redirect(url_for("meetings.bodies"))
    status = form_status(form, conflict)
    return render_template(
        "meetings/body_form.html", form=form, body=body, conflict=conflict
    ), status
