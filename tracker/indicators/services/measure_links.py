"""Links between measures and indicators: which measures aim to move which indicators."""

from sqlmodel import Session, delete, select

from tracker.auth.visibility import measure_visible
from tracker.indicators.services.queries import IndicatorStatus, outcome_view, with_latest_outcome
from tracker.models import Indicator, Measure, MeasureIndicator, RecommendationMeasure


def measure_indicator_ids(session: Session, measure_id: int) -> list[int]:
    """Return the ids of the indicators a measure aims to move."""
    return list(
        session.exec(
            select(MeasureIndicator.indicator_id).where(MeasureIndicator.measure_id == measure_id)
        )
    )


def set_measure_indicators(session: Session, measure: Measure, indicator_ids: list[int]) -> None:
    """Make the measure name exactly these indicators."""
    wanted = set(indicator_ids)
    current = set(measure_indicator_ids(session, measure.id))
    if current - wanted:
        session.exec(
            delete(MeasureIndicator).where(
                MeasureIndicator.measure_id == measure.id,
                MeasureIndicator.indicator_id.in_(current - wanted),
            )
        )
    for indicator_id in sorted(wanted - current):
        session.add(MeasureIndicator(measure_id=measure.id, indicator_id=indicator_id))
    session.flush()


def indicators_for_measure(session: Session, measure_id: int) -> list[IndicatorStatus]:
    """Return the indicators a measure aims to move, each with its latest outcome."""
    # execute, not exec: SQLModel's exec would give the Indicator alone of each row.
    rows = session.execute(
        with_latest_outcome(
            select(Indicator)
            .join(MeasureIndicator, MeasureIndicator.indicator_id == Indicator.id)
            .where(MeasureIndicator.measure_id == measure_id)
            .order_by(Indicator.code)
        )
    )
    return [
        IndicatorStatus(indicator, outcome_view(indicator, latest, before))
        for indicator, latest, before in rows
    ]


def measures_for_indicator(session: Session, indicator_id: int) -> list[Measure]:
    """Return the measures that aim to move an indicator, those the user may read."""
    return list(
        session.exec(
            select(Measure)
            .join(MeasureIndicator, MeasureIndicator.measure_id == Measure.id)
            .where(MeasureIndicator.indicator_id == indicator_id, measure_visible(Measure.id))
            .order_by(Measure.due_date.nulls_last(), Measure.id)
        )
    )


def indicators_for_recommendations(
    session: Session, recommendation_ids: list[int]
) -> dict[int, list[IndicatorStatus]]:
    """Return, per recommendation, the indicators its measures aim to move with their latest
    outcome, fulfilment and trend, in one query whatever the number of recommendations."""
    result: dict[int, list[IndicatorStatus]] = {id_: [] for id_ in recommendation_ids}
    if not recommendation_ids:
        return result
    query = with_latest_outcome(
        select(RecommendationMeasure.recommendation_id, Indicator)
        .join(MeasureIndicator, MeasureIndicator.measure_id == RecommendationMeasure.measure_id)
        .join(Indicator, Indicator.id == MeasureIndicator.indicator_id)
        .where(RecommendationMeasure.recommendation_id.in_(recommendation_ids))
    )
    # Not DISTINCT in SQL: PostgreSQL cannot compare the JSON column `assumed`. A pair comes
    # twice when two of the item's measures aim at the same indicator.
    pairs = {}
    for id_, indicator, latest, before in session.exec(query):
        pairs[id_, indicator.id] = (id_, indicator, latest, before)
    for recommendation_id, indicator, latest, before in sorted(
        pairs.values(), key=lambda pair: pair[1].code
    ):
        view = outcome_view(indicator, latest, before)
        result[recommendation_id].append(IndicatorStatus(indicator, view))
    return result
