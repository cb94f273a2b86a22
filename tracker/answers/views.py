"""The page a reminder's link opens: one item's status-update form, without a password."""

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext as _

from tracker.answers import services
from tracker.answers.services import LinkRefused, Refusal
from tracker.db import get_session
from tracker.limiter import limiter_of
from tracker.models import Measure, UpdateWay
from tracker.status_update_page import update_form
from tracker.status_updates import StatusChanged, post_and_commit, status_updates

bp = Blueprint("answers", __name__, url_prefix="/answer")

REFUSALS = {
    Refusal.FORGED: (404, lambda: _("This link is not one of ours, or it is incomplete.")),
    Refusal.USED: (410, lambda: _("This link has been used: your update is saved.")),
    Refusal.EXPIRED: (410, lambda: _("This link has expired.")),
    Refusal.REPLACED: (410, lambda: _("A newer reminder has replaced this link.")),
    Refusal.REVOKED: (403, lambda: _("This link no longer works: you signed out everywhere.")),
    Refusal.OFF: (404, lambda: _("Links that answer without signing in are turned off here.")),
}


def _refused(refusal: LinkRefused, target_url: str | None = None):
    status, message = REFUSALS[refusal.reason]
    return render_template(
        "answers/refused.html", message=message(), sign_in=url_for("auth.login", next=target_url)
    ), status


def _target_url(link) -> str:
    kind = link.item_type
    return url_for(f"{kind}s.update", **{f"{kind}_id": link.item_id})


@bp.route("/<token>", methods=["GET", "POST"])
def answer(token: str):
    """Show the linked item's status-update form, or save it as the person's update."""
    session = get_session()
    try:
        opened = services.open_link(session, token, expired_ok=True)
    except LinkRefused as refusal:
        return _refused(refusal, refusal.link and _target_url(refusal.link))
    link, user, target = opened.link, opened.user, opened.target
    form = update_form(target)
    expired = services.is_expired(link)
    if expired and not form.is_submitted():
        return _refused(LinkRefused(Refusal.EXPIRED, link), _target_url(link))
    if form.validate_on_submit():
        if expired:
            # Typed while the link ran out: nothing is lost, it waits for the sign-in.
            services.keep_draft(session, link, form.text.data)
            return render_template(
                "answers/kept.html",
                text=form.text.data,
                sign_in=url_for("auth.login", next=_target_url(link)),
            ), 410
        services.use(session, link)
        try:
            post_and_commit(
                session,
                target,
                author=user,
                text=form.text.data,
                status=form.status.data,
                judgement=form.judgement.data or None,
                reported_on=form.reported_on.data,
                opened_status=form.opened_status.data or None,
                via=UpdateWay.REMINDER,
            )
        except StatusChanged as changed:
            form.opened_status.data = form.opened_status.raw_data = changed.current
            form.status.errors.append(
                _("Someone changed the status after the reminder was sent. Choose it again.")
            )
            return _form(token, form, target, user), 409
        return render_template("answers/saved.html", target=target, user=user)
    return _form(token, form, target, user), 400 if form.errors else 200


def _form(token, form, target, user):
    kind = "measure" if isinstance(target, Measure) else "recommendation"
    return render_template(
        "answers/form.html",
        token=token,
        form=form,
        target=target,
        kind=kind,
        user=user,
        updates=status_updates(get_session(), **{f"{kind}_id": target.id})[:3],
    )


def init_app(app) -> None:
    """Throttle the link's page per address: a token is guessed nowhere, but tried often."""
    limiter = limiter_of(app)
    app.view_functions["answers.answer"] = limiter.limit(
        lambda: current_app.config["ANSWER_LINK_LIMIT"], scope="answer-link"
    )(app.view_functions["answers.answer"])
