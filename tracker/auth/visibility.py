"""Who sees a restricted ("begränsad") source: the one rule every listing, search and export uses.

A restricted source, its recommendations, their measures and status updates, and its report
file are seen only by its bodies' people (secretaries and elected members of a body it was
issued by or addressed to), region-wide secretaries, administrators, the auditors, and the
person answering for one of its items. An elected member sees only their bodies' sources.
Everyone else finds it in no page, list, search hit, export, calendar feed, API answer or
reminder: each of those filters its query with `visible()` or `measure_visible()`, detail
pages read their row with `get_visible()`, so that a hidden one is not found (404), and the
scheduler checks each reminder against its recipient with `hidden_sources()`
(tracker/reminders/services/readers.py).
"""

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import and_, exists, func, or_, true
from sqlmodel import Session, select

from tracker.models import (
    BodyMember,
    BodySecretary,
    Measure,
    Recommendation,
    RecommendationMeasure,
    Response,
    Role,
    Source,
    SourceAddressee,
    SourceAttachment,
    StatusUpdate,
)

# Passed for work done by the system itself (a command, the scheduler's own bookkeeping).
SYSTEM = object()


def _viewer(user):
    if user is None and has_request_context():
        return current_user
    return user


def hidden_sources(user=None):
    """Return a query of the ids of the restricted sources the user may not see, or None."""
    user = _viewer(user)
    if user is SYSTEM or user is None:
        return None
    query = select(Source.id).where(Source.restricted)
    if not getattr(user, "is_authenticated", False):
        return query
    if user.role in (Role.ADMIN, Role.AUDITOR):
        return None
    # The user's bodies as a subquery, not read first: a page costs no query more for them.
    if user.role == Role.ELECTED:
        # An elected member reads their bodies' items only, restricted or not.
        members = select(BodyMember.body_id).where(BodyMember.user_id == user.id)
        return select(Source.id).where(~of_bodies(members))
    answering = exists().where(
        Recommendation.source_id == Source.id, Recommendation.responsible_id == user.id
    )
    if user.role != Role.SECRETARY:
        return query.where(~answering)
    bodies = select(BodySecretary.body_id).where(BodySecretary.user_id == user.id)
    # A secretary of no body in particular is region-wide and sees every source.
    return query.where(exists(bodies), ~of_bodies(bodies), ~answering)


def of_bodies(bodies):
    """Return a condition on Source: issued by or addressed to one of the bodies (a subquery)."""
    addressed = exists().where(
        SourceAddressee.source_id == Source.id, SourceAddressee.body_id.in_(bodies)
    )
    # coalesce: a source with no issuer must not make this unknown (NULL), hiding nothing.
    return or_(
        func.coalesce(Source.issuer_id, 0).in_(bodies),
        func.coalesce(Source.addressee_id, 0).in_(bodies),
        addressed,
    )


def visible(source_id_column, user=None):
    """Return a condition on a column of source ids: true where the user may see the source."""
    hidden = hidden_sources(user)
    return true() if hidden is None else source_id_column.not_in(hidden)


def measure_visible(measure_id_column, user=None):
    """Return a condition on a column of measure ids: false for measures of hidden sources."""
    hidden = hidden_sources(user)
    if hidden is None:
        return true()
    of_hidden = (
        select(RecommendationMeasure.measure_id)
        .join(Recommendation, Recommendation.id == RecommendationMeasure.recommendation_id)
        .where(Recommendation.source_id.in_(hidden))
    )
    return measure_id_column.not_in(of_hidden)


def update_visible(user=None):
    """Return a condition on StatusUpdate: false for updates on hidden items."""
    hidden = hidden_sources(user)
    if hidden is None:
        return true()
    on_hidden = select(Recommendation.id).where(Recommendation.source_id.in_(hidden))
    return or_(
        and_(
            StatusUpdate.recommendation_id.is_not(None),
            StatusUpdate.recommendation_id.not_in(on_hidden),
        ),
        and_(StatusUpdate.measure_id.is_not(None), measure_visible(StatusUpdate.measure_id, user)),
    )


def may_see(session: Session, source_id: int | None, user=None) -> bool:
    """Tell whether the user may see the source with this id (None: no source, so yes)."""
    hidden = hidden_sources(user)
    if hidden is None or source_id is None:
        return True
    return session.exec(hidden.where(Source.id == source_id)).first() is None


def row_visible(session: Session, row, user=None) -> bool:
    """Tell whether the user may see a row: a source, or anything under one."""
    if isinstance(row, Source):
        return may_see(session, row.id, user)
    if isinstance(row, Recommendation | SourceAttachment | Response):
        return may_see(session, row.source_id, user)
    if isinstance(row, Measure):
        query = select(Measure.id).where(Measure.id == row.id, measure_visible(Measure.id, user))
        return session.exec(query).first() is not None
    if isinstance(row, StatusUpdate):
        target = (
            session.get(Recommendation, row.recommendation_id)
            if row.recommendation_id
            else session.get(Measure, row.measure_id)
        )
        return target is None or row_visible(session, target, user)
    return True


def hidden_search_items(session: Session, user=None) -> dict[str, list[int]]:
    """Return, per kind of search hit, the ids the user may not see."""
    hidden = hidden_sources(user)
    if hidden is None:
        return {}
    sources = list(session.exec(hidden))
    if not sources:
        return {}
    recommendations = list(
        session.exec(select(Recommendation.id).where(Recommendation.source_id.in_(sources)))
    )
    measures = list(
        session.exec(
            select(RecommendationMeasure.measure_id).where(
                RecommendationMeasure.recommendation_id.in_(recommendations)
            )
        )
    )
    updates = list(
        session.exec(
            select(StatusUpdate.id).where(
                or_(
                    StatusUpdate.recommendation_id.in_(recommendations),
                    StatusUpdate.measure_id.in_(measures),
                )
            )
        )
    )
    files = list(
        session.exec(select(SourceAttachment.id).where(SourceAttachment.source_id.in_(sources)))
    )
    return {
        "source": sources,
        "recommendation": recommendations,
        "measure": measures,
        "status_update": updates,
        "source_file": files,
    }


def get_visible(session: Session, model, row_id: int):
    """Return the source, recommendation or measure with this id if the user may see it."""
    # One query: the row is read with the rule, not read and then checked.
    condition = {
        Source: lambda: visible(Source.id),
        Recommendation: lambda: visible(Recommendation.source_id),
        Measure: lambda: measure_visible(Measure.id),
    }[model]()
    return session.exec(select(model).where(model.id == row_id, condition)).first()
