"""Fixtures: the app on a real database (SQLite file, and PostgreSQL when configured)."""

import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.sql.ddl import sort_tables_and_constraints
from sqlmodel import SQLModel

from tests import settings
from tracker import create_app
from tracker.auth.services import create_user
from tracker.changelog import set_actor
from tracker.db import get_session
from tracker.models import (
    Body,
    DecisionReference,
    Measure,
    Meeting,
    Recommendation,
    RecommendationMeasure,
    Source,
    Unit,
)
from tracker.recommendations.services import parse_reference
from tracker.search.index import TABLE as SEARCH_TABLE

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Compile the translation catalogues, as `make install` does, if they are stale."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "tracker" / "translations"
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            # Written aside and renamed: parallel workers must never read a half-written file.
            partial = mo.with_suffix(f".{os.getpid()}.partial")
            with po.open("rb") as source, partial.open("wb") as target:
                write_mo(target, read_po(source))
            partial.replace(mo)


# Without a PostgreSQL server to test on, the test that the suite creates its database there
# is no part of the run.
collect_ignore = [] if settings.DATABASE_URL else ["test_test_database.py"]


def pytest_terminal_summary(terminalreporter):
    """Say in one line that tests were skipped for want of the seed documents, and why."""
    line = settings.seed_skips_line(terminalreporter.stats.get("skipped", []))
    if line:
        terminalreporter.write_line(line, yellow=True, bold=True)


def pytest_sessionfinish(session):
    """Stop the rate limiter's expiry timers, which the interpreter waits for on exit.

    Under faketime (.ci/run) a clock set ahead makes their 10 ms waits last until the real
    clock catches up, and the test process would never end.
    """
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()


def _backends():
    backends = ["sqlite"]
    if settings.DATABASE_URL:
        backends.append("postgresql")
    return backends


def ensure_database(url) -> None:
    """Create the PostgreSQL database the URL names if it does not exist yet."""
    url = make_url(url)
    maintenance = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        maintenance.dispose()


@pytest.fixture(scope="session", params=_backends())
def database_url(request, tmp_path_factory):
    """Create an empty database for the test session and migrate it once."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        yield url
        return
    # One per xdist worker too: each worker runs its own session of this fixture.
    with postgresql_database() as url:
        yield url


@contextmanager
def postgresql_database(purpose: str = "") -> Iterator[str]:
    """Create an empty PostgreSQL database beside TRACKER_TEST_DATABASE_URL; drop it after."""
    base = make_url(settings.DATABASE_URL)
    ensure_database(base)
    name = database_name(purpose)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def database_name(purpose: str = "") -> str:
    """Return a new database name under TRACKER_TEST_DATABASE_PREFIX, e.g. tracker_test_1a2b3c4d."""
    parts = (settings.DATABASE_PREFIX, purpose, uuid.uuid4().hex[:8])
    return "_".join(part for part in parts if part)


class QueryCounter:
    """Count the SQL statements an engine runs."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


@pytest.fixture(scope="session")
def migrated(database_url, tmp_path_factory):
    """Run the Alembic migrations once on the session's database."""
    app = create_app({"DATABASE_URL": database_url, "TESTING": True})
    with app.app_context():
        from tracker.cli import run_migrations

        run_migrations()
    app.extensions["tracker.engine"].dispose()
    return database_url


def _empty(engine) -> None:
    # Parents after children; a cycle (a unit's manager is a user of a unit) is cut by
    # clearing the one link SQLAlchemy leaves out of the order.
    order = list(sort_tables_and_constraints(SQLModel.metadata.tables.values()))
    cut = [link for table, links in order if table is None for link in links]
    # The search index is not a model table: it is emptied with the rows it indexes.
    tables = [table.name for table, _ in reversed(order) if table is not None] + [SEARCH_TABLE]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # TRUNCATE of every table took 50-170 ms a test; most tests fill a few tables, so
            # only those are emptied, and every id counts from 1 again.
            probe = " UNION ALL ".join(
                f"SELECT '{name}' FROM (SELECT 1 FROM \"{name}\" LIMIT 1) AS probe"
                for name in tables
            )
            filled = set(connection.execute(text(probe)).scalars())
            for link in cut:
                if link.table.name in filled:
                    connection.execute(
                        update(link.table).values({c.name: None for c in link.columns})
                    )
            for name in tables:
                if name in filled:
                    connection.execute(text(f'DELETE FROM "{name}"'))
            sequences = connection.execute(
                text("SELECT relname FROM pg_class WHERE relkind = 'S'")
            ).scalars()
            restarts = ", ".join(f"setval('{name}', 1, false)" for name in sequences)
            if restarts:
                connection.execute(text(f"SELECT {restarts}"))
        else:
            connection.execute(text("PRAGMA defer_foreign_keys=ON"))
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))


