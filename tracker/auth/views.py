"""Sign-in, sign-out, the user's settings, and user administration."""

import math
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker import labels
from tracker.auth import forms, identity, oidc, services, throttle
from tracker.auth.permissions import Action
from tracker.auth.resend import take_kept
from tracker.dates import local
from tracker.db import get_session
from tracker.edit_page import edit_page, editable
from tracker.editing import saving
from tracker.i18n import LANGUAGES, browser_language
from tracker.meetings.services import body_choices
from tracker.models import User
from tracker.units.services import unit_choices

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would help phishing.
    local = target and target.startswith("/") and not target.startswith("//")
    if local and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with e-mail and password, throttled per address."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = forms.LoginForm()
    if form.validate_on_submit() and _password_open(form):
        try:
            ticket = throttle.take(form.email.data)  # before the password check, never after
        except throttle.Throttled as refused:
            return _throttled(form, refused.until)
        session = get_session()
        user = services.authenticate(session, email=form.email.data, password=form.password.data)
        with saving(session):
            identity.log_sign_in(
                session,
                user=user,
                email=form.email.data,
                method="password",
                address=request.remote_addr or "",
                outcome="signed_in" if user else "wrong_password",
            )
        if user:
            throttle.succeeded(ticket)
            # The first sign-in takes the browser's language; later, one chosen on this page.
            chosen = request.cookies.get("lang")
            if user.first_signed_in_at is None:
                services.first_sign_in(session, user, chosen or browser_language())
            elif chosen in LANGUAGES and chosen != user.language:
                services.set_language(session, user.id, chosen)
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong e-mail or password."))
    status = 200 if not form.errors else 400
    return render_template(
        "auth/login.html",
        form=form,
        oidc=oidc.enabled(),
        oidc_label=current_app.config["OIDC_LABEL"],
        password_open=current_app.config["PASSWORD_SIGN_IN"],
    ), status


def _password_open(form) -> bool:
    """Tell whether this e-mail may sign in with a password; say why not next to the field."""
    if identity.may_use_password(form.email.data):
        return True
    form.email.errors.append(
        _("Sign in with the region's sign-in service. Passwords are for emergencies only.")
    )
    return False


def local_time(moment: datetime) -> str:
    """Return a moment as the local date and time to the second: the first waits are short."""
    return local(moment).strftime("%Y-%m-%d %H:%M:%S")


def _throttled(form, until: float):
    """Re-show the sign-in form with when the next try is let through, the e-mail kept."""
    moment = datetime.fromtimestamp(until, UTC)
    form.password.errors.append(
        _("Too many failed sign-ins. Try again after %(time)s.", time=local_time(moment))
    )
    wait = max(1, math.ceil(until - time.time()))
    page = render_template("auth/login.html", form=form)
    return page, 429, {"Retry-After": str(wait)}


@bp.post("/logout")
@login_required
def logout():
    """Sign out on this browser."""
    return _sign_out(_("You are signed out."))


