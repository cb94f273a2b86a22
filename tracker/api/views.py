"""The /api/v1/ routes: thin views over tracker/api/services, described by spectree."""

from flask import jsonify, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from tracker import db
from tracker.api import output, schemas, services
from tracker.api.blueprint import ID, allowed, bp, created, found, size
from tracker.api.problems import ApiProblem
from tracker.api.spec import answers, openapi, spec
from tracker.auth.permissions import Action, can
from tracker.auth.scope import Bodies, body_names, limited_to
from tracker.auth.visibility import update_visible
from tracker.measures.services import list_measures
from tracker.models import (
    Body,
    Indicator,
    Measure,
    Meeting,
    Outcome,
    Recommendation,
    Source,
    StatusUpdate,
)
from tracker.paging import paginate
from tracker.recommendations.services import list_recommendations
from tracker.sources.services import list_sources

# The description and its page.


@bp.get("/openapi.json")
def description():
    """Return the API's OpenAPI 3.1 description as JSON."""
    return jsonify(openapi())


@bp.get("/docs")
def docs():
    """Show the API's description as a page to read."""
    return render_template("api/docs.html", description=openapi())


# Bodies and meetings.


@bp.get("/bodies")
@spec.validate(resp=answers(422, HTTP_200=schemas.page_model(schemas.BodyOut)), tags=["bodies"])
def bodies(query: schemas.Paging):
    """List the bodies (boards and committees), by code."""
    session = db.get_session()
    page = paginate(session, select(Body).order_by(Body.code, Body.id), **size(query))
    return output.page_of(page, output.rows_out(schemas.BodyOut, page.items))


@bp.get(f"/bodies/<{ID}:body_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.BodyOut), tags=["bodies"])
def body(body_id: int):
    """Read one body."""
    return output.dump(schemas.BodyOut, found(Body, body_id))


@bp.get("/meetings")
@spec.validate(
    resp=answers(422, HTTP_200=schemas.page_model(schemas.MeetingOut)), tags=["meetings"]
)
def meetings(query: schemas.MeetingQuery):
    """List meetings, latest first; filter by body."""
    session = db.get_session()
    rows = select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id)
    if query.body:
        rows = rows.where(Meeting.body_id == query.body)
    page = paginate(session, rows, **size(query))
    return output.page_of(page, output.rows_out(schemas.MeetingOut, page.items))


