"""Propose a source and its recommendations from the text of an auditors' report."""

import bisect
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from typing import Any

from tracker.sources import report_rules as rules
from tracker.sources.reading import Line


@dataclass
class Found:
    value: Any
    page: int


@dataclass
class Addressee:
    name: str  # as the report writes it
    body_id: int | None  # the matching body, None when no body has that name
    page: int


@dataclass
class Draft:
    number: str
    text: str
    page: int


@dataclass
class Proposal:
    values: dict[str, Found] = field(default_factory=dict)  # source form field -> found value
    addressees: list[Addressee] = field(default_factory=list)
    recommendations: list[Draft] = field(default_factory=list)

    def as_json(self) -> dict:
        """Return the proposal as kept with the report file."""
        values = {
            key: {"value": str(found.value), "page": found.page}
            for key, found in self.values.items()
        }
        return {
            "values": values,
            "addressees": [asdict(addressee) for addressee in self.addressees],
            "recommendations": [asdict(draft) for draft in self.recommendations],
        }


@dataclass(frozen=True)
class BodyName:
    id: int
    code: str
    name: str


class _Text:
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


@cache
def _compiled(pattern: str) -> list[re.Pattern]:
    """Compile a rule, once per date format when it holds {date}."""
    if "{date}" not in pattern:
        return [re.compile(pattern)]
    return [re.compile(pattern.replace("{date}", f"(?:{fmt})")) for fmt in rules.DATE_FORMATS]


def parse_date(match: re.Match) -> date | None:
    """Return the date named by a match of a DATE_FORMATS pattern, or None if not a day."""
    month = match.group("month").lower().rstrip(".")
    month_number = rules.MONTHS.get(month) or (int(month) if month.isdigit() else 0)
    try:
        return date(int(match.group("year")), month_number, int(match.group("day")))
    except ValueError:
        return None


def find_dates(text: str) -> list[date]:
    """Return the dates written in a text, in any of the Swedish formats, in order."""
    found = []
    for pattern in _compiled("{date}"):
        for match in pattern.finditer(text):
            if (day := parse_date(match)) is not None:
                found.append((match.start(), day))
    return [day for _start, day in sorted(found)]


def _first(patterns, text: str, group: str | None = None) -> re.Match | None:
    matches = [
        match
        for pattern in patterns
        for compiled in _compiled(pattern)
        if (match := compiled.search(text)) and (group is None or match.group(group))
    ]
    return min(matches, key=lambda match: match.start(), default=None)


def _first_in_lines(patterns, lines: list[Line]) -> tuple[re.Match, Line] | None:
    for line in lines:
        for pattern in patterns:
            for compiled in _compiled(pattern):
                if match := compiled.search(line.text):
                    return match, line
    return None


def normalise_name(name: str) -> str:
    """Return a name's letters only, lower-case: "Regionsty.relsen" -> "regionstyrelsen"."""
    return "".join(char for char in name.casefold() if char.isalpha())


def match_body(name: str, bodies: list[BodyName]) -> BodyName | None:
    """Return the body a name stands for (by its name or code), or None."""
    wanted = normalise_name(name)
    for body in bodies:
        if wanted and wanted in (normalise_name(body.name), normalise_name(body.code)):
            return body
    return None


def _split_names(names: str) -> list[str]:
    # "Hälso- och sjukvårdsnämnden" is one name: no split after a hyphen.
    parts = re.split(r",\s*|(?<!-)\s+(?:och|samt)\s+", names.strip(" .:;"))
    return [part.strip(" .:;") for part in parts if part.strip(" .:;")]


def propose(lines: list[Line], bodies: list[BodyName]) -> Proposal:
    """Propose the source's values, addressees and recommendation drafts found in the text."""
    text = _Text(lines)
    proposal = Proposal()
    values = proposal.values
    top = lines[: rules.REPORT_DATE_TOP_LINES]

    if title := _title(text):
        values["title"] = title
    if found := _first(rules.DNR_PATTERNS, text.joined, "dnr"):
        values["dnr"] = Found(found.group("dnr"), text.page_at(found.start()))
    response = _first(rules.RESPONSE_DATE_PATTERNS, text.joined)
    if response and (day := parse_date(response)):
        values["response_due"] = Found(day, text.page_at(response.start()))
    if issued := _report_date(top, response and parse_date(response)):
        values["issued_on"] = issued
    if found := _first_in_lines(rules.AUDITORS_PATTERNS[:1], lines):
        values["auditors"] = Found(found[0].group("auditors").strip(), found[1].page)
    elif found := _first(rules.AUDITORS_PATTERNS[1:], text.joined, "auditors"):
        values["auditors"] = Found(found.group("auditors"), text.page_at(found.start()))
    if firm := _firm(text):
        values["firm"] = firm
    if issuer := _issuer(text, bodies, "auditors" in values):
        values["issuer_id"] = issuer
    proposal.addressees = _addressees(text, bodies)
    matched = [addressee for addressee in proposal.addressees if addressee.body_id]
    if matched:
        # Every body the letter is addressed to: each answers for itself.
        ids = list(dict.fromkeys(addressee.body_id for addressee in matched))
        values["addressees"] = Found(ids, matched[0].page)
    proposal.recommendations = find_recommendations(text)
    return proposal