class CompiledTemplates(BytecodeCache):
    """Keep each template's compiled code in memory for every app this worker makes.

    Each test makes an app of its own, and each app would compile the templates it renders
    again (a quarter of the CPU time of test_auth and test_editing); the code is reused while
    the source is unchanged.
    """

    def __init__(self):
        self.codes: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket) -> None:
        checksum, code = self.codes.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket) -> None:
        self.codes[bucket.key] = (bucket.checksum, bucket.code)


TEMPLATES = CompiledTemplates()


class Client(FlaskClient):
    """A test client that sends the CSRF token with its forms, as a browser would."""

    token: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tests read the English interface; tests of the Swedish one ask for it.
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    def open(self, *args, **kwargs):
        # A fresh app context per request, as in production: the session fixture's context
        # must not lend its g (database session, signed-in user, CSRF token) to requests.
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf(self) -> str:
        if self.token is None:
            page = self.get("/login").get_data(as_text=True)
            if not CSRF.search(page):
                page = self.get("/settings").get_data(as_text=True)
            self.token = CSRF.search(page).group(1)
        return self.token

    def submit(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf())
        return self.post(url, data=data, **kwargs)


@pytest.fixture
def app(migrated, tmp_path):
    """Create an app on the migrated database, emptied before each test."""
    app = create_app(
        {
            "DATABASE_URL": migrated,
            "TESTING": True,
            "SECRET_KEY": "test",
            "BASE_URL": "http://tracker.test",
            "INSTANCE_DIR": str(tmp_path),
        }
    )
    app.test_client_class = Client
    app.jinja_env.bytecode_cache = TEMPLATES
    _empty(app.extensions["tracker.engine"])
    yield app
    app.extensions["tracker.engine"].dispose()


@pytest.fixture
def session(app):
    """Return the app's database session inside an app context."""
    with app.app_context():
        session = get_session()
        set_actor(session, None)
        yield session


def fresh(session):
    """End the session's read snapshot and forget loaded rows, to see what requests wrote."""
    session.rollback()
    session.expire_all()
    return session


@pytest.fixture
def client(app):
    return app.test_client()


class Factory:
    """Make rows with sensible defaults; every call commits."""

    def __init__(self, session):
        self.session = session
        self.count = 0

    def _next(self) -> int:
        self.count += 1
        return self.count

    def _save(self, row):
        self.session.add(row)
        self.session.commit()
        return row

    def user(self, role="owner", **values):
        n = self._next()
        values.setdefault("email", f"{role}{n}@region.example")
        values.setdefault("name", f"{role.title()} {n}")
        values.setdefault("language", "en")
        user = create_user(self.session, role=role, password=PASSWORD, **values)
        self.session.commit()
        return user

    def body(self, code="RS", name="Regionstyrelsen"):
        return self._save(Body(code=code, name=name))

    def meeting(self, body=None, held_on=date(2030, 3, 1), **values):
        return self._save(Meeting(body_id=(body or self.body()).id, held_on=held_on, **values))

    def reference(self, recommendation, body, text):
        """Record a decision reference such as "RS 170503 § 103" on a recommendation."""
        _code, decided_on, paragraph = parse_reference(text)
        return self._save(
            DecisionReference(
                recommendation_id=recommendation.id,
                body_id=body.id,
                decided_on=decided_on,
                paragraph=paragraph,
            )
        )

    def unit(self, name=None, **values):
        return self._save(Unit(name=name or f"Enhet {self._next()}", **values))

    def source(self, **values):
        values.setdefault("kind", "audit_report")
        values.setdefault("title", f"Granskning {self._next()}")
        return self._save(Source(**values))

    def recommendation(self, source=None, **values):
        source = source or self.source()
        values.setdefault("kind", "recommendation")
        values.setdefault("text", f"Regionstyrelsen bör åtgärda punkt {self._next()}.")
        return self._save(Recommendation(source_id=source.id, **values))

    def measure(self, recommendations=(), **values):
        values.setdefault("title", f"Åtgärd {self._next()}")
        values.setdefault("due_date", date(2030, 1, 31))
        measure = self._save(Measure(**values))
        for recommendation in recommendations:
            self.session.add(
                RecommendationMeasure(recommendation_id=recommendation.id, measure_id=measure.id)
            )
        self.session.commit()
        return measure


@pytest.fixture
def make(session):
    return Factory(session)


@pytest.fixture
def login(client):
    """Sign a user in on the test client."""

    def login_as(user):
        client.token = None
        response = client.submit("/login", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        client.token = None
        return client

    return login_as


@pytest.fixture(params=["admin", "secretary", "owner", "viewer"])
def role(request):
    return request.param


@pytest.fixture
def seeded(session):
    """Load the indicators, targets and outcomes of documents 001 and 002; return the session."""
    from tracker.config import ROOT
    from tracker.indicators.seed import load_indicator_seed

    load_indicator_seed(session, ROOT / "seed")
    session.commit()
    return session
