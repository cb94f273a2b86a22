"""What goes on a follow-up list: the filters, their query, and how the list shows them."""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy.orm import aliased
from sqlmodel import Session, and_, exists, func, or_, select

from tracker import dates, labels
from tracker.auth.visibility import item_visible
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    Body,
    DecisionReference,
    Measure,
    Meeting,
    Recommendation,
    RecommendationMeasure,
    Recurrence,
    Response,
    ResponseStatus,
    Source,
    SourceAddressee,
    StatusUpdate,
    Unit,
    User,
)
from tracker.recommendations.services import deadline_column

GROUPINGS = ("theme", "source", "body")
# The list's orders: the source's order, or overdue items (and groups) first.
SORTS = ("list", "overdue")
# The status filter's two values beside the statuses themselves.
NOT_CLOSED = ""
ANY_STATUS = "any"


@dataclass
class Criteria:
    """What to put on the list; None means no limit."""

    body_id: int | None = None
    meeting_id: int | None = None
    source_id: int | None = None
    kind: str | None = None
    theme: str | None = None
    responsible_id: int | None = None
    unit_id: int | None = None
    status: str = NOT_CLOSED  # NOT_CLOSED, ANY_STATUS or one status
    due_by: date | None = None  # deadline on or before
    changed_since: date | None = None  # the item, an update or a measure changed since
    since_last_meeting: bool = False  # changed since the last meeting before the list's
    only_overdue: bool = False  # the item or one of its measures is past its date
    sort: str = "list"  # one of SORTS


def meeting_label(code: str, meeting: Meeting) -> str:
    """Name a meeting the way lists show it: "RS 2017-12-19"."""
    return f"{code} {meeting.held_on.isoformat()}"


def at_meeting(meeting_id: int):
    """Return the condition of an item on a meeting's list: due to it, or reported at it.

    An item to report "at every meeting" of the body is due to each of its meetings held
    after the item was decided, until it is closed.
    """
    meeting = select(Meeting.body_id, Meeting.held_on).where(Meeting.id == meeting_id).subquery()
    reported = exists().where(
        StatusUpdate.recommendation_id == Recommendation.id, StatusUpdate.meeting_id == meeting_id
    )
    decided_before = exists().where(
        DecisionReference.recommendation_id == Recommendation.id,
        DecisionReference.decided_on < select(meeting.c.held_on).scalar_subquery(),
    )
    every_meeting = and_(
        Recommendation.recurrence == Recurrence.EVERY_MEETING,
        Recommendation.due_body_id == select(meeting.c.body_id).scalar_subquery(),
        Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
        decided_before,
    )
    return or_(Recommendation.due_meeting_id == meeting_id, reported, every_meeting)


def _filtered(criteria: Criteria):
    due_meeting, deadline = deadline_column()
    responsible = aliased(User, name="responsible")
    other = aliased(SourceAddressee, name="other_addressee")
    addressee_count = select(func.count()).where(other.source_id == Source.id).scalar_subquery()
    # Whether the row's addressee adopted its answer: only then is the answer read for the page.
    adopted = (
        exists()
        .where(
            Response.source_id == Source.id,
            Response.body_id == SourceAddressee.body_id,
            Response.status.in_((ResponseStatus.ADOPTED, ResponseStatus.SENT)),
        )
        .correlate(Source, SourceAddressee)
    )
    query = (
        select(
            Recommendation,
            Source.title,
            Source.dnr,
            Source.issuer_id,
            Source.addressee_id,
            responsible.name,
            Unit.name,
            due_meeting.held_on,
            due_meeting.body_id,
            deadline,
            Source.kind,
            Source.response_due,
            SourceAddressee.body_id,
            addressee_count,
            Source.assumed,
            adopted,
        )
        .join(Source, Recommendation.source_id == Source.id)
        .join(responsible, Recommendation.responsible_id == responsible.id, isouter=True)
        .join(Unit, Recommendation.unit_id == Unit.id, isouter=True)
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        # One result per addressee: an item addressed to two bodies is listed for each.
        .join(SourceAddressee, SourceAddressee.source_id == Source.id, isouter=True)
        .order_by(Source.id, Recommendation.id, SourceAddressee.body_id)
    )
    if criteria.body_id:
        has_reference = exists().where(
            DecisionReference.recommendation_id == Recommendation.id,
            DecisionReference.body_id == criteria.body_id,
        )
        addressed = exists().where(other.source_id == Source.id, other.body_id == criteria.body_id)
        query = query.where(
            or_(
                Source.issuer_id == criteria.body_id,
                Source.addressee_id == criteria.body_id,
                addressed,
                due_meeting.body_id == criteria.body_id,
                has_reference,
            ),
            # The body's own row when it is one of the addressees, else every addressee's.
            or_(
                SourceAddressee.body_id.is_(None),
                SourceAddressee.body_id == criteria.body_id,
                ~addressed,
            ),
        )
    if criteria.meeting_id:
        query = query.where(at_meeting(criteria.meeting_id))
    for column, value in (
        (Recommendation.source_id, criteria.source_id),
        (Recommendation.kind, criteria.kind),
        (Recommendation.theme, criteria.theme),
        (Recommendation.responsible_id, criteria.responsible_id),
        (Recommendation.unit_id, criteria.unit_id),
    ):
        if value:
            query = query.where(column == value)
    if criteria.status == NOT_CLOSED:
        query = query.where(Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES))
    elif criteria.status != ANY_STATUS:
        query = query.where(Recommendation.status == criteria.status)
    if criteria.due_by:
        query = query.where(deadline <= criteria.due_by)
    if criteria.changed_since:
        # Midnight in the region's calendar, as the UTC moment the database stores.
        since = datetime.combine(criteria.changed_since, time(), dates.zone())
        new_update = exists().where(
            StatusUpdate.recommendation_id == Recommendation.id, StatusUpdate.created_at >= since
        )
        changed_measure = exists().where(
            RecommendationMeasure.recommendation_id == Recommendation.id,
            RecommendationMeasure.measure_id == Measure.id,
            Measure.updated_at >= since,
        )
        query = query.where(or_(Recommendation.updated_at >= since, new_update, changed_measure))
    if criteria.only_overdue:
        today = dates.today()
        late_measure = exists().where(
            RecommendationMeasure.recommendation_id == Recommendation.id,
            RecommendationMeasure.measure_id == Measure.id,
            Measure.due_date < today,
            Measure.status.not_in(CLOSED_MEASURE_STATUSES),
        )
        query = query.where(
            Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
            or_(deadline < today, late_measure),
        )
    return query.where(item_visible())


