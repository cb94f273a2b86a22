"""The follow-up list: open items for a meeting, grouped, kept as frozen copies, and closed."""

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import aliased
from sqlmodel import Session, exists, func, or_, select

from tracker import dates, labels
from tracker.changelog import set_reason
from tracker.indicators.periods import format_value
from tracker.indicators.services import indicators_for_recommendations, target_text
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    NOT_DUE_STATUSES,
    Body,
    ClosedItem,
    ClosingDecision,
    DecisionReference,
    KeptList,
    Measure,
    MeasureStatus,
    Meeting,
    Recommendation,
    RecommendationMeasure,
    RecommendationStatus,
    Source,
    SourceKind,
    StatusUpdate,
    Unit,
    User,
)
from tracker.recommendations.services import (
    deadline_column,
    format_reference,
    references_of,
    with_dnr,
)
from tracker.status_updates import post_status_update

GROUPINGS = ("theme", "source", "body")
# The list's orders: the source's order, or overdue items (and groups) first.
SORTS = ("list", "overdue")
# Items on one page of the list; the exports and kept lists hold every item.
PAGE_SIZE = 200
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


@dataclass
class MeasureLine:
    id: int
    title: str
    owner: str
    due: date | None
    status: str
    judgement: str | None = None  # lists kept before judgements were shown have none
    overdue: bool = False


@dataclass
class LatestUpdate:
    text: str
    reported_on: date
    author: str
    measure: str = ""  # the measure it was posted on; "" when on the item itself


@dataclass
class IndicatorLine:
    """An indicator a row's measures aim to move, as shown that day: all in words."""

    name: str
    target: str
    latest: str  # "T2 2022: 81 %", or "" before any outcome
    fulfilment: str  # a fulfilment code, or "" before any outcome


@dataclass
class Row:
    id: int
    kind: str
    number: str
    text: str
    source: str
    theme: str
    references: list[str]
    responsible: str
    unit: str
    deadline: date | None
    due_meeting: str  # "RS 2017-12-19" when the report-back is due to a meeting
    status: str
    overdue: bool
    latest: LatestUpdate | None
    measures: list[MeasureLine]
    closing: str = ""  # "RS 171219 § 12": the decision that closed it
    closing_id: int | None = None
    indicators: list[IndicatorLine] = field(default_factory=list)
    source_kind: str = ""  # a SourceKind; "" in lists kept before it was shown
    response_due: date | None = None  # an audit report's response date

    @property
    def name(self) -> str:
        """Name the item by its source: "Granskning av …, rek. 2"."""
        return item_name(self.source, self.kind, self.number)

    @property
    def late_measures(self) -> int:
        return sum(line.overdue for line in self.measures)

    @property
    def late(self) -> bool:
        """Tell whether the item or one of its measures is past its date."""
        return self.overdue or bool(self.late_measures)

    @property
    def summary(self) -> str:
        return measure_summary(self.measures)


@dataclass
class Group:
    name: str
    rows: list[Row]


@dataclass
class Report:
    """A follow-up list as shown: live from the database, or read back from a kept copy."""

    title: str
    body: str  # the body it is for, when one
    meeting: str  # the meeting it is for, when one
    dated: date
    grouping: str
    criteria: list[list[str]]  # [label, value] of each filter in use, as shown
    groups: list[Group]
    dnr: str = ""  # the list's registry number, when the secretary gives one
    made_by: str = ""  # kept lists only: who kept it, when, and its fingerprint
    made_at: datetime | None = None
    fingerprint: str = ""
    intact: bool = True  # a kept list's snapshot still matches its fingerprint
    # A page of the live list: its number, the number of pages, all items, the first shown.
    page: int = 1
    pages: int = 1
    total: int = 0
    first: int = 0

    @property
    def count(self) -> int:
        return sum(len(group.rows) for group in self.groups)

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def has_references(self) -> bool:
        """Tell whether some row has a decision reference: else the column is left out."""
        return any(row.references for row in self.rows)


