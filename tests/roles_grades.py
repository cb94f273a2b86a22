"""Who may call each route of grades, priority and the annual report: see tests/test_roles.py."""

from tests.roles import SIGNED_IN, Rule, may
from tracker.auth.permissions import Action

# The board's grade and the auditors' grade each have their action; either opens the form.
GRADERS = may(Action.GRADE_ITEMS) | may(Action.RECORD_FINDINGS)

RULES = {
    "grades.grade": Rule(get=GRADERS, post=GRADERS),
    "grades.priority": Rule(post=GRADERS),
    "annual.index": Rule(get=SIGNED_IN),
}
