"""The search index: which kinds it holds, and the one session hook that keeps it current.

The index is one table, `search_index`, made by migration 0006 and kept out of
SQLModel.metadata: on SQLite it is an FTS5 virtual table, on PostgreSQL a table with a
generated tsvector column and a GIN index (docs/decisions/0006-search.md).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import SQLModel

from tracker.models import (
    Indicator,
    Measure,
    Recommendation,
    Source,
    SourceAttachment,
    StatusUpdate,
)

TABLE = "search_index"
# SQLite's FTS5 rows are keyed by one integer: item_id * KEY_SPACING + the kind's code.
KEY_SPACING = 100
# Titles longer than this are cut; the whole text is in the body.
TITLE_LENGTH = 160


# Between the fields of a body: a mark the full-text parsers skip, so that a snippet can be
# cut back to the fields it matched in instead of running one field into the next.
FIELD_BREAK = " · "


def _join(*parts: Any) -> str:
    return FIELD_BREAK.join(str(part) for part in parts if part not in (None, ""))


def whole_words(text: str, length: int) -> str:
    """Cut text to at most length characters at a word's end, with … if anything was cut."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,.;:") + " …"


def _status_update_url(update: StatusUpdate) -> str:
    if update.measure_id is not None:
        return url_for("measures.detail", measure_id=update.measure_id, _anchor="updates-heading")
    return url_for(
        "recommendations.detail",
        recommendation_id=update.recommendation_id,
        _anchor="updates-heading",
    )


@dataclass(frozen=True)
class IndexedKind:
    """One kind of row that search finds: how to index it and where its page is."""

    name: str  # stored in the index and used in ?kind=
    code: int  # part of the SQLite row key: never change or reuse one
    model: type
    label: Any  # the kind's name shown beside a hit
    title: Callable[[Any], str]  # the heading of a hit (ranked highest)
    body: Callable[[Any], str]  # the rest of its words
    url: Callable[[Any], str]  # its page


# The registry. Adding a kind (meetings, say) is one entry here, then `flask search reindex`.
KINDS: tuple[IndexedKind, ...] = (
    IndexedKind(
        name="source",
        code=1,
        model=Source,
        label=_l("Source"),
        title=lambda source: source.title,
        body=lambda source: _join(source.dnr, source.auditors, source.firm, source.summary),
        url=lambda source: url_for("sources.detail", source_id=source.id),
    ),
    IndexedKind(
        name="recommendation",
        code=2,
        model=Recommendation,
        label=_l("Recommendation or assignment"),
        title=lambda item: whole_words(item.text, TITLE_LENGTH),
        body=lambda item: _join(item.number, item.theme, item.text),
        url=lambda item: url_for("recommendations.detail", recommendation_id=item.id),
    ),
    IndexedKind(
        name="measure",
        code=3,
        model=Measure,
        label=_l("Measure"),
        title=lambda measure: measure.title,
        body=lambda measure: _join(
            measure.number, measure.theme, measure.goal, measure.description
        ),
        url=lambda measure: url_for("measures.detail", measure_id=measure.id),
    ),
    IndexedKind(
        name="status_update",
        code=4,
        model=StatusUpdate,
        label=_l("Status update"),
        title=lambda update: update.author_name,
        body=lambda update: update.text,
        url=_status_update_url,
    ),
    IndexedKind(
        name="indicator",
        code=5,
        model=Indicator,
        label=_l("Indicator"),
        title=lambda indicator: indicator.name,
        body=lambda indicator: _join(
            indicator.code,
            indicator.perspective,
            indicator.objective,
            indicator.success_factor,
            indicator.description,
        ),
        url=lambda indicator: url_for("indicators.detail", indicator_id=indicator.id),
    ),
    IndexedKind(
        name="source_file",
        code=6,
        model=SourceAttachment,
        label=_l("Report file of a source"),
        title=lambda attachment: attachment.name,
        body=lambda attachment: attachment.text,
        url=lambda attachment: url_for(
            "sources.detail", source_id=attachment.source_id, _anchor="report-file"
        ),
    ),
)
BY_MODEL = {kind.model: kind for kind in KINDS}
BY_NAME = {kind.name: kind for kind in KINDS}


