"""Find the recommendations an auditors' report lists, as drafts, in its joined text."""

import bisect
import re
from dataclasses import dataclass

from tracker.sources import report_rules as rules
from tracker.sources.reading import Line


@dataclass
class Draft:
    number: str
    text: str
    page: int
    quote: str = ""


class JoinedText:
    """The report's lines joined by spaces, with the page of every offset."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.starts: list[int] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line.text) + 1
        self.joined = " ".join(line.text for line in lines)

    def line_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def page_at(self, offset: int) -> int:
        return self.lines[self.line_at(offset)].page if self.lines else 1


def _marker(line: Line | str) -> tuple[str | None, str] | None:
    """Return (its number or None for a bullet, the rest) if a line starts a list item."""
    if isinstance(line, Line) and line.cells:
        cells = [cell for cell in line.cells if cell]
        if len(cells) >= 2 and re.fullmatch(rules.TABLE_NUMBER, cells[0]):
            return cells[0].rstrip(".):"), max(cells[1:], key=len)
        return None
    text = line.text if isinstance(line, Line) else line
    if text[:1] in rules.BULLETS:
        if text[:1] in "-–*" and not text[1:2].isspace():
            return None
        return None, text[1:].strip()
    for pattern in rules.NUMBER_MARKERS:
        if match := re.match(pattern, text):
            return match.group("number"), text[match.end() :].strip()
    return None


def _unmarked_start(line: str) -> bool:
    return any(re.match(pattern, line) for pattern in rules.ITEM_STARTS)


def _ended(text: str) -> bool:
    last = text.rstrip()[-1:]
    return bool(last) and last in rules.ITEM_END


def find_recommendations(text: JoinedText) -> list[Draft]:
    """Return the recommendations listed after the first lead phrase that has some."""
    leads = sorted(
        (
            match
            for pattern in rules.RECOMMENDATION_LEADS
            for match in re.finditer(pattern, text.joined)
        ),
        key=lambda match: match.start(),
    )
    for lead in leads:
        index = text.line_at(lead.end())
        line = text.lines[index]
        rest = text.joined[lead.end() : text.starts[index] + len(line.text)].strip(" :")
        if rest and _marker(rest):
            drafts = _list(text.lines, index, first=rest)
        else:
            drafts = _list(text.lines, _after_sentence(text.lines, index + 1, rest))
        if drafts:
            return drafts
        if lead.group().endswith(rules.INLINE_LEAD_END) and rest:
            sentence = re.match(r"(.+?[.!?])(?:\s|$)", text.joined[lead.end() :].strip())
            if sentence:
                return [Draft("1", sentence.group(1), text.page_at(lead.end()), line.text)]
    return []


def _after_sentence(lines: list[Line], start: int, tail: str) -> int:
    """Return the first line after the lead's sentence, which may run over a few lines."""
    for _hop in range(3):
        if not tail or tail[-1] in ".:!?" or start >= len(lines) or _starts_item(lines[start]):
            break
        tail = lines[start].text
        start += 1
    return start


def _starts_item(line: Line) -> bool:
    return _marker(line) is not None or _unmarked_start(line.text)


def _list(lines: list[Line], start: int, first: str | None = None) -> list[Draft]:
    items: list[Draft] = []
    candidates = [Line(first, lines[start].page)] if first else []
    candidates += lines[start + (1 if first else 0) :]
    skipped = 0
    for line in candidates:
        marker = _item_marker(line, items)
        if marker and not (line.heading and not line.cells):
            number, rest = marker
            items.append(Draft(number or str(len(items) + 1), rest, line.page, line.text))
        elif _runs_on(line, items):
            items[-1].text = f"{items[-1].text} {line.text}".strip()
        elif not items and skipped < 2 and (line.cells or not _ended(line.text)):
            skipped += 1  # a heading between the lead and its list ("Nr Rekommendation")
        else:
            break
    return items


def _item_marker(line: Line, items: list[Draft]) -> tuple[str | None, str] | None:
    """Return a line's list marker; an unmarked item start counts once the last item ended."""
    marker = _marker(line)
    if marker is None and _unmarked_start(line.text) and (not items or _ended(items[-1].text)):
        return None, line.text
    return marker


def _runs_on(line: Line, items: list[Draft]) -> bool:
    """Tell whether a line continues the last item: that item is unended and the line plain."""
    return bool(items) and not _ended(items[-1].text) and not line.heading and not line.cells
