"""Deputies: named by the absent person for a period; reminders go to them, "för" the person."""

from dataclasses import replace
from datetime import date

from sqlmodel import Session, select

from tracker.models import Deputy, User


class DeputyError(ValueError):
    """A deputy period that cannot be: the person themself, an inactive user, or overlapping."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def add_deputy(
    session: Session, user: User, *, deputy: User, starts_on: date, ends_on: date
) -> Deputy:
    """Name a deputy for a period of absence; refuse one that overlaps another period."""
    from flask_babel import gettext as _

    if deputy.id == user.id:
        raise DeputyError("deputy_id", _("Name someone else: you cannot stand in for yourself."))
    if not deputy.active:
        raise DeputyError("deputy_id", _("%(name)s cannot sign in any more.", name=deputy.name))
    if ends_on < starts_on:
        raise DeputyError("ends_on", _("The last day comes on or after the first."))
    overlapping = session.exec(
        select(Deputy).where(
            Deputy.user_id == user.id, Deputy.starts_on <= ends_on, Deputy.ends_on >= starts_on
        )
    ).first()
    if overlapping:
        raise DeputyError("starts_on", _("You already have a deputy for part of this period."))
    row = Deputy(user_id=user.id, deputy_id=deputy.id, starts_on=starts_on, ends_on=ends_on)
    session.add(row)
    session.flush()
    return row


def periods_of(session: Session, user_id: int) -> list[tuple[Deputy, str]]:
    """Return a person's deputy periods with the deputy's name, latest first."""
    query = (
        select(Deputy, User.name)
        .join(User, Deputy.deputy_id == User.id)
        .where(Deputy.user_id == user_id)
        .order_by(Deputy.starts_on.desc())
    )
    return list(session.exec(query))


def standing_in(session: Session, *, on: date) -> dict[int, Deputy]:
    """Return the deputy periods in force on a day, by the absent person's id."""
    query = select(Deputy).where(Deputy.starts_on <= on, Deputy.ends_on >= on)
    return {row.user_id: row for row in session.exec(query)}


def absent_for(session: Session, deputy_id: int, *, on: date) -> set[int]:
    """Return the people someone stands in for on a day."""
    query = select(Deputy.user_id).where(
        Deputy.deputy_id == deputy_id, Deputy.starts_on <= on, Deputy.ends_on >= on
    )
    return set(session.exec(query))


def who_stands_in(session: Session, user_id: int, *, on: date) -> dict[str, list]:
    """Return, for the start page, whom a person stands in for and who stands in for them."""
    absent = {row.user_id: row for row in standing_in(session, on=on).values()}
    names = {}
    ids = {row.user_id for row in absent.values()} | {row.deputy_id for row in absent.values()}
    if ids:
        names = dict(session.exec(select(User.id, User.name).where(User.id.in_(ids))).all())
    return {
        "for_others": [
            (names.get(row.user_id, ""), row.ends_on)
            for row in absent.values()
            if row.deputy_id == user_id
        ],
        "for_me": [
            (names.get(row.deputy_id, ""), row.ends_on)
            for row in absent.values()
            if row.user_id == user_id
        ],
    }


def with_deputies(session: Session, dues: list, *, on: date, users: dict[int, User]) -> list:
    """Send the reminders of an absent person to their deputy, "för" the person, once each."""
    away = standing_in(session, on=on)
    if not away:
        return dues
    result, keys = [], set()
    for due in dues:
        period = away.get(due.recipient.id)
        deputy = period and users.get(period.deputy_id)
        if deputy is not None and deputy.active:
            due = replace(
                due,
                recipient=deputy,
                standing_in_for=due.recipient.name,
                standing_in_for_id=due.recipient.id,
                away_until=period.ends_on,
            )
        if due.key not in keys:
            keys.add(due.key)
            result.append(due)
    return result
