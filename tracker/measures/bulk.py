"""Changes to many measures at once (the list's bulk actions and an Excel upload): each row
saved by itself with its version check, so that a conflict or an error stops only that row."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session

from tracker.date_moves import MoveNeedsReason, refusal_messages
from tracker.editing import ConflictError
from tracker.measures import services
from tracker.models import Measure, User
from tracker.status_updates import post_status_update

UNSET = object()  # a field the change leaves as it is


@dataclass
class Change:
    """What to do to one measure, read at a version; UNSET fields stay as they are."""

    measure_id: int
    version: int
    row: int = 0  # the row in the uploaded sheet, for messages; 0 on the page
    status: object = UNSET
    due_date: object = UNSET
    owner_id: object = UNSET
    text: str = ""  # a status update to post
    reason: str = ""  # why the due date moves
    agreed_by: str = ""  # who agreed to the move


@dataclass
class Outcome:
    change: Change
    title: str = ""
    saved: bool = False
    conflict: bool = False  # someone saved the measure after it was read
    errors: list[str] = field(default_factory=list)
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (name, old, new)


def differences(measure: Measure, change: Change) -> list[tuple[str, object, object]]:
    """Return what a change would change: (field, now, then)."""
    found = []
    for name in ("status", "due_date", "owner_id"):
        value = getattr(change, name)
        if value is not UNSET and value != getattr(measure, name):
            found.append((name, getattr(measure, name), value))
    if change.text.strip():
        found.append(("text", "", change.text.strip()))
    return found


def preview(session: Session, changes: list[Change]) -> list[Outcome]:
    """Return what each change would do, its conflict and errors; save nothing."""
    outcomes = []
    for change in changes:
        measure = session.get(Measure, change.measure_id)
        if measure is None:
            outcomes.append(Outcome(change, errors=[_("No such measure.")]))
            continue
        outcome = Outcome(
            change,
            title=measure.title,
            conflict=measure.version != change.version,
            fields=differences(measure, change),
        )
        moved = any(name == "due_date" for name, _old, _new in outcome.fields)
        missing = [n for n in ("reason", "agreed_by") if not getattr(change, n).strip()]
        if moved and measure.due_date is not None and missing:
            outcome.errors += [m for _n, m in refusal_messages(MoveNeedsReason(missing))]
        outcomes.append(outcome)
    return outcomes


def apply(session: Session, changes: list[Change], *, user: User, via: str) -> list[Outcome]:
    """Save each change that has no conflict or error, each in a transaction of its own."""
    outcomes = preview(session, changes)
    for outcome in outcomes:
        if outcome.conflict or outcome.errors or not outcome.fields:
            continue
        try:
            _save(session, outcome, user=user, via=via)
            session.commit()
        except ConflictError:
            session.rollback()
            outcome.conflict = True
        except MoveNeedsReason as refusal:
            session.rollback()
            outcome.errors += [message for _n, message in refusal_messages(refusal)]
        else:
            outcome.saved = True
    return outcomes


def _save(session: Session, outcome: Outcome, *, user: User, via: str) -> None:
    change = outcome.change
    measure = session.get(Measure, change.measure_id)
    values = {name: new for name, _old, new in outcome.fields if name in ("due_date", "owner_id")}
    status = dict((name, new) for name, _old, new in outcome.fields).get("status")
    text = change.text.strip()
    if values or (status and not text):
        if status and not text:
            values["status"] = status
        linked = [r.id for r in services.linked_recommendations(session, measure.id)]
        services.update_measure(
            session,
            measure,
            version=change.version,
            values=values,
            recommendation_ids=linked,
            reason=change.reason,
            agreed_by=change.agreed_by,
        )
    if text:
        post_status_update(
            session, measure, author=user, text=text, status=status or measure.status, via=via
        )


def parse_date(value) -> date | None:
    """Read a date typed as YYYY-MM-DD, or a spreadsheet's date; raise ValueError."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()
    return date.fromisoformat(str(value).strip())
