"""Personal API tokens on the settings page: make one, see it once, revoke it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.api import tokens
from tracker.api.forms import TokenForm
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.models import ApiToken

bp = Blueprint("api_tokens", __name__)


@bp.route("/settings/tokens/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a personal API token and show it this once."""
    form = TokenForm()
    if form.validate_on_submit():
        session = get_session()
        with saving(session, form):
            row, token = tokens.create_token(
                session, current_user, name=form.name.data, expires_on=form.expires_on.data
            )
        # Shown on this answer only: the token is stored as its hash and cannot be shown again.
        return render_template("api/token_made.html", row=row, token=token)
    return render_template("api/token_form.html", form=form), form_status(form)


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke an API token, the user's own or, for an administrator, anyone's."""
    session = get_session()
    row = session.get(ApiToken, token_id) or abort(404)
    require(Action.REVOKE_TOKEN, row)
    with saving(session):
        tokens.revoke(session, row)
    flash(_("The token %(name)s is revoked.", name=row.name), "success")
    if request.form.get("back") == "all":
        return redirect(url_for("api_tokens.all_tokens"))
    return redirect(url_for("auth.settings", _anchor="api-tokens"))


@bp.get("/users/tokens")
@login_required
def all_tokens():
    """List every user's API tokens, for an administrator."""
    require(Action.ADMIN)
    return render_template("api/tokens.html", rows=tokens.all_tokens(get_session()))
