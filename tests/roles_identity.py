"""Who may call the routes of sign-in with an identity provider: see tests/test_roles.py."""

from tests.roles import PUBLIC, Rule, acting
from tracker.auth import identity
from tracker.auth.permissions import Action

RULES = {
    # Not set up in the test world: a clear page for everyone (tests/test_oidc.py signs in).
    "oidc.start": Rule(get=PUBLIC),
    "oidc.callback": Rule(get=PUBLIC),
    "identity.groups": acting(Action.ADMIN),
    "identity.delete_group": acting(Action.ADMIN, get=False),
    "identity.sign_ins": acting(Action.ADMIN, post=False),
}


def add_to_world(*, make, session, users, args):
    """Map a provider's group, so that removing it has a row to remove."""
    mapping = identity.add_mapping(
        session, group="alla-anstallda", role="viewer", body_id=None, unit_id=None
    )
    session.commit()
    return {"mapping_id": mapping.id}


# SCIM: the identity provider's provisioning, with TRACKER_SCIM_TOKEN (tests/test_scim.py).
SCIM = Rule(system=True)
RULES |= {
    "scim.users": SCIM,
    "scim.user": SCIM,
    "scim.create": SCIM,
    "scim.replace": SCIM,
    "scim.patch": SCIM,
    "scim.remove": SCIM,
}
