"""Pages for measures."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import dates, labels
from tracker.auth.permissions import Action, require
from tracker.auth.visibility import get_visible
from tracker.bulk_forms import bulk_form
from tracker.date_moves import MoveNeedsReason, move_refused
from tracker.db import get_session
from tracker.edit_page import edit_page, editable
from tracker.editing import form_status, saving
from tracker.history import history
from tracker.i18n import swedish_choices
from tracker.indicators.services import measure_links, queries
from tracker.lookup import look_up
from tracker.measures import choices, forms, services
from tracker.models import Measure, Unit, User
from tracker.overdue import measure_overdue
from tracker.reminders.services.pages import reminders_of
from tracker.status_update_page import status_update_page, update_form
from tracker.status_updates import status_updates
from tracker.units.services import unit_choices

bp = Blueprint("measures", __name__, url_prefix="/measures")

# Owner and source: an id, or part of a name or title looked up (tracker/lookup.py).
FILTERS = {"status": str, "owner": str, "unit": int, "theme": str, "source": str, "overdue": str}


@bp.get("/")
@login_required
def index():
    """List the measures, filtered."""
    session = get_session()
    args = {key: request.args.get(key, type=kind) for key, kind in FILTERS.items()}
    args = {key: value for key, value in args.items() if value}
    owner = look_up(session, "person", args.get("owner"))
    source = look_up(session, "source", args.get("source"))
    page = services.list_measures(
        session,
        status=args.get("status"),
        owner_id=owner.id,
        unit_id=args.get("unit"),
        theme=args.get("theme"),
        source_id=source.id,
        overdue=bool(args.get("overdue")),
        page=request.args.get("page", 1, type=int),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "measures/index.html",
        bulk_form=bulk_form(formdata=None),
        page=page,
        args=args,
        owner=owner,
        units=unit_choices(session),
        source=source,
        themes=[(theme, theme) for theme in services.themes(session)],
    )


def _detail(measure: Measure, update_form, status: int = 200):
    session = get_session()
    return render_template(
        "measures/detail.html",
        reminders=reminders_of(session, item_type="measure", item_id=measure.id),
        measure=measure,
        owner=measure.owner_id and session.get(User, measure.owner_id),
        unit=measure.unit_id and session.get(Unit, measure.unit_id),
        recommendations=services.linked_recommendations(session, measure.id, readable=True),
        indicators=measure_links.indicators_for_measure(session, measure.id),
        updates=status_updates(session, measure_id=measure.id),
        history=history(session, "measure", measure.id),
        update_form=update_form,
        overdue=measure_overdue(measure.status, measure.due_date, dates.today()),
    ), status


@bp.get("/<int:measure_id>")
@login_required
def detail(measure_id: int):
    """Show a measure with its recommendations, indicators, updates and history."""
    measure = get_visible(get_session(), Measure, measure_id) or abort(404)
    return _detail(measure, update_form(measure))


@bp.route("/<int:measure_id>/update", methods=["GET", "POST"])
@login_required
def update(measure_id: int):
    """Post a status update on a measure."""
    measure = get_visible(get_session(), Measure, measure_id) or abort(404)
    return status_update_page(measure, make_form=update_form, detail=_detail)


def _form(measure: Measure | None) -> forms.MeasureForm:
    session = get_session()
    if request.method == "GET" and measure:
        form = forms.MeasureForm(obj=measure)
        form.recommendations.data = services.linked_recommendation_ids(session, measure.id)
        form.indicators.data = measure_links.measure_indicator_ids(session, measure.id)
    elif request.method == "GET":
        linked = request.args.get("recommendation_id", type=int)
        form = forms.MeasureForm(recommendations=[linked] if linked else [])
    else:
        form = forms.MeasureForm()
    # The rule the API applies too: the lookup offers only what this user may link.
    form.recommendations.where = choices.linkable_recommendations(session, current_user, measure)
    form.indicators.choices = swedish_choices(queries.indicator_choices(session))
    form.unit_id.choices = [("", _("No unit"))] + unit_choices(session)
    form.status.choices = labels.choices(labels.MEASURE_STATUSES)
    form.judgement.choices = [("", _("No judgement"))] + labels.choices(labels.JUDGEMENTS)
    return form


def _choices_allowed(form: forms.MeasureForm, measure: Measure | None) -> bool:
    """Apply the API's rule: an owner who can post updates, recommendations one may link."""
    refused = choices.refused_choices(
        get_session(),
        current_user,
        measure=measure,
        owner_id=form.owner_id.data,
        recommendation_ids=form.recommendations.data or [],
    )
    for name, message in refused:
        field = form.owner_id if name == "owner_id" else form.recommendations
        field.errors = [*field.errors, message]
    return not refused


def _values(form: forms.MeasureForm) -> dict:
    values = {key: getattr(form, key).data for key in forms.FIELDS}
    for key in ("number", "description", "goal", "theme"):
        values[key] = (values[key] or "").strip()
    values["judgement"] = values["judgement"] or None
    return values


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a measure, linked to the recommendations it answers."""
    require(Action.CREATE_MEASURE)
    form = _form(None)
    if form.validate_on_submit() and _choices_allowed(form, None):
        session = get_session()
        with saving(session, form):
            measure = services.create_measure(
                session,
                values=_values(form),
                recommendation_ids=form.recommendations.data or [],
                indicator_ids=form.indicators.data or [],
            )
        flash(_("The measure is saved."), "success")
        return redirect(url_for("measures.detail", measure_id=measure.id))
    return render_template("measures/form.html", form=form, measure=None), form_status(form)


@bp.route("/<int:measure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(measure_id: int):
    """Change a measure; a form read before someone else saved is shown as a conflict."""
    session = get_session()
    measure = editable(Measure, measure_id, Action.EDIT_MEASURE, read=get_visible)
    form = _form(measure)
    return edit_page(
        form,
        template="measures/form.html",
        check=lambda: form.validate_on_submit() and _choices_allowed(form, measure),
        save=lambda _checked: services.update_measure(
            session,
            measure,
            version=form.version.data,
            values=_values(form),
            recommendation_ids=form.recommendations.data or [],
            indicator_ids=form.indicators.data or [],
            reason=form.due_date_reason.data or "",
            agreed_by=form.due_date_agreed_by.data or "",
        ),
        refusals={MoveNeedsReason: lambda refusal: move_refused(form, refusal, prefix="due_date_")},
        saved=_("The measure is saved."),
        then=url_for("measures.detail", measure_id=measure.id),
        measure=measure,
    )
