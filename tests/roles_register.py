"""Who may call the public register and the marks' routes: see tests/test_roles.py.

The register is public by design when a region turns it on (TRACKER_PUBLIC_REGISTER): the
role test's app has it off, so every visitor gets the same 404; tests/test_public_register.py
reads it turned on.
"""

from tests.roles import PUBLIC, Rule, acting
from tracker.auth.permissions import Action

RULES = {
    "register.index": Rule(get=PUBLIC),
    "register.download": Rule(get=PUBLIC),
    "marks.mark": acting(Action.MARK_SECRECY),
    "marks.lift": acting(Action.MARK_SECRECY, get=False),
    # The world's source is open: the editors are sent back to it with a message.
    "marks.archive": acting(Action.EDIT_SOURCE, post=False),
}


def add_to_world(*, make, session, users, args):
    """Give the routes a target kind and a mark to lift."""
    from tracker.models import Mark

    mark = Mark(target_type="source", target_id=args["source_id"], kind="personal_data")
    session.add(mark)
    session.commit()
    return {
        "target_type": "source",
        "target_id": args["source_id"],
        "mark_id": mark.id,
        "fmt": "json",
    }
