"""An indicator's outcomes as SVG, and the parts its units chart (unit_bars.py) shares.

Drawn with the parts in tracker/charts.py. Each chart carries a <title> and a <desc> that say in
words what it shows; the pages also show the numbers in a table."""

import math
import xml.etree.ElementTree as ET

from flask_babel import gettext as _
from sqlmodel import Session

from tracker import labels
from tracker.charts import element, svg, to_text
from tracker.indicators.periods import format_number, format_value, with_locale
from tracker.indicators.services.fulfilment import OutcomeView, target_text
from tracker.indicators.services.queries import outcome_series
from tracker.models import Indicator, MeasureUnit, TargetKind, Unit

WIDTH = 720
FONT = {"font-family": "system-ui, sans-serif", "font-size": "12", "fill": "#1d2a36"}
# Each series differs by colour, dash and marker shape, so that it reads without colour too.
SERIES_STYLE = {
    "total": {"stroke": "#1d2a36", "dash": "", "marker": "circle"},
    "women": {"stroke": "#8a1c5c", "dash": "7 4", "marker": "square"},
    "men": {"stroke": "#1b4f9c", "dash": "2 4", "marker": "diamond"},
}
TARGET_STROKE = "#b03a00"


def _series_names() -> dict[str, str]:
    return {"total": _("Everyone"), "women": _("Women"), "men": _("Men")}


def chart_svg(height: int, title: str, desc: str, id_prefix: str) -> ET.Element:
    """Return an indicator chart's root element, its title and description set."""
    return svg(
        id_prefix,
        title,
        desc,
        viewBox=f"0 0 {WIDTH} {height}",
        width=WIDTH,
        height=height,
        class_="chart",
        **FONT,
    )


def _nice_max(value: float) -> float:
    """Round an axis maximum up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def axis_max(indicator: Indicator, numbers: list[float]) -> float:
    """Return the value axis's maximum: 100 for a percentage, else a round number above all."""
    if indicator.measure_unit == MeasureUnit.PERCENT:
        return 100.0
    return _nice_max(max(numbers, default=0) * 1.1)


def target_lines(indicator: Indicator) -> list[tuple[str, float]]:
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
        return element(
            group, "rect", x=f"{x - 4:.1f}", y=f"{y - 4:.1f}", width=8, height=8, fill=colour
        )
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return element(group, "polygon", points=points, fill=colour)
    return element(group, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=4, fill=colour)


@with_locale
def outcome_chart(
    indicator: Indicator, views: list[OutcomeView], *, scope_name: str, id_prefix: str = "chart"
) -> str:
    """Draw an indicator's outcomes over periods, with the target line and, where outcomes are
    split, women and men as series of their own."""
    unit = indicator.measure_unit
    names = _series_names()
    series = _outcome_series(views)
    drawn = _drawn(indicator, series)
    targets = target_lines(indicator)
    title = _("%(name)s: outcomes by period (%(scope)s)", name=indicator.name, scope=scope_name)
    root = chart_svg(OUTCOME_HEIGHT, title, _outcome_desc(indicator, views, names), id_prefix)
    numbers = [v for key in drawn for _i, v in series[key]] + [v for _k, v in targets]
    scale = _Scale(axis_max(indicator, numbers), max(len(views), 1))
    _outcome_axes(root, scale, views)
    for number, (key, value) in enumerate(targets):
        _target_line(root, scale, key, value, unit, at_right=number % 2 == 0)
    for key in drawn:
        _series_line(root, scale, key, series[key], [view.label for view in views], unit)
    _outcome_legend(root, drawn, targets)
    return to_text(root)


# The outcome chart's height and the margins of its plot.
OUTCOME_HEIGHT = 340
TOP, BOTTOM, LEFT, RIGHT = 24, 84, 64, 24
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, OUTCOME_HEIGHT - TOP - BOTTOM


class _Scale:
    """Where a period and a value fall in the outcome chart's plot."""

    def __init__(self, y_max: float, count: int):
        self.y_max = y_max
        self.band = PLOT_W / count  # each period's share of the width

    def x_of(self, index: int) -> float:
        return LEFT + self.band * (index + 0.5)

    def y_of(self, value: float) -> float:
        return TOP + PLOT_H - (max(0.0, value) / self.y_max) * PLOT_H


def _outcome_series(views: list[OutcomeView]) -> dict[str, list[tuple[int, float]]]:
    """Return each series' (period index, value) points, where a period has a value."""
    series: dict[str, list[tuple[int, float]]] = {"total": [], "women": [], "men": []}
    for index, view in enumerate(views):
        for key, value in (
            ("total", view.total),
            ("women", view.outcome.women),
            ("men", view.outcome.men),
        ):
            if value is not None:
                series[key].append((index, value))
    return series


