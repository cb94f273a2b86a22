"""Reminders: computed from the data on each run, claimed in the ledger, sent, marked sent.

A reminder is a window before or after a deadline ("7 days before" lasts from deadline-7
until "1 day before" begins). Each run computes which window every open item is in today,
claims (item, kind, deadline, recipient) in the ledger, whose unique key lets only one
run have it, sends the mail, and marks the row sent. A failed send keeps its error and is
retried by the next run, up to a cap; a claim without a send (a crash) is retried once it
is older than the claim timeout.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from tracker import dates, db
from tracker.mail import build_message, mail_connection
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    NOT_DUE_STATUSES,
    Body,
    Measure,
    Meeting,
    Recommendation,
    Reminder,
    Response,
    ResponseStatus,
    Source,
    Unit,
    User,
    utcnow,
)
from tracker.paging import Page, paginate
from tracker.recommendations.deadlines import Calendar, last_reports, next_deadline
from tracker.reminders.start import hold_back, record_run

log = logging.getLogger(__name__)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)
KEY_COLUMNS = ("item_type", "item_id", "kind", "deadline", "recipient_id")
LEDGER = Reminder.__table__

# Where a reminder's link leads: the form that answers the item, or its page.
ANSWER = {
    "measure": ("measures.update", "measure_id"),
    "recommendation": ("recommendations.update", "recommendation_id"),
    "source": ("sources.detail", "source_id"),
    "meeting": ("meetings.detail", "meeting_id"),
    "response": ("responses.edit", "response_id"),
    "response_input": ("responses.edit", "response_id"),
}
DETAIL = {
    "measure": ("measures.detail", "measure_id"),
    "recommendation": ("recommendations.detail", "recommendation_id"),
    "source": ("sources.detail", "source_id"),
    "meeting": ("meetings.detail", "meeting_id"),
    "response": ("responses.detail", "response_id"),
    "response_input": ("responses.detail", "response_id"),
}
ITEM_TYPES = {
    "measure": _l("Measure"),
    "recommendation": _l("Recommendation or assignment"),
    "source": _l("Audit report"),
    "meeting": _l("Meeting papers"),
    "response": _l("Response to the auditors"),
    "response_input": _l("Input to a response"),
    "user": _l("Weekly digest"),
}
STATUSES = {
    "sent": _l("Sent"),
    "failed": _l("Failed, will be retried"),
    "claimed": _l("Claimed, not sent yet"),
    "given_up": _l("Failed, given up"),
}
KIND_GROUPS = {
    "before": _l("Before the deadline"),
    "on_day": _l("On the day"),
    "overdue": _l("Overdue"),
    "digest": _l("Weekly digest"),
}


# --- Settings -------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    lead_days: tuple[int, ...]  # days before a deadline, largest first: (30, 14, 7, 1, 0)
    escalation_day: int  # from this day after a deadline, managers and secretaries are told
    digest_weekday: int  # 0 is Monday
    digest_hour: int  # local hour from which the week's digest goes out
    interval_minutes: int  # how often the scheduler runs
    max_attempts: int  # sends tried per reminder before it is given up
    claim_timeout: timedelta  # a claim older than this without a send is retried
    paper_deadline_days: int  # papers for a meeting are due this many days before it
    # A scheduler's claim whose heartbeat is older than this is orphaned and retried.
    heartbeat_timeout: timedelta = timedelta(minutes=2)

    @property
    def horizon(self) -> int:
        """Return how many days ahead an item counts as due soon."""
        return self.lead_days[0] if self.lead_days else 0


def read_settings(config) -> Settings:
    """Read the reminder settings from a config; raise ValueError naming a wrong one."""
    try:
        parts = str(config["REMINDER_LEAD_DAYS"]).split(",")
        lead = sorted({int(part) for part in parts if part.strip()}, reverse=True)
    except ValueError:
        raise ValueError("TRACKER_REMINDER_LEAD_DAYS must be numbers such as 30,14,7,1,0") from None
    weekday = str(config["REMINDER_DIGEST_WEEKDAY"]).strip().lower()[:3]
    checks = {
        "TRACKER_REMINDER_LEAD_DAYS": all(day >= 0 for day in lead),
        "TRACKER_REMINDER_DIGEST_WEEKDAY": weekday in WEEKDAYS,
        "TRACKER_REMINDER_DIGEST_HOUR": 0 <= config["REMINDER_DIGEST_HOUR"] <= 23,
        "TRACKER_REMINDER_ESCALATION_DAY": config["REMINDER_ESCALATION_DAY"] >= 1,
        "TRACKER_REMINDER_INTERVAL_MINUTES": config["REMINDER_INTERVAL_MINUTES"] >= 1,
        "TRACKER_REMINDER_MAX_ATTEMPTS": config["REMINDER_MAX_ATTEMPTS"] >= 1,
        "TRACKER_REMINDER_CLAIM_TIMEOUT_MINUTES": config["REMINDER_CLAIM_TIMEOUT_MINUTES"] >= 1,
        "TRACKER_PAPER_DEADLINE_DAYS": config["PAPER_DEADLINE_DAYS"] >= 0,
    }
    wrong = [name for name, ok in checks.items() if not ok]
    if wrong:
        raise ValueError(f"reminder settings out of range: {', '.join(wrong)}")
    return Settings(
        lead_days=tuple(lead),
        escalation_day=config["REMINDER_ESCALATION_DAY"],
        digest_weekday=WEEKDAYS.index(weekday),
        digest_hour=config["REMINDER_DIGEST_HOUR"],
        interval_minutes=config["REMINDER_INTERVAL_MINUTES"],
        max_attempts=config["REMINDER_MAX_ATTEMPTS"],
        claim_timeout=timedelta(minutes=config["REMINDER_CLAIM_TIMEOUT_MINUTES"]),
        paper_deadline_days=config["PAPER_DEADLINE_DAYS"],
        heartbeat_timeout=timedelta(minutes=config.get("REMINDER_HEARTBEAT_TIMEOUT_MINUTES", 2)),
    )


def current_settings() -> Settings:
    """Return the reminder settings of the current app."""
    return read_settings(current_app.config)


def moment_of(day: date) -> datetime:
    """Return noon of a local day as aware UTC: what `remind --today` runs as."""
    return datetime.combine(day, time(12), tzinfo=dates.zone()).astimezone(UTC)


# --- Windows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    kind: str  # "before_7", "on_day", "overdue_1", "overdue_14", ...
    offset: int  # days from the deadline to today: negative before it
    escalate: bool = False  # managers and secretaries are told too


def window_on(deadline: date, today: date, *, settings: Settings, after: bool = True):
    """Return the reminder window that today falls in, or None.

    Windows follow each other without gaps, so a run after days of downtime finds the
    nearest window still open, never an older one it missed.
    """
    offset = (today - deadline).days
    if offset <= 0:
        leads = [lead for lead in settings.lead_days if lead >= -offset]
        if not leads:
            return None
        lead = min(leads)
        return Window("on_day" if lead == 0 else f"before_{lead}", offset)
    if not after:
        return None
    # Day 1, then weekly; the escalation day starts a window of its own.
    starts = [1]
    if offset >= 7:
        starts.append(offset // 7 * 7)
    if offset >= settings.escalation_day:
        starts.append(settings.escalation_day)
    start = max(starts)
    return Window(f"overdue_{start}", offset, escalate=start >= settings.escalation_day)


def kind_label(kind: str) -> str:
    """Return a window's name in the current language."""
    if kind == "on_day":
        return _("On the day")
    if kind == "digest":
        return _("Weekly digest")
    name, _sep, days = kind.partition("_")
    if days.isdigit() and name == "before":
        return ngettext("%(num)d day before", "%(num)d days before", int(days))
    if days.isdigit() and name == "overdue":
        return ngettext("%(num)d day overdue", "%(num)d days overdue", int(days))
    return kind


