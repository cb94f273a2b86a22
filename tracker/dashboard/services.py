"""Figures for the start page, each from a fixed number of aggregate queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, literal, union_all
from sqlmodel import Session, func, select

from tracker.auth.leavers import orphans_of
from tracker.auth.visibility import item_visible, measure_visible, visible
from tracker.indicators.periods import format_value
from tracker.indicators.services.fulfilment import NOT_MET, PARTLY_MET, target_text
from tracker.indicators.services.queries import latest_outcomes
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    DUE_STATUSES,
    OPEN_MEASURE_STATUSES,
    Body,
    Indicator,
    Measure,
    Meeting,
    Recommendation,
    RecommendationStatus,
    Source,
    SourceAddressee,
    Unit,
)
from tracker.recommendations.services import deadline_column

SOON_DAYS = 30
TOP_SOURCES = 10


@dataclass
class DueItem:
    """A measure, recommendation or audit report response with a deadline."""

    kind: str  # "measure", "recommendation" or "source"
    id: int
    title: str
    deadline: date
    status: str | None
    overdue: bool


@dataclass
class StatusTable:
    """Counts of recommendations by status, one row per body or source."""

    statuses: list[str]  # the columns, in lifecycle order
    rows: list[tuple[int | None, str, dict[str, int]]]  # (id, name, counts by status)

    def total(self, counts: dict[str, int]) -> int:
        return sum(counts.values())


@dataclass
class UnitOverdue:
    unit_id: int | None
    unit_name: str
    measures: int
    recommendations: int

    @property
    def total(self) -> int:
        return self.measures + self.recommendations


@dataclass
class UpcomingMeeting:
    meeting: Meeting
    body_name: str
    items_due: int  # recommendations to report back at this meeting


@dataclass
class MissedTarget:
    """An indicator whose latest outcome missed its target (filled when indicators land)."""

    name: str
    unit_name: str
    period: str
    target: str
    outcome: str
    url: str


@dataclass
class Mine:
    """What the signed-in user owns or answers for, and what of it is due soon."""

    open_measures: int = 0
    open_recommendations: int = 0
    overdue: int = 0
    due_soon: list[DueItem] = field(default_factory=list)  # overdue or due within SOON_DAYS
    # Open items of people who left, for a secretary to give a new owner (tracker/auth/leavers.py).
    orphans: list = field(default_factory=list)


def mine(session: Session, *, user_id: int, today: date, also=()) -> Mine:
    """Return the user's open items, and those overdue or due within SOON_DAYS, soonest first."""
    horizon = today + timedelta(days=SOON_DAYS)
    result = Mine()
    measures = select(
        literal("measure").label("kind"),
        Measure.id.label("id"),
        Measure.title.label("title"),
        Measure.due_date.label("due"),
        Measure.status.label("status"),
    ).where(
        Measure.owner_id == user_id,
        Measure.status.not_in(CLOSED_MEASURE_STATUSES),
        measure_visible(Measure.id),
    )
    due_meeting, deadline = deadline_column()
    recommendations = (
        select(
            literal("recommendation").label("kind"),
            Recommendation.id.label("id"),
            Recommendation.text.label("title"),
            deadline.label("due"),
            Recommendation.status.label("status"),
        )
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .where(
            Recommendation.responsible_id == user_id,
            Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
        )
    )
    # One query for both kinds (and the orphans): the start page's query count stays small.
    rows, result.orphans = orphans_of(session.exec(union_all(measures, recommendations, *also)))
    result.open_measures = sum(1 for row in rows if row[0] == "measure")
    result.open_recommendations = len(rows) - result.open_measures
    for kind, id_, title, due, status in rows:
        if due is not None and due <= horizon:
            result.due_soon.append(DueItem(kind, id_, title, due, status, due < today))
    result.overdue = sum(item.overdue for item in result.due_soon)
    result.due_soon.sort(key=lambda item: (item.deadline, item.kind, item.id))
    return result


STATUS_ORDER = [str(status) for status in RecommendationStatus]


