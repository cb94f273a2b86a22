"""A database that cannot be reached: a clear 503, and a posted form kept to send again."""

from contextlib import suppress

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError

from tracker import db
from tracker.api import problems
from tracker.auth import resend


def init_app(app: Flask) -> None:
    """Answer 503 "not saved, try again" when the database fails, keeping what was posted."""

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unavailable(error):
        app.logger.error("database unavailable: %s", error)
        with suppress(Exception):
            db.rollback()
        if request.path.startswith("/api/"):
            return problems.response(
                problems.ApiProblem(503, _("The database cannot be reached. Try again."))
            )
        if "_login_user" not in g:
            # The user could not be read: the page must not try again, and fail, in here.
            g._login_user = app.login_manager.anonymous_user()
        kept = None
        if request.method == "POST":
            # The CSRF check ran before any query and passed: the form is the user's own.
            kept = resend.keep(resend.session_browser()) and resend.kept_fields()
        page = render_template("outage.html", kept=kept, posted=request.method == "POST")
        return page, 503, {"Retry-After": "30"}