def last_meeting_before(session: Session, criteria: Criteria) -> date | None:
    """Return the date of the last meeting before the list's meeting, else before today.

    The meeting is the filtered body's, or the filtered meeting's body's, when there is one.
    """
    before, body_id = dates.today(), criteria.body_id
    query = select(Meeting.held_on)
    if criteria.meeting_id:
        current = session.get(Meeting, criteria.meeting_id)
        if current:
            before, body_id = current.held_on, current.body_id
    if body_id:
        query = query.where(Meeting.body_id == body_id)
    return session.exec(
        query.where(Meeting.held_on < before).order_by(Meeting.held_on.desc()).limit(1)
    ).first()


def _shown_criteria(session: Session, criteria: Criteria, bodies: dict[int, Body]) -> list:
    shown: list[list[str]] = []

    def name_of(model, id_, attribute):
        row = session.get(model, id_)
        return getattr(row, attribute) if row else str(id_)

    if criteria.body_id:
        body = bodies.get(criteria.body_id)
        shown.append([_("Body"), body.name if body else str(criteria.body_id)])
    if criteria.meeting_id:
        meeting = session.get(Meeting, criteria.meeting_id)
        if meeting:
            shown.append([_("Meeting"), meeting_label(bodies[meeting.body_id].code, meeting)])
    if criteria.source_id:
        shown.append([_("Source"), name_of(Source, criteria.source_id, "title")])
    if criteria.kind:
        shown.append([_("Kind"), labels.label(labels.RECOMMENDATION_KINDS, criteria.kind)])
    if criteria.theme:
        shown.append([_("Theme"), criteria.theme])
    if criteria.responsible_id:
        shown.append([_("Responsible"), name_of(User, criteria.responsible_id, "name")])
    if criteria.unit_id:
        shown.append([_("Unit"), name_of(Unit, criteria.unit_id, "name")])
    if criteria.status == NOT_CLOSED:
        shown.append([_("Status"), _("Not closed")])
    elif criteria.status != ANY_STATUS:
        shown.append([_("Status"), labels.label(labels.RECOMMENDATION_STATUSES, criteria.status)])
    if criteria.due_by:
        shown.append([_("Due on or before"), criteria.due_by.isoformat()])
    if criteria.changed_since:
        since = criteria.changed_since.isoformat()
        if criteria.since_last_meeting:
            since = _("%(date)s (the last meeting)", date=since)
        shown.append([_("Changed since"), since])
    if criteria.only_overdue:
        shown.append([_("Only overdue"), _("Yes")])
    return shown


def choices_for_filters(session: Session) -> dict:
    """Return the options of the list's select filters: bodies, meetings, themes, units.

    Sources and people are looked up from what the user types (tracker/lookup.py).
    """
    bodies = list(session.exec(select(Body).order_by(Body.code)))
    codes = {body.id: body.code for body in bodies}
    meetings = list(session.exec(select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id)))
    themes = session.exec(select(Recommendation.theme).where(Recommendation.theme != "").distinct())
    return {
        "body_rows": bodies,
        "meeting_rows": meetings,
        "bodies": [(body.id, f"{body.code} – {body.name}") for body in bodies],
        "meetings": [
            (m.id, f"{meeting_label(codes[m.body_id], m)} {m.title}".strip()) for m in meetings
        ],
        "themes": sorted(themes),
        "units": [(unit.id, unit.name) for unit in session.exec(select(Unit).order_by(Unit.name))],
    }
