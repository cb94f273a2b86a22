"""Report-back deadlines by kind: a date, a meeting, a recurring rule, or a vague period."""

from bisect import bisect_right
from collections import defaultdict
from datetime import date, timedelta

from sqlmodel import Session, func, select

from tracker import dates
from tracker.models import Meeting, Recommendation, Recurrence, StatusUpdate


class Calendar:
    """The meeting days of every body, read once, to find the next meeting after a day."""

    def __init__(self, session: Session, meetings: list[Meeting] | None = None):
        """Read the meetings, or take them from a page that has read them already."""
        self.days: dict[int, list[date]] = defaultdict(list)
        if meetings is None:
            rows = session.exec(select(Meeting.body_id, Meeting.held_on))
        else:
            rows = [(meeting.body_id, meeting.held_on) for meeting in meetings]
        for body_id, held_on in sorted(rows, key=lambda row: row[1]):
            self.days[body_id].append(held_on)

    def next_meeting(self, body_id: int | None, after: date) -> date | None:
        """Return the first meeting day of the body after a day, or None."""
        days = self.days.get(body_id, [])
        index = bisect_right(days, after)
        return days[index] if index < len(days) else None


def last_reports(session: Session, ids: list[int]) -> dict[int, date]:
    """Return the date of each recommendation's latest status update (its latest report)."""
    if not ids:
        return {}
    query = (
        select(StatusUpdate.recommendation_id, func.max(StatusUpdate.reported_on))
        .where(StatusUpdate.recommendation_id.in_(ids))
        .group_by(StatusUpdate.recommendation_id)
    )
    return dict(session.exec(query).all())


def _anniversary(anchor: date, year: int) -> date:
    try:
        return anchor.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return anchor.replace(year=year, day=28)


def next_deadline(
    recommendation: Recommendation,
    *,
    body_id: int | None,
    last_report: date | None,
    calendar: Calendar,
) -> date | None:
    """Return a recurring report-back's next deadline: the next meeting, or the next year's date.

    The next one is the first after the latest report, or after the first date given. Only
    dates the documents or a person gave count: never the day the row was entered, so an
    item with neither a report nor a date has no computed deadline ("årligen" stays words).
    """
    since = last_report or recommendation.due_date
    if recommendation.recurrence == Recurrence.EVERY_MEETING:
        body = recommendation.due_body_id or body_id
        if since is None:
            # Not reported yet and no date given: due at the body's next meeting from today.
            return calendar.next_meeting(body, dates.today() - timedelta(days=1))
        if last_report is None:
            return since  # the first date given is itself due
        return calendar.next_meeting(body, since)
    if since is None:
        return None
    if recommendation.recurrence == Recurrence.YEARLY:
        anchor = recommendation.due_date or since
        if last_report is None:
            return anchor
        # A report answers the year's date nearest to it, given early or late; the next is a
        # year on, and never before the first date the board gave.
        answered = min(
            (_anniversary(anchor, year) for year in range(since.year - 1, since.year + 2)),
            key=lambda day: abs((day - since).days),
        )
        following = _anniversary(anchor, answered.year + 1)
        return max(following, recommendation.due_date) if recommendation.due_date else following
    return None


def deadline_of(session: Session, recommendation: Recommendation, source) -> date | None:
    """Return one recommendation's report-back deadline, the next one if it recurs."""
    if not recommendation.recurrence:
        if recommendation.due_date:
            return recommendation.due_date
        meeting = recommendation.due_meeting_id and session.get(
            Meeting, recommendation.due_meeting_id
        )
        return meeting.held_on if meeting else None
    return next_deadline(
        recommendation,
        body_id=source.addressee_id or source.issuer_id,
        last_report=last_reports(session, [recommendation.id]).get(recommendation.id),
        calendar=Calendar(session),
    )


def next_deadlines(
    session: Session,
    items: list[tuple[Recommendation, int | None]],
    *,
    reported: dict[int, date],
    meetings: list[Meeting] | None = None,
) -> dict[int, date | None]:
    """Return the next deadline of each recurring recommendation, given its body and last report.

    No query when the caller has read the meetings already.
    """
    if not items:
        return {}
    calendar = Calendar(session, meetings)
    return {
        item.id: next_deadline(
            item, body_id=body_id, last_report=reported.get(item.id), calendar=calendar
        )
        for item, body_id in items
    }
