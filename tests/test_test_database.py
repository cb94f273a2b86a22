"""The suite makes its PostgreSQL database when missing, and rolls back what each test wrote."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from tests.database import database_name, empty, ensure_database
from tests.settings import DATABASE_URL
from tracker.db import session_scope
from tracker.models import Body


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


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_what_a_test_commits_is_rolled_back_and_no_other_connection_sees_it(worker_app):
    engine, connection = worker_app.rolled_back
    app = worker_app.app
    empty(worker_app.engine)
    connection.begin()
    try:
        app.extensions["tracker.engine"] = engine
        with app.app_context():
            with session_scope() as session:  # its COMMIT releases the test's savepoint
                session.add(Body(code="RS", name="Regionstyrelsen"))
            with session_scope() as session:
                assert session.exec(select(Body.code)).all() == ["RS"]
        assert _bodies(worker_app.engine) == 0  # the scheduler or gunicorn would see nothing
    finally:
        connection.end()
        app.extensions["tracker.engine"] = worker_app.engine
    assert _bodies(worker_app.engine) == 0


def _bodies(engine) -> int:
    with engine.connect() as other:
        return other.execute(text("SELECT count(*) FROM body")).scalar()
