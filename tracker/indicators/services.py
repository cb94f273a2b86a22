"""Indicators and outcomes: goal fulfilment, trend, the women/men gap and the units below
target are computed here from the stored outcomes, never typed or stored.

Fulfilment (see docs/decisions/0005-indicator-fulfilment-and-svg-charts.md):
- a number target ("at least 95 %", "at most 7 %"): met on the right side of it, partly met
  within the indicator's margin of it, else not met;
- a direction target ("increase", "decrease"): compared with the same period a year before
  (the baseline stands in when it is that period): met when it moved the right way, partly met
  when it moved the wrong way by no more than the margin, else not met;
- with separate targets for women and men, or no overall value, the overall fulfilment is the
  worse of the two.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, delete, or_, select

from tracker import labels
from tracker.editing import update_row
from tracker.indicators.periods import (
    PERIOD_ORDER,
    format_value,
    period_label,
    period_sort_key,
)
from tracker.models import (
    Indicator,
    Measure,
    MeasureIndicator,
    MeasureUnit,
    Outcome,
    Period,
    Perspective,
    RecommendationMeasure,
    TargetKind,
    Unit,
)

MET = "met"
PARTLY_MET = "partly_met"
NOT_MET = "not_met"
UNKNOWN = "unknown"
_RANK = {NOT_MET: 0, PARTLY_MET: 1, MET: 2}
PERSPECTIVE_ORDER = {code: n for n, code in enumerate(Perspective)}
HIGHER_IS_BETTER = {TargetKind.AT_LEAST, TargetKind.INCREASE}


class OutcomeExists(ValueError):
    """Another outcome has the same indicator, period and unit."""

    def __init__(self, existing: Outcome):
        super().__init__("an outcome for this period and unit exists")
        self.existing = existing


# Pure computations.


@dataclass(frozen=True)
class Values:
    total: float | None
    women: float | None
    men: float | None


@dataclass(frozen=True)
class Trend:
    change: float  # this period minus the same period a year before
    direction: str  # up, down, same
    better: bool | None  # None when unchanged


@dataclass
class OutcomeView:
    """An outcome with what is computed from it."""

    outcome: Outcome
    total: float | None
    previous: Values | None
    fulfilment: str
    women_fulfilment: str | None
    men_fulfilment: str | None
    trend: Trend | None
    women_trend: Trend | None
    men_trend: Trend | None
    gap: float | None  # women minus men

    @property
    def label(self) -> str:
        return period_label(self.outcome.year, self.outcome.period)

    @property
    def sort_key(self) -> tuple[int, int]:
        return period_sort_key(self.outcome.year, self.outcome.period)


def combined(indicator: Indicator, value, women, men) -> float | None:
    """Return the value for everyone; a count without one is the sum of women and men."""
    if value is not None:
        return value
    if indicator.measure_unit == MeasureUnit.COUNT and women is not None and men is not None:
        return women + men
    return None


def values_of(indicator: Indicator, outcome: Outcome) -> Values:
    """Return an outcome's values, with the overall value filled in where it can be."""
    return Values(
        combined(indicator, outcome.value, outcome.women, outcome.men), outcome.women, outcome.men
    )


def judge(
    kind: str, target: float | None, margin: float, value: float | None, previous: float | None
) -> str:
    """Judge one value against a number target or, for a direction, against last year's."""
    if value is None:
        return UNKNOWN
    margin = abs(margin or 0)
    if kind in (TargetKind.AT_LEAST, TargetKind.AT_MOST):
        if target is None:
            return UNKNOWN
        shortfall = target - value if kind == TargetKind.AT_LEAST else value - target
    else:
        if previous is None:
            return UNKNOWN
        # A direction target is met by any move the right way; standing still is not a move.
        gain = value - previous if kind == TargetKind.INCREASE else previous - value
        if gain > 0:
            return MET
        shortfall = -gain if gain < 0 else 0.0
        return PARTLY_MET if margin and shortfall <= margin else NOT_MET
    if shortfall <= 0:
        return MET
    return PARTLY_MET if margin and shortfall <= margin else NOT_MET


def worse(*fulfilments: str | None) -> str:
    """Return the worse of several judged fulfilments; unknown if any is unknown."""
    if not fulfilments or any(f in (None, UNKNOWN) for f in fulfilments):
        return UNKNOWN
    return min(fulfilments, key=_RANK.__getitem__)


