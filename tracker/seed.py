"""Load the structured data in seed/*.yaml, taken from the source documents, into the database.

common.yaml (bodies, units, users) is read first, then every other *.yaml in name order.
A document's file may hold these sections (see the files for examples):

    report       defaults (reported_on, author, meeting: the meeting they were reported at,
                 "RS 2017-12-19") for the status updates in the file
    meetings     body, held_on, title
    sources      kind, title, dnr, issuer, addressee (or addressees: a list), meeting
                 ("RS 2017-12-19"), paragraph,
                 issued_on, auditors, firm, response_due, summary, defaults (for its
                 recommendations), recommendations
    defaults     defaults for the file's measures
    measures     number, title, description, goal, theme, owner, unit, start_date, due_date,
                 status, judgement, answers (recommendation keys), status_updates

A recommendation has key (for measures' answers), number, kind, text, theme, responsible,
unit, status, due_date, due_meeting, recurrence (every_meeting, yearly), due_body, due_period
("våren 2018", with due_date its latest day), references ("RS 170301 § 52"), status_updates and
proposed_decision; a status update has reported_on, author, status, judgement and text.
Sources, recommendations and measures may list under `assumed` the fields whose values the
document does not give: they are stored so, and shown as assumed.
Users are named by e-mail, units by name, bodies by code; other keys are kept in the files for
the record and ignored here. Without a status, a row takes the status of its last update.

Loading is idempotent: each row is looked up by its natural key and only created when missing,
so running it again neither duplicates rows nor overwrites what users have changed since.
"""

from pathlib import Path

import yaml
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.models import (
    Body,
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
from tracker.seed_loader import _Loader

SEEDED_MODELS = (
    Body,
    Unit,
    User,
    Meeting,
    Source,
    Recommendation,
    DecisionReference,
    Measure,
    RecommendationMeasure,
    StatusUpdate,
)


def seed_counts(session: Session) -> dict[str, int]:
    """Return the number of rows in each table that the seed writes."""
    return {
        model.__tablename__: session.exec(select(func.count()).select_from(model)).one()
        for model in SEEDED_MODELS
    }


def load_seed(session: Session, folder: Path) -> dict[str, int]:
    """Create the rows described by the seed files in folder; return the row counts.

    Flushes but does not commit: the caller owns the transaction.
    """
    folder = Path(folder)
    common = folder / "common.yaml"
    if not common.exists():
        raise FileNotFoundError(f"No common.yaml in {folder}")
    loader = _Loader(session)
    files = [common] + sorted(p for p in folder.glob("*.yaml") if p.name != "common.yaml")
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        try:
            loader.load_file(data)
        except KeyError as exc:
            raise ValueError(f"{path.name}: a required field is missing: {exc}") from exc
        except ValueError as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
    return seed_counts(session)


def all_seed_counts(session: Session) -> dict[str, int]:
    """Return the row counts of every table the documents' and the indicators' seed write."""
    from tracker.indicators.seed import SEEDED_MODELS as INDICATOR_MODELS

    counts = seed_counts(session)
    for model in INDICATOR_MODELS:
        counts[model.__tablename__] = session.exec(select(func.count()).select_from(model)).one()
    return counts


def load_all(session: Session, folder: Path) -> dict[str, int]:
    """Load the documents' seed, then the indicators; return the row counts."""
    from tracker.indicators.seed import load_indicator_seed

    load_seed(session, folder)
    # After the documents: the indicators link to measures the documents made.
    indicators = load_indicator_seed(session, folder)
    return seed_counts(session) | indicators
