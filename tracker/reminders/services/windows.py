"""Reminder windows: which reminder, before or after a deadline, is open on a day."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.overdue import passed
from tracker.reminders.services.settings import Settings


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
    if not passed(deadline, today):
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
