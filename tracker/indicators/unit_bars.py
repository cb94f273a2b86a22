"""An indicator's units for one period as bars, best first, with the target line.

Drawn with the indicator charts' parts (indicators/charts.py); the page also shows the numbers
in a table."""

from flask_babel import gettext as _

from tracker import labels
from tracker.charts import element, to_text
from tracker.indicators.charts import TARGET_STROKE, WIDTH, axis_max, chart_svg, target_lines
from tracker.indicators.periods import format_value, with_locale
from tracker.indicators.services.fulfilment import HIGHER_IS_BETTER, target_text
from tracker.indicators.services.queries import UnitsReport
from tracker.models import Indicator

FULFILMENT_FILL = {
    "met": "#1e6b34",
    "partly_met": "#7a5200",
    "not_met": "#8a1c1c",
    "unknown": "#5a6570",
}


@with_locale
def units_chart(
    indicator: Indicator, report: UnitsReport, *, id_prefix: str = "units-chart"
) -> str:
    """Draw every unit's outcome for one period as bars, best first, with the target line."""
    unit = indicator.measure_unit
    results = [r for r in report.results if r.view.total is not None]
    title = _("%(name)s: units, %(period)s", name=indicator.name, period=report.label)
    parts = [_("Target: %(target)s.", target=target_text(indicator))]
    if report.judged:
        parts.append(
            _(
                "%(reaching)d of %(judged)d units reach the target.",
                reaching=report.reaching,
                judged=report.judged,
            )
        )
    for result in results:
        fulfilment = labels.label(labels.FULFILMENTS, result.view.fulfilment)
        parts.append(f"{result.unit.name}: {format_value(result.view.total, unit)} ({fulfilment}).")
    if not results:
        parts.append(_("No outcomes for units in this period."))

    row_h, top, bottom, label_w, value_w = 24, 28, 16, 220, 150
    height = top + bottom + row_h * max(len(results), 1)
    root = chart_svg(height, title, " ".join(parts), id_prefix)
    plot_left, plot_w = label_w, WIDTH - label_w - value_w
    targets = [value for key, value in target_lines(indicator) if key == "total"]
    x_max = axis_max(indicator, [r.view.total for r in results] + targets)

    def x_of(value: float) -> float:
        return plot_left + (max(0.0, value) / x_max) * plot_w

    if not results:
        element(
            root,
            "text",
            _("No outcomes for units in this period."),
            x=WIDTH / 2,
            y=top + 14,
            text_anchor="middle",
        )
    for index, result in enumerate(results):
        y = top + index * row_h
        fulfilment = result.view.fulfilment
        fulfilment_text = labels.label(labels.FULFILMENTS, fulfilment)
        value_text = format_value(result.view.total, unit)
        group = element(
            root, "g", class_="bar", data_unit=result.unit.name, data_fulfilment=fulfilment
        )
        element(group, "title", f"{result.unit.name}: {value_text} ({fulfilment_text})")
        name = result.unit.name if len(result.unit.name) <= 32 else result.unit.name[:31] + "…"
        element(group, "text", name, x=plot_left - 8, y=y + 15, text_anchor="end")
        width = max(1.0, x_of(result.view.total) - plot_left)
        element(
            group,
            "rect",
            x=plot_left,
            y=y + 3,
            width=f"{width:.1f}",
            height=row_h - 8,
            fill=FULFILMENT_FILL.get(fulfilment, FULFILMENT_FILL["unknown"]),
        )
        element(
            group,
            "text",
            f"{value_text} · {fulfilment_text}",
            # Past the target line too, so that the line never crosses the words.
            x=f"{max([plot_left + width] + [x_of(t) for t in targets]) + 6:.1f}",
            y=y + 15,
        )
    for value in targets:
        x = x_of(value)
        group = element(root, "g", class_="target", data_series="total", data_value=f"{value:g}")
        element(group, "title", f"{_('Target')}: {format_value(value, unit)}")
        element(
            group,
            "line",
            x1=f"{x:.1f}",
            x2=f"{x:.1f}",
            y1=top - 6,
            y2=height - bottom + 4,
            stroke=TARGET_STROKE,
            stroke_width=2,
            stroke_dasharray="10 5",
        )
        element(
            group,
            "text",
            f"{_('Target')} {format_value(value, unit)}",
            x=f"{x:.1f}",
            y=top - 10,
            text_anchor="middle",
            fill=TARGET_STROKE,
        )
    return to_text(root)


def sort_note(indicator: Indicator) -> str:
    """Say which way the unit chart is sorted."""
    if indicator.target_kind in HIGHER_IS_BETTER:
        return _("Highest first.")
    return _("Lowest first.")
