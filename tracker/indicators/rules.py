"""Threshold rules: every unit on the wrong side of a decision's threshold gets an assignment to
describe its measures, owned by the unit's manager, once per rule, period and unit."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker import dates
from tracker.editing import update_row
from tracker.indicators.periods import format_value, period_label, with_locale
from tracker.indicators.services.fulfilment import combined
from tracker.models import (
    Indicator,
    Outcome,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    RuleComparison,
    ThresholdAssignment,
    ThresholdRule,
    Unit,
    utcnow,
)


def crosses(rule: ThresholdRule, value: float | None) -> bool:
    """Tell whether a value is on the side of the threshold that the rule acts on."""
    if value is None:
        return False
    if rule.comparison == RuleComparison.ABOVE:
        return value > rule.threshold
    return value < rule.threshold


def manager_of(session: Session, unit: Unit) -> int | None:
    """Return the unit's manager; without one, the nearest manager up the tree."""
    seen = set()
    current = unit
    while current is not None and current.id not in seen:
        if current.manager_id:
            return current.manager_id
        seen.add(current.id)
        current = session.get(Unit, current.parent_id) if current.parent_id else None
    return None


def assignment_text(
    rule: ThresholdRule, indicator: Indicator, unit: Unit, *, year: int, period: str, value: float
) -> str:
    """Write the assignment: the unit, what the decision asks of it, and its outcome."""
    details = _(
        "%(indicator)s, %(period)s: %(value)s (threshold %(threshold)s).",
        indicator=indicator.name,
        period=period_label(year, period),
        value=format_value(value, indicator.measure_unit),
        threshold=format_value(rule.threshold, indicator.measure_unit),
    )
    return f"{unit.name}: {rule.text.strip()}\n\n{details}"


@with_locale
def apply_rule(
    session: Session, rule: ThresholdRule, *, year: int, period: str, today: date | None = None
) -> list[Recommendation]:
    """Give each unit past the threshold in a period its assignment, unless it has one."""
    if not rule.active:
        return []
    indicator = session.get(Indicator, rule.indicator_id)
    query = (
        select(Outcome, Unit)
        .join(Unit, Outcome.unit_id == Unit.id)
        .where(Outcome.indicator_id == rule.indicator_id, Outcome.year == year)
        .where(Outcome.period == period)
        .order_by(Unit.name)
    )
    if rule.unit_kind:
        query = query.where(Unit.kind == rule.unit_kind)
    done = set(
        session.exec(
            select(ThresholdAssignment.unit_id).where(
                ThresholdAssignment.rule_id == rule.id,
                ThresholdAssignment.year == year,
                ThresholdAssignment.period == period,
            )
        )
    )
    due = (today or dates.today()) + timedelta(days=rule.deadline_days)
    created = []
    for outcome, unit in session.exec(query).all():
        value = combined(indicator, outcome.value, outcome.women, outcome.men)
        if unit.id in done or not crosses(rule, value):
            continue
        text = assignment_text(rule, indicator, unit, year=year, period=period, value=value)
        now = utcnow()
        recommendation = Recommendation(
            source_id=rule.source_id,
            kind=RecommendationKind.ASSIGNMENT,
            text=text,
            theme=rule.theme,
            responsible_id=manager_of(session, unit),
            unit_id=unit.id,
            status=RecommendationStatus.OPEN,
            due_date=due,
            created_at=now,
            updated_at=now,
        )
        try:
            # The unique key on (rule, period, unit) settles a race with a second run.
            with session.begin_nested():
                session.add(recommendation)
                session.flush()
                session.add(
                    ThresholdAssignment(
                        rule_id=rule.id,
                        year=year,
                        period=period,
                        unit_id=unit.id,
                        recommendation_id=recommendation.id,
                        value=value,
                    )
                )
                session.flush()
        except IntegrityError:
            continue
        created.append(recommendation)
    return created


def apply_rules(
    session: Session, *, indicator_id: int, periods: set[tuple[int, str]], today: date | None = None
) -> list[Recommendation]:
    """Apply every active rule of an indicator to periods whose outcomes were just entered."""
    rules = session.exec(
        select(ThresholdRule)
        .where(ThresholdRule.indicator_id == indicator_id, ThresholdRule.active)
        .order_by(ThresholdRule.id)
    ).all()
    created = []
    for rule in rules:
        for year, period in sorted(periods):
            created += apply_rule(session, rule, year=year, period=period, today=today)
    return created


def rules_of(session: Session, indicator_id: int) -> list[ThresholdRule]:
    """Return an indicator's threshold rules."""
    return list(
        session.exec(
            select(ThresholdRule)
            .where(ThresholdRule.indicator_id == indicator_id)
            .order_by(ThresholdRule.id)
        )
    )


@dataclass
class MadeAssignment:
    entry: ThresholdAssignment
    unit_name: str
    recommendation: Recommendation

    @property
    def label(self) -> str:
        return period_label(self.entry.year, self.entry.period)


def assignments_of(session: Session, rule_ids: list[int]) -> dict[int, list[MadeAssignment]]:
    """Return the assignments each rule has made, newest period first, in one query."""
    result: dict[int, list[MadeAssignment]] = {id_: [] for id_ in rule_ids}
    if not rule_ids:
        return result
    query = (
        select(ThresholdAssignment, Unit.name, Recommendation)
        .join(Unit, ThresholdAssignment.unit_id == Unit.id)
        .join(Recommendation, ThresholdAssignment.recommendation_id == Recommendation.id)
        .where(ThresholdAssignment.rule_id.in_(rule_ids))
        .order_by(ThresholdAssignment.year.desc(), ThresholdAssignment.period, Unit.name)
    )
    for entry, unit_name, recommendation in session.exec(query):
        result[entry.rule_id].append(MadeAssignment(entry, unit_name, recommendation))
    return result


def create_rule(session: Session, *, indicator: Indicator, values: dict) -> ThresholdRule:
    """Create a threshold rule on an indicator."""
    rule = ThresholdRule(indicator_id=indicator.id, **values)
    session.add(rule)
    session.flush()
    return rule


def update_rule(
    session: Session, rule: ThresholdRule, *, version: int | None, values: dict
) -> ThresholdRule:
    """Change a rule; assignments it already made stay as they are."""
    return update_row(session, rule, version=version, values=values)
