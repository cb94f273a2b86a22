"""Pages: the reminder ledger for administrators, the calendar feed and its renewal."""

from flask import (
    Blueprint,
    Response,
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
from flask_login import current_user, login_required

from tracker.auth.permissions import Action, require
from tracker.auth.services import people_choices
from tracker.db import get_session
from tracker.editing import saving
from tracker.models import User, utcnow
from tracker.reminders import calendar, forms
from tracker.reminders.services.mails import DETAIL
from tracker.reminders.services.pages import ITEM_TYPES, KIND_GROUPS, STATUSES, list_ledger
from tracker.reminders.services.settings import WEEKDAY_NAMES, current_settings
from tracker.reminders.services.windows import kind_label

bp = Blueprint("reminders", __name__)


@bp.record_once
def _template_names(state) -> None:
    state.app.jinja_env.globals.update(reminder_statuses=STATUSES)


def _choices(mapping: dict, everything: str) -> list[tuple[str, str]]:
    return [("", everything)] + [(code, str(name)) for code, name in mapping.items()]


@bp.get("/admin/reminders")
@login_required
def ledger():
    """List the reminders claimed and sent, filtered, for an administrator."""
    require(Action.ADMIN)
    session = get_session()
    settings = current_settings()
    form = forms.LedgerFilterForm(request.args)
    form.status.choices = _choices(STATUSES, _("Any status"))
    form.kind.choices = _choices(KIND_GROUPS, _("Any kind"))
    form.item_type.choices = _choices(ITEM_TYPES, _("Any item"))
    form.recipient.choices = [("", _("Anyone"))] + people_choices(session)
    valid = form.validate()
    filters = (
        {}
        if not valid
        else {
            "status": form.status.data or None,
            "kind": form.kind.data or None,
            "item_type": form.item_type.data or None,
            "recipient_id": form.recipient.data,
            "deadline_from": form.deadline_from.data,
            "deadline_to": form.deadline_to.data,
        }
    )
    page = list_ledger(
        session,
        settings=settings,
        page=request.args.get("page", 1, type=int),
        size=current_app.config["PAGE_SIZE"],
        **filters,
    )
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "reminders/ledger.html",
        form=form,
        page=page,
        args=args,
        settings=settings,
        detail=DETAIL,
        item_types=ITEM_TYPES,
        weekday_names=WEEKDAY_NAMES,
    ), 200 if valid else 400


@bp.post("/settings/calendar")
@login_required
def renew_feed():
    """Give the user's calendar feed a new address."""
    # Only the token's hash is stored: the address is shown once, on the next page.
    flask_session["new_feed"] = _change_feed(calendar.renew_feed_token)
    flash(_("Your calendar has a new address; the old one no longer works."), "success")
    return redirect(url_for("auth.settings") + "#calendar")


@bp.post("/settings/calendar/off")
@login_required
def turn_off_feed():
    """Turn the user's calendar feed off."""
    _change_feed(calendar.turn_off_feed)
    flash(_("Your calendar address is turned off."), "success")
    return redirect(url_for("auth.settings") + "#calendar")


def _change_feed(change):
    session = get_session()
    user = session.get(User, current_user.id) or abort(404)
    require(Action.RENEW_FEED, user)
    with saving(session):
        result = change(session, user)
    return result


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """Send a user's deadlines as a calendar feed, for the secret address."""
    # Public: the secret token in the URL is the credential, as calendar programs need.
    session = get_session()
    user = calendar.user_of_feed(session, token) or abort(404)
    body = calendar.calendar_of(session, user, now=utcnow())
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'inline; filename="tracker.ics"',
            "Cache-Control": "private, max-age=900",
        },
    )


@bp.app_template_global()
def calendar_feed_url(token: str) -> str:
    """Return the absolute address of a calendar feed."""
    return calendar.feed_url(token)


@bp.app_template_global()
def reminder_kind(kind: str) -> str:
    """Return a reminder window's name in the current language."""
    return kind_label(kind)
