"""The vocabulary of route rules: which roles may GET and POST a route."""

from dataclasses import dataclass, field

from tracker.auth.permissions import RULES, Action

ANONYMOUS = "anonymous"
ADMIN = frozenset({"admin"})
EDITORS = frozenset({"admin", "secretary"})
# The owner role, on items the test world makes them own or be responsible for.
OWNER_OF = frozenset({"owner"})
SIGNED_IN = frozenset({"admin", "secretary", "owner", "viewer"})
PUBLIC = SIGNED_IN | {ANONYMOUS}


@dataclass(frozen=True)
class Rule:
    get: frozenset = field(default_factory=frozenset)
    post: frozenset = field(default_factory=frozenset)
    patch: frozenset = field(default_factory=frozenset)
    api: bool = False  # called with a personal API token; a cookie alone gets 401


def may(action: Action) -> frozenset[str]:
    """Return the roles that the permission table lets do an action in the test world.

    In that world the owner owns every measure and answers for every item, and each user
    acts on themself, so a role allowed "on their own" is allowed there.
    """
    rule = RULES[action]
    return frozenset(role.value for role in rule.roles | rule.on_their_own)


def acting(action: Action, *, get: bool = True, post: bool = True) -> Rule:
    """Return the rule of a route that checks an action: the table's roles, for GET and POST."""
    allowed = may(action)
    return Rule(get=allowed if get else frozenset(), post=allowed if post else frozenset())