# --- Items with deadlines ---------------------------------------------------------------


@dataclass
class Item:
    type: str  # measure, recommendation, source (an audit report), meeting (its papers)
    id: int
    deadline: date | None
    owner_ids: tuple[int, ...]  # who answers it and is reminded
    title: str
    text: str = ""
    body_name: str = ""  # whom the report-back goes to
    unit_id: int | None = None  # the item's unit, for escalation when the owner has none
    body_id: int | None = None  # the body it is due to, whose secretary may want copies
    meeting_on: date | None = None  # a paper deadline's meeting day
    remind_after: bool = True  # False: no overdue reminders (a passed paper deadline)
    # A paper deadline's recommendations per owner: (id, text).
    papers: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        """Return a name for the item that stays the same when its deadline moves."""
        return f"{'papers' if self.type == 'meeting' else self.type}-{self.id}"


def open_items(session: Session, *, today: date, settings: Settings, user_id=None) -> list[Item]:
    """Return every open item that someone answers, with its deadline (None if it has none).

    With user_id, only the items that user answers.
    """
    bodies = {body.id: body.name for body in session.exec(select(Body))}
    items: list[Item] = []

    measures = select(Measure).where(
        Measure.owner_id.is_not(None), Measure.status.not_in(CLOSED_MEASURE_STATUSES)
    )
    if user_id is not None:
        measures = measures.where(Measure.owner_id == user_id)
    for measure in session.exec(measures.order_by(Measure.id)):
        items.append(
            Item(
                "measure",
                measure.id,
                measure.due_date,
                (measure.owner_id,),
                measure.title,
                measure.description,
                unit_id=measure.unit_id,
            )
        )

    due_meeting = aliased(Meeting, name="due_meeting")
    recommendations = (
        select(Recommendation, Source, due_meeting)
        .join(Source, Recommendation.source_id == Source.id)
        .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
        .where(
            Recommendation.responsible_id.is_not(None),
            # A recurring report-back is due again after each report, until it is closed.
            or_(
                # A report-back already given is not chased: approving it is the board's business.
                Recommendation.status.not_in(NOT_DUE_STATUSES),
                and_(
                    Recommendation.recurrence != "",
                    Recommendation.status.not_in(CLOSED_RECOMMENDATION_STATUSES),
                ),
            ),
        )
        .order_by(Recommendation.id)
    )
    if user_id is not None:
        recommendations = recommendations.where(Recommendation.responsible_id == user_id)
    papers: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    meetings: dict[int, Meeting] = {}
    rows = list(session.exec(recommendations))
    recurring = [row[0].id for row in rows if row[0].recurrence]
    calendar = Calendar(session) if recurring else None
    reports = last_reports(session, recurring)
    for recommendation, source, meeting in rows:
        body_id = (
            recommendation.due_body_id
            or (meeting and meeting.body_id)
            or source.addressee_id
            or source.issuer_id
        )
        number = f" ({recommendation.number})" if recommendation.number else ""
        deadline = recommendation.due_date or (meeting and meeting.held_on)
        if recommendation.recurrence:
            deadline = next_deadline(
                recommendation,
                body_id=body_id,
                last_report=reports.get(recommendation.id),
                calendar=calendar,
            )
        items.append(
            Item(
                "recommendation",
                recommendation.id,
                deadline,
                (recommendation.responsible_id,),
                f"{source.title}{number}",
                recommendation.text,
                body_name=bodies.get(body_id, ""),
                unit_id=recommendation.unit_id,
                body_id=body_id,
            )
        )
        if meeting is not None and meeting.held_on >= today:
            meetings[meeting.id] = meeting
            papers[meeting.id][recommendation.responsible_id].append(
                (recommendation.id, recommendation.text)
            )

    for meeting_id, by_owner in papers.items():
        meeting = meetings[meeting_id]
        body = bodies.get(meeting.body_id, "")
        items.append(
            Item(
                "meeting",
                meeting_id,
                meeting.held_on - timedelta(days=settings.paper_deadline_days),
                tuple(by_owner),
                f"{body} {meeting.held_on.isoformat()} {meeting.title}".strip(),
                body_name=body,
                meeting_on=meeting.held_on,
                remind_after=False,
                papers={owner: list(rows) for owner, rows in by_owner.items()},
            )
        )

    items.extend(_responses(session, bodies, user_id))
    return items


