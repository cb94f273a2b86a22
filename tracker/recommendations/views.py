"""Pages for recommendations and assignments."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from tracker import dates, labels
from tracker.auth.permissions import Action, require
from tracker.auth.visibility import get_visible
from tracker.date_moves import MoveNeedsReason, move_refused
from tracker.db import get_session
from tracker.edit_page import edit_page, editable
from tracker.editing import form_status, saving
from tracker.followup.services.lines import suggests_reported
from tracker.grades.page import grade_context
from tracker.history import history
from tracker.i18n import swedish_choices
from tracker.indicators.services.measure_links import indicators_for_recommendations
from tracker.lookup import look_up
from tracker.meetings.services import body_choices, list_bodies, meeting_choices
from tracker.models import Body, Meeting, Recommendation, Source, User
from tracker.overdue import item_overdue
from tracker.recommendations import forms, services
from tracker.recommendations.deadlines import deadline_of
from tracker.reminders.services.pages import reminders_of
from tracker.responses import services as responses
from tracker.status_update_page import status_update_page, update_form
from tracker.status_updates import status_updates
from tracker.units.services import unit_choices

bp = Blueprint("recommendations", __name__, url_prefix="/recommendations")

FILTERS = {
    "body": int,
    "source": str,  # an id, or part of a title looked up (tracker/lookup.py)
    "kind": str,
    "theme": str,
    "status": str,
    "responsible": str,  # an id, or part of a name
    "unit": int,
    "overdue": str,
    "priority": str,
    "sort": str,
}


def read_filters() -> dict:
    """Return the list filters given in the query string, without empty ones."""
    args = {key: request.args.get(key, type=kind) for key, kind in FILTERS.items()}
    return {key: value for key, value in args.items() if value}


@bp.get("/")
@login_required
def index():
    """List the recommendations and assignments, filtered."""
    session = get_session()
    args = read_filters()
    source = look_up(session, "source", args.get("source"))
    responsible = look_up(session, "person", args.get("responsible"))
    page = services.list_recommendations(
        session,
        body_id=args.get("body"),
        source_id=source.id,
        kind=args.get("kind"),
        theme=args.get("theme"),
        status=args.get("status"),
        responsible_id=responsible.id,
        unit_id=args.get("unit"),
        overdue=bool(args.get("overdue")),
        priority=bool(args.get("priority")),
        priority_first=args.get("sort") == "priority",
        page=request.args.get("page", 1, type=int),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "recommendations/index.html",
        page=page,
        args=args,
        bodies=[(body.id, body.code) for body in list_bodies(session)],
        source=source,
        themes=[(theme, theme) for theme in services.themes(session)],
        responsible=responsible,
        units=unit_choices(session),
    )


@bp.get("/<int:recommendation_id>")
@login_required
def detail(recommendation_id: int):
    """Show a recommendation with its measures, updates, grades and history."""
    session = get_session()
    # The parts stay referenced while the page is made: the session's identity map holds
    # them weakly, and the page's session.get() calls find them there without a query.
    recommendation, *_parts = services.read_with_parts(session, recommendation_id) or abort(404)
    return _detail(recommendation, update_form(recommendation))


def _detail(recommendation: Recommendation, update_form, status: int = 200):
    session = get_session()
    meeting = recommendation.due_meeting_id and session.get(Meeting, recommendation.due_meeting_id)
    responsible = recommendation.responsible_id and session.get(User, recommendation.responsible_id)
    measures = services.linked_measures(session, recommendation.id)
    source = session.get(Source, recommendation.source_id)
    deadline = deadline_of(session, recommendation, source)
    return render_template(
        "recommendations/detail.html",
        reminders=reminders_of(session, item_type="recommendation", item_id=recommendation.id),
        recommendation=recommendation,
        source=source,
        deadline=deadline,
        overdue=item_overdue(recommendation.status, deadline, dates.today()),
        closed=services.is_closed(recommendation),
        due_body=recommendation.due_body_id and session.get(Body, recommendation.due_body_id),
        findings=responses.findings_on(session, recommendation.id),
        answers=responses.answers_on_item(session, recommendation.id),
        references=services.references_of(session, [recommendation.id])[recommendation.id],
        responsible=responsible,
        meeting=meeting,
        measures=measures,
        suggest_reported=suggests_reported(
            recommendation.status, [measure for measure, _owner in measures]
        ),
        indicators=indicators_for_recommendations(session, [recommendation.id])[recommendation.id],
        **grade_context(session, recommendation, deadline),
        updates=status_updates(session, recommendation_id=recommendation.id),
        history=history(session, "recommendation", recommendation.id),
        update_form=update_form,
    ), status


@bp.route("/<int:recommendation_id>/update", methods=["GET", "POST"])
@login_required
def update(recommendation_id: int):
    """Post a status update on a recommendation."""
    recommendation = get_visible(get_session(), Recommendation, recommendation_id) or abort(404)
    return status_update_page(recommendation, make_form=update_form, detail=_detail)


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
    form.kind.choices = labels.choices(labels.RECOMMENDATION_KINDS)
    form.status.choices = labels.choices(labels.RECOMMENDATION_STATUSES)
    form.unit_id.choices = [("", _("No unit"))] + unit_choices(session)
    form.due_meeting_id.choices = [("", _("No meeting"))] + swedish_choices(
        meeting_choices(session)
    )
    form.recurrence.choices = [("", _("Once"))] + labels.choices(labels.RECURRENCES)
    form.due_body_id.choices = [("", _("The source's addressee"))] + body_choices(session)
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
    values["due_period"] = (values["due_period"] or "").strip()
    values["theme"] = (values["theme"] or "").strip()
    return values, references


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a recommendation or assignment to a source."""
    require(Action.EDIT_RECOMMENDATION)
    form = _form(None)
    read = _read(form)
    if read:
        session = get_session()
        values, references = read
        # A secretary of given bodies adds points only to their bodies' sources.
        require(Action.EDIT_RECOMMENDATION, session.get(Source, values["source_id"]))
        with saving(session, form):
            recommendation = services.create_recommendation(
                session, values=values, references=references
            )
        flash(_("Saved. Add the next one, or go back to the source."), "success")
        return redirect(url_for("recommendations.new", source_id=recommendation.source_id))
    return render_template(
        "recommendations/form.html", form=form, recommendation=None
    ), form_status(form)


@bp.route("/<int:recommendation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(recommendation_id: int):
    """Change a recommendation; a form read before someone else saved is shown as a conflict."""
    session = get_session()
    recommendation = editable(
        Recommendation, recommendation_id, Action.EDIT_RECOMMENDATION, read=get_visible
    )
    form = _form(recommendation)
    return edit_page(
        form,
        template="recommendations/form.html",
        check=lambda: _read(form),
        save=lambda read: services.update_recommendation(
            session,
            recommendation,
            version=form.version.data,
            values=read[0],
            references=read[1],
            reason=form.due_date_reason.data or "",
            agreed_by=form.due_date_agreed_by.data or "",
        ),
        refusals={MoveNeedsReason: lambda refusal: move_refused(form, refusal, prefix="due_date_")},
        saved=_("The recommendation is saved."),
        then=url_for("recommendations.detail", recommendation_id=recommendation.id),
        shown=lambda conflict: {
            "conflict_references": conflict
            and services.references_of(session, [conflict.id])[conflict.id]
        },
        recommendation=recommendation,
    )
