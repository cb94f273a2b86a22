"""Units of the organisation tree."""

from sqlmodel import Session, select

from tracker.editing import update_row
from tracker.models import Unit


def list_units(session: Session) -> list[Unit]:
    """Return every unit, by name."""
    return list(session.exec(select(Unit).order_by(Unit.name)))


def unit_choices(session: Session) -> list[tuple[int, str]]:
    """Return (id, name) pairs for a select field."""
    return [(unit.id, unit.name) for unit in list_units(session)]


def name_taken(session: Session, name: str, *, except_id: int | None = None) -> bool:
    """Tell whether another unit already has this name."""
    query = select(Unit.id).where(Unit.name == name.strip())
    if except_id is not None:
        query = query.where(Unit.id != except_id)
    return session.exec(query).first() is not None


def would_loop(session: Session, unit_id: int | None, parent_id: int | None) -> bool:
    """Tell whether making parent_id the parent of unit_id would make a cycle."""
    seen = set()
    while parent_id is not None and parent_id not in seen:
        if parent_id == unit_id:
            return True
        seen.add(parent_id)
        parent = session.get(Unit, parent_id)
        parent_id = parent.parent_id if parent else None
    return False


def create_unit(session: Session, *, values: dict) -> Unit:
    """Add a unit to the organisation tree."""
    unit = Unit(**values)
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, unit: Unit, *, version: int | None, values: dict) -> Unit:
    """Change a unit read at a version (ConflictError if someone saved it since)."""
    return update_row(session, unit, version=version, values=values)
