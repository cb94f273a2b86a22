"""Threshold rules: every unit below the threshold gets one assignment to describe its measures,
owned by the unit's manager, with a deadline; entering the period again makes nothing twice."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from tests.conftest import fresh
from tests.indicator_support import import_outcomes, telephone_indicator
from tracker.dates import today
from tracker.indicators import rules
from tracker.indicators.services import outcomes
from tracker.models import Indicator, Recommendation, ThresholdAssignment, ThresholdRule


@pytest.fixture
def world(session, make):
    """The committee's decision, the telephone indicator with its 80 % rule, and units."""
    chief = make.user("owner", name="Divisionschef")
    kiruna_manager = make.user("owner", name="Verksamhetschef Kiruna")
    division = make.unit("Division Nära", kind="division", manager_id=chief.id)
    units = {
        "kiruna": make.unit(
            "Hälsocentral Kiruna",
            kind="health_centre",
            parent_id=division.id,
            manager_id=kiruna_manager.id,
        ),
        # No manager of its own: the division's chief owns its assignment.
        "pitea": make.unit("Hälsocentral Piteå", kind="health_centre", parent_id=division.id),
        "sanden": make.unit("Hälsocentral Sanden", kind="health_centre", parent_id=division.id),
        "division": division,
    }
    decision = make.source(kind="decision", title="Uppföljning vårdval primärvård", dnr="HSN-2")
    indicator = telephone_indicator(session)
    rule = rules.create_rule(
        session,
        indicator=indicator,
        values={
            "source_id": decision.id,
            "threshold": 80,
            "text": "Beskriv vilka åtgärder som vidtagits.",
            "theme": "Vårdval primärvård",
            "deadline_days": 60,
        },
    )
    session.commit()
    return {"chief": chief, "kiruna_manager": kiruna_manager, "units": units, "rule": rule}


CSV = (
    "indicator;period;unit;value\n"
    "TEL;2022;Hälsocentral Kiruna;72\n"
    "TEL;2022;Hälsocentral Piteå;79,5\n"
    "TEL;2022;Hälsocentral Sanden;80\n"
    "TEL;2022;Division Nära;78\n"  # not a health centre: the rule is on health centres
    "TEL;2022;;82\n"
)


def _assignments(session):
    return fresh(session).exec(select(Recommendation).order_by(Recommendation.id)).all()


def test_importing_a_period_gives_each_unit_below_the_threshold_one_assignment(
    world, session, make, login
):
    client = login(make.user("secretary"))
    response = import_outcomes(client, "utfall.csv", CSV.encode())
    assert response.status_code == 302
    made = _assignments(session)
    units = world["units"]
    assert [(r.unit_id, r.responsible_id) for r in made] == [
        (units["kiruna"].id, world["kiruna_manager"].id),
        (units["pitea"].id, world["chief"].id),
    ]
    for recommendation in made:
        assert recommendation.kind == "assignment"
        assert recommendation.status == "open"
        assert recommendation.source_id == world["rule"].source_id
        assert recommendation.theme == "Vårdval primärvård"
        assert recommendation.due_date == today() + timedelta(days=60)
    assert made[0].text.startswith("Hälsocentral Kiruna: Beskriv vilka åtgärder")
    assert "72 %" in made[0].text and "80 %" in made[0].text

    # The same file again, an outcome corrected by form, the rule applied by hand: nothing new.
    assert import_outcomes(client, "utfall.csv", CSV.encode()).status_code == 302
    kiruna = outcomes.find_outcome(
        session,
        indicator_id=world["rule"].indicator_id,
        year=2022,
        period="year",
        unit_id=units["kiruna"].id,
    )
    edit = client.submit(
        f"/indicators/outcomes/{kiruna.id}/edit",
        {
            "version": kiruna.version,
            "year": 2022,
            "period": "year",
            "unit_id": units["kiruna"].id,
            "value": "71",
        },
    )
    assert edit.status_code == 302
    applied = client.submit(f"/indicators/rules/{world['rule'].id}/apply", {"period": "2022"})
    assert applied.status_code == 302
    assert len(_assignments(session)) == 2
    assert session.exec(select(func.count()).select_from(ThresholdAssignment)).one() == 2

    # The assignments are the owners' work like any other.
    assert client.get(f"/recommendations/{made[0].id}").status_code == 200
    detail = client.get(f"/indicators/{world['rule'].indicator_id}").get_data(as_text=True)
    assert "Hälsocentral Kiruna" in detail and "Assignments this rule has made" in detail


