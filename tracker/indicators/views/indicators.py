"""Indicator pages: the list, one indicator with its chart and units, new and edit."""

from itertools import groupby

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from tracker import labels
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.history import history
from tracker.indicators import charts, forms, rules
from tracker.indicators.periods import PeriodError, parse_period, period_code, period_label
from tracker.indicators.services import fulfilment, measure_links, outcomes, queries
from tracker.indicators.views.blueprint import bp
from tracker.models import Indicator, Source, Unit
from tracker.units.services import unit_choices

SVG_TYPE = "image/svg+xml; charset=utf-8"


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
    """List the indicators, by perspective."""
    session = get_session()
    perspective = request.args.get("perspective") or None
    if perspective not in labels.PERSPECTIVES:
        perspective = None
    page = queries.indicator_page(
        session,
        perspective=perspective,
        page=request.args.get("page", 1, type=int),
        size=current_app.config["PAGE_SIZE"],
    )
    statuses = page.items
    groups = [
        (code, list(items))
        for code, items in groupby(statuses, key=lambda item: item.indicator.perspective)
    ]
    return render_template(
        "indicators/index.html",
        statuses=statuses,
        groups=groups,
        perspective=perspective,
        page=page,
    )


@bp.get("/<int:indicator_id>")
@login_required
def detail(indicator_id: int):
    """Show an indicator with its outcomes, chart and threshold rules."""
    return _detail(_indicator(indicator_id))


def _detail(indicator: Indicator, *, apply_form=None, apply_rule_id=None, status: int = 200):
    session = get_session()
    unit_id, scope_name = _scope(indicator)
    views = queries.outcome_series(session, indicator, unit_id=unit_id)
    rule_list = rules.rules_of(session, indicator.id)
    return render_template(
        "indicators/detail.html",
        indicator=indicator,
        followed=fulfilment.followed_periods(indicator),
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
    """Draw an indicator's outcomes over time as SVG."""
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
    """Compare an indicator's outcomes across units for one period."""
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
    """Draw the units' outcomes of one period as SVG."""
    indicator = _indicator(indicator_id)
    report, _periods, _kind, error = _units_report(indicator)
    if report is None or error:
        abort(404)
    return Response(charts.units_chart(indicator, report), content_type=SVG_TYPE)


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
    """Create an indicator."""
    require(Action.EDIT_INDICATOR)
    form = _indicator_form(None)
    if _check_indicator(form, None):
        session = get_session()
        with saving(session):
            indicator = outcomes.create_indicator(session, values=_indicator_values(form))
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