def trend(indicator: Indicator, value: float | None, previous: float | None) -> Trend | None:
    """Compare a value with the same period a year before, saying whether that is better."""
    if value is None or previous is None:
        return None
    change = round(value - previous, 6)
    if change == 0:
        return Trend(0.0, "same", None)
    higher_is_better = indicator.target_kind in HIGHER_IS_BETTER
    return Trend(change, "up" if change > 0 else "down", (change > 0) == higher_is_better)


def sex_gap(women: float | None, men: float | None) -> float | None:
    """Return women's value minus men's, or None when one is missing."""
    if women is None or men is None:
        return None
    return round(women - men, 6)


def evaluate(indicator: Indicator, outcome: Outcome, previous: Values | None) -> OutcomeView:
    """Compute an outcome's fulfilment, trend and gap."""
    now = values_of(indicator, outcome)
    before = previous or Values(None, None, None)
    kind, margin = indicator.target_kind, indicator.margin
    overall = judge(kind, indicator.target_value, margin, now.total, before.total)
    women = men = None
    if indicator.split_by_sex:
        women_target = _first(indicator.target_women, indicator.target_value)
        men_target = _first(indicator.target_men, indicator.target_value)
        women = judge(kind, women_target, margin, now.women, before.women)
        men = judge(kind, men_target, margin, now.men, before.men)
        separate = indicator.target_women is not None or indicator.target_men is not None
        if separate and indicator.target_value is not None:
            overall = worse(overall, women, men)
        elif separate or now.total is None:
            overall = worse(women, men)
    return OutcomeView(
        outcome=outcome,
        total=now.total,
        previous=previous,
        fulfilment=overall,
        women_fulfilment=women,
        men_fulfilment=men,
        trend=trend(indicator, now.total, before.total),
        women_trend=trend(indicator, now.women, before.women),
        men_trend=trend(indicator, now.men, before.men),
        gap=sex_gap(now.women, now.men),
    )


def _first(*values):
    return next((value for value in values if value is not None), None)


def previous_values(
    indicator: Indicator, outcome: Outcome, by_key: dict[tuple[int, str, int], Outcome]
) -> Values | None:
    """Return the same period a year before, for the same unit; else a matching baseline."""
    prior = by_key.get((outcome.year - 1, outcome.period, outcome.scope_id))
    if prior is not None:
        return values_of(indicator, prior)
    baseline_scopes = {0, indicator.responsible_unit_id or 0}
    if (
        indicator.baseline_year == outcome.year - 1
        and indicator.baseline_period == outcome.period
        and outcome.scope_id in baseline_scopes
    ):
        b = indicator
        return Values(
            combined(indicator, b.baseline_value, b.baseline_women, b.baseline_men),
            b.baseline_women,
            b.baseline_men,
        )
    return None


def _views(indicator: Indicator, outcomes: list[Outcome]) -> list[OutcomeView]:
    by_key = {(o.year, o.period, o.scope_id): o for o in outcomes}
    views = [evaluate(indicator, o, previous_values(indicator, o, by_key)) for o in outcomes]
    return sorted(views, key=lambda view: view.sort_key)


def followed_periods(indicator: Indicator) -> list[str]:
    """Return the periods an indicator is followed up in."""
    flags = (
        (Period.T1, indicator.follows_t1),
        (Period.T2, indicator.follows_t2),
        (Period.YEAR, indicator.follows_year),
    )
    return [period for period, followed in flags if followed]


def target_text(indicator: Indicator) -> str:
    """Describe the target in words: "At least 95 %", "Increase on the same period..."."""
    kind = labels.label(labels.TARGET_KINDS, indicator.target_kind)
    if indicator.target_kind not in (TargetKind.AT_LEAST, TargetKind.AT_MOST):
        return kind
    unit = indicator.measure_unit
    parts = []
    if indicator.target_value is not None:
        parts.append(format_value(indicator.target_value, unit))
    if indicator.target_women is not None:
        parts.append(_("women %(value)s", value=format_value(indicator.target_women, unit)))
    if indicator.target_men is not None:
        parts.append(_("men %(value)s", value=format_value(indicator.target_men, unit)))
    return f"{kind} {', '.join(parts)}" if parts else kind


