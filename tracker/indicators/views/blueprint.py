"""The indicator pages' one blueprint, with the template filters they share."""

from flask import Blueprint

from tracker.indicators.periods import format_change, format_value, period_label
from tracker.indicators.services import fulfilment

bp = Blueprint("indicators", __name__, url_prefix="/indicators")


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
