"""Outcome pages: enter, correct and delete one outcome of an indicator."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from tracker import labels
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.indicators import forms
from tracker.indicators.services import fulfilment, outcomes
from tracker.indicators.views.blueprint import bp
from tracker.indicators.views.indicators import _indicator
from tracker.models import Indicator, Outcome
from tracker.units.services import unit_choices


def _outcome_form(indicator: Indicator, outcome: Outcome | None) -> forms.OutcomeForm:
    session = get_session()
    if request.method == "GET" and outcome:
        form = forms.OutcomeForm(obj=outcome)
    elif request.method == "GET":
        form = forms.OutcomeForm(unit_id=request.args.get("unit", type=int))
    else:
        form = forms.OutcomeForm()
    form.period.choices = [
        (period, labels.label(labels.PERIODS, period))
        for period in fulfilment.followed_periods(indicator)
    ]
    form.unit_id.choices = [("", _("Overall"))] + unit_choices(session)
    return form


def _check_outcome(form: forms.OutcomeForm, indicator: Indicator) -> dict | None:
    """Validate the form and the values against the indicator; return the values or None."""
    valid = form.validate_on_submit()
    if request.method != "POST":
        return None
    values = {key: getattr(form, key).data for key in forms.OUTCOME_FIELDS}
    values["note"] = (values["note"] or "").strip()
    unreadable = any(form[name].errors for name in ("value", "women", "men"))
    problems = fulfilment.check_values(
        indicator, value=values["value"], women=values["women"], men=values["men"]
    )
    for name, message in problems:
        if name is None and unreadable:
            continue  # the unreadable number is the problem, and is named already
        if not form[name or "value"].errors:
            form[name or "value"].errors = list(form[name or "value"].errors) + [message]
    return values if valid and not problems else None


def _tell_assignments(made: list) -> None:
    if made:
        flash(
            ngettext(
                "%(num)d unit below the threshold got an assignment.",
                "%(num)d units below the threshold got an assignment.",
                len(made),
            ),
            "info",
        )


@bp.route("/<int:indicator_id>/outcomes/new", methods=["GET", "POST"])
@login_required
def new_outcome(indicator_id: int):
    """Record an outcome of an indicator."""
    require(Action.EDIT_INDICATOR)
    session = get_session()
    indicator = _indicator(indicator_id)
    form = _outcome_form(indicator, None)
    values = _check_outcome(form, indicator)
    if values:
        try:
            # Refused before anything is written; saving() keeps nothing on the refusal.
            with saving(session):
                made = outcomes.record_outcome(session, indicator=indicator, values=values)
        except outcomes.OutcomeExists:
            form.period.errors.append(
                _("There is already an outcome for this period and unit; edit that one.")
            )
        else:
            _tell_assignments(made)
            flash(_("The outcome is saved."), "success")
            return redirect(
                url_for("indicators.detail", indicator_id=indicator.id, unit=values["unit_id"] or 0)
            )
    return render_template(
        "indicators/outcome_form.html", form=form, indicator=indicator, outcome=None
    ), form_status(form)


@bp.route("/outcomes/<int:outcome_id>/edit", methods=["GET", "POST"])
@login_required
def edit_outcome(outcome_id: int):
    require(Action.EDIT_INDICATOR)
    session = get_session()
    outcome = session.get(Outcome, outcome_id) or abort(404)
    indicator = _indicator(outcome.indicator_id)
    form = _outcome_form(indicator, outcome)
    conflict = None
    values = _check_outcome(form, indicator)
    if values:
        try:
            with saving(session, form) as attempt:
                made = outcomes.revise_outcome(
                    session, outcome, indicator=indicator, version=form.version.data, values=values
                )
        except outcomes.OutcomeExists:
            form.period.errors.append(
                _("There is already an outcome for this period and unit; edit that one.")
            )
        else:
            conflict = attempt.conflict
            if conflict is None:
                _tell_assignments(made)
                flash(_("The outcome is saved."), "success")
                return redirect(
                    url_for("indicators.detail", indicator_id=indicator.id, unit=outcome.scope_id)
                )
    return render_template(
        "indicators/outcome_form.html",
        form=form,
        indicator=indicator,
        outcome=outcome,
        conflict=conflict,
    ), form_status(form, conflict)


@bp.post("/outcomes/<int:outcome_id>/delete")
@login_required
def delete_outcome(outcome_id: int):
    """Delete an outcome."""
    require(Action.EDIT_INDICATOR)
    session = get_session()
    outcome = session.get(Outcome, outcome_id) or abort(404)
    indicator_id, scope = outcome.indicator_id, outcome.scope_id
    with saving(session):
        outcomes.delete_outcome(session, outcome)
    flash(_("The outcome is deleted."), "success")
    return redirect(url_for("indicators.detail", indicator_id=indicator_id, unit=scope))
