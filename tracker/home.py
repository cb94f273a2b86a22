"""The start page and "my work": what the signed-in user owns or is responsible for."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.db import get_session
from tracker.measures.services import my_measures
from tracker.models import CLOSED_RECOMMENDATION_STATUSES
from tracker.recommendations.services import list_recommendations

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    return redirect(url_for("home.my_work"))


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
