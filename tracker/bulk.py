"""Changes to many rows at once (a list's bulk actions, an Excel upload), for measures and for
the follow-up list's items: each row saved by itself with its version check, so that a
conflict or an error stops only that row."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from tracker import labels
from tracker.auth.permissions import Action
from tracker.date_moves import MoveNeedsReason, refusal_messages
from tracker.editing import ConflictError
from tracker.measures import services as measures
from tracker.models import CLOSED_RECOMMENDATION_STATUSES, Measure, Recommendation, User
from tracker.recommendations import services as recommendations
from tracker.status_updates import post_status_update

UNSET = object()  # a field the change leaves as it is


@dataclass(frozen=True)
class Kind:
    """One kind of row the bulk steps serve: where it is stored and how it is saved."""

    model: type
    owner_field: str  # who answers for the row: a measure's owner, an item's responsible
    statuses: dict  # the statuses a bulk change may set
    use: Action  # the permission the page asks for
    edit: Action  # the permission each row is checked against
    title: Callable  # the row as the user knows it
    deadline: Callable  # (session, row): the deadline a moved date is compared with
    save: Callable  # (session, row, version, values, reason, agreed_by)
    missing: object  # the message for an id that is not there
    refused: object  # the message for a row the user may not change
    # A row no bulk change may touch, and why (a closed item: the board's decision stands).
    frozen: Callable = lambda _row: None


def _save_measure(session, measure, *, version, values, reason, agreed_by):
    measures.update_measure(
        session,
        measure,
        version=version,
        values=values,
        recommendation_ids=measures.linked_recommendation_ids(session, measure.id),
        reason=reason,
        agreed_by=agreed_by,
    )


def _save_item(session, item, *, version, values, reason, agreed_by):
    if "due_date" in values:
        # The new date is the deadline: a meeting or the source's words for a period no longer
        # say when (the first date and the move's reason are kept, see date_moves).
        values |= {"due_meeting_id": None, "due_period": ""}
    recommendations.update_recommendation(
        session,
        item,
        version=version,
        values=values,
        references=None,
        reason=reason,
        agreed_by=agreed_by,
    )


MEASURES = Kind(
    model=Measure,
    owner_field="owner_id",
    statuses=labels.MEASURE_STATUSES,
    # An owner changes their own measures in bulk; each row is checked on its own.
    use=Action.POST_UPDATE,
    edit=Action.EDIT_MEASURE,
    title=lambda measure: measure.title,
    deadline=lambda _session, measure: measure.due_date,
    save=_save_measure,
    missing=_l("No such measure."),
    refused=_l("You may not change this measure."),
)
# A closing outcome needs the board's decision and its reference: the list's close button.
ITEMS = Kind(
    model=Recommendation,
    owner_field="responsible_id",
    statuses={
        code: name
        for code, name in labels.RECOMMENDATION_STATUSES.items()
        if code not in CLOSED_RECOMMENDATION_STATUSES
    },
    use=Action.EDIT_RECOMMENDATION,
    edit=Action.EDIT_RECOMMENDATION,
    title=lambda item: item.text,
    deadline=lambda session, item: recommendations.report_back_date(
        session, item.due_date, item.due_meeting_id
    ),
    save=_save_item,
    missing=_l("No such item."),
    refused=_l("You may not change this item."),
    frozen=lambda item: (
        _l("The board has closed this item: its decision stands.")
        if item.status in CLOSED_RECOMMENDATION_STATUSES
        else None
    ),
)


@dataclass
class Change:
    """What to do to one row, read at a version; UNSET fields stay as they are."""

    item_id: int
    version: int
    row: int = 0  # the row in the uploaded sheet, for messages; 0 on the page
    status: object = UNSET
    due_date: object = UNSET
    owner_id: object = UNSET  # who answers for the row (the kind's owner field)
    text: str = ""  # a status update to post
    reason: str = ""  # why the due date moves
    agreed_by: str = ""  # who agreed to the move


@dataclass
class Outcome:
    change: Change
    title: str = ""
    saved: bool = False
    conflict: bool = False  # someone saved the row after it was read
    errors: list[str] = field(default_factory=list)
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (name, old, new)
    missing: list[str] = field(default_factory=list)  # what a moved date lacks (MoveNeedsReason)


def differences(session: Session, kind: Kind, row, change: Change) -> list[tuple]:
    """Return what a change would change: (field, now, then)."""
    now = {
        "status": row.status,
        "due_date": kind.deadline(session, row),
        kind.owner_field: getattr(row, kind.owner_field),
    }
    then = {"status": change.status, "due_date": change.due_date, kind.owner_field: change.owner_id}
    found = [
        (name, now[name], value)
        for name, value in then.items()
        if value is not UNSET and value != now[name]
    ]
    if change.text.strip():
        found.append(("text", "", change.text.strip()))
    return found


def _preview_one(session: Session, kind: Kind, change: Change) -> Outcome:
    row = session.get(kind.model, change.item_id)
    if row is None:
        return Outcome(change, errors=[str(kind.missing)])
    outcome = Outcome(
        change,
        title=kind.title(row),
        conflict=row.version != change.version,
        fields=differences(session, kind, row, change),
    )
    if frozen := kind.frozen(row):
        outcome.errors.append(str(frozen))
        return outcome
    moved = any(name == "due_date" and old for name, old, _new in outcome.fields)
    if moved:
        outcome.missing = [n for n in ("reason", "agreed_by") if not getattr(change, n).strip()]
    if outcome.missing:
        outcome.errors += [m for _n, m in refusal_messages(MoveNeedsReason(outcome.missing))]
    return outcome


def preview(session: Session, changes: list[Change], kind: Kind = MEASURES) -> list[Outcome]:
    """Return what each change would do, its conflict and errors; save nothing."""
    return [_preview_one(session, kind, change) for change in changes]


def apply(
    session: Session, changes: list[Change], *, user: User, via: str, kind: Kind = MEASURES
) -> list[Outcome]:
    """Save each change that has no conflict or error, each in a transaction of its own."""
    outcomes = preview(session, changes, kind)
    for outcome in outcomes:
        if outcome.conflict or outcome.errors or not outcome.fields:
            continue
        try:
            _save(session, kind, outcome, user=user, via=via)
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


def _save(session: Session, kind: Kind, outcome: Outcome, *, user: User, via: str) -> None:
    change = outcome.change
    row = session.get(kind.model, change.item_id)
    values = {name: new for name, _old, new in outcome.fields}
    text = values.pop("text", "")
    # A posted update sets the status it reports; without one the status is set directly.
    status = values.pop("status", None) if text else values.get("status")
    if values:
        kind.save(
            session,
            row,
            version=change.version,
            values=values,
            reason=change.reason,
            agreed_by=change.agreed_by,
        )
    if text:
        post_status_update(
            session, row, author=user, text=text, status=status or row.status, via=via
        )


def parse_date(value) -> date | None:
    """Read a date typed as YYYY-MM-DD, or a spreadsheet's date; raise ValueError."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()
    return date.fromisoformat(str(value).strip())
