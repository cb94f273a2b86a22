"""The scope of a permission: the bodies a row belongs to, and those a user is secretary of."""

from flask import g, has_app_context
from sqlmodel import select

from tracker.models import (
    Body,
    BodySecretary,
    KeptList,
    Meeting,
    Recommendation,
    Response,
    Source,
    SourceAddressee,
)


def _session():
    from tracker.db import get_session

    return get_session()


def secretary_bodies(user) -> frozenset[int]:
    """Return the bodies the user is secretary of; none means a region-wide secretary."""
    return _bodies(user, BodySecretary)


def _bodies(user, link) -> frozenset[int]:
    # Asked for several times a page (every can() with a row): read once per request.
    cache = g.setdefault(f"bodies_{link.__tablename__}", {}) if has_app_context() else {}
    if user.id not in cache:
        query = select(link.body_id).where(link.user_id == user.id)
        cache[user.id] = frozenset(_session().exec(query))
    return cache[user.id]


def bodies_of(target) -> frozenset[int]:
    """Return the bodies a row belongs to: who issued or must act on it, or whose it is."""
    session = _session()
    if isinstance(target, Body):
        return frozenset({target.id})
    if isinstance(target, Meeting | Response):
        return frozenset({target.body_id})
    if isinstance(target, KeptList):
        return bodies_of(session.get(Meeting, target.meeting_id))
    if isinstance(target, Recommendation):
        source = session.get(Source, target.source_id)
        return bodies_of(source) | ({target.due_body_id} - {None})
    if isinstance(target, Source):
        addressed = session.exec(
            select(SourceAddressee.body_id).where(SourceAddressee.source_id == target.id)
        )
        return frozenset({target.issuer_id, target.addressee_id, *addressed} - {None})
    return frozenset()


def in_scope(user, target) -> bool:
    """Tell whether a secretary may act on the row: one of their bodies', or any if region-wide."""
    # With no row (a new one being made) every secretary may.
    if target is None:
        return True
    bodies = secretary_bodies(user)
    return not bodies or bool(bodies & bodies_of(target))
