"""Charts drawn on the server as SVG: no JavaScript, and the same picture goes into the Word and
PDF exports. Each chart carries a <title> and a <desc> that say in words what it shows; the
pages also show the numbers in a table."""

import math
import xml.etree.ElementTree as ET

from flask_babel import gettext as _
from sqlmodel import Session

from tracker import labels
from tracker.indicators.periods import format_number, format_value, with_locale
from tracker.indicators.services.fulfilment import HIGHER_IS_BETTER, OutcomeView, target_text
from tracker.indicators.services.queries import UnitsReport, outcome_series
from tracker.models import Indicator, MeasureUnit, TargetKind, Unit

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 720
FONT = {"font-family": "system-ui, sans-serif", "font-size": "12", "fill": "#1d2a36"}
# Each series differs by colour, dash and marker shape, so that it reads without colour too.
SERIES_STYLE = {
    "total": {"stroke": "#1d2a36", "dash": "", "marker": "circle"},
    "women": {"stroke": "#8a1c5c", "dash": "7 4", "marker": "square"},
    "men": {"stroke": "#1b4f9c", "dash": "2 4", "marker": "diamond"},
}
FULFILMENT_FILL = {
    "met": "#1e6b34",
    "partly_met": "#7a5200",
    "not_met": "#8a1c1c",
    "unknown": "#5a6570",
}
TARGET_STROKE = "#b03a00"


def _series_names() -> dict[str, str]:
    return {"total": _("Everyone"), "women": _("Women"), "men": _("Men")}


def _el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def _svg(height: int, title: str, desc: str, id_prefix: str) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": str(height),
            "role": "img",
            "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
            "class": "chart",
            **FONT,
        },
    )
    _el(root, "title", title, id=f"{id_prefix}-title")
    _el(root, "desc", desc, id=f"{id_prefix}-desc")
    return root


