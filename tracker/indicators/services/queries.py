"""Indicator queries: the latest outcomes, series, scopes and the units report."""

from dataclasses import dataclass
from functools import cache
from math import ceil

from sqlalchemy import and_, case
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from tracker.indicators.periods import PERIOD_ORDER, period_label, period_sort_key
from tracker.indicators.services.fulfilment import (
    HIGHER_IS_BETTER,
    MET,
    NOT_MET,
    PARTLY_MET,
    UNKNOWN,
    OutcomeView,
    _views,
    evaluate,
    previous_values,
)
from tracker.models import Indicator, Outcome, Perspective, Unit
from tracker.paging import Page

PERSPECTIVE_ORDER = {code: n for n, code in enumerate(Perspective)}


@dataclass
class IndicatorStatus:
    indicator: Indicator
    latest: OutcomeView | None


def headline_scope(indicator: Indicator, scopes: set[int]) -> int:
    """Return the scope an indicator is summed up by: overall, else its responsible unit's."""
    if 0 in scopes or not indicator.responsible_unit_id:
        return 0
    return indicator.responsible_unit_id if indicator.responsible_unit_id in scopes else 0


@cache
def _latest_id():
    """Return the id of the latest headline outcome of the query's Indicator row (correlated).

    The headline is the overall scope, else the responsible unit's; per indicator a few dozen
    entries of ix_outcome_latest are read, not every outcome.
    """
    period_rank = case(
        {str(period): rank for period, rank in PERIOD_ORDER.items()},
        value=Outcome.period,
        else_=9,
    )
    return (
        select(Outcome.id)
        .where(
            Outcome.indicator_id == Indicator.id,
            Outcome.scope_id.in_([0, Indicator.responsible_unit_id]),
        )
        .order_by(
            case((Outcome.scope_id == 0, 0), else_=1),
            Outcome.year.desc(),
            period_rank.desc(),
        )
        .limit(1)
        .correlate(Indicator)
        .scalar_subquery()
    )


@cache
def _latest_joins():
    # Built once: a page that lists indicators would otherwise spend more time making this
    # part of its query than the database spends answering it.
    latest = aliased(Outcome, name="latest_outcome")
    prior = aliased(Outcome, name="prior_outcome")
    same_period_before = and_(
        prior.indicator_id == latest.indicator_id,
        prior.year == latest.year - 1,
        prior.period == latest.period,
        prior.scope_id == latest.scope_id,
    )
    return latest, latest.id == _latest_id(), prior, same_period_before


def with_latest_outcome(query):
    """Add to a query of Indicator rows its latest headline outcome and the same period a
    year before (None when missing): the indicators and their outcomes in one query."""
    latest, is_latest, prior, same_period_before = _latest_joins()
    return (
        query.add_columns(latest, prior)
        .outerjoin(latest, is_latest)
        .outerjoin(prior, same_period_before)
    )


def outcome_view(indicator: Indicator, latest: Outcome | None, before: Outcome | None):
    """Return the computed view of an indicator's latest outcome, or None without one."""
    if latest is None:
        return None
    by_key = {(before.year, before.period, before.scope_id): before} if before else {}
    return evaluate(indicator, latest, previous_values(indicator, latest, by_key))


def latest_outcomes(session: Session, indicators: list[Indicator]) -> dict[int, OutcomeView]:
    """Return each indicator's latest headline outcome, computed, in one query.

    The database picks the latest outcome of the headline scope (overall, else the responsible
    unit's) and the same period a year before: two rows per indicator, not every period's.
    """
    if not indicators:
        return {}
    ids = [indicator.id for indicator in indicators]
    latest = select(_latest_id().label("id")).where(Indicator.id.in_(ids)).subquery()
    prior = aliased(Outcome)
    rows = session.exec(
        select(Outcome, prior)
        .join(latest, latest.c.id == Outcome.id)
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
    return {
        latest.indicator_id: outcome_view(by_id[latest.indicator_id], latest, before)
        for latest, before in rows
    }


def indicator_page(session: Session, *, perspective: str | None, page: int, size: int) -> Page:
    """Return one page of indicators in list order, each with its latest outcome."""
    query = select(Indicator)
    if perspective:
        query = query.where(Indicator.perspective == perspective)
    indicators = sorted(
        session.exec(query),
        key=lambda i: (PERSPECTIVE_ORDER.get(i.perspective, 99), i.objective, i.name),
    )
    pages = max(1, ceil(len(indicators) / size))
    number = min(max(1, page), pages)
    shown = indicators[(number - 1) * size : number * size]
    # Only the page's outcomes are read: those are what most of the time goes to.
    latest = latest_outcomes(session, shown)
    items = [IndicatorStatus(indicator, latest.get(indicator.id)) for indicator in shown]
    return Page(items=items, number=number, pages=pages, total=len(indicators))


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
