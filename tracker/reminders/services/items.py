"""Open items with deadlines: measures, recommendations, reports, papers and responses."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from tracker.auth.visibility import SYSTEM, measure_visible, visible
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    NOT_DUE_STATUSES,
    Body,
    Measure,
    Meeting,
    Recommendation,
    Response,
    ResponseStatus,
    Source,
)
from tracker.recommendations.deadlines import Calendar, last_reports, next_deadline
from tracker.reminders.services.settings import Settings


@dataclass
class Item:
    type: str  # measure, recommendation, source (an audit report), meeting (its papers)
    id: int
    deadline: date | None
    owner_ids: tuple[int, ...]  # who answers it and is reminded
    title: str
    text: str = ""
    body_name: str = ""  # whom the report-back goes to
    unit_id: int | None = None  # the item's unit, for escalation when the owner has none
    body_id: int | None = None  # the body it is due to, whose secretary may want copies
    meeting_on: date | None = None  # a paper deadline's meeting day
    remind_after: bool = True  # False: no overdue reminders (a passed paper deadline)
    # A paper deadline's recommendations per owner: (id, text).
    papers: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        """Return a name for the item that stays the same when its deadline moves."""
        return f"{'papers' if self.type == 'meeting' else self.type}-{self.id}"


def open_items(
    session: Session, *, today: date, settings: Settings, user_id=None, viewer=SYSTEM
) -> list[Item]:
    """Return every open item that someone answers, with its deadline (None if it has none).

    With user_id, only the items that user answers; with a viewer, only those they may see.
    """
    bodies = {body.id: body.name for body in session.exec(select(Body))}
    items: list[Item] = []

    # Only the columns a reminder shows: whole rows would carry JSON and history to decode.
    measures = select(
        Measure.id,
        Measure.due_date,
        Measure.owner_id,
        Measure.title,
        Measure.description,
        Measure.unit_id,
    ).where(
        Measure.owner_id.is_not(None),
        Measure.status.not_in(CLOSED_MEASURE_STATUSES),
        measure_visible(Measure.id, viewer),
    )
    if user_id is not None:
        measures = measures.where(Measure.owner_id == user_id)
    for id_, due_date, owner_id, title, description, unit_id in session.execute(
        measures.order_by(Measure.id)
    ):
        items.append(
            Item("measure", id_, due_date, (owner_id,), title, description, unit_id=unit_id)
        )

    due_meeting = aliased(Meeting, name="due_meeting")
    recommendations = (
        select(Recommendation, Source, due_meeting)
        .join(Source, Recommendation.source_id == Source.id)
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .where(
            visible(Recommendation.source_id, viewer),
            Recommendation.responsible_id.is_not(None),
            # A recurring report-back is due again after each report, until it is closed.
            or_(
                # A report-back already given is not chased: approving it is the board's business.
                Recommendation.status.not_in(NOT_DUE_STATUSES),
                and_(
                    Recommendation.recurrence != "",
                    Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
                ),
            ),
        )
        .order_by(Recommendation.id)
    )
    if user_id is not None:
        recommendations = recommendations.where(Recommendation.responsible_id == user_id)
    papers: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    meetings: dict[int, Meeting] = {}
    rows = list(session.exec(recommendations))
    recurring = [row[0].id for row in rows if row[0].recurrence]
    calendar = Calendar(session) if recurring else None
    reports = last_reports(session, recurring)
    for recommendation, source, meeting in rows:
        body_id = (
            recommendation.due_body_id
            or (meeting and meeting.body_id)
            or source.addressee_id
            or source.issuer_id
        )
        number = f" ({recommendation.number})" if recommendation.number else ""
        deadline = recommendation.due_date or (meeting and meeting.held_on)
        if recommendation.recurrence:
            deadline = next_deadline(
                recommendation,
                body_id=body_id,
                last_report=reports.get(recommendation.id),
                calendar=calendar,
            )
        items.append(
            Item(
                "recommendation",
                recommendation.id,
                deadline,
                (recommendation.responsible_id,),
                f"{source.title}{number}",
                recommendation.text,
                body_name=bodies.get(body_id, ""),
                unit_id=recommendation.unit_id,
                body_id=body_id,
            )
        )
        if meeting is not None and meeting.held_on >= today:
            meetings[meeting.id] = meeting
            papers[meeting.id][recommendation.responsible_id].append(
                (recommendation.id, recommendation.text)
            )

    for meeting_id, by_owner in papers.items():
        meeting = meetings[meeting_id]
        body = bodies.get(meeting.body_id, "")
        items.append(
            Item(
                "meeting",
                meeting_id,
                meeting.held_on - timedelta(days=settings.paper_deadline_days),
                tuple(by_owner),
                f"{body} {meeting.held_on.isoformat()} {meeting.title}".strip(),
                body_name=body,
                meeting_on=meeting.held_on,
                remind_after=False,
                papers={owner: list(rows) for owner, rows in by_owner.items()},
            )
        )

    items.extend(_responses(session, bodies, user_id, viewer))
    return items


def _responses(session, bodies, user_id, viewer) -> list[Item]:
    """Return each unadopted response's two deadlines: the answer, and the input to it."""
    query = (
        select(Response, Source)
        .join(Source, Response.source_id == Source.id)
        .where(
            Response.status.not_in((ResponseStatus.ADOPTED, ResponseStatus.SENT)),
            visible(Response.source_id, viewer),
        )
        .order_by(Response.id)
    )
    items = []
    for response, source in session.exec(query):
        deadlines = (
            ("response", response.response_due, response.responsible_id),
            ("response_input", response.input_due, response.input_contact_id),
        )
        for kind, deadline, owner_id in deadlines:
            if owner_id is None or (user_id is not None and owner_id != user_id):
                continue
            items.append(
                Item(
                    kind,
                    response.id,
                    deadline,
                    (owner_id,),
                    source.title,
                    source.summary,
                    body_name=bodies.get(response.body_id, ""),
                    body_id=response.body_id,
                )
            )
    return items