def _text(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode")


def _nice_max(value: float) -> float:
    """Round an axis maximum up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _axis_max(indicator: Indicator, numbers: list[float]) -> float:
    if indicator.measure_unit == MeasureUnit.PERCENT:
        return 100.0
    return _nice_max(max(numbers, default=0) * 1.1)


def _targets(indicator: Indicator) -> list[tuple[str, float]]:
    """Return the target lines to draw: ("total" | "women" | "men", value)."""
    if indicator.target_kind not in (TargetKind.AT_LEAST, TargetKind.AT_MOST):
        return []
    lines = []
    for key, value in (
        ("total", indicator.target_value),
        ("women", indicator.target_women),
        ("men", indicator.target_men),
    ):
        if value is not None:
            lines.append((key, value))
    return lines


def _marker(group: ET.Element, shape: str, x: float, y: float, colour: str) -> ET.Element:
    if shape == "square":
        return _el(
            group, "rect", x=f"{x - 4:.1f}", y=f"{y - 4:.1f}", width=8, height=8, fill=colour
        )
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return _el(group, "polygon", points=points, fill=colour)
    return _el(group, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=4, fill=colour)


@with_locale
def outcome_chart(
    indicator: Indicator, views: list[OutcomeView], *, scope_name: str, id_prefix: str = "chart"
) -> str:
    """Draw an indicator's outcomes over periods, with the target line and, where outcomes are
    split, women and men as series of their own."""
    unit = indicator.measure_unit
    names = _series_names()
    series: dict[str, list[tuple[int, float]]] = {"total": [], "women": [], "men": []}
    for index, view in enumerate(views):
        for key, value in (
            ("total", view.total),
            ("women", view.outcome.women),
            ("men", view.outcome.men),
        ):
            if value is not None:
                series[key].append((index, value))
    keys = ["total"] + (["women", "men"] if indicator.split_by_sex else [])
    drawn = [key for key in keys if series[key]]
    if indicator.split_by_sex:
        # One series per sex, even where a period has no number for it.
        drawn = [key for key in keys if series[key] or key != "total"]
    targets = _targets(indicator)

    title = _("%(name)s: outcomes by period (%(scope)s)", name=indicator.name, scope=scope_name)
    parts = [_("Target: %(target)s.", target=target_text(indicator))]
    for view in views:
        values = [f"{names['total']} {format_value(view.total, unit)}"]
        if indicator.split_by_sex:
            values.append(f"{names['women']} {format_value(view.outcome.women, unit)}")
            values.append(f"{names['men']} {format_value(view.outcome.men, unit)}")
        fulfilment = labels.label(labels.FULFILMENTS, view.fulfilment)
        parts.append(f"{view.label}: {', '.join(values)} ({fulfilment}).")
    if not views:
        parts.append(_("No outcomes yet."))
    desc = " ".join(parts)

    top, bottom, left, right = 24, 84, 64, 24
    height = 340
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    root = _svg(height, title, desc, id_prefix)
    numbers = [v for key in drawn for _i, v in series[key]] + [v for _k, v in targets]
    y_max = _axis_max(indicator, numbers)

    def y_of(value: float) -> float:
        return top + plot_h - (max(0.0, value) / y_max) * plot_h

    count = max(len(views), 1)
    band = plot_w / count

    def x_of(index: int) -> float:
        return left + band * (index + 0.5)

    axis = _el(root, "g", class_="axis", aria_hidden="true")
    for step in range(5):
        value = y_max * step / 4
        y = y_of(value)
        _el(axis, "line", x1=left, x2=left + plot_w, y1=f"{y:.1f}", y2=f"{y:.1f}", stroke="#d5dbe1")
        _el(axis, "text", format_number(value), x=left - 6, y=f"{y + 4:.1f}", text_anchor="end")
    for index, view in enumerate(views):
        _el(
            axis,
            "text",
            view.label,
            x=f"{x_of(index):.1f}",
            y=top + plot_h + 18,
            text_anchor="middle",
        )
    if not views:
        _el(
            root,
            "text",
            _("No outcomes yet."),
            x=left + plot_w / 2,
            y=top + plot_h / 2,
            text_anchor="middle",
        )

    for number, (key, value) in enumerate(targets):
        y = y_of(value)
        group = _el(root, "g", class_="target", data_series=key, data_value=f"{value:g}")
        label = _("Target") if key == "total" else _("Target, %(who)s", who=names[key].lower())
        _el(group, "title", f"{label}: {format_value(value, unit)}")
        _el(
            group,
            "line",
            x1=left,
            x2=left + plot_w,
            y1=f"{y:.1f}",
            y2=f"{y:.1f}",
            stroke=TARGET_STROKE,
            stroke_width=2,
            stroke_dasharray="10 5",
        )
        # Labels of several target lines go to alternate ends, so that close lines stay legible.
        at_right = number % 2 == 0
        _el(
            group,
            "text",
            f"{label} {format_value(value, unit)}",
            x=left + plot_w - 4 if at_right else left + 4,
            y=f"{y - 5:.1f}",
            text_anchor="end" if at_right else "start",
            fill=TARGET_STROKE,
        )

    for key in drawn:
        style = SERIES_STYLE[key]
        group = _el(root, "g", class_="series", data_series=key)
        _el(group, "title", names[key])
        points = series[key]
        if len(points) > 1:
            line = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in points)
            attrs = {"stroke-dasharray": style["dash"]} if style["dash"] else {}
            polyline = _el(
                group, "polyline", points=line, fill="none", stroke=style["stroke"], stroke_width=2
            )
            polyline.attrib.update(attrs)
        for index, value in points:
            marker = _marker(group, style["marker"], x_of(index), y_of(value), style["stroke"])
            _el(marker, "title", f"{names[key]}, {views[index].label}: {format_value(value, unit)}")

    legend = _el(root, "g", class_="legend")
    x, y = left, height - 22
    for key in drawn:
        style = SERIES_STYLE[key]
        line = _el(
            legend, "line", x1=x, x2=x + 28, y1=y, y2=y, stroke=style["stroke"], stroke_width=2
        )
        if style["dash"]:
            line.set("stroke-dasharray", style["dash"])
        _marker(legend, style["marker"], x + 14, y, style["stroke"])
        _el(legend, "text", names[key], x=x + 34, y=y + 4)
        x += 56 + 8 * len(names[key])
    if targets:
        _el(
            legend,
            "line",
            x1=x,
            x2=x + 28,
            y1=y,
            y2=y,
            stroke=TARGET_STROKE,
            stroke_width=2,
            stroke_dasharray="10 5",
        )
        _el(legend, "text", _("Target"), x=x + 34, y=y + 4)
    return _text(root)


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
    root = _svg(height, title, " ".join(parts), id_prefix)
    plot_left, plot_w = label_w, WIDTH - label_w - value_w
    targets = [value for key, value in _targets(indicator) if key == "total"]
    x_max = _axis_max(indicator, [r.view.total for r in results] + targets)

    def x_of(value: float) -> float:
        return plot_left + (max(0.0, value) / x_max) * plot_w

    if not results:
        _el(
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
        group = _el(root, "g", class_="bar", data_unit=result.unit.name, data_fulfilment=fulfilment)
        _el(group, "title", f"{result.unit.name}: {value_text} ({fulfilment_text})")
        name = result.unit.name if len(result.unit.name) <= 32 else result.unit.name[:31] + "…"
        _el(group, "text", name, x=plot_left - 8, y=y + 15, text_anchor="end")
        width = max(1.0, x_of(result.view.total) - plot_left)
        _el(
            group,
            "rect",
            x=plot_left,
            y=y + 3,
            width=f"{width:.1f}",
            height=row_h - 8,
            fill=FULFILMENT_FILL.get(fulfilment, FULFILMENT_FILL["unknown"]),
        )
        _el(
            group,
            "text",
            f"{value_text} · {fulfilment_text}",
            # Past the target line too, so that the line never crosses the words.
            x=f"{max([plot_left + width] + [x_of(t) for t in targets]) + 6:.1f}",
            y=y + 15,
        )
    for value in targets:
        x = x_of(value)
        group = _el(root, "g", class_="target", data_series="total", data_value=f"{value:g}")
        _el(group, "title", f"{_('Target')}: {format_value(value, unit)}")
        _el(
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
        _el(
            group,
            "text",
            f"{_('Target')} {format_value(value, unit)}",
            x=f"{x:.1f}",
            y=top - 10,
            text_anchor="middle",
            fill=TARGET_STROKE,
        )
    return _text(root)


def sort_note(indicator: Indicator) -> str:
    """Say which way the unit chart is sorted."""
    if indicator.target_kind in HIGHER_IS_BETTER:
        return _("Highest first.")
    return _("Lowest first.")


@with_locale
def indicator_chart_svg(
    session: Session, indicator: Indicator, *, unit_id: int | None = None, id_prefix: str = "chart"
) -> str:
    """Return an indicator's chart over periods (overall, or one unit's) as SVG text, e.g. for
    the Word and PDF exports of the follow-up list."""
    unit = session.get(Unit, unit_id) if unit_id else None
    views = outcome_series(session, indicator, unit_id=unit.id if unit else None)
    scope = unit.name if unit else _("Overall")
    return outcome_chart(indicator, views, scope_name=scope, id_prefix=id_prefix)
