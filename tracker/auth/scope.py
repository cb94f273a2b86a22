"""The scope of a permission: the bodies a row belongs to, and those a user is secretary of."""

import functools

from flask import g, has_app_context
from sqlmodel import or_, select

from tracker.models import (
    Body,
    BodySecretary,
    ClosingDecision,
    KeptList,
    Measure,
    Meeting,
    Recommendation,
    RecommendationMeasure,
    Response,
    Role,
    Source,
    SourceAddressee,
    SourceAttachment,
    StatusUpdate,
)


class Bodies(frozenset):
    """A row not made yet, named by the bodies it will belong to (what its form chose)."""


def _session():
    from tracker.db import get_session

    return get_session()


def secretary_bodies(user) -> frozenset[int]:
    """Return the bodies the user is secretary of; none means a region-wide secretary."""
    return _bodies(user, BodySecretary)


def limited_to(user) -> frozenset[int] | None:
    """Return the bodies a secretary of given bodies writes for; None for anyone else."""
    if getattr(user, "role", None) != Role.SECRETARY:
        return None
    return secretary_bodies(user) or None


def own_choices(user, choices: list, keep=()) -> list:
    """Return the body choices the user may write for (all, unless limited), and those kept."""
    bodies = limited_to(user)
    if bodies is None:
        return choices
    return [(id_, name) for id_, name in choices if id_ in bodies or id_ in keep]


def _bodies(user, link) -> frozenset[int]:
    # Asked for several times a page (every can() with a row): read once per request.
    cache = g.setdefault(f"bodies_{link.__tablename__}", {}) if has_app_context() else {}
    if user.id not in cache:
        query = select(link.body_id).where(link.user_id == user.id)
        cache[user.id] = frozenset(_session().exec(query))
    return cache[user.id]


@functools.singledispatch
def bodies_of(target) -> frozenset[int]:
    """Return the bodies a row belongs to: who issued or must act on it, or whose it is."""
    return frozenset()


@bodies_of.register
def _(target: Bodies) -> frozenset[int]:
    return frozenset(target) - {None}


@bodies_of.register
def _(target: Body) -> frozenset[int]:
    return frozenset({target.id})


@bodies_of.register
def _(target: Meeting | Response | ClosingDecision) -> frozenset[int]:
    return frozenset({target.body_id})


@bodies_of.register
def _(target: KeptList) -> frozenset[int]:
    return bodies_of(_session().get(Meeting, target.meeting_id))


@bodies_of.register
def _(target: Recommendation) -> frozenset[int]:
    source = _session().get(Source, target.source_id)
    return bodies_of(source) | ({target.due_body_id} - {None})


@bodies_of.register
def _(target: Measure) -> frozenset[int]:
    # A measure is its items' bodies' (one measure may answer items of several bodies).
    items = _session().exec(
        select(Recommendation)
        .join(RecommendationMeasure)
        .where(RecommendationMeasure.measure_id == target.id)
    )
    return frozenset().union(*(bodies_of(item) for item in items))


@bodies_of.register
def _(target: StatusUpdate) -> frozenset[int]:
    session = _session()
    about = target.recommendation_id and session.get(Recommendation, target.recommendation_id)
    return bodies_of(about or session.get(Measure, target.measure_id))


@bodies_of.register
def _(target: SourceAttachment) -> frozenset[int]:
    return bodies_of(_session().get(Source, target.source_id))


@bodies_of.register
def _(target: Source) -> frozenset[int]:
    # A page asks for a source's bodies once per link it may show: read them once.
    cache = g.setdefault("source_addressees", {}) if has_app_context() else {}
    if target.id not in cache:
        query = select(SourceAddressee.body_id).where(SourceAddressee.source_id == target.id)
        cache[target.id] = frozenset(_session().exec(query))
    return frozenset({target.issuer_id, target.addressee_id, *cache[target.id]} - {None})


def in_scope(user, target) -> bool:
    """Tell whether a secretary may act on the row: one of their bodies', or any if region-wide."""
    # With no row (a new one being made) every secretary may.
    if target is None:
        return True
    bodies = secretary_bodies(user)
    return not bodies or bool(bodies & bodies_of(target))


def body_names(bodies) -> str:
    """Return the bodies' codes, for a message that names them: "HSN, RS"."""
    rows = _session().exec(select(Body.code).where(Body.id.in_(sorted(bodies))))
    return ", ".join(sorted(rows))


def choose_yours(user) -> str:
    """Return the message next to a body field that named a body the user does not write for."""
    from flask_babel import gettext as _

    return _(
        "You are secretary of %(bodies)s: choose one of them.",
        bodies=body_names(limited_to(user) or ()),
    )


def items_of_bodies(bodies):
    """Return a condition on Recommendation: an item of one of the bodies (source or due to)."""
    from tracker.auth.visibility import of_bodies

    listed = sorted(bodies)
    return or_(
        Recommendation.source_id.in_(select(Source.id).where(of_bodies(listed))),
        Recommendation.due_body_id.in_(listed),
    )
