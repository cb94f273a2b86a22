"""Pages for recommendations and assignments."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from tracker import labels
from tracker.auth.services import require
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.history import history
from tracker.indicators.services import indicators_for_recommendations
from tracker.meetings.services import list_bodies, meeting_choices
from tracker.models import Meeting, Recommendation, Source, User
from tracker.recommendations import forms, services
from tracker.sources.services import source_choices
from tracker.status_updates import post_from_form, status_updates
from tracker.units.services import unit_choices

bp = Blueprint("recommendations", __name__, url_prefix="/recommendations")

FILTERS = {
    "body": int,
    "source": int,
    "kind": str,
    "theme": str,
    "status": str,
    "responsible": int,
    "unit": int,
    "overdue": str,
}


def read_filters() -> dict:
    """Return the list filters given in the query string, without empty ones."""
    args = {key: request.args.get(key, type=kind) for key, kind in FILTERS.items()}
    return {key: value for key, value in args.items() if value}


@bp.get("/")
@login_required
def index():
    session = get_session()
    args = read_filters()
    page = services.list_recommendations(
        session,
        body_id=args.get("body"),
        source_id=args.get("source"),
        kind=args.get("kind"),
        theme=args.get("theme"),
        status=args.get("status"),
        responsible_id=args.get("responsible"),
        unit_id=args.get("unit"),
        overdue=bool(args.get("overdue")),
        page=request.args.get("page", 1, type=int),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "recommendations/index.html",
        page=page,
        args=args,
        bodies=[(body.id, body.code) for body in list_bodies(session)],
        sources=source_choices(session),
        themes=[(theme, theme) for theme in services.themes(session)],
        people=_people(session),
        units=unit_choices(session),
    )


def _people(session):
    return [(user.id, user.name) for user in session.exec(select(User).order_by(User.name))]


def _update_form(target) -> forms.StatusUpdateForm:
    form = forms.StatusUpdateForm(status=target.status)
    form.status.choices = labels.choices(labels.RECOMMENDATION_STATUSES)
    form.judgement.choices = [("", _("No judgement"))]
    return form


@bp.get("/<int:recommendation_id>")
@login_required
def detail(recommendation_id: int):
    session = get_session()
    recommendation = session.get(Recommendation, recommendation_id) or abort(404)
    return _detail(recommendation, _update_form(recommendation))


def _detail(recommendation: Recommendation, update_form, status: int = 200):
    session = get_session()
    meeting = recommendation.due_meeting_id and session.get(Meeting, recommendation.due_meeting_id)
    responsible = recommendation.responsible_id and session.get(User, recommendation.responsible_id)
    return render_template(
        "recommendations/detail.html",
        recommendation=recommendation,
        source=session.get(Source, recommendation.source_id),
        references=services.references_of(session, [recommendation.id])[recommendation.id],
        responsible=responsible,
        meeting=meeting,
        measures=services.linked_measures(session, recommendation.id),
        indicators=indicators_for_recommendations(session, [recommendation.id])[recommendation.id],
        updates=status_updates(session, recommendation_id=recommendation.id),
        history=history(session, "recommendation", recommendation.id),
        update_form=update_form,
    ), status


@bp.route("/<int:recommendation_id>/update", methods=["GET", "POST"])
@login_required
def update(recommendation_id: int):
    session = get_session()
    recommendation = session.get(Recommendation, recommendation_id) or abort(404)
    require("post_update", recommendation)
    form = _update_form(recommendation)
    if form.validate_on_submit():
        post_from_form(session, recommendation, form, author=current_user)
        flash(_("Your status update is saved."), "success")
        return redirect(url_for("recommendations.detail", recommendation_id=recommendation.id))
    if request.method == "POST":
        return _detail(recommendation, form, 400)
    return render_template(
        "recommendations/update.html",
        recommendation=recommendation,
        source=session.get(Source, recommendation.source_id),  # its title names the page
        form=form,
        updates=status_updates(session, recommendation_id=recommendation.id)[:3],
    )


def _form(recommendation: Recommendation | None) -> forms.RecommendationForm:
    session = get_session()
    if request.method == "GET" and recommendation:
        form = forms.RecommendationForm(obj=recommendation)
        form.references.data = "\n".join(
            services.references_of(session, [recommendation.id])[recommendation.id]
        )
    elif request.method == "GET":
        form = forms.RecommendationForm(source_id=request.args.get("source_id", type=int))
    else:
        form = forms.RecommendationForm()
    form.source_id.choices = [("", _("Choose a source"))] + source_choices(session)
    form.kind.choices = labels.choices(labels.RECOMMENDATION_KINDS)
    form.status.choices = labels.choices(labels.RECOMMENDATION_STATUSES)
    form.responsible_id.choices = [("", _("Nobody yet"))] + _people(session)
    form.unit_id.choices = [("", _("No unit"))] + unit_choices(session)
    form.due_meeting_id.choices = [("", _("No meeting"))] + meeting_choices(session)
    return form


def _read(form: forms.RecommendationForm):
    """Validate the form; return its values and parsed references, or None on errors."""
    if not form.validate_on_submit():
        return None
    references, bad = services.read_references(get_session(), form.references.data)
    if bad:
        form.references.errors.append(
            _(
                "Cannot read %(lines)s. Write one per line as BODY YYMMDD § N, "
                "e.g. RS 170301 § 52, with a body that exists.",
                lines=", ".join(f"“{line}”" for line in bad),
            )
        )
        return None
    values = {key: getattr(form, key).data for key in forms.FIELDS}
    values["number"] = values["number"] or ""
    values["theme"] = (values["theme"] or "").strip()
    return values, references


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require("edit_recommendation")
    form = _form(None)
    read = _read(form)
    if read:
        session = get_session()
        values, references = read
        recommendation = services.create_recommendation(
            session, values=values, references=references
        )
        session.commit()
        flash(_("Saved. Add the next one, or go back to the source."), "success")
        return redirect(url_for("recommendations.new", source_id=recommendation.source_id))
    return render_template(
        "recommendations/form.html", form=form, recommendation=None
    ), form_status(form)


@bp.route("/<int:recommendation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(recommendation_id: int):
    require("edit_recommendation")
    session = get_session()
    recommendation = session.get(Recommendation, recommendation_id) or abort(404)
    form = _form(recommendation)
    conflict = None
    read = _read(form)
    if read:
        values, references = read
        with saving(session, form) as attempt:
            services.update_recommendation(
                session,
                recommendation,
                version=form.version.data,
                values=values,
                references=references,
            )
        conflict = attempt.conflict
        if conflict is None:
            flash(_("The recommendation is saved."), "success")
            return redirect(url_for("recommendations.detail", recommendation_id=recommendation.id))
    return render_template(
        "recommendations/form.html",
        form=form,
        recommendation=recommendation,
        conflict=conflict,
        conflict_references=conflict
        and services.references_of(session, [conflict.id])[conflict.id],
    ), form_status(form, conflict)
