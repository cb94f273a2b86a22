"""Who may call the reminder link's page: anyone with a link, see tests/test_roles.py.

The link is the credential (tests/test_answer_links.py): the world's token is forged, so
every role and an anonymous visitor get the same clear refusal, never the sign-in.
"""

from tests.roles import PUBLIC, SIGNED_IN, Rule

RULES = {
    "answers.answer": Rule(get=PUBLIC, post=PUBLIC),
    # Everyone names their own deputy.
    "deputies.index": Rule(get=SIGNED_IN, post=SIGNED_IN),
}


def add_to_world(*, make, session, users, args):
    """Give the world a token that is not ours."""
    return {"token": "not-a-token"}
