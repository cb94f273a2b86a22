"""Recommendations and assignments: listing, editing, decision references, status updates."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import aliased
from sqlmodel import Session, exists, func, or_, select

from tracker import dates
from tracker.auth.visibility import item_visible
from tracker.changelog import set_reason
from tracker.date_moves import record_move
from tracker.editing import update_row
from tracker.models import (
    CLOSED_RECOMMENDATION_STATUSES,
    Body,
    DecisionReference,
    Measure,
    Meeting,
    Recommendation,
    RecommendationMeasure,
    Source,
    SourceAddressee,
    User,
)
from tracker.overdue import item_overdue, item_overdue_sql
from tracker.paging import Page, paginate

# "RS 170301 § 52", also as the documents write it: "RS 170301, § 52", "RS 20170301 §52".
REFERENCE = re.compile(
    r"^\s*(?P<body>[A-ZÅÄÖ][A-ZÅÄÖ0-9-]*)\s+"
    r"(?P<date>\d{6}|\d{8}|\d{4}-\d{2}-\d{2})\s*,?\s*§\s*(?P<paragraph>\d+[a-z]?)\s*$"
)


# A registry number after a reference: "RS 170301 § 52, dnr 00123-2017" or "(Dnr 00123-2017)".
DNR_SUFFIX = re.compile(
    r"^(?P<reference>.*?)[\s,]*\(?\s*dnr\s*(?P<dnr>[\w./-]+)\s*\)?\s*$", re.IGNORECASE
)


def with_dnr(reference: str, dnr: str) -> str:
    """Write a reference with its registry number, if it has one."""
    return f"{reference}, dnr {dnr}" if dnr else reference


class ReferenceError(ValueError):
    """A decision reference that cannot be read, or names an unknown body."""


def parse_reference(text: str) -> tuple[str, date, str]:
    """Read "RS 170301 § 52" (or "RS 170301, § 52", "RS 2017-03-01 § 52") into its parts."""
    match = REFERENCE.match(text or "")
    if not match:
        raise ReferenceError(f"cannot read the decision reference {text!r}, e.g. RS 170301 § 52")
    digits = match["date"].replace("-", "")
    if len(digits) == 6:
        # Two-digit years, as the region writes them: every decision is from 2000 on.
        digits = "20" + digits
    try:
        decided_on = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ReferenceError(f"no such date in the decision reference {text!r}") from None
    return match["body"], decided_on, match["paragraph"]


def is_closed(recommendation: Recommendation) -> bool:
    """Tell whether the board has closed an item (approved, not implemented, no longer relevant)."""
    return recommendation.status in CLOSED_RECOMMENDATION_STATUSES


def format_reference(code: str, decided_on: date, paragraph: str) -> str:
    """Write a decision reference the way the region does: "RS 170301 § 52"."""
    return f"{code} {decided_on.strftime('%y%m%d')} § {paragraph}"


def deadline_column():
    """Return the SQL expression of an item's deadline: its date, else its meeting's."""
    due_meeting = aliased(Meeting, name="due_meeting")
    return due_meeting, func.coalesce(Recommendation.due_date, due_meeting.held_on)


def report_back_date(session: Session, due_date: date | None, meeting_id: int | None):
    """Return the date an item reports back by: its date, else its meeting's."""
    if due_date or not meeting_id:
        return due_date
    meeting = session.get(Meeting, meeting_id)
    return meeting.held_on if meeting else None


def body_condition(body_id: int):
    """Return the SQL condition of an item that concerns a body (a query joined with Source):
    the body issued or is addressed its source, or decided on it."""
    has_reference = exists().where(
        DecisionReference.recommendation_id == Recommendation.id,
        DecisionReference.body_id == body_id,
    )
    addressed = exists().where(
        SourceAddressee.source_id == Source.id, SourceAddressee.body_id == body_id
    )
    return or_(
        Source.issuer_id == body_id,
        Source.addressee_id == body_id,
        addressed,
        has_reference,
    )


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    source_title: str
    responsible_name: str | None
    deadline: date | None
    overdue: bool


