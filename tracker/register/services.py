"""The public register: every source and item as a reader outside the region may see it.

Each row is plain data in the register's stable schema (README, "The public register"); a
withheld field is replaced by what the law says and named in the row's "withheld" list.
"""

from datetime import date

from sqlmodel import Session, func, select

from tracker import dates, labels
from tracker.grades.services import current_grades
from tracker.lookup import like_pattern
from tracker.models import Grader, Meeting, Recommendation, Source, StatusUpdate
from tracker.register.marks import Withholding, withholding

SCHEMA = "tracker-public-register/1"
PAGE = 50


def _withheld_ids(held: Withholding) -> tuple[set[int], set[int]]:
    """Return the ids of the sources and items whose texts are withheld: search skips them."""
    sources = {i for (t, i) in held.marks if t == "source" and held.mark_of(t, i)}
    items = {
        i
        for (t, i) in set(held.marks) | set(held.parents)
        if t == "recommendation" and held.mark_of(t, i)
    }
    return sources, items


def register_page(session: Session, *, q: str = "", page: int = 1, size: int = PAGE) -> dict:
    """Return one page of the register (size 0: every row), searched in what is public."""
    today = dates.today()
    held = withholding(session, today=today)
    hidden_sources, hidden_items = _withheld_ids(held)
    query = select(Recommendation, Source, Meeting.held_on).join(
        Source, Recommendation.source_id == Source.id
    )
    query = query.join(Meeting, Recommendation.due_meeting_id == Meeting.id, isouter=True)
    q = (q or "").strip()
    if q:
        # Only public words are searched: a hit in a withheld text would tell it.
        pattern = like_pattern(q)
        title = Source.title.ilike(pattern, escape="\\")
        text = Recommendation.text.ilike(pattern, escape="\\")
        if hidden_sources:
            title = title & Source.id.not_in(hidden_sources)
        if hidden_items:
            text = text & Recommendation.id.not_in(hidden_items)
        query = query.where(title | text)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    query = query.order_by(Source.issued_on.desc().nulls_last(), Source.id, Recommendation.id)
    if size:
        query = query.offset((max(page, 1) - 1) * size).limit(size)
    results = list(session.exec(query))
    ids = [item.id for item, _source, _held_on in results]
    grades = current_grades(session, ids)
    latest = _latest_updates(session, ids)
    items = [
        _row(item, source, held_on, grades[item.id], latest.get(item.id), held)
        for item, source, held_on in results
    ]
    return {
        "schema": SCHEMA,
        "generated": today.isoformat(),
        "total": total,
        "page": page if size else 1,
        "pages": max(1, -(-total // size)) if size else 1,
        "items": items,
    }


def _latest_updates(session: Session, ids: list[int]) -> dict[int, StatusUpdate]:
    if not ids:
        return {}
    latest = (
        select(func.max(StatusUpdate.id))
        .where(StatusUpdate.recommendation_id.in_(ids))
        .group_by(StatusUpdate.recommendation_id)
    )
    rows = session.exec(select(StatusUpdate).where(StatusUpdate.id.in_(latest)))
    return {row.recommendation_id: row for row in rows}


def _deadline_words(item: Recommendation) -> str:
    words = [labels.label(labels.RECURRENCES, item.recurrence)] if item.recurrence else []
    if item.due_period:
        words.append(item.due_period)
    return ", ".join(words)


def _row(item, source, held_on, grades, update, held: Withholding) -> dict:
    """Return one item as the register shows it, with what is withheld named."""
    withheld = []
    source_note = held.note("source", source.id)
    item_note = held.note("recommendation", item.id)
    source_title = source.title
    if source_note:
        source_title = source_note
        withheld.append({"field": "source.title", "reason": source_note})
    text = item.text
    if item_note:
        text = item_note
        withheld.append({"field": "text", "reason": item_note})
    report = None
    if update is not None:
        note = held.note("status_update", update.id)
        report = {"date": update.reported_on.isoformat(), "text": note or update.text}
        if note:
            withheld.append({"field": "latest_report.text", "reason": note})
    deadline: date | None = item.due_date or held_on
    board = grades.get(Grader.BOARD)
    auditors = grades.get(Grader.AUDITORS)
    return {
        "id": item.id,
        "source": {
            "id": source.id,
            "title": source_title,
            "kind": source.kind,
            "dnr": source.dnr,
            "issued_on": source.issued_on.isoformat() if source.issued_on else None,
        },
        "number": item.number,
        "kind": item.kind,
        "text": text,
        "status": item.status,
        "status_name": labels.label(labels.RECOMMENDATION_STATUSES, item.status),
        "grade_board": board.grade if board else None,
        "grade_auditors": auditors.grade if auditors else None,
        "deadline": deadline.isoformat() if deadline else None,
        "deadline_words": _deadline_words(item),
        "deadline_assumed": "due_date" in (item.assumed or []),
        "latest_report": report,
        "withheld": withheld,
    }
