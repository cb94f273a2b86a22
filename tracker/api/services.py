"""The API's work: rows to JSON, lists with paging, and writes through the domain services."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from flask import request, url_for
from flask_babel import gettext as _
from pydantic import BaseModel
from sqlmodel import Session, SQLModel, select

from tracker import dates
from tracker.api import schemas
from tracker.api.problems import ApiProblem, invalid
from tracker.editing import ConflictError
from tracker.indicators import rules
from tracker.indicators import services as indicator_services
from tracker.measures import services as measure_services
from tracker.models import (
    NOT_DUE_STATUSES,
    Body,
    DecisionReference,
    Indicator,
    Measure,
    MeasureIndicator,
    MeasureStatus,
    Meeting,
    PromisedMeasure,
    Recommendation,
    RecommendationMeasure,
    RecommendationStatus,
    Response,
    ResponsePosition,
    Source,
    StatusUpdate,
    Unit,
    User,
)
from tracker.paging import Page
from tracker.recommendations import services as recommendation_services
from tracker.sources.services import create_source
from tracker.status_updates import post_status_update


def dump(model: type[BaseModel], row: SQLModel, **extra) -> dict:
    """Return a row as JSON-ready data in the shape of its output model."""
    return model.model_validate(row.model_dump() | extra).model_dump(mode="json")


def page_of(page: Page, items: list[dict]) -> dict:
    """Return one page of items with the total and the next page's URL."""
    following = None
    if page.number < page.pages:
        args = request.args.to_dict() | {"page": page.number + 1}
        following = url_for(request.endpoint, **(request.view_args or {}), **args)
    return {
        "items": items,
        "total": page.total,
        "page": page.number,
        "pages": page.pages,
        "next": following,
    }


# Rows with what they carry beyond their columns, a constant number of queries per page.


def recommendations_out(session: Session, recommendations: list[Recommendation]) -> list[dict]:
    """Return recommendations with their decision references, deadline and overdue flag."""
    ids = [r.id for r in recommendations]
    references: dict[int, list[dict]] = defaultdict(list)
    if ids:
        query = (
            select(DecisionReference, Body.code)
            .join(Body, DecisionReference.body_id == Body.id)
            .where(DecisionReference.recommendation_id.in_(ids))
            .order_by(DecisionReference.decided_on, DecisionReference.id)
        )
        for reference, code in session.exec(query):
            references[reference.recommendation_id].append(
                {
                    "body_id": reference.body_id,
                    "body_code": code,
                    "decided_on": reference.decided_on,
                    "paragraph": reference.paragraph,
                    "dnr": reference.dnr,
                    "text": recommendation_services.with_dnr(
                        recommendation_services.format_reference(
                            code, reference.decided_on, reference.paragraph
                        ),
                        reference.dnr,
                    ),
                }
            )
    answers = _answers_of(session, ids)
    meeting_ids = {r.due_meeting_id for r in recommendations if r.due_meeting_id}
    held = {}
    if meeting_ids:
        query = select(Meeting.id, Meeting.held_on).where(Meeting.id.in_(meeting_ids))
        held = dict(session.exec(query).all())
    today = dates.today()
    result = []
    for recommendation in recommendations:
        deadline = recommendation.due_date or held.get(recommendation.due_meeting_id)
        overdue = bool(
            deadline and deadline < today and recommendation.status not in NOT_DUE_STATUSES
        )
        result.append(
            dump(
                schemas.RecommendationOut,
                recommendation,
                decision_references=references[recommendation.id],
                answers=answers[recommendation.id],
                deadline=deadline,
                overdue=overdue,
            )
        )
    return result


