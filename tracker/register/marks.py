"""Secrecy and personal-data marks, inherited downwards, and what they withhold.

A status update inherits from its item, an item and a report file from their source; a mark
of kind OPEN on a row lifts what it inherits. A mark holds until lifted or past its last day.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, or_, select

from tracker.models import (
    Mark,
    MarkKind,
    Recommendation,
    SourceAttachment,
    StatusUpdate,
    User,
    utcnow,
)

TARGETS = ("source", "recommendation", "status_update", "attachment")


class MarkError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def add_mark(
    session: Session,
    *,
    target_type: str,
    target_id: int,
    kind: str,
    law: str,
    ends_on: date | None,
    reason: str,
    user: User,
) -> Mark:
    """Mark a row secret (with its OSL reference), as personal data, or open (lifting)."""
    if target_type not in TARGETS:
        raise MarkError("target_type", _("Unknown kind of row."))
    law = law.strip()
    if kind == MarkKind.SECRET and not law:
        raise MarkError("law", _("Give the chapter and section of OSL, e.g. 21:7."))
    if kind == MarkKind.OPEN and not reason.strip():
        raise MarkError("reason", _("Say why the inherited mark does not hold here."))
    mark = Mark(
        target_type=target_type,
        target_id=target_id,
        kind=MarkKind(kind),
        law=law if kind == MarkKind.SECRET else "",
        ends_on=ends_on,
        reason=reason.strip(),
        marked_by_id=user.id,
        marked_by_name=user.name,
    )
    session.add(mark)
    session.flush()
    return mark


def lift(session: Session, mark: Mark, *, reason: str, user: User) -> Mark:
    """Lift a mark, saying why; the row stays as the record of what was withheld and when."""
    if not reason.strip():
        raise MarkError("reason", _("Say why the mark is lifted."))
    mark.lifted_at = utcnow()
    mark.lifted_by_name = user.name
    mark.lifted_reason = reason.strip()
    session.add(mark)
    session.flush()
    return mark


def active_marks(session: Session, *, today: date) -> dict[tuple[str, int], list[Mark]]:
    """Return every mark in force, by (target type, id); marks are few beside the rows."""
    query = select(Mark).where(
        Mark.lifted_at.is_(None), or_(Mark.ends_on.is_(None), Mark.ends_on >= today)
    )
    result: dict[tuple[str, int], list[Mark]] = defaultdict(list)
    for mark in session.exec(query.order_by(Mark.id)):
        result[(mark.target_type, mark.target_id)].append(mark)
    return result


@dataclass
class Withholding:
    """What the marks in force withhold, resolved through inheritance."""

    marks: dict[tuple[str, int], list[Mark]]
    parents: dict[tuple[str, int], tuple[str, int]]  # a row's parent row

    def mark_of(self, target_type: str, target_id: int) -> Mark | None:
        """Return the mark that withholds a row, its own or inherited; None: public."""
        key: tuple[str, int] | None = (target_type, target_id)
        while key is not None:
            own = self.marks.get(key, [])
            closed = [m for m in own if m.kind != MarkKind.OPEN]
            if closed:
                return closed[-1]
            if any(m.kind == MarkKind.OPEN for m in own):
                return None
            key = self.parents.get(key)
        return None

    def note(self, target_type: str, target_id: int) -> str:
        """Return what a reader is told instead of a withheld text, or "" if public."""
        mark = self.mark_of(target_type, target_id)
        return withheld_note(mark) if mark else ""


def withheld_note(mark: Mark) -> str:
    """Name what is left out and why: "Uppgift enligt OSL 21:7"."""
    if mark.kind == MarkKind.PERSONAL_DATA:
        return _("Personal data, left out")
    return _("Information under OSL %(law)s, left out", law=mark.law)


def withholding(session: Session, *, today: date) -> Withholding:
    """Read the marks in force and the parents of the rows they can reach."""
    marks = active_marks(session, today=today)
    parents: dict[tuple[str, int], tuple[str, int]] = {}
    if marks:
        # Only rows below a marked row can inherit: read the parents of those alone.
        sources = [i for (t, i) in marks if t == "source"]
        items = {i for (t, i) in marks if t == "recommendation"}
        if sources:
            query = select(Recommendation.id, Recommendation.source_id).where(
                Recommendation.source_id.in_(sources)
            )
            for item_id, source_id in session.exec(query):
                parents[("recommendation", item_id)] = ("source", source_id)
                items.add(item_id)
            query = select(SourceAttachment.id, SourceAttachment.source_id).where(
                SourceAttachment.source_id.in_(sources)
            )
            for file_id, source_id in session.exec(query):
                parents[("attachment", file_id)] = ("source", source_id)
        if items:
            query = select(StatusUpdate.id, StatusUpdate.recommendation_id).where(
                StatusUpdate.recommendation_id.in_(items)
            )
            for update_id, item_id in session.exec(query):
                parents[("status_update", update_id)] = ("recommendation", item_id)
    return Withholding(marks, parents)


def marks_on(session: Session, target_type: str, target_id: int) -> list[Mark]:
    """Return a row's own marks, lifted ones too, newest first."""
    query = select(Mark).where(Mark.target_type == target_type, Mark.target_id == target_id)
    return list(session.exec(query.order_by(Mark.id.desc())))
