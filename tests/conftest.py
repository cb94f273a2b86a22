"""Fixtures: the app on a real database (SQLite file, and PostgreSQL when configured)."""

import os
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests import settings
from tests.database import (
    SeedCopies,
    TestConnection,
    database_name,
    empty,
    ensure_database,
    postgresql_database,
    rolled_back_engine,
)
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


# Kept under their old names for the tests that import them from here.
_empty = empty
__all__ = ["database_name", "ensure_database", "postgresql_database"]


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


@dataclass
class WorkerApp:
    """The one app of a worker on one database, with its engines."""

    url: str
    instance: str
    app: Flask | None = None
    engine: Engine | None = None  # commits: for tests whose processes or engines read it
    rolled_back: tuple[Engine, TestConnection] | None = None  # PostgreSQL: one a test
    seeds: SeedCopies = field(default_factory=SeedCopies)

    def build(self) -> Flask:
        """Create the app, again after a test added a route to the last one."""
        if self.engine is not None:
            self.engine.dispose()
        self.app = create_app(
            {
                "DATABASE_URL": self.url,
                "TESTING": True,
                "SECRET_KEY": "test",
                "BASE_URL": "http://tracker.test",
                "INSTANCE_DIR": self.instance,
            }
        )
        self.app.test_client_class = Client
        self.engine = self.app.extensions["tracker.engine"]
        return self.app


@pytest.fixture(scope="session")
def worker_app(migrated, tmp_path_factory):
    """Create the worker's app once: building one per test compiled every route and query."""
    worker = WorkerApp(migrated, str(tmp_path_factory.mktemp("instance")))
    worker.build()
    if worker.engine.dialect.name == "postgresql":
        worker.rolled_back = rolled_back_engine(migrated)
    yield worker
    worker.engine.dispose()
    if worker.rolled_back:
        worker.rolled_back[0].dispose()
        worker.rolled_back[1].handle.close()


# Fixtures that start processes or servers, or open engines of their own, on the database:
# a test that asks for one of them (or is marked `committed`) runs on committed data.
OWN_CONNECTIONS = {"migrated", "database_url"}


def commits(request) -> bool:
    """Say whether the test needs committed data: other connections cannot see a transaction."""
    if request.node.get_closest_marker("committed"):
        return True
    info = request.node._fixtureinfo
    if OWN_CONNECTIONS & set(info.argnames):
        return True
    return any(
        OWN_CONNECTIONS & set(definitions[-1].argnames)
        for name, definitions in info.name2fixturedefs.items()
        if definitions and name not in {"app", "worker_app", *OWN_CONNECTIONS}
    )


@pytest.fixture
def app(worker_app, tmp_path, request):
    """Return the worker's app on an empty database; what a test changes is undone after it.

    On PostgreSQL the test runs in a transaction rolled back at its end; on SQLite, and for
    tests that need committed data, the filled tables are emptied before it.
    """
    app = worker_app.app
    config = dict(app.config)
    routes = len(app.view_functions)
    # A test may add a route of its own (test_conflicts does); it gets a new app after it.
    app._got_first_request = False
    app.config["INSTANCE_DIR"] = str(tmp_path)
    app.extensions["tracker.limiter"].reset()
    app.extensions.pop("tracker.signin_memory", None)
    # Tests that commit, and tests with apps of their own, may have left rows: a probe of
    # one statement finds them (nothing, after a rolled-back test).
    empty(worker_app.engine)
    rolled_back = None if commits(request) else worker_app.rolled_back
    if rolled_back:
        app.extensions["tracker.engine"] = rolled_back[0]
        rolled_back[1].begin()
    try:
        yield app
    finally:
        if rolled_back:
            rolled_back[1].end()
        app.extensions["tracker.engine"] = worker_app.engine
        app.config.clear()
        app.config.update(config)
        if len(app.view_functions) != routes:
            worker_app.build()


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
def seed(worker_app, session):
    """Return seed(name, load): load runs once per worker, later tests get a copy of its rows."""
    return lambda name, load: worker_app.seeds.load(session, name, load)


@pytest.fixture
def seeded(seed, session):
    """Load the indicators, targets and outcomes of documents 001 and 002; return the session."""
    from tracker.config import ROOT
    from tracker.indicators.seed import load_indicator_seed

    seed("indicators", lambda: load_indicator_seed(session, ROOT / "seed"))
    return session