# Words of the roll-up.


def item_name(source: str, kind: str, number: str) -> str:
    """Name an item by its report or decision and its number: "Granskning av …, rek. 2"."""
    if not number:
        return source
    if kind == "assignment":
        return _("%(source)s, assignment %(number)s", source=source, number=number)
    return _("%(source)s, rec. %(number)s", source=source, number=number)


def measure_state(line: MeasureLine) -> str:
    """Return what a measure counts as in the summary: overdue, else its status."""
    if line.overdue or (line.judgement == "delayed" and line.status not in CLOSED_MEASURE_STATUSES):
        return "overdue"
    return line.status


# "3 done" in each language, worded once: a list of 200 items sums up hundreds of measures.
_STATE_WORDS: dict[tuple[str, str, int], str] = {}


def _state_words(state: str, count: int) -> str:
    key = (str(get_locale()), state, count)
    if key not in _STATE_WORDS:
        _STATE_WORDS[key] = _worded_state(state, count)
    return _STATE_WORDS[key]


def _worded_state(state: str, count: int) -> str:
    words = {
        "overdue": ngettext("%(num)d overdue", "%(num)d overdue", count),
        MeasureStatus.DONE: ngettext("%(num)d done", "%(num)d done", count),
        MeasureStatus.ONGOING: ngettext("%(num)d ongoing", "%(num)d ongoing", count),
        MeasureStatus.PLANNED: ngettext("%(num)d planned", "%(num)d planned", count),
        MeasureStatus.POSTPONED: ngettext("%(num)d postponed", "%(num)d postponed", count),
        MeasureStatus.CANCELLED: ngettext("%(num)d cancelled", "%(num)d cancelled", count),
        "measures": ngettext("%(num)d measure", "%(num)d measures", count),
    }
    return words.get(state, f"{count} {state}")


def measure_summary(lines: list[MeasureLine]) -> str:
    """Sum up an item's measures: "3 measures: 1 done, 1 ongoing, 1 overdue"."""
    if not lines:
        return ""
    counts: dict[str, int] = {}
    for line in lines:
        state = measure_state(line)
        counts[state] = counts.get(state, 0) + 1
    order = ("done", "ongoing", "planned", "postponed", "overdue", "cancelled")
    parts = [
        _state_words(state, counts[state])
        for state in sorted(counts, key=lambda s: order.index(s) if s in order else len(order))
    ]
    total = _state_words("measures", len(lines))
    return f"{total}: {', '.join(parts)}"


