"""Who may call each route of the indicators: see tests/test_roles.py.

Every signed-in role reads; secretaries and administrators create and edit indicators, enter and
import outcomes, and set and apply threshold rules (the "edit_indicator" action of can()).
"""

from tests.roles import SIGNED_IN, Rule, acting
from tracker.auth.permissions import Action
from tracker.models import Indicator, Outcome, Period, ThresholdRule

RULES = {
    "indicators.index": Rule(get=SIGNED_IN),
    "indicators.detail": Rule(get=SIGNED_IN),
    "indicators.chart": Rule(get=SIGNED_IN),
    "indicators.units": Rule(get=SIGNED_IN),
    "indicators.units_svg": Rule(get=SIGNED_IN),
    "indicators.import_template": Rule(get=SIGNED_IN),
    "indicators.new": acting(Action.EDIT_INDICATOR),
    "indicators.edit": acting(Action.EDIT_INDICATOR),
    "indicators.new_outcome": acting(Action.EDIT_INDICATOR),
    "indicators.edit_outcome": acting(Action.EDIT_INDICATOR),
    "indicators.delete_outcome": acting(Action.EDIT_INDICATOR, get=False),
    "indicators.import_outcomes": acting(Action.EDIT_INDICATOR),
    "indicators.confirm_import": acting(Action.EDIT_INDICATOR, get=False),
    "indicators.new_rule": acting(Action.EDIT_INDICATOR),
    "indicators.edit_rule": acting(Action.EDIT_INDICATOR),
    "indicators.apply_rule": acting(Action.EDIT_INDICATOR, get=False),
}


def add_to_world(*, make, session, users, args):
    """Make an indicator with an overall and a unit outcome, and a threshold rule on it."""
    indicator = Indicator(code="TEL", name="Telefontillgänglighet", perspective="citizens")
    indicator.target_value = 95
    session.add(indicator)
    session.flush()
    outcomes = [
        Outcome(indicator_id=indicator.id, year=2022, period=Period.T2, value=81),
        Outcome(
            indicator_id=indicator.id,
            year=2022,
            period=Period.T2,
            unit_id=args["unit_id"],
            scope_id=args["unit_id"],
            value=72,
        ),
    ]
    session.add_all(outcomes)
    rule = ThresholdRule(
        indicator_id=indicator.id,
        source_id=args["source_id"],
        threshold=80,
        text="Beskriv vilka åtgärder som vidtagits.",
    )
    session.add(rule)
    session.commit()
    return {"indicator_id": indicator.id, "outcome_id": outcomes[1].id, "rule_id": rule.id}
