"""The page where a person names who stands in for them while away."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.db import get_session
from tracker.deputies import forms, services
from tracker.editing import form_status, saving
from tracker.models import User

bp = Blueprint("deputies", __name__, url_prefix="/settings/deputies")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """List one's deputy periods and name a new one."""
    session = get_session()
    form = forms.DeputyForm()
    if form.validate_on_submit():
        try:
            with saving(session, form):
                services.add_deputy(
                    session,
                    session.get(User, current_user.id),
                    deputy=session.get(User, form.deputy_id.data),
                    starts_on=form.starts_on.data,
                    ends_on=form.ends_on.data,
                )
        except services.DeputyError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            flash(_("Your deputy is saved: reminders in that period go to them."), "success")
            return redirect(url_for("deputies.index"))
    return render_template(
        "deputies/index.html", form=form, periods=services.periods_of(session, current_user.id)
    ), form_status(form)
