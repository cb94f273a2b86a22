"""The overdue rule, written once: each SQL condition beside its Python twin.

An item (a recommendation, an assignment, a proposal) is overdue when its report-back
deadline has passed and it still owes a report: neither reported (the board's decision is
awaited, not a report) nor closed. A measure is overdue when its due date has passed and it is
neither done nor cancelled. "Passed" means before today, in the region's calendar: an item due
today is not yet late. tests/test_overdue.py runs each pair on the same rows, and fails when
another module in tracker/ computes the rule itself.
"""

from datetime import date

from sqlalchemy import and_, or_

from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    CLOSED_RECOMMENDATION_STATUSES,
    MeasureStatus,
    RecommendationStatus,
)

# A reported item awaits the board's decision, not a report: it is not overdue.
NOT_DUE_STATUSES = (*CLOSED_RECOMMENDATION_STATUSES, RecommendationStatus.REPORTED)
# The rest, named so that a query can look them up in an index ("not in" reads every row).
DUE_STATUSES = tuple(status for status in RecommendationStatus if status not in NOT_DUE_STATUSES)
OPEN_MEASURE_STATUSES = tuple(s for s in MeasureStatus if s not in CLOSED_MEASURE_STATUSES)


def passed(deadline: date | None, today: date) -> bool:
    """Tell whether a deadline has passed: it was before today (no deadline never passes)."""
    return deadline is not None and deadline < today


def passed_sql(deadline, today: date):
    """Return the SQL condition of a deadline column that has passed (NULL never passes)."""
    return deadline < today


def item_owes(status: str) -> bool:
    """Tell whether an item with this status still owes a report."""
    return status in DUE_STATUSES


def item_owes_sql(status):
    """Return the SQL condition of an item's status column that still owes a report."""
    return status.in_(DUE_STATUSES)


def item_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Tell whether an item is past its report-back deadline and still owes a report."""
    return item_owes(status) and passed(deadline, today)


def item_overdue_sql(status, deadline, today: date):
    """Return the SQL twin of item_overdue over a status and a deadline column."""
    return and_(item_owes_sql(status), passed_sql(deadline, today))


def item_chased_sql(status, recurrence):
    """Return the SQL condition of an item reminders chase: it owes a report, or it recurs
    and is not closed (a recurring report-back is due again after each report)."""
    recurs = and_(recurrence != "", status.not_in(CLOSED_RECOMMENDATION_STATUSES))
    return or_(item_owes_sql(status), recurs)


def measure_open(status: str) -> bool:
    """Tell whether a measure with this status is still to be done."""
    return status in OPEN_MEASURE_STATUSES


def measure_open_sql(status):
    """Return the SQL condition of a measure's status column still to be done."""
    return status.in_(OPEN_MEASURE_STATUSES)


def measure_overdue(status: str, due: date | None, today: date) -> bool:
    """Tell whether a measure is past its due date and still to be done."""
    return measure_open(status) and passed(due, today)


def measure_overdue_sql(status, due, today: date):
    """Return the SQL twin of measure_overdue over a status and a due date column."""
    return and_(measure_open_sql(status), passed_sql(due, today))
