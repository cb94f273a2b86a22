"""Who may call each route of the API and its token pages: see tests/test_roles.py.

API routes (api=True) take a personal token, never the session cookie: with a cookie alone
every role gets 401, and tests/test_roles.py calls them again with each role's token.
Every role reads; writes follow can(): editors create sources, recommendations, measures and
outcomes and change recommendations; the owner changes and reports on the items they own.
"""

from datetime import date

from tests.roles import ADMIN, EDITORS, OWNER_OF, PUBLIC, SIGNED_IN, UNSEEN, Rule, may
from tracker.api.tokens import create_token
from tracker.auth.permissions import Action
from tracker.models import StatusUpdate

API_READ = Rule(get=SIGNED_IN, api=True)

RULES = {
    "api.description": Rule(get=PUBLIC),
    "api.docs": Rule(get=PUBLIC),
    "api.bodies": API_READ,
    "api.body": API_READ,
    "api.meetings": API_READ,
    "api.meeting": API_READ,
    "api.sources": Rule(get=SIGNED_IN, post=EDITORS, api=True),
    "api.create_source": Rule(get=SIGNED_IN, post=EDITORS, api=True),
    # The world's rows are its unit's: the owner of another unit finds none of them (404).
    "api.source": Rule(get=SIGNED_IN, api=True, unseen=UNSEEN),
    "api.recommendations": Rule(get=SIGNED_IN, post=EDITORS, api=True),
    "api.create_recommendation": Rule(get=SIGNED_IN, post=EDITORS, api=True),
    # A secretary of another body may not change the world's recommendation.
    "api.recommendation": Rule(
        get=SIGNED_IN, patch=may(Action.EDIT_RECOMMENDATION), api=True, unseen=UNSEEN
    ),
    "api.update_recommendation": Rule(
        get=SIGNED_IN, patch=may(Action.EDIT_RECOMMENDATION), api=True, unseen=UNSEEN
    ),
    "api.measures": Rule(get=SIGNED_IN, post=EDITORS, api=True),
    "api.create_measure": Rule(get=SIGNED_IN, post=EDITORS, api=True),
    # The owner changes the measure they own; a secretary of another body may not.
    "api.measure": Rule(get=SIGNED_IN, patch=may(Action.EDIT_MEASURE), api=True, unseen=UNSEEN),
    "api.update_measure": Rule(
        get=SIGNED_IN, patch=may(Action.EDIT_MEASURE), api=True, unseen=UNSEEN
    ),
    "api.status_updates": Rule(
        get=SIGNED_IN, post=may(Action.POST_UPDATE, targeted=False, themself=True), api=True
    ),
    "api.create_status_update": Rule(
        get=SIGNED_IN, post=may(Action.POST_UPDATE, targeted=False, themself=True), api=True
    ),
    "api.status_update": Rule(get=SIGNED_IN, api=True, unseen=UNSEEN),
    "api.indicators": API_READ,
    "api.indicator": API_READ,
    "api.outcomes": Rule(get=SIGNED_IN, post=EDITORS, api=True),
    "api.create_outcome": Rule(get=SIGNED_IN, post=EDITORS, api=True),
    "api.outcome": API_READ,
    "api_tokens.new": Rule(get=SIGNED_IN, post=SIGNED_IN),
    # The world's token to revoke is the owner's; an administrator may revoke anyone's.
    "api_tokens.revoke": Rule(post=ADMIN | OWNER_OF),
    "api_tokens.all_tokens": Rule(get=ADMIN),
}


def add_to_world(*, make, session, users, args):
    """Give every user an API token, the owner a second one to revoke, and a status update."""
    api_tokens = {}
    for role, user in users.items():
        _row, api_tokens[role] = create_token(session, user, name="Diariet", expires_on=None)
    spare, _token = create_token(session, users["owner"], name="Reserv", expires_on=None)
    update = StatusUpdate(
        measure_id=args["measure_id"],
        reported_on=date(2030, 1, 2),
        text="Påbörjad",
        status="ongoing",
    )
    session.add(update)
    session.commit()
    return {"api_tokens": api_tokens, "token_id": spare.id, "status_update_id": update.id}
