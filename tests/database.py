"""The tests' databases: made and dropped, emptied after a test, or rolled back (PostgreSQL)."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import and_, create_engine, insert, text, update
from sqlalchemy.engine import Connection, Engine, make_url
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


def _order():
    """Return the model tables, parents first, and the links of the cycle they leave out."""
    # A cycle (a unit's manager is a user of a unit) is cut by SQLAlchemy: the one link it
    # leaves out of the order is set apart.
    order = list(sort_tables_and_constraints(SQLModel.metadata.tables.values()))
    cut = [link for table, links in order if table is None for link in links]
    return [table for table, _ in order if table is not None], cut


def _filled(connection, tables: list[str]) -> set[str]:
    """Return the names of the tables that hold a row, in one statement."""
    probe = " UNION ALL ".join(
        f"SELECT '{name}' FROM (SELECT 1 FROM \"{name}\" LIMIT 1) AS probe" for name in tables
    )
    return set(connection.execute(text(probe)).scalars())


def empty(engine) -> None:
    """Delete every row the committed tests left; on PostgreSQL, ids count from 1 again."""
    parents_first, cut = _order()
    # The search index is not a model table: it is emptied with the rows it indexes.
    tables = [table.name for table in reversed(parents_first)] + [SEARCH_TABLE]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # TRUNCATE of every table took 50-170 ms a test; most tests fill a few tables, so
            # only those are emptied.
            filled = _filled(connection, tables)
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


@dataclass
class SeedRows:
    """What a seed wrote on an empty database: its rows, search index and sequences."""

    tables: list = field(default_factory=list)  # (table, rows), parents first
    search: list = field(default_factory=list)
    sequences: list = field(default_factory=list)  # (name, last_value, is_called)


class SeedCopies:
    """Seeds loaded once per worker, their rows copied into each later test that asks for one.

    Loading the seed took 1-9 s a test; inserting the rows it wrote takes milliseconds, with
    the same ids, on SQLite and in PostgreSQL's rolled-back transaction alike.
    """

    def __init__(self) -> None:
        self.taken: dict[str, SeedRows] = {}

    def load(self, session, name: str, load: Callable[[], object]) -> None:
        """Run load (a seed) the first time, copy its rows after that; commit either way."""
        session.rollback()
        connection = session.connection()
        parents_first, _cut = _order()
        # Only a copy of an empty database's seed is the seed: with rows before it, load.
        if _filled(connection, [table.name for table in parents_first] + [SEARCH_TABLE]):
            load()
            session.commit()
        elif name in self.taken:
            _put_back(connection, self.taken[name])
            session.commit()
        else:
            load()
            session.commit()
            self.taken[name] = _take(session.connection())
            session.commit()


def _search_columns(connection: Connection) -> str:
    # SQLite's FTS5 rows keep their key in rowid; PostgreSQL computes its tsvector itself.
    key = "rowid, " if connection.dialect.name == "sqlite" else ""
    return f"{key}kind, item_id, title, body"


def _take(connection: Connection) -> SeedRows:
    taken = SeedRows()
    for table in _order()[0]:
        rows = connection.execute(table.select().order_by(*table.primary_key.columns))
        rows = [dict(row._mapping) for row in rows]
        if rows:
            taken.tables.append((table, rows))
    columns = _search_columns(connection)
    search = f"SELECT {columns} FROM {SEARCH_TABLE} ORDER BY kind, item_id"
    taken.search = [dict(row._mapping) for row in connection.execute(text(search))]
    if connection.dialect.name == "postgresql":
        names = connection.exec_driver_sql("SELECT relname FROM pg_class WHERE relkind = 'S'")
        for (name,) in names.fetchall():
            state = connection.exec_driver_sql(f'SELECT last_value, is_called FROM "{name}"')
            taken.sequences.append((name, *state.one()))
    return taken


def _put_back(connection: Connection, taken: SeedRows) -> None:
    cut = _order()[1]
    later = []
    for table, rows in taken.tables:
        # The cycle's links point at rows inserted after: they are set once those are in.
        links = [c.name for link in cut if link.table is table for c in link.columns]
        if links:
            keys = [c.name for c in table.primary_key.columns]
            later += [(table, keys, row) for row in rows if any(row[n] for n in links)]
            rows = [row | {name: None for name in links} for row in rows]
        connection.execute(insert(table), rows)
    for table, keys, row in later:
        key = and_(*(table.c[name] == row[name] for name in keys))
        connection.execute(update(table).where(key).values({n: row[n] for n in row}))
    if taken.search:
        columns = _search_columns(connection)
        marks = ", ".join(f":{name.strip()}" for name in columns.split(","))
        connection.execute(
            text(f"INSERT INTO {SEARCH_TABLE} ({columns}) VALUES ({marks})"), taken.search
        )
    for name, last_value, is_called in taken.sequences:
        connection.execute(
            text("SELECT setval(:name, :value, :called)"),
            {"name": name, "value": last_value, "called": is_called},
        )


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