def _status_table(rows) -> StatusTable:
    table: dict[int | None, tuple[str, dict[str, int]]] = {}
    for id_, name, status, count in rows:
        table.setdefault(id_, (name or "", {}))[1][status] = count
    used = {status for _name, counts in table.values() for status in counts}
    statuses = [status for status in STATUS_ORDER if status in used]
    statuses += sorted(used - set(statuses))
    return StatusTable(statuses, [(id_, name, counts) for id_, (name, counts) in table.items()])


def status_by_body(session: Session) -> StatusTable:
    """Count recommendations by status for each body that must act on them.

    That is the source's addressee, else its issuer (a board's own decision).
    """
    # Once per addressee: each body a report is addressed to must act on it.
    body_id = func.coalesce(SourceAddressee.body_id, Source.addressee_id, Source.issuer_id)
    rows = session.exec(
        select(body_id, Body.name, Recommendation.status, func.count())
        .join(Source, Recommendation.source_id == Source.id)
        .join(SourceAddressee, SourceAddressee.source_id == Source.id, isouter=True)
        .join(Body, Body.id == body_id, isouter=True)
        .where(item_visible())
        .group_by(body_id, Body.name, Recommendation.status)
    ).all()
    table = _status_table(rows)
    table.rows.sort(key=lambda row: (row[0] is None, row[1]))
    return table


def status_by_source(session: Session, *, limit: int = TOP_SOURCES) -> tuple[StatusTable, int]:
    """Count recommendations by status for the sources with most open ones, and the sources."""
    rows = session.exec(
        select(Source.id, Source.title, Recommendation.status, func.count())
        .join(Source, Recommendation.source_id == Source.id)
        .where(item_visible())
        .group_by(Source.id, Source.title, Recommendation.status)
    ).all()
    table = _status_table(rows)
    closed = {str(status) for status in CLOSED_RECOMMENDATION_STATUSES}

    def still_open(row) -> int:
        return sum(n for status, n in row[2].items() if status not in closed)

    table.rows.sort(key=lambda row: (-still_open(row), row[1]))
    total = len(table.rows)
    table.rows = table.rows[:limit]
    return table, total


def overdue_by_unit(session: Session, *, today: date) -> list[UnitOverdue]:
    """Count overdue measures and recommendations per unit, most overdue first, in one query."""
    due_meeting, deadline = deadline_column()
    measures = select(
        Measure.unit_id.label("unit_id"),
        literal("measure").label("kind"),
        func.count().label("n"),
    ).where(
        Measure.due_date < today,
        Measure.status.in_(OPEN_MEASURE_STATUSES),
        measure_visible(Measure.id),
    )
    recommendations = (
        select(
            Recommendation.unit_id.label("unit_id"),
            literal("recommendation").label("kind"),
            func.count().label("n"),
        )
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .where(
            deadline < today,
            Recommendation.status.in_(DUE_STATUSES),
            item_visible(),
        )
    )
    counts = union_all(
        measures.group_by(Measure.unit_id), recommendations.group_by(Recommendation.unit_id)
    ).subquery()
    rows = session.exec(
        select(counts.c.unit_id, Unit.name, counts.c.kind, counts.c.n).join(
            Unit, counts.c.unit_id == Unit.id, isouter=True
        )
    ).all()
    units: dict[int | None, UnitOverdue] = {}
    for unit_id, name, kind, count in rows:
        row = units.setdefault(unit_id, UnitOverdue(unit_id, name or "", 0, 0))
        if kind == "measure":
            row.measures = count
        else:
            row.recommendations = count
    return sorted(units.values(), key=lambda row: (-row.total, row.unit_id is None, row.unit_name))


