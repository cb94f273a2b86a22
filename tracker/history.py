"""Read the change log of one item, with the names of who changed it and of what it points to."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from tracker.models import Body, ChangeLog, Meeting, Source, Unit, User


@dataclass
class HistoryEntry:
    changed_at: datetime
    user_name: str
    action: str
    changes: dict
    reason: str


# Logged fields that hold a row's id, and how to name that row instead.
REFERENCES = {
    "owner_id": (User, lambda user: user.name),
    "responsible_id": (User, lambda user: user.name),
    "author_id": (User, lambda user: user.name),
    "manager_id": (User, lambda user: user.name),
    "unit_id": (Unit, lambda unit: unit.name),
    "parent_id": (Unit, lambda unit: unit.name),
    "body_id": (Body, lambda body: body.code),
    "issuer_id": (Body, lambda body: body.code),
    "addressee_id": (Body, lambda body: body.code),
    "source_id": (Source, lambda source: source.title),
    "meeting_id": (Meeting, lambda meeting: meeting.held_on.isoformat()),
    "due_meeting_id": (Meeting, lambda meeting: meeting.held_on.isoformat()),
}


def _names(session: Session, entries: list[ChangeLog]) -> dict[tuple[type, int], str]:
    """Name every row the entries' id fields point to, in one query per kind of row."""
    wanted: dict[type, set[int]] = {}
    for entry in entries:
        for key, values in entry.changes.items():
            if key in REFERENCES:
                model = REFERENCES[key][0]
                wanted.setdefault(model, set()).update(v for v in values if isinstance(v, int))
    names = {}
    for model, ids in wanted.items():
        namer = next(namer for m, namer in REFERENCES.values() if m is model)
        for row in session.exec(select(model).where(model.id.in_(ids))):
            names[(model, row.id)] = namer(row)
    return names


def _readable(changes: dict, names: dict) -> dict:
    readable = {}
    for key, values in changes.items():
        if key in REFERENCES:
            model = REFERENCES[key][0]
            values = [names.get((model, value), value) for value in values]
        readable[key] = values
    return readable


def history(session: Session, entity: str, entity_id: int) -> list[HistoryEntry]:
    """Return the change log of one row, newest first, with ids shown as names."""
    query = (
        select(ChangeLog, User.name)
        .join(User, ChangeLog.user_id == User.id, isouter=True)
        .where(ChangeLog.entity == entity, ChangeLog.entity_id == entity_id)
        .order_by(ChangeLog.changed_at.desc(), ChangeLog.id.desc())
    )
    rows = list(session.exec(query))
    names = _names(session, [entry for entry, _name in rows])
    return [
        HistoryEntry(
            entry.changed_at,
            name or "",
            entry.action,
            _readable(entry.changes, names),
            entry.reason,
        )
        for entry, name in rows
    ]
