"""Search the index: words as prefixes, ranked, with the matching words marked."""

import re
from dataclasses import dataclass
from math import ceil
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import bindparam, text
from sqlmodel import Session, select

from tracker.auth.visibility import hidden_search_items
from tracker.models import Measure, Recommendation, StatusUpdate
from tracker.search.index import (
    BY_NAME,
    FIELD_BREAK,
    KEY_SPACING,
    KINDS,
    TABLE,
    TITLE_LENGTH,
    rows_for,
    whole_words,
    write,
)

WORD = re.compile(r"\w+")
MAX_WORDS = 10
# Private-use characters mark the matches, so that the text can be escaped before they
# become <mark> tags: nothing a user typed can turn into markup.
START, END = "\ue000", "\ue001"


@dataclass
class Hit:
    kind: str
    item_id: int
    title: Markup  # escaped, matches in <mark>
    snippet: Markup
    label: Any = None  # the kind's name
    url: str = ""  # set by link_hits; empty if the item is gone
    about: str = ""  # a status update's measure or item, set by link_hits: what it reports on


@dataclass
class Results:
    hits: list[Hit]
    total: int  # hits of the chosen kind, or of all kinds
    counts: dict[str, int]  # hits per kind, for the kind filter
    number: int
    pages: int


def words_of(query: str) -> list[str]:
    """Return the words of a query, lower-cased, at most MAX_WORDS."""
    return [word.lower() for word in WORD.findall(query or "")][:MAX_WORDS]


def _marked(value: str) -> Markup:
    escaped = str(escape(value))
    return Markup(escaped.replace(START, "<mark>").replace(END, "</mark>"))


def _fields_matched(snippet: str) -> str:
    """Keep only the fields of a snippet that hold a match, each whole, with its boundary kept."""
    fields = [part.strip() for part in snippet.split(FIELD_BREAK.strip())]
    matched = [part for part in fields if START in part]
    return f" {FIELD_BREAK.strip()} ".join(matched or fields[:1])


@dataclass
class _Dialect:
    """How one database matches, ranks, marks and names the index's rows."""

    where: str  # the match condition
    score: str  # the rank, named score
    order: str  # best first, then a stable order by kind name and id
    key: str  # the columns that name a row
    marked: str  # the marked title and snippet
    params: dict
    decode: Any  # a row's key columns -> (kind, item_id)