def _responses(session, bodies, user_id) -> list[Item]:
    """Return each unadopted response's two deadlines: the answer, and the input to it."""
    query = (
        select(Response, Source)
        .join(Source, Response.source_id == Source.id)
        .where(Response.status.not_in((ResponseStatus.ADOPTED, ResponseStatus.SENT)))
        .order_by(Response.id)
    )
    items = []
    for response, source in session.exec(query):
        deadlines = (
            ("response", response.response_due, response.responsible_id),
            ("response_input", response.input_due, response.input_contact_id),
        )
        for kind, deadline, owner_id in deadlines:
            if owner_id is None or (user_id is not None and owner_id != user_id):
                continue
            items.append(
                Item(
                    kind,
                    response.id,
                    deadline,
                    (owner_id,),
                    source.title,
                    source.summary,
                    body_name=bodies.get(response.body_id, ""),
                    body_id=response.body_id,
                )
            )
    return items


# --- Reminders due now ------------------------------------------------------------------


@dataclass
class Digest:
    overdue: list[Item]
    due_soon: list[Item]
    later: list[Item]


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
    if window.escalate:
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


def digest_of(items: Iterable[Item], user_id: int, *, today: date, settings: Settings):
    """Return a user's open items sorted into overdue, due soon and later; None if none."""
    mine = [item for item in items if user_id in item.owner_ids]
    if not mine:
        return None
    soon = today + timedelta(days=settings.horizon)
    mine.sort(key=lambda item: (item.deadline is None, item.deadline or today, item.type))
    return Digest(
        overdue=[i for i in mine if i.deadline and i.deadline < today and i.remind_after],
        due_soon=[i for i in mine if i.deadline and today <= i.deadline <= soon],
        later=[i for i in mine if not i.deadline or i.deadline > soon],
    )


