"""Each user's private iCalendar feed (RFC 5545) of their deadlines and the meetings they report to.

Every event's UID names the item, not the date ("measure-12@host"), so that a calendar that
subscribes to the feed moves the event when a deadline moves instead of adding another.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker import dates
from tracker.models import User
from tracker.reminders.services.items import open_items
from tracker.reminders.services.mails import item_link, link, what_is_due
from tracker.reminders.services.settings import current_settings


def _hash_token(token: str) -> str:
    """Return the hex SHA-256 a feed token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def renew_feed_token(session: Session, user: User) -> str:
    """Give the user a new secret feed token and return it; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    user.feed_token = _hash_token(token)
    session.add(user)
    session.flush()
    return token


def turn_off_feed(session: Session, user: User) -> None:
    """Remove the user's feed token: the feed address stops working."""
    user.feed_token = None
    session.add(user)
    session.flush()


def user_of_feed(session: Session, token: str) -> User | None:
    """Return the active user whose feed token this is, or None."""
    if not token or len(token) > 64:
        return None
    user = session.exec(select(User).where(User.feed_token == _hash_token(token))).first()
    return user if user and user.active else None


def feed_url(token: str) -> str:
    """Return the absolute URL of a calendar feed."""
    return link("reminders.feed", token=token)


def _event(uid: str, day, summary: str, description: str, url: str, now: datetime):
    # icalendar takes ~0.3 s to import: only a feed download needs it, not every start.
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", day)  # a date: an all-day event
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def calendar_of(session: Session, user: User, *, now: datetime) -> bytes:
    """Return the user's feed: their open deadlines and the meetings they report to."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    today = dates.local(now).date()
    items = open_items(
        session, today=today, settings=current_settings(), user_id=user.id, viewer=user
    )
    # icalendar takes ~0.3 s to import: only a feed download needs it, not every start.
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Tracker//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        calendar.add("x-wr-calname", _("Tracker: deadlines of %(name)s", name=user.name))
        for item in items:
            if item.deadline is None:
                continue
            url = item_link(item, answer=True)
            what = what_is_due(item)
            description = "\n\n".join(part for part in (item.title, item.text, url) if part)
            summary = _("Due: %(what)s", what=what)
            calendar.add_component(
                _event(f"{item.uid}@{host}", item.deadline, summary, description, url, now)
            )
            if item.type == "meeting":
                meeting_url = item_link(item, answer=False)
                calendar.add_component(
                    _event(
                        f"meeting-{item.id}@{host}",
                        item.meeting_on,
                        _("Meeting of %(body)s", body=item.body_name),
                        "\n\n".join((item.title, meeting_url)),
                        meeting_url,
                        now,
                    )
                )
    return calendar.to_ical()
