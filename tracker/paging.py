"""Paging of list queries: one count query and one page query, whatever the table size."""

from dataclasses import dataclass
from math import ceil

from sqlalchemy import func, select
from sqlmodel import Session


@dataclass
class Page:
    items: list
    number: int
    pages: int
    total: int


def paginate(session: Session, query, *, page: int, size: int) -> Page:
    """Run a select for one page of rows, with the total number of rows."""
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery()))
    total = total.scalar_one()
    pages = max(1, ceil(total / size))
    number = min(max(1, page), pages)
    rows = session.exec(query.limit(size).offset((number - 1) * size)).all()
    return Page(items=list(rows), number=number, pages=pages, total=total)
