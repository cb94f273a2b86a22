"""Who may call each route of responses and follow-up reviews: see tests/test_roles.py."""

from tests.roles import SIGNED_IN, Rule, acting
from tracker.auth.permissions import Action
from tracker.models import Response

RULES = {
    "responses.detail": Rule(get=SIGNED_IN),
    "responses.word": Rule(get=SIGNED_IN),
    # The secretaries, and the owner who drafts this response.
    "responses.edit": acting(Action.DRAFT_RESPONSE),
    "responses.promise": acting(Action.DRAFT_RESPONSE, get=False),
    "responses.adopt": acting(Action.ADOPT_RESPONSE, get=False),
    "responses.finding": acting(Action.RECORD_FINDINGS, get=False),
}


def add_to_world(*, make, session, users, args):
    """Add a response to the world's source, drafted by the owner."""
    source = make.source(addressee_id=args["body_id"], response_due=None)
    response = Response(
        source_id=source.id, body_id=args["body_id"], responsible_id=users["owner"].id
    )
    session.add(response)
    session.commit()
    return {"response_id": response.id}
