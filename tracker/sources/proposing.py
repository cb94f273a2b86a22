"""Propose a source and its recommendations from the text of an auditors' report."""

import bisect
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from typing import Any

from tracker.sources import parties
from tracker.sources import report_rules as rules
from tracker.sources.parties import BodyName, match_body, normalise_name
from tracker.sources.reading import Line

__all__ = ["BodyName", "match_body", "normalise_name"]


@dataclass
class Found:
    value: Any
    page: int
    quote: str = ""  # the line it was read from, as the file has it


@dataclass
class Addressee:
    name: str  # as the report writes it
    body_id: int | None  # the matching body, None when no body has that name
    page: int
    quote: str = ""


@dataclass
class Draft:
    number: str
    text: str
    page: int
    quote: str = ""


@dataclass
class Proposal:
    values: dict[str, Found] = field(default_factory=dict)  # source form field -> found value
    addressees: list[Addressee] = field(default_factory=list)
    recommendations: list[Draft] = field(default_factory=list)
    # Read but not a field of the source form: shown for the secretary to copy or to act on.
    # "assessment" (the auditors' overall assessment), "issuer" (who issued it, value the
    # name as written, with "body_id" None when no body of ours matches), "signatories".
    notes: dict[str, Found] = field(default_factory=dict)
    issuer_body_id: int | None = None

    def as_json(self) -> dict:
        """Return the proposal as kept with the report file."""

        def kept(found: Found) -> dict:
            value = found.value if isinstance(found.value, list) else str(found.value)
            return {"value": value, "page": found.page, "quote": found.quote}

        return {
            "values": {key: kept(found) for key, found in self.values.items()},
            "notes": {key: kept(found) for key, found in self.notes.items()},
            "addressees": [asdict(addressee) for addressee in self.addressees],
            "recommendations": [asdict(draft) for draft in self.recommendations],
        }

    def flat(self) -> dict:
        """Return every value read, by name, as the corpus's expected.yaml writes them."""
        flat = {key: found.value for key, found in self.values.items()}
        flat |= {key: found.value for key, found in self.notes.items()}
        flat["addressees"] = [addressee.name for addressee in self.addressees]
        return {key: value for key, value in flat.items() if value not in (None, "", [])}


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


def _found(text: "_Text", match: re.Match, value, start: int | None = None) -> Found:
    line = text.lines[text.line_at(match.start() if start is None else start)]
    return Found(value, line.page, line.text)


def propose(lines: list[Line], bodies: list[BodyName]) -> Proposal:
    """Propose the source's values, addressees and recommendation drafts found in the text."""
    text = _Text(lines)
    proposal = Proposal()
    values = proposal.values
    top = lines[: rules.REPORT_DATE_TOP_LINES]

    if title := _title(text):
        values["title"] = title
    if found := _first(rules.DNR_PATTERNS, text.joined, "dnr"):
        values["dnr"] = _found(text, found, " ".join(found.group("dnr").split()))
    response = _first(rules.RESPONSE_DATE_PATTERNS, text.joined)
    if response and (day := parse_date(response)):
        values["response_due"] = _found(text, response, day, response.start("year"))
    if issued := _report_date(top, response and parse_date(response)):
        values["issued_on"] = issued
    signed_at = None
    if found := _first_in_lines(rules.AUDITORS_PATTERNS[:1], lines):
        name = found[0].group("auditors").strip()
        values["auditors"] = Found(name[:1].upper() + name[1:], found[1].page, found[1].text)
        signed_at = lines.index(found[1])
    elif found := _first(rules.AUDITORS_PATTERNS[1:], text.joined, "auditors"):
        values["auditors"] = _found(text, found, found.group("auditors"))
    if firm := _firm(text):
        values["firm"] = firm
    organisation = _organisation(text, values.get("auditors"))
    ours = parties.our_organisation(bodies)
    foreign = (
        organisation is not None
        and ours is not None
        and not parties.same_organisation(organisation[0], ours)
    )
    _issuer(proposal, text, bodies, organisation)
    proposal.addressees = _addressees(text, [] if foreign else bodies)
    matched = [addressee for addressee in proposal.addressees if addressee.body_id]
    if matched:
        # Every body the letter is addressed to: each answers for itself.
        ids = list(dict.fromkeys(addressee.body_id for addressee in matched))
        values["addressees"] = Found(ids, matched[0].page, matched[0].quote)
    if found := _first(rules.ASSESSMENT_PATTERNS, text.joined, "assessment"):
        proposal.notes["assessment"] = _found(text, found, found.group("assessment"))
    if signed_at is not None and (people := parties.signatories(lines, signed_at)):
        names = [name for name, _line in people]
        proposal.notes["signatories"] = Found(names, people[0][1].page, people[0][1].text)
    proposal.recommendations = find_recommendations(text)
    return proposal


