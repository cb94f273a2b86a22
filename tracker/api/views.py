"""The /api/v1/ routes: thin views over tracker/api/services, described by spectree."""

from functools import wraps

from flask import Blueprint, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session, select
from werkzeug.exceptions import HTTPException

from tracker import db
from tracker.api import problems, schemas, services, tokens
from tracker.api.problems import ApiProblem
from tracker.api.spec import answers, openapi, spec
from tracker.app import login_manager
from tracker.auth.permissions import Action, can
from tracker.changelog import set_actor
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
    User,
)
from tracker.paging import paginate
from tracker.recommendations.services import list_recommendations
from tracker.sources.services import list_sources

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Ids in paths: PostgreSQL's integer; larger ones are no row.
ID = "int(min=1, max=2147483647)"
# Routes anyone may read: the description of the API, not its data.
OPEN = {"api.description", "api.docs"}


@bp.before_request
def _authenticate():
    # The API never reads the session cookie: a token is the only way in, so no CSRF applies.
    g._login_user = login_manager.anonymous_user()
    set_actor(db.get_session(), None)
    if request.endpoint in OPEN:
        return
    token = bearer_token()
    if token is None:
        raise ApiProblem(401, _("Send a personal API token as Authorization: Bearer <token>."))
    # Looked up and marked used in transactions of their own, ended before the request's
    # session begins: on SQLite a writing request holds the write lock from its first query.
    with Session(db.engine()) as lookup:
        found = tokens.user_for(lookup, token)
    if found is None:
        raise ApiProblem(401, _("The token is unknown, expired or revoked."))
    row, user = found
    if tokens.stale(row):
        with db.engine().execution_options(write=True).begin() as connection:
            tokens.touch(connection, row)
    g._login_user = db.get_session().get(User, user.id)
    set_actor(db.get_session(), user.id)


@bp.errorhandler(ApiProblem)
def _problem(error: ApiProblem):
    db.get_session().rollback()
    return problems.response(error)


@bp.errorhandler(HTTPException)
def _http_problem(error: HTTPException):
    return problems.response(ApiProblem(error.code or 500, error.name, detail=error.description))


def bearer_token() -> str | None:
    """Return the token sent as "Authorization: Bearer <token>", if one is."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def token_key() -> str:
    """Return the throttling key: the token's hash, else the caller's address."""
    token = bearer_token()
    if token is not None:
        return "api-token:" + tokens.hash_token(token)
    return "api-address:" + (request.remote_addr or "")


def allowed(action: str, load=None):
    """Refuse with 403, before the body is read, unless the token's role may do the action."""

    def decorate(view):
        @wraps(view)
        def guarded(**kwargs):
            target = load(**kwargs) if load else None
            if not can(current_user, action, target):
                raise ApiProblem(403, _("Your role does not allow this."))
            return view(**kwargs)

        return guarded

    return decorate


def found(table, id_: int):
    """Return a row by id, or answer 404."""
    row = db.get_session().get(table, id_)
    if row is None:
        raise ApiProblem(404, _("No such row"), detail=_("There is no such row: %(id)s.", id=id_))
    return row


def size(query: schemas.Paging) -> dict:
    """Return a list query's paging as the list services take it."""
    return {"page": query.page, "size": query.per_page}


def created(data: dict, endpoint: str, **args):
    """Answer 201 with the new row and its address."""
    return data, 201, {"Location": url_for(endpoint, **args)}


# The description and its page.


@bp.get("/openapi.json")
def description():
    return jsonify(openapi())


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", description=openapi())


# Bodies and meetings.


@bp.get("/bodies")
@spec.validate(resp=answers(422, HTTP_200=schemas.page_model(schemas.BodyOut)), tags=["bodies"])
def bodies(query: schemas.Paging):
    """List the bodies (boards and committees), by code."""
    session = db.get_session()
    page = paginate(session, select(Body).order_by(Body.code, Body.id), **size(query))
    return services.page_of(page, services.rows_out(schemas.BodyOut, page.items))


