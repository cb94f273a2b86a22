"""What a secretary can act on: items nobody answers for, and who is late with what."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import literal
from sqlmodel import Session, and_, func, or_, select

from tracker.models import (
    CLOSED_RECOMMENDATION_STATUSES,
    Measure,
    Recommendation,
    Source,
)
from tracker.overdue import item_overdue_sql, measure_overdue_sql
from tracker.recommendations.services import deadline_column

TODO_LIMIT = 25


@dataclass
class Todo:
    """An open recommendation or assignment that lacks a responsible person or a body."""

    recommendation_id: int
    kind: str
    number: str
    text: str
    source_id: int
    source_title: str
    no_responsible: bool
    no_body: bool


@dataclass
class ResponsibleOverdue:
    user_id: int
    name: str
    measures: int
    recommendations: int

    @property
    def total(self) -> int:
        return self.measures + self.recommendations


def unassigned(session: Session, *, limit: int = TODO_LIMIT) -> tuple[list[Todo], int]:
    """Return open items without a responsible person or a body (the first `limit`), and all."""
    no_body = and_(Source.addressee_id.is_(None), Source.issuer_id.is_(None))
    where = and_(
        Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
        or_(Recommendation.responsible_id.is_(None), no_body),
    )
    # The total rides along on every row (a window count), so one query gives both.
    rows = session.exec(
        select(
            Recommendation.id,
            Recommendation.kind,
            Recommendation.number,
            Recommendation.text,
            Source.id,
            Source.title,
            Recommendation.responsible_id,
            no_body,
            func.count().over(),
        )
        .join(Source, Recommendation.source_id == Source.id)
        .where(where)
        .order_by(Source.title, Recommendation.id)
        .limit(limit)
    ).all()
    todos = [
        Todo(id_, kind, number, text, source_id, title, responsible is None, bool(bodiless))
        for id_, kind, number, text, source_id, title, responsible, bodiless, _total in rows
    ]
    return todos, rows[0][-1] if rows else 0


def responsible_counts(today: date) -> list:
    """Return the two counting queries of overdue items per person: measures, recommendations.

    Each gives ("person", user_id, kind, n); the start page reads them with the per-unit
    counts in one query (dashboard.services.overdue_counts).
    """
    measures = (
        select(
            literal("person").label("per"),
            Measure.owner_id.label("user_id"),
            literal("measure").label("kind"),
            func.count().label("n"),
        )
        .where(measure_overdue_sql(Measure.status, Measure.due_date, today))
        .group_by(Measure.owner_id)
    )
    due_meeting, deadline = deadline_column()
    recommendations = (
        select(
            literal("person"),
            Recommendation.responsible_id.label("user_id"),
            literal("recommendation").label("kind"),
            func.count().label("n"),
        )
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .where(item_overdue_sql(Recommendation.status, deadline, today))
        .group_by(Recommendation.responsible_id)
    )
    return [measures, recommendations]


def people_overdue(rows) -> list[ResponsibleOverdue]:
    """Sum (user_id, name, kind, n) rows per person, most overdue first."""
    people: dict[int, ResponsibleOverdue] = {}
    for user_id, name, kind, count in rows:
        row = people.setdefault(user_id, ResponsibleOverdue(user_id, name, 0, 0))
        if kind == "measure":
            row.measures = count
        else:
            row.recommendations = count
    return sorted(people.values(), key=lambda row: (-row.total, row.name))
