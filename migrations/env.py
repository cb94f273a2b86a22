"""Alembic environment: the schema is SQLModel.metadata from tracker/models.py."""

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers the tables)
from tracker.search.index import include_name

config = context.config
target_metadata = SQLModel.metadata


def run(connection) -> None:
    """Configure the context on a connection and run the migrations."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The search index is made by hand in migration 0006, not from the models.
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection handed over by the app, or open one from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        run(connection)


run_migrations_online()