def list_recommendations(
    session: Session,
    *,
    body_id: int | None = None,
    source_id: int | None = None,
    kind: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    responsible_id: int | None = None,
    unit_id: int | None = None,
    overdue: bool = False,
    priority: bool = False,
    priority_first: bool = False,
    page: int = 1,
    size: int = 50,
) -> Page:
    """Return a page of recommendations, with source, responsible and deadline, in order."""
    due_meeting, deadline = deadline_column()
    query = (
        select(Recommendation, Source.title, User.name, deadline)
        .join(Source, Recommendation.source_id == Source.id)
        .join(User, Recommendation.responsible_id == User.id, isouter=True)
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
    )
    if priority_first:
        query = query.order_by((Recommendation.priority_by == "").asc())
    query = query.order_by(Source.id, Recommendation.id)
    if priority:
        query = query.where(Recommendation.priority_by != "")
    if body_id:
        query = query.where(body_condition(body_id))
    query = query.where(item_visible())
    for column, value in (
        (Recommendation.source_id, source_id),
        (Recommendation.kind, kind),
        (Recommendation.theme, theme),
        (Recommendation.status, status),
        (Recommendation.responsible_id, responsible_id),
        (Recommendation.unit_id, unit_id),
    ):
        if value:
            query = query.where(column == value)
    today = dates.today()
    if overdue:
        query = query.where(item_overdue_sql(Recommendation.status, deadline, today))
    result = paginate(session, query, page=page, size=size)
    result.items = [
        RecommendationRow(
            recommendation,
            title,
            name,
            due,
            item_overdue(recommendation.status, due, today),
        )
        for recommendation, title, name, due in result.items
    ]
    return result


def themes(session: Session) -> list[str]:
    """Return the themes in use, sorted."""
    rows = session.exec(select(Recommendation.theme).where(Recommendation.theme != "").distinct())
    return sorted(rows)


def references_of(session: Session, recommendation_ids: list[int]) -> dict[int, list[str]]:
    """Return the formatted decision references of several recommendations in one query."""
    return {
        id_: [text for text, _body_id in references]
        for id_, references in reference_rows(session, recommendation_ids).items()
    }


def reference_rows(
    session: Session, recommendation_ids: list[int]
) -> dict[int, list[tuple[str, int]]]:
    """Return each recommendation's decision references as (text, body id), in one query."""
    result: dict[int, list[tuple[str, int]]] = {id_: [] for id_ in recommendation_ids}
    if not recommendation_ids:
        return result
    # Named columns, not ORM objects: a follow-up list reads hundreds of references.
    query = (
        select(
            DecisionReference.recommendation_id,
            DecisionReference.body_id,
            DecisionReference.decided_on,
            DecisionReference.paragraph,
            DecisionReference.dnr,
            Body.code,
        )
        .join(Body)
        .where(DecisionReference.recommendation_id.in_(recommendation_ids))
        .order_by(DecisionReference.decided_on, DecisionReference.id)
    )
    for reference in session.exec(query):
        text = format_reference(reference.code, reference.decided_on, reference.paragraph)
        result[reference.recommendation_id].append(
            (with_dnr(text, reference.dnr), reference.body_id)
        )
    return result


def read_references(session: Session, lines: str) -> tuple[list[tuple], list[str]]:
    """Read one decision reference per line; return the parsed ones and the lines in error.

    Each parsed one is (body id, date, paragraph, dnr); dnr is "" when the line gives none.
    """
    codes = {body.code: body.id for body in session.exec(select(Body))}
    parsed, bad = [], []
    for line in (line.strip() for line in (lines or "").splitlines()):
        if not line:
            continue
        dnr = ""
        suffix = DNR_SUFFIX.match(line)
        if suffix:
            line, dnr = suffix["reference"], suffix["dnr"]
        try:
            code, decided_on, paragraph = parse_reference(line)
        except ReferenceError:
            bad.append(line)
            continue
        if code not in codes:
            bad.append(line)
            continue
        if all(row[:3] != (codes[code], decided_on, paragraph) for row in parsed):
            parsed.append((codes[code], decided_on, paragraph, dnr))
    return parsed, bad