def check_values(
    indicator: Indicator, *, value: float | None, women: float | None, men: float | None
) -> list[tuple[str | None, str]]:
    """Return (field, message) pairs for outcome values the indicator cannot take."""
    errors: list[tuple[str | None, str]] = []
    if value is None and women is None and men is None:
        if indicator.split_by_sex:
            errors.append((None, _("Give the outcome for everyone, or for women and men.")))
        else:
            errors.append(("value", _("Give the outcome.")))
        return errors
    if not indicator.split_by_sex:
        for name, number in (("women", women), ("men", men)):
            if number is not None:
                errors.append((name, _("This indicator is not split by women and men.")))
    for name, number in (("value", value), ("women", women), ("men", men)):
        if number is None:
            continue
        if indicator.measure_unit == MeasureUnit.PERCENT and not 0 <= number <= 100:
            errors.append((name, _("A percentage is between 0 and 100.")))
        elif indicator.measure_unit == MeasureUnit.COUNT and (number < 0 or number % 1):
            errors.append((name, _("A count is a whole number, 0 or more.")))
        elif indicator.measure_unit == MeasureUnit.DAYS and number < 0:
            errors.append((name, _("A number of days is 0 or more.")))
    return errors


def check_period(indicator: Indicator, period: str) -> str | None:
    """Return why an indicator cannot have an outcome for a period, or None."""
    if period not in followed_periods(indicator):
        return _(
            "%(code)s is not followed up in %(period)s.",
            code=indicator.code,
            period=labels.label(labels.PERIODS, period),
        )
    return None


# Queries.


@dataclass
class IndicatorStatus:
    indicator: Indicator
    latest: OutcomeView | None


def headline_scope(indicator: Indicator, scopes: set[int]) -> int:
    """Return the scope an indicator is summed up by: overall, else its responsible unit's."""
    if 0 in scopes or not indicator.responsible_unit_id:
        return 0
    return indicator.responsible_unit_id if indicator.responsible_unit_id in scopes else 0


def latest_outcomes(session: Session, indicators: list[Indicator]) -> dict[int, OutcomeView]:
    """Return each indicator's latest headline outcome, computed, in one query.

    The database picks the latest outcome of the headline scope (overall, else the responsible
    unit's) and the same period a year before: two rows per indicator, not every period's.
    """
    if not indicators:
        return {}
    ids = [indicator.id for indicator in indicators]
    period_rank = case(
        {str(period): rank for period, rank in PERIOD_ORDER.items()},
        value=Outcome.period,
        else_=9,
    )
    ranked = (
        select(
            Outcome.id.label("id"),
            func.row_number()
            .over(
                partition_by=Outcome.indicator_id,
                order_by=(
                    case((Outcome.scope_id == 0, 0), else_=1),
                    Outcome.year.desc(),
                    period_rank.desc(),
                ),
            )
            .label("rank"),
        )
        .join(Indicator, Outcome.indicator_id == Indicator.id)
        .where(
            Outcome.indicator_id.in_(ids),
            or_(Outcome.unit_id.is_(None), Outcome.unit_id == Indicator.responsible_unit_id),
        )
        .subquery()
    )
    prior = aliased(Outcome)
    rows = session.exec(
        select(Outcome, prior)
        .join(ranked, and_(ranked.c.id == Outcome.id, ranked.c.rank == 1))
        .join(
            prior,
            and_(
                prior.indicator_id == Outcome.indicator_id,
                prior.year == Outcome.year - 1,
                prior.period == Outcome.period,
                prior.scope_id == Outcome.scope_id,
            ),
            isouter=True,
        )
    ).all()
    by_id = {indicator.id: indicator for indicator in indicators}
    result = {}
    for latest, before in rows:
        indicator = by_id[latest.indicator_id]
        by_key = {(before.year, before.period, before.scope_id): before} if before else {}
        previous = previous_values(indicator, latest, by_key)
        result[indicator.id] = evaluate(indicator, latest, previous)
    return result


def list_indicators(session: Session, *, perspective: str | None = None) -> list[IndicatorStatus]:
    """Return indicators by perspective, objective and name, each with its latest outcome."""
    query = select(Indicator)
    if perspective:
        query = query.where(Indicator.perspective == perspective)
    indicators = sorted(
        session.exec(query),
        key=lambda i: (PERSPECTIVE_ORDER.get(i.perspective, 99), i.objective, i.name),
    )
    latest = latest_outcomes(session, indicators)
    return [IndicatorStatus(indicator, latest.get(indicator.id)) for indicator in indicators]


