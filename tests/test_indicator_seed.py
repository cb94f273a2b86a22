"""The seed holds the indicators, targets, baselines and outcomes of documents 001 and 002."""

import lxml.html
from sqlmodel import select

from tests.indicator_support import indicator_of
from tracker.config import ROOT
from tracker.indicators.seed import load_indicator_seed
from tracker.models import Indicator, MeasureIndicator, Outcome, Period, Source, ThresholdRule


def test_seed_loads_targets_and_outcomes_and_a_second_run_changes_nothing(session):
    first = load_indicator_seed(session, ROOT / "seed")
    session.commit()
    assert load_indicator_seed(session, ROOT / "seed") == first
    perspectives = set(session.exec(select(Indicator.perspective)))
    assert {"citizens", "operations"} <= perspectives

    targets = {
        "TEL-SAMMA-DAG": 95,
        "MED-BED-3D": 100,
        "EFTERKONTROLL": 85,
        "HEMBESOK": 75,
        "LAKEMEDELSGENOMGANG": 50,
    }
    for code, target in targets.items():
        assert indicator_of(session, code).target_value == target, code

    medication = indicator_of(session, "LAKEMEDELSGENOMGANG")
    outcomes = session.exec(select(Outcome).where(Outcome.indicator_id == medication.id)).all()
    assert {(o.year, o.value) for o in outcomes} == {(2021, 36), (2022, 37)}

    assessment = indicator_of(session, "MED-BED-3D")
    assert (assessment.baseline_year, assessment.baseline_period) == (2019, Period.T2)
    assert (assessment.baseline_women, assessment.baseline_men) == (91.8, 91.9)
    assert assessment.split_by_sex

    # Points 5 and 6 of the committee's decision are rules on the health centres.
    rules = session.exec(select(ThresholdRule)).all()
    assert sorted(rule.threshold for rule in rules) == [75, 80, 85]
    source = session.get(Source, rules[0].source_id)
    assert source.dnr == "HSN-00002-2023"


def test_seed_links_the_measures_that_are_loaded(session, make):
    measure = make.measure(title="Läkemedelsgenomgångar för patienter över 75 år")
    load_indicator_seed(session, ROOT / "seed")
    session.commit()
    links = session.exec(select(MeasureIndicator)).all()
    assert [(link.measure_id, link.indicator_id) for link in links] == [
        (measure.id, indicator_of(session, "LAKEMEDELSGENOMGANG").id)
    ]


def test_the_values_the_seed_assumed_are_shown_as_assumed_on_the_indicators_page(
    session, make, login
):
    load_indicator_seed(session, ROOT / "seed")
    session.commit()
    client = login(make.user("viewer", language="sv"))
    client.get("/language/sv")  # the header's link: the test browser says English

    def shown(code):
        page = client.get(f"/indicators/{indicator_of(session, code).id}").get_data(as_text=True)
        return " ".join(lxml.html.fromstring(page).text_content().split())

    # 001 is prose: the name paraphrases it and the objective is the division's framework's.
    assert "antaget Namn, Strategiskt mål, Marginal för ”delvis uppfyllt”" in (
        shown("EFTERKONTROLL")
    )
    # At most 2 is worked out from "minska med 50 % jämfört med 2020".
    assert "antaget Mål" in shown("FALLSKADOR")
    assert "antaget" not in shown("EKONOMI-BUDGET")  # "+/-0 mnkr" is the report's own
