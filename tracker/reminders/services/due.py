"""Reminders due now: who is told about which item, and the weekly digests."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import tuple_
from sqlmodel import Session, select

from tracker import dates
from tracker.deputies.services import with_deputies
from tracker.models import Body, Reminder, Unit, User
from tracker.overdue import passed
from tracker.reminders.services.items import Item, open_items
from tracker.reminders.services.readers import for_readers
from tracker.reminders.services.settings import Settings
from tracker.reminders.services.windows import window_on

KEY_COLUMNS = ("item_type", "item_id", "kind", "deadline", "recipient_id")


@dataclass
class Digest:
    overdue: list[Item]
    due_soon: list[Item]
    later: list[Item]

    @property
    def empty(self) -> bool:
        """Tell whether the digest holds no item at all."""
        return not (self.overdue or self.due_soon or self.later)


@dataclass
class Due:
    item: Item | None  # None for a digest
    kind: str
    deadline: date  # a digest's date for a digest
    recipient: User
    role: str  # owner, manager, secretary or digest
    offset: int = 0  # days from the deadline to today
    owners: list[str] = field(default_factory=list)  # names, for an escalation
    # Why a manager is told: the unit they manage, and whose unit chain led there.
    unit_name: str = ""
    about: str = ""
    digest: Digest | None = None
    ledger_id: int | None = None  # the ledger row, once it exists
    # The absent person whose reminder goes to their deputy, and their last day away.
    standing_in_for: str = ""
    standing_in_for_id: int | None = None
    away_until: date | None = None

    @property
    def papers(self) -> list:
        """Return a meeting's paper lines of whoever the reminder is for (the absent person's)."""
        if self.item is None:
            return []
        return self.item.papers.get(self.standing_in_for_id or self.recipient.id, [])

    @property
    def item_type(self) -> str:
        return self.item.type if self.item else "user"

    @property
    def item_id(self) -> int:
        return self.item.id if self.item else self.recipient.id

    @property
    def key(self) -> tuple:
        return (self.item_type, self.item_id, self.kind, self.deadline, self.recipient.id)


def _manager_of(owner: User, units: dict[int, Unit]) -> tuple[int, Unit] | None:
    """Return the first manager up the owner's own unit chain, past the owner, with the unit."""
    unit = units.get(owner.unit_id)
    seen = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        if unit.manager_id and unit.manager_id != owner.id:
            return unit.manager_id, unit
        unit = units.get(unit.parent_id)
    return None


@dataclass
class Recipient:
    user: User
    role: str  # owner, manager or secretary
    unit_name: str = ""  # the unit a manager manages
    about: str = ""  # the person whose unit chain led to the manager


def _recipients(item, window, users, units, copies) -> list[Recipient]:
    """Return who is told: the responsible; when escalated, their manager and copy takers.

    copies maps a body's id to its secretary, where that secretary asked for copies.
    """
    chosen: dict[int, Recipient] = {}
    for owner_id in item.owner_ids:
        if owner_id in users:
            chosen.setdefault(owner_id, Recipient(users[owner_id], "owner"))
    # Secretaries told because nobody is named are told, not escalated over.
    if window.escalate and not item.to_secretaries:
        for owner_id in item.owner_ids:
            found = owner_id in users and _manager_of(users[owner_id], units)
            if found and found[0] in users:
                manager, unit = found
                chosen.setdefault(
                    manager, Recipient(users[manager], "manager", unit.name, users[owner_id].name)
                )
        secretary = copies.get(item.body_id)
        if secretary in users:
            chosen.setdefault(secretary, Recipient(users[secretary], "secretary"))
    return [recipient for recipient in chosen.values() if recipient.user.active]


def digest_date(now: datetime, settings: Settings) -> date:
    """Return the day of the latest digest that has begun: this week's, or last week's."""
    local = dates.local(now)
    back = (local.date().weekday() - settings.digest_weekday) % 7
    if back == 0 and local.hour < settings.digest_hour:
        back = 7
    return local.date() - timedelta(days=back)


def _section(item: Item, today: date, soon: date) -> str | None:
    """Return the digest section an item goes in; None for a passed paper deadline."""
    if item.deadline is None or item.deadline > soon:
        return "later"
    if not passed(item.deadline, today):
        return "due_soon"
    return "overdue" if item.remind_after else None


