"""Translated names for the domain's codes (roles, kinds, statuses)."""

from flask_babel import lazy_gettext as _l

from tracker.models import (
    Judgement,
    MeasureStatus,
    MeasureUnit,
    Period,
    Perspective,
    RecommendationKind,
    RecommendationStatus,
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
}
RECOMMENDATION_KINDS = {
    RecommendationKind.RECOMMENDATION: _l("Recommendation"),
    RecommendationKind.ASSIGNMENT: _l("Assignment"),
}
RECOMMENDATION_STATUSES = {
    RecommendationStatus.OPEN: _l("Open"),
    RecommendationStatus.IN_PROGRESS: _l("In progress"),
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
# Goal fulfilment is computed (tracker/indicators/services.py), never stored.
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


def label(mapping: dict, code: str | None) -> str:
    """Return the translated name of a code, or the code itself if unknown."""
    if code is None:
        return ""
    return str(mapping.get(code, code))


def choices(mapping: dict) -> list[tuple[str, str]]:
    """Return (code, name) pairs for a select field."""
    return [(str(code), name) for code, name in mapping.items()]
