"""Pages for bodies and meetings."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.auth.permissions import Action, can, require
from tracker.auth.scope import Bodies, choose_yours, own_choices
from tracker.auth.services import people_choices
from tracker.db import get_session
from tracker.edit_page import edit_page, editable
from tracker.editing import saving
from tracker.followup.services.kept_lists import kept_lists_of
from tracker.meetings import forms, services
from tracker.models import Body, Meeting, Role
from tracker.reminders.services.pages import reminders_of

bp = Blueprint("meetings", __name__)


@bp.get("/meetings")
@login_required
def index():
    """List the meetings, for one body or all."""
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
    """Show a meeting with what is due to it and the lists kept for it."""
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


def _meeting_values(form: forms.MeetingForm) -> dict:
    return {
        "body_id": form.body_id.data,
        "held_on": form.held_on.data,
        "title": form.title.data or "",
    }


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a body's meeting."""
    require(Action.EDIT_MEETING)
    form = _meeting_form(None)
    if _meeting_valid(form, None):
        session = get_session()
        with saving(session, form):
            meeting = services.create_meeting(session, values=_meeting_values(form))
        flash(_("The meeting is saved."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    status = 400 if form.errors else 200
    return render_template("meetings/form.html", form=form, meeting=None), status


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    """Change a meeting; a form read before someone else saved is shown as a conflict."""
    session = get_session()
    meeting = editable(Meeting, meeting_id, Action.EDIT_MEETING)
    form = _meeting_form(meeting)
    return edit_page(
        form,
        template="meetings/form.html",
        check=lambda: _meeting_valid(form, meeting),
        save=lambda _checked: services.update_meeting(
            session, meeting, version=form.version.data, values=_meeting_values(form)
        ),
        saved=_("The meeting is saved."),
        then=url_for("meetings.detail", meeting_id=meeting.id),
        # The body's code names the meeting in the page's title: two bodies may meet the same day.
        shown=lambda _conflict: {"body": session.get(Body, meeting.body_id)},
        meeting=meeting,
    )


@bp.get("/bodies")
@login_required
def bodies():
    """List the bodies."""
    return render_template("meetings/bodies.html", bodies=services.list_bodies(get_session()))


def _secretaries(form: forms.BodyForm) -> forms.BodyForm:
    """Offer the secretaries as the body's secretary."""
    secretaries = people_choices(get_session(), role=Role.SECRETARY)
    form.secretary_id.choices = [("", _("None"))] + secretaries
    return form


def _body_valid(form: forms.BodyForm, body: Body | None) -> bool:
    if not form.validate_on_submit():
        return False
    if services.code_taken(get_session(), form.code.data, except_id=body and body.id):
        form.code.errors.append(_("Another body already has this short name."))
        return False
    return True


def _body_values(form: forms.BodyForm) -> dict:
    return {"code": form.code.data, "name": form.name.data, "secretary_id": form.secretary_id.data}


@bp.route("/bodies/new", methods=["GET", "POST"])
@login_required
def new_body():
    """Add a body."""
    require(Action.EDIT_MEETING)
    form = _secretaries(forms.BodyForm())
    if _body_valid(form, None):
        session = get_session()
        with saving(session, form):
            services.create_body(session, values=_body_values(form))
        flash(_("The body is saved."), "success")
        return redirect(url_for("meetings.bodies"))
    return render_template("meetings/body_form.html", form=form, body=None), (
        400 if form.errors else 200
    )


@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@login_required
def edit_body(body_id: int):
    """Change a body; a form read before someone else saved is shown as a conflict."""
    body = editable(Body, body_id, Action.EDIT_MEETING)
    form = _secretaries(forms.BodyForm(obj=body if request.method == "GET" else None))
    return edit_page(
        form,
        template="meetings/body_form.html",
        check=lambda: _body_valid(form, body),
        save=lambda _checked: services.update_body(
            get_session(), body, version=form.version.data, values=_body_values(form)
        ),
        saved=_("The body is saved."),
        then=url_for("meetings.bodies"),
        body=body,
    )
