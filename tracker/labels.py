"""Translated names for the domain's codes (roles, kinds, statuses)."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from tracker.models import (
    Assessment,
    Grader,
    Implementation,
    Judgement,
    MeasureStatus,
    MeasureUnit,
    Period,
    Perspective,
    Position,
    RecommendationKind,
    RecommendationStatus,
    Recurrence,
    ResponseStatus,
    Role,
    RuleComparison,
    SourceKind,
    TargetKind,
    UnitKind,
)

ROLES = {
    Role.ADMIN: _l("Administrator"),
    Role.SECRETARY: _l("Board secretary"),
    Role.OWNER: _l("Action owner"),
    Role.VIEWER: _l("Reader"),
    Role.ELECTED: _l("Elected member"),
    Role.AUDITOR: _l("Auditor"),
}
UNIT_KINDS = {
    UnitKind.REGION: _l("Region"),
    UnitKind.DIVISION: _l("Division"),
    UnitKind.AREA: _l("Operational area"),
    UnitKind.HEALTH_CENTRE: _l("Health centre"),
    UnitKind.OFFICE: _l("Office"),
}
SOURCE_KINDS = {
    SourceKind.AUDIT_REPORT: _l("Audit report"),
    SourceKind.DECISION: _l("Decision"),
    SourceKind.PLAN: _l("Internal plan"),
    SourceKind.PROPOSAL: _l("Proposal to another body"),
}
RECOMMENDATION_KINDS = {
    RecommendationKind.RECOMMENDATION: _l("Recommendation"),
    RecommendationKind.ASSIGNMENT: _l("Assignment"),
    RecommendationKind.PROPOSAL: _l("Proposed decision"),
}
RECOMMENDATION_STATUSES = {
    RecommendationStatus.OPEN: _l("Open"),
    RecommendationStatus.IN_PROGRESS: _l("In progress"),
    RecommendationStatus.PARTLY_IMPLEMENTED: _l("Partly implemented"),
    RecommendationStatus.REPORTED: _l("Reported"),
    RecommendationStatus.CLOSED: _l("Closed"),
    RecommendationStatus.NOT_IMPLEMENTED: _l("Not implemented"),
    RecommendationStatus.NO_LONGER_RELEVANT: _l("No longer relevant"),
}
MEASURE_STATUSES = {
    MeasureStatus.PLANNED: _l("Planned"),
    MeasureStatus.ONGOING: _l("Ongoing"),
    MeasureStatus.DONE: _l("Done"),
    MeasureStatus.CANCELLED: _l("Cancelled"),
    MeasureStatus.POSTPONED: _l("Postponed"),
}
RESPONSE_STATUSES = {
    ResponseStatus.NOT_STARTED: _l("Not started"),
    ResponseStatus.DRAFTING: _l("Drafting"),
    ResponseStatus.SENT_FOR_INPUT: _l("Sent for input"),
    ResponseStatus.ADOPTED: _l("Adopted"),
    ResponseStatus.SENT: _l("Sent to the auditors"),
}
POSITIONS = {
    Position.AGREES: _l("Agrees"),
    Position.PARTLY_AGREES: _l("Partly agrees"),
    Position.DISAGREES: _l("Does not agree"),
}
RECURRENCES = {
    Recurrence.EVERY_MEETING: _l("At every meeting"),
    Recurrence.YEARLY: _l("Every year"),
}
ASSESSMENTS = {
    Assessment.ADDRESSED: _l("Addressed"),
    Assessment.PARTLY_ADDRESSED: _l("Partly addressed"),
    Assessment.NOT_ADDRESSED: _l("Not addressed"),
}
# The European Court of Auditors' scale, in the words Swedish auditors use.
GRADES = {
    Implementation.FULLY: _l("Fully implemented"),
    Implementation.MOSTLY: _l("Implemented in most respects"),
    Implementation.PARTLY: _l("Implemented in some respects"),
    Implementation.NOT: _l("Not implemented"),
    Implementation.NO_LONGER_RELEVANT: _l("No longer relevant"),
}
GRADERS = {
    Grader.BOARD: _l("The board"),
    Grader.AUDITORS: _l("The auditors"),
}
# The boards' usual closing formulas, as the minutes write them.
CLOSING_FORMULAS = {
    "answered": _l("consider the recommendation answered (anse rekommendationen besvarad)"),
    "filed": _l("file the report-back (lägga återrapporten till handlingarna)"),
    "approve_ongoing": _l(
        "approve the measures taken and ongoing (godkänna vidtagna och pågående åtgärder)"
    ),
}
# The board's formulas for a follow-up list's proposed decision ("Förslag till beslut").
LIST_PROPOSALS = {
    "filed": _l("file the report-back"),
    "approved": _l("approve the report-back"),
    "approve_ongoing": _l("approve the measures taken and ongoing"),
}
JUDGEMENTS = {
    Judgement.ON_TRACK: _l("On track"),
    Judgement.AT_RISK: _l("At risk"),
    Judgement.DELAYED: _l("Delayed"),
}
PERSPECTIVES = {
    Perspective.SOCIETY: _l("Society"),
    Perspective.CITIZENS: _l("Citizens"),
    Perspective.OPERATIONS: _l("Operations"),
    Perspective.EMPLOYEES: _l("Employees"),
    Perspective.FINANCE: _l("Finance"),
}
MEASURE_UNITS = {
    MeasureUnit.PERCENT: _l("Percent"),
    MeasureUnit.COUNT: _l("Count"),
    MeasureUnit.DAYS: _l("Days"),
    MeasureUnit.MSEK: _l("Million kronor (mnkr)"),
}
TARGET_KINDS = {
    TargetKind.AT_LEAST: _l("At least"),
    TargetKind.AT_MOST: _l("At most"),
    TargetKind.INCREASE: _l("Increase on the same period last year"),
    TargetKind.DECREASE: _l("Decrease on the same period last year"),
}
PERIODS = {
    Period.T1: _l("T1 (January–April)"),
    Period.T2: _l("T2 (January–August)"),
    Period.YEAR: _l("Full year"),
}
# Goal fulfilment is computed (tracker/indicators/services/fulfilment.py), never stored.
FULFILMENTS = {
    "met": _l("Met"),
    "partly_met": _l("Partly met"),
    "not_met": _l("Not met"),
    "unknown": _l("Cannot be judged"),
}
RULE_COMPARISONS = {
    RuleComparison.BELOW: _l("Below the threshold"),
    RuleComparison.ABOVE: _l("Above the threshold"),
}
ACTIONS = {"insert": _l("created"), "update": _l("changed"), "delete": _l("deleted")}


# The names of each mapping in each language, translated once: a list page names hundreds
# of codes, and each lazy string would otherwise look its catalogue up again.
_NAMES: dict[tuple[int, str], tuple[dict, dict]] = {}


def label(mapping: dict, code: str | None) -> str:
    """Return the translated name of a code, or the code itself if unknown."""
    if code is None:
        return ""
    found = names(mapping).get(code)
    return str(code) if found is None else found


def names(mapping: dict) -> dict[str, str]:
    """Return the mapping's names translated into the current language, worded once."""
    key = (id(mapping), str(get_locale()))
    mapping_and_names = _NAMES.get(key)
    # The mapping is kept with its names, so its id cannot be reused by another dict.
    if mapping_and_names is None or mapping_and_names[0] is not mapping:
        translated = {name: str(text) for name, text in mapping.items()}
        mapping_and_names = _NAMES[key] = (mapping, translated)
    return mapping_and_names[1]


