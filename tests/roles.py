"""The vocabulary of route rules: which roles may GET and POST a route."""

from dataclasses import dataclass, field

from tracker.auth.permissions import RULES, Action
from tracker.models import Role

ANONYMOUS = "anonymous"
ADMIN = frozenset({"admin"})
# The secretary role three times over: region-wide (secretary of no body in particular),
# secretary of the test world's body, and secretary of another body only.
SECRETARIES = frozenset({"secretary", "secretary_here", "secretary_elsewhere"})
EDITORS = ADMIN | SECRETARIES
# The owner role, on items the test world makes them own or be responsible for.
OWNER_OF = frozenset({"owner"})
# An elected member (of the world's body) and an auditor read; the auditor records findings.
SIGNED_IN = frozenset({"admin", "owner", "viewer", "elected", "auditor"}) | SECRETARIES
PUBLIC = SIGNED_IN | {ANONYMOUS}


@dataclass(frozen=True)
class Rule:
    get: frozenset = field(default_factory=frozenset)
    post: frozenset = field(default_factory=frozenset)
    patch: frozenset = field(default_factory=frozenset)
    api: bool = False  # called with a personal API token; a cookie alone gets 401
    # Called by a system with a token of its own (SCIM provisioning): everyone else gets 401.
    system: bool = False


def may(action: Action, *, targeted: bool = True) -> frozenset[str]:
    """Return the roles that the permission table lets do an action in the test world.

    In that world the owner owns every measure and answers for every item, and each user
    acts on themself, so a role allowed "on their own" is allowed there. Its rows belong to
    its body, so a role scoped to bodies acts on them only as that body's secretary; a route
    that makes a new row (targeted=False) is open to every secretary.
    """
    rule = RULES[action]
    names: set[str] = set()
    for role in rule.roles | rule.on_their_own:
        names |= SECRETARIES if role == Role.SECRETARY else {role.value}
    if targeted and Role.SECRETARY in rule.scoped:
        names.discard("secretary_elsewhere")
    return frozenset(names)


def acting(action: Action, *, get: bool = True, post: bool = True, targeted=True) -> Rule:
    """Return the rule of a route that checks an action: the table's roles, for GET and POST."""
    allowed = may(action, targeted=targeted)
    return Rule(get=allowed if get else frozenset(), post=allowed if post else frozenset())
