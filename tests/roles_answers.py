"""Who may call the routes of updates that come in without friction: see tests/test_roles.py.

The link is the credential (tests/test_answer_links.py): whoever holds it opens the form it
names, signed in or not, as any role; it never leads to the sign-in.
"""

from tests.roles import PUBLIC, SIGNED_IN, Rule, acting
from tracker.auth.permissions import Action

RULES = {
    "answers.answer": Rule(get=PUBLIC, post=PUBLIC),
    # Everyone names their own deputy.
    "deputies.index": Rule(get=SIGNED_IN, post=SIGNED_IN),
    # Many measures at once: the workbook is read by all, the rest needs posting updates.
    "measure_files.download": Rule(get=SIGNED_IN),
    "measure_files.upload": acting(Action.POST_UPDATE, targeted=False, themself=True),
    "measure_files.confirm": acting(Action.POST_UPDATE, get=False, targeted=False, themself=True),
    "measure_files.bulk_change": acting(
        Action.POST_UPDATE, get=False, targeted=False, themself=True
    ),
}


def add_to_world(*, make, session, users, args):
    """Give the world a reminder's link to the owner's measure, as the owner got it."""
    from datetime import date

    from tracker.answers.services import new_link

    token = new_link(
        session,
        users["owner"],
        item_type="measure",
        item_id=args["measure_id"],
        deadline=date(2030, 1, 31),
    )
    session.commit()
    return {"token": token}
