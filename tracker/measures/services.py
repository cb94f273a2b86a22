"""Measures: listing, editing with a reason for a moved due date, links to recommendations."""

from dataclasses import dataclass

from sqlmodel import Session, exists, select

from tracker import dates
from tracker.auth.visibility import item_visible, measure_visible
from tracker.changelog import set_reason
from tracker.date_moves import record_move
from tracker.editing import update_row
from tracker.indicators.services.measure_links import set_measure_indicators
from tracker.models import (
    Measure,
    Recommendation,
    RecommendationMeasure,
    Unit,
    User,
)
from tracker.overdue import measure_overdue, measure_overdue_sql
from tracker.paging import Page, paginate


@dataclass
class MeasureRow:
    measure: Measure
    owner_name: str | None
    unit_name: str | None
    overdue: bool


def list_measures(
    session: Session,
    *,
    status: str | None = None,
    owner_id: int | None = None,
    unit_id: int | None = None,
    theme: str | None = None,
    source_id: int | None = None,
    overdue: bool = False,
    page: int = 1,
    size: int = 50,
) -> Page:
    """Return a page of measures with owner and unit, soonest due first.

    The page's ids are found first from narrow rows; only those 50 are read in full.
    """
    order = (Measure.due_date.nulls_last(), Measure.id)
    query = select(Measure.id).order_by(*order).where(measure_visible(Measure.id))
    for column, value in (
        (Measure.status, status),
        (Measure.owner_id, owner_id),
        (Measure.unit_id, unit_id),
        (Measure.theme, theme),
    ):
        if value:
            query = query.where(column == value)
    if source_id:
        query = query.where(
            exists().where(
                RecommendationMeasure.measure_id == Measure.id,
                RecommendationMeasure.recommendation_id == Recommendation.id,
                Recommendation.source_id == source_id,
            )
        )
    today = dates.today()
    if overdue:
        query = query.where(measure_overdue_sql(Measure.status, Measure.due_date, today))
    result = paginate(session, query, page=page, size=size)
    rows = session.exec(
        select(Measure, User.name, Unit.name)
        .join(User, Measure.owner_id == User.id, isouter=True)
        .join(Unit, Measure.unit_id == Unit.id, isouter=True)
        .where(Measure.id.in_(result.items))
        .order_by(*order)
    ).all()
    result.items = [
        MeasureRow(measure, owner, unit, measure_overdue(measure.status, measure.due_date, today))
        for measure, owner, unit in rows
    ]
    return result


def themes(session: Session) -> list[str]:
    """Return the themes and perspectives measures use, sorted."""
    return sorted(session.exec(select(Measure.theme).where(Measure.theme != "").distinct()))


def linked_recommendations(
    session: Session, measure_id: int, *, readable: bool = False
) -> list[Recommendation]:
    """Return the recommendations a measure answers (readable: those the user may read)."""
    query = (
        select(Recommendation)
        .join(RecommendationMeasure, RecommendationMeasure.recommendation_id == Recommendation.id)
        .where(RecommendationMeasure.measure_id == measure_id)
        .order_by(Recommendation.id)
    )
    if readable:
        # A measure may answer items of several units: the page names only those the user reads.
        query = query.where(item_visible())
    return list(session.exec(query))


def linked_recommendation_ids(session: Session, measure_id: int) -> list[int]:
    """Return the ids of the recommendations a measure answers."""
    return list(
        session.exec(
            select(RecommendationMeasure.recommendation_id).where(
                RecommendationMeasure.measure_id == measure_id
            )
        )
    )


def measures_answering(
    session: Session, recommendation_ids: list[int], *, limit: int
) -> list[tuple[Measure, str | None]]:
    """Return the measures (with their owner's name) that answer any of these items, once each."""
    if not recommendation_ids:
        return []
    answering = exists().where(
        RecommendationMeasure.measure_id == Measure.id,
        RecommendationMeasure.recommendation_id.in_(recommendation_ids),
    )
    query = (
        select(Measure, User.name)
        .join(User, Measure.owner_id == User.id, isouter=True)
        .where(answering, measure_visible(Measure.id))
        .order_by(Measure.due_date.nulls_last(), Measure.id)
        .limit(limit)
    )
    return list(session.exec(query))


def set_links(session: Session, measure: Measure, recommendation_ids: list[int]) -> None:
    """Make the measure answer exactly these recommendations."""
    current = session.exec(
        select(RecommendationMeasure).where(RecommendationMeasure.measure_id == measure.id)
    ).all()
    wanted = set(recommendation_ids)
    for link in current:
        if link.recommendation_id in wanted:
            wanted.discard(link.recommendation_id)
        else:
            session.delete(link)
    for recommendation_id in sorted(wanted):
        session.add(
            RecommendationMeasure(recommendation_id=recommendation_id, measure_id=measure.id)
        )
    session.flush()


def create_measure(
    session: Session,
    *,
    values: dict,
    recommendation_ids: list[int],
    indicator_ids: list[int] | None = None,
) -> Measure:
    """Create a measure linked to recommendations and to the indicators it aims to move."""
    measure = Measure(**values)
    session.add(measure)
    session.flush()
    set_links(session, measure, recommendation_ids)
    if indicator_ids is not None:
        set_measure_indicators(session, measure, indicator_ids)
    return measure


def update_measure(
    session: Session,
    measure: Measure,
    *,
    version: int | None,
    values: dict,
    recommendation_ids: list[int],
    indicator_ids: list[int] | None = None,
    reason: str = "",
    agreed_by: str = "",
) -> Measure:
    """Change a measure and its links; a moved due date needs a reason (MoveNeedsReason)."""
    if version is None or measure.version == version:
        move = record_move(
            session,
            measure,
            old=measure.due_date,
            new=values.get("due_date", measure.due_date),
            reason=reason,
            agreed_by=agreed_by,
            user_id=session.info.get("actor_id"),
        )
        if move:
            set_reason(session, f"{move.reason} ({move.agreed_by})")
    update_row(session, measure, version=version, values=values)
    set_links(session, measure, recommendation_ids)
    if indicator_ids is not None:  # None: a PATCH that leaves the indicators as they are
        set_measure_indicators(session, measure, indicator_ids)
    return measure
