"""Who may call each route of the reminders: see tests/test_roles.py."""

import tests
from tests.roles import ADMIN, PUBLIC, SIGNED_IN, Rule
from tracker.reminders.calendar import renew_feed_token

RULES = {
    "reminders.ledger": Rule(get=ADMIN),
    "reminders.renew_feed": Rule(post=SIGNED_IN),
    "reminders.turn_off_feed": Rule(post=SIGNED_IN),
    # Public: the secret token in the URL is the credential, for calendar programs.
    "reminders.feed": Rule(get=PUBLIC),
}


def _feed_token(*, make, session, users, args):
    """Give the viewer a calendar feed, so that the feed's URL has a valid token."""
    token = renew_feed_token(session, users["viewer"])
    session.commit()
    return {"token": token}


tests.WORLD_HOOKS = getattr(tests, "WORLD_HOOKS", []) + [_feed_token]