def test_an_outcome_entered_in_the_form_applies_the_rule(world, session, make, login):
    client = login(make.user("admin"))
    sanden = world["units"]["sanden"]
    response = client.submit(
        f"/indicators/{world['rule'].indicator_id}/outcomes/new",
        {"year": "2023", "period": "T1", "unit_id": sanden.id, "value": "64,5"},
    )
    assert response.status_code == 302
    made = _assignments(session)
    assert [(r.unit_id, r.responsible_id) for r in made] == [(sanden.id, world["chief"].id)]
    assert "2023 T1" in made[0].text


def test_running_a_rule_twice_for_a_period_makes_nothing_twice(world, session):
    indicator = session.get(Indicator, world["rule"].indicator_id)
    for name in ("kiruna", "pitea"):
        outcomes.create_outcome(
            session,
            indicator=indicator,
            values={"year": 2022, "period": "T2", "unit_id": world["units"][name].id, "value": 50},
        )
    first = rules.apply_rule(session, world["rule"], year=2022, period="T2")
    second = rules.apply_rule(session, world["rule"], year=2022, period="T2")
    session.commit()
    assert (len(first), len(second)) == (2, 0)
    # Another period is another round.
    assert rules.apply_rule(session, world["rule"], year=2023, period="T2") == []


def test_the_unique_key_refuses_a_second_assignment_for_the_same_rule_period_and_unit(
    world, session
):
    indicator = session.get(Indicator, world["rule"].indicator_id)
    kiruna = world["units"]["kiruna"]
    outcomes.create_outcome(
        session,
        indicator=indicator,
        values={"year": 2022, "period": "T2", "unit_id": kiruna.id, "value": 50},
    )
    (made,) = rules.apply_rule(session, world["rule"], year=2022, period="T2")
    session.commit()
    session.add(
        ThresholdAssignment(
            rule_id=world["rule"].id,
            year=2022,
            period="T2",
            unit_id=kiruna.id,
            recommendation_id=made.id,
            value=50,
        )
    )
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_an_inactive_rule_makes_nothing(world, session):
    indicator = session.get(Indicator, world["rule"].indicator_id)
    outcomes.create_outcome(
        session,
        indicator=indicator,
        values={"year": 2022, "period": "T2", "unit_id": world["units"]["kiruna"].id, "value": 5},
    )
    rule = session.get(ThresholdRule, world["rule"].id)
    rules.update_rule(session, rule, version=rule.version, values={"active": False})
    assert rules.apply_rules(session, indicator_id=indicator.id, periods={(2022, "T2")}) == []


def test_a_rule_is_made_in_its_form_and_a_bad_period_is_named(world, session, make, login):
    client = login(make.user("secretary"))
    indicator_id = world["rule"].indicator_id
    empty = client.submit(f"/indicators/{indicator_id}/rules/new", {"text": "Beskriv."})
    assert empty.status_code == 400
    page = empty.get_data(as_text=True)
    assert "Give the threshold." in page and "Beskriv." in page
    made = client.submit(
        f"/indicators/{indicator_id}/rules/new",
        {
            "source_id": world["rule"].source_id,
            "comparison": "below",
            "threshold": "85",
            "unit_kind": "health_centre",
            "text": "Beskriv åtgärderna.",
            "deadline_days": "30",
            "active": "y",
        },
    )
    assert made.status_code == 302
    assert len(rules.rules_of(session, indicator_id)) == 2
    bad = client.submit(f"/indicators/rules/{world['rule'].id}/apply", {"period": "sommaren"})
    assert bad.status_code == 400
    assert "Write the period as 2022-T1" in bad.get_data(as_text=True)
