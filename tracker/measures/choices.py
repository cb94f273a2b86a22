"""Who may own a measure and which recommendations a user may link: one rule, page and API."""

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, or_, select

from tracker.auth.scope import body_names, items_of_bodies, limited_to
from tracker.lookup import KINDS
from tracker.measures.services import linked_recommendation_ids
from tracker.models import Measure, Recommendation, Role, User

# An owner posts status updates: a viewer cannot (the owner lookup's own condition).
OWNER_CONDITION = KINDS["owner"][2]


def linkable_recommendations(session: Session, user: User, measure: Measure | None):
    """Return the condition on recommendations this user may link, or None for any."""
    bodies = limited_to(user)
    if user.role != Role.OWNER and bodies is None:
        return None
    # Each keeps what is linked already; an owner links what they answer for, a secretary of
    # given bodies their bodies' items.
    linked = linked_recommendation_ids(session, measure.id) if measure else []
    if bodies is not None:
        return or_(items_of_bodies(bodies), Recommendation.id.in_(linked))
    return or_(Recommendation.responsible_id == user.id, Recommendation.id.in_(linked))


def refused_choices(
    session: Session,
    user: User,
    *,
    measure: Measure | None,
    owner_id: int | None,
    recommendation_ids: list[int],
) -> list[tuple[str, str]]:
    """Return (field, message) for an owner or recommendations this user may not choose."""
    refused = []
    if owner_id is not None and (measure is None or owner_id != measure.owner_id):
        allowed = session.exec(select(User.id).where(User.id == owner_id, OWNER_CONDITION))
        if allowed.first() is None:
            refused.append(("owner_id", str(_l("This person cannot post status updates."))))
    condition = linkable_recommendations(session, user, measure)
    if condition is not None and recommendation_ids:
        query = select(Recommendation.id).where(
            Recommendation.id.in_(recommendation_ids), condition
        )
        allowed_ids = set(session.exec(query))
        for position, id_ in enumerate(recommendation_ids):
            if id_ not in allowed_ids:
                message = _refusal(user, id_)
                refused.append((f"recommendation_ids.{position}", str(message)))
    bodies = limited_to(user)
    if bodies is not None and not recommendation_ids:
        # A measure answering no item would belong to no body: not theirs to make or keep.
        message = _l(
            "Link at least one item of your bodies (%(bodies)s).", bodies=body_names(bodies)
        )
        refused.append(("recommendation_ids", str(message)))
    return refused


def _refusal(user: User, id_: int) -> str:
    if user.role == Role.OWNER:
        return _l("You answer for no recommendation %(id)s.", id=id_)
    return _l(
        "Recommendation %(id)s is not an item of your bodies (%(bodies)s).",
        id=id_,
        bodies=body_names(limited_to(user)),
    )
