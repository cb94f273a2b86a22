"""The one date helper: today and now in the configured calendar (Europe/Stockholm)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Stockholm"
# The months as Swedish running text names them ("februari 2021").
SWEDISH_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def zone() -> ZoneInfo:
    """Return the configured time zone."""
    name = current_app.config["TIMEZONE"] if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)


def today() -> date:
    """Return today's date in the configured calendar."""
    return datetime.now(UTC).astimezone(zone()).date()


def local(moment: datetime) -> datetime:
    """Return an aware UTC datetime as local time in the configured calendar."""
    if moment.tzinfo is None:
        # SQLite hands back naive values; they were stored as UTC.
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def format_date(value: date | datetime | None) -> str:
    """Format a date as YYYY-MM-DD, a datetime in the local calendar."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.isoformat()


def format_datetime(value: datetime | None) -> str:
    """Format a datetime as YYYY-MM-DD HH:MM in the local calendar."""
    return local(value).strftime("%Y-%m-%d %H:%M") if value else ""
