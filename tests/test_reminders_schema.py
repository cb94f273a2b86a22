"""The reminder ledger's unique key, which makes each reminder exactly-once, is in the schema."""

from sqlalchemy import create_engine, inspect


def test_the_ledger_has_its_unique_key_and_users_their_preferences(migrated):
    engine = create_engine(migrated)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            unique = inspector.get_unique_constraints("reminder")
            columns = {column["name"] for column in inspector.get_columns("user")}
    finally:
        engine.dispose()
    assert [c["column_names"] for c in unique] == [
        ["item_type", "item_id", "kind", "deadline", "recipient_id"]
    ]
    assert {"digest", "feed_token"} <= columns
