"""Sign-in with the region's identity provider: OpenID Connect through Authlib's Flask client."""

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from joserfc.errors import JoseError
from requests import RequestException

from tracker.auth import identity
from tracker.db import get_session
from tracker.editing import saving

bp = Blueprint("oidc", __name__)
SIGNED_IN_WITH = "signed_in_with"


def init_app(app: Flask) -> None:
    """Register the provider from the settings, when an issuer is set."""
    # One registry per app: a client caches the provider's metadata and keys.
    oauth = app.extensions["tracker.oauth"] = OAuth(app)
    config = app.config
    if not config.get("OIDC_ISSUER"):
        return
    oauth.register(
        "idp",
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=config["OIDC_ISSUER"] + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "default_timeout": 10,  # a provider that hangs must not hold a worker for long
        },
    )


def enabled() -> bool:
    """Tell whether sign-in with the identity provider is set up."""
    return bool(current_app.config.get("OIDC_ISSUER"))


def _client():
    return current_app.extensions["tracker.oauth"].create_client("idp")


def _problem(title: str, message: str, status: int):
    return render_template("auth/sign_in_problem.html", title=title, message=message), status


def _provider_down():
    return _problem(
        _("The sign-in service does not answer"),
        _(
            "The region's sign-in service could not be reached. Try again in a while. "
            "Administrators with an emergency password can still sign in with it."
        ),
        503,
    )


@bp.get("/login/oidc")
def start():
    """Send the user to the identity provider to sign in."""
    if not enabled():
        return _problem(_("Not set up"), _("Sign-in with an identity provider is not set up."), 404)
    nxt = request.args.get("next", "")
    flask_session["oidc_next"] = nxt if nxt.startswith("/") and not nxt.startswith("//") else ""
    try:
        return _client().authorize_redirect(url_for("oidc.callback", _external=True))
    except RequestException:
        return _provider_down()


REFUSALS = {
    "no_group": (
        _l("You have no access to the tracker"),
        _l(
            "Your account at the region's sign-in service is in no group that gives access to "
            "the tracker. Ask your manager or the tracker's administrator to add you to one."
        ),
    ),
    "deactivated": (
        _l("Your account is deactivated"),
        _l(
            "An administrator has turned off your account in the tracker. Ask the tracker's "
            "administrator if you need it again."
        ),
    ),
    "no_email": (
        _l("The sign-in service sent no e-mail address"),
        _l(
            "The region's sign-in service did not say who you are. Ask the tracker's "
            "administrator to check its settings."
        ),
    ),
}


@bp.get("/login/oidc/callback")
def callback():
    """Finish a sign-in with the identity provider and sign the user in."""
    if not enabled():
        return _problem(_("Not set up"), _("Sign-in with an identity provider is not set up."), 404)
    session = get_session()
    address = request.remote_addr or ""
    try:
        token = _client().authorize_access_token()
    except RequestException:
        return _provider_down()
    except (OAuthError, JoseError, ValueError, KeyError):
        # A wrong state or nonce, a forged or expired ID token, or the provider's refusal.
        with saving(session):
            identity.log_sign_in(
                session, user=None, email="", method="oidc", address=address, outcome="bad_token"
            )
        return _problem(
            _("The sign-in could not be checked"),
            _(
                "The answer from the sign-in service could not be verified, or it was too old. "
                "Start again from the sign-in page."
            ),
            400,
        )
    claims = dict(token.get("userinfo") or {})
    try:
        with saving(session):
            user = identity.sign_in_from_claims(session, claims)
            identity.mark_signed_in(session, user)
            identity.log_sign_in(
                session,
                user=user,
                email=user.email,
                method="oidc",
                address=address,
                outcome="signed_in",
            )
    except identity.SignInRefused as refusal:
        title, message = REFUSALS[refusal.reason]
        with saving(session):
            identity.log_sign_in(
                session,
                user=None,
                email=identity.claims_of(claims)[1],
                method="oidc",
                address=address,
                outcome=refusal.reason,
            )
        return _problem(str(title), str(message), 403)
    login_user(user)
    flask_session[SIGNED_IN_WITH] = "oidc"
    return redirect(flask_session.pop("oidc_next", "") or url_for("home.index"))


def end_session_url() -> str | None:
    """Return the provider's sign-out address for this browser, if it offers one."""
    if not enabled() or flask_session.get(SIGNED_IN_WITH) != "oidc":
        return None
    try:
        endpoint = _client().load_server_metadata().get("end_session_endpoint")
    except RequestException:
        return None
    if not endpoint:
        return None
    from urllib.parse import urlencode

    query = urlencode(
        {
            "client_id": current_app.config["OIDC_CLIENT_ID"],
            "post_logout_redirect_uri": url_for("auth.login", _external=True),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