def _organisation(text: "_Text", auditors: Found | None) -> tuple[str, Found] | None:
    """Return the organisation the report is from: the auditors', else the first named."""
    for source in ([auditors.value] if auditors else []) + [text.joined[:3000]]:
        named = parties.organisations(source)
        if named:
            offset, name = named[0]
            if auditors and source == auditors.value:
                return name, auditors
            return name, Found(name, text.page_at(offset), text.lines[text.line_at(offset)].text)
    return None


def _issuer(proposal: Proposal, text: "_Text", bodies, organisation) -> None:
    """Propose our auditors as issuer only for our organisation's report; else name it."""
    auditors = proposal.values.get("auditors")
    if organisation is None and auditors is None:
        return
    name = auditors.value if auditors else f"Revisorerna i {organisation[0]}"
    where = auditors or organisation[1]
    body = parties.issuer_body(organisation[0] if organisation else None, bodies)
    proposal.notes["issuer"] = Found(name, where.page, where.quote)
    if body is not None:
        proposal.values["issuer_id"] = Found(body.id, where.page, where.quote)
        proposal.issuer_body_id = body.id


def _title(text: _Text) -> Found | None:
    for index, line in enumerate(text.lines[: rules.TITLE_TOP_LINES]):
        if not line.heading or re.search(rules.NOT_TITLE, line.text):
            continue
        parts = [line.text]
        for following in text.lines[index + 1 : index + 4]:
            if not following.heading or following.page != line.page:
                break
            parts.append(following.text)
        title = " ".join(parts)
        for prefix in rules.TITLE_PREFIXES:
            title = title.removeprefix(prefix).strip()
        return Found(title, line.page, line.text)
    for line in text.lines[:20]:
        for pattern in rules.TITLE_LINE_PATTERNS:
            if re.search(pattern, line.text):
                title = line.text
                for prefix in rules.TITLE_PREFIXES:
                    title = title.removeprefix(prefix).strip()
                return Found(title, line.page, line.text)
    if found := _first(rules.TITLE_PHRASE_PATTERNS, text.joined, "title"):
        title = found.group("title").strip()
        return _found(text, found, title[:1].upper() + title[1:])
    return None


def _report_date(top: list[Line], response_due: date | None) -> Found | None:
    for pattern in rules.REPORT_DATE_PATTERNS:
        for line in top:
            for compiled in _compiled(pattern):
                match = compiled.search(line.text)
                if match and (day := parse_date(match)) and day != response_due:
                    return Found(day, line.page, line.text)
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
    return _found(text, first, first.group())


def _addressees(text: _Text, bodies: list[BodyName]) -> list[Addressee]:
    found: list[Addressee] = []

    def add(name: str, line: Line, *, named: bool) -> None:
        body = match_body(name, bodies)
        if body is None and not (named or parties.looks_like_body(name)):
            return
        name = name[:1].upper() + name[1:] if not named else name
        key = body.id if body else normalise_name(name)
        if all((a.body_id if a.body_id else normalise_name(a.name)) != key for a in found):
            found.append(Addressee(name, body.id if body else None, line.page, line.text))

    for line in text.lines[: rules.ADDRESS_FIELD_LINES]:
        if line.text.startswith("Till"):
            continue  # read below, with the names that follow it
        if match_body(line.text, bodies) or parties.looks_like_body(line.text):
            add(line.text, line, named=False)
    for index, line in enumerate(text.lines):
        joined = line.text
        if re.search(r"(?:,|\boch|\bsamt)$", joined) and index + 1 < len(text.lines):
            joined = f"{joined} {text.lines[index + 1].text}"  # the names run on
        for pattern in rules.ADDRESSEE_LINE_PATTERNS:
            if match := re.search(pattern, joined):
                for name in parties.split_names(match.group("names")):
                    add(name, line, named=True)
    for pattern in rules.ADDRESSEE_PATTERNS:
        for match in re.finditer(pattern, text.joined):
            line = text.lines[text.line_at(match.start("names"))]
            for name in parties.split_names(match.group("names")):
                add(name, line, named=False)
    return found


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
        marker = _marker(line)
        if marker is None and _unmarked_start(line.text) and (not items or _ended(items[-1].text)):
            marker = (None, line.text)
        if marker and not (line.heading and not line.cells):
            number, rest = marker
            items.append(Draft(number or str(len(items) + 1), rest, line.page, line.text))
        elif items and not _ended(items[-1].text) and not line.heading and not line.cells:
            items[-1].text = f"{items[-1].text} {line.text}".strip()
        elif not items and skipped < 2 and (line.cells or not _ended(line.text)):
            skipped += 1  # a heading between the lead and its list ("Nr Rekommendation")
        else:
            break
    return items
