"""Who may call each route of the Word template page: see tests/test_roles.py."""

from tests.roles import acting
from tracker.auth.permissions import Action

RULES = {
    "documents.letterhead_page": acting(Action.ADMIN, post=False),
    "documents.upload": acting(Action.ADMIN, get=False),
    "documents.remove": acting(Action.ADMIN, get=False),
}