def set_references(session: Session, recommendation: Recommendation, references: list) -> None:
    """Make the recommendation's decision references exactly these.

    Each is (body id, date, paragraph) or (body id, date, paragraph, dnr).
    """
    current = session.exec(
        select(DecisionReference).where(DecisionReference.recommendation_id == recommendation.id)
    ).all()
    wanted = {tuple(row[:3]): (row[3] if len(row) > 3 else "") for row in references}
    for reference in current:
        key = (reference.body_id, reference.decided_on, reference.paragraph)
        if key in wanted:
            if reference.dnr != wanted[key]:
                reference.dnr = wanted[key]
                session.add(reference)
            del wanted[key]
        else:
            session.delete(reference)
    for (body_id, decided_on, paragraph), dnr in wanted.items():
        session.add(
            DecisionReference(
                recommendation_id=recommendation.id,
                body_id=body_id,
                decided_on=decided_on,
                paragraph=paragraph,
                dnr=dnr,
            )
        )
    session.flush()


def create_recommendation(
    session: Session, *, values: dict, references: list[tuple[int, date, str]]
) -> Recommendation:
    """Create a recommendation or assignment with its decision references."""
    recommendation = Recommendation(**values)
    session.add(recommendation)
    session.flush()
    set_references(session, recommendation, references)
    return recommendation


def update_recommendation(
    session: Session,
    recommendation: Recommendation,
    *,
    version: int | None,
    values: dict,
    references: list[tuple[int, date, str]] | None,
    reason: str = "",
    agreed_by: str = "",
) -> Recommendation:
    """Change a recommendation and its references (None: kept); a moved deadline needs a reason
    and who agreed (MoveNeedsReason); raise ConflictError if it moved on."""
    if version is None or recommendation.version == version:
        move = record_move(
            session,
            recommendation,
            old=report_back_date(session, recommendation.due_date, recommendation.due_meeting_id),
            new=report_back_date(
                session,
                values.get("due_date", recommendation.due_date),
                values.get("due_meeting_id", recommendation.due_meeting_id),
            ),
            reason=reason,
            agreed_by=agreed_by,
            user_id=session.info.get("actor_id"),
        )
        if move:
            set_reason(session, f"{move.reason} ({move.agreed_by})")
    update_row(session, recommendation, version=version, values=values)
    if references is not None:
        set_references(session, recommendation, references)
    return recommendation


def linked_measures(session: Session, recommendation_id: int) -> list[tuple[Measure, str | None]]:
    """Return the measures linked to a recommendation, with their owner's name."""
    query = (
        select(Measure, User.name)
        .join(RecommendationMeasure, RecommendationMeasure.measure_id == Measure.id)
        .join(User, Measure.owner_id == User.id, isouter=True)
        .where(RecommendationMeasure.recommendation_id == recommendation_id)
        .order_by(Measure.due_date.nulls_last(), Measure.id)
    )
    return list(session.exec(query))


def read_with_parts(session: Session, recommendation_id: int) -> tuple | None:
    """Return the recommendation if the user may see it, with its source, responsible person,
    meeting and due body (or None) read in the same query: the page gets them without one."""
    return session.exec(
        select(Recommendation, Source, User, Meeting, Body)
        .join(Source, Source.id == Recommendation.source_id)
        .join(User, User.id == Recommendation.responsible_id, isouter=True)
        .join(Meeting, Meeting.id == Recommendation.due_meeting_id, isouter=True)
        .join(Body, Body.id == Recommendation.due_body_id, isouter=True)
        .where(Recommendation.id == recommendation_id, item_visible())
    ).first()
