"""The API's work: rows to JSON, lists with paging, and writes through the domain services."""

from datetime import date

from flask_babel import gettext as _
from pydantic import BaseModel
from sqlmodel import Session, select

from tracker.api import schemas
from tracker.api.output import dump, measures_out, recommendations_out
from tracker.api.problems import ApiProblem, invalid
from tracker.date_moves import MoveNeedsReason, refusal_messages
from tracker.editing import ConflictError
from tracker.indicators import rules
from tracker.indicators.services import fulfilment, outcomes
from tracker.measures import choices
from tracker.measures import services as measure_services
from tracker.models import (
    Body,
    DecisionReference,
    Indicator,
    Measure,
    MeasureStatus,
    Meeting,
    Recommendation,
    RecommendationStatus,
    Source,
    StatusUpdate,
    Unit,
    User,
)
from tracker.recommendations import services as recommendation_services
from tracker.sources.services import create_source
from tracker.status_updates import post_status_update

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
    move = _date_move(values)
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
            session,
            recommendation,
            version=version,
            values=values,
            references=references,
            **move,
        )
    except ConflictError as error:
        raise conflict(recommendations_out(session, [error.current])[0]) from None
    except MoveNeedsReason as refusal:
        raise _move_refused(session, refusal) from None
    session.commit()
    return recommendation


def _date_move(values: dict) -> dict:
    return {
        "reason": values.pop("due_date_reason", "") or "",
        "agreed_by": values.pop("due_date_agreed_by", "") or "",
    }


def _move_refused(session: Session, refusal: MoveNeedsReason):
    session.rollback()
    return invalid([(f"due_date_{name}", text) for name, text in refusal_messages(refusal)])


def add_measure(session: Session, payload: schemas.MeasureIn, user: User) -> Measure:
    """Create a measure, its links to recommendations and indicators, from the API."""
    values = payload.model_dump()
    check_references(session, values, MEASURE_LINKS)
    recommendation_ids = values.pop("recommendation_ids")
    _refuse_choices(session, user, None, values.get("owner_id"), recommendation_ids)
    measure = measure_services.create_measure(
        session,
        values=values,
        recommendation_ids=recommendation_ids,
        indicator_ids=values.pop("indicator_ids"),
    )
    session.commit()
    return measure


def _refuse_choices(session, user, measure, owner_id, recommendation_ids) -> None:
    refused = choices.refused_choices(
        session,
        user,
        measure=measure,
        owner_id=owner_id,
        recommendation_ids=recommendation_ids,
    )
    if refused:
        raise invalid(refused)


def change_measure(session: Session, measure: Measure, payload: BaseModel, user: User) -> Measure:
    """Change the fields a PATCH sends; a moved due date needs a reason; stale is a conflict."""
    values = {key: getattr(payload, key) for key in payload.model_fields_set}
    version = values.pop("version")
    move = _date_move(values)
    check_references(session, values, MEASURE_LINKS)
    recommendation_ids = values.pop("recommendation_ids", None)
    if recommendation_ids is None:
        linked = measure_services.linked_recommendations(session, measure.id)
        recommendation_ids = [r.id for r in linked]
    owner_id = values.get("owner_id", measure.owner_id)
    _refuse_choices(session, user, measure, owner_id, recommendation_ids)
    indicator_ids = values.pop("indicator_ids", None)
    try:
        measure_services.update_measure(
            session,
            measure,
            version=version,
            values=values,
            recommendation_ids=recommendation_ids,
            indicator_ids=indicator_ids,
            **move,
        )
    except ConflictError as error:
        raise conflict(measures_out(session, [error.current])[0]) from None
    except MoveNeedsReason as refusal:
        raise _move_refused(session, refusal) from None
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
    period_problem = fulfilment.check_period(indicator, values["period"])
    if period_problem:
        errors.append(("period", period_problem))
    for field, message in fulfilment.check_values(
        indicator, value=values["value"], women=values["women"], men=values["men"]
    ):
        errors.append((field or "value", message))
    if errors:
        raise invalid(errors)
    try:
        outcome = outcomes.create_outcome(session, indicator=indicator, values=values)
    except outcomes.OutcomeExists as error:
        raise ApiProblem(
            409,
            _("There is already an outcome for this period and unit."),
            detail=_("Change that one instead."),
            current=dump(schemas.OutcomeOut, error.existing),
        ) from None
    rules.apply_rules(session, indicator_id=indicator.id, periods={(outcome.year, outcome.period)})
    session.commit()
    return outcome
