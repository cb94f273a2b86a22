"""The API's answers: rows as JSON, with what they carry beyond their columns."""

from collections import defaultdict
from collections.abc import Iterable

from flask import request, url_for
from flask_babel import force_locale
from pydantic import BaseModel
from sqlmodel import Session, SQLModel, select

from tracker import dates
from tracker.api import schemas
from tracker.followup.services.report import deadline_words
from tracker.grades.services import current_grades
from tracker.models import (
    Body,
    DateMove,
    DecisionReference,
    Measure,
    MeasureIndicator,
    Meeting,
    PromisedMeasure,
    Recommendation,
    RecommendationMeasure,
    Response,
    ResponsePosition,
)
from tracker.overdue import item_overdue, measure_overdue
from tracker.paging import Page
from tracker.recommendations import services as recommendation_services


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
    grades = current_grades(session, ids)
    moves = _moves_of(session, DateMove.recommendation_id, ids)
    meeting_ids = {r.due_meeting_id for r in recommendations if r.due_meeting_id}
    held = {}
    if meeting_ids:
        query = select(Meeting.id, Meeting.held_on).where(Meeting.id.in_(meeting_ids))
        held = dict(session.exec(query).all())
    today = dates.today()
    result = []
    for recommendation in recommendations:
        deadline = recommendation.due_date or held.get(recommendation.due_meeting_id)
        result.append(
            dump(
                schemas.RecommendationOut,
                recommendation,
                decision_references=references[recommendation.id],
                answers=answers[recommendation.id],
                deadline=deadline,
                # The documents' words, whatever language the client asks in.
                deadline_words=swedish_words(recommendation),
                deadline_assumed="due_date" in (recommendation.assumed or []),
                overdue=item_overdue(recommendation.status, deadline, today),
                grades=[dump(schemas.GradeOut, row) for row in grades[recommendation.id].values()],
                date_moves=moves[recommendation.id],
            )
        )
    return result


def _moves_of(session: Session, column, ids: list[int]) -> dict[int, list[dict]]:
    """Return the moved deadlines of several items, oldest first, in one query."""
    result: dict[int, list[dict]] = defaultdict(list)
    if ids:
        query = select(DateMove).where(column.in_(ids)).order_by(DateMove.id)
        for move in session.exec(query):
            key = move.recommendation_id or move.measure_id
            result[key].append(dump(schemas.DateMoveOut, move))
    return result


def swedish_words(recommendation: Recommendation) -> str:
    """Return the deadline's words as the region's documents write them: "Årligen"."""
    with force_locale("sv"):
        return deadline_words(recommendation)


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
    moves = _moves_of(session, DateMove.measure_id, ids)
    return [
        dump(
            schemas.MeasureOut,
            measure,
            recommendation_ids=recommendations[measure.id],
            indicator_ids=indicators[measure.id],
            overdue=measure_overdue(measure.status, measure.due_date, today),
            date_moves=moves[measure.id],
        )
        for measure in measures
    ]


def rows_out(model: type[BaseModel], rows: Iterable[SQLModel]) -> list[dict]:
    """Return plain rows in the shape of their output model."""
    return [dump(model, row) for row in rows]