def _answers_of(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    """Return the board's answers to each recommendation, with promised measures: one query."""
    answers: dict[int, list[dict]] = defaultdict(list)
    if not ids:
        return answers
    query = (
        select(ResponsePosition, Response.body_id, Response.status, PromisedMeasure.measure_id)
        .join(Response, ResponsePosition.response_id == Response.id)
        .join(PromisedMeasure, PromisedMeasure.position_id == ResponsePosition.id, isouter=True)
        .where(ResponsePosition.recommendation_id.in_(ids))
        .order_by(Response.body_id, ResponsePosition.id, PromisedMeasure.measure_id)
    )
    by_position: dict[int, dict] = {}
    for position, body_id, status, measure_id in session.exec(query):
        answer = by_position.get(position.id)
        if answer is None:
            answer = by_position[position.id] = {
                "body_id": body_id,
                "response_id": position.response_id,
                "response_status": status,
                "position": position.position,
                "answer": position.answer,
                "measure_ids": [],
            }
            answers[position.recommendation_id].append(answer)
        if measure_id is not None:
            answer["measure_ids"].append(measure_id)
    return answers


def measures_out(session: Session, measures: list[Measure]) -> list[dict]:
    """Return measures with the recommendations they answer and the indicators they aim at."""
    ids = [m.id for m in measures]
    recommendations: dict[int, list[int]] = defaultdict(list)
    indicators: dict[int, list[int]] = defaultdict(list)
    if ids:
        links = select(RecommendationMeasure).where(RecommendationMeasure.measure_id.in_(ids))
        for link in session.exec(links.order_by(RecommendationMeasure.recommendation_id)):
            recommendations[link.measure_id].append(link.recommendation_id)
        aims = select(MeasureIndicator).where(MeasureIndicator.measure_id.in_(ids))
        for aim in session.exec(aims.order_by(MeasureIndicator.indicator_id)):
            indicators[aim.measure_id].append(aim.indicator_id)
    today = dates.today()
    return [
        dump(
            schemas.MeasureOut,
            measure,
            recommendation_ids=recommendations[measure.id],
            indicator_ids=indicators[measure.id],
            overdue=measure_services.is_overdue(measure, today),
        )
        for measure in measures
    ]


def rows_out(model: type[BaseModel], rows: Iterable[SQLModel]) -> list[dict]:
    """Return plain rows in the shape of their output model."""
    return [dump(model, row) for row in rows]


# Checks shared by the writes.


def check_references(session: Session, values: dict, tables: dict[str, type]) -> None:
    """Refuse ids that point at no row, naming each such field."""
    errors = []
    for field, table in tables.items():
        value = values.get(field)
        wanted = value if isinstance(value, list) else [value] if value else []
        for position, id_ in enumerate(wanted):
            if session.get(table, id_) is None:
                name = f"{field}.{position}" if isinstance(value, list) else field
                errors.append((name, _("There is no such row: %(id)s.", id=id_)))
    if errors:
        raise invalid(errors)


def read_decision_references(session: Session, lines: list[str]) -> list[tuple[int, date, str]]:
    """Read decision references like "RS 170301 § 52"; refuse the ones that cannot be read."""
    parsed = []
    errors = []
    for position, line in enumerate(lines):
        found, bad = recommendation_services.read_references(session, line)
        if bad or not found:
            errors.append(
                (
                    f"decision_references.{position}",
                    _("Write a decision reference like RS 170301 § 52, with a known body."),
                )
            )
        parsed.extend(reference for reference in found if reference not in parsed)
    if errors:
        raise invalid(errors)
    return parsed


def conflict(current: dict) -> ApiProblem:
    """Return the 409 problem carrying the row as it is saved now."""
    return ApiProblem(
        409,
        _("Someone else saved this meanwhile."),
        detail=_("Read the current row, apply your change to it and send it with its version."),
        current=current,
    )


# Writes.

RECOMMENDATION_LINKS = {
    "source_id": Source,
    "responsible_id": User,
    "unit_id": Unit,
    "due_meeting_id": Meeting,
}
MEASURE_LINKS = {
    "owner_id": User,
    "unit_id": Unit,
    "recommendation_ids": Recommendation,
    "indicator_ids": Indicator,
}


def add_source(session: Session, payload: schemas.SourceIn) -> Source:
    """Create a source from the API."""
    values = payload.model_dump()
    check_references(
        session, values, {"issuer_id": Body, "addressee_id": Body, "meeting_id": Meeting}
    )
    source = create_source(session, **values)
    session.commit()
    return source


def add_recommendation(session: Session, payload: schemas.RecommendationIn) -> Recommendation:
    """Create a recommendation with its decision references from the API."""
    values = payload.model_dump()
    check_references(session, values, RECOMMENDATION_LINKS)
    references = read_decision_references(session, values.pop("decision_references"))
    recommendation = recommendation_services.create_recommendation(
        session, values=values, references=references
    )
    session.commit()
    return recommendation


def change_recommendation(
    session: Session, recommendation: Recommendation, payload: BaseModel
) -> Recommendation:
    """Change the fields a PATCH sends; a stale version is a conflict."""
    values = {key: getattr(payload, key) for key in payload.model_fields_set}
    version = values.pop("version")
    check_references(session, values, RECOMMENDATION_LINKS)
    lines = values.pop("decision_references", None)
    if lines is None:
        current = session.exec(
            select(DecisionReference).where(
                DecisionReference.recommendation_id == recommendation.id
            )
        )
        references = [(r.body_id, r.decided_on, r.paragraph) for r in current]
    else:
        references = read_decision_references(session, lines)
    try:
        recommendation_services.update_recommendation(
            session, recommendation, version=version, values=values, references=references
        )
    except ConflictError as error:
        raise conflict(recommendations_out(session, [error.current])[0]) from None
    session.commit()
    return recommendation


def add_measure(session: Session, payload: schemas.MeasureIn) -> Measure:
    """Create a measure, its links to recommendations and indicators, from the API."""
    values = payload.model_dump()
    check_references(session, values, MEASURE_LINKS)
    recommendation_ids = values.pop("recommendation_ids")
    indicator_ids = values.pop("indicator_ids")
    measure = measure_services.create_measure(
        session, values=values, recommendation_ids=recommendation_ids
    )
    indicator_services.set_measure_indicators(session, measure, indicator_ids)
    session.commit()
    return measure


def change_measure(session: Session, measure: Measure, payload: BaseModel) -> Measure:
    """Change the fields a PATCH sends; a moved due date needs a reason; stale is a conflict."""
    values = {key: getattr(payload, key) for key in payload.model_fields_set}
    version = values.pop("version")
    reason = values.pop("due_date_reason", "") or ""
    check_references(session, values, MEASURE_LINKS)
    recommendation_ids = values.pop("recommendation_ids", None)
    if recommendation_ids is None:
        linked = measure_services.linked_recommendations(session, measure.id)
        recommendation_ids = [r.id for r in linked]
    indicator_ids = values.pop("indicator_ids", None)
    try:
        measure_services.update_measure(
            session,
            measure,
            version=version,
            values=values,
            recommendation_ids=recommendation_ids,
            reason=reason,
        )
    except ConflictError as error:
        raise conflict(measures_out(session, [error.current])[0]) from None
    except measure_services.ReasonRequired:
        session.rollback()
        raise invalid([("due_date_reason", _("Say why the due date moves."))]) from None
    if indicator_ids is not None:
        indicator_services.set_measure_indicators(session, measure, indicator_ids)
    session.commit()
    return measure


def status_target(session: Session, payload: schemas.StatusUpdateIn) -> Recommendation | Measure:
    """Return what a status update is for; refuse none, both or an unknown one."""
    if (payload.recommendation_id is None) == (payload.measure_id is None):
        message = _("Give either recommendation_id or measure_id.")
        raise invalid([("recommendation_id", message), ("measure_id", message)])
    if payload.measure_id is not None:
        target = session.get(Measure, payload.measure_id)
        field = "measure_id"
    else:
        target = session.get(Recommendation, payload.recommendation_id)
        field = "recommendation_id"
    if target is None:
        raise invalid([(field, _("There is no such row: %(id)s.", id=getattr(payload, field)))])
    return target


def add_status_update(
    session: Session, target: Recommendation | Measure, payload: schemas.StatusUpdateIn, author
) -> StatusUpdate:
    """Append a status update to its target, as the status-update form does."""
    statuses = set(MeasureStatus) if isinstance(target, Measure) else set(RecommendationStatus)
    errors = []
    if payload.status not in statuses:
        errors.append(("status", _("This status does not apply to the item.")))
    if payload.judgement is not None and not isinstance(target, Measure):
        errors.append(("judgement", _("Only measures are judged.")))
    if errors:
        raise invalid(errors)
    update = post_status_update(
        session,
        target,
        author=author,
        text=payload.text,
        status=payload.status,
        judgement=payload.judgement,
        reported_on=payload.reported_on,
    )
    session.commit()
    return update


def add_outcome(session: Session, payload: schemas.OutcomeIn):
    """Record an outcome as the outcome form does, then apply the indicator's threshold rules."""
    values = payload.model_dump()
    check_references(session, values, {"indicator_id": Indicator, "unit_id": Unit})
    indicator = session.get(Indicator, values.pop("indicator_id"))
    errors = []
    period_problem = indicator_services.check_period(indicator, values["period"])
    if period_problem:
        errors.append(("period", period_problem))
    for field, message in indicator_services.check_values(
        indicator, value=values["value"], women=values["women"], men=values["men"]
    ):
        errors.append((field or "value", message))
    if errors:
        raise invalid(errors)
    try:
        outcome = indicator_services.create_outcome(session, indicator=indicator, values=values)
    except indicator_services.OutcomeExists as error:
        raise ApiProblem(
            409,
            _("There is already an outcome for this period and unit."),
            detail=_("Change that one instead."),
            current=dump(schemas.OutcomeOut, error.existing),
        ) from None
    rules.apply_rules(session, indicator_id=indicator.id, periods={(outcome.year, outcome.period)})
    session.commit()
    return outcome
