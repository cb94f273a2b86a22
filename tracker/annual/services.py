"""Build the annual report: the items open at a year's start or received in it, with totals."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import aliased
from sqlmodel import Session, func, or_, select

from tracker import labels
from tracker.auth.visibility import item_visible
from tracker.date_moves import move_counts, slippage
from tracker.grades.services import current_grades
from tracker.models import (
    CLOSED_RECOMMENDATION_STATUSES,
    Body,
    ClosedItem,
    ClosingDecision,
    DecisionReference,
    Grader,
    Meeting,
    Recommendation,
    ReviewFinding,
    Source,
    SourceAddressee,
    StatusUpdate,
)
from tracker.recommendations.services import body_condition

UNGRADED = ""  # the grade key of an item nobody has graded
CASE_YEAR = re.compile(r"-((?:19|20)\d\d)\b")


@dataclass
class AnnualRow:
    id: int
    source: str
    number: str
    kind: str
    text: str
    body: str  # the body's name the row counts for
    status: str
    board_grade: str  # an Implementation, or UNGRADED
    auditors_grade: str
    original: date | None
    current: date | None
    slippage_days: int | None
    moves: int
    period: str  # the deadline in the source's words ("våren 2018"), "" if none
    recurrence: str
    assumed: list[str]  # the fields the seed had to assume ("due_date")
    report: str  # the latest report text
    auditors: str  # the auditors' latest assessment in words, "" if none

    @property
    def date_assumed(self) -> bool:
        return "due_date" in self.assumed


@dataclass
class AnnualReport:
    year: int
    body: str  # the body's name, "" for all
    rows: list[AnnualRow] = field(default_factory=list)

    def totals(self, key: str) -> list[tuple[str, int]]:
        """Return the number of rows per value of a column, largest first; they add up."""
        return Counter(getattr(row, key) for row in self.rows).most_common()

    @property
    def by_grade(self) -> list[tuple[str, int]]:
        counts = Counter(row.board_grade for row in self.rows)
        return [(code, counts[code]) for code in [*labels.GRADES, UNGRADED] if counts[code]]


def _received():
    """Return the SQL date an item was received: its report's or decision's date, else the
    first date the documents tie to it (the answer's deadline, its first report, its deadline),
    which it was received by."""
    meeting = aliased(Meeting)
    first_reference = (
        select(func.min(DecisionReference.decided_on))
        .where(DecisionReference.recommendation_id == Recommendation.id)
        .scalar_subquery()
    )
    decision_meeting = (
        select(meeting.held_on).where(meeting.id == Source.meeting_id).scalar_subquery()
    )
    first_report = (
        select(func.min(StatusUpdate.reported_on))
        .where(StatusUpdate.recommendation_id == Recommendation.id)
        .scalar_subquery()
    )
    return func.coalesce(
        Source.issued_on,
        decision_meeting,
        first_reference,
        Source.response_due,
        first_report,
        Recommendation.original_due_date,
    )


def _closed_on():
    return (
        select(func.max(ClosingDecision.decided_on))
        .join(ClosedItem, ClosedItem.decision_id == ClosingDecision.id)
        .where(
            ClosedItem.recommendation_id == Recommendation.id,
            ClosingDecision.outcome.in_(CLOSED_RECOMMENDATION_STATUSES),
        )
        .scalar_subquery()
    )


def build_annual_report(session: Session, *, year: int, body_id: int | None) -> AnnualReport:
    """Return every item open at the start of the year or received during it, with its grades.

    An item is received on its report's or decision's date, never the day it was entered (see
    _received); one without any date counts as received before the year. A closed item without
    a recorded decision counts as closed before the year, unless received in it.
    """
    results = list(session.exec(_annual_query(year, body_id)))
    facts = _Facts.gather(session, results)
    report = AnnualReport(year, facts.bodies.get(body_id, "") if body_id else "")
    for item, title, addressee_id, issuer_id, held_on, received_on, dnr in results:
        if received_on is None and _case_year(dnr) > year:
            continue
        if body_id:
            counted = [body_id]
        else:
            counted = facts.addressees.get(item.source_id) or [
                item.due_body_id or addressee_id or issuer_id
            ]
        report.rows += [facts.row(item, title, held_on, counted_id) for counted_id in counted]
    return report


def _annual_query(year: int, body_id: int | None):
    """Select the items received by the year's end and open at its start or closed in it."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    received, closed_on = _received(), _closed_on()
    still_open = Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES)
    meeting = aliased(Meeting)
    query = (
        select(
            Recommendation,
            Source.title,
            Source.addressee_id,
            Source.issuer_id,
            meeting.held_on,
            received,
            Source.dnr,
        )
        .join(Source, Recommendation.source_id == Source.id)
        .join(meeting, Recommendation.due_meeting_id == meeting.id, isouter=True)
        .where(
            or_(received.is_(None), received <= end),
            or_(
                received >= start,
                still_open,
                closed_on >= start,
            ),
        )
        .order_by(Source.issued_on.nulls_first(), Source.id, Recommendation.id)
    )
    if body_id:
        query = query.where(body_condition(body_id))
    # Counted and listed as the reader may see them, like the follow-up list.
    return query.where(item_visible())