def _title(text: _Text) -> Found | None:
    for line in text.lines[:20]:
        for pattern in rules.TITLE_LINE_PATTERNS:
            if re.search(pattern, line.text):
                title = line.text
                for prefix in rules.TITLE_PREFIXES:
                    title = title.removeprefix(prefix).strip()
                return Found(title, line.page)
    if found := _first(rules.TITLE_PHRASE_PATTERNS, text.joined, "title"):
        title = found.group("title").strip()
        return Found(title[:1].upper() + title[1:], text.page_at(found.start()))
    return None


def _report_date(top: list[Line], response_due: date | None) -> Found | None:
    for pattern in rules.REPORT_DATE_PATTERNS:
        for line in top:
            for compiled in _compiled(pattern):
                match = compiled.search(line.text)
                if match and (day := parse_date(match)) and day != response_due:
                    return Found(day, line.page)
    return None


def _firm(text: _Text) -> Found | None:
    found = [
        match
        for firm in rules.FIRMS
        if (match := re.search(rf"(?<!\w){re.escape(firm)}(?!\w)", text.joined))
    ]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    return Found(first.group(), text.page_at(first.start()))


def _issuer(text: _Text, bodies: list[BodyName], auditors_found: bool) -> Found | None:
    mention = re.search(r"(?i)revisor", text.joined)
    if not (auditors_found or mention):
        return None
    for body in bodies:
        if any(word in body.name.casefold() for word in rules.ISSUER_BODY_WORDS):
            return Found(body.id, text.page_at(mention.start()) if mention else 1)
    return None


def _addressees(text: _Text, bodies: list[BodyName]) -> list[Addressee]:
    found: list[Addressee] = []

    def add(name: str, page: int, *, named: bool) -> None:
        body = match_body(name, bodies)
        if body is None and not named:
            return
        key = body.id if body else normalise_name(name)
        if all((a.body_id if a.body_id else normalise_name(a.name)) != key for a in found):
            found.append(Addressee(name=name, body_id=body.id if body else None, page=page))

    for line in text.lines[: rules.ADDRESS_FIELD_LINES]:
        if match_body(line.text, bodies):
            add(line.text, line.page, named=False)
    for line in text.lines:
        for pattern in rules.ADDRESSEE_LINE_PATTERNS:
            if match := re.search(pattern, line.text):
                for name in _split_names(match.group("names")):
                    add(name, line.page, named=True)
    for pattern in rules.ADDRESSEE_PATTERNS:
        for match in re.finditer(pattern, text.joined):
            for name in _split_names(match.group("names")):
                add(name, text.page_at(match.start()), named=False)
    return found


def _marker(line: str) -> tuple[str | None, str] | None:
    """Return (its number or None for a bullet, the rest) if a line starts a list item."""
    if line[:1] in rules.BULLETS:
        if line[:1] in "-–*" and not line[1:2].isspace():
            return None
        return None, line[1:].strip()
    for pattern in rules.NUMBER_MARKERS:
        if match := re.match(pattern, line):
            return match.group("number"), line[match.end() :].strip()
    return None


def _unmarked_start(line: str) -> bool:
    return any(re.match(pattern, line) for pattern in rules.ITEM_STARTS)


def _ended(text: str) -> bool:
    last = text.rstrip()[-1:]
    return bool(last) and last in rules.ITEM_END


def find_recommendations(text: _Text) -> list[Draft]:
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
                return [Draft("1", sentence.group(1), text.page_at(lead.end()))]
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
    return _marker(line.text) is not None or _unmarked_start(line.text)


def _list(lines: list[Line], start: int, first: str | None = None) -> list[Draft]:
    items: list[Draft] = []
    candidates = [Line(first, lines[start].page)] if first else []
    candidates += lines[start + (1 if first else 0) :]
    skipped = 0
    for line in candidates:
        marker = _marker(line.text)
        if marker is None and _unmarked_start(line.text) and (not items or _ended(items[-1].text)):
            marker = (None, line.text)
        if marker:
            number, rest = marker
            items.append(Draft(number or str(len(items) + 1), rest, line.page))
        elif items and not _ended(items[-1].text):
            items[-1].text = f"{items[-1].text} {line.text}".strip()
        elif not items and skipped < 2 and not _ended(line.text):
            skipped += 1  # a heading between the lead and its list ("Nr Rekommendation")
        else:
            break
    return items
