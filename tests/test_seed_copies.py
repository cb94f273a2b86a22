"""A test's copy of the seed is the seed, ids and all, whatever the tests before it changed."""

import pytest
import yaml
from sqlmodel import func, select

from tests.database import SeedCopies, _take, empty
from tracker.config import ROOT
from tracker.models import Indicator, Outcome
from tracker.seed import load_seed

CODE = "TEL-SAMMA-DAG"


def indicators_in_the_seed() -> dict[str, str]:
    """Return the seed files' indicators, name by code."""
    return {
        item["code"]: item["name"]
        for path in sorted((ROOT / "seed" / "indicators").glob("*.yaml"))
        for item in yaml.safe_load(path.read_text("utf-8"))["indicators"]
    }


def outcomes(session, indicator_id: int) -> int:
    return session.exec(select(func.count()).where(Outcome.indicator_id == indicator_id)).one()


def the_seed_then_changed(session) -> None:
    """Find the seed's indicators as the files give them, then change, add and delete rows."""
    seed = indicators_in_the_seed()
    rows = session.exec(select(Indicator).order_by(Indicator.id)).all()
    assert {row.code: row.name for row in rows} == seed
    # Ids count from 1 in the files' order, as `flask seed` gives them.
    assert [row.id for row in rows] == list(range(1, len(seed) + 1))
    indicator = next(row for row in rows if row.code == CODE)
    assert outcomes(session, indicator.id) > 0
    indicator.name = "Changed by a test"
    for outcome in session.exec(select(Outcome).where(Outcome.indicator_id == indicator.id)):
        session.delete(outcome)
    session.add(Indicator(code="ADDED", name="Added by a test", perspective="citizens"))
    session.commit()
    assert session.exec(select(Indicator).where(Indicator.code == CODE)).one().name != seed[CODE]


# Whichever of the two runs second (pytest-randomly orders them either way) reads the rows
# the first one changed, if a copy were not the seed's.
def test_a_seeded_test_changes_rows_the_next_one_must_not_see(seeded):
    the_seed_then_changed(seeded)


def test_another_seeded_test_changes_rows_the_first_one_must_not_see(seeded):
    the_seed_then_changed(seeded)


@pytest.mark.parametrize("run", [1, 2])
def test_a_copy_of_the_document_seed_is_the_seed_it_copies(app, session, run):
    copies = SeedCopies()
    copies.load(session, "documents", lambda: load_seed(session, ROOT / "seed"))
    loaded = copies.taken["documents"]
    assert len(loaded.tables) > 10 and loaded.search
    session.close()
    empty(app.extensions["tracker.engine"])
    copies.load(session, "documents", lambda: pytest.fail("copied, not loaded again"))
    assert _take(session.connection()) == loaded
