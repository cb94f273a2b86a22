"""The start page after sign-in, rendered for home.index."""

from datetime import timedelta

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from tracker import dates, labels
from tracker.auth.permissions import Action, can
from tracker.charts import bar_chart
from tracker.dashboard import services, todo
from tracker.db import get_session
from tracker.deputies.services import who_stands_in
from tracker.grades import services as grades
from tracker.responses import services as responses

# The start page shows the first rows of each list and a count with a link to the whole list,
# so that it stays the same size however many items, people and units the region has.
SHOWN = 10
UPCOMING_SHOWN = 25


def _status_chart(id_: str, title: str, table: services.StatusTable):
    series = [
        (status, labels.label(labels.RECOMMENDATION_STATUSES, status)) for status in table.statuses
    ]
    # Items without a body are on the to-do list, not a bar: there is no body to act.
    rows = [(name, counts) for id_, name, counts in table.rows if id_ is not None]
    return bar_chart(id_, title, rows, series)


def _todo(session, late_all: list) -> dict:
    todos, todo_total = todo.unassigned(session)
    late = late_all[:SHOWN]
    late_rows = [
        (row.name, {"measure": row.measures, "recommendation": row.recommendations}) for row in late
    ]
    return {
        "todos": todos,
        "todo_total": todo_total,
        "late_people": late,
        "late_total": len(late_all),
        "late_chart": bar_chart(
            "chart-late",
            _("Overdue items per responsible person"),
            late_rows,
            [("measure", _("Measures")), ("recommendation", _("Recommendations"))],
        ),
    }


def _overview(session, today) -> dict:
    by_body, by_source, sources_total = services.status_tables(session)
    overdue_all, late_all = services.overdue_counts(session, today=today)
    overdue = overdue_all[:SHOWN]
    upcoming_all = services.upcoming_deadlines(session, today=today)
    upcoming = upcoming_all[:UPCOMING_SHOWN]
    weeks = services.week_counts(upcoming_all, today=today)
    missed = services.missed_indicator_targets(session)
    # Two counts read together: one query.
    not_addressed, priority_open = session.exec(
        select(
            responses.not_addressed_query().scalar_subquery(),
            grades.open_priority_query().scalar_subquery(),
        )
    ).one()
    kinds = [
        ("recommendation", _("Recommendations")),
        ("measure", _("Measures")),
        ("source", _("Responses to auditors")),
    ]
    overdue_rows = [
        (
            row.unit_name or _("No unit"),
            {"measure": row.measures, "recommendation": row.recommendations},
        )
        for row in overdue
    ]
    week_rows = [(week_label(start), counts) for start, counts in weeks]
    return {
        "by_body": by_body,
        "by_body_chart": _status_chart(
            "chart-body", _("Recommendations by status, per body"), by_body
        ),
        "by_source": by_source,
        "sources_total": sources_total,
        "by_source_chart": _status_chart(
            "chart-source", _("Recommendations by status, per source"), by_source
        ),
        "overdue": overdue,
        "overdue_total": len(overdue_all),
        "overdue_chart": bar_chart(
            "chart-overdue",
            _("Overdue items per unit"),
            overdue_rows,
            [("measure", _("Measures")), ("recommendation", _("Recommendations"))],
        ),
        "upcoming": upcoming,
        "upcoming_total": len(upcoming_all),
        "upcoming_until": today + timedelta(days=services.SOON_DAYS),
        "weeks": weeks,
        "week_kinds": kinds,
        "weeks_chart": bar_chart("chart-weeks", _("Deadlines per week"), week_rows, kinds),
        "meetings": services.next_meetings(session, today=today),
        "missed_targets": missed[:SHOWN],
        "missed_total": len(missed),
        "not_addressed": not_addressed,
        "priority_open": priority_open,
        "moved": grades.moved_more_than_once(session),
    } | _todo(session, late_all)


def week_label(monday) -> str:
    """Name an ISO week as the region does: "v. 48"."""
    return _("wk %(week)s", week=monday.isocalendar().week)


def render_dashboard():
    """Render the start page: the user's own items, and the overview for those who read it."""
    session = get_session()
    today = dates.today()
    context = {
        "mine": services.mine_and_orphans(session, current_user, today=today),
        "standing_in": who_stands_in(session, current_user.id, on=today),
        "soon_days": services.SOON_DAYS,
        "overview": can(current_user, Action.SEE_OVERVIEW),
    }
    if context["overview"]:
        context.update(_overview(session, today))
    return render_template("dashboard/index.html", **context)
