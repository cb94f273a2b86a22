"""The start page (the dashboard), "my work", and the accessibility statement."""

from datetime import date

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from tracker.dashboard.views import render_dashboard
from tracker.db import get_session
from tracker.measures.services import my_measures
from tracker.models import CLOSED_RECOMMENDATION_STATUSES
from tracker.recommendations.services import list_recommendations

bp = Blueprint("home", __name__)

# Change this date whenever the accessibility statement is reviewed.
STATEMENT_REVIEWED = date(2026, 11, 23)


@bp.get("/")
@login_required
def index():
    return render_dashboard()


@bp.get("/tillganglighet")
def accessibility():
    # Public: the law asks that anyone can read it, signed in or not.
    return render_template(
        "home/accessibility.html",
        contact=current_app.config["ACCESSIBILITY_CONTACT"],
        reviewed=STATEMENT_REVIEWED,
    )


@bp.get("/my-work")
@login_required
def my_work():
    session = get_session()
    responsible = [
        row
        for row in list_recommendations(session, responsible_id=current_user.id, size=1000).items
        if row.recommendation.status not in CLOSED_RECOMMENDATION_STATUSES
    ]
    # Overdue first, then the nearest deadline; no deadline last.
    responsible.sort(key=lambda row: (not row.overdue, row.deadline is None, row.deadline))
    return render_template(
        "home/my_work.html",
        measures=my_measures(session, current_user.id),
        recommendations=responsible,
    )
