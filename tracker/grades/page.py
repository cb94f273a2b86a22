"""What an item's page shows of its grades, priority and moved deadline."""

from datetime import date

from flask_login import current_user
from sqlmodel import Session

from tracker import date_moves
from tracker.grades import forms, services
from tracker.models import Recommendation


def grade_context(session: Session, recommendation: Recommendation, deadline: date | None):
    """Return the template values of an item's "how far it got" section."""
    history = services.grades_of(session, recommendation.id)
    # Each grader's latest grade (the highest id, as current_grades picks it) from the history
    # already read: one query fewer.
    current = {}
    for grade in sorted(history, key=lambda row: row.id):
        current[grade.grader] = grade
    moves = date_moves.moves_of(session, recommendation_id=recommendation.id)
    allowed = services.graders(current_user, recommendation)
    priority_form = None
    if allowed:
        priority_form = forms.PriorityForm(
            priority_by=recommendation.priority_by, version=recommendation.version
        )
        priority_form.priority_by.choices = [("", forms.NOT_PRIORITY), *allowed]
    return {
        "grades": current,
        "grade_history": history,
        "grades_differ": services.differ(current),
        "slippage": date_moves.slippage(
            recommendation.original_due_date or (moves[0].old_date if moves else None),
            deadline,
            len(moves),
        ),
        "moves": moves,
        "priority_form": priority_form,
    }
