"""The follow-up list as shown: rows in groups, built live from the database."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask_babel import gettext as _
from markupsafe import Markup
from sqlmodel import Session, select

from tracker import dates, labels
from tracker.followup.services.criteria import (
    GROUPINGS,
    Criteria,
    filtered,
    last_meeting_before,
    meeting_label,
    shown_criteria,
)
from tracker.followup.services.found import Found, Paging, in_groups
from tracker.followup.services.lines import (
    IndicatorLine,
    LatestUpdate,
    MeasureLine,
    as_latest,
    closings_of,
    indicator_lines,
    item_name,
    latest_updates,
    marked_item_name,
    measure_summary,
    measure_updates,
    measures_of,
)
from tracker.models import (
    CLOSED_RECOMMENDATION_STATUSES,
    Body,
    Meeting,
    SourceKind,
)
from tracker.overdue import item_overdue
from tracker.recommendations.deadlines import next_deadlines
from tracker.recommendations.services import reference_rows
from tracker.responses.adopted import answer_line, answers_on

# Items on one page of the list; the exports and kept lists hold every item.
PAGE_SIZE = 200


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
    # The addressee this row is for, "HSN", when the source has several: each acts for itself.
    addressee: str = ""
    # A deadline the documents give in words: "våren 2018", "Årligen", "Vid varje sammanträde".
    deadline_words: str = ""
    # Fields the seed had to assume: the item's own, and "source_title" for its source's.
    assumed: list[str] = field(default_factory=list)
    # The first report-back date set, when the deadline moved since (issue 30).
    original: date | None = None
    # The addressee's adopted answer: its position and the decision (§, date, Dnr).
    answer: str = ""

    @property
    def name(self) -> str:
        """Name the item by its source: "Granskning av …, rek. 2"."""
        return item_name(self.source, self.kind, self.number)

    @property
    def marked_name(self) -> Markup:
        """Name the item for a page: its source's Swedish title marked on an English page."""
        return marked_item_name(self.source, self.kind, self.number)

    @property
    def closed(self) -> bool:
        """Tell whether the board has closed the item: it can no longer be selected to close."""
        return self.status in CLOSED_RECOMMENDATION_STATUSES

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

    @property
    def decision(self) -> list[str]:
        """Return what the decision column shows: the references, else a plan's name."""
        if self.references:
            return self.references
        return [self.source] if self.source_kind == SourceKind.PLAN else []

    def is_assumed(self, name: str) -> bool:
        return name in self.assumed


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
    proposal: str = ""  # "Förslag till beslut": the board's formula, as written on the paper
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


def deadline_words(item) -> str:
    """Return a deadline the documents give in words: a period, or a recurring rule."""
    if item.due_period:
        return item.due_period
    if item.recurrence:
        return str(labels.label(labels.RECURRENCES, item.recurrence))
    return ""


def proposal_text(key: str, body: str) -> str:
    """Write the proposed decision: "Regionstyrelsen beslutar att lägga ... till handlingarna"."""
    if key not in labels.LIST_PROPOSALS:
        return ""
    return _(
        "%(body)s decides to %(formula)s.",
        body=body or _("The board"),
        formula=labels.label(labels.LIST_PROPOSALS, key),
    )


def default_title(body: str, meeting: Meeting | None) -> str:
    """Return the list's title: "Report-back to <body>, meeting <date>"."""
    if body and meeting:
        return _(
            "Report-back to %(body)s, meeting %(date)s", body=body, date=meeting.held_on.isoformat()
        )
    if body:
        return _("Report-back to %(body)s", body=body)
    return _("Report-back")


def _upcoming(session, found: list[Found], updates, criteria, meetings) -> dict[int, date | None]:
    """Return the next deadline of each recurring item among the rows."""
    # A recurring report-back is due at its next meeting or date, not at the first one; its
    # last report is its latest update's day. A list for one meeting shows what is due to it.
    if criteria.meeting_id:
        return {}
    return next_deadlines(
        session,
        [(row.item, row.addressee_id or row.issuer_id) for row in found if row.item.recurrence],
        reported={id_: update.reported_on for id_, update in updates.items()},
        meetings=meetings,
    )


@dataclass
class Lines:
    """What the list shows under its items, read for the rows it needs."""

    measures: dict[int, list[MeasureLine]]
    updates: dict  # each item's latest update
    upcoming: dict[int, date | None]  # each recurring item's next deadline
    closings: dict = field(default_factory=dict)
    indicators: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)

    @classmethod
    def read(cls, session, found: list[Found], criteria, meetings) -> "Lines":
        """Read the rows' measures, latest updates and next deadlines."""
        ids = [row.item.id for row in found]
        measures = measures_of(session, ids)
        updates = latest_updates(session, ids)
        return cls(measures, updates, _upcoming(session, found, updates, criteria, meetings))

    def deadline(self, row: Found) -> date | None:
        """Return the row's deadline: a recurring item's next, else its own."""
        return self.upcoming.get(row.item.id) or row.deadline

    def late(self, row: Found, today: date) -> bool:
        """Tell whether the item or one of its measures is overdue."""
        overdue = item_overdue(row.item.status, self.deadline(row), today)
        return overdue or any(line.overdue for line in self.measures[row.item.id])

    def fill(self, session, shown: list[Found]) -> None:
        """Read what the page's rows show beyond their measures: each measure's latest update,
        the closing decisions, indicators and adopted answers."""
        ids = [row.item.id for row in shown]
        on_measures = measure_updates(session, ids)
        for id_ in ids:
            for line in self.measures[id_]:
                line.latest = as_latest(on_measures.get(line.id), line.assumed)
        self.closings = closings_of(session, ids)
        self.indicators = indicator_lines(session, ids)
        # Read only when a row's addressee adopted its answer: most lists hold none.
        adopted = [row.item.id for row in shown if row.adopted]
        self.answers = answers_on(session, adopted, adopted_only=True)