@dataclass
class _Facts:
    """What the report's rows show beside the items themselves, each read in one query."""

    bodies: dict[int, str]
    addressees: dict[int, list[int]]
    grades: dict
    moved: dict
    reports: dict[int, str]
    assessments: dict[int, str]

    @classmethod
    def gather(cls, session: Session, results: list) -> "_Facts":
        """Read the facts of the selected items."""
        ids = [result[0].id for result in results]
        return cls(
            bodies={body.id: body.name for body in session.exec(select(Body))},
            addressees=_addressees(session, {result[0].source_id for result in results}),
            grades=current_grades(session, ids),
            moved=move_counts(session, ids),
            reports=_latest_reports(session, ids),
            assessments=_latest_findings(session, ids),
        )

    def row(self, item: Recommendation, title: str, held_on, counted_id: int) -> AnnualRow:
        """Return an item's row as counted for one body."""
        current = item.due_date or held_on
        slip = slippage(item.original_due_date, current, self.moved[item.id])
        return AnnualRow(
            id=item.id,
            source=title,
            number=item.number,
            kind=item.kind,
            text=item.text,
            body=self.bodies.get(counted_id, ""),
            status=item.status,
            board_grade=_grade(self.grades[item.id], Grader.BOARD),
            auditors_grade=_grade(self.grades[item.id], Grader.AUDITORS),
            original=slip.original,
            current=current,
            slippage_days=slip.days,
            moves=self.moved[item.id],
            period=item.due_period,
            recurrence=item.recurrence,
            assumed=list(item.assumed or []),
            report=self.reports.get(item.id, ""),
            auditors=self.assessments.get(item.id, ""),
        )


def _case_year(dnr: str) -> int:
    """Return the year a registry number was opened ("00521-2019": 2019), else 0.

    A case is opened when its matter arrives, so nothing in it was received before that year.
    """
    match = CASE_YEAR.search(dnr or "")
    return int(match[1]) if match else 0


def _grade(grades: dict, grader: str) -> str:
    row = grades.get(grader)
    return row.grade if row else UNGRADED


def _addressees(session: Session, source_ids: set[int]) -> dict[int, list[int]]:
    """Return the addressees of the sources that have several, in one query."""
    result: dict[int, list[int]] = {}
    if not source_ids:
        return result
    query = select(SourceAddressee).where(SourceAddressee.source_id.in_(source_ids))
    for row in session.exec(query.order_by(SourceAddressee.body_id)):
        result.setdefault(row.source_id, []).append(row.body_id)
    return {key: value for key, value in result.items() if len(value) > 1}


def _latest_reports(session: Session, ids: list[int]) -> dict[int, str]:
    """Return each item's own latest report text, by an index-backed max(id), in one query."""
    if not ids:
        return {}
    latest = (
        select(func.max(StatusUpdate.id))
        .where(StatusUpdate.recommendation_id.in_(ids))
        .group_by(StatusUpdate.recommendation_id)
    )
    query = select(StatusUpdate.recommendation_id, StatusUpdate.text).where(
        StatusUpdate.id.in_(latest)
    )
    return dict(session.exec(query).all())


def _latest_findings(session: Session, ids: list[int]) -> dict[int, str]:
    """Return the auditors' latest follow-up assessment of each item in words, in one query."""
    if not ids:
        return {}
    query = (
        select(ReviewFinding, Source.issued_on)
        .join(Source, ReviewFinding.source_id == Source.id)
        .where(ReviewFinding.recommendation_id.in_(ids))
        .order_by(Source.issued_on.nulls_first(), ReviewFinding.id)
    )
    result = {}
    for finding, _issued in session.exec(query):
        words = labels.label(labels.ASSESSMENTS, finding.assessment)
        result[finding.recommendation_id] = f"{words}: {finding.text}" if finding.text else words
    return result


def annual_years(session: Session, today: date) -> list[int]:
    """Return the years a report can be made for: from the first item received to this year."""
    first = session.exec(select(func.min(Source.issued_on))).one()
    return list(range(today.year, (first.year if first else today.year) - 1, -1))
