"""Figures for the start page, each from a fixed number of aggregate queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, literal, union_all
from sqlmodel import Session, func, select

from tracker.auth.leavers import orphan_parts, orphans_of
from tracker.auth.visibility import item_visible, measure_visible, visible
from tracker.dashboard import todo
from tracker.indicators.periods import format_value
from tracker.indicators.services.fulfilment import NOT_MET, PARTLY_MET, target_text
from tracker.indicators.services.queries import outcome_view, with_latest_outcome
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    Body,
    Indicator,
    Measure,
    Meeting,
    Recommendation,
    RecommendationStatus,
    Source,
    SourceAddressee,
    Unit,
    User,
)
from tracker.overdue import item_overdue, item_overdue_sql, measure_overdue, measure_overdue_sql
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


def mine_and_orphans(session: Session, user, *, today: date) -> Mine:
    """Return the user's items, with those of a leaver's that the user is to hand over."""
    return mine(session, user_id=user.id, today=today, also=orphan_parts(user))


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
            late = (measure_overdue if kind == "measure" else item_overdue)(status, due, today)
            result.due_soon.append(DueItem(kind, id_, title, due, status, late))
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


def status_tables(session: Session, *, limit: int = TOP_SOURCES):
    """Count recommendations by status per body and per source in one query.

    Return the body table, the table of the `limit` sources with most open items, and how
    many sources there are. A body is the one that must act: the source's addressee (once
    per addressee: each body a report is addressed to must act on it), else its issuer.
    """
    body_id = func.coalesce(SourceAddressee.body_id, Source.addressee_id, Source.issuer_id)
    by_body = (
        select(literal("body"), body_id, Body.name, Recommendation.status, func.count())
        .join(Source, Recommendation.source_id == Source.id)
        .join(SourceAddressee, SourceAddressee.source_id == Source.id, isouter=True)
        .join(Body, Body.id == body_id, isouter=True)
        .where(item_visible())
        .group_by(body_id, Body.name, Recommendation.status)
    )
    by_source = (
        select(literal("source"), Source.id, Source.title, Recommendation.status, func.count())
        .join(Source, Recommendation.source_id == Source.id)
        .where(item_visible())
        .group_by(Source.id, Source.title, Recommendation.status)
    )
    rows = session.exec(union_all(by_body, by_source)).all()
    bodies = _status_table([row[1:] for row in rows if row[0] == "body"])
    bodies.rows.sort(key=lambda row: (row[0] is None, row[1]))
    sources = _status_table([row[1:] for row in rows if row[0] == "source"])
    closed = {str(status) for status in CLOSED_RECOMMENDATION_STATUSES}

    def still_open(row) -> int:
        return sum(n for status, n in row[2].items() if status not in closed)

    sources.rows.sort(key=lambda row: (-still_open(row), row[1]))
    total = len(sources.rows)
    sources.rows = sources.rows[:limit]
    return bodies, sources, total


def overdue_counts(session: Session, *, today: date) -> tuple[list[UnitOverdue], list]:
    """Count overdue measures and recommendations per unit and per person, in one query.

    Return the units and the people (todo.ResponsibleOverdue), most overdue first.
    """
    due_meeting, deadline = deadline_column()
    measures = select(
        literal("unit").label("per"),
        Measure.unit_id.label("id"),
        literal("measure").label("kind"),
        func.count().label("n"),
    ).where(
        measure_overdue_sql(Measure.status, Measure.due_date, today),
        measure_visible(Measure.id),
    )
    recommendations = (
        select(
            literal("unit"),
            Recommendation.unit_id,
            literal("recommendation"),
            func.count(),
        )
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .where(
            item_overdue_sql(Recommendation.status, deadline, today),
            item_visible(),
        )
    )
    counts = union_all(
        measures.group_by(Measure.unit_id),
        recommendations.group_by(Recommendation.unit_id),
        *todo.responsible_counts(today),
    ).subquery()
    rows = session.exec(
        select(counts.c.per, counts.c.id, Unit.name, User.name, counts.c.kind, counts.c.n)
        .join(Unit, and_(counts.c.per == "unit", counts.c.id == Unit.id), isouter=True)
        .join(User, and_(counts.c.per == "person", counts.c.id == User.id), isouter=True)
    ).all()
    units: dict[int | None, UnitOverdue] = {}
    for per, id_, unit_name, _person, kind, count in rows:
        if per != "unit":
            continue
        row = units.setdefault(id_, UnitOverdue(id_, unit_name or "", 0, 0))
        if kind == "measure":
            row.measures = count
        else:
            row.recommendations = count
    by_unit = sorted(
        units.values(), key=lambda row: (-row.total, row.unit_id is None, row.unit_name)
    )
    # A person's counts need the person: items of nobody are on the to-do list instead.
    named = [(id_, name, kind, n) for per, id_, _u, name, kind, n in rows if name is not None]
    return by_unit, todo.people_overdue([row for row in named if row[0] is not None])


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
        with_latest_outcome(
            select(Indicator, Unit.name)
            .join(Unit, Indicator.responsible_unit_id == Unit.id, isouter=True)
            .order_by(Indicator.name)
        )
    ).all()
    units = {indicator.responsible_unit_id: name for indicator, name, *_ in rows if name}
    missed = []
    for indicator, _unit, latest, before in rows:
        view = outcome_view(indicator, latest, before)
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