def _row(row: Found, lines: Lines, bodies: dict[int, Body], references: dict, today) -> Row:
    """Shape one found row as the list shows it."""
    item = row.item
    due = lines.deadline(row)
    closing_id, closing = lines.closings.get(item.id, (None, ""))
    source_assumed = ["source_title"] if "title" in (row.source_assumed or []) else []
    addressee = row.addressee if row.several else None
    return Row(
        id=item.id,
        kind=item.kind,
        number=item.number,
        text=item.text,
        source=row.source,
        theme=item.theme,
        references=[text for text, _body_id in references[item.id]],
        responsible=row.responsible or "",
        unit=row.unit or "",
        deadline=due,
        due_meeting=_due_meeting(row, bodies),
        status=item.status,
        overdue=item_overdue(item.status, due, today),
        latest=as_latest(lines.updates.get(item.id), item.assumed),
        measures=lines.measures[item.id],
        closing=closing,
        closing_id=closing_id,
        indicators=lines.indicators[item.id],
        source_kind=row.source_kind,
        response_due=row.response_due if row.source_kind == SourceKind.AUDIT_REPORT else None,
        addressee=bodies[addressee].code if addressee else "",
        deadline_words=deadline_words(item),
        assumed=list(item.assumed or []) + source_assumed,
        original=item.original_due_date if item.original_due_date != due else None,
        answer=answer_line(lines.answers.get(item.id, []), addressee),
    )


def _due_meeting(row: Found, bodies: dict[int, Body]) -> str:
    """Name the meeting an item reports back to: "RS 2017-12-19"; "" when none."""
    if not row.held_on:
        return ""
    code = bodies[row.meeting_body].code if row.meeting_body else ""
    return f"{code} {row.held_on.isoformat()}"


def _since_last_meeting(session: Session, criteria: Criteria) -> Criteria:
    """Return the criteria with "changed since the last meeting" made a date."""
    if criteria.since_last_meeting and not criteria.changed_since:
        criteria = replace(criteria, changed_since=last_meeting_before(session, criteria))
        if criteria.changed_since is None:
            criteria.since_last_meeting = False
    return criteria


def _for_whom(session, criteria: Criteria, meeting_id, bodies) -> tuple[Meeting | None, str]:
    """Return the meeting the list is for, if any, and the name of its body."""
    for_meeting = meeting_id or criteria.meeting_id
    meeting = session.get(Meeting, for_meeting) if for_meeting else None
    if meeting:
        return meeting, bodies[meeting.body_id].name
    if criteria.body_id and criteria.body_id in bodies:
        return None, bodies[criteria.body_id].name
    return None, ""


def _heading(meeting: Meeting | None, body: str, bodies, *, title, dated, today) -> dict:
    """Return the list's title, body, meeting and date: a meeting's list is dated its day."""
    return {
        "title": (title or "").strip() or default_title(body, meeting),
        "body": body,
        "meeting": meeting_label(bodies[meeting.body_id].code, meeting) if meeting else "",
        "dated": dated or (meeting.held_on if meeting else today),
    }


def build_report(
    session: Session,
    *,
    criteria: Criteria,
    grouping: str = "theme",
    title: str | None = None,
    meeting_id: int | None = None,
    dnr: str = "",
    dated: date | None = None,
    proposal: str = "",
    body_rows: list[Body] | None = None,
    meeting_rows: list[Meeting] | None = None,
    page: int | None = None,
) -> Report:
    """Return the follow-up list for the criteria, grouped; a constant number of queries.

    The list is for meeting_id when given, else for the meeting or body it is filtered on.
    With a page number, only that page's PAGE_SIZE items are read in full and shown.
    The list is dated `dated`, else its meeting's day, else today; `proposal` is a key of
    labels.LIST_PROPOSALS, the board's formula for the "proposed decision" block.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    criteria = _since_last_meeting(session, criteria)
    # The filters' bodies when the page has read them already: one query fewer.
    rows = body_rows if body_rows is not None else session.exec(select(Body))
    bodies = {body.id: body for body in rows}
    found = [Found.of(row) for row in session.exec(filtered(criteria))]
    references = reference_rows(session, [row.item.id for row in found])
    today = dates.today()
    # Every item's lines only when the order needs them; else only the page's.
    lines = None
    if criteria.sort == "overdue":
        lines = Lines.read(session, found, criteria, meeting_rows)
    late = lines and (lambda row: lines.late(row, today))
    paging = Paging.of(len(found), page, PAGE_SIZE)
    shown = paging.cut(in_groups(found, grouping, bodies, references, late))
    if lines is None:
        lines = Lines.read(session, [row for _key, row in shown], criteria, meeting_rows)
    lines.fill(session, [row for _key, row in shown])
    groups: dict[tuple[bool, str], Group] = {}
    for key, row in shown:
        groups.setdefault(key, Group(key[1], [])).rows.append(
            _row(row, lines, bodies, references, today)
        )
    meeting, body_name = _for_whom(session, criteria, meeting_id, bodies)
    return Report(
        **_heading(meeting, body_name, bodies, title=title, dated=dated, today=today),
        grouping=grouping,
        criteria=shown_criteria(session, criteria, bodies),
        groups=list(groups.values()),
        dnr=dnr.strip(),
        proposal=proposal_text(proposal, body_name),
        **paging.shown(),
    )