def _drawn(indicator: Indicator, series: dict[str, list]) -> list[str]:
    """Return the series to draw: everyone's where it has points, and women and men if split."""
    if indicator.split_by_sex:
        # One series per sex, even where a period has no number for it.
        return [key for key in ("total", "women", "men") if series[key] or key != "total"]
    return ["total"] if series["total"] else []


def _outcome_desc(indicator: Indicator, views: list[OutcomeView], names: dict[str, str]) -> str:
    """Say in words what the outcome chart shows: the target and each period's values."""
    unit = indicator.measure_unit
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
    return " ".join(parts)


def _outcome_axes(root: ET.Element, scale: _Scale, views: list[OutcomeView]) -> None:
    """Draw the value grid and the periods' labels, or say that there are no outcomes."""
    axis = element(root, "g", class_="axis", aria_hidden="true")
    for step in range(5):
        value = scale.y_max * step / 4
        y = scale.y_of(value)
        element(
            axis, "line", x1=LEFT, x2=LEFT + PLOT_W, y1=f"{y:.1f}", y2=f"{y:.1f}", stroke="#d5dbe1"
        )
        element(axis, "text", format_number(value), x=LEFT - 6, y=f"{y + 4:.1f}", text_anchor="end")
    for index, view in enumerate(views):
        element(
            axis,
            "text",
            view.label,
            x=f"{scale.x_of(index):.1f}",
            y=TOP + PLOT_H + 18,
            text_anchor="middle",
        )
    if not views:
        element(
            root,
            "text",
            _("No outcomes yet."),
            x=LEFT + PLOT_W / 2,
            y=TOP + PLOT_H / 2,
            text_anchor="middle",
        )


def _target_line(
    root: ET.Element, scale: _Scale, key: str, value: float, unit: str, *, at_right: bool
) -> None:
    """Draw one target line with its label at the right or the left end."""
    y = scale.y_of(value)
    group = element(root, "g", class_="target", data_series=key, data_value=f"{value:g}")
    who = _series_names()[key].lower()
    label = _("Target") if key == "total" else _("Target, %(who)s", who=who)
    element(group, "title", f"{label}: {format_value(value, unit)}")
    element(
        group,
        "line",
        x1=LEFT,
        x2=LEFT + PLOT_W,
        y1=f"{y:.1f}",
        y2=f"{y:.1f}",
        stroke=TARGET_STROKE,
        stroke_width=2,
        stroke_dasharray="10 5",
    )
    # Labels of several target lines go to alternate ends, so that close lines stay legible.
    element(
        group,
        "text",
        f"{label} {format_value(value, unit)}",
        x=LEFT + PLOT_W - 4 if at_right else LEFT + 4,
        y=f"{y - 5:.1f}",
        text_anchor="end" if at_right else "start",
        fill=TARGET_STROKE,
    )


def _series_line(
    root: ET.Element,
    scale: _Scale,
    key: str,
    points: list[tuple[int, float]],
    periods: list[str],
    unit: str,
) -> None:
    """Draw one series: a line through its points, and a marker with a title at each."""
    style = SERIES_STYLE[key]
    name = _series_names()[key]
    group = element(root, "g", class_="series", data_series=key)
    element(group, "title", name)
    if len(points) > 1:
        line = " ".join(f"{scale.x_of(i):.1f},{scale.y_of(v):.1f}" for i, v in points)
        attrs = {"stroke-dasharray": style["dash"]} if style["dash"] else {}
        polyline = element(
            group, "polyline", points=line, fill="none", stroke=style["stroke"], stroke_width=2
        )
        polyline.attrib.update(attrs)
    for index, value in points:
        x, y = scale.x_of(index), scale.y_of(value)
        marker = _marker(group, style["marker"], x, y, style["stroke"])
        element(marker, "title", f"{name}, {periods[index]}: {format_value(value, unit)}")


def _outcome_legend(root: ET.Element, drawn: list[str], targets: list[tuple[str, float]]) -> None:
    """Draw the legend: each series' line and marker by its name, then the target's line."""
    names = _series_names()
    legend = element(root, "g", class_="legend")
    x, y = LEFT, OUTCOME_HEIGHT - 22
    for key in drawn:
        style = SERIES_STYLE[key]
        line = element(
            legend, "line", x1=x, x2=x + 28, y1=y, y2=y, stroke=style["stroke"], stroke_width=2
        )
        if style["dash"]:
            line.set("stroke-dasharray", style["dash"])
        _marker(legend, style["marker"], x + 14, y, style["stroke"])
        element(legend, "text", names[key], x=x + 34, y=y + 4)
        x += 56 + 8 * len(names[key])
    if targets:
        element(
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
        element(legend, "text", _("Target"), x=x + 34, y=y + 4)


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