# The same statements as migration 0006; here so that SQLModel.metadata.create_all (used by
# some tests) makes the index too.
CREATE = {
    "sqlite": [
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(kind UNINDEXED, item_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 0', prefix = '3')"
    ],
    "postgresql": [
        f"CREATE TABLE {TABLE} (kind VARCHAR(30) NOT NULL, item_id INTEGER NOT NULL, "
        "title TEXT NOT NULL, body TEXT NOT NULL, document tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('swedish', title), 'A') || "
        "setweight(to_tsvector('swedish', body), 'B')) STORED, "
        "CONSTRAINT pk_search_index PRIMARY KEY (kind, item_id))",
        f"CREATE INDEX ix_search_index_document ON {TABLE} USING gin (document)",
    ],
}


@event.listens_for(SQLModel.metadata, "after_create")
def _create(_metadata, connection: Connection, **_kw) -> None:
    for statement in CREATE[connection.dialect.name]:
        connection.exec_driver_sql(statement)


@event.listens_for(SQLModel.metadata, "before_drop")
def _drop(_metadata, connection: Connection, **_kw) -> None:
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Keep the search table (and FTS5's shadow tables) out of Alembic's model comparison."""
    return not (type_ == "table" and name is not None and name.startswith(TABLE))


def _row(kind: IndexedKind, obj: Any) -> dict:
    return {
        "key": obj.id * KEY_SPACING + kind.code,
        "kind": kind.name,
        "item_id": obj.id,
        "title": kind.title(obj) or "",
        "body": kind.body(obj) or "",
    }


def _remove(connection: Connection, rows: list[dict]) -> None:
    if connection.dialect.name == "sqlite":
        statement = text(f"DELETE FROM {TABLE} WHERE rowid = :key")
    else:
        statement = text(f"DELETE FROM {TABLE} WHERE kind = :kind AND item_id = :item_id")
    connection.execute(statement, rows)


def write(connection: Connection, *, upserts: list[dict], deletes: list[dict]) -> None:
    """Replace the index rows of changed items and drop those of deleted ones."""
    if upserts or deletes:
        _remove(connection, upserts + deletes)
    if upserts:
        _insert(connection, upserts)


def _insert(connection: Connection, rows: list[dict]) -> None:
    columns = "kind, item_id, title, body"
    values = ":kind, :item_id, :title, :body"
    if connection.dialect.name == "sqlite":
        columns, values = f"rowid, {columns}", f":key, {values}"
    connection.execute(text(f"INSERT INTO {TABLE} ({columns}) VALUES ({values})"), rows)


def add(connection: Connection, kind_name: str, objects: Iterable[Any]) -> None:
    """Index new items of one kind that have no index rows yet (bulk loads)."""
    rows = [_row(BY_NAME[kind_name], obj) for obj in objects]
    if rows:
        _insert(connection, rows)


def rows_for(objects: Iterable[Any]) -> list[dict]:
    """Return the index rows of the indexed objects among these."""
    return [_row(BY_MODEL[type(obj)], obj) for obj in objects if type(obj) in BY_MODEL]


def register() -> None:
    """Keep the index current on every session's flush from now on (db.init_app calls this)."""
    if not event.contains(OrmSession, "after_flush", _keep_index_current):
        event.listen(OrmSession, "after_flush", _keep_index_current)


def _keep_index_current(session: OrmSession, _context) -> None:
    # Inside the flush's transaction: the index never disagrees with what was committed.
    changed = [obj for obj in session.new if type(obj) in BY_MODEL]
    changed += [
        obj
        for obj in session.dirty
        if type(obj) in BY_MODEL and session.is_modified(obj, include_collections=False)
    ]
    deleted = rows_for(session.deleted)
    if changed or deleted:
        write(session.connection(), upserts=rows_for(changed), deletes=deleted)
