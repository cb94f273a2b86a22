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
    RecommendationMeasure,
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
    # The sources the item lies under, so that a reminder tells only who may see them.
    source_ids: frozenset[int] = frozenset()
    paper_sources: dict[int, int] = field(default_factory=dict)  # a paper's item: its source

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
    items = _measures(session, user_id, viewer)
    recommendations, papers = _recommendations(session, bodies, today, user_id, viewer)
    items += recommendations
    items += _papers(papers, bodies, settings)
    items += _responses(session, bodies, user_id, viewer)
    return items


def _measures(session: Session, user_id, viewer) -> list[Item]:
    """Return the open measures that have an owner, each with the sources it lies under."""
    # Only the columns a reminder shows: whole rows would carry JSON and history to decode.
    query = select(
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
        query = query.where(Measure.owner_id == user_id)
    rows = session.execute(query.order_by(Measure.id)).all()
    sources = _sources_of_measures(session, [row[0] for row in rows])
    return [
        Item(
            "measure",
            id_,
            due_date,
            (owner_id,),
            title,
            description,
            unit_id=unit_id,
            source_ids=sources.get(id_, frozenset()),
        )
        for id_, due_date, owner_id, title, description, unit_id in rows
    ]


def _sources_of_measures(session: Session, ids: list[int]) -> dict[int, frozenset[int]]:
    """Return the sources of the items each measure answers, in one query per 400 measures."""
    found: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(ids), 400):
        rows = session.exec(
            select(RecommendationMeasure.measure_id, Recommendation.source_id)
            .join(Recommendation, Recommendation.id == RecommendationMeasure.recommendation_id)
            .where(RecommendationMeasure.measure_id.in_(ids[start : start + 400]))
        )
        for measure_id, source_id in rows:
            found[measure_id].add(source_id)
    return {measure_id: frozenset(sources) for measure_id, sources in found.items()}


def _recommendations(session: Session, bodies: dict, today: date, user_id, viewer):
    """Return the items chased, and the papers due to each meeting ahead, per owner."""
    due_meeting = aliased(Meeting, name="due_meeting")
    query = (
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
        query = query.where(Recommendation.responsible_id == user_id)
    rows = list(session.exec(query))
    addressed = _addressees(session, {row[1].id for row in rows})
    answers_due = _answers_due(session, bodies, {row[1].id for row in rows if not row[0].due_date})
    deadlines = _Deadlines(session, [row[0].id for row in rows if row[0].recurrence])
    items, papers = [], Papers()
    for recommendation, source, meeting in rows:
        to_bodies = _to_bodies(recommendation, source, meeting, addressed)
        deadline = deadlines.of(recommendation, meeting, to_bodies[0])
        item = _item(recommendation, source, deadline, to_bodies, bodies)
        if not deadline:
            item.answers_due = answers_due.get(source.id, ())
        items.append(item)
        if meeting is not None and meeting.held_on >= today:
            papers.add(meeting, recommendation)
    return items, papers


def _to_bodies(recommendation, source, meeting, addressed) -> list[int | None]:
    """Return the bodies an item reports back to: the one named, else every addressee."""
    body_id = recommendation.due_body_id or (meeting and meeting.body_id)
    # No body named on the item: it answers to every addressee, none first.
    return [body_id] if body_id else addressed.get(source.id) or [source.issuer_id]


def _item(recommendation, source, deadline, to_bodies, bodies) -> Item:
    """Return an item to report back on, as reminders name it."""
    number = f" ({recommendation.number})" if recommendation.number else ""
    return Item(
        "recommendation",
        recommendation.id,
        deadline,
        (recommendation.responsible_id,),
        f"{source.title}{number}",
        recommendation.text,
        body_name=_and(bodies.get(id_, "") for id_ in to_bodies),
        unit_id=recommendation.unit_id,
        body_id=to_bodies[0] if len(to_bodies) == 1 else None,
        source_ids=frozenset((source.id,)),
    )


class _Deadlines:
    """An item's deadline: its date, its meeting's, or a recurring one's next."""

    def __init__(self, session: Session, recurring: list[int]):
        """Read the meetings and latest reports only when some item recurs."""
        self.calendar = Calendar(session) if recurring else None
        self.reports = last_reports(session, recurring)

    def of(self, recommendation: Recommendation, meeting: Meeting | None, body_id: int | None):
        """Return the item's deadline; a recurring one's from its body's meetings."""
        if recommendation.recurrence:
            return next_deadline(
                recommendation,
                body_id=body_id,
                last_report=self.reports.get(recommendation.id),
                calendar=self.calendar,
            )
        return recommendation.due_date or (meeting and meeting.held_on)


@dataclass
class Papers:
    """The papers due to each meeting ahead: per meeting and owner, the items to report."""

    meetings: dict[int, Meeting] = field(default_factory=dict)
    lines: dict[int, dict[int, list]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    sources: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, meeting: Meeting, recommendation: Recommendation) -> None:
        """Put an item on its meeting's papers, under the person who answers it."""
        self.meetings[meeting.id] = meeting
        owner = recommendation.responsible_id
        self.lines[meeting.id][owner].append((recommendation.id, recommendation.text))
        self.sources[meeting.id][recommendation.id] = recommendation.source_id


def _papers(papers: Papers, bodies: dict, settings: Settings) -> list[Item]:
    """Return each meeting ahead's paper deadline, with the items its owners report."""
    items = []
    for meeting_id, by_owner in papers.lines.items():
        meeting = papers.meetings[meeting_id]
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
                source_ids=frozenset(papers.sources[meeting_id].values()),
                paper_sources=papers.sources[meeting_id],
            )
        )
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
                    source_ids=frozenset((source.id,)),
                )
            )
    return items