@bp.get(f"/meetings/<{ID}:meeting_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.MeetingOut), tags=["meetings"])
def meeting(meeting_id: int):
    """Read one meeting."""
    return output.dump(schemas.MeetingOut, found(Meeting, meeting_id))


# Sources.


@bp.get("/sources")
@spec.validate(resp=answers(422, HTTP_200=schemas.page_model(schemas.SourceOut)), tags=["sources"])
def sources(query: schemas.SourceQuery):
    """List sources, latest first; filter by body, kind and words in the title or dnr."""
    page = list_sources(
        db.get_session(), body_id=query.body, kind=query.kind, query_text=query.q, **size(query)
    )
    return output.page_of(page, output.rows_out(schemas.SourceOut, [r[0] for r in page.items]))


@bp.post("/sources")
@allowed(Action.EDIT_SOURCE)
@spec.validate(resp=answers(403, 422, HTTP_201=schemas.SourceOut), tags=["sources"])
def create_source(json: schemas.SourceIn):
    """Create a source: an audit report, a decision or a plan."""
    # A secretary of given bodies adds sources issued by or addressed to one of theirs.
    if not can(current_user, Action.EDIT_SOURCE, Bodies({json.issuer_id, json.addressee_id})):
        message = _(
            "You are secretary of %(bodies)s: the source must be issued by or addressed to one "
            "of them.",
            bodies=body_names(limited_to(current_user)),
        )
        raise ApiProblem(
            403,
            _("Your role does not allow this."),
            detail=message,
            errors=[("addressee_id", message)],
        )
    source = services.add_source(db.get_session(), json)
    data = output.dump(schemas.SourceOut, source)
    return created(data, "api.source", source_id=source.id)


@bp.get(f"/sources/<{ID}:source_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.SourceOut), tags=["sources"])
def source(source_id: int):
    """Read one source."""
    return output.dump(schemas.SourceOut, found(Source, source_id))


# Recommendations and assignments.


@bp.get("/recommendations")
@spec.validate(
    resp=answers(422, HTTP_200=schemas.page_model(schemas.RecommendationOut)),
    tags=["recommendations"],
)
def recommendations(query: schemas.RecommendationQuery):
    """List recommendations and assignments with the list page's filters."""
    session = db.get_session()
    page = list_recommendations(
        session,
        body_id=query.body,
        source_id=query.source,
        kind=query.kind,
        theme=query.theme,
        status=query.status,
        responsible_id=query.responsible,
        unit_id=query.unit,
        overdue=query.overdue,
        **size(query),
    )
    rows = [row.recommendation for row in page.items]
    return output.page_of(page, output.recommendations_out(session, rows))


@bp.post("/recommendations")
@allowed(Action.EDIT_RECOMMENDATION)
@spec.validate(resp=answers(403, 422, HTTP_201=schemas.RecommendationOut), tags=["recommendations"])
def create_recommendation(json: schemas.RecommendationIn):
    """Create a recommendation or assignment, with decision references like "RS 170301 § 52"."""
    session = db.get_session()
    # A secretary of given bodies adds points only to their bodies' sources.
    if not can(current_user, Action.EDIT_RECOMMENDATION, session.get(Source, json.source_id)):
        raise ApiProblem(403, _("Your role does not allow this."))
    recommendation = services.add_recommendation(session, json)
    data = output.recommendations_out(session, [recommendation])[0]
    return created(data, "api.recommendation", recommendation_id=recommendation.id)


@bp.get(f"/recommendations/<{ID}:recommendation_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.RecommendationOut), tags=["recommendations"])
def recommendation(recommendation_id: int):
    """Read one recommendation or assignment with its decision references."""
    row = found(Recommendation, recommendation_id)
    return output.recommendations_out(db.get_session(), [row])[0]


@bp.patch(f"/recommendations/<{ID}:recommendation_id>")
@allowed(
    Action.EDIT_RECOMMENDATION, lambda recommendation_id: found(Recommendation, recommendation_id)
)
@spec.validate(
    resp=answers(403, 404, 409, 422, HTTP_200=schemas.RecommendationOut),
    tags=["recommendations"],
)
def update_recommendation(recommendation_id: int, json: schemas.RecommendationPatch):
    """Change the fields sent; send the version read, a stale one answers 409 with the row."""
    session = db.get_session()
    row = services.change_recommendation(session, found(Recommendation, recommendation_id), json)
    return output.recommendations_out(session, [row])[0]


# Measures.


@bp.get("/measures")
@spec.validate(
    resp=answers(422, HTTP_200=schemas.page_model(schemas.MeasureOut)), tags=["measures"]
)
def measures(query: schemas.MeasureQuery):
    """List measures, soonest due first, with the list page's filters."""
    session = db.get_session()
    page = list_measures(
        session,
        status=query.status,
        owner_id=query.owner,
        unit_id=query.unit,
        theme=query.theme,
        source_id=query.source,
        overdue=query.overdue,
        **size(query),
    )
    rows = [row.measure for row in page.items]
    return output.page_of(page, output.measures_out(session, rows))


@bp.post("/measures")
@allowed(Action.CREATE_MEASURE)
@spec.validate(resp=answers(403, 422, HTTP_201=schemas.MeasureOut), tags=["measures"])
def create_measure(json: schemas.MeasureIn):
    """Create a measure linked to recommendations and indicators."""
    session = db.get_session()
    measure = services.add_measure(session, json, current_user)
    data = output.measures_out(session, [measure])[0]
    return created(data, "api.measure", measure_id=measure.id)


@bp.get(f"/measures/<{ID}:measure_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.MeasureOut), tags=["measures"])
def measure(measure_id: int):
    """Read one measure."""
    return output.measures_out(db.get_session(), [found(Measure, measure_id)])[0]


@bp.patch(f"/measures/<{ID}:measure_id>")
@allowed(Action.EDIT_MEASURE, lambda measure_id: found(Measure, measure_id))
@spec.validate(resp=answers(403, 404, 409, 422, HTTP_200=schemas.MeasureOut), tags=["measures"])
def update_measure(measure_id: int, json: schemas.MeasurePatch):
    """Change the fields sent; a moved due date needs due_date_reason; stale answers 409."""
    session = db.get_session()
    row = services.change_measure(session, found(Measure, measure_id), json, current_user)
    return output.measures_out(session, [row])[0]


# Status updates: appended, never changed.


@bp.get("/status-updates")
@spec.validate(
    resp=answers(422, HTTP_200=schemas.page_model(schemas.StatusUpdateOut)),
    tags=["status updates"],
)
def status_updates(query: schemas.StatusUpdateQuery):
    """List status updates, newest first; filter by recommendation or measure."""
    rows = select(StatusUpdate).order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
    rows = rows.where(update_visible())
    if query.recommendation:
        rows = rows.where(StatusUpdate.recommendation_id == query.recommendation)
    if query.measure:
        rows = rows.where(StatusUpdate.measure_id == query.measure)
    page = paginate(db.get_session(), rows, **size(query))
    return output.page_of(page, output.rows_out(schemas.StatusUpdateOut, page.items))


@bp.post("/status-updates")
@allowed(Action.POST_UPDATE)
@spec.validate(resp=answers(403, 422, HTTP_201=schemas.StatusUpdateOut), tags=["status updates"])
def create_status_update(json: schemas.StatusUpdateIn):
    """Append a status update to a recommendation or a measure; it sets the item's status."""
    session = db.get_session()
    target = services.status_target(session, json)
    if not can(current_user, Action.POST_UPDATE, target):
        raise ApiProblem(403, _("Your role does not allow this."))
    update = services.add_status_update(session, target, json, current_user)
    data = output.dump(schemas.StatusUpdateOut, update)
    return created(data, "api.status_update", status_update_id=update.id)


@bp.get(f"/status-updates/<{ID}:status_update_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.StatusUpdateOut), tags=["status updates"])
def status_update(status_update_id: int):
    """Read one status update."""
    return output.dump(schemas.StatusUpdateOut, found(StatusUpdate, status_update_id))


# Indicators and outcomes.


@bp.get("/indicators")
@spec.validate(
    resp=answers(422, HTTP_200=schemas.page_model(schemas.IndicatorOut)), tags=["indicators"]
)
def indicators(query: schemas.IndicatorQuery):
    """List indicators by code; filter by perspective."""
    rows = select(Indicator).order_by(Indicator.code, Indicator.id)
    if query.perspective:
        rows = rows.where(Indicator.perspective == query.perspective)
    page = paginate(db.get_session(), rows, **size(query))
    return output.page_of(page, output.rows_out(schemas.IndicatorOut, page.items))


@bp.get(f"/indicators/<{ID}:indicator_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.IndicatorOut), tags=["indicators"])
def indicator(indicator_id: int):
    """Read one indicator."""
    return output.dump(schemas.IndicatorOut, found(Indicator, indicator_id))


@bp.get("/outcomes")
@spec.validate(
    resp=answers(422, HTTP_200=schemas.page_model(schemas.OutcomeOut)), tags=["outcomes"]
)
def outcomes(query: schemas.OutcomeQuery):
    """List outcomes by indicator and period; filter by indicator, year, period and unit."""
    rows = select(Outcome).order_by(
        Outcome.indicator_id, Outcome.year, Outcome.period, Outcome.scope_id
    )
    for column, value in (
        (Outcome.indicator_id, query.indicator),
        (Outcome.year, query.year),
        (Outcome.period, query.period),
        (Outcome.unit_id, query.unit),
    ):
        if value is not None:
            rows = rows.where(column == value)
    page = paginate(db.get_session(), rows, **size(query))
    return output.page_of(page, output.rows_out(schemas.OutcomeOut, page.items))


@bp.post("/outcomes")
@allowed(Action.EDIT_INDICATOR)
@spec.validate(resp=answers(403, 409, 422, HTTP_201=schemas.OutcomeOut), tags=["outcomes"])
def create_outcome(json: schemas.OutcomeIn):
    """Record an outcome; the indicator's threshold rules then make their assignments."""
    outcome = services.add_outcome(db.get_session(), json)
    data = output.dump(schemas.OutcomeOut, outcome)
    return created(data, "api.outcome", outcome_id=outcome.id)


@bp.get(f"/outcomes/<{ID}:outcome_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.OutcomeOut), tags=["outcomes"])
def outcome(outcome_id: int):
    """Read one outcome."""
    return output.dump(schemas.OutcomeOut, found(Outcome, outcome_id))
