"""What a secretary can act on: items nobody answers for, and who is late with what."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, and_, func, or_, select

from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    Measure,
    Recommendation,
    Source,
    User,
)
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
    total = session.exec(
        select(func.count())
        .select_from(Recommendation)
        .join(Source, Recommendation.source_id == Source.id)
        .where(where)
    ).one()
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
        )
        .join(Source, Recommendation.source_id == Source.id)
        .where(where)
        .order_by(Source.title, Recommendation.id)
        .limit(limit)
    ).all()
    todos = [
        Todo(id_, kind, number, text, source_id, title, responsible is None, bool(bodiless))
        for id_, kind, number, text, source_id, title, responsible, bodiless in rows
    ]
    return todos, total


def overdue_by_responsible(session: Session, *, today: date) -> list[ResponsibleOverdue]:
    """Count overdue measures and recommendations per responsible person, most first."""
    measures = session.exec(
        select(Measure.owner_id, User.name, func.count())
        .join(User, Measure.owner_id == User.id)
        .where(Measure.due_date < today, Measure.status.not_in(CLOSED_MEASURE_STATUSES))
        .group_by(Measure.owner_id, User.name)
    ).all()
    due_meeting, deadline = deadline_column()
    recommendations = session.exec(
        select(Recommendation.responsible_id, User.name, func.count())
        .join(User, Recommendation.responsible_id == User.id)
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .where(deadline < today, Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES))
        .group_by(Recommendation.responsible_id, User.name)
    ).all()
    people: dict[int, ResponsibleOverdue] = {}
    for user_id, name, count in measures:
        people[user_id] = ResponsibleOverdue(user_id, name, count, 0)
    for user_id, name, count in recommendations:
        people.setdefault(user_id, ResponsibleOverdue(user_id, name, 0, 0)).recommendations = count
    return sorted(people.values(), key=lambda row: (-row.total, row.name))
