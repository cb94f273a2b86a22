"""Write every insert, update and delete to the change log, from one session hook."""

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import SQLModel

from tracker.models import ChangeLog, utcnow

# Bookkeeping columns: they change on every write and say nothing of their own.
IGNORED = {"version", "updated_at", "created_at", "session_token"}
SECRET = {"password_hash", "feed_token", "token_hash"}
# Frozen copies kept whole in their own write-once row: logging them again says nothing new.
BULKY = {"snapshot"}


def set_reason(session: OrmSession, reason: str) -> None:
    """Attach a reason (such as why a due date moved) to the next flush's log rows."""
    session.info["change_reason"] = reason


def set_actor(session: OrmSession, user_id: int | None) -> None:
    """Name the user that the session's writes are logged for (each request names its user)."""
    session.info["actor_id"] = user_id


def register() -> None:
    """Log the writes of every session from now on (db.init_app calls this)."""
    if not event.contains(OrmSession, "after_flush", _log_changes):
        event.listen(OrmSession, "after_flush", _log_changes)


def _as_logged(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _columns(obj: SQLModel) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in IGNORED | BULKY]


def _shown(key: str, value: Any) -> Any:
    return "***" if key in SECRET and value is not None else _as_logged(value)


def _entry(obj: SQLModel, action: str) -> dict | None:
    state = inspect(obj)
    changes: dict[str, list] = {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if action == "insert":
            value = getattr(obj, key)
            if value not in (None, ""):
                changes[key] = [None, _shown(key, value)]
        elif action == "delete":
            changes[key] = [_shown(key, getattr(obj, key)), None]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[key] = [_shown(key, old), _shown(key, new)]
    if action == "update" and not changes:
        return None
    # New rows have their key by now, but not yet their identity in the session.
    identity = state.mapper.primary_key_from_instance(obj)
    entity_id = identity[0] if len(identity) == 1 else 0
    return {"entity": obj.__tablename__, "entity_id": entity_id or 0, "changes": changes}


def _log_changes(session: OrmSession, _context) -> None:
    rows = []
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, ChangeLog) or not isinstance(obj, SQLModel):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            entry = _entry(obj, action)
            if entry:
                rows.append(entry | {"action": action})
    if not rows:
        return
    actor = session.info.get("actor_id")
    reason = session.info.pop("change_reason", "")
    now = utcnow()
    for row in rows:
        row.update(user_id=actor, reason=reason, changed_at=now)
    # A Core insert: adding ORM objects inside a flush is not allowed.
    session.connection().execute(insert(ChangeLog.__table__), rows)
