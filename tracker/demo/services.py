"""Fill an empty database with synthetic data: the same rows for the same seed, bulk inserted.

Dates are offsets from `today`, so the calendar moves with the day it runs while ids, texts,
statuses and owners stay the same for a seed. The rows go in through SQLAlchemy Core, past the
ORM hooks: the search index is written here in bulk, and the change log gets each item's
creation and closing as the hook would have logged them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from tracker.demo.builder import _Builder
from tracker.demo.volumes import (
    ADMIN_EMAIL,
    BUSY_OWNER_EMAIL,
    CHUNK,
    MUST_BE_EMPTY,
    SECRETARY_EMAIL,
)
from tracker.models import (
    Body,
    BodySecretary,
    ChangeLog,
    ClosedItem,
    ClosingDecision,
    DateMove,
    DecisionReference,
    ImplementationGrade,
    Indicator,
    Measure,
    MeasureIndicator,
    Meeting,
    Outcome,
    PromisedMeasure,
    Recommendation,
    RecommendationMeasure,
    Response,
    ResponsePosition,
    ReviewFinding,
    Source,
    SourceAddressee,
    StatusUpdate,
    ThresholdRule,
    Unit,
    User,
    UserUnit,
)
from tracker.search import index


class NotEmpty(ValueError):
    """The database already holds rows the demo data would mix with."""


@dataclass
class Built:
    counts: dict[str, int]
    secretary: str
    busy_owner: str
    admin: str


ORDER = (
    ("body", Body),
    ("unit", Unit),
    ("user", User),
    ("meeting", Meeting),
    ("source", Source),
    ("recommendation", Recommendation),
    ("measure", Measure),
    ("recommendationmeasure", RecommendationMeasure),
    ("statusupdate", StatusUpdate),
    ("indicator", Indicator),
    ("outcome", Outcome),
    ("decisionreference", DecisionReference),
    ("sourceaddressee", SourceAddressee),
    ("measureindicator", MeasureIndicator),
    ("closingdecision", ClosingDecision),
    ("closeditem", ClosedItem),
    ("thresholdrule", ThresholdRule),
    ("implementationgrade", ImplementationGrade),
    ("datemove", DateMove),
    ("changelog", ChangeLog),
    ("body_secretary", BodySecretary),
    ("response", Response),
    ("responseposition", ResponsePosition),
    ("promisedmeasure", PromisedMeasure),
    ("reviewfinding", ReviewFinding),
    ("user_unit", UserUnit),
)
INDEXED = (
    ("source", "source"),
    ("recommendation", "recommendation"),
    ("measure", "measure"),
    ("statusupdate", "status_update"),
    ("indicator", "indicator"),
)


def build(
    connection: Connection,
    *,
    scale: float,
    seed: int,
    today: date,
    password_hash: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Built:
    """Fill the database at this scale; report (rows done, rows in all) to progress."""
    for model in MUST_BE_EMPTY:
        if connection.execute(select(func.count()).select_from(model)).scalar():
            raise NotEmpty(f"the database already has rows in {model.__tablename__}")
    builder = _Builder(connection, scale, seed, today)
    builder.bodies()
    builder.units()
    builder.users(password_hash)
    builder.meetings()
    builder.sources()
    builder.recommendations()
    builder.measures()
    builder.status_updates()
    builder.indicators()
    builder.outcomes()
    builder.date_moves()
    builder.decision_references()
    builder.source_addressees()
    builder.measure_indicators()
    builder.closing_decisions()
    builder.threshold_rules()
    builder.grades()
    builder.change_log()
    builder.body_secretaries()
    builder.responses()
    builder.review_findings()
    builder.second_units()
    rows = builder.rows
    indexed = sum(len(rows[table]) for table, _kind in INDEXED)
    total = sum(len(rows[table]) for table, _model in ORDER) + indexed
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    for table, model in ORDER:
        _insert(connection, model.__table__, rows[table], step)
    for table, kind in INDEXED:
        for chunk in _chunks(rows[table]):
            index.add(connection, kind, [SimpleNamespace(**row) for row in chunk])
            step(len(chunk))
    if connection.dialect.name == "postgresql":
        # Ids were given explicitly: move each sequence past them.
        for table, model in ORDER:
            if "id" in model.__table__.c and rows[table]:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT max(id) FROM "{table}"))'
                    )
                )
    counts = {table: len(rows[table]) for table, _model in ORDER}
    return Built(counts, SECRETARY_EMAIL, BUSY_OWNER_EMAIL, ADMIN_EMAIL)


def _chunks(rows: list[dict]):
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert(connection: Connection, table, rows: list[dict], step) -> None:
    for chunk in _chunks(rows):
        connection.execute(insert(table), chunk)
        step(len(chunk))