@bp.post("/settings/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """Sign out on every browser and phone at once."""
    return _sign_out(_("You are signed out on every computer and phone."))


def _sign_out(message: str):
    # A new session token: this cookie, its copies, the remember cookie and every other
    # browser's cookies all stop working (docs/decisions/0007-revocable-sessions.md).
    session = get_session()
    with saving(session):
        services.end_sessions(session, session.get(User, current_user.id))
    # Signed in at the provider: its session ends too, then it sends the browser back here.
    provider_sign_out = oidc.end_session_url()
    logout_user()
    flask_session.pop(oidc.SIGNED_IN_WITH, None)
    flash(message, "info")
    return redirect(provider_sign_out or url_for("auth.login"))


@bp.get("/resend")
@login_required
def resend():
    """Show the form whose post was refused, with what was typed, to send again."""
    # Any signed-in user: the form posts to its own route, which checks the role.
    return render_template("auth/resend.html", kept=take_kept())


@bp.get("/language/<code>")
def language(code: str):
    """Switch the language of the pages, kept on the user and in a cookie."""
    if code not in LANGUAGES:
        abort(404)
    if current_user.is_authenticated and current_user.language != code:
        services.set_language(get_session(), current_user.id, code)  # kept on the user
    response = redirect(_safe_next(request.args.get("next")))
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Change one's own name, language, mail and password; a stale form is a conflict."""
    session = get_session()
    user = session.get(User, current_user.id)
    form = forms.SettingsForm(obj=user if request.method == "GET" else None)
    return edit_page(
        form,
        template="auth/settings.html",
        check=lambda: form.validate_on_submit() and _new_password_ok(form, user),
        save=lambda _checked: services.update_user(
            session, user, version=form.version.data, values=_settings_values(form)
        ),
        done=lambda _user: _signed_in_again(form, user),
        saved=lambda: _("Your settings are saved."),  # in the language just chosen
        then=url_for("auth.settings"),
        # Read here, not by the template: templates run no queries.
        shown=lambda _conflict: {
            "new_feed": flask_session.pop("new_feed", None),
            "api_tokens": [(token, user) for token in services.api_tokens_of(session, user.id)],
        },
        user=user,
    )


def _signed_in_again(form, user: User) -> None:
    """Sign in again after a new password: it ended every session, this one goes on."""
    if form.password.data:
        login_user(user)


def _settings_values(form) -> dict:
    values = {
        key: getattr(form, key).data for key in ("name", "language", "digest", "escalation_copies")
    }
    if form.password.data:
        values["password"] = form.password.data
    return values


def _new_password_ok(form, user: User) -> bool:
    """Check a new password against the current one asked for and the password rules."""
    if not form.password.data:
        return True
    if not services.check_password(user, form.current_password.data or ""):
        form.current_password.errors.append(_("This is not your current password."))
        return False
    return _password_acceptable(form.password, email=user.email, name=form.name.data)


def _password_acceptable(field, *, email: str, name: str) -> bool:
    problem = field.data and services.password_problem(field.data, email=email, name=name)
    if problem:
        field.errors.append(problem)
    return not problem


@bp.get("/users")
@login_required
def users():
    """List the users, for an administrator."""
    services.require(Action.ADMIN)
    return render_template("auth/users.html", users=services.list_users(get_session()))


def _user_form(obj=None) -> forms.UserForm:
    form = forms.UserForm(obj=obj if request.method == "GET" else None)
    form.role.choices = labels.choices(labels.ROLES)
    form.unit_id.choices = [("", _("No unit"))] + unit_choices(get_session())
    form.bodies.choices = body_choices(get_session())
    if obj is not None and request.method == "GET":
        form.bodies.data = sorted(identity.bodies_of_user(get_session(), obj))
    return form


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    """Create a user with a role, unit and bodies."""
    services.require(Action.ADMIN)
    form = _user_form()
    if form.validate_on_submit() and _password_acceptable(
        form.password, email=form.email.data, name=form.name.data
    ):
        session = get_session()
        try:
            with saving(session, form):
                user = services.create_user(
                    session,
                    email=form.email.data,
                    name=form.name.data,
                    role=form.role.data,
                    password=form.password.data or None,
                    unit_id=form.unit_id.data,
                    language=form.language.data,
                    active=form.active.data,
                )
                identity.set_user_bodies(session, user, set(form.bodies.data or []))
        except ValueError:
            _email_taken(form)
        else:
            flash(_("The user %(name)s is created.", name=user.name), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None), 400 if form.errors else 200


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    """Change a user's account and bodies; a stale form is a conflict."""
    session = get_session()
    user = editable(User, user_id, Action.ADMIN)
    form = _user_form(user)
    return edit_page(
        form,
        template="auth/user_form.html",
        check=lambda: (
            form.validate_on_submit()
            and _password_acceptable(form.password, email=form.email.data, name=form.name.data)
        ),
        save=lambda _checked: _save_user(session, user, form),
        refusals={services.EmailTaken: lambda _refusal: _email_taken(form)},
        saved=lambda: _("The user %(name)s is saved.", name=user.name),
        then=url_for("auth.users"),
        user=user,
    )


def _save_user(session, user: User, form) -> None:
    values = {
        key: getattr(form, key).data
        for key in ("email", "name", "role", "unit_id", "language", "active")
    }
    if form.password.data:
        values["password"] = form.password.data
    services.update_user(session, user, version=form.version.data, values=values)
    identity.set_user_bodies(session, user, set(form.bodies.data or []))


def _email_taken(form) -> None:
    form.email.errors.append(_("A user with this e-mail already exists."))
