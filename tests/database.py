"""The tests' databases: made and dropped, emptied after a test, or rolled back (PostgreSQL)."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.ddl import sort_tables_and_constraints
from sqlmodel import SQLModel

from tests import settings
from tracker.search.index import TABLE as SEARCH_TABLE

# The savepoint every commit of the app ends and opens again, inside the test's transaction.
SAVEPOINT = "tracker_test"


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


def empty(engine) -> None:
    """Delete every row the committed tests left; on PostgreSQL, ids count from 1 again."""
    # Parents after children; a cycle (a unit's manager is a user of a unit) is cut by
    # clearing the one link SQLAlchemy leaves out of the order.
    order = list(sort_tables_and_constraints(SQLModel.metadata.tables.values()))
    cut = [link for table, links in order if table is None for link in links]
    # The search index is not a model table: it is emptied with the rows it indexes.
    tables = [table.name for table, _ in reversed(order) if table is not None] + [SEARCH_TABLE]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # TRUNCATE of every table took 50-170 ms a test; most tests fill a few tables, so
            # only those are emptied.
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
            _restart_sequences(connection.exec_driver_sql)
        else:
            connection.execute(text("PRAGMA defer_foreign_keys=ON"))
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))


def _restart_sequences(execute) -> None:
    # Sequences are outside transactions: a rolled-back insert still used up its id, so they
    # are restarted before every test, not only after committed rows.
    names = execute("SELECT relname FROM pg_class WHERE relkind = 'S'").fetchall()
    restarts = ", ".join(f"setval('{name}', 1, false)" for (name,) in names)
    if restarts:
        execute(f"SELECT {restarts}")


class TestConnection:
    """The one psycopg connection of a worker's PostgreSQL engine, in a test's transaction.

    Between begin() and end() the app's COMMIT releases a savepoint and sets it again, and
    its ROLLBACK goes back to it: every connection the app opens (its sessions, the API's
    token lookup, the reminder marks, the health check) is this one, so each sees what the
    test and the app wrote, and end() rolls all of it back.
    """

    # Settings SQLAlchemy gives a connection it checks out or returns; inside the test's
    # transaction PostgreSQL refuses them, and the statements run in it anyway.
    KEPT = frozenset({"autocommit", "isolation_level", "read_only", "deferrable"})

    def __init__(self, real):
        object.__setattr__(self, "real", real)
        object.__setattr__(self, "inside", False)

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __setattr__(self, name, value):
        if not (self.inside and name in self.KEPT):
            setattr(self.real, name, value)

    def begin(self) -> None:
        self.real.rollback()
        self.real.autocommit = False
        self.real.execute(f"SAVEPOINT {SAVEPOINT}")
        object.__setattr__(self, "inside", True)

    def end(self) -> None:
        object.__setattr__(self, "inside", False)
        self.real.rollback()

    def commit(self) -> None:
        if not self.inside:
            return self.real.commit()
        self.real.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
        self.real.execute(f"SAVEPOINT {SAVEPOINT}")

    def rollback(self) -> None:
        if not self.inside:
            return self.real.rollback()
        self.real.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")

    def close(self) -> None:
        if not self.inside:
            self.real.close()


def rolled_back_engine(url: str) -> tuple[Engine, TestConnection]:
    """Return an engine whose every connection is one TestConnection, and that connection."""
    # The real connection comes from an engine of the same dialect, with its type adapters.
    # Its pool's handle is kept with it: when collected, the pool would close the connection.
    handle = create_engine(url, poolclass=NullPool).raw_connection()
    connection = TestConnection(handle.driver_connection)
    object.__setattr__(connection, "handle", handle)
    # psycopg's hstore lookup checks the connection's class, and no table has an hstore.
    engine = create_engine(
        url, creator=lambda: connection, pool_reset_on_return=None, use_native_hstore=False
    )
    return engine, connection
