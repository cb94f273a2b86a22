"""The suite makes the PostgreSQL database TRACKER_TEST_DATABASE_URL names when it is missing."""

import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import ensure_database

URL = os.environ.get(
    "TRACKER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def test_a_missing_test_database_is_created():
    url = make_url(URL).set(database=f"tracker_missing_{uuid.uuid4().hex[:8]}")
    ensure_database(url)
    ensure_database(url)  # a second time finds it and changes nothing
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_database()")).scalar() == url.database
    finally:
        engine.dispose()
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))
        admin.dispose()
