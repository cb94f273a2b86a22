"""Propose a source and its recommendations from the text of an auditors' report."""

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from typing import Any

from tracker.sources import parties
from tracker.sources import report_rules as rules
from tracker.sources.drafts import Draft, JoinedText, find_recommendations
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


def _found(text: JoinedText, match: re.Match, value, start: int | None = None) -> Found:
    line = text.lines[text.line_at(match.start() if start is None else start)]
    return Found(value, line.page, line.text)


def propose(lines: list[Line], bodies: list[BodyName]) -> Proposal:
    """Propose the source's values, addressees and recommendation drafts found in the text."""
    text = JoinedText(lines)
    proposal = Proposal()
    values = proposal.values
    if title := _title(text):
        values["title"] = title
    _number_and_dates(values, text)
    signed_at = _auditors(values, text)
    if firm := _firm(text):
        values["firm"] = firm
    _parties(proposal, text, bodies)
    if found := _first(rules.ASSESSMENT_PATTERNS, text.joined, "assessment"):
        proposal.notes["assessment"] = _found(text, found, found.group("assessment"))
    if signed_at is not None and (people := parties.signatories(lines, signed_at)):
        names = [name for name, _line in people]
        proposal.notes["signatories"] = Found(names, people[0][1].page, people[0][1].text)
    proposal.recommendations = find_recommendations(text)
    return proposal


def _number_and_dates(values: dict[str, Found], text: JoinedText) -> None:
    """Propose the registry number, the answer's deadline and the report's own date."""
    if found := _first(rules.DNR_PATTERNS, text.joined, "dnr"):
        values["dnr"] = _found(text, found, " ".join(found.group("dnr").split()))
    response = _first(rules.RESPONSE_DATE_PATTERNS, text.joined)
    if response and (day := parse_date(response)):
        values["response_due"] = _found(text, response, day, response.start("year"))
    top = text.lines[: rules.REPORT_DATE_TOP_LINES]
    if issued := _report_date(top, response and parse_date(response)):
        values["issued_on"] = issued


def _auditors(values: dict[str, Found], text: JoinedText) -> int | None:
    """Propose the auditors; return the index of the line they sign on, if they sign."""
    lines = text.lines
    if found := _first_in_lines(rules.AUDITORS_PATTERNS[:1], lines):
        name = found[0].group("auditors").strip()
        values["auditors"] = Found(name[:1].upper() + name[1:], found[1].page, found[1].text)
        return lines.index(found[1])
    if found := _first(rules.AUDITORS_PATTERNS[1:], text.joined, "auditors"):
        values["auditors"] = _found(text, found, found.group("auditors"))
    return None


def _parties(proposal: Proposal, text: JoinedText, bodies: list[BodyName]) -> None:
    """Propose the issuer and the addressees; bodies of ours only for our organisation's report."""
    values = proposal.values
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


def _organisation(text: JoinedText, auditors: Found | None) -> tuple[str, Found] | None:
    """Return the organisation the report is from: the auditors', else the first named."""
    for source in ([auditors.value] if auditors else []) + [text.joined[:3000]]:
        named = parties.organisations(source)
        if named:
            offset, name = named[0]
            if auditors and source == auditors.value:
                return name, auditors
            return name, Found(name, text.page_at(offset), text.lines[text.line_at(offset)].text)
    return None


def _issuer(proposal: Proposal, text: JoinedText, bodies, organisation) -> None:
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


def _title(text: JoinedText) -> Found | None:
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


def _firm(text: JoinedText) -> Found | None:
    found = [
        match
        for firm in rules.FIRMS
        if (match := re.search(rf"(?<!\w){re.escape(firm)}(?!\w)", text.joined))
    ]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    return _found(text, first, first.group())


def _addressees(text: JoinedText, bodies: list[BodyName]) -> list[Addressee]:
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
