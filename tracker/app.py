"""The application factory: config, database, extensions, blueprints, CLI."""

from pathlib import Path

from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import text

from tracker import clean_writes, db, i18n, limiter, logs, outage, security
from tracker.answers import views as answer_links
from tracker.auth import resend
from tracker.auth.services import init_passwords
from tracker.config import ROOT, load_config
from tracker.extensions import bootstrap, csrf, login_manager

# A strict policy: the templates carry no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(config: dict | None = None) -> Flask:
    """Create the app; it never starts a scheduler."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)

    logs.init_logging(app)
    db.init_app(app)
    clean_writes.register()
    init_passwords(app)
    i18n.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    _init_login(app)
    security.init_app(app)
    _register_blueprints(app)
    from tracker.auth import oidc

    oidc.init_app(app)
    limiter.init_app(app)
    answer_links.init_app(app)
    _register_errors(app)
    outage.init_app(app)
    resend.init_app(app)
    _register_health(app)
    _register_templating(app)

    from tracker import api

    api.init_app(app)

    from tracker import cli

    cli.init_app(app)
    return app


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext
    from flask_login import current_user, user_logged_in

    from tracker.changelog import set_actor
    from tracker.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(session_token: str):
        # The cookie holds the user's session token, not the id: a new token ends old cookies.
        from flask import g
        from sqlmodel import and_, select

        from tracker import dates
        from tracker.models import BodySecretary, Deputy

        if len(session_token) > 64:
            return None
        # What the permission checks of every page ask about the user rides along: the
        # bodies they are secretary of (tracker/auth/scope.py) and whom they stand in for
        # today (tracker/auth/permissions.py), kept in g for the request. One query, not three.
        today = dates.today()
        standing_in = and_(
            Deputy.deputy_id == User.id, Deputy.starts_on <= today, Deputy.ends_on >= today
        )
        rows = (
            db.get_session()
            .exec(
                select(User, BodySecretary.body_id, Deputy.user_id)
                .join(BodySecretary, BodySecretary.user_id == User.id, isouter=True)
                .join(Deputy, standing_in, isouter=True)
                .where(User.session_token == session_token)
            )
            .all()
        )
        user = rows[0][0] if rows else None
        if user is None or not user.active:
            return None
        bodies = frozenset(body for _user, body, _absent in rows if body is not None)
        g.setdefault(f"bodies_{BodySecretary.__tablename__}", {})[user.id] = bodies
        absent = {absent for _user, _body, absent in rows if absent is not None}
        g.setdefault("standing_in_for", {})[user.id] = absent
        return user

    @app.before_request
    def _name_the_actor():
        # The change log names whoever makes the request; the ORM hook reads it from here.
        if request.endpoint != "static":
            user = current_user if current_user.is_authenticated else None
            set_actor(db.get_session(), user.id if user else None)

    @user_logged_in.connect_via(app)
    def _signed_in(_app, user, **_extra):
        set_actor(db.get_session(), user.id)


def _register_blueprints(app: Flask) -> None:
    from tracker.annual.views import bp as annual_bp
    from tracker.answers.views import bp as answers_bp
    from tracker.auth.identity_views import bp as identity_bp
    from tracker.auth.oidc import bp as oidc_bp
    from tracker.auth.scim import bp as scim_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.deputies.views import bp as deputies_bp
    from tracker.documents.views import bp as documents_bp
    from tracker.followup.bulk_views import bp as followup_bulk_bp
    from tracker.followup.views import bp as followup_bp
    from tracker.grades.views import bp as grades_bp
    from tracker.home import bp as home_bp
    from tracker.indicators.views import bp as indicators_bp
    from tracker.measures.upload_views import bp as measure_files_bp
    from tracker.measures.views import bp as measures_bp
    from tracker.meetings.views import bp as meetings_bp
    from tracker.recommendations.views import bp as recommendations_bp
    from tracker.register.mark_views import bp as marks_bp
    from tracker.register.views import bp as register_bp
    from tracker.reminders.views import bp as reminders_bp
    from tracker.responses.views import bp as responses_bp
    from tracker.search.views import bp as search_bp
    from tracker.sources.views import bp as sources_bp
    from tracker.units.views import bp as units_bp

    for blueprint in (
        auth_bp,
        oidc_bp,
        identity_bp,
        scim_bp,
        home_bp,
        units_bp,
        meetings_bp,
        followup_bp,
        followup_bulk_bp,
        sources_bp,
        recommendations_bp,
        measures_bp,
        reminders_bp,
        indicators_bp,
        search_bp,
        responses_bp,
        grades_bp,
        annual_bp,
        answers_bp,
        deputies_bp,
        measure_files_bp,
        register_bp,
        marks_bp,
        documents_bp,
    ):
        app.register_blueprint(blueprint)
    # The provider's provisioning sends a bearer token, never a form with a CSRF token.
    csrf.exempt(scim_bp)


def _register_errors(app: Flask) -> None:
    from tracker import dates

    def page(status: int, title: str, message: str):
        return render_template("error.html", title=title, message=message), status

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        from flask import request
        from flask_login import current_user

        if (
            request.method == "POST"
            and not current_user.is_authenticated
            and request.endpoint != "auth.login"
        ):
            from tracker.auth.resend import keep_and_sign_in

            return keep_and_sign_in()  # the session ended: the typed text survives the sign-in
        return page(
            400,
            _("The form has expired"),
            _("The form was too old or came from elsewhere. Go back, reload it and send again."),
        )

    @app.errorhandler(400)
    def _bad_request(_error):
        return page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(403)
    def _forbidden(_error):
        return page(403, _("Not allowed"), _("Your role does not allow this."))

    @app.errorhandler(404)
    def _not_found(_error):
        return page(404, _("Not found"), _("There is nothing at this address."))

    @app.errorhandler(405)
    def _method(_error):
        return page(405, _("Not allowed"), _("This address does not take that kind of request."))

    @app.errorhandler(429)
    def _too_many(_error):
        until = security.retry_at()
        return page(
            429,
            _("Too many attempts"),
            _(
                "Too many failed sign-ins. Try again after %(time)s.",
                time=dates.format_datetime(until) if until else _("a while"),
            ),
        )

    @app.errorhandler(500)
    def _server_error(_error):
        # A failed flush leaves the session unusable, and the page needs it for the user.
        db.rollback()
        return page(500, _("Something went wrong"), _("The error has been logged."))


def _register_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        """Answer that the process is up."""
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.get("/readyz")
    def readyz():
        """Answer whether the database can be reached."""
        try:
            with db.engine().connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means not ready
            return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    # Probes come from load balancers that hold no session and no CSRF token.
    csrf.exempt(healthz)
    csrf.exempt(readyz)


def _register_templating(app: Flask) -> None:
    from tracker import dates, labels, typography
    from tracker.auth.services import can
    from tracker.editing import differences
    from tracker.status_update_page import behalf_of

    app.jinja_env.filters["date"] = dates.format_date
    app.jinja_env.filters["datetime"] = dates.format_datetime
    app.jinja_env.filters["typeset"] = typography.typeset
    app.jinja_env.filters["running_date"] = typography.running_date
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(can=can, labels=labels, get_locale=get_locale)
    app.jinja_env.globals["differences"] = differences
    app.jinja_env.globals["behalf_of"] = behalf_of
    app.jinja_env.globals["swedish"] = i18n.swedish
    # The one way to print text in its language (WCAG 3.1.2): sv(text) for the documents'
    # Swedish on an English page, en(text) for English on a Swedish page.
    app.jinja_env.globals["sv"] = i18n.swedish
    app.jinja_env.globals["en"] = i18n.english
    app.jinja_env.globals["lang_attr"] = i18n.lang_attribute  # for an <option> or a <td>

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
