"""The start page (the dashboard), "my work", and the accessibility statement."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from tracker import accessibility as tested
from tracker import labels
from tracker.dashboard.views import render_dashboard
from tracker.db import get_session
from tracker.my_work import my_work as open_work

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    """Show the start page."""
    return render_dashboard()


@bp.get("/tillganglighet")
def accessibility():
    """Show the accessibility statement, to anyone."""
    # Public: the law asks that anyone can read it, signed in or not.
    return render_template(
        "home/accessibility.html",
        contact=current_app.config["ACCESSIBILITY_CONTACT"],
        tested=tested,
        roles=[labels.label(labels.ROLES, role).lower() for role in tested.ROLES],
    )


@bp.get("/my-work")
@login_required
def my_work():
    """List the signed-in user's open measures, items and responses."""
    work = open_work(get_session(), current_user.id)
    return render_template(
        "home/my_work.html",
        measures=work.measures,
        recommendations=work.recommendations,
        responses=work.responses,
    )