def indicator_choices(session: Session) -> list[tuple[int, str]]:
    """Return (id, "CODE – name") pairs for a select field."""
    rows = session.exec(
        select(Indicator.id, Indicator.code, Indicator.name).order_by(Indicator.code)
    )
    return [(id_, f"{code} – {name}") for id_, code, name in rows]


def code_taken(session: Session, code: str, *, except_id: int | None = None) -> bool:
    """Tell whether another indicator has this code."""
    query = select(Indicator.id).where(Indicator.code == code.strip())
    if except_id is not None:
        query = query.where(Indicator.id != except_id)
    return session.exec(query).first() is not None


def create_indicator(session: Session, *, values: dict) -> Indicator:
    """Create an indicator."""
    indicator = Indicator(**values)
    session.add(indicator)
    session.flush()
    return indicator


def update_indicator(
    session: Session, indicator: Indicator, *, version: int | None, values: dict
) -> Indicator:
    """Change an indicator; raise ConflictError if someone saved it since it was read."""
    return update_row(session, indicator, version=version, values=values)


def outcome_series(
    session: Session, indicator: Indicator, *, unit_id: int | None = None
) -> list[OutcomeView]:
    """Return an indicator's outcomes overall (or for one unit), oldest period first."""
    query = select(Outcome).where(
        Outcome.indicator_id == indicator.id, Outcome.scope_id == (unit_id or 0)
    )
    return _views(indicator, list(session.exec(query)))


def outcome_scopes(session: Session, indicator: Indicator) -> list[tuple[int | None, str]]:
    """Return the scopes with outcomes: (None, "") for overall first, then units by name."""
    query = (
        select(Outcome.unit_id, Unit.name)
        .join(Unit, Outcome.unit_id == Unit.id, isouter=True)
        .where(Outcome.indicator_id == indicator.id)
        .distinct()
    )
    rows = set(session.exec(query))
    scopes = sorted((row for row in rows if row[0] is not None), key=lambda row: row[1])
    return ([(None, "")] if (None, None) in rows else []) + scopes


def default_scope(session: Session, indicator: Indicator) -> int | None:
    """Return the unit an indicator's page shows first: None (overall) or its own unit."""
    scopes = {unit_id or 0 for unit_id, _name in outcome_scopes(session, indicator)}
    return headline_scope(indicator, scopes) or None


def find_outcome(
    session: Session, *, indicator_id: int, year: int, period: str, unit_id: int | None
) -> Outcome | None:
    """Return the outcome of an indicator for a period and unit, if there is one."""
    return session.exec(
        select(Outcome).where(
            Outcome.indicator_id == indicator_id,
            Outcome.year == year,
            Outcome.period == period,
            Outcome.scope_id == (unit_id or 0),
        )
    ).first()


def _with_scope(values: dict) -> dict:
    return dict(values, scope_id=values.get("unit_id") or 0)


def create_outcome(session: Session, *, indicator: Indicator, values: dict) -> Outcome:
    """Record an outcome; raise OutcomeExists if the period and unit have one already."""
    existing = find_outcome(
        session,
        indicator_id=indicator.id,
        year=values["year"],
        period=values["period"],
        unit_id=values.get("unit_id"),
    )
    if existing:
        raise OutcomeExists(existing)
    outcome = Outcome(indicator_id=indicator.id, **_with_scope(values))
    session.add(outcome)
    session.flush()
    return outcome


def update_outcome(
    session: Session, outcome: Outcome, *, version: int | None, values: dict
) -> Outcome:
    """Change an outcome; refuse a period and unit that another outcome has."""
    existing = find_outcome(
        session,
        indicator_id=outcome.indicator_id,
        year=values.get("year", outcome.year),
        period=values.get("period", outcome.period),
        unit_id=values.get("unit_id", outcome.unit_id),
    )
    if existing and existing.id != outcome.id:
        raise OutcomeExists(existing)
    return update_row(session, outcome, version=version, values=_with_scope(values))


def save_outcome(session: Session, *, indicator: Indicator, values: dict) -> tuple[Outcome, bool]:
    """Record an outcome, replacing the period and unit's earlier one; say if it was new."""
    existing = find_outcome(
        session,
        indicator_id=indicator.id,
        year=values["year"],
        period=values["period"],
        unit_id=values.get("unit_id"),
    )
    if existing is None:
        return create_outcome(session, indicator=indicator, values=values), True
    return update_row(session, existing, version=None, values=_with_scope(values)), False


