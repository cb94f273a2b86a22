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
# An owner of another unit, who owns nothing in the world: its rows are not there for them.
OWNER_ELSEWHERE = "owner_elsewhere"
UNSEEN = frozenset({OWNER_ELSEWHERE})
# An elected member (of the world's body) and an auditor read; the auditor records findings.
SIGNED_IN = (
    frozenset({"admin", "owner", "viewer", "elected", "auditor", OWNER_ELSEWHERE}) | SECRETARIES
)
PUBLIC = SIGNED_IN | {ANONYMOUS}


@dataclass(frozen=True)
class Rule:
    get: frozenset = field(default_factory=frozenset)
    post: frozenset = field(default_factory=frozenset)
    patch: frozenset = field(default_factory=frozenset)
    api: bool = False  # called with a personal API token; a cookie alone gets 401
    # Called by a system with a token of its own (SCIM provisioning): everyone else gets 401.
    system: bool = False
    # Roles that read through a scope the world's row is outside of: it is not there (404).
    unseen: frozenset = field(default_factory=frozenset)


def may(action: Action, *, targeted: bool = True, themself: bool = False) -> frozenset[str]:
    """Return the roles that the permission table lets do an action in the test world.

    In that world the owner owns every measure and answers for every item, and each user
    acts on themself, so a role allowed "on their own" is allowed there; the owner of another
    unit owns nothing there, so only where the target is the user themself (themself=True).
    Its rows belong to its body, so a role scoped to bodies acts on them only as that body's
    secretary; a route that makes a new row (targeted=False) is open to every secretary.
    """
    rule = RULES[action]
    names: set[str] = set()
    for role in rule.roles | rule.on_their_own:
        names |= SECRETARIES if role == Role.SECRETARY else {role.value}
    if Role.OWNER in rule.roles or (themself and Role.OWNER in rule.on_their_own):
        names.add(OWNER_ELSEWHERE)
    if targeted and Role.SECRETARY in rule.scoped:
        names.discard("secretary_elsewhere")
    return frozenset(names)


def acting(
    action: Action,
    *,
    get: bool = True,
    post: bool = True,
    targeted=True,
    themself=False,
    unseen=frozenset(),
) -> Rule:
    """Return the rule of a route that checks an action: the table's roles, for GET and POST."""
    allowed = may(action, targeted=targeted, themself=themself)
    return Rule(
        get=allowed if get else frozenset(), post=allowed if post else frozenset(), unseen=unseen
    )
