"""Pages for indicators, their outcomes, charts, the import and threshold rules."""

from itertools import groupby

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from markupsafe import Markup

from tracker import labels
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.history import history
from tracker.indicators import charts, forms, importing, rules
from tracker.indicators.periods import (
    PeriodError,
    format_change,
    format_value,
    parse_period,
    period_code,
    period_label,
)
from tracker.indicators.services import fulfilment, measure_links, outcomes, queries
from tracker.models import (
    Indicator,
    Outcome,
    Source,
    ThresholdRule,
    Unit,
)
from tracker.sources.services import source_choices
from tracker.units.services import unit_choices

bp = Blueprint("indicators", __name__, url_prefix="/indicators")

SVG_TYPE = "image/svg+xml; charset=utf-8"


@bp.app_template_filter("indicator_value")
def _indicator_value(value, unit):
    return format_value(value, unit)


@bp.app_template_filter("indicator_change")
def _indicator_change(value, unit, signed=True):
    return format_change(value, unit, signed=signed)


@bp.app_template_global("period_label")
def _period_label(year, period):
    return period_label(year, period)


@bp.app_template_global("target_text")
def _target_text(indicator):
    return fulfilment.target_text(indicator)


def _indicator(indicator_id: int) -> Indicator:
    return get_session().get(Indicator, indicator_id) or abort(404)


def _scope(indicator: Indicator) -> tuple[int | None, str]:
    """Return the unit asked for in ?unit= (or the default), and its name."""
    session = get_session()
    if "unit" in request.args:
        unit_id = request.args.get("unit", type=int)
        if not unit_id:
            return None, _("Overall")
    else:
        unit_id = queries.default_scope(session, indicator)
        if unit_id is None:
            return None, _("Overall")
    unit = session.get(Unit, unit_id) or abort(404)
    return unit.id, unit.name


@bp.get("/")
@login_required
def index():
    session = get_session()
    perspective = request.args.get("perspective") or None
    if perspective not in labels.PERSPECTIVES:
        perspective = None
    statuses = queries.list_indicators(session, perspective=perspective)
    groups = [
        (code, list(items))
        for code, items in groupby(statuses, key=lambda item: item.indicator.perspective)
    ]
    return render_template(
        "indicators/index.html", statuses=statuses, groups=groups, perspective=perspective
    )


@bp.get("/<int:indicator_id>")
@login_required
def detail(indicator_id: int):
    return _detail(_indicator(indicator_id))


def _detail(indicator: Indicator, *, apply_form=None, apply_rule_id=None, status: int = 200):
    session = get_session()
    unit_id, scope_name = _scope(indicator)
    views = queries.outcome_series(session, indicator, unit_id=unit_id)
    rule_list = rules.rules_of(session, indicator.id)
    return render_template(
        "indicators/detail.html",
        indicator=indicator,
        responsible=indicator.responsible_unit_id
        and session.get(Unit, indicator.responsible_unit_id),
        views=list(reversed(views)),
        chart=Markup(charts.outcome_chart(indicator, views, scope_name=scope_name)),
        scopes=queries.outcome_scopes(session, indicator),
        unit_id=unit_id,
        scope_name=scope_name,
        measures=measure_links.measures_for_indicator(session, indicator.id),
        rules=rule_list,
        sources={rule.source_id: session.get(Source, rule.source_id) for rule in rule_list},
        made=rules.assignments_of(session, [rule.id for rule in rule_list]),
        apply_form=apply_form or forms.ApplyRuleForm(formdata=None),
        apply_rule_id=apply_rule_id,
        history=history(session, "indicator", indicator.id),
    ), status


@bp.get("/<int:indicator_id>/chart.svg")
@login_required
def chart(indicator_id: int):
    session = get_session()
    indicator = _indicator(indicator_id)
    unit_id, scope_name = _scope(indicator)
    views = queries.outcome_series(session, indicator, unit_id=unit_id)
    return Response(
        charts.outcome_chart(indicator, views, scope_name=scope_name), content_type=SVG_TYPE
    )


