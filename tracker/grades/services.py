"""Grades and priority: recorded, never overwritten; the latest per grader is the current one."""

from collections import defaultdict
from datetime import date

from sqlmodel import Session, func, select

from tracker import labels
from tracker.auth.permissions import Action, can
from tracker.editing import update_row
from tracker.models import (
    CLOSED_RECOMMENDATION_STATUSES,
    DateMove,
    Grader,
    ImplementationGrade,
    Recommendation,
    User,
)


def graders(user, item: Recommendation | None = None) -> list[tuple[str, str]]:
    """Return the graders the user may grade or mark priority for (on the item, if given)."""
    allowed = {
        Grader.BOARD: can(user, Action.GRADE_ITEMS, item),
        Grader.AUDITORS: can(user, Action.RECORD_FINDINGS, item),
    }
    return [(code, str(name)) for code, name in labels.GRADERS.items() if allowed[code]]


def record_grade(
    session: Session,
    recommendation: Recommendation,
    *,
    grader: str,
    grade: str,
    graded_on: date,
    text: str,
    user_id: int | None,
) -> ImplementationGrade:
    """Record a grade; the earlier ones stay, dated, as the item's grade history."""
    user = user_id and session.get(User, user_id)
    row = ImplementationGrade(
        recommendation_id=recommendation.id,
        grader=Grader(grader),
        grade=grade,
        graded_on=graded_on,
        text=text.strip(),
        recorded_by_id=user_id,
        recorded_by_name=user.name if user else "",
    )
    session.add(row)
    session.flush()
    return row


def grades_of(session: Session, recommendation_id: int) -> list[ImplementationGrade]:
    """Return an item's grades, newest first."""
    query = (
        select(ImplementationGrade)
        .where(ImplementationGrade.recommendation_id == recommendation_id)
        .order_by(ImplementationGrade.graded_on.desc(), ImplementationGrade.id.desc())
    )
    return list(session.exec(query))


def current_grades(
    session: Session, recommendation_ids: list[int]
) -> dict[int, dict[str, ImplementationGrade]]:
    """Return each item's latest grade by each grader, in one query."""
    result: dict[int, dict[str, ImplementationGrade]] = defaultdict(dict)
    if not recommendation_ids:
        return result
    latest = (
        select(func.max(ImplementationGrade.id))
        .where(ImplementationGrade.recommendation_id.in_(recommendation_ids))
        .group_by(ImplementationGrade.recommendation_id, ImplementationGrade.grader)
    )
    for row in session.exec(select(ImplementationGrade).where(ImplementationGrade.id.in_(latest))):
        result[row.recommendation_id][row.grader] = row
    return result


def differ(grades: dict[str, ImplementationGrade]) -> bool:
    """Tell whether the board and the auditors grade an item differently."""
    board, auditors = grades.get(Grader.BOARD), grades.get(Grader.AUDITORS)
    return bool(board and auditors and board.grade != auditors.grade)


def set_priority(
    session: Session, recommendation: Recommendation, *, by: str, version: int | None
) -> Recommendation:
    """Mark an item as priority for the board or the auditors ("" to unmark)."""
    return update_row(
        session, recommendation, version=version, values={"priority_by": Grader(by) if by else ""}
    )


def open_priority_query():
    """Return the count of priority items still open, as a query to read with others."""
    return select(func.count()).where(
        Recommendation.priority_by != "",
        Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
    )


def open_priority_count(session: Session) -> int:
    """Return how many priority items are still open."""
    return session.exec(open_priority_query()).one()


def moved_more_than_once(
    session: Session, *, limit: int = 10
) -> tuple[list[tuple[Recommendation, int]], int]:
    """Return the open items whose deadline moved more than once (most moves first), and
    how many there are in all."""
    moves = (
        select(DateMove.recommendation_id, func.count().label("moves"))
        .where(DateMove.recommendation_id.is_not(None))
        .group_by(DateMove.recommendation_id)
        .having(func.count() > 1)
        .subquery()
    )
    # The total rides along on every row (a window count): one query gives both.
    rows = session.exec(
        select(Recommendation, moves.c.moves, func.count().over())
        .join(moves, moves.c.recommendation_id == Recommendation.id)
        .where(Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES))
        .order_by(moves.c.moves.desc(), Recommendation.id)
        .limit(limit)
    ).all()
    return [(item, count) for item, count, _total in rows], rows[0][2] if rows else 0
