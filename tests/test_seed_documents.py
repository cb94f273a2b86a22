"""The seed holds what the documents say: its texts and numbers are read back from them."""

import re

import pytest
import yaml
from sqlmodel import select

from tests.settings import seed_document
from tracker.config import ROOT
from tracker.indicators.seed import load_indicator_seed
from tracker.models import Indicator, Measure, Outcome, Source
from tracker.seed import load_seed

SEED = ROOT / "seed"
# Words the PDF extraction broke and the seed mends: "j ärnlik" is "jämlik", "I l Luleå" "I Luleå".
MENDED = {"j ärnlik": "jämlik", "I l Luleå": "I Luleå"}
# The seed's fields that hold the documents' own words; an indicator's description is the
# seed's note on how its table was read, and a measure's title is written for it (assumed).
WORDS = ("text", "goal", "description", "summary", "title", "proposed_decision")
INDICATOR_WORDS = ("name", "objective", "success_factor")
# A yaml key and the field that `assumed` names for it.
FIELD = {"owner": "owner_id", "unit": "unit_id", "responsible": "responsible_id"}


def document(number: str) -> str:
    text = seed_document(number).read_text(encoding="utf-8")
    for broken, mended in MENDED.items():
        text = text.replace(broken, mended)
    return text


def letters(text: str) -> str:
    """Keep only letters and digits: line breaks, hyphenation and spacing are the PDF's."""
    return re.sub(r"[\W_]+", "", text.lower())


def without_parentheses(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)


def numbers_in(text: str) -> set[float]:
    """Return every number the text writes: "18 464", "91,8", "16.9", "-31"."""
    found = set()
    for match in re.finditer(r"[-−]?\d{1,3}(?: \d{3})+(?!\d)|[-−]?\d+(?:[.,]\d+)?", text):
        written = match.group().replace(" ", "").replace(",", ".").replace("−", "-")
        found.add(float(written))
        found.add(abs(float(written)))
    return found


def said(words: str, text: str) -> bool:
    """Tell whether the document says these words, line by line, as the seed holds them."""
    haystack, bare = letters(text), letters(without_parentheses(text))
    return all(
        letters(line) in haystack or letters(without_parentheses(line)) in bare
        for line in words.splitlines()
        if letters(line)
    )


def texts(node):
    """Yield (path, words) for each field of the seed file that holds a document's words."""
    if isinstance(node, dict):
        assumed = node.get("assumed") or ()
        for key, value in node.items():
            if isinstance(value, str) and key in WORDS and FIELD.get(key, key) not in assumed:
                yield key, value
            elif isinstance(value, dict | list) and key != "defaults":
                yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