def choices(mapping: dict) -> list[tuple[str, str]]:
    """Return (code, name) pairs for a select field."""
    return [(str(code), name) for code, name in mapping.items()]


# Names of the fields the change history shows, in the user's language.
FIELDS = {
    "title": _l("Title"),
    "text": _l("Text"),
    "name": _l("Name"),
    "number": _l("Number"),
    "kind": _l("Kind"),
    "theme": _l("Theme"),
    "status": _l("Status"),
    "judgement": _l("Judgement"),
    "description": _l("Description"),
    "goal": _l("Goal it serves"),
    "objective": _l("Strategic objective"),
    "success_factor": _l("Success factor"),
    "target_value": _l("Target"),
    "margin": _l("Margin for “partly met”"),
    "start_date": _l("Start date"),
    "due_date": _l("Due date"),
    "due_meeting_id": _l("Meeting to report back to"),
    "owner_id": _l("Owner"),
    "responsible_id": _l("Responsible"),
    "unit_id": _l("Unit"),
    "source_id": _l("Source"),
    "body_id": _l("Body"),
    "meeting_id": _l("Meeting"),
    "recommendation_id": _l("Recommendation or assignment"),
    "measure_id": _l("Measure"),
    "indicator_id": _l("Indicator"),
    "dnr": _l("Dnr"),
    "issuer_id": _l("Issued by"),
    "addressee_id": _l("Addressed to"),
    "paragraph": _l("Paragraph (§)"),
    "issued_on": _l("Date of the report or decision"),
    "auditors": _l("Auditors"),
    "firm": _l("Audit firm"),
    "response_due": _l("Response due by"),
    "summary": _l("Summary"),
    "assessment": _l("The auditors' overall assessment"),
    "secretaries": _l("Secretaries"),
    "decided_on": _l("Date of the decision"),
    "held_on": _l("Date"),
    "code": _l("Short name"),
    "email": _l("E-mail"),
    "role": _l("Role"),
    "language": _l("Language"),
    "active": _l("Active (may sign in)"),
    "password_hash": _l("Password"),
    "parent_id": _l("Part of"),
    "manager_id": _l("Manager"),
    "reported_on": _l("Date"),
    "author_id": _l("Author"),
    "author_name": _l("Author"),
    "priority_by": _l("Priority"),
    "original_due_date": _l("Original date"),
}
CODED = {
    "status": {**RECOMMENDATION_STATUSES, **MEASURE_STATUSES},
    "kind": {**SOURCE_KINDS, **RECOMMENDATION_KINDS, **UNIT_KINDS},
    "judgement": JUDGEMENTS,
    "role": ROLES,
    "priority_by": GRADERS,
}


def field_label(key: str) -> str:
    """Return a field's name for the change history."""
    return str(FIELDS.get(key, key.replace("_", " ")))


def change_value(key: str, value) -> str:
    """Return a logged value as the user reads it: codes named, empty as a dash."""
    if value is None or value == "":
        return "–"
    if key in CODED:
        return label(CODED[key], value)
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    return str(value)
