"""Bar charts drawn on the server as SVG geometry; the template only places the shapes."""

from dataclasses import dataclass, field

WIDTH = 320  # the viewBox width; the SVG scales to its column
LABEL_HEIGHT = 16  # a bar's label sits on its own line above the bar, for narrow screens
BAR_HEIGHT = 14
GAP = 10
VALUE_ROOM = 36  # room right of the longest bar for its total


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


def bar_chart(
    id: str, title: str, rows: list[tuple[str, dict[str, int]]], series: list[tuple[str, str]]
) -> Chart:
    """Lay out stacked horizontal bars: rows are (label, counts by series key)."""
    longest = max((sum(counts.values()) for _label, counts in rows), default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / longest
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
    return Chart(id, title, WIDTH, max(int(y), 1), bars, legend)
