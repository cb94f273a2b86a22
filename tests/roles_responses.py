"""Who may call each route of responses and follow-up reviews: see tests/test_roles.py."""

from tests.roles import SIGNED_IN, UNSEEN, Rule, acting
from tracker.auth.permissions import Action
from tracker.models import Response

RULES = {
    # The owner of another unit drafts no answer to the source: it is not there for them.
    "responses.detail": Rule(get=SIGNED_IN, unseen=UNSEEN),
    "responses.word": Rule(get=SIGNED_IN, unseen=UNSEEN),
    # The secretaries, and the owner who drafts this response.
    "responses.edit": acting(Action.DRAFT_RESPONSE, unseen=UNSEEN),
    "responses.promise": acting(Action.DRAFT_RESPONSE, get=False, unseen=UNSEEN),
    "responses.adopt": acting(Action.ADOPT_RESPONSE, get=False, unseen=UNSEEN),
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
