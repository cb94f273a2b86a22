"""The suite makes the PostgreSQL database TRACKER_TEST_DATABASE_URL names when it is missing."""

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.database import database_name, ensure_database
from tests.settings import DATABASE_URL


def test_a_missing_test_database_is_created():
    url = make_url(DATABASE_URL).set(database=database_name("missing"))
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
