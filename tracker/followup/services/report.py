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
    _filtered,
    _shown_criteria,
    last_meeting_before,
    meeting_label,
)
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


def _group_name(grouping: str, source: str, theme: str, source_dnr: str, body: Body | None) -> str:
    if grouping == "source":
        return f"{source} ({_('Dnr')} {source_dnr})" if source_dnr else source
    if grouping == "body":
        return body.name if body else _("No body")
    return theme or _("No theme")


def _upcoming(session, results, updates, criteria, meetings) -> dict[int, date | None]:
    """Return the next deadline of each recurring item among the results."""
    # A recurring report-back is due at its next meeting or date, not at the first one; its
    # last report is its latest update's day. A list for one meeting shows what is due to it.
    if criteria.meeting_id:
        return {}
    return next_deadlines(
        session,
        [(result[0], result[4] or result[3]) for result in results if result[0].recurrence],
        reported={id_: update.reported_on for id_, update in updates.items()},
        meetings=meetings,
    )


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
    if criteria.since_last_meeting and not criteria.changed_since:
        criteria = replace(criteria, changed_since=last_meeting_before(session, criteria))
        if criteria.changed_since is None:
            criteria.since_last_meeting = False
    # The filters' bodies when the page has read them already: one query fewer.
    rows = body_rows if body_rows is not None else session.exec(select(Body))
    bodies = {body.id: body for body in rows}
    results = session.exec(_filtered(criteria)).all()
    ids = [result[0].id for result in results]
    references = reference_rows(session, ids)
    # Every item's measures and updates only when the order needs them; else only the page's.
    by_lateness = criteria.sort == "overdue"
    measures = measures_of(session, ids) if by_lateness else None
    updates = latest_updates(session, ids) if by_lateness else None
    upcoming = _upcoming(session, results, updates, criteria, meeting_rows) if by_lateness else {}
    today = dates.today()

    # The whole list in its order first, from the light columns; the rest for the page.
    groups: dict[tuple[bool, str], list] = {}
    for result in results:
        item, source, source_dnr, issuer_id, addressee_id = result[:5]
        meeting_body, due, addressee, addressees = result[8], result[9], result[12], result[13]
        # An item's body: the addressee the row is for when the source has several, else
        # the meeting it reports to, the source's addressee or issuer, else the body of its
        # first decision reference.
        body_id = addressee if addressees > 1 else meeting_body or addressee_id or issuer_id
        if not body_id and references[item.id]:
            body_id = references[item.id][0][1]
        body = bodies.get(body_id) if body_id else None
        due = upcoming.get(item.id) or due
        overdue = item_overdue(item.status, due, today)
        late = overdue or bool(measures and any(line.overdue for line in measures[item.id]))
        name = _group_name(grouping, source, item.theme, source_dnr, body)
        # Decided from the row, not the shown name: a theme or body may be named "No theme".
        unnamed = (grouping == "theme" and not item.theme) or (grouping == "body" and body is None)
        groups.setdefault((unnamed, name), []).append((late, result))
    # Items without a theme or body come last; other groups keep their first item's order.
    ordered = sorted(groups.items(), key=lambda group: group[0][0])
    if by_lateness:
        # Stable sorts: within each part, the list's own order is kept.
        for _key, entries in ordered:
            entries.sort(key=lambda entry: not entry[0])
        ordered.sort(key=lambda group: not any(late for late, _result in group[1]))

    total = len(results)
    pages = max(1, -(-total // PAGE_SIZE)) if page else 1
    number = min(max(1, page or 1), pages)
    first, last = ((number - 1) * PAGE_SIZE, number * PAGE_SIZE) if page else (0, total)
    shown = [(key, result) for key, entries in ordered for _late, result in entries]
    shown = shown[first:last]
    page_ids = [result[0].id for _key, result in shown]
    if measures is None:
        measures = measures_of(session, page_ids)
    if updates is None:
        updates = latest_updates(session, page_ids)
        upcoming = _upcoming(
            session, [result for _key, result in shown], updates, criteria, meeting_rows
        )
    on_measures = measure_updates(session, page_ids)
    for id_ in page_ids:
        for line in measures[id_]:
            line.latest = as_latest(on_measures.get(line.id), line.assumed)
    closings = closings_of(session, page_ids)
    indicators = indicator_lines(session, page_ids)
    # Read only when a row's addressee adopted its answer: most lists hold none.
    adopted = [result[0].id for _key, result in shown if result[15]]
    answers = answers_on(session, adopted, adopted_only=True)

    page_groups: dict[tuple[bool, str], Group] = {}
    for key, result in shown:
        item, source, _dnr, _issuer, _addressee, responsible, unit, held_on = result[:8]
        meeting_body, due, source_kind, response_due, addressee, addressees = result[8:14]
        source_assumed = ["source_title"] if "title" in (result[14] or []) else []
        closing_id, closing = closings.get(item.id, (None, ""))
        due = upcoming.get(item.id) or due
        meeting_code = bodies[meeting_body].code if meeting_body else ""
        row = Row(
            id=item.id,
            kind=item.kind,
            number=item.number,
            text=item.text,
            source=source,
            theme=item.theme,
            references=[text for text, _body_id in references[item.id]],
            responsible=responsible or "",
            unit=unit or "",
            deadline=due,
            due_meeting=f"{meeting_code} {held_on.isoformat()}" if held_on else "",
            status=item.status,
            overdue=item_overdue(item.status, due, today),
            latest=as_latest(updates.get(item.id), item.assumed),
            measures=measures[item.id],
            closing=closing,
            closing_id=closing_id,
            indicators=indicators[item.id],
            source_kind=source_kind,
            response_due=response_due if source_kind == SourceKind.AUDIT_REPORT else None,
            addressee=bodies[addressee].code if addressees > 1 else "",
            deadline_words=deadline_words(item),
            assumed=list(item.assumed or []) + source_assumed,
            original=item.original_due_date if item.original_due_date != due else None,
            answer=answer_line(answers.get(item.id, []), addressee if addressees > 1 else None),
        )
        page_groups.setdefault(key, Group(key[1], [])).rows.append(row)

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
        dated=dated or (meeting.held_on if meeting else today),
        grouping=grouping,
        criteria=_shown_criteria(session, criteria, bodies),
        groups=list(page_groups.values()),
        dnr=dnr.strip(),
        proposal=proposal_text(proposal, body_name),
        page=number,
        pages=pages,
        total=total,
        first=first + 1 if total else 0,
    )