def delete_outcome(session: Session, outcome: Outcome) -> None:
    """Remove an outcome entered by mistake (the change log keeps its values)."""
    session.delete(outcome)
    session.flush()


@dataclass
class UnitResult:
    unit: Unit
    view: OutcomeView


@dataclass
class UnitsReport:
    year: int
    period: str
    results: list[UnitResult]  # best first
    reaching: int  # units that meet the target
    judged: int  # units whose fulfilment can be judged

    @property
    def below(self) -> list[UnitResult]:
        """Return the units below target (partly met counts as below), worst first."""
        return [r for r in reversed(self.results) if r.view.fulfilment in (NOT_MET, PARTLY_MET)]

    @property
    def label(self) -> str:
        return period_label(self.year, self.period)


def units_report(
    session: Session, indicator: Indicator, *, year: int, period: str, unit_kind: str | None = None
) -> UnitsReport:
    """Return every unit's outcome for a period, best first, and how many reach the target."""
    query = (
        select(Outcome, Unit)
        .join(Unit, Outcome.unit_id == Unit.id)
        .where(
            Outcome.indicator_id == indicator.id,
            Outcome.period == period,
            Outcome.year.in_([year, year - 1]),
        )
    )
    if unit_kind:
        query = query.where(Unit.kind == unit_kind)
    rows = list(session.exec(query))
    by_key = {(o.year, o.period, o.scope_id): o for o, _unit in rows}
    results = [
        UnitResult(unit, evaluate(indicator, o, previous_values(indicator, o, by_key)))
        for o, unit in rows
        if o.year == year
    ]
    higher = indicator.target_kind in HIGHER_IS_BETTER

    def order(result: UnitResult):
        total = result.view.total
        if total is None:
            return (1, 0, result.unit.name)
        return (0, -total if higher else total, result.unit.name)

    results.sort(key=order)
    judged = [r for r in results if r.view.fulfilment != UNKNOWN]
    reaching = sum(1 for r in judged if r.view.fulfilment == MET)
    return UnitsReport(year, period, results, reaching, len(judged))


def unit_periods(session: Session, indicator: Indicator) -> list[tuple[int, str]]:
    """Return the periods that have outcomes for units, newest first."""
    rows = session.exec(
        select(Outcome.year, Outcome.period)
        .where(Outcome.indicator_id == indicator.id, Outcome.unit_id.is_not(None))
        .distinct()
    )
    return sorted(rows, key=lambda row: period_sort_key(*row), reverse=True)


# Links between measures and indicators.


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
    indicators = list(
        session.exec(
            select(Indicator)
            .join(MeasureIndicator, MeasureIndicator.indicator_id == Indicator.id)
            .where(MeasureIndicator.measure_id == measure_id)
            .order_by(Indicator.code)
        )
    )
    latest = latest_outcomes(session, indicators)
    return [IndicatorStatus(indicator, latest.get(indicator.id)) for indicator in indicators]


def measures_for_indicator(session: Session, indicator_id: int) -> list[Measure]:
    """Return the measures that aim to move an indicator."""
    return list(
        session.exec(
            select(Measure)
            .join(MeasureIndicator, MeasureIndicator.measure_id == Measure.id)
            .where(MeasureIndicator.indicator_id == indicator_id)
            .order_by(Measure.due_date.nulls_last(), Measure.id)
        )
    )


def indicators_for_recommendations(
    session: Session, recommendation_ids: list[int]
) -> dict[int, list[IndicatorStatus]]:
    """Return, per recommendation, the indicators its measures aim to move with their latest
    outcome, fulfilment and trend, in two queries whatever the number of recommendations."""
    result: dict[int, list[IndicatorStatus]] = {id_: [] for id_ in recommendation_ids}
    if not recommendation_ids:
        return result
    query = (
        select(RecommendationMeasure.recommendation_id, Indicator)
        .join(MeasureIndicator, MeasureIndicator.measure_id == RecommendationMeasure.measure_id)
        .join(Indicator, Indicator.id == MeasureIndicator.indicator_id)
        .where(RecommendationMeasure.recommendation_id.in_(recommendation_ids))
        .distinct()
    )
    pairs = list(session.exec(query))
    indicators = list({indicator.id: indicator for _id, indicator in pairs}.values())
    latest = latest_outcomes(session, indicators)
    for recommendation_id, indicator in sorted(pairs, key=lambda pair: pair[1].code):
        result[recommendation_id].append(IndicatorStatus(indicator, latest.get(indicator.id)))
    return result