def _sqlite(words: list[str]) -> _Dialect:
    # Each word a quoted prefix: "åtgärd"* finds åtgärder; the words must all occur. A row is
    # named by its rowid alone (item_id * KEY_SPACING + the kind's code): reading the kind and
    # item_id columns would read each match's whole stored text.
    codes = {kind.code: kind.name for kind in KINDS}
    by_name = " ".join(
        f"WHEN {kind.code} THEN {n}"
        for n, kind in enumerate(sorted(KINDS, key=lambda kind: kind.name))
    )
    return _Dialect(
        where=f"{TABLE} MATCH :match",
        # bm25 weights per column (kind, item_id, title, body): a title match counts most.
        score=f"bm25({TABLE}, 0, 0, 10.0, 3.0) AS score",
        order=f"score, CASE rowid % {KEY_SPACING} {by_name} END, rowid",
        key="rowid",
        marked=f"highlight({TABLE}, 2, :start, :end), snippet({TABLE}, 3, :start, :end, '…', 24)",
        params={"match": " ".join(f'"{word}"*' for word in words)},
        decode=lambda row: (codes[row[0] % KEY_SPACING], row[0] // KEY_SPACING),
    )


def _postgresql(words: list[str]) -> _Dialect:
    # The Swedish configuration stems both sides (åtgärder → åtgärd); :* adds prefixes.
    options = f"StartSel={START}, StopSel={END}, MaxWords=30, MinWords=12"
    return _Dialect(
        where="document @@ to_tsquery('swedish', :query)",
        score="ts_rank(document, to_tsquery('swedish', :query)) AS score",
        order="score DESC, kind, item_id",
        key="kind, item_id",
        marked="ts_headline('swedish', title, to_tsquery('swedish', :query), :title_options), "
        "ts_headline('swedish', body, to_tsquery('swedish', :query), :body_options)",
        params={
            "query": " & ".join(f"{word}:*" for word in words),
            "title_options": f"{options}, HighlightAll=true",
            "body_options": options,
        },
        decode=lambda row: (row[0], int(row[1])),
    )


def _keys(dialect: _Dialect, name: str, ids) -> str:
    """Return the SQL list of the index keys of these rows of a kind."""
    if dialect.key == "rowid":
        code = BY_NAME[name].code
        return ", ".join(str(int(item_id) * KEY_SPACING + code) for item_id in ids)
    return ", ".join(str(int(item_id)) for item_id in ids)


def _of_kind(dialect: _Dialect, name: str) -> str:
    """Return the condition of a row of this kind (the name is one of KINDS)."""
    if dialect.key == "rowid":
        return f"rowid % {KEY_SPACING} = {BY_NAME[name].code}"
    return f"kind = '{name}'"


def search(
    session: Session, *, query: str, kind: str | None = None, page: int = 1, size: int = 20
) -> Results:
    """Return one page of the items whose words start with the query's words, best first."""
    words = words_of(query)
    if not words:
        return Results([], 0, {}, 1, 1)
    sqlite = session.get_bind().dialect.name == "sqlite"
    dialect = (_sqlite if sqlite else _postgresql)(words)
    where = dialect.where
    # Restricted sources and everything under them are no hits for people outside their bodies.
    for name, ids in hidden_search_items(session).items():
        if ids:
            key = "rowid" if sqlite else "item_id"
            where += (
                f" AND NOT ({_of_kind(dialect, name)} AND {key} IN ({_keys(dialect, name, ids)}))"
            )
    params = dialect.params | {"start": START, "end": END}
    counts = _counts(session, dialect, where, params)
    kind = kind if kind in BY_NAME else None
    total = counts.get(kind, 0) if kind else sum(counts.values())
    pages = max(1, ceil(total / size))
    number = min(max(1, page), pages)
    if kind:
        where += f" AND {_of_kind(dialect, kind)}"
    # The database ranks every match but keeps only the page; only the page is marked.
    ranked = session.execute(
        text(
            f"SELECT {dialect.key}, {dialect.score} FROM {TABLE} WHERE {where} "
            f"ORDER BY {dialect.order} LIMIT :limit OFFSET :offset"
        ),
        params | {"limit": size, "offset": (number - 1) * size},
    ).all()
    page_keys = [dialect.decode(row) for row in ranked]
    return Results(
        _marked_hits(session, dialect, where, params, page_keys), total, counts, number, pages
    )


def _counts(session: Session, dialect: _Dialect, where: str, params: dict) -> dict[str, int]:
    """Return the number of matches of each kind."""
    if dialect.key == "rowid":
        rows = session.execute(
            text(f"SELECT rowid % {KEY_SPACING}, count(*) FROM {TABLE} WHERE {where} GROUP BY 1"),
            params,
        ).all()
        names = {kind.code: kind.name for kind in KINDS}
        return {names[code]: count for code, count in rows if code in names}
    return dict(
        session.execute(
            text(f"SELECT kind, count(*) FROM {TABLE} WHERE {where} GROUP BY kind"), params
        ).all()
    )


def _marked_hits(session, dialect: _Dialect, where, params, page_keys) -> list[Hit]:
    """Return the page's hits in rank order, their titles and snippets marked."""
    if not page_keys:
        return []
    sqlite = dialect.key == "rowid"
    only = "rowid IN :keys" if sqlite else "item_id IN :keys"
    keys = [item_id * KEY_SPACING + BY_NAME[name].code for name, item_id in page_keys]
    statement = text(
        f"SELECT {dialect.key}, {dialect.marked} FROM {TABLE} WHERE {where} AND {only}"
    ).bindparams(bindparam("keys", expanding=True))
    found = {}
    for row in session.execute(
        statement, params | {"keys": keys if sqlite else [i for _n, i in page_keys]}
    ):
        title, snippet = row[-2:]
        found[dialect.decode(row)] = (title, snippet)
    return [
        Hit(
            name,
            item_id,
            _marked(found[name, item_id][0]),
            _marked(_fields_matched(found[name, item_id][1])),
            BY_NAME[name].label,
        )
        for name, item_id in page_keys
        if (name, item_id) in found
    ]


def link_hits(session: Session, hits: list[Hit]) -> list[Hit]:
    """Give each hit its page's address, loading each kind's rows in one query."""
    for kind in KINDS:
        ids = [hit.item_id for hit in hits if hit.kind == kind.name]
        if not ids:
            continue
        found = {
            obj.id: obj for obj in session.exec(select(kind.model).where(kind.model.id.in_(ids)))
        }
        for hit in hits:
            if hit.kind == kind.name and hit.item_id in found:
                hit.url = kind.url(found[hit.item_id])
        if kind.model is StatusUpdate:
            _name_targets(session, [hit for hit in hits if hit.kind == kind.name])
    return hits


def _name_targets(session: Session, hits: list[Hit]) -> None:
    """Head each status update's hit by what it reports on, not by its author alone."""
    rows = session.exec(
        select(StatusUpdate.id, Measure.title, Recommendation.text)
        .outerjoin(Measure, StatusUpdate.measure_id == Measure.id)
        .outerjoin(Recommendation, StatusUpdate.recommendation_id == Recommendation.id)
        .where(StatusUpdate.id.in_([hit.item_id for hit in hits]))
    ).all()
    about = {id_: title or whole_words(text or "", TITLE_LENGTH) for id_, title, text in rows}
    for hit in hits:
        hit.about = about.get(hit.item_id, "")


def rebuild_index(session: Session) -> int:
    """Index every row of every kind again, from scratch; return how many rows."""
    session.execute(text(f"DELETE FROM {TABLE}"))
    count = 0
    for kind in KINDS:
        last = 0
        while True:
            # In batches, so that a large table does not sit in memory at once.
            batch = session.exec(
                select(kind.model).where(kind.model.id > last).order_by(kind.model.id).limit(500)
            ).all()
            if not batch:
                break
            write(session.connection(), upserts=rows_for(batch), deletes=[])
            count += len(batch)
            last = batch[-1].id
    return count
