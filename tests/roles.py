"""The vocabulary of route rules: which roles may GET and POST a route."""

from dataclasses import dataclass, field

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
