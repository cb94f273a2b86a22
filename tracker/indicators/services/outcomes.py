"""Saving indicators and their outcomes, and the threshold rules an outcome sets off."""

from sqlmodel import Session, select

from tracker.editing import update_row
from tracker.indicators import rules
from tracker.models import Indicator, Outcome


class OutcomeExists(ValueError):
    """Another outcome has the same indicator, period and unit."""

    def __init__(self, existing: Outcome):
        super().__init__("an outcome for this period and unit exists")
        self.existing = existing


def create_indicator(session: Session, *, values: dict) -> Indicator:
    """Create an indicator."""
    indicator = Indicator(**values)
    session.add(indicator)
    session.flush()
    return indicator


def update_indicator(
    session: Session, indicator: Indicator, *, version: int | None, values: dict
) -> Indicator:
    """Change an indicator; raise ConflictError if someone saved it since it was read."""
    return update_row(session, indicator, version=version, values=values)


def find_outcome(
    session: Session, *, indicator_id: int, year: int, period: str, unit_id: int | None
) -> Outcome | None:
    """Return the outcome of an indicator for a period and unit, if there is one."""
    return session.exec(
        select(Outcome).where(
            Outcome.indicator_id == indicator_id,
            Outcome.year == year,
            Outcome.period == period,
            Outcome.scope_id == (unit_id or 0),
        )
    ).first()


def _with_scope(values: dict) -> dict:
    return dict(values, scope_id=values.get("unit_id") or 0)


def create_outcome(session: Session, *, indicator: Indicator, values: dict) -> Outcome:
    """Record an outcome; raise OutcomeExists if the period and unit have one already."""
    existing = find_outcome(
        session,
        indicator_id=indicator.id,
        year=values["year"],
        period=values["period"],
        unit_id=values.get("unit_id"),
    )
    if existing:
        raise OutcomeExists(existing)
    outcome = Outcome(indicator_id=indicator.id, **_with_scope(values))
    session.add(outcome)
    session.flush()
    return outcome


def update_outcome(
    session: Session, outcome: Outcome, *, version: int | None, values: dict
) -> Outcome:
    """Change an outcome; refuse a period and unit that another outcome has."""
    existing = find_outcome(
        session,
        indicator_id=outcome.indicator_id,
        year=values.get("year", outcome.year),
        period=values.get("period", outcome.period),
        unit_id=values.get("unit_id", outcome.unit_id),
    )
    if existing and existing.id != outcome.id:
        raise OutcomeExists(existing)
    return update_row(session, outcome, version=version, values=_with_scope(values))


def save_outcome(session: Session, *, indicator: Indicator, values: dict) -> tuple[Outcome, bool]:
    """Record an outcome, replacing the period and unit's earlier one; say if it was new."""
    existing = find_outcome(
        session,
        indicator_id=indicator.id,
        year=values["year"],
        period=values["period"],
        unit_id=values.get("unit_id"),
    )
    if existing is None:
        return create_outcome(session, indicator=indicator, values=values), True
    return update_row(session, existing, version=None, values=_with_scope(values)), False


def delete_outcome(session: Session, outcome: Outcome) -> None:
    """Remove an outcome entered by mistake (the change log keeps its values)."""
    session.delete(outcome)
    session.flush()


def _apply_threshold_rules(session: Session, indicator: Indicator, year: int, period: str) -> list:
    """Apply the indicator's threshold rules to one period; return the assignments made."""
    return rules.apply_rules(session, indicator_id=indicator.id, periods={(year, period)})


def record_outcome(session: Session, *, indicator: Indicator, values: dict) -> list:
    """Record a new outcome and apply the threshold rules to its period; return the assignments.

    Raise OutcomeExists if the period and unit have one already.
    """
    create_outcome(session, indicator=indicator, values=values)
    return _apply_threshold_rules(session, indicator, values["year"], values["period"])


def revise_outcome(
    session: Session, outcome: Outcome, *, indicator: Indicator, version: int | None, values: dict
) -> list:
    """Change an outcome and apply the threshold rules to its period; return the assignments."""
    update_outcome(session, outcome, version=version, values=values)
    return _apply_threshold_rules(session, indicator, values["year"], values["period"])
