"""People who leave: their open items, shown to their bodies' secretaries to find a new owner."""

from dataclasses import dataclass

from sqlalchemy import exists, false, literal, or_
from sqlmodel import select

from tracker.auth.visibility import item_visible, measure_visible, of_bodies
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    BodySecretary,
    Measure,
    Recommendation,
    RecommendationMeasure,
    Role,
    Source,
    User,
)

ORPHAN = "orphan_"  # the kinds' prefix in the start page's query


@dataclass
class Orphan:
    kind: str  # "recommendation" or "measure"
    id: int
    title: str
    former_owner: str  # the name of the person who left


def orphan_parts(user) -> list:
    """Return the queries of the open items of deactivated people in the secretary's bodies.

    Each has the start page's columns (kind, id, title, due, status), the former owner's name
    in place of the status, so that the start page reads them in its one query.
    """
    if user.role not in (Role.ADMIN, Role.SECRETARY):
        return []
    recommendations = (
        select(
            literal(ORPHAN + "recommendation"),
            Recommendation.id,
            Recommendation.text,
            literal(None),
            User.name,
        )
        .join(User, Recommendation.responsible_id == User.id)
        .join(Source, Recommendation.source_id == Source.id)
        .where(
            User.active == false(),
            Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
            item_visible(),
        )
    )
    measures = (
        select(literal(ORPHAN + "measure"), Measure.id, Measure.title, literal(None), User.name)
        .join(User, Measure.owner_id == User.id)
        .where(
            User.active == false(),
            Measure.status.not_in(CLOSED_MEASURE_STATUSES),
            measure_visible(Measure.id),
        )
    )
    if user.role == Role.SECRETARY:
        # A secretary of given bodies sees their bodies' (one of no body: everyone's).
        bodies = select(BodySecretary.body_id).where(BodySecretary.user_id == user.id)
        region_wide = ~exists(bodies)
        recommendations = recommendations.where(or_(region_wide, of_bodies(bodies)))
        in_bodies = exists().where(
            RecommendationMeasure.measure_id == Measure.id,
            RecommendationMeasure.recommendation_id == Recommendation.id,
            Recommendation.source_id == Source.id,
            of_bodies(bodies),
        )
        measures = measures.where(or_(region_wide, in_bodies))
    return [recommendations, measures]


def orphans_of(rows) -> tuple[list, list[Orphan]]:
    """Split the start page's rows into the user's own and the orphans."""
    rows = list(rows)  # a result is read once; both lists need it
    own = [row for row in rows if not str(row[0]).startswith(ORPHAN)]
    orphans = [
        Orphan(str(row[0]).removeprefix(ORPHAN), row[1], row[2], row[4])
        for row in rows
        if str(row[0]).startswith(ORPHAN)
    ]
    return own, orphans
