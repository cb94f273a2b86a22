"""Who a report is from and to: its organisation, issuer, addressees and signatories.

A body of our register is proposed only when the letter is from our own organisation (or
names none): another region's letter to "regionstyrelsen" is not to ours, and its auditors
are not ours. Names that match no body are proposed as text, marked "no matching body".
"""

import re
from dataclasses import dataclass

from tracker.sources import report_rules as rules


@dataclass(frozen=True)
class BodyName:
    id: int
    code: str
    name: str


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


def organisations(text: str) -> list[tuple[int, str]]:
    """Return (offset, name) of each region or municipality named, genitive -s dropped."""
    found = []
    for pattern in rules.ORGANISATION_PATTERNS:
        for match in re.finditer(pattern, text):
            name = match.group("org")
            if name.endswith("s") and not name.endswith(("kommun", "län")):
                name = name[:-1]
            found.append((match.start(), re.sub(r"(kommun|län)s$", r"\1", name)))
    return sorted(found)


def our_organisation(bodies: list[BodyName]) -> str | None:
    """Return the organisation our own auditors' body names ("Region Norrbottens revisorer")."""
    for body in bodies:
        if any(word in body.name.casefold() for word in rules.ISSUER_BODY_WORDS):
            named = organisations(body.name)
            if named:
                return named[0][1]
    return None


def same_organisation(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and normalise_name(a) == normalise_name(b)


def issuer_body(organisation: str | None, bodies: list[BodyName]) -> BodyName | None:
    """Return our auditors' body if the report's organisation is theirs, else None."""
    for body in bodies:
        if not any(word in body.name.casefold() for word in rules.ISSUER_BODY_WORDS):
            continue
        named = organisations(body.name)
        if named and same_organisation(named[0][1], organisation):
            return body
    return None


def looks_like_body(name: str) -> bool:
    """Tell whether a name is a board's ("Socialnämnden"), not a general word ("nämnden")."""
    folded = normalise_name(name)
    if len(name.split()) > 5 or re.search(r"[.!?:]", name):
        return False
    if folded in rules.GENERIC_BODY_NAMES or len(folded) < 6:
        return False
    return any(folded.endswith(end) for end in rules.BODY_NAME_ENDINGS)


def split_names(names: str) -> list[str]:
    """Split "X, Y och Z" into names; "Hälso- och sjukvårdsnämnden" stays one."""
    parts = re.split(r",\s*|(?<!-)\s+(?:och|samt)\s+", names.strip(" .:;"))
    return [part.strip(" .:;") for part in parts if part.strip(" .:;")]


def signatories(lines, start: int) -> list[tuple[str, object]]:
    """Return (name, line) of the people who sign after the line at start."""
    found = []
    for line in lines[start + 1 : start + 1 + rules.SIGNATORY_LINES]:
        text = line.text.split(",")[0].strip()
        if re.fullmatch(rules.PERSON_NAME, text) and normalise_name(text) not in rules.ROLE_WORDS:
            found.append((text, line))
        elif normalise_name(line.text) in rules.ROLE_WORDS or not line.text:
            continue
        elif found:
            break
    return found
