"""Open items with deadlines: measures, recommendations, reports, papers and responses."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from tracker.auth.visibility import SYSTEM, measure_visible, visible
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    Body,
    BodySecretary,
    Measure,
    Meeting,
    Recommendation,
    Response,
    ResponseStatus,
    Source,
    SourceAddressee,
)
from tracker.overdue import item_chased_sql
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
    # True: nobody is named, so the body's secretaries are told until someone is.
    to_secretaries: bool = False
    # An audit report's item without a date of its own: each addressee's answer due, by name.
    answers_due: tuple[tuple[str, date | None], ...] = ()
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
            # A report-back already given is not chased (approving it is the board's
            # business), unless it recurs: then it is due again after each report.
            item_chased_sql(Recommendation.status, Recommendation.recurrence),
        )
        .order_by(Recommendation.id)
    )
    if user_id is not None:
        recommendations = recommendations.where(Recommendation.responsible_id == user_id)
    papers: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    meetings: dict[int, Meeting] = {}
    rows = list(session.exec(recommendations))
    addressed = _addressees(session, {row[1].id for row in rows})
    answers_due = _answers_due(session, bodies, {row[1].id for row in rows if not row[0].due_date})
    recurring = [row[0].id for row in rows if row[0].recurrence]
    calendar = Calendar(session) if recurring else None
    reports = last_reports(session, recurring)
    for recommendation, source, meeting in rows:
        body_id = recommendation.due_body_id or (meeting and meeting.body_id)
        # No body named on the item: it answers to every addressee, none first.
        to_bodies = [body_id] if body_id else addressed.get(source.id) or [source.issuer_id]
        body_id = to_bodies[0] if len(to_bodies) == 1 else None
        number = f" ({recommendation.number})" if recommendation.number else ""
        deadline = recommendation.due_date or (meeting and meeting.held_on)
        if recommendation.recurrence:
            deadline = next_deadline(
                recommendation,
                body_id=body_id or to_bodies[0],
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
                body_name=_and(bodies.get(id_, "") for id_ in to_bodies),
                unit_id=recommendation.unit_id,
                answers_due=() if deadline else answers_due.get(source.id, ()),
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


def _and(names) -> str:
    names = [name for name in names if name]
    return " och ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _addressees(session: Session, source_ids: set[int]) -> dict[int, list[int]]:
    """Return every addressee of each source."""
    found: dict[int, list[int]] = defaultdict(list)
    if source_ids:
        rows = session.exec(
            select(SourceAddressee.source_id, SourceAddressee.body_id)
            .where(SourceAddressee.source_id.in_(source_ids))
            .order_by(SourceAddressee.source_id, SourceAddressee.body_id)
        )
        for source_id, body_id in rows:
            found[source_id].append(body_id)
    return found


def _answers_due(session: Session, bodies: dict, source_ids: set[int]) -> dict[int, tuple]:
    """Return each report's unadopted answers: (body name, due date), by body name."""
    found: dict[int, list] = defaultdict(list)
    if source_ids:
        rows = session.exec(
            select(Response.source_id, Response.body_id, Response.response_due)
            .where(
                Response.source_id.in_(source_ids),
                Response.status.not_in((ResponseStatus.ADOPTED, ResponseStatus.SENT)),
            )
            .order_by(Response.source_id, Response.body_id)
        )
        for source_id, body_id, due in rows:
            found[source_id].append((bodies.get(body_id, ""), due))
    return {source_id: tuple(sorted(answers)) for source_id, answers in found.items()}


def secretaries_of(session: Session) -> dict[int, tuple[int, ...]]:
    """Return each body's secretaries' user ids."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = session.exec(select(BodySecretary).order_by(BodySecretary.user_id))
    for row in rows:
        found[row.body_id].append(row.user_id)
    return {body_id: tuple(ids) for body_id, ids in found.items()}


def _responses(session, bodies, user_id, viewer) -> list[Item]:
    """Return each unadopted response's two deadlines: the answer, and the input to it.

    An answer nobody drafts yet is chased to the addressed body's secretaries.
    """
    query = (
        select(Response, Source)
        .join(Source, Response.source_id == Source.id)
        .where(
            Response.status.not_in((ResponseStatus.ADOPTED, ResponseStatus.SENT)),
            visible(Response.source_id, viewer),
        )
        .order_by(Response.id)
    )
    secretaries = secretaries_of(session)
    items = []
    for response, source in session.exec(query):
        deadlines = (
            ("response", response.response_due, response.responsible_id),
            ("response_input", response.input_due, response.input_contact_id),
        )
        for kind, deadline, owner_id in deadlines:
            owners = (owner_id,) if owner_id else ()
            if kind == "response" and not owners:
                owners = secretaries.get(response.body_id, ())
            if user_id is not None:
                owners = tuple(owner for owner in owners if owner == user_id)
            if not owners:
                continue
            items.append(
                Item(
                    kind,
                    response.id,
                    deadline,
                    owners,
                    source.title,
                    source.summary,
                    body_name=bodies.get(response.body_id, ""),
                    body_id=response.body_id,
                    to_secretaries=owner_id is None,
                )
            )
    return items