@bp.get(f"/bodies/<{ID}:body_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.BodyOut), tags=["bodies"])
def body(body_id: int):
    """Read one body."""
    return services.dump(schemas.BodyOut, found(Body, body_id))


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
    return services.page_of(page, services.rows_out(schemas.MeetingOut, page.items))


@bp.get(f"/meetings/<{ID}:meeting_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.MeetingOut), tags=["meetings"])
def meeting(meeting_id: int):
    """Read one meeting."""
    return services.dump(schemas.MeetingOut, found(Meeting, meeting_id))


# Sources.


@bp.get("/sources")
@spec.validate(resp=answers(422, HTTP_200=schemas.page_model(schemas.SourceOut)), tags=["sources"])
def sources(query: schemas.SourceQuery):
    """List sources, latest first; filter by body, kind and words in the title or dnr."""
    page = list_sources(
        db.get_session(), body_id=query.body, kind=query.kind, query_text=query.q, **size(query)
    )
    return services.page_of(page, services.rows_out(schemas.SourceOut, [r[0] for r in page.items]))


@bp.post("/sources")
@allowed(Action.EDIT_SOURCE)
@spec.validate(resp=answers(403, 422, HTTP_201=schemas.SourceOut), tags=["sources"])
def create_source(json: schemas.SourceIn):
    """Create a source: an audit report, a decision or a plan."""
    source = services.add_source(db.get_session(), json)
    data = services.dump(schemas.SourceOut, source)
    return created(data, "api.source", source_id=source.id)


@bp.get(f"/sources/<{ID}:source_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.SourceOut), tags=["sources"])
def source(source_id: int):
    """Read one source."""
    return services.dump(schemas.SourceOut, found(Source, source_id))


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
    return services.page_of(page, services.recommendations_out(session, rows))


@bp.post("/recommendations")
@allowed(Action.EDIT_RECOMMENDATION)
@spec.validate(resp=answers(403, 422, HTTP_201=schemas.RecommendationOut), tags=["recommendations"])
def create_recommendation(json: schemas.RecommendationIn):
    """Create a recommendation or assignment, with decision references like "RS 170301 § 52"."""
    session = db.get_session()
    recommendation = services.add_recommendation(session, json)
    data = services.recommendations_out(session, [recommendation])[0]
    return created(data, "api.recommendation", recommendation_id=recommendation.id)


@bp.get(f"/recommendations/<{ID}:recommendation_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.RecommendationOut), tags=["recommendations"])
def recommendation(recommendation_id: int):
    """Read one recommendation or assignment with its decision references."""
    row = found(Recommendation, recommendation_id)
    return services.recommendations_out(db.get_session(), [row])[0]


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
    return services.recommendations_out(session, [row])[0]


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
    return services.page_of(page, services.measures_out(session, rows))


@bp.post("/measures")
@allowed(Action.CREATE_MEASURE)
@spec.validate(resp=answers(403, 422, HTTP_201=schemas.MeasureOut), tags=["measures"])
def create_measure(json: schemas.MeasureIn):
    """Create a measure linked to recommendations and indicators."""
    session = db.get_session()
    measure = services.add_measure(session, json)
    data = services.measures_out(session, [measure])[0]
    return created(data, "api.measure", measure_id=measure.id)


@bp.get(f"/measures/<{ID}:measure_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.MeasureOut), tags=["measures"])
def measure(measure_id: int):
    """Read one measure."""
    return services.measures_out(db.get_session(), [found(Measure, measure_id)])[0]


@bp.patch(f"/measures/<{ID}:measure_id>")
@allowed(Action.EDIT_MEASURE, lambda measure_id: found(Measure, measure_id))
@spec.validate(resp=answers(403, 404, 409, 422, HTTP_200=schemas.MeasureOut), tags=["measures"])
def update_measure(measure_id: int, json: schemas.MeasurePatch):
    """Change the fields sent; a moved due date needs due_date_reason; stale answers 409."""
    session = db.get_session()
    row = services.change_measure(session, found(Measure, measure_id), json)
    return services.measures_out(session, [row])[0]


# Status updates: appended, never changed.


@bp.get("/status-updates")
@spec.validate(
    resp=answers(422, HTTP_200=schemas.page_model(schemas.StatusUpdateOut)),
    tags=["status updates"],
)
def status_updates(query: schemas.StatusUpdateQuery):
    """List status updates, newest first; filter by recommendation or measure."""
    rows = select(StatusUpdate).order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
    if query.recommendation:
        rows = rows.where(StatusUpdate.recommendation_id == query.recommendation)
    if query.measure:
        rows = rows.where(StatusUpdate.measure_id == query.measure)
    page = paginate(db.get_session(), rows, **size(query))
    return services.page_of(page, services.rows_out(schemas.StatusUpdateOut, page.items))


@bp.post("/status-updates")
@allowed(Action.POST_UPDATES)
@spec.validate(resp=answers(403, 422, HTTP_201=schemas.StatusUpdateOut), tags=["status updates"])
def create_status_update(json: schemas.StatusUpdateIn):
    """Append a status update to a recommendation or a measure; it sets the item's status."""
    session = db.get_session()
    target = services.status_target(session, json)
    if not can(current_user, Action.POST_UPDATE, target):
        raise ApiProblem(403, _("Your role does not allow this."))
    update = services.add_status_update(session, target, json, current_user)
    data = services.dump(schemas.StatusUpdateOut, update)
    return created(data, "api.status_update", status_update_id=update.id)


@bp.get(f"/status-updates/<{ID}:status_update_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.StatusUpdateOut), tags=["status updates"])
def status_update(status_update_id: int):
    """Read one status update."""
    return services.dump(schemas.StatusUpdateOut, found(StatusUpdate, status_update_id))


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
    return services.page_of(page, services.rows_out(schemas.IndicatorOut, page.items))


@bp.get(f"/indicators/<{ID}:indicator_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.IndicatorOut), tags=["indicators"])
def indicator(indicator_id: int):
    """Read one indicator."""
    return services.dump(schemas.IndicatorOut, found(Indicator, indicator_id))


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
    return services.page_of(page, services.rows_out(schemas.OutcomeOut, page.items))


@bp.post("/outcomes")
@allowed(Action.EDIT_INDICATOR)
@spec.validate(resp=answers(403, 409, 422, HTTP_201=schemas.OutcomeOut), tags=["outcomes"])
def create_outcome(json: schemas.OutcomeIn):
    """Record an outcome; the indicator's threshold rules then make their assignments."""
    outcome = services.add_outcome(db.get_session(), json)
    data = services.dump(schemas.OutcomeOut, outcome)
    return created(data, "api.outcome", outcome_id=outcome.id)


@bp.get(f"/outcomes/<{ID}:outcome_id>")
@spec.validate(resp=answers(404, HTTP_200=schemas.OutcomeOut), tags=["outcomes"])
def outcome(outcome_id: int):
    """Read one outcome."""
    return services.dump(schemas.OutcomeOut, found(Outcome, outcome_id))