def _units_report(indicator: Indicator):
    """Return the units report for ?period= (default: the latest) and ?kind=, or None."""
    session = get_session()
    kind = request.args.get("kind") or None
    if kind not in labels.UNIT_KINDS:
        kind = None
    periods = queries.unit_periods(session, indicator)
    text = request.args.get("period")
    error = None
    chosen = periods[0] if periods else None
    if text:
        try:
            chosen = parse_period(text)
        except PeriodError:
            error = _("Cannot read the period “%(text)s”.", text=text)
    if chosen is None:
        return None, periods, kind, error
    report = queries.units_report(
        session, indicator, year=chosen[0], period=chosen[1], unit_kind=kind
    )
    return report, periods, kind, error


@bp.get("/<int:indicator_id>/units")
@login_required
def units(indicator_id: int):
    indicator = _indicator(indicator_id)
    report, periods, kind, error = _units_report(indicator)
    return render_template(
        "indicators/units.html",
        indicator=indicator,
        report=report,
        periods=[(period_code(*p), period_label(*p)) for p in periods],
        current=report and period_code(report.year, report.period),
        kind=kind,
        error=error,
        chart=report and Markup(charts.units_chart(indicator, report)),
        sort_note=charts.sort_note(indicator),
    ), (400 if error else 200)


@bp.get("/<int:indicator_id>/units.svg")
@login_required
def units_svg(indicator_id: int):
    indicator = _indicator(indicator_id)
    report, _periods, _kind, error = _units_report(indicator)
    if report is None or error:
        abort(404)
    return Response(charts.units_chart(indicator, report), content_type=SVG_TYPE)


# Indicators.


def _indicator_form(indicator: Indicator | None) -> forms.IndicatorForm:
    session = get_session()
    if request.method == "GET" and indicator:
        form = forms.IndicatorForm(obj=indicator)
        form.baseline_period.data = (
            period_code(indicator.baseline_year, indicator.baseline_period)
            if indicator.baseline_year and indicator.baseline_period
            else ""
        )
    elif request.method == "GET":
        form = forms.IndicatorForm(follows_t1=True, follows_t2=True, follows_year=True, margin=0)
    else:
        form = forms.IndicatorForm()
    form.perspective.choices = labels.choices(labels.PERSPECTIVES)
    form.measure_unit.choices = labels.choices(labels.MEASURE_UNITS)
    form.target_kind.choices = labels.choices(labels.TARGET_KINDS)
    form.responsible_unit_id.choices = [("", _("No unit"))] + unit_choices(session)
    return form


def _indicator_values(form: forms.IndicatorForm) -> dict:
    values = {key: getattr(form, key).data for key in forms.INDICATOR_FIELDS}
    for key in ("code", "name", "description", "objective", "success_factor"):
        values[key] = (values[key] or "").strip()
    values["margin"] = values["margin"] or 0
    parsed = form.baseline_period.parsed
    values["baseline_year"], values["baseline_period"] = parsed if parsed else (None, None)
    return values


def _check_indicator(form: forms.IndicatorForm, indicator: Indicator | None) -> bool:
    ok = form.validate_on_submit()
    if ok and queries.code_taken(
        get_session(), form.code.data, except_id=indicator.id if indicator else None
    ):
        form.code.errors.append(_("Another indicator already has this code."))
        ok = False
    return ok


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(Action.EDIT_INDICATOR)
    form = _indicator_form(None)
    if _check_indicator(form, None):
        session = get_session()
        indicator = outcomes.create_indicator(session, values=_indicator_values(form))
        session.commit()
        flash(_("The indicator is saved."), "success")
        return redirect(url_for("indicators.detail", indicator_id=indicator.id))
    return render_template("indicators/form.html", form=form, indicator=None), form_status(form)