def current_reminders(session: Session, *, now: datetime, settings: Settings) -> list[Due]:
    """Compute from the data alone every reminder whose window is open now."""
    today = dates.local(now).date()
    items = open_items(session, today=today, settings=settings)
    users = {user.id: user for user in session.exec(select(User))}
    units = {unit.id: unit for unit in session.exec(select(Unit))}
    copies = {
        body.id: body.secretary_id
        for body in session.exec(select(Body).where(Body.secretary_id.is_not(None)))
        if users.get(body.secretary_id) and users[body.secretary_id].escalation_copies
    }
    result = []
    for item in items:
        if item.deadline is None:
            continue
        window = window_on(item.deadline, today, settings=settings, after=item.remind_after)
        if window is None:
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
    day = digest_date(now, settings)
    for user in users.values():
        if not (user.active and user.digest):
            continue
        digest = digest_of(items, user.id, today=today, settings=settings)
        if digest and (digest.overdue or digest.due_soon or digest.later):
            result.append(Due(None, "digest", day, user, "digest", digest=digest))
    return result


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
    return row.sent_at is None and row.attempts < settings.max_attempts and stale


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


# --- The ledger: claim, mark sent, mark failed -----------------------------------------------


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(LEDGER)


def _orphaned(now: datetime, settings: Settings):
    """Match claims of a scheduler that stopped beating: it died, and a new one may retry."""
    beat = func.coalesce(LEDGER.c.heartbeat_at, LEDGER.c.claimed_at)
    return and_(LEDGER.c.claimed_by != "", beat < now - settings.heartbeat_timeout)


def heartbeat(holder: str, *, now: datetime) -> None:
    """Tell other schedulers that this one is alive and still sending what it claimed."""
    with db.session_scope() as session:
        session.execute(
            update(LEDGER)
            .where(LEDGER.c.claimed_by == holder, LEDGER.c.sent_at.is_(None))
            .values(heartbeat_at=now)
        )


def claim_reminder(
    session: Session, due: Due, *, now: datetime, settings: Settings, holder: str = ""
) -> bool:
    """Claim one reminder in the ledger; return False if another run has it or sent it."""
    if due.ledger_id is None:
        statement = (
            _insert(session)
            .values(
                item_type=due.item_type,
                item_id=due.item_id,
                kind=due.kind,
                deadline=due.deadline,
                recipient_id=due.recipient.id,
                address=due.recipient.email,
                subject="",
                claimed_at=now,
                claimed_by=holder,
                heartbeat_at=now if holder else None,
                sent_at=None,
                attempts=1,
                error="",
            )
            # The unique key decides: a second run's insert of the same reminder does nothing.
            .on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
            .returning(LEDGER.c.id)
        )
        due.ledger_id = session.execute(statement).scalar_one_or_none()
        return due.ledger_id is not None
    # A retry: taken only if still unsent, under the cap, and not claimed by a live run.
    statement = (
        update(LEDGER)
        .where(
            LEDGER.c.id == due.ledger_id,
            LEDGER.c.sent_at.is_(None),
            LEDGER.c.attempts < settings.max_attempts,
            or_(
                LEDGER.c.claimed_at.is_(None),
                LEDGER.c.claimed_at < now - settings.claim_timeout,
                _orphaned(now, settings),
            ),
        )
        .values(
            claimed_at=now,
            claimed_by=holder,
            heartbeat_at=now if holder else None,
            attempts=LEDGER.c.attempts + 1,
            address=due.recipient.email,
        )
    )
    return session.execute(statement).rowcount == 1


