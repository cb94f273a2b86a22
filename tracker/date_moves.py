"""Moved deadlines: a report-back deadline or due date that moves keeps its original, the
reason and who agreed (decision record 0029)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import event, func
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from tracker.models import DateMove, Measure, Recommendation, User


class MoveNeedsReason(ValueError):
    """A set deadline moves without a reason or without who agreed."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing  # "reason", "agreed_by"


def record_move(
    session: Session,
    item: Recommendation | Measure,
    *,
    old: date | None,
    new: date | None,
    reason: str,
    agreed_by: str,
    user_id: int | None,
) -> DateMove | None:
    """Record that a set deadline moves; refuse a move without a reason and who agreed."""
    if old is None or old == new:
        return None
    reason, agreed_by = (reason or "").strip(), (agreed_by or "").strip()
    missing = [name for name, value in (("reason", reason), ("agreed_by", agreed_by)) if not value]
    if missing:
        raise MoveNeedsReason(missing)
    user = user_id and session.get(User, user_id)
    target = (
        {"measure_id": item.id} if isinstance(item, Measure) else {"recommendation_id": item.id}
    )
    move = DateMove(
        **target,
        old_date=old,
        new_date=new,
        reason=reason,
        agreed_by=agreed_by,
        moved_by_id=user_id,
        moved_by_name=user.name if user else "",
    )
    session.add(move)
    return move


def refusal_messages(refusal: MoveNeedsReason) -> list[tuple[str, str]]:
    """Return (field, message) for each part a refused move lacks."""
    messages = {
        "reason": _("Say why the date moves."),
        "agreed_by": _("Say who agreed to the move, or the decision that moved it."),
    }
    return [(name, messages[name]) for name in refusal.missing]


def move_refused(form, refusal: MoveNeedsReason, *, prefix: str) -> None:
    """Put the refusal's messages next to the form's reason and agreed-by fields."""
    for name, message in refusal_messages(refusal):
        getattr(form, f"{prefix}{name}").errors.append(message)


@dataclass
class Slippage:
    original: date | None  # the first deadline set
    current: date | None  # the deadline now
    moves: int  # how many times it moved

    @property
    def days(self) -> int | None:
        """Return how many days later the deadline is than first set (negative: earlier)."""
        if self.original is None or self.current is None:
            return None
        return (self.current - self.original).days


def slippage(original: date | None, current: date | None, moves: int) -> Slippage:
    """Return an item's slippage from its original and current deadline."""
    return Slippage(original or current, current, moves)


def moves_of(session: Session, *, recommendation_id=None, measure_id=None) -> list[DateMove]:
    """Return a recommendation's or measure's moved deadlines, oldest first."""
    column = DateMove.measure_id if measure_id else DateMove.recommendation_id
    return list(
        session.exec(
            select(DateMove)
            .where(column == (measure_id or recommendation_id))
            .order_by(DateMove.moved_at, DateMove.id)
        )
    )


def move_counts(session: Session, recommendation_ids: list[int]) -> dict[int, int]:
    """Return how many times each recommendation's deadline moved, in one query."""
    counts: dict[int, int] = defaultdict(int)
    if not recommendation_ids:
        return counts
    query = (
        select(DateMove.recommendation_id, func.count())
        .where(DateMove.recommendation_id.in_(recommendation_ids))
        .group_by(DateMove.recommendation_id)
    )
    for recommendation_id, count in session.exec(query):
        counts[recommendation_id] = count
    return counts


def register() -> None:
    """Keep each item's first deadline from now on (db.init_app calls this)."""
    if not event.contains(OrmSession, "before_flush", _keep_original):
        event.listen(OrmSession, "before_flush", _keep_original)


def _keep_original(session: OrmSession, _context, _instances) -> None:
    # One place for every way in (forms, API, seed, import): the first date set is kept.
    for obj in (*session.new, *session.dirty):
        if (
            isinstance(obj, Recommendation | Measure)
            and obj.original_due_date is None
            and obj.due_date is not None
        ):
            obj.original_due_date = obj.due_date