@bp.route("/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit(indicator_id: int):
    require(Action.EDIT_INDICATOR)
    session = get_session()
    indicator = _indicator(indicator_id)
    form = _indicator_form(indicator)
    conflict = None
    if _check_indicator(form, indicator):
        with saving(session, form) as attempt:
            outcomes.update_indicator(
                session, indicator, version=form.version.data, values=_indicator_values(form)
            )
        conflict = attempt.conflict
        if conflict is None:
            flash(_("The indicator is saved."), "success")
            return redirect(url_for("indicators.detail", indicator_id=indicator.id))
    return render_template(
        "indicators/form.html", form=form, indicator=indicator, conflict=conflict
    ), form_status(form, conflict)


# Outcomes.


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
    require(Action.EDIT_INDICATOR)
    session = get_session()
    indicator = _indicator(indicator_id)
    form = _outcome_form(indicator, None)
    values = _check_outcome(form, indicator)
    if values:
        try:
            made = outcomes.record_outcome(session, indicator=indicator, values=values)
        except outcomes.OutcomeExists:
            form.period.errors.append(
                _("There is already an outcome for this period and unit; edit that one.")
            )
        else:
            _tell_assignments(made)
            session.commit()
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
            session.rollback()
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
    require(Action.EDIT_INDICATOR)
    session = get_session()
    outcome = session.get(Outcome, outcome_id) or abort(404)
    indicator_id, scope = outcome.indicator_id, outcome.scope_id
    outcomes.delete_outcome(session, outcome)
    session.commit()
    flash(_("The outcome is deleted."), "success")
    return redirect(url_for("indicators.detail", indicator_id=indicator_id, unit=scope))


# The import.


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_outcomes():
    require(Action.EDIT_INDICATOR)
    form = forms.ImportForm()
    if not form.validate_on_submit():
        return render_template("indicators/import.html", form=form), form_status(form)
    upload = form.file.data
    try:
        raw_rows = importing.read_file(upload.filename, upload.read())
    except importing.ImportFileError as error:
        form.file.errors = [str(error)]
        return render_template("indicators/import.html", form=form), 400
    check = importing.check_rows(get_session(), raw_rows)
    confirm = forms.ConfirmImportForm(rows=importing.to_json(raw_rows))
    return render_template(
        "indicators/import.html",
        form=form,
        check=check,
        filename=upload.filename,
        confirm=confirm,
    ), (200 if check.ok else 400)


@bp.post("/import/confirm")
@login_required
def confirm_import():
    require(Action.EDIT_INDICATOR)
    session = get_session()
    confirm = forms.ConfirmImportForm()
    form = forms.ImportForm(formdata=None)
    if not confirm.validate_on_submit():
        form.file.errors = [_("The preview could not be read. Upload the file again.")]
        return render_template("indicators/import.html", form=form), 400
    try:
        raw_rows = importing.from_json(confirm.rows.data)
    except importing.ImportFileError as error:
        form.file.errors = [str(error)]
        return render_template("indicators/import.html", form=form), 400
    check = importing.check_rows(session, raw_rows)
    if not check.ok:
        # Something changed since the preview: show the rows in error, save nothing.
        return render_template(
            "indicators/import.html", form=form, check=check, confirm=confirm
        ), 400
    result = importing.save_rows(session, check)
    session.commit()
    flash(
        _(
            "Imported %(created)d new outcomes and replaced %(replaced)d.",
            created=result.created,
            replaced=result.replaced,
        ),
        "success",
    )
    if result.assignments:
        flash(
            ngettext(
                "%(num)d unit below the threshold got an assignment.",
                "%(num)d units below the threshold got an assignment.",
                len(result.assignments),
            ),
            "info",
        )
    return redirect(url_for("indicators.index"))


@bp.get("/import/template.csv")
@login_required
def import_template():
    return Response(
        importing.template_csv(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=outcomes.csv"},
    )


# Threshold rules.


def _rule_form(rule: ThresholdRule | None) -> forms.RuleForm:
    session = get_session()
    form = forms.RuleForm(obj=rule) if request.method == "GET" else forms.RuleForm()
    form.source_id.choices = [("", _("Choose the decision"))] + source_choices(session)
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
    require(Action.EDIT_INDICATOR)
    session = get_session()
    indicator = _indicator(indicator_id)
    form = _rule_form(None)
    if form.validate_on_submit():
        rules.create_rule(session, indicator=indicator, values=_rule_values(form))
        session.commit()
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
    require(Action.EDIT_INDICATOR)
    session = get_session()
    rule = session.get(ThresholdRule, rule_id) or abort(404)
    form = forms.ApplyRuleForm()
    if not form.validate_on_submit():
        return _detail(
            _indicator(rule.indicator_id), apply_form=form, apply_rule_id=rule.id, status=400
        )
    year, period = form.period.parsed
    made = rules.apply_rule(session, rule, year=year, period=period)
    session.commit()
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
