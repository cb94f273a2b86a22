"""Who may call each route of the reminders: see tests/test_roles.py."""

from tests.roles import PUBLIC, Rule, acting
from tracker.auth.permissions import Action
from tracker.reminders.calendar import renew_feed_token

RULES = {
    "reminders.ledger": acting(Action.ADMIN, post=False),
    "reminders.renew_feed": acting(Action.RENEW_FEED, get=False, themself=True),
    "reminders.turn_off_feed": acting(Action.RENEW_FEED, get=False, themself=True),
    # Public: the secret token in the URL is the credential, for calendar programs.
    "reminders.feed": Rule(get=PUBLIC),
}


def add_to_world(*, make, session, users, args):
    """Give the viewer a calendar feed, so that the feed's URL has a valid token."""
    token = renew_feed_token(session, users["viewer"])
    session.commit()
    return {"token": token}
