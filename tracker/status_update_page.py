"""The one status-update page, for a recommendation and for a measure."""

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import labels
from tracker.answers.services import draft_for, drop_drafts
from tracker.auth.permissions import Action, can, require
from tracker.db import get_session
from tracker.mail import MailError, send_email
from tracker.models import Measure, Recommendation, Source, UpdateWay, User
from tracker.recommendations.forms import StatusUpdateForm
from tracker.status_updates import StatusChanged, post_and_commit, status_updates


def update_form(target: Recommendation | Measure) -> StatusUpdateForm:
    """Return the status-update form of a recommendation or measure, opened on its status."""
    if isinstance(target, Measure):
        form = StatusUpdateForm(
            status=target.status, opened_status=target.status, judgement=target.judgement or ""
        )
        form.status.choices = labels.choices(labels.MEASURE_STATUSES)
        form.judgement.choices = [("", _("No judgement"))] + labels.choices(labels.JUDGEMENTS)
    else:
        form = StatusUpdateForm(status=target.status, opened_status=target.status)
        form.status.choices = labels.choices(labels.RECOMMENDATION_STATUSES)
        form.judgement.choices = [("", _("No judgement"))]
    return form


def owner_of(target: Recommendation | Measure) -> int | None:
    """Return the id of who answers for a target: a measure's owner, an item's responsible."""
    return target.owner_id if isinstance(target, Measure) else target.responsible_id


def behalf_of(target: Recommendation | Measure) -> User | None:
    """Return the person the signed-in user may post an update for on this target, if any."""
    owner_id = owner_of(target)
    if not current_user.is_authenticated or not owner_id or owner_id == current_user.id:
        return None
    if not can(current_user, Action.POST_ON_BEHALF, target):
        return None
    return get_session().get(User, owner_id)


def status_update_page(
    target: Recommendation | Measure,
    *,
    make_form: Callable,
    detail: Callable,
):
    """Show a target's status-update form, or post it and go back to the target's page."""
    require(Action.POST_UPDATE, target)
    form = make_form(target)
    owner = behalf_of(target) if form.on_behalf.data else None
    if form.on_behalf.data and owner is None:
        form.on_behalf.errors = [_("This item has no owner you may post for.")]
    elif form.validate_on_submit():
        return _post(target, form, owner=owner, detail=detail)
    if request.method == "POST" or form.errors:
        # A refused update is shown on the target's own page, next to its earlier updates.
        return detail(target, form, 400)
    return _form_page(target, form)


def _kind(target: Recommendation | Measure) -> str:
    return "measure" if isinstance(target, Measure) else "recommendation"


def _post(target, form: StatusUpdateForm, *, owner: User | None, detail: Callable):
    """Post the update; a status changed since the form was opened is a conflict, text kept."""
    session = get_session()
    kind = _kind(target)
    drop_drafts(session, current_user, item_type=kind, item_id=target.id)
    try:
        update = post_and_commit(
            session,
            target,
            author=owner or current_user,
            text=form.text.data,
            status=form.status.data,
            judgement=form.judgement.data or None,
            reported_on=form.reported_on.data,
            opened_status=form.opened_status.data or None,
            via=UpdateWay.BEHALF if owner else "",
            entered_by=current_user if owner else None,
        )
    except StatusChanged as changed:
        _keep_as_changed(form, changed.current)
        return detail(target, form, 409)
    if owner:
        _tell_owner(owner, target, update, kind)
    flash(_("Your status update is saved."), "success")
    return redirect(url_for(f"{kind}s.detail", **{f"{kind}_id": target.id}))


def _form_page(target, form: StatusUpdateForm):
    """Show the form on a page of its own, with the target's latest updates."""
    session = get_session()
    kind = _kind(target)
    # What the person typed into an expired reminder link waits here for them.
    form.text.data = form.text.data or draft_for(
        session, current_user, item_type=kind, item_id=target.id
    )
    return render_template(
        f"{kind}s/update.html",
        **{kind: target},
        # A recommendation's page is titled with its report.
        source=session.get(Source, target.source_id) if kind == "recommendation" else None,
        form=form,
        updates=status_updates(session, **{f"{kind}_id": target.id})[:3],
    )


def _keep_as_changed(form, current: str) -> None:
    """Re-show the form with the status now saved, so that sending it again is deliberate."""
    form.opened_status.data = current
    form.opened_status.raw_data = [current]
    form.status.errors.append(
        _(
            "Someone set the status to “%(status)s” after you opened this form. "
            "Choose the status again and post.",
            status=dict(form.status.choices).get(current, current),
        )
    )


def _tell_owner(owner: User, target, update, kind: str) -> None:
    """Tell the owner by mail that an update was posted in their name; the update stands
    whether or not the mail goes out."""
    from flask_babel import force_locale

    from tracker.reminders.services.mails import link

    with force_locale(owner.language or "sv"):
        context = {
            "owner": owner,
            "update": update,
            "title": target.title if kind == "measure" else target.text,
            "link": link(f"{kind}s.detail", **{f"{kind}_id": target.id}),
        }
        subject = _("%(name)s posted an update on your behalf", name=update.entered_by_name)
        text = render_template("email/on_behalf.txt", **context)
        html = render_template("email/on_behalf.html", **context)
    if owner.placeholder_email:
        return
    try:
        send_email(to=owner.email, to_name=owner.name, subject=subject, text=text, html=html)
    except (MailError, OSError):
        flash(
            _("The update is saved, but %(name)s could not be told by mail.", name=owner.name),
            "warning",
        )
