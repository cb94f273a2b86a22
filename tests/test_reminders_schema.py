"""The models and the migrations agree, with the reminder tables and columns (0004) in."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel


def test_models_and_migrations_agree(migrated):
    engine = create_engine(migrated)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
            inspector = inspect(connection)
            unique = inspector.get_unique_constraints("reminder")
            columns = {column["name"] for column in inspector.get_columns("user")}
    finally:
        engine.dispose()
    assert differences == []
    assert [c["column_names"] for c in unique] == [
        ["item_type", "item_id", "kind", "deadline", "recipient_id"]
    ]
    assert {"digest", "feed_token"} <= columns
