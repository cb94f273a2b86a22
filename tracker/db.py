"""The database engine, one session per request, and SQLite's pragmas."""

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    """Create an engine; on SQLite, set WAL, a busy timeout, foreign keys, BEGIN IMMEDIATE."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    _create_private(make_url(url).database)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writer takes the write lock at the start, so that two writers wait for each
        # other instead of one failing midway; readers begin deferred and never block.
        write = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _create_private(path: str | None) -> None:
    """Create a missing SQLite file readable by its owner only; SQLite's journals follow it."""
    if path and path != ":memory:" and not path.startswith("file:") and not os.path.exists(path):
        # A missing folder stays missing: the database is then unavailable, as SQLite says.
        with suppress(FileExistsError, FileNotFoundError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def init_app(app: Flask) -> None:
    """Bind an engine to the app, register the session hooks, close sessions at teardown."""
    from tracker import changelog, date_moves
    from tracker.search import index

    app.extensions["tracker.engine"] = make_engine(app.config["DATABASE_URL"])
    # Every flush writes the change log and keeps the search index current, in its own
    # transaction (docs/decisions/0011-session-hooks-registered-by-the-app.md).
    changelog.register()
    index.register()
    date_moves.register()

    @app.teardown_appcontext
    def _close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def engine() -> Engine:
    """Return the current app's engine."""
    return current_app.extensions["tracker.engine"]


def _bind(write: bool) -> Engine:
    return engine().execution_options(write=write)


def get_session() -> Session:
    """Return the session of the current request, opened on first use; POSTs write."""
    if "db_session" not in g:
        write = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        g.db_session = Session(_bind(write), expire_on_commit=False)
    return g.db_session


def rollback() -> None:
    """Roll back the current request's session, if it has one, so that it can be used again."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


@contextmanager
def session_scope() -> Iterator[Session]:
    """Open a session outside a request, commit on success, roll back on error."""
    with Session(_bind(True), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
