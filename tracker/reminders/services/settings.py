"""Reminder settings: lead days, digest day and hour, retries, read from the config."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from tracker import dates

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