def digest_of(items: Iterable[Item], user_id: int, *, today: date, settings: Settings):
    """Return a user's open items sorted into overdue, due soon and later; None if none."""
    mine = [item for item in items if user_id in item.owner_ids]
    if not mine:
        return None
    soon = today + timedelta(days=settings.horizon)
    mine.sort(key=lambda item: (item.deadline is None, item.deadline or today, item.type))
    digest = Digest([], [], [])
    for item in mine:
        section = _section(item, today, soon)
        if section:
            getattr(digest, section).append(item)
    return digest


def _copy_takers(session: Session, users: dict[int, User]) -> dict[int, int]:
    """Return each body's secretary, where that secretary asked for copies of escalations."""
    return {
        body.id: body.secretary_id
        for body in session.exec(select(Body).where(Body.secretary_id.is_not(None)))
        if users.get(body.secretary_id) and users[body.secretary_id].escalation_copies
    }


def _item_reminders(items, today, settings, users, units, copies) -> list[Due]:
    """Return a reminder for each item whose window is open, to each person told."""
    result = []
    for item in items:
        window = item.deadline and window_on(
            item.deadline, today, settings=settings, after=item.remind_after
        )
        if not window:
            continue
        owners = [users[o].name for o in item.owner_ids if o in users]
        for to in _recipients(item, window, users, units, copies):
            result.append(
                Due(
                    item,
                    window.kind,
                    item.deadline,
                    to.user,
                    to.role,
                    window.offset,
                    owners,
                    unit_name=to.unit_name,
                    about=to.about,
                )
            )
    return result


def _digests(items, users, today, day, settings) -> list[Due]:
    """Return the week's digest of each active user who wants one and answers for something."""
    # Each user's items found once, not by a pass over every item for every user.
    answered: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        for owner_id in item.owner_ids:
            answered[owner_id].append(item)
    result = []
    for user in users.values():
        if not (user.active and user.digest):
            continue
        digest = digest_of(answered.get(user.id, ()), user.id, today=today, settings=settings)
        if digest and not digest.empty:
            result.append(Due(None, "digest", day, user, "digest", digest=digest))
    return result


def current_reminders(session: Session, *, now: datetime, settings: Settings) -> list[Due]:
    """Compute from the data alone every reminder whose window is open now.

    Each tells its recipient only of what they may see: a restricted source's items are left
    out for someone outside its bodies, whoever they stand in for.
    """
    today = dates.local(now).date()
    items = open_items(session, today=today, settings=settings)
    users = {user.id: user for user in session.exec(select(User))}
    units = {unit.id: unit for unit in session.exec(select(Unit))}
    copies = _copy_takers(session, users)
    result = _item_reminders(items, today, settings, users, units, copies)
    result += _digests(items, users, today, digest_date(now, settings), settings)
    return for_readers(session, with_deputies(session, result, on=today, users=users))


def _batches(rows: list, size: int = 400):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def ledger_rows(session: Session, dues: list[Due]) -> dict[tuple, Reminder]:
    """Return the ledger rows that the reminders already have, by key."""
    columns = tuple_(*(getattr(Reminder, name) for name in KEY_COLUMNS))
    found = {}
    for batch in _batches([due.key for due in dues]):
        for row in session.exec(select(Reminder).where(columns.in_(batch))):
            found[tuple(getattr(row, name) for name in KEY_COLUMNS)] = row
    return found


def _claimable(row: Reminder, *, now: datetime, settings: Settings) -> bool:
    stale = row.claimed_at is None or row.claimed_at < now - settings.claim_timeout
    beat = row.heartbeat_at or row.claimed_at
    stale = stale or bool(row.claimed_by and beat < now - settings.heartbeat_timeout)
    # A send left in flight (sending_at) is settled before, never claimed again blindly.
    unsent = row.sent_at is None and row.sending_at is None and row.uncertain_at is None
    return unsent and row.attempts < settings.max_attempts and stale


def due_reminders(session: Session, *, now: datetime, settings: Settings) -> list[Due]:
    """Return the reminders to send now: open windows not sent, failed, or left claimed."""
    dues = current_reminders(session, now=now, settings=settings)
    rows = ledger_rows(session, dues)
    pending = []
    for due in dues:
        row = rows.get(due.key)
        if row is None:
            pending.append(due)
        elif _claimable(row, now=now, settings=settings):
            due.ledger_id = row.id
            pending.append(due)
    return pending