def upcoming_deadlines(session: Session, *, today: date, days: int = SOON_DAYS) -> list[DueItem]:
    """Return every open item due from today to `days` ahead, soonest first, in one query.

    Each part is a range on an indexed date column, so that it reads only the rows due.
    """
    horizon = today + timedelta(days=days)
    open_recommendation = and_(
        Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
        item_visible(),
    )
    # A recommendation is due by its own date, else by its meeting's: two indexed ranges.
    by_date = select(
        literal("recommendation").label("kind"),
        Recommendation.id,
        Recommendation.text.label("title"),
        Recommendation.due_date.label("deadline"),
        Recommendation.status,
    ).where(Recommendation.due_date.between(today, horizon), open_recommendation)
    by_meeting = (
        select(
            literal("recommendation"),
            Recommendation.id,
            Recommendation.text,
            Meeting.held_on,
            Recommendation.status,
        )
        .join(Meeting, Recommendation.due_meeting_id == Meeting.id)
        .where(
            Recommendation.due_date.is_(None),
            Meeting.held_on.between(today, horizon),
            open_recommendation,
        )
    )
    measures = select(
        literal("measure"), Measure.id, Measure.title, Measure.due_date, Measure.status
    ).where(
        Measure.due_date.between(today, horizon),
        Measure.status.not_in(CLOSED_MEASURE_STATUSES),
        measure_visible(Measure.id),
    )
    # An audit report's answer to the auditors ("yttrande senast") is a deadline too.
    sources = select(
        literal("source"), Source.id, Source.title, Source.response_due, literal(None)
    ).where(Source.response_due.between(today, horizon), visible(Source.id))
    rows = session.exec(union_all(by_date, by_meeting, measures, sources)).all()
    items = [DueItem(*row, overdue=False) for row in rows]
    return sorted(items, key=lambda item: (item.deadline, item.kind, item.id))


def next_meetings(session: Session, *, today: date, limit: int = 5) -> list[UpcomingMeeting]:
    """Return the next meetings of any body, with how many items report back at each."""
    due = (
        select(Recommendation.due_meeting_id, func.count().label("n"))
        .where(Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES))
        .group_by(Recommendation.due_meeting_id)
        .subquery()
    )
    rows = session.exec(
        select(Meeting, Body.name, func.coalesce(due.c.n, 0))
        .join(Body, Meeting.body_id == Body.id)
        .join(due, due.c.due_meeting_id == Meeting.id, isouter=True)
        .where(Meeting.held_on >= today)
        .order_by(Meeting.held_on, Body.name)
        .limit(limit)
    ).all()
    return [UpcomingMeeting(meeting, name, count) for meeting, name, count in rows]


def missed_indicator_targets(session: Session) -> list[MissedTarget]:
    """Return the indicators whose latest outcome missed or only partly met its target."""
    # A headline outcome is the region's or the responsible unit's: that unit names it.
    rows = session.exec(
        select(Indicator, Unit.name)
        .join(Unit, Indicator.responsible_unit_id == Unit.id, isouter=True)
        .order_by(Indicator.name)
    ).all()
    indicators = [indicator for indicator, _unit in rows]
    units = {indicator.responsible_unit_id: name for indicator, name in rows if name}
    latest = latest_outcomes(session, indicators)
    missed = []
    for indicator in indicators:
        view = latest.get(indicator.id)
        if view is None or view.fulfilment not in (NOT_MET, PARTLY_MET):
            continue
        missed.append(
            MissedTarget(
                name=indicator.name,
                unit_name=units.get(view.outcome.unit_id, _("The whole region")),
                period=view.label,
                target=target_text(indicator),
                outcome=format_value(view.total, indicator.measure_unit),
                url=url_for("indicators.detail", indicator_id=indicator.id),
            )
        )
    return missed


def week_counts(items: list[DueItem], *, today: date, weeks: int = 5) -> list[tuple[date, dict]]:
    """Group due items into ISO weeks (Monday first) from this one: (Monday, counts by kind)."""
    monday = today - timedelta(days=today.weekday())
    buckets = [(monday + timedelta(days=7 * n), {}) for n in range(weeks)]
    for item in items:
        index = min((item.deadline - monday).days // 7, weeks - 1)
        counts = buckets[index][1]
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return buckets
