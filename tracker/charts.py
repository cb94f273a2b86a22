"""Charts drawn on the server as SVG with ElementTree, one way for every page: no JavaScript,
and the same picture goes into the Word and PDF exports. The dashboard's stacked bars are here;
the indicator charts (indicators/charts.py) draw with the same parts."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"

BAR_WIDTH = 320  # the bar charts' viewBox width; the SVG scales to its column
LABEL_HEIGHT = 16  # a bar's label sits on its own line above the bar, for narrow screens
BAR_HEIGHT = 14
GAP = 10
VALUE_ROOM = 36  # room right of the longest bar for its total
LABEL_LENGTH = 44  # longer bar labels are cut, as Jinja's truncate(44, true) did


def element(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    """Add an element; attribute names in Python's spelling (class_, text_anchor) become SVG's."""
    element = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def svg(id_prefix: str, title: str, desc: str | None = None, **attrs) -> ET.Element:
    """Start an SVG image named by its <title> (and <desc>) for screen readers."""
    labelled_by = f"{id_prefix}-title" + (f" {id_prefix}-desc" if desc is not None else "")
    root = ET.Element("svg", {"xmlns": SVG_NS})
    root.attrib.update(
        {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
        | {"role": "img", "aria-labelledby": labelled_by}
    )
    element(root, "title", title, id=f"{id_prefix}-title")
    if desc is not None:
        element(root, "desc", desc, id=f"{id_prefix}-desc")
    return root


def to_text(root: ET.Element) -> str:
    """Return the SVG as markup."""
    return ET.tostring(root, encoding="unicode")


def _cut(label: str) -> str:
    # Jinja's truncate: a few characters over are kept, a longer label ends in "...".
    return label if len(label) <= LABEL_LENGTH + 5 else label[: LABEL_LENGTH - 3] + "..."


@dataclass
class Segment:
    x: float
    width: float
    series: str  # CSS class suffix: the colour of the series
    name: str  # the series' name, for the segment's tooltip
    value: int


@dataclass
class Bar:
    label: str
    total: int
    label_y: float
    bar_y: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    id: str  # for aria-labelledby
    title: str
    width: int
    height: int
    bars: list[Bar]
    legend: list[tuple[str, str]]  # (series, name) of the series that occur

    @property
    def empty(self) -> bool:
        return not any(bar.total for bar in self.bars)

    @property
    def svg(self) -> Markup:
        """Draw the bars; the table beside the chart holds the same figures."""
        root = svg(
            self.id,
            _("Chart: %(title)s. The table beside it has the same figures.", title=self.title),
            class_="chart-svg",
            viewBox=f"0 0 {self.width} {self.height}",
            focusable="false",
        )
        for bar in self.bars:
            element(root, "text", _cut(bar.label), class_="chart-label", x=0, y=bar.label_y)
            for segment in bar.segments:
                rect = element(
                    root,
                    "rect",
                    class_=f"chart-s-{segment.series}",
                    x=f"{segment.x:.1f}",
                    y=bar.bar_y,
                    width=f"{segment.width:.1f}",
                    height=BAR_HEIGHT,
                )
                element(rect, "title", f"{segment.name}: {segment.value}")
            end = bar.segments[-1].x + bar.segments[-1].width if bar.segments else 0
            element(
                root,
                "text",
                str(bar.total),
                class_="chart-value",
                x=f"{end + 4:.1f}",
                y=bar.bar_y + 11,
            )
        return Markup(to_text(root))


def bar_chart(
    id: str, title: str, rows: list[tuple[str, dict[str, int]]], series: list[tuple[str, str]]
) -> Chart:
    """Lay out stacked horizontal bars: rows are (label, counts by series key)."""
    longest = max((sum(counts.values()) for _label, counts in rows), default=0) or 1
    scale = (BAR_WIDTH - VALUE_ROOM) / longest
    bars, used = [], set()
    y = 0.0
    for label, counts in rows:
        bar = Bar(label, sum(counts.values()), y + 12, y + LABEL_HEIGHT)
        x = 0.0
        for key, name in series:
            value = counts.get(key, 0)
            if value:
                bar.segments.append(Segment(x, value * scale, key, str(name), value))
                x += value * scale
                used.add(key)
        bars.append(bar)
        y += LABEL_HEIGHT + BAR_HEIGHT + GAP
    legend = [(key, str(name)) for key, name in series if key in used]
    return Chart(id, title, BAR_WIDTH, max(int(y), 1), bars, legend)
