"""The one status-update page, for a recommendation and for a measure."""

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import labels
from tracker.answers.services import draft_for, drop_drafts
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.models import Measure, Recommendation, Source
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


def status_update_page(
    target: Recommendation | Measure,
    *,
    make_form: Callable,
    detail: Callable,
):
    """Show a target's status-update form, or post it and go back to the target's page."""
    session = get_session()
    require(Action.POST_UPDATE, target)
    kind = "measure" if isinstance(target, Measure) else "recommendation"
    form = make_form(target)
    if form.validate_on_submit():
        drop_drafts(session, current_user, item_type=kind, item_id=target.id)
        try:
            post_and_commit(
                session,
                target,
                author=current_user,
                text=form.text.data,
                status=form.status.data,
                judgement=form.judgement.data or None,
                reported_on=form.reported_on.data,
                opened_status=form.opened_status.data or None,
            )
        except StatusChanged as changed:
            # The status changed since the form was opened: a conflict, the typed text kept.
            _keep_as_changed(form, changed.current)
            return detail(target, form, 409)
        flash(_("Your status update is saved."), "success")
        return redirect(url_for(f"{kind}s.detail", **{f"{kind}_id": target.id}))
    if request.method == "POST":
        # A refused update is shown on the target's own page, next to its earlier updates.
        return detail(target, form, 400)
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
