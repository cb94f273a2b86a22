"""Goal fulfilment, trend, the women/men gap and units below target, computed from the seeded
numbers of documents 001 and 002 (never typed)."""

import pytest
from sqlmodel import select

from tests.indicator_support import indicator_of, unit_of
from tracker.indicators.services import fulfilment, outcomes, queries
from tracker.models import Unit


def _series(session, code, unit=None):
    indicator = indicator_of(session, code)
    unit_id = unit_of(session, unit).id if unit else None
    views = queries.outcome_series(session, indicator, unit_id=unit_id)
    return {(v.outcome.year, v.outcome.period): v for v in views}


def test_telephone_access_81_against_95_is_not_met_and_fell(seeded):
    division = _series(seeded, "TEL-SAMMA-DAG", "Division Nära")
    august = division[(2022, "T2")]
    assert august.total == 81
    assert august.fulfilment == fulfilment.NOT_MET
    assert (august.trend.change, august.trend.better) == (-1, False)  # 82 % in Jan-Aug 2021

    county = _series(seeded, "TEL-SAMMA-DAG")[(2022, "year")]
    assert (county.total, county.fulfilment) == (82, fulfilment.NOT_MET)
    assert (county.trend.change, county.trend.better) == (1, True)  # 81 % in 2021


def test_medical_assessment_92_against_100_is_not_met_unchanged_and_equal(seeded):
    county = _series(seeded, "MED-BED-3D")[(2022, "year")]
    assert county.fulfilment == fulfilment.NOT_MET
    assert county.trend.direction == "same"
    august = _series(seeded, "MED-BED-3D", "Division Nära")[(2022, "T2")]
    assert (august.outcome.women, august.outcome.men, august.gap) == (92, 92, 0)
    assert august.women_fulfilment == august.men_fulfilment == fulfilment.NOT_MET
    # The baseline, T2 2019, is not the same period last year: no trend.
    assert august.trend is None


def test_sex_gap_and_fulfilment_by_sex(seeded):
    palliative = _series(seeded, "PALLIATIV-STRATEGI", "Division Nära")[(2022, "T2")]
    assert palliative.gap == -5  # women 47 %, men 52 %
    assert palliative.total is None  # a percentage is not the sum of women and men
    assert palliative.fulfilment == fulfilment.NOT_MET  # both below 70 %

    lifestyle = _series(seeded, "LEVNADSVANOR-HJARTKARL")[(2022, "year")]
    assert lifestyle.gap == -5  # women 67 %, men 72 %
    assert lifestyle.men_fulfilment == fulfilment.MET
    assert lifestyle.women_fulfilment == fulfilment.PARTLY_MET  # within 5 points of 70 %
    assert lifestyle.fulfilment == fulfilment.PARTLY_MET  # the worse of the two


def test_separate_targets_for_women_and_men(seeded):
    readmissions = _series(seeded, "ATERINSKRIVNING-65", "Division Nära")
    april = readmissions[(2022, "T1")]
    assert april.women_fulfilment == fulfilment.MET  # 14.7 % against at most 16 %
    assert april.men_fulfilment == fulfilment.NOT_MET  # 23.1 % against at most 17.2 %
    assert april.fulfilment == fulfilment.NOT_MET


def test_partly_met_within_the_margin(seeded):
    participation = _series(seeded, "SIP-DELTAGIT", "Division Nära")[(2022, "T2")]
    assert (participation.total, participation.fulfilment) == (75, fulfilment.PARTLY_MET)


def test_direction_targets_compare_with_the_same_period_a_year_before(seeded):
    violence = _series(seeded, "VALD-FRAGA", "Division Nära")[(2022, "T2")]
    assert violence.total == 1179 + 462  # a count is the sum of women and men
    assert violence.trend.change == (1179 + 462) - (1305 + 650)
    assert violence.fulfilment == fulfilment.NOT_MET  # the target is to increase
    assert violence.women_trend.change == 1179 - 1305

    emergency = _series(seeded, "AKUT-80", "Division Nära")[(2022, "T1")]
    # No outcome for T1 2021, but the baseline is T1 2021 (3 498 visits): it stands in.
    assert emergency.trend.change == 3454 - 3498
    assert emergency.fulfilment == fulfilment.MET  # the target is to decrease

    hired = _series(seeded, "INHYRDA-ANDEL", "Division Nära")[(2022, "T2")]
    assert hired.trend.better is False
    assert hired.fulfilment == fulfilment.NOT_MET


def test_units_below_target_for_a_period(seeded):
    indicator = indicator_of(seeded, "MED-BED-3D")
    report = queries.units_report(seeded, indicator, year=2022, period="year")
    names = [result.unit.name for result in report.results]
    assert names[-1] == "Hälsocentral Kiruna"  # 68 %, the lowest
    # "Cederkliniken, Piteå och Sandens hälsocentral": two health centres, no unit for Piteå.
    assert names == ["Cederkliniken", "Hälsocentral Sanden", "Hälsocentral Kiruna"]
    assert not seeded.exec(select(Unit).where(Unit.name.contains("Piteå"))).all()
    assert [r.view.total for r in report.results] == [99, 99, 68]
    assert (report.reaching, report.judged) == (0, 3)  # the target is 100 %
    assert report.below[0].unit.name == "Hälsocentral Kiruna"


def test_units_reaching_the_target_are_counted(session, make):
    indicator = outcomes.create_indicator(
        session,
        values={
            "code": "EK",
            "name": "Efterkontroll",
            "perspective": "citizens",
            "target_value": 85,
        },
    )
    for name, value in (("A", 90), ("B", 85), ("C", 70)):
        unit = make.unit(f"Hälsocentral {name}", kind="health_centre")
        outcomes.create_outcome(
            session,
            indicator=indicator,
            values={"year": 2022, "period": "year", "unit_id": unit.id, "value": value},
        )
    session.commit()
    report = queries.units_report(session, indicator, year=2022, period="year")
    assert (report.reaching, report.judged) == (2, 3)
    assert [r.unit.name for r in report.below] == ["Hälsocentral C"]


@pytest.mark.parametrize(
    ("kind", "target", "margin", "value", "previous", "expected"),
    [
        ("at_least", 85, 0, 85, None, fulfilment.MET),
        ("at_least", 85, 0, 84.9, None, fulfilment.NOT_MET),
        ("at_least", 85, 5, 80, None, fulfilment.PARTLY_MET),
        ("at_most", 7, 5, 36, None, fulfilment.NOT_MET),
        ("increase", None, 0, 10, 10, fulfilment.NOT_MET),
        ("increase", None, 1, 9.5, 10, fulfilment.PARTLY_MET),
        ("decrease", None, 0, 9, 10, fulfilment.MET),
        ("increase", None, 0, 9, None, fulfilment.UNKNOWN),
        ("at_least", None, 0, 9, None, fulfilment.UNKNOWN),
    ],
)
def test_judging_a_value(kind, target, margin, value, previous, expected):
    assert fulfilment.judge(kind, target, margin, value, previous) == expected
