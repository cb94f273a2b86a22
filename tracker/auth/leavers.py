"""People who leave: their open items, shown to their bodies' secretaries to find a new owner."""

from dataclasses import dataclass

from sqlalchemy import exists, false, literal, union_all
from sqlmodel import Session, select

from tracker.auth.scope import secretary_bodies
from tracker.auth.visibility import measure_visible, of_bodies, visible
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    Measure,
    Recommendation,
    RecommendationMeasure,
    Role,
    Source,
    User,
)

LIMIT = 50


@dataclass
class Orphan:
    kind: str  # "recommendation" or "measure"
    id: int
    title: str
    former_owner: str  # the name of the person who left


def needs_new_owner(session: Session, user) -> list[Orphan]:
    """Return the open items of deactivated people in the secretary's bodies (all, if none)."""
    if user.role not in (Role.ADMIN, Role.SECRETARY):
        return []
    bodies = secretary_bodies(user) if user.role == Role.SECRETARY else frozenset()
    recommendations = (
        select(literal("recommendation"), Recommendation.id, Recommendation.text, User.name)
        .join(User, Recommendation.responsible_id == User.id)
        .join(Source, Recommendation.source_id == Source.id)
        .where(
            User.active == false(),
            Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
            visible(Recommendation.source_id),
        )
    )
    measures = (
        select(literal("measure"), Measure.id, Measure.title, User.name)
        .join(User, Measure.owner_id == User.id)
        .where(
            User.active == false(),
            Measure.status.not_in(CLOSED_MEASURE_STATUSES),
            measure_visible(Measure.id),
        )
    )
    if bodies:
        recommendations = recommendations.where(of_bodies(bodies))
        measures = measures.where(
            exists().where(
                RecommendationMeasure.measure_id == Measure.id,
                RecommendationMeasure.recommendation_id == Recommendation.id,
                Recommendation.source_id == Source.id,
                of_bodies(bodies),
            )
        )
    rows = session.exec(union_all(recommendations, measures).limit(LIMIT)).all()
    return [Orphan(*row) for row in rows]
