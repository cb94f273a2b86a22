"""What a response says on each recommendation: its position and the measures linked."""

from dataclasses import dataclass, field

from sqlmodel import Session, select

from tracker.models import (
    Measure,
    MeasureStatus,
    PromisedMeasure,
    Recommendation,
    RecommendationMeasure,
    Response,
    ResponsePosition,
    User,
)


@dataclass
class Promised:
    measure: Measure
    owner: str
    promised: bool = True  # False: already linked to the recommendation, not promised here


@dataclass
class Answer:
    recommendation: Recommendation
    position: ResponsePosition | None
    measures: list[Promised] = field(default_factory=list)


def answers_of(session: Session, response: Response) -> list[Answer]:
    """Return every recommendation of the report with the position and its measures.

    The measures are every one linked to the recommendation: those this answer promises and
    those already running; a cancelled one is left out.
    """
    recommendations = session.exec(
        select(Recommendation)
        .where(Recommendation.source_id == response.source_id)
        .order_by(Recommendation.id)
    ).all()
    positions = {
        row.recommendation_id: row
        for row in session.exec(
            select(ResponsePosition).where(ResponsePosition.response_id == response.id)
        )
    }
    promised_ids = set()
    if positions:
        promised_ids = set(
            session.exec(
                select(PromisedMeasure.measure_id).where(
                    PromisedMeasure.position_id.in_([row.id for row in positions.values()])
                )
            )
        )
    linked: dict[int, list[Promised]] = {}
    if recommendations:
        rows = session.exec(
            select(RecommendationMeasure.recommendation_id, Measure, User.name)
            .join(Measure, RecommendationMeasure.measure_id == Measure.id)
            .join(User, Measure.owner_id == User.id, isouter=True)
            .where(
                RecommendationMeasure.recommendation_id.in_([r.id for r in recommendations]),
                Measure.status != MeasureStatus.CANCELLED,
            )
            .order_by(Measure.due_date, Measure.id)
        )
        for recommendation_id, measure, owner in rows:
            linked.setdefault(recommendation_id, []).append(
                Promised(measure, owner or "", measure.id in promised_ids)
            )
    return [
        Answer(recommendation, positions.get(recommendation.id), linked.get(recommendation.id, []))
        for recommendation in recommendations
    ]
