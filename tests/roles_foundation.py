"""Who may call each route of the foundation: see tests/test_roles.py."""

from tests.roles import PUBLIC, SIGNED_IN, UNSEEN, Rule, acting
from tracker.auth.permissions import Action

RULES = {
    "static": Rule(get=PUBLIC),
    "bootstrap.static": Rule(get=PUBLIC),
    "healthz": Rule(get=PUBLIC),
    "readyz": Rule(get=PUBLIC),
    "auth.login": Rule(get=PUBLIC, post=PUBLIC),
    "auth.logout": Rule(post=SIGNED_IN),
    "auth.sign_out_everywhere": Rule(post=SIGNED_IN),
    "auth.language": Rule(get=PUBLIC),
    "auth.resend": Rule(get=SIGNED_IN),
    "auth.settings": Rule(get=SIGNED_IN, post=SIGNED_IN),
    "auth.users": acting(Action.ADMIN, post=False),
    "auth.new_user": acting(Action.ADMIN),
    "auth.edit_user": acting(Action.ADMIN),
    "home.index": Rule(get=SIGNED_IN),
    "home.my_work": Rule(get=SIGNED_IN),
    "units.index": Rule(get=SIGNED_IN),
    "units.new": acting(Action.ADMIN),
    "units.edit": acting(Action.ADMIN),
    "meetings.index": Rule(get=SIGNED_IN),
    "meetings.detail": Rule(get=SIGNED_IN),
    "meetings.new": acting(Action.EDIT_MEETING, targeted=False),
    "meetings.edit": acting(Action.EDIT_MEETING),
    "meetings.bodies": Rule(get=SIGNED_IN),
    "meetings.new_body": acting(Action.EDIT_MEETING, targeted=False),
    "meetings.edit_body": acting(Action.EDIT_MEETING),
    "sources.index": Rule(get=SIGNED_IN),
    # The world's rows are its unit's: the owner of another unit finds none of them (404).
    "sources.detail": Rule(get=SIGNED_IN, unseen=UNSEEN),
    "sources.new": acting(Action.EDIT_SOURCE, targeted=False),
    "sources.edit": acting(Action.EDIT_SOURCE, unseen=UNSEEN),
    "recommendations.index": Rule(get=SIGNED_IN),
    "recommendations.detail": Rule(get=SIGNED_IN, unseen=UNSEEN),
    "recommendations.new": acting(Action.EDIT_RECOMMENDATION, targeted=False),
    "recommendations.edit": acting(Action.EDIT_RECOMMENDATION, unseen=UNSEEN),
    # The owner in the test world is responsible for the recommendation and owns the measure.
    "recommendations.update": acting(Action.POST_UPDATE, unseen=UNSEEN),
    "measures.index": Rule(get=SIGNED_IN),
    "measures.detail": Rule(get=SIGNED_IN, unseen=UNSEEN),
    "measures.new": acting(Action.CREATE_MEASURE, targeted=False),
    "measures.edit": acting(Action.EDIT_MEASURE, unseen=UNSEEN),
    "measures.update": acting(Action.POST_UPDATE, unseen=UNSEEN),
}
