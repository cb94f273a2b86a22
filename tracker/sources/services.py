"""Sources and their listing."""

from sqlalchemy.orm import aliased
from sqlmodel import Session, exists, func, or_, select

from tracker.auth.visibility import item_visible, visible
from tracker.models import Body, Recommendation, Source, SourceAddressee
from tracker.paging import Page, paginate


def list_sources(
    session: Session,
    *,
    body_id: int | None = None,
    kind: str | None = None,
    query_text: str | None = None,
    page: int = 1,
    size: int = 50,
) -> Page:
    """Return a page of sources with their issuer and number of recommendations."""
    issuer = aliased(Body)
    counts = (
        select(Recommendation.source_id, func.count().label("n"))
        .where(item_visible())
        .group_by(Recommendation.source_id)
        .subquery()
    )
    query = (
        select(Source, issuer.code, func.coalesce(counts.c.n, 0))
        .join(issuer, Source.issuer_id == issuer.id, isouter=True)
        .join(counts, counts.c.source_id == Source.id, isouter=True)
        .order_by(Source.issued_on.desc().nulls_last(), Source.id.desc())
    )
    if body_id:
        addressed = exists().where(
            SourceAddressee.source_id == Source.id, SourceAddressee.body_id == body_id
        )
        query = query.where(
            or_(Source.issuer_id == body_id, Source.addressee_id == body_id, addressed)
        )
    query = query.where(visible(Source.id))
    if kind:
        query = query.where(Source.kind == kind)
    if query_text:
        like = f"%{query_text.strip()}%"
        query = query.where(or_(Source.title.ilike(like), Source.dnr.ilike(like)))
    return paginate(session, query, page=page, size=size)


def source_choices(session: Session) -> list[tuple[int, str]]:
    """Return (id, title) pairs for a select field."""
    rows = session.exec(select(Source.id, Source.title, Source.dnr).order_by(Source.title))
    return [(id_, f"{title} ({dnr})" if dnr else title) for id_, title, dnr in rows]


def create_source(session: Session, **values) -> Source:
    """Create a source."""
    source = Source(**values)
    session.add(source)
    session.flush()
    return source
