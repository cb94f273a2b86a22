"""What goes on a follow-up list: the filters, their query, and how the list shows them."""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy.orm import aliased
from sqlmodel import Session, and_, exists, func, or_, select

from tracker import dates, labels
from tracker.auth.visibility import item_visible
from tracker.followup.services.found import item_columns
from tracker.models import (
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
from tracker.overdue import item_overdue_sql, measure_overdue_sql
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


def filtered(criteria: Criteria):
    """Return the query of the rows on the list: an item once for each addressee."""
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
        # Each column named as tracker/followup/services/found.py reads it.
        select(
            *item_columns(),
            Source.title.label("source"),
            Source.dnr.label("source_dnr"),
            Source.issuer_id.label("issuer_id"),
            Source.addressee_id.label("addressee_id"),
            responsible.name.label("responsible"),
            Unit.name.label("unit"),
            due_meeting.held_on.label("held_on"),
            due_meeting.body_id.label("meeting_body"),
            deadline.label("deadline"),
            Source.kind.label("source_kind"),
            Source.response_due.label("response_due"),
            SourceAddressee.body_id.label("addressee"),
            addressee_count.label("addressees"),
            Source.assumed.label("source_assumed"),
            adopted.label("adopted"),
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
            measure_overdue_sql(Measure.status, Measure.due_date, today),
        )
        # The item is overdue, or an open item has an overdue measure: the list's "late".
        query = query.where(
            Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
            or_(item_overdue_sql(Recommendation.status, deadline, today), late_measure),
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


def _name_of(session: Session, model, id_: int, attribute: str) -> str:
    """Return a row's name by its id; the id itself when it is gone."""
    row = session.get(model, id_)
    return getattr(row, attribute) if row else str(id_)


def _shown_meeting(session: Session, meeting_id: int, bodies: dict[int, Body]) -> str:
    meeting = session.get(Meeting, meeting_id)
    return meeting_label(bodies[meeting.body_id].code, meeting) if meeting else ""


def _shown_status(criteria: Criteria) -> str:
    if criteria.status == NOT_CLOSED:
        return _("Not closed")
    if criteria.status == ANY_STATUS:
        return ""
    return labels.label(labels.RECOMMENDATION_STATUSES, criteria.status)


def _shown_since(criteria: Criteria) -> str:
    if not criteria.changed_since:
        return ""
    since = criteria.changed_since.isoformat()
    if criteria.since_last_meeting:
        return _("%(date)s (the last meeting)", date=since)
    return since


def shown_criteria(session: Session, criteria: Criteria, bodies: dict[int, Body]) -> list:
    """Return the filters in use as the list shows them: [label, value] each."""
    body = bodies.get(criteria.body_id)
    # Each name is read only when its filter is in use.
    pairs = [
        (_("Body"), criteria.body_id and (body.name if body else str(criteria.body_id))),
        (
            _("Meeting"),
            criteria.meeting_id and _shown_meeting(session, criteria.meeting_id, bodies),
        ),
        (
            _("Source"),
            criteria.source_id and _name_of(session, Source, criteria.source_id, "title"),
        ),
        (_("Kind"), criteria.kind and labels.label(labels.RECOMMENDATION_KINDS, criteria.kind)),
        (_("Theme"), criteria.theme),
        (
            _("Responsible"),
            criteria.responsible_id and _name_of(session, User, criteria.responsible_id, "name"),
        ),
        (_("Unit"), criteria.unit_id and _name_of(session, Unit, criteria.unit_id, "name")),
        (_("Status"), _shown_status(criteria)),
        (_("Due on or before"), criteria.due_by and criteria.due_by.isoformat()),
        (_("Changed since"), _shown_since(criteria)),
        (_("Only overdue"), criteria.only_overdue and _("Yes")),
    ]
    return [[label, value] for label, value in pairs if value]


def choices_for_filters(session: Session) -> dict:
    """Return the options of the list's select filters: bodies, themes, units.

    Sources, people and meetings are looked up from what the user types (tracker/lookup.py):
    a region holds a thousand meetings in ten years.
    """
    bodies = list(session.exec(select(Body).order_by(Body.code)))
    themes = session.exec(select(Recommendation.theme).where(Recommendation.theme != "").distinct())
    return {
        "body_rows": bodies,
        "bodies": [(body.id, f"{body.code} – {body.name}") for body in bodies],
        "themes": sorted(themes),
        "units": [(unit.id, unit.name) for unit in session.exec(select(Unit).order_by(Unit.name))],
    }
