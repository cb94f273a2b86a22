"""Pages for sources."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from tracker import labels
from tracker.auth.services import require
from tracker.db import get_session
from tracker.editing import form_status, saving, update_row
from tracker.history import history
from tracker.meetings.services import body_choices, list_bodies, meeting_choices
from tracker.models import Body, Meeting, Source
from tracker.recommendations.services import list_recommendations
from tracker.responses import review
from tracker.responses.services import addressees_of, responses_of, set_addressees
from tracker.sources import forms, services
from tracker.sources.services import source_choices

bp = Blueprint("sources", __name__, url_prefix="/sources")


@bp.get("/")
@login_required
def index():
    session = get_session()
    args = {
        "body": request.args.get("body", type=int),
        "kind": request.args.get("kind") or None,
        "q": request.args.get("q") or None,
    }
    page = services.list_sources(
        session,
        body_id=args["body"],
        kind=args["kind"],
        query_text=args["q"],
        page=request.args.get("page", 1, type=int),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "sources/index.html",
        page=page,
        args={key: value for key, value in args.items() if value},
        bodies=[(body.id, body.code) for body in list_bodies(session)],
    )


@bp.get("/<int:source_id>")
@login_required
def detail(source_id: int):
    session = get_session()
    source = session.get(Source, source_id) or abort(404)
    recommendations = list_recommendations(session, source_id=source.id, size=1000)
    return render_template(
        "sources/detail.html",
        source=source,
        issuer=source.issuer_id and session.get(Body, source.issuer_id),
        addressees=addressees_of(session, source.id),
        responses=responses_of(session, source.id),
        follows=source.follows_id and session.get(Source, source.follows_id),
        findings=review.findings_of(session, source.id),
        finding_form=source.follows_id and review.finding_form(session, source),
        meeting=source.meeting_id and session.get(Meeting, source.meeting_id),
        recommendations=recommendations.items,
        history=history(session, "source", source.id),
    )


def _form(source: Source | None) -> forms.SourceForm:
    session = get_session()
    form = forms.SourceForm(obj=source if request.method == "GET" else None)
    form.kind.choices = labels.choices(labels.SOURCE_KINDS)
    bodies = [("", _("None"))] + body_choices(session)
    form.issuer_id.choices = bodies
    form.addressees.choices = body_choices(session)
    if request.method == "GET" and source is not None:
        form.addressees.data = [body.id for body in addressees_of(session, source.id)]
    form.follows_id.choices = [("", _("None"))] + [
        (id_, title) for id_, title in source_choices(session) if source is None or id_ != source.id
    ]
    form.meeting_id.choices = [("", _("None"))] + meeting_choices(session)
    return form


def _values(form: forms.SourceForm) -> dict:
    values = {key: getattr(form, key).data for key in forms.FIELDS}
    return {key: "" if value is None and key in _TEXT else value for key, value in values.items()}


_TEXT = {"title", "dnr", "paragraph", "auditors", "firm", "summary"}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require("edit_source")
    form = _form(None)
    if form.validate_on_submit():
        session = get_session()
        source = services.create_source(session, **_values(form))
        set_addressees(session, source, form.addressees.data or [])
        session.commit()
        flash(_("The source is saved. Now add its recommendations."), "success")
        return redirect(url_for("sources.detail", source_id=source.id))
    return render_template("sources/form.html", form=form, source=None), form_status(form)


@bp.route("/<int:source_id>/edit", methods=["GET", "POST"])
@login_required
def edit(source_id: int):
    require("edit_source")
    session = get_session()
    source = session.get(Source, source_id) or abort(404)
    form = _form(source)
    conflict = None
    if form.validate_on_submit():
        with saving(session, form) as attempt:
            update_row(session, source, version=form.version.data, values=_values(form))
            set_addressees(session, source, form.addressees.data or [])
        conflict = attempt.conflict
        if conflict is None:
            flash(_("The source is saved."), "success")
            return redirect(url_for("sources.detail", source_id=source.id))
    return render_template(
        "sources/form.html", form=form, source=source, conflict=conflict
    ), form_status(form, conflict)