def claim(
    session: Session, dues: list[Due], *, now: datetime, settings: Settings, holder: str = ""
) -> list[Due]:
    """Claim the reminders for a holder (a scheduler's id, "" for a command); return those got."""
    # In key order, so that two runs claiming at once take row locks in the same order.
    ordered = sorted(dues, key=lambda due: due.key)
    return [
        due
        for due in ordered
        if claim_reminder(session, due, now=now, settings=settings, holder=holder)
    ]


def mark_sent(session: Session, ledger_id: int, *, now: datetime, subject: str) -> None:
    """Record a reminder as sent."""
    session.execute(
        update(LEDGER)
        .where(LEDGER.c.id == ledger_id)
        .values(sent_at=now, error="", subject=subject[:300])
    )


def mark_failed(session: Session, ledger_id: int, *, error: str, subject: str) -> None:
    """Record a failed send and free the claim, so that the next run retries it."""
    session.execute(
        update(LEDGER)
        .where(LEDGER.c.id == ledger_id)
        .values(claimed_at=None, error=error[:1000] or "unknown error", subject=subject[:300])
    )


# --- The mails ----------------------------------------------------------------------------


def link(endpoint: str, **values) -> str:
    """Return an absolute URL under TRACKER_BASE_URL, outside any request."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def item_link(item: Item, *, answer: bool) -> str:
    """Return the link to the form that answers an item, or to its page."""
    endpoint, name = (ANSWER if answer else DETAIL)[item.type]
    return link(endpoint, **{name: item.id})


def _in_sentence(name: str) -> str:
    # Swedish writes a body's name in lower case inside a sentence ("till regionstyrelsen").
    if str(get_locale()).startswith("sv") and name[:2] != name[:2].upper():
        return name[:1].lower() + name[1:]
    return name


def what_is_due(item: Item) -> str:
    """Say in a few words what is due, in the current language."""
    if item.type == "measure":
        title = item.title if len(item.title) <= 80 else item.title[:79] + "…"
        return _("the measure “%(title)s”", title=title)
    if item.type == "meeting":
        return _(
            "papers for the meeting of %(body)s on %(date)s",
            body=_in_sentence(item.body_name),
            date=dates.format_date(item.meeting_on),
        )
    if item.type == "response":
        return _("response to the auditors on “%(title)s”", title=item.title)
    if item.type == "response_input":
        return _("input to the response on “%(title)s”", title=item.title)
    if item.body_name:
        return _("report-back to %(body)s", body=_in_sentence(item.body_name))
    return _("report-back")


def subject_of(due: Due) -> str:
    """Return a mail's subject: what is due, and when."""
    day = dates.format_date(due.deadline)
    if due.item is None:
        return _("Your deadlines, week of %(date)s", date=day)
    what = what_is_due(due.item)
    if due.role in ("manager", "secretary"):
        return _("Escalation: %(what)s overdue since %(date)s", what=what, date=day)
    if due.offset > 0:
        return _("Overdue: %(what)s was due %(date)s", what=what, date=day)
    # A response's deadlines are named as the region names them, first in the subject.
    if due.item.type == "response":
        return _("Response to the auditors by %(date)s: %(title)s", date=day, title=due.item.title)
    if due.item.type == "response_input":
        return _("Input to the response by %(date)s: %(title)s", date=day, title=due.item.title)
    if due.item.type == "recommendation" and due.item.body_name:
        return _(
            "Report-back to %(body)s by %(date)s: %(title)s",
            body=_in_sentence(due.item.body_name),
            date=day,
            title=due.item.title,
        )
    return _("Reminder: %(what)s by %(date)s", what=what, date=day)


def why_you(due: Due) -> str:
    """Say truthfully why the recipient gets this mail."""
    if due.item is None:
        return ""
    if due.role == "manager":
        return _(
            "You get this because you are the manager of %(unit)s, the unit of %(person)s, "
            "who is responsible.",
            unit=due.unit_name,
            person=due.about,
        )
    if due.role == "secretary":
        return _(
            "You get this as secretary of %(body)s, because you asked for copies of escalations.",
            body=due.item.body_name,
        )
    if due.item.type == "response":
        return _("You get this because you are responsible for drafting this response.")
    if due.item.type == "response_input":
        return _("You get this because you are the contact for the input to this response.")
    if due.item.type == "measure":
        return _("You get this because you are the owner of this measure.")
    if due.item.type == "meeting":
        return _("You get this because you are responsible for the items above.")
    return _("You get this because you are responsible for the item above.")


