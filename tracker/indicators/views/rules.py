"""Threshold rule pages: new, edit, and applying a rule to the periods it covers."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from tracker import labels
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.i18n import swedish_choices
from tracker.indicators import forms, rules
from tracker.indicators.views.blueprint import bp
from tracker.indicators.views.indicators import _detail, _indicator
from tracker.models import ThresholdRule
from tracker.sources.services import source_choices


def _rule_form(rule: ThresholdRule | None) -> forms.RuleForm:
    session = get_session()
    form = forms.RuleForm(obj=rule) if request.method == "GET" else forms.RuleForm()
    form.source_id.choices = [("", _("Choose the decision"))] + swedish_choices(
        source_choices(session)
    )
    form.comparison.choices = labels.choices(labels.RULE_COMPARISONS)
    form.unit_kind.choices = [("", _("Any unit"))] + labels.choices(labels.UNIT_KINDS)
    return form


def _rule_values(form: forms.RuleForm) -> dict:
    values = {key: getattr(form, key).data for key in forms.RULE_FIELDS}
    values["text"] = values["text"].strip()
    values["theme"] = (values["theme"] or "").strip()
    values["unit_kind"] = values["unit_kind"] or ""
    return values


@bp.route("/<int:indicator_id>/rules/new", methods=["GET", "POST"])
@login_required
def new_rule(indicator_id: int):
    """Create a threshold rule of an indicator."""
    require(Action.EDIT_INDICATOR)
    session = get_session()
    indicator = _indicator(indicator_id)
    form = _rule_form(None)
    if form.validate_on_submit():
        with saving(session):
            rules.create_rule(session, indicator=indicator, values=_rule_values(form))
        flash(_("The rule is saved. Apply it to a period to create the assignments."), "success")
        return redirect(url_for("indicators.detail", indicator_id=indicator.id, _anchor="rules"))
    return render_template(
        "indicators/rule_form.html", form=form, indicator=indicator, rule=None
    ), form_status(form)


@bp.route("/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@login_required
def edit_rule(rule_id: int):
    require(Action.EDIT_INDICATOR)
    session = get_session()
    rule = session.get(ThresholdRule, rule_id) or abort(404)
    indicator = _indicator(rule.indicator_id)
    form = _rule_form(rule)
    conflict = None
    if form.validate_on_submit():
        with saving(session, form) as attempt:
            rules.update_rule(session, rule, version=form.version.data, values=_rule_values(form))
        conflict = attempt.conflict
        if conflict is None:
            flash(_("The rule is saved."), "success")
            return redirect(
                url_for("indicators.detail", indicator_id=indicator.id, _anchor="rules")
            )
    return render_template(
        "indicators/rule_form.html", form=form, indicator=indicator, rule=rule, conflict=conflict
    ), form_status(form, conflict)


@bp.post("/rules/<int:rule_id>/apply")
@login_required
def apply_rule(rule_id: int):
    """Apply a threshold rule to a period, making the assignments it sets off."""
    require(Action.EDIT_INDICATOR)
    session = get_session()
    rule = session.get(ThresholdRule, rule_id) or abort(404)
    form = forms.ApplyRuleForm()
    if not form.validate_on_submit():
        return _detail(
            _indicator(rule.indicator_id), apply_form=form, apply_rule_id=rule.id, status=400
        )
    year, period = form.period.parsed
    with saving(session):
        made = rules.apply_rule(session, rule, year=year, period=period)
    if made:
        flash(
            ngettext(
                "%(num)d unit below the threshold got an assignment.",
                "%(num)d units below the threshold got an assignment.",
                len(made),
            ),
            "success",
        )
    else:
        flash(_("No new assignments: every unit past the threshold has one already."), "info")
    return redirect(url_for("indicators.detail", indicator_id=rule.indicator_id, _anchor="rules"))
