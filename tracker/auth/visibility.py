"""Who sees what: the one rule every listing, search, export, feed and API answer uses.

A restricted source, its recommendations, their measures and status updates, and its report
file are seen only by its bodies' people (secretaries and elected members of a body it was
issued by or addressed to), region-wide secretaries, administrators, the auditors, and the
person answering for one of its items. An elected member sees only their bodies' sources.
Everyone else finds it in no page, list, search hit, export, calendar feed, API answer or
reminder: each of those filters its query with `visible()`, `item_visible()` or
`measure_visible()`, detail pages read their row with `get_visible()`, so that a hidden one is
not found (404), and the scheduler checks each reminder against its recipient with
`hidden_sources()` (tracker/reminders/services/readers.py).

An owner reads the items of their unit and those they own measures on (decision 0028): an item
whose responsible unit is theirs (their own unit or one their provider groups give), that they
answer for, or that has a measure they own or of their unit; the measures they own, of their
unit, or under an item they read; the sources of those items and of the answers they draft.
Someone an owner stands in for today counts as them.
"""

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import and_, exists, func, literal, or_, true, union_all
from sqlmodel import Session, select

from tracker import dates
from tracker.models import (
    BodyMember,
    BodySecretary,
    Deputy,
    Measure,
    Recommendation,
    RecommendationMeasure,
    Response,
    Role,
    Source,
    SourceAddressee,
    SourceAttachment,
    StatusUpdate,
    UserUnit,
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


def _owner(user):
    """Return the user if they are an owner, who reads their unit's and their own items only."""
    user = _viewer(user)
    if user is SYSTEM or not getattr(user, "is_authenticated", False):
        return None
    return user if user.role == Role.OWNER else None


def _as_them(column, owner):
    # The owner, and whoever they stand in for today: they post on those items too.
    today = dates.today()
    absent = select(Deputy.user_id).where(
        Deputy.deputy_id == owner.id, Deputy.starts_on <= today, Deputy.ends_on >= today
    )
    return or_(column == owner.id, column.in_(absent))


def _of_units(column, owner):
    # Their own unit is on the user row already read; the groups' units are a subquery.
    units = column.in_(select(UserUnit.unit_id).where(UserUnit.user_id == owner.id))
    return or_(column == owner.unit_id, units) if owner.unit_id else units


def owner_items(owner):
    """Return a query of the ids of the items an owner reads: their unit's and their own."""
    theirs = select(RecommendationMeasure.recommendation_id).join(
        Measure, Measure.id == RecommendationMeasure.measure_id
    )
    theirs = theirs.where(or_(_as_them(Measure.owner_id, owner), _of_units(Measure.unit_id, owner)))
    return select(Recommendation.id).where(
        or_(
            _as_them(Recommendation.responsible_id, owner),
            _of_units(Recommendation.unit_id, owner),
            Recommendation.id.in_(theirs),
        )
    )


def owner_measures(owner):
    """Return a query of the ids of the measures an owner reads."""
    under = select(RecommendationMeasure.measure_id).where(
        RecommendationMeasure.recommendation_id.in_(owner_items(owner))
    )
    return select(Measure.id).where(
        or_(
            _as_them(Measure.owner_id, owner),
            _of_units(Measure.unit_id, owner),
            Measure.id.in_(under),
        )
    )


def owner_sources(owner):
    """Return a query of the ids of the sources an owner reads: of their items and answers."""
    drafting = select(Response.source_id).where(
        or_(Response.responsible_id == owner.id, Response.input_contact_id == owner.id)
    )
    of_items = select(Recommendation.source_id).where(Recommendation.id.in_(owner_items(owner)))
    return of_items.union(drafting)


def visible(source_id_column, user=None):
    """Return a condition on a column of source ids: true where the user may see the source."""
    hidden = hidden_sources(user)
    condition = true() if hidden is None else source_id_column.not_in(hidden)
    owner = _owner(user)
    return (
        condition if owner is None else and_(condition, source_id_column.in_(owner_sources(owner)))
    )


def item_visible(user=None):
    """Return a condition on Recommendation: true where the user may see the item."""
    condition = visible(Recommendation.source_id, user)
    owner = _owner(user)
    if owner is None:
        return condition
    return and_(condition, Recommendation.id.in_(owner_items(owner)))


def measure_visible(measure_id_column, user=None):
    """Return a condition on a column of measure ids: false for measures the user may not see."""
    hidden = hidden_sources(user)
    condition = true()
    if hidden is not None:
        of_hidden = (
            select(RecommendationMeasure.measure_id)
            .join(Recommendation, Recommendation.id == RecommendationMeasure.recommendation_id)
            .where(Recommendation.source_id.in_(hidden))
        )
        condition = measure_id_column.not_in(of_hidden)
    owner = _owner(user)
    if owner is None:
        return condition
    return and_(condition, measure_id_column.in_(owner_measures(owner)))


def update_visible(user=None):
    """Return a condition on StatusUpdate: false for updates on items the user may not see."""
    hidden = hidden_sources(user)
    owner = _owner(user)
    if hidden is None and owner is None:
        return true()
    seen = select(Recommendation.id).where(item_visible(user))
    return or_(
        and_(
            StatusUpdate.recommendation_id.is_not(None),
            StatusUpdate.recommendation_id.in_(seen),
        ),
        and_(StatusUpdate.measure_id.is_not(None), measure_visible(StatusUpdate.measure_id, user)),
    )


def may_see(session: Session, source_id: int | None, user=None) -> bool:
    """Tell whether the user may see the source with this id (None: no source, so yes)."""
    if source_id is None or (hidden_sources(user) is None and _owner(user) is None):
        return True
    query = select(Source.id).where(Source.id == source_id, visible(Source.id, user))
    return session.exec(query).first() is not None


def row_visible(session: Session, row, user=None) -> bool:
    """Tell whether the user may see a row: a source, or anything under one."""
    if isinstance(row, Source):
        return may_see(session, row.id, user)
    if isinstance(row, Recommendation):
        query = select(Recommendation.id).where(Recommendation.id == row.id, item_visible(user))
        return session.exec(query).first() is not None
    if isinstance(row, SourceAttachment | Response):
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
    if _owner(user) is not None:
        return _hidden_from_owner(session, user)
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


def _hidden_from_owner(session: Session, user) -> dict[str, list[int]]:
    """Return, per kind of search hit, what an owner may not see: all but theirs, in one query."""
    kinds = [
        ("source", select(Source.id).where(~visible(Source.id, user))),
        ("recommendation", select(Recommendation.id).where(~item_visible(user))),
        ("measure", select(Measure.id).where(~measure_visible(Measure.id, user))),
        ("status_update", select(StatusUpdate.id).where(~update_visible(user))),
        (
            "source_file",
            select(SourceAttachment.id).where(~visible(SourceAttachment.source_id, user)),
        ),
    ]
    # One query for the search page, not one per kind: its query count stays bounded.
    query = union_all(
        *(select(literal(name).label("kind"), ids.subquery().c.id) for name, ids in kinds)
    )
    hidden: dict[str, list[int]] = {name: [] for name, _ids in kinds}
    for name, row_id in session.execute(query):
        hidden[name].append(row_id)
    return hidden


def get_visible(session: Session, model, row_id: int):
    """Return the source, recommendation or measure with this id if the user may see it."""
    # One query: the row is read with the rule, not read and then checked.
    condition = {
        Source: lambda: visible(Source.id),
        Recommendation: lambda: item_visible(),
        Measure: lambda: measure_visible(Measure.id),
    }[model]()
    return session.exec(select(model).where(model.id == row_id, condition)).first()
