"""The seed data in seed/*.yaml loads, loads idempotently, and says what the documents say."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, create_engine, select

from tracker.models import (
    Body,
    BodySecretary,
    DecisionReference,
    Measure,
    Meeting,
    Recommendation,
    RecommendationMeasure,
    Source,
    StatusUpdate,
    Unit,
    User,
)
from tracker.recommendations.services import parse_reference as parse_decision_reference
from tracker.seed import load_seed, seed_counts

SEED = Path(__file__).resolve().parent.parent / "seed"


@pytest.fixture
def db(tmp_path):
    """Give a session on a fresh SQLite file with the whole schema."""
    engine = create_engine(f"sqlite:///{tmp_path}/t.db")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory):
    """Load the seed and commit it once, into a SQLite file each test gets a copy of."""
    path = tmp_path_factory.mktemp("seeded") / "t.db"
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        load_seed(session, SEED)
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def seeded(seeded_file, tmp_path):
    """Give a session with the seed loaded and committed."""
    shutil.copyfile(seeded_file, tmp_path / "t.db")
    engine = create_engine(f"sqlite:///{tmp_path}/t.db")
    with Session(engine) as session:
        yield session
    engine.dispose()


def source(session, title):
    return session.exec(select(Source).where(Source.title == title)).one()


def points(session, src):
    query = select(Recommendation).where(Recommendation.source_id == src.id)
    return session.exec(query.order_by(Recommendation.id)).all()


def latest_update(session, **target):
    query = select(StatusUpdate).filter_by(**target)
    return session.exec(query.order_by(StatusUpdate.reported_on, StatusUpdate.id)).all()[-1]


def references(session, rec):
    query = select(DecisionReference, Body).join(Body, Body.id == DecisionReference.body_id)
    query = query.where(DecisionReference.recommendation_id == rec.id)
    return {
        f"{body.code} {ref.decided_on:%y%m%d} § {ref.paragraph}"
        for ref, body in session.exec(query)
    }


def test_the_boards_secretaries_are_seeded_and_marked_assumed(seeded):
    rows = seeded.exec(
        select(Body.code, User.name, Body.assumed)
        .join(BodySecretary, BodySecretary.body_id == Body.id)
        .join(User, BodySecretary.user_id == User.id)
        .order_by(Body.code)
    ).all()
    assert [(code, name) for code, name, _assumed in rows] == [
        ("HSN", "Hälso- och sjukvårdsnämndens sekreterare"),
        ("RS", "Regionstyrelsens sekreterare"),
    ]
    # No document names a secretary: both are assumed.
    assert all(assumed == ["secretaries"] for _code, _name, assumed in rows)


def test_seed_loads_and_counts(seeded):
    counts = seed_counts(seeded)
    assert counts["body"] == 3
    # The four people the documents name by function, and HSN's secretary, assumed.
    assert counts["user"] == 5
    assert counts["source"] >= 5
    assert counts["recommendation"] >= 30
    assert counts["measure"] >= 30
    assert counts["statusupdate"] >= counts["measure"]
    assert all(user.password_hash is None for user in seeded.exec(select(User)))
    assert all(user.email.endswith("@region.example") for user in seeded.exec(select(User)))


def test_loading_twice_creates_no_duplicates(db):
    first = load_seed(db, SEED)
    db.commit()
    second = load_seed(db, SEED)
    db.commit()
    assert second == first
    assert seed_counts(db) == first


def test_1177_report(seeded):
    report = source(seeded, "Granskning av regionens arbete med 1177")
    assert report.kind == "audit_report"
    assert report.response_due == date(2021, 5, 20)
    assert report.firm == "PwC"
    assert seeded.get(Body, report.issuer_id).code == "REV"
    assert seeded.get(Body, report.addressee_id).code == "RS"
    assert "inte helt är tillräcklig" in report.summary
    recs = points(seeded, report)
    assert [r.number for r in recs] == ["1", "2", "3", "4"]
    assert {r.kind for r in recs} == {"recommendation"}
    assert "1177:s e-tjänster" in recs[0].text
    assert "jämlik vård" in recs[0].text
    assert recs[1].text.endswith("telefonsamtal till 1177.")


def test_primary_care_audit_with_assignment_and_measures(seeded):
    audit = seeded.exec(
        select(Source).where(Source.dnr == "00521-2019", Source.kind == "audit_report")
    ).one()
    assert audit.title == "Temagranskning Primärvården, del 2"
    *recs, assignment = points(seeded, audit)
    assert [r.number for r in recs] == ["1", "2", "3"]
    assert {r.kind for r in recs} == {"recommendation"}
    # The board's assignment answers the same report; the document gives it no reference.
    assert assignment.kind == "assignment"
    assert assignment.status == "reported"
    assert latest_update(seeded, recommendation_id=assignment.id).text.startswith(
        "Förslag till beslut: Regionstyrelsen beslutar att godkänna vidtagna och pågående"
    )

    links = seeded.exec(
        select(RecommendationMeasure).where(
            RecommendationMeasure.recommendation_id == assignment.id
        )
    ).all()
    measures = [seeded.get(Measure, link.measure_id) for link in links]
    assert len(measures) == 4
    assert {m.theme for m in measures} == {
        "Tillgänglighet",
        "Digitalisering",
        "Spridning av förbättringsarbeten",
        "Vårdvalsersättning",
    }
    for measure in measures:
        assert latest_update(seeded, measure_id=measure.id).text
    digital = next(m for m in measures if m.theme == "Digitalisering")
    answered = seeded.exec(
        select(RecommendationMeasure).where(RecommendationMeasure.measure_id == digital.id)
    ).all()
    assert recs[1].id in {link.recommendation_id for link in answered}


def test_hsn_decision_has_six_points(seeded):
    decision = seeded.exec(select(Source).where(Source.dnr == "HSN-00002-2023")).one()
    # "Hälso- och sjukvårdsnämnden föreslår regionstyrelsen besluta att": HSN's proposal to
    # RS, followed until RS decides; not HSN's own assignments.
    assert decision.kind == "proposal"
    assert seeded.get(Body, decision.addressee_id).code == "RS"
    assert decision.paragraph == "31"
    assert seeded.get(Body, decision.issuer_id).code == "HSN"
    assert decision.issued_on is None and decision.meeting_id is None
    recs = points(seeded, decision)
    assert [r.number for r in recs] == ["1", "2", "3", "4", "5", "6"]
    assert {r.kind for r in recs} == {"proposal"}
    assert {r.status for r in recs} == {"open"}
    assert recs[0].text.startswith("Öka insatserna och resurserna för hälsofrämjande insatser")
    assert "lägre än 80 procent" in recs[4].text


def test_report_back_2017(seeded):
    plan = source(seeded, "Stabsplan")  # the document's word, in its decision column
    decisions = source(seeded, "Regionstyrelsens uppdrag till regiondirektören 2017")
    recs = points(seeded, plan) + points(seeded, decisions)
    assert 18 <= len(recs) <= 24
    assert [r.id for r in recs] == sorted(r.id for r in recs)
    assert recs[0].theme == "Strategier"
    assert recs[-1].theme.startswith("Revisionsrapport Intern kontroll")

    october = seeded.exec(select(Meeting).where(Meeting.held_on == date(2017, 10, 31))).one()
    december = seeded.exec(select(Meeting).where(Meeting.held_on == date(2017, 12, 19))).one()
    assert plan.assumed == []
    director = seeded.exec(select(User).where(User.name == "Regiondirektören")).one()
    for rec in recs:
        assert rec.kind == "assignment"
        assert rec.responsible_id == director.id
        update = latest_update(seeded, recommendation_id=rec.id)
        assert update.reported_on == date(2017, 12, 19)
        assert update.author_id == director.id and update.author_name == "Regiondirektören"
        # The report went to the meeting of 2017-12-19: each item was reported there.
        assert update.meeting_id == december.id
        # The document gives a status text, not a status: every item is left open.
        assert rec.status == update.status == "open"
    # Only the deadlines the document gives; no invented "RS 2017-12-19" for all.
    by_reference = {frozenset(references(seeded, rec)): rec for rec in points(seeded, decisions)}
    legitimation = by_reference[frozenset({"RS 171003 § 186"})]
    assert legitimation.due_meeting_id == october.id and legitimation.due_date is None
    e_services = by_reference[frozenset({"RS 171003 § 184"})]
    assert (e_services.due_period, e_services.due_date) == ("våren 2018", date(2018, 6, 30))
    assert e_services.assumed == ["due_date"]
    assert by_reference[frozenset({"RS 170301 § 52", "RS 170607 § 131"})].recurrence == (
        "every_meeting"
    )
    assert by_reference[frozenset({"RS 170607 § 139"})].recurrence == "yearly"
    given = {legitimation.id, e_services.id}
    assert all(
        rec.due_date is None and rec.due_meeting_id is None for rec in recs if rec.id not in given
    )

    assert all(not references(seeded, rec) for rec in points(seeded, plan))
    assert all(references(seeded, rec) for rec in points(seeded, decisions))
    economy = next(r for r in recs if r.theme == "Återkoppling regiondirektörens uppdrag")
    assert references(seeded, economy) == {"RS 170301 § 52", "RS 170607 § 131"}


def test_division_measures_carry_their_comments(seeded):
    division = seeded.exec(select(Unit).where(Unit.name == "Division Nära")).one()
    measures = seeded.exec(
        select(Measure).where(Measure.unit_id == division.id).order_by(Measure.id)
    ).all()
    assert len(measures) >= 25
    assert {m.theme for m in measures} == {"Medborgare", "Verksamhet", "Medarbetare", "Ekonomi"}
    for measure in measures:
        assert measure.goal and measure.description
        update = latest_update(seeded, measure_id=measure.id)
        assert update.reported_on == date(2022, 8, 31)
        assert update.status == measure.status
    evening = next(m for m in measures if m.number == "3")
    assert evening.goal == "Se över möjligheten till kvällsöppna hälsocentraler."
    assert "Rekrytering pågår" in latest_update(seeded, measure_id=evening.id).text


# A word broken over a line ("Temagransk-\nning") or rejoined with a space ("Temagransk- ning");
# real hyphens are followed by "och", "eller", "samt" ("hälso- och sjukvård"), and 002 writes
# "synfält- tryck och fotoundersökningar".
LINE_BREAK_HYPHEN = re.compile(r"\w-\s*\n\s*\w")
SPACED_HYPHEN = re.compile(r"\w- (?!(?:och|eller|samt|tryck)\b)\w")
SPACING_GLITCHES = ("11 77", "e-tj änster", "j ärnlik", " :s", "  ")


def test_no_text_has_extraction_artefacts(seeded):
    checked = 0
    for model in (Source, Recommendation, Measure, StatusUpdate, Unit, User, Body, Meeting):
        for row in seeded.exec(select(model)):
            for field, value in row.model_dump().items():
                if not isinstance(value, str):
                    continue
                checked += 1
                where = f"{model.__name__} {row.id} {field}: {value[:80]!r}"
                assert not LINE_BREAK_HYPHEN.search(value), where
                assert not SPACED_HYPHEN.search(value), where
                assert not any(glitch in value for glitch in SPACING_GLITCHES), where
                assert value == value.strip(), where
    assert checked > 500


def test_seed_files_have_no_hyphenated_line_ends():
    for path in SEED.glob("*.yaml"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            assert not re.search(r"[a-zåäö]-$", line), f"{path.name}:{number}: {line}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RS 170301 § 52", ("RS", date(2017, 3, 1), "52")),
        ("RS 170301, § 52", ("RS", date(2017, 3, 1), "52")),
        ("HSN 20230215 §31", ("HSN", date(2023, 2, 15), "31")),
        ("RS 2019-04-03 § 95", ("RS", date(2019, 4, 3), "95")),
    ],
)
def test_parse_decision_reference(text, expected):
    assert parse_decision_reference(text) == expected


@pytest.mark.parametrize("text", ["", "RS § 52", "RS 170301", "RS 171301 § 5", "170301 § 52"])
def test_parse_decision_reference_rejects_bad_ones(text):
    with pytest.raises(ValueError, match="decision reference"):
        parse_decision_reference(text)
