"""Pages to grade an item and to mark it as priority."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import dates, labels
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.grades import forms, services
from tracker.models import Recommendation, Source

bp = Blueprint("grades", __name__, url_prefix="/recommendations")


def _item(recommendation_id: int) -> Recommendation:
    recommendation = get_session().get(Recommendation, recommendation_id) or abort(404)
    if not services.graders(current_user, recommendation):
        abort(403)
    return recommendation


@bp.route("/<int:recommendation_id>/grade", methods=["GET", "POST"])
@login_required
def grade(recommendation_id: int):
    """Record the board's or the auditors' grade of how far an item was implemented."""
    recommendation = _item(recommendation_id)
    session = get_session()
    form = forms.GradeForm()
    form.grader.choices = services.graders(current_user, recommendation)
    form.grade.choices = labels.choices(labels.GRADES)
    if not form.is_submitted():
        form.graded_on.data = dates.today()
        if len(form.grader.choices) == 1:
            form.grader.data = form.grader.choices[0][0]
    if form.validate_on_submit():
        with saving(session, form):
            services.record_grade(
                session,
                recommendation,
                grader=form.grader.data,
                grade=form.grade.data,
                graded_on=form.graded_on.data,
                text=form.text.data or "",
                user_id=current_user.id,
            )
        flash(_("The grade is recorded."), "success")
        return redirect(url_for("recommendations.detail", recommendation_id=recommendation.id))
    return render_template(
        "grades/form.html",
        form=form,
        recommendation=recommendation,
        source=session.get(Source, recommendation.source_id),
    ), form_status(form)


@bp.post("/<int:recommendation_id>/priority")
@login_required
def priority(recommendation_id: int):
    """Mark an item as priority, or take the mark away."""
    recommendation = _item(recommendation_id)
    session = get_session()
    form = forms.PriorityForm()
    allowed = services.graders(current_user, recommendation)
    form.priority_by.choices = [("", str(forms.NOT_PRIORITY)), *allowed]
    # A mark set by a grader the user may not speak for stays: only that grader lifts it.
    if recommendation.priority_by and recommendation.priority_by not in dict(allowed):
        abort(403)
    if form.validate_on_submit():
        with saving(session, form) as attempt:
            services.set_priority(
                session, recommendation, by=form.priority_by.data, version=form.version.data
            )
        if attempt.conflict is None:
            flash(_("The priority is saved."), "success")
        else:
            flash(_("Someone changed this item meanwhile: look again and retry."), "warning")
    else:
        flash(_("Choose who marks the priority."), "warning")
    return redirect(url_for("recommendations.detail", recommendation_id=recommendation.id))