def _template(due: Due) -> str:
    if due.item is None:
        return "digest"
    if due.role in ("manager", "secretary"):
        return "escalation"
    return "paper_deadline" if due.item.type == "meeting" else "reminder"


@dataclass
class Mail:
    subject: str
    text: str
    html: str


def render_mail(due: Due) -> Mail:
    """Render a reminder's subject and both parts in the recipient's language."""
    with force_locale(due.recipient.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = subject_of(due)
        context = {
            "subject": subject,
            "due": due,
            "item": due.item,
            "recipient": due.recipient,
            "deadline": dates.format_date(due.deadline),
            "days": abs(due.offset),
            "kind_label": kind_label(due.kind),
            "what": what_is_due(due.item) if due.item else "",
            "link": item_link(due.item, answer=due.role == "owner") if due.item else "",
            "papers": [
                (text, link("recommendations.update", recommendation_id=id_))
                for id_, text in (due.item.papers.get(due.recipient.id, []) if due.item else [])
            ],
            "sections": _digest_sections(due.digest) if due.digest else [],
            "settings_link": link("auth.settings"),
            "why": why_you(due),
        }
        name = _template(due)
        text = render_template(f"email/{name}.txt", **context)
        html = render_template(f"email/{name}.html", **context)
    return Mail(subject, text, html)


def subject_in_language(due: Due) -> str:
    """Return a mail's subject in the recipient's language, without rendering its body."""
    with force_locale(due.recipient.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return subject_of(due)


def _digest_sections(digest: Digest) -> list[tuple[str, list[dict]]]:
    sections = [
        (_("Overdue"), digest.overdue),
        (_("Due soon"), digest.due_soon),
        (_("Open, due later or without a deadline"), digest.later),
    ]
    return [
        (
            heading,
            [
                {
                    # A measure's "what" names it already; other items need their title.
                    "text": what_is_due(item)
                    if item.type == "measure"
                    else f"{item.title}: {what_is_due(item)}",
                    "deadline": dates.format_date(item.deadline),
                    "link": item_link(item, answer=True),
                }
                for item in items
            ],
        )
        for heading, items in sections
        if items
    ]


# --- One run ------------------------------------------------------------------------------


@dataclass
class SendResult:
    """What became of one due mail in a run: sent, failed, or (dry run) would be sent."""

    due: Due
    subject: str
    sent: bool
    error: str = ""

    def line(self) -> str:
        """Describe the result on one line, for the command's output."""
        state = "sent" if self.sent else "failed" if self.error else "would send"
        text = (
            f"{state}: {self.due.item_type} {self.due.item_id} {self.due.kind} "
            f"{self.due.deadline.isoformat()} to {self.due.recipient.email}: {self.subject}"
        )
        return f"{text} ({self.error})" if self.error else text


@dataclass
class RunResult:
    outcomes: list[SendResult]
    placeholders: int = 0  # not mailed: seeded placeholder addresses
    before_start: int = 0  # not backfilled: the deadline passed before reminders began

    def summary(self) -> str:
        """Describe the run on one line, for the scheduler's log."""
        sent = sum(outcome.sent for outcome in self.outcomes)
        return (
            f"reminder run: {sent} sent, {len(self.outcomes) - sent} failed, "
            f"{self.placeholders} to placeholder addresses not mailed, "
            f"{self.before_start} with deadlines from before reminders began left out"
        )


def run_reminders(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    holder: str = "",
    limit: int | None = None,
) -> list[SendResult]:
    """Do one reminder run: compute, claim, send, mark; dry_run only tells what it would send.

    A limit sends only the first so many (the benchmark's fixed number of mails).
    """
    return reminder_run(now=now, dry_run=dry_run, holder=holder, limit=limit).outcomes


def reminder_run(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    holder: str = "",
    limit: int | None = None,
) -> RunResult:
    """Do one reminder run and return what it sent and what it held back."""
    now = now or utcnow()
    settings = current_settings()
    with Session(db.engine(), expire_on_commit=False) as session:
        dues = due_reminders(session, now=now, settings=settings)
        dues, *held = hold_back(session, dues, now=now)
    dues = dues[:limit]
    if dry_run:
        # Only the subject is printed: rendering both bodies of every mail would be wasted.
        outcomes = [SendResult(due, subject_in_language(due), sent=False) for due in dues]
        return RunResult(outcomes, *held)
    claimed = []
    if dues:
        with db.session_scope() as session:
            claimed = claim(session, dues, now=now, settings=settings, holder=holder)
    outcomes = []
    if claimed:
        with mail_connection() as connection:
            for due in claimed:
                outcomes.append(_send(due, connection, now=now))
    sent = sum(outcome.sent for outcome in outcomes)
    with db.session_scope() as session:
        record_run(session, now=now, sent=sent, failed=len(outcomes) - sent, held=tuple(held))
    return RunResult(outcomes, *held)


def _send(due: Due, connection, *, now: datetime) -> SendResult:
    subject = ""
    try:
        mail = render_mail(due)
        subject = mail.subject
        host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
        message = build_message(
            to=due.recipient.email,
            to_name=due.recipient.name,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            # The same ledger row always has the same Message-ID, so that a resend after a
            # crash between sending and marking can be recognised as the same mail.
            message_id=f"<reminder-{due.ledger_id}@{host}>",
            headers={"X-Tracker-Reminder": f"{due.item_type}-{due.item_id} {due.kind}"},
        )
        connection.send(message)
    except Exception as error:  # noqa: BLE001 - one bad mail must not stop the others
        log.warning("reminder %s not sent: %s", due.key, error)
        with db.session_scope() as session:
            mark_failed(session, due.ledger_id, error=str(error), subject=subject)
        return SendResult(due, subject, sent=False, error=str(error) or type(error).__name__)
    with db.session_scope() as session:
        mark_sent(session, due.ledger_id, now=now, subject=subject)
    return SendResult(due, subject, sent=True)


# --- What the pages show ----------------------------------------------------------------------


@dataclass
class LedgerRow:
    reminder: Reminder
    recipient_name: str
    status: str


def status_of(reminder: Reminder, settings: Settings) -> str:
    """Return a ledger row's state: sent, claimed, failed or given_up."""
    if reminder.sent_at is not None:
        return "sent"
    if reminder.claimed_at is not None and not reminder.error:
        return "claimed"
    return "given_up" if reminder.attempts >= settings.max_attempts else "failed"


def list_ledger(
    session: Session,
    *,
    settings: Settings,
    status: str | None = None,
    kind: str | None = None,
    item_type: str | None = None,
    recipient_id: int | None = None,
    deadline_from: date | None = None,
    deadline_to: date | None = None,
    page: int = 1,
    size: int = 50,
) -> Page:
    """Return a page of the ledger, newest first, filtered."""
    query = (
        select(Reminder, User.name)
        .join(User, Reminder.recipient_id == User.id)
        .order_by(Reminder.id.desc())
    )
    if status == "sent":
        query = query.where(Reminder.sent_at.is_not(None))
    elif status == "claimed":
        query = query.where(
            Reminder.sent_at.is_(None), Reminder.claimed_at.is_not(None), Reminder.error == ""
        )
    elif status in ("failed", "given_up"):
        under_cap = Reminder.attempts < settings.max_attempts
        query = query.where(
            Reminder.sent_at.is_(None),
            or_(Reminder.claimed_at.is_(None), Reminder.error != ""),
            under_cap if status == "failed" else ~under_cap,
        )
    if kind in ("before", "overdue"):
        query = query.where(Reminder.kind.startswith(f"{kind}_"))
    elif kind in ("on_day", "digest"):
        query = query.where(Reminder.kind == kind)
    if item_type:
        query = query.where(Reminder.item_type == item_type)
    if recipient_id:
        query = query.where(Reminder.recipient_id == recipient_id)
    if deadline_from:
        query = query.where(Reminder.deadline >= deadline_from)
    if deadline_to:
        query = query.where(Reminder.deadline <= deadline_to)
    result = paginate(session, query, page=page, size=size)
    result.items = [LedgerRow(row, name, status_of(row, settings)) for row, name in result.items]
    return result


def reminders_of(session: Session, *, item_type: str, item_id: int) -> list[LedgerRow]:
    """Return the reminders an item produced, newest first."""
    settings = current_settings()
    query = (
        select(Reminder, User.name)
        .join(User, Reminder.recipient_id == User.id)
        .where(Reminder.item_type == item_type, Reminder.item_id == item_id)
        .order_by(Reminder.id.desc())
    )
    return [LedgerRow(row, name, status_of(row, settings)) for row, name in session.exec(query)]
