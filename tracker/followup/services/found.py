"""The follow-up list's rows as found, by name; their groups, order and page."""

from dataclasses import dataclass, fields
from datetime import date

from flask_babel import gettext as _

from tracker.models import Body, Recommendation


@dataclass
class Item:
    """The columns of an item the list reads: plain values, not an ORM object per row."""

    id: int
    kind: str
    number: str
    text: str
    theme: str
    status: str
    assumed: list | None
    recurrence: str
    due_period: str
    due_date: date | None
    due_body_id: int | None
    original_due_date: date | None


ITEM_COLUMNS = [column.name for column in fields(Item)]


def item_columns() -> list:
    """Return the item's columns for the list's query, each named "item_<column>"."""
    return [getattr(Recommendation, name).label(f"item_{name}") for name in ITEM_COLUMNS]


@dataclass
class Found:
    """One row the list's query found (criteria.filtered): an item, for one addressee."""

    item: Item
    source: str  # the source's title
    source_dnr: str | None
    issuer_id: int | None
    addressee_id: int | None
    responsible: str | None  # the responsible person's name
    unit: str | None  # the unit's name
    held_on: date | None  # the meeting it reports back to
    meeting_body: int | None  # that meeting's body
    deadline: date | None  # its date, else its meeting's
    source_kind: str
    response_due: date | None
    addressee: int | None  # the addressee this row is for
    addressees: int  # how many addressees the source has
    source_assumed: list | None
    adopted: bool  # this addressee adopted its answer

    @classmethod
    def of(cls, row) -> "Found":
        """Read a result row by its columns' names."""
        values = row._mapping
        item = Item(**{name: values[f"item_{name}"] for name in ITEM_COLUMNS})
        return cls(item=item, **{name: values[name] for name in COLUMNS})

    @property
    def several(self) -> bool:
        """Tell whether the source has several addressees: each acts for itself."""
        return self.addressees > 1


COLUMNS = [column.name for column in fields(Found) if column.name != "item"]


def body_of(found: Found, references: dict, bodies: dict[int, Body]) -> Body | None:
    """Return an item's body: the addressee the row is for when the source has several, else
    the meeting it reports to, the source's addressee or issuer, else the body of its first
    decision reference."""
    if found.several:
        body_id = found.addressee
    else:
        body_id = found.meeting_body or found.addressee_id or found.issuer_id
    if not body_id and references[found.item.id]:
        body_id = references[found.item.id][0][1]
    return bodies.get(body_id) if body_id else None


def group_name(grouping: str, found: Found, body: Body | None) -> str:
    """Name the group a row goes in: its source (with Dnr), its body or its theme."""
    if grouping == "source":
        dnr = found.source_dnr
        return f"{found.source} ({_('Dnr')} {dnr})" if dnr else found.source
    if grouping == "body":
        return body.name if body else _("No body")
    return found.item.theme or _("No theme")


def in_groups(found: list[Found], grouping: str, bodies: dict, references: dict, late=None):
    """Return the rows in their groups, in the list's order: [(key, [(late, found)])].

    A key is (unnamed, name): items without a theme or body come last; other groups keep
    their first item's order. With late (a function of a row), late rows and groups first.
    """
    groups: dict[tuple[bool, str], list] = {}
    for row in found:
        body = body_of(row, references, bodies)
        # Decided from the row, not the shown name: a theme or body may be named "No theme".
        unnamed = (grouping == "theme" and not row.item.theme) or (
            grouping == "body" and body is None
        )
        key = (unnamed, group_name(grouping, row, body))
        groups.setdefault(key, []).append((bool(late and late(row)), row))
    ordered = sorted(groups.items(), key=lambda group: group[0][0])
    if late:
        # Stable sorts: within each part, the list's own order is kept.
        for _key, entries in ordered:
            entries.sort(key=lambda entry: not entry[0])
        ordered.sort(key=lambda group: not any(is_late for is_late, _row in group[1]))
    return ordered


@dataclass
class Paging:
    """Which rows of the whole list a page shows."""

    number: int
    pages: int
    total: int
    first: int  # the index of the first row shown
    last: int  # the index after the last row shown

    @classmethod
    def of(cls, total: int, page: int | None, size: int) -> "Paging":
        """Return the page asked for, within the list; no page number: every row."""
        if not page:
            return cls(1, 1, total, 0, total)
        pages = max(1, -(-total // size))
        number = min(max(1, page), pages)
        return cls(number, pages, total, (number - 1) * size, number * size)

    def shown(self) -> dict:
        """Return what the list says of its page: its number, of how many, from which item."""
        first = self.first + 1 if self.total else 0
        return {"page": self.number, "pages": self.pages, "total": self.total, "first": first}

    def cut(self, ordered) -> list[tuple[tuple[bool, str], Found]]:
        """Return the page's rows, each with its group's key."""
        rows = [(key, row) for key, entries in ordered for _late, row in entries]
        return rows[self.first : self.last]