@pytest.mark.parametrize("path", sorted(SEED.glob("0*.yaml")), ids=lambda path: path.name[:3])
def test_the_seeds_words_are_the_documents_but_where_marked_assumed(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults") or {}
    text = document(path.name[:3])
    checked = 0
    for item in data.get("measures") or []:
        item = defaults | item
        for key, value in texts({key: v for key, v in item.items() if key != "status_updates"}):
            assert said(value, text), f"{path.name}: measure {key}: {value[:80]!r}"
            checked += 1
    rest = {key: value for key, value in data.items() if key not in ("measures", "defaults")}
    for item in data.get("measures") or []:
        rest.setdefault("updates", []).extend(item.get("status_updates") or [])
    for key, value in texts(rest):
        assert said(value, text), f"{path.name}: {key}: {value[:80]!r}"
        checked += 1
    assert checked


def test_what_the_seed_assumes_for_002_is_stored_as_assumed(session):
    load_seed(session, SEED)
    session.commit()
    plan = session.exec(select(Source).where(Source.title.contains("strategiska"))).one()
    assert plan.assumed == ["title", "summary"]
    measures = session.exec(select(Measure).where(Measure.goal != "")).all()
    assert len(measures) >= 25
    # Only the third row's number survived the extraction ("3 Se över möjligheten ...").
    evening = next(m for m in measures if m.goal.startswith("Se över möjligheten till kvällsöppna"))
    assert evening.number == "3" and "number" not in evening.assumed
    assert re.search(r"\n3 Se över möjligheten till kvällsöppna", document("002"))
    for measure in measures:
        assert {"title", "owner_id", "status"} <= set(measure.assumed), measure.title
        if measure is not evening:
            assert "number" in measure.assumed, measure.title
        if measure.judgement:
            assert "judgement" in measure.assumed, measure.title


INDICATOR_FILES = {
    "001": "001_vardval_primarvard_2022.yaml",
    "002": "002_division_nara_styrmatt_2022.yaml",
}


def indicator_file(number: str) -> dict:
    return yaml.safe_load((SEED / "indicators" / INDICATOR_FILES[number]).read_text("utf-8"))


def seeded_indicators(session, number: str, seed=None) -> dict[str, Indicator]:
    """Load the indicator seed; return the indicators the document's file defines, by code.

    With seed (the fixture) a copy of the seed's rows, when this worker loaded it before.
    """
    if seed is None:
        load_indicator_seed(session, SEED)
        session.commit()
    else:
        seed("indicators", lambda: load_indicator_seed(session, SEED))
    codes = [item["code"] for item in indicator_file(number)["indicators"]]
    return {
        indicator.code: indicator
        for indicator in session.exec(select(Indicator).where(Indicator.code.in_(codes)))
    }


@pytest.fixture
def indicators(seed, session):
    return seeded_indicators(session, "002", seed)


@pytest.mark.parametrize("number", sorted(INDICATOR_FILES))
def test_the_indicators_words_and_targets_are_the_documents_but_where_marked_assumed(
    session, number
):
    text = document(number)
    written = numbers_in(text)
    seeded = seeded_indicators(session, number)
    assert len(seeded) >= 8
    for code, indicator in seeded.items():
        for field in INDICATOR_WORDS:
            value = getattr(indicator, field)
            assert value, f"{code} has no {field}"
            assert field in indicator.assumed or said(value, text), f"{code} {field}: {value!r}"
        # No document gives a margin for "partly met": every one is the seed's choice.
        assert not indicator.margin or "margin" in indicator.assumed, code
        if "target_value" not in indicator.assumed:
            for part in ("target_value", "target_women", "target_men"):
                value = getattr(indicator, part)
                assert value is None or value in written, f"{code} {part}: {value}"


def test_001s_outcomes_are_numbers_the_committee_writes_or_their_sums():
    text = " ".join(document("001").split())
    written = numbers_in(text)

    def number(pattern: str) -> int:
        return int(re.search(pattern, text).group(1).replace(" ", ""))

    # Sums of the parts the text gives; each outcome's note names the parts.
    women, men = number(r"har (\d[\d ]*) kvinnor"), number(r"kvinnor och (\d[\d ]*) män")
    talks_2021 = women + men + number(r"vilket är (\d+) personer färre")
    visits_2022 = number(r"har (\d+ \d{3}) vårdkontakter skett") + number(
        r"samt (\d+) vårdkontakter"
    )
    visits_2021 = number(r"Då var det (\d+) besök") + number(r"filialerna och (\d[\d ]*) besök")
    sums = {
        ("SAMTALSBEHANDLING", "2021"): talks_2021,
        ("FILIAL-BESOK", "2021"): visits_2021,
        ("FILIAL-BESOK", "2022"): visits_2022,
    }
    data = indicator_file("001")
    rows = [
        {"indicator": item["code"], **outcome}
        for item in data["indicators"]
        for outcome in item.get("outcomes") or []
    ] + data["outcomes"]
    assert len(rows) >= 15
    for row in rows:
        key = (row["indicator"], str(row["period"]))
        for part in ("value", "women", "men"):
            value = row.get(part)
            assert value is None or value in written or sums.get(key) == value, f"{key} {part}"


def test_002s_targets_baselines_and_outcomes_are_numbers_the_report_writes(session, indicators):
    written = numbers_in(document("002"))
    for code, indicator in indicators.items():
        values = {
            "target": indicator.target_value,
            "target women": indicator.target_women,
            "target men": indicator.target_men,
            "baseline": indicator.baseline_value,
            "baseline women": indicator.baseline_women,
            "baseline men": indicator.baseline_men,
        }
        # The division's own outcomes: the county's come from document 001.
        outcomes = session.exec(
            select(Outcome).where(
                Outcome.indicator_id == indicator.id,
                Outcome.unit_id == indicator.responsible_unit_id,
            )
        )
        for outcome in outcomes:
            for part in ("value", "women", "men"):
                values[f"{outcome.year} {outcome.period} {part}"] = getattr(outcome, part)
        if code == "FALLSKADOR":
            # "Minska med 50% jämfört med 2020", and 2020 was "Helår 2020=4": at most 2.
            assert re.search(r"Minska\s+med 50%", document("002"))
            year_2020 = re.search(r"Helår\s+2020=(\d+)", document("002"))
            assert values.pop("target") == int(year_2020.group(1)) * 0.5
            assert "target_value" in indicator.assumed
        for name, value in values.items():
            assert value is None or value in written, f"{code} {name}: {value}"


def test_002s_baseline_pairs_and_budget_row_are_the_reports(session, indicators):
    text = " ".join(document("002").split())
    # "Ingångsvärde 2019: T1 K 89,7% M 89,2% T1 K 91,8% M 91,7% T2 K91,8% M 91,9%"
    pairs = re.search(r"Ingångs- värde 2019: (.*?) DÅ04", text).group(1)
    found = re.findall(r"(T\d) K ?([\d,]+)% M ([\d,]+)%", pairs)
    assert [pair[1:] for pair in found] == [("89,7", "89,2"), ("91,8", "91,7"), ("91,8", "91,9")]
    assessment = indicators["MED-BED-3D"]
    period, women, men = found[-1]
    assert (assessment.baseline_period, assessment.baseline_year) == (period, 2019)
    assert (assessment.baseline_women, assessment.baseline_men) == (
        float(women.replace(",", ".")),
        float(men.replace(",", ".")),
    )
    # Every pair the report gives is kept where a reader sees it, beside the one used.
    for pair in found:
        assert "K {} % M {} %".format(*pair[1:]) in assessment.description
    # "Besök 80 år och äldre på akutmottagning ... Ingångsvärde år T1 2021 3498 18%"
    visits, share = re.search(r"värde år T1 2021 (\d+) (\d+)%", text).groups()
    emergency = indicators["AKUT-80"]
    assert emergency.baseline_value == int(visits) and f"{share} %" in emergency.description
    # The economy row: "+/-0 mnkr" against "-31 mnkr", in millions of kronor.
    target, outcome = re.search(r"budget \+/-(\d+) mnkr DÅ04,08 ,ÅR (-\d+) mnkr", text).groups()
    budget = indicators["EKONOMI-BUDGET"]
    assert budget.measure_unit == "msek" and budget.target_value == int(target)
    assert budget.objective == "Långsiktigt hållbar ekonomi"
    seeded = session.exec(select(Outcome.value).where(Outcome.indicator_id == budget.id)).all()
    assert seeded == [int(outcome)]
