"""What a user has to do: the open measures they own and the open items they answer for."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import literal, or_, union_all
from sqlmodel import Session, func, select

from tracker import dates
from tracker.auth.visibility import measure_visible
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    Measure,
    Recommendation,
    Response,
    ResponseStatus,
    Source,
)
from tracker.overdue import item_overdue, measure_overdue, passed
from tracker.recommendations.services import deadline_column

# The page shows 160 characters of an item's text: a little more is read, never the whole.
TEXT_READ = 200


@dataclass
class Task:
    """One open measure or item on a user's list, in the columns the page shows."""

    kind: str  # "measure", "recommendation", "response" or "response_input"
    id: int
    text: str
    status: str
    deadline: date | None
    overdue: bool


@dataclass
class MyWork:
    measures: list[Task]
    recommendations: list[Task]
    responses: list[Task] = field(default_factory=list)  # answers to draft, input to give


def response_work(session: Session, user_id: int, today: date) -> list[Task]:
    """Return the unadopted answers a user drafts and the input they are the contact for."""
    rows = session.exec(
        select(Response, Source.title)
        .join(Source, Response.source_id == Source.id)
        .where(
            or_(Response.responsible_id == user_id, Response.input_contact_id == user_id),
            Response.status.not_in((ResponseStatus.ADOPTED, ResponseStatus.SENT)),
        )
        .order_by(Response.id)
    )
    tasks = []
    for response, title in rows:
        for kind, person, due in (
            ("response", response.responsible_id, response.response_due),
            ("response_input", response.input_contact_id, response.input_due),
        ):
            if person == user_id:
                # An answer not yet adopted is late once its day has passed.
                late = passed(due, today)
                tasks.append(Task(kind, response.id, title, response.status, due, late))
    tasks.sort(key=lambda task: (not task.overdue, task.deadline is None, task.deadline, task.id))
    return tasks


def my_work(session: Session, user_id: int) -> MyWork:
    """Return a user's open measures, items and answers, overdue first; two queries."""
    due_meeting, deadline = deadline_column()
    measures = select(
        literal("measure").label("kind"),
        Measure.id,
        Measure.title.label("text"),
        Measure.status,
        Measure.due_date.label("deadline"),
    ).where(
        Measure.owner_id == user_id,
        Measure.status.not_in(CLOSED_MEASURE_STATUSES),
        measure_visible(Measure.id),
    )
    items = (
        select(
            literal("recommendation").label("kind"),
            Recommendation.id,
            func.substr(Recommendation.text, 1, TEXT_READ).label("text"),
            Recommendation.status,
            deadline.label("deadline"),
        )
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .where(
            Recommendation.responsible_id == user_id,
            Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
        )
    )
    today = dates.today()
    work = MyWork([], [])
    for kind, id_, text, status, due in session.execute(union_all(measures, items)):
        late = (measure_overdue if kind == "measure" else item_overdue)(status, due, today)
        task = Task(kind, id_, text, status, due, late)
        (work.measures if kind == "measure" else work.recommendations).append(task)
    for tasks in (work.measures, work.recommendations):
        # Overdue first, then the nearest deadline; no deadline last.
        tasks.sort(
            key=lambda task: (not task.overdue, task.deadline is None, task.deadline, task.id)
        )
    work.responses = response_work(session, user_id, today)
    return work