def suggests_reported(status: str, measures: list[Measure]) -> bool:
    """Tell whether an open item's measures are all finished, at least one of them done."""
    return (
        status in (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
        and bool(measures)
        and all(measure.status in CLOSED_MEASURE_STATUSES for measure in measures)
        and any(measure.status == MeasureStatus.DONE for measure in measures)
    )


def mark_reported(session: Session, item: Recommendation, *, user: User) -> StatusUpdate:
    """Set an item whose measures are all done to reported, with a status update that says so."""
    return post_status_update(
        session,
        item,
        author=user,
        text=_("All measures are done: the item is marked as reported."),
        status=RecommendationStatus.REPORTED,
    )


# Building the list.


def meeting_label(code: str, meeting: Meeting) -> str:
    """Name a meeting the way lists show it: "RS 2017-12-19"."""
    return f"{code} {meeting.held_on.isoformat()}"


def default_title(body: str, meeting: Meeting | None) -> str:
    """Return the list's title: "Report-back to <body>, meeting <date>"."""
    if body and meeting:
        return _(
            "Report-back to %(body)s, meeting %(date)s", body=body, date=meeting.held_on.isoformat()
        )
    if body:
        return _("Report-back to %(body)s", body=body)
    return _("Report-back")


def _filtered(criteria: Criteria):
    due_meeting, deadline = deadline_column()
    responsible = aliased(User, name="responsible")
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
        )
        .join(Source, Recommendation.source_id == Source.id)
        .join(responsible, Recommendation.responsible_id == responsible.id, isouter=True)
        .join(Unit, Recommendation.unit_id == Unit.id, isouter=True)
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .order_by(Source.id, Recommendation.id)
    )
    if criteria.body_id:
        has_reference = exists().where(
            DecisionReference.recommendation_id == Recommendation.id,
            DecisionReference.body_id == criteria.body_id,
        )
        query = query.where(
            or_(
                Source.issuer_id == criteria.body_id,
                Source.addressee_id == criteria.body_id,
                due_meeting.body_id == criteria.body_id,
                has_reference,
            )
        )
    for column, value in (
        (Recommendation.due_meeting_id, criteria.meeting_id),
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
    return query


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


def _newest_first(partition_by):
    """Number the status updates of each partition, 1 for the newest."""
    newest = (
        StatusUpdate.reported_on.desc(),
        StatusUpdate.created_at.desc(),
        StatusUpdate.id.desc(),
    )
    return func.row_number().over(partition_by=partition_by, order_by=newest).label("rank")


def latest_updates(session: Session, ids: list[int]) -> dict[int, StatusUpdate]:
    """Return the latest status update of each recommendation, in one query."""
    if not ids:
        return {}
    rank = _newest_first(StatusUpdate.recommendation_id)
    ranked = (
        select(StatusUpdate.id.label("id"), rank)
        .where(StatusUpdate.recommendation_id.in_(ids))
        .subquery()
    )
    query = select(StatusUpdate).join(ranked, ranked.c.id == StatusUpdate.id)
    return {
        update.recommendation_id: update for update in session.exec(query.where(ranked.c.rank == 1))
    }


def measure_updates(session: Session, ids: list[int]) -> dict[int, tuple[StatusUpdate, str]]:
    """Return the latest status update on any measure of each recommendation, in one query."""
    if not ids:
        return {}
    rank = _newest_first(RecommendationMeasure.recommendation_id)
    ranked = (
        select(
            RecommendationMeasure.recommendation_id.label("item_id"),
            StatusUpdate.id.label("id"),
            rank,
        )
        .join(StatusUpdate, StatusUpdate.measure_id == RecommendationMeasure.measure_id)
        .where(RecommendationMeasure.recommendation_id.in_(ids))
        .subquery()
    )
    query = (
        select(ranked.c.item_id, StatusUpdate, Measure.title)
        .join(StatusUpdate, StatusUpdate.id == ranked.c.id)
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .where(ranked.c.rank == 1)
    )
    return {item_id: (update, title) for item_id, update, title in session.exec(query)}


def _newest(own: StatusUpdate | None, on_measure: tuple[StatusUpdate, str] | None):
    """Return the newer of an item's own latest update and its measures' as a LatestUpdate.

    A measure's update replaces the item's own only when it speaks for a later day: the
    item's own update of a day is the report-back written for it.
    """
    update, measure = own, ""
    if on_measure and (own is None or on_measure[0].reported_on > own.reported_on):
        update, measure = on_measure
    if update is None:
        return None
    return LatestUpdate(update.text, update.reported_on, update.author_name or "", measure)


def measures_of(session: Session, ids: list[int]) -> dict[int, list[MeasureLine]]:
    """Return the measures linked to each recommendation, with owners, in one query."""
    result: dict[int, list[MeasureLine]] = {id_: [] for id_ in ids}
    if not ids:
        return result
    # Only the columns a line shows: descriptions are long and never printed here.
    query = (
        select(
            RecommendationMeasure.recommendation_id,
            Measure.id,
            Measure.title,
            User.name,
            Measure.due_date,
            Measure.status,
            Measure.judgement,
        )
        .join(Measure, RecommendationMeasure.measure_id == Measure.id)
        .join(User, Measure.owner_id == User.id, isouter=True)
        .where(RecommendationMeasure.recommendation_id.in_(ids))
        .order_by(Measure.due_date.nulls_last(), Measure.id)
    )
    today = dates.today()
    for recommendation_id, id_, title, owner, due, status, judgement in session.exec(query):
        overdue = bool(due and due < today and status not in CLOSED_MEASURE_STATUSES)
        result[recommendation_id].append(
            MeasureLine(id_, title, owner or "", due, status, judgement, overdue=overdue)
        )
    return result


def indicator_lines(session: Session, ids: list[int]) -> dict[int, list[IndicatorLine]]:
    """Return, per item, the indicators its measures aim to move, in two queries."""
    lines: dict[int, list[IndicatorLine]] = {}
    for item_id, statuses in indicators_for_recommendations(session, ids).items():
        lines[item_id] = [
            IndicatorLine(
                name=status.indicator.name,
                target=target_text(status.indicator),
                latest=f"{status.latest.label}: "
                f"{format_value(status.latest.total, status.indicator.measure_unit)}"
                if status.latest
                else "",
                fulfilment=status.latest.fulfilment if status.latest else "",
            )
            for status in statuses
        ]
    return lines


def closings_of(session: Session, ids: list[int]) -> dict[int, tuple[int, str]]:
    """Return the latest closing decision of each closed recommendation, in one query."""
    if not ids:
        return {}
    query = (
        select(ClosedItem.recommendation_id, ClosingDecision, Body.code)
        .join(ClosingDecision, ClosedItem.decision_id == ClosingDecision.id)
        .join(Body, ClosingDecision.body_id == Body.id)
        .where(ClosedItem.recommendation_id.in_(ids))
        .order_by(ClosingDecision.recorded_at, ClosingDecision.id)
    )
    return {
        recommendation_id: (
            decision.id,
            format_reference(code, decision.decided_on, decision.paragraph),
        )
        for recommendation_id, decision, code in session.exec(query)
    }


def _group_name(grouping: str, source: str, theme: str, source_dnr: str, body: Body | None):
    if grouping == "source":
        return f"{source} ({_('Dnr')} {source_dnr})" if source_dnr else source
    if grouping == "body":
        return body.name if body else _("No body")
    return theme or _("No theme")


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


def build_report(
    session: Session,
    *,
    criteria: Criteria,
    grouping: str = "theme",
    title: str | None = None,
    meeting_id: int | None = None,
    dnr: str = "",
    body_rows: list[Body] | None = None,
    page: int | None = None,
) -> Report:
    """Return the follow-up list for the criteria, grouped; a constant number of queries.

    The list is for meeting_id when given, else for the meeting or body it is filtered on.
    With a page number, only that page's PAGE_SIZE items are read in full and shown.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    if criteria.since_last_meeting and not criteria.changed_since:
        criteria = replace(criteria, changed_since=last_meeting_before(session, criteria))
        if criteria.changed_since is None:
            criteria.since_last_meeting = False
    # The filters' bodies when the page has read them already: one query fewer.
    rows = body_rows if body_rows is not None else session.exec(select(Body))
    bodies = {body.id: body for body in rows}
    codes = {body.code: body for body in bodies.values()}
    results = session.exec(_filtered(criteria)).all()
    ids = [result[0].id for result in results]
    references = references_of(session, ids)
    # Measures of every item only when the order needs them; else only the page's.
    measures = measures_of(session, ids) if criteria.sort == "overdue" else None
    today = dates.today()

    # The whole list in its order first, from the light columns; the rest for the page.
    groups: dict[str, list] = {}
    for result in results:
        item, source, source_dnr, issuer_id, addressee_id = result[:5]
        meeting_body, due = result[8], result[9]
        # An item's body: the meeting it reports to, the source's addressee or issuer,
        # else the body of its first decision reference.
        body_id = meeting_body or addressee_id or issuer_id
        body = bodies.get(body_id) if body_id else None
        if body is None and references[item.id]:
            body = codes.get(references[item.id][0].split(" ", 1)[0])
        overdue = bool(due and due < today and item.status not in NOT_DUE_STATUSES)
        late = overdue or bool(measures and any(line.overdue for line in measures[item.id]))
        name = _group_name(grouping, source, item.theme, source_dnr, body)
        groups.setdefault(name, []).append((late, result))
    # Items without a theme or body come last; other groups keep their first item's order.
    ordered = sorted(groups.items(), key=lambda group: group[0] in (_("No theme"), _("No body")))
    if criteria.sort == "overdue":
        # Stable sorts: within each part, the list's own order is kept.
        for _name, entries in ordered:
            entries.sort(key=lambda entry: not entry[0])
        ordered.sort(key=lambda group: not any(late for late, _result in group[1]))

    total = len(results)
    pages = max(1, -(-total // PAGE_SIZE)) if page else 1
    number = min(max(1, page or 1), pages)
    first, last = ((number - 1) * PAGE_SIZE, number * PAGE_SIZE) if page else (0, total)
    shown: list[tuple[str, tuple]] = []
    for name, entries in ordered:
        for _late, result in entries:
            shown.append((name, result))
    shown = shown[first:last]
    page_ids = [result[0].id for _name, result in shown]
    if measures is None:
        measures = measures_of(session, page_ids)
    updates = latest_updates(session, page_ids)
    on_measures = measure_updates(session, page_ids)
    closings = closings_of(session, page_ids)
    indicators = indicator_lines(session, page_ids)

    page_groups: dict[str, Group] = {}
    for name, result in shown:
        item, source, _dnr, _issuer, _addressee, responsible, unit, held_on = result[:8]
        meeting_body, due, source_kind, response_due = result[8:]
        closing_id, closing = closings.get(item.id, (None, ""))
        meeting_code = bodies[meeting_body].code if meeting_body else ""
        row = Row(
            id=item.id,
            kind=item.kind,
            number=item.number,
            text=item.text,
            source=source,
            theme=item.theme,
            references=references[item.id],
            responsible=responsible or "",
            unit=unit or "",
            deadline=due,
            due_meeting=f"{meeting_code} {held_on.isoformat()}" if held_on else "",
            status=item.status,
            overdue=bool(due and due < today and item.status not in NOT_DUE_STATUSES),
            latest=_newest(updates.get(item.id), on_measures.get(item.id)),
            measures=measures[item.id],
            closing=closing,
            closing_id=closing_id,
            indicators=indicators[item.id],
            source_kind=source_kind,
            response_due=response_due if source_kind == SourceKind.AUDIT_REPORT else None,
        )
        page_groups.setdefault(name, Group(name, [])).rows.append(row)

    for_meeting = meeting_id or criteria.meeting_id
    meeting = session.get(Meeting, for_meeting) if for_meeting else None
    if meeting:
        body_name = bodies[meeting.body_id].name
    elif criteria.body_id and criteria.body_id in bodies:
        body_name = bodies[criteria.body_id].name
    else:
        body_name = ""
    return Report(
        title=(title or "").strip() or default_title(body_name, meeting),
        body=body_name,
        meeting=meeting_label(bodies[meeting.body_id].code, meeting) if meeting else "",
        dated=today,
        grouping=grouping,
        criteria=_shown_criteria(session, criteria, bodies),
        groups=list(page_groups.values()),
        dnr=dnr.strip(),
        page=number,
        pages=pages,
        total=total,
        first=first + 1 if total else 0,
    )


# Kept lists: a frozen copy of every row, as the meeting was shown it.


def _as_json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_json(item) for item in value]
    return value


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def snapshot_of(report: Report) -> dict:
    """Return the report as plain JSON data: title, groups and rows."""
    data = asdict(report)
    for key in ("made_by", "made_at", "fingerprint", "intact", "page", "pages", "total", "first"):
        data.pop(key)
    return _as_json(data)


def fingerprint_of(snapshot: dict) -> str:
    """Return the SHA-256 of a snapshot's canonical JSON."""
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_from_snapshot(snapshot: dict) -> Report:
    """Read a report back from its snapshot."""
    groups = []
    for group in snapshot["groups"]:
        rows = []
        for row in group["rows"]:
            latest = row["latest"]
            on_measure = (latest or {}).get("measure", "")
            rows.append(
                Row(
                    **(
                        row
                        | {
                            "deadline": _day(row["deadline"]),
                            "response_due": _day(row.get("response_due")),
                            "latest": latest
                            and LatestUpdate(
                                latest["text"],
                                _day(latest["reported_on"]),
                                latest["author"],
                                on_measure,
                            ),
                            "measures": [
                                MeasureLine(**(line | {"due": _day(line["due"])}))
                                for line in row["measures"]
                            ],
                            # Lists kept before indicators were shown have none.
                            "indicators": [
                                IndicatorLine(**line) for line in row.get("indicators", [])
                            ],
                        }
                    )
                )
            )
        groups.append(Group(group["name"], rows))
    return Report(
        title=snapshot["title"],
        body=snapshot["body"],
        meeting=snapshot["meeting"],
        dated=_day(snapshot["dated"]),
        grouping=snapshot["grouping"],
        criteria=snapshot["criteria"],
        groups=groups,
        dnr=snapshot.get("dnr", ""),
    )


def keep_list(
    session: Session, *, report: Report, meeting_id: int, params: dict, user: User
) -> KeptList:
    """Keep a frozen, signed copy of the report for a meeting."""
    snapshot = snapshot_of(report)
    kept = KeptList(
        meeting_id=meeting_id,
        title=report.title,
        dated=report.dated,
        grouping=report.grouping,
        criteria=params,
        snapshot=snapshot,
        item_count=report.count,
        digest=fingerprint_of(snapshot),
        made_by_id=user.id,
        made_by_name=user.name,
    )
    session.add(kept)
    session.flush()
    return kept


def kept_report(kept: KeptList) -> Report:
    """Return a kept list's report as it was kept, signed, and checked against its fingerprint."""
    report = report_from_snapshot(kept.snapshot)
    report.made_by = kept.made_by_name
    report.made_at = kept.made_at
    report.fingerprint = kept.digest
    report.intact = fingerprint_of(kept.snapshot) == kept.digest
    return report


def kept_lists_of(session: Session, meeting_id: int) -> list[KeptList]:
    """Return the lists kept for a meeting, newest first."""
    query = (
        select(KeptList)
        .where(KeptList.meeting_id == meeting_id)
        .order_by(KeptList.made_at.desc(), KeptList.id.desc())
    )
    return list(session.exec(query))


# Closing: a body's decision on one or more items.


# What each of the boards' closing formulas does to the items: closes them, or keeps them
# followed (measures still ongoing).
FORMULA_OUTCOMES = {
    "answered": RecommendationStatus.CLOSED,
    "filed": RecommendationStatus.CLOSED,
    "approve_ongoing": RecommendationStatus.IN_PROGRESS,
}


class CloseError(ValueError):
    """The items cannot be closed as asked; the message says why."""


def closable_items(session: Session, ids: list[int]) -> list[Recommendation]:
    """Return the recommendations with these ids, in list order."""
    if not ids:
        return []
    query = (
        select(Recommendation)
        .where(Recommendation.id.in_(ids))
        .order_by(Recommendation.source_id, Recommendation.id)
    )
    return list(session.exec(query))


def close_items(
    session: Session,
    *,
    recommendation_ids: list[int],
    outcome: str,
    body_id: int,
    decided_on: date,
    paragraph: str,
    text: str,
    user: User,
    evidence=None,
    formula: str = "",
    dnr: str = "",
) -> ClosingDecision:
    """Record one decision and close every item with it, each with a status update.

    A board's formula decides the outcome: some keep the items followed instead.
    Raise CloseError if an item is unknown or already closed.
    """
    if formula:
        outcome = FORMULA_OUTCOMES.get(formula, "")
    if outcome not in (*CLOSED_RECOMMENDATION_STATUSES, *FORMULA_OUTCOMES.values()):
        raise CloseError(_("Choose how the decision closes the items."))
    body = session.get(Body, body_id)
    if body is None:
        raise CloseError(_("Choose the body that decided."))
    items = closable_items(session, list(dict.fromkeys(recommendation_ids)))
    if not items or len(items) != len(set(recommendation_ids)):
        raise CloseError(_("Choose at least one item that exists."))
    closed = [item for item in items if item.status in CLOSED_RECOMMENDATION_STATUSES]
    if closed:
        raise CloseError(
            _(
                "Already closed: %(items)s. Leave them out, or reopen them with a status update.",
                items=", ".join(f"“{item.text[:60]}”" for item in closed),
            )
        )
    decision = ClosingDecision(
        body_id=body.id,
        decided_on=decided_on,
        paragraph=paragraph.strip(),
        dnr=dnr.strip(),
        formula=formula,
        outcome=outcome,
        text=text.strip(),
        recorded_by_id=user.id,
    )
    if evidence is not None:
        decision.evidence_name = evidence.name
        decision.evidence_file = evidence.file
        decision.evidence_type = evidence.media_type
        decision.evidence_size = evidence.size
    session.add(decision)
    session.flush()
    reference = with_dnr(format_reference(body.code, decided_on, decision.paragraph), decision.dnr)
    for item in items:
        session.add(ClosedItem(decision_id=decision.id, recommendation_id=item.id))
        # The reason goes on this item's log rows: its status change and its link.
        set_reason(session, _("Closed by decision %(reference)s", reference=reference))
        post_status_update(
            session,
            item,
            author=user,
            text=_("Decision %(reference)s: %(text)s", reference=reference, text=decision.text),
            status=outcome,
            reported_on=decided_on,
        )
    return decision


@dataclass
class DecisionView:
    decision: ClosingDecision
    reference: str
    body: Body
    recorded_by: str
    items: list[Recommendation] = field(default_factory=list)


def decision_view(session: Session, decision: ClosingDecision) -> DecisionView:
    """Return a decision with its body, reference, recorder and the items it closed."""
    body = session.get(Body, decision.body_id)
    recorder = decision.recorded_by_id and session.get(User, decision.recorded_by_id)
    items = session.exec(
        select(Recommendation)
        .join(ClosedItem, ClosedItem.recommendation_id == Recommendation.id)
        .where(ClosedItem.decision_id == decision.id)
        .order_by(Recommendation.source_id, Recommendation.id)
    ).all()
    return DecisionView(
        decision=decision,
        reference=with_dnr(
            format_reference(body.code, decision.decided_on, decision.paragraph), decision.dnr
        ),
        body=body,
        recorded_by=recorder.name if recorder else "",
        items=list(items),
    )


def choices_for_filters(session: Session) -> dict:
    """Return the options of the list's select filters: bodies, meetings, themes, units.

    Sources and people are looked up from what the user types (tracker/lookup.py).
    """
    bodies = list(session.exec(select(Body).order_by(Body.code)))
    codes = {body.id: body.code for body in bodies}
    meetings = session.exec(select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id))
    themes = session.exec(select(Recommendation.theme).where(Recommendation.theme != "").distinct())
    return {
        "body_rows": bodies,
        "bodies": [(body.id, f"{body.code} – {body.name}") for body in bodies],
        "meetings": [
            (m.id, f"{meeting_label(codes[m.body_id], m)} {m.title}".strip()) for m in meetings
        ],
        "themes": sorted(themes),
        "units": [(unit.id, unit.name) for unit in session.exec(select(Unit).order_by(Unit.name))],
    }
